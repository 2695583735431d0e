"""The guard's configuration as typed rules: categories of personal data and column roles.

The law is data (defaults/categories.json, loaded into the admin's Category and ColumnRole
lists); this module reads one category's or role's JSON into frozen objects the detector uses,
and refuses a malformed one with a message naming the field, so a mistake typed in the admin
is caught when it is saved and never at scan time. Nothing here touches the database.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from portal.lib.text import fold
from portal.privacy import validators

DEFAULTS = Path(__file__).resolve().parent / "defaults" / "categories.json"
NORMALISERS = ("digits", "compact", "plate", "trim")
KINDS = ("basic", "sensitive", "risk")
MAX_EXAMPLES = 3
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
_WORD = re.compile(r"[a-z0-9]+")


class RulesError(ValueError):
    """A category or role whose rules cannot be used; the message names the field."""


def words(text: str) -> str:
    """A column name or keyword as folded words: "soDienThoai", "Số điện thoại" and
    "so_dien_thoai" all become "so dien thoai"."""
    return " ".join(_WORD.findall(fold(_CAMEL.sub(" ", text))))


def mentions(name: str, keywords: tuple[str, ...]) -> bool:
    """Whether the name (as `words`) holds one of the keywords (as `words`) as whole words,
    or, for a keyword of several words, run together ("hoten" holds "ho ten")."""
    padded, compact = f" {name} ", name.replace(" ", "")
    return any(f" {keyword} " in padded or (" " in keyword and keyword.replace(" ", "") in compact)
               for keyword in keywords)


@dataclass(frozen=True)
class Pattern:
    """A regular expression matched on a whole value or searched in free text, after the
    value is normalised; `validator` checks what it matched (validators.py)."""

    regex: re.Pattern[str]
    normalise: str
    validator: str
    needs_keyword: bool  # only where the column name (or the text just before) says so
    keywords: tuple[str, ...]  # as `words`; empty: the category's column keywords
    parameters: Mapping[str, Any]
    context_chars: int


@dataclass(frozen=True)
class CategoryRules:
    code: str
    kind: str
    column_keywords: tuple[str, ...]
    exclude_keywords: tuple[str, ...]
    values: tuple[Pattern, ...]
    text: tuple[Pattern, ...]
    column_only: bool  # the column's name alone is a finding (sensitive categories)
    needs_person: bool  # only in a table about individual people
    roles: tuple[str, ...]  # a finding when columns of all these roles are in one table
    group_check: bool  # ... and some combination of their values is rarer than k rows
    show_examples: bool
    min_share: float  # of the sampled values, when nothing but the values points to it
    min_matches: int

    def named_by(self, column: str) -> bool:
        """Whether the column's name (as `words`) says it holds this category."""
        return mentions(column, self.column_keywords) and not mentions(column,
                                                                       self.exclude_keywords)


@dataclass(frozen=True)
class RoleRules:
    """A kind of column that is not a finding by itself but makes others: a person's name, a
    birth date, a commune, a sex."""

    code: str
    column_keywords: tuple[str, ...]
    exclude_keywords: tuple[str, ...]
    needs_keyword: bool
    validator: str
    parameters: Mapping[str, Any]
    min_share: float
    keyword_min_share: float

    def valid(self, value: str) -> bool:
        return validators.check(self.validator, value, self.parameters)


@dataclass(frozen=True)
class Rules:
    categories: tuple[CategoryRules, ...]
    roles: Mapping[str, RoleRules]

    def category(self, code: str) -> CategoryRules:
        return next(category for category in self.categories if category.code == code)


# Reading the JSON ---------------------------------------------------------------------------


@cache
def default_document() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(DEFAULTS.read_text(encoding="utf-8"))
    return loaded


def from_document(document: Mapping[str, Any]) -> Rules:
    """The rules of a whole categories.json document (tests, the benchmark)."""
    return Rules(
        categories=tuple(parse_category(row["code"], row["kind"], row["rules"])
                         for row in document["categories"]),
        roles={row["code"]: parse_role(row["code"], row["rules"]) for row in document["roles"]})


