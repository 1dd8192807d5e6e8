"""Excel and the terminal on one workbook, the same result (helper h5): a chart beside a
plain log, which the terminal's new columns step over; a kept copy of Chase today whose
header the user edited; a date merged over a day's calls, given to the cell functions."""
from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

import xwfake
from conftest import DEMO_NOW
from test_reader_l5 import keep_a_copy, refreshed_log
from tracker.config import load_config
from tracker.excel import cells, ribbon, udfs
from tracker.excel.book import GridBook, XwBook
from tracker.files import open_book
from tracker.jobs import read
from workbooks import CHARTED_HEADER, charted_log, refreshed_output, rows_book

AS_OF = "2026-11-23T09:00"   # DEMO_NOW, as the terminal is told it
HEADER = CHARTED_HEADER   # A:H
OURS = ["Status", "Due", "Next action", "Summary"]
CHART = (10, 17)   # J:Q, where xlsxwriter draws a chart inserted at J2


def terminal(path: Path, tmp_path: Path) -> tuple[str, dict[str, str]]:
    """What `tracker refresh` of a copy of `path` says, and where it put our columns."""
    copy = tmp_path / "terminal" / path.name
    copy.parent.mkdir(exist_ok=True)
    shutil.copy(path, copy)
    said = refreshed_output(copy, AS_OF)
    ws = openpyxl.load_workbook(copy)["Calls"]
    return said, {c.value: c.column_letter for c in ws[1] if c.value in OURS}


def grid_book(path: Path, **kw) -> GridBook:
    wb = open_book(path)
    return GridBook(sheets={n: wb.grid(n) for n in wb.sheet_names}, path=str(path), **kw)


def placed(header: list) -> dict[str, str]:
    return {v: get_column_letter(i + 1) for i, v in enumerate(header) if v in OURS}


def drawn_line(said: str) -> list[str]:
    return [line for line in said.splitlines() if line.startswith("Our new columns went to")]


# ---------------------------------------------------------------- 1. a chart beside the log

def test_refresh_from_excel_steps_over_a_chart_beside_the_log_and_says_so_as_the_terminal_does(tmp_path):
    path = charted_log(tmp_path / "log.xlsx")
    said, columns = terminal(path, tmp_path)
    assert columns == {"Status": "R", "Due": "S", "Next action": "T", "Summary": "U"}
    book = grid_book(path, active="Calls", drawings={"Calls": [CHART]})
    message = ribbon.dispatch("refresh", book=book, now=DEMO_NOW)
    assert placed(book.sheets["Calls"][0]) == columns, message
    assert "Added columns R (Status), S (Due), T (Next action), U (Summary)." in message
    assert drawn_line(message) == drawn_line(said) and len(drawn_line(message)) == 1
    # Said once, when they are added, as the terminal says it.
    again = ribbon.dispatch("refresh", book=book, now=DEMO_NOW)
    assert again.startswith("Refreshed") and not drawn_line(again), again
    assert placed(book.sheets["Calls"][0]) == columns


@pytest.mark.parametrize("at, scale, drawing, first", [
    ("B8", 0.5, (2, 5), "I"),     # under the log, over its columns only
    ("M2", 1, (13, 20), "I"),     # right of where ours go
    ("B8", 1, (2, 9), "J"),       # under the log, reaching into I: stepped over
])
def test_a_chart_steps_our_columns_on_only_where_it_lies_over_them(tmp_path, at, scale, drawing, first):
    path = charted_log(tmp_path / "log.xlsx", at=at, scale=scale)
    said, columns = terminal(path, tmp_path)
    assert columns["Status"] == first
    book = grid_book(path, active="Calls", drawings={"Calls": [drawing]})
    message = ribbon.dispatch("refresh", book=book, now=DEMO_NOW)
    assert placed(book.sheets["Calls"][0]) == columns, message
    assert drawn_line(message) == drawn_line(said) and bool(drawn_line(said)) == (first == "J")


