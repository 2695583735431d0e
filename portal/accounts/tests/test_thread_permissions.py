"""Threads (feedback, data requests, requests between agencies, difficulties): every person ×
action in one table, and the list filter agreeing with the rule for each thread."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from portal.accounts.permissions import (
    Action,
    can,
    staff_threads_q,
    visible_threads_q,
)
from portal.accounts.tests.test_permissions import PEOPLE, people  # noqa: F401 - the fixture
from portal.agencies.models import Agency
from portal.feedback import services
from portal.feedback.inputs import Submission
from portal.feedback.models import Thread
from portal.lib import factories

pytestmark = pytest.mark.django_db
Y, N = True, False

VIEW = {
    "public_feedback":  [Y, Y, Y, Y, Y, Y, Y, Y, Y, Y],
    "private_feedback": [N, Y, Y, Y, Y, Y, N, N, N, N],
    "rejected":         [N, Y, Y, Y, Y, Y, N, N, N, N],
    "asked_by_other":   [N, Y, Y, Y, Y, Y, Y, Y, Y, N],
    "unassigned":       [Y, Y, Y, Y, Y, Y, Y, Y, Y, Y],
}
# The handling agency's accounts read its notes and the sender's contact; the asking agency not.
NOTES = {
    "private_feedback": [N, Y, Y, Y, Y, Y, N, N, N, N],
    "asked_by_other":   [N, Y, Y, Y, Y, Y, N, N, N, N],
    "unassigned":       [N, Y, Y, N, N, N, N, N, N, N],
}
HANDLE = {
    "private_feedback": [N, Y, Y, Y, Y, N, N, N, N, N],
    "asked_by_other":   [N, Y, Y, Y, Y, N, N, N, N, N],
    "unassigned":       [N, Y, Y, N, N, N, N, N, N, N],
}
# In the staff list: the threads one's agency handles or asked, every thread for supervisors.
STAFF_LIST = {
    "private_feedback": [N, Y, Y, Y, Y, Y, N, N, N, N],
    "asked_by_other":   [N, Y, Y, Y, Y, Y, Y, Y, Y, N],
    "unassigned":       [N, Y, Y, N, N, N, N, N, N, N],
}
NO_OBJECT = {
    Action.REASSIGN_FEEDBACK:       [N, Y, Y, N, N, N, N, N, N, N],
    Action.VIEW_FEEDBACK_DASHBOARD: [N, Y, Y, Y, Y, Y, Y, Y, Y, N],
    Action.VIEW_FOLLOWERS:          [N, Y, N, N, N, N, N, N, N, N],
}


@pytest.fixture
def threads(agency: Agency, other_agency: Agency) -> dict[str, Thread]:
    dataset = factories.make_dataset(agency=agency)
    editor = factories.make_user(role="editor", agency=agency)
    asker = factories.make_user(role="editor", agency=other_agency)

    def feedback(public: bool) -> Thread:
        return services.feedback_submit(user=AnonymousUser(), dataset=dataset, submission=(
            Submission(kind="feedback", message="Thiếu dữ liệu", public=public)))

    rejected = services.thread_reject(user=editor, thread=feedback(True), reason="Rác")
    return {
        "public_feedback": feedback(True), "private_feedback": feedback(False),
        "rejected": rejected,
        "asked_by_other": services.agency_thread_submit(
            user=asker, requester_agency=other_agency, agency=agency, submission=Submission(
                kind="agency_request", title="Xin dữ liệu", message="Đề nghị chia sẻ.")),
        "unassigned": services.request_submit(user=AnonymousUser(), submission=Submission(
            kind="data_request", title="Trường học", message="Danh sách trường học.")),
    }


def check(persons: dict[str, object], threads: dict[str, Thread],
          table: dict[str, list[bool]], action: Action) -> None:
    for name, expected in table.items():
        for who, allowed in zip(PEOPLE, expected, strict=True):
            assert can(persons[who], action, threads[name]) is allowed, (name, who)  # type: ignore[arg-type]


def test_who_sees_a_thread_and_the_list_filter_agrees(
        people: dict[str, object], threads: dict[str, Thread]) -> None:  # noqa: F811
    check(people, threads, VIEW, Action.VIEW_THREAD)
    for who in PEOPLE:
        listed = set(Thread.objects.filter(visible_threads_q(people[who]))  # type: ignore[arg-type]
                     .values_list("pk", flat=True))
        allowed = {thread.pk for thread in threads.values()
                   if can(people[who], Action.VIEW_THREAD, thread)}  # type: ignore[arg-type]
        assert listed == allowed, who


def test_who_reads_notes_and_handles(people: dict[str, object],  # noqa: F811
                                     threads: dict[str, Thread]) -> None:
    check(people, threads, NOTES, Action.VIEW_THREAD_NOTES)
    check(people, threads, HANDLE, Action.HANDLE_FEEDBACK)


def test_who_lists_a_thread_on_the_staff_page(people: dict[str, object],  # noqa: F811
                                              threads: dict[str, Thread]) -> None:
    for name, expected in STAFF_LIST.items():
        for who, allowed in zip(PEOPLE, expected, strict=True):
            listed = Thread.objects.filter(staff_threads_q(people[who]),  # type: ignore[arg-type]
                                           pk=threads[name].pk).exists()
            assert listed is allowed, (name, who)


def test_actions_without_a_thread(people: dict[str, object]) -> None:  # noqa: F811
    for action, expected in NO_OBJECT.items():
        for who, allowed in zip(PEOPLE, expected, strict=True):
            assert can(people[who], action) is allowed, (action, who)  # type: ignore[arg-type]


def test_who_asks_another_agency_for_its_own(people: dict[str, object],  # noqa: F811
                                             agency: Agency) -> None:
    expected = [N, N, N, Y, Y, N, N, N, N, N]
    for who, allowed in zip(PEOPLE, expected, strict=True):
        assert can(people[who], Action.SEND_AGENCY_THREAD, agency) is allowed, who  # type: ignore[arg-type]
