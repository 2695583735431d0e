"""Which columns of a table put its rows on a map, and the operator's tile server, if any.

A table is mappable when it has a GeoJSON geometry column (GeoJSON files, read by ingest.py) or
a pair of numeric latitude and longitude columns, named in English or Vietnamese, with or
without accents (lat, latitude, vĩ độ, vi_do; lon, lng, longitude, kinh độ, kinh_do).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from portal.lib.text import fold

# Words (accents folded) that name a coordinate anywhere in a column's name ("vi_do_N",
# "toa do lat"); "long" only as the whole name, since it is also a Vietnamese place word.
LATITUDE = ("lat", "latitude", "vi do", "vido")
LONGITUDE = ("lon", "lng", "longitude", "kinh do", "kinhdo")
WHOLE_LONGITUDE = ("long",)
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


def map_columns(fields: list[dict[str, Any]]) -> MapColumns | None:
    """The columns to map the table by, None when it has none."""
    popup = tuple(described["name"] for described in fields
                  if described["type"] == "string")[:POPUP_COLUMNS]
    for described in fields:
        if described["type"] == "geojson":
            return MapColumns(geometry=described["name"], popup=popup)
    numeric = [described["name"] for described in fields if described["type"] in NUMERIC]
    latitude = next((name for name in numeric if _names_one_of(name, LATITUDE)), "")
    longitude = next((name for name in numeric
                      if _names_one_of(name, LONGITUDE, WHOLE_LONGITUDE)), "")
    if latitude and longitude:
        return MapColumns(latitude=latitude, longitude=longitude, popup=popup)
    return None


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
