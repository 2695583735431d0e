"""DuckDB, behind two doors: a connection for ingestion and a locked sandbox for queries.

This module and `ingest.py` are the only ones that import DuckDB (the portal's rule). The query
sandbox reads only the Parquet files it is given: external access is off except for those
files, extensions cannot be installed or loaded, the configuration is locked after set-up, and
every statement runs under a time limit (the connection is interrupted) and a memory limit.
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

from portal.lib.errors import ApplicationError

Connection = duckdb.DuckDBPyConnection
DuckDBError = duckdb.Error

_BASE_CONFIG = {
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
}


class QueryTimeout(ApplicationError):
    pass


class QueryFailed(ApplicationError):
    pass


def quote(name: str) -> str:
    """A SQL identifier, quoted so that any column name (spaces, quotes, Vietnamese) is safe."""
    return '"' + name.replace('"', '""') + '"'


def literal(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def ingest_connection(temp_dir: Path) -> Connection:
    """A connection for one ingestion: bounded memory, spilling to `temp_dir` beyond it."""
    temp_dir.mkdir(parents=True, exist_ok=True)
    return duckdb.connect(config={
        **_BASE_CONFIG,
        "threads": settings.DATASTORE_THREADS,
        "memory_limit": settings.DATASTORE_INGEST_MEMORY_LIMIT,
        "temp_directory": str(temp_dir),
        "preserve_insertion_order": True,
    })


@contextmanager
def sandbox(tables: Mapping[str, Path]) -> Iterator[Connection]:
    """An in-memory connection that sees `tables` (view name → Parquet file) and nothing else."""
    con = duckdb.connect(config={
        **_BASE_CONFIG,
        "threads": settings.DATASTORE_THREADS,
        "memory_limit": settings.DATASTORE_MEMORY_LIMIT,
        "max_temp_directory_size": "0KiB",
    })
    try:
        files = sorted({str(path) for path in tables.values()})
        con.execute("SET allowed_paths = $files", {"files": files})
        con.execute("SET enable_external_access = false")
        con.execute("SET lock_configuration = true")
        for name, path in tables.items():
            con.execute(f"CREATE VIEW {quote(name)} AS SELECT * FROM read_parquet({literal(path)})")
        yield con
    finally:
        con.close()


def run(con: Connection, sql: str, params: list[Any] | None = None,
        *, timeout: float | None = None) -> duckdb.DuckDBPyConnection:
    """Execute under the time limit; the caller fetches from the returned cursor."""
    limit = settings.DATASTORE_QUERY_TIMEOUT if timeout is None else timeout
    timer = threading.Timer(limit, con.interrupt)
    timer.start()
    try:
        return con.execute(sql, params or [])
    except duckdb.InterruptException:
        raise QueryTimeout(_("The query took longer than %(seconds)s seconds and was stopped. "
                             "Add filters or ask for fewer rows.") % {"seconds": limit}) from None
    except duckdb.Error as error:
        raise QueryFailed(_("The query could not run: %(reason)s")
                          % {"reason": _reason(error)}) from None
    finally:
        timer.cancel()


def _reason(error: duckdb.Error) -> str:
    """DuckDB's message without the internal detail it appends (first line only)."""
    text = str(error).split("\n", 1)[0]
    return text.split(": ", 1)[-1] if ": " in text else text
