"""The ribbon and the cell functions, run through the book adapter with an in-memory book:
the same engine, the same answers as the terminal."""
import json
from datetime import date, datetime

from pathlib import Path
from types import SimpleNamespace

import pytest
from conftest import DEMO_NOW
from click.testing import CliRunner

from tracker import jobs
from tracker.cli import main
from tracker.config import load_config
from tracker.excel import ribbon, udfs
from tracker.excel.actions import ACTIONS
from tracker.excel.book import GridBook, XwBook
from tracker.files import open_book
from tracker.log import find_log_sheet
from tracker.writeback import SheetWrite

import xwfake

NOW = DEMO_NOW


@pytest.fixture
def sample(sample_log) -> Path:
    return sample_log


@pytest.fixture
def book(sample, tmp_path) -> GridBook:
    config = load_config()
    wb = open_book(sample)
    name = find_log_sheet(wb, config)
    return GridBook(sheets={n: wb.grid(n) for n in wb.sheet_names}, path=str(tmp_path / "calls.xlsx"), active=name)


def test_every_button_has_a_handler_and_every_handler_a_button():
    assert ribbon.unhandled_tags() == (set(), set())
    assert len({a.tag for a in ACTIONS}) == len(ACTIONS)


def test_unknown_button_shows_a_message_not_a_traceback(book):
    message = ribbon.dispatch("nope", book=book, now=NOW)
    assert "nope" in message and book.alerts == [message]


def test_chase_today_matches_the_terminal(book, sample):
    ribbon.dispatch("chase_today", book=book, now=NOW)
    sheet = book.sheets["Chase today"]
    rows_in_sheet = [r[-1] for r in sheet[1:]]
    cli = CliRunner().invoke(main, ["overdue", str(sample), "--as-of", "2026-11-23T09:00", "--format", "json"])
    assert rows_in_sheet == [i["row"] for i in json.loads(cli.stdout)]
    assert book.selected == ("Chase today", "A1")


def test_refresh_gives_excel_the_rule_of_a_window_that_opens_later_for_its_row_alone(tmp_path):
    # Refreshed at T+4: the last message is owed from T+5 (2026-11-07), Due holds T+7. As
    # the file's rule (test_cli), Excel's paints row 4 from that day, its formula written
    # for row 4; the other rules paint every data row.
    from datetime import datetime

    rows = [["Date", "Call type", "Client", "Contact", "Outcome"]]
    rows += [[datetime(2026, 11, d), kind, "Acme", who, outcome] for d, kind, outcome, who in (
        (2, "Repeat call", "No answer", "Anna Li"), (3, "Follow-up", None, "Anna Li"),
        (5, "Follow-up", None, "Anna Li"), (5, "First call", "Interested", "Ivan Ko"))]
    book = GridBook(sheets={"Calls": rows}, path=str(tmp_path / "calls.xlsx"), active="Calls")
    assert ribbon.dispatch("refresh", book=book, now=datetime(2026, 11, 6, 10)).startswith("Refreshed")
    header = book.sheets["Calls"][0]
    due = chr(ord("A") + header.index("Due"))
    last = chr(ord("A") + len(header) - 1)
    address, rules = book.highlights["Calls"]
    assert address == f"A2:{last}5"
    [(formula, _, where)] = [r for r in rules if "DATE(" in r[0]]
    assert where == f"A4:{last}4" and "TODAY()>=DATE(2026,11,7)" in formula and f"INT(${due}4)>=TODAY()" in formula
    assert {w for f, _, w in rules if "DATE(" not in f} == {address}


def test_refresh_writes_its_sheets_before_the_colour_rules(book, monkeypatch):
    # Excel is given each rule in its own language, translated on a sheet of ours (XwBook).
    calls = []
    for name in ("replace_sheet", "set_highlights"):
        def record(*args, _method=getattr(book, name), _name=name):
            calls.append(_name)
            return _method(*args)
        monkeypatch.setattr(book, name, record)
    assert ribbon.dispatch("refresh", book=book, now=NOW).startswith("Refreshed")
    assert calls == ["replace_sheet"] * 3 + ["set_highlights"]


def test_refresh_writes_columns_highlights_and_sheets(book):
    message = ribbon.dispatch("refresh", book=book, now=NOW)
    assert message.startswith("Refreshed")
    config = load_config()
    sheet = book.active
    header_row = next(i for i, r in enumerate(book.sheets[sheet]) if "Status" in [str(c) for c in r])
    header = [str(c) for c in book.sheets[sheet][header_row]]
    for name in ("Status", "Due", "Next action", "Summary"):
        assert name in header
    status_col = header.index("Status")
    statuses = {r[status_col] for r in book.sheets[sheet][header_row + 1:] if len(r) > status_col}
    labels = {jobs.status_label(config, s, "en") for s in ("overdue", "due_today", "upcoming", "done")}
    assert labels & statuses
    address, rules = book.highlights[sheet]
    assert any("TODAY()" in f for f, _, _ in rules)
    # Marked as the file writer marks them, so that the next refresh finds them, from either.
    assert all(f.startswith('AND(ISTEXT("call-tracker:') for f, _, _ in rules)
    assert {where for _, _, where in rules} == {address}   # no window opens later in the sample
    assert {"Chase today", "Reminders", "Stats"} <= set(book.sheets)
    # Twice gives the same book: columns are found again, not added again.
    before = {k: [list(r) for r in v] for k, v in book.sheets.items()}
    ribbon.dispatch("refresh", book=book, now=NOW)
    assert {k: [list(r) for r in v] for k, v in book.sheets.items()} == before


def test_cell_functions_equal_what_refresh_writes(book):
    sheet = book.active
    table = book.read_grid(sheet)
    statuses = udfs.TRACKER_STATUS(table, "2026-11-23T09:00")
    assert len(statuses) == len(table)
    ribbon.dispatch("refresh", book=book, now=NOW)
    grid = book.sheets[sheet]
    header_index = next(i for i, r in enumerate(grid) if "Status" in [str(c) for c in r])
    col = [str(c) for c in grid[header_index]].index("Status")
    assert statuses[header_index] == ["Status"]
    for i in range(header_index + 1, len(table)):
        written = grid[i][col] if len(grid[i]) > col else None
        assert statuses[i][0] == written, i
    summaries = udfs.TRACKER_SUMMARY(table)
    assert any(s[0] and "SM" in s[0] for s in summaries[header_index + 1:])


