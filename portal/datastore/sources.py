"""What kind of table a file is, and how DuckDB reads each of its tables.

Before anything is parsed, the file's first bytes must say it is what its name or format says
(signatures.py: a PDF renamed `.csv` is refused, naming what it is). Text files in another
encoding are converted to UTF-8 first (encodings.py); their delimiter, header row and footer
are found in delimited.py. Spreadsheets (XLSX, XLS, ODS) are written to UTF-8 CSV, one per
sheet, by python-calamine in a child process with bounded memory (sheets.py). DuckDB then reads
everything the same way. The agency may choose the encoding, the delimiter, and per table the
header row and whether to keep the footer rows (ReadOptions).
"""

from __future__ import annotations

import csv
import json
import logging
import subprocess
import sys
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from django.conf import settings
from django.utils.translation import gettext_noop

from portal.datastore import delimited, encodings, signatures
from portal.datastore.engine import literal
from portal.datastore.errors import IngestError
from portal.datastore.layout import asked_for
from portal.lib.env import parse_size

logger = logging.getLogger(__name__)

PACKAGE_ROOT = Path(__file__).resolve().parents[2]  # where `python -m portal...` finds the portal


class NeedsEncoding(IngestError):
    """Detection was unsure: the agency chooses among `candidates`."""

    def __init__(self, candidates: list[tuple[str, float]]) -> None:
        super().__init__(gettext_noop("The portal cannot tell which character encoding this "
                                      "file uses. Choose it from the list and run again."))
        self.candidates = candidates


@dataclass(frozen=True)
class ReadOptions:
    """What the agency chose about reading the file; empty values: found by the portal."""

    encoding: str = ""
    delimiter: str = ""
    # By table (a sheet's name; "" for a file with one table): {"header_row": n (from 1),
    # "keep_footer": true}.
    layout: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)



@dataclass(frozen=True)
class TableSource:
    name: str  # the sheet's name; "" for a file with one table
    select: str  # a DuckDB SELECT over the source
    geometry: str = ""  # the column holding GeoJSON geometry, if any
    # How the table was found in the file: header row, rows left out above and below it
    # (layout.Layout.as_dict); empty for formats without rows around a table (JSON, Parquet).
    layout: dict[str, Any] = field(default_factory=dict)


class Source(Protocol):
    encoding: str

    def tables(self, work: Path) -> Iterator[TableSource]: ...


def open_source(path: Path, *, kind: str, options: ReadOptions | None = None) -> Source:
    options = options or ReadOptions()
    if _is_empty(path):
        raise IngestError(gettext_noop("The file is empty."))
    content = signatures.identify(path)
    signatures.require(content, kind)
    if kind == "csv":
        return CsvSource(path, options.encoding, options)
    if kind == "spreadsheet":
        return SpreadsheetSource(path, content, options)
    if kind == "geojson" or (kind == "json" and _looks_like_geojson(path)):
        return GeoJsonSource(path)
    if kind == "json":
        return JsonSource(path)
    return ParquetSource(path)


def _is_empty(path: Path) -> bool:
    """No bytes, or only white space and a byte order mark."""
    if path.stat().st_size > 4096:
        return False
    return not path.read_bytes().lstrip(b"\xef\xbb\xbf\xff\xfe").strip(b" \t\r\n\x00")


@dataclass
class CsvSource:
    path: Path
    encoding: str = ""
    options: ReadOptions = field(default_factory=ReadOptions)

    def tables(self, work: Path) -> Iterator[TableSource]:
        with self.path.open("rb") as handle:
            sample = handle.read(delimited.HEAD_BYTES)
        if not self.encoding:
            found = encodings.detect(sample)
            if not found.confident and encodings.looks_binary(sample):
                raise IngestError(gettext_noop(
                    "The file is not text: it holds bytes no CSV file has. Check that this is "
                    "the table's file, saved as CSV."))
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
        with path.open("rb") as handle:
            head = handle.read(delimited.HEAD_BYTES).decode("utf-8", errors="replace")
        delimiter = self.options.delimiter or delimited.choose_delimiter(
            head, tab_first=self.path.suffix.lower() in (".tsv", ".tab"))
        table, header, layout = delimited.frame(path, work, delimiter=delimiter,
                                                asked=asked_for(self.options.layout, "", True))
        yield _csv_table("", table, delimiter, header, layout.as_dict())


def _decomposed(sample: bytes) -> bool:
    text = sample.decode("utf-8", errors="ignore")
    return not unicodedata.is_normalized("NFC", text)


