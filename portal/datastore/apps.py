from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DatastoreConfig(AppConfig):
    name = "portal.datastore"
    verbose_name = _("Data store")

    def ready(self) -> None:
        # Django's place for connecting receivers: models can be imported only once the apps
        # are loaded, which is why this import is here and not at the top.
        from portal.datastore import receivers  # noqa: F401 - connects the receivers
