"""Four follow-up rules, each on a real workbook read back through `tracker overdue` (and
`tracker stats` where the statistics count the same chase):

- a cancellation that would ask for a next step, on a thread with a call booked after it:
  that call is its next step, one open row for the person;
- a row's own Next step that opens by waiting ("Wait 2 days, then call"): from its due day
  on, the waiting is over and the step's own action is shown;
- a second try on the day of the last message (its e-mail fallback) is that step, as the
  statistics count it: the chase ends as the last message ends it;
- a Repeat call to clarify details, cancelled, is a call cancelled, not a round: no
  "likely rejected".

Calendar: October 2026: Wed 28; November 2026: Sun 1, Mon 2, Tue 3, Thu 5, Sat 7,
Fri 13, Tue 17, Wed 18, Thu 19, Fri 20.
"""
from __future__ import annotations

import json
from datetime import datetime

import pytest
from click.testing import CliRunner

from tracker import jobs
from tracker.cli import main
from workbooks import overdue_json, typed_log


pytestmark = pytest.mark.usefixtures("no_user_config")


def _listed(path, as_of):
    """`tracker overdue --all` as of `as_of`: row -> (status, step, flag) of the rows not done."""
    return {f["row"]: (f["status"], f["step"]["key"], f["flag"]) for f in overdue_json(path, as_of)}


def _actions(path, as_of):
    """`tracker overdue --all` as of `as_of`: row -> (status, action) of the rows not done."""
    return {f["row"]: (f["status"], f["action"]) for f in overdue_json(path, as_of)}


ANNA = {"Client": "Acme", "SM": "Olga", "Contact": "Anna Li", "Candidates": "Anna Li"}


# ---------------------------------------------------------------- 1. one open row per person

def _cancelled_then_booked(path, *, booked=True, interview=True, **cancel):
    """Anna cancels on Wed 28 Oct (no call type; `cancel`: more cells of that row); a call
    with her on Sun 1 Nov (no call type, its outcome blank) unless not `booked`, and her
    interview that day (called off by the cancellation) when `interview`."""
    rows = [{**ANNA, "Date": datetime(2026, 10, 28), "Outcome": "Cancelled", **cancel}]
    if booked:
        rows.append({**ANNA, "Date": datetime(2026, 11, 1)})
    if interview:
        rows.append({**ANNA, "Date": datetime(2026, 11, 1), "Call type": "Interview"})
    return typed_log(path, rows)


def test_a_call_booked_after_a_cancellation_is_its_next_step(tmp_path):
    path = _cancelled_then_booked(tmp_path / "log.xlsx")
    # The call of 1 Nov is what comes next: the cancellation asks for no next step, and
    # the interview it called off is done. One open row for Anna.
    assert _listed(path, "2026-10-30T12:00") == {3: ("upcoming", "planned", "")}


def test_a_contact_agreed_on_the_cancellation_comes_after_the_call_booked_since(tmp_path):
    path = _cancelled_then_booked(tmp_path / "log.xlsx", **{"Next contact": datetime(2026, 11, 3)})
    assert _listed(path, "2026-10-30T12:00") == {3: ("upcoming", "planned", "")}
    # The call made (its outcome not written), the contact agreed on 28 Oct is owed.
    assert _listed(path, "2026-11-02T12:00") == {3: ("upcoming", "next_contact", "")}


def test_a_cancellation_with_nothing_booked_after_it_still_asks_for_a_next_step(tmp_path):
    path = _cancelled_then_booked(tmp_path / "log.xlsx", booked=False)
    assert _listed(path, "2026-10-30T12:00") == {2: ("no_next_action", "plan", "")}


# ---------------------------------------------------------------- 2. "Wait 2 days, then call" on its day

WAITS = {
    "en": ("Wait 2 days, then call", "Get in touch as agreed"),
    "ru": ("Подождать 2 дня, потом позвонить", "Связаться, как договорились"),
    "zh": ("等两天后致电", "按约定联系"),
    "ja": ("2日待って電話", "約束どおり連絡する"),
}


@pytest.mark.parametrize("lang", sorted(WAITS))
def test_a_next_step_that_waits_gives_way_to_the_steps_own_action_on_its_day(tmp_path, lang):
    text, own = WAITS[lang]
    path = typed_log(tmp_path / "log.xlsx", [
        {**ANNA, "Date": datetime(2026, 11, 18), "Call type": "Follow-up", "Outcome": "Replied",
         "Next contact": datetime(2026, 11, 20), "Next step": text, "Language": lang},
    ])
    assert _actions(path, "2026-11-19T09:00") == {2: ("upcoming", text)}      # still waiting
    # The day: get in touch (the listing words the step in the log's language, English).
    assert _actions(path, "2026-11-20T09:00") == {2: ("due_today", "Get in touch as agreed")}
    assert _actions(path, "2026-11-23T09:00") == {2: ("overdue", "Get in touch as agreed")}
    config = jobs.config_for(None, path)
    fu, = jobs.followup_list(jobs.read(path, config), config, datetime(2026, 11, 20, 9))
    assert (fu.lang, fu.step.action) == (lang, own)   # in the row's own language


def test_a_sent_reports_call_on_its_written_day_is_the_call_not_the_wait(tmp_path):
    path = typed_log(tmp_path / "log.xlsx", [
        {"Client": "Acme", "SM": "Olga", "Contact": "James Carter", "Candidates": "Owen Phillips",
         "Date": datetime(2026, 11, 18), "Call type": "Report sent", "Outcome": "Done",
         "Next contact": datetime(2026, 11, 20), "Next step": "Wait 2 days, then call"},
    ])
    assert _actions(path, "2026-11-20T09:00") == {
        2: ("due_today", "Call the client: have they seen the candidate, what can we do next?")}


