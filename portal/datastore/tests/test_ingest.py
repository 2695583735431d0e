"""Ingestion: every supported file becomes a typed Parquet table; bad files fail clearly and
never replace the last good version."""

from __future__ import annotations

import io
import json
import zipfile
from io import StringIO
from typing import Any

import duckdb
import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.test import override_settings
from django.utils import translation

from portal.accounts.models import User
from portal.catalog import services as catalog
from portal.catalog.models import ResourceKind
from portal.datastore import runs, storage
from portal.datastore.engine import sandbox
from portal.datastore.errors import render
from portal.datastore.models import DataTable, State, TableVersion
from portal.datastore.tests.conftest import Ingest, rerun
from portal.datastore.tests.tables import xlsx

pytestmark = pytest.mark.django_db

VIETNAMESE_CSV = (
    "Mã xã,Tên xã,Dân số,Diện tích (km²),Ngày cập nhật,Ghi chú\n"
    "00001,Phường Hoa Lư,\"12.345\",\"1.234,5\",15/03/2026,x\n"
    "00002,Xã Gia Viễn,1.234.567,\"0,5\",01/12/2025,\n"
    "00003,Xã Kim Sơn,999,12,02/01/2024,\"có, nhiều\"\n"
)


def current(table_state: DataTable) -> TableVersion:
    assert table_state.current is not None, render(table_state.message)
    return table_state.current


def rows_of(table_state: DataTable, sheet: int = 0) -> list[tuple[Any, ...]]:
    """The rows as the queries see them: `_id` (the row's position) first."""
    path = storage.readable(current(table_state).sheets[sheet]["file"])
    with sandbox({"t": path}) as con:
        return con.execute("SELECT * FROM t ORDER BY _id").fetchall()


def field_types(table_state: DataTable, sheet: int = 0) -> dict[str, str]:
    assert table_state.current is not None
    fields = table_state.current.sheets[sheet]["schema"]["fields"]
    return {field["name"]: field["type"] for field in fields}


def test_vietnamese_numbers_and_dates_are_typed_and_codes_stay_text(ingest: Ingest) -> None:
    _resource, table = ingest(VIETNAMESE_CSV.encode())
    assert table.state == State.READY, render(table.message)
    assert field_types(table) == {"_id": "integer", "Mã xã": "string", "Tên xã": "string",
                                  "Dân số": "integer", "Diện tích (km²)": "number",
                                  "Ngày cập nhật": "date", "Ghi chú": "string"}
    fields = {field["name"]: field for field in current(table).sheets[0]["schema"]["fields"]}
    assert fields["Diện tích (km²)"]["decimalChar"] == ","
    assert fields["Ngày cập nhật"]["format"] == "%d/%m/%Y"
    first, second, third = rows_of(table)
    assert first[:5] == (1, "00001", "Phường Hoa Lư", 12345, 1234.5)
    assert str(first[5]) == "2026-03-15"
    assert second[3] == 1234567
    assert second[4] == 0.5
    assert third[6] == "có, nhiều"


def test_dotted_thousands_except_in_coordinate_columns(ingest: Ingest) -> None:
    body = "Kinh độ,lat,dan_so\n105.800,20.250,12.345\n105.975,20.125,8.200\n"
    _resource, table = ingest(body.encode())
    assert field_types(table) == {"_id": "integer", "Kinh độ": "number", "lat": "number",
                                  "dan_so": "integer"}
    assert rows_of(table)[0][1:] == (105.8, 20.25, 12345)


def test_one_cell_that_does_not_fit_keeps_the_column_text(ingest: Ingest) -> None:
    body = "ma,so\n" + "".join(f"{i},{i}\n" for i in range(1, 30_000)) + "30000,n/a\n"
    _resource, table = ingest(body.encode())
    assert field_types(table)["so"] == "string"
    assert rows_of(table)[-1][2] == "n/a"


