"""Statistics on small constructed logs whose answers are worked out by hand below."""
from __future__ import annotations

import json
from datetime import date, datetime, time
from pathlib import PurePath

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tracker.config import load_config
from tracker.errors import TrackerError
from tracker.followups import followups
from tracker.model import CallLog, CallRecord, Person
from tracker.stats import ALL, Stats, Table, compute, period_of


@pytest.fixture(scope="module")
def config(tmp_path_factory):
    # Keep a tracker.yaml in the developer's own config folder out of the tests.
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("XDG_CONFIG_HOME", str(tmp_path_factory.mktemp("xdg")))
        mp.setenv("APPDATA", str(tmp_path_factory.mktemp("appdata")))
        yield load_config()


def rec(row, day, call_type=None, outcome="", who="", at=None, **kw) -> CallRecord:
    return CallRecord(sheet="Log", row=row, id=str(row), call_type=call_type, date=day,
                      time=at, outcome=outcome, contact=who, **kw)


def log(records, path="anna.xlsx") -> CallLog:
    return CallLog(path=path, sheet="Log", header_row=1, headers=[], field_columns={},
                   language="en", records=list(records))


def one(rows, **dims):
    """The single row with these dimensions; file and manager default to the totals."""
    dims.setdefault("file", ALL)
    dims.setdefault("manager", ALL)
    found = [r for r in rows if all(getattr(r, k) == v for k, v in dims.items())]
    assert len(found) == 1, (dims, found)
    return found[0]


D = date(2026, 11, 16)  # a Monday: 2026-W47 runs 16..22 November


def day(n: int) -> date:
    return date.fromordinal(D.toordinal() + n)


def funnel_week():
    # A: notice, confirmed the day before, attended        -> invited, confirmed, attended
    # B: notice call + notice e-mail (one round), no-show  -> invited once, confirmed (implied), no_show
    # C: no notice row; the interview row is the invitation -> invited, confirmed (implied), attended
    # D: notice, interview cancelled                        -> invited only
    # E: notice call not answered                           -> nothing
    # Week 47: invited 4, confirmed 3, attended 2, no_show 1; rate 1 / (2 + 1).
    return [
        rec(2, day(0), "interview_notice", "done", "A"),
        rec(3, day(0), "interview_notice", "done", "B"),
        rec(4, day(0), "interview_notice", "", "B", channel="email"),
        rec(5, day(1), "interview_notice", "done", "D"),
        rec(6, day(1), "interview_notice", "no_answer", "E"),
        rec(7, day(2), "follow_up", "confirmed", "A"),
        rec(8, day(3), "interview", "attended", "A"),
        rec(9, day(3), "interview", "done", "", candidates=[Person("C", "17")], client="Acme"),
        rec(10, day(4), "interview", "no_show", "B"),
        rec(11, day(4), "interview", "cancelled", "D"),
    ]


def test_interview_funnel_of_a_week(config):
    s = compute([log(funnel_week())], config, by="week")
    row = one(s.interviews, period="2026-W47")
    assert (row.invited, row.confirmed, row.attended, row.no_show) == (4, 3, 2, 1)
    assert row.no_show_rate == pytest.approx(1 / 3)
    # The whole range is the same single week.
    assert one(s.interviews, period=ALL) == row.__class__(**{**row.as_dict(), "period": ALL})


def test_interview_events_count_on_the_day_they_happen(config):
    s = compute([log(funnel_week())], config, by="day")
    # Monday: A and B invited (B's e-mail is the same invitation).
    mon = one(s.interviews, period="2026-11-16")
    assert (mon.invited, mon.confirmed, mon.attended, mon.no_show) == (2, 0, 0, 0)
    assert mon.no_show_rate is None  # nobody was due to come: no denominator
    # Thursday: A attended (confirmed on Wednesday); C invited, confirmed and attended at once.
    thu = one(s.interviews, period="2026-11-19")
    assert (thu.invited, thu.confirmed, thu.attended, thu.no_show) == (1, 1, 2, 0)
    assert thu.no_show_rate == 0.0
    # Friday: B's no-show (its confirmation is implied that day); D's cancellation counts nothing.
    fri = one(s.interviews, period="2026-11-20")
    assert (fri.invited, fri.confirmed, fri.attended, fri.no_show) == (0, 1, 0, 1)
    assert fri.no_show_rate == 1.0


def test_a_rescheduled_interview_stays_one_round_and_a_second_round_is_a_new_invitation(config):
    rows = [
        rec(2, day(0), "interview_notice", "done", "A"),
        rec(3, day(2), "interview", "rescheduled", "A"),   # same round: no new invitation
        rec(4, day(3), "interview", "attended", "A"),      # round 1 ends
        rec(5, day(4), "interview", "planned", "A"),       # round 2: the booking invites
        rec(6, day(5), "repeat_call", "done", "A"),        # a clarification call: not an interview
    ]
    row = one(compute([log(rows)], config).interviews, period="2026-W47")
    assert (row.invited, row.confirmed, row.attended, row.no_show) == (2, 1, 1, 0)


