"""Serve the portal with gunicorn and run the job worker beside it, as `make run` does."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Serve the portal with gunicorn plus the job worker (Huey) until interrupted."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--workers", type=int,
                            default=int(os.environ.get("PORTAL_WORKERS", "3")))
        parser.add_argument("--no-jobs", action="store_true",
                            help="Do not start the job worker (when it runs elsewhere).")

    def handle(self, *args: Any, **options: Any) -> None:
        portal = [sys.executable, "-m", "portal.manage"]
        worker = None
        if not options["no_jobs"]:
            worker = subprocess.Popen([*portal, "run_huey"])  # noqa: S603
        web = subprocess.Popen([  # noqa: S603
            sys.executable, "-m", "gunicorn", "portal.wsgi:application",
            "--bind", f"{options['host']}:{options['port']}",
            "--workers", str(options["workers"]),
            # Threads, so that a long download (a whole table exported, a large file) does not
            # hold a worker process; and a request may last as long as an export may, or gunicorn
            # would kill the worker in the middle of the stream (its default is 30 s).
            "--worker-class", "gthread", "--threads", "4",
            "--timeout", str(settings.DATASTORE_EXPORT_TIMEOUT + 60),
            "--access-logfile", "-",
            "--forwarded-allow-ips", "127.0.0.1",
        ])
        address = f"http://{options['host']}:{options['port']}/"
        self.stdout.write(f"Portal on {address} (Ctrl+C stops it)")
        try:
            code = web.wait()
        except KeyboardInterrupt:
            web.send_signal(signal.SIGTERM)
            code = web.wait()
        finally:
            if worker is not None:
                worker.send_signal(signal.SIGINT)
                worker.wait(timeout=30)
        sys.exit(code)
