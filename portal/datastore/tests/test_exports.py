"""Exports: GET /api/v1/resources/{id}/export.{fmt} and the exports module behind it (also
used by CKAN's /datastore/dump). Every format checked byte by byte or read back; a million
rows streamed without being held in memory; the private files gone when the stream closes."""

from __future__ import annotations

import csv
import io
import json
import os
import tracemalloc
from pathlib import Path
from typing import Any

import pytest
from django.conf import LazySettings
from django.http import StreamingHttpResponse
from openpyxl import load_workbook

from portal.accounts.models import User
from portal.agencies.models import Agency
from portal.api.tests.conftest import Api, error_of, token_for
from portal.catalog.models import Dataset, Resource
from portal.datastore import exports, selectors
from portal.datastore.query import Filter, QueryError, RecordsQuery
from portal.datastore.tests.api_support import english_client, generated, parquet_rows, ready
from portal.lib import factories

pytestmark = pytest.mark.django_db

MILLION = ("SELECT 'Xã số ' || range AS ten, range * 0.5 AS gia_tri, "
           "DATE '2020-01-01' + (range % 3650)::INT AS ngay FROM range(1000000)")


@pytest.fixture(autouse=True)
def _var_in_tmp(settings: LazySettings, tmp_path: Path) -> None:
    settings.VAR_DIR = tmp_path / "var"


@pytest.fixture
def dataset(agency: Agency, editor: User) -> Dataset:
    return factories.make_dataset(agency=agency, user=editor)


@pytest.fixture
def communes(dataset: Dataset, editor: User) -> Resource:
    return ready(dataset, editor)


@pytest.fixture
def api() -> Api:
    return Api(english_client())


def download(api: Api, resource: Resource, fmt: str, **query: Any) -> tuple[Any, bytes]:
    response = api.call("get", f"/resources/{resource.pk}/export.{fmt}", query)
    assert response.status_code == 200, response.content
    assert isinstance(response, StreamingHttpResponse)
    content = b"".join(response.streaming_content)  # type: ignore[arg-type]
    if response.has_header("Content-Length"):
        assert int(response["Content-Length"]) == len(content)
    return response, content


def exports_left(settings: LazySettings) -> list[str]:
    """Export files still on disk, named or open (an unlinked file an open handle keeps)."""
    root = Path(settings.VAR_DIR) / "datastore-exports"
    named = [str(path) for path in root.rglob("*")] if root.exists() else []
    opened = []
    for fd in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            continue
        if str(root) in target:
            opened.append(target)
    return named + opened


def test_csv_with_bom_filtered_sorted_and_named_after_the_resource(
        api: Api, communes: Resource, settings: LazySettings) -> None:
    response, content = download(api, communes, "csv", bom="true", huyen="Hoa Lư",
                                 fields="ma_xa,ten_xa,dan_so", sort="-dan_so")
    assert content == ("\ufeffma_xa,ten_xa,dan_so\n14470,Phường Hoa Lư,45800\n"
                       "14473,Xã Ninh Hải,9800\n").encode()
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; filename*=utf-8''")
    assert "X%C3%A3%2C%20ph%C6%B0%E1%BB%9Dng%20Ninh%20B%C3%ACnh.csv" in disposition
    assert exports_left(settings) == []


def test_whole_csv_without_bom_keeps_every_column(api: Api, communes: Resource) -> None:
    _response, content = download(api, communes, "csv")
    lines = content.decode().splitlines()
    assert lines[0] == ('_id,ma_xa,ten_xa,huyen,dan_so,"dien tich, km2",ngay_cap_nhat,vi_do,'
                        'kinh_do,sort')
    assert lines[1] == "1,14464,Xã Gia Viễn,Gia Viễn,31250,25.5,2026-03-15,20.33,105.87,b"
    assert lines[6].startswith("6,14479,Xã Kim Sơn,Kim Sơn,52000,41.0,,")
    assert len(lines) == 7


def test_csv_delimiter_and_tsv(api: Api, communes: Resource) -> None:
    _response, content = download(api, communes, "csv", delimiter=";", fields="ma_xa,huyen",
                                  limit=2)
    assert content == "ma_xa;huyen\n14464;Gia Viễn\n14467;Gia Viễn\n".encode()
    response, content = download(api, communes, "tsv", fields="ma_xa,huyen", offset=4)
    assert content == "ma_xa\thuyen\n14476\tYên Mô\n14479\tKim Sơn\n".encode()
    assert response["Content-Type"].startswith("text/tab-separated-values")
    error_of(api.call("get", f"/resources/{communes.pk}/export.csv", {"delimiter": "'"}), 400,
             "invalid_query")


