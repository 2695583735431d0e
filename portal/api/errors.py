"""One JSON error shape for every refusal of /api/v1:

    {"error": {"code": "not_found", "message": "...", "fields": {"title": ["..."]}}}

`code` is a stable machine-readable word (documented in docs/api.md), `message` a sentence for
people in the caller's language, `fields` the messages per input field (empty when none).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable
from functools import wraps
from typing import TYPE_CHECKING, Any

from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse
from django.http.request import RawPostDataException
from django.utils.translation import gettext as _
from ninja.errors import HttpError, ValidationError

from portal.accounts.tokens import TokenRefused
from portal.lib.errors import ApplicationError, Conflict, NotFound, PermissionDenied

if TYPE_CHECKING:
    from ninja import NinjaAPI

logger = logging.getLogger(__name__)

CODES = {
    400: "bad_request", 401: "not_authenticated", 403: "forbidden", 404: "not_found",
    405: "method_not_allowed", 409: "conflict", 413: "too_large", 415: "unsupported_media_type",
    422: "invalid", 429: "rate_limited", 500: "server_error",
}


class ApiError(Exception):
    """A refusal raised by the API layer itself (not by a service)."""

    def __init__(self, status: int, message: str, code: str | None = None,
                 fields: dict[str, list[str]] | None = None) -> None:
        super().__init__(message)
        self.status, self.message = status, message
        self.code = code or CODES.get(status, "error")
        self.fields = fields or {}


def error_body(code: str, message: str,
               fields: dict[str, list[str]] | None = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "fields": fields or {}}}


def error_response(status: int, message: str, code: str | None = None,
                   fields: dict[str, list[str]] | None = None) -> HttpResponse:
    body = error_body(code or CODES.get(status, "error"), message, fields)
    return HttpResponse(json.dumps(body, ensure_ascii=False), status=status,
                        content_type="application/json; charset=utf-8")


def _field_name(location: Iterable[Any]) -> str:
    parts = [str(part) for part in location]
    if parts and parts[0] in ("body", "form", "file") and len(parts) > 2:
        parts = parts[2:]  # ("body", <parameter name>, "title") → "title"
    elif parts and parts[0] in ("query", "path", "header", "cookie", "body", "form", "file"):
        parts = parts[1:]
    return ".".join(parts) or "body"


def validation_fields(errors: Iterable[dict[str, Any]]) -> dict[str, list[str]]:
    fields: dict[str, list[str]] = {}
    for error in errors:
        fields.setdefault(_field_name(error.get("loc", ())), []).append(str(error.get("msg", "")))
    return fields


def _on_validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return error_response(422, _("The request is not valid: see the messages per field."),
                          "validation_error", validation_fields(exc.errors))


def _on_application_error(request: HttpRequest, exc: ApplicationError) -> HttpResponse:
    if isinstance(exc, NotFound):
        return error_response(404, _("Not found."))
    if isinstance(exc, PermissionDenied):
        caller = getattr(request, "auth", None)  # set by the API's authentication (auth.py)
        if caller is None or not caller.actor.is_authenticated:
            return error_response(401, _("Sign in, or send an API token in the Authorization "
                                         "header."))
        return error_response(403, exc.message)
    if isinstance(exc, Conflict):
        return error_response(409, exc.message, fields=exc.field_errors)
    return error_response(422, exc.message, fields=exc.field_errors)


def _on_api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
    return error_response(exc.status, exc.message, exc.code, exc.fields)


def _on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return error_response(exc.status_code, str(exc))


def _on_not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    return error_response(404, _("Not found."))


def _on_token_refused(request: HttpRequest, exc: Exception) -> HttpResponse:
    return error_response(401, str(exc), "invalid_token")


def _on_too_big(request: HttpRequest, exc: Exception) -> HttpResponse:
    return error_response(413, _("The request body is too large."))


def _on_bad_request(request: HttpRequest, exc: Exception) -> HttpResponse:
    return error_response(400, _("The request could not be read."))


def _on_form_body(request: HttpRequest, exc: Exception) -> HttpResponse:
    """A form (multipart) sent where a JSON body is read: the form was parsed first (NUL
    check), so the raw body is gone, and JSON it would not have been anyway."""
    return error_response(415, _("This address takes a JSON body (Content-Type: "
                                 "application/json), not a form."))


def _on_exception(request: HttpRequest, exc: Exception) -> HttpResponse:
    logger.exception("Unexpected error in /api/v1", exc_info=exc)
    return error_response(500, _("Something went wrong on our side. Try again later; if it "
                                 "keeps happening, tell the operating unit."))


HANDLERS: list[tuple[type[Exception], Callable[[HttpRequest, Any], HttpResponse]]] = [
    (ValidationError, _on_validation),
    (ApplicationError, _on_application_error),
    (ApiError, _on_api_error),
    (HttpError, _on_http_error),
    (Http404, _on_not_found),
    (TokenRefused, _on_token_refused),
    (RequestDataTooBig, _on_too_big),
    (SuspiciousOperation, _on_bad_request),
    (RawPostDataException, _on_form_body),
    (Exception, _on_exception),
]


def install(api: NinjaAPI) -> None:
    for exception, handler in HANDLERS:
        api.add_exception_handler(exception, handler)


def _is_json(response: HttpResponse) -> bool:
    return response.get("Content-Type", "").startswith("application/json")


def _carries_nul(request: HttpRequest) -> bool:
    """NUL characters in text: PostgreSQL refuses them, so refuse them first (400)."""
    texts = [request.path, *(key + "".join(values) for key, values in request.GET.lists())]
    if request.method in ("POST", "PUT", "PATCH", "DELETE"):
        if request.content_type == "application/json":
            return b"\\u0000" in request.body or b"\x00" in request.body
        if request.content_type in ("multipart/form-data", "application/x-www-form-urlencoded"):
            texts += [key + "".join(values) for key, values in request.POST.lists()]
    return any("\x00" in text for text in texts)


def shaped(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Wrap a view so that errors Django or ninja answer outside our handlers (405 for a method
    the path does not take, for one) come back in the same shape."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if _carries_nul(request):
            return error_response(400, _("The request contains a NUL character, which no "
                                         "field accepts."))
        response = view(request, *args, **kwargs)
        if response.status_code < 400 or _is_json(response):
            return response
        if response.has_header("Allow"):
            shaped_response = error_response(
                405, _("This address does not take this method. Allowed: %(methods)s.")
                % {"methods": response["Allow"]})
            shaped_response["Allow"] = response["Allow"]
        else:
            shaped_response = error_response(response.status_code, _("This request is refused."))
        return shaped_response

    return wrapper


def not_found(request: HttpRequest, rest: str = "") -> HttpResponse:
    """Any other address under /api/v1/."""
    return error_response(404, _("There is no such address in the API. See /api/v1/docs."))
