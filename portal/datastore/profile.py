"""Column profiles: what each column of a table holds, at a glance.

Two statements over the Parquet file, each under the query time limit: a summary (empty cells,
distinct values, minimum and maximum of every column), then the histograms, which need the
summary's ranges (numbers in ten equal-width bins, dates by month or year, text by its ten most
frequent values). A version never changes, so its profile is kept in Django's cache under the
file's storage name, for good.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from django.core.cache import cache

from portal.datastore import geo, processes, storage
from portal.datastore.engine import Connection, quote, run, sandbox
from portal.datastore.query import Table

CACHE_VERSION = 1
MAX_COLUMNS = 60  # wider tables are profiled on their first columns
BINS = 10
TOP_VALUES = 10
LABEL_LENGTH = 60
EXACT_DISTINCT_ROWS = 1_000_000  # above, distinct values are estimated (HyperLogLog)
MONTHS_SHOWN = 36  # a longer span of dates is shown by year
NUMERIC = ("integer", "number")
TEMPORAL = ("date", "datetime")
UNIQUE_SHARE = 0.95  # a text column this unique has no "most frequent" values worth showing


@dataclass(frozen=True)
class Bar:
    """One bar of a histogram: a bin [low, high], a month or year (low), or a value (low)."""

    low: Any
    high: Any
    count: int


@dataclass
class ColumnProfile:
    name: str
    type: str
    empty: int
    distinct: int | None = None
    distinct_is_estimate: bool = False
    minimum: Any = None
    maximum: Any = None
    # "bins" (numbers), "months", "years", "top" (most frequent values), "unique", or "".
    histogram_kind: str = ""
    histogram: list[Bar] = field(default_factory=list)

    @property
    def largest(self) -> int:
        return max((bar.count for bar in self.histogram), default=0)


@dataclass
class Profile:
    rows: int
    columns: list[ColumnProfile]
    omitted: int  # columns past MAX_COLUMNS, not profiled


def profile(table: Table) -> Profile:
    """The table's profile, computed once per version."""
    key = f"datastore:profile:{CACHE_VERSION}:{table.file}"
    found = cache.get(key)
    if not isinstance(found, Profile):
        found = compute(table)
        cache.set(key, found, timeout=None)
    return found


def map_columns(table: Table) -> geo.MapColumns | None:
    """geo's one rule applied to the table, with its values when the rule needs them."""
    return geo.map_columns(table.fields, ranges=lambda names: ranges(table, names))


def ranges(table: Table, names: list[str]) -> dict[str, geo.Range]:
    """The smallest and largest finite value of numeric columns, computed once per version."""
    digest = hashlib.sha256("\0".join(names).encode()).hexdigest()[:16]
    key = f"datastore:ranges:{CACHE_VERSION}:{table.file}:{digest}"
    found: dict[str, geo.Range] | None = cache.get(key)
    if not isinstance(found, dict):
        found = processes.call(ranges_from, storage.readable(table.file), names)
        cache.set(key, found, timeout=None)
    return found


def ranges_from(path: Path, names: list[str]) -> dict[str, geo.Range]:
    """`ranges`, reading the table's file at `path` (in the process that runs it)."""
    parts = []
    for name in names:
        number = f"CAST({quote(name)} AS DOUBLE)"
        parts += [f"min({number}) FILTER (WHERE isfinite({number}))",
                  f"max({number}) FILTER (WHERE isfinite({number}))"]
    with sandbox({"t": path}) as con:
        values = list(run(con, f"SELECT {', '.join(parts)} FROM t").fetchone() or ())
    return {name: (values[2 * i], values[2 * i + 1]) for i, name in enumerate(names)}


def compute(table: Table) -> Profile:
    """The table's profile, computed in a query process (processes.py)."""
    return processes.call(compute_from, storage.readable(table.file), table)


def compute_from(path: Path, table: Table) -> Profile:
    """`compute`, reading the table's file at `path` (in the process that runs it)."""
    fields = [described for described in table.fields if described["name"] != "_id"]
    chosen = fields[:MAX_COLUMNS]
    with sandbox({"t": path}) as con:
        columns = _summary(con, table.rows, chosen)
        _histograms(con, table.rows, columns)
    return Profile(table.rows, columns, len(fields) - len(chosen))


# The summary: one row, a few values per column ------------------------------------------------


def _summary(con: Connection, rows: int, fields: list[dict[str, Any]]) -> list[ColumnProfile]:
    if not fields:
        return []
    parts: list[str] = []
    for described in fields:
        parts.extend(_summary_sql(quote(described["name"]), described["type"], rows))
    values = list(run(con, f"SELECT {', '.join(parts)} FROM t").fetchone() or ())
    columns = []
    for described in fields:
        empty, distinct, minimum, maximum = values[:4]
        del values[:4]
        columns.append(ColumnProfile(
            name=described["name"], type=described["type"], empty=int(empty or 0),
            distinct=None if distinct is None else int(distinct),
            distinct_is_estimate=distinct is not None and rows > EXACT_DISTINCT_ROWS,
            minimum=minimum, maximum=maximum))
    return columns


