"""Reading CKAN's (Solr's) search syntax into terms: no database needed."""

from __future__ import annotations

import pytest

from portal.interop.ckan.query import QuerySyntaxError, Term, parse

FIELDS = {"organization", "groups", "tags", "res_format", "metadata_modified"}


def test_clauses_side_by_side_must_all_hold() -> None:
    assert parse('organization:so-y-te +groups:y-te tags:"dân số" res_format:CSV', FIELDS) == [
        [Term("organization", ("so-y-te",))],
        [Term("groups", ("y-te",))],
        [Term("tags", ("dân số",))],
        [Term("res_format", ("CSV",))],
    ]


def test_or_joins_the_clauses_on_either_side() -> None:
    assert parse("organization:a OR organization:b groups:c", FIELDS) == [
        [Term("organization", ("a",)), Term("organization", ("b",))],
        [Term("groups", ("c",))],
    ]


def test_and_is_the_default_and_may_be_written() -> None:
    assert parse("tags:a AND tags:b", FIELDS) == parse("tags:a tags:b", FIELDS)


@pytest.mark.parametrize("text", ["-tags:a", "NOT tags:a", "!tags:a"])
def test_minus_and_not_negate(text: str) -> None:
    assert parse(text, FIELDS) == [[Term("tags", ("a",), negate=True)]]


def test_parentheses_hold_alternatives_or_required_values() -> None:
    assert parse('tags:(a OR "b c")', FIELDS) == [[Term("tags", ("a", "b c"))]]
    assert parse("tags:(a b)", FIELDS) == [[Term("tags", ("a", "b"), every=True)]]


def test_words_without_field_search_the_text() -> None:
    assert parse('dân số "Ninh Bình" -rác', FIELDS) == [
        [Term("text", ("dân",))], [Term("text", ("số",))], [Term("text", ("Ninh Bình",))],
        [Term("text", ("rác",), negate=True)],
    ]


def test_a_lone_dash_between_words_is_ignored() -> None:
    assert parse("Hoa Lư - Tam Điệp", FIELDS) == parse("Hoa Lư Tam Điệp", FIELDS)


def test_ranges_keep_their_ends_and_brackets() -> None:
    assert parse("metadata_modified:[2026-01-01T00:00:00Z TO *}", FIELDS) == [[Term(
        "metadata_modified", low="2026-01-01T00:00:00Z", high="*", high_exclusive=True)]]


def test_backslash_escapes_a_character() -> None:
    assert parse(r"tags:a\ b res_format:text\:csv", FIELDS) == [
        [Term("tags", ("a b",))], [Term("res_format", ("text:csv",))]]


def test_match_everything() -> None:
    assert parse("*:*", FIELDS) == [[Term("*")]]


def test_empty_query_has_no_terms() -> None:
    assert parse("   ", FIELDS) == []


@pytest.mark.parametrize("text", [
    "author:x", 'tags:"open', "tags:(a OR b", "tags:(a OR b AND c)", "tags:()",
    "tags:((a))", "metadata_modified:[a TO]", "metadata_modified:[a TO b", "OR tags:a",
    "tags:a OR", "NOT", "tags:", "tags:*", "*:x", "(tags:a)", "+:a",
])
def test_what_cannot_be_read_is_refused(text: str) -> None:
    with pytest.raises(QuerySyntaxError):
        parse(text, FIELDS)


def test_too_many_conditions_are_refused() -> None:
    with pytest.raises(QuerySyntaxError):
        parse(" ".join(f"tags:t{number}" for number in range(51)), FIELDS)
