"""CKAN's `/datastore/dump/<resource id>`: a table, or the rows a search selects, as a file.

    /datastore/dump/<id>?format=csv|tsv|json&bom=true&q=...&filters=...&fields=...&sort=...
                         &limit=...&offset=...&distinct=true

The file is written by `portal.datastore.exports` (the same exporter as /api/v1's exports) and
streamed, never held whole in memory. Its cells are the values as stored, as CKAN writes them:
text that a spreadsheet would run as a formula is not guarded here (it is in /api/v1's CSV, TSV
and XLSX exports, which are meant for people; see docs/security.md, "Exports"). The caller is
read as by the Action API (a token, else the session): a resource the caller may not see is the
portal's 404 page, as CKAN answers 404. A bad parameter is a 400 with the reasons as plain text,
as CKAN's dump gives them.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from portal.datastore.engine import QueryBusy
from portal.datastore.exports import WHOLE_TABLE, Export, export
from portal.datastore.query import Filter, RecordsQuery, Table
from portal.interop.ckan import datastore_dict
from portal.interop.ckan.actions.datastore import find_table
from portal.interop.ckan.context import Context
from portal.interop.ckan.datastore_input import read_dump, records_query
from portal.interop.ckan.errors import CkanError, CkanValidationError, NotFoundError
from portal.interop.ckan.params import Params
from portal.interop.ckan.request import request_data
from portal.lib.errors import ApplicationError

DUMP_FORMATS = ("csv", "tsv", "json")
# Parameters of the dump itself; the others choose rows, as datastore_search's do.
OWN = ("format", "bom")


def _refusal(error: CkanError) -> HttpResponse:
    if isinstance(error, CkanValidationError):
        text = "\n".join(f"{key}: {' '.join(messages)}"
                         for key, messages in error.field_errors.items())
    else:
        text = error.message
    return HttpResponse(text + "\n", status=400 if error.status == 409 else error.status,
                        content_type="text/plain; charset=utf-8")


def _busy(error: QueryBusy) -> HttpResponse:
    response = HttpResponse(error.message + "\n", status=503,
                            content_type="text/plain; charset=utf-8")
    response["Retry-After"] = str(error.retry_after)
    return response


def _options(data: dict[str, Any]) -> tuple[str, bool]:
    params = Params(data)
    fmt = params.text("format", "csv").strip().lower() or "csv"
    if fmt not in DUMP_FORMATS:
        params.fail("format", _("Must be one of: %(values)s")
                    % {"values": ", ".join(DUMP_FORMATS)})
    bom = params.boolean("bom", False)
    params.check()
    return fmt, bom


def _query(context: Context, resource_id: str, data: dict[str, Any]
           ) -> tuple[list[dict[str, Any]], Table, RecordsQuery]:
    params, request = read_dump({key: value for key, value in data.items() if key not in OWN}
                                | {"resource_id": resource_id})
    _data_table, table = find_table(context, resource_id)
    query = records_query(params, request, table)
    if request.limit is None:
        query.limit = WHOLE_TABLE
    elif request.limit == 0:  # CKAN: the header only. _id is never empty, so no row matches.
        query.limit, query.filters = WHOLE_TABLE, [*query.filters, Filter("_id", "is_null", "1")]
    chosen = table.chosen(query.fields)
    return chosen, table, query


def _json_document(fields: list[dict[str, Any]], found: Export
                   ) -> tuple[Iterator[bytes], int | None]:
    """CKAN's JSON dump, {"fields": [...], "records": [...]}, around the exporter's array."""
    head = ('{"fields": ' + json.dumps([datastore_dict.field_dict(one) for one in fields],
                                       ensure_ascii=False) + ', "records": ').encode()
    tail = b"}\n"

    def chunks() -> Iterator[bytes]:
        try:
            yield head
            yield from found.chunks
            yield tail
        finally:
            close = getattr(found.chunks, "close", None)
            if close is not None:
                close()

    size = None if found.size is None else found.size + len(head) + len(tail)
    return chunks(), size


@require_http_methods(["GET", "HEAD"])
def dump(request: HttpRequest, resource_id: str) -> HttpResponseBase:
    try:
        context = Context.of(request)
        data = request_data(request)
        fmt, bom = _options(data)
        fields, table, query = _query(context, resource_id, data)
        # The values as stored, as CKAN's dump gives them: programs read this file (and load
        # it elsewhere); the files for people, /api/v1's exports, guard formulas.
        found = export(table, query, fmt, bom=bom, guard=False)
    except NotFoundError:
        raise Http404(_("DataStore resource not found")) from None
    except CkanError as error:
        return _refusal(error)
    except QueryBusy as error:
        return _busy(error)
    except ApplicationError as error:
        return _refusal(CkanValidationError({"query": [error.message]}))
    chunks: Iterator[bytes] = found.chunks
    size = found.size
    if fmt == "json":
        chunks, size = _json_document(fields, found)
    response = StreamingHttpResponse(chunks, content_type=found.content_type)
    # The name is the resource's id (checked as a UUID by find_table), never a sheet's name.
    name = resource_id.split("/", 1)[0]
    response["Content-Disposition"] = f'attachment; filename="{name}.{found.extension}"'
    if size is not None:
        response["Content-Length"] = str(size)
    return response
