"""/datastore/dump/<id>: CKAN's download of a table, or of the rows a search selects."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from django.http import StreamingHttpResponse
from django.test import Client

from portal.catalog.models import Resource
from portal.interop.tests.conftest import Catalogue
from portal.interop.tests.datastore_tables import ingested, units_resource

pytestmark = pytest.mark.django_db


@pytest.fixture
def units(catalogue: Catalogue) -> Resource:
    return units_resource(catalogue.public)


def dump(client: Client, resource: Resource | str, **params: Any) -> StreamingHttpResponse:
    resource_id = resource if isinstance(resource, str) else resource.pk
    response = client.get(f"/datastore/dump/{resource_id}", params, HTTP_ACCEPT_LANGUAGE="en")
    return response  # type: ignore[return-value]


def body(response: StreamingHttpResponse) -> bytes:
    assert response.status_code == 200, response.content
    assert response.streaming
    return b"".join(response.streaming_content)  # type: ignore[arg-type]


def rows(response: StreamingHttpResponse, delimiter: str = ",") -> list[list[str]]:
    return list(csv.reader(io.StringIO(body(response).decode()), delimiter=delimiter))


def test_csv_by_default_with_a_header_and_every_row(client: Client, units: Resource) -> None:
    response = dump(client, units)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="{units.pk}.csv"'
    found = rows(response)
    assert found[0] == ["_id", "mã", "tên", "loại", "dân số", "ngày lập", "tỷ lệ", "đô thị"]
    assert found[1] == ["1", "37", "Ninh Bình", "tỉnh", "1234567", "2025-07-01", "1.5", "true"]
    assert [row[2] for row in found[1:]] == ["Ninh Bình", "Hoa Lư", "Tam Điệp", "Nho Quan",
                                             "Gia Viễn, mới"]


def test_tsv(client: Client, units: Resource) -> None:
    response = dump(client, units, format="tsv", fields="mã,tên", limit=2)
    assert response["Content-Type"] == "text/tab-separated-values; charset=utf-8"
    assert response["Content-Disposition"].endswith('.tsv"')
    assert rows(response, "\t") == [["mã", "tên"], ["37", "Ninh Bình"], ["1", "Hoa Lư"]]


def test_json_has_ckans_fields_and_records(client: Client, units: Resource) -> None:
    response = dump(client, units, format="json", fields="tên,dân số", sort="dân số desc",
                    limit=2)
    assert response["Content-Type"] == "application/json; charset=utf-8"
    document = json.loads(body(response))
    assert document["fields"] == [
        {"id": "tên", "type": "text"},
        {"id": "dân số", "type": "int", "info": {
            "label": "Dân số trung bình", "notes": "Số người cư trú", "type_override": "",
            "unit": "người"}}]
    assert document["records"] == [{"tên": "Ninh Bình", "dân số": 1234567},
                                   {"tên": "Hoa Lư", "dân số": 50000}]


def test_bom_for_spreadsheet_programs(client: Client, units: Resource) -> None:
    assert body(dump(client, units, bom="true")).startswith(b"\xef\xbb\xbf_id,")
    assert body(dump(client, units, bom="false")).startswith(b"_id,")


def test_search_parameters_choose_the_rows(client: Client, units: Resource) -> None:
    found = rows(dump(client, units, filters=json.dumps({"loại": ["xã", "phường"]}),
                      q="nho", fields="tên"))
    assert found == [["tên"], ["Nho Quan"]]
    found = rows(dump(client, units, q=json.dumps({"tên": "hoa"}), fields="tên,loại"))
    assert found == [["tên", "loại"], ["Hoa Lư", "phường"]]
    found = rows(dump(client, units, fields="loại", distinct="true", sort="loại desc"))
    assert found == [["loại"], ["xã"], ["tỉnh"], ["phường"]]


def test_limit_and_offset(client: Client, units: Resource) -> None:
    assert rows(dump(client, units, fields="mã", offset=3)) == [["mã"], ["3"], ["4"]]
    assert rows(dump(client, units, fields="mã", offset=1, limit=2)) == [["mã"], ["1"], ["2"]]
    assert rows(dump(client, units, fields="mã", limit=0)) == [["mã"]]


def test_limit_beyond_a_page_of_records_is_allowed(client: Client, units: Resource,
                                                   settings: Any) -> None:
    settings.DATASTORE_MAX_ROWS = 2  # a page of datastore_search, not a cap on downloads
    assert len(rows(dump(client, units, limit=4))) == 5


@pytest.mark.parametrize(("params", "key"), [
    ({"format": "xml"}, "format"),
    ({"bom": "có lẽ"}, "bom"),
    ({"fields": "không có"}, "fields"),
    ({"sort": "mã; DROP TABLE t"}, "sort"),
    ({"filters": "{"}, "filters"),
    ({"filters": json.dumps({"mã": "x"})}, "filters"),
    ({"limit": "nhiều"}, "limit"),
    ({"offset": -1}, "offset"),
])
def test_bad_parameters_are_400_saying_which(client: Client, units: Resource,
                                            params: dict[str, Any], key: str) -> None:
    response = dump(client, units, **params)
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode().startswith(f"{key}: ")


def test_hidden_missing_or_unready_tables_are_404(client: Client, catalogue: Catalogue) -> None:
    hidden = catalogue.agency_only.resources.get()
    ingested(hidden)
    unready = catalogue.public.resources.get()
    for resource_id in [str(hidden.pk), str(unready.pk), "khong-co",
                        "00000000-0000-0000-0000-000000000000"]:
        assert dump(client, resource_id).status_code == 404, resource_id


def test_a_bad_token_is_refused(client: Client, units: Resource) -> None:
    response = client.get(f"/datastore/dump/{units.pk}", HTTP_AUTHORIZATION="odp_khong-hop-le")
    assert response.status_code == 403
