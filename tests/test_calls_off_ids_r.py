"""A candidate's own call cancelling her interview, logged with the contact written as the
log writes candidates ("Ann Bell (E1)") or as the employee ID alone ("E1"): it calls off
the interview naming "Ann Bell (E1)" as "Ann Bell" does (seed 003: the candidate's call
cancelling the round). Her call the day before and her reminders go."""
from __future__ import annotations

from datetime import datetime, time

import pytest
from test_withdrawn_ids_p import owed

INTERVIEW = (datetime(2026, 12, 8), time(16), "Interview", "Tau", "Tina Moor", "Ann Bell (E1)", "Dev",
             "Video call", "Planned", None)
TWO = (datetime(2026, 12, 8), time(16), "Interview", "Tau", "Tina Moor", "Ann Bell (E1); Rob Cole (E2)", "Dev",
       "Video call", "Planned", None)


def cancelled(contact, call_type):
    return (datetime(2026, 12, 7), time(10), call_type, "Tau", contact, None, "Dev", "Phone", "Cancelled", None)


@pytest.mark.parametrize("call_type", ["Interview", "Follow-up", None])
@pytest.mark.parametrize("contact", ["Ann Bell (E1)", "E1", "ann bell (e1)"])
def test_her_cancellation_above_calls_it_off(tmp_path, monkeypatch, contact, call_type):
    # Her own thread, above the booking: as with her name alone, no eve call, no reminder.
    assert owed(tmp_path, monkeypatch, [cancelled(contact, call_type), INTERVIEW]) == \
        owed(tmp_path, monkeypatch, [cancelled("Ann Bell", call_type), INTERVIEW]) == ([(2, "plan", [])], [])


@pytest.mark.parametrize("call_type", ["Interview", None])
@pytest.mark.parametrize("contact", ["Ann Bell (E1)", "E1"])
def test_her_cancellation_below_calls_it_off(tmp_path, monkeypatch, contact, call_type):
    assert owed(tmp_path, monkeypatch, [INTERVIEW, cancelled(contact, call_type)]) == ([(3, "plan", [])], [])


def test_another_candidate_id_calls_nothing_off(tmp_path, monkeypatch):
    # "E3" is nobody of this interview: Ann's call the day before stays, and her reminder.
    follow, reminded = owed(tmp_path, monkeypatch, [cancelled("E3", "Interview"), INTERVIEW])
    assert (3, "confirm_eve", ["Ann Bell"]) in follow and reminded == ["Ann Bell"]


def test_the_id_of_one_of_two(tmp_path, monkeypatch):
    # The cancellation by "E1" is Ann's, as "Ann Bell"'s is: the same outcome for the interview of two.
    assert owed(tmp_path, monkeypatch, [cancelled("E1", "Interview"), TWO]) == \
        owed(tmp_path, monkeypatch, [cancelled("Ann Bell", "Interview"), TWO])
