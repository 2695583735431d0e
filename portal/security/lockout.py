"""What a locked-out login sees: the login page with a message, never a bare error page."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme


def locked_out_response(request: HttpRequest, original_response: HttpResponse | None = None,
                        credentials: dict[str, Any] | None = None) -> HttpResponse:
    """Called by django-axes (AXES_LOCKOUT_CALLABLE) once a login is locked."""
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    form = AuthenticationForm(request, initial={"username": username})
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        next_url = ""
    context = {"form": form, "locked": True, "next": next_url,
               "lockout_minutes": settings.LOGIN_LOCKOUT_MINUTES}
    return render(request, "accounts/login.html", context, status=429)
