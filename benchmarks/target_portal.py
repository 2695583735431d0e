"""Our portal over HTTP: upload the CSV through /api/v1, wait for the datastore, then query it.

The contract this relies on (issue 4):
- `GET /api/v1/resources/{id}/datastore` answers `{"state": ...}`, `"ready"` once queryable
  (`"failed"` stops the benchmark), with the job's `started` and `finished` times; while it
  answers 404 the datastore is not there and the portal is skipped;
- `GET /api/v1/resources/{id}/records?<column>=gte.<value>&sort=-<column>&limit=100`
  answers `{"fields", "records", "total", "total_is_estimate", "next"}`;
- `GET /api/v1/resources/{id}/aggregate?group_by=<column>&metrics=count,sum:<c>,avg:<c>`;
- `GET /api/v1/resources/{id}/export.csv`, streamed;
- `portal datastore ingest RESOURCE_ID --sync` ingests in the foreground (its peak RSS is
  measured).
"""

from __future__ import annotations

import datetime as dt
import math
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import gen_csv
from measure import (
    AGGREGATE,
    COPY_ONLY,
    EXPORT,
    INGEST,
    PAGE,
    Result,
    SystemRun,
    count_rows,
    free_port,
    http_get,
    http_json,
    http_upload,
    peak_rss_mib,
    repeat,
    start_server,
    stop_server,
    wait_for_http,
)

ROOT = Path(__file__).resolve().parent.parent
PORTAL = ROOT / ".venv" / "bin" / "portal"
READY_TIMEOUT = 4 * 3600  # seconds
FAILED = ("failed", "needs_encoding", "unsupported")


class DatastoreMissing(Exception):
    """The portal answers 404 for the datastore state: the datastore is not built yet."""


class Portal:
    """A portal of its own: a fresh VAR_DIR and SQLite database, one agency, one editor."""

    def __init__(self, var_dir: Path) -> None:
        var_dir.mkdir(parents=True, exist_ok=True)
        self.var_dir = var_dir
        self.log = var_dir / "benchmark.log"
        # Uploads as big as the benchmark's; rate limits out of the way of the polling.
        self.env = dict(os.environ) | {
            "VAR_DIR": str(var_dir), "DATABASE_URL": f"sqlite:///{var_dir / 'portal.sqlite3'}",
            "MAX_UPLOAD_SIZE": "1000GiB", "RATE_LIMIT_TOKEN": "1000000/m",
            "RATE_LIMIT_ANONYMOUS": "1000000/m", "DEBUG": "false", "LOG_LEVEL": "WARNING"}
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None
        self.headers: dict[str, str] = {}

    def command(self, *args: str, stdin: str | None = None) -> str:
        done = subprocess.run([str(PORTAL), *args], env=self.env, input=stdin, text=True,
                              capture_output=True, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"portal {' '.join(args)} failed: {done.stderr.strip()[-500:]}")
        return done.stdout

    def set_up(self) -> None:
        self.command("migrate", "--noinput")
        # No command creates an agency (the operating unit uses /admin/): the shell does.
        self.command("shell", "-c", "from portal.agencies.models import Agency; "
                     "Agency.objects.create(name='Sở Thử nghiệm hiệu năng', slug='bench')")
        self.command("users", "create", "bench", "--email", "bench@example.org",
                     "--role", "editor", "--agency", "bench")
        token = self.command("tokens", "create", "bench", "--name", "benchmark")
        self.headers = {"Authorization": f"Bearer {token.strip().splitlines()[-1]}"}

    def start(self) -> None:
        self.process = start_server([str(PORTAL), "serve", "--port", str(self.port)],
                                    self.env, self.log)
        wait_for_http(f"{self.base}/api/v1/sectors", self.process)

    def stop(self) -> None:
        if self.process is not None:
            stop_server(self.process)

    def api(self, method: str, path: str, body: Any = None) -> tuple[int, Any]:
        return http_json(f"{self.base}/api/v1{path}", self.headers, method, body)

    def create_dataset(self, name: str) -> str:
        status, body = self.api("POST", "/datasets", {"name": name, "title": f"Benchmark {name}"})
        if status != 201:
            raise RuntimeError(f"creating the dataset failed ({status}): {body}")
        return str(body["id"])

    def upload_and_wait(self, dataset: str, csv: Path) -> tuple[str, float, Any]:
        """Upload `csv` as a resource; seconds from the upload's start to `ready`, and the
        datastore's state (with `upload_seconds` added: until the upload was answered)."""
        start = time.perf_counter()
        status, body = http_upload(f"{self.base}/api/v1/datasets/{dataset}/resources", csv,
                                   {"name": csv.stem, "format": "CSV"}, self.headers)
        uploaded = time.perf_counter() - start
        if status != 201:
            raise RuntimeError(f"the upload failed ({status}): {str(body)[:300]}")
        resource = str(body["id"])
        state: Any = None
        while time.perf_counter() - start < READY_TIMEOUT:
            status, state = self.api("GET", f"/resources/{resource}/datastore")
            if status == 404:
                raise DatastoreMissing(resource)
            if status == 200 and state.get("state") == "ready":
                return resource, time.perf_counter() - start, state | {
                    "upload_seconds": uploaded}
            if status == 200 and state.get("state") in FAILED:
                raise RuntimeError(f"the portal did not read the CSV: {state}")
            time.sleep(0.1)
        raise RuntimeError(f"not ready after {READY_TIMEOUT} s: {state}")

    def page(self, resource: str) -> str:
        query = urlencode({gen_csv.FILTER_COLUMN: f"gte.{gen_csv.FILTER_VALUE}",
                           "sort": f"-{gen_csv.FILTER_COLUMN}", "limit": "100"})
        status, body = self.api("GET", f"/resources/{resource}/records?{query}")
        if status != 200 or len(body["records"]) != 100:
            raise RuntimeError(f"the portal's page failed ({status}): {str(body)[:300]}")
        estimate = " (estimate)" if body.get("total_is_estimate") else ""
        return f"total {body['total']}{estimate}"

    def aggregate(self, resource: str) -> str:
        amount = gen_csv.SUM_COLUMN
        query = urlencode({"group_by": gen_csv.GROUP_COLUMN,
                           "metrics": f"count,sum:{amount},avg:{amount}"})
        status, body = self.api("GET", f"/resources/{resource}/aggregate?{query}")
        if status != 200:
            raise RuntimeError(f"the portal's aggregate failed ({status}): {str(body)[:300]}")
        groups = body.get("records", body.get("groups")) if isinstance(body, dict) else body
        return f"{len(groups)} groups" if isinstance(groups, list) else "groups: ?"

    def export(self, resource: str, sink: Path) -> str:
        status, _, size = http_get(f"{self.base}/api/v1/resources/{resource}/export.csv",
                                   self.headers, sink=sink)
        if status != 200:
            raise RuntimeError(f"the portal's export failed ({status})")
        return f"{size} bytes"

    def ingest_peak_rss(self, resource: str) -> float:
        code, mib = peak_rss_mib([str(PORTAL), "datastore", "ingest", resource, "--sync"],
                                 self.env, self.log)
        status, state = self.api("GET", f"/resources/{resource}/datastore")
        if code != 0 or status != 200 or state.get("state") != "ready":
            raise RuntimeError(f"portal datastore ingest {resource} --sync failed (exit {code}, "
                               f"state {state}); see {self.log}")
        return mib


