"""The focal point's journey: a reminder in the inbox, its link to the upload form with the
period filled in, an upload covering the overdue month, and the month counted late."""

from __future__ import annotations

import datetime
import json
from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import Page, expect

from portal.accounts.models import User
from portal.agencies.models import Agency
from portal.catalog.models import Dataset, Resource
from portal.lib import factories
from tests.browser.test_journeys import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def moment(day: date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(9), tzinfo=timezone.get_default_timezone())


def test_focal_point_follows_a_reminder_and_uploads_the_overdue_month(
        page: Page, live_server: object, agency: Agency, editor: User, tmp_path: Path) -> None:
    agency.focal_user = editor
    agency.save()
    dataset = factories.make_dataset(agency=agency, user=editor, frequency="monthly",
                                     title="Giá vật liệu xây dựng", slug="gia-vat-lieu")
    Dataset.objects.filter(pk=dataset.pk).update(published=moment(date(2026, 1, 5)))
    january = factories.make_resource(dataset=dataset, user=editor, period="2026-01")
    Resource.objects.filter(pk=january.pk).update(delivered=moment(date(2026, 2, 10)))
    call_command("schedule", "check", "--today", "2026-03-16")  # February is overdue
    base = str(live_server)

    log_in(page, base, editor)
    page.goto(base + "/user/notifications/")
    page.get_by_role("link", name="Dữ liệu đã quá hạn cập nhật").first.click()
    expect(page.locator("#id_period")).to_have_value("2026-02")
    file = tmp_path / "gia-t2.csv"
    file.write_text("ma,gia\n1,120000\n", encoding="utf-8")
    page.set_input_files("#id_file", str(file))
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(f"{base}/dataset/edit/gia-vat-lieu")

    page.goto(base + "/api/v1/datasets/gia-vat-lieu/schedule")
    schedule = json.loads(page.locator("body").inner_text())
    february = next(item for item in schedule["periods"] if item["period"] == "2026-02")
    assert february["state"] == "late"
    assert february["days_late"] == (timezone.localdate() - date(2026, 3, 15)).days
