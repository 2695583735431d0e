"""Datasette serving the same CSV from SQLite, loaded by sqlite-utils, queried over HTTP.

Both tools live in `benchmarks/.venv`, which this module creates: they are the peers' tools,
never the product's dependencies.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlencode

import gen_csv
from measure import (
    AGGREGATE,
    EXPORT,
    INGEST,
    PAGE,
    Result,
    SystemRun,
    count_rows,
    free_port,
    http_get,
    http_json,
    repeat,
    run_timed,
    start_server,
    stop_server,
    wait_for_http,
)

HERE = Path(__file__).resolve().parent
VENV = HERE / ".venv"
REQUIREMENTS = HERE / "requirements.txt"
TABLE = "t"
SETTINGS = {
    "sql_time_limit_ms": "3600000",  # the default 1 s would cut the count and the export short
    "max_csv_mb": "0",  # the default 100 MB would truncate the export
    "suggest_facets": "off",  # facet suggestions are not part of the query being measured
}


def ensure_venv() -> Path:
    """Create `benchmarks/.venv` with requirements.txt, again whenever the file changes."""
    digest = hashlib.sha256(REQUIREMENTS.read_bytes()).hexdigest()
    stamp = VENV / ".requirements-sha256"
    if stamp.exists() and stamp.read_text() == digest:
        return VENV / "bin"
    print("  datasette: installing the peers' tools into benchmarks/.venv", flush=True)
    subprocess.run([sys.executable, "-m", "venv", "--clear", str(VENV)], check=True)
    subprocess.run([str(VENV / "bin" / "pip"), "install", "--quiet", "--disable-pip-version-check",
                    "-r", str(REQUIREMENTS)], check=True)
    stamp.write_text(digest)
    return VENV / "bin"


def _version(command: list[str]) -> str:
    """`datasette, version 0.65.5` -> `0.65.5`."""
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    lines = done.stdout.strip().splitlines()
    return lines[-1].rsplit(" ", 1)[-1] if lines else "?"


class DatasetteServer:
    def __init__(self, bin_dir: Path, database: Path, log: Path) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        command = [str(bin_dir / "datasette"), "serve", str(database), "--port", str(self.port)]
        for name, value in SETTINGS.items():
            command += ["--setting", name, value]
        self.process = start_server(command, dict(os.environ), log)
        self.db = database.stem
        wait_for_http(f"{self.base}/-/versions.json", self.process)

    def stop(self) -> None:
        stop_server(self.process)

    def sqlite_version(self) -> str:
        status, body = http_json(f"{self.base}/-/versions.json")
        return str(body["sqlite"]["version"]) if status == 200 else "?"

    def page(self) -> str:
        query = urlencode({f"{gen_csv.FILTER_COLUMN}__gte": gen_csv.FILTER_VALUE,
                           "_sort_desc": gen_csv.FILTER_COLUMN, "_size": "100"})
        status, body = http_json(f"{self.base}/{self.db}/{TABLE}.json?{query}")
        if status != 200 or len(body["rows"]) != 100:
            raise RuntimeError(f"Datasette's page failed ({status}): {str(body)[:300]}")
        return f"total {body['filtered_table_rows_count']}"

    def aggregate(self) -> str:
        group, amount = gen_csv.GROUP_COLUMN, gen_csv.SUM_COLUMN
        # The names are the generator's constants, not input.
        statement = (f"select {group}, count(*) as n, sum({amount}) as total, "  # noqa: S608
                     f"avg({amount}) as mean from {TABLE} group by {group} order by {group}")
        status, body = http_json(f"{self.base}/{self.db}.json?{urlencode({'sql': statement})}")
        if status != 200:
            raise RuntimeError(f"Datasette's group-by failed ({status}): {str(body)[:300]}")
        return f"{len(body['rows'])} groups"

    def export(self, sink: Path) -> str:
        status, _, size = http_get(f"{self.base}/{self.db}/{TABLE}.csv?_stream=on&_size=max",
                                   sink=sink)
        if status != 200:
            raise RuntimeError(f"Datasette's export failed ({status})")
        return f"{size} bytes"


def run(csv: Path, times: int, scratch: Path, export_times: int, keep: bool = False
        ) -> SystemRun:
    result = SystemRun("datasette")
    bin_dir = ensure_venv()
    result.versions = {"Datasette": _version([str(bin_dir / "datasette"), "--version"]),
                       "sqlite-utils": _version([str(bin_dir / "sqlite-utils"), "--version"])}
    database = scratch / "data.db"
    database.unlink(missing_ok=True)
    # sqlite-utils 4 detects the column types by default (3.x needed --detect-types).
    seconds, cpu = run_timed([str(bin_dir / "sqlite-utils"), "insert", str(database), TABLE,
                              str(csv), "--csv"])
    result.add(Result(INGEST, [seconds], f"{database.stat().st_size} bytes of SQLite",
                      {"sqlite-utils insert --csv (types detected)": seconds,
                       "its CPU time (user + system)": cpu}))
    print(f"  datasette: sqlite-utils insert took {seconds:.1f} s", flush=True)
    server = DatasetteServer(bin_dir, database, scratch / "datasette.log")
    try:
        result.versions["SQLite"] = server.sqlite_version()
        result.add(repeat(PAGE, server.page, times))
        result.add(repeat(AGGREGATE, server.aggregate, times))
        sink = scratch / "datasette-export.csv"
        export = repeat(EXPORT, lambda: server.export(sink), export_times)
        export.answer = count_rows(sink)
        result.add(export)
        sink.unlink(missing_ok=True)
    finally:
        server.stop()
        if not keep:
            database.unlink(missing_ok=True)
    result.notes.append("Datasette " + ", ".join(f"{name}={value}"
                                                for name, value in SETTINGS.items()))
    return result