def test_a_candidate_withdrawing_on_any_row_ends_the_round(config):
    # Aoki pulls out on a call of her own; a "confirmed" later on her thread (another
    # contact's meeting logged under her name) confirms no interview she was invited to.
    rows = [rec(2, day(0), "interview_notice", "done", "Aoki"),
            rec(3, day(1), "follow_up", "withdrawn", "Aoki"),
            rec(4, day(2), "follow_up", "confirmed", "Aoki")]
    row = one(compute([log(rows)], config).interviews, period="2026-W47")
    assert (row.invited, row.confirmed, row.attended, row.no_show) == (1, 0, 0, 0)


def test_confirmed_on_a_follow_up_needs_an_open_invitation(config):
    # A client confirming a meeting on a follow-up is not a candidate confirming an interview.
    rows = [rec(2, day(0), "follow_up", "confirmed", "Client Bob"),
            rec(3, day(0), "first_call", "confirmed", "Client Bob")]
    assert compute([log(rows)], config).interviews == []


def test_two_candidates_of_one_name_are_told_apart_by_their_employee_ids(config):
    rows = [
        rec(2, day(0), "interview_notice", "done", candidates=[Person("Anna Li", "E1")]),
        rec(3, day(0), "interview_notice", "done", candidates=[Person("Anna Li", "E2")]),
        rec(4, day(2), "interview", "attended", "Acme HR",
            candidates=[Person("Anna Li", "E1"), Person("Anna Li", "E2")]),
    ]
    row = one(compute([log(rows)], config).interviews, period=ALL)
    assert (row.invited, row.confirmed, row.attended, row.no_show) == (2, 2, 2, 0)


def test_a_candidate_named_twice_on_a_row_is_one_candidate(config):
    # Anna's interview cancelled ends her round once: her second mention is not a new
    # booking (an invitation) of a round the first one closed.
    rows = [
        rec(2, day(0), "interview_notice", "done", candidates=[Person("Anna Li", "E1"), Person("Ivan")]),
        rec(3, day(2), "interview", "cancelled", "Acme HR",
            candidates=[Person("Anna Li", "E1"), Person("Ivan"), Person("anna  li", "E1")]),
    ]
    row = one(compute([log(rows)], config).interviews, period=ALL)
    assert (row.invited, row.confirmed, row.attended, row.no_show) == (2, 0, 0, 0)


def test_a_candidate_written_without_her_id_is_the_one_of_that_name_with_an_id(config):
    rows = [
        # Anna: her ID comes last, on the client's thread; her notices before it opened her round.
        rec(2, day(0), "interview_notice", "done", "Anna Li"),                   # no candidate: the thread
        rec(3, day(1), "interview_notice", "", candidates=[Person("anna  li")]),  # same round
        rec(4, day(3), "interview", "attended", "Acme HR", candidates=[Person("Anna Li", "E1")]),
        # Ivan: his ID comes first; his rows after it, without it, stay in his round.
        rec(5, day(0), "interview_notice", "done", candidates=[Person("Ivan", "E5")]),
        rec(6, day(2), "interview", "rescheduled", "Acme HR", candidates=[Person("Ivan")]),
        rec(7, day(4), "interview", "no_show", "Ivan"),                          # no candidate: the thread
    ]
    row = one(compute([log(rows)], config).interviews, period=ALL)
    assert (row.invited, row.confirmed, row.attended, row.no_show) == (2, 2, 1, 1)


def test_calls_per_type_leave_out_calls_that_did_not_take_place(config):
    rows = [
        rec(2, day(0), "first_call", "done", "X"),
        rec(3, day(0), "first_call", "no_answer", "Y"),   # an attempt is a call made
        rec(4, day(1), "first_call", "planned", "Z"),     # not made
        rec(5, day(1), "interview", "cancelled", "Z"),    # not made
        rec(6, day(1), "follow_up", "", "Y"),
        rec(7, day(2), None, "done", "Y", call_type_raw="Звонок клиенту"),  # unknown type: as written
        rec(8, day(2), None, "done", "Y"),                # no type at all
    ]
    s = compute([log(rows)], config, by="week")
    counts = {r.call_type: r.count for r in s.calls if r.period == "2026-W47" and r.file == ALL and r.manager == ALL}
    assert counts == {"first_call": 2, "follow_up": 1, "Звонок клиенту": 1, "": 1, ALL: 5}


@pytest.mark.parametrize("when, by, expected", [
    (date(2026, 12, 31), "week", "2026-W53"),   # 2026 has 53 ISO weeks
    (date(2027, 1, 1), "week", "2026-W53"),     # a Friday: still the old year's week
    (date(2027, 1, 4), "week", "2027-W01"),
    (date(2024, 12, 30), "week", "2025-W01"),   # a Monday: already the new year's week
    (date(2024, 12, 30), "month", "2024-12"),
    (date(2027, 1, 1), "month", "2027-01"),
    (date(2026, 11, 22), "day", "2026-11-22"),
])
def test_periods(when, by, expected):
    assert period_of(when, by) == expected


