"""GET /api/v1/resources/{id}/records and /aggregate: filters, search, fields, sort, paging,
totals, and every bad input answered with a clear 400, never a server error."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import LazySettings

from portal.accounts.models import User
from portal.agencies.models import Agency
from portal.api.tests.conftest import Api, error_of, token_for
from portal.catalog.models import Dataset, Resource
from portal.datastore.tests.api_support import CODES, english_client, ready
from portal.lib import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def dataset(agency: Agency, editor: User) -> Dataset:
    return factories.make_dataset(agency=agency, user=editor, title="Đơn vị hành chính")


@pytest.fixture
def communes(dataset: Dataset, editor: User) -> Resource:
    return ready(dataset, editor)


@pytest.fixture
def api() -> Api:
    return Api(english_client())


def get(api: Api, resource: Resource, endpoint: str = "records", **query: Any) -> Any:
    response = api.call("get", f"/resources/{resource.pk}/{endpoint}", query)
    assert response.status_code == 200, response.content
    return response.json()


def codes(body: dict[str, Any]) -> list[int]:
    return [record["ma_xa"] for record in body["records"]]


def test_records_answer_the_table_with_its_schema(api: Api, communes: Resource) -> None:
    body = get(api, communes)
    assert set(body) == {"fields", "records", "total", "total_is_estimate", "limit", "offset",
                         "next"}
    names = [field["name"] for field in body["fields"]]
    assert names[:3] == ["_id", "ma_xa", "ten_xa"]
    assert {field["name"]: field["type"] for field in body["fields"]}["ngay_cap_nhat"] == "date"
    assert (body["total"], body["total_is_estimate"], body["limit"], body["offset"]) == (
        6, False, 100, 0)
    assert body["next"] is None
    first = body["records"][0]
    assert first["ten_xa"] == "Xã Gia Viễn"
    assert first["dien tich, km2"] == 25.5  # Vietnamese decimal comma read as a number
    assert first["ngay_cap_nhat"] == "2026-03-15"  # dates in ISO 8601
    assert body["records"][-1]["ngay_cap_nhat"] is None


@pytest.mark.parametrize(("query", "expected"), [
    ({"huyen": "Gia Viễn"}, [14464, 14467]),  # no operator: equality
    ({"huyen": "eq.Hoa Lư"}, [14470, 14473]),
    ({"huyen": "ne.Hoa Lư"}, [14464, 14467, 14476, 14479]),
    ({"dan_so": "lt.18020"}, [14473]),
    ({"dan_so": "lte.18020"}, [14467, 14473]),
    ({"dan_so": "gt.45800"}, [14479]),
    ({"dan_so": "gte.45800"}, [14470, 14479]),
    ({"dan_so": ["gte.10000", "lt.30000"]}, [14467, 14476]),  # a repeated column: AND
    ({"ma_xa": "in.(14464,14479)"}, [14464, 14479]),
    ({"ma_xa": "in.14470,14473"}, [14470, 14473]),
    ({"ten_xa": 'in.("Xã Kim Sơn","Xã, phường khác")'}, [14479]),
    ({"ten_xa": "contains.gia"}, [14464, 14467]),  # case and accents folded
    ({"ten_xa": "contains.Viễn"}, [14464]),
    ({"ten_xa": "starts_with.phuong"}, [14470]),
    ({"ngay_cap_nhat": "is_null.true"}, [14479]),
    ({"ngay_cap_nhat": "is_null.false"}, [14464, 14467, 14470, 14473, 14476]),
    ({"ngay_cap_nhat": "gte.2026-02-01"}, [14464, 14467, 14470]),
    ({"ngay_cap_nhat": "lt.01/02/2026"}, [14473, 14476]),  # day first, as Vietnamese write it
    ({"dien tich, km2": "gt.25"}, [14464, 14476, 14479]),
    ({"filter[sort]": "eq.a"}, [14467, 14470]),  # a column named like a parameter
    ({"filter[sort]": "eq.=1+1"}, [14473]),
    ({"huyen": "eq.x' OR '1'='1"}, []),  # a value is a value, never SQL
])
def test_each_filter_operator(api: Api, communes: Resource, query: dict[str, Any],
                              expected: list[int]) -> None:
    body = get(api, communes, **query)
    assert codes(body) == expected
    assert body["total"] == len(expected)


def test_full_text_search_folds_accents(api: Api, communes: Resource) -> None:
    assert codes(get(api, communes, q="gia vien")) == [14464, 14467]
    assert codes(get(api, communes, q="hoa lu", dan_so="lt.10000")) == [14473]


def test_fields_and_sort(api: Api, communes: Resource) -> None:
    body = get(api, communes, fields='ma_xa,"dien tich, km2"', sort="-dan_so")
    assert [field["name"] for field in body["fields"]] == ["ma_xa", "dien tich, km2"]
    assert codes(body) == [14479, 14470, 14464, 14476, 14467, 14473]
    assert set(body["records"][0]) == {"ma_xa", "dien tich, km2"}
    body = get(api, communes, sort="huyen,-dan_so", fields="ma_xa")
    assert codes(body) == [14464, 14467, 14470, 14473, 14479, 14476]
    body = get(api, communes, sort="ngay_cap_nhat", fields="ma_xa")
    assert codes(body)[-1] == 14479  # empty cells last


def test_cursor_pages_through_the_table(api: Api, communes: Resource) -> None:
    seen: list[int] = []
    body = get(api, communes, sort='-"dien tich, km2"', limit=2, huyen="ne.Yên Mô")
    while True:
        seen += codes(body)
        assert body["total"] == 5
        if body["next"] is None:
            break
        assert "cursor=" in body["next"]
        assert body["next"].startswith("http://testserver/api/v1/")
        response = api.client.get(body["next"])
        assert response.status_code == 200, response.content
        body = response.json()
    assert seen == [14479, 14464, 14467, 14470, 14473]


def test_without_id_the_next_page_is_by_offset(api: Api, communes: Resource) -> None:
    body = get(api, communes, fields="ma_xa", limit=4)
    assert "offset=4" in body["next"]
    assert "cursor" not in body["next"]
    last = api.client.get(body["next"]).json()
    assert codes(last) == [14476, 14479]
    assert last["next"] is None
    unknown_total = get(api, communes, fields="ma_xa", limit=3, include_total="false")
    assert unknown_total["total"] is None
    assert "offset=3" in unknown_total["next"]


def test_offset_and_limit_zero(api: Api, communes: Resource) -> None:
    assert codes(get(api, communes, offset=4)) == [14476, 14479]
    body = get(api, communes, limit=0)
    assert (body["records"], body["total"], body["next"]) == ([], 6, None)


def test_totals_are_estimated_when_the_setting_allows_no_time_to_count(
        api: Api, communes: Resource, settings: LazySettings) -> None:
    assert get(api, communes, dan_so="gt.0")["total_is_estimate"] is False
    settings.DATASTORE_EXACT_TOTAL_SECONDS = 0
    filtered = get(api, communes, dan_so="gt.0")
    assert filtered["total_is_estimate"] is True
    assert isinstance(filtered["total"], int)
    whole = get(api, communes)
    assert (whole["total"], whole["total_is_estimate"]) == (6, False)  # known without counting


@pytest.mark.parametrize(("query", "field"), [
    ({"nowhere": "eq.1"}, "nowhere"),  # a column that does not exist
    ({"filter[nowhere]": "1"}, "nowhere"),
    ({"dan_so": "gt.nhiều"}, "dan_so"),  # not a number
    ({"ngay_cap_nhat": "eq.31/02/2026"}, "ngay_cap_nhat"),
    ({"huyen": "like.%Hoa%"}, "huyen"),  # PostgREST's operator, not ours
    ({"ngay_cap_nhat": "is_null.maybe"}, "ngay_cap_nhat"),
    ({"sort": "ma_xa;drop table t"}, "ma_xa;drop table t"),
    ({"sort": '-"dan_so" desc; SELECT 1'}, None),
    ({"fields": "ma_xa,(SELECT 1)"}, "(SELECT 1)"),
    ({"fields": '"unclosed'}, None),
    ({"cursor": "bm90LWEtY3Vyc29y"}, None),
    ({"cursor": "%%%"}, None),
    ({"limit": "10001"}, "limit"),
    ({"limit": "-1"}, "limit"),
    ({"offset": "-5"}, "offset"),
    ({"offset": str(10**30)}, "offset"),
])
def test_bad_input_is_a_clear_400(api: Api, communes: Resource, query: dict[str, str],
                                  field: str | None) -> None:
    response = api.call("get", f"/resources/{communes.pk}/records", query)
    error = error_of(response, 400, "invalid_query")
    if field is not None:
        assert field in error["fields"] or field in error["message"], error


def test_a_cursor_made_for_another_sort_is_refused(api: Api, communes: Resource) -> None:
    cursor = get(api, communes, sort="dan_so", limit=2)["next"].split("cursor=")[1]
    response = api.call("get", f"/resources/{communes.pk}/records",
                        {"sort": "-dan_so", "limit": 2, "cursor": cursor})
    assert "sort" in error_of(response, 400, "invalid_query")["message"]


def test_a_limit_that_is_not_a_number_is_a_validation_error(api: Api,
                                                            communes: Resource) -> None:
    error_of(api.call("get", f"/resources/{communes.pk}/records", {"limit": "abc"}), 422,
             "validation_error")


def test_missing_sheet_version_and_resource(api: Api, communes: Resource) -> None:
    path = f"/resources/{communes.pk}/records"
    message = error_of(api.call("get", path, {"sheet": "Trang 2"}), 404, "not_found")["message"]
    assert "Trang 2" in message
    error_of(api.call("get", path, {"version": 7}), 404, "not_found")
    error_of(api.call("get", "/resources/not-a-uuid/records"), 404, "not_found")
    error_of(api.call("get", "/resources/5b3c9a52-6f0c-4b8a-9d55-3f2b8a7c1e00/records"), 404)


def test_non_public_table_is_hidden_except_from_its_agency(
        agency: Agency, editor: User) -> None:
    hidden = factories.make_dataset(agency=agency, user=editor, access_level="agency")
    resource = ready(hidden, editor)
    path = f"/resources/{resource.pk}/records"
    error = error_of(Api(english_client()).call("get", path), 404, "not_found")
    assert error["message"] == "Not found."  # the same answer as for no resource at all
    member = factories.make_user(role="member", agency=agency)
    assert Api(english_client(), token_for(member)).call("get", path).json()["total"] == 6
    outsider = factories.make_user(role="editor", agency=factories.make_agency())
    error_of(Api(english_client(), token_for(outsider)).call("get", path), 404)


def test_a_table_not_read_yet_says_so(api: Api, dataset: Dataset, editor: User) -> None:
    resource = factories.make_resource(dataset=dataset, user=editor)  # queued, not yet run
    error = error_of(api.call("get", f"/resources/{resource.pk}/records"), 404, "not_found")
    assert "not ready" in error["message"]


# Aggregates ---------------------------------------------------------------------------------


def test_aggregate_groups_with_every_metric(api: Api, communes: Resource) -> None:
    body = get(api, communes, "aggregate", group_by="huyen",
               metrics="count,sum:dan_so,avg:dan_so,count_distinct:ten_xa,min:ngay_cap_nhat,"
                       "max:dan_so")
    assert body["fields"] == [
        {"name": "huyen", "type": "string"}, {"name": "count", "type": "integer"},
        {"name": "sum(dan_so)", "type": "integer"}, {"name": "avg(dan_so)", "type": "number"},
        {"name": "count_distinct(ten_xa)", "type": "integer"},
        {"name": "min(ngay_cap_nhat)", "type": "date"}, {"name": "max(dan_so)", "type": "integer"}]
    assert body["truncated"] is False
    by_district = {record["huyen"]: record for record in body["records"]}
    assert by_district["Gia Viễn"] == {
        "huyen": "Gia Viễn", "count": 2, "sum(dan_so)": 49270, "avg(dan_so)": 24635.0,
        "count_distinct(ten_xa)": 2, "min(ngay_cap_nhat)": "2026-03-15", "max(dan_so)": 31250}
    assert by_district["Kim Sơn"]["min(ngay_cap_nhat)"] is None


def test_aggregate_takes_the_same_filters_and_search(api: Api, communes: Resource) -> None:
    body = get(api, communes, "aggregate", metrics="count,sum:dan_so", dan_so="gte.20000",
               q="xa")
    assert body["records"] == [{"count": 3, "sum(dan_so)": 31250 + 27600 + 52000}]
    body = get(api, communes, "aggregate", group_by="huyen,sort", **{"filter[sort]": "a"})
    assert [(r["huyen"], r["sort"], r["count"]) for r in body["records"]] == [
        ("Gia Viễn", "a", 1), ("Hoa Lư", "a", 1)]


def test_aggregate_reports_truncation(api: Api, communes: Resource) -> None:
    body = get(api, communes, "aggregate", group_by="huyen", limit=2)
    assert len(body["records"]) == 2
    assert body["truncated"] is True


@pytest.mark.parametrize("query", [
    {"metrics": "median:dan_so"},
    {"metrics": "sum:ten_xa"},
    {"metrics": "sum"},
    {"metrics": "max:nowhere"},
    {"group_by": "huyen;drop table t"},
    {"nowhere": "1"},
])
def test_aggregate_bad_input_is_a_clear_400(api: Api, communes: Resource,
                                            query: dict[str, str]) -> None:
    error_of(api.call("get", f"/resources/{communes.pk}/aggregate", query), 400,
             "invalid_query")


def test_codes_fixture_matches_the_table(api: Api, communes: Resource) -> None:
    assert codes(get(api, communes)) == CODES
