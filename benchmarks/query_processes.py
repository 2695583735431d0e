"""The cost of running a data query in a query process (portal/datastore/processes.py) instead of
in the web process: the median added latency of a trivial round trip, of a 10-row page of
records and of a trivial SQL statement (parse, check, run).

    .venv/bin/python benchmarks/query_processes.py [--repeat 200]

Run from the project's folder; it uses the portal's settings and a throw-away Parquet file.
"""

# ruff: noqa: S608 - the statements are the benchmark's own

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any


def timed(function: Callable[[], Any], repeat: int) -> tuple[float, float]:
    """(median, 95th percentile) in milliseconds, after one warm-up call."""
    function()
    spent = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        spent.append((time.perf_counter() - started) * 1000)
    return statistics.median(spent), statistics.quantiles(spent, n=20)[18]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=200)
    repeat = parser.parse_args().repeat
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    import django

    django.setup()
    import duckdb

    from portal.datastore import processes, query, sql

    path = Path(tempfile.mkdtemp()) / "table.parquet"
    con = duckdb.connect()
    con.execute(f"COPY (SELECT range AS a, 'x' || range AS b FROM range(1000)) TO '{path}' "
                "(FORMAT parquet)")
    con.close()
    table = query.Table(file="", rows=1000, schema={"fields": [
        {"name": "_id", "type": "integer"}, {"name": "a", "type": "integer"},
        {"name": "b", "type": "string"}]})
    page = query.RecordsQuery(limit=10)
    name = "00000000-0000-0000-0000-000000000001"
    statement = f'SELECT a FROM "{name}" LIMIT 1'
    files = {name: str(path)}
    rows = [
        ("round trip (len)", lambda: len("x"), lambda: processes.call(len, "x")),
        ("records, 10 rows", lambda: query.records_from(path, table, page),
         lambda: processes.call(query.records_from, path, table, page)),
        ("SQL, trivial", lambda: (sql.tables_of(statement), sql.run_checked(statement, files)),
         lambda: (processes.call(sql.tables_of, statement),
                  processes.call(sql.run_checked, statement, files))),
    ]
    print("| what | in the web process (median, p95 ms) | in a query process | added (median) |")
    print("|---|---|---|---|")
    for label, here, there in rows:
        local, pooled = timed(here, repeat), timed(there, repeat)
        print(f"| {label} | {local[0]:.2f}, {local[1]:.2f} | {pooled[0]:.2f}, {pooled[1]:.2f} "
              f"| {pooled[0] - local[0]:.2f} |")
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
