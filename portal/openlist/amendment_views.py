"""Staff pages of amendments: an agency proposes, the supervising department decides."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from portal.accounts.models import User
from portal.accounts.permissions import Action, can
from portal.catalog.staff_views import staff_view
from portal.lib.errors import NotFound, PermissionDenied
from portal.openlist import amendments, selectors
from portal.openlist.forms import AmendmentForm, DecideForm
from portal.openlist.models import Amendment, AmendmentStatus, ListKind
from portal.openlist.staff_views import attempt, posted, status_of

PER_PAGE = 50


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # guaranteed by login_required
    return request.user


@staff_view
def amendment_list(request: HttpRequest, kind: str) -> HttpResponse:
    user = _user(request)
    found = selectors.visible_amendments(user).filter(kind=kind)
    status = request.GET.get("status", "")
    if status in AmendmentStatus.values:
        found = found.filter(status=status)
    return render(request, "openlist/staff/amendments.html", {
        "kind": kind, "kind_label": ListKind(kind).label, "status": status,
        "statuses": AmendmentStatus.choices,
        "page": Paginator(found, PER_PAGE).get_page(request.GET.get("page")),
        "can_decide": can(user, Action.MANAGE_OPENLIST),
        "can_propose": user.agency is not None
        and can(user, Action.PROPOSE_AMENDMENT, user.agency),
        "draft": selectors.draft_version(kind)})


@staff_view
def amendment_create(request: HttpRequest, kind: str) -> HttpResponse:
    user = _user(request)
    agency = user.agency
    if agency is None or not can(user, Action.PROPOSE_AMENDMENT, agency):
        raise PermissionDenied(_("Administrators and editors of an active agency propose "
                                 "amendments to the lists; the supervising department "
                                 "changes the draft directly."))
    form = AmendmentForm(posted(request), initial={"code": request.GET.get("code", "")[:30]})
    if request.method == "POST" and form.is_valid():
        proposal = form.proposal(kind)
        amendment = attempt(form, lambda: amendments.amendment_propose(
            actor=user, agency=agency, data=proposal))
        if amendment is not None:
            messages.success(request, _("Your proposal was sent to the supervising department."))
            return redirect("openlist:amendment", kind=kind, amendment_id=amendment.pk)
    return render(request, "openlist/staff/amendment_form.html", {
        "kind": kind, "kind_label": ListKind(kind).label, "form": form, "agency": agency},
        status=status_of(form))


def _decide(request: HttpRequest, form: DecideForm, amendment: Amendment) -> Amendment | None:
    reason = form.cleaned_data["reason"]
    if form.cleaned_data["decision"] == "accept":
        return attempt(form, lambda: amendments.amendment_accept(
            actor=request.user, amendment=amendment, note=reason))
    return attempt(form, lambda: amendments.amendment_reject(
        actor=request.user, amendment=amendment, reason=reason))


@staff_view
def amendment_detail(request: HttpRequest, kind: str, amendment_id: int) -> HttpResponse:
    user = _user(request)
    amendment = selectors.get_amendment(user, amendment_id)
    if amendment.kind != kind:
        raise NotFound("Amendment not found")
    can_decide = can(user, Action.MANAGE_OPENLIST)
    if request.method == "POST" and not can_decide:
        raise PermissionDenied(_("Only the supervising department decides on amendments."))
    form = DecideForm(posted(request))
    if request.method == "POST" and form.is_valid():
        decided = _decide(request, form, amendment)
        if decided is not None:
            messages.success(request, _("The proposal was decided: %(status)s.")
                             % {"status": decided.get_status_display()})
            return redirect("openlist:amendment", kind=kind, amendment_id=amendment.pk)
    return render(request, "openlist/staff/amendment.html", {
        "kind": kind, "kind_label": ListKind(kind).label, "amendment": amendment,
        "form": form, "can_decide": can_decide and amendment.status == AmendmentStatus.PENDING},
        status=status_of(form))
