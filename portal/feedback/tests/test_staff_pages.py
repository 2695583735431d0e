"""The staff pages: each agency sees its own threads, supervisors all of them with reassignment;
every action asks the permission module; refusals are shown on the form."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from portal.accounts.models import User
from portal.agencies.models import Agency
from portal.catalog.models import Dataset
from portal.feedback import services
from portal.feedback.models import Kind, MessageKind, State, Thread
from portal.feedback.tests.conftest import data_request, feedback, own_agency, submission

pytestmark = pytest.mark.django_db


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_staff_list_needs_an_account(client: Client) -> None:
    response = client.get("/dashboard/feedback/")
    assert response.status_code == 302
    assert response["Location"].startswith("/user/login")


def test_an_agency_sees_its_own_threads_and_supervisors_see_all(
        dataset: Dataset, editor: User, outsider: User, supervisor: User,
        other_agency: Agency) -> None:
    mine = feedback(dataset, message="Phản ánh của sở nông nghiệp")
    theirs = data_request(other_agency, title="Yêu cầu gửi sở y tế")
    own = signed_in(editor).get("/dashboard/feedback/").content.decode()
    assert f"/dashboard/feedback/{mine.pk}" in own
    assert f"/dashboard/feedback/{theirs.pk}" not in own
    other = signed_in(outsider).get("/dashboard/feedback/").content.decode()
    assert f"/dashboard/feedback/{mine.pk}" not in other
    everything = signed_in(supervisor).get("/dashboard/feedback/").content.decode()
    assert f"/dashboard/feedback/{mine.pk}" in everything
    assert f"/dashboard/feedback/{theirs.pk}" in everything
    assert 'name="agency"' in everything  # supervisors filter by agency


def test_filters_by_state_kind_and_overdue(dataset: Dataset, editor: User,
                                           settings: object) -> None:
    settings.FEEDBACK_RESPONSE_DAYS = 10  # type: ignore[attr-defined]
    late, answered = feedback(dataset), feedback(dataset)
    Thread.objects.filter(pk=late.pk).update(created=timezone.now() - timedelta(days=11))
    services.thread_answer(user=editor, thread=answered, body="Đã trả lời.")
    client = signed_in(editor)

    def listed(query: str) -> set[int]:
        html = client.get(f"/dashboard/feedback/?{query}").content.decode()
        return {thread.pk for thread in (late, answered)
                if f"/dashboard/feedback/{thread.pk}\"" in html}

    assert listed("overdue=response") == {late.pk}
    assert listed("state=answered") == {answered.pk}
    assert listed("kind=data_request") == set()
    assert listed("state=nonsense&overdue=x") == {late.pk, answered.pk}
    assert "quá hạn" in client.get("/dashboard/feedback/?overdue=any").content.decode()


def test_the_handling_agency_answers_on_the_thread_page(dataset: Dataset, editor: User) -> None:
    thread = feedback(dataset)
    client = signed_in(editor)
    html = client.get(f"/dashboard/feedback/{thread.pk}").content.decode()
    assert "binh@example.vn" in html  # the handling agency sees the sender's address
    response = client.post(f"/dashboard/feedback/{thread.pk}/answer",
                           {"answer-message": "Đã bổ sung xã Gia Viễn."})
    assert response.status_code == 302
    thread.refresh_from_db()
    assert thread.state == State.ANSWERED


def test_another_agency_cannot_reach_the_thread(dataset: Dataset, outsider: User) -> None:
    thread = feedback(dataset, public=False)
    client = signed_in(outsider)
    assert client.get(f"/dashboard/feedback/{thread.pk}").status_code == 404
    response = client.post(f"/dashboard/feedback/{thread.pk}/answer",
                           {"answer-message": "Không phải việc của tôi"})
    assert response.status_code == 404
    public = feedback(dataset)  # public: readable, still not theirs to handle
    assert client.get(f"/dashboard/feedback/{public.pk}").status_code == 404
    assert client.post(f"/dashboard/feedback/{public.pk}/answer",
                       {"answer-message": "Xin chào"}).status_code == 404
    assert not Thread.objects.filter(messages__kind=MessageKind.ANSWER).exists()


def test_a_member_reads_notes_but_has_no_actions(dataset: Dataset, member: User,
                                                 editor: User) -> None:
    thread = feedback(dataset)
    services.thread_note(user=editor, thread=thread, body="Chờ phòng thống kê")
    client = signed_in(member)
    html = client.get(f"/dashboard/feedback/{thread.pk}").content.decode()
    assert "Chờ phòng thống kê" in html
    assert "/answer" not in html
    response = client.post(f"/dashboard/feedback/{thread.pk}/answer",
                           {"answer-message": "Xin chào"})
    assert response.status_code == 403


def test_a_rejection_without_reason_is_shown_on_the_form(dataset: Dataset, editor: User) -> None:
    thread = feedback(dataset)
    response = signed_in(editor).post(f"/dashboard/feedback/{thread.pk}/reject",
                                      {"reject-reason": ""})
    assert response.status_code == 400
    assert "is-invalid" in response.content.decode()
    thread.refresh_from_db()
    assert thread.state == State.ASSIGNED


def test_only_supervisors_are_offered_and_allowed_reassignment(
        dataset: Dataset, editor: User, supervisor: User, other_agency: Agency) -> None:
    thread = feedback(dataset)
    editor_client = signed_in(editor)
    assert "/reassign" not in editor_client.get(f"/dashboard/feedback/{thread.pk}").content.decode()
    assert editor_client.post(f"/dashboard/feedback/{thread.pk}/reassign",
                              {"reassign-agency": other_agency.slug}).status_code == 403
    supervisor_client = signed_in(supervisor)
    assert "/reassign" in supervisor_client.get(
        f"/dashboard/feedback/{thread.pk}").content.decode()
    response = supervisor_client.post(f"/dashboard/feedback/{thread.pk}/reassign",
                                      {"reassign-agency": other_agency.slug})
    assert response.status_code == 302
    thread.refresh_from_db()
    assert thread.agency == other_agency


def test_a_data_request_is_linked_to_the_dataset_that_fulfils_it(
        agency: Agency, editor: User, dataset: Dataset) -> None:
    thread = data_request(agency)
    client = signed_in(editor)
    response = client.post(f"/dashboard/feedback/{thread.pk}/fulfil",
                           {"fulfil-dataset": f"https://data.ninhbinh.gov.vn/dataset/{dataset.slug}"})
    assert response.status_code == 302
    thread.refresh_from_db()
    assert thread.fulfilled_by == dataset
    assert thread.state == State.CLOSED
    missing = client.post(f"/dashboard/feedback/{data_request(agency).pk}/fulfil",
                          {"fulfil-dataset": "khong-co"})
    assert missing.status_code == 400
    assert "Không có bộ dữ liệu nào có tên này." in missing.content.decode()


def test_an_editor_asks_another_agency_and_a_member_may_not(
        editor: User, member: User, other_agency: Agency) -> None:
    form = {"kind": Kind.AGENCY_REQUEST, "agency": other_agency.slug, "title": "Xin dữ liệu",
            "message": "Đề nghị chia sẻ số liệu tiêm chủng.", "dataset": ""}
    assert signed_in(member).post("/dashboard/feedback/new", form).status_code == 403
    response = signed_in(editor).post("/dashboard/feedback/new", form)
    assert response.status_code == 302
    thread = Thread.objects.get()
    assert thread.agency == other_agency
    assert thread.requester_agency == editor.agency
    assert thread.public is False


def test_the_asking_agency_follows_its_request_without_the_notes(
        editor: User, other_agency: Agency, supervisor: User) -> None:
    thread = services.agency_thread_submit(
        user=editor, requester_agency=own_agency(editor), agency=other_agency,
        submission=submission(kind="agency_request", title="Xin dữ liệu"))
    services.thread_note(user=supervisor, thread=thread, body="Ghi chú của đơn vị giám sát")
    html = signed_in(editor).get(f"/dashboard/feedback/{thread.pk}").content.decode()
    assert "Xin dữ liệu" in html
    assert "Ghi chú của đơn vị giám sát" not in html
    assert "/answer" not in html


def test_the_staff_menu_links_the_list_with_the_open_count(dataset: Dataset,
                                                           editor: User) -> None:
    feedback(dataset)
    html = signed_in(editor).get("/dashboard/datasets").content.decode()
    assert 'href="/dashboard/feedback/"' in html
    assert '1<span class="visually-hidden"> đang mở</span>' in html
