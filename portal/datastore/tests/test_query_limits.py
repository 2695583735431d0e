"""The limits of the data queries hold for any statement, at both API doors: memory (the query
process's address space), nesting, statement length and the size of an answer; each refusal is
a 4xx in the door's shape that names the limit (issue 8, items 1 to 4)."""

from __future__ import annotations

import contextlib
import threading
import time
from typing import Any

import pytest
from django.conf import LazySettings
from django.test import Client

from portal.api.tests.conftest import Api, error_of
from portal.catalog.models import Resource
from portal.datastore import processes
from portal.datastore.engine import QueryTimeout
from portal.interop.tests.conftest import call

pytestmark = pytest.mark.django_db


def v1(api: Api, statement: str) -> Any:
    return api.call("post", "/sql", {"sql": statement})


def ckan_refusal(client: Client, statement: str) -> str:
    answer = call(client, "datastore_search_sql", "post", sql=statement)
    assert answer.status == 409, answer.body
    assert answer.error["__type"] == "Validation Error"
    return str(answer.error["query"][0])


MEMORY_BOMBS = [
    'SELECT len(range(2000000000)) AS n FROM "{id}"',
    'SELECT unnest(range(1000000000)) AS x FROM "{id}" ORDER BY x DESC',
    'SELECT list_sum(list_transform(range(300000000), lambda x: x + 1)) AS n FROM "{id}"',
]
# Texts are built a character at a time: these meet the time limit or the memory limit first.
SLOW_BOMBS = [
    "SELECT length(lpad('x', 1500000000, 'x')) AS n FROM \"{id}\"",
    "SELECT length(format('{{:>1500000000}}', 'x')) AS n FROM \"{id}\"",
    "WITH RECURSIVE r(s) AS (SELECT 'x' UNION ALL SELECT s || s FROM r) "
    "SELECT max(length(s)) FROM r, \"{id}\"",
]


@pytest.mark.parametrize("template", SLOW_BOMBS)
def test_statements_that_build_huge_texts_stop_at_a_limit(
        api: Api, client: Client, communes: Resource, settings: LazySettings,
        template: str) -> None:
    settings.DATASTORE_QUERY_TIMEOUT = 2
    statement = template.format(id=communes.pk)
    response = v1(api, statement)
    error = error_of(response, 400)
    assert error["code"] in ("query_too_large", "query_timeout")
    assert any(limit in ckan_refusal(client, statement)
               for limit in ("more memory", "longer than 2 seconds"))
    body = v1(api, f'SELECT count(*) AS n FROM "{communes.pk}"').json()
    assert body["records"] == [{"n": 6}]


@pytest.mark.parametrize("template", MEMORY_BOMBS)
def test_statements_past_the_memory_limit_are_stopped_with_a_clear_400(
        api: Api, client: Client, communes: Resource, template: str) -> None:
    statement = template.format(id=communes.pk)
    error = error_of(v1(api, statement), 400, "query_too_large")
    assert "more memory than one query may use" in error["message"]
    assert "more memory than one query may use" in ckan_refusal(client, statement)
    body = v1(api, f'SELECT count(*) AS n FROM "{communes.pk}"').json()
    assert body["records"] == [{"n": 6}]  # the next query runs


# A cross join of the six communes twelve times: two billion rows to add up, in little memory.
ENDLESS = ('SELECT sum(length(a.ten_xa || b.ten_xa || c.ten_xa || d.ten_xa || e.ten_xa || '
           'f.ten_xa || g.ten_xa || h.ten_xa || i.ten_xa || j.ten_xa || k.ten_xa || l.ten_xa)) '
           'FROM {t} a, {t} b, {t} c, {t} d, {t} e, {t} f, {t} g, {t} h, {t} i, {t} j, {t} k, '
           '{t} l')


def test_a_query_past_its_own_time_limit_is_a_4xx_naming_the_limit_at_both_doors(
        api: Api, client: Client, communes: Resource, settings: LazySettings) -> None:
    settings.DATASTORE_QUERY_TIMEOUT = 1
    statement = ENDLESS.format(t=f'"{communes.pk}"')
    error = error_of(v1(api, statement), 400, "query_timeout")
    assert "longer than 1 seconds" in error["message"]
    assert "longer than 1 seconds" in ckan_refusal(client, statement)


def test_only_a_busy_portal_is_a_503_with_retry_after_at_both_doors(
        api: Api, client: Client, communes: Resource, settings: LazySettings) -> None:
    """Every query process taken (one here, by a query that runs past its limit): the next
    query is not the caller's fault, and says when to come back."""
    settings.DATASTORE_QUERY_PROCESSES = 1
    settings.DATASTORE_QUERY_TIMEOUT = 1
    processes.call(len, "")  # the pool of one, started
    holder = threading.Thread(target=_hold_the_only_process)
    holder.start()
    try:
        deadline = time.monotonic() + 30
        while not processes._pool()._idle.empty() and time.monotonic() < deadline:
            time.sleep(0.005)
        response = v1(api, f'SELECT count(*) FROM "{communes.pk}"')
        error = error_of(response, 503, "server_busy")
        assert "too many data queries" in error["message"]
        assert response["Retry-After"] == "1"
        answer = client.post("/api/3/action/datastore_search_sql",
                             {"sql": f'SELECT count(*) FROM "{communes.pk}"'},
                             HTTP_ACCEPT_LANGUAGE="en")
        assert answer.status_code == 503
        assert answer["Retry-After"] == "1"
        assert "too many data queries" in answer.json()["error"]["message"]
    finally:
        holder.join()
    assert v1(api, f'SELECT count(*) AS n FROM "{communes.pk}"').json()["records"] == [{"n": 6}]