@pytest.mark.parametrize(("delimiter", "name"), [(";", "a.csv"), ("\t", "a.tsv"), ("|", "a.txt")])
def test_common_delimiters_and_quoting(ingest: Ingest, delimiter: str, name: str) -> None:
    body = (f'ten{delimiter}ghi_chu\n"Hoa Lư"{delimiter}"dòng 1\ndòng 2"\n'
            f'Kim Sơn{delimiter}"a ""b"""\n')
    _resource, table = ingest(body.encode(), name)
    assert table.state == State.READY, render(table.message)
    assert [row[1:] for row in rows_of(table)] == [("Hoa Lư", "dòng 1\ndòng 2"),
                                                   ("Kim Sơn", 'a "b"')]


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "cp1258", "tcvn3", "vni"])
def test_encodings_are_converted_to_unicode(ingest: Ingest, encoding: str) -> None:
    from portal.datastore.encodings import encode

    # TCVN3 has no capital letters with tone marks (they were a separate font): none here.
    text = ("Tên đơn vị,Địa chỉ\n" + "".join(
        f'ủy ban nhân dân xã Gia Viễn {i},"Số {i} đường Trần Hưng Đạo, tỉnh Ninh Bình"\n'
        for i in range(40)))
    _resource, table = ingest(encode(text, encoding))
    assert table.state == State.READY, render(table.message)
    assert current(table).encoding.startswith(encoding.split("-")[0])
    assert rows_of(table)[0][1:] == ("ủy ban nhân dân xã Gia Viễn 0",
                                     "Số 0 đường Trần Hưng Đạo, tỉnh Ninh Bình")


def test_decomposed_utf8_is_composed(ingest: Ingest) -> None:
    import unicodedata

    text = unicodedata.normalize("NFD", "tên\nPhường Hoa Lư\n")
    _resource, table = ingest(text.encode())
    assert rows_of(table)[0][1] == "Phường Hoa Lư"
    assert unicodedata.is_normalized("NFC", rows_of(table)[0][1])


def test_unsure_encoding_asks_the_agency_then_reads_with_its_choice(ingest: Ingest) -> None:
    from portal.datastore.encodings import encode

    _resource, table = ingest(encode("ten\nHà\n", "tcvn3"))
    if table.state == State.READY:  # short samples may still be recognised
        pytest.skip("detection was confident on this sample")
    assert table.state == State.NEEDS_ENCODING
    assert table.encoding_candidates
    table.encoding = "tcvn3"
    table.save(update_fields=["encoding"])
    table = rerun(table)
    assert table.state == State.READY
    assert rows_of(table)[0][1] == "Hà"


def test_spreadsheet_each_sheet_with_the_header_below_title_rows(ingest: Ingest) -> None:
    content = xlsx(
        ("Dân số", [["UBND TỈNH NINH BÌNH"], ["Báo cáo dân số năm 2025"], [],
                    ["Mã xã", "Tên xã", "Dân số"], ["00001", "Hoa Lư", 12345],
                    ["00002", "Gia Viễn", 23456.0]]),
        ("Trống", []),
        ("Diện tích", [["Tên xã", "Diện tích"], ["Hoa Lư", 12.5]]),
    )
    _resource, table = ingest(content, "bao-cao.xlsx")
    assert table.state == State.READY, render(table.message)
    assert [sheet["name"] for sheet in current(table).sheets] == ["Dân số", "Diện tích"]
    assert field_types(table) == {"_id": "integer", "Mã xã": "string", "Tên xã": "string",
                                  "Dân số": "integer"}
    assert rows_of(table) == [(1, "00001", "Hoa Lư", 12345), (2, "00002", "Gia Viễn", 23456)]
    assert rows_of(table, 1) == [(1, "Hoa Lư", 12.5)]


