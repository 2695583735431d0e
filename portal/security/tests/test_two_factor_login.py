"""Logging in with a second factor: the password alone opens nothing until a code is given."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken

from portal.accounts.models import Role, User
from portal.agencies.models import Agency
from portal.lib import factories
from portal.security import services
from portal.security.tests.helpers import code_for, enrolled, log_in_with_password

VERIFY = reverse("security:verify")
ENROL = reverse("security:enrol")
DASHBOARD = reverse("catalog:dashboard")


def test_sysadmin_without_authenticator_is_sent_to_enrolment_everywhere(
        client: Client, sysadmin: User) -> None:
    log_in_with_password(client, sysadmin)
    for url in (DASHBOARD, "/admin/", reverse("security:account")):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(ENROL)


def test_supervisor_without_authenticator_is_sent_to_enrolment(client: Client,
                                                                supervisor: User) -> None:
    log_in_with_password(client, supervisor)
    assert client.get("/admin/")["Location"].startswith(ENROL)


def test_editor_may_work_without_an_authenticator(client: Client, editor: User) -> None:
    log_in_with_password(client, editor)
    assert client.get(DASHBOARD).status_code == 200


def test_agency_that_requires_two_factor_sends_its_editors_to_enrolment(
        client: Client, agency: Agency, editor: User) -> None:
    agency.require_two_factor = True
    agency.save()
    log_in_with_password(client, editor)
    assert client.get(DASHBOARD)["Location"].startswith(ENROL)


def test_enrolment_shows_a_qr_code_and_the_secret_and_confirms_with_a_code(
        client: Client, sysadmin: User) -> None:
    log_in_with_password(client, sysadmin)
    page = client.get(ENROL).content.decode()
    assert "<svg" in page
    assert 'id="totp-secret"' in page
    assert "<script" not in page.split("<main", 1)[1].split("</main>", 1)[0]
    device = services.totp_enrolment_device(user=sysadmin)
    wrong = client.post(ENROL, {"code": "000000" if code_for(device) != "000000" else "111111"})
    assert 'id="id_code_error"' in wrong.content.decode()
    device.refresh_from_db()
    device.throttling_failure_count = 0  # the failed try slows the next one down
    device.save()
    done = client.post(ENROL, {"code": code_for(device)})
    html = done.content.decode()
    assert html.count("<li>") >= 10  # the ten recovery codes, shown once
    assert StaticToken.objects.filter(device__user=sysadmin).count() == 10
    assert client.get(DASHBOARD).status_code == 200


def test_wrong_code_is_refused_and_the_right_code_lets_in(client: Client,
                                                          sysadmin: User) -> None:
    device = enrolled(sysadmin)
    assert log_in_with_password(client, sysadmin, DASHBOARD) == DASHBOARD
    assert client.get(DASHBOARD)["Location"].startswith(VERIFY)
    right = code_for(device)
    wrong = client.post(VERIFY, {"code": "123456" if right != "123456" else "654321"})
    assert wrong.status_code == 200
    assert 'id="id_code_error"' in wrong.content.decode()
    assert client.get(DASHBOARD).status_code == 302
    device.refresh_from_db()
    device.throttling_failure_count = 0  # the failed try slows the next one down
    device.save()
    response = client.post(VERIFY, {"code": right, "next": DASHBOARD})
    assert response["Location"] == DASHBOARD
    assert client.get(DASHBOARD).status_code == 200


def test_optional_user_with_an_authenticator_also_gives_a_code(client: Client,
                                                              editor: User) -> None:
    enrolled(editor)
    log_in_with_password(client, editor)
    assert client.get(DASHBOARD)["Location"].startswith(VERIFY)


def test_a_recovery_code_works_once(client: Client, sysadmin: User) -> None:
    enrolled(sysadmin)
    code = services.recovery_codes_create(user=sysadmin)[0]
    log_in_with_password(client, sysadmin)
    assert client.post(VERIFY, {"code": code, "next": DASHBOARD})["Location"] == DASHBOARD
    client.post(reverse("accounts:logout"))
    other = Client()
    log_in_with_password(other, sysadmin)
    again = other.post(VERIFY, {"code": code, "next": DASHBOARD})
    assert again.status_code == 200
    assert other.get(DASHBOARD)["Location"].startswith(VERIFY)


def test_an_unverified_session_cannot_enrol_a_new_authenticator(client: Client,
                                                               sysadmin: User) -> None:
    enrolled(sysadmin)
    log_in_with_password(client, sysadmin)
    assert client.get(ENROL)["Location"] == VERIFY


def test_agency_admin_requires_two_factor_for_its_agency(client: Client, agency: Agency,
                                                         other_agency: Agency) -> None:
    admin = factories.make_user(role=Role.ADMIN, agency=agency)
    client.force_login(admin)
    elsewhere = reverse("security:agency_two_factor", args=[other_agency.slug])
    assert client.post(elsewhere, {"required": "on"}).status_code == 403
    other_agency.refresh_from_db()
    assert other_agency.require_two_factor is False
    url = reverse("security:agency_two_factor", args=[agency.slug])
    assert client.get(url).status_code == 200
    client.post(url, {"required": "on"})
    agency.refresh_from_db()
    assert agency.require_two_factor is True
    # The rule holds at once, for the admin too: enrolment before anything else.
    assert client.get(url)["Location"].startswith(ENROL)


def test_editor_cannot_change_its_agency_two_factor_rule(client: Client, editor: User,
                                                        agency: Agency) -> None:
    client.force_login(editor)
    url = reverse("security:agency_two_factor", args=[agency.slug])
    assert client.post(url, {"required": "on"}).status_code == 403
