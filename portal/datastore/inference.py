"""Column types of text read from files, Vietnamese conventions included.

Each candidate type is a SQL test (is this text of the type?) and a SQL cast, both over the
trimmed text `@v`. A column takes the first candidate that every non-empty cell passes. Numbers
with leading zeros stay text: they are codes (commune codes, phone and ID numbers), not amounts.
Dates are read day first (15/03/2026), as Vietnamese documents write them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _

INTEGER = r"[+-]?(0|[1-9][0-9]{0,17})"
DECIMAL = r"[+-]?(0|[1-9][0-9]*)?\.[0-9]+([eE][+-]?[0-9]+)?"
VI_GROUPED = r"[+-]?[1-9][0-9]{0,2}(\.[0-9]{3})+(,[0-9]+)?"
VI_DECIMAL = r"[+-]?(0|[1-9][0-9]*),[0-9]+"
EN_GROUPED = r"[+-]?[1-9][0-9]{0,2}(,[0-9]{3})+(\.[0-9]+)?"


@dataclass(frozen=True)
class Candidate:
    key: str
    type: str  # Table Schema type
    test: str  # SQL predicate over @v, for a cell that is not empty (see `fits`)
    cast: str  # SQL expression over @v
    schema: dict[str, Any] = field(default_factory=dict)  # extra Table Schema properties
    # Reads dots as thousands: never proposed for a coordinate column (105.800 is a longitude).
    thousands: bool = False


def _match(*patterns: str) -> str:
    return " OR ".join(f"regexp_full_match(@v, '{pattern}')" for pattern in patterns)


# The shape of each strptime directive: parsing is slow and text of another shape is most
# cells, so a regular expression turns those away first (ten times faster on text columns).
_DIRECTIVES = {"%Y": "[0-9]{4}", "%m": "[0-9]{1,2}", "%d": "[0-9]{1,2}", "%H": "[0-9]{1,2}",
               "%M": "[0-9]{1,2}", "%S": "[0-9]{1,2}"}


def _date(fmt: str, kind: str) -> Candidate:
    sql_type = "DATE" if kind == "date" else "TIMESTAMP"
    shape = re.sub("%[YmdHMS]|[^%]", lambda m: _DIRECTIVES.get(m[0], re.escape(m[0])), fmt)
    return Candidate(f"{kind}:{fmt}", kind,
                     f"CASE WHEN regexp_full_match(@v, '{shape}') "
                     f"THEN try_strptime(@v, '{fmt}') IS NOT NULL ELSE false END",
                     f"CAST(strptime(@v, '{fmt}') AS {sql_type})", {"format": fmt})


CANDIDATES: list[Candidate] = [
    Candidate("integer", "integer", _match(INTEGER), "CAST(@v AS BIGINT)"),
    # Dotted groups of three are thousands in Vietnamese ("12.345", "1.234.567"): tried before
    # decimals, except in columns named as coordinates (geo.is_coordinate).
    Candidate("integer:vi", "integer", _match(INTEGER, VI_GROUPED.replace("(,[0-9]+)?", "")),
              "CAST(replace(@v, '.', '') AS BIGINT)", {"groupChar": "."}, thousands=True),
    Candidate("number", "number", _match(INTEGER, DECIMAL), "CAST(@v AS DOUBLE)"),
    Candidate("number:vi", "number", _match(INTEGER, VI_GROUPED, VI_DECIMAL),
              "CAST(replace(replace(@v, '.', ''), ',', '.') AS DOUBLE)",
              {"decimalChar": ",", "groupChar": "."}),
    Candidate("number:en", "number", _match(INTEGER, DECIMAL, EN_GROUPED),
              "CAST(replace(@v, ',', '') AS DOUBLE)", {"groupChar": ","}),
    _date("%Y-%m-%d", "date"),
    _date("%d/%m/%Y", "date"),
    _date("%d-%m-%Y", "date"),
    _date("%d.%m.%Y", "date"),
    _date("%Y-%m-%d %H:%M:%S", "datetime"),
    _date("%Y-%m-%dT%H:%M:%S", "datetime"),
    _date("%Y-%m-%d %H:%M", "datetime"),
    _date("%d/%m/%Y %H:%M:%S", "datetime"),
    _date("%d/%m/%Y %H:%M", "datetime"),
    Candidate("boolean", "boolean", "lower(@v) IN ('true', 'false')",
              "lower(@v) = 'true'"),
]
BY_KEY = {candidate.key: candidate for candidate in CANDIDATES}
STRING = Candidate("string", "string", "true", "@v")

# The types an agency may choose in the data dictionary, and the candidates each allows.
TYPE_CHOICES = [
    ("string", _("Text")),
    ("integer", _("Whole number")),
    ("number", _("Number")),
    ("date", _("Date")),
    ("datetime", _("Date and time")),
    ("boolean", _("Yes/no")),
]


def candidates_for(type_name: str) -> list[Candidate]:
    """The candidates of one Table Schema type (the agency chose it in the data dictionary)."""
    if type_name == "string":
        return [STRING]
    return [candidate for candidate in CANDIDATES if candidate.type == type_name]


# Every character a number or a date of CANDIDATES may hold (booleans are tested apart).
TYPED_CHARACTERS = "[0-9 +.,:/eET-]*"


def could_be_typed(column_sql: str) -> str:
    """False where a cell holds a character no number or date has: the column stays text
    (or is boolean), and the candidates need not be tried on it."""
    return f"regexp_full_match(coalesce(trim({column_sql}), ''), '{TYPED_CHARACTERS}')"


def fits(column_sql: str, candidate: Candidate) -> str:
    """True where the cell is empty or is of the candidate's type."""
    return f"({over(column_sql, '@v')} IS NULL OR {over(column_sql, candidate.test)})"


def over(column_sql: str, expression: str) -> str:
    """`expression` (written over `@v`) applied to a column: the cell trimmed, empty → NULL."""
    return expression.replace("@v", f"nullif(trim({column_sql}), '')")


def schema_type(duckdb_type: str) -> str:
    """The Table Schema type of a column DuckDB typed itself (JSON, Parquet sources)."""
    upper = duckdb_type.upper()
    if upper in ("BIGINT", "INTEGER", "SMALLINT", "TINYINT", "HUGEINT", "UBIGINT", "UINTEGER",
                 "USMALLINT", "UTINYINT"):
        return "integer"
    if upper in ("DOUBLE", "FLOAT", "REAL") or upper.startswith("DECIMAL"):
        return "number"
    if upper == "DATE":
        return "date"
    if upper.startswith("TIMESTAMP"):
        return "datetime"
    if upper == "BOOLEAN":
        return "boolean"
    if upper == "TIME":
        return "time"
    if upper == "JSON" or upper.startswith(("STRUCT", "MAP")) or upper.endswith("[]"):
        return "object"
    return "string"
