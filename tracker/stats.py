"""Statistics of one call log or a whole team's: interviews and no-shows (seed 004),
calls per call type, chases and ghosting by source and stage (seed 001), and the time
to a first response, by day, ISO week or month, per file and per manager.

How rows count (the lists of outcomes and call types are in defaults/stats.yaml, which
users override; the ids below are the defaults):

* Rows without a date are left out and reported as problems. Rows are taken in order of
  date, time (a date alone is the start of its day), sheet and row. Candidates and
  threads are kept apart per file: two consultants' "Ivan" are two people.
* Manager of a row: its SM cell, else the latest SM written on the same thread before it,
  else the first SM written on the thread anywhere. Spelling variants that differ only in
  case or spaces are one manager, shown as first written.
* calls: rows per call type (canonical id, else the text as written) in the period of
  the row's date, except rows that did not take place (planned, cancelled, rescheduled).
* interviews, per candidate (each name in Candidates, else the row's thread) and per
  round (invitation to the interview's outcome); each event counts in the period of the
  row that shows it:
  invited — the first notice row of a round (interview_notice, unless no_answer: we
  reached no one), or the interview row itself when no notice came before it: a second
  notice in the same round (the call, then the e-mail) is not a second invitation;
  confirmed — outcome confirmed on a notice/interview row, or on any row while the
  candidate has an open invitation; implied by attended and by no-show, because a no-show
  is someone who agreed to come (seed 004), so invited >= confirmed >= attended + no_show;
  attended — outcome attended on any row, or attended/done/hired/rejected on an
  interview row (the interview took place; the outcome is the client's verdict);
  no_show — outcome no_show on any row; attended and no_show end the round, and so does
  a cancelled interview row (counting neither). A rescheduled interview stays in its round.
  no_show_rate = no_show / (attended + no_show), None when that is 0.
* chases, per thread: a silent row (no_answer) on a thread not in a chase starts one; the
  next reply (replied, confirmed, attended, rescheduled, rejected, hired) answers it, a
  ghosted row ends it as ghosted (a ghosted row outside a chase is a chase started and
  ghosted at once), closed/cancelled or the end of the log leave it unresolved. Answered
  at which step: the number of days after the day the silence began that have a row on the
  thread before the reply (a day with a call and an e-mail is one step): up to 1 is
  answered_t1, 2 is answered_t3, more is answered_last. Source: the first source written on
  the thread; stage: where the thread went silent (the silent row's stage, else the latest
  known on the thread, a row's call type telling its stage when the Stage cell is blank).
  A chase counts in the range by the day it started.
  ghost_rate = ghosted / chases (chases = answered_* + ghosted + unresolved).
* time to first response, per thread: the clock starts at the first row that took place
  (first contact) unless it is itself a response (replied, confirmed), and at any silent
  row when it is not running; the next response stops it. Hours between the rows (whole
  days x 24 when either row has no time), counted in the period and under the manager of
  the response.

Totals: every output row also exists with "*" for any of its dimensions (period "*" is
the whole range; file, manager, call_type, source, stage "*" is all of them). "" means
the log did not say (no SM, no source...). Periods: "2026-11-22", "2026-W47", "2026-11".
"""
from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, time
from itertools import product
from pathlib import PurePath
from typing import Any, Iterable

from .errors import TrackerError
from .model import CallLog, CallRecord, Problem

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

@dataclass(frozen=True)
class InterviewRow:
    period: str
    file: str
    manager: str
    invited: int
    confirmed: int
    attended: int
    no_show: int
    no_show_rate: float | None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class CallsRow:
    period: str
    file: str
    manager: str
    call_type: str   # canonical id, else the text as written; "*" = all types
    count: int

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class GhostRow:
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

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class ResponseRow:
    period: str
    file: str
    manager: str
    median_hours: float | None
    n: int

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


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
                elif kind == "rate":
                    cells.append(f"{value:.0%}")
                elif kind == "hours":
                    cells.append(f"{value:.1f}")
                else:
                    cells.append(str(value))
            out.append(cells)
        return out

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


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

    def flat(self, kind: str) -> list[dict[str, Any]]:
        """JSON/CSV-ready rows of one kind: interviews, calls, ghosting or response."""
        if kind not in KINDS:
            raise TrackerError(f"no statistics called {kind!r}: choose one of {', '.join(KINDS)}")
        return [row.as_dict() for row in getattr(self, kind)]

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

