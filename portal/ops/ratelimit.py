"""Rate limits on both APIs, the login form and public forms (issue 3, item 8).

Counters live in Django's cache (`CACHES` in settings: Redis when `REDIS_URL` is set, so every
app copy shares them; a file cache under `VAR_DIR` otherwise, shared by the workers of one
machine). Each counter is a fixed window of the rate's length, offset by a hash of its key so
that callers' windows do not all reset at the same second.

- `/api/...` (and `/datastore/dump/...`) without a token: per address, `RATE_LIMIT_ANONYMOUS`.
- `/api/...` with a token: per token (a SHA-256 of it: no database lookup here),
  `RATE_LIMIT_TOKEN`; and per address at the same rate, so inventing tokens does not buy a
  fresh counter for each request.
- POST to a login form: per address, `RATE_LIMIT_LOGIN`.
- POST to any other page by an anonymous visitor (public forms): per address,
  `RATE_LIMIT_ANONYMOUS`.
"""

from __future__ import annotations

import hashlib
import ipaddress
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from time import time

from django.conf import settings
from django.core.cache import BaseCache, caches
from django.http import HttpRequest, HttpResponse
from django.urls import NoReverseMatch, reverse

from portal.accounts.tokens import TokenRefused, token_from_header
from portal.lib.net import client_address
from portal.ops.rates import Rate
from portal.ops.refusal import too_many_requests

CACHE_ALIAS = "default"
# The APIs, and CKAN's DataStore dump, which costs as much as an API export.
API_PREFIXES = ("/api/", "/datastore/dump/")
# URL names of the forms that take a password or a second factor: RATE_LIMIT_LOGIN.
LOGIN_URL_NAMES = ("accounts:login", "admin:login", "security:verify")
# A counter outlives its window by a little, so that a late increment still finds it.
EXPIRY_MARGIN = 5


@dataclass(frozen=True)
class Bucket:
    """One counter: what is counted (`scope`), for whom (`key`), at which rate."""

    scope: str
    key: str
    rate: Rate


@dataclass(frozen=True)
class Usage:
    count: int
    limit: int
    retry_after: int  # seconds until this counter's window resets

    @property
    def exceeded(self) -> bool:
        return self.count > self.limit


def hit(bucket: Bucket, now: float | None = None) -> Usage:
    """Count one request in `bucket` and say where it stands."""
    seconds = bucket.rate.seconds
    offset = zlib.crc32(f"{bucket.scope}:{bucket.key}".encode()) % seconds
    window, elapsed = divmod(int(time() if now is None else now) - offset, seconds)
    cache_key = f"ratelimit:{bucket.scope}:{bucket.rate}:{window}:{bucket.key}"
    count = _increment(caches[CACHE_ALIAS], cache_key, seconds + EXPIRY_MARGIN)
    return Usage(count=count, limit=bucket.rate.count, retry_after=seconds - elapsed)


def _increment(store: BaseCache, key: str, timeout: int) -> int:
    if store.add(key, 1, timeout=timeout):
        return 1
    try:
        return int(store.incr(key))
    except ValueError:  # expired between add and incr: this request opens a new window
        store.set(key, 1, timeout=timeout)
        return 1


def limited_address(request: HttpRequest) -> str:
    """The address a limit counts (see lib.net.client_address); an IPv6 address stands for
    its /64, which one client holds."""
    found = client_address(request)
    if found is None:
        return "unknown"
    address = ipaddress.ip_address(found)
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False).network_address)
    return str(address)


def presented_token(request: HttpRequest) -> str | None:
    """The API token a request carries, read as the APIs read it (accounts.tokens); a header
    that holds no token counts as no token, so its sender is limited as anonymous."""
    try:
        return token_from_header(request) or None
    except TokenRefused:
        return None


@cache
def login_paths() -> frozenset[str]:
    paths = set()
    for name in LOGIN_URL_NAMES:
        try:
            paths.add(reverse(name))
        except NoReverseMatch:
            continue
    return frozenset(paths)


def buckets_for(request: HttpRequest) -> list[Bucket]:
    """The counters a request counts in; none for signed-in staff using pages."""
    address = limited_address(request)
    if request.path.startswith(API_PREFIXES):
        token = presented_token(request)
        if token is None:
            return [Bucket("api-address", address, settings.RATE_LIMIT_ANONYMOUS)]
        digest = hashlib.sha256(token.encode()).hexdigest()
        return [Bucket("api-token", digest, settings.RATE_LIMIT_TOKEN),
                Bucket("api-token-address", address, settings.RATE_LIMIT_TOKEN)]
    if request.method != "POST":
        return []
    if request.path in login_paths():
        return [Bucket("login", address, settings.RATE_LIMIT_LOGIN)]
    if not request.user.is_authenticated:
        return [Bucket("form", address, settings.RATE_LIMIT_ANONYMOUS)]
    return []


class RateLimitMiddleware:
    """Refuses a request over any of its limits with HTTP 429 and `Retry-After`.

    Placed after the authentication middleware (public forms are limited only for anonymous
    visitors) and before the views, so that refused requests cost no database work.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        usages = [hit(bucket) for bucket in buckets_for(request)]
        exceeded = [usage for usage in usages if usage.exceeded]
        if exceeded:
            return too_many_requests(request, max(usage.retry_after for usage in exceeded))
        return self.get_response(request)
