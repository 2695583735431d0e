"""API tokens: their format, and who a request's token speaks for.

A token reads `odp_<prefix>_<secret>`. Clients send it as `Authorization: <token>`,
`Authorization: Bearer <token>` or `X-CKAN-API-Key: <token>` (what CKAN clients send).
A request without a token is anonymous (or its session's); a request with a token that does not
authenticate (malformed, unknown, expired, revoked, or its owner deactivated) is refused, never
quietly treated as anonymous: the client would otherwise see less and not know why.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from datetime import timedelta

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.accounts.models import ApiToken, User

PREFIX_BYTES = 6  # 12 hex characters: a lookup key, not a secret
SECRET_BYTES = 32
TOKEN_PATTERN = re.compile(r"^odp_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$")
LAST_USED_PRECISION = timedelta(minutes=1)
_CACHE_ATTRIBUTE = "_portal_api_token"


class TokenRefused(Exception):
    """A token was sent but authenticates nobody. The message says what to do."""


def new_token() -> tuple[str, str, str]:
    """A fresh token: (prefix, secret hash, plaintext to show once)."""
    prefix = secrets.token_hex(PREFIX_BYTES)
    secret = secrets.token_urlsafe(SECRET_BYTES)
    return prefix, hash_secret(secret), f"odp_{prefix}_{secret}"


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def is_live(token: ApiToken) -> bool:
    """Neither revoked nor expired, and its owner may still sign in."""
    if token.revoked is not None or not token.owner.is_active:
        return False
    return token.expires is None or token.expires > timezone.now()


def tokens_of(user: User) -> QuerySet[ApiToken]:
    """All of a user's tokens, revoked and expired ones included, oldest first."""
    return ApiToken.objects.filter(owner=user).order_by("created", "id")


def token_from_header(request: HttpRequest) -> str | None:
    """The token a request carries, or None. `Authorization` wins over `X-CKAN-API-Key`; an
    empty header is no header. Both APIs and the rate limits read tokens here, and only here."""
    header = request.headers.get("Authorization", "").strip()
    if not header:
        return request.headers.get("X-CKAN-API-Key", "").strip() or None
    scheme, _space, rest = header.partition(" ")
    if not rest:
        return scheme
    if scheme.lower() != "bearer":
        raise TokenRefused(_("The Authorization header must hold an API token, alone or after "
                             "'Bearer '."))
    return rest.strip()


def authenticate(plaintext: str) -> ApiToken:
    """The live token matching `plaintext`; raises TokenRefused otherwise."""
    match = TOKEN_PATTERN.match(plaintext.strip())
    if match is None:
        raise TokenRefused(_("This is not an API token of this portal. Copy the whole token, "
                             "which starts with 'odp_'."))
    prefix, secret = match.groups()
    token = ApiToken.objects.select_related("owner").filter(prefix=prefix).first()
    if token is None or not hmac.compare_digest(token.secret_hash, hash_secret(secret)):
        raise TokenRefused(_("This API token is not known. Ask for a new one."))
    if not is_live(token):
        raise TokenRefused(_("This API token is revoked or expired, or its account is "
                             "deactivated. Ask for a new one."))
    _touch(token)
    return token


def _touch(token: ApiToken) -> None:
    """Record use, at most once a minute: a busy client must not write on every call."""
    now = timezone.now()
    if token.last_used is not None and now - token.last_used < LAST_USED_PRECISION:
        return
    ApiToken.objects.filter(pk=token.pk).update(last_used=now)
    token.last_used = now


def user_from_request(request: HttpRequest) -> tuple[User, ApiToken] | None:
    """The user and token a request authenticates with, None without a token.

    Raises TokenRefused for a token that authenticates nobody. Read once per request.
    """
    if hasattr(request, _CACHE_ATTRIBUTE):
        cached: tuple[User, ApiToken] | TokenRefused | None = getattr(request, _CACHE_ATTRIBUTE)
        if isinstance(cached, TokenRefused):
            raise cached
        return cached
    try:
        plaintext = token_from_header(request)
        found = None if plaintext is None else authenticate(plaintext)
    except TokenRefused as refusal:
        setattr(request, _CACHE_ATTRIBUTE, refusal)
        raise
    result = None if found is None else (found.owner, found)
    setattr(request, _CACHE_ATTRIBUTE, result)
    return result