def test_check_lists_problems_with_links(tmp_path):
    book = GridBook(sheets={"Log": [["Date", "Call type", "Contact"], ["31.02.2026", "Interview", "A"]]},
                    path=str(tmp_path / "x.xlsx"))
    message = ribbon.dispatch("check", book=book, now=NOW)
    assert "1 cell needs a look" in message
    link = book.sheets["Problems"][1][0]
    assert link.startswith('=HYPERLINK("#\'Log\'!A2"')
    # Excel is handed the link as a formula, where a text of the user's that starts with
    # "=" keeps an apostrophe (found by a review: the links arrived as text in Excel).
    from types import SimpleNamespace

    handed = []

    class Range:
        def resize(self, rows, cols):
            return self

        number_format = "General"
        value = property(lambda self: None, lambda self, v: handed.extend(v))

    excel = _excel(SimpleNamespace(sheets={"Problems": SimpleNamespace(name="Problems", api=SimpleNamespace(),
                                                                      range=lambda *a: Range())}))
    excel.write_block("Problems", 2, 1, [[link, "=TBD", "A2"]])
    assert handed == [[link, "'=TBD", "'A2"]] and not handed[0][0].startswith("'")


def test_new_call_adds_a_row_with_the_type_defaults(book):
    book.answers = ["Интервью"]
    sheet = book.active
    rows_before = len(book.sheets[sheet])
    message = ribbon.dispatch("new_call", book=book, now=NOW)
    assert "Added a call" in message
    new = book.sheets[sheet][-1]
    assert len(book.sheets[sheet]) >= rows_before
    assert "Interview" in [str(c) for c in new]
    assert NOW.date() in [c for c in new]


def test_summary_of_selected_rows_leaves_the_others_alone(book):
    ribbon.dispatch("refresh", book=book, now=NOW)
    grid = book.sheets[book.active]
    header_index = next(i for i, r in enumerate(grid) if "Summary" in [str(c) for c in r])
    col = [str(c) for c in grid[header_index]].index("Summary")
    log_rows = [i + 1 for i, r in enumerate(grid) if r and any(str(c) == "First call" for c in r)]
    for r in log_rows[:3]:   # a user's own edits to a few summaries (of all, the column is theirs)
        grid[r - 1][col] = "edited by hand"
    book.selection = log_rows[:2]
    message = ribbon.dispatch("summary", book=book, now=NOW)
    assert "Wrote 2 summaries" in message
    written = {i + 1: r[col] for i, r in enumerate(grid[header_index + 1:], start=header_index + 1) if len(r) > col}
    assert all(written[r] and written[r] != "edited by hand" for r in log_rows[:2])
    assert [r for r, v in written.items() if v == "edited by hand"] == log_rows[2:3]


def test_reminders_export_to_the_chosen_folder(book, tmp_path):
    book.folder = str(tmp_path / "out")
    message = ribbon.dispatch("reminders", book=book, now=NOW)
    assert "reminders" in message
    assert (tmp_path / "out" / "call-tracker.ics").is_file()


def test_reminders_leave_a_calendar_they_did_not_write_as_it_was(book, tmp_path):
    theirs = tmp_path / "call-tracker.ics"
    theirs.write_bytes(b"BEGIN:VCALENDAR\r\nPRODID:-//Someone else//EN\r\nEND:VCALENDAR\r\n")
    book.folder = str(tmp_path)
    message = ribbon.dispatch("reminders", book=book, now=NOW)
    assert f"{theirs}: already exists and is not a calendar Call Tracker wrote" in message
    assert theirs.read_bytes().startswith(b"BEGIN:VCALENDAR\r\nPRODID:-//Someone else")
    assert not (tmp_path / "drafts").exists()


def test_excel_settings_opens_the_file_in_notepad_where_no_program_is_set_for_yaml(monkeypatch, tmp_path):
    # Found by a review: on a stock Windows os.startfile raises for a .yaml (WinError 1155)
    # and the button said "Something went wrong" although the file had been written.
    import os
    import subprocess
    import sys
    from types import SimpleNamespace

    def no_program(path):
        raise OSError(1155, "No application is associated with the specified file")

    started = []
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setattr(os, "startfile", no_program, raising=False)
    monkeypatch.setattr(subprocess, "Popen", lambda args, **kw: started.append(args))
    _excel(SimpleNamespace()).open_file(tmp_path / "tracker.yaml")
    assert started == [["notepad.exe", str(tmp_path / "tracker.yaml")]]


def test_settings_creates_a_commented_config_next_to_the_workbook(book, tmp_path):
    Path(book.path).write_bytes(b"")
    message = ribbon.dispatch("settings", book=book, now=NOW)
    assert (tmp_path / "tracker.yaml").is_file() and book.opened == [str(tmp_path / "tracker.yaml")]
    load_config(tmp_path / "tracker.yaml")  # the starter file is valid as written
    assert "Created" in message


@pytest.mark.parametrize("found", ["the calling book's Excel", "the active Excel", "no Excel"])
def test_a_workbook_xlwings_cannot_reach_is_said_in_a_message_box(monkeypatch, found):
    # Found by a review: for a OneDrive file xlwings cannot map to a local path,
    # XwBook.caller() raised and the click did nothing, the message shown nowhere.
    import xlwings

    from tracker.excel import book as book_module

    unmapped = xlwings.XlwingsError("Couldn't find your local OneDrive file, see: xlwings.org/error")
    shown = []

    class App:
        def alert(self, text, title=None):
            shown.append((text, title))

    def not_found():
        raise unmapped

    class NoExcel:
        @property
        def active(self):
            raise xlwings.XlwingsError("no Excel")

    monkeypatch.setattr(book_module.XwBook, "caller", staticmethod(not_found))
    caller = (lambda: SimpleNamespace(app=App())) if found == "the calling book's Excel" else not_found
    monkeypatch.setattr(xlwings.Book, "caller", staticmethod(caller))
    monkeypatch.setattr(xlwings, "apps", SimpleNamespace(active=App()) if found == "the active Excel" else NoExcel())
    message = ribbon.dispatch("refresh", now=NOW)
    assert message == f"Call Tracker could not reach the workbook: {unmapped}"
    assert shown == ([] if found == "no Excel" else [(message, "Call Tracker")])


