"""The follow-up engine: every rule of followups.yaml, judged at a fixed `now`.

Calendar of the tests (November 2026): Mon 16, Fri 20, Sat 21, Sun 22, Mon 23, Tue 24.
"""
from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import date, datetime, time, timedelta, timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tracker.config import LANGUAGES, WorkingCalendar, load_config
from tracker.errors import ConfigError
from tracker.followups import (
    FLAGS,
    FollowUp,
    SettingError,
    at_slot,
    check_settings,
    chase_today,
    flag_label,
    followup_problems,
    followups,
    highlight,
    open_followups,
    shift,
    status_label,
)
from tracker.model import CALL_TYPES, OUTCOMES, STATUSES, CallRecord, Person
from workbooks import typed_log

MON16, TUE17, WED18, THU19, FRI20, SAT21, SUN22, MON23, TUE24, WED25 = (
    date(2026, 11, d) for d in (16, 17, 18, 19, 20, 21, 22, 23, 24, 25))


pytestmark = pytest.mark.usefixtures("no_user_config")


@pytest.fixture(scope="module")
def config(tmp_path_factory):
    # Loaded once: the engine never changes a config.
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("XDG_CONFIG_HOME", str(tmp_path_factory.mktemp("no-user-config")))
        return load_config()


def cfg(**followups):
    return load_config(overrides={"followups": followups})


def at(day: date, hour: int = 10, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute))


def rec(row: int, day: date | None, call_type: str | None = "first_call", outcome: str = "", **kw) -> CallRecord:
    kw.setdefault("contact", "Anna Petrova")
    kw.setdefault("client", "Acme")
    return CallRecord(sheet="Log", row=row, id=f"C{row}", call_type=call_type, date=day,
                      outcome=outcome, **kw)


def judge(records, config, now) -> list[FollowUp]:
    out = followups(records, config, now)
    assert len(out) == len(records)
    assert [(f.sheet, f.row) for f in out] == [(r.sheet, r.row) for r in records]
    assert all(f.status in STATUSES for f in out)
    assert all(f.flag in FLAGS for f in out)
    assert all(f.days_overdue == 0 for f in out if f.status != "overdue")
    assert all((f.due is None) == (f.status in ("done", "no_next_action")) for f in out)
    return out


def last(records, config, now) -> FollowUp:
    return judge(records, config, now)[-1]


def steps(config):
    return config.section("followups")["steps"]


# ---------------------------------------------------------------- days

def test_shift_counts_working_days_and_never_lands_on_a_day_off():
    wd = WorkingCalendar(frozenset({1, 2, 3, 4, 5}))
    assert shift(FRI20, 1, wd) == MON23
    assert shift(FRI20, 3, wd) == WED25
    assert shift(MON23, -1, wd) == FRI20
    assert shift(SAT21, 0, wd) == MON23
    assert shift(FRI20, 1) == SAT21
    assert shift(MON23, -1) == SUN22


def test_shift_skips_holidays_as_it_skips_weekends():
    # Monday 23 and Tuesday 24 off: Friday + 1 working day is Wednesday, and back.
    wd = WorkingCalendar(frozenset({1, 2, 3, 4, 5}), frozenset({MON23, MON23 + timedelta(days=1)}))
    assert shift(FRI20, 1, wd) == WED25
    assert shift(WED25, -1, wd) == FRI20
    assert shift(SAT21, 0, wd) == WED25
    assert shift(FRI20, 1) == SAT21          # calendar days: no calendar, no holidays


def test_a_date_at_the_end_of_the_calendar_is_judged_not_a_crash(config):
    wd = WorkingCalendar(frozenset({1, 2, 3, 4, 5}))
    assert shift(date.max, 3) == shift(date.max, 3, wd) == date.max
    assert shift(date.min, -1) == shift(date.min, -1, wd) == date.min
    end, eve = date.max, date.max - timedelta(days=1)
    silent = last([rec(2, end, outcome="no_answer")], config, at(end))
    assert (silent.step.key, silent.due.date(), silent.status) == ("t1", end, "due_today")
    report = last([rec(2, eve, "report_sent")], config, at(eve))
    assert (report.step.key, report.status) == ("report_sms", "due_today")


# ---------------------------------------------------------------- the silence cadence

def test_silent_call_starts_the_cadence_from_its_day(config):
    r = rec(2, MON16, outcome="no_answer", position="Java developer")
    t1 = steps(config)["t1"]
    due_day = MON16 + timedelta(days=t1["day"])
    assert last([r], config, at(MON16)).status == "upcoming"
    f = last([r], config, at(due_day))
    assert (f.status, f.step.key, f.due, f.flag) == ("due_today", "t1", at(due_day, 0), "chase")
    assert f.step.channel == config.section("followups")["message_channel"]["en"]
    assert f.anchor_row == 2
    late = last([r], config, at(due_day + timedelta(days=2)))
    assert (late.status, late.days_overdue) == ("overdue", 2)


def test_a_chase_row_with_no_reply_starts_the_cadence_too(config):
    f = last([rec(2, MON16, "follow_up", "")], config, at(TUE17))
    assert (f.step.key, f.status) == ("t1", "due_today")


def test_logged_chase_rows_advance_the_cadence(config):
    rows = [rec(2, MON16, outcome="no_answer"),
            rec(3, TUE17, "follow_up", "", channel="sms")]
    out = judge(rows, config, at(THU19))
    assert out[0].status == "done"
    t3 = steps(config)["t3"]
    assert (out[1].step.key, out[1].due.date()) == ("t3", MON16 + timedelta(days=t3["day"]))
    assert out[1].status == "due_today"
    assert (out[1].step.channel, out[1].step.fallback) == (t3["channel"], t3["fallback"])


def test_the_call_and_e_mail_of_one_day_are_one_step(config):
    rows = [rec(2, MON16, outcome="no_answer"),
            rec(3, TUE17, "follow_up"),
            rec(4, THU19, "follow_up", "no_answer", channel="phone"),
            rec(5, THU19, "follow_up", "", channel="email")]
    f = last(rows, config, at(SAT21))
    last_step = steps(config)["last"]
    assert f.step.key == "last"
    assert f.due.date() == MON16 + timedelta(days=last_step["day"])
    # The last message has a window: still due, not overdue, until its last day.
    window_end = MON16 + timedelta(days=last_step["until"])
    assert f.overdue_after == window_end
    assert last(rows, config, at(window_end)).status == "due_today"
    after = last(rows, config, at(window_end + timedelta(days=1)))
    assert (after.status, after.days_overdue) == ("overdue", 1)


def test_the_thread_is_closed_as_ghosted_after_the_last_step(config):
    rows = [rec(2, MON16, outcome="no_answer"),
            rec(3, TUE17, "follow_up"),
            rec(4, THU19, "follow_up", "no_answer"),
            rec(5, SAT21, "follow_up", "", channel="wechat")]
    out = judge(rows, config, at(WED25))
    assert (out[-1].status, out[-1].flag, out[-1].due) == ("done", "ghosted", None)
    assert out[-1].message == ""
    assert chase_today(out) == []


def test_a_reply_stops_the_chase(config):
    rows = [rec(2, MON16, outcome="no_answer"),
            rec(3, WED18, "follow_up", "replied")]
    out = judge(rows, config, at(FRI20))
    assert out[0].status == "done"
    assert (out[1].status, out[1].flag, out[1].due) == ("no_next_action", "", None)


def test_a_later_contact_that_is_not_a_chase_stops_it(config):
    rows = [rec(2, MON16, outcome="no_answer"),
            rec(3, WED18, "interview", "attended")]
    f = last(rows, config, at(FRI20))
    assert f.step.key not in ("t1", "t3", "last")
    assert f.flag == ""


def test_a_late_step_pushes_the_next_one_back(config):
    # t1 sent on T+3: the t3 call is not made the same day, nor the next: the sequence's
    # gap from t1 to t3 (2 days) is kept after the late step (cadence.keep_gaps).
    rows = [rec(2, MON16, outcome="no_answer"), rec(3, THU19, "follow_up")]
    f = last(rows, config, at(THU19))
    assert (f.step.key, f.due.date(), f.status) == ("t3", THU19 + timedelta(days=2), "upcoming")


def test_working_day_cadence_skips_the_weekend():
    config = cfg(count="working")
    r = rec(2, FRI20, outcome="no_answer")
    f = last([r], config, at(SAT21))
    assert (f.step.key, f.due.date(), f.status) == ("t1", MON23, "upcoming")
    calendar = last([r], cfg(count="calendar"), at(SAT21))
    assert (calendar.due.date(), calendar.status) == (SAT21, "due_today")
    rows = [r, rec(3, MON23, "follow_up")]
    assert last(rows, config, at(MON23)).due.date() == WED25  # T+3 working days


def test_cadence_numbers_come_from_the_config():
    config = cfg(steps={"t1": {"day": 2}})
    f = last([rec(2, MON16, outcome="no_answer")], config, at(WED18))
    assert (f.step.key, f.due.date(), f.status) == ("t1", WED18, "due_today")


# ---------------------------------------------------------------- explicit next contact

def test_an_explicit_next_contact_wins_over_the_cadence(config):
    r = rec(2, MON16, outcome="no_answer", next_contact=TUE24, next_step="Send the contract")
    f = last([r], config, at(FRI20))
    assert (f.status, f.step.key, f.due, f.timed) == ("upcoming", "next_contact", at(TUE24, 0), False)
    assert f.step.action == "Send the contract"
    assert last([r], config, at(TUE24, 23, 59)).status == "due_today"
    late = last([r], config, at(WED25, 0, 1))
    assert (late.status, late.days_overdue) == ("overdue", 1)


def test_the_next_contact_date_of_the_standard_comment_is_due_when_the_column_has_none(config):
    # The first call's standard comment ends with "Next Contact Date:": written there and
    # nowhere else, the row asked to decide what is next.
    notes = "Company Name: Acme\nNext Step: send CVs\nNext Contact Date: 24.11.2026 15:00\nSM: Olga"
    f = last([rec(2, MON16, outcome="done", notes=notes, next_step="Send CVs")], config, at(FRI20))
    assert (f.status, f.step.key, f.due, f.timed) == ("upcoming", "next_contact", at(TUE24, 15), True)
    assert f.step.action == "Send CVs"
    ru = "Название компании: ООО Один\nДата следующего контакта: 24.11.2026"
    assert last([rec(2, MON16, outcome="done", notes=ru)], config, at(TUE24)).status == "due_today"
    # Words, not a date: nothing is due, as before; and the column wins over the notes.
    words = last([rec(2, MON16, outcome="done", notes="Next Contact Date: keep in touch by email")], config, at(FRI20))
    assert (words.status, words.step.key) == ("no_next_action", "plan")
    both = last([rec(2, MON16, outcome="done", notes=notes, next_contact=WED25)], config, at(FRI20))
    assert both.due == at(WED25, 0)
    # In a log typed month first, the notes' date is read month first too (found by a review).
    us = rec(2, MON16, outcome="done", notes="Next Contact Date: 11/24/2026")
    assert last([us], config, at(FRI20)).due == at(TUE24, 0)
    us = rec(2, MON16, outcome="done", notes="Next Contact Date: 12/01/2026")
    assert followups([us], config, at(FRI20), date_order="mdy")[0].due == datetime(2026, 12, 1)


@pytest.mark.parametrize("written, called, due, timed", [
    ("24.11", MON16, datetime(2026, 11, 24), False),
    ("24.11 15:00", MON16, datetime(2026, 11, 24, 15), True),
    ("24 ноября", MON16, datetime(2026, 11, 24), False),
    ("11月24日", MON16, datetime(2026, 11, 24), False),
    ("Nov 24", MON16, datetime(2026, 11, 24), False),
    ("16.11", MON16, datetime(2026, 11, 16), False),                # the call's own day
    ("05.01", date(2026, 12, 28), datetime(2027, 1, 5), False),     # written in December: January's
])
def test_a_next_contact_date_without_its_year_in_the_notes_is_the_first_such_day_from_the_call(
        config, written, called, due, timed):
    # Typed in a hurry under the standard comment's "Next Contact Date:", the year left
    # out: it was read as words (no next action), the follow-up lost.
    f = last([rec(2, called, outcome="done", notes=f"Company Name: Acme\nNext Contact Date: {written}")],
             config, at(FRI20))
    assert (f.step.key, f.due, f.timed) == ("next_contact", due, timed)
    # Not a date at all, still words: nothing is due.
    f = last([rec(2, MON16, outcome="done", notes="Next Contact Date: 2 decisions pending")], config, at(FRI20))
    assert (f.status, f.step.key) == ("no_next_action", "plan")
    # A slash date in the log's own order: 11/24 month first in a US log, 24/11 day first.
    us = rec(2, MON16, outcome="done", notes="Next Contact Date: 11/24")
    assert followups([us], config, at(FRI20), date_order="mdy")[0].due == datetime(2026, 11, 24)
    assert last([rec(2, MON16, outcome="done", notes="Next Contact Date: 24/11")], config, at(FRI20)).due == \
        datetime(2026, 11, 24)
    # A row in Chinese writes its dates year first: less its year, 11/24 is month first.
    zh = rec(2, MON16, outcome="done", notes="下次联系日期：11/24", language="zh")
    assert last([zh], config, at(FRI20)).due == datetime(2026, 11, 24)


def test_a_thread_ending_closed_is_done_with_its_latest_rows_own_flag():
    # The latest row closed (hired, rejected, ghosted...) is done whatever the rows before
    # it, flagged by its own outcome; the rows before it are settled, flagged as such: here
    # a rejection that is also a reason outcome is "likely rejected" on a settled row only.
    config = cfg(reason={"types": ["repeat_call"], "outcomes": ["cancelled", "rejected"]})
    records = [
        rec(2, MON16, "repeat_call", "rejected", contact="Ann", candidates=[Person("Ann")]),
        rec(3, TUE17, "repeat_call", "rejected", contact="Ann", candidates=[Person("Ann")]),
        rec(4, MON16, "follow_up", "no_answer", contact="Bob"),
        rec(5, WED18, "follow_up", "ghosted", contact="Bob"),
        rec(6, WED18, "first_call", "hired", contact="Cid"),
        rec(7, THU19, "follow_up", "no_answer", contact="Dan"),
    ]
    now = at(FRI20)
    expected = [("done", "likely_rejected"), ("done", ""), ("done", ""), ("done", "ghosted"), ("done", ""),
                ("due_today", "chase")]
    assert [(f.status, f.flag) for f in judge(records, config, now)] == expected
    # The same from the columns a log read from a file passes (the outcomes decide it).
    columns = {"threads": [r.thread for r in records], "dates": [r.date for r in records],
               "outcomes": [r.outcome for r in records]}
    assert [(f.status, f.flag) for f in followups(records, config, now, **columns)] == expected
    assert [f.row for f in open_followups(records, config, now, **columns)] == [7]


def test_each_row_reads_its_own_notes_when_rows_of_the_log_share_lines(config):
    # A log's notes repeat lines from row to row (an agenda, a candidate's summary), and
    # the engine works out each line's key once for the whole log: a line met again on
    # another row must answer there as on its first, with or without a date after it.
    agenda = "Повестка: потребность в удалённых сотрудниках, наши цены, следующий шаг."
    date_line = "Next Contact Date: 24.11.2026"
    rows = [
        rec(2, MON16, outcome="done", contact="Ann", notes=f"{agenda}\n{date_line}"),
        rec(3, MON16, outcome="done", contact="Bob", notes=agenda),   # only lines met before, no date
        rec(4, MON16, outcome="done", contact="Cid", notes=f"{date_line}\n{agenda}"),   # the date line met again
        rec(5, MON16, outcome="done", contact="Dan", notes=f"{agenda}\nNext Contact Date: keep in touch by email"),
        rec(6, MON16, outcome="done", contact="Eve", notes=f"Company Name: Acme\n{agenda}\nNext contact: 25.11.2026"),
        rec(7, MON16, outcome="done", contact="Fay", notes=f"{agenda}\nCompany Name: Acme"),
    ]
    out = judge(rows, config, at(FRI20))
    assert [(f.row, f.status, f.step.key, f.due) for f in out] == [
        (2, "upcoming", "next_contact", at(TUE24, 0)),
        (3, "no_next_action", "plan", None),
        (4, "upcoming", "next_contact", at(TUE24, 0)),
        (5, "no_next_action", "plan", None),
        (6, "upcoming", "next_contact", at(WED25, 0)),
        (7, "no_next_action", "plan", None),
    ]
    # Each row as it is judged alone.
    assert [(f.status, f.step.key, f.due) for f in out] == [
        (f.status, f.step.key, f.due) for f in (last([r], config, at(FRI20)) for r in rows)]


