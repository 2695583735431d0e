"""The home page and the portal's own pages: about and terms of use."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from portal.agencies.selectors import sectors_with_counts, supervising_agency
from portal.catalog import selectors

LIST_LENGTH = 6


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    return render(request, "pages/home.html", {
        "totals": selectors.catalogue_totals(user),
        "sectors": sectors_with_counts(user),
        "newest": selectors.newest_datasets(user, LIST_LENGTH),
        "most_viewed": selectors.most_viewed_datasets(user, LIST_LENGTH),
    })


@require_safe
def about(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/about.html", {"supervisor": supervising_agency()})


@require_safe
def terms(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/terms.html", {"licences": selectors.licences()})
