"""An agency's members pages (CKAN's /organization/members/<id>): its administrator, the
supervisors and the operating unit see the accounts; its administrator and the operating unit
add one (an account the portal already has, or a new one). Each account is then managed on its
own page (accounts.views), whose services check again that it is in the manager's agency."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from portal.accounts import services
from portal.accounts.forms import AccountForm, ExistingMemberForm
from portal.accounts.models import User
from portal.accounts.permissions import Action, can
from portal.accounts.selectors import with_two_factor
from portal.accounts.views import create_account, posted, signed_in
from portal.agencies import selectors as agencies
from portal.agencies.models import Agency
from portal.catalog.staff_views import forbidden, staff_view
from portal.lib.errors import ApplicationError, NotFound, PermissionDenied


def _agency(slug: str) -> Agency:
    try:
        return agencies.get_agency(slug)
    except NotFound:
        raise Http404(_("There is no agency at this address.")) from None


@staff_view
def member_list(request: HttpRequest, slug: str) -> HttpResponse:
    user = signed_in(request)
    agency = _agency(slug)
    if not can(user, Action.VIEW_MEMBERS, agency):
        return forbidden(request, _("Only the agency's administrators, the supervising "
                                    "department and the operating unit see its accounts."))
    members = with_two_factor(agencies.agency_members(agency))
    return render(request, "accounts/staff/members.html", {
        "agency": agency, "rows": [(member, can(user, Action.MANAGE_USER, member))
                                   for member in members],
        "can_manage": can(user, Action.MANAGE_MEMBERS, agency)})


def _add_existing(request: HttpRequest, form: ExistingMemberForm, agency: Agency) -> bool:
    """Give an existing account this agency and role (reactivated if it was deactivated)."""
    user = signed_in(request)
    account = User.objects.select_related("agency").filter(
        username__iexact=form.cleaned_data["username"].strip()).first()
    if account is None:
        form.add_error("username", _("There is no account with this username. Create it "
                                     "below instead."))
        return False
    try:
        services.member_add(actor=user, user=account, agency=agency,
                            role=form.cleaned_data["role"])
    except PermissionDenied:
        form.add_error("username", _("This account belongs to another agency, or is a system "
                                     "administrator's or a supervisor's: ask the operating "
                                     "unit to move it."))
        return False
    except ApplicationError as error:
        form.add_application_error(error)
        return False
    messages.success(request, _("%(name)s is now a member of %(agency)s.")
                     % {"name": account.username, "agency": agency.display_name})
    return True


@staff_view
def member_new(request: HttpRequest, slug: str) -> HttpResponse:
    user = signed_in(request)
    agency = _agency(slug)
    if not can(user, Action.MANAGE_MEMBERS, agency):
        return forbidden(request, _("Only the agency's administrator and the operating unit add "
                                    "members to the agency."))
    which = request.POST.get("form", "") if request.method == "POST" else ""
    existing = ExistingMemberForm(posted(request) if which == "existing" else None,
                                  actor=user, agency=agency, prefix="existing")
    new = AccountForm(posted(request) if which == "new" else None, actor=user, agency=agency,
                      prefix="new")
    if which == "existing" and existing.is_valid() and _add_existing(request, existing, agency):
        return redirect("members:list", slug=agency.slug)
    if which == "new" and new.is_valid():
        done = create_account(request, new)
        if done is not None:
            return done
    status = 400 if existing.errors or new.errors else 200
    return render(request, "accounts/staff/member_new.html", {
        "agency": agency, "existing": existing, "new": new}, status=status)
