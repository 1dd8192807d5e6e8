"""What each command does, as functions shared by the terminal (cli.py) and Excel
(excel/ribbon.py): read a log, run the engine, shape the results, write them out.

Nothing here parses arguments or prints; it returns values and lines of text.
"""
from __future__ import annotations

import json
import os
import re
import traceback
from datetime import date, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Iterable

from .config import LANGUAGES, Config, load_config, normalize_word
from .errors import ConfigError, InputProblem, TemplateError, TrackerError
from .followups import SHOWN_FLAGS, action_in, flag_label, marked, status_label
from .model import CallLog, CallRecord, Problem, column_letter
from .output import shell_arg

FOLLOWUP_COLUMNS = ["row", "status", "due", "days_overdue", "who", "client", "call_type", "action", "message"]
REMINDER_COLUMNS = ["at", "call_row", "call_type", "whom", "channel", "subject"]
# What the Reminders sheet has beyond the table's columns: the CSV (for Excel) carries it
# too, after them, so that a script reading the columns it knew by place still finds them.
REMINDER_SHEET_ONLY = ["names", "call_at", "message"]


# ---------------------------------------------------------------- what a command says

def line(config: Config | None, what: str, lang: str, /, **context: Any) -> str:
    """A line a command says beside its output (templates/lines/<what>), in the log's
    language `lang`: a Russian team's refresh reports in Russian, as the sheets it wrote
    are. jinja2 is loaded with the first such line, not before."""
    from .render import render

    return render(config, f"lines/{what}", lang or "en", "txt", **context)


# ---------------------------------------------------------------- reading

def config_for(config_path: str | None, workbook: str | os.PathLike | None) -> Config:
    return load_config(config_path, workbook)


def read(path: str | os.PathLike, config: Config, sheet: str | None = None) -> CallLog:
    from .log import read_log

    return read_log(Path(path), config, sheet)


def require_header(log: CallLog, remedy: str | None = None) -> None:
    """A sheet without a header row Call Tracker recognises holds no calls to list or
    refresh: said so, rather than an empty listing and "1 cell could not be read".
    `remedy`: how to see why, in the log's language (Excel's "click Check to see why";
    default: the terminal's command)."""
    if has_header(log):
        return
    if remedy:
        raise TrackerError(no_header(log, remedy, lang=log.language))
    raise TrackerError(no_header(log, command=f"tracker check {shell_arg(log.path)}", lang=log.language))


def no_header(log: CallLog, then: str = "", *, command: str = "", listed: bool = False, lang: str = "en",
              config: Config | None = None) -> str:
    """What every door says of a sheet without a header row Call Tracker recognises,
    in `lang`, then how to see why: the `command` to run; that the problems `listed`
    say it; else `then`, as given (the ribbon's, or why)."""
    return line(config, "no_header", lang, path=log.path, sheet=log.sheet, command=command, listed=listed, then=then)


def has_header(log: CallLog) -> bool:
    """Whether the log's sheet has a header row Call Tracker recognises: a call log."""
    return log.header_row >= 1 and bool(log.field_columns)


def other_log_sheets(log: CallLog, config: Config, sheet: str | None = None) -> list[str]:
    """The other sheets of the log's workbook whose header is as sure a log's as the one
    read (tracker.log.find_log_sheet takes the first): nothing else would tell that
    "Calls 2026" was passed over for "Calls 2025". None when the sheet was named (`sheet`,
    config `sheet`). Each other sheet is read whole (calamine has no reading of a sheet's
    top alone: a last year's log of 100 000 rows beside is 0.7 s), so only `check` and
    `refresh` ask: where the log is looked at, and where it is written into."""
    from . import log as reader
    from .files import open_book

    if sheet or config.data.get("sheet") or not log.path:
        return []
    # The workbook just read, when the console script keeps it (log.keep_last_book): a
    # big one is not opened twice.
    kept = reader.keep_last_book
    try:
        book = kept[0] if kept and getattr(kept[0], "path", None) == str(log.path) else open_book(log.path)
        others = reader.other_log_sheets(book, config, log.sheet)
    except TrackerError:   # a sheet that cannot be read (or the file, gone since) is no log to point at
        return []
    ours = {name.casefold() for lang in LANGUAGES for name in our_sheet_names(config, lang)}
    return [name for name in others if name.casefold() not in ours]   # (sheet_names renames ours)


def other_log_sheets_note(log: CallLog, others: list[str], several: bool = False,
                          config: Config | None = None) -> str:
    """What a command says on stderr of `other_log_sheets` ("" if none), in the log's
    language. In a run over `several` workbooks the remedy is the workbook's own
    tracker.yaml: --sheet would name that sheet in every workbook of the run."""
    if not others:
        return ""
    return line(config, "other_sheets", log.language, path=log.path, others=others, sheet=log.sheet,
                several=several, yaml_other=_yaml_word(others[0]), yaml_sheet=_yaml_word(log.sheet),
                shell_other=_shell_word(others[0]), shell_sheet=_shell_word(log.sheet))


def _shell_word(text: str) -> str:
    """`text` as one word to paste into a shell: 'Calls 2026' quoted (single quotes: a $ or
    ` in a sheet's name is not the shell's), Calls alone not."""
    return text if re.fullmatch(r"[\w.,:+=@%/-]+", text) else "'" + text.replace("'", "'\\''") + "'"


def _yaml_word(text: str) -> str:
    """`text` as a value to paste into tracker.yaml: quoted, so that "2025" or "yes" stays
    a sheet's name (a JSON string is a YAML one)."""
    return json.dumps(text, ensure_ascii=False)


def report_problems(log: CallLog, echo: Callable[[str], None], config: Config | None = None) -> None:
    """One line on stderr, in the log's language, when a listing was made from a log
    that has unreadable cells."""
    if log.problems:
        echo(f"{log.path}: {left_out(log, command=f'tracker check {shell_arg(log.path)}', lang=log.language, config=config)}")


def left_out(log: CallLog, remedy: str = "", *, command: str = "", lang: str = "en",
             config: Config | None = None) -> str:
    """"N cells could not be read and were left out; <remedy> list them" ("" if none), in
    `lang`: the terminal names the `command` to run (`tracker check …`); the ribbon's
    `remedy` is its Check button ("click Check to": templates/lines/ribbon_check_to)."""
    n = len(log.problems)
    if not n:
        return ""
    unread = sum(1 for p in log.problems if not p.read)
    # Those read all the same are to look at: a header a typo away, a date the other way round.
    return line(config, "left_out", lang, unread=unread, look=n - unread, remedy=remedy, command=command)


def unreadable_in(log: CallLog, rows: Iterable[int]) -> list[str]:
    """One line per cell of these rows that could not be read: a summary or notice of
    one row names them where a listing of the whole log counts them (report_problems)."""
    rows = set(rows)
    return [f"{p.cell}: {p.message} ({'to look at' if p.read else 'left out'})" for p in log.problems if p.row in rows]


def write_crash_report(exc: BaseException) -> str:
    """Keep the traceback for a bug report, out of the user's way."""
    import tempfile   # only on a crash: 6 ms of every command's start-up otherwise

    fd, name = tempfile.mkstemp(prefix="call-tracker-crash-", suffix=".txt")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write("".join(traceback.format_exception(exc)))
    return name


# ---------------------------------------------------------------- init

def init_workbook(path: Path, config: Config, lang: str) -> Path:
    from .newbook import new_workbook

    if path.suffix.lower() != ".xlsx":
        raise TrackerError(f"{path}: init writes an Excel workbook without macros; name it something.xlsx")
    return new_workbook(path, config, lang)


def read_checked(path: str | os.PathLike, config: Config, sheet: str | None = None,
                 today: date | None = None) -> CallLog:
    """The log with every Problem `check` reports (checked_problems, as of `today`: by
    default the clock's)."""
    log = read(path, config, sheet)
    log.problems = checked_problems(log, config, today)
    return log


def checked_problems(log: CallLog, config: Config, today: date | None = None) -> list:
    """Every Problem `check` reports for a log: its unreadable cells, its repeated IDs,
    its calls booked twice ahead (`booked_twice`, from `today`: by default the clock's),
    then its unreadable reminder phrases (the terminal's check and the ribbon's Check
    list the same)."""
    return (log.problems + undated_calls(log) + repeated_ids(log) + booked_twice(log, config, today)
            + row_reminder_rules(log, config)[1])


def undated_calls(log: CallLog) -> list:
    """A Problem on each call without a date (but one whose Date cell does not read: among
    the log's problems already): the statistics leave it out (undated_in_stats), the
    follow-ups count nothing from it but its Next contact, and ask for its date."""
    from .model import Problem

    if "date" not in log.field_columns:   # (the header's problem: said once, not on every row)
        return []
    letter = column_letter(log.field_columns["date"])
    # An error value, a date that is none: in its own cell (a second Date column's, read
    # where the first is blank: the record's columns name it).
    said = {(p.row, p.column) for p in log.problems}
    return [Problem(log.sheet, row, letter, "", "no date: this call is left out of the statistics, and its "
                    "follow-up counts from nothing but its Next contact; write the day it was made")
            for rec, row, d in zip(log.records, log.column_as_read("row"), log.column_as_read("date"))
            if d is None and (row, rec.columns.get("date", letter)) not in said]


def repeated_ids(log: CallLog) -> list:
    """A Problem on each row whose ID an earlier row has already: `--id` names one call,
    and finds them all. A blank ID is no ID (counted at C speed: 100 000 rows are cheap).

    Not an ID on the calls of one person only: many logs keep a candidate's employee ID
    (or a contact's) in the ID column, on every call about them ("Anna Li (E123)" in the
    notes' format), repeated by design; `--id` then finds that person's calls, and a
    calendar gives each its own event (exports._event_uids). Two rows share a key by
    mistake where they are about different people: the ID is said on each later row.
    (A call's number typed twice on two calls with the same person passes unsaid: those
    rows look exactly like a person's ID kept on their calls.)"""
    from collections import Counter
    from itertools import compress, count

    from .model import same_person

    if "id" not in log.field_columns:
        return []
    letter = column_letter(log.field_columns["id"])
    ids = log.texts_as_read("id")
    twice = {text for text, n in Counter(ids).items() if n > 1 and text}
    if not twice:
        return []
    rows: dict[str, list[int]] = {}   # ID -> the indexes of its rows
    for i in compress(count(), map(twice.__contains__, ids)):
        rows.setdefault(ids[i], []).append(i)
    numbers = log.column_as_read("row")
    contacts = log.column_as_read("contact")
    cells = log.texts_as_read("candidates")   # (parsed only on the rows of a repeated ID)
    records = log.records

    def people(i: int) -> list[tuple[str, str]]:
        return ([(contacts[i], "")] if contacts[i] else []) + (
            [(p.name, p.ref) for p in records[i].candidates] if cells[i] else [])

    def one_persons(found: list[int]) -> bool:
        """Whether one person is on each of these rows: a name of the first row's (its
        contact, a candidate) that each other row names too (model.same_person: "Anna" of
        "Anna Li"), or a candidate's ID written beside both ("(E123)")."""
        contact, cell = contacts[found[0]], cells[found[0]]
        if contact and all(contacts[i] == contact for i in found) or cell and all(cells[i] == cell for i in found):
            return True   # (the usual case, without parsing a name)
        others = [people(i) for i in found[1:]]
        return any(all(any(same_person(name, n) or ref and ref == r for n, r in row) for row in others)
                   for name, ref in people(found[0]))

    out = []
    for text, found in rows.items():
        if one_persons(found):
            continue
        seen = numbers[found[0]]
        out.extend(Problem(log.sheet, numbers[i], letter, text,
                           f'ID "{text}" is also on row {seen}: --id {shell_arg(text)} finds every row with it',
                           read=True) for i in found[1:])
    out.sort(key=lambda p: p.row)
    return out


