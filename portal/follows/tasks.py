"""Jobs of the follows app (Huey): the daily purge of follows never confirmed. The e-mail jobs
are in notify.py."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from portal.follows.services import unconfirmed_purge


@db_periodic_task(crontab(hour="3", minute="40"))  # type: ignore[untyped-decorator]
def purge_unconfirmed_follows() -> None:
    unconfirmed_purge()
