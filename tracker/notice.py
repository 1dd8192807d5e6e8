"""The interview notice: the written e-mail a candidate gets after agreeing to an interview.

Seed 004: candidates skip interviews they got no written notice of, or whose job and
salary were vague. So the notice carries every item of `reminders.notice_required`
(interview time, address, transport route, contact person, job title, responsibilities,
salary range, work location, company name, company website), and a row that lacks any of
them gives a Problem listing what is missing instead of a half-empty e-mail.

Where the items come from, first found wins: the row's own columns (date and time,
position, client, contact), then "Key: value" lines in the notes, then the user's extra
columns (words of `notice_keys`, en/ru/zh/ja).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from .config import Config
from .model import CallRecord, Problem
from .reminders import find_item, record_lang, record_values
from .render import render


@dataclass
class Notice:
    sheet: str
    row: int
    to: str                      # the candidate's e-mail, "" when the row has none
    subject: str
    text: str
    html: str
    lang: str
    names: list[str] = field(default_factory=list)      # whom it greets
    items: dict[str, str] = field(default_factory=dict)  # item id -> value as written


def item_label(config: Config, item: str, lang: str) -> str:
    spec = config.section("notice_keys").get(item) or {}
    return spec.get(lang) or spec.get("en") or item


def _items(record: CallRecord, config: Config) -> tuple[dict[str, str], datetime | None]:
    values = record_values(record)
    required = list(config.section("reminders").get("notice_required") or [])
    wanted = required + [k for k in config.section("notice_keys") if k not in required]
    items: dict[str, str] = {}
    interview_at = record.at if record.date is not None and record.has_time else None
    if record.call_type == "interview_notice" and isinstance(record.next_contact, datetime):
        # A notice row is dated by the invitation call; when its next contact has a time,
        # that is the interview (as the follow-up engine reads it).
        interview_at = record.next_contact
    # A row with candidates is about them, so its contact is the client's person; a row
    # without is about the contact, who is then the candidate and not the contact person.
    columns = {
        "interview_time": interview_at.isoformat(sep=" ", timespec="minutes") if interview_at else "",
        "job_title": record.position,
        "company_name": record.client,
        "contact_person": record.contact if record.candidates else "",
    }
    for item in wanted:
        items[item] = (columns.get(item) or find_item(values, config, "notice_keys", item)).strip()
    return items, interview_at


def missing_items(record: CallRecord, config: Config) -> list[str]:
    items, _ = _items(record, config)
    return [k for k in config.section("reminders").get("notice_required") or [] if not items.get(k)]


def interview_notice(record: CallRecord, config: Config) -> Notice | Problem:
    """The notice for this row, or a Problem naming the items it lacks."""
    lang = record_lang(record, config)
    items, interview_at = _items(record, config)
    required = list(config.section("reminders").get("notice_required") or [])
    missing = [k for k in required if not items.get(k)]
    labels = {k: item_label(config, k, lang) for k in items}
    if missing:
        message = render(
            config, "notice/missing", lang, "txt",
            missing=[labels[k] for k in missing], sheet=record.sheet, row=record.row,
        )
        return Problem(sheet=record.sheet, row=record.row, column="", value=", ".join(missing), message=message)

    names = [p.name for p in record.candidates] or ([record.contact] if record.contact else [])
    website = items.get("company_website", "")
    ctx = dict(
        items=items,
        labels=labels,
        order=required + [k for k in items if k not in required and items[k]],
        names=names,
        interview_at=interview_at,
        website_href=website if "://" in website else (f"https://{website}" if website else ""),
        manager=record.manager,
    )
    return Notice(
        sheet=record.sheet,
        row=record.row,
        to=record.email,
        subject=render(config, "notice/subject", lang, "txt", **ctx),
        text=render(config, "notice/notice", lang, "txt", **ctx),
        html=render(config, "notice/notice", lang, "html", **ctx),
        lang=lang,
        names=names,
        items={k: v for k, v in items.items() if v},
    )