def booked_twice(log: CallLog, config: Config, today: date | None = None) -> list:
    """A Problem on both rows of a call booked once per contact (reminders.booked_once: a
    first call) that two rows still book on different days, neither marked moved: the
    call moved to another day on a new row, the old row left Planned. Which row is the
    newer the log cannot tell (it is not always in date order), so the reminders take
    the later day as the call booked again (reminders.logged_later, whose matching this
    is: same call type, thread and client, the same call) and send nothing for the
    earlier: wrong when the call was brought forward, and nobody would know.

    Both rows still to happen as the reminders have it (reminders.is_planned: a blank or
    active outcome), dated from `today` (by default the clock's) on: the reminders only
    look ahead, and an old call left Planned, its outcome never written, is the usual
    mess of a log, not a call moved (two first calls a year apart). Few rows of a log
    are still booked: they are found at C speed over the call types and outcomes before
    any is looked at."""
    from itertools import compress, count

    from .model import Problem
    from .reminders import _appointment_types, _moved_outcomes, logged_later, planned_call

    once = frozenset(config.section("reminders").get("booked_once") or ()) - _appointment_types(config)
    if not once or "call_type" not in log.field_columns:
        return []
    moved = _moved_outcomes(config)
    booked_outcomes = (frozenset(config.section("reminders").get("active_outcomes") or ()) | {""}) - moved
    outcomes = log.column_as_read("outcome")
    records = log.records
    calls = [records[i] for i in compress(count(), map(once.__contains__, log.column_as_read("call_type")))
             if outcomes[i] in booked_outcomes]
    if today is None:
        today = config.local(datetime.now().astimezone()).date()
    calls = [c for c in calls if c.date is not None and c.date >= today and planned_call(c, config) is c]
    if len(calls) < 2:
        return []
    rescheduled = "rescheduled" if "rescheduled" in moved else min(moved, default="")   # (one label, every run)
    field = "outcome" if "outcome" in log.field_columns and rescheduled else "date"   # (no Outcome to mark: the date)
    letter = column_letter(log.field_columns[field])
    fix = (f"if it was moved, mark the old row {config.list_label('outcome', rescheduled, 'en')}"
           if field == "outcome" else "if it was moved, delete the old row")

    def said(row: CallRecord, other: CallRecord, taken: bool) -> Problem:
        client, person = row.client or other.client, row.contact or other.contact
        who = f"{client} ({person})" if client and person else client or person
        kind = config.call_type_label(row.call_type, "en")
        which = (f"this one, none for the {other.date.isoformat()} one" if taken
                 else f"the {other.date.isoformat()} one, none for this one")
        return Problem(log.sheet, row.row, letter, row.field_text(field),
                       f"{kind}{f' with {who}' if who else ''} also planned on {other.date.isoformat()} "
                       f"(row {other.row}): {fix}; the reminders take {which}", read=True)

    at = {(c.sheet, c.row): c for c in calls}
    out = []
    for key, later in logged_later(calls, calls, config).items():
        if later.date != (earlier := at[key]).date:   # (the same day: another time of it, not the call moved to another day)
            out += [said(earlier, later, False), said(later, earlier, True)]
    out.sort(key=lambda p: p.row)
    return out


# ---------------------------------------------------------------- reminders

# The words of a candidates cell, for phrases.may_name: letters only, not its IDs (E1169).
_NAME_WORD = re.compile(r"[^\W\d_]{2,}")


def row_reminder_rules(log: CallLog, config: Config):
    """The rules each row's own "whom to remind" cell gives, and a Problem for each cell
    that does not read (that row keeps its call type's defaults, so nothing is dropped),
    or reads with a channel left unused (read all the same, to look at)."""
    from .model import Problem
    from .phrases import may_name, phrase_people, read_phrase

    def labels(channels) -> str:
        return ", ".join(config.list_label("channel", c, "en") for c in channels)

    rules: dict[int, list] = {}
    problems: list[Problem] = []
    records = log.records
    reminds = log.column_as_read("remind")
    # A phrase may name one of its row's people ("Анна Ли за час" names the row's Анна Ли):
    # it is read for those it may name. Few phrases name anyone, and a phrase recurs on
    # many rows: those of a phrase are looked at one by one (the candidates cell parsed)
    # only when it may name someone of the log's (a word of a candidates cell included).
    rows = [i for i, text in enumerate(reminds) if text.strip()]
    pool = {name for column in ("contact", "client", "manager") for name in set(log.column_as_read(column))}
    cells = log.texts_as_read("candidates")
    pool.update(_NAME_WORD.findall("\n".join({cells[i] for i in rows})))
    naming = {text for text in {reminds[i] for i in rows} if may_name(text, pool)}
    people_of: dict[int, tuple[str, ...]] = {}
    for i in rows:
        if reminds[i] in naming:
            rec = records[i]
            people_of[i] = phrase_people(reminds[i], (rec.contact, rec.client, rec.manager,
                                                      *(p.name for p in rec.candidates)))
    readings: dict[tuple, Any] = {}
    for i in rows:
        rec, text = records[i], reminds[i]
        people = people_of.get(i, ())
        found = readings.get((text, people))
        if found is None:
            reading = read_phrase(text, config, people)
            # Its clock times on the call's own day: those at or after the call's time remind
            # no one then (a reminder is before its call), which is said, not left unsaid.
            found = readings[text, people] = (reading, sorted({r.at_time for r in reading.rules
                                                               if r.at_time is not None and not r.days_before}))
        reading, clocks = found
        chosen = list(reading.rules) if reading.ok else _before_the_call(reading, rec)
        if chosen is not None:
            rules[rec.row] = chosen
            late = [t for t in clocks if rec.time is not None and t >= rec.time] if clocks and reading.ok else ()
            if late:
                problems.append(Problem(
                    rec.sheet, rec.row, rec.columns.get("remind", ""), rec.remind[:80],
                    f"a reminder at {', '.join(f'{t:%H:%M}' for t in late)} on the day of the call is not before "
                    f"the call at {rec.time:%H:%M}: no one is reminded then; write a time before it", read=True,
                ))
            # "SMS the candidate 1 hour before, e-mail the client", "SMS or e-mail": one
            # clause, one way of reminding its people; the others named would go unsaid.
            for used, apart in reading.channels_apart:
                n = len(used) + len(apart)
                problems.append(Problem(
                    rec.sheet, rec.row, rec.columns.get("remind", ""), rec.remind[:80],
                    f"names {'two' if n == 2 else n} channels ({labels(used + apart)}) for the same people; "
                    f"only {labels(used)} {'is' if len(used) == 1 else 'are'} used — write one per person, "
                    f"or split with ';'", read=True,
                ))
        else:
            problems.append(Problem(
                rec.sheet, rec.row, rec.columns.get("remind", ""), rec.remind[:80],
                f"cannot read this reminder (understood {reading.understood}); "
                f"the call type's default reminders are used",
            ))
    return rules, problems


def _before_the_call(reading, rec: CallRecord) -> list | None:
    """The rules of a phrase not read for a clock time of 1 to 6 with no half of the day
    alone ("the client at 6:45": 06:45 or 18:45?), when on the call's own day one reading
    of each such time only is before the call (a 16:00 call: 06:45): those. None when
    that does not tell (a 17:00 call: 03:30 and 15:30 are both before it; the day before)."""
    from dataclasses import replace

    if not reading.rules or not reading.doubts or rec.time is None:
        return None
    doubtful = {t for _, t in reading.doubts}
    out = []
    for r in reading.rules:
        if r.at_time in doubtful:
            before = [t for t in (r.at_time, r.at_time.replace(hour=r.at_time.hour + 12)) if t < rec.time]
            if r.days_before or len(before) != 1:
                return None
            r = replace(r, at_time=before[0])
        out.append(r)
    return out


def end_of_tomorrow(now: datetime) -> datetime:
    return datetime.combine(now.date() + timedelta(days=2), datetime.min.time())


def reminder_list(log: CallLog, config: Config, start: datetime, end: datetime | None, *,
                  untimed: list[CallRecord] | None = None, unread: list | None = None):
    """The reminders of [start, end); `untimed`, when given, collects the calls whose
    minutes-before reminders cannot be placed for want of a time (see `untimed_lines`);
    `unread` the Problems of "whom to remind" cells that do not read (see `unread_phrases`)."""
    from .reminders import reminders

    start = config.local(start)
    end = config.local(end) if end else end_of_tomorrow(start)
    rules, problems = row_reminder_rules(log, config)
    if unread is not None:
        unread += problems
    return reminders(log.records, config, start, end, row_rules=lambda r: rules.get(r.row), untimed=untimed)


def unread_phrases(problems: list, remedy: str = "", *, command: str = "", lang: str = "en",
                   config: Config | None = None) -> str:
    """"N "whom to remind" cells could not be read; ..." ("" if none): those calls get their
    call type's reminders, which a listing of reminders must say, as it says of cells
    left out (left_out, whose `remedy`, `command` and `lang` these are). A cell read with
    something to look at (two channels named for the same people, the first used) is said
    apart: its reminders are its own."""
    n = len(problems)
    if not n:
        return ""
    unread = sum(1 for p in problems if not p.read)
    return line(config, "unread_phrases", lang, unread=unread, look=n - unread, remedy=remedy, command=command)


def untimed_lines(config: Config, calls: list[CallRecord], problems: Iterable[Problem] = (),
                  lang: str = "en") -> list[str]:
    """One line per call in the window whose reminders set minutes before it have no time
    to count from: nothing else would tell that the client will not be e-mailed. Then
    one line for the calls marked planned that have a time but no date: nothing at all
    can be placed for them. In `lang`, the log's language, as the lines beside them."""
    from .render import render

    timed = [r for r in calls if r.date is not None]
    unread = {(p.sheet, p.row, p.column): p.value for p in problems if not p.read}   # the log's
    lines = []
    for r in timed:
        cell = r.columns.get("time") or r.columns.get("date", "")
        lines.append(render(config, "reminders/untimed", lang, "txt", cell=f"{r.sheet}!{cell}{r.row}", day=r.date,
                            call_type=config.call_type_label(r.call_type, lang),
                            # a time written, but not one the reader can read
                            written=unread.get((r.sheet, r.row, cell)) or ""))
    undated = [r for r in calls if r.date is None]
    if undated:
        lines.append(render(config, "reminders/undated", lang, "txt", count=len(undated), sheet=undated[0].sheet,
                            rows=[r.row for r in undated][:10], more=len(undated) > 10))
    return lines


