"""Statistics worked by hand on small logs: an interview whose candidates are written only
in its comment (the agency's interview format), the time to first response measured from
the right call, and DOMAIN's tables (interviews by day, week and month; ghost rates by
source and stage) of a log counted by hand.

Calendar (November 2026): Mon 2, Fri 20, Mon 23, Tue 24, Wed 25; Mon 16 to Sun 22 is W47.
"""
from __future__ import annotations

import json

import pytest
from workbooks import cli_ok, stats_sheet_table, typed_log

pytestmark = pytest.mark.usefixtures("no_user_config")

AS_OF = "2026-12-01T09:00"
FUNNEL = ("invited", "confirmed", "attended", "no_show", "no_show_rate")


def _row(day: int, at: str, call_type: str, contact: str, outcome: str, **more) -> dict:
    return {"Client": "Acme", "SM": "Olga", "Date": f"2026-11-{day:02d}", "Time": at, "Call type": call_type,
            "Contact": contact, "Outcome": outcome, **more}


def _team(path, kind: str, by: str = "week") -> dict[str, dict]:
    """`tracker stats --kind KIND --by BY --format json`, the whole team's rows (file and
    manager "*") by period, or by "source / stage" for the ghosting."""
    rows = json.loads(cli_ok("stats", path, "--kind", kind, "--by", by, "--format", "json", "--as-of", AS_OF).stdout)
    rows = [r for r in rows if r["file"] == r["manager"] == "*"]
    if kind == "ghosting":
        return {f'{r["source"]} / {r["stage"]}': r for r in rows}
    return {r["period"]: r for r in rows}


def _funnel(row: dict) -> tuple:
    return tuple(row[k] for k in FUNNEL)


# ---------------------------------------------------------------- candidates in the comment

INTERVIEWED = ("Today we interviewed:\nAnna Li (E1) – 5 years React, confident\n"
               "Interview results: the client liked Anna Li\nSM: Olga")


def _comment_only(path, comment: str = INTERVIEWED, contact: str = "Jane Roe"):
    """Anna and Ivan get the notice on Fri 20; Anna confirms on Mon 23; the interview on
    Tue 24 is logged against the client's HR (Jane Roe), Candidates blank, its comment
    naming who came (Anna); Wed 25 the call asking Ivan why he did not come."""
    return typed_log(path, [
        _row(20, "10:00", "Interview notice", "Anna Li", "Done"),
        _row(20, "10:05", "Interview notice", "Ivan Petrov", "Done"),
        _row(23, "11:00", "Follow-up", "Anna Li", "Confirmed"),
        _row(24, "14:00", "Interview", contact, "Done", **{"Comment on the call": comment}),
        _row(25, "10:00", "Follow-up", "Ivan Petrov", "No-show"),
    ])


def test_an_interviews_candidates_written_only_in_its_comment_are_counted_not_its_contact(tmp_path):
    # By hand: invited Anna and Ivan (the notices, W47); confirmed Anna (Mon) and Ivan (his
    # no-show implies it); Anna attended Tue, Ivan did not come. Counting the contact
    # instead made Jane a third invitee who attended, and left Anna's round open.
    path = _comment_only(tmp_path / "calls.xlsx")
    weeks = _team(path, "interviews")
    assert _funnel(weeks["2026-W47"]) == (2, 0, 0, 0, None)
    assert _funnel(weeks["2026-W48"]) == (0, 2, 1, 1, 0.5)
    assert _funnel(weeks["*"]) == (2, 2, 1, 1, 0.5)
    days = stats_sheet_table(path, tmp_path, "Interviews by day", AS_OF)
    assert [days["2026-11-24"][k] for k in ("Invited", "Confirmed", "Attended", "No-shows")] == [0, 0, 1, 0]


def test_a_comment_naming_nobody_leaves_the_contact_as_the_candidate(tmp_path):
    path = _comment_only(tmp_path / "calls.xlsx", "Went well, the client liked her.\nSM: Olga", contact="Anna Li")
    assert _funnel(_team(path, "interviews")["*"]) == (2, 2, 1, 1, 0.5)


