"""DuckDB, behind two doors: a connection for ingestion and a locked sandbox for queries.

This module and `ingest.py` are the only ones that import DuckDB (the portal's rule). The query
sandbox reads only the Parquet files it is given: external access is off except for those
files, extensions cannot be installed or loaded, the configuration is locked after set-up, and
every statement runs under a time limit (the connection is interrupted) and a memory limit.
An export's sandbox (export_sandbox) may besides write one file in the export's own folder.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb
from django.conf import settings
from django.utils.translation import gettext as _

from portal.lib.errors import ApplicationError, without_paths

Connection = duckdb.DuckDBPyConnection
DuckDBError = duckdb.Error

_BASE_CONFIG = {
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
}


class QueryTimeout(ApplicationError):
    """The caller's query ran past its own time limit: the request must change (a 4xx)."""


class QueryBusy(ApplicationError):
    """No query process came free in time: the server's state, not the request (a 503). The
    caller may try again after `retry_after` seconds."""

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = max(1, retry_after)


class QueryFailed(ApplicationError):
    pass


class QueryTooLarge(ApplicationError):
    """The query needed more memory than it may use, or its answer is too large."""


def timeout_message(seconds: float) -> str:
    return _("The query took longer than %(seconds)s seconds and was stopped. Add filters or "
             "ask for fewer rows.") % {"seconds": f"{seconds:g}"}


def memory_message(limit: int | str) -> str:
    """`limit`: bytes, or DuckDB's own spelling of a size (512MB)."""
    size = f"{limit // 2**20} MiB" if isinstance(limit, int) else limit
    return _("The query needed more memory than one query may use (%(size)s) and was stopped. "
             "Ask for fewer rows or columns, or build smaller lists and texts.") % {"size": size}


def quote(name: str) -> str:
    """A SQL identifier, quoted so that any column name (spaces, quotes, Vietnamese) is safe."""
    return '"' + name.replace('"', '""') + '"'


