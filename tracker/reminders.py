"""Reminders of planned calls: who is reminded of which call, when, through which channel.

The rules per call type live in defaults/reminders.yaml (seed 002's "whom to remind"
column, seed 004's confirmation call the day before). A row's own "whom to remind" column
can replace them: the caller passes `row_rules`, which reads that column (another module
owns the phrase parser) and returns None when it cannot. One naming a person with their
role and no time ("Dana White (team lead)") fills that role only (`_roles_kept`).

Decisions worth knowing:
- Only calls still to happen are reminded of: a date, and an outcome that is blank or one
  of `reminders.active_outcomes` (planned, confirmed, rescheduled).
- A rescheduled call is reminded of at its new slot, the row's Next contact (a date alone
  makes it a whole-day call), never at its old date and time. Rescheduled with no Next
  contact it gets no reminder: the old slot will not happen and the new one is not known
  (the follow-ups ask for the next step instead). A moved call that another row logs
  again at its new slot (`logged_again`) has no reminders of its own: that row's are them.
  Nor has a call still booked that a row of its thread logs again (`logged_later`: the
  old row left Planned, the interview logged at its new date; the first call logged
  again at another time of its day, as nobody books one person two first calls a day, or
  on a later day, as the follow-ups settle the old row by it). A row marked Rescheduled
  with no new slot logs nothing again: the row below it booking the call on an earlier
  day is that call brought forward (followups.logged_below), and has its reminders.
- An interview notice row with no row of its interview beside it stands for that
  interview: it has the interview's reminders (`notice_rules`), as the follow-ups owe its
  call the day before. Beside the interview's row it has its own (none by default).
- An interview notice row is dated by the invitation call: what it reminds of is the
  interview, its Next contact ("call the candidate the day before" is the day before the
  interview, not before the invitation). It follows the interview row booked at that slot
  (`announced`): that row moved, the notice's calls are before the new slot; moved with
  no new slot yet, or called off, it has none (`as_announced`, `_not_called_off`).
- Minutes before a call are real minutes in the workbook's zone (`timezone`): on the night
  clocks go 02:00 -> 03:00, 15 minutes before 03:10 is 01:55, not a 02:55 the day does not
  have. A call time in the hour clocks repeat in autumn is read as its first occurrence.
- A call with a date but no time gets its day-before reminders (they need only the day)
  but not its minutes-before ones: "20 minutes before" an unknown time cannot be placed,
  and guessing a time would send a reminder at a wrong moment.
- A reminder must fall before the call: for a call with a time, strictly before it; for a
  whole-day call, before the end of that day.
- A reminder that fell due earlier on the window's first day, for a call that has not
  started by the window's start, is still listed, marked `late` (send it now: Boris's SMS
  20 minutes before 10:45, asked for at 10:30), when `reminders.send_late` is on. One of an
  earlier day is not: it is worded for that day ("tomorrow") and that day's list had it.
- "The day before" counts working days when `reminders.day_before` is `working`, so a
  Monday interview is confirmed on Friday.
- A call a later row calls off (`called_off`: cancelled, every candidate withdrawn) has
  no reminders. A moved call is called off by the rows before its new slot, not before
  its old date: the candidate who withdrew between the two does not come.
- A Repeat call is a second interview or a call to clarify details (seed 002). One that
  clarifies (`clarifies`: it names no candidates, nor does anything in it name a second
  interview) has no candidates to warn: its call type's reminders of the candidates go to whom the
  call is with, its contact, else its client, else its manager (SM), at the same times,
  on that person's channel, worded for a call. It is no round of an interview: it logs
  none again, nor does one log it again.
"""
from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from itertools import compress
from operator import attrgetter
from typing import Any

from .config import LANGUAGES, Config, _known_keys, normalize_word
from .errors import ConfigError
from .model import CallRecord, Person, ReminderRule
from .notes import parse_key_values
from .render import render

ROLES = ("client", "contact", "candidates", "hired_employee", "team_lead", "manager", "named")


@dataclass
class Reminder:
    """One reminder to send (or a call to make) at `at`, about the call at `call_at`."""

    at: datetime                 # naive, workbook time
    sheet: str
    call_row: int
    call_id: str
    call_type: str | None
    call_at: datetime            # the call; a whole-day call is at 00:00 with has_time False
    whom: str                    # role, see ROLES
    names: list[str]
    channel: str
    subject: str
    message: str
    source: str                  # "call_type" | "row"
    lang: str
    # How long before the call's start it fires, in real time when the call has a time (a
    # calendar alarm's trigger; `call_at - at` is wrong across a clock change).
    offset: timedelta
    manager: str = ""
    email: str = ""              # where to write, when the row knows the address
    has_time: bool = True
    # Fell due before the window's start, its call still ahead: to send now (`reminders`).
    late: bool = False
    # The rule that made it: to set it again at a moved slot (moved_reminder).
    rule: ReminderRule | None = field(default=None, repr=False, compare=False)

    def as_dict(self) -> dict[str, Any]:
        return {
            "at": self.at.isoformat(timespec="minutes"),
            "sheet": self.sheet,
            "call_row": self.call_row,
            "call_id": self.call_id,
            "call_type": self.call_type,
            "call_at": self.call_at.isoformat(timespec="minutes") if self.has_time else self.call_at.date().isoformat(),
            "whom": {"role": self.whom, "names": list(self.names)},
            "channel": self.channel,
            "subject": self.subject,
            "message": self.message,
            "source": self.source,
            "lang": self.lang,
            "manager": self.manager,
            "email": self.email,
            "late": self.late,
        }


# ---------------------------------------------------------------- rules

def parse_time(value: Any, where: str) -> time:
    # YAML 1.1 reads an unquoted 10:00 as the sexagesimal number 600.
    if isinstance(value, int) and not isinstance(value, bool):
        hours, minutes = divmod(value, 60)
        if 0 <= hours < 24:
            return time(hours, minutes)
    if isinstance(value, time):
        return value
    try:
        return time.fromisoformat(str(value).strip())
    except ValueError:
        raise ConfigError(f"`{where}` must be a clock time such as \"10:00\", not {value!r}") from None


# The keys of a rule (`at_time`: ReminderRule's own name for `at`).
RULE_KEYS = ("whom", "names", "channel", "minutes_before", "days_before", "at", "at_time")