def test_a_week_across_the_new_year_holds_both_years_days(config):
    rows = [rec(2, date(2026, 12, 31), "first_call", "done", "X"),
            rec(3, date(2027, 1, 1), "first_call", "done", "Y"),
            rec(4, date(2027, 1, 4), "first_call", "done", "Z")]
    weeks = {r.period: r.count for r in compute([log(rows)], config, by="week").calls
             if r.file == ALL and r.manager == ALL and r.call_type == ALL}
    assert weeks == {"2026-W53": 2, "2027-W01": 1, ALL: 3}
    months = {r.period: r.count for r in compute([log(rows)], config, by="month").calls
              if r.file == ALL and r.manager == ALL and r.call_type == ALL}
    assert months == {"2026-12": 1, "2027-01": 2, ALL: 3}


def test_since_and_until_are_inclusive_and_history_before_them_still_counts(config):
    rows = funnel_week()
    # Thursday..Friday only: A's and B's invitations (Monday) and A's confirmation
    # (Wednesday) fall outside, yet they are why Thursday does not invite A again.
    s = compute([log(rows)], config, by="week", since=day(3), until=datetime(2026, 11, 20, 9))
    row = one(s.interviews, period=ALL)
    # Thursday: C invited+confirmed, A and C attended; Friday: B confirmed (implied) + no-show.
    assert (row.invited, row.confirmed, row.attended, row.no_show) == (1, 2, 2, 1)
    assert {r.period for r in s.calls} == {"2026-W47", ALL}
    assert sum(r.count for r in s.calls if r.period == ALL and r.file == ALL
               and r.manager == ALL and r.call_type == ALL) == 2  # rows 8, 9 (10: B did not come)
    # A range with nothing in it gives no rows at all.
    empty = compute([log(rows)], config, since=date(2027, 1, 1))
    assert (empty.interviews, empty.calls, empty.ghosting, empty.response) == ([], [], [], [])


def test_two_logs_roll_up_with_the_file_dimension(config):
    anna = log([rec(2, day(0), "interview", "attended", "Ivan", manager="Anna"),
                rec(3, day(1), "interview", "no_show", "Olga", manager="Anna")], "team/anna.xlsx")
    # Boris has his own "Ivan": another person, so his notice is a new invitation.
    boris = log([rec(2, day(0), "interview_notice", "done", "Ivan", manager="Boris"),
                 rec(3, day(8), "interview", "no_show", "Ivan", manager="Boris")], "team/boris.xlsx")
    s = compute([anna, boris], config, by="week")
    a = one(s.interviews, period="2026-W47", file="team/anna.xlsx")
    assert (a.invited, a.attended, a.no_show, a.no_show_rate) == (2, 1, 1, 0.5)
    b = one(s.interviews, period=ALL, file="team/boris.xlsx")
    assert (b.invited, b.confirmed, b.no_show, b.no_show_rate) == (1, 1, 1, 1.0)
    team = one(s.interviews, period=ALL)
    # 2 + 1 invited; 1 attended; 1 + 1 no-shows: rate 2 / 3.
    assert (team.invited, team.attended, team.no_show) == (3, 1, 2)
    assert team.no_show_rate == pytest.approx(2 / 3)
    w48 = one(s.interviews, period="2026-W48")
    assert (w48.invited, w48.no_show) == (0, 1)
    assert {r.file for r in s.interviews} == {"team/anna.xlsx", "team/boris.xlsx", ALL}


def test_per_manager_rows_take_the_threads_manager_when_a_row_has_none(config):
    rows = [
        rec(2, day(0), "first_call", "done", "Ivan", manager="Anna"),
        rec(3, day(1), "follow_up", "done", "ivan "),          # same thread, no SM: Anna's
        rec(4, day(1), "first_call", "done", "Olga"),           # SM only written later: Boris's
        rec(5, day(2), "follow_up", "done", "Olga", manager="Boris"),
        rec(6, day(2), "first_call", "done", "Petr", manager=" anna"),  # same manager, other spelling
        rec(7, day(3), "first_call", "done", ""),               # nobody: no thread, no SM
        rec(8, day(4), "follow_up", "done", "Ivan", manager="Tom"),  # the thread handed over
        rec(9, day(5), "follow_up", "done", "Ivan"),            # no SM: the latest, Tom's
    ]
    s = compute([log(rows)], config)
    per = {r.manager: r.count for r in s.calls if r.period == ALL and r.file == ALL and r.call_type == ALL}
    assert per == {"Anna": 3, "Boris": 2, "Tom": 2, "": 1, ALL: 8}