@dataclass(frozen=True)
class _Rules:
    calls_not_held: frozenset[str]
    notice_types: frozenset[str]
    interview_types: frozenset[str]
    not_an_invitation: frozenset[str]
    confirmed: frozenset[str]
    interview_held: frozenset[str]
    no_show: frozenset[str]
    round_end: frozenset[str]
    silence: frozenset[str]
    reply: frozenset[str]
    response: frozenset[str]
    ghosted: frozenset[str]
    chase_end: frozenset[str]
    t1_steps: int
    t3_steps: int
    stage_from_call_type: dict[str, str]

    @classmethod
    def from_config(cls, config) -> "_Rules":
        # A hand-made Config without the stats section still works: nothing matches.
        s = config.data.get("stats") or {}

        def ids(key: str) -> frozenset[str]:
            return frozenset(str(v) for v in (s.get(key) or ()))

        steps = s.get("answer_steps") or {}
        return cls(
            calls_not_held=ids("calls_not_held"),
            notice_types=ids("notice_types"),
            interview_types=ids("interview_types"),
            not_an_invitation=ids("not_an_invitation"),
            confirmed=ids("confirmed_outcomes"),
            interview_held=ids("interview_held_outcomes"),
            no_show=ids("no_show_outcomes"),
            round_end=ids("round_end_outcomes"),
            silence=ids("silence_outcomes"),
            reply=ids("reply_outcomes"),
            response=ids("response_outcomes"),
            ghosted=ids("ghosted_outcomes"),
            chase_end=ids("chase_end_outcomes"),
            t1_steps=int(steps.get("t1", 1)),
            t3_steps=int(steps.get("t3", 2)),
            stage_from_call_type={str(k): str(v) for k, v in (s.get("stage_from_call_type") or {}).items()},
        )


def _label(config, key: str, lang: str) -> str:
    spec = ((config.data.get("stats") or {}).get("labels") or {}).get(key) or {}
    return spec.get(lang) or spec.get("en") or key


# ---------------------------------------------------------------- the rows we work on

def _words(text: str) -> str:
    return " ".join(str(text or "").split())


@dataclass
class _Row:
    rec: CallRecord
    file: str
    thread: str
    manager: str = ""


class _Names:
    """One display spelling per name that differs only in case and spaces."""

    def __init__(self) -> None:
        self._seen: dict[str, str] = {}
        self._raw: dict[str, str] = {}

    def __call__(self, text: str) -> str:
        if text not in self._raw:
            words = _words(text)
            self._raw[text] = self._seen.setdefault(words.casefold(), words)
        return self._raw[text]


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


def _prepare(logs: list[CallLog], config) -> tuple[dict[str, list[_Row]], list[Problem]]:
    """Dated rows per file, in order, each with its effective manager."""
    problems: list[Problem] = []
    by_file: dict[str, list[_Row]] = defaultdict(list)
    for log in logs:
        file = str(log.path or "")
        for rec in log.records:
            if rec.date is None:
                problems.append(Problem(
                    rec.sheet, rec.row, rec.columns.get("date", ""), "",
                    _label(config, "no_date", config.language),
                ))
                continue
            by_file[file].append(_Row(rec, file, rec.thread))
    names = _Names()
    for rows in by_file.values():
        rows.sort(key=lambda r: (r.rec.date, r.rec.time or time.min, r.rec.sheet, r.rec.row))
        first: dict[str, str] = {}
        for r in rows:
            own = names(r.rec.manager)
            if own and r.thread:
                first.setdefault(r.thread, own)
        latest: dict[str, str] = {}
        for r in rows:
            own = names(r.rec.manager)
            if not r.thread:
                # A blank thread links nothing: its rows keep only their own SM.
                r.manager = own
                continue
            if own:
                latest[r.thread] = own
            r.manager = latest.get(r.thread) or first.get(r.thread, "")
    return by_file, problems


def _in_range(day: date, since: date | None, until: date | None) -> bool:
    return (since is None or day >= since) and (until is None or day <= until)


def _combos(*dims: str) -> Iterable[tuple[str, ...]]:
    """The key itself and every key with some dimensions replaced by the total "*"."""
    return product(*[(d, ALL) for d in dims])


# ---------------------------------------------------------------- counting

@dataclass
class _Round:
    """One candidate's way from an invitation to the interview's outcome."""

    invited: bool = False
    confirmed: bool = False

    def invite(self, r: _Row, events: list) -> None:
        if not self.invited:
            self.invited = True
            events.append((r, "invited"))

    def confirm(self, r: _Row, events: list) -> None:
        self.invite(r, events)
        if not self.confirmed:
            self.confirmed = True
            events.append((r, "confirmed"))


