"""The previews of a resource page in a real browser: the table sorts and pages through htmx,
the chart draws from the aggregate API, the map draws its features with no tile server (every
request off the portal is refused), and the embeds load in another site's frame."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.conf import LazySettings
from playwright.sync_api import Page, Request, Route, expect

from portal.agencies.models import Agency
from portal.catalog.models import Resource
from portal.datastore.tests.tables import ready_resource
from portal.lib import factories
from portal.ops.rates import Rate

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DISTRICTS = ["Gia Viễn", "Hoa Lư", "Yên Mô", "Kim Sơn"]
# 60 communes: three pages of the preview (25 rows a page), four districts to chart.
COMMUNES = ("ma_xa,ten_xa,huyen,dan_so,vi_do,kinh_do\n" + "".join(
    f"{14400 + n},Xã số {n},{DISTRICTS[n % 4]},{1000 + 37 * n},{20.0 + n / 100:.2f},"
    f"{105.8 + n / 200:.4f}\n" for n in range(60))).encode()
POINTS = (b'{"type": "FeatureCollection", "features": ['
          b'{"type": "Feature", "properties": {"ten": "Tr\xc3\xa0ng An"}, '
          b'"geometry": {"type": "Point", "coordinates": [105.89, 20.25]}},'
          b'{"type": "Feature", "properties": {"ten": "Tam C\xe1\xbb\x91c"}, '
          b'"geometry": {"type": "Polygon", "coordinates": [[[105.9, 20.2], [105.95, 20.2], '
          b'[105.95, 20.23], [105.9, 20.2]]]}}]}')


@pytest.fixture(autouse=True)
def _english(page: Page, live_server: object) -> None:
    """These tests read the English strings: the visitor has chosen English on the switch."""
    page.context.add_cookies([{"name": "django_language", "value": "en",
                               "url": str(live_server)}])


@pytest.fixture
def communes(agency: Agency) -> Resource:
    dataset = factories.make_dataset(agency=agency, slug="xa-ninh-binh")
    return ready_resource(dataset, content=COMMUNES, name="Các xã")


def page_url(live_server: object, resource: Resource) -> str:
    return f"{live_server}/dataset/{resource.dataset.slug}/resource/{resource.pk}"


def first_codes(page: Page, count: int = 3) -> list[str]:
    cells = page.locator("#data-preview tbody tr td:first-of-type")
    return [cells.nth(index).inner_text() for index in range(count)]


def off_the_portal(page: Page, base: str) -> list[str]:
    """Refuse every request that leaves the portal (tiles, fonts, CDNs) and list them."""
    tried: list[str] = []

    def refuse(route: Route, request: Request) -> None:
        if request.url.startswith(base):
            route.continue_()
        else:
            tried.append(request.url)
            route.abort()

    page.route("**/*", refuse)
    return tried


def test_the_table_sorts_and_pages_through_htmx_without_reloading(
        page: Page, live_server: object, communes: Resource) -> None:
    page.goto(page_url(live_server, communes))
    expect(page.locator("#data-preview caption")).to_have_count(1)
    assert first_codes(page) == ["14400", "14401", "14402"]
    page.evaluate("window.__samePage = true")

    page.locator("#data-preview th a", has_text="dan_so").click()
    expect(page.locator("#data-preview th[aria-sort=ascending]")).to_contain_text("dan_so")
    page.locator("#data-preview th a", has_text="dan_so").click()
    expect(page).to_have_url(re.compile(r"sort=-dan_so"))
    expect(page.locator("#data-preview th[aria-sort=descending]")).to_contain_text("dan_so")
    assert first_codes(page) == ["14459", "14458", "14457"]

    page.locator("#preview-next").click()
    expect(page).to_have_url(re.compile(r"page=2"))
    expect(page.locator("#data-preview")).to_contain_text("Rows 26–50 of 60")
    assert first_codes(page, 1) == ["14434"]
    expect(page.locator("#preview-next")).to_be_focused()  # the keyboard stays in place
    assert page.evaluate("window.__samePage") is True  # htmx swapped the table, no reload

    page.fill("#preview-q", "Hoa Lư")
    page.locator("#preview-apply").click()
    expect(page.locator("#data-preview")).to_contain_text("of 15")
    assert "q=Hoa" in page.url
    page.go_back()
    expect(page.locator("#data-preview")).to_contain_text("Rows 26–50 of 60")


def test_past_the_rate_limit_the_table_says_so_in_its_place_and_the_page_stays(
        page: Page, live_server: object, communes: Resource, settings: LazySettings) -> None:
    """Each htmx page of the table is a data query for an anonymous visitor (one allowed
    here): the refusal takes the table's place, the rest of the page and the address stay."""
    settings.RATE_LIMIT_ANONYMOUS_COSTLY = Rate(1, 3600)
    page.goto(page_url(live_server, communes))
    page.evaluate("window.__samePage = true")
    page.locator("#preview-next").click()
    expect(page.locator("#data-preview")).to_contain_text("Rows 26–50 of 60")
    page.locator("#preview-next").click()
    refusal = page.locator("#data-preview [role=alert]")
    expect(refusal).to_contain_text("Too many requests")
    expect(refusal).to_contain_text(re.compile(r"Try again in \d+ seconds"))
    assert "page=2" in page.url  # not page=3: the address stays
    expect(page.locator("#chart")).to_have_count(1)  # the rest of the page is still there
    assert page.evaluate("window.__samePage") is True