def doubted_lines(log: CallLog, items: list) -> list[str]:
    """What is to look at in the date or Time cell a listed reminder counts from (3:30 read
    as 03:30, so an SMS at 03:10): said with the reminders, not left to `check`."""
    rows = {r.call_row for r in items}
    cells = {(rec.row, rec.columns.get(f)) for rec in log.records if rec.row in rows for f in ("date", "time")}
    return [f"{p.cell}: {p.message}" for p in log.problems if p.read and (p.row, p.column) in cells]


def reminder_notes(log: CallLog, config: Config, items: list, untimed: list[CallRecord],
                   window: tuple[datetime, datetime], *, ics=None, eml=None, stamp=None) -> list[str]:
    """What a listing of reminders says beside its rows, from the terminal (on stderr) and
    the ribbon alike, so that the two cannot drift: that the `window` holds none, the
    reminders fallen due minutes ago (listed late), the calls whose reminders greet
    nobody, those that cannot be placed (`untimed`, as reminder_list collected them), the
    cells to look at, then what export_reminders wrote."""
    from .reminders import late_lines, nobody_lines
    from .render import render

    lang = log.language
    nothing = [] if items else [render(config, "reminders/nothing", lang, "txt", start=window[0], end=window[1])]
    return [*nothing, *late_lines(items, config, lang), *nobody_lines(items, config, lang),
            *untimed_lines(config, untimed, log.problems, lang), *doubted_lines(log, items), *export_reminders(log, config, items, ics=ics, eml=eml, stamp=stamp,
                                                          window=window)]


def names_text(names: list[str]) -> str:
    """People as one text: "Anna Li, Ivan Petrov"; with "; " when a name holds a comma
    ("Petrov, Ivan; Li, Anna": candidates written surname first)."""
    return ("; " if any("," in n for n in names) else ", ").join(names)


def reminder_row(r, config: Config, lang: str) -> dict[str, Any]:
    """A reminder as people read it, in the table and the CSV (which is for Excel): whom
    as "role: names", the role, channel and call type in the log's language `lang`, as
    the Reminders sheet writes them, and its time as Excel reads one; the sheet's names
    and call time too (REMINDER_SHEET_ONLY), the call's day alone for a whole-day call.

    JSON, for programs, is the reminder itself (Reminder.as_dict): the ids, `lang` the
    row's language. Its free texts, the subject and message, are drafts to the person
    reminded, in the row's language in the sheet and every format alike: the rule of
    followup_data."""
    from .reminders import role_label

    role = role_label(config, r.whom, lang)
    return dict(r.as_dict(), at=f"{r.at:%Y-%m-%d %H:%M}", whom=f"{role}: {names_text(r.names)}" if r.names else role,
                channel=config.list_label("channel", r.channel, lang),
                call_type=config.call_type_label(r.call_type, lang),
                names=names_text(r.names), call_at=r.call_at if r.has_time else r.call_at.date())


def export_reminders(log: CallLog, config: Config, items, *, ics=None, eml=None, stamp=None,
                     window: tuple[datetime, datetime] | None = None) -> list[str]:
    """Write the calendar and the e-mail drafts; lines saying what was written. `stamp`:
    when the calendar is made (its DTSTAMP; default: the clock), not the window's start.

    The calendar holds the calls of the `window` (a follow-up no rule reminds of is a
    call of the week all the same) and those the reminders in `items` are of, each with
    all its alarms, those that ring outside the window too: exported week by week,
    Monday's 09:00 interview keeps its alarm of 20 minutes before, not only the one of
    the Friday before. A call called off since (_called_off) that the same window would
    have held is written cancelled, under the UID its event had, so that a calendar which
    imported an earlier file strikes it out rather than keeping it; one called off long
    ago is left out, as it would have been when planned."""
    from .exports import events_written, write_eml, write_ics
    from .reminders import logged_elsewhere, planned_call, reminders, without

    lines = []
    if ics:
        rules, _ = row_reminder_rules(log, config)

        def row_rules(record: CallRecord):
            return rules.get(record.row)

        wanted = {(r.sheet, r.call_row) for r in items}
        off, own, gone = _called_off(log.records, config, window[0].date()) if window else ({}, [], {})
        calls = []
        records = []   # the rows of the calls written: without the candidates who pulled out
        for record in log.records:
            key = (record.sheet, record.row)
            if key in gone:
                record = without(record, gone[key])
            records.append(record)
            call = planned_call(record, config) if (window or key in wanted) and key not in off else None
            if call is not None and (key in wanted or _in_window(call, *window)):
                calls.append(call)
        # A moved call another row logs again (at its new slot, or on a later day) is that row's event.
        again = logged_elsewhere(calls, records, config)
        calls = [c for c in calls if (c.sheet, c.row) not in again]
        cancelled = _cancelled_in_window([*off.values(), *own], config, window, row_rules) if window else []
        if not calls and not cancelled and not Path(ics).is_file():
            # A calendar file must hold something (RFC 5545): an empty one is refused by
            # the apps that import it. One written before is written again all the same:
            # what it holds may have moved or been called off since (exports._carried_over).
            lines.append(line(config, "ics_empty", log.language, path=ics))
        else:
            alarms = []
            if calls:
                # A year before the first call and up to the last: every alarm a rule can set.
                first, last = min(c.at for c in calls), max(c.at for c in calls)
                # Of the rows as logged, as the listing is: a notice's own date says from
                # when it is reminded of (reminders), which its planned copy has not.
                keys = {(c.sheet, c.row) for c in calls}
                alarms = reminders([r for r in records if (r.sheet, r.row) in keys], config,
                                   first - timedelta(days=366), last + timedelta(days=1), row_rules=row_rules)
            # A notice and its interview row were one event while planned: so they stay.
            cancelled_keys = {(c.sheet, c.row) for c in cancelled}
            both, alarms, folded = _one_event_an_interview(calls + cancelled, alarms, config)
            calls = [c for c in both if (c.sheet, c.row) not in cancelled_keys]
            cancelled = [c for c in both if (c.sheet, c.row) in cancelled_keys]
            keys = {(c.sheet, c.row) for c in calls}
            edited: list[tuple[Path, Path]] = []   # the calendar as the user changed it, kept first
            path = write_ics([r for r in records if (r.sheet, r.row) in keys], alarms, config, Path(ics),
                             stamp=stamp, cancelled=cancelled, log_records=log.records, folded=folded,
                             workbook=log.path, kept=edited)
            booked, struck = events_written(path)
            lines.append(line(config, "ics_written", log.language, booked=booked, struck=struck, path=path))
            lines += backup_lines(edited, log.language, config)
    if eml:
        kept: list[tuple[Path, Path]] = []
        written = write_eml(items, config, Path(eml), workbook=log.path, kept=kept)
        lines.append(line(config, "eml_written", log.language, n=len(written), folder=eml))
        lines += backup_lines(kept, log.language, config)
    return lines


def backup_lines(kept: list[tuple[Path, Path]], lang: str = "en", config: Config | None = None) -> list[str]:
    """Said as refresh says its backup: a file written over (a draft or digest the user
    edited, or an earlier run's) was kept first (outfiles.write_file's `kept`)."""
    return [line(config, "backup_of", lang, name=path.name, path=copy) for path, copy in kept]


def _one_event_an_interview(calls: list[CallRecord], alarms: list, config: Config
                            ) -> tuple[list[CallRecord], list, dict[tuple[str, int], list[CallRecord]]]:
    """The calendar's calls with a notice whose interview is logged too (an interview row
    of the same slot and candidate) left out, its alarms moved onto that interview's
    event: one interview, one event. Also (sheet, row) of each such interview -> the
    notices left out for it: one exported alone earlier was an event under its own UID,
    which the interview's may have to carry on (exports.write_ics `folded`)."""
    from dataclasses import replace

    from .reminders import announces_interview, same_event

    interview_types = set((config.section("followups").get("confirm") or {}).get("types") or ())
    interviews = [c for c in calls if (c.call_type or "") in interview_types]
    moved: dict[tuple[str, int], CallRecord] = {}
    for call in calls:
        if announces_interview(call, config):
            to = next((i for i in interviews if same_event(call, i)), None)
            if to is not None:
                moved[call.sheet, call.row] = to
    if not moved:
        return calls, alarms, {}
    kept = [c for c in calls if (c.sheet, c.row) not in moved]
    folded: dict[tuple[str, int], list[CallRecord]] = {}
    for call in calls:
        if (to := moved.get((call.sheet, call.row))) is not None:
            folded.setdefault((to.sheet, to.row), []).append(call)
    return kept, [replace(a, call_row=to.row, call_id=to.id) if (to := moved.get((a.sheet, a.call_row))) else a
                  for a in alarms], folded


def _called_off(records: list[CallRecord], config: Config, since: date
                ) -> tuple[dict[tuple[str, int], CallRecord], list[CallRecord], dict[tuple[str, int], frozenset[str]]]:
    """The planned calls of the log that will not happen: (sheet, row) -> the appointment
    a later row calls off (reminders.called_off: the second round the candidate's call at
    15:00 cancelled), found as the reminders listing finds them for a window from `since`;
    the rows whose own outcome calls their call off (a first call marked Cancelled, an
    interview marked Withdrawn), each at the slots its event may have had while planned:
    its date, and its Next contact, where a reschedule may have moved it before it was
    called off (_cancelled_in_window writes it at one of them); a row that calls another
    off is that call's cancellation, not a call of its own; and (sheet, row) -> the
    candidates who pulled out of an interview the others still come to."""
    from dataclasses import replace

    from .reminders import RESCHEDULED, announces_interview, called_off, cancels_itself, planned_call

    found = called_off(records, config, since)
    off = {(a.sheet, a.row): call for a, _ in found.calls if (call := planned_call(a, config)) is not None}
    calling = {id(by) for _, by in found.calls}
    cancelled = cancels_itself(config)
    own = []
    for record in records:
        if id(record) in calling or not cancelled(record):
            continue
        # Blank is a planned call's outcome: the call as its event stood (a notice's, at the
        # interview it announced). Rescheduled, it stood at its Next contact: the interview
        # of the 10th moved to the 25th and then cancelled was the 25th's event.
        slots = [replace(record, outcome="")]
        if record.next_contact is not None and not announces_interview(record, config):
            slots.append(replace(record, outcome=RESCHEDULED))
        for slot in slots:
            call = planned_call(slot, config)
            # A call before `since` has no alarm left to ring in a window from then (years
            # of cancelled calls).
            if call is not None and call.date is not None and call.date >= since:
                own.append(call)
    return off, own, found.gone


