"""The interview notice: the written e-mail a candidate gets after agreeing to an interview.

Seed 004: candidates skip interviews they got no written notice of, or whose job and
salary were vague. So the notice carries every item of `reminders.notice_required`
(interview time, address, transport route, contact person, job title, responsibilities,
salary range, work location, company name, company website), and a row that lacks any of
them gives a Problem listing what is missing instead of a half-empty e-mail.

Where the items come from, first found wins: "Key: value" lines in the notes, as written
("Contact Person: Olga Ivanova, +7 912 345-67-89": the phone is for the candidate too),
then the row's own columns (position, client, contact), then the user's extra columns
(words of `notice_keys`, en/ru/zh/ja). The interview's time is the row's, the notes' only
when the row has a day alone: an interview row's own date and time, but a notice row's
next contact (its own date is the invitation call), as is a rescheduled interview's; an
interview called off (cancelled, no-show) gets none, and nor does a Repeat call to
clarify details (reminders.clarifies): it is no interview. Given the log's rows, the
interview is where the reminders and the calendar have it (`follow`): a notice's interview
row moved, or an interview logged again on another row, gives the slot, and the notice
says which row it follows.

The draft is addressed only when the row's e-mail is the candidate's by the reminders'
rule; otherwise To stays empty for the user to fill, rather than the client getting it.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time

from .config import Config
from .model import CallRecord, Problem
from .notes import parse_key_values
from .reminders import (RESCHEDULED, announced, announces_interview, as_announced, clarifies, contact_is_candidate,
                        email_for, find_item, left_their_slot, logged_elsewhere, planned_call, record_lang,
                        record_values)
from .render import render


@dataclass
class Notice:
    sheet: str
    row: int
    to: str                      # the candidate's e-mail, "" when the row has none of theirs
    subject: str
    text: str
    html: str
    lang: str
    names: list[str] = field(default_factory=list)      # whom it greets
    items: dict[str, str] = field(default_factory=dict)  # item id -> value as written
    # For the consultant, not the candidate: the row or slot the interview time follows
    # when it is not the row's own (`follow`); "" when it is.
    follows: str = ""


def item_label(config: Config, item: str, lang: str) -> str:
    spec = config.section("notice_keys").get(item) or {}
    return spec.get(lang) or spec.get("en") or item


def _interview(record: CallRecord, config: Config) -> tuple[datetime | None, bool]:
    """When the interview is, and whether its time of day is known."""
    if announces_interview(record, config) or record.outcome == RESCHEDULED:
        # A notice row is dated by the invitation call, a rescheduled interview by its old
        # slot: the interview is their next contact, as reminders and follow-ups read it.
        # The row's own time never is.
        nxt = record.next_contact
        if isinstance(nxt, datetime):
            return config.local(nxt), True
        if isinstance(nxt, date):
            return datetime.combine(nxt, time(0, 0)), False
        return None, False
    return (record.at, record.has_time) if record.date is not None else (None, False)


def _called_off(record: CallRecord, config: Config) -> str:
    """The outcome that says the interview will not happen (cancelled, no-show), else ""."""
    off = set(config.section("summaries").get("called_off_outcomes") or ()) - {RESCHEDULED}
    return record.outcome if record.outcome in off else ""


def _items(record: CallRecord, config: Config) -> tuple[dict[str, str], datetime | None, bool]:
    values = record_values(record)
    required = list(config.section("reminders").get("notice_required") or [])
    wanted = required + [k for k in config.section("notice_keys") if k not in required]
    items: dict[str, str] = {}
    interview_at, timed = _interview(record, config)
    if not timed and find_item(values, config, "notice_keys", "interview_time"):
        # A day alone yields to notes that say when in words ("23.11 at 15:00").
        interview_at = None
    when = ""
    if interview_at is not None:
        when = interview_at.isoformat(sep=" ", timespec="minutes") if timed else interview_at.date().isoformat()
    # A row with candidates is about them, so its contact is the client's person, unless
    # it names one of them; a row without is about the contact, who is then the candidate
    # and not the contact person.
    columns = {
        "interview_time": when,
        "job_title": record.position,
        "company_name": record.client,
        "contact_person": record.contact if record.candidates and not contact_is_candidate(record) else "",
    }
    # What the notes say of an item is what the consultant wrote for this notice: it wins
    # over a column's shorter word ("Acme Robotics" for "Acme Robotics International LLC").
    noted = {k: v for k, v in parse_key_values(record.notes).items() if v}
    for item in wanted:
        said = "" if item == "interview_time" else find_item(noted, config, "notice_keys", item)
        items[item] = (said or columns.get(item) or find_item(values, config, "notice_keys", item)).strip()
    return items, interview_at, timed


def _missing(items: dict[str, str], interview_at: datetime | None, timed: bool, config: Config) -> list[str]:
    # A day without a time is shown, but a candidate cannot come at "Monday": still missing.
    day_only = interview_at is not None and not timed
    required = config.section("reminders").get("notice_required") or []
    return [k for k in required if not items.get(k) or (k == "interview_time" and day_only)]


def missing_items(record: CallRecord, config: Config) -> list[str]:
    return _missing(*_items(record, config), config)


def notice_call_types(config: Config) -> list[str]:
    """The rows a notice is written for: an interview (its own date and time) or an
    interview notice (the interview in its next contact), as the confirmation call's."""
    confirm = config.section("followups").get("confirm") or {}
    return [*(confirm.get("types") or []), *(confirm.get("notice_types") or [])]