@pytest.mark.parametrize("kind, raw, notes, done", [
    (None, "", "--- November ---", True),        # a heading row: no call type, no one named
    (None, "", "Total: 12 calls", True),          # a totals row
    (None, "Frobnicate", "", False),              # a call type mistyped: still a call, still asked
    ("first_call", "First call", "", False),      # a call with no one named yet: asked for a next step
])
def test_a_row_with_no_call_type_naming_no_one_is_no_call(config, kind, raw, notes, done):
    r = rec(2, MON16, kind, contact="", client="", call_type_raw=raw, notes=notes)
    f = last([r], config, at(FRI20))
    assert (f.status == "done") is done and f.flag == ""
    # Anything planned or tried on it (found by a review) keeps it a call.
    for kw in ({"next_contact": FRI20}, {"outcome": "no_answer"}, {"phone": "+7 900 000-00-00"}):
        assert last([rec(2, MON16, kind, contact="", client="", call_type_raw=raw, notes=notes, **kw)],
                    config, at(FRI20)).status != "done", kw


def test_a_timed_next_contact_is_due_all_that_day(config):
    r = rec(2, MON16, outcome="done", next_contact=at(TUE24, 15))
    f = last([r], config, at(TUE24, 16))
    assert (f.status, f.due, f.timed, f.days_overdue) == ("due_today", at(TUE24, 15), True, 0)
    assert f.step.action == steps(config)["next_contact"]["action"]["en"]


def test_a_later_row_supersedes_an_earlier_next_contact(config):
    rows = [rec(2, MON16, outcome="done", next_contact=WED18),
            rec(3, THU19, outcome="done", next_contact=TUE24)]
    out = judge(rows, config, at(FRI20))
    assert out[0].status == "done"
    assert (out[1].status, out[1].due.date()) == ("upcoming", TUE24)


# ---------------------------------------------------------------- candidate report

def test_report_sent_day_0_is_the_sms(config):
    r = rec(2, MON16, "report_sent", contact="Sophie", candidates=[Person("Karl Liu")])
    f = last([r], config, at(MON16))
    assert (f.status, f.step.key, f.step.channel) == ("due_today", "report_sms", steps(config)["report_sms"]["channel"])
    assert "Karl Liu" in f.message and "Sophie" in f.message


def test_report_sent_day_2_is_the_call_even_if_the_sms_was_not_logged(config):
    r = rec(2, MON16, "report_sent", contact="Sophie", candidates=[Person("Karl Liu")])
    call_day = MON16 + timedelta(days=steps(config)["report_call"]["day"])
    f = last([r], config, at(call_day))
    assert (f.status, f.step.key, f.step.channel) == ("due_today", "report_call", "phone")
    assert "Karl Liu" in f.message and "2" in f.message
    assert last([r], config, at(call_day + timedelta(days=1))).days_overdue == 1


@pytest.mark.parametrize("contact", ["", "Karl Liu"])
def test_a_reports_calls_greet_the_client_never_the_candidate(config, contact):
    # Found by a tester: with Contact blank, or holding the candidate, the client's SMS
    # and call read "Hello Karl Liu ... I sent you the candidate Karl Liu".
    r = rec(2, MON16, "report_sent", contact=contact, client="Beta Corp", candidates=[Person("Karl Liu", "E7")])
    call_day = MON16 + timedelta(days=steps(config)["report_call"]["day"])
    for day in (MON16, call_day):
        f = last([r], config, at(day))
        assert f.step.key in ("report_sms", "report_call") and f.who == "Beta Corp", (f.who, f.message)
        assert not f.message.split(",")[0].endswith("Karl Liu"), f.message


def test_the_reason_call_with_no_contact_greets_the_client(config):
    r = rec(2, FRI20, "repeat_call", "cancelled", time=time(16), contact="", client="Beta Corp",
            candidates=[Person("Tanaka")])
    f = last([r], config, at(MON23))
    assert f.step.key == "reason" and f.who == "Beta Corp" and "Tanaka," not in f.message.split("\n")[0]


def test_a_report_sent_before_an_interview_of_other_candidates_still_owes_its_call(config):
    # Found by a tester: a report on Petr sent to Mr Wang, who has an interview of Ivan
    # booked for next week, was marked done: the SMS and the day-2 call never came.
    booked = rec(2, MON23, "interview", "planned", time=time(14), contact="Mr Wang", candidates=[Person("Ivan")])
    report = rec(3, TUE17, "report_sent", "done", contact="Mr Wang", candidates=[Person("Petr")])
    call_day = TUE17 + timedelta(days=steps(config)["report_call"]["day"])
    got = {f.row: f for f in judge([booked, report], config, at(call_day, 12))}
    assert (got[3].step.key, got[3].status) == ("report_call", "due_today")
    assert got[2].step.key == "confirm_eve"
    # An interview booked for the report's own candidate is the client's answer.
    answered = rec(2, MON23, "interview", "planned", time=time(14), contact="Mr Wang", candidates=[Person("Petr")])
    got = {f.row: f for f in judge([answered, report], config, at(call_day, 12))}
    assert got[3].status == "done"


def test_a_report_with_its_next_contact_written_owes_the_reports_call_that_day(config):
    """Seed 000: wait 2 days, then phone. The day the consultant wrote as the report's
    Next contact is the day of that call, with its channel and draft (not "E-mail: get
    in touch"), in the consultant's own words when they wrote a Next step."""
    call_day = MON16 + timedelta(days=3)   # the consultant's own day wins over the default 2
    report = dict(contact="Sophie", candidates=[Person("Karl Liu")], channel="email", next_contact=call_day)
    f = last([rec(2, MON16, "report_sent", **report)], config, at(call_day))
    assert (f.status, f.step.key, f.step.channel, f.due.date()) == ("due_today", "report_call", "phone", call_day)
    assert f.step.action == steps(config)["report_call"]["action"]["en"]
    assert "Karl Liu" in f.message and "3 days ago" in f.message
    assert last([rec(2, MON16, "report_sent", **report)], config, at(call_day - timedelta(days=1))).step.key != "report_call"
    own = last([rec(2, MON16, "report_sent", next_step="Ask about the second candidate too", **report)],
               config, at(call_day))
    assert (own.step.key, own.step.action) == ("report_call", "Ask about the second candidate too")
    # The SMS of day 0 logged: the call still waits for the day written.
    sms = rec(3, MON16, "follow_up", "", contact="Sophie", channel="sms")
    f = last([rec(2, MON16, "report_sent", **report), sms], config, at(call_day - timedelta(days=1)))
    assert (f.step.key, f.status, f.due.date()) == ("report_call", "upcoming", call_day)
    # The call made that day, unanswered: the cadence starts from it (T+1 the day after).
    no_answer = rec(3, call_day, "follow_up", "no_answer", contact="Sophie", channel="phone")
    f = last([rec(2, MON16, "report_sent", **report), no_answer], config, at(call_day + timedelta(days=1)))
    assert (f.step.key, f.status) == ("t1", "due_today")
    # A call written for two weeks on: the SMS is owed on its days, not all the way there.
    far = dict(report, next_contact=MON16 + timedelta(days=14))
    seen = [last([rec(2, MON16, "report_sent", **far)], config, at(MON16 + timedelta(days=d))) for d in (1, 3, 10, 14)]
    assert [(f.step.key, f.status) for f in seen] == [
        ("report_sms", "due_today"), ("report_call", "upcoming"), ("report_call", "upcoming"), ("report_call", "due_today")]
    # A time written with the day is the call's time.
    timed = dict(report, next_contact=datetime.combine(call_day, time(15, 30)))
    f = last([rec(2, MON16, "report_sent", **timed)], config, at(call_day, 9))
    assert (f.due, f.timed) == (datetime.combine(call_day, time(15, 30)), True)
    # The client answered in between: the day written is kept, as any agreed contact.
    replied = rec(3, TUE17, "follow_up", "replied", contact="Sophie")
    f = last([rec(2, MON16, "report_sent", **report), replied], config, at(call_day))
    assert (f.step.key, f.status) == ("next_contact", "due_today")


def test_a_reports_optional_sms_is_owed_until_the_call_never_overdue_then_due_again(config):
    """Status moves upcoming -> due today -> overdue, never back, while nothing is logged:
    the SMS of day 0 gives way to the call of day 2, so it is not red on day 1."""
    r = rec(2, MON16, "report_sent", contact="Sophie")
    seen = [(f.step.key, f.status) for f in (last([r], config, at(MON16 + timedelta(days=d))) for d in range(5))]
    assert seen == [("report_sms", "due_today"), ("report_sms", "due_today"), ("report_call", "due_today"),
                    ("report_call", "overdue"), ("report_call", "overdue")], seen
    # The sheet's Due (the window's last day) reaches the call's day: between refreshes
    # the colour rules keep the row amber through it, red only once the call is late.
    call_day = MON16 + timedelta(days=steps(config)["report_call"]["day"])
    assert last([r], config, at(MON16 + timedelta(days=1))).overdue_after == call_day


def test_a_second_unanswered_try_on_day_0_is_not_the_t1_step(config):
    """followups.yaml: T is the day of the first silent row, several rows on one day are
    one; a second call that day unanswered must not stand for the T+1 message."""
    once = [rec(2, MON16, outcome="no_answer", time=time(10, 0))]
    twice = once + [rec(3, MON16, outcome="no_answer", time=time(16, 0))]
    for rows in (once, twice):
        f = last(rows, config, at(TUE17))
        assert (f.step.key, f.status, f.due.date()) == ("t1", "due_today", TUE17), rows


def test_report_with_the_sms_logged_waits_for_day_2(config):
    rows = [rec(2, MON16, "report_sent", contact="Sophie"),
            rec(3, MON16, "follow_up", "", contact="Sophie", channel="sms")]
    out = judge(rows, config, at(TUE17))
    assert out[0].status == "done"
    assert (out[1].step.key, out[1].status, out[1].due.date()) == ("report_call", "upcoming", WED18)


def test_an_unanswered_report_call_falls_into_the_cadence(config):
    rows = [rec(2, MON16, "report_sent", contact="Sophie"),
            rec(3, WED18, "follow_up", "no_answer", contact="Sophie", channel="phone")]
    f = last(rows, config, at(THU19))
    assert (f.step.key, f.status, f.anchor_row) == ("t1", "due_today", 3)


def test_a_client_reply_ends_the_report_follow_up(config):
    rows = [rec(2, MON16, "report_sent", contact="Sophie"),
            rec(3, TUE17, "follow_up", "replied", contact="Sophie")]
    assert last(rows, config, at(WED18)).status == "no_next_action"


# ---------------------------------------------------------------- interviews

def interview(day, hour=14, outcome="planned", **kw):
    kw.setdefault("contact", "Ivan Sidorov")
    kw.setdefault("candidates", [Person("Ivan Sidorov")])
    return rec(2, day, "interview", outcome, time=time(hour), **kw)


def test_interview_tomorrow_needs_a_confirmation_call_today(config):
    f = last([interview(TUE24)], config, at(MON23, 9))
    assert (f.status, f.step.key, f.due.date(), f.step.channel) == ("due_today", "confirm_eve", MON23, "phone")
    assert "Ivan Sidorov" in f.message and "14:00" in f.message


@pytest.mark.parametrize("lang, greeting", [("en", "Hi {}, a quick"), ("zh", "{}您好"), ("ja", "{}様、")])
def test_two_candidates_are_greeted_as_each_language_lists_names(config, lang, greeting):
    people = [Person("王芳" if lang != "en" else "Wang Fang"), Person("李雷" if lang != "en" else "Li Lei")]
    f = last([interview(TUE24, candidates=people, language=lang)], config, at(MON23, 9))
    assert f.step.key == "confirm_eve" and f.who == ("Wang Fang, Li Lei" if lang == "en" else "王芳、李雷")
    assert all(f.message.count(greeting.format(p.name)) == 1 for p in people), f.message


def test_interview_after_a_weekend_is_confirmed_on_the_last_working_day(config):
    r = interview(MON23)
    assert last([r], config, at(FRI20)).status == "due_today"
    early = last([r], config, at(THU19))
    assert (early.status, early.due.date()) == ("upcoming", FRI20)
    # Counted in calendar days, the day before a Monday is the Sunday.
    calendar = last([r], cfg(confirm={"count": "calendar"}), at(FRI20))
    assert (calendar.status, calendar.due.date()) == ("upcoming", SUN22)


def test_a_confirmed_interview_is_upcoming_at_its_time(config):
    rows = [interview(TUE24), rec(3, MON23, "follow_up", "confirmed", contact="Ivan Sidorov")]
    out = judge(rows, config, at(MON23, 11))
    # The interview is the thread's latest row (Tuesday); Monday's confirmation settles the eve call.
    assert out[1].status == "done"
    assert (out[0].status, out[0].step.key, out[0].due, out[0].timed) == ("upcoming", "planned", at(TUE24, 14), True)
    assert last([interview(TUE24, outcome="confirmed")], config, at(TUE24, 8)).status == "due_today"


def test_a_client_seeing_two_candidates_owes_each_the_call_the_day_before(config):
    # The client's contact is the thread: Ivan's interview on Tuesday used to be settled by
    # Lin's on Wednesday, logged after it, and his confirmation call was never listed.
    ivan = rec(2, TUE24, "interview", time=time(14), candidates=[Person("Ivan Sidorov", "E1")])
    lin = rec(3, WED25, "interview", time=time(11), candidates=[Person("Lin Wei", "E2")])
    out = judge([ivan, lin], config, at(MON23, 9))
    assert [(f.status, f.step.key, f.due.date()) for f in out] == [
        ("due_today", "confirm_eve", MON23), ("upcoming", "confirm_eve", TUE24)]
    assert "Ivan Sidorov" in out[0].message and "Lin Wei" in out[1].message
    # Whom to call is the candidate the draft greets, not the client's contact of the row.
    assert [f.who for f in out] == ["Ivan Sidorov", "Lin Wei"]
    # ...also when the thread's latest row names no candidate (found by a review).
    notice = rec(2, WED18, "interview_notice", "done", candidates=[Person("Ivan Sidorov")], next_contact=at(TUE24, 11))
    f = judge([notice, rec(3, FRI20, "follow_up", "replied")], config, at(MON23, 9))[1]
    assert f.step.key == "confirm_eve" and f.who == "Ivan Sidorov" and "Ivan Sidorov" in f.message
    # Logged the other way round, in date order all the same.
    assert [f.status for f in judge([lin, ivan], config, at(MON23, 9))] == ["upcoming", "due_today"]
    # Ivan's interview past: his row is settled; Lin's call, not made on Tuesday, is late.
    assert [f.status for f in judge([ivan, lin], config, at(WED25, 9))] == ["done", "overdue"]


@pytest.mark.parametrize("later", [
    rec(3, WED25, "interview", time=time(11), candidates=[Person("ivan  sidorov")]),   # moved to Wednesday
    rec(3, WED25, "interview", time=time(11)),                                          # no candidates named
])
def test_an_interview_is_settled_by_the_same_candidates_again(config, later):
    ivan = rec(2, TUE24, "interview", time=time(14), candidates=[Person("Ivan Sidorov", "E1")])
    out = judge([ivan, later], config, at(MON23, 9))
    assert out[0].status == "done" and out[1].status != "done"


