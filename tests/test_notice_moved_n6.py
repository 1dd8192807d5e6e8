"""An interview notice follows the interview it announces (seed 004): when the interview
row is moved, logged again at its new slot, or called off, the notice's confirmation call,
its calendar event and its follow-up go with it. Workbooks written, read back through the
real reader; the calendars parsed with icalendar and imported one after the other."""
from __future__ import annotations

from datetime import datetime

import icalendar
import pytest
from workbooks import imported, overdue_json, plain_log

from tracker import jobs
from tracker.config import load_config

HEADER = ("ID", "Date", "Time", "Call type", "Client", "Contact", "Candidates", "Outcome", "Next contact")
# Friday 16:00, moved to Tuesday 16:00: the calls the day before are Thursday's and Monday's.
OLD_SLOT, NEW_SLOT = datetime(2026, 11, 20, 16, 0), datetime(2026, 11, 24, 16, 0)
OLD_EVE, NEW_EVE = datetime(2026, 11, 19, 10, 0), datetime(2026, 11, 23, 10, 0)


@pytest.fixture
def config(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "no-user-config"))
    # The demo's notices carry "call the day before" in their Whom to remind column; here
    # the call type says it.
    notice_rules = [{"whom": "candidates", "channel": "phone", "days_before": 1, "at": "10:00"}]
    return load_config(overrides={"timezone": "Europe/Berlin",
                                  "reminders": {"call_types": {"interview_notice": notice_rules}}})


def notices():
    # The calls inviting each candidate: their Next contact is the interview's slot.
    return [("N-1", datetime(2026, 11, 16), datetime(2026, 11, 16, 14, 0).time(), "Interview notice", "Acme",
             "Anna Li", None, "Confirmed", OLD_SLOT),
            ("N-2", datetime(2026, 11, 16), datetime(2026, 11, 16, 14, 30).time(), "Interview notice", "Acme",
             "Ben Wu", None, "Confirmed", OLD_SLOT)]


def interview(row_id, at, outcome="Planned", moved_to=None):
    return (row_id, at.date(), at.time(), "Interview", "Acme", "Tom Baker", "Anna Li, Ben Wu", outcome, moved_to)


def log_of(tmp_path, config, name, rows):
    # One workbook at each moment: its name is in the events' UIDs (exports.event_uid).
    (tmp_path / name).mkdir(exist_ok=True)
    return jobs.read(plain_log(tmp_path / name / "log.xlsx", rows, HEADER), config)


def export(tmp_path, config, name, rows, now):
    """`tracker reminders --from now --to 2026-11-30 --ics`, run at `now`: the reminders
    listed and the calendar written, parsed back."""
    log = log_of(tmp_path, config, name, rows)
    window = (config.local(now), config.local(datetime(2026, 12, 1)))
    items = jobs.reminder_list(log, config, *window)
    ics = tmp_path / f"{name}.ics"
    said = jobs.export_reminders(log, config, items, ics=ics, stamp=now, window=window)
    calendar = icalendar.Calendar.from_ical(ics.read_bytes())
    # What it says it wrote is what the file holds (it counted the calls before the
    # notices folded into their interview's event: "Wrote 3 calls" for one).
    events = calendar.walk("VEVENT")
    struck = sum(str(ev.get("status", "")) == "CANCELLED" for ev in events)
    booked = len(events) - struck
    told = ([f"{booked} call{'s' if booked != 1 else ''} with their alarms"] if booked else []) + (
        [f"{struck} cancelled call{'s' if struck != 1 else ''}"] if struck else [])
    assert said[0].startswith(f"Wrote {' and '.join(told)} to "), said
    return items, calendar


def live(held):
    return sorted((ev.decoded("dtstart").replace(tzinfo=None), str(ev["summary"]))
                  for ev in held.values() if str(ev.get("status", "")) != "CANCELLED")


def notice_calls(items):
    """(when, candidate, the interview it confirms) of the notices' reminders."""
    return sorted((r.at, tuple(r.names), r.call_at) for r in items if r.call_type == "interview_notice")


MOVED = {
    "moved alone": lambda: [*notices(), interview("I-1", OLD_SLOT, "Rescheduled", NEW_SLOT)],
    "moved and logged again": lambda: [*notices(), interview("I-1", OLD_SLOT, "Rescheduled", NEW_SLOT),
                                       interview("I-2", NEW_SLOT)],
}


@pytest.mark.parametrize("how", MOVED)
def test_the_notices_confirmation_calls_move_with_their_interview(tmp_path, config, how):
    # Found by a tester: rows 194/195 of the demo kept "call to confirm" for the 21 Nov
    # slot after the interview row 214 was moved to the 24th.
    before, _ = export(tmp_path, config, "before", [*notices(), interview("I-1", OLD_SLOT)], datetime(2026, 11, 17, 9))
    after, _ = export(tmp_path, config, "after", MOVED[how](), datetime(2026, 11, 17, 9))
    assert notice_calls(before) == [(OLD_EVE, ("Anna Li",), OLD_SLOT), (OLD_EVE, ("Ben Wu",), OLD_SLOT)]
    assert notice_calls(after) == [(NEW_EVE, ("Anna Li",), NEW_SLOT), (NEW_EVE, ("Ben Wu",), NEW_SLOT)]
    assert all(r.call_at == NEW_SLOT for r in after)


