"""Next contact words not read before: a date after a lead word ("call back 10.12",
"by 25.12", "pending 03.12", "this Friday": phrases `next_lead`), and "через месяц" /
"in a month" (phrases `in_months`): each from its row's date."""
import json
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from tracker.cli import main

pytestmark = pytest.mark.usefixtures("no_user_config")

AS_OF = "2026-12-06T09:00"   # a Sunday


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def log_with(path: Path, rows: list[list]) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Calls"
    ws.append(["Date", "Call type", "Contact", "Outcome", "Next contact"])
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def due_dates(path: Path) -> dict[str, tuple[str, str]]:
    r = run("overdue", path, "--as-of", AS_OF, "--all", "--format", "json")
    assert r.exit_code == 0, r.output
    return {item["who"]: (item["status"], (item["due"] or "")[:10]) for item in json.loads(r.stdout)}


def test_a_date_after_a_lead_word_is_read_from_its_row(tmp_path):
    path = log_with(tmp_path / "calls.xlsx", [
        [date(2026, 12, 1), "First call", "Ann", "Done", "by 25.12"],
        [date(2026, 12, 1), "First call", "Bob", "Done", "pending 03.12"],
        [date(2026, 12, 2), "First call", "Cy", "Done", "this Friday"],    # a Wednesday: the 4th
        [date(2026, 12, 2), "First call", "Dan", "Done", "call back 10.12"],
        [date(2026, 12, 2), "First call", "Eva", "Done", "by email"],      # a plan, no date
    ])
    assert due_dates(path) == {
        "Ann": ("upcoming", "2026-12-25"), "Bob": ("overdue", "2026-12-03"),
        "Cy": ("overdue", "2026-12-04"), "Dan": ("upcoming", "2026-12-10"), "Eva": ("no_next_action", "")}
    r = run("check", path, "--format", "json")
    messages = [p["message"] for p in json.loads(r.stdout)]
    assert not any(m.startswith("not a date") for m in messages), messages
    assert all(p["read"] for p in json.loads(r.stdout))   # only "read as" notes to look at


def test_in_a_month_is_that_day_of_the_next_month(tmp_path):
    path = log_with(tmp_path / "calls.xlsx", [
        [date(2026, 11, 6), "First call", "Ann", "Done", "через месяц"],
        [date(2026, 10, 31), "First call", "Bob", "Done", "in a month"],   # no 31 November: the 30th
        [date(2026, 10, 10), "First call", "Cy", "Done", "in 2 months"],
        [date(2026, 11, 20), "First call", "Dan", "Done", "через месяц в 15:00"],
    ])
    assert due_dates(path) == {
        "Ann": ("due_today", "2026-12-06"), "Bob": ("overdue", "2026-11-30"),
        "Cy": ("upcoming", "2026-12-10"), "Dan": ("upcoming", "2026-12-20")}
    r = run("check", path, "--format", "json")
    said = {p["value"]: p["message"] for p in json.loads(r.stdout)}
    assert "a month after this row's call (2026-10-31)" in said["in a month"]
    assert "2 months after this row's call" in said["in 2 months"]


def test_a_date_after_a_lead_word_in_a_first_calls_notes_is_its_next_contact(tmp_path):
    # `check` reads the notes' Next Contact Date as the Next contact column: so do the
    # follow-ups, or the row would have no next action without a word said.
    path = tmp_path / "notes.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Date", "Call type", "Contact", "Outcome", "Next contact", "Comment"])
    ws.append([date(2026, 12, 1), "First call", "Ann", "Done", None,
               "Company Name: Acme\nNext Contact Date: call back 10.12\nSM: Kate"])
    ws.append([date(2026, 12, 1), "First call", "Bob", "Done", None,
               "Company Name: Beta\nNext Contact Date: call back 2026-12-04\nSM: Kate"])
    wb.save(path)
    assert due_dates(path) == {"Ann": ("upcoming", "2026-12-10"), "Bob": ("overdue", "2026-12-04")}
    r = run("check", path, "--format", "json")
    assert r.exit_code == 0, r.output
