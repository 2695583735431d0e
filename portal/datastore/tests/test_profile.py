"""Column profiles: empty cells, distinct values, ranges and histograms, cached per version."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.cache import cache

from portal.agencies.models import Agency
from portal.datastore import selectors, storage
from portal.datastore.profile import Bar, ColumnProfile, Profile, compute, profile
from portal.datastore.query import Table
from portal.datastore.tests.tables import ready_resource
from portal.lib import factories

pytestmark = pytest.mark.django_db


def table_of(content: bytes, agency: Agency) -> Table:
    dataset = factories.make_dataset(agency=agency)
    resource = ready_resource(dataset, content=content)
    return selectors.queryable(resource)


def by_name(found: Profile) -> dict[str, ColumnProfile]:
    return {column.name: column for column in found.columns}


def test_profile_counts_empty_and_distinct_cells_and_finds_ranges(agency: Agency) -> None:
    table = table_of(b"ten,so,ngay\nA,10,15/03/2026\nB,,01/01/2026\n,30,\nA,40,20/02/2025\n",
                     agency)
    columns = by_name(compute(table))
    ten, so, ngay = columns["ten"], columns["so"], columns["ngay"]
    assert (ten.type, ten.empty, ten.distinct) == ("string", 1, 2)
    assert (so.type, so.empty, so.minimum, so.maximum) == (
        "integer", 1, 10, 40)
    assert (ngay.type, ngay.minimum, ngay.maximum) == (
        "date", date(2025, 2, 20), date(2026, 3, 15))
    assert "_id" not in columns


def test_numbers_fall_into_ten_equal_bins_that_cover_the_range(agency: Agency) -> None:
    rows = "\n".join(f"{value / 10}" for value in range(0, 101))  # 0.0 .. 10.0
    column = compute(table_of(f"x\n{rows}\n".encode(), agency)).columns[0]
    assert column.histogram_kind == "bins"
    assert len(column.histogram) == 10
    assert column.histogram[0].low == 0.0
    assert column.histogram[-1].high == pytest.approx(10.0)
    assert sum(bar.count for bar in column.histogram) == 101
    assert column.histogram[-1].count == 11  # the maximum belongs to the last bin


def test_small_whole_number_ranges_get_one_bin_per_value(agency: Agency) -> None:
    column = compute(table_of(b"hang\n1\n2\n2\n3\n3\n3\n", agency)).columns[0]
    assert column.histogram == [Bar(1, 1, 1), Bar(2, 2, 2), Bar(3, 3, 3)]


def test_a_constant_number_is_one_bar(agency: Agency) -> None:
    column = compute(table_of(b"x\n2.5\n2.5\n", agency)).columns[0]
    assert column.histogram == [Bar(2.5, 2.5, 2)]


def test_text_shows_its_most_frequent_values_first(agency: Agency) -> None:
    values = ["Gia Viễn"] * 5 + ["Hoa Lư"] * 3 + ["Kim Sơn"] * 1 + [""] * 2
    column = compute(table_of(("huyen\n" + "\n".join(values) + "\n").encode(), agency)).columns[0]
    assert column.histogram_kind == "top"
    assert [(bar.low, bar.count) for bar in column.histogram] == [
        ("Gia Viễn", 5), ("Hoa Lư", 3), ("Kim Sơn", 1)]
    assert column.empty == 2


def test_a_column_of_unique_codes_has_no_top_values(agency: Agency) -> None:
    codes = "\n".join(f"X{number:05d}" for number in range(50))
    column = compute(table_of(f"ma\n{codes}\n".encode(), agency)).columns[0]
    assert column.histogram_kind == "unique"
    assert column.histogram == []
    assert column.distinct == 50


def test_dates_are_counted_by_month_over_short_spans_and_by_year_over_long_ones(
        agency: Agency) -> None:
    short = compute(table_of(b"d\n2026-01-05\n2026-01-20\n2026-03-01\n", agency)).columns[0]
    assert short.histogram_kind == "months"
    assert short.histogram == [Bar(date(2026, 1, 1), None, 2), Bar(date(2026, 3, 1), None, 1)]
    long = compute(table_of(b"d\n2001-06-01\n2020-01-01\n2020-12-31\n", agency)).columns[0]
    assert long.histogram_kind == "years"
    assert long.histogram == [Bar(date(2001, 1, 1), None, 1), Bar(date(2020, 1, 1), None, 2)]


def test_geojson_geometries_are_counted_by_kind(agency: Agency) -> None:
    content = (b'{"type": "FeatureCollection", "features": ['
               b'{"type": "Feature", "properties": {"ten": "A"}, '
               b'"geometry": {"type": "Point", "coordinates": [105.9, 20.25]}},'
               b'{"type": "Feature", "properties": {"ten": "B"}, '
               b'"geometry": {"type": "Point", "coordinates": [105.8, 20.3]}}]}')
    dataset = factories.make_dataset(agency=agency)
    resource = ready_resource(dataset, content=content, filename="diem.geojson")
    table = selectors.queryable(resource)
    geometry = by_name(compute(table))["geometry"]
    assert geometry.type == "geojson"
    assert geometry.histogram == [Bar("Point", None, 2)]


def test_the_profile_is_computed_once_per_version(agency: Agency) -> None:
    table = table_of(b"x\n1\n2\n", agency)
    cache.clear()
    first = profile(table)
    storage.readable(table.file).unlink()  # a second computation would fail
    assert profile(table) == first
