"""Writes of the data store: schedule an ingestion, run it, edit the data dictionary.

An ingestion runs as a job (tasks.py). It works in a private folder, and only a complete run
changes anything visible: new Parquet files are stored under new names, then one transaction
records the version and points the table at it. A failed run records why and leaves the last
good version in place.
"""

from __future__ import annotations

import logging
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from portal.accounts.permissions import Action, can
from portal.audit import services as audit
from portal.audit.context import acting_as
from portal.audit.models import Door
from portal.catalog.models import Resource, ResourceKind
from portal.datastore import storage
from portal.datastore.choices import ReadChoices
from portal.datastore.errors import IngestError
from portal.datastore.inference import TYPE_CHOICES
from portal.datastore.models import DataTable, State, TableVersion
from portal.datastore.sources import NeedsEncoding, ReadOptions, kind_of
from portal.lib.errors import ApplicationError, PermissionDenied

if TYPE_CHECKING:
    from portal.accounts.permissions import Actor

logger = logging.getLogger(__name__)


def table_kind(resource: Resource) -> str | None:
    """The kind of table a resource holds ('csv', 'spreadsheet', ...), None if not a table.

    An API endpoint is not copied: its data changes with every call and it has its own API."""
    if resource.kind == ResourceKind.API:
        return None
    name = resource.file.name if resource.kind == ResourceKind.FILE else resource.url
    return kind_of(resource.format, (name or "").split("?", 1)[0])


def schedule_ingestion(resource: Resource, *, enqueue: bool = True) -> DataTable | None:
    """Mark the resource's table pending and queue a job after the current transaction commits
    (a new or changed resource). Without `enqueue`, the caller runs `run_ingestion` itself.

    A resource that is no longer a table (its file or format changed to a document) stops
    answering queries; its earlier versions stay downloadable."""
    if table_kind(resource) is None:
        DataTable.objects.filter(resource=resource).update(state=State.UNSUPPORTED,
                                                           current=None)
        return None
    table, _created = DataTable.objects.get_or_create(resource=resource)
    table.state, table.progress, table.requested = State.PENDING, 0.0, timezone.now()
    table.save(update_fields=["state", "progress", "requested"])
    if enqueue:
        transaction.on_commit(lambda: _enqueue(table.pk))
    return table


def table_files_discard(resource: Resource) -> None:
    """Delete the Parquet files of every version of the resource's table once the current
    transaction commits (the resource is being deleted; its table's rows go by cascade)."""
    names = [sheet["file"] for version in TableVersion.objects.filter(table__resource=resource)
             for sheet in version.sheets]
    if names:
        transaction.on_commit(lambda: _delete_files(names))


def _delete_files(names: list[str]) -> None:
    for name in names:
        storage.delete(name)


def _enqueue(table_id: int) -> None:
    from portal.datastore.tasks import ingest_table

    ingest_table(table_id)


def ingestion_request(*, user: Actor, resource: Resource,
                      choices: ReadChoices | None = None) -> DataTable:
    """The agency asks for a new run: after fixing the source, or choosing how to read it (the
    encoding, the delimiter, a table's header row, keeping its footer rows)."""
    _require_edit(user, resource)
    choices = choices or ReadChoices()
    errors = choices.errors()
    if errors:
        raise ApplicationError(_("The file cannot be read with these choices."), errors)
    table = schedule_ingestion(resource)
    if table is None:
        raise ApplicationError(_("This resource is not a table the portal can read."))
    changed = choices.apply(table)
    if changed:
        table.save(update_fields=changed)
    audit.record(actor=user, action="datastore.request", target=resource,
                 after={"encoding": table.encoding, "delimiter": table.delimiter,
                        "layout": table.layout})
    return table


def dictionary_update(*, user: Actor, resource: Resource, fields: dict[str, dict[str, str]],
                      ) -> DataTable:
    """Save the data dictionary (title, description, type, unit per column) and re-run."""
    _require_edit(user, resource)
    table = DataTable.objects.filter(resource=resource).first()
    if table is None or table.current is None:
        raise ApplicationError(_("The table has not been read yet."))
    known = {field["name"] for field in table.current.sheets[0]["schema"]["fields"]}
    types = {code for code, _label in TYPE_CHOICES}
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, dict[str, str]] = {}
    for name, entry in fields.items():
        if name not in known or name == "_id":
            errors[name] = [_("There is no column with this name.")]
            continue
        if entry.get("type") and entry["type"] not in types:
            errors[name] = [_("Choose a type from the list.")]
            continue
        cleaned[name] = {key: str(entry[key]).strip()[:500]
                         for key in ("title", "description", "type", "unit") if entry.get(key)}
    if errors:
        raise ApplicationError(_("The data dictionary could not be saved."), errors)
    before = table.dictionary
    table.dictionary = {"fields": cleaned}
    table.save(update_fields=["dictionary"])
    audit.record(actor=user, action="datastore.dictionary", target=resource,
                 before=before, after=table.dictionary)
    schedule_ingestion(resource)
    return table


