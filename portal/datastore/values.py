"""Cell values and column types as the data API writes them in JSON."""

from __future__ import annotations

import base64
import math
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

# DuckDB's type names (SQL results) → Table Schema types, as the records' "fields" use them.
_TYPE_PREFIXES = (
    (("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT",
      "UINTEGER", "UBIGINT", "UHUGEINT"), "integer"),
    (("FLOAT", "DOUBLE", "REAL", "DECIMAL"), "number"),
    (("VARCHAR", "UUID", "ENUM"), "string"),
    (("TIMESTAMP",), "datetime"),
    (("DATE",), "date"),
    (("TIME",), "time"),
    (("BOOLEAN",), "boolean"),
    (("STRUCT", "MAP", "JSON"), "object"),
    (("INTERVAL",), "duration"),
)


def schema_type(duckdb_type: str) -> str:
    """The Table Schema type of a DuckDB column type ("any" when none fits)."""
    name = duckdb_type.upper()
    if name.endswith("]"):
        return "array"
    for prefixes, kind in _TYPE_PREFIXES:
        if name.startswith(prefixes):
            return kind
    return "any"


def json_safe(value: Any) -> Any:
    """A cell as JSON can carry it: dates and times in ISO 8601, NaN and infinity as null,
    decimals as numbers, bytes in base64, nested lists and structs kept as they are."""
    if value is None or isinstance(value, str | bool | int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value) if value.is_finite() else None
    if isinstance(value, list | tuple):
        return [json_safe(item) for item in value]
    if isinstance(value, dict):
        return {str(key): json_safe(item) for key, item in value.items()}
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, timedelta):
        return value.total_seconds()
    if isinstance(value, UUID):
        return str(value)
    return str(value)


def json_row(names: list[str], row: tuple[Any, ...]) -> dict[str, Any]:
    return {name: json_safe(value) for name, value in zip(names, row, strict=True)}


def unique_names(names: list[str]) -> list[str]:
    """Column names made distinct for JSON objects: a repeated "a" becomes "a_2", "a_3"..."""
    seen: set[str] = set()
    unique = []
    for name in names:
        candidate, number = name, 1
        while candidate in seen:
            number += 1
            candidate = f"{name}_{number}"
        seen.add(candidate)
        unique.append(candidate)
    return unique


def json_size(value: Any) -> int:
    """About how many bytes `value` takes in the API's JSON (text as UTF-8 with its quotes and
    a separator; a number, date or time as the longest it may be written): to cap an answer
    before writing it. Walked without recursion, so a deeply nested list costs no stack."""
    size, stack = 0, [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            size += (len(item) if item.isascii() else len(item.encode("utf-8", "replace"))) + 3
        elif isinstance(item, bytes):
            size += len(item) * 4 // 3 + 4
        elif isinstance(item, list | tuple):
            size += 2
            stack.extend(item)
        elif isinstance(item, dict):
            size += 2
            for key, nested in item.items():
                stack.extend((str(key), nested))
        else:
            size += _SCALAR_SIZES.get(type(item), 34)
    return size


# The most characters a scalar takes (with a separator); others count as the longest, a
# datetime with microseconds and an offset, quoted.
_SCALAR_SIZES: dict[type, int] = {type(None): 5, bool: 6, int: 21, float: 25, Decimal: 25,
                                  date: 13, time: 18, UUID: 39}
