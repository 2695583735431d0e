"""`portal openlist import|export|template` with real workbooks on disk."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation
from openpyxl import Workbook, load_workbook

from portal.agencies.models import Agency
from portal.audit.models import AuditEntry
from portal.openlist.models import ListKind, ListVersion, VersionStatus
from portal.openlist.testing import item_fields, make_version


@pytest.fixture(autouse=True)
def _english() -> None:
    translation.activate("en")


def write_workbook(path: Path, rows: list[list[object]]) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.title = "Danh mục"
    sheet.append(["Mã", "Tên dữ liệu", "Mô tả", "Cơ quan chủ trì", "Lĩnh vực",
                  "Tần suất cập nhật", "Định dạng", "Mức độ truy cập", "Hạn công bố"])
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("openlist", *args, stdout=out)
    return out.getvalue()


def test_import_fills_a_new_draft_and_export_writes_it_back(tmp_path: Path,
                                                            agency: Agency) -> None:
    sector = agency.sectors.first()
    assert sector is not None
    source = write_workbook(tmp_path / "dm.xlsx", [
        ["DM-001", "Doanh nghiệp", "", agency.slug, sector.code, "monthly", "XLSX", "", ""],
        ["DM-002", "Giá đất", "", agency.name, sector.name_vi, "Hằng năm", "", "public",
         "31/12/2026"]])
    output = run("import", str(source))
    draft = ListVersion.objects.get()
    assert draft.status == VersionStatus.DRAFT
    assert output.strip() == (f"Imported 2 items into the draft of version 1 (id {draft.pk}) "
                              "of the open data list.")
    assert AuditEntry.objects.get(action="openlist.import").door == "command"
    exported = tmp_path / "out.xlsx"
    run("export", "--version-id", str(draft.pk), "--output", str(exported))
    rows = list(load_workbook(exported).worksheets[0].iter_rows(values_only=True))
    assert [row[:2] for row in rows] == [("Mã", "Tên dữ liệu"), ("DM-001", "Doanh nghiệp"),
                                         ("DM-002", "Giá đất")]
    csv_file = tmp_path / "out.csv"
    run("export", "--version-id", str(draft.pk), "--output", str(csv_file))
    assert csv_file.read_text(encoding="utf-8").count("\n") == 3


def test_a_wrong_row_stops_the_import_with_its_row_and_column(tmp_path: Path,
                                                              agency: Agency) -> None:
    source = write_workbook(tmp_path / "dm.xlsx", [
        ["DM-001", "Doanh nghiệp", "", "khong-co", "nong-nghiep", "monthly"]])
    with pytest.raises(CommandError) as error:
        run("import", str(source), "--kind", "shared_databases")
    assert "Nothing was imported" in str(error.value)
    assert "Row 2, column “Cơ quan chủ trì”" in str(error.value)
    assert not ListVersion.objects.filter(items__isnull=False).exists()


def test_import_into_an_issued_version_is_refused(tmp_path: Path, agency: Agency) -> None:
    version = make_version(items=[item_fields(agency=agency)])
    source = write_workbook(tmp_path / "dm.xlsx", [])
    with pytest.raises(CommandError, match="Only a draft version"):
        run("import", str(source), "--version-id", str(version.pk))


def test_export_defaults_to_the_version_in_force(tmp_path: Path, agency: Agency) -> None:
    with pytest.raises(CommandError, match="No such version"):
        run("export", "--output", str(tmp_path / "x.xlsx"))
    make_version(kind=ListKind.SHARED_DATABASES, items=[item_fields(agency=agency,
                                                                    code="CSDL-9")])
    output = tmp_path / "shared.csv"
    assert "Wrote 1 items" in run("export", "--kind", "shared_databases", "--output",
                                  str(output))
    assert "CSDL-9" in output.read_text(encoding="utf-8")
    with pytest.raises(CommandError, match=r"\.xlsx or \.csv"):
        run("export", "--kind", "shared_databases", "--output", str(tmp_path / "x.pdf"))


def test_the_template(tmp_path: Path, agency: Agency) -> None:
    run("template", "--output", str(tmp_path / "mau.xlsx"))
    assert load_workbook(tmp_path / "mau.xlsx").sheetnames == ["Danh mục", "Instructions"]