def rule_from_spec(spec: Any, where: str = "reminders") -> ReminderRule:
    """A ReminderRule from its configuration mapping; ConfigError names the key when bad."""
    if not isinstance(spec, dict) or not spec.get("whom"):
        raise ConfigError(f"`{where}` must be a mapping with at least `whom` (e.g. {{whom: client, minutes_before: 15}}), not {spec!r}")
    for key in spec:
        if key not in RULE_KEYS:
            # A misspelt key (`chanel: phone`) would leave its setting to the default, unsaid.
            raise ConfigError(f"`{where}.{key}` is not a key of a reminder rule "
                              f"({_known_keys(str(key), dict.fromkeys(RULE_KEYS))})")
    whom = str(spec["whom"])
    minutes = spec.get("minutes_before")
    days = spec.get("days_before")
    at = spec.get("at", spec.get("at_time"))
    if minutes is not None and (not isinstance(minutes, int) or isinstance(minutes, bool) or minutes < 0):
        raise ConfigError(f"`{where}.minutes_before` must be a whole number of minutes, not {minutes!r}")
    if days is not None and (not isinstance(days, int) or isinstance(days, bool) or days < 0):
        raise ConfigError(f"`{where}.days_before` must be a whole number of days, not {days!r}")
    if minutes is None and days is None and at is None:
        raise ConfigError(f"`{where}` needs `minutes_before`, or `days_before` with `at`")
    if minutes is not None and (days is not None or at is not None):
        raise ConfigError(f"`{where}` has both `minutes_before` and `days_before`/`at`: keep one")
    names = spec.get("names") or ()
    if isinstance(names, str):
        names = (names,)
    return ReminderRule(
        whom=whom,
        channel=str(spec.get("channel") or ""),
        minutes_before=minutes,
        days_before=int(days or 0),
        at_time=parse_time(at, f"{where}.at") if at is not None else None,
        names=tuple(str(n) for n in names),
        source="call_type",
    )


def rules_for(record: CallRecord, config: Config) -> list[ReminderRule]:
    """The default reminder rules of the record's call type (none for an unknown type)."""
    if not record.call_type:
        return []
    specs = (config.section("reminders").get("call_types") or {}).get(record.call_type) or []
    if not isinstance(specs, list):
        raise ConfigError(f"`reminders.call_types.{record.call_type}` must be a list of rules")
    return [rule_from_spec(s, f"reminders.call_types.{record.call_type}[{i}]") for i, s in enumerate(specs)]


def default_channel(whom: str, config: Config, lang: str = "en") -> str:
    channel = str((config.section("reminders").get("channels") or {}).get(whom) or "email")
    if channel == "message":   # the messenger of the row's language
        by_lang = config.section("followups").get("message_channel") or {}
        channel = str(by_lang.get(lang) or by_lang.get("en") or "sms")
    return channel


RESCHEDULED = "rescheduled"
# A call on the calendar's last day (31.12.9999, typed for "never") has no reminder in any
# window a command takes (they end in 9998), and the day after it would overflow.
_LAST_DAY = date(9999, 12, 31)


def planned_call(record: CallRecord, config: Config) -> CallRecord | None:
    """The call as it now stands when it is still to happen, else None (see module doc).

    A rescheduled call comes back as a copy moved to its Next contact, so everything
    downstream (reminder times, messages, the calendar event) sees the new slot; the copy
    keeps sheet, row and id, and with them the calendar event's UID. So does an interview
    notice: the call it is about is the interview, at its Next contact, with the
    candidate, who is its Contact when no Candidates are written.
    """
    if record.outcome and record.outcome not in (config.section("reminders").get("active_outcomes") or []):
        return None
    notice = announces_interview(record, config)
    if record.outcome == RESCHEDULED or notice:
        new = record.next_contact
        if new is None:
            return None
        if notice and not record.candidates and record.contact:
            record = replace(record, candidates=[Person(record.contact)])
        if isinstance(new, datetime):
            new = config.local(new)
            return replace(record, date=new.date(), time=new.time())
        return replace(record, date=new, time=None)
    return record if record.date is not None else None


def announced(notices: Iterable[CallRecord], interviews: Iterable[CallRecord], config: Config
              ) -> dict[tuple[str, int], CallRecord]:
    """(sheet, row) of each interview notice of `notices` -> the row of `interviews` that
    books the interview it announces: an appointment (followups.confirm.types; not a call
    to clarify details) logged at the notice's Next contact, the interview's slot (its
    day, and its time when both have one), about one of the notice's people (its
    candidate: followups.row_people). The first such row.

    A notice is no call of its own but that interview's (seed 004: the notice and the call
    the day before are about the interview): where its row now stands, the notice
    follows (`as_announced`). This is the one place that says which interview a notice
    is of; the reminders, the calendar (exports.write_ics) and the follow-ups
    (followups._Engine._notices_of_logged_interviews, keyed by name and day for speed)
    go by it."""
    from .followups import row_people

    types = _appointment_types(config)
    by_day: dict[date, list[CallRecord]] = {}
    for r in interviews:
        if r.call_type in types and r.date is not None:
            by_day.setdefault(r.date, []).append(r)
    found: dict[tuple[str, int], CallRecord] = {}
    if not by_day:
        return found
    notice_types = _notice_types(config)
    for n in notices:
        slot = n.next_contact
        if slot is None or n.call_type not in notice_types:
            continue
        if isinstance(slot, datetime):
            slot = config.local(slot) if slot.tzinfo is not None else slot
            day, at = slot.date(), slot.time()
        else:
            day, at = slot, None
        if day not in by_day:   # (most notices: their interview was not moved nor called off)
            continue
        for r in by_day[day]:
            if (at is None or r.time is None or r.time == at) and row_people(n) & row_people(r) \
                    and not clarifies(r, config):
                found[(n.sheet, n.row)] = r
                break
    return found


def same_event(a: CallRecord, b: CallRecord) -> bool:
    """Whether a notice's call and an interview's are one event in the calendar: at one
    slot (the same moment; the same day when either has no time) with someone of one
    among the people of the other."""
    from .followups import row_people

    slot = a.at == b.at if a.has_time and b.has_time else a.date == b.date
    return slot and bool(row_people(a) & row_people(b))


def left_their_slot(records: Iterable[CallRecord], config: Config) -> list[CallRecord]:
    """The appointments (followups.confirm.types) whose own outcome takes them off the slot
    they were logged at: moved (followups.confirm.moved_outcomes), cancelled or withdrawn
    (`cancels_itself`). Few rows of a log: found at C speed over the outcomes. The
    interviews a notice may have to follow (`announced`, `as_announced`)."""
    types, leaves = _appointment_types(config), _leaving_outcomes(config)
    records = list(records)
    return [r for r in compress(records, map(leaves.__contains__, map(attrgetter("outcome"), records)))
            if r.call_type in types]


def _leaving_outcomes(config: Config) -> frozenset[str]:
    cancelled, withdrawn = _calling_off(config)
    return cancelled | withdrawn | _moved_outcomes(config)


