"""Who to chase today: one follow-up status per row of the call log.

Pure: records, config and `now` in, FollowUp values out. The rules and their numbers live
in defaults/followups.yaml (its header comment is the reference for how a row gets its
status); this module applies them.

Rows about the same person form a thread (model.thread_keys). Only the latest row of a
thread is open: whatever was owed on an earlier row is settled or replaced by the later
contact, so earlier rows are `done`. The chase sequences (silence cadence, report
follow-up) run across rows, though: T is the first silent row (or the contact agreed for
a day, made then and unanswered, when messages went out while waiting for it) and each
later silent row logs one step, so the thread is walked in order before its latest row
is judged.
"""
from __future__ import annotations

import operator
import re
from bisect import bisect_left, bisect_right
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from itertools import accumulate, chain, compress, count, islice
from typing import Any, Iterable

from .collector import collector_paused
from .config import LANGUAGES, WorkingCalendar, normalize_word
from .errors import ConfigError, TemplateMissing
from .model import CallRecord, Problem, same_person, thread_keys
from .notes import key_value, parse_key_values

TEMPLATE_FOLDER = "chase"
FLAGS = ("", "likely_rejected", "ghosted", "chase")
_COUNTS = ("calendar", "working")
_URGENCY = {"overdue": 0, "due_today": 1}


# ---------------------------------------------------------------- results

@dataclass(frozen=True)
class FollowStep:
    """One thing to do: `key` names it in followups.yaml `steps` and templates/chase/."""

    key: str
    channel: str = ""        # a lists.channel id; "" when the step has no channel
    action: str = ""         # what to do, in the row's language
    fallback: str = ""       # channel to switch to at once when the first gets no answer
    to: str = "contact"      # whom it addresses: the contact, or the candidates (the draft greets them)

    def as_dict(self) -> dict[str, str]:
        return {"key": self.key, "channel": self.channel, "action": self.action, "fallback": self.fallback,
                "to": self.to}


@dataclass
class FollowUp:
    """The follow-up status of one row.

    `due` is when the step is owed; `timed` says whether its time of day means anything
    (a whole-day due is owed all that day). `overdue_after` is the last day the step is not
    yet overdue: the due's day, or the end of its window (the last chase message is due at
    T+5 and overdue only after T+7), so a sheet's colour rule should compare it, not `due`,
    with today. `anchor_row` is the row the step is counted from (T of a chase, the report,
    the interview), 0 when none.

    Most rows of a log are done, and what reads them looks at `row`, `status` and `due`
    only: a done row's FollowUp is made with just those (_Engine.done), and fills in the
    rest from its record when one of them is first read. An open row's is made with what
    a listing sorts and picks on (_Engine.result), the rest likewise; and its message is
    rendered when first read: a listing shows those of the rows due today only.
    """

    sheet: str
    row: int
    id: str
    call_type: str
    contact: str
    client: str
    candidates: list[str]
    manager: str
    lang: str
    due: datetime | None
    status: str
    days_overdue: int
    step: FollowStep
    next_step: str
    message: str
    flag: str = ""
    timed: bool = False
    anchor_row: int = 0
    who: str = ""
    overdue_after: date | None = None

    def __getattr__(self, name: str) -> Any:
        # Called only for an attribute not set: a field a done row left for later, or
        # an open row's message.
        d = self.__dict__
        if name == "message" and "_draft" in d:
            engine, args = d["_draft"]
            d["message"] = engine._message(*args)
            del d["_draft"]   # only once rendered: a failed render can be tried again
            return d["message"]
        if "_engine" not in d:
            raise AttributeError(f"'FollowUp' object has no attribute {name!r}")
        if name == "flag" and "_whole" not in d:
            # A done row's flag alone: refresh asks it of every done row (is it ghosted?),
            # and filling in the whole FollowUp of each was 1.3 s at 100 000 rows.
            d["flag"] = d["_engine"]._settled_flag(d["_record"])
            return d["flag"]
        self._fill()
        return getattr(self, name)

    def __getstate__(self) -> dict[str, Any]:
        # A copy or a pickle holds every field, not the engine behind a done row nor
        # the draft behind a message.
        if "_engine" in self.__dict__:
            self._fill()
        if "_draft" in self.__dict__:
            self.message
        return self.__dict__

    def _fill(self) -> None:
        d = self.__dict__
        engine, record = d["_engine"], d["_record"]
        if "_whole" in d:
            step, kw = d["_whole"]
            full = engine.whole(record, step, **kw)
        else:
            full = engine.done_in_full(record, d.get("flag"))
        d.update(full.__dict__)
        del d["_engine"], d["_record"]   # only once filled: a failed fill can be tried again
        d.pop("_whole", None)

    def as_dict(self) -> dict[str, Any]:
        return {
            "sheet": self.sheet,
            "row": self.row,
            "id": self.id,
            "call_type": self.call_type,
            "who": self.who,
            "contact": self.contact,
            "client": self.client,
            "candidates": list(self.candidates),
            "manager": self.manager,
            "lang": self.lang,
            "due": self.due.isoformat() if self.due else None,
            "timed": self.timed,
            "overdue_after": self.overdue_after.isoformat() if self.overdue_after else None,
            "status": self.status,
            "days_overdue": self.days_overdue,
            "step": self.step.as_dict(),
            "action": self.step.action,
            "channel": self.step.channel,
            "next_step": self.next_step,
            "message": self.message,
            "flag": self.flag,
            "anchor_row": self.anchor_row,
        }


# A class attribute would answer for a field a done or open row leaves for later before
# __getattr__ could fill it in; __init__ keeps the defaults.
del FollowUp.flag, FollowUp.who, FollowUp.timed, FollowUp.anchor_row, FollowUp.overdue_after


# ---------------------------------------------------------------- rules from the config

# No eq or repr (never used): the class is made in half the time at import.
@dataclass(frozen=True, eq=False, repr=False)
class _Step:
    key: str
    day: int | None
    until: int | None
    channel: str
    fallback: str
    optional: bool
    to: str
    action: dict[str, str]
    next: dict[str, str]


# No eq or repr (never used): the class is made in half the time at import.
@dataclass(frozen=True, eq=False, repr=False)
class _Sequence:
    name: str
    steps: tuple[_Step, ...]
    working: bool
    # Each step's channels (its channel and fallback; "message": any messenger of
    # message_channel), to tell which step a row made by its channel logs (_Run.log).
    channels: tuple[frozenset[str], ...] = ()
    keep_gaps: bool = False            # a step logged late moves the next ones (_Run.owed_on)


# No eq or repr (never used): the class is made in half the time at import.
@dataclass(frozen=True, eq=False, repr=False)
class _Rules:
    calendar: WorkingCalendar            # the working days less the holidays
    gap: int
    message_channel: dict[str, str]
    silent_outcomes: frozenset[str]
    chase_types: frozenset[str]
    no_reply_outcomes: frozenset[str]
    closed_outcomes: frozenset[str]
    client_types: frozenset[str]
    keep_outcomes: frozenset[str]
    scheduled_outcomes: frozenset[str]
    cadence: _Sequence
    report: _Sequence
    report_types: frozenset[str]
    report_outcomes: frozenset[str]
    confirm_types: frozenset[str]
    notice_types: frozenset[str]
    confirm_open: frozenset[str]
    confirmed_outcomes: frozenset[str]
    moved_outcomes: frozenset[str]
    withdrawn_outcomes: frozenset[str]
    confirm_step: _Step
    confirm_working: bool
    reason_types: frozenset[str]
    reason_outcomes: frozenset[str]
    reason_step: _Step
    reason_working: bool
    steps: dict[str, _Step]
    language: str
    wait_words: tuple[str, ...] = ()     # a Next step saying to wait (see _Engine._own_words)
    notice_step: _Step | None = None     # owed by the row booking an interview (confirm.notice_step)
    notice_for: frozenset[str] = frozenset()   # whose row alone, ahead, owes it (confirm.notice_for)
    fallback_step: _Step | None = None   # owed after a step's own channel got no answer
    confirm_again: _Step | None = None   # its words, when the candidate did not answer the call of the eve
    confirm_partly: _Step | None = None  # ...when some did not answer, and the others are not called yet


class SettingError(ConfigError):
    """A bad value under `followups:`; `key` is its dotted path, for the loader to find its line."""

    def __init__(self, key: str, message: str):
        super().__init__(f"{key}: {message}")
        self.key = key


def _words(value: Any, key: str) -> frozenset[str]:
    if value is None:
        return frozenset()
    if isinstance(value, (str, int, float)):
        value = [value]
    if not isinstance(value, list):
        raise SettingError(f"followups.{key}", f"must be a list of ids, not {value!r}")
    return frozenset("" if v is None else str(v) for v in value)


def _int(value: Any, key: str, allow_none: bool = False) -> int | None:
    if value is None or value == "":
        if allow_none:
            return None
        raise SettingError(f"followups.{key}", "a whole number of days is needed")
    if isinstance(value, bool) or not isinstance(value, (int, float)) or int(value) != value:
        raise SettingError(f"followups.{key}", f"must be a whole number of days, not {value!r}")
    return int(value)


def _flag(value: Any, key: str) -> bool:
    if not isinstance(value, bool):   # bool() of "no" in quotes would be true
        raise SettingError(f"followups.{key}", f"must be true or false, not {value!r}")
    return value


def _count(section: dict, key: str, default: str) -> bool:
    """True when the section counts in working days."""
    mode = str(section.get("count") or default)
    if mode not in _COUNTS:
        raise SettingError(f"followups.{key}.count", f"must be calendar or working, not {mode!r}")
    return mode == "working"


def _texts(value: Any, key: str) -> dict[str, str]:
    if value is None:
        return {}
    if isinstance(value, str):
        return {lang: value for lang in LANGUAGES}
    if not isinstance(value, dict):
        raise SettingError(f"followups.{key}", "must map languages (en, ru, zh, ja) to text")
    return {str(k): "" if v is None else str(v) for k, v in value.items()}


def _word_lists(value: Any, key: str) -> tuple[str, ...]:
    """The words of a list, or of a map of languages to lists, as one tuple."""
    if isinstance(value, dict):
        return tuple(w for lang, words in value.items() for w in _words(words, f"{key}.{lang}") if w)
    return tuple(w for w in _words(value, key) if w)


def wait_pattern(words: Iterable[str]) -> re.Pattern:
    """What finds one of `words` (followups.wait_words) in a text, in any case: a Latin or
    Cyrillic word at the start of a word ("ждать", not the one in "подтверждать"), a
    Chinese or Japanese one anywhere (they are written glued)."""
    parts = [(r"\b" if w[0].isalpha() and w[0] < "\u2e80" else "") + re.escape(w) for w in words]
    return re.compile("|".join(parts) or r"(?!)", re.IGNORECASE)


def check_settings(data: dict) -> None:
    """Raise SettingError for a `followups:` setting the engine cannot use.

    For config loading (the kinds of values are checked there already; this checks what
    they mean: calendar|working, known steps, windows that end after they start).
    """
    _rules_from(data)


def _rules(config) -> _Rules:
    return _rules_from(config.data, config.working_calendar)


def chase_rules(config) -> _Rules:
    """The follow-ups' rules (the cadence, which rows are silence...): the statistics
    count a chase as the follow-ups run it."""
    return _rules(config)


def silent(rules: _Rules, call_type: str | None, outcome: str) -> bool:
    """Whether a call made, of this type and outcome, is silence to chase: no answer, or
    a chase message sent and not answered."""
    return outcome in rules.silent_outcomes or (
        (call_type or "") in rules.chase_types and outcome in rules.no_reply_outcomes)


def _rules_from(data: dict, calendar: WorkingCalendar | None = None) -> _Rules:
    fu = data["followups"]
    steps: dict[str, _Step] = {}
    for key, spec in (fu.get("steps") or {}).items():
        if not isinstance(spec, dict):
            raise SettingError(f"followups.steps.{key}", f"must be a mapping (day, channel, action, next)")
        day = _int(spec.get("day"), f"steps.{key}.day", allow_none=True)
        until = _int(spec.get("until"), f"steps.{key}.until", allow_none=True)
        if until is not None and day is not None and until < day:
            raise SettingError(f"followups.steps.{key}.until", f"{until} is before its day {day}")
        to = str(spec.get("to") or "contact")
        if to not in ("contact", "candidates", "client"):
            raise SettingError(f"followups.steps.{key}.to", f"must be contact, candidates or client, not {to!r}")
        steps[str(key)] = _Step(
            key=str(key), day=day, until=until,
            channel=str(spec.get("channel") or ""), fallback=str(spec.get("fallback") or ""),
            optional=bool(spec.get("optional", False)), to=to,
            action=_texts(spec.get("action"), f"steps.{key}.action"),
            next=_texts(spec.get("next"), f"steps.{key}.next"),
        )
    for fixed in ("next_contact", "planned", "outcome", "plan", "date", "none"):
        if fixed not in steps:
            raise SettingError(f"followups.steps", f"the step `{fixed}` is needed")

    def step(key: Any, where: str, timed: bool = True) -> _Step:
        if str(key) not in steps:
            raise SettingError(f"followups.{where}", f"unknown step `{key}` (known: {', '.join(steps)})")
        found = steps[str(key)]
        if timed and found.day is None:
            raise SettingError(f"followups.steps.{key}.day", f"step `{key}` is used by {where} and needs a day")
        return found

    default_count = str(fu.get("count") or "calendar")
    day_before = str((data.get("reminders") or {}).get("day_before") or "")
    if default_count not in _COUNTS:
        raise SettingError(f"followups.count", f"must be calendar or working, not {default_count!r}")

    messages = frozenset(_texts(fu.get("message_channel"), "message_channel").values()) - {""}

    def sequence(name: str) -> _Sequence:
        sec = fu.get(name) or {}
        keys = sec.get("steps") or []
        if not isinstance(keys, list) or not keys:
            raise SettingError(f"followups.{name}.steps", f"must list at least one step")
        found = tuple(step(k, f"{name}.steps") for k in keys)
        channels = tuple(frozenset(c for s in (x.channel, x.fallback) if s and s != "record"
                                   for c in (messages if s == "message" else (s,))) for x in found)
        return _Sequence(name, found, _count(sec, name, default_count), channels,
                         keep_gaps=_flag(sec.get("keep_gaps", False), f"{name}.keep_gaps"))

    confirm = fu.get("confirm") or {}
    reason = fu.get("reason") or {}
    report = fu.get("report") or {}
    gap = _int(fu.get("min_gap_days", 1), "min_gap_days")
    if gap < 0:
        raise SettingError(f"followups.min_gap_days", f"must be 0 or more, not {gap}")
    return _Rules(
        calendar=calendar or WorkingCalendar.from_settings(data),
        gap=gap,
        message_channel=_texts(fu.get("message_channel"), "message_channel"),
        silent_outcomes=_words(fu.get("silent_outcomes"), "silent_outcomes"),
        chase_types=_words(fu.get("chase_types"), "chase_types"),
        no_reply_outcomes=_words(fu.get("no_reply_outcomes"), "no_reply_outcomes"),
        closed_outcomes=_words(fu.get("closed_outcomes"), "closed_outcomes"),
        client_types=_words(fu.get("client_types"), "client_types"),
        keep_outcomes=_words(fu.get("keep_appointment_outcomes"), "keep_appointment_outcomes"),
        scheduled_outcomes=_words(fu.get("scheduled_outcomes"), "scheduled_outcomes"),
        cadence=sequence("cadence"),
        report=sequence("report"),
        report_types=_words(report.get("types"), "report.types"),
        report_outcomes=_words(report.get("outcomes"), "report.outcomes"),
        confirm_types=_words(confirm.get("types"), "confirm.types"),
        notice_types=_words(confirm.get("notice_types"), "confirm.notice_types"),
        confirm_open=_words(confirm.get("open_outcomes"), "confirm.open_outcomes"),
        confirmed_outcomes=_words(confirm.get("confirmed_outcomes"), "confirm.confirmed_outcomes"),
        moved_outcomes=_words(confirm.get("moved_outcomes"), "confirm.moved_outcomes"),
        withdrawn_outcomes=_words(confirm.get("withdrawn_outcomes"), "confirm.withdrawn_outcomes"),
        confirm_step=step(confirm.get("step") or "confirm_eve", "confirm.step"),
        # The call the day before is the reminders' day before, unless set apart (a bad
        # reminders.day_before is the configuration's to name, with its line).
        confirm_working=_count(confirm, "confirm", day_before if day_before in _COUNTS else default_count),
        reason_types=_words(reason.get("types"), "reason.types"),
        reason_outcomes=_words(reason.get("outcomes"), "reason.outcomes"),
        reason_step=step(reason.get("step") or "reason", "reason.step"),
        reason_working=_count(reason, "reason", default_count),
        steps=steps,
        language=str(data["language"]),
        wait_words=_word_lists(fu.get("wait_words"), "wait_words"),
        notice_step=step(confirm["notice_step"], "confirm.notice_step", timed=False)
        if confirm.get("notice_step") else None,
        notice_for=_words(confirm.get("notice_for"), "confirm.notice_for"),
        fallback_step=step(fu["fallback_step"], "fallback_step", timed=False) if fu.get("fallback_step") else None,
        confirm_again=step(confirm["again_step"], "confirm.again_step", timed=False)
        if confirm.get("again_step") else None,
        confirm_partly=step(confirm["partly_step"], "confirm.partly_step", timed=False)
        if confirm.get("partly_step") else None,
    )


