#!/usr/bin/env python3
"""Call Tracker benchmark: the Excel cell functions recalculating a big table.

    python bench/cells.py                         # 10k and 100k rows, 3 runs each
    python bench/cells.py --sizes 100k --repeat 5

Excel calls each of the four cell functions (TRACKER_STATUS, TRACKER_DUE,
TRACKER_NEXT_STEP, TRACKER_SUMMARY) with the whole table whenever one of the table's
cells changes, and xlwings' UDF server is one long-lived Python. So this times, in one
process, one recalculation (the four calls, tracker.excel.cells.column) on the table of
bench/data/log-<size>.xlsx as calamine reads it, standing in for xlwings' conversion of
the range (a new copy of the table for each call, not timed):

  first    the first recalculation after the UDF server started
  F9       again, nothing changed
  edit     again, after one row's notes were edited

each twice: as the UDFs run (what the last call worked out kept, cells.Recalc) and with
nothing kept between calls (as before Recalc). Medians of --repeat runs; the answers
of both ways are compared and must be equal.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import datetime

from generate import parse_rows  # bench/ is on sys.path when run as a script
from run import ensure_file, size_label

FUNCTIONS = ("status", "due", "next_action", "summary")
NOW = datetime(2026, 11, 22, 9, 0)


def recalculation(table: list, recalc_of, config) -> tuple[float, list]:
    """Seconds for the four functions on `table`, and their answers."""
    from tracker.excel import cells

    copies = [[list(r) for r in table] for _ in FUNCTIONS]
    started = time.perf_counter()
    answers = [cells.column(rows, what, config=config, now=NOW, recalc=recalc_of())
               for what, rows in zip(FUNCTIONS, copies)]
    return time.perf_counter() - started, answers


def edited(table: list, run: int) -> list:
    """The table with one row's notes changed (another row each run)."""
    header = [str(c) for c in table[0]]
    notes = next(i for i, h in enumerate(header) if h.startswith("Comment"))
    row = 1 + (997 * (run + 1)) % (len(table) - 1)
    out = list(table)
    out[row] = list(out[row])
    out[row][notes] = f"{out[row][notes]}\nNext step: call back ({run})"
    return out


def bench_size(n: int, repeat: int, seed: int) -> dict[str, dict[str, float]]:
    import python_calamine as pc
    from tracker.config import load_config
    from tracker.excel import cells

    wb = pc.load_workbook(str(ensure_file(n, seed, False)))
    table = wb.get_sheet_by_name(wb.sheet_names[0]).to_python()
    config = load_config()
    # Untimed, on the first rows: imports and template compiling, paid once per server
    # start, would otherwise fall on whichever way runs first.
    recalculation(table[:2000], cells.Recalc, config)
    times: dict[str, dict[str, list[float]]] = {w: {"kept": [], "nothing kept": []} for w in ("first", "F9", "edit")}
    for run in range(repeat):
        for way in ("kept", "nothing kept"):
            shared = cells.Recalc()
            recalc_of = (lambda: shared) if way == "kept" else cells.Recalc
            answers = {}
            for when, rows in (("first", table), ("F9", table), ("edit", edited(table, run))):
                seconds, answers[when] = recalculation(rows, recalc_of, config)
                times[when][way].append(seconds)
                print(f"{size_label(n)} run {run + 1} {when:5} {way:12} {seconds:6.2f} s", file=sys.stderr, flush=True)
            if way == "kept":
                kept = answers
            elif answers != kept:
                raise SystemExit("the answers with and without Recalc differ")
    return {when: {way: statistics.median(v) for way, v in ways.items()} for when, ways in times.items()}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    ap.add_argument("--sizes", default="10k,100k", help="comma-separated row counts (default 10k,100k)")
    ap.add_argument("--repeat", type=int, default=3, help="runs; the median is shown (default 3)")
    ap.add_argument("--seed", type=int, default=2026, help="generator seed when a file is made (default 2026)")
    args = ap.parse_args(argv)
    print("| rows | recalculation | kept (s) | nothing kept (s) | ratio |\n|---|---|---|---|---|")
    for n in (parse_rows(s) for s in args.sizes.split(",") if s.strip()):
        for when, ways in bench_size(n, args.repeat, args.seed).items():
            kept, nothing = ways["kept"], ways["nothing kept"]
            print(f"| {size_label(n)} | {when} | {kept:.2f} | {nothing:.2f} | {nothing / kept:.1f}× |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
