"""The caller's network address, and the portal's own public address, each read one way for
every part that needs it."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str | None:
    """REMOTE_ADDR, or with a trusted proxy (`TRUSTED_PROXY`) the address it appended to
    X-Forwarded-For. Only the last entry is the proxy's own; earlier ones are whatever the
    client sent. None when the value is not an address."""
    raw = request.META.get("REMOTE_ADDR", "")
    if settings.TRUSTED_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            raw = forwarded.split(",")[-1]
    try:
        return str(ipaddress.ip_address(raw.strip()))
    except ValueError:
        return None


def site_url(request: HttpRequest | None = None) -> str:
    """The portal's public base URL without a trailing slash: `SITE_URL`, else the address the
    request came to (its host is one of ALLOWED_HOSTS), else "" (a command without SITE_URL)."""
    if settings.SITE_URL:
        return str(settings.SITE_URL).rstrip("/")
    if request is None:
        return ""
    return request.build_absolute_uri("/").rstrip("/")


def absolute_url(request: HttpRequest | None, path: str) -> str:
    """A path of the portal as an absolute URL under `site_url(request)`: the one way pages,
    both APIs and e-mails write links. A URL that has a scheme already (a link's own address, a
    file on S3 storage) is kept, as is an empty one."""
    if not path or urlsplit(path).scheme:
        return path
    return site_url(request) + path