def test_a_log_kept_as_a_table_gets_our_columns_in_it_under_the_chart_as_in_the_file(tmp_path):
    # The terminal grows the table (its sort and filter take them along) and does not step.
    path = charted_log(tmp_path / "log.xlsx", table=True)
    said, columns = terminal(path, tmp_path)
    assert columns["Status"] == "I" and "in the log's table Table1" in said
    book = grid_book(path, active="Calls", drawings={"Calls": [CHART]},
                     table_boxes={"Calls": open_book(path).tables("Calls")})
    message = ribbon.dispatch("refresh", book=book, now=DEMO_NOW)
    assert placed(book.sheets["Calls"][0]) == columns and not drawn_line(message), message


def _shape(kind: str, first: int, columns: float, shown: bool = False):
    """An xlwings Shape over `columns` columns (the fake's, 48 points wide) from column `first`."""
    return SimpleNamespace(type=kind, left=(first - 1) * xwfake.POINTS_PER_COLUMN,
                           width=columns * xwfake.POINTS_PER_COLUMN, api=SimpleNamespace(Visible=-1 if shown else 0))


def test_excel_is_asked_for_the_columns_under_each_shape():
    sheet = xwfake.Sheet("Calls", rows=[HEADER])
    sheet.shapes = [_shape("chart", 10, 8),          # J:Q, its right edge on R's left: not R
                    _shape("picture", 10, 8.5),      # J:R
                    _shape("chart", 2, 3),           # B:D, over the log only: not asked about
                    _shape("comment", 12, 2),        # a note's box, hidden: shows only while pointed at
                    _shape("comment", 20, 2, shown=True),   # one shown (Review > Show Note)
                    _shape("form_control", 9, 1)]    # a button over I
    book = XwBook(xwfake.book(sheet))
    assert book.drawn_columns("Calls", 8) == [(10, 17), (10, 18), (20, 21), (9, 9)]
    assert book.drawn_columns("Calls") == [(10, 17), (10, 18), (2, 4), (20, 21), (9, 9)]
    del sheet.shapes   # (an object model without shapes: none known)
    assert book.drawn_columns("Calls", 8) == []


def test_refresh_through_xlwings_steps_over_a_chart_where_the_terminal_does(tmp_path):
    from test_ribbon_width_b import in_excel

    path = charted_log(tmp_path / "log.xlsx")
    said, columns = terminal(path, tmp_path)
    book = in_excel(path)
    book.book.sheets["Calls"].shapes = [_shape("chart", *CHART[:1], CHART[1] - CHART[0] + 1)]
    message = ribbon.dispatch("refresh", book=book, now=DEMO_NOW)
    values = book.book.sheets["Calls"].values
    assert {v: get_column_letter(c) for (r, c), v in values.items() if r == 1 and v in OURS} == columns, message
    assert drawn_line(message) == drawn_line(said)


# ---------------------------------------------------------------- 2. a kept copy of ours, its header edited

@pytest.mark.parametrize("marked", [True, False])
@pytest.mark.parametrize("active", ["Chase 19 Nov", "Chase today"])
def test_a_copy_of_chase_today_with_an_edited_header_is_the_log_in_excel_only_where_it_is_in_a_terminal(
        tmp_path, marked, active):
    # Chase today copied with Excel's Move or Copy keeps our page header (`marked`), and the
    # user deleted its Message draft and Row: the terminal passes over it by that mark; the
    # ribbon took it for the log (the sheet clicked on, or the first with a log's header).
    # Without the mark neither door can tell it from a log: the terminal reads it, and so
    # does the ribbon.
    path = refreshed_log(tmp_path / "log.xlsx")
    keep_a_copy(path, marked=marked, drop_last_columns=True)
    log = read(path, load_config()).sheet
    assert log == ("Calls" if marked else "Chase 19 Nov")
    book = grid_book(path, active=active, marked={"Chase 19 Nov"} if marked else set())
    copy = [list(r) for r in book.sheets["Chase 19 Nov"]]
    message = ribbon.dispatch("refresh", book=book, now=datetime(2026, 11, 20, 9))
    assert message.startswith("Refreshed") and f"on {log!r}" in message.splitlines()[0], message
    if marked:
        assert book.sheets["Chase 19 Nov"] == copy   # as it was


