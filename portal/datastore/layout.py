"""Where the table is in a file's rows: the header row below any title rows, and the footer
rows under the table (totals, notes, signature blocks), which are left out of it.

Agencies' reports put a title block above the table ("UBND TỈNH NINH BÌNH", "Báo cáo ...") and a
footer under it ("Tổng cộng", "Người lập biểu", "Ninh Bình, ngày ... tháng ... năm ...", the
signers' names). Both are found by the shape of the rows: a title or footer row fills few of the
table's columns. A footer also needs words that mark one, so that a last data row with empty
cells stays in the table. The agency sees what was left out and can take it back.

Pure Python over rows of cell text: used by the CSV reader and by the spreadsheet reader, which
runs in a child process without Django.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from portal.lib.text import fold

HEADER_SEARCH_ROWS = 30  # the header is looked for among the first rows
FOOTER_SEARCH_ROWS = 30  # footer rows are looked for among the last rows
MAX_HEADER_ROW = 1000  # the furthest row an agency may name as the header
DENSE = 0.6  # a row filling this share of the widest row's cells is table, not title or footer
SHOWN_CELLS = 20  # of each left-out row, the cells kept to show the agency
SHOWN_TEXT = 200  # characters of each of those cells

# The first filled cell of a totals row, folded (no diacritics, lower case), without ":".
TOTAL_LABELS = ("tong cong", "cong", "tong", "tong so", "total", "grand total", "sum")
# The start of a cell of a note or signature line, folded.
NOTE_STARTS = (
    "nguoi lap", "lap bieu", "nguoi ky", "thu truong", "ke toan", "giam doc", "pho giam doc",
    "chu tich", "pho chu tich", "truong phong", "truong ban", "ghi chu", "nguon:",
    "nguon so lieu", "noi nhan", "(ky", "ky ten", "ky,", "xac nhan", "tm.", "kt.",
    "prepared by", "approved by", "source:", "note:", "notes:",
)
# "Ninh Bình, ngày 15 tháng 3 năm 2026", "Ngày ... tháng ... năm ...", folded.
DATE_LINE = re.compile(r"ngay\W*[\w.…_/ ]{0,12}?\W*thang\W*[\w.…_/ ]{0,12}?\W*nam")


@dataclass
class Layout:
    """What was found: the header's position and the rows left out above and below the table.

    Row numbers count from 1 as the agency sees them (a spreadsheet's row, a text file's
    record); each left-out row is {"row": number, "cells": [text, ...]}."""

    header_row: int = 1
    above: list[dict[str, Any]] = field(default_factory=list)
    below: list[dict[str, Any]] = field(default_factory=list)
    footer_kept: bool = False  # the agency asked to keep the footer rows in the table
    delimiter: str = ""  # of a text file

    def as_dict(self) -> dict[str, Any]:
        found: dict[str, Any] = {"header_row": self.header_row, "above": self.above,
                                 "below": self.below, "footer_kept": self.footer_kept}
        if self.delimiter:
            found["delimiter"] = self.delimiter
        return found


def asked_for(chosen: Mapping[str, Mapping[str, Any]], table: str,
              first: bool) -> dict[str, Any]:
    """What the agency chose for one table (DataTable.layout): by the sheet's name, and for the
    first table also under "" (the name a file with one table has, and the pages use)."""
    return dict(chosen.get(table) or (chosen.get("") if first else None) or {})


def filled(row: Sequence[str]) -> int:
    return sum(1 for cell in row if cell.strip())


def header_index(rows: Sequence[Sequence[str]], width: int = 0) -> int | None:
    """The header among the first rows: the first row filling most of the table's `width`
    (by default the widest row's filled cells); the rows above it are titles. None when every
    row is empty."""
    counts = [filled(row) for row in rows[:HEADER_SEARCH_ROWS]]
    width = width or max(counts, default=0)
    if not any(counts):
        return None
    return next((index for index, count in enumerate(counts) if count >= width * DENSE),
                next(index for index, count in enumerate(counts) if count))


def footer_start(rows: Sequence[Sequence[str]], width: int) -> int:
    """Where the footer begins among `rows` (the table's rows below its header), or len(rows)
    when there is none. From the bottom up: a totals row, or a sparse row of a note or
    signature, starts the footer (with everything under it); a full row without such words
    ends the search."""
    start = len(rows)
    for index in range(len(rows) - 1, max(-1, len(rows) - 1 - FOOTER_SEARCH_ROWS), -1):
        row = rows[index]
        count = filled(row)
        if count == 0:
            continue
        sparse = count < width * DENSE
        if _is_total(row) or (sparse and _is_note(row)):
            start = index
        elif not sparse:
            break
    return start


def _is_total(row: Sequence[str]) -> bool:
    first = next((cell for cell in row if cell.strip()), "")
    label = fold(first).strip().rstrip(":").strip()
    return label in TOTAL_LABELS or label.startswith("tong cong")


def _is_note(row: Sequence[str]) -> bool:
    for cell in row:
        text = fold(cell).strip()
        if text and (text.startswith(NOTE_STARTS) or DATE_LINE.search(text)):
            return True
    return False


def shown(number: int, row: Sequence[str]) -> dict[str, Any]:
    """A left-out row as the agency is shown it (its filled cells, cut short)."""
    cells = [cell.strip()[:SHOWN_TEXT] for cell in row if cell.strip()]
    return {"row": number, "cells": cells[:SHOWN_CELLS]}
