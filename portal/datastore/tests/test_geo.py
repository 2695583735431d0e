"""Which tables get a map, and the tile server setting."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from portal.datastore.geo import MapColumns, map_columns, parse_tile_url, tile_origin


def fields(*pairs: tuple[str, str]) -> list[dict[str, Any]]:
    return [{"name": "_id", "type": "integer"}, *({"name": n, "type": t} for n, t in pairs)]


@pytest.mark.parametrize(("latitude", "longitude"), [
    ("lat", "lon"), ("latitude", "longitude"), ("Lat", "Lng"), ("Vĩ độ", "Kinh độ"),
    ("vi_do", "kinh_do"), ("vido", "kinhdo"), ("ViDo", "KinhDo"), ("VI DO (N)", "KINH ĐỘ (E)"),
    ("toa_do_lat", "toa_do_lng"), ("y_lat", "long"),
])
def test_latitude_and_longitude_columns_are_found_in_english_and_vietnamese(
        latitude: str, longitude: str) -> None:
    found = map_columns(fields(("ten", "string"), (latitude, "number"), (longitude, "number")))
    assert found == MapColumns(latitude=latitude, longitude=longitude, popup=("ten",))


def within(found: dict[str, tuple[float | None, float | None]]) -> Any:
    """A reader of column ranges that answers `found` and records what it was asked."""
    asked: list[list[str]] = []

    def ranges(names: list[str]) -> dict[str, tuple[float | None, float | None]]:
        asked.append(names)
        return {name: found[name] for name in names}
    ranges.asked = asked  # type: ignore[attr-defined]
    return ranges


@pytest.mark.parametrize(("x", "y"), [("x", "y"), ("X", "Y"), ("Tọa độ X", "Tọa độ Y")])
def test_x_and_y_are_a_map_only_when_their_values_are_degrees(x: str, y: str) -> None:
    columns = fields((x, "number"), (y, "number"))
    degrees = within({x: (105.5, 106.2), y: (19.9, 20.5)})
    assert map_columns(columns, ranges=degrees) == MapColumns(latitude=y, longitude=x)
    assert degrees.asked == [[x, y]]
    metres = within({x: (560000.0, 620000.0), y: (2200000.0, 2280000.0)})  # VN-2000
    assert map_columns(columns, ranges=metres) is None
    swapped = within({x: (19.9, 20.5), y: (105.5, 106.2)})  # latitude in x: y is no latitude
    assert map_columns(columns, ranges=swapped) is None
    assert map_columns(columns, ranges=within({x: (None, None), y: (None, None)})) is None
    assert map_columns(columns) is None  # nobody to read the values


def test_named_coordinates_need_no_values_and_come_before_x_and_y() -> None:
    reader = within({})
    found = map_columns(fields(("x", "number"), ("y", "number"), ("lat", "number"),
                               ("lon", "number")), ranges=reader)
    assert found == MapColumns(latitude="lat", longitude="lon")
    assert reader.asked == []


def test_a_geojson_geometry_column_comes_first() -> None:
    found = map_columns(fields(("lat", "number"), ("lon", "number"), ("geometry", "geojson")))
    assert found == MapColumns(geometry="geometry")
    assert found.names == ["geometry"]


@pytest.mark.parametrize("columns", [
    (("lat", "string"), ("lon", "string")),  # not numbers
    (("lat", "number"),),  # half a pair
    (("long_bien", "number"), ("vi_do", "number")),  # a place called Long Biên
    (("dan_so", "integer"), ("dien_tich", "number")),
    (("xa", "string"), ("y_te", "number")),  # a commune and a health figure
])
def test_tables_without_both_coordinates_get_no_map(columns: tuple[tuple[str, str], ...]) -> None:
    assert map_columns(fields(*columns)) is None


def test_the_tile_server_is_an_address_with_its_placeholders() -> None:
    assert parse_tile_url("") == ""
    assert parse_tile_url(" https://tiles.so.local/{z}/{x}/{y}.png ") == \
        "https://tiles.so.local/{z}/{x}/{y}.png"
    assert parse_tile_url("/tiles/{z}/{x}/{y}.png") == "/tiles/{z}/{x}/{y}.png"
    for wrong in ("tiles.so.local/{z}/{x}/{y}.png", "https://tiles.so.local/a.png",
                  "javascript:{z}{x}{y}", "https://a b/{z}/{x}/{y}"):
        with pytest.raises(ValueError, match="tile address"):
            parse_tile_url(wrong)


def test_the_policy_allows_images_from_the_tile_server_only() -> None:
    assert tile_origin("https://tiles.so.local:8443/{z}/{x}/{y}.png") == \
        "https://tiles.so.local:8443"
    assert tile_origin("/tiles/{z}/{x}/{y}.png") == ""


def img_sources_with(environment: dict[str, str], tmp_path: Path) -> str:
    """The policy's img-src of a fresh process started with `environment`."""
    code = ("import django; django.setup(); from django.conf import settings as s; "
            "print(' '.join(s.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src']))")
    env = os.environ | {"DJANGO_SETTINGS_MODULE": "portal.settings",
                        "VAR_DIR": str(tmp_path / "var")} | environment
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                          text=True, timeout=60, check=True).stdout.strip()


def test_the_tile_servers_origin_joins_the_policy_only_when_set(tmp_path: Path) -> None:
    assert img_sources_with({"MAP_TILE_URL": ""}, tmp_path) == "'self' data:"
    assert img_sources_with({"MAP_TILE_URL": "https://tiles.so.local/{z}/{x}/{y}.png"},
                            tmp_path) == "'self' data: https://tiles.so.local"