def _hold_the_only_process() -> None:
    with contextlib.suppress(QueryTimeout):
        processes.call(time.sleep, 60)  # killed at the limit and its grace: 3 s


def test_repeat_is_not_a_function_public_sql_may_call(api: Api, communes: Resource) -> None:
    error = error_of(v1(api, f"SELECT length(repeat('x', 1500000000)) FROM \"{communes.pk}\""),
                     400, "sql_refused")
    assert "repeat" in error["message"]


@pytest.mark.parametrize("template", [
    "SELECT j.* FROM \"{id}\" t, LATERAL json_execute_serialized_sql("
    "json_serialize_sql('SELECT name,value FROM duckdb_settings()')) j",
    'WITH duckdb_views AS (SELECT * FROM duckdb_views) SELECT sql FROM duckdb_views, "{id}"',
    "SELECT current_setting('allowed_paths') FROM \"{id}\"",
    "SELECT * FROM \"{id}\", query('SELECT * FROM duckdb_settings()')",
    "SELECT * FROM query_table('{id}')",
])
def test_functions_that_run_sql_or_read_settings_are_refused(
        api: Api, client: Client, communes: Resource, template: str) -> None:
    statement = template.format(id=communes.pk)
    error_of(v1(api, statement), 400, "sql_refused")
    assert "duckdb" not in ckan_refusal(client, statement).replace("duckdb_views", "")


def test_the_length_cap_holds_at_both_doors(api: Api, client: Client, communes: Resource,
                                           settings: LazySettings) -> None:
    long = f'SELECT count(*) FROM "{communes.pk}" WHERE ten_xa IN (' + \
        ", ".join(["'Xã Gia Viễn'"] * 8000) + ")"
    assert len(long) > settings.DATASTORE_SQL_MAX_LENGTH
    error = error_of(v1(api, long), 400, "sql_refused")
    assert "at most 100000" in error["message"]
    assert error["fields"] == {"sql": ["At most 100000 characters."]}
    started = time.monotonic()
    assert "at most 100000" in ckan_refusal(client, long * 9)  # 1 MB, read at once
    assert time.monotonic() - started < 5


@pytest.mark.parametrize("nested", [
    "SELECT " + "(" * 5000 + "1" + ")" * 5000 + ' FROM "{id}"',
    "SELECT " + "+".join(["1"] * 20000) + ' FROM "{id}"',
    "SELECT * FROM " + "(SELECT * FROM " * 2000 + '"{id}"' + ")" * 2000,
])
def test_deep_nesting_is_refused_with_400_not_a_server_error(
        api: Api, client: Client, communes: Resource, nested: str) -> None:
    statement = nested.replace('"{id}"', f'"{communes.pk}"')
    error = error_of(v1(api, statement), 400, "sql_refused")
    assert "more than 100 levels deep" in error["message"]
    assert "more than 100 levels deep" in ckan_refusal(client, statement)


def test_an_sql_result_past_the_size_cap_is_cut_and_says_why(
        api: Api, client: Client, communes: Resource, settings: LazySettings) -> None:
    settings.DATASTORE_MAX_RESULT_SIZE = 400
    statement = f'SELECT ten_xa, lpad(\'x\', 100, \'x\') AS note FROM "{communes.pk}"'
    body = v1(api, statement).json()
    assert 0 < len(body["records"]) < 6
    assert body["records_truncated"] is True
    assert body["records_truncated_reason"] == "size"
    result = call(client, "datastore_search_sql", sql=statement).result
    assert result["records_truncated_reason"] == "size"
    settings.DATASTORE_SQL_MAX_ROWS = 2
    body = v1(api, f'SELECT ma_xa FROM "{communes.pk}"').json()
    assert (len(body["records"]), body["records_truncated_reason"]) == (2, "rows")


def test_one_row_larger_than_an_answer_may_be_is_a_400(
        api: Api, communes: Resource, settings: LazySettings) -> None:
    """Not sent, and never held by the web process: the query process measures it."""
    settings.DATASTORE_MAX_RESULT_SIZE = 2**20
    error = error_of(v1(api, f"SELECT format('{{:>2000000}}', 'x') AS s FROM "
                             f"\"{communes.pk}\" LIMIT 1"), 400, "query_too_large")
    assert "larger than an answer may be (1 MiB)" in error["message"]


def test_a_page_of_records_past_the_size_cap_is_refused_naming_the_limit(
        api: Api, client: Client, communes: Resource, settings: LazySettings) -> None:
    settings.DATASTORE_MAX_RESULT_SIZE = 300
    response = api.call("get", f"/resources/{communes.pk}/records", {"limit": 6})
    error = error_of(response, 400, "query_too_large")
    assert "Ask for fewer rows" in error["message"]
    assert "limit" in error["fields"]
    assert api.call("get", f"/resources/{communes.pk}/records",
                    {"limit": 1}).status_code == 200
    answer = call(client, "datastore_search", resource_id=str(communes.pk), limit=6)
    assert answer.status == 409
    assert "Ask for fewer rows" in answer.error["query"][0]


def test_the_preview_page_says_in_vietnamese_when_a_page_passes_the_size_cap(
        communes: Resource, settings: LazySettings) -> None:
    settings.DATASTORE_MAX_RESULT_SIZE = 300
    page = Client().get(f"/dataset/{communes.dataset.slug}/resource/{communes.pk}",
                        headers={"HX-Request": "true"})
    html = page.content.decode()
    assert page.status_code == 200
    assert 'role="alert"' in html
    assert "vượt quá mức một câu trả lời được chứa" in html
