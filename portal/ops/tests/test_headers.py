"""Security headers (issue 3, item 9): the Content-Security-Policy, frame and referrer policies,
HSTS over HTTPS only, and no inline script or style in any template."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import LazySettings
from django.test import Client

from portal.agencies.models import Agency
from portal.lib import factories

PORTAL = Path(__file__).resolve().parents[2]
EXPECTED_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "object-src": "'none'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
    "base-uri": "'self'",
}


def policy_of(header: str) -> dict[str, str]:
    directives = (part.strip().partition(" ") for part in header.split(";") if part.strip())
    return {name: value for name, _space, value in directives}


@pytest.mark.parametrize("path", ["/", "/dataset/", "/user/login", "/api/3/action/package_list"])
def test_every_answer_carries_a_strict_content_security_policy(db: None, path: str) -> None:
    response = Client().get(path)
    assert response.status_code == 200
    policy = policy_of(response["Content-Security-Policy"])
    assert policy == EXPECTED_POLICY
    assert "unsafe" not in response["Content-Security-Policy"]


def test_pages_refuse_frames_sniffing_and_leaking_the_address_to_other_sites(db: None) -> None:
    response = Client().get("/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_a_dataset_page_with_its_json_ld_carries_the_policy(agency: Agency) -> None:
    dataset = factories.make_dataset(agency=agency)
    response = Client().get(f"/dataset/{dataset.slug}")
    assert response.status_code == 200
    assert '<script type="application/ld+json">' in response.content.decode()
    assert policy_of(response["Content-Security-Policy"])["script-src"] == "'self'"


def settings_seen_with(environment: dict[str, str], tmp_path: Path) -> str:
    """The security settings of a fresh process started with `environment`, as a copy is."""
    code = ("import django; django.setup(); from django.conf import settings as s; "
            "print(s.SECURE_HSTS_SECONDS, s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, "
            "s.CSRF_COOKIE_SECURE)")
    env = os.environ | {"DJANGO_SETTINGS_MODULE": "portal.settings",
                        "VAR_DIR": str(tmp_path / "var")} | environment
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                          text=True, timeout=60, check=True).stdout.strip()


def test_hsts_and_secure_cookies_only_when_served_over_https(tmp_path: Path) -> None:
    assert settings_seen_with({"HTTPS": "true"}, tmp_path) == "31536000 True True True"
    assert settings_seen_with({"HTTPS": "false"}, tmp_path) == "0 False False False"


def test_https_answers_carry_hsts(db: None, settings: LazySettings) -> None:
    settings.SECURE_HSTS_SECONDS = 31536000
    assert Client().get("/", secure=True)["Strict-Transport-Security"] == "max-age=31536000"
    assert "Strict-Transport-Security" not in Client().get("/")


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/ld\+json)[^>]*>", re.I)
INLINE_STYLE = re.compile(r"<style\b|\sstyle\s*=", re.I)
EVENT_HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.I)


def test_no_template_has_inline_script_style_or_event_handler() -> None:
    """The policy would block them; JSON-LD is data, not script, and is allowed."""
    offenders = []
    for template in sorted(PORTAL.glob("**/templates/**/*.html")):
        text = template.read_text(encoding="utf-8")
        for pattern in (INLINE_SCRIPT, INLINE_STYLE, EVENT_HANDLER):
            offenders += [f"{template.relative_to(PORTAL)}: {match.group(0)[:60]}"
                          for match in pattern.finditer(text)]
    assert offenders == []