def test_a_failing_handler_shows_a_message(book, monkeypatch):
    def boom(ctx):
        raise RuntimeError("disk on fire")

    monkeypatch.setitem(ribbon.HANDLERS, "stats", boom)
    message = ribbon.dispatch("stats", book=book, now=NOW)
    assert "disk on fire" in message and "Traceback" not in message
    assert book.statuses == ["Call Tracker: Stats...", None]   # the status bar given back to Excel


@pytest.mark.parametrize("action", ["refresh", "summary"])
def test_a_click_reads_the_log_sheet_from_excel_once(book, action):
    """Each read of a big sheet through Excel costs seconds: the write-back uses the
    header row of the grid the plan was made of."""
    book.selection = [5]
    message = ribbon.dispatch(action, book=book, now=NOW)
    assert message.startswith(("Refreshed", "Wrote 1 summary")), message
    assert book.reads.count(book.active) == 1, book.reads


def test_refresh_tells_each_step_in_the_status_bar_then_gives_it_back(book):
    """The steps a terminal prints for a big log, in Excel's status bar, for any log."""
    message = ribbon.dispatch("refresh", book=book, now=NOW)
    assert message.startswith("Refreshed "), message
    calls = int(message.split()[1])
    assert book.statuses == [
        "Call Tracker: Refresh...",
        "Call Tracker: reading...",
        f"Call Tracker: working out the statuses, due dates and summaries of {calls} calls...",
        "Call Tracker: writing...",
        None,
    ]


def _excel(book) -> XwBook:
    """XwBook over a stand-in for xlwings' Book: what our adapter asks of xlwings, here
    where there is no Excel."""
    out = XwBook.__new__(XwBook)
    out.book = book
    return out


def test_an_unexpected_error_is_a_crash_report_and_claims_nothing_unchanged(book, monkeypatch):
    # Found by a review: "Nothing else was changed" followed any unexpected error, though a
    # refresh that failed on its sheets had written the log's columns; a KeyError of ours
    # showed as a bare "'Call log'" with no crash report.
    def half_way(ctx):
        ctx.book.write_block(ctx.book.active, 1, 30, [["Status"]])
        raise KeyError("Call log")

    monkeypatch.setitem(ribbon.HANDLERS, "refresh", half_way)
    message = ribbon.dispatch("refresh", book=book, now=NOW)
    assert message.startswith("Something went wrong: KeyError: 'Call log'\n"), message
    assert "Nothing else was changed" not in message and "closing it without saving" in message
    report = Path(message.rsplit("Details for a bug report: ", 1)[1])
    assert "KeyError" in report.read_text(encoding="utf-8")
    report.unlink()


def test_excel_status_bar_is_set_then_handed_back():
    from types import SimpleNamespace

    class App:
        shown: list = []

        @property
        def status_bar(self):
            return self.shown[-1] if self.shown else False

        @status_bar.setter
        def status_bar(self, value):
            self.shown.append(value)

    book = _excel(SimpleNamespace(app=App()))
    book.status("Call Tracker: writing...")
    book.status(None)
    assert App.shown == ["Call Tracker: writing...", False]

    class Broken:
        @property
        def app(self):
            raise RuntimeError("Excel is busy")

    book.book = Broken()
    book.status("Call Tracker: Stats...")   # a status bar that cannot be set fails nothing


def test_excel_rules_go_on_their_areas_their_rows_read_from_the_active_cell():
    # Excel's FormatConditions.Add reads a formula's relative references from the active
    # cell (row 10 here), not from the range's first cell: each rule is moved there
    # through ConvertFormula (Excel's own, here a stand-in for `$K4`-style references).
    import re
    from types import SimpleNamespace

    class Range:
        def __init__(self, areas):
            self.areas, self.added, self.deleted = areas, [], False
            self.FormatConditions = SimpleNamespace(Delete=self.delete, Add=self.add)

        def delete(self):
            self.deleted = True

        def add(self, Type, Formula1):
            self.added.append(Formula1)
            return SimpleNamespace(Interior=SimpleNamespace(Color=None))

        def Cells(self, r, c):
            return SimpleNamespace(Row=int(re.search(r"\d+", self.areas[0]).group()) + r - 1)

    class App:
        ActiveCell = SimpleNamespace(Row=10)
        ranges: list = []

        def Union(self, a, b):
            return self.keep(Range(a.areas + b.areas))

        def keep(self, rng):
            self.ranges.append(rng)
            return rng

        def ConvertFormula(self, Formula, FromReferenceStyle, ToReferenceStyle, RelativeTo):
            if FromReferenceStyle == 1:
                return re.sub(r"\$([A-Z]+)(\d+)", lambda m: f"R[{int(m[2]) - RelativeTo.Row}]C{m[1]}", Formula)
            return re.sub(r"R\[(-?\d+)\]C([A-Z]+)", lambda m: f"${m[2]}{int(m[1]) + RelativeTo.Row}", Formula)

    class Rule:
        def __init__(self, rules, formula):
            self.rules, self.formula = rules, formula

        @property
        def Formula1(self):
            if self.formula is None:
                raise AttributeError("a data bar has no formula")
            return self.formula

        def Delete(self):
            self.rules.remove(self)

    # The sheet's rules: the user's own, ours from the last refresh, the user's data bar.
    rules: list = []
    rules += [Rule(rules, "=$K2>5"), Rule(rules, '=AND(ISTEXT("call-tracker:overdue"),INT($K2)<TODAY())'),
              Rule(rules, None)]

    class Conditions:
        Count = property(lambda self: len(rules))

        def Item(self, i):
            return rules[i - 1]

    conditions = Conditions()
    app = App()
    sheet = SimpleNamespace(range=lambda address: SimpleNamespace(api=app.keep(Range(address.split(",")))),
                            api=SimpleNamespace(Cells=SimpleNamespace(FormatConditions=conditions)))
    book = _excel(SimpleNamespace(app=SimpleNamespace(api=app), sheets={"Calls": sheet}))
    book.set_highlights("Calls", "A2:K9", [("INT($K2)<TODAY()", "FFC7CE", "A2:K9"),
                                           ("INT($K4)>=TODAY()", "FFEB9C", "A4:K4,A7:K8")])
    added = {tuple(r.areas): r.added for r in app.ranges if r.added}
    assert added == {("A2:K9",): ["=INT($K10)<TODAY()"], ("A4:K4", "A7:K8"): ["=INT($K10)>=TODAY()"]}
    assert [r.formula for r in rules] == ["=$K2>5", None] and not any(r.deleted for r in app.ranges)
    # No active cell (a chart sheet in front): the formula as written, not no rule.
    App.ActiveCell = None
    app.ranges.clear()
    book.set_highlights("Calls", "A2:K9", [("INT($K2)<TODAY()", "FFC7CE", "A2:K9")])
    assert [r.added for r in app.ranges if r.added] == [["=INT($K2)<TODAY()"]]


