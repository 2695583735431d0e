"""The query processes: bounded in memory, killed and replaced past the time limit, never
holding DuckDB in the process they are forked from."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.conf import LazySettings
from django.utils import translation

from portal.datastore import processes, query
from portal.datastore.engine import QueryTimeout, QueryTooLarge
from portal.lib.errors import ApplicationError

ROOT = Path(__file__).resolve().parents[3]


def test_a_query_runs_in_another_process_with_the_memory_limit(settings: LazySettings) -> None:
    settings.DATASTORE_PROCESS_MEMORY = 768 * 2**20
    assert processes.call(os.getpid) != os.getpid()
    assert processes.call(resource.getrlimit, resource.RLIMIT_AS) == (768 * 2**20,) * 2


def test_a_query_sees_the_callers_settings_and_language(settings: LazySettings) -> None:
    settings.DATASTORE_SQL_MAX_ROWS = 7
    with translation.override("en"):
        assert processes.call(translation.get_language) == "en"
    assert processes.call(processes._forwarded_settings)["DATASTORE_SQL_MAX_ROWS"] == 7


def test_a_process_stuck_past_the_time_limit_is_killed_and_replaced(
        settings: LazySettings) -> None:
    settings.DATASTORE_QUERY_TIMEOUT = 0.5
    first = processes.call(os.getpid)
    started = time.monotonic()
    with translation.override("en"), pytest.raises(QueryTimeout, match=r"0\.5 seconds"):
        processes.call(time.sleep, 60)  # in one call: no interrupt reaches it
    assert time.monotonic() - started < 0.5 + processes.KILL_GRACE_SECONDS + 2
    assert processes.call(os.getpid) not in (first, os.getpid())


def test_a_process_that_dies_is_a_memory_error_and_is_replaced() -> None:
    with translation.override("en"), pytest.raises(QueryTooLarge, match="more memory"):
        processes.call(os._exit, 9)
    assert processes.call(len, "abc") == 3


def test_running_out_of_address_space_is_a_clear_error_and_retires_the_process(
        settings: LazySettings) -> None:
    settings.DATASTORE_PROCESS_MEMORY = 512 * 2**20
    first = processes.call(os.getpid)
    with translation.override("en"), pytest.raises(QueryTooLarge, match="512 MiB"):
        processes.call(bytearray, 2**30)
    assert processes.call(os.getpid) != first


def test_refusals_cross_with_their_fields(tmp_path: Path) -> None:
    table = query.Table(file="", rows=0, schema={"fields": [{"name": "a", "type": "integer"}]})
    with pytest.raises(query.QueryError) as refused:
        processes.call(query.records_from, tmp_path / "none.parquet", table,
                       query.RecordsQuery(fields=["b"]))
    assert isinstance(refused.value, ApplicationError)
    assert set(refused.value.field_errors) == {"b"}


def test_the_fork_server_loads_django_but_never_duckdb() -> None:
    """Every query process is forked from the fork server: it must not hold DuckDB."""
    check = ("import sys, portal.datastore.process_boot; "
             "from django.apps import apps; assert apps.ready; "
             "assert 'duckdb' not in sys.modules, 'process_boot loaded DuckDB'")
    env = os.environ | {"DJANGO_SETTINGS_MODULE": "portal.settings"}
    subprocess.run([sys.executable, "-c", check], cwd=ROOT, env=env, check=True, timeout=120)


def test_an_answer_that_cannot_cross_is_a_fault_and_the_pool_goes_on() -> None:
    with pytest.raises(RuntimeError, match="query process failed"):
        processes.call(threading.Lock)  # a lock cannot be pickled back
    assert processes.call(len, "ab") == 2
