"""Writes of the data store: ask for an ingestion, edit the data dictionary.

Every request bumps the table's request stamp and queues a job for that stamp (tasks.py); the
run (runs.py) may change the table only while its stamp is still the latest (runstate.py), so
runs that finish out of order never bring an older file back.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.accounts.permissions import Action, can
from portal.audit import services as audit
from portal.catalog.models import Resource
from portal.datastore import storage, tasks
from portal.datastore.choices import ReadChoices
from portal.datastore.formats import table_kind
from portal.datastore.inference import TYPE_CHOICES
from portal.datastore.models import DataTable, State, TableVersion
from portal.lib.errors import ApplicationError, PermissionDenied

if TYPE_CHECKING:
    from portal.accounts.permissions import Actor


def schedule_ingestion(resource: Resource, *, enqueue: bool = True) -> DataTable | None:
    """A new request to read the resource (new or changed): its table is pending under a new
    request stamp, which every earlier run loses to, and a job for that stamp is queued once
    the current transaction commits. Without `enqueue`, the caller runs
    `runs.run_ingestion` itself.

    A resource that is no longer a table (its file or format changed to a document) stops
    answering queries; its earlier versions stay downloadable."""
    if table_kind(resource) is None:
        DataTable.objects.filter(resource=resource).update(
            state=State.UNSUPPORTED, current=None, request_stamp=F("request_stamp") + 1)
        return None
    table, _created = DataTable.objects.get_or_create(resource=resource)
    # One UPDATE: concurrent requests each get their own stamp, and on PostgreSQL the row
    # stays locked until this transaction ends, so a run cannot commit between.
    DataTable.objects.filter(pk=table.pk).update(
        request_stamp=F("request_stamp") + 1, state=State.PENDING, progress=0.0,
        requested=timezone.now(), attempts=0)
    table.refresh_from_db()
    if enqueue:
        stamp = table.request_stamp
        transaction.on_commit(lambda: tasks.ingest_table(table.pk, stamp))
    return table


def table_files_discard(resource: Resource) -> None:
    """Delete the Parquet files of every version of the resource's table once the current
    transaction commits (the resource is being deleted; its table's rows go by cascade).

    The request stamp is bumped first: that holds the table's row (PostgreSQL), so a run
    commits either before (its version is listed here) or after, and then finds itself
    overtaken and drops its files."""
    DataTable.objects.filter(resource=resource).update(request_stamp=F("request_stamp") + 1)
    names = [sheet["file"] for version in TableVersion.objects.filter(table__resource=resource)
             for sheet in version.sheets]
    if names:
        transaction.on_commit(lambda: _delete_files(names))


def _delete_files(names: list[str]) -> None:
    for name in names:
        storage.delete(name)


@transaction.atomic  # the job is queued on commit: after the chosen ways of reading are saved
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


@transaction.atomic
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
    return schedule_ingestion(resource) or table


def _require_edit(user: Actor, resource: Resource) -> None:
    if not can(user, Action.EDIT_DATASET, resource.dataset):
        raise PermissionDenied(_("You may not change this dataset's data."))
