"""/api/v1 agencies, sectors and an agency's members."""

from __future__ import annotations

from django.utils.translation import gettext as _
from ninja import Router

from portal.accounts.permissions import Action, can
from portal.agencies import selectors
from portal.api.auth import ApiRequest
from portal.api.schemas import AgencyOut, MemberOut, SectorOut
from portal.lib.errors import NotFound, PermissionDenied

router = Router(tags=["agencies and sectors"])


@router.get("/agencies", response=list[AgencyOut],
            summary="Every agency, active ones first, with the datasets you may see")
def agency_list(request: ApiRequest) -> list[AgencyOut]:
    directory = selectors.agency_directory(request.auth.actor)
    active = [agency for group in directory.groups for agency in group.agencies]
    return [AgencyOut.of(agency) for agency in active + directory.ceased]


@router.get("/agencies/{slug}", response=AgencyOut, summary="Read an agency")
def agency_detail(request: ApiRequest, slug: str) -> AgencyOut:
    return AgencyOut.of(selectors.get_agency(slug))


@router.get("/agencies/{slug}/members", response=list[MemberOut],
            summary="An agency's accounts (its admins, supervisors and sysadmins may read)")
def agency_members(request: ApiRequest, slug: str) -> list[MemberOut]:
    user = request.auth.actor
    agency = selectors.get_agency(slug)
    if not can(user, Action.VIEW_MEMBERS, agency):
        raise PermissionDenied(_("Only the agency's administrators, supervisors and system "
                                 "administrators may see its accounts."))
    return [MemberOut.of(member) for member in selectors.agency_members(agency)]


@router.get("/sectors", response=list[SectorOut],
            summary="Every sector, with the datasets you may see")
def sector_list(request: ApiRequest) -> list[SectorOut]:
    return [SectorOut.of(sector)
            for sector in selectors.sectors_with_counts(request.auth.actor)]


@router.get("/sectors/{code}", response=SectorOut, summary="Read a sector")
def sector_detail(request: ApiRequest, code: str) -> SectorOut:
    user = request.auth.actor
    sector = next((s for s in selectors.sectors_with_counts(user) if s.code == code), None)
    if sector is None:
        raise NotFound("Sector not found")
    return SectorOut.of(sector)
