"""Jobs of the data store (Huey): ingestion, and the recovery of runs and requests a stopped
worker left behind, every minute and whenever a job worker starts."""

from __future__ import annotations

import logging

from huey import crontab
from huey.contrib.djhuey import HUEY, close_db, db_periodic_task, db_task

from portal.datastore import runstate
from portal.datastore.models import DataTable

logger = logging.getLogger(__name__)


@db_task(retries=0)  # type: ignore[untyped-decorator]
def ingest_table(table_id: int, stamp: int | None = None) -> None:
    """Run request `stamp` of the table (None: a job queued before requests had stamps; it
    runs the latest request)."""
    # DuckDB is loaded where a job runs, not by every process that loads the apps (the query
    # processes' fork server loads them and must never hold DuckDB).
    from portal.datastore.runs import run_ingestion

    try:
        run_ingestion(table_id, stamp)
    except DataTable.DoesNotExist:
        logger.info("table %s is gone (its resource was deleted); nothing to read", table_id)


@db_periodic_task(crontab(minute="*"))  # type: ignore[untyped-decorator]
def recover_lost_runs() -> None:
    recover()


@HUEY.on_startup()  # type: ignore[untyped-decorator]
@close_db  # type: ignore[untyped-decorator]
def recover_on_startup() -> None:
    """A worker that starts takes over at once what a killed one left: on this machine a run
    whose process is gone is dead without waiting for its heartbeat to time out."""
    recover()


def recover() -> None:
    """Queue again the requests of dead runs (or mark them failed after too many starts) and
    the pending requests whose job was lost, then remove the work folders of ended runs."""
    for run in runstate.dead_runs():
        if runstate.requeue(run):
            ingest_table(run.table_id, run.stamp)
    for table_id, stamp in runstate.lost_requests(_queued_tables()):
        logger.warning("ingestion of table %s: request %s had no job in the queue; queued "
                       "again", table_id, stamp)
        ingest_table(table_id, stamp)
    runstate.clean_work_folders()


def _queued_tables() -> set[int]:
    """The tables that have an ingestion job waiting in the queue."""
    return {int(task.args[0]) for task in HUEY.pending()
            if isinstance(task, ingest_table.task_class) and task.args}
