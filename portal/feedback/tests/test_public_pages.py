"""The public's pages: the form on every dataset and resource page, the public threads shown
there, the data requests with their +1, and every refusal in Vietnamese with nothing saved."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from portal.accounts.models import User
from portal.agencies.models import Agency
from portal.catalog.models import Dataset
from portal.feedback import services
from portal.feedback.models import Kind, State, Thread
from portal.feedback.tests.conftest import data_request, feedback
from portal.lib import factories
from portal.ops.rates import Rate

pytestmark = pytest.mark.django_db

FORM = {"category": "data_quality", "message": "Thiếu dữ liệu xã Gia Viễn.",
        "author_name": "Lê Văn Cường", "author_email": "cuong@example.vn",
        "visibility": "public", "website": ""}


def page(client: Client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_every_dataset_page_has_the_feedback_form(client: Client, dataset: Dataset) -> None:
    html = page(client, f"/dataset/{dataset.slug}")
    assert f'action="/dataset/{dataset.slug}/feedback"' in html
    assert 'name="website"' in html  # the honeypot, off screen
    assert "Gửi phản ánh" in html


def test_an_anonymous_visitor_sends_feedback_and_is_thanked(client: Client,
                                                            dataset: Dataset) -> None:
    response = client.post(f"/dataset/{dataset.slug}/feedback", FORM, follow=True)
    thread = Thread.objects.get()
    assert response.redirect_chain[-1][0] == f"/dataset/{dataset.slug}#feedback"
    assert thread.kind == Kind.FEEDBACK
    assert thread.agency == dataset.agency
    assert thread.author_email == "cuong@example.vn"
    html = response.content.decode()
    assert f"Nội dung số {thread.pk} đã được gửi tới Sở Nông nghiệp và Môi trường" in html
    assert "Thiếu dữ liệu xã Gia Viễn." in html  # shown at once among the public threads
    assert "cuong@example.vn" not in html
    assert "Lê Văn Cường" not in html


def test_feedback_on_a_resource_names_it(client: Client, dataset: Dataset) -> None:
    resource = factories.make_resource(dataset=dataset)
    path = f"/dataset/{dataset.slug}/resource/{resource.pk}"
    assert f'action="{path}/feedback"' in page(client, path)
    response = client.post(f"{path}/feedback", FORM)
    assert response.status_code == 302
    assert Thread.objects.get().resource == resource


@pytest.mark.parametrize(("changes", "expected"), [
    ({"website": "http://spam.example"}, "Để trống ô này"),
    ({"message": "x" * 5001}, "tối đa 5000 ký tự"),
    ({"message": "http://a.vn http://b.vn http://c.vn"}, "quá nhiều đường liên kết"),
    ({"message": ""}, "Vui lòng nhập nội dung."),
    ({"author_email": "khong-hop-le"}, "Địa chỉ thư điện tử không hợp lệ"),
])
def test_refusals_are_explained_in_vietnamese_and_nothing_is_saved(
        client: Client, dataset: Dataset, changes: dict[str, str], expected: str) -> None:
    response = client.post(f"/dataset/{dataset.slug}/feedback", FORM | changes)
    assert response.status_code == 400
    assert expected in response.content.decode()
    assert not Thread.objects.exists()


def test_a_fourth_submission_in_a_minute_is_refused(
        client: Client, dataset: Dataset, production_rate_limits: dict[str, Rate]) -> None:
    codes = [client.post(f"/dataset/{dataset.slug}/feedback", FORM).status_code
             for _ in range(4)]
    assert codes == [302, 302, 302, 429]
    assert Thread.objects.count() == 3


def test_no_feedback_on_a_dataset_the_visitor_may_not_see(client: Client,
                                                          agency: Agency) -> None:
    draft = factories.make_dataset(agency=agency, publish=False)
    assert client.post(f"/dataset/{draft.slug}/feedback", FORM).status_code == 404
    assert not Thread.objects.exists()


def test_the_dataset_page_shows_public_threads_with_their_answers_escaped(
        client: Client, dataset: Dataset, editor: User) -> None:
    shown = feedback(dataset, message="<script>alert(1)</script> thiếu số liệu")
    services.thread_answer(user=editor, thread=shown, body="Đã **bổ sung**.")
    services.thread_note(user=editor, thread=shown, body="Ghi chú nội bộ bí mật")
    feedback(dataset, message="Nội dung riêng tư", public=False)
    spam = feedback(dataset, message="Quảng cáo rác")
    services.thread_reject(user=editor, thread=spam, reason="Rác")
    html = page(client, f"/dataset/{dataset.slug}")
    assert "&lt;script&gt;alert(1)&lt;/script&gt; thiếu số liệu" in html
    assert "<script>alert(1)" not in html
    assert "Đã **bổ sung**." in html
    assert "Sở Nông nghiệp và Môi trường</strong> · trả lời" in html
    assert "Ghi chú nội bộ bí mật" not in html
    assert "Nội dung riêng tư" not in html
    assert "Quảng cáo rác" not in html


def test_the_feedback_block_costs_the_same_queries_for_one_thread_or_many(
        client: Client, dataset: Dataset, editor: User) -> None:
    services.thread_answer(user=editor, thread=feedback(dataset), body="Đã sửa.")
    with CaptureQueriesContext(connection) as one:
        page(client, f"/dataset/{dataset.slug}")
    for _ in range(4):
        services.thread_answer(user=editor, thread=feedback(dataset), body="Đã sửa.")
    with CaptureQueriesContext(connection) as five:
        page(client, f"/dataset/{dataset.slug}")
    assert len(five.captured_queries) == len(one.captured_queries)


def test_a_public_thread_has_its_own_page_and_a_private_one_does_not(
        client: Client, dataset: Dataset, editor: User) -> None:
    public, private = feedback(dataset), feedback(dataset, public=False)
    assert "Phản ánh số" in page(client, f"/feedback/{public.pk}")
    assert client.get(f"/feedback/{private.pk}").status_code == 404
    assert client.get(f"/requests/{public.pk}").status_code == 404  # not a request
    client.force_login(editor)
    assert client.get(f"/feedback/{private.pk}").status_code == 200  # its agency reads it


def test_anyone_asks_for_data_without_an_account(client: Client, agency: Agency) -> None:
    response = client.post("/requests/new", {
        "title": "Danh sách trường mầm non", "message": "Cần địa chỉ và số lớp.",
        "agency": agency.slug, "author_email": "", "author_name": "", "visibility": "public",
        "website": ""}, follow=True)
    thread = Thread.objects.get()
    assert thread.kind == Kind.DATA_REQUEST
    assert thread.agency == agency
    assert thread.state == State.ASSIGNED
    assert response.redirect_chain[-1][0] == f"/requests/{thread.pk}"


def test_the_request_list_shows_open_public_requests_and_counts_supports(
        client: Client, agency: Agency) -> None:
    shown = data_request(agency)
    hidden = data_request(agency, public=False, title="Yêu cầu riêng")
    html = page(client, "/requests/")
    assert shown.title in html
    assert hidden.title not in html
    first = client.post(f"/requests/{shown.pk}/support", {"from": "list"}, follow=True)
    assert "lượt ủng hộ đã được ghi nhận" in first.content.decode()
    again = client.post(f"/requests/{shown.pk}/support", follow=True)
    assert "mỗi địa chỉ chỉ được tính một lần mỗi ngày" in again.content.decode()
    shown.refresh_from_db()
    assert shown.support_count == 1
    assert client.post(f"/requests/{hidden.pk}/support").status_code == 404


def test_a_fulfilled_request_links_its_dataset(client: Client, agency: Agency, editor: User,
                                               dataset: Dataset) -> None:
    thread = services.request_fulfil(user=editor, thread=data_request(agency), dataset=dataset)
    html = page(client, f"/requests/{thread.pk}")
    assert f'href="/dataset/{dataset.slug}"' in html
    assert "+1" not in html  # closed: no more supports
    assert thread.title in page(client, "/requests/?state=closed")


def test_bad_list_parameters_are_ignored(client: Client) -> None:
    assert client.get("/requests/?state=nonsense&sort=x&page=abc").status_code == 200


