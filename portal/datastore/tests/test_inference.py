"""Type inference: every value a candidate type accepts passes the first, cheap test of the
characters a column uses, so that test never turns a typed column into text."""

from __future__ import annotations

import duckdb
import pytest

from portal.datastore import inference

# A value each candidate accepts (the keys must cover CANDIDATES: a new candidate needs one).
EXAMPLES = {
    "integer": ["-42", "+7", "0"],
    "integer:vi": ["1.234.567", "12.345"],
    "number": ["3.14", "-0.5e-3", "1.5E10"],
    "number:vi": ["1.234.567,8", "0,5"],
    "number:en": ["1,234,567.8"],
    "date:%Y-%m-%d": ["2026-03-15"],
    "date:%d/%m/%Y": ["15/03/2026", "1/3/2026"],
    "date:%d-%m-%Y": ["15-03-2026"],
    "date:%d.%m.%Y": ["15.03.2026"],
    "datetime:%Y-%m-%d %H:%M:%S": ["2026-03-15 08:30:00"],
    "datetime:%Y-%m-%dT%H:%M:%S": ["2026-03-15T08:30:00"],
    "datetime:%Y-%m-%d %H:%M": ["2026-03-15 08:30"],
    "datetime:%d/%m/%Y %H:%M:%S": ["15/03/2026 08:30:00"],
    "datetime:%d/%m/%Y %H:%M": ["15/03/2026 8:30"],
    "boolean": ["true", "FALSE"],
}


def test_every_candidate_has_examples() -> None:
    assert set(EXAMPLES) == {candidate.key for candidate in inference.CANDIDATES}


@pytest.mark.parametrize("candidate", inference.CANDIDATES, ids=lambda c: c.key)
def test_values_of_a_type_pass_the_character_test(candidate: inference.Candidate) -> None:
    with duckdb.connect() as con:
        for value in EXAMPLES[candidate.key]:
            fits, typed = con.execute(
                f"SELECT {inference.fits('v', candidate)}, {inference.could_be_typed('v')} "
                "FROM (SELECT ?::VARCHAR AS v)", [value]).fetchone() or (None, None)
            assert fits, f"{value!r} should be {candidate.key}"
            assert typed or candidate.key == "boolean", value


@pytest.mark.parametrize("value", ["Phường Hoa Lư", "15 tháng 3", "12 km", "N/A"])
def test_text_fails_the_character_test(value: str) -> None:
    with duckdb.connect() as con:
        found = con.execute(f"SELECT {inference.could_be_typed('v')} FROM (SELECT ?::VARCHAR AS v)",
                            [value]).fetchone()
    assert found == (False,)
