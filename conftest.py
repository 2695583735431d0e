"""Shared fixtures: three kinds of people (as healthchecks does) and a small catalogue."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import LazySettings

from portal.accounts.models import Role, User
from portal.agencies.defaults import load_default_sectors
from portal.agencies.models import Agency, Sector
from portal.catalog.defaults import load_default_licences
from portal.catalog.models import Licence
from portal.config import SETTINGS
from portal.lib import factories
from portal.ops.rates import Rate
from portal.privacy.defaults import load_default_categories
from portal.privacy.models import Category, ColumnRole

RATE_SETTINGS = ("RATE_LIMIT_ANONYMOUS", "RATE_LIMIT_ANONYMOUS_COSTLY", "RATE_LIMIT_TOKEN",
                 "RATE_LIMIT_TOKEN_COSTLY", "RATE_LIMIT_LOGIN")


@pytest.fixture(autouse=True)
def _media_in_tmp(settings: LazySettings, tmp_path: Path) -> None:
    """Every test stores files in its own folder; nothing leaks between tests or into var/."""
    settings.MEDIA_ROOT = tmp_path / "media"
    # The manifest storage needs `collectstatic`; tests serve static files from the source.
    settings.STORAGES = settings.STORAGES | {
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}


@pytest.fixture(autouse=True)
def _cache_per_test(settings: LazySettings, tmp_path: Path) -> None:
    """Every test has its own empty cache, so rate-limit counters never carry between tests
    (the configured cache is a folder under VAR_DIR shared by every run)."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                                   "LOCATION": str(tmp_path)}}
    # Tests that are not about rate limits are not limited (portal/ops/tests set their own).
    for name in RATE_SETTINGS:
        setattr(settings, name, Rate(1_000_000, 60))


@pytest.fixture
def production_rate_limits(settings: LazySettings) -> dict[str, Rate]:
    """The rate limits a portal runs with when nothing is configured (portal/config.py's
    defaults), for tests that a real client gets through them."""
    rates = {setting.name: setting.read({}) for setting in SETTINGS
             if setting.name in RATE_SETTINGS}
    for name, rate in rates.items():
        setattr(settings, name, rate)
    return rates


@pytest.fixture(autouse=True, scope="session")
def _jobs_run_at_once() -> None:
    """Jobs (Huey) run in the test's process when they are queued, from an in-memory queue: no
    worker is needed, and nothing reaches the real queue under VAR_DIR. A job queued on commit
    (a resource's ingestion) runs only in tests whose transactions commit."""
    from huey.contrib.djhuey import HUEY

    HUEY.immediate = True


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: LazySettings) -> None:
    """Real hashing costs ~0.3 s a password by design; tests make hundreds of accounts."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _default_data(request: pytest.FixtureRequest) -> None:
    """Transactional tests empty the database after each test, sectors, licences and the
    personal-data categories included (loaded by migrations); put them back before each such
    test."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None or not marker.kwargs.get("transaction"):
        return
    request.getfixturevalue("transactional_db")
    load_default_sectors(Sector)
    load_default_licences(Licence)
    load_default_categories(Category, ColumnRole)


@pytest.fixture
def sectors(db: None) -> list[Sector]:
    return list(Sector.objects.all())


@pytest.fixture
def agency(sectors: list[Sector]) -> Agency:
    return factories.make_agency(sectors=sectors[:3], name="Sở Nông nghiệp và Môi trường",
                                 slug="so-nong-nghiep-moi-truong")


@pytest.fixture
def other_agency(sectors: list[Sector]) -> Agency:
    return factories.make_agency(sectors=sectors[3:6], name="Sở Y tế", slug="so-y-te")


@pytest.fixture
def editor(agency: Agency) -> User:
    return factories.make_user(role=Role.EDITOR, agency=agency, username="editor")


@pytest.fixture
def member(agency: Agency) -> User:
    return factories.make_user(role=Role.MEMBER, agency=agency, username="member")


@pytest.fixture
def outsider(other_agency: Agency) -> User:
    return factories.make_user(role=Role.EDITOR, agency=other_agency, username="outsider")


@pytest.fixture
def sysadmin(db: None) -> User:
    return factories.make_user(role=Role.SYSADMIN, username="sysadmin")


@pytest.fixture
def supervisor(db: None) -> User:
    return factories.make_user(role=Role.SUPERVISOR, username="supervisor")


@pytest.fixture(autouse=True)
def _forced_logins_pass_two_factor(monkeypatch: pytest.MonkeyPatch) -> None:
    """`client.force_login` stands for a full login, the second factor included (see
    portal/security/testing.py); two-factor tests log in through the pages instead."""
    from django.test import Client

    from portal.security.testing import verify_forced_login

    force_login = Client.force_login

    def force_login_verified(self: Client, user: User, backend: str | None = None) -> None:
        force_login(self, user, backend)
        verify_forced_login(self, user)

    monkeypatch.setattr(Client, "force_login", force_login_verified)
