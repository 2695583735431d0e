"""Staff pages for resources: upload, link, replace and delete, through the test client."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.conf import LazySettings
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext, override

from portal.accounts.models import User
from portal.agencies.models import Agency
from portal.catalog.forms import upload_limit_message
from portal.catalog.models import Dataset, DatasetChange, Resource, ResourceKind
from portal.lib import factories

CSV = "ma_xa,ten_xa,dan_so\n14329,Phường Hoa Lư,52000\n".encode()
BOUNDARY = "portal-test-boundary"


def said(message: str) -> str:
    with override("vi"):
        return escape(gettext(message))


def multipart(fields: dict[str, str], filename: str, content: bytes) -> tuple[bytes, str]:
    """A form post built by hand, so that the file name reaches the server exactly as given."""
    parts = [f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
             .encode() for name, value in fields.items()]
    parts.append(f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; '
                 f'filename="{filename}"\r\nContent-Type: text/csv\r\n\r\n'.encode()
                 + content + b"\r\n")
    parts.append(f"--{BOUNDARY}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={BOUNDARY}"


@pytest.fixture
def draft(agency: Agency, editor: User) -> Dataset:
    return factories.make_dataset(agency=agency, user=editor, publish=False)


@pytest.fixture
def staff(client: Client, editor: User) -> Client:
    client.force_login(editor)
    return client


def add_url(dataset: Dataset) -> str:
    return reverse("catalog:resource_create", args=[dataset.slug])


def stored_name(resource: Resource) -> str:
    assert resource.file.name
    return resource.file.name


def stored_files(media: Path) -> list[Path]:
    return [path for path in media.rglob("*") if path.is_file()]


def test_editor_uploads_a_csv_hashed_and_stored_whole(staff: Client, draft: Dataset) -> None:
    upload = SimpleUploadedFile("dan-so.csv", CSV, content_type="text/csv")
    response = staff.post(add_url(draft), {"kind": "file", "name": "", "file": upload,
                                           "period": "2026-Q1"})
    assert response.status_code == 302
    resource = Resource.objects.get()
    assert resource.name == "dan-so.csv"
    assert resource.sha256 == hashlib.sha256(CSV).hexdigest()
    assert resource.size == len(CSV)
    assert resource.format == "CSV"
    assert resource.period == "2026-Q1"
    with default_storage.open(stored_name(resource), "rb") as handle:
        assert handle.read() == CSV
    assert draft.changes.filter(action=DatasetChange.Action.RESOURCE_ADDED).exists()


def test_too_large_upload_is_refused_naming_the_limit_and_nothing_is_stored(
        staff: Client, draft: Dataset, settings: LazySettings) -> None:
    settings.MAX_UPLOAD_SIZE = 1000
    upload = SimpleUploadedFile("lon.csv", b"x" * 5000, content_type="text/csv")
    response = staff.post(add_url(draft), {"kind": "file", "name": "Lớn", "file": upload})
    assert response.status_code == 413
    with override("vi"):
        message = escape(upload_limit_message())
    html = response.content.decode()
    assert message in html
    assert 'id="id_file_error"' in html
    assert not Resource.objects.exists()
    assert stored_files(Path(settings.MEDIA_ROOT)) == []


def test_far_too_large_upload_gets_the_message_even_with_csrf_checks(
        draft: Dataset, editor: User, settings: LazySettings) -> None:
    """A body past the limit is refused before any file byte is kept, yet the CSRF token passes."""
    settings.MAX_UPLOAD_SIZE = 1000
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    client.get(add_url(draft))
    token = client.cookies["csrftoken"].value
    upload = SimpleUploadedFile("lon.csv", b"x" * 200_000, content_type="text/csv")
    response = client.post(add_url(draft), {"csrfmiddlewaretoken": token, "kind": "file",
                                            "name": "Lớn", "file": upload})
    assert response.status_code == 413
    assert 'id="id_file_error"' in response.content.decode()
    assert not Resource.objects.exists()
    assert stored_files(Path(settings.MEDIA_ROOT)) == []


@pytest.mark.parametrize("filename", ["../../x.csv", "..\\..\\x.csv", "/etc/x.csv"])
def test_file_names_from_the_client_never_become_paths(
        staff: Client, draft: Dataset, filename: str, settings: LazySettings) -> None:
    body, content_type = multipart({"kind": "file", "name": "Tệp"}, filename, CSV)
    response = staff.post(add_url(draft), body, content_type=content_type)
    assert response.status_code == 302
    resource = Resource.objects.get()
    assert resource.file.name == f"resources/{draft.pk}/{resource.pk}/x.csv"
    media = Path(settings.MEDIA_ROOT).resolve()
    assert [path.relative_to(media).as_posix() for path in stored_files(media)] == [
        resource.file.name]


@pytest.mark.parametrize("filename", ["..", "."])
def test_a_file_named_only_dots_is_refused_and_nothing_is_stored(
        staff: Client, draft: Dataset, filename: str, settings: LazySettings) -> None:
    body, content_type = multipart({"kind": "file", "name": "Tệp"}, filename, CSV)
    response = staff.post(add_url(draft), body, content_type=content_type)
    assert response.status_code == 400
    assert said("Choose a file to upload.") in response.content.decode()
    assert not Resource.objects.exists()
    assert stored_files(Path(settings.MEDIA_ROOT)) == []


def test_editor_adds_a_link_and_an_api(staff: Client, draft: Dataset) -> None:
    for kind in (ResourceKind.LINK, ResourceKind.API):
        response = staff.post(add_url(draft), {"kind": kind, "name": f"Nguồn {kind}",
                                               "url": "https://gis.ninhbinh.gov.vn/api"})
        assert response.status_code == 302
    assert sorted(Resource.objects.values_list("kind", flat=True)) == ["api", "link"]
    assert not any(resource.file for resource in Resource.objects.all())


@pytest.mark.parametrize(("data", "field"), [
    ({"kind": "link", "name": "Liên kết", "url": ""}, "url"),
    ({"kind": "link", "name": "Liên kết", "url": "javascript:alert(1)"}, "url"),
    ({"kind": "link", "name": "", "url": "https://example.vn"}, "name"),
    ({"kind": "file", "name": "Tệp"}, "file"),
    ({"kind": "link", "name": "Kỳ", "url": "https://example.vn", "period": "2026-13"}, "period"),
    ({"kind": "ftp", "name": "Lạ"}, "kind"),
])
def test_bad_resource_input_is_refused_on_its_field(staff: Client, draft: Dataset,
                                                    data: dict[str, str], field: str) -> None:
    response = staff.post(add_url(draft), data)
    assert response.status_code == 400
    assert f'id="id_{field}_error"' in response.content.decode()
    assert not Resource.objects.exists()


def test_editor_replaces_a_file_and_the_old_one_is_deleted(
        staff: Client, draft: Dataset, editor: User,
        django_capture_on_commit_callbacks: Callable[..., Any]) -> None:
    resource = factories.make_resource(dataset=draft, user=editor)
    old_name = stored_name(resource)
    new = "ma,ten\n2,Tam Điệp\n".encode()
    url = reverse("catalog:resource_edit", args=[draft.slug, resource.pk])
    assert staff.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(url, {"name": "Bản mới", "file": SimpleUploadedFile("moi.csv", new),
                                    "format": "CSV"})
    assert response.status_code == 302
    resource.refresh_from_db()
    assert resource.name == "Bản mới"
    assert resource.kind == ResourceKind.FILE
    assert resource.sha256 == hashlib.sha256(new).hexdigest()
    assert not default_storage.exists(old_name)
    assert default_storage.exists(stored_name(resource))


def test_delete_asks_first_then_removes_resource_and_file(
        staff: Client, draft: Dataset, editor: User,
        django_capture_on_commit_callbacks: Callable[..., Any]) -> None:
    resource = factories.make_resource(dataset=draft, user=editor)
    url = reverse("catalog:resource_delete", args=[draft.slug, resource.pk])
    assert staff.get(url).status_code == 200
    assert Resource.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        assert staff.post(url).status_code == 302
    assert not Resource.objects.exists()
    assert not default_storage.exists(stored_name(resource))
    assert draft.changes.filter(action=DatasetChange.Action.RESOURCE_DELETED).exists()


def test_outsider_cannot_touch_another_agencys_resources(client: Client, draft: Dataset,
                                                         editor: User, outsider: User) -> None:
    resource = factories.make_resource(dataset=draft, user=editor)
    client.force_login(outsider)
    assert client.get(add_url(draft)).status_code == 404  # a draft is invisible to outsiders
    published = factories.make_dataset(agency=draft.agency, user=editor)
    assert client.post(add_url(published), {"kind": "link", "name": "X",
                                            "url": "https://example.vn"}).status_code == 403
    delete = reverse("catalog:resource_delete", args=[draft.slug, resource.pk])
    assert client.post(delete).status_code == 404
    assert Resource.objects.count() == 1


def test_unknown_or_foreign_resource_ids_give_404(staff: Client, draft: Dataset,
                                                  editor: User) -> None:
    other = factories.make_dataset(agency=draft.agency, user=editor, publish=False)
    resource = factories.make_resource(dataset=other, user=editor)
    for resource_id in ("not-a-uuid", str(resource.pk)):
        url = reverse("catalog:resource_edit", args=[draft.slug, resource_id])
        assert staff.get(url).status_code == 404
