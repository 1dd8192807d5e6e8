"""Where Refresh puts our columns from Excel and from the terminal, on one workbook: the
same place. 5541cc0 let the terminal put them beside the log under a fill painted past
it (A2:AD9 over a log A:M), where Excel's used range, spanning every formatted cell,
still sent them to AE."""
from __future__ import annotations

import shutil
from datetime import datetime, time
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from openpyxl.comments import Comment
from openpyxl.styles import PatternFill
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

import xwfake
from conftest import DEMO_NOW
from tracker.cli import main
from tracker.excel import ribbon
from tracker.excel.book import XwBook
from workbooks import rewrite_parts

AS_OF = "2026-11-23T09:00"   # DEMO_NOW, as the terminal is told it
HEADERS = ["ID", "Date", "Time", "Call type", "Client", "Contact", "Candidates", "Outcome", "Next contact",
           "SM", "Comment on the call", "Whom to remind", "Stage"]   # A:M
OURS = ["Status", "Due", "Next action", "Summary"]


def log(path: Path, fill_to: str | None = None, mark=None) -> Path:
    """A log A1:M9 (8 calls); with `fill_to`, a yellow fill on A2:`fill_to`9; `mark(ws)`
    adds something of the user's (a text: written into the sheet's XML before <pageMargins>)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Call log"
    ws.append(HEADERS)
    for i in range(8):
        ws.append([i + 1, datetime(2026, 11, 2 + i), None, "Interview", f"Client {i}", f"Contact {i}", "",
                   "Planned", datetime(2026, 11, 10 + i), "Olga", f"Call {i}", "", "open"])
    if fill_to:
        fill = PatternFill("solid", fgColor="FFFF00")
        for row in ws.iter_rows(min_row=2, max_row=9, max_col=column_index_from_string(fill_to)):
            for cell in row:
                cell.fill = fill
    if callable(mark):
        mark(ws)
    wb.save(path)
    if isinstance(mark, str):
        rewrite_parts(path, {"xl/worksheets/sheet1.xml": lambda x: x.replace("<pageMargins", mark + "<pageMargins", 1)})
    return path


def in_excel(path: Path) -> XwBook:
    """The workbook at `path` open in Excel (the fake xlwings): its values, its cells only
    formatted (in Excel's used range), its drop-downs, notes and merged cells."""
    wb = openpyxl.load_workbook(path)
    sheets = []
    for ws in wb.worksheets:
        for c in (c for row in ws.iter_rows() for c in row if c.hyperlink):
            # (openpyxl types a link's target into its empty cell as it reads it)
            if c.value in (c.hyperlink.target, c.hyperlink.location):
                c.value = None
        cells = [c for row in ws.iter_rows() for c in row]
        sheet = xwfake.Sheet(ws.title, "", rows=[[_excel_value(c.value) for c in row] for row in ws.iter_rows()])
        sheet.styled = {(c.row, c.column) for c in cells if c.value is None and c.has_style}
        sheet.notes = {(c.row, c.column) for c in cells if c.comment}
        sheet.validations = [(b.min_row, b.min_col, b.max_row, b.max_col)
                             for dv in ws.data_validations.dataValidation for b in dv.sqref.ranges]
        sheet.merged = [(b.min_row, b.min_col, b.max_row, b.max_col) for b in ws.merged_cells.ranges]
        sheet.links = [(c.row, c.column, c.row, c.column) for c in cells if c.hyperlink]
        sheets.append(sheet)
    return XwBook(xwfake.book(*sheets, path=str(path)))


def _excel_value(v):
    return (v.hour * 3600 + v.minute * 60 + v.second) / 86400 if isinstance(v, time) else v


def from_the_terminal(path: Path, tmp_path: Path) -> dict[str, str]:
    """Our headers and their columns, refreshed by `tracker refresh` (a copy of `path`)."""
    copy = tmp_path / "terminal" / path.name
    copy.parent.mkdir()
    shutil.copy(path, copy)
    result = CliRunner().invoke(main, ["refresh", str(copy), "--as-of", AS_OF])
    assert result.exit_code == 0, result.output
    ws = openpyxl.load_workbook(copy)["Call log"]
    return {c.value: c.column_letter for c in ws[1] if c.value in OURS}


def from_excel(path: Path) -> dict[str, str]:
    """Our headers and their columns, refreshed by the Refresh button (the fake Excel)."""
    book = in_excel(path)
    message = ribbon.dispatch("refresh", book=book, now=DEMO_NOW)
    assert message.startswith("Refreshed"), message
    sheet = book.book.sheets["Call log"]
    return {v: get_column_letter(c) for (r, c), v in sheet.values.items() if r == 1 and v in OURS}


def at(first: str) -> dict[str, str]:
    start = column_index_from_string(first)
    return {h: get_column_letter(start + i) for i, h in enumerate(OURS)}


def _drop_down(ws):
    dv = DataValidation(type="list", formula1='"Hot,Cold"')
    dv.add("P2:P9")
    ws.add_data_validation(dv)


def _note(ws):
    ws["P5"].comment = Comment("call back", "Olga")


def _merge(ws):
    ws.merge_cells("O5:P5")


def _value(ws):
    ws["P5"] = "my note"


# a link on the empty P5 (openpyxl types its target into an empty cell: written in the XML)
_LINK = """<hyperlinks><hyperlink ref="P5" location="'Call log'!A1"/></hyperlinks>"""


def _band_drop_down(ws):
    # a drop-down over the log and on (A2:Z9): the table's, as a colour band is; not in the way
    dv = DataValidation(type="list", formula1='"Hot,Cold"')
    dv.add("A2:Z9")
    ws.add_data_validation(dv)


def _far_drop_down(ws):
    # a drop-down well right of where ours go (Z2:Z9): not in their way
    dv = DataValidation(type="list", formula1='"Hot,Cold"')
    dv.add("Z2:Z9")
    ws.add_data_validation(dv)


@pytest.mark.parametrize("fill_to, mark, first", [
    (None, None, "N"),              # nothing past the log
    ("AD", None, "N"),              # a plain fill band past it: Excel put ours at AE
    ("P", None, "N"),
    (None, _drop_down, "Q"),        # a drop-down on the empty cells P2:P9: past it
    ("AD", _drop_down, "Q"),        # ...painted over too
    ("AD", _note, "Q"),             # a note on the empty P5
    ("AD", _merge, "Q"),            # O5:P5 merged
    ("AD", _value, "Q"),            # a value typed in P5
    pytest.param("AD", _LINK, "Q", id="AD-link-Q"),   # a link on the empty P5
    ("AD", _band_drop_down, "N"),
    ("AD", _far_drop_down, "N"),
])
def test_excel_puts_our_columns_where_the_terminal_does(tmp_path, fill_to, mark, first):
    path = log(tmp_path / "log.xlsx", fill_to, mark)
    terminal = from_the_terminal(path, tmp_path)
    assert terminal == at(first)
    assert from_excel(path) == terminal


def test_the_fill_band_is_in_excels_used_range(tmp_path):
    # What made Excel differ: its used range, the grid the ribbon reads, spans the fill.
    book = in_excel(log(tmp_path / "log.xlsx", "AD"))
    assert len(book.read_grid("Call log")[1]) == column_index_from_string("AD")


def test_a_book_excel_cannot_be_asked_about_keeps_ours_right_of_its_used_range(tmp_path):
    # Excel for Mac's object model has no SpecialCells: ours go right of all Excel uses,
    # over nothing of the user's (here past the fill, at AE, as before).
    path = log(tmp_path / "log.xlsx", "AD", _drop_down)
    book = in_excel(path)
    book.book.sheets["Call log"].api = type(book.book.sheets["Call log"].api)()   # no Cells, no PageSetup
    message = ribbon.dispatch("refresh", book=book, now=DEMO_NOW)
    assert message.startswith("Refreshed"), message
    values = book.book.sheets["Call log"].values
    assert values[1, column_index_from_string("AE")] == "Status"


@pytest.mark.parametrize("merge, asked", [(False, 4), (True, 32)])
def test_excel_is_asked_a_few_questions_whatever_the_logs_length(monkeypatch, merge, asked):
    # Each question to Excel costs milliseconds: none per row or per cell of the band.
    from tracker import jobs
    from tracker.config import load_config

    rows = [HEADERS] + [[i, datetime(2026, 11, 2), None, "Interview", "Acme", "Ann", "", "Planned",
                         datetime(2026, 11, 10), "Olga", "Call", "", "open"] for i in range(5000)]
    sheet = xwfake.Sheet("Call log", "", rows=rows)
    sheet.styled = {(r, c) for r in range(2, 5002) for c in range(14, 31)}   # a fill on N2:AD5001
    if merge:
        sheet.merged = [(4000, 15, 4000, 16)]   # O4000:P4000
    ctx = ribbon._Context(XwBook(xwfake.book(sheet)), load_config(), DEMO_NOW)
    plan = jobs.refresh_plan(ctx.log, ctx.config, DEMO_NOW)
    questions = []
    init = xwfake.RangeApi.__init__
    monkeypatch.setattr(xwfake.RangeApi, "__init__", lambda self, rng: questions.append(rng) or init(self, rng))
    assert ctx.used_width(plan) == (16 if merge else 13)   # ours from Q, or from N
    assert len(questions) <= asked


def test_the_colour_rules_end_with_our_columns_on_every_click_as_the_files_do(tmp_path):
    # Ours there already (a second click), Excel's rules spanned the used range: A2:AD9
    # over a fill painted to AD, where the file's end at Q.
    path = log(tmp_path / "log.xlsx", "AD")
    terminal = tmp_path / "terminal.xlsx"
    shutil.copy(path, terminal)
    book = in_excel(path)
    areas = []
    book.set_highlights = lambda sheet, address, rules: areas.append(address)
    for _ in range(2):
        assert CliRunner().invoke(main, ["refresh", str(terminal), "--as-of", AS_OF]).exit_code == 0
        ribbon.dispatch("refresh", book=book, now=DEMO_NOW)
        ws = openpyxl.load_workbook(terminal)["Call log"]
        assert {str(cf.sqref) for cf in ws.conditional_formatting} == {areas[-1]} == {"A2:Q9"}
