"""The state machine of ingestion runs: a run works for one request, shows it is alive, and may
change its table only while that request is still the latest.

Every request (`services.schedule_ingestion`) bumps the table's `request_stamp` and leaves it
pending. A run claims one stamp (pending → running, `attempts` + 1), and the pair (stamp,
attempt) names it from then on. Each later write of the run — progress, heartbeat, its final
state, its new version — is conditional on that pair still being the table's and the table
still running, so a run overtaken by a newer request, or taken for dead and started again,
changes nothing. The commit (runs.py) locks the table's row first: `select_for_update` on
PostgreSQL; on SQLite every write transaction begins IMMEDIATE and so runs alone.

A run beats while it works (progress writes, and a timer thread for statements that report
nothing). A run whose beat stopped for DATASTORE_HEARTBEAT_TIMEOUT, or whose process is gone
from this machine, is dead: `recover` (tasks.py) queues its request again, up to
DATASTORE_MAX_ATTEMPTS starts, then marks the table failed.
"""

from __future__ import annotations

import logging
import os
import secrets
import shutil
import socket
import tempfile
import threading
import time
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from types import TracebackType
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connections, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_noop

from portal.datastore import storage
from portal.datastore.models import DataTable, State

logger = logging.getLogger(__name__)

PROGRESS_EVERY = 0.5  # seconds between two progress writes (the agency's page polls every 2 s)
_BOOT = secrets.token_hex(4)  # tells this process from an earlier one that had the same pid


@dataclass(frozen=True)
class Run:
    """One start of the ingestion asked for by request `stamp`."""

    table_id: int
    stamp: int
    attempt: int

    def rows(self) -> QuerySet[DataTable]:
        """The table's row, while this run is still its latest, running start."""
        return DataTable.objects.filter(pk=self.table_id, request_stamp=self.stamp,
                                        attempts=self.attempt, state=State.RUNNING)

    def is_latest(self, table: DataTable) -> bool:
        return ((table.pk, table.request_stamp, table.attempts, table.state)
                == (self.table_id, self.stamp, self.attempt, State.RUNNING))

    @property
    def name(self) -> str:
        return f"{self.table_id}-{self.stamp}-{self.attempt}"

    def storage_folder(self, resource_id: object) -> str:
        """Where the run stores its Parquet files: its own names, decided before it knows
        which version number (if any) its commit will get."""
        return f"datastore/{resource_id}/run-{self.stamp}-{self.attempt}"


def claim(table_id: int, stamp: int | None) -> Run | None:
    """Start a run for request `stamp` (None: the latest request), unless the table has moved
    on: a newer request, or this one already started (a second job for it) or finished."""
    with transaction.atomic():
        table = DataTable.objects.select_for_update().filter(pk=table_id).first()
        if table is None or table.state != State.PENDING or stamp not in (None,
                                                                         table.request_stamp):
            return None
        now = timezone.now()
        table.state, table.attempts, table.progress = State.RUNNING, table.attempts + 1, 0.0
        table.started, table.heartbeat, table.finished = now, now, None
        table.worker = worker_id()
        table.save(update_fields=["state", "attempts", "progress", "started", "heartbeat",
                                  "finished", "worker"])
    return Run(table.pk, table.request_stamp, table.attempts)


def update_if_latest(run: Run, **fields: Any) -> bool:
    """Write `fields` only while `run` is the table's latest start; False when overtaken."""
    return bool(run.rows().update(**fields))


class Heartbeat:
    """Beats for a run while it works, at most once per interval (a twelfth of the timeout):
    with each progress write, and from a timer thread when no progress came (a long DuckDB
    statement, a slow download)."""

    def __init__(self, run: Run) -> None:
        self.run = run
        self.every = settings.DATASTORE_HEARTBEAT_TIMEOUT / 12
        self._beat, self._progress = time.monotonic(), float("-inf")  # claiming was a beat
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True,
                                        name=f"heartbeat-{run.name}")

    def __enter__(self) -> Heartbeat:
        self._thread.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self._stop.set()
        self._thread.join()

    def progress(self, fraction: float) -> None:
        """Record how far the run is (called by ingest.py, from its polling thread)."""
        now = time.monotonic()
        if now - self._progress >= PROGRESS_EVERY:
            self._progress = self._beat = now
            self._send(progress=round(fraction, 3))

    def _loop(self) -> None:
        try:
            while not self._stop.wait(self.every):
                if time.monotonic() - self._beat >= self.every:
                    self._beat = time.monotonic()
                    self._send()
        finally:
            connections.close_all()  # this thread's own connections

    def _send(self, **fields: Any) -> None:
        try:
            update_if_latest(self.run, heartbeat=timezone.now(), **fields)
        except DatabaseError:  # busy, or the connection dropped: the next beat tries again
            logger.warning("heartbeat of ingestion run %s could not be written", self.run.name,
                           exc_info=True)


