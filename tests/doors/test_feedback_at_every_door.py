"""The feedback workflow gives the same answer through the pages and /api/v1.

For each person (the public, a sysadmin, a supervisor, an editor and a member of the agency that
owns the dataset, an editor of another agency): may they send feedback, read a public and a
private thread, read its internal notes, answer it, reassign it? Each door is asked the way its
users ask, and a write is a real write, read back afterwards.
"""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from portal.accounts.models import User
from portal.agencies.models import Agency
from portal.catalog.models import Dataset
from portal.feedback import services
from portal.feedback.inputs import Submission
from portal.feedback.models import MessageKind, Thread
from portal.lib import factories
from tests.doors.test_same_rule_at_every_door import PEOPLE, api_client, browser, person

pytestmark = pytest.mark.django_db
Y, N = True, False

SEND = [Y, Y, Y, Y, Y, Y]
READ_PUBLIC = [Y, Y, Y, Y, Y, Y]
READ_PRIVATE = [N, Y, Y, Y, Y, N]
READ_NOTES = [N, Y, Y, Y, Y, N]
ANSWER = [N, Y, Y, Y, N, N]
REASSIGN = [N, Y, Y, N, N, N]


def make_thread(dataset: Dataset, *, public: bool = True) -> Thread:
    editor = factories.make_user(role="editor", agency=dataset.agency)
    thread = services.feedback_submit(
        user=factories.make_user(role="member", agency=dataset.agency), dataset=dataset,
        submission=Submission(kind="feedback", message="Thiếu dữ liệu", public=public))
    services.thread_note(user=editor, thread=thread, body="GHI-CHU-NOI-BO")
    return thread


def page_sends(user: User | None, dataset: Dataset) -> bool:
    before = Thread.objects.count()
    response = browser(user).post(f"/dataset/{dataset.slug}/feedback", {
        "category": "other", "message": "Góp ý", "visibility": "public", "website": ""})
    assert response.status_code in (302, 400, 403, 404), response.status_code
    return Thread.objects.count() == before + 1


def v1_sends(user: User | None, dataset: Dataset) -> bool:
    client, headers = api_client(user)
    response = client.post(f"/api/v1/datasets/{dataset.slug}/feedback",
                           json.dumps({"message": "Góp ý"}), content_type="application/json",
                           **headers)  # type: ignore[arg-type]
    assert response.status_code in (201, 401, 403, 404), response.content
    return response.status_code == 201


def page_reads(user: User | None, thread: Thread) -> bool:
    status = browser(user).get(f"/feedback/{thread.pk}").status_code
    assert status in (200, 404), status
    return status == 200


def v1_reads(user: User | None, thread: Thread) -> bool:
    client, headers = api_client(user)
    status = client.get(f"/api/v1/feedback/{thread.pk}", **headers).status_code  # type: ignore[arg-type]
    assert status in (200, 404), status
    return status == 200


def page_reads_notes(user: User | None, thread: Thread) -> bool:
    if user is None:
        return "GHI-CHU-NOI-BO" in browser(user).get(f"/feedback/{thread.pk}").content.decode()
    response = browser(user).get(f"/dashboard/feedback/{thread.pk}")
    return response.status_code == 200 and "GHI-CHU-NOI-BO" in response.content.decode()


def v1_reads_notes(user: User | None, thread: Thread) -> bool:
    client, headers = api_client(user)
    response = client.get(f"/api/v1/feedback/{thread.pk}", **headers)  # type: ignore[arg-type]
    return response.status_code == 200 and "GHI-CHU-NOI-BO" in response.content.decode()


def answered(thread: Thread) -> bool:
    return thread.messages.filter(kind=MessageKind.ANSWER).exists()


def page_answers(user: User | None, thread: Thread) -> bool:
    response = browser(user).post(f"/dashboard/feedback/{thread.pk}/answer",
                                  {"answer-message": "Trả lời"})
    assert response.status_code in (302, 403, 404), response.status_code
    return answered(thread)


