"""A look at a table's content for checks that read it whole rather than a page at a time (the
personal-data guard): a sample of every column's values, and how its rows fall into groups.

Run in a query process (processes.py), in the locked sandbox, like every other read of a
table; the functions here are the bodies the selectors hand to `processes.call`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from portal.datastore.engine import quote, run, sandbox
from portal.datastore.query import Table

MAX_COLUMNS = 300  # a wider table is sampled on its first columns
MAX_VALUE_LENGTH = 2000  # characters of a value kept in a sample
SEED = 20260101  # the same version gives the same sample every time


@dataclass(frozen=True)
class GroupCounts:
    """How the rows fall into groups of equal values of some columns."""

    rows: int
    groups: int
    small_groups: int  # groups of fewer rows than asked
    rows_in_small_groups: int
    smallest: int


def column_samples_from(path: Path, table: Table, limit: int) -> dict[str, list[str]]:
    """Up to `limit` rows drawn at random (the same rows for the same file), each column's
    non-empty values as text."""
    names = [field["name"] for field in table.fields if field["name"] != "_id"][:MAX_COLUMNS]
    if not names:
        return {}
    cells = ", ".join(f"left(CAST({quote(name)} AS VARCHAR), {MAX_VALUE_LENGTH})"
                      for name in names)
    sql = (f"SELECT {cells} FROM t USING SAMPLE reservoir({int(limit)} ROWS) "
           f"REPEATABLE ({SEED})")
    with sandbox({"t": path}) as con:
        rows = run(con, sql).fetchall()
    return {name: [str(row[index]) for row in rows
                   if row[index] is not None and str(row[index]).strip()]
            for index, name in enumerate(names)}


def group_sizes_from(path: Path, table: Table, columns: list[str], below: int) -> GroupCounts:
    """Over the whole table: the groups of rows with equal values in `columns`, and those of
    fewer than `below` rows."""
    groups = ", ".join(quote(table.field(name)["name"]) for name in columns)
    sql = ("SELECT count(*), count(*) FILTER (WHERE n < ?), "
           "coalesce(sum(n) FILTER (WHERE n < ?), 0), coalesce(min(n), 0), "
           f"coalesce(sum(n), 0) FROM (SELECT count(*) AS n FROM t GROUP BY {groups})")
    with sandbox({"t": path}) as con:
        found = run(con, sql, [int(below), int(below)]).fetchone()
    count, small, in_small, smallest, rows = (int(value) for value in found or (0,) * 5)
    return GroupCounts(rows=rows, groups=count, small_groups=small,
                       rows_in_small_groups=in_small, smallest=smallest)
