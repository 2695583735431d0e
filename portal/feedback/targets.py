"""Response and resolution targets: when a thread should be answered and closed, and whether it
is late. The numbers of days are settings (FEEDBACK_RESPONSE_DAYS, FEEDBACK_RESOLUTION_DAYS;
docs/configuration.md cites their sources), counted from the thread's arrival."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from portal.feedback.models import OPEN_STATES, WAITING_STATES, Thread


def response_days() -> timedelta:
    return timedelta(days=settings.FEEDBACK_RESPONSE_DAYS)


def resolution_days() -> timedelta:
    return timedelta(days=settings.FEEDBACK_RESOLUTION_DAYS)


@dataclass(frozen=True)
class Targets:
    response_due: datetime
    resolution_due: datetime
    response_overdue: bool  # not answered yet, and past its response target
    resolution_overdue: bool  # still open, and past its resolution target

    @property
    def overdue(self) -> bool:
        return self.response_overdue or self.resolution_overdue


def targets_of(thread: Thread, now: datetime | None = None) -> Targets:
    moment = now or timezone.now()
    response_due = thread.created + response_days()
    resolution_due = thread.created + resolution_days()
    return Targets(
        response_due=response_due, resolution_due=resolution_due,
        response_overdue=thread.state in WAITING_STATES and moment > response_due,
        resolution_overdue=thread.state in OPEN_STATES and moment > resolution_due)


def response_overdue_q(now: datetime | None = None) -> Q:
    moment = now or timezone.now()
    return Q(state__in=WAITING_STATES, created__lt=moment - response_days())


def resolution_overdue_q(now: datetime | None = None) -> Q:
    moment = now or timezone.now()
    return Q(state__in=OPEN_STATES, created__lt=moment - resolution_days())


def overdue_q(now: datetime | None = None) -> Q:
    return response_overdue_q(now) | resolution_overdue_q(now)
