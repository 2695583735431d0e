from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "portal.feedback"
    verbose_name = _("Feedback and requests")

    def ready(self) -> None:
        # Django's place for registering panels: the templates they render and the models
        # they read can be loaded only once the apps are, which is why this import is here.
        from portal.feedback import panels  # noqa: F401 - registers the panels
