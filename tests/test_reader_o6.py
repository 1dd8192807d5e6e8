"""tracker.log: the reader and refresh agree on whose a Summary-headed column is
(log.users_summary), the user's notes typed under our columns below the log, and a
two-row header with the next contact's word merged above its date and time. Real
workbooks written with openpyxl, refreshed and read back through the CLI."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from tracker.cli import main
from tracker.config import load_config
from tracker.log import read_log
from workbooks import rows_book

D = dt.datetime
AS_OF = "2026-11-20T09:00"


pytestmark = pytest.mark.usefixtures("no_user_config")


@pytest.fixture
def config(no_user_config):
    return load_config()


def _cli(monkeypatch, *args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def _book(path: Path, rows: list[list], merged: tuple[str, ...] = ()) -> Path:
    return rows_book(path, rows, merged, title="Calls")


def _column(path: Path, header: str) -> list:
    ws = openpyxl.load_workbook(path)["Calls"]
    heads = [c.value for c in ws[1]]
    col = heads.index(header) + 1
    return [ws.cell(r, col).value for r in range(2, ws.max_row + 1)]


# Found by a tester: a log with no notes column whose consultant keeps the notes, in the
# agency's format, under "Summary" ("Резюме звонка"). Refresh kept it as theirs and wrote
# ours beside it, but the reader took it for ours on the first refresh ("[missing]" in
# every item) and for one of the user's columns on the second (the whole notes in one
# item): our summaries changed between two refreshes of the same log.
@pytest.mark.parametrize("lang,header,ours", [
    ("en", "Summary", "Summary (Call Tracker)"),
    ("ru", "Резюме звонка", "Сводка (Call Tracker)"),
])
def test_the_users_summary_in_a_log_without_notes_is_read_as_the_notes(tmp_path, config, monkeypatch,
                                                                       lang, header, ours):
    notes = ["Company Name: Acme\nContact Person: John Smith\nImmediate Requirement: 2 Java devs full time\n"
             "Next Step: send CVs\nSM: Olga",
             "Company Name: Globex\nFuture needs: QA in spring\nSM: Olga"]
    heads = (["Date", "Call type", "Client", "Contact", "Outcome", "Next contact"] if lang == "en" else
             ["Дата", "Вид звонка", "Клиент", "Контакт", "Результат", "Следующий контакт"])
    path = _book(tmp_path / f"{lang}.xlsx", [
        heads + [header],
        [D(2026, 11, 16, 10), "First call" if lang == "en" else "Первый звонок", "Acme", "John Smith",
         "Done" if lang == "en" else "Состоялся", D(2026, 11, 19), notes[0]],
        [D(2026, 11, 17, 11), "First call" if lang == "en" else "Первый звонок", "Globex", "Mary Li",
         "Done" if lang == "en" else "Состоялся", D(2026, 11, 25), notes[1]],
    ])
    log = read_log(path, config)
    assert log.field_columns["notes"] == 6 and "summary" not in log.field_columns
    assert [r.notes for r in log.records] == notes

    r = _cli(monkeypatch, "refresh", path, "--as-of", AS_OF)
    assert r.exit_code == 0, r.output
    first = _column(path, ours)
    assert "Immediate Requirement: 2 Java devs full time" in first[0] and "Next Step: send CVs" in first[0]
    assert "SM: Olga" in first[0] and "Future needs: QA in spring" in first[1]
    assert _column(path, header) == notes

    log = read_log(path, config)   # refreshed: ours beside theirs, theirs still the notes
    assert log.field_columns["notes"] == 6 and log.field_columns["summary"] == len(heads) + 4
    assert not any(p.message.startswith("duplicate") for p in log.problems)
    r = _cli(monkeypatch, "refresh", path, "--as-of", AS_OF)
    assert r.exit_code == 0, r.output
    assert _column(path, ours) == first
    assert _column(path, header) == notes


# Found by a tester: a note typed in our columns' cells under the log (a legend beside
# the Status column, a reminder under the Summaries) was cleared by the next refresh,
# which took it for what an earlier refresh wrote on a call deleted since.
def test_notes_under_the_log_in_our_columns_are_kept_and_deleted_calls_cleared(tmp_path, config, monkeypatch):
    r = _cli(monkeypatch, "demo", tmp_path, "--as-of", AS_OF)
    assert r.exit_code == 0, r.output
    path = tmp_path / "call-log-demo.xlsx"
    wb = openpyxl.load_workbook(path)
    ws = wb["Call log"]
    assert [c.value for c in ws[1]][22:26] == ["Status", "Due", "Next action", "Summary"]   # W:Z
    assert ws.max_row == 218 and ws["W218"].value and ws["Z218"].value
    ws["W221"] = "red = overdue, amber = due today"
    ws["Z222"] = "ask Olga about Q1 targets"
    for r in (216, 217, 218):   # the last three calls deleted, but for our columns
        for c in range(1, 23):
            ws.cell(r, c).value = None
    wb.save(path)
    assert read_log(path, config).written_to == 218

    r = _cli(monkeypatch, "refresh", path, "--as-of", AS_OF)
    assert r.exit_code == 0, r.output
    ws = openpyxl.load_workbook(path)["Call log"]
    assert (ws["W221"].value, ws["Z222"].value) == ("red = overdue, amber = due today", "ask Olga about Q1 targets")
    assert all(ws.cell(r, c).value is None for r in (216, 217, 218) for c in range(23, 27))
    assert ws["W215"].value and ws["Z215"].value
    assert read_log(path, config).written_to == 215
    r = _cli(monkeypatch, "refresh", path, "--as-of", AS_OF)
    assert r.exit_code == 0, r.output
    ws = openpyxl.load_workbook(path)["Call log"]
    assert (ws["W221"].value, ws["Z222"].value) == ("red = overdue, amber = due today", "ask Olga about Q1 targets")


def _two_row_header_log(path: Path, upper: str, date: str, time: str) -> Path:
    return _book(path, [
        ["Журнал звонков — Анна"],
        ["Дата", "Время", "Вид звонка", "Клиент", "Контакт", "Результат", upper, None, "Комментарии к звонку"],
        [None, None, None, None, None, None, date, time, None],
        ["16.11.2026", "10:00", "Первый звонок", "Акме", "Иван Петров", "Состоялся", "24.11.2026", "11:00",
         "Company Name: Акме"],
        ["17.11.2026", "14:30", "Повторный звонок", "Глобекс", "Мария Ли", "Состоялся", "25.11.2026", None, "ок"],
    ], merged=("G2:H2",))


# Found by a tester: "Следующий" merged above "дата" and "время" read no call at all (the
# row under the header taken for another table's header), and refresh wrote its sheets
# over nothing; "Next" above "date" and "time" was read.
@pytest.mark.parametrize("upper,date,time", [
    ("Следующий", "дата", "время"), ("След.", "дата", "время"), ("Next", "date", "time"),
    ("下次", "日期", "时间"), ("次回", "日付", "時間"),
])
def test_the_next_contacts_word_above_date_and_time_in_every_language(tmp_path, config, monkeypatch,
                                                                       upper, date, time):
    path = _two_row_header_log(tmp_path / "log.xlsx", upper, date, time)
    log = read_log(path, config)
    assert log.header_row == 3
    assert (log.field_columns["date"], log.field_columns["next_contact"], log.field_columns["next_contact_time"]) \
        == (0, 6, 7)
    assert [(r.date, r.time, r.next_contact) for r in log.records] == [
        (dt.date(2026, 11, 16), dt.time(10), D(2026, 11, 24, 11)),
        (dt.date(2026, 11, 17), dt.time(14, 30), dt.date(2026, 11, 25))]
    assert log.problems == []
    r = _cli(monkeypatch, "check", path)
    assert r.exit_code == 0 and "2 звонка, 0 проблем" in r.output, r.output


def test_a_header_word_that_is_not_the_next_contacts_stays_the_calls(config):
    # "Дата" above "время" is not the start of "Дата следующего контакта": not the next contact's.
    from tracker.log import parse_grid

    log = parse_grid([["Дата", None, "Вид звонка", "Клиент"], [None, "время", None, None],
                      ["20.11.2026", "10:00", "Первый звонок", "Acme"]], "Log", config)
    assert "next_contact" not in log.field_columns and "next_contact_time" not in log.field_columns


def test_a_second_header_row_not_understood_is_said_and_the_calls_under_it_read(tmp_path, config, monkeypatch):
    # Before: no call read (the log "ended" under its header), and refresh exited 0 having
    # written its sheets over nothing.
    path = _two_row_header_log(tmp_path / "log.xlsx", "Потом", "дата", "время")
    log = read_log(path, config)
    assert [r.client for r in log.records] == ["Акме", "Глобекс"]
    assert "next_contact" not in log.field_columns
    assert [(p.row, p.read) for p in log.problems] == [(3, True)]
    assert "a second row of the header, not understood: columns G, H kept as your own" in log.problems[0].message
    r = _cli(monkeypatch, "check", path)
    assert "2 звонка, 1 проблема" in r.output and "second row of the header" in r.output, r.output
