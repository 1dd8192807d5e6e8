"""A time written the ways people write it in the Time column, or after a date: 14h30, a
slot (14:30-15:30: its start is the call's time), "at 14:30", "~14:30", "14:30ish". Read
through real workbooks (openpyxl), the reader and the terminal's `reminders` and `check`:
the call gets its time and its reminder minutes before it. What is still not read (two
times offered, a zone, a question) is named as such, and an hour of 1 to 6 with no half of
the day stays to look at, in a slot too. Found by an auditor (w09_texttime)."""
import json
from datetime import date

import openpyxl
import pytest
from click.testing import CliRunner

from tracker import jobs
from tracker.cli import main
from tracker.config import load_config

pytestmark = pytest.mark.usefixtures("no_user_config")

HEADERS = ["ID", "Date", "Time", "Call type", "Client", "Candidates", "Outcome"]

# (the Time cell, the call's time read from it)
READ = [
    ("14h30", "14:30"), ("14H30", "14:30"), ("14h", "14:00"), ("9h15", "09:15"),
    ("14:30-15:30", "14:30"), ("14:30–15:30", "14:30"), ("14:30 - 15:30", "14:30"), ("14:30 — 15:30", "14:30"),
    ("14:30~15:30", "14:30"), ("14:30 to 15:30", "14:30"), ("с 14:30 до 15:30", "14:30"),
    ("14時から15時まで", "14:00"), ("14時～15時", "14:00"), ("下午2点到3点", "14:00"),
    ("2-3pm", "14:00"), ("2:30-3:30 pm", "14:30"), ("11-1pm", "11:00"), ("10:00 am - 11:00 am", "10:00"),
    ("14.30", "14:30"), ("14ч30", "14:30"), ("14 ч 30 мин", "14:30"), ("14時30分", "14:30"),
    ("下午2点半", "14:30"), ("2:30 pm", "14:30"), ("2.30pm", "14:30"),
    ("at 14:30", "14:30"), ("~14:30", "14:30"), ("14:30ish", "14:30"), ("around 2pm", "14:00"),
    ("около 14:30", "14:30"), ("14時頃", "14:00"), ("下午2点左右", "14:00"),
]
# Not read: which moment is meant is not written (two offered, a zone, a question, an end only).
UNREAD = ["14:30 / 16:00", "14:30 or 16:00", "14:30, 16:00", "14:30 MSK", "14:30?", "till 15:30", "15時まで"]


def _book(path, rows):
    """A call log of interviews planned on 8 Dec 2026 (or the Date cell given), one per
    row: (Date, Time)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Call log"
    ws.append(HEADERS)
    for i, (day, at) in enumerate(rows, start=1):
        ws.append([i, day, at, "Interview", "Acme Ltd", f"Cand{i} (E{i})", "Planned"])
    wb.save(path)
    return path


def _reminders(path):
    r = CliRunner().invoke(main, ["reminders", str(path), "--from", "2026-12-07", "--to", "2026-12-09",
                                  "--format", "json"], catch_exceptions=False)
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout), r.stderr


def _check(path):
    r = CliRunner().invoke(main, ["check", str(path), "--format", "json"], catch_exceptions=False)
    return {(p["row"], p["column"]): p for p in json.loads(r.stdout)}


def test_times_written_loosely_or_as_a_slot_are_the_calls_time_and_place_its_reminder(tmp_path):
    path = _book(tmp_path / "calls.xlsx", [(date(2026, 12, 8), text) for text, _ in READ])
    items, err = _reminders(path)
    call_at = {i["call_row"]: i["call_at"] for i in items}
    sms = {i["call_row"]: i["at"] for i in items if i["channel"] == "sms"}   # the candidates, 20 min before
    for row, (text, hour) in enumerate(READ, start=2):
        assert call_at[row] == f"2026-12-08T{hour}", text
        h, m = map(int, hour.split(":"))
        before = h * 60 + m - 20
        assert sms.get(row) == f"2026-12-08T{before // 60:02d}:{before % 60:02d}", text
    assert "has no time" not in err and "could not be read" not in err
    assert _check(path) == {}


def test_a_date_cell_with_its_time_written_so_is_read_with_that_time(tmp_path):
    cells = ["08.12.2026 14h30", "08.12.2026 14:30-15:30", "08.12.2026 at 14:30", "2026年12月8日14時から15時まで"]
    path = _book(tmp_path / "calls.xlsx", [(cell, None) for cell in cells])
    items, _ = _reminders(path)
    assert {i["call_row"]: i["call_at"] for i in items} == {
        2: "2026-12-08T14:30", 3: "2026-12-08T14:30", 4: "2026-12-08T14:30", 5: "2026-12-08T14:00"}
    assert _check(path) == {}


def test_a_time_still_not_read_is_named_as_unread_not_as_missing(tmp_path):
    path = _book(tmp_path / "calls.xlsx", [(date(2026, 12, 8), text) for text in UNREAD])
    log = jobs.read(path, load_config(None, path))
    assert [r.time for r in log.records] == [None] * len(UNREAD)
    said = _check(path)
    for row, text in enumerate(UNREAD, start=2):
        assert said[(row, "C")]["value"] == text and said[(row, "C")]["message"].startswith("not a time")
        assert not said[(row, "C")]["read"]
    # A range of days after a date is no time either: the date is not read as one.
    path = _book(tmp_path / "days.xlsx", [("22.11.2026 - 25.11.2026", None), ("22.11.2026 to 25.11.2026", None)])
    assert [p["message"].split(":")[0] for p in _check(path).values()] == ["not a date", "not a date"]


def test_reminders_say_the_time_written_could_not_be_read(tmp_path):
    path = _book(tmp_path / "calls.xlsx", [(date(2026, 12, 8), "14:30 MSK")])
    _, err = _reminders(path)
    assert 'Call log!C2: the time "14:30 MSK" of the Interview on 2026-12-08 could not be read' in err
    assert "has no time" not in err


def test_a_small_hour_in_a_slot_or_said_loosely_is_still_to_look_at(tmp_path):
    path = _book(tmp_path / "calls.xlsx", [(date(2026, 12, 8), "3:30-4:30"), (date(2026, 12, 8), "at 3:30"),
                                           (date(2026, 12, 8), "2h30"), (date(2026, 12, 8), "5-6 am"),
                                           ("08.12.2026 3:30-4:30", None)])
    items, _ = _reminders(path)
    assert {i["call_row"]: i["call_at"] for i in items} == {
        2: "2026-12-08T03:30", 3: "2026-12-08T03:30", 4: "2026-12-08T02:30", 5: "2026-12-08T05:00",
        6: "2026-12-08T03:30"}
    said = {cell: p["message"] for cell, p in _check(path).items() if p["read"]}
    assert said == {
        (2, "C"): "3:30 read as 03:30; write 15:30 or 3:30 pm if the afternoon was meant (03:30 if the night was)",
        (3, "C"): "3:30 read as 03:30; write 15:30 or 3:30 pm if the afternoon was meant (03:30 if the night was)",
        (4, "C"): "2h30 read as 02:30; write 14:30 or 14h30 if the afternoon was meant (02:30 if the night was)",
        (6, "B"): "3:30 read as 03:30; write 15:30 or 3:30 pm if the afternoon was meant (03:30 if the night was)",
    }   # 5-6 am says its half of the day


def test_reminders_name_the_small_hour_their_time_counts_from(tmp_path):
    path = _book(tmp_path / "calls.xlsx", [(date(2026, 12, 8), "3:30")])
    _, err = _reminders(path)
    assert "Call log!C2: 3:30 read as 03:30; write 15:30 or 3:30 pm" in err
