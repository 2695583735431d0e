"""The daily job: at local midnight the schedules are refreshed (states move with the date); from
SCHEDULE_RUN_HOUR the reminders go. Huey's periodic tasks run on UTC, so the job worker asks
every hour (tasks.py) and this module decides, in the portal's time zone (TIME_ZONE), whether
today's steps are still to do. Each step is claimed in `DailyRun` before it runs, so two
workers never both run it, and a step that fails midway is not repeated that day (reminders
catch up the next days; see reminders.py)."""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from portal.schedules import reminders, services
from portal.schedules.models import DailyRun

logger = logging.getLogger(__name__)


def _claim(day: datetime.date, step: str) -> bool:
    """Mark the day's step as done now, if no one has; True for the one who marked it."""
    DailyRun.objects.get_or_create(day=day)
    with transaction.atomic():
        return bool(DailyRun.objects.filter(day=day, **{f"{step}__isnull": True}).update(
            **{step: timezone.now()}))


def run_due_steps(now: datetime.datetime | None = None) -> list[str]:
    """What the hourly check does: the steps of the local day not yet done. Returns them."""
    local = timezone.localtime(now)
    day, done = local.date(), []
    if _claim(day, "refreshed"):
        count = services.refresh_all(day)
        logger.info("schedules refreshed for %s: %s datasets", day, count)
        done.append("refreshed")
    if local.hour >= settings.SCHEDULE_RUN_HOUR and _claim(day, "reminded"):
        messages = reminders.run_reminders(day)
        logger.info("deadline reminders for %s: %s messages", day, len(messages))
        done.append("reminded")
    return done
