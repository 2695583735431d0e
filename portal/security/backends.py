"""django-axes' lockout check, for every authentication that comes with a request."""

from __future__ import annotations

from typing import Any

from axes.backends import AxesStandaloneBackend
from django.http import HttpRequest


class LockoutBackend(AxesStandaloneBackend):  # type: ignore[misc]
    """Refuses a locked-out login; lets the next backend check the password otherwise.

    `authenticate()` without a request (a command run on the server, a test checking a
    password) has no address to lock and is not a door for guessing: it is not counted.
    """

    def authenticate(self, request: HttpRequest | None, username: str | None = None,
                     password: str | None = None, **kwargs: Any) -> None:
        if request is None:
            return None
        super().authenticate(request, username, password, **kwargs)
        return None
