"""Pages for two-factor authentication and sessions. Thin: the rules are in services and
`accounts.permissions`."""

from __future__ import annotations

import base64

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import match_token, user_has_device

from portal.accounts.models import User
from portal.accounts.permissions import Action, can, must_use_two_factor
from portal.agencies.models import Agency
from portal.security import services
from portal.security.forms import AgencyTwoFactorForm, CodeForm
from portal.security.qr import qr_svg


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # the views are behind login_required
    return user


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return reverse("security:account")


def _is_verified(request: HttpRequest) -> bool:
    return bool(getattr(request.user, "is_verified", lambda: False)())


@login_required
def verify(request: HttpRequest) -> HttpResponse:
    """The second step of logging in: a code from the authenticator or a recovery code."""
    user = _user(request)
    if _is_verified(request) or not user_has_device(user):
        return HttpResponseRedirect(_safe_next(request))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(user, form.cleaned_data["code"])
        if device is not None:
            otp_login(request, device)
            return HttpResponseRedirect(_safe_next(request))
        form.add_error("code", _("This code is not right, or has already been used. Check "
                                 "the time on your phone and try the newest code."))
    return render(request, "security/verify.html", {"form": form, "next": _safe_next(request)})


@login_required
def enrol(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app: scan the QR code or type the secret, then give a code."""
    user = _user(request)
    if user_has_device(user) and not _is_verified(request):
        return redirect("security:verify")
    device = services.totp_enrolment_device(user=user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"]):
            codes = services.totp_confirm(user=user, device=device)
            otp_login(request, device)
            return render(request, "security/recovery_codes.html",
                          {"codes": codes, "next": _safe_next(request)})
        form.add_error("code", _("This code is not right. Check that the app shows the portal's "
                                 "account and that the time on your phone is correct."))
    secret = base64.b32encode(device.bin_key).decode()
    context = {"form": form, "qr": qr_svg(device.config_url), "next": _safe_next(request),
               "secret": " ".join(secret[i:i + 4] for i in range(0, len(secret), 4)),
               "required": must_use_two_factor(user)}
    return render(request, "security/enrol.html", context)


@login_required
def account(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    context = {"has_device": user_has_device(user), "required": must_use_two_factor(user),
               "managed_agency": user.agency if user.agency
               and can(user, Action.MANAGE_MEMBERS, user.agency) else None}
    return render(request, "security/account.html", context)


@login_required
@require_POST
def recovery_codes(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not _is_verified(request):
        return redirect("security:account")
    codes = services.recovery_codes_create(user=user)
    return render(request, "security/recovery_codes.html",
                  {"codes": codes, "next": reverse("security:account")})


@login_required
@require_POST
def logout_everywhere(request: HttpRequest) -> HttpResponse:
    services.sessions_end_all(user=_user(request))
    logout(request)
    messages.success(request, _("You have been logged out on all devices."))
    return redirect("accounts:login")


@login_required
def agency_two_factor(request: HttpRequest, slug: str) -> HttpResponse:
    user = _user(request)
    agency = get_object_or_404(Agency, slug=slug)
    if not can(user, Action.MANAGE_MEMBERS, agency):
        return render(request, "403.html", status=403)
    form = AgencyTwoFactorForm(request.POST or None,
                               initial={"required": agency.require_two_factor})
    if request.method == "POST" and form.is_valid():
        services.agency_set_two_factor(user=user, agency=agency,
                                       required=form.cleaned_data["required"])
        messages.success(request, _("Saved."))
        return redirect("security:agency_two_factor", slug=agency.slug)
    return render(request, "security/agency_two_factor.html", {"form": form, "agency": agency})
