"""SQL from the public: one read-only SELECT over resource tables, or a clear refusal.

A statement longer than DATASTORE_SQL_MAX_LENGTH is refused before anything reads it. The rest
happens in a query process (processes.py: its memory and time are bounded, and it is killed
when it overruns): DuckDB parses the statement and sqltree checks the parse (one SELECT over
resource tables, every function on the allow-list). The caller's selectors then say which of
the named tables it may read, and a second call parses and checks the same text again in the
sandbox that can read only those tables' Parquet files (engine.sandbox) and runs it, so what
runs is what was checked. The rows stream back until DATASTORE_SQL_MAX_ROWS rows or
DATASTORE_MAX_RESULT_SIZE bytes; a longer result is cut and flagged, with the reason.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from portal.datastore import processes, storage
from portal.datastore.engine import Connection, QueryTooLarge, run, sandbox, streaming
from portal.datastore.sqltree import TABLE_NAME, SqlRefused, statement, tables
from portal.datastore.values import json_size, unique_names

__all__ = ["TABLE_NAME", "SqlRefused", "SqlResult", "execute", "parse"]

FETCH_ROWS = 500
TRUNCATED_ROWS = "rows"
TRUNCATED_SIZE = "size"


@dataclass
class SqlResult:
    columns: list[str]
    types: list[str]
    rows: list[tuple[Any, ...]]
    truncated: bool
    truncated_reason: str = ""  # TRUNCATED_ROWS or TRUNCATED_SIZE when truncated


def execute(sql: str, *, resolve: Callable[[list[str]], dict[str, dict[str, Any]]],
            ) -> SqlResult:
    """Run a public SQL statement. `resolve` maps the table names to the sheets the caller may
    read (raising NotFound for any other), so permission stays with the caller's selectors."""
    names = parse(sql)
    sheets = resolve(names)
    files = {name: str(storage.readable(sheet["file"])) for name, sheet in sheets.items()}
    return processes.call(run_checked, sql, files)


def parse(sql: str) -> list[str]:
    """The resource tables a public statement reads, or SqlRefused saying why it may not run."""
    _check_length(sql)
    return processes.call(tables_of, sql)


def _check_length(sql: str) -> None:
    if not sql.strip():
        raise SqlRefused(_("Write a SELECT statement."), {"sql": [_("This field is required.")]})
    limit = settings.DATASTORE_SQL_MAX_LENGTH
    if len(sql) > limit:
        raise SqlRefused(_("The statement has %(length)s characters; at most %(max)s are "
                           "allowed.") % {"length": len(sql), "max": limit},
                         {"sql": [_("At most %(max)s characters.") % {"max": limit}]})


# In a query process -------------------------------------------------------------------------


def tables_of(sql: str) -> list[str]:
    with sandbox({}) as con:
        return _checked(con, sql)


def run_checked(sql: str, files: dict[str, str]) -> SqlResult:
    with sandbox({name: Path(path) for name, path in files.items()}) as con:
        if not set(_checked(con, sql)) <= set(files):
            raise SqlRefused(_("The statement reads a table it was not checked for."))
        return _fetch(con, sql)


def _checked(con: Connection, sql: str) -> list[str]:
    found = run(con, "SELECT json_serialize_sql(?)", [sql]).fetchone()
    return tables(statement(str(found[0]) if found else "{}"))


def _fetch(con: Connection, sql: str) -> SqlResult:
    max_rows, max_size = settings.DATASTORE_SQL_MAX_ROWS, settings.DATASTORE_MAX_RESULT_SIZE
    rows: list[tuple[Any, ...]] = []
    size, reason = 0, ""
    with streaming(con, sql) as cursor:
        described = cursor.description or []
        while not reason and (batch := cursor.fetchmany(FETCH_ROWS)):
            for row in batch:
                size += json_size(row)
                if len(rows) == max_rows or size > max_size:
                    reason = TRUNCATED_ROWS if len(rows) == max_rows else TRUNCATED_SIZE
                    break
                rows.append(row)
    if reason == TRUNCATED_SIZE and not rows:
        raise QueryTooLarge(_("One row of the result is larger than an answer may be "
                              "(%(size)s MiB). Select fewer or shorter columns, e.g. "
                              "left(column, 1000).") % {"size": max_size // 2**20})
    columns = unique_names([str(column[0]) for column in described])  # rows become objects
    types = [str(column[1]) for column in described]
    return SqlResult(columns, types, rows, bool(reason), reason)
