"""A log kept as an Excel table gets our columns in the table from Excel as from the
terminal: only the rows ours are written in count (the table's, and a call's typed below
it). A total, note or drop-down of the user's under the table stays where it is and the
table grows past it; a cell, note or drop-down of theirs right of the table in those rows
is refused, in the file writer's words (writeback._join_table), before anything is written."""
from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace

import openpyxl
import pytest
from click.testing import CliRunner
from openpyxl.comments import Comment
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.table import Table

from conftest import DEMO_NOW
from test_ribbon_width_b import in_excel
from tracker.cli import main
from tracker.excel import ribbon
from tracker.excel.book import GridBook
from tracker.files import open_book

AS_OF = "2026-11-23T09:00"   # DEMO_NOW, as the terminal is told it
HEADER = ["Date", "Call type", "Client", "Contact", "Outcome", "Next contact", "SM", "Comment on the call",
          "Extra", "Notes"]   # A:J
OURS = ["Status", "Due", "Next action", "Summary"]
TABLE = "CallLog"   # A1:J9: eight calls


def table_log(path: Path, *marks: str, below: bool = False) -> Path:
    """A log kept as the Excel table CallLog (A1:J9), with "Total" in K10 under it, right
    of its last column; `below`: a ninth call typed in row 10 under the table (its total
    then in K12). Each of `marks` adds something of the user's: "K3" a value, "L3=note" a
    note, "M2:M4=dv" a drop-down, "K3:L3=merged" merged cells, "M4=link" a link."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Calls"
    ws.append(HEADER)
    for r in range(1, 9):
        ws.append([datetime(2026, 11, 15 + r), "First call", f"C{r}", f"P{r}", "Done", datetime(2026, 11, 20 + r),
                   "Tom", "", "", ""])
    ws.add_table(Table(displayName=TABLE, ref="A1:J9"))
    if below:
        ws.append([datetime(2026, 11, 25), "First call", "C9", "P9", "Done", datetime(2026, 11, 30), "Tom"])
    ws["K12" if below else "K10"] = "Total"
    for mark in marks:
        ref, _, kind = mark.partition("=")
        if kind == "note":
            ws[ref].comment = Comment("mine", "me")
        elif kind == "dv":
            dv = DataValidation(type="list", formula1='"yes,no"')
            dv.add(ref)
            ws.add_data_validation(dv)
        elif kind == "merged":
            ws.merge_cells(ref)
        elif kind == "link":
            ws[ref] = "site"
            ws[ref].hyperlink = "https://example.com"
        else:
            ws[ref] = kind or "mine"
    wb.save(path)
    return path


def terminal(path: Path, tmp_path: Path) -> tuple[int, str, dict[str, str]]:
    """`tracker refresh` of a copy of `path`: its exit code, what it said (the refusal
    without the file's name), and where our columns went."""
    copy = tmp_path / "terminal" / path.name
    copy.parent.mkdir(exist_ok=True)
    shutil.copy(path, copy)
    result = CliRunner().invoke(main, ["refresh", str(copy), "--as-of", AS_OF])
    ws = openpyxl.load_workbook(copy)["Calls"]
    return result.exit_code, result.output.replace(f"{copy}: ", ""), placed([c.value for c in ws[1]])


def placed(header: list) -> dict[str, str]:
    return {v: get_column_letter(i + 1) for i, v in enumerate(header) if v in OURS}


def grid_book(path: Path) -> GridBook:
    """The workbook as the ribbon's tests read Excel: its values and its tables."""
    wb = open_book(path)
    tables = {TABLE: t.ref for t in openpyxl.load_workbook(path)["Calls"].tables.values()}
    return GridBook(sheets={n: wb.grid(n) for n in wb.sheet_names}, path=str(path), active="Calls",
                    table_boxes={"Calls": wb.tables("Calls")}, table_titles={"Calls": list(tables)})


def with_table(book, name: str = TABLE, rows: int = 9, columns: int = 10):
    """`book` (in_excel's) with the log's table A1:J9 as xlwings gives it (a ListObject)."""
    rng = SimpleNamespace(row=1, column=1, rows=SimpleNamespace(count=rows), columns=SimpleNamespace(count=columns))
    book.book.sheets["Calls"].tables = [SimpleNamespace(range=rng, show_totals=False, name=name)]
    return book


# ---------------------------------------------------------------- what is under the table stays

@pytest.mark.parametrize("below", [False, True])
def test_a_total_under_the_table_leaves_ours_in_the_table_from_excel_as_from_the_terminal(tmp_path, below):
    path = table_log(tmp_path / "log.xlsx", below=below)
    code, said, columns = terminal(path, tmp_path)
    assert code == 0 and columns == {"Status": "K", "Due": "L", "Next action": "M", "Summary": "N"}, said
    book = grid_book(path)
    message = ribbon.dispatch("refresh", book=book, now=DEMO_NOW)
    assert message.startswith("Refreshed") and placed(book.sheets["Calls"][0]) == columns, message
    assert book.sheets["Calls"][11 if below else 9][10] == "Total"   # left where it was
    if below:   # the call typed under the table has ours in its row too
        assert book.sheets["Calls"][9][10] is not None


def test_a_header_word_of_the_users_past_where_ours_go_leaves_ours_in_the_table_as_in_the_file(tmp_path):
    # "mine" in P1, on the header row right of the table but past K:N: the file writer
    # grows the table at K, its colour rules reaching P; so does Excel.
    path = table_log(tmp_path / "log.xlsx", "P1")
    code, said, columns = terminal(path, tmp_path)
    assert code == 0 and columns["Status"] == "K", said
    rules = openpyxl.load_workbook(tmp_path / "terminal" / path.name)["Calls"].conditional_formatting
    book = grid_book(path)
    message = ribbon.dispatch("refresh", book=book, now=DEMO_NOW)
    assert placed(book.sheets["Calls"][0]) == columns, message
    assert {str(r.sqref) for r in rules} == {book.highlights["Calls"][0]} == {"A2:P9"}


def test_a_note_or_drop_down_under_the_table_leaves_ours_in_it_in_excel(tmp_path):
    # Asked of Excel's object model, restricted to the rows ours are written in.
    path = table_log(tmp_path / "log.xlsx", "L11=note", "M10:M14=dv")
    code, said, columns = terminal(path, tmp_path)
    assert code == 0 and columns["Status"] == "K", said
    book = with_table(in_excel(path))
    message = ribbon.dispatch("refresh", book=book, now=DEMO_NOW)
    values = book.book.sheets["Calls"].values
    assert placed([values.get((1, c)) for c in range(1, 20)]) == columns, message


# ---------------------------------------------------------------- what is in the way is refused, as in the file

@pytest.mark.parametrize("marks, below", [
    (("K3",), False),                       # one cell right of the table, in its rows
    (("K3", "L4", "L5"), False),            # several: each named, a run as a run
    (("K10",), True),                       # right of a call typed under the table
])
def test_a_cell_of_the_users_right_of_the_table_is_refused_with_the_file_writers_words(tmp_path, marks, below):
    path = table_log(tmp_path / "log.xlsx", *marks, below=below)
    code, said, columns = terminal(path, tmp_path)
    assert code == 2 and not columns and "the log is the Excel table CallLog" in said, said
    book = grid_book(path)
    before = [list(r) for r in book.sheets["Calls"]]
    message = ribbon.dispatch("refresh", book=book, now=DEMO_NOW)
    assert message == "sheet 'Calls': " + said.removeprefix("tracker: ").strip()
    assert book.alerts == [message]
    assert book.sheets["Calls"] == before and set(book.sheets) == {"Calls"}   # nothing written


@pytest.mark.parametrize("marks, named", [
    (("K3", "L3=note", "M2:M4=dv"), 'K3 holds "mine"; L3 has a note of yours; a drop-down of yours lies over M2:M4'),
    (("K3:L3=merged", "M4=link"), 'M4 holds "site"; merged cells of yours lie over K3:L3; a link of yours lies over M4'),
])
def test_notes_drop_downs_merges_and_links_in_the_tables_rows_are_refused_from_excel_as_from_the_terminal(
        tmp_path, marks, named):
    path = table_log(tmp_path / "log.xlsx", *marks)
    code, said, _ = terminal(path, tmp_path)
    assert code == 2 and named in said, said
    book = with_table(in_excel(path))
    message = ribbon.dispatch("refresh", book=book, now=DEMO_NOW)
    assert message == "sheet 'Calls': " + said.removeprefix("tracker: ").strip()
    assert not any(v in OURS for v in book.book.sheets["Calls"].values.values())
