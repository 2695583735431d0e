"""Reads of the lists, their coverage and the agencies' plans.

Coverage is computed in the database (one `Exists` per item, aggregated per agency and sector),
so a page or a dashboard makes the same number of queries for 10 items as for 10,000. An item
is *published* when a published dataset linked to its code opens at least as widely as the item
asks (a public item needs a public dataset; a shared-database item with access for state
agencies is fulfilled by a dataset for state agencies or the public); *overdue* when it is not
and its `publish_by` date has passed; *not yet* otherwise.

What the compliance app reads: `coverage_for_agencies` (one row per agency, for the
supervisor's dashboard), `agency_coverage` and `agency_items` (an agency's to-do page), and
`plan_progress_by_agency` / `plans_with_progress` (progress against plans).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, TypedDict

from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from portal.accounts.permissions import Action, can, visible_datasets_q
from portal.agencies.models import Agency, Sector
from portal.catalog.models import AccessLevel, Dataset, Status
from portal.lib.errors import NotFound
from portal.openlist.models import (
    Amendment,
    AmendmentStatus,
    Coverage,
    ItemDataset,
    ListItem,
    ListKind,
    ListVersion,
    Plan,
    VersionStatus,
)

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    from portal.accounts.permissions import Actor


class CoverageFields(TypedDict):
    is_published: bool
    coverage: str  # a Coverage value


if TYPE_CHECKING:
    CoveredItem = WithAnnotations[ListItem, CoverageFields]


# Versions ------------------------------------------------------------------------------------


def visible_versions(user: Actor, kind: str) -> QuerySet[ListVersion]:
    """The versions of a list the user may read, newest first: drafts only for staff."""
    versions = ListVersion.objects.filter(kind=kind)
    if not can(user, Action.VIEW_LIST_DRAFTS):
        versions = versions.exclude(status=VersionStatus.DRAFT)
    return versions.order_by("-number")


def current_version(kind: str) -> ListVersion | None:
    """The version in force (issued by the latest decision), if any."""
    return ListVersion.objects.filter(kind=kind, status=VersionStatus.ISSUED).first()


def draft_version(kind: str) -> ListVersion | None:
    return ListVersion.objects.filter(kind=kind, status=VersionStatus.DRAFT).first()


def get_version(user: Actor, version_id: int | str, kind: str | None = None) -> ListVersion:
    """A version by id, or NotFound, also for a draft the user may not read."""
    try:
        pk = int(version_id)
    except (TypeError, ValueError):
        raise NotFound("List version not found") from None
    versions = ListVersion.objects.all() if kind is None else ListVersion.objects.filter(kind=kind)
    version = versions.filter(pk=pk).first()
    if version is None or (version.is_draft and not can(user, Action.VIEW_LIST_DRAFTS)):
        raise NotFound("List version not found")
    return version


# Coverage of items ---------------------------------------------------------------------------


def _fulfilled() -> Case:
    """True when a published dataset linked to the item's code opens widely enough."""
    links = ItemDataset.objects.filter(kind=OuterRef("version__kind"), code=OuterRef("code"),
                                       dataset__status=Status.PUBLISHED)
    return Case(
        When(access_level=AccessLevel.PUBLIC,
             then=Exists(links.filter(dataset__access_level=AccessLevel.PUBLIC))),
        When(access_level=AccessLevel.AGENCIES, then=Exists(links.filter(
            dataset__access_level__in=[AccessLevel.PUBLIC, AccessLevel.AGENCIES]))),
        default=Exists(links),
    )


def items_with_coverage(version: ListVersion,
                        today: date | None = None) -> QuerySet[CoveredItem]:
    """The version's items, each annotated with `is_published` and `coverage`."""
    day = today or timezone.localdate()
    return (
        ListItem.objects.filter(version=version)
        .select_related("agency", "sector", "version")
        .annotate(is_published=_fulfilled())
        .annotate(coverage=Case(
            When(is_published=True, then=Value(Coverage.PUBLISHED)),
            When(publish_by__lt=day, then=Value(Coverage.OVERDUE)),
            default=Value(Coverage.NOT_YET),
        ))
        .order_by("position", "code")
    )


@dataclass(frozen=True)
class ItemFilters:
    agency: str = ""  # agency slug
    sector: str = ""  # sector code
    coverage: str = ""  # a Coverage value
    q: str = ""


def filter_items(items: QuerySet[CoveredItem], filters: ItemFilters) -> QuerySet[CoveredItem]:
    if filters.agency:
        items = items.filter(agency__slug=filters.agency)
    if filters.sector:
        items = items.filter(sector__code=filters.sector)
    if filters.coverage in Coverage.values:
        items = items.filter(coverage=filters.coverage)
    for word in filters.q.split():
        items = items.filter(Q(name__icontains=word) | Q(code__icontains=word))
    return items


@dataclass(frozen=True)
class CoverageRow:
    """How many items of one agency, one sector or a whole version stand where."""

    total: int
    published: int
    overdue: int
    agency: Agency | None = None
    sector: Sector | None = None

    @property
    def not_yet(self) -> int:
        return self.total - self.published - self.overdue

    @property
    def share(self) -> int:
        """Published items as a whole percentage of all items (0 when there are none)."""
        return round(100 * self.published / self.total) if self.total else 0


