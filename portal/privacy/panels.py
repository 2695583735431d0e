"""The guard's blocks on lower apps' pages (lib/panels.py): what it found in a resource, on the
resource page, for those who may see findings; a link to the findings in the staff menu."""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string

from portal.accounts.models import Role
from portal.accounts.permissions import Action, can, role_of
from portal.catalog.models import Resource
from portal.datastore.formats import table_kind
from portal.privacy import display, selectors
from portal.privacy.receivers import is_text

STAFF_ROLES = (Role.SYSADMIN, Role.SUPERVISOR, Role.ADMIN, Role.EDITOR)


def resource_panel(request: HttpRequest, resource: Resource) -> str:
    found = selectors.resource_findings(request.user, resource)
    if found is None:
        return ""
    may_resolve = can(request.user, Action.RESOLVE_FINDING, resource.dataset)
    return render_to_string("privacy/_resource_panel.html", {
        "scan": found.scan,
        "summary": display.scan_summary(found.scan) if found.scan else "",
        "findings": [display.shown(finding, can_resolve=may_resolve)
                     for finding in found.findings],
        "open": len(found.open),
        "readable": table_kind(resource) is not None or is_text(resource),
        "resource": resource,
    }, request=request)


def staff_link(request: HttpRequest, _obj: object) -> str:
    if role_of(request.user) not in STAFF_ROLES:
        return ""
    return render_to_string("privacy/_staff_link.html", {
        "open": selectors.findings(request.user).count()}, request=request)
