"""The list as a spreadsheet: the columns, the template agencies fill in, exports (XLSX, CSV).

The column titles are Vietnamese whatever the page's language: the file is the province's
document and `sheet_import.py` reads it back by these titles. An exported version imports again
unchanged (the extra columns, names and coverage, are ignored on import). Text that a
spreadsheet would run as a formula is written as text.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from portal.agencies.models import Agency, Sector
from portal.catalog.models import AccessLevel, Frequency
from portal.openlist.models import Coverage, ListItem

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATA_SHEET = "Danh mục"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Column:
    key: str  # the ItemFields field it fills
    title: str  # the header, in Vietnamese
    required: bool
    explanation: Promise
    width: int = 20


COLUMNS = [
    Column("code", "Mã", True, gettext_lazy(
        "The item's code, kept in every version, e.g. DM-001: letters without diacritics, "
        "digits, dots, hyphens, underscores; at most 30. Unique in the list."), 12),
    Column("name", "Tên dữ liệu", True, gettext_lazy(
        "The name of the required dataset; at most 300 characters."), 45),
    Column("description", "Mô tả", False, gettext_lazy("What the data holds (optional)."), 45),
    Column("agency", "Cơ quan chủ trì", True, gettext_lazy(
        "The responsible agency: its slug, short name or full name (see the list below)."), 30),
    Column("sector", "Lĩnh vực", True, gettext_lazy(
        "The sector: its code or its name (see the list below)."), 22),
    Column("frequency", "Tần suất cập nhật", True, gettext_lazy(
        "How often the data is updated: one of the values below."), 18),
    Column("expected_format", "Định dạng", False, gettext_lazy(
        "The expected format, e.g. XLSX, CSV, API (optional)."), 12),
    Column("access_level", "Mức độ truy cập", False, gettext_lazy(
        "Who may read the data: one of the values below; empty means public."), 22),
    Column("publish_by", "Hạn công bố", False, gettext_lazy(
        "The date by which the data must be published, as dd/mm/yyyy (optional)."), 14),
]
EXTRA_TITLES = ["Tên cơ quan chủ trì", "Tên lĩnh vực", "Tình trạng công bố"]


def as_text(value: str) -> str:
    """A CSV cell that a spreadsheet will show as text, never run as a formula."""
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


def _in_vietnamese(label: Promise | str) -> str:
    with translation.override("vi"):
        return str(label)


def _row(item: ListItem, coverage: str) -> list[Any]:
    return [
        item.code, item.name, item.description, item.agency.slug, item.sector.code,
        _in_vietnamese(Frequency(item.frequency).label), item.expected_format,
        _in_vietnamese(AccessLevel(item.access_level).label), item.publish_by,
        item.agency.name, item.sector.name_vi,
        _in_vietnamese(Coverage(coverage).label) if coverage else "",
    ]


def _headers() -> list[str]:
    return [column.title for column in COLUMNS] + EXTRA_TITLES


def _cells(sheet: WriteOnlyWorksheet, values: Iterable[Any], bold: bool = False) -> list[Any]:
    cells = []
    for value in values:
        cell = WriteOnlyCell(sheet, value=value if value not in ("", None) else None)
        if isinstance(value, str):
            cell.data_type = "s"  # never a formula, whatever the text starts with
        if isinstance(value, date):
            cell.number_format = "DD/MM/YYYY"
        if bold:
            cell.font = Font(bold=True)
        cells.append(cell)
    return cells


def _data_sheet(book: Workbook, rows: Iterable[list[Any]]) -> None:
    sheet = book.create_sheet(DATA_SHEET)
    for letter, column in zip("ABCDEFGHI", COLUMNS, strict=True):
        sheet.column_dimensions[letter].width = column.width
    sheet.freeze_panes = "A2"
    sheet.append(_cells(sheet, _headers(), bold=True))
    for row in rows:
        sheet.append(_cells(sheet, row))


def _save(book: Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def export_xlsx(items: Iterable[Any]) -> bytes:
    """Items annotated with `coverage` (selectors.items_with_coverage) as a workbook."""
    book = Workbook(write_only=True)
    _data_sheet(book, (_row(item, getattr(item, "coverage", "")) for item in items))
    return _save(book)


def export_csv(items: Iterable[Any]) -> Iterator[str]:
    """The same columns as CSV lines, UTF-8 with a BOM so that spreadsheets read it."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def line(values: list[Any]) -> str:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow([as_text(value.strftime("%d/%m/%Y") if isinstance(value, date)
                                 else str(value or "")) for value in values])
        return buffer.getvalue()

    yield "\ufeff" + line(_headers())
    for item in items:
        yield line(_row(item, getattr(item, "coverage", "")))


# The template --------------------------------------------------------------------------------


def _explanations(book: Workbook) -> None:
    sheet = book.create_sheet(_("Instructions"))
    sheet.column_dimensions["A"].width = 28
    sheet.column_dimensions["B"].width = 40
    sheet.column_dimensions["C"].width = 60
    sheet.append(_cells(sheet, [_("Column"), _("Required"), _("What to write")], bold=True))
    for column in COLUMNS:
        sheet.append(_cells(sheet, [column.title, _("yes") if column.required else _("no"),
                                    str(column.explanation)]))
    sheet.append([])
    _choices(sheet, _("Agencies (slug, short name, name)"),
             [[a.slug, a.short_name, a.name] for a in Agency.objects.active().order_by("name")])
    _choices(sheet, _("Sectors (code, Vietnamese name, English name)"),
             [[s.code, s.name_vi, s.name_en] for s in Sector.objects.all()])
    _choices(sheet, _("Update frequencies (value, or its Vietnamese or English name)"),
             _labels(Frequency.choices))
    _choices(sheet, _("Access levels (value, or its Vietnamese or English name)"),
             _labels(AccessLevel.choices))


def _labels(choices: list[tuple[str, Any]]) -> list[list[str]]:
    with translation.override("en"):
        english = {value: str(label) for value, label in choices}
    return [[value, _in_vietnamese(label), english[value]] for value, label in choices]


def _choices(sheet: WriteOnlyWorksheet, title: str, rows: list[list[str]]) -> None:
    sheet.append(_cells(sheet, [title], bold=True))
    for row in rows:
        sheet.append(_cells(sheet, row))
    sheet.append([])


def template_xlsx() -> bytes:
    """An empty list with its header row, and a sheet explaining each column and its values."""
    book = Workbook(write_only=True)
    _data_sheet(book, [])
    _explanations(book)
    return _save(book)
