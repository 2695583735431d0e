"""The data section of a resource page: what the public sees (ready data only), what the
agency's staff see (the reading's state, failures, encoding choice, data dictionary), and the
preview table's fragment with its page, sort and filter parameters."""

from __future__ import annotations

import re

import pytest
from django.conf import LazySettings
from django.test import Client

from portal.accounts.models import User
from portal.agencies.models import Agency
from portal.catalog.models import Dataset, Resource
from portal.datastore import preview
from portal.datastore.encodings import encode
from portal.datastore.models import DataTable, State
from portal.datastore.services import schedule_ingestion
from portal.datastore.tests.tables import read, ready_resource, xlsx
from portal.lib import factories

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_clients")]


HX = {"HX-Request": "true"}


@pytest.fixture
def dataset(agency: Agency, editor: User) -> Dataset:
    return factories.make_dataset(agency=agency, user=editor, slug="xa-phuong")


@pytest.fixture
def resource(dataset: Dataset, editor: User) -> Resource:
    return ready_resource(dataset, user=editor, name="Các xã")


def page_of(resource: Resource) -> str:
    return f"/dataset/{resource.dataset.slug}/resource/{resource.pk}"


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def cells(html: str) -> list[str]:
    """The text of the preview's first data column (ma_xa), in order."""
    return re.findall(r'<td class="text-end">(14\d{3})</td>', html)


# Public and staff ----------------------------------------------------------------------------


def test_the_public_sees_the_ready_table_but_not_the_staff_panel(resource: Resource) -> None:
    html = Client().get(page_of(resource)).content.decode()
    assert 'id="data-preview"' in html
    assert "Xã Gia Viễn" in html
    assert 'id="data-state"' not in html
    assert f"/api/v1/resources/{resource.pk}/versions/1.parquet" in html
    assert "{#" not in html  # no template comment left unparsed (they are one line only)
    assert "dictionary" not in html.split('id="data-heading"')[1].split('id="metadata-heading"')[0]


def test_agency_staff_see_the_state_and_the_dictionary_editor(resource: Resource,
                                                               editor: User) -> None:
    html = signed_in(editor).get(page_of(resource)).content.decode()
    assert 'id="data-state"' in html
    assert "Ready: version 1, 6 rows" in html
    assert 'name="column-0-title"' in html
    assert "every 2s" not in html  # nothing to poll once ready


def test_staff_of_another_agency_see_the_public_view_only(resource: Resource,
                                                          outsider: User) -> None:
    html = signed_in(outsider).get(page_of(resource)).content.decode()
    assert 'id="data-preview"' in html
    assert 'id="data-state"' not in html
    assert 'name="column-0-title"' not in html


def test_a_table_being_read_is_polled_for_staff_and_absent_for_the_public(
        dataset: Dataset, editor: User) -> None:
    resource = factories.make_resource(dataset=dataset, user=editor, content=b"a,b\n1,2\n")
    schedule_ingestion(resource, enqueue=False)
    html = signed_in(editor).get(page_of(resource)).content.decode()
    assert 'hx-trigger="every 2s"' in html
    assert "Waiting to be read" in html
    assert 'id="data"' not in Client().get(page_of(resource)).content.decode()

    DataTable.objects.filter(resource=resource).update(state=State.RUNNING, progress=0.4)
    state_url = f"/dataset/{dataset.slug}/resource/{resource.pk}/data/state?polled=1"
    polled = signed_in(editor).get(state_url, headers=HX)
    assert 'value="40"' in polled.content.decode()
    assert "HX-Refresh" not in polled

    read(resource)
    done = signed_in(editor).get(state_url, headers=HX)
    assert done["HX-Refresh"] == "true"  # the page reloads to show the data
    assert Client().get(state_url).status_code == 404
    assert signed_in(factories.make_user(role="editor", agency=factories.make_agency())).get(
        state_url).status_code == 404


