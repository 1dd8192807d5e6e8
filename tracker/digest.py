"""The daily digest: one message per manager (SM) with what needs doing.

Each digest lists the manager's overdue follow-ups (most overdue first), today's chases,
and the reminders of today and of the next working day (so Friday's digest already shows
Monday's early reminders). A manager with nothing in any list gets no digest. A team's
digest gathers each manager's items from every consultant's log into one message, each
item naming its workbook.

The follow-ups come from tracker.followups; this module reads only their attributes
(sheet, row, id, manager, lang, contact, client, due, status, days_overdue, step with
.channel and .action, message), so it does not depend on that module's classes.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from .config import LANGUAGES, Config
from .exports import safe_name
from .followups import action_in, marked, names_joined
from .outfiles import unique_stem, write_file
from .reminders import Reminder, role_label
from .render import render


@dataclass
class DigestEntry:
    """A follow-up as the digest shows it."""

    sheet: str
    row: int
    id: str
    contact: str
    client: str
    due: datetime | None
    days_overdue: int
    channel: str          # canonical id, "" when the step has none
    channel_label: str
    action: str
    message: str
    mark: str = ""        # "Likely rejected", as the log's Next action starts (followups.SHOWN_FLAGS)
    workbook: str = ""    # its log's name in a team's digest (workbook_labels); "" for one log's


@dataclass
class DigestReminder:
    """A reminder as the digest shows it."""

    at: datetime
    sheet: str
    row: int
    whom_label: str
    names: list[str]
    channel_label: str
    subject: str
    workbook: str = ""


@dataclass
class DigestPart:
    """One log's share of a team's digest: its follow-ups and the reminders of its
    reminder_window, worked out with its own configuration."""

    followups: list[Any]
    reminders: list[Reminder]
    config: Config
    workbook: str = ""    # as the items name it (workbook_labels)


@dataclass
class Digest:
    manager: str
    lang: str
    day: date
    subject: str
    text: str
    html: str
    overdue: list[DigestEntry] = field(default_factory=list)
    today: list[DigestEntry] = field(default_factory=list)
    reminders: list[DigestReminder] = field(default_factory=list)

    @property
    def file_stem(self) -> str:
        return f"digest_{self.day:%Y-%m-%d}_{safe_name(self.manager, 'unassigned', 60)}"

    def write(self, folder: str | Path, stem: str | None = None, kept: list | None = None) -> list[Path]:
        """A .txt and an .html file in `folder`; the same manager and day give the same names.
        A file of that name holding something else is kept first (outfiles.write_file's `kept`)."""
        folder = Path(folder)
        return [write_file(folder / f"{stem or self.file_stem}.{ext}", (text + "\n").encode("utf-8"), kept=kept)
                for ext, text in (("txt", self.text), ("html", self.html))]


def write_digests(items: Iterable[Digest], folder: str | Path, workbook: str | Path = "",
                  kept: list | None = None) -> list[Path]:
    """Every digest's files, named by the `workbook` too: digests of two consultants' logs
    written into one folder for their manager are two, not the second over the first. A
    team's digests (team_digests) gather every log's items: named by manager and day alone.
    Two managers whose names make the same file name ("Anna/Petrova" and "Anna Petrova";
    "anna" and "Anna" on Windows and macOS, whose file names ignore case) get `_2`, `_3`:
    otherwise the second digest would replace the first. `kept`: see Digest.write."""
    used: set[str] = set()
    written: list[Path] = []
    book = f"_{safe_name(Path(workbook).stem, 'log', 60)}" if workbook else ""
    for d in items:
        written += d.write(folder, unique_stem(d.file_stem + book, used), kept)
    return written


def _manager_key(name: str) -> str:
    return " ".join(str(name or "").casefold().split())


def _next_working_day(day: date, config: Config) -> date:
    return config.working_calendar.shift(day, 1)


def _entry(f: Any, config: Config, lang: str) -> DigestEntry:
    step = getattr(f, "step", None)
    channel = str(getattr(step, "channel", "") or "") if step is not None else ""
    # Whom to call: the candidates for a step addressed to them (the confirmation the day
    # before an interview), whose names its draft greets; else the row's contact.
    candidates = names_joined(getattr(f, "candidates", None) or [], lang)
    contact = candidates if getattr(step, "to", "") == "candidates" and candidates else getattr(f, "contact", "")
    return DigestEntry(
        sheet=str(getattr(f, "sheet", "")),
        row=int(getattr(f, "row", 0) or 0),
        id=str(getattr(f, "id", "") or ""),
        contact=str(contact or ""),
        client=str(getattr(f, "client", "") or ""),
        due=getattr(f, "due", None),
        days_overdue=int(getattr(f, "days_overdue", 0) or 0),
        channel=channel,
        channel_label=config.list_label("channel", channel, lang) if channel else "",
        mark=marked(config, f, "", lang),
        # In the digest's language, as the Chase today sheet has it in the sheet's.
        action=action_in(config, step, getattr(f, "lang", lang), lang) if step is not None else "",
        message=str(getattr(f, "message", "") or ""),
    )


def _language(langs: list[str], config: Config) -> str:
    counts = Counter(l for l in langs if l in LANGUAGES)
    if not counts:
        return config.language
    top = max(counts.values())
    best = sorted(l for l, n in counts.items() if n == top)
    # A tie goes to the workbook's language, so the choice does not depend on row order.
    return config.language if config.language in best else best[0]


def reminder_window(config: Config, now: datetime) -> tuple[datetime, datetime]:
    """The reminders a digest lists: today's and the next working day's, so Friday's
    digest already shows Monday's early ones (local time, start included, end not)."""
    today = config.local(now).date()
    return (datetime.combine(today, time(0, 0)),
            datetime.combine(_next_working_day(today, config) + timedelta(days=1), time(0, 0)))


def digests(followups: Iterable[Any], reminders: Iterable[Reminder], config: Config, now: datetime) -> list[Digest]:
    """One digest per manager who has something to do, ordered by manager name."""
    return team_digests([DigestPart(list(followups), list(reminders), config)], config, now)


def team_digests(parts: Iterable[DigestPart], config: Config, now: datetime) -> list[Digest]:
    """One digest per manager over several logs: each manager's items from every part,
    each naming its part's workbook. `config` words and dates the messages (the language
    when a manager's rows do not settle it, the templates, the day); each part's items
    keep their own configuration's labels and window."""
    today = config.local(now).date()

    groups: dict[str, dict[str, Any]] = {}

    def group(manager: str) -> dict[str, Any]:
        key = _manager_key(manager)
        if key not in groups:
            groups[key] = {"manager": " ".join(str(manager or "").split()), "overdue": [], "today": [], "reminders": [], "langs": []}
        return groups[key]

    parts = list(parts)
    for n, part in enumerate(parts):
        mine: list[Any] = []
        for f in part.followups:
            status = getattr(f, "status", "")
            if status not in ("overdue", "due_today"):
                continue
            g = group(getattr(f, "manager", ""))
            g["overdue" if status == "overdue" else "today"].append((n, f))
            g["langs"].append(getattr(f, "lang", ""))
            mine.append(f)
        # The follow-up engine also owes the eve-of-interview confirmation call; listed there,
        # the same call is not listed again among the reminders (of the same log: another
        # consultant's row 10 is another call).
        part_today = part.config.local(now).date()
        owed: set[tuple[str, int, str, date]] = set()
        for f in mine:
            step = getattr(f, "step", None)
            channel = str(getattr(step, "channel", "") or "")
            for row in {getattr(f, "row", 0), getattr(f, "anchor_row", 0)} - {0, None}:
                owed.add((str(getattr(f, "sheet", "")), int(row), channel, part_today))
        day_start, horizon = reminder_window(part.config, now)
        for r in part.reminders:
            if not (day_start <= r.at < horizon):
                continue
            if (r.sheet, r.call_row, r.channel, r.at.date()) in owed:
                continue
            g = group(r.manager)
            g["reminders"].append((n, r))
            g["langs"].append(r.lang)

    def entry(n: int, f: Any, lang: str) -> tuple[int, DigestEntry]:
        e = _entry(f, parts[n].config, lang)
        e.workbook = parts[n].workbook
        return n, e

    out: list[Digest] = []
    for key in sorted(groups):
        g = groups[key]
        lang = _language(g["langs"], config)
        # Within a day or a count of days, the workbooks in the order given.
        overdue = [e for _, e in sorted((entry(n, f, lang) for n, f in g["overdue"]),
                                        key=lambda ne: (-ne[1].days_overdue, ne[0], ne[1].sheet, ne[1].row))]
        due_today = [e for _, e in sorted((entry(n, f, lang) for n, f in g["today"]),
                                          key=lambda ne: (ne[1].due or datetime.max, ne[0], ne[1].sheet, ne[1].row))]
        rems = [
            DigestReminder(
                at=r.at, sheet=r.sheet, row=r.call_row, whom_label=role_label(parts[n].config, r.whom, lang),
                names=list(r.names), channel_label=parts[n].config.list_label("channel", r.channel, lang),
                subject=r.subject, workbook=parts[n].workbook,
            )
            for n, r in sorted(g["reminders"], key=lambda nr: (nr[1].at, nr[0], nr[1].sheet, nr[1].call_row))
        ]
        days = sorted({r.at.date() for r in rems})
        ctx = dict(
            manager=g["manager"], day=today, overdue=overdue, due_today=due_today,
            reminder_days=[(d, [r for r in rems if r.at.date() == d]) for d in days],
            n_reminders=len(rems),
        )
        # The subject names the manager, or says there is none: the HTML's title too.
        ctx["subject"] = render(config, "digest/subject", lang, "txt", **ctx)
        out.append(
            Digest(
                manager=g["manager"], lang=lang, day=today, subject=ctx["subject"],
                text=render(config, "digest/digest", lang, "txt", **ctx),
                html=render(config, "digest/digest", lang, "html", **ctx),
                overdue=overdue, today=due_today, reminders=rems,
            )
        )
    return out