def as_announced(notice: CallRecord, interview: CallRecord | None, config: Config) -> CallRecord | None:
    """The notice where the interview row it announces (`announced`) now stands: that row
    moved (followups.confirm.moved_outcomes), a copy whose Next contact is the new slot,
    so that the call the day before confirms the new slot; moved with no new slot yet, or
    called off by its own outcome (`cancels_itself`), None: there is nothing to confirm
    nor to remind of. Otherwise, or with no such row, the notice as it is. (A notice whose
    interview another row calls off is dropped with it: _not_called_off.)"""
    if interview is None:
        return notice
    if cancels_itself(config)(interview):
        return None
    if interview.outcome in _moved_outcomes(config):
        return replace(notice, next_contact=interview.next_contact) if interview.next_contact is not None else None
    return notice


def notice_rules(call: CallRecord, config: Config) -> list[ReminderRule]:
    """The rules of an interview notice that stands for its interview, no row of the log
    booking that slot (the consultant logged the invitation and not the interview): those
    of the call type it announces (`reminders.notice_announces`), as the follow-ups ask
    for its confirmation call. A notice beside its interview's row has its own call type's
    rules (none by default): the interview's are that row's, not to be sent twice."""
    kind = str(config.section("reminders").get("notice_announces") or "")
    return rules_for(replace(call, call_type=kind), config) if kind else []


def announces_interview(record: CallRecord, config: Config) -> bool:
    """Whether the row is an interview notice (`followups.confirm.notice_types`): dated by
    the invitation call, it announces the interview of its Next contact."""
    return record.call_type in _notice_types(config)


def clarifies(record: CallRecord, config: Config) -> bool:
    """Whether the row is a Repeat call to clarify details rather than a second interview
    (seed 002): it names no candidates, and neither its notes nor its call type as typed
    name a second interview (summaries.second_interview_named). A row naming candidates
    stays theirs: a planned second interview has no notes yet."""
    if record.call_type != "repeat_call" or record.candidates:
        return False
    from .summaries import second_interview_named

    return not second_interview_named(record, config)


def clarification_rules(rules: list[ReminderRule], record: CallRecord) -> list[ReminderRule]:
    """The call type's rules of a call that clarifies details (`clarifies`): those of the
    candidates it has none of go to whom the call is with, on that person's own channel;
    to nobody when the row names no one."""
    whom = "contact" if record.contact else "client" if record.client else "manager" if record.manager else ""
    return [replace(r, whom=whom, channel="") if r.whom == "candidates" else r
            for r in rules if whom or r.whom != "candidates"]


def _notice_types(config: Config) -> frozenset[str]:
    return frozenset((config.section("followups").get("confirm") or {}).get("notice_types") or ())


def is_planned(record: CallRecord, config: Config) -> bool:
    """A call still to happen (see planned_call)."""
    return planned_call(record, config) is not None


def _step_back(day: date, days: int, config: Config) -> date:
    if config.section("reminders").get("day_before", "working") != "working":
        return day - timedelta(days=days)
    # (0 days before: the call's own day, a day off or not.)
    return config.working_calendar.shift(day, -days) if days > 0 else day


def reminder_time(rule: ReminderRule, record: CallRecord, config: Config) -> datetime | None:
    """When the rule fires for this call; None when it cannot be placed (see module doc)."""
    if record.date is None:
        return None
    if rule.minutes_before is not None:
        if record.time is None:
            return None
        before = config.instant(datetime.combine(record.date, record.time)) - timedelta(minutes=rule.minutes_before)
        # The naive value keeps `fold`: which of autumn's two 02:50s it is.
        return config.local(before)
    at = rule.at_time or parse_time(config.section("reminders").get("day_before_time", "10:00"), "reminders.day_before_time")
    return datetime.combine(_step_back(record.date, rule.days_before, config), at)


def _real_offset(call_at: datetime, at: datetime, has_time: bool, config: Config) -> timedelta:
    if not has_time:
        # A whole-day event floats: its alarms are clock time counted from its midnight.
        return call_at - at
    # Aware datetimes of one zone subtract as clock readings; through UTC they do not.
    return config.instant(call_at) - config.instant(at)


# ---------------------------------------------------------------- what the row says

def record_values(record: CallRecord) -> dict[str, str]:
    """normalised key -> text from the row's notes ("Key: value"), own columns and fields.

    Notes come first: a consultant who writes "Address: ..." in the comment means it for
    this call, even when a column says something broader.
    """
    values: dict[str, str] = {}
    for key, value in parse_key_values(record.notes).items():
        if value:
            values.setdefault(key, value)
    # A canonical field with its own attribute (contact, client...) is read from that
    # attribute by whoever needs it: as a key it would answer for the wrong person (the
    # contact column holds the candidate on a notice row, not the contact person).
    own = [(k, v) for k, v in record.fields.items() if not hasattr(record, k)]
    for key, value in list(record.extra.items()) + own:
        text = "" if value is None else str(value).strip()
        k = normalize_word(key)
        if text and k:
            values.setdefault(k, text)
    return values


def find_item(values: dict[str, str], config: Config, section: str, item: str) -> str:
    """The value of `item` (an id of `section`: notice_keys, reminders.roles) in `values`."""
    spec = _words_section(config, section).get(item) or {}
    words = [item, *(v for k, v in spec.items() if k != "also"), *(spec.get("also") or [])]
    for w in words:
        got = values.get(normalize_word(str(w)))
        if got:
            return got
    return ""


def _words_section(config: Config, section: str) -> dict:
    data: Any = config.data
    for part in section.split("."):
        data = (data or {}).get(part) or {}
    return data


def role_label(config: Config, role: str, lang: str) -> str:
    spec = (config.section("reminders").get("roles") or {}).get(role) or {}
    return spec.get(lang) or spec.get("en") or role


def _split_names(text: str) -> list[str]:
    parts = [p.strip() for p in text.replace("，", ",").replace("、", ",").replace(";", ",").split(",")]
    return [p for p in parts if p]


def noted(role: str, record: CallRecord, config: Config) -> str:
    """What the row's "Key: value" notes (or own columns) give for `role`: seed 002's log
    has no Client, Contact or Candidates column, its comment says "Company Name:",
    "Contact Person:", "Candidates: Anna Li (E1)". Asked only when the column is blank."""
    if not record.notes and not record.extra:
        return ""
    values = record_values(record)
    found = find_item(values, config, "reminders.roles", role)
    if not found and role == "client":
        found = find_item(values, config, "notice_keys", "company_name")
    return found


