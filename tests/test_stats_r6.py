"""An auditor's logs (helper R, round 6): the interview table judged as of `--as-of` as
the calls table is (a row after it has no outcome yet), and an unanswered call the day
before an interview that a notice with its Next contact blank announced (the interview
row booked on the thread is what it waits on, as the follow-ups have it: no chase).
Calendar: November 2026 (the 2nd is a Monday)."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from tracker.cli import main
from workbooks import overdue_json, stats_sheet_table, typed_log


pytestmark = pytest.mark.usefixtures("no_user_config")

FUNNEL = ("invited", "confirmed", "attended", "no_show")


def _row(day, at, call_type, who, outcome, **more):
    return {"Date": day, "Time": at, "Call type": call_type, "Client": "Acme", "Contact": who,
            "Candidates": who, "Outcome": outcome, "SM": "Anna", **more}


def _stats(path, as_of, kind, by="week"):
    """`tracker stats --format json --as-of`: the team's rows (every file and manager)."""
    r = CliRunner().invoke(main, ["stats", str(path), "--kind", kind, "--by", by, "--format", "json",
                                  "--as-of", as_of], catch_exceptions=False)
    assert r.exit_code == 0, r.output
    return [x for x in json.loads(r.stdout) if x["file"] == x["manager"] == "*"]


def _funnel(path, as_of, by="month"):
    return {x["period"]: tuple(x[k] for k in FUNNEL) for x in _stats(path, as_of, "interviews", by)}


def _chases(path, as_of):
    """The team's chases by source: (chases, answered_t1, unresolved)."""
    return {x["source"]: (x["chases"], x["answered_t1"], x["unresolved"])
            for x in _stats(path, as_of, "ghosting") if x["stage"] == "*"}


# ---------------------------------------------------------------- interviews as of --as-of

def _outcomes_written_ahead(path):
    """Log K: Di's interview on Fri 20 Nov, done; then, dated after 27 Nov 09:00, Eva's
    interview at 15:00 that day marked Done, Bo's on 2 Dec marked No-show and Cy's
    notice on 3 Dec marked Confirmed (typed ahead, or a mistyped date)."""
    return typed_log(path, [
        _row("2026-11-27", "15:00", "Interview", "Eva Ng", "Done"),
        _row("2026-12-02", "10:00", "Interview", "Bo Li", "No-show"),
        _row("2026-12-03", "10:00", "Interview notice", "Cy Do", "Confirmed"),
        _row("2026-11-20", "10:00", "Interview", "Di Wu", "Done"),
    ])


def test_an_outcome_after_as_of_is_not_counted_yet(tmp_path):
    # Found by an auditor: the interview table counted Eva attended and Bo's no-show as of
    # 27 Nov 09:00, while the calls table of the same run left both rows out.
    path = _outcomes_written_ahead(tmp_path / "k.xlsx")
    as_of = "2026-11-27T09:00"
    # Eva's and Bo's interviews are booked: invitations already, in their own months; Cy's
    # notice is still to send. Only Di has come.
    assert _funnel(path, as_of) == {"2026-11": (2, 1, 1, 0), "2026-12": (1, 0, 0, 0), "*": (3, 1, 1, 0)}
    calls = [x["count"] for x in _stats(path, as_of, "calls", "month") if x["period"] == x["call_type"] == "*"]
    assert calls == [1]
    # The Stats sheet `refresh --as-of` writes is the same count.
    sheet = stats_sheet_table(path, tmp_path, "Interviews by week", as_of)
    assert tuple(sheet["Total"][k] for k in ("Invited", "Confirmed", "Attended", "No-shows")) == (3, 1, 1, 0)
    # Once those moments have passed, the rows count as written.
    assert _funnel(path, "2026-12-05T09:00")["*"] == (4, 4, 2, 1)


def test_a_confirmation_before_as_of_of_an_interview_after_it_still_counts(tmp_path):
    # The day-before call confirming an interview booked for after --as-of happened: it
    # counts (in its own week); the interview row after it adds the invitation only.
    path = typed_log(tmp_path / "eve.xlsx", [
        _row("2026-11-26", "18:00", "Follow-up", "Eva Ng", "Confirmed"),
        _row("2026-11-27", "15:00", "Interview", "Eva Ng", "Done"),
    ])
    assert _funnel(path, "2026-11-27T09:00", "week") == {"2026-W48": (1, 1, 0, 0), "*": (1, 1, 0, 0)}
    assert _funnel(path, "2026-11-27T16:00", "week") == {"2026-W48": (1, 1, 1, 0), "*": (1, 1, 1, 0)}


# ---------------------------------------------------------------- the eve call of a notice's interview