def _summary_sql(column: str, kind: str, rows: int) -> list[str]:
    """Empty cells, distinct values, minimum, maximum (NULL where they mean nothing)."""
    textual = kind not in (*NUMERIC, *TEMPORAL, "boolean")
    empty = (f"count(*) FILTER (WHERE {column} IS NULL OR trim(CAST({column} AS VARCHAR)) = '')"
             if textual else f"count(*) FILTER (WHERE {column} IS NULL)")
    if kind in ("geojson", "object"):
        distinct = "NULL"
    elif rows > EXACT_DISTINCT_ROWS:
        distinct = f"approx_count_distinct({column})"
    else:
        distinct = f"count(DISTINCT {column})"
    if kind in NUMERIC or kind in TEMPORAL:
        finite = f" FILTER (WHERE isfinite(CAST({column} AS DOUBLE)))" if kind == "number" \
            else ""
        bounds = [f"min({column}){finite}", f"max({column}){finite}"]
    else:
        bounds = ["NULL", "NULL"]
    return [empty, distinct, *bounds]


# Histograms: one statement, a UNION ALL of one part per column --------------------------------


def _histograms(con: Connection, rows: int, columns: list[ColumnProfile]) -> None:
    parts: list[str] = []
    params: list[Any] = []
    plans: dict[int, Any] = {}
    for index, column in enumerate(columns):
        planned = _plan(index, column, rows)
        if planned is None:
            continue
        sql, values, plan = planned
        parts.append(sql)
        params.extend(values)
        plans[index] = plan
    if not parts:
        return
    found: dict[int, list[tuple[Any, int]]] = {}
    for index, key, count in run(con, " UNION ALL ".join(parts), params).fetchall():
        found.setdefault(int(index), []).append((key, int(count)))
    for index, plan in plans.items():
        _fill(columns[index], plan, found.get(index, []))


def _plan(index: int, column: ColumnProfile, rows: int,
          ) -> tuple[str, list[Any], Any] | None:
    """(SQL of this column's part, its parameters, what the keys it returns mean)."""
    name = quote(column.name)
    present = f"{name} IS NOT NULL"
    if column.type in NUMERIC and column.minimum is not None:
        return _numeric_plan(index, column, name)
    if column.type in TEMPORAL and column.minimum is not None:
        unit = "month" if _months(column.minimum, column.maximum) < MONTHS_SHOWN else "year"
        column.histogram_kind = f"{unit}s"
        key = f"CAST(CAST(date_trunc('{unit}', {name}) AS DATE) AS VARCHAR)"
        return (f"SELECT {index}, {key} AS k, count(*) FROM t WHERE {present} GROUP BY k",
                [], "time")
    if column.type == "geojson":
        value = f"json_extract_string({name}, '$.type')"
    elif column.type in ("string", "boolean"):
        value = f"left(CAST({name} AS VARCHAR), {LABEL_LENGTH})"
    else:
        return None
    filled = rows - column.empty
    if column.type == "string" and column.distinct is not None and filled > TOP_VALUES \
            and column.distinct >= filled * UNIQUE_SHARE:
        column.histogram_kind = "unique"
        return None
    column.histogram_kind = "top"
    return (f"SELECT * FROM (SELECT {index}, {value} AS k, count(*) AS n FROM t "
            f"WHERE {present} AND trim(CAST({name} AS VARCHAR)) <> '' GROUP BY k "
            f"ORDER BY n DESC, k LIMIT {TOP_VALUES})", [], "top")


def _numeric_plan(index: int, column: ColumnProfile, name: str,
                  ) -> tuple[str, list[Any], Any]:
    low, high = float(column.minimum), float(column.maximum)
    column.histogram_kind = "bins"
    if column.type == "integer":
        width = max(1.0, math.ceil((high - low + 1) / BINS))
    else:
        width = (high - low) / BINS or 1.0
    finite = f" AND isfinite(CAST({name} AS DOUBLE))" if column.type == "number" else ""
    bucket = f"least(floor((CAST({name} AS DOUBLE) - ?) / ?), {BINS - 1})"
    sql = (f"SELECT {index}, CAST(CAST({bucket} AS BIGINT) AS VARCHAR) AS k, count(*) FROM t "
           f"WHERE {name} IS NOT NULL{finite} GROUP BY k")
    return sql, [low, width], ("bins", low, width, column.type == "integer")


def _fill(column: ColumnProfile, plan: Any, found: list[tuple[Any, int]]) -> None:
    if plan == "top":
        column.histogram = [Bar(key, None, count) for key, count in found]
    elif plan == "time":
        column.histogram = [Bar(date.fromisoformat(key), None, count)
                            for key, count in sorted(found)]
    else:
        _kind, low, width, whole = plan
        counts = {int(key): count for key, count in found}
        if column.minimum == column.maximum:
            column.histogram = [Bar(column.minimum, column.maximum, sum(counts.values()))]
            return
        last = max(counts, default=0)
        column.histogram = [_bin(low, width, whole, number, counts.get(number, 0))
                            for number in range(last + 1)]


def _bin(low: float, width: float, whole: bool, number: int, count: int) -> Bar:
    start = low + number * width
    if whole:
        return Bar(int(start), int(start + width - 1), count)
    return Bar(start, start + width, count)


def _months(first: date | datetime, last: date | datetime) -> int:
    return (last.year - first.year) * 12 + last.month - first.month
