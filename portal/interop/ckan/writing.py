"""What every write action shares: who may write at all, and services' refusals in CKAN's shape.

Writes come only with a read-write API token (`Context.may_write`): CKAN clients send no CSRF
token, so a browser's session alone must never be enough to write through this door.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.utils.translation import gettext as _

from portal.interop.ckan.context import Context
from portal.interop.ckan.dataset_input import ckan_errors
from portal.interop.ckan.errors import AuthorizationError, CkanValidationError, NotFoundError
from portal.lib.errors import ApplicationError, NotFound, PermissionDenied


def require_writer(context: Context) -> None:
    if context.may_write:
        return
    if context.token is not None:
        raise AuthorizationError(_("This API token is read-only: use a read-write token to "
                                   "change data."))
    raise AuthorizationError(_("Writing needs an API token: send it in the Authorization "
                               "header."))


@contextmanager
def service_refusals() -> Iterator[None]:
    """Turn a service's ApplicationError into CKAN's error of the same meaning."""
    try:
        yield
    except PermissionDenied as error:
        raise AuthorizationError(error.message) from None
    except NotFound as error:
        raise NotFoundError(error.message) from None
    except ApplicationError as error:  # invalid fields, a conflict, a refused state change
        raise CkanValidationError(ckan_errors(error.field_errors)
                                  or {"message": [error.message]}) from None
