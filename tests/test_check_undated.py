"""Check names a call whose date is blank: the statistics leave it out and the follow-ups
count nothing from it; the terminal said so only in `stats`, Check nowhere."""
import json
from datetime import datetime

import pytest
from click.testing import CliRunner

from tracker.cli import main
from workbooks import plain_log

pytestmark = pytest.mark.usefixtures("no_user_config")

HEADER = ("Date", "Call type", "Client", "Contact", "Outcome")


def test_check_names_each_call_without_its_date_once(tmp_path):
    path = plain_log(tmp_path / "calls.xlsx", [
        [datetime(2026, 11, 20), "First call", "Acme", "Ann", "Done"],
        [None, "Follow-up", "Acme", "Ann", "No answer"],          # row 3: no date
        ["31.11.2026", "Follow-up", "Acme", "Bob", "Replied"],    # row 4: a date that is none
        [None, None, None, None, None],                           # a blank row: no call
        [datetime(2026, 11, 21), "Follow-up", "Acme", "Cy", "Replied"],
    ], header=HEADER)
    r = CliRunner().invoke(main, ["check", str(path), "--format", "json"])
    assert r.exit_code == 1, r.output
    problems = json.loads(r.stdout)
    dates = [(p["row"], p["column"]) for p in problems if p["column"] == "A"]
    assert sorted(dates) == [(3, "A"), (4, "A")]   # each once
    blank = next(p for p in problems if p["row"] == 3)
    assert blank["message"].startswith("no date:") and "statistics" in blank["message"]
    assert next(p for p in problems if p["row"] == 4)["message"].startswith("not a date")


def test_a_log_without_a_date_column_is_not_told_so_on_every_row(tmp_path):
    path = plain_log(tmp_path / "calls.xlsx", [["First call", "Acme", "Ann", "Done"]] * 3,
                     header=("Call type", "Client", "Contact", "Outcome"))
    r = CliRunner().invoke(main, ["check", str(path), "--format", "json"])
    assert not [p for p in json.loads(r.stdout or "[]") if p["message"].startswith("no date:")]
