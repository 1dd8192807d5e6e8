"""Statistics and follow-ups agree (a tester's reports): the steps of a chase and when it
is closed as ghosted, the order of a thread's rows of one day, a no-show at a first call,
the stage of a ghosted row, a no-show at the interview in a chase. Each writes a log with
openpyxl, asks `tracker stats --format json` (the team's totals) and, where the follow-ups
are the other side, `tracker overdue --all`. November 2026 (the 16th is a Monday)."""
from __future__ import annotations

import json
from datetime import date, time
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from tracker.cli import main
from workbooks import overdue_json, plain_log

HEADER = ("Date", "Time", "Call type", "Client", "Contact", "Candidates", "Source", "Stage", "Outcome", "SM",
          "Channel")
AS_OF = "2026-11-27T09:00"


pytestmark = pytest.mark.usefixtures("no_user_config")


def nov(day: int) -> date:
    return date(2026, 11, day)


def ann(day: int, at: time | None, call_type: str, outcome: str, channel: str = "Phone", stage: str = "",
        source: str = "") -> tuple:
    return (nov(day), at, call_type, "Acme", "Ann Lee", "", source, stage, outcome, "Olga", channel)


def _log(path: Path, rows) -> Path:
    return plain_log(path, rows, header=HEADER)


def _stats(path: Path, kind: str) -> list[dict]:
    r = CliRunner().invoke(main, ["stats", str(path), "--kind", kind, "--format", "json", "--as-of", AS_OF],
                           catch_exceptions=False)
    assert r.exit_code == 0, r.output
    return [x for x in json.loads(r.stdout) if x["file"] == x["manager"] == "*"]


def _chases(path: Path) -> dict:
    [g] = [x for x in _stats(path, "ghosting") if x["source"] == x["stage"] == "*"]
    return {k: g[k] for k in ("chases", "answered_t1", "answered_t3", "answered_last", "ghosted", "unresolved")
            if g[k]}


def _open(path: Path) -> list[tuple[str, str]]:
    """The follow-ups' open chase steps: (flag, step)."""
    return [(x["flag"], x["step"]["key"]) for x in overdue_json(path, AS_OF) if x["flag"] == "chase"]


# ---------------------------------------------------------------- 1. the steps, and ghosted after the last

def test_the_t3_call_without_a_t1_message_then_the_last_message_is_ghosted_as_the_follow_ups_close_it(tmp_path):
    # T silent; T+3 the call and its e-mail (one step: the T+3 one, T+1 skipped, as its
    # channel says); T+5 the last message. The follow-ups close the thread as ghosted
    # (nothing open); the statistics counted two days of steps of three: unresolved.
    path = _log(tmp_path / "t3.xlsx", [
        ann(16, time(10), "Follow-up", "No answer", source="LinkedIn", stage="Interview"),
        ann(19, time(10), "Follow-up", "No answer", "Phone"),
        ann(19, time(10, 5), "Follow-up", "Done", "E-mail"),
        ann(21, time(10), "Follow-up", "Done", "SMS"),
    ])
    assert _open(path) == []
    assert _chases(path) == {"chases": 1, "ghosted": 1}


def test_a_try_days_after_the_last_message_is_a_chase_of_its_own(tmp_path):
    # After the last message the thread was closed as ghosted; the call on the 24th,
    # unanswered, is T of a new chase for the follow-ups (T+1 owed): two chases.
    path = _log(tmp_path / "again.xlsx", [
        ann(10, time(10), "Follow-up", "No answer", source="LinkedIn", stage="Interview"),
        ann(11, time(10), "Follow-up", "Done", "SMS"),
        ann(13, time(10), "Follow-up", "No answer", "Phone"),
        ann(15, time(10), "Follow-up", "Done", "SMS"),
        ann(24, time(11), "Follow-up", "No answer", "Phone"),
    ])
    assert _open(path) == [("chase", "t1")]
    assert _chases(path) == {"chases": 2, "ghosted": 1, "unresolved": 1}


# ---------------------------------------------------------------- 2. a thread's rows of one day

def test_a_row_without_a_time_comes_after_the_row_of_its_thread_above_it(tmp_path):
    # Ann replied at 11:00 (a chase answered); the call logged below it without a time
    # went unanswered: after the reply, as the follow-ups take it (T+1 owed), a chase of
    # its own. At the start of the day, it was a step of the first chase, answered.
    path = _log(tmp_path / "below.xlsx", [
        ann(16, time(10), "Follow-up", "No answer", source="LinkedIn", stage="Interview"),
        ann(17, time(11), "Follow-up", "Replied"),
        ann(17, None, "Follow-up", "No answer"),
    ])
    assert _open(path) == [("chase", "t1")]
    assert _chases(path) == {"chases": 2, "answered_t1": 1, "unresolved": 1}