def literal(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def ingest_connection(temp_dir: Path) -> Connection:
    """A connection for one ingestion: bounded memory, spilling to `temp_dir` beyond it."""
    temp_dir.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(config={
        **_BASE_CONFIG,
        "threads": settings.DATASTORE_THREADS,
        "memory_limit": settings.DATASTORE_INGEST_MEMORY_LIMIT,
        "temp_directory": str(temp_dir),
        "preserve_insertion_order": True,
    })
    # Progress is read by ingest._polling (query_progress), never drawn on a terminal.
    con.execute("SET enable_progress_bar = true")
    con.execute("SET enable_progress_bar_print = false")
    return con


@contextmanager
def sandbox(tables: Mapping[str, Path]) -> Iterator[Connection]:
    """An in-memory connection that sees `tables` (view name → Parquet file) and nothing else."""
    con = _locked(tables, writable=[], config={"max_temp_directory_size": "0KiB"})
    try:
        yield con
    finally:
        con.close()


# An export's own folder: the one file COPY may write, and where a large sort may spill.
EXPORT_OUTPUT = "output"
EXPORT_SPILL = "spill"
EXPORT_SPILL_LIMIT = "4GiB"


@contextmanager
def export_sandbox(tables: Mapping[str, Path], folder: Path) -> Iterator[Connection]:
    """The sandbox of one export, working in the export's private `folder`.

    Besides reading `tables`, it may write exactly one file, `folder / EXPORT_OUTPUT` (with
    COPY ... TO), and spill a sort larger than the memory limit to `folder / EXPORT_SPILL` (at
    most EXPORT_SPILL_LIMIT). Everything else is as in `sandbox`: no other file, external
    access off, no extensions, the configuration locked.
    """
    con = _locked(tables, writable=[folder / EXPORT_OUTPUT], config={
        "temp_directory": str(folder / EXPORT_SPILL),
        "max_temp_directory_size": EXPORT_SPILL_LIMIT,
    })
    try:
        yield con
    finally:
        con.close()


def _locked(tables: Mapping[str, Path], *, writable: list[Path],
            config: dict[str, str]) -> Connection:
    con = duckdb.connect(config={
        **_BASE_CONFIG,
        "threads": settings.DATASTORE_THREADS,
        "memory_limit": settings.DATASTORE_MEMORY_LIMIT,
        **config,
    })
    try:
        files = sorted({str(path) for path in [*tables.values(), *writable]})
        con.execute("SET allowed_paths = $files", {"files": files})
        con.execute("SET enable_external_access = false")
        con.execute("SET enable_progress_bar_print = false")  # a server has no terminal
        # Deeper expressions are refused while parsing, before they can exhaust a stack.
        con.execute(f"SET max_expression_depth = {int(settings.DATASTORE_SQL_MAX_DEPTH)}")
        con.execute("SET lock_configuration = true")
        for name, path in tables.items():  # reads each file's footer: it may be damaged
            con.execute(f"CREATE VIEW {quote(name)} AS {_rows(path)}")
    except duckdb.Error as error:
        con.close()
        raise _failed(error) from None
    except BaseException:
        con.close()
        raise
    return con


# The row number `_id` (1 = the first data row) is the Parquet file's own row position, read
# with the rows: a stored row number would cost the ingestion a window over the whole table.
# Files written before that carry a stored `_id` of the same value; it is left out.
ROW_POSITION = "file_row_number"


def _rows(path: Path) -> str:
    return (f"SELECT {ROW_POSITION} + 1 AS _id, COLUMNS(lambda c: c NOT IN "
            f"('{ROW_POSITION}', '_id')) FROM read_parquet({literal(path)}, {ROW_POSITION} = true)")


def run(con: Connection, sql: str, params: list[Any] | None = None,
        *, timeout: float | None = None) -> duckdb.DuckDBPyConnection:
    """Execute under the time limit; the caller fetches from the returned cursor."""
    with _time_limit(con, timeout):
        return con.execute(sql, params or [])


def batches(con: Connection, sql: str, params: list[Any] | None = None, *, size: int = 2000,
            timeout: float | None = None) -> Iterator[list[tuple[Any, ...]]]:
    """The rows of a query, `size` at a time, as DuckDB streams them (its result is never
    materialised whole: see the exports' memory test). The time limit covers the whole read,
    including the time the caller spends between batches."""
    with streaming(con, sql, params, timeout=timeout) as cursor:
        while rows := cursor.fetchmany(size):
            yield rows


@contextmanager
def streaming(con: Connection, sql: str, params: list[Any] | None = None, *,
              timeout: float | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    """The cursor of a query, whose rows the caller fetches inside the block: DuckDB computes
    them as they are fetched, all under the time limit."""
    with _time_limit(con, timeout):
        yield con.execute(sql, params or [])


@contextmanager
def _time_limit(con: Connection, timeout: float | None) -> Iterator[None]:
    """Interrupt `con` after the limit; DuckDB's errors become the portal's."""
    limit = settings.DATASTORE_QUERY_TIMEOUT if timeout is None else timeout
    timer = threading.Timer(limit, con.interrupt)
    timer.start()
    try:
        yield
    except duckdb.InterruptException:
        raise QueryTimeout(timeout_message(limit)) from None
    except duckdb.OutOfMemoryException as error:
        # "bad allocation": the process's address space said no, not DuckDB's buffer manager
        limit = settings.DATASTORE_PROCESS_MEMORY if "bad allocation" in str(error) \
            else settings.DATASTORE_MEMORY_LIMIT
        raise QueryTooLarge(memory_message(limit)) from None
    except duckdb.Error as error:
        raise _failed(error) from None
    finally:
        timer.cancel()


def _failed(error: duckdb.Error) -> QueryFailed:
    return QueryFailed(_("The query could not run: %(reason)s") % {"reason": _reason(error)})


def _reason(error: duckdb.Error) -> str:
    """DuckDB's message without the internal detail it appends (first line only), and without
    the server's paths."""
    text = str(error).split("\n", 1)[0]
    return without_paths(text.split(": ", 1)[-1] if ": " in text else text)
