"""Public pages of agencies (CKAN's organizations) and sectors (CKAN's groups)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from portal.agencies import selectors
from portal.lib.errors import NotFound

PER_PAGE = 20


@require_safe
def agency_list(request: HttpRequest) -> HttpResponse:
    directory = selectors.agency_directory(request.user)
    return render(request, "agencies/agency_list.html", {"directory": directory})


@require_safe
def agency_detail(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        agency = selectors.get_agency(slug)
    except NotFound:
        raise Http404(_("There is no agency at this address.")) from None
    datasets = selectors.agency_datasets(request.user, agency)
    page = Paginator(datasets, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "agencies/agency_detail.html", {"agency": agency, "page": page})


@require_safe
def sector_list(request: HttpRequest) -> HttpResponse:
    sectors = selectors.sectors_with_counts(request.user)
    return render(request, "agencies/sector_list.html", {"sectors": sectors})


@require_safe
def sector_detail(request: HttpRequest, code: str) -> HttpResponse:
    try:
        sector = selectors.get_sector(code)
    except NotFound:
        raise Http404(_("There is no sector at this address.")) from None
    datasets = selectors.sector_datasets(request.user, sector)
    page = Paginator(datasets, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "agencies/sector_detail.html", {
        "sector": sector,
        "page": page,
        "agencies": selectors.sector_agencies(sector),
    })
