"""Which resources are tables, and of what kind, by their format or file name.

Kept apart from sources.py (which reads files with DuckDB) so that deciding whether a resource
is a table loads no DuckDB: the web processes' query-process fork server loads the apps, and a
process holding DuckDB must never be forked.
"""

from __future__ import annotations

from pathlib import Path

from portal.catalog.models import Resource, ResourceKind

FORMATS = {
    "CSV": "csv", "TSV": "csv", "TXT": "csv", "TAB": "csv",
    "XLSX": "spreadsheet", "XLSM": "spreadsheet", "XLS": "spreadsheet", "ODS": "spreadsheet",
    "JSON": "json", "GEOJSON": "geojson", "PARQUET": "parquet",
}


def kind_of(format_name: str, file_name: str) -> str | None:
    """'csv', 'spreadsheet', 'json', 'geojson', 'parquet', or None for what is not a table."""
    suffix = Path(file_name).suffix.lstrip(".").upper()
    return FORMATS.get(format_name.strip().upper()) or FORMATS.get(suffix)


def table_kind(resource: Resource) -> str | None:
    """The kind of table a resource holds ('csv', 'spreadsheet', ...), None if not a table.

    An API endpoint is not copied: its data changes with every call and it has its own API."""
    if resource.kind == ResourceKind.API:
        return None
    name = resource.file.name if resource.kind == ResourceKind.FILE else resource.url
    return kind_of(resource.format, (name or "").split("?", 1)[0])
