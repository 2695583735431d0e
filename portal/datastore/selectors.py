"""Reads of the data store, for a resource the caller found through the catalogue's selectors.

The catalogue's visibility rule is applied once, where a request looks the resource up
(`catalog.selectors.get_resource`): a resource the caller may not see is NotFound there, so its
table, its rows and its existence stay hidden (the same answer as the dataset page gives). The
functions here take that Resource, so a request looks it up once. SQL names its tables by
resource id: `sql_tables` looks each one up the same way.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from portal.catalog import selectors as catalog
from portal.catalog.models import Resource, ResourceKind
from portal.datastore import processes, samples, storage
from portal.datastore.encodings import decode, detect, looks_binary
from portal.datastore.models import DataTable, TableVersion
from portal.datastore.query import Table, table_of
from portal.datastore.samples import GroupCounts
from portal.datastore.sql import TABLE_NAME
from portal.lib.errors import NotFound

if TYPE_CHECKING:
    from portal.accounts.permissions import Actor

logger = logging.getLogger(__name__)


def data_table(resource: Resource) -> DataTable | None:
    """The resource's data table, None when the resource is not a table."""
    return DataTable.objects.select_related("current").filter(resource=resource).first()


def queryable(resource: Resource, sheet: str = "", version: int | None = None) -> Table:
    """The resource's table (a sheet of it, an earlier version), ready to query."""
    return queryable_sheet(resource, sheet, version)[1]


def queryable_sheet(resource: Resource, sheet: str = "", version: int | None = None,
                    ) -> tuple[DataTable, Table]:
    """`queryable`, with the resource's DataTable (its data dictionary) from the same lookup."""
    table = data_table(resource)
    if table is None:
        raise NotFound(_("This resource is not a table the portal can query."))
    chosen = _version(table, version)
    index = sheet_index(chosen, sheet)
    if index is None:
        raise NotFound(_("The table has no sheet named “%(name)s”.") % {"name": sheet})
    return table, table_of(chosen.sheets[index], index)


def sheet_index(version: TableVersion, name: str) -> int | None:
    """Where the sheet called `name` is among the version's sheets ("": the first), if any."""
    for index, described in enumerate(version.sheets):
        if described["name"] == name if name else index == 0:
            return index
    return None


def _version(table: DataTable, number: int | None) -> TableVersion:
    if number is None:
        if table.current is None:
            raise NotFound(_("The table is not ready yet: it is being read, or reading failed. "
                             "See the resource page."))
        return table.current
    found = table.versions.filter(number=number).first()
    if found is None:
        raise NotFound(_("The table has no version %(number)s.") % {"number": number})
    return found


def sql_tables(user: Actor, names: list[str]) -> dict[str, dict[str, Any]]:
    """The sheets that SQL table names (`<resource id>` or `<resource id>/<sheet>`) stand for,
    each resource looked up as the caller may see it."""
    resolved = {}
    for name in names:
        match = TABLE_NAME.match(name)
        if match is None:
            raise NotFound(_("“%(name)s” is not a resource table.") % {"name": name})
        resource = catalog.get_resource(user, match["id"])
        resolved[name] = sql_source(queryable(resource, match["sheet"] or ""))
    return resolved


def sql_source(table: Table) -> dict[str, Any]:
    """What the SQL layer needs to know of a table it reads."""
    return {"file": table.file, "rows": table.rows, "schema": table.schema}


# A look at the content, for checks of what a table or a text holds (the personal-data guard).
# These read on behalf of a job, not of a visitor: the caller found the resource itself.


def column_samples(table: Table, limit: int) -> dict[str, list[str]]:
    """Each column's non-empty values as text in `limit` rows drawn at random (the same rows
    every time for the same file)."""
    return processes.call(samples.column_samples_from, storage.readable(table.file), table,
                          limit)


def group_sizes(table: Table, columns: list[str], below: int) -> GroupCounts:
    """How the whole table's rows fall into groups of equal values in `columns`, and how many
    groups have fewer than `below` rows."""
    return processes.call(samples.group_sizes_from, storage.readable(table.file), table,
                          columns, below)


@dataclass(frozen=True)
class TextHead:
    text: str
    partial: bool  # the file is longer than what was read


def text_head(resource: Resource, limit: int) -> TextHead | None:
    """The beginning of an uploaded file as text (its encoding detected, legacy Vietnamese
    encodings included), at most `limit` bytes; None for a link, a missing file or binary
    content."""
    if resource.kind != ResourceKind.FILE or not resource.file.name:
        return None
    try:
        with resource.file.open("rb") as handle:
            head = handle.read(limit + 1)
    except OSError:
        logger.warning("file of resource %s is missing", resource.pk)
        return None
    partial, head = len(head) > limit, head[:limit]
    if not head or looks_binary(head[:65536]):
        return None
    return TextHead(decode(head, detect(head[:65536]).encoding, "replace"), partial)
