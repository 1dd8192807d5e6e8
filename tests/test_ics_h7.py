"""A calendar exported again over the one before: what that file held and the new window
leaves out is still accounted for (exports._carried_over), so a calendar that imported
both never keeps a call at a slot it no longer has. Workbooks written with openpyxl,
exported by the CLI into one .ics path, both files parsed back with icalendar."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

import icalendar
from workbooks import cli_ok, plain_log

HEADER = ("ID", "Date", "Time", "Call type", "Client", "Contact", "Candidates", "Outcome", "Next contact")
ROWS = [
    ("C-1", date(2026, 11, 24), time(14, 0), "First call", "Brightline", "James Carter", None, "Planned", None),
    ("C-2", date(2026, 11, 25), time(15, 30), "Interview", "Brightline", "James Carter", "Anna Li (E123)",
     "Planned", None),
    ("C-3", date(2026, 11, 30), time(11, 0), "Interview", "Orion", "Klaus Weber", "Maria Gomez", "Planned", None),
]


def exported(folder, rows, *args) -> icalendar.Calendar:
    """The log of `rows` written as calls.xlsx in `folder` (the same workbook each time,
    its zone Europe/Berlin), exported by `tracker reminders … --ics calls.ics` with `args`."""
    (folder / "tracker.yaml").write_text("timezone: Europe/Berlin\n", encoding="utf-8")
    log = plain_log(folder / "calls.xlsx", rows, header=HEADER)
    cli_ok("reminders", log, *args, "--ics", folder / "calls.ics")
    return icalendar.Calendar.from_ical((folder / "calls.ics").read_bytes())


def imported(*calendars) -> dict:
    """What a calendar that imported each file in turn holds: one event per UID, the later
    file's version unless its SEQUENCE is lower (the exports here are within one second,
    whose SEQUENCE is the same: exports._sequence)."""
    held: dict = {}
    for cal in calendars:
        for ev in cal.walk("VEVENT"):
            uid = str(ev["uid"])
            if uid not in held or int(ev["sequence"]) >= int(held[uid]["sequence"]):
                held[uid] = ev
    return held


def start(ev):
    return ev.decoded("dtstart").replace(tzinfo=None)


def of(events, client):
    (ev,) = [ev for ev in events.values() if client in str(ev["summary"])]
    return ev


def test_ics_an_interview_moved_out_of_the_window_moves_in_the_calendar(tmp_path):
    """Audit a1 item 4: exported on the 24th, the interview of the 25th 15:30 was then
    marked Rescheduled to 02.12 16:00; the next export of the default window (to the end
    of the 25th) left its event out, and the calendar kept the old slot and its alarms."""
    first = exported(tmp_path, ROWS, "--as-of", "2026-11-24T09:00")
    (uid,) = [str(ev["uid"]) for ev in first.walk("VEVENT") if "Interview: Brightline" in str(ev["summary"])]
    moved = [ROWS[0], ROWS[1][:7] + ("Rescheduled", datetime(2026, 12, 2, 16, 0)), ROWS[2]]
    second = exported(tmp_path, moved, "--as-of", "2026-11-24T11:00")

    held = imported(first, second)
    interview = held[uid]
    assert start(interview) == datetime(2026, 12, 2, 16, 0)
    assert str(interview["dtstart"].params["TZID"]) == "Europe/Berlin"
    assert "status" not in interview
    # Its alarms as at the new slot: the candidates 20 minutes before, and the day before.
    triggers = {a.decoded("trigger") for a in interview.walk("VALARM")}
    assert -timedelta(minutes=20) in triggers and len(triggers) >= 2
    # The rest as the window has it: the first call; the 30th's interview, never in a file, not in it.
    assert sorted(str(ev["summary"]) for ev in held.values()) == ["First call: Brightline", "Interview: Brightline"]
    assert start(of(held, "First call")) == datetime(2026, 11, 24, 14, 0)


def test_ics_a_call_cancelled_or_booked_again_out_of_the_window_is_so_in_the_calendar(tmp_path):
    """Exported to the end of the year, then the interview of the 30th was cancelled: the
    next file of the default window has it struck, at its slot, without alarms. Booked
    again, the file after that has it booked (the calendar held it cancelled); exported
    once more, unchanged, it stays in the file as it stands, for a change to find it."""
    first = exported(tmp_path, ROWS, "--as-of", "2026-11-24T09:00", "--to", "2026-12-31")
    uid = str(of({str(e["uid"]): e for e in first.walk("VEVENT")}, "Orion")["uid"])
    cancelled = [*ROWS[:2], ROWS[2][:7] + ("Cancelled", None)]
    second = exported(tmp_path, cancelled, "--as-of", "2026-11-24T11:00")
    events = {str(ev["uid"]): ev for ev in second.walk("VEVENT")}
    assert str(events[uid]["status"]) == "CANCELLED" and not events[uid].walk("VALARM")
    assert start(events[uid]) == datetime(2026, 11, 30, 11, 0)
    assert str(events[uid]["summary"]).startswith("Cancelled: ")
    held = imported(first, second)
    assert str(held[uid]["status"]) == "CANCELLED"
    assert str(events[uid]["dtstart"].params["TZID"]) == "Europe/Berlin" and second.walk("VTIMEZONE")

    third = exported(tmp_path, ROWS, "--as-of", "2026-11-24T12:00")
    held = imported(first, second, third)
    assert "status" not in held[uid] and start(held[uid]) == datetime(2026, 11, 30, 11, 0)
    assert held[uid].walk("VALARM")

    fourth = exported(tmp_path, ROWS, "--as-of", "2026-11-24T13:00")
    kept = {str(ev["uid"]): ev for ev in fourth.walk("VEVENT")}[uid]
    assert "status" not in kept and start(kept) == datetime(2026, 11, 30, 11, 0)


def test_ics_calls_held_or_of_another_workbook_are_not_carried(tmp_path):
    """What the file before held and happened stays out: the first call held (Done); a
    call still at its slot beyond the window stays in. Another workbook's calendar
    at that path (a slip of the file name) has its events left alone: their UIDs name
    their workbook."""
    first = exported(tmp_path, ROWS, "--as-of", "2026-11-24T09:00", "--to", "2026-12-31")
    held = [ROWS[0][:7] + ("Done", None), *ROWS[1:]]
    second = exported(tmp_path, held, "--as-of", "2026-11-25T09:00")
    assert sorted(str(ev["summary"]) for ev in second.walk("VEVENT")) == ["Interview: Brightline", "Interview: Orion"]

    other = tmp_path / "other"
    other.mkdir()
    (other / "calls.ics").write_bytes((tmp_path / "calls.ics").read_bytes())
    log = plain_log(other / "theirs.xlsx", [ROWS[0][:7] + ("Cancelled", None), ROWS[2]], header=HEADER)
    (other / "tracker.yaml").write_text("timezone: Europe/Berlin\n", encoding="utf-8")
    cli_ok("reminders", log, "--as-of", "2026-11-24T09:00", "--ics", other / "calls.ics")
    events = icalendar.Calendar.from_ical((other / "calls.ics").read_bytes()).walk("VEVENT")
    assert [str(ev["summary"]) for ev in events] == ["Cancelled: First call: Brightline"]
    assert {str(ev["uid"]) for ev in events}.isdisjoint(str(ev["uid"]) for ev in first.walk("VEVENT"))


def test_ics_a_call_left_out_by_a_narrower_export_is_still_struck_when_cancelled(tmp_path):
    """Audit a2: exported to the end of the year, then the default window (the 30th's
    interview beyond it), then the 30th cancelled: the middle file had dropped it, so
    the last one never struck it, and its alarm stayed in the calendar."""
    first = exported(tmp_path, ROWS, "--as-of", "2026-11-24T09:00", "--to", "2026-12-31")
    second = exported(tmp_path, ROWS, "--as-of", "2026-11-24T10:00")
    third = exported(tmp_path, [*ROWS[:2], ROWS[2][:7] + ("Cancelled", None)], "--as-of", "2026-11-24T11:00")
    held = imported(first, second, third)
    orion = of(held, "Orion")
    assert str(orion["status"]) == "CANCELLED" and not orion.walk("VALARM")


def test_ics_a_move_is_written_when_the_window_has_no_call(tmp_path):
    """Audit a2: the only call moved out of the default window: "No planned calls in the
    window: … was not written", and the file kept the old slot with its alarms."""
    rows = [ROWS[1]]
    first = exported(tmp_path, rows, "--as-of", "2026-11-24T09:00")
    second = exported(tmp_path, [ROWS[1][:7] + ("Rescheduled", datetime(2026, 12, 2, 16, 0))],
                      "--as-of", "2026-11-24T11:00")
    assert start(of(imported(first, second), "Brightline")) == datetime(2026, 12, 2, 16, 0)
    # With no file before, an empty window still writes none.
    (tmp_path / "calls.ics").unlink()
    log = plain_log(tmp_path / "calls.xlsx", [ROWS[2]], header=HEADER)
    out = cli_ok("reminders", log, "--as-of", "2026-11-24T09:00", "--ics", tmp_path / "calls.ics")
    assert not (tmp_path / "calls.ics").exists() and "was not written" in out.output
