"""A table, or the rows a query selects from it, as a file: CSV, TSV, JSON, XLSX, Parquet,
GeoJSON. Used by /api/v1 exports and CKAN's /datastore/dump.

Nothing is held whole in memory. DuckDB writes CSV, JSON and Parquet itself (COPY) into the
export's private folder; XLSX and GeoJSON are written there from rows fetched in batches. The
finished file is opened and its name removed at once, so the disk space returns when the stream
is closed: at its end, when the client disconnects (the server closes the response), or at the
latest when the stream is garbage collected. A crash leaves a folder that the next export
removes once it is a day old.

    found = export(table, RecordsQuery(filters=..., sort=..., limit=exports.WHOLE_TABLE), "csv")
    response = StreamingHttpResponse(found.chunks, content_type=found.content_type)
"""

from __future__ import annotations

import json
import math
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any
from uuid import UUID
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from portal.datastore import storage
from portal.datastore.engine import (
    EXPORT_OUTPUT,
    Connection,
    batches,
    export_sandbox,
    literal,
    quote,
    run,
)
from portal.datastore.formulas import guarded_column, is_formula_like
from portal.datastore.profile import map_columns
from portal.datastore.query import QueryError, RecordsQuery, Table, export_select

WHOLE_TABLE = 0  # RecordsQuery.limit for "every row"
CHUNK_SIZE = 256 * 1024
BATCH_ROWS = 2000
EXCEL_MAX_ROWS = 1_048_575  # Excel's 1,048,576 rows, less the header
DELIMITERS = (",", ";", "\t", "|")
STALE_FOLDER_SECONDS = 24 * 3600
UTF8_BOM = b"\xef\xbb\xbf"

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "tsv": "text/tab-separated-values; charset=utf-8",
    "json": "application/json; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "parquet": "application/vnd.apache.parquet",
    "geojson": "application/geo+json",
}
FORMATS = tuple(CONTENT_TYPES)


@dataclass(frozen=True)
class Options:
    """How a file is written. `bom` starts a CSV or TSV with UTF-8's byte order mark (Excel
    needs it to read Vietnamese); `delimiter` is the CSV's; `guard` writes text cells that a
    spreadsheet would run as formulas as text (formulas.py): on for files meant for people,
    off for the raw dump."""

    bom: bool = False
    delimiter: str = ","
    guard: bool = True


@dataclass
class Export:
    chunks: Iterator[bytes]
    content_type: str
    extension: str
    size: int | None = None  # bytes, when known before streaming (Content-Length)


def export(table: Table, query: RecordsQuery, fmt: str, *, bom: bool = False,
           delimiter: str = ",", guard: bool = True) -> Export:
    """The rows `query` selects (filters, q, fields, sort, distinct; `limit` > 0 caps them,
    WHOLE_TABLE = every row; no cursor) as a file in `fmt`, written as `Options` say.
    Raises QueryError for a request the table cannot answer, before anything is streamed."""
    options = Options(bom=bom, delimiter="\t" if fmt == "tsv" else delimiter, guard=guard)
    if fmt not in CONTENT_TYPES:
        raise QueryError(_("“%(format)s” is not an export format. Use one of: %(formats)s.")
                         % {"format": fmt, "formats": ", ".join(FORMATS)})
    if fmt == "csv" and delimiter not in DELIMITERS:
        raise QueryError(_("The delimiter must be one of: comma, semicolon, tab, vertical bar."),
                         {"delimiter": [_("Not a delimiter the portal writes.")]})
    if fmt == "parquet" and _whole(query):
        stored = storage.readable(table.file)  # the version's own file, as stored
        return Export(FileChunks(stored), CONTENT_TYPES[fmt], fmt, stored.stat().st_size)
    folder = _private_folder()
    try:
        path = WRITERS[fmt](table, query, folder, options)
        prefix = UTF8_BOM if bom and fmt in ("csv", "tsv") else b""
        size = path.stat().st_size + len(prefix)
        chunks = FileChunks(path, prefix, remove=folder)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return Export(chunks, CONTENT_TYPES[fmt], fmt, size)


def _whole(query: RecordsQuery) -> bool:
    return not (query.filters or query.q.strip() or query.fields or query.sort
                or query.distinct or query.limit > 0 or query.offset > 0)


