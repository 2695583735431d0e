"""Who calls /api/v1, and whether the call may write.

The same rule as the CKAN API (portal/interop/ckan/context.py): a token in `Authorization`
(alone or after `Bearer `) or `X-CKAN-API-Key` speaks for its owner, and a token that
authenticates nobody is refused (401), never read as anonymous. Without a token, the session's
user: the portal's own pages call the API that way, with Django's CSRF token on writes.
A read-only token never writes (403).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.utils import check_csrf

from portal.accounts.tokens import user_from_request
from portal.api.errors import ApiError
from portal.audit.context import note_token

if TYPE_CHECKING:
    from portal.accounts.models import ApiToken, User
    from portal.accounts.permissions import Actor

SAFE_METHODS = ("GET", "HEAD", "OPTIONS", "TRACE")


def caller(request: HttpRequest) -> Actor:
    """The account the call acts for (maybe anonymous). Raises TokenRefused for a bad token."""
    found = user_from_request(request)
    if found is not None:
        note_token()  # the audit trail records this call's writes as the token's, as /api/3 does
    actor: Actor = request.user if found is None else found[0]
    request.api_user = actor  # type: ignore[attr-defined]  # read by the error handlers
    request.api_token = None if found is None else found[1]  # type: ignore[attr-defined]
    return actor


def writer(request: HttpRequest) -> Actor:
    """The caller of a write: refused with a read-only token, or without CSRF in a session."""
    actor = caller(request)
    if not actor.is_authenticated:  # every write needs an account: say so before anything else
        raise ApiError(401, _("Sign in, or send an API token in the Authorization header."))
    return _checked_writer(request, actor)


def public_writer(request: HttpRequest) -> Actor:
    """The caller of one of the writes the public makes without an account (feedback, a data
    request, its +1: the deliberate exception of docs/api.md); an account that calls is held
    to the rules of `writer`."""
    actor = caller(request)
    return _checked_writer(request, actor) if actor.is_authenticated else actor


def _checked_writer(request: HttpRequest, actor: Actor) -> Actor:
    token: ApiToken | None = getattr(request, "api_token", None)
    if token is not None and token.read_only:
        raise ApiError(403, _("This API token is read-only: it cannot change anything. Create "
                              "a read-write token to do this."), "read_only_token")
    if token is None and actor.is_authenticated and request.method not in SAFE_METHODS \
            and check_csrf(request) is not None:
        raise ApiError(403, _("The CSRF token is missing or wrong. Reload the page, or call "
                              "the API with an API token."), "csrf_failed")
    return actor


def signed_in(actor: Actor) -> User:
    """The caller's own account, for endpoints about oneself (tokens)."""
    if not actor.is_authenticated:
        raise ApiError(401, _("Sign in, or send an API token in the Authorization header."))
    return actor
