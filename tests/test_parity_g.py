"""The same log through two doors: the cell functions against the terminal, and the
terminal's CSV against the sheets Refresh writes. Found by a read-only tester comparing them."""
import csv
import io
import json
from datetime import datetime, timezone
from pathlib import Path
from types import SimpleNamespace

import openpyxl
import pytest
from click.testing import CliRunner
from workbooks import typed_log

import tracker.config
from tracker.cli import main
from tracker.config import load_config
from tracker.excel import cells, udfs
from tracker.files import open_book
from tracker.followups import status_label
from tracker.jobs import FOLLOWUP_COLUMNS, REMINDER_COLUMNS
from tracker.log import find_log_sheet

AS_OF = "2026-11-23T09:00"


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def table_of(path: Path) -> list[list]:
    """The log's cells as a cell function is handed them, header row first."""
    config = load_config(None, path)
    wb = open_book(path)
    return [list(r) for r in wb.grid(find_log_sheet(wb, config))]


def caller(path: Path):
    """The calling cell as xlwings gives it: its sheet, and the sheet's workbook."""
    book = SimpleNamespace(fullname=str(path), api=SimpleNamespace(Date1904=False))
    return SimpleNamespace(sheet=SimpleNamespace(name="Formulas", book=book))


def serial(moment: datetime) -> float:
    """A date-time as a date cell (or NOW()) hands it over: Excel's serial number."""
    return (moment - datetime(1899, 12, 30)).total_seconds() / 86400


# ---------------------------------------------------------------- one date-time, one moment

@pytest.fixture
def tokyo_log(tmp_path) -> Path:
    """A log whose tracker.yaml sets Tokyo's time, on a computer kept on UTC below."""
    path = typed_log(tmp_path / "calls.xlsx", [
        {"Date": datetime(2026, 11, 20, 10, 0), "Call type": "First call", "Client": "Acme", "Contact": "Anna Li",
         "Outcome": "Agreed", "Next contact": datetime(2026, 11, 23)},
        {"Date": datetime(2026, 11, 20, 11, 0), "Call type": "First call", "Client": "Beta", "Contact": "Bob Ray",
         "Outcome": "Agreed", "Next contact": datetime(2026, 11, 23, 22, 0)},
        {"Date": datetime(2026, 11, 24, 10, 0), "Call type": "Interview", "Client": "Gamma", "Contact": "Cid",
         "Candidates": "Eve Stone (E1)", "Outcome": "Planned", "SM": "Kate"},
    ])
    (tmp_path / "tracker.yaml").write_text("timezone: Asia/Tokyo\n", encoding="utf-8")
    return path


def cli_statuses(path: Path, as_of: str) -> list:
    """Each call row's status as `tracker overdue --all` judges it, in the cells' words."""
    config = load_config(None, path)
    listed = {i["row"]: i["status"] for i in json.loads(run("overdue", path, "--as-of", as_of, "--all",
                                                             "--format", "json").stdout)}
    return [status_label(config, listed.get(row, "done"), "en") for row in (2, 3, 4)]


def cell_statuses(path: Path, as_of) -> list:
    return [cell for [cell] in udfs.TRACKER_STATUS(table_of(path), as_of, caller=caller(path))[1:4]]


def test_a_date_time_given_to_a_cell_is_the_workbooks_wall_clock_however_it_is_given(tokyo_log, monkeypatch):
    """Found by a tester: with `timezone: Asia/Tokyo` on a computer on UTC, 2026-11-23 20:00
    in a date cell was read as 20:00 UTC (05:00 on the 24th in Tokyo), where the same
    text, and `--as-of`, were 20:00 in Tokyo."""
    monkeypatch.setattr(cells, "_KEPT", {})
    monkeypatch.setattr(tracker.config, "computer_zone", lambda: timezone.utc)
    monkeypatch.setattr(cells, "_clock", lambda: datetime(2026, 12, 6, 1, 53, tzinfo=timezone.utc))
    evening = datetime(2026, 11, 23, 20, 0)
    expected = cli_statuses(tokyo_log, "2026-11-23T20:00")
    assert expected != cli_statuses(tokyo_log, "2026-11-24T05:00")   # the moment it was taken for
    for given in (serial(evening), evening, "2026-11-23 20:00"):   # a date cell, as xlwings may hand it, a text
        assert cell_statuses(tokyo_log, given) == expected, given


