"""Found by a tester comparing the two doors: a sheet of ours the user protected, Check on
a sheet without a header row, the Refresh button saying less than `tracker refresh`, and
the gaps of the fake xlwings that let those pass unseen."""
from __future__ import annotations

import copy
import re
import shutil
import zipfile
from datetime import datetime, time

import openpyxl
import pytest
from click.testing import CliRunner

import xwfake
from conftest import DEMO_NOW
from workbooks import plain_log, rewrite_parts
from tracker import jobs
from tracker.cli import main
from tracker.config import load_config
from tracker.excel import ribbon
from tracker.excel.book import XwBook
from tracker.sample import write_sample
from tracker.writeback import SheetWrite, WorkbookError, WritePlan, apply

NOW = DEMO_NOW
AS_OF = "2026-11-23T09:00"
MARK = "&8Written by Call Tracker"   # our sheets' page header, as Excel shows it


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def refreshed(tmp_path, lang="en"):
    """The sample log in `lang`, refreshed once from the terminal: our sheets in it."""
    path = write_sample(tmp_path / f"calls-{lang}.xlsx", load_config(), NOW, lang=lang)
    r = run("refresh", path, "--as-of", "2026-11-20T09:00")
    assert r.exit_code == 0, r.stderr
    return path


def sheet_part(path, name: str) -> str:
    with zipfile.ZipFile(path) as z:
        wb, rels = z.read("xl/workbook.xml").decode(), z.read("xl/_rels/workbook.xml.rels").decode()
    tag = next(m.group(0) for m in re.finditer(r"<sheet\b[^>]*>", wb) if f'name="{name}"' in m.group(0))
    rid = re.search(r'r:id="([^"]+)"', tag).group(1)
    target = re.search(rf'<Relationship\b[^>]*Id="{rid}"[^>]*>', rels).group(0)
    return "xl/" + re.search(r'Target="([^"]+)"', target).group(1).removeprefix("/xl/")


def protect(path, name: str):
    """Review > Protect Sheet on the sheet `name`, as Excel saves it."""
    part = sheet_part(path, name)
    return rewrite_parts(path, {part: lambda x: re.sub(r"(</sheetData>|<sheetData/>)",
                                                       r'\1<sheetProtection sheet="1" objects="1" scenarios="1"/>',
                                                       x, count=1)})


def our_name(kind: str, lang: str) -> str:
    return jobs.our_sheet_name(load_config(), kind, lang)


def refused(name: str, again: str, lang: str = "en") -> str:
    """The refusal of a protected sheet of ours, in the log's language."""
    click = again == "click again"
    if lang == "ru":
        return (f"лист «{name}» защищён; снимите защиту (Рецензирование > Снять защиту листа) или удалите его "
                f"(Call Tracker запишет его заново) и {'нажмите кнопку' if click else 'запустите'} снова; "
                "ничего не изменено")
    if lang == "ja":
        return (f"シート「{name}」は保護されています。保護を解除するか（校閲 > シート保護の解除）、削除してから"
                f"（Call Tracker が書き直します）もう一度{'クリック' if click else '実行'}してください。何も変更していません")
    return (f"the sheet {name!r} is protected; unprotect it (Review > Unprotect Sheet), or delete it "
            f"(Call Tracker writes it again), and {again}; nothing was changed")


def _excel_value(v):
    # Excel hands a time of day as a fraction of a day.
    return (v.hour * 3600 + v.minute * 60 + v.second) / 86400 if isinstance(v, time) else v


def excel_book(path, ours=(), protected=()) -> XwBook:
    """The workbook at `path` as open in Excel (the fake xlwings): `ours` carry our page
    header, `protected` are protected."""
    wb = openpyxl.load_workbook(path)
    sheets = []
    for ws in wb.worksheets:
        rows = [[_excel_value(c.value) for c in row] for row in ws.iter_rows()]
        sheet = xwfake.Sheet(ws.title, MARK if ws.title in ours else "", rows=rows)
        sheet.api.ProtectContents = ws.title in protected
        sheets.append(sheet)
    return XwBook(xwfake.book(*sheets, path=str(path)))


