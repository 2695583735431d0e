"""Repeated failed logins lock the login (django-axes), with a clear message on the page."""

from __future__ import annotations

from io import StringIO

import pytest
from django.conf import LazySettings
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from portal.accounts.models import User

LOGIN = reverse("accounts:login")
PASSWORD = "correct horse battery staple"  # the factories' default


def fail(client: Client, username: str, times: int) -> None:
    for _ in range(times):
        client.post(LOGIN, {"username": username, "password": "sai mật khẩu"})


def test_failures_up_to_the_limit_lock_the_login_with_a_vietnamese_message(
        client: Client, editor: User, settings: LazySettings) -> None:
    fail(client, editor.username, settings.AXES_FAILURE_LIMIT - 1)
    response = client.post(LOGIN, {"username": editor.username, "password": "sai"})
    assert response.status_code == 429
    html = response.content.decode()
    assert 'role="alert" id="login-error"' in html  # the lockout message, translated
    assert f"{settings.LOGIN_LOCKOUT_MINUTES}" in html
    assert '<form method="post"' in html  # the login page itself, not a bare error page


def test_the_right_password_is_refused_while_locked(client: Client, editor: User,
                                                    settings: LazySettings) -> None:
    fail(client, editor.username, settings.AXES_FAILURE_LIMIT)
    response = client.post(LOGIN, {"username": editor.username, "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_failures_below_the_limit_do_not_lock(client: Client, editor: User,
                                              settings: LazySettings) -> None:
    fail(client, editor.username, settings.AXES_FAILURE_LIMIT - 1)
    response = client.post(LOGIN, {"username": editor.username, "password": PASSWORD})
    assert response.status_code == 302


def test_lockout_is_per_username_and_address(client: Client, editor: User, outsider: User,
                                             settings: LazySettings) -> None:
    fail(client, editor.username, settings.AXES_FAILURE_LIMIT)
    assert client.post(LOGIN, {"username": outsider.username,
                               "password": PASSWORD}).status_code == 302
    other_address = Client(REMOTE_ADDR="10.0.0.9")
    assert other_address.post(LOGIN, {"username": editor.username,
                                      "password": PASSWORD}).status_code == 302


@pytest.mark.parametrize("command", ["axes_reset_username", "axes_reset"])
def test_a_sysadmin_unlocks_with_the_command(client: Client, editor: User,
                                             settings: LazySettings, command: str) -> None:
    fail(client, editor.username, settings.AXES_FAILURE_LIMIT)
    args = [editor.username] if command == "axes_reset_username" else []
    call_command(command, *args, stdout=StringIO())
    response = client.post(LOGIN, {"username": editor.username, "password": PASSWORD})
    assert response.status_code == 302


def test_a_sysadmin_sees_and_deletes_lockouts_in_the_admin(client: Client, editor: User,
                                                           sysadmin: User,
                                                           settings: LazySettings) -> None:
    fail(client, editor.username, settings.AXES_FAILURE_LIMIT)
    admin = Client()
    admin.force_login(sysadmin)
    listing = admin.get(reverse("admin:axes_accessattempt_changelist"))
    assert editor.username in listing.content.decode()
    from axes.models import AccessAttempt

    attempt = AccessAttempt.objects.get(username=editor.username)
    admin.post(reverse("admin:axes_accessattempt_delete", args=[attempt.pk]), {"post": "yes"})
    response = client.post(LOGIN, {"username": editor.username, "password": PASSWORD})
    assert response.status_code == 302