def v1_answers(user: User | None, thread: Thread) -> bool:
    client, headers = api_client(user)
    response = client.post(f"/api/v1/feedback/{thread.pk}/reply",
                           json.dumps({"message": "Trả lời"}), content_type="application/json",
                           **headers)  # type: ignore[arg-type]
    assert response.status_code in (200, 401, 403, 404), response.content
    return answered(thread)


def page_reassigns(user: User | None, thread: Thread, agency: Agency) -> bool:
    response = browser(user).post(f"/dashboard/feedback/{thread.pk}/reassign",
                                  {"reassign-agency": agency.slug})
    assert response.status_code in (302, 403, 404), response.status_code
    thread.refresh_from_db()
    return thread.agency_id == agency.pk


def v1_reassigns(user: User | None, thread: Thread, agency: Agency) -> bool:
    client, headers = api_client(user)
    response = client.post(f"/api/v1/feedback/{thread.pk}/assign",
                           json.dumps({"agency": agency.slug}), content_type="application/json",
                           **headers)  # type: ignore[arg-type]
    assert response.status_code in (200, 401, 403, 404), response.content
    thread.refresh_from_db()
    return thread.agency_id == agency.pk


ThreadDoor = Callable[[User | None, Thread], bool]
SENDERS = {"pages": page_sends, "api/v1": v1_sends}
READERS: dict[str, ThreadDoor] = {"pages": page_reads, "api/v1": v1_reads}
NOTE_READERS: dict[str, ThreadDoor] = {"pages": page_reads_notes, "api/v1": v1_reads_notes}
ANSWERERS: dict[str, ThreadDoor] = {"pages": page_answers, "api/v1": v1_answers}
REASSIGNERS = {"pages": page_reassigns, "api/v1": v1_reassigns}


@pytest.fixture
def dataset(agency: Agency) -> Dataset:
    return factories.make_dataset(agency=agency)


@pytest.mark.parametrize("door", list(SENDERS))
def test_who_sends_feedback(agency: Agency, other_agency: Agency, dataset: Dataset,
                            door: str) -> None:
    for name, expected in zip(PEOPLE, SEND, strict=True):
        user = person(name, agency, other_agency)
        assert SENDERS[door](user, dataset) is expected, f"{name} at {door}"


@pytest.mark.parametrize("public", [True, False])
@pytest.mark.parametrize("door", list(READERS))
def test_who_reads_a_thread(agency: Agency, other_agency: Agency, dataset: Dataset, door: str,
                            public: bool) -> None:
    thread = make_thread(dataset, public=public)
    for name, expected in zip(PEOPLE, READ_PUBLIC if public else READ_PRIVATE, strict=True):
        user = person(name, agency, other_agency)
        assert READERS[door](user, thread) is expected, f"{name} at {door}"


@pytest.mark.parametrize("door", list(NOTE_READERS))
def test_who_reads_internal_notes(agency: Agency, other_agency: Agency, dataset: Dataset,
                                  door: str) -> None:
    thread = make_thread(dataset)
    for name, expected in zip(PEOPLE, READ_NOTES, strict=True):
        user = person(name, agency, other_agency)
        assert NOTE_READERS[door](user, thread) is expected, f"{name} at {door}"


@pytest.mark.parametrize("door", list(ANSWERERS))
def test_who_answers(agency: Agency, other_agency: Agency, dataset: Dataset, door: str) -> None:
    for name, expected in zip(PEOPLE, ANSWER, strict=True):
        thread = make_thread(dataset)
        user = person(name, agency, other_agency)
        assert ANSWERERS[door](user, thread) is expected, f"{name} at {door}"


@pytest.mark.parametrize("door", list(REASSIGNERS))
def test_who_reassigns(agency: Agency, other_agency: Agency, dataset: Dataset,
                       door: str) -> None:
    for name, expected in zip(PEOPLE, REASSIGN, strict=True):
        thread = make_thread(dataset)
        user = person(name, agency, other_agency)
        assert REASSIGNERS[door](user, thread, other_agency) is expected, f"{name} at {door}"
