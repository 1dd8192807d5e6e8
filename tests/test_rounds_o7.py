"""Rounds of one process and reports among other candidates' rows (audits F and E):
workbooks written with openpyxl, read back through `tracker` (click's CliRunner),
calendars parsed with icalendar.

DOMAIN.md: "Processes have 1 to 6 rounds, and extra rounds appear late": a later row that
says it is another round is not the earlier interview moved. And a sent report's
follow-up ("I sent you candidate X two days ago") is owed until a row speaks of X."""
from __future__ import annotations

import json
from datetime import date, time

import icalendar
import openpyxl
import pytest
from click.testing import CliRunner
from workbooks import overdue_json, plain_log

from tracker.cli import main

pytestmark = pytest.mark.usefixtures("no_user_config")

HEADER = ("ID", "Date", "Time", "Call type", "Client", "Contact", "Candidates", "Position", "Outcome",
          "Next contact", "Comment on the call")
TUE, THU = date(2026, 12, 8), date(2026, 12, 10)


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def row(row_id, day, at, call_type="Interview", candidates="Anna Li (E1)", notes=None, position=None,
        outcome="Planned", next_contact=None, contact="Jane Roe", client="Acme Ltd"):
    return (row_id, day, at, call_type, client, contact, candidates, position, outcome, next_contact, notes)


def book(tmp_path, name, rows):
    """The log "log.xlsx" of `rows` in a folder `name`: one workbook at each moment, as
    its name is in the events' UIDs (exports.event_uid)."""
    (tmp_path / name).mkdir()
    return plain_log(tmp_path / name / "log.xlsx", rows, HEADER)


def reminded(path, start="2026-12-06T08:00", end="2027-01-31"):
    r = run("reminders", path, "--from", start, "--to", end, "--format", "json")
    assert r.exit_code == 0, r.output
    return sorted({(x["call_row"], x["call_at"][:10]) for x in json.loads(r.stdout)})


def events(path, ics):
    r = run("reminders", path, "--from", "2026-12-06T08:00", "--to", "2027-01-31", "--ics", ics)
    assert r.exit_code == 0, r.output
    cal = icalendar.Calendar.from_ical(ics.read_bytes())
    return {str(ev["uid"]): ev.decoded("dtstart").date() for ev in cal.walk("VEVENT")}


# ---------------------------------------------------------------- a later round is no move

ROUNDS = {
    # The final round: its call type reads as an Interview (call_types.yaml), its words
    # name a later round (summaries.repeat_interview_words).
    "final interview": ("Interview", "Final interview", None),
    "ja": ("一次面接", "最終面接", None),
    # Round 2 written in the notes of a row typed "Interview".
    "second round in the notes": ("Interview", "Interview", "Second round with the CTO"),
}


@pytest.mark.parametrize("first, later, notes", ROUNDS.values(), ids=ROUNDS.keys())
def test_a_later_round_keeps_the_earlier_interview_listed_reminded_and_in_the_calendar(tmp_path, first, later,
                                                                                        notes):
    # Audit F w19/w21b: Tuesday's round 1 lost its reminders, its event (Thursday's took
    # its UID: a calendar moved it) and its confirmation call, settled as if moved.
    one = book(tmp_path, "one", [row(1, TUE, time(15), first)])
    path = book(tmp_path, "two", [row(1, TUE, time(15), first), row(2, THU, time(15), later, notes=notes)])
    assert reminded(path) == [(2, "2026-12-08"), (3, "2026-12-10")]
    # The file of two rows has Tuesday's event under the UID it had when alone, and Thursday's of its own.
    (old_uid,) = events(one, tmp_path / "one.ics")
    held = events(path, tmp_path / "two.ics")
    assert held[old_uid] == TUE and sorted(held.values()) == [TUE, THU]
    # The call the day before each round is owed, each on its own eve.
    owed = {(f["row"], f["step"]["key"], f["due"][:10]) for f in overdue_json(path, "2026-12-07T09:00")}
    assert owed == {(2, "confirm_eve", "2026-12-07"), (3, "confirm_eve", "2026-12-09")}


