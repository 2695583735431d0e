"""Reads of the schedules, for pages, both APIs and the compliance views.

Every function takes objects or querysets the caller already filtered through
`catalog.selectors` (the visibility rule), and costs a fixed number of queries whatever the
number of datasets. States that depend on the day (due soon, overdue) are computed for `today`
from the stored due dates and delivery times, so they are right even before the daily refresh.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from portal.agencies.models import Agency
from portal.catalog.models import Dataset, Status
from portal.lib.periods import Period, PeriodError
from portal.schedules import deadlines
from portal.schedules.deadlines import State
from portal.schedules.models import DeadlinePolicy, DuePeriod, Liveness
from portal.schedules.services import local_today, soon_days


def policies() -> list[DeadlinePolicy]:
    return list(DeadlinePolicy.objects.all())


def policy_for(frequency: str) -> DeadlinePolicy | None:
    return DeadlinePolicy.objects.filter(frequency=frequency).first()


# One dataset -------------------------------------------------------------------------------


@dataclass(frozen=True)
class DatasetSchedule:
    """A dataset's schedule on a day: what the API's /schedule and the dataset page show."""

    frequency: str
    policy: DeadlinePolicy | None
    periods: list[deadlines.PeriodStatus]  # oldest first
    liveness: deadlines.Liveness | None  # None: the dataset owes no periodic updates


def _status(row: DuePeriod, today: datetime.date,
            obliged_from: datetime.date | None) -> deadlines.PeriodStatus:
    delivered_on = timezone.localdate(row.delivered_at) if row.delivered_at else None
    state, days_late = deadlines.state_of(row.due, delivered_on, today, soon_days(),
                                          obliged_from)
    return deadlines.PeriodStatus(
        period=Period.parse(row.period), due=row.due, state=state, days_late=days_late,
        delivered_at=row.delivered_at if delivered_on and delivered_on <= today else None,
        fulfilled_by=tuple(row.fulfilled_by) if state in deadlines.DELIVERED else ())


def period_statuses(rows: Iterable[DuePeriod], today: datetime.date | None = None,
                    ) -> list[deadlines.PeriodStatus]:
    """Stored periods with their state on `today`; the rows' datasets must be loaded."""
    day = today or local_today()
    found = []
    for row in rows:
        published = row.dataset.published
        try:
            found.append(_status(row, day, timezone.localdate(published) if published else None))
        except PeriodError:
            continue
    return found


def dataset_schedule(dataset: Dataset, today: datetime.date | None = None) -> DatasetSchedule:
    """Two queries: the policy and the periods."""
    day = today or local_today()
    policy = policy_for(dataset.frequency)
    if policy is None or dataset.status != Status.PUBLISHED:
        return DatasetSchedule(dataset.frequency, policy, [], None)
    rows = list(DuePeriod.objects.filter(dataset=dataset).order_by("start"))
    for row in rows:
        row.dataset = dataset
    statuses = period_statuses(rows, day)
    return DatasetSchedule(dataset.frequency, policy, statuses,
                           deadlines.liveness(statuses, day, policy.grace_days))


# Many datasets -----------------------------------------------------------------------------


def liveness_of(datasets: Iterable[Dataset]) -> dict[uuid.UUID, Liveness]:
    """The stored liveness of each dataset that owes periodic updates, in one query."""
    ids = [dataset.pk for dataset in datasets]
    return {row.dataset_id: row for row in Liveness.objects.filter(dataset_id__in=ids)}


def liveness_counts(datasets: QuerySet[Dataset]) -> dict[str, int]:
    """How many of `datasets` are in each liveness state (one query)."""
    rows = (Liveness.objects.filter(dataset__in=datasets.values("pk"))
            .values("state").annotate(count=Count("pk")).order_by())
    return {row["state"]: row["count"] for row in rows}


def with_liveness(datasets: QuerySet[Dataset], states: Iterable[str]) -> QuerySet[Dataset]:
    """`datasets` whose liveness is one of `states`."""
    return datasets.filter(liveness__state__in=list(states))


# Agencies ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Timeliness:
    """An agency's (or any group's) periods that have come due, by outcome."""

    on_time: int = 0
    late: int = 0
    missing: int = 0

    @property
    def due(self) -> int:
        return self.on_time + self.late + self.missing

    @property
    def rate(self) -> float | None:
        """The share of due periods delivered on time; None when none has come due."""
        return self.on_time / self.due if self.due else None


def _came_due(today: datetime.date) -> Q:
    return Q(due__lt=today) | Q(delivered_at__isnull=False)


def timeliness_by_agency(agencies: Iterable[Agency], today: datetime.date | None = None,
                         ) -> dict[int, Timeliness]:
    """The on-time record of each agency's published datasets, in one query. A period counts
    once it is due or delivered; a delivered one by its stored state (on time or late)."""
    day = today or local_today()
    ids = [agency.pk for agency in agencies]
    rows = (DuePeriod.objects.filter(dataset__agency_id__in=ids,
                                     dataset__status=Status.PUBLISHED)
            .filter(_came_due(day)).values("dataset__agency_id")
            .annotate(on_time=Count("pk", filter=Q(delivered_at__isnull=False,
                                                   state=State.ON_TIME)),
                      late=Count("pk", filter=Q(delivered_at__isnull=False, state=State.LATE)),
                      missing=Count("pk", filter=Q(delivered_at__isnull=True)))
            .order_by())
    return {row["dataset__agency_id"]: Timeliness(row["on_time"], row["late"], row["missing"])
            for row in rows}


def agency_timeliness(agency: Agency, today: datetime.date | None = None) -> Timeliness:
    return timeliness_by_agency([agency], today).get(agency.pk, Timeliness())


def overdue_periods(datasets: QuerySet[Dataset], today: datetime.date | None = None,
                    ) -> QuerySet[DuePeriod]:
    """Periods of `datasets` past their due date with nothing delivered, oldest due first,
    with their dataset and its agency loaded."""
    day = today or local_today()
    return (DuePeriod.objects.filter(dataset__in=datasets.values("pk"),
                                     dataset__status=Status.PUBLISHED,
                                     due__lt=day, delivered_at__isnull=True)
            .select_related("dataset", "dataset__agency").order_by("due", "dataset__title"))


def upcoming_periods(datasets: QuerySet[Dataset], today: datetime.date | None = None,
                     within_days: int | None = None) -> QuerySet[DuePeriod]:
    """Periods of `datasets` not yet delivered whose due date is today or within
    `within_days` (default: the reminder window), soonest first."""
    day = today or local_today()
    window = soon_days() if within_days is None else within_days
    return (DuePeriod.objects.filter(dataset__in=datasets.values("pk"),
                                     dataset__status=Status.PUBLISHED,
                                     due__gte=day, due__lte=day + datetime.timedelta(days=window),
                                     delivered_at__isnull=True)
            .select_related("dataset", "dataset__agency").order_by("due", "dataset__title"))


def agency_datasets(agency: Agency) -> QuerySet[Dataset]:
    """An agency's published datasets (every one may owe periods)."""
    return Dataset.objects.filter(agency=agency, status=Status.PUBLISHED)
