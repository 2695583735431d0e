"""datastore_search: CKAN's parameters and result shape, over a table the portal ingested."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from portal.catalog.models import Resource
from portal.interop.tests.conftest import Answer, Catalogue, call
from portal.interop.tests.datastore_tables import units_resource

pytestmark = pytest.mark.django_db


@pytest.fixture
def units(catalogue: Catalogue) -> Resource:
    return units_resource(catalogue.public)


def search(client: Client, resource: Resource, method: str = "get", **params: Any) -> Answer:
    return call(client, "datastore_search", method, resource_id=str(resource.pk), **params)


def names(answer: Answer, column: str = "tên") -> list[Any]:
    return [record[column] for record in answer.result["records"]]


def test_result_has_ckans_keys_types_and_values(client: Client, units: Resource) -> None:
    result = search(client, units).result
    assert set(result) == {"include_total", "resource_id", "fields", "records_format", "records",
                           "limit", "_links", "total", "total_was_estimated",
                           "total_estimation_threshold"}
    assert result["resource_id"] == str(units.pk)
    assert (result["limit"], result["total"], result["total_was_estimated"]) == (100, 5, False)
    assert result["records_format"] == "objects"
    assert [(field["id"], field["type"]) for field in result["fields"]] == [
        ("_id", "int"), ("mã", "int"), ("tên", "text"), ("loại", "text"), ("dân số", "int"),
        ("ngày lập", "date"), ("tỷ lệ", "numeric"), ("đô thị", "bool")]
    assert result["fields"][4]["info"] == {"label": "Dân số trung bình",
                                           "notes": "Số người cư trú", "type_override": "",
                                           "unit": "người"}
    assert result["records"][0] == {"_id": 1, "mã": 37, "tên": "Ninh Bình", "loại": "tỉnh",
                                    "dân số": 1234567, "ngày lập": "2025-07-01", "tỷ lệ": 1.5,
                                    "đô thị": True}
    assert result["records"][2]["dân số"] is None
    assert result["_links"] == {
        "start": f"/api/3/action/datastore_search?resource_id={units.pk}",
        "next": f"/api/3/action/datastore_search?resource_id={units.pk}&offset=100"}


def test_id_is_read_as_resource_id(client: Client, units: Resource) -> None:
    assert call(client, "datastore_search", id=str(units.pk)).result["total"] == 5


def test_filters_by_value_and_list_from_a_query_string_or_a_json_body(
        client: Client, units: Resource) -> None:
    wards = search(client, units, filters=json.dumps({"loại": "phường"}))
    assert names(wards) == ["Hoa Lư", "Tam Điệp"]
    assert wards.result["filters"] == {"loại": "phường"}
    assert wards.result["total"] == 2
    several = search(client, units, "post", filters={"mã": [1, "3"], "đô thị": False})
    assert names(several) == ["Nho Quan"]
    assert names(search(client, units, "post", filters={"ngày lập": "02/07/2025"})) == [
        "Tam Điệp"]


def test_null_filter_finds_empty_cells(client: Client, units: Resource) -> None:
    assert names(search(client, units, "post", filters={"dân số": None})) == ["Tam Điệp"]


def test_q_finds_all_words_without_diacritics(client: Client, units: Resource) -> None:
    assert names(search(client, units, q="ninh binh")) == ["Ninh Bình"]
    assert names(search(client, units, q="phuong")) == ["Hoa Lư", "Tam Điệp"]
    assert search(client, units, q="ninh ha").result["total"] == 0
    assert names(search(client, units, full_text="quan")) == ["Nho Quan"]


def test_q_object_searches_one_column(client: Client, units: Resource) -> None:
    result = search(client, units, q=json.dumps({"tên": "gia vien"})).result
    assert [record["tên"] for record in result["records"]] == ["Gia Viễn, mới"]
    assert result["q"] == {"tên": "gia vien"}
    assert search(client, units, "post", q={"loại": "tinh"}).result["total"] == 1


def test_fields_as_list_or_comma_separated_string(client: Client, units: Resource) -> None:
    listed = search(client, units, "post", fields=["tên", "mã"], limit=1).result
    assert [field["id"] for field in listed["fields"]] == ["tên", "mã"]
    assert listed["records"] == [{"tên": "Ninh Bình", "mã": 37}]
    commas = search(client, units, fields="mã, tên", limit=1).result
    assert commas["records"] == [{"mã": 37, "tên": "Ninh Bình"}]


def test_sort_in_ckans_syntax(client: Client, units: Resource) -> None:
    assert names(search(client, units, sort="dân số desc")) == [
        "Ninh Bình", "Hoa Lư", "Nho Quan", "Gia Viễn, mới", "Tam Điệp"]  # empty cells last
    assert names(search(client, units, sort='loại, "mã" DESC')) == [
        "Tam Điệp", "Hoa Lư", "Ninh Bình", "Gia Viễn, mới", "Nho Quan"]
    assert names(search(client, units, "post", sort=["tỷ lệ asc nulls last", "mã"])) == [
        "Tam Điệp", "Gia Viễn, mới", "Ninh Bình", "Hoa Lư", "Nho Quan"]


def test_limit_offset_and_links(client: Client, units: Resource) -> None:
    result = search(client, units, limit=2, offset=3).result
    assert names(search(client, units, limit=2, offset=3)) == ["Nho Quan", "Gia Viễn, mới"]
    assert (result["limit"], result["offset"], result["total"]) == (2, 3, 5)
    base = f"/api/3/action/datastore_search?resource_id={units.pk}&limit=2"
    assert result["_links"] == {"start": base, "next": f"{base}&offset=5",
                                "prev": f"{base}&offset=1"}


def test_posted_search_gets_links_with_its_parameters(client: Client, units: Resource) -> None:
    links = search(client, units, "post", filters={"loại": "xã"}, limit=1).result["_links"]
    follow = client.get(links["next"]).json()["result"]
    assert [record["tên"] for record in follow["records"]] == ["Gia Viễn, mới"]


def test_limit_zero_gives_the_fields_only(client: Client, units: Resource) -> None:
    result = search(client, units, limit=0).result
    assert result["records"] == []
    assert len(result["fields"]) == 8
    assert result["total"] == 5


def test_include_total_false_leaves_out_the_total(client: Client, units: Resource) -> None:
    result = search(client, units, include_total="false").result
    assert "total" not in result
    assert "total_was_estimated" not in result
    assert result["include_total"] is False


@pytest.mark.parametrize(("records_format", "expected"), [
    ("lists", [[37, "Ninh Bình"], [1, "Hoa Lư"]]),
    ("csv", '37,Ninh Bình\n1,Hoa Lư\n'),
    ("tsv", "37\tNinh Bình\n1\tHoa Lư\n"),
])
def test_records_formats(client: Client, units: Resource, records_format: str,
                         expected: Any) -> None:
    result = search(client, units, records_format=records_format, fields="mã,tên",
                    limit=2).result
    assert result["records"] == expected
    assert result["records_format"] == records_format


def test_csv_records_quote_commas_and_write_empty_cells_empty(client: Client,
                                                              units: Resource) -> None:
    records = search(client, units, records_format="csv", fields="tên,tỷ lệ,ngày lập",
                     offset=3).result["records"]
    assert records == 'Nho Quan,,2025-07-03\n"Gia Viễn, mới",1.0,2025-07-04\n'


def test_distinct_rows(client: Client, units: Resource) -> None:
    result = search(client, units, fields="loại", distinct="true", sort="loại").result
    assert result["records"] == [{"loại": "phường"}, {"loại": "tỉnh"}, {"loại": "xã"}]
    assert result["total"] == 3
    assert result["distinct"] is True


def test_plain_and_language_are_accepted(client: Client, units: Resource) -> None:
    result = search(client, units, q="nho", plain="false", language="vietnamese").result
    assert result["total"] == 1
    assert (result["plain"], result["language"]) == (False, "vietnamese")


def test_another_sheet_is_named_after_the_resource_id(client: Client, catalogue: Catalogue
                                                      ) -> None:
    from io import BytesIO

    from openpyxl import Workbook

    from portal.interop.tests.datastore_tables import ingested
    from portal.lib import factories

    book = Workbook()
    book.active.append(["năm", "giá trị"])
    book.active.append([2025, 10])
    second = book.create_sheet("Xã phường")
    second.append(["mã", "tên"])
    second.append([1, "Hoa Lư"])
    content = BytesIO()
    book.save(content)
    resource = factories.make_resource(dataset=catalogue.public, content=content.getvalue(),
                                       filename="so-lieu.xlsx")
    ingested(resource)
    first = search(client, resource).result
    assert first["records"] == [{"_id": 1, "năm": 2025, "giá trị": 10}]
    other = call(client, "datastore_search", resource_id=f"{resource.pk}/Xã phường").result
    assert other["records"] == [{"_id": 1, "mã": 1, "tên": "Hoa Lư"}]
