"""The silence cadence logged late (seed 001: T+1 light touch, T+3 phone then e-mail at once,
T+5..T+7 last message, then ghosted; followups.cadence.keep_gaps):
- two steps made the same day are two steps when the second is made by a later step's
  channel (the T+1 message sent late and the T+3 call), one when by the step's own (the
  T+3 call and its e-mail at once); the statistics count them as the follow-ups do;
- a late T+3 call moves the last message's whole window (T+5..T+7), not its first day alone."""
from __future__ import annotations

import json
from datetime import datetime, time

from workbooks import cli_ok, plain_log

HEADER = ("Date", "Time", "Call type", "Client", "Contact", "Position", "Channel", "Outcome", "Next contact")


def row(day, hour, channel, outcome=None, call_type="Follow-up"):
    return (datetime(2026, 11, day), time(hour), call_type, "Tau", "Ann Bell", "Dev", channel, outcome, None)


# T: 2 November (day 0), a call unanswered.
SILENT = row(2, 10, "Phone", "No answer", "Repeat call")
# Day 3, late: the T+1 message, then the T+3 call, unanswered.
LATE_T1 = row(5, 10, "SMS")
T3_SAME_DAY = row(5, 11, "Phone", "No answer")


def owed(tmp_path, monkeypatch, rows, as_of, *extra):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "no-user-config"))
    log = plain_log(tmp_path / "calls.xlsx", rows, header=HEADER)
    found = json.loads(cli_ok("overdue", log, "--as-of", as_of, "--all", "--format", "json", *extra).output)
    return [(f["row"], f["step"]["key"], f["channel"], f["status"], f["due"][:10], f["overdue_after"][:10],
             f["days_overdue"]) for f in found]


def ghosting(tmp_path, monkeypatch, rows, as_of):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "no-user-config"))
    log = plain_log(tmp_path / "stats.xlsx", rows, header=HEADER)
    found = json.loads(cli_ok("stats", log, "--kind", "ghosting", "--format", "json", "--as-of", as_of).output)
    keys = ("chases", "answered_t1", "answered_t3", "answered_last", "ghosted", "unresolved")
    # The log's one chase, on each line (its subtotals by manager, source and stage alike).
    lines = {tuple(f[k] for k in keys) for f in found}
    return [dict(zip(keys, line)) for line in lines]


def test_late_t1_and_the_t3_call_the_same_day_are_two_steps(tmp_path, monkeypatch):
    rows = [SILENT, LATE_T1, T3_SAME_DAY]
    # That day the call went unanswered: its e-mail is owed at once...
    assert owed(tmp_path, monkeypatch, rows, "2026-11-05T12:00") == \
        [(4, "t3", "email", "due_today", "2026-11-05", "2026-11-05", 0)]
    # ...and from the next day the last message, two days after the call, to day 4 after it
    # (not the T+3 call again).
    assert owed(tmp_path, monkeypatch, rows, "2026-11-06T09:00") == \
        [(4, "last", "sms", "upcoming", "2026-11-07", "2026-11-09", 0)]


def test_the_t3_call_and_its_email_the_same_day_are_one_step(tmp_path, monkeypatch):
    rows = [SILENT, LATE_T1, T3_SAME_DAY, row(5, 11, "Email")]
    # The e-mail sent at once: nothing more owed that day, the last message next.
    assert owed(tmp_path, monkeypatch, rows, "2026-11-05T12:00") == \
        [(5, "last", "sms", "upcoming", "2026-11-07", "2026-11-09", 0)]
    # A message and another one the same day, both the T+1 step's: one step, the call still owed.
    rows = [SILENT, LATE_T1, row(5, 11, "SMS")]
    assert owed(tmp_path, monkeypatch, rows, "2026-11-06T09:00") == \
        [(4, "t3", "phone", "upcoming", "2026-11-07", "2026-11-07", 0)]


def test_a_later_step_before_its_day_is_no_step(tmp_path, monkeypatch):
    # The T+1 message on time, and a call the same day (day 1): the T+3 call's day has not
    # come, it is one more try of that day; the T+3 call is still owed on day 3.
    rows = [SILENT, row(3, 10, "SMS"), row(3, 11, "Phone", "No answer")]
    assert owed(tmp_path, monkeypatch, rows, "2026-11-04T09:00") == \
        [(4, "t3", "phone", "upcoming", "2026-11-05", "2026-11-05", 0)]


