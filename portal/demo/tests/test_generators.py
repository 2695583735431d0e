"""The pieces the demo is generated from: periods, rows and file writers."""

from __future__ import annotations

import io
import json
from datetime import date

from python_calamine import CalamineWorkbook

from portal.demo import files, periods
from portal.demo.accounts import new_password
from portal.demo.datasets import M, by_ward, cats, places
from portal.demo.tables import make_rows


def test_latest_periods_are_complete_periods_before_today() -> None:
    today = date(2026, 4, 10)
    assert periods.latest_periods("monthly", today, 3) == ["2026-03", "2026-02", "2026-01"]
    assert periods.latest_periods("quarterly", today, 2) == ["2026-Q1", "2025-Q4"]
    assert periods.latest_periods("semiannual", today, 2) == ["2025-H2", "2025-H1"]
    assert periods.latest_periods("annual", today, 1) == ["2025"]
    assert periods.latest_periods("irregular", today, 1) == [""]


def test_period_bounds_and_labels() -> None:
    assert periods.bounds("2025-Q4") == (date(2025, 10, 1), date(2025, 12, 31))
    assert periods.bounds("2024-02") == (date(2024, 2, 1), date(2024, 2, 29))
    assert periods.bounds("2025-H1") == (date(2025, 1, 1), date(2025, 6, 30))
    assert periods.label("2025-Q4") == "quý IV/2025"
    assert periods.label("2026-03") == "tháng 03/2026"


def test_daily_series_have_a_row_per_station_and_day() -> None:
    table = cats(("Trạm A", "Trạm B"), M("aqi", "AQI", 20, 150))
    rows = make_rows(table, key="aqi", period="2026-02", frequency="daily", seed=1)
    assert len(rows) == 2 * 28
    assert rows[0] == {"chi_tieu": "Trạm A", "ngay": "2026-02-01", "aqi": rows[0]["aqi"]}


def test_same_seed_gives_same_rows_and_another_seed_other_values() -> None:
    table = by_ward(M("so_luong", "Số lượng", 0, 1000))
    first = make_rows(table, key="x", period="2025", frequency="annual", seed=1)
    assert first == make_rows(table, key="x", period="2025", frequency="annual", seed=1)
    assert first != make_rows(table, key="x", period="2025", frequency="annual", seed=2)
    assert {"ma_xa", "ten_xa", "nam", "so_luong"} == set(first[0])


def test_scaled_measures_follow_each_category_size() -> None:
    table = cats(("Nhỏ", "Lớn"), M("gia", "Giá", 0.9, 1.1, scaled=True), scales=(10, 10_000))
    small, large = make_rows(table, key="gia", period="2025", frequency="annual", seed=3)
    assert 9 <= small["gia"] <= 11
    assert 9_000 <= large["gia"] <= 11_000


def test_writers_round_trip_the_same_rows() -> None:
    table = places(("Trường THCS",), M("so_lop", "Số lớp", 8, 40), per_kind=5)
    rows = make_rows(table, key="truong", period="2025", frequency="annual", seed=4)
    assert json.loads(files.to_json(rows)) == rows
    assert files.to_csv(rows).decode("utf-8").splitlines()[0].startswith("ma,ten,loai,ma_xa")
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(files.to_xlsx(rows))).get_sheet_by_index(0)
    assert sheet.to_python()[0] == list(rows[0])
    assert len(sheet.to_python()) == len(rows) + 1
    polygons = json.loads(files.to_geojson(rows, polygons=True))["features"]
    ring = polygons[0]["geometry"]["coordinates"][0]
    assert ring[0] == ring[-1]
    assert len(ring) >= 6


def test_generated_passwords_differ_and_are_long() -> None:
    passwords = {new_password() for _ in range(20)}
    assert len(passwords) == 20
    assert all(len(password) >= 20 for password in passwords)