def noted_people(record: CallRecord, config: Config) -> list[Person]:
    """The candidates of the Candidates column, else of the notes ("Candidates: ...")."""
    if record.candidates:
        return list(record.candidates)
    found = noted("candidates", record, config)
    if not found:
        return []
    from .log import parse_candidates

    return [p for p in parse_candidates(found) if p.name]


def noted_candidates(record: CallRecord, config: Config) -> list[str]:
    return [p.name for p in noted_people(record, config)]


_INTRODUCED = ("hired_employee", "team_lead")
# The source of a row's rule naming a person with their role and no time ("Dana White
# (team lead)"): at that role's default moments (phrases._role_defaults). It fills that
# role of the call: the call type's other roles keep their reminders (`_roles_kept`).
AT_ROLE_MOMENTS = "row_role"


def _as_roles(rules: list[ReminderRule], call: CallRecord, config: Config) -> list[ReminderRule]:
    """The row's own reminders naming the introductory call's hired employee or team lead
    ("Chris Wu and the team lead 20 min before", Chris Wu in Candidates): that role's
    reminders, by its channel and message, still greeting them by name. (A candidate
    named stays `named`: the message names the interview either way.)"""
    roles = None
    out = []
    for rule in rules:
        if rule.whom == "named" and rule.names:
            if roles is None:
                roles = {r.whom: {normalize_word(n) for n in names_for(r.whom, call, config)}
                         for r in rules_for(call, config) if r.whom in _INTRODUCED}
            wanted = {normalize_word(n) for n in rule.names}
            role = next((role for role, names in roles.items() if wanted <= names), None)
            if role is not None:
                rule = replace(rule, whom=role)
        out.append(rule)
    return out


def _roles_kept(rules: list[ReminderRule], call: CallRecord, config: Config) -> list[ReminderRule]:
    """The row's own rules, and the call type's of the roles they leave unnamed, when the
    row names people with their role and no time (`AT_ROLE_MOMENTS`), each a role of the
    call type: "Dana White (team lead)" on an introductory call names its team lead, and
    the hired employee is still warned the day before and 20 min before (seed 002). A
    time of its own ("Dana White (team lead) 1 hour before"), a name with no role, or a
    role the call type does not remind (a team lead named on an interview): the row's
    rules alone, as written."""
    filled = {r.whom for r in rules if r.source == AT_ROLE_MOMENTS}
    if not filled:
        return rules
    defaults = rules_for(call, config)
    if not filled <= {d.whom for d in defaults}:
        return rules
    named = {r.whom for r in rules}
    return rules + [d for d in defaults if d.whom not in named]


def names_for(role: str, record: CallRecord, config: Config, rule: ReminderRule | None = None) -> list[str]:
    """Who exactly plays `role` on this call, as far as the row tells: its columns first,
    then its notes (`noted`)."""
    if rule is not None and rule.names:
        return list(rule.names)
    if role == "candidates":
        return noted_candidates(record, config) or ([record.contact] if _contact_interviewed(record) else [])
    if role == "client":
        # The person of the client greeted, else the company; the columns first.
        found = record.contact or record.client or noted("contact", record, config) or noted("client", record, config)
        return [found] if found else []
    if role == "contact":
        found = record.contact or noted("contact", record, config)
        return [found] if found else []
    if role == "manager":
        return [record.manager] if record.manager else []
    if role in ("hired_employee", "team_lead"):
        found = find_item(record_values(record), config, "reminders.roles", role)
        if found:
            return _split_names(found)
        # On an introductory call the candidates column holds the one who was hired.
        if role == "hired_employee":
            return [p.name for p in record.candidates]
    return []


def record_lang(record: CallRecord, config: Config) -> str:
    return record.language if record.language in LANGUAGES else config.language


def call_context(record: CallRecord, config: Config, lang: str) -> dict[str, Any]:
    """What the templates know about a call."""
    values = record_values(record)
    clarification = clarifies(record, config)
    label = (render(config, "reminders/clarification", lang, "txt") if clarification
             else config.call_type_label(record.call_type, lang) or record.call_type_raw)
    return {
        "language": lang,
        "call_type": record.call_type or "",
        "call_type_label": label,
        # What a reminder's subject says it is of: a notice's reminders are of the interview
        # it announces ("Confirm attendance: Interview with Acme"), the calendar keeps the
        # notice's own title (an event of its own when no interview row books that slot).
        "appointment_label": (config.call_type_label("interview", lang)
                              if announces_interview(record, config) else label),
        "clarification": clarification,
        "call_at": record.at,
        "has_time": record.has_time,
        "client": record.client or noted("client", record, config),
        "contact": record.contact or noted("contact", record, config),
        "position": record.position,
        "candidates": noted_candidates(record, config),
        "manager": record.manager,
        "link": find_item(values, config, "notice_keys", "meeting_link"),
        "address": find_item(values, config, "notice_keys", "address"),
        "sheet": record.sheet,
        "row": record.row,
        "id": record.id,
    }


def message_kind(channel: str) -> str:
    """Template of the message: an e-mail, a short message, or a call script."""
    if channel == "email":
        return "email"
    if channel == "phone":
        return "call"
    return "short"


def email_for(role: str, record: CallRecord) -> str:
    # The row's e-mail is its contact's; for one candidate with no separate contact (or
    # the contact being that candidate) it is theirs.
    if role in ("client", "contact"):
        return record.email
    if (role in ("candidates", "hired_employee") and len(record.candidates) == 1
            and (not record.contact or contact_is_candidate(record))):
        return record.email
    if role == "candidates" and not record.candidates and _contact_interviewed(record):
        return record.email   # the contact is the candidate (names_for)
    return ""


def _contact_interviewed(record: CallRecord) -> bool:
    """Whether a row naming no candidates is with its contact as the candidate: its
    comment names the contact ("Second interview with Jack Wilson: ..."). Not just any
    contact: on an interview whose candidates are not written yet, the Contact column
    holds the client's person, who must not get the candidate's reminders; those stay
    without a name, for the consultant to see."""
    if record.candidates or not record.contact:
        return False
    return normalize_word(record.contact) in normalize_word(str(record.notes or ""))


def contact_is_candidate(record: CallRecord) -> bool:
    """Whether the row's contact is one of its candidates: the How to use sheet lets the
    Contact column hold the client's person or the candidate the call was with, by a
    first name ("Anna" of "Anna Li (E12)") too."""
    if not record.contact:
        return False
    from .followups import is_candidate

    return is_candidate(record.contact, [p.name for p in record.candidates if p.name])


