"""Who calls /api/v1, and whether the call may write: declared on the API, not asked by each
endpoint.

The same rule as the CKAN API (portal/interop/ckan/context.py): a token in `Authorization`
(alone or after `Bearer `) or `X-CKAN-API-Key` speaks for its owner, and a token that
authenticates nobody is refused (401), never read as anonymous. Without a token, the session's
user: the portal's own pages call the API that way, with Django's CSRF token on writes.
A read-only token never writes (403).

`ApiCredentials` is django-ninja's authentication: it runs before the endpoint reads its input,
and leaves the caller in `request.auth` (typed by `ApiRequest`). The API object declares
`credentials` for every endpoint: a safe method (GET) reads, any other writes. An endpoint that
reads by POST, or that needs an account to read, says so with `reads_only` or `own_account`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.security.base import AuthBase
from ninja.utils import check_csrf

from portal.accounts.models import User
from portal.accounts.tokens import user_from_request
from portal.api.errors import ApiError
from portal.audit.context import note_token

if TYPE_CHECKING:
    from portal.accounts.models import ApiToken
    from portal.accounts.permissions import Actor

SAFE_METHODS = ("GET", "HEAD", "OPTIONS", "TRACE")


def _sign_in() -> ApiError:
    return ApiError(401, _("Sign in, or send an API token in the Authorization header."))


@dataclass(frozen=True)
class Caller:
    """The account a call acts for (maybe anonymous) and the API token it came with (None: the
    browser session's account, or nobody)."""

    actor: Actor
    token: ApiToken | None = None

    @property
    def user(self) -> User:
        """The caller's account, on an endpoint whose authentication requires one."""
        if not isinstance(self.actor, User):
            raise _sign_in()
        return self.actor


class ApiRequest(HttpRequest):
    """A request to /api/v1 once authenticated: endpoints take it instead of HttpRequest."""

    auth: Caller


def identify(request: HttpRequest) -> Caller:
    """Who calls. Raises TokenRefused (401) for a token that authenticates nobody."""
    found = user_from_request(request)
    if found is None:
        return Caller(actor=request.user)
    note_token()  # the audit trail records this call's writes as the token's, as /api/3 does
    return Caller(actor=found[0], token=found[1])


def check_writer(request: HttpRequest, caller: Caller) -> None:
    """Every write needs an account; a token that is not read-only, or in a session the CSRF
    token."""
    if not caller.actor.is_authenticated:  # say so before anything else
        raise _sign_in()
    if caller.token is not None and caller.token.read_only:
        raise ApiError(403, _("This API token is read-only: it cannot change anything. Create "
                              "a read-write token to do this."), "read_only_token")
    if caller.token is None and check_csrf(request) is not None:
        raise ApiError(403, _("The CSRF token is missing or wrong. Reload the page, or call "
                              "the API with an API token."), "csrf_failed")


class ApiCredentials(AuthBase):
    """django-ninja's authentication of /api/v1. `writes`: None decides by the method; True or
    False say. `account`: reading needs an account too (one's own tokens)."""

    openapi_type = "http"
    openapi_scheme = "bearer"
    openapi_description = (
        "An API token (`odp_...`) in `Authorization`, alone or after `Bearer ` (or in "
        "`X-CKAN-API-Key`). Without a token, the browser session's account, whose writes need "
        "Django's CSRF token in `X-CSRFToken`; without either, anonymous. Reads (GET, and POST "
        "/sql) work without credentials; writes need an account and a read-write token, but "
        "for feedback, a data request and its +1, which the public sends without one.")

    def __init__(self, *, writes: bool | None = None, account: bool = False,
                 public: bool = False) -> None:
        self.writes, self.account, self.public = writes, account, public
        super().__init__()

    def __call__(self, request: HttpRequest) -> Caller:
        caller = identify(request)
        writes = self.writes if self.writes is not None else request.method not in SAFE_METHODS
        if writes and not (self.public and not caller.actor.is_authenticated):
            check_writer(request, caller)
        elif self.account and not caller.actor.is_authenticated:
            raise _sign_in()
        return caller


credentials = ApiCredentials()  # the API's default: GET reads, any other method writes
reads_only = ApiCredentials(writes=False)  # an endpoint that reads by POST
own_account = ApiCredentials(account=True)  # an endpoint about the caller's own account
# The writes the public makes without an account (feedback, a data request, its +1: the
# deliberate exception of docs/api.md); an account that calls is held to every write's rules.
public_writes = ApiCredentials(public=True)
