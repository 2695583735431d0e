"""Checks beyond a regular expression, named by the rules (categories.json): what a pattern
matched is a citizen ID only if its province code exists, a birth date only if someone alive
could have been born then, and so on. Their parameters come from the rules, never from here.

Each takes the matched text (normalised), the rule's parameters and, for free text, what came
just before the match.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date, datetime
from functools import cache
from typing import Any

from django.utils import timezone

from portal.lib import places
from portal.lib.text import fold

Validator = Callable[[str, Mapping[str, Any], str], bool]

_DAY_FIRST = re.compile(r"(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})")
_YEAR_FIRST = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T][\d:.]+)?")
_MONTH_YEAR = re.compile(r"(\d{1,2})\s*[/.-]\s*(\d{4})")
_YEAR = re.compile(r"\d{4}")
_NUMBER = re.compile(r"[+-]?[\d.,\s]+%?")
_UNIT_KINDS = ("thi tran ", "xa ", "phuong ", "dac khu ")


def check(name: str, found: str, parameters: Mapping[str, Any], before: str = "") -> bool:
    return VALIDATORS[name](found, parameters, before)


def _anything(found: str, parameters: Mapping[str, Any], before: str) -> bool:
    return True


def _today() -> date:
    return timezone.localdate()


def citizen_id(found: str, parameters: Mapping[str, Any], before: str = "") -> bool:
    """A 12-digit personal identification number: a province code (0 and the two digits of a
    province of the national list, or of one of the provinces before the 2025 merger, whose
    numbers stay valid), a digit for sex and century, the last two digits of the birth year."""
    digits = re.sub(r"\D", "", found)
    if len(digits) != 12 or digits[0] != "0":
        return False
    province = digits[1:3]
    legacy = frozenset(str(code) for code in parameters.get("legacy_province_codes", ()))
    if province not in places.national_province_codes() | legacy:
        return False
    century = digits[3]
    if century not in str(parameters.get("century_digits", "0123")):
        return False
    year = 1900 + 100 * (int(century) // 2) + int(digits[4:6])
    return int(parameters.get("earliest_year", 1900)) <= year <= _today().year


def prefix(found: str, parameters: Mapping[str, Any], before: str = "") -> bool:
    """Begins with one of the listed prefixes (a health insurance card's beneficiary code)."""
    compact = re.sub(r"[\s.-]", "", found).upper()
    return any(compact.startswith(str(one).upper()) for one in parameters.get("prefixes", ()))


def birth_date(found: str, parameters: Mapping[str, Any], before: str = "") -> bool:
    """A date (or a year, or a month and year) someone alive could have been born on."""
    born = _parse_date(found.strip())
    if born is None:
        return False
    return date(int(parameters.get("earliest_year", 1900)), 1, 1) <= born <= _today()


def _parse_date(text: str) -> date | None:
    try:
        if match := _DAY_FIRST.fullmatch(text):
            return date(int(match[3]), int(match[2]), int(match[1]))
        if match := _YEAR_FIRST.fullmatch(text):
            return date(int(match[1]), int(match[2]), int(match[3]))
        if match := _MONTH_YEAR.fullmatch(text):
            return date(int(match[2]), int(match[1]), 1)
        if _YEAR.fullmatch(text):
            return date(int(text), 1, 1)
        return datetime.fromisoformat(text).date()
    except ValueError:
        return None


def person_name(found: str, parameters: Mapping[str, Any], before: str = "") -> bool:
    """Two to five words, each capitalised (or all in capitals, as many lists write names),
    the first a Vietnamese family name of the configured list."""
    parts = found.split()
    if not int(parameters.get("min_words", 2)) <= len(parts) <= int(
            parameters.get("max_words", 5)):
        return False
    if not all(part.isalpha() and (part.istitle() or part.isupper()) for part in parts):
        return False
    return fold(parts[0]) in _folded(tuple(parameters.get("surnames", ())))


def name_before(found: str, parameters: Mapping[str, Any], before: str = "") -> bool:
    """A birth date in free text ("sinh ngày 12/03/1985") right after a person's name (the
    family names are the person-name role's: the detector passes its parameters)."""
    if not birth_date(_date_part(found), parameters):
        return False
    tail = re.split(r"[,;:.()–-]\s*$", before.rstrip())[0].split()
    tail = tail[-int(parameters.get("look_back_words", 6)):]
    names = parameters.get("surnames", ())
    for start in range(len(tail) - 1):
        candidate = [word.strip(",;:.()") for word in tail[start:]]
        if person_name(" ".join(candidate), {"surnames": names}):
            return True
    return False


def _date_part(found: str) -> str:
    match = re.search(r"\d{1,2}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*\d{4}|\d{4}", found)
    return re.sub(r"\s", "", match[0]) if match else ""


def commune(found: str, parameters: Mapping[str, Any], before: str = "") -> bool:
    """A commune, ward or special zone of the national list, by code or by name (with or
    without its kind), alone or as the part of an address that names it."""
    text = fold(found).strip()
    if text.isdigit():
        return text.zfill(5) in places.national_ward_codes()
    names = places.national_ward_names()
    for part in re.split(r"[,;-]", text):
        part = " ".join(part.split())
        for kind in _UNIT_KINDS:
            if kind in f" {part}":
                part = f" {part}".split(kind, 1)[1].strip()
                break
        if part in names:
            return True
    return False


def one_of(found: str, parameters: Mapping[str, Any], before: str = "") -> bool:
    return fold(found).strip() in _folded(tuple(str(one) for one in parameters.get("values", ())))


@cache
def _folded(values: tuple[str, ...]) -> frozenset[str]:
    return frozenset(fold(value) for value in values)


def not_numeric(found: str, parameters: Mapping[str, Any], before: str = "") -> bool:
    """Anything but a number (a count, an amount, a share): a code or a name refers to someone,
    a number counts them."""
    return not _NUMBER.fullmatch(found.strip())


VALIDATORS: dict[str, Validator] = {
    "": _anything,
    "citizen_id": citizen_id,
    "prefix": prefix,
    "birth_date": birth_date,
    "person_name": person_name,
    "name_before": name_before,
    "commune": commune,
    "one_of": one_of,
    "not_numeric": not_numeric,
}