def test_the_last_message_after_two_steps_in_a_day_ghosts(tmp_path, monkeypatch):
    # The last message by e-mail (its fallback) on day 6: the thread is closed as ghosted,
    # in the follow-ups and in the statistics alike.
    rows = [SILENT, LATE_T1, T3_SAME_DAY, row(5, 11, "Email"), row(8, 10, "Email")]
    assert owed(tmp_path, monkeypatch, rows, "2026-11-10T09:00") == []
    assert ghosting(tmp_path, monkeypatch, rows, "2026-11-10T09:00") == \
        [{"chases": 1, "answered_t1": 0, "answered_t3": 0, "answered_last": 0, "ghosted": 1, "unresolved": 0}]
    # Only the T+1 message and the call on day 3, then the e-mail of day 6: the last
    # message; without the call, that e-mail was the T+3 step, and the chase is unresolved.
    rows = [SILENT, LATE_T1, row(8, 10, "Email")]
    assert ghosting(tmp_path, monkeypatch, rows, "2026-11-10T09:00") == \
        [{"chases": 1, "answered_t1": 0, "answered_t3": 0, "answered_last": 0, "ghosted": 0, "unresolved": 1}]
    assert owed(tmp_path, monkeypatch, rows, "2026-11-10T09:00") == \
        [(4, "last", "sms", "due_today", "2026-11-10", "2026-11-12", 0)]


def test_a_late_t3_moves_the_last_messages_whole_window(tmp_path, monkeypatch):
    # The T+3 call made on day 6 (8 November): the last message from day 8 to day 10,
    # as T+5..T+7 after a call on day 3.
    rows = [SILENT, row(3, 10, "SMS"), row(8, 10, "Phone", "No answer"), row(8, 10, "Email")]
    assert owed(tmp_path, monkeypatch, rows, "2026-11-09T09:00") == \
        [(5, "last", "sms", "upcoming", "2026-11-10", "2026-11-12", 0)]
    assert owed(tmp_path, monkeypatch, rows, "2026-11-11T09:00") == \
        [(5, "last", "sms", "due_today", "2026-11-10", "2026-11-12", 0)]
    assert owed(tmp_path, monkeypatch, rows, "2026-11-12T09:00") == \
        [(5, "last", "sms", "due_today", "2026-11-10", "2026-11-12", 0)]
    assert owed(tmp_path, monkeypatch, rows, "2026-11-14T09:00") == \
        [(5, "last", "sms", "overdue", "2026-11-10", "2026-11-12", 2)]
    # The table shows it so: due the 10th to the 12th, overdue 2 days on the 14th.
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "no-user-config"))
    table = cli_ok("overdue", tmp_path / "calls.xlsx", "--as-of", "2026-11-14T09:00").output
    line = next(x for x in table.splitlines() if "Ann Bell" in x)
    assert line.split()[:6] == ["5", "Overdue", "2026-11-10", "–", "2026-11-12", "2"]


def test_keep_gaps_off_keeps_the_window_from_t(tmp_path, monkeypatch):
    cfg = tmp_path / "tracker.yaml"
    cfg.write_text("language: en\nfollowups:\n  cadence:\n    keep_gaps: false\n", encoding="utf-8")
    rows = [SILENT, row(3, 10, "SMS"), row(8, 10, "Phone", "No answer"), row(8, 10, "Email")]
    # Each step from T: the last message due the day after the call, T+7, overdue after it.
    assert owed(tmp_path, monkeypatch, rows, "2026-11-10T09:00", "--config", cfg) == \
        [(5, "last", "sms", "overdue", "2026-11-09", "2026-11-09", 1)]


def test_a_message_after_the_days_call_is_no_closing_message(tmp_path, monkeypatch):
    # A review found it: the T+3 call made late (day 6) unanswered, and an SMS after it
    # that day (the note after the missed call) was read as the last message: the thread
    # closed as ghosted the same day. The closing message waits its own days.
    rows = [SILENT, row(8, 10, "Phone", "No answer"), row(8, 11, "SMS")]
    assert owed(tmp_path, monkeypatch, rows, "2026-11-08T12:00") != []
    assert [o[1] for o in owed(tmp_path, monkeypatch, rows, "2026-11-10T09:00")] == ["last"]
    assert ghosting(tmp_path, monkeypatch, rows, "2026-11-10T09:00") == \
        [{"chases": 1, "answered_t1": 0, "answered_t3": 0, "answered_last": 0, "ghosted": 0, "unresolved": 1}]
    # Three rows in a day (message, call, message): the T+1 and the T+3 steps, not the last.
    rows = [SILENT, row(9, 10, "SMS"), row(9, 11, "Phone", "No answer"), row(9, 12, "SMS")]
    assert [o[1] for o in owed(tmp_path, monkeypatch, rows, "2026-11-10T09:00")] == ["last"]
    assert ghosting(tmp_path, monkeypatch, rows, "2026-11-10T09:00")[0]["ghosted"] == 0


def test_a_two_step_cadences_call_after_its_message_the_same_day_is_its_last_step(tmp_path, monkeypatch):
    # A second review: "never the last step" also refused the call of a user's two-step
    # chase (T+1 message, T+3 call) made the day the message went out late.
    cfg = tmp_path / "tracker.yaml"
    cfg.write_text("language: en\nfollowups:\n  cadence:\n    steps: [t1, t3]\n", encoding="utf-8")
    rows = [SILENT, row(5, 10, "SMS"), row(5, 15, "Phone", "No answer")]
    # Both steps made: the chase is over (nothing owed), not the call owed again.
    assert owed(tmp_path, monkeypatch, rows, "2026-11-09T09:00", "--config", cfg) == []