def test_each_appointment_still_to_come_keeps_its_own_status_whatever_is_booked_after_it(config):
    # Found trying the product: a client's introductory call on Tuesday, then an interview
    # the same client holds on Wednesday. The Tuesday call was marked done on Monday, and
    # nothing asked for it; an interview followed by an introductory call lost its
    # confirmation call the same way.
    intro = rec(2, TUE24, "introductory_call", "planned", time=time(11), candidates=[Person("Anna Koval", "E88")])
    interview = rec(3, WED25, "interview", "planned", time=time(9, 30), candidates=[Person("Oleg Vasin", "E101")])
    out = judge([intro, interview], config, at(MON23, 9))
    assert [(f.status, f.step.key, f.due) for f in out] == [
        ("upcoming", "planned", at(TUE24, 11)), ("upcoming", "confirm_eve", at(TUE24, 0))]
    interview = rec(2, TUE24, "interview", "planned", time=time(15), candidates=[Person("Petr Ivanov", "E5")])
    intro = rec(3, WED25, "introductory_call", "", time=time(10), candidates=[Person("Petr Ivanov", "E5")])
    out = judge([interview, intro], config, at(MON23, 9))
    assert [(f.status, f.step.key) for f in out] == [("due_today", "confirm_eve"), ("upcoming", "planned")]
    # Once the first is past, the later row settles it as before.
    assert judge([interview, intro], config, at(WED25, 9))[0].status == "done"


@pytest.mark.parametrize("first, second", [
    (rec(2, TUE24, "first_call", "planned", time=time(11)), rec(3, WED25, "first_call", "planned", time=time(11))),
    (rec(2, MON23, "first_call", "", time=time(8)), rec(3, WED25, "interview", "planned", time=time(11))),
])
def test_a_call_moved_or_the_call_that_booked_what_follows_is_settled(config, first, second):
    # The same call type again is the call moved; a call of today left blank is most often
    # the one where what follows was booked.
    out = judge([first, second], config, at(MON23, 9))
    assert out[0].status == "done" and out[1].status != "done"


def test_interview_notice_confirms_the_interview_on_its_next_contact_date(config):
    notice = rec(2, WED18, "interview_notice", "done", contact="Ivan Sidorov",
                 next_contact=at(TUE24, 11))
    f = last([notice], config, at(MON23))
    assert (f.step.key, f.status, f.due.date()) == ("confirm_eve", "due_today", MON23)
    # A question from the candidate in between does not cancel the interview.
    rows = [notice, rec(3, FRI20, "follow_up", "replied", contact="Ivan Sidorov")]
    out = judge(rows, config, at(MON23))
    assert out[0].status == "done"
    assert (out[1].step.key, out[1].status, out[1].anchor_row) == ("confirm_eve", "due_today", 2)
    # "Confirmed" on the notice row is the candidate accepting the invitation days ahead,
    # not the call the day before, which the notice itself promises (found trying the
    # product as a Russian consultant: no call was asked for).
    accepted = rec(2, WED18, "interview_notice", "confirmed", contact="Ivan Sidorov", next_contact=at(TUE24, 11))
    f = last([accepted], config, at(MON23))
    assert (f.step.key, f.status) == ("confirm_eve", "due_today")
    # Booked late, on the eve itself, "Confirmed" is that call.
    late = rec(2, MON23, "interview_notice", "confirmed", contact="Ivan Sidorov", next_contact=at(TUE24, 11))
    assert last([late], config, at(MON23, 12)).step.key == "planned"


def test_one_call_the_day_before_when_the_notice_and_the_interview_are_both_logged(config):
    # Found trying the product as a Russian consultant: the notice row (thread: the
    # candidate) and the interview row (thread: the client's contact) each asked for the
    # call to confirm Oleg's interview, and the chase list showed it twice.
    notice = rec(2, WED18, "interview_notice", "done", contact="Oleg Vasin", next_contact=at(TUE24, 11))
    interview = rec(3, TUE24, "interview", "planned", time=time(11), contact="Mary Major",
                    candidates=[Person("Oleg Vasin", "E101")])
    out = judge([notice, interview], config, at(MON23))
    assert [(f.status, f.step.key if f.status != "done" else "") for f in out] == [
        ("done", ""), ("due_today", "confirm_eve")]
    assert len(chase_today(out)) == 1
    from tracker.followups import open_followups   # what overdue lists: the same one call

    assert [f.row for f in open_followups([notice, interview], config, at(MON23))] == [3]
    # Another candidate's interview that day does not settle Oleg's notice.
    other = rec(3, TUE24, "interview", "planned", time=time(11), contact="Mary Major",
                candidates=[Person("Lin Wei", "E102")])
    assert [f.status for f in judge([notice, other], config, at(MON23))] == ["due_today", "due_today"]


def test_no_answer_does_not_call_off_a_booked_interview(config):
    # The notice on Wednesday books Tuesday's interview; Thursday's call gets no answer.
    notice = rec(2, WED18, "interview_notice", "done", contact="Ivan Sidorov", next_contact=at(TUE24, 11))
    rows = [notice, rec(3, THU19, "repeat_call", "no_answer", contact="Ivan Sidorov")]
    for day, status in ((FRI20, "upcoming"), (MON23, "due_today")):
        f = last(rows, config, at(day))
        assert (f.step.key, f.status, f.due.date(), f.anchor_row, f.flag) == ("confirm_eve", status, MON23, 2, "")
    # Past the interview, with nothing logged since: how did it go?
    after = last(rows, config, at(WED25))
    assert (after.step.key, after.status, after.anchor_row) == ("outcome", "no_next_action", 2)
    # Silent after the interview, or after a cancellation: the chase.
    later = last(rows + [rec(4, WED25, "follow_up", "no_answer", contact="Ivan Sidorov")], config, at(WED25))
    assert (later.flag, later.step.key) == ("chase", "t3")
    cancelled = [notice, rec(3, THU19, "follow_up", "cancelled", contact="Ivan Sidorov"),
                 rec(4, FRI20, "repeat_call", "no_answer", contact="Ivan Sidorov")]
    assert last(cancelled, config, at(SAT21)).step.key == "t1"


def test_a_notice_past_its_interview_asks_for_the_outcome(config):
    notice = rec(2, WED18, "interview_notice", "done", contact="Ivan Sidorov", next_contact=at(FRI20, 11))
    f = last([notice], config, at(MON23))
    assert (f.step.key, f.status, f.anchor_row) == ("outcome", "no_next_action", 2)


def test_a_confirmation_call_logged_today_is_made_not_owed(config):
    notice = rec(2, WED18, "interview_notice", "done", contact="Ivan Sidorov", next_contact=at(MON23, 11))
    call = rec(3, FRI20, "follow_up", "confirmed", time=time(10, 30), contact="Ivan Sidorov")
    for now in (at(FRI20, 11), at(FRI20, 18), at(SAT21)):
        out = judge([notice, call], config, now)
        assert out[0].status == "done"
        assert (out[1].step.key, out[1].status, out[1].due, out[1].anchor_row) == ("planned", "upcoming", at(MON23, 11), 2)
    # With nothing booked, a call of today someone confirmed is still to be held.
    alone = last([rec(2, FRI20, "first_call", "confirmed", time=time(15))], config, at(FRI20, 9))
    assert (alone.step.key, alone.status, alone.due) == ("planned", "due_today", at(FRI20, 15))


def test_a_cancellation_after_the_notice_drops_the_interview(config):
    rows = [rec(2, WED18, "interview_notice", "done", contact="Ivan Sidorov", next_contact=TUE24),
            rec(3, FRI20, "follow_up", "cancelled", contact="Ivan Sidorov")]
    f = last(rows, config, at(MON23))
    assert (f.status, f.step.key, f.due) == ("no_next_action", "plan", None)


def test_an_interview_booked_for_the_same_day_is_confirmed_that_day_not_overdue(config):
    notice = rec(2, TUE24, "interview_notice", "done", contact="Ivan Sidorov",
                 next_contact=at(TUE24, 17))
    f = last([notice], config, at(TUE24, 9))
    assert (f.step.key, f.status, f.due.date(), f.days_overdue) == ("confirm_eve", "due_today", TUE24, 0)


def test_an_interview_past_its_hour_today_is_no_longer_to_be_confirmed(config):
    # Found by a tester: at 16:00 a 14:00 interview of today was still "Overdue: call the
    # candidate to confirm they will attend", in the list, the Chase today sheet and the digest.
    r = rec(2, TUE24, "interview", "planned", time=time(14), contact="Mr Wang", candidates=[Person("Ivan Petrov")])
    assert last([r], config, at(TUE24, 13)).step.key == "confirm_eve"
    after = last([r], config, at(TUE24, 16))
    assert after.step.key != "confirm_eve" and after.due == at(TUE24, 14)


def test_an_interview_marked_rescheduled_is_confirmed_the_day_before_its_new_slot(config):
    # Found by a tester: the interview row marked Rescheduled, its new slot in Next
    # contact (as `tracker notice` tells users to do), asked to "get in touch as agreed"
    # at the new time: no call the day before it (seed 004).
    thu26, fri27 = WED25 + timedelta(days=1), WED25 + timedelta(days=2)
    moved = interview(MON23, outcome="rescheduled", next_contact=datetime.combine(thu26, time(14)))
    f = last([moved], config, at(TUE24))
    assert (f.step.key, f.status, f.due.date()) == ("confirm_eve", "upcoming", WED25)
    assert last([moved], config, at(WED25)).status == "due_today"
    after = last([moved], config, at(fri27))
    assert (after.step.key, after.status) == ("outcome", "no_next_action")


def test_a_confirmation_logged_against_the_candidate_confirms_the_clients_interview_row(config):
    # Found by a tester: the call the day before, logged as a Follow-up with the candidate
    # as its Contact (their own thread), left the interview row (the client's contact's
    # thread) "Overdue: call the candidate to confirm" until the interview.
    booked = rec(2, TUE24, "interview", "planned", time=time(14), contact="Mr Wang",
                 candidates=[Person("Ivan Petrov", "E7")])
    confirmed = rec(3, MON23, "follow_up", "confirmed", contact="Ivan Petrov")
    got = {f.row: f for f in judge([booked, confirmed], config, at(MON23, 12))}
    assert got[2].step.key != "confirm_eve" and got[2].status == "upcoming"
    # Before that call, the confirmation is owed.
    assert last([booked], config, at(MON23, 12)).step.key == "confirm_eve"


def test_a_second_round_called_off_on_the_candidates_own_thread_is_not_still_to_hold(config):
    # Found by a tester (seed 003): the candidate's call at 15:00 cancelling the 16:00
    # second round, logged with the candidate as its Contact, left the round "Overdue:
    # call the candidate to confirm", then "Hold the planned call" after it was gone.
    round2 = rec(2, FRI20, "repeat_call", "planned", time=time(16), contact="Mr Wang",
                 candidates=[Person("Ivan Petrov", "E77")])
    call = rec(3, FRI20, "repeat_call", "cancelled", time=time(15), contact="Ivan Petrov",
               candidates=[Person("Ivan Petrov", "E77")])
    got = {f.row: f for f in judge([round2, call], config, at(FRI20, 15, 30))}
    assert got[2].status == "done"
    assert (got[3].flag, got[3].step.key) == ("likely_rejected", "reason")
    # Without the call, the round still stands; a cancellation after its time is another matter.
    assert last([round2], config, at(FRI20, 15, 30)).status != "done"
    late = rec(3, FRI20, "repeat_call", "cancelled", time=time(17), contact="Ivan Petrov")
    assert {f.row: f for f in judge([round2, late], config, at(FRI20, 15, 30))}[2].status != "done"


def test_a_past_interview_with_no_outcome_asks_for_one(config):
    f = last([interview(THU19)], config, at(FRI20))
    assert (f.status, f.step.key, f.due) == ("no_next_action", "outcome", None)


# ---------------------------------------------------------------- cancelled later round

def test_cancelled_second_round_is_likely_rejected(config):
    r = rec(2, FRI20, "repeat_call", "cancelled", time=time(16), contact="Tanaka",
            candidates=[Person("Tanaka")])
    f = last([r], config, at(FRI20, 17))
    assert (f.flag, f.step.key, f.due.date(), f.status) == ("likely_rejected", "reason", MON23, "upcoming")
    assert last([r], config, at(MON23)).status == "due_today"
    assert last([r], config, at(TUE24)).days_overdue == 1


def test_the_reason_call_greets_the_client_side_never_the_candidate(config):
    # Found trying the product: with the candidate in the Contact column, the draft asked
    # Виктория why she had stopped herself, "с Виктория Гусева" (no declension) in Russian.
    vika = [Person("Виктория Гусева")]
    r = rec(2, SAT21, "repeat_call", "cancelled", contact="Виктория Гусева", client="ООО Бета",
            candidates=vika, position="Бухгалтер", language="ru")
    f = last([r], config, at(MON23))
    assert f.flag == "likely_rejected" and f.message.startswith("ООО Бета, здравствуйте")
    assert f.who == "ООО Бета"   # the lists name whom the draft greets (found by a review)
    assert "(кандидат: Виктория Гусева)" in f.message and "с Виктория" not in f.message
    olga = last([rec(2, SAT21, "repeat_call", "cancelled", contact="Ольга Смирнова", client="ООО Бета",
                     candidates=vika, language="ru")], config, at(MON23))
    assert olga.message.startswith("Ольга Смирнова, здравствуйте")
    # A chase of the silent person still greets them, candidate or not.
    chase = last([rec(2, MON16, "follow_up", "no_answer", contact="Виктория Гусева", client="ООО Бета",
                      candidates=vika, language="ru")], config, at(TUE17))
    assert chase.step.key == "t1" and chase.message.startswith("Виктория")


@pytest.mark.parametrize("contact, greeting", [
    ("岡田様", "岡田様、"), ("清水 様", "清水 様、"), ("松本課長", "松本課長、"), ("山田 太郎", "山田 太郎様、")])
def test_a_japanese_draft_greets_with_one_honorific(config, contact, greeting):
    # Found trying the product as a Japanese consultant: names are written with their 様 or
    # title, and the drafts added another: "岡田様 様", "松本課長様".
    f = last([rec(2, MON16, "follow_up", "no_answer", contact=contact, language="ja")], config, at(TUE17))
    assert f.step.key == "t1" and f.message.startswith(greeting), f.message


def test_cancelled_with_a_new_date_is_not_likely_rejected(config):
    r = rec(2, FRI20, "repeat_call", "cancelled", next_contact=TUE24)
    f = last([r], config, at(FRI20))
    assert (f.flag, f.step.key) == ("", "next_contact")


def test_the_likely_rejected_flag_stays_on_the_row_after_the_reason_call(config):
    rows = [rec(2, FRI20, "repeat_call", "cancelled", candidates=[Person("Ivan Petrov")]),
            rec(3, MON23, "follow_up", "replied")]
    out = judge(rows, config, at(MON23, 15))
    assert (out[0].status, out[0].flag) == ("done", "likely_rejected")
    assert out[1].flag == ""
    # A Repeat call to clarify details (no candidates, no second interview named) is no
    # round: cancelled, it is no "likely rejected", settled or not.
    clarifying = [rec(2, FRI20, "repeat_call", "cancelled"), rec(3, MON23, "follow_up", "replied")]
    assert [(f.status, f.flag) for f in judge(clarifying, config, at(MON23, 15))] == [("done", ""), ("no_next_action", "")]


# ---------------------------------------------------------------- planned, nothing planned, done

def test_a_planned_call_is_upcoming_then_due_on_its_day(config):
    r = rec(2, TUE24, "first_call", "planned", time=time(11, 30))
    f = last([r], config, at(FRI20))
    assert (f.status, f.step.key, f.due, f.timed) == ("upcoming", "planned", at(TUE24, 11, 30), True)
    assert last([r], config, at(TUE24, 12)).status == "due_today"


def test_an_open_row_with_nothing_scheduled_has_no_next_action(config):
    f = last([rec(2, MON16, "first_call", "done")], config, at(FRI20))
    assert (f.status, f.step.key, f.due, f.days_overdue, f.message) == ("no_next_action", "plan", None, 0, "")
    for outcome in ("", "planned", "confirmed"):
        planned_past = last([rec(2, MON16, "first_call", outcome)], config, at(FRI20))
        assert (planned_past.status, planned_past.step.key) == ("no_next_action", "outcome")


@pytest.mark.parametrize("outcome", ["hired", "rejected", "closed", "ghosted"])
def test_closed_outcomes_are_done(config, outcome):
    f = last([rec(2, MON16, "interview", outcome)], config, at(FRI20))
    assert f.status == "done"
    assert f.flag == ("ghosted" if outcome == "ghosted" else "")