def _eve_calls(path, *, next_contact: bool, as_of=None):
    """Log L: Max and Ned confirm their notices on Mon 2 Nov, don't answer the call the
    evening before their interviews of Thu 5 Nov; Max comes, Ned does not. Oli doesn't
    answer the notice call on Mon 9, confirms on Tue 10, comes on Thu 12. With
    `next_contact`, each notice has the interview's time in Next contact (log L2). With
    `as_of`, the log as it was then: its rows up to that moment, the interviews still to
    come booked (Planned)."""
    def notice(day, at, who, outcome, slot, source):
        more = {"Next contact": slot} if next_contact and outcome == "Confirmed" else {}
        return _row(day, at, "Interview notice", who, outcome, Source=source, **more)

    rows = [notice("2026-11-02", "10:00", "Max Orr", "Confirmed", "2026-11-05 10:00", "LinkedIn"),
            _row("2026-11-04", "18:00", "Follow-up", "Max Orr", "No answer", Source="LinkedIn"),
            _row("2026-11-05", "10:00", "Interview", "Max Orr", "Done", Source="LinkedIn"),
            notice("2026-11-02", "11:00", "Ned Po", "Confirmed", "2026-11-05 12:00", "Job board"),
            _row("2026-11-04", "18:00", "Follow-up", "Ned Po", "No answer", Source="Job board"),
            _row("2026-11-05", "12:00", "Interview", "Ned Po", "No-show", Source="Job board"),
            notice("2026-11-09", "10:00", "Oli Qu", "No answer", "", "Referral"),
            notice("2026-11-10", "10:00", "Oli Qu", "Confirmed", "2026-11-12 10:00", "Referral"),
            _row("2026-11-12", "10:00", "Interview", "Oli Qu", "Done", Source="Referral")]
    if as_of:
        then = as_of.replace("T", " ")
        rows = [r if f'{r["Date"]} {r["Time"]}' <= then else {**r, "Outcome": "Planned"}
                for r in rows if f'{r["Date"]} {r["Time"]}' <= then or r["Call type"] == "Interview"]
    return typed_log(path, rows)


@pytest.mark.parametrize("next_contact", [False, True])
def test_the_eve_call_unanswered_waits_on_the_interview_the_notice_announced(tmp_path, next_contact):
    # Found by an auditor: with the notices' Next contact blank, Max's and Ned's eve calls
    # unanswered each started a chase (3 counted); with the interview's time written there,
    # 1. The interview row booked after the notice is its interview either way: only Oli,
    # whom the notice call did not reach, is chased (answered the next day).
    path = _eve_calls(tmp_path / "l.xlsx", next_contact=next_contact)
    assert _chases(path, "2026-11-30T09:00") == {"referral": (1, 1, 0), "*": (1, 1, 0)}
    assert _funnel(path, "2026-11-30T09:00")["*"] == (3, 3, 2, 1)


def test_the_follow_ups_owe_the_eve_call_not_a_chase_and_the_statistics_agree(tmp_path):
    # As the follow-ups run it, the evening of the calls unanswered (the interviews booked
    # for the next day): each interview owes the call to confirm it, nobody is chased.
    as_of = "2026-11-04T19:00"
    path = _eve_calls(tmp_path / "l-04.xlsx", next_contact=False, as_of=as_of)
    listed = {(f["contact"], f["step"]["key"]) for f in overdue_json(path, as_of)}
    assert {("Max Orr", "confirm_eve"), ("Ned Po", "confirm_eve")} <= listed
    assert not {step for _, step in listed} & {"t1", "t3", "last"}
    assert _chases(path, as_of) == {}
    # Ned not come, the follow-ups ask for the next step, not a chase step.
    as_of = "2026-11-05T13:00"
    path = _eve_calls(tmp_path / "l-05.xlsx", next_contact=False, as_of=as_of)
    assert ("Ned Po", "plan") in {(f["contact"], f["step"]["key"]) for f in overdue_json(path, as_of)}
    assert _chases(path, as_of) == {}


def test_an_interview_weeks_after_the_notice_is_another_rounds(tmp_path):
    # The notice's interview is the one booked on its thread in the two weeks after it, as
    # the follow-ups take a row to be about an interview: one three weeks later was booked
    # for a round of its own, and the silence before it is chased.
    path = typed_log(tmp_path / "later.xlsx", [
        _row("2026-11-02", "10:00", "Interview notice", "Max Orr", "Confirmed", Source="LinkedIn"),
        _row("2026-11-06", "10:00", "Follow-up", "Max Orr", "No answer", Source="LinkedIn"),
        _row("2026-11-24", "10:00", "Interview", "Max Orr", "Done", Source="LinkedIn"),
    ])
    assert _chases(path, "2026-11-30T09:00")["*"][0] == 1


def test_an_interview_ahead_marked_confirmed_counts_confirmed_as_the_follow_ups_take_it(tmp_path):
    # Found by a review: the candidate said yes on the eve call, the interview row tomorrow
    # marked Confirmed: the follow-ups hold it as confirmed; the statistics counted it
    # invited only once a row after --as-of had no outcome at all.
    path = typed_log(tmp_path / "ahead.xlsx", [
        _row("2026-11-20", "10:00", "First call", "Bo Li", "Done"),
        _row("2026-11-24", "16:00", "Interview", "Bo Li", "Confirmed"),
        _row("2026-11-25", "16:00", "Interview", "Cy Do", "Done"),   # typed ahead: no outcome yet
    ])
    assert _funnel(path, "2026-11-23T12:00")["2026-11"] == (2, 1, 0, 0)
