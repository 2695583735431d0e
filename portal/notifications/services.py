"""Sending notifications: each once per account and key, e-mailed at most once.

`notify` writes the rows inside the caller's transaction; the e-mails go after it commits.
Each is claimed (its `emailed_at` set) before it is sent, so a second sender, or a run after a
crash midway, never sends it again: a message may go unsent (the inbox still has it), never
twice.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from portal.accounts.mail import deliver, in_portal_language
from portal.accounts.models import User
from portal.notifications.models import Notification
from portal.pages.context import portal_name

logger = logging.getLogger(__name__)


def notify(recipients: Iterable[User], *, key: str, kind: str, subject: str, body: str,
           link: str = "") -> list[Notification]:
    """A notification for each active recipient that has not had `key`; returns the new ones.
    `subject` and `body` are already in the portal's language; `link` is a path."""
    created = []
    for user in {user.pk: user for user in recipients if user.is_active}.values():
        notification, new = Notification.objects.get_or_create(
            recipient=user, key=key[:200],
            defaults={"kind": kind, "subject": subject[:300], "body": body, "link": link[:500]})
        if new:
            created.append(notification)
    ids = [notification.pk for notification in created]
    if ids:
        transaction.on_commit(lambda: email_notifications(ids))
    return created


def email_notifications(ids: list[int]) -> int:
    """E-mail each notification not e-mailed yet to its recipient; returns how many went."""
    sent = 0
    for notification in Notification.objects.filter(pk__in=ids).select_related("recipient"):
        if notification.recipient.email and _claim(notification):
            sent += _send(notification)
    return sent


def _claim(notification: Notification) -> bool:
    now = timezone.now()
    claimed = Notification.objects.filter(pk=notification.pk, emailed_at__isnull=True).update(
        emailed_at=now)
    notification.emailed_at = now
    return bool(claimed)


def _send(notification: Notification) -> int:
    with in_portal_language():
        text = render_to_string("notifications/mail.txt", {
            "notification": notification, "portal_name": portal_name(),
            "link": absolute(notification.link)})
    if deliver([notification.recipient.email], notification.subject, text,
               reason=f"Notification {notification.key} to {notification.recipient.username}"):
        return 1
    # Not sent: the inbox shows it was not e-mailed. Never retried, so never sent twice.
    Notification.objects.filter(pk=notification.pk).update(emailed_at=None)
    notification.emailed_at = None
    return 0


def absolute(link: str) -> str:
    """A path as an address to follow from an e-mail (SITE_URL), else the path itself."""
    if not link or link.startswith(("http://", "https://")):
        return link
    return f"{settings.SITE_URL}{link}"


def mark_read(*, user: User, ids: Iterable[int] | None = None) -> int:
    """Mark the user's own notifications read (all of them when `ids` is None)."""
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=list(ids))
    return unread.update(read_at=timezone.now())
