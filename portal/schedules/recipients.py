"""Who is told about an agency's deadlines: its focal point and its editors and administrators;
who is told when a period stays overdue: the supervising department's accounts (article 12.3)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q

from portal.accounts.models import Role, User
from portal.agencies.models import Agency


def agency_recipients(agencies: Iterable[Agency]) -> dict[int, list[User]]:
    """For each agency, in one query: its focal point's account (first) and its active editors
    and administrators."""
    agencies = list(agencies)
    ids = [agency.pk for agency in agencies]
    focal = {agency.focal_user_id for agency in agencies if agency.focal_user_id}
    users = list(User.objects.filter(is_active=True).filter(
        Q(agency_id__in=ids, role__in=[Role.ADMIN, Role.EDITOR]) | Q(pk__in=focal))
        .order_by("username"))
    by_id = {user.pk: user for user in users}
    found: dict[int, list[User]] = {}
    for agency in agencies:
        first = [by_id[agency.focal_user_id]] if agency.focal_user_id in by_id else []
        rest = [user for user in users if user.agency_id == agency.pk
                and user.role in (Role.ADMIN, Role.EDITOR) and user not in first]
        found[agency.pk] = first + rest
    return found


def supervisors() -> list[User]:
    """The supervising department's active accounts: supervisors, and the accounts of the
    agencies marked as the supervising department."""
    return list(User.objects.filter(is_active=True).filter(
        Q(role=Role.SUPERVISOR) | Q(agency__is_supervisor=True)).order_by("username"))
