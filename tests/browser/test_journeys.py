"""The two journeys of the foundation, in a real browser against a live server."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from portal.accounts.models import Role, User
from portal.agencies.models import Agency, Sector
from portal.catalog.models import Dataset
from portal.lib import factories

pytestmark = [pytest.mark.browser,
              pytest.mark.django_db(transaction=True)]

CSV = "ma_xa,ten_xa,dan_so\n14464,Xã Gia Viễn,31250\n".encode()


def test_public_finds_a_dataset_by_sector_and_downloads_it(page: Page, live_server: object,
                                                           agency: Agency,
                                                           sectors: list[Sector]) -> None:
    sector = agency.sectors.order_by("position").first()
    assert sector is not None
    dataset = factories.make_dataset(agency=agency, title="Dân số các xã năm 2025",
                                     slug="dan-so-cac-xa-2025", sectors=[sector])
    resource = factories.make_resource(dataset=dataset, content=CSV, filename="dan-so.csv")
    base = str(live_server)

    page.goto(base + "/")
    page.locator(f'main a[href="/group/{sector.code}"]').first.click()
    expect(page).to_have_url(f"{base}/group/{sector.code}")
    page.locator('main a[href="/dataset/dan-so-cac-xa-2025"]').first.click()
    expect(page.locator("h1")).to_have_text("Dân số các xã năm 2025")

    with page.expect_download() as download_info:
        page.locator(f'main a[href*="/resource/{resource.pk}/download/"]').first.click()
    download = download_info.value
    assert download.suggested_filename == "dan-so.csv"
    assert hashlib.sha256(Path(download.path()).read_bytes()).hexdigest() == resource.sha256


def log_in(page: Page, base: str, user: User) -> None:
    page.goto(base + "/user/login")
    page.fill("#id_username", user.username)
    page.fill("#id_password", "correct horse battery staple")
    page.locator("main form button[type=submit]").click()
    expect(page).not_to_have_url(base + "/user/login")


def test_editor_publishes_a_dataset_that_the_public_sees_only_once_published(
        browser: Browser, page: Page, live_server: object, agency: Agency, editor: User,
        tmp_path: Path) -> None:
    base = str(live_server)
    log_in(page, base, editor)

    page.goto(base + "/dataset/new")
    page.fill("#id_title", "Giá lúa tháng 3/2026")
    page.fill("#id_slug", "gia-lua-2026-03")
    page.fill("#id_description", "Giá lúa **bình quân** tại các chợ.")
    page.fill("#id_keywords", "giá cả, lúa gạo")
    page.locator("input[name=sectors]").first.check()
    page.select_option("#id_frequency", "monthly")
    page.locator("main form button[type=submit]").last.click()
    expect(page).to_have_url(f"{base}/dataset/gia-lua-2026-03/resource/new")

    data = tmp_path / "gia-lua.csv"
    data.write_bytes(CSV)
    page.fill("#id_name", "Giá lúa tháng 3")
    page.set_input_files("input[type=file]", str(data))
    page.fill("#id_period", "2026-03")
    page.locator("main form button[type=submit]").last.click()
    expect(page.locator("main")).to_contain_text("Giá lúa tháng 3")

    dataset = Dataset.objects.get(slug="gia-lua-2026-03")
    assert dataset.status == "draft"
    resource = dataset.resources.get()
    assert resource.sha256 == hashlib.sha256(CSV).hexdigest()

    public = browser.new_context(locale="vi-VN").new_page()
    assert public.goto(base + "/dataset/gia-lua-2026-03").status == 404  # type: ignore[union-attr]
    public.goto(base + "/dataset/?q=gia lua")
    expect(public.locator('main a[href="/dataset/gia-lua-2026-03"]')).to_have_count(0)

    page.goto(base + "/dataset/gia-lua-2026-03/publish")
    page.locator("main form button[type=submit]").first.click()
    dataset.refresh_from_db()
    assert dataset.status == "published"

    response = public.goto(base + "/dataset/gia-lua-2026-03")
    assert response is not None
    assert response.status == 200
    expect(public.locator("h1")).to_have_text("Giá lúa tháng 3/2026")
    public.goto(base + "/dataset/?q=gia lua")
    expect(public.locator('main a[href="/dataset/gia-lua-2026-03"]').first).to_be_visible()
    public.context.close()


def test_member_cannot_reach_the_new_dataset_form(page: Page, live_server: object,
                                                  agency: Agency) -> None:
    member = factories.make_user(role=Role.MEMBER, agency=agency)
    base = str(live_server)
    log_in(page, base, member)
    response = page.goto(base + "/dataset/new")
    assert response is not None
    assert response.status == 403
