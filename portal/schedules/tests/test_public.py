"""The schedules on the public side: the dataset page, the agency page, the list's filter and
facet, GET /api/v1/datasets/{id}/schedule and CKAN's dataset dictionary."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.test import Client
from django.utils import timezone

from portal.accounts.models import User
from portal.agencies.models import Agency
from portal.catalog.models import Dataset
from portal.lib import factories
from portal.lib.periods import period_of
from portal.schedules.deadlines import due_date
from portal.schedules.services import schedule_refresh
from portal.schedules.tests.test_refresh import monthly, upload


@pytest.fixture
def overdue(agency: Agency, editor: User) -> Dataset:
    """Monthly since January 2026, only January delivered (on time)."""
    dataset = monthly(agency, editor, date(2026, 1, 5), title="Giá vàng", slug="gia-vang")
    upload(dataset, editor, ["2026-01"], date(2026, 2, 10))
    schedule_refresh([dataset])
    return dataset


@pytest.fixture
def on_time(agency: Agency, editor: User) -> Dataset:
    """Monthly, every period delivered on the day after it ended."""
    dataset = monthly(agency, editor, date(2026, 1, 5), title="Giá lúa", slug="gia-lua")
    current = period_of("monthly", date(2026, 1, 1))
    while current.end < timezone.localdate():
        upload(dataset, editor, [str(current)], current.end)
        current = current.next()
    schedule_refresh([dataset])
    return dataset


def test_an_overdue_dataset_says_how_many_days_and_the_next_due_date(
        client: Client, overdue: Dataset) -> None:
    page = client.get("/dataset/gia-vang").content.decode()
    today = timezone.localdate()
    latest = period_of("monthly", today)
    while due_date(latest, 15) >= today:
        latest = latest.previous()
    days = (today - due_date(latest, 15)).days
    assert "Hạn cập nhật dữ liệu" in page
    assert f"Quá hạn {days} ngày" in page
    assert "Hạn cập nhật tiếp theo" in page
    assert "/api/v1/datasets/gia-vang/schedule" in page


def test_a_dataset_updated_on_schedule_says_so(client: Client, on_time: Dataset) -> None:
    page = client.get("/dataset/gia-lua").content.decode()
    assert "Cập nhật đúng hạn" in page


def test_datasets_without_periodic_updates_show_no_deadlines(
        client: Client, agency: Agency, editor: User) -> None:
    dataset = factories.make_dataset(agency=agency, user=editor, frequency="irregular")
    assert "Hạn cập nhật dữ liệu" not in client.get(f"/dataset/{dataset.slug}").content.decode()


def test_the_agency_page_shows_its_on_time_rate(client: Client, agency: Agency,
                                                overdue: Dataset, on_time: Dataset) -> None:
    page = client.get(f"/organization/{agency.slug}").content.decode()
    assert "Tỷ lệ cập nhật đúng hạn" in page
    assert "%" in page


def test_the_list_filters_and_counts_by_liveness(client: Client, overdue: Dataset,
                                                 on_time: Dataset) -> None:
    page = client.get("/dataset/?liveness=missing").content.decode()
    assert "Giá vàng" in page
    assert "Giá lúa" not in page
    assert 'name="liveness" value="missing"' in page
    page = client.get("/dataset/").content.decode()
    assert 'value="on_time"' in page
    assert 'value="missing"' in page
    assert "Giá lúa" in client.get("/dataset/?liveness=on_time").content.decode()
    assert "Giá" not in client.get("/dataset/?liveness=nonsense").content.decode().split(
        "search-results")[1].split("facets-heading")[0]


def test_the_schedule_endpoint(client: Client, overdue: Dataset) -> None:
    answer = client.get("/api/v1/datasets/gia-vang/schedule").json()
    assert answer["frequency"] == "monthly"
    assert answer["grace_days"] == 15
    assert "Điều 4 khoản 7" in answer["legal_basis"]
    assert answer["liveness"] == "missing"
    first, second = answer["periods"][:2]
    resource = overdue.resources.get()
    assert first == {"period": "2026-01", "due": "2026-02-15", "state": "on_time",
                     "days_late": 0, "delivered_at": first["delivered_at"],
                     "fulfilled_by": [str(resource.pk)]}
    assert second["period"] == "2026-02"
    assert second["due"] == "2026-03-15"
    assert second["state"] == "missing"
    assert second["days_late"] == (timezone.localdate() - date(2026, 3, 15)).days
    assert answer["next_due"] == json.loads(json.dumps(answer["next_due"]))
    by_id = client.get(f"/api/v1/datasets/{overdue.pk}/schedule").json()
    assert by_id == answer


def test_the_schedule_of_a_dataset_without_deadlines_or_unseen(
        client: Client, agency: Agency, editor: User) -> None:
    irregular = factories.make_dataset(agency=agency, user=editor, frequency="irregular")
    answer = client.get(f"/api/v1/datasets/{irregular.slug}/schedule").json()
    assert answer["liveness"] is None
    assert answer["periods"] == []
    assert answer["grace_days"] is None
    draft = factories.make_dataset(agency=agency, user=editor, publish=False,
                                   frequency="monthly")
    response = client.get(f"/api/v1/datasets/{draft.slug}/schedule")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    client.force_login(editor)
    assert client.get(f"/api/v1/datasets/{draft.slug}/schedule").json()["periods"] == []


def test_ckan_dataset_dictionary_has_liveness_and_next_due(client: Client,
                                                           overdue: Dataset) -> None:
    shown = client.get("/api/3/action/package_show", {"id": "gia-vang"}).json()["result"]
    assert shown["liveness"] == "missing"
    assert shown["next_due"] is not None
    assert shown["resources"][0]["periods"] == ["2026-01"]
    found = client.get("/api/3/action/package_search", {
        "fq": "liveness:missing", "facet.field": '["liveness"]'}).json()["result"]
    assert [item["name"] for item in found["results"]] == ["gia-vang"]
    assert found["facets"]["liveness"] == {"missing": 1}
    assert client.get("/api/3/action/package_search", {
        "fq": "liveness:on_time"}).json()["result"]["count"] == 0
