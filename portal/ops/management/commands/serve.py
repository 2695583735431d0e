"""Serve the portal with gunicorn and run the job worker beside it, as `make run` does.

`serve` supervises both (portal/ops/supervisor.py): it starts the job worker again when it
dies, stops when the web server ends, and on SIGINT, SIGTERM or SIGHUP stops both within
SHUTDOWN_GRACE_SECONDS, leaving no process behind.
"""

from __future__ import annotations

import os
import socket
import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from portal.ops.supervisor import Child, Supervisor

# Seconds gunicorn itself would give its workers after SIGTERM, past `serve`'s grace period:
# `serve` kills the whole group first, so gunicorn never kills a worker itself and never logs
# its "Perhaps out of memory?" guess about a worker it killed.
GUNICORN_GRACE_MARGIN = 2


class Command(BaseCommand):
    help = ("Serve the portal with gunicorn plus the job worker (Huey) until stopped with "
            "Ctrl+C, SIGTERM or SIGHUP.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--workers", type=int,
                            default=int(os.environ.get("PORTAL_WORKERS", "3")))
        parser.add_argument("--no-jobs", action="store_true",
                            help="Do not start the job worker (when it runs elsewhere).")

    def handle(self, *args: Any, **options: Any) -> None:
        host, port = options["host"], options["port"]
        children = [Child("web server (gunicorn)", web_command(host, port, options["workers"]),
                          restart=False)]
        if not options["no_jobs"]:
            children.append(Child("job worker (Huey)",
                                  [sys.executable, "-m", "portal.manage", "run_huey"],
                                  restart=True))

        def announce_when_ready() -> bool:
            if not answers(host, port):
                return False
            self.stdout.write(banner(f"http://{host}:{port}/"))
            self.stdout.flush()
            return True

        supervisor = Supervisor(children, grace=settings.SHUTDOWN_GRACE_SECONDS,
                                ready=announce_when_ready)
        sys.exit(supervisor.run())


def web_command(host: str, port: int, workers: int) -> list[str]:
    return [
        sys.executable, "-m", "gunicorn", "portal.wsgi:application",
        "--bind", f"{host}:{port}",
        "--workers", str(workers),
        # Threads, so that a long download (a whole table exported, a large file) does not
        # hold a worker process; and a request may last as long as an export may, or gunicorn
        # would kill the worker in the middle of the stream (its default is 30 s).
        "--worker-class", "gthread", "--threads", "4",
        "--timeout", str(settings.DATASTORE_EXPORT_TIMEOUT + 60),
        "--graceful-timeout", str(settings.SHUTDOWN_GRACE_SECONDS + GUNICORN_GRACE_MARGIN),
        # `serve` is what controls gunicorn; its control socket would be a file in ~/.gunicorn/,
        # outside VAR_DIR.
        "--no-control-socket",
        "--access-logfile", "-",
        "--forwarded-allow-ips", "127.0.0.1",
    ]


def answers(host: str, port: int) -> bool:
    """Whether something accepts connections at the address gunicorn binds."""
    target = {"0.0.0.0": "127.0.0.1", "::": "::1", "": "127.0.0.1"}.get(host, host)  # noqa: S104
    try:
        with socket.create_connection((target, port), timeout=1):
            return True
    except OSError:
        return False


def banner(address: str) -> str:
    var = Path(settings.VAR_DIR)
    accounts = var / "demo-accounts.txt"
    lines = [
        "",
        f"The portal answers at {address}",
        *([f"  Demo accounts and their passwords: {shown(accounts)}"] if accounts.exists()
          else []),
        f"  Stop: Ctrl+C (or SIGTERM); requests and jobs in flight get "
        f"{settings.SHUTDOWN_GRACE_SECONDS} s to finish (SHUTDOWN_GRACE_SECONDS).",
        f"  Start afresh: stop it and delete {shown(var)} (database, files, demo passwords); "
        "in a checkout, `make clean` then `make run`.",
        "  Logs: here, nowhere else: requests on standard output, everything else on standard "
        "error.",
        "",
    ]
    return "\n".join(lines)


def shown(path: Path) -> str:
    """`path` relative to the current folder when it is inside it (`var/...` under make)."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)