@pytest.mark.parametrize("how", MOVED)
def test_the_calendar_moves_the_one_event_it_has(tmp_path, config, how):
    # Before: one event for the interview and its notices. After the move it kept that
    # event at the old slot (now the notices') and gained the new row's beside it.
    _, before = export(tmp_path, config, "before", [*notices(), interview("I-1", OLD_SLOT)], datetime(2026, 11, 17, 9))
    _, after = export(tmp_path, config, "after", MOVED[how](), datetime(2026, 11, 18, 9))
    assert live(imported(before)) == [(OLD_SLOT, "Interview: Acme")]
    held = imported(before, after)
    assert live(held) == [(NEW_SLOT, "Interview: Acme")] and len(held) == 1
    (first,), (event,) = before.walk("VEVENT"), after.walk("VEVENT")
    assert event["uid"] == first["uid"] and int(event["sequence"]) > int(first["sequence"])
    # The notices' calls the day before ring the day before the new slot, and say it.
    start = event.decoded("dtstart").replace(tzinfo=None)
    rings = {start + alarm.decoded("trigger"): str(alarm["description"]) for alarm in event.walk("VALARM")}
    assert NEW_EVE in rings and "Anna Li" in rings[NEW_EVE] and "Ben Wu" in rings[NEW_EVE]
    assert "24" in rings[NEW_EVE] and OLD_EVE not in rings


@pytest.mark.parametrize("how", MOVED)
def test_the_follow_ups_confirm_the_new_slot_once(tmp_path, config, how):
    path = plain_log(tmp_path / "moved.xlsx", MOVED[how](), HEADER)
    listed = {(row["row"], row["due"]) for row in overdue_json(path, "2026-11-19T09:00")}
    # Not the notices' call for Friday: the interview's row (the one logging it again, when
    # there is one) owes the call on Monday.
    assert not {row for row, _ in listed} & {2, 3}
    assert (5 if how == "moved and logged again" else 4, "2026-11-23") in listed


OFF = {
    "cancelled": lambda: [*notices(), interview("I-1", OLD_SLOT, "Cancelled")],
    "moved with no new slot yet": lambda: [*notices(), interview("I-1", OLD_SLOT, "Rescheduled")],
    "every candidate withdrew": lambda: [
        *notices(), interview("I-1", OLD_SLOT),
        ("W-1", datetime(2026, 11, 18), None, "Follow-up", "Acme", "Anna Li", None, "Withdrawn", None),
        ("W-2", datetime(2026, 11, 18), None, "Follow-up", "Acme", "Ben Wu", None, "Withdrawn", None)],
}


@pytest.mark.parametrize("how", OFF)
def test_no_call_confirms_an_interview_called_off(tmp_path, config, how):
    _, before = export(tmp_path, config, "before", [*notices(), interview("I-1", OLD_SLOT)], datetime(2026, 11, 17, 9))
    items, after = export(tmp_path, config, "after", OFF[how](), datetime(2026, 11, 18, 9))
    assert notice_calls(items) == [] and not [r for r in items if r.call_at == OLD_SLOT]
    # The calendar that imported the interview strikes it out, under the UID it had.
    held = imported(before, after)
    assert live(held) == [] and len(held) == 1
    (event,) = after.walk("VEVENT")
    assert str(event["status"]) == "CANCELLED"
    listed = overdue_json(plain_log(tmp_path / "off.xlsx", OFF[how](), HEADER), "2026-11-19T09:00")
    assert not [row for row in listed if row["row"] in (2, 3)]


def test_an_interview_moved_with_no_new_slot_is_struck_out_then_moved(tmp_path, config):
    # Without notices (demo row 210): marked Rescheduled before its new slot is known, its
    # event used to vanish from the file while the calendar that imported it kept it as
    # booked. Struck out now; once the new slot is written, moved there under its UID.
    rows = [interview("I-1", OLD_SLOT)]
    _, before = export(tmp_path, config, "before", rows, datetime(2026, 11, 17, 9))
    _, between = export(tmp_path, config, "between", [interview("I-1", OLD_SLOT, "Rescheduled")],
                        datetime(2026, 11, 18, 9))
    _, after = export(tmp_path, config, "after", [interview("I-1", OLD_SLOT, "Rescheduled", NEW_SLOT)],
                      datetime(2026, 11, 19, 9))
    assert live(imported(before, between)) == [] and len(imported(before, between)) == 1
    held = imported(before, between, after)
    assert live(held) == [(NEW_SLOT, "Interview: Acme")] and len(held) == 1
