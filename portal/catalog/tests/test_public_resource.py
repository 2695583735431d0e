"""The resource page and the download: exact bytes, permission-checked, names never paths."""

from __future__ import annotations

import hashlib

import pytest
from django.core.files.storage import default_storage
from django.test import Client

from portal.accounts.models import User
from portal.agencies.models import Agency
from portal.catalog.models import Resource, ResourceKind
from portal.lib import factories
from portal.pages.tests.catalogue import CSV, Catalogue, make_catalogue


@pytest.fixture
def catalogue(agency: Agency, editor: User) -> Catalogue:
    return make_catalogue(agency, editor)


def page_url(resource: Resource) -> str:
    return f"/dataset/{resource.dataset.slug}/resource/{resource.pk}"


def download_url(resource: Resource, filename: str | None = None) -> str:
    return f"{page_url(resource)}/download/{filename or resource.file_name}"


def body(response: object) -> bytes:
    return b"".join(response.streaming_content)  # type: ignore[attr-defined]


def test_resource_page_shows_its_metadata(client: Client, catalogue: Catalogue) -> None:
    resource = catalogue.resource
    response = client.get(page_url(resource))
    page = response.content.decode()
    assert response.status_code == 200
    for shown in ("dan-so-2025.csv", "text/csv", "utf-8", hashlib.sha256(CSV).hexdigest(),
                  f"({len(CSV)} byte)", "Năm 2025", catalogue.public.title):
        assert shown in page, shown
    assert f'href="{download_url(resource)}"' in page


def test_download_returns_the_exact_bytes(client: Client, catalogue: Catalogue) -> None:
    response = client.get(download_url(catalogue.resource))
    assert response.status_code == 200
    assert body(response) == CSV
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Length"] == str(len(CSV))
    assert response["Content-Disposition"] == 'attachment; filename="dan-so-2025.csv"'


def test_download_of_a_binary_file_keeps_every_byte(client: Client, catalogue: Catalogue) -> None:
    content = bytes(range(256)) * 1000
    resource = factories.make_resource(dataset=catalogue.public, user=catalogue.editor,
                                       content=content, filename="bang tinh.xlsx")
    response = client.get(download_url(resource))
    assert body(response) == content
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml")


@pytest.mark.parametrize("filename", ["khac.csv", "..%2F..%2Fsecret_key", "DAN-SO-2025.CSV"])
def test_download_with_another_file_name_is_a_404(client: Client, catalogue: Catalogue,
                                                  filename: str) -> None:
    assert client.get(download_url(catalogue.resource, filename)).status_code == 404


def test_resource_of_another_dataset_is_not_reachable_through_this_one(
        client: Client, catalogue: Catalogue, agency: Agency, editor: User) -> None:
    other = factories.make_dataset(agency=agency, user=editor, slug="bo-khac")
    url = f"/dataset/{other.slug}/resource/{catalogue.resource.pk}"
    assert client.get(url).status_code == 404
    assert client.get(f"{url}/download/{catalogue.resource.file_name}").status_code == 404


@pytest.mark.parametrize("hidden", ["agencies_only", "agency_only", "draft", "withdrawn"])
def test_files_of_hidden_datasets_are_404_for_anonymous(client: Client, catalogue: Catalogue,
                                                        hidden: str) -> None:
    resource = factories.make_resource(dataset=getattr(catalogue, hidden), user=catalogue.editor)
    assert client.get(page_url(resource)).status_code == 404
    assert client.get(download_url(resource)).status_code == 404


def test_agency_member_downloads_its_private_file(client: Client, catalogue: Catalogue) -> None:
    resource = factories.make_resource(dataset=catalogue.agency_only, user=catalogue.editor,
                                       content=b"bi mat", filename="noi-bo.csv")
    client.force_login(catalogue.member)
    assert body(client.get(download_url(resource))) == b"bi mat"


def test_link_resource_redirects_to_its_address(client: Client, catalogue: Catalogue) -> None:
    resource = factories.make_resource(dataset=catalogue.public, user=catalogue.editor,
                                       kind=ResourceKind.API, name="API dân số",
                                       url="https://api.ninhbinh.gov.vn/dan-so")
    page = client.get(page_url(resource)).content.decode()
    assert "https://api.ninhbinh.gov.vn/dan-so" in page
    response = client.get(f"{page_url(resource)}/download/data")
    assert response.status_code == 302
    assert response["Location"] == "https://api.ninhbinh.gov.vn/dan-so"


def test_link_with_a_dangerous_scheme_is_never_followed(client: Client,
                                                        catalogue: Catalogue) -> None:
    resource = factories.make_resource(dataset=catalogue.public, user=catalogue.editor,
                                       kind=ResourceKind.LINK, name="Liên kết",
                                       url="https://example.vn/")
    Resource.objects.filter(pk=resource.pk).update(url="javascript:alert(1)")
    assert "javascript:" not in client.get(page_url(resource)).content.decode()
    assert client.get(f"{page_url(resource)}/download/data").status_code == 404


def test_missing_stored_file_is_a_404_not_a_500(client: Client, catalogue: Catalogue) -> None:
    default_storage.delete(str(catalogue.resource.file.name))
    assert client.get(download_url(catalogue.resource)).status_code == 404


@pytest.mark.parametrize("resource_id", ["khong-phai-uuid", "00000000-0000-0000-0000-000000000000"])
def test_unknown_resource_is_a_404(client: Client, catalogue: Catalogue,
                                   resource_id: str) -> None:
    url = f"/dataset/{catalogue.public.slug}/resource/{resource_id}"
    assert client.get(url).status_code == 404
    assert client.get(f"{url}/download/x.csv").status_code == 404