def _cancelled_in_window(calls: list[CallRecord], config: Config, window: tuple[datetime, datetime],
                         row_rules: Callable) -> list[CallRecord]:
    """Of the called-off `calls`, those the window's calendar held while they were planned:
    in the window, or reminded of in it. The rest (years of old cancellations) stay out.
    A row offered at two slots (_called_off) is written once, at the first of them the
    window holds: a calendar keeps one event per UID."""
    from .reminders import reminders

    inside = [c for c in calls if _in_window(c, *window)]
    later = [c for c in calls if not _in_window(c, *window)]
    if later:
        reminded = {(r.sheet, r.call_row, r.call_at) for r in reminders(later, config, *window, row_rules=row_rules)}
        inside += [c for c in later if (c.sheet, c.row, c.at) in reminded]
    held: dict[tuple[str, int], CallRecord] = {}
    for call in inside:
        held.setdefault((call.sheet, call.row), call)
    return list(held.values())


def _in_window(call: CallRecord, start: datetime, end: datetime) -> bool:
    """Whether the call is in [start, end): at its time, or on a day of it for a call
    without one."""
    if call.has_time:
        return start <= call.at < end
    return start.date() <= call.date and datetime.combine(call.date, datetime.min.time()) < end


# ---------------------------------------------------------------- summaries, notices

def _find_rows(log: CallLog, row: int | None, call_id: str | None, config: Config | None = None) -> list[CallRecord]:
    if row is None and call_id is None:
        return log.records
    found = [r for r in log.records if (row is not None and r.row == row) or (call_id is not None and r.id == str(call_id))]
    if not found:
        rows = [r.row for r in log.records]   # where the calls are, or that the sheet has none yet
        raise TrackerError(line(config, "no_call_at", log.language, path=log.path, sheet=log.sheet, row=row,
                                id=None if row is not None else str(call_id), first=min(rows, default=0),
                                last=max(rows, default=0), header_row=log.header_row))
    return found


def summaries(log: CallLog, config: Config, *, row=None, call_id=None, lang=None):
    from .summaries import summarize_all

    records = _find_rows(log, row, call_id, config)
    if (row or call_id) and not records[0].call_type:
        raise _no_call_type(log, records[0], "summary", config)
    return summarize_all(records, config, lang)


def _no_call_type(log: CallLog, record: CallRecord, what: str, config: Config) -> InputProblem:
    """What a command for one row says of a row whose call type is blank or unknown: so
    no `what` ("summary", "notice") applies."""
    return InputProblem(line(config, "no_call_type", log.language, sheet=log.sheet, row=record.row,
                             letter=record.columns.get("call_type", ""), raw=record.call_type_raw.strip(), what=what))


def unreadable_call_types(log: CallLog) -> list[int]:
    """Rows whose call type cell could not be read (a typo, an error value): they have no
    summary format, and a listing of every summary names them."""
    letter = column_letter(log.field_columns["call_type"]) if "call_type" in log.field_columns else None
    return sorted({p.row for p in log.problems if letter and p.column == letter and p.row > log.header_row})


def notice(log: CallLog, config: Config, row: int, *, eml: Path | None = None) -> tuple[str, list[str]]:
    """The notices of `row`, one per candidate (empty when items are missing), and what to
    tell the user: the items missing, why To is empty, where the drafts went."""
    from .exports import addresses
    from .notice import interview_notices, notice_call_types

    record = _find_rows(log, row, None, config)[0]
    kinds = notice_call_types(config)
    if not record.call_type:
        raise _no_call_type(log, record, "notice", config)
    if record.call_type not in kinds:
        lang = log.language
        raise TrackerError(line(config, "not_an_interview", lang,
                                cell=f"{log.sheet}!{record.columns.get('call_type', '')}{record.row}",
                                call_type=config.call_type_label(record.call_type, lang),
                                kinds=[config.call_type_label(k, lang) for k in kinds]))
    result = interview_notices(record, config, log.records)
    if not isinstance(result, list):
        return "", [f"{result.cell}: {result.message}"]
    # The interview where the reminders have it (moved, logged again): said when not the row's own slot.
    lines = [f"{log.sheet}!{record.row}: {result[0].follows}"] if result[0].follows else []
    where = f"{log.sheet}!{record.columns.get('email') or ''}{record.row}"
    # Why To is empty, if it is.
    why = ("candidates" if len(result) > 1 else "contacts" if not result[0].to and record.email
           else "no_email" if not result[0].to else "no_address" if not addresses(result[0].to) else "")
    if why:
        lines.append(line(config, "notice_to_empty", log.language, cell=where, why=why, n=len(result),
                          email=record.email, to=result[0].to))
    if eml:
        from .exports import write_notice_eml

        kept: list[tuple[Path, Path]] = []
        for n in result:
            person = n.names[0] if len(result) > 1 else ""
            path = write_notice_eml(n, Path(eml), workbook=log.path, person=person, kept=kept)
            lines.append(line(config, "draft_written", log.language, path=path))
        lines += backup_lines(kept, log.language, config)
    return "\n\n".join(f"To: {', '.join(addresses(n.to))}\nSubject: {n.subject}\n\n{n.text}" for n in result), lines


# ---------------------------------------------------------------- stats

# What `tracker stats` counts in a folder: every kind of workbook the reader reads
# (tracker.files.open_book), whatever a team saves its logs as.
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xlsb", ".xls", ".ods")


def expand_paths(paths: Iterable[str | os.PathLike], note: Callable[[str], None] | None = None, *,
                 unfound: list[str] | None = None, verb: tuple[str, str] = ("counted", "count")) -> list[Path]:
    """Files, folders (the workbooks in them, not in their subfolders) and globs, in a
    stable order, each once. `note`: told of what was passed over, so that nothing is
    left out silently: a subfolder holding workbooks, an Excel lock file among names, a
    CSV export in a folder. `unfound`: given, a PATH that gives no workbook (a glob that
    matches nothing, a folder without one) is added there, with why, and the others are
    expanded all the same (each is an error alone: a run over several says it and goes
    on); without, the first such PATH is an error. No workbook at all is always one.
    `verb`: what the notes say is not done to what was passed over ("not counted", "to
    count them": stats; "not read", "to read them": the listings)."""
    import glob

    done, do = verb
    paths = [str(p) for p in paths]
    out: list[Path] = []
    subfolders: list[Path] = []   # passed over, holding workbooks
    nothing: list[str] = []       # PATHs that gave no workbook, with why
    for p in paths:
        if not _is_pattern(p):
            named = Path(p)
            # The shell expands `logs/*.xlsx` into names, Excel's lock files among them.
            # Named alone, reading it says what it is; among others it is passed over.
            if _is_lock_file(named) and len(paths) > 1:
                if note is not None:
                    note(f"{named}: Excel's lock file for an open workbook, not a workbook; not {done}")
                continue
            matches = [named]
        else:
            matches = [Path(m) for m in sorted(glob.glob(p))]
            if not matches:
                nothing.append(f"{p}: no file matches")
                continue
            # As in a folder: a workbook open in Excel must not fail a nightly run.
            matches = [m for m in matches if not _is_lock_file(m)]
        for m in matches:
            if not m.is_dir():
                out.append(m)
                continue
            found = _folder_workbooks(m, subfolders, note, verb)
            if not found:
                nothing.append(f"{m if _is_pattern(p) else p}: no workbook ({', '.join(WORKBOOK_SUFFIXES)}) found")
            out += found
    # A subfolder that was named too (`team/ team/archive/`) is counted: no note of it.
    noted = {_key(path.parent) for path in out}
    for sub in subfolders:
        if note is not None and _key(sub) not in noted:
            noted.add(_key(sub))
            note(f"{sub}: the workbooks in this subfolder are not {done}; name the subfolder too to {do} them")
    if not out:   # an empty folder: nothing to count is not a table of zeros
        raise TrackerError("; ".join(nothing) or f"{', '.join(paths)}: no workbook ({', '.join(WORKBOOK_SUFFIXES)}) found")
    if nothing:
        if unfound is None:
            raise TrackerError(nothing[0])
        unfound += nothing
    # One file named two ways (`calls.xlsx` and its full path, or a folder and a file in
    # it) is counted once, under the first name it was given.
    seen: set[str] = set()
    unique = []
    for path in out:
        key = _key(path)
        if key not in seen:
            seen.add(key)
            unique.append(path)
    return unique


def is_batch(paths: Iterable[str | os.PathLike]) -> bool:
    """Whether PATHS ask for a run over several workbooks, however many they turn out to
    be: more than one PATH, a folder or a glob. Its listing names each row's workbook,
    so that a nightly script's columns do not change as the team's folder grows or
    shrinks to one file; a workbook named alone is listed as it always was."""
    paths = [str(p) for p in paths]
    return len(paths) > 1 or any(_is_pattern(p) or os.path.isdir(p) for p in paths)


def _is_pattern(path: str) -> bool:
    # A file called `jack [old].xlsx` is itself, not a pattern that matches nothing.
    return not os.path.exists(path) and any(ch in path for ch in "*?[")


def _key(path: Path) -> str:
    return os.path.normcase(os.path.realpath(path))


def _is_lock_file(path: Path) -> bool:
    return path.name.startswith("~$")


def _is_workbook_name(path: Path) -> bool:
    # "._name.xlsx": the Finder data a Mac writes beside each file on a shared drive.
    return path.suffix.lower() in WORKBOOK_SUFFIXES and not _is_lock_file(path) and not path.name.startswith("._")


# Files in a folder that hold a call log in a form Call Tracker does not read: passed
# over, and said so (a consultant's log exported as CSV is not silently missing).
NOT_WORKBOOKS = {".csv": "a text (CSV) file", ".tsv": "a text (TSV) file", ".numbers": "an Apple Numbers file"}


def _folder_workbooks(folder: Path, subfolders: list[Path], note: Callable[[str], None] | None = None,
                      verb: tuple[str, str] = ("counted", "count")) -> list[Path]:
    """The workbooks in `folder`; its subfolders holding workbooks are added to
    `subfolders`, not gone into (an archive/ of last year's logs would be counted with
    this year's). `note`, `verb`: see expand_paths."""
    try:
        entries = sorted(folder.iterdir())
    except OSError as exc:
        raise TrackerError(f"{folder}: cannot list the folder ({exc.strerror or exc})") from None
    found = []
    from .writeback import BACKUP_DIR_NAME

    for entry in entries:
        if entry.is_dir():
            # Our own backups (refresh keeps them beside the log) are no one's log.
            if entry.name != BACKUP_DIR_NAME and _holds_workbooks(entry):
                subfolders.append(entry)
        elif _is_workbook_name(entry):
            found.append(entry)
        elif entry.suffix.lower() in NOT_WORKBOOKS and note is not None:
            note(f"{entry}: {NOT_WORKBOOKS[entry.suffix.lower()]}, not a workbook; not {verb[0]} "
                 f"(open it in Excel and save it as .xlsx to {verb[1]} it)")
    return found


def _holds_workbooks(folder: Path) -> bool:
    try:
        return any(_is_workbook_name(x) and not x.is_dir() for x in folder.iterdir())
    except OSError:   # a subfolder we may not list: nothing to say of it
        return False