def state(book: XwBook):
    """Everything the fake records of each sheet."""
    return [(s.name, copy.deepcopy((s.values, s.formats, s.wrapped, s.aligned, s.bold, s.widths, s.heights)),
             len(s.charts)) for s in book.book.sheets]


# ---------------------------------------------------------------- a sheet of ours protected: the terminal

@pytest.mark.parametrize("lang, kind", [("en", "stats"), ("en", "chase"), ("ru", "reminders"), ("ja", "stats")])
def test_refresh_refuses_a_protected_sheet_of_ours_and_changes_nothing(tmp_path, lang, kind):
    """It exited 0, rewrote the sheet and dropped its protection."""
    path = refreshed(tmp_path, lang)
    name = our_name(kind, lang)
    before = protect(path, name).read_bytes()
    r = run("refresh", path, "--as-of", AS_OF)
    assert r.exit_code == 2 and "Traceback" not in r.output
    assert r.stderr == f"tracker: {path}: {refused(name, 'run again', lang)}\n"
    assert path.read_bytes() == before


def test_a_protected_sheet_of_ours_is_refused_before_the_work(tmp_path, monkeypatch):
    path = protect(refreshed(tmp_path), "Stats")
    config = load_config()
    log = jobs.read(path, config)
    monkeypatch.setattr(jobs, "refresh_plan", lambda *a, **k: pytest.fail("worked out before refusing"))
    with pytest.raises(WorkbookError, match=re.escape(refused("Stats", "run again"))):
        jobs.refresh(path, log, config, NOW)


def test_a_protected_sheet_of_ours_under_another_languages_name_is_not_renamed_and_rewritten(tmp_path):
    path = protect(refreshed(tmp_path), "Stats")
    before = path.read_bytes()
    plan = WritePlan("Call log", 1, 2, 1, [], [SheetWrite("Статистика", [["a"]], formerly=("Stats",))], [])
    with pytest.raises(WorkbookError, match=re.escape(refused("Stats", "run again"))):
        apply(path, plan, now=NOW)
    assert path.read_bytes() == before


# ---------------------------------------------------------------- a sheet of ours protected: the ribbon

@pytest.mark.parametrize("lang, kind", [("en", "stats"), ("en", "chase"), ("ru", "reminders")])
def test_the_refresh_button_refuses_a_protected_sheet_of_ours_before_any_write(tmp_path, lang, kind):
    """It wrote the log's columns and the other sheets, cleared Stats (Excel would have
    refused that), then said nothing was changed."""
    path = refreshed(tmp_path, lang)
    ours = jobs.our_sheet_names(load_config(), lang)
    name = our_name(kind, lang)
    book = excel_book(path, ours, protected={name})
    before = state(book)
    message = ribbon.dispatch("refresh", book=book, now=NOW)
    assert message == refused(name, "click again", lang)
    assert state(book) == before
    assert book.book.app.alerts == [message] and book.book.app.status_bar is False


def test_the_refresh_button_refuses_a_protected_log_sheet_before_the_work(tmp_path, monkeypatch):
    # As the terminal does (jobs.refresh): it was refused at its first write, after a big
    # log's seconds of work.
    path = refreshed(tmp_path, "en")
    book = excel_book(path, jobs.our_sheet_names(load_config(), "en"), protected={"Call log"})
    before = state(book)
    monkeypatch.setattr(jobs, "refresh_plan", lambda *a, **k: pytest.fail("worked out before refusing"))
    message = ribbon.dispatch("refresh", book=book, now=NOW)
    assert message.startswith("the sheet 'Call log' is protected; unprotect it (Review > Unprotect Sheet)")
    assert state(book) == before


