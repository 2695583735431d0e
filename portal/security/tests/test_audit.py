"""Changes that protect an account are in the audit trail, made through the pages people use:
enrolling an authenticator, new recovery codes, logging out everywhere, an agency's two-factor
rule, and removing someone's authenticator. Never a code or a secret."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from portal.accounts.models import Role, User
from portal.agencies.models import Agency
from portal.audit.models import AuditEntry, Door
from portal.lib import factories
from portal.lib.errors import PermissionDenied
from portal.security import services
from portal.security.tests.helpers import code_for, enrolled, log_in_with_password


def last(action: str) -> AuditEntry:
    return AuditEntry.objects.filter(action=action).latest("sequence")


def assert_no_secret(entry: AuditEntry, *secrets: str) -> None:
    text = json.dumps([entry.before, entry.after, entry.target_label])
    for secret in secrets:
        assert secret not in text


def test_enrolling_an_authenticator_is_recorded(client: Client, sysadmin: User) -> None:
    log_in_with_password(client, sysadmin)
    device = services.totp_enrolment_device(user=sysadmin)
    response = client.post(reverse("security:enrol"), {"code": code_for(device)})
    codes = response.context["codes"]
    entry = last("user.two_factor_enrol")
    assert (entry.actor, entry.door, entry.target_id) == (sysadmin, Door.PAGE, str(sysadmin.pk))
    assert (entry.before, entry.after) == ({"two_factor": False}, {"two_factor": True})
    assert_no_secret(entry, device.key, *codes)
    # The recovery codes made with the enrolment are part of it, not a second entry.
    assert not AuditEntry.objects.filter(action="user.recovery_codes").exists()


def test_new_recovery_codes_are_recorded_without_the_codes(client: Client,
                                                           sysadmin: User) -> None:
    enrolled(sysadmin)
    client.force_login(sysadmin)  # verified with the authenticator (conftest)
    response = client.post(reverse("security:recovery_codes"))
    assert response.status_code == 200
    entry = last("user.recovery_codes")
    assert (entry.actor, entry.door, entry.after) == (sysadmin, Door.PAGE,
                                                      {"recovery_codes": 10})
    assert_no_secret(entry, *response.context["codes"])


def test_logging_out_everywhere_is_recorded(client: Client, editor: User) -> None:
    log_in_with_password(client, editor)
    log_in_with_password(Client(), editor)
    client.post(reverse("security:logout_everywhere"), REMOTE_ADDR="203.0.113.9")
    entry = last("user.logout_everywhere")
    assert (entry.actor, entry.door, entry.address) == (editor, Door.PAGE, "203.0.113.9")
    assert entry.after == {"sessions_ended": 2}


def test_an_agency_admin_switching_two_factor_on_is_recorded(client: Client,
                                                            agency: Agency) -> None:
    admin = factories.make_user(role=Role.ADMIN, agency=agency)
    client.force_login(admin)
    url = reverse("security:agency_two_factor", args=[agency.slug])
    assert client.post(url, {"required": "on"}).status_code == 302
    entry = last("agency.require_two_factor")
    assert (entry.actor, entry.target_id, entry.target_type) == (admin, str(agency.pk),
                                                                 "agencies.agency")
    assert (entry.before, entry.after) == ({"require_two_factor": False},
                                           {"require_two_factor": True})


def test_removing_an_authenticator_is_recorded_and_only_for_managers(
        agency: Agency, editor: User, outsider: User) -> None:
    enrolled(editor)
    admin = factories.make_user(role=Role.ADMIN, agency=agency)
    other_admin = factories.make_user(role=Role.ADMIN, agency=outsider.agency)
    with pytest.raises(PermissionDenied):
        services.two_factor_remove(actor=other_admin, user=editor)
    assert services.has_two_factor(editor)
    services.two_factor_remove(actor=admin, user=editor)
    assert not services.has_two_factor(editor)
    entry = last("user.two_factor_remove")
    assert (entry.actor, entry.door, entry.before, entry.after) == (
        admin, Door.COMMAND, {"two_factor": True}, {"two_factor": False})
