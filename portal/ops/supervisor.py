"""The supervisor inside `portal serve`: it starts the web server and the job worker as child
processes, starts the job worker again when it dies, and stops them all when asked.

One thread and one loop. The signals it acts on (SIGINT, SIGTERM, SIGHUP, and SIGCHLD when a
child ends) get a handler that does nothing but wake the loop through `signal.set_wakeup_fd`:
the loop reads which signals came and acts on them itself, so no work runs inside a handler and
a signal that comes while the loop is busy is read at its next turn. Installing the handlers
overrides an inherited "ignore" (a background job of a non-interactive shell starts with SIGINT
ignored), except SIGHUP under `nohup`, which asked for exactly that.

Each child runs in its own process group: a Ctrl+C in the terminal reaches only `serve`, which
stops the children in order (SIGTERM: gunicorn stops accepting and lets requests in flight
finish, Huey lets its jobs finish), and a whole group (gunicorn's workers, the query processes)
can be killed at once when the grace period is over or when its leader ended and left some.
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import os
import select
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

logger = logging.getLogger("portal.serve")

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
FIRST_BACKOFF = 1.0  # seconds before a dead child is started again; doubled at each death
MAX_BACKOFF = 60.0
STEADY_AFTER = 60.0  # a child that ran this long had recovered: its next wait is FIRST_BACKOFF
READY_POLL = 0.2  # seconds between two looks whether the web server answers yet
REAP_SECONDS = 5.0  # for the kernel to end processes killed with SIGKILL
PR_SET_PDEATHSIG = 1  # prctl(2): the signal a process gets when its parent dies


@dataclass
class Child:
    """A program the supervisor runs. `restart`: start it again when it dies (the job worker);
    otherwise its end ends `serve` (the web server: gunicorn supervises its own workers, and
    the system's supervisor — systemd, the container runtime — supervises `serve`)."""

    name: str
    argv: list[str]
    restart: bool
    process: subprocess.Popen[bytes] | None = None
    started: float = 0.0
    backoff: float = FIRST_BACKOFF
    due: float | None = None  # when to start it again, after it died


class Supervisor:
    """Runs `children` until a stop signal (exit status 0) or until a child that is not
    restarted ends (1). `ready` is asked every READY_POLL seconds until it returns True (to
    print the address once the web server answers)."""

    def __init__(self, children: list[Child], *, grace: float,
                 ready: Callable[[], bool] | None = None) -> None:
        self.children, self.grace, self.ready = children, grace, ready
        self._wakeup = -1

    def run(self) -> int:
        with self._signals_awake():
            try:
                for child in self.children:
                    self._start(child)
                status = self._watch()
                self._stop()
            finally:
                self._kill_all()  # whatever went wrong above, no child outlives `serve`
        return status

    # Running ---------------------------------------------------------------------------------

    def _watch(self) -> int:
        while True:
            for signum in self._wait(self._next_timeout()):
                if signum in STOP_SIGNALS:
                    logger.info("%s received: stopping; requests and jobs in flight have %s s "
                                "to finish", signal.Signals(signum).name, _seconds(self.grace))
                    return 0
            for child, how in self._ended():
                if not child.restart:
                    logger.error("the %s %s; stopping the portal", child.name, how)
                    return 1
                self._schedule_restart(child, how)
            self._start_due()
            if self.ready is not None and self.ready():
                self.ready = None

    def _next_timeout(self) -> float | None:
        waits = [child.due - time.monotonic() for child in self.children
                 if child.due is not None]
        if self.ready is not None:
            waits.append(READY_POLL)
        return max(min(waits), 0.0) if waits else None

    def _schedule_restart(self, child: Child, how: str) -> None:
        now = time.monotonic()
        if now - child.started >= STEADY_AFTER:
            child.backoff = FIRST_BACKOFF
        child.due = now + child.backoff
        logger.error("the %s %s; starting it again in %s s", child.name, how,
                     _seconds(child.backoff))
        child.backoff = min(child.backoff * 2, MAX_BACKOFF)

    def _start_due(self) -> None:
        for child in self.children:
            if child.due is not None and child.due <= time.monotonic():
                self._start(child)

    def _start(self, child: Child) -> None:
        child.process = subprocess.Popen(  # noqa: S603 - our own programs
            child.argv, stdin=subprocess.DEVNULL, process_group=0,
            preexec_fn=_die_with_parent(os.getpid()) if sys.platform == "linux" else None)
        child.started, child.due = time.monotonic(), None
        logger.info("started the %s (pid %s)", child.name, child.process.pid)

    # Stopping --------------------------------------------------------------------------------

    def _stop(self) -> None:
        """SIGTERM to every child, then wait for them until the grace period is over or a
        second stop signal comes, and kill what is left."""
        for _child, process in self._running():
            with contextlib.suppress(ProcessLookupError):
                process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + self.grace
        why = f"did not stop within {_seconds(self.grace)} s"
        while self._running():
            left = deadline - time.monotonic()
            if left <= 0:
                break
            if any(signum in STOP_SIGNALS for signum in self._wait(left)):
                why = "was asked to stop at once (a second stop signal)"
                break
            for child, how in self._ended():
                logger.info("the %s %s", child.name, how)
        for child, _process in self._running():
            logger.warning("the %s %s; killing it", child.name, why)
        self._kill_all()

    def _kill_all(self) -> None:
        """Kill every child's whole process group and reap the children."""
        for _child, process in self._running():
            _kill_group(process)
        for child, process in self._running():
            try:
                process.wait(REAP_SECONDS)
            except subprocess.TimeoutExpired:
                logger.error("the %s (pid %s) is still there after SIGKILL", child.name,
                             process.pid)

    def _running(self) -> list[tuple[Child, subprocess.Popen[bytes]]]:
        return [(child, child.process) for child in self.children
                if child.process is not None and child.process.returncode is None]

    def _ended(self) -> Iterator[tuple[Child, str]]:
        """The children that ended since the last look, with how. A child's group is killed
        before the child is reaped: until then its process id cannot be taken by another
        process, so the group killed is certainly its own."""
        for child, process in self._running():
            if os.waitid(os.P_PID, process.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is None:
                continue
            _kill_group(process)
            yield child, _how_it_ended(process.wait())

    # Signals ---------------------------------------------------------------------------------

    @contextlib.contextmanager
    def _signals_awake(self) -> Iterator[None]:
        """Route the signals to the loop for as long as it runs, then restore what was there."""
        read_end, write_end = os.pipe()
        os.set_blocking(read_end, False)
        os.set_blocking(write_end, False)
        wanted = [signum for signum in (*STOP_SIGNALS, signal.SIGCHLD)
                  if not (signum == signal.SIGHUP
                          and signal.getsignal(signum) == signal.SIG_IGN)]  # nohup
        previous = {signum: signal.signal(signum, _note) for signum in wanted}
        old_wakeup = signal.set_wakeup_fd(write_end, warn_on_full_buffer=False)
        self._wakeup = read_end
        try:
            yield
        finally:
            signal.set_wakeup_fd(old_wakeup)
            for signum, handler in previous.items():
                signal.signal(signum, handler)
            os.close(read_end)
            os.close(write_end)

    def _wait(self, timeout: float | None) -> list[int]:
        """The signals that came (each a byte in the wake-up pipe), waiting at most `timeout`
        seconds for one."""
        select.select([self._wakeup], [], [], timeout)
        try:
            return list(os.read(self._wakeup, 512))
        except BlockingIOError:
            return []


def _note(signum: int, frame: object) -> None:
    """The handler of the supervised signals: the wake-up pipe already carries the signal."""


def _die_with_parent(parent: int) -> Callable[[], None]:
    """Run in the child before it starts the program (Linux): it gets SIGTERM — a graceful
    stop — if `serve` dies without stopping it (killed with SIGKILL, out of memory)."""
    libc = ctypes.CDLL(None, use_errno=True)

    def arrange() -> None:
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
        if os.getppid() != parent:  # `serve` died before prctl took effect
            os.kill(os.getpid(), signal.SIGTERM)
    return arrange


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    """SIGKILL to the child's process group (its id is the child's: `process_group=0`)."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)


def _how_it_ended(returncode: int) -> str:
    if returncode < 0:
        return f"was killed by {signal.Signals(-returncode).name}"
    return f"exited with status {returncode}"


def _seconds(value: float) -> str:
    return f"{value:g}"
