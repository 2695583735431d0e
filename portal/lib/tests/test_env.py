from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from portal.config import SETTINGS
from portal.lib.env import Setting, parse_bool, parse_size, read_all
from portal.lib.secret import load_or_create_secret_key

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.parametrize(("raw", "expected"), [("1GiB", 1024**3), ("512M", 512 * 1024**2),
                                               ("1000", 1000), (" 2 kb ", 2048)])
def test_sizes_parse_with_units(raw: str, expected: int) -> None:
    assert parse_size(raw) == expected


@pytest.mark.parametrize("raw", ["1.5G", "lots", "-1", "10 parsecs"])
def test_bad_sizes_are_refused(raw: str) -> None:
    with pytest.raises(ValueError, match="expected a size"):
        parse_size(raw)


def test_booleans_are_strict() -> None:
    assert parse_bool("Yes") is True
    assert parse_bool("0") is False
    with pytest.raises(ValueError, match="expected one of"):
        parse_bool("maybe")


@pytest.mark.parametrize(("name", "raw"), [
    ("DEBUG", "maybe"), ("MAX_UPLOAD_SIZE", "huge"), ("PROVINCE_CODE", "ninh-binh"),
    ("TIME_ZONE", "Mars/Olympus"), ("LOG_LEVEL", "LOUD"), ("SITE_URL", "data.ninhbinh"),
    ("DATABASE_URL", "mysql://x"), ("REDIS_URL", "localhost:6379"),
])
def test_a_bad_value_names_the_variable(name: str, raw: str) -> None:
    with pytest.raises(ImproperlyConfigured, match=f"{name}="):
        read_all(SETTINGS, {name: raw})


def test_defaults_all_parse() -> None:
    values = read_all(SETTINGS, {})
    assert values["DEBUG"] is False
    assert values["MAX_UPLOAD_SIZE"] == 1024**3
    assert values["SECRET_KEY"] is None


def test_secret_may_come_from_a_file(tmp_path: Path) -> None:
    secret = tmp_path / "key"
    secret.write_text("from-a-file\n")
    setting = Setting("SECRET_KEY", str, None, "", secret=True)
    assert setting.read({"SECRET_KEY_FILE": str(secret)}) == "from-a-file"
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY_FILE"):
        setting.read({"SECRET_KEY_FILE": str(tmp_path / "missing")})


def test_secret_key_is_generated_once_and_kept_private(tmp_path: Path) -> None:
    first = load_or_create_secret_key(tmp_path / "var")
    assert len(first) >= 50
    assert load_or_create_secret_key(tmp_path / "var") == first
    assert (tmp_path / "var" / "secret_key").stat().st_mode & 0o077 == 0


def test_start_up_stops_with_a_clear_message_on_a_bad_value(tmp_path: Path) -> None:
    env = os.environ | {"DEBUG": "perhaps", "VAR_DIR": str(tmp_path)}
    result = subprocess.run([sys.executable, "-m", "portal.manage", "check"], env=env,
                            capture_output=True, text=True, cwd=ROOT, check=False)
    assert result.returncode != 0
    assert "Environment variable DEBUG='perhaps' is invalid" in result.stderr


def test_every_setting_is_documented() -> None:
    documented = (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")
    missing = [s.name for s in SETTINGS if f"| `{s.name}` |" not in documented]
    assert not missing, f"document these in docs/configuration.md: {missing}"


def test_no_hard_coded_secret_and_debug_off_by_default() -> None:
    settings_source = (ROOT / "portal" / "settings.py").read_text(encoding="utf-8")
    assert "SECRET_KEY = \"" not in settings_source
    assert read_all(SETTINGS, {})["DEBUG"] is False


@pytest.mark.parametrize("raw", ["noreply@ninhbinh.gov.vn",
                                 "Cổng dữ liệu mở <noreply@ninhbinh.gov.vn>", ""])
def test_a_mail_sender_may_carry_a_name(raw: str) -> None:
    assert read_all(SETTINGS, {"DEFAULT_FROM_EMAIL": raw})["DEFAULT_FROM_EMAIL"] == raw


@pytest.mark.parametrize("raw", ["noreply", "Cổng <>", "a@b@c"])
def test_a_mail_sender_without_an_address_stops_start_up(raw: str) -> None:
    with pytest.raises(ImproperlyConfigured, match="DEFAULT_FROM_EMAIL="):
        read_all(SETTINGS, {"DEFAULT_FROM_EMAIL": raw})


def test_the_mail_password_may_come_from_a_file(tmp_path: Path) -> None:
    secret = tmp_path / "smtp"
    secret.write_text("mat-khau\n")
    values = read_all(SETTINGS, {"EMAIL_HOST_PASSWORD_FILE": str(secret)})
    assert values["EMAIL_HOST_PASSWORD"] == "mat-khau"
