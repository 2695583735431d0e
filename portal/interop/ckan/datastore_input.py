"""The parameters of `datastore_search` and of `/datastore/dump/`, read as CKAN reads them, into
the data store's `RecordsQuery`.

Reading happens in two steps, as in CKAN: first what needs no table (so that a bad limit is a
Validation Error before anything is looked up), then, once the caller may see the table, the
column names, each checked against the table's schema. A name that is not a column (in
`filters`, `q`, `fields` or `sort`) is a Validation Error on that parameter; names are never
written into SQL by this module (`portal.datastore.query` quotes the checked names).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from portal.datastore.query import Filter, QueryError, RecordsQuery, Table, typed_value
from portal.interop.ckan.params import Params

RECORDS_FORMATS = ("objects", "lists", "csv", "tsv")
# CKAN's sort clause: a column (in double quotes or not), asc/desc, nulls first/last.
SORT_CLAUSE = re.compile(
    r"^(?P<name>.+?)(?: +(?P<order>asc|desc))?(?: +nulls +(?P<nulls>first|last))? *$",
    re.IGNORECASE)
# Parameters of datastore_search that the portal reads; any other is refused, as CKAN refuses
# them (its schema's `__junk`), which catches `filter` written for `filters`.
SEARCH_PARAMETERS = {
    "resource_id", "id", "filters", "q", "full_text", "plain", "language", "limit", "offset",
    "fields", "sort", "distinct", "include_total", "total_estimation_threshold",
    "records_format",
}
# The parameters CKAN returns in the result as they were given (when given).
ECHOED = ("filters", "q", "full_text", "plain", "language", "offset", "sort", "distinct")


@dataclass
class SearchRequest:
    """What a call asks for, before the table's columns are known."""

    resource_id: str = ""
    filters: dict[str, Any] = field(default_factory=dict)
    q: str = ""
    q_columns: dict[str, str] = field(default_factory=dict)
    fields: list[str] = field(default_factory=list)
    sort: list[str] = field(default_factory=list)
    limit: int | None = 100
    offset: int = 0
    include_total: bool = True
    records_format: str = "objects"
    distinct: bool = False
    plain: bool = True
    echo: dict[str, Any] = field(default_factory=dict)


def read_search(data: Mapping[str, Any]) -> tuple[Params, SearchRequest]:
    """datastore_search's parameters; `Params.check()` has been called (errors raised)."""
    params = Params(data)
    for key in sorted(set(data) - SEARCH_PARAMETERS):
        params.fail(key[:100], _("Unknown parameter."))
    request = _common(params, data, default_limit=100)
    request.include_total = params.boolean("include_total", True)
    threshold = params.integer("total_estimation_threshold")
    request.records_format = params.text("records_format", "objects").strip() or "objects"
    if request.records_format not in RECORDS_FORMATS:
        params.fail("records_format", _("Must be one of: %(values)s")
                    % {"values": ", ".join(RECORDS_FORMATS)})
    request.echo = {"total_estimation_threshold": threshold} | _echo(data, request)
    params.check()
    return params, request


def read_dump(data: Mapping[str, Any]) -> tuple[Params, SearchRequest]:
    """The dump's parameters: those of datastore_search that choose rows, without a default
    limit (the whole table). Other parameters (`format`, `bom`) are the view's."""
    params = Params(data)
    request = _common(params, data, default_limit=None)
    params.check()
    return params, request


def _common(params: Params, data: Mapping[str, Any], *, default_limit: int | None
            ) -> SearchRequest:
    request = SearchRequest()
    request.resource_id = params.required("resource_id", "id")
    request.limit = params.natural("limit", default_limit,
                                   maximum=settings.DATASTORE_MAX_ROWS if default_limit else None)
    request.offset = params.natural("offset", 0) or 0
    request.filters = _filters(params, data.get("filters"))
    request.q, request.q_columns = _q(params, data.get("q"))
    full_text = params.text("full_text").strip()
    request.q = " ".join(part for part in (request.q, full_text) if part)
    request.fields = params.names("fields")
    request.sort = _sort_clauses(params, data.get("sort"))
    request.distinct = params.boolean("distinct", False)
    # CKAN's switch to PostgreSQL's query syntax: the words are always read plainly here.
    request.plain = params.boolean("plain", True)
    params.text("language")  # the words are matched without stemming, in any language
    return request


def _echo(data: Mapping[str, Any], request: SearchRequest) -> dict[str, Any]:
    """The parameters CKAN puts back in its result, parsed as it parses them."""
    echo: dict[str, Any] = {}
    for key in ECHOED:
        if key in data:
            echo[key] = data[key]
    if "filters" in echo:
        echo["filters"] = request.filters
    if "q" in echo and request.q_columns:
        echo["q"] = request.q_columns
    if "offset" in echo:
        echo["offset"] = request.offset
    for key, value in (("distinct", request.distinct), ("plain", request.plain)):
        if key in echo:
            echo[key] = value
    return echo


def _json(value: Any) -> Any:
    """A JSON text from a query string, or a value a JSON body sent as it is."""
    if isinstance(value, str):
        return json.loads(value)
    return value


