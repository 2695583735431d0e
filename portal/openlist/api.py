"""/api/v1/open-data-lists: the province's lists, their versions, items and coverage (read only).

Both lists answer here (`kind`: open_data or shared_databases). A draft is seen only by staff
accounts, as on the pages; an item names only the fulfilling datasets the caller may see.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from ninja import Query, Router, Schema
from pydantic import Field

from portal.api.auth import ApiRequest
from portal.api.schemas import AgencyRef
from portal.lib.errors import NotFound
from portal.openlist import selectors
from portal.openlist.models import ListKind, ListVersion
from portal.openlist.schemas import (
    AgencyCoverageOut,
    CoverageOut,
    ItemPage,
    ListItemOut,
    ListVersionDetailOut,
    ListVersionOut,
    SectorCoverageOut,
)

if TYPE_CHECKING:
    from portal.accounts.permissions import Actor

router = Router(tags=["open data lists"])
KIND_PATTERN = "^(open_data|shared_databases)$"


class KindFilter(Schema):
    kind: str = Field(ListKind.OPEN_DATA, pattern=KIND_PATTERN,
                      description="open_data or shared_databases.")


class ItemFilters(Schema):
    agency: str = Field("", max_length=100, description="The responsible agency's slug.")
    sector: str = Field("", max_length=50, description="A sector code.")
    coverage: str = Field("", pattern="^(|published|overdue|not_yet)$")
    q: str = Field("", max_length=100, description="Words of the item's name or code.")
    limit: int = Field(100, ge=1, le=settings.API_MAX_ROWS)
    offset: int = Field(0, ge=0, le=1_000_000)


class CurrentFilters(ItemFilters):
    kind: str = Field(ListKind.OPEN_DATA, pattern=KIND_PATTERN,
                      description="open_data or shared_databases.")


@router.get("/open-data-lists", response=list[ListVersionOut],
            summary="Versions of a list, newest first (drafts for staff only)")
def version_list(request: ApiRequest, filters: Query[KindFilter]) -> list[ListVersionOut]:
    versions = selectors.visible_versions(request.auth.actor, filters.kind)
    return [ListVersionOut.of(version) for version in versions]


@router.get("/open-data-lists/current", response=ListVersionDetailOut,
            summary="The version in force: decision, coverage, items (paged)")
def version_current(request: ApiRequest,
                    filters: Query[CurrentFilters]) -> ListVersionDetailOut:
    user = request.auth.actor
    version = selectors.current_version(filters.kind)
    if version is None:
        raise NotFound("No version of this list is in force")
    return _detail(user, version, filters)


@router.get("/open-data-lists/{version_id}", response=ListVersionDetailOut,
            summary="One version: decision, coverage, items with the datasets fulfilling them")
def version_detail(request: ApiRequest, version_id: int,
                   filters: Query[ItemFilters]) -> ListVersionDetailOut:
    user = request.auth.actor
    return _detail(user, selectors.get_version(user, version_id), filters)


def _items(user: Actor, version: ListVersion, filters: ItemFilters) -> ItemPage:
    found = selectors.filter_items(selectors.items_with_coverage(version), selectors.ItemFilters(
        agency=filters.agency, sector=filters.sector, coverage=filters.coverage, q=filters.q))
    page = list(found[filters.offset:filters.offset + filters.limit])
    datasets = selectors.linked_datasets(user, version.kind, [item.code for item in page])
    return ItemPage(total=found.count(), limit=filters.limit, offset=filters.offset,
                    results=[ListItemOut.of(item, datasets[item.code]) for item in page])


def _detail(user: Actor, version: ListVersion, filters: ItemFilters) -> ListVersionDetailOut:
    return ListVersionDetailOut(
        **ListVersionOut.of(version).model_dump(),
        coverage=CoverageOut.of(selectors.coverage_total(version)),
        by_agency=[AgencyCoverageOut(**CoverageOut.values(row), agency=AgencyRef(
            slug=row.agency.slug, name=row.agency.name))
            for row in selectors.coverage_by_agency(version) if row.agency],
        by_sector=[SectorCoverageOut(**CoverageOut.values(row), sector=row.sector.code)
                   for row in selectors.coverage_by_sector(version) if row.sector],
        items=_items(user, version, filters))
