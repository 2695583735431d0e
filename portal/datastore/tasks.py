"""Jobs of the data store (Huey): ingestion, and a sweep so that no table stays pending."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from portal.datastore.models import DataTable, State
from portal.datastore.services import run_ingestion

STUCK_PENDING = timedelta(minutes=10)
STUCK_RUNNING = timedelta(hours=2)


@db_task(retries=0)  # type: ignore[untyped-decorator]
def ingest_table(table_id: int) -> None:
    run_ingestion(table_id)


@db_periodic_task(crontab(minute="*/5"))  # type: ignore[untyped-decorator]
def requeue_stuck_tables() -> None:
    """A job lost with a stopped worker or a lost queue is queued again."""
    now = timezone.now()
    stuck = (DataTable.objects.filter(state=State.PENDING, requested__lt=now - STUCK_PENDING)
             | DataTable.objects.filter(state=State.RUNNING, started__lt=now - STUCK_RUNNING))
    for table_id in stuck.values_list("pk", flat=True):
        DataTable.objects.filter(pk=table_id).update(state=State.PENDING, requested=now)
        ingest_table(table_id)
