"""/api/v1 resources: uploads (multipart), links (JSON), changes and deletions."""

from __future__ import annotations

from django.conf import LazySettings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from portal.api.tests.conftest import Api, error_of
from portal.catalog.models import Dataset, Resource


def upload(api: Api, dataset: Dataset, content: bytes = b"ma,ten\n1,Hoa Lu\n",
           **fields: str) -> object:
    file = SimpleUploadedFile("so-lieu.csv", content, content_type="text/csv")
    return api.client.post(f"/api/v1/datasets/{dataset.slug}/resources",
                           {"name": "Số liệu", "upload": file} | fields,
                           HTTP_AUTHORIZATION=f"Bearer {api.token}")


def test_editor_uploads_a_file(as_editor: Api, public: Dataset) -> None:
    response = upload(as_editor, public, period="2025")
    assert response.status_code == 201, response.content  # type: ignore[attr-defined]
    body = response.json()  # type: ignore[attr-defined]
    assert (body["kind"], body["format"], body["size"], body["period"]) == ("file", "CSV", 16,
                                                                           "2025")
    assert len(body["sha256"]) == 64
    assert Resource.objects.get(pk=body["id"]).file.read() == b"ma,ten\n1,Hoa Lu\n"


def test_editor_adds_a_link_changes_and_deletes_it(as_editor: Api, public: Dataset) -> None:
    created = as_editor.call("post", f"/datasets/{public.pk}/resources",
                             {"name": "Bản đồ", "url": "https://gis.ninhbinh.gov.vn/"})
    assert created.status_code == 201, created.content
    resource_id = created.json()["id"]
    assert created.json()["kind"] == "link"
    changed = as_editor.call("patch", f"/resources/{resource_id}", {"format": "HTML"})
    assert changed.json()["format"] == "HTML"
    listed = as_editor.call("get", f"/datasets/{public.slug}/resources").json()
    assert resource_id in [item["id"] for item in listed]
    assert as_editor.call("delete", f"/resources/{resource_id}").status_code == 204
    error_of(as_editor.call("get", f"/resources/{resource_id}"), 404, "not_found")


def test_an_upload_past_the_limit_is_refused(as_editor: Api, public: Dataset,
                                             settings: LazySettings) -> None:
    settings.MAX_UPLOAD_SIZE = 10
    error_of(upload(as_editor, public), 413, "too_large")
    assert public.resources.count() == 1


def test_resource_validation_and_refusals(as_editor: Api, as_outsider: Api, anonymous: Api,
                                          public: Dataset, draft: Dataset) -> None:
    error = error_of(as_editor.call("post", f"/datasets/{public.pk}/resources",
                                    {"name": "", "url": "javascript:alert(1)"}), 422)
    assert {"name", "url"} <= set(error["fields"])
    error = error_of(as_editor.call("post", f"/datasets/{public.pk}/resources", {"url": 1}),
                     422, "validation_error")
    assert "name" in error["fields"]
    error_of(as_outsider.call("post", f"/datasets/{public.pk}/resources",
                              {"name": "X", "url": "https://x.vn"}), 403, "forbidden")
    error_of(anonymous.call("post", f"/datasets/{draft.pk}/resources",
                            {"name": "X", "url": "https://x.vn"}), 401)  # before any lookup
    error_of(as_outsider.call("get", f"/datasets/{draft.pk}/resources"), 404)
    resource = public.resources.get()
    error_of(as_outsider.call("delete", f"/resources/{resource.pk}"), 403)
    error_of(anonymous.call("get", "/resources/not-a-uuid"), 404)


def test_a_session_writes_only_with_the_csrf_token(editor: object, public: Dataset) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)  # type: ignore[arg-type]
    url = f"/api/v1/datasets/{public.pk}/resources"
    body = '{"name": "Bản đồ", "url": "https://gis.ninhbinh.gov.vn/"}'
    error_of(client.post(url, body, content_type="application/json"), 403, "csrf_failed")
    client.get("/")  # a page with a form (the language switch) sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    response = client.post(url, body, content_type="application/json", HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 201, response.content
