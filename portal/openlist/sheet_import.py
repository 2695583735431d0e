"""Reading a list from an uploaded XLSX, which is untrusted: every row is checked before any
is saved, and each problem is reported with its row, its column and what is wrong.

The file is bounded before openpyxl sees it: its size (OPENLIST_IMPORT_MAX_SIZE), the unpacked
size of its parts (20 times that, read from the ZIP directory, so a small file that unpacks to
gigabytes is refused) and the rows read (OPENLIST_IMPORT_MAX_ROWS, plus some blank ones).
openpyxl reads it in read-only mode with the values last saved (`data_only`): no formula is
evaluated, a formula's text never becomes a value.
"""

from __future__ import annotations

import logging
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import IO, TYPE_CHECKING, Any

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from portal.accounts.permissions import Action
from portal.agencies.models import Agency, Sector
from portal.catalog.models import AccessLevel, Frequency
from portal.lib.errors import ApplicationError
from portal.lib.text import fold
from portal.openlist import services
from portal.openlist.models import ListVersion
from portal.openlist.services import ItemFields, item_field_errors
from portal.openlist.sheets import COLUMNS, DATA_SHEET, Column

if TYPE_CHECKING:
    from portal.accounts.permissions import Actor

logger = logging.getLogger(__name__)

UNPACKED_RATIO = 20
BLANK_ROWS_ALLOWED = 1000
MAX_ERRORS_KEPT = 200
DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y")


@dataclass(frozen=True)
class RowError:
    row: int  # as the spreadsheet numbers it (the header is row 1)
    column: str  # the column's title, or "" for the whole row
    message: str

    def __str__(self) -> str:
        if not self.column:
            return _("Row %(row)s: %(message)s") % {"row": self.row, "message": self.message}
        return _("Row %(row)s, column “%(column)s”: %(message)s") % {
            "row": self.row, "column": self.column, "message": self.message}


class ImportRefused(ApplicationError):
    """The file, or some of its rows, cannot be imported; `rows` lists each problem."""

    def __init__(self, message: str, rows: list[RowError] | None = None) -> None:
        self.rows = rows or []
        shown = [str(error) for error in self.rows[:MAX_ERRORS_KEPT]]
        super().__init__(message, {"file": shown} if shown else {"file": [message]})


def _check_container(handle: IO[bytes], size: int) -> None:
    limit = settings.OPENLIST_IMPORT_MAX_SIZE
    if size > limit:
        raise ImportRefused(_("The file is larger than %(limit)s.")
                            % {"limit": filesizeformat(limit)})
    handle.seek(0)
    if not zipfile.is_zipfile(handle):
        raise ImportRefused(_("This file is not an Excel workbook (XLSX). Save it as .xlsx "
                              "from the template and try again."))
    handle.seek(0)
    with zipfile.ZipFile(handle) as archive:
        unpacked = sum(info.file_size for info in archive.infolist())
    if unpacked > UNPACKED_RATIO * limit:
        raise ImportRefused(_("The workbook unpacks to more than %(limit)s: it cannot be a "
                              "list. Copy the rows into the template and try again.")
                            % {"limit": filesizeformat(UNPACKED_RATIO * limit)})
    handle.seek(0)


def _rows(handle: IO[bytes]) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """(row number, values) of the list's sheet: the one named as in the template, else the
    first."""
    book = load_workbook(handle, read_only=True, data_only=True, keep_links=False)
    try:
        sheet = book[DATA_SHEET] if DATA_SHEET in book.sheetnames else book.worksheets[0]
        width = len(COLUMNS) + 10
        for number, values in enumerate(sheet.iter_rows(max_col=width, values_only=True), 1):
            yield number, tuple(values)
    finally:
        book.close()


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _header_positions(header: tuple[Any, ...]) -> tuple[dict[str, int], list[str]]:
    titles = {fold(_text(value)): position for position, value in enumerate(header)}
    positions: dict[str, int] = {}
    missing = []
    for column in COLUMNS:
        position = titles.get(fold(column.title), titles.get(column.key))
        if position is not None:
            positions[column.key] = position
        elif column.required:
            missing.append(column.title)
    return positions, missing


class _Lookups:
    """Agencies, sectors and choices by every name a person may write, read once."""

    def __init__(self) -> None:
        self.agencies = self._agencies()
        self.sectors: dict[str, Sector | None] = {}
        for sector in Sector.objects.all():
            for name in (sector.code, sector.name_vi, sector.name_en):
                self.sectors[fold(name)] = sector
        self.frequencies = self._choices(Frequency.choices)
        self.access_levels = self._choices(AccessLevel.choices)

    @staticmethod
    def _agencies() -> dict[str, Agency | None]:
        found: dict[str, Agency | None] = {}
        for agency in Agency.objects.all():
            for name in {agency.slug, agency.short_name, agency.name}:
                key = fold(name)
                if key:  # a name two agencies share finds neither
                    found[key] = None if key in found and found[key] != agency else agency
        return found

    @staticmethod
    def _choices(choices: list[tuple[str, Any]]) -> dict[str, str]:
        found: dict[str, str] = {}
        for language in ("vi", "en"):
            with translation.override(language):
                found |= {fold(str(label)): value for value, label in choices}
        return found | {value: value for value, _label in choices}


