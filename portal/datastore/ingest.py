"""Reading a file into Parquet: DuckDB reads every cell as text, types are inferred, one write.

For each table of a file (a CSV, each sheet of a spreadsheet, a JSON or GeoJSON file):
1. propose: the first rows propose a type for each text column (inference.py);
2. confirm: one pass over every row counts the cells that do not fit (a column with one such
   cell tries its other proposals, then stays text; when the agency chose the type in the data
   dictionary, the run fails naming that row and column);
3. write: one pass casts the columns and writes the Parquet file (Snappy: pages of a query
   read whole rows late, and Snappy decompresses them two to three times faster than zstd),
   rows in the file's order; `_id`, the row number, is the row's position in that file
   (engine.ROW_POSITION).
Nothing is lost to a wrong guess, and memory stays bounded by DuckDB's limit (it spills to the
work folder) whatever the file's size.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.utils.translation import gettext_noop

from portal.datastore import inference
from portal.datastore.engine import (
    ROW_POSITION,
    Connection,
    DuckDBError,
    ingest_connection,
    literal,
    quote,
)
from portal.datastore.errors import IngestError
from portal.datastore.geo import is_coordinate
from portal.datastore.sources import Source, TableSource
from portal.lib.errors import without_paths

SAMPLE_ROWS = 20_000
Progress = Callable[[float], None]


@dataclass
class Table:
    name: str  # sheet name ("" for a file with one table)
    path: Path
    rows: int
    schema: dict[str, Any]
    layout: dict[str, Any]  # how the table was found in the file (sources.TableSource.layout)


def ingest(source: Source, *, work: Path, dictionary: dict[str, Any],
           progress: Progress) -> list[Table]:
    """Every table of `source` as a Parquet file under `work`."""
    con = ingest_connection(work / "spill")
    try:
        tables = []
        parts = list(source.tables(work))
        for index, part in enumerate(parts):
            def step(fraction: float, index: int = index) -> None:
                progress((index + fraction) / len(parts))
            overrides = dictionary.get("fields", {}) if index == 0 else {}
            tables.append(_ingest_table(con, part, work / f"table-{index}", overrides, step))
        if not tables:
            raise IngestError(gettext_noop("The file holds no table with data."))
        return tables
    finally:
        con.close()


def _ingest_table(con: Connection, part: TableSource, work: Path, overrides: dict[str, Any],
                  progress: Progress) -> Table:
    """One table; `overrides` are the data dictionary's entries per column (first table only)."""
    work.mkdir(parents=True, exist_ok=True)
    final = work / "table.parquet"
    source = f"({part.select})"
    columns = [(str(name), str(kind)) for name, kind, *_rest in
               _fetch(con, f"DESCRIBE SELECT * FROM {source}")]
    reserved = [name for name, _kind in columns if name in ("_id", ROW_POSITION)]
    if reserved:
        raise IngestError(gettext_noop("The column name “%(name)s” is reserved for the row "
                                       "number. Rename that column."), name=reserved[0])
    text = [name for name, kind in columns if kind == "VARCHAR"]
    proposals = _propose(con, source, text, overrides)
    # Usually the first rows tell the truth: write at once, each cast guarded so that a cell
    # that does not fit stops the write. Then, and only then, check every row and write again.
    chosen = {name: options[0] for name, options in proposals.items() if options}
    _check_chosen_types(con, source, text, chosen, overrides)
    try:
        _write(con, source, columns, chosen, final, progress, guarded=True)
    except _Misfit:
        progress(0.0)
        chosen = _choose_types(con, source, text, proposals, overrides)
        _write(con, source, columns, chosen, final, progress, guarded=False)
    rows = _fetch(con, f"SELECT count(*) FROM read_parquet({literal(final)})")
    schema = {"fields": [{"name": "_id", "type": "integer"}]}
    for name, kind in columns:
        described = _field(name, kind, chosen.get(name), overrides.get(name, {}))
        if name == part.geometry:
            described["type"] = "geojson"
        schema["fields"].append(described)
    return Table(part.name, final, int(rows[0][0]) if rows else 0, schema, part.layout)


