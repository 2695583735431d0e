"""Resource bombs through the HTTP doors of a running portal, with the memory of the serving
processes watched: the web process never grows, and no query process passes
DATASTORE_PROCESS_MEMORY (issue 8, item 1). The fuzz is seeded and bounded in time."""

# ruff: noqa: S608 - the statements are what an attacker would send

from __future__ import annotations

import os
import random
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests
from django.conf import LazySettings
from pytest_django.live_server_helper import LiveServer

from portal.accounts.models import User
from portal.agencies.models import Agency
from portal.datastore.tests.api_support import ready
from portal.lib import factories

pytestmark = pytest.mark.django_db(transaction=True)

FUZZ_SECONDS = 8.0
WEB_GROWTH_LIMIT = 256 * 2**20  # the web process holds answers only (DATASTORE_MAX_RESULT_SIZE)
ISSUE_STATEMENTS = [
    'SELECT len(range(2000000000)) AS n FROM "{t}"',
    'SELECT unnest(range(1000000000)) AS x FROM "{t}" ORDER BY x',
    "SELECT length(repeat('x', 1500000000)) AS n FROM \"{t}\"",
    "SELECT length(lpad('x', 1500000000, 'x')) AS n FROM \"{t}\"",
    "SELECT lpad('x', 400000000, 'x') AS s FROM \"{t}\" LIMIT 1",
]


def _kilobytes(pid: int, field_name: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field_name + ":"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return 0


def _descendants(pid: int) -> set[int]:
    found: set[int] = set()
    pending = [pid]
    while pending:
        parent = pending.pop()
        for task in Path(f"/proc/{parent}/task").glob("*"):
            try:
                children = {int(child) for child in (task / "children").read_text().split()}
            except (OSError, ValueError):
                continue
            pending.extend(children - found)
            found |= children
    return found


@dataclass
class Watch:
    """Samples the web process's resident memory and the peak of every process it started."""

    web_baseline: int
    web_peak: int = 0
    children_peak: dict[int, int] = field(default_factory=dict)
    stop: threading.Event = field(default_factory=threading.Event)

    def run(self) -> None:
        while not self.stop.wait(0.02):
            self.sample()

    def sample(self) -> None:
        me = os.getpid()
        self.web_peak = max(self.web_peak, _kilobytes(me, "VmRSS"))
        for child in _descendants(me):
            peak = max(_kilobytes(child, "VmHWM"), _kilobytes(child, "VmRSS"))
            self.children_peak[child] = max(self.children_peak.get(child, 0), peak)


@pytest.fixture
def watch() -> Iterator[Watch]:
    watching = Watch(web_baseline=_kilobytes(os.getpid(), "VmRSS"))
    thread = threading.Thread(target=watching.run, daemon=True)
    thread.start()
    yield watching
    watching.stop.set()
    thread.join()


def fuzz_statements(table: str, rng: random.Random) -> Iterator[str]:
    """List, text and recursive constructions of random sizes, up to far past any limit."""
    t = f'"{table}"'
    shapes = [
        "SELECT len(range({n})) FROM {t}",
        "SELECT list_sum(list_transform(range({n}), lambda x: x * 2)) FROM {t}",
        "SELECT count(*) FROM (SELECT unnest(range({n})) AS x FROM {t} ORDER BY x DESC)",
        "SELECT len(flatten([range({n}), range({n})])) FROM {t}",
        "SELECT len(list_sort(generate_series(1, {n}))) FROM {t}",
        "SELECT length(lpad(ten_xa, {n}, 'đ')) FROM {t}",
        "SELECT length(format('{{:>{n}}}', ten_xa)) FROM {t}",
        "SELECT length(array_to_string(range({n}), ',')) FROM {t}",
        "SELECT length(string_agg(a.ten_xa, ',')) FROM {t} a, {t} b, {t} c, {t} d, {t} e",
        "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < {n}) "
        "SELECT count(*) FROM r, {t}",
        "WITH RECURSIVE r(s) AS (SELECT 'x' UNION ALL SELECT s || s FROM r "
        "WHERE length(s) < {n}) SELECT max(length(s)) FROM r, {t}",
        "SELECT list_value(range({n}), range({n})) FROM {t}",
        "SELECT ten_xa, range({n}) FROM {t}",
    ]
    while True:
        n = 10 ** rng.randint(3, 10)
        yield rng.choice(shapes).format(n=n, t=t)


def ask(base: str, statement: str, door: int) -> int:
    if door == 0:
        response = requests.post(f"{base}/api/v1/sql", json={"sql": statement}, timeout=60)
    else:
        response = requests.post(f"{base}/api/3/action/datastore_search_sql",
                                 json={"sql": statement}, timeout=60)
    assert response.status_code in (200, 400, 409, 503), (statement, response.text[:300])
    assert len(response.content) < 17 * 2**20
    return response.status_code


def test_resource_bombs_leave_the_serving_processes_within_their_limits(
        live_server: LiveServer, agency: Agency, editor: User, settings: LazySettings,
        watch: Watch) -> None:
    settings.DATASTORE_QUERY_TIMEOUT = 1
    table = str(ready(factories.make_dataset(agency=agency, user=editor), editor).pk)
    base = live_server.url
    assert ask(base, f'SELECT count(*) FROM "{table}"', 0) == 200  # the pool is up
    watch.web_baseline = max(watch.web_baseline, _kilobytes(os.getpid(), "VmRSS"))
    for statement in ISSUE_STATEMENTS:
        for door in (0, 1):
            assert ask(base, statement.format(t=table), door) != 200
    rng = random.Random(8)
    deadline, asked = time.monotonic() + FUZZ_SECONDS, 0
    for statement in fuzz_statements(table, rng):
        if time.monotonic() > deadline:
            break
        ask(base, statement, asked % 2)
        asked += 1
    watch.sample()
    limit = settings.DATASTORE_PROCESS_MEMORY
    print(f"\nweb process: baseline {watch.web_baseline / 2**20:.0f} MiB, peak "
          f"{watch.web_peak / 2**20:.0f} MiB; query processes' peaks (MiB): "
          f"{sorted(round(peak / 2**20) for peak in watch.children_peak.values())}; "
          f"limit {limit / 2**20:.0f} MiB; {asked} fuzz statements")
    assert watch.web_peak - watch.web_baseline < WEB_GROWTH_LIMIT
    assert watch.children_peak, "no query process was seen"
    assert max(watch.children_peak.values()) <= limit
    assert ask(base, f'SELECT count(*) FROM "{table}"', 1) == 200
