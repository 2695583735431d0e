"""CKAN DataStore's reading actions, answered by the portal's data store (DuckDB over Parquet).

A resource the caller may not see is Not Found, as in every other action; one it may see but
whose table is not ready is Not Found too, saying why (CKAN: the resource is not in the data
store). Refusals of the data store (a value of the wrong type, an SQL statement that is not a
single SELECT, a query past its time limit, naming it) are CKAN's Validation Error on `query`
(409, as CKAN answers a statement timeout); a portal too busy to start the query (every query
process taken) is a 503 with Retry-After.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from django.utils.translation import gettext as _

from portal.catalog import selectors as catalog
from portal.datastore import selectors
from portal.datastore.engine import QueryBusy
from portal.datastore.models import DataTable
from portal.datastore.query import Table, records
from portal.datastore.sql import TABLE_NAME, execute
from portal.interop.ckan import datastore_dict
from portal.interop.ckan.context import Context
from portal.interop.ckan.datastore_input import read_search, records_query
from portal.interop.ckan.errors import CkanValidationError, NotFoundError, ServiceBusyError
from portal.interop.ckan.params import Params
from portal.lib.errors import ApplicationError, NotFound


def find_table(context: Context, resource_id: str) -> tuple[DataTable, Table]:
    """The table of a resource the caller may see (`<id>` or `<id>/<sheet>`), else Not Found."""
    match = TABLE_NAME.match(resource_id)
    try:
        if match is None:
            raise NotFound(resource_id)
        resource = catalog.get_resource(context.user, match["id"])
    except NotFound:
        raise NotFoundError(_("Resource “%(id)s” was not found.")
                            % {"id": resource_id[:100]}) from None
    try:
        return selectors.queryable_sheet(resource, match["sheet"] or "")
    except NotFound as error:  # visible, but not (yet) a table
        raise NotFoundError(error.message) from None


def _size(data_table: DataTable, table: Table) -> int | None:
    """The Parquet file's size in bytes (CKAN: the PostgreSQL table's)."""
    sheets = data_table.current.sheets if data_table.current else []
    return next((int(sheet["size"]) for sheet in sheets
                 if sheet["file"] == table.file and "size" in sheet), None)


@contextmanager
def refusals_as_validation_errors() -> Iterator[None]:
    """The data store's refusals in CKAN's shape: {"__type": "Validation Error", "query": [...]}."""
    try:
        yield
    except NotFound as error:
        raise NotFoundError(error.message) from None
    except QueryBusy as error:
        raise ServiceBusyError(error.message, error.retry_after) from None
    except ApplicationError as error:
        raise CkanValidationError({"query": [error.message]}) from None


def datastore_search(context: Context, data: Mapping[str, Any]) -> dict[str, Any]:
    """Search the rows of a resource's table.

    :param resource_id: the resource's id (`id` also accepted); `<id>/<sheet>` for another
        sheet of a spreadsheet
    :param filters: {"column": value} or {"column": [value, ...]}: rows whose cell equals the
        value (or one of the values); null finds empty cells (optional)
    :param q: words that must all appear in the row's text, date and time cells (without
        regard to case or diacritics), or {"column": "words"} for words in one column
    :param full_text: words, as a string `q`
    :param fields: the columns to return, a list or comma-separated (default: all)
    :param sort: "column desc, other column" (asc by default; empty cells last)
    :param limit: at most this many rows (default 100, upper limit DATASTORE_MAX_ROWS)
    :param offset: skip this many rows first
    :param include_total: count the matching rows (default: true)
    :param records_format: objects (default), lists, csv or tsv
    :param distinct: only distinct rows (default: false)
    :param plain: accepted (the words are always read plainly)
    :param language: accepted and ignored (no stemming)
    :param total_estimation_threshold: accepted and ignored (the portal estimates the total of
        a filtered search only when counting exactly would exceed DATASTORE_EXACT_TOTAL_SECONDS)
    """
    params, request = read_search(data)
    table = find_table(context, request.resource_id)[1]
    query = records_query(params, request, table)
    with refusals_as_validation_errors():
        page = records(table, query)
    names = [described["name"] for described in page.fields]
    result: dict[str, Any] = {
        "include_total": request.include_total,
        "resource_id": request.resource_id,
        "limit": query.limit,
        "records_format": request.records_format,
        **request.echo,
        "records": datastore_dict.records(names, page.rows, request.records_format),
        "fields": [datastore_dict.field_dict(described) for described in page.fields],
        "_links": datastore_dict.links(data, query.limit, query.offset),
    }
    if request.include_total:
        result["total"] = page.total
        result["total_was_estimated"] = page.total_is_estimate
    return result


def datastore_search_sql(context: Context, data: Mapping[str, Any]) -> dict[str, Any]:
    """Run one read-only SELECT over resource tables, named by the resource's id in double
    quotes: SELECT "tên", count(*) FROM "<resource id>" GROUP BY 1.

    :param sql: the statement (at most DATASTORE_SQL_MAX_LENGTH characters); at most
        DATASTORE_SQL_MAX_ROWS rows and DATASTORE_MAX_RESULT_SIZE bytes are returned, and
        `records_truncated` is true when there were more (`records_truncated_reason`: `rows`
        or `size`)
    """
    params = Params(data)
    sql = params.required("sql")
    params.check()

    def resolve(names: list[str]) -> dict[str, dict[str, Any]]:
        # Not Found, in CKAN's shape, for what the caller may not see
        return {name: selectors.sql_source(find_table(context, name)[1]) for name in names}

    with refusals_as_validation_errors():
        found = execute(sql, resolve=resolve)
    result: dict[str, Any] = {
        "sql": sql,
        "records": datastore_dict.records(found.columns, found.rows, "objects"),
        "fields": [{"id": name, "type": datastore_dict.sql_type(kind)}
                   for name, kind in zip(found.columns, found.types, strict=True)],
    }
    if found.truncated:
        result["records_truncated"] = True
        result["records_truncated_reason"] = found.truncated_reason
    return result


def datastore_info(context: Context, data: Mapping[str, Any]) -> dict[str, Any]:
    """Describe a resource's table: its row count and its columns with their data dictionary.

    :param id: the resource's id (`resource_id` also accepted)
    """
    params = Params(data)
    resource_id = params.required("id", "resource_id")
    params.check()
    data_table, table = find_table(context, resource_id)
    fields = []
    for described in table.fields:
        if described["name"].startswith("_"):
            continue  # CKAN lists the columns of the data, not its own _id
        entry = datastore_dict.field_dict(described)
        entry["schema"] = {"native_type": described["type"], "notnull": False,
                           "index_name": None, "is_index": False, "uniquekey": False}
        fields.append(entry)
    meta = {"id": resource_id, "count": table.rows, "table_type": "BASE TABLE",
            "size": _size(data_table, table), "idx_size": 0, "aliases": []}
    return {"meta": meta, "fields": fields}
