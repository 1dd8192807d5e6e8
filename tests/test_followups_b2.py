"""Follow-ups, reported by testers: a row with no date closing its person's other calls, a
Repeat call to clarify details asked to be confirmed like an interview (and taken as the
interview logged again), and the last chase message to a client worded for a candidate.
Each test writes a real workbook and reads it back through `tracker overdue` / `refresh`.

Calendar of the tests (November 2026): Fri 20, Sat 21, Sun 22, Mon 23, Tue 24, Wed 25,
Thu 26, Fri 27, Sat 28.
"""
from __future__ import annotations

from datetime import date, datetime, time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tracker.config import load_config
from tracker.followups import followups
from tracker.model import CALL_TYPES, OUTCOMES, CallRecord, Person
from workbooks import overdue_json, plain_log, typed_log


pytestmark = pytest.mark.usefixtures("no_user_config")


def _listed(path, as_of):
    """`tracker overdue --all` as of `as_of`: (row, step, status, due) of each."""
    return [(f["row"], f["step"]["key"], f["status"], f["due"]) for f in overdue_json(path, as_of)]


def _refreshed(path, as_of, sheet="Call log"):
    """`tracker refresh` as of `as_of`; then row -> (Status, Due, Next action) as written."""
    import openpyxl
    from click.testing import CliRunner

    from tracker.cli import main

    result = CliRunner().invoke(main, ["refresh", str(path), "--as-of", as_of], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    ws = openpyxl.load_workbook(path)[sheet]
    head = [c.value for c in ws[1]]
    cols = [head.index(name) for name in ("Status", "Due", "Next action")]
    return {n: tuple(row[c] for c in cols) for n, row in enumerate(ws.iter_rows(min_row=2, values_only=True), start=2)}


# ---------------------------------------------------------------- 1. a row with no date

HEADER = ("Date", "Time", "Call type", "Client", "Contact", "Candidates", "Outcome", "Next contact", "SM")
INTERVIEW = ("2026-11-25", "10:00", "Interview", "Acme", "Anna Li", "Ivan Ko (E12)", "Planned", None, "Olga")
INTRO_AT_17 = ("2026-11-23", "17:00", "Introductory call", "Acme", "Anna Li", "Ivan Ko", "Planned", None, "Olga")
ANNA_OWES = [(3, "planned", "due_today", "2026-11-23T17:00:00"), (2, "confirm_eve", "upcoming", "2026-11-24")]


@pytest.mark.parametrize("date_cell", ["sometime soon", None])
def test_a_row_with_no_date_closes_none_of_its_persons_calls_and_asks_for_its_date(tmp_path, date_cell):
    # Found by a tester: a Follow-up "No answer" for Anna whose date cell says "sometime
    # soon" (or is blank) took the date of the row above it and followed the call planned
    # for 17:00 today: that call went from Due today to Done, off the Chase today list,
    # and the undated row itself was Done. It cannot be placed in time: it settles nothing
    # of Anna's, and it is listed, asking for its date.
    path = plain_log(tmp_path / "log.xlsx", [INTERVIEW, INTRO_AT_17,
                                             (date_cell, None, "Follow-up", "Acme", "Anna Li", None, "No answer",
                                              None, "Olga")], header=HEADER)
    assert _listed(path, "2026-11-23T09:00") == [*ANNA_OWES, (4, "date", "no_next_action", None)]
    written = _refreshed(path, "2026-11-23T09:00", sheet="Calls")
    assert written[3][0] == "Due today" and written[2][0] == "Upcoming"
    assert written[4][0] == "No next action" and written[4][2].startswith("Write the call's date"), written[4]


@pytest.mark.parametrize("outcome", ["No answer", "Hired"])
def test_a_row_with_no_date_below_a_later_one_does_not_settle_an_interview_booked(tmp_path, outcome):
    # Found by a tester in a bigger book: the undated row sat after a row of a later day
    # above it, so after the interview still to come, which went Upcoming -> Done. Closed
    # (Hired) it closes nothing either: it cannot be placed after the interview.
    path = plain_log(tmp_path / "log.xlsx", [
        INTERVIEW,
        ("2026-11-26", None, "First call", "Beta", "Boris", None, "Planned", None, "Olga"),
        (None, None, "Follow-up", "Acme", "Anna Li", None, outcome, None, "Olga")], header=HEADER)
    assert _listed(path, "2026-11-23T09:00") == [
        (2, "confirm_eve", "upcoming", "2026-11-24"), (3, "planned", "upcoming", "2026-11-26"),
        (4, "date", "no_next_action", None)]


OLGA = {"Client": "Omega", "SM": "Kate", "Contact": "Olga HR"}


def _undated_agreement(path, *later):
    """Olga HR: a first call on Mon 16; a reply with the call of Fri 27 agreed on a row whose
    date was left blank; e-mails unanswered on Tue 24 and Thu 26; then `later` rows."""
    def tried(day, channel, outcome=""):
        return {**OLGA, "Date": day, "Call type": "Follow-up", "Channel": channel, "Outcome": outcome}

    return typed_log(path, [
        {**OLGA, "Date": "2026-11-16", "Time": "11:00", "Call type": "First call", "Outcome": "Done"},
        {**OLGA, "Call type": "Follow-up", "Outcome": "Replied", "Next contact": "2026-11-27"},
        tried("2026-11-24", "E-mail"), tried("2026-11-26", "E-mail"),
        *(tried(*x) for x in later)])


def test_a_contact_agreed_on_a_row_with_no_date_is_owed_on_that_row_until_made(tmp_path):
    # The undated reply agreed the call of Friday: that row owes it, and the thread is
    # judged without it (the e-mails of Tue 24 and Thu 26 unanswered: the T+3 call two days
    # after the last of them, cadence.keep_gaps).
    path = _undated_agreement(tmp_path / "owed.xlsx")
    assert _listed(path, "2026-11-26T18:00") == [(3, "next_contact", "upcoming", "2026-11-27"),
                                                 (5, "t3", "upcoming", "2026-11-28")]
    # A call of the thread made on Friday or after is after the undated row too, whenever
    # it was: the contact agreed is made, and the chase goes on (the last message, T+5).
    made = _undated_agreement(tmp_path / "made.xlsx", ("2026-11-27", "Phone", "No answer"))
    assert _listed(made, "2026-11-28T09:00") == [(6, "last", "upcoming", "2026-11-29")]
    # A call still to come on that day is not made yet.
    booked = _undated_agreement(tmp_path / "booked.xlsx", ("2026-11-28", "Phone", "Planned"))
    assert (3, "next_contact", "overdue", "2026-11-27") in _listed(booked, "2026-11-28T09:00")


# ---------------------------------------------------------------- 2. a Repeat call to clarify details

MARY = {"Client": "Acme GmbH", "SM": "Olga", "Contact": "Mary Major"}
CLARIFY = {**MARY, "Date": "2026-11-25", "Time": "11:00", "Call type": "Repeat call", "Outcome": "Planned",
           "Comment on the call": "Clarify the start date and the rate for the Python developer."}


def test_a_call_to_clarify_details_owes_no_confirmation_call(tmp_path):
    # Found by a tester: the Repeat call held to clarify details (no candidates, nothing
    # naming a second interview: reminders.clarifies) got the call the day before ("Hi Mary
    # Major, a quick call to confirm your interview..."). It is no interview: like any call
    # planned, it is due at its time.
    path = typed_log(tmp_path / "log.xlsx", [CLARIFY])
    [f] = overdue_json(path, "2026-11-24T09:00")
    assert (f["step"]["key"], f["status"], f["due"], f["message"]) == ("planned", "upcoming", "2026-11-25T11:00:00", "")
    assert _listed(path, "2026-11-25T09:00") == [(2, "planned", "due_today", "2026-11-25T11:00:00")]
    status, due, action = _refreshed(path, "2026-11-24T09:00")[2]
    assert status == "Upcoming" and "confirm" not in action, action
    # With a candidate named it is the second interview: the candidate is called the day before.
    second = typed_log(tmp_path / "second.xlsx", [{**CLARIFY, "Candidates": "Ann Lee (E1)"}])
    assert _listed(second, "2026-11-24T09:00") == [(2, "confirm_eve", "due_today", "2026-11-24")]


# ---------------------------------------------------------------- 3. ...neither moves an interview nor is moved

ANN_SECOND = {**MARY, "Date": "2026-11-25", "Time": "10:00", "Call type": "Repeat call",
              "Candidates": "Ann Lee (E1)", "Outcome": "Planned"}


def test_a_clarification_after_a_second_interview_is_not_that_interview_logged_again(tmp_path):
    # Found by a tester: the clarification on Fri 27 was taken as Ann's second interview of
    # Wed 25 logged again (moved): the interview went Done with no confirmation call, and
    # the clarification asked to confirm "the interview", greeting Ann.
    path = typed_log(tmp_path / "log.xlsx", [ANN_SECOND, {**CLARIFY, "Date": "2026-11-27"}])
    found = overdue_json(path, "2026-11-24T09:00")
    assert [(f["row"], f["step"]["key"], f["status"], f["due"]) for f in found] == [
        (2, "confirm_eve", "due_today", "2026-11-24"), (3, "planned", "upcoming", "2026-11-27T11:00:00")]
    assert found[0]["message"].startswith("Hi Ann Lee") and "Wed 25 Nov at 10:00" in found[0]["message"]
    assert found[1]["message"] == ""
    # Planned first, the clarification is not settled by the interview after it either.
    before = typed_log(tmp_path / "before.xlsx", [{**CLARIFY, "Date": "2026-11-24"}, {**ANN_SECOND, "Date": "2026-11-26"}])
    assert _listed(before, "2026-11-23T09:00") == [(2, "planned", "upcoming", "2026-11-24T11:00:00"),
                                                   (3, "confirm_eve", "upcoming", "2026-11-25")]


def test_a_clarification_moved_to_another_day_is_a_call_agreed_for_it(tmp_path):
    # Marked Rescheduled with its new day, a clarification is no interview moved (nobody
    # to confirm it, no slot to log again): its Next contact is the call owed.
    path = typed_log(tmp_path / "log.xlsx", [{**CLARIFY, "Outcome": "Rescheduled", "Next contact": "2026-11-27"}])
    assert _listed(path, "2026-11-26T09:00") == [(2, "next_contact", "upcoming", "2026-11-27")]


# ---------------------------------------------------------------- 4. the last message to a client

JOHN = {"Client": "Acme", "SM": "Olga", "Contact": "John Smith", "Position": "Java developer"}
ANNA = {"Client": "Acme", "SM": "Olga", "Contact": "Anna Li", "Position": "Java developer"}
FOR_CLIENT = {"en": "keep Maria Lopez in mind for you", "ru": "кандидата (Maria Lopez) будем держать для вас в виду",
              "zh": "Maria Lopez我们会继续为您留意", "ja": "Maria Lopezさんのことは引き続き念頭に置いておきます"}
FOR_CANDIDATE = {"en": "the Java developer opportunity on hold", "ru": "Вакансию «Java developer» пока придётся",
                 "zh": "这个机会我们将不得不暂时搁置", "ja": "今後のご活躍をお祈りしております"}


def _last(path, who, lang, before=None):
    """After a row of Fri 13 (`before`), `who` silent since a call on Mon 16, the T+1 message
    on Tue 17 and the T+3 call on Thu 19 unanswered: the last message owed on Sat 21."""
    def tried(day, channel, outcome=""):
        return {**who, "Date": day, "Call type": "Follow-up", "Channel": channel, "Outcome": outcome, "Language": lang}

    rows = [*([{**who, "Date": "2026-11-13", "Language": lang, **before}] if before else []),
            {**who, "Date": "2026-11-16", "Call type": "Interview", "Outcome": "No answer", "Language": lang},
            tried("2026-11-17", ""), tried("2026-11-19", "Phone", "No answer")]
    [f] = overdue_json(typed_log(path, rows), "2026-11-21T09:00")
    assert (f["step"]["key"], f["status"]) == ("last", "due_today")
    return f["message"]


@pytest.mark.parametrize("lang", ["en", "ru", "zh", "ja"])
def test_the_last_message_to_a_client_keeps_the_candidates_in_mind(tmp_path, lang):
    # Found in review: the client's HR, silent after the report on Maria, got the
    # candidate's last message ("the opportunity is on hold"). Theirs: understanding, the
    # search on hold, the candidates kept in mind for them, the door open (seeds 001, 000).
    report = {"Call type": "Report sent", "Candidates": "Maria Lopez", "Outcome": "Done"}
    message = _last(tmp_path / "client.xlsx", JOHN, lang, report)
    assert FOR_CLIENT[lang] in message, message
    assert FOR_CANDIDATE[lang] not in message, message
    # The candidate's own thread keeps the candidate's message (seed 001).
    mine = _last(tmp_path / "candidate.xlsx", ANNA, lang)
    assert FOR_CANDIDATE[lang] in mine, mine
    assert FOR_CLIENT[lang] not in mine


# ---------------------------------------------------------------- any log: a row with no date is judged alone

_day = st.dates(min_value=date(2026, 11, 16), max_value=date(2026, 11, 28))
_rows = st.lists(st.builds(
    lambda day, hour, ct, outcome, who, candidate, nxt: CallRecord(
        sheet="Log", row=0, id="", call_type=ct, date=day, time=None if hour is None else time(hour),
        outcome=outcome, contact=who, client="Acme", next_contact=nxt,
        candidates=[Person(candidate)] if candidate else []),
    st.one_of(st.none(), _day), st.one_of(st.none(), st.integers(8, 19)),
    st.one_of(st.none(), st.sampled_from(CALL_TYPES)), st.sampled_from(("",) + OUTCOMES),
    st.sampled_from(["", "Anna", "Boris"]), st.sampled_from(["", "Anna", "Chen"]), st.one_of(st.none(), _day),
), max_size=12)


@settings(max_examples=150, deadline=None)
@given(rows=_rows, today=_day)
def test_the_rows_with_a_date_are_judged_as_if_those_without_one_were_not_there(rows, today):
    # The rule of a row with no date, on any log: it changes no other row's follow-up, and
    # it asks for its date unless its Next contact says when it is owed.
    config = load_config()
    moved = frozenset(config.section("followups")["confirm"]["moved_outcomes"])
    # An interview moved to the day in its Next contact stands at that slot, dated or not.
    records = [CallRecord(**{**r.__dict__, "row": n + 2, "id": str(n)}) for n, r in enumerate(rows)
               if r.date is not None or r.outcome not in moved]
    now = datetime.combine(today, time(12))

    def seen(fu):
        return fu.status, fu.step.key, fu.due, fu.flag, fu.anchor_row

    every = followups(records, config, now)
    dated = [r for r in records if r.date is not None]
    assert [seen(f) for f, r in zip(every, records) if r.date is not None] == list(map(seen, followups(dated, config, now)))
    for f, r in zip(every, records):
        if r.date is None and r.next_contact is None and (r.contact or r.candidates):
            assert (f.status, f.step.key) == ("no_next_action", "date")
