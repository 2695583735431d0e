"""The Content-Security-Policy breaks nothing: the pages that run htmx and Bootstrap report no
violation in a real browser (Chromium fires `securitypolicyviolation` and logs a console error
for each blocked script, style, image or frame)."""

from __future__ import annotations

import pytest
from playwright.sync_api import ConsoleMessage, Page, expect

from portal.accounts.models import User
from portal.agencies.models import Agency, Sector
from portal.datastore.tests.tables import COMMUNES, ready_resource
from portal.lib import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Runs before any page script (injected by the browser's debugging protocol, which the policy
# does not govern) and keeps every violation the page reports.
WATCH_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(`${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}`);
});
"""


@pytest.fixture
def violations(page: Page) -> list[str]:
    """Violations seen by the page's listener and in the console; the test asserts on them."""
    console: list[str] = []

    def note(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text:
            console.append(message.text)

    page.add_init_script(WATCH_VIOLATIONS)
    page.on("console", note)
    return console


def reported(page: Page, console: list[str]) -> list[str]:
    return list(page.evaluate("window.__violations")) + console


def test_public_pages_and_the_htmx_filter_run_without_policy_violations(
        page: Page, live_server: object, agency: Agency, sectors: list[Sector],
        violations: list[str]) -> None:
    factories.make_dataset(agency=agency, title="Dân số các xã năm 2025", slug="dan-so-2025")
    factories.make_dataset(agency=agency, title="Giá lúa tháng 3", slug="gia-lua-2026-03")
    base = str(live_server)

    page.goto(base + "/")
    assert reported(page, violations) == []

    page.goto(base + "/dataset/dan-so-2025")
    expect(page.locator("h1")).to_have_text("Dân số các xã năm 2025")
    assert reported(page, violations) == []

    page.goto(base + "/dataset/")
    page.locator("#search-results input[type=checkbox]").first.check()
    page.wait_for_url("**/dataset/?*")  # htmx pushed the filtered address
    expect(page.locator("#search-results input[type=checkbox]:checked")).to_have_count(1)
    assert reported(page, violations) == []


def test_the_staff_form_and_its_htmx_slug_suggestion_run_without_policy_violations(
        page: Page, live_server: object, editor: User, violations: list[str]) -> None:
    base = str(live_server)
    page.goto(base + "/user/login")
    page.fill("#id_username", editor.username)
    page.fill("#id_password", "correct horse battery staple")
    page.locator("main form button[type=submit]").click()
    expect(page).not_to_have_url(base + "/user/login")

    page.goto(base + "/dataset/new")
    page.fill("#id_title", "Giá lúa tháng 3 năm 2026")
    expect(page.locator("#id_slug")).to_have_value("gia-lua-thang-3-nam-2026")
    assert reported(page, violations) == []


def test_the_data_previews_and_their_embeds_run_without_policy_violations(
        page: Page, live_server: object, agency: Agency, violations: list[str]) -> None:
    dataset = factories.make_dataset(agency=agency, slug="xa-phuong")
    resource = ready_resource(dataset, content=COMMUNES, name="Các xã")
    base = str(live_server)

    page.goto(f"{base}/dataset/{dataset.slug}/resource/{resource.pk}?chart=bar&x=huyen&y=count")
    expect(page.locator("#chart-canvas canvas")).to_have_count(1)
    expect(page.locator("#map-canvas .leaflet-interactive")).to_have_count(6)
    expect(page.locator("#profile-panel .profile-bars").first).to_be_visible()
    page.locator("#data-preview th a", has_text="dan_so").click()  # htmx swaps the table
    expect(page.locator("#data-preview th[aria-sort=ascending]")).to_contain_text("dan_so")
    box = page.locator("#chart-canvas").bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)  # a tooltip
    page.locator("#map-canvas .leaflet-interactive").first.click(force=True)  # a popup
    expect(page.locator(".leaflet-popup-content dl")).to_have_count(1)
    page.locator("#data-table summary").click()
    assert reported(page, violations) == []

    for path in ("table", "chart?chart=pie&x=huyen&y=sum:dan_so", "map"):
        page.goto(f"{base}/embed/resource/{resource.pk}/{path}")
        expect(page.locator("#data-preview tbody tr, #chart-canvas canvas, "
                            "#map-canvas .leaflet-interactive").first).to_be_visible()
        assert reported(page, violations) == [], path


def test_the_agency_sees_the_reading_and_the_dictionary_without_policy_violations(
        page: Page, live_server: object, agency: Agency, editor: User,
        violations: list[str]) -> None:
    dataset = factories.make_dataset(agency=agency, user=editor, slug="xa-phuong")
    resource = ready_resource(dataset, user=editor, content=COMMUNES)
    base = str(live_server)
    page.goto(base + "/user/login")
    page.fill("#id_username", editor.username)
    page.fill("#id_password", "correct horse battery staple")
    page.locator("main form button[type=submit]").click()
    expect(page).not_to_have_url(base + "/user/login")
    page.goto(f"{base}/dataset/{dataset.slug}/resource/{resource.pk}")
    expect(page.locator("#data-state")).to_contain_text("phiên bản")
    page.locator("#data-dictionary summary").click()
    expect(page.locator("#id_column-0-title")).to_be_visible()
    page.goto(f"{base}/dataset/{dataset.slug}/resource/{resource.pk}/data/dictionary")
    assert reported(page, violations) == []