def _counts(items: QuerySet[CoveredItem], group: str) -> list[dict[str, int]]:
    return list(items.order_by().values(group).annotate(
        total=Count("pk"),
        published=Count("pk", filter=Q(coverage=Coverage.PUBLISHED)),
        overdue=Count("pk", filter=Q(coverage=Coverage.OVERDUE)),
    ))


def coverage_by_agency(version: ListVersion, today: date | None = None) -> list[CoverageRow]:
    """One row per responsible agency, in name order: three queries, whatever the items."""
    rows = _counts(items_with_coverage(version, today), "agency_id")
    agencies = Agency.objects.in_bulk([row["agency_id"] for row in rows])
    result = [CoverageRow(total=row["total"], published=row["published"],
                          overdue=row["overdue"], agency=agencies[row["agency_id"]])
              for row in rows]
    return sorted(result, key=lambda row: row.agency.name if row.agency else "")


def coverage_by_sector(version: ListVersion, today: date | None = None) -> list[CoverageRow]:
    rows = _counts(items_with_coverage(version, today), "sector_id")
    sectors = Sector.objects.in_bulk([row["sector_id"] for row in rows])
    result = [CoverageRow(total=row["total"], published=row["published"],
                          overdue=row["overdue"], sector=sectors[row["sector_id"]])
              for row in rows]
    return sorted(result, key=lambda row: (row.sector.position, row.sector.code)
                  if row.sector else (0, ""))


def coverage_total(version: ListVersion, today: date | None = None) -> CoverageRow:
    totals = items_with_coverage(version, today).aggregate(
        total=Count("pk"), published=Count("pk", filter=Q(coverage=Coverage.PUBLISHED)),
        overdue=Count("pk", filter=Q(coverage=Coverage.OVERDUE)))
    return CoverageRow(total=totals["total"], published=totals["published"],
                       overdue=totals["overdue"])


def coverage_for_agencies(kind: str = ListKind.OPEN_DATA,
                          today: date | None = None) -> dict[int, CoverageRow]:
    """Coverage of the list in force, per agency id (agencies without items are absent)."""
    version = current_version(kind)
    if version is None:
        return {}
    return {row.agency.pk: row for row in coverage_by_agency(version, today) if row.agency}


def agency_coverage(agency: Agency, kind: str = ListKind.OPEN_DATA,
                    today: date | None = None) -> CoverageRow:
    """One agency's coverage of the list in force (zeros when it has no items)."""
    version = current_version(kind)
    if version is None:
        return CoverageRow(total=0, published=0, overdue=0, agency=agency)
    totals = items_with_coverage(version, today).filter(agency=agency).aggregate(
        total=Count("pk"), published=Count("pk", filter=Q(coverage=Coverage.PUBLISHED)),
        overdue=Count("pk", filter=Q(coverage=Coverage.OVERDUE)))
    return CoverageRow(agency=agency, **totals)


def agency_items(agency: Agency, kind: str = ListKind.OPEN_DATA, today: date | None = None,
                 *, unfulfilled_only: bool = False) -> list[CoveredItem]:
    """An agency's items in the list in force, overdue ones first, with their coverage."""
    version = current_version(kind)
    if version is None:
        return []
    items = items_with_coverage(version, today).filter(agency=agency)
    if unfulfilled_only:
        items = items.exclude(coverage=Coverage.PUBLISHED)
    order = Case(When(coverage=Coverage.OVERDUE, then=Value(0)),
                 When(coverage=Coverage.NOT_YET, then=Value(1)), default=Value(2))
    return list(items.order_by(order, "publish_by", "position", "code"))


# Links between items and datasets ------------------------------------------------------------


def linked_datasets(user: Actor, kind: str, codes: list[str]) -> dict[str, list[Dataset]]:
    """The datasets the user may see that fulfil each code, in one query."""
    links = (ItemDataset.objects.filter(kind=kind, code__in=codes)
             .filter(dataset__in=Dataset.objects.filter(visible_datasets_q(user)))
             .select_related("dataset", "dataset__agency").order_by("code", "dataset__title"))
    found: dict[str, list[Dataset]] = {code: [] for code in codes}
    for link in links:
        found[link.code].append(link.dataset)
    return found


def get_item(version: ListVersion, code: str) -> CoveredItem:
    item = items_with_coverage(version).filter(code=code).first()
    if item is None:
        raise NotFound("List item not found")
    return item


def items_fulfilled_by(dataset: Dataset) -> list[ListItem]:
    """The items of the lists in force that this dataset fulfils (the dataset page's panel)."""
    pairs = list(ItemDataset.objects.filter(dataset=dataset).values_list("kind", "code"))
    if not pairs:
        return []
    wanted = Q(pk__in=[])
    for kind, code in pairs:
        wanted |= Q(version__kind=kind, code=code)
    return list(ListItem.objects.filter(wanted, version__status=VersionStatus.ISSUED)
                .select_related("version", "agency").order_by("version__kind", "code"))


