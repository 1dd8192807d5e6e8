"""The ribbon's message boxes speak the log's language, as the terminal's lines do
(templates/lines/ribbon_*): a Russian, Chinese or Japanese team clicking a button reads
its own language; an English one reads what it always read. And the Excel door reads a
sheet's page header only where it decides something."""
import re
from pathlib import Path

import pytest
from conftest import DEMO_NOW

from tracker import jobs
from tracker.config import load_config
from tracker.excel import ribbon
from tracker.excel.book import GridBook, XwBook
from tracker.files import open_book
from tracker.log import find_log_sheet
from tracker.sample import write_sample

import xwfake

NOW = DEMO_NOW
SCRIPT = {"ru": re.compile("[А-Яа-яЁё]"), "zh": re.compile("[\u4e00-\u9fff]"), "ja": re.compile("[\u3040-\u30ff]")}
# Three English words in a row: a sentence of the English messages (a path, a button's
# name, a sheet's name in quotes are no such run).
ENGLISH = re.compile(r"\b[A-Za-z]{2,}(?:,? [A-Za-z]{2,}){2,}\b")


def sample_book(tmp_path: Path, lang: str) -> GridBook:
    path = tmp_path / f"calls-{lang}.xlsx"
    write_sample(path, load_config(), NOW, lang=lang)
    wb = open_book(path)
    return GridBook(sheets={n: wb.grid(n) for n in wb.sheet_names}, path=str(path),
                    active=find_log_sheet(wb, load_config()))


def in_language(message: str, lang: str) -> None:
    assert SCRIPT[lang].search(message), message
    words = re.sub(r"\S*/\S*", "", message)   # (a path is no sentence)
    assert not ENGLISH.search(words), (ENGLISH.search(words), message)


def call_rows(book: GridBook) -> list[int]:
    log = jobs.read(book.path, load_config())
    return [r.row for r in log.records if r.call_type][:2]


@pytest.mark.parametrize("lang", ["ru", "zh", "ja"])
def test_each_button_answers_in_the_logs_language(tmp_path, lang):
    book = sample_book(tmp_path, lang)
    book.folder = str(tmp_path / "out")
    said = {}
    for action in ("refresh", "chase_today", "reminders", "stats", "check"):
        said[action] = ribbon.dispatch(action, book=book, now=NOW)
    book.active = next(n for n in book.sheets if n == jobs.read(book.path, load_config()).sheet)
    book.selection = call_rows(book)
    said["summary"] = ribbon.dispatch("summary", book=book, now=NOW)
    book.selection = []
    said["summary, nothing selected"] = ribbon.dispatch("summary", book=book, now=NOW)
    book.answers = [load_config().call_type_label("first_call", lang)]
    said["new_call"] = ribbon.dispatch("new_call", book=book, now=NOW)
    said["new_call, cancelled"] = ribbon.dispatch("new_call", book=book, now=NOW)
    for action, message in said.items():
        assert message == book.alerts[list(said).index(action)]
        in_language(message, lang)
    # What each says, not only its script: the counts and the sheets' names.
    chase = book.sheets[jobs.our_sheet_names(load_config(), lang)[0]]
    assert str(len(chase) - 1) in said["chase_today"]
    assert (tmp_path / "out" / "call-tracker.ics").is_file()


@pytest.mark.parametrize("lang, words", [("ru", "чтение"), ("zh", "正在读取"), ("ja", "読み込み中")])
def test_the_status_bar_tells_each_step_of_a_refresh_in_the_logs_language(tmp_path, lang, words):
    book = sample_book(tmp_path, lang)
    ribbon.dispatch("refresh", book=book, now=NOW)
    steps = book.statuses[1:-1]
    assert len(steps) == 3 and steps[0] == f"Call Tracker: {words}...", steps
    for step in steps:
        in_language(step.removeprefix("Call Tracker: "), lang)
    n = len(jobs.read(book.path, load_config()).records)
    assert str(n) in steps[1]