# ---------------------------------------------------------------- days

def shift(day: date, days: int, calendar: WorkingCalendar | None = None) -> date:
    """`day` moved by `days`; with a `calendar`, only its working days are counted (see
    WorkingCalendar.shift: a due never lands on a weekend or a holiday). Past either end
    of the calendar, its last day."""
    if calendar is not None:
        return calendar.shift(day, days)
    try:
        return day + timedelta(days=days)
    except OverflowError:
        # A date typed as 31.12.9999 is a date: its follow-up must not crash the run.
        return date.min if days < 0 else date.max


def _status(due: date, last_day: date, today: date) -> tuple[str, int]:
    if today < due:
        return "upcoming", 0
    if today > last_day:
        return "overdue", (today - last_day).days
    return "due_today", 0


# ---------------------------------------------------------------- chases across rows

# No eq or repr (never used): the class is made in half the time at import.
@dataclass(eq=False, repr=False)
class _Run:
    """A chase in progress on one thread: its day 0 and the days steps were logged on."""

    seq: _Sequence
    anchor: CallRecord
    working: WorkingCalendar | None      # None: calendar days
    gap: int
    index: int = 0                     # steps done (or skipped as optional)
    last: date | None = None           # the day the last step was logged
    days: set[date] = field(default_factory=set)
    last_row: CallRecord | None = None
    logged: int = -1                   # the step logged on `last`...
    on_last: tuple[CallRecord, ...] = ()   # ...by these rows (the call, then its e-mail)

    @property
    def exhausted(self) -> bool:
        return self.index >= len(self.seq.steps)

    def written_call(self, i: int) -> bool:
        """Whether step `i` is a sent report's call on a day the consultant wrote (its Next
        contact): that day, not day 2 (seed 000)."""
        return (self.seq.name == "report" and i == len(self.seq.steps) - 1
                and isinstance(self.anchor.next_contact, date))

    def day_of(self, i: int) -> date:
        """Step `i`'s own day: from T (or the report's call on the day written), whatever
        was logged."""
        if self.written_call(i):
            written = self.anchor.next_contact
            return written.date() if isinstance(written, datetime) else written
        return shift(self.anchor.date, self.seq.steps[i].day, self.working)

    def due(self, i: int) -> date:
        day = self.day_of(i)
        if self.last is not None:
            day = max(day, shift(self.last, self.gap, self.working))
        return day

    def owed_on(self, i: int) -> date:
        """The day step `i` is owed: `due`, and with the sequence's keep_gaps no sooner after
        the step last logged than the sequence puts between the two (seed 001: a calm
        sequence; the T+1 message sent on day 4 owes the T+3 call on day 6, not day 5). The
        rows logged are still read by `due` (`log`), as the statistics count them."""
        day = self.due(i)
        kept = self.kept(i, self.seq.steps[i].day)
        return day if kept is None else max(day, kept)

    def kept(self, i: int, day: int | None) -> date | None:
        """With keep_gaps, the day `day` of the sequence (step `i`'s day, or its window's
        end) falls on as far after the step last logged as the sequence puts it after that
        step's day; else None."""
        if not self.seq.keep_gaps or self.last is None or not 0 <= self.logged < i:
            return None
        return shift(self.last, (day or 0) - (self.seq.steps[self.logged].day or 0), self.working)

    def last_day(self, i: int) -> date:
        step = self.seq.steps[i]
        due = self.due(i)
        if step.optional and i + 1 < len(self.seq.steps):
            # An optional step is never overdue: it gives way to the next (`pending`). Its
            # window ends where the next step's would begin by default (the report's SMS:
            # until the call of day 2), or sooner: the Due cell, which the colour rules read
            # between refreshes. A call written for a later day does not keep it owed.
            default_next = shift(self.anchor.date, self.seq.steps[i + 1].day, self.working)
            return max(due, min(self.due(i + 1), default_next))
        if step.until is None:
            return due
        end = max(due, shift(self.anchor.date, step.until, self.working))
        # The window moves with the step's day (owed_on): the last message owed on day 8
        # after a late T+3 call is owed to day 10, not overdue the day after it is due.
        kept = self.kept(i, step.until)
        return end if kept is None else max(end, kept)

    def pending(self, on: date) -> int:
        """The step owed on `on`: an optional step gives way once the next one is due, or
        once its own window (`last_day`) has passed."""
        i = self.index
        while (i < len(self.seq.steps) - 1 and self.seq.steps[i].optional
               and (self.due(i + 1) <= on or self.last_day(i) < on)):
            i += 1
        return i

    def log(self, row: CallRecord) -> None:
        self.last_row = row
        if row.date in self.days:
            if row.date != self.last:
                return   # day 0: the silence itself
            later = self.later_on_last(row)
            if later is None:
                # The step's own channels (the T+3 call and its e-mail at once), or another
                # try by no step's channel that day: one step.
                self.on_last += (row,)
                return
            # The T+1 message sent late and the T+3 call made the same day: two steps.
            self.index, self.logged, self.on_last = later + 1, later, (row,)
            return
        self.days.add(row.date)
        i = self.pending(row.date)
        channels = self.seq.channels
        if channels and row.channel and row.channel not in channels[i]:
            # Made by another step's channel, due by that day: that later step, the ones
            # before it skipped (the T+3 call made on T+3 with no T+1 message logged is
            # the T+3 step, not a late T+1). A row saying no channel, or the owed one's,
            # is the step owed, late.
            i = next((j for j in range(i + 1, len(self.seq.steps))
                      if row.channel in channels[j] and self.due(j) <= row.date), i)
        self.index = i + 1
        self.last = row.date
        self.logged, self.on_last = i, (row,)

    def later_on_last(self, row: CallRecord) -> int | None:
        """The later step a row of the day of the step last logged makes, else None: made
        by a channel of a step after it (none of that step's own) whose day (from T) has
        come, it is that step, those between skipped, as on a day of its own. Not after a
        step with a `fallback` (the T+3 call, "then e-mail at once if not answered": seed
        001): a message after the day's unanswered call is the note sent at once, not the
        closing one (counted so, one busy day closed the thread as ghosted)."""
        channels, k = self.seq.channels, self.logged
        if not channels or not row.channel or k < 0 or row.channel in channels[k] or self.seq.steps[k].fallback:
            return None
        return next((j for j in range(self.index, len(self.seq.steps))
                     if row.channel in channels[j] and self.day_of(j) <= row.date), None)


def _narrowed(appointment: CallRecord, row: CallRecord, rows: list[CallRecord],
              candidates: list) -> tuple[CallRecord, list[CallRecord]]:
    """The row shown and the thread's rows, the appointment in them naming `candidates`
    alone (those still coming, those still to confirm), when the row shown is its own:
    a later row shown for it names whom it names."""
    if row is not appointment:
        return row, rows
    row = replace(appointment, candidates=candidates)
    return row, [*rows[:-1], row] if rows and rows[-1] is appointment else rows


def start_run(rules, seq: _Sequence, r: CallRecord) -> _Run:
    """The run of `seq` (rules.cadence, rules.report...) started at row `r`, as the
    follow-ups start it; the statistics start a report's so (stats._chases)."""
    run = _Run(seq, r, rules.calendar if seq.working else None, rules.gap, last_row=r)
    if (seq.steps[0].day or 0) > 0:
        # Day 0 is the silence itself: another unanswered try that day is no step of
        # the chase (several rows on one day count as one), so T+1 is still owed.
        run.days.add(r.date)
    return run


