"""The values the engine works on and returns. No I/O here.

Every record keeps its sheet name and 1-based Excel row, so every problem, status,
reminder and summary can point back at the cell a person sees.
"""
from __future__ import annotations

import operator
import re
from dataclasses import MISSING, asdict, dataclass, field, fields
from datetime import date, datetime, time
from functools import lru_cache
from itertools import compress, count
from typing import Any, Iterable
from unicodedata import normalize

# Canonical ids (ARCHITECTURE.md). Users may add call types in their config.
CALL_TYPES = (
    "first_call",
    "interview",
    "repeat_call",
    "introductory_call",
    "report_sent",
    "interview_notice",
    "follow_up",
)

# Follow-up statuses, most urgent first.
STATUSES = ("overdue", "due_today", "upcoming", "no_next_action", "done")
# Those refresh writes with no Due beside them (the reader and refresh tell our columns by it).
UNDATED_STATUSES = ("no_next_action", "done")

# What happened on a call, as read from the log's Outcome column (labels per language
# come from config: defaults/lists.yaml).
OUTCOMES = (
    "planned",      # scheduled, not happened yet
    "done",         # happened, nothing special
    "replied",      # the contact answered / got back to us
    "no_answer",    # we tried, silence (starts or continues a chase)
    "confirmed",    # candidate confirmed attendance
    "attended",     # candidate came to the interview
    "no_show",      # candidate did not come
    "cancelled",    # cancelled (by the client or the candidate)
    "rescheduled",
    "rejected",     # the client's (or our) no
    "withdrawn",    # the candidate pulled out
    "hired",
    "ghosted",      # closed after the last chase step
    "closed",       # nothing more to do on this thread
)


MAX_COLUMNS = 16384   # a sheet's last column, XFD

# Hours below this, written with one digit and no half of the day, are small: a business
# call at 3:30 is almost surely at 15:30 (log.small_hour for the Time cells, phrases for
# the times in a reminder phrase).
SMALL_HOURS_END = 7


def column_number(letters: str) -> int:
    """Excel letters -> 1-based column ('A' -> 1, 'AA' -> 27)."""
    n = 0
    for ch in letters.upper():
        n = n * 26 + (ord(ch) - 64)
    return n


def cell_ref(ref: str) -> tuple[int, int]:
    """An A1 reference ('B12', '$B$12') -> (1-based column, row); ValueError otherwise."""
    m = _REF.match(ref.strip().upper())
    if not m or m.group(2).strip("0") == "":
        raise ValueError(ref)
    return column_number(m.group(1)), int(m.group(2))


_REF = re.compile(r"^\$?([A-Z]{1,3})\$?(\d+)$")


