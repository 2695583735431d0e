"""Reads of sectors and agencies for the public pages, counting only datasets the viewer may see."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Count, Q, QuerySet

from portal.accounts.models import User
from portal.agencies.models import Agency, AgencyKind, Sector
from portal.catalog.models import Dataset
from portal.catalog.selectors import listed_datasets, with_related
from portal.lib.errors import NotFound

if TYPE_CHECKING:
    from portal.accounts.permissions import Actor


def _count_listed(user: Actor, relation: str) -> Count:
    """Count of the related datasets the user may see, for `annotate`."""
    listed = listed_datasets(user).values("pk")
    return Count(relation, filter=Q(**{f"{relation}__in": listed}), distinct=True)


def sectors_with_counts(user: Actor) -> list[Sector]:
    """Every sector, in its set order, with `dataset_count`."""
    return list(Sector.objects.annotate(dataset_count=_count_listed(user, "datasets")))


def get_sector(code: str) -> Sector:
    sector = Sector.objects.filter(code=code).first()
    if sector is None:
        raise NotFound("Sector not found")
    return sector


def sector_datasets(user: Actor, sector: Sector) -> QuerySet[Dataset]:
    datasets = listed_datasets(user).filter(
        pk__in=Dataset.objects.filter(sectors=sector).values("pk"))
    return with_related(datasets).order_by("-modified", "slug")


def sector_agencies(sector: Sector) -> list[Agency]:
    """Active agencies that may publish in the sector (article 4.4)."""
    return list(Agency.objects.active().filter(sectors=sector).order_by("name"))


@dataclass
class AgencyGroup:
    kind: str
    label: str
    agencies: list[Agency] = field(default_factory=list)


@dataclass
class AgencyDirectory:
    groups: list[AgencyGroup]
    ceased: list[Agency]


def agency_directory(user: Actor) -> AgencyDirectory:
    """Active agencies grouped by kind, and ceased ones apart, each with `dataset_count`."""
    agencies = (Agency.objects.select_related("replaced_by")
                .annotate(dataset_count=_count_listed(user, "datasets")).order_by("name"))
    groups = {kind: AgencyGroup(kind=kind, label=str(label)) for kind, label in AgencyKind.choices}
    ceased = []
    for agency in agencies:
        if agency.is_active:
            groups.setdefault(agency.kind, AgencyGroup(agency.kind, agency.kind)
                              ).agencies.append(agency)
        else:
            ceased.append(agency)
    return AgencyDirectory(groups=[group for group in groups.values() if group.agencies],
                           ceased=ceased)


def get_agency(slug: str) -> Agency:
    agency = (Agency.objects.select_related("parent", "replaced_by")
              .prefetch_related("sectors", "children").filter(slug=slug).first())
    if agency is None:
        raise NotFound("Agency not found")
    return agency


def agency_datasets(user: Actor, agency: Agency) -> QuerySet[Dataset]:
    return with_related(listed_datasets(user).filter(agency=agency)).order_by("-modified", "slug")


def supervising_agency() -> Agency | None:
    """The department that keeps the catalogue and supervises agencies, when it is recorded."""
    return Agency.objects.active().filter(is_supervisor=True).order_by("pk").first()


def agency_members(agency: Agency) -> QuerySet[User]:
    """The agency's accounts, active ones first (the caller checks VIEW_MEMBERS)."""
    return User.objects.filter(agency=agency).order_by("-is_active", "role", "username")