def _write(con: Connection, source: str, columns: list[tuple[str, str]],
           chosen: dict[str, inference.Candidate], final: Path, progress: Progress, *,
           guarded: bool) -> None:
    select = ", ".join(_output(name, kind, chosen.get(name), guarded=guarded)
                       for name, kind in columns)
    with _polling(con, progress):
        _fetch(con, f"COPY (SELECT {select} FROM {source}) "
                    f"TO {literal(final)} (FORMAT parquet, COMPRESSION snappy)")


def _choose_types(con: Connection, source: str, text: list[str],
                  proposals: dict[str, list[inference.Candidate]],
                  overrides: dict[str, Any]) -> dict[str, inference.Candidate]:
    """A type for each text column: proposed by a sample, confirmed over every row.

    The first proposal of every column is checked in one pass; the few columns where a cell
    does not fit get a second pass over their other proposals. What nothing fits stays text,
    unless the agency chose the type: then the run fails, naming the first cell that does not fit.
    """
    chosen: dict[str, inference.Candidate] = {}
    first = {name: options[0] for name, options in proposals.items() if options}
    misfits = _misfit_counts(con, source, list(first.items()))
    retry: list[tuple[str, inference.Candidate]] = []
    for name, candidate in first.items():
        if misfits[(name, candidate.key)] == 0:
            chosen[name] = candidate
        else:
            retry.extend((name, other) for other in proposals[name][1:])
    misfits = _misfit_counts(con, source, retry)
    for name, candidate in retry:
        if name not in chosen and misfits[(name, candidate.key)] == 0:
            chosen[name] = candidate
    _check_chosen_types(con, source, text, chosen, overrides)
    return chosen


def _check_chosen_types(con: Connection, source: str, text: list[str],
                        chosen: dict[str, inference.Candidate],
                        overrides: dict[str, Any]) -> None:
    """A column whose type the agency chose, but which nothing of that type fits, fails the
    run naming its first cell that does not fit."""
    for name in text:
        wanted = overrides.get(name, {}).get("type")
        if name not in chosen and wanted and wanted != "string":
            row, value = _first_misfit(con, source, name, inference.candidates_for(wanted))
            raise IngestError(
                gettext_noop("Row %(row)s, column “%(column)s”: “%(value)s” is not of the type "
                             "chosen in the data dictionary (%(type)s). Correct the file or "
                             "change the column's type."),
                row=row, column=name, value=value[:80], type=wanted)


def _propose(con: Connection, source: str, names: list[str],
             overrides: dict[str, Any]) -> dict[str, list[inference.Candidate]]:
    """For each column, the candidates that fit every cell of the first rows, best first.

    The sample is kept in memory and read twice: first one cheap test per column of the
    characters its cells use (inference.could_be_typed), then each candidate only on the columns
    whose characters allow one — most text columns are settled by the first pass."""
    proposals: dict[str, list[inference.Candidate]] = {name: [] for name in names}
    if not names:
        return proposals
    _fetch(con, f"CREATE OR REPLACE TEMP TABLE _sample AS "
                f"SELECT {', '.join(map(quote, names))} FROM {source} LIMIT {SAMPLE_ROWS}")
    try:
        shapes = _fetch(con, "SELECT " + ", ".join(
            f"bool_and({inference.could_be_typed(quote(name))})" for name in names)
            + " FROM _sample")[0]
        pairs: list[tuple[str, inference.Candidate]] = []
        for name, typed in zip(names, shapes, strict=True):
            wanted = overrides.get(name, {}).get("type")
            options = inference.candidates_for(wanted) if wanted else inference.CANDIDATES
            pairs.extend((name, candidate) for candidate in options
                         if candidate is not inference.STRING
                         and (typed or wanted or candidate.key == "boolean")
                         and not (candidate.thousands and not wanted and is_coordinate(name)))
        if pairs:
            row = _fetch(con, "SELECT " + ", ".join(
                f"bool_and({inference.fits(quote(name), candidate)})"
                for name, candidate in pairs) + " FROM _sample")[0]
            for (name, candidate), fits in zip(pairs, row, strict=True):
                if fits:
                    proposals[name].append(candidate)
    finally:
        con.execute("DROP TABLE IF EXISTS _sample")
    return proposals


