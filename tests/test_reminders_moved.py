"""An interview moved by logging it again on a new row, the old row left booked: the
follow-ups, the reminders and the calendar keep one live slot, the new one. Real
workbooks (openpyxl) read back; each calendar file parsed (icalendar) and imported in
turn, as a calendar application does."""
from __future__ import annotations

from datetime import date, datetime

import icalendar
import pytest
from workbooks import imported, plain_log

from tracker import jobs
from tracker.config import load_config

HEADER = ("Date", "Time", "Call type", "Client", "Contact", "Candidates", "Outcome", "Next contact")
NOW = datetime(2026, 11, 25, 17, 0)   # the tester's --as-of
OLD, NEW = datetime(2026, 11, 26, 15, 0), datetime(2026, 12, 4, 15, 0)


@pytest.fixture
def config(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "no-user-config"))
    return load_config(overrides={"timezone": "Europe/Berlin"})


def row(at, call_type="Interview", candidates="Olga Ng", outcome="Planned", moved_to=None, client="Eps"):
    return (at.date(), at.time(), call_type, client, "Kim Lee", candidates, outcome, moved_to)


def outputs(tmp_path, config, name, rows, now=NOW):
    """For a log of `rows` at `now`: (the rows the follow-ups still owe a confirmation
    call before the interview, the rows reminded of up to 10 Dec, the calendar written
    for that window, parsed back)."""
    # One workbook at each moment: its name is in the events' UIDs (exports.event_uid).
    (tmp_path / name).mkdir(exist_ok=True)
    log = jobs.read(plain_log(tmp_path / name / "log.xlsx", rows, HEADER), config)
    confirm = {fu.row for fu in jobs.followup_list(log, config, now)
               if fu.status != "done" and fu.step.key == "confirm_eve"}
    window = (config.local(now), config.local(datetime(2026, 12, 10)))
    items = jobs.reminder_list(log, config, *window)
    ics = tmp_path / f"{name}.ics"
    jobs.export_reminders(log, config, items, ics=ics, stamp=now, window=window)
    return confirm, {r.call_row for r in items}, icalendar.Calendar.from_ical(ics.read_bytes())


def live(*calendars):
    """(start, row) of the events a calendar that imported each file in turn shows: one
    per UID, the version of the highest SEQUENCE (RFC 5546 2.1.5)."""
    return sorted((ev.decoded("dtstart").replace(tzinfo=None), str(ev["description"]).split("Calls!")[1].split()[0])
                  for ev in imported(*calendars).values() if str(ev.get("status", "")) != "CANCELLED")


def test_an_interview_logged_again_on_a_later_day_the_old_row_left_planned_is_one_call(tmp_path, config):
    # Found by a tester (resched.py V3): the follow-ups owed the confirmation call of the
    # 4 Dec row only, but the reminders still listed the 26 Nov slot (the SMS at 14:40)
    # and the calendar held two "Interview: Eps" events.
    first, _, before = outputs(tmp_path, config, "before", [row(OLD)], datetime(2026, 11, 20, 9, 0))
    confirm, reminded, after = outputs(tmp_path, config, "after", [row(OLD), row(NEW)])
    assert first == {2}
    assert confirm == {3} and reminded == {3}
    assert live(after) == [(NEW, "3")]
    # The calendar that imported the file of 20 Nov moves its event rather than keeping two.
    assert live(before, after) == [(NEW, "3")]


def test_a_new_row_marked_rescheduled_to_the_new_slot_the_old_row_left_planned_is_one_call(tmp_path, config):
    # The tester's V1: the client's call of 25 Nov logged on a new row, marked Rescheduled
    # with Next contact 2 Dec 10:00; the row of 26 Nov 10:00 left Planned. The 26 Nov
    # slot was reminded of and in the calendar beside the 2 Dec one.
    old = row(datetime(2026, 11, 26, 10, 0))
    told = row(datetime(2026, 11, 25, 12, 0), outcome="Rescheduled", moved_to=datetime(2026, 12, 2, 10, 0))
    before = outputs(tmp_path, config, "before", [old], datetime(2026, 11, 20, 9, 0))[2]
    confirm, reminded, after = outputs(tmp_path, config, "after", [old, told])
    assert confirm == reminded == {3}
    assert live(before, after) == [(datetime(2026, 12, 2, 10, 0), "3")]


@pytest.mark.parametrize("second", [
    row(NEW, call_type="Repeat call"),                      # the next round: another call type
    row(NEW, candidates="Ben Wu"),                          # the client sees another candidate the next week
    row(datetime(2026, 11, 26, 17, 0)),                     # the same day at 17:00: a second round (seed 003)
], ids=["repeat call", "another candidate", "same day"])
def test_a_second_round_or_another_candidates_interview_is_its_own_call(tmp_path, config, second):
    _, reminded, after = outputs(tmp_path, config, "two", [row(OLD), second])
    assert reminded == {2, 3}
    assert live(after) == sorted([(OLD, "2"), (datetime.combine(second[0], second[1]), "3")])


def test_a_client_seeing_one_candidate_a_day_reminds_of_each(tmp_path, config):
    days = [row(datetime(2026, 11, d, 11, 0), candidates=name)
            for d, name in ((26, "Olga Ng"), (27, "Ben Wu"), (30, "Ann Po"))]
    confirm, reminded, after = outputs(tmp_path, config, "days", days)
    assert confirm == reminded == {2, 3, 4}
    assert [r for _, r in live(after)] == ["2", "3", "4"]
    assert date(2026, 11, 26) in {at.date() for at, _ in live(after)}
