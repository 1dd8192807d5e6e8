"""An interview brought FORWARD the way consultants log it: the old row (the 10th) marked
Rescheduled with no new slot, the interview logged again on a row below at an earlier
day. The new row is the booking: the follow-ups owe its call the day before, the
reminders are its, and the calendar's event of the old row moves to it (same UID, higher
SEQUENCE), as for a move to a later day (test_calendar_moved_b)."""
from __future__ import annotations

import json
import time
from datetime import datetime

import icalendar
import pytest
from workbooks import cli_ok, imported, plain_log

HEADER = ("ID", "Date", "Time", "Call type", "Client", "Contact", "Candidates", "Outcome", "Next contact")
OLD, NEW = datetime(2026, 12, 10, 10, 0), datetime(2026, 12, 8, 15, 0)


def row(row_id, at, outcome="Planned", call_type="Interview"):
    return (row_id, at.date(), at.time(), call_type, "Acme", "Tom Baker", "Anna Li", outcome, None)


@pytest.fixture
def moved(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "no-user-config"))
    return plain_log(tmp_path / "calls.xlsx", [row("C-1", OLD, "Rescheduled"), row("C-2", NEW)], header=HEADER)


def test_the_new_booking_is_followed_up(moved):
    out = json.loads(cli_ok("overdue", moved, "--as-of", "2026-12-06T08:00", "--all", "--format", "json").output)
    assert [(f["row"], f["status"], f["due"]) for f in out] == [(3, "upcoming", "2026-12-07")]


def test_the_new_booking_is_reminded(moved):
    out = json.loads(cli_ok("reminders", moved, "--as-of", "2026-12-06T08:00", "--to", "2026-12-13",
                            "--format", "json").output)
    assert {(r["call_row"], r["at"][:10]) for r in out} == {(3, "2026-12-07"), (3, "2026-12-08")}


def test_a_first_call_left_booked_is_unchanged(tmp_path, monkeypatch):
    # Two rows still booked, the lower dated first: as often a log sorted newest first
    # (test_followups: the upper row is the newer booking there), so the later date stands.
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "no-user-config"))
    log = plain_log(tmp_path / "calls.xlsx", [row(1, OLD, call_type="First call"), row(2, NEW, call_type="First call")],
                    header=HEADER)
    out = json.loads(cli_ok("reminders", log, "--as-of", "2026-12-06T08:00", "--to", "2026-12-13",
                            "--format", "json").output)
    assert {r["call_row"] for r in out} == {2}


def test_the_calendar_event_moves_to_the_new_booking(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "no-user-config"))

    def export(rows):
        log = plain_log(tmp_path / "calls.xlsx", rows, header=HEADER)
        cli_ok("reminders", log, "--from", "2026-12-06", "--to", "2026-12-13", "--ics", tmp_path / "calls.ics")
        return icalendar.Calendar.from_ical((tmp_path / "calls.ics").read_bytes())

    before = export([row("C-1", OLD)])
    now = int(time.time())
    while int(time.time()) == now:   # the next export's SEQUENCE (its second) outranks it
        time.sleep(0.02)
    after = export([row("C-1", OLD, "Rescheduled"), row("C-2", NEW)])
    (old,) = before.walk("VEVENT")
    events = after.walk("VEVENT")
    assert [(str(e["uid"]), e.decoded("dtstart").replace(tzinfo=None), str(e.get("status", ""))) for e in events] \
        == [(str(old["uid"]), NEW, "")]
    assert int(events[0]["sequence"]) > int(old["sequence"])
    held = imported(before, after)
    assert [e.decoded("dtstart").replace(tzinfo=None) for e in held.values()
            if str(e.get("status", "")).upper() != "CANCELLED"] == [NEW]