class _Engine:
    def __init__(self, records: list[CallRecord], config, now: datetime, *,
                 threads: list[str] | None = None, dates: list[Any] | None = None,
                 outcomes: list[str] | None = None, date_order: str = ""):
        self.config = config
        self.date_order = date_order or config.date_order   # the log's, as its cells were read
        self.rules = _rules(config)
        self.now = config.local(now)
        self.today = self.now.date()
        self.records = records
        self.dates = [r.date for r in records] if dates is None else dates
        if datetime in set(map(type, self.dates)):
            # A date cell that came through as a datetime would not compare with dates.
            self.records = [
                replace(r, date=r.date.date(), time=r.time or r.date.time()) if isinstance(r.date, datetime) else r
                for r in records
            ]
            self.dates = [r.date for r in self.records]
        if threads is None:
            threads = thread_keys([r.contact for r in records], records, [r.client for r in records])
        self.threads = threads
        self._drafts: dict[tuple[str, str], bool] = {}
        self._by_contact: dict[tuple[frozenset[str], bool], dict[str, list[CallRecord]]] = {}   # see by_contact()
        self._outcomes = outcomes
        self._recent: list[int] | None = None                         # see _recent_rows()
        self._days_found: tuple[list[date], list[int], bool] | None = None   # see _days()
        self._interviews: dict[str, list[CallRecord]] | None = None   # see interviews_of()
        self._appointments: list[CallRecord] = []                      # ...and its rows
        self._called: dict[int, CallRecord] | None = None              # see called_off()
        self._gone: dict[int, frozenset[str]] = {}                     # ...and withdrawn_from()
        self._off_on: dict[date, tuple[dict, dict]] = {}               # ...of the days past (_calling_off_on)
        self._cancels: tuple[list[date], list[int]] | None = None     # see _cancels_between()
        self._moved: list[int] | None = None                           # see _moved_rows()
        self._line_keys: dict[str, str] = {}                           # see noted_next_contact()
        self._told: dict[str, list[CallRecord]] | None = None          # see _told_gone()
        self._beside: dict[int, list[int]] = {}                        # see _made_since()
        self._clarifies_rule = None                                    # see _clarifies()
        self._waiting: re.Pattern | None = None                        # see _own_words()
        self._notices: dict[str, list[CallRecord]] | None = None       # see _notice_owed()

    # -- row predicates
    def lang(self, r: CallRecord) -> str:
        return r.language if r.language in LANGUAGES else self.rules.language

    def _closes(self, r: CallRecord) -> bool:
        """Whether a row with an outcome in `closed_outcomes` closes its thread: any but a
        withdrawal told on another's thread (`told_withdrawal`), which closes the matters
        of the candidates who pulled out, not the thread of the client's contact."""
        return not told_withdrawal(r, self.rules.withdrawn_outcomes)

    def _find_told(self) -> None:
        """Person (as names compare) -> the withdrawals told of them on another's thread
        (`told_withdrawal`), for `_told_gone`: found once, among the rows calling off."""
        withdrawn, records = self.rules.withdrawn_outcomes, self.records
        self._told = {}
        for n in self._cancel_rows()[1]:
            if told_withdrawal(records[n], withdrawn):
                for name in candidate_names(records[n]):
                    self._told.setdefault(name, []).append(records[n])

    def _told_gone(self, r: CallRecord) -> bool:
        """Whether the person of a thread ending with row `r` (its contact, else its first
        candidate) pulled out as told on another's thread (`told_withdrawal`), at or after
        `r`, at its client when both name one: that closes their thread, as a withdrawal
        on it would."""
        if self._told is None:
            self._find_told()
        if not self._told or r.date is None:
            return False
        who = r.contact or (r.candidates[0].name if r.candidates else "")
        found = self._told.get(normalize_word(who)) if who else None
        if not found:
            return False
        client = normalize_word(r.client)
        return any(x is not r and (x.date > r.date or x.date == r.date and (
                       x.time is None or r.time is None or x.time >= r.time))
                   and (not client or not x.client or normalize_word(x.client) == client) for x in found)

    def _silent(self, r: CallRecord) -> bool:
        if r.date is None or r.date > self.today:
            return False
        return silent(self.rules, r.call_type, r.outcome)

    def _report(self, r: CallRecord) -> bool:
        return (r.date is not None and r.date <= self.today
                and (r.call_type or "") in self.rules.report_types
                and r.outcome in self.rules.report_outcomes)

    def _carries(self, r: CallRecord) -> bool:
        """Whether the walk's state after `r` depends on the rows before it."""
        return r.date is None or (r.outcome not in self.rules.closed_outcomes and not self._report(r)
                                  and self._silent(r))

    def _off_slot(self, r: CallRecord) -> bool:
        """Whether the row is an appointment (confirm.types) still waiting for its outcome
        that a row calls off (`called_off`): it did not take place."""
        return (r.date is not None and (r.call_type or "") in self.rules.confirm_types
                and r.outcome in self.rules.confirm_open and self.called_off(r))

    def _working(self, flag: bool) -> WorkingCalendar | None:
        return self.rules.calendar if flag else None

    def _clarifies(self, r: CallRecord) -> bool:
        """Whether the row is a Repeat call to clarify details (reminders.clarifies), not a
        round of interviews: nobody to confirm it the day before, it neither moves a round
        nor is moved by one (as the reminders have it)."""
        if self._clarifies_rule is None:
            from .reminders import clarifies   # imported when first asked: not on every run's path

            self._clarifies_rule = clarifies
        return self._clarifies_rule(r, self.config)

    def _round(self, r: CallRecord) -> bool:
        """Whether the row is a later round of interviews (reason.types): cancelled with no
        new date, likely a "no" (seed 003). A Repeat call to clarify details (`_clarifies`)
        is no round: cancelled, it is a call cancelled, no client turning candidates down;
        but one with a candidate of an earlier interview as its contact, Candidates left
        blank, is their next round. So is an interview (confirm.types) that says it is a
        later round ("2nd round cancelled: …", "Final interview": summaries.round_named):
        not a first interview whose notes list the candidates with their IDs, or speak of
        a round to come."""
        if (r.call_type or "") in self.rules.reason_types:
            return not self._clarifies(r) or next(iter(self._their_interviews(r)), None) is not None
        if (r.call_type or "") not in self.rules.confirm_types:
            return False
        from .summaries import round_named   # asked only of a round cancelled

        return round_named(r, self.config)

    def _start(self, seq: _Sequence, r: CallRecord) -> _Run:
        return start_run(self.rules, seq, r)

    def walk(self, rows: list[CallRecord]) -> _Run | None:
        """The chase running at the thread's last row, if that row belongs to one."""
        # Any dated row but a silent one ends the chase or starts a new one, whatever went
        # before it: the walk starts at the last such row. But an appointment called off
        # before the latest row was no contact with anyone: the silence runs on past its
        # slot (a second try on its day, or after, is the chase's next step).
        start = last = len(rows) - 1
        off: list[CallRecord] = []
        while start > 0:
            if not self._carries(rows[start]):
                if start == last or not self._off_slot(rows[start]):
                    break
                off.append(rows[start])
            start -= 1
        run: _Run | None = None
        first: CallRecord | None = None   # the walk's first silent row
        agreed: tuple[datetime, bool] | None = None
        asked = False
        for p, r in enumerate(rows[start:], start):
            if r.date is None or off and any(r is x for x in off):
                continue
            if r.outcome in self.rules.closed_outcomes:
                run = None
            elif self._report(r):
                run = self._start(self.rules.report, r)
            elif self._silent(r):
                if first is None:
                    first = r
                elif not asked:
                    # Asked at the second silent row: with one, the chase counts from it
                    # either way (and a row's notes are read for a date only then).
                    asked = True
                    agreed = self._agreed_before(rows, p, first)
                if agreed is not None and self._made(agreed, r):
                    # The contact agreed for that day, made and unanswered: the silence
                    # runs from it, not from a message sent while waiting for it.
                    agreed = None
                    run = self._start(self.rules.cadence, r)
                elif run is not None and (not run.exhausted or r.date in run.days):
                    # Exhausted, a try on the day of the last message is still that step
                    # (its e-mail fallback): the chase ends there, as the statistics count it.
                    run.log(r)
                    if run.exhausted and run.seq.name == "report":
                        # The report's call got no answer either: plain silence from here.
                        run = self._start(self.rules.cadence, r)
                else:
                    run = self._start(self.rules.cadence, r)
            else:
                run = None
        if run is not None and rows and run.last_row is not rows[-1]:
            return None
        return run

    def _agreed_before(self, rows: list[CallRecord], p: int, first: CallRecord) -> tuple[datetime, bool] | None:
        """The earliest next contact (`_agreed`) agreed on a row before rows[p] and kept by
        every row since, as `carried` finds what the thread owes: past the rows that keep
        it (silent, replied, done... keep_appointment_outcomes), an appointment called off
        and the row calling it off (whose own Next contact is agreed), up to the first row
        that drops it; not one for the day of an appointment called off. The walk and the
        listing so agree on what was agreed: a reply logged after the first call that set
        Friday's call keeps that call, and Friday's call unanswered is T of the chase."""
        rules = self.rules
        best: tuple[datetime, bool] | None = None
        voided: set[int] = set()   # see _void
        gone: set[date | None] = set()
        for x in reversed(rows[:p]):
            if x.outcome in rules.closed_outcomes and self._closes(x):
                break
            stops = x.outcome not in rules.keep_outcomes and not self._silent(x)
            if stops and self._void(x, rows, voided):
                if (x.call_type or "") in rules.confirm_types:
                    gone.add(self._slot_day(x))
                if x.outcome not in rules.reason_outcomes and not told_withdrawal(x, rules.withdrawn_outcomes):
                    continue
                stops = False
            found = self._agreed(x, first)
            if found is not None and found[0].date() not in gone and (best is None or found[0] < best[0]):
                best = found
            if stops:
                break
        return best

    def _agreed(self, x: CallRecord, first: CallRecord) -> tuple[datetime, bool] | None:
        """The next contact row `x` agreed (its Next contact, else a date its notes give
        under a next-contact key), as `moment` gives it, when the silent row after it,
        `first`, was not that contact yet; else None. A sent report's next contact is its
        own chase's call, a notice's or a moved interview's is the interview's day, and a
        silent or closed row agreed nothing with anyone."""
        rules = self.rules
        if x.outcome in rules.closed_outcomes and self._closes(x) or self._silent(x) or self._report(x) \
                or (x.call_type or "") in rules.notice_types or self._moved_to(x) is not None:
            return None
        agreed = x.next_contact if x.next_contact is not None else self.noted_next_contact(x)
        if agreed is None:
            return None
        moment = self.moment(agreed)
        return None if self._made(moment, first) else moment

    @staticmethod
    def _made(agreed: tuple[datetime, bool], r: CallRecord) -> bool:
        """Whether row `r` is the contact agreed for `agreed` (`moment`'s pair) or a later
        one: on its day or after, at its time or after (the e-mail 15 minutes before a
        15:00 call is not the call)."""
        at, timed = agreed
        return r.date is not None and (at.date() < r.date or at.date() == r.date and (
            not timed or r.time is None or r.time >= at.time()))

    # -- building results
    def _channel(self, step: _Step, r: CallRecord, lang: str) -> str:
        if step.channel == "message":
            return _message_channel(self.rules, lang)
        if step.channel == "record":
            return r.channel
        return step.channel

    def _text(self, texts: dict[str, str], lang: str) -> str:
        return texts.get(lang) or texts.get("en", "")

    def result(self, r: CallRecord, step: _Step, *, status: str, due: datetime | None = None,
               days_overdue: int = 0, **rest: Any) -> "FollowUp":
        """An open row's FollowUp (see FollowUp): made with what a listing sorts and picks
        on; `whole` gives the rest when first read (a listing of today's chase reads a tenth)."""
        fu = object.__new__(FollowUp)
        fu.__dict__.update(sheet=r.sheet, row=r.row, status=status, due=due, days_overdue=days_overdue,
                           _engine=self, _record=r,
                           _whole=(step, dict(rest, status=status, due=due, days_overdue=days_overdue)))
        return fu

    def whole(self, r: CallRecord, step: _Step, *, status: str, due: datetime | None = None,
               timed: bool = False, days_overdue: int = 0, flag: str = "",
               overdue_after: date | None = None,
               anchor: CallRecord | None = None, rows: list[CallRecord] | None = None,
               when: datetime | None = None, when_timed: bool = False,
               action: str = "") -> "FollowUp":
        """A row's FollowUp with every field (`result` and `done` leave them for later)."""
        if not (r.contact or r.candidates or r.client) and r.notes:
            r, rows = self._noted_people(r, rows or [r])
        lang = self.lang(r)
        fu = FollowUp(
            sheet=r.sheet, row=r.row, id=r.id, call_type=r.call_type or "",
            contact=r.contact, client=r.client,
            # The row's SM, else the thread's, as the draft signs it ("sender") and the
            # statistics count it: a chase row rarely repeats the SM of the call it follows.
            candidates=[p.name for p in r.candidates], manager=r.manager or _latest(rows or [r], "manager"),
            lang=lang,
            due=due, status=status, days_overdue=days_overdue,
            step=FollowStep(step.key, self._channel(step, r, lang),
                            self._own_words(action, status) or self._text(step.action, lang),
                            step.fallback, step.to),
            next_step=self._text(step.next, lang), message="", flag=flag,
            timed=timed, anchor_row=anchor.row if anchor is not None else 0,
            # Whom to get in touch with, as the draft greets them: the candidates for the call
            # the day before an interview, though the row's contact is the client's.
            who=addressee(rows or [r], step.to, lang)[0] if step.to != "contact" else r.who,
            overdue_after=overdue_after or (due.date() if due else None),
        )
        if status != "done":   # rendered on first read (FollowUp.__getattr__)
            del fu.message
            fu._draft = (self, (step, rows or [r], lang, anchor, when, when_timed))
        return fu

    def _noted_people(self, r: CallRecord, rows: list[CallRecord]) -> tuple[CallRecord, list[CallRecord]]:
        """`r`, naming no one in its columns, as its notes name them ("Contact Person:",
        "Candidates: Anna Li (E1)", "Company Name:": seed 002's log has no such columns),
        for whom the list and the draft greet; `rows` with it. Not a notice: its contact
        is the candidate, and the notes' "Contact person" the client's (reminders.planned_call)."""
        from .reminders import noted, noted_people

        if (r.call_type or "") in self.rules.notice_types:
            return r, rows
        named = replace(r, contact=noted("contact", r, self.config), client=noted("client", r, self.config),
                        candidates=noted_people(r, self.config))
        return named, [named if x is r else x for x in rows]

    def _own_words(self, text: str, status: str) -> str:
        """The row's own Next step as the action, `text`; but "" (the step's own action) from
        the day it is due on when it says to wait (followups.wait_words: "Wait 2 days, then
        call"): written for the days before, its waiting is over, the step is what it waited for."""
        if not text or status not in _URGENCY:
            return text
        if self._waiting is None:
            self._waiting = wait_pattern(self.rules.wait_words)
        return "" if self._waiting.search(text) else text

    def _message(self, step: _Step, rows: list[CallRecord], lang: str,
                 anchor: CallRecord | None, when: datetime | None, when_timed: bool) -> str:
        from .render import render, template_name

        base = f"{TEMPLATE_FOLDER}/{step.key}"
        if (base, lang) not in self._drafts:
            # Looked up once per run: a log of many rows asks the same question again and again.
            try:
                template_name(self.config, base, lang)
                self._drafts[(base, lang)] = True
            except TemplateMissing:
                self._drafts[(base, lang)] = False  # no draft: a planned call, "decide the next step"
        if not self._drafts[(base, lang)]:
            return ""
        context = message_context(self.config, rows, step.to, lang, since=anchor.date if anchor else None,
                                  when=when, when_timed=when_timed, today=self.today,
                                  client_types=self.rules.client_types)
        if step.to != "candidates":
            return render(self.config, base, lang, **context)
        # The call the day before: an interview by video is joined, not come to; and each
        # candidate is called and greeted alone, one draft each (seed 004: one call each).
        context["video"] = anchor is not None and held_by_video(self.config, anchor)
        names = context["candidates"]
        if len(names) < 2:
            return render(self.config, base, lang, **context)
        return "\n\n".join(render(self.config, base, lang, **dict(context, name=n, candidate=n, candidates=[n]))
                            for n in names)

    def timed_due(self, r: CallRecord, step: _Step, due: datetime, timed: bool, *,
                  rows: list[CallRecord], flag: str = "", anchor: CallRecord | None = None,
                  action: str = "") -> "FollowUp":
        status, late = _status(due.date(), due.date(), self.today)
        return self.result(r, step, status=status, due=due, timed=timed, days_overdue=late,
                           flag=flag, anchor=anchor, rows=rows, when=due, when_timed=timed,
                           action=action)

    def done(self, r: CallRecord, flag: str | None = None) -> "FollowUp":
        """A done row (see FollowUp); with no `flag`, one settled by a later row of its thread."""
        fu = object.__new__(FollowUp)
        fu.row, fu.status, fu.due = r.row, "done", None
        if flag is not None:
            fu.flag = flag
        fu._engine, fu._record = self, r
        return fu

    def done_in_full(self, r: CallRecord, flag: str | None) -> "FollowUp":
        flag = self._settled_flag(r) if flag is None else flag
        return self.whole(r, self.rules.steps["none"], status="done", flag=flag)

    def moment(self, value: date | datetime) -> tuple[datetime, bool]:
        """A next-contact value as a workbook-local datetime, and whether it has a time."""
        if isinstance(value, datetime):
            return self.config.local(value), True
        return datetime.combine(value, time(0, 0)), False

    # -- the rules, in the order of followups.yaml
    def judge(self, rows: list[CallRecord]) -> "FollowUp":
        rules = self.rules
        r = rows[-1]
        ct = r.call_type or ""
        if r.outcome in rules.closed_outcomes and self._closes(r) and r.date is not None:
            return self.done(r, "ghosted" if r.outcome == "ghosted" else "")
        if self._told and self._told_gone(r):
            return self.done(r, "")
        if not ct and not (r.call_type_raw.strip() or r.contact or r.client or r.candidates or r.outcome
                           or r.next_contact or r.next_contact_raw.strip() or r.next_step.strip()
                           or r.email or r.phone):
            # No call type, no one named, nothing planned: a heading ("--- November ---"), a
            # totals row, a note of the consultant's; no call, nobody to chase.
            return self.done(r, "")
        if r.date is None:
            # No date: the row is judged alone (threads_in_order), and nothing can be counted
            # from it but its Next contact. Closed, it closed nothing: it is to be dated too.
            if r.next_contact is None or r.outcome in rules.closed_outcomes:
                return self.result(r, rules.steps["date"], status="no_next_action", rows=rows)
            if self._made_since(r):
                return self.done(r)
        # A sent report's written next contact is the day of its call (seed 000): the
        # report's run below owes it then, with its draft (_Run.due).
        if r.next_contact is not None and not self._report(r) and not self._booked_ahead(r):
            # An interview moved (marked Rescheduled, its new slot in Next contact) is
            # confirmed the day before that slot, as a notice's interview is.
            moved = self._moved_to(r) is not None
            if ct not in rules.notice_types and not moved:
                if self._cancelled_below(rows) is not None:
                    # Called off by a row of its thread before it (the candidate's call at
                    # 15:00 about the 16:00 round): that row speaks for the thread
                    # (`_judged_cancellation`), this row's own next contact carried by it.
                    return self.done(r)
                return self.explicit(r, r, rows)
            at, timed = self.moment(r.next_contact)
            if moved and self.called_off(r):
                return self.off(r, rows)
            found = self.confirm(r, at, timed, rows, booked=None if moved else r.date)
            if found is None and not moved and self._interview_logged(r, at.date()):
                return self.done(r)   # its outcome is the interview row's to give
            return found or self.result(r, rules.steps["outcome"], status="no_next_action", anchor=r, rows=rows)
        run = self.walk(rows)
        if run is not None:
            # No answer does not call off an interview booked ahead: the call the day
            # before confirms it (seed 004), not a chase.
            found = self.carried(rows, silent=True)
            if found is None and self._interview_ahead(r, still=True):
                # Logged against the candidate: the interview row owes the call to confirm.
                return self.done(r)
            return found or self.chase(r, run, rows)
        if r.date is not None and r.outcome in rules.reason_outcomes \
                and (ct in rules.reason_types or (not ct or ct in rules.chase_types or ct in rules.confirm_types)
                     and r.next_contact is None):
            round_ = self.round_called_off(r)
            if self._round(r if round_ is None else round_):
                due = shift(r.date, rules.reason_step.day, self._working(rules.reason_working))
                status, late = _status(due, due, self.today)
                # Logged on the candidate's thread, the call for the reason is still the
                # client's: the round's row names its contact and candidates.
                told = rows if round_ is None else [*rows, round_]
                return self.result(r, rules.reason_step, status=status, due=_midnight(due),
                                   days_overdue=late, flag="likely_rejected", anchor=r, rows=told,
                                   when=r.at, when_timed=r.has_time)
        if r.date is not None and ct in rules.confirm_types and r.outcome in rules.confirm_open \
                and self.called_off(r):
            return self.off(r, rows)
        if r.date is not None and r.date >= self.today and r.outcome in rules.confirm_open:
            if ct in rules.confirm_types and not self._clarifies(r):
                found = self.confirm(r, r.at, r.has_time, rows)
                if found is not None and found.status == "upcoming" and ct in rules.notice_for \
                        and self._notice_unlogged(r):
                    # Booked with no notice logged: it goes out first, the call on the eve.
                    return self.result(r, rules.notice_step, status="due_today", due=_midnight(self.today),
                                       anchor=r, rows=rows, when=r.at, when_timed=r.has_time)
                if found is not None:
                    return found
            elif r.date == self.today and r.outcome in rules.confirmed_outcomes:
                # Today's call got the confirmation: it was the call before what the
                # thread has booked, not a call still to make.
                found = self.carried(rows)
                if found is not None:
                    return found
                if self._interview_ahead(r):
                    return self.done(r)
            return self.timed_due(r, rules.steps["planned"], r.at, r.has_time, rows=rows, anchor=r)
        cancelling = r.outcome not in rules.keep_outcomes and self._cancelling(r, rows)
        if cancelling or r.outcome in rules.keep_outcomes:
            # A cancelled interview, or the row calling one off, drops that interview only:
            # a contact agreed apart from it is still owed (after the reason call, rule 4).
            carried = self.carried(rows, off=cancelling)
            if carried is not None:
                return carried
        if r.date is not None and r.date < self.today and r.outcome in rules.confirm_open:
            if ct not in rules.chase_types or r.outcome not in rules.confirmed_outcomes:
                # Rule 8's "unless": a comment giving the next contact tells how the call
                # went on (seed 002's log has no outcome column): due then, not "log it".
                if self.noted_next_contact(r) is None:
                    return self.result(r, rules.steps["outcome"], status="no_next_action", anchor=r, rows=rows)
            # A follow-up marked Confirmed is a call made (on a booked call, Confirmed is the
            # booking confirmed, the call still to log): the candidate confirmed the
            # interview it was about, or it needs a next step as any call made.
            elif self._interview_ahead(r):
                return self.done(r)
        noted = self.noted_next_contact(r)
        if noted is not None:
            at, timed = self.moment(noted)
            return self.timed_due(r, rules.steps["next_contact"], at, timed, rows=rows, anchor=r,
                                  action=r.next_step.strip())
        booked = self._notice_owed(r)
        if booked is not None:
            # The row that booked an interview owes its written notice, from its own day.
            due = r.date
            status, late = _status(due, due, self.today)
            return self.result(r, rules.notice_step, status=status, due=_midnight(due), days_overdue=late,
                               anchor=booked, rows=rows, when=booked.at, when_timed=booked.has_time)
        return self.result(r, rules.steps["plan"], status="no_next_action", rows=rows)

    def _booked_ahead(self, r: CallRecord) -> bool:
        """Whether `r` is an interview (confirm.types) still ahead (not held, not moved) with
        its Next contact after its slot (the client's feedback): the call the day before to
        confirm it (seed 004) comes first, then its outcome, then that next contact. A
        next contact before the interview (a call to settle who pays the travel) is owed as
        written, and the confirmation after it."""
        rules = self.rules
        if r.date is None or r.date < self.today or (r.call_type or "") not in rules.confirm_types \
                or r.outcome not in rules.confirm_open or self._clarifies(r) or self._moved_to(r) is not None:
            return False
        if r.has_time and r.at <= self.now.replace(tzinfo=None):
            return False   # being held, or held: its outcome and next contact are what is left
        after, timed = self.moment(r.next_contact)
        return after.date() > r.date or (timed and r.has_time and after > r.at)

    def _notice_owed(self, r: CallRecord) -> CallRecord | None:
        """The interview the row booked that no notice was logged for (confirm.notice_step;
        seed 004): the row's contact is a candidate of an interview still to come in the two
        weeks from its day (as `_interview_ahead` finds it), not yet held, the row a reply
        or a call held (keep_appointment_outcomes), neither a notice nor an interview; and
        no row of a notice type, not one still planned, names them at its client from two
        weeks before that interview up to today. Else None."""
        rules = self.rules
        if rules.notice_step is None or not r.contact or r.date is None or r.date > self.today \
                or r.outcome not in rules.keep_outcomes \
                or (r.call_type or "") in rules.notice_types or (r.call_type or "") in rules.confirm_types:
            return None   # an interview held (its next round) or a notice is no invitation call
        name = normalize_word(r.contact)
        for x in self._their_interviews(r):
            day = self._slot_day(x)
            if not (0 <= (day - r.date).days <= INTERVIEW_AHEAD_DAYS and self._still_to_come(x)
                    and not self.called_off(x) and name not in self.withdrawn_from(x)):
                continue
            slot, timed = self.moment(x.next_contact) if self._moved_to(x) is not None else (x.at, x.has_time)
            if timed and slot <= self.now.replace(tzinfo=None):
                continue   # held by now: a notice would come too late
            lo = day - timedelta(days=INTERVIEW_AHEAD_DAYS)
            if not any(lo <= n.date and same_client(r.client, n.client) for n in self._notices_of(name)):
                return x
        return None

    def _notice_unlogged(self, r: CallRecord) -> bool:
        """Whether interview row `r`, still ahead (not moved), is all the log says of its
        booking (confirm.notice_for): a candidate it names has no notice logged (as
        `_notice_owed` looks) nor a row of their own (a reply, a call held) at its client in
        the two weeks up to it, the invitation that owes the notice (`_notice_owed`)."""
        rules = self.rules
        if rules.notice_step is None or not r.candidates or r.date is None or self._moved_to(r) is not None:
            return False
        lo = r.date - timedelta(days=INTERVIEW_AHEAD_DAYS)
        own = self.by_contact(rules.keep_outcomes)
        skip = rules.notice_types | rules.confirm_types
        gone = self.withdrawn_from(r)
        for name in candidate_names(r):
            if name in gone or any(lo <= n.date and same_client(r.client, n.client) for n in self._notices_of(name)):
                continue
            if not any(lo <= x.date <= r.date and (x.call_type or "") not in skip and same_client(r.client, x.client)
                       for x in own.get(name, ())):
                return True
        return False

    def _notices_of(self, name: str) -> list[CallRecord]:
        """The notice rows (confirm.notice_types) naming `name` (as names compare), dated in
        the last two weeks up to today (those of an interview still to come in the two weeks
        from a row of that time) and not still planned (scheduled_outcomes): found once,
        when a row that booked an interview first asks."""
        if self._notices is None:
            rules, records, dates, today = self.rules, self.records, self.dates, self.today
            kinds = rules.notice_types
            self._notices = {}
            for n in self._recent_rows():
                x = records[n]
                if dates[n] <= today and (x.call_type or "") in kinds and x.outcome not in rules.scheduled_outcomes:
                    for who in row_people(x):
                        self._notices.setdefault(who, []).append(x)
        return self._notices.get(name, ())

    def off(self, r: CallRecord, rows: list[CallRecord]) -> "FollowUp":
        """The thread's latest row, an appointment called off: done on its day and every
        day after (no outcome to ask once past), as the reminders drop it. A contact agreed
        on an earlier row for a day still to come was not called off with it: it is owed
        (rule 7), unless the row calling it off is of this thread: that row speaks for the
        thread (`_judged_cancellation`), one item, its reason call first."""
        by = self._calling_off(r)[0]
        if not any(x is by for x in rows):
            found = self.carried(rows, off=True)
            if found is not None:
                return found
        return self.done(r)

    def _cancelling(self, r: CallRecord, rows: list[CallRecord]) -> bool:
        """Whether the thread's latest row `r` is an interview cancelled with no new date
        (its own outcome in reason.outcomes), or the row calling off the appointment before
        it (`_judged_cancellation` puts it there)."""
        rules = self.rules
        told = told_withdrawal(r, rules.withdrawn_outcomes)
        if r.outcome not in rules.reason_outcomes and not told or r.next_contact is not None:
            return False
        if (r.call_type or "") in rules.confirm_types:
            return True
        return len(rows) > 1 and self._calling_off(rows[-2])[0] is r

    def _void(self, x: CallRecord, rows: list[CallRecord], voided: set[int]) -> bool:
        """Whether row `x` of the thread is an appointment cancelled or called off, or the
        row calling one of the thread's off: it says nothing of a contact agreed apart from
        that appointment (`carried` looks past it). `voided`: such rows found so far."""
        rules = self.rules
        if id(x) in voided:
            return True
        ct = x.call_type or ""
        told = told_withdrawal(x, rules.withdrawn_outcomes)
        if ct in rules.confirm_types and x.date is not None:
            if x.outcome in rules.reason_outcomes or told:
                return x.next_contact is None   # with one, it was booked again: that is agreed
            if x.outcome in rules.confirm_open or self._moved_to(x) is not None:
                by = self._calling_off(x)[0]
                if by is not None:
                    voided.add(id(by))
                    return True
        if x.outcome in rules.reason_outcomes or told:
            # Logged below the appointment it calls off, ordered after it (a scheduled row).
            return any(self._calling_off(y)[0] is x for y in rows if y is not x and y.date is not None
                       and (y.call_type or "") in rules.confirm_types and y.outcome in rules.confirm_open)
        return False

    def noted_next_contact(self, r: CallRecord) -> date | datetime | None:
        """The date the row's notes give under a next-contact key (a header word of the
        Next contact column: the first call's standard comment ends with "Next Contact
        Date:"), asked when nothing else says what is next; a date without its year, the
        first such day from the call's on, and words counting from the call ("tomorrow")
        from its date; None when the notes give none, or words of no date ("keep in touch
        by email")."""
        words = self.config.column_words
        # Most notes give none, and their lines recur from row to row (an agenda, a
        # candidate's summary): each line's key is worked out once, and the notes are
        # parsed only when one of their keys is a next contact's (10 ms at 100 000 rows).
        keys = self._line_keys
        for line in str(r.notes or "").splitlines():
            key = keys.get(line)
            if key is None:
                found = key_value(line)
                key = keys[line] = found[0] if found else ""
            if words.get(key) == "next_contact":
                break
        else:
            return None
        for key, value in parse_key_values(r.notes).items():
            if words.get(key) == "next_contact":
                # Imported only when a date is found (at the method's top: 3 ms at 100 000 rows).
                from .log import date_on_or_after, parse_date, yearless_month_first

                try:
                    return parse_date(value, self.date_order, words=self.config)
                except ValueError:
                    # "Next Contact Date: 24.11", as typed in a hurry.
                    if r.date is None:
                        return None
                    return date_on_or_after(value, r.date, yearless_month_first(self.date_order, self.lang(r)),
                                            config=self.config)
        return None

    def explicit(self, latest: CallRecord, source: CallRecord, rows: list[CallRecord]) -> "FollowUp":
        """Due when `source` said to get in touch next; shown on the thread's `latest` row."""
        due, timed = self.moment(source.next_contact)
        return self.timed_due(latest, self.rules.steps["next_contact"], due, timed, rows=rows,
                              anchor=source, action=source.next_step.strip())

    def chase(self, r: CallRecord, run: _Run, rows: list[CallRecord]) -> "FollowUp":
        if run.exhausted:
            return self.done(r, "ghosted" if run.seq.name == "cadence" else "")
        fallback = self._fallback(run)
        if fallback is not None:
            return self.result(r, fallback, status="due_today", due=_midnight(self.today), flag="chase",
                               anchor=run.anchor, rows=rows, when=run.anchor.at, when_timed=run.anchor.has_time)
        i = run.pending(self.today)
        due = run.owed_on(i)
        last_day = max(due, run.last_day(i))
        if run.seq.steps[i].optional:
            # Past its day, an optional step still owed is owed today (never overdue: it
            # gives way to the next one, `pending`), not on the day it was first due.
            due = max(due, self.today)
        status, late = _status(due, last_day, self.today)
        # The report's call on the day the consultant wrote, at its time when they wrote
        # one, in their words when they gave some.
        written = run.written_call(i)
        action = run.anchor.next_step.strip() if written else ""
        at, timed = self.moment(run.anchor.next_contact) if written else (_midnight(due), False)
        if at.date() != due:   # a later step than the gap allows: the day counts, not the time
            at, timed = _midnight(due), False
        return self.result(r, run.seq.steps[i], status=status, due=at, timed=timed,
                           days_overdue=late, flag="chase", overdue_after=last_day,
                           anchor=run.anchor, rows=rows, when=run.anchor.at,
                           when_timed=run.anchor.has_time, action=action)

    def _fallback(self, run: _Run) -> _Step | None:
        """The step logged today, made by its own channel and not answered (the T+3 call),
        as owed again by its `fallback` channel (followups.fallback_step: the e-mail at once,
        seed 001), unless a row of today was made by that channel; else None. Its moment is
        that day: from the next, the next step is owed."""
        rules = self.rules
        if rules.fallback_step is None or run.last != self.today or run.logged < 0:
            return None
        step = run.seq.steps[run.logged]
        if not step.fallback or step.fallback == "record" or not step.channel or step.channel == "record":
            return None
        messengers = rules.message_channel.values()
        own, other = ((set(messengers) if c == "message" else {c}) for c in (step.channel, step.fallback))
        if any(x.channel in other for x in run.on_last) or not any(
                x.channel in own and x.outcome in rules.silent_outcomes for x in run.on_last):
            return None
        return replace(step, channel=step.fallback, fallback="", optional=False,
                       action=rules.fallback_step.action or step.action)

    def confirm(self, appointment: CallRecord, at: datetime | None, timed: bool,
                rows: list[CallRecord], *, booked: date | None = None,
                latest: CallRecord | None = None) -> "FollowUp | None":
        """The day-before call for an interview at `at`; None once the interview is past
        (at its time, when it has one: at 16:00 a 14:00 interview is no longer confirmed)."""
        rules = self.rules
        if at is None or at.date() < self.today or (timed and at <= self.now.replace(tzinfo=None)):
            return None
        row = latest or appointment
        step = rules.confirm_step
        working = self._working(rules.confirm_working)
        eve = shift(at.date(), step.day, working)
        if booked is not None:
            # Booked late (today for tomorrow, or for today): the call is owed from the booking.
            eve = max(eve, shift(booked, 0, working))
        # A notice row is dated by the invitation call: "Confirmed" there is the candidate
        # accepting it, days ahead, not the call the day before (which the notice promises).
        # An interview row is dated by its slot: its "Confirmed" may have been typed at the
        # booking as well, so it is taken for the call of the eve only once the eve is over
        # (until then the call is owed, as the reminders list it).
        if (appointment.call_type or "") in rules.notice_types:
            own_day = appointment.date
        else:
            own_day = at.date() if self.today > eve else None
        # Those who pulled out neither confirm it nor are called: the others still come.
        gone = self.withdrawn_from(appointment)
        names = candidate_names(appointment) - gone
        if appointment.outcome in rules.confirmed_outcomes and own_day is not None and own_day >= eve:
            waiting, tried = set(), set()
        else:
            waiting, tried = self._unconfirmed(appointment, names, rows, eve, at.date())
        if not waiting:
            if gone:
                row, rows = _narrowed(appointment, row, rows,
                                      [p for p in appointment.candidates if normalize_word(p.name) not in gone])
            return self.timed_due(row, rules.steps["planned"], at, timed, rows=rows, anchor=appointment)
        # Each candidate confirms for themselves (seed 004: an unconfirmed one is the
        # no-show): the call is owed to those who have not, and named for them alone.
        keep = [p for p in appointment.candidates if not p.name or normalize_word(p.name) in waiting]
        if names and len(keep) != len(appointment.candidates):
            row, rows = _narrowed(appointment, row, rows, keep)
        if rules.confirm_again is not None and waiting <= tried:
            # Called since the eve and not answered: still owed, to be tried again.
            step = replace(step, action=rules.confirm_again.action)
        elif rules.confirm_partly is not None and waiting & tried:
            # Some called and not answered, the others not called yet: one line owes both,
            # naming those to be tried again ({names}, in each language's way of listing).
            again = [p.name for p in keep if normalize_word(p.name) in tried]
            step = replace(step, action={lang: text.replace("{names}", names_joined(again, lang))
                                         for lang, text in rules.confirm_partly.action.items()})
        status, late = _status(eve, eve, self.today)
        return self.result(row, step, status=status, due=_midnight(eve), days_overdue=late,
                           anchor=appointment, rows=rows, when=at, when_timed=timed)

    def _unconfirmed(self, appointment: CallRecord, names: set[str], rows: list[CallRecord],
                     eve: date, last: date) -> tuple[set[str], set[str]]:
        """The interview's candidates (`names`, as names compare; "" stands for the one of
        an interview naming none) not yet confirmed by a row dated from the `eve` to its
        day `last`, and those of them called in that time who did not answer. A row of the
        thread settles the candidates it is about (its contact or candidates): on the
        client's contact's thread, another candidate's interview marked Confirmed, or the
        contact confirming the slots, is no candidate saying they will come (seed 004); so
        does a row on a candidate's own thread (their contact, or no contact and them
        among its candidates). A confirmation stands whatever unanswered call is beside it."""
        rules = self.rules
        waiting, tried = set(names) or {""}, set()
        for x in rows:
            if x is appointment or x.date is None or not eve <= x.date <= last:
                continue
            if x.outcome in rules.confirmed_outcomes:
                waiting -= names & row_people(x) if names else {""}
            elif self._silent(x):
                tried |= names & row_people(x) if names else {""}
        if not (names and waiting):
            return waiting, tried
        # (A name at another client is another person: their thread is not this one's.)
        client = appointment.client
        confirmed = self.by_contact(rules.confirmed_outcomes, named=True)
        # A candidate by name or by employee ID ("Ann Bell (E1)", "E1": person_keys).
        refs = {normalize_word(p.name): normalize_word(p.ref) for p in appointment.candidates if p.name and p.ref}
        for name in list(waiting):
            if any(eve <= x.date <= last and same_client(x.client, client)
                   for key in (name, refs.get(name)) if key for x in confirmed.get(key, ())):
                waiting.discard(name)
        if waiting and (rules.confirm_again is not None or rules.confirm_partly is not None) \
                and not waiting <= tried:
            unanswered = self.by_contact(rules.silent_outcomes | rules.no_reply_outcomes, named=True)
            tried.update(name for name in waiting if any(
                eve <= x.date <= last and same_client(x.client, client) and self._silent(x)
                for key in (name, refs.get(name)) if key for x in unanswered.get(key, ())))
        return waiting, tried

    def by_contact(self, outcomes: frozenset[str], *, named: bool = False) -> dict[str, list[CallRecord]]:
        """Person -> the rows of the last two weeks with them as their contact and one of
        `outcomes`: a confirmation or a cancellation logged on the candidate's own thread
        reaches the interview logged on the client's contact's (see confirm, called_off).
        Earlier rows are of no interview still to come. With `named`, a row with no contact
        is filed under each of its candidates too (its thread is the first one's). A person
        written "Ann Bell (E1)", or "E1", is filed under the name and the ID (`person_keys`). Found
        once per `outcomes`, at C speed over the outcome column (a log has 100 000 rows)."""
        found = self._by_contact.get((outcomes, named))
        if found is None:
            found = self._by_contact[(outcomes, named)] = {}
            names: dict[str, tuple[str, ...]] = {}   # a contact as written -> as compared (each once)
            for r in self._recent_with(outcomes):
                for who in (r.contact,) if r.contact or not named else (p.name for p in r.candidates):
                    if not who:
                        continue
                    keys = names.get(who)
                    if keys is None:
                        keys = names[who] = person_keys(who)
                    for name in keys:
                        found.setdefault(name, []).append(r)
        return found

    def _recent_with(self, outcomes: frozenset[str]) -> list[CallRecord]:
        """The rows of the last two weeks with one of `outcomes`."""
        # Among the rows of the last two weeks, found once: a few per cent of a log's,
        # where a look at every row's outcome was 8 ms at 100 000 rows.
        records, column = self.records, self._outcome_column()
        return [records[n] for n in self._recent_rows() if column[n] in outcomes]

    def interviews_of(self) -> dict[str, list[CallRecord]]:
        """Candidate -> the interview rows (confirm.types) of the last two weeks on naming
        them, and those moved to a slot from two weeks ago on however long ago they were
        first booked: a call logged against the candidate (their own thread) is about the
        interview logged against the client's contact. Found once, when a row first asks."""
        if self._interviews is None:
            found: dict[str, list[CallRecord]] = {}
            kinds, records, dates = self.rules.confirm_types, self.records, self.dates
            lo = self.today - timedelta(days=14)
            rows = [n for n in self._recent_rows() if (records[n].call_type or "") in kinds]
            rows += [n for n in self._moved_rows(lo) if dates[n] is None or dates[n] < lo]
            for n in rows:
                self._appointments.append(records[n])
                for name in candidate_names(records[n]) | candidate_refs(records[n]):
                    found.setdefault(name, []).append(records[n])
            self._interviews = found
        return self._interviews

    def _recent_rows(self) -> list[int]:
        """The rows dated from two weeks ago on, found once: the interviews a row of
        today's may be about, and the rows still to come among them."""
        if self._recent is None:
            lo = self.today - timedelta(days=14)
            days, _, in_order = self._days()
            dates = self.dates
            if in_order:
                # The log's last rows: looked at from where its days reach two weeks ago,
                # not every row (5 ms at 100 000 rows).
                self._recent = [n for n in range(bisect_left(days, lo), len(days)) if dates[n] is not None]
            else:
                self._recent = [n for n, d in enumerate(dates) if d is not None and d >= lo]
        return self._recent

    def _their_interviews(self, r: CallRecord) -> Iterable[CallRecord]:
        """The interviews of `interviews_of` naming the row's contact as a candidate (by
        name or employee ID: `person_keys`), else, a row with no contact, one of its
        candidates, at the row's client when both name one (a name at two clients is two
        people)."""
        client = normalize_word(r.client)
        keys = person_keys(r.contact) if r.contact else (*candidate_names(r), *candidate_refs(r))
        found = self.interviews_of()
        seen = {id(r)}
        for key in keys:
            for x in found.get(key, ()):
                if id(x) not in seen and (not client or not x.client or normalize_word(x.client) == client):
                    seen.add(id(x))
                    yield x

    def _interview_ahead(self, r: CallRecord, *, still: bool = False) -> bool:
        """Whether the row's contact is a candidate of an interview in the two weeks from
        the row's day (with `still`: one still to come, not called off): the row is about
        that interview. A moved interview is where it now stands: the candidate's silence
        the day after the slot it was moved from is before it, not after."""
        if not (r.contact or r.candidates) or r.date is None:
            return False
        return any(0 <= (self._slot_day(x) - r.date).days <= INTERVIEW_AHEAD_DAYS
                   and (not still or (self._still_to_come(x) and not self.called_off(x)
                                      and normalize_word(r.contact) not in self.withdrawn_from(x)))
                   for x in self._their_interviews(r))

    def _interview_logged(self, notice: CallRecord, day: date) -> bool:
        """Whether an interview row of the notice's candidate, on its interview's day, has
        its outcome (one not in confirm.open_outcomes): the notice need not ask for it."""
        rules = self.rules
        return any(x.date == day and x.outcome not in rules.confirm_open and x.outcome not in rules.moved_outcomes
                   for name in (notice.contact, *(p.name for p in notice.candidates)) if name
                   for x in self.interviews_of().get(normalize_word(name), ()))

    def round_called_off(self, x: CallRecord) -> CallRecord | None:
        """The appointment (confirm.types) that row `x`, a cancellation, calls off
        (`called_off`), one dated in the two weeks from its day about someone it names;
        else None: the round the candidate's call at 15:00 cancelled."""
        if x.date is None or x.outcome not in self.rules.reason_outcomes:
            return None
        rules, records, column = self.rules, self.records, self._outcome_column()
        kinds, cancelled, withdrawn = rules.confirm_types, rules.reason_outcomes, rules.withdrawn_outcomes
        waiting = rules.confirm_open | rules.moved_outcomes   # only these are ever judged called off
        for n in self._rows_between(x.date, x.date + timedelta(days=14)):
            if column[n] not in waiting:   # the outcome column first: a record read is slow
                continue
            y = records[n]
            # `calls_off` next: the few it could call off are asked which it does (the
            # first it can), at the cost of the two weeks' cancellations.
            if (y.call_type or "") in kinds and calls_off(x, at_slot(y, rules.moved_outcomes), cancelled, withdrawn,
                                                              asides=rules.chase_types) \
                    and self._calling_off(y)[0] is x:
                return y
        return None

    def called_off(self, appointment: CallRecord) -> bool:
        """Whether a row calls the appointment off (`called_off_by`): the candidate's call at
        15:00 cancelling the second round of 16:00 (seed 003) on their own thread (that row
        carries the call for the reason), the client's contact's cancellation logged below
        the booking, the candidate withdrawing. Called off, it stays so on its day and every
        day after: nothing to confirm before it, no outcome to ask once it is past."""
        return self._calling_off(appointment)[0] is not None

    def withdrawn_from(self, appointment: CallRecord) -> frozenset[str]:
        """The candidates (as names compare) who pulled out of an appointment the others
        still come to (`withdrawals`): theirs is the only part of it called off."""
        if (appointment.call_type or "") not in self.rules.confirm_types:
            return frozenset()
        return self._calling_off(appointment)[1]

    def _calling_off(self, appointment: CallRecord) -> tuple[CallRecord | None, frozenset[str]]:
        """The row calling the appointment off, else None, and the candidates who pulled out
        of it: among the rows of the last two weeks for one still to come (found once), of
        the two weeks up to its slot for one past (`_calling_off_on`)."""
        day = self._slot_day(appointment)
        if day is not None and day < self.today:
            lo = day - timedelta(days=14)
            people = row_people(appointment)
            # Most past interviews have no cancellation near them: asked first, at once.
            if not any(people & row_people(x) for x in self._cancels_between(lo, day)):
                return None, frozenset()
            called, gone = self._calling_off_on(day)
        else:
            called, gone = self._calling_off_now()
        key = id(appointment)
        return called.get(key), gone.get(key, frozenset())

    def _calling_off_now(self) -> tuple[dict[int, CallRecord], dict[int, frozenset[str]]]:
        """`called_off_by` and `withdrawals` of the cancellations of the last two weeks and
        the appointments of `interviews_of` (one moved, at its new slot): what a row still
        to come is judged by. Found once."""
        if self._called is None:
            rules = self.rules
            self.interviews_of()   # the appointments
            outcomes = rules.reason_outcomes | rules.withdrawn_outcomes
            # Whoever they name: a withdrawal logged with the candidate in Candidates and no
            # contact calls off as the reminders find it (reminders.called_off).
            cancels = self._recent_with(outcomes)
            self._called, self._gone = self._calling_off_among(cancels, self._appointments)
        return self._called, self._gone

    def _calling_off_on(self, day: date) -> tuple[dict[int, CallRecord], dict[int, frozenset[str]]]:
        """`_calling_off_now` as it stood on `day`, a day past: the cancellations dated in
        the two weeks up to it, and the appointments they may call off first, those with a
        slot in those two weeks (a cancellation calls off the first it can). Found once per
        day asked: few, of the threads ending with an interview past."""
        found = self._off_on.get(day)
        if found is None:
            lo = day - timedelta(days=14)
            kinds, records, dates = self.rules.confirm_types, self.records, self.dates
            rows = [n for n in self._rows_between(lo, day) if (records[n].call_type or "") in kinds]
            rows += [n for n in self._moved_rows(lo) if (dates[n] is None or not lo <= dates[n] <= day)
                     and self._moved_to(records[n]) <= day]
            found = self._off_on[day] = self._calling_off_among(self._cancels_between(lo, day),
                                                                [records[n] for n in rows])
        return found

    def _calling_off_among(self, cancels: list[CallRecord], appointments: list[CallRecord]
                           ) -> tuple[dict[int, CallRecord], dict[int, frozenset[str]]]:
        """id(appointment) -> the row calling it off (`called_off_by`), and -> the candidates
        who pulled out of one the others still come to (`withdrawals`)."""
        if not cancels:
            return {}, {}
        rules, moved = self.rules, self.rules.moved_outcomes
        called = called_off_by(cancels, appointments, rules.reason_outcomes, rules.withdrawn_outcomes, moved=moved,
                               asides=rules.chase_types)
        gone = {key: names for key, (names, _) in
                withdrawals(cancels, appointments, rules.withdrawn_outcomes, moved=moved).items()
                if key not in called}
        return called, gone

    def _cancel_rows(self) -> tuple[list[date], list[int]]:
        """The dated rows with an outcome that may call an appointment off, by date, and
        their days: found once, at C speed over the outcome column (a few hundred in
        100 000 rows)."""
        if self._cancels is None:
            outcomes = self.rules.reason_outcomes | self.rules.withdrawn_outcomes
            dates = self.dates
            rows = sorted((n for n in compress(count(), map(outcomes.__contains__, self._outcome_column()))
                           if dates[n] is not None), key=dates.__getitem__)
            self._cancels = ([dates[n] for n in rows], rows)
        return self._cancels

    def _cancels_between(self, lo: date, hi: date) -> list[CallRecord]:
        """The rows of the log dated from `lo` to `hi` with an outcome that may call an
        appointment off (reason.outcomes, confirm.withdrawn_outcomes): all of them found
        once, at C speed over the outcome column (a few hundred in 100 000 rows)."""
        days, rows = self._cancel_rows()
        # In the log's order, as the last two weeks' are: of two rows calling one
        # appointment off, the one above is the one that does.
        return [self.records[n] for n in sorted(rows[bisect_left(days, lo):bisect_right(days, hi)])]

    def _rows_between(self, lo: date, hi: date) -> list[int]:
        """The rows dated from `lo` to `hi`."""
        days, _, in_order = self._days()
        dates = self.dates
        if in_order:
            return [n for n in range(bisect_left(days, lo), bisect_right(days, hi)) if dates[n] is not None]
        return [n for n, d in enumerate(dates) if d is not None and lo <= d <= hi]

    def carried(self, rows: list[CallRecord], *, silent: bool = False, off: bool = False) -> "FollowUp | None":
        """An interview or agreed contact set on an earlier row of the thread and kept by
        every row since (with `silent`, the latest row got no answer: a contact agreed in
        the notes counts too, on a thread silent in the last two weeks; with `off`, the
        latest row is an interview cancelled or called off, or the row calling it off: an
        agreed contact only, as with `silent`, no interview's notice). Rows about an
        interview called off (`_void`) are looked past: they drop only that interview.
        None when there is none still to come, but an interview past with nothing logged
        after its day asks for its outcome."""
        rules = self.rules
        latest = rows[-1]
        best: tuple[datetime, bool, CallRecord] | None = None
        past: CallRecord | None = None
        missed: tuple[datetime, bool, CallRecord] | None = None
        # A silent row after the day a contact was agreed for is no silence yet: a message
        # sent after the first call ("the presentation, as agreed") before the call agreed
        # for Wednesday. The agreed day may be in the notes ("Next Contact Date:"), read
        # only on a thread silent lately (an old thread's agreed day is long past); an
        # interview called off may be still to come: two weeks either side of it.
        lately = latest.date is not None and (-14 if off else 0) <= (self.today - latest.date).days <= 14
        noted = (silent or off) and lately
        voided: set[int] = set()   # see _void
        passed = off               # past an appointment called off
        # The days of the appointments called off: a contact agreed for one was that one.
        gone: set[date | None] = set()
        if off:
            # The latest row is the appointment, or the row calling off the one before it.
            below = len(rows) > 1 and self._calling_off(rows[-2])[0] is latest
            gone.add(self._slot_day(rows[-2] if below else latest))
        for x in reversed(rows[:-1]):
            if x.outcome in rules.closed_outcomes and self._closes(x):
                break
            stops = x.outcome not in rules.keep_outcomes and not self._silent(x)
            if stops and self._void(x, rows, voided):
                passed = True
                if (x.call_type or "") in rules.confirm_types:
                    gone.add(self._slot_day(x))
                if x.outcome not in rules.reason_outcomes and not told_withdrawal(x, rules.withdrawn_outcomes):
                    continue
                # The row calling it off drops that appointment only; the contact it
                # agreed itself ("cancelled; call back Friday") is agreed, as the walk
                # reads it (`_agreed_before`). Looked past all the same: not a stop.
                stops = False
            notice = (x.call_type or "") in rules.notice_types
            if notice and passed:
                continue   # the notice of an interview called off, maybe: it promises nothing
            # (A sent report's next contact is its call's day: the chase's own step.)
            agreed = None if silent and self._report(x) else x.next_contact
            if agreed is None and noted and x.date is not None and 0 <= (latest.date - x.date).days <= 14 \
                    and not self._silent(x) and not self._report(x):
                agreed = self.noted_next_contact(x)
            at, timed = self.moment(agreed) if agreed is not None else (None, False)
            if at is not None and gone and at.date() in gone:
                at = None
            if at is not None and silent and not notice and self._made((at, timed), latest):
                # The silent row was that contact, made on its day or after.
                at = None
            if at is not None:
                if at.date() >= self.today:
                    if best is None or at < best[0]:
                        best = (at, timed, x)
                elif notice and past is None and latest.date is not None and at.date() >= latest.date:
                    past = x
                elif (silent or off) and not notice and missed is None and latest.date is not None \
                        and at.date() > latest.date and (self.today - at.date()).days <= 14:
                    # The agreed call, due lately, was never logged: it comes before a chase
                    # counted from the message sent ahead of it (one made that day and
                    # unanswered is logged on or after it: the chase runs from there), and
                    # it is still owed after an interview called off before its day.
                    missed = (at, timed, x)
            if stops:
                break
        if best is not None:
            at, timed, x = best
            if (x.call_type or "") in rules.notice_types:
                return self.confirm(x, at, timed, rows, booked=x.date, latest=latest)
            return self.timed_due(latest, rules.steps["next_contact"], at, timed, rows=rows, anchor=x,
                                  action=x.next_step.strip())
        if past is not None:
            return self.result(latest, rules.steps["outcome"], status="no_next_action", anchor=past, rows=rows)
        if missed is not None:
            at, timed, x = missed
            return self.timed_due(latest, rules.steps["next_contact"], at, timed, rows=rows, anchor=x,
                                  action=x.next_step.strip())
        return None

    def threads_in_order(self, *, dated: bool = False) -> list[list[int]]:
        """Each thread's rows (indices into records), in the order they happened: by date,
        then time, then place in the log (a row with no date after the row above it). With
        `dated`, as the follow-ups judge them: a row with no date cannot be placed in time,
        so it is taken out of its thread, a thread of its own: it settles no row of its
        person's, and none settles it."""
        threads: defaultdict[str | int, list[int]] = defaultdict(list)
        for n, key in enumerate(self.threads):
            threads[key or n].append(n)   # a row about no one is a thread of its own
        days, undated, in_order = self._days()
        out = list(threads.values())
        # A log kept in the order of its calls (the usual case) has every thread in order
        # already: one pass over the days (under 1 ms at 100 000 rows) saves 1 000 sorts.
        if not in_order:
            for rows in out:
                rows.sort(key=days.__getitem__)   # stable: the rows of one day stay as logged
        self._by_time(out, days, undated)
        if dated and undated:
            # Only the undated rows are looked at (1 200 of 100 000 rows), taken out of
            # their threads at C speed.
            records = self.records
            for n in undated:
                rows = threads[self.threads[n] or n]
                rows.remove(n)
                if records[n].next_contact is not None:
                    self._beside[id(records[n])] = rows   # see _made_since
            out = [rows for rows in out if rows] + [[n] for n in undated]
        return out

    def _made_since(self, r: CallRecord) -> bool:
        """Whether a row with no date and a Next contact is settled: a call of its person's
        thread made at that contact or after it (not one still to come) is after this row
        too, whenever it was, as a contact is agreed for after the call agreeing it. Only
        so can a row with no date be placed after another."""
        at = self.moment(r.next_contact)
        records, today = self.records, self.today
        for m in reversed(self._beside.get(id(r), ())):   # the thread's dated rows, latest last
            x = records[m]
            if x.date < at[0].date():
                return False
            if self._made(at, x) and x.date <= today and not self._still_to_come(x):
                return True
        return False

    def _days(self) -> tuple[list[date], list[int], bool]:
        """The day of each row, its own or, undated, that of the dated row above it on its
        sheet (where it was logged); the undated rows; and whether those days are in the
        order of the rows (a log kept in the order of its calls). Found once."""
        if self._days_found is None:
            # Only the undated rows are visited (list.index finds them at C speed).
            days, records = list(self.dates), self.records
            undated, n = [], -1
            for _ in range(days.count(None)):
                n = days.index(None, n + 1)
                undated.append(n)
                sheet = records[n].sheet
                above = n - 1
                while above >= 0 and records[above].sheet != sheet:
                    above -= 1
                days[n] = days[above] if above >= 0 else date.min
            self._days_found = (days, undated, all(map(operator.le, days, islice(days, 1, None))))
        return self._days_found

    def _by_time(self, threads: list[list[int]], days: list[date], undated: list[int]) -> None:
        """Put the rows of one day of each thread in the order of their times: the reply
        logged above the morning's unanswered call came after it. A row with no time, no
        date or a scheduled outcome stays after the row of its thread above it that day,
        and after the others with none above it: the lower of two was written later."""
        # The threads end to end: only the days of a thread with two rows are looked at.
        flat = list(chain.from_iterable(threads))
        day = list(map(days.__getitem__, flat))
        bounds = list(accumulate(map(len, threads), initial=0))
        ends = set(bounds)
        # p: flat[p] and flat[p + 1] are of one day, and of one thread unless p ends one.
        pairs = [p for p in compress(count(), map(operator.eq, day, islice(day, 1, None))) if p + 1 not in ends]
        if not pairs:
            return
        # The time of each row of those days; none for a row undated or still to happen.
        records, undated, scheduled = self.records, set(undated), self.rules.scheduled_outcomes
        times = {n: None if n in undated or records[n].outcome in scheduled else records[n].time
                 for n in {flat[q] for p in pairs for q in (p, p + 1)}}
        runs, start, end, last, late = [], -1, -1, None, False
        for p in pairs:
            if p != end - 1:     # the rows of another day: flat[start:end]
                if late:
                    runs.append((start, end))
                start, last, late = p, times[flat[p]], False
            end = p + 2
            at = times[flat[p + 1]]
            if at is not None:
                late = late or (last is not None and at < last)
                last = at
        if late:
            runs.append((start, end))
        for a, b in runs:
            # A row without a time stays after the row above it (the e-mail logged below
            # the unanswered call it followed), and after every other row without a time
            # above it: of two such rows, a reply and a chase message, the lower was
            # written later, whatever timed rows lie between them.
            # A row with no date keeps its place but moves no other row: it is no call
            # placed in time, and the follow-ups judge the log as if it were not there.
            rows, keys, at, untimed = flat[a:b], [], time.min, time.min
            for n in rows:
                if n in undated:
                    keys.append(max(at, untimed))
                elif times[n] is None:
                    untimed = max(at, untimed)
                    keys.append(untimed)
                else:
                    at = times[n]
                    keys.append(at)
            t = bisect_right(bounds, a) - 1
            threads[t][a - bounds[t]:b - bounds[t]] = [rows[k] for k in sorted(range(b - a), key=keys.__getitem__)]

    def judged(self, *, open_only: bool = False) -> list[tuple[int, "FollowUp"]]:
        """(index, follow-up) of each thread's latest row, and of the rows still to come
        before it that only other appointments still to come follow (`_booked_before`), in
        the records' order: the only rows not done for being settled by a later one.
        With `open_only`, those not done only."""
        records, today = self.records, self.today
        dates, outcomes, closed = self.dates, self._outcome_column(), self.rules.closed_outcomes
        if self._told is None:
            self._find_told()   # before any thread is judged: `judge` asks `_told` alone
        open_, withdrawn = self.rules.confirm_open, self.rules.withdrawn_outcomes
        future = [n for n in self._recent_rows() if dates[n] >= today]   # rows dated today on
        booked = {self.threads[n] for n in future if self.threads[n]}   # threads with a row still to come
        booked.update(self.threads[n] for n in self._moved_rows() if self.threads[n])
        reported = self._report_threads()
        out = []
        for rows in self.threads_in_order(dated=True):
            last = rows[-1]
            if len(rows) > 1 and self.threads[last] in reported:
                # A report no later row speaks of owes its SMS and call (seed 000): judged
                # as if the thread ended with it.
                out += [(rows[i], self.judge(_pick(records, rows[:i + 1]))) for i in self._reports_open(rows)]
            if len(rows) > 1 and self.threads[last] in booked:
                out += self._judged_booked(rows)
            elif outcomes[last] in closed and (outcomes[last] not in withdrawn or self._closes(records[last])) \
                    and dates[last] is not None:
                # Most threads of a log end closed (hired, rejected, ghosted): `judge` says
                # done at its first rule, from that outcome alone. Said here, without
                # picking the thread's rows, and not at all when only the open rows are
                # wanted (their records untouched: 20 ms of open_followups at 100 000 rows).
                if not open_only:
                    out.append((last, self.done(records[last], "ghosted" if outcomes[last] == "ghosted" else "")))
            else:
                picked = _pick(records, rows)
                out.append((last, self.judge(picked)))
                if len(rows) > 1 and outcomes[last] in open_:
                    # An appointment past, called off by a row of its thread dated before it:
                    # that row still owes the call for the reason, as on the appointment's day.
                    out += self._judged_cancellation(rows, picked, len(rows) - 1)
        if open_only:
            # Done now, done in the end: _notices_of_logged_interviews only settles more.
            out = [(n, fu) for n, fu in out if fu.status != "done"]
        settled = set(self._notices_of_logged_interviews(out, future))
        if settled:
            out = [(n, self.done(records[n]) if n in settled else fu) for n, fu in out]
        out.sort(key=_first)
        return out

    def _report_threads(self) -> set[str]:
        """The threads with a row of a report type (followups.report.types), found at C
        speed over the call types: only theirs are looked at by `_reports_open`."""
        types = self.rules.report_types
        kinds = map(operator.attrgetter("call_type"), self.records)
        return {self.threads[n] for n in compress(count(), map(types.__contains__, kinds)) if self.threads[n]}

    def _reports_open(self, rows: list[int]) -> list[int]:
        """Positions of the thread's sent reports (`_report`) before its latest row that no
        later row speaks of: each row after names candidates, none of the report's. The
        thread is the client contact's, and a row about Petr's interview with her is no
        answer about the report on Anna (DOMAIN: "I sent you candidate X two days ago");
        a row naming Anna, or naming nobody (her reply, a chase message), is."""
        records, out, said = self.records, [], set()
        for i in range(len(rows) - 1, -1, -1):
            r = records[rows[i]]
            names = candidate_names(r)
            if not names:
                break   # a row about no candidate: every report before it is answered or chased
            if said and self._report(r) and not names & said:
                out.append(i)
            said |= names
        return out

    def _judged_booked(self, rows: list[int]) -> list[tuple[int, "FollowUp"]]:
        """`judged` of a thread with a row still to come: its latest row, the rows before
        it still to come (`_booked_before`), and the cancellations of its appointments."""
        picked = _pick(self.records, rows)
        rows, picked = self._moved_last(rows, picked)
        out = [(rows[-1], self.judge(picked))]
        before = self._booked_before(picked)
        # Each judged as if the thread ended with it: its own status and due.
        out += [(rows[i], self.judge(picked[:i + 1])) for i in before]
        for end in (len(rows) - 1, *before):
            # Two rounds called off before one reason call: that call is judged once.
            out += [(n, fu) for n, fu in self._judged_cancellation(rows, picked, end) if all(n != m for m, _ in out)]
        return out

    def _moved_last(self, rows: list[int], picked: tuple[CallRecord, ...]
                    ) -> tuple[list[int], tuple[CallRecord, ...]]:
        """The thread with its row moved to a day after its latest row's, logging that
        appointment again (`same_appointment`), put last: the client's call logged on a new
        row marked Rescheduled to 2 Dec, above the interview of 26 Nov left Planned, is the
        interview now, and the 26 Nov row is settled by it (reminders.logged_later). So is
        the row still to come logged below the latest (`logged_below`), booking its call
        again on an earlier day: the interview of the 10th marked Rescheduled with no new
        slot, brought forward to the 8th on a new row."""
        last = picked[-1]
        if last.date is None or self._moved_to(last) is not None or self._clarifies(last):
            return rows, picked
        appointment = (last.call_type or "") in self.rules.confirm_types
        names = candidate_names(last)
        for i in range(len(picked) - 2, -1, -1):
            x = picked[i]
            if not self._still_to_come(x):
                break
            day = self._moved_to(x) if appointment else None
            # `x` holds the later slot, or is the newer booking: `last` is the appointment it moves.
            if (day is not None and day > last.date
                    or logged_below(x, last, self.rules.moved_outcomes) and not self._clarifies(x)) \
                    and same_appointment(last, x, self.config, names):
                order = [*range(i), *range(i + 1, len(picked)), i]
                return [rows[k] for k in order], tuple(picked[k] for k in order)
        return rows, picked

    def _cancelled_below(self, rows: tuple[CallRecord, ...]) -> int | None:
        """Position of the row of the thread that calls off its latest, an appointment not
        yet held (`calls_off`: the client's cancellation of the second round, logged below
        it and dated the day before it), else None: on its day and every day after, as the
        appointment stays called off."""
        rules, latest = self.rules, rows[-1]
        if (latest.call_type or "") not in rules.confirm_types or latest.date is None \
                or latest.outcome not in rules.confirm_open:
            return None
        x = self._calling_off(latest)[0]
        return None if x is None else next((i for i in range(len(rows) - 2, -1, -1) if rows[i] is x), None)

    def _judged_cancellation(self, rows: list[int], picked: tuple[CallRecord, ...], end: int
                             ) -> list[tuple[int, "FollowUp"]]:
        """The row of the thread calling off the appointment at `end` (`_cancelled_below`),
        judged as that appointment's latest word, as if the thread ended with it; none else.
        But a row of the thread made after it and before the appointment's slot (the call
        for the reason, the same evening) is judged in its place, as the thread's latest,
        as when made after the slot: answered, the reason is no longer owed; unanswered, it
        is T of the chase. Either, unless it owes the reason call (rule 4: the reason first),
        is settled (done: none judged) by a row of the thread still to come after it, not
        called off: a call or interview booked since is the thread's next step, as a later
        row settles any earlier one (one open row per person)."""
        i = self._cancelled_below(picked[:end + 1])
        if i is None:
            return []
        j = next((k for k in range(end - 1, i, -1) if self._call_after(picked[k])), None)
        if j is None:
            k, fu = i, self.judge(picked[:i] + picked[i + 1:end + 1] + (picked[i],))
        else:
            k, fu = j, self.judge(picked[:i] + (picked[end], picked[i]) + picked[i + 1:j + 1])
        if fu.status != "done" and _step_key(fu) != self.rules.reason_step.key and any(
                self._still_to_come(x) and not self.called_off(x) for x in picked[k + 1:] if x is not picked[end]):
            return []
        return [(rows[k], fu)]

    def _moved_rows(self, since: date | None = None) -> list[int]:
        """The rows of interviews moved to `since` (default: today) or later: a moved row
        dated before today is still to come at its new slot. The moved rows are found once,
        at C speed over the outcome column."""
        if self._moved is None:
            moved, records = self.rules.moved_outcomes, self.records
            self._moved = [n for n in compress(count(), map(moved.__contains__, self._outcome_column()))
                           if self._moved_to(records[n]) is not None]
        since = self.today if since is None else since
        return [n for n in self._moved if self._moved_to(self.records[n]) >= since]

    def _outcome_column(self) -> list[str]:
        """The records' outcomes, in order: looked up by index, no record touched (a
        record is read from memory scattered over the whole log)."""
        if self._outcomes is None:
            self._outcomes = list(map(operator.attrgetter("outcome"), self.records))
        return self._outcomes

    def _booked_before(self, rows: tuple[CallRecord, ...]) -> list[int]:
        """Positions of the rows before the latest that are still to come (`_still_to_come`)
        and that only rows still to come (or appointments past left open) follow, none of
        them the same appointment again: a client seeing several candidates, one a day,
        owes each of them the call the day before; a call on Thursday is still to make
        when an interview is booked for the week after. The same appointment logged again
        (`same_appointment`: the same call type, with the same candidate or one side
        naming none, no later round named) at a later slot is it moved: it settles the
        earlier row, as any row after it that is not still to come does. Slots, not
        dates, say which is later: the client's call of Monday marked Rescheduled to
        Thursday moves Wednesday's interview below it, while the next round, on Friday,
        stays the thread's latest."""
        out: list[int] = []
        config, kinds, open_ = self.config, self.rules.confirm_types, self.rules.confirm_open
        k = len(rows)
        # Back over the rows still to come, and the appointments past still waiting for
        # their outcome (the old slot of an interview moved by a row above them, the rounds
        # of a day): a moved row above those still holds its slot. Any other row ends the
        # walk: a report sent before them is judged on its own by `_reports_open`.
        while k and (self._still_to_come(rows[k - 1])
                     or (rows[k - 1].call_type or "") in kinds and rows[k - 1].outcome in open_):
            k -= 1
        # (position, row, candidates, a call to clarify details, its slot's day) of the rows
        # still to come: a clarification (`_clarifies`) is no round, it logs none again
        # and none logs it again.
        ahead = [(j, x, candidate_names(x), self._clarifies(x), self._slot_day(x))
                 for j, x in enumerate(rows[k:], k) if self._still_to_come(x)]
        for i, r, names, clarifies, day in reversed(ahead):
            # Settled by the row at a later slot (or the same day's, below it) logging it again.
            if i < len(rows) - 1 and not any(
                    (d, j) > (day, i) and not (clarifies or c) and same_appointment(r, x, config, names, n)
                    and logs_round(r, x, (y for _, y, _, c, _ in ahead if not c), config, self.rules.moved_outcomes)
                    for j, x, n, c, d in ahead):
                out.append(i)
        return out

    def _still_to_come(self, r: CallRecord) -> bool:
        """An interview today or later not yet held (confirm.open_outcomes), or moved to a
        new slot today or later; another call on a later day, or planned today
        (scheduled_outcomes): today's call left blank is most often the one that booked
        what follows it."""
        rules, today = self.rules, self.today
        moved = self._moved_to(r)
        if moved is not None:
            return moved >= today
        if r.date is None or r.date < today or r.outcome not in rules.confirm_open:
            return False
        return (r.date > today or r.outcome in rules.scheduled_outcomes
                or (r.call_type or "") in rules.confirm_types and not self._clarifies(r))

    def _call_after(self, r: CallRecord) -> bool:
        """Whether the row, after a cancellation, is a call made, answered or not: dated
        today or before and not still to come (`_still_to_come`); neither an appointment
        waiting for its outcome or moved, nor a cancellation or withdrawal (it calls off
        an appointment of its own: its own word, its own reason call)."""
        rules = self.rules
        if r.date is None or r.date > self.today or self._still_to_come(r) or self._moved_to(r) is not None:
            return False
        if (r.call_type or "") in rules.confirm_types and r.outcome in rules.confirm_open:
            return False
        return r.outcome not in rules.reason_outcomes and r.outcome not in rules.withdrawn_outcomes

    def _slot_day(self, r: CallRecord) -> date | None:
        """The day of the row's appointment: its new one when moved (`_moved_to`), else its own."""
        moved = self._moved_to(r)
        return r.date if moved is None else moved

    def _moved_to(self, r: CallRecord) -> date | None:
        """The new day of an interview moved (confirm.moved_outcomes, its new slot in Next
        contact), else None."""
        rules = self.rules
        if r.outcome not in rules.moved_outcomes or r.next_contact is None \
                or (r.call_type or "") not in rules.confirm_types or self._clarifies(r):
            # A call to clarify details moved is a call with its next contact (rule 2).
            return None
        return r.next_contact.date() if isinstance(r.next_contact, datetime) else r.next_contact

    def run(self) -> list["FollowUp"]:
        out = list(map(self.done, self.records))   # every row done for now...
        for n, fu in self.judged():                 # ...but the latest of each thread (and rows still to come)
            out[n] = fu
        return out

    def _notices_of_logged_interviews(self, judged: list[tuple[int, "FollowUp"]], future: list[int]) -> list[int]:
        """The notice rows whose call the day before is owed by an interview row of the
        same candidate and day: the notice's thread is the candidate, the interview's the
        client's contact, and the one call was listed twice (the interview row keeps it).
        `future`: the rows dated today on. A moved interview is on its new slot's day; and
        the notices of the day it was moved from follow it (reminders.announced: the
        notice is about that row's interview, and the moved row, or the row logging it
        again, owes the call before the new slot), as do those of an interview called off
        or moved with no new slot, which owe no call."""
        rules, records = self.rules, self.records
        moved = self._moved_rows()
        booked = {(normalize_word(p.name), self._slot_day(records[n])) for n in (*future, *moved)
                  if (records[n].call_type or "") in rules.confirm_types for p in records[n].candidates if p.name}
        booked.update((normalize_word(p.name), records[n].date) for n in moved
                      if (records[n].call_type or "") in rules.confirm_types for p in records[n].candidates if p.name)
        if not booked:
            return []
        found = []
        for n, fu in judged:
            if fu.status == "done":
                continue
            # The notice's call may be owed on a later row of its thread (the candidate's
            # unanswered message since): the notice is the step's anchor there. Read from
            # what `result` kept, not the whole FollowUp (made only when first read).
            whole = fu.__dict__.get("_whole")
            step, anchor = (whole[0], whole[1].get("anchor")) if whole else (fu.step, records[n])
            r = anchor
            if step.key != rules.confirm_step.key or r is None or r.next_contact is None \
                    or (r.call_type or "") not in rules.notice_types:
                continue
            day = r.next_contact.date() if isinstance(r.next_contact, datetime) else r.next_contact
            if any((normalize_word(name), day) in booked for name in (r.contact, *(p.name for p in r.candidates)) if name):
                found.append(n)
        return found

    def _settled_flag(self, r: CallRecord) -> str:
        """The flag of a row that a later row of its thread has settled."""
        rules = self.rules
        if r.outcome in rules.reason_outcomes and r.next_contact is None and self._round(r):
            return "likely_rejected"
        return "ghosted" if r.outcome == "ghosted" else ""


