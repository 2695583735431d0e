"""WCAG 2.1 AA checks with axe-core (from the npm registry, pinned) on the main public pages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from playwright.sync_api import Page, expect

from portal.accounts.models import User
from portal.agencies.models import Agency
from portal.datastore.tests.tables import COMMUNES, ready_resource
from portal.feedback.inputs import Submission
from portal.feedback.services import request_submit
from portal.lib import factories

pytestmark = [pytest.mark.browser,
              pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def violations(page: Page) -> list[dict[str, Any]]:
    # Colours are checked at rest: no transition half-way (the theme honours reduced motion)
    # and no element under the pointer that the last click left hovered.
    page.emulate_media(reduced_motion="reduce")
    page.mouse.move(0, 0)
    # Evaluated through the debugging protocol: the page's CSP refuses an injected <script>.
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_AA)
    return [{"id": v["id"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"][:3]]}
            for v in result["violations"]]


@pytest.mark.parametrize("language", ["vi", "en"])
def test_public_pages_meet_wcag_aa(page: Page, live_server: object, agency: Agency,
                                   language: str) -> None:
    dataset = factories.make_dataset(agency=agency, slug="kiem-tra-tiep-can",
                                     description="| cột | giá trị |\n|---|---|\n| a | 1 |")
    resource = factories.make_resource(dataset=dataset)
    wanted = request_submit(user=AnonymousUser(), agency=agency, submission=Submission(
        kind="data_request", title="Danh sách trường học", message="Cần địa chỉ các trường."))
    sector = agency.sectors.first()
    assert sector is not None
    base = str(live_server)
    page.context.add_cookies([{"name": "django_language", "value": language, "url": base}])
    paths = ["/", "/dataset/", "/dataset/?q=khong-co-ket-qua", f"/dataset/{dataset.slug}",
             f"/dataset/{dataset.slug}/resource/{resource.pk}", f"/group/{sector.code}", "/group/",
             "/organization/", f"/organization/{agency.slug}", "/terms", "/about", "/user/login",
             f"/dataset/{dataset.slug}/feedback", "/requests/", "/requests/new",
             f"/requests/{wanted.pk}", f"/follow/dataset/{dataset.slug}"]
    found = {}
    for path in paths:
        page.goto(base + path)
        problems = violations(page)
        if problems:
            found[path] = problems
    assert not found, found


def test_pages_work_on_a_phone_screen(page: Page, live_server: object, agency: Agency) -> None:
    factories.make_dataset(agency=agency, slug="man-hinh-nho")
    page.set_viewport_size({"width": 360, "height": 740})
    for path in ["/", "/dataset/", "/dataset/man-hinh-nho"]:
        page.goto(str(live_server) + path)
        overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
        assert not overflow, f"{path} scrolls sideways on a phone"


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_resource_page_with_its_previews_meets_wcag_aa(
        page: Page, live_server: object, agency: Agency, editor: User, language: str) -> None:
    dataset = factories.make_dataset(agency=agency, user=editor, slug="xa-phuong")
    resource = ready_resource(dataset, user=editor, content=COMMUNES, name="Các xã")
    base = str(live_server)
    page.context.add_cookies([{"name": "django_language", "value": language, "url": base}])
    path = f"/dataset/{dataset.slug}/resource/{resource.pk}"
    found = {}

    page.goto(f"{base}{path}?chart=bar&x=huyen&y=sum:dan_so&sort=-dan_so")
    expect(page.locator("#chart-canvas canvas")).to_have_count(1)
    expect(page.locator("#map-canvas .leaflet-interactive")).to_have_count(6)
    expect(page.locator("#profile-panel .profile-bars").first).to_be_visible()
    page.locator("#data-table summary").click()  # the embed code
    page.locator("#chart .chart-data summary").click()  # the chart's numbers
    found["public"] = violations(page)

    for kind in ("table", "chart?chart=line&x=ngay_cap_nhat&y=count", "map"):
        page.goto(f"{base}/embed/resource/{resource.pk}/{kind}")
        expect(page.locator("#data-preview tbody tr, #chart-canvas canvas, "
                            "#map-canvas .leaflet-interactive").first).to_be_visible()
        found[kind] = violations(page)

    page.goto(base + "/user/login")
    page.fill("#id_username", editor.username)
    page.fill("#id_password", "correct horse battery staple")
    page.locator("main form button[type=submit]").click()
    page.goto(f"{base}{path}")
    page.locator("#data-dictionary summary").click()
    found["agency"] = violations(page)
    assert not any(found.values()), found


def test_the_resource_page_with_its_previews_fits_a_phone(page: Page, live_server: object,
                                                          agency: Agency) -> None:
    dataset = factories.make_dataset(agency=agency, slug="xa-dien-thoai")
    resource = ready_resource(dataset, content=COMMUNES)
    page.set_viewport_size({"width": 360, "height": 740})
    base = str(live_server)
    for path in (f"/dataset/{dataset.slug}/resource/{resource.pk}?chart=pie&x=huyen&y=count",
                 f"/embed/resource/{resource.pk}/table", f"/embed/resource/{resource.pk}/map"):
        page.goto(base + path)
        page.locator("main").first.wait_for()
        if "embed" not in path:
            expect(page.locator("#chart-canvas canvas")).to_have_count(1)
            page.locator("#data-table summary").click()
        overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
        assert not overflow, f"{path} scrolls sideways on a phone"
