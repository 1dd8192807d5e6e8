"""A time written the ways people write it in the Time column, or after a date: 14h30, a
slot (14:30-15:30: its start is the call's time), "at 14:30", "~14:30", "14:30ish". Read
through real workbooks (openpyxl), the reader and the terminal's `reminders` and `check`:
the call gets its time and its reminder minutes before it. What is still not read (two
times offered, a zone, a question) is named as such; an hour of 1 to 6 with no half of
the day stays to look at, said loosely ("at 3:30"), and is not read in a slot or an h form
("2-3", "2h"): the reminders say so. Found by an auditor (w09_texttime) and a reviewer."""
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


def test_a_small_hour_said_loosely_is_still_to_look_at(tmp_path):
    # As "3:30" alone: read as written, said to look at. A half of the day said, it is meant.
    path = _book(tmp_path / "calls.xlsx", [(date(2026, 12, 8), "at 3:30"), (date(2026, 12, 8), "~2"),
                                           (date(2026, 12, 8), "5-6 am"), ("08.12.2026 at 3:30", None)])
    items, _ = _reminders(path)
    assert {i["call_row"]: i["call_at"] for i in items} == {
        2: "2026-12-08T03:30", 3: "2026-12-08T02:00", 4: "2026-12-08T05:00", 5: "2026-12-08T03:30"}
    said = {cell: p["message"] for cell, p in _check(path).items() if p["read"]}
    assert said == {
        (2, "C"): "3:30 read as 03:30; write 15:30 or 3:30 pm if the afternoon was meant (03:30 if the night was)",
        (3, "C"): "2 read as 02:00; write 14:00 or 2 pm if the afternoon was meant (02:00 if the night was)",
        (5, "B"): "3:30 read as 03:30; write 15:30 or 3:30 pm if the afternoon was meant (03:30 if the night was)",
    }   # 5-6 am says its half of the day


# Found by a reviewer: "2-3" in the Time cell was read as 02:00, the candidates' SMS set
# for 01:40, with only a look-at on stderr; "1-2", "0-1" (counts) and "2h" (a length of
# time) were read as times too. A slot or an h form whose start is a small hour, with no
# half of the day at either end, is not read: the reminders say the time could not be.
SMALL_SLOTS = ["2-3", "2 - 3", "с 2 до 3", "2 to 3", "1-2", "0-1", "6-7", "3:30-4:30", "2時から3時まで",
               "2h", "2 h", "6h", "0h", "2h30", "1h30", "2h30m", "~2h", "2h-3h"]


def test_a_small_hour_in_a_slot_or_an_h_form_is_not_read_and_its_reminders_say_so(tmp_path):
    path = _book(tmp_path / "calls.xlsx", [(date(2026, 12, 8), text) for text in SMALL_SLOTS])
    log = jobs.read(path, load_config(None, path))
    assert [r.time for r in log.records] == [None] * len(SMALL_SLOTS)
    items, err = _reminders(path)
    assert not [i for i in items if i["channel"] == "sms"]   # nothing minutes before a time not read
    for row, text in enumerate(SMALL_SLOTS, start=2):
        assert f'Call log!C{row}: the time "{text}" of the Interview on 2026-12-08 could not be read' in err
    said = _check(path)
    assert {cell for cell, p in said.items() if not p["read"]} == {(r, "C") for r in range(2, 2 + len(SMALL_SLOTS))}
    assert said[(2, "C")]["message"] == (
        "not a time: not read as 02:00, in the night; write 14:00 or 2:00 pm if the afternoon was meant "
        "(02:00 if the night was)")
    assert said[(9, "C")]["message"].startswith("not a time: not read as 03:30, in the night; write 15:30 or 3:30 pm")
    assert said[(7, "C")]["message"] == "not a time: expected a time such as 14:00, 2:30 pm or 14時30分"   # 0-1
    # After a date, such a time is no time either: the date is said not to be one.
    path = _book(tmp_path / "dated.xlsx", [("08.12.2026 2-3", None), ("08.12.2026 2h", None)])
    assert [p["message"].split(":")[0] for p in _check(path).values()] == ["not a date", "not a date"]


# Read: a half of the day said at either end, an hour of 7 or later, a leading zero (meant,
# as 03:30 alone). "9-5", office hours or a call at 9, starts at 09:00, a waking hour: a
# reminder before it is no harm, and it reads as "9-10" does.
SLOTS_READ = [("14-15", "14:00"), ("2-3pm", "14:00"), ("2pm-3pm", "14:00"), ("2-3 дня", "14:00"),
              ("午後2時から3時まで", "14:00"), ("14h", "14:00"), ("9h15", "09:15"), ("14h30", "14:30"),
              ("2h pm", "14:00"), ("14:30-15:30", "14:30"), ("9-5", "09:00"), ("7-8", "07:00"), ("7h", "07:00"),
              ("9h-18h", "09:00"), ("10-12", "10:00"), ("02:00-03:00", "02:00")]


def test_a_slot_or_an_h_form_with_its_half_of_the_day_or_a_waking_hour_is_read(tmp_path):
    path = _book(tmp_path / "calls.xlsx", [(date(2026, 12, 8), text) for text, _ in SLOTS_READ])
    items, err = _reminders(path)
    call_at = {i["call_row"]: i["call_at"] for i in items}
    for row, (text, hour) in enumerate(SLOTS_READ, start=2):
        assert call_at[row] == f"2026-12-08T{hour}", text
    assert "could not be read" not in err and "has no time" not in err
    assert _check(path) == {}


def test_reminders_name_the_small_hour_their_time_counts_from(tmp_path):
    path = _book(tmp_path / "calls.xlsx", [(date(2026, 12, 8), "3:30")])
    _, err = _reminders(path)
    assert "Call log!C2: 3:30 read as 03:30; write 15:30 or 3:30 pm" in err