def _interview_events(rows: list[_Row], rules: _Rules) -> list[tuple[_Row, str]]:
    """(row, event) for invited / confirmed / attended / no_show, per candidate round."""
    events: list[tuple[_Row, str]] = []
    rounds: dict[str, _Round] = {}
    for r in rows:
        rec = r.rec
        people = [" ".join(p.name.casefold().split()) for p in rec.candidates if p.name.strip()] or [r.thread]
        is_notice = rec.call_type in rules.notice_types
        is_interview = rec.call_type in rules.interview_types
        o = rec.outcome
        if (is_notice or is_interview) and o in rules.not_an_invitation:
            continue
        for person in dict.fromkeys(p for p in people if p):
            rnd = rounds.get(person) or _Round()
            if is_notice or is_interview:
                rnd.invite(r, events)
            ended = False
            if o in rules.no_show:
                rnd.confirm(r, events)
                events.append((r, "no_show"))
                ended = True
            elif o == "attended" or (is_interview and o in rules.interview_held):
                rnd.confirm(r, events)
                events.append((r, "attended"))
                ended = True
            elif o in rules.confirmed and rnd.invited:
                rnd.confirm(r, events)
            elif is_interview and o in rules.round_end:
                ended = True
            if ended:
                rounds.pop(person, None)
            elif rnd.invited:
                rounds[person] = rnd
    return events


@dataclass
class _Chase:
    start: _Row
    source: str
    stage: str
    step_days: set = field(default_factory=set)


def _chases(rows: list[_Row], rules: _Rules, config, cache: dict) -> list[tuple[_Chase, str]]:
    """Every chase of one file with how it ended (one of _RESULTS)."""
    source: dict[str, str] = {}
    for r in rows:
        if r.thread and r.thread not in source and _words(r.rec.source):
            source[r.thread] = _canon(config, "source", r.rec.source, cache)
    stage_now: dict[str, str] = {}
    running: dict[str, _Chase] = {}
    done: list[tuple[_Chase, str]] = []
    for r in rows:
        if not r.thread:
            continue
        rec, t, o = r.rec, r.thread, r.rec.outcome
        told = _canon(config, "stage", rec.stage, cache) or rules.stage_from_call_type.get(rec.call_type or "", "")
        if told:
            stage_now[t] = told
        chase = running.get(t)
        if chase is None:
            if o in rules.silence or o in rules.ghosted:
                chase = _Chase(r, source.get(t, ""), stage_now.get(t, ""))
                if o in rules.ghosted:
                    done.append((chase, "ghosted"))
                else:
                    running[t] = chase
            continue
        if o in rules.reply:
            steps = len(chase.step_days)
            result = ("answered_t1" if steps <= rules.t1_steps
                      else "answered_t3" if steps <= rules.t3_steps else "answered_last")
        elif o in rules.ghosted:
            result = "ghosted"
        elif o in rules.chase_end:
            result = "unresolved"
        else:
            if o not in rules.calls_not_held and rec.date > chase.start.rec.date:
                chase.step_days.add(rec.date)
            continue
        done.append((chase, result))
        del running[t]
    done.extend((chase, "unresolved") for chase in running.values())
    return done


def _responses(rows: list[_Row], rules: _Rules) -> list[tuple[_Row, float]]:
    """(reply row, hours since the clock started) for one file."""
    clock: dict[str, _Row] = {}
    contacted: set[str] = set()
    out: list[tuple[_Row, float]] = []
    for r in rows:
        t, o = r.thread, r.rec.outcome
        if not t:
            continue
        start = clock.get(t)
        if start is not None and o in rules.response:
            a, b = start.rec, r.rec
            if a.time is not None and b.time is not None:
                hours = (b.at - a.at).total_seconds() / 3600
            else:
                hours = (b.date - a.date).days * 24.0
            out.append((r, hours))
            del clock[t]
        elif start is None and (o in rules.silence
                                or (t not in contacted and o not in rules.calls_not_held and o not in rules.response)):
            clock[t] = r
        if o not in rules.calls_not_held:
            contacted.add(t)
    return out


def _sort_key(*orders: dict[str, int] | None):
    """Sort rows by their dimensions: known ids in list order, then text, blank, "*" last."""
    def key(values: tuple[str, ...]):
        out = []
        for value, order in zip(values, orders):
            rank = 3 if value == ALL else 2 if value == "" else 0 if order and value in order else 1
            out.append((rank, (order or {}).get(value, 0), value))
        return tuple(out)
    return key


