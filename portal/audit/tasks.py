"""Jobs of the audit trail (Huey): the periodic checkpoint of the chain's head."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from django.conf import settings
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from portal.audit.context import acting_as
from portal.audit.models import Door
from portal.audit.services import checkpoint_create
from portal.lib.errors import ApplicationError

logger = logging.getLogger(__name__)


def _never(_moment: datetime) -> bool:
    return False


def every_minutes(minutes: int) -> Callable[[datetime], bool]:
    """Huey's schedule for `AUDIT_CHECKPOINT_MINUTES` (0: never)."""
    schedule: Callable[[datetime], bool] = (
        crontab(minute=f"*/{minutes}") if minutes else _never)
    return schedule


@db_periodic_task(every_minutes(settings.AUDIT_CHECKPOINT_MINUTES))  # type: ignore[untyped-decorator]
def checkpoint_audit_trail() -> None:
    """Anchor the chain's head outside the database, if anything was written since last time."""
    with acting_as(door=Door.JOB):
        try:
            checkpoint_create(only_if_changed=True)
        except ApplicationError as error:
            # Not retried: the next run tries again; the operator must look (portal audit verify).
            logger.error("audit checkpoint not written: %s", error.message)
