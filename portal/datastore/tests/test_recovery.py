"""Runs and requests that a stopped worker left behind are taken over, a bounded number of times;
the work folders of ended runs are removed. (tests/test_worker_recovery.py kills a real worker.)

A run "left behind" here is one claimed as a worker would claim it, then abandoned: its
heartbeat in the past, or its process gone. The sweep (`tasks.recover`, every minute and when a
worker starts) queues it again; in tests the queued job runs at once.
"""

from __future__ import annotations

import socket
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import LazySettings
from django.utils import timezone, translation

from portal.catalog.models import Resource
from portal.datastore import runstate, services, tasks
from portal.datastore.errors import render
from portal.datastore.models import DataTable, State
from portal.datastore.runstate import Run
from portal.datastore.tests.conftest import Ingest

pytestmark = pytest.mark.django_db

CSV = b"ma,ten\n1,Hoa Lu\n2,Gia Vien\n"
ELSEWHERE = "another-machine:4242:abcd"


@pytest.fixture(autouse=True)
def _own_var_dir(settings: LazySettings, tmp_path: Path) -> None:
    """The sweep removes work folders under VAR_DIR: this test's own, not other tests'."""
    settings.VAR_DIR = tmp_path / "var"


def started(resource: Resource, *, beat_ago: timedelta = timedelta(0),
            worker: str = ELSEWHERE) -> Run:
    """A request for the resource, claimed by a worker (on another machine by default) that
    last beat `beat_ago`, and its work folder: as a killed worker leaves them."""
    table = services.schedule_ingestion(resource, enqueue=False)
    assert table is not None
    run = runstate.claim(table.pk, table.request_stamp)
    assert run is not None
    DataTable.objects.filter(pk=table.pk).update(heartbeat=timezone.now() - beat_ago,
                                                 worker=worker)
    (runstate.work_root() / f"{run.name}-x1y2").mkdir(parents=True)
    return run


def table_of(resource: Resource) -> DataTable:
    return DataTable.objects.select_related("current").get(resource=resource)


def work_folders() -> list[str]:
    return sorted(path.name for path in runstate.work_root().iterdir())


def gone_pid() -> int:
    """The id of a process that has ended and been collected."""
    ended = subprocess.Popen(["true"])
    ended.wait()
    return ended.pid


def test_a_run_whose_heartbeat_stopped_is_queued_again_and_completes(ingest: Ingest) -> None:
    resource, _table = ingest(CSV)
    run = started(resource, beat_ago=timedelta(minutes=2))

    tasks.recover()

    table = table_of(resource)
    assert (table.state, table.request_stamp, table.attempts) == (State.READY, run.stamp, 2)
    assert table.current is not None
    assert table.current.number == 2
    assert work_folders() == []


def test_a_run_that_still_beats_is_left_alone(ingest: Ingest) -> None:
    resource, _table = ingest(CSV)
    run = started(resource, beat_ago=timedelta(seconds=10))

    tasks.recover()

    table = table_of(resource)
    assert (table.state, table.attempts) == (State.RUNNING, 1)
    assert work_folders() == [f"{run.name}-x1y2"]


def test_a_run_whose_process_is_gone_from_this_machine_is_dead_at_once(ingest: Ingest) -> None:
    resource, _table = ingest(CSV)
    started(resource, worker=f"{socket.gethostname()}:{gone_pid()}:abcd")

    tasks.recover()

    assert table_of(resource).state == State.READY
    assert work_folders() == []


def test_a_file_that_stopped_its_worker_too_often_is_marked_failed(
        ingest: Ingest, settings: LazySettings) -> None:
    settings.DATASTORE_MAX_ATTEMPTS = 2
    resource, _table = ingest(CSV)
    started(resource, beat_ago=timedelta(minutes=2))
    tasks.recover()  # the first start died: queued again, and it completes
    assert table_of(resource).state == State.READY
    run = started(resource, beat_ago=timedelta(minutes=2))
    DataTable.objects.filter(pk=run.table_id).update(attempts=2)  # its second start died too

    tasks.recover()

    table = table_of(resource)
    assert table.state == State.FAILED
    with translation.override("en"):
        assert "stopped the portal's job worker 2 times" in render(table.message)
    assert table.current is not None
    assert table.current.number == 2
    assert work_folders() == []


def test_a_pending_request_whose_job_was_lost_is_queued_again(ingest: Ingest) -> None:
    resource, _table = ingest(CSV)
    table = services.schedule_ingestion(resource, enqueue=False)
    assert table is not None
    DataTable.objects.filter(pk=table.pk).update(
        requested=timezone.now() - timedelta(minutes=2))

    tasks.recover()

    assert table_of(resource).state == State.READY


def test_a_request_just_made_is_left_to_its_job(ingest: Ingest) -> None:
    resource, _table = ingest(CSV)
    services.schedule_ingestion(resource, enqueue=False)

    tasks.recover()

    assert table_of(resource).state == State.PENDING


def test_a_worker_is_gone_only_when_this_machine_can_tell() -> None:
    host = socket.gethostname()
    assert not runstate.worker_gone(runstate.worker_id())  # this process
    assert runstate.worker_gone(f"{host}:{gone_pid()}:abcd")
    assert runstate.worker_gone(runstate.worker_id().rpartition(":")[0] + ":other-start")
    assert not runstate.worker_gone(f"another-machine:{gone_pid()}:abcd")  # the heartbeat says
    assert not runstate.worker_gone("")