def test_excel_tells_a_sheet_of_ours_by_its_page_header():
    ours = xwfake.Sheet("Chase 19 Nov", header="Written by Call Tracker")
    users = xwfake.Sheet("Calls", header="")
    mac = xwfake.Sheet("Notes", header=None)   # Excel for Mac: no page header to read
    book = XwBook(xwfake.book(ours, users, mac))
    assert [book.carries_mark(n) for n in ("Chase 19 Nov", "Calls", "Notes")] == [True, False, False]


# ---------------------------------------------------------------- 3. merged cells in the cell functions

MERGED_ROWS = [["Date", "Call type", "Client", "Contact", "Outcome"],
               [datetime(2026, 11, 16), "Follow-up", "Acme", "Ann", "No answer"],
               [None, "Follow-up", "Bolt", "Bob", "No answer"],       # the 16th too: A2:A4 merged
               [None, "First call", "Cord", "Cid", "Interested"],
               [datetime(2026, 11, 17), "First call", "Dune", "Dan", "Done"]]


def test_a_date_merged_over_a_days_calls_dates_each_of_them_in_the_cell_functions(tmp_path, monkeypatch):
    path = rows_book(tmp_path / "merged.xlsx", MERGED_ROWS, merged=("A2:A4",))
    refreshed_output(path, AS_OF)
    ws = openpyxl.load_workbook(path)["Calls"]
    header = [c.value for c in ws[1]]
    written = {h: [[row[header.index(h)].value] for row in ws.iter_rows(min_row=1, max_row=5)]
               for h in ("Status", "Next action")}
    assert [r[0] for r in written["Status"][1:3]] == ["Overdue"] * 2   # Bob's call dated too: T+1 is past

    # In Excel: the table A1:E5 (only A2 holds the date), or the same two rows and a column on, B3:F7.
    for top, left in ((1, 1), (3, 2)):
        sheet = xwfake.Sheet("Calls", rows=[[None] * (left - 1) + r for r in [[]] * (top - 1) + MERGED_ROWS])
        sheet.merged = [(top + 1, left, top + 3, left)]
        table = sheet.range((top, left), (top + 4, left + 4))
        cells._KEPT.clear()
        assert udfs.TRACKER_STATUS(table, DEMO_NOW) == written["Status"]
        assert udfs.TRACKER_NEXT_STEP(table, DEMO_NOW) == written["Next action"]
    # Four functions, one recalculation: the merges asked about in full once; then one
    # question each (whether merged cells are still there).
    asked = []
    real_api = xwfake.Range.api
    monkeypatch.setattr(xwfake.Range, "api", property(lambda self: asked.append(self.areas) or real_api.fget(self)))
    cells._KEPT.clear()
    udfs.TRACKER_STATUS(table, DEMO_NOW)
    full = len(asked)
    udfs.TRACKER_DUE(table, DEMO_NOW)
    udfs.TRACKER_NEXT_STEP(table, DEMO_NOW)
    udfs.TRACKER_SUMMARY(table)
    assert full > 1 and len(asked) == full + 3
    # The cells unmerged (the values the same): seen at the next recalculation.
    sheet.merged = []
    assert [r[0] for r in udfs.TRACKER_STATUS(table, DEMO_NOW)[1:3]] == ["Overdue", "No next action"]


def test_a_formula_result_given_for_the_table_is_said_to_be_no_cells():
    # xlwings' "range" converter hands None for an array (not cells of a sheet).
    said = udfs.TRACKER_STATUS(None)
    assert said[0][0].startswith("#CallTracker: give the call log as cells of a sheet")
