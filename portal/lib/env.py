"""Strict parsing of settings from environment variables.

Every setting the portal reads is declared once in `portal.config` with a type, a default and a
line of documentation. A value that does not parse stops start-up with a message naming the
variable, instead of running with a surprise.
"""

from __future__ import annotations

import os
import re
import zoneinfo
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from email.utils import parseaddr
from typing import Any

from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}
SIZE_UNITS = {"": 1, "B": 1, "K": 1024, "KB": 1024, "KIB": 1024, "M": 1024**2, "MB": 1024**2,
              "MIB": 1024**2, "G": 1024**3, "GB": 1024**3, "GIB": 1024**3}
SIZE_PATTERN = re.compile(r"^\s*(\d+)\s*([A-Za-z]*)\s*$")


def parse_bool(raw: str) -> bool:
    word = raw.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ValueError("expected one of 1/0, true/false, yes/no, on/off")


def parse_int(raw: str) -> int:
    try:
        return int(raw.strip())
    except ValueError:
        raise ValueError("expected a whole number") from None


def parse_positive_int(raw: str) -> int:
    value = parse_int(raw)
    if value < 1:
        raise ValueError("expected a whole number of 1 or more")
    return value


def parse_int_in(low: int, high: int) -> Callable[[str], int]:
    """A parser of whole numbers from `low` to `high`."""
    def parse(raw: str) -> int:
        value = parse_int(raw)
        if not low <= value <= high:
            raise ValueError(f"expected a whole number from {low} to {high}")
        return value
    return parse


def parse_day_counts(raw: str) -> list[int]:
    """Comma-separated numbers of days, 0 or more (`7,1`), largest first; may be empty."""
    try:
        days = {int(item) for item in raw.split(",") if item.strip()}
    except ValueError:
        raise ValueError("expected whole numbers of days separated by commas, e.g. 7,1") from None
    if any(day < 0 for day in days):
        raise ValueError("expected whole numbers of days of 0 or more")
    return sorted(days, reverse=True)


def parse_size(raw: str) -> int:
    """Parse a byte size such as `1073741824`, `512M` or `1 GiB`."""
    match = SIZE_PATTERN.match(raw)
    unit = match.group(2).upper() if match else None
    if not match or unit not in SIZE_UNITS:
        raise ValueError("expected a size such as 1073741824, 512M or 1GiB")
    return int(match.group(1)) * SIZE_UNITS[unit]


def parse_list(raw: str) -> list[str]:
    return [item.strip() for item in raw.split(",") if item.strip()]


def parse_str(raw: str) -> str:
    return raw


def parse_log_level(raw: str) -> str:
    level = raw.strip().upper()
    if level not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
        raise ValueError("expected DEBUG, INFO, WARNING, ERROR or CRITICAL")
    return level


def parse_time_zone(raw: str) -> str:
    try:
        zoneinfo.ZoneInfo(raw.strip())
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValueError("expected a time zone name such as Asia/Ho_Chi_Minh") from None
    return raw.strip()


def parse_url(raw: str) -> str:
    """An http(s) base URL, or empty."""
    value = raw.strip().rstrip("/")
    if value and not re.match(r"^https?://[^\s/]+(/[^\s]*)?$", value):
        raise ValueError("expected an address such as https://data.ninhbinh.gov.vn")
    return value


def parse_email_sender(raw: str) -> str:
    """A sender such as `noreply@ninhbinh.gov.vn` or `Cổng dữ liệu mở <noreply@...>`, or empty."""
    value = raw.strip()
    _name, address = parseaddr(value)
    if value and not re.match(r"^[^@\s<>]+@[^@\s<>]+$", address):
        raise ValueError("expected an e-mail address such as noreply@ninhbinh.gov.vn, "
                         "optionally as Name <address>")
    return value


def parse_redis_url(raw: str) -> str:
    value = raw.strip()
    if value and not re.match(r"^(redis|rediss|unix)://", value):
        raise ValueError("expected redis://host:6379/0")
    return value


def parse_database_url(raw: str) -> str:
    value = raw.strip()
    if value and not re.match(r"^(sqlite|postgres|postgresql|pgsql)://", value):
        raise ValueError("expected sqlite:///path or postgres://user@host:5432/name")
    return value


@dataclass(frozen=True)
class Setting:
    """One environment variable the portal reads."""

    name: str
    parse: Callable[[str], Any]
    default: str | None
    doc: str
    secret: bool = False

    def read(self, environ: Mapping[str, str]) -> Any:
        raw = self.raw_value(environ)
        if raw is None:
            return None
        try:
            return self.parse(raw)
        except ValueError as error:
            raise ImproperlyConfigured(
                f"Environment variable {self.name}={raw!r} is invalid: {error}."
            ) from None

    def raw_value(self, environ: Mapping[str, str]) -> str | None:
        if self.secret and f"{self.name}_FILE" in environ:
            path = environ[f"{self.name}_FILE"]
            try:
                with open(path, encoding="utf-8") as handle:
                    return handle.read().strip()
            except OSError as error:
                raise ImproperlyConfigured(
                    f"{self.name}_FILE={path!r} cannot be read: {error.strerror}."
                ) from None
        return environ.get(self.name, self.default)


def read_all(settings: list[Setting], environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    source = os.environ if environ is None else environ
    return {setting.name: setting.read(source) for setting in settings}