def test_refresh_does_not_mark_round_one_done_before_it_happens(tmp_path):
    path = plain_log(tmp_path / "log.xlsx", [row(1, TUE, time(15)), row(2, THU, time(15), "Final interview")],
                     HEADER)
    assert run("refresh", path, "--as-of", "2026-12-07T09:00").exit_code == 0
    ws = openpyxl.load_workbook(path)["Calls"]
    status = next(c for c in ws[1] if c.value == "Status").column
    assert [ws.cell(r, status).value for r in (2, 3)] == ["Due today", "Upcoming"]


@pytest.mark.parametrize("later", [
    row(2, THU, time(11), "Final interview", candidates=None),                    # its candidates not picked yet
    row(2, THU, time(11), candidates=None, position="QA engineer"),               # another role's interview
], ids=["final round, no candidates", "another position"])
def test_a_later_interview_naming_no_candidates_that_says_it_is_another_keeps_both(tmp_path, later):
    path = plain_log(tmp_path / "log.xlsx", [row(1, TUE, time(15), position="Data engineer"), later], HEADER)
    assert reminded(path) == [(2, "2026-12-08"), (3, "2026-12-10")]


MOVED = {
    # The moved-interview stories that keep working (tests/test_reminders_moved.py,
    # test_followups.py): the same candidate again, or a row naming none and nothing else.
    "same candidate": row(2, THU, time(15)),
    "no candidates named": row(2, THU, time(15), candidates=None),
    "same position, no candidates": row(2, THU, time(15), candidates=None, position="data engineer"),
    # The second round moved, its row copied: both name it.
    "both name the round": row(2, THU, time(15), notes="Second round with the CTO"),
}


@pytest.mark.parametrize("later", MOVED.values(), ids=MOVED.keys())
def test_the_same_interview_logged_again_later_is_still_one_call(tmp_path, later):
    first = row(1, TUE, time(15), position="Data engineer",
                notes="Second round with the CTO" if later[-1] else None)
    one = book(tmp_path, "one", [first])
    path = book(tmp_path, "two", [first, later])
    assert reminded(path) == [(3, "2026-12-10")]
    (old_uid,) = events(one, tmp_path / "one.ics")
    assert events(path, tmp_path / "two.ics") == {old_uid: THU}
    owed = {f["row"] for f in overdue_json(path, "2026-12-07T09:00")}
    assert owed == {3}


# ---------------------------------------------------------------- a report among other candidates' rows

REPORT = row(1, date(2026, 11, 17), time(12), "Report sent", "Anna Li", "CV of Anna sent", outcome="Done",
             contact="Olga Ivanova")


def petr(candidates="Petr Sidorov", notes="Petr interviewed, client decides by 24th"):
    return row(2, date(2026, 11, 17), time(14), "Interview", candidates, notes, outcome="Attended",
               next_contact=date(2026, 11, 24), contact="Olga Ivanova")


def test_a_report_is_still_followed_up_after_another_candidates_interview_with_the_contact(tmp_path):
    # Audit E s14: the report on Anna at 12:00, Petr's interview with Olga at 14:00: the
    # report's call two days later was gone, settled by Petr's row.
    path = plain_log(tmp_path / "log.xlsx", [REPORT, petr()], HEADER)
    owed = {(f["row"], f["step"]["key"], f["status"]) for f in overdue_json(path, "2026-11-19T09:00")}
    assert owed == {(2, "report_call", "due_today"), (3, "next_contact", "upcoming")}
    # The SMS the same day is owed too.
    owed = {(f["row"], f["step"]["key"]) for f in overdue_json(path, "2026-11-17T15:00")}
    assert (2, "report_sms") in owed


@pytest.mark.parametrize("later", [
    petr("Petr Sidorov; Anna Li"),                                  # the row names Anna too
    petr(None, "Olga: seen the CV, will call back"),                # the client's reply, naming no candidate
], ids=["names the report's candidate", "names none"])
def test_a_later_row_about_the_reports_candidate_or_no_one_settles_it(tmp_path, later):
    path = plain_log(tmp_path / "log.xlsx", [REPORT, later], HEADER)
    assert {f["row"] for f in overdue_json(path, "2026-11-19T09:00")} == {3}
