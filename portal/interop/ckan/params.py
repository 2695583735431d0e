"""Reading an action's parameters the way CKAN's validators do, collecting errors per field.

Values come as strings from a query string or a form (a list when a key repeats), or with their
JSON types from a JSON body; each reader accepts both.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _

from portal.interop.ckan.errors import CkanValidationError

TRUE_WORDS = {"true", "yes", "on", "y", "t", "1"}
FALSE_WORDS = {"false", "no", "off", "n", "f", "0", ""}
NAME_PATTERN = re.compile(r"^[\w.:-]+$")
# Offsets and counts beyond this are mistakes, and would overflow the databases' integers.
LARGEST_INTEGER = 2**31 - 1


class Params:
    """The parameters of one call. Read each one, then `check()` raises all the errors at once."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        self.data = data
        self.errors: dict[str, list[str]] = {}

    def fail(self, key: str, message: str) -> None:
        self.errors.setdefault(key, []).append(message)

    def check(self) -> None:
        if self.errors:
            raise CkanValidationError(self.errors)

    def _value(self, key: str) -> Any:
        value = self.data.get(key)
        return None if value is None or (isinstance(value, str) and not value.strip()) else value

    def text(self, key: str, default: str = "") -> str:
        value = self.data.get(key)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.fail(key, _("Must be a string"))
            return default
        if isinstance(value, str) and "\x00" in value:
            self.fail(key, _("Must not contain NUL characters"))
            return default
        return str(value)

    def required(self, key: str, *aliases: str) -> str:
        """A non-empty string, from `key` or the first alias given (CKAN's `name_or_id`)."""
        for name in (key, *aliases):
            if self._value(name) is not None:
                return self.text(name).strip()
        self.fail(key, _("Missing value"))
        return ""

    def integer(self, key: str, default: int | None = None) -> int | None:
        value = self._value(key)
        if value is None:
            return default
        try:
            number = int(value) if not isinstance(value, float) or value.is_integer() else None
        except (TypeError, ValueError):
            number = None
        if number is None or isinstance(value, bool | list | dict):
            self.fail(key, _("Invalid integer"))
            return default
        if abs(number) > LARGEST_INTEGER:
            self.fail(key, _("Must be at most %(maximum)d") % {"maximum": LARGEST_INTEGER})
            return default
        return number

    def natural(self, key: str, default: int | None = None, maximum: int | None = None
                ) -> int | None:
        """A whole number ≥ 0 and, if given, ≤ `maximum`: a limit is refused, never cut short
        in silence (CKAN cuts `rows` to its maximum; docs/configuration.md says why not here)."""
        number = self.integer(key, default)
        if number is None or key in self.errors:
            return number
        if number < 0:
            self.fail(key, _("Must be a natural number"))
            return default
        if maximum is not None and number > maximum:
            self.fail(key, _("Must be at most %(maximum)d") % {"maximum": maximum})
            return default
        return number

    def positive(self, key: str) -> int | None:
        number = self.integer(key)
        if number is not None and number < 1:
            self.fail(key, _("Must be a positive integer"))
            return None
        return number

    def boolean(self, key: str, default: bool) -> bool:
        value = self.data.get(key)
        if value is None:
            return default
        if isinstance(value, bool | int):
            return bool(value)
        if isinstance(value, str) and value.strip().lower() in TRUE_WORDS | FALSE_WORDS:
            return value.strip().lower() in TRUE_WORDS
        self.fail(key, _("Must be true or false"))
        return default

    def string_list(self, key: str) -> list[str]:
        """A list of strings: a JSON list, a repeated parameter, or one plain name."""
        value = self.data.get(key)
        if value is None or value == "":
            return []
        if isinstance(value, str):
            try:
                value = json.loads(value)
            except ValueError:
                if NAME_PATTERN.match(value):
                    return [value]
                self.fail(key, _("Could not parse as valid JSON"))
                return []
        if not isinstance(value, list):
            self.fail(key, _("Not a list"))
            return []
        for item in value:
            if not isinstance(item, str):
                self.fail(key, _("Not a string: %(value)s") % {"value": str(item)[:100]})
                return []
            if "\x00" in item:
                self.fail(key, _("Must not contain NUL characters"))
                return []
        return value

    def names(self, key: str) -> list[str]:
        """A list of names: a JSON list, a repeated parameter or a comma-separated string."""
        value = self.data.get(key)
        if isinstance(value, str) and not value.lstrip().startswith("["):
            return [name.strip() for name in value.split(",") if name.strip()]
        return self.string_list(key)