def test_threads_are_per_person_and_every_row_gets_a_status(config):
    rows = [rec(2, MON16, outcome="no_answer", contact="Anna"),
            rec(3, MON16, outcome="no_answer", contact="Boris"),
            rec(4, TUE17, "follow_up", "replied", contact="anna "),
            rec(5, None, "first_call", "", contact="", client=""),
            rec(6, WED18, "first_call", "", contact="", client="")]
    out = judge(rows, config, at(TUE17))
    assert out[0].status == "done"            # Anna replied on row 4
    assert out[1].step.key == "t1"            # Boris is still silent
    assert out[2].status == "no_next_action"
    assert out[3].status == "no_next_action"  # an undated row with nobody named stands alone
    assert out[4].status == "upcoming"


def test_one_name_at_two_clients_is_two_people(config):
    rows = [rec(2, MON16, outcome="no_answer", contact="Anna Li", client="Acme"),
            rec(3, TUE17, "first_call", "replied", contact="Anna Li", client="Beta Corp")]
    out = judge(rows, config, at(WED18))
    assert (out[0].step.key, out[0].status, out[0].flag) == ("t1", "overdue", "chase")
    assert (out[1].step.key, out[1].status) == ("plan", "no_next_action")


def test_a_row_without_its_client_is_about_the_name_at_the_client_nearest_above(config):
    def anna(row, day, outcome, client):
        return rec(row, day, "follow_up", outcome, contact="Anna Li", client=client)

    # One client: the blank one is hers.
    assert [f.status for f in judge([anna(2, MON16, "no_answer", "Acme"), anna(3, TUE17, "replied", "")],
                                    config, at(WED18))] == ["done", "no_next_action"]
    # Two: the nearest above, else the first below.
    rows = [anna(2, MON16, "replied", ""),
            anna(3, MON16, "no_answer", "Acme"), anna(4, MON16, "no_answer", "Beta Corp"),
            anna(5, TUE17, "replied", "")]
    out = judge(rows, config, at(WED18))
    assert [f.status for f in out] == ["done", "overdue", "done", "no_next_action"]
    assert out[1].step.key == "t1"


def test_a_name_in_full_width_letters_is_the_same_person(config):
    rows = [rec(2, MON16, outcome="no_answer", contact="Anna Li"),
            rec(3, TUE17, "follow_up", "replied", contact="Ａｎｎａ　Ｌｉ")]
    assert [f.status for f in judge(rows, config, at(WED18))] == ["done", "no_next_action"]


def test_rows_of_one_day_are_in_the_order_of_their_times(config):
    # The 16:00 reply was logged above the 09:00 unanswered call.
    reply = rec(2, MON16, "follow_up", "replied", time=time(16))
    call = rec(3, MON16, "repeat_call", "no_answer", time=time(9))
    assert [f.status for f in judge([reply, call], config, at(TUE17))] == ["no_next_action", "done"]
    as_datetimes = [rec(2, at(MON16, 16), "follow_up", "replied"), rec(3, at(MON16, 9), "repeat_call", "no_answer")]
    assert [f.status for f in judge(as_datetimes, config, at(TUE17))] == ["no_next_action", "done"]
    # A row with no time stays after the row above it; with nothing timed above, where it is.
    untimed = rec(4, MON16, "follow_up", "replied")
    assert [f.status for f in judge([call, untimed], config, at(TUE17))] == ["done", "no_next_action"]
    assert last([untimed, call], config, at(TUE17)).step.key == "t1"


def test_a_planned_row_keeps_its_place_among_the_rows_of_its_day(config):
    # Seed 003: the second round planned for 16:00; the candidate's call at 15:00 cancels it.
    people = dict(contact="Tanaka", candidates=[Person("Tanaka")])
    rows = [rec(2, THU19, "interview", "attended", time=time(14), **people),
            rec(3, THU19, "repeat_call", "planned", time=time(16), **people),
            rec(4, THU19, "repeat_call", "cancelled", time=time(15), **people)]
    f = last(rows, config, at(THU19, 17))
    assert (f.flag, f.step.key, f.due) == ("likely_rejected", "reason", at(FRI20, 0))


def test_a_chase_after_a_reply_counts_from_its_own_first_silent_row(config):
    rows = [rec(2, MON16, outcome="no_answer"),
            rec(3, TUE17, "follow_up", "no_answer"),
            rec(4, WED18, "follow_up", "replied"),
            rec(5, THU19, "first_call", "no_answer"),
            rec(6, None, "first_call", "", notes="undated: sits after row 5"),
            rec(7, FRI20, "follow_up", "no_answer")]
    f = judge(rows, config, at(FRI20))[4]
    # The undated row is out of its thread (it closes nothing) and asks for its date.
    assert (f.status, f.step.key) == ("no_next_action", "date")
    f = last(rows, config, at(FRI20))
    assert (f.flag, f.anchor_row, f.step.key) == ("chase", 5, "t3")
    assert f.due.date() == THU19 + timedelta(days=steps(config)["t3"]["day"])


def test_a_done_row_is_a_whole_value(config):
    import copy
    import pickle

    rows = [rec(2, MON16, outcome="no_answer", candidates=[Person("Karl Liu", "E17")], language="ru"),
            rec(3, TUE17, "interview", "cancelled", candidates=[Person("Karl Liu")], contact=""),
            rec(4, WED18, "follow_up", "replied")]
    first, second = (judge(rows, config, at(THU19))[:2] for _ in range(2))
    # Made with its row, status and due only; every other field is there when read.
    assert (first[0].status, first[0].due, first[0].row) == ("done", None, 2)
    assert (first[0].lang, first[0].candidates, first[0].who) == ("ru", ["Karl Liu"], "Anna Petrova")
    assert first[0].step.key == "none" and first[0].message == ""
    assert second[1].who == "Karl Liu" and second[1].flag == ""
    assert first == second
    assert first[0].as_dict() == second[0].as_dict()
    assert pickle.loads(pickle.dumps(second[1])) == first[1]
    assert "_engine" not in vars(copy.copy(second[0]))
    assert not hasattr(first[0], "no_such_field")
    assert not hasattr(last(rows, config, at(THU19)), "no_such_field")


def test_an_open_rows_message_is_rendered_when_first_read(config):
    import copy
    import pickle

    rows = [rec(2, MON16, "first_call", "no_answer", language="ru")]
    fu, again = (last(rows, config, at(THU19)) for _ in range(2))
    assert fu.status != "done" and "message" not in vars(fu)    # not rendered yet
    lazy = followups(rows, config, at(THU19))[0]
    assert "lang" not in vars(lazy) and lazy.lang == "ru"      # nor the row read further
    text = fu.message
    assert "Anna" in text and vars(fu)["message"] == text and "_draft" not in vars(fu)
    assert pickle.loads(pickle.dumps(again)).message == text    # a pickle renders it first
    assert "_draft" not in vars(again)
    third = last(rows, config, at(THU19))
    assert copy.copy(third).message == text and third == fu


# ---------------------------------------------------------------- today's chase list

def test_chase_today_lists_overdue_first_most_overdue_first(config):
    rows = [rec(2, MON16, outcome="no_answer", contact="A"),       # t1 due Tue: 3 days overdue
            rec(3, THU19, outcome="no_answer", contact="B"),       # t1 due Fri: 0 days, due today
            rec(4, WED18, outcome="no_answer", contact="C"),       # t1 due Thu: 1 day overdue
            rec(5, MON23, "first_call", "planned", contact="D"),   # upcoming
            rec(6, MON16, "first_call", "done", contact="E")]      # no next action
    out = judge(rows, config, at(FRI20))
    today = chase_today(out)
    assert [f.row for f in today] == [2, 4, 3]
    assert [f.status for f in today] == ["overdue", "overdue", "due_today"]
    assert today[0].days_overdue > today[1].days_overdue > 0


def test_an_aware_now_is_judged_in_workbook_time():
    config = load_config(overrides={"timezone": "Europe/Moscow"})
    r = rec(2, MON16, outcome="no_answer")
    # 22:30 UTC on Monday is already Tuesday in Moscow.
    f = last([r], config, datetime(2026, 11, 16, 22, 30, tzinfo=timezone.utc))
    assert f.status == "due_today"


# ---------------------------------------------------------------- messages and output

def _thread_for(step: str, lang: str) -> tuple[list[CallRecord], datetime]:
    common = dict(contact="Lin Wei", client="Acme", position="Data engineer", language=lang,
                  candidates=[Person("Karl Liu")], manager="Mark")
    if step == "t1":
        return [rec(2, MON16, outcome="no_answer", **common)], at(TUE17)
    if step == "t3":
        return [rec(2, MON16, outcome="no_answer", stage="interview", **common),
                rec(3, TUE17, "follow_up", **common)], at(THU19)
    if step == "last":
        return [rec(2, MON16, outcome="no_answer", **common), rec(3, TUE17, "follow_up", **common),
                rec(4, THU19, "follow_up", **common)], at(SAT21)
    if step == "report_sms":
        return [rec(2, MON16, "report_sent", **common)], at(MON16)
    if step == "report_call":
        return [rec(2, MON16, "report_sent", **common)], at(WED18)
    if step == "confirm_eve":
        return [rec(2, TUE24, "interview", "planned", time=time(14), **common)], at(MON23)
    if step == "reason":
        return [rec(2, FRI20, "repeat_call", "cancelled", **common)], at(MON23)
    raise AssertionError(step)


_SCRIPT = {"ru": re.compile(r"[\u0400-\u04ff]"), "zh": re.compile(r"[\u4e00-\u9fff]"),
           "ja": re.compile(r"[\u3040-\u30ff]"), "en": re.compile(r"\b(the|you|your|I)\b")}


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("step", ["t1", "t3", "last", "report_sms", "report_call", "confirm_eve", "reason"])
def test_every_draft_renders_in_every_language_with_the_name(config, step, lang):
    rows, now = _thread_for(step, lang)
    f = last(rows, config, now)
    assert (f.step.key, f.lang) == (step, lang)
    # The eve-of-interview call is to the candidate; the others to the contact of the row.
    greeted, other = ("Karl Liu", "Lin Wei") if step == "confirm_eve" else ("Lin Wei", "Karl Liu")
    assert greeted in f.message
    if step in ("report_sms", "report_call", "reason"):
        assert other in f.message  # the candidate the client is asked about
    assert _SCRIPT[lang].search(f.message), f.message
    assert "{{" not in f.message and "{%" not in f.message
    assert f.step.action == steps(config)[step]["action"][lang]
    assert f.next_step == steps(config)[step]["next"][lang]


def test_the_t3_email_to_a_client_names_the_position_not_our_stage(config):
    rows, now = _thread_for("t3", "en")
    message = last(rows, config, now).message
    assert message.splitlines()[:2] == ["Subject: Follow-up on Data engineer", ""]
    assert "\n\n\n" not in message and message.rstrip().endswith("Mark")
    assert config.list_label("stage", "interview", "en") not in message


def test_a_row_without_a_language_uses_the_configured_one():
    config = load_config(overrides={"language": "ru"})
    f = last([rec(2, MON16, outcome="no_answer")], config, at(TUE17))
    assert f.lang == "ru"
    assert _SCRIPT["ru"].search(f.message)


def test_as_dict_is_json_ready(config):
    rows = [rec(2, MON16, outcome="no_answer", candidates=[Person("Karl Liu", "E17")]),
            rec(3, TUE24, "first_call", "planned", time=time(9), contact="B"),
            rec(4, MON16, "first_call", "hired", contact="C")]
    out = judge(rows, config, at(WED18))
    data = json.loads(json.dumps([f.as_dict() for f in out], ensure_ascii=False))
    assert data[0]["candidates"] == ["Karl Liu"]
    assert datetime.fromisoformat(data[0]["due"]) == out[0].due
    assert data[0]["step"]["key"] == "t1" and data[0]["status"] == "overdue"
    assert datetime.fromisoformat(data[1]["due"]) == at(TUE24, 9)
    assert data[2]["due"] is None
    assert date.fromisoformat(data[0]["overdue_after"]) == out[0].due.date()


# ---------------------------------------------------------------- config and bad input

def test_labels_and_highlights_exist_for_every_status_in_every_language(config):
    for status in STATUSES:
        labels = {status_label(config, status, lang) for lang in LANGUAGES}
        assert len(labels) == len(LANGUAGES), status
    for flag in ("likely_rejected", "ghosted", "chase"):
        assert all(flag_label(config, flag, lang) for lang in LANGUAGES)
    assert flag_label(config, "", "en") == ""
    colours = highlight(config)
    assert set(colours) >= {"overdue", "due_today", "no_next_action"}
    assert all(re.fullmatch(r"[0-9A-F]{6}", c) for c in colours.values())


def test_every_step_has_its_texts_in_every_language(config):
    for key, spec in steps(config).items():
        for lang in LANGUAGES:
            assert spec["action"][lang], (key, lang)
            assert lang in spec["next"], (key, lang)


@pytest.mark.parametrize("overrides, word", [
    ({"count": "weekly"}, "followups.count"),
    ({"cadence": {"steps": ["t1", "t9"]}}, "t9"),
    ({"steps": {"last": {"until": 2}}}, "followups.steps.last.until"),
    ({"confirm": {"count": "fortnightly"}}, "followups.confirm.count"),
])
def test_bad_followup_settings_name_the_key(overrides, word):
    with pytest.raises(ConfigError, match=re.escape(word)):
        followups([rec(2, MON16)], cfg(**overrides), at(TUE17))


def test_check_settings_gives_the_dotted_key_for_the_config_loader(config):
    data = dict(config.data)
    data["followups"] = {**config.data["followups"], "count": 3}
    with pytest.raises(SettingError) as err:
        check_settings(data)
    assert err.value.key == "followups.count"
    check_settings(config.data)  # the shipped defaults are usable


def test_an_undated_open_row_is_a_problem_not_a_crash(config):
    rows = [rec(5, None, "follow_up", "no_answer", columns={"date": "B"})]
    f = last(rows, config, at(TUE17))
    assert f.status == "no_next_action"
    problems = followup_problems(rows, config, at(TUE17))
    assert [(p.row, p.column) for p in problems] == [(5, "B")]
    assert followup_problems([rec(2, MON16)], config, at(TUE17)) == []


def test_a_datetime_in_the_date_field_is_read_as_its_day_and_time(config):
    r = rec(2, at(TUE24, 11, 30), "first_call", "planned")
    f = last([r], config, at(FRI20))
    assert (f.status, f.due, f.timed) == ("upcoming", at(TUE24, 11, 30), True)


def test_unknown_call_types_and_odd_outcomes_still_get_a_status(config):
    rows = [rec(2, MON16, None, "", contact="X"), rec(3, MON16, "my_own_type", "rescheduled", contact="Y")]
    assert [f.status for f in judge(rows, config, at(TUE17))] == ["no_next_action", "no_next_action"]


# ---------------------------------------------------------------- any log at all

_days = st.one_of(st.none(), st.dates(min_value=date(2026, 10, 1), max_value=date(2026, 12, 31)))
_records = st.lists(st.builds(
    lambda n, day, hour, ct, outcome, who, nxt, lang: CallRecord(
        sheet="Log", row=n + 2, id=str(n), call_type=ct, date=day,
        time=time(hour) if hour is not None else None, outcome=outcome, contact=who,
        next_contact=nxt, language=lang, candidates=[Person(who)] if who else []),
    st.integers(0, 10_000), _days, st.one_of(st.none(), st.integers(8, 19)),
    st.one_of(st.none(), st.sampled_from(CALL_TYPES)), st.sampled_from(("",) + OUTCOMES),
    st.sampled_from(["", "Anna", "Boris", "Chen"]), _days, st.sampled_from(["", "en", "ru", "zh", "ja", "xx"]),
), max_size=12)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(records=_records, today=st.dates(min_value=date(2026, 11, 1), max_value=date(2026, 11, 30)))
def test_any_log_gets_consistent_statuses(config, records, today):
    now = at(today, 12)
    out = judge(records, config, now)
    for f in out:
        assert (f.status == "overdue") == (f.days_overdue > 0)
        if f.status == "due_today":
            assert f.due.date() <= today <= f.overdue_after
        if f.status == "upcoming":
            assert f.due.date() > today
        if f.status == "overdue":
            assert (today - f.overdue_after).days == f.days_overdue
        json.dumps(f.as_dict(), ensure_ascii=False)
    listed = chase_today(out)
    assert {id(f) for f in listed} == {id(f) for f in out if f.status in ("overdue", "due_today")}
    assert [f.days_overdue for f in listed] == sorted((f.days_overdue for f in listed), reverse=True)
    # One open row per person: earlier rows of a named thread are settled, but for rows
    # still to come before the latest (each appointment its own), so all still to come
    # (a moved interview at its new slot: where it now stands, as the engine judges it).
    moved = frozenset(config.section("followups")["confirm"]["moved_outcomes"])
    open_rows: dict[str, list] = {}
    for f, r in zip(out, records):
        if r.thread and r.date is not None and f.status != "done":   # (an undated row asks for its date)
            open_rows.setdefault(r.thread, []).append(at_slot(r, moved))
    for rows in open_rows.values():
        assert len(rows) == 1 or all(r.date is not None and _day(r.date) >= today for r in rows), rows


