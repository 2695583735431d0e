"""The guard measured on the labelled corpus (corpus.py): it must find at least 95 % of the
planted personal data, and at least 90 % of what it reports must be personal data.
`benchmarks/privacy.py` prints the same figures per category for docs/benchmarks.md."""

from __future__ import annotations

from portal.privacy.rules import default_document, from_document
from portal.privacy.tests import corpus

MIN_RECALL = 0.95
MIN_PRECISION = 0.9


def test_the_guard_finds_planted_personal_data_and_leaves_look_alikes_alone() -> None:
    scores = corpus.evaluate(from_document(default_document()))
    total = scores["all"]
    missed = [label for score in scores.values() for label in score.missed if score is not total]
    wrong = [label for score in scores.values() for label in score.wrong if score is not total]
    assert total.recall >= MIN_RECALL, f"recall {total.recall:.3f}; missed: {missed}"
    assert total.precision >= MIN_PRECISION, f"precision {total.precision:.3f}; wrong: {wrong}"


def test_the_corpus_plants_every_category_and_has_look_alikes() -> None:
    tables, texts = corpus.build_tables(), corpus.build_texts()
    labelled = {label[2] for table in tables for label in table.labels} | {
        label[2] for text in texts for label in text.labels}
    codes = {row["code"] for row in default_document()["categories"]}
    assert labelled == codes
    assert sum(not table.labels for table in tables) >= 15
    assert sum(not text.labels for text in texts) >= 10
