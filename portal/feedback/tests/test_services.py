"""The workflow: who a thread goes to, how it moves, and what each step keeps."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.utils import timezone

from portal.accounts.models import Role, User
from portal.agencies.models import Agency
from portal.audit.models import AuditEntry
from portal.catalog.models import Dataset
from portal.feedback import services, tasks
from portal.feedback.models import Message, MessageKind, State, Support, Thread
from portal.feedback.targets import targets_of
from portal.feedback.tests.conftest import data_request, feedback, own_agency, submission
from portal.lib import factories
from portal.lib.errors import ApplicationError, NotFound, PermissionDenied

pytestmark = pytest.mark.django_db


def test_feedback_goes_at_once_to_the_agency_that_owns_the_dataset(dataset: Dataset) -> None:
    thread = feedback(dataset)
    assert thread.state == State.ASSIGNED
    assert thread.agency == dataset.agency
    assert thread.assigned_at is not None
    first = thread.messages.get()
    assert first.kind == MessageKind.SUBMISSION
    assert first.body.startswith("Số liệu tháng 3")
    entry = AuditEntry.objects.get(action="thread.create")
    assert "binh@example.vn" not in str(entry.after)
    assert "Trần" not in str(entry.after)


def test_feedback_on_a_ceased_agencys_dataset_goes_to_its_successor(dataset: Dataset,
                                                                     other_agency: Agency) -> None:
    old = dataset.agency
    old.valid_to, old.replaced_by = timezone.localdate() - timedelta(days=1), other_agency
    old.save()
    assert feedback(dataset).agency == other_agency


def test_feedback_on_a_ceased_agency_without_successor_waits_for_the_supervisor(
        dataset: Dataset) -> None:
    Agency.objects.filter(pk=dataset.agency_id).update(
        valid_to=timezone.localdate() - timedelta(days=1))
    dataset.refresh_from_db()
    thread = feedback(dataset)
    assert thread.state == State.NEW
    assert thread.agency is None


def test_feedback_on_a_dataset_the_sender_may_not_see_is_refused(agency: Agency) -> None:
    hidden = factories.make_dataset(agency=agency, publish=False)
    with pytest.raises(NotFound):
        feedback(hidden)
    assert not Thread.objects.exists()


def test_a_data_request_without_an_agency_stays_new_and_with_one_is_assigned(
        agency: Agency) -> None:
    assert data_request().state == State.NEW
    assigned = data_request(agency)
    assert assigned.state == State.ASSIGNED
    assert assigned.agency == agency


def test_a_difficulty_goes_to_the_supervising_department_and_is_never_public(
        editor: User, supervising_agency: Agency) -> None:
    thread = services.agency_thread_submit(
        user=editor, requester_agency=own_agency(editor),
        submission=submission(kind="difficulty", title="Không tải được tệp lớn", public=True))
    assert thread.agency == supervising_agency
    assert thread.requester_agency == editor.agency
    assert thread.public is False


def test_a_request_between_agencies_names_another_active_agency(
        editor: User, other_agency: Agency) -> None:
    thread = services.agency_thread_submit(
        user=editor, requester_agency=own_agency(editor), agency=other_agency,
        submission=submission(kind="agency_request", title="Xin dữ liệu y tế"))
    assert thread.agency == other_agency
    assert thread.state == State.ASSIGNED
    with pytest.raises(ApplicationError) as refused:
        services.agency_thread_submit(
            user=editor, requester_agency=own_agency(editor), agency=editor.agency,
            submission=submission(kind="agency_request", title="Tự hỏi mình"))
    assert "agency" in refused.value.field_errors


def test_a_member_may_not_send_a_request_between_agencies(member: User,
                                                          other_agency: Agency) -> None:
    with pytest.raises(PermissionDenied):
        services.agency_thread_submit(
            user=member, requester_agency=own_agency(member), agency=other_agency,
            submission=submission(kind="agency_request", title="Xin dữ liệu"))


def test_an_answer_is_signed_by_the_agency_and_keeps_the_first_answer_time(
        dataset: Dataset, editor: User, agency_admin: User) -> None:
    thread = feedback(dataset)
    first = services.thread_answer(user=editor, thread=thread, body="Đã bổ sung.")
    assert first.agency == editor.agency
    thread.refresh_from_db()
    assert thread.state == State.ANSWERED
    answered_at = thread.answered_at
    services.thread_answer(user=agency_admin, thread=thread, body="Đã cập nhật thêm.")
    thread.refresh_from_db()
    assert thread.answered_at == answered_at


@pytest.mark.parametrize("who", ["outsider", "member"])
def test_only_the_handling_agencys_editors_and_admins_answer(
        request: pytest.FixtureRequest, dataset: Dataset, who: str) -> None:
    thread = feedback(dataset)
    with pytest.raises(PermissionDenied):
        services.thread_answer(user=request.getfixturevalue(who), thread=thread, body="Xin chào")
    assert thread.messages.count() == 1


def test_an_anonymous_visitor_cannot_answer(dataset: Dataset) -> None:
    with pytest.raises(PermissionDenied):
        services.thread_answer(user=AnonymousUser(), thread=feedback(dataset), body="Xin chào")


def test_the_supervisor_answers_any_thread(dataset: Dataset, supervisor: User) -> None:
    message = services.thread_answer(user=supervisor, thread=feedback(dataset), body="Đã xem.")
    assert message.thread.state == State.ANSWERED


def test_answer_and_close_at_once(dataset: Dataset, editor: User) -> None:
    services.thread_answer(user=editor, thread=feedback(dataset), body="Xong.", close=True)
    thread = Thread.objects.get()
    assert thread.state == State.CLOSED
    assert thread.closed_at is not None


def test_a_closed_thread_no_longer_changes(dataset: Dataset, editor: User) -> None:
    thread = services.thread_close(user=editor, thread=feedback(dataset))
    with pytest.raises(ApplicationError, match="không thể thay đổi"):
        services.thread_answer(user=editor, thread=thread, body="Muộn")
    with pytest.raises(ApplicationError):
        services.thread_reject(user=editor, thread=thread, reason="spam")


def test_closing_with_a_message_answers_first(dataset: Dataset, editor: User) -> None:
    thread = services.thread_close(user=editor, thread=feedback(dataset), body="Đã sửa.")
    assert thread.state == State.CLOSED
    assert thread.answered_at is not None
    assert thread.messages.filter(kind=MessageKind.ANSWER).count() == 1


def test_rejecting_needs_a_reason(dataset: Dataset, editor: User) -> None:
    thread = feedback(dataset)
    with pytest.raises(ApplicationError) as refused:
        services.thread_reject(user=editor, thread=thread, reason="  ")
    assert "reason" in refused.value.field_errors
    rejected = services.thread_reject(user=editor, thread=thread, reason="Quảng cáo")
    assert rejected.state == State.REJECTED
    assert rejected.reject_reason == "Quảng cáo"


def test_notes_are_kept_apart_from_answers(dataset: Dataset, member: User, editor: User) -> None:
    thread = feedback(dataset)
    note = services.thread_note(user=editor, thread=thread, body="Chờ phòng thống kê.")
    assert note.kind == MessageKind.NOTE
    thread.refresh_from_db()
    assert thread.state == State.ASSIGNED  # a note is not an answer
    with pytest.raises(PermissionDenied):
        services.thread_note(user=member, thread=thread, body="Ghi chú")


def test_only_supervisors_reassign(dataset: Dataset, editor: User, supervisor: User,
                                   other_agency: Agency) -> None:
    thread = feedback(dataset)
    with pytest.raises(PermissionDenied):
        services.thread_reassign(user=editor, thread=thread, agency=other_agency)
    moved = services.thread_reassign(user=supervisor, thread=thread, agency=other_agency)
    assert moved.agency == other_agency
    assert moved.state == State.ASSIGNED
    with pytest.raises(ApplicationError):
        services.thread_reassign(user=supervisor, thread=moved, agency=other_agency)


def test_a_data_request_fulfilled_by_a_public_dataset_is_closed(
        agency: Agency, editor: User, dataset: Dataset) -> None:
    thread = data_request(agency)
    draft = factories.make_dataset(agency=agency, user=editor, publish=False)
    with pytest.raises(ApplicationError) as refused:
        services.request_fulfil(user=editor, thread=thread, dataset=draft)
    assert "dataset" in refused.value.field_errors
    closed = services.request_fulfil(user=editor, thread=thread, dataset=dataset)
    assert closed.state == State.CLOSED
    assert closed.fulfilled_by == dataset
    assert closed.answered_at is not None


def test_a_data_request_planned_in_the_open_data_list_stays_open(agency: Agency,
                                                                 editor: User) -> None:
    thread = services.request_plan(user=editor, thread=data_request(agency),
                                   list_item_code="DM-12")
    assert thread.list_item_code == "DM-12"
    assert thread.state == State.ASSIGNED


def test_feedback_cannot_be_linked_to_a_dataset(dataset: Dataset, editor: User) -> None:
    with pytest.raises(ApplicationError):
        services.request_fulfil(user=editor, thread=feedback(dataset), dataset=dataset)


def test_one_support_per_address_per_day_keeping_no_address(
        agency: Agency, monkeypatch: pytest.MonkeyPatch) -> None:
    thread = data_request(agency)
    anonymous = AnonymousUser()
    assert services.request_support(user=anonymous, thread=thread, address="203.0.113.9")
    assert not services.request_support(user=anonymous, thread=thread, address="203.0.113.9")
    assert services.request_support(user=anonymous, thread=thread, address="203.0.113.10")
    monkeypatch.setattr(timezone, "localdate", lambda: date(2099, 1, 2))
    assert services.request_support(user=anonymous, thread=thread, address="203.0.113.9")
    thread.refresh_from_db()
    assert thread.support_count == 3
    assert not any("203.0.113" in key for key in Support.objects.values_list("key", flat=True))


def test_private_or_closed_requests_and_feedback_take_no_support(
        agency: Agency, dataset: Dataset, editor: User) -> None:
    for thread in (feedback(dataset), data_request(agency, public=False)):
        with pytest.raises(ApplicationError):
            services.request_support(user=editor, thread=thread, address="203.0.113.9")
    closed = services.thread_close(user=editor, thread=data_request(agency))
    with pytest.raises(ApplicationError):
        services.request_support(user=editor, thread=closed, address="203.0.113.9")


def test_the_senders_contact_is_erased_after_the_retention_period(
        dataset: Dataset, editor: User, settings: object) -> None:
    settings.FEEDBACK_CONTACT_RETENTION_DAYS = 30  # type: ignore[attr-defined]
    old = services.thread_close(user=editor, thread=feedback(dataset))
    recent = services.thread_close(user=editor, thread=feedback(dataset))
    still_open = feedback(dataset)
    Thread.objects.filter(pk=old.pk).update(closed_at=timezone.now() - timedelta(days=31))
    assert services.contacts_erase_expired() == 1
    for thread in (old, recent, still_open):
        thread.refresh_from_db()
    assert (old.author_email, old.author_name) == ("", "")
    assert old.contact_erased
    assert recent.author_email == still_open.author_email == "binh@example.vn"
    assert Message.objects.filter(thread=old).exists()  # the content stays


def test_targets_flag_unanswered_and_unclosed_threads(dataset: Dataset, editor: User,
                                                      settings: object) -> None:
    settings.FEEDBACK_RESPONSE_DAYS, settings.FEEDBACK_RESOLUTION_DAYS = 10, 30  # type: ignore[attr-defined]
    thread = feedback(dataset)
    assert not targets_of(thread).overdue
    late = timezone.now() + timedelta(days=11)
    assert targets_of(thread, late).response_overdue
    services.thread_answer(user=editor, thread=thread, body="Đã trả lời.")
    thread.refresh_from_db()
    assert not targets_of(thread, late).response_overdue
    assert targets_of(thread, timezone.now() + timedelta(days=31)).resolution_overdue


def test_staff_writes_are_audited(dataset: Dataset, editor: User) -> None:
    thread = feedback(dataset)
    services.thread_answer(user=editor, thread=thread, body="Đã trả lời.")
    entry = AuditEntry.objects.get(action="thread.answer")
    assert entry.actor == editor
    assert entry.after["state"] == State.ANSWERED


def test_role_is_checked_not_just_the_agency(agency: Agency, dataset: Dataset) -> None:
    inactive = factories.make_user(role=Role.EDITOR, agency=agency, is_active=False)
    with pytest.raises(PermissionDenied):
        services.thread_answer(user=inactive, thread=feedback(dataset), body="Xin chào")


def test_the_erasure_runs_as_a_command_and_a_daily_job(dataset: Dataset, editor: User,
                                                       settings: object) -> None:
    settings.FEEDBACK_CONTACT_RETENTION_DAYS = 0  # type: ignore[attr-defined]
    services.thread_close(user=editor, thread=feedback(dataset))
    output = io.StringIO()
    call_command("feedback", "erase-contacts", stdout=output)
    assert "1 closed threads" in output.getvalue()
    services.thread_close(user=editor, thread=feedback(dataset))
    tasks.erase_expired_contacts.call_local()
    assert not Thread.objects.exclude(author_email="").exists()
