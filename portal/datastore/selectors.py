"""Reads of the data store, always through the catalogue's visibility rule.

A resource the caller may not see is NotFound here too, so its table, its rows and its
existence stay hidden (the same answer as the dataset page gives).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from portal.catalog import selectors as catalog
from portal.catalog.models import Resource
from portal.datastore.models import DataTable, TableVersion
from portal.datastore.query import Table, table_of
from portal.datastore.sql import TABLE_NAME
from portal.lib.errors import NotFound

if TYPE_CHECKING:
    from portal.accounts.permissions import Actor


def data_table(user: Actor, resource_id: str) -> tuple[Resource, DataTable | None]:
    """A visible resource and its data table (None when the resource is not a table)."""
    resource = catalog.get_resource(user, resource_id)
    table = DataTable.objects.select_related("current").filter(resource=resource).first()
    return resource, table


def queryable(user: Actor, resource_id: str, sheet: str = "",
              version: int | None = None) -> tuple[Resource, Table]:
    """The table of a visible resource (a sheet of it, an earlier version), ready to query."""
    resource, _data_table, table = queryable_sheet(user, resource_id, sheet, version)
    return resource, table


def queryable_sheet(user: Actor, resource_id: str, sheet: str = "", version: int | None = None,
                    ) -> tuple[Resource, DataTable, Table]:
    """`queryable`, with the resource's DataTable (its data dictionary) from the same lookup."""
    resource, table = data_table(user, resource_id)
    if table is None:
        raise NotFound(_("This resource is not a table the portal can query."))
    chosen = _version(table, version)
    index = sheet_index(chosen, sheet)
    if index is None:
        raise NotFound(_("The table has no sheet named “%(name)s”.") % {"name": sheet})
    return resource, table, table_of(chosen.sheets[index], index)


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
    """The sheets that SQL table names stand for, each checked as `queryable` checks it."""
    resolved = {}
    for name in names:
        match = TABLE_NAME.match(name)
        if match is None:
            raise NotFound(_("“%(name)s” is not a resource table.") % {"name": name})
        _resource, table = queryable(user, match["id"], match["sheet"] or "")
        resolved[name] = {"file": table.file, "rows": table.rows, "schema": table.schema}
    return resolved