def _duckdb_version() -> str:
    done = subprocess.run([sys.executable, "-c", "import duckdb; print(duckdb.__version__)"],
                          capture_output=True, text=True, check=False)
    return done.stdout.strip() or "not installed"


def _job_seconds(state: Any) -> float:
    """The ingestion job's own time, from the datastore's `started` and `finished`."""
    started, finished = (dt.datetime.fromisoformat(state[key].replace("Z", "+00:00"))
                         for key in ("started", "finished"))
    return (finished - started).total_seconds()


def run(csv: Path, times: int, scratch: Path, export_times: int, ingest_times: int = 1,
        memory_csv: Callable[[], Path] | None = None) -> SystemRun:
    """The CSV is uploaded `ingest_times` times (a new resource each time; the queries use the
    last). `memory_csv` makes the bigger CSV for the memory measurement, once the datastore is
    known to be there."""
    result = SystemRun("portal", versions={"DuckDB": _duckdb_version()})
    portal = Portal(scratch / "portal-var")
    portal.set_up()
    portal.start()
    try:
        dataset = portal.create_dataset("benchmark")
        loads: list[tuple[float, float, float]] = []  # whole, upload, job
        for _ in range(ingest_times):
            try:
                resource, seconds, state = portal.upload_and_wait(dataset, csv)
            except DatastoreMissing as missing:
                result.notes.append(f"skipped: GET /api/v1/resources/{missing}/datastore "
                                    "answers 404 (the datastore is not built yet)")
                print(f"  portal: {result.notes[-1]}", flush=True)
                return result
            loads.append((seconds, state["upload_seconds"], _job_seconds(state)))
            print(f"  portal: ready after {seconds:.1f} s (upload {loads[-1][1]:.1f} s, "
                  f"ingestion job {loads[-1][2]:.1f} s)", flush=True)
        answer = f"{state.get('rows')} rows, version {state.get('version')}"
        wholes, uploads, jobs = (list(column) for column in zip(*loads, strict=True))
        result.add(Result(INGEST, wholes, answer, {
            "upload through /api/v1 (sent, hashed, stored; median)": statistics.median(uploads),
            "ingestion job (started → finished; median)": statistics.median(jobs)}))
        result.add(Result(COPY_ONLY, jobs, answer))
        result.add(repeat(PAGE, lambda: portal.page(resource), times))
        result.add(repeat(AGGREGATE, lambda: portal.aggregate(resource), times))
        sink = scratch / "portal-export.csv"
        export = repeat(EXPORT, lambda: portal.export(resource, sink), export_times)
        export.answer = count_rows(sink)
        result.add(export)
        sink.unlink(missing_ok=True)
        _measure_memory(portal, result, dataset, resource, csv, memory_csv)
    finally:
        portal.stop()
    return result


def _measure_memory(portal: Portal, result: SystemRun, dataset: str, resource: str, csv: Path,
                    make_memory_csv: Callable[[], Path] | None) -> None:
    """Peak RSS of `portal datastore ingest --sync`, on the benchmark CSV and on a bigger one.

    The bigger file is uploaded first and left to the job worker, so that the foreground
    ingestion does not run beside a background one.
    """
    result.memory[f"{csv.stat().st_size / 2**20:,.0f} MiB CSV"] = portal.ingest_peak_rss(resource)
    if make_memory_csv is None:
        return
    memory_csv = make_memory_csv()
    big, seconds, _ = portal.upload_and_wait(dataset, memory_csv)
    result.notes.append(f"the {memory_csv.stat().st_size / 2**30:.2f} GiB CSV was ready "
                        f"{seconds:.1f} s after its upload began")
    result.memory[f"{memory_csv.stat().st_size / 2**20:,.0f} MiB CSV"] = portal.ingest_peak_rss(big)


def rows_for_size(csv: Path, rows: int, gib: float) -> int:
    """Rows of the generated data that make a CSV of about `gib` GiB."""
    return math.ceil(gib * 2**30 / (csv.stat().st_size / rows))
