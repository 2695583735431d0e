"""Staff pages of plans (article 11.2): an agency's phases, targets and progress."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from portal.accounts.models import User
from portal.accounts.permissions import Action, can
from portal.agencies.models import Agency
from portal.agencies.selectors import get_agency
from portal.catalog.forms import StaffForm
from portal.catalog.staff_views import staff_view
from portal.lib.errors import PermissionDenied
from portal.openlist import plans, selectors
from portal.openlist.forms import PlanForm
from portal.openlist.models import ListKind, Plan
from portal.openlist.staff_views import attempt, posted, status_of, succeeded


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # guaranteed by login_required
    return request.user


def _agency(request: HttpRequest, slug: str, action: Action) -> Agency:
    agency = get_agency(slug)
    if not can(request.user, action, agency):
        raise PermissionDenied(_("Only the accounts of %(agency)s and the supervising "
                                 "department see its plans; its administrator and the "
                                 "supervising department set them.") % {"agency": agency.name})
    return agency


@staff_view
def overview(request: HttpRequest) -> HttpResponse:
    """Supervisors see every agency's current phase; an agency's accounts go to their own."""
    user = _user(request)
    if not can(user, Action.MANAGE_OPENLIST):
        if user.agency is None:
            raise PermissionDenied(_("Plans belong to agencies; your account has none."))
        return redirect("openlist:plans", slug=user.agency.slug)
    current = selectors.plan_progress_by_agency()
    agencies = Agency.objects.active().order_by("name")
    return render(request, "openlist/staff/plans_overview.html", {
        "rows": [(agency, current.get(agency.pk, [])) for agency in agencies]})


@staff_view
def agency_plans(request: HttpRequest, slug: str) -> HttpResponse:
    agency = _agency(request, slug, Action.VIEW_PLANS)
    return render(request, "openlist/staff/plans.html", {
        "agency": agency, "progress": selectors.agency_plans(agency),
        "coverage": selectors.agency_coverage(agency),
        "can_manage": can(request.user, Action.MANAGE_PLAN, agency)})


def _form(request: HttpRequest, agency: Agency, plan: Plan | None = None) -> PlanForm:
    items = selectors.agency_items(agency, ListKind.OPEN_DATA)
    initial = {} if plan is None else {name: getattr(plan, name) for name in (
        "name", "start", "end", "target_items", "item_codes", "target_datasets",
        "target_on_time_share", "notes")}
    return PlanForm(posted(request), initial=initial, items=sorted(items, key=lambda i: i.code))


@staff_view
def plan_create(request: HttpRequest, slug: str) -> HttpResponse:
    agency = _agency(request, slug, Action.MANAGE_PLAN)
    form = _form(request, agency)
    if request.method == "POST" and form.is_valid():
        data = form.plan_fields()
        if attempt(form, lambda: plans.plan_create(actor=request.user, agency=agency,
                                                   data=data)) is not None:
            messages.success(request, _("The plan was saved."))
            return redirect("openlist:plans", slug=agency.slug)
    return render(request, "openlist/staff/plan_form.html",
                  {"agency": agency, "form": form, "plan": None}, status=status_of(form))


@staff_view
def plan_edit(request: HttpRequest, slug: str, plan_id: int) -> HttpResponse:
    agency = _agency(request, slug, Action.MANAGE_PLAN)
    plan = selectors.get_plan(agency, plan_id)
    form = _form(request, agency, plan)
    if request.method == "POST" and form.is_valid():
        data = form.plan_fields()
        if attempt(form, lambda: plans.plan_update(actor=request.user, plan=plan,
                                                   data=data)) is not None:
            messages.success(request, _("The plan was saved."))
            return redirect("openlist:plans", slug=agency.slug)
    return render(request, "openlist/staff/plan_form.html",
                  {"agency": agency, "form": form, "plan": plan}, status=status_of(form))


@staff_view
def plan_delete(request: HttpRequest, slug: str, plan_id: int) -> HttpResponse:
    agency = _agency(request, slug, Action.MANAGE_PLAN)
    plan = selectors.get_plan(agency, plan_id)
    form = StaffForm(posted(request))
    if request.method == "POST" and form.is_valid() and succeeded(
            form, lambda: plans.plan_delete(actor=request.user, plan=plan)):
        messages.success(request, _("The plan was deleted."))
        return redirect("openlist:plans", slug=agency.slug)
    return render(request, "openlist/staff/plan_delete.html",
                  {"agency": agency, "plan": plan, "form": form}, status=status_of(form))
