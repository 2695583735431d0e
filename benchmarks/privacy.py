"""Precision and recall of the personal-data guard on its labelled corpus (issue 11).

    .venv/bin/python benchmarks/privacy.py [--seeds 5] [--write]

Builds the generated corpus of portal/privacy/tests/corpus.py (fictional people, planted
personal data, look-alikes) once per seed, runs the detector with the default rules
(portal/privacy/defaults/categories.json) and prints, per category, the labels found (true
positives), the findings that were not labelled (false positives), the labels missed (false
negatives), precision and recall, summed over the seeds; then what was missed or wrongly found,
and how fast the detector reads. `--write` puts the table in its section of docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import shlex
import sys
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DOCS = ROOT / "docs" / "benchmarks.md"
START, END = "<!-- privacy benchmark -->", "<!-- end of privacy benchmark -->"

sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django  # noqa: E402 - the portal's settings first

django.setup()

from portal.privacy import detect  # noqa: E402
from portal.privacy.rules import Rules, default_document, from_document  # noqa: E402
from portal.privacy.tests import corpus  # noqa: E402


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seeds", type=int, default=5,
                        help="corpora generated, seeds 2026 onwards (default: 5)")
    parser.add_argument("--write", action="store_true",
                        help="also write the table to docs/benchmarks.md")
    args = parser.parse_args(argv)
    rules = from_document(default_document())
    seeds = [corpus.SEED + offset for offset in range(args.seeds)]
    totals: dict[str, corpus.Score] = {}
    started = time.perf_counter()
    for seed in seeds:
        for code, score in corpus.evaluate(rules, seed=seed).items():
            total = totals.setdefault(code, corpus.Score())
            total.true_positives += score.true_positives
            total.false_positives += score.false_positives
            total.false_negatives += score.false_negatives
            total.missed.extend(score.missed)
            total.wrong.extend(score.wrong)
    elapsed = time.perf_counter() - started
    text = report(totals, seeds, elapsed, speed(rules), argv)
    print(text)
    if args.write:
        write(text)
        print(f"-> {DOCS.relative_to(ROOT)}")
    return 0


def speed(rules: Rules) -> float:
    """Values a second the detector reads, over the first corpus's tables."""
    tables = corpus.build_tables()
    values = sum(len(column) for table in tables for column in table.columns.values())
    started = time.perf_counter()
    for table in tables:
        detect.scan_table(table.sample(), rules, group_sizes=table.group_sizes)
    return values / (time.perf_counter() - started)


def report(totals: dict[str, corpus.Score], seeds: list[int], elapsed: float,
           values_per_second: float, argv: list[str]) -> str:
    tables, texts = corpus.build_tables(), corpus.build_texts()
    lines = [
        f"Corpus per seed: {len(tables)} tables ({sum(not t.labels for t in tables)} of "
        f"them look-alikes without personal data) and {len(texts)} texts "
        f"({sum(not t.labels for t in texts)} look-alikes); seeds {seeds[0]}–{seeds[-1]}.",
        "",
        "| category | found (TP) | wrongly found (FP) | missed (FN) | precision | recall |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for code, score in totals.items():
        name = "**all**" if code == "all" else f"`{code}`"
        lines.append(f"| {name} | {score.true_positives} | {score.false_positives} | "
                     f"{score.false_negatives} | {score.precision:.3f} | {score.recall:.3f} |")
    missed = [label for code, score in totals.items() if code != "all"
              for label in score.missed]
    wrong = [label for code, score in totals.items() if code != "all" for label in score.wrong]
    lines += ["", "What was missed and what was wrongly found, by kind of document:", ""]
    lines += _examples("missed", missed) + _examples("wrongly found", wrong)
    if not missed and not wrong:
        lines.append("- nothing")
    command = shlex.join(["benchmarks/privacy.py", *argv])
    lines += ["", f"Run: `.venv/bin/python {command}` on "
              f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC, {elapsed:.1f} s; the detector "
              f"reads about {values_per_second:,.0f} values a second (one core)."]
    return "\n".join(lines)


def _examples(kind: str, labels: list[corpus.Label]) -> list[str]:
    """One line per kind of document and category, with how often (tables are numbered)."""
    counts = Counter((re.sub(r"^\d+ ", "", document), category)
                     for document, _column, category in labels)
    return [f"- {kind}: `{category}` in “{document}” ({count}×)"
            for (document, category), count in counts.items()]


def write(text: str) -> None:
    block = f"{START}\n{text}\n{END}"
    docs = DOCS.read_text(encoding="utf-8")
    pattern = re.compile(re.escape(START) + ".*?" + re.escape(END), re.DOTALL)
    if not pattern.search(docs):
        raise SystemExit(f"{DOCS}: the markers {START} … {END} are missing")
    DOCS.write_text(pattern.sub(lambda _match: block, docs), encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