def _csv_table(name: str, path: Path, delimiter: str, header: list[str],
               layout: dict[str, Any]) -> TableSource:
    """Every cell as text, RFC 4180 quoting, the header as the first row. The dialect is found
    here rather than by DuckDB's sniffer, which may skip rows it finds odd; and a row with more
    or fewer cells than the header is an error naming its line (usually a delimiter inside an
    unquoted cell), never a silently padded or widened table."""
    if not any(cell.strip() for cell in header):
        raise IngestError(gettext_noop("The first line of the file should name the columns, "
                                       "but it is empty."))
    columns = ", ".join(f"{literal_text(column)}: 'VARCHAR'" for column in unique_names(header))
    return TableSource(name, f"SELECT * FROM read_csv({literal(path)}, auto_detect = false, "
                             f"header = true, delim = {literal_text(delimiter)}, quote = '\"', "
                             f"escape = '\"', null_padding = false, strict_mode = true, "
                             f"max_line_size = 4194304, columns = {{{columns}}})",
                       layout=layout)


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
    content: signatures.Content
    options: ReadOptions = field(default_factory=ReadOptions)
    encoding: str = ""

    def tables(self, work: Path) -> Iterator[TableSource]:
        # The reader is told the format by the file's name: a link to it, named for its content.
        named = work / f"source{self.content.extension}"
        named.symlink_to(self.path.resolve())
        for sheet in read_spreadsheet(named, work, self.options):
            target = work / sheet["csv"]
            with target.open(encoding="utf-8", newline="") as handle:
                header = next(csv.reader(handle), [])
            yield _csv_table(sheet["name"], target, ",", header, sheet["layout"])


def read_spreadsheet(path: Path, work: Path, options: ReadOptions) -> list[dict[str, Any]]:
    """Each sheet with data as a CSV file in `work`, written by sheets.py in a child process
    whose address space is the ingestion's memory limit: [{"name", "csv", "layout"}]."""
    request = {"path": str(path), "work": str(work), "layout": dict(options.layout),
               "max_cells": settings.DATASTORE_MAX_CELLS,
               "max_unpacked": settings.DATASTORE_MAX_UNPACKED_SIZE,
               "max_ratio": settings.DATASTORE_MAX_COMPRESSION_RATIO,
               "memory": parse_size(settings.DATASTORE_INGEST_MEMORY_LIMIT)}
    done = subprocess.run([sys.executable, "-m", "portal.datastore.sheets"],
                          input=json.dumps(request), capture_output=True, text=True,
                          cwd=PACKAGE_ROOT, check=False)
    try:
        answer = json.loads(done.stdout) if done.returncode == 0 else {}
    except ValueError:
        answer = {}
    if "sheets" not in answer and "error" not in answer:
        logger.warning("the spreadsheet reader stopped (status %s): %s", done.returncode,
                       done.stderr[-2000:])
        answer = {"error": {"code": "memory", "params": {}}}
    logger.debug("spreadsheet read with a peak of %s KiB", answer.get("peak_kib"))
    if "error" in answer:
        raise _refusal(answer["error"]["code"], answer["error"]["params"])
    sheets: list[dict[str, Any]] = answer["sheets"]
    return sheets


def _refusal(code: str, params: dict[str, Any]) -> IngestError:
    """The reader's refusal (sheets.Refused) as a message the agency can act on."""
    messages = {
        "damaged": gettext_noop("The spreadsheet could not be opened: it is damaged or not a "
                                "spreadsheet."),
        "password": signatures.PASSWORD_PROTECTED,
        "too_many_cells": gettext_noop("The spreadsheet holds more than %(limit)s cells with "
                                       "data, the most the portal reads from a spreadsheet. "
                                       "Save it as CSV (which has no such limit), or split it "
                                       "into smaller files."),
        "memory": gettext_noop("Reading the spreadsheet needs more memory than the portal may "
                               "use. Save it as CSV (which is read with little memory), or "
                               "split it into smaller files."),
        "unpacked_too_large": gettext_noop("The spreadsheet unpacks to %(size)s MB, more than "
                                           "the %(limit)s MB the portal reads. Save it as CSV, "
                                           "or split it."),
        "compression_ratio": gettext_noop("The spreadsheet is compressed %(ratio)s times, more "
                                          "than the %(limit)s times a real spreadsheet is: it "
                                          "looks like a zip bomb and is not read. Save it as "
                                          "CSV, or save it again from Excel."),
        "header_row_empty": delimited.HEADER_ROW_EMPTY,
    }
    return IngestError(messages.get(code, messages["damaged"]), **params)


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
