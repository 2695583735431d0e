"""Who calls and where the portal lives: what every action needs besides its parameters."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.http import HttpRequest

if TYPE_CHECKING:
    from portal.accounts.permissions import Actor


def caller(request: HttpRequest) -> Actor:
    """The account an API call acts for.

    Today the session's user (anonymous for clients without one). API tokens plug in here, and
    only here: read the `Authorization` header, return the token's user.
    """
    return request.user


def site_url(request: HttpRequest) -> str:
    """The portal's public base URL, without a trailing slash."""
    return settings.SITE_URL or request.build_absolute_uri("/").rstrip("/")


@dataclass(frozen=True)
class Context:
    user: Actor
    site_url: str

    @classmethod
    def of(cls, request: HttpRequest) -> Context:
        return cls(user=caller(request), site_url=site_url(request))

    def absolute(self, path: str) -> str:
        """An absolute URL for a path of the portal (URLs from S3 storage are absolute already)."""
        if not path or path.startswith(("http://", "https://")):
            return path
        return self.site_url + path
