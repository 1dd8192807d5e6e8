"""Two columns of one field (two "Comment", "Date" twice): on each row the first of them
that holds a value is read, and `check` says once per extra column what it reads."""
import json
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from tracker.cli import main

pytestmark = pytest.mark.usefixtures("no_user_config")

AS_OF = "2026-12-06T09:00"


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def doubled_log(path: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Calls"
    ws.append(["Date", "Call type", "Contact", "Comment", "Next contact", "Comment", "Date"])
    # Ann's comment is in the second Comment column only: its Next Contact Date counts.
    ws.append([date(2026, 12, 1), "First call", "Ann", "", None, "Next Contact Date: 10.12.2026", None])
    # Bob's date is in the second Date column only; both Comments hold one: the first's.
    ws.append([None, "First call", "Bob", "hello", date(2026, 12, 3), "other", date(2026, 12, 2)])
    # Both Dates hold the same day: nothing to say about it.
    ws.append([date(2026, 12, 2), "First call", "Cy", "x", date(2026, 12, 3), "", date(2026, 12, 2)])
    wb.save(path)
    return path


def test_the_first_non_blank_of_two_columns_of_one_field_is_read(tmp_path):
    path = doubled_log(tmp_path / "calls.xlsx")
    r = run("overdue", path, "--as-of", AS_OF, "--all", "--format", "json")
    assert r.exit_code == 0, r.output
    rows = {item["row"]: (item["status"], item["due"][:10]) for item in json.loads(r.stdout)}
    assert rows == {2: ("upcoming", "2026-12-10"), 3: ("overdue", "2026-12-03"), 4: ("overdue", "2026-12-03")}

    r = run("check", path, "--format", "json")
    assert r.exit_code == 1
    problems = json.loads(r.stdout)
    # One line per extra column, no "not a date" or "no date" on Bob's row.
    assert [(p["row"], p["column"], p["value"]) for p in problems] == [(1, "F", "Comment"), (1, "G", "Date")]
    notes, dates = (p["message"] for p in problems)
    assert notes.startswith('duplicate column for "notes": column D is used, or this one on a row where D is blank')
    assert "(1 row holds a different value in both: D's is read)" in notes
    assert "different value" not in dates and all(p["read"] for p in problems)


def test_our_written_columns_twice_keep_the_first(tmp_path):
    # Refresh writes the first Status: a second is one of the user's columns, never read into ours.
    path = tmp_path / "twice.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Date", "Call type", "Contact", "Status", "Status"])
    ws.append([date(2026, 12, 1), "First call", "Ann", "", "Done"])
    wb.save(path)
    problems = json.loads(run("check", path, "--format", "json").stdout)
    assert [(p["column"], p["read"]) for p in problems] == [("E", False)]
    assert "column D is used, this one is kept as an extra column" in problems[0]["message"]
