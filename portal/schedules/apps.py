from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SchedulesConfig(AppConfig):
    name = "portal.schedules"
    verbose_name = _("Update deadlines")

    def ready(self) -> None:
        # Django's place for connecting receivers and registering panels and jobs: models can
        # be imported only once the apps are loaded, which is why these imports are here.
        from portal.catalog.selectors import register_filter
        from portal.lib import panels
        from portal.notifications import kinds
        from portal.schedules import public, receivers, reminders  # noqa: F401 - connects

        register_filter(public.LIVENESS_FILTER)
        panels.register("dataset.aside", public.dataset_panel, order=10)
        panels.register("agency.aside", public.agency_panel, order=10)
        kinds.register(reminders.KIND_REMINDER, _("Deadline reminder"))
        kinds.register(reminders.KIND_ESCALATION, _("Overdue data reported to the supervisor"))
        kinds.register(reminders.KIND_DIGEST, _("Weekly digest of deadlines"))