def linkable_datasets(user: Actor, item: ListItem) -> list[Dataset]:
    """The datasets of the item's agency the user could link to it (its own agency's)."""
    datasets = Dataset.objects.filter(visible_datasets_q(user), agency_id=item.agency_id)
    return [dataset for dataset in datasets.select_related("agency").order_by("title")
            if can(user, Action.LINK_LIST_ITEM, (item, dataset))]


# Amendments ----------------------------------------------------------------------------------


def visible_amendments(user: Actor) -> QuerySet[Amendment]:
    """Supervisors and sysadmins see every proposal; an agency's accounts their agency's."""
    amendments = Amendment.objects.select_related("agency", "item_agency", "sector",
                                                  "proposed_by", "decided_by", "version")
    if can(user, Action.MANAGE_OPENLIST):
        return amendments
    agency_id = getattr(user, "agency_id", None)
    if not can(user, Action.VIEW_LIST_DRAFTS) or agency_id is None:
        return amendments.none()
    return amendments.filter(agency_id=agency_id)


def pending_amendments_count(kind: str | None = None) -> int:
    pending = Amendment.objects.filter(status=AmendmentStatus.PENDING)
    return (pending if kind is None else pending.filter(kind=kind)).count()


def get_amendment(user: Actor, amendment_id: int | str) -> Amendment:
    try:
        pk = int(amendment_id)
    except (TypeError, ValueError):
        raise NotFound("Amendment not found") from None
    amendment = visible_amendments(user).filter(pk=pk).first()
    if amendment is None:
        raise NotFound("Amendment not found")
    return amendment


# Plans ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Progress:
    done: int
    target: int | None  # None: no target set

    @property
    def share(self) -> int | None:
        """Done as a whole percentage of the target, at most 100."""
        if not self.target:
            return None
        return min(100, round(100 * self.done / self.target))

    @property
    def reached(self) -> bool | None:
        return None if self.target is None else self.done >= self.target


@dataclass(frozen=True)
class PlanProgress:
    """Progress of one plan today. The share of updates on time is the schedule engine's to
    measure: `on_time_target` is the plan's target for it, in percent."""

    plan: Plan
    items: Progress
    datasets: Progress
    on_time_target: int | None


def _open_datasets_by_end() -> Coalesce:
    """The agency's public datasets first published by the plan's last day."""
    published = (Dataset.objects.filter(
        agency=OuterRef("agency"), status=Status.PUBLISHED, access_level=AccessLevel.PUBLIC,
        published__date__lte=OuterRef("end"))
        .order_by().values("agency").annotate(number=Count("pk")).values("number"))
    return Coalesce(Subquery(published, output_field=IntegerField()), 0)


def _published_codes(agency_ids: set[int], today: date | None) -> dict[int, dict[str, bool]]:
    version = current_version(ListKind.OPEN_DATA)
    if version is None or not agency_ids:
        return {}
    rows = (items_with_coverage(version, today).filter(agency_id__in=agency_ids)
            .values_list("agency_id", "code", "is_published"))
    found: dict[int, dict[str, bool]] = {}
    for agency_id, code, published in rows:
        found.setdefault(agency_id, {})[code] = bool(published)
    return found


def _items_progress(plan: Plan, codes: dict[str, bool]) -> Progress:
    if plan.item_codes:
        done = sum(1 for code in plan.item_codes if codes.get(code))
        return Progress(done=done, target=len(plan.item_codes))
    return Progress(done=sum(codes.values()), target=plan.target_items)


def plans_with_progress(plans: QuerySet[Plan], today: date | None = None) -> list[PlanProgress]:
    """Each plan with its progress, in three queries whatever the number of plans or items."""
    annotated = list(plans.select_related("agency").annotate(
        open_datasets=_open_datasets_by_end()))
    codes = _published_codes({plan.agency_id for plan in annotated}, today)
    return [PlanProgress(
        plan=plan, items=_items_progress(plan, codes.get(plan.agency_id, {})),
        datasets=Progress(done=plan.open_datasets, target=plan.target_datasets),
        on_time_target=plan.target_on_time_share) for plan in annotated]


def agency_plans(agency: Agency, today: date | None = None) -> list[PlanProgress]:
    return plans_with_progress(Plan.objects.filter(agency=agency).order_by("start", "pk"), today)


def plan_progress_by_agency(today: date | None = None) -> dict[int, list[PlanProgress]]:
    """The plans whose phase includes `today`, per agency id (for dashboards)."""
    day = today or timezone.localdate()
    current = Plan.objects.filter(start__lte=day, end__gte=day).order_by("agency", "start")
    found: dict[int, list[PlanProgress]] = {}
    for progress in plans_with_progress(current, day):
        found.setdefault(progress.plan.agency_id, []).append(progress)
    return found


def get_plan(agency: Agency, plan_id: int | str) -> Plan:
    try:
        pk = int(plan_id)
    except (TypeError, ValueError):
        raise NotFound("Plan not found") from None
    plan = Plan.objects.filter(agency=agency, pk=pk).select_related("agency").first()
    if plan is None:
        raise NotFound("Plan not found")
    return plan
