"""/api/v1: the public's writes without an account, the public reads, the staff's actions; the
same rules as the pages, refusals in the API's error shape."""

from __future__ import annotations

import itertools
import json
from typing import Any

import pytest
from django.test import Client

from portal.accounts import services as accounts
from portal.accounts.models import User
from portal.agencies.models import Agency
from portal.catalog.models import Dataset
from portal.feedback import services
from portal.feedback.models import State, Thread
from portal.feedback.tests.conftest import data_request, feedback
from portal.lib import factories
from portal.ops.rates import Rate

pytestmark = pytest.mark.django_db
TOKENS = itertools.count()


def call(method: str, path: str, body: Any = None, user: User | None = None,
         read_only: bool = False) -> Any:
    headers = {}
    if user is not None:
        _token, plaintext = accounts.token_create(user=user, name=f"test {next(TOKENS)}",
                                                  read_only=read_only)
        headers["HTTP_AUTHORIZATION"] = plaintext
    client = Client()
    if method == "GET":
        return client.get(f"/api/v1{path}", body or {}, **headers)  # type: ignore[arg-type]
    return client.generic(method, f"/api/v1{path}", json.dumps(body or {}),
                          content_type="application/json", **headers)  # type: ignore[arg-type]


def test_anyone_sends_feedback_on_a_dataset_without_an_account(dataset: Dataset) -> None:
    resource = factories.make_resource(dataset=dataset)
    response = call("POST", f"/datasets/{dataset.slug}/feedback", {
        "category": "format", "message": "Xin thêm bản CSV.", "resource_id": str(resource.pk),
        "author_email": "an@example.vn"})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["state"] == "assigned"
    assert body["agency"]["slug"] == dataset.agency.slug
    assert body["resource_id"] == str(resource.pk)
    assert body["sender"] is None  # the sender's address is never echoed to the public
    assert body["url"] == f"/feedback/{body['id']}"
    assert [m["kind"] for m in body["messages"]] == ["submission"]


def test_spam_controls_answer_in_the_error_shape(dataset: Dataset, settings: Any) -> None:
    settings.FEEDBACK_MAX_LINKS = 0
    response = call("POST", f"/datasets/{dataset.slug}/feedback",
                    {"message": "Mua hàng tại https://shop.example"})
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert "message" in error["fields"]
    assert not Thread.objects.exists()


def test_public_submissions_are_rate_limited_as_costly_work(
        dataset: Dataset, production_rate_limits: dict[str, Rate]) -> None:
    client = Client()
    codes = [client.post(f"/api/v1/datasets/{dataset.slug}/feedback",
                         json.dumps({"message": "Thiếu dữ liệu"}),
                         content_type="application/json").status_code for _ in range(4)]
    assert codes == [201, 201, 201, 429]


def test_feedback_on_a_hidden_dataset_or_a_foreign_resource_is_refused(
        agency: Agency, dataset: Dataset) -> None:
    draft = factories.make_dataset(agency=agency, publish=False)
    assert call("POST", f"/datasets/{draft.slug}/feedback",
                {"message": "x"}).status_code == 404
    other = factories.make_resource(dataset=factories.make_dataset(agency=agency))
    response = call("POST", f"/datasets/{dataset.slug}/feedback",
                    {"message": "x", "resource_id": str(other.pk)})
    assert response.status_code == 422
    assert "resource_id" in response.json()["error"]["fields"]


def test_a_read_only_token_cannot_send_feedback(dataset: Dataset, editor: User) -> None:
    response = call("POST", f"/datasets/{dataset.slug}/feedback", {"message": "x"},
                    user=editor, read_only=True)
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "read_only_token"


def test_data_requests_are_created_listed_and_supported(agency: Agency) -> None:
    created = call("POST", "/requests", {"title": "Danh sách chợ", "message": "Cần tọa độ.",
                                         "agency": agency.slug})
    assert created.status_code == 201
    number = created.json()["id"]
    data_request(agency, public=False, title="Riêng tư")
    listed = call("GET", "/requests").json()
    assert listed["total"] == 1
    assert listed["results"][0]["title"] == "Danh sách chợ"
    first = call("POST", f"/requests/{number}/support").json()
    again = call("POST", f"/requests/{number}/support").json()
    assert first == {"counted": True, "support_count": 1}
    assert again == {"counted": False, "support_count": 1}
    assert call("GET", f"/requests/{number}").json()["support_count"] == 1


def test_an_unknown_agency_is_a_field_error(agency: Agency) -> None:
    response = call("POST", "/requests", {"title": "A", "message": "B", "agency": "khong-co"})
    assert response.status_code == 422
    assert "agency" in response.json()["error"]["fields"]


