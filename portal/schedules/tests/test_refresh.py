"""Due periods and liveness kept in step with the catalogue's writes, and the selectors."""

from __future__ import annotations

import datetime
from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from portal.accounts.models import User
from portal.agencies.models import Agency
from portal.catalog import services as catalog
from portal.catalog.models import Dataset, Resource
from portal.lib import factories
from portal.lib.errors import ApplicationError, PermissionDenied
from portal.schedules import selectors, services
from portal.schedules.models import DeadlinePolicy, DuePeriod, Liveness


def moment(day: date) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, 9,
                             tzinfo=timezone.get_default_timezone())


def monthly(agency: Agency, editor: User, published: date, **overrides: Any) -> Dataset:
    dataset = factories.make_dataset(agency=agency, user=editor, frequency="monthly",
                                     **overrides)
    Dataset.objects.filter(pk=dataset.pk).update(published=moment(published))
    dataset.refresh_from_db()
    return dataset


def upload(dataset: Dataset, editor: User, periods: list[str], day: date) -> Resource:
    resource = factories.make_resource(dataset=dataset, user=editor, period=periods[0],
                                       periods=periods)
    Resource.objects.filter(pk=resource.pk).update(delivered=moment(day))
    return resource


def states(dataset: Dataset) -> dict[str, tuple[str, int]]:
    return {row.period: (row.state, row.days_late)
            for row in DuePeriod.objects.filter(dataset=dataset).order_by("start")}


def test_default_policies_cite_article_4_7(db: None) -> None:
    policies = {p.frequency: p for p in DeadlinePolicy.objects.all()}
    assert {f: p.grace_days for f, p in policies.items()} == {
        "daily": 1, "weekly": 3, "monthly": 15, "quarterly": 30, "semiannual": 45, "annual": 90}
    for frequency in ("monthly", "quarterly", "annual"):
        assert "Điều 4 khoản 7" in policies[frequency].citation
    for frequency in ("daily", "weekly", "semiannual"):
        assert not policies[frequency].citation
        assert "Mặc định của Cổng" in policies[frequency].note


def test_a_late_upload_turns_missing_months_late(agency: Agency, editor: User) -> None:
    dataset = monthly(agency, editor, date(2026, 1, 5))
    upload(dataset, editor, ["2026-01"], date(2026, 2, 10))
    services.schedule_refresh([dataset], today=date(2026, 4, 20))
    assert states(dataset) == {"2026-01": ("on_time", 0), "2026-02": ("missing", 36),
                               "2026-03": ("missing", 5), "2026-04": ("not_due", 0)}
    assert Liveness.objects.get(dataset=dataset).state == "missing"
    upload(dataset, editor, ["2026-02", "2026-03"], date(2026, 4, 21))
    services.schedule_refresh([dataset], today=date(2026, 4, 21))
    assert states(dataset)["2026-02"] == ("late", 37)
    liveness = Liveness.objects.get(dataset=dataset)
    assert (liveness.state, liveness.period, liveness.days_late) == ("late", "2026-03", 6)
    assert liveness.next_due == date(2026, 5, 15)


def test_a_saved_resource_refreshes_the_schedule_at_once(agency: Agency, editor: User) -> None:
    dataset = factories.make_dataset(agency=agency, user=editor, frequency="annual")
    last_year = str(timezone.localdate().year - 1)
    factories.make_resource(dataset=dataset, user=editor, period=str(int(last_year) - 1))
    resource = factories.make_resource(dataset=dataset, user=editor, period=last_year)
    row = DuePeriod.objects.get(dataset=dataset, period=last_year)
    assert row.fulfilled_by == [str(resource.pk)]
    assert row.delivered_at == resource.delivered
    catalog.resource_delete(user=editor, resource=resource)
    assert DuePeriod.objects.get(dataset=dataset, period=last_year).delivered_at is None


def test_a_metadata_edit_does_not_deliver_data_but_a_new_period_does(
        agency: Agency, editor: User) -> None:
    dataset = factories.make_dataset(agency=agency, user=editor, frequency="monthly")
    resource = factories.make_resource(dataset=dataset, user=editor, period="2026-01")
    Resource.objects.filter(pk=resource.pk).update(delivered=moment(date(2026, 2, 1)))
    resource.refresh_from_db()
    fields = catalog.ResourceFields(name="Tên mới", period="2026-01")
    catalog.resource_update(user=editor, resource=resource, data=fields)
    assert resource.delivered == moment(date(2026, 2, 1))
    assert resource.periods == ["2026-01"]
    fields.periods = ["2026-02"]
    catalog.resource_update(user=editor, resource=resource, data=fields)
    assert resource.periods == ["2026-01", "2026-02"]
    assert resource.delivered is not None
    assert resource.delivered > moment(date(2026, 2, 1))


