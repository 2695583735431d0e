"""The CKAN API's refusals, each with CKAN's HTTP status and `__type` (ckan/views/api.py)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _


class CkanError(Exception):
    """A refusal rendered as `{"success": false, "error": {...}}` with `status`."""

    status = 500
    kind = "Internal Server Error"
    retry_after: int | None = None  # seconds, sent as Retry-After when set

    def __init__(self, message: str = "") -> None:
        super().__init__(message)
        self.message = message

    def payload(self) -> dict[str, Any]:
        return {"__type": self.kind, "message": self.message}


class BadRequestError(CkanError):
    """An unknown action or a body that cannot be read."""

    status = 400
    kind = "Bad request"

    def __init__(self, detail: str) -> None:
        super().__init__(_("Bad request - %(detail)s") % {"detail": detail})


class MethodNotAllowedError(BadRequestError):
    status = 405


class NotFoundError(CkanError):
    status = 404
    kind = "Not Found Error"

    def __init__(self, detail: str = "") -> None:
        message = _("Not found")
        super().__init__(f"{message}: {detail}" if detail else message)


class CkanValidationError(CkanError):
    """Invalid parameters: CKAN puts the messages per field beside `__type`."""

    status = 409
    kind = "Validation Error"

    def __init__(self, field_errors: dict[str, list[str]]) -> None:
        super().__init__("; ".join(f"{name}: {' '.join(messages)}"
                                   for name, messages in field_errors.items()))
        self.field_errors = field_errors

    def payload(self) -> dict[str, Any]:
        return {"__type": self.kind, **self.field_errors}


class SearchQueryError(CkanError):
    """A `q` or `fq` the search cannot read, or a parameter it does not know."""

    status = 400
    kind = "Search Query Error"

    def __init__(self, detail: str) -> None:
        super().__init__(_("Search Query is invalid: %(detail)s") % {"detail": detail})


class AuthorizationError(CkanError):
    """The caller may not do this: CKAN's 403 (ckanapi raises NotAuthorized)."""

    status = 403
    kind = "Authorization Error"


class UploadTooLargeError(CkanValidationError):
    """An upload past MAX_UPLOAD_SIZE: a Validation Error on `upload`, with HTTP 413."""

    status = 413


class ServiceBusyError(CkanError):
    """The portal is too busy to start the work now (every query process taken): HTTP 503
    with Retry-After. CKAN has no such type; clients see the status and the message."""

    status = 503
    kind = "Service Unavailable"

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after
