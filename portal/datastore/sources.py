"""What kind of table a file is, and how DuckDB reads each of its tables.

Spreadsheets are read with python-calamine (XLSX, XLS, ODS) and written to UTF-8 CSV, one per
sheet, after skipping the title rows above the header; text files in another encoding are
converted to UTF-8 first (encodings.py). DuckDB then reads everything the same way.
"""

from __future__ import annotations

import csv
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any, Protocol

from django.conf import settings
from django.utils.translation import gettext_noop

from portal.datastore import encodings
from portal.datastore.engine import literal
from portal.datastore.errors import IngestError

FORMATS = {
    "CSV": "csv", "TSV": "csv", "TXT": "csv", "TAB": "csv",
    "XLSX": "spreadsheet", "XLSM": "spreadsheet", "XLS": "spreadsheet", "ODS": "spreadsheet",
    "JSON": "json", "GEOJSON": "geojson", "PARQUET": "parquet",
}
HEADER_SEARCH_ROWS = 30


class NeedsEncoding(IngestError):
    """Detection was unsure: the agency chooses among `candidates`."""

    def __init__(self, candidates: list[tuple[str, float]]) -> None:
        super().__init__(gettext_noop("The portal cannot tell which character encoding this "
                                      "file uses. Choose it from the list and run again."))
        self.candidates = candidates


@dataclass(frozen=True)
class TableSource:
    name: str  # the sheet's name; "" for a file with one table
    select: str  # a DuckDB SELECT over the source
    geometry: str = ""  # the column holding GeoJSON geometry, if any


class Source(Protocol):
    encoding: str

    def tables(self, work: Path) -> Iterator[TableSource]: ...


def kind_of(format_name: str, file_name: str) -> str | None:
    """'csv', 'spreadsheet', 'json', 'geojson', 'parquet', or None for what is not a table."""
    suffix = Path(file_name).suffix.lstrip(".").upper()
    return FORMATS.get(format_name.strip().upper()) or FORMATS.get(suffix)


def open_source(path: Path, *, kind: str, encoding: str = "") -> Source:
    if path.stat().st_size == 0:
        raise IngestError(gettext_noop("The file is empty."))
    if kind == "csv":
        return CsvSource(path, encoding)
    if kind == "spreadsheet":
        return SpreadsheetSource(path)
    if kind == "geojson" or (kind == "json" and _looks_like_geojson(path)):
        return GeoJsonSource(path)
    if kind == "json":
        return JsonSource(path)
    return ParquetSource(path)


@dataclass
class CsvSource:
    path: Path
    encoding: str = ""

    def tables(self, work: Path) -> Iterator[TableSource]:
        with self.path.open("rb") as handle:
            sample = handle.read(256 * 1024)
        if not self.encoding:
            found = encodings.detect(sample)
            if not found.confident:
                raise NeedsEncoding(found.candidates)
            self.encoding = found.encoding
        path = self.path
        if self.encoding not in ("utf-8", "ascii"):
            path = work / "source-utf8.csv"
            encodings.transcode_to_utf8(self.path, path, self.encoding)
        yield TableSource("", _read_csv(path))


def _read_csv(path: Path, **options: str) -> str:
    extra = "".join(f", {key} = '{value}'" for key, value in options.items())
    return (f"SELECT * FROM read_csv({literal(path)}, all_varchar = true, header = true, "
            f"null_padding = true, sample_size = 20480, max_line_size = 4194304{extra})")


@dataclass
class SpreadsheetSource:
    path: Path
    encoding: str = ""

    def tables(self, work: Path) -> Iterator[TableSource]:
        from python_calamine import CalamineError, CalamineWorkbook

        _refuse_bomb(self.path)
        try:
            book = CalamineWorkbook.from_path(str(self.path))
        except (CalamineError, ValueError, OSError):
            raise IngestError(gettext_noop("The spreadsheet could not be opened: it is damaged "
                                           "or not a spreadsheet.")) from None
        for index, name in enumerate(book.sheet_names):
            rows = _rows_below_header(book.get_sheet_by_name(name).iter_rows())
            if rows is None:
                continue
            target = work / f"sheet-{index}.csv"
            write_csv(rows, target)
            yield TableSource(name, _read_csv(target, delim=",", quote='"', escape='"'))


def _rows_below_header(rows: Iterator[list[Any]]) -> Iterator[list[Any]] | None:
    """The header row (the first of the widest rows near the top, below any title rows) and
    the rows after it, without empty rows; None for an empty sheet."""
    head: list[list[Any]] = []
    for row in rows:
        head.append(row)
        if len(head) >= HEADER_SEARCH_ROWS:
            break
    filled = [sum(1 for value in row if value not in (None, "")) for row in head]
    if not filled or max(filled) == 0:
        return None
    widest = max(filled)
    start = next(index for index, count in enumerate(filled) if count >= max(1, widest * 0.6))
    width = max(len(row) for row in head)

    def rest() -> Iterator[list[Any]]:
        for row in [*head[start:], *rows]:
            if any(value not in (None, "") for value in row):
                yield list(row) + [None] * (width - len(row))

    return rest()


def _refuse_bomb(path: Path) -> None:
    """Refuse a zipped spreadsheet (XLSX, ODS) that unpacks to more than the setting allows."""
    if not zipfile.is_zipfile(path):
        return
    with zipfile.ZipFile(path) as archive:
        unpacked = sum(info.file_size for info in archive.infolist())
    if unpacked > settings.DATASTORE_MAX_UNPACKED_SIZE:
        raise IngestError(gettext_noop("The spreadsheet unpacks to %(size)s MB, more than the "
                                       "%(limit)s MB the portal reads. Save it as CSV, or split "
                                       "it."),
                          size=unpacked // 2**20,
                          limit=settings.DATASTORE_MAX_UNPACKED_SIZE // 2**20)


@dataclass
class JsonSource:
    path: Path
    encoding: str = "utf-8"

    def tables(self, work: Path) -> Iterator[TableSource]:
        size = self.path.stat().st_size + 1
        yield TableSource("", f"SELECT * FROM read_json({literal(self.path)}, format = 'array', "
                              f"maximum_object_size = {size})")


@dataclass
class GeoJsonSource:
    path: Path
    encoding: str = "utf-8"

    def tables(self, work: Path) -> Iterator[TableSource]:
        size = self.path.stat().st_size + 1
        features = (f"SELECT unnest(features) AS feature FROM read_json({literal(self.path)}, "
                    f"format = 'unstructured', maximum_object_size = {size})")
        yield TableSource("", f"SELECT unnest(feature.properties), "
                              f"CAST(to_json(feature.geometry) AS VARCHAR) AS geometry "
                              f"FROM ({features})", geometry="geometry")


@dataclass
class ParquetSource:
    path: Path
    encoding: str = ""

    def tables(self, work: Path) -> Iterator[TableSource]:
        yield TableSource("", f"SELECT * FROM read_parquet({literal(self.path)})")


def _looks_like_geojson(path: Path) -> bool:
    with path.open("rb") as handle:
        head = handle.read(4096)
    return b'"FeatureCollection"' in head


# Cells of spreadsheets, written to CSV as the text the agency sees ---------------------------


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="seconds") if value.time() != time() \
            else value.date().isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, timedelta):
        return str(value)
    return str(value)


def write_csv(rows: Iterator[list[Any]], path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        for row in rows:
            writer.writerow([cell_text(value) for value in row])
