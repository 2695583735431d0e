"""/api/v1/datasets: search, read and write datasets, as each role."""

from __future__ import annotations

from typing import Any

from portal.agencies.models import Agency
from portal.api.tests.conftest import Api, error_of
from portal.catalog.models import Dataset


def new_dataset(agency: Agency, **overrides: Any) -> dict[str, Any]:
    return {"name": "chat-luong-nuoc", "title": "Chất lượng nước", "agency": agency.slug,
            "sectors": [agency.sectors.all()[0].code], "keywords": ["nước"],
            "frequency": "monthly", "temporal_start": "2025-01-01"} | overrides


def test_anonymous_lists_only_published_public_datasets(anonymous: Api, public: Dataset,
                                                         draft: Dataset) -> None:
    body = anonymous.call("get", "/datasets").json()
    assert body["total"] == 1
    assert [item["name"] for item in body["results"]] == ["dan-so"]
    item = body["results"][0]
    assert item["id"] == str(public.pk)
    assert item["agency"]["slug"] == public.agency.slug
    assert item["resources"][0]["url"].endswith("/dan-so.csv")
    assert item["created"].startswith(str(public.created.year))


def test_editor_sees_own_drafts_and_filters(as_editor: Api, public: Dataset,
                                            draft: Dataset) -> None:
    body = as_editor.call("get", "/datasets", {"status": "draft"}).json()
    assert [item["name"] for item in body["results"]] == ["ban-nhap"]
    body = as_editor.call("get", "/datasets", {"frequency": "annual", "q": "dan so"}).json()
    assert [item["name"] for item in body["results"]] == ["dan-so"]


def test_pagination_gives_the_total_and_a_page(as_editor: Api, public: Dataset,
                                               draft: Dataset) -> None:
    body = as_editor.call("get", "/datasets", {"limit": 1, "offset": 1, "sort": "name"}).json()
    assert (body["total"], body["limit"], body["offset"]) == (2, 1, 1)
    assert [item["name"] for item in body["results"]] == ["dan-so"]


def test_a_draft_is_not_found_for_anonymous_and_other_agencies(
        anonymous: Api, as_outsider: Api, draft: Dataset) -> None:
    error_of(anonymous.call("get", "/datasets/ban-nhap"), 404, "not_found")
    error_of(as_outsider.call("get", f"/datasets/{draft.pk}"), 404, "not_found")
    error_of(as_outsider.call("patch", "/datasets/ban-nhap", {"title": "X"}), 404)


def test_editor_creates_updates_publishes_and_withdraws(as_editor: Api, agency: Agency) -> None:
    response = as_editor.call("post", "/datasets", new_dataset(agency))
    assert response.status_code == 201, response.content
    created = response.json()
    assert (created["status"], created["temporal_start"]) == ("draft", "2025-01-01")
    changed = as_editor.call("patch", "/datasets/chat-luong-nuoc",
                             {"title": "Nước mặt", "version": created["version"]}).json()
    assert changed["title"] == "Nước mặt"
    assert changed["keywords"] == ["nước"]
    published = as_editor.call("post", f"/datasets/{created['id']}/publish").json()
    assert published["status"] == "published"
    withdrawn = as_editor.call("delete", "/datasets/chat-luong-nuoc")
    assert withdrawn.json()["status"] == "withdrawn"


def test_put_replaces_every_field(as_editor: Api, public: Dataset) -> None:
    body = {"name": "dan-so", "title": "Dân số", "licence": "cc-by"}
    replaced = as_editor.call("put", "/datasets/dan-so", body).json()
    assert (replaced["title"], replaced["licence"], replaced["frequency"]) == (
        "Dân số", "cc-by", "irregular")


def test_a_stale_version_is_a_conflict(as_editor: Api, public: Dataset) -> None:
    old = public.version
    as_editor.call("patch", "/datasets/dan-so", {"title": "Một", "version": old})
    error_of(as_editor.call("patch", "/datasets/dan-so", {"title": "Hai", "version": old}),
             409, "conflict")
    error_of(as_editor.call("post", "/datasets/dan-so/withdraw", {"version": old}), 409)


def test_validation_errors_name_the_fields(as_editor: Api, agency: Agency) -> None:
    error = error_of(as_editor.call("post", "/datasets", {"title": 3}), 422, "validation_error")
    assert "name" in error["fields"]
    bad = new_dataset(agency, name="Không hợp lệ", sectors=["khong-co"], frequency="x")
    error = error_of(as_editor.call("post", "/datasets", bad), 422, "invalid")
    assert "sectors" in error["fields"]
    error = error_of(as_editor.call("post", "/datasets", new_dataset(agency, licence="x")), 422)
    assert "licence" in error["fields"]
    error = error_of(as_editor.call("get", "/datasets", {"limit": 0}), 422)
    assert "limit" in error["fields"]


def test_writes_are_refused_by_role(anonymous: Api, as_member: Api, as_outsider: Api,
                                    as_supervisor: Api, agency: Agency,
                                    public: Dataset) -> None:
    error_of(anonymous.call("post", "/datasets", new_dataset(agency)), 401, "not_authenticated")
    for api in (as_member, as_outsider, as_supervisor):
        error_of(api.call("post", "/datasets", new_dataset(agency)), 403, "forbidden")
        error_of(api.call("patch", "/datasets/dan-so", {"title": "X"}), 403, "forbidden")
        error_of(api.call("post", "/datasets/dan-so/withdraw"), 403, "forbidden")
    error_of(anonymous.call("delete", "/datasets/dan-so"), 401)


def test_editor_cannot_publish_outside_agency_sectors(as_editor: Api, agency: Agency,
                                                      other_agency: Agency) -> None:
    foreign = other_agency.sectors.all()[0].code
    error = error_of(as_editor.call("post", "/datasets", new_dataset(agency, sectors=[foreign])),
                     422, "invalid")
    assert "sectors" in error["fields"]


def test_a_form_sent_where_json_is_read_is_refused_not_a_server_error(
        as_editor: Api, draft: Dataset) -> None:
    """The test client's plain post() sends an (empty) multipart form."""
    response = as_editor.client.post(f"/api/v1/datasets/{draft.slug}/publish",
                                     HTTP_AUTHORIZATION=as_editor.token,
                                     HTTP_ACCEPT_LANGUAGE="en")
    assert "JSON" in error_of(response, 415, "unsupported_media_type")["message"]
    draft.refresh_from_db()
    assert draft.status == "draft"
