from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowsConfig(AppConfig):
    name = "portal.follows"
    verbose_name = _("Follows")

    def ready(self) -> None:
        # Django's place for connecting receivers and registering panels: models and
        # templates can be loaded only once the apps are, which is why these imports are here.
        from portal.follows import panels, receivers  # noqa: F401 - connects and registers