def test_the_write_itself_refuses_a_protected_sheet_of_ours_before_its_first_write(tmp_path):
    """As apply_plan is called by a button with no check of its own (a sheet protected
    since): still nothing written, the renamed one of another language's name too."""
    path = refreshed(tmp_path)
    book = excel_book(path, jobs.our_sheet_names(load_config(), "en"), protected={"Reminders"})
    ctx = ribbon._Context(book, load_config(), NOW)
    plan = jobs.refresh_plan(ctx.log, load_config(), NOW)
    plan.sheets[1] = SheetWrite("Напоминания", plan.sheets[1].rows, formerly=("Reminders",))
    before = state(book)
    with pytest.raises(WorkbookError, match=re.escape(refused("Reminders", "click again"))):
        ribbon.apply_plan(book, plan, header=ctx.header(plan), used_width=ctx.used_width(plan))
    assert state(book) == before


@pytest.mark.parametrize("action, kind", [("chase_today", "chase"), ("stats", "stats"), ("reminders", "reminders")])
def test_every_button_writing_a_sheet_of_ours_refuses_it_protected(tmp_path, action, kind):
    path = refreshed(tmp_path)
    name = our_name(kind, "en")
    book = excel_book(path, jobs.our_sheet_names(load_config(), "en"), protected={name})
    before = state(book)
    assert ribbon.dispatch(action, book=book, now=NOW) == refused(name, "click again")
    assert state(book) == before


def test_check_refuses_its_problems_sheet_protected(tmp_path):
    path = tmp_path / "bad.xlsx"
    shutil.copy(refreshed(tmp_path), path)
    wb = openpyxl.load_workbook(path)
    wb["Call log"]["B3"] = "the day after"   # a date no one can read
    wb.create_sheet("Problems").append(["Cell", "Value", "Problem"])
    wb.save(path)
    book = excel_book(path, ["Problems"], protected={"Problems"})
    before = state(book)
    assert ribbon.dispatch("check", book=book, now=NOW) == refused("Problems", "click again")
    assert state(book) == before


# ---------------------------------------------------------------- Check on a sheet without a header row

def test_check_on_a_sheet_without_a_header_row_says_so_and_points_at_no_cell(tmp_path):
    """The button said "1 cell needs a look" and wrote a Problems row linking "0" to A1."""
    path = tmp_path / "notes.xlsx"
    book = XwBook(xwfake.book(xwfake.Sheet("Calls", rows=[["Call log of November"], ["Ann rang twice"]]),
                              path=str(path)))
    message = ribbon.dispatch("check", book=book, now=NOW)
    assert message == (f"{path}: sheet 'Calls' has no call-log header row that Call Tracker recognises; it looks "
                       "for headers such as Date, Call type, Contact, Comment on the call within the first 30 rows; "
                       "nothing was written.")
    assert [s.name for s in book.book.sheets] == ["Calls"]
    # The other buttons' refusal starts the same way: one text, from one place.
    assert ribbon.dispatch("refresh", book=book, now=NOW).startswith(message.split("; it looks")[0] + "; click Check")


# ---------------------------------------------------------------- what Refresh says

def test_the_refresh_button_says_what_the_terminal_says(tmp_path):
    """The button left out the columns it added and the sheets it wrote."""
    path = plain_log(tmp_path / "calls.xlsx", [
        [1, datetime(2026, 11, 18), "10:00", "First call", "Acme", "John Doe"],
        [2, datetime(2026, 11, 20), "11:00", "Interview", "Beta", "Ann Lee"],
        [3, datetime(2026, 11, 25), "15:00", "Interview", "Gamma", "Bob Chan"]])
    book = excel_book(path)
    terminal = tmp_path / "terminal.xlsx"
    shutil.copy(path, terminal)
    r = run("refresh", terminal, "--as-of", AS_OF)
    assert r.exit_code == 0, r.stderr
    said = [line for line in r.stderr.splitlines() if not line.startswith("Backup")]
    assert any(line.startswith("Added columns ") for line in said) and said[-1].startswith("Sheets written: ")
    assert ribbon.dispatch("refresh", book=book, now=NOW).splitlines() == said
    # Clicked again (a second refresh reads our columns' formulas, Range.formula): the
    # columns are there, the sheets written over.
    again = ribbon.dispatch("refresh", book=book, now=NOW).splitlines()
    assert again == [said[0], "Sheets written: Chase today, Reminders, Stats."]