def test_russian_counts_take_the_russian_plural(tmp_path):
    book = sample_book(tmp_path, "ru")
    message = ribbon.dispatch("check", book=book, now=NOW)
    n = len(jobs.read(book.path, load_config()).records)
    if message.startswith("Все ячейки"):
        noun = "звонок" if n % 10 == 1 and n % 100 != 11 else (
            "звонка" if n % 10 in (2, 3, 4) and n % 100 not in (12, 13, 14) else "звонков")
        assert f"({n} {noun})" in message, message
    else:
        assert message.startswith("Стоит проверить"), message


@pytest.mark.parametrize("lang", ["ru", "zh", "ja"])
def test_an_unexpected_error_after_the_log_was_read_is_said_in_its_language(tmp_path, monkeypatch, lang):
    book = sample_book(tmp_path, lang)

    def half_way(ctx):
        assert ctx.log.records
        raise KeyError("boom")

    monkeypatch.setitem(ribbon.HANDLERS, "stats", half_way)
    message = ribbon.dispatch("stats", book=book, now=NOW)
    assert "KeyError: 'boom'" in message and SCRIPT[lang].search(message), message
    assert not message.startswith("Something went wrong")
    report = Path(message.rsplit(" ", 1)[1].rsplit("：", 1)[-1])
    assert "KeyError" in report.read_text(encoding="utf-8")
    report.unlink()


def test_settings_speak_the_configured_language_where_no_log_is_read(tmp_path):
    (tmp_path / "tracker.yaml").write_text("language: ru\n", encoding="utf-8")
    config = load_config(tmp_path / "tracker.yaml")
    book = GridBook(sheets={"Calls": [["Date"]]}, path=str(tmp_path / "calls.xlsx"))
    message = ribbon.dispatch("settings", book=book, now=NOW, config=config)
    assert message.startswith("Открыт файл ") and "Refresh" in message, message
    in_language(message.replace(str(tmp_path / "tracker.yaml"), ""), "ru")
    assert book.reads == []   # Settings reads no log, as before


# ---------------------------------------------------------------- English, as it was

def test_english_messages_are_what_they_were(tmp_path):
    book = sample_book(tmp_path, "en")
    log = jobs.read(book.path, load_config())
    chase = ribbon.dispatch("chase_today", book=book, now=NOW)
    n = len(book.sheets["Chase today"]) - 1
    assert chase == f"{n} follow-up{'s' if n != 1 else ''} to do today (overdue first): see the 'Chase today' sheet."
    assert ribbon.dispatch("stats", book=book, now=NOW) == "Statistics written to the 'Stats' sheet."
    check = ribbon.dispatch("check", book=book, now=NOW)
    assert check == f"Every cell of {log.sheet!r} reads cleanly ({len(log.records)} calls)." or \
        re.fullmatch(r"\d+ cells? needs? a look: click a cell in the 'Problems' sheet to go to it\.", check), check
    book.selection = call_rows(book)
    assert ribbon.dispatch("summary", book=book, now=NOW).startswith("Wrote 2 summaries into the Summary column.")
    assert ribbon.dispatch("new_call", book=book, now=NOW) == "New call cancelled: nothing was added."
    book.answers = ["First call"]
    assert re.fullmatch(r"Added a call on row \d+\.", ribbon.dispatch("new_call", book=book, now=NOW))
    assert book.statuses[-2:] == ["Call Tracker: New call...", None]


def test_english_cells_left_out_are_said_as_a_sentence_as_before(tmp_path):
    book = GridBook(sheets={"Log": [["Date", "Call type", "Contact"], ["31.02.2026", "Interview", "A"],
                                    ["2026-11-20", "Interview", "B"]]}, path=str(tmp_path / "x.xlsx"))
    message = ribbon.dispatch("stats", book=book, now=NOW)
    assert message.startswith("Statistics written to the 'Stats' sheet.\n1 ")
    assert "\n1 row has no date and was left out of these statistics" in message and message.endswith(").")


# ---------------------------------------------------------------- the page header, read when it decides

class CountedPage:
    """A sheet's PageSetup whose every read of the page header is counted (on Windows with
    a network printer, each can take seconds)."""
    reads = 0

    def __init__(self, header: str):
        self._header = header

    @property
    def LeftHeader(self):
        CountedPage.reads += 1
        return self._header


