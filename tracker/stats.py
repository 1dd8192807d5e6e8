"""Statistics of one call log or a whole team's: interviews and no-shows (seed 004),
calls per call type, chases and ghosting by source and stage (seed 001), and the time
to a first response, by day, ISO week or month, per file and per manager.

How rows count (the lists of outcomes and call types are in defaults/stats.yaml, which
users override, but for those that are the follow-ups' rules, read from them: which rows
are silence, which call types are interviews and notices; the ids below are the defaults):

* Rows without a date are left out and reported as problems. Rows are taken in order of
  date, time, sheet and row, a thread's rows of one day as the follow-ups take them
  (followups._by_time): a row without a time, or still to happen (the follow-ups'
  scheduled_outcomes, planned: its time says when, not when it was logged), comes after
  the row of its thread above it that day, and after every other such row of its thread
  above it (the lower of two was written later); with none above it, at the start of its
  day. Candidates and threads are kept apart per file: two consultants' "Ivan" are two people.
* As of `now` (passed in): rows after it are still to come. They are no calls made and
  no step or reply of a chase (the log ends at `now`), and what is written on them has
  not happened yet: an interview row booked ahead is an invitation already (confirmed
  when marked so), nothing more (not attended nor a no-show, whatever its outcome says);
  a notice still to send invites no one. Without `now`, every row counts as written.
* Manager of a row: its SM cell, else the latest SM written on the same thread before it,
  else the first SM written on the thread anywhere. Spelling variants that differ only in
  case or spaces are one manager, shown as first written.
* calls: rows per call type (canonical id, else the text as written) in the period of
  the row's date, except rows that did not take place (planned, cancelled, rescheduled,
  no-show; an interview confirmed or withdrawn from; any row after `now`). A no-show
  says the person did not come to the row's interview or meeting; on the consultant's
  own call or message (the follow-ups' chase, notice and report types: follow_up,
  interview_notice, report_sent) it says what the call was about, the call asking why
  they did not come: a call made. Chases and response times take "a call made" alike.
* interviews, per candidate (each person in Candidates, else the row's thread taken as a
  name; "Name (ID)" tells two people of one name apart, and a name written without its ID
  is the one of that name written with an ID in the file, unless there are two) and per
  round (invitation to the interview's outcome); each event counts in the period of the
  row that shows it. Rows of the calls held with the client's side (the follow-ups'
  client_types: first call, introductory call, report sent) move no round: a no-show
  there is the client, or the hired employee, not coming to a meeting, no interview's:
  invited — the first notice row of a round (interview_notice, unless silent as the
  follow-ups say, no_answer: we reached no one), or the interview row itself when no
  notice came before it: a second notice in the same round (the call, then the e-mail)
  is not a second invitation;
  confirmed — outcome confirmed on a notice/interview row, or on any row while the
  candidate has an open invitation, or (none open) dated from the day-before call's day
  (the follow-ups' confirm step) of the interview row that then books the interview: that
  row is dated by the interview, so it sorts after the call; implied by attended and by
  no-show, because a no-show is someone who agreed to come (seed 004), so invited >=
  confirmed >= attended + no_show;
  attended — outcome attended on any row, or attended/done/hired/rejected on an
  interview row (the interview took place; the outcome is the client's verdict);
  no_show — outcome no_show on any row; attended and no_show end the round, and so do
  an interview row cancelled or withdrawn and any row of an open round withdrawn or
  cancelled (counting neither). A rescheduled interview stays in its round. With no round
  open, attended or no_show on a row that is not an interview, or on an interview row of
  the day of the candidate's last round's outcome, is that interview told again: it
  starts no round, and when it differs it replaces that outcome where it was counted.
  no_show_rate = no_show / (attended + no_show), None when that is 0.
* chases, per thread, as the follow-ups (followups.py) run them: a row they call silent
  (no answer, a chase message sent: a follow-up done or blank) on a thread not in a chase
  starts one, unless the thread waits on what the follow-ups owe first: a sent report's
  own steps (its SMS, its call: the chase starts at the call unanswered), a contact
  agreed on an earlier row (its Next contact, kept by every row since) for a later moment
  (a message sent ahead of the agreed call is no silence), an interview notice's
  interview until its day is over (its Next contact, else the interview row booked on
  its thread in the two weeks after it: the call the evening before, unanswered, is the
  follow-ups' call to confirm it). Then a silent row is a step, on a day after the silence
  began (a day with a call and an e-mail is one step; a row that day by a later step's
  channel is that step: the late T+1 message and the T+3 call), the step the follow-ups count it as
  (followups._Run.log: made by a later step's channel, due by its day, it is that step,
  those before it skipped: the T+3 call with no T+1 message, then the last message, is the
  last step); after the last step the follow-ups closed the thread as ghosted, and a
  silent row on a later day ends the chase ghosted and starts one of its own; a report sent ends it unresolved
  and runs its own steps, as the follow-ups restart there; a ghosted row ends it as
  ghosted (a ghosted row outside a chase is a chase started and ghosted at once); closed/cancelled
  leave it unresolved, and so does the end of the log, unless the chase had reached its
  last step (the last message): then it is ghosted, as the follow-ups close that thread
  (DOMAIN: after the last message, ghosted); any other row that took place, or a reply
  (replied, confirmed, attended, rescheduled, rejected, withdrawn, hired), answers it;
  a no-show at the interview or meeting (no call made, no reply) ends it unresolved
  (ghosted after the last step), as the follow-ups end it there: the silence since (the
  call asking why, unanswered) is a chase of its own; a row planned (its outcome not
  written yet) does neither, nor does an
  interview still waiting for its outcome that a row calls off (as the follow-ups find
  it: it did not take place, the silence runs on past its slot; off a chase it changes
  nothing the thread waits on). A withdrawal told on someone else's row (followups.told_withdrawal: the
  client's HR telling us Petr pulled out) does not close her thread: it answers her chase
  and, as the client's cancellation of a round, drops what she was waiting on but agrees
  its own next contact; Petr's chase runs to the end of the log, as one closed there
  counts (the follow-ups close his thread when no row of his follows). Answered at which
  step: the last step of the follow-ups' cadence due by the reply's day, counted in their
  calendar or working days: answered_t1 (the first step, or sooner), answered_last (the
  last), else answered_t3. Source and stage: the thread's where the chase started, found
  as a row's manager is: the row starting it, else the latest on the thread before it,
  else the first on the thread (a row's call type telling its stage when the Stage cell
  is blank; a Stage of stats closing_stages, "Closed", says how the thread ended, not
  where it stood: as if blank). A stage written on a later row of the chase (interview,
  then offer) does not move it: the stage counted is the one the thread went silent at;
  a ghosted row outside a chase counts at the stage told before it, not its own.
  A chase counts in the range by the day it started.
  ghost_rate = ghosted / chases (chases = answered_* + ghosted + unresolved).
* time to first response, per thread: the clock starts at the first row that took place
  (first contact) unless it is itself a response (replied, confirmed), and at any silent
  row when it is not running; the next response stops it. A call held or a meeting with
  them (a row that took place, not silent, not the consultant's own message: a notice, a
  report, a chase) while it runs starts it again there: they were reached, what it
  waited on is over. And a silent row, or our own message, starts it again when a call
  held or a meeting started it (first contact too): a reply then answers our try
  unanswered or our message, not the client's first interview weeks before. A row
  marked ghosted or closed is the consultant's note of the thread's end: no contact.
  Hours between the rows (whole days x 24 when either row has no time), counted in the
  period and under the manager of the response.

Totals: every output row also exists with "*" for any of its dimensions (period "*" is
the whole range; file, manager, call_type, source, stage "*" is all of them). "" means
the log did not say (no SM, no source...). Periods: "2026-11-22", "2026-W47", "2026-11".
"""
from __future__ import annotations

import operator
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field, fields
from datetime import date, datetime, time, timedelta
from functools import partial
from itertools import chain, compress, count, islice, repeat
from pathlib import PurePath
from typing import Any, Callable, Iterable

from .collector import collector_paused
from .config import WorkingCalendar
from .errors import TrackerError
from .followups import (INTERVIEW_AHEAD_DAYS, called_off_by, calls_off, chase_rules, shift, silent, start_run,
                        told_withdrawal, withdraws)
from .model import CallLog, CallRecord, Person, Problem
from .notes import interview_reader

ALL = "*"
PERIODS = ("day", "week", "month")
KINDS = ("interviews", "calls", "ghosting", "response")
_RESULTS = ("answered_t1", "answered_t3", "answered_last", "ghosted", "unresolved")


def period_of(day: date, by: str) -> str:
    """The period a day falls in: "2026-11-22", "2026-W47" (ISO week) or "2026-11"."""
    if by == "day":
        return day.isoformat()
    if by == "week":
        year, week, _ = day.isocalendar()
        return f"{year}-W{week:02d}"
    if by == "month":
        return f"{day.year}-{day.month:02d}"
    raise TrackerError(f"statistics by {by!r}: choose one of {', '.join(PERIODS)}")


def _rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


# ---------------------------------------------------------------- output rows

class _OutputRow:
    def as_dict(self) -> dict[str, Any]:
        # Its fields hold text and numbers only: a copy, without asdict's deep one
        # (a team's 20 000 rows of calls per week took 0.09 s).
        return dict(self.__dict__)


