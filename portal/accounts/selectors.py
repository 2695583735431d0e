"""Reads of accounts for the account pages. Who may read them is the views' question."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.accounts.models import User
from portal.agencies.models import Agency


@dataclass(frozen=True)
class AccountFilter:
    q: str = ""  # words in the username, name or e-mail, each somewhere
    role: str = ""
    agency: Agency | None = None
    active: bool | None = None


def with_two_factor(users: QuerySet[User]) -> QuerySet[User]:
    """Each account with `has_two_factor`: a confirmed authenticator."""
    confirmed = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
    return users.annotate(has_two_factor=Exists(confirmed))


def accounts(found: AccountFilter) -> QuerySet[User]:
    """Every staff account matching the filter, active ones first, then by username."""
    users = User.objects.select_related("agency")
    for word in found.q.split():
        users = users.filter(Q(username__icontains=word) | Q(first_name__icontains=word)
                             | Q(last_name__icontains=word) | Q(email__icontains=word))
    if found.role:
        users = users.filter(role=found.role)
    if found.agency is not None:
        users = users.filter(agency=found.agency)
    if found.active is not None:
        users = users.filter(is_active=found.active)
    return with_two_factor(users).order_by("-is_active", "username")


def get_account(username: str) -> User | None:
    return with_two_factor(User.objects.select_related("agency")).filter(
        username=username).first()