def test_excel_rules_are_given_in_excels_own_language_through_a_cell_of_a_sheet_of_ours():
    # FormatConditions.Add reads a formula as a person types it into Excel: a Russian
    # Excel wants И(...;...) where ours say AND(...,...). Here a stand-in for one, which
    # refuses English, and translates a cell's Formula into its FormulaLocal.
    from types import SimpleNamespace

    words = {"AND(": "И(", "ISTEXT(": "ЕТЕКСТ(", "INT(": "ЦЕЛОЕ(", "TODAY(": "СЕГОДНЯ(", ",": ";"}

    class Cell:
        def __init__(self):
            self.Formula, self.cleared = "", False

        @property
        def FormulaLocal(self):
            text = self.Formula
            for en, ru in words.items():
                text = text.replace(en, ru)
            return text

        def ClearContents(self):
            self.Formula, self.cleared = "", True

    class Range:
        def __init__(self):
            self.added = []
            self.FormatConditions = SimpleNamespace(Add=self.add)

        def add(self, Type, Formula1):
            if any(en in Formula1 for en in words if en != ","):
                raise RuntimeError("Недопустимая формула")   # what a Russian Excel answers
            self.added.append(Formula1)
            return SimpleNamespace(Interior=SimpleNamespace(Color=None))

    class Sheets(dict):
        def __iter__(self):
            return iter(self.values())

    cell, rule_range = Cell(), Range()
    no_rules = SimpleNamespace(Count=0)
    log = SimpleNamespace(name="Calls", range=lambda address: SimpleNamespace(api=rule_range),
                          api=SimpleNamespace(Cells=SimpleNamespace(FormatConditions=no_rules),
                                              PageSetup=SimpleNamespace(LeftHeader="")))
    ours = SimpleNamespace(name="Chase today", api=SimpleNamespace(PageSetup=SimpleNamespace(LeftHeader="&8Written by Call Tracker")),
                           used_range=SimpleNamespace(row=1, rows=SimpleNamespace(count=4)),
                           range=lambda at: SimpleNamespace(api=cell) if at == (6, 1) else None)
    app = SimpleNamespace(ActiveCell=None)   # no ConvertFormula needed: the formula as written
    book = _excel(SimpleNamespace(app=SimpleNamespace(api=app), sheets=Sheets(Calls=log)))
    rule = ('AND(ISTEXT("call-tracker:overdue"),INT($K2)<TODAY())', "FFC7CE", "A2:K9")

    book.set_highlights("Calls", "A2:K9", [rule])
    assert rule_range.added == []   # English, and no sheet of ours to translate it on: no rule

    book.book.sheets["Chase today"] = ours
    book.set_highlights("Calls", "A2:K9", [rule])
    assert rule_range.added == ['=И(ЕТЕКСТ("call-tracker:overdue");ЦЕЛОЕ($K2)<СЕГОДНЯ())']
    assert cell.cleared and cell.Formula == ""   # the cell borrowed is blank again


@pytest.fixture
def with_errors(tmp_path) -> Path:
    """A log with error values where a date and a contact should be (formulas that failed)."""
    import xlsxwriter

    path = tmp_path / "errors.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Log")
    ws.write_row(0, 0, ["Date", "Call type", "Contact", "Outcome", "SM", "Notes"])
    ws.write_row(1, 0, ["2026-11-20", "First call", "Jane", "Done", "Olga", "Company Name: Acme"])
    ws.write_formula(2, 0, "=NA()", None, "#N/A")
    ws.write_row(2, 1, ["First call", None, "Done", "Olga", "Company Name: Beta"])
    ws.write_formula(2, 2, "=1/0", None, "#DIV/0!")
    wb.close()
    return path


def _as_excel_reads(path: Path) -> GridBook:
    """The book as XwBook.read_grid gets it from Excel (err_to_str): each error cell holds
    its text, where calamine gives ""."""
    wb = open_book(path)
    sheets = {}
    for name in wb.sheet_names:
        grid = [list(r) for r in wb.grid(name)]
        for issue in wb.cell_issues(name):
            if issue.kind == "error":
                grid[issue.row - 1][issue.column] = issue.value
        sheets[name] = grid
    return GridBook(sheets=sheets, path=str(path))


def test_error_cells_read_from_excel_are_the_problems_the_terminal_finds(with_errors):
    book = _as_excel_reads(with_errors)
    assert book.sheets["Log"][2][:3] == ["#N/A", "First call", "#DIV/0!"]
    message = ribbon.dispatch("check", book=book, now=NOW)
    assert message.startswith("2 cells need a look"), message
    in_excel = [(row[0].split('"')[3], row[1], row[2]) for row in book.sheets["Problems"][1:]]
    cli = CliRunner().invoke(main, ["check", str(with_errors), "--format", "json"])
    in_terminal = [(f"{p['column']}{p['row']}", p["value"], p["message"]) for p in json.loads(cli.stdout)]
    assert in_excel == in_terminal and len(in_terminal) == 2


@pytest.mark.parametrize("action", ["refresh", "chase_today", "reminders", "stats"])
def test_the_buttons_say_cells_were_left_out_as_the_terminal_does(with_errors, action):
    # Found by a review: `tracker refresh` said a cell could not be read; the buttons said
    # nothing, and an unreadable row was silently missing from Chase today.
    message = ribbon.dispatch(action, book=_as_excel_reads(with_errors), now=NOW)
    assert "\n2 cells could not be read and were left out; click Check to list them." in message, message
    r = CliRunner().invoke(main, ["overdue", str(with_errors), "--as-of", "2026-11-23T09:00"])
    assert "2 cells could not be read and were left out; run `tracker check" in r.stderr