def follow(record: CallRecord, records: Iterable[CallRecord], config: Config
           ) -> tuple[CallRecord | None, CallRecord | None]:
    """The row as its notice reads it, at the slot the reminders and the calendar give
    its interview, and the row of the log that slot is taken from (None: the row's own).

    A notice row follows the interview row it announces (reminders.announced) where that
    row now stands (reminders.as_announced): moved, at its new slot; called off, or moved
    with no new slot yet, there is no interview to announce (None, that row). An
    interview row logged again by another row (reminders.logged_elsewhere: moved to a
    slot a new row logs, or left booked and logged on a later day) is at that row's slot,
    followed on while that one is logged again too."""
    records = list(records)
    if announces_interview(record, config):
        head = announced([record], left_their_slot(records, config), config).get((record.sheet, record.row))
        now = as_announced(record, head, config)
        return now, (head if now is not record else None)
    by = None
    call = planned_call(record, config)
    seen = {(record.sheet, record.row)}
    while call is not None:
        again = logged_elsewhere([call], records, config).get((call.sheet, call.row))
        if again is None or (again.sheet, again.row) in seen:
            break
        seen.add((again.sheet, again.row))
        by, call = again, planned_call(again, config)
    if by is None:
        return record, None
    if call is None:   # the row logging it is called off (or moved with no slot yet)
        return None, by
    return replace(record, date=call.date, time=call.time, outcome="", next_contact=None), by


def interview_notices(record: CallRecord, config: Config, records: Iterable[CallRecord] | None = None
                      ) -> list[Notice] | Problem:
    """The row's notices, one per candidate: each is written to one person (a notice is
    the candidate's own letter; one to several would show each the others' names); or a
    Problem, as interview_notice gives it. With the log's `records`, the interview is
    where the reminders have it (`follow`), and each notice says so in `follows`."""
    follows = ""
    if records is not None:
        asked = record
        now, by = follow(record, records, config)
        if now is None:
            return _called_off_problem(asked, by.outcome if by is not None else "", config, by)
        record = now
        follows = _follows(asked, record, by, config)
    first = interview_notice(record, config)
    if not isinstance(first, Notice) or len(first.names) < 2:
        return first if isinstance(first, Problem) else [replace(first, follows=follows)]
    return [replace(interview_notice(record, config, candidate=name), follows=follows) for name in first.names]