def test_a_row_without_a_time_above_the_rows_of_its_thread_stays_first_whatever_other_threads_say(tmp_path):
    # Ann's unanswered call without a time is logged above her reply at 11:00, and below
    # Ben's reply at 15:00: Ben's rows are not hers, it is the start of her day, a step of
    # her chase, and the reply answers it.
    path = _log(tmp_path / "above.xlsx", [
        ann(16, time(10), "Follow-up", "No answer", source="LinkedIn", stage="Interview"),
        (nov(17), time(15), "Follow-up", "Beta", "Ben Ray", "", "", "", "Replied", "Olga", "Phone"),
        ann(17, None, "Follow-up", "No answer"),
        ann(17, time(11), "Follow-up", "Replied"),
    ])
    assert _open(path) == []
    assert _chases(path) == {"chases": 1, "answered_t1": 1}


def test_a_planned_row_comes_after_the_row_of_its_thread_above_it_whatever_its_time(tmp_path):
    # A row still to happen says by its time when, not when it was logged: the call
    # planned for 09:00, logged below the report sent at 10:00 (its outcome never
    # written), comes after the report, as in the follow-ups: it ends the report's own
    # steps, and the call unanswered the next day starts a chase (T+1 owed).
    path = _log(tmp_path / "planned.xlsx", [
        ann(16, time(10), "Report sent", "Done", "E-mail", source="LinkedIn", stage="Report sent"),
        ann(16, time(9), "Follow-up", "Planned"),
        ann(17, time(10), "Follow-up", "No answer"),
    ])
    assert _open(path) == [("chase", "t1")]
    assert _chases(path) == {"chases": 1, "unresolved": 1}


# ---------------------------------------------------------------- 3. a no-show at a first call

def test_a_client_not_coming_to_the_first_call_is_no_interview_no_show(tmp_path):
    # Seed 004's statistics are the interviews': the client missing the sales call (a
    # First call "No-show") invites no one and is nobody's no-show. Ken missing his
    # interview is one.
    path = _log(tmp_path / "first.xlsx", [
        (nov(16), time(10), "First call", "Acme", "Sophie Tan", "", "", "", "No-show", "Olga", "Video"),
        (nov(17), time(10), "Introductory call", "Beta", "Max Cole", "Max Cole", "", "", "No-show", "Olga", "Video"),
        (nov(18), time(10), "Interview", "Acme", "Sophie Tan", "Ken Adams", "", "", "No-show", "Olga", "Video"),
    ])
    [i] = [x for x in _stats(path, "interviews") if x["period"] == "*"]
    assert (i["invited"], i["confirmed"], i["attended"], i["no_show"], i["no_show_rate"]) == (1, 1, 0, 1, 1.0)


# ---------------------------------------------------------------- 4. the stage of a ghosted row

def test_a_ghosted_row_outside_a_chase_counts_at_the_stage_before_it_not_closed(tmp_path):
    # The sample writes "Closed" in the Stage of the ghosted row: the thread went silent
    # at the interview, told on the rows before it.
    path = _log(tmp_path / "stage.xlsx", [
        ann(10, time(10), "Interview", "Done", "Video", stage="Interview", source="LinkedIn"),
        ann(16, time(10), "Follow-up", "Ghosted", "SMS", stage="Closed"),
    ])
    assert {(x["source"], x["stage"]): x["ghosted"] for x in _stats(path, "ghosting")
            if "*" not in (x["source"], x["stage"])} == {("linkedin", "interview"): 1}
    copy = tmp_path / "refreshed.xlsx"
    copy.write_bytes(path.read_bytes())
    assert CliRunner().invoke(main, ["refresh", str(copy), "--as-of", AS_OF]).exit_code == 0
    cells = [c for row in openpyxl.load_workbook(copy)["Stats"].iter_rows(values_only=True) for c in row]
    assert "Closed" not in cells and "Interview" in cells


def test_a_chase_started_on_a_row_written_closed_counts_at_the_stage_before_it(tmp_path):
    path = _log(tmp_path / "closed.xlsx", [
        ann(10, time(10), "Interview notice", "Done", stage="Interview", source="LinkedIn"),
        ann(16, time(10), "Follow-up", "No answer", stage="Closed"),
    ])
    assert {(x["source"], x["stage"]) for x in _stats(path, "ghosting")
            if "*" not in (x["source"], x["stage"])} == {("linkedin", "interview")}


# ---------------------------------------------------------------- 5. a no-show at the interview in a chase

def test_a_no_show_at_the_interview_ends_the_chase_and_the_silence_after_it_is_a_chase_of_its_own(tmp_path):
    # The follow-ups end the chase at the interview row "No-show" (T+1 owed from the call
    # after it): the statistics count two chases, not one running on past the interview.
    path = _log(tmp_path / "noshow.xlsx", [
        ann(10, time(10), "Follow-up", "No answer", source="LinkedIn", stage="Interview"),
        ann(11, time(10), "Interview", "No-show", "Video"),
        ann(12, time(10), "Follow-up", "No answer"),
        ann(13, time(10), "Follow-up", "Done", "SMS"),
        ann(15, time(10), "Follow-up", "No answer"),
        ann(17, time(10), "Follow-up", "Done", "SMS"),
    ])
    assert _open(path) == []   # the second chase's last message: ghosted
    assert _chases(path) == {"chases": 2, "ghosted": 1, "unresolved": 1}