@dataclass(frozen=True)
class InterviewRow(_OutputRow):
    period: str
    file: str
    manager: str
    invited: int
    confirmed: int
    attended: int
    no_show: int
    no_show_rate: float | None


@dataclass(frozen=True)
class CallsRow(_OutputRow):
    period: str
    file: str
    manager: str
    call_type: str   # canonical id, else the text as written; "*" = all types
    count: int


@dataclass(frozen=True)
class GhostRow(_OutputRow):
    file: str
    manager: str
    source: str      # canonical source id, else the text as written
    stage: str       # stage where the thread went silent
    chases: int
    answered_t1: int
    answered_t3: int
    answered_last: int
    ghosted: int
    unresolved: int
    ghost_rate: float | None


@dataclass(frozen=True)
class ResponseRow(_OutputRow):
    period: str
    file: str
    manager: str
    median_hours: float | None
    n: int


@dataclass
class Table:
    """A sheet-ready table: `kinds` says per column how to show a cell: text, int,
    rate (0..1 or None) or hours (a number or None)."""

    title: str
    header: list[str]
    rows: list[list]
    kinds: list[str] = field(default_factory=list)
    id: str = ""

    def text_rows(self) -> list[list[str]]:
        """The rows as text for a terminal: rates as percentages, None as a dash."""
        out = []
        for row in self.rows:
            cells = []
            for value, kind in zip(row, self.kinds or ["text"] * len(row)):
                if value is None:
                    cells.append("–")
                elif kind in _SHOWN:
                    cells.append(_as_shown(value, *_SHOWN[kind]))
                else:
                    cells.append(str(value))
            out.append(cells)
        return out

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


# How the terminal shows a rate and hours, and the Stats sheet's number formats for them
# (one rule, so the two agree): percent with no decimals, hours with one.
_SHOWN = {"rate": (100, 0, "%"), "hours": (1, 1, "")}
NUMBER_FORMATS = {"rate": "0%", "hours": "0.0"}


def _as_shown(value: float, scale: int, places: int, unit: str) -> str:
    """Rounded half away from zero, as Excel shows a number: 2/16 is 13%, not Python's 12%."""
    from decimal import ROUND_HALF_UP, Decimal

    # From the shortest decimal that is the float (0.145, not 0.14499...), as Excel reads it.
    return f"{(Decimal(repr(value)) * scale).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)}{unit}"


_ROW_TYPES = {"interviews": InterviewRow, "calls": CallsRow, "ghosting": GhostRow, "response": ResponseRow}


