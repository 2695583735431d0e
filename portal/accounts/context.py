"""What the navigation needs to link the account pages for those who may use them."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from portal.accounts.models import Role
from portal.accounts.permissions import Action, can, role_of


def staff_links(request: HttpRequest) -> dict[str, Any]:
    """`can_manage_accounts` (sysadmins: every account) and `members_agency` (an agency
    admin's own agency, whose members it manages)."""
    # An error page for a request refused before authentication (a Host header that is not in
    # ALLOWED_HOSTS, refused by CommonMiddleware) has no user: it shows no staff links.
    user = getattr(request, "user", None)
    if user is None or role_of(user) is None:
        return {}
    agency = getattr(user, "agency", None) if role_of(user) == Role.ADMIN else None
    return {"can_manage_accounts": can(user, Action.MANAGE_ACCOUNTS),
            "members_agency": agency if agency is not None
            and can(user, Action.MANAGE_MEMBERS, agency) else None}
