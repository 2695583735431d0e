"""Session cookies and logging out on all devices."""

from __future__ import annotations

from django.conf import LazySettings
from django.test import Client
from django.urls import reverse

from portal.accounts.models import User
from portal.security.tests.helpers import PASSWORD, log_in_with_password

DASHBOARD = reverse("catalog:dashboard")


def test_session_cookie_is_httponly_and_samesite_lax(client: Client, editor: User,
                                                     settings: LazySettings) -> None:
    response = client.post(reverse("accounts:login"),
                           {"username": editor.username, "password": PASSWORD})
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
    assert cookie["max-age"] == settings.SESSION_COOKIE_AGE == 12 * 3600


def test_log_out_on_all_devices_ends_every_session(editor: User) -> None:
    office, home = Client(), Client()
    log_in_with_password(office, editor)
    log_in_with_password(home, editor)
    assert home.get(DASHBOARD).status_code == 200
    response = office.post(reverse("security:logout_everywhere"))
    assert response["Location"] == reverse("accounts:login")
    assert office.get(DASHBOARD).status_code == 302
    assert home.get(DASHBOARD).status_code == 302


def test_log_out_on_all_devices_is_a_post(client: Client, editor: User) -> None:
    log_in_with_password(client, editor)
    assert client.get(reverse("security:logout_everywhere")).status_code == 405
    assert client.get(DASHBOARD).status_code == 200
