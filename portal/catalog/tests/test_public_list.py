"""The dataset list `/dataset/`: search, CKAN's filter parameters, sort, pages, htmx fragment."""

from __future__ import annotations

import pytest
from django.test import Client

from portal.accounts.models import Role, User
from portal.agencies.models import Agency
from portal.lib import factories
from portal.pages.tests.catalogue import Catalogue, make_catalogue

URL = "/dataset/"


@pytest.fixture
def catalogue(agency: Agency, editor: User) -> Catalogue:
    return make_catalogue(agency, editor)


def titles(response: object) -> str:
    return response.content.decode()  # type: ignore[attr-defined, no-any-return]


def test_anonymous_sees_only_published_public_datasets(client: Client,
                                                      catalogue: Catalogue) -> None:
    page = titles(client.get(URL))
    assert catalogue.public.title in page
    for hidden in catalogue.hidden_from_public:
        assert hidden.title not in page
    assert "Tìm thấy 1 bộ dữ liệu" in page


def test_staff_of_another_agency_also_sees_datasets_shared_with_state_agencies(
        client: Client, catalogue: Catalogue, outsider: User) -> None:
    client.force_login(outsider)
    page = titles(client.get(URL))
    assert catalogue.agencies_only.title in page
    assert catalogue.agency_only.title not in page


def test_agency_member_sees_its_agency_only_datasets_but_drafts_are_not_listed(
        client: Client, catalogue: Catalogue) -> None:
    client.force_login(catalogue.member)
    page = titles(client.get(URL))
    assert catalogue.agency_only.title in page
    assert catalogue.draft.title not in page
    assert catalogue.withdrawn.title not in page


def test_search_ignores_accents_and_case(client: Client, catalogue: Catalogue) -> None:
    page = titles(client.get(URL, {"q": "DAN SO"}))
    assert catalogue.public.title in page
    nothing = titles(client.get(URL, {"q": "khong co gi"}))
    assert "Không có bộ dữ liệu nào phù hợp với nội dung tìm kiếm." in nothing


def test_ckan_filter_parameters_narrow_the_results(client: Client, catalogue: Catalogue,
                                                   other_agency: Agency) -> None:
    other = factories.make_dataset(agency=other_agency, title="Cơ sở y tế", slug="co-so-y-te")
    sector = catalogue.public.sectors.get()
    assert other.title not in titles(client.get(URL, {"groups": sector.code}))
    assert other.title not in titles(client.get(URL, {"organization": catalogue.agency.slug}))
    assert other.title in titles(client.get(URL, {"organization": other_agency.slug}))
    by_format = titles(client.get(URL, {"res_format": "csv"}))
    assert catalogue.public.title in by_format
    assert other.title not in by_format
    assert catalogue.public.title in titles(client.get(URL, {"tags": "dân số"}))
    assert catalogue.public.title in titles(client.get(URL, {"license_id": "vn-open-data"}))
    by_frequency = titles(client.get(URL, {"frequency": "annual"}))
    assert catalogue.public.title in by_frequency
    assert other.title not in by_frequency


def test_facets_count_only_visible_datasets(client: Client, catalogue: Catalogue) -> None:
    page = titles(client.get(URL))
    assert 'name="organization" value="so-nong-nghiep-moi-truong"' in page
    facet = page.split('value="so-nong-nghiep-moi-truong"')[1]
    assert 'facet-count">1<' in facet.split("</label>")[0]


def test_a_chosen_filter_is_shown_checked(client: Client, catalogue: Catalogue) -> None:
    page = titles(client.get(URL, {"res_format": "CSV"}))
    checkbox = page.split('name="res_format" value="CSV"')[1].split(">")[0]
    assert "checked" in checkbox


@pytest.mark.parametrize("params", [
    {"page": "abc"}, {"page": "0"}, {"page": "-1"}, {"page": "99999999999999999999"},
    {"sort": "nonsense"}, {"sort": "metadata_created desc"}, {"groups": "khong-ton-tai"},
    {"organization": "x" * 500}, {"res_format": "\x00"}, {"q": "a\x00b"}, {"q": "x" * 5000},
    {"frequency": "every-minute"}, {"unknown": "value"}, {"tags": ""},
])
def test_bad_or_unknown_parameters_give_a_normal_page(client: Client, catalogue: Catalogue,
                                                      params: dict[str, str]) -> None:
    response = client.get(URL, params)
    assert response.status_code == 200
    assert "<h1" in response.content.decode()


def test_results_are_paginated_by_twenty(client: Client, agency: Agency, editor: User) -> None:
    for number in range(23):
        factories.make_dataset(agency=agency, user=editor, slug=f"bo-{number:02d}",
                               title=f"Bộ số {number:02d}")
    first = titles(client.get(URL, {"sort": "title"}))
    assert "Tìm thấy 23 bộ dữ liệu" in first
    assert "Bộ số 19" in first
    assert "Bộ số 20" not in first
    assert 'href="?sort=title&amp;page=2"' in first
    second = titles(client.get(URL, {"sort": "title", "page": "2"}))
    assert "Bộ số 20" in second
    assert "Bộ số 19" not in second
    assert 'aria-current="page">2<' in second


def test_ckan_sort_expressions_are_understood(client: Client, agency: Agency,
                                              editor: User) -> None:
    factories.make_dataset(agency=agency, user=editor, slug="b-thu-hai", title="B thứ hai")
    factories.make_dataset(agency=agency, user=editor, slug="a-thu-nhat", title="A thứ nhất")
    page = titles(client.get(URL, {"sort": "title_string asc"}))
    assert page.index("A thứ nhất") < page.index("B thứ hai")


def test_htmx_request_gets_only_the_results_fragment(client: Client,
                                                     catalogue: Catalogue) -> None:
    response = client.get(URL, {"q": "dan so"}, headers={"HX-Request": "true"})
    fragment = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in fragment
    assert "<h1" not in fragment
    assert catalogue.public.title in fragment
    assert "HX-Request" in response["Vary"]
    full = client.get(URL, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"})
    assert "<html" in full.content.decode()


def test_supervisor_sees_every_published_dataset(client: Client, catalogue: Catalogue) -> None:
    client.force_login(factories.make_user(role=Role.SUPERVISOR))
    page = titles(client.get(URL))
    for dataset in (catalogue.public, catalogue.agencies_only, catalogue.agency_only):
        assert dataset.title in page
    assert catalogue.draft.title not in page


def test_facet_labels_follow_the_language(client: Client, catalogue: Catalogue) -> None:
    assert "Nông nghiệp" in titles(client.get(URL))
    client.cookies["django_language"] = "en"
    english = titles(client.get(URL))
    assert "Agriculture" in english
    assert "Terms of use for open data of state agencies" in english
    assert "Yearly" in english
