"""Statistics, a tester's cases end to end: a call about a no-show is a call made; a
chase's source and stage are its thread's where it started. Each writes a log with
openpyxl, asks `tracker stats --format json` (the team's totals) and, where a manager
reads the number, the Stats sheet of a refreshed copy. November 2026 (the 16th is a Monday)."""
from __future__ import annotations

import json
from datetime import date, time
from pathlib import Path

import pytest
from click.testing import CliRunner

from tracker.cli import main
from workbooks import overdue_json, plain_log, stats_sheet_table

HEADER = ("Date", "Time", "Call type", "Client", "Contact", "Candidates", "Source", "Stage", "Outcome", "SM")
AS_OF = "2026-11-27T09:00"


pytestmark = pytest.mark.usefixtures("no_user_config")


def nov(day: int) -> date:
    return date(2026, 11, day)


def _log(path: Path, rows) -> Path:
    return plain_log(path, rows, header=HEADER)


def _stats(path: Path, kind: str) -> list[dict]:
    """`tracker stats --kind kind --format json`: the rows of the whole team (every file
    and manager)."""
    r = CliRunner().invoke(main, ["stats", str(path), "--kind", kind, "--format", "json", "--as-of", AS_OF],
                           catch_exceptions=False)
    assert r.exit_code == 0, r.output
    return [x for x in json.loads(r.stdout) if x["file"] == x["manager"] == "*"]


def _sheet_table(path: Path, tmp_path: Path, title: str) -> dict[str, dict]:
    return stats_sheet_table(path, tmp_path, title, AS_OF)


# ---------------------------------------------------------------- a no-show and the calls made

def test_the_call_about_a_no_show_is_a_call_made_the_no_show_itself_is_not(tmp_path):
    # Found by a tester: the follow-up call asking a candidate why they did not come,
    # logged "No-show", was left out of Calls by type as a call that did not take place.
    # The interview row "No-show" is no call made; the consultant's own call or message
    # about it (a follow-up, the interview notice whose outcome was written after the
    # interview) is.
    path = _log(tmp_path / "noshow.xlsx", [
        (nov(16), time(10), "Interview notice", "Acme", "Ken Adams", "", "", "", "Done", "Olga"),
        (nov(19), time(14), "Interview", "Acme", "Ken Adams", "", "", "", "No-show", "Olga"),
        (nov(19), time(16), "Follow-up", "Acme", "Ken Adams", "", "", "", "No-show", "Olga"),
        (nov(17), time(10), "Interview notice", "Acme", "Max Cole", "", "", "", "No-show", "Olga"),
    ])
    calls = {x["call_type"]: x["count"] for x in _stats(path, "calls") if x["period"] == "*"}
    assert calls == {"interview_notice": 2, "follow_up": 1, "*": 3}
    # The interviews count each no-show once: Ken's call tells his interview again.
    [i] = [x for x in _stats(path, "interviews") if x["period"] == "*"]
    assert (i["invited"], i["attended"], i["no_show"]) == (2, 0, 2)
    total = _sheet_table(path, tmp_path, "Calls by type, by week")["Total"]
    assert (total["Follow-up"], total["Interview notice"], total["Total"]) == (1, 2, 3)
    assert "Interview" not in total


def test_a_call_about_a_no_show_answers_a_chase_as_the_follow_ups_stop_it(tmp_path):
    # The call made is one rule: in a chase, the follow-up that reached the candidate about
    # the interview they missed ends the silence, as `overdue` stops chasing there (it
    # was counted as no call made: a chase running, unresolved).
    path = _log(tmp_path / "reached.xlsx", [
        (nov(16), time(10), "Interview", "Acme", "Ken Adams", "", "LinkedIn", "Interview", "No-show", "Olga"),
        (nov(16), time(16), "Follow-up", "Acme", "Ken Adams", "", "", "", "No answer", "Olga"),
        (nov(17), time(10), "Follow-up", "Acme", "Ken Adams", "", "", "", "No-show", "Olga"),
    ])
    [ken] = overdue_json(path, AS_OF)
    assert ken["flag"] != "chase" and ken["step"]["key"] == "plan"
    [g] = [x for x in _stats(path, "ghosting") if x["source"] == x["stage"] == "*"]
    assert (g["chases"], g["answered_t1"], g["unresolved"]) == (1, 1, 0)


# ---------------------------------------------------------------- a chase's source and stage

def _by_source_stage(path: Path) -> dict[tuple[str, str], int]:
    return {(x["source"], x["stage"]): x["chases"] for x in _stats(path, "ghosting")
            if "*" not in (x["source"], x["stage"])}