def build_reminder(
    record: CallRecord, rule: ReminderRule, at: datetime, config: Config, source: str, names: list[str] | None = None
) -> Reminder:
    lang = record_lang(record, config)
    channel = rule.channel or default_channel(rule.whom, config, lang)
    if names is None:
        names = names_for(rule.whom, record, config, rule)
    ctx = call_context(record, config, lang)
    ctx.update(
        whom=rule.whom,
        role_label=role_label(config, rule.whom, lang),
        names=names,
        channel=channel,
        channel_label=config.list_label("channel", channel, lang),
        minutes_before=rule.minutes_before,
        day_before=rule.minutes_before is None,
        remind_at=at,
        same_day=at.date() == record.date,
    )
    subject = render(config, "reminders/subject", lang, "txt", **ctx)
    message = render(config, f"reminders/{message_kind(channel)}", lang, "txt", **ctx)
    return Reminder(
        at=at,
        sheet=record.sheet,
        call_row=record.row,
        call_id=record.id,
        call_type=record.call_type,
        call_at=record.at,
        whom=rule.whom,
        names=names,
        channel=channel,
        subject=subject,
        message=message,
        source=source,
        lang=lang,
        offset=_real_offset(record.at, at, record.has_time, config),
        manager=record.manager,
        email=email_for(rule.whom, record),
        has_time=record.has_time,
        rule=rule,
    )


def moved_reminder(reminder: Reminder, call: CallRecord, config: Config) -> Reminder | None:
    """`reminder` set again by the rule that made it for `call`, the same call at another
    slot (an interview notice following its interview moved: exports); None when it
    cannot be placed there, or would not ring before the call."""
    if reminder.rule is None:
        return None
    at = reminder_time(reminder.rule, call, config)
    if at is None or at >= (call.at if call.has_time else datetime.combine(call.date + timedelta(days=1), time(0, 0))):
        return None
    return build_reminder(call, reminder.rule, at, config, reminder.source, reminder.names)


def reminders(
    records: Iterable[CallRecord],
    config: Config,
    start: datetime,
    end: datetime,
    *,
    row_rules: Callable[[CallRecord], list[ReminderRule] | None] | None = None,
    untimed: list[CallRecord] | None = None,
) -> list[Reminder]:
    """Reminders that fire in [start, end), earliest first.

    `row_rules(record)` returning a list (even an empty one: "remind nobody") replaces the
    call type's rules for that row, but those of the roles a person named with their role
    and no time leaves unnamed (`_roles_kept`); returning None keeps the defaults.
    `untimed` is given the calls of the window's days that have no time, so that a
    reminder set minutes before them cannot be placed (the client's e-mail 15 minutes
    before a first call), and the calls marked planned (an outcome of `active_outcomes`)
    that have a time but no date, so that nothing can be placed.
    """
    start, end = config.local(start), config.local(end)
    # The window as real instants: one given in UTC across autumn's repeated hour starts
    # and ends at the same clock reading, 02:00 and 02:00.
    first, last = config.instant(start), config.instant(end)
    # A reminder due since the first day's midnight may still be sent late (see module doc).
    first_day = start.date()
    since = config.instant(datetime.combine(first_day, time(0, 0))) \
        if config.section("reminders").get("send_late") else first
    per_person = set(config.section("reminders").get("per_person_channels") or [])
    out: list[Reminder] = []
    made: dict[int, tuple[CallRecord, ReminderRule, str]] = {}   # id(a candidates' reminder) -> what built it
    notice_types = _notice_types(config)
    active = frozenset(config.section("reminders").get("active_outcomes") or ()) - {""}
    records = list(records)   # read twice: the reminders, then the rows calling calls off
    ahead: list[CallRecord] = []   # the rows dated from the window's first day: those that may log a moved call again
    booked: list[CallRecord] = []   # the calls reminded of (planned_call's copies), that a later row may log again
    notices: list[CallRecord] = []   # the interview notices of `ahead`, as logged
    leaving: list[CallRecord] = []   # the rows of `ahead` that may take their interview off its slot (left_their_slot)
    leaves = _leaving_outcomes(config)
    for record in records:
        # A reminder fires before its call and not before `start`: a call on an earlier
        # day has none left (most of a year-old log), unless it was moved to a later one
        # or announces one.
        if (record.date is None or record.date < first_day) and record.outcome != RESCHEDULED \
                and record.call_type not in notice_types:
            if record.date is None and untimed is not None and record.outcome in active and record.time is not None:
                untimed.append(record)
            continue
        ahead.append(record)
        if record.call_type in notice_types:
            notices.append(record)
        elif record.outcome in leaves:
            leaving.append(record)
    # A notice follows its interview row moved or called off (`as_announced`): a row of
    # `ahead`, as it is dated at the notice's slot from the window's first day on, or moved.
    heads = announced(notices, leaving, config) if leaving and notices else {}
    # A notice no interview row books the slot of stands for its interview (`alone`).
    alone = {(n.sheet, n.row) for n in notices} - set(announced(notices, ahead, config)) if notices else set()
    for record in ahead:
        if heads and record.call_type in notice_types \
                and (record := as_announced(record, heads.get((record.sheet, record.row)), config)) is None:
            continue
        call = planned_call(record, config)
        if call is None or call.date < first_day or call.date >= _LAST_DAY:
            continue
        booked.append(call)
        rules = row_rules(record) if row_rules is not None else None
        source = "row"
        if rules is not None:
            rules = _roles_kept(_as_roles(rules, call, config), call, config)
        else:
            rules, source = rules_for(call, config), "call_type"
            if not rules and (record.sheet, record.row) in alone:
                rules = notice_rules(call, config)
            if clarifies(call, config):
                rules = clarification_rules(rules, call)
        # A whole-day call has no known start, so anything up to the end of its day is before it.
        deadline = call.at if call.has_time else datetime.combine(call.date + timedelta(days=1), time(0, 0))
        # Before the call in real time: a call typed at a clock time the spring change
        # skips (02:30) happens at 03:30, and its reminder 15 minutes before is at 03:15.
        real_deadline = config.instant(deadline) if call.has_time else None
        # Started by the window's start: nothing of it is late, all of it is over.
        started = (real_deadline if real_deadline is not None else config.instant(deadline)) <= first
        # A notice's reminders come after it was sent: the day before a Monday interview is
        # Friday, before a notice sent on Saturday (the candidate has just been told).
        sent = (config.instant(datetime.combine(record.date, record.time or time(0, 0)))
                if record.call_type in notice_types and record.date is not None else None)
        seen: set[tuple] = set()
        for rule in rules:
            at = reminder_time(rule, call, config)
            if at is None and untimed is not None and rule.minutes_before is not None and call.date <= end.date() \
                    and (not untimed or untimed[-1].row != record.row):
                # A moved call, or a notice's interview, is dated by its Next contact: the
                # day said and the cell to write the time in are that one's.
                nxt = record.columns.get("next_contact", "")
                untimed.append(record if call is record else replace(call, columns={**call.columns, "date": nxt,
                                                                                    "time": nxt}))
            if at is None:
                continue
            real = config.instant(at)
            if not (since <= real < last) or (real >= real_deadline if real_deadline is not None else at >= deadline) \
                    or (sent is not None and real < sent) or (real < first and started):
                continue
            key = (at, rule.whom, rule.channel or default_channel(rule.whom, config, record_lang(call, config)),
                   rule.names)
            if key in seen:
                continue
            seen.add(key)
            names = names_for(rule.whom, call, config, rule)
            # A role the row's own words leave to the call type (`_roles_kept`) says so.
            made_by = "call_type" if rule.source == "call_type" else source
            if key[2] in per_person and len(names) > 1:
                # A call is made to one person at a time: one task per candidate.
                built = [build_reminder(call, rule, at, config, made_by, [n]) for n in names]
            else:
                built = [build_reminder(call, rule, at, config, made_by, names)]
            if real < first:
                for r in built:
                    r.late = True
            out.extend(built)
            if rule.whom == "candidates":
                made.update((id(r), (call, rule, made_by)) for r in built)
    if out and booked:
        again = logged_elsewhere(booked, ahead, config)
        if again:
            out = [r for r in out if (r.sheet, r.call_row) not in again]
            out = _named_as_booked(out, again, booked, made, config, per_person)
    if out:
        out = _not_called_off(out, records, config, first_day, made, notices)
    out.sort(key=lambda r: (r.at, r.sheet, r.call_row, ROLES.index(r.whom) if r.whom in ROLES else len(ROLES)))
    return out


