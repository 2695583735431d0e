"""Blocks the feedback app adds to lower apps' pages (lib/panels.py): the public feedback and
its form on a dataset's and a resource's page, and the staff menu's link."""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string

from portal.accounts.permissions import Action, can
from portal.catalog.models import Dataset, Resource
from portal.feedback import selectors
from portal.feedback.views import panel_context
from portal.lib import panels


def dataset_feedback(request: HttpRequest, dataset: Dataset) -> str:
    return render_to_string("feedback/_panel.html", panel_context(request, dataset),
                            request=request)


def resource_feedback(request: HttpRequest, resource: Resource) -> str:
    return render_to_string("feedback/_panel.html",
                            panel_context(request, resource.dataset, resource), request=request)


def staff_link(request: HttpRequest, _obj: object) -> str:
    if not can(request.user, Action.VIEW_FEEDBACK_DASHBOARD):
        return ""
    return render_to_string("feedback/_staff_nav.html",
                            {"open_count": selectors.open_count_for(request.user)},
                            request=request)


panels.register("dataset.main", dataset_feedback, order=50)
panels.register("resource.main", resource_feedback, order=50)
panels.register("staff.nav", staff_link, order=20)