def stats_logs(files: list[Path], config: Config | None, sheet: str | None, progress=None,
               left_out: list[str] | None = None) -> tuple[list[CallLog], Config]:
    """The logs of the files (as `expand_paths` gives them), each read with `config`, or,
    None, with its own configuration (the tracker.yaml beside it: a US colleague's date
    order, another team's headers), as `tracker stats` gives it alone; and the settings
    to count them with: `config`, else the first workbook's that could be read. With
    `left_out`, a file of many that cannot be read (a colleague's broken or
    password-protected copy, or its broken tracker.yaml: the first file's too) is
    skipped, its reason added there, rather than stopping the whole team's statistics;
    one file alone is an error."""
    logs = []
    counting = config
    show = progress is not None and len(files) > 1 and stderr_is_terminal()
    for i, path in enumerate(files, 1):
        if show:
            progress(f"[{i}/{len(files)}] {path}")
        try:
            own = config or (own_config(path) if len(files) > 1 else config_for(None, path))
            log = read(path, own, sheet)
            require_header(log)   # a sheet with no calls Call Tracker can read counts no zeros
            logs.append(log)
            counting = counting or own
        except TrackerError as exc:
            if left_out is None or len(files) == 1:
                raise
            left_out.append(str(exc))
        except Exception as exc:  # noqa: BLE001 - a bug of ours met in one workbook
            # The team's statistics are still counted without it, as without a workbook
            # that cannot be read; alone, it stops as it always did.
            if left_out is None or len(files) == 1:
                raise
            left_out.append(_bug_in(path, exc))
    if not logs and left_out:
        raise TrackerError(f"none of the {len(files)} files could be read, e.g. {left_out[0]}")
    return logs, counting


def _bug_in(path, exc: Exception) -> str:
    """What a run over many says of a workbook left out for a bug of ours met in it."""
    return f"{path}: internal error: {type(exc).__name__}: {exc} (details: {write_crash_report(exc)})"


def _counted(logs: list[CallLog], config: Config, left_out: list[str] | None, **how):
    """`stats.compute` of the logs, and the logs counted. Over several, with `left_out`, a
    bug of ours met while counting one of them leaves that one out, named as one met
    while reading it is, rather than stopping the team's statistics; each log is then
    counted alone to find it."""
    from .stats import compute

    try:
        return compute(logs, config, **how), logs
    except TrackerError:
        raise
    except Exception:
        if left_out is None or len(logs) < 2:
            raise
    counted = []
    for log in logs:
        try:
            compute([log], config, **how)
        except Exception as exc:  # noqa: BLE001 - the bug, met in this log
            left_out.append(_bug_in(log.path, exc))
        else:
            counted.append(log)
    if not counted:
        raise TrackerError(f"none of the {len(logs)} logs could be counted, e.g. {left_out[-1]}")
    return compute(counted, config, **how), counted   # (a bug of several together still stops it)


def own_config(path: Path) -> Config:
    """The configuration `path` is read with alone. Its error names the workbook too: one
    broken tracker.yaml beside several logs leaves each of them out, each by its name."""
    try:
        return config_for(None, path)
    except ConfigError as exc:
        raise ConfigError(f"{path}: its settings cannot be used: {exc}") from None


def stderr_is_terminal() -> bool:
    import sys

    return sys.stderr.isatty()


def csv_separator(option: str | None, config: Config) -> str:
    """--csv-sep, else `csv_separator` of `config`: over several workbooks, that of the
    first one read (--config's when given), as a team's statistics are counted."""
    return option if option is not None else config.section("csv_separator")


def stats_output(files: list[Path], config: Config | None, sheet, *, by, since, until, kind, fmt, now=None,
                 progress=None, warn=None, left_out: list[str] | None = None, csv_sep: str | None = None) -> str:
    """`warn`: told of each log with cells that could not be read, as the listings do, of
    its rows left out for want of a date, and of another sheet that looks like a log.
    `config` (None: each workbook's own), `left_out`: see stats_logs. `now`: the moment
    judged from (rows after it are still to come). `csv_sep`: else the `csv_separator`
    of the settings the statistics are counted with."""
    from .output import render_listing, to_table

    logs, config = stats_logs(files, config, sheet, progress, left_out)
    if warn is not None:
        for log in logs:
            report_problems(log, warn, config)
            _report_undated(log, warn, config)
    result, logs = _counted(logs, config, left_out, by=by, since=since.date() if since else None,
                            until=until.date() if until else None, now=now)
    if fmt == "table":
        blocks = []
        # In the first log's language, as its Stats sheet is written (a team's logs in
        # several languages get one table: the first file's).
        for table in result.tables(config, logs[0].language if logs else None):
            rows = [dict(zip(table.header, r)) for r in table.text_rows()]
            blocks.append(f"{table.title}\n{to_table(rows, table.header)}")
        return "\n\n".join(blocks)
    return render_listing(fmt, result.flat(kind), result.columns(kind),
                          csv_sep=csv_separator(csv_sep, config))


def _report_undated(log: CallLog, warn: Callable[[str], None], config: Config | None = None) -> None:
    said = undated_in_stats(log, log.language, config)
    if said:
        warn(f"{log.path}: {said}")


def undated_in_stats(log: CallLog, lang: str = "en", config: Config | None = None) -> str:
    """A row without a date falls in no day, week or month: the statistics leave it out,
    and say so, in `lang` ("" when every row has one)."""
    rows = [r.row for r, d in zip(log.records, log.column_as_read("date")) if d is None]
    if not rows:
        return ""
    return line(config, "undated_in_stats", lang, n=len(rows), rows=rows[:10], more=len(rows) > 10, sheet=log.sheet)


# ---------------------------------------------------------------- the columns we write


def next_action_text(config: Config, fu, lang: str) -> str:
    """"Phone: call to confirm attendance" — the channel, then what to do; after "Likely
    rejected — " when the engine says so, and "Ghosted" alone on a thread it closed so."""
    step = getattr(fu, "step", None)
    if fu.status == "done" or step is None:
        return marked(config, fu, "", lang)
    channel = config.list_label("channel", step.channel, lang) if step.channel else ""
    action = action_in(config, step, getattr(fu, "lang", lang), lang)
    text = f"{channel}: {action}" if channel and action else (action or channel)
    # The Due column shows the day; a step owed at a time of day says it here.
    if getattr(fu, "timed", False) and fu.due is not None and text:
        text = f"{fu.due:%H:%M} {text}"
    return marked(config, fu, text, lang)


def followup_list(log: CallLog, config: Config, now: datetime, *, open_only: bool = False):
    """The follow-up of every row; with `open_only`, of the rows not done only."""
    from .followups import followups, open_followups

    return (open_followups if open_only else followups)(
        log.records, config, config.local(now),
        threads=log.threads_as_read(), dates=log.column_as_read("date"), outcomes=log.column_as_read("outcome"),
        date_order=log.date_order)


def written_values(log: CallLog, config: Config, now: datetime, *, fields=None, lang: str | None = None,
                   followups=None, rows: set[int] | None = None, started=None):
    """field -> {excel row -> value} for the columns Call Tracker owns: what `refresh`
    writes and what the cell functions return, from one place. `followups`, when the
    caller has them already, saves computing them again; `started` summaries (from
    `started_summaries`) are collected rather than computed."""
    fields = tuple(config.section("written")) if fields is None else fields
    out: dict[str, dict[int, Any]] = {f: {} for f in fields}
    sheet_lang = lang or log.language
    if {"status", "due", "next_action"} & set(fields):
        fus = list(followups if followups is not None else followup_list(log, config, now))
        # A column at a time; a status's label looked up once, not on each of 100 000 rows.
        if "status" in out:
            labels = {s: status_label(config, s, sheet_lang) for s in {fu.status for fu in fus}}
            out["status"] = {fu.row: labels[fu.status] for fu in fus}
        if "due" in out:
            out["due"] = {fu.row: _due_cell(fu) for fu in fus}
        if "next_action" in out:
            out["next_action"] = {fu.row: next_action_text(config, fu, sheet_lang) for fu in fus
                                  if fu.status != "done" or fu.flag == "ghosted"}
    if "summary" in out:
        out["summary"] = (started or started_summaries(log, config, lang=lang, rows=rows)).texts()
    return out


def started_summaries(log: CallLog, config: Config, *, lang: str | None = None, rows: set[int] | None = None,
                      away: float = 0.5, checksum=None):
    """The summaries of the log's rows (`rows` only, when given: a summary depends on its
    own row only), begun: on a big log a child process computes `away` of them while
    this one does other work; `.result()` collects them."""
    from .summaries import summaries_started

    records = log.records if rows is None else [r for r in log.records if r.row in rows]
    return summaries_started(records, config, lang, away=away, checksum=checksum)


# ---------------------------------------------------------------- refresh

def _header_words(config: Config, field_name: str) -> tuple[str, ...]:
    words = list(config.data["columns"].get(field_name) or [])
    words += list((config.data["headers"].get(field_name) or {}).values())
    return tuple(dict.fromkeys(str(w) for w in words))


@lru_cache(maxsize=None)   # a refresh asks for them three times: the shipped file is read once
def _date_formats(lang: str) -> tuple[str, str]:
    """The number formats of a date and of a date-time in `lang`, as init gives the log's
    date columns (workbook/definition.yaml): 23.11.2026 in a Russian log."""
    from .newbook import load_definition

    definition = load_definition()
    return definition.number_format("date", lang), definition.number_format("datetime", lang)


# From this many rows the Reminders and Stats sheets are worth a child process (0.7 s at
# 100 000 rows, against ~0.05 s for the fork).
_SHEETS_AWAY_FROM = 20000


