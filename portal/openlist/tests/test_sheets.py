"""The spreadsheet: the template, imports with row-level errors, exports that import again."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from typing import Any

import pytest
from django.utils import translation
from openpyxl import Workbook, load_workbook

from portal.accounts.models import User
from portal.agencies.models import Agency
from portal.lib.errors import PermissionDenied
from portal.openlist import selectors, services, sheets
from portal.openlist.models import ListItem, ListKind, ListVersion
from portal.openlist.sheet_import import ImportRefused, import_items, read_items
from portal.openlist.testing import item_fields, make_version

HEADER = ["Mã", "Tên dữ liệu", "Mô tả", "Cơ quan chủ trì", "Lĩnh vực", "Tần suất cập nhật",
          "Định dạng", "Mức độ truy cập", "Hạn công bố"]


@pytest.fixture(autouse=True)
def _vietnamese() -> None:
    translation.activate("vi")


def workbook(rows: list[list[Any]], header: list[str] | None = None) -> io.BytesIO:
    book = Workbook()
    sheet = book.active
    sheet.append(header or HEADER)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer


def read(buffer: io.BytesIO) -> list[services.ItemFields]:
    return read_items(buffer, len(buffer.getvalue()))


def refusal(buffer: io.BytesIO) -> list[str]:
    with pytest.raises(ImportRefused) as error:
        read(buffer)
    return error.value.field_errors["file"]


def test_rows_become_items_by_any_name_a_person_writes(agency: Agency) -> None:
    sector = agency.sectors.first()
    assert sector is not None
    items = read(workbook([
        ["dm-001", "Danh sách doanh nghiệp", "", agency.slug, sector.code, "monthly", "XLSX",
         "public", date(2026, 6, 30)],
        [7, "Giá đất", "Bảng giá", agency.name.upper(), sector.name_vi, "Hằng năm", "CSV",
         "Chỉ cơ quan nhà nước", "31/12/2026"],
    ]))
    assert [(i.code, i.agency, i.sector, i.frequency, i.access_level, i.publish_by)
            for i in items] == [
        ("DM-001", agency, sector, "monthly", "public", date(2026, 6, 30)),
        ("7", agency, sector, "annual", "agencies", date(2026, 12, 31)),
    ]


def test_every_wrong_cell_is_named_by_row_and_column_in_vietnamese(agency: Agency) -> None:
    sector = agency.sectors.first()
    assert sector is not None
    messages = refusal(workbook([
        ["DM-001", "Được", "", agency.slug, sector.code, "annual", "", "", ""],
        ["DM-001", "", "", "so-khong-co", "nganh-la", "hourly", "", "secret", "30/02/2026"],
        [None, None, None, None, None, None, None, None, None],
        ["DM 3", "Tên", "", agency.slug, sector.code, "", "", "", ""],
    ]))
    assert messages == [
        "Dòng 3, cột “Cơ quan chủ trì”: không có cơ quan nào có tên định danh, tên viết tắt "
        "hoặc tên “so-khong-co” (hoặc có nhiều cơ quan trùng: hãy ghi tên định danh).",
        "Dòng 3, cột “Lĩnh vực”: không có lĩnh vực nào có mã hoặc tên “nganh-la”.",
        "Dòng 3, cột “Tần suất cập nhật”: “hourly” không phải là một tần suất cập nhật của "
        "danh mục.",
        "Dòng 3, cột “Mức độ truy cập”: “secret” không phải là một mức độ truy cập của danh "
        "mục.",
        "Dòng 3, cột “Hạn công bố”: hãy ghi ngày theo dạng dd/mm/yyyy.",
        "Dòng 3, cột “Tên dữ liệu”: hãy nhập tên của mục",
        "Dòng 3, cột “Mã”: mã DM-001 đã có ở dòng 2.",
        "Dòng 5, cột “Mã”: mã gồm 1 đến 30 chữ cái không dấu, chữ số, dấu chấm, gạch ngang "
        "hoặc gạch dưới, ví dụ DM-001",
        "Dòng 5, cột “Tần suất cập nhật”: hãy chọn một tần suất cập nhật trong danh sách",
    ]


def test_nothing_is_saved_when_a_row_is_wrong(agency: Agency) -> None:
    draft = make_version(items=[item_fields(agency=agency, code="DM-009")], issue=False)
    bad = workbook([["DM-001", "Tên", "", "khong-co", "x", "annual", "", "", ""]])
    with pytest.raises(ImportRefused):
        import_items(actor=None, version=draft, handle=bad, size=len(bad.getvalue()))
    assert list(draft.items.values_list("code", flat=True)) == ["DM-009"]


def test_a_missing_column_is_named(agency: Agency) -> None:
    messages = refusal(workbook([["x"]], header=["Mã", "Tên dữ liệu"]))
    assert "Cơ quan chủ trì, Lĩnh vực, Tần suất cập nhật" in messages[0]


def test_a_formula_is_never_evaluated_nor_read_as_text(agency: Agency) -> None:
    sector = agency.sectors.first()
    assert sector is not None
    messages = refusal(workbook([
        ["DM-001", '=HYPERLINK("http://evil","x")', "", agency.slug, sector.code, "annual"]]))
    assert messages == ["Dòng 2, cột “Tên dữ liệu”: hãy nhập tên của mục"]


def test_too_many_rows_are_refused_before_any_is_read(agency: Agency, settings: Any) -> None:
    settings.OPENLIST_IMPORT_MAX_ROWS = 2
    rows = [[f"DM-{n}", "Tên", "", agency.slug, "x", "annual"] for n in range(3)]
    assert "nhiều hơn 2 dòng" in refusal(workbook(rows))[0]


def test_a_file_that_is_not_a_workbook_is_refused(agency: Agency) -> None:
    assert "không phải là sổ tính Excel" in refusal(io.BytesIO(b"%PDF-1.4 not a sheet"))[0]
    damaged = io.BytesIO()
    with zipfile.ZipFile(damaged, "w") as archive:
        archive.writestr("xl/workbook.xml", "<not-xml")
    assert "Không đọc được sổ tính" in refusal(damaged)[0]


def test_a_large_or_bomb_file_is_refused_unread(agency: Agency, settings: Any) -> None:
    settings.OPENLIST_IMPORT_MAX_SIZE = 10_000
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"<" * 300_000)
    assert len(bomb.getvalue()) < 10_000
    assert "khi giải nén" in refusal(bomb)[0]
    large = io.BytesIO(b"x" * 10_001)
    assert "lớn hơn" in refusal(large)[0]


def test_an_export_imports_again_unchanged(agency: Agency, other_agency: Agency) -> None:
    version = make_version(items=[
        item_fields(agency=agency, code="DM-001", name="=1+1", publish_by=date(2026, 1, 31),
                    expected_format="CSV", description="Mô tả"),
        item_fields(agency=other_agency, code="DM-002", frequency="quarterly",
                    access_level="agencies")])
    exported = io.BytesIO(sheets.export_xlsx(selectors.items_with_coverage(version)))
    cell = load_workbook(exported)[sheets.DATA_SHEET]["B2"]
    assert cell.value == "=1+1"
    assert cell.data_type == "s"
    exported.seek(0)
    fields = ["code", "name", "description", "agency", "sector", "frequency",
              "expected_format", "access_level", "publish_by"]
    again = [[getattr(item, name) for name in fields] for item in read(exported)]
    assert again == [[getattr(item, name) for name in fields] for item in version.items.all()]


def test_the_csv_export_guards_against_formulas(agency: Agency) -> None:
    version = make_version(items=[item_fields(agency=agency, code="DM-001", name="=cmd|x")])
    lines = list(sheets.export_csv(selectors.items_with_coverage(version)))
    assert lines[0].startswith("\ufeffMã,Tên dữ liệu,")
    assert lines[1].startswith("DM-001,'=cmd|x,")
    assert "Chưa công bố" in lines[1]


def test_the_template_explains_every_column_and_value(agency: Agency) -> None:
    book = load_workbook(io.BytesIO(sheets.template_xlsx()))
    assert [cell.value for cell in book[sheets.DATA_SHEET][1]][:9] == HEADER
    guide = list(book.worksheets[1].iter_rows(values_only=True))
    texts = {value for row in guide for value in row if value}
    assert {agency.slug, agency.name, "monthly", "Hằng tháng", "public"} <= texts
    assert book.worksheets[1].title == "Hướng dẫn"


def test_only_list_keepers_import(editor: User, agency: Agency) -> None:
    draft = make_version(items=[item_fields(agency=agency)], issue=False)
    good = workbook([])
    with pytest.raises(PermissionDenied):
        import_items(actor=editor, version=draft, handle=good, size=len(good.getvalue()))


def test_an_import_replaces_the_drafts_items(supervisor: User, agency: Agency) -> None:
    sector = agency.sectors.first()
    assert sector is not None
    draft = services.draft_create(actor=supervisor, kind=ListKind.SHARED_DATABASES)
    good = workbook([["CSDL-001", "CSDL đất đai", "", agency.slug, sector.code, "irregular"]])
    count = import_items(actor=supervisor, version=draft, handle=good,
                         size=len(good.getvalue()), source="ds.xlsx")
    assert count == 1
    assert ListItem.objects.get(version=draft).name == "CSDL đất đai"
    assert ListVersion.objects.count() == 1
