"""WCAG 2.1 AA checks with axe-core (from the npm registry, pinned) on the main public pages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page

from portal.agencies.models import Agency
from portal.lib import factories

pytestmark = [pytest.mark.browser,
              pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def violations(page: Page) -> list[dict[str, Any]]:
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
    sector = agency.sectors.first()
    assert sector is not None
    base = str(live_server)
    page.context.add_cookies([{"name": "django_language", "value": language, "url": base}])
    paths = ["/", "/dataset/", "/dataset/?q=khong-co-ket-qua", f"/dataset/{dataset.slug}",
             f"/dataset/{dataset.slug}/resource/{resource.pk}", f"/group/{sector.code}", "/group/",
             "/organization/", f"/organization/{agency.slug}", "/terms", "/about", "/user/login"]
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
