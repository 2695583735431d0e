"""Data queries in separate processes, each bounded in memory and killed when it overruns.

DuckDB's `memory_limit` bounds its buffers, not the lists and strings a statement builds
(`range(2000000000)`, `repeat('x', 1500000000)`), and its interrupt is not seen inside one long
function call. So the queries the public shapes (SQL, records, aggregates, profiles) run in a
small pool of query processes per web process: each has an address-space limit
(`DATASTORE_PROCESS_MEMORY`, RLIMIT_AS: an allocation past it fails inside the query process),
and a query still running `KILL_GRACE_SECONDS` after its time limit is killed with its process,
which is replaced. The web process holds only the answer, which is capped in bytes.

    page = processes.call(query.records_from, storage.readable(table.file), table, wanted)

`call` runs a module-level function of the data store in a query process, with the caller's
language and the current DATASTORE_* settings, and returns its result or raises its
ApplicationError. The processes are started from a fork server (a clean interpreter that never
loads DuckDB: `process_boot`), never forked from a web process that may hold DuckDB's threads.
See docs/decisions/0001-public-query-processes.md.
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import math
import multiprocessing
import os
import queue
import resource
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any, TypeVar

import django
from django.apps import apps
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from portal.datastore.engine import (
    QueryBusy,
    QueryTimeout,
    QueryTooLarge,
    memory_message,
    timeout_message,
)
from portal.lib.errors import ApplicationError

T = TypeVar("T")
logger = logging.getLogger(__name__)

STARTUP_SECONDS = 120.0  # the first start also starts the fork server, which loads Django
READY = "ready"
KILL_GRACE_SECONDS = 2.0  # after the time limit, for DuckDB's own interrupt to end the query
M_ARENA_MAX = -8  # glibc's mallopt option: each arena reserves 64 MiB of address space
MALLOC_ARENAS = 2


@dataclass(frozen=True)
class Job:
    function: Callable[..., Any]
    args: tuple[Any, ...]
    language: str
    settings: dict[str, Any]


def call(function: Callable[..., T], *args: Any) -> T:
    """`function(*args)` in a query process, under the query time limit."""
    return _pool().call(function, args, timeout=float(settings.DATASTORE_QUERY_TIMEOUT))


# The pool of this web process ----------------------------------------------------------------

_pools: dict[tuple[int, int, int], Pool] = {}
_pools_lock = threading.Lock()


def _pool() -> Pool:
    """This process's pool for the current settings (they change only in tests). A process
    forked from one that had a pool makes its own: the pipes are its parent's."""
    shape = (os.getpid(), settings.DATASTORE_QUERY_PROCESSES, settings.DATASTORE_PROCESS_MEMORY)
    with _pools_lock:
        if shape not in _pools:
            for stale_shape, stale in list(_pools.items()):
                if stale_shape[0] == shape[0]:
                    stale.close()
            _pools.clear()
            _pools[shape] = Pool(size=shape[1], memory=shape[2])
        return _pools[shape]


def _context() -> multiprocessing.context.ForkServerContext:
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["portal.datastore.process_boot"])
    return context


@dataclass
class Worker:
    process: multiprocessing.process.BaseProcess
    conn: Connection


