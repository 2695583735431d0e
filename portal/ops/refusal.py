"""The answer to a request over its rate limit: HTTP 429 with `Retry-After`, in each door's
own shape (CKAN's envelope for the CKAN API, /api/v1's error shape for the native API, a page
otherwise)."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import ngettext

from portal.api.errors import error_body
from portal.interop.ckan.errors import CkanError
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


def _json(payload: dict[str, Any]) -> HttpResponse:
    return HttpResponse(json.dumps(payload, ensure_ascii=False), status=429,
                        content_type="application/json;charset=utf-8")


def _ckan_body(request: HttpRequest, retry_after: int) -> dict[str, Any]:
    action = request.path.rstrip("/").rsplit("/", 1)[-1]
    help_path = reverse("interop:ckan_action", kwargs={"action": "help_show"})
    help_url = f"{site_url(request)}{help_path}?{urlencode({'name': action[:100]})}"
    error = RateLimitError(_message(retry_after))
    return {"help": help_url, "success": False, "error": error.payload()}


def _api_response(request: HttpRequest, retry_after: int) -> HttpResponse:
    # API clients are programs: they say which language they read (as the CKAN API does).
    language = translation.get_language_from_request(request)
    with translation.override(language):
        if request.path.startswith(CKAN_PREFIXES):
            response = _json(_ckan_body(request, retry_after))
        else:
            response = _json(error_body("rate_limited", _message(retry_after)))
    response["Content-Language"] = language
    return response


def too_many_requests(request: HttpRequest, retry_after: int) -> HttpResponse:
    retry_after = max(1, retry_after)
    if request.path.startswith(API_PREFIX):
        response = _api_response(request, retry_after)
    else:
        response = render(request, "ops/rate_limited.html",
                          {"message": _message(retry_after)}, status=429)
    response["Retry-After"] = str(retry_after)
    return response
