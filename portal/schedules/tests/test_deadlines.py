"""The pure rules of article 4.7: due dates, states, liveness, by moving the clock."""

from __future__ import annotations

import datetime
from datetime import date
from zoneinfo import ZoneInfo

import pytest

from portal.lib.periods import Period, Unit
from portal.schedules.deadlines import (
    Delivery,
    Rules,
    State,
    due_date,
    first_period,
    implied_period,
    liveness,
    on_time_rate,
    schedule,
    state_of,
)

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
GRACE = {Unit.DAY: 1, Unit.WEEK: 3, Unit.MONTH: 15, Unit.QUARTER: 30, Unit.HALF: 45,
         Unit.YEAR: 90}


def at(day: date, hour: int = 10) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, tzinfo=HANOI)


def rules(unit: Unit, published: date | None = None) -> Rules:
    return Rules(unit=unit, grace_days=GRACE[unit], soon_days=7, zone=HANOI,
                 obliged_from=published)


def delivery(name: str, periods: list[str], day: date, hour: int = 10) -> Delivery:
    return Delivery(name, tuple(Period.parse(text) for text in periods), at(day, hour))


@pytest.mark.parametrize(("period", "grace", "due"), [
    ("2025", 90, date(2026, 3, 31)),         # the examples
    ("2026-03", 15, date(2026, 4, 15)),
    ("2026-Q1", 30, date(2026, 4, 30)),
    ("2024-02", 15, date(2024, 3, 15)),      # leap February ends on the 29th
    ("2025-02", 15, date(2025, 3, 15)),
    ("2024-01", 15, date(2024, 2, 15)),
    ("2024-12", 15, date(2025, 1, 15)),      # across the year end
    ("2026-Q4", 30, date(2027, 1, 30)),
    ("2023", 90, date(2024, 3, 30)),         # 2024 is a leap year: 90 days end on 30 March
    ("2026-H1", 45, date(2026, 8, 14)),
    ("2026-W53", 3, date(2027, 1, 6)),
    ("2024-02-29", 1, date(2024, 3, 1)),
])
def test_due_date_is_the_grace_after_the_period_ends(period: str, grace: int, due: date) -> None:
    assert due_date(Period.parse(period), grace) == due


def test_the_due_date_itself_is_still_on_time() -> None:
    due = date(2026, 4, 15)
    assert state_of(due, date(2026, 4, 15), date(2026, 5, 1), 7) == (State.ON_TIME, 0)
    assert state_of(due, date(2026, 4, 16), date(2026, 5, 1), 7) == (State.LATE, 1)


@pytest.mark.parametrize(("today", "expected"), [
    (date(2026, 4, 1), (State.NOT_DUE, 0)),
    (date(2026, 4, 7), (State.NOT_DUE, 0)),
    (date(2026, 4, 8), (State.DUE_SOON, 0)),   # 7 days before
    (date(2026, 4, 15), (State.DUE_SOON, 0)),  # the due date
    (date(2026, 4, 16), (State.MISSING, 1)),
    (date(2026, 5, 15), (State.MISSING, 30)),
])
def test_an_undelivered_month_as_the_clock_moves(today: date, expected: tuple[State, int]) -> None:
    assert state_of(date(2026, 4, 15), None, today, 7) == expected


def test_a_delivery_after_today_has_not_happened_yet() -> None:
    assert state_of(date(2026, 4, 15), date(2026, 4, 20), date(2026, 4, 18), 7) == (
        State.MISSING, 3)


def test_data_delivered_at_publication_is_on_time_for_periods_due_before() -> None:
    published = date(2026, 3, 1)
    assert state_of(date(2025, 2, 15), published, date(2026, 4, 1), 7, published) == (
        State.ON_TIME, 0)
    assert state_of(date(2025, 2, 15), date(2026, 3, 4), date(2026, 4, 1), 7, published) == (
        State.LATE, 3)


def test_a_late_upload_covering_three_missed_months() -> None:
    deliveries = [
        delivery("jan", ["2026-01"], date(2026, 2, 10)),
        delivery("feb-apr", ["2026-02", "2026-03", "2026-04"], date(2026, 5, 10)),
    ]
    statuses = schedule(rules(Unit.MONTH), Period.parse("2026-01"), deliveries, date(2026, 5, 20))
    shown = {str(s.period): (s.state, s.days_late, s.fulfilled_by) for s in statuses}
    assert shown == {
        "2026-01": (State.ON_TIME, 0, ("jan",)),
        "2026-02": (State.LATE, 56, ("feb-apr",)),  # due 15 March
        "2026-03": (State.LATE, 25, ("feb-apr",)),  # due 15 April
        "2026-04": (State.ON_TIME, 0, ("feb-apr",)),  # due 15 May... delivered 10 May
        "2026-05": (State.NOT_DUE, 0, ()),
    }


def test_a_year_of_data_covers_each_month_of_a_monthly_dataset() -> None:
    statuses = schedule(rules(Unit.MONTH), Period.parse("2025-11"),
                        [delivery("y", ["2025"], date(2026, 1, 10))], date(2026, 1, 20))
    assert [(str(s.period), s.state) for s in statuses] == [
        ("2025-11", State.LATE), ("2025-12", State.ON_TIME), ("2026-01", State.NOT_DUE)]


