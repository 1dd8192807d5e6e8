"""The calendar of a moved interview logged again on a new row: exported before and after
the move, each file parsed back and imported, as a calendar application does, into the
one calendar the consultant keeps."""
from __future__ import annotations

from datetime import datetime

import icalendar
import pytest
from workbooks import imported, plain_log

from tracker import jobs
from tracker.config import load_config

HEADER = ("ID", "Date", "Time", "Call type", "Client", "Contact", "Candidates", "Outcome", "Next contact")
OLD_SLOT, NEW_SLOT = datetime(2026, 11, 20, 10, 0), datetime(2026, 11, 27, 10, 0)


@pytest.fixture
def config(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "no-user-config"))
    return load_config(overrides={"timezone": "Europe/Berlin"})


def interview(row_id, at, outcome="Planned", moved_to=None, candidates="Anna Li"):
    return (row_id, at.date(), at.time(), "Interview", "Acme", "Tom Baker", candidates, outcome, moved_to)


def export(tmp_path, config, name, rows, now):
    """`tracker reminders --from now --to 2026-11-30 --ics`, run at `now`, on a log of
    `rows`: the calendar it writes, parsed back."""
    # One workbook at each moment: its name is in the events' UIDs (exports.event_uid).
    (tmp_path / name).mkdir(exist_ok=True)
    log = jobs.read(plain_log(tmp_path / name / "log.xlsx", rows, HEADER), config)
    window = (config.local(now), config.local(datetime(2026, 12, 1)))
    items = jobs.reminder_list(log, config, *window)
    ics = tmp_path / f"{name}.ics"
    jobs.export_reminders(log, config, items, ics=ics, stamp=now, window=window)
    return icalendar.Calendar.from_ical(ics.read_bytes())


def live(held):
    """(start, title) of the events a calendar shows as still to happen."""
    return sorted((ev.decoded("dtstart").replace(tzinfo=None), str(ev["summary"]))
                  for ev in held.values() if str(ev.get("status", "")) != "CANCELLED")


@pytest.mark.parametrize("ids", [(None, None), ("C-1", "C-2"), ("C-1", "C-1")],
                         ids=["no ID column values", "an ID each", "the new row given the old one's ID"])
@pytest.mark.parametrize("exported_between", [False, True], ids=["", "exported while moved alone"])
def test_a_moved_interview_logged_again_moves_the_event_the_calendar_imported(tmp_path, config, ids,
                                                                                exported_between):
    # Found by review (a gap left by e837d42): the row marked Rescheduled was dropped from
    # the next export in favour of the row logging the interview again, under a UID of its
    # own; a calendar that had imported the first file kept the interview at its old slot
    # (or, imported while the row was moved alone, twice at the new one).
    old, new = ids
    before = export(tmp_path, config, "before", [interview(old, OLD_SLOT)], datetime(2026, 11, 18, 9, 0))
    moved = interview(old, OLD_SLOT, "Rescheduled", NEW_SLOT)
    between = [export(tmp_path, config, "between", [moved], datetime(2026, 11, 19, 9, 0))] if exported_between else []
    after = export(tmp_path, config, "after", [moved, interview(new, NEW_SLOT)], datetime(2026, 11, 21, 9, 0))

    assert live(imported(before)) == [(OLD_SLOT, "Interview: Acme")]
    held = imported(before, *between, after)
    assert live(held) == [(NEW_SLOT, "Interview: Acme")]
    assert len(held) == 1
    # The new row's event is the one written: its row, its alarms, under the old UID.
    (event,) = after.walk("VEVENT")
    (first,) = before.walk("VEVENT")
    assert event["uid"] == first["uid"] and int(event["sequence"]) > int(first["sequence"])
    assert "Calls!3" in str(event["description"]) and event.walk("VALARM")


