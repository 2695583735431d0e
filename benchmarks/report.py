"""The results: kept as JSON per run size (a later run replaces only the systems it measured),
rendered as a Markdown section of docs/benchmarks.md between markers."""

from __future__ import annotations

import json
import re
from dataclasses import asdict
from pathlib import Path
from typing import Any

from measure import AGGREGATE, COPY_ONLY, EXPORT, INGEST, PAGE, Result, SystemRun

SYSTEMS = {"portal": "our portal", "ckan": "CKAN's way", "datasette": "Datasette"}
PEERS = ("ckan", "datasette")
TASKS = {
    INGEST: "file → queryable",
    COPY_ONLY: "… of which loading the file: the portal's ingestion job; PostgreSQL `COPY`",
    PAGE: "filtered, sorted page of 100 rows, with its total",
    AGGREGATE: "group by district: count, sum, average",
    EXPORT: "full CSV export, streamed to a file",
}


def results_path(results_dir: Path, rows: int) -> Path:
    return results_dir / f"datastore-{rows}.json"


def load(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text()) if path.exists() else {}


def merge(document: dict[str, Any], rows: int, csv_bytes: int, run: SystemRun,
          context: dict[str, Any]) -> dict[str, Any]:
    """Put one system's run into the document of this size (replacing its earlier run)."""
    if document.get("csv_bytes") != csv_bytes:
        document = {"rows": rows, "csv_bytes": csv_bytes, "systems": {}}  # another input
    document["systems"][run.system] = {**context, **asdict(run)}
    return document


def store(path: Path, document: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, ensure_ascii=False, indent=1) + "\n")


def _result(document: dict[str, Any], system: str, task: str) -> Result | None:
    entry = document["systems"].get(system, {}).get("results", {}).get(task)
    return Result(**entry) if entry else None


def seconds_text(value: float) -> str:
    if value < 1:
        return f"{value * 1000:.0f} ms" if value >= 0.01 else f"{value * 1000:.1f} ms"
    return f"{value:.1f} s" if value < 100 else f"{value:.0f} s"


def _cell(result: Result | None) -> str:
    return seconds_text(result.median) if result else "—"


def _ratio(peer: Result | None, portal: Result | None) -> str:
    if peer is None or portal is None or portal.median == 0:
        return "—"
    return f"{peer.median / portal.median:.1f}×"


def table(document: dict[str, Any]) -> str:
    header = ["task", *SYSTEMS.values(), "CKAN / portal", "Datasette / portal"]
    lines = ["| " + " | ".join(header) + " |", "|---" + "|---:" * (len(header) - 1) + "|"]
    for task, title in TASKS.items():
        cells = [_result(document, system, task) for system in SYSTEMS]
        portal = _result(document, "portal", task)
        ratios = [_ratio(_result(document, peer, task), portal) for peer in PEERS]
        lines.append("| " + " | ".join([title, *map(_cell, cells), *ratios]) + " |")
    return "\n".join(lines)


def _answers(document: dict[str, Any]) -> list[str]:
    lines = []
    for task in (INGEST, PAGE, AGGREGATE, EXPORT):
        answers = [f"{SYSTEMS[system]}: {result.answer}" for system in SYSTEMS
                   if (result := _result(document, system, task)) and result.answer]
        if answers:
            lines.append(f"- {TASKS[task]} — " + "; ".join(answers))
    return lines


def _spread(document: dict[str, Any]) -> list[str]:
    lines = []
    for task in (PAGE, AGGREGATE, EXPORT):
        spreads = [f"{SYSTEMS[system]} {seconds_text(min(result.seconds))} – "
                   f"{seconds_text(max(result.seconds))}"
                   for system in SYSTEMS
                   if (result := _result(document, system, task)) and len(result.seconds) > 1]
        if spreads:
            lines.append(f"- {TASKS[task]}: " + "; ".join(spreads))
    return lines


def _runs(document: dict[str, Any]) -> list[str]:
    lines = []
    for system, title in SYSTEMS.items():
        entry = document["systems"].get(system)
        if entry is None:
            lines.append(f"- **{title}**: not measured yet.")
            continue
        machine = entry["machine"]
        runs = {task: len(result["seconds"]) for task, result in entry["results"].items()}
        lines.append(
            f"- **{title}**: `{entry['command']}` on {entry['date']}; {machine['nproc']} "
            f"cores ({machine['cpu']}), {machine['ram']} RAM, {machine['os']}; load average "
            f"{entry['load_before']} before, {entry['load_after']} after; runs per query: "
            f"{runs.get(PAGE, 0)} (after one warm-up), export {runs.get(EXPORT, 0)}, "
            f"file → queryable {runs.get(INGEST, 0)}"
            + (f", loading {runs[COPY_ONLY]}." if runs.get(COPY_ONLY) else "."))
        versions = ", ".join(f"{name} {value}" for name, value in entry["versions"].items())
        if versions:
            lines.append(f"  Versions: {versions}.")
        lines.extend(f"  {note}." for note in entry["notes"])
    return lines


def _steps(document: dict[str, Any]) -> list[str]:
    lines = []
    for system, title in SYSTEMS.items():
        result = _result(document, system, INGEST)
        if result and result.steps:
            steps = ", ".join(f"{name} {seconds_text(value)}"
                              for name, value in result.steps.items())
            lines.append(f"- {title}: {steps}")
        memory = document["systems"].get(system, {}).get("memory", {})
        for label, mib in memory.items():
            lines.append(f"- {title}: peak RSS of `portal datastore ingest --sync` on the {label}: "
                         f"{mib:,.0f} MiB")
    return lines


def section(document: dict[str, Any]) -> str:
    rows, size = document["rows"], document["csv_bytes"] / 2**20
    parts = [
        f"### {rows:,} rows ({size:,.0f} MiB of CSV)",
        "",
        "Medians; ratios are the peer's median divided by the portal's (above 1: the portal "
        "is faster). Loading is timed as many times as the run says; CKAN's whole XLoader "
        "job and Datasette's load once.",
        "",
        table(document),
        "",
        "Runs:",
        "",
        *_runs(document),
        "",
        "Fastest and slowest runs:",
        "",
        *_spread(document),
        "",
        "Ingestion steps and memory:",
        "",
        *_steps(document),
        "",
        "What each system answered (they should agree):",
        "",
        *_answers(document),
    ]
    return "\n".join(parts)


def _markers(rows: int) -> tuple[str, str]:
    return (f"<!-- datastore benchmark rows={rows}: written by benchmarks/datastore.py -->",
            f"<!-- end of datastore benchmark rows={rows} -->")


def write_docs(docs: Path, document: dict[str, Any]) -> None:
    """Replace this size's section between its markers, or add it at the end."""
    start, end = _markers(document["rows"])
    block = f"{start}\n{section(document)}\n{end}"
    text = docs.read_text() if docs.exists() else "# Benchmarks\n"
    pattern = re.compile(re.escape(start) + ".*?" + re.escape(end), re.DOTALL)
    if pattern.search(text):
        text = pattern.sub(lambda _: block, text)
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    docs.write_text(text)
