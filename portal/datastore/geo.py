"""Which columns of a table put its rows on a map, and the operator's tile server, if any.

The one rule for the map, its embed and the GeoJSON export (`map_columns`): a table is
mappable when it has a GeoJSON geometry column (GeoJSON files, read by ingest.py), or a pair of
numeric latitude and longitude columns, named in English or Vietnamese, with or without accents
or spaces (lat, latitude, vĩ độ, vi_do, vido; lon, lng, longitude, kinh độ, kinh_do, kinhdo),
or else a numeric pair named x and y whose values fit longitude and latitude (x within ±180,
y within ±90): x and y are as often metres of the national grid (VN-2000), which are no
degrees and must not be drawn as such.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from portal.lib.text import fold

# Words (accents folded) that name a coordinate anywhere in a column's name ("vi_do_N",
# "toa do lat"); "long" only as the whole name, since it is also a Vietnamese place word.
LATITUDE = ("lat", "latitude", "vi do", "vido")
LONGITUDE = ("lon", "lng", "longitude", "kinh do", "kinhdo")
WHOLE_LONGITUDE = ("long",)
# Whole names (accents folded) of a pair of plain coordinates, used only when values fit.
X_NAMES = ("x", "toa do x", "x coord", "coord x")
Y_NAMES = ("y", "toa do y", "y coord", "coord y")
LONGITUDE_RANGE = (-180.0, 180.0)
LATITUDE_RANGE = (-90.0, 90.0)
NUMERIC = ("integer", "number")
MAX_FEATURES = 5000  # drawn at most; the note under the map says when there are more


POPUP_COLUMNS = 4  # text columns fetched with the places, shown when one is clicked


@dataclass(frozen=True)
class MapColumns:
    geometry: str = ""  # a GeoJSON geometry column, or
    latitude: str = ""  # a pair of coordinate columns
    longitude: str = ""
    popup: tuple[str, ...] = ()  # a few columns that say what a place is

    @property
    def names(self) -> list[str]:
        """The columns to fetch for the map."""
        places = [name for name in (self.geometry, self.latitude, self.longitude) if name]
        return [*places, *self.popup]


def _words(name: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", fold(name)))


def _names_one_of(name: str, phrases: tuple[str, ...], whole: tuple[str, ...] = ()) -> bool:
    words = _words(name)
    return words in whole or any(f" {phrase} " in f" {words} " for phrase in phrases)


def is_coordinate(name: str) -> bool:
    """A column named as a latitude or a longitude (Vietnamese or English, any accents)."""
    return _names_one_of(name, LATITUDE) or _names_one_of(name, LONGITUDE, WHOLE_LONGITUDE)


# The smallest and largest value of each column named (None when it has no number).
Range = tuple[float | None, float | None]
Ranges = Callable[[list[str]], Mapping[str, Range]]


def map_columns(fields: list[dict[str, Any]], ranges: Ranges | None = None,
                ) -> MapColumns | None:
    """The columns to map the table by, None when it has none. `ranges` reads the values of
    columns named x and y; without it, such a pair is not mapped."""
    popup = tuple(described["name"] for described in fields
                  if described["type"] == "string")[:POPUP_COLUMNS]
    for described in fields:
        if described["type"] == "geojson":
            return MapColumns(geometry=described["name"], popup=popup)
    numeric = [described["name"] for described in fields if described["type"] in NUMERIC]
    latitude = next((name for name in numeric if _names_one_of(name, LATITUDE)), "")
    longitude = next((name for name in numeric
                      if _names_one_of(name, LONGITUDE, WHOLE_LONGITUDE)), "")
    if not (latitude and longitude):
        longitude, latitude = _plain_pair(numeric, ranges)
    if latitude and longitude:
        return MapColumns(latitude=latitude, longitude=longitude, popup=popup)
    return None


def _plain_pair(numeric: list[str], ranges: Ranges | None) -> tuple[str, str]:
    """Columns x and y (longitude, latitude) when their values fit degrees, else ("", "")."""
    x = next((name for name in numeric if _words(name) in X_NAMES), "")
    y = next((name for name in numeric if _words(name) in Y_NAMES), "")
    if not (x and y and ranges is not None):
        return "", ""
    found = ranges([x, y])
    if _within(found.get(x), LONGITUDE_RANGE) and _within(found.get(y), LATITUDE_RANGE):
        return x, y
    return "", ""


def _within(values: Range | None, bounds: tuple[float, float]) -> bool:
    if values is None or values[0] is None or values[1] is None:
        return False  # no number at all: nothing to draw
    return bounds[0] <= values[0] and values[1] <= bounds[1]


def parse_tile_url(raw: str) -> str:
    """MAP_TILE_URL: empty, or a tile address with {z}, {x} and {y} (http(s) or a path)."""
    value = raw.strip()
    if not value:
        return ""
    parts = urlsplit(value)
    absolute = parts.scheme in ("http", "https") and bool(parts.netloc)
    if not (absolute or value.startswith("/")) or any(
            mark not in value for mark in ("{z}", "{x}", "{y}")) or re.search(r"\s", value):
        raise ValueError("expected a tile address such as https://tiles.example.vn/{z}/{x}/{y}.png")
    return value


def tile_origin(url: str) -> str:
    """The origin the page's policy must allow images from for the tiles ('' for this site)."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.netloc else ""
