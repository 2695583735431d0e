"""What every system's benchmark shares: timings, results, HTTP over the loopback, servers."""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import platform
import signal
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

# The tasks, in the order of the table.
INGEST = "ingest"
COPY_ONLY = "copy"
PAGE = "page"
AGGREGATE = "aggregate"
EXPORT = "export"


@dataclass
class Result:
    """One task measured on one system: every run's seconds and what the system answered."""

    task: str
    seconds: list[float]
    answer: str = ""  # e.g. the total a page reported, to check that the systems agree
    steps: dict[str, float] = field(default_factory=dict)  # sub-steps of one run, in seconds

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)


@dataclass
class SystemRun:
    """One system's results in one run of the script."""

    system: str
    results: dict[str, Result] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    versions: dict[str, str] = field(default_factory=dict)
    memory: dict[str, float] = field(default_factory=dict)  # label -> peak RSS in MiB

    def add(self, result: Result) -> None:
        self.results[result.task] = result


def repeat(task: str, run: Callable[[], str], times: int, warmup: bool = True) -> Result:
    """Run `run` once to warm up, then `times` times; `run` returns its answer."""
    if warmup:
        run()
    seconds: list[float] = []
    answer = ""
    for _ in range(times):
        start = time.perf_counter()
        answer = run()
        seconds.append(time.perf_counter() - start)
    return Result(task, seconds, answer)


class Timer:
    """Times named steps in order: `with timer.step("COPY"): ...`."""

    def __init__(self) -> None:
        self.steps: dict[str, float] = {}

    @contextlib.contextmanager
    def step(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.steps[name] = time.perf_counter() - start

    @property
    def total(self) -> float:
        return sum(self.steps.values())


# HTTP: http.client, so the body is streamed and nothing but the loopback is ever reached.

def _connection(url: str, timeout: float) -> tuple[http.client.HTTPConnection, str]:
    parts = urlsplit(url)
    if parts.hostname not in ("127.0.0.1", "localhost"):
        raise ValueError(f"the benchmark only talks to this machine, not {url}")
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    return http.client.HTTPConnection(parts.hostname, parts.port or 80, timeout=timeout), path


def http_get(url: str, headers: dict[str, str] | None = None, sink: Path | None = None,
             timeout: float = 3600) -> tuple[int, bytes, int]:
    """GET `url`; stream the body into `sink` if given. Returns (status, body or b"", bytes)."""
    connection, path = _connection(url, timeout)
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        if sink is None:
            body = response.read()
            return response.status, body, len(body)
        size = 0
        with sink.open("wb") as out:
            while chunk := response.read(1 << 20):
                out.write(chunk)
                size += len(chunk)
        return response.status, b"", size
    finally:
        connection.close()


def http_json(url: str, headers: dict[str, str] | None = None,
              method: str = "GET", body: Any = None) -> tuple[int, Any]:
    connection, path = _connection(url, 600)
    try:
        data = None if body is None else json.dumps(body).encode()
        all_headers = dict(headers or {})
        if data is not None:
            all_headers["Content-Type"] = "application/json"
        connection.request(method, path, body=data, headers=all_headers)
        response = connection.getresponse()
        raw = response.read()
        try:
            return response.status, json.loads(raw) if raw else None
        except ValueError:
            return response.status, raw.decode(errors="replace")
    finally:
        connection.close()


def http_upload(url: str, file: Path, fields: dict[str, str], headers: dict[str, str]
                ) -> tuple[int, Any]:
    """POST `file` as multipart/form-data field `upload`, streamed from disk."""
    boundary = f"bench{os.getpid()}{time.time_ns()}"
    head = b"".join(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
        .encode() for name, value in fields.items())
    head += (f'--{boundary}\r\nContent-Disposition: form-data; name="upload"; '
             f'filename="{file.name}"\r\nContent-Type: text/csv\r\n\r\n').encode()
    tail = f"\r\n--{boundary}--\r\n".encode()
    connection, path = _connection(url, 3600)
    try:
        connection.putrequest("POST", path)
        for name, value in headers.items():
            connection.putheader(name, value)
        connection.putheader("Content-Type", f"multipart/form-data; boundary={boundary}")
        connection.putheader("Content-Length", str(len(head) + file.stat().st_size + len(tail)))
        connection.endheaders()
        connection.send(head)
        with file.open("rb") as source:
            while chunk := source.read(1 << 20):
                connection.send(chunk)
        connection.send(tail)
        response = connection.getresponse()
        raw = response.read()
        try:
            return response.status, json.loads(raw)
        except ValueError:
            return response.status, raw.decode(errors="replace")
    finally:
        connection.close()


# Servers started by the benchmark, and stopped by it.

def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def wait_for_http(url: str, process: subprocess.Popen[bytes], seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server stopped (exit status {process.returncode}): {url}")
        try:
            http_get(url, timeout=5)
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"no answer from {url} after {seconds:.0f} s")


def start_server(command: Sequence[str], env: dict[str, str], log: Path
                 ) -> subprocess.Popen[bytes]:
    """Start a server in its own process group, so that stopping it stops its children too."""
    with log.open("ab") as out:
        return subprocess.Popen(list(command), env=env, stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)


def stop_server(process: subprocess.Popen[bytes], first: int = signal.SIGTERM) -> None:
    """Ask politely (`portal serve` stops its children on SIGTERM), then end its process
    group."""
    if process.poll() is None:
        process.send_signal(first)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=30)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)  # the group this script created for it
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=10)


def run_timed(command: Sequence[str]) -> tuple[float, float]:
    """Run `command`; its wall time and CPU time (user + system, its children included)."""
    start = time.perf_counter()
    process = subprocess.Popen(list(command))
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise subprocess.CalledProcessError(process.returncode, list(command))
    return wall, usage.ru_utime + usage.ru_stime


def peak_rss_mib(command: Sequence[str], env: dict[str, str], log: Path) -> tuple[int, float]:
    """Run `command` in a fresh wrapper that reports its children's peak RSS (MiB).

    The wrapper isolates the measurement: this process's own RUSAGE_CHILDREN also counts the
    servers it has waited for.
    """
    wrapper = ("import resource, subprocess, sys\n"
               "code = subprocess.call(sys.argv[1:], stdout=sys.stderr)\n"
               "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
               "sys.exit(code)\n")
    with log.open("ab") as errors:
        done = subprocess.run([sys.executable, "-c", wrapper, *command], env=env, check=False,
                              stdout=subprocess.PIPE, stderr=errors)
    lines = done.stdout.decode().strip().splitlines()
    return done.returncode, int(lines[-1]) / 1024 if lines else float("nan")


def machine() -> dict[str, str]:
    """What the table says about the machine it was measured on."""
    memory = "?"
    with contextlib.suppress(OSError), open("/proc/meminfo") as info:
        for line in info:
            if line.startswith("MemTotal:"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    model = platform.processor() or "?"
    with contextlib.suppress(OSError), open("/proc/cpuinfo") as info:
        for line in info:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return {"nproc": str(os.cpu_count()), "ram": memory, "cpu": model,
            "os": f"{platform.system()} {platform.release()}",
            "python": platform.python_version()}


def count_rows(csv: Path) -> str:
    """Lines after the header (the generated free text has no line breaks)."""
    lines = 0
    with csv.open("rb") as source:
        while block := source.read(1 << 24):
            lines += block.count(b"\n")
    return f"{lines - 1} rows"


def load_average() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())
