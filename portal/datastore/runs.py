"""One ingestion run, the job's body: read the resource's source into a new version.

A run works in a private folder, and only a complete run that is still the latest request
changes anything visible: its Parquet files are stored under the run's own names, then one
transaction, holding the table's row, checks that no newer request came and records the
version. A run overtaken by a newer request is dropped (its files deleted, nothing visible
changed); a failed run records why and leaves the last good version in place. The state
machine that decides which run may write is in runstate.py.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext_noop

from portal.audit import services as audit
from portal.audit.context import acting_as
from portal.audit.models import Door
from portal.catalog.models import Resource, ResourceKind
from portal.datastore import runstate, signals, storage
from portal.datastore.errors import IngestError
from portal.datastore.formats import table_kind
from portal.datastore.ingest import Table, ingest
from portal.datastore.models import DataTable, State, TableVersion
from portal.datastore.runstate import Heartbeat, Run
from portal.datastore.sources import NeedsEncoding, ReadOptions, open_source
from portal.lib.fetch import FetchRefused, download

logger = logging.getLogger(__name__)


def run_ingestion(table_id: int, stamp: int | None = None) -> DataTable:
    """Run request `stamp` of the table (None: its latest request), unless the table has moved
    on; then return the table as it stands. The job's body, and `portal datastore ingest
    --sync`. Raises DataTable.DoesNotExist when the resource was deleted."""
    run = runstate.claim(table_id, stamp)
    if run is None:
        logger.info("ingestion of table %s for request %s not started: a newer request came, "
                    "or another job has this one", table_id, stamp)
    else:
        _run(run)
    return DataTable.objects.select_related("resource", "current").get(pk=table_id)


def _run(run: Run) -> None:
    table = DataTable.objects.select_related("resource").get(pk=run.table_id)
    with acting_as(door=Door.JOB), Heartbeat(run) as heartbeat, \
            runstate.work_folder(run) as folder:
        try:
            _ingest_into_version(run, table, folder, heartbeat)
        except NeedsEncoding as error:
            finish(run, State.NEEDS_ENCODING, error.stored(), error.candidates)
        except IngestError as error:
            finish(run, State.FAILED, error.stored())
        except Exception:
            logger.exception("ingestion of resource %s failed", table.resource_id)
            finish(run, State.FAILED, {"id": gettext_noop(
                "The portal could not read this file because of an internal error. The "
                "operating unit has been told; try again later.")})


def _ingest_into_version(run: Run, table: DataTable, work: Path, heartbeat: Heartbeat) -> None:
    resource = table.resource
    source_path, sha256 = _obtain(resource, work)
    options = ReadOptions(encoding=table.encoding, delimiter=table.delimiter, layout=table.layout)
    source = open_source(source_path, kind=table_kind(resource) or "", options=options)
    tables = ingest(source, work=work, dictionary=table.dictionary, progress=heartbeat.progress)
    if not run.rows().exists():  # overtaken while reading: not even worth storing
        logger.info("ingestion run %s dropped: a newer request came", run.name)
        return
    sheets = _store(run, resource, tables)
    if not commit(run, sheets, sha256=sha256, encoding=source.encoding):
        for sheet in sheets:
            storage.delete(sheet["file"])
        logger.info("ingestion run %s dropped at its commit: a newer request came", run.name)


def _store(run: Run, resource: Resource, tables: list[Table]) -> list[dict[str, Any]]:
    folder = run.storage_folder(resource.pk)
    sheets = []
    for index, part in enumerate(tables):
        size = part.path.stat().st_size
        sheets.append({"name": part.name, "rows": part.rows, "size": size, "schema": part.schema,
                       "layout": part.layout,
                       "file": storage.store(part.path, f"{folder}/{index}.parquet")})
    return sheets


def commit(run: Run, sheets: list[dict[str, Any]], *, sha256: str, encoding: str) -> bool:
    """Record the version and make it current, if `run` is still the latest request; the
    table's row is held from the check to the commit, so no newer request can slip between."""
    with transaction.atomic():
        table = DataTable.objects.select_for_update().filter(pk=run.table_id).first()
        if table is None or not run.is_latest(table):
            return False
        number = (table.versions.aggregate(last=Max("number"))["last"] or 0) + 1
        table.current = TableVersion.objects.create(
            table=table, number=number, source_sha256=sha256, encoding=encoding, sheets=sheets)
        table.state, table.message, table.encoding_candidates = State.READY, {}, []
        table.progress, table.finished = 1.0, timezone.now()
        table.save(update_fields=["current", "state", "message", "encoding_candidates",
                                  "progress", "finished"])
        audit.record(actor=None, action="datastore.ingest", target=table.resource,
                     after={"version": number, "rows": [sheet["rows"] for sheet in sheets]})
        version = table.current
        transaction.on_commit(lambda: _tell(signals.table_ingested, table=table,
                                            version=version))
    return True


def _obtain(resource: Resource, work: Path) -> tuple[Path, str]:
    """A local path of the resource's bytes, and their SHA-256."""
    if resource.kind == ResourceKind.FILE:
        if not resource.file.name:
            raise IngestError(gettext_noop("The resource has no file."))
        return storage.readable(resource.file.name), resource.sha256
    suffix = Path(resource.url.split("?", 1)[0]).suffix[:10]
    try:
        got = download(resource.url, work / f"download{suffix}",
                       max_bytes=settings.MAX_UPLOAD_SIZE)
    except FetchRefused as error:
        raise IngestError(error.msgid, **error.params) from None
    return work / f"download{suffix}", got.sha256


def finish(run: Run, state: str, message: dict[str, Any],
            candidates: list[Any] | None = None) -> None:
    """Record how a run that made no version ended, unless a newer request has the table."""
    fields: dict[str, Any] = {"state": state, "message": message, "finished": timezone.now()}
    if candidates is not None:
        fields["encoding_candidates"] = candidates
    if not runstate.update_if_latest(run, **fields):
        logger.info("ingestion run %s ended (%s) after a newer request came; not recorded",
                    run.name, state)
    elif state == State.FAILED:
        table = DataTable.objects.select_related("resource").get(pk=run.table_id)
        transaction.on_commit(lambda: _tell(signals.table_failed, table=table))


def _tell(signal: Signal, **arguments: Any) -> None:
    """Send one of the data store's hooks; a receiver that fails is logged, and neither the
    run nor the other receivers are affected (the change is committed already)."""
    for receiver, outcome in signal.send_robust(sender=DataTable, **arguments):
        if isinstance(outcome, Exception):
            logger.error("receiver %s of %s failed", receiver, signal, exc_info=outcome)
