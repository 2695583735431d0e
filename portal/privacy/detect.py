"""The personal-data detector: given a table's column names and a sample of each column's
values (or a free text) and the rules (rules.py), what personal data it holds.

Pure: no database, no files, no DuckDB. The caller reads the sample (through the data store)
and, for the re-identification check, passes a function that counts the table's groups.

How a column is judged, for each category:
- a value matched whole by a pattern that needs no keyword (an e-mail address, a mobile number,
  a valid citizen ID) counts as a plain match; enough of them (the category's `min_share` of
  the sampled values) make a finding whatever the column is called;
- a pattern that needs a keyword (nine digits are a CMND number only in a column named so)
  counts only when the column's name says so; then one match is enough, as is one plain match
  in a column whose name says so;
- long values are searched as free text ("gọi 0912 345 678"): one match is enough;
- a sensitive category (health, religion...) is found by the column's name, and only in a
  table about individual people (one with a basic finding, a person's name, a reference to a
  person or a birth date): a count of believers per religion is not personal data;
- a person's name beside a birth date is a finding; birth date, commune and sex together are
  a re-identification risk when some combination of them is shared by fewer than k rows.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from portal.privacy import validators
from portal.privacy.rules import MAX_EXAMPLES, CategoryRules, Pattern, Rules, mentions, words

VALUES, COLUMN_NAME, TEXT, COMBINATION, GROUPS = (
    "values", "column_name", "text", "combination", "groups")
# Roles that show a table is about individual people (for the sensitive categories).
PERSON_ROLES = ("person_name", "person_reference", "birth_date")
MIN_TEXT_LENGTH = 7  # shorter values are not searched as free text
# A value with no letter is a number, a code or a list of them, never searched as free text
# (a bank account "0912 3456 78" is not a phone number found in a sentence).
_LETTER = re.compile(r"[^\W\d_]")
# Thousands grouped by dots or commas, not starting with 0: a number, never an identifier.
_GROUPED_NUMBER = re.compile(r"[1-9]\d{0,2}(?:\.\d{3})+(?:,\d+)?|[1-9]\d{0,2}(?:,\d{3})+(?:\.\d+)?")
_DIGIT_SEPARATORS = str.maketrans("", "", " \t.-()/\u00a0")
_CODE_SEPARATORS = str.maketrans("", "", " \t.-\u00a0")
_LIST_SEPARATOR = re.compile(r"\s*[/,;|]\s*|\s*\n\s*")


@dataclass(frozen=True)
class Column:
    """A column's name and a sample of its values as text."""

    name: str
    values: Sequence[str]


@dataclass(frozen=True)
class GroupSizes:
    """How the table's rows fall into groups of equal values of some columns."""

    rows: int
    groups: int
    small_groups: int  # groups of fewer than k rows
    rows_in_small_groups: int
    smallest: int


GroupCounter = Callable[[list[str], int], GroupSizes]  # (columns, k) → sizes


@dataclass(frozen=True)
class Finding:
    category: str
    column: str  # "" for free text and for findings about several columns (detail["columns"])
    evidence: str  # VALUES, COLUMN_NAME, TEXT, COMBINATION or GROUPS
    matches: int  # sampled values (or lines of a text, or rows in small groups) that match
    sampled: int  # sampled values (lines, rows)
    examples: tuple[str, ...] = ()  # masked
    detail: Mapping[str, Any] = field(default_factory=dict)

    @property
    def share(self) -> float:
        return min(self.matches / self.sampled, 1.0) if self.sampled else 0.0


# Tables -------------------------------------------------------------------------------------


