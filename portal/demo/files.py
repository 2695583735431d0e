"""Writers of the demo's data files: CSV, XLSX, JSON and GeoJSON, all from the same rows."""

from __future__ import annotations

import csv
import io
import json
import math
import random
from collections.abc import Callable
from datetime import datetime
from typing import Any

Rows = list[dict[str, Any]]
# Fixed document dates keep the XLSX files the same from one load to the next.
XLSX_DATE = datetime(2025, 7, 1)  # openpyxl writes naive datetimes
LOCATION = ("vi_do", "kinh_do")


def to_csv(rows: Rows) -> bytes:
    """UTF-8 CSV, comma-separated, with a header row."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def to_xlsx(rows: Rows) -> bytes:
    # Imported here: `make run` starts `load_demo --if-empty` every time, and it usually only
    # finds data and stops: it should not pay for loading openpyxl.
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    workbook.properties.creator = "Cổng dữ liệu mở tỉnh Ninh Bình (dữ liệu minh hoạ)"
    workbook.properties.created = workbook.properties.modified = XLSX_DATE
    sheet = workbook.create_sheet("Du lieu")
    sheet.append(list(rows[0]))
    for row in rows:
        sheet.append(list(row.values()))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def to_json(rows: Rows) -> bytes:
    """A JSON array of objects, one per row."""
    return json.dumps(rows, ensure_ascii=False, indent=1).encode("utf-8")


def _polygon(lat: float, lon: float, rng: random.Random) -> list[list[list[float]]]:
    """A small irregular area around a point; the ring runs anticlockwise (RFC 7946)."""
    corners = rng.randint(5, 8)
    ring = []
    for corner in range(corners):
        angle = 2 * math.pi * corner / corners
        radius = rng.uniform(0.004, 0.012)
        ring.append([round(lon + radius * math.cos(angle), 6),
                     round(lat + radius * math.sin(angle), 6)])
    return [[*ring, ring[0]]]


def to_geojson(rows: Rows, *, polygons: bool = False) -> bytes:
    """A FeatureCollection: points (or areas) at each row's latitude and longitude."""
    rng = random.Random(len(rows))
    features = []
    for row in rows:
        lat, lon = row["vi_do"], row["kinh_do"]
        geometry: dict[str, Any] = (
            {"type": "Polygon", "coordinates": _polygon(lat, lon, rng)} if polygons
            else {"type": "Point", "coordinates": [lon, lat]}
        )
        properties = {key: value for key, value in row.items() if key not in LOCATION}
        features.append({"type": "Feature", "geometry": geometry, "properties": properties})
    collection = {"type": "FeatureCollection", "features": features}
    return json.dumps(collection, ensure_ascii=False).encode("utf-8")


WRITERS: dict[str, Callable[[Rows], bytes]] = {
    "csv": to_csv,
    "xlsx": to_xlsx,
    "json": to_json,
    "geojson": to_geojson,
}


def write(file_format: str, rows: Rows, *, polygons: bool = False) -> bytes:
    if file_format == "geojson":
        return to_geojson(rows, polygons=polygons)
    return WRITERS[file_format](rows)