@dataclass
class Stats:
    by: str
    since: date | None
    until: date | None
    interviews: list[InterviewRow] = field(default_factory=list)
    calls: list[CallsRow] = field(default_factory=list)
    ghosting: list[GhostRow] = field(default_factory=list)
    response: list[ResponseRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    # Every file counted, those with nothing in the range too: the By file table shows
    # them with zeros, or a consultant with a quiet week looks like one never read.
    files: list[str] = field(default_factory=list)
    # The interviews by other periods than `by`, when asked for (the Stats sheet keeps
    # DOMAIN's table by day, week and month): period kind -> rows, as `interviews`.
    interviews_by: dict[str, list[InterviewRow]] = field(default_factory=dict)

    def flat(self, kind: str) -> list[dict[str, Any]]:
        """JSON/CSV-ready rows of one kind: interviews, calls, ghosting or response."""
        if kind not in KINDS:
            raise TrackerError(f"no statistics called {kind!r}: choose one of {', '.join(KINDS)}")
        return [row.as_dict() for row in getattr(self, kind)]

    @staticmethod
    def columns(kind: str) -> list[str]:
        """The fields of `kind`'s rows, for a CSV header that is there with no rows too."""
        return [f.name for f in fields(_ROW_TYPES[kind])]

    def as_dict(self) -> dict[str, Any]:
        return {
            "by": self.by,
            "since": self.since.isoformat() if self.since else None,
            "until": self.until.isoformat() if self.until else None,
            **{kind: self.flat(kind) for kind in KINDS},
            "problems": [p.as_dict() for p in self.problems],
        }

    def tables(self, config, lang: str | None = None) -> list[Table]:
        return _tables(self, config, lang or config.language)


# ---------------------------------------------------------------- rules from config

# No eq or repr (never used): the class is made in half the time at import.
@dataclass(frozen=True, eq=False, repr=False)
class _Rules:
    calls_not_held: frozenset[str]
    interviews_not_held: frozenset[str]
    # A call made, one rule for the calls, the chases and the response times: a row
    # whose outcome is none of calls_not_held, or a no-show on one of these, the
    # consultant's own call or message (the follow-ups' chase, notice and report types):
    # the no-show is what it was about (the follow-up asking why they did not come). A
    # no-show on any other row (an interview, a meeting) is the person not coming: no
    # call made. (Written out inline in the loops over every row: the second test is
    # asked only of the few rows the first one holds.)
    own_calls: frozenset[str]
    notice_types: frozenset[str]
    interview_types: frozenset[str]
    # Calls held with the client's side (the follow-ups' client_types: the first call,
    # the introductory call, a report sent): no one's interview. A no-show there is the
    # client, or the hired employee, not coming; they move no candidate's round.
    client_calls: frozenset[str]
    needs_candidates: frozenset[str]
    # The candidates an interview row's comment names (notes.interviewed: the summaries'
    # parse of "Today we interviewed:"), for a row whose Candidates cell is blank.
    interviewed: Callable[[CallRecord], list]
    not_an_invitation: frozenset[str]
    notice_not_sent: frozenset[str]
    confirmed: frozenset[str]
    interview_held: frozenset[str]
    no_show: frozenset[str]
    round_end: frozenset[str]
    reply: frozenset[str]
    response: frozenset[str]
    ghosted: frozenset[str]
    chase_end: frozenset[str]
    stage_from_call_type: dict[str, str]
    closing_stages: frozenset[str]     # a Stage saying how a thread ended, not where it stood
    # From the follow-up engine, so that the statistics count a chase as the follow-ups
    # run it: which rows are silence (they start a chase, or are its steps), what a sent
    # report's steps are before it, which outcomes keep a contact agreed on an earlier row
    # and which close a thread, the cadence's days, and the day of the call that confirms
    # an interview. (The interview and notice types are theirs too, above.)
    silent: Callable[[str | None, str], bool]
    chase: Any                          # the follow-ups' own rules (followups.chase_rules)
    cadence_days: tuple[int, ...]
    cadence_working: WorkingCalendar | None    # None: calendar days
    confirm_day: int
    confirm_working: WorkingCalendar | None
    calendar: WorkingCalendar                  # the working days less the holidays

    @classmethod
    def from_config(cls, config) -> "_Rules":
        # A hand-made Config without the stats section still works: nothing matches.
        s = config.data.get("stats") or {}

        def ids(key: str) -> frozenset[str]:
            return frozenset(str(v) for v in (s.get(key) or ()))

        # The follow-ups' rules, not a second copy that would drift from them: which rows
        # are silence (a notice or interview row unanswered invited nobody), which call
        # types are interviews (those confirmed the day before) and notices, which
        # outcomes confirm attendance (rows after `now` are left out before they are asked).
        fu = chase_rules(config)

        return cls(
            calls_not_held=ids("calls_not_held"),
            interviews_not_held=ids("interviews_not_held"),
            own_calls=fu.chase_types | fu.notice_types | fu.report_types,
            notice_types=fu.notice_types,
            interview_types=fu.confirm_types,
            client_calls=fu.client_types - fu.confirm_types - fu.notice_types,
            needs_candidates=ids("interview_needs_candidates") & fu.confirm_types,
            interviewed=interview_reader(config),
            not_an_invitation=fu.silent_outcomes,
            notice_not_sent=ids("notice_not_sent"),
            confirmed=fu.confirmed_outcomes,
            interview_held=ids("interview_held_outcomes"),
            no_show=ids("no_show_outcomes"),
            round_end=ids("round_end_outcomes"),
            reply=ids("reply_outcomes"),
            response=ids("response_outcomes"),
            ghosted=ids("ghosted_outcomes"),
            chase_end=ids("chase_end_outcomes"),
            stage_from_call_type={str(k): str(v) for k, v in (s.get("stage_from_call_type") or {}).items()},
            closing_stages=ids("closing_stages"),
            silent=partial(silent, fu),
            chase=fu,
            cadence_days=tuple(sorted(step.day or 0 for step in fu.cadence.steps)),
            cadence_working=fu.calendar if fu.cadence.working else None,
            confirm_day=fu.confirm_step.day or 0,
            confirm_working=fu.calendar if fu.confirm_working else None,
            calendar=fu.calendar,
        )


def _label(config, key: str, lang: str) -> str:
    spec = ((config.data.get("stats") or {}).get("labels") or {}).get(key) or {}
    return spec.get(lang) or spec.get("en") or key


# ---------------------------------------------------------------- the rows we work on

def _words(text: str) -> str:
    return " ".join(str(text or "").split())


# No eq or repr (never used): the class is made in half the time at import.
@dataclass(eq=False, repr=False)
class _File:
    """One file's dated rows in order (_date_order), a list per field: a team's 100 000
    rows stay a handful of objects, quick to walk together with zip. The first `taken`
    have taken place; the rest are still to come."""

    records: list[CallRecord]
    dates: list[date]
    times: list[time | None]
    threads: list[str]
    managers: list[str]     # the effective manager of each row
    outcomes: list[str]
    call_types: list[str | None]
    stages: list[str]
    sources: list[str]
    next_contacts: list[date | datetime | None]
    taken: int
    # The rows' positions as read, and their channels there: a chase's steps look up
    # their channel so (a record's attribute, 0.4 us a read, took 4 ms at 100 000 rows;
    # the column taken in order, 1.6 ms).
    positions: list[int]
    channels_as_read: list[str]
    silent: dict | None = None   # _silent_sets


class _Names:
    """One display spelling per name that differs only in case and spaces."""

    def __init__(self) -> None:
        self._seen: dict[str, str] = {}
        self._raw: dict[str, str] = {}

    def spell(self, texts: list[str]) -> list[str]:
        """The display spelling of each text; the first written wins."""
        for text in dict.fromkeys(texts):
            if text not in self._raw:
                words = _words(text)
                self._raw[text] = self._seen.setdefault(words.casefold(), words)
        return list(map(self._raw.__getitem__, texts))


def _canon(config, list_name: str, text: str, cache: dict) -> str:
    """A list value as its canonical id when the configuration knows it, else as written."""
    key = (list_name, text)
    if key not in cache:
        words = _words(text)
        if not words:
            cache[key] = ""
        elif words in config.list_ids(list_name):
            cache[key] = words
        else:
            cache[key] = config.match_list(list_name, words) or words
    return cache[key]


def _date_order(dates: list[date | None], times: list[time | None], sheets: list[str], rows: list[int],
                dated: list[int], threads: list[str], outcomes: list[str], scheduled: frozenset[str],
                now: datetime | None) -> tuple[list[int], list[str], int]:
    """Positions `dated` (those of the rows with a date) in the order the follow-ups take
    a thread's rows (followups._by_time): by date, time, sheet and row; but a row without
    a time, or still to happen (a scheduled outcome: its time says when, not when it was
    logged), comes after the row of its thread above it that day, and after every other
    such row of its thread above it (the lower of two was written later); with none above
    it, at the start of its day. The rows still to come at `now` come last. Returned with
    the rows' threads in that order, and how many rows have taken place."""
    found = set(times)
    # A day's slots: 0 for the rows without a time, then one per time written.
    clock = {t: i for i, t in enumerate(sorted(found - {None}), 1)}
    clock[None] = 0
    n = len(clock)
    day = {d: i * n for i, d in enumerate(sorted(d for d in set(dates) if d is not None))}
    day[None] = 0   # the rows without a date: their keys are never looked at
    # Each field ranked once, then one whole number per row: sorting those is quicker
    # than sorting tuples of dates and times (and a map of them quicker than a loop).
    keys = list(map(operator.add, map(day.__getitem__, dates), map(clock.__getitem__, times)))
    # Found by list.index, in C: the few rows still to happen with a time.
    held = [p for o in scheduled for p in _positions(outcomes, o) if times[p] is not None]
    for p in held:
        keys[p] -= clock[times[p]]
    sheet = {s: i for i, s in enumerate(sorted(set(sheets)))}
    scale = 1
    if len(sheet) > 1 or not all(map(operator.lt, rows, rows[1:])):
        # Unless the rows come as the sheet has them (one sheet, top to bottom: the
        # stable sort keeps them so), the sheet and row go into the key. (Left out, the
        # keys stay small numbers, quicker to make and to sort: 10 ms less at 100 000 rows.)
        n_sheets, n_rows = len(sheet), max(rows, default=0) + 1
        scale = n_sheets * n_rows
        keys = [(k * n_sheets + sheet[s]) * n_rows + r for k, s, r in zip(keys, sheets, rows)]
    order = sorted(dated, key=keys.__getitem__)
    if not order:
        return order, [], 0
    # (One itemgetter of all the positions takes a column in order at C speed.)
    in_order = list(operator.itemgetter(*order)(threads)) if len(order) > 1 else [threads[order[0]]]
    if len(found) > 1 and (None in found or held):   # rows with a time and rows without
        _after_their_thread(order, in_order, keys, n, scale)
    taken = len(order)
    if now is not None:
        taken = _still_to_come_last(order, in_order, dates, times, now)
    return order, in_order, taken


def _positions(values: list, value: Any) -> list[int]:
    """The positions of `value` in `values`, found by list.index (in C)."""
    found, n = [], -1
    try:
        while True:
            n = values.index(value, n + 1)
            found.append(n)
    except ValueError:
        return found


def _after_their_thread(order: list[int], threads: list[str], keys: list[int], n: int, scale: int) -> None:
    """Move, in `order` (and `threads`, its rows' threads), each row without a time (slot
    0 of its day's `n` slots, keys `scale` apart) after its thread's rows above it that
    day, as the follow-ups order them (followups._by_time): it takes the time of the
    latest row with one above it, or of a row without one above it that took one."""
    key = keys.__getitem__
    width = n * scale   # the keys of one day
    a, end = 0, len(order)
    while a < end:
        start = key(order[a])
        start -= start % width
        b = bisect_left(order, start + width, a, end, key=key)
        e = bisect_left(order, start + scale, a, b, key=key)   # order[a:e]: no time
        # Only the threads with rows both with and without a time that day are looked at.
        if a < e < b:
            mixed = set(threads[a:e]).intersection(threads[e:b])
            mixed.discard("")   # a row about no one is a thread of its own
            if mixed:
                _move_untimed(order, threads, keys, a, b, mixed, start, scale)
        a = b


def _move_untimed(order: list[int], threads: list[str], keys: list[int], a: int, b: int,
                  mixed: set[str], start: int, scale: int) -> None:
    """One day's part of _after_their_thread: order[a:b] its rows, `mixed` the threads with
    rows both with and without a time, `start` the day's first key."""
    moved = []
    for t in mixed:
        # Its rows of the day (found by list.index, in C), in the order they were logged:
        # by position, or by sheet and row when those are in the key.
        mine, s = [], a - 1
        try:
            while True:
                s = threads.index(t, s + 1, b)
                mine.append(order[s])
        except ValueError:
            pass
        mine.sort(key=None if scale == 1 else (lambda p: keys[p] % scale))
        at = untimed = 0
        for p in mine:
            slot = (keys[p] - start) // scale
            if slot:
                at = slot
            elif at or untimed:
                untimed = max(at, untimed)
                keys[p] += untimed * scale
                moved.append(p)
    if not moved:
        return
    # All of them out first, then each in at its new key: a row still at its old place
    # with its new key would be out of order for the search of another (and the result
    # would hang on the order `mixed`, a set, gives the threads).
    gone = set(moved)
    name_of = dict(zip(order[a:b], threads[a:b]))
    block = [p for p in order[a:b] if p not in gone]
    names = [name_of[p] for p in block]
    key = keys.__getitem__
    for p in sorted(moved, key=lambda p: (keys[p], p)):
        k = keys[p]
        j = bisect_left(block, k, key=key)
        while j < len(block) and keys[block[j]] == k and block[j] < p:
            j += 1   # (keys tie only where positions order the rows)
        block.insert(j, p)
        names.insert(j, name_of[p])
    order[a:b], threads[a:b] = block, names


def _still_to_come_last(order: list[int], threads: list[str], dates: list, times: list, now: datetime) -> int:
    """Move the rows of `now`'s day still to come (a time after it: a date alone is the
    start of its day) after the others of that day, and say how many rows have taken
    place: those before them."""
    today, at = now.date(), now.time()
    day = dates.__getitem__
    a, b = bisect_left(order, today, key=day), bisect_right(order, today, key=day)
    later = [s for s in range(a, b) if times[order[s]] is not None and times[order[s]] > at]
    if later:
        gone = set(later)
        stay = [s for s in range(a, b) if s not in gone]
        moved = stay + later
        order[a:b], threads[a:b] = [order[s] for s in moved], [threads[s] for s in moved]
    return b - len(later)


def _prepare(logs: list[CallLog], config, scheduled: frozenset[str] = frozenset(),
             now: datetime | None = None) -> tuple[dict[str, _File], list[Problem]]:
    """Dated rows per file, in order (_date_order: `scheduled` the outcomes of rows still
    to happen, the rows still to come at `now` last), each with its thread and effective
    manager."""
    problems: list[Problem] = []
    by_file: dict[str, list[tuple[CallLog, list[bool]]]] = defaultdict(list)
    for log in logs:
        dated = list(map(operator.is_not, log.column_as_read("date"), repeat(None)))
        if not all(dated):
            problems += [Problem(rec.sheet, rec.row, rec.columns.get("date", ""), "",
                                 _label(config, "no_date", config.language))
                         for rec, ok in zip(log.records, dated) if not ok]
        if any(dated):
            by_file[str(log.path or "")].append((log, dated))
    names = _Names()
    return {file: _columns(parts, names, scheduled, now) for file, parts in by_file.items()}, problems


def _columns(parts: list[tuple[CallLog, list[bool]]], names: _Names, scheduled: frozenset[str],
             now: datetime | None) -> _File:
    """One file's dated records (each log with which of its records have a date) as
    columns in date order (_date_order), each row with its thread and effective manager."""
    # A field is read a column at a time, as read (CallLog.column_as_read: from the
    # reader's columns, not the records one by one), the parts' columns joined; then
    # taken through the dated rows' positions in date order, in one pass (the dated
    # rows picked first, then put in order, took 15 ms more at 100 000 rows).
    def joined(get: Callable[[CallLog], list]) -> list:
        lists = [get(log) for log, _ in parts]
        return lists[0] if len(lists) == 1 else list(chain.from_iterable(lists))

    def read(name: str) -> list:
        return joined(lambda log: log.column_as_read(name))

    def column(values: list) -> list:
        return list(take(values))

    dates, times = read("date"), read("time")
    dated = list(compress(count(), chain.from_iterable(which for _, which in parts)))
    order, threads, taken = _date_order(dates, times, read("sheet"), read("row"), dated,
                                        joined(CallLog.threads_as_read), read("outcome"), scheduled, now)
    # One itemgetter of all the positions takes each column in order at C speed: 10-16 ms
    # less than map(values.__getitem__) for the nine columns at 100 000 rows. (Of one
    # position it would give the value, not a tuple of it.)
    take = operator.itemgetter(*order) if len(order) > 1 else (lambda values: [values[i] for i in order])
    own = names.spell(column(read("manager")))
    # A row without an SM on a thread takes the latest SM written on the thread before
    # it, else the first one written on the thread: only those threads are walked
    # (walking all 100 000 rows took 12 ms more, for the few rows without an SM).
    gaps = set(compress(threads, map(operator.not_, own)))
    gaps.discard("")   # a blank thread links nothing: its rows keep only their own SM
    managers = own
    if gaps:
        managers = list(own)
        walk = list(compress(count(), map(gaps.__contains__, threads)))
        # Walking backwards, the last SM seen on a thread is the first one written.
        first = {threads[i]: own[i] for i in reversed(walk) if own[i]}
        latest: dict[str, str] = {}
        for i in walk:
            t, m = threads[i], own[i]
            if m:
                latest[t] = m
            else:
                managers[i] = latest.get(t) or first.get(t, "")
    return _File(column(joined(lambda log: log.records)), column(dates), column(times), threads, managers,
                 column(read("outcome")), column(read("call_type")),
                 column(read("stage")), column(read("source")), column(read("next_contact")), taken,
                 order, read("channel"))


# ---------------------------------------------------------------- counting
#
# Each function walks one file's rows in order and counts on (period, manager, ...)
# keys; `periods` holds each row's period, None when the row's day is out of range:
# such a row still moves a candidate's round or a thread's chase, it is not counted.

_INVITED, _CONFIRMED = 1, 2


def _round_steps(rules: _Rules, call_type: str | None, o: str) -> tuple | None:
    """What a row of this call type and outcome does to a candidate's round: for each
    state the round can be in (0: none open, _INVITED, _CONFIRMED), the state after the
    row and the events it counts; then how the interview went by the row ("attended",
    "no_show" or ""), whether it is an interview row, whether it confirms, and whether,
    with no round open, it needs a look at the candidate's last round or a confirmation
    logged before it. None when it moves no round."""
    if call_type in rules.client_calls:
        return None
    is_interview = call_type in rules.interview_types
    invites = is_interview or call_type in rules.notice_types
    if invites and o in rules.not_an_invitation:
        return None
    if call_type in rules.notice_types and o in rules.notice_not_sent:
        return None
    outcome = ("no_show" if o in rules.no_show
               else "attended" if o == "attended" or (is_interview and o in rules.interview_held) else "")
    steps = []
    for was in (0, _INVITED, _CONFIRMED):
        now = max(was, _INVITED) if invites else was
        ended = False
        if outcome:
            now = _CONFIRMED
        elif o in rules.confirmed and now:
            now = _CONFIRMED
        elif o in rules.round_end and (is_interview or now):
            ended = True
        events = [event for event, state in (("invited", _INVITED), ("confirmed", _CONFIRMED))
                  if was < state <= now]
        if outcome:
            events.append(outcome)
        steps.append((0 if outcome or ended else now, tuple(events)))
    if all(step == (was, ()) for was, step in enumerate(steps)):
        return None
    return tuple(steps), outcome, is_interview, o in rules.confirmed, bool(outcome) or is_interview or not steps[0][1]


def _interviews(f: _File, periods: list[str | None], rules: _Rules) -> Counter:
    """(period, manager, event) for invited / confirmed / attended / no_show, per candidate round."""
    counts: Counter = Counter()
    rounds: dict[tuple[str, str], int] = {}   # candidate -> _INVITED or _CONFIRMED while a round is open
    # Candidate -> how their last round ended (attended or no_show), its day, and where it
    # counted: with no round open, a row saying it again is that interview told twice (the
    # interview row, then the call asking why), and one saying otherwise corrects it (one
    # of two candidates on the interview row did not come).
    told: dict[tuple[str, str], tuple[str, int]] = {}   # ... and the position of its row
    # Candidate -> the day, period and manager of a confirmation with no round open: an
    # interview booked on a row of its own day sorts after the call the day before.
    early: dict[tuple[str, str], tuple[date, str | None, str]] = {}
    # Each row's move looked up at once, by call type and outcome (a loop over every row
    # to pass over most of them took 15 ms more at 100 000 rows).
    outcomes = set(f.outcomes)
    moves = {(call_type, o): _round_steps(rules, call_type, o) for call_type in set(f.call_types) for o in outcomes}
    row_moves = list(map(moves.__getitem__, zip(f.call_types, f.outcomes)))
    if f.taken < len(row_moves):
        # A row still to come has no outcome yet, whatever is written there (a Done typed
        # ahead, a mistyped date): an interview row is the booking, an invitation already,
        # confirmed when marked so (the candidate said yes ahead of it, as the follow-ups
        # take it); a notice still to send invites no one; nobody has come or not come.
        ahead = list(zip(f.call_types[f.taken:], f.outcomes[f.taken:]))
        booked = {(call_type, o): _round_steps(rules, call_type, o if o in rules.confirmed else "")
                  if call_type in rules.interview_types else None for call_type, o in set(ahead)}
        row_moves[f.taken:] = map(booked.__getitem__, ahead)
    # (period, manager, events) -> how many times: one count per candidate's row, the
    # events counted out at the end (one count per event took 10 ms more at 100 000 rows).
    shown: list[tuple[str, str, tuple[str, ...]]] = []
    # A candidate is (name, ID as written). The ID is keyed with the name, not alone: a
    # bracket is not always an ID ("Ivan (sales)").
    keys: dict[str, str] = {}       # name as written -> spelled as a thread, so that the two meet
    # name -> its ID in the file, which the name written without one stands for; "" once
    # a second ID came with the name (which of the two, we cannot tell).
    ids: dict[str, str] = {}
    interview_types, interviewed = rules.interview_types, rules.interviewed
    # Most rows move no round: only the others are looked at further.
    for i in compress(count(), row_moves):
        step, verdict, interview, confirms, looks_back = row_moves[i]
        call_type = f.call_types[i]
        people = []
        # (_named inline: 28 000 rows at 100 000.)
        rec = f.records[i]
        named = rec.candidates
        if not named and call_type in interview_types and rec.notes:
            named = interviewed(rec)
        for person in named:
            if person.name not in keys:
                keys[person.name] = " ".join(person.name.casefold().split())
            name, ref = keys[person.name], person.ref
            if not name:
                continue
            if not ref:
                ref = ids.get(name, "")
            elif name not in ids:
                ids[name] = ref
                # Her rows before, written without the ID, may have opened her round.
                for held in (rounds, told, early):
                    if (name, "") in held:
                        held[name, ref] = held.pop((name, ""))
            elif ids[name] != ref:
                ids[name] = ""
            people.append((name, ref))
        if not people and call_type in rules.needs_candidates:
            continue   # a call to clarify details, not a second interview
        t, m, p = f.threads[i], f.managers[i], periods[i]
        if not people:
            people = [(t, ids.get(t, ""))] if t else []
        elif len(people) > 1:
            # Named twice on the row, counted once. (A dict made for every row, most of
            # them naming one candidate, took 8 ms at 100 000 rows.)
            people = dict.fromkeys(people)
        for person in people:
            was = rounds.get(person, 0)
            now, events = step[was]
            if not was and looks_back:
                # (A round ending sets or clears `told`: while one is open it is not read.)
                last = told.get(person) if verdict else None
                if last and _told_again(f, last[1], i, interview, rules.calendar):
                    # The interview that ended the last round, told again.
                    if verdict != last[0]:
                        at, by = periods[last[1]], f.managers[last[1]]
                        if at is not None:
                            counts[at, by, last[0]] -= 1
                            counts[at, by, verdict] += 1
                        told[person] = (verdict, last[1])
                    continue
                if not events:
                    if confirms:
                        early[person] = (f.dates[i], p, m)
                    continue
                confirmed = early.pop(person, None) if interview and early else None
                if confirmed and "confirmed" not in events and (
                        shift(f.dates[i], rules.confirm_day, rules.confirm_working) <= confirmed[0] <= f.dates[i]):
                    if confirmed[1] is not None:
                        counts[confirmed[1], confirmed[2], "confirmed"] += 1
                    now = _CONFIRMED if now else 0
            if now:
                rounds[person] = now
            else:
                if was:
                    del rounds[person]
                if verdict:
                    told[person] = (verdict, i)
                elif was or events:
                    told.pop(person, None)
            if p is not None and events:
                shown.append((p, m, events))
    for (p, m, events), n in Counter(shown).items():
        for event in events:
            counts[p, m, event] += n
    return counts


def _named(rec: CallRecord, call_type: str | None, rules: _Rules) -> list[Person]:
    """The candidates of a row: its Candidates cell, else, on an interview row (a repeat
    call written as a second interview), those its comment names in the interview format
    (the client's person in its Contact column was no one's interviewee); [] when neither
    names anyone."""
    people = rec.candidates
    if people or call_type not in rules.interview_types or not rec.notes:
        return people
    return rules.interviewed(rec)


def _told_again(f: _File, last: int, i: int, interview: bool, working: WorkingCalendar) -> bool:
    """Whether row `i`, with no round open, tells again how the interview of row `last`
    went: a row that is no interview, up to two working days after it (the candidate's
    feedback call, the call asking why they did not come: Monday's, after a Friday
    interview), or an interview row of its day and time (or one of them untimed). Seed
    003's second round at 16:00 after the first at 14:00 is an interview of its own, and
    so is a no-show weeks later."""
    then, day = f.dates[last], f.dates[i]
    if not interview:
        return then <= day <= shift(then, 2, working)
    before, now = f.records[last].time, f.records[i].time
    return day == then and (before is None or now is None or before == now)


def _calls(f: _File, periods: list[str | None], rules: _Rules) -> Counter:
    """(period, manager, call_type) of the rows that took place (`periods` ends at the
    rows still to come: they are no calls made, left out by the zip below)."""
    not_held, interviews_not_held = rules.calls_not_held, rules.interviews_not_held
    interview, needs_candidates = rules.interview_types, rules.needs_candidates
    no_show, own = rules.no_show, rules.own_calls
    # (Inline, not a function per row: 100 000 rows.) No call made (_Rules.own_calls),
    # or an interview confirmed or withdrawn from.
    types = [None if (o in not_held and not (o in no_show and call_type in own)) or (o in interviews_not_held and (
                 call_type in interview and (call_type not in needs_candidates or _named(rec, call_type, rules))))
             else call_type or _words(rec.call_type_raw)
             for o, call_type, rec in zip(f.outcomes, f.call_types, f.records)]
    counts = Counter(zip(periods, f.managers, types))
    return Counter({key: n for key, n in counts.items() if key[0] is not None and key[2] is not None})


# What a row off a chase does (_chases): starts one, is ghosted (one started and ghosted
# at once), closes the thread, sends a report, keeps what the thread waits on, drops it.
_START, _GHOST, _CLOSE, _REPORT, _KEEP, _DROP = "start", "ghost", "close", "report", "keep", "drop"


# No eq or repr (never used): the class is made in half the time at import.
@dataclass(slots=True, eq=False, repr=False)
class _Chase:
    day: date
    key: tuple[str, str, str] | None    # (manager, source, stage); None: started out of range
    start: int                          # the position of the row that started it
    # The cadence's steps done (or skipped), as the follow-ups count them (followups._Run:
    # its index), and the day of the latest: the rows come in date order.
    steps: int = 0
    last: date | None = None


def _logged(fu: Any, anchor: CallRecord, chase: _Chase, row: CallRecord) -> int:
    """The cadence's steps done once `row`, a step of `chase` started at `anchor`, is
    logged, as the follow-ups count them (followups._Run.log): made by a later step's
    channel, due by its day, it is that step, those before it skipped (the T+3 call made
    with no T+1 message logged leaves the last message to send)."""
    run = start_run(fu, fu.cadence, anchor)
    run.index, run.last, run.logged = chase.steps, chase.last, chase.steps - 1
    if chase.last is not None:
        run.days.add(chase.last)
    run.log(row)
    return run.index


class _CalledOff:
    """Which of a file's appointments a row calls off, as the follow-ups find it
    (followups.called_off_by over the rows of the two weeks up to the slot: their
    `_calling_off_on`), asked only of the few rows a chase needs to know it of."""

    def __init__(self, f: _File, fu: Any) -> None:
        self.f, self.fu = f, fu
        # The positions of the rows that may call an appointment off (reason.outcomes,
        # confirm.withdrawn_outcomes), in order, among those looked at: every one from
        # `_start` up to `_seen`, and some before.
        self._cancels: list[int] = []
        self._start = self._seen = 0
        self._moved: list[int] | None = None
        self._found: dict[int, CallRecord | None] = {}

    def by(self, i: int) -> CallRecord | None:
        """The row calling off the appointment at position `i` (an interview row still
        waiting for its outcome), else None."""
        if i not in self._found:
            self._found[i] = self._by(i)
        return self._found[i]

    def _by(self, i: int) -> CallRecord | None:
        f, fu = self.f, self.fu
        y, day = f.records[i], f.dates[i]
        lo = day - timedelta(days=14)
        first, end = bisect_left(f.dates, lo), bisect_right(f.dates, day)
        # The rows of those two weeks are looked at once, from where the last look ended:
        # asked in date order (the walk's), the days between two weeks asked about are
        # never looked at (at 100 000 rows, 2 ms less than a look at every row's outcome).
        if first < self._start:   # asked out of date order (the walk never is): again from there
            self._cancels, self._start = self._look(first, self._seen), first
        elif first > self._seen:
            self._start = self._seen = first
        if end > self._seen:
            self._cancels += self._look(self._seen, end)
            self._seen = end
        rows = self._cancels
        cancels = [f.records[n] for n in rows[bisect_left(rows, first):bisect_left(rows, end)]]
        cancelled, withdrawn = fu.reason_outcomes, fu.withdrawn_outcomes
        # Most appointments have no row near them that could call them off: asked first,
        # before the two weeks' appointments are looked at.
        asides = fu.chase_types   # a follow-up row cancelling the round, as the follow-ups read it
        if not any(calls_off(x, y, cancelled, asides=asides) or withdraws(x, y, withdrawn) for x in cancels):
            return None
        kinds, moved = fu.confirm_types, fu.moved_outcomes
        appointments = [f.records[n] for n in range(first, end) if (f.call_types[n] or "") in kinds]
        if self._moved is None:
            self._moved = [n for n in compress(count(), map(moved.__contains__, f.outcomes))
                           if f.next_contacts[n] is not None and (f.call_types[n] or "") in kinds]
        for n in self._moved:   # moved from before the two weeks to a slot in them
            new = f.next_contacts[n]
            new = new.date() if isinstance(new, datetime) else new
            if not first <= n < end and lo <= new <= day:
                appointments.append(f.records[n])
        return called_off_by(cancels, appointments, cancelled, withdrawn, moved=moved, asides=asides).get(id(y))

    def _look(self, first: int, end: int) -> list[int]:
        """The positions from `first` to `end` of the rows that may call an appointment
        off, in order: found by list.index, in C (a few hundred rows in 100 000)."""
        outcomes, found = self.f.outcomes, []
        for outcome in self.fu.reason_outcomes | self.fu.withdrawn_outcomes:
            n = first
            try:
                while True:
                    n = outcomes.index(outcome, n, end) + 1
                    found.append(n - 1)
            except ValueError:
                pass
        return sorted(found)


class _Booked:
    """The interview booked on a thread after a row of it: the day of the thread's next
    interview row (followups confirm.types; a repeat call naming candidates), rows still
    to come included (the booking is in the log), in the two weeks from the row's day (as
    the follow-ups take a row to be about an interview: _interview_ahead; a row weeks
    later is another round's). Found when first asked: the interview rows' positions (by
    list.index, in C), per thread."""

    def __init__(self, f: _File, rules: _Rules) -> None:
        self.f, self.rules = f, rules
        self._of: dict[str, list[int]] | None = None

    def at(self, i: int) -> date | None:
        f = self.f
        if self._of is None:
            self._of = defaultdict(list)
            rules, threads, records = self.rules, f.threads, f.records
            for p in sorted(p for kind in rules.interview_types for p in _positions(f.call_types, kind)):
                if threads[p] and (f.call_types[p] not in rules.needs_candidates or records[p].candidates):
                    self._of[threads[p]].append(p)
        rows = self._of.get(f.threads[i])
        if not rows:
            return None
        n = bisect_right(rows, i)
        if n == len(rows) or (f.dates[rows[n]] - f.dates[i]).days > INTERVIEW_AHEAD_DAYS:
            return None
        return f.dates[rows[n]]


def _chases(f: _File, periods: list[str | None], rules: _Rules, config, cache: dict) -> Counter:
    """(manager, source, stage, result) of every chase that started in range, result one
    of _RESULTS. `periods` ends at the rows still to come: the log ends now."""
    source_of = {text: _canon(config, "source", text, cache) for text in set(f.sources)}
    # A Stage that says how the thread ended ("Closed") is no stage it went silent at: as if blank.
    stage_of = {text: "" if stage in rules.closing_stages else stage
                for text, stage in ((text, _canon(config, "stage", text, cache)) for text in set(f.stages))}
    outcomes = set(f.outcomes)
    silent = _silent_sets(f, rules)
    fu = rules.chase
    # Per call type, the outcomes of a sent report that start its own run (seed 000).
    report = {call_type: fu.report_outcomes if call_type in fu.report_types else frozenset()
              for call_type in set(f.call_types)}
    # What a row off a chase does, by call type and outcome, looked up at once: a silent
    # row starts a chase (unless it sends a report: its own run, above); the others set
    # up what a silence after them waits on (a run of sets tested each row took 15 ms
    # more at 100 000 rows).
    acts = {call_type: {o: _START if o in silent[call_type] and o not in report[call_type]
                        else _GHOST if o in rules.ghosted
                        else _CLOSE if o in fu.closed_outcomes
                        else _REPORT if o in report[call_type]
                        else _KEEP if o in fu.keep_outcomes
                        else _DROP for o in outcomes}
            for call_type in silent}
    # An appointment still waiting for its outcome (`open_`, a call of `kinds`) that a row
    # calls off did not take place (the follow-ups' `_off_slot`): in a chase it is neither
    # a reply nor a step, the silence runs on past its slot; off one, it changes nothing
    # the thread waits on (their walk starts before it). Asked only where it would change
    # what the row does: 28 rows of 100 000, 2 ms.
    off = _CalledOff(f, fu)
    booked = _Booked(f, rules)
    open_, kinds, withdrawn = fu.confirm_open, fu.confirm_types, fu.withdrawn_outcomes
    notices = fu.notice_types
    ghosted, chase_end, reply, not_held = rules.ghosted, rules.chase_end, rules.reply, rules.calls_not_held
    no_show, own = rules.no_show, rules.own_calls
    stage_from_call_type = rules.stage_from_call_type
    steps = len(rules.cadence_days)   # steps logged once the last message has gone
    # A step's channel tells which step it is (_logged); made by the step owed, or saying
    # no channel, it is that one: counted here, without a run of the follow-ups' (most
    # steps, 10 000 at 100 000 rows), unless the cadence has optional steps.
    channels, channel_of, positions = fu.cadence.channels, f.channels_as_read, f.positions
    plain = len(channels) == steps and not any(step.optional for step in fu.cadence.steps)
    day_zero = (fu.cadence.steps[0].day or 0) > 0   # another try on the day of the silence is no step
    dues: dict[date, tuple[date, ...]] = {}   # the day a chase began -> its steps' days
    # A chase's source and stage are its thread's, found as a row's manager is: the
    # chase's first row's, else the latest on the thread before it (a row's call type
    # telling its stage when the Stage cell is blank), else the first on the thread,
    # then after it (worked out only when a chase needs it: most logs write them early).
    source_now: dict[str, str] = {}
    stage_now: dict[str, str] = {}
    firsts: list[dict[str, str]] = []

    def first(kind: int, t: str) -> str:
        if not firsts:
            firsts.extend(_firsts(f, source_of, stage_of, stage_from_call_type))
        return firsts[kind].get(t, "")

    running: dict[str, _Chase] = {}
    # Before a chase, what a thread waits on, as the follow-ups see it: a silent row then
    # is no silence yet. A sent report's own steps (its SMS, then its call: the chase
    # starts at the call unanswered), or a contact agreed on an earlier row for a later
    # moment, kept by every row since (a message sent ahead of the agreed call; an
    # interview notice's interview, until its day is over): of those, the one the latest
    # silent row must be past (`_wait`); past it, it is past them all.
    reports: dict[str, Any] = {}   # the report's row (a CallRecord), until its run is needed
    agreed: dict[str, tuple[date, int, time]] = {}
    waits_of: tuple[dict, dict] = ({}, {})   # (not a notice's, a notice's): moment -> _wait
    counts: Counter = Counter()
    # Only the threads with a silent or ghosted row have a chase: the others' rows are
    # passed over, and the rows of those are taken by position (a third of the time of
    # the walk at 100 000 rows, where most threads go silent some day).
    chased = {t for t, o, call_type in zip(f.threads, f.outcomes, f.call_types)
              if o in silent[call_type] or o in ghosted}
    chased.discard("")
    dates, times, threads, said, stages, call_types = f.dates, f.times, f.threads, f.outcomes, f.stages, f.call_types
    nexts, sources = f.next_contacts, f.sources
    for i in compress(count(), map(chased.__contains__, islice(threads, len(periods)))):
        t, o, call_type, day = threads[i], said[i], call_types[i], dates[i]
        told = stage_of[stages[i]] or stage_from_call_type.get(call_type or "", "")
        named = source_of[sources[i]]
        if named:
            source_now[t] = named
        chase = running.get(t)
        if chase is not None:
            if told:
                stage_now[t] = told
            if o in ghosted:
                result = "ghosted"
            elif o in chase_end or o in report[call_type]:
                # Closed after the last message: closed as ghosted (DOMAIN), as the follow-ups do.
                # A report sent is no answer, nor a step: the follow-ups end the chase there and
                # run the report's own steps (a chase again from its call, if unanswered).
                result = "ghosted" if chase.steps >= steps else "unresolved"
            elif o in silent[call_type]:
                # A step of the chase, as the follow-ups count it: another try unanswered, or a
                # chase message sent; a day with a call and an e-mail is one step, but a row made
                # that day by a later step's channel is that step (the T+1 message sent late and
                # the T+3 call the same day: two steps).
                if day == chase.day and day_zero:
                    continue
                if day == chase.last:
                    channel = channel_of[positions[i]]
                    if chase.steps < steps and channel and channel not in channels[chase.steps - 1]:
                        chase.steps = _logged(fu, f.records[chase.start], chase, f.records[i])
                    continue
                if chase.steps < steps:
                    channel = channel_of[positions[i]]
                    if plain and (not channel or channel in channels[chase.steps]):
                        chase.steps += 1
                    else:
                        chase.steps = _logged(fu, f.records[chase.start], chase, f.records[i])
                    chase.last = day
                    continue
                # The last message had gone: the follow-ups closed the thread as ghosted, and
                # a try since is a chase of its own (DOMAIN: after the last message, ghosted).
                result = "ghosted"
            elif (o in reply or o not in not_held or (o in no_show and call_type in own)) \
                    and not (o in open_ and call_type in kinds and off.by(i) is not None):
                # Any other row that took place ends the silence, as in the follow-ups: the
                # person was reached (a held call, the interview notice, the interview).
                # Answered at the last step due by the reply's day, the cadence's days counted
                # as the follow-ups count them: T+1 until the T+3 call is due (or sooner), T+3
                # until the last message is due. (Inline: a reply per chase, 20 000 of them.)
                due = dues.get(chase.day)
                if due is None:
                    due = dues[chase.day] = tuple(shift(chase.day, n, rules.cadence_working) for n in rules.cadence_days)
                reached = bisect_right(due, day)
                result = "answered_t1" if reached <= 1 else "answered_last" if reached >= steps else "answered_t3"
            elif o in no_show and not (o in open_ and call_type in kinds and off.by(i) is not None):
                # The person did not come to the interview: no reply, but the thread moves
                # on (the call asking why is owed next). The follow-ups end the chase there,
                # as a closed one: the silence since (that call unanswered) is a chase of its own.
                result = "ghosted" if chase.steps >= steps else "unresolved"
            else:
                # No call made (planned: its outcome not written yet), or an appointment
                # called off (it did not take place): neither a step nor a reply.
                continue
            if chase.key:
                counts[(*chase.key, result)] += 1
            del running[t]
            # On: the row that answered may agree the next contact, or send a report.
            act = acts[call_type][o]
        else:
            act = acts[call_type][o]
            if act is _GHOST:
                # A ghosted row outside a chase: a chase started and ghosted at once, at
                # the stage the thread went silent at, told before it (its own Stage says
                # how it ended: "Closed").
                if periods[i] is not None:
                    counts[f.managers[i], source_now.get(t) or first(0, t), stage_now.get(t) or first(1, t),
                           "ghosted"] += 1
                act = _CLOSE
            if told:
                stage_now[t] = told
        if act is _START:
            run = reports.get(t)
            if run is not None:
                if type(run) is CallRecord:
                    # Its run is made at the first silent row after the report: most
                    # reports have none (7 000 runs made for nothing took 25 ms).
                    run = reports[t] = start_run(fu, fu.report, run)
                run.log(f.records[i])
                if not run.exhausted:
                    continue   # the report's SMS, or its call on a day before it was due
                del reports[t]
            wait = agreed.get(t)
            if wait is not None:
                # Not past it: a message sent ahead of the agreed call, or the call made
                # before its hour; the interview's day not over.
                if (day, 1, times[i] or time.max) < wait:
                    continue
                del agreed[t]
            running[t] = _Chase(day, None if periods[i] is None else (
                f.managers[i], source_now.get(t) or first(0, t), stage_now.get(t) or first(1, t)), i)
            continue
        # What the row sets up for a silence after it.
        if act is _CLOSE or act is _GHOST:
            if o not in withdrawn or not told_withdrawal(f.records[i], withdrawn):
                reports.pop(t, None)
                agreed.pop(t, None)
                continue
            # A withdrawal told on someone else's thread (the client's HR telling us Petr
            # pulled out) does not close it: as the client's cancellation of a round, it
            # drops what the thread waited on, and its own Next contact is agreed (the
            # follow-ups' told_withdrawal: their chase starts at it). The candidate's own
            # chase needs nothing: they close it only when no row of theirs follows, and
            # a chase running to the end of the log counts as one closed there.
            act = _DROP
        elif act is _REPORT:
            # Its next contact is the day of its own call, a step of its run.
            reports[t] = f.records[i]
            continue
        # (An appointment called off changes none of these: `off` above.)
        if t in reports:
            if o in open_ and call_type in kinds and off.by(i) is not None:
                continue
            del reports[t]
        if act is _DROP and t in agreed:
            if o in open_ and call_type in kinds and off.by(i) is not None:
                continue
            del agreed[t]
        moment = nexts[i]
        if moment is None and call_type in notices:
            # A notice with its Next contact blank is the notice of the interview booked
            # on its thread after it: the follow-ups owe the call the day before that one,
            # its outcome, not a chase (the interview row is in the log, still to come).
            moment = booked.at(i)
        if moment is not None:
            if o in open_ and call_type in kinds and off.by(i) is not None:
                continue
            # (Each distinct moment worked out once: 20 000 rows agree one at 100 000.)
            known = waits_of[call_type in notices]
            wait = known.get(moment)
            if wait is None:
                wait = known[moment] = _wait(config.local(moment) if isinstance(moment, datetime) else moment,
                                             call_type in notices)
            if t not in agreed or wait > agreed[t]:
                agreed[t] = wait
    for chase in running.values():
        if chase.key:
            counts[(*chase.key, "ghosted" if chase.steps >= steps else "unresolved")] += 1
    return counts


def _firsts(f: _File, source_of: dict[str, str], stage_of: dict[str, str],
            stage_from_call_type: dict[str, str]) -> tuple[dict[str, str], dict[str, str]]:
    """Thread -> the first source written on it, and -> the first stage it tells (the
    Stage cell, else the row's call type), over all the file's rows."""
    sources: dict[str, str] = {}
    if any(source_of.values()):   # (a log without sources: nothing to look for)
        for t, source in zip(f.threads, f.sources):
            if t not in sources and source_of[source]:
                sources[t] = source_of[source]
    stages: dict[str, str] = {}
    for t, stage, call_type in zip(f.threads, f.stages, f.call_types):
        if t not in stages:
            told = stage_of[stage] or stage_from_call_type.get(call_type or "", "")
            if told:
                stages[t] = told
    return sources, stages


def _silent_sets(f: _File, rules: _Rules) -> dict[str | None, set[str]]:
    """Call type -> its outcomes that the follow-ups call silent, of those in `f` (worked
    out once per file: _chases and _responses both ask it of every row)."""
    if f.silent is None:
        outcomes = set(f.outcomes)
        f.silent = {call_type: {o for o in outcomes if rules.silent(call_type, o)} for call_type in set(f.call_types)}
    return f.silent


def _wait(moment: date | datetime, notice: bool) -> tuple[date, int, time]:
    """What a thread waits on, as a key that a silent row, as (its day, 1, its time, else
    time.max), is past when not less: the contact agreed for `moment`, made on its day or
    after, at its time or after (the e-mail 15 minutes before a 15:00 call is not the call;
    a row without a time, or a day agreed without one, is the contact); an interview
    notice's interview (`notice`), once its day is over: until then the follow-ups owe the
    call the day before, or its outcome, not a chase. Past the greater of two keys is past
    both."""
    day = moment.date() if isinstance(moment, datetime) else moment
    if notice:
        return (day, 2, time.min)
    if isinstance(moment, datetime):
        return (day, 1, moment.time())
    return (day, 0, time.min)


def _responses(f: _File, periods: list[str | None], rules: _Rules) -> dict[tuple, list[float]]:
    """(period, manager) of each reply -> the hours since the clock started, one per reply
    (`periods` ends at the rows still to come)."""
    # Thread -> the clock's start: day, time, and whether a call held or a meeting started
    # it (a later silence starts it anew: a reply answers our latest try unanswered).
    clock: dict[str, tuple[date, time | None, bool]] = {}
    contacted: set[str] = set()
    waits: dict[tuple, list[float]] = defaultdict(list)
    silent = _silent_sets(f, rules)
    not_held, no_show, own, response = rules.calls_not_held, rules.no_show, rules.own_calls, rules.response
    # A thread marked ghosted or closed: the consultant's note of its end, no contact.
    marks = rules.ghosted | rules.chase_end
    rows = zip(f.dates, f.times, f.threads, f.managers, f.outcomes, f.call_types, periods)
    for day, at_time, t, m, o, call_type, p in rows:
        if not t:
            continue
        start = clock.get(t)
        # A call made (_Rules.own_calls).
        made = o not in not_held or (o in no_show and call_type in own)
        if o in response:
            if start is not None:
                if p is not None:
                    if start[1] is not None and at_time is not None:
                        hours = (datetime.combine(day, at_time) - datetime.combine(*start[:2])).total_seconds() / 3600
                    else:
                        hours = (day - start[0]).days * 24.0
                    waits[p, m].append(hours)
                del clock[t]
        elif o in silent[call_type]:
            if start is None or start[2]:
                clock[t] = (day, at_time, False)
        elif made and o not in marks:
            if call_type in own:
                # Our own message sent (a notice, a report): first contact, or what a reply
                # answers since a call held.
                if start[2] if start is not None else t not in contacted:
                    clock[t] = (day, at_time, False)
            elif start is not None or t not in contacted:
                # A call held or a meeting with them: first contact, or a running clock
                # started again here (they were reached: what it waited on is over).
                clock[t] = (day, at_time, True)
        if made:
            contacted.add(t)
    return waits


def _median(values: list[float]) -> float:
    """statistics.median, without importing statistics (and fractions, decimal and
    random with it: 5 ms of `tracker stats`)."""
    values = sorted(values)
    half = len(values) // 2
    return values[half] if len(values) % 2 else (values[half - 1] + values[half]) / 2


def _rank(value: str, order: dict[str, int] | None) -> tuple:
    """Where a dimension's value sorts: known ids in list order, then text, blank, "*" last."""
    order = order or {}
    return (3 if value == ALL else 2 if value == "" else 0 if value in order else 1, order.get(value, 0), value)


def _sorted(keys: Iterable[tuple[str, ...]], *orders: dict[str, int] | None) -> list[tuple[str, ...]]:
    """The keys sorted dimension by dimension (see _rank)."""
    keys = list(keys)
    # A dimension has a few distinct values: rank each once, then sort on the ranks.
    places = []
    for i, order in enumerate(orders):
        values = sorted({key[i] for key in keys}, key=lambda v: _rank(v, order))
        places.append({v: place for place, v in enumerate(values)})
    return sorted(keys, key=lambda key: tuple(map(dict.__getitem__, places, key)))


def compute(
    logs: list[CallLog],
    config,
    *,
    by: str = "week",
    since: date | None = None,
    until: date | None = None,
    now: datetime | None = None,
    also: tuple[str, ...] = (),
) -> Stats:
    """Interviews, calls, chases and response times of `logs`, between `since` and
    `until` (inclusive; None = open), by day, week or month, as of `now` (rows after it
    are still to come: no calls made, no step or reply of a chase; None = every row has
    taken place, as written); the interviews by the periods in `also` too
    (Stats.interviews_by). See the module docstring."""
    for kind in (by, *also):
        period_of(date(2000, 1, 1), kind)  # refuse an unknown period before any work
    if isinstance(since, datetime):
        since = since.date()
    if isinstance(until, datetime):
        until = until.date()
    if now is not None:
        now = config.local(now)
    with collector_paused():   # a few lists of 100 000 rows, no cycles
        return _compute(list(logs), config, by, since, until, now, also)


def _compute(logs: list[CallLog], config, by: str, since: date | None, until: date | None,
             now: datetime | None, also: tuple[str, ...] = ()) -> Stats:
    rules = _Rules.from_config(config)
    files, problems = _prepare(logs, config, rules.chase.scheduled_outcomes, now)
    cache: dict = {}

    # Count on the finest keys first, then add each key into its totals: a team's log
    # has far fewer distinct keys than rows.
    # (period, file, manager, event); by day when other periods are asked for too (`also`):
    # any period is made of days.
    events: Counter = Counter()
    calls: Counter = Counter()         # (period, file, manager, call_type)
    chases: Counter = Counter()        # (file, manager, source, stage, result)
    waits: dict[tuple, list[float]] = {}   # (period, file, manager)

    for file, f in files.items():
        inside = {day: (since is None or day >= since) and (until is None or day <= until) for day in set(f.dates)}
        period = {day: period_of(day, by) if within else None for day, within in inside.items()}
        periods = [period[day] for day in f.dates]
        # Interviews booked ahead are invitations already; the rest counts what took place.
        past = periods[:f.taken]
        if also:
            day_of = {day: day.isoformat() if within else None for day, within in inside.items()}
        for (p, m, event), n in _interviews(f, [day_of[day] for day in f.dates] if also else periods,
                                            rules).items():
            events[p, file, m, event] += n
        for (p, m, call_type), n in _calls(f, past, rules).items():
            calls[p, file, m, call_type] += n
        for key, n in _chases(f, past, rules, config, cache).items():
            chases[(file, *key)] += n
        for (p, m), values in _responses(f, past, rules).items():
            # Sorted runs: the medians of the totals merge them instead of sorting anew.
            waits[p, file, m] = sorted(values)

    stats = Stats(by=by, since=since, until=until, problems=problems,
                  files=list(dict.fromkeys(str(log.path or "") for log in logs)))
    stats.interviews = _interview_rows(_by_period(events, by) if also else events)
    stats.interviews_by = {kind: _interview_rows(_by_period(events, kind)) for kind in also if kind != by}
    calls = _with_totals(calls, 4)
    type_order = {cid: i for i, cid in enumerate(config.call_types)}
    for key in _sorted(calls, None, None, None, type_order):
        stats.calls.append(CallsRow(*key, calls[key]))
    chases = _with_totals(chases, 4)
    source_order = {v: i for i, v in enumerate(config.list_ids("source"))}
    stage_order = {v: i for i, v in enumerate(config.list_ids("stage"))}
    for key in _sorted({key[:4] for key in chases}, None, None, source_order, stage_order):
        results = [chases.get((*key, r), 0) for r in _RESULTS]
        stats.ghosting.append(GhostRow(*key, sum(results), *results,
                                       _rate(chases.get((*key, "ghosted"), 0), sum(results))))
    hours = _with_totals(waits, 3)
    for key in _sorted(hours, None, None, None):
        stats.response.append(ResponseRow(*key, round(_median(hours[key]), 2), len(hours[key])))
    return stats


def _by_period(day_events: Counter, by: str) -> Counter:
    """The counts of (day, file, manager, event) by `by`'s periods: an event counts on one
    day, so a week's or a month's counts are its days' sums."""
    events: Counter = Counter()
    period: dict[str, str] = {}
    for (day, *rest), n in day_events.items():
        if day not in period:
            period[day] = period_of(date.fromisoformat(day), by)
        events[(period[day], *rest)] += n
    return events


def _interview_rows(events: Counter) -> list[InterviewRow]:
    """The interview rows of the counts of (period, file, manager, event), with totals."""
    events = _with_totals(events, 3)
    rows = []
    for key in _sorted({key[:3] for key in events}, None, None, None):
        invited, confirmed, attended, no_show = (events.get((*key, e), 0)
                                                 for e in ("invited", "confirmed", "attended", "no_show"))
        rows.append(InterviewRow(*key, invited, confirmed, attended, no_show, _rate(no_show, attended + no_show)))
    return rows


def _with_totals(fine: dict[tuple, Any], dims: int) -> dict[tuple, Any]:
    """`fine`, and each key's value added into every key with some of its first `dims`
    parts replaced by the total "*" (values: counts, or lists of hours)."""
    totals = dict(fine)
    # One part at a time: a total is added into the next totals once, not every fine key
    # into all 2^dims of them; the parts with most values first, their totals being the
    # fewest. Values are never changed in place, only replaced by sums.
    for i in sorted(range(dims), key=lambda i: -len({key[i] for key in fine})):
        for key, value in list(totals.items()):
            total = key[:i] + (ALL,) + key[i + 1:]
            totals[total] = totals[total] + value if total in totals else value
    return totals


# ---------------------------------------------------------------- tables

def _tables(stats: Stats, config, lang: str) -> list[Table]:
    def L(key: str) -> str:
        return _label(config, key, lang)

    by_word = L(stats.by)

    def period(p: str) -> str:
        return L("total") if p == ALL else p

    files = {r.file for rows in (stats.interviews, stats.calls, stats.ghosting, stats.response) for r in rows}
    files |= set(stats.files)
    file_names = _short_names(files - {ALL, ""})

    def value(v: str, kind: str = "") -> str:
        if v == ALL:
            return L("all")
        if v == "":
            return L("blank")
        if kind == "file":
            return file_names[v]
        if kind in ("source", "stage"):
            return config.list_label(kind, v, lang)
        if kind == "call_type":
            return config.call_type_label(v, lang)
        return v

    tables: list[Table] = []

    funnel = ["invited", "confirmed", "attended", "no_show", "no_show_rate"]
    funnel_kinds = ["int"] * 4 + ["rate"]

    def interviews(rows: list[InterviewRow], by: str, id: str) -> Table:
        return Table(
            L("title_interviews").format(by=L(by)),
            [L("period")] + [L(k) for k in funnel],
            [[period(r.period), r.invited, r.confirmed, r.attended, r.no_show, r.no_show_rate]
             for r in rows if r.file == ALL and r.manager == ALL],
            ["text"] + funnel_kinds,
            id,
        )

    tables.append(interviews(stats.interviews, stats.by, "interviews"))

    team_calls = [r for r in stats.calls if r.file == ALL and r.manager == ALL]
    types = list(dict.fromkeys(r.call_type for r in team_calls if r.call_type != ALL))
    counts = {(r.period, r.call_type): r.count for r in team_calls}
    periods = list(dict.fromkeys(r.period for r in team_calls))
    tables.append(Table(
        L("title_calls").format(by=by_word),
        [L("period")] + [value(t, "call_type") for t in types] + [L("total")],
        [[period(p)] + [counts.get((p, t), 0) for t in types + [ALL]] for p in periods],
        ["text"] + ["int"] * (len(types) + 1),
        "calls",
    ))

    ghost_cols = ["chases", *_RESULTS, "ghost_rate"]
    tables.append(Table(
        L("title_ghosting"),
        [L("source"), L("stage")] + [L(k) for k in ghost_cols],
        [[value(r.source, "source"), value(r.stage, "stage"), r.chases, r.answered_t1, r.answered_t3,
          r.answered_last, r.ghosted, r.unresolved, r.ghost_rate]
         for r in stats.ghosting if r.file == ALL and r.manager == ALL],
        ["text", "text"] + ["int"] * 6 + ["rate"],
        "ghosting",
    ))

    # The chart's data: one bar per source. The table above holds each source's stages
    # and subtotals, which as bars read "LinkedIn, LinkedIn, Referral, Referral, ...".
    tables.append(Table(
        L("title_ghost_sources"),
        [L("source"), L("chases"), L("ghosted"), L("ghost_rate")],
        [[value(r.source, "source"), r.chases, r.ghosted, r.ghost_rate]
         for r in stats.ghosting if r.file == ALL and r.manager == ALL and r.stage == ALL and r.source != ALL],
        ["text", "int", "int", "rate"],
        "ghost_sources",
    ))

    tables.append(Table(
        L("title_response").format(by=by_word),
        [L("period"), L("median_hours"), L("replies")],
        [[period(r.period), r.median_hours, r.n]
         for r in stats.response if r.file == ALL and r.manager == ALL],
        ["text", "hours", "int"],
        "response",
    ))

    # One line per manager (or file) over the whole range: the team lead's overview.
    def overview(dim: str, title: str) -> Table:
        interviews = {getattr(r, dim): r for r in stats.interviews
                      if r.period == ALL and (r.file if dim == "manager" else r.manager) == ALL}
        calls = {getattr(r, dim): r.count for r in stats.calls
                 if r.period == ALL and r.call_type == ALL and (r.file if dim == "manager" else r.manager) == ALL}
        ghosts = {getattr(r, dim): r for r in stats.ghosting
                  if r.source == ALL and r.stage == ALL and (r.file if dim == "manager" else r.manager) == ALL}
        response = {getattr(r, dim): r for r in stats.response
                    if r.period == ALL and (r.file if dim == "manager" else r.manager) == ALL}
        keys = set(interviews) | set(calls) | set(ghosts) | set(response)
        if dim == "file":
            keys |= set(stats.files) - {""}
        keys = sorted(keys, key=lambda k: _rank(k, None))
        rows = []
        for k in keys:
            i, g, s = interviews.get(k), ghosts.get(k), response.get(k)
            rows.append([
                L("total") if k == ALL else value(k, dim),
                *(getattr(i, f) if i else 0 for f in funnel[:4]), i.no_show_rate if i else None,
                calls.get(k, 0),
                g.chases if g else 0, g.ghosted if g else 0, g.ghost_rate if g else None,
                s.median_hours if s else None, s.n if s else 0,
            ])
        return Table(
            title,
            [L(dim)] + [L(k) for k in funnel] + [L("calls"), L("chases"), L("ghosted"), L("ghost_rate"),
                                                 L("median_hours"), L("replies")],
            rows,
            ["text"] + funnel_kinds + ["int", "int", "int", "rate", "hours", "int"],
            f"{dim}s",
        )

    managers = {r.manager for r in stats.calls} | {r.manager for r in stats.interviews}
    if managers - {ALL, ""}:
        tables.append(overview("manager", L("title_managers")))
    if len(files - {ALL}) > 1:
        tables.append(overview("file", L("title_files")))
    # Last: a log's days make the longest table, which the charts need not clear.
    for kind in sorted(stats.interviews_by, key=PERIODS.index, reverse=True):
        tables.append(interviews(stats.interviews_by[kind], kind, f"interviews_{kind}"))
    return tables


def _short_names(paths: set[str]) -> dict[str, str]:
    """Each path as the shortest end of it that no other path ends with: team/us/calls.xlsx
    and team/eu/calls.xlsx are us/calls.xlsx and eu/calls.xlsx, a unique file name is
    the name alone; a path that is all the end of another is shown whole."""
    parts = {path: PurePath(path).parts for path in paths}
    ends = Counter(p[-n:] for p in parts.values() for n in range(1, len(p) + 1))
    return {path: next((str(PurePath(*p[-n:])) for n in range(1, len(p) + 1) if ends[p[-n:]] == 1), path)
            for path, p in parts.items()}