def scan_table(columns: Sequence[Column], rules: Rules, *,
               group_sizes: GroupCounter | None = None, min_group_size: int = 5,
               ) -> list[Finding]:
    """The findings of one table (one sheet), from a sample of each column's values."""
    cleaned = [Column(column.name, [value.strip() for value in column.values if value.strip()])
               for column in columns]
    roles = role_columns(cleaned, rules)
    found = [finding for column in cleaned for category in rules.categories
             if not category.column_only
             and (finding := _column_finding(column, category, rules)) is not None]
    about_people = any(rules.category(f.category).kind == "basic" for f in found) or any(
        roles.get(role) for role in PERSON_ROLES)
    kept = [finding for finding in found
            if about_people or not rules.category(finding.category).needs_person]
    kept += _named_columns(cleaned, rules, about_people=about_people)
    kept += _combinations(cleaned, roles, rules, group_sizes, min_group_size)
    return kept


def role_columns(columns: Sequence[Column], rules: Rules) -> dict[str, list[str]]:
    """For each role, the columns that play it (a name, a birth date...), in table order."""
    found: dict[str, list[str]] = {}
    for role in rules.roles.values():
        for column in columns:
            name = words(column.name)
            keyword = mentions(name, role.column_keywords) and not mentions(
                name, role.exclude_keywords)
            if (role.needs_keyword and not keyword) or not column.values:
                continue
            share = sum(role.valid(value) for value in column.values) / len(column.values)
            if share >= (role.keyword_min_share if keyword else role.min_share):
                found.setdefault(role.code, []).append(column.name)
    return found


def _column_finding(column: Column, category: CategoryRules, rules: Rules) -> Finding | None:
    name = words(column.name)
    if mentions(name, category.exclude_keywords):  # named as something else: a tax code...
        return None
    named = category.named_by(name)
    plain = keyworded = in_text = 0
    examples: list[str] = []
    for value in column.values:
        kind = _whole_match(value, category, name)
        if kind == "plain":
            plain += 1
        elif kind == "keyworded":
            keyworded += 1
        elif category.text and len(value) >= MIN_TEXT_LENGTH and _LETTER.search(value):
            spans = list(search(value, category, rules, column_named=named))
            if not spans:
                continue
            in_text += 1
            value = spans[0]
        else:
            continue
        examples.append(value)
    total = plain + keyworded + in_text
    if total < category.min_matches:
        return None
    if not (keyworded or in_text or (named and plain)
            or plain >= category.min_share * len(column.values)):
        return None
    return Finding(category.code, column.name, TEXT if total == in_text else VALUES, total,
                   len(column.values), _examples(examples, category))


def _whole_match(value: str, category: CategoryRules, name: str) -> str | None:
    """"plain" or "keyworded" when a value pattern matches the whole value (or one of the
    numbers of a cell that lists several: "0912 345 678 / 0987 654 321"), else None."""
    parts = _LIST_SEPARATOR.split(value)
    if len(parts) > 1 and not _LETTER.search(value):
        kinds = {_whole_match(part, category, name) for part in parts}
        return "plain" if "plain" in kinds else "keyworded" if "keyworded" in kinds else None
    for pattern in category.values:
        found = normalise(value, pattern.normalise)
        if not pattern.regex.fullmatch(found) or not validators.check(
                pattern.validator, found, pattern.parameters):
            continue
        if not pattern.needs_keyword:
            return "plain"
        if mentions(name, pattern.keywords) and not mentions(name, category.exclude_keywords):
            return "keyworded"
    return None


def _named_columns(columns: Sequence[Column], rules: Rules, *, about_people: bool,
                   ) -> list[Finding]:
    """The categories a column's name alone reveals (health, religion...)."""
    found = []
    for category in rules.categories:
        if not category.column_only or (category.needs_person and not about_people):
            continue
        for column in columns:
            if column.values and category.named_by(words(column.name)):
                found.append(Finding(category.code, column.name, COLUMN_NAME,
                                     len(column.values), len(column.values),
                                     _examples(list(column.values), category)))
    return found


