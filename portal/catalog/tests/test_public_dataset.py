"""The dataset page `/dataset/<name>`: metadata, resources, history, JSON-LD, who may see it."""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client

from portal.accounts.models import Role, User
from portal.agencies.models import Agency
from portal.catalog.models import Dataset
from portal.lib import factories
from portal.lib.places import province, unit_name, units
from portal.pages.tests.catalogue import Catalogue, make_catalogue

JSONLD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.DOTALL)


@pytest.fixture
def catalogue(agency: Agency, editor: User) -> Catalogue:
    return make_catalogue(agency, editor)


def page_of(client: Client, dataset: Dataset | str) -> str:
    name = dataset if isinstance(dataset, str) else dataset.slug
    response = client.get(f"/dataset/{name}")
    assert response.status_code == 200
    return response.content.decode()


def jsonld_of(page: str) -> dict[str, object]:
    match = JSONLD.search(page)
    assert match is not None
    data: dict[str, object] = json.loads(match.group(1))
    return data


def test_page_shows_the_metadata_people_need(client: Client, catalogue: Catalogue) -> None:
    agency = catalogue.agency
    agency.focal_position, agency.focal_phone = "Chuyên viên", "0229 3871 234"
    agency.save()
    page = page_of(client, catalogue.public)
    for shown in (catalogue.public.title, "dân số", "Nông nghiệp", agency.name,
                  "Nguyễn Văn An", "Chuyên viên", "0229 3871 234", agency.focal_email,
                  "Điều khoản sử dụng dữ liệu mở", "Hằng năm", "dan-so-2025.csv", "CSV",
                  "năm 2025"):
        assert shown in page, shown
    assert "<strong>bộ dữ liệu</strong>" in page  # the description's Markdown, rendered
    assert f"/dataset/{catalogue.public.slug}/resource/{catalogue.resource.pk}/download/" \
           "dan-so-2025.csv" in page


def test_page_shows_coverage_source_and_contact(client: Client, agency: Agency,
                                                editor: User) -> None:
    commune = next(code for code in units() if code != str(province().code))
    dataset = factories.make_dataset(
        agency=agency, user=editor, temporal_start="2020-01-01", temporal_end="2025-12-31",
        spatial_codes=[commune], source_system="CSDL quốc gia về dân cư",
        contact_name="Phòng Thống kê", contact_email="thongke@ninhbinh.gov.vn")
    page = page_of(client, dataset)
    for shown in (unit_name(commune), "CSDL quốc gia về dân cư", "Phòng Thống kê",
                  "mailto:thongke@ninhbinh.gov.vn", "01-01-2020"):
        assert shown in page, shown


def test_page_is_found_by_uuid_too(client: Client, catalogue: Catalogue) -> None:
    page = page_of(client, str(catalogue.public.pk))
    assert catalogue.public.title in page
    assert f'rel="canonical" href="http://testserver/dataset/{catalogue.public.slug}"' in page


def test_description_is_sanitised(client: Client, agency: Agency, editor: User) -> None:
    dataset = factories.make_dataset(
        agency=agency, user=editor,
        description='<script>alert(1)</script> [xem](javascript:alert(2)) <img src=x onerror=y>')
    page = page_of(client, dataset)
    assert "<script>alert" not in page
    assert "javascript:" not in page
    assert "onerror" not in page


def test_history_shows_who_changed_what_and_when(client: Client, catalogue: Catalogue) -> None:
    page = page_of(client, catalogue.public)
    history = page.split('id="history-heading"')[1].split("</section>")[0]
    assert "editor" in history
    assert "Đã tạo" in history
    assert "Đã công bố" in history
    assert "Đã thêm tài nguyên" in history


def test_viewing_counts_a_view(client: Client, catalogue: Catalogue) -> None:
    page_of(client, catalogue.public)
    page_of(client, catalogue.public)
    catalogue.public.refresh_from_db()
    assert catalogue.public.view_count == 2


