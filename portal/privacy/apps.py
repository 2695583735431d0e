from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "portal.privacy"
    verbose_name = _("Personal data")

    def ready(self) -> None:
        # Django's place for connecting receivers: models can be imported only once the apps
        # are loaded, which is why this import is here and not at the top.
        from portal.lib import panels
        from portal.privacy import receivers  # noqa: F401 - connects the receivers
        from portal.privacy.panels import resource_panel, staff_link

        panels.register("resource.checks", resource_panel, order=10)
        panels.register("staff.nav", staff_link, order=20)
