"""`portal serve` (what `make run` ends with): gunicorn and the job worker, supervised.

Real processes, each test with its own VAR_DIR (a copy of one prepared per module), its own
port, and a job in flight: the resource links to a file on the test's server that holds back
its last byte. Stop signals come while a request and that job are in flight; afterwards no
process that had the test's VAR_DIR in its environment may be left. Nothing sleeps: every wait
polls with a deadline.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from portal.datastore.runstate import worker_gone
from portal.lib.tests.conftest import LocalServer, running
from tests.live import (
    DEADLINE,
    PORTAL,
    ROOT,
    SETUP,
    Slow,
    portal,
    portal_env,
    processes_of,
    tables,
    until,
)

GRACE = 8  # SHUTDOWN_GRACE_SECONDS of these tests: time enough to finish a small ingestion
MARGIN = 5  # what `serve` may take past the grace period to exit, on a busy machine
READY = "The portal answers at"

pytestmark = pytest.mark.xdist_group("serve")  # one prepared VAR_DIR for the module


@pytest.fixture(scope="module")
def files() -> Iterator[LocalServer]:
    yield from running(LocalServer())


@pytest.fixture(scope="module")
def prepared(files: LocalServer, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A VAR_DIR with the schema, the static files, and a resource whose ingestion is queued."""
    var = tmp_path_factory.mktemp("serve") / "var"
    env = portal_env(var, files.port)
    for command in (["migrate", "--noinput"], ["collectstatic", "--noinput"]):
        portal(env, *command, "-v0")
    portal(env, "shell", "-c", SETUP.format(url=files.url("")))
    return var


@pytest.fixture
def slow(files: LocalServer) -> Iterator[Slow]:
    files.routes["/slow.csv"] = file = Slow()
    yield file
    file.release.set()


class Served:
    """A `portal serve` of this test, its output in a file (a pipe could fill and stall it)."""

    def __init__(self, var: Path, files: LocalServer, *, ignore_sigint: bool) -> None:
        self.var, self.log, self.port = var, var.parent / "serve.log", free_port()
        self.home = var.parent / "home"  # where gunicorn would put a control socket
        env = portal_env(var, files.port, SHUTDOWN_GRACE_SECONDS=str(GRACE),
                         HOME=str(self.home))
        with self.log.open("wb") as output:
            self.process = subprocess.Popen(
                [*PORTAL, "serve", "--port", str(self.port), "--workers", "1"], env=env,
                cwd=ROOT, stdout=output, stderr=subprocess.STDOUT,
                # As a background job of a non-interactive shell starts: SIGINT ignored.
                preexec_fn=ignore_sigint_in_child if ignore_sigint else None)

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def wait_for_output(self, text: str) -> None:
        until(lambda: text in self.output() or self.process.poll() is not None,
              f"{text!r} in the output of serve")
        assert text in self.output(), self.output()

    def job_workers(self) -> list[int]:
        return [pid for pid, command in processes_of(self.var).items() if "run_huey" in command]

    def end(self) -> None:
        """Whatever the test did, leave nothing running."""
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(DEADLINE)
        for pid in processes_of(self.var):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)


def ignore_sigint_in_child() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def served(prepared: Path, files: LocalServer, slow: Slow,
           tmp_path: Path) -> Iterator[Callable[..., Served]]:
    started: list[Served] = []

    def start(*, ignore_sigint: bool = False) -> Served:
        var = tmp_path / "var"
        shutil.copytree(prepared, var)
        started.append(Served(var, files, ignore_sigint=ignore_sigint))
        return started[-1]
    yield start
    for server in started:
        server.end()


def request_in_flight(port: int) -> socket.socket:
    """A CKAN API call whose body is not sent yet, once gunicorn has handed it to the portal
    (it answers `100 Continue` to a request that asks for it just before it calls the portal)."""
    connection = socket.create_connection(("127.0.0.1", port), timeout=DEADLINE)
    connection.sendall(b"POST /api/3/action/package_list HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                       b"Content-Type: application/json\r\nContent-Length: 2\r\n"
                       b"Expect: 100-continue\r\n\r\n")
    assert connection.recv(100).startswith(b"HTTP/1.1 100 Continue")
    return connection


def answer(connection: socket.socket) -> bytes:
    connection.sendall(b"{}")
    received = b""
    while b'"success": true' not in received and (chunk := connection.recv(65536)):
        received += chunk
    connection.close()
    return received


@pytest.mark.parametrize(("signum", "ignore_sigint", "job_finishes"), [
    pytest.param(signal.SIGINT, False, True, id="SIGINT"),
    pytest.param(signal.SIGTERM, False, False, id="SIGTERM-job-cut-short"),
    pytest.param(signal.SIGINT, True, True, id="SIGINT-ignored-at-start"),
])
def test_a_stop_signal_lets_work_in_flight_finish_and_leaves_no_process(
        served: Callable[..., Served], slow: Slow, signum: signal.Signals, ignore_sigint: bool,
        job_finishes: bool) -> None:
    server = served(ignore_sigint=ignore_sigint)
    server.wait_for_output(READY)
    assert slow.first_request.wait(DEADLINE), "the job worker never asked for the file"
    request = request_in_flight(server.port)
    assert len(processes_of(server.var)) >= 4  # serve, gunicorn's master and worker, Huey

    asked = time.monotonic()
    server.process.send_signal(signum)
    server.wait_for_output("Handling signal: term")  # gunicorn was told to stop
    assert answer(request).startswith(b"HTTP/1.1 200 OK")
    if job_finishes:
        slow.release.set()
    assert server.process.wait(GRACE + MARGIN) == 0
    assert time.monotonic() - asked < GRACE + MARGIN

    until(lambda: not processes_of(server.var), "every process of serve to end", MARGIN)
    state, *_, worker = tables(server.var)["Slow"]
    if job_finishes:
        assert state == "ready"
    else:  # handed back: the next job worker that starts takes the run over
        assert state == "running"
        assert worker_gone(worker)
    output = server.output()
    assert output.count("Huey consumer started") == 1  # each log line once
    assert "Perhaps out of memory" not in output
    assert not (server.home / ".gunicorn").exists()  # gunicorn's control socket: none


def test_a_killed_job_worker_is_started_again_and_takes_over_its_run(
        served: Callable[..., Served], slow: Slow) -> None:
    server = served()
    server.wait_for_output(READY)
    assert slow.first_request.wait(DEADLINE), "the job worker never asked for the file"
    [first] = server.job_workers()

    os.kill(first, signal.SIGKILL)
    server.wait_for_output("the job worker (Huey) was killed by SIGKILL; starting it again in 1 s")
    until(lambda: tables(server.var)["Slow"][0] == "ready", "the run to be taken over")
    assert "lost its worker; queued again" in server.output()
    assert server.job_workers() not in ([], [first])

    server.process.send_signal(signal.SIGHUP)
    assert server.process.wait(GRACE + MARGIN) == 0
    until(lambda: not processes_of(server.var), "every process of serve to end", MARGIN)
