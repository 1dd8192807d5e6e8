"""The four columns refresh writes (Status, Due, Next action, Summary) stay ours once
written, a few cells typed over or not; a user's own column of such a name stays theirs."""
import re
from datetime import date, datetime, time
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from openpyxl.worksheet.table import Table, TableStyleInfo

from tracker.cli import main

AS_OF = "2026-11-25T09:00"
SHEET = "Calls 2026"
HEADER = ["Date", "Time", "Call type", "Client", "Contact", "Candidates", "Outcome", "Next contact", "SM", "Comment"]
CALLS = [
    [date(2026, 11, 16), time(10, 0), "First call", "Acme", "John Doe", "", "No answer", None, "Kate", ""],
    [date(2026, 11, 17), None, "Follow-up", "Acme", "John Doe", "", "", None, "Kate", ""],
    [date(2026, 11, 19), None, "Follow-up", "Acme", "John Doe", "", "No answer", None, "Kate", ""],
    [date(2026, 11, 20), time(9, 0), "Report sent", "Zeta", "Mary Poppins", "Anna Li (E123)", "", None, "Kate", ""],
    [date(2026, 11, 26), time(14, 0), "Interview", "Zeta", "Mary Poppins", "Anna Li (E123); Ivan Petrov (E77)",
     "Planned", None, "Bob", ""],
    [date(2026, 11, 23), time(16, 0), "Repeat call", "Omega", "Tom", "Sam Roe", "Cancelled", None, "Bob", ""],
    [date(2026, 11, 24), time(12, 0), "First call", "Delta", "Eve", "", "Done", None, "Bob",
     "Company Name: Delta\nNext Contact Date: 27.11.2026"],
]
OURS = ["Status", "Due", "Next action", "Summary"]


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def refresh(path: Path):
    r = run("refresh", path, "--as-of", AS_OF)
    assert r.exit_code == 0, r.output
    return r


def english_log(path: Path) -> Path:
    """An English call log in an Excel table, as a consultant keeps one."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = SHEET
    ws.append(HEADER)
    for call in CALLS:
        ws.append(call)
    table = Table(displayName="Calls", ref=f"A1:J{1 + len(CALLS)}")
    table.tableStyleInfo = TableStyleInfo(name="TableStyleMedium9", showRowStripes=True)
    ws.add_table(table)
    wb.save(path)
    return path


def sheet(path: Path):
    return openpyxl.load_workbook(path)[SHEET]


def columns(ws) -> dict[str, str]:
    """header -> column letter, of the header row."""
    return {c.value: c.column_letter for c in ws[1] if c.value is not None}


def colour_columns(ws) -> set[str]:
    """The columns our colour rules read (their $L2 / $M2 references)."""
    return {m for cf in ws.conditional_formatting for rule in cf.rules for f in rule.formula
            for m in re.findall(r"\$([A-Z]+)\d+", f)}


def edit(path: Path, cells: dict[str, object]) -> None:
    wb = openpyxl.load_workbook(path)
    for ref, value in cells.items():
        wb[SHEET][ref] = value
    wb.save(path)


@pytest.mark.parametrize("typed_over", [
    ["Status"], ["Due"], ["Next action"], ["Summary"], OURS,
])
def test_our_columns_typed_over_in_a_few_cells_stay_ours_and_are_written_again(tmp_path, typed_over):
    # Found by a tester: "my edit" typed into one Status cell made the next refresh take
    # Status for the user's own column and add "Status (Call Tracker)" and "Due (Call
    # Tracker)" beside it: the old columns kept stale values for ever, rows added later
    # were blank there, and the colour rules moved while Next action and Summary stayed.
    path = english_log(tmp_path / "calls.xlsx")
    first = refresh(path)
    assert "Added columns K (Status), L (Due), M (Next action), N (Summary)." in first.stderr, first.stderr
    ws = sheet(path)
    letters = columns(ws)
    assert colour_columns(ws) == {letters["Status"], letters["Due"]}
    written = {h: [c.value for c in ws[letters[h]][1:]] for h in OURS}
    # Row 4's call is overdue: it has a value in all four columns.
    assert all(written[h][2] is not None for h in OURS), written
    edit(path, {f"{letters[h]}4": "my edit" for h in typed_over})

    again = refresh(path)
    assert "Added column" not in again.stderr and "Call Tracker)" not in again.stderr, again.stderr
    ws = sheet(path)
    assert columns(ws) == letters and not any("(Call Tracker)" in str(c.value) for c in ws[1])
    for h in OURS:   # the typed-over cells hold our values again, the others are as they were
        assert [c.value for c in ws[letters[h]][1:]] == written[h], h
    assert colour_columns(ws) == {letters["Status"], letters["Due"]}


def test_a_call_added_after_a_cell_was_typed_over_gets_its_status_in_our_columns(tmp_path):
    path = english_log(tmp_path / "calls.xlsx")
    refresh(path)
    letters = columns(sheet(path))
    wb = openpyxl.load_workbook(path)
    ws = wb[SHEET]
    ws[f"{letters['Status']}3"] = "called him twice"
    ws[f"{letters['Due']}5"] = "ask Kate"
    ws.append([date(2026, 11, 24), time(11, 0), "First call", "Sigma", "Ken", "", "No answer", None, "Kate", ""])
    ws.tables["Calls"].ref = f"A1:{letters['Summary']}{ws.max_row}"
    wb.save(path)

    refresh(path)
    ws = sheet(path)
    assert columns(ws) == letters
    new = {h: ws[f"{letters[h]}{ws.max_row}"].value for h in OURS}
    # No answer on the 24th: the light message (T+1) is due on the day of the refresh.
    assert new["Status"] == "Due today" and new["Due"] == datetime(2026, 11, 25, 0, 0), new
    assert new["Next action"].startswith("SMS: ")
    assert new["Summary"].startswith("Company Name: Sigma")
    assert ws[f"{letters['Status']}3"].value == "Done" and ws[f"{letters['Due']}5"].value is None


@pytest.mark.parametrize("theirs", [
    ["hot lead", "Done", "waiting for CV", "Done", "offer stage", "hot lead", "cold"],
    ["Done", "hot lead", "cold", None, None, None, None],
    ["Done", "Done", "Done", "Done", "hot lead", "cold", "Done"],   # (mostly ours, and still theirs)
    ["Done", "Done", "Done", "Done", "Done", "Waiting for client", "Done"],   # (one word of theirs)
])
def test_a_users_own_status_column_with_their_words_gets_ours_beside_it(tmp_path, theirs):
    # Some of their words are ours ("Done"): the column is still theirs, and stays so.
    path = tmp_path / "own.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = SHEET
    ws.append(HEADER + ["Status"])
    for call, status in zip(CALLS, theirs):
        ws.append(call + [status])
    wb.save(path)
    for _ in range(2):   # and the next refresh finds ours beside theirs, and keeps to it
        refresh(path)
        ws = sheet(path)
        assert [c.value for c in ws[1]] == HEADER + ["Status", "Status (Call Tracker)"] + OURS[1:]
        assert [c.value for c in ws["K"][1:]] == theirs
        assert [c.value for c in ws["L"][1:]][:3] == ["Done", "Done", "Overdue"]
        assert colour_columns(ws) == {"L", "M"}