def test_an_interview_moved_twice_and_logged_again_each_time_is_one_event(tmp_path, config):
    middle = datetime(2026, 11, 25, 10, 0)
    first = interview("C-1", OLD_SLOT, "Rescheduled", middle)
    second = interview("C-2", middle, "Rescheduled", NEW_SLOT)
    files = [export(tmp_path, config, "1", [interview("C-1", OLD_SLOT)], datetime(2026, 11, 18, 9, 0)),
             export(tmp_path, config, "2", [first, interview("C-2", middle)], datetime(2026, 11, 19, 9, 0)),
             export(tmp_path, config, "3", [first, second, interview("C-3", NEW_SLOT)], datetime(2026, 11, 21, 9, 0))]
    held = imported(*files)
    assert live(held) == [(NEW_SLOT, "Interview: Acme")] and len(held) == 1


def test_the_interview_logged_again_then_cancelled_is_struck_out_under_the_old_uid(tmp_path, config):
    before = export(tmp_path, config, "before", [interview("C-1", OLD_SLOT)], datetime(2026, 11, 18, 9, 0))
    moved = interview("C-1", OLD_SLOT, "Rescheduled", NEW_SLOT)
    off = export(tmp_path, config, "off", [moved, interview("C-2", NEW_SLOT, "Cancelled")],
                 datetime(2026, 11, 21, 9, 0))
    held = imported(before, off)
    assert live(held) == [] and len(held) == 1
    (event,) = held.values()
    assert str(event["status"]) == "CANCELLED" and not event.walk("VALARM")


@pytest.mark.parametrize("other", [
    interview("C-2", NEW_SLOT, candidates="Ben Wu"),           # another candidate's interview at that slot
    interview("C-2", datetime(2026, 11, 27, 16, 0)),           # the same day at 16:00: a second round (seed 003)
], ids=["another candidate", "another round"])
def test_a_moved_interview_not_logged_again_keeps_its_own_event(tmp_path, config, other):
    before = export(tmp_path, config, "before", [interview("C-1", OLD_SLOT)], datetime(2026, 11, 18, 9, 0))
    moved = interview("C-1", OLD_SLOT, "Rescheduled", NEW_SLOT)
    after = export(tmp_path, config, "after", [moved, other], datetime(2026, 11, 21, 9, 0))
    held = imported(before, after)
    assert live(held) == sorted([(NEW_SLOT, "Interview: Acme"), (datetime.combine(other[1], other[2]), "Interview: Acme")])
    (first,) = before.walk("VEVENT")
    assert {str(ev["uid"]) for ev in after.walk("VEVENT")} == set(held) and str(first["uid"]) in held


# ---------------------------------------------------------------- an interview notice, then its interview row

SLOT = datetime(2026, 11, 25, 9, 0)


def notice(row_id, outcome="Confirmed", at=SLOT):
    """The written invitation to Anna Li (DOMAIN.md, seed 004), sent on the 18th: an event
    at the interview's time until the interview row is logged."""
    return (row_id, datetime(2026, 11, 18).date(), datetime(2026, 11, 18, 17, 0).time(), "Interview notice", "Acme",
            "Anna Li", None, outcome, at)


@pytest.mark.parametrize("ids", [(None, None), ("C-1", "C-2")], ids=["no ID column values", "an ID each"])
@pytest.mark.parametrize("order", ["notice first", "interview first", "both in one file"])
def test_a_notice_and_its_interview_row_are_one_event_in_whatever_order_they_were_exported(tmp_path, config, ids,
                                                                                             order):
    # Found by review: the notice exported alone was an event under its own UID; once the
    # interview row was logged, the next file wrote the interview under the interview row's
    # UID and the calendar that imported both kept two events at 09:00.
    the_notice, the_interview = notice(ids[0]), interview(ids[1], SLOT)
    # Rows are logged, and so exported, in the order they stand in the log.
    first, both = {"notice first": ([the_notice], [the_notice, the_interview]),
                   "interview first": ([the_interview], [the_interview, the_notice]),
                   "both in one file": ([the_notice, the_interview], [the_notice, the_interview])}[order]
    before = export(tmp_path, config, "before", first, datetime(2026, 11, 19, 9, 0))
    after = export(tmp_path, config, "after", both, datetime(2026, 11, 20, 9, 0))
    again = export(tmp_path, config, "again", both, datetime(2026, 11, 21, 9, 0))

    title = "Interview notice: Acme" if order == "notice first" else "Interview: Acme"
    assert live(imported(before)) == [(SLOT, title)]
    held = imported(before, after, again)
    assert live(held) == [(SLOT, "Interview: Acme")] and len(held) == 1
    # The interview row's event (its row, its alarms), under the UID the calendar has.
    (event,) = after.walk("VEVENT")
    assert f"Calls!{2 + both.index(the_interview)}" in str(event["description"]) and event.walk("VALARM")
    assert event["uid"] in {str(ev["uid"]) for ev in before.walk("VEVENT")}


