"""Who must log in with a second factor (`permissions.must_use_two_factor`)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from portal.accounts.models import Role
from portal.accounts.permissions import must_use_two_factor
from portal.agencies.models import Agency
from portal.lib import factories


@pytest.mark.parametrize(("role", "agency_requires", "expected"), [
    (Role.SYSADMIN, False, True),
    (Role.SUPERVISOR, False, True),
    (Role.ADMIN, False, False),
    (Role.EDITOR, False, False),
    (Role.MEMBER, False, False),
    (Role.ADMIN, True, True),
    (Role.EDITOR, True, True),
    (Role.MEMBER, True, True),
])
def test_two_factor_is_required_for_sysadmins_supervisors_and_agencies_that_ask(
        agency: Agency, role: Role, agency_requires: bool, expected: bool) -> None:
    agency.require_two_factor = agency_requires
    agency.save()
    in_agency = role not in (Role.SYSADMIN, Role.SUPERVISOR)
    user = factories.make_user(role=role, agency=agency if in_agency else None)
    assert must_use_two_factor(user) is expected


def test_anonymous_and_deactivated_accounts_need_no_second_factor(db: None) -> None:
    assert must_use_two_factor(AnonymousUser()) is False
    user = factories.make_user(role=Role.SYSADMIN, is_active=False)
    assert must_use_two_factor(user) is False