def _ods(rows: list[list[str]]) -> bytes:
    cells = "".join(
        "<table:table-row>" + "".join(
            f'<table:table-cell office:value-type="string"><text:p>{value}</text:p>'
            "</table:table-cell>" for value in row) + "</table:table-row>" for row in rows)
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        '<office:body><office:spreadsheet><table:table table:name="Trang 1">'
        f"{cells}</table:table></office:spreadsheet></office:body></office:document-content>")
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
        'manifest:version="1.2"><manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet",
                         compress_type=zipfile.ZIP_STORED)
        archive.writestr("content.xml", content)
        archive.writestr("META-INF/manifest.xml", manifest)
    return buffer.getvalue()


def test_ods_spreadsheet(ingest: Ingest) -> None:
    _resource, table = ingest(_ods([["ten", "so"], ["Hoa Lư", "1.234"], ["Kim Sơn", "5"]]),
                              "bang.ods")
    assert table.state == State.READY, render(table.message)
    assert rows_of(table) == [(1, "Hoa Lư", 1234), (2, "Kim Sơn", 5)]


def test_json_array_of_objects_with_nested_values(ingest: Ingest) -> None:
    content = json.dumps([{"ten": "Hoa Lư", "so": 1, "the": {"a": [1, 2]}},
                          {"ten": "Kim Sơn", "so": 2, "the": None}], ensure_ascii=False)
    _resource, table = ingest(content.encode(), "du-lieu.json")
    assert table.state == State.READY, render(table.message)
    assert field_types(table) == {"_id": "integer", "ten": "string", "so": "integer",
                                  "the": "object"}
    assert json.loads(rows_of(table)[0][3]) == {"a": [1, 2]}


def test_geojson_features_become_rows_with_their_geometry(ingest: Ingest) -> None:
    content = json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"ten": "Tràng An", "luot_khach": 1200},
         "geometry": {"type": "Point", "coordinates": [105.89, 20.25]}},
        {"type": "Feature", "properties": {"ten": "Bái Đính", "luot_khach": 900},
         "geometry": {"type": "Point", "coordinates": [105.86, 20.27]}},
    ]}, ensure_ascii=False)
    _resource, table = ingest(content.encode(), "diem.geojson")
    assert table.state == State.READY, render(table.message)
    assert field_types(table) == {"_id": "integer", "ten": "string", "luot_khach": "integer",
                                  "geometry": "geojson"}
    assert json.loads(rows_of(table)[1][3])["coordinates"] == [105.86, 20.27]


def test_parquet_file(ingest: Ingest, tmp_path: object) -> None:
    target = f"{tmp_path}/source.parquet"
    duckdb.sql(f"COPY (SELECT range AS n, 'x' || range AS s FROM range(5)) TO '{target}'")
    with open(target, "rb") as handle:
        _resource, table = ingest(handle.read(), "bang.parquet")
    assert table.state == State.READY, render(table.message)
    assert current(table).rows == 5


def test_command_ingests_and_reports(ingest: Ingest) -> None:
    resource, _table = ingest(VIETNAMESE_CSV.encode())
    out = StringIO()
    with translation.override("en"):
        call_command("datastore", "ingest", str(resource.pk), "--sync", stdout=out)
    assert out.getvalue().strip() == f"{resource.pk} ready"
    assert resource.datatable.versions.count() == 2


