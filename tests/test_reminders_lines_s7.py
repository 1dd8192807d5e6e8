"""What `tracker reminders` says beside its rows (calls that cannot be placed, reminders
that greet nobody, an empty window) is in the log's language, and the ribbon's
Reminders button says the same lines (jobs.reminder_notes, one function for both doors).
Logs written by `tracker init --lang`, typed into with openpyxl, read through the CLI
(click's CliRunner) and through the fake Excel (tests/xwfake.py)."""
from __future__ import annotations

from datetime import datetime, time

import openpyxl
import pytest
import xwfake
from click.testing import CliRunner

from tracker.cli import main
from tracker.config import load_config
from tracker.excel import ribbon
from tracker.excel.book import XwBook

pytestmark = pytest.mark.usefixtures("no_user_config")

NOW = datetime(2026, 11, 23, 9, 0)
DAY = datetime(2026, 11, 24)
ENGLISH = ("cannot be placed", "has no time", "could not be read, so", "planned call", "Nothing to remind",
           "greets nobody")


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def log_in(path, lang: str, rows: list[dict]):
    """A log as `tracker init --lang` writes it, `rows` ({field: value}) typed in under
    its headers in that language."""
    assert run("init", path, "--lang", lang).exit_code == 0
    config = load_config()
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    head = {c.value: c.column for c in ws[1]}
    for r, row in enumerate(rows, start=2):
        for field, value in row.items():
            ws.cell(r, head[config.header(field, lang)], value)
    wb.save(path)
    return path, ws.title


def four_calls(lang: str) -> list[dict]:
    """An interview whose time does not read, one with no time, a first call planned at
    11:00 with no date, and an interview at 15:00 with no candidates chosen yet."""
    config = load_config()
    interview, first = config.call_type_label("interview", lang), config.call_type_label("first_call", lang)
    planned = config.list_label("outcome", "planned", lang)
    base = {"client": "Acme", "contact": "Olga Ivanova", "outcome": planned}
    return [{**base, "date": DAY, "time": {"ru": "после обеда"}.get(lang, "after lunch"), "call_type": interview,
             "candidates": "Anna Li"},
            {**base, "date": DAY, "call_type": interview, "candidates": "Ivan Ko"},
            {**base, "time": time(11, 0), "call_type": first},
            {**base, "date": DAY, "time": time(15, 0), "call_type": interview}]


EXPECTED = {
    "en": ['{s}!C2: the time "after lunch" of the Interview on 2026-11-24 could not be read, so its reminders set '
           "minutes before it cannot be placed; write it as 14:30 or 2:30 pm",
           "{s}!C3: Interview on 2026-11-24 has no time, so its reminders set minutes before it cannot be placed; "
           "write its time",
           "1 planned call has a time but no date, so no reminder can be placed (sheet '{s}', row 4); write the date"],
    "ru": ["{s}!C2: не удалось прочитать время «после обеда» звонка «Интервью» вт 24.11.2026, поэтому напоминания, "
           "заданные за минуты до звонка, не поставить; запишите время как 14:30",
           "{s}!C3: у звонка «Интервью» вт 24.11.2026 не указано время, поэтому напоминания, заданные за минуты до "
           "звонка, не поставить; впишите время",
           "У 1 запланированного звонка есть время, но нет даты, поэтому напоминание не поставить "
           "(лист «{s}», строка 4); впишите дату"],
}


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_the_calls_reminders_cannot_be_placed_for_are_named_in_the_logs_language(tmp_path, lang):
    path, sheet = log_in(tmp_path / "calls.xlsx", lang, four_calls(lang))
    r = run("reminders", path, "--from", "2026-11-23T09:00")
    assert r.exit_code == 0, r.output
    said = r.stderr.splitlines()
    for line in EXPECTED[lang]:
        assert line.format(s=sheet) in said, r.stderr
    # The cell first, as every line of the kind; the interview with no candidates named too.
    nobody = [line for line in said if line.startswith(f"{sheet}!5:")]
    assert len(nobody) == 1, r.stderr
    if lang == "ru":
        # What the reader could not read is said elsewhere (report_problems); the lines of
        # the reminders themselves hold no English.
        ours = [line for line in said if line.startswith((f"{sheet}!", "У "))]
        assert len(ours) == 4 and not any(word in line for line in ours for word in ENGLISH), r.stderr


def excel_book(path) -> XwBook:
    """The workbook at `path` as open in Excel (the fake xlwings): times as fractions of a
    day, as Excel hands them; the folder picker cancelled."""
    wb = openpyxl.load_workbook(path)
    sheets = [xwfake.Sheet(ws.title, rows=[[(v.hour * 60 + v.minute) / 1440 if isinstance(v, time) else v
                                            for v in (c.value for c in row)] for row in ws.iter_rows()])
              for ws in wb.worksheets]
    return XwBook(xwfake.book(*sheets, path=str(path)))


def terminal_lines(path) -> list[str]:
    r = run("reminders", path, "--from", "2026-11-23T09:00")
    assert r.exit_code == 0, r.output
    # The last line names the cells left out, which the button says in its own words
    # ("click Check to"), as every button does.
    return [line for line in r.stderr.splitlines() if not line.startswith(str(path))]


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_the_reminders_button_says_the_lines_the_terminal_says(tmp_path, lang):
    path, sheet = log_in(tmp_path / "calls.xlsx", lang, four_calls(lang))
    said = terminal_lines(path)
    assert len(said) == 4, said   # the three of the calls that cannot be placed, the one that greets nobody
    message = ribbon.dispatch("reminders", book=excel_book(path), now=NOW)
    assert message.splitlines()[1:len(said) + 1] == said, message


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_an_empty_window_is_said_by_the_button_as_by_the_terminal(tmp_path, lang):
    config = load_config()
    later = {"date": datetime(2026, 12, 10), "time": time(10, 0), "client": "Acme", "contact": "Olga Ivanova",
             "call_type": config.call_type_label("first_call", lang),
             "outcome": config.list_label("outcome", "planned", lang)}
    path, _ = log_in(tmp_path / "calls.xlsx", lang, [later])
    said = terminal_lines(path)
    assert len(said) == 1 and said[0].startswith({"ru": "Напоминать не о чем с пн 23.11.2026, 09:00",
                                                   "en": "Nothing to remind from Mon 23 Nov 2026, 09:00"}[lang]), said
    message = ribbon.dispatch("reminders", book=excel_book(path), now=NOW)
    assert message.splitlines() == said, message
