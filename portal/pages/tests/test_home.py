"""The home page: search box, sectors with counts, newest and most viewed, headline numbers."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from portal.accounts.models import User
from portal.agencies.models import Agency, Sector
from portal.catalog.models import Dataset
from portal.pages.tests.catalogue import Catalogue, make_catalogue


@pytest.fixture
def catalogue(agency: Agency, editor: User) -> Catalogue:
    return make_catalogue(agency, editor)


def home(client: Client) -> str:
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def sector_count(page: str, sector: Sector) -> int:
    card = page.split(f'href="/group/{sector.code}"')[1].split("</a>")[0]
    match = re.search(r"(\d+) bộ dữ liệu", card)
    assert match is not None
    return int(match.group(1))


def test_home_has_a_search_box_that_leads_to_the_dataset_list(client: Client, db: None) -> None:
    page = home(client)
    assert 'action="/dataset/"' in page
    assert '<label for="home-q"' in page
    assert 'name="q"' in page
    assert page.count("<h1") == 1


def test_home_lists_the_twelve_sectors_with_counts_of_public_datasets(
        client: Client, catalogue: Catalogue, sectors: list[Sector]) -> None:
    page = home(client)
    assert len(sectors) == 12
    for sector in sectors:
        assert f'href="/group/{sector.code}"' in page
    sector = catalogue.public.sectors.get()
    assert sector_count(page, sector) == 1  # the hidden ones, in the same sector, not counted


def test_signed_in_member_counts_its_agency_datasets(client: Client,
                                                     catalogue: Catalogue) -> None:
    client.force_login(catalogue.member)
    sector = catalogue.public.sectors.get()
    assert sector_count(home(client), sector) == 3  # public, agencies-only, agency-only


def test_home_shows_newest_and_most_viewed_public_datasets(client: Client,
                                                          catalogue: Catalogue) -> None:
    Dataset.objects.filter(pk=catalogue.public.pk).update(view_count=41)
    page = home(client)
    newest = page.split('id="newest-heading"')[1].split("</section>")[0]
    popular = page.split('id="popular-heading"')[1].split("</section>")[0]
    assert catalogue.public.title in newest
    assert catalogue.public.title in popular
    for hidden in catalogue.hidden_from_public:
        assert hidden.title not in page


def test_headline_numbers_count_what_the_viewer_may_see(client: Client,
                                                       catalogue: Catalogue) -> None:
    Dataset.objects.filter(pk=catalogue.public.pk).update(view_count=1234)
    numbers = home(client).split('class="row row-cols-2 row-cols-md-4')[1].split("</ul>")[0]
    figures = re.findall(r'stat-number d-block">([\d.,]+)<', numbers)
    assert figures == ["1", "1", "1", "1.234"]  # datasets, agencies, resources, views


def test_home_is_in_vietnamese_by_default_and_english_on_request(client: Client,
                                                                 db: None) -> None:
    assert '<html lang="vi">' in home(client)
    assert "Nông nghiệp" in home(client)
    client.cookies["django_language"] = "en"
    english = home(client)
    assert '<html lang="en">' in english
    assert "Agriculture" in english


def test_home_works_with_an_empty_catalogue(client: Client, db: None) -> None:
    assert "Chưa có bộ dữ liệu nào được công bố." in home(client)
