"""`kill -9` of the job worker mid-run: the next worker takes the run over and finishes it, and
the killed run's work folder goes.

Real processes: a Huey consumer (`portal run_huey`) with its own VAR_DIR and SQLite database,
reading a resource that links to a server in this test. The server sends the file but its last
byte and holds it, so the run is certainly in the middle when the worker is killed; nothing
sleeps, the test polls the database with a deadline.
"""

from __future__ import annotations

import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from portal.lib.tests.conftest import LocalServer, running
from tests.live import DEADLINE, PORTAL, ROOT, SETUP, Slow, portal, portal_env, tables, until

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


@pytest.fixture
def files() -> Iterator[LocalServer]:
    yield from running(LocalServer())


def worker(env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as output:  # a file, not a pipe that could fill and stall the worker
        return subprocess.Popen([*PORTAL, "run_huey"], env=env, cwd=ROOT, stdout=output,
                                stderr=subprocess.STDOUT)


def test_a_run_killed_with_its_worker_is_taken_over_and_its_folder_removed(
        files: LocalServer, tmp_path: Path) -> None:
    slow = Slow()
    files.routes["/slow.csv"] = slow
    var = tmp_path / "var"
    env = portal_env(var, files.port, DATASTORE_HEARTBEAT_TIMEOUT="12")  # a beat every second
    portal(env, "migrate", "--noinput", "-v0")
    portal(env, "shell", "-c", SETUP.format(url=files.url("")))
    first = worker(env, tmp_path / "first.log")
    second: subprocess.Popen[bytes] | None = None
    try:
        assert slow.first_request.wait(DEADLINE), "the worker never asked for the file"
        state, _attempts, begun, _beat, _current, _worker = tables(var)["Slow"]
        assert state == "running"
        until(lambda: tables(var)["Slow"][3] > begun, "a heartbeat while the download waits")
        assert [path.name.split("-")[:3] for path in (var / "datastore-work").iterdir()] == [
            ["1", "1", "1"]]  # the run's folder: table 1, request 1, first start

        first.kill()
        first.wait(DEADLINE)
        assert tables(var)["Slow"][0] == "running"  # what the killed worker left
        portal(env, "shell", "-c", LOST_JOB)

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
