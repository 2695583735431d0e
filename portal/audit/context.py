"""Where a write comes from: the door, the address and the kind of actor, for the audit trail.

A middleware notes them for each request, so services record them without being handed the
request. Commands get the door "command"; a job wraps its work in `acting_as(door=Door.JOB)`;
a door that authenticates by API token calls `note_token()` once it has accepted the token.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, replace

from django.http import HttpRequest, HttpResponse

from portal.audit.models import ActorKind, Door
from portal.lib.net import client_address

# The first path segment decides the door; everything else is a page.
DOORS_BY_PREFIX = (("/api/v1/", Door.API), ("/api/3/", Door.CKAN), ("/admin/", Door.ADMIN))


@dataclass(frozen=True)
class Origin:
    door: str = Door.COMMAND
    address: str | None = None
    kind: str = ActorKind.PERSON


_current: ContextVar[Origin | None] = ContextVar("audit_origin", default=None)


def current() -> Origin:
    return _current.get() or Origin()


def door_of(path: str) -> str:
    for prefix, door in DOORS_BY_PREFIX:
        if path.startswith(prefix):
            return door
    return Door.PAGE


def origin_of(request: HttpRequest) -> Origin:
    return Origin(door=door_of(request.path), address=client_address(request))


@contextmanager
def acting_as(*, door: str, address: str | None = None,
              kind: str | None = None) -> Iterator[Origin]:
    """Record the writes made inside as coming from `door` (a job, a command, a test)."""
    default_kind = ActorKind.JOB if door == Door.JOB else ActorKind.PERSON
    origin = Origin(door=door, address=address, kind=kind or default_kind)
    token = _current.set(origin)
    try:
        yield origin
    finally:
        _current.reset(token)


def note_token() -> None:
    """The current request acts through an API token, not a signed-in person."""
    _current.set(replace(current(), kind=ActorKind.TOKEN))


class AuditOriginMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _current.set(origin_of(request))
        try:
            return self.get_response(request)
        finally:
            _current.reset(token)
