"""Agency pages `/organization/` and `/organization/<slug>` (CKAN's organizations)."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client

from portal.accounts.models import User
from portal.agencies.models import Agency, AgencyKind
from portal.lib import factories
from portal.pages.tests.catalogue import Catalogue, make_catalogue


@pytest.fixture
def catalogue(agency: Agency, editor: User) -> Catalogue:
    return make_catalogue(agency, editor)


def page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def merged(agency: Agency) -> Agency:
    return factories.make_agency(name="Sở Tài nguyên và Môi trường", slug="so-tnmt",
                                 valid_to=datetime.date(2025, 2, 28), replaced_by=agency)


def test_list_groups_active_agencies_by_kind_and_shows_ceased_apart(
        client: Client, catalogue: Catalogue, merged: Agency) -> None:
    commune = factories.make_agency(name="UBND phường Hoa Lư", slug="phuong-hoa-lu",
                                    kind=AgencyKind.COMMUNE)
    listing = page(client, "/organization/")
    departments = listing.split('id="kind-department"')[1].split("</section>")[0]
    communes = listing.split('id="kind-commune"')[1].split("</section>")[0]
    ceased = listing.split('id="kind-ceased"')[1].split("</section>")[0]
    assert catalogue.agency.name in departments
    assert commune.name in communes
    assert merged.name in ceased
    assert merged.name not in departments
    assert f'href="/organization/{catalogue.agency.slug}"' in ceased  # the successor


def test_list_counts_only_datasets_the_viewer_may_see(client: Client,
                                                      catalogue: Catalogue) -> None:
    row = page(client, "/organization/").split(catalogue.agency.name)[1].split("</li>")[0]
    assert ">1 bộ dữ liệu<" in row
    client.force_login(catalogue.member)
    row = page(client, "/organization/").split(catalogue.agency.name)[1].split("</li>")[0]
    assert ">3 bộ dữ liệu<" in row


def test_agency_page_shows_focal_point_sectors_and_visible_datasets(
        client: Client, catalogue: Catalogue) -> None:
    agency = catalogue.agency
    agency.focal_position, agency.focal_phone = "Phó Chánh Văn phòng", "0229 3873 000"
    agency.description = "Cơ quan **chuyên môn** của UBND tỉnh."
    agency.save()
    text = page(client, f"/organization/{agency.slug}")
    for shown in ("Nguyễn Văn An", "Phó Chánh Văn phòng", "0229 3873 000", agency.focal_email,
                  "<strong>chuyên môn</strong>", catalogue.public.title):
        assert shown in text, shown
    for sector in agency.sectors.all():
        assert f'href="/group/{sector.code}"' in text
    for hidden in catalogue.hidden_from_public:
        assert hidden.title not in text


def test_ceased_agency_page_names_its_successor(client: Client, merged: Agency,
                                                agency: Agency) -> None:
    text = page(client, f"/organization/{merged.slug}")
    assert "Cơ quan này đã ngừng hoạt động từ ngày" in text
    assert f'href="/organization/{agency.slug}"' in text


def test_agency_page_shows_parent_and_children(client: Client, agency: Agency) -> None:
    child = factories.make_agency(name="Chi cục Thủy lợi", slug="chi-cuc-thuy-loi", parent=agency)
    assert f'href="/organization/{child.slug}"' in page(client, f"/organization/{agency.slug}")
    assert f'href="/organization/{agency.slug}"' in page(client, f"/organization/{child.slug}")


def test_agency_datasets_are_paginated(client: Client, agency: Agency, editor: User) -> None:
    for number in range(21):
        factories.make_dataset(agency=agency, user=editor, slug=f"bo-{number:02d}")
    first = page(client, f"/organization/{agency.slug}")
    assert ">21 bộ dữ liệu<" in first
    assert 'href="?page=2"' in first
    assert 'href="/dataset/bo-00"' not in first  # the oldest change comes last
    assert 'href="/dataset/bo-00"' in page(client, f"/organization/{agency.slug}?page=2")
    assert 'href="/dataset/bo-20"' in page(client, f"/organization/{agency.slug}?page=nonsense")


def test_unknown_agency_is_a_404(client: Client, db: None) -> None:
    assert client.get("/organization/khong-ton-tai").status_code == 404