def parse_category(code: str, kind: str, raw: Mapping[str, Any]) -> CategoryRules:
    if kind not in KINDS:
        raise RulesError(f"kind: “{kind}” is not one of {', '.join(KINDS)}")
    defaults = default_document()["defaults"]
    keywords = _keywords(raw, "column_keywords")
    return CategoryRules(
        code=code, kind=kind, column_keywords=keywords,
        exclude_keywords=_keywords(raw, "exclude_keywords"),
        values=tuple(_pattern(raw, "values", i, keywords) for i in range(_count(raw, "values"))),
        text=tuple(_pattern(raw, "text", i, keywords) for i in range(_count(raw, "text"))),
        column_only=bool(raw.get("column_only", False)),
        needs_person=bool(raw.get("needs_person", False)),
        roles=tuple(str(role) for role in _list(raw, "roles")),
        group_check=bool(raw.get("group_check", False)) or kind == "risk",
        show_examples=bool(raw.get("show_examples", True)),
        min_share=_share(raw, "min_share", defaults["min_share"]),
        min_matches=_positive(raw, "min_matches", defaults["min_matches"]))


def parse_role(code: str, raw: Mapping[str, Any]) -> RoleRules:
    validator = str(raw.get("validator", ""))
    if validator not in validators.VALIDATORS:
        raise RulesError(f"validator: “{validator}” is not one of "
                         f"{', '.join(sorted(validators.VALIDATORS))}")
    return RoleRules(
        code=code, column_keywords=_keywords(raw, "column_keywords"),
        exclude_keywords=_keywords(raw, "exclude_keywords"),
        needs_keyword=bool(raw.get("needs_keyword", False)), validator=validator,
        parameters=_parameters(raw, "parameters"),
        min_share=_share(raw, "min_share", 0.6),
        keyword_min_share=_share(raw, "keyword_min_share", 0.6))


def _pattern(raw: Mapping[str, Any], field: str, index: int,
             category_keywords: tuple[str, ...]) -> Pattern:
    where = f"{field}[{index}]"
    rule = raw[field][index]
    if not isinstance(rule, Mapping):
        raise RulesError(f"{where}: an object with a “pattern” is expected")
    try:
        regex = re.compile(str(rule["pattern"]))
    except (KeyError, re.error) as error:
        raise RulesError(f"{where}.pattern: {error}") from None
    normalise = str(rule.get("normalise", "trim"))
    validator = str(rule.get("validator", ""))
    if normalise not in NORMALISERS:
        raise RulesError(f"{where}.normalise: “{normalise}” is not one of "
                         f"{', '.join(NORMALISERS)}")
    if validator not in validators.VALIDATORS:
        raise RulesError(f"{where}.validator: “{validator}” is not one of "
                         f"{', '.join(sorted(validators.VALIDATORS))}")
    own = _keywords(rule, "keywords")
    return Pattern(regex=regex, normalise=normalise, validator=validator,
                   needs_keyword=bool(rule.get("needs_keyword", False)),
                   keywords=own or category_keywords,
                   parameters=_parameters(rule, "parameters", where),
                   context_chars=_positive(rule, "context_chars",
                                           default_document()["defaults"]["context_chars"]))


def _count(raw: Mapping[str, Any], field: str) -> int:
    return len(_list(raw, field))


def _list(raw: Mapping[str, Any], field: str) -> list[Any]:
    value = raw.get(field, [])
    if not isinstance(value, list):
        raise RulesError(f"{field}: a list is expected")
    return value


def _keywords(raw: Mapping[str, Any], field: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(words(str(keyword)) for keyword in _list(raw, field)
                               if words(str(keyword))))


def _parameters(raw: Mapping[str, Any], field: str, where: str = "") -> Mapping[str, Any]:
    value = raw.get(field, {})
    if not isinstance(value, Mapping):
        raise RulesError(f"{where + '.' if where else ''}{field}: an object is expected")
    return dict(value)


def _share(raw: Mapping[str, Any], field: str, default: float) -> float:
    try:
        value = float(raw.get(field, default))
    except (TypeError, ValueError):
        raise RulesError(f"{field}: a number between 0 and 1 is expected") from None
    if not 0 <= value <= 1:
        raise RulesError(f"{field}: a number between 0 and 1 is expected")
    return value


def _positive(raw: Mapping[str, Any], field: str, default: int) -> int:
    try:
        value = int(raw.get(field, default))
    except (TypeError, ValueError):
        raise RulesError(f"{field}: a whole number is expected") from None
    if value < 1:
        raise RulesError(f"{field}: at least 1")
    return value