def test_the_staff_list_needs_an_account_and_shows_the_agencys_threads(
        dataset: Dataset, editor: User, outsider: User, supervisor: User) -> None:
    thread = feedback(dataset)
    assert call("GET", "/feedback").status_code == 401
    mine = call("GET", "/feedback", user=editor).json()
    assert [item["id"] for item in mine["results"]] == [thread.pk]
    assert mine["results"][0]["sender"]["email"] == "binh@example.vn"
    assert call("GET", "/feedback", user=outsider).json()["total"] == 0
    assert call("GET", "/feedback", {"state": "assigned"}, user=supervisor).json()["total"] == 1
    assert call("GET", "/feedback", {"state": "closed"}, user=supervisor).json()["total"] == 0


def test_staff_reply_note_and_close_through_the_api(dataset: Dataset, editor: User) -> None:
    thread = feedback(dataset)
    replied = call("POST", f"/feedback/{thread.pk}/reply", {"message": "Đã bổ sung."},
                   user=editor)
    assert replied.status_code == 200
    assert replied.json()["state"] == "answered"
    noted = call("POST", f"/feedback/{thread.pk}/notes", {"message": "Nội bộ"}, user=editor)
    assert [m["kind"] for m in noted.json()["messages"]] == ["submission", "answer", "note"]
    public_view = call("GET", f"/feedback/{thread.pk}").json()
    assert [m["kind"] for m in public_view["messages"]] == ["submission", "answer"]
    assert public_view["sender"] is None
    closed = call("POST", f"/feedback/{thread.pk}/close", {}, user=editor)
    assert closed.json()["state"] == "closed"
    late = call("POST", f"/feedback/{thread.pk}/reply", {"message": "Muộn"}, user=editor)
    assert late.status_code == 422


def test_anonymous_and_other_agencies_cannot_act(dataset: Dataset, outsider: User) -> None:
    thread = feedback(dataset)
    assert call("POST", f"/feedback/{thread.pk}/reply", {"message": "x"}).status_code == 401
    assert call("POST", f"/feedback/{thread.pk}/reply", {"message": "x"},
                user=outsider).status_code == 403
    private = feedback(dataset, public=False)
    assert call("POST", f"/feedback/{private.pk}/reply", {"message": "x"},
                user=outsider).status_code == 404
    assert call("GET", f"/feedback/{private.pk}").status_code == 404
    thread.refresh_from_db()
    assert thread.state == State.ASSIGNED


def test_only_supervisors_assign(dataset: Dataset, editor: User, supervisor: User,
                                 other_agency: Agency) -> None:
    thread = feedback(dataset)
    assert call("POST", f"/feedback/{thread.pk}/assign", {"agency": other_agency.slug},
                user=editor).status_code == 403
    moved = call("POST", f"/feedback/{thread.pk}/assign", {"agency": other_agency.slug},
                 user=supervisor)
    assert moved.json()["agency"]["slug"] == other_agency.slug


def test_reject_fulfil_and_plan(agency: Agency, dataset: Dataset, editor: User) -> None:
    spam = feedback(dataset)
    assert call("POST", f"/feedback/{spam.pk}/reject", {"reason": ""},
                user=editor).status_code == 422
    assert call("POST", f"/feedback/{spam.pk}/reject", {"reason": "Rác"},
                user=editor).json()["state"] == "rejected"
    wanted = data_request(agency)
    planned = call("POST", f"/feedback/{wanted.pk}/plan", {"list_item_code": "DM-3"},
                   user=editor).json()
    assert planned["list_item_code"] == "DM-3"
    fulfilled = call("POST", f"/feedback/{wanted.pk}/fulfil", {"dataset": dataset.slug},
                     user=editor).json()
    assert fulfilled["state"] == "closed"
    assert fulfilled["fulfilled_by"]["name"] == dataset.slug


def test_agencies_ask_each_other_through_the_api(agency: Agency, editor: User, member: User,
                                                 other_agency: Agency) -> None:
    body = {"kind": "agency_request", "agency": other_agency.slug, "title": "Xin dữ liệu",
            "message": "Đề nghị chia sẻ."}
    assert call("POST", "/feedback", body, user=member).status_code == 403
    created = call("POST", "/feedback", body, user=editor)
    assert created.status_code == 201
    assert created.json()["public"] is False
    assert created.json()["requester_agency"]["slug"] == agency.slug


def test_the_same_service_answers_the_pages_and_the_api(dataset: Dataset, editor: User) -> None:
    thread = feedback(dataset)
    services.thread_answer(user=editor, thread=thread, body="Trả lời qua trang")
    body = call("GET", f"/feedback/{thread.pk}").json()
    assert body["messages"][1]["agency"]["slug"] == dataset.agency.slug
    assert body["answered_at"] is not None