def refresh_plan(log: CallLog, config: Config, now: datetime, *, fields=None, rows: set[int] | None = None,
                 memo=None):
    """What `refresh` writes, as a plan that both the file writer and Excel apply.
    `memo` (tracker.memo.SummaryMemo): the summaries of the rows unchanged since the
    last refresh are taken as they are in the sheet, not computed again."""
    from .fork import Child, may_fork
    from .writeback import ColumnWrite, WritePlan

    require_header(log)
    written = tuple(config.section("written"))
    fields = written if fields is None else fields
    lang = log.language
    reused = memo.reusable(log) if memo is not None and rows is None and "summary" in fields else {}
    todo = set(log.column_as_read("row")).difference(reused) if reused else rows
    # The summaries take the longest: a child process starts on them while this one
    # computes the follow-ups and the Chase today sheet, so it takes more than half of
    # the rows (measured at 100k rows: 57% ends both at once; 61% when this one also
    # works out the memo's fingerprints, ~0.6 s, which `reusable` has not).
    away = 0.61 if memo is not None and memo.prints is None else 0.57
    checksum = None
    if memo is not None:   # worked out by whichever process makes the summary
        from .memo import checksum
    started = (started_summaries(log, config, rows=todo, away=away, checksum=checksum)
               if "summary" in fields else None)

    def two_sheets() -> list:   # the sheets that need no follow-ups
        return [reminders_sheet(reminder_list(log, config, now, None), config, lang),
                stats_sheet([log], config, lang, now=now)]

    whole = rows is None and tuple(fields) == written   # a whole refresh: our sheets too
    sheets_away = None
    if whole and len(log.records) >= _SHEETS_AWAY_FROM and may_fork():
        # The Reminders and Stats sheets are made by a child too, while this one works
        # out the follow-ups, the Chase today sheet and the columns. Beside a summaries
        # child, the three share the two cores: made here after the summaries, the two
        # sheets were 0.6 s with the other core idle (a first refresh at 100k rows:
        # 8.40 s median against 8.08 s with this child, 6 pairs alternated).
        sheets_away = Child(lambda: [two_sheets()])
    try:
        if memo is not None:
            memo.fingerprints(log)   # for saving the memo after the write: here, beside the child
        fus = followup_list(log, config, now) if {"status", "due", "next_action"} & set(fields) else []
        sheets = []
        if whole:
            sheets = [chase_sheet(log, config, now, followups=fus)]
        values = written_values(log, config, now, fields=fields, followups=fus, rows=rows, started=started)
        if whole:
            made = sheets_away.result() if sheets_away is not None else None
            sheets += made or two_sheets()   # None: no child, or it failed
        if reused:
            values["summary"].update(reused)
        if memo is not None and started is not None:
            memo.sums.update(started.checksums())
    except BaseException:
        if started is not None:
            started.cancel()
        if sheets_away is not None:
            sheets_away.cancel()
        raise
    widths = {"status": 14, "due": 17, "next_action": 36, "summary": 60}
    last = max([r.row for r in log.records] + [log.header_row])
    # Rows below the last call cleared but for our columns (no calls now): their old
    # status and summary go too; a note the user typed in our columns among them stays.
    left = log.written_below if rows is None else ()
    columns = []
    for f in fields:
        vals = values[f]
        if rows is not None:
            vals = {r: v for r, v in vals.items() if r in rows}
        elif left:
            vals = {**vals, **dict.fromkeys(left)}
        header, match = _owned_header(log, config, f, lang, values)
        columns.append(ColumnWrite(
            header=header, match=match, values=vals,
            number_format=_date_formats(lang)[0] if f == "due" else None, width=widths.get(f),
            wrap=(f == "summary"), key=f,
        ))
    rules = []
    if rows is None and "status" in fields and "due" in fields:
        rules = highlights(config, lang, fus, config.local(now).date())
    return WritePlan(sheet=log.sheet, header_row=log.header_row, first_data_row=log.header_row + 1,
                     last_data_row=last, columns=columns, sheets=sheets, highlights=rules)


def _owned_header(log: CallLog, config: Config, f: str, lang: str, values=None) -> tuple[str, tuple[str, ...]]:
    """Header and header words of our column `f`. A column of that name that holds mostly
    values Call Tracker never writes is the user's own: ours goes beside it, never over it;
    and stays there, once it is (the user's Due dates look like ours). `values`: what
    refresh writes now (`written_values`), against which our columns are judged."""
    header = config.header(f, lang)
    beside = config.beside(f, lang)
    # A header the log reads as another of its fields (tracker.yaml naming our Status
    # "Result", the user's outcome column) is that column's: never ours to write into.
    others = {normalize_word(log.headers[c]) for g, c in log.field_columns.items() if g != f}
    # A column headed as this one of ours that the log reads as another field (a user's
    # "Резюме звонка" read as the notes of a log without any) is the user's: ours beside.
    if normalize_word(beside) in {normalize_word(h) for h in log.headers} or normalize_word(header) in others or (
            any(config.column_words.get(o) == f for o in others)) or (
            f in log.field_columns and _has_foreign_values(log, config, f, values)):
        return beside, (beside,)
    return header, tuple(w for w in _header_words(config, f) if normalize_word(w) not in others)


def _has_foreign_values(log: CallLog, config: Config, f: str, values=None) -> bool:
    """Whether the column the log reads as our field `f` is the user's own. A column
    refresh wrote stays ours when a user typed over a few of its cells (the next refresh
    writes them again, the backup keeps the previous version) or moved columns about; a
    user's own column holds words of theirs, some of which may be ours ("Done")."""
    if _laid_out_as_ours(log, config):
        # Status, Due, Next action and Summary side by side, as refresh writes them: ours,
        # whatever a consultant typed over some of their cells since (the next refresh
        # writes them again; the backup keeps what was typed).
        return False
    if f == "status":   # the reader's rule too: it reads the user's own of outcomes as the outcome
        from .log import users_status

        texts = log.texts_as_read("status")
        dues = log.texts_as_read("due") if "due" in log.field_columns else None
        # Each column judged by its own content, wherever it stands: a Status cell typed
        # over ("Done", "Готово", "called" on an open call) beside the very date refresh
        # writes on that row again is a cell of ours. A user's own deadlines are not the
        # dates refresh works out.
        as_written = (_typed_over_as_written(log, texts, dues, values)
                      if dues is not None and values and "status" in values and "due" in values else None)
        return users_status(config, texts, dues, as_written)
    if f == "due":
        from .log import mostly, parse_date

        # Dates are dates, whoever typed them: a Due column with dates is ours only with a
        # Status column of ours (refresh writes the two together), and only on rows whose
        # status has a due date (the Status's judgement weighs that).
        dues = log.texts_as_read("due")
        if any(dues) and ("status" not in log.field_columns or _has_foreign_values(log, config, "status", values)):
            return True

        def is_date(text: str) -> bool:
            try:
                return parse_date(text, config) is not None
            except ValueError:
                return False

        return not mostly(dues, is_date)
    if f == "summary":   # the reader's rule too: it reads the user's own as the notes
        from .log import users_summary

        return users_summary(log.texts_as_read("summary"), config, checklist="notes" not in log.field_columns)
    if f == "next_action":
        # Free text: the first texts tell.
        ours = _ours_next_action(config)
        found = _first_texts(log, f, 200)
        # Half and half is ours: a user's own column holds hardly any text of ours.
        return sum(ours(text, record) for text, record in found) * 2 < len(found)
    return False


def _typed_over_as_written(log: CallLog, texts: list[str], dues: list[str], values) -> list[str]:
    """`texts` of the Status column, with the status refresh writes now on each row whose
    Due holds the date refresh writes there now (a cell of ours typed over since)."""
    status_now, due_now = values["status"], values["due"]
    out = list(texts)
    for i, (due, row) in enumerate(zip(dues, log.column_as_read("row"))):
        if due:
            now = due_now.get(row)
            if now is not None and due[:10] == str(now)[:10]:   # (the reader's text: ISO)
                out[i] = status_now.get(row) or out[i]
    return out


def _laid_out_as_ours(log: CallLog, config: Config) -> bool:
    """Whether Status, Due, Next action and Summary stand side by side in that order, as
    refresh writes them: a user's own Status and Due do not have our two others after them."""
    at = [log.field_columns.get(f) for f in config.section("written")]
    return None not in at and at == list(range(at[0], at[0] + len(at)))


def _first_texts(log: CallLog, f: str, n: int) -> list[tuple[str, CallRecord]]:
    """The first `n` different texts of field `f`, each with the first row that holds it:
    not all 100 000 summaries of a big log."""
    seen: dict[str, CallRecord] = {}
    records = log.records
    for i, text in enumerate(log.texts_as_read(f)):
        if text and text not in seen:
            seen[text] = records[i]
            if len(seen) == n:
                break
    return list(seen.items())


def _ours_next_action(config: Config) -> Callable[[str, CallRecord], bool]:
    """Whether a row's Next action text is one `next_action_text` writes: [a mark " — "]
    [HH:MM] a channel's label, ": " and what to do (a step's action, or the row's own Next
    step), in any language; or a step's action, the row's own Next step (a step with no
    channel) or a mark alone. Not a channel alone: every shipped step says what to do (a
    refreshed log of 100 000 rows has none), and a user's own Next action column holds
    just that ("Phone", "E-mail")."""
    fu = config.section("followups")
    actions = {normalize_word(t) for spec in (fu.get("steps") or {}).values()
               for t in ((spec or {}).get("action") or {}).values() if t}
    channels = {normalize_word(config.list_label("channel", c, lang))
                for c in config.list_ids("channel") for lang in LANGUAGES}
    marks = {flag_label(config, f, lang) for f in SHOWN_FLAGS for lang in LANGUAGES}

    def ours(text: str, record: CallRecord) -> bool:
        text = text.strip()
        mark, dash, rest = text.partition(" — ")
        if text in marks or (dash and mark in marks):
            text = rest
            if not text:
                return True
        text = re.sub(r"^\d{1,2}:\d{2}\s+", "", text)
        channel, colon, _ = text.partition(": ")
        if colon and normalize_word(channel) in channels:
            return True
        word = normalize_word(text)
        return word in actions or (bool(word) and word == normalize_word(record.next_step))
    return ours


def _due_cell(fu):
    """The Due column's value: when the step is owed, or, for a step owed over a window
    (the last chase message, T+5 to T+7), the window's last day: the day after which it is
    overdue, which the colour rules compare with TODAY()."""
    if not _has_window(fu):
        return fu.due
    return datetime.combine(fu.overdue_after, datetime.min.time())


def _has_window(fu) -> bool:
    return fu.due is not None and fu.overdue_after is not None and fu.overdue_after > fu.due.date()


def highlights(config: Config, lang: str, followups: Iterable[Any] = (), today: date | None = None):
    """Colour rules over the Due and Status columns, so the colours follow TODAY() and stay
    right as days pass without another refresh. Red once Due (a window's last day) has
    passed; amber on its day, and through a window the Status says is open.

    A window that opens after the refresh (`today`) is amber from its first day too: Due
    holds only its last day, so the first is written into a rule of the rows whose window
    opens that day (of `followups`, the rows' FollowUps; one rule per first day)."""
    from .writeback import Highlight

    colours = config.section("followups").get("highlight") or {}
    done = status_label(config, "done", lang).replace('"', '""')
    none = status_label(config, "no_next_action", lang).replace('"', '""')
    due_today = status_label(config, "due_today", lang).replace('"', '""')
    live = f'${{status}}{{row}}<>"{done}"'
    day = 'INT(${due}{row})'
    rules = {
        "overdue": f'AND(ISNUMBER(${{due}}{{row}}),{live},{day}<TODAY())',
        "due_today": f'AND(ISNUMBER(${{due}}{{row}}),{live},OR({day}=TODAY(),'
                     f'AND(${{status}}{{row}}="{due_today}",{day}>TODAY())))',
        "no_next_action": f'${{status}}{{row}}="{none}"',
    }

    def fill(name: str) -> str:
        return str(colours.get(name, "FFFFFF")).lstrip("#")

    out = [Highlight(name=k, formula=v, fill=fill(k)) for k, v in rules.items()]
    opening: dict[date, list[int]] = {}
    if today is not None:
        for fu in followups:
            # Whether a row has a window is asked last: FollowUp works it out when first asked.
            if fu.status != "done" and fu.due is not None and fu.due.date() > today and _has_window(fu):
                opening.setdefault(fu.due.date(), []).append(fu.row)
    for first, rows in sorted(opening.items()):
        out.append(Highlight(
            name="window",
            formula=f'AND(ISNUMBER(${{due}}{{row}}),{live},TODAY()>=DATE({first.year},{first.month},{first.day}),'
                    f'{day}>=TODAY())',
            fill=fill("due_today"), rows=tuple(sorted(rows))))
    return out


def summary_memo(folder: Path | None, log: CallLog, config: Config):
    """The memo of `log`'s summaries in `folder` (None: no memo)."""
    if folder is None:
        return None
    from .memo import SummaryMemo

    return SummaryMemo.of(folder, log, config)


