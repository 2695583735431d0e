"""Reminders through the command people run (`portal schedule check`) and the hourly job: the
right people, the right day, never twice; escalation to the supervisor; the weekly digest."""

from __future__ import annotations

import datetime
import io
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone, translation

from portal.accounts.models import Role, User
from portal.agencies.models import Agency
from portal.catalog.models import Dataset, Resource
from portal.lib import factories
from portal.notifications.models import Notification
from portal.schedules import daily
from portal.schedules.models import DailyRun
from portal.schedules.reminders import stage_on

Capture = Callable[..., Any]


@pytest.mark.parametrize(("today", "stage"), [
    (date(2026, 4, 7), None),
    (date(2026, 4, 8), "before:7"),
    (date(2026, 4, 10), "before:7"),   # caught up two days later
    (date(2026, 4, 11), None),         # three days later: too old to send
    (date(2026, 4, 14), "before:1"),
    (date(2026, 4, 15), "due"),
    (date(2026, 4, 16), "overdue"),
    (date(2026, 4, 25), "escalated"),
    (date(2026, 4, 28), None),
])
def test_the_stage_a_period_is_told_about_each_day(today: date, stage: str | None) -> None:
    assert stage_on(date(2026, 4, 15), today, [7, 1], 10) == stage


def moment(day: date) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, 9,
                             tzinfo=timezone.get_default_timezone())


@pytest.fixture
def focal(agency: Agency) -> User:
    user = factories.make_user(role=Role.MEMBER, agency=agency, username="daumoi")
    agency.focal_user = user
    agency.save()
    return user


@pytest.fixture
def monthly(agency: Agency, editor: User, focal: User) -> Dataset:
    """A monthly dataset published in January 2026 whose January data came on time."""
    dataset = factories.make_dataset(agency=agency, user=editor, frequency="monthly",
                                     title="Giá cả thị trường", slug="gia-ca")
    Dataset.objects.filter(pk=dataset.pk).update(published=moment(date(2026, 1, 5)))
    resource = factories.make_resource(dataset=dataset, user=editor, period="2026-01")
    Resource.objects.filter(pk=resource.pk).update(delivered=moment(date(2026, 2, 10)))
    dataset.refresh_from_db()
    return dataset


def check(capture: Capture, today: str, *extra: str) -> str:
    out = io.StringIO()
    with translation.override("en"), capture(execute=True):
        call_command("schedule", "check", "--today", today, *extra, stdout=out)
    return out.getvalue()


def received(user: User) -> list[str]:
    return [str(message.subject) for message in mail.outbox if message.to == [user.email]]


def test_reminders_before_on_and_after_the_due_date_never_twice(
        monthly: Dataset, editor: User, focal: User, member: User, supervisor: User,
        django_capture_on_commit_callbacks: Capture) -> None:
    out = check(django_capture_on_commit_callbacks, "2026-03-08")
    assert "[sent]" in out
    assert "daumoi" in out
    assert "editor" in out
    assert received(focal) == ["Dữ liệu đến hạn cập nhật sau 7 ngày: Sở Nông nghiệp và Môi trường"]
    body = mail.outbox[0].body
    assert "Giá cả thị trường" in body
    assert "tháng 02/2026" in body
    assert "15/03/2026" in body
    assert "/dataset/gia-ca/resource/new?period=2026-02" in body
    assert received(member) == []  # a member is not asked to publish
    assert "0 messages sent" in check(django_capture_on_commit_callbacks, "2026-03-08")
    check(django_capture_on_commit_callbacks, "2026-03-14")
    check(django_capture_on_commit_callbacks, "2026-03-15")
    check(django_capture_on_commit_callbacks, "2026-03-16")
    assert [subject.split(":")[0] for subject in received(editor)] == [
        "Dữ liệu đến hạn cập nhật sau 7 ngày", "Dữ liệu đến hạn cập nhật sau 1 ngày",
        "Dữ liệu đến hạn cập nhật hôm nay", "Dữ liệu đã quá hạn cập nhật",
        "Hạn cập nhật dữ liệu trong tuần"]  # 16 March 2026 is a Monday: the digest
    assert received(supervisor) == []
    check(django_capture_on_commit_callbacks, "2026-03-25")
    assert len(received(supervisor)) == 1
    assert "Giá cả thị trường" in mail.outbox[-1].body
    assert Notification.objects.filter(recipient=supervisor, kind="deadline.escalation").exists()


def test_delivered_data_stops_the_reminders(
        monthly: Dataset, editor: User, django_capture_on_commit_callbacks: Capture) -> None:
    check(django_capture_on_commit_callbacks, "2026-03-08")
    resource = factories.make_resource(dataset=monthly, user=editor, period="2026-02")
    Resource.objects.filter(pk=resource.pk).update(delivered=moment(date(2026, 3, 10)))
    before = len(mail.outbox)
    out = check(django_capture_on_commit_callbacks, "2026-03-14")
    assert "0 messages sent" in out
    assert len(mail.outbox) == before


def test_a_dry_run_prints_and_sends_nothing(
        monthly: Dataset, django_capture_on_commit_callbacks: Capture) -> None:
    out = check(django_capture_on_commit_callbacks, "2026-03-15", "--dry-run")
    assert "[would send]" in out
    assert "1 messages would be sent" in out
    assert mail.outbox == []
    assert not Notification.objects.exists()
    assert "[sent]" in check(django_capture_on_commit_callbacks, "2026-03-15")


def test_a_bad_day_is_refused(db: None) -> None:
    with pytest.raises(CommandError, match="YYYY-MM-DD"), translation.override("en"):
        call_command("schedule", "check", "--today", "15/03/2026")


def test_the_hourly_job_refreshes_at_midnight_and_reminds_from_the_run_hour(
        monthly: Dataset, editor: User, django_capture_on_commit_callbacks: Capture) -> None:
    zone = timezone.get_default_timezone()
    with django_capture_on_commit_callbacks(execute=True):
        assert daily.run_due_steps(datetime.datetime(2026, 3, 15, 0, 30, tzinfo=zone)) == [
            "refreshed"]
        assert daily.run_due_steps(datetime.datetime(2026, 3, 15, 6, 59, tzinfo=zone)) == []
        assert received(editor) == []
        # 00:10 UTC is 07:10 in Hanoi: the run hour has come there.
        assert daily.run_due_steps(datetime.datetime(2026, 3, 15, 0, 10, tzinfo=datetime.UTC)
                                   ) == ["reminded"]
        assert daily.run_due_steps(datetime.datetime(2026, 3, 15, 9, 0, tzinfo=zone)) == []
    assert len(received(editor)) == 1
    run = DailyRun.objects.get(day=date(2026, 3, 15))
    assert run.refreshed is not None
    assert run.reminded is not None


def test_an_agency_without_accounts_is_printed_for_the_operator(
        other_agency: Agency, django_capture_on_commit_callbacks: Capture) -> None:
    author = factories.make_user(role=Role.EDITOR, agency=other_agency)
    dataset = factories.make_dataset(agency=other_agency, user=author, frequency="annual")
    Dataset.objects.filter(pk=dataset.pk).update(published=moment(date(2025, 2, 1)))
    User.objects.filter(pk=author.pk).update(is_active=False)
    out = check(django_capture_on_commit_callbacks, "2026-03-31")
    assert "(no recipient)" in out
