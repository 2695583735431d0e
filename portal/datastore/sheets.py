"""Spreadsheets (XLSX, XLS, ODS) to UTF-8 CSV, one file per sheet, in a child process whose
memory is bounded.

python-calamine reads a whole sheet into memory before it returns the first row (its rows are
an iterator over that copy): some 70 bytes a cell besides the text, so a 6 MB XLSX of 58 million
cells asks for gigabytes. Three bounds, from the cheapest:
1. census (XLSX, ODS): before calamine, the ZIP's declared sizes and compression ratios are
   checked and every member is decompressed once to check that it holds what it declares; the
   cells with a value are counted in the sheets' XML as it streams, and the shared strings too,
   stopping past the limit. A sheet's `<dimension>` is not trusted: a file may claim A1:B2 and
   hold millions of rows, or claim the whole grid for a few cells.
2. while reading (every format): the cells with a value are counted as rows are written.
3. the process runs under an address-space limit (the ingestion's memory limit), so what the
   counts cannot foresee (two cells a million rows apart make calamine allocate the rectangle
   between them) ends this child, never the worker that started it.

Run as `python -m portal.datastore.sheets` with a JSON request on stdin; answers JSON on stdout.
No Django here: the parent (sources.py) turns the answer's error codes into messages.
"""

from __future__ import annotations

import csv
import json
import re
import resource
import sys
import zipfile
import zlib
from collections import deque
from collections.abc import Iterable, Iterator
from datetime import date, datetime, time, timedelta
from itertools import chain
from pathlib import Path, PurePosixPath
from typing import Any

from python_calamine import CalamineError, CalamineWorkbook, PasswordError

from portal.datastore import layout
from portal.datastore.layout import Layout, filled, shown

CHUNK = 1 << 20
ROOT_WINDOW = 1 << 16  # the root element (and its namespace prefix) is looked for this far
RATIO_FLOOR = 1 << 20  # members smaller than this unpacked are not judged by their ratio
CELL_LIMIT_MESSAGE = re.compile(r"Cell limit exceeded")