@pytest.mark.parametrize("text", ["Send the contract", "Подтверждать условия оффера", "发送简历等材料"])
def test_a_next_step_that_does_not_wait_is_shown_on_its_day(tmp_path, text):
    # ("подтверждать" holds "ждать", not at a word's start; 等 alone is "etc.")
    path = typed_log(tmp_path / "log.xlsx", [
        {**ANNA, "Date": datetime(2026, 11, 18), "Call type": "Follow-up", "Outcome": "Replied",
         "Next contact": datetime(2026, 11, 20), "Next step": text},
    ])
    assert _actions(path, "2026-11-20T09:00") == {2: ("due_today", text)}


# ---------------------------------------------------------------- 3. the last message's e-mail

def _ghosted_with_a_last_email(path):
    """Anna silent from Mon 2 Nov: the T+1 SMS on Tue 3, the T+3 call unanswered and its
    e-mail on Thu 5, the last message by SMS on Sat 7 and its e-mail that day."""
    def step(day, channel, outcome=""):
        return {**ANNA, "Date": datetime(2026, 11, day), "Call type": "Follow-up", "Channel": channel,
                "Outcome": outcome}
    return typed_log(path, [
        step(2, "Phone", "No answer"), step(3, "SMS"), step(5, "Phone", "No answer"), step(5, "E-mail"),
        step(7, "SMS"), step(7, "E-mail"),
    ])


def _chases(path, as_of):
    """`tracker stats --kind ghosting --format json`: the chases' totals by result."""
    result = CliRunner().invoke(main, ["stats", str(path), "--kind", "ghosting", "--format", "json",
                                       "--as-of", as_of], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    total = [r for r in json.loads(result.stdout) if r["file"] == r["manager"] == r["source"] == r["stage"] == "*"]
    return {k: v for k, v in total[0].items() if k in ("chases", "ghosted", "unresolved") and v}


def test_the_last_messages_email_that_day_ends_the_chase_as_the_last_message_would(tmp_path):
    path = _ghosted_with_a_last_email(tmp_path / "log.xlsx")
    # No new chase from the e-mail: the thread is closed as ghosted, as the statistics count it.
    assert _listed(path, "2026-11-13T09:00") == {}
    config = jobs.config_for(None, path)
    fus = jobs.followup_list(jobs.read(path, config), config, datetime(2026, 11, 13, 9))
    assert fus[-1].flag == "ghosted"
    assert _chases(path, "2026-11-13T09:00") == {"chases": 1, "ghosted": 1}


# ---------------------------------------------------------------- 4. a clarification call cancelled

JAMES = {"Client": "Brightline", "SM": "Olga", "Contact": "James Carter"}


def _repeat_call_cancelled(path, **more):
    return typed_log(path, [{**JAMES, "Date": datetime(2026, 11, 17), "Call type": "Repeat call",
                             "Outcome": "Cancelled", **more}])


def test_a_clarification_call_cancelled_asks_for_a_next_step_not_the_real_reason(tmp_path):
    path = _repeat_call_cancelled(tmp_path / "log.xlsx")
    assert _listed(path, "2026-11-20T09:00") == {2: ("no_next_action", "plan", "")}


@pytest.mark.parametrize("more", [{"Candidates": "Owen Phillips"},
                                  {"Comment on the call": "Second interview cancelled, no new date"}])
def test_a_second_round_cancelled_is_still_likely_rejected(tmp_path, more):
    path = _repeat_call_cancelled(tmp_path / "log.xlsx", **more)
    assert _listed(path, "2026-11-20T09:00") == {2: ("overdue", "reason", "likely_rejected")}


def test_a_second_round_logged_on_the_candidates_own_row_cancelled_is_still_likely_rejected(tmp_path):
    # Found by a review: seed 003 on the candidate's thread (Contact the candidate of the
    # first interview, Candidates left blank) was taken for a clarification call cancelled.
    ivan = {"Client": "Acme", "SM": "Olga", "Contact": "Ivan Petrov"}
    path = typed_log(tmp_path / "log.xlsx", [
        {**ivan, "Date": datetime(2026, 11, 17, 14), "Call type": "Interview", "Candidates": "Ivan Petrov",
         "Outcome": "Done"},
        {**ivan, "Date": datetime(2026, 11, 17, 16), "Call type": "Repeat call", "Outcome": "Cancelled",
         "Comment on the call": "Client cancelled: business trouble, no new date"},
    ])
    assert _listed(path, "2026-11-20T09:00") == {3: ("overdue", "reason", "likely_rejected")}


def test_a_clarification_call_cancelled_and_settled_later_is_not_marked_likely_rejected(tmp_path):
    path = typed_log(tmp_path / "log.xlsx", [
        {**JAMES, "Date": datetime(2026, 11, 17), "Call type": "Repeat call", "Outcome": "Cancelled"},
        {**JAMES, "Date": datetime(2026, 11, 18), "Call type": "Follow-up", "Outcome": "Replied",
         "Next contact": datetime(2026, 11, 25)},
    ])
    config = jobs.config_for(None, path)
    fus = jobs.followup_list(jobs.read(path, config), config, datetime(2026, 11, 20, 9))
    assert [(f.row, f.status, f.flag) for f in fus] == [(2, "done", ""), (3, "upcoming", "")]