def chase_log():
    # Thread   source    stage when silent        result
    # Ivan     linkedin  interview (row stage)    answered after 1 step  -> t1
    # Olga     linkedin  interview (notice row)   ghosted
    # Petr     referral  first_contact (1st call) answered after 2 steps -> t3
    # Sara     referral  offer                    answered after 3 steps -> last
    # Yuri     (none)    offer                    ghosted without a no_answer first
    # Lena     linkedin  interview                still running -> unresolved
    return [
        rec(2, day(0), "first_call", "no_answer", "Ivan", source="LinkedIn", stage="interview"),
        rec(3, day(1), "follow_up", "no_answer", "Ivan"),              # step 1 (T+1)
        rec(4, day(1), "follow_up", "replied", "Ivan"),
        rec(5, day(0), "interview_notice", "done", "Olga", source="linkedin"),
        rec(6, day(1), "follow_up", "no_answer", "Olga"),               # silent at interview
        rec(7, day(2), "follow_up", "done", "Olga"),
        rec(8, day(6), "follow_up", "ghosted", "Olga"),
        rec(9, day(0), "first_call", "no_answer", "Petr", source="Рекомендация"),
        rec(10, day(1), "follow_up", "done", "Petr", channel="sms"),     # step 1
        rec(11, day(3), "follow_up", "no_answer", "Petr", channel="phone"),  # step 2 ...
        rec(12, day(3), "follow_up", "done", "Petr", channel="email"),   # ... same day, same step
        rec(13, day(4), "follow_up", "replied", "Petr"),
        rec(14, day(0), "follow_up", "no_answer", "Sara", source="referral", stage="offer"),
        rec(15, day(1), "follow_up", "done", "Sara"),
        rec(16, day(3), "follow_up", "done", "Sara"),
        rec(17, day(4), "follow_up", "planned", "Sara"),                 # not a step: not done yet
        rec(18, day(6), "follow_up", "done", "Sara"),
        rec(19, day(7), "follow_up", "replied", "Sara"),
        rec(20, day(2), "follow_up", "ghosted", "Yuri", stage="offer"),
        rec(21, day(5), "interview", "no_answer", "Lena", source="linkedin"),
    ]


def test_ghost_rate_by_source_and_stage(config):
    s = compute([log(chase_log())], config)
    g = one(s.ghosting, source="linkedin", stage="interview")
    # Ivan (t1), Olga (ghosted), Lena (unresolved): 1 ghosted of 3.
    assert (g.chases, g.answered_t1, g.answered_t3, g.answered_last, g.ghosted, g.unresolved) == (3, 1, 0, 0, 1, 1)
    assert g.ghost_rate == pytest.approx(1 / 3)
    assert one(s.ghosting, source="referral", stage="first_contact").answered_t3 == 1
    assert one(s.ghosting, source="referral", stage="offer").answered_last == 1
    yuri = one(s.ghosting, source="", stage="offer")
    assert (yuri.chases, yuri.ghosted, yuri.ghost_rate) == (1, 1, 1.0)
    # By stage over all sources: offer = Sara (answered) + Yuri (ghosted).
    offer = one(s.ghosting, source=ALL, stage="offer")
    assert (offer.chases, offer.ghosted, offer.ghost_rate) == (2, 1, 0.5)
    # By source over all stages: referral = Petr + Sara, nobody ghosted.
    ref = one(s.ghosting, source="referral", stage=ALL)
    assert (ref.chases, ref.ghosted, ref.ghost_rate) == (2, 0, 0.0)
    total = one(s.ghosting, source=ALL, stage=ALL)
    assert (total.chases, total.answered_t1, total.answered_t3, total.answered_last,
            total.ghosted, total.unresolved) == (6, 1, 1, 1, 2, 1)


def test_chases_count_in_the_range_by_the_day_they_started(config):
    # Started on day 0: Ivan, Petr, Sara; later: Olga (1), Yuri (2), Lena (5).
    s = compute([log(chase_log())], config, until=day(0))
    assert one(s.ghosting, source=ALL, stage=ALL).chases == 3
    s = compute([log(chase_log())], config, since=day(1))
    assert one(s.ghosting, source=ALL, stage=ALL).chases == 3


def test_closing_a_chase_leaves_it_unresolved_and_a_later_silence_starts_another(config):
    rows = [
        rec(2, day(0), "first_call", "no_answer", "Ivan"),
        rec(3, day(1), "follow_up", "closed", "Ivan"),
        rec(4, day(2), "follow_up", "no_answer", "Ivan"),
        rec(5, day(2), "follow_up", "no_answer", "Ivan"),   # already in a chase: not a new one
        rec(6, day(3), "follow_up", "replied", "Ivan"),
    ]
    g = one(compute([log(rows)], config).ghosting, source="", stage="first_contact")
    # The second chase is silent at first_contact too: the last stage the thread told.
    assert (g.chases, g.unresolved, g.answered_t1, g.ghosted, g.ghost_rate) == (2, 1, 1, 0, 0.0)


