"""The statistics order a day's rows as the follow-ups do, whatever the run."""
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# One day, three people, each with a timed row and, below it, a row without a time (logged
# after it: it takes that time). Z's 11:00 row is written above the others.
PROBE = """
import json
from datetime import date, time
from tracker.stats import _date_order
d = date(2026, 11, 20)
threads = ["z", "x", "x", "y", "y", "z"]
times = [time(11), time(10), None, time(10, 45), None, None]
order, in_order, taken = _date_order([d] * 6, times, ["Log"] * 6, [2, 3, 4, 5, 6, 7], list(range(6)),
                                     threads, [""] * 6, frozenset(), None)
print(json.dumps(order))
"""


def test_a_days_rows_without_a_time_follow_their_threads_row_in_every_run():
    # The threads' order came from a set: it changed with Python's string hashing from one
    # run to the next, and with it the order (and, on the 100k log, a chase counted).
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    seen = set()
    for seed in range(12):
        out = subprocess.run([sys.executable, "-c", PROBE], env={**env, "PYTHONHASHSEED": str(seed)},
                             capture_output=True, text=True, check=True, cwd=ROOT).stdout
        seen.add(tuple(json.loads(out)))
    # x at 10:00 and its row after it, y at 10:45 and its row, z at 11:00 and its row.
    assert seen == {(1, 2, 3, 4, 0, 5)}