def _named_as_booked(out: list[Reminder], again: dict[tuple[str, int], CallRecord], booked: list[CallRecord],
                     made: dict[int, tuple[CallRecord, ReminderRule, str]], config: Config,
                     per_person: set[str]) -> list[Reminder]:
    """`out` with the candidates' reminders of a row naming none that logs a booked call
    again (`again`: logged_elsewhere) naming the candidates of that booking: the interview
    moved, its new row written without them, is still theirs, as the follow-ups' call the
    day before greets them (followups.addressee). `made`: what built each candidates'
    reminder, the new ones added."""
    calls = {(c.sheet, c.row): c for c in booked}
    carried = {(by.sheet, by.row): calls[key].candidates for key, by in again.items()
               if not by.candidates and key in calls and calls[key].candidates}
    if not carried:
        return out
    kept: list[Reminder] = []
    for r in out:
        people = carried.get((r.sheet, r.call_row))
        if people is None or r.names or id(r) not in made:
            kept.append(r)
            continue
        call, rule, source = made[id(r)]
        call = replace(call, candidates=people)
        names = names_for(rule.whom, call, config, rule)
        # One task per candidate on a channel that reaches one person at a time, as `reminders` makes them.
        built = [build_reminder(call, rule, r.at, config, source, [n]) for n in names] \
            if r.channel in per_person and len(names) > 1 else [build_reminder(call, rule, r.at, config, source, names)]
        made.update((id(x), (call, rule, source)) for x in built)
        kept.extend(built)
    return kept


# The column a role's name is written in, for a reminder that names nobody (nobody_lines);
# the others are told as a "Team lead: name" line of the comment (names_for reads it there).
_NAMED_IN = {"candidates": "candidates", "hired_employee": "candidates", "client": "client", "contact": "contact",
             "manager": "manager"}


def late_lines(reminders: Iterable[Reminder], config: Config, lang: str) -> list[str]:
    """One line per reminder listed late (`Reminder.late`: due before the window's start,
    its call still ahead): the listing's row says when it was due, which reads as done
    already, and only JSON has the flag. In `lang`, the listing's language, in its order."""
    return [render(config, "reminders/late", lang, "txt", sheet=r.sheet, row=r.call_row, at=r.at,
                   role=role_label(config, r.whom, lang), names=r.names, channel=r.channel,
                   channel_label=config.list_label("channel", r.channel, lang))
            for r in reminders if r.late]


def nobody_lines(reminders: Iterable[Reminder], config: Config, lang: str) -> list[str]:
    """One line per call and role whose reminders name nobody (an introductory call whose
    team lead is not written, an interview whose candidates are not chosen yet): listed
    as "team lead" alone, they would greet no one, and nothing else says why. In `lang`,
    the listing's language; a call's roles in the order the listing has them."""
    seen: dict[tuple[str, int], list[str]] = {}
    for r in reminders:
        if not r.names and r.whom not in seen.setdefault((r.sheet, r.call_row), []):
            seen[(r.sheet, r.call_row)].append(r.whom)
    return [render(config, "reminders/nobody", lang, "txt", sheet=sheet, row=row, role=role_label(config, whom, lang),
                   column=config.header(_NAMED_IN[whom], lang) if whom in _NAMED_IN else "",
                   comment=config.header("notes", lang))
            for (sheet, row), roles in sorted(seen.items()) for whom in roles]


def logged_elsewhere(calls: list[CallRecord], rows: Iterable[CallRecord], config: Config
                     ) -> dict[tuple[str, int], CallRecord]:
    """(sheet, row) of each of `calls` (planned_call's copies) that another of `rows` logs
    again -> that row: a moved one at its new slot (`logged_again`), one left booked on a
    later day (`logged_later`). Its reminders and its event are that row's."""
    rows = list(rows)
    return {**logged_again([c for c in calls if c.outcome == RESCHEDULED], rows, config),
            **logged_later(calls, rows, config)}


def logged_again(moved: Iterable[CallRecord], rows: Iterable[CallRecord], config: Config
                 ) -> dict[tuple[str, int], CallRecord]:
    """(sheet, row) of each of the moved calls (`moved`: planned_call's copies, at their
    new slot; any call type but a notice, which follows its interview: `announced`) that
    another of `rows` logs again -> the first such row: dated at that slot (its day, and its time when
    both have one), of the same call type and thread at its client (followups.same_client),
    with a candidate of theirs or one side naming none, and naming no later round
    (followups.same_appointment). Consultants mark the old row Rescheduled and add a row for the new slot: that row is the call's
    (its reminders, its event), and the moved one's are the same calls twice (the client's
    e-mail before a first call sent twice).

    The rule is the follow-ups' (followups.same_appointment: they owe the earlier row no
    confirmation call), narrower on purpose: at the slot's day and time only, as two
    interviews of one candidate the same day at 14:00 and 16:00 are two rounds (seed 003),
    and one on another day may be the next round. A call to clarify details (`clarifies`)
    is no round: it neither moves one nor is moved by one.
    """
    from .followups import same_client, candidate_names, same_appointment

    notices = _notice_types(config)
    moved = [m for m in moved if m.call_type and m.call_type not in notices and not clarifies(m, config)]
    if not moved:
        return {}
    days = {m.date for m in moved}
    by_day: dict[date, list[CallRecord]] = {}
    for r in rows:
        if r.date in days and r.call_type and r.call_type not in notices:
            by_day.setdefault(r.date, []).append(r)
    again: dict[tuple[str, int], CallRecord] = {}
    for m in moved:
        names = candidate_names(m)
        for r in by_day.get(m.date, ()):
            if (r.sheet, r.row) == (m.sheet, m.row) or r.thread != m.thread or not same_client(m.client, r.client):
                continue
            if m.time is not None and r.time is not None and r.time != m.time:
                continue
            if same_appointment(m, r, config, names) and not clarifies(r, config):
                again[(m.sheet, m.row)] = r
                break
    return again


