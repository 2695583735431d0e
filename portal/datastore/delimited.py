"""Text tables (CSV, TSV): which delimiter, which row is the header, which rows under the table
are its footer, and the part of the file DuckDB reads.

The delimiter is the candidate that splits most lines into the same number of cells: a
Vietnamese file separated by `;` has commas inside cells (`Tên xã, phường`, `10.588,56`) that
may split every line into the same number of cells too, so among consistent candidates the one
giving more cells wins, and one that leaves stray quotes inside cells (it cut a quoted cell)
loses. Title rows above the header and footer rows under the table are found as in
spreadsheets (layout.py); when there are any, the table's lines are copied to a file of their
own, since DuckDB can skip lines at the top of a file but not at its end.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext_noop

from portal.datastore import layout
from portal.datastore.errors import IngestError
from portal.datastore.layout import Layout, filled, shown

DELIMITERS = (",", ";", "\t", "|")
HEAD_BYTES = 256 * 1024
TAIL_BYTES = 64 * 1024
SAMPLE_LINES = 100
MOST = 0.5  # the share of lines a delimiter must split into the same number of cells
COPY_CHUNK = 1 << 20
HEADER_ROW_EMPTY = gettext_noop("Row %(row)s, chosen as the header, is empty or not among the "
                                "first rows of the table. Choose the row that names the columns.")


@dataclass(frozen=True)
class Record:
    start: int  # byte offset of its first line in the file
    line: int  # its first line's number, from 1
    cells: list[str]


def choose_delimiter(head: str, *, tab_first: bool = False) -> str:
    lines = head.splitlines()[:SAMPLE_LINES]
    if len(head.encode("utf-8")) >= HEAD_BYTES and len(lines) > 1:
        lines = lines[:-1]  # the last line may be cut
    sample = "\n".join(lines)
    order = ("\t", ",", ";", "|") if tab_first else DELIMITERS
    best, best_key = ",", (False, False, 0, 0.0, 0)
    for rank, candidate in enumerate(order):
        try:
            rows = [row for row in csv.reader(io.StringIO(sample), delimiter=candidate)
                    if filled(row)]
        except csv.Error:
            continue
        if not rows:
            continue
        fields, times = Counter(len(row) for row in rows).most_common(1)[0]
        share = times / len(rows)
        clean = not any('"' in cell for row in rows for cell in row)
        key = (share >= MOST, clean, fields, share, -rank)
        if fields > 1 and key > best_key:
            best, best_key = candidate, key
    return best


def frame(path: Path, work: Path, *, delimiter: str, asked: dict[str, object],
          ) -> tuple[Path, list[str], Layout]:
    """The file DuckDB reads (`path`, or a copy of the table's lines), the header's cells, and
    what was left out above and below."""
    size = path.stat().st_size
    head = _records(path, 0, min(size, HEAD_BYTES), delimiter, whole=size <= HEAD_BYTES)
    index = _header(head, asked)
    header = head[index]
    found = Layout(header_row=header.line, delimiter=delimiter,
                   footer_kept=bool(asked.get("keep_footer")),
                   above=[shown(record.line, record.cells) for record in head[:index]
                          if filled(record.cells)])
    body = head[index + 1:] if size <= HEAD_BYTES else _tail(path, size, delimiter,
                                                             after=header.start)
    cut = layout.footer_start([record.cells for record in body], filled(header.cells))
    # The lines of a long file's last bytes are counted from 1; those before them are counted
    # only when there is a footer to show.
    before = _lines_before(path, body[0].start) if size > HEAD_BYTES and cut < len(body) else 0
    found.below = [shown(before + record.line, record.cells) for record in body[cut:]
                   if filled(record.cells)]
    end = size if found.footer_kept or cut == len(body) else body[cut].start
    cells = [header.cells[0].lstrip("\ufeff"), *header.cells[1:]]
    if header.start == 0 and end == size:
        return path, cells, found
    target = work / "table.csv"
    _copy(path, target, header.start, end)
    return target, cells, found


def _header(head: list[Record], asked: dict[str, object]) -> int:
    wanted = int(str(asked.get("header_row") or 0))
    if wanted:
        index = next((i for i, record in enumerate(head) if record.line >= wanted), len(head))
        if index == len(head) or head[index].line != wanted or not filled(head[index].cells):
            raise IngestError(HEADER_ROW_EMPTY, row=wanted)
        return index
    rows = [record.cells for record in head if filled(record.cells)]
    width = Counter(len(row) for row in rows).most_common(1)[0][0] if rows else 0
    found = layout.header_index([record.cells for record in head], width)
    if found is None:
        raise IngestError(gettext_noop("The first line of the file should name the columns, "
                                       "but it is empty."))
    return found


def _records(path: Path, offset: int, length: int, delimiter: str, *, whole: bool,
             first_line: int = 1) -> list[Record]:
    """The records of `length` bytes from `offset`, each with its byte offset and line; the
    last one is dropped unless the bytes reach the end of the file (it may be cut)."""
    with path.open("rb") as handle:
        handle.seek(offset)
        data = handle.read(length)
    read = [offset, first_line]  # where the csv module has read to: byte offset, next line

    def lines() -> Iterator[str]:
        for raw in data.splitlines(keepends=True):
            read[0] += len(raw)
            read[1] += 1
            yield raw.decode("utf-8", errors="replace")

    records, start, line = [], offset, first_line
    try:
        for cells in csv.reader(lines(), delimiter=delimiter):
            records.append(Record(start, line, cells))
            start, line = read
    except csv.Error:
        whole = False
    return records if whole or len(records) < 2 else records[:-1]


def _tail(path: Path, size: int, delimiter: str, *, after: int) -> list[Record]:
    """The records of the file's last bytes, from the first whole line among them (its line
    numbered 1)."""
    offset = max(after + 1, size - TAIL_BYTES)
    with path.open("rb") as handle:
        handle.seek(offset)
        skipped = handle.read(min(TAIL_BYTES, size - offset)).find(b"\n") + 1
    if skipped == 0:
        return []
    start = offset + skipped
    return _records(path, start, size - start, delimiter, whole=True)


def _lines_before(path: Path, offset: int) -> int:
    count = 0
    with path.open("rb") as handle:
        while offset > 0:
            chunk = handle.read(min(COPY_CHUNK, offset))
            if not chunk:
                break
            count += chunk.count(b"\n")
            offset -= len(chunk)
    return count


def _copy(source: Path, target: Path, start: int, end: int) -> None:
    with source.open("rb") as reader, target.open("wb") as writer:
        reader.seek(start)
        left = end - start
        while left > 0:
            chunk = reader.read(min(COPY_CHUNK, left))
            if not chunk:
                break
            writer.write(chunk)
            left -= len(chunk)
