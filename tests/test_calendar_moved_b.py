"""An interview moved the way consultants log it: the old row marked Rescheduled with no
new slot written, the interview logged again on a new row at its new date, after the
reminder window. `tracker reminders --ics` run before and after that edit (the CLI, one
workbook written with openpyxl, each calendar parsed back with icalendar): the event the
consultant's calendar holds moves to the new slot, under its UID, rather than being
called off."""
from __future__ import annotations

import builtins
import io
import time
from datetime import datetime
from pathlib import Path

import icalendar
import pytest
from workbooks import cli_ok, imported, plain_log

from tracker import exports

HEADER = ("ID", "Date", "Time", "Call type", "Client", "Contact", "Candidates", "Outcome", "Next contact")
OLD, NEW = datetime(2026, 12, 8, 10, 0), datetime(2026, 12, 22, 10, 0)   # NEW: after the window (to the 13th)


def row(row_id, at, outcome="Planned", candidates="Anna Li"):
    return (row_id, at.date(), at.time(), "Interview", "Acme", "Tom Baker", candidates, outcome, None)


def export(folder: Path, rows, start: str, ics: str = "calls.ics", end: str = "2026-12-13") -> icalendar.Calendar:
    """The log of `rows`, written as calls.xlsx in `folder` (the same workbook each time, its
    zone Europe/Berlin), exported by `tracker reminders --from START --to END --ics ICS`."""
    (folder / "tracker.yaml").write_text("timezone: Europe/Berlin\n", encoding="utf-8")
    log = plain_log(folder / "calls.xlsx", rows, header=HEADER)
    cli_ok("reminders", log, "--from", start, "--to", end, "--ics", folder / ics)
    return icalendar.Calendar.from_ical((folder / ics).read_bytes())


def a_second_later():
    """An export's SEQUENCE is its second (exports._sequence): the next one is to outrank it."""
    now = int(time.time())
    while int(time.time()) == now:
        time.sleep(0.02)


def start(ev) -> datetime:
    return ev.decoded("dtstart").replace(tzinfo=None)


def live(held) -> list[tuple[datetime, str]]:
    return sorted((start(ev), str(ev["summary"])) for ev in held.values()
                  if str(ev.get("status", "")).upper() != "CANCELLED")


@pytest.mark.parametrize("ids", [(None, None), ("C-1", "C-2")], ids=["no ID column values", "an ID each"])
@pytest.mark.parametrize("second", [
    ("2026-12-07", "calls.ics"),          # the old slot in the window: the file's own event
    ("2026-12-07", "next-week.ics"),      # the same, written to another file: nothing carried over
    ("2026-12-09T09:00", "calls.ics"),    # the old slot passed: carried over from the file replaced
    ("2026-12-07", "calls.ics", "2026-12-31"),   # both slots in the window
], ids=["old slot in the window", "another file", "old slot passed", "new slot in the window"])
def test_an_interview_moved_with_no_new_slot_and_logged_again_later_moves_its_event(tmp_path, ids, second):
    # Found by review: the old row's event was written cancelled at its old slot, and the
    # new row, after the window, was in no file: the consultant's calendar showed the
    # interview called off.
    old_id, new_id = ids
    before = export(tmp_path, [row(old_id, OLD)], "2026-12-06")
    (booked,) = before.walk("VEVENT")
    assert start(booked) == OLD
    a_second_later()
    after = export(tmp_path, [row(old_id, OLD, "Rescheduled"), row(new_id, NEW)], *second)

    (event,) = after.walk("VEVENT")
    assert event["uid"] == booked["uid"] and int(event["sequence"]) > int(booked["sequence"])
    assert start(event) == NEW and "status" not in event
    # The new row's event: its row, its alarms (the call the day before, the SMS 20 minutes before).
    assert "Calls!3" in str(event["description"]) and len(event.walk("VALARM")) == 2
    held = imported(before, after)
    assert live(held) == [(NEW, "Interview: Acme")] and len(held) == 1


def test_moved_twice_so_the_event_follows_to_the_last_slot(tmp_path):
    middle = datetime(2026, 12, 15, 10, 0)
    before = export(tmp_path, [row("C-1", OLD)], "2026-12-06")
    a_second_later()
    after = export(tmp_path, [row("C-1", OLD, "Rescheduled"), row("C-2", middle, "Rescheduled"), row("C-3", NEW)],
                   "2026-12-07")
    (event,) = after.walk("VEVENT")
    assert event["uid"] == next(iter(before.walk("VEVENT")))["uid"] and start(event) == NEW
    assert live(imported(before, after)) == [(NEW, "Interview: Acme")]