class FileChunks:
    """A finished file, read in chunks after `prefix`. With `remove`, that folder is deleted
    as soon as the file is open: the open handle keeps the bytes readable, and closing it (end
    of stream, client gone, garbage collection) frees them."""

    def __init__(self, path: Path, prefix: bytes = b"", *, remove: Path | None = None) -> None:
        self._handle: IO[bytes] = path.open("rb")
        self._prefix = prefix
        if remove is not None:
            shutil.rmtree(remove, ignore_errors=True)

    def __iter__(self) -> FileChunks:
        return self

    def __next__(self) -> bytes:
        if self._prefix:
            chunk, self._prefix = self._prefix, b""
            return chunk
        chunk = b"" if self._handle.closed else self._handle.read(CHUNK_SIZE)
        if not chunk:
            self.close()
            raise StopIteration
        return chunk

    def close(self) -> None:
        handle = getattr(self, "_handle", None)  # absent when opening failed
        if handle is not None:
            handle.close()

    def __del__(self) -> None:
        self.close()


def _private_folder() -> Path:
    """A new folder only this process can read (mode 0700), for one export's files."""
    root = Path(settings.VAR_DIR) / "datastore-exports"
    root.mkdir(parents=True, exist_ok=True)
    _remove_stale(root)
    return Path(tempfile.mkdtemp(dir=root))


def _remove_stale(root: Path) -> None:
    """Folders a crashed process left (normally each is removed within the request)."""
    cutoff = time.time() - STALE_FOLDER_SECONDS
    for folder in root.iterdir():
        try:
            if folder.stat().st_mtime < cutoff:
                shutil.rmtree(folder, ignore_errors=True)
        except FileNotFoundError:
            continue


def _tables(table: Table) -> dict[str, Path]:
    return {"t": storage.readable(table.file)}


# Writers: each returns the finished file in `folder` -----------------------------------------


def _copy(table: Table, query: RecordsQuery, folder: Path, options: str,
          columns: Callable[[dict[str, Any]], str] | None = None) -> Path:
    """DuckDB writes the selection to the export's one output file, each column written as
    `columns` says (as selected without it)."""
    sql, params, chosen = export_select(table, query)
    if columns is not None:
        sql = f"SELECT {', '.join(columns(described) for described in chosen)} FROM ({sql})"
    output = folder / EXPORT_OUTPUT
    with export_sandbox(_tables(table), folder) as con:
        run(con, f"COPY ({sql}) TO {literal(output)} ({options}, USE_TMP_FILE false)", params,
            timeout=settings.DATASTORE_EXPORT_TIMEOUT)
    return output


def _finite(described: dict[str, Any]) -> str:
    return f"{_finite_value(described)} AS {quote(described['name'])}"


def _finite_value(described: dict[str, Any]) -> str:
    """JSON has no NaN or infinity: such numbers are written as null."""
    column = quote(described["name"])
    if described["type"] == "number":
        return f"CASE WHEN isfinite({column}) THEN {column} END"
    return column


def _csv(table: Table, query: RecordsQuery, folder: Path, options: Options) -> Path:
    # The delimiter is one of DELIMITERS (checked), so it is safe between quotes.
    return _copy(table, query, folder, f"FORMAT csv, HEADER true, DELIMITER '{options.delimiter}'",
                 columns=guarded_column if options.guard else None)


def _json(table: Table, query: RecordsQuery, folder: Path, options: Options) -> Path:
    return _copy(table, query, folder, "FORMAT json, ARRAY true", columns=_finite)


def _parquet(table: Table, query: RecordsQuery, folder: Path, options: Options) -> Path:
    return _copy(table, query, folder, "FORMAT parquet, COMPRESSION zstd")


def _xlsx(table: Table, query: RecordsQuery, folder: Path, options: Options) -> Path:
    sql, params, chosen = export_select(table, query)
    output = folder / EXPORT_OUTPUT
    with export_sandbox(_tables(table), folder) as con:
        _refuse_beyond_excel(con, sql, params)
        book = Workbook(write_only=True)
        sheet = book.create_sheet(_("Data"))
        bold = Font(bold=True)
        sheet.append([_header_cell(sheet, described["name"], bold) for described in chosen])
        zone = ZoneInfo(settings.TIME_ZONE)
        for rows in batches(con, sql, params, size=BATCH_ROWS,
                            timeout=settings.DATASTORE_EXPORT_TIMEOUT):
            for row in rows:
                sheet.append([_xlsx_value(sheet, value, zone) for value in row])
        book.save(output)
    return output


