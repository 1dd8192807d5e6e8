"""Ribbon buttons on the edges QA found: a time written through xlwings, Cancel in the
New call prompt, a selection on another sheet or in several areas, a sheet that is not a
log, link targets on odd sheet names, Settings on a never-saved workbook."""
import copy
from datetime import date, datetime, time
from types import SimpleNamespace

import pytest
from conftest import DEMO_NOW

from tracker.excel import ribbon
from tracker.excel.book import GridBook, XwBook

import xwfake

NOW = DEMO_NOW.replace(minute=30)   # 09:30, a time of 0.3958... of a day


pytestmark = pytest.mark.usefixtures("no_user_config")


# ---------------------------------------------------------------- a stand-in for xlwings

class _Range:
    """What XwBook asks of an xlwings Range, over the stand-in sheet's cells."""

    def __init__(self, sheet, top, left, bottom, right):
        self.sheet, self.top, self.left, self.bottom, self.right = sheet, top, left, bottom, right

    def _cells(self):
        return [[(r, c) for c in range(self.left, self.right + 1)] for r in range(self.top, self.bottom + 1)]

    def resize(self, n_rows, n_cols):
        return _Range(self.sheet, self.top, self.left, self.top + n_rows - 1, self.left + n_cols - 1)

    def options(self, **kw):
        return self

    @property
    def value(self):
        return [[self.sheet.values.get(cell) for cell in row] for row in self._cells()]

    @value.setter
    def value(self, rows):
        for cells, values in zip(self._cells(), rows):
            for cell, v in zip(cells, values):
                # pywin32's COM VARIANTs, once xlwings has turned dates into datetimes
                if not (v is None or isinstance(v, (str, int, float, bool, date))):
                    raise TypeError(f"Objects of type '{type(v).__name__}' can not be converted to a COM VARIANT")
                # Excel reads a text as if typed: a leading apostrophe keeps the rest text;
                # "=...", "+...", "@..." become formulas; "001", "50%", "TRUE", "1/2" a
                # number, a boolean, a date.
                self.sheet.values[cell] = xwfake.as_typed(v) if isinstance(v, str) else v

    @property
    def number_format(self):
        found = {self.sheet.formats.get(cell, "General") for row in self._cells() for cell in row}
        return found.pop() if len(found) == 1 else None   # as Excel: None for mixed formats

    @number_format.setter
    def number_format(self, value):
        for row in self._cells():
            for cell in row:
                self.sheet.formats[cell] = value

    @property
    def formula(self):
        # As Excel's Range.Formula: a formula's text, else the value as typed; one cell's alone.
        rows = [[v[1] if isinstance(v, tuple) else ("" if v is None else v)
                 for v in (self.sheet.values.get(cell) for cell in row)] for row in self._cells()]
        return rows[0][0] if len(rows) == 1 and len(rows[0]) == 1 else rows

    @property
    def row(self):
        return self.top

    @property
    def column(self):
        return self.left

    @property
    def api(self):
        held = {isinstance(self.sheet.values.get(cell), tuple) for row in self._cells() for cell in row}
        return SimpleNamespace(HasFormula=held.pop() if len(held) == 1 else None)

    def select(self):
        pass


class _Sheet:
    def __init__(self, name, grid):
        self.name = name
        self.values = {(r, c): v for r, row in enumerate(grid, 1) for c, v in enumerate(row, 1) if v is not None}
        self.formats: dict = {}

    @property
    def used_range(self):
        rows = max(r for r, _ in self.values)
        cols = max(c for _, c in self.values)
        return SimpleNamespace(row=1, column=1, rows=SimpleNamespace(count=rows), columns=SimpleNamespace(count=cols))

    def range(self, first, last=None):
        if isinstance(first, str):   # "A1" or "L2:L9"
            from tracker.model import cell_ref

            (c1, r1), (c2, r2) = (cell_ref(ref) for ref in (first.split(":") + [first])[:2])
            return _Range(self, r1, c1, r2, c2)
        last = last or first
        return _Range(self, first[0], first[1], last[0], last[1])

    def activate(self):
        pass

    def row(self, r):
        width = max(c for _, c in self.values)
        return [self.values.get((r, c)) for c in range(1, width + 1)]


class _Sheets(list):
    @property
    def active(self):
        return self[0]

    def __getitem__(self, key):
        return next(s for s in self if s.name == key) if isinstance(key, str) else list.__getitem__(self, key)


def _excel_book(tmp_path, grid, *, answer="Interview", selection=None) -> tuple[XwBook, _Sheet]:
    """XwBook over a stand-in for xlwings' Book holding one sheet 'Log'."""
    sheet = _Sheet("Log", grid)

    def input_box(prompt, title):
        if isinstance(answer, Exception):
            raise answer
        return answer

    app = SimpleNamespace(alert=lambda text, title=None: None, status_bar=False,
                          api=SimpleNamespace(InputBox=input_box))
    return XwBook(SimpleNamespace(fullname=str(tmp_path / "calls.xlsx"), sheets=_Sheets([sheet]), app=app,
                                  selection=selection)), sheet