def test_a_chase_after_a_report_takes_the_source_written_last_on_the_thread_before_it(tmp_path):
    # Seed 000: the report sent to the client's contact, its SMS, its call two days later
    # unanswered: the chase starts there, at stage report_sent, with the thread's source.
    # Sophie's client came by referral; her second report, on a candidate from a job
    # board, says so on its row: the chase after it is that report's (the source was the
    # first ever written on the thread, whatever the rows since said).
    path = _log(tmp_path / "report.xlsx", [
        (nov(2), time(10), "First call", "Beta", "Sophie Tan", "", "Referral", "", "Done", "Olga"),
        (nov(4), time(10), "Report sent", "Beta", "Sophie Tan", "Karl Liu", "", "", "Done", "Olga"),
        (nov(4), time(11), "Follow-up", "Beta", "Sophie Tan", "", "", "", "Done", "Olga"),        # the SMS
        (nov(6), time(10), "Follow-up", "Beta", "Sophie Tan", "", "", "", "No answer", "Olga"),   # the call
        (nov(7), time(10), "Follow-up", "Beta", "Sophie Tan", "", "", "", "Replied", "Olga"),
        (nov(16), time(10), "Report sent", "Beta", "Sophie Tan", "Mia Gold", "Job board", "", "Done", "Olga"),
        (nov(16), time(11), "Follow-up", "Beta", "Sophie Tan", "", "", "", "Done", "Olga"),
        (nov(18), time(10), "Follow-up", "Beta", "Sophie Tan", "", "", "", "No answer", "Olga"),
    ])
    assert _by_source_stage(path) == {("referral", "report_sent"): 1, ("job_board", "report_sent"): 1}
    table = _sheet_table(path, tmp_path, "Ghosting by source and stage")
    assert table["Referral / Report sent"]["Answered by T+1"] == 1
    assert table["Job board / Report sent"]["Unresolved"] == 1


def test_a_chase_before_any_source_or_stage_takes_the_first_written_on_the_thread(tmp_path):
    # Max went quiet before any row of his said a source or a stage: his chase is counted
    # at the thread's first ones, written after it (as a row without an SM takes the
    # thread's first), not as "(not set)".
    path = _log(tmp_path / "first.xlsx", [
        (nov(2), time(12), "Follow-up", "", "Max Cole", "", "", "", "No answer", "Olga"),
        (nov(3), time(12), "Follow-up", "", "Max Cole", "", "", "", "Replied", "Olga"),
        (nov(5), time(12), "Interview notice", "", "Max Cole", "", "Website", "", "Done", "Olga"),
    ])
    assert _by_source_stage(path) == {("website", "interview"): 1}


def test_a_chase_counts_at_the_stage_where_the_thread_went_silent(tmp_path):
    # DOMAIN: the stage where it happened. Ann went silent at the interview; the steps
    # and the reply, written at the offer stage, do not move her chase there.
    path = _log(tmp_path / "stage.xlsx", [
        (nov(2), time(10), "Follow-up", "Acme", "Ann Lee", "", "LinkedIn", "Interview", "No answer", "Olga"),
        (nov(3), time(10), "Follow-up", "Acme", "Ann Lee", "", "", "Offer", "No answer", "Olga"),
        (nov(5), time(10), "Follow-up", "Acme", "Ann Lee", "", "", "Offer", "No answer", "Olga"),
        (nov(6), time(10), "Follow-up", "Acme", "Ann Lee", "", "", "Offer", "Replied", "Olga"),
        # Her next silence, at the offer: a chase of its own there.
        (nov(9), time(10), "Follow-up", "Acme", "Ann Lee", "", "", "", "No answer", "Olga"),
    ])
    assert _by_source_stage(path) == {("linkedin", "interview"): 1, ("linkedin", "offer"): 1}
    table = _sheet_table(path, tmp_path, "Ghosting by source and stage")
    assert table["LinkedIn / Interview"]["Answered at T+3"] == 1
    assert table["LinkedIn / Offer"]["Unresolved"] == 1


def test_the_call_about_a_no_show_starts_the_clock_of_the_response_time(tmp_path):
    # The same rule for the time to a first response: the call asking why is the first
    # contact made on the thread, its clock runs to the candidate's reply.
    path = _log(tmp_path / "clock.xlsx", [
        (nov(16), time(10), "Follow-up", "Acme", "Ken Adams", "", "", "", "No-show", "Olga"),
        (nov(17), time(10), "Follow-up", "Acme", "Ken Adams", "", "", "", "Replied", "Olga"),
    ])
    [r] = [x for x in _stats(path, "response") if x["period"] == "*"]
    assert (r["median_hours"], r["n"]) == (24.0, 1)
