"""The pages that query a table (the resource page's preview, its htmx fragments and its table
search; the embedded table) take their price from the same budgets as the data API: for an
anonymous visitor a search, a filter, a sort or an htmx fragment is a data query, priced in the
strict budget of costly work (portal/ops/prices.py)."""

from __future__ import annotations

import pytest
from django.conf import LazySettings
from django.test import Client

from portal.accounts.models import User
from portal.agencies.models import Agency
from portal.catalog.models import Resource
from portal.datastore.tests.tables import ready_resource
from portal.lib import factories
from portal.ops.rates import Rate

pytestmark = pytest.mark.django_db

FRAGMENT = {"HX-Request": "true", "HX-Target": "data-preview"}


@pytest.fixture
def resource(agency: Agency, editor: User) -> Resource:
    return ready_resource(factories.make_dataset(agency=agency, user=editor), user=editor)


@pytest.fixture
def three_queries_an_hour(settings: LazySettings) -> None:
    """Generous for pages, three data queries an hour for costly work."""
    settings.RATE_LIMIT_ANONYMOUS = Rate(10_000, 3600)
    settings.RATE_LIMIT_ANONYMOUS_COSTLY = Rate(3, 3600)


def page_of(resource: Resource) -> str:
    return f"/dataset/{resource.dataset.slug}/resource/{resource.pk}"


@pytest.mark.usefixtures("three_queries_an_hour")
def test_preview_fragments_past_the_budget_get_the_message_in_place_of_the_table(
        resource: Resource) -> None:
    visitor = Client()
    for page in range(1, 4):
        assert visitor.get(page_of(resource), {"page": page}, headers=FRAGMENT).status_code == 200
    refused = visitor.get(page_of(resource), {"page": 4}, headers=FRAGMENT)
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 3600
    fragment = refused.content.decode()
    assert "<html" not in fragment  # a fragment, swapped in by htmx (base.html)
    assert "Quá nhiều yêu cầu" in fragment  # the page's language: Vietnamese
    assert f"{refused['Retry-After']} giây" in fragment
    assert (refused["HX-Reswap"], refused["HX-Push-Url"]) == ("innerHTML", "false")
    # Once the wait is over, a plain link opens the whole page at the page asked for.
    assert f'href="{page_of(resource)}?page=4"' in fragment


@pytest.mark.usefixtures("three_queries_an_hour")
def test_a_table_search_on_the_resource_page_is_a_data_query(resource: Resource) -> None:
    visitor = Client()
    for words in ("Hoa", "Lư", "Ninh"):
        assert visitor.get(page_of(resource), {"q": words}).status_code == 200
    refused = visitor.get(page_of(resource), {"column": "dan_so", "op": "gte", "value": "20000"})
    assert refused.status_code == 429
    page = refused.content.decode()
    assert "<h1>Quá nhiều yêu cầu</h1>" in page
    assert int(refused["Retry-After"]) > 0


@pytest.mark.usefixtures("three_queries_an_hour")
def test_paging_through_the_whole_page_is_not_costly_but_sorting_is(resource: Resource) -> None:
    visitor = Client()
    for page in range(1, 8):
        assert visitor.get(page_of(resource), {"page": page}).status_code == 200
    for direction in ("ma_xa", "-ma_xa", "ten_xa"):
        assert visitor.get(page_of(resource), {"sort": direction}).status_code == 200
    assert visitor.get(page_of(resource), {"sort": "-ten_xa"}).status_code == 429


@pytest.mark.usefixtures("three_queries_an_hour")
def test_the_embedded_table_and_the_data_api_share_the_visitors_budget(
        resource: Resource) -> None:
    visitor = Client()
    embed = f"/embed/resource/{resource.pk}/table"
    assert visitor.get(embed, {"page": 2}, headers=FRAGMENT).status_code == 200
    assert visitor.get(embed, {"q": "Hoa"}).status_code == 200
    assert visitor.get(f"/api/v1/resources/{resource.pk}/records", {"q": "Hoa"}).status_code == (
        200)
    assert visitor.get(embed, {"page": 3}, headers=FRAGMENT).status_code == 429
    assert visitor.get(f"/api/v1/resources/{resource.pk}/records",
                       {"sort": "ma_xa"}).status_code == 429
    # Another address has its own budget; the first page of the embed is not costly.
    assert Client(REMOTE_ADDR="192.0.2.7").get(embed, {"q": "Hoa"}).status_code == 200
    assert visitor.get(embed).status_code == 200


@pytest.mark.usefixtures("three_queries_an_hour")
def test_signed_in_staff_using_the_pages_are_not_limited(resource: Resource,
                                                         editor: User) -> None:
    staff = Client()
    staff.force_login(editor)
    for page in range(1, 6):
        assert staff.get(page_of(resource), {"page": str(page), "q": "Hoa"},
                         headers=FRAGMENT).status_code == 200


def test_the_page_budget_counts_pages_for_anonymous_visitors(
        resource: Resource, settings: LazySettings) -> None:
    settings.RATE_LIMIT_ANONYMOUS = Rate(4, 3600)  # two pages
    visitor = Client()
    assert visitor.get("/dataset/").status_code == 200
    assert visitor.get(page_of(resource)).status_code == 200
    assert visitor.get("/").status_code == 429
