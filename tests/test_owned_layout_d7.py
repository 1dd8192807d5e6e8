"""Our Status and Due stay ours when the user changes the layout around them (deletes our
Summary or Next action, puts a column of theirs between two of ours, renames or moves one)
and types over the Status of some open calls: found by a tester, whose next refresh added a
second Status and Due "(Call Tracker)" beside. A user's own Status and Due stay theirs."""
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from tracker.cli import main
from workbooks import plain_log

AS_OF = "2026-11-20T09:00"
D = datetime
BASE = ["Date", "Call type", "Client", "Contact", "Outcome", "Next contact", "Comment"]
CALLS = [
    [D(2026, 11, 16, 10), "First call", "Acme", "John Smith", "Done", D(2026, 11, 19), "ok"],
    [D(2026, 11, 17, 11), "Interview", "Globex", "Mary Li", "Planned", D(2026, 11, 21), "ok"],
    [D(2026, 11, 18, 12), "Follow-up", "Initech", "Bob Ray", "No answer", D(2026, 11, 20), "ok"],
]
OURS = ["Status", "Due", "Next action", "Summary"]


def refresh(path: Path):
    r = CliRunner().invoke(main, ["refresh", str(path), "--as-of", AS_OF], catch_exceptions=False)
    assert r.exit_code == 0, r.output
    return r


def header(path: Path) -> list:
    return [c.value for c in openpyxl.load_workbook(path)["Calls"][1]]


def column(path: Path, name: str) -> list:
    ws = openpyxl.load_workbook(path)["Calls"]
    c = header(path).index(name) + 1
    return [ws.cell(row=r, column=c).value for r in range(2, ws.max_row + 1)]


def at(ws, name: str) -> int:
    return [c.value for c in ws[1]].index(name) + 1


def move(ws, name: str, to: int) -> None:
    """Cut column `name` and insert it before column `to` (as numbered before the cut)."""
    src = at(ws, name)
    values = [ws.cell(row=r, column=src).value for r in range(1, ws.max_row + 1)]
    ws.delete_cols(src)
    to = to - 1 if to > src else to
    ws.insert_cols(to)
    for r, v in enumerate(values, 1):
        ws.cell(row=r, column=to, value=v)


def insert_before(ws, name: str, theirs: str) -> None:
    c = at(ws, name)
    ws.insert_cols(c)
    ws.cell(row=1, column=c, value=theirs)
    ws.cell(row=3, column=c, value="call back after lunch")


LAYOUTS = {
    "summary deleted": lambda ws: ws.delete_cols(at(ws, "Summary")),
    "next action deleted": lambda ws: ws.delete_cols(at(ws, "Next action")),
    "their column between next action and summary": lambda ws: insert_before(ws, "Summary", "My notes"),
    "their column between status and due": lambda ws: insert_before(ws, "Due", "Priority"),
    "summary renamed": lambda ws: setattr(ws.cell(row=1, column=at(ws, "Summary")), "value", "Notes for SM"),
    "summary moved before status": lambda ws: move(ws, "Summary", at(ws, "Status")),
    "status moved to the front": lambda ws: move(ws, "Status", 1),
}


@pytest.mark.parametrize("typed", ["Done", "Готово", "called"])
@pytest.mark.parametrize("layout", list(LAYOUTS))
def test_our_status_and_due_stay_ours_after_a_layout_change_and_words_typed_over_open_calls(tmp_path, layout,
                                                                                             typed):
    path = plain_log(tmp_path / "calls.xlsx", CALLS, BASE)
    refresh(path)
    assert header(path) == BASE + OURS
    written = column(path, "Status")
    assert written == ["Overdue", "Upcoming", "Due today"]
    wb = openpyxl.load_workbook(path)
    ws = wb["Calls"]
    LAYOUTS[layout](ws)
    for row in (2, 4):   # the calls handled today, over Overdue and Due today, beside our due dates
        ws.cell(row=row, column=at(ws, "Status"), value=typed)
    wb.save(path)

    again = refresh(path)
    after = header(path)
    assert after.count("Status") == 1 and after.count("Due") == 1, after
    assert not any("(Call Tracker)" in str(h) for h in after), after
    assert "Call Tracker)" not in again.stderr, again.stderr
    assert column(path, "Status") == written   # written again over what was typed


def test_done_typed_over_the_demos_open_calls_with_its_summary_deleted_keeps_our_columns(tmp_path):
    # The tester's case: the demo log (217 calls, 18 with a due date), its Summary deleted,
    # "Done" typed over two Overdue calls.
    runner = CliRunner()
    folder = tmp_path / "demo"
    assert runner.invoke(main, ["demo", str(folder), "--as-of", AS_OF], catch_exceptions=False).exit_code == 0
    path = next(folder.glob("*.xlsx"))
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    status = at(ws, "Status")
    ws.delete_cols(at(ws, "Summary"))
    overdue = [r for r in range(2, ws.max_row + 1) if ws.cell(row=r, column=status).value == "Overdue"][:2]
    assert len(overdue) == 2
    for r in overdue:
        ws.cell(row=r, column=status, value="Done")
    wb.save(path)
    refresh(path)
    ws = openpyxl.load_workbook(path).worksheets[0]
    after = [c.value for c in ws[1]]
    assert after.count("Status") == 1 and after.count("Due") == 1, after
    assert not any("(Call Tracker)" in str(h) for h in after), after
    assert [ws.cell(row=r, column=status).value for r in overdue] == ["Overdue", "Overdue"]


@pytest.mark.parametrize("status", [
    ["Done", None, "Done"],
    ["Done", "Done", "Done"],
    ["hot lead", "Done", "waiting for CV"],
])
def test_a_users_status_and_their_deadlines_a_column_apart_stay_theirs(tmp_path, status):
    # Their Due is not beside their Status: still their Done marks (or words) and their
    # own deadlines, none of them a date refresh works out for the call.
    dues = [D(2026, 12, 31), D(2027, 1, 15), D(2027, 2, 1)]
    path = plain_log(tmp_path / "calls.xlsx", [c + [s, "x", d] for c, s, d in zip(CALLS, status, dues)],
                     BASE + ["Status", "Priority", "Due"])
    for _ in range(2):
        refresh(path)
        assert header(path) == BASE + ["Status", "Priority", "Due", "Status (Call Tracker)", "Due (Call Tracker)",
                                       "Next action", "Summary"]
        assert column(path, "Status") == status and column(path, "Due") == dues
        assert column(path, "Status (Call Tracker)") == ["Overdue", "Upcoming", "Due today"]