def test_summary_names_the_cells_of_its_rows_that_could_not_be_read(with_errors):
    book = _as_excel_reads(with_errors)
    book.selection = [3]
    message = ribbon.dispatch("summary", book=book, now=NOW)
    assert message.startswith("Wrote 1 summary"), message
    assert "Log!A3: error value #N/A" in message and "Log!C3: error value #DIV/0!" in message
    cli = CliRunner().invoke(main, ["summary", str(with_errors), "--row", "3"])
    assert cli.exit_code == 1 and "summary is missing" in cli.stderr, cli.stderr   # a first call's usual gaps
    unread = [line for line in cli.stderr.splitlines() if "(left out)" in line]
    assert unread == [line for line in message.splitlines() if "(left out)" in line]
    # Row 2 reads cleanly: nothing about row 3 is said of it.
    cli = CliRunner().invoke(main, ["summary", str(with_errors), "--row", "2"])
    assert "left out" not in cli.stderr


def test_excel_reads_error_cells_as_their_text():
    """XwBook asks xlwings for errors as text (err_to_str); its default is None, a blank
    cell, and the Excel buttons would then not see what the terminal reports."""
    from types import SimpleNamespace

    asked = {}

    class Range:
        def options(self, **kw):
            asked.update(kw)
            return SimpleNamespace(value=[["Date"], ["#N/A"]])

    used = SimpleNamespace(row=1, column=1, rows=SimpleNamespace(count=2), columns=SimpleNamespace(count=1))
    sheet = SimpleNamespace(used_range=used, range=lambda *a: Range())
    book = _excel(SimpleNamespace(sheets={"Log": sheet}))
    assert book.read_grid("Log") == [["Date"], ["#N/A"]]
    assert asked.get("err_to_str") is True and asked.get("ndim") == 2


def test_cell_functions_get_error_cells_as_their_text():
    from tracker.addin.udfwrap import _load_with_real_decorators, _load_xlwings_udfs

    module = _load_with_real_decorators("tracker.excel.udfs", _load_xlwings_udfs())
    functions = [f for f in vars(module).values() if hasattr(f, "__xlfunc__")]
    assert len(functions) == 4
    for f in functions:
        [table] = [a for a in f.__xlfunc__["args"] if a["name"] == "table"]
        assert table["options"] == {"convert": "range"}, f.__name__   # its cells (merged or not), read below
    asked = []

    class Cells:   # the table's xlwings Range
        row = column = 1
        sheet = None

        def options(self, **kw):
            asked.append(kw)
            return SimpleNamespace(value=[["#N/A"]])
    assert udfs._table(Cells())[0] == [["#N/A"]] and asked == [{"ndim": 2, "empty": None, "err_to_str": True}]


@pytest.mark.parametrize("own", ["Stats", "reminders"])
def test_refresh_with_a_users_sheet_named_like_ours_changes_nothing(book, own, monkeypatch):
    """Refused before any work, as the terminal refuses it: not after the columns."""
    import copy

    book.sheets[own] = [["My own numbers", "Q3 bonus"], ["Olga", 12000]]
    book.foreign = {own}
    before = copy.deepcopy(book.sheets)
    planned = []
    monkeypatch.setattr(jobs, "refresh_plan", lambda *a, **k: planned.append(a))
    message = ribbon.dispatch("refresh", book=book, now=NOW)
    assert planned == []
    assert message == (f"this workbook has its own sheet {own!r}; rename it, then click again "
                       f"(Call Tracker writes a sheet named {own.title()!r}); nothing was changed")
    assert book.sheets == before and book.highlights == {}
    assert book.statuses[-1] is None


def test_the_write_itself_checks_our_sheets_before_its_first_write(book):
    """A sheet of the user's that appeared after the plan was made: still nothing written."""
    import copy

    plan = jobs.refresh_plan(ribbon._Context(book, load_config(), NOW).log, load_config(), NOW)
    book.sheets["Chase today"] = [["mine"]]
    book.foreign = {"Chase today"}
    before = copy.deepcopy(book.sheets)
    with pytest.raises(Exception, match="its own sheet 'Chase today'"):
        ribbon.apply_plan(book, plan, header=book.sheets[book.active][plan.header_row - 1])
    assert book.sheets == before


def test_excel_refuses_to_write_into_a_protected_sheet_before_any_write():
    from types import SimpleNamespace

    from tracker.errors import TrackerError

    written = []
    sheet = SimpleNamespace(name="Log", api=SimpleNamespace(ProtectContents=True),
                            range=lambda *a: written.append(a))
    book = _excel(SimpleNamespace(sheets={"Log": sheet}))
    with pytest.raises(TrackerError, match="the sheet 'Log' is protected; unprotect it"):
        book.write_block("Log", 1, 16, [["Status"]])
    assert written == []


def test_excel_tells_our_sheets_from_the_users_by_the_page_header():
    from types import SimpleNamespace

    from tracker.errors import TrackerError
    def sheet(name, header):
        return SimpleNamespace(name=name, api=SimpleNamespace(PageSetup=SimpleNamespace(LeftHeader=header)))

    ours, mine = sheet("Stats", "Written by Call Tracker"), sheet("reminders", "Q3 plan")
    book = _excel(SimpleNamespace(sheets=[sheet("Calls", ""), ours, mine]))
    assert book._our_sheet("stats") is ours          # Excel's names ignore case
    assert book._our_sheet("Chase today") is None
    with pytest.raises(TrackerError, match="its own sheet 'reminders'"):
        book.check_replaceable("Reminders")


def test_excel_renames_a_sheet_of_ours_under_another_languages_name_and_leaves_the_users():
    ours = xwfake.Sheet("Chase today", "&8Written by Call Tracker", rows=[["Due"], ["old row"]])
    mine = xwfake.Sheet("Stats", "Q3 plan", rows=[["mine"]])
    book = _excel(xwfake.book(xwfake.Sheet("Журнал звонков"), ours, mine))
    book.replace_sheet(SheetWrite("Позвонить сегодня", [["Срок"]], formerly=("Chase today", "今日跟进")))
    assert ours.name == "Позвонить сегодня" and ours.grid() == [["Срок"]]
    assert book._ours_formerly(["Stats"]) is None and mine.name == "Stats"   # the user's: not ours to rename


