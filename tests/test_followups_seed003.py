"""Seed 003: the candidate calls at 15:00, between the first round (14:00) and the second
(16:00): the second round is off, no new date, "likely rejected". The call is logged on
the candidate's own thread, whatever call type the consultant gave it; the call for the
reason is the client's.

Calendar of the tests (November 2026): Mon 23, Tue 24, Wed 25.
"""
from __future__ import annotations

import pytest

from workbooks import overdue_json, typed_log


pytestmark = pytest.mark.usefixtures("no_user_config")


def _listed(path, as_of):
    """`tracker overdue --all` as of `as_of`: row -> the follow-up as the JSON gives it."""
    return {f["row"]: f for f in overdue_json(path, as_of)}


JOHN = {"Client": "Acme", "SM": "Olga", "Contact": "John Smith", "Candidates": "Maria Lopez"}
MARIA = {"Client": "Acme", "SM": "Olga", "Contact": "Maria Lopez"}


def _seed003(path, call_type, *, on="maria", second="Repeat call"):
    """The first round at 14:00 done, the second (`second`) planned for 16:00, both on John
    Smith's row; at 15:00 the round is cancelled with no new date, logged as `call_type`
    (None: left blank) on Maria's own thread (`on="maria"`) or on John's naming her."""
    who = MARIA if on == "maria" else JOHN
    return typed_log(path, [
        {**JOHN, "Date": "2026-11-24", "Time": "14:00", "Call type": "Interview", "Outcome": "Done"},
        {**JOHN, "Date": "2026-11-24", "Time": "16:00", "Call type": second, "Outcome": "Planned"},
        {**who, "Date": "2026-11-24", "Time": "15:00", "Call type": call_type, "Outcome": "Cancelled",
         "Comment on the call": "client's business trouble, second round cancelled, no new date"},
    ])


@pytest.mark.parametrize("call_type", ["Follow-up", None, "Repeat call"])
@pytest.mark.parametrize("on", ["maria", "john"])
def test_the_candidates_call_cancelling_the_second_round_calls_it_off(tmp_path, call_type, on):
    path = _seed003(tmp_path / "log.xlsx", call_type, on=on)
    listed = _listed(path, "2026-11-24T17:00")
    assert 3 not in listed   # the 16:00 round: nothing to hold, nothing to confirm
    reason = listed[4]
    assert (reason["step"]["key"], reason["flag"], reason["due"][:10]) == ("reason", "likely_rejected", "2026-11-25")
    assert _listed(path, "2026-11-25T17:00")[4]["status"] == "due_today"


@pytest.mark.parametrize("call_type", ["Follow-up", "Repeat call"])
def test_the_reason_call_is_the_clients_when_the_cancellation_is_on_the_candidates_thread(tmp_path, call_type):
    path = _seed003(tmp_path / "log.xlsx", call_type)
    reason = _listed(path, "2026-11-25T17:00")[4]
    assert reason["who"] == "John Smith"
    assert reason["message"].startswith("Hello John Smith,")
    assert "with Maria Lopez" in reason["message"]


def test_a_first_round_cancelled_does_not_call_off_the_second(tmp_path):
    """The cancelling row is of another appointment's type: it cancels that one (the first
    round, still planned), and the second round stands, to confirm."""
    path = typed_log(tmp_path / "log.xlsx", [
        {**JOHN, "Date": "2026-11-25", "Time": "14:00", "Call type": "Interview", "Outcome": "Planned"},
        {**JOHN, "Date": "2026-11-25", "Time": "16:00", "Call type": "Repeat call", "Outcome": "Planned"},
        {**MARIA, "Date": "2026-11-23", "Time": "15:00", "Call type": "Interview", "Outcome": "Cancelled"},
    ])
    listed = _listed(path, "2026-11-24T09:00")
    assert listed[3]["step"]["key"] == "confirm_eve"
    assert listed[3]["due"][:10] == "2026-11-24"
    assert 2 not in listed or listed[2]["step"]["key"] != "confirm_eve"


def test_a_follow_up_cancelled_by_another_candidate_leaves_the_round_on(tmp_path):
    path = typed_log(tmp_path / "log.xlsx", [
        {**JOHN, "Date": "2026-11-24", "Time": "16:00", "Call type": "Repeat call", "Outcome": "Planned"},
        {**MARIA, "Contact": "Ivan Petrov", "Date": "2026-11-24", "Time": "15:00", "Call type": "Follow-up",
         "Outcome": "Cancelled"},
    ])
    listed = _listed(path, "2026-11-24T09:00")
    assert listed[2]["step"]["key"] == "confirm_eve"   # still on: today's round to confirm
    assert listed[3]["flag"] != "likely_rejected"
