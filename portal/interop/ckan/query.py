"""CKAN's search syntax (the part of Solr's that clients use), read into terms.

    organization:so-y-te +groups:y-te tags:"dân số" -res_format:PDF
    organization:a OR organization:b          (ckanext-harvest's filter)
    tags:(a OR b)   metadata_modified:[2026-01-01T00:00:00Z TO *]   *:*   dân số

Conditions side by side must all hold (CKAN's default operator is AND); `OR` joins the
conditions on either side of it; `+` is redundant, `-` and `NOT` negate. A word or quoted phrase
without a field searches the text. Anything else is refused with a message saying why.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, replace

from django.utils.translation import gettext as _

MAX_TERMS = 50
OPERATORS = {"AND": "and", "&&": "and", "OR": "or", "||": "or", "NOT": "not"}


class QuerySyntaxError(ValueError):
    pass


@dataclass(frozen=True)
class Term:
    """One condition. `field` is "text" for free text and "*" for everything."""

    field: str
    values: tuple[str, ...] = ()
    every: bool = False  # field:(a b) needs all values; field:(a OR b) any
    low: str | None = None  # a range [low TO high]; "*" is open
    high: str | None = None
    low_exclusive: bool = False
    high_exclusive: bool = False
    negate: bool = False

    @property
    def is_range(self) -> bool:
        return self.low is not None


# All of the groups must hold; within a group, any of the terms.
Query = list[list[Term]]


class _Scanner:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    def at_end(self) -> bool:
        return self.pos >= len(self.text)

    def peek(self) -> str:
        return self.text[self.pos] if not self.at_end() else ""

    def skip_space(self) -> None:
        while not self.at_end() and self.peek().isspace():
            self.pos += 1

    def next_word(self) -> str:
        """The characters up to the next space, without consuming them."""
        end = self.pos
        while end < len(self.text) and not self.text[end].isspace():
            end += 1
        return self.text[self.pos:end]

    def read_bare(self, stops: str = "") -> str:
        """Characters up to a space or one of `stops`; a backslash escapes the next one."""
        out: list[str] = []
        while not self.at_end():
            char = self.peek()
            if char.isspace() or char in stops:
                break
            if char == "\\" and self.pos + 1 < len(self.text):
                self.pos += 1
                char = self.peek()
            out.append(char)
            self.pos += 1
        return "".join(out)

    def read_quoted(self) -> str:
        self.pos += 1
        out: list[str] = []
        while not self.at_end():
            char = self.peek()
            self.pos += 1
            if char == '"':
                return "".join(out)
            if char == "\\" and not self.at_end():
                char = self.peek()
                self.pos += 1
            out.append(char)
        raise QuerySyntaxError(_("A quotation mark is not closed."))


def parse(text: str, fields: Collection[str]) -> Query:
    """The terms of `text`; `fields` are the field names the search understands."""
    scanner = _Scanner(text)
    groups: Query = []
    join, negate = False, False
    while True:
        scanner.skip_space()
        if scanner.at_end():
            break
        if scanner.next_word() in ("+", "-", "!"):
            scanner.pos += 1  # a dash between words, as in "Hà Nội - Ninh Bình"
            continue
        operator = OPERATORS.get(scanner.next_word())
        if operator is not None:
            scanner.pos += len(scanner.next_word())
            if operator == "or" and (not groups or join):
                raise QuerySyntaxError(_("OR must stand between two conditions."))
            join = join or operator == "or"
            negate = negate or operator == "not"
            continue
        term = _read_term(scanner, fields)
        term = replace(term, negate=term.negate != negate)
        if join:
            groups[-1].append(term)
        else:
            groups.append([term])
        join, negate = False, False
    if join or negate:
        raise QuerySyntaxError(_("The query ends with an operator."))
    if sum(len(group) for group in groups) > MAX_TERMS:
        raise QuerySyntaxError(_("Use at most %(count)d conditions.") % {"count": MAX_TERMS})
    return groups


def _read_term(scanner: _Scanner, fields: Collection[str]) -> Term:
    negate = False
    if scanner.peek() in "+-!":
        negate = scanner.peek() != "+"
        scanner.pos += 1
    if scanner.peek() == '"':
        return Term("text", (scanner.read_quoted(),), negate=negate)
    if scanner.peek() in "([{":
        raise QuerySyntaxError(_("Write a field name before a parenthesis or a range, as in "
                                 "tags:(a OR b)."))
    name = scanner.read_bare(stops=":")
    if scanner.peek() != ":":
        if not name:
            raise QuerySyntaxError(_("A sign must be followed by a condition."))
        return Term("text", (name,), negate=negate)
    scanner.pos += 1
    if name == "*":
        if scanner.read_bare() != "*":
            raise QuerySyntaxError(_("Write *:* to match everything."))
        return Term("*", negate=negate)
    if name not in fields:
        raise QuerySyntaxError(
            _("Cannot search by field `%(field)s`. Use one of: %(fields)s.")
            % {"field": name, "fields": ", ".join(sorted(fields))})
    return replace(_read_value(scanner, name), negate=negate)


def _read_value(scanner: _Scanner, field: str) -> Term:
    char = scanner.peek()
    if char == '"':
        return Term(field, (scanner.read_quoted(),))
    if char == "(":
        values, every = _read_group(scanner)
        return Term(field, values, every=every)
    if char in "[{":
        return _read_range(scanner, field)
    value = scanner.read_bare()
    if not value:
        raise QuerySyntaxError(_("Write a value after `%(field)s:`.") % {"field": field})
    if value == "*":
        raise QuerySyntaxError(_("Wildcards are not supported."))
    return Term(field, (value,))


def _read_group(scanner: _Scanner) -> tuple[tuple[str, ...], bool]:
    scanner.pos += 1
    values: list[str] = []
    operators: set[str] = set()
    while True:
        scanner.skip_space()
        if scanner.at_end():
            raise QuerySyntaxError(_("A parenthesis is not closed."))
        if scanner.peek() == ")":
            scanner.pos += 1
            break
        if scanner.peek() == '"':
            values.append(scanner.read_quoted())
            continue
        word = scanner.read_bare(stops="()")
        if word in OPERATORS and OPERATORS[word] != "not":
            operators.add(OPERATORS[word])
        elif word:
            values.append(word)
        else:
            raise QuerySyntaxError(_("Parentheses cannot be nested."))
    if not values:
        raise QuerySyntaxError(_("Parentheses are empty."))
    if len(operators) > 1:
        raise QuerySyntaxError(_("Do not mix AND and OR inside parentheses."))
    return tuple(values), "or" not in operators


def _read_range(scanner: _Scanner, field: str) -> Term:
    opening = scanner.peek()
    end = min((index for index in (scanner.text.find("]", scanner.pos),
                                   scanner.text.find("}", scanner.pos)) if index >= 0),
              default=-1)
    if end < 0:
        raise QuerySyntaxError(_("A range is not closed."))
    words = scanner.text[scanner.pos + 1:end].split()
    closing = scanner.text[end]
    scanner.pos = end + 1
    if len(words) != 3 or words[1] != "TO":
        raise QuerySyntaxError(_("Write a range as [start TO end], with * for an open end."))
    return Term(field, low=words[0], high=words[2], low_exclusive=opening == "{",
                high_exclusive=closing == "}")