class Refused(Exception):
    """Why the spreadsheet is not read: a code the parent turns into a message."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code, self.params = code, params


# Census ---------------------------------------------------------------------------------------


def census(path: Path, *, max_cells: int, max_unpacked: int, max_ratio: int) -> None:
    """Check a zipped spreadsheet before calamine opens it (an XLS is not zipped: no census)."""
    if not zipfile.is_zipfile(path):
        return
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            _check_sizes(infos, max_unpacked, max_ratio)
            sheets, strings = _parts(archive)
            cells = 0
            for info in infos:
                if info.filename in sheets:
                    cells += _count(archive, info, b"worksheet", (b"v>", b"v ", b"is>"),
                                    max_cells - cells)
                    if cells > max_cells:
                        raise Refused("too_many_cells", limit=max_cells)
                elif info.filename in strings:
                    if _count(archive, info, b"sst", (b"si>", b"si "), max_cells) > max_cells:
                        raise Refused("too_many_cells", limit=max_cells)
                else:
                    _count(archive, info, b"", (), 0)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, ValueError):
        raise Refused("damaged") from None


def _check_sizes(infos: list[zipfile.ZipInfo], max_unpacked: int, max_ratio: int) -> None:
    unpacked = sum(info.file_size for info in infos)
    if unpacked > max_unpacked:
        raise Refused("unpacked_too_large", size=unpacked // 2**20, limit=max_unpacked // 2**20)
    for info in infos:
        ratio = info.file_size // max(info.compress_size, 1)
        if info.file_size > RATIO_FLOOR and ratio > max_ratio:
            raise Refused("compression_ratio", ratio=ratio, limit=max_ratio)


def _parts(archive: zipfile.ZipFile) -> tuple[set[str], set[str]]:
    """The members holding worksheets and shared strings: those the workbook's relationships
    name (where calamine looks), and those at their usual places."""
    names = set(archive.namelist())
    sheets = {name for name in names if name.startswith("xl/worksheets/")
              and name.endswith(".xml")}
    strings = {"xl/sharedStrings.xml"} & names
    rels = "xl/_rels/workbook.xml.rels"
    if rels in names and archive.getinfo(rels).file_size < CHUNK:
        text = archive.read(rels).decode("utf-8", "replace")
        for tag in re.findall(r"<(?:\w+:)?Relationship\b[^>]*>", text):
            kind = re.search(r'\bType="[^"]*/(\w+)"', tag)
            target = re.search(r'\bTarget="([^"]+)"', tag)
            if kind and target:
                member = _resolve(target.group(1))
                (sheets if kind.group(1) == "worksheet" else
                 strings if kind.group(1) == "sharedStrings" else set()).add(member)
    return sheets, strings


def _resolve(target: str) -> str:
    path = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    parts: list[str] = []
    for part in PurePosixPath(path).parts:
        if part == "..":
            parts = parts[:-1]
        elif part != ".":
            parts.append(part)
    return "/".join(parts)


def _count(archive: zipfile.ZipFile, info: zipfile.ZipInfo, root: bytes,
           tags: tuple[bytes, ...], limit: int) -> int:
    """Occurrences of the element starts `tags` (after "<" and the namespace prefix of the
    `root` element, if it has one) in one member, read to its end, which also checks its size
    and CRC; the count stops once past `limit`."""
    found, carry = 0, b""
    with archive.open(info) as member:
        chunk = member.read(max(CHUNK, ROOT_WINDOW))
        prefix = re.search(rb"<(\w+:)?" + root + rb"\b", chunk) if root else None
        patterns = [b"<" + (prefix.group(1) or b"" if prefix else b"") + tag for tag in tags]
        while chunk:
            data = carry + chunk
            # An element cut between two chunks is counted once: what lay wholly in the carried
            # bytes was counted with the chunk before.
            found += sum(data.count(pattern) - carry.count(pattern) for pattern in patterns)
            if tags and found > limit:
                break
            carry, chunk = data[-8:], member.read(CHUNK)
    return found


# Reading --------------------------------------------------------------------------------------


class _Cells:
    """The cells with a value read so far, across sheets, refused past the limit."""

    def __init__(self, limit: int) -> None:
        self.limit, self.seen = limit, 0

    def add(self, row: list[str]) -> list[str]:
        self.seen += filled(row)
        if self.seen > self.limit:
            raise Refused("too_many_cells", limit=self.limit)
        return row


def convert(path: Path, work: Path, *, max_cells: int,
            asked: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """Each sheet with data as `work/sheet-<n>.csv`: [{"name", "csv", "layout"}]."""
    cells = _Cells(max_cells)
    written = []
    try:
        book = CalamineWorkbook.from_path(str(path))
        for index, name in enumerate(book.sheet_names):
            sheet = book.get_sheet_by_name(name)
            first_row = sheet.start[0] + 1 if sheet.start else 1
            rows = (cells.add([cell_text(value) for value in row]) for row in sheet.iter_rows())
            target = work / f"sheet-{index}.csv"
            found = write_table(rows, target, first_row=first_row,
                                asked=layout.asked_for(asked, name, index == 0), sheet=name)
            del sheet, rows
            if found is not None:
                written.append({"name": name, "csv": target.name, "layout": found.as_dict()})
    except PasswordError:
        raise Refused("password") from None
    except (CalamineError, ValueError, OSError) as error:
        # calamine's own cap on the cells an ODS's repeated rows and columns may expand to
        if CELL_LIMIT_MESSAGE.search(str(error)):
            raise Refused("too_many_cells", limit=max_cells) from None
        raise Refused("damaged") from None
    return written


def write_table(rows: Iterator[list[str]], target: Path, *, first_row: int,
                asked: dict[str, Any], sheet: str = "") -> Layout | None:
    """The header row (found, or the one the agency named) and the rows under it to `target`,
    without empty rows and without the footer (unless the agency keeps it); None for a table
    with no filled row. Only the last rows are held back, to find the footer among them."""
    head = _take(rows, max(layout.HEADER_SEARCH_ROWS, int(asked.get("header_row") or 0)
                           - first_row + 1))
    index = _header(head, first_row, asked, sheet)
    if index is None:
        return None
    header = head[index]
    found = Layout(header_row=first_row + index, footer_kept=bool(asked.get("keep_footer")),
                   above=[shown(first_row + number, row)
                          for number, row in enumerate(head[:index]) if filled(row)])
    width = max(len(row) for row in head)
    with target.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(_padded(header, width))
        held: deque[tuple[int, list[str]]] = deque()
        for number, row in _numbered(chain(head[index + 1:], rows), first_row + index + 1):
            held.append((number, row))
            if len(held) > layout.FOOTER_SEARCH_ROWS:
                writer.writerow(_padded(held.popleft()[1], width))
        cut = layout.footer_start([row for _number, row in held], filled(header))
        kept = len(held) if found.footer_kept else cut
        writer.writerows(_padded(row, width) for _number, row in list(held)[:kept])
        found.below = [shown(number, row) for number, row in list(held)[cut:]]
    return found


def _header(head: list[list[str]], first_row: int, asked: dict[str, Any],
            sheet: str) -> int | None:
    """The header's index in `head`: the row the agency named, else the one found."""
    wanted = int(asked.get("header_row") or 0)
    if not wanted:
        return layout.header_index(head)
    index = wanted - first_row
    if not 0 <= index < len(head) or not filled(head[index]):
        raise Refused("header_row_empty", row=wanted, sheet=sheet)
    return index


def _take(rows: Iterator[list[str]], count: int) -> list[list[str]]:
    taken = []
    for row in rows:
        taken.append(row)
        if len(taken) >= count:
            break
    return taken


def _numbered(rows: Iterable[list[str]], first: int) -> Iterator[tuple[int, list[str]]]:
    """The filled rows with their numbers."""
    for number, row in enumerate(rows, start=first):
        if filled(row):
            yield number, row


def _padded(row: list[str], width: int) -> list[str]:
    return row + [""] * (width - len(row))


def cell_text(value: Any) -> str:
    """A spreadsheet cell as the text the agency sees."""
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


# The child process ----------------------------------------------------------------------------


def _limit_memory(limit: int) -> None:
    if limit > 0:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def answer(request: dict[str, Any]) -> dict[str, Any]:
    path, work = Path(request["path"]), Path(request["work"])
    try:
        census(path, max_cells=request["max_cells"], max_unpacked=request["max_unpacked"],
               max_ratio=request["max_ratio"])
        result: dict[str, Any] = {"sheets": convert(path, work, max_cells=request["max_cells"],
                                                    asked=request.get("layout", {}))}
    except Refused as refused:
        result = {"error": {"code": refused.code, "params": refused.params}}
    except MemoryError:
        result = {"error": {"code": "memory", "params": {}}}
    result["peak_kib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return result


def main() -> None:
    request = json.load(sys.stdin)
    _limit_memory(int(request.get("memory", 0)))
    json.dump(answer(request), sys.stdout)


if __name__ == "__main__":
    main()