def test_the_chart_draws_from_the_aggregate_api_and_keeps_its_state_in_the_url(
        page: Page, live_server: object, communes: Resource) -> None:
    page.goto(page_url(live_server, communes))
    page.select_option("#chart-x", "huyen")
    page.select_option("#chart-y", "sum:dan_so")
    page.select_option("#chart-type", "pie")
    with page.expect_response(re.compile(r"/api/v1/resources/.+/aggregate\?")) as answer:
        page.locator("#chart form button[type=submit], form[data-chart-form] button").click()
    assert answer.value.status == 200
    expect(page.locator("#chart-canvas canvas")).to_have_count(1)
    expect(page.locator("[data-chart-rows] tr")).to_have_count(4)
    expect(page.locator("[data-chart-rows]")).to_contain_text("Gia Viễn")
    assert "chart=pie" in page.url
    assert "x=huyen" in page.url
    expect(page.locator("#embed-chart")).to_have_value(re.compile(r"chart=pie&amp;x=huyen"))

    page.reload()  # the shared address draws the same chart
    expect(page.locator("#chart-canvas canvas")).to_have_count(1)
    expect(page.locator("#chart-type")).to_have_value("pie")


def test_the_map_draws_points_without_any_tile_server(page: Page, live_server: object,
                                                      communes: Resource) -> None:
    base = str(live_server)
    tried = off_the_portal(page, base)
    page.goto(page_url(live_server, communes))
    expect(page.locator("#map-canvas .leaflet-interactive")).to_have_count(60)
    expect(page.locator("#map-note")).to_contain_text("60")
    expect(page.locator("#map-canvas .leaflet-control-scale")).to_have_count(1)
    expect(page.locator("#map-canvas .leaflet-tile")).to_have_count(0)
    assert tried == []


def test_the_map_draws_geojson_geometries_and_caps_what_it_draws(
        page: Page, live_server: object, agency: Agency) -> None:
    from portal.datastore import geo

    dataset = factories.make_dataset(agency=agency, slug="diem-du-lich")
    places = ready_resource(dataset, content=POINTS, filename="diem.geojson", name="Điểm")
    base = str(live_server)
    tried = off_the_portal(page, base)
    page.goto(page_url(live_server, places))
    expect(page.locator("#map-canvas .leaflet-interactive")).to_have_count(2)
    assert tried == []
    assert geo.MAX_FEATURES == 5000
    limit = page.locator("#map-canvas").get_attribute("data-limit")
    assert limit == "5000"


@pytest.fixture
def other_site() -> Iterator[Callable[[str], str]]:
    """Another web site (its own origin, on this machine): serve(html) → the page's address."""
    pages: dict[str, bytes] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = pages.get(self.path, b"")
            self.send_response(200 if body else 404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()

    def serve(html: str) -> str:
        pages["/news.html"] = f"<!DOCTYPE html><html lang=vi><title>Tin</title>{html}".encode()
        return f"http://127.0.0.1:{server.server_address[1]}/news.html"

    yield serve
    server.shutdown()
    thread.join()


def test_the_embeds_load_in_another_sites_frame(page: Page, live_server: object,
                                                communes: Resource,
                                                other_site: Callable[[str], str]) -> None:
    base = str(live_server)
    frames = "".join(
        f'<iframe src="{base}/embed/resource/{communes.pk}/{path}" title="{path}" '
        f'width="600" height="400"></iframe>'
        for path in ("table", "chart?chart=bar&x=huyen&y=count", "map"))
    frames += f'<iframe src="{page_url(live_server, communes)}" title="page"></iframe>'
    page.goto(other_site(frames))
    table = page.frame_locator("iframe[title=table]")
    expect(table.locator("#data-preview tbody tr")).to_have_count(25)
    table.locator("#preview-next").click()
    # A framed page gets no cookie from another site: it speaks Vietnamese, the default.
    expect(table.locator("#data-preview")).to_contain_text(re.compile(r"26–50\D+60"))
    expect(page.frame_locator('iframe[title^="chart"]').locator("#chart-canvas canvas")) \
        .to_have_count(1)
    expect(page.frame_locator("iframe[title=map]").locator(".leaflet-interactive")) \
        .to_have_count(60)
    # The resource page itself refuses to be framed (X-Frame-Options and frame-ancestors):
    # the page's load event waited for every frame, so this one had its answer.
    refused = page.locator("iframe[title=page]").element_handle().content_frame()
    assert refused is not None
    assert not refused.url.startswith(base)
    expect(page.frame_locator("iframe[title=page]").locator("#data-preview")).to_have_count(0)
