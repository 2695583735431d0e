"""Record each login's session (see models.UserSession)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver
from django.http import HttpRequest

from portal.security import services


@receiver(user_logged_in, dispatch_uid="security_record_session")
def _record_session(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    key = request.session.session_key
    if key:
        services.session_record(user=user, session_key=key)


@receiver(user_logged_out, dispatch_uid="security_forget_session")
def _forget_session(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    key = request.session.session_key
    if key:
        services.session_forget(session_key=key)
