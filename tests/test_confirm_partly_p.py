"""The call the day before an interview of three candidates: Ann confirmed, Rob was called
and did not answer, Sam is not called yet. The one line owed names Rob to be called again,
and still asks the call of both; every one called and not answered is "call again"."""
from __future__ import annotations

import json
from datetime import datetime, time

import pytest
from workbooks import cli_ok, plain_log

HEADER = ("Date", "Time", "Call type", "Client", "Contact", "Candidates", "Position", "Channel", "Outcome",
          "Next contact")
INTERVIEW = (datetime(2026, 12, 8), time(11), "Interview", "Tau", "Tina Moor",
             "Ann Bell (E1); Rob Cole (E2); Sam Roe (E3)", "Dev", "Video call", "Planned", None)


def eve(at, contact, outcome):
    return (datetime(2026, 12, 7), at, "Follow-up", "Tau", contact, None, "Dev", "Phone", outcome, None)


@pytest.mark.parametrize("rows, owed, action", [
    ([eve(time(10, 5), "Ann Bell", "Confirmed"), eve(time(10, 9), "Rob Cole", "No answer")],
     ["Rob Cole", "Sam Roe"],
     "Call the candidates to confirm they will attend the interview (no answer from Rob Cole: call again)"),
    ([eve(time(10, 9), "Rob Cole", "No answer"), eve(time(10, 12), "Sam Roe", "No answer")],
     ["Ann Bell", "Rob Cole", "Sam Roe"],
     "Call the candidates to confirm they will attend the interview (no answer from Rob Cole, Sam Roe: call again)"),
    ([eve(time(10, 5), "Ann Bell", "Confirmed"), eve(time(10, 9), "Rob Cole", "No answer"),
      eve(time(10, 12), "Sam Roe", "No answer")],
     ["Rob Cole", "Sam Roe"],
     "No answer: call the candidate again to confirm they will attend the interview"),
    ([eve(time(10, 5), "Ann Bell", "Confirmed")],
     ["Rob Cole", "Sam Roe"],
     "Call the candidate to confirm they will attend the interview"),
], ids=["one not answered, one not called", "two not answered, one not called", "all not answered", "none called"])
def test_those_not_answered_are_called_again(tmp_path, monkeypatch, rows, owed, action):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "no-user-config"))
    log = plain_log(tmp_path / "calls.xlsx", [INTERVIEW, *rows], header=HEADER)
    out = json.loads(cli_ok("overdue", log, "--as-of", "2026-12-07T15:00", "--all", "--format", "json").output)
    assert [(f["row"], f["step"]["key"], f["candidates"], f["step"]["action"]) for f in out] == \
        [(2, "confirm_eve", owed, action)]
    # Each still called alone, as ever: one draft each.
    assert all(f"Hi {name}," in out[0]["message"] for name in owed)
