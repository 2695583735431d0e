"""The one-time link to set a password is e-mailed when an account is created or reset, and
still printed by the command; the message is in the portal's language and links to SITE_URL.
Without a mail server it is written to a file; with one, it is sent over SMTP (a real server on
localhost here)."""

from __future__ import annotations

import io
import re
import socket
import sys
from collections.abc import Iterator
from email import message_from_bytes
from email.policy import default as email_policy
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from django.conf import LazySettings
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import translation

from portal.accounts.models import User
from portal.agencies.models import Agency
from portal.audit.models import AuditEntry

SITE = "https://data.ninhbinh.gov.vn"
GOOD_PASSWORD = "Lúa chín vàng trên đồng Nho Quan"


@pytest.fixture(autouse=True)
def _english_commands_and_a_site_url(settings: LazySettings) -> Iterator[None]:
    """The commands' own lines are read in English here; the mail is in the portal's language
    whatever the language of whoever sends it."""
    settings.SITE_URL = SITE
    with translation.override("en"):
        yield


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def create_hoa(agency: Agency, *extra: str) -> str:
    return run("users", "create", "hoa", "--email", "hoa@ninhbinh.gov.vn", "--role", "editor",
               "--agency", agency.slug, "--full-name", "Trần Thị Hoa", *extra)


def link_in(body: str) -> str:
    found = re.search(rf"{re.escape(SITE)}/user/set-password/\S+", body)
    assert found, body
    return found.group(0)


def test_a_new_account_is_mailed_its_link_in_vietnamese(agency: Agency, client: Client) -> None:
    output = create_hoa(agency)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["hoa@ninhbinh.gov.vn"]
    assert "Cổng dữ liệu mở" in message.subject  # the portal's name, in Vietnamese
    assert "Trần Thị Hoa" in message.body
    assert "hoa" in message.body
    link = link_in(str(message.body))
    assert output.strip().splitlines()[-1] == link  # the command still prints it, last
    assert "E-mailed a one-time link to set the password to hoa@ninhbinh.gov.vn." in output
    user = User.objects.get(username="hoa")
    assert (user.last_name, user.first_name) == ("Trần", "Thị Hoa")
    form_url = client.get(link.removeprefix(SITE), follow=True).redirect_chain[-1][0]
    client.post(form_url, {"new_password1": GOOD_PASSWORD, "new_password2": GOOD_PASSWORD})
    assert User.objects.get(username="hoa").check_password(GOOD_PASSWORD)


def test_a_password_given_on_stdin_sends_no_mail(agency: Agency,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(GOOD_PASSWORD + "\n"))
    create_hoa(agency, "--password-stdin")
    assert mail.outbox == []


def test_reset_mails_a_new_link_and_the_old_password_works_until_it_is_used(
        editor: User, client: Client) -> None:
    output = run("users", "reset", "editor")
    message = mail.outbox[-1]
    assert message.to == [editor.email]
    link = link_in(str(message.body))
    assert output.strip().splitlines()[-1] == link
    assert User.objects.get(pk=editor.pk).check_password("correct horse battery staple")
    entry = AuditEntry.objects.filter(action="user.password_link").latest("sequence")
    assert (entry.target_id, entry.after) == (str(editor.pk), {"email": editor.email,
                                                               "emailed": True})
    assert link not in str(entry.after)


def test_a_deactivated_account_gets_no_link(editor: User) -> None:
    run("users", "deactivate", "editor")
    with pytest.raises(CommandError, match="deactivated"):
        run("users", "reset", "editor")
    assert mail.outbox == []


def test_without_site_url_the_command_prints_the_link_and_says_why_it_was_not_mailed(
        agency: Agency, settings: LazySettings) -> None:
    settings.SITE_URL = ""
    lines = create_hoa(agency).strip().splitlines()
    assert lines[-1].startswith("/user/set-password/")
    assert any("SITE_URL" in line for line in lines)
    assert mail.outbox == []


def test_without_a_mail_server_the_message_is_a_file_under_var_dir(
        agency: Agency, settings: LazySettings, tmp_path: Path) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path / "mail")
    output = create_hoa(agency)
    files = list((tmp_path / "mail").iterdir())
    assert len(files) == 1
    assert output.strip().splitlines()[-1] in files[0].read_text(encoding="utf-8")
    assert str(tmp_path / "mail") in output


class Inbox:
    """What a real SMTP server on localhost received."""

    def __init__(self) -> None:
        self.messages: list[tuple[str, list[str], bytes]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.messages.append((envelope.mail_from, envelope.rcpt_tos, envelope.content))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def smtp_server(settings: LazySettings) -> Iterator[Inbox]:
    def authenticate(server: Any, session: Any, envelope: Any, mechanism: str,
                     data: Any) -> AuthResult:
        ok = isinstance(data, LoginPassword) and (data.login, data.password) == (
            b"portal", b"mat-khau-smtp")
        return AuthResult(success=ok)

    inbox, port = Inbox(), free_port()
    server = Controller(inbox, hostname="127.0.0.1", port=port, authenticator=authenticate,
                        auth_require_tls=False)
    server.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER, settings.EMAIL_HOST_PASSWORD = "portal", "mat-khau-smtp"
    settings.DEFAULT_FROM_EMAIL = "Cổng dữ liệu mở <noreply@ninhbinh.gov.vn>"
    try:
        yield inbox
    finally:
        server.stop()


def test_the_link_is_sent_through_a_real_smtp_server(agency: Agency,
                                                     smtp_server: Inbox) -> None:
    output = create_hoa(agency)
    [(sender, recipients, content)] = smtp_server.messages
    assert (sender, recipients) == ("noreply@ninhbinh.gov.vn", ["hoa@ninhbinh.gov.vn"])
    message = message_from_bytes(content, policy=email_policy)
    assert "Cổng dữ liệu mở" in str(message["Subject"])
    assert message["From"] == "Cổng dữ liệu mở <noreply@ninhbinh.gov.vn>"
    body = message.get_body()
    assert body is not None
    assert output.strip().splitlines()[-1] in body.get_content()


def test_a_refused_smtp_login_leaves_the_account_and_prints_the_link(
        agency: Agency, smtp_server: Inbox, settings: LazySettings) -> None:
    settings.EMAIL_HOST_PASSWORD = "sai"
    lines = create_hoa(agency).strip().splitlines()
    assert smtp_server.messages == []
    assert User.objects.filter(username="hoa").exists()
    assert any("could not be sent" in line for line in lines)
    assert lines[-1].startswith(f"{SITE}/user/set-password/")
    entry = AuditEntry.objects.filter(action="user.password_link").latest("sequence")
    assert entry.after["emailed"] is False


def test_an_unreachable_smtp_server_is_reported_not_raised(agency: Agency,
                                                            settings: LazySettings) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()  # nobody listens
    settings.EMAIL_USE_TLS = False
    output = create_hoa(agency)
    assert "could not be sent" in output
    assert User.objects.filter(username="hoa").exists()
