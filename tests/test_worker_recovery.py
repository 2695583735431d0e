"""`kill -9` of the job worker mid-run: the next worker takes the run over and finishes it, and
the killed run's work folder goes.

Real processes: a Huey consumer (`portal run_huey`) with its own VAR_DIR and SQLite database,
reading a resource that links to a server in this test. The server sends the file but its last
byte and holds it, so the run is certainly in the middle when the worker is killed; nothing
sleeps, the test polls the database with a deadline.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

import pytest

from portal.lib.tests.conftest import LocalServer, running, send

ROOT = Path(__file__).resolve().parents[1]
PORTAL = [sys.executable, "-m", "portal.manage"]
BODY = b"ma_xa,ten_xa,dan_so\n15001,Hoa Lu,12000\n15002,Gia Vien,8000\n"
DEADLINE = 90.0  # seconds any one step may take on a busy machine

SETUP = """
from datetime import timedelta
from django.utils import timezone
from portal.catalog import services
from portal.catalog.models import ResourceKind
from portal.datastore import services as datastore
from portal.datastore.models import DataTable
from portal.lib import factories

agency = factories.make_agency()
editor = factories.make_user(role="editor", agency=agency)
dataset = factories.make_dataset(agency=agency, user=editor)
services.resource_create(user=editor, dataset=dataset, data=services.ResourceFields(
    name="Slow", kind=ResourceKind.LINK, url="{url}/slow.csv", format="CSV"))
"""

LOST_JOB = """
from datetime import timedelta
from django.utils import timezone
from huey.contrib.djhuey import HUEY
from portal.catalog.models import Resource
from portal.datastore.models import DataTable
from portal.lib import factories

dataset = Resource.objects.get().dataset
resource = factories.make_resource(dataset=dataset, name="Lost", content=b"ma,ten\\n1,a\\n")
HUEY.flush()  # its job is lost, as one a killed worker had taken (or a lost Redis queue)
DataTable.objects.filter(resource=resource).update(
    requested=timezone.now() - timedelta(minutes=5))
"""


class Slow:
    """The file, held back by its last byte on the first request; whole afterwards."""

    def __init__(self) -> None:
        self.first_request = threading.Event()
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
        handler.server.stop.wait(DEADLINE)  # type: ignore[attr-defined]  # LocalServer


@pytest.fixture
def files() -> Iterator[LocalServer]:
    yield from running(LocalServer())


def until(check: Callable[[], Any], what: str) -> Any:
    """Poll `check` until it gives a true value, for at most DEADLINE seconds."""
    deadline = time.monotonic() + DEADLINE
    while not (found := check()):
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        threading.Event().wait(0.1)
    return found


def tables(var: Path) -> dict[str, tuple[Any, ...]]:
    """name → (state, attempts, started, heartbeat, has a current version) of every table."""
    with sqlite3.connect(var / "portal.sqlite3", timeout=30) as db:
        rows = db.execute(
            "SELECT r.name, t.state, t.attempts, t.started, t.heartbeat, t.current_id "
            "FROM datastore_datatable t JOIN catalog_resource r ON r.id = t.resource_id")
        return {row[0]: (*row[1:5], row[5] is not None) for row in rows}


def worker(env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as output:  # a file, not a pipe that could fill and stall the worker
        return subprocess.Popen([*PORTAL, "run_huey"], env=env, cwd=ROOT, stdout=output,
                                stderr=subprocess.STDOUT)


def test_a_run_killed_with_its_worker_is_taken_over_and_its_folder_removed(
        files: LocalServer, tmp_path: Path) -> None:
    slow = Slow()
    files.routes["/slow.csv"] = slow
    var = tmp_path / "var"
    env = os.environ | {"VAR_DIR": str(var), "DATABASE_URL": "", "SECRET_KEY": "x" * 50,
                        "FETCH_ALLOWED_HOSTS": f"127.0.0.1:{files.port}",
                        "DATASTORE_HEARTBEAT_TIMEOUT": "12"}  # a beat every second
    env.pop("DJANGO_SETTINGS_MODULE", None)
    subprocess.run([*PORTAL, "migrate", "--noinput", "-v0"], env=env, cwd=ROOT, check=True)
    subprocess.run([*PORTAL, "shell", "-c", SETUP.format(url=files.url(""))], env=env,
                   cwd=ROOT, check=True)
    first = worker(env, tmp_path / "first.log")
    second: subprocess.Popen[bytes] | None = None
    try:
        assert slow.first_request.wait(DEADLINE), "the worker never asked for the file"
        state, _attempts, begun, _beat, _current = tables(var)["Slow"]
        assert state == "running"
        until(lambda: tables(var)["Slow"][3] > begun, "a heartbeat while the download waits")
        assert [path.name.split("-")[:3] for path in (var / "datastore-work").iterdir()] == [
            ["1", "1", "1"]]  # the run's folder: table 1, request 1, first start

        first.kill()
        first.wait(DEADLINE)
        assert tables(var)["Slow"][0] == "running"  # what the killed worker left
        subprocess.run([*PORTAL, "shell", "-c", LOST_JOB], env=env, cwd=ROOT, check=True)

        second = worker(env, tmp_path / "second.log")
        done = until(lambda: all(row[0] == "ready" for row in tables(var).values())
                     and tables(var), "both tables to be read")
        assert done["Slow"][:2] == ("ready", 2)
        assert done["Slow"][4]
        assert done["Lost"][:2] == ("ready", 1)
        assert done["Lost"][4]
        # A run removes its folder just after it commits; the killed run's went at the start.
        until(lambda: not list((var / "datastore-work").iterdir()), "no work folder left")
    finally:
        for process in (first, second):
            if process is not None and process.poll() is None:
                process.send_signal(signal.SIGINT)
                process.wait(DEADLINE)
    output = (tmp_path / "second.log").read_text()
    assert "lost its worker; queued again" in output
    assert "had no job in the queue; queued again" in output