def test_json_is_an_array_of_objects(api: Api, communes: Resource) -> None:
    response, content = download(api, communes, "json", q="gia vien", fields="ma_xa,ngay_cap_nhat")
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert json.loads(content) == [{"ma_xa": 14464, "ngay_cap_nhat": "2026-03-15"},
                                   {"ma_xa": 14467, "ngay_cap_nhat": "2026-03-15"}]
    _response, content = download(api, communes, "json", huyen="Nowhere")
    assert json.loads(content) == []


# Text a spreadsheet would run (OWASP's CSV injection list), numbers that look alike, and a
# column whose name is formula-like.
FORMULAS = ("SELECT * FROM (VALUES ('=1+1', -5, 'a', -0.5), ('+84 912 345 678', 3, '@SUM(A1)', "
            "1.5), ('-giảm', 0, chr(9) || 'tab', 0.0), (chr(13) || 'cr', 1, 'thường', 2.0)) "
            "AS v(ghi_chu, so_luong, \"=cot\", chenh_lech)")
GUARDED = [["ghi_chu", "so_luong", "'=cot", "chenh_lech"],
           ["'=1+1", "-5", "a", "-0.5"],
           ["'+84 912 345 678", "3", "'@SUM(A1)", "1.5"],
           ["'-giảm", "0", "'\ttab", "0.0"],
           ["'\rcr", "1", "thường", "2.0"]]


@pytest.mark.parametrize(("fmt", "delimiter"), [("csv", ","), ("csv", ";"), ("tsv", "\t")])
def test_csv_and_tsv_for_people_write_formula_like_text_as_text(
        api: Api, dataset: Dataset, editor: User, fmt: str, delimiter: str) -> None:
    risky = generated(dataset, editor, FORMULAS)
    _response, content = download(api, risky, fmt, delimiter=delimiter,
                                  fields="ghi_chu,so_luong,=cot,chenh_lech")
    assert list(csv.reader(io.StringIO(content.decode(), newline=""),
                           delimiter=delimiter)) == GUARDED


def test_xlsx_marks_formula_like_text_as_text_and_keeps_numbers(
        api: Api, dataset: Dataset, editor: User) -> None:
    risky = generated(dataset, editor, FORMULAS)
    _response, content = download(api, risky, "xlsx", fields="ghi_chu,so_luong,=cot,chenh_lech")
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet is not None
    assert [cell.value for cell in sheet[1]] == ["ghi_chu", "so_luong", "=cot", "chenh_lech"]
    assert (sheet["C1"].data_type, sheet["C1"].quotePrefix) == ("s", True)
    for row in range(2, 6):
        text, number = sheet.cell(row=row, column=1), sheet.cell(row=row, column=2)
        assert (text.data_type, text.quotePrefix) == ("s", True), text.value
        assert isinstance(number.value, int)
    assert (sheet["B2"].value, sheet["D2"].value) == (-5, -0.5)
    assert (sheet["C2"].value, sheet["C2"].quotePrefix) == ("a", False)


def test_the_raw_dump_and_json_keep_the_values_as_stored(
        api: Api, dataset: Dataset, editor: User) -> None:
    risky = generated(dataset, editor, FORMULAS)
    response = english_client().get(f"/datastore/dump/{risky.pk}",
                                    {"fields": "ghi_chu,=cot"})
    assert response.status_code == 200
    content = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    assert list(csv.reader(io.StringIO(content.decode(), newline=""))) == [
        ["ghi_chu", "=cot"], ["=1+1", "a"], ["+84 912 345 678", "@SUM(A1)"],
        ["-giảm", "\ttab"], ["\rcr", "thường"]]
    _response, content = download(api, risky, "json", fields="ghi_chu")
    assert [row["ghi_chu"] for row in json.loads(content)] == [
        "=1+1", "+84 912 345 678", "-giảm", "\rcr"]


def test_json_writes_nan_as_null(api: Api, dataset: Dataset, editor: User) -> None:
    odd = generated(dataset, editor,
                    "SELECT x FROM (VALUES ('nan'::DOUBLE), ('inf'::DOUBLE), (1.5)) AS v(x)")
    _response, content = download(api, odd, "json", sort="_id")
    assert json.loads(content) == [{"_id": 1, "x": None}, {"_id": 2, "x": None},
                                   {"_id": 3, "x": 1.5}]


def test_xlsx_opens_in_openpyxl_and_keeps_text_as_text(api: Api, communes: Resource) -> None:
    response, content = download(api, communes, "xlsx", fields="ma_xa,ten_xa,ngay_cap_nhat,sort",
                                 sort="ma_xa")
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("ma_xa", "ten_xa", "ngay_cap_nhat", "sort")
    assert rows[1][:2] == (14464, "Xã Gia Viễn")
    assert rows[1][2].date().isoformat() == "2026-03-15"
    assert len(rows) == 7
    formula_like = sheet.cell(row=5, column=4)
    assert (formula_like.value, formula_like.data_type) == ("=1+1", "s")  # not a formula
    assert rows[6][2] is None


