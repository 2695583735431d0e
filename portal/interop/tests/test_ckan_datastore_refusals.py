"""What the DataStore actions refuse: each bad input is CKAN's Validation Error on the parameter
that was wrong (never a server error), and a table the caller may not see is Not Found."""

# The SQL statements are what clients send to datastore_search_sql.
# ruff: noqa: S608

from __future__ import annotations

import json
from typing import Any

import pytest
from django.conf import LazySettings
from django.test import Client

from portal.accounts.models import User
from portal.catalog.models import Resource
from portal.interop.tests.conftest import Catalogue, call
from portal.interop.tests.datastore_tables import ingested, units_resource
from portal.interop.tests.test_ckan_bad_input import ODD_VALUES, assert_ckan_answer
from portal.lib import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def units(catalogue: Catalogue) -> Resource:
    return units_resource(catalogue.public)


BAD_SEARCHES: list[tuple[dict[str, Any], str]] = [
    ({"filters": json.dumps({"không có": 1})}, "filters"),
    ({"filters": "{không phải JSON"}, "filters"),
    ({"filters": json.dumps(["mã", 1])}, "filters"),
    ({"filters": json.dumps({"mã": {"gt": 1}})}, "filters"),
    ({"filters": json.dumps({"mã": "ba mươi bảy"})}, "filters"),
    ({"filters": json.dumps({"ngày lập": "31/02/2025"})}, "filters"),
    ({"q": json.dumps({"không có": "x"})}, "q"),
    ({"fields": "mã,không có"}, "fields"),
    ({"fields": json.dumps(["mã", 1])}, "fields"),
    ({"sort": "không có desc"}, "sort"),
    ({"sort": "mã; DROP TABLE t"}, "sort"),
    ({"sort": "(SELECT 1)"}, "sort"),
    ({"sort": "1"}, "sort"),
    ({"sort": "mã desc; --"}, "sort"),
    ({"sort": 'mã" desc, "tên'}, "sort"),
    ({"sort": "random()"}, "sort"),
    ({"sort": "mã sideways"}, "sort"),
    ({"sort": "mã nulls first"}, "sort"),
    ({"limit": 10_001}, "limit"),
    ({"limit": -1}, "limit"),
    ({"limit": "nhiều"}, "limit"),
    ({"offset": -5}, "offset"),
    ({"records_format": "xml"}, "records_format"),
    ({"include_total": "có lẽ"}, "include_total"),
    ({"distinct": "có lẽ"}, "distinct"),
    ({"filter": json.dumps({"mã": 37})}, "filter"),  # CKAN's parameter is `filters`
]


def test_bad_search_is_a_validation_error_on_its_parameter(client: Client,
                                                            units: Resource) -> None:
    # One table for every case: reading it is the slow part.
    for params, key in BAD_SEARCHES:
        answer = call(client, "datastore_search", resource_id=str(units.pk), **params)
        assert answer.status == 409, (params, answer.body)
        assert answer.error["__type"] == "Validation Error"
        assert list(answer.error) == ["__type", key], (params, answer.error)
        assert all(isinstance(message, str) and message for message in answer.error[key])


def test_several_mistakes_are_reported_at_once(client: Client, units: Resource) -> None:
    answer = call(client, "datastore_search", "post", resource_id=str(units.pk),
                  fields=["không có"], sort="khác", filters={"cũng không": 1})
    assert set(answer.error) == {"__type", "fields", "sort", "filters"}


def test_limit_above_the_setting_is_refused(client: Client, units: Resource,
                                            settings: LazySettings) -> None:
    settings.DATASTORE_MAX_ROWS = 3
    assert call(client, "datastore_search", resource_id=str(units.pk), limit=3).status == 200
    answer = call(client, "datastore_search", resource_id=str(units.pk), limit=4)
    assert answer.error["limit"] == ["Must be at most 3"]


def test_missing_resource_id_is_a_validation_error(client: Client) -> None:
    for action in ("datastore_search", "datastore_info", "datastore_search_sql"):
        answer = call(client, action)
        assert answer.status == 409
        assert answer.error["__type"] == "Validation Error"


@pytest.mark.parametrize("resource_id", ["khong-co", "00000000-0000-0000-0000-000000000000",
                                         "'; DROP TABLE x; --", "a" * 3000])