def candidate_names(r: CallRecord) -> set[str]:
    """The row's candidates as names compare (normalize_word)."""
    return {normalize_word(p.name) for p in r.candidates if p.name}


def candidate_refs(r: CallRecord) -> set[str]:
    """The row's candidates' employee IDs ("Ann Bell (E1)": E1), as names compare."""
    return {normalize_word(p.ref) for p in r.candidates if p.ref}


def person_keys(text: str) -> tuple[str, ...]:
    """A person as a Contact cell writes them, as names compare: the name, and the
    employee ID when written as the log writes candidates ("Ann Bell (E1)"); "E1" alone
    is that ID, and finds the candidate by it (candidate_refs)."""
    text = str(text or "").strip()
    if text.endswith(")"):
        name, bracket, ref = text[:-1].rpartition(" (")
        if bracket and name.strip() and ref.strip():
            return normalize_word(name), normalize_word(ref)
    return (normalize_word(text),)


def row_people(r: CallRecord) -> set[str]:
    """Everyone the row is about, as names compare: its contact (by name: `person_keys`)
    and its candidates, by name and employee ID: a withdrawal whose contact is "Ann Bell
    (E1)", or "E1", is about Ann of an interview naming "Ann Bell (E1)". (A contact's
    bracket is not taken for an ID here: "Tina Moor (HR)" and "Tom Lee (HR)" are two people.)"""
    names = candidate_names(r)
    if r.candidates:
        names |= candidate_refs(r)
    if r.contact:
        names.add(person_keys(r.contact)[0])
    names.discard("")
    return names


