"""Holds a signed-in person at the two-factor step until their session is verified.

A person who must use two-factor authentication (`permissions.must_use_two_factor`) and has no
authenticator yet is sent to enrolment; anyone with an authenticator whose session has not
given a code yet is sent to the code page. Nothing else is reachable meanwhile, the admin
included; logging out and switching language are.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django_otp import user_has_device

from portal.accounts.permissions import must_use_two_factor


def _always_reachable() -> tuple[str, ...]:
    return (reverse("security:verify"), reverse("security:enrol"), reverse("accounts:logout"),
            "/i18n/", settings.STATIC_URL or "/static/")


def two_factor_redirect(request: HttpRequest) -> str | None:
    """Where a signed-in but unverified person must go first, or None."""
    user = request.user
    if not user.is_authenticated or getattr(user, "is_verified", lambda: False)():
        return None
    if user_has_device(user):
        return reverse("security:verify")
    if must_use_two_factor(user):
        return reverse("security:enrol")
    return None


class TwoFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(_always_reachable()):
            target = two_factor_redirect(request)
            if target is not None:
                if request.method == "GET":
                    target += "?" + urlencode({"next": request.get_full_path()})
                return HttpResponseRedirect(target)
        return self.get_response(request)
