"""Jobs of the feedback app (Huey): the daily erasure of senders' contacts past their retention.
The e-mail jobs are in notify.py."""

from __future__ import annotations

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from portal.audit.context import acting_as
from portal.audit.models import Door
from portal.feedback.services import contacts_erase_expired

logger = logging.getLogger(__name__)


@db_periodic_task(crontab(hour="3", minute="20"))  # type: ignore[untyped-decorator]
def erase_expired_contacts() -> None:
    """FEEDBACK_CONTACT_RETENTION_DAYS after a thread closes, its sender's contact goes."""
    with acting_as(door=Door.JOB):
        erased = contacts_erase_expired()
    if erased:
        logger.info("erased the contact of the senders of %d closed threads", erased)
