"""`portal serve` (what `make run` ends with) answers over HTTP with gunicorn and its job worker."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for(url: str, deadline: float) -> int:
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - local
                return int(response.status)
        except urllib.error.HTTPError as error:
            return error.code
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def test_serve_starts_web_and_worker_and_stops_cleanly(tmp_path: Path) -> None:
    env = os.environ | {"VAR_DIR": str(tmp_path), "DATABASE_URL": "", "PORTAL_WORKERS": "1"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    portal = [sys.executable, "-m", "portal.manage"]
    for command in (["migrate", "--noinput"], ["collectstatic", "--noinput"]):
        subprocess.run([*portal, *command, "-v0"], env=env, cwd=ROOT, check=True)
    port = free_port()
    server = subprocess.Popen([*portal, "serve", "--port", str(port), "--workers", "1"],
                              env=env, cwd=ROOT, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True)
    try:
        assert wait_for(f"http://127.0.0.1:{port}/", time.monotonic() + 60) == 200
    finally:
        server.send_signal(signal.SIGINT)
        output, _ = server.communicate(timeout=60)
    assert "Huey consumer started" in output
    assert (tmp_path / "secret_key").exists()
    assert (tmp_path / "jobs.sqlite3").exists()