def _combinations(columns: Sequence[Column], roles: Mapping[str, list[str]], rules: Rules,
                  group_sizes: GroupCounter | None, k: int) -> list[Finding]:
    found = []
    for category in rules.categories:
        if not category.roles or not all(roles.get(role) for role in category.roles):
            continue
        chosen = [roles[role][0] for role in category.roles]
        if category.group_check:
            if group_sizes is not None and (risk := _small_groups(category, chosen,
                                                                  group_sizes, k)):
                found.append(risk)
            continue
        first = next(column for column in columns if column.name == chosen[0])
        role = rules.roles[category.roles[0]]
        valid = [value for value in first.values if role.valid(value)]
        found.append(Finding(category.code, first.name, COMBINATION, len(valid),
                             len(first.values), _examples(valid, category),
                             {"columns": chosen}))
    return found


def _small_groups(category: CategoryRules, columns: list[str], group_sizes: GroupCounter,
                  k: int) -> Finding | None:
    sizes = group_sizes(columns, k)
    if not sizes.small_groups:
        return None
    return Finding(category.code, "", GROUPS, sizes.rows_in_small_groups, sizes.rows,
                   detail={"columns": columns, "groups": sizes.groups,
                           "small_groups": sizes.small_groups, "smallest": sizes.smallest,
                           "min_group_size": k})


# Free text ----------------------------------------------------------------------------------


def scan_text(text: str, rules: Rules) -> list[Finding]:
    """The findings of a free text (a TXT file, a CSV that is not a table), line by line."""
    lines = [line for line in text.splitlines() if line.strip()]
    found = []
    for category in rules.categories:
        if not category.text:
            continue
        matched, examples = 0, []
        for line in lines:
            spans = list(search(line, category, rules, column_named=False))
            if spans:
                matched += 1
                examples.extend(spans)
        if matched >= category.min_matches:
            found.append(Finding(category.code, "", TEXT, matched, len(lines),
                                 _examples(examples, category)))
    return found


def search(text: str, category: CategoryRules, rules: Rules, *,
           column_named: bool) -> Iterator[str]:
    """What the category's text patterns find in `text`; a pattern that needs a keyword finds
    only where the column is named so or a keyword comes just before."""
    for pattern in category.text:
        for match in pattern.regex.finditer(text):
            before = text[max(0, match.start() - pattern.context_chars):match.start()]
            if pattern.needs_keyword and not column_named and not mentions(
                    words(before), pattern.keywords):
                continue
            found = normalise(match[0], pattern.normalise)
            if validators.check(pattern.validator, found, _parameters(pattern, rules), before):
                yield match[0]


def _parameters(pattern: Pattern, rules: Rules) -> Mapping[str, Any]:
    """A name found in free text is checked against the person-name role's family names."""
    if pattern.validator == "name_before" and "person_name" in rules.roles:
        return {**rules.roles["person_name"].parameters, **pattern.parameters}
    return pattern.parameters


# Values -------------------------------------------------------------------------------------


def normalise(value: str, how: str) -> str:
    """A value as its patterns read it: "digits" drops the separators people type between
    digits ("0912 345 678", "(+84) 912.345.678"), "compact" drops them and capitalises, "plate"
    capitalises and drops spaces, "trim" only trims. An amount grouped in thousands keeps its
    separators, so no pattern of digits matches it."""
    if how == "digits":
        if _GROUPED_NUMBER.fullmatch(value.strip()):
            return value  # an amount, "84.912.345.678": its separators are not a phone's
        return value.translate(_DIGIT_SEPARATORS)
    if how == "compact":
        return value.translate(_CODE_SEPARATORS).upper()
    if how == "plate":
        return "".join(value.split()).upper()
    return value.strip()


def mask(value: str) -> str:
    """Enough of a value to recognise it, not enough to use it: "0912***678", "ng***@gmail.com"."""
    value = value.strip()
    if "@" in value:
        local, domain = value.rsplit("@", 1)
        return f"{local[:2]}***@{domain}"
    size = len(value)
    if size <= 4:
        return "***"
    start, end = min(4, size // 3 + 1), min(3, size // 3)
    return f"{value[:start]}***{value[-end:] if end else ''}"


def _examples(values: list[str], category: CategoryRules) -> tuple[str, ...]:
    if not category.show_examples:
        return ()
    return tuple(dict.fromkeys(mask(value) for value in values))[:MAX_EXAMPLES]
