"""The follow form the follows app adds beside a dataset's, an agency's and a sector's page."""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string

from portal.agencies.models import Agency, Sector
from portal.catalog.models import Dataset
from portal.follows.selectors import follower_count
from portal.follows.views import FollowForm, key_of, kind_of
from portal.lib import panels


def follow_panel(request: HttpRequest, target: Dataset | Agency | Sector) -> str:
    if isinstance(target, Dataset) and not target.is_public:
        return ""  # only what the public sees can be followed by the public
    return render_to_string("follows/_panel.html", {
        "form": FollowForm(auto_id="follow_%s"), "kind": kind_of(target), "key": key_of(target),
        "count": follower_count(target)}, request=request)


panels.register("dataset.aside", follow_panel, order=80)
panels.register("agency.aside", follow_panel, order=80)
panels.register("sector.aside", follow_panel, order=80)
