"""E-mail at each step, in Vietnamese, after the change commits: the sender when they left an
address, the agency's accounts when a thread arrives. Addresses never leak between them."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.core.mail import EmailMessage
from django.utils import translation

from portal.accounts.models import Role, User
from portal.agencies.models import Agency
from portal.catalog.models import Dataset
from portal.feedback import notify, services
from portal.feedback.models import Thread
from portal.feedback.tests.conftest import data_request, feedback, own_agency, submission
from portal.lib import factories

pytestmark = pytest.mark.django_db
Capture = Callable[..., AbstractContextManager[list[Callable[[], Any]]]]
SITE = "https://data.ninhbinh.gov.vn"


def sent_to(address: str) -> list[EmailMessage]:
    return [message for message in mail.outbox if address in message.to]


def test_a_new_thread_mails_the_sender_and_the_agency_in_vietnamese(
        dataset: Dataset, editor: User, agency_admin: User, member: User,
        django_capture_on_commit_callbacks: Capture) -> None:
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        thread = feedback(dataset)
    [to_sender] = sent_to("binh@example.vn")
    assert f"số {thread.pk}" in to_sender.subject
    assert "Xin chào Trần Thị Bình" in to_sender.body
    assert "Sở Nông nghiệp và Môi trường" in to_sender.body
    assert "Số liệu tháng 3 thiếu xã Gia Viễn" in to_sender.body
    [to_agency] = [message for message in mail.outbox if editor.email in message.to]
    assert set(to_agency.to) == {editor.email, agency_admin.email, dataset.agency.focal_email}
    assert member.email not in to_agency.to  # members read, they do not handle
    assert "binh@example.vn" not in to_agency.body  # the agency sees it on the staff page
    assert f"/dashboard/feedback/{thread.pk}" in to_agency.body


def test_nothing_is_mailed_before_the_change_commits(
        dataset: Dataset, django_capture_on_commit_callbacks: Capture) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        feedback(dataset)
    assert mail.outbox == []
    assert len(callbacks) == 1


def test_a_sender_without_an_address_is_not_mailed(
        dataset: Dataset, editor: User, django_capture_on_commit_callbacks: Capture) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        thread = feedback(dataset, author_email="")
        services.thread_answer(user=editor, thread=thread, body="Đã bổ sung.")
    assert all("binh@example.vn" not in message.to for message in mail.outbox)
    assert len(mail.outbox) == 1  # the agency's


def test_the_sender_receives_the_answer_signed_by_the_agency(
        dataset: Dataset, editor: User, django_capture_on_commit_callbacks: Capture) -> None:
    thread = feedback(dataset)
    with django_capture_on_commit_callbacks(execute=True):
        services.thread_answer(user=editor, thread=thread, body="Đã bổ sung xã Gia Viễn.",
                               site_url=SITE)
    [message] = mail.outbox
    assert message.to == ["binh@example.vn"]
    assert message.subject.startswith("Cổng dữ liệu mở")
    assert "trả lời" in message.subject
    assert "Sở Nông nghiệp và Môi trường đã trả lời" in message.body
    assert "Đã bổ sung xã Gia Viễn." in message.body
    assert editor.username not in message.body  # signed by the agency, not the person
    assert f"{SITE}/feedback/{thread.pk}" in message.body


def test_each_step_is_told_to_the_sender(
        agency: Agency, other_agency: Agency, editor: User, supervisor: User, dataset: Dataset,
        django_capture_on_commit_callbacks: Capture) -> None:
    thread = data_request()
    with django_capture_on_commit_callbacks(execute=True):
        services.thread_reassign(user=supervisor, thread=thread, agency=agency)
        services.request_plan(user=editor, thread=thread, list_item_code="DM-07")
        services.request_fulfil(user=editor, thread=thread, dataset=dataset)
    subjects = [message.subject for message in sent_to("binh@example.vn")]
    assert len(subjects) == 3
    assert "đã được chuyển tới Sở Nông nghiệp và Môi trường" in subjects[0]
    assert "danh mục dữ liệu mở" in subjects[1]
    assert "đã được công bố" in subjects[2]
    [fulfilled] = sent_to("binh@example.vn")[2:]
    assert "Giá lúa tại các chợ" in fulfilled.body
    assert "/dataset/gia-lua" in fulfilled.body


def test_rejection_tells_the_reason(dataset: Dataset, editor: User,
                                    django_capture_on_commit_callbacks: Capture) -> None:
    thread = feedback(dataset)
    with django_capture_on_commit_callbacks(execute=True):
        services.thread_reject(user=editor, thread=thread, reason="Nội dung quảng cáo")
    [message] = mail.outbox
    assert "bị từ chối" in message.subject
    assert "Nội dung quảng cáo" in message.body


def test_an_unassigned_request_goes_to_the_supervisors(
        supervisor: User, supervising_agency: Agency,
        django_capture_on_commit_callbacks: Capture) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        data_request()
    [to_staff] = [message for message in mail.outbox if supervisor.email in message.to]
    assert supervising_agency.focal_email in to_staff.to
    assert "chưa được giao" in to_staff.body


def test_a_request_between_agencies_tells_the_account_that_sent_it(
        editor: User, other_agency: Agency, django_capture_on_commit_callbacks: Capture) -> None:
    other_editor = factories.make_user(role=Role.EDITOR, agency=other_agency)
    with django_capture_on_commit_callbacks(execute=True):
        thread = services.agency_thread_submit(
            user=editor, requester_agency=own_agency(editor), agency=other_agency,
            submission=submission(kind="agency_request", title="Xin dữ liệu y tế",
                                  author_email=""))
        services.thread_answer(user=other_editor, thread=thread, body="Đồng ý chia sẻ.")
    assert any("Đồng ý chia sẻ." in message.body for message in sent_to(editor.email))
    assert any(f"/dashboard/feedback/{thread.pk}" in message.body
               for message in sent_to(other_editor.email))


def test_an_erased_address_is_not_mailed_by_a_later_job(dataset: Dataset, editor: User) -> None:
    thread = feedback(dataset)
    Thread.objects.filter(pk=thread.pk).update(author_email="")
    assert notify.send("answered", thread.pk, SITE) == 0


def test_without_a_mail_server_messages_are_files_in_vietnamese(
        dataset: Dataset, settings: Any, tmp_path: Path,
        django_capture_on_commit_callbacks: Capture) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path)
    with django_capture_on_commit_callbacks(execute=True):
        feedback(dataset)
    text = b"".join(path.read_bytes() for path in tmp_path.iterdir()).decode()
    assert text.count("Content-Type: text/plain; charset=\"utf-8\"") == 2
    assert "Nội dung bạn gửi:" in text