def remember_summaries(memo, log: CallLog, plan) -> None:
    """After the plan is written: its summaries, for the next refresh."""
    column = next((c for c in plan.columns if c.key == "summary"), None)
    if memo is not None and column is not None:
        memo.save(log, column.values)


def refresh_message(log: CallLog, plan, lang: str = "en", config: Config | None = None) -> str:
    counts: dict[str, int] = {}
    status_col = next((c for c in plan.columns if c.key == "status"), None)
    if status_col:
        for v in filter(None, status_col.values.values()):   # (not the blanks of rows no longer calls)
            counts[v] = counts.get(v, 0) + 1
    statuses = sorted(counts.items(), key=lambda kv: -kv[1])
    return line(config, "refreshed", lang, n=len(log.records), sheet=log.sheet, statuses=statuses)


def refresh_lines(log: CallLog, plan, added: list[tuple[str, str]], sheets: list[str], *,
                  unchanged: bool = False, brief: bool = False, lang: str = "en",
                  config: Config | None = None) -> list[str]:
    """What a refresh says it did, in a terminal and in Excel alike, in `lang`: the
    statuses, the columns `added` ((letter, header)), the `sheets` written. `unchanged`:
    nothing was written (the file writer's report); `brief`: one of many refreshed in a run."""
    lines = [refresh_message(log, plan, lang, config)]
    if added:
        lines.append(line(config, "columns_added", lang, added=added))
    if unchanged:   # (writeback.apply replaced nothing and kept no backup)
        lines.append(line(config, "unchanged", lang))
    elif sheets and not brief:
        lines.append(line(config, "sheets_written", lang, sheets=sheets))
    return lines


# What a refresh says as each step starts, in a terminal (after the file's name) and in
# Excel's status bar (after "Call Tracker:"): a big log's refresh takes seconds.
READING = "reading..."
WORKING_OUT = "working out the statuses, due dates and summaries of {n} calls..."
WRITING = "writing..."


def refresh(path: Path, log: CallLog, config: Config, now: datetime, *, read_stamp=None,
            memo_dir: Path | None = None, progress: Callable[[str], None] | None = None,
            locked: bool = False, written_at: datetime | None = None, brief: bool = False) -> list[str]:
    """Write the plan into the file, as of `now`. `written_at` (default: the clock) names
    the backup: not `now`, which `--as-of` may set in the past, where the backup would
    sort as the oldest and be pruned at once. `read_stamp` (writeback.FileStamp) is the
    file as it was when `log` was read: a save in between is refused, not overwritten.
    `memo_dir`: where the summaries of unchanged rows are remembered (tracker.memo).
    `progress`: told of each step as it starts (a big log's refresh takes seconds).
    `locked`: the caller holds the workbook's lock (writeback.workbook_lock) already.
    `brief`: one of many refreshed in a run: the sheets written and the backup (the same
    for each, beside each) are not said, what is particular to it is."""
    from .collector import collector_paused
    from .writeback import apply, error_in, preflight, said_in, sheet_protected

    try:
        # A sheet of the user's under our sheets' names (in the log's language), and a log
        # sheet the read saw protected, are refused before the work, not after it.
        preflight(path, our_sheet_names(config, log.language))
        if log.protected:
            raise sheet_protected(log.sheet, path)
        memo = summary_memo(memo_dir, log, config)
        # The plan and its writing make millions of objects and no cycles: the collector's
        # passes over them were 0.7 s of a 100k-row refresh.
        with collector_paused():
            if progress is not None:
                progress(WORKING_OUT.format(n=len(log.records)))
            plan = refresh_plan(log, config, now, memo=memo)
            if progress is not None:
                progress(WRITING)
            written_at = config.local(written_at or datetime.now().astimezone())
            report = apply(path, plan, now=written_at, expected=read_stamp, locked=locked)
            remember_summaries(memo, log, plan)
    except TrackerError as exc:   # the write-back's refusal, in the log's language (it knows none)
        raise error_in(exc, log.language, config) from None
    added = [(letter, header) for header, letter in report.columns.items() if letter in report.added_columns]

    def said(config: Config | None) -> list[str]:
        lines = refresh_lines(log, plan, added, report.sheets_replaced + report.sheets_added,
                              unchanged=report.unchanged, brief=brief, lang=log.language, config=config)
        if report.backup and not brief:
            lines.append(line(config, "backup", log.language, path=report.backup))
        return lines + [said_in(note, log.language, config) for note in report.notes]
    try:
        return said(config)
    except TemplateError as exc:
        # The workbook is written by now: a template of the user's (templates_dir) that
        # cannot say so must not make it look unchanged, as an error's exit 2 would. Said
        # with the shipped lines, and what is wrong with the user's.
        return [*said(None), str(exc)]


# ---------------------------------------------------------------- our sheets

OUR_SHEETS = ("chase", "reminders", "stats")   # what refresh writes besides the log (config sheet_names)


def our_sheet_name(config: Config, kind: str, lang: str) -> str:
    """The name of our sheet `kind` (OUR_SHEETS) in a log written in `lang`."""
    names = config.data["sheet_names"][kind]
    return names.get(lang) or names["en"]


def our_sheet_names(config: Config, lang: str) -> list[str]:
    return [our_sheet_name(config, kind, lang) for kind in OUR_SHEETS]


def _sheet(config: Config, kind: str, lang: str, rows: list[list[Any]], widths=None, number_formats=None, charts=None,
           wrap=frozenset(), date_formats=None):
    from .writeback import SheetWrite

    from .config import shipped

    name = our_sheet_name(config, kind, lang)
    # Its names in the other languages, and the shipped ones: an earlier refresh, before
    # the log's headers changed language or the user renamed our sheets in sheet_names,
    # wrote it under one of them.
    names = [*config.data["sheet_names"][kind].values(), *(shipped("sheet_names") or {}).get(kind, {}).values()]
    formerly = tuple(n for n in dict.fromkeys(names) if n.casefold() != name.casefold())
    return SheetWrite(name=name, rows=rows, widths=widths, number_formats=number_formats or {},
                      charts=charts or [], formerly=formerly, wrap=frozenset(wrap), date_formats=date_formats or {})


def chase_list(log: CallLog, config: Config, now: datetime, *, show_all: bool = False, followups=None):
    from .followups import chase_today

    # Only rows not done are listed: made alone, the done ones cost nothing.
    items = followups if followups is not None else followup_list(log, config, now, open_only=True)
    if show_all:
        order = {s: i for i, s in enumerate(("overdue", "due_today", "upcoming", "no_next_action"))}
        return sorted((f for f in items if f.status != "done"),
                      key=lambda f: (order.get(f.status, 9), f.due or datetime.max))
    return chase_today(items)


def chase_sheet(log: CallLog, config: Config, now: datetime, *, followups=None):
    lang = log.language
    head = ["due", "status", "days_overdue", "contact", "client", "call_type", "next_action", "message", "row"]
    header = [_sheet_header(config, h, lang) for h in head]
    rows = [header]
    day = _date_formats(lang)[0]
    for fu in chase_list(log, config, now, followups=followups):
        rows.append([_window_text(fu, day) if _has_window(fu) else fu.due, status_label(config, fu.status, lang),
                     fu.days_overdue or None, fu.who,
                     fu.client, config.call_type_label(fu.call_type, lang), next_action_text(config, fu, lang),
                     fu.message, fu.row])
    # The action and the draft wrap: a draft is lines, a Chinese one has no space to break at.
    return _sheet(config, "chase", lang, rows, widths=[12, 14, 13, 24, 22, 16, 40, 70, 6],
                  number_formats={1: day}, wrap={7, 8})


def _sheet_header(config: Config, key: str, lang: str) -> str:
    """A column header of our own sheets: its sheet-only label, else the log column's."""
    spec = (config.data.get("sheet_headers") or {}).get(key)
    if spec:
        return spec.get(lang) or spec.get("en") or key
    return config.header(key, lang)


def reminders_sheet(items, config: Config, lang: str):
    head = ["at", "whom", "names", "channel", "call_type", "call_at", "subject", "message", "row"]
    rows = [[_sheet_header(config, h, lang) for h in head]]
    from .reminders import role_label

    for r in items:
        rows.append([r.at, role_label(config, r.whom, lang), names_text(r.names),
                     config.list_label("channel", r.channel, lang), config.call_type_label(r.call_type, lang),
                     r.call_at if r.has_time else r.call_at.date(), r.subject, r.message, r.call_row])
    day, when = _date_formats(lang)
    # A call without a time is its day, as the listing's CSV says it, not its first minute.
    return _sheet(config, "reminders", lang, rows, widths=[17, 16, 24, 12, 16, 17, 40, 70, 6],
                  number_formats={1: when, 6: when}, date_formats={6: day}, wrap={7, 8})


def stats_sheet(logs: list[CallLog], config: Config, lang: str, *, by: str = "week", now: datetime | None = None):
    """The Stats sheet: the tables side by side (so each column keeps one number format),
    and under them two native charts: no-show rate over time, ghost rate by source. As of
    `now`, as the rest of the refresh."""
    from .output import text_width
    from .stats import NUMBER_FORMATS, PERIODS, compute
    from .writeback import ChartSpec

    also = tuple(p for p in PERIODS if p != by)   # DOMAIN: a table by day, week and month
    tables = compute(logs, config, by=by, now=now, also=also).tables(config, lang)
    height = max((len(t.rows) for t in tables), default=0) + 2
    rows: list[list[Any]] = [[] for _ in range(height)]
    charts, formats, widths = [], {}, []
    left = 1
    spans = []   # each table's first column and rows
    for table in tables:
        rows[0] += [None] * (left - 1 - len(rows[0])) + [table.title]
        for r, values in enumerate([table.header] + [list(v) for v in table.rows], start=1):
            rows[r] += [None] * (left - 1 - len(rows[r])) + list(values)
        for i, kind in enumerate(table.kinds):
            if kind in NUMBER_FORMATS:
                formats[left + i] = NUMBER_FORMATS[kind]
        # Wide enough for its header ("Answered at the last step"), within reason.
        widths += [16] + [min(28, max(11, text_width(str(h)) + 2)) for h in table.header[1:]] + [3]
        first, last = 3, 2 + len(table.rows)
        # Charts skip the totals row, which would flatten the curve.
        if table.rows and str(table.rows[-1][0]) in _total_words(config):
            last -= 1
        if table.id in ("interviews", "ghost_sources") and last >= first:
            charts.append(ChartSpec("line" if table.id == "interviews" else "bar", table.header[-1],
                                    (first, last, left), [(table.header[-1], left + len(table.header) - 1)]))
        spans.append((left, len(table.rows)))
        left += len(table.header) + 1
    # The charts side by side from column A, under the tables in their columns: not under
    # the long table of days further right.
    chart_row = max((n for at, n in spans if at <= 9 * len(charts)), default=0) + 5
    for i, chart in enumerate(charts):
        chart.anchor = f"{_col(1 + 9 * i)}{chart_row}"
    if not any(rows):
        rows = [["No calls yet"]]
    return _sheet(config, "stats", lang, rows, widths=widths, number_formats=formats, charts=charts)


