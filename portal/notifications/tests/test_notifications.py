"""Notifications: once per account and key, e-mailed at most once after the commit, read in the
inbox; supervisors see every message sent."""

from __future__ import annotations

import smtplib
from collections.abc import Callable
from typing import Any

import pytest
from django.conf import LazySettings
from django.core import mail
from django.test import Client

from portal.accounts.models import Role, User
from portal.agencies.models import Agency
from portal.lib import factories
from portal.notifications import services
from portal.notifications.models import Notification

SITE = "https://data.ninhbinh.gov.vn"
Capture = Callable[..., Any]


def send(users: list[User], key: str = "deadline:abc:2026-03:due") -> list[Notification]:
    return services.notify(users, key=key, kind="test", subject="Hạn cập nhật hôm nay",
                           body="Bộ dữ liệu A đến hạn cập nhật kỳ tháng 03/2026.",
                           link="/dataset/a")


def test_the_same_key_is_sent_to_each_account_once(
        editor: User, member: User, django_capture_on_commit_callbacks: Capture,
        settings: LazySettings) -> None:
    settings.SITE_URL = SITE
    with django_capture_on_commit_callbacks(execute=True):
        assert len(send([editor, member, editor])) == 2
    with django_capture_on_commit_callbacks(execute=True):
        assert send([editor, member]) == []
    assert Notification.objects.count() == 2
    assert sorted(message.to[0] for message in mail.outbox) == sorted([editor.email,
                                                                      member.email])
    assert f"{SITE}/dataset/a" in mail.outbox[0].body
    assert all(n.emailed_at for n in Notification.objects.all())


def test_nothing_is_emailed_before_the_transaction_commits(editor: User) -> None:
    send([editor])
    assert mail.outbox == []


def test_inactive_accounts_and_accounts_without_email(
        agency: Agency, editor: User, django_capture_on_commit_callbacks: Capture) -> None:
    gone = factories.make_user(role=Role.EDITOR, agency=agency, is_active=False)
    silent = factories.make_user(role=Role.EDITOR, agency=agency)
    User.objects.filter(pk=silent.pk).update(email="")
    with django_capture_on_commit_callbacks(execute=True):
        send([editor, gone, silent])
    assert set(Notification.objects.values_list("recipient__username", flat=True)) == {
        editor.username, silent.username}
    assert [message.to for message in mail.outbox] == [[editor.email]]


def test_a_refused_email_is_not_retried_and_stays_in_the_inbox(
        editor: User, django_capture_on_commit_callbacks: Capture,
        monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: Any, **kwargs: Any) -> None:
        raise smtplib.SMTPException("no")

    monkeypatch.setattr("portal.accounts.mail.send_mail", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        [notification] = send([editor])
    notification.refresh_from_db()
    assert notification.emailed_at is None
    assert services.email_notifications([notification.pk]) == 0  # still refused, not twice


def test_an_emailed_notification_is_never_emailed_again(
        editor: User, django_capture_on_commit_callbacks: Capture) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        [notification] = send([editor])
    assert services.email_notifications([notification.pk]) == 0
    assert len(mail.outbox) == 1


def test_inbox_lists_and_marks_read(client: Client, editor: User, member: User) -> None:
    [mine] = send([editor])
    [theirs] = send([member])
    client.force_login(editor)
    page = client.get("/").content.decode()
    assert "Tin nhắn" in page
    assert ">1<" in page
    page = client.get("/user/notifications/").content.decode()
    assert "Hạn cập nhật hôm nay" in page
    assert f"/user/notifications/{mine.pk}" in page
    assert f"/user/notifications/{theirs.pk}" not in page
    response = client.get(f"/user/notifications/{mine.pk}")
    assert response.status_code == 302
    assert response["Location"] == "/dataset/a"
    mine.refresh_from_db()
    assert mine.read_at is not None
    assert client.get(f"/user/notifications/{theirs.pk}").status_code == 404
    client.post("/user/notifications/", {"all": "1"})
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_only_supervisors_and_sysadmins_see_every_message(
        client: Client, editor: User, supervisor: User, sysadmin: User) -> None:
    send([editor])
    client.force_login(editor)
    assert client.get("/user/notifications/all").status_code == 403
    for person in (supervisor, sysadmin):
        client.force_login(person)
        page = client.get("/user/notifications/all?q=editor").content.decode()
        assert "Hạn cập nhật hôm nay" in page
        assert "Sở Nông nghiệp" in page
    assert "Hạn cập nhật" not in client.get("/user/notifications/all?q=khong-co").content.decode()


def test_the_public_sees_no_inbox(client: Client) -> None:
    response = client.get("/user/notifications/")
    assert response.status_code == 302
    assert "/user/login" in response["Location"]
