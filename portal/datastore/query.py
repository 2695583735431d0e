"""Reading a table: filtered, searched, sorted pages of records, and aggregates.

Every name a caller gives (columns to filter, sort, group or return) is checked against the
table's schema and quoted; every value is a bound parameter, converted to the column's type
first, so a request can neither inject SQL nor reach a column that does not exist. Both the
native API and the CKAN DataStore actions build a `RecordsQuery` and call `records`.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from portal.datastore import processes, storage
from portal.datastore.engine import Connection, QueryTimeout, QueryTooLarge, quote, run, sandbox
from portal.datastore.inference import TYPE_CHOICES
from portal.datastore.values import json_size
from portal.lib.errors import ApplicationError

OPERATORS = ("eq", "ne", "lt", "lte", "gt", "gte", "in", "contains", "starts_with", "is_null")
COMPARISONS = {"eq": "=", "ne": "<>", "lt": "<", "lte": "<=", "gt": ">", "gte": ">="}
FUNCTIONS = ("count", "count_distinct", "sum", "avg", "min", "max")
ESTIMATE_SAMPLE_PERCENT = 5


class QueryError(ApplicationError):
    """A request the table cannot answer (unknown column, value of the wrong type...)."""


@dataclass(frozen=True)
class Filter:
    column: str
    op: str
    value: Any  # text as given; a list for "in"; "true"/"false" for "is_null"


@dataclass
class RecordsQuery:
    filters: list[Filter] = field(default_factory=list)
    q: str = ""
    fields: list[str] | None = None
    sort: list[tuple[str, bool]] = field(default_factory=list)  # (column, descending)
    limit: int = 100
    offset: int = 0
    cursor: str = ""
    include_total: bool = True
    distinct: bool = False


@dataclass
class Page:
    fields: list[dict[str, Any]]
    rows: list[tuple[Any, ...]]
    total: int | None
    total_is_estimate: bool
    next_cursor: str | None

    def records(self) -> list[dict[str, Any]]:
        names = [described["name"] for described in self.fields]
        return [dict(zip(names, row, strict=True)) for row in self.rows]


@dataclass(frozen=True)
class Metric:
    function: str
    column: str = ""  # empty for count

    @property
    def name(self) -> str:
        return f"{self.function}({self.column})" if self.column else self.function


@dataclass
class Table:
    """One sheet of a version, as the query layer sees it."""

    file: str
    rows: int
    schema: dict[str, Any]
    name: str = ""  # the sheet's name ("" for a file with one table)
    first: bool = True  # the first sheet, the one the data dictionary describes

    @property
    def fields(self) -> list[dict[str, Any]]:
        return list(self.schema["fields"])

    @property
    def sheet_param(self) -> str:
        """The `sheet` parameter that asks for this sheet ("" for the first, the default)."""
        return "" if self.first else self.name

    def chosen(self, names: list[str] | None) -> list[dict[str, Any]]:
        """The fields named (each checked), or every field when none is named."""
        return [self.field(name) for name in names] if names else self.fields

    def field(self, name: str) -> dict[str, Any]:
        for described in self.schema["fields"]:
            if described["name"] == name:
                return dict(described)
        raise QueryError(_("The table has no column “%(name)s”.") % {"name": name},
                         {name: [_("There is no column with this name.")]})


def table_of(sheet: dict[str, Any], index: int = 0) -> Table:
    return Table(file=sheet["file"], rows=int(sheet["rows"]), schema=sheet["schema"],
                 name=str(sheet.get("name", "")), first=index == 0)


# Records ------------------------------------------------------------------------------------


def records(table: Table, query: RecordsQuery) -> Page:
    """A page of the table's records, read in a query process (processes.py)."""
    return processes.call(records_from, storage.readable(table.file), table, query)


def records_from(path: Path, table: Table, query: RecordsQuery) -> Page:
    """`records`, reading the table's file at `path` (in the process that runs it)."""
    limit = _limit(query.limit)
    chosen = table.chosen(query.fields)
    where, params = _where(table, query.filters, query.q)
    order = _order(table, query.sort, distinct=query.distinct, chosen=chosen)
    page_where, page_params = where, params
    if query.cursor:
        after, after_params = _after_cursor(table, query)
        page_where, page_params = [*where, after], [*params, *after_params]
    columns = ", ".join(quote(described["name"]) for described in chosen)
    page = f"ORDER BY {order} LIMIT {limit + 1} OFFSET {max(query.offset, 0)}"
    with sandbox({"t": path}) as con:
        # DuckDB reads the other columns late, only for the page's rows (top-N over Parquet).
        distinct = "DISTINCT " if query.distinct else ""
        rows = run(con, f"SELECT {distinct}{columns} FROM t{_clause(page_where)} {page}",
                   page_params).fetchall()
        total, estimated = _total(con, table, query, where, params) \
            if query.include_total else (None, False)
    more = len(rows) > limit
    rows = _bounded(rows[:limit])
    next_cursor = _cursor_after(query, chosen, rows) if more and not query.distinct else None
    return Page(chosen, rows, total, estimated, next_cursor)