# ---------------------------------------------------------------- the threads, fast and plain

def _day(value):
    return value.date() if isinstance(value, datetime) else value


def _threads_as_logged(records):
    """The rule, row by row: an undated row sits after the dated row above it on its sheet;
    each thread's rows are ordered by that day, then time, stably; a row with no time, no
    date or still planned takes that of the row of its thread above it that day, else the
    day's start, but never less than another such row above it (written before it)."""
    threads, days, last_date = {}, [], {}
    for n, r in enumerate(records):
        day = _day(r.date)
        if day is not None:
            last_date[r.sheet] = day
        else:
            day = last_date.get(r.sheet, date.min)
        days.append(day)
        threads.setdefault(r.thread or n, []).append(n)
    out = []
    for rows in threads.values():
        clock, keys = {}, {}
        for n in sorted(rows, key=days.__getitem__):
            r = records[n]
            own = (None if r.date is None or r.outcome == "planned"
                   else r.time or (r.date.time() if isinstance(r.date, datetime) else None))
            above, floor = clock.get(days[n], (time.min, time.min))
            if own is None:
                floor = max(above, floor)
            clock[days[n]] = (own or above, floor)
            keys[n] = (days[n], floor if own is None else own)
        out.append(sorted(rows, key=keys.__getitem__))
    return out


_mixed = st.lists(st.builds(
    lambda n, sheet, day, hour, as_datetime, clock, ct, outcome, who, nxt: CallRecord(
        sheet=sheet, row=n + 2, id=str(n), call_type=ct,
        date=at(day, hour) if as_datetime and day is not None else day,
        time=None if clock is None else time(clock),
        outcome=outcome, contact=who, next_contact=nxt, candidates=[Person(who)] if who else []),
    # A few days: a thread has several rows on one day.
    st.integers(0, 10_000), st.sampled_from(["Log", "Old"]),
    st.one_of(st.none(), st.dates(min_value=date(2026, 11, 1), max_value=date(2026, 11, 6))),
    st.integers(8, 19), st.booleans(), st.one_of(st.none(), st.integers(8, 19)),
    st.one_of(st.none(), st.sampled_from(CALL_TYPES)), st.sampled_from(("",) + OUTCOMES),
    st.sampled_from(["", "Anna", "Boris", "Chen"]), _days,
), max_size=14)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(records=_mixed, in_order=st.booleans(), today=st.dates(min_value=date(2026, 11, 1), max_value=date(2026, 11, 30)))
def test_threads_and_open_rows_match_the_row_by_row_rule(config, records, in_order, today):
    # Threads are ordered without a sort when the log is in the order of its calls, and
    # undated rows are looked up, not walked to: both must give the row-by-row answer,
    # with the columns passed in or read from the records.
    from tracker.followups import _Engine, open_followups

    if in_order:   # the dates in the order of the rows (undated and other sheets as they fall)
        dated = sorted((r.date for r in records if r.date is not None), key=_day)
        it = iter(dated)
        records = [r if r.date is None else CallRecord(**{**r.__dict__, "date": next(it)}) for r in records]
    now = at(today, 12)
    expected = _threads_as_logged(records)
    assert _Engine(list(records), config, now).threads_in_order() == expected
    threads, dates = [r.thread for r in records], [r.date for r in records]
    assert _Engine(list(records), config, now, threads=threads, dates=dates).threads_in_order() == expected
    every = [f.as_dict() for f in followups(records, config, now)]
    assert [f.as_dict() for f in followups(records, config, now, threads=threads, dates=dates)] == every
    assert [f.as_dict() for f in open_followups(records, config, now, threads=threads, dates=dates)] == [
        f for f in every if f["status"] != "done"]
    # ...and with the outcome column too, as a log read from a file passes them all.
    outcomes = [r.outcome for r in records]
    assert [f.as_dict() for f in followups(records, config, now, threads=threads, dates=dates,
                                           outcomes=outcomes)] == every
    assert [f.as_dict() for f in open_followups(records, config, now, threads=threads, dates=dates,
                                                outcomes=outcomes)] == [f for f in every if f["status"] != "done"]


# ---------------------------------------------------------------- a consultant's week (tester, 2026-12-05)

THU26, FRI27, MON30 = (date(2026, 11, d) for d in (26, 27, 30))


def test_an_interview_moved_keeps_the_other_candidates_interviews_of_its_client(config):
    # Found by a tester: the client's contact saw Kevin on Wednesday and Lisa, moved from
    # Thursday to Monday, after him. The moved row (not "still to come" by its outcome)
    # settled Kevin's interview: his call the day before was never asked for.
    kevin = rec(2, WED25, "interview", "planned", time=time(16), contact="Tom Baker",
                candidates=[Person("Kevin Black")])
    lisa = rec(3, THU26, "interview", "rescheduled", time=time(11), contact="Tom Baker",
               candidates=[Person("Lisa Grey")], next_contact=at(MON30, 11))
    out = judge([kevin, lisa], config, at(TUE24, 9))
    assert [(f.status, f.step.key, f.due.date()) for f in out] == [
        ("due_today", "confirm_eve", TUE24), ("upcoming", "confirm_eve", FRI27)]
    # Lisa's moved interview, then Mary's second round booked after it: Lisa still owes
    # her call on Friday, also once the day of her old slot is past.
    mary = rec(4, FRI27, "repeat_call", "planned", time=time(14), contact="Tom Baker",
               candidates=[Person("Mary White")])
    for now in (at(WED25, 9), at(FRI27, 9)):
        got = {f.row: f for f in judge([lisa, mary], config, now)}
        assert (got[3].step.key, got[3].due.date()) == ("confirm_eve", FRI27), now


def test_a_second_round_cancelled_the_day_before_on_the_same_thread_is_likely_rejected(config):
    # Found by a tester (seed 003): the cancellation logged below the booking, dated the
    # day before it, left the round "call the candidate to confirm", and its reminders on.
    booked = rec(2, FRI27, "repeat_call", "planned", time=time(14), contact="Tom Baker",
                 candidates=[Person("Mary White")])
    cancel = rec(3, THU26, "repeat_call", "cancelled", time=time(15), contact="Tom Baker",
                 candidates=[Person("Mary White")], notes="client business trouble, no new date")
    got = {f.row: f for f in judge([booked, cancel], config, at(FRI27, 9))}
    assert got[2].status == "done"
    assert (got[3].flag, got[3].step.key, got[3].status) == ("likely_rejected", "reason", "due_today")
    # Cancelled first, booked again below it: the new booking stands.
    rebooked = rec(4, MON30, "repeat_call", "planned", time=time(14), contact="Tom Baker",
                   candidates=[Person("Mary White")])
    got = {f.row: f for f in judge([cancel, rebooked], config, at(FRI27, 9))}
    assert got[4].step.key == "confirm_eve"


def test_no_answer_on_the_candidates_own_thread_before_an_interview_is_not_a_chase(config):
    # Found by a tester: the confirmation call unanswered, logged against the candidate,
    # also started the ghosting chase (T+1) beside the interview row's call to confirm.
    booked = rec(2, WED25, "interview", "planned", time=time(16), contact="Tom Baker",
                 candidates=[Person("Kevin Black")])
    silent = rec(3, TUE24, "follow_up", "no_answer", time=time(10, 10), contact="Kevin Black")
    got = {f.row: f for f in judge([booked, silent], config, at(WED25, 9))}
    assert got[2].step.key == "confirm_eve" and got[2].status == "overdue"
    assert got[3].status == "done"


def test_a_confirmation_logged_as_a_follow_up_is_a_call_made(config):
    # Found by a tester: the candidate's "Confirmed" on a follow-up of their own was then
    # "Hold the planned call" at its own past time, and from the next day "log how the call
    # went", though its outcome was logged.
    booked = rec(2, TUE24, "interview", "planned", time=time(10), contact="Tom Baker",
                 candidates=[Person("Mary White")])
    confirmed = rec(3, MON23, "follow_up", "confirmed", time=time(10, 5), contact="Mary White")
    for now in (at(MON23, 17), at(WED25, 9)):
        got = {f.row: f for f in judge([booked, confirmed], config, now)}
        assert got[3].status == "done", now
    # With no interview of theirs in sight it is a call made that asks for a next step.
    alone = rec(3, MON23, "follow_up", "confirmed", time=time(10, 5), contact="Olga Ray")
    f = last([alone], config, at(WED25, 9))
    assert (f.status, f.step.key) == ("no_next_action", "plan")


def test_a_notice_whose_interview_is_logged_asks_no_outcome_once_it_is_past(config):
    # Found by a tester (the demo too): the notice row asked "log how the call went"
    # after its interview, logged on the client's row, was marked Attended.
    notice = rec(2, FRI20, "interview_notice", "done", contact="Nina Brown", next_contact=at(WED25, 14))
    held = rec(3, WED25, "interview", "attended", time=time(14), contact="Tom Baker",
               candidates=[Person("Nina Brown")])
    got = {f.row: f for f in judge([notice, held], config, at(THU26, 9))}
    assert got[2].status == "done"
    # Not logged: the notice asks for the interview's outcome, as before.
    assert last([notice], config, at(THU26, 9)).step.key == "outcome"


# ---------------------------------------------------------------- a second simulated week (tester, 2026-12-05)

def test_one_candidates_confirmation_confirms_no_other_candidate_of_the_client(config):
    # Found by a tester: Tom's interview marked Confirmed (or the client's contact
    # confirming the slots) took away Lisa's call the day before: Ivan, not called, did
    # not come.
    tom = rec(2, TUE24, "interview", "confirmed", time=time(10), contact="Peter Gray",
              candidates=[Person("Tom Hardy", "E201")])
    lisa = rec(3, WED25, "interview", "planned", time=time(14), contact="Peter Gray",
               candidates=[Person("Lisa Ray", "E301")])
    got = {f.row: f for f in judge([tom, lisa], config, at(MON23, 17))}
    assert (got[3].step.key, got[3].due.date()) == ("confirm_eve", TUE24)
    anna = rec(2, MON30, "interview", "planned", time=time(11), contact="Maria Lopez",
               candidates=[Person("Anna Li")])
    ivan = rec(3, MON30, "interview", "planned", time=time(12), contact="Maria Lopez",
               candidates=[Person("Ivan Petrov")])
    slots = rec(4, FRI27, "follow_up", "confirmed", time=time(9), contact="Maria Lopez")
    got = {f.row: f for f in judge([anna, ivan, slots], config, at(FRI27, 9, 30))}
    assert [got[n].step.key for n in (2, 3)] == ["confirm_eve", "confirm_eve"]
    # The candidate's own confirmation, logged on the client's row, still counts.
    theirs = rec(4, FRI27, "follow_up", "confirmed", time=time(9), contact="Maria Lopez",
                 candidates=[Person("Ivan Petrov")])
    got = {f.row: f for f in judge([anna, ivan, theirs], config, at(FRI27, 9, 30))}
    assert got[2].step.key == "confirm_eve" and got[3].step.key != "confirm_eve"


def test_a_candidate_who_withdrew_is_not_called_to_confirm_nor_reminded(config):
    # Found by a tester: "Withdrawn" on the candidate's own row left the interview row
    # (the client's contact's) asking to call her, and her SMS 20 minutes before.
    from tracker.reminders import reminders

    booked = rec(2, WED25, "interview", "planned", time=time(14), contact="Peter Gray",
                 candidates=[Person("Lisa Ray", "E301")])
    out = rec(3, TUE24, "follow_up", "withdrawn", time=time(12), contact="Lisa Ray",
              candidates=[Person("Lisa Ray", "E301")])
    got = {f.row: f for f in judge([booked, out], config, at(TUE24, 13))}
    assert got[2].status == "done" and got[3].status == "done"
    assert reminders([booked, out], config, at(TUE24, 13), at(THU26, 0)) == []
    # Told by the client's contact, on their thread: the same.
    told = rec(3, TUE24, "follow_up", "withdrawn", time=time(12), contact="Peter Gray",
               candidates=[Person("Lisa Ray")])
    assert judge([booked, told], config, at(TUE24, 13))[0].status == "done"
    # One of two candidates of a row withdrawing leaves the other's interview on.
    two = rec(2, WED25, "interview", "planned", time=time(14), contact="Peter Gray",
              candidates=[Person("Lisa Ray"), Person("Tom Hardy")])
    assert judge([two, out], config, at(TUE24, 13))[0].step.key == "confirm_eve"


def test_an_interview_logged_against_the_candidate_is_called_off_by_her_withdrawal(config):
    # The interview row names the candidate in Contact, Candidates left blank: her
    # withdrawal logged below it (dated before it, as it happened) left the day-before
    # call and her reminders on.
    from tracker.reminders import reminders

    booked = rec(2, WED25, "interview", "planned", time=time(14), contact="Lisa Ray", candidates=[])
    out = rec(3, MON23, "follow_up", "withdrawn", contact="Lisa Ray", candidates=[])
    assert [f.status for f in judge([booked, out], config, at(TUE24, 9))] == ["done", "done"]
    assert reminders([booked, out], config, at(TUE24, 9), at(THU26, 0)) == []
    # Someone else's withdrawal, or hers typed above the booking (before it was made),
    # leaves it on.
    other = replace(out, contact="Tom Hardy")
    assert judge([booked, other], config, at(TUE24, 9))[0].step.key == "confirm_eve"
    assert reminders([booked, other], config, at(TUE24, 9), at(THU26, 0)) != []
    before = [replace(out, row=2), replace(booked, row=3)]
    assert judge(before, config, at(TUE24, 9))[-1].step.key == "confirm_eve"
    # An interview logged against the client's contact (Candidates blank), and that
    # contact telling of another candidate's withdrawal: the interview stays on.
    hr = replace(booked, contact="Maria Ivanova")
    told = replace(out, contact="Maria Ivanova", candidates=[Person("Ivan Petrov")])
    assert judge([hr, told], config, at(TUE24, 9))[0].step.key == "confirm_eve"
    assert reminders([hr, told], config, at(TUE24, 9), at(THU26, 0)) != []


def test_a_message_sent_before_the_agreed_next_contact_is_no_silence(config):
    # Found by a tester: the e-mail after a first call ("sent the presentation"), logged
    # as a Follow-up, started the ghosting chase (T+1 the next day) though the client had
    # agreed to talk on Wednesday.
    for agreed in ({"next_contact": WED25}, {"notes": "Next Contact Date: 25.11.2026"}):
        first = rec(2, MON23, "first_call", "done", time=time(11), contact="John Smith", **agreed)
        mail = rec(3, MON23, "follow_up", "done", time=time(14), contact="John Smith", channel="email")
        f = last([first, mail], config, at(TUE24, 9))
        assert (f.step.key, f.due.date()) == ("next_contact", WED25), agreed
        # Not logged on Wednesday: the agreed call is overdue, not the chase's T+3 counted
        # from the e-mail.
        f = last([first, mail], config, at(THU26, 9))
        assert (f.step.key, f.status, f.due.date()) == ("next_contact", "overdue", WED25), agreed
        # Made that day and unanswered: the chase runs from that call, T+1 the next day.
        called = rec(4, WED25, "follow_up", "no_answer", time=time(11), contact="John Smith")
        f = last([first, mail, called], config, at(THU26, 9))
        assert (f.flag, f.step.key, f.status, f.due.date(), f.anchor_row) == ("chase", "t1", "due_today", THU26, 4)
        # A month on, the agreed day long past: the chase from the e-mail, as before.
        assert last([first, mail], config, at(WED25 + timedelta(days=30), 9)).flag == "chase"


