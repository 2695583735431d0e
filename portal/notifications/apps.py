from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "portal.notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        # Panels are registered once the apps are loaded (their providers import models).
        from portal.lib import panels
        from portal.notifications.views import unread_nav

        panels.register("staff.nav", unread_nav, order=20)