def test_a_chase_that_reached_its_last_message_unanswered_is_ghosted_at_the_end_of_the_log(config):
    # DOMAIN: after the last message the thread is closed as ghosted; the follow-ups say
    # so (flag ghosted), where the statistics counted it unresolved, a 0% ghost rate.
    steps = [rec(2, day(0), "follow_up", "no_answer", "Ivan"), rec(3, day(1), "follow_up", "", "Ivan"),
             rec(4, day(3), "follow_up", "", "Ivan")]
    last = rec(5, day(5), "follow_up", "", "Ivan")
    g = one(compute([log(steps + [last])], config).ghosting, source=ALL, stage=ALL)
    assert (g.chases, g.ghosted, g.unresolved, g.ghost_rate) == (1, 1, 0, 1.0)
    # Before the last message it is still open.
    g = one(compute([log(steps)], config).ghosting, source=ALL, stage=ALL)
    assert (g.chases, g.ghosted, g.unresolved) == (1, 0, 1)


def test_rows_count_in_order_of_date_time_sheet_and_row_whatever_order_they_come_in(config):
    # Row 3 (a reply at 10:00) comes after row 9 (a silence at 09:00). (Row 9 without a time
    # would come after row 3, the row of its thread above it: test_stats_d2.)
    reply = rec(3, day(0), "follow_up", "replied", "Ivan", at=time(10))
    silence = rec(9, day(0), "follow_up", "no_answer", "Ivan", at=time(9))
    # One file, two sheets, one day without times: sheet A's row comes before sheet B's.
    b = CallRecord(sheet="B", row=2, id="2", call_type="follow_up", date=day(1), outcome="replied", contact="Olga")
    a = CallRecord(sheet="A", row=5, id="5", call_type="follow_up", date=day(1), outcome="no_answer", contact="Olga")
    g = one(compute([log([reply, silence]), log([b]), log([a])], config).ghosting, source=ALL, stage=ALL)
    assert (g.chases, g.answered_t1, g.unresolved) == (2, 2, 0)


def test_rows_of_one_moment_count_in_order_of_sheet_then_row(config):
    # One sheet, its rows listed out of order on one day without times: row 4's silence
    # comes before row 7's reply, so the chase is answered, not left running.
    reply = rec(7, day(0), "follow_up", "replied", "Ivan")
    silence = rec(4, day(0), "follow_up", "no_answer", "Ivan")
    g = one(compute([log([reply, silence])], config).ghosting, source=ALL, stage=ALL)
    assert (g.chases, g.answered_t1, g.unresolved) == (1, 1, 0)
    # Two sheets of one file, rows in ascending order as listed: sheet A's row 3 (the
    # silence) still comes before sheet B's row 2 (the reply).
    b = CallRecord(sheet="B", row=2, id="2", call_type="follow_up", date=day(0), outcome="replied", contact="Olga")
    a = CallRecord(sheet="A", row=3, id="3", call_type="follow_up", date=day(0), outcome="no_answer", contact="Olga")
    g = one(compute([log([b]), log([a])], config).ghosting, source=ALL, stage=ALL)
    assert (g.chases, g.answered_t1, g.unresolved) == (1, 1, 0)


def test_a_message_on_the_day_the_silence_began_is_not_a_step(config):
    rows = [
        rec(2, day(0), "first_call", "no_answer", "Ivan", at=time(10)),
        rec(3, day(0), "follow_up", "done", "Ivan", at=time(10, 5), channel="sms"),  # same day: T+0
        rec(4, day(1), "follow_up", "done", "Ivan", channel="wechat"),              # T+1: step 1
        rec(5, day(1), "follow_up", "replied", "Ivan"),
    ]
    g = one(compute([log(rows)], config).ghosting, source=ALL, stage=ALL)
    assert (g.answered_t1, g.answered_t3) == (1, 0)


def test_a_message_ahead_of_the_agreed_call_is_no_silence_the_call_unanswered_is(config):
    # The follow-ups owe the call agreed for 15:00: the e-mail at 14:45 is no chase, the
    # call at 15:05 unanswered starts one. Olga cancelled the call agreed: the message
    # after it is a chase.
    rows = [
        rec(2, day(0), "first_call", "done", "Ivan", at=time(10), next_contact=datetime.combine(day(2), time(15))),
        rec(3, day(2), "follow_up", "done", "Ivan", at=time(14, 45), channel="email"),
        rec(4, day(2), "follow_up", "no_answer", "Ivan", at=time(15, 5)),
        rec(5, day(3), "follow_up", "replied", "Ivan", at=time(9)),
        rec(6, day(0), "first_call", "done", "Olga", next_contact=day(5)),
        rec(7, day(1), "follow_up", "cancelled", "Olga"),
        rec(8, day(2), "follow_up", "done", "Olga"),
    ]

    def seen(now: datetime) -> tuple[set, tuple]:
        so_far = [r for r in rows if datetime.combine(r.date, r.time or time.min) <= now]
        latest = {fu.contact: fu for fu in followups(so_far, config, now)}
        chased = {who for who, fu in latest.items() if fu.flag == "chase"}
        g = [r for r in compute([log(so_far)], config, now=now).ghosting if r.source == r.stage == ALL
             and r.file == r.manager == ALL]
        return chased, (g[0].chases, g[0].unresolved) if g else (0, 0)

    assert seen(datetime.combine(day(2), time(14, 50))) == ({"Olga"}, (1, 1))
    assert seen(datetime.combine(day(2), time(15, 10))) == ({"Olga", "Ivan"}, (2, 2))
    g = one(compute([log(rows)], config).ghosting, source=ALL, stage=ALL)
    assert (g.chases, g.answered_t1, g.unresolved) == (2, 1, 1)