def test_xlsx_refuses_more_rows_than_the_setting_or_excel_holds(
        api: Api, dataset: Dataset, editor: User, settings: LazySettings) -> None:
    tall = generated(dataset, editor, "SELECT range AS so FROM range(1048576)")
    settings.DATASTORE_XLSX_MAX_ROWS = 2_000_000  # configured past Excel: Excel's limit holds
    error = error_of(api.call("get", f"/resources/{tall.pk}/export.xlsx"), 400, "invalid_query")
    assert "1,048,575" in error["message"]
    assert "CSV" in error["message"]
    settings.DATASTORE_XLSX_MAX_ROWS = 100
    error = error_of(api.call("get", f"/resources/{tall.pk}/export.xlsx", {"limit": 101}), 400,
                     "invalid_query")
    assert "at most 100 rows" in error["message"]
    assert "101" in error["message"]
    _response, content = download(api, tall, "xlsx", limit=100)
    assert len(list(load_workbook(io.BytesIO(content)).active.iter_rows())) == 101


def test_parquet_whole_and_filtered(api: Api, communes: Resource, tmp_path: Path) -> None:
    response, content = download(api, communes, "parquet")
    assert response["Content-Type"] == "application/vnd.apache.parquet"
    assert content[:4] == b"PAR1"
    rows = parquet_rows(content, tmp_path)  # the stored file: `_id` is each row's position
    assert [row[0] for row in rows] == [14464, 14467, 14470, 14473, 14476, 14479]
    _response, content = download(api, communes, "parquet", dan_so="gt.40000",
                                  fields="ten_xa,dan_so")
    assert parquet_rows(content, tmp_path) == [("Phường Hoa Lư", 45800), ("Xã Kim Sơn", 52000)]


def test_geojson_from_latitude_and_longitude(api: Api, communes: Resource) -> None:
    response, content = download(api, communes, "geojson", huyen="Hoa Lư", fields="ma_xa")
    assert response["Content-Type"] == "application/geo+json"
    collection = json.loads(content)
    assert collection["type"] == "FeatureCollection"
    assert collection["features"] == [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [105.97, 20.25]},
         "properties": {"ma_xa": 14470}},
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [105.94, 20.22]},
         "properties": {"ma_xa": 14473}}]
    _response, content = download(api, communes, "geojson", huyen="Nowhere")
    assert json.loads(content) == {"type": "FeatureCollection", "features": []}


def test_geojson_from_a_geometry_column(api: Api, dataset: Dataset, editor: User) -> None:
    source = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"ten": "Tràng An", "nam": 2014},
         "geometry": {"type": "Point", "coordinates": [105.89, 20.25]}},
        {"type": "Feature", "properties": {"ten": "Tam Cốc", "nam": 1994},
         "geometry": {"type": "LineString", "coordinates": [[105.9, 20.2], [105.91, 20.21]]}},
    ]}
    places = ready(dataset, editor, content=json.dumps(source).encode(),
                   filename="diem.geojson", name="Điểm du lịch")
    _response, content = download(api, places, "geojson", sort="-nam")
    features = json.loads(content)["features"]
    assert [feature["properties"]["ten"] for feature in features] == ["Tràng An", "Tam Cốc"]
    assert features[1]["geometry"] == source["features"][1]["geometry"]  # type: ignore[index]
    assert "geometry" not in features[0]["properties"]


@pytest.mark.parametrize(("header", "rows"), [
    ("ten,vido,kinhdo", "Tràng An,20.25,105.89\nTam Cốc,20.21,105.93\n"),
    ("ten,vi_do,kinh_do", "Tràng An,20.25,105.89\nTam Cốc,20.21,105.93\n"),
    ("ten,latitude,longitude", "Tràng An,20.25,105.89\nTam Cốc,20.21,105.93\n"),
    ("ten,x,y", "Tràng An,105.89,20.25\nTam Cốc,105.93,20.21\n"),
])
def test_the_geojson_export_maps_every_table_the_map_draws(
        api: Api, dataset: Dataset, editor: User, header: str, rows: str) -> None:
    """One rule (geo.map_columns) for the map and the export: what has a map exports."""
    places = ready(dataset, editor, content=f"{header}\n{rows}".encode())
    page = english_client().get(f"/dataset/{dataset.slug}/resource/{places.pk}")
    assert 'id="map"' in page.content.decode()
    _response, content = download(api, places, "geojson")
    features = json.loads(content)["features"]
    assert [feature["geometry"]["coordinates"] for feature in features] == [
        [105.89, 20.25], [105.93, 20.21]]
    assert features[0]["properties"]["ten"] == "Tràng An"


