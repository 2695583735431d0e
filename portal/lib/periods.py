"""Reporting periods (kỳ báo cáo): the period a resource covers and the periods a schedule asks for.

Written as text in resources and both APIs:

    day      2026-03-05
    week     2026-W10     (ISO 8601 week: Monday to Sunday; some years have a week 53)
    month    2026-03
    quarter  2026-Q1
    half     2026-H1
    year     2026

A dataset's update frequency (the catalogue's `frequency` values) names the unit of its periods.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from enum import StrEnum


class Unit(StrEnum):
    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    QUARTER = "quarter"
    HALF = "half"
    YEAR = "year"


# The catalogue's update frequencies that have periods; `irregular` and `never` have none.
FREQUENCY_UNITS = {
    "daily": Unit.DAY,
    "weekly": Unit.WEEK,
    "monthly": Unit.MONTH,
    "quarterly": Unit.QUARTER,
    "semiannual": Unit.HALF,
    "annual": Unit.YEAR,
}

PATTERN = re.compile(
    r"^(?P<year>\d{4})(?:-(?P<month>0[1-9]|1[0-2])(?:-(?P<day>\d{2}))?"
    r"|-W(?P<week>\d{2})|-Q(?P<quarter>[1-4])|-H(?P<half>[12]))?$")
MONTHS_IN = {Unit.MONTH: 1, Unit.QUARTER: 3, Unit.HALF: 6, Unit.YEAR: 12}
ONE_DAY = datetime.timedelta(days=1)


class PeriodError(ValueError):
    """Text that is not a period in one of the forms above."""


def iso_weeks(year: int) -> int:
    """52 or 53: 28 December is always in the year's last ISO week."""
    return datetime.date(year, 12, 28).isocalendar().week


@dataclass(frozen=True, order=True)
class Period:
    """One period: its first day and its unit. Ordered by start, then unit."""

    start: datetime.date
    unit: Unit

    @classmethod
    def parse(cls, text: str) -> Period:
        match = PATTERN.match(text.strip()) if isinstance(text, str) else None
        if match is None:
            raise PeriodError(f"not a period: {text!r}")
        parts = {name: int(value) for name, value in match.groupdict().items() if value}
        try:
            return cls._from_parts(parts)
        except ValueError:
            raise PeriodError(f"not a period: {text!r}") from None

    @classmethod
    def _from_parts(cls, parts: dict[str, int]) -> Period:
        year = parts["year"]
        if year < 1:
            raise ValueError("year 0")
        if "day" in parts:
            return cls(datetime.date(year, parts["month"], parts["day"]), Unit.DAY)
        if "month" in parts:
            return cls(datetime.date(year, parts["month"], 1), Unit.MONTH)
        if "week" in parts:
            if not 1 <= parts["week"] <= iso_weeks(year):
                raise ValueError("no such week")
            return cls(datetime.date.fromisocalendar(year, parts["week"], 1), Unit.WEEK)
        if "quarter" in parts:
            return cls(datetime.date(year, 3 * parts["quarter"] - 2, 1), Unit.QUARTER)
        if "half" in parts:
            return cls(datetime.date(year, 6 * parts["half"] - 5, 1), Unit.HALF)
        return cls(datetime.date(year, 1, 1), Unit.YEAR)

    def __str__(self) -> str:
        start = self.start
        if self.unit == Unit.DAY:
            return start.isoformat()
        if self.unit == Unit.WEEK:
            year, week, _day = start.isocalendar()
            return f"{year:04d}-W{week:02d}"
        if self.unit == Unit.MONTH:
            return f"{start.year:04d}-{start.month:02d}"
        if self.unit == Unit.QUARTER:
            return f"{start.year:04d}-Q{(start.month + 2) // 3}"
        if self.unit == Unit.HALF:
            return f"{start.year:04d}-H{1 if start.month <= 6 else 2}"
        return f"{start.year:04d}"

    @property
    def end(self) -> datetime.date:
        """The period's last day."""
        return self.next().start - ONE_DAY

    def next(self) -> Period:
        if self.unit == Unit.DAY:
            return Period(self.start + ONE_DAY, self.unit)
        if self.unit == Unit.WEEK:
            return Period(self.start + 7 * ONE_DAY, self.unit)
        return Period(_add_months(self.start, MONTHS_IN[self.unit]), self.unit)

    def previous(self) -> Period:
        if self.unit == Unit.DAY:
            return Period(self.start - ONE_DAY, self.unit)
        if self.unit == Unit.WEEK:
            return Period(self.start - 7 * ONE_DAY, self.unit)
        return Period(_add_months(self.start, -MONTHS_IN[self.unit]), self.unit)

    def contains(self, other: Period | datetime.date) -> bool:
        """Whether a day, or every day of another period, falls in this one."""
        if isinstance(other, Period):
            return self.start <= other.start and other.end <= self.end
        return self.start <= other <= self.end


def _add_months(day: datetime.date, months: int) -> datetime.date:
    """The first of the month `months` after the first of `day`'s month."""
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def unit_of(frequency: str) -> Unit | None:
    """The unit of a frequency's periods; None for `irregular`, `never` and unknown values."""
    return FREQUENCY_UNITS.get(frequency)


def period_in(unit: Unit, day: datetime.date) -> Period:
    """The period of `unit` that contains `day`."""
    if unit == Unit.DAY:
        return Period(day, unit)
    if unit == Unit.WEEK:
        return Period(day - datetime.timedelta(days=day.weekday()), unit)
    months = MONTHS_IN[unit]
    first_month = (day.month - 1) // months * months + 1
    return Period(datetime.date(day.year, first_month, 1), unit)


def period_of(frequency: str, day: datetime.date) -> Period:
    """The period of a dataset with this update frequency that contains `day`."""
    unit = unit_of(frequency)
    if unit is None:
        raise PeriodError(f"the frequency {frequency!r} has no periods")
    return period_in(unit, day)


def periods_between(frequency: str, first: Period | datetime.date,
                    last: Period | datetime.date) -> list[Period]:
    """Every period of the frequency from the one holding `first` to the one holding `last`
    (both included; empty when `last` comes first)."""
    start = first.start if isinstance(first, Period) else first
    stop = last.start if isinstance(last, Period) else last
    current, end = period_of(frequency, start), period_of(frequency, stop)
    found = []
    while current <= end:
        found.append(current)
        current = current.next()
    return found


def is_period(text: str) -> bool:
    try:
        Period.parse(text)
    except PeriodError:
        return False
    return True