def logged_later(calls: Iterable[CallRecord], rows: Iterable[CallRecord], config: Config,
                 unslotted: Collection[tuple[str, int]] = ()) -> dict[tuple[str, int], CallRecord]:
    """(sheet, row) of each call of `calls` left as booked (planned_call's copies; not one
    itself moved) -> the row logging it again at a later slot: of its call type and
    thread, at its client (followups.same_client: a name the log writes at two clients is
    two people, as the follow-ups' threads have it), with a candidate of theirs or one side
    naming none, and naming no later round
    ("Final interview"), as followups.same_appointment has it. Consultants leave the old
    row Planned and log the call at its new slot on a new row: the follow-ups settle the
    old row by it (_booked_before), and its reminders and event would be a slot that will
    not happen.

    An appointment (followups.confirm.types) by the row of `rows` at a slot on a later day
    (the nearest), placed at its Next contact when moved (followups.at_slot; the new row
    marked Rescheduled with the new slot). Not on the same day: two rounds of one
    candidate at 14:00 and 16:00 are two (seed 003), and a row logs one of them again,
    not both (followups.logs_round); a second round of another call type (Repeat call) is
    another call, and so is a call to clarify details (`clarifies`) on either side. A row
    marked moved says its own slot, kept up to date: it is left to `logged_again`.

    Any other call (a first call: nobody books one person two of them a day) by another
    of `calls` booked after it that day, as the follow-ups order a day
    (followups.later_that_day); else, of a call type booked once per contact
    (reminders.booked_once: a weekly follow-up booked twice ahead is two calls), by the
    row of `rows` still booked (`is_planned`) on a later day (the nearest), the same call by the follow-ups' rule (same_appointment:
    a first call for another position is another call): the first call booked again for
    next week, the old row left Planned, is settled by it in the follow-ups
    (_booked_before), and its client's e-mail would be for a call that will not happen.

    A row marked moved with no new slot is settled by the row below it dated before it
    that books it again (followups.logged_below: brought forward), and settles none of
    those. `unslotted`: (sheet, row) of the calls and rows that are such rows written as
    booked at their old slot (exports._unslotted)."""
    from .followups import (same_client, at_slot, below_before, candidate_names, later_that_day, logged_below,
                            logs_round, same_appointment)

    def forward(x: CallRecord, r: CallRecord) -> bool:   # x brings r's call forward
        return logged_below(x, r, moved) or (r.sheet, r.row) in unslotted and below_before(x, r)

    types, notices = _appointment_types(config), _notice_types(config)
    moved = _moved_outcomes(config)
    calls = [c for c in calls if c.call_type and c.call_type not in notices and c.date is not None
             and c.outcome not in moved and not clarifies(c, config)]
    found: dict[tuple[str, int], CallRecord] = {}
    if not calls:
        return found
    # Any other call, by its call type, thread and day: the calls of one day that may log it again.
    of_day: dict[tuple, list[CallRecord]] = {}
    for c in calls:
        if c.call_type not in types:
            of_day.setdefault((c.call_type, c.thread, c.date), []).append(c)
    if of_day:
        scheduled = frozenset(config.section("followups").get("scheduled_outcomes") or ())
        for day_calls in of_day.values():
            for c in day_calls if len(day_calls) > 1 else ():
                by = next((r for r in day_calls if r is not c and later_that_day(c, r, scheduled)
                           and same_client(c.client, r.client) and same_appointment(c, r, config)), None)
                if by is not None:
                    found[(c.sheet, c.row)] = by
    once = frozenset(config.section("reminders").get("booked_once") or ())
    others = [c for c in calls if c.call_type in once and c.call_type not in types and (c.sheet, c.row) not in found]
    calls = [c for c in calls if c.call_type in types]
    if not calls and not others:
        return found
    rows = list(rows)   # read twice: the later slots, then the other rounds of a day (logs_round)
    after = min(c.date for c in (*calls, *others))
    # A row logged below one marked moved with no slot, dated before it (`forward`), is
    # the newer booking, the call brought forward: below the highest of them, before the latest.
    brought = [c for c in calls if (c.sheet, c.row) in unslotted]
    top, highest = max((c.date for c in brought), default=date.min), {}
    for c in brought:
        highest[c.sheet] = min(highest.get(c.sheet, c.row), c.row)
    keys = {(c.call_type, c.thread) for c in (*calls, *others)}
    later: dict[tuple, list[tuple[date, CallRecord]]] = {}
    for r in rows:
        # The date first: most of a long log is before `after`.
        if (day := r.date) is not None and (day > after or day < top and r.row > highest.get(r.sheet, r.row)) \
                or r.outcome in moved and r.call_type in types:
            # An appointment at its slot (a moved one at its new one); any other call at its own day.
            if r.call_type in types:
                day = at_slot(r, moved).date
            if day is not None and (key := (r.call_type, r.thread)) in keys:
                later.setdefault(key, []).append((day, r))
    for c in others:
        # A row marked moved books the call at its new slot (`logged_again`), not again on
        # its own day: the old first call marked Rescheduled for an earlier day, taken so,
        # dropped the new row's reminders (and its own copy went as the new row's: none).
        by = min(((day, r) for day, r in later.get((c.call_type, c.thread), ())
                  if day > c.date and r.outcome not in moved and not forward(c, r)
                  and same_client(c.client, r.client) and is_planned(r, config)
                  and same_appointment(c, r, config) and not clarifies(r, config)),
                 key=lambda x: (x[0], x[1].sheet, x[1].row), default=None)
        if by is not None:
            found[(c.sheet, c.row)] = by[1]
    for c in calls:
        names = candidate_names(c)
        by = min(((day, r) for day, r in later.get((c.call_type, c.thread), ())
                  if (day > c.date and not forward(c, r) or forward(r, c) and is_planned(r, config))
                  and (r.sheet, r.row) != (c.sheet, c.row) and same_client(c.client, r.client)
                  and same_appointment(c, r, config, names) and not clarifies(r, config)),
                 key=lambda x: (x[0], x[1].sheet, x[1].row), default=None)
        # The rounds of its day (followups.two_rounds): rows of that day of its thread, still booked.
        if by is not None and logs_round(c, by[1], (r for r in rows if r.date == c.date and r.thread == c.thread
                                                    and r.outcome not in moved and is_planned(r, config)
                                                    and not clarifies(r, config)), config, moved):
            found[(c.sheet, c.row)] = by[1]
    return found