@pytest.mark.parametrize("later", [
    [],                                               # not logged again (yet): the old slot will not happen
    [row("C-2", NEW, candidates="Ben Wu")],           # another candidate's interview
    [row("C-2", NEW, "Cancelled")],                   # logged again, then called off
], ids=["alone", "another candidate", "logged again cancelled"])
def test_an_interview_moved_with_no_new_slot_not_booked_again_is_struck_out(tmp_path, later):
    before = export(tmp_path, [row("C-1", OLD)], "2026-12-06")
    a_second_later()
    after = export(tmp_path, [row("C-1", OLD, "Rescheduled"), *later], "2026-12-07")
    (event,) = after.walk("VEVENT")
    assert event["uid"] == next(iter(before.walk("VEVENT")))["uid"]
    assert str(event["status"]) == "CANCELLED" and start(event) == OLD and not event.walk("VALARM")
    assert live(imported(before, after)) == []


def test_a_row_marked_moved_itself_is_not_the_moved_one_logged_again(tmp_path):
    # A row marked Rescheduled with its own new slot moves its own event: of three rows of
    # one interview, each moved, none takes another's UID.
    rows = [row("C-1", OLD), row("C-2", OLD), row("C-3", OLD)]
    before = export(tmp_path, rows[:2], "2026-12-06", end="2026-12-31")
    a_second_later()
    moved = [row("C-1", OLD, "Rescheduled")]
    moved += [r[:7] + ("Rescheduled", at) for r, at in ((rows[1], NEW), (rows[2], datetime(2026, 12, 23, 10, 0)))]
    after = export(tmp_path, moved, "2026-12-07", end="2026-12-31")
    uids = {str(ev["uid"]): (start(ev), str(ev.get("status", ""))) for ev in after.walk("VEVENT")}
    first, second = (str(ev["uid"]) for ev in before.walk("VEVENT"))
    assert uids[first] == (OLD, "CANCELLED") and uids[second] == (NEW, "") and len(uids) == 3


def test_a_calendar_holding_the_new_rows_own_event_keeps_it(tmp_path):
    # The old row first marked Cancelled, the new row logged and exported under its own UID,
    # then the old row corrected to Rescheduled: the calendar holds the new row's event
    # already; taking the old UID over would show the interview twice at the new slot.
    window = {"end": "2026-12-31"}
    export(tmp_path, [row("C-1", OLD)], "2026-12-06", **window)
    a_second_later()
    both = export(tmp_path, [row("C-1", OLD, "Cancelled"), row("C-2", NEW)], "2026-12-07", **window)
    a_second_later()
    after = export(tmp_path, [row("C-1", OLD, "Rescheduled"), row("C-2", NEW)], "2026-12-07", **window)
    assert {str(ev["uid"]): str(ev.get("status", "")) for ev in after.walk("VEVENT")} == \
        {str(ev["uid"]): str(ev.get("status", "")) for ev in both.walk("VEVENT")}
    assert live(imported(both, after)) == [(NEW, "Interview: Acme")]


def test_the_calendar_replaced_is_read_once(tmp_path, monkeypatch):
    # It was read three times (the check that it is ours, the carried-over events, whether
    # it was edited), and its head a fourth by the write's own check.
    export(tmp_path, [row("C-1", OLD)], "2026-12-06")
    ics = tmp_path / "calls.ics"
    reads: list[Path] = []
    real_open, real_io_open, real_write_ics = builtins.open, io.open, exports.write_ics

    def counted(opener):
        def open_(file, *args, **kwargs):
            if counting and isinstance(file, (str, Path)) and Path(file) == ics:
                reads.append(Path(file))
            return opener(file, *args, **kwargs)
        return open_

    counting = False

    def write_ics(*args, **kwargs):   # only the export's own reading: not the CLI's check before the workbook's
        nonlocal counting
        counting = True
        try:
            return real_write_ics(*args, **kwargs)
        finally:
            counting = False

    monkeypatch.setattr(builtins, "open", counted(real_open))
    monkeypatch.setattr(io, "open", counted(real_io_open))
    monkeypatch.setattr(exports, "write_ics", write_ics)
    after = export(tmp_path, [row("C-1", OLD, "Rescheduled"), row("C-2", NEW)], "2026-12-07")
    assert len(reads) == 1
    (event,) = after.walk("VEVENT")
    assert start(event) == NEW
