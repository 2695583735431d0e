"""/api/v1 data endpoints: a resource's table (state, re-run, data dictionary), its records and
aggregates, SQL over resource tables, exports and earlier versions. See docs/api.md, "Data API".

Every read goes through the data store's selectors, so a resource the caller may not see is a
404 here as on its page. The query layer's refusals get their own codes (install_errors).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.http import FileResponse, HttpRequest, HttpResponse, StreamingHttpResponse
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from ninja import Router, Status

from portal.api.auth import caller, writer
from portal.api.errors import ApiError, error_response
from portal.catalog import selectors as catalog
from portal.catalog.models import Resource
from portal.datastore import exports, formats, params, query, selectors, services, storage
from portal.datastore.choices import ReadChoices
from portal.datastore.encodings import ENCODING_CHOICES
from portal.datastore.engine import QueryBusy, QueryFailed, QueryTimeout, QueryTooLarge
from portal.datastore.errors import render
from portal.datastore.models import DataTable
from portal.datastore.schemas import (
    AggregateOut,
    DatastoreOut,
    DictionaryIn,
    EncodingCandidateOut,
    IngestIn,
    ReadingOut,
    RecordsOut,
    SqlIn,
    SqlOut,
    VersionOut,
)
from portal.datastore.sql import SqlRefused, execute
from portal.datastore.values import json_row, schema_type, unique_names
from portal.lib.errors import NotFound

if TYPE_CHECKING:
    from ninja import NinjaAPI

    from portal.accounts.permissions import Actor

router = Router(tags=["data"])

FILTERS_DOC = (
    "Filters: any other parameter `<column>=<op>.<value>` with op one of "
    f"{', '.join(query.OPERATORS)} (`in.(a,b)` or `in.a,b`; `is_null.true`); a value without "
    "an operator means eq. A column named like a parameter of this endpoint: "
    "`filter[<column>]=<op>.<value>`. List items holding a comma are written in double quotes.")
PARQUET = "application/vnd.apache.parquet"
LARGEST = 2**62  # a limit or offset beyond any table, within DuckDB's BIGINT
_FILE_RESPONSE = {"responses": {200: {"description": "The file.", "content": {
    "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}}}}


# The table's state, re-run, data dictionary -------------------------------------------------


@router.get("/resources/{resource_id}/datastore", response=DatastoreOut,
            summary="A resource's table: state, schema, versions")
def datastore_status(request: HttpRequest, resource_id: str) -> DatastoreOut:
    resource = catalog.get_resource(caller(request), resource_id)
    return _status(request, resource, selectors.data_table(resource))


@router.post("/resources/{resource_id}/datastore", response={202: DatastoreOut},
             summary="Read the resource's file again (optionally with a chosen encoding, "
                     "delimiter, header row, footer)")
def datastore_rerun(request: HttpRequest, resource_id: str,
                    payload: IngestIn | None = None) -> Status[DatastoreOut]:
    user = writer(request)
    resource = catalog.get_resource(user, resource_id)
    choices = ReadChoices(**payload.model_dump()) if payload is not None else None
    table = services.ingestion_request(user=user, resource=resource, choices=choices)
    return Status(202, _status(request, resource, table))


@router.put("/resources/{resource_id}/datastore/dictionary", response=DatastoreOut,
            summary="Write the data dictionary (titles, descriptions, types, units) and re-run")
def datastore_dictionary(request: HttpRequest, resource_id: str,
                         payload: DictionaryIn) -> DatastoreOut:
    user = writer(request)
    resource = catalog.get_resource(user, resource_id)
    fields = {name: entry.model_dump() for name, entry in payload.fields.items()}
    table = services.dictionary_update(user=user, resource=resource, fields=fields)
    return _status(request, resource, table)


def _status(request: HttpRequest, resource: Resource, table: DataTable | None) -> DatastoreOut:
    labels = {code: str(label) for code, label in ENCODING_CHOICES}
    current = table.current if table is not None else None
    sheets = current.sheets if current is not None else []
    state = table.state if table is not None else (
        "not_requested" if formats.table_kind(resource) else "unsupported")
    return DatastoreOut(
        resource_id=resource.pk, state=state,
        progress=table.progress if table is not None else 0.0,
        message=render(table.message) if table is not None else "",
        encoding=table.encoding if table is not None else "",
        encoding_candidates=[
            EncodingCandidateOut(encoding=code, score=score, label=labels.get(code, code))
            for code, score in (table.encoding_candidates if table is not None else [])],
        delimiter=table.delimiter if table is not None else "",
        layout=table.layout if table is not None else {},
        reading=[_reading(sheet) for sheet in sheets],
        version=current.number if current is not None else None,
        rows=current.rows if current is not None else None,
        fields=list(sheets[0]["schema"]["fields"]) if sheets else [],
        sheets=[sheet["name"] for sheet in sheets],
        dictionary=(table.dictionary if table is not None else {}).get("fields", {}),
        requested=table.requested if table is not None else None,
        started=table.started if table is not None else None,
        finished=table.finished if table is not None else None,
        versions=[] if table is None else [
            VersionOut(number=version.number, created=version.created, rows=version.rows,
                       encoding=version.encoding,
                       sheets=[sheet["name"] for sheet in version.sheets],
                       download_url=request.build_absolute_uri(reverse(
                           "api-v1:datastore_version",
                           kwargs={"resource_id": resource.pk, "number": version.number})))
            for version in table.versions.all()],
    )


def _reading(sheet: dict[str, Any]) -> ReadingOut:
    found = sheet.get("layout") or {}
    return ReadingOut(sheet=sheet["name"], header_row=found.get("header_row"),
                      delimiter=found.get("delimiter", ""),
                      rows_above=found.get("above", []), rows_below=found.get("below", []),
                      footer_kept=bool(found.get("footer_kept")))


# Records and aggregates ---------------------------------------------------------------------


def _queryable(user: Actor, resource_id: str, sheet: str,
               version: int | None) -> tuple[Resource, query.Table]:
    """The table to read. A resource the caller may not see is a plain 404; once it is
    visible, why its table cannot be read (not ready, no such sheet or version) is said."""
    resource = catalog.get_resource(user, resource_id)
    try:
        return resource, selectors.queryable(resource, sheet, version)
    except NotFound as error:
        raise ApiError(404, error.message) from None


def _records_query(request: HttpRequest, *, q: str, fields: str, sort: str, limit: int,
                   offset: int, cursor: str = "", include_total: bool = True,
                   ) -> query.RecordsQuery:
    if not 0 <= offset <= LARGEST:
        raise query.QueryError(_("The offset must be between 0 and %(max)s.") % {"max": LARGEST},
                               {"offset": [_("Must be between 0 and %(max)s.")
                                           % {"max": LARGEST}]})
    return query.RecordsQuery(
        filters=params.filters(request.GET), q=q, fields=params.names(fields) or None,
        sort=params.sort(sort), limit=limit, offset=offset, cursor=cursor,
        include_total=include_total)


@router.get("/resources/{resource_id}/records", response=RecordsOut,
            summary="Records of a resource's table: filtered, searched, sorted, paged",
            description=FILTERS_DOC)
def records(request: HttpRequest, resource_id: str, q: str = "", fields: str = "",
            sort: str = "", limit: int = 100, offset: int = 0, cursor: str = "",
            include_total: bool = True, sheet: str = "", version: int | None = None,
            ) -> HttpResponse:
    _resource, table = _queryable(caller(request), resource_id, sheet, version)
    wanted = _records_query(request, q=q, fields=fields, sort=sort, limit=limit, offset=offset,
                            cursor=cursor, include_total=include_total)
    page = query.records(table, wanted)
    names = [described["name"] for described in page.fields]
    return _json({
        "fields": page.fields,
        "records": [json_row(names, row) for row in page.rows],
        "total": page.total, "total_is_estimate": page.total_is_estimate,
        "limit": limit, "offset": offset,
        "next": _next_url(request, wanted, page),
    })


def _next_url(request: HttpRequest, wanted: query.RecordsQuery, page: query.Page) -> str | None:
    """With a cursor when the page has one; else by offset when more rows may follow."""
    if page.next_cursor:
        return _url_with(request, cursor=page.next_cursor, offset=None)
    if wanted.cursor or not wanted.limit or len(page.rows) < wanted.limit:
        return None
    end = wanted.offset + len(page.rows)
    if page.total is not None and not page.total_is_estimate and end >= page.total:
        return None
    return _url_with(request, offset=str(end), cursor=None)


def _url_with(request: HttpRequest, **changes: str | None) -> str:
    query_string = request.GET.copy()
    for key, value in changes.items():
        query_string.pop(key, None)
        if value is not None:
            query_string[key] = value
    return request.build_absolute_uri(f"{request.path}?{query_string.urlencode()}")


@router.get("/resources/{resource_id}/aggregate", response=AggregateOut,
            summary="Grouped counts, sums, averages, minima and maxima",
            description="metrics: count, count_distinct:col, sum:col, avg:col, min:col, "
                        "max:col (comma-separated). " + FILTERS_DOC)
def aggregate(request: HttpRequest, resource_id: str, group_by: str = "",
              metrics: str = "count", q: str = "", limit: int | None = None, sheet: str = "",
              version: int | None = None) -> HttpResponse:
    _resource, table = _queryable(caller(request), resource_id, sheet, version)
    groups, wanted = params.names(group_by), params.metrics(metrics)
    names, rows, truncated = query.aggregate(
        table, group_by=groups, metrics=wanted, filters=params.filters(request.GET), q=q,
        limit=limit)
    kinds = [table.field(name)["type"] for name in groups]
    kinds += [_metric_type(table, metric) for metric in wanted or [query.Metric("count")]]
    names = unique_names(names)
    return _json({
        "fields": [{"name": name, "type": kind} for name, kind in zip(names, kinds, strict=True)],
        "records": [json_row(names, row) for row in rows],
        "truncated": truncated,
    })


def _metric_type(table: query.Table, metric: query.Metric) -> str:
    if metric.function in ("count", "count_distinct"):
        return "integer"
    if metric.function == "avg":
        return "number"
    return str(table.field(metric.column)["type"])


# SQL ----------------------------------------------------------------------------------------


@router.get("/sql", response=SqlOut, summary="One read-only SELECT over resource tables")
def sql_get(request: HttpRequest, sql: str) -> HttpResponse:
    return _sql(request, sql)


@router.post("/sql", response=SqlOut, summary="The same, the statement in a JSON body")
def sql_post(request: HttpRequest, payload: SqlIn) -> HttpResponse:
    return _sql(request, payload.sql)


def _sql(request: HttpRequest, statement: str) -> HttpResponse:
    user = caller(request)
    result = execute(statement, resolve=lambda names: selectors.sql_tables(user, names))
    names = unique_names(result.columns)
    return _json({
        "fields": [{"name": name, "type": schema_type(kind)}
                   for name, kind in zip(names, result.types, strict=True)],
        "records": [json_row(names, row) for row in result.rows],
        "records_truncated": result.truncated,
        "records_truncated_reason": result.truncated_reason or None,
    })


def _json(body: dict[str, Any]) -> HttpResponse:
    return HttpResponse(json.dumps(body, ensure_ascii=False, allow_nan=False),
                        content_type="application/json; charset=utf-8")


# Files --------------------------------------------------------------------------------------


@router.get("/resources/{resource_id}/export.{fmt}",
            summary="The table, or the rows the filters select, as a file",
            description=f"fmt: {', '.join(exports.FORMATS)}. Without `limit`, every row. "
                        "`bom=true` starts a CSV with a byte order mark (for Excel); "
                        "`delimiter` of a CSV: , ; | or a tab. " + FILTERS_DOC,
            openapi_extra=_FILE_RESPONSE)
def export(request: HttpRequest, resource_id: str, fmt: str, q: str = "", fields: str = "",
           sort: str = "", limit: int | None = None, offset: int = 0, sheet: str = "",
           version: int | None = None, bom: bool = False, delimiter: str = ",",
           ) -> StreamingHttpResponse:
    if fmt not in exports.FORMATS:
        raise ApiError(404, _("There is no export as “%(format)s”. The formats are: "
                              "%(formats)s.") % {"format": fmt,
                                                 "formats": ", ".join(exports.FORMATS)})
    resource, table = _queryable(caller(request), resource_id, sheet, version)
    if limit is not None and not 1 <= limit <= LARGEST:
        raise query.QueryError(_("The limit must be 1 or more; leave it out for every row."),
                               {"limit": [_("Must be 1 or more.")]})
    wanted = _records_query(request, q=q, fields=fields, sort=sort,
                            limit=limit or exports.WHOLE_TABLE, offset=offset)
    found = exports.export(table, wanted, fmt, bom=bom, delimiter=delimiter)
    response = StreamingHttpResponse(found.chunks, content_type=found.content_type)
    response["Content-Disposition"] = content_disposition_header(
        True, _download_name(resource, found.extension, sheet,
                             f"v{version}" if version is not None else ""))
    if found.size is not None:
        response["Content-Length"] = str(found.size)
    return response


@router.get("/resources/{resource_id}/versions/{number}.parquet", url_name="datastore_version",
            summary="An earlier (or the current) version's Parquet file",
            openapi_extra=_FILE_RESPONSE)
def version_file(request: HttpRequest, resource_id: str, number: int,
                 sheet: str = "") -> FileResponse:
    resource, table = _queryable(caller(request), resource_id, sheet, number)
    path = storage.readable(table.file)
    return FileResponse(path.open("rb"), as_attachment=True, content_type=PARQUET,
                        filename=_download_name(resource, "parquet", sheet, f"v{number}"))


def _download_name(resource: Resource, extension: str, *parts: str) -> str:
    """The resource's name as a file name: no path, no control or reserved characters."""
    base = re.sub(r'[\x00-\x1f\x7f/\\:*?"<>|]+', " ", resource.name).strip(" .")[:100]
    cleaned = [re.sub(r'[\x00-\x1f\x7f/\\:*?"<>|]+', " ", part).strip()[:50] for part in parts]
    return "-".join([base or "data", *[part for part in cleaned if part]]) + f".{extension}"