def test_unknown_resource_is_not_found(client: Client, resource_id: str) -> None:
    for action in ("datastore_search", "datastore_info"):
        answer = call(client, action, resource_id=resource_id)
        assert answer.status == 404
        assert answer.error["__type"] == "Not Found Error"


def test_resource_without_a_ready_table_is_not_found_saying_why(
        client: Client, catalogue: Catalogue) -> None:
    resource = catalogue.public.resources.get()  # uploaded, not read yet (no job ran)
    answer = call(client, "datastore_search", resource_id=str(resource.pk))
    assert answer.status == 404
    assert "table" in answer.error["message"]  # "not a table", or "not ready yet"
    link = catalogue.health.resources.get()
    assert call(client, "datastore_info", id=str(link.pk)).status == 404


@pytest.fixture
def hidden_table(catalogue: Catalogue) -> Resource:
    resource = catalogue.agency_only.resources.get()
    ingested(resource)
    return resource


@pytest.mark.parametrize("who", ["anonymous", "outsider", "other_member"])
def test_hidden_table_is_not_found_for_who_may_not_see_it(
        client: Client, hidden_table: Resource, who: str, request: pytest.FixtureRequest
) -> None:
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    for action, params in [
            ("datastore_search", {"resource_id": str(hidden_table.pk)}),
            ("datastore_info", {"id": str(hidden_table.pk)}),
            ("datastore_search_sql", {"sql": f'SELECT * FROM "{hidden_table.pk}"'})]:
        answer = call(client, action, **params)
        assert answer.status == 404, (action, answer.body)
        assert answer.error["__type"] == "Not Found Error"
        assert "Hoa Lu" not in json.dumps(answer.body)


def test_hidden_table_is_there_for_its_agency(client: Client, hidden_table: Resource,
                                              member: User) -> None:
    client.force_login(member)
    result = call(client, "datastore_search", resource_id=str(hidden_table.pk)).result
    assert result["records"] == [{"_id": 1, "ma": 1, "ten": "Hoa Lu"}]


def test_token_reads_what_its_owner_may_see(client: Client, hidden_table: Resource,
                                            editor: User) -> None:
    from portal.interop.tests.conftest import token_for

    response = client.get("/api/3/action/datastore_search",
                          {"resource_id": str(hidden_table.pk)},
                          HTTP_AUTHORIZATION=token_for(editor, read_only=True))
    assert response.json()["result"]["total"] == 1


DATASTORE_PARAMETERS = ["resource_id", "id", "filters", "q", "full_text", "plain", "language",
                        "limit", "offset", "fields", "sort", "distinct", "include_total",
                        "records_format", "total_estimation_threshold", "sql"]


@pytest.mark.parametrize("action", ["datastore_search", "datastore_info"])
def test_odd_values_never_break_a_datastore_action(client: Client, units: Resource,
                                                   action: str) -> None:
    for parameter in DATASTORE_PARAMETERS:
        for value in ODD_VALUES:
            body = {"resource_id": str(units.pk), "id": str(units.pk), parameter: value}
            response = client.post(f"/api/3/action/{action}", json.dumps(body),
                                   content_type="application/json")
            assert_ckan_answer(response)


def test_odd_query_strings_never_break_datastore_search(client: Client, units: Resource) -> None:
    for query in ["filters=%00", "q=%00", "sort=%00", "fields=%00", "filters={\"mã\":\"%00\"}",
                  "limit=1&limit=2", "sort=" + "(" * 500, "q=" + "a " * 2000,
                  "filters=" + "[" * 5000, "q=" + "{" * 5000]:
        assert_ckan_answer(client.get(
            f"/api/3/action/datastore_search?resource_id={units.pk}&{query}"))


def test_a_spreadsheet_sheet_that_does_not_exist_is_not_found(
        client: Client, units: Resource) -> None:
    answer = call(client, "datastore_search", resource_id=f"{units.pk}/Không có")
    assert answer.status == 404


def test_table_of_another_dataset_is_found_by_its_own_id_only(
        client: Client, catalogue: Catalogue, editor: User) -> None:
    other = factories.make_resource(dataset=catalogue.public, user=editor, filename="b.csv")
    ingested(other)
    assert call(client, "datastore_search", resource_id=str(other.pk)).result["total"] == 1
