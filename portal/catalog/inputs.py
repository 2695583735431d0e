"""What each field of the catalogue accepts: its length, its format, its allowed values.

Declared once, here, and checked by the services on their input objects (`DatasetFields`,
`ResourceFields`), so that the pages, /api/v1 and the CKAN API refuse the same input the same
way, with the same message for each field. The doors only parse their own wire format (a form,
JSON, CKAN's keys) into the input objects; they read the limits here to describe them (a form's
`maxlength`, the OpenAPI document), never to check them a second time.

Lengths are the models' columns where there is one, so that a value accepted here always fits:
PostgreSQL refuses a value longer than its column with an error where SQLite stores it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.catalog.models import (
    AccessLevel,
    Dataset,
    DatasetChange,
    Frequency,
    Keyword,
    Resource,
    ResourceKind,
)

# Text columns without a length of their own (Markdown descriptions) are bounded here: about
# 25 printed pages, far more than any description needs, far less than what hurts a page.
DESCRIPTION_MAX_LENGTH = 50_000
KEYWORDS_MAX = 50
URL_SCHEMES = ("http", "https", "ftp")
SLUG_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]{1,99}$")
PERIOD_PATTERN = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])|-Q[1-4]|-H[12])?$")

Check = Callable[[str], "str | None"]


def column_length(model: type[models.Model], name: str) -> int:
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field), name
    assert field.max_length is not None, name
    return int(field.max_length)


def _email(value: str) -> str | None:
    try:
        validate_email(value)
    except ValidationError:
        return _("Enter an e-mail address, such as ten@ninhbinh.gov.vn.")
    return None


_url_validator = URLValidator(schemes=list(URL_SCHEMES))


def _url(value: str) -> str | None:
    if value.split(":", 1)[0].lower() not in URL_SCHEMES or "://" not in value:
        return _("The address must start with http://, https:// or ftp://.")
    try:
        _url_validator(value)
    except ValidationError:
        return _("This is not a web address. Copy the whole address from the browser's "
                 "address bar, for example https://ninhbinh.gov.vn/du-lieu.csv.")
    return None


def _slug(value: str) -> str | None:
    if SLUG_PATTERN.match(value):
        return None
    return _("Use 2 to 100 lower-case letters, digits, hyphens or underscores.")


def _period(value: str) -> str | None:
    if PERIOD_PATTERN.match(value):
        return None
    return _("Write the period as 2026-03, 2026-Q1, 2026-H1 or 2026.")


def too_long(limit: int, length: int) -> str:
    return _("Use at most %(limit)d characters; this has %(length)d.") % {
        "limit": limit, "length": length}


def not_a_choice(choices: Iterable[str]) -> str:
    return _("Choose one of: %(choices)s.") % {"choices": ", ".join(choices)}


@dataclass(frozen=True)
class TextRule:
    """One text field: at most `max_length` characters; `required` is the message when it is
    empty (None: it may be); `check` a format, returning the message for a value it refuses;
    `choices` the only values allowed (then it is never empty)."""

    max_length: int
    required: Promise | None = None
    check: Check | None = None
    choices: tuple[str, ...] = ()

    def problems(self, value: str) -> list[str]:
        if self.choices:
            return [] if value in self.choices else [not_a_choice(self.choices)]
        if not value.strip():
            return [str(self.required)] if self.required is not None else []
        if len(value) > self.max_length:
            return [too_long(self.max_length, len(value))]
        message = self.check(value) if self.check is not None else None
        return [] if message is None else [message]


@dataclass(frozen=True)
class KeywordsRule:
    """A dataset's keywords: at most `max_items`, each by `item`'s rule."""

    max_items: int
    item: TextRule

    def problems(self, values: list[str]) -> list[str]:
        """Keywords are counted as stored: without surrounding spaces, empty ones and repeats."""
        items = {value.strip() for value in values if value.strip()}
        if len(items) > self.max_items:
            return [_("Give at most %(count)d keywords; there are %(given)d.")
                    % {"count": self.max_items, "given": len(items)}]
        if any(self.item.problems(value) for value in items):
            return [_("Each keyword may have at most %(max)d characters.")
                    % {"max": self.item.max_length}]
        return []


def _choice_values(choices: type[models.TextChoices]) -> tuple[str, ...]:
    return tuple(str(value) for value in choices.values)


DATASET: dict[str, TextRule] = {
    "title": TextRule(column_length(Dataset, "title"), required=gettext_lazy("Enter a title.")),
    "slug": TextRule(column_length(Dataset, "slug"), check=_slug,
                     required=gettext_lazy("Enter a URL name.")),
    "description": TextRule(DESCRIPTION_MAX_LENGTH),
    "contact_name": TextRule(column_length(Dataset, "contact_name")),
    "contact_email": TextRule(column_length(Dataset, "contact_email"), check=_email),
    "source_system": TextRule(column_length(Dataset, "source_system")),
    "access_level": TextRule(column_length(Dataset, "access_level"),
                             choices=_choice_values(AccessLevel)),
    "frequency": TextRule(column_length(Dataset, "frequency"), choices=_choice_values(Frequency)),
}
KEYWORDS = KeywordsRule(KEYWORDS_MAX, TextRule(column_length(Keyword, "name")))
WITHDRAWAL_REASON = TextRule(column_length(DatasetChange, "note"))
RESOURCE: dict[str, TextRule] = {
    "name": TextRule(column_length(Resource, "name"), required=gettext_lazy("Enter a name.")),
    "description": TextRule(DESCRIPTION_MAX_LENGTH),
    "url": TextRule(column_length(Resource, "url"), check=_url),
    "format": TextRule(column_length(Resource, "format")),
    "period": TextRule(column_length(Resource, "period"), check=_period),
    "kind": TextRule(column_length(Resource, "kind"), choices=_choice_values(ResourceKind)),
}


def problems(rules: dict[str, TextRule], values: Any) -> dict[str, list[str]]:
    """The messages per field for the attributes of `values` that break their rule."""
    found = {name: rule.problems(getattr(values, name)) for name, rule in rules.items()}
    return {name: messages for name, messages in found.items() if messages}
