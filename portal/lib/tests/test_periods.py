from __future__ import annotations

from datetime import date

import pytest

from portal.lib.periods import (
    Period,
    PeriodError,
    Unit,
    is_period,
    iso_weeks,
    period_of,
    periods_between,
)


@pytest.mark.parametrize(("text", "unit", "start", "end"), [
    ("2026-03-05", Unit.DAY, date(2026, 3, 5), date(2026, 3, 5)),
    ("2026-W10", Unit.WEEK, date(2026, 3, 2), date(2026, 3, 8)),
    ("2026-03", Unit.MONTH, date(2026, 3, 1), date(2026, 3, 31)),
    ("2024-02", Unit.MONTH, date(2024, 2, 1), date(2024, 2, 29)),
    ("2025-02", Unit.MONTH, date(2025, 2, 1), date(2025, 2, 28)),
    ("2026-Q1", Unit.QUARTER, date(2026, 1, 1), date(2026, 3, 31)),
    ("2026-Q4", Unit.QUARTER, date(2026, 10, 1), date(2026, 12, 31)),
    ("2026-H1", Unit.HALF, date(2026, 1, 1), date(2026, 6, 30)),
    ("2026-H2", Unit.HALF, date(2026, 7, 1), date(2026, 12, 31)),
    ("2026", Unit.YEAR, date(2026, 1, 1), date(2026, 12, 31)),
])
def test_every_form_parses_to_its_days_and_back(text: str, unit: Unit, start: date,
                                                 end: date) -> None:
    period = Period.parse(text)
    assert (period.unit, period.start, period.end) == (unit, start, end)
    assert str(period) == text


@pytest.mark.parametrize("text", [
    "2026-13", "2026-00", "2026-Q5", "2026-H3", "2026-02-30", "2025-02-29", "2025-W53",
    "2026-W00", "26", "2026-3", "2026-W1", " ", "", "0000", "2026-03-05T00:00", "2026/03",
])
def test_malformed_periods_are_refused(text: str) -> None:
    with pytest.raises(PeriodError):
        Period.parse(text)
    assert not is_period(text)


def test_week_53_exists_only_in_long_iso_years() -> None:
    assert iso_weeks(2020) == 53
    assert iso_weeks(2026) == 53
    assert iso_weeks(2025) == 52
    week = Period.parse("2026-W53")
    assert (week.start, week.end) == (date(2026, 12, 28), date(2027, 1, 3))
    assert str(week.next()) == "2027-W01"
    assert str(Period.parse("2027-W01").previous()) == "2026-W53"


def test_a_week_belongs_to_its_iso_year_across_new_year() -> None:
    assert str(period_of("weekly", date(2025, 12, 29))) == "2026-W01"
    assert str(period_of("weekly", date(2021, 1, 3))) == "2020-W53"


@pytest.mark.parametrize(("frequency", "day", "expected"), [
    ("daily", date(2024, 2, 29), "2024-02-29"),
    ("weekly", date(2026, 3, 8), "2026-W10"),
    ("monthly", date(2026, 12, 31), "2026-12"),
    ("quarterly", date(2026, 6, 30), "2026-Q2"),
    ("quarterly", date(2026, 7, 1), "2026-Q3"),
    ("semiannual", date(2026, 6, 30), "2026-H1"),
    ("annual", date(2026, 12, 31), "2026"),
])
def test_period_of_a_day(frequency: str, day: date, expected: str) -> None:
    assert str(period_of(frequency, day)) == expected


def test_irregular_data_has_no_periods() -> None:
    with pytest.raises(PeriodError):
        period_of("irregular", date(2026, 1, 1))


@pytest.mark.parametrize(("text", "following"), [
    ("2024-02-28", "2024-02-29"), ("2025-12-31", "2026-01-01"), ("2025-12", "2026-01"),
    ("2026-Q4", "2027-Q1"), ("2026-H2", "2027-H1"), ("2026", "2027"),
])
def test_next_and_previous_cross_year_ends(text: str, following: str) -> None:
    assert str(Period.parse(text).next()) == following
    assert str(Period.parse(following).previous()) == text


def test_periods_between_includes_both_ends() -> None:
    months = periods_between("monthly", Period.parse("2025-11"), date(2026, 2, 10))
    assert [str(month) for month in months] == ["2025-11", "2025-12", "2026-01", "2026-02"]
    assert periods_between("annual", date(2026, 1, 1), date(2025, 1, 1)) == []


def test_a_year_contains_its_months_but_not_the_next_years() -> None:
    year = Period.parse("2025")
    assert year.contains(Period.parse("2025-12"))
    assert year.contains(Period.parse("2025-Q4"))
    assert not year.contains(Period.parse("2026-01"))
    assert not year.contains(Period.parse("2025-W01"))  # starts on 30 December 2024
    assert year.contains(date(2025, 6, 1))


def test_periods_sort_by_their_start() -> None:
    texts = ["2026-03", "2025", "2026-Q1", "2025-12-31"]
    assert [str(p) for p in sorted(Period.parse(t) for t in texts)] == [
        "2025", "2025-12-31", "2026-Q1", "2026-03"]
