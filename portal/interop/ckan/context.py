"""Who calls and where the portal lives: what every action needs besides its parameters."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.http import HttpRequest

from portal.accounts.tokens import TokenRefused, user_from_request
from portal.audit.context import note_token
from portal.interop.ckan.errors import AuthorizationError
from portal.lib.net import absolute_url, site_url

if TYPE_CHECKING:
    from portal.accounts.models import ApiToken
    from portal.accounts.permissions import Actor


class TokenAuthorizationError(AuthorizationError):
    """A key that authenticates nobody: CKAN answers 403 "Authorization Error" for a bad key."""


def caller(request: HttpRequest) -> tuple[Actor, ApiToken | None]:
    """The account an API call acts for, and the API token it came with.

    A token in `Authorization` or `X-CKAN-API-Key` speaks for its owner; without one, the
    session's user (anonymous for clients without one). A token that authenticates nobody is
    refused, never read as anonymous.
    """
    try:
        found = user_from_request(request)
    except TokenRefused as refusal:
        raise TokenAuthorizationError(str(refusal)) from None
    if found is None:
        return request.user, None
    user, token = found
    note_token()  # the audit trail records writes of this call as the token's
    return user, token


@dataclass(frozen=True)
class Context:
    user: Actor
    site_url: str
    token: ApiToken | None = None  # None: the session's user (or anonymous)
    request: HttpRequest | None = field(default=None, repr=False, compare=False)

    @classmethod
    def of(cls, request: HttpRequest) -> Context:
        user, token = caller(request)
        return cls(user=user, site_url=site_url(request), token=token, request=request)

    @property
    def may_write(self) -> bool:
        """Writes come only with a read-write token, never with the session alone (no CSRF)."""
        return self.token is not None and not self.token.read_only

    def absolute(self, path: str) -> str:
        """An absolute URL for a path of the portal (URLs from S3 storage are absolute already)."""
        return absolute_url(self.request, path)
