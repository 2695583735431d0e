"""Account pages: the operating unit's list of every account and its form for a new one, and
each account's page (role and agency, deactivation, a new set-password link, two-factor
removal), which an agency's administrator also uses for its own members.

Thin, like the catalogue's staff pages: `permissions.can` says who may see a page, the
services in accounts.services (the ones the commands and the CKAN API call) make each change
and check the rules again, and a refusal is shown on the form or as a message.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.accounts import mail, selectors, services
from portal.accounts.forms import AccountFilterForm, AccountForm, RoleForm
from portal.accounts.models import User
from portal.accounts.permissions import Action, can
from portal.agencies.models import Agency
from portal.catalog.staff_views import forbidden, staff_view
from portal.lib.errors import ApplicationError, NotFound, PermissionDenied
from portal.lib.htmx import is_fragment
from portal.lib.net import site_url
from portal.security import services as security

PAGE_SIZE = 50


def signed_in(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # guaranteed by staff_view's login_required
    return request.user


def posted(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def managed_account(request: HttpRequest, username: str) -> User:
    """The account, if the person may manage it (else 403); 404 when there is none."""
    account = selectors.get_account(username)
    if account is None:
        raise NotFound(_("There is no account with this username."))
    if not can(request.user, Action.MANAGE_USER, account):
        raise PermissionDenied(_("You may not manage this account: an agency's administrator "
                                 "manages the editors, members and administrators of its own "
                                 "agency; the operating unit manages every account."))
    return account


def back_to(user: User, account: User) -> str:
    """Where the person came from: all accounts for a sysadmin, else the agency's members."""
    if can(user, Action.MANAGE_ACCOUNTS) or account.agency is None:
        return reverse("accounts:user_list")
    return reverse("members:list", kwargs={"slug": account.agency.slug})


def link_sent(request: HttpRequest, account: User, link: services.PasswordLink,
              created: bool) -> HttpResponse:
    """What became of the link. Only the operating unit sees the link itself, as the command
    prints it; an agency's administrator relies on the e-mail."""
    user = signed_in(request)
    return render(request, "accounts/staff/link_sent.html", {
        "account": account, "sent": link, "created": created,
        "link_days": mail.link_days(),
        "show_link": can(user, Action.MANAGE_ACCOUNTS), "back": back_to(user, account)})


@staff_view
def user_list(request: HttpRequest) -> HttpResponse:
    if not can(request.user, Action.MANAGE_ACCOUNTS):
        return forbidden(request, _("Only the operating unit's system administrators see every "
                                    "account. An agency's administrator manages its members "
                                    "from the agency's members page."))
    form = AccountFilterForm(request.GET)
    page = Paginator(selectors.accounts(form.to_filter()), PAGE_SIZE).get_page(
        request.GET.get("page"))
    template = "_user_results.html" if is_fragment(request) else "user_list.html"
    response = render(request, f"accounts/staff/{template}", {
        "form": form, "page": page, "hx_target": "#account-results"})
    patch_vary_headers(response, ["HX-Request"])
    return response


def create_account(request: HttpRequest, form: AccountForm) -> HttpResponse | None:
    """Create the account the valid form describes and send its link; None if refused."""
    user, data = signed_in(request), form.cleaned_data
    try:
        account = services.user_create(
            actor=user, username=data["username"], email=data["email"], role=data["role"],
            agency=form.chosen_agency(), full_name=data["full_name"])
    except ApplicationError as error:
        form.add_application_error(error)
        return None
    link = services.password_link_send(actor=user, user=account, base_url=site_url(request),
                                       new_account=True)
    return link_sent(request, account, link, created=True)


@staff_view
def user_create(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    if not can(user, Action.MANAGE_ACCOUNTS):
        return forbidden(request, _("Only the operating unit creates accounts for every agency; "
                                    "an agency's administrator adds its members from the "
                                    "agency's members page."))
    chosen = Agency.objects.filter(slug=request.GET.get("agency", "")).first()
    form = AccountForm(posted(request), actor=user,
                       initial={"agency": chosen.slug if chosen else ""})
    if request.method == "POST" and form.is_valid():
        done = create_account(request, form)
        if done is not None:
            return done
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "accounts/staff/user_form.html", {"form": form, "agency": None},
                  status=status)


@staff_view
def user_edit(request: HttpRequest, username: str) -> HttpResponse:
    """The account's page; a POST changes its role (and agency)."""
    user = signed_in(request)
    account = managed_account(request, username)
    form = RoleForm(posted(request), actor=user, account=account)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_set_role(actor=user, user=account, role=form.cleaned_data["role"],
                                   agency=form.chosen_agency())
        except ApplicationError as error:
            form.add_application_error(error)
        else:
            messages.success(request, _("The role of %(name)s was saved.")
                             % {"name": account.username})
            return redirect("accounts:user_edit", username=account.username)
    return render(request, "accounts/staff/user_detail.html", {
        "account": account, "form": form, "back": back_to(user, account),
        "is_self": account.pk == user.pk}, status=400 if form.errors else 200)


def _refusal_as_message(request: HttpRequest, error: ApplicationError) -> None:
    details = [message for messages_ in error.field_errors.values() for message in messages_]
    messages.error(request, " ".join([error.message, *details]))


@staff_view
@require_POST
def user_set_active(request: HttpRequest, username: str) -> HttpResponse:
    user = signed_in(request)
    account = managed_account(request, username)
    active = request.POST.get("active") == "1"
    try:
        services.user_set_active(actor=user, user=account, active=active)
    except (PermissionDenied, NotFound):
        raise
    except ApplicationError as error:
        _refusal_as_message(request, error)
    else:
        messages.success(request, (_(
            "%(name)s is active again. The API tokens it had stay revoked.") if active else _(
            "%(name)s is deactivated: it can no longer log in, and its API tokens are "
            "revoked.")) % {"name": account.username})
    return redirect("accounts:user_edit", username=account.username)


@staff_view
@require_POST
def user_password_link(request: HttpRequest, username: str) -> HttpResponse:
    user = signed_in(request)
    account = managed_account(request, username)
    try:
        link = services.password_link_send(actor=user, user=account,
                                           base_url=site_url(request))
    except (PermissionDenied, NotFound):
        raise
    except ApplicationError as error:
        _refusal_as_message(request, error)
        return redirect("accounts:user_edit", username=account.username)
    return link_sent(request, account, link, created=False)


@staff_view
@require_POST
def user_two_factor_remove(request: HttpRequest, username: str) -> HttpResponse:
    user = signed_in(request)
    account = managed_account(request, username)
    security.two_factor_remove(actor=user, user=account)
    messages.success(request, _("The authenticator and recovery codes of %(name)s are removed. "
                                "If two-factor authentication is required for the account, it "
                                "sets up a new authenticator at its next login.")
                     % {"name": account.username})
    return redirect("accounts:user_edit", username=account.username)