def excel_with(sheets: dict[str, list[list]], marked: set[str], tmp_path: Path, active: str) -> XwBook:
    fakes = []
    for name, rows in sheets.items():
        sheet = xwfake.Sheet(name, rows=rows)
        sheet.api.PageSetup = CountedPage("&8Written by Call Tracker" if name in marked else "")
        fakes.append(sheet)
    book = xwfake.book(*fakes, path=str(tmp_path / "calls.xlsx"))
    book.sheets.active = next(s for s in fakes if s.name == active)
    CountedPage.reads = 0
    return XwBook(book)


def test_a_click_on_the_log_reads_no_page_header(tmp_path):
    book = sample_book(tmp_path, "en")
    log = book.active
    excel = excel_with({log: book.sheets[log]}, set(), tmp_path, log)
    ctx = ribbon._Context(excel, load_config(), NOW)
    assert ctx.log_sheet() == log
    assert CountedPage.reads == 0


def test_a_kept_copy_of_chase_today_is_still_told_by_its_page_header(tmp_path):
    # A copy Excel made of our Chase today, its draft and row columns deleted: only the
    # page header tells it from a log, so it is read, and the log is found beside it.
    book = sample_book(tmp_path, "en")
    log = book.active
    config = load_config()
    chase = [r[:7] for r in jobs.chase_sheet(jobs.read(book.path, config), config, NOW).rows]
    excel = excel_with({"Chase 19 Nov": chase, log: book.sheets[log]}, {"Chase 19 Nov"}, tmp_path, "Chase 19 Nov")
    assert ribbon._Context(excel, config, NOW).log_sheet() == log
    assert CountedPage.reads == 1   # the copy's; not the log's
    # Without the mark the same sheet is taken for a log, as before: the header decided nothing.
    excel = excel_with({"Chase 19 Nov": chase, log: book.sheets[log]}, set(), tmp_path, "Chase 19 Nov")
    assert ribbon._Context(excel, config, NOW).log_sheet() == "Chase 19 Nov"


@pytest.mark.parametrize("lang", ["en", "ru", "zh", "ja"])
def test_our_sheets_headers_read_as_no_field_the_door_takes_for_a_logs(tmp_path, lang):
    # What lets the door skip a log's page header: the fields our sheets' header rows read
    # as are all in ribbon._OUR_SHEETS_FIELDS; a sheet's header naming another is a log's.
    from tracker.log import find_header

    config = load_config()
    path = tmp_path / "calls.xlsx"
    write_sample(path, config, NOW, lang=lang)
    log = jobs.read(path, config)
    sheets = [jobs.chase_sheet(log, config, NOW), jobs.reminders_sheet(jobs.reminder_list(log, config, NOW, None),
                                                                       config, lang)]
    for sheet in sheets:
        header = find_header([list(r) for r in sheet.rows[:40]], config)
        assert header is None or set(header.fields) <= ribbon._OUR_SHEETS_FIELDS, (sheet.name, header.fields)
    assert not set(find_header(open_book(path).grid(log.sheet)[:40], config).fields) <= ribbon._OUR_SHEETS_FIELDS


@pytest.mark.parametrize("lang", ["ru", "zh", "ja"])
def test_a_sheet_without_a_header_row_is_refused_in_the_configured_language(tmp_path, lang):
    # No header row: no log's language to tell; the team's configured one is spoken.
    (tmp_path / "tracker.yaml").write_text(f"language: {lang}\n", encoding="utf-8")
    config = load_config(tmp_path / "tracker.yaml")
    book = GridBook(sheets={"Log": [["Заметки"], ["Аня звонила"]]}, path=str(tmp_path / "x.xlsx"))
    check = ribbon.dispatch("check", book=book, now=NOW, config=config)
    assert "30" in check and config.header("date", lang) in check, check
    refused = ribbon.dispatch("chase_today", book=book, now=NOW, config=config)
    assert "Check" in refused and "Chase today" not in book.sheets
    for message in (check, refused):
        in_language(message.replace("Call Tracker", ""), lang)
