"""A sysadmin sets up two-factor authentication at first login, then logs in with a code."""

from __future__ import annotations

import base64

import pytest
from django_otp.oath import totp
from playwright.sync_api import Page, expect

from portal.accounts.models import User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"  # the factories' default


def code(secret: str, *, steps_ahead: int = 0) -> str:
    """What the phone shows: TOTP of the secret read from the page (30 s steps, 6 digits)."""
    key = base64.b32decode(secret.replace(" ", ""))
    return f"{totp(key, drift=steps_ahead):06d}"


def submit_password(page: Page, base: str, user: User) -> None:
    page.goto(base + "/user/login")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.locator("main form button[type=submit]").click()


def test_sysadmin_enrols_an_authenticator_then_logs_in_with_a_code(
        page: Page, live_server: object, sysadmin: User) -> None:
    base = str(live_server)
    submit_password(page, base, sysadmin)
    expect(page).to_have_url(f"{base}/user/two-factor/enrol?next=%2Fdashboard%2Fdatasets")
    expect(page.locator("main svg")).to_be_visible()
    secret = page.locator("#totp-secret").inner_text()
    page.fill("#id_code", code(secret))
    page.locator("main form button[type=submit]").click()
    expect(page.locator("#recovery-codes li")).to_have_count(10)
    page.locator("main a.btn-primary").click()
    expect(page).to_have_url(f"{base}/dashboard/datasets")

    page.locator("header form[action='/user/logout'] button").click()
    submit_password(page, base, sysadmin)
    expect(page).to_have_url(f"{base}/user/two-factor/verify?next=%2Fdashboard%2Fdatasets")
    # A code is accepted once: the next one is the phone's following 30-second code.
    page.fill("#id_code", code(secret, steps_ahead=1))
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(f"{base}/dashboard/datasets")
    expect(page.locator("h1")).to_be_visible()