def test_a_users_chase_draft_that_does_not_parse_is_reported_not_left_empty(tmp_path):
    # Found by a tester: "Hi {{ name }" in the user's T+1 draft gave empty drafts in
    # overdue, the digest and the Chase today sheet, with exit 0.
    from tracker.errors import TemplateError

    (tmp_path / "chase").mkdir()
    (tmp_path / "chase" / "t1.en.txt.j2").write_text("Hi {{ name }\n", encoding="utf-8")
    cfg = load_config(overrides={"templates_dir": str(tmp_path)})
    with pytest.raises(TemplateError, match="t1.en.txt.j2"):
        last([rec(2, MON16, outcome="no_answer")], cfg, at(TUE17)).message


# ---------------------------------------------------------------- a review of the rules above (2026-12-05)

def test_a_cancellation_calls_off_only_the_first_appointment_it_can(config):
    # The review: a cancellation naming no candidate called off every interview of the
    # contact in the next two weeks (Kevin's too), and in a log sorted newest first a
    # round booked again after the cancellation was taken for cancelled.
    from tracker.reminders import reminders

    mary = rec(2, FRI27, "interview", "planned", time=time(14), contact="Tom Baker", candidates=[Person("Mary White")])
    kevin = rec(3, MON30, "interview", "planned", time=time(11), contact="Tom Baker", candidates=[Person("Kevin Black")])
    cancel = rec(4, THU26, "interview", "cancelled", time=time(15), contact="Tom Baker")
    got = {f.row: f for f in judge([mary, kevin, cancel], config, at(THU26, 16))}
    assert got[2].status == "done" and got[3].step.key == "confirm_eve"
    assert {r.call_row for r in reminders([mary, kevin, cancel], config, at(THU26, 16), at(TUE24 + timedelta(days=7)))} == {3}
    # Newest first: Monday's round (booked again), Friday's, the cancellation on Thursday.
    again = [rec(2, MON30, "repeat_call", "planned", time=time(14), contact="Tom Baker", candidates=[Person("Mary White")]),
             rec(3, FRI27, "repeat_call", "planned", time=time(14), contact="Tom Baker", candidates=[Person("Mary White")]),
             rec(4, THU26, "repeat_call", "cancelled", time=time(15), contact="Tom Baker", candidates=[Person("Mary White")])]
    got = {f.row: f for f in judge(again, config, at(FRI27, 9))}
    assert got[2].step.key == "confirm_eve" and got[3].status == "done"
    assert {r.call_row for r in reminders(again, config, at(FRI27, 9), at(TUE24 + timedelta(days=7)))} == {2}


def test_a_cancellation_keeps_its_reason_call_when_another_booking_follows(config):
    mary = rec(2, FRI27, "repeat_call", "planned", time=time(14), contact="Tom Baker", candidates=[Person("Mary White")])
    cancel = rec(3, THU26, "repeat_call", "cancelled", time=time(15), contact="Tom Baker",
                 candidates=[Person("Mary White")])
    kevin = rec(4, MON30, "interview", "planned", time=time(11), contact="Tom Baker", candidates=[Person("Kevin Black")])
    got = {f.row: f for f in judge([mary, cancel, kevin], config, at(FRI27, 9))}
    assert got[2].status == "done"
    assert (got[3].flag, got[3].step.key) == ("likely_rejected", "reason")
    assert got[4].step.key == "confirm_eve"


def test_a_candidates_silence_is_chased_when_their_interview_was_called_off(config):
    booked = rec(2, FRI27, "interview", "planned", time=time(14), contact="Tom Baker", candidates=[Person("Mary White")])
    cancel = rec(3, WED25, "interview", "cancelled", time=time(9), contact="Tom Baker", candidates=[Person("Mary White")])
    silent = rec(4, WED25, "follow_up", "no_answer", time=time(11), contact="Mary White", client="")
    got = {f.row: f for f in judge([booked, cancel, silent], config, at(THU26, 9))}
    assert got[4].step.key == "t1"


def test_a_notice_asks_the_outcome_while_its_interview_row_has_none(config):
    notice = rec(2, FRI20, "interview_notice", "done", contact="Nina Brown", client="", next_contact=at(WED25, 14))
    held = rec(3, WED25, "interview", "planned", time=time(14), contact="Tom Baker", candidates=[Person("Nina Brown")])
    kevin = rec(4, WED25, "interview", "attended", time=time(16), contact="Tom Baker", candidates=[Person("Kevin Black")])
    got = {f.row: f for f in judge([notice, held, kevin], config, at(THU26, 9))}
    assert got[2].step.key == "outcome"


def test_a_namesakes_interview_at_another_client_settles_no_chase(config):
    a = rec(2, date(2026, 11, 5), "interview", "done", time=time(18), contact="Julia Volkova", client="Meridian",
            candidates=[Person("Nikita Belov")])
    s1 = rec(3, date(2026, 11, 6), "follow_up", "no_answer", contact="Nikita Belov", client="Meridian")
    s2 = rec(4, date(2026, 11, 9), "follow_up", "no_answer", contact="Nikita Belov", client="Meridian")
    b = rec(5, MON23, "repeat_call", "planned", time=time(14, 30), contact="Dmitry Belov", client="KedrSoft",
            candidates=[Person("Viktor Lebedev"), Person("Nikita Belov")])
    alone = judge([a, s1, s2], config, at(SUN22, 9))[2]
    assert judge([a, s1, s2, b], config, at(SUN22, 9))[2].step.key == alone.step.key != ""


def test_the_call_the_day_before_is_counted_as_the_reminders_count_it(config):
    # Found by a tester: with reminders.day_before: calendar, `reminders` put the call to
    # confirm a Monday interview on Sunday while overdue and the Status column said Friday.
    from tracker.reminders import reminders

    monday = rec(2, MON30, "interview", "planned", time=time(11), contact="Ivan Sidorov",
                 candidates=[Person("Ivan Sidorov")])
    assert last([monday], config, at(FRI27, 9)).due.date() == FRI27
    cal = load_config(overrides={"reminders": {"day_before": "calendar"}})
    sunday = MON30 - timedelta(days=1)
    assert last([monday], cal, at(FRI27, 9)).due.date() == sunday
    calls = [r for r in reminders([monday], cal, at(FRI27, 9), at(MON30, 12)) if r.channel == "phone"]
    assert {r.at.date() for r in calls} == {sunday}


def test_a_report_of_several_candidates_is_spoken_of_in_the_plural(config):
    # Found by a tester: "I sent you the candidate Anna Li, Ivan Petrov, Chen Wei".
    people = [Person("Anna Li"), Person("Ivan Petrov"), Person("Chen Wei")]
    got = {}
    for lang in ("en", "ru", "ja"):
        report = rec(2, MON16, "report_sent", contact="Sophie", candidates=people, language=lang)
        got[lang] = last([report], config, at(MON16 + timedelta(days=2), 9)).message
    assert "the candidates Anna Li, Ivan Petrov, Chen Wei" in got["en"]
    assert "кандидатов (Anna Li, Ivan Petrov, Chen Wei)" in got["ru"]
    assert "Anna Liさん、Ivan Petrovさん、Chen Weiさん" in got["ja"]


def test_a_contact_agreed_for_the_day_a_message_went_out_was_that_contact(config):
    # Found measuring the rule above on the bench log: a report sent on the day an earlier
    # row had agreed to get in touch showed "get in touch as agreed", not its SMS.
    first = rec(2, FRI20, "first_call", "done", contact="Roman", next_contact=MON23)
    report = rec(3, MON23, "report_sent", "", contact="Roman", candidates=[Person("Ivan")])
    assert last([first, report], config, at(MON23, 9)).step.key == "report_sms"


def test_a_message_before_the_agreed_time_that_day_leaves_the_call_owed(config):
    # Found by a review: the e-mail 15 minutes before a call agreed for 15:00 (the
    # reminder the tool asks for) took the call off today's list, and the next day sent
    # a ghosting nudge.
    first = rec(2, THU26 - timedelta(days=7), "first_call", "done", contact="John", next_contact=at(MON23, 15))
    mail = rec(3, MON23, "follow_up", "done", time=time(14, 45), contact="John", channel="email")
    f = last([first, mail], config, at(MON23, 14, 50))
    assert (f.step.key, f.status, f.due) == ("next_contact", "due_today", at(MON23, 15))
    # Logged at 15:10, after the agreed time: that was the contact; no answer, a chase.
    after = rec(3, MON23, "follow_up", "done", time=time(15, 10), contact="John", channel="email")
    assert last([first, after], config, at(MON23, 16)).flag == "chase"


# ---------------------------------------------------------------- an agreed call unanswered; withdrawals (2026-12-05)

def test_an_agreed_call_made_and_unanswered_is_day_0_of_the_chase(config):
    # The chase counted from the e-mail sent while waiting for the agreed call, so the
    # agreed call itself was taken for T+1: T+3 was asked the day after it, and a thread
    # with a few messages before the agreed day was ghosted the moment the call went
    # unanswered.
    def step(row, day, key):   # a step of the chase, done as the tool asked
        return rec(row, day, "follow_up", "done", contact="John Smith", notes=key)

    for agreed in ({"next_contact": THU19}, {"notes": "Next Contact Date: 19.11.2026"}):
        rows = [rec(2, MON16, "first_call", "done", time=time(11), contact="John Smith", **agreed),
                rec(3, TUE17, "follow_up", "done", time=time(14), contact="John Smith", channel="email"),
                rec(4, THU19, "follow_up", "no_answer", time=time(11), contact="John Smith")]
        seen = []
        for now in [at(THU19, 12), *(at(day, 9) for day in (FRI20, SAT21, SUN22, MON23, TUE24, WED25))]:
            f = last(rows, config, now)
            seen.append((now.date(), f.step.key if f.status != "done" else f.flag, f.status,
                         f.due.date() if f.due else None, f.anchor_row))
            if f.status == "due_today":
                rows = rows + [step(len(rows) + 2, now.date(), f.step.key)]
        assert seen == [
            (THU19, "t1", "upcoming", FRI20, 4),      # T = the agreed call, Thursday
            (FRI20, "t1", "due_today", FRI20, 4),     # T+1
            (SAT21, "t3", "upcoming", SUN22, 4),
            (SUN22, "t3", "due_today", SUN22, 4),     # T+3
            (MON23, "last", "upcoming", TUE24, 4),
            (TUE24, "last", "due_today", TUE24, 4),   # T+5
            (WED25, "ghosted", "done", None, 0),      # after the last message
        ], agreed
        # Nothing done after the call: T+1 is owed, overdue; not T+3 from the e-mail.
        f = last(rows[:3], config, at(SUN22, 9))
        assert (f.step.key, f.status, f.due.date(), f.days_overdue, f.anchor_row) == ("t1", "overdue", FRI20, 2, 4)

    # Three messages while waiting for Friday's call: its silence is T, not the end of a chase.
    rows = [rec(2, date(2026, 11, 13), "first_call", "done", contact="John Smith", next_contact=FRI20),
            *(rec(n, day, "follow_up", "done", contact="John Smith", channel="email")
              for n, day in ((3, MON16), (4, TUE17), (5, WED18))),
            rec(6, FRI20, "follow_up", "no_answer", time=time(10), contact="John Smith")]
    f = last(rows, config, at(SAT21, 9))
    assert (f.flag, f.step.key, f.status, f.anchor_row) == ("chase", "t1", "due_today", 6)
    # A call agreed for 15:00: the e-mail at 14:45 is not it, the call at 15:10 is.
    rows = [rec(2, MON16, "first_call", "done", contact="John Smith", next_contact=at(THU19, 15)),
            rec(3, TUE17, "follow_up", "done", contact="John Smith"),
            rec(4, THU19, "follow_up", "done", time=time(14, 45), contact="John Smith", channel="email"),
            rec(5, THU19, "follow_up", "no_answer", time=time(15, 10), contact="John Smith")]
    f = last(rows, config, at(FRI20, 9))
    assert (f.step.key, f.due.date(), f.anchor_row) == ("t1", FRI20, 5)
    # The silent row on the agreed day is the first one: counted from it, as always.
    rows = [rows[0], rows[3], rec(6, FRI20, "follow_up", "done", contact="John Smith")]
    f = last(rows, config, at(SAT21, 9))
    assert (f.step.key, f.due.date(), f.anchor_row) == ("t3", SUN22, 5)


def _interview_of_three(**kw):
    return rec(2, TUE24, "interview", "planned", time=time(14), contact="Peter Gray",
               candidates=[Person("Lisa Ray", "E301"), Person("Tom Hardy", "E201"), Person("Anna Li", "E123")], **kw)


def _withdrawn(row, day, contact, *candidates, hour=12):
    return rec(row, day, "follow_up", "withdrawn", time=time(hour), contact=contact,
               candidates=[Person(c) for c in candidates])


def test_one_candidate_of_three_withdrawing_calls_off_only_their_part(config):
    # The interview stays on for the two others: called the day before and reminded, the
    # call asked of them, not of the one who pulled out.
    from tracker.reminders import reminders

    booked = _interview_of_three()
    lisa = _withdrawn(3, FRI20, "Lisa Ray")
    got = {f.row: f for f in judge([booked, lisa], config, at(SUN22, 9))}
    f = got[2]
    assert (f.step.key, f.status, f.due.date()) == ("confirm_eve", "upcoming", MON23)
    assert (f.who, f.candidates) == ("Tom Hardy, Anna Li", ["Tom Hardy", "Anna Li"])
    assert "Hi Tom Hardy," in f.message and "Hi Anna Li," in f.message and "Lisa" not in f.message
    assert got[3].status == "done"
    found = reminders([booked, lisa], config, at(SUN22, 9), at(WED25, 0))
    assert {r.call_row for r in found} == {2}
    assert {"Tom Hardy", "Anna Li"} <= {n for r in found for n in r.names}
    # Lisa had confirmed before she pulled out: hers is no confirmation of the others'.
    confirmed = rec(3, MON23, "follow_up", "confirmed", time=time(9), contact="Lisa Ray")
    f = judge([booked, confirmed, _withdrawn(4, MON23, "Lisa Ray")], config, at(MON23, 13))[0]
    assert (f.step.key, f.status, f.who) == ("confirm_eve", "due_today", "Tom Hardy, Anna Li")
    # A later message to her, unanswered, is chased: the interview owes her nothing now.
    silent = rec(4, SUN22, "follow_up", "no_answer", time=time(10), contact="Lisa Ray")
    f = judge([booked, lisa, silent], config, at(MON23, 9))[2]
    assert (f.flag, f.step.key) == ("chase", "t1")


def test_an_interview_is_called_off_once_its_last_candidate_has_withdrawn(config):
    # Each candidate pulling out in a row of their own never called the interview off:
    # the day-before call and the reminders went on for three people who would not come.
    from tracker.reminders import reminders

    booked = _interview_of_three()
    rows = [booked,
            _withdrawn(3, FRI20, "Lisa Ray"),                   # on her own thread
            _withdrawn(4, SAT21, "Peter Gray", "Tom Hardy"),    # told by the client's contact
            _withdrawn(5, SUN22, "Anna Li", hour=8)]
    two = {f.row: f for f in judge(rows[:3], config, at(SUN22, 9))}
    assert (two[2].step.key, two[2].who) == ("confirm_eve", "Anna Li")
    assert reminders(rows[:3], config, at(SUN22, 9), at(WED25, 0)) != []
    got = judge(rows, config, at(SUN22, 9))
    assert [f.status for f in got] == ["done"] * 4
    assert reminders(rows, config, at(SUN22, 9), at(WED25, 0)) == []
    # In whatever order the rows were logged (the last to pull out typed in first).
    typed = [booked, *(replace(r, row=n) for n, r in zip((3, 4, 5), (rows[3], rows[1], rows[2])))]
    got = judge(typed, config, at(SUN22, 9))
    assert [f.status for f in got] == ["done"] * 4
    # A withdrawal dated after the interview's time is not of that interview: it stays on
    # for the one who had not pulled out before it.
    late = _withdrawn(5, TUE24, "Anna Li", hour=15)
    f = judge([*rows[:3], late], config, at(TUE24, 9))[0]
    assert (f.step.key, f.who) == ("confirm_eve", "Anna Li")