def column_letter(index: int) -> str:
    """0-based column index -> Excel letters (0 -> A, 26 -> AA)."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def row_runs(rows: Iterable[int]) -> list[list[int]]:
    """Runs of consecutive numbers of ascending `rows`, each [first, last]: 2, 3, 4, 8 ->
    [[2, 4], [8, 8]]."""
    runs: list[list[int]] = []
    for r in rows:
        if runs and r == runs[-1][1] + 1:
            runs[-1][1] = r
        else:
            runs.append([r, r])
    return runs


@dataclass(frozen=True)
class Problem:
    """Something in the input we could not read, or a required item that is missing.

    `column` is the Excel column letter ("" when the problem is about a whole row or
    the whole sheet); `row` is 1-based (0 when about the whole sheet or file).
    """

    sheet: str
    row: int
    column: str
    value: str
    message: str
    read: bool = False   # read all the same, but to look at (a date one may read the other way)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @property
    def cell(self) -> str:
        if self.column and self.row:
            return f"{self.sheet}!{self.column}{self.row}"
        if self.row:
            return f"{self.sheet}!{self.row}:{self.row}"
        return self.sheet


@dataclass(frozen=True)
class Person:
    """A candidate (or any named participant): `Name (ID)` in the log."""

    name: str
    ref: str = ""  # employee / candidate id, when written as "Name (ID)"

    def __str__(self) -> str:
        return f"{self.name} ({self.ref})" if self.ref else self.name


def same_person(a: str, b: str) -> bool:
    """Whether two names as written are one person's: the same words, or one the other's
    first words ("Anna" of "Anna Li", a Contact cell holding the first name of the
    candidate the Candidates cell names in full); case and spaces aside."""
    x, y = a.casefold().split(), b.casefold().split()
    if not x or not y:
        return False
    short, long = (x, y) if len(x) <= len(y) else (y, x)
    return long[:len(short)] == short


@dataclass
class CallRecord:
    """One row of the call log, read and normalised.

    `fields` holds every canonical text field that had a value in the row (keys are the
    canonical field names of defaults/columns.yaml), including those that also have a
    typed attribute here; `extra` holds the user's own columns by their header text, so
    nothing the user wrote is dropped. `columns` maps canonical field -> column letter,
    for pointing problems at cells.
    """

    sheet: str
    row: int
    id: str
    call_type: str | None = None  # canonical id, None when blank or unknown
    call_type_raw: str = ""
    date: date | None = None
    time: time | None = None
    contact: str = ""
    client: str = ""
    candidates: list[Person] = field(default_factory=list)
    position: str = ""
    channel: str = ""       # how this contact was made: phone, email, wechat, sms...
    source: str = ""        # where the candidate/client came from: linkedin, referral...
    stage: str = ""         # first_contact, interview, offer... (canonical when known)
    outcome: str = ""       # one of OUTCOMES when known, else ""
    next_contact: date | datetime | None = None
    next_contact_raw: str = ""  # e.g. "keep in touch by email"
    next_step: str = ""
    manager: str = ""
    email: str = ""
    phone: str = ""
    language: str = ""      # en, ru, zh, ja: from a Language column or guessed from the text
    notes: str = ""         # the comment on the call (free text, may hold "Key: value" lines)
    remind: str = ""        # the "whom to remind" column, in the consultant's words
    fields: dict[str, str] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)
    columns: dict[str, str] = field(default_factory=dict)

    @property
    def at(self) -> datetime | None:
        """When the call is/was: date and time; a date alone is the start of that day."""
        if self.date is None:
            return None
        return datetime.combine(self.date, self.time or time(0, 0))

    @property
    def has_time(self) -> bool:
        return self.time is not None

    @property
    def who(self) -> str:
        """The person this row is about, for lists: contact, else candidates, else client."""
        if self.contact:
            return self.contact
        if self.candidates:
            return ", ".join(str(p) for p in self.candidates)
        return self.client

    @property
    def thread(self) -> str:
        """Key that links rows about the same person: a later contact stops a chase.

        Of this row alone: in a log, `thread_keys` tells apart people of one name at two
        clients."""
        return _thread(self.contact, self, self.client)

    def field_text(self, name: str) -> str:
        """The text of canonical field `name` in this row ("" when blank): `fields[name]`,
        without building `fields` for a row the reader left it to (100 000 dicts)."""
        d = self.__dict__
        deferred = d.get("_deferred")
        if deferred is not None and "fields" not in d:
            source, index = deferred
            return source.field_text(name, index)
        return self.fields.get(name) or ""

    def __getstate__(self) -> dict[str, Any]:
        # A copy or a pickle holds every value, not the reader's columns behind them.
        d = self.__dict__
        if "_deferred" in d:
            d = {k: v for k, v in d.items() if k != "_deferred"} | {f.name: getattr(self, f.name) for f in fields(self)}
        return d


class _Deferred:
    """A CallRecord attribute the reader works out on first use.

    Reading a 100 000-row log must not build what a command never looks at: `check`
    needs no row's language, candidates or field texts. A record the reader builds
    holds `_deferred` = (source, index) in its __dict__ instead of the value, and
    source.<name>(index) gives it; the value is then kept in __dict__, which a
    non-data descriptor gives way to. Records made by __init__ hold every value.
    The source has one method per deferred attribute, named after it: index -> value.
    """

    def __init__(self, name: str):
        self.name = name

    def __get__(self, rec: Any, owner: Any = None) -> Any:
        if rec is None:
            return self
        d = rec.__dict__
        try:
            source, index = d["_deferred"]
        except (KeyError, TypeError):
            raise AttributeError(self.name) from None
        value = d[self.name] = getattr(source, self.name)(index)
        return value


class _Column:
    """A CallRecord attribute the reader's records take from its columns on first use.

    The reader parses the sheet column by column; copying every column into 100 000
    records' __dict__ up front was a quarter of the read, and most commands look at a
    few columns only, some of them on a few rows only. A record the reader builds
    holds `_deferred` = (source, index); source.value(...) gives the attribute and
    keeps it in the record's __dict__, which this non-data descriptor then gives way
    to; once many records have asked, it puts the whole column into every record at
    C speed. Records made by __init__ hold every value. On the class, the attribute
    reads as the field's default, as before.
    """

    def __init__(self, name: str, default: Any):
        self.name, self.default = name, default

    def __get__(self, rec: Any, owner: Any = None) -> Any:
        if rec is None:
            if self.default is MISSING:
                raise AttributeError(self.name)
            return self.default
        d = rec.__dict__
        try:
            source, index = d["_deferred"]
        except (KeyError, TypeError):
            if self.default is MISSING:
                raise AttributeError(self.name) from None
            return self.default
        return source.value(self.name, self.default, index, d)


DEFERRED = ("candidates", "language", "fields")
for _field in fields(CallRecord):
    if _field.name in DEFERRED:
        setattr(CallRecord, _field.name, _Deferred(_field.name))
    else:
        setattr(CallRecord, _field.name, _Column(_field.name, _field.default))


def _thread(contact: str, record: CallRecord, client: str) -> str:
    """CallRecord.thread."""
    return _thread_key(_who(contact, record, client))


def _who(contact: str, record: CallRecord, client: str) -> str:
    """Whom a row is about: the contact, else the first candidate's name, else the client."""
    return contact or (record.candidates[0].name if record.candidates else "") or client


