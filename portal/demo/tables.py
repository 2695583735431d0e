"""The rows of the demo's data files, generated from a small description of each table.

Four shapes cover the datasets of a province: one row per commune/ward (`WARDS`), one row per
named item such as a budget line or a monitoring station (`CATEGORIES`), facilities named after
the commune they stand in (`PLACES`, e.g. "Trường THCS Gia Viễn"), and named sites placed in a
commune (`SITES`). Places and sites have coordinates, so they can also be written as GeoJSON.

Every number is drawn from a `random.Random` seeded with the demo's seed, the table's key and the
period, so the same seed gives the same files. Coordinates are illustrative, not surveyed: each
commune gets a point inside the part of the province it belongs to (the former Hà Nam, Nam Định or
Ninh Bình), and its places are scattered around it.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

from portal.demo import periods
from portal.lib.places import units

WARDS, CATEGORIES, PLACES, SITES = "wards", "categories", "places", "sites"

# (lowest code, south, north, west, east): the communes of the former provinces, by code range.
REGIONS = (
    (14320, 19.95, 20.40, 105.60, 106.05),  # former Ninh Bình
    (13640, 20.05, 20.45, 106.00, 106.45),  # former Nam Định
    (0, 20.42, 20.68, 105.82, 106.15),  # former Hà Nam
)

COLUMN_TITLES = {
    "ma_xa": "Mã đơn vị hành chính cấp xã (danh mục đơn vị hành chính Việt Nam)",
    "ten_xa": "Tên xã, phường",
    "ma": "Mã định danh trong bộ dữ liệu",
    "ten": "Tên",
    "loai": "Loại hình",
    "dia_chi": "Địa chỉ",
    "vi_do": "Vĩ độ (WGS 84)",
    "kinh_do": "Kinh độ (WGS 84)",
    "nam": "Năm",
    "quy": "Quý (1–4)",
    "ky": "Kỳ báo cáo: 1 = 6 tháng đầu năm, 2 = 6 tháng cuối năm",
    "thang": "Tháng (1–12)",
    "ngay": "Ngày (YYYY-MM-DD)",
    "tuan_tu_ngay": "Ngày đầu tuần (thứ Hai, YYYY-MM-DD)",
}


@dataclass(frozen=True)
class Measure:
    """A numeric column: values drawn between `low` and `high`, rounded to `digits`."""

    column: str
    title: str
    low: float
    high: float
    digits: int = 0
    scaled: bool = False  # multiplied by the row's scale (categories of different sizes)


@dataclass(frozen=True)
class Table:
    shape: str
    measures: tuple[Measure, ...]
    labels: tuple[str, ...] = ()  # categories, kinds of places, or "site name|commune name"
    scales: tuple[float, ...] = ()  # categories: the size of each, for scaled measures
    label_column: str = "chi_tieu"
    label_title: str = "Chỉ tiêu"
    wards: tuple[str, ...] = ()  # names of the communes/wards covered; empty: all of them
    per_kind: int = 0  # places: how many of each kind (0: one in every commune covered)
    polygons: bool = False  # GeoJSON areas instead of points

    @property
    def has_location(self) -> bool:
        return self.shape in (PLACES, SITES)


def clean_name(name: str) -> str:
    """The package's names, with stray double spaces removed ("Xã  Xuân Giang")."""
    return " ".join(name.split())


def wards_of(names: tuple[str, ...] = ()) -> list[tuple[str, str]]:
    """(code, name) of the communes and wards named, or of all of them; unknown names skipped."""
    all_wards = [(code, clean_name(name)) for code, name in list(units().items())[1:]]
    if not names:
        return all_wards
    wanted = set(names)
    return [(code, name) for code, name in all_wards if name in wanted]


def short_name(ward_name: str) -> str:
    """"Xã Gia Viễn" → "Gia Viễn"."""
    return ward_name.split(" ", 1)[1] if " " in ward_name else ward_name


def ward_point(code: str, seed: int) -> tuple[float, float]:
    """An illustrative (lat, lon) for a commune, inside its former province."""
    rng = random.Random(f"{seed}:ward:{code}")
    number = int(code)
    _low, south, north, west, east = next(r for r in REGIONS if number >= r[0])
    return round(rng.uniform(south, north), 5), round(rng.uniform(west, east), 5)


def _near(point: tuple[float, float], rng: random.Random) -> tuple[float, float]:
    return (round(point[0] + rng.uniform(-0.015, 0.015), 5),
            round(point[1] + rng.uniform(-0.015, 0.015), 5))


def _place(number: int, name: str, kind: str, ward: tuple[str, str], seed: int,
           rng: random.Random) -> dict[str, Any]:
    code, ward_name = ward
    lat, lon = _near(ward_point(code, seed), rng)
    hamlet = "Tổ dân phố" if ward_name.startswith("Phường") else "Thôn"
    row: dict[str, Any] = {"ma": f"NB{number:04d}", "ten": name}
    if kind:
        row["loai"] = kind
    return row | {
        "ma_xa": code, "ten_xa": ward_name,
        "dia_chi": f"{hamlet} {rng.randint(1, 12)}, {ward_name}, tỉnh Ninh Bình",
        "vi_do": lat, "kinh_do": lon,
    }


def _identities(table: Table, seed: int, rng: random.Random) -> list[dict[str, Any]]:
    """The columns that name each row; the same for every period of a series."""
    wards = wards_of(table.wards)
    if table.shape == WARDS:
        return [{"ma_xa": code, "ten_xa": name} for code, name in wards]
    if table.shape == CATEGORIES:
        return [{table.label_column: item} for item in table.labels]
    if table.shape == SITES:
        rows = []
        for number, site in enumerate(table.labels, 1):
            name, _bar, hint = site.partition("|")
            ward = next((w for w in wards if w[1] == hint), None) or rng.choice(wards)
            rows.append(_place(number, name, "", ward, seed, rng))
        return rows
    rows = []
    for kind in table.labels:
        chosen = rng.sample(wards, min(table.per_kind, len(wards))) if table.per_kind else wards
        for ward in sorted(chosen):
            name = f"{kind} {short_name(ward[1])}"
            rows.append(_place(len(rows) + 1, name, kind, ward, seed, rng))
    return rows


def _value(measure: Measure, scale: float, rng: random.Random) -> float | int:
    value = rng.uniform(measure.low, measure.high) * (scale if measure.scaled else 1)
    return round(value, measure.digits) if measure.digits else round(value)


def make_rows(table: Table, *, key: str, period: str, frequency: str,
              seed: int) -> list[dict[str, Any]]:
    """All rows of one file: identities × time stamps of the period, with their measures."""
    identities = _identities(table, seed, random.Random(f"{seed}:{key}"))
    scales = table.scales or (1.0,) * len(identities)
    values = random.Random(f"{seed}:{key}:{period}")
    return [
        identity | stamp | {m.column: _value(m, scale, values) for m in table.measures}
        for stamp in periods.stamps(frequency, period)
        for identity, scale in zip(identities, scales, strict=True)
    ]


def column_titles(table: Table, columns: list[str]) -> list[tuple[str, str]]:
    """(column, meaning) for the data dictionary in a dataset's description."""
    titles = COLUMN_TITLES | {table.label_column: table.label_title}
    titles |= {m.column: m.title for m in table.measures}
    return [(column, titles.get(column, column)) for column in columns]
