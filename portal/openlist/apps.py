from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpenlistConfig(AppConfig):
    name = "portal.openlist"
    verbose_name = _("Open data list")

    def ready(self) -> None:
        # Django's place for registering panels: the catalogue's pages name the slots, this app
        # fills them (the catalogue never imports it).
        from portal.openlist import panels  # noqa: F401 - registers the panels