def _total_words(config: Config) -> set[str]:
    labels = (config.section("stats").get("labels") or {}).get("total") or {}
    return {str(v) for v in labels.values()} if isinstance(labels, dict) else {str(labels)}


def _col(n: int) -> str:
    return column_letter(n - 1)


# ---------------------------------------------------------------- new call, settings

def call_type_prompt(config: Config, lang: str) -> str:
    from .render import render

    types = [(cid, ct.label(lang)) for cid, ct in config.call_types.items()]
    return render(config, "excel/new_call_prompt", lang, types=types)


def new_call_row(log: CallLog, config: Config, now: datetime, call_type_text: str) -> tuple[int, list[Any]]:
    """The row after the last call, with now's date and time and the call type's defaults
    (goal, after-call actions, outcome Planned), as values from column A on."""
    lang = log.language
    cid = config.match_call_type(call_type_text) if call_type_text.strip() else next(iter(config.call_types))
    if cid is None:
        known = ", ".join(ct.label(lang) for ct in config.call_types.values())
        raise TrackerError(f"{call_type_text!r} is not a call type (known: {known})")
    ct = config.call_types[cid]
    local = config.local(now).replace(second=0, microsecond=0)
    values = {
        "date": local.date(), "time": local.time(), "call_type": ct.label(lang), "goal": ct.goal_in(lang),
        "actions": "\n".join(f"☐ {a}" for a in ct.actions_in(lang)),
        "outcome": config.list_label("outcome", "planned", lang),
    }
    cols = {f: i for f, i in log.field_columns.items() if f in values}
    if "call_type" not in cols:
        raise TrackerError(f"sheet {log.sheet!r} has no call type column to fill")
    width = max(cols.values()) + 1
    row = [None] * width
    for f, i in cols.items():
        row[i] = values[f]
    last = max([r.row for r in log.records] + [log.header_row])
    return last + 1, row


def settings_file(config: Config, book_path: str | None) -> tuple[Path, bool]:
    """The user's tracker.yaml: the one in use, else a new commented one next to the workbook."""
    from .outfiles import write_file
    from .render import render

    if config.path is not None:
        return config.path, False
    folder = Path(book_path).parent if book_path and Path(book_path).exists() else Path.cwd()
    path = folder / "tracker.yaml"
    if path.exists():
        return path, False
    write_file(path, (render(config, "config/tracker", "en", "yaml", settings=config.data) + "\n").encode("utf-8"))
    return path, True


# ---------------------------------------------------------------- digest

def digest(log: CallLog, config: Config, now: datetime, *, out: Path | None = None,
           unread: list | None = None) -> list[str]:
    """`unread`: see reminder_list."""
    from .digest import digests

    part = digest_part(log, config, now, log.path, unread=unread)
    return _digest_lines(digests(part.followups, part.reminders, config, config.local(now)), out, log.path,
                         log.language, config)


def digest_part(log: CallLog, config: Config, now: datetime, workbook: str | Path, *, unread: list | None = None):
    """One log's follow-ups and reminders, for its digest or a team's (team_digest)."""
    from .digest import DigestPart, reminder_window

    local = config.local(now)
    return DigestPart(followup_list(log, config, local),
                      reminder_list(log, config, *reminder_window(config, local), unread=unread),
                      config, str(workbook))


def team_digest(parts: list, now: datetime, out: Path | None, lang: str = "en") -> list[str]:
    """One message per manager over every log read, worded with the first one's settings
    (as `stats` counts with them); the files named by manager and day, not by one log.
    What is said of them is in `lang` (the first log's language)."""
    from .digest import team_digests
    from .output import workbook_labels

    for part, label in zip(parts, workbook_labels([p.workbook for p in parts])):
        part.workbook = label
    return _digest_lines(team_digests(parts, parts[0].config, now), out, "", lang, parts[0].config)


def _digest_lines(items: list, out: Path | None, workbook: str | Path = "", lang: str = "en",
                  config: Config | None = None) -> list[str]:
    if not items:
        return [line(config, "digest_nothing", lang)]
    if out is None:
        return [f"=== {d.subject} ===\n{d.text}\n" for d in items]
    from .digest import write_digests

    kept: list[tuple[Path, Path]] = []
    written = [line(config, "wrote", lang, path=p) for p in write_digests(items, out, workbook=workbook, kept=kept)]
    return written + backup_lines(kept, lang, config)


# ---------------------------------------------------------------- demo

DEMO_FILE = "call-log-demo.xlsx"


def demo(folder: Path, now: datetime, lang: str = "en") -> Iterable[str]:
    """Write the sample log, then show what a consultant wants first: today's chases,
    the coming reminders, a summary, the statistics; then refresh the workbook."""
    from .outfiles import make_folder
    from .output import to_table
    from .sample import write_sample

    path = make_folder(folder) / DEMO_FILE
    config = load_config(None, path)
    local = config.local(now).replace(second=0, microsecond=0)
    kept = None
    if path.exists():
        # A previous demo's file, perhaps tried out: kept as refresh keeps its backups
        # (named by the clock, never one over another), not overwritten.
        from .writeback import make_backup

        kept = make_backup(path, now=config.local(datetime.now().astimezone()))
        path.unlink()
    write_sample(path, config, local, lang=lang)
    log = read_checked(path, config, today=local.date())   # (the sample's dates are set from the demo's moment)
    lang = log.language   # (the sample's headers are in `lang`): the demo speaks it

    def said(name: str, **context: Any) -> str:
        return line(config, f"demo_{name}", lang, **context)

    yield said("start", n=len(log.records), path=path, now=local, kept=kept or "") + "\n"

    # The commands named run as of the demo's moment, as it did: the sample's dates are
    # set from it, and as of the clock they show other rows from the next day on.
    as_of = f"{local:%Y-%m-%dT%H:%M}"
    chases = chase_list(log, config, local)
    yield said("chase", n=len(chases), command=f"tracker overdue {shell_arg(path)} --as-of {as_of}")
    yield to_table([_chase_row(config, f, log.language) for f in chases[:12]], ["row", "status", "due", "who", "action"])
    if len(chases) > 12:
        yield said("more", n=len(chases) - 12)
    if chases:
        first = chases[0]
        yield "\n" + said("draft", row=first.row, who=first.contact or first.client) + "\n  " + \
            first.message.replace("\n", "\n  ")

    items = reminder_list(log, config, local, None)
    yield "\n" + said("reminders", n=len(items), command=f"tracker reminders {shell_arg(path)} --from {as_of}")
    from .reminders import role_label

    yield to_table([{"at": f"{r.at:%a %d %H:%M}", "row": r.call_row,
                     "whom": names_text(r.names) or role_label(config, r.whom, log.language),
                     "channel": config.list_label("channel", r.channel, log.language), "subject": r.subject}
                    for r in items[:12]],
                   ["at", "row", "whom", "channel", "subject"])

    sums, _ = summaries(log, config)
    complete = [s for s in sums if s.call_type == "first_call" and not s.missing]
    first_call = next((s for s in complete if s.lang == lang), complete[0] if complete else (sums[0] if sums else None))
    if first_call:
        yield "\n" + said("summary", row=first_call.row,
                          command=f"tracker summary {shell_arg(path)} --row {first_call.row}")
        yield first_call.text

    yield "\n" + said("stats", command=f"tracker stats {shell_arg(path)} --as-of {as_of}")
    yield stats_output([Path(path)], config, None, by="week", since=None, until=None, kind="interviews", fmt="table",
                       now=local)

    yield "\n" + said("refresh")
    yield from refresh(path, log, config, local)
    yield "\n" + said("open", path=path, columns=[config.header(f, lang) for f in config.section("written")],
                      sheets=our_sheet_names(config, lang), problems=len(log.problems), command_path=shell_arg(path))


def due_text(fu) -> str:
    """The due as a person reads it: the day, and the time only when it means something;
    a step owed over days (the last chase message, T+5 to T+7), its window, as the Chase
    today sheet shows it: its days overdue count from the window's last day."""
    if fu.due is None:
        return ""
    due = f"{fu.due:%Y-%m-%d %H:%M}" if fu.timed else f"{fu.due:%Y-%m-%d}"
    return f"{due}{WINDOW_DASH}{fu.overdue_after:%Y-%m-%d}" if _has_window(fu) else due


# Between a window's first and last days: "2026-11-21 – 2026-11-23" (an ISO date's own
# hyphens would run into a plain one).
WINDOW_DASH = " – "


def _window_text(fu, code: str) -> str:
    """A step's window as the Chase today sheet's Due shows it, in the sheet's date
    format `code` (23.11.2026 in a Russian log): text, one cell, where a date cell would
    show its first day alone, and "Days overdue 1" beside it would read as 3."""
    strf = code.replace("yyyy", "%Y").replace("mm", "%m").replace("dd", "%d")
    first = fu.due if fu.timed else fu.due.date()
    shown = f"{first:{strf} %H:%M}" if fu.timed else f"{first:{strf}}"
    return f"{shown}{WINDOW_DASH}{fu.overdue_after:{strf}}"


def followup_row(config: Config, fu, lang: str) -> dict[str, Any]:
    """A follow-up as people read it, in `tracker overdue`'s table and CSV (which is for
    Excel): its status, call type and action in the log's language `lang`, as the Chase
    today sheet and the Next action column write them, whatever the row's own language;
    the due as Excel reads a date, or a date and time when the step has one, a window's
    first and last days when it has one (due_text); no days overdue a blank, as on the
    sheet."""
    return dict(fu.as_dict(), status=status_label(config, fu.status, lang),
                call_type=config.call_type_label(fu.call_type, lang), due=due_text(fu),
                action=next_action_text(config, fu, lang), days_overdue=fu.days_overdue or None)


def followup_data(config: Config, fu, lang: str) -> dict[str, Any]:
    """A follow-up for programs (`--format json`): the ids (status, call type, channel,
    flag), `lang` the row's own language; the free texts as the sheet holds them, so that
    no format contradicts it: `action` (and `step.action`) the step's words in the log's
    language `lang`, as the Next action column writes them without its channel and marks
    (`channel` and `flag` say those), a row's own next step as written; the draft
    `message` in the row's language, as it goes to its person. A whole-day `due` is its
    date (`2026-11-23`, `timed` false), as the sheet's Due cell holds it, the whole day
    and not its first minute; one at a time of day, the ISO date-time. A step owed over
    a window keeps `due` its first day; `overdue_after`, its last, is what the table
    shows after it and what `days_overdue` counts from."""
    data = fu.as_dict()
    action = action_in(config, fu.step, fu.lang, lang)
    due = fu.due if fu.due is None or fu.timed else fu.due.date()
    return dict(data, due=due.isoformat() if due else None, action=action, step=dict(data["step"], action=action))


def _chase_row(config: Config, fu, lang: str) -> dict[str, Any]:
    due = due_text(fu)
    return {"row": fu.row, "status": status_label(config, fu.status, lang), "due": due,
            "who": fu.who, "action": next_action_text(config, fu, lang)}