def _calling_off(config: Config) -> tuple[frozenset[str], frozenset[str]]:
    """The outcomes of a row that calls a call off (followups.calls_off): cancelled, withdrawn."""
    section = config.section("followups")

    def ids(value) -> frozenset[str]:
        return frozenset(value or ()) - {""}

    return (ids((section.get("reason") or {}).get("outcomes")),
            ids((section.get("confirm") or {}).get("withdrawn_outcomes")))


def _appointment_types(config: Config) -> frozenset[str]:
    return frozenset((config.section("followups").get("confirm") or {}).get("types") or ())


def _moved_outcomes(config: Config) -> frozenset[str]:
    """The outcomes of an appointment moved to its Next contact (followups.confirm.moved_outcomes)."""
    return frozenset((config.section("followups").get("confirm") or {}).get("moved_outcomes") or ()) - {""}


def _calling_off_rows(records: Iterable[CallRecord], config: Config, first_day: date
                      ) -> tuple[list[CallRecord], list[CallRecord], frozenset[str], frozenset[str]]:
    """The rows from two weeks before `first_day` (a reminder's window, or a calendar's,
    from that day) that may call a call off, the appointments they may call off (one
    moved, by where it now stands: first booked a month ago, moved into the window, it
    is there), and the outcomes that do: cancelled, withdrawn."""
    from .followups import at_slot

    cancelled, withdrawn = _calling_off(config)
    cancelling = cancelled | withdrawn
    types = _appointment_types(config)
    moved = _moved_outcomes(config)
    lookback = first_day - timedelta(days=14)
    records = list(records)
    recent = [r for r in records if r.date is not None and r.date >= lookback]
    cancels = [r for r in recent if r.outcome in cancelling]
    if not cancels:
        return cancels, [], cancelled, withdrawn
    appointments = [r for r in recent if r.outcome not in cancelling and r.call_type in types]
    # Found at C speed over the outcomes: few rows of a log are moved.
    appointments += [r for r in compress(records, map(moved.__contains__, map(attrgetter("outcome"), records)))
                     if (r.date is None or r.date < lookback) and r.call_type in types
                     and (day := at_slot(r, moved).date) is not None and day >= lookback]
    return cancels, appointments, cancelled, withdrawn


@dataclass(frozen=True)
class CalledOff:
    """What later rows call off: `calls`, (appointment, the row calling it off) for each
    call that will not happen (followups.called_off_by: the second round cancelled the day
    before, logged below its booking; every candidate pulled out); and `gone`, (sheet, row)
    -> the candidates (as names compare) who pulled out of an appointment the others
    still come to (followups.withdrawals)."""

    calls: list[tuple[CallRecord, CallRecord]]
    gone: dict[tuple[str, int], frozenset[str]]

    def keys(self) -> set[tuple[str, int]]:
        return {(a.sheet, a.row) for a, _ in self.calls}


def called_off(records: Iterable[CallRecord], config: Config, first_day: date) -> CalledOff:
    """CalledOff among the rows of `_calling_off_rows`: a reminder's window, or a
    calendar's, from `first_day`."""
    from .followups import called_off_by, withdrawals

    cancels, appointments, cancelled, withdrawn = _calling_off_rows(records, config, first_day)
    if not cancels:
        return CalledOff([], {})
    moved = _moved_outcomes(config)
    # A follow-up row cancelling the round (seed 003's call logged as a Follow-up), as the follow-ups read it.
    called = called_off_by(cancels, appointments, cancelled, withdrawn, moved=moved,
                           asides=frozenset(config.section("followups").get("chase_types") or ()))
    partly = withdrawals(cancels, appointments, withdrawn, moved=moved)
    return CalledOff([(a, called[id(a)]) for a in appointments if id(a) in called],
                     {(a.sheet, a.row): partly[id(a)][0] for a in appointments if id(a) in partly and id(a) not in called})


def without(record: CallRecord, gone: frozenset[str]) -> CallRecord:
    """The row without the candidates who pulled out (`CalledOff.gone`): what is said of
    its call names only those still coming."""
    return replace(record, candidates=[p for p in record.candidates if normalize_word(p.name) not in gone])


def _not_called_off(out: list[Reminder], records: list[CallRecord], config: Config, first_day: date,
                    made: dict[int, tuple[CallRecord, ReminderRule, str]],
                    notices: list[CallRecord] = ()) -> list[Reminder]:
    """`out` without the reminders of the calls later rows call off (`called_off`), and of
    the `notices` of the interviews they call off (`announced`), as the follow-ups no
    longer ask to confirm them; and without the candidates who pulled out of one the
    others still come to: their own reminders go, and one naming them all names the others
    (`made`: what built each candidates' reminder)."""
    found = called_off(records, config, first_day)
    off = found.keys()
    if off and notices:
        off |= set(announced(notices, [a for a, _ in found.calls], config))
    if not off and not found.gone:
        return out
    kept: list[Reminder] = []
    for r in out:
        key = (r.sheet, r.call_row)
        if key in off:
            continue
        left = found.gone.get(key)
        if left and id(r) in made:
            names = [n for n in r.names if normalize_word(n) not in left]
            if not names:
                continue
            if names != list(r.names):
                call, rule, source = made[id(r)]
                r = build_reminder(without(call, left), rule, r.at, config, source, names)
        kept.append(r)
    return kept


def cancels_itself(config: Config) -> Callable[[CallRecord], bool]:
    """Whether a row's own outcome says its call will not happen: a call marked
    Cancelled, an interview the candidate withdrew from, or one moved with no new slot
    written yet. That last has no reminders (planned_call) and its old slot will not
    happen: a calendar that holds it strikes it out (jobs._called_off), rather than keep
    it as booked. Once the new slot is written in its Next contact, or the call is
    logged again on a row of a later day (exports._unslotted), the event moves there,
    under its UID."""
    cancelled, withdrawn = _calling_off(config)
    moved = _moved_outcomes(config)
    types = _appointment_types(config)
    return lambda record: record.outcome in cancelled or (record.call_type in types and (
        record.outcome in withdrawn or record.outcome in moved and record.next_contact is None))