def export_select(table: Table, query: RecordsQuery,
                  ) -> tuple[str, list[Any], list[dict[str, Any]]]:
    """`query` as one SELECT over the view `t`, for exports: (sql, params, fields).

    The same filters, q, fields, distinct and sort as `records`, without its cursor and its
    page size: a positive `limit` caps the rows, 0 (or less) means every row; `offset` skips
    rows. Without a sort the rows keep the table's order, which DuckDB preserves without a sort
    (a whole table is not sorted by `_id` just to come out as it is stored).
    """
    chosen = table.chosen(query.fields)
    where, params = _where(table, query.filters, query.q)
    columns = ", ".join(quote(described["name"]) for described in chosen)
    sql = f"SELECT {'DISTINCT ' if query.distinct else ''}{columns} FROM t{_clause(where)}"
    if query.sort or query.distinct:
        sql += f" ORDER BY {_order(table, query.sort, distinct=query.distinct, chosen=chosen)}"
    if query.limit > 0:
        sql += f" LIMIT {int(query.limit)}"
    if query.offset > 0:
        sql += f" OFFSET {int(query.offset)}"
    return sql, params, chosen


def _bounded(rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """`rows`, unless they make an answer larger than DATASTORE_MAX_RESULT_SIZE: a page cut
    short would make clients that page by offset skip rows, so it is refused instead."""
    size, limit = sum(json_size(row) for row in rows), settings.DATASTORE_MAX_RESULT_SIZE
    if size > limit:
        raise QueryTooLarge(_("These %(rows)s rows make about %(size)s MiB, more than one answer "
                              "may hold (%(max)s MiB). Ask for fewer rows (limit) or columns.")
                            % {"rows": len(rows), "size": -(-size // 2**20),
                               "max": limit // 2**20},
                            {"limit": [_("Too many rows for one answer.")]})
    return rows


def _limit(limit: int) -> int:
    if limit < 0 or limit > settings.DATASTORE_MAX_ROWS:
        raise QueryError(_("Ask for at most %(max)s rows at a time (limit).")
                         % {"max": settings.DATASTORE_MAX_ROWS},
                         {"limit": [_("Must be between 0 and %(max)s.")
                                    % {"max": settings.DATASTORE_MAX_ROWS}]})
    return limit


def _clause(where: list[str]) -> str:
    return f" WHERE {' AND '.join(where)}" if where else ""


def _total(con: Connection, table: Table, query: RecordsQuery, where: list[str],
           params: list[Any]) -> tuple[int, bool]:
    if not where and not query.distinct:
        return table.rows, False
    if query.distinct:
        columns = ", ".join(quote(name) for name in (query.fields or []))
        inner = f"SELECT DISTINCT {columns or '*'} FROM t{_clause(where)}"
        return _count(con, f"SELECT count(*) FROM ({inner})", params), False
    # Exact when it is affordable (DuckDB counts millions of rows in milliseconds); estimated
    # from a sample when counting would hold the page up (a huge table, a slow filter).
    budget = min(settings.DATASTORE_EXACT_TOTAL_SECONDS, settings.DATASTORE_QUERY_TIMEOUT)
    if budget > 0:
        try:
            return _count(con, f"SELECT count(*) FROM t{_clause(where)}", params,
                          timeout=budget), False
        except QueryTimeout:
            pass
    sample = f"(SELECT * FROM t USING SAMPLE {ESTIMATE_SAMPLE_PERCENT} PERCENT (system))"
    found = _count(con, f"SELECT count(*) FROM {sample} AS t{_clause(where)}", params)
    return found * 100 // ESTIMATE_SAMPLE_PERCENT, True


def _count(con: Connection, sql: str, params: list[Any], timeout: float | None = None) -> int:
    found = run(con, sql, params, timeout=timeout).fetchone()
    return int(found[0]) if found else 0


# Filters ------------------------------------------------------------------------------------


def _where(table: Table, filters: list[Filter], q: str) -> tuple[list[str], list[Any]]:
    where: list[str] = []
    params: list[Any] = []
    for one in filters:
        sql, values = _condition(table.field(one.column), one)
        where.append(sql)
        params.extend(values)
    for term in q.split():
        text = [quote(described["name"]) for described in table.fields
                if described["type"] in ("string", "date", "datetime")]
        if not text:
            break
        haystack = _folded(f"concat_ws(' ', {', '.join(f'CAST({c} AS VARCHAR)' for c in text)})")
        where.append(f"contains({haystack}, {_folded('?')})")
        params.append(term)
    return where, params


def _folded(sql: str) -> str:
    """Lower case without accents; đ is a letter of its own in Unicode, so it is mapped too."""
    return f"replace(strip_accents(lower({sql})), 'đ', 'd')"


def _condition(described: dict[str, Any], one: Filter) -> tuple[str, list[Any]]:
    column = quote(described["name"])
    if one.op not in OPERATORS:
        raise QueryError(_("“%(op)s” is not a filter operator. Use one of: %(ops)s.")
                         % {"op": one.op, "ops": ", ".join(OPERATORS)})
    if one.op == "is_null":
        wanted = str(one.value).lower() not in ("false", "0", "no")
        return f"{column} IS {'' if wanted else 'NOT '}NULL", []
    if one.op in ("contains", "starts_with"):
        function = "contains" if one.op == "contains" else "starts_with"
        return f"{function}({_folded(f'CAST({column} AS VARCHAR)')}, {_folded('?')})", \
            [str(one.value)]
    if one.op == "in":
        values = one.value if isinstance(one.value, list) else str(one.value).split(",")
        if not values:
            return "false", []
        typed = [typed_value(described, value) for value in values]
        return f"{column} IN ({', '.join('?' for _v in typed)})", typed
    return f"{column} {COMPARISONS[one.op]} ?", [typed_value(described, one.value)]


def typed_value(described: dict[str, Any], value: Any) -> Any:
    """A filter's value converted to the column's type, or a QueryError saying what is wrong."""
    kind = described["type"]
    label = str(dict(TYPE_CHOICES).get(kind, kind)).lower()
    text = str(value).strip()
    try:
        if kind == "integer":
            return int(text)
        if kind == "number":
            return float(text)
        if kind == "date":
            return _date(text)
        if kind == "datetime":
            return datetime.fromisoformat(text)
        if kind == "boolean":
            if text.lower() not in ("true", "false"):
                raise ValueError(text)
            return text.lower() == "true"
    except ValueError:
        raise QueryError(
            _("“%(value)s” is not a valid value for the column “%(name)s” (%(type)s).")
            % {"value": text[:80], "name": described["name"], "type": label},
            {described["name"]: [_("Not a valid value: %(type)s expected.") % {"type": label}]},
        ) from None
    return value if isinstance(value, str) else text


def _date(text: str) -> date:
    if "/" in text:
        return datetime.strptime(text, "%d/%m/%Y").date()
    return date.fromisoformat(text)


# Order and keyset cursors -------------------------------------------------------------------


def _order(table: Table, sort: list[tuple[str, bool]], *, distinct: bool,
           chosen: list[dict[str, Any]]) -> str:
    parts = [f"{quote(table.field(name)['name'])} {'DESC' if descending else 'ASC'} NULLS LAST"
             for name, descending in sort]
    if distinct:  # DISTINCT can only order by what it returns
        names = {described["name"] for described in chosen}
        parts = [part for (name, _d), part in zip(sort, parts, strict=True) if name in names]
        return ", ".join(parts or [quote(chosen[0]["name"])])
    return ", ".join([*parts, '"_id" ASC'])


def _cursor_after(query: RecordsQuery, chosen: list[dict[str, Any]],
                  rows: list[tuple[Any, ...]]) -> str | None:
    names = [described["name"] for described in chosen]
    keys = [name for name, _d in query.sort] + ["_id"]
    if not rows or any(key not in names for key in keys):
        return None  # the cursor needs the sort columns and _id among the returned fields
    last = dict(zip(names, rows[-1], strict=True))
    payload = {"sort": [[name, descending] for name, descending in query.sort],
               "after": [_json_value(last[key]) for key in keys]}
    return base64.urlsafe_b64encode(json.dumps(payload).encode()).decode().rstrip("=")


def _decode_cursor(query: RecordsQuery) -> list[Any]:
    try:
        raw = base64.urlsafe_b64decode(query.cursor + "=" * (-len(query.cursor) % 4))
        payload = json.loads(raw)
        sort = [(str(name), bool(descending)) for name, descending in payload["sort"]]
        after = list(payload["after"])
    except (ValueError, KeyError, TypeError):
        raise QueryError(_("The cursor is not valid: use the “next” link as given.")) from None
    if sort != query.sort or len(after) != len(sort) + 1:
        raise QueryError(_("The cursor was made for another sort order: use it with the same "
                           "sort."))
    return after


def _after_cursor(table: Table, query: RecordsQuery) -> tuple[str, list[Any]]:
    """Rows strictly after the cursor's row in (sort columns..., _id) order, nulls last."""
    after = _decode_cursor(query)
    types = {name: table.field(name) for name, _descending in query.sort}
    keys = [*query.sort, ("_id", False)]
    alternatives: list[str] = []
    params: list[Any] = []
    for index, (name, descending) in enumerate(keys):
        value = after[index]
        if value is None:
            continue  # nothing sorts after NULL in this column (nulls last)
        parts: list[str] = []
        values: list[Any] = []
        for (previous, _d), earlier in zip(keys[:index], after[:index], strict=True):
            if earlier is None:
                parts.append(f"{quote(previous)} IS NULL")
            else:
                parts.append(f"{quote(previous)} = ?")
                values.append(_key_value(types, previous, earlier))
        comparison = "<" if descending else ">"
        parts.append(f"({quote(name)} {comparison} ? OR {quote(name)} IS NULL)")
        values.append(_key_value(types, name, value))
        alternatives.append("(" + " AND ".join(parts) + ")")
        params.extend(values)
    return "(" + (" OR ".join(alternatives) or "false") + ")", params


def _key_value(types: dict[str, dict[str, Any]], name: str, value: Any) -> Any:
    return value if name == "_id" else typed_value(types[name], value)


def _json_value(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


# Aggregates ---------------------------------------------------------------------------------


def aggregate(table: Table, *, group_by: list[str], metrics: list[Metric],
              filters: list[Filter], q: str = "", limit: int | None = None,
              ) -> tuple[list[str], list[tuple[Any, ...]], bool]:
    """Grouped metrics: (column names, rows, truncated), computed in a query process."""
    return processes.call(aggregate_from, storage.readable(table.file), table, group_by,
                          metrics, filters, q, limit)


def aggregate_from(path: Path, table: Table, group_by: list[str], metrics: list[Metric],
                   filters: list[Filter], q: str = "", limit: int | None = None,
                   ) -> tuple[list[str], list[tuple[Any, ...]], bool]:
    """`aggregate`, reading the table's file at `path` (in the process that runs it)."""
    limit = _limit(settings.DATASTORE_MAX_ROWS if limit is None else limit)
    groups = [quote(table.field(name)["name"]) for name in group_by]
    selected = [*groups]
    for metric in metrics or [Metric("count")]:
        selected.append(f"{_metric_sql(table, metric)} AS {quote(metric.name)}")
    where, params = _where(table, filters, q)
    sql = f"SELECT {', '.join(selected)} FROM t{_clause(where)}"
    if groups:
        order = ", ".join(f"{group} NULLS LAST" for group in groups)
        sql += f" GROUP BY {', '.join(groups)} ORDER BY {order}"
    sql += f" LIMIT {limit + 1}"
    with sandbox({"t": path}) as con:
        rows = run(con, sql, params).fetchall()
    names = [*group_by, *[metric.name for metric in metrics or [Metric("count")]]]
    return names, _bounded(rows[:limit]), len(rows) > limit


def _metric_sql(table: Table, metric: Metric) -> str:
    if metric.function not in FUNCTIONS:
        raise QueryError(_("“%(name)s” is not a metric. Use one of: %(names)s.")
                         % {"name": metric.function, "names": ", ".join(FUNCTIONS)})
    if metric.function == "count" and not metric.column:
        return "count(*)"
    if not metric.column:
        raise QueryError(_("The metric “%(name)s” needs a column, as in %(name)s:column.")
                         % {"name": metric.function})
    described = table.field(metric.column)
    column = quote(described["name"])
    if metric.function in ("sum", "avg") and described["type"] not in ("integer", "number"):
        raise QueryError(_("“%(function)s” needs a numeric column; “%(name)s” is %(type)s.")
                         % {"function": metric.function, "name": described["name"],
                            "type": described["type"]})
    if metric.function == "count_distinct":
        return f"count(DISTINCT {column})"
    return f"{metric.function}({column})"
