"""Reads of notifications: a person's inbox, and every message for the supervisors."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from portal.accounts.models import User
from portal.notifications.models import Notification


def inbox(user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user)


def unread_count(user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def get_own(user: User, pk: int) -> Notification | None:
    return Notification.objects.filter(recipient=user, pk=pk).first()


@dataclass(frozen=True)
class SentFilter:
    """What the supervisor's list of every message sent is narrowed to."""

    kind: str = ""
    agency: str = ""  # agency slug of the recipient
    q: str = ""  # in the subject or the recipient's username


def sent(query: SentFilter) -> QuerySet[Notification]:
    """Every message sent, with its recipient and the recipient's agency, newest first."""
    found = Notification.objects.select_related("recipient", "recipient__agency")
    if query.kind:
        found = found.filter(kind=query.kind)
    if query.agency:
        found = found.filter(recipient__agency__slug=query.agency)
    if query.q:
        found = found.filter(Q(subject__icontains=query.q)
                             | Q(recipient__username__icontains=query.q))
    return found


def kinds() -> list[str]:
    return list(Notification.objects.order_by("kind").values_list("kind", flat=True).distinct())
