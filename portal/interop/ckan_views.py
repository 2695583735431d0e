"""The CKAN Action API's door: CKAN's envelope around every answer and every refusal.

    {"help": ".../api/3/action/help_show?name=package_show", "success": true, "result": ...}
    {"help": "...", "success": false, "error": {"__type": "Not Found Error", "message": "..."}}

The view takes GET and POST without a CSRF token (CKAN clients send none): the actions that
write require a read-write API token (`ckan/writing.py`), never the session alone, so a cross-site
request riding a browser's session can only read.
"""

from __future__ import annotations

import json
import logging
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from portal.interop.ckan.actions import ACTIONS
from portal.interop.ckan.context import Context
from portal.interop.ckan.errors import BadRequestError, CkanError, MethodNotAllowedError
from portal.interop.ckan.request import request_data
from portal.lib.net import site_url

logger = logging.getLogger(__name__)

METHODS = ("GET", "HEAD", "POST")


def _json(payload: Any, status: int = 200) -> HttpResponse:
    response = HttpResponse(json.dumps(payload, ensure_ascii=False), status=status,
                            content_type="application/json;charset=utf-8")
    if status == 405:
        response["Allow"] = ", ".join(METHODS)
    return response


def _help_url(request: HttpRequest, name: str) -> str:
    path = reverse("interop:ckan_action", kwargs={"action": "help_show"})
    return f"{site_url(request)}{path}?{urlencode({'name': name[:100]})}"


def _result(request: HttpRequest, name: str) -> Any:
    if request.method not in METHODS:
        raise MethodNotAllowedError(_("Use GET or POST."))
    action = ACTIONS.get(name)
    if action is None:
        raise BadRequestError(_("Action name not known: %(name)s") % {"name": name[:100]})
    return action(Context.of(request), request_data(request))


def _answer(request: HttpRequest, action: str) -> HttpResponse:
    envelope: dict[str, Any] = {"help": _help_url(request, action)}
    try:
        result = _result(request, action)
    except CkanError as error:
        response = _json(envelope | {"success": False, "error": error.payload()}, error.status)
        if error.retry_after is not None:
            response["Retry-After"] = str(error.retry_after)
        return response
    except Exception:
        # As CKAN does: the client gets the envelope, the operators the trace in the log.
        logger.exception("CKAN action %s failed", action[:100])
        failure = CkanError(_("Internal Server Error"))
        return _json(envelope | {"success": False, "error": failure.payload()}, failure.status)
    return _json(envelope | {"success": True, "result": result})


@csrf_exempt
def action(request: HttpRequest, action: str) -> HttpResponse:
    # Pages follow only the language switch's cookie; API clients are programs, which say what
    # they read with Accept-Language (then the cookie; Vietnamese by default).
    language = translation.get_language_from_request(request)
    with translation.override(language):
        response = _answer(request, action)
    response["Content-Language"] = language
    patch_vary_headers(response, ("Accept-Language",))
    return response


def api_version(request: HttpRequest) -> HttpResponse:
    return _json({"version": 3})
