"""GET|POST /api/v1/sql: one read-only SELECT over resource tables, for those who may see them;
everything else refused with a clear error, and a query that runs too long stopped."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import LazySettings

from portal.accounts.models import User
from portal.agencies.models import Agency
from portal.api.tests.conftest import Api, error_of, token_for
from portal.catalog.models import Resource
from portal.datastore.tests.api_support import english_client, ready
from portal.lib import factories

pytestmark = pytest.mark.django_db


def sql(api: Api, statement: str, method: str = "get") -> Any:
    if method == "get":
        return api.call("get", "/sql", {"sql": statement})
    return api.call("post", "/sql", {"sql": statement})


def test_select_by_get_and_post(api: Api, communes: Resource) -> None:
    statement = (f'SELECT huyen, count(*) AS so_xa, sum(dan_so) AS dan_so, '
                 f'min(ngay_cap_nhat) AS tu FROM "{communes.pk}" GROUP BY huyen ORDER BY huyen')
    for method in ("get", "post"):
        response = sql(api, statement, method)
        assert response.status_code == 200, response.content
        body = response.json()
        assert body["fields"] == [{"name": "huyen", "type": "string"},
                                  {"name": "so_xa", "type": "integer"},
                                  {"name": "dan_so", "type": "integer"},
                                  {"name": "tu", "type": "date"}]
        assert body["records"][0] == {"huyen": "Gia Viễn", "so_xa": 2, "dan_so": 49270,
                                      "tu": "2026-03-15"}
        assert body["records_truncated"] is False


def test_results_past_the_cap_are_truncated(api: Api, communes: Resource,
                                            settings: LazySettings) -> None:
    settings.DATASTORE_SQL_MAX_ROWS = 4
    body = sql(api, f'SELECT ma_xa, ma_xa FROM "{communes.pk}"').json()
    assert len(body["records"]) == 4
    assert body["records_truncated"] is True
    # a repeated column gets a number, as in every JSON answer of the API
    assert [field["name"] for field in body["fields"]] == ["ma_xa", "ma_xa_2"]


def test_two_tables_can_be_joined(api: Api, communes: Resource, editor: User) -> None:
    other = ready(communes.dataset, editor)
    body = sql(api, f'SELECT count(*) AS n FROM "{communes.pk}" a JOIN "{other.pk}" b '
                    f'USING (ma_xa)').json()
    assert body["records"] == [{"n": 6}]


def test_non_public_tables_answer_only_those_who_may_see_them(agency: Agency,
                                                             editor: User) -> None:
    hidden = ready(factories.make_dataset(agency=agency, user=editor, access_level="agency"),
                   editor)
    statement = f'SELECT count(*) AS n FROM "{hidden.pk}"'
    error_of(sql(Api(english_client()), statement), 404, "not_found")
    outsider = factories.make_user(role="editor", agency=factories.make_agency())
    error_of(sql(Api(english_client(), token_for(outsider)), statement), 404, "not_found")
    member = factories.make_user(role="member", agency=agency)
    response = sql(Api(english_client(), token_for(member)), statement)
    assert response.json()["records"] == [{"n": 6}]


@pytest.mark.parametrize("statement", [
    "",
    "DROP TABLE x",
    "SELECT 1; SELECT 2",
    "SELECT * FROM read_csv('/etc/passwd')",
    "SELECT * FROM '/etc/passwd'",
    "COPY (SELECT 1) TO '/tmp/x.csv'",
    "ATTACH '/tmp/x.db'",
    "INSTALL httpfs",
    "LOAD httpfs",
    "SET threads = 64",
    "PRAGMA database_list",
    "SELECT * FROM duckdb_settings()",
    "SELECT current_setting('threads')",
    "SELECT getenv('HOME')",
    "SELECT 1 /* ; DROP TABLE t */ ; DROP TABLE t",
    "SELECT * FROM portal_user",
    "SELECT 'a string that never ends",  # a tokenizer error, once a server error
])
def test_everything_but_a_select_over_resource_tables_is_refused(api: Api,
                                                                 statement: str) -> None:
    error_of(sql(api, statement), 400, "sql_refused")


def test_a_table_that_does_not_exist_is_not_found(api: Api) -> None:
    error_of(sql(api, 'SELECT * FROM "5b3c9a52-6f0c-4b8a-9d55-3f2b8a7c1e00"'), 404)


def test_a_query_that_fails_says_why(api: Api, communes: Resource) -> None:
    error = error_of(sql(api, f'SELECT khong_co FROM "{communes.pk}"'), 400, "query_failed")
    assert "khong_co" in error["message"]


def test_a_query_past_the_time_limit_is_stopped_with_a_400_naming_it(
        api: Api, communes: Resource, settings: LazySettings) -> None:
    settings.DATASTORE_QUERY_TIMEOUT = 0.2
    table = f'"{communes.pk}"'
    statement = (f"SELECT count(DISTINCT a.ten_xa || b.ten_xa || c.ten_xa || d.ten_xa || "
                 f"e.ten_xa || f.ten_xa || g.ten_xa || h.ten_xa || i.ten_xa || j.ten_xa || "
                 f"k.ten_xa || l.ten_xa) FROM {table} a, {table} b, {table} c, {table} d, "
                 f"{table} e, {table} f, {table} g, {table} h, {table} i, {table} j, "
                 f"{table} k, {table} l")  # 6^12 = two billion rows
    error = error_of(sql(api, statement), 400, "query_timeout")
    assert "longer than 0.2 seconds" in error["message"]
    assert sql(api, f"SELECT count(*) AS n FROM {table}").json()["records"] == [{"n": 6}]


def test_post_without_a_statement_is_a_validation_error(api: Api) -> None:
    error_of(api.call("post", "/sql", {}), 422, "validation_error")
    error_of(api.call("get", "/sql"), 422, "validation_error")
