"""Text a spreadsheet would run as a formula, written so that it stays text (CSV injection).

A cell that starts with `=`, `+`, `-` or `@` is read as a formula by Excel, LibreOffice and
Google Sheets (`=HYPERLINK(...)`, `=cmd|' /C calc'!A0`), and a leading tab or carriage return
lets one through some of them. OWASP's advice for files meant for spreadsheets: start such a
cell with a single quote, which spreadsheets read as "this is text". Only text cells are
guarded: a number such as -5 in a numeric column is a number, not a formula, and stays as it
is. The exports for people use it (CSV and TSV with the quote; XLSX with Excel's own mark of a
leading quote, `quotePrefix`, on a text cell); the raw `/datastore/dump` and the JSON and
Parquet exports keep the values as stored (docs/security.md, "Exports").
"""

from __future__ import annotations

from typing import Any

from portal.datastore.engine import quote

STARTS = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"
_STARTS_SQL = ", ".join(["'='", "'+'", "'-'", "'@'", "chr(9)", "chr(13)"])


def is_formula_like(text: str) -> bool:
    return text.startswith(STARTS)


def guarded(text: str) -> str:
    """`text`, with a single quote in front when a spreadsheet would run it."""
    return QUOTE + text if is_formula_like(text) else text


def guarded_column(described: dict[str, Any]) -> str:
    """SQL of one column of an export for people: text cells guarded, others as stored; the
    name (the header cell) guarded too."""
    column = quote(described["name"])
    value = column
    if described["type"] == "string":
        value = (f"CASE WHEN left({column}, 1) IN ({_STARTS_SQL}) "
                 f"THEN '{QUOTE}{QUOTE}' || {column} ELSE {column} END")
    return f"{value} AS {quote(guarded(described['name']))}"