def logs_again(kind: str, names: set[str], other_kind: str, other_names: set[str]) -> bool:
    """Whether an appointment of a thread (call type `kind`, candidates `names` as
    candidate_names gives them) is logged again by another of that thread: the same call
    type, with a candidate in common or one side naming none. Consultants mark the old row
    Rescheduled, or leave it, and add a row for the new slot: that row is the appointment
    now. The follow-ups settle the earlier row by it (`_Engine._booked_before`); the
    reminders drop a moved row's reminders for it, when it is at the moved slot's day and
    time (reminders.logged_again). Of two rows, `same_appointment` asks this and more (two
    rounds of one candidate the same day at 14:00 and 16:00 are two, seed 003)."""
    return kind == other_kind and (not names or not other_names or bool(names & other_names))


def same_appointment(earlier: CallRecord, later: CallRecord, config, names: set[str] | None = None,
                     later_names: set[str] | None = None) -> bool:
    """Whether row `later`, at a later slot, logs the appointment of row `earlier` again
    (`logs_again`; `names`, `later_names`: their candidate_names, when known). Not a later
    row that says it is another round (`later_round`): processes have 1 to 6 rounds and
    the extra ones appear late (seed 000), round 1 typed "Interview" and the final one
    read as an Interview too. Nor, one side naming no candidates, a row for another
    position than the earlier row's, both written: the client's next interview, its
    candidates not picked yet. A row naming none and saying nothing else is the
    appointment moved, as most often (a moved row is logged with its candidates more
    often than not, but not always). Nor an interview (confirm.types) dated the same day
    at another time: first and second rounds are booked the same day, at 14:00 and 16:00
    (seed 003), each of them still its own round when the other is moved or logged again."""
    if two_rounds(earlier, later, config):
        return False
    names = candidate_names(earlier) if names is None else names
    later_names = candidate_names(later) if later_names is None else later_names
    if not logs_again(earlier.call_type or "", names, later.call_type or "", later_names):
        return False
    if (not names or not later_names) and earlier.position and later.position \
            and normalize_word(earlier.position) != normalize_word(later.position):
        return False
    return not later_round(earlier, later, config)