def _misfit_counts(con: Connection, source: str, pairs: list[tuple[str, inference.Candidate]],
                   ) -> dict[tuple[str, str], int]:
    if not pairs:
        return {}
    counts = [f"count(*) FILTER (WHERE NOT {inference.fits(quote(name), candidate)})"
              for name, candidate in pairs]
    row = _fetch(con, f"SELECT {', '.join(counts)} FROM {source}")[0]
    return {(name, candidate.key): int(count)
            for (name, candidate), count in zip(pairs, row, strict=True)}


def _first_misfit(con: Connection, source: str, name: str,
                  candidates: list[inference.Candidate]) -> tuple[int, str]:
    """The first row (1 = first data row) whose cell fits none of `candidates`, and its text."""
    fits = " OR ".join(inference.fits(quote(name), candidate) for candidate in candidates)
    found = _fetch(con, f"SELECT _row, {quote(name)} FROM (SELECT row_number() OVER () AS "
                        f"_row, {quote(name)} FROM {source}) WHERE NOT ({fits}) LIMIT 1")
    return (int(found[0][0]), str(found[0][1])) if found else (0, "")


MISFIT = "datastore: a cell does not fit the type of its column"


class _Misfit(Exception):
    pass


def _output(name: str, kind: str, candidate: inference.Candidate | None, *,
            guarded: bool = False) -> str:
    if kind == "GEOMETRY":
        return f"CAST(st_asgeojson({quote(name)}) AS VARCHAR) AS {quote(name)}"
    if candidate is None and inference.schema_type(kind) == "object":
        return f"CAST(to_json({quote(name)}) AS VARCHAR) AS {quote(name)}"
    if candidate is None or candidate is inference.STRING:
        return quote(name)
    cast = inference.over(quote(name), candidate.cast)
    if guarded:
        cast = (f"CASE WHEN {inference.fits(quote(name), candidate)} THEN {cast} "
                f"ELSE error('{MISFIT}') END")
    return f"{cast} AS {quote(name)}"


def _field(name: str, kind: str, candidate: inference.Candidate | None,
           override: dict[str, Any]) -> dict[str, Any]:
    if candidate is None:
        described: dict[str, Any] = {"name": name, "type": inference.schema_type(kind)}
    else:
        described = {"name": name, "type": candidate.type, **candidate.schema}
    for key in ("title", "description", "unit"):
        if override.get(key):
            described[key] = override[key]
    return described


def _fetch(con: Connection, sql: str) -> list[tuple[Any, ...]]:
    try:
        return con.execute(sql).fetchall()
    except DuckDBError as error:
        if MISFIT in str(error):
            raise _Misfit from None
        raise _explain(error) from None


def _explain(error: DuckDBError) -> IngestError:
    """DuckDB's reading error as a sentence for the agency, with the line when it gives one."""
    text = str(error)
    line = re.search(r"Line: (\d+)", text)
    found = re.search(r"Expected Number of Columns: (\d+) Found: (\d+)", text)
    if line and found:
        return IngestError(gettext_noop("Line %(line)s does not have as many cells as the header "
                                        "(%(expected)s). Check the separators and quotes on "
                                        "that line."),
                           line=line.group(1), expected=found.group(1))
    if line and "quote" in text.lower():
        return IngestError(gettext_noop("A quoted cell that starts near line %(line)s never "
                                        "ends. Check the quotes on that line."),
                           line=line.group(1))
    if line:
        return IngestError(gettext_noop("The file could not be read at line %(line)s: "
                                        "%(reason)s"),
                           line=line.group(1), reason=_first_line(text))
    if "Out of Memory" in text or "memory" in text.lower():
        return IngestError(gettext_noop("The file needs more memory than the portal may use. "
                                        "Split it into smaller files."))
    return IngestError(gettext_noop("The file could not be read: %(reason)s"),
                       reason=_first_line(text))


def _first_line(text: str) -> str:
    """DuckDB's first line, kept for the agency: without the server's paths (the file's name
    stays), then cut to its last 200 characters."""
    return without_paths(text.split("\n", 1)[0])[-200:]


@contextmanager
def _polling(con: Connection, report: Progress) -> Iterator[None]:
    """Report DuckDB's own progress of the running statement every half second."""
    done = threading.Event()

    def poll() -> None:
        while not done.wait(0.5):
            fraction = con.query_progress()
            if fraction >= 0:
                report(min(fraction / 100, 1.0))

    thread = threading.Thread(target=poll, daemon=True)
    thread.start()
    try:
        yield
    finally:
        done.set()
        thread.join()
