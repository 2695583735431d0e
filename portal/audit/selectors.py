"""Reads of the audit trail: filtered lists for the page and the export, and the chain check."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.audit.models import GENESIS_HASH, AuditEntry


@dataclass(frozen=True)
class AuditFilter:
    actor: str = ""
    action: str = ""
    target: str = ""
    door: str = ""
    since: date | None = None
    until: date | None = None


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def entries(query: AuditFilter) -> QuerySet[AuditEntry]:
    """Entries matching every filter given, newest first. Dates are whole local days."""
    rows = AuditEntry.objects.order_by("-sequence")
    if query.actor:
        rows = rows.filter(actor_username__icontains=query.actor)
    if query.action:
        rows = rows.filter(action__istartswith=query.action)
    if query.target:
        rows = rows.filter(Q(target_label__icontains=query.target)
                           | Q(target_id=query.target) | Q(target_type=query.target.lower()))
    if query.door:
        rows = rows.filter(door=query.door)
    if query.since:
        rows = rows.filter(created__gte=_day_start(query.since))
    if query.until:
        rows = rows.filter(created__lt=_day_start(query.until + timedelta(days=1)))
    return rows


def actions() -> list[str]:
    """The actions recorded so far, for the filter's suggestions."""
    return list(AuditEntry.objects.order_by("action").values_list("action", flat=True).distinct())


@dataclass(frozen=True)
class ChainReport:
    count: int
    broken_at: int | None = None  # sequence number of the first broken entry
    problem: str = ""
    last_hash: str = GENESIS_HASH

    @property
    def intact(self) -> bool:
        return self.broken_at is None


def _problem(entry: AuditEntry, expected_sequence: int, previous_hash: str) -> str:
    if entry.sequence != expected_sequence:
        if entry.sequence > expected_sequence:
            return _("entries %(first)s to %(last)s are missing (deleted)") % {
                "first": expected_sequence, "last": entry.sequence - 1}
        return _("out of order: sequence number %(number)s expected") % {
            "number": expected_sequence}
    if entry.previous_hash != previous_hash:
        return _("does not follow the previous entry (an entry was deleted or inserted)")
    if entry.compute_hash() != entry.hash:
        return _("its content was changed after it was written")
    return ""


def verify_chain(batch_size: int = 2000) -> ChainReport:
    """Walk the chain in order; report the first entry that breaks it."""
    expected_sequence, previous_hash, count = 1, GENESIS_HASH, 0
    for entry in _in_order(batch_size):
        problem = _problem(entry, expected_sequence, previous_hash)
        if problem:
            return ChainReport(count=count, broken_at=entry.sequence, problem=problem,
                               last_hash=previous_hash)
        expected_sequence, previous_hash, count = entry.sequence + 1, entry.hash, count + 1
    return ChainReport(count=count, last_hash=previous_hash)


def _in_order(batch_size: int) -> Iterator[AuditEntry]:
    """Every entry by sequence, in batches (keyset pagination: no server-side cursor needed)."""
    after = -1
    while True:
        batch = list(AuditEntry.objects.filter(sequence__gt=after).order_by("sequence")
                     [:batch_size])
        yield from batch
        if len(batch) < batch_size:
            return
        after = batch[-1].sequence
