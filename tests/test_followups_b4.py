"""An interview called off by a row of its own thread that comes before it (logged above
it with neither timed, or at 15:00 for the 16:00 round), the interview row giving a Next
contact of its own: the row calling it off speaks for the thread, as when it comes after
the interview (seed 003), and the interview is done. One thing to do for the person, not
the cancellation's and the interview's Next contact both. Each test writes a real workbook
and reads it back through `tracker overdue`.

Calendar: Thu 1 Oct 2026; November 2026: Sun 1, Tue 24, Wed 25, Thu 5.
"""
from __future__ import annotations

from datetime import datetime

import pytest

from workbooks import overdue_json, typed_log


pytestmark = pytest.mark.usefixtures("no_user_config")


def _listed(path, as_of):
    """`tracker overdue --all` as of `as_of`: row -> (status, step) of the rows not done."""
    return {f["row"]: (f["status"], f["step"]["key"]) for f in overdue_json(path, as_of)}


ANNA = {"Client": "Acme", "SM": "Olga", "Contact": "Anna Li"}


def _anna(path, call_type, next_contact, *, cancel_below=False):
    """Anna's call of 1 Oct (`call_type`) cancelling, and her interview that day, its Next
    contact `next_contact`; neither timed, the call above the interview (written first),
    or with `cancel_below` the call at 15:00 below the interview at 16:00."""
    cancel = {**ANNA, "Date": datetime(2026, 10, 1), "Call type": call_type, "Outcome": "Cancelled"}
    interview = {**ANNA, "Date": datetime(2026, 10, 1), "Call type": "Interview", "Next contact": next_contact}
    if cancel_below:
        return typed_log(path, [{**interview, "Time": "16:00"}, {**cancel, "Time": "15:00"}])
    return typed_log(path, [cancel, interview])


@pytest.mark.parametrize("call_type", [None, "Follow-up"])
@pytest.mark.parametrize("cancel_below", [False, True])
def test_an_interview_called_off_before_it_on_its_thread_leaves_one_thing_to_do(tmp_path, call_type, cancel_below):
    path = _anna(tmp_path / "log.xlsx", call_type, datetime(2026, 10, 1), cancel_below=cancel_below)
    cancel_row = 3 if cancel_below else 2
    # The Next contact on the interview's own day was the interview, called off with it:
    # the call cancelling it wants a next step, and nothing else is open for Anna.
    assert _listed(path, "2026-11-01T09:00") == {cancel_row: ("no_next_action", "plan")}


@pytest.mark.parametrize("cancel_below", [False, True])
def test_a_contact_agreed_on_the_interview_called_off_is_owed_once_by_the_cancellation(tmp_path, cancel_below):
    path = _anna(tmp_path / "log.xlsx", None, datetime(2026, 11, 5), cancel_below=cancel_below)
    cancel_row = 3 if cancel_below else 2
    # A day apart from the interview's: still agreed, owed on the row speaking for the thread.
    assert _listed(path, "2026-11-01T09:00") == {cancel_row: ("upcoming", "next_contact")}


def test_the_second_round_called_off_owes_the_reason_call_alone(tmp_path):
    # Seed 003 on Maria's own thread: the round at 16:00 (its outcome left blank, a Next
    # contact agreed for the 30th on it) cancelled by her call at 15:00, logged below it:
    # the reason call first, the agreed call after it (rule 4).
    maria = {"Client": "Acme", "SM": "Olga", "Contact": "Maria Lopez", "Candidates": "Maria Lopez"}
    path = typed_log(tmp_path / "log.xlsx", [
        {**maria, "Date": "2026-11-24", "Time": "16:00", "Call type": "Repeat call",
         "Next contact": datetime(2026, 11, 30)},
        {**maria, "Date": "2026-11-24", "Time": "15:00", "Outcome": "Cancelled"},
    ])
    assert _listed(path, "2026-11-24T17:00") == {3: ("upcoming", "reason")}