def test_a_failed_reading_tells_the_agency_why_and_the_public_nothing(
        dataset: Dataset, editor: User) -> None:
    resource = factories.make_resource(dataset=dataset, user=editor,
                                       content=b"a,b\n1,2\n3,4,5\n6,7\n")
    table = read(resource)
    assert table.state == State.FAILED
    staff = signed_in(editor).get(page_of(resource)).content.decode()
    assert "The file could not be read." in staff
    assert 'role="alert"' in staff
    assert "Read the file again" in staff
    public = Client().get(page_of(resource)).content.decode()
    assert 'id="data"' not in public


def test_a_failed_rereading_keeps_showing_the_last_good_version(resource: Resource,
                                                               editor: User) -> None:
    DataTable.objects.filter(resource=resource).update(
        state=State.FAILED, message={"id": "The file is empty."})
    staff = signed_in(editor).get(page_of(resource)).content.decode()
    assert "The file is empty." in staff
    assert "still version 1" in staff
    public = Client().get(page_of(resource)).content.decode()
    assert "Xã Gia Viễn" in public
    assert "The file is empty." not in public


def test_the_agency_chooses_the_encoding_when_detection_was_unsure(
        dataset: Dataset, editor: User) -> None:
    content = encode("ten\nHuyện Gia Viễn\n", "cp1258")
    resource = factories.make_resource(dataset=dataset, user=editor, content=content)
    read(resource)
    DataTable.objects.filter(resource=resource).update(
        state=State.NEEDS_ENCODING, encoding_candidates=[["cp1258", 0.5], ["tcvn3", 0.4]],
        message={"id": "The portal cannot tell which character encoding this file uses. "
                       "Choose it from the list and run again."})
    html = signed_in(editor).get(page_of(resource)).content.decode()
    assert "Which encoding shows the text correctly?" in html
    assert html.index('value="cp1258"') < html.index('value="tcvn3"') < html.index('value="vni"')
    assert "Huyện Gia Viễn" in html  # the sample, read as Windows-1258

    read_url = f"/dataset/{dataset.slug}/resource/{resource.pk}/data/read"
    response = signed_in(editor).post(read_url, {"encoding": "cp1258"})
    assert response.status_code == 302
    table = DataTable.objects.get(resource=resource)
    assert (table.encoding, table.state) == ("cp1258", State.PENDING)


def test_only_the_agency_may_ask_for_a_new_reading(resource: Resource, outsider: User) -> None:
    read_url = f"{page_of(resource)}/data/read"
    assert signed_in(outsider).post(read_url, {}).status_code == 403
    assert Client().post(read_url, {}).status_code == 302  # to the login page
    assert DataTable.objects.get(resource=resource).state == State.READY


# The preview table ---------------------------------------------------------------------------


def test_htmx_gets_the_preview_table_alone(resource: Resource) -> None:
    response = Client().get(page_of(resource), {"sort": "-dan_so"}, headers=HX)
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="data-preview"')
    assert "<html" not in html
    assert "HX-Request" in response["Vary"]
    assert cells(html) == ["14479", "14470", "14464", "14476", "14467", "14473"]
    assert re.search(r'<th scope="col" aria-sort="descending" class="text-end">\s*<a[^>]*>dan_so',
                     html)


def test_the_preview_works_without_javascript_through_the_same_parameters(
        resource: Resource) -> None:
    html = Client().get(page_of(resource), {"sort": "ten_xa"}).content.decode()
    assert "<html" in html
    assert 'aria-sort="ascending"' in html
    assert 'href="?sort=-ten_xa#data-preview"' in html  # the next click sorts descending