def test_x_and_y_in_metres_get_neither_a_map_nor_a_geojson_export(
        api: Api, dataset: Dataset, editor: User) -> None:
    grid = ready(dataset, editor, content=b"ten,x,y\nA,590123.5,2235012.25\nB,591000,2236000\n")
    page = english_client().get(f"/dataset/{dataset.slug}/resource/{grid.pk}")
    assert 'id="map"' not in page.content.decode()
    error = error_of(api.call("get", f"/resources/{grid.pk}/export.geojson"), 400,
                     "invalid_query")
    assert "x and y in degrees" in error["message"]


def test_geojson_needs_coordinates(api: Api, dataset: Dataset, editor: User) -> None:
    plain = ready(dataset, editor, content=b"ma,ten\n1,Hoa Lu\n")
    error = error_of(api.call("get", f"/resources/{plain.pk}/export.geojson"), 400,
                     "invalid_query")
    assert "latitude" in error["message"]


def test_export_refusals(api: Api, communes: Resource, agency: Agency, editor: User) -> None:
    path = f"/resources/{communes.pk}/export"
    error_of(api.call("get", f"{path}.txt"), 404, "not_found")
    error_of(api.call("get", f"{path}.csv", {"limit": 0}), 400, "invalid_query")
    error_of(api.call("get", f"{path}.csv", {"limit": 10**30}), 400, "invalid_query")
    error_of(api.call("get", f"{path}.csv", {"nowhere": "1"}), 400, "invalid_query")
    error_of(api.call("get", f"{path}.csv", {"sort": "ma_xa;drop table t"}), 400)
    hidden = ready(factories.make_dataset(agency=agency, user=editor, access_level="agency"),
                   editor)
    error_of(api.call("get", f"/resources/{hidden.pk}/export.csv"), 404, "not_found")
    member = factories.make_user(role="member", agency=agency)
    download(Api(english_client(), token_for(member)), hidden, "csv")


def test_an_export_past_its_time_limit_is_stopped_before_streaming(
        api: Api, dataset: Dataset, editor: User, settings: LazySettings) -> None:
    big = generated(dataset, editor, MILLION)
    settings.DATASTORE_EXPORT_TIMEOUT = 0.01
    error_of(api.call("get", f"/resources/{big.pk}/export.csv", {"sort": "-ten"}), 400,
             "query_timeout")
    assert exports_left(settings) == []


def test_a_million_rows_stream_without_being_held_in_memory(
        api: Api, dataset: Dataset, editor: User, settings: LazySettings) -> None:
    big = generated(dataset, editor, MILLION)
    download(api, big, "csv", limit=1)  # first-use imports and caches are not the export's
    tracemalloc.start()
    try:
        response = api.call("get", f"/resources/{big.pk}/export.csv")
        assert response.status_code == 200
        size = lines = 0
        largest = 0
        for chunk in response.streaming_content:
            size += len(chunk)
            lines += chunk.count(b"\n")
            largest = max(largest, len(chunk))
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert lines == 1_000_001
    assert size > 30_000_000
    assert largest <= exports.CHUNK_SIZE
    assert peak < 4_000_000, f"Python held {peak:,} bytes for a {size:,}-byte export"
    response.close()
    assert exports_left(settings) == []


def test_a_client_that_disconnects_frees_the_file(api: Api, dataset: Dataset, editor: User,
                                                  settings: LazySettings) -> None:
    big = generated(dataset, editor, MILLION)
    response = api.call("get", f"/resources/{big.pk}/export.json")
    next(iter(response.streaming_content))
    assert exports_left(settings)  # open while it streams (its name is already gone)
    assert not list((Path(settings.VAR_DIR) / "datastore-exports").rglob("*"))
    response.close()  # what the server does when the client goes away
    assert exports_left(settings) == []


# The module's contract, as CKAN's /datastore/dump uses it ------------------------------------


def test_export_contract(communes: Resource, editor: User) -> None:
    table = selectors.queryable(communes)
    wanted = RecordsQuery(filters=[Filter("huyen", "eq", "Gia Viễn")], fields=["ma_xa"],
                          limit=exports.WHOLE_TABLE)
    found = exports.export(table, wanted, "tsv", bom=True)
    assert (found.content_type, found.extension) == (
        "text/tab-separated-values; charset=utf-8", "tsv")
    assert b"".join(found.chunks) == b"\xef\xbb\xbfma_xa\n14464\n14467\n"
    found = exports.export(table, RecordsQuery(sort=[("dan_so", True)], limit=1), "json")
    assert json.loads(b"".join(found.chunks))[0]["ma_xa"] == 14479
    with pytest.raises(QueryError):
        exports.export(table, RecordsQuery(), "xml")