def _cli(*args):
    from click.testing import CliRunner
    from tracker.cli import main

    result = CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_overdue_on_a_workbook_counts_the_chase_from_the_agreed_call_and_follows_withdrawals(tmp_path):
    john = {"Client": "Acme", "SM": "Olga", "Contact": "John Smith"}
    chase = tmp_path / "chase.xlsx"
    typed_log(chase, [
        {**john, "Date": "2026-11-16", "Time": "11:00", "Call type": "First call", "Outcome": "Done",
         "Next contact": "2026-11-19"},
        {**john, "Date": "2026-11-17", "Time": "14:00", "Call type": "Follow-up", "Outcome": "Done",
         "Channel": "E-mail"},
        {**john, "Date": "2026-11-19", "Time": "11:00", "Call type": "Follow-up", "Outcome": "No answer"},
    ])
    [f] = _cli("overdue", chase, "--as-of", "2026-11-22T09:00", "--format", "json")
    assert (f["row"], f["step"]["key"], f["status"], f["due"][:10], f["anchor_row"]) == \
        (4, "t1", "overdue", "2026-11-20", 4)

    interview = {"Date": "2026-11-24", "Time": "14:00", "Call type": "Interview", "Outcome": "Planned",
                 "Client": "Acme", "Contact": "Peter Gray", "SM": "Olga",
                 "Candidates": "Lisa Ray (E301); Tom Hardy (E201); Anna Li (E123)"}

    def withdrew(day, who):
        return {"Date": day, "Time": "12:00", "Call type": "Follow-up", "Outcome": "Withdrawn",
                "Client": "Acme", "Contact": who, "SM": "Olga"}

    one = tmp_path / "one.xlsx"
    typed_log(one, [interview, withdrew("2026-11-20", "Lisa Ray")])
    [f] = _cli("overdue", one, "--as-of", "2026-11-22T09:00", "--all", "--format", "json")
    assert (f["row"], f["step"]["key"], f["who"]) == (2, "confirm_eve", "Tom Hardy, Anna Li")
    # Her reminders go; those naming all three name the two still coming.
    rems = _cli("reminders", one, "--from", "2026-11-22T09:00", "--to", "2026-11-25", "--format", "json")
    named = [n for r in rems if r["whom"]["role"] == "candidates" for n in r["whom"]["names"]]
    assert set(named) == {"Tom Hardy", "Anna Li"}, rems
    assert not [r for r in rems if "Lisa" in r["message"] or "Lisa" in r["subject"]], rems
    every = tmp_path / "every.xlsx"
    typed_log(every, [interview, withdrew("2026-11-20", "Lisa Ray"), withdrew("2026-11-20", "Tom Hardy"),
                      withdrew("2026-11-21", "Anna Li")])
    assert _cli("overdue", every, "--as-of", "2026-11-22T09:00", "--all", "--format", "json") == []
    assert _cli("reminders", every, "--from", "2026-11-22T09:00", "--to", "2026-11-24", "--format", "json") == []


def test_a_withdrawal_logged_without_a_contact_counts_as_the_reminders_count_it(tmp_path):
    # Found by a helper: the follow-ups heard only withdrawals logged with a Contact, the
    # reminders every one; a row naming the candidate in Candidates alone left her day-before
    # call in the chase list while her reminders were gone.
    one = tmp_path / "one.xlsx"
    typed_log(one, [
        {"Date": "2026-11-24", "Time": "14:00", "Call type": "Interview", "Outcome": "Planned", "Client": "Acme",
         "Contact": "Peter Gray", "SM": "Olga", "Candidates": "Lisa Ray (E301); Tom Hardy (E201)"},
        {"Date": "2026-11-20", "Time": "12:00", "Call type": "Follow-up", "Outcome": "Withdrawn", "Client": "Acme",
         "Candidates": "Lisa Ray", "SM": "Olga"},
    ])
    [f] = _cli("overdue", one, "--as-of", "2026-11-22T09:00", "--all", "--format", "json")
    assert (f["row"], f["step"]["key"], f["who"]) == (2, "confirm_eve", "Tom Hardy")
    rems = _cli("reminders", one, "--from", "2026-11-22T09:00", "--to", "2026-11-25", "--format", "json")
    assert {n for r in rems if r["whom"]["role"] == "candidates" for n in r["whom"]["names"]} == {"Tom Hardy"}


def _moved_interview(path, booked, *below):
    """Anna Li's interview at Acme, logged on the client's contact's thread (Bob Stone),
    first booked for `booked` 10:00 and marked Rescheduled to Wed 25 Nov 10:00; `below`:
    the rows logged under it."""
    return typed_log(path, [
        {"Date": booked, "Time": "10:00", "Call type": "Interview", "Client": "Acme", "Contact": "Bob Stone",
         "Candidates": "Anna Li", "Outcome": "Rescheduled", "Next contact": datetime(2026, 11, 25, 10),
         "SM": "Olga"},
        *below])


def _annas_row(day, call_type, outcome):
    return {"Date": day, "Time": "08:00", "Call type": call_type, "Client": "Acme", "Contact": "Anna Li",
            "Outcome": outcome, "SM": "Olga"}


@pytest.mark.parametrize("booked, below", [
    ("2026-11-20", _annas_row("2026-11-22", "Follow-up", "Withdrawn")),
    ("2026-11-10", _annas_row("2026-11-22", "Interview", "Cancelled")),   # on her own thread (seed 003)
    ("2026-10-01", _annas_row("2026-11-22", "Follow-up", "Withdrawn")),   # first booked weeks before
])
def test_a_moved_interview_called_off_before_its_new_slot_is_not_confirmed(tmp_path, booked, below):
    # Found by a tester: the call-off was measured from the day the interview was first
    # booked for, not from the slot it was moved to: the candidate who withdrew on the
    # 22nd, between the two, was still to be called the day before the 25th.
    alone = _moved_interview(tmp_path / "alone.xlsx", booked)
    [f] = _cli("overdue", alone, "--as-of", "2026-11-22T09:00", "--all", "--format", "json")
    assert (f["row"], f["step"]["key"], f["due"][:10], f["who"]) == (2, "confirm_eve", "2026-11-24", "Anna Li")
    off = _moved_interview(tmp_path / "off.xlsx", booked, below)
    got = _cli("overdue", off, "--as-of", "2026-11-22T09:00", "--all", "--format", "json")
    assert [f for f in got if f["row"] == 2] == []
    assert not [f for f in got if f["step"]["key"] == "confirm_eve"], got


def test_a_withdrawal_after_the_moved_slot_leaves_the_interview_held_asking_for_its_outcome(tmp_path):
    # She withdrew on the 26th, after the interview moved to the 25th: it was held, and
    # its outcome is still owed, as when nobody withdrew.
    for name, below in (("alone", ()), ("late", (_annas_row("2026-11-26", "Follow-up", "Withdrawn"),))):
        path = _moved_interview(tmp_path / f"{name}.xlsx", "2026-11-20", *below)
        got = _cli("overdue", path, "--as-of", "2026-11-27T09:00", "--all", "--format", "json")
        assert [(f["row"], f["step"]["key"]) for f in got] == [(2, "outcome")], (name, got)


