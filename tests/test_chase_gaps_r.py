"""The silence cadence sent late (seed 001: T+1 light touch, T+3 phone then e-mail, T+5..T+7
last message; "a fixed, calm sequence — never a barrage of calls"): a step logged late
does not bunch the ones after it. Each is due no sooner after the step last sent than the
sequence puts between the two (followups.cadence.keep_gaps)."""
from __future__ import annotations

import json
from datetime import datetime, time

from click.testing import CliRunner
from workbooks import cli_ok, plain_log

from tracker.cli import main

HEADER = ("Date", "Time", "Call type", "Client", "Contact", "Position", "Channel", "Outcome", "Next contact")
# T: 2 November, no answer. The T+1 message goes out on day 4 (6 November), late.
SILENT = (datetime(2026, 11, 2), time(10), "Repeat call", "Tau", "Ann Bell", "Dev", "Phone", "No answer", None)
T1_LATE = (datetime(2026, 11, 6), time(10), "Follow-up", "Tau", "Ann Bell", "Dev", "SMS", None, None)


def t3(day):   # the T+3 call, unanswered, and its e-mail at once
    return [(datetime(2026, 11, day), time(10), "Follow-up", "Tau", "Ann Bell", "Dev", "Phone", "No answer", None),
            (datetime(2026, 11, day), time(10, 5), "Follow-up", "Tau", "Ann Bell", "Dev", "Email", None, None)]


def owed(tmp_path, monkeypatch, rows, as_of, *extra):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "no-user-config"))
    log = plain_log(tmp_path / "calls.xlsx", rows, header=HEADER)
    found = json.loads(cli_ok("overdue", log, "--as-of", as_of, "--all", "--format", "json", *extra).output)
    return [(f["row"], f["step"]["key"], f["status"], f["due"][:10]) for f in found]


def test_late_t1_leaves_two_days_to_the_call(tmp_path, monkeypatch):
    rows = [SILENT, T1_LATE]
    # The T+1 message of day 4: the T+3 call two days after it, not the next morning.
    assert owed(tmp_path, monkeypatch, rows, "2026-11-07T09:00") == [(3, "t3", "upcoming", "2026-11-08")]
    assert owed(tmp_path, monkeypatch, rows, "2026-11-08T09:00") == [(3, "t3", "due_today", "2026-11-08")]
    assert owed(tmp_path, monkeypatch, rows, "2026-11-10T09:00") == [(3, "t3", "overdue", "2026-11-08")]


def test_the_last_message_two_days_after_the_call(tmp_path, monkeypatch):
    rows = [SILENT, T1_LATE, *t3(8)]
    assert owed(tmp_path, monkeypatch, rows, "2026-11-09T09:00") == [(5, "last", "upcoming", "2026-11-10")]
    assert owed(tmp_path, monkeypatch, rows, "2026-11-10T09:00") == [(5, "last", "due_today", "2026-11-10")]
    # Its window (T+5 to T+7) moved whole with the late call: two days, not one.
    assert owed(tmp_path, monkeypatch, rows, "2026-11-12T09:00") == [(5, "last", "due_today", "2026-11-10")]
    assert owed(tmp_path, monkeypatch, rows, "2026-11-13T09:00") == [(5, "last", "overdue", "2026-11-10")]
    # ...and sent then, the thread is closed as ghosted, as always.
    last = (datetime(2026, 11, 10), time(10), "Follow-up", "Tau", "Ann Bell", "Dev", "SMS", None, None)
    assert owed(tmp_path, monkeypatch, [*rows, last], "2026-11-11T09:00") == []


def test_on_time_chase_unchanged(tmp_path, monkeypatch):
    on_time = (datetime(2026, 11, 3), time(10), "Follow-up", "Tau", "Ann Bell", "Dev", "SMS", None, None)
    assert owed(tmp_path, monkeypatch, [SILENT, on_time], "2026-11-04T09:00") == [(3, "t3", "upcoming", "2026-11-05")]
    # The T+3 call on day 3: the last message on day 5, its window to day 7.
    assert owed(tmp_path, monkeypatch, [SILENT, on_time, *t3(5)], "2026-11-08T09:00") == \
        [(5, "last", "due_today", "2026-11-07")]


def test_keep_gaps_off_counts_from_t(tmp_path, monkeypatch):
    cfg = tmp_path / "tracker.yaml"
    cfg.write_text("language: en\nfollowups:\n  cadence:\n    keep_gaps: false\n", encoding="utf-8")
    rows = [SILENT, T1_LATE]
    # T+3 would be day 3, past: the next day after the message (min_gap_days).
    assert owed(tmp_path, monkeypatch, rows, "2026-11-07T09:00", "--config", cfg) == \
        [(3, "t3", "due_today", "2026-11-07")]


def test_keep_gaps_not_a_flag(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "no-user-config"))
    cfg = tmp_path / "tracker.yaml"
    cfg.write_text('language: en\nfollowups:\n  cadence:\n    keep_gaps: "no"\n', encoding="utf-8")
    log = plain_log(tmp_path / "calls.xlsx", [SILENT, T1_LATE], header=HEADER)
    result = CliRunner().invoke(main, ["overdue", str(log), "--as-of", "2026-11-07T09:00", "--config", str(cfg)])
    assert result.exit_code != 0 and "keep_gaps" in result.output and "Traceback" not in result.output