def test_a_repeat_call_written_as_an_interview_is_a_second_round_of_its_candidates(tmp_path):
    # Anna's first interview on Wed 18; her second on Wed 25, a repeat call logged against
    # the client's HR with the interview format in its comment: a second round (invited and
    # attended again). The clarification call on Fri 27 names nobody: no interview.
    path = typed_log(tmp_path / "calls.xlsx", [
        _row(18, "14:00", "Interview", "Anna Li", "Done", Candidates="Anna Li (E1)"),
        _row(25, "14:00", "Repeat call", "Jane Roe", "Done", **{"Comment on the call": INTERVIEWED}),
        _row(27, "10:00", "Repeat call", "Jane Roe", "Done",
             **{"Comment on the call": "Clarified the start date: 15.12.\nSM: Olga"}),
    ])
    assert _funnel(_team(path, "interviews")["*"])[:3] == (2, 2, 2)


def test_a_repeat_call_written_as_an_interview_confirmed_is_no_call_made(tmp_path):
    # Anna's second interview booked for Wed 25, confirmed (not held yet): no call made, as
    # an interview confirmed is not; the clarification confirmed on Fri 27 is a call made.
    path = typed_log(tmp_path / "calls.xlsx", [
        _row(25, "14:00", "Repeat call", "Jane Roe", "Confirmed", **{"Comment on the call": INTERVIEWED}),
        _row(27, "10:00", "Repeat call", "Jane Roe", "Confirmed",
             **{"Comment on the call": "Clarified the start date: 15.12.\nSM: Olga"}),
    ])
    rows = json.loads(cli_ok("stats", path, "--kind", "calls", "--by", "day", "--format", "json",
                             "--as-of", AS_OF).stdout)
    made = {r["period"]: r["count"] for r in rows if r["file"] == r["manager"] == "*" and r["call_type"] == "repeat_call"}
    assert made == {"2026-11-27": 1, "*": 1}


# ---------------------------------------------------------------- time to first response

def test_a_reply_is_timed_from_the_silence_it_answers_not_the_clients_first_interview(tmp_path):
    # The client's HR was met at the interview on Mon 2 (the thread's first contact); three
    # weeks later our call goes unanswered at 10:00 and she replies at 16:00: 6 hours, not
    # the 506 counted from the interview.
    path = typed_log(tmp_path / "calls.xlsx", [
        _row(2, "14:00", "Interview", "Jane Roe", "Done", Candidates="Anna Li (E1)"),
        _row(23, "10:00", "Follow-up", "Jane Roe", "No answer", Channel="Phone"),
        _row(23, "16:00", "Follow-up", "Jane Roe", "Replied", Channel="E-mail"),
    ])
    row = _team(path, "response")["*"]
    assert (row["median_hours"], row["n"]) == (6.0, 1)


def test_a_call_held_since_a_silence_restarts_the_clock(tmp_path):
    # Ivan: unanswered Mon 2; the first call held Tue 3; silent again Fri 20 09:00, replies
    # 11:00: 2 hours (the silence of Mon 2 was over once he was reached). Olga: unanswered
    # Mon 2 09:00, the call held Tue 3 10:00, her reply Tue 3 16:00: 6 hours after the call.
    ivan, olga = "Ivan Petrov", "Olga Smirnova"
    path = typed_log(tmp_path / "calls.xlsx", [
        _row(2, "09:00", "First call", ivan, "No answer"),
        _row(3, "10:00", "First call", ivan, "Done"),
        _row(20, "09:00", "Follow-up", ivan, "No answer"),
        _row(20, "11:00", "Follow-up", ivan, "Replied"),
        _row(2, "09:00", "First call", olga, "No answer"),
        _row(3, "10:00", "First call", olga, "Done"),
        _row(3, "16:00", "Follow-up", olga, "Replied"),
    ])
    weeks = _team(path, "response")
    assert (weeks["2026-W47"]["median_hours"], weeks["2026-W45"]["median_hours"]) == (2.0, 6.0)