def test_the_preview_pages_through_the_rows(resource: Resource,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(preview, "PAGE_SIZE", 4)
    first = Client().get(page_of(resource), headers=HX).content.decode()
    second = Client().get(page_of(resource), {"page": "2"}, headers=HX).content.decode()
    beyond = Client().get(page_of(resource), {"page": "99"}, headers=HX).content.decode()
    nonsense = Client().get(page_of(resource), {"page": "x"}, headers=HX).content.decode()
    assert cells(first) == ["14464", "14467", "14470", "14473"]
    assert "Page 1 of 2" in first
    assert 'href="?page=2#data-preview"' in first
    assert cells(second) == ["14476", "14479"]
    assert "Rows 5–6 of 6" in second
    assert cells(beyond) == cells(second)  # past the end: the last page
    assert cells(nonsense) == cells(first)


def test_each_sheet_of_a_spreadsheet_has_its_own_preview_chart_and_map(
        dataset: Dataset, editor: User) -> None:
    book = ready_resource(dataset, user=editor, filename="bao-cao.xlsx", name="Báo cáo",
                          content=xlsx(("Dân số", [["Tên xã", "Dân số"], ["Hoa Lư", 12345]]),
                                       ("Diện tích", [["Tên xã", "Diện tích (km²)"],
                                                      ["Hoa Lư", 12.5], ["Gia Viễn", 20.25]])))
    first = Client().get(page_of(book)).content.decode()
    assert re.search(r'aria-current="page">Dân số</a>', first)
    assert "Diện tích (km²)" not in first
    second = Client().get(page_of(book), {"sheet": "Diện tích"}).content.decode()
    assert re.search(r'aria-current="page">Diện tích</a>', second)
    assert "Diện tích (km²)" in second
    assert "Rows 1–2 of 2" in second
    # the profile, the chart's and the map's API calls and the embeds ask for the same sheet
    assert f"/api/v1/resources/{book.pk}/aggregate?sheet=Di%E1%BB%87n+t%C3%ADch" in second
    assert f"/embed/resource/{book.pk}/table?sheet=Di%E1%BB%87n+t%C3%ADch" in second
    assert f"/resources/{book.pk}/versions/1.parquet?sheet=Di%E1%BB%87n+t%C3%ADch" in second
    assert re.search(r"·\s*2 rows", second)
    sorted_rows = Client().get(page_of(book), {"sheet": "Diện tích", "sort": "-Diện tích (km²)"},
                               headers=HX).content.decode()
    assert sorted_rows.index("Gia Viễn") < sorted_rows.index("Hoa Lư")
    embedded = Client().get(f"/embed/resource/{book.pk}/table", {"sheet": "Diện tích"})
    assert "Diện tích (km²)" in embedded.content.decode()
    # the data dictionary describes the first sheet: its editor is there only
    staff = signed_in(editor)
    assert "dictionary-editor" in staff.get(page_of(book)).content.decode()
    assert "dictionary-editor" not in staff.get(page_of(book), {"sheet": "Diện tích"}
                                                ).content.decode()
    # a sheet that does not exist: the page shows the first, the fragment is not found
    assert re.search(r'aria-current="page">Dân số</a>',
                     Client().get(page_of(book), {"sheet": "Không có"}).content.decode())
    assert Client().get(page_of(book), {"sheet": "Không có"}, headers=HX).status_code == 404


def test_the_preview_filters_by_a_column_and_searches_the_text(resource: Resource) -> None:
    filtered = Client().get(page_of(resource), {"column": "dan_so", "op": "gte",
                                                "value": "30000"}, headers=HX).content.decode()
    assert cells(filtered) == ["14464", "14470", "14479"]
    assert "Rows 1–3 of 3" in filtered
    searched = Client().get(page_of(resource), {"q": "hoa lu"}, headers=HX).content.decode()
    assert cells(searched) == ["14470", "14473"]  # accents folded
    empty = Client().get(page_of(resource), {"column": "ngay_cap_nhat", "op": "is_null"},
                         headers=HX).content.decode()
    assert cells(empty) == ["14479"]


def test_a_filter_value_that_does_not_fit_its_column_is_explained(resource: Resource) -> None:
    html = Client().get(page_of(resource), {"column": "dan_so", "op": "gt", "value": "nhiều"},
                        headers=HX).content.decode()
    assert 'role="alert"' in html
    assert "dan_so" in html
    assert cells(html) == []


def test_unknown_columns_and_operators_in_the_url_are_ignored(resource: Resource) -> None:
    html = Client().get(page_of(resource), {"sort": "x; DROP TABLE", "column": "khong_co",
                                            "op": "like", "value": "1"},
                        headers=HX).content.decode()
    assert len(cells(html)) == 6


def test_the_filter_form_keeps_the_chart_and_the_sort(resource: Resource) -> None:
    html = Client().get(page_of(resource), {"sort": "-dan_so", "chart": "pie", "x": "huyen"},
                        headers=HX).content.decode()
    assert '<input type="hidden" name="chart" value="pie">' in html
    assert '<input type="hidden" name="sort" value="-dan_so">' in html


def test_a_non_public_resource_previews_only_for_those_who_may_see_it(
        agency: Agency, editor: User, outsider: User) -> None:
    hidden = factories.make_dataset(agency=agency, user=editor, access_level="agency")
    resource = ready_resource(hidden, user=editor)
    assert Client().get(page_of(resource), headers=HX).status_code == 404
    assert Client().get(f"{page_of(resource)}/data/profile").status_code == 404
    assert signed_in(outsider).get(page_of(resource), headers=HX).status_code == 404
    member = factories.make_user(role="member", agency=agency)
    assert cells(signed_in(member).get(page_of(resource), headers=HX).content.decode())


# Profile, chart, map -------------------------------------------------------------------------


def test_the_column_profile_is_a_fragment_for_htmx_and_a_page_without(resource: Resource) -> None:
    url = f"{page_of(resource)}/data/profile"
    fragment = Client().get(url, headers=HX).content.decode()
    assert fragment.lstrip().startswith('<div id="profile-panel"')
    assert "Distinct values" in fragment
    assert re.search(r'<rect width="100" height="10">', fragment)  # the largest bar
    assert "style=" not in fragment
    page = Client().get(url).content.decode()
    assert "<html" in page
    assert "Columns of Các xã" in page


def test_the_chart_builder_offers_counts_sums_and_averages(resource: Resource) -> None:
    html = Client().get(page_of(resource), {"chart": "line", "x": "huyen",
                                            "y": "sum:dan_so"}).content.decode()
    assert '<option value="avg:dien_tich">' in html
    assert 'data-chart-x="huyen"' in html
    assert 'data-chart-y="sum:dan_so"' in html
    assert '<option value="line" selected>' in html
    assert f'/api/v1/resources/{resource.pk}/aggregate' in html


def test_a_table_with_coordinates_gets_a_map(resource: Resource, dataset: Dataset,
                                             editor: User) -> None:
    html = Client().get(page_of(resource)).content.decode()
    assert 'data-latitude="vi_do" data-longitude="kinh_do"' in html
    assert "leaflet.js" in html
    plain = ready_resource(dataset, user=editor, content=b"a,b\n1,2\n")
    assert "leaflet" not in Client().get(page_of(plain)).content.decode()


def test_the_map_draws_at_most_one_page_of_the_records_api(resource: Resource,
                                                           settings: LazySettings) -> None:
    html = Client().get(page_of(resource)).content.decode()
    assert 'data-limit="5000"' in html
    settings.DATASTORE_MAX_ROWS = 1000
    assert 'data-limit="1000"' in Client().get(page_of(resource)).content.decode()


def test_the_map_uses_the_operators_tile_server_when_there_is_one(
        resource: Resource, settings: LazySettings) -> None:
    assert 'data-tile-url=""' in Client().get(page_of(resource)).content.decode()
    settings.MAP_TILE_URL = "https://tiles.so.local/{z}/{x}/{y}.png"
    settings.MAP_TILE_ATTRIBUTION = "© OpenStreetMap"
    html = Client().get(page_of(resource)).content.decode()
    assert 'data-tile-url="https://tiles.so.local/{z}/{x}/{y}.png"' in html
    assert 'data-tile-attribution="© OpenStreetMap"' in html