def logged_below(x: CallRecord, r: CallRecord, moved: frozenset[str]) -> bool:
    """Whether row `x` is the newer booking of row `r`'s appointment brought forward: `r`
    marked moved (`moved`: confirm.moved_outcomes) with no new slot, `x` logged below it
    in the same sheet and dated before it (the interview of the 10th marked Rescheduled,
    the 8th booked on a row below). It settles `r`, rather than `r`'s later date settling
    it. Only so: two rows still booked, the lower dated first, are as often a log sorted
    newest first, where the upper row is the newer booking."""
    return r.outcome in moved and r.next_contact is None and below_before(x, r)


def below_before(x: CallRecord, r: CallRecord) -> bool:
    """Whether row `x` is below row `r` in the same sheet and dated before it (`logged_below`)."""
    return x.sheet == r.sheet and x.row > r.row and x.date is not None and r.date is not None and x.date < r.date


def later_that_day(a: CallRecord, b: CallRecord, scheduled: frozenset[str]) -> bool:
    """Whether row `b`, of row `a`'s day, came after it as a thread's day is ordered
    (_Engine._by_time): by their times when both have one and neither is still to happen
    (`scheduled`: scheduled_outcomes, whose time says when it is due, not when it was
    logged); else the lower row of the sheet, written later."""
    if a.time is not None and b.time is not None and a.time != b.time \
            and a.outcome not in scheduled and b.outcome not in scheduled:
        return b.time > a.time
    return a.sheet == b.sheet and b.row > a.row