def test_median_time_to_first_response(config):
    rows = [
        # Ivan: first contact Mon 10:00, reply Mon 16:00 -> 6 h
        rec(2, day(0), "first_call", "done", "Ivan", at=time(10)),
        rec(3, day(0), "follow_up", "replied", "Ivan", at=time(16)),
        # ...silent again Tue 09:00, answers Wed 09:30 -> 24.5 h (a new clock)
        rec(4, day(1), "follow_up", "no_answer", "Ivan", at=time(9)),
        rec(5, day(2), "follow_up", "replied", "Ivan", at=time(9, 30)),
        # Olga: first contact Mon (no time), confirms Thu -> 3 whole days = 72 h
        rec(6, day(0), "interview_notice", "done", "Olga"),
        rec(7, day(3), "follow_up", "confirmed", "Olga", at=time(11)),
        # Petr: a planned call is not a contact; he answers his first call: no clock
        rec(8, day(0), "first_call", "planned", "Petr"),
        rec(9, day(1), "first_call", "replied", "Petr"),
        # Sara: contacted, never answers: nothing to measure
        rec(10, day(1), "first_call", "done", "Sara"),
    ]
    s = compute([log(rows)], config, by="week")
    r = one(s.response, period="2026-W47")
    assert (r.median_hours, r.n) == (24.5, 3)   # median of 6, 24.5, 72
    days = compute([log(rows)], config, by="day")
    assert one(days.response, period="2026-11-16").median_hours == 6.0
    assert one(days.response, period="2026-11-19").median_hours == 72.0


def test_rates_are_none_when_there_is_nothing_to_divide(config):
    rows = [rec(2, day(0), "interview_notice", "done", "A"),
            rec(3, day(0), "first_call", "done", "B")]
    s = compute([log(rows)], config)
    row = one(s.interviews, period=ALL)
    assert (row.invited, row.attended, row.no_show, row.no_show_rate) == (1, 0, 0, None)
    assert s.ghosting == []
    assert s.response == []


def test_rows_without_a_date_are_reported_not_counted(config):
    rows = [rec(2, None, "interview", "attended", "A", columns={"date": "B"}),
            rec(3, day(0), "first_call", "done", "B")]
    s = compute([log(rows)], config)
    assert [(p.row, p.column, p.cell) for p in s.problems] == [(2, "B", "Log!B2")]
    assert s.interviews == []
    assert one(s.calls, period=ALL, call_type=ALL).count == 1


def test_output_is_json_ready(config):
    s = compute([log(funnel_week() + chase_log()), log(funnel_week(), "b.xlsx")], config, since=day(0))
    text = json.dumps(s.as_dict())
    back = json.loads(text)
    assert back["since"] == "2026-11-16" and back["by"] == "week"
    for kind in ("interviews", "calls", "ghosting", "response"):
        flat = s.flat(kind)
        assert flat and json.loads(json.dumps(flat)) == flat
    assert set(s.flat("interviews")[0]) == {"period", "file", "manager", "invited", "confirmed",
                                             "attended", "no_show", "no_show_rate"}
    assert set(s.flat("ghosting")[0]) == {"file", "manager", "source", "stage", "chases", "answered_t1",
                                          "answered_t3", "answered_last", "ghosted", "unresolved", "ghost_rate"}
    with pytest.raises(TrackerError, match="interviews, calls, ghosting"):
        s.flat("ghosts")


def test_an_unknown_period_is_a_usage_error(config):
    with pytest.raises(TrackerError, match="day, week, month"):
        compute([], config, by="quarter")