def test_a_reply_after_a_call_held_answers_our_message_since(tmp_path):
    # The first call with Acme's Jane is held Mon 2; our report goes out Wed 4 10:00; she
    # replies Thu 5 10:00: 24 hours, what she took to answer the report (not 72 from the call).
    path = typed_log(tmp_path / "calls.xlsx", [
        _row(2, "10:00", "First call", "Jane Roe", "Done"),
        _row(4, "10:00", "Report sent", "Jane Roe", "Done"),
        _row(5, "10:00", "Follow-up", "Jane Roe", "Replied"),
    ])
    assert _team(path, "response")["*"]["median_hours"] == 24.0


# ---------------------------------------------------------------- DOMAIN's tables, by hand

def test_a_small_log_counted_by_hand(tmp_path):
    """Interviews: Anna and Boris get the notice Mon 16, Anna confirms Tue 17 and comes Wed
    18, Boris does not; Cara's interview Thu 19 is booked, no outcome. Chases: Dan
    (LinkedIn, screening) silent Mon 16, then the T+1 message, the T+3 call unanswered and
    the last message: ghosted at the end of the log; Eva (referral, first contact) replies
    the next day (T+1); Fay (LinkedIn, interview) is marked ghosted at once."""
    def chase(day, at, call_type, who, outcome, channel, **more):
        return _row(day, at, call_type, who, outcome, Channel=channel, **more)

    path = typed_log(tmp_path / "calls.xlsx", [
        _row(16, "10:00", "Interview notice", "Anna Li", "Done", Candidates="Anna Li"),
        _row(16, "10:10", "Interview notice", "Boris Kim", "Done", Candidates="Boris Kim"),
        _row(17, "11:00", "Follow-up", "Anna Li", "Confirmed"),
        _row(18, "14:00", "Interview", "Anna Li", "Done", Candidates="Anna Li"),
        _row(18, "16:00", "Interview", "Boris Kim", "No-show", Candidates="Boris Kim"),
        _row(19, "12:00", "Interview", "Cara Diaz", "Planned", Candidates="Cara Diaz"),
        chase(16, "09:00", "First call", "Dan Ross", "No answer", "Phone", Source="LinkedIn", Stage="Screening"),
        chase(17, "09:00", "Follow-up", "Dan Ross", "Done", "WeChat"),
        chase(19, "09:00", "Follow-up", "Dan Ross", "No answer", "Phone"),
        chase(21, "09:00", "Follow-up", "Dan Ross", "Done", "E-mail"),
        chase(16, "09:30", "First call", "Eva Gold", "No answer", "Phone", Source="Referral", Stage="First contact"),
        chase(17, "10:00", "Follow-up", "Eva Gold", "Replied", "WeChat"),
        _row(16, "09:45", "Follow-up", "Fay Wu", "Ghosted", Source="LinkedIn", Stage="Interview"),
    ])
    days = _team(path, "interviews", "day")
    assert {p: _funnel(r) for p, r in days.items()} == {
        "2026-11-16": (2, 0, 0, 0, None), "2026-11-17": (0, 1, 0, 0, None), "2026-11-18": (0, 1, 1, 1, 0.5),
        "2026-11-19": (1, 0, 0, 0, None), "*": (3, 2, 1, 1, 0.5)}
    assert _funnel(_team(path, "interviews", "week")["2026-W47"]) == (3, 2, 1, 1, 0.5)
    assert _funnel(_team(path, "interviews", "month")["2026-11"]) == (3, 2, 1, 1, 0.5)
    ghosts = {k: (r["chases"], r["answered_t1"], r["ghosted"], r["ghost_rate"])
              for k, r in _team(path, "ghosting").items()}
    assert ghosts["linkedin / *"] == (2, 0, 2, 1.0)
    assert ghosts["referral / *"] == (1, 1, 0, 0.0)
    assert ghosts["* / screening"] == (1, 0, 1, 1.0)
    assert ghosts["* / interview"] == (1, 0, 1, 1.0)
    assert ghosts["* / first_contact"] == (1, 1, 0, 0.0)
    assert ghosts["* / *"][:3] == (3, 1, 2)