def _parse_date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value)
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(text)


@dataclass
class _Row:
    number: int
    values: dict[str, Any]
    errors: list[RowError]

    def error(self, column: Column | None, message: str) -> None:
        self.errors.append(RowError(self.number, column.title if column else "", message))


def _column(key: str) -> Column:
    return next(column for column in COLUMNS if column.key == key)


def _read_choice(row: _Row, key: str, table: dict[str, Any], unknown: str) -> Any:
    raw = _text(row.values.get(key))
    if not raw:
        return None
    found = table.get(fold(raw))
    if found is None:
        row.error(_column(key), unknown % {"value": raw})
    return found


def _item(row: _Row, lookups: _Lookups) -> ItemFields:
    agency = _read_choice(row, "agency", lookups.agencies, _(
        "no agency has the slug, short name or name “%(value)s” (or several do: write the "
        "slug)."))
    sector = _read_choice(row, "sector", lookups.sectors,
                          _("no sector has the code or name “%(value)s”."))
    frequency = _read_choice(row, "frequency", lookups.frequencies,
                             _("“%(value)s” is not an update frequency of the list."))
    level = _read_choice(row, "access_level", lookups.access_levels,
                         _("“%(value)s” is not an access level of the list."))
    publish_by = None
    if row.values.get("publish_by") not in (None, ""):
        try:
            publish_by = _parse_date(row.values["publish_by"])
        except ValueError:
            row.error(_column("publish_by"), _("write the date as dd/mm/yyyy."))
    return ItemFields(
        code=_text(row.values.get("code")), name=_text(row.values.get("name")),
        description=_text(row.values.get("description")), agency=agency, sector=sector,
        frequency=frequency or "", expected_format=_text(row.values.get("expected_format")),
        access_level=level or AccessLevel.PUBLIC, publish_by=publish_by)


def _check_item(row: _Row, item: ItemFields, seen: dict[str, int]) -> None:
    reported = {error.column for error in row.errors}
    for key, messages in item_field_errors(item).items():
        column = _column(key)
        if column.title not in reported:  # a service's sentence, as the rest of a line
            message = messages[0].rstrip(".")
            row.error(column, message[:1].lower() + message[1:])
    if item.code and item.code in seen:
        row.error(_column("code"), _("the code %(code)s is already on row %(row)s.")
                  % {"code": item.code, "row": seen[item.code]})
    seen.setdefault(item.code, row.number)


def _read(rows: Iterator[tuple[int, tuple[Any, ...]]]) -> list[ItemFields]:
    first = next(rows, None)
    if first is None:
        raise ImportRefused(_("The workbook is empty: fill in the template's first sheet."))
    positions, missing = _header_positions(first[1])
    if missing:
        raise ImportRefused(_("The first row must hold the template's column titles; missing: "
                              "%(columns)s.") % {"columns": ", ".join(missing)})
    lookups, items, errors = _Lookups(), list[ItemFields](), list[RowError]()
    seen: dict[str, int] = {}
    limit = settings.OPENLIST_IMPORT_MAX_ROWS
    for number, values in rows:
        if not any(_text(value) for value in values):
            if number > limit + 1 + BLANK_ROWS_ALLOWED:
                raise ImportRefused(_("The sheet goes on past row %(row)s: delete the empty "
                                      "rows under the list and try again.") % {"row": number})
            continue
        if len(items) >= limit:
            raise ImportRefused(_("The list has more than %(limit)s rows; split it or ask the "
                                  "operating unit to raise OPENLIST_IMPORT_MAX_ROWS.")
                                % {"limit": limit})
        row = _Row(number, {key: values[pos] if pos < len(values) else None
                            for key, pos in positions.items()}, [])
        item = _item(row, lookups)
        _check_item(row, item, seen)
        items.append(item)
        errors += row.errors
    if errors:
        raise ImportRefused(_("Nothing was imported: correct these rows and try again."), errors)
    if not items:
        raise ImportRefused(_("The list has no rows under its header."))
    return items


def read_items(handle: IO[bytes], size: int) -> list[ItemFields]:
    """Every row of the workbook as an item, or ImportRefused naming each wrong cell."""
    _check_container(handle, size)
    try:
        return _read(_rows(handle))
    except ImportRefused:
        raise
    except Exception as error:  # a damaged workbook: openpyxl fails in many ways
        logger.info("Unreadable list workbook: %r", error)
        raise ImportRefused(_("This workbook could not be read: it is damaged or not an XLSX "
                              "file. Save it again as .xlsx and try again.")) from None


def import_items(*, actor: Actor | None, version: ListVersion, handle: IO[bytes], size: int,
                 source: str = "") -> int:
    """The workbook's rows become the draft's items, all of them or none; their number."""
    services.require(actor, Action.MANAGE_OPENLIST)
    services.require_draft(version)
    items = read_items(handle, size)
    return services.items_replace(actor=actor, version=version, rows=items, source=source)
