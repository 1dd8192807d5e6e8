"""The call the day before an interview of three candidates, confirmed by one of them on a
Follow-up row whose contact is written as the log writes candidates: "Ann Bell (E1)", or
her employee ID alone, "E1"; or on a row with no contact naming candidates. She is no
longer owed the call, and that row, a call made, is no planned call to hold."""
from __future__ import annotations

import json
from datetime import datetime, time

import pytest
from workbooks import cli_ok, plain_log

HEADER = ("Date", "Time", "Call type", "Client", "Contact", "Candidates", "Position", "Channel", "Outcome",
          "Next contact")
INTERVIEW = (datetime(2026, 12, 8), time(11), "Interview", "Tau", "Tina Moor",
             "Ann Bell (E1); Rob Cole (E2); Sam Roe (E3)", "Dev", "Video call", "Planned", None)


def confirmed(contact, candidates=None):
    return (datetime(2026, 12, 7), time(10, 5), "Follow-up", "Tau", contact, candidates, "Dev", "Phone",
            "Confirmed", None)


@pytest.mark.parametrize("row, owed", [
    (confirmed("Ann Bell (E1)"), ["Rob Cole", "Sam Roe"]),
    (confirmed("E1"), ["Rob Cole", "Sam Roe"]),
    (confirmed(None, "Ann Bell; Rob Cole"), ["Sam Roe"]),
], ids=["name with ID", "ID alone", "no contact, candidates"])
def test_a_confirmation_counts_and_is_no_call_to_hold(tmp_path, monkeypatch, row, owed):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "no-user-config"))
    log = plain_log(tmp_path / "calls.xlsx", [INTERVIEW, row], header=HEADER)
    out = json.loads(cli_ok("overdue", log, "--as-of", "2026-12-07T15:00", "--all", "--format", "json").output)
    assert [(f["row"], f["step"]["key"], f["candidates"]) for f in out] == [(2, "confirm_eve", owed)]