def _follows(asked: CallRecord, record: CallRecord, by: CallRecord | None, config: Config) -> str:
    """What the consultant is told when the notice's interview time is not the one the
    row asked for shows (`follow`): which row, and which slot; "" when it is."""
    was, was_timed = _own_slot(asked, config)
    now, timed = _interview(record, config)
    if by is None and (was, was_timed) == (now, timed):
        return ""
    return render(config, "notice/follows", record_lang(asked, config), "txt", by=by.row if by is not None else None,
                  outcome=config.list_label("outcome", by.outcome, record_lang(asked, config)) if by is not None
                  and by.outcome else "", now=now, timed=timed, was=was, was_timed=was_timed,
                  next_contact=config.header("next_contact", record_lang(asked, config)))


def _own_slot(record: CallRecord, config: Config) -> tuple[datetime | None, bool]:
    """The interview's slot as the row itself gives it: a notice's Next contact, an
    interview's own date and time (a moved one's too: its Next contact is where it went)."""
    if announces_interview(record, config):
        return _interview(record, config)
    return (record.at, record.has_time) if record.date is not None else (None, False)


def _called_off_problem(record: CallRecord, outcome: str, config: Config, by: CallRecord | None = None,
                        column: str = "") -> Problem:
    """A notice whose interview is called off (`outcome`), or moved with no new slot yet:
    by the row itself (its `column` holding the outcome), or by another row `by`."""
    lang = record_lang(record, config)
    label = config.list_label("outcome", outcome, lang) if outcome else ""
    message = render(config, "notice/called_off", lang, "txt", outcome=label, by=by.row if by is not None else None,
                     rescheduled=config.list_label("outcome", RESCHEDULED, lang),
                     next_contact=config.header("next_contact", lang))
    return Problem(sheet=record.sheet, row=record.row, column=column, value=label, message=message)


def interview_notice(record: CallRecord, config: Config, candidate: str | None = None) -> Notice | Problem:
    """The notice for this row (to `candidate` alone, one of its names, when given), or a
    Problem naming the items it lacks."""
    lang = record_lang(record, config)
    called_off = _called_off(record, config)
    if called_off:
        return _called_off_problem(record, called_off, config, column=record.columns.get("outcome", ""))
    if clarifies(record, config):
        message = render(config, "notice/clarification", lang, "txt",
                         call_type=config.call_type_label(record.call_type, lang),
                         candidates=config.header("candidates", lang))
        return Problem(sheet=record.sheet, row=record.row, column=record.columns.get("candidates", ""),
                       value=record.call_type_raw, message=message)
    items, interview_at, timed = _items(record, config)
    required = list(config.section("reminders").get("notice_required") or [])
    missing = _missing(items, interview_at, timed, config)
    labels = {k: item_label(config, k, lang) for k in items}
    if missing:
        message = render(
            config, "notice/missing", lang, "txt",
            missing=[labels[k] for k in missing],
            day=interview_at if "interview_time" in missing else None,
        )
        return Problem(sheet=record.sheet, row=record.row, column="", value=", ".join(missing), message=message)

    names = [p.name for p in record.candidates] or ([record.contact] if record.contact else [])
    if candidate is not None:
        names = [candidate]
    website = items.get("company_website", "")
    ctx = dict(
        items=items,
        labels=labels,
        order=required + [k for k in items if k not in required and items[k]],
        names=names,
        interview_at=interview_at,
        interview_timed=timed,
        website_href=website if "://" in website else (f"https://{website}" if website else ""),
        manager=record.manager,
    )
    return Notice(
        sheet=record.sheet,
        row=record.row,
        # The row's e-mail may be the client's person's: reminders decide whose it is.
        to=email_for("candidates" if record.candidates else "contact", record),
        subject=render(config, "notice/subject", lang, "txt", **ctx),
        text=render(config, "notice/notice", lang, "txt", **ctx),
        html=render(config, "notice/notice", lang, "html", **ctx),
        lang=lang,
        names=names,
        items={k: v for k, v in items.items() if v},
    )
