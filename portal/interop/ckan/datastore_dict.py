"""The data store's tables and rows in CKAN DataStore's shapes: field dictionaries with CKAN's
type names, records as objects, lists or CSV text, and the `_links` of a page."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urlencode

from portal.datastore import values

# Table Schema types (the ingestion's) as the type names CKAN's DataStore reports; nested
# values (lists, structs: SQL results only) are CKAN's `json`, anything else is text.
CKAN_TYPES = {"integer": "int", "number": "numeric", "string": "text", "date": "date",
              "datetime": "timestamp", "boolean": "bool", "time": "time", "object": "json",
              "array": "json"}
SEARCH_PATH = "/api/3/action/datastore_search"


def ckan_type(described: Mapping[str, Any]) -> str:
    """The CKAN type of a table's column; tables keep nested values as JSON text."""
    kind = str(described.get("type"))
    return "text" if kind in ("object", "array") else CKAN_TYPES.get(kind, "text")


def sql_type(duckdb_type: str) -> str:
    """The CKAN type of a column of an SQL result (DuckDB's type name)."""
    return CKAN_TYPES.get(values.schema_type(duckdb_type), "text")


def info(described: Mapping[str, Any]) -> dict[str, Any] | None:
    """CKAN's data dictionary entry (`label`, `notes`) from the agency's, with the `unit`."""
    if not any(described.get(key) for key in ("title", "description", "unit")):
        return None
    found = {"label": described.get("title", ""), "notes": described.get("description", ""),
             "type_override": ""}
    if described.get("unit"):
        found["unit"] = described["unit"]
    return found


def field_dict(described: Mapping[str, Any]) -> dict[str, Any]:
    """A column as datastore_search lists it: `id`, `type`, and `info` when it has one."""
    result: dict[str, Any] = {"id": described["name"], "type": ckan_type(described)}
    entry = info(described)
    if entry is not None:
        result["info"] = entry
    return result


def _csv_text(value: Any) -> str:
    value = values.json_safe(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def records(names: list[str], rows: Sequence[Sequence[Any]], records_format: str) -> Any:
    """The rows as CKAN's `records_format` wants them: objects, lists, or CSV/TSV text with
    no header row."""
    if records_format == "objects":
        return [{name: values.json_safe(value) for name, value in zip(names, row, strict=True)}
                for row in rows]
    if records_format == "lists":
        return [[values.json_safe(value) for value in row] for row in rows]
    text = io.StringIO()
    writer = csv.writer(text, delimiter="\t" if records_format == "tsv" else ",",
                        lineterminator="\n")
    writer.writerows([_csv_text(value) for value in row] for row in rows)
    return text.getvalue()


def _query_text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def links(data: Mapping[str, Any], limit: int, offset: int) -> dict[str, str]:
    """CKAN's `_links`: this search from its start, the next page and, as CKAN gives it, the
    previous one. Built from the call's parameters, so that a POSTed search has links too."""
    arguments = {key: _query_text(value) for key, value in data.items() if key != "offset"}
    found = {"start": f"{SEARCH_PATH}?{urlencode(arguments)}",
             "next": f"{SEARCH_PATH}?{urlencode(arguments | {'offset': offset + limit})}"}
    if offset - limit > 0:
        found["prev"] = f"{SEARCH_PATH}?{urlencode(arguments | {'offset': offset - limit})}"
    return found