def test_bad_covered_periods_are_refused(agency: Agency, editor: User) -> None:
    dataset = factories.make_dataset(agency=agency, user=editor, frequency="monthly")
    with pytest.raises(ApplicationError) as refused:
        factories.make_resource(dataset=dataset, user=editor, periods=["2026-02", "2026-13"])
    assert "2026-13" in refused.value.field_errors["periods"][0]


def test_only_published_datasets_with_a_periodic_frequency_owe_periods(
        agency: Agency, editor: User) -> None:
    draft = factories.make_dataset(agency=agency, user=editor, frequency="monthly",
                                   publish=False)
    irregular = factories.make_dataset(agency=agency, user=editor, frequency="irregular")
    dataset = factories.make_dataset(agency=agency, user=editor, frequency="monthly")
    for owing_none in (draft, irregular):
        assert not DuePeriod.objects.filter(dataset=owing_none).exists()
        assert not Liveness.objects.filter(dataset=owing_none).exists()
    assert Liveness.objects.filter(dataset=dataset).exists()
    data = catalog.DatasetFields(title=dataset.title, slug=dataset.slug, licence=dataset.licence,
                                 sectors=list(dataset.sectors.all()), frequency="irregular")
    catalog.dataset_update(user=editor, dataset=dataset, data=data)
    assert not Liveness.objects.filter(dataset=dataset).exists()
    data.frequency = "quarterly"
    catalog.dataset_update(user=editor, dataset=dataset, data=data)
    assert DuePeriod.objects.get(dataset=dataset).period.endswith(
        f"Q{(timezone.localdate().month + 2) // 3}")
    catalog.dataset_withdraw(user=editor, dataset=dataset)
    assert not DuePeriod.objects.filter(dataset=dataset).exists()


def test_the_agency_may_choose_the_first_period(agency: Agency, editor: User,
                                                outsider: User) -> None:
    dataset = monthly(agency, editor, date(2026, 3, 5))
    services.schedule_start_set(user=editor, dataset=dataset, first_period="2026-01")
    assert DuePeriod.objects.filter(dataset=dataset).order_by("start").first().period == "2026-01"  # type: ignore[union-attr]
    with pytest.raises(ApplicationError):
        services.schedule_start_set(user=editor, dataset=dataset, first_period="janvier")
    with pytest.raises(PermissionDenied):
        services.schedule_start_set(user=outsider, dataset=dataset, first_period="2026-02")
    services.schedule_start_set(user=editor, dataset=dataset, first_period="")
    assert DuePeriod.objects.filter(dataset=dataset).order_by("start").first().period == "2026-03"  # type: ignore[union-attr]


def test_dataset_schedule_reads_states_for_any_day(agency: Agency, editor: User) -> None:
    dataset = monthly(agency, editor, date(2026, 1, 5))
    upload(dataset, editor, ["2026-01"], date(2026, 2, 20))
    services.schedule_refresh([dataset], today=date(2026, 3, 1))
    schedule = selectors.dataset_schedule(dataset, today=date(2026, 3, 16))
    assert [(str(s.period), s.state, s.days_late) for s in schedule.periods] == [
        ("2026-01", "late", 5), ("2026-02", "missing", 1), ("2026-03", "not_due", 0)]
    assert schedule.liveness is not None
    assert schedule.liveness.state == "missing"
    assert schedule.policy is not None
    assert schedule.policy.grace_days == 15


def test_timeliness_by_agency_is_one_query(agency: Agency, other_agency: Agency,
                                           editor: User, outsider: User) -> None:
    for number in range(3):
        dataset = monthly(agency, editor, date(2026, 1, 5), slug=f"thang-{number}")
        upload(dataset, editor, ["2026-01"], date(2026, 2, 10 + 3 * number))
    services.refresh_all(today=date(2026, 3, 1))
    with CaptureQueriesContext(connection) as queries:
        found = selectors.timeliness_by_agency([agency, other_agency], today=date(2026, 3, 1))
    assert len(queries) == 1
    record = found[agency.pk]
    assert (record.on_time, record.late, record.missing) == (2, 1, 0)
    assert record.rate == pytest.approx(2 / 3)
    assert other_agency.pk not in found
    overdue = selectors.overdue_periods(Dataset.objects.all(), today=date(2026, 3, 16))
    assert sorted(row.period for row in overdue) == ["2026-02"] * 3
    upcoming = selectors.upcoming_periods(Dataset.objects.all(), today=date(2026, 3, 10))
    assert [row.due for row in upcoming] == [date(2026, 3, 15)] * 3


def test_refreshing_many_datasets_costs_queries_per_chunk_not_per_dataset(
        agency: Agency, editor: User) -> None:
    for number in range(6):
        monthly(agency, editor, date(2025, 1, 5), slug=f"nhieu-{number}")

    def refresh_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            services.refresh_all(today=date(2026, 3, 1))
        return len(queries)

    DuePeriod.objects.all().delete()
    six = refresh_queries()
    monthly(agency, editor, date(2025, 1, 5), slug="them-mot")
    DuePeriod.objects.all().delete()
    assert refresh_queries() == six