# ---------------------------------------------------------------- the fake xlwings, as xlwings is

def test_the_fake_reads_and_selects_as_xlwings_does():
    sheet = xwfake.Sheet("Calls", rows=[["Date", "Call type"], [1.0, "=SUM(A1)"]])
    other = xwfake.Sheet("Notes")
    book = xwfake.book(sheet, other)
    assert sheet.range("A1").value == "Date"
    assert sheet.range("A1:B1").value == ["Date", "Call type"]   # a row: a list
    assert sheet.range("A1:A2").value == ["Date", 1.0]            # a column: a list too
    assert sheet.range("D9").options(ndim=2).value == [[None]]    # an empty sheet, as read_grid reads it
    assert sheet.range("A1:B1").options(ndim=2).value == [["Date", "Call type"]]
    sheet.range("B2").formula = "=SUM(A2)"
    assert sheet.range("B2").formula == "=SUM(A2)" and sheet.range("A2").formula == "1"
    assert sheet.range("A1:B2").formula == (("Date", "Call type"), ("1", "=SUM(A2)"))
    assert sheet.range("B2").api.HasFormula is True and sheet.range("A2:B2").api.HasFormula is None
    with pytest.raises(xwfake.ComError):   # Excel selects only on the sheet in front
        other.range("A1").select()
    sheet.range("A2").select()
    assert book.selection.address == "$A$2"
    book.app.status_bar = "Call Tracker: Refresh..."
    book.app.alert("done", title="Call Tracker")
    assert book.app.alerts == ["done"] and book.app.statuses == ["Call Tracker: Refresh..."]


def test_the_fake_refuses_changes_to_a_protected_sheet_as_excel_does():
    sheet = xwfake.Sheet("Stats", MARK, rows=[["Interviews by week"]])
    sheet.api.ProtectContents = True
    for change in (sheet.clear, lambda: setattr(sheet.range("A1"), "value", "x"),
                   lambda: setattr(sheet.range("A1"), "number_format", "0"),
                   lambda: setattr(sheet.range("A1"), "column_width", 20)):
        with pytest.raises(xwfake.ComError):
            change()
    assert sheet.grid() == [["Interviews by week"]]


def test_chase_today_runs_under_the_fake_without_stand_ins(tmp_path):
    """Range.select was missing: the button crashed under the fake."""
    path = refreshed(tmp_path)
    book = excel_book(path, jobs.our_sheet_names(load_config(), "en"))
    message = ribbon.dispatch("chase_today", book=book, now=NOW)
    assert message.endswith("to do today (overdue first): see the 'Chase today' sheet."), message
    assert book.book.sheets.active.name == "Chase today" and book.book.selection.address == "$A$1"
    assert book.book.app.alerts == [message]


def test_the_in_memory_book_refuses_as_excel_does():
    """GridBook, the Book the ribbon's other tests run on, refuses a protected sheet of
    ours as XwBook does: before any write."""
    from tracker.excel.book import GridBook

    grid = [["ID", "Date", "Time", "Call type", "Client", "Contact"],
            [1, datetime(2026, 11, 18), "10:00", "First call", "Acme", "John Doe"]]
    book = GridBook(sheets={"Calls": grid, "Stats": [["Interviews by week"]]}, protected={"Stats"})
    before = copy.deepcopy(book.sheets)
    assert ribbon.dispatch("refresh", book=book, now=NOW) == refused("Stats", "click again")
    assert ribbon.dispatch("stats", book=book, now=NOW) == refused("Stats", "click again")
    assert book.sheets == before