def test_jsonld_is_a_schema_org_dataset(client: Client, catalogue: Catalogue) -> None:
    data = jsonld_of(page_of(client, catalogue.public))
    assert data["@context"] == "https://schema.org/"
    assert data["@type"] == "Dataset"
    assert data["name"] == catalogue.public.title
    assert data["description"] == "Mô tả bộ dữ liệu."
    assert data["publisher"]["name"] == catalogue.agency.name  # type: ignore[index]
    distribution: list[dict[str, str]] = data["distribution"]  # type: ignore[assignment]
    [download] = distribution
    assert download["contentUrl"].startswith("http://testserver/dataset/dan-so-theo-xa/resource/")
    assert download["encodingFormat"] == "text/csv"


def test_jsonld_cannot_close_its_script_element(client: Client, agency: Agency,
                                                editor: User) -> None:
    dataset = factories.make_dataset(agency=agency, user=editor,
                                     title="</script><script>alert(1)</script> & co")
    page = page_of(client, dataset)
    assert "</script><script>alert(1)" not in page
    assert jsonld_of(page)["name"] == "</script><script>alert(1)</script> & co"


@pytest.mark.parametrize("hidden", ["agencies_only", "agency_only", "draft", "withdrawn"])
def test_anonymous_gets_404_for_datasets_it_may_not_see(client: Client, catalogue: Catalogue,
                                                        hidden: str) -> None:
    dataset: Dataset = getattr(catalogue, hidden)
    assert client.get(f"/dataset/{dataset.slug}").status_code == 404
    assert client.get(f"/dataset/{dataset.pk}").status_code == 404


def test_other_agency_staff_see_shared_but_not_private_datasets(
        client: Client, catalogue: Catalogue, outsider: User) -> None:
    client.force_login(outsider)
    assert client.get(f"/dataset/{catalogue.agencies_only.slug}").status_code == 200
    assert client.get(f"/dataset/{catalogue.agency_only.slug}").status_code == 404
    assert client.get(f"/dataset/{catalogue.draft.slug}").status_code == 404


def test_agency_member_sees_drafts_without_edit_buttons(client: Client,
                                                        catalogue: Catalogue) -> None:
    client.force_login(catalogue.member)
    page = page_of(client, catalogue.draft)
    assert "Bộ dữ liệu này là bản nháp" in page
    assert f"/dataset/edit/{catalogue.draft.slug}" not in page


def test_editor_sees_edit_and_publish_buttons(client: Client, catalogue: Catalogue) -> None:
    client.force_login(catalogue.editor)
    draft = page_of(client, catalogue.draft)
    assert f'href="/dataset/edit/{catalogue.draft.slug}"' in draft
    assert f'action="/dataset/{catalogue.draft.slug}/publish"' in draft
    published = page_of(client, catalogue.public)
    assert f'href="/dataset/{catalogue.public.slug}/withdraw"' in published


def test_supervisor_reads_everything_but_gets_no_edit_buttons(client: Client,
                                                              catalogue: Catalogue) -> None:
    client.force_login(factories.make_user(role=Role.SUPERVISOR))
    page = page_of(client, catalogue.withdrawn)
    assert "Bộ dữ liệu này đã bị thu hồi" in page
    assert "/dataset/edit/" not in page


@pytest.mark.parametrize("name", ["khong-ton-tai", "%00", "x" * 300,
                                  "00000000-0000-0000-0000-000000000000"])
def test_unknown_dataset_is_a_404(client: Client, catalogue: Catalogue, name: str) -> None:
    assert client.get(f"/dataset/{name}").status_code == 404


def test_english_page_uses_english_names(client: Client, catalogue: Catalogue) -> None:
    client.cookies["django_language"] = "en"
    page = page_of(client, catalogue.public)
    assert "Agriculture" in page
    assert "Terms of use for open data of state agencies" in page