# Errors -------------------------------------------------------------------------------------


def install_errors(api: NinjaAPI) -> None:
    """The query layer's refusals in the API's one error shape. A query past its own time
    limit is the caller's to change (400 naming the limit; not 408, which invites repeating
    the same heavy query at once); only a portal too busy to start it is 503 with
    Retry-After."""
    handlers: list[tuple[type[Exception], Callable[[HttpRequest, Any], HttpResponse]]] = [
        (query.QueryError, _on_query_error), (SqlRefused, _on_sql_refused),
        (QueryFailed, _on_query_failed), (QueryTimeout, _on_query_timeout),
        (QueryBusy, _on_query_busy), (QueryTooLarge, _on_query_too_large)]
    for exception, handler in handlers:
        api.add_exception_handler(exception, handler)


def _on_query_error(request: HttpRequest, exc: query.QueryError) -> HttpResponse:
    return error_response(400, exc.message, "invalid_query", exc.field_errors)


def _on_sql_refused(request: HttpRequest, exc: SqlRefused) -> HttpResponse:
    return error_response(400, exc.message, "sql_refused", exc.field_errors)


def _on_query_failed(request: HttpRequest, exc: QueryFailed) -> HttpResponse:
    return error_response(400, exc.message, "query_failed", exc.field_errors)


def _on_query_timeout(request: HttpRequest, exc: QueryTimeout) -> HttpResponse:
    return error_response(400, exc.message, "query_timeout")


def _on_query_busy(request: HttpRequest, exc: QueryBusy) -> HttpResponse:
    response = error_response(503, exc.message, "server_busy")
    response["Retry-After"] = str(exc.retry_after)
    return response


def _on_query_too_large(request: HttpRequest, exc: QueryTooLarge) -> HttpResponse:
    """Past the memory of a query process, or an answer too large: the request must change."""
    return error_response(400, exc.message, "query_too_large", exc.field_errors)