def compute(
    logs: list[CallLog],
    config,
    *,
    by: str = "week",
    since: date | None = None,
    until: date | None = None,
) -> Stats:
    """Interviews, calls, chases and response times of `logs`, between `since` and
    `until` (inclusive; None = open), by day, week or month. See the module docstring."""
    period_of(date(2000, 1, 1), by)  # refuse an unknown period before any work
    if isinstance(since, datetime):
        since = since.date()
    if isinstance(until, datetime):
        until = until.date()
    rules = _Rules.from_config(config)
    by_file, problems = _prepare(list(logs), config)
    cache: dict = {}

    def ok(r: _Row) -> bool:
        return _in_range(r.rec.date, since, until)

    periods: dict[date, str] = {}

    def period(r: _Row) -> str:
        if r.rec.date not in periods:
            periods[r.rec.date] = period_of(r.rec.date, by)
        return periods[r.rec.date]

    # Count on the finest keys first, then add each key into its totals once: a team's
    # log has far fewer distinct keys than rows.
    events: Counter = Counter()        # (period, file, manager, event)
    calls: Counter = Counter()         # (period, file, manager, call_type)
    chases: Counter = Counter()        # (file, manager, source, stage, result)
    waits: dict[tuple, list[float]] = defaultdict(list)   # (period, file, manager)

    for file, rows in by_file.items():
        for r, event in _interview_events(rows, rules):
            if ok(r):
                events[period(r), file, r.manager, event] += 1
        for r in rows:
            if ok(r) and r.rec.outcome not in rules.calls_not_held:
                calls[period(r), file, r.manager, r.rec.call_type or _words(r.rec.call_type_raw)] += 1
        for chase, result in _chases(rows, rules, config, cache):
            if ok(chase.start):
                chases[file, chase.start.manager, chase.source, chase.stage, result] += 1
        for r, h in _responses(rows, rules):
            if ok(r):
                waits[period(r), file, r.manager].append(h)

    interview_counts: dict[tuple, Counter] = defaultdict(Counter)
    for (*key, event), n in events.items():
        for combo in _combos(*key):
            interview_counts[combo][event] += n
    call_counts: Counter = Counter()
    for key, n in calls.items():
        for combo in _combos(*key):
            call_counts[combo] += n
    ghost_counts: dict[tuple, Counter] = defaultdict(Counter)
    for (*key, result), n in chases.items():
        for combo in _combos(*key):
            ghost_counts[combo][result] += n
    hours: dict[tuple, list[float]] = defaultdict(list)
    for key, values in waits.items():
        for combo in _combos(*key):
            hours[combo].extend(values)

    stats = Stats(by=by, since=since, until=until, problems=problems)
    for key in sorted(interview_counts, key=_sort_key(None, None, None)):
        c = interview_counts[key]
        stats.interviews.append(InterviewRow(
            *key, c["invited"], c["confirmed"], c["attended"], c["no_show"],
            _rate(c["no_show"], c["attended"] + c["no_show"]),
        ))
    type_order = {cid: i for i, cid in enumerate(config.call_types)}
    for key in sorted(call_counts, key=_sort_key(None, None, None, type_order)):
        stats.calls.append(CallsRow(*key, call_counts[key]))
    source_order = {v: i for i, v in enumerate(config.list_ids("source"))}
    stage_order = {v: i for i, v in enumerate(config.list_ids("stage"))}
    for key in sorted(ghost_counts, key=_sort_key(None, None, source_order, stage_order)):
        c = ghost_counts[key]
        chases = sum(c.values())
        stats.ghosting.append(GhostRow(*key, chases, *(c[r] for r in _RESULTS), _rate(c["ghosted"], chases)))
    for key in sorted(hours, key=_sort_key(None, None, None)):
        values = hours[key]
        stats.response.append(ResponseRow(*key, round(statistics.median(values), 2), len(values)))
    return stats


# ---------------------------------------------------------------- tables

def _tables(stats: Stats, config, lang: str) -> list[Table]:
    def L(key: str) -> str:
        return _label(config, key, lang)

    by_word = L(stats.by)

    def period(p: str) -> str:
        return L("total") if p == ALL else p

    def value(v: str, kind: str = "") -> str:
        if v == ALL:
            return L("all")
        if v == "":
            return L("blank")
        if kind == "file":
            return PurePath(v).name or v
        if kind in ("source", "stage"):
            return config.list_label(kind, v, lang)
        if kind == "call_type":
            return config.call_type_label(v, lang)
        return v

    tables: list[Table] = []

    funnel = ["invited", "confirmed", "attended", "no_show", "no_show_rate"]
    funnel_kinds = ["int"] * 4 + ["rate"]
    tables.append(Table(
        L("title_interviews").format(by=by_word),
        [L("period")] + [L(k) for k in funnel],
        [[period(r.period), r.invited, r.confirmed, r.attended, r.no_show, r.no_show_rate]
         for r in stats.interviews if r.file == ALL and r.manager == ALL],
        ["text"] + funnel_kinds,
        "interviews",
    ))

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
        keys = sorted(set(interviews) | set(calls) | set(ghosts) | set(response), key=lambda k: _sort_key(None)((k,)))
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
    files = {r.file for r in stats.calls} | {r.file for r in stats.interviews} | {r.file for r in stats.ghosting}
    if len(files - {ALL}) > 1:
        tables.append(overview("file", L("title_files")))
    return tables
