"""tracker.log: a column of the NEXT contact's date or time ("Next" above "date" and
"time", "Next time", "Date (next contact)") is never the call's own date or time; its
time goes into the next contact, or is said not read. Real workbooks written with
openpyxl, read back, and the terminal's commands on them."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tracker.cli import main
from tracker.config import load_config
from tracker.log import parse_grid, read_log
from workbooks import rows_book

D = dt.datetime


@pytest.fixture(scope="module")
def config():
    with pytest.MonkeyPatch.context() as mp:   # no user configuration of the machine's
        mp.setenv("XDG_CONFIG_HOME", "/nonexistent-call-tracker-config")
        mp.setenv("APPDATA", "/nonexistent-call-tracker-config")
        return load_config()


def _book(path: Path, rows: list[list], merged: tuple[str, ...] = ()) -> Path:
    return rows_book(path, rows, merged, title="Log")


def _cli(monkeypatch, *args):
    monkeypatch.setenv("XDG_CONFIG_HOME", "/nonexistent-call-tracker-config")
    monkeypatch.setenv("APPDATA", "/nonexistent-call-tracker-config")
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


# Found by a tester: "Next" merged above "date" and "time", over a lower row that names
# as many fields alone (Call type, Client, Contact, date, time): that row won, and the
# next contact's date and time were read as the call's own (overdue: "Hold the planned
# call" on the 24th, and no next contact at all).
def test_next_above_date_and_time_is_the_next_contact_not_the_call(tmp_path, config, monkeypatch):
    path = _book(tmp_path / "next.xlsx", [
        [None, None, None, "Next", None],
        ["Call type", "Client", "Contact", "date", "time"],
        ["First call", "Acme", "Ann", D(2026, 11, 24), dt.time(15, 30)],
        ["First call", "Beta", "Bob", D(2026, 11, 25), None],
    ], merged=("D1:E1",))
    log = read_log(path, config)
    assert log.header_row == 2
    assert log.field_columns == {"call_type": 0, "client": 1, "contact": 2, "next_contact": 3,
                                 "next_contact_time": 4}
    assert log.headers == ["Call type", "Client", "Contact", "Next date", "Next time"]
    assert [(r.date, r.time, r.next_contact) for r in log.records] == [
        (None, None, D(2026, 11, 24, 15, 30)), (None, None, dt.date(2026, 11, 25))]
    assert log.problems == []

    r = _cli(monkeypatch, "overdue", path, "--all", "--as-of", "2026-11-22T09:00", "--format", "json")
    assert r.exit_code == 0, r.output
    assert [(x["row"], x["step"]["key"], x["due"], x["timed"]) for x in json.loads(r.stdout)] == [
        (3, "next_contact", "2026-11-24T15:30:00", True), (4, "next_contact", "2026-11-25", False)]


# Found by a tester: with the call's date in the upper row, "time" under "Next" was the
# one Time column: every call took place at its next contact's hour.
@pytest.mark.parametrize("merged", [False, True])
def test_the_time_under_next_never_becomes_the_calls_time(tmp_path, config, monkeypatch, merged):
    upper = ["Date", "Call type", "Client", "Next", None if merged else "Next"]
    path = _book(tmp_path / "t.xlsx", [
        upper,
        [None, None, None, "date", "time"],
        [D(2026, 11, 20), "First call", "Acme", D(2026, 11, 24), dt.time(15, 30)],
    ], merged=("D1:E1",) if merged else ())
    log = read_log(path, config)
    assert "time" not in log.field_columns and log.field_columns["next_contact_time"] == 4
    rec, = log.records
    assert (rec.date, rec.time, rec.next_contact) == (dt.date(2026, 11, 20), None, D(2026, 11, 24, 15, 30))
    r = _cli(monkeypatch, "check", path)
    assert r.exit_code == 0 and "duplicate" not in r.output, r.output


@pytest.mark.parametrize("date_header,time_header", [
    ("Next date", "Next time"), ("Next: date", "Next: time"),
    ("Next contact date", "Next contact time"), ("Date (next contact)", "Time (next)"),
    ("Дата следующего контакта", "Время следующего контакта"), ("下次联系日期", "下次联系时间"),
])
def test_a_next_time_column_of_one_row_times_the_next_contact(tmp_path, config, date_header, time_header):
    # Before: the time column was one of the user's own, silently unread (the next
    # contact due all day); a bracket's "(next contact)" read as the call's date.
    path = _book(tmp_path / "one.xlsx", [
        ["Date", "Time", "Call type", "Client", date_header, time_header],
        [D(2026, 11, 20), dt.time(10, 0), "First call", "Acme", "24.11.2026", "15:30"],
        [D(2026, 11, 21), dt.time(11, 0), "First call", "Beta", D(2026, 11, 25, 9, 0), None],
        [D(2026, 11, 21), dt.time(12, 0), "First call", "Gamma", D(2026, 11, 26, 9, 0), dt.time(17, 0)],
    ])
    log = read_log(path, config)
    assert (log.field_columns["date"], log.field_columns["next_contact"], log.field_columns["next_contact_time"]) \
        == (0, 4, 5)
    assert [(r.time, r.next_contact) for r in log.records] == [
        (dt.time(10), D(2026, 11, 24, 15, 30)),
        (dt.time(11), D(2026, 11, 25, 9, 0)),
        (dt.time(12), D(2026, 11, 26, 17, 0)),   # the time typed in its own column wins, as Time does
    ]
    assert log.problems == []


def test_a_next_time_without_a_date_is_said_not_read(tmp_path, config, monkeypatch):
    path = _book(tmp_path / "nodate.xlsx", [
        ["Date", "Call type", "Client", "Next contact", "Next time"],
        [D(2026, 11, 20), "First call", "Acme", "keep in touch by email", "15:30"],
        [D(2026, 11, 20), "First call", "Beta", None, dt.time(16, 0)],
        [D(2026, 11, 20), "First call", "Gamma", D(2026, 11, 24), dt.time(16, 0)],
    ])
    log = read_log(path, config)
    assert [(r.client, r.time, r.next_contact, r.next_contact_raw) for r in log.records] == [
        ("Acme", None, None, "keep in touch by email"), ("Beta", None, None, ""),
        ("Gamma", None, D(2026, 11, 24, 16, 0), "")]
    assert [(p.cell, p.value, p.read) for p in log.problems] == [("Log!E2", "15:30", False), ("Log!E3", "16:00", False)]
    assert all('without its date: not read; write the date in column D ("Next contact")' in p.message
               for p in log.problems)
    r = _cli(monkeypatch, "check", path)
    assert r.exit_code == 1 and "16:00" in r.output and "without its date" in r.output, r.output

    # No column of the next contact's date at all: said once, on the header.
    path = _book(tmp_path / "nocolumn.xlsx", [
        ["Date", "Call type", "Client", "Next time"],
        [D(2026, 11, 20), "First call", "Acme", dt.time(15, 30)],
        [D(2026, 11, 21), "First call", "Beta", dt.time(16, 0)],
    ])
    log = read_log(path, config)
    assert [r.next_contact for r in log.records] == [None, None]
    assert [(p.cell, p.value) for p in log.problems] == [("Log!D1", "Next time")]
    assert "the time of the next contact (2 times), but no column holds its date" in log.problems[0].message


def test_russian_next_contact_above_date_and_time_and_a_call_group(config):
    # Grids as the Excel reader gives them (no merges): "Следующий контакт" above "дата"
    # and "время" joins into no header word, yet both are the next contact's; "Call"
    # above "Date" and "Time" stays the call's.
    grid = [["Дата", "Вид звонка", "Клиент", "Следующий контакт", None],
            [None, None, None, "дата", "время"],
            ["20.11.2026", "Первый звонок", "Acme", "24.11.2026", "15:30"]]
    log = parse_grid(grid, "Log", config)
    assert log.field_columns == {"date": 0, "call_type": 1, "client": 2, "next_contact": 3, "next_contact_time": 4}
    rec, = log.records
    assert (rec.date, rec.time, rec.next_contact) == (dt.date(2026, 11, 20), None, D(2026, 11, 24, 15, 30))

    grid = [["Call", None, "Call type", "Client", "Next", None],
            ["Date", "Time", None, None, "Date", "Time"],
            ["20.11.2026", "10:00", "First call", "Acme", "24.11.2026", "15:30"]]
    log = parse_grid(grid, "Log", config)
    assert log.field_columns == {"date": 0, "time": 1, "call_type": 2, "client": 3, "next_contact": 4,
                                 "next_contact_time": 5}
    assert log.problems == []
    rec, = log.records
    assert (rec.time, rec.next_contact) == (dt.time(10), D(2026, 11, 24, 15, 30))
