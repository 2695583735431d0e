"""Benchmark of the datastore against CKAN's way (XLoader + DataStore on PostgreSQL) and Datasette.

    .venv/bin/python benchmarks/datastore.py --rows 1000000 [--rows 10000000] [--repeat 5]
        [--only portal,ckan,datasette]

For each size: generate (and cache) a CSV, then for each system measure the time from the file
to a queryable table, a filtered sorted page of 100 rows with its total, a group-by aggregate
and a full CSV export. Prints a Markdown table and writes it to docs/benchmarks.md; the raw
numbers go to benchmarks/results/. See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import shlex
import shutil
import sys
import time
from pathlib import Path
from typing import Any

import gen_csv
import peer_ckan
import peer_datasette
import report
import target_portal
from measure import SystemRun, load_average, machine

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DATA_DIR = HERE / "data"
RESULTS_DIR = HERE / "results"
DOCS = ROOT / "docs" / "benchmarks.md"
SYSTEMS = ("portal", "ckan", "datasette")


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, action="append",
                        help="rows of the generated CSV; repeat for several sizes "
                             "(default: 1000000)")
    parser.add_argument("--repeat", type=int, default=5,
                        help="runs of each query after one warm-up (default: 5)")
    parser.add_argument("--export-repeat", type=int,
                        help="runs of the full export (default: --repeat)")
    parser.add_argument("--ingest-repeat", type=int, default=3,
                        help="loads of the CSV timed: the portal's uploads and ingestions, "
                             "PostgreSQL's COPY alone (CKAN's whole XLoader job and Datasette's "
                             "load run once; default: 3)")
    parser.add_argument("--only", default=",".join(SYSTEMS),
                        help="systems to measure, comma-separated (default: all three)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the generated data")
    parser.add_argument("--memory-gib", type=float, default=1.0,
                        help="also measure the portal's ingestion memory on a CSV of about this "
                             "size (0: only on the benchmark CSV; default: 1)")
    parser.add_argument("--no-write", action="store_true",
                        help="print the table; write neither benchmarks/results/ nor "
                             "docs/benchmarks.md (for trying the script out)")
    parser.add_argument("--render", action="store_true",
                        help="only rewrite docs/benchmarks.md from benchmarks/results/ and stop")
    parser.add_argument("--keep", action="store_true",
                        help="keep the bench_ckan database and the SQLite file afterwards")
    args = parser.parse_args(argv)
    args.rows = args.rows or [1_000_000]
    args.only = [name.strip() for name in args.only.split(",") if name.strip()]
    unknown = set(args.only) - set(SYSTEMS)
    if unknown:
        parser.error(f"unknown system(s): {', '.join(sorted(unknown))}; "
                     f"choose among {', '.join(SYSTEMS)}")
    if min(args.repeat, args.ingest_repeat) < 1 or any(rows < 1 for rows in args.rows):
        parser.error("--repeat, --ingest-repeat and --rows must be positive")
    return args


def csv_for(rows: int, seed: int) -> Path:
    path = gen_csv.csv_path(DATA_DIR, rows, seed)
    if not path.exists():
        start = time.perf_counter()
        gen_csv.generate(path, rows, seed)
        print(f"generated {path.relative_to(ROOT)} ({path.stat().st_size / 2**20:,.0f} MiB) "
              f"in {time.perf_counter() - start:.1f} s", flush=True)
    return path


def measure_system(system: str, csv: Path, rows: int, args: argparse.Namespace,
                   scratch: Path) -> SystemRun:
    times = args.repeat
    export_times = args.export_repeat or args.repeat
    if system == "ckan":
        return peer_ckan.run(csv, times, scratch, export_times, args.keep, args.ingest_repeat)
    if system == "datasette":
        return peer_datasette.run(csv, times, scratch, export_times, args.keep)
    memory_rows = target_portal.rows_for_size(csv, rows, args.memory_gib)
    if args.memory_gib <= 0 or memory_rows <= rows * 1.1:
        return target_portal.run(csv, times, scratch, export_times, args.ingest_repeat)
    return target_portal.run(csv, times, scratch, export_times, args.ingest_repeat,
                             lambda: csv_for(memory_rows, args.seed))


def run_size(rows: int, args: argparse.Namespace, command: str) -> str:
    csv = csv_for(rows, args.seed)
    scratch = DATA_DIR / f"scratch-{rows}"
    document: dict[str, Any] = {}
    for system in SYSTEMS:
        if system not in args.only:
            continue
        print(f"{rows:,} rows: {system}", flush=True)
        shutil.rmtree(scratch, ignore_errors=True)
        scratch.mkdir(parents=True)
        context = {"command": command, "machine": machine(), "load_before": load_average(),
                   "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")}
        try:
            run = measure_system(system, csv, rows, args, scratch)
        finally:
            if not args.keep:
                shutil.rmtree(scratch, ignore_errors=True)
        context["load_after"] = load_average()
        if not run.results:
            print(f"  {system}: nothing measured; " + "; ".join(run.notes), flush=True)
            continue
        path = report.results_path(RESULTS_DIR, rows)
        document = report.merge(document or report.load(path), rows, csv.stat().st_size,
                                run, context)
        if not args.no_write:
            report.store(path, document)
    if not document:
        return ""
    if not args.no_write:
        report.write_docs(DOCS, document)
    return report.section(document)


def render() -> int:
    for path in sorted(RESULTS_DIR.glob("datastore-*.json"),
                       key=lambda path: int(path.stem.split("-")[1])):
        report.write_docs(DOCS, report.load(path))
        print(f"{path.relative_to(ROOT)} -> {DOCS.relative_to(ROOT)}")
    return 0


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    if args.render:
        return render()
    command = ".venv/bin/python benchmarks/datastore.py " + shlex.join(argv)
    sections: list[str] = []
    for rows in args.rows:
        sections.append(run_size(rows, args, command.strip()))
    print("\n\n".join(section for section in sections if section))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