def test_a_russian_log_gets_russian_sheets_from_the_ribbon_renamed_from_ours_in_english(tmp_path):
    from tracker.sample import write_sample

    config = load_config()
    path = tmp_path / "ru.xlsx"
    write_sample(path, config, NOW, lang="ru")
    wb = open_book(path)
    grids = {n: wb.grid(n) for n in wb.sheet_names}
    book = GridBook(sheets={**grids, "Chase today": [["Due"]], "Stats": [["mine"]]}, foreign={"Stats"},
                    path=str(path), active=find_log_sheet(wb, config))
    assert ribbon.dispatch("refresh", book=book, now=NOW).startswith("Обновлено")
    assert list(book.sheets) == [*grids, "Позвонить сегодня", "Stats", "Напоминания", "Статистика"]
    assert book.sheets["Позвонить сегодня"][0][0] == "Срок" and book.sheets["Stats"] == [["mine"]]


def test_every_name_of_our_sheets_is_never_taken_for_a_log():
    from tracker.config import normalize_word
    from tracker.log import OWNED_SHEETS

    names = {n for kind in jobs.OUR_SHEETS for n in load_config().data["sheet_names"][kind].values()}
    assert len(names) == 12 and {normalize_word(n) for n in names} <= OWNED_SHEETS


def test_excel_for_mac_tells_our_sheets_from_the_users_by_what_they_start_with():
    # Found by a review: Excel for Mac has no page header to read through xlwings, so a
    # user's own "Stats" sheet counted as ours and was cleared.
    from tracker.errors import TrackerError

    mine = xwfake.Sheet("Stats", header=None, rows=[["Q3 numbers"]])   # no PageSetup
    book = _excel(xwfake.book(mine))
    book.check_replaceable("Stats")   # cannot tell yet without what ours starts with
    with pytest.raises(TrackerError, match="its own sheet 'Stats'"):   # what apply_plan asks before any write
        book.check_replaceable("Stats", "Interviews by week")
    with pytest.raises(TrackerError, match="its own sheet 'Stats'"):
        book.replace_sheet(SheetWrite("Stats", [["Interviews by week"], ["Week", "Held"]]))
    assert mine.grid() == [["Q3 numbers"]]
    ours = xwfake.Sheet("Stats", header=None, rows=[["Interviews by week"], ["Week", "Held"], ["W46", 3]])
    book.book.sheets = xwfake.Sheets([ours])
    book.replace_sheet(SheetWrite("Stats", [["Interviews by week"], ["Week", "Held"]]))
    assert ours.grid() == [["Interviews by week", None], ["Week", "Held"]]


def test_excel_lays_out_a_sheet_of_ours_as_the_file_writer_does():
    # Found in a review: the ribbon's sheets were autofitted, unwrapped and without their
    # number formats, where the file writer's wrap their drafts in rows tall enough.
    from tracker.writeback import LINE_HEIGHT, MAX_ROW_LINES

    long_draft = "\n".join(f"line {i}" for i in range(20))
    sw = SheetWrite("Chase today", [["Due", "Who", "Draft"], [date(2026, 11, 23), "Anna", "Hi Anna,\nshort"],
                                    [date(2026, 11, 24), "Ivan", long_draft], [None, "Li", "one line"]],
                    widths=[12, 24, 30], number_formats={1: "dd.mm.yyyy"}, wrap=frozenset({3}))
    book = _excel(xwfake.book(xwfake.Sheet("Calls")))
    book.replace_sheet(sw)
    sheet = book.book.sheets["Chase today"]
    assert sheet.grid()[1:] == [[date(2026, 11, 23), "Anna", "Hi Anna,\nshort"], [date(2026, 11, 24), "Ivan", long_draft],
                                [None, "Li", "one line"]]
    assert [sheet.widths[c] for c in (1, 2, 3)] == [12, 24, 30]
    assert all(sheet.formats[r, 1] == "dd.mm.yyyy" for r in (2, 3, 4))
    assert all(sheet.wrapped[r, 3] and sheet.aligned[r, 3] == "top" for r in (2, 3, 4))
    assert (2, 2) not in sheet.wrapped and all(sheet.bold[1, c] for c in (1, 2, 3))
    assert sheet.autofitted[-1] == (1, 4)   # Excel fits each row to its text...
    assert sheet.heights == {3: MAX_ROW_LINES * LINE_HEIGHT}   # ...up to the file writer's limit

    # Written again, shorter: the rows of the last sheet are fitted back to their (no) text.
    sheet.heights[4] = 99.0
    book.replace_sheet(SheetWrite("Chase today", [["Due", "Who", "Draft"]], widths=[12, 24, 30], wrap=frozenset({3})))
    assert sheet.grid() == [["Due", "Who", "Draft"]] and sheet.autofitted[-1] == (1, 4) and 4 not in sheet.heights


def test_excel_leaves_the_sheet_clicked_on_in_front_when_it_adds_one_of_ours():
    # Found by a review: Excel's Sheets.Add brings the new sheet to the front, so the first
    # Refresh left the user on its last sheet, Stats, rather than on the log.
    log = xwfake.Sheet("Calls")
    book = _excel(xwfake.book(xwfake.Sheet("Notes"), log))
    log.activate()
    book.replace_sheet(SheetWrite("Stats", [["Interviews by week"]]))
    sheets = book.book.sheets
    assert [s.name for s in sheets] == ["Notes", "Calls", "Stats"] and sheets.active is log
    book.replace_sheet(SheetWrite("Stats", [["Interviews by month"]]))   # rewritten in place
    assert sheets.active is log and sheets["Stats"].grid() == [["Interviews by month"]]


def test_excel_keeps_the_texts_of_a_sheet_of_ours_texts():
    # Found by a review: Excel reads a text handed to it as if typed: a phone "+7 999..."
    # became a formula, an ID "001" the number 1, a note "1/2" a date, "50%" 0.5.
    rows = [["ID", "Phone", "Note"], ["001", "+7 999 123-45-67", "1/2"], ["12345678901234567890", "50%", "TRUE"]]
    book = _excel(xwfake.book(xwfake.Sheet("Calls")))
    book.replace_sheet(SheetWrite("Chase today", rows))
    assert book.book.sheets["Chase today"].grid() == rows