TIMED_LOG = [["Date", "Time", "Call type", "Contact"], [datetime(2026, 11, 20), 0.5, "Interview", "Ann"]]


# ---------------------------------------------------------------- New call

@pytest.mark.parametrize("column_format, shown", [(None, "hh:mm"), ("h:mm AM/PM", "h:mm AM/PM")])
def test_new_call_writes_its_time_as_excel_keeps_one(tmp_path, column_format, shown):
    """xlwings hands a datetime.time to pywin32, which refuses it: the time goes in as a
    fraction of the day, shown as a time (the column's own time format, if it has one)."""
    book, sheet = _excel_book(tmp_path, TIMED_LOG)
    if column_format:
        sheet.formats[(3, 2)] = column_format
    message = ribbon.dispatch("new_call", book=book, now=NOW)
    assert message == "Added a call on row 3.", message
    assert sheet.row(3)[:3] == [date(2026, 11, 23), pytest.approx(9.5 / 24), "Interview"]
    assert not any(isinstance(v, time) for v in sheet.values.values())
    assert sheet.formats[(3, 2)] == shown


@pytest.mark.parametrize("answer, added", [
    (False, None), ("", "First call"), (AttributeError("InputBox"), "First call"),
])
def test_new_call_cancelled_adds_nothing_an_empty_answer_adds_the_first_type(tmp_path, answer, added):
    """Excel's InputBox gives False for Cancel and "" for OK on an empty box; where there
    is no InputBox (macOS), the first type's defaults apply as to an empty answer."""
    book, sheet = _excel_book(tmp_path, TIMED_LOG, answer=answer)
    before = dict(sheet.values)
    message = ribbon.dispatch("new_call", book=book, now=NOW)
    if added is None:
        assert message == "New call cancelled: nothing was added."
        assert sheet.values == before
    else:
        assert message == "Added a call on row 3."
        assert sheet.row(3)[2] == added


# ---------------------------------------------------------------- Summary

# Summaries of an earlier refresh (ours), two of them typed over by hand.
SUMMARY_LOG = [["Date", "Call type", "Contact", "Outcome", "SM", "Notes", "Summary"]] + [
    [datetime(2026, 11, 20), "First call", name, "Done", "Olga", f"Company Name: {name} Ltd", summary]
    for name, summary in (("Ann", "Company Name: old"), ("Ben", "by hand"), ("Cid", "Company Name: old"),
                          ("Dan", "by hand"))
]


def test_summary_of_a_ctrl_selection_writes_every_area(tmp_path):
    """Rows 2 and 4 selected with Ctrl: both summarised, rows 3 and 5 kept as they were."""
    def area(row, count):
        return SimpleNamespace(Row=row, Rows=SimpleNamespace(Count=count))

    selection = SimpleNamespace(sheet=SimpleNamespace(name="Log"), row=2, rows=SimpleNamespace(count=1),
                                api=SimpleNamespace(Areas=[area(2, 1), area(4, 1)]))
    book, sheet = _excel_book(tmp_path, SUMMARY_LOG, selection=selection)
    message = ribbon.dispatch("summary", book=book, now=NOW)
    assert message.startswith("Wrote 2 summaries"), message
    summaries = {r: sheet.values[(r, 7)] for r in range(2, 6)}
    assert summaries[3] == summaries[5] == "by hand"
    assert summaries[2] != "by hand" and "Ann" in summaries[2]
    assert summaries[4] != "by hand" and "Cid" in summaries[4]


def test_summary_with_rows_selected_on_another_sheet_writes_nothing(tmp_path):
    chases = [["Due", "Status"], ["x", "y"], ["z", "w"]]
    book = GridBook(sheets={"Log": copy.deepcopy(SUMMARY_LOG), "Chase today": chases},
                    path=str(tmp_path / "calls.xlsx"), active="Chase today", selection=[2, 3])
    before = copy.deepcopy(book.sheets)
    message = ribbon.dispatch("summary", book=book, now=NOW)
    assert message == "Select call rows on the sheet 'Log', then click Summary; nothing was written."
    assert book.sheets == before


# ---------------------------------------------------------------- not a log