def two_rounds(a: CallRecord, b: CallRecord, config) -> bool:
    """Whether rows `a` and `b` are interviews (confirm.types) dated the same day at two
    times: two rounds of that day (seed 003: the first at 14:00, the second at 16:00),
    never one logged again. (Two first calls of a day are one moved: nobody books two.)
    But for one moved to the other's slot (14:00 marked Rescheduled to 16:00, the 16:00
    row logged too): that is one interview, moved."""
    if a.date is None or a.date != b.date or a.time is None or b.time is None or a.time == b.time:
        return False
    confirm = config.section("followups").get("confirm") or {}
    if (a.call_type or "") not in (confirm.get("types") or ()):
        return False
    moved = _words(confirm.get("moved_outcomes"), "confirm.moved_outcomes")
    return not any(x.outcome in moved and (slot := at_slot(x, moved)).date == y.date and slot.time == y.time
                   for x, y in ((a, b), (b, a)))


def logs_round(appointment: CallRecord, later: CallRecord, booked: Iterable[CallRecord], config,
               moved: frozenset[str]) -> bool:
    """Whether row `later`, logging `appointment` again (`same_appointment`), logs it rather
    than another round of its day (`two_rounds`) among `booked`: the rows of its thread
    still booked, calls to clarify details left out (the follow-ups' rows still to come,
    the reminders' planned calls). Round 1 logged again on Friday leaves round 2 where it
    was (`round_logged_again`); `moved`: confirm.moved_outcomes, placing `later` at its slot."""
    rounds = [y for y in booked if y is not later and two_rounds(appointment, y, config)
              and same_appointment(y, later, config)]
    return not rounds or round_logged_again([appointment, *rounds], at_slot(later, moved)) is appointment


def round_logged_again(rounds: list[CallRecord], later: CallRecord) -> CallRecord:
    """Of the rounds of one day (`two_rounds`) that row `later`, at its slot, may each log
    again (`same_appointment`), the one it does: one row is one appointment, so the other
    round of that day keeps its confirmation call and reminders. The round at `later`'s
    time of day (its row copied, the day changed), else the first of the day: round 1
    moved, round 2 left where it was booked."""
    return next((r for r in rounds if r.time == later.time), None) or min(rounds, key=operator.attrgetter("time"))


def later_round(earlier: CallRecord, later: CallRecord, config) -> bool:
    """Whether `later` names a later round of interviews than `earlier` in words (its call
    type as typed or its notes: summaries.round_named) and `earlier` names none:
    "Interview" on Tuesday, "Final interview" on Thursday. Both naming one (the second
    round moved, its row copied) are left to the other signs. Words only: a moved
    interview's notes written as an interview's ("Anna Li (E1) – …") name no round."""
    from .summaries import round_named   # asked only of rows that would log one again

    return round_named(later, config) and not round_named(earlier, config)


def same_client(a: str | None, b: str | None) -> bool:
    """Whether two rows' Client cells name one client, as consultants type it: "Acme" and
    "Acme Ltd." (one, as normalize_word gives them, begins the other, of three letters or
    more); a blank one is any client."""
    a, b = normalize_word(a or ""), normalize_word(b or "")
    short, long = sorted((a, b), key=len)
    return not short or short == long or (len(short) >= 3 and long.startswith(short))


def told_withdrawal(r: CallRecord, withdrawn: frozenset[str]) -> bool:
    """Whether row `r` is a withdrawal (an outcome in `withdrawn`,
    followups.confirm.withdrawn_outcomes) logged on someone else's thread: its contact, the
    client's, is not one of the candidates it names. It is theirs that pulled out: it calls
    off their part of an appointment (`withdraws`) but does not close the contact's thread,
    whom the consultant still has to tell and offer others. Logged against the candidate
    (the contact one of them, or none), it is that person's own."""
    if r.outcome not in withdrawn or not r.contact:
        return False
    names = candidate_names(r)
    return bool(names) and not (names | candidate_refs(r)).intersection(person_keys(r.contact))


def _before(x: CallRecord, appointment: CallRecord) -> bool:
    """Whether row `x` (not the appointment) is dated in the two weeks up to the
    appointment's time: a row that may call it off."""
    day = appointment.date
    if x is appointment or x.date is None or day is None or not 0 <= (day - x.date).days <= 14:
        return False
    return not (x.date == day and x.time is not None and appointment.time is not None and x.time > appointment.time)


def withdraws(x: CallRecord, appointment: CallRecord, withdrawn: frozenset[str]) -> set[str]:
    """The appointment's candidates (as names compare) that row `x` says pulled out: an
    outcome in `withdrawn` (followups.confirm.withdrawn_outcomes), whatever its call type,
    dated in the two weeks up to the appointment (`_before`) and logged below it (above,
    it was before this booking), naming them (its contact or candidates)."""
    if x.outcome not in withdrawn or not _before(x, appointment) \
            or x.sheet == appointment.sheet and x.row < appointment.row:
        return set()
    if appointment.candidates:
        return _candidates_among(appointment, row_people(x))
    # An appointment naming no candidate is its contact's: pulled out of by a row saying
    # so of that person (its candidates, else its contact), not by the client's contact
    # telling of another candidate.
    gone = candidate_names(x) or set(person_keys(x.contact))
    return interviewed(appointment) & gone


def interviewed(appointment: CallRecord) -> set[str]:
    """Who may pull out of an appointment, as names compare: its candidates; when its
    Candidates cell is blank, its contact (an interview logged against the candidate)."""
    names = candidate_names(appointment)
    if not names and appointment.contact:
        names.add(person_keys(appointment.contact)[0])
        names.discard("")
    return names


def calls_off(x: CallRecord, appointment: CallRecord, outcomes: frozenset[str],
              withdrawn: frozenset[str] = frozenset(), *, asides: frozenset[str] = frozenset()) -> bool:
    """Whether row `x`, on its own, calls the appointment off:
    - an outcome in `withdrawn`: it withdraws (`withdraws`) every candidate the
      appointment names (`withdrawals` adds up the rows of several);
    - an outcome in `outcomes` (followups.reason.outcomes: seed 003, the second round
      cancelled, "usually a no"), dated in the two weeks up to its time, of the
      appointment's call type, logged either against one of its candidates (their own
      thread: the candidate's call at 15:00 about the 16:00 round; its contact written
      "Ann Bell (E1)" or "E1" is Ann: `interviewed_among`), or against its
      contact below it with a candidate in common or one side naming none; or of a call
      type that is no appointment (blank, or one of `asides`: followups.chase_types, the
      candidate's call logged as a follow-up) about one of its candidates, on their own
      thread or below it. A cancellation of another appointment (the first round) is that
      one's, not this one's."""
    if x.outcome in withdrawn:
        names = interviewed(appointment)
        return bool(names) and withdraws(x, appointment, withdrawn) == names
    if x.outcome not in outcomes or not _before(x, appointment):
        return False
    if x.call_type != appointment.call_type:
        if x.call_type and x.call_type not in asides:
            return False
        about = interviewed_among(appointment, row_people(x))
        return bool(about) and (bool(interviewed_among(appointment, set(person_keys(x.contact))))
                                or x.sheet == appointment.sheet and x.row > appointment.row)
    names = candidate_names(appointment)
    if names and x.contact and interviewed_among(appointment, set(person_keys(x.contact))):
        return True
    if x.sheet != appointment.sheet or x.row <= appointment.row \
            or normalize_word(x.contact) != normalize_word(appointment.contact):
        return False
    theirs = candidate_names(x)
    return not names or not theirs or bool(names & theirs)