# Bad input ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("content", "filename", "words"), [
    (b"", "rong.csv", "empty"),
    (b"a,b\n1,2\n3,4,5,6\n", "le.csv", "Line 3 does not have as many cells as the header (2)"),
    (b"a,b,c\n1,2,3\n4,5\n", "thieu.csv", "Line 3 does not have as many cells as the header (3)"),
    (b'a,b\n1,"never closed\n2,3\n', "ngoac.csv", "quote"),
    (b"[{\"a\": 1}, {\"a\": ", "hong.json", "could not be read"),
    (b"this is not a spreadsheet", "gia.xlsx", "content is in the CSV format"),
    (b"PK\x03\x04 damaged", "hong.xlsx", "could not be opened"),
    (b"ten\n", "chi-tieu-de.csv", "no table"),
    (b"_id,ten\n1,a\n", "id.csv", "“_id” is reserved for the row number"),
    (b"ten,file_row_number\n1,a\n", "vi-tri.csv", "“file_row_number” is reserved"),
])
def test_bad_files_fail_with_a_message_the_agency_can_act_on(
        ingest: Ingest, content: bytes, filename: str, words: str) -> None:
    if not content:
        pytest.skip("an empty upload is refused before it is stored")
    _resource, table = ingest(content, filename)
    with translation.override("en"):
        message = render(table.message)
    if words == "no table" and table.state == State.READY:
        assert current(table).rows == 0
        return
    assert table.state == State.FAILED
    assert words in message, message
    assert table.current is None


def test_empty_file_fails_clearly(ingest: Ingest, editor: User) -> None:
    resource, table = ingest(VIETNAMESE_CSV.encode())
    catalog.resource_update(user=editor, resource=resource,
                            data=catalog.ResourceFields(name=resource.name),
                            upload=ContentFile(b"", name="rong.csv"))
    table = rerun(table)
    with translation.override("en"):
        assert table.state == State.FAILED
        assert "empty" in render(table.message)


def test_spreadsheet_bomb_is_refused(ingest: Ingest) -> None:
    content = xlsx(("A", [["x" * 1000] for _ in range(2000)]))
    with override_settings(DATASTORE_MAX_UNPACKED_SIZE=1_000_000):
        _resource, table = ingest(content, "bom.xlsx")
    assert table.state == State.FAILED
    with translation.override("en"):
        assert "unpacks to" in render(table.message)


def test_a_failed_run_keeps_the_last_good_version(ingest: Ingest, editor: User) -> None:
    resource, table = ingest(VIETNAMESE_CSV.encode())
    good = table.current
    catalog.resource_update(user=editor, resource=resource,
                            data=catalog.ResourceFields(name=resource.name),
                            upload=ContentFile(b"a,b\n1,2\n3,4,5\n", name="hong.csv"))
    table = rerun(table)
    assert table.state == State.FAILED
    assert table.current == good
    assert len(rows_of(table)) == 3


def test_dictionary_type_that_does_not_fit_names_row_and_column(
        ingest: Ingest, editor: User) -> None:
    from portal.datastore import services

    resource, table = ingest(("ma,so\n" + "1,5\n" * 10 + "2,năm\n").encode())
    services.dictionary_update(user=editor, resource=resource,
                               fields={"so": {"type": "integer", "title": "Số lượng"}})
    table = runs.run_ingestion(table.pk)
    assert table.state == State.FAILED
    with translation.override("en"):
        message = render(table.message)
    assert "Row 11" in message
    assert "“so”" in message
    assert "năm" in message


def test_dictionary_titles_reach_the_schema(ingest: Ingest, editor: User) -> None:
    from portal.datastore import services

    resource, table = ingest(VIETNAMESE_CSV.encode())
    services.dictionary_update(user=editor, resource=resource,
                               fields={"Dân số": {"title": "Population", "unit": "người"}})
    table = runs.run_ingestion(table.pk)
    fields = {field["name"]: field for field in current(table).sheets[0]["schema"]["fields"]}
    assert fields["Dân số"]["title"] == "Population"
    assert fields["Dân số"]["unit"] == "người"


def test_links_are_not_tables_unless_their_format_says(ingest: Ingest, editor: User) -> None:
    from portal.datastore import services

    resource, _table = ingest(VIETNAMESE_CSV.encode())
    link = catalog.resource_create(
        user=editor, dataset=resource.dataset,
        data=catalog.ResourceFields(name="Trang web", kind=ResourceKind.LINK,
                                    url="https://example.org/trang"))
    assert services.schedule_ingestion(link, enqueue=False) is None
