"""Helpers for the tests that run the portal's real processes (`portal serve`, `portal
run_huey`) with their own VAR_DIR and SQLite database: the commands, a catalogue with a linked
file whose download a test holds back, polling with a deadline, and the processes of a run
found in /proc.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

from portal.lib.tests.conftest import send

ROOT = Path(__file__).resolve().parents[1]
PORTAL = [sys.executable, "-m", "portal.manage"]
BODY = b"ma_xa,ten_xa,dan_so\n15001,Hoa Lu,12000\n15002,Gia Vien,8000\n"
DEADLINE = 90.0  # seconds any one step may take on a busy machine

# An editor's dataset with a resource that links to /slow.csv on the test's file server: its
# ingestion job is queued, for the first job worker that starts.
SETUP = """
from portal.catalog import services
from portal.catalog.models import ResourceKind
from portal.lib import factories

agency = factories.make_agency()
editor = factories.make_user(role="editor", agency=agency)
dataset = factories.make_dataset(agency=agency, user=editor)
services.resource_create(user=editor, dataset=dataset, data=services.ResourceFields(
    name="Slow", kind=ResourceKind.LINK, url="{url}/slow.csv", format="CSV"))
"""


class Slow:
    """The file, held back by its last byte on the first request until `release` is set (or
    the test's server stops); whole on the next requests."""

    def __init__(self) -> None:
        self.first_request = threading.Event()
        self.release = threading.Event()
        self.requests = 0

    def __call__(self, handler: BaseHTTPRequestHandler) -> None:
        self.requests += 1
        if self.requests > 1:
            send(handler, BODY)
            return
        handler.send_response(200)
        handler.send_header("Content-Length", str(len(BODY)))
        handler.end_headers()
        handler.wfile.write(BODY[:-1])
        handler.wfile.flush()
        self.first_request.set()
        stop: threading.Event = handler.server.stop  # type: ignore[attr-defined]  # LocalServer
        until(lambda: self.release.is_set() or stop.is_set(), "the test to release the file")
        handler.wfile.write(BODY[-1:])


def portal_env(var: Path, files_port: int, **extra: str) -> dict[str, str]:
    """The environment of a portal whose state is all in `var`, allowed to fetch from the
    test's file server."""
    env = os.environ | {"VAR_DIR": str(var), "DATABASE_URL": "", "SECRET_KEY": "x" * 50,
                        "FETCH_ALLOWED_HOSTS": f"127.0.0.1:{files_port}", **extra}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return env


def portal(env: dict[str, str], *command: str) -> None:
    subprocess.run([*PORTAL, *command], env=env, cwd=ROOT, check=True)


def until(check: Callable[[], Any], what: str, seconds: float = DEADLINE) -> Any:
    """Poll `check` until it gives a true value, for at most `seconds`."""
    deadline = time.monotonic() + seconds
    while not (found := check()):
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        threading.Event().wait(0.1)
    return found


def tables(var: Path) -> dict[str, tuple[Any, ...]]:
    """name → (state, attempts, started, heartbeat, has a current version, worker) of every
    table."""
    with sqlite3.connect(var / "portal.sqlite3", timeout=30) as db:
        rows = db.execute(
            "SELECT r.name, t.state, t.attempts, t.started, t.heartbeat, t.current_id, t.worker "
            "FROM datastore_datatable t JOIN catalog_resource r ON r.id = t.resource_id")
        return {row[0]: (*row[1:5], row[5] is not None, row[6]) for row in rows}


def processes_of(var: Path) -> dict[int, str]:
    """pid → command line of every live process started with this VAR_DIR in its environment:
    `serve`, gunicorn's master and workers, the job worker, the query processes, whatever they
    started — wherever they were moved since (a process group, a new parent)."""
    marker = f"VAR_DIR={var}".encode()
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if marker in (entry / "environ").read_bytes().split(b"\0"):
                found[int(entry.name)] = (entry / "cmdline").read_bytes().replace(
                    b"\0", b" ").decode(errors="replace").strip()
        except OSError:  # ended meanwhile, or not ours to read
            continue
    return found