def test_now_from_excel_is_this_computers_clock_and_the_same_moment_as_on_the_command_line(tokyo_log, monkeypatch):
    # NOW() is the computer's wall clock: 20:00 on a computer on UTC is 05:00 in Tokyo.
    monkeypatch.setattr(cells, "_KEPT", {})
    monkeypatch.setattr(tracker.config, "computer_zone", lambda: timezone.utc)
    clock = datetime(2026, 11, 23, 20, 0, 40, tzinfo=timezone.utc)
    monkeypatch.setattr(cells, "_clock", lambda: clock)
    now = clock.replace(tzinfo=None)
    expected = cli_statuses(tokyo_log, "2026-11-24T05:00")
    assert expected != cli_statuses(tokyo_log, "2026-11-23T20:00")
    assert cell_statuses(tokyo_log, serial(now)) == expected
    # Recalculated a few minutes on (a slow table), NOW()'s value is still the clock's.
    monkeypatch.setattr(cells, "_clock", lambda: clock.replace(minute=6))
    assert cell_statuses(tokyo_log, serial(now)) == expected


# ---------------------------------------------------------------- a summary not written

@pytest.fixture
def odd_rows(tmp_path) -> Path:
    return typed_log(tmp_path / "calls.xlsx", [
        {"Date": datetime(2026, 11, 20, 10, 0), "Call type": "First call", "Client": "Acme", "Contact": "Anna Li",
         "Outcome": "Done"},
        {"Date": datetime(2026, 11, 20, 11, 0), "Call type": "Coffee chat", "Client": "Beta", "Contact": "Bob Ray",
         "Outcome": "Done"},
        {"Date": datetime(2026, 11, 20, 12, 0), "Client": "Gamma", "Contact": "Cid", "Outcome": "Done"},
        {},
        {"Date": datetime(2026, 11, 20, 13, 0), "Call type": "First call", "Client": "Delta", "Contact": "Dan",
         "Outcome": "Done"},
    ])


@pytest.mark.parametrize("row, why", [
    (3, "call type 'Coffee chat' is not one Call Tracker knows, so no summary format applies; write one of the "
        "drop-down's call types, or add yours under `call_types` in tracker.yaml"),
    (4, "the row has no call type, so no summary format applies"),
])
def test_one_rows_summary_that_cannot_be_written_says_why_as_the_command_line_does(odd_rows, monkeypatch, row, why):
    """Found by a tester: =TRACKER_SUMMARY(T,,3) on a "Coffee chat" row was a blank cell,
    where `tracker summary --row 3` and the Summary button say why there is none."""
    monkeypatch.setattr(cells, "_KEPT", {})
    r = run("summary", odd_rows, "--row", row)
    assert r.exit_code == 1 and r.stderr.rstrip("\n").endswith(f"{row}: {why}"), r.stderr
    for lang in (None, "ru"):
        assert udfs.TRACKER_SUMMARY(table_of(odd_rows), lang, row, caller=caller(odd_rows)) == f"#CallTracker: {why}"
    # The spilled column holds what Refresh writes in the Summary column (before a long
    # text is cut to fit a spill): nothing there.
    spilled = cells.column(table_of(odd_rows), "summary", book_path=str(odd_rows), recalc=cells.Recalc())
    assert udfs.TRACKER_SUMMARY(table_of(odd_rows), caller=caller(odd_rows))[row - 1] == [None]
    assert run("refresh", odd_rows, "--as-of", AS_OF).exit_code in (0, 1)
    ws = openpyxl.load_workbook(odd_rows)["Call log"]
    written = [ws.cell(r, [c.value for c in ws[1]].index("Summary") + 1).value for r in range(1, 7)]
    assert [cell for [cell] in spilled] == written and written[row - 1] is None and written[1] and written[5]


def test_a_row_that_holds_no_call_has_no_summary_and_no_message(odd_rows):
    # A formula filled down beside the table meets blank rows: they stay blank.
    assert udfs.TRACKER_SUMMARY(table_of(odd_rows), None, 5, caller=caller(odd_rows)) is None
    assert udfs.TRACKER_SUMMARY(table_of(odd_rows), None, 2, caller=caller(odd_rows)).startswith("Company Name: Acme")


# ---------------------------------------------------------------- the CSV carries the sheet

