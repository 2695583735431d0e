"""resource_create (a link, or a multipart upload as ckanapi sends it), resource_update,
resource_patch and resource_delete."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
from django.conf import LazySettings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from portal.accounts.models import User
from portal.catalog.models import Resource
from portal.interop.tests.conftest import Answer, Catalogue, call, token_for, write

pytestmark = pytest.mark.django_db

DATA = "năm,dân số\n2025,1000000\n".encode()


def upload(client: Client, action: str, token: str | None, **fields: Any) -> Answer:
    """A multipart form as ckanapi sends it: every value a string, the file as `upload`."""
    headers = {"Accept-Language": "en"} | ({} if token is None else {"X-CKAN-API-Key": token})
    response = client.post(f"/api/3/action/{action}", fields, headers=headers)
    return Answer(response.status_code, response.json())


def test_upload_creates_a_file_resource_that_downloads(client: Client, catalogue: Catalogue,
                                                       editor: User) -> None:
    result = upload(client, "resource_create", token_for(editor),
                    package_id="dan-so-trung-binh", name="Dân số 2025", period="2025",
                    upload=SimpleUploadedFile("dan-so-2025.csv", DATA)).result
    assert (result["url_type"], result["format"], result["period"]) == ("upload", "CSV", "2025")
    assert (result["size"], result["hash"]) == (len(DATA), hashlib.sha256(DATA).hexdigest())
    assert result["encoding"] == "utf-8"
    download = client.get(result["url"].removeprefix("http://testserver"))
    assert download.getvalue() == DATA


def test_link_resource_from_json(client: Client, catalogue: Catalogue, editor: User) -> None:
    result = write(client, "resource_create", token_for(editor), package_id="dan-so-trung-binh",
                   url="https://gso.gov.vn/dan-so", format="HTML").result
    assert (result["url"], result["resource_type"], result["name"]) == (
        "https://gso.gov.vn/dan-so", "link", "dan-so")


def test_resource_without_url_or_upload_is_a_validation_error(
        client: Client, catalogue: Catalogue, editor: User) -> None:
    answer = write(client, "resource_create", token_for(editor), package_id="dan-so-trung-binh",
                   name="Trống", url="javascript:alert(1)", period="năm ngoái")
    assert answer.status == 409
    assert set(answer.error) == {"__type", "url", "period"}


def test_upload_past_the_limit_is_refused_on_upload_with_413(
        client: Client, catalogue: Catalogue, editor: User, settings: LazySettings) -> None:
    settings.MAX_UPLOAD_SIZE = 10
    answer = upload(client, "resource_create", token_for(editor),
                    package_id="dan-so-trung-binh", upload=SimpleUploadedFile("a.csv", DATA))
    assert answer.status == 413
    assert list(answer.error) == ["__type", "upload"]
    assert answer.error["__type"] == "Validation Error"


@pytest.mark.parametrize("who", ["anonymous", "member", "outsider", "supervisor"])
def test_those_who_may_not_write_cannot_add_resources(
        client: Client, catalogue: Catalogue, who: str, member: User, outsider: User,
        supervisor: User) -> None:
    token = {"anonymous": None, "member": token_for(member), "outsider": token_for(outsider),
             "supervisor": token_for(supervisor)}[who]
    answer = upload(client, "resource_create", token, package_id="dan-so-trung-binh",
                    upload=SimpleUploadedFile("a.csv", DATA))
    assert (answer.status, answer.error["__type"]) == (403, "Authorization Error")


def test_resource_update_replaces_fields_and_file(client: Client, catalogue: Catalogue,
                                                  editor: User) -> None:
    resource = catalogue.public.resources.get()
    result = upload(client, "resource_update", token_for(editor), id=str(resource.pk),
                    description="Mới", upload=SimpleUploadedFile("moi.csv", b"a\n1\n")).result
    assert (result["name"], result["description"], result["period"]) == (
        "Dân số 2025", "Mới", None)
    assert result["size"] == 4


def test_resource_patch_changes_only_what_is_given(client: Client, catalogue: Catalogue,
                                                   editor: User, sysadmin: User) -> None:
    resource = catalogue.health.resources.get()
    result = write(client, "resource_patch", token_for(sysadmin), id=str(resource.pk),
                   name="Bản đồ mới").result
    assert (result["name"], result["url"], result["format"]) == (
        "Bản đồ mới", "https://gis.ninhbinh.gov.vn/y-te", "HTML")
    refused = write(client, "resource_patch", token_for(editor), id=str(resource.pk), name="X")
    assert refused.status == 403


def test_resource_delete(client: Client, catalogue: Catalogue, editor: User,
                         outsider: User) -> None:
    resource = catalogue.public.resources.get()
    assert write(client, "resource_delete", token_for(outsider), id=str(resource.pk)
                 ).status == 403
    assert write(client, "resource_delete", token_for(editor), id=str(resource.pk)
                 ).status == 200
    assert not Resource.objects.filter(pk=resource.pk).exists()
    assert call(client, "resource_show", id=str(resource.pk)).status == 404
    assert write(client, "resource_delete", token_for(editor), id="khong-co").status == 404
