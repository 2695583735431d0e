"""Sector pages `/group/` and `/group/<code>` (CKAN's groups)."""

from __future__ import annotations

import pytest
from django.test import Client

from portal.accounts.models import User
from portal.agencies.models import Agency, Sector
from portal.lib import factories
from portal.pages.tests.catalogue import Catalogue, make_catalogue


@pytest.fixture
def catalogue(agency: Agency, editor: User) -> Catalogue:
    return make_catalogue(agency, editor)


def page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_sector_list_shows_all_twelve_with_counts(client: Client, catalogue: Catalogue,
                                                  sectors: list[Sector]) -> None:
    text = page(client, "/group/")
    for sector in sectors:
        assert f'href="/group/{sector.code}"' in text
        assert sector.name_vi in text
    card = text.split('href="/group/nong-nghiep"')[1].split("</a>")[0]
    assert ">1 bộ dữ liệu<" in card


def test_sector_names_follow_the_language(client: Client, db: None) -> None:
    client.cookies["django_language"] = "en"
    assert "Agriculture" in page(client, "/group/")


def test_sector_page_lists_its_visible_datasets_and_agencies(
        client: Client, catalogue: Catalogue, other_agency: Agency) -> None:
    other = factories.make_dataset(agency=other_agency, slug="y-te-co-so")
    text = page(client, "/group/nong-nghiep")
    assert catalogue.public.title in text
    assert other.title not in text
    for hidden in catalogue.hidden_from_public:
        assert hidden.title not in text
    assert f'href="/organization/{catalogue.agency.slug}"' in text
    assert 'href="/dataset/?groups=nong-nghiep"' in text


def test_sector_page_for_staff_includes_shared_datasets(client: Client, catalogue: Catalogue,
                                                        outsider: User) -> None:
    client.force_login(outsider)
    assert catalogue.agencies_only.title in page(client, "/group/nong-nghiep")


def test_unknown_sector_is_a_404(client: Client, db: None) -> None:
    assert client.get("/group/khong-ton-tai").status_code == 404
