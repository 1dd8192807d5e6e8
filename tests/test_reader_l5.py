"""Things the reader must not take for the call log or for a call (tester h5): a copy of a
sheet Call Tracker writes kept under another name ("Chase 19 Nov"), and a user's notes
under the log ("Legend:" and a line in another column)."""
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from tracker.cli import main
from tracker.config import load_config
from tracker.errors import WorkbookError
from tracker.jobs import read

AS_OF = "2026-11-20T09:00"
HEADER = ["Date", "Call type", "Client", "Contact", "Outcome", "Next contact", "Comment"]


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def refreshed_log(path: Path) -> Path:
    """A log of three calls, two of them overdue, refreshed: its Chase today lists them."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Calls"
    ws.append(HEADER)
    for day, who in ((10, "John Doe"), (12, "Jane Roe"), (13, "Ivan Petrov")):
        ws.append([datetime(2026, 11, day), "First call", "Acme", who, "Done", datetime(2026, 11, day + 3),
                   "Company Name: Acme"])
    wb.save(path)
    done = run("refresh", path, "--as-of", AS_OF)
    assert done.exit_code == 0 and "on 'Calls'" in done.output, done.output
    return path


def keep_a_copy(path: Path, *, marked: bool = False, drop_last_columns: bool = False,
                note: bool = False) -> dict:
    """Chase today copied as "Chase 19 Nov" and put first, as a user keeps yesterday's
    list; `marked`: with our page header, as Excel's Move or Copy keeps it (openpyxl's
    copy does not); `drop_last_columns`: the user deleted its Message draft and Row;
    `note`: the user added a column of their own after them ("My note")."""
    wb = openpyxl.load_workbook(path)
    copy = wb.copy_worksheet(wb["Chase today"])
    copy.title = "Chase 19 Nov"
    assert [c.value for c in copy[1]][-2:] == ["Message draft", "Row"]
    if drop_last_columns:
        copy.delete_cols(copy.max_column - 1, 2)
    if note:
        column = copy.max_column + 1
        copy.cell(row=1, column=column, value="My note")
        copy.cell(row=2, column=column, value="rang, no answer")
    if marked:
        copy.oddHeader.left.text = "Written by Call Tracker"
        copy.oddHeader.left.size = 8
    wb.move_sheet(copy, offset=-(len(wb.sheetnames) - 1))
    wb.save(path)
    return {c.coordinate: c.value for row in copy.iter_rows() for c in row}


def cells(path: Path, sheet: str) -> dict:
    ws = openpyxl.load_workbook(path)[sheet]
    return {c.coordinate: c.value for row in ws.iter_rows() for c in row}


@pytest.mark.parametrize("marked, drop_last_columns, note", [(False, False, False), (True, True, False),
                                                              (False, False, True)])
def test_a_kept_copy_of_chase_today_is_passed_over_for_the_log(tmp_path, marked, drop_last_columns, note):
    # By its header row (our Message draft and Row, a column of the user's after them or
    # not: a tester's "My note" made it the log), or, its header changed, by the page
    # header a copy keeps. Either way its header names enough of a log's columns.
    path = refreshed_log(tmp_path / "log.xlsx")
    kept = keep_a_copy(path, marked=marked, drop_last_columns=drop_last_columns, note=note)
    assert read(path, load_config()).sheet == "Calls"
    again = run("refresh", path, "--as-of", AS_OF)
    assert again.exit_code == 0 and "on 'Calls'" in again.output, again.output
    assert "also looks like a call log" not in again.output
    assert cells(path, "Chase 19 Nov") == kept


def test_a_copy_put_after_the_log_is_not_said_to_look_like_a_log(tmp_path):
    path = refreshed_log(tmp_path / "log.xlsx")
    wb = openpyxl.load_workbook(path)
    wb.copy_worksheet(wb["Chase today"]).title = "Chase 19 Nov"
    wb.save(path)
    checked = run("check", path)
    assert "3 calls" in checked.output and "also looks like" not in checked.output, checked.output


def test_a_workbook_of_copies_of_our_sheets_has_no_call_log(tmp_path):
    path = refreshed_log(tmp_path / "log.xlsx")
    keep_a_copy(path)
    wb = openpyxl.load_workbook(path)
    del wb["Calls"]
    wb.save(path)
    with pytest.raises(WorkbookError, match='no call log found: the sheet "Chase 19 Nov" is a copy'):
        read(path, load_config())
    checked = run("check", path)
    assert checked.exit_code != 0 and "no call log found" in checked.output + (checked.stderr or "")
    assert "Traceback" not in checked.output


@pytest.mark.parametrize("first", ["ID", "Date"])
def test_notes_under_the_log_are_no_call(tmp_path, first):
    # "Legend:" in the log's first column (an ID column or the date column) with a line in
    # the user's own column beside it, and a line alone further down: nothing of a call.
    header = ["ID", "Date", "Call type", "Client", "Contact", "Next contact", "Comment", "My notes"]
    if first == "Date":
        header = header[1:]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Calls"
    ws.append(header)
    for i, day in enumerate((10, 12, 13), start=1):
        row = [datetime(2026, 11, day), "First call", "Acme", f"Person {i}", datetime(2026, 11, day + 3), "x", ""]
        ws.append([i] + row if first == "ID" else row)
    ws.append([])
    ws.append(["Legend:"] + [None] * (len(header) - 2) + ["red = overdue, amber = due today"])
    ws.append([None] * (len(header) - 1) + ["ask Olga about Q1 targets"])
    ws.append(["--- December ---"])
    wb.save(tmp_path / "log.xlsx")
    log = read(tmp_path / "log.xlsx", load_config())
    assert [r.row for r in log.records] == [2, 3, 4]
    assert not log.problems
    stats = run("stats", tmp_path / "log.xlsx", "--as-of", AS_OF)
    assert "no date" not in stats.output, stats.output
    checked = run("check", tmp_path / "log.xlsx")
    assert "3 calls, 0 problems" in checked.output, checked.output


def test_a_row_of_a_call_without_its_date_is_still_a_call(tmp_path):
    # The rule above takes nothing of a call away: a client, a comment, a mistyped date, a
    # call type we do not know each keep their row, said as before.
    header = ["ID", "Date", "Call type", "Client", "Contact", "Comment", "My notes"]
    rows = [[1, datetime(2026, 11, 10), "First call", "Acme", "John Doe", "x", ""],
            [2, None, None, "Beta", None, None, "called twice"],
            [3, None, None, None, None, "(cont.) asked about relocation", None],
            [4, "31.11.2026", None, None, None, None, "see CRM"],
            [5, None, "Coffee chat", None, None, None, None]]
    wb = openpyxl.Workbook()
    wb.active.append(header)
    for row in rows:
        wb.active.append(row)
    wb.save(tmp_path / "log.xlsx")
    log = read(tmp_path / "log.xlsx", load_config())
    assert [r.row for r in log.records] == [2, 3, 4, 5, 6]
    assert {(p.row, p.column) for p in log.problems if not p.read} >= {(5, "B"), (6, "C")}


def test_a_next_contact_without_its_year_before_its_call_is_said_to_be_logged_late(tmp_path):
    # Up to 31 days before its call, "22.11" is that day, not next year's; the message
    # said "a next contact comes after its call" of a day before it.
    wb = openpyxl.Workbook()
    wb.active.append(["Date", "Call type", "Contact", "Next contact"])
    wb.active.append([datetime(2025, 12, 9), "First call", "John Doe", "22.11"])
    wb.save(tmp_path / "one.xlsx")
    log = read(tmp_path / "one.xlsx", load_config())
    assert log.records[0].next_contact == datetime(2025, 11, 22).date()
    [problem] = log.problems
    assert problem.message == (
        "no year written: read as 2025-11-22, year 2025 assumed from this row's date (2025-12-09): "
        "17 days before it, taken as logged late, not as a year on; write the year if that is wrong")
    wb.active.append([datetime(2025, 12, 10), "First call", "Jane Roe", "24.12"])
    wb.save(tmp_path / "two.xlsx")
    [problem] = read(tmp_path / "two.xlsx", load_config()).problems
    assert "each is the first such day after its call, or up to 31 days before it (logged late)" in problem.message
