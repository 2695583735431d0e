"""Refusals made before a view answers, in each door's own shape: CKAN's envelope for the CKAN
API, /api/v1's error shape for the native API, a page otherwise (and for htmx a fragment that
takes the place of what was asked for).

- 429 with `Retry-After`: a request over its rate limit (ratelimit.py);
- 400: a request Django could not read (`handler400`): a Host header that is not one of
  ALLOWED_HOSTS, a multipart form it cannot parse (a file name too long), a malformed body.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from portal.api.errors import error_body
from portal.catalog.uploads import unreadable_form_message
from portal.interop.ckan.errors import BadRequestError, CkanError
from portal.lib.htmx import is_fragment
from portal.lib.net import site_url

CKAN_PREFIXES = ("/api/3/", "/api/action/", "/api/3")
API_PREFIX = "/api/"


class RateLimitError(CkanError):
    status = 429
    kind = "Rate Limit Error"


def _message(retry_after: int) -> str:
    return ngettext(
        "Too many requests from you in a short time. Try again in %(seconds)d second.",
        "Too many requests from you in a short time. Try again in %(seconds)d seconds.",
        retry_after) % {"seconds": retry_after}


def _json(payload: dict[str, Any], status: int) -> HttpResponse:
    return HttpResponse(json.dumps(payload, ensure_ascii=False), status=status,
                        content_type="application/json;charset=utf-8")


def _help_url(request: HttpRequest) -> str:
    """CKAN's `help` link for the action asked; relative when the request's own host is the
    reason for the refusal (it must not be echoed, and reading it raises again)."""
    action = request.path.rstrip("/").rsplit("/", 1)[-1]
    help_path = reverse("interop:ckan_action", kwargs={"action": "help_show"})
    try:
        base = site_url(request)
    except DisallowedHost:
        base = ""
    return f"{base}{help_path}?{urlencode({'name': action[:100]})}"


def _api_response(request: HttpRequest, error: CkanError, code: str,
                  message: str) -> HttpResponse:
    """The refusal in the shape of the API asked: CKAN's `error`, or /api/v1's `code` and
    `message`."""
    if request.path.startswith(CKAN_PREFIXES):
        body = {"help": _help_url(request), "success": False, "error": error.payload()}
    else:
        body = error_body(code, message)
    return _json(body, error.status)


def _in_callers_language(request: HttpRequest, answer: Callable[..., HttpResponse],
                         *args: Any) -> HttpResponse:
    # API clients are programs: they say which language they read (as the CKAN API does).
    language = translation.get_language_from_request(request)
    with translation.override(language):
        response = answer(request, *args)
    response["Content-Language"] = language
    return response


def _fragment(request: HttpRequest, retry_after: int) -> HttpResponse:
    """The message in place of the content htmx asked for (base.html lets htmx swap a 429 in):
    inside the target, whatever swap the link asked for, and the address bar left alone."""
    response = render(request, "ops/_rate_limited.html", {"message": _message(retry_after)},
                      status=429)
    response["HX-Reswap"] = "innerHTML"
    response["HX-Push-Url"] = "false"
    return response


def _rate_limited_api(request: HttpRequest, retry_after: int) -> HttpResponse:
    message = _message(retry_after)
    return _api_response(request, RateLimitError(message), "rate_limited", message)


def too_many_requests(request: HttpRequest, retry_after: int) -> HttpResponse:
    retry_after = max(1, retry_after)
    if request.path.startswith(API_PREFIX):
        response = _in_callers_language(request, _rate_limited_api, retry_after)
    elif is_fragment(request):
        response = _fragment(request, retry_after)
    else:
        response = render(request, "ops/rate_limited.html",
                          {"message": _message(retry_after)}, status=429)
    response["Retry-After"] = str(retry_after)
    return response


def _unreadable(exception: Exception) -> str:
    """What was wrong, as far as it is safe and useful to say."""
    if isinstance(exception, DisallowedHost):
        return _("This portal does not answer to the address the request was sent to (its Host "
                 "header). Use the portal's own address.")
    if isinstance(exception, MultiPartParserError):
        return unreadable_form_message()
    return _("The portal could not understand this request. Go back, check what you entered "
             "and try again.")


def _bad_request_api(request: HttpRequest, exception: Exception) -> HttpResponse:
    message = _unreadable(exception)
    return _api_response(request, BadRequestError(message), "bad_request", message)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Django's `handler400`: a request Django refused before (or while) a view read it."""
    if request.path.startswith(API_PREFIX):
        return _in_callers_language(request, _bad_request_api, exception)
    return render(request, "400.html", {"message": _unreadable(exception)}, status=400)
