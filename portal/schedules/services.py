"""Writes of the schedules: each dataset's due periods and liveness, recomputed from the catalogue.

`schedule_refresh` runs when the catalogue says a dataset or resource changed (receivers.py),
every local day (tasks.py), and after a deadline policy changes. It reads datasets in chunks,
with a fixed number of queries per chunk, and writes only the rows that changed.
"""

from __future__ import annotations

import datetime
import logging
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.accounts.permissions import Action, can
from portal.audit import services as audit
from portal.catalog.models import Dataset, Resource, Status
from portal.lib.errors import ApplicationError, PermissionDenied
from portal.lib.periods import Period, PeriodError, unit_of
from portal.schedules import deadlines
from portal.schedules.models import DeadlinePolicy, DuePeriod, Liveness, ScheduleStart

if TYPE_CHECKING:
    from portal.accounts.permissions import Actor

logger = logging.getLogger(__name__)
CHUNK = 200
DUE_FIELDS = ["start", "due", "state", "days_late", "delivered_at", "fulfilled_by"]
LIVENESS_FIELDS = ["state", "period", "days_late", "next_due", "next_period", "as_of"]


def local_today() -> datetime.date:
    return timezone.localdate()


def soon_days() -> int:
    """The window in which an undelivered period shows as due soon: the first reminder's."""
    return max(settings.SCHEDULE_REMINDER_DAYS, default=0)


def grace_days_by_frequency() -> dict[str, int]:
    return dict(DeadlinePolicy.objects.values_list("frequency", "grace_days"))


def rules_for(dataset: Dataset, grace_days: int) -> deadlines.Rules | None:
    unit = unit_of(dataset.frequency)
    if unit is None:
        return None
    published = timezone.localdate(dataset.published) if dataset.published else None
    return deadlines.Rules(unit=unit, grace_days=grace_days, soon_days=soon_days(),
                           zone=timezone.get_default_timezone(), obliged_from=published)


def parse_periods(texts: Iterable[Any]) -> tuple[Period, ...]:
    """The valid periods among stored texts (rows older than the grammar may hold others)."""
    found = []
    for text in texts:
        try:
            found.append(Period.parse(str(text)))
        except PeriodError:
            continue
    return tuple(found)


# Refresh -----------------------------------------------------------------------------------


@dataclass
class _Chunk:
    """What one chunk of datasets' schedules is computed from, read in four queries."""

    deliveries: dict[uuid.UUID, list[deadlines.Delivery]]
    existing: dict[uuid.UUID, dict[str, DuePeriod]]
    starts: dict[uuid.UUID, str]


def _read_chunk(ids: list[uuid.UUID], excluded: set[uuid.UUID]) -> _Chunk:
    deliveries: dict[uuid.UUID, list[deadlines.Delivery]] = {pk: [] for pk in ids}
    rows = Resource.objects.filter(dataset_id__in=ids).exclude(pk__in=excluded).values_list(
        "dataset_id", "pk", "periods", "delivered", "created")
    for dataset_id, pk, periods, delivered, created in rows:
        deliveries[dataset_id].append(deadlines.Delivery(
            str(pk), parse_periods(periods or []), delivered or created))
    existing: dict[uuid.UUID, dict[str, DuePeriod]] = {pk: {} for pk in ids}
    for row in DuePeriod.objects.filter(dataset_id__in=ids):
        existing[row.dataset_id][row.period] = row
    starts = dict(ScheduleStart.objects.filter(dataset_id__in=ids).values_list(
        "dataset_id", "first_period"))
    return _Chunk(deliveries, existing, starts)


def _statuses(dataset: Dataset, rules: deadlines.Rules, chunk: _Chunk,
              today: datetime.date) -> list[deadlines.PeriodStatus]:
    deliveries = chunk.deliveries[dataset.pk]
    chosen = parse_periods([chunk.starts[dataset.pk]]) if dataset.pk in chunk.starts else ()
    published = rules.obliged_from
    first = deadlines.first_period(rules.unit, deliveries, published,
                                   chosen[0] if chosen else None)
    if first is None:
        return []
    earlier = {period: row.delivered_at for period, row in chunk.existing[dataset.pk].items()
               if row.delivered_at is not None}
    return deadlines.schedule(rules, first, deliveries, today, earlier)


@dataclass
class _Writes:
    create: list[DuePeriod]
    update: list[DuePeriod]
    delete: list[int]
    liveness: list[Liveness]
    no_liveness: list[uuid.UUID]


def _row_values(status: deadlines.PeriodStatus) -> dict[str, Any]:
    return {"start": status.period.start, "due": status.due, "state": str(status.state),
            "days_late": status.days_late, "delivered_at": status.delivered_at,
            "fulfilled_by": list(status.fulfilled_by)}


