"""The one application error type. Services raise it; each door renders it in its own shape."""

from __future__ import annotations

from django.utils.functional import Promise


class ApplicationError(Exception):
    """A refusal the user can act on. `field_errors` maps field names to messages."""

    def __init__(self, message: str | Promise,
                 field_errors: dict[str, list[str]] | None = None) -> None:
        super().__init__(str(message))
        self.message = str(message)
        self.field_errors = field_errors or {}


class NotFound(ApplicationError):
    pass


class PermissionDenied(ApplicationError):
    pass


class Conflict(ApplicationError):
    """Someone else changed the record since it was read."""
