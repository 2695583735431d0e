"""Rate limits on both APIs, the pages and the login form: budgets of cost, not counts of calls.

Each request has a price (`prices.py`): units in its caller's budget, and for costly work
(data queries that filter or sort, SQL, exports) units in a second, strict budget. Who pays:

- without a token (the APIs, and pages for anonymous visitors): the address,
  `RATE_LIMIT_ANONYMOUS` and `RATE_LIMIT_ANONYMOUS_COSTLY`;
- with a token (the APIs): the token (a SHA-256 of it: no database lookup here),
  `RATE_LIMIT_TOKEN` and `RATE_LIMIT_TOKEN_COSTLY`; and the address at the same rates, so
  inventing tokens does not buy a fresh budget for each request;
- a POST to a login form: the address, `RATE_LIMIT_LOGIN` (one unit a try);
- signed-in staff using pages: nobody (django-axes guards their logins).

Budgets live in Django's cache (`CACHES` in settings: Redis when `REDIS_URL` is set, so every
app copy shares them; a file cache under `VAR_DIR` otherwise, shared by the workers of one
machine). Each is a fixed window of the rate's length, offset by a hash of its key so that
callers' windows do not all reset at the same second.
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
from portal.ops.prices import API_PREFIXES, Price, price_of
from portal.ops.rates import Rate
from portal.ops.refusal import too_many_requests

CACHE_ALIAS = "default"
# URL names of the forms that take a password or a second factor: RATE_LIMIT_LOGIN.
LOGIN_URL_NAMES = ("accounts:login", "admin:login", "security:verify")
# A counter outlives its window by a little, so that a late increment still finds it.
EXPIRY_MARGIN = 5


@dataclass(frozen=True)
class Bucket:
    """One budget: what is counted (`scope`), for whom (`key`), at which rate, and what this
    request takes from it (`cost`)."""

    scope: str
    key: str
    rate: Rate
    cost: int = 1


@dataclass(frozen=True)
class Usage:
    spent: int  # units spent in this window before this request
    limit: int
    retry_after: int  # seconds until this budget's window resets

    @property
    def exceeded(self) -> bool:
        """The budget was spent before this request. A request dearer than what is left still
        passes (once): a budget smaller than one export must not forbid exports altogether."""
        return self.spent >= self.limit


def hit(bucket: Bucket, now: float | None = None) -> Usage:
    """Take this request's cost from `bucket` and say where it stands."""
    seconds = bucket.rate.seconds
    offset = zlib.crc32(f"{bucket.scope}:{bucket.key}".encode()) % seconds
    window, elapsed = divmod(int(time() if now is None else now) - offset, seconds)
    cache_key = f"ratelimit:{bucket.scope}:{bucket.rate}:{window}:{bucket.key}"
    total = _increment(caches[CACHE_ALIAS], cache_key, bucket.cost, seconds + EXPIRY_MARGIN)
    return Usage(spent=total - bucket.cost, limit=bucket.rate.count,
                 retry_after=seconds - elapsed)


def _increment(store: BaseCache, key: str, cost: int, timeout: int) -> int:
    if store.add(key, cost, timeout=timeout):
        return cost
    try:
        return int(store.incr(key, cost))
    except ValueError:  # expired between add and incr: this request opens a new window
        store.set(key, cost, timeout=timeout)
        return cost


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


def charged(scope: str, key: str, price: Price, budget: Rate, costly: Rate) -> list[Bucket]:
    """The budgets `price` is taken from: the caller's, and the strict one for costly work."""
    buckets = [Bucket(scope, key, budget, price.units)]
    if price.costly:
        buckets.append(Bucket(f"{scope}-costly", key, costly, price.costly))
    return buckets


def buckets_for(request: HttpRequest) -> list[Bucket]:
    """The budgets a request takes its price from; none for signed-in staff using pages."""
    address = limited_address(request)
    if request.path.startswith(API_PREFIXES):
        price = price_of(request)
        token = presented_token(request)
        if token is None:
            return charged("address", address, price, settings.RATE_LIMIT_ANONYMOUS,
                           settings.RATE_LIMIT_ANONYMOUS_COSTLY)
        digest = hashlib.sha256(token.encode()).hexdigest()
        budgets = (settings.RATE_LIMIT_TOKEN, settings.RATE_LIMIT_TOKEN_COSTLY)
        return [*charged("token", digest, price, *budgets),
                *charged("token-address", address, price, *budgets)]
    if request.method == "POST" and request.path in login_paths():
        return [Bucket("login", address, settings.RATE_LIMIT_LOGIN)]
    if request.user.is_authenticated:
        return []
    return charged("address", address, price_of(request), settings.RATE_LIMIT_ANONYMOUS,
                   settings.RATE_LIMIT_ANONYMOUS_COSTLY)


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
