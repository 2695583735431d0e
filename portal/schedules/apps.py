from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SchedulesConfig(AppConfig):
    name = "portal.schedules"
    verbose_name = _("Update deadlines")

    def ready(self) -> None:
        # Django's place for connecting receivers and registering panels and jobs: models can
        # be imported only once the apps are loaded, which is why these imports are here.
        from portal.notifications import kinds
        from portal.schedules import receivers, reminders  # noqa: F401 - connects the receivers

        kinds.register(reminders.KIND_REMINDER, _("Deadline reminder"))
        kinds.register(reminders.KIND_ESCALATION, _("Overdue data reported to the supervisor"))
        kinds.register(reminders.KIND_DIGEST, _("Weekly digest of deadlines"))