# Liveness -----------------------------------------------------------------------------------


def worker_id() -> str:
    """This process, as a run records it: host, process id, and a token of this start."""
    return f"{socket.gethostname()}:{os.getpid()}:{_BOOT}"


def worker_gone(worker: str) -> bool:
    """Whether the process that ran a run has certainly ended: it ran on this machine and no
    process has its id (or it is this process's id, from an earlier start). On another machine
    this cannot be told; the heartbeat decides."""
    host, _colon, rest = worker.partition(":")
    pid, _colon, boot = rest.partition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False
    if int(pid) == os.getpid():
        return boot != _BOOT
    return not _process_exists(int(pid))


def _process_exists(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    except OSError:  # no /proc (not Linux): ask the kernel whether the id is taken
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:  # taken, by another user's process
            pass
        return True
    # A zombie has ended; only its parent has not collected its exit status yet.
    return status.rpartition(")")[2].split()[0] != "Z"


def is_dead(table: DataTable, now: datetime) -> bool:
    last = table.heartbeat or table.started
    timeout = timedelta(seconds=settings.DATASTORE_HEARTBEAT_TIMEOUT)
    return last is None or last < now - timeout or worker_gone(table.worker)


def dead_runs() -> list[Run]:
    now = timezone.now()
    return [Run(table.pk, table.request_stamp, table.attempts)
            for table in DataTable.objects.filter(state=State.RUNNING) if is_dead(table, now)]


def requeue(run: Run) -> bool:
    """Put a dead run's request back to pending (True: queue a job for it), or, after
    DATASTORE_MAX_ATTEMPTS starts, mark the table failed: a file that kills its worker does
    not loop forever. Nothing happens if the run beat again or the table moved on meanwhile."""
    with transaction.atomic():
        table = DataTable.objects.select_for_update().filter(pk=run.table_id).first()
        if table is None or not run.is_latest(table) or not is_dead(table, timezone.now()):
            return False
        again: bool = table.attempts < settings.DATASTORE_MAX_ATTEMPTS
        if again:
            table.state, table.progress = State.PENDING, 0.0
        else:
            table.state, table.finished = State.FAILED, timezone.now()
            table.message = {"id": gettext_noop(
                "Reading this file stopped the portal's job worker %(count)s times (the file "
                "may need more memory than the portal may use), so the portal stopped trying. "
                "Check the file or split it into smaller files, then read it again."),
                "params": {"count": table.attempts}}
        table.save(update_fields=["state", "progress", "finished", "message"])
    storage.delete_folder(run.storage_folder(table.resource_id))  # if killed while storing
    if again:
        logger.warning("ingestion of table %s: run %s lost its worker; queued again",
                       run.table_id, run.name)
    else:
        logger.error("ingestion of table %s: run %s lost its worker, the %s time; marked "
                     "failed", run.table_id, run.name, table.attempts)
    return again


def lost_requests(queued: Collection[int]) -> list[tuple[int, int]]:
    """(table, stamp) of requests pending for longer than the heartbeat timeout with no job in
    the queue (`queued`: the tables that have one): the job was lost with a worker."""
    cutoff = timezone.now() - timedelta(seconds=settings.DATASTORE_HEARTBEAT_TIMEOUT)
    waiting = DataTable.objects.filter(Q(requested__lt=cutoff) | Q(requested__isnull=True),
                                       state=State.PENDING).exclude(pk__in=list(queued))
    return list(waiting.values_list("pk", "request_stamp"))


# Work folders -------------------------------------------------------------------------------


def work_root() -> Path:
    return Path(settings.VAR_DIR) / "datastore-work"


@contextmanager
def work_folder(run: Run) -> Iterator[Path]:
    """A private folder for the run, named after it (`<table>-<stamp>-<attempt>-<random>`), so
    that a sweep can tell the folders of live runs from those a killed run left behind."""
    work_root().mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix=f"{run.name}-", dir=work_root()))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def clean_work_folders() -> list[Path]:
    """Remove the work folders of runs that are no longer running (killed mid-run). The folders
    are listed before the running runs are read, so a run that starts meanwhile is not taken
    for dead: its folder is not in the list."""
    if not work_root().is_dir():
        return []
    found = list(work_root().iterdir())
    live = {Run(*row).name for row in DataTable.objects.filter(state=State.RUNNING)
            .values_list("pk", "request_stamp", "attempts")}
    left = [path for path in found if path.name.rpartition("-")[0] not in live]
    for path in left:
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
        logger.info("removed the work folder %s of an ingestion run that ended", path.name)
    return left
