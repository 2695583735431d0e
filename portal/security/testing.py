"""Test support: `Client.force_login` skips the login page, so it skips the second factor too.

Tests that are not about two-factor authentication get a session verified by a confirmed
authenticator when the person must use one; the two-factor tests log in through the pages.
"""

from __future__ import annotations

from typing import Any

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.accounts.permissions import must_use_two_factor


def verify_forced_login(client: Client, user: Any) -> None:
    if not must_use_two_factor(user):
        return
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