def _filters(params: Params, value: Any) -> dict[str, Any]:
    if value is None or value == "":
        return {}
    try:
        filters = _json(value)
    except (ValueError, RecursionError):
        params.fail("filters", _("Cannot parse JSON: write an object such as "
                                 '{"column": "value"}.'))
        return {}
    if not isinstance(filters, dict):
        params.fail("filters", _('Must be a JSON object such as {"column": "value"} or '
                                 '{"column": ["value 1", "value 2"]}.'))
        return {}
    for name, wanted in filters.items():
        values = wanted if isinstance(wanted, list) else [wanted]
        if any(isinstance(one, dict | list) for one in values):
            params.fail("filters", _("The value for “%(name)s” must be a text, a number, "
                                     "true/false, null or a list of them.") % {"name": name})
    return filters


def _q(params: Params, value: Any) -> tuple[str, dict[str, str]]:
    """A text searched in every column, or CKAN's {column: text} searched in each column."""
    if value is None:
        return "", {}
    parsed = value
    if isinstance(value, str):
        try:
            parsed = json.loads(value)
        except (ValueError, RecursionError):
            parsed = value
    if isinstance(parsed, dict):
        columns: dict[str, str] = {}
        for name, text in parsed.items():
            if isinstance(text, bool) or not isinstance(text, str | int | float):
                params.fail("q", _("The text for “%(name)s” must be a string.") % {"name": name})
            else:
                columns[str(name)] = str(text)
        return "", columns
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        text = str(value)
        if "\x00" in text:
            params.fail("q", _("Must not contain NUL characters"))
            return "", {}
        return text.strip(), {}
    params.fail("q", _("Must be a string, or an object such as {\"column\": \"text\"}."))
    return "", {}


def _sort_clauses(params: Params, value: Any) -> list[str]:
    if value is None or value == "":
        return []
    if isinstance(value, str):
        return [clause.strip() for clause in value.split(",") if clause.strip()]
    if isinstance(value, list) and all(isinstance(clause, str) for clause in value):
        return [clause.strip() for clause in value if clause.strip()]
    params.fail("sort", _('Write the order as “column desc, other column”.'))
    return []


# With the table ------------------------------------------------------------------------------


def records_query(params: Params, request: SearchRequest, table: Table) -> RecordsQuery:
    """The request checked against the table's columns, or a Validation Error per parameter."""
    columns = {described["name"]: described for described in table.fields}
    query = RecordsQuery(q=request.q, offset=request.offset, distinct=request.distinct,
                         include_total=request.include_total)
    if request.limit is not None:
        query.limit = request.limit
    query.filters = [*_table_filters(params, request.filters, columns),
                     *_q_filters(params, request.q_columns, columns)]
    unknown = [name for name in request.fields if name not in columns]
    for name in unknown:
        params.fail("fields", _("There is no column “%(name)s”.") % {"name": name})
    query.fields = request.fields or None
    query.sort = _sort(params, request.sort, columns)
    params.check()
    return query


def _table_filters(params: Params, filters: dict[str, Any],
                   columns: dict[str, dict[str, Any]]) -> list[Filter]:
    found: list[Filter] = []
    for name, wanted in filters.items():
        if name not in columns:
            params.fail("filters", _("There is no column “%(name)s”.") % {"name": name})
            continue
        if wanted is None:  # CKAN compares with NULL and finds nothing; an empty cell is meant
            found.append(Filter(name, "is_null", "true"))
            continue
        values = [_text(one) for one in (wanted if isinstance(wanted, list) else [wanted])]
        try:
            for one in values:
                typed_value(columns[name], one)
        except QueryError as error:
            params.fail("filters", error.message)
            continue
        found.append(Filter(name, "in", values) if isinstance(wanted, list)
                     else Filter(name, "eq", values[0]))
    return found


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def _q_filters(params: Params, q_columns: dict[str, str],
               columns: dict[str, dict[str, Any]]) -> list[Filter]:
    found: list[Filter] = []
    for name, text in q_columns.items():
        if name not in columns:
            params.fail("q", _("There is no column “%(name)s”.") % {"name": name})
        else:
            found.extend(Filter(name, "contains", word) for word in text.split())
    return found


def _sort(params: Params, clauses: list[str], columns: dict[str, dict[str, Any]]
          ) -> list[tuple[str, bool]]:
    sort: list[tuple[str, bool]] = []
    for clause in clauses:
        match = SORT_CLAUSE.match(clause)
        name = match["name"] if match else ""
        if len(name) > 1 and name[0] == name[-1] == '"':
            name = name[1:-1]
        if match is None or name not in columns:
            params.fail("sort", _("“%(clause)s” is not a column followed by asc or desc.")
                        % {"clause": clause[:100]})
        elif (match["nulls"] or "last").lower() == "first":
            params.fail("sort", _("Empty cells always sort last: remove “nulls first”."))
        else:
            sort.append((name, (match["order"] or "asc").lower() == "desc"))
    return sort
