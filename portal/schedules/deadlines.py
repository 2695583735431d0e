"""The rules of update deadlines (article 4.7), as pure functions: no database, no clock.

A dataset with a periodic update frequency owes one delivery per period. Each period is due a
number of days after it ends (the grace, from `DeadlinePolicy`); on any day it is in one state:

    not_due    not delivered, the due date is further than the reminder window
    due_soon   not delivered, due within the reminder window (SCHEDULE_REMINDER_DAYS' largest)
    on_time    delivered on or before the due date
    late       delivered after the due date (`days_late` after it)
    missing    the due date has passed and nothing was delivered (`days_late` days overdue)

The due date itself is still on time ("at the latest 15 days after the month ends").

A delivery is a resource: it covers the periods it declares (a period of the dataset is covered
by a declared period that contains it: the year 2025 covers December 2025). When no resource of
a dataset declares a period, each resource counts for the latest period that had ended when its
data was delivered. A period's delivery is the earliest of the resources covering it, and an
earlier delivery once recorded stays while the period is still covered (replacing a file does
not make an on-time month late). Data delivered before the dataset was published on the portal
is on time for periods due before that day: the duty to publish starts with the dataset.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from portal.lib.periods import Period, Unit, period_in

# A dataset's schedule lists at most this many periods, the latest ones (a daily dataset whose
# first period is decades ago stays cheap).
MAX_PERIODS = 2000


class State(StrEnum):
    NOT_DUE = "not_due"
    DUE_SOON = "due_soon"
    ON_TIME = "on_time"
    LATE = "late"
    MISSING = "missing"


DELIVERED = (State.ON_TIME, State.LATE)


@dataclass(frozen=True)
class Delivery:
    """One resource as the schedule sees it."""

    resource_id: str
    periods: tuple[Period, ...]
    delivered: datetime.datetime  # aware


@dataclass(frozen=True)
class PeriodStatus:
    period: Period
    due: datetime.date
    state: State
    days_late: int  # late: days after the due date; missing: days overdue so far; else 0
    delivered_at: datetime.datetime | None
    fulfilled_by: tuple[str, ...]  # resource ids


@dataclass(frozen=True)
class Liveness:
    """A dataset at a glance: the state of its latest due period, and what comes next."""

    state: State
    period: Period | None  # the period the state is of
    days_late: int
    next_due: datetime.date | None
    next_period: Period | None


@dataclass(frozen=True)
class Rules:
    """What a schedule is computed from, besides the deliveries."""

    unit: Unit
    grace_days: int
    soon_days: int  # the reminder window: due_soon when due within this many days
    zone: datetime.tzinfo  # the day a delivery happened is the day in this time zone
    obliged_from: datetime.date | None = None  # the dataset's publication day


def due_date(period: Period, grace_days: int) -> datetime.date:
    """The last day the period's data may be delivered on: its end plus the grace."""
    return period.end + datetime.timedelta(days=grace_days)


def state_of(due: datetime.date, delivered_on: datetime.date | None, today: datetime.date,
             soon_days: int, obliged_from: datetime.date | None = None) -> tuple[State, int]:
    """A period's state and its days late (or overdue) on `today`. A delivery after `today`
    has not happened yet (the clock was moved back)."""
    if delivered_on is not None and delivered_on <= today:
        allowed = max(due, obliged_from) if obliged_from else due
        if delivered_on <= allowed:
            return State.ON_TIME, 0
        return State.LATE, (delivered_on - allowed).days
    if today > due:
        return State.MISSING, (today - due).days
    if (due - today).days <= soon_days:
        return State.DUE_SOON, 0
    return State.NOT_DUE, 0


def implied_period(unit: Unit, delivered_on: datetime.date) -> Period:
    """The period a delivery that declares none counts for: the latest ended before it."""
    return period_in(unit, delivered_on).previous()


def first_period(unit: Unit, deliveries: Iterable[Delivery],
                 published_on: datetime.date | None, chosen: Period | None = None,
                 ) -> Period | None:
    """Where a schedule starts: the period the agency chose, else the earliest period a
    resource declares, else the period the dataset was published in."""
    if chosen is not None:
        return period_in(unit, chosen.start)
    declared = [period for delivery in deliveries for period in delivery.periods]
    if declared:
        return period_in(unit, min(declared).start)
    return period_in(unit, published_on) if published_on else None


def _covers(delivery: Delivery, period: Period, implied: Period | None) -> bool:
    if implied is not None:
        return implied == period
    return any(declared.contains(period) for declared in delivery.periods)


def schedule(rules: Rules, first: Period, deliveries: Sequence[Delivery], today: datetime.date,
             earlier: Mapping[str, datetime.datetime] | None = None) -> list[PeriodStatus]:
    """Every period from `first` to the one holding `today`, with its state.

    `earlier` maps a period's text to a delivery time recorded before (kept when earlier)."""
    current = period_in(rules.unit, today)
    periods = _periods(first, current)
    declares = any(delivery.periods for delivery in deliveries)
    implied = {delivery.resource_id: None if declares else implied_period(
        rules.unit, _day(delivery.delivered, rules.zone)) for delivery in deliveries}
    statuses = []
    for period in periods:
        covering = [d for d in deliveries if _covers(d, period, implied[d.resource_id])]
        statuses.append(_status(rules, period, covering, today, (earlier or {}).get(str(period))))
    return statuses


def _periods(first: Period, last: Period) -> list[Period]:
    if first > last:
        return []
    periods: list[Period] = [last]
    while len(periods) < MAX_PERIODS and periods[-1] > first:
        periods.append(periods[-1].previous())
    return periods[::-1]


def _day(moment: datetime.datetime, zone: datetime.tzinfo) -> datetime.date:
    return moment.astimezone(zone).date()


def _status(rules: Rules, period: Period, covering: list[Delivery], today: datetime.date,
            earlier: datetime.datetime | None) -> PeriodStatus:
    due = due_date(period, rules.grace_days)
    moments = [delivery.delivered for delivery in covering]
    if covering and earlier is not None:
        moments.append(earlier)
    # Deliveries after `today` have not happened on that day.
    past = [moment for moment in moments if _day(moment, rules.zone) <= today]
    delivered_at = min(past) if past else None
    delivered_on = _day(delivered_at, rules.zone) if delivered_at else None
    state, days_late = state_of(due, delivered_on, today, rules.soon_days, rules.obliged_from)
    fulfilled_by = tuple(delivery.resource_id for delivery in covering
                         if _day(delivery.delivered, rules.zone) <= today)
    return PeriodStatus(period, due, state, days_late, delivered_at, fulfilled_by)


def liveness(statuses: Sequence[PeriodStatus], today: datetime.date, grace_days: int,
             ) -> Liveness | None:
    """The state of the latest period whose due date has passed (before any has, the first
    period's), and the next due date of a period not yet delivered."""
    if not statuses:
        return None
    past = [status for status in statuses if status.due < today]
    shown = past[-1] if past else statuses[0]
    waiting = [status for status in statuses
               if status.due >= today and status.state not in DELIVERED]
    if waiting:
        next_period, next_due = waiting[0].period, waiting[0].due
    else:
        next_period = statuses[-1].period.next()
        next_due = due_date(next_period, grace_days)
    return Liveness(shown.state, shown.period, shown.days_late, next_due, next_period)


def on_time_rate(statuses: Iterable[State]) -> float | None:
    """The share of due periods delivered on time (missing ones count against); None when no
    period has come due."""
    states = [state for state in statuses if state in (*DELIVERED, State.MISSING)]
    if not states:
        return None
    return sum(state == State.ON_TIME for state in states) / len(states)
