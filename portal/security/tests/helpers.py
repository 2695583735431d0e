"""Logging in through the pages, as people do, and computing codes as their phones would."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.accounts.models import User

PASSWORD = "correct horse battery staple"  # the factories' default


def log_in_with_password(client: Client, user: User, next_url: str = "") -> str:
    response = client.post(reverse("accounts:login"), {"username": user.username,
                                                      "password": PASSWORD, "next": next_url})
    assert response.status_code == 302, response.content.decode()[:500]
    return str(response["Location"])


def code_for(device: TOTPDevice, *, steps_ahead: int = 0) -> str:
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits,
                drift=device.drift + steps_ahead)
    return f"{code:06d}"


def enrolled(user: User) -> TOTPDevice:
    """An authenticator confirmed the way the enrolment page does it."""
    from portal.security import services

    device = services.totp_enrolment_device(user=user)
    services.totp_confirm(user=user, device=device)
    return device