def test_tables_in_each_language(config):
    rows = funnel_week() + [rec(30, day(0), "first_call", "done", "Z", manager="Anna")]
    s = compute([log(rows), log(chase_log(), "b.xlsx")], config, by="week")
    en = {t.id: t for t in s.tables(config, "en")}
    assert set(en) == {"interviews", "calls", "ghosting", "ghost_sources", "response", "managers", "files"}
    t = en["interviews"]
    assert t.title == "Interviews by week"
    assert t.header == ["Period", "Invited", "Confirmed", "Attended", "No-shows", "No-show rate"]
    # The funnel week's 4 invitations and Olga's notice in b.xlsx.
    assert t.rows[0][:5] == ["2026-W47", 5, 3, 2, 1] and t.rows[-1][0] == "Total"
    assert t.text_rows()[0][-1] == "33%"
    calls = en["calls"]
    assert calls.header[0] == "Period" and calls.header[-1] == "Total"
    assert "First call" in calls.header and "Interview notice" in calls.header
    assert all(len(r) == len(calls.header) == len(calls.kinds) for r in calls.rows)
    ghost = en["ghosting"]
    assert ["LinkedIn", "Interview", 3] == ghost.rows[0][:3]
    assert ghost.rows[-1][:2] == ["All", "All"]
    files = en["files"]
    assert [r[0] for r in files.rows] == ["anna.xlsx", "b.xlsx", "Total"]
    zh = {t.id: t for t in s.tables(config, "zh")}
    assert zh["interviews"].title == "面试统计（按周）"
    assert zh["interviews"].header[-1] == "爽约率"
    assert zh["ghosting"].rows[0][:2] == ["领英", "面试"]
    ru = {t.id: t for t in s.tables(config, "ru")}
    assert ru["interviews"].title == "Собеседования по неделям"
    assert ru["managers"].rows[-1][0] == "Итого"
    ja = {t.id: t for t in s.tables(config, "ja")}
    assert ja["response"].header[0] == "期間"
    for table in s.tables(config, "en"):
        assert isinstance(table, Table)
        assert all(len(r) == len(table.header) == len(table.kinds) for r in table.rows)
        json.dumps(table.as_dict())


def test_the_files_table_tells_files_of_one_name_apart_by_their_folders(config):
    paths = ["team/us/calls.xlsx", "team/eu/calls.xlsx", "old/eu/calls.xlsx", "team/anna.xlsx"]
    logs = [log([rec(2, day(0), "first_call", "done", "X")], path) for path in paths]
    files = {t.id: t for t in compute(logs, config).tables(config, "en")}["files"]
    shown = ["old/eu/calls.xlsx", "anna.xlsx", "team/eu/calls.xlsx", "us/calls.xlsx"]
    assert [r[0] for r in files.rows] == [str(PurePath(p)) for p in shown] + ["Total"]


def test_the_files_table_shows_a_file_read_with_nothing_in_the_range(config):
    # Found by a tester: a consultant's log with no calls in --since..--until, or an
    # empty one, was missing from By file: read and quiet looked like never read.
    busy = log([rec(2, day(0), "first_call", "done", "X"), rec(3, day(1), "interview", "attended", "Y")],
               "team/busy.xlsx")
    quiet = log([rec(2, day(-30), "first_call", "done", "Z")], "team/quiet.xlsx")
    empty = log([], "team/new hire.xlsx")
    s = compute([busy, quiet, empty], config, since=day(0))
    files = {t.id: t for t in s.tables(config, "en")}["files"]
    rows = {r[0]: r for r in files.rows}
    assert list(rows) == ["busy.xlsx", "new hire.xlsx", "quiet.xlsx", "Total"]
    calls = files.header.index("Calls")
    assert (rows["busy.xlsx"][calls], rows["quiet.xlsx"][calls], rows["new hire.xlsx"][calls]) == (2, 0, 0)
    assert rows["Total"][calls] == 2


def test_a_second_interview_logged_as_a_repeat_call_counts_in_the_funnel(config):
    # Found by a tester: second-round interviews (Repeat call, seed 002) counted only
    # when they were no-shows, so the no-show rate read 100% for a round of five.
    rows = [rec(2, day(0), "repeat_call", "done", "", candidates=[Person("A", "1")]),
            rec(3, day(0), "repeat_call", "done", "", candidates=[Person("B", "2"), Person("C", "3")]),
            rec(4, day(1), "repeat_call", "no_show", "", candidates=[Person("D", "4")]),
            rec(5, day(1), "repeat_call", "hired", "", candidates=[Person("E", "5")]),
            # A repeat call to clarify details with the client is no interview.
            rec(6, day(2), "repeat_call", "done", "Acme HR")]
    row = one(compute([log(rows)], config, by="week").interviews, period=ALL)
    assert (row.invited, row.attended, row.no_show) == (5, 4, 1)
    assert row.no_show_rate == pytest.approx(1 / 5)


def test_a_notice_still_planned_or_called_off_invited_nobody_yet(config):
    # Found by a tester: a notice still Planned (next week's) and one Cancelled counted as
    # invitations; an interview booked (Planned) is one.
    rows = [rec(2, day(0), "interview_notice", "planned", "A"),
            rec(3, day(0), "interview_notice", "cancelled", "B"),
            rec(4, day(0), "interview_notice", "rescheduled", "C"),
            rec(5, day(0), "interview", "planned", "D"),
            rec(6, day(1), "interview_notice", "done", "E")]
    row = one(compute([log(rows)], config, by="week").interviews, period=ALL)
    assert row.invited == 2   # D's booking, E's notice