@lru_cache(maxsize=1 << 16)   # the same few thousand people recur on 100 000 rows
def _thread_key(who: str) -> str:
    # NFKC: the full-width "Ａｎｎａ" of an East Asian keyboard is "Anna".
    return " ".join(normalize("NFKC", who).casefold().split())


def thread_keys(contacts: Iterable[str], records: list[CallRecord], clients: Iterable[str]) -> list[str]:
    """CallRecord.thread of each row of one log (`contacts` and `clients` are the rows'),
    a name written at two clients made two people: the rule is in defaults/followups.yaml,
    "How a row gets its status"."""
    names, clients = list(contacts), list(clients)
    for n in compress(count(), map(operator.not_, names)):
        names[n] = _who("", records[n], clients[n])
    # Worked out once per (name, client) written: a few thousand at 100 000 rows.
    key_of: dict[tuple[str, str], str] = {}
    place_of: dict[tuple[str, str], str] = {}
    places: dict[str, set[str]] = {}
    for pair in set(zip(names, clients)):
        key, place = _thread_key(pair[0]), _thread_key(pair[1])
        key_of[pair] = key
        if place not in ("", key):   # a row naming no one is keyed on its client
            place_of[pair] = place
            places.setdefault(key, set()).add(place)
    split = {key for key, where in places.items() if len(where) > 1}
    name_of: dict[str, str] = {}
    for pair, place in place_of.items():
        key = key_of[pair]
        if key in split:
            # No name holds a newline (_thread_key): "name\nclient" is no one's name.
            key_of[pair] = f"{key}\n{place}"
            name_of[key_of[pair]] = key
    out = list(map(key_of.__getitem__, zip(names, clients)))
    if split.isdisjoint(key_of.values()):
        return out
    # Rows of a split name with no client of their own: the client of the nearest row of
    # that name above, else below.
    above: dict[str, str] = {}
    waiting: dict[str, list[int]] = {}
    for n, key in enumerate(out):
        if key in split:
            if key in above:
                out[n] = above[key]
            else:
                waiting.setdefault(key, []).append(n)
        elif key in name_of:
            above[name_of[key]] = key
            for m in waiting.pop(name_of[key], ()):
                out[m] = key
    return out