def test_the_interview_a_notice_announced_called_off_is_struck_out_under_the_notices_uid(tmp_path, config):
    before = export(tmp_path, config, "before", [notice("C-1")], datetime(2026, 11, 19, 9, 0))
    logged = export(tmp_path, config, "logged", [notice("C-1"), interview("C-2", SLOT)], datetime(2026, 11, 20, 9, 0))
    off = export(tmp_path, config, "off", [notice("C-1"), interview("C-2", SLOT, "Cancelled")],
                 datetime(2026, 11, 21, 9, 0))
    held = imported(before, logged, off)
    assert live(held) == [] and len(held) == 1
    (event,) = held.values()
    assert str(event["status"]) == "CANCELLED" and not event.walk("VALARM")


def test_a_notice_to_two_candidates_interviewed_together_gives_its_uid_once(tmp_path, config):
    # Two notices, one per candidate, then the one interview row naming both: one event,
    # under the UID of the first notice; the second's UID is no other event's.
    ben = notice("C-2")[:5] + ("Ben Wu",) + notice("C-2")[6:]
    rows = [notice("C-1"), ben, interview("C-3", SLOT, candidates="Anna Li; Ben Wu")]
    first = export(tmp_path, config, "first", [notice("C-1")], datetime(2026, 11, 19, 9, 0))
    after = export(tmp_path, config, "after", rows, datetime(2026, 11, 20, 9, 0))
    (event,) = after.walk("VEVENT")
    (notice_event,) = first.walk("VEVENT")
    assert event["uid"] == notice_event["uid"] and "Calls!4" in str(event["description"])


def test_a_notice_of_another_candidate_at_that_slot_keeps_its_own_event(tmp_path, config):
    ben = notice("C-1")[:5] + ("Ben Wu",) + notice("C-1")[6:]
    before = export(tmp_path, config, "before", [ben], datetime(2026, 11, 19, 9, 0))
    after = export(tmp_path, config, "after", [ben, interview("C-2", SLOT)], datetime(2026, 11, 20, 9, 0))
    held = imported(before, after)
    assert live(held) == [(SLOT, "Interview notice: Acme"), (SLOT, "Interview: Acme")] and len(held) == 2


def test_a_notices_uid_is_taken_over_once_in_a_file(tmp_path, config):
    # Two interview rows of Anna at the notice's slot (one typed twice): one event keeps
    # the notice's UID, the other its own; a calendar would merge two of one UID into one.
    from tracker.exports import write_ics
    from tracker.reminders import planned_call

    (tmp_path / "twice").mkdir()
    log = jobs.read(plain_log(tmp_path / "twice" / "log.xlsx", [notice("C-1"), interview("C-2", SLOT),
                                                                interview("C-3", SLOT)], HEADER), config)
    the_notice, *interviews = log.records
    folded = {(i.sheet, i.row): [planned_call(the_notice, config)] for i in interviews}
    cal = icalendar.Calendar.from_ical(write_ics(interviews, [], config, tmp_path / "twice.ics",
                                                 stamp=datetime(2026, 11, 20, 9, 0), log_records=log.records,
                                                 folded=folded, workbook=log.path).read_bytes())
    alone = export(tmp_path, config, "alone", [notice("C-1")], datetime(2026, 11, 19, 9, 0))
    uids = [str(ev["uid"]) for ev in cal.walk("VEVENT")]
    assert len(uids) == 2 == len(set(uids)) and str(next(iter(alone.walk("VEVENT")))["uid"]) in uids
