"""Jobs of the schedules (Huey)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from portal.audit.context import acting_as
from portal.audit.models import Door
from portal.catalog.models import Dataset
from portal.schedules import daily, services


@db_task()  # type: ignore[untyped-decorator]
def refresh_frequency(frequency: str) -> None:
    """Every dataset of a frequency whose deadline policy changed."""
    services.schedule_refresh(Dataset.objects.filter(frequency=frequency))


@db_periodic_task(crontab(minute="7"))  # type: ignore[untyped-decorator]
def daily_deadlines() -> None:
    """Hourly (Huey runs on UTC): the local day's refresh and reminders, once each."""
    with acting_as(door=Door.JOB):
        daily.run_due_steps()
