"""Coverage of the list: published, overdue, not yet; per agency and sector; plans' progress."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from portal.accounts.models import User
from portal.agencies.models import Agency, Sector
from portal.catalog import services as catalog
from portal.catalog.models import AccessLevel, Dataset
from portal.lib import factories
from portal.openlist import plans, selectors
from portal.openlist.models import Coverage, ListKind, ListVersion
from portal.openlist.testing import item_fields, link, make_version

TODAY = date(2026, 3, 10)


@pytest.fixture
def version(agency: Agency, other_agency: Agency) -> ListVersion:
    return make_version(items=[
        item_fields(agency=agency, code="DM-001"),
        item_fields(agency=agency, code="DM-002", publish_by=date(2026, 1, 31)),
        item_fields(agency=agency, code="DM-003", publish_by=date(2026, 12, 31)),
        item_fields(agency=other_agency, code="DM-004", publish_by=date(2025, 6, 30)),
    ])


def coverage_of(version: ListVersion) -> dict[str, str]:
    return {item.code: item.coverage
            for item in selectors.items_with_coverage(version, TODAY)}


def test_an_item_is_published_when_a_published_dataset_fulfils_it(
        version: ListVersion, agency: Agency) -> None:
    dataset = factories.make_dataset(agency=agency)
    link(version.items.get(code="DM-002"), dataset)
    assert coverage_of(version) == {"DM-001": Coverage.NOT_YET, "DM-002": Coverage.PUBLISHED,
                                    "DM-003": Coverage.NOT_YET, "DM-004": Coverage.OVERDUE}


def test_a_draft_or_withdrawn_dataset_does_not_fulfil_an_item(
        version: ListVersion, agency: Agency, editor: User) -> None:
    draft = factories.make_dataset(agency=agency, publish=False)
    withdrawn = factories.make_dataset(agency=agency, user=editor)
    catalog.dataset_withdraw(user=editor, dataset=withdrawn, reason="Sai số liệu")
    link(version.items.get(code="DM-001"), draft)
    link(version.items.get(code="DM-002"), withdrawn)
    assert coverage_of(version)["DM-001"] == Coverage.NOT_YET
    assert coverage_of(version)["DM-002"] == Coverage.OVERDUE


def test_a_public_item_needs_a_public_dataset(version: ListVersion, agency: Agency) -> None:
    shared = factories.make_dataset(agency=agency, access_level=AccessLevel.AGENCIES)
    link(version.items.get(code="DM-001"), shared)
    assert coverage_of(version)["DM-001"] == Coverage.NOT_YET


def test_a_shared_database_for_agencies_is_fulfilled_by_a_dataset_for_agencies(
        agency: Agency) -> None:
    shared_list = make_version(kind=ListKind.SHARED_DATABASES, items=[
        item_fields(agency=agency, code="CSDL-001", access_level=AccessLevel.AGENCIES),
        item_fields(agency=agency, code="CSDL-002", access_level=AccessLevel.AGENCY)])
    dataset = factories.make_dataset(agency=agency, access_level=AccessLevel.AGENCIES)
    for item in shared_list.items.all():
        link(item, dataset)
    assert set(coverage_of(shared_list).values()) == {Coverage.PUBLISHED}


def test_links_follow_the_code_into_the_next_version(version: ListVersion,
                                                     agency: Agency) -> None:
    link(version.items.get(code="DM-001"), factories.make_dataset(agency=agency))
    newer = make_version(items=[item_fields(agency=agency, code="DM-001"),
                                item_fields(agency=agency, code="DM-009")],
                         decision_number="200/QĐ-UBND")
    assert coverage_of(newer) == {"DM-001": Coverage.PUBLISHED, "DM-009": Coverage.NOT_YET}
    version.refresh_from_db()
    assert version.status == "superseded"
    assert selectors.current_version(ListKind.OPEN_DATA) == newer


def test_a_link_in_one_list_does_not_count_in_the_other(version: ListVersion,
                                                        agency: Agency) -> None:
    shared_list = make_version(kind=ListKind.SHARED_DATABASES,
                               items=[item_fields(agency=agency, code="DM-001")])
    link(shared_list.items.get(), factories.make_dataset(agency=agency))
    assert coverage_of(version)["DM-001"] == Coverage.NOT_YET


def test_coverage_per_agency_and_sector(version: ListVersion, agency: Agency,
                                        other_agency: Agency) -> None:
    link(version.items.get(code="DM-001"), factories.make_dataset(agency=agency))
    rows = {row.agency: row for row in selectors.coverage_by_agency(version, TODAY)}
    mine, theirs = rows[agency], rows[other_agency]
    assert (mine.total, mine.published, mine.overdue, mine.not_yet, mine.share) == (3, 1, 1, 1, 33)
    assert (theirs.total, theirs.published, theirs.overdue, theirs.not_yet) == (1, 0, 1, 0)
    by_sector = selectors.coverage_by_sector(version, TODAY)
    assert sum(row.total for row in by_sector) == 4
    assert all(isinstance(row.sector, Sector) for row in by_sector)
    total = selectors.coverage_total(version, TODAY)
    assert (total.total, total.published, total.overdue) == (4, 1, 2)
    assert selectors.coverage_for_agencies(ListKind.OPEN_DATA, TODAY)[agency.pk] == mine
    assert selectors.agency_coverage(agency, today=TODAY) == mine


def test_an_agency_sees_its_unfulfilled_items_overdue_first(version: ListVersion,
                                                           agency: Agency) -> None:
    link(version.items.get(code="DM-001"), factories.make_dataset(agency=agency))
    items = selectors.agency_items(agency, today=TODAY, unfulfilled_only=True)
    assert [item.code for item in items] == ["DM-002", "DM-003"]


def test_no_list_in_force_means_no_coverage(agency: Agency) -> None:
    assert selectors.coverage_for_agencies() == {}
    assert selectors.agency_coverage(agency).total == 0
    assert selectors.agency_items(agency) == []


def test_coverage_queries_do_not_grow_with_items(agency: Agency,
                                                 other_agency: Agency) -> None:
    def queries(items: int) -> int:
        version = make_version(items=[item_fields(agency=(agency, other_agency)[n % 2])
                                      for n in range(items)])
        with CaptureQueriesContext(connection) as captured:
            selectors.coverage_by_agency(version, TODAY)
            selectors.coverage_by_sector(version, TODAY)
            list(selectors.items_with_coverage(version, TODAY))
        return len(captured.captured_queries)

    assert queries(3) == queries(40)


def test_the_dataset_page_panel_lists_items_in_force(version: ListVersion,
                                                     agency: Agency) -> None:
    dataset = factories.make_dataset(agency=agency)
    link(version.items.get(code="DM-003"), dataset)
    found = selectors.items_fulfilled_by(dataset)
    assert [(item.code, item.version.pk) for item in found] == [("DM-003", version.pk)]


# Plans ---------------------------------------------------------------------------------------


def open_dataset(agency: Agency, published: date) -> Dataset:
    dataset = factories.make_dataset(agency=agency)
    moment = timezone.make_aware(datetime(published.year, published.month, published.day, 10))
    Dataset.objects.filter(pk=dataset.pk).update(published=moment)
    return dataset


def test_plan_progress_counts_items_and_open_datasets_by_the_phase_end(
        version: ListVersion, agency: Agency, other_agency: Agency) -> None:
    link(version.items.get(code="DM-001"), open_dataset(agency, date(2025, 3, 1)))
    open_dataset(agency, date(2025, 11, 1))
    open_dataset(agency, date(2026, 2, 1))  # after the first phase
    open_dataset(other_agency, date(2025, 3, 1))
    first = plans.plan_create(actor=None, agency=agency, data=plans.PlanFields(
        name="2025", start=date(2025, 1, 1), end=date(2025, 12, 31), target_items=2,
        target_datasets=4, target_on_time_share=80))
    plans.plan_create(actor=None, agency=agency, data=plans.PlanFields(
        name="2026", start=date(2026, 1, 1), end=date(2026, 12, 31),
        item_codes=["dm-001", "DM-003"]))
    progress = selectors.agency_plans(agency, TODAY)
    assert progress[0].plan == first
    assert (progress[0].items.done, progress[0].items.target, progress[0].items.share) == (1, 2, 50)
    assert (progress[0].datasets.done, progress[0].datasets.target) == (2, 4)
    assert progress[0].on_time_target == 80
    assert (progress[1].items.done, progress[1].items.target) == (1, 2)
    assert (progress[1].datasets.done, progress[1].datasets.target) == (3, None)
    assert progress[1].datasets.share is None
    current = selectors.plan_progress_by_agency(TODAY)
    assert [p.plan.name for p in current[agency.pk]] == ["2026"]


def test_plan_progress_queries_do_not_grow_with_plans(version: ListVersion,
                                                      agency: Agency) -> None:
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            selectors.plan_progress_by_agency(TODAY)
        return len(captured.captured_queries)

    plans.plan_create(actor=None, agency=agency, data=plans.PlanFields(
        name="A", start=TODAY - timedelta(days=5), end=TODAY, target_items=1))
    few = queries()
    for number in range(10):
        plans.plan_create(actor=None, agency=agency, data=plans.PlanFields(
            name=f"B{number}", start=TODAY, end=TODAY + timedelta(days=9), target_datasets=1))
    assert queries() == few