def test_a_day_is_the_day_in_the_portals_time_zone() -> None:
    """23:30 on the due date in Hanoi is 16:30 UTC the same day; 00:30 the next day is 17:30
    UTC of the due date: that one is late."""
    on_due = Delivery("a", (Period.parse("2026-03"),),
                      datetime.datetime(2026, 4, 15, 16, 30, tzinfo=datetime.UTC))
    after = Delivery("b", (Period.parse("2026-03"),),
                     datetime.datetime(2026, 4, 15, 17, 30, tzinfo=datetime.UTC))
    for item, state in ((on_due, State.ON_TIME), (after, State.LATE)):
        [status, _april] = schedule(rules(Unit.MONTH), Period.parse("2026-03"), [item],
                                    date(2026, 4, 20))
        assert status.state == state


def test_without_declared_periods_a_delivery_counts_for_the_period_just_ended() -> None:
    assert implied_period(Unit.YEAR, date(2026, 3, 10)) == Period.parse("2025")
    assert implied_period(Unit.MONTH, date(2026, 1, 3)) == Period.parse("2025-12")
    statuses = schedule(rules(Unit.QUARTER), Period.parse("2026-Q1"),
                        [delivery("r", [], date(2026, 4, 20))], date(2026, 5, 5))
    assert [(str(s.period), s.state) for s in statuses] == [
        ("2026-Q1", State.ON_TIME), ("2026-Q2", State.NOT_DUE)]


def test_an_earlier_recorded_delivery_stays_when_the_file_is_replaced() -> None:
    replaced = delivery("r", ["2026-03"], date(2026, 5, 1))
    earlier = {"2026-03": at(date(2026, 4, 10))}
    [march, *_rest] = schedule(rules(Unit.MONTH), Period.parse("2026-03"), [replaced],
                               date(2026, 5, 2), earlier)
    assert (march.state, march.delivered_at) == (State.ON_TIME, at(date(2026, 4, 10)))
    [uncovered, *_rest] = schedule(rules(Unit.MONTH), Period.parse("2026-03"), [],
                                   date(2026, 5, 2), earlier)
    assert uncovered.state == State.MISSING


def test_first_period_chosen_then_declared_then_publication() -> None:
    deliveries = [delivery("r", ["2025-06", "2025-Q3"], date(2025, 10, 1))]
    assert first_period(Unit.MONTH, deliveries, date(2026, 1, 5)) == Period.parse("2025-06")
    assert first_period(Unit.QUARTER, deliveries, None) == Period.parse("2025-Q2")
    assert first_period(Unit.MONTH, [], date(2026, 1, 5)) == Period.parse("2026-01")
    assert first_period(Unit.MONTH, deliveries, None,
                        Period.parse("2026-02-14")) == Period.parse("2026-02")
    assert first_period(Unit.MONTH, [], None) is None


@pytest.mark.parametrize(("today", "state", "days_late", "next_due"), [
    (date(2026, 4, 10), State.ON_TIME, 0, date(2026, 4, 15)),   # February was on time
    (date(2026, 4, 16), State.MISSING, 1, date(2026, 5, 15)),   # March is overdue
    (date(2026, 4, 26), State.MISSING, 11, date(2026, 5, 15)),
])
def test_liveness_is_the_latest_due_periods_state(today: date, state: State, days_late: int,
                                                  next_due: date) -> None:
    deliveries = [delivery("feb", ["2026-02"], date(2026, 3, 10))]
    statuses = schedule(rules(Unit.MONTH), Period.parse("2026-02"), deliveries, today)
    summary = liveness(statuses, today, 15)
    assert summary is not None
    assert (summary.state, summary.days_late, summary.next_due) == (state, days_late, next_due)


def test_liveness_of_a_new_dataset_is_its_first_periods_state() -> None:
    today = date(2026, 3, 10)
    statuses = schedule(rules(Unit.YEAR, today), Period.parse("2026"), [], today)
    summary = liveness(statuses, today, 90)
    assert summary is not None
    assert (summary.state, summary.next_due, str(summary.next_period)) == (
        State.NOT_DUE, date(2027, 3, 31), "2026")


def test_next_due_skips_periods_delivered_early() -> None:
    today = date(2026, 4, 5)
    deliveries = [delivery("mar", ["2026-03"], date(2026, 4, 2)),
                  delivery("apr", ["2026-04"], date(2026, 4, 3))]
    statuses = schedule(rules(Unit.MONTH), Period.parse("2026-03"), deliveries, today)
    summary = liveness(statuses, today, 15)
    assert summary is not None
    assert (summary.state, summary.next_due, str(summary.next_period)) == (
        State.ON_TIME, date(2026, 6, 15), "2026-05")


def test_weekly_schedule_through_week_53() -> None:
    today = date(2027, 1, 8)
    statuses = schedule(rules(Unit.WEEK), Period.parse("2026-W52"), [], today)
    assert [(str(s.period), s.due, s.state) for s in statuses] == [
        ("2026-W52", date(2026, 12, 30), State.MISSING),
        ("2026-W53", date(2027, 1, 6), State.MISSING),
        ("2027-W01", date(2027, 1, 13), State.DUE_SOON),
    ]


def test_daily_schedule_has_a_period_per_day_through_a_leap_day() -> None:
    statuses = schedule(rules(Unit.DAY), Period.parse("2024-02-27"),
                        [delivery("d", ["2024-02-28", "2024-02-29"], date(2024, 3, 1))],
                        date(2024, 3, 1))
    assert [(str(s.period), s.state) for s in statuses] == [
        ("2024-02-27", State.MISSING), ("2024-02-28", State.LATE),
        ("2024-02-29", State.ON_TIME), ("2024-03-01", State.DUE_SOON)]


def test_on_time_rate_counts_missing_periods_against() -> None:
    assert on_time_rate([State.ON_TIME, State.LATE, State.MISSING, State.NOT_DUE]) == 1 / 3
    assert on_time_rate([State.NOT_DUE, State.DUE_SOON]) is None
