"""Follow-ups across threads: a candidate's withdrawal told on the client's contact's
thread, and a chase that runs past an appointment called off.

Calendar of the tests (November 2026): Fri 20, Mon 23, Tue 24, Wed 25, Thu 26, Fri 27.
"""
from __future__ import annotations

import pytest

from workbooks import overdue_json, typed_log


pytestmark = pytest.mark.usefixtures("no_user_config")


def _listed(path, as_of):
    """`tracker overdue --all` as of `as_of`: (row, contact, step, status, due day, flag) of each."""
    return [(f["row"], f["contact"], f["step"]["key"], f["status"], (f["due"] or "")[:10], f["flag"])
            for f in overdue_json(path, as_of)]


OLGA = {"Client": "Omega", "SM": "Kate", "Contact": "Olga HR"}
PETR = {"Client": "Omega", "SM": "Kate", "Contact": "Petr Ivanov"}


# ---------------------------------------------------------------- a withdrawal told on the client's thread

def _withdrawal_told(path, *, agreed=True, on="olga", candidates="Petr Ivanov"):
    """Olga HR of Omega agreed on Fri 20 to be called back on Fri 27 (`agreed`); Petr's
    interview with her is booked for Tue 24 16:00; on Mon 23 he pulls out, logged on her
    row naming him (`on="olga"`), or on his own (`"petr"`), or the interview row itself
    marked Withdrawn (`"interview"`)."""
    first = {**OLGA, "Date": "2026-11-20", "Time": "11:00", "Call type": "First call", "Outcome": "Done"}
    if agreed:
        first.update({"Next contact": "2026-11-27", "Next step": "call back Friday about the second position"})
    interview = {**OLGA, "Date": "2026-11-24", "Time": "16:00", "Call type": "Interview", "Candidates": candidates,
                 "Outcome": "Withdrawn" if on == "interview" else "Planned"}
    told = {"Date": "2026-11-23", "Time": "15:00", "Call type": "Follow-up", "Outcome": "Withdrawn"}
    below = {"olga": [{**OLGA, **told, "Candidates": "Petr Ivanov"}], "petr": [{**PETR, **told}], "interview": []}[on]
    return typed_log(path, [first, interview, *below])


def _olgas(path, as_of):
    return [(row, step, status, due) for row, contact, step, status, due, _ in _listed(path, as_of)
            if contact == "Olga HR"]


@pytest.mark.parametrize("as_of, status", [("2026-11-23T18:00", "upcoming"), ("2026-11-25T09:00", "upcoming"),
                                           ("2026-11-27T09:00", "due_today"), ("2026-11-30T09:00", "overdue")])
def test_a_withdrawal_told_on_the_clients_thread_leaves_her_agreed_call_owed(tmp_path, as_of, status):
    # Found in an earlier session: Petr's withdrawal logged on Olga's row closed her whole
    # thread (withdrawn is a closing outcome): the call back agreed with her for Friday was
    # listed on no day. It is Petr who pulled out: his interview is off, as when he says so
    # on his own thread, and Olga's call is owed on the row that told of it.
    told = _withdrawal_told(tmp_path / "told.xlsx")
    own = _withdrawal_told(tmp_path / "own.xlsx", on="petr")
    assert _olgas(told, as_of) == [(4, "next_contact", status, "2026-11-27")]
    assert _olgas(own, as_of) == [(3, "next_contact", status, "2026-11-27")]
    # The interview row marked Withdrawn itself: the same, as one marked Cancelled.
    marked = _withdrawal_told(tmp_path / "marked.xlsx", on="interview")
    assert _olgas(marked, as_of) == [(3, "next_contact", status, "2026-11-27")]


def test_a_withdrawal_told_on_the_clients_thread_with_nothing_agreed_asks_for_a_next_step(tmp_path):
    # The client is still to be told and offered others: the row needs a next step, as the
    # client's own cancellation of the round does; the interview asks nothing.
    told = _withdrawal_told(tmp_path / "told.xlsx", agreed=False)
    for as_of in ("2026-11-23T18:00", "2026-11-25T09:00", "2026-11-30T09:00"):
        assert _listed(told, as_of) == [(4, "Olga HR", "plan", "no_next_action", "", "")], as_of


def test_a_withdrawal_told_for_one_of_two_candidates_leaves_the_interview_on_for_the_other(tmp_path):
    told = _withdrawal_told(tmp_path / "two.xlsx", candidates="Petr Ivanov; Ann Able")
    assert _listed(told, "2026-11-23T18:00") == [(3, "Olga HR", "confirm_eve", "due_today", "2026-11-23", "")]