@dataclass
class CallLog:
    """The records of one sheet, with what could not be read."""

    path: str
    sheet: str
    header_row: int                       # 1-based
    headers: list[str]                    # as written, one per column
    field_columns: dict[str, int]         # canonical field -> 0-based column index
    language: str                         # language of the headers: en, ru, zh, ja
    records: list[CallRecord] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    n_rows: int = 0                       # rows of the sheet (last used row)
    # The last call, or a row below it whose Status holds a label of ours (a call the user
    # cleared keeps what refresh wrote): refresh's to clear down to; a note the user typed
    # in our columns further down is theirs.
    written_to: int = 0
    # Of those, the rows below the last call (a deleted call's leftovers), top first:
    # refresh clears them and no other row under the log.
    written_below: tuple[int, ...] = ()
    date_order: str = ""                  # how its text dates were read: dmy, mdy ("": the config's)
    protected: bool = False               # the sheet is protected (files.Book.protected): not to write
    # The reader's columns behind the records (tracker.log._RowSource), for `column_as_read`.
    read_columns: Any = field(default=None, repr=False, compare=False)
    _threads: list[str] | None = field(default=None, init=False, repr=False, compare=False)

    def column_as_read(self, name: str) -> list[Any]:
        """Attribute `name` of every record, in order. While `records` is the reader's
        own list, copied from the reader's column, no record touched (13 ms less a
        column at 100 000 rows): a value set on a record since is then not seen (engines
        read a log, they do not change it). Else read from each record."""
        values = self.read_columns.column(name, self.records) if self.read_columns is not None else None
        return values if values is not None else [getattr(r, name) for r in self.records]

    def texts_as_read(self, name: str) -> list[str]:
        """`field_text(name)` of every record, in order: as `column_as_read`, from the
        reader's column while `records` is its own list, else record by record."""
        values = self.read_columns.text_column(name, self.records) if self.read_columns is not None else None
        return values if values is not None else [r.field_text(name) for r in self.records]

    def fingerprints(self, leave_out: frozenset[str] = frozenset()) -> list[bytes] | None:
        """A digest of each record's cells as read (tracker.log._RowSource.fingerprints),
        in order; None when `records` is no longer the reader's own list."""
        if not self._records_as_read():
            return None
        return self.read_columns.fingerprints(leave_out)

    def _records_as_read(self) -> bool:
        """Whether `records` is still the reader's own list (what it gives by column is theirs)."""
        source = self.read_columns
        return source is not None and source.column("row", self.records) is not None

    def threads_as_read(self) -> list[str]:
        """`thread_keys` of the records, from the contacts and clients as read
        (`column_as_read`). Worked out once while `records` is the reader's own list:
        refresh asks for them twice (follow-ups, statistics), 0.06 s each at 100 000 rows."""
        own = self._records_as_read()
        if not own or self._threads is None:
            threads = thread_keys(self.column_as_read("contact"), self.records, self.column_as_read("client"))
            if not own:
                return threads
            self._threads = threads
        return list(self._threads)


@dataclass(frozen=True)
class ReminderRule:
    """When, whom and how to remind of a planned call.

    Either `minutes_before` the call (15, 20, 60, 1440...), or a clock time `at_time` on
    the day `days_before` the call (days_before=1, at_time=10:00: the day before at 10:00;
    days_before=0, at_time=09:00: on the day at 09:00). `whom` is a role: client,
    candidates, hired_employee, team_lead, manager, contact; or `named` with `names`.
    `source` says where the rule came from: "call_type" (config) or "row" (the row's own
    reminders column, in the consultant's words); "row_role" (reminders.AT_ROLE_MOMENTS):
    the row's, naming a role's person with no time, at that role's default moments.
    """

    whom: str
    channel: str = ""                 # email, sms, phone, wechat, telegram, whatsapp; "" = default for whom
    minutes_before: int | None = None
    days_before: int = 0
    at_time: time | None = None
    names: tuple[str, ...] = ()
    source: str = "call_type"
