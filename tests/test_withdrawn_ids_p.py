"""A candidate pulling out, logged with the contact written as the log writes candidates
("Ann Bell (E1)") or as the employee ID alone ("E1"): that is Ann withdrawing from the
interview naming "Ann Bell (E1)". Her call the day before and her reminders go; an
interview of hers alone is off."""
from __future__ import annotations

import json
from datetime import datetime, time

import pytest
from workbooks import cli_ok, plain_log

HEADER = ("Date", "Time", "Call type", "Client", "Contact", "Candidates", "Position", "Channel", "Outcome",
          "Next contact")
THREE = (datetime(2026, 12, 8), time(11), "Interview", "Tau", "Tina Moor",
         "Ann Bell (E1); Rob Cole (E2); Sam Roe (E3)", "Dev", "Video call", "Planned", None)
ANN = (datetime(2026, 12, 8), time(11), "Interview", "Tau", "Tina Moor", "Ann Bell (E1)", "Dev", "Video call",
       "Planned", None)
ANN_OWN = (datetime(2026, 12, 8), time(11), "Interview", "Tau", "Ann Bell (E1)", None, "Dev", "Video call",
           "Planned", None)
AS_OF = "2026-12-07T15:00"


def withdrawn(contact, candidates=None):
    return (datetime(2026, 12, 6), time(9), "Follow-up", "Tau", contact, candidates, "Dev", "Phone", "Withdrawn",
            None)


def owed(tmp_path, monkeypatch, rows):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "no-user-config"))
    log = plain_log(tmp_path / "calls.xlsx", rows, header=HEADER)
    follow = json.loads(cli_ok("overdue", log, "--as-of", AS_OF, "--all", "--format", "json").output)
    text = cli_ok("reminders", log, "--as-of", AS_OF, "--format", "json").output
    reminded = json.JSONDecoder().raw_decode(text)[0]
    return ([(f["row"], f["step"]["key"], f["candidates"]) for f in follow],
            sorted({n for x in reminded for n in x["whom"]["names"]}))


CONTACTS = ["Ann Bell", "Ann Bell (E1)", "E1", "ann bell (e1)"]


@pytest.mark.parametrize("contact", CONTACTS)
def test_withdrawn_from_three_leaves_the_others(tmp_path, monkeypatch, contact):
    assert owed(tmp_path, monkeypatch, [THREE, withdrawn(contact)]) == \
        ([(2, "confirm_eve", ["Rob Cole", "Sam Roe"])], ["Rob Cole", "Sam Roe"])


@pytest.mark.parametrize("contact", CONTACTS)
def test_withdrawn_from_her_own_calls_it_off(tmp_path, monkeypatch, contact):
    assert owed(tmp_path, monkeypatch, [ANN, withdrawn(contact)]) == ([], [])


@pytest.mark.parametrize("contact", ["Ann Bell", "Ann Bell (E1)"])
def test_withdrawn_from_one_logged_against_her(tmp_path, monkeypatch, contact):
    assert owed(tmp_path, monkeypatch, [ANN_OWN, withdrawn(contact)]) == ([], [])


def test_her_own_row_naming_her_as_candidate_too(tmp_path, monkeypatch):
    # Her own thread ("Ann Bell (E1)", candidate Ann Bell): her withdrawal, which closes it,
    # not the client's contact telling of hers (that thread stays open, to offer others).
    follow, reminded = owed(tmp_path, monkeypatch, [ANN, withdrawn("Ann Bell (E1)", "Ann Bell")])
    assert (follow, reminded) == ([], [])
