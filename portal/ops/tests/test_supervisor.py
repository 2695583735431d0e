"""The supervisor of `portal serve` with small stand-in children (tests/test_serve.py runs the
real ones): grace period, second signal, back-off, the end of the web server, leftovers.

The supervisor runs in a process of its own, as in `serve`, its log in a file the test polls;
the children are short Python programs. Nothing sleeps: every wait polls with a deadline.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

DEADLINE = 60.0  # for any one step on a busy machine
MARGIN = 10.0  # what the supervisor may take past its grace period on a busy machine
RUN = """
import json, logging, sys
from portal.ops.supervisor import Child, Supervisor
logging.basicConfig(level=logging.INFO, format="%(message)s")
children = [Child(name, argv, restart) for name, argv, restart in json.loads(sys.argv[1])]
sys.exit(Supervisor(children, grace=float(sys.argv[2])).run())
"""
STUBBORN = ("import signal, threading; signal.signal(signal.SIGTERM, signal.SIG_IGN); "
            "print('stubborn is ready', flush=True); threading.Event().wait(600)")  # as a
# worker stuck in a request, it ignores SIGTERM
CALM = ("import threading; print('calm is ready', flush=True); "
        "threading.Event().wait(600)")  # ends on SIGTERM
LEAVES_A_PROCESS = ("import subprocess, sys; subprocess.Popen([sys.executable, '-c', "
                    "'import threading; threading.Event().wait(600)']); sys.exit(3)")


def child(name: str, code: str, *, restart: bool = False) -> tuple[str, list[str], bool]:
    return name, [sys.executable, "-c", code], restart


class Running:
    def __init__(self, log: Path, children: list[tuple[str, list[str], bool]],
                 grace: float) -> None:
        self.log = log
        root = Path(__file__).resolve().parents[3]
        with log.open("wb") as output:
            self.process = subprocess.Popen(
                [sys.executable, "-c", RUN, json.dumps(children), str(grace)], cwd=root,
                stdout=output, stderr=subprocess.STDOUT)

    def output(self) -> str:
        return self.log.read_text()

    def wait_for(self, text: str, count: int = 1) -> None:
        deadline = time.monotonic() + DEADLINE
        while self.output().count(text) < count:
            assert time.monotonic() < deadline, f"no {text!r} in:\n{self.output()}"
            assert self.process.poll() is None, f"ended with no {text!r}:\n{self.output()}"
            threading.Event().wait(0.05)

    def pids(self) -> list[int]:
        """The children started so far, from the log."""
        return [int(line.rpartition("(pid ")[2].rstrip(")"))
                for line in self.output().splitlines() if line.startswith("started the ")]


@pytest.fixture
def supervised(tmp_path: Path) -> Iterator[list[Running]]:
    runs: list[Running] = []
    yield runs
    for run in runs:
        if run.process.poll() is None:
            run.process.kill()
            run.process.wait(DEADLINE)


def start(runs: list[Running], tmp_path: Path, children: list[tuple[str, list[str], bool]],
          grace: float) -> Running:
    runs.append(Running(tmp_path / f"supervisor-{len(runs)}.log", children, grace))
    return runs[-1]


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


def test_a_child_that_ignores_sigterm_is_killed_when_the_grace_period_ends(
        supervised: list[Running], tmp_path: Path) -> None:
    run = start(supervised, tmp_path, [child("web server", STUBBORN), child("worker", CALM)],
                grace=1)
    run.wait_for("stubborn is ready")
    run.wait_for("calm is ready")
    asked = time.monotonic()
    run.process.send_signal(signal.SIGTERM)
    assert run.process.wait(DEADLINE) == 0
    assert time.monotonic() - asked < 1 + MARGIN
    output = run.output()
    assert "the worker was killed by SIGTERM" in output
    assert "the web server did not stop within 1 s; killing it" in output
    assert not any(alive(pid) for pid in run.pids())


def test_a_second_stop_signal_kills_at_once(supervised: list[Running], tmp_path: Path) -> None:
    run = start(supervised, tmp_path, [child("web server", STUBBORN)], grace=600)
    run.wait_for("stubborn is ready")
    run.process.send_signal(signal.SIGINT)
    run.wait_for("SIGINT received: stopping")
    run.process.send_signal(signal.SIGINT)
    assert run.process.wait(DEADLINE) == 0
    assert "the web server was asked to stop at once (a second stop signal)" in run.output()
    assert not any(alive(pid) for pid in run.pids())


def test_a_dying_child_is_started_again_later_each_time_and_its_leftovers_killed(
        supervised: list[Running], tmp_path: Path) -> None:
    run = start(supervised, tmp_path, [child("web server", CALM),
                                       child("worker", LEAVES_A_PROCESS, restart=True)],
                grace=5)
    run.wait_for("the worker exited with status 3; starting it again in 1 s")
    run.wait_for("the worker exited with status 3; starting it again in 2 s")
    run.wait_for("the worker exited with status 3; starting it again in 4 s")
    run.process.send_signal(signal.SIGHUP)
    assert run.process.wait(DEADLINE) == 0
    # Each worker's own process, left behind when it exited, went with its process group.
    leftovers = [int(pid) for pid in os.listdir("/proc") if pid.isdigit()
                 and alive(int(pid)) and _group(int(pid)) in run.pids()]
    assert leftovers == []


def test_the_end_of_a_child_that_is_not_restarted_stops_everything_with_status_1(
        supervised: list[Running], tmp_path: Path) -> None:
    run = start(supervised, tmp_path, [child("web server", "import sys; sys.exit(4)"),
                                       child("worker", CALM, restart=True)], grace=5)
    assert run.process.wait(DEADLINE) == 1
    assert "the web server exited with status 4; stopping the portal" in run.output()
    assert not any(alive(pid) for pid in run.pids())


def _group(pid: int) -> int:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    except FileNotFoundError:
        return 0
    return int(fields[2])  # the process group