def _plan_dataset(dataset: Dataset, statuses: list[deadlines.PeriodStatus], chunk: _Chunk,
                  writes: _Writes, today: datetime.date, grace_days: int) -> None:
    existing = chunk.existing[dataset.pk]
    for status in statuses:
        values = _row_values(status)
        row = existing.pop(str(status.period), None)
        if row is None:
            writes.create.append(DuePeriod(dataset_id=dataset.pk, period=str(status.period),
                                           **values))
        elif any(getattr(row, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(row, name, value)
            writes.update.append(row)
    writes.delete += [row.pk for row in existing.values()]
    summary = deadlines.liveness(statuses, today, grace_days)
    if summary is None:
        writes.no_liveness.append(dataset.pk)
        return
    writes.liveness.append(Liveness(
        dataset_id=dataset.pk, state=str(summary.state), period=str(summary.period or ""),
        days_late=summary.days_late, next_due=summary.next_due,
        next_period=str(summary.next_period or ""), as_of=today))


def _refresh_chunk(datasets: list[Dataset], grace: dict[str, int], today: datetime.date,
                   excluded: set[uuid.UUID]) -> None:
    chunk = _read_chunk([dataset.pk for dataset in datasets], excluded)
    writes = _Writes([], [], [], [], [])
    for dataset in datasets:
        rules = None
        if dataset.status == Status.PUBLISHED and dataset.frequency in grace:
            rules = rules_for(dataset, grace[dataset.frequency])
        statuses = _statuses(dataset, rules, chunk, today) if rules else []
        _plan_dataset(dataset, statuses, chunk, writes, today, rules.grace_days if rules else 0)
    _write(writes)


def _write(writes: _Writes) -> None:
    if writes.delete:
        DuePeriod.objects.filter(pk__in=writes.delete).delete()
    DuePeriod.objects.bulk_create(writes.create, batch_size=500)
    DuePeriod.objects.bulk_update(writes.update, DUE_FIELDS, batch_size=500)
    if writes.no_liveness:
        Liveness.objects.filter(dataset_id__in=writes.no_liveness).delete()
    Liveness.objects.bulk_create(writes.liveness, batch_size=500, update_conflicts=True,
                                 unique_fields=["dataset"], update_fields=LIVENESS_FIELDS)


def _chunks(datasets: Iterable[Dataset]) -> Iterator[list[Dataset]]:
    iterator = iter(datasets)
    while chunk := list(islice(iterator, CHUNK)):
        yield chunk


def schedule_refresh(datasets: QuerySet[Dataset] | Iterable[Dataset], *,
                     today: datetime.date | None = None,
                     excluded_resources: Iterable[uuid.UUID] = ()) -> int:
    """Recompute the due periods and liveness of `datasets` as of `today` (local). Returns the
    number of datasets. `excluded_resources` are about to be deleted."""
    day = today or local_today()
    grace, excluded = grace_days_by_frequency(), set(excluded_resources)
    if isinstance(datasets, QuerySet):
        datasets = datasets.only("pk", "frequency", "status", "published").order_by("pk")
        datasets = datasets.iterator(chunk_size=CHUNK)
    count = 0
    for chunk in _chunks(datasets):
        with transaction.atomic():
            _refresh_chunk(chunk, grace, day, excluded)
        count += len(chunk)
    return count


def dataset_schedule_refresh(dataset: Dataset, *,
                             excluded_resources: Iterable[uuid.UUID] = ()) -> None:
    schedule_refresh([dataset], excluded_resources=excluded_resources)


def refresh_all(today: datetime.date | None = None) -> int:
    """Every dataset's schedule; those that owe none lose their rows."""
    owing = Dataset.objects.all()
    return schedule_refresh(owing, today=today)


# The first period ---------------------------------------------------------------------------


@transaction.atomic
def schedule_start_set(*, user: Actor, dataset: Dataset, first_period: str) -> None:
    """The agency chooses the first period its dataset owes ("" to derive it again)."""
    if not can(user, Action.EDIT_DATASET, dataset):
        raise PermissionDenied(_("You do not have permission to do this."))
    text = first_period.strip()
    before = ScheduleStart.objects.filter(dataset=dataset).values_list(
        "first_period", flat=True).first() or ""
    if not text:
        ScheduleStart.objects.filter(dataset=dataset).delete()
    else:
        try:
            period = Period.parse(text)
        except PeriodError:
            raise ApplicationError(_("The first period could not be saved."), {"first_period": [
                _("Write the period as 2026-03-05, 2026-W10, 2026-03, 2026-Q1, 2026-H1 or "
                  "2026.")]}) from None
        ScheduleStart.objects.update_or_create(dataset=dataset, defaults={
            "first_period": str(period), "set_by": user if user.is_authenticated else None})
    audit.record(actor=user, action="schedule.first_period", target=dataset,
                 before={"first_period": before}, after={"first_period": text})
    dataset_schedule_refresh(dataset)