def interviewed_among(appointment: CallRecord, people: set[str]) -> set[str]:
    """Those `interviewed` at the appointment who are among `people` (as `row_people` or
    `person_keys` give them): a candidate by name or by employee ID, so that a row whose
    contact is "Ann Bell (E1)", or "E1", is about Ann of an interview naming "Ann Bell (E1)"."""
    if not candidate_names(appointment):
        return interviewed(appointment) & people
    return _candidates_among(appointment, people)


def _candidates_among(appointment: CallRecord, people: set[str]) -> set[str]:
    """The appointment's candidates (as names compare) among `people`, by name or by
    employee ID ("E1": row_people, person_keys)."""
    return {normalize_word(p.name) for p in appointment.candidates if p.name and (
        normalize_word(p.name) in people or p.ref and normalize_word(p.ref) in people)}


def _by_name(appointments: Iterable[CallRecord]) -> defaultdict[str, list[CallRecord]]:
    """Person (as names compare) -> the appointments about them (`row_people`)."""
    by_name: defaultdict[str, list[CallRecord]] = defaultdict(list)
    for y in appointments:
        for name in row_people(y):
            by_name[name].append(y)
    return by_name


def _when(r: CallRecord) -> tuple:
    return (r.date, r.time or time.min, r.sheet, r.row)


def at_slot(appointment: CallRecord, moved: frozenset[str]) -> CallRecord:
    """The appointment where it now stands: one moved (an outcome in `moved`,
    confirm.moved_outcomes) is a copy at its Next contact (a date alone: the whole day),
    where the reminders place it too (reminders.planned_call); any other, itself. The
    rows that may call it off are those before that slot: the candidate withdrawing two
    days after the day first booked, three before the day it was moved to, calls it off;
    one withdrawing after the moved slot does not call off the interview already held."""
    new = appointment.next_contact
    if new is None or appointment.outcome not in moved:
        return appointment
    if isinstance(new, datetime):
        return replace(appointment, date=new.date(), time=new.time())
    return replace(appointment, date=new, time=None)


def withdrawals(cancels: Iterable[CallRecord], appointments: Iterable[CallRecord],
                withdrawn: frozenset[str], *, moved: frozenset[str]) -> dict[int, tuple[frozenset[str], CallRecord]]:
    """id(appointment) -> the names of its candidates who pulled out (`withdraws`, of the
    appointment at its slot: `at_slot`), as names compare, and the latest row saying one
    did. One candidate of three withdrawing leaves the interview on for the other two; it
    is off once every one of them has, in one row or in a row each."""
    by_name = _by_name(appointments)
    found: dict[int, tuple[set[str], CallRecord]] = {}
    for x in cancels:
        if x.outcome not in withdrawn:
            continue
        for y in {id(y): y for n in row_people(x) for y in by_name.get(n, ())}.values():
            names = withdraws(x, at_slot(y, moved), withdrawn)
            if not names:
                continue
            gone, latest = found.get(id(y), (set(), x))
            found[id(y)] = (gone | names, max(latest, x, key=_when))
    return {key: (frozenset(gone), latest) for key, (gone, latest) in found.items()}


def called_off_by(cancels: Iterable[CallRecord], appointments: Iterable[CallRecord],
                  cancelled: frozenset[str], withdrawn: frozenset[str], *,
                  moved: frozenset[str], asides: frozenset[str] = frozenset()) -> dict[int, CallRecord]:
    """id(appointment) -> the row of `cancels` that calls it off (`calls_off`), each
    appointment where it now stands (`at_slot`: one moved, at its new slot). A
    cancellation calls off the first appointment it can, in the order they happen: a
    round cancelled and booked again (below it in a log sorted newest first) stands, and
    a cancellation naming no candidate is the contact's next interview's, not every one's.
    Withdrawals call off every interview all of whose candidates pulled out
    (`withdrawals`), as the row of the last of them to."""
    appointments = list(appointments)
    cancels = list(cancels)
    by_name = _by_name(appointments)
    slots = {id(y): at_slot(y, moved) for y in appointments}
    out: dict[int, CallRecord] = {}
    for x in cancels:
        if x.outcome in withdrawn:
            continue
        hits = [y for y in {id(y): y for n in row_people(x) for y in by_name.get(n, ())}.values()
                if calls_off(x, slots[id(y)], cancelled, withdrawn, asides=asides)]
        if hits:
            out.setdefault(id(min(hits, key=lambda y: _when(slots[id(y)]))), x)
    gone = withdrawals(cancels, appointments, withdrawn, moved=moved)
    for y in appointments:
        names, latest = gone.get(id(y), (None, None))
        if names is not None and names == interviewed(y):
            out.setdefault(id(y), latest)
    return out


_first = operator.itemgetter(0)

# A row is about an interview in this many days from its day (_Engine._interview_ahead; the
# statistics' notice waiting on its interview, stats._Booked): one later is another round's.
INTERVIEW_AHEAD_DAYS = 14


def _step_key(fu: FollowUp) -> str:
    """The key of an open row's step, read from what `result` kept (not filled in)."""
    whole = fu.__dict__.get("_whole")
    return whole[0].key if whole else fu.step.key


def _pick(records: list[CallRecord], rows: list[int]) -> tuple[CallRecord, ...]:
    """records[n] for n in rows, at C speed (5 times faster at 100 000 rows)."""
    return operator.itemgetter(*rows)(records) if len(rows) > 1 else (records[rows[0]],)


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(0, 0))


# ---------------------------------------------------------------- message drafts

def _latest(rows: list[CallRecord], name: str) -> str:
    """The last value a thread gave a field: chase rows rarely repeat the position."""
    for r in reversed(rows):
        value = getattr(r, name)
        if value:
            return value
    return ""


_WEEKDAYS = {
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
    "ru": ("пн", "вт", "ср", "чт", "пт", "сб", "вс"),
    "zh": ("周一", "周二", "周三", "周四", "周五", "周六", "周日"),
    "ja": ("月", "火", "水", "木", "金", "土", "日"),
}
_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def day_text(day: date, lang: str) -> str:
    """A date as people write it in a message: weekday included, no locale needed."""
    wd = _WEEKDAYS.get(lang, _WEEKDAYS["en"])[day.weekday()]
    if lang == "ru":
        return f"{wd}, {day.day:02d}.{day.month:02d}"
    if lang == "zh":
        return f"{day.month}月{day.day}日（{wd}）"
    if lang == "ja":
        return f"{day.month}月{day.day}日（{wd}）"
    return f"{wd} {day.day} {_MONTHS_EN[day.month - 1]}"


# Chinese and Japanese list names with the enumeration comma: "周婷、马超", not "周婷, 马超".
_NAMES_JOINED_BY = {"zh": "、", "ja": "、"}


def names_joined(names: Iterable[str], lang: str) -> str:
    return _NAMES_JOINED_BY.get(lang, ", ").join(names)


def action_in(config, step, row_lang: str, lang: str) -> str:
    """The step's action in `lang`, a sheet's or a digest's: the engine words it in the
    row's language, and a column of one sheet reads in one language, as its channel and
    status do. The row's own Next step, which the engine may give as the action, stays as
    written."""
    texts = ((config.section("followups").get("steps") or {}).get(step.key) or {}).get("action") or {}
    if row_lang != lang and step.action and step.action == (texts.get(row_lang) or texts.get("en")):
        return texts.get(lang) or texts.get("en") or step.action
    return step.action


def held_by_video(config, appointment: CallRecord) -> bool:
    """Whether an interview is held by video: its row's channel says so, or its notes give
    a meeting link (a notice's channel is that of the call inviting the candidate)."""
    if appointment.channel == "video":
        return True
    from .reminders import find_item, record_values   # asked only of a draft rendered

    return bool(find_item(record_values(appointment), config, "notice_keys", "meeting_link"))


def is_candidate(contact: str, names: Iterable[str]) -> bool:
    """Whether the contact is one of the candidates named: "Anna" of "Anna Li" too, a
    Contact cell holding the first name of the candidate (model.same_person)."""
    key = normalize_word(contact)
    return any(normalize_word(n) == key or same_person(contact, n) for n in names)


def addressee(rows: list[CallRecord], to: str, lang: str) -> tuple[str, list[str]]:
    """Whom a step's draft greets (and the chase lists name), from a thread's rows (latest
    last), and the candidates' names: a step `to` the candidates greets them; one `to` the
    client greets the contact, but the client when the contact is one of the candidates;
    any other greets the contact, else the candidates, else the client."""
    names: list[str] = []
    for r in reversed(rows):
        if r.candidates:
            names = [p.name for p in r.candidates if p.name]
            break
    candidate = names_joined(names, lang)
    contact = _latest(rows, "contact")
    client = _latest(rows, "client")
    if to == "candidates":
        return candidate or contact, names
    if to == "client" and (not contact or is_candidate(contact, names)):
        # No contact, or the Contact column holds the candidate the call was with: a draft
        # for the client's side greets the client, never the candidate.
        return client or contact or candidate, names
    return contact or candidate or client, names


def message_context(config, rows: list[CallRecord], to: str, lang: str, *,
                    since: date | None = None, when: datetime | None = None,
                    when_timed: bool = False, today: date | None = None,
                    client_types: frozenset[str] | None = None) -> dict[str, Any]:
    """What a chase template can use, from a thread's rows (latest last).

    `name` is whom the draft greets; `date`/`time` are of the call or interview the step is
    about; `days_ago` counts from `since` (the report, T of a chase) to `today`.
    """
    name, names = addressee(rows, to, lang)
    candidate = names_joined(names, lang)
    contact = _latest(rows, "contact")
    client = _latest(rows, "client")
    if client_types is None:
        client_types = _words(config.section("followups").get("client_types"), "client_types")
    stage_id = _latest(rows, "stage")
    stage = config.list_label("stage", stage_id, lang) if stage_id else ""
    position = _latest(rows, "position")
    call_type = rows[-1].call_type if rows else None
    days_ago = (today - since).days if today is not None and since is not None else 0
    return {
        "name": name,
        "contact": contact,
        "client": client,
        "candidate": candidate,
        "candidates": names,
        "position": position,
        "topic": position,
        "stage": stage,
        "call_type": config.call_type_label(call_type, lang) if call_type else "",
        "sender": _latest(rows, "manager"),
        "date": when.date() if when else None,
        "day": day_text(when.date(), lang) if when else "",
        "time": when.strftime("%H:%M") if when and when_timed else "",
        "days_ago": max(days_ago, 0),
        "language": lang,
        "to_client": to_client(rows, to, contact, names, client, client_types),
    }


def to_client(rows: list[CallRecord], to: str, contact: str, names: list[str], client: str,
              kinds: frozenset[str]) -> bool:
    """Whether a draft `to` (a step's `to`) goes to the client's side, not a candidate:
    a step to the client; to the contact, when the thread names candidates and the
    contact is none of them (the client's HR the report or the interview was logged on),
    or has a call held with the client (followups.client_types: the first call); with
    no contact, to the client the thread is about when it names no candidate."""
    if to == "client":
        return True
    if to != "contact":
        return False
    if not contact:
        return not names and bool(client)
    if is_candidate(contact, names):
        return False
    return bool(names) or any((r.call_type or "") in kinds for r in rows)


# ---------------------------------------------------------------- the public functions

def followups(records: list[CallRecord], config, now: datetime, *,
              threads: list[str] | None = None, dates: list[Any] | None = None,
              outcomes: list[str] | None = None, date_order: str = "") -> list[FollowUp]:
    """One FollowUp per record, in the records' order (see followups.yaml for the rules).

    `threads`, `dates` and `outcomes`, when given, are the records' CallRecord.thread,
    .date and .outcome in order (CallLog.threads_as_read and column_as_read give them
    without a record touched).
    """
    with collector_paused():   # 100 000 new follow-ups, no cycles
        return _Engine(list(records), config, now, threads=threads, dates=dates, outcomes=outcomes,
                       date_order=date_order).run()


def open_followups(records: list[CallRecord], config, now: datetime, *,
                   threads: list[str] | None = None, dates: list[Any] | None = None,
                   outcomes: list[str] | None = None, date_order: str = "") -> list[FollowUp]:
    """The FollowUps of `followups` that are not done, in the records' order, without
    making the done ones (most of a log: 0.1 s at 100 000 rows)."""
    with collector_paused():
        engine = _Engine(list(records), config, now, threads=threads, dates=dates, outcomes=outcomes,
                         date_order=date_order)
        return [fu for _, fu in engine.judged(open_only=True) if fu.status != "done"]


def chase_today(items: Iterable[FollowUp]) -> list[FollowUp]:
    """Overdue and due-today follow-ups, most overdue first, then by due."""
    picked = [f for f in items if f.status in _URGENCY]
    return sorted(picked, key=lambda f: (-f.days_overdue, _URGENCY[f.status],
                                         f.due or datetime.max, f.sheet, f.row))


def _message_channel(rules: _Rules, lang: str) -> str:
    """The channel of a "message" step in `lang` (followups.message_channel)."""
    return rules.message_channel.get(lang) or rules.message_channel.get("en", "")


def cadence_steps(config, lang: str) -> list[dict[str, Any]]:
    """The silence cadence as configured, for a person to read (the How to use sheet):
    each step's day, the last day of its window, its channel and fallback as labels,
    and its action, in `lang`."""
    rules = _rules(config)

    def channel(cid: str) -> str:
        if cid == "message":
            cid = _message_channel(rules, lang)
        return config.list_label("channel", cid, lang) if cid and cid != "record" else ""

    return [{"day": s.day, "until": s.until, "channel": channel(s.channel), "fallback": channel(s.fallback),
             "action": s.action.get(lang) or s.action.get("en", "")} for s in rules.cadence.steps]


def status_label(config, status: str, lang: str) -> str:
    spec = config.section("followups")["status_labels"].get(status) or {}
    return spec.get(lang) or spec.get("en") or status


def flag_label(config, flag: str, lang: str) -> str:
    if not flag:
        return ""
    spec = config.section("followups")["flag_labels"].get(flag) or {}
    return spec.get(lang) or spec.get("en") or flag


# What the engine concludes of a thread that a person is to read (DOMAIN: a cancelled
# second round is marked likely rejected; a thread silent after the last message, ghosted).
SHOWN_FLAGS = ("likely_rejected", "ghosted")


def marked(config, fu, text: str, lang: str) -> str:
    """`text` after the engine's conclusion a person is to read ("Likely rejected — ...")."""
    flag = getattr(fu, "flag", "")
    mark = flag_label(config, flag, lang) if flag in SHOWN_FLAGS else ""
    return f"{mark} — {text}" if mark and text else (text or mark)


def highlight(config) -> dict[str, str]:
    """status -> fill colour (RRGGBB) for the sheet's highlight rules."""
    return {str(k): str(v).lstrip("#").upper() for k, v in config.section("followups")["highlight"].items()}


def followup_problems(records: list[CallRecord], config, now: datetime) -> list[Problem]:
    """Rows whose follow-up could not be worked out from what was logged."""
    rules = _rules(config)
    closed, withdrawn = rules.closed_outcomes, rules.withdrawn_outcomes
    out: list[Problem] = []
    for r in records:
        if r.date is None and r.next_contact is None \
                and (r.outcome not in closed or told_withdrawal(r, withdrawn)):
            out.append(Problem(r.sheet, r.row, r.columns.get("date", ""), "",
                               "no date: the follow-up cannot be counted from this row"))
    return out
