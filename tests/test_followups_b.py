"""Follow-ups, reported by testers and the last review: a later chase step logged without
the earlier ones, a reply and a chase message on one day without times, the T+3 e-mail to
a client, and a contact agreed that the walk of the chase and the listing must both see.
Each test writes a real workbook and reads it back through `tracker overdue` / `refresh`.

Calendar of the tests (November 2026): Fri 20, Sat 21, Sun 22, Mon 23, Tue 24, Wed 25,
Thu 26, Fri 27, Sat 28.
"""
from __future__ import annotations

import pytest

from workbooks import overdue_json, typed_log


pytestmark = pytest.mark.usefixtures("no_user_config")


def _listed(path, as_of):
    """`tracker overdue --all` as of `as_of`: (row, step, status, due day, anchor row) of each."""
    return [(f["row"], f["step"]["key"], f["status"], (f["due"] or "")[:10], f["anchor_row"])
            for f in overdue_json(path, as_of)]


def _refreshed(path, as_of):
    """`tracker refresh` as of `as_of`; then row -> (Status, Due, Next action) as written."""
    import openpyxl
    from click.testing import CliRunner

    from tracker.cli import main

    result = CliRunner().invoke(main, ["refresh", str(path), "--as-of", as_of], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    ws = openpyxl.load_workbook(path)["Call log"]
    head = [c.value for c in ws[1]]
    cols = [head.index(name) for name in ("Status", "Due", "Next action")]
    return {n: tuple(row[c] for c in cols) for n, row in enumerate(ws.iter_rows(min_row=2, values_only=True), start=2)}


ANNA = {"Client": "Acme", "SM": "Olga", "Contact": "Anna Li", "Position": "Java developer"}
OLGA = {"Client": "Omega", "SM": "Kate", "Contact": "Olga HR"}


def _tried(who, day, channel="", outcome="", **more):
    """A chase row: a follow-up made by `channel`, unanswered (`outcome` "": a message sent)."""
    return {**who, "Date": day, "Call type": "Follow-up", "Outcome": outcome, "Channel": channel, **more}


# ---------------------------------------------------------------- 1. a later step stands for those skipped

def _silent_since_friday(path, *later):
    """Anna's interview call on Fri 20 went unanswered (T); `later` rows follow."""
    return typed_log(path, [{**ANNA, "Date": "2026-11-20", "Time": "10:00", "Call type": "Interview",
                             "Outcome": "No answer"}, *later])


@pytest.mark.parametrize("rows", [
    [("Phone", "No answer"), ("E-mail", "")],   # the T+3 call, then the e-mail at once: two rows
    [("E-mail", "")],                           # the e-mail alone
])
def test_the_t3_step_made_without_the_t1_message_leaves_the_last_message(tmp_path, rows):
    # Found by a tester: the consultant phoned on T+3 (Mon 23), then e-mailed, with no T+1
    # message logged; the tool asked for the T+3 step again on Tuesday. The T+3 step is done:
    # the last message is owed from T+5 (Wed 25) to T+7 (Fri 27).
    path = _silent_since_friday(tmp_path / "log.xlsx", *(_tried(ANNA, "2026-11-23", c, o) for c, o in rows))
    last = len(rows) + 2
    for as_of, status in (("2026-11-24T09:00", "upcoming"), ("2026-11-25T09:00", "due_today"),
                          ("2026-11-27T09:00", "due_today"), ("2026-11-28T09:00", "overdue")):
        assert _listed(path, as_of) == [(last, "last", status, "2026-11-25", 2)], as_of
    [f] = overdue_json(path, "2026-11-25T09:00")
    assert f["overdue_after"] == "2026-11-27"
    # The sheet says the same.
    status, due, action = _refreshed(path, "2026-11-25T09:00")[last]
    assert (status, due.date().isoformat()) == ("Due today", "2026-11-27")   # Due holds the window's end
    assert "last message" in action
    # Then sent: the thread is closed as ghosted.
    sent = _silent_since_friday(tmp_path / "sent.xlsx", *(_tried(ANNA, "2026-11-23", c, o) for c, o in rows),
                                _tried(ANNA, "2026-11-25", "SMS"))
    assert _listed(sent, "2026-11-26T09:00") == []
    assert overdue_json(sent, "2026-11-26T09:00") == []


@pytest.mark.parametrize("channel", ["", "SMS"])
def test_the_t1_message_sent_late_is_the_t1_step(tmp_path, channel):
    # The message sent on T+3 by the T+1 step's own channel (SMS in English), or saying
    # none, is the T+1 step late: the T+3 call is owed next, not the last message, two
    # days after it as the sequence has it (cadence.keep_gaps), not the next day.
    path = _silent_since_friday(tmp_path / "log.xlsx", _tried(ANNA, "2026-11-23", channel))
    assert _listed(path, "2026-11-24T09:00") == [(3, "t3", "upcoming", "2026-11-25", 2)]


def test_a_call_made_before_its_step_is_due_is_the_step_owed(tmp_path):
    # A phone call on T+1 (Sat 21) is no T+3 step: the T+3 step is not due yet.
    path = _silent_since_friday(tmp_path / "log.xlsx", _tried(ANNA, "2026-11-21", "Phone", "No answer"))
    assert _listed(path, "2026-11-22T09:00") == [(3, "t3", "upcoming", "2026-11-23", 2)]


# ---------------------------------------------------------------- 2. a reply and a step on one day, no times

REPLY = {**ANNA, "Date": "2026-11-23", "Call type": "Follow-up", "Outcome": "Replied"}
MESSAGE = _tried(ANNA, "2026-11-23", "Telegram")
AT_15 = {**ANNA, "Date": "2026-11-23", "Time": "15:00", "Call type": "Follow-up", "Outcome": "No answer"}
AT_09 = {**ANNA, "Date": "2026-11-23", "Time": "09:00", "Call type": "Follow-up", "Outcome": "No answer",
         "Comment on the call": "logged late"}


@pytest.mark.parametrize("between", [False, True])
@pytest.mark.parametrize("reply_last", [True, False])
def test_a_reply_and_a_chase_message_without_times_keep_their_order_in_the_sheet(tmp_path, between, reply_last):
    # Found by a tester: on Mon 23, a reply and a chase message, neither with a time, and two
    # timed calls (15:00, and 09:00 logged late below it) between them: the row without a
    # time followed the timed row just above it, so the reply written last was read as
    # before the message (the chase restarted), and the message written last as before the
    # reply. The lower of the two was written later, wherever the timed rows are.
    first, second = (MESSAGE, REPLY) if reply_last else (REPLY, MESSAGE)
    day = [AT_15, first, AT_09, second] if between else [first, second]
    path = _silent_since_friday(tmp_path / "log.xlsx", *day)
    lowest = len(day) + 2
    for as_of in ("2026-11-23T18:00", "2026-11-24T09:00"):
        if reply_last:
            # Answered: the chase is over; the reply needs a next step.
            assert _listed(path, as_of) == [(lowest, "plan", "no_next_action", "", 0)], as_of
        else:
            # A message after the reply, unanswered: a new silence, T on its day.
            status = "upcoming" if as_of.startswith("2026-11-23") else "due_today"
            assert _listed(path, as_of) == [(lowest, "t1", status, "2026-11-24", lowest)], as_of


# ---------------------------------------------------------------- 3. the T+3 e-mail to a client

JOHN = {"Client": "Acme", "SM": "Olga", "Contact": "John Smith", "Position": "Java developer"}
CLIENT_T3 = {"en": "the candidate we sent you for the Java developer role: Maria Lopez",
             "ru": "Мы отправили вам кандидата (Maria Lopez) на вакансию «Java developer»",
             "zh": "之前发给您的候选人Maria Lopez（Java developer职位）",
             "ja": "Java developerのポジションの候補者、Maria Lopezさんの推薦書"}
ROLE_APPEAL = {"en": "still a great opportunity", "ru": "по-прежнему открыта", "zh": "机会依然很不错",
               "ja": "引き続き魅力的な機会"}


def _t3(path, who, lang, before=None, call_type="Follow-up"):
    """After a row of Fri 13 (`before`), `who` silent since a call (`call_type`) on Mon 16
    and a T+1 message on Tue 17: the T+3 draft owed on Thu 19, as `tracker overdue` gives it."""
    rows = [*([{**who, "Date": "2026-11-13", "Language": lang, **before}] if before else []),
            {**who, "Date": "2026-11-16", "Call type": call_type, "Outcome": "No answer", "Language": lang},
            _tried(who, "2026-11-17", Language=lang)]
    [f] = overdue_json(typed_log(path, rows), "2026-11-19T09:00")
    assert f["step"]["key"] == "t3"
    return f["message"]


@pytest.mark.parametrize("lang", ["en", "ru", "zh", "ja"])
def test_the_t3_email_to_a_client_is_about_the_candidates_sent(tmp_path, lang):
    # Found in review: the client's HR, silent after the report on Maria (the report's call
    # unanswered too), got the candidate's e-mail ("the role is still a great opportunity").
    # Hers asks about the candidate sent and what we can do next (seed 000).
    report = {"Call type": "Report sent", "Candidates": "Maria Lopez", "Outcome": "Done"}
    message = _t3(tmp_path / "client.xlsx", JOHN, lang, report)
    assert CLIENT_T3[lang] in message, message
    assert ROLE_APPEAL[lang] not in message, message
    # The candidate's own thread keeps the candidate's e-mail (seed 001).
    mine = _t3(tmp_path / "candidate.xlsx", ANNA, lang, call_type="Interview")
    assert ROLE_APPEAL[lang] in mine, mine
    assert CLIENT_T3[lang] not in mine


def test_the_t3_email_after_a_first_call_with_a_client_is_worded_for_the_client(tmp_path):
    # No candidates yet: a first call is with the client (seed 002), no role to sell them.
    message = _t3(tmp_path / "first.xlsx", JOHN, "en", {"Call type": "First call", "Outcome": "Done"})
    assert "follow up on the Java developer role at Acme" in message, message
    assert ROLE_APPEAL["en"] not in message


# ---------------------------------------------------------------- 4. the row calling off, its own next contact

def _called_off_with_a_call_back(path, *later):
    """Olga HR: a first call on Fri 20; Petr's interview with her on Wed 25 16:00; on Mon 23
    she cancels it (no new date) on her thread, agreeing a call back on Fri 27; `later` rows."""
    return typed_log(path, [
        {**OLGA, "Date": "2026-11-20", "Time": "11:00", "Call type": "First call", "Outcome": "Done"},
        {**OLGA, "Date": "2026-11-25", "Time": "16:00", "Call type": "Interview", "Candidates": "Petr Ivanov",
         "Outcome": "Planned"},
        {**OLGA, "Date": "2026-11-23", "Call type": "Follow-up", "Outcome": "Cancelled", "Candidates": "Petr Ivanov",
         "Next contact": "2026-11-27", "Comment on the call": "interview cancelled; call back on Friday"},
        *later])


@pytest.mark.parametrize("messages", [["2026-11-24"], ["2026-11-24", "2026-11-26"]])
def test_a_message_after_a_cancellation_that_agreed_a_call_back_leaves_that_call_owed(tmp_path, messages):
    # Found in review: the listing looked past the row calling the interview off without
    # reading its own Next contact: the e-mail sent the next day started a chase (T+1 on
    # Wednesday) instead of the call agreed for Friday, which the walk of the chase did read.
    path = _called_off_with_a_call_back(tmp_path / "log.xlsx", *(_tried(OLGA, d, "E-mail") for d in messages))
    last = 4 + len(messages)
    for as_of, status in (("2026-11-26T18:00", "upcoming"), ("2026-11-27T09:00", "due_today"),
                          ("2026-11-28T09:00", "overdue")):
        assert _listed(path, as_of) == [(last, "next_contact", status, "2026-11-27", 4)], as_of
    # Made on Friday and unanswered: T of the chase, as the walk counts it.
    made = _called_off_with_a_call_back(tmp_path / "made.xlsx", *(_tried(OLGA, d, "E-mail") for d in messages),
                                        _tried(OLGA, "2026-11-27", "Phone", "No answer"))
    assert _listed(made, "2026-11-28T09:00") == [(last + 1, "t1", "due_today", "2026-11-28", last + 1)]


# ---------------------------------------------------------------- 5. a contact agreed beyond the walk's start row

def _agreed_friday(path, between, *later):
    """Olga HR: a first call on Mon 16 agreeing the call of Fri 27 (unless a `between` row
    agrees it), the `between` rows, e-mails on Tue 24 and Thu 26, then `later` rows."""
    first = {**OLGA, "Date": "2026-11-16", "Time": "11:00", "Call type": "First call", "Outcome": "Done"}
    if not any("Next contact" in r for r in between):
        first["Next contact"] = "2026-11-27"
    return typed_log(path, [first, *between, _tried(OLGA, "2026-11-24", "E-mail"),
                            _tried(OLGA, "2026-11-26", "E-mail"), *later])


BETWEEN = {
    # A reply on Fri 20 keeps the call agreed on the first call (keep_appointment_outcomes).
    "a reply": [{**OLGA, "Date": "2026-11-20", "Call type": "Follow-up", "Outcome": "Replied"}],
    # An interview cancelled on Mon 23: it drops that interview only.
    "a cancellation": [
        {**OLGA, "Date": "2026-11-25", "Time": "16:00", "Call type": "Interview", "Candidates": "Petr Ivanov",
         "Outcome": "Planned"},
        {**OLGA, "Date": "2026-11-23", "Call type": "Follow-up", "Outcome": "Cancelled", "Candidates": "Petr Ivanov"}],
    # (The call agreed on a row whose date was left blank is that row's alone, as a row
    # with no date is no part of its thread: test_followups_b2.)
}


@pytest.mark.parametrize("between", list(BETWEEN))
def test_the_agreed_call_made_and_unanswered_starts_the_chase_whatever_row_the_walk_starts_at(tmp_path, between):
    # Found in review: the walk of the chase read the contact agreed on its start row only
    # (the last row that is no silence), where the listing reads every row that keeps it.
    # Both said "call on Friday"; made on Friday and unanswered, the call was counted the
    # chase's T+3 step (the last message owed next) instead of its T (T+1 on Saturday).
    rows = BETWEEN[between]
    owed = _agreed_friday(tmp_path / "owed.xlsx", rows)
    assert [x[1:4] for x in _listed(owed, "2026-11-26T18:00")] == [("next_contact", "upcoming", "2026-11-27")]
    made = _agreed_friday(tmp_path / "made.xlsx", rows, _tried(OLGA, "2026-11-27", "Phone", "No answer"))
    last = len(rows) + 5
    assert _listed(made, "2026-11-28T09:00") == [(last, "t1", "due_today", "2026-11-28", last)]