def _require_edit(user: Actor, resource: Resource) -> None:
    if not can(user, Action.EDIT_DATASET, resource.dataset):
        raise PermissionDenied(_("You may not change this dataset's data."))


# Running ------------------------------------------------------------------------------------


def run_ingestion(table_id: int) -> DataTable:
    """Read the resource's source into a new version (the job's body; also `portal datastore`)."""
    table = DataTable.objects.select_related("resource").get(pk=table_id)
    DataTable.objects.filter(pk=table.pk).update(state=State.RUNNING, progress=0.0,
                                                 started=timezone.now(), finished=None)
    work_root = Path(settings.VAR_DIR) / "datastore-work"
    work_root.mkdir(parents=True, exist_ok=True)
    with acting_as(door=Door.JOB), tempfile.TemporaryDirectory(dir=work_root) as folder:
        try:
            return _ingest_into_version(table, Path(folder))
        except NeedsEncoding as error:
            return _finish(table, State.NEEDS_ENCODING, error.stored(), error.candidates)
        except IngestError as error:
            return _finish(table, State.FAILED, error.stored())
        except Exception:
            logger.exception("ingestion of resource %s failed", table.resource_id)
            return _finish(table, State.FAILED, {"id": gettext_noop(
                "The portal could not read this file because of an internal error. The "
                "operating unit has been told; try again later.")})


def _ingest_into_version(table: DataTable, work: Path) -> DataTable:
    from portal.datastore.ingest import ingest
    from portal.datastore.sources import open_source

    resource = table.resource
    source_path, sha256 = _obtain(resource, work)
    options = ReadOptions(encoding=table.encoding, delimiter=table.delimiter, layout=table.layout)
    source = open_source(source_path, kind=table_kind(resource) or "", options=options)
    tables = ingest(source, work=work, dictionary=table.dictionary,
                    progress=_progress_saver(table.pk))
    number = (table.versions.aggregate(last=Max("number"))["last"] or 0) + 1
    sheets = []
    for index, part in enumerate(tables):
        name = f"datastore/{resource.pk}/v{number}/{index}.parquet"
        size = part.path.stat().st_size
        sheets.append({"name": part.name, "file": storage.store(part.path, name),
                       "rows": part.rows, "size": size, "schema": part.schema,
                       "layout": part.layout})
    with transaction.atomic():
        version = TableVersion.objects.create(table=table, number=number, source_sha256=sha256,
                                              encoding=source.encoding, sheets=sheets)
        table.current = version
        finished = _finish(table, State.READY, {}, [])
        audit.record(actor=None, action="datastore.ingest", target=resource,
                     after={"version": number, "rows": [sheet["rows"] for sheet in sheets]})
    return finished


def _obtain(resource: Resource, work: Path) -> tuple[Path, str]:
    """A local path of the resource's bytes, and their SHA-256."""
    if resource.kind == ResourceKind.FILE:
        if not resource.file.name:
            raise IngestError(gettext_noop("The resource has no file."))
        return storage.readable(resource.file.name), resource.sha256
    from portal.lib.fetch import FetchRefused, download

    suffix = Path(resource.url.split("?", 1)[0]).suffix[:10]
    try:
        got = download(resource.url, work / f"download{suffix}",
                       max_bytes=settings.MAX_UPLOAD_SIZE)
    except FetchRefused as error:
        raise IngestError(error.msgid, **error.params) from None
    return work / f"download{suffix}", got.sha256


def _progress_saver(table_id: int) -> Any:
    last = [0.0]

    def save(fraction: float) -> None:
        now = time.monotonic()
        if now - last[0] >= 0.5:
            last[0] = now
            DataTable.objects.filter(pk=table_id).update(progress=round(fraction, 3))

    return save


def _finish(table: DataTable, state: str, message: dict[str, Any],
            candidates: list[Any] | None = None) -> DataTable:
    table.state, table.message, table.finished = state, message, timezone.now()
    table.progress = 1.0 if state == State.READY else table.progress
    fields = ["state", "message", "finished", "progress", "current"]
    if candidates is not None:
        table.encoding_candidates = candidates
        fields.append("encoding_candidates")
    table.save(update_fields=fields)
    return table
