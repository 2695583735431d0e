"""Ingestion cannot go back in time: a run that read an older file never replaces the table of a
newer request, nor its state.

In the first tests the order is forced without sleeps: the resource links to a local server
that sends the old file all but its last byte, then (while that run waits for the byte) lets
the resource change and the newer run finish, and only then sends the last byte. The runs are
real: the job runs on commit (Huey's immediate mode), the download is a real HTTP exchange, the
database is real. Then the state machine's steps one by one (runstate.py), and the commit's
row lock against a request whose transaction is still open (PostgreSQL).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler

import pytest
from django.conf import LazySettings
from django.core.files.storage import default_storage
from django.db import connection, transaction

from portal.accounts.models import User
from portal.agencies.models import Agency
from portal.catalog import services as catalog
from portal.catalog.models import Resource, ResourceKind
from portal.datastore import runs, runstate, services
from portal.datastore.errors import render
from portal.datastore.models import DataTable, State
from portal.datastore.runstate import Run
from portal.datastore.tests.conftest import Ingest
from portal.lib import factories
from portal.lib.tests.conftest import LocalServer, running, send

DEADLINE = 30.0  # seconds a thread may take on a busy machine
CSV = b"ma,ten\n1,Hoa Lu\n"
OLD = b"ma,ten_cu\n1,Hoa Lu\n2,Gia Vien\n"
NEW = b"ma,ten_moi,dan_so\n1,Hoa Lu,12000\n"

Newer = Callable[[], None]


@pytest.fixture
def files(settings: LazySettings) -> Iterator[LocalServer]:
    """A local server the portal may download from (on the allow-list although on 127.0.0.1)."""
    server = LocalServer()
    settings.FETCH_ALLOWED_HOSTS = [f"127.0.0.1:{server.port}"]
    server.routes["/new.csv"] = lambda handler: send(handler, NEW)
    yield from running(server)


def old_file_then(newer: Newer, errors: list[BaseException], *,
                  finish: bool) -> Callable[[BaseHTTPRequestHandler], None]:
    """A route that sends the old file but its last byte, runs `newer` (in the server's thread,
    while the old run waits for that byte), then sends the byte (or hangs up)."""

    def route(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Length", str(len(OLD)))
        handler.end_headers()
        handler.wfile.write(OLD[:-1])
        handler.wfile.flush()
        try:
            newer()
        except BaseException as error:  # reported by the test, not lost in the server
            errors.append(error)
        finally:
            connection.close()
        if finish:
            handler.wfile.write(OLD[-1:])

    return route


def link_to(url: str) -> catalog.ResourceFields:
    return catalog.ResourceFields(name="Xã, phường", kind=ResourceKind.LINK, url=url,
                                  format="CSV")


def relink(editor: User, old_url: str, new_url: str) -> Newer:
    """The agency points the resource at the new file: a newer request, run at once."""
    def newer() -> None:
        resource = Resource.objects.get(url=old_url)
        catalog.resource_update(user=editor, resource=resource, data=link_to(new_url))
    return newer


def column_names(table: DataTable) -> list[str]:
    assert table.current is not None, render(table.message)
    return [field["name"] for field in table.current.sheets[0]["schema"]["fields"]]


def stored_files(resource: Resource) -> list[str]:
    found: list[str] = []
    folders = [f"datastore/{resource.pk}"]
    while folders:
        folder = folders.pop()
        if not default_storage.exists(folder):
            continue
        subfolders, names = default_storage.listdir(folder)
        folders += [f"{folder}/{name}" for name in subfolders]
        found += [f"{folder}/{name}" for name in names]
    return sorted(found)


def old_run_ends_last(files: LocalServer, agency: Agency, editor: User, *,
                      finish: bool) -> tuple[Resource, DataTable]:
    """A resource linking the old file is created; its run reads the old file, meanwhile the
    agency links the new file and that run finishes; then the old run gets its last byte
    (`finish`) or the connection closes. The resource, and its table after both runs."""
    dataset = factories.make_dataset(agency=agency, user=editor)
    old_url, new_url = files.url("/old.csv"), files.url("/new.csv")
    errors: list[BaseException] = []
    files.routes["/old.csv"] = old_file_then(relink(editor, old_url, new_url), errors,
                                             finish=finish)
    resource = catalog.resource_create(user=editor, dataset=dataset, data=link_to(old_url))
    assert errors == []
    return resource, DataTable.objects.select_related("current").get(resource=resource)


@pytest.mark.django_db(transaction=True)
def test_a_run_of_the_old_file_that_finishes_last_changes_nothing(
        files: LocalServer, agency: Agency, editor: User) -> None:
    resource, table = old_run_ends_last(files, agency, editor, finish=True)

    assert table.state == State.READY, render(table.message)
    assert column_names(table) == ["_id", "ma", "ten_moi", "dan_so"]
    assert [version.number for version in table.versions.all()] == [1]
    # The dropped run stored nothing: only the current version's files are there.
    assert table.current is not None
    assert stored_files(resource) == [sheet["file"] for sheet in table.current.sheets]


@pytest.mark.django_db(transaction=True)
def test_a_superseded_run_that_fails_leaves_the_newer_state(
        files: LocalServer, agency: Agency, editor: User) -> None:
    _resource, table = old_run_ends_last(files, agency, editor, finish=False)

    assert (table.state, render(table.message)) == (State.READY, "")
    assert column_names(table) == ["_id", "ma", "ten_moi", "dan_so"]


# The state machine, step by step -----------------------------------------------------------


@pytest.mark.django_db
def test_a_run_starts_only_for_the_latest_request_and_only_once(ingest: Ingest) -> None:
    resource, _table = ingest(CSV)
    older = services.schedule_ingestion(resource, enqueue=False)
    newer = services.schedule_ingestion(resource, enqueue=False)
    assert older is not None
    assert newer is not None

    assert runs.run_ingestion(older.pk, older.request_stamp).state == State.PENDING
    done = runs.run_ingestion(newer.pk, newer.request_stamp)
    assert (done.state, done.current and done.current.number) == (State.READY, 2)
    again = runs.run_ingestion(newer.pk, newer.request_stamp)  # a second job for it
    assert (again.state, again.current and again.current.number) == (State.READY, 2)


@pytest.mark.django_db
def test_an_overtaken_run_writes_neither_progress_nor_its_end_nor_a_version(
        ingest: Ingest) -> None:
    resource, ready = ingest(CSV)
    assert ready.current is not None
    run = claimed(resource)
    services.schedule_ingestion(resource, enqueue=False)  # the agency uploads again

    runstate.Heartbeat(run).progress(0.75)
    assert not runs.commit(run, ready.current.sheets, sha256="", encoding="utf-8")
    runs.finish(run, State.FAILED, {"id": "The file could not be read."})

    table = DataTable.objects.get(resource=resource)
    assert (table.state, table.progress, table.message) == (State.PENDING, 0.0, {})
    assert [version.number for version in table.versions.all()] == [1]


@pytest.mark.django_db
def test_the_latest_run_writes_its_progress(ingest: Ingest) -> None:
    resource, _table = ingest(CSV)
    run = claimed(resource)

    runstate.Heartbeat(run).progress(0.75)

    assert DataTable.objects.get(resource=resource).progress == 0.75


@pytest.mark.django_db(transaction=True)
def test_the_commit_waits_for_a_request_being_made_and_then_drops_the_run(
        ingest: Ingest) -> None:
    """The commit holds the table's row: a request whose transaction is still open when the
    run commits is waited for, and wins."""
    if connection.vendor != "postgresql":
        pytest.skip("on SQLite every write transaction begins IMMEDIATE: the two cannot overlap")
    resource, ready = ingest(CSV)
    assert ready.current is not None
    versions = list(ready.versions.values_list("number", flat=True))
    run = claimed(resource)
    requested, release = threading.Event(), threading.Event()
    outcome: list[bool | BaseException] = []

    def request() -> None:  # the agency uploads again; its transaction stays open a moment
        try:
            with transaction.atomic():
                services.schedule_ingestion(resource, enqueue=False)
                requested.set()
                release.wait(DEADLINE)
        finally:
            connection.close()

    def commit() -> None:
        try:
            outcome.append(runs.commit(run, ready.current.sheets if ready.current else [],
                                       sha256="", encoding="utf-8"))
        except BaseException as error:
            outcome.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=request), threading.Thread(target=commit)]
    threads[0].start()
    assert requested.wait(DEADLINE)
    threads[1].start()
    waiting_for_lock()
    release.set()
    for thread in threads:
        thread.join(DEADLINE)
    assert outcome == [False]
    table = DataTable.objects.get(resource=resource)
    assert table.state == State.PENDING
    assert list(table.versions.values_list("number", flat=True)) == versions


def claimed(resource: Resource) -> Run:
    table = services.schedule_ingestion(resource, enqueue=False)
    assert table is not None
    run = runstate.claim(table.pk, table.request_stamp)
    assert run is not None
    return run


def waiting_for_lock() -> None:
    """Until another session of this database waits for a row lock (PostgreSQL)."""
    deadline = time.monotonic() + DEADLINE
    with connection.cursor() as cursor:
        while True:
            cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = "
                           "current_database() AND wait_event_type = 'Lock'")
            row = cursor.fetchone()
            if row and row[0]:
                return
            assert time.monotonic() < deadline, "the commit never waited for the request"
            threading.Event().wait(0.05)