def test_excel_refuses_to_add_a_sheet_to_a_workbook_whose_structure_is_protected():
    from types import SimpleNamespace

    from tracker.errors import TrackerError

    ours = xwfake.Sheet("Stats", "&8Written by Call Tracker", rows=[["Interviews by week"]])
    book = _excel(xwfake.book(xwfake.Sheet("Calls"), ours))
    book.book.api = SimpleNamespace(ProtectStructure=True)
    with pytest.raises(TrackerError, match="structure is protected.*'Chase today'.*nothing was changed"):
        book.check_replaceable("Chase today")   # what apply_plan asks before any write
    with pytest.raises(TrackerError, match="structure is protected"):
        book.replace_sheet(SheetWrite("Chase today", [["Due"]]))
    assert [s.name for s in book.book.sheets] == ["Calls", "Stats"]
    book.check_replaceable("Stats")   # ours, there already: rewritten in place
    book.replace_sheet(SheetWrite("Stats", [["Interviews by month"]]))
    assert ours.grid() == [["Interviews by month"]]


def test_excel_reads_a_log_in_a_table_as_the_file_reader_does(tmp_path):
    # The log's table ends the log in Excel too: the contacts under it are no calls.
    rows = [["Date", "Call type", "Contact", "Outcome"], [datetime(2026, 11, 19), "First call", "Ann", "Done"],
            [datetime(2026, 11, 20), "Interview", "Bob", "Planned"], [None] * 4,
            ["Name", "Company", "Phone", None], ["Olga", "Acme", "+1 555 0100", None]]
    book = GridBook(sheets={"Calls": rows}, path=str(tmp_path / "calls.xlsx"), active="Calls",
                    table_boxes={"Calls": [(0, 2, 0, 3, 0), (4, 5, 0, 2, 0)]})
    assert ribbon.dispatch("refresh", book=book, now=NOW).startswith("Refreshed 2 calls")
    assert not any(book.sheets["Calls"][5][4:])   # nothing of ours on the contacts


def test_excel_adds_our_columns_right_of_a_note_typed_without_a_header(tmp_path):
    # Found on comparing with the file writer, which puts new columns right of the sheet's
    # dimension: the ribbon put them right of the last header, over a note in F5.
    rows = [["Date", "Call type", "Contact", "Outcome"],
            [datetime(2026, 11, 19), "First call", "Ann", "Done"],
            [datetime(2026, 11, 20), "Interview", "Bob", "Planned", None, "ask about visa"]]
    book = GridBook(sheets={"Calls": rows}, path=str(tmp_path / "calls.xlsx"), active="Calls")
    assert ribbon.dispatch("refresh", book=book, now=NOW).startswith("Refreshed 2 calls")
    sheet = book.sheets["Calls"]
    assert sheet[2][5] == "ask about visa" and sheet[0][4:6] == [None, None]
    assert sheet[0][6:10] == ["Status", "Due", "Next action", "Summary"]
    address, _ = book.highlights["Calls"]
    assert address == "A2:J3"


def test_excel_adds_our_columns_right_of_the_used_range_as_the_file_writer_does(tmp_path):
    # Found by a review: the ribbon looked at values only, so a drop-down on the empty
    # cells of E (Excel's used range: the grid is read that wide) was written over, where
    # the file writer goes right of it. A used range to the sheet's end (a whole row
    # formatted) falls back to the values.
    rows = [["Date", "Call type", "Contact", "Outcome", None, None],
            [datetime(2026, 11, 19), "First call", "Ann", "Done", None, None]]
    book = GridBook(sheets={"Calls": [list(r) for r in rows]}, path=str(tmp_path / "calls.xlsx"), active="Calls")
    assert ribbon.dispatch("refresh", book=book, now=NOW).startswith("Refreshed 1 call")
    assert book.sheets["Calls"][0][6] == "Status" and book.sheets["Calls"][0][4:6] == [None, None]
    wide = [r + [None] * (16384 - len(r)) for r in rows]
    book = GridBook(sheets={"Calls": wide}, path=str(tmp_path / "calls.xlsx"), active="Calls")
    assert ribbon.dispatch("refresh", book=book, now=NOW).startswith("Refreshed 1 call")
    assert book.sheets["Calls"][0][4] == "Status"


def test_excel_draws_the_stats_sheets_charts_once_however_often_it_is_written(sample):
    from tracker.log import read_log
    from tracker.model import column_letter

    config = load_config()
    sw = jobs.stats_sheet([read_log(str(sample), config)], config, "en")
    assert len(sw.charts) == 2
    book = _excel(xwfake.book(xwfake.Sheet("Calls")))
    book.replace_sheet(sw)
    book.replace_sheet(sw)   # the second click's charts replace the first's
    sheet = book.book.sheets[sw.name]
    assert len(sheet.charts) == 2
    for spec, chart in zip(sw.charts, sheet.charts):
        first, last, category = spec.categories
        [(name, col)] = spec.series
        letter, cat = column_letter(col - 1), column_letter(category - 1)
        assert chart.added["chart_type"] == ("line" if spec.kind == "line" else "column_clustered")
        assert chart.added["source"].address == f"${letter}${first - 1}:${letter}${last}"
        assert sheet.values[first - 1, col] == name   # the series is named by its header cell
        assert chart.x_values.address == f"${cat}${first}:${cat}${last}"
        anchor = sheet.range(spec.anchor)
        assert (chart.added["left"], chart.added["top"]) == (anchor.left, anchor.top)
        assert chart.added["width"] == spec.size[0] * xwfake.POINTS_PER_COLUMN
    assert {sw.number_formats[c] for c in sw.number_formats} == {sheet.formats[3, c] for c in sw.number_formats}


def test_the_ribbon_hands_excel_each_sheet_with_the_file_writers_layout(book):
    for action in ("chase_today", "reminders", "stats", "refresh"):
        assert not ribbon.dispatch(action, book=book, now=NOW).startswith("Something went wrong")
    config = load_config()
    assert set(book.layouts) == {"Chase today", "Reminders", "Stats"}
    log_sheet = book.active
    from tracker.log import parse_grid

    log = parse_grid(book.sheets[log_sheet], log_sheet, config)
    chase = jobs.chase_sheet(log, config, NOW)
    assert (book.layouts["Chase today"].widths, book.layouts["Chase today"].wrap) == (chase.widths, chase.wrap)
    assert book.layouts["Chase today"].number_formats == chase.number_formats
    assert book.layouts["Reminders"].wrap and book.layouts["Stats"].charts
    bad = GridBook(sheets={"Log": [["Date", "Call type", "Contact"], ["31.02.2026", "Interview", "A"]]})
    assert "1 cell needs a look" in ribbon.dispatch("check", book=bad, now=NOW)
    problems = bad.layouts[ribbon.PROBLEMS_SHEET]
    assert problems.wrap == {3} and len(problems.widths) == len(problems.rows[0]) == 3