def _seed_003(path, *, cancelled=True):
    """Seed 003 as a tester typed it: the first round at 14:00 held, the second booked for
    16:00 on the client's contact's thread, and (with `cancelled`) the candidate's call at
    15:00 on his own thread, the second round cancelled."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Log"
    ws.append(["Date", "Time", "Call type", "Client", "Contact", "Candidates", "Outcome", "SM"])
    ws.append([FRI20, time(14), "Interview", "Omega", "Olga HR", "Petr Ivanov", "Done", "Kate"])
    ws.append([FRI20, time(16), "Repeat call", "Omega", "Olga HR", "Petr Ivanov", "Planned", "Kate"])
    if cancelled:
        ws.append([FRI20, time(15), "Repeat call", "Omega", "Petr Ivanov", "", "Cancelled", "Kate"])
    wb.save(path)
    return path


def _listed(path, as_of):
    return [(f["row"], f["step"]["key"], f["flag"])
            for f in _cli("overdue", path, "--as-of", as_of, "--all", "--format", "json")]


@pytest.mark.parametrize("as_of", ["2026-11-20T23:00", "2026-11-21T09:00", "2026-11-23T09:00", "2026-12-20T09:00"])
def test_a_second_round_called_off_stays_done_on_every_later_day(tmp_path, as_of):
    # Found by a tester: the round cancelled at 15:00 was done that evening, and from the
    # next day on asked "Log how the call went" (and refresh coloured it), while the
    # reminders had it called off: it was judged called off only while still to come.
    path = _seed_003(tmp_path / "seed003.xlsx")
    assert _listed(path, as_of) == [(4, "reason", "likely_rejected")]
    assert not [r for r in _cli("reminders", path, "--from", "2026-11-20T15:30", "--to", "2026-11-21",
                                "--format", "json") if r["call_row"] == 3]


def test_a_second_round_not_called_off_asks_for_its_outcome_once_past(tmp_path):
    path = _seed_003(tmp_path / "held.xlsx", cancelled=False)
    assert _listed(path, "2026-11-20T15:00") == [(3, "confirm_eve", "")]
    for as_of in ("2026-11-21T09:00", "2026-12-20T09:00"):
        assert _listed(path, as_of) == [(3, "outcome", "")], as_of


def _refreshed(path, as_of: str, sheet: str) -> dict[int, tuple]:
    """`tracker refresh` of the workbook as of `as_of`; then row -> (Status, Next action)
    as written on `sheet`, read back with openpyxl."""
    import openpyxl
    from click.testing import CliRunner

    from tracker.cli import main

    result = CliRunner().invoke(main, ["refresh", str(path), "--as-of", as_of], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    ws = openpyxl.load_workbook(path)[sheet]
    head = [c.value for c in ws[1]]
    status, action = head.index("Status"), head.index("Next action")
    return {n: (row[status], row[action]) for n, row in enumerate(ws.iter_rows(min_row=2, values_only=True), start=2)}


def test_refresh_the_day_after_writes_the_called_off_round_done(tmp_path):
    got = _refreshed(_seed_003(tmp_path / "seed003.xlsx"), "2026-11-21T09:00", "Log")
    assert got[3] == ("Done", None)
    assert got[4][0] == "Upcoming" and got[4][1].startswith("Likely rejected")


@pytest.mark.parametrize("as_of", ["2026-11-23T18:00", "2026-11-25T09:00", "2026-12-20T09:00"])
def test_a_round_cancelled_the_day_before_on_its_own_thread_keeps_its_reason_call_after_the_day(tmp_path, as_of):
    # The client's contact cancels on Mon 23 the round of Tue 24 16:00, logged below it:
    # the cancellation owes the call for the reason, on the day and after it (overdue), and
    # the round asks for no outcome.
    k = {"Client": "Omega", "SM": "Kate", "Contact": "Olga HR", "Candidates": "Petr Ivanov"}
    path = typed_log(tmp_path / "log.xlsx", [
        {**k, "Date": "2026-11-20", "Time": "14:00", "Call type": "Interview", "Outcome": "Done"},
        {**k, "Date": "2026-11-24", "Time": "16:00", "Call type": "Repeat call", "Outcome": "Planned"},
        {**k, "Date": "2026-11-23", "Time": "15:00", "Call type": "Repeat call", "Outcome": "Cancelled"},
    ])
    [f] = _cli("overdue", path, "--as-of", as_of, "--all", "--format", "json")
    assert (f["row"], f["step"]["key"], f["flag"], f["due"][:10]) == (4, "reason", "likely_rejected", "2026-11-24")
    assert f["status"] == {"2026-11-23T18:00": "upcoming"}.get(as_of, "overdue")


def _two_candidates(path, *withdrawn):
    """An interview of Ann Able and Ben Baker at Omega on Fri 27 Nov 10:00, logged on the
    client's contact's thread; `withdrawn`: (day, name) of each pulling out on their own."""
    return typed_log(path, [
        {"Date": "2026-11-27", "Time": "10:00", "Call type": "Interview", "Client": "Omega", "Contact": "Olga HR",
         "Candidates": "Ann Able; Ben Baker", "Outcome": "Planned", "SM": "Kate"},
        *({"Date": day, "Time": "11:00", "Call type": "Follow-up", "Client": "Omega", "Contact": who,
           "Outcome": "Withdrawn", "SM": "Kate"} for day, who in withdrawn)])


def test_an_interview_every_candidate_withdrew_from_stays_done_after_its_day(tmp_path):
    both = _two_candidates(tmp_path / "both.xlsx", ("2026-11-24", "Ann Able"), ("2026-11-25", "Ben Baker"))
    for as_of in ("2026-11-26T09:00", "2026-11-28T09:00", "2026-12-28T09:00"):
        assert _listed(both, as_of) == [], as_of
    # One still came: the interview was held, its outcome is owed.
    one = _two_candidates(tmp_path / "one.xlsx", ("2026-11-24", "Ann Able"))
    assert _listed(one, "2026-11-26T09:00") == [(2, "confirm_eve", "")]
    for as_of in ("2026-11-28T09:00", "2026-12-28T09:00"):
        assert _listed(one, as_of) == [(2, "outcome", "")], as_of


def test_a_moved_interview_called_off_before_its_new_slot_stays_done_after_it(tmp_path):
    for booked in ("2026-11-20", "2026-10-01"):
        path = _moved_interview(tmp_path / f"off{booked}.xlsx", booked,
                                _annas_row("2026-11-22", "Follow-up", "Withdrawn"))
        for as_of in ("2026-11-27T09:00", "2026-12-27T09:00"):
            assert _listed(path, as_of) == [], (booked, as_of)


@pytest.mark.parametrize("booked", ["2026-11-20", "2026-10-30"])
def test_silence_on_the_candidates_thread_before_her_moved_interview_is_not_chased(tmp_path, booked):
    # Found by a helper: her unanswered call of Sat 21 was chased (T+1 overdue) when her
    # interview, first booked for the 20th (or weeks before), had been moved to Wed 25;
    # with the interview simply dated the 25th it was not. The interview row owes the call.
    silent = _annas_row("2026-11-21", "Follow-up", "No answer")
    moved = _moved_interview(tmp_path / "moved.xlsx", booked, silent)
    dated = typed_log(tmp_path / "dated.xlsx", [
        {"Date": "2026-11-25", "Time": "10:00", "Call type": "Interview", "Client": "Acme", "Contact": "Bob Stone",
         "Candidates": "Anna Li", "Outcome": "Planned", "SM": "Olga"}, silent])
    for as_of in ("2026-11-23T09:00", "2026-11-24T09:00"):
        want = _listed(dated, as_of)
        assert [key for _, key, _ in want] == ["confirm_eve"]
        assert _listed(moved, as_of) == want, as_of
    # Once the interview is past, her silence is chased again, as with the dated one.
    assert _listed(moved, "2026-11-26T09:00") == _listed(dated, "2026-11-26T09:00") == \
        [(3, "t1", "chase"), (2, "outcome", "")]


def test_a_notice_of_a_moved_interview_leaves_the_one_call_to_the_interview_row(tmp_path):
    # The notice's interview is the moved one, at its new slot: one call the day before,
    # listed once, as when the interview row is dated that day.
    notice = {"Date": "2026-11-19", "Time": "09:00", "Call type": "Interview notice", "Client": "Acme",
              "Contact": "Anna Li", "Outcome": "Done", "Next contact": datetime(2026, 11, 25, 10), "SM": "Olga"}
    path = _moved_interview(tmp_path / "moved.xlsx", "2026-11-20", notice)
    assert _listed(path, "2026-11-23T09:00") == [(2, "confirm_eve", "")]


# ---------------------------------------------------------------- a contact agreed before an interview called off

def _agreed_then_called_off(path, how, *, agreed=True):
    """Olga HR of Omega agreed on Fri 20 Nov to be called back on Fri 27 (`agreed`), and an
    interview of Petr Ivanov with her was booked for Tue 24 16:00, then called off (`how`):
    `below`, her cancellation logged below it on the 23rd; `own`, the interview row's own
    outcome Cancelled; `withdrawn`/`cancelled`, Petr pulling out, or cancelling, on his own
    thread on the 23rd; `noted`, as `withdrawn` with the agreed day in the first call's
    comment, not in Next contact."""
    olga = {"Client": "Omega", "SM": "Kate", "Contact": "Olga HR"}
    first = {**olga, "Date": "2026-11-20", "Time": "11:00", "Call type": "First call", "Outcome": "Done"}
    if agreed and how == "noted":
        first["Comment on the call"] = "Company Name: Omega\nNext Step: CVs\nNext Contact Date: 27.11.2026"
    elif agreed:
        first.update({"Next contact": "2026-11-27", "Next step": "call back Friday about the second position"})
    interview = {**olga, "Date": "2026-11-24", "Time": "16:00", "Call type": "Interview", "Candidates": "Petr Ivanov",
                 "Outcome": "Cancelled" if how == "own" else "Planned"}
    petr = {"Client": "Omega", "SM": "Kate", "Contact": "Petr Ivanov", "Date": "2026-11-23", "Time": "15:00"}
    below = {
        "below": [{**olga, "Date": "2026-11-23", "Time": "15:00", "Call type": "Interview", "Candidates": "Petr Ivanov",
                   "Outcome": "Cancelled"}],
        "own": [],
        "withdrawn": [{**petr, "Call type": "Follow-up", "Outcome": "Withdrawn"}],
        "noted": [{**petr, "Call type": "Follow-up", "Outcome": "Withdrawn"}],
        "cancelled": [{**petr, "Call type": "Interview", "Outcome": "Cancelled"}],
    }[how]
    return typed_log(path, [first, interview, *below])


def _owed(path, as_of):
    return [(f["row"], f["step"]["key"], f["status"], (f["due"] or "")[:10], f["action"])
            for f in _cli("overdue", path, "--as-of", as_of, "--all", "--format", "json")
            if f["contact"] != "Petr Ivanov"]   # his own thread is not the question here


@pytest.mark.parametrize("how, row", [("below", 4), ("own", 3), ("withdrawn", 3), ("cancelled", 3), ("noted", 3)])
def test_a_contact_agreed_before_an_interview_called_off_is_still_owed(tmp_path, how, row):
    # Found by a helper: the interview called off was done, and so was the whole thread:
    # the call back agreed for Friday was listed on no day. The interview asks nothing
    # (no confirmation, no outcome); the agreed call is owed as if it had not been booked:
    # upcoming, due on its day, overdue after it (for two weeks, as an agreed call missed).
    path = _agreed_then_called_off(tmp_path / f"{how}.xlsx", how)
    action = "call back Friday about the second position"
    if how == "noted":   # no Next step written: the step's own words
        action = load_config().section("followups")["steps"]["next_contact"]["action"]["en"]
    for as_of, status in (("2026-11-23T18:00", "upcoming"), ("2026-11-25T09:00", "upcoming"),
                          ("2026-11-27T09:00", "due_today"), ("2026-11-30T09:00", "overdue")):
        assert _owed(path, as_of) == [(row, "next_contact", status, "2026-11-27", action)], (as_of, how)
    # In a month, the missed call is long past: the thread asks nothing more than it did.
    assert [key for _, key, *_ in _owed(path, "2026-12-28T09:00")] in ([], ["plan"])


@pytest.mark.parametrize("how, before", [("below", [(4, "plan")]), ("own", [(3, "plan")]), ("withdrawn", []),
                                         ("cancelled", [])])
def test_an_interview_called_off_with_nothing_agreed_before_is_judged_as_before(tmp_path, how, before):
    # Controls: no contact agreed before it, the called-off interview leaves the thread as
    # it was judged so far: done, or a next step to plan after a cancellation of its own.
    path = _agreed_then_called_off(tmp_path / f"{how}.xlsx", how, agreed=False)
    for as_of in ("2026-11-23T18:00", "2026-11-25T09:00", "2026-11-30T09:00"):
        assert [(r, key) for r, key, *_ in _owed(path, as_of)] == before, (as_of, how)


@pytest.mark.parametrize("how", ["below", "own", "withdrawn"])
def test_a_contact_agreed_for_the_interviews_own_day_goes_with_it(tmp_path, how):
    # The first call's Next contact was the interview's day: that contact was the
    # interview, and it is off with it.
    path = _agreed_then_called_off(tmp_path / f"{how}.xlsx", how)
    import openpyxl

    wb = openpyxl.load_workbook(path)
    ws = wb["Call log"]
    head = [c.value for c in ws[1]]
    ws.cell(2, head.index("Next contact") + 1, datetime(2026, 11, 24))
    wb.save(path)
    same = _agreed_then_called_off(tmp_path / f"none-{how}.xlsx", how, agreed=False)
    for as_of in ("2026-11-23T18:00", "2026-11-25T09:00"):
        assert [(r, key) for r, key, *_ in _owed(path, as_of)] == \
            [(r, key) for r, key, *_ in _owed(same, as_of)], (as_of, how)


def test_a_later_round_cancelled_owes_its_reason_call_first_then_the_agreed_contact(tmp_path):
    # Seed 003: the second round cancelled on her thread is likely a no, and the call for
    # the real reason is owed the next working day: one item for the thread, that one,
    # until it is logged; then the call back agreed for Friday is owed again.
    olga = {"Client": "Omega", "SM": "Kate", "Contact": "Olga HR"}
    rows = [
        {**olga, "Date": "2026-11-20", "Time": "11:00", "Call type": "First call", "Outcome": "Done",
         "Next contact": "2026-11-27", "Next step": "call back Friday about the second position"},
        {**olga, "Date": "2026-11-24", "Time": "16:00", "Call type": "Repeat call", "Candidates": "Petr Ivanov",
         "Outcome": "Planned"},
        {**olga, "Date": "2026-11-23", "Time": "15:00", "Call type": "Repeat call", "Candidates": "Petr Ivanov",
         "Outcome": "Cancelled"},
    ]
    waiting = typed_log(tmp_path / "waiting.xlsx", rows)
    for as_of, status in (("2026-11-23T18:00", "upcoming"), ("2026-11-25T09:00", "overdue"),
                          ("2026-11-27T09:00", "overdue")):
        assert [(r, key, st) for r, key, st, *_ in _owed(waiting, as_of)] == [(4, "reason", status)], as_of
    reasoned = typed_log(tmp_path / "reasoned.xlsx", rows + [
        {**olga, "Date": "2026-11-25", "Time": "10:00", "Call type": "Follow-up", "Outcome": "Replied"}])
    for as_of, status in (("2026-11-25T12:00", "upcoming"), ("2026-11-27T09:00", "due_today")):
        assert _owed(reasoned, as_of) == [(5, "next_contact", status, "2026-11-27",
                                           "call back Friday about the second position")], as_of


def test_refresh_writes_the_agreed_contact_on_the_interview_called_off(tmp_path):
    got = _refreshed(_agreed_then_called_off(tmp_path / "withdrawn.xlsx", "withdrawn"), "2026-11-25T09:00", "Call log")
    assert got[2] == ("Done", None)
    assert got[3][0] == "Upcoming" and "call back Friday about the second position" in got[3][1]


# ---------------------------------------------------------- the reason call made before the cancelled slot

def _reason_called(path, *later, agreed=False):
    """Seed 003 on the client's contact's thread: the first round held on Fri 20, the
    second booked for Tue 24 16:00, cancelled on Mon 23 at 15:00 (logged below it), then
    the rows `later`: (date, time, outcome[, call type: Follow-up]) of her calls after
    it. With `agreed`, the first round agreed a call back for Fri 27."""
    olga = {"Client": "Omega", "SM": "Kate", "Contact": "Olga HR"}
    first = {**olga, "Date": "2026-11-20", "Time": "14:00", "Call type": "Interview", "Candidates": "Petr Ivanov",
             "Outcome": "Done"}
    if agreed:
        first.update({"Next contact": "2026-11-27", "Next step": "call back Friday about the second position"})
    return typed_log(path, [
        first,
        {**olga, "Date": "2026-11-24", "Time": "16:00", "Call type": "Repeat call", "Candidates": "Petr Ivanov",
         "Outcome": "Planned"},
        {**olga, "Date": "2026-11-23", "Time": "15:00", "Call type": "Repeat call", "Candidates": "Petr Ivanov",
         "Outcome": "Cancelled"},
        *({**olga, "Date": day, "Call type": kind[0] if kind else "Follow-up", "Outcome": outcome,
           **({"Time": at} if at else {})} for day, at, outcome, *kind in later)])


def _listed_in_full(path, as_of):
    return [(f["row"], f["step"]["key"], f["status"], (f["due"] or "")[:10], f["flag"])
            for f in _cli("overdue", path, "--as-of", as_of, "--all", "--format", "json")]


_AFTER_THE_CALL = ("2026-11-23T18:00", "2026-11-24T09:00", "2026-11-25T09:00", "2026-11-30T09:00", "2026-12-20T09:00")


@pytest.mark.parametrize("kind, outcome", [("Follow-up", "Replied"), ("Repeat call", "Done")])
def test_the_reason_call_answered_before_the_cancelled_rounds_slot_is_made(tmp_path, kind, outcome):
    # Found by a helper: the consultant called Olga for the reason at 17:00 the day the round
    # of Tue 16:00 was cancelled, and she answered; the reason call was still owed, overdue
    # from Wednesday: the cancellation was judged as the thread's latest, the call before
    # the slot left out. It is the reason call made, as one made after the slot is: the
    # next step is to decide.
    made = _reason_called(tmp_path / "made.xlsx", ("2026-11-23", "17:00", outcome, kind))
    after = _reason_called(tmp_path / "after.xlsx", ("2026-11-25", "10:00", outcome, kind))
    for as_of in _AFTER_THE_CALL:
        assert _listed_in_full(made, as_of) == [(5, "plan", "no_next_action", "", "")], as_of
    assert _listed_in_full(made, "2026-11-25T12:00") == _listed_in_full(after, "2026-11-25T12:00")
    # Logged with no time below the cancellation, it came after it that day: the same.
    untimed = _reason_called(tmp_path / "untimed.xlsx", ("2026-11-23", None, outcome, kind))
    assert _listed_in_full(untimed, "2026-11-25T09:00") == [(5, "plan", "no_next_action", "", "")]


def test_the_reason_call_unanswered_before_the_slot_is_a_try_the_chase_counts_from(tmp_path):
    # No answer at 17:00 on the 23rd (or a follow-up marked Done: a chase message sent,
    # not answered): the silence is chased from that try (T+1 on Tue 24), as an
    # unanswered reason call made after the slot is chased from its day.
    for outcome in ("No answer", "Done"):
        tried = _reason_called(tmp_path / f"tried-{outcome}.xlsx", ("2026-11-23", "17:00", outcome))
        for as_of, status in (("2026-11-23T18:00", "upcoming"), ("2026-11-24T09:00", "due_today"),
                              ("2026-11-25T09:00", "overdue")):
            assert _listed_in_full(tried, as_of) == [(5, "t1", status, "2026-11-24", "chase")], (outcome, as_of)
        after = _reason_called(tmp_path / f"after-{outcome}.xlsx", ("2026-11-25", "10:00", outcome))
        assert _listed_in_full(after, "2026-11-26T09:00") == [(5, "t1", "due_today", "2026-11-26", "chase")]
    # The try answered the next morning: made.
    answered = _reason_called(tmp_path / "answered.xlsx", ("2026-11-23", "17:00", "No answer"),
                              ("2026-11-24", "10:00", "Replied"))
    assert _listed_in_full(answered, "2026-11-25T09:00") == [(6, "plan", "no_next_action", "", "")]


def test_the_reason_call_is_owed_with_no_call_after_the_cancellation(tmp_path):
    # Controls: nothing logged after the cancellation, or a call earlier that day (logged
    # below it, before it by its time): the reason call is owed, as before.
    for name, later in (("none", ()), ("earlier", (("2026-11-23", "11:00", "Replied"),)),
                        ("before", (("2026-11-22", "11:00", "Replied"),))):
        path = _reason_called(tmp_path / f"{name}.xlsx", *later)
        for as_of, status in (("2026-11-23T18:00", "upcoming"), ("2026-11-24T09:00", "due_today"),
                              ("2026-11-25T09:00", "overdue"), ("2026-12-20T09:00", "overdue")):
            assert _listed_in_full(path, as_of) == [(4, "reason", status, "2026-11-24", "likely_rejected")], \
                (name, as_of)


def test_the_reason_call_made_before_the_slot_leaves_the_agreed_contact_owed(tmp_path):
    # With a call back agreed for Friday on the first round, the reason call made on the
    # 23rd hands the thread to that contact, as one made after the slot does.
    path = _reason_called(tmp_path / "agreed.xlsx", ("2026-11-23", "17:00", "Replied"), agreed=True)
    after = _reason_called(tmp_path / "after.xlsx", ("2026-11-25", "10:00", "Replied"), agreed=True)
    for as_of, status in (("2026-11-24T09:00", "upcoming"), ("2026-11-25T12:00", "upcoming"),
                          ("2026-11-27T09:00", "due_today")):
        assert _listed_in_full(path, as_of) == [(5, "next_contact", status, "2026-11-27", "")], as_of
    for as_of in ("2026-11-25T12:00", "2026-11-27T09:00", "2026-11-30T09:00"):
        assert _listed_in_full(path, as_of) == _listed_in_full(after, as_of), as_of
    waiting = _reason_called(tmp_path / "waiting.xlsx", agreed=True)
    assert _listed_in_full(waiting, "2026-11-25T09:00") == [(4, "reason", "overdue", "2026-11-24", "likely_rejected")]


def test_refresh_writes_the_reason_call_made_before_the_slot(tmp_path):
    written = _refreshed(_reason_called(tmp_path / "made.xlsx", ("2026-11-23", "17:00", "Replied")),
                         "2026-11-25T09:00", "Call log")
    got = {n: status for n, (status, _) in written.items()}
    assert got == {2: "Done", 3: "Done", 4: "Done", 5: "No next action"}, got


def test_one_reason_call_made_after_two_rounds_cancelled_is_listed_once(tmp_path):
    # Olga cancels both second rounds (Petr's on Tue 24, Ann's on Thu 26) on Mon 23, a row
    # each, and answers the consultant's call at 17:00: that one call is made, listed once.
    # Without it, each cancellation owes its reason call, as before (a cancellation after
    # another is no reason call made).
    olga = {"Client": "Omega", "SM": "Kate", "Contact": "Olga HR"}
    rows = [
        {**olga, "Date": "2026-11-24", "Time": "16:00", "Call type": "Repeat call", "Candidates": "Petr Ivanov",
         "Outcome": "Planned"},
        {**olga, "Date": "2026-11-26", "Time": "16:00", "Call type": "Repeat call", "Candidates": "Ann Able",
         "Outcome": "Planned"},
        {**olga, "Date": "2026-11-23", "Time": "15:00", "Call type": "Repeat call", "Candidates": "Petr Ivanov",
         "Outcome": "Cancelled"},
        {**olga, "Date": "2026-11-23", "Time": "15:30", "Call type": "Repeat call", "Candidates": "Ann Able",
         "Outcome": "Cancelled"},
    ]
    made = typed_log(tmp_path / "made.xlsx", rows + [
        {**olga, "Date": "2026-11-23", "Time": "17:00", "Call type": "Follow-up", "Outcome": "Replied"}])
    for as_of in ("2026-11-23T18:00", "2026-11-25T09:00", "2026-11-27T09:00"):
        assert _listed_in_full(made, as_of) == [(6, "plan", "no_next_action", "", "")], as_of
    owed = typed_log(tmp_path / "owed.xlsx", rows)
    assert _listed_in_full(owed, "2026-11-23T18:00") == [(4, "reason", "upcoming", "2026-11-24", "likely_rejected"),
                                                         (5, "reason", "upcoming", "2026-11-24", "likely_rejected")]
