"""Embeddable views: only public, ready tables; framable by any site, and only these pages."""

from __future__ import annotations

import html as html_lib
import re

import pytest
from django.test import Client

from portal.accounts.models import User
from portal.agencies.models import Agency
from portal.catalog.models import Resource
from portal.datastore.tests.tables import ready_resource
from portal.lib import factories

pytestmark = pytest.mark.django_db

KINDS = ["table", "chart", "map"]


@pytest.fixture
def resource(agency: Agency, editor: User) -> Resource:
    dataset = factories.make_dataset(agency=agency, user=editor)
    return ready_resource(dataset, user=editor, name='Xã "đẹp" <nhất>')


def policy_of(header: str) -> dict[str, str]:
    parts = (part.strip().partition(" ") for part in header.split(";") if part.strip())
    return {name: value for name, _space, value in parts}


@pytest.mark.parametrize("kind", KINDS)
def test_a_public_table_can_be_framed_by_any_site(resource: Resource, kind: str) -> None:
    response = Client().get(f"/embed/resource/{resource.pk}/{kind}")
    assert response.status_code == 200
    assert "X-Frame-Options" not in response
    policy = policy_of(response["Content-Security-Policy"])
    assert policy["frame-ancestors"] == "*"
    assert policy["script-src"] == "'self'"
    assert "portal-header" not in response.content.decode()  # no site chrome


def test_the_resource_page_itself_stays_unframable(resource: Resource) -> None:
    response = Client().get(f"/dataset/{resource.dataset.slug}/resource/{resource.pk}")
    assert response["X-Frame-Options"] == "DENY"
    assert policy_of(response["Content-Security-Policy"])["frame-ancestors"] == "'none'"


@pytest.mark.parametrize("kind", KINDS)
def test_what_the_public_may_not_see_cannot_be_embedded_even_by_its_agency(
        agency: Agency, editor: User, kind: str) -> None:
    hidden = ready_resource(factories.make_dataset(agency=agency, user=editor,
                                                   access_level="agency"), user=editor)
    draft = ready_resource(factories.make_dataset(agency=agency, user=editor, publish=False),
                           user=editor)
    staff = Client()
    staff.force_login(editor)
    for resource in (hidden, draft):
        assert Client().get(f"/embed/resource/{resource.pk}/{kind}").status_code == 404
        assert staff.get(f"/embed/resource/{resource.pk}/{kind}").status_code == 404


def test_a_table_not_read_yet_or_unknown_cannot_be_embedded(agency: Agency,
                                                            editor: User) -> None:
    dataset = factories.make_dataset(agency=agency, user=editor)
    unread = factories.make_resource(dataset=dataset, user=editor)
    assert Client().get(f"/embed/resource/{unread.pk}/table").status_code == 404
    assert Client().get("/embed/resource/not-a-uuid/table").status_code == 404


def test_the_embedded_table_pages_and_sorts_with_its_own_address(resource: Resource) -> None:
    url = f"/embed/resource/{resource.pk}/table"
    fragment = Client().get(url, {"sort": "-dan_so"}, headers={"HX-Request": "true"})
    assert fragment.content.decode().lstrip().startswith('<div id="data-preview"')
    assert f'action="{url}#data-preview"' in fragment.content.decode()


def test_a_map_needs_places_and_a_chart_needs_a_column(agency: Agency, editor: User) -> None:
    plain = ready_resource(factories.make_dataset(agency=agency, user=editor),
                           user=editor, content=b"a,b\nx,1\n")
    assert Client().get(f"/embed/resource/{plain.pk}/map").status_code == 404
    chart = Client().get(f"/embed/resource/{plain.pk}/chart", {"chart": "pie", "x": "a"})
    assert 'data-chart-kind="pie" data-chart-x="a"' in chart.content.decode()
    assert "echarts" in chart.content.decode()
    unchosen = Client().get(f"/embed/resource/{plain.pk}/chart").content.decode()
    assert "echarts" not in unchosen


def test_the_embed_code_is_escaped_for_the_page_and_for_the_site_that_pastes_it(
        resource: Resource) -> None:
    page = Client().get(f"/dataset/{resource.dataset.slug}/resource/{resource.pk}")
    text = page.content.decode()
    found = re.search(r'<textarea[^>]*id="embed-table"[^>]*>(.*?)</textarea>', text, re.S)
    assert found is not None
    pasted = html_lib.unescape(found.group(1))  # what a person copies from the box
    assert pasted == (f'<iframe src="http://testserver/embed/resource/{resource.pk}/table" '
                      'title="Xã &quot;đẹp&quot; &lt;nhất&gt;" width="100%" height="480" '
                      'loading="lazy"></iframe>')


def test_no_embed_button_for_what_the_public_may_not_see(agency: Agency, editor: User) -> None:
    hidden = ready_resource(factories.make_dataset(agency=agency, user=editor,
                                                   access_level="agency"), user=editor)
    staff = Client()
    staff.force_login(editor)
    text = staff.get(f"/dataset/{hidden.dataset.slug}/resource/{hidden.pk}").content.decode()
    assert 'id="data-preview"' in text
    assert "embed-table" not in text