def test_an_interview_nobody_came_to_is_no_call_made(config):
    rows = [rec(2, day(0), "interview", "no_show", "A"), rec(3, day(0), "interview", "attended", "B")]
    s = compute([log(rows)], config, by="week")
    assert one(s.calls, period=ALL, call_type=ALL).count == 1
    assert one(s.interviews, period=ALL).no_show == 1


def test_the_rules_come_from_the_configuration(config, tmp_path):
    user = tmp_path / "tracker.yaml"
    user.write_text(
        "stats:\n"
        "  interview_needs_candidates: []\n"
        # The chase's steps are the follow-ups' cadence: the statistics follow it.
        "followups:\n"
        "  steps:\n"
        "    t3: {day: 2}\n",
        encoding="utf-8",
    )
    custom = load_config(user)
    rows = [
        rec(2, day(0), "repeat_call", "done", "A"),          # a second interview now, naming no one
        rec(3, day(0), "first_call", "no_answer", "B"),
        rec(4, day(1), "follow_up", "done", "B"),
        rec(5, day(2), "follow_up", "replied", "B"),          # T+2: the T+3 step under these rules
    ]
    s = compute([log(rows)], custom)
    row = one(s.interviews, period=ALL)
    assert (row.invited, row.attended) == (1, 1)
    assert one(s.ghosting, source=ALL, stage=ALL).answered_t3 == 1
    default = compute([log(rows)], config)
    assert default.interviews == []
    assert one(default.ghosting, source=ALL, stage=ALL).answered_t1 == 1


# ---------------------------------------------------------------- invariants on any log

_OUTCOMES = ["", "planned", "done", "replied", "no_answer", "confirmed", "attended", "no_show",
             "cancelled", "rescheduled", "rejected", "withdrawn", "hired", "ghosted", "closed"]
_TYPES = ["first_call", "interview", "repeat_call", "interview_notice", "follow_up", None]

_records = st.lists(
    st.builds(
        lambda n, t, o, who, m, src, people: (n, t, o, who, m, src, people),
        st.integers(0, 40), st.sampled_from(_TYPES), st.sampled_from(_OUTCOMES),
        st.sampled_from(["A", "B", "C", ""]), st.sampled_from(["Anna", "Boris", ""]),
        st.sampled_from(["linkedin", "referral", ""]),
        # "A" written with one ID, another, none, or two people of that name at once.
        st.sampled_from([[], [Person("A", "1")], [Person("A", "2")], [Person("A")],
                         [Person("A", "1"), Person("A", "2")]]),
    ),
    max_size=40,
)


@settings(max_examples=60, deadline=None)
@given(_records, st.sampled_from(["day", "week", "month"]))
def test_totals_add_up_and_the_funnel_narrows(config, items, by):
    records = [rec(i + 2, date.fromordinal(date(2026, 12, 10).toordinal() + n), t, o, who,
                   manager=m, source=src, candidates=people)
               for i, (n, t, o, who, m, src, people) in enumerate(items)]
    s: Stats = compute([log(records[::2], "a.xlsx"), log(records[1::2], "b.xlsx")], config, by=by)
    cells = [r for r in s.interviews if ALL not in (r.period, r.file, r.manager)]
    total = [r for r in s.interviews if (r.period, r.file, r.manager) == (ALL, ALL, ALL)]
    for f in ("invited", "confirmed", "attended", "no_show"):
        assert sum(getattr(r, f) for r in cells) == (getattr(total[0], f) if total else 0)
    if total:
        t = total[0]
        assert t.invited >= t.confirmed >= t.attended + t.no_show
    for g in s.ghosting:
        assert g.chases == g.answered_t1 + g.answered_t3 + g.answered_last + g.ghosted + g.unresolved
        assert g.ghost_rate is None or 0 <= g.ghost_rate <= 1
    # A no-show on the consultant's own call (a follow-up, the interview notice) is a call made.
    made = sum(1 for _, t, o, _, _, _, people in items
               if (o not in ("planned", "cancelled", "rescheduled", "no_show")
                   or (o == "no_show" and t in ("follow_up", "interview_notice")))
               and not (o in ("confirmed", "withdrawn") and (t == "interview" or (t == "repeat_call" and people))))
    assert sum(r.count for r in s.calls if ALL not in (r.period, r.file, r.manager, r.call_type)) == made
    json.dumps(s.as_dict())


def test_an_interview_withdrawn_from_or_still_to_come_is_no_call_made(config):
    # Found by a tester: three interview rows marked Withdrawn counted 3 interviews held
    # in Calls by type, and an interview confirmed for tomorrow one made today.
    rows = [rec(2, day(0), "interview", "withdrawn", "A"),
            rec(3, day(1), "interview", "confirmed", "B"),
            rec(4, day(1), "follow_up", "confirmed", "B"),       # the call that got the yes
            rec(5, day(2), "interview", "attended", "C")]
    calls = {r.call_type: r.count for r in compute([log(rows)], config).calls
             if r.period == ALL and r.manager == ALL and r.file == ALL}
    assert calls.get("interview") == 1 and calls.get("follow_up") == 1
