"""Staff login and logout at CKAN's address, `/user/login`."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from portal.accounts.models import User

LOGIN = reverse("accounts:login")
PASSWORD = "correct horse battery staple"  # the factories' default


def test_login_page_is_accessible(client: Client) -> None:
    html = client.get(LOGIN).content.decode()
    assert html.count("<h1") == 1
    assert '<label class="form-label fw-semibold" for="id_username">' in html
    assert '<label class="form-label fw-semibold" for="id_password">' in html
    assert 'autocomplete="current-password"' in html
    assert "csrfmiddlewaretoken" in html


def test_wrong_password_gets_a_clear_vietnamese_message(client: Client, editor: User) -> None:
    response = client.post(LOGIN, {"username": editor.username, "password": "sai mật khẩu"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="alert"' in html
    assert "Vui lòng" in html  # Django's own Vietnamese catalogue says what was wrong
    assert f'value="{editor.username}"' in html  # the username is kept
    assert "_auth_user_id" not in client.session


def test_empty_fields_get_messages_linked_to_them(client: Client, db: None) -> None:
    html = client.post(LOGIN, {"username": "", "password": ""}).content.decode()
    assert 'aria-describedby="id_username_error"' in html
    assert 'id="id_username_error"' in html
    assert 'aria-describedby="id_password_error"' in html


def test_login_leads_to_the_dashboard(client: Client, editor: User) -> None:
    response = client.post(LOGIN, {"username": editor.username, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("catalog:dashboard")


def test_login_follows_a_local_next(client: Client, editor: User) -> None:
    response = client.post(LOGIN, {"username": editor.username, "password": PASSWORD,
                                   "next": "/dataset/new"})
    assert response["Location"] == "/dataset/new"


@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/x",
                                      "javascript:alert(1)", "\\\\evil.example"])
def test_login_never_sends_to_another_site(client: Client, editor: User,
                                           next_url: str) -> None:
    page = client.get(LOGIN, {"next": next_url}).content.decode()
    assert '<input type="hidden" name="next" value="">' in page
    response = client.post(LOGIN, {"username": editor.username, "password": PASSWORD,
                                   "next": next_url})
    assert response["Location"] == reverse("catalog:dashboard")


def test_inactive_account_cannot_log_in(client: Client, editor: User) -> None:
    editor.is_active = False
    editor.save()
    response = client.post(LOGIN, {"username": editor.username, "password": PASSWORD})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_logout_is_a_post(client: Client, editor: User) -> None:
    client.force_login(editor)
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert "_auth_user_id" in client.session
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
