"""Staff pages of the guard: the findings of one's agency (supervisors: of every agency), and
one finding, where an agency admin acknowledges it or reopens it."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from portal.accounts.models import User
from portal.accounts.permissions import Action, can
from portal.agencies.models import Agency
from portal.catalog.staff_views import staff_view
from portal.lib.errors import ApplicationError, PermissionDenied
from portal.privacy import display, selectors, services
from portal.privacy.forms import AcknowledgeForm
from portal.privacy.models import Finding, FindingState

PAGE_SIZE = 50
STATES = {"open": FindingState.OPEN, "acknowledged": FindingState.ACKNOWLEDGED, "all": ""}


@staff_view
def finding_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    state = request.GET.get("state", "open")
    state = state if state in STATES else "open"
    overview = can(user, Action.MANAGE_CATALOGUE)
    agency = _agency(request) if overview else None
    found = selectors.findings(user, state=STATES[state], agency=agency)
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "privacy/finding_list.html", {
        "page": page, "state": state, "overview": overview, "agency": agency,
        "agencies": Agency.objects.order_by("name") if overview else None,
        "rows": [display.shown(finding, can_resolve=can(
            user, Action.RESOLVE_FINDING, finding.resource.dataset)) for finding in page],
    })


@staff_view
def finding_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    finding = selectors.finding(user, pk)
    form = AcknowledgeForm(request.POST if request.POST.get("action") == "acknowledge" else None)
    if request.method == "POST":
        done = _act(request, finding, form)
        if done is not None:
            return done
    shown = display.shown(finding, can_resolve=can(user, Action.RESOLVE_FINDING,
                                                  finding.resource.dataset))
    return render(request, "privacy/finding_detail.html", {
        "item": shown, "form": form, "resource_url": _resource_url(finding),
        "history": [display.shown(one, can_resolve=False)
                    for one in selectors.history(user, finding)],
    }, status=400 if form.is_bound and form.errors else 200)


def _act(request: HttpRequest, finding: Finding, form: AcknowledgeForm) -> HttpResponse | None:
    """Do what was asked; a redirect when done, None to show the form with its errors."""
    action = request.POST.get("action")
    try:
        if action == "acknowledge":
            if not form.is_valid():
                return None
            services.finding_acknowledge(user=request.user, finding=finding,
                                         reason=form.cleaned_data["reason"])
            messages.success(request, _("The finding is acknowledged."))
        elif action == "reopen":
            services.finding_reopen(user=request.user, finding=finding)
            messages.success(request, _("The finding is open again."))
        else:
            return None
    except PermissionDenied:
        raise
    except ApplicationError as error:
        if error.field_errors:
            for field, errors in error.field_errors.items():
                for message in errors:
                    form.add_error(field if field in form.fields else None, message)
            return None
        messages.error(request, error.message)
    back = request.POST.get("back")
    return redirect(_resource_url(finding) + "#privacy" if back == "resource" else
                    reverse("privacy:finding", args=[finding.pk]))


def _resource_url(finding: Finding) -> str:
    return reverse("catalog:resource_detail", args=[finding.resource.dataset.slug,
                                                    finding.resource.pk])


def _agency(request: HttpRequest) -> Agency | None:
    slug = request.GET.get("agency", "")
    return Agency.objects.filter(slug=slug).first() if slug else None


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # guaranteed by login_required
    return request.user
