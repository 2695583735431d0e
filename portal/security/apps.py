from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SecurityConfig(AppConfig):
    name = "portal.security"
    verbose_name = _("Login security")

    def ready(self) -> None:
        from portal.security import signals  # noqa: F401 - connects the receivers
