"""Blocks this app adds to other apps' pages (registered from OpenlistConfig.ready): on a
dataset's page, the list items it fulfils; on an agency's page, its coverage of the open data
list; in the staff menu, the plans."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string

from portal.accounts.permissions import Action, can
from portal.agencies.models import Agency
from portal.catalog.models import Dataset
from portal.lib import panels
from portal.openlist import selectors
from portal.openlist.models import ListKind


def dataset_items(request: HttpRequest, dataset: Dataset) -> str:
    items = selectors.items_fulfilled_by(dataset)
    if not items:
        return ""
    return render_to_string("openlist/panels/dataset_items.html",
                            {"items": items, "dataset": dataset}, request=request)


def agency_coverage(request: HttpRequest, agency: Agency) -> str:
    coverage = selectors.agency_coverage(agency, ListKind.OPEN_DATA)
    if not coverage.total:
        return ""
    return render_to_string("openlist/panels/agency_coverage.html",
                            {"agency": agency, "coverage": coverage,
                             "can_view_plans": can(request.user, Action.VIEW_PLANS, agency)},
                            request=request)


def staff_menu(request: HttpRequest, obj: Any) -> str:
    user = request.user
    agency = getattr(user, "agency", None)
    if not (can(user, Action.MANAGE_OPENLIST)
            or (agency is not None and can(user, Action.VIEW_PLANS, agency))):
        return ""
    return render_to_string("openlist/panels/staff_nav.html", {}, request=request)


panels.register("dataset.aside", dataset_items, order=30)
panels.register("agency.aside", agency_coverage, order=30)
panels.register("staff.nav", staff_menu, order=30)