def test_a_withdrawal_told_on_the_clients_thread_closes_the_candidates_own(tmp_path):
    # His chase (unanswered on Fri 20) ends with his withdrawal, wherever it was logged.
    silent = {**PETR, "Date": "2026-11-20", "Time": "10:00", "Call type": "Follow-up", "Outcome": "No answer"}
    said = {"Date": "2026-11-23", "Time": "15:00", "Call type": "Follow-up", "Outcome": "Withdrawn"}
    for name, row in (("told", {**OLGA, **said, "Candidates": "Petr Ivanov"}), ("own", {**PETR, **said}),
                      ("named", {**PETR, **said, "Candidates": "Petr Ivanov"}),
                      ("unnamed", {"Client": "Omega", "SM": "Kate", **said, "Candidates": "Petr Ivanov"})):
        path = typed_log(tmp_path / f"{name}.xlsx", [silent, row])
        listed = _listed(path, "2026-11-25T09:00")
        assert [x for x in listed if x[1] == "Petr Ivanov"] == [], name
        # Only told on Olga's row is there a client to tell.
        assert [x[:3] for x in listed] == ([(3, "Olga HR", "plan")] if name == "told" else []), name
    # Told before his latest row (he answered again after), or of a Petr at another
    # client: his thread goes on.
    back = typed_log(tmp_path / "back.xlsx", [{**OLGA, **said, "Date": "2026-11-19", "Candidates": "Petr Ivanov"},
                                              silent])
    assert ("Petr Ivanov", "t1") in {x[1:3] for x in _listed(back, "2026-11-21T09:00")}
    other = typed_log(tmp_path / "other.xlsx",
                      [silent, {**OLGA, **said, "Client": "Delta", "Candidates": "Petr Ivanov"}])
    assert ("Petr Ivanov", "t1") in {x[1:3] for x in _listed(other, "2026-11-23T18:00")}


# ---------------------------------------------------------------- a chase past an appointment called off

def _reason_tried(path, *tries, booked=True):
    """Seed 003 on Olga's thread: the first round on Fri 20, the second booked for Tue 24
    16:00 (`booked`) and cancelled on Mon 23 at 15:00 (logged below it), then her calls
    unanswered at `tries` ((date, time) each)."""
    rows = [{**OLGA, "Date": "2026-11-20", "Time": "14:00", "Call type": "Interview", "Candidates": "Petr Ivanov",
             "Outcome": "Done"}]
    if booked:
        rows.append({**OLGA, "Date": "2026-11-24", "Time": "16:00", "Call type": "Repeat call",
                     "Candidates": "Petr Ivanov", "Outcome": "Planned"})
    rows.append({**OLGA, "Date": "2026-11-23", "Time": "15:00", "Call type": "Repeat call",
                 "Candidates": "Petr Ivanov", "Outcome": "Cancelled"})
    rows += [{**OLGA, "Date": day, "Time": at, "Call type": "Follow-up", "Outcome": "No answer"} for day, at in tries]
    return typed_log(path, rows)


@pytest.mark.parametrize("second", [("2026-11-24", "10:00"), ("2026-11-24", "17:00"), ("2026-11-25", "10:00")])
def test_a_second_try_on_or_after_the_called_off_slots_day_is_the_chases_next_step(tmp_path, second):
    # Found in an earlier session: the reason call unanswered on Mon 23 at 17:00 is T of
    # the chase; the try on Tue 24 (the cancelled round's day) restarted it, T+1 owed again
    # on Wed 25: the called-off round, dated the 24th, ended the chase as a call made
    # would. It did not take place: the try logs T+1, and T+3 is owed on Thu 26 (two days
    # after a T+1 late on Wed 25: cadence.keep_gaps), as on a thread where the round was
    # never booked.
    tried = _reason_tried(tmp_path / "tried.xlsx", ("2026-11-23", "17:00"), second)
    never = _reason_tried(tmp_path / "never.xlsx", ("2026-11-23", "17:00"), second, booked=False)
    due = max("2026-11-26", "2026-11-27" if second[0] == "2026-11-25" else "")
    for as_of in ("2026-11-25T12:00", "2026-11-26T09:00", "2026-11-27T09:00"):
        status = "upcoming" if as_of[:10] < due else "due_today" if as_of[:10] == due else "overdue"
        got = _listed(tried, as_of)
        assert [x[2:] for x in got] == [("t3", status, due, "chase")], as_of
        assert [x[2:] for x in got] == [x[2:] for x in _listed(never, as_of)], as_of


def test_the_chase_past_a_called_off_slot_ends_ghosted_on_time(tmp_path):
    # T on the 23rd, T+1 on the 24th, T+3 on the 26th, the last message on the 28th: the
    # thread is closed as ghosted, not asked for a fourth step.
    tries = [("2026-11-23", "17:00"), ("2026-11-24", "17:00"), ("2026-11-26", "10:00"), ("2026-11-28", "10:00")]
    assert _listed(_reason_tried(tmp_path / "four.xlsx", *tries), "2026-12-01T09:00") == []
    three = _listed(_reason_tried(tmp_path / "three.xlsx", *tries[:3]), "2026-11-28T09:00")
    assert [x[2:4] for x in three] == [("last", "due_today")]


# ---------------------------------------------------------------- one rule for an appointment logged again

def test_logs_again_is_the_same_call_type_with_a_candidate_in_common_or_none_named():
    from tracker.followups import logs_again

    assert logs_again("interview", {"anna li"}, "interview", {"anna li", "tom hardy"})
    assert logs_again("interview", set(), "interview", {"anna li"})
    assert logs_again("interview", {"anna li"}, "interview", set())
    assert not logs_again("interview", {"anna li"}, "interview", {"tom hardy"})
    assert not logs_again("interview", {"anna li"}, "repeat_call", {"anna li"})
