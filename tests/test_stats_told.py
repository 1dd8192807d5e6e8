"""Chases in the statistics as the follow-ups run them across threads: a candidate's
withdrawal told on the client's contact's row, and a chase that runs past an appointment
called off (tests/test_followups_threads2.py has the follow-ups' side).

Calendar of the tests (November 2026): Fri 20, Mon 23, Tue 24, Wed 25, Thu 26, Fri 27, Mon 30.
The cadence: T+1 a message, T+3 a call, T+5 the last message (calendar days).
"""
from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from click.testing import CliRunner

from tracker.cli import main
from workbooks import overdue_json, typed_log


pytestmark = pytest.mark.usefixtures("no_user_config")


OLGA = {"Client": "Omega", "SM": "Kate", "Contact": "Olga HR"}
PETR = {"Client": "Omega", "SM": "Kate", "Contact": "Petr Ivanov"}
RESULTS = ("answered_t1", "answered_t3", "answered_last", "ghosted", "unresolved")


def _log(path, rows, as_of=None):
    """The log of `rows`; with `as_of`, only the rows logged by then (the log as it was)."""
    if as_of:
        rows = [r for r in rows if f'{r["Date"]}T{r["Time"]}' <= as_of]
    return typed_log(path, rows)


def _chases(path, as_of="2027-01-15T09:00") -> dict[str, int]:
    """`tracker stats --kind ghosting --format json` as of `as_of` (by default, after every
    row of the tests): the chases of all files, managers, sources and stages, by result
    (those counted only)."""
    args = ["stats", str(path), "--kind", "ghosting", "--format", "json", "--as-of", as_of]
    result = CliRunner().invoke(main, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    total = [r for r in json.loads(result.stdout) if r["file"] == r["manager"] == r["source"] == r["stage"] == "*"]
    assert len(total) <= 1
    return {k: v for k, v in total[0].items() if k in ("chases",) + RESULTS and v} if total else {}


def _listed(path, as_of):
    """`tracker overdue --all` as of `as_of`: (contact, step, due day) of each open row."""
    return [(f["contact"], f["step"]["key"], (f["due"] or "")[:10]) for f in overdue_json(path, as_of)]


def _row(who, day, at, call_type, outcome, **more):
    return {**who, "Date": day, "Time": at, "Call type": call_type, "Outcome": outcome, **more}


# ---------------------------------------------------------------- a withdrawal told on the client's row

def _told_then_chased(*, on="olga"):
    """Petr's interview with Olga HR is booked for Tue 24 16:00; on Mon 23 he pulls out,
    as Olga tells us (`on="olga"`: her row, naming him) and agrees to be called back on
    Fri 27 about other candidates. A message to her on Wed 25, ahead of that call; the
    call on Fri 27 unanswered; her reply on Mon 30."""
    told = _row(OLGA, "2026-11-23", "15:00", "Follow-up", "Withdrawn", **{"Next contact": "2026-11-27"})
    if on == "olga":
        told["Candidates"] = "Petr Ivanov"
    return [_row(OLGA, "2026-11-24", "16:00", "Interview", "Planned", Candidates="Petr Ivanov"),
            told,
            _row(OLGA, "2026-11-25", "10:00", "Follow-up", "Done"),
            _row(OLGA, "2026-11-27", "10:00", "Follow-up", "No answer"),
            _row(OLGA, "2026-11-30", "10:00", "Follow-up", "Replied")]


def test_a_withdrawal_told_on_the_clients_row_keeps_the_call_it_agreed_with_her(tmp_path):
    # Found in this session: the statistics closed Olga's thread at the row telling of
    # Petr's withdrawal, the call agreed on it forgotten: the message of Wed 25 started a
    # chase, answered at its last step on Mon 30 (T+5). The follow-ups owe that call on
    # Fri 27 (the interview the row called off, still marked Planned, never took place:
    # it changes nothing): made and unanswered, it is T; the reply on Mon 30 is at T+3.
    rows = _told_then_chased()
    path = _log(tmp_path / "told.xlsx", rows)
    assert _chases(path) == {"chases": 1, "answered_t3": 1}
    # As the follow-ups run it: once the call of Fri 27 is made, T+1 is owed on Sat 28.
    assert _chases(_log(tmp_path / "told-25.xlsx", rows, "2026-11-25T12:00"), "2026-11-25T12:00") == {}
    on_27 = _log(tmp_path / "told-27.xlsx", rows, "2026-11-27T12:00")
    assert _listed(on_27, "2026-11-27T12:00") == [("Olga HR", "t1", "2026-11-28")]
    assert _chases(on_27, "2026-11-27T12:00") == {"chases": 1, "unresolved": 1}


def test_a_withdrawal_on_the_clients_row_naming_no_candidate_still_closes_her_thread(tmp_path):
    # Without a candidate named, the withdrawal is hers (the client's contact pulled
    # out of the process): the thread is closed, the call agreed on it owed to no one.
    path = _log(tmp_path / "own.xlsx", _told_then_chased(on="hers"))
    assert _chases(path) == {"chases": 1, "answered_last": 1}


def test_the_row_telling_it_answers_her_chase_and_a_silence_after_it_is_another(tmp_path):
    # Olga silent from Fri 20; on Mon 23 (T+3) she tells us Petr pulled out: her chase
    # is answered there (the follow-ups end it at that row); silent again from Wed 25,
    # a new chase, still running.
    rows = [_row(OLGA, "2026-11-20", "10:00", "Follow-up", "No answer"),
            _row(OLGA, "2026-11-23", "15:00", "Follow-up", "Withdrawn", Candidates="Petr Ivanov"),
            _row(OLGA, "2026-11-25", "10:00", "Follow-up", "No answer")]
    path = _log(tmp_path / "chased.xlsx", rows)
    assert _listed(path, "2026-11-25T12:00") == [("Olga HR", "t1", "2026-11-26")]
    assert _chases(path, "2026-11-25T12:00") == {"chases": 2, "answered_t3": 1, "unresolved": 1}


def test_the_candidates_own_chase_ends_where_it_is_told_he_pulled_out(tmp_path):
    # Petr unanswered on Fri 20 and Mon 23 (T+3); Olga tells us on Tue 24 he pulled out:
    # the follow-ups close his thread; his chase counts once, unresolved (closed before
    # its last message), whether the log ends there or days later.
    rows = [_row(PETR, "2026-11-20", "10:00", "Follow-up", "No answer"),
            _row(PETR, "2026-11-23", "10:00", "Follow-up", "No answer"),
            _row(OLGA, "2026-11-24", "15:00", "Follow-up", "Withdrawn", Candidates="Petr Ivanov",
                 **{"Next contact": "2026-11-27"})]
    path = _log(tmp_path / "petr.xlsx", rows)
    assert [x for x in _listed(path, "2026-11-25T09:00") if x[0] == "Petr Ivanov"] == []
    for as_of in ("2026-11-25T09:00", "2026-12-10T09:00"):
        assert _chases(path, as_of) == {"chases": 1, "unresolved": 1}, as_of


# ---------------------------------------------------------------- a chase past an appointment called off

def _reason_tried(outcome, cancelled_as="Repeat call"):
    """Seed 003 on Olga's thread: the first round on Fri 20, the second booked for Tue 24
    16:00 (its row's outcome `outcome`, as logged when booked) and cancelled on Mon 23 at
    15:00 (logged below it); her calls unanswered on Mon 23 17:00, Tue 24 17:00 and
    Thu 26; her reply on Fri 27."""
    return [_row(OLGA, "2026-11-20", "14:00", "Interview", "Done", Candidates="Petr Ivanov"),
            _row(OLGA, "2026-11-24", "16:00", "Repeat call", outcome, Candidates="Petr Ivanov"),
            _row(OLGA, "2026-11-23", "15:00", cancelled_as, "Cancelled", Candidates="Petr Ivanov"),
            *(_row(OLGA, day, at, "Follow-up", "No answer")
              for day, at in (("2026-11-23", "17:00"), ("2026-11-24", "17:00"), ("2026-11-26", "10:00"))),
            _row(OLGA, "2026-11-27", "10:00", "Follow-up", "Replied")]


@pytest.mark.parametrize("outcome", ["Planned", "", "Confirmed"])
def test_a_round_called_off_neither_answers_nor_steps_the_chase(tmp_path, outcome):
    # Found in this session: the round's row left blank or marked Confirmed when booked
    # ended the chase as answered (an interview held): it never took place. The chase
    # from Mon 23 runs past it (the follow-ups' _off_slot): T+1 on Tue 24, T+3 on Thu 26,
    # the reply on Fri 27 (T+4) is at T+3.
    on_26 = _log(tmp_path / "tried-26.xlsx", _reason_tried(outcome), "2026-11-26T12:00")
    assert _listed(on_26, "2026-11-26T12:00") == [("Olga HR", "last", "2026-11-28")]
    assert _chases(on_26, "2026-11-26T12:00") == {"chases": 1, "unresolved": 1}
    assert _chases(_log(tmp_path / "tried.xlsx", _reason_tried(outcome))) == {"chases": 1, "answered_t3": 1}


def test_a_round_called_off_by_a_follow_up_row_is_counted_as_the_follow_ups_run_it(tmp_path):
    # Seed 003's 15:00 call logged as a Follow-up (the follow-ups read it so since
    # 0c930ed's successor): the round it calls off is no reply in the statistics either.
    path = _log(tmp_path / "fu.xlsx", _reason_tried("Confirmed", cancelled_as="Follow-up"))
    assert _chases(path) == _chases(_log(tmp_path / "rc.xlsx", _reason_tried("Confirmed")))


def test_rounds_called_off_weeks_apart_are_each_found(tmp_path):
    # The rows that may call a round off are looked for in the two weeks before each
    # slot asked about, from where the last look ended: Mila's round, four weeks after
    # Olga's, is found called off as hers is; a row cancelling nothing in between (Ivan's
    # call) changes neither.
    mila = {"Client": "Delta", "SM": "Kate", "Contact": "Mila HR"}
    later = [{**r, **mila, "Date": (date.fromisoformat(r["Date"]) + timedelta(days=28)).isoformat()}
             for r in _reason_tried("")]
    ivan = _row({"Client": "Acme", "SM": "Kate", "Contact": "Ivan Li"}, "2026-12-05", "10:00", "Follow-up", "Cancelled")
    path = _log(tmp_path / "two.xlsx", _reason_tried("") + [ivan] + later)
    assert _chases(path) == {"chases": 2, "answered_t3": 2}