class Pool:
    """At most `size` query processes, started when first needed. The queue holds idle
    workers and, for each process not running, None: taking None means starting one."""

    def __init__(self, *, size: int, memory: int) -> None:
        self.size, self.memory = max(size, 1), memory
        self._idle: queue.LifoQueue[Worker | None] = queue.LifoQueue()
        for _slot in range(self.size):
            self._idle.put(None)

    def call(self, function: Callable[..., T], args: tuple[Any, ...], *, timeout: float) -> T:
        job = Job(function, args, translation.get_language() or settings.LANGUAGE_CODE,
                  _forwarded_settings())
        worker = self._checkout(timeout)
        try:
            kind, payload, retire = self._exchange(worker, job, timeout)
        except BaseException:  # overrun, death, or anything else: the process goes
            self._discard(worker)
            raise
        if retire:
            self._discard(worker)
        else:
            self._idle.put(worker)
        result: T = _result(kind, payload)
        return result

    def _exchange(self, worker: Worker, job: Job, timeout: float) -> tuple[str, Any, bool]:
        try:
            worker.conn.send(job)
            if not worker.conn.poll(timeout + KILL_GRACE_SECONDS):
                raise _timeout(timeout)
            reply: tuple[str, Any, bool] = worker.conn.recv()
        except (EOFError, OSError):
            raise _died(self.memory) from None
        return reply

    def close(self) -> None:
        while True:
            try:
                worker = self._idle.get_nowait()
            except queue.Empty:
                return
            if worker is not None:
                worker.conn.close()  # the process ends when its pipe closes
                worker.process.join(timeout=5)

    def _checkout(self, timeout: float) -> Worker:
        try:
            worker = self._idle.get(timeout=timeout)
        except queue.Empty:
            raise QueryBusy(_("The portal is answering too many data queries at the moment. "
                              "Try again in %(seconds)s seconds.") % {"seconds": busy_retry()},
                            busy_retry()) from None
        if worker is not None:
            return worker
        try:
            return self._start()
        except BaseException:
            self._idle.put(None)
            raise

    def _start(self) -> Worker:
        ours, theirs = multiprocessing.Pipe(duplex=True)
        process = _context().Process(target=serve, args=(theirs, self.memory), daemon=True,
                                     name="portal-query")
        process.start()
        theirs.close()
        worker = Worker(process, ours)
        try:  # a new process's start-up is not the query's time
            if ours.poll(STARTUP_SECONDS) and ours.recv() == READY:
                return worker
        except (EOFError, OSError):
            pass
        self._stop(worker)
        raise RuntimeError("A query process did not start.")

    def _discard(self, worker: Worker) -> None:
        self._stop(worker)
        self._idle.put(None)

    @staticmethod
    def _stop(worker: Worker) -> None:
        worker.process.kill()
        worker.process.join(timeout=5)
        worker.conn.close()


def busy_retry() -> int:
    """Seconds after which a query process has come free: each one answers, or is killed,
    within the query time limit."""
    return max(1, math.ceil(float(settings.DATASTORE_QUERY_TIMEOUT)))


def _forwarded_settings() -> dict[str, Any]:
    return {name: getattr(settings, name) for name in dir(settings)
            if name.startswith("DATASTORE_")}


def _result(kind: str, payload: Any) -> Any:
    if kind == "ok":
        return payload
    if kind == "refused":
        error_class, message, fields = payload
        raise error_class(message, fields)
    raise RuntimeError(f"A query process failed:\n{payload}")


def _timeout(seconds: float) -> QueryTimeout:
    return QueryTimeout(timeout_message(seconds))


def _died(memory: int) -> QueryTooLarge:
    return QueryTooLarge(memory_message(memory))


# The query process --------------------------------------------------------------------------


def serve(conn: Connection, memory: int) -> None:
    """A query process: run jobs from `conn` until it closes (its web process has gone)."""
    _bound_memory(memory)
    if not apps.ready:  # the fork server could not load process_boot
        django.setup()
    conn.send(READY)
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        reply = _run(job, memory)
        try:
            conn.send(reply)
        except Exception:  # an answer that cannot be sent: a fault of ours, said as such
            logger.exception("query process")
            conn.send(("failed", traceback.format_exc(), True))
            return
        if reply[2]:
            return


def _bound_memory(memory: int) -> None:
    """Few malloc arenas (each reserves 64 MiB of address space), then the address-space
    limit: an allocation past it fails (MemoryError, DuckDB's out-of-memory error)."""
    with contextlib.suppress(OSError):  # not glibc: the limit holds all the same, less room
        ctypes.CDLL("libc.so.6").mallopt(M_ARENA_MAX, MALLOC_ARENAS)
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))


def _run(job: Job, memory: int) -> tuple[str, Any, bool]:
    """(kind, payload, retire): retire the process after it ran out of memory, whatever state
    that left it in."""
    for name, value in job.settings.items():
        setattr(settings, name, value)
    try:
        with translation.override(job.language):
            try:
                return "ok", job.function(*job.args), False
            except MemoryError:
                raise QueryTooLarge(memory_message(memory)) from None
    except ApplicationError as error:
        return "refused", (type(error), error.message, error.field_errors), \
            isinstance(error, QueryTooLarge)
    except Exception:
        logger.exception("query process")
        return "failed", traceback.format_exc(), True