def test_the_terminals_chase_table_says_what_the_chase_today_sheet_says(book, sample):
    """tracker overdue and the Chase today sheet: the same next action, channel and mark
    included, in the log's language."""
    ribbon.dispatch("chase_today", book=book, now=NOW)
    sheet = book.sheets["Chase today"]
    column = sheet[0].index(jobs._sheet_header(load_config(), "next_action", "en"))
    lines = CliRunner().invoke(main, ["overdue", str(sample), "--as-of", "2026-11-23T09:00"]).stdout.splitlines()[2:]
    assert len(lines) == len(sheet) - 1 > 0
    for row, line in zip(sheet[1:], lines):
        assert f" {row[column][:40]}" in line, (row[column], line)


def test_the_reminders_button_names_the_calls_without_a_time_as_the_terminal_does(sample, tmp_path):
    """A first call without its time gets no 15-minutes-before e-mail to the client: the
    button says so, as `tracker reminders` does, rather than listing the others alone."""
    import openpyxl

    config = load_config()
    path = tmp_path / "untimed.xlsx"
    wb = openpyxl.load_workbook(sample)
    log = jobs.read(sample, config)
    tomorrow = NOW.date().replace(day=NOW.day + 1)
    call = next(r for r in log.records if r.call_type == "first_call" and r.date == tomorrow and r.time)
    ws = wb[log.sheet]
    ws[f"{call.columns['time']}{call.row}"] = None
    wb.save(path)
    cli = CliRunner().invoke(main, ["reminders", str(path), "--from", "2026-11-23T09:00"])
    said = [line for line in cli.stderr.splitlines() if "has no time" in line]
    assert said and f"!{call.columns['time']}{call.row}:" in said[0]
    grids = open_book(path)
    book = GridBook(sheets={n: grids.grid(n) for n in grids.sheet_names}, path=str(path), active=log.sheet)
    message = ribbon.dispatch("reminders", book=book, now=NOW)
    assert all(line in message for line in said), message


def test_summary_button_names_a_selected_row_whose_call_type_cannot_be_read(tmp_path):
    """As `tracker summary --all` does: the row is named, not passed over, and not called
    a row "with no call type" when its type is a typo."""
    from workbooks import typo_call_type_log

    path = typo_call_type_log(tmp_path / "typo.xlsx")
    cli = CliRunner().invoke(main, ["summary", str(path), "--all"])
    said = [line for line in cli.stderr.splitlines() if "(left out)" in line]
    assert cli.exit_code == 1 and said and said[0].startswith("Calls!B3:")
    for selection, written in (([2, 3], "Wrote 1 summary"), ([3], "No summary written")):
        grids = open_book(path)
        book = GridBook(sheets={n: grids.grid(n) for n in grids.sheet_names}, path=str(path), active="Calls")
        book.selection = selection
        message = ribbon.dispatch("summary", book=book, now=NOW)
        assert message.startswith(written) and all(line in message for line in said), message


def test_a_date_merged_over_a_days_calls_dates_each_of_them_in_excel_too():
    # Found by a tester comparing Excel with the terminal: Excel hands only a merge's first
    # cell its value, so two of a day's three calls had no date: Chase today listed one
    # overdue call where the terminal listed three.
    rows = [["Date", "Call type", "Contact", "Outcome"],
            [datetime(2026, 11, 16), "Follow-up", "Ann", "No answer"],
            [None, "Follow-up", "Bob", "No answer"],
            [None, "Follow-up", "Cid", "No answer"],
            [datetime(2026, 11, 17), "First call", "Dan", "Done"]]
    log = xwfake.Sheet("Calls", rows=rows)
    log.merged = [(2, 1, 4, 1)]            # A2:A4
    excel = _excel(xwfake.book(log))
    assert excel.merged_down("Calls", excel.read_grid("Calls")) == [(0, 1, 3)]
    # Merged across columns (a heading) is not a date for the rows below it.
    log.merged = [(2, 1, 3, 2)]
    assert excel.merged_down("Calls", excel.read_grid("Calls")) == []
    # A title merged across the columns above the header costs no question per row (found
    # by a review: every column was then walked, a question to Excel per value).
    asked = []
    titled = xwfake.Sheet("Calls", rows=[["Calls of November"]] + rows)
    titled.merged = [(1, 1, 1, 4)]
    real_api = xwfake.Range.api
    try:
        xwfake.Range.api = property(lambda self: asked.append(self.areas) or real_api.fget(self))
        excel = _excel(xwfake.book(titled))
        assert excel.merged_down("Calls", excel.read_grid("Calls"), below=1) == []
    finally:
        xwfake.Range.api = real_api
    assert len(asked) == 1, asked   # the rows under the header: no merge, one question
    # What the buttons make of it: every call of the day is dated.
    book = GridBook(sheets={"Calls": rows}, merges={"Calls": [(0, 1, 3)]})
    ribbon.dispatch("chase_today", book=book, now=NOW)
    listed = " ".join(str(v) for row in book.sheets["Chase today"][1:] for v in row)
    assert all(name in listed for name in ("Ann", "Bob", "Cid")), listed


def test_a_kept_copy_of_chase_today_clicked_on_is_not_taken_for_the_log(tmp_path):
    # Found by a tester: the terminal passes over a copy of our Chase today ("Chase 19
    # Nov"); the ribbon took the sheet in front when its header looked like a log's.
    from tracker.sample import write_sample

    config = load_config()
    path = tmp_path / "calls.xlsx"
    write_sample(path, config, NOW)
    wb = open_book(path)
    log_name = find_log_sheet(wb, config)
    grids = {n: wb.grid(n) for n in wb.sheet_names}
    chase = jobs.chase_sheet(jobs.read(path, config), config, NOW)
    kept = [list(r) for r in chase.rows]
    book = GridBook(sheets={"Chase 19 Nov": [list(r) for r in kept], **grids}, path=str(path),
                    active="Chase 19 Nov")
    said = ribbon.dispatch("refresh", book=book, now=NOW)
    assert said.startswith(f"Refreshed {len(jobs.read(path, config).records)} calls on {log_name!r}"), said
    assert book.sheets["Chase 19 Nov"] == kept                  # the copy, as it was
    status = config.header("status", "en")
    assert status in book.sheets[log_name][0]                   # the log, refreshed