@pytest.mark.parametrize("action", ["chase_today", "reminders", "stats"])
def test_a_sheet_without_a_call_log_header_is_refused_as_in_the_terminal(tmp_path, action):
    budget = [["Item", "Cost"], ["Pens", 3.0]]
    book = GridBook(sheets={"Budget": copy.deepcopy(budget)}, path=str(tmp_path / "budget.xlsx"),
                    folder=str(tmp_path / "exports"))
    message = ribbon.dispatch(action, book=book, now=NOW)
    assert message.startswith(f"{tmp_path / 'budget.xlsx'}: sheet 'Budget' has no call-log header row"), message
    # In Excel the way to see why is a button, not a terminal command.
    assert message.endswith("; click Check to see why") and "tracker check" not in message, message
    assert book.sheets == {"Budget": budget}
    assert not (tmp_path / "exports").exists()


# ---------------------------------------------------------------- Check

@pytest.mark.parametrize("name, link", [
    ("Olga's calls", '''=HYPERLINK("#'Olga''s calls'!A2","A2")'''),
    ('The "A" list', '''=HYPERLINK("#'The ""A"" list'!A2","A2")'''),
])
def test_check_links_reach_sheets_with_quotes_in_their_names(tmp_path, name, link):
    book = GridBook(sheets={name: [["Date", "Call type", "Contact"], ["31.02.2026", "Interview", "A"]]},
                    path=str(tmp_path / "x.xlsx"))
    message = ribbon.dispatch("check", book=book, now=NOW)
    assert message.startswith("1 cell needs a look"), message
    assert book.sheets["Problems"][1][0] == link


# ---------------------------------------------------------------- Settings

def test_settings_on_a_never_saved_workbook_asks_to_save_it_first(tmp_path, monkeypatch):
    """xlwings names an unsaved workbook "Book1": a tracker.yaml in the working folder
    would not be the one the buttons read."""
    monkeypatch.chdir(tmp_path)
    book = GridBook(sheets={"Log": copy.deepcopy(TIMED_LOG)}, path="Book1")
    message = ribbon.dispatch("settings", book=book, now=NOW)
    assert message.startswith("Save this workbook first"), message
    assert list(tmp_path.iterdir()) == [] and book.opened == []


def test_texts_that_look_like_formulas_numbers_or_dates_stay_texts(tmp_path):
    # A contact's note "=TBD" on the Chase today sheet would have become a formula, #NAME?;
    # found by a review: an ID "001" became 1, a "1/2" a date, "50%" 0.5, a long ID lost digits.
    book, sheet = _excel_book(tmp_path, TIMED_LOG)
    texts = ["=TBD", "-5", "+7 999 123-45-67", "@home", "plain", "'quoted", "001", "1/2", "25:00", "TRUE",
             "false", "50%", "1e5", "12345678901234567890", "2026-11-22", " 7 "]
    book.write_block("Log", 5, 1, [texts + ["", None, 7, True]])
    assert sheet.row(5)[:len(texts) + 4] == texts + [None, None, 7, True]


# ---------------------------------------------------------------- Refresh

@pytest.mark.parametrize("calls", [2, 1])
def test_refresh_in_excel_does_not_write_over_the_users_formulas(tmp_path, calls):
    # As the file writer: the user's Status column worked out by formulas, in the place of
    # ours (a Due beside it: alone, with no Due, a Status is the user's and ours goes
    # beside it), is theirs; a click refuses before writing anything, and says what to do.
    grid = [["Date", "Call type", "Contact", "Outcome", "Status", "Due"],
            [datetime(2026, 11, 19), "First call", "Ann", "Done", "Done", None],
            [datetime(2026, 11, 20), "First call", "Bob", "Planned", "", None]][:1 + calls]
    book, sheet = _excel_book(tmp_path, grid)
    for r in range(2, 2 + calls):   # one data row: Excel gives one cell's formula alone
        sheet.values[(r, 5)] = ("formula", f'=IF(D{r}="Done","Done","")')
    book.read_grid = lambda name: [list(row) for row in grid]   # what Excel shows: the formulas' values
    before = dict(sheet.values)
    message = ribbon.dispatch("refresh", book=book, now=NOW)
    assert message.startswith("sheet 'Log': cell E2 holds a formula of yours, in the column Call Tracker writes "
                              "its 'Status' into"), message
    assert sheet.values == before and [s.name for s in book.book.sheets] == ["Log"]


def test_the_stats_button_names_the_rows_left_out_for_want_of_a_date(tmp_path):
    # Found by a tester: `tracker stats` names them on stderr; the button said nothing.
    grid = [["Date", "Call type", "Contact", "Outcome"],
            ["20.11.2026", "Interview", "Ann", "Attended"],
            [None, "Interview", "Bob", "Attended"],
            [None, "Follow-up", "Cid", "Replied"]]
    book = GridBook(sheets={"Calls": copy.deepcopy(grid)}, path=str(tmp_path / "calls.xlsx"),
                    folder=str(tmp_path / "exports"))
    message = ribbon.dispatch("stats", book=book, now=NOW)
    assert "2 rows have no date and were left out of these statistics (sheet 'Calls', rows 3, 4)." in message, message