def _refuse_beyond_excel(con: Connection, sql: str, params: list[Any]) -> None:
    found = run(con, f"SELECT count(*) FROM ({sql})", params,
                timeout=settings.DATASTORE_EXPORT_TIMEOUT).fetchone()
    rows = int(found[0]) if found else 0
    most = min(settings.DATASTORE_XLSX_MAX_ROWS, EXCEL_MAX_ROWS)
    if rows > most:
        raise QueryError(_("An Excel file from the portal holds at most %(max)s rows and this "
                           "selection has %(rows)s. Add filters, set a limit, or choose CSV or "
                           "Parquet, which hold any number of rows.")
                         % {"max": f"{most:,}", "rows": f"{rows:,}"})


def _header_cell(sheet: Any, name: str, font: Font) -> WriteOnlyCell:
    cell = _text_cell(sheet, ILLEGAL_CHARACTERS_RE.sub("", name))
    cell.font = font
    return cell


def _text_cell(sheet: Any, text: str) -> WriteOnlyCell:
    """Text that stays text: never a formula (openpyxl would write "=..." as one), and with
    Excel's leading-quote mark when a spreadsheet would run it, so that editing the cell does
    not turn it into a formula either (formulas.py)."""
    cell = WriteOnlyCell(sheet, value=text)
    cell.data_type = "s"
    if is_formula_like(text):
        cell.quotePrefix = True
    return cell


def _xlsx_value(sheet: Any, value: Any, zone: ZoneInfo) -> Any:
    """A cell value Excel can hold. Text stays text, formula-like text guarded."""
    if isinstance(value, str):
        text = ILLEGAL_CHARACTERS_RE.sub("", value)[:32767]
        return _text_cell(sheet, text) if is_formula_like(text) else text
    if value is None or isinstance(value, int | date):
        if isinstance(value, datetime) and value.tzinfo is not None:
            return value.astimezone(zone).replace(tzinfo=None)  # Excel has no time zones
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, bytes):
        return value.hex()
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False, default=str)[:32767]
    if isinstance(value, UUID):
        return str(value)
    return value  # Decimal, time, timedelta: openpyxl writes them


def _geojson(table: Table, query: RecordsQuery, folder: Path, options: Options) -> Path:
    geometry, needed = _geometry(table)
    chosen = table.chosen(query.fields)
    properties = [described for described in chosen if described["name"] not in needed
                  or described["type"] != "geojson"]
    names = [described["name"] for described in chosen]
    wider = replace(query, fields=[*names, *(name for name in needed if name not in names)])
    sql, params, _chosen = export_select(table, wider)
    pairs = ", ".join(f"?, {_finite_value(described)}" for described in properties)
    feature = (f"json_object('type', 'Feature', 'geometry', {geometry}, "
               f"'properties', json_object({pairs}))")
    keys = [described["name"] for described in properties]
    output = folder / EXPORT_OUTPUT
    with export_sandbox(_tables(table), folder) as con, output.open("wb") as out:
        out.write(b'{"type":"FeatureCollection","features":[\n')
        first = True
        for rows in batches(con, f"SELECT {feature} FROM ({sql})", [*keys, *params],
                            size=BATCH_ROWS, timeout=settings.DATASTORE_EXPORT_TIMEOUT):
            text = ",\n".join(row[0] for row in rows)
            out.write((text if first else ",\n" + text).encode())
            first = False
        out.write(b"\n]}\n")
    return output


def _geometry(table: Table) -> tuple[str, list[str]]:
    """The SQL of each row's GeoJSON geometry, and the columns it reads, by the map's own rule
    (geo.map_columns); QueryError when the table has nothing to put on a map."""
    found = map_columns(table)
    if found is None:
        raise QueryError(_("GeoJSON needs a table with a geometry column, or with latitude and "
                           "longitude columns (named lat/latitude/vĩ độ and "
                           "lon/lng/longitude/kinh độ, or x and y in degrees). Choose another "
                           "format."))
    if found.geometry:
        return f"TRY_CAST({quote(found.geometry)} AS JSON)", [found.geometry]
    lat, lon = (f"CAST({quote(name)} AS DOUBLE)" for name in (found.latitude, found.longitude))
    point = f"json_object('type', 'Point', 'coordinates', json_array({lon}, {lat}))"
    return (f"CASE WHEN isfinite({lat}) AND isfinite({lon}) THEN {point} END",
            [found.latitude, found.longitude])


WRITERS: dict[str, Callable[[Table, RecordsQuery, Path, Options], Path]] = {
    "csv": _csv, "tsv": _csv, "json": _json, "xlsx": _xlsx, "parquet": _parquet,
    "geojson": _geojson,
}
