from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SchedulesConfig(AppConfig):
    name = "portal.schedules"
    verbose_name = _("Update deadlines")

    def ready(self) -> None:
        # Django's place for connecting receivers and registering panels: models can be
        # imported only once the apps are loaded, which is why these imports are here.
        from portal.schedules import receivers  # noqa: F401 - connects the receivers
