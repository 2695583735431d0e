"""What kind of table a file is, and how DuckDB reads each of its tables.

Spreadsheets are read with python-calamine (XLSX, XLS, ODS) and written to UTF-8 CSV, one per
sheet, after skipping the title rows above the header; text files in another encoding are
converted to UTF-8 first (encodings.py). DuckDB then reads everything the same way.
"""

from __future__ import annotations

import csv
import io
import unicodedata
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
        # UTF-8 goes to DuckDB as it is (DuckDB refuses invalid bytes, naming the line), unless
        # its letters are decomposed (tone marks as separate characters, as macOS writes):
        # those are composed first, so that search and filters match what people type.
        if self.encoding not in ("utf-8", "ascii") or _decomposed(sample):
            path = work / "source-utf8.csv"
            encodings.transcode_to_utf8(self.path, path, self.encoding)
        yield _csv_table("", path)


def _decomposed(sample: bytes) -> bool:
    text = sample.decode("utf-8", errors="ignore")
    return not unicodedata.is_normalized("NFC", text)


def _csv_table(name: str, path: Path, delimiter: str | None = None) -> TableSource:
    """Every cell as text, RFC 4180 quoting, the header as the first row. The dialect is found
    here rather than by DuckDB's sniffer, which may skip rows it finds odd; and a row with more
    or fewer cells than the header is an error naming its line (usually a delimiter inside an
    unquoted cell), never a silently padded or widened table."""
    with path.open(encoding="utf-8", errors="replace", newline="") as handle:
        head = handle.read(256 * 1024)
    delimiter = delimiter or _delimiter(head, tab_first=path.suffix.lower() in (".tsv", ".tab"))
    header = next(csv.reader(io.StringIO(head.lstrip("\ufeff")), delimiter=delimiter), [])
    if not any(cell.strip() for cell in header):
        raise IngestError(gettext_noop("The first line of the file should name the columns, "
                                       "but it is empty."))
    columns = ", ".join(f"{literal_text(column)}: 'VARCHAR'" for column in unique_names(header))
    return TableSource(name, f"SELECT * FROM read_csv({literal(path)}, auto_detect = false, "
                             f"header = true, delim = {literal_text(delimiter)}, quote = '\"', "
                             f"escape = '\"', null_padding = false, strict_mode = true, "
                             f"max_line_size = 4194304, columns = {{{columns}}})")


DELIMITERS = (",", ";", "\t", "|")


def _delimiter(head: str, *, tab_first: bool) -> str:
    """The candidate that splits the first lines into the same number (> 1) of cells."""
    lines = head.splitlines()[:50]
    if len(head) == 256 * 1024 and len(lines) > 1:
        lines = lines[:-1]  # the last line may be cut
    sample = "\n".join(lines)
    best, best_score = ",", 0.0
    for candidate in (("\t", ",", ";", "|") if tab_first else DELIMITERS):
        try:
            rows = list(csv.reader(io.StringIO(sample), delimiter=candidate))
        except csv.Error:
            continue
        if not rows or len(rows[0]) < 2:
            continue
        score = sum(len(row) == len(rows[0]) for row in rows) / len(rows)
        if score > best_score:
            best, best_score = candidate, score
    return best


def unique_names(header: list[str]) -> list[str]:
    """Column names: trimmed, empty ones named by position, repeated ones numbered."""
    seen: dict[str, int] = {}
    names = []
    for position, raw in enumerate(header, start=1):
        name = raw.strip() or f"column_{position}"
        if name in seen:
            seen[name] += 1
            name = f"{name}_{seen[name]}"
        seen.setdefault(name, 1)
        names.append(name)
    return names


def literal_text(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


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
            yield _csv_table(name, target, delimiter=",")


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
        yield TableSource("", f"SELECT unnest(feature.properties), feature.geometry AS geometry "
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
