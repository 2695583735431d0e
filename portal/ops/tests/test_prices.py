"""What each request costs in the rate-limit budgets (portal/ops/prices.py; the table of
docs/security.md): catalogue reads are cheap, the work of the data engine is costly."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.conf import LazySettings
from django.test import RequestFactory

from portal.ops.prices import (
    AGGREGATE,
    EXPORT,
    FORM,
    PAGE,
    QUERY,
    READ,
    SQL,
    TABLE_PAGE,
    WRITE,
    Price,
    price_of,
)

RESOURCE = "8a4c3bde-3c1e-4c0e-9a57-5d4b0f6c2e11"
factory = RequestFactory()


def get(path: str, **headers: Any) -> Price:
    return price_of(factory.get(path, **headers))


def post_json(path: str, body: dict[str, Any]) -> Price:
    return price_of(factory.post(path, json.dumps(body), content_type="application/json"))


@pytest.mark.parametrize("path", [
    "/api/3/action/package_show?id=dan-so", "/api/3/action/package_list",
    "/api/action/package_list", "/api/3/action/organization_show?id=so-y-te",
    "/api/3/action/organization_list", "/api/3/action/group_list", "/api/3/action/group_show",
    "/api/3/action/resource_show", "/api/3/action/tag_list", "/api/3/action/status_show",
    "/api/3/action/datastore_info", "/api/3", "/api/v1/datasets/dan-so", "/api/v1/sectors",
    "/api/v1/agencies/so-y-te", f"/api/v1/resources/{RESOURCE}",
    f"/api/v1/resources/{RESOURCE}/versions/1.parquet", "/api/v1/no-such-thing",
    "/api/3/action/no_such_action",
])
def test_a_catalogue_read_costs_one_unit_and_nothing_of_the_costly_budget(path: str) -> None:
    assert get(path) == READ == Price(1, 0)


def test_package_show_costs_one_unit_however_it_is_sent() -> None:
    """ckanapi posts JSON: `dump datasets --all` is one package_list, then one package_show
    a dataset."""
    assert post_json("/api/3/action/package_show", {"id": "dan-so"}) == READ


@pytest.mark.parametrize(("rows", "units"), [(None, 1), ("1", 1), ("10", 1), ("11", 2),
                                            ("100", 10), ("1000", 100), ("nhiều", 1)])
def test_a_search_costs_one_unit_per_ten_datasets_asked(rows: str | None, units: int) -> None:
    query = "" if rows is None else f"?rows={rows}"
    assert get(f"/api/3/action/package_search{query}") == Price(units)
    body = {} if rows is None else {"rows": rows}
    assert post_json("/api/3/action/package_search", body) == Price(units)


def test_other_lists_of_datasets_are_priced_by_the_rows_they_ask() -> None:
    assert get("/api/3/action/current_package_list_with_resources?limit=500") == Price(50)
    assert get("/api/v1/datasets") == Price(2)  # 20 a page by default
    assert get("/api/v1/datasets?limit=1000") == Price(100)


def test_a_ckan_body_too_large_or_a_form_with_files_is_priced_as_the_most_it_may_cost(
        settings: LazySettings) -> None:
    settings.API_MAX_ROWS = 1000
    padded = {"rows": 10, "q": "x" * 70_000}
    assert post_json("/api/3/action/package_search", padded) == Price(100)
    multipart = factory.post("/api/3/action/datastore_search", {"resource_id": RESOURCE})
    assert price_of(multipart) == QUERY
    assert price_of(factory.post("/api/3/action/package_search", "{not json",
                                 content_type="application/json")) == Price(100)


def test_a_small_ckan_form_is_read_to_price_it() -> None:
    form = factory.post("/api/3/action/package_search", "rows=500&q=d%C3%A2n",
                        content_type="application/x-www-form-urlencoded")
    assert price_of(form) == Price(50)


@pytest.mark.parametrize("body", [
    {"resource_id": RESOURCE},
    {"resource_id": RESOURCE, "limit": 1000, "offset": 5000, "include_total": False},
    {"resource_id": RESOURCE, "fields": "ma,ten", "records_format": "lists", "filters": {}},
])
def test_a_page_of_a_table_in_its_stored_order_is_not_costly(body: dict[str, Any]) -> None:
    assert post_json("/api/3/action/datastore_search", body) == TABLE_PAGE == Price(2, 0)


@pytest.mark.parametrize("extra", [
    {"filters": {"ma": "37"}}, {"q": "Ninh Bình"}, {"q": {"ten": "Hoa"}},
    {"full_text": "lúa"}, {"sort": "ten desc"}, {"distinct": True},
])
def test_datastore_search_with_filters_words_or_a_sort_is_costly(extra: dict[str, Any]) -> None:
    assert post_json("/api/3/action/datastore_search", {"resource_id": RESOURCE} | extra) == (
        QUERY)
    assert get(f"/api/3/action/datastore_search?resource_id={RESOURCE}&"
               f"{next(iter(extra))}=x") == QUERY


def test_the_data_api_prices_records_by_what_they_ask() -> None:
    records = f"/api/v1/resources/{RESOURCE}/records"
    assert get(f"{records}?limit=100&offset=300&fields=ma") == TABLE_PAGE
    assert get(f"{records}?cursor=abc&include_total=false&sheet=2024") == TABLE_PAGE
    assert get(f"{records}?q=lua") == QUERY
    assert get(f"{records}?sort=-dan_so") == QUERY
    assert get(f"{records}?dan_so=gte.1000") == QUERY
    assert get(f"/api/v1/resources/{RESOURCE}/aggregate?group_by=huyen") == AGGREGATE


@pytest.mark.parametrize(("request_price", "price"), [
    (lambda: get(f"/api/v1/sql?sql=SELECT+1+FROM+%22{RESOURCE}%22"), SQL),
    (lambda: post_json("/api/v1/sql", {"sql": "SELECT 1"}), SQL),
    (lambda: post_json("/api/3/action/datastore_search_sql", {"sql": "SELECT 1"}), SQL),
    (lambda: get(f"/api/v1/resources/{RESOURCE}/export.csv"), EXPORT),
    (lambda: get(f"/api/v1/resources/{RESOURCE}/export.xlsx?q=lua"), EXPORT),
    (lambda: get(f"/datastore/dump/{RESOURCE}"), EXPORT),
])
def test_sql_exports_and_dumps_take_the_most_of_the_costly_budget(
        request_price: Any, price: Price) -> None:
    assert request_price() == price
    assert (SQL.costly, EXPORT.costly) == (10, 20)


def test_pages_cost_a_page_and_searching_a_table_in_them_is_a_data_query() -> None:
    resource_page = f"/dataset/dan-so/resource/{RESOURCE}"
    for path in ("/", "/dataset/", "/dataset/dan-so", "/organization/so-y-te", resource_page,
                 f"{resource_page}?page=40", f"{resource_page}?column=ma&op=eq",
                 f"/embed/resource/{RESOURCE}/table?page=2", f"/embed/resource/{RESOURCE}/chart",
                 f"/embed/resource/{RESOURCE}/map", "/no-such-page"):
        assert get(path) == PAGE, path
    for query in ("q=lua", "sort=-ma", "column=ma&op=gte&value=3", "column=ma&op=is_null"):
        assert get(f"{resource_page}?{query}") == QUERY, query
        assert get(f"/embed/resource/{RESOURCE}/table?{query}") == QUERY, query


def test_every_htmx_fragment_of_a_preview_table_is_a_data_query() -> None:
    """A script asking for fragments pages through a table as the data API would."""
    fragment = {"HTTP_HX_REQUEST": "true"}
    assert get(f"/dataset/dan-so/resource/{RESOURCE}?page=2", **fragment) == QUERY
    assert get(f"/embed/resource/{RESOURCE}/table?page=2", **fragment) == QUERY
    # Restoring htmx's history asks for the whole page.
    assert get(f"/dataset/dan-so/resource/{RESOURCE}?page=2", HTTP_HX_REQUEST="true",
               HTTP_HX_HISTORY_RESTORE_REQUEST="true") == PAGE
    # The dataset list's htmx results are a page like any other.
    assert get("/dataset/?q=dan+so", **fragment) == PAGE


def test_writes_cost_a_write_in_the_apis_and_a_form_on_pages() -> None:
    assert post_json("/api/v1/datasets", {"title": "x"}) == WRITE
    assert price_of(factory.patch(f"/api/v1/resources/{RESOURCE}", "{}",
                                  content_type="application/json")) == WRITE
    assert post_json("/api/3/action/package_create", {"name": "x"}) == WRITE
    assert price_of(factory.post("/i18n/setlang/", {"language": "en"})) == FORM
    assert FORM.costly == 1  # a public form may write: it counts in the strict budget