@pytest.fixture
def chased(tmp_path) -> Path:
    """A chase at its T+3 step, whose draft is an e-mail of paragraphs; a chase due today;
    a first call tomorrow whose client gets an e-mail reminder."""
    path = typed_log(tmp_path / "calls.xlsx", [
        {"Date": datetime(2026, 11, 18, 10, 0), "Call type": "First call", "Client": "Acme", "Contact": "Anna Li",
         "Outcome": "No answer", "Position": "Java developer", "E-mail": "anna@acme.example"},
        {"Date": datetime(2026, 11, 19, 10, 0), "Call type": "Follow-up", "Client": "Acme", "Contact": "Anna Li",
         "Outcome": "No answer", "Channel": "SMS", "Position": "Java developer"},
        {"Date": datetime(2026, 11, 16, 10, 0), "Call type": "First call", "Client": "Beta", "Contact": "Bob",
         "Outcome": "No answer"},
        {"Date": datetime(2026, 11, 17, 10, 0), "Call type": "Follow-up", "Client": "Beta", "Contact": "Bob",
         "Outcome": "No answer", "Channel": "SMS"},
        {"Date": datetime(2026, 11, 19, 10, 0), "Call type": "Follow-up", "Client": "Beta", "Contact": "Bob",
         "Outcome": "No answer", "Channel": "Phone"},
        {"Date": datetime(2026, 11, 24, 10, 0), "Call type": "First call", "Client": "Gamma", "Contact": "Cid Moe",
         "Outcome": "Planned", "E-mail": "cid@gamma.example"},
    ])
    assert run("refresh", path, "--as-of", AS_OF).exit_code == 0
    return path


def sheet_rows(path: Path, name: str) -> list[tuple]:
    return [r for r in openpyxl.load_workbook(path)[name].iter_rows(min_row=2, values_only=True) if any(r)]


def test_the_overdue_csv_carries_the_chase_today_sheets_messages_and_blanks(chased):
    """Found by a tester: the CSV made a draft's paragraphs one line, and wrote 0 days
    overdue where the sheet leaves the cell blank."""
    r = run("overdue", chased, "--as-of", AS_OF, "--format", "csv")
    assert r.exit_code == 0, r.stderr
    assert r.stdout.splitlines()[0] == ",".join(FOLLOWUP_COLUMNS)   # as before, for scripts
    shown = {int(row["row"]): row for row in csv.DictReader(io.StringIO(r.stdout))}
    sheet = {row[-1]: row for row in sheet_rows(chased, "Chase today")}
    assert set(shown) == set(sheet) and len(sheet) == 2
    assert any("\n\n" in row[7] for row in sheet.values())   # a draft of paragraphs
    for n, (_, status, days, contact, client, call_type, action, message, _) in sheet.items():
        assert (shown[n]["status"], shown[n]["who"], shown[n]["client"], shown[n]["call_type"]) == \
            (status, contact, client, call_type)
        assert shown[n]["action"] == action and shown[n]["message"] == message
        assert shown[n]["days_overdue"] == ("" if days is None else str(days))
    assert "" in [row["days_overdue"] for row in shown.values()]
    data = json.loads(run("overdue", chased, "--as-of", AS_OF, "--format", "json").stdout)
    assert 0 in [i["days_overdue"] for i in data]   # JSON, for programs, keeps the number


def test_the_reminders_csv_carries_the_reminders_sheets_names_call_time_and_message(chased):
    """Found by a tester: the CSV had no names, call time nor message draft, which the
    Reminders sheet has. Added after the columns it had, for the scripts that read them."""
    r = run("reminders", chased, "--from", AS_OF, "--format", "csv")
    assert r.exit_code == 0, r.stderr
    header = r.stdout.splitlines()[0].split(",")
    assert header == REMINDER_COLUMNS + ["names", "call_at", "message"]
    shown = list(csv.DictReader(io.StringIO(r.stdout)))
    sheet = sheet_rows(chased, "Reminders")
    assert len(shown) == len(sheet) >= 1
    for row, (at, whom, names, channel, call_type, call_at, subject, message, call_row) in zip(shown, sheet):
        assert (row["at"], int(row["call_row"]), row["subject"]) == (f"{at:%Y-%m-%d %H:%M}", call_row, subject)
        assert (row["names"], row["call_at"], row["message"]) == (names, f"{call_at:%Y-%m-%d %H:%M}", message)
        assert row["whom"] == f"{whom}: {names}"
    assert any("\n\n" in row["message"] for row in shown)
    # The terminal's table keeps its columns.
    assert run("reminders", chased, "--from", AS_OF).stdout.split()[:6] == REMINDER_COLUMNS


def test_the_overdue_help_says_what_the_json_action_holds(chased):
    """Found by a tester: the help said JSON's `action` is worded as the sheet words it;
    it is the step's words, the sheet's "Phone: " and the like held in other keys."""
    text = " ".join(run("overdue", "--help").stdout.split())
    assert "as the sheet words it" not in text
    assert "`action` is the step's words in the log's language without what the sheet writes before them" in text
    data = {i["row"]: i for i in json.loads(run("overdue", chased, "--as-of", AS_OF, "--format", "json").stdout)}
    config = load_config(None, chased)
    for row in sheet_rows(chased, "Chase today"):
        item = data[row[-1]]
        assert row[6] == f"{config.list_label('channel', item['channel'], 'en')}: {item['action']}"
