"""The bundled sample log for `tracker demo`: about 200 calls around a given `now`.

The people, companies, phrases and stories are in workbook/sample_data.yaml; this module
strings the stories into threads of calls dated around `now` (the same seed and `now`
give the same log), then writes them into the very workbook `tracker init` makes.
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import yaml

from .config import LANGUAGES
from .errors import ConfigError
from .newbook import build_workbook, save_new
from .resources import workbook_dir

SAMPLE_DATA_FILE = "sample_data.yaml"

# Start times of calls; the seed picks among them.
_SLOTS = tuple(time(h, m) for h, m in [
    (9, 30), (10, 0), (10, 30), (11, 0), (11, 30), (12, 0), (14, 0), (14, 30),
    (15, 0), (15, 30), (16, 0), (16, 30), (17, 0),
])
# Messages (not calls) are often logged without a time.
_MESSAGE_CHANNELS = frozenset({"email", "sms", "wechat", "whatsapp", "telegram"})


@dataclass(frozen=True)
class Position:
    title: str
    duties: str
    salary: str


@dataclass(frozen=True)
class Company:
    name: str
    lang: str
    website: str
    contact: str
    email: str
    source: str
    product: str
    specialties: str
    country: str
    audience: str
    immediate: str
    future: str
    next_step: str
    address: str
    route: str
    location: str
    messenger: str
    positions: tuple[Position, ...]
    prospect: bool = False


@dataclass(frozen=True)
class ContactPerson:
    name: str
    email: str     # before the @; the client's website comes after it


@dataclass(frozen=True)
class Step:
    type: str
    day: int
    with_: str
    outcome: str
    channel: str
    stage: str
    note: str = ""
    result: str = ""
    book: bool = False
    promise: int | None = None
    next_step: str = ""
    remind: bool = False
    keep_in_touch: bool = False


@dataclass(frozen=True)
class Story:
    name: str
    candidates: int
    steps: tuple[Step, ...]


@dataclass(frozen=True)
class ThreadPlan:
    story: str
    start: int | None = None
    at_step: str = ""
    at_day: int = 0
    prospect: bool = False


@dataclass(frozen=True)
class SampleData:
    managers: dict[str, str]                 # language -> manager name
    note_date: dict[str, str]
    note_datetime: dict[str, str]
    name_separator: dict[str, str]
    phone_formats: dict[str, str]
    clients: tuple[Company, ...]
    prospects: tuple[Company, ...]
    contacts: dict[str, tuple[ContactPerson, ...]]
    candidates: dict[str, tuple[str, ...]]
    candidate_sources: tuple[str, ...]
    first_call_keys: tuple[str, ...]
    notice_keys: dict[str, tuple[str, ...]]
    notice_incomplete_every: int
    blurbs: dict[str, tuple[str, ...]]
    remind: dict[str, dict[str, str]]
    phrases: dict[str, dict[str, str]]
    next_steps: dict[str, dict[str, str]]
    stories: dict[str, Story]
    jitter: int
    past_days: int
    future_days: int
    threads: tuple[ThreadPlan, ...]


def load_sample_data(path: Path | None = None) -> SampleData:
    path = path or workbook_dir() / SAMPLE_DATA_FILE
    try:
        d = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"{path}: cannot read the sample data ({exc})") from None
    try:
        def company(c: dict, prospect: bool) -> Company:
            spec = {k: str(v) for k, v in c.items() if k != "positions"}
            return Company(
                **spec, prospect=prospect,
                positions=tuple(Position(**{k: str(v) for k, v in p.items()}) for p in c["positions"]),
            )

        def step(s: dict) -> Step:
            s = dict(s)
            s["with_"] = s.pop("with")
            return Step(**s)

        managers = {}
        for m in d["managers"]:
            for lang in m["languages"]:
                managers[lang] = str(m["name"])
        threads = []
        for t in d["threads"]:
            at = t.get("at") or {}
            threads.append(ThreadPlan(
                story=t["story"], start=t.get("start"), at_step=at.get("step", ""),
                at_day=int(at.get("day", 0)), prospect=t.get("client") == "prospect",
            ))
        data = SampleData(
            managers=managers,
            note_date=dict(d["note_date"]),
            note_datetime=dict(d["note_datetime"]),
            name_separator=dict(d["name_separator"]),
            phone_formats=dict(d["phone_formats"]),
            clients=tuple(company(c, False) for c in d["clients"]),
            prospects=tuple(company(c, True) for c in d["prospects"]),
            contacts={k: tuple(ContactPerson(str(x["name"]), str(x["email"])) for x in v)
                      for k, v in d["contacts"].items()},
            candidates={k: tuple(v) for k, v in d["candidates"].items()},
            candidate_sources=tuple(d["candidate_sources"]),
            first_call_keys=tuple(d["first_call_keys"]),
            notice_keys={k: tuple(v) for k, v in d["notice_keys"].items()},
            notice_incomplete_every=int(d["notice_incomplete_every"]),
            blurbs={k: tuple(v) for k, v in d["blurbs"].items()},
            remind={k: dict(v) for k, v in d["remind"].items()},
            phrases={k: dict(v) for k, v in d["phrases"].items()},
            next_steps={k: dict(v) for k, v in d["next_steps"].items()},
            stories={
                name: Story(name, int(s["candidates"]), tuple(step(x) for x in s["steps"]))
                for name, s in d["stories"].items()
            },
            jitter=int(d["jitter"]),
            past_days=int(d["past_days"]),
            future_days=int(d["future_days"]),
            threads=tuple(threads),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise ConfigError(f"{path}: the sample data is missing or has a bad `{exc}`") from None
    for t in data.threads:
        if t.story not in data.stories:
            raise ConfigError(f"{path}: thread of unknown story `{t.story}`")
    return data


@dataclass
class SampleRow:
    """One call of the sample, with canonical ids; labels are chosen when written."""

    thread: int
    date: date
    time: time | None
    call_type: str
    client: str
    contact: str
    candidates: str
    position: str
    channel: str
    source: str
    stage: str
    outcome: str
    language: str
    manager: str
    email: str = ""
    phone: str = ""
    notes: str = ""
    remind: str = ""
    next_step: str = ""
    next_contact: date | datetime | str | None = None

    @property
    def at(self) -> datetime:
        return datetime.combine(self.date, self.time or time(0, 0))


@dataclass
class _Thread:
    index: int
    plan: ThreadPlan
    story: Story
    client: Company
    position: Position
    candidates: list[str]
    start: date
    pinned: bool
    contact: str = ""
    email: str = ""
    first_of_client: bool = True


class _Maker:
    """Holds the seed's random stream and the per-person details drawn from it."""

    def __init__(self, data: SampleData, now: datetime, seed: int):
        self.data = data
        self.now = now
        self.today = now.date()
        self.rng = random.Random(seed)
        names = [n for lang in LANGUAGES for n in data.candidates.get(lang, ())]
        ids = list(range(101, 101 + len(names)))
        self.rng.shuffle(ids)
        self.ids = {n: f"E{i}" for n, i in zip(names, ids)}
        self.phones: dict[str, str] = {}
        self.sources: dict[str, str] = {}
        self.blurb_of: dict[str, str] = {}
        self.notices = 0

    def phone(self, who: str, lang: str) -> str:
        if who not in self.phones:
            fmt = self.data.phone_formats.get(lang, "+# ### ### ####")
            self.phones[who] = "".join(str(self.rng.randint(0, 9)) if ch == "#" else ch for ch in fmt)
        return self.phones[who]

    def source(self, candidate: str) -> str:
        if candidate not in self.sources:
            self.sources[candidate] = self.rng.choice(self.data.candidate_sources)
        return self.sources[candidate]

    def person(self, name: str) -> str:
        return f"{name} ({self.ids[name]})"

    def phrase(self, key: str, lang: str, **ctx: Any) -> str:
        texts = self.data.phrases[key]
        return (texts.get(lang) or texts["en"]).format(**ctx)


def _first_name(name: str, lang: str) -> str:
    return name.split()[0] if lang in ("en", "ru") and " " in name else name


def _working_day(d: date) -> date:
    while d.isoweekday() > 5:
        d += timedelta(days=1)
    return d


def _add_working_days(d: date, n: int) -> date:
    while n > 0:
        d += timedelta(days=1)
        if d.isoweekday() <= 5:
            n -= 1
    return d


def sample_rows(now: datetime, *, seed: int = 7, data: SampleData | None = None) -> list[SampleRow]:
    """The sample's calls, in date order, before labels: deterministic for seed and now."""
    data = data or load_sample_data()
    mk = _Maker(data, now, seed)
    rng = mk.rng

    regular = list(data.clients)
    prospects = list(data.prospects)
    rng.shuffle(regular)
    rng.shuffle(prospects)
    used = {True: 0, False: 0}
    used_positions: dict[str, int] = {}
    # Candidates are not reused while the pool lasts: a person in two processes would link
    # them into one thread (the follow-up engine follows people).
    pools = {lang: [] for lang in data.candidates}
    threads: list[_Thread] = []
    for i, plan in enumerate(data.threads):
        story = data.stories[plan.story]
        pool = prospects if plan.prospect else regular
        client = pool[used[plan.prospect] % len(pool)]
        used[plan.prospect] += 1
        k = used_positions.get(client.name, 0)
        used_positions[client.name] = k + 1
        position = client.positions[k % len(client.positions)]
        pool_c = pools[client.lang]
        chosen = []
        for _ in range(story.candidates):
            if not pool_c:
                pool_c.extend(rng.sample(data.candidates[client.lang], len(data.candidates[client.lang])))
            chosen.append(pool_c.pop())
        if plan.at_step:
            pin = next((s for s in story.steps if s.type == plan.at_step), None)
            if pin is None:
                raise ConfigError(f"sample data: story `{story.name}` has no step `{plan.at_step}` to pin")
            start = mk.today + timedelta(days=plan.at_day - pin.day)
            pinned = True
        else:
            offset = int(plan.start or 0) + rng.randint(-data.jitter, data.jitter)
            start = mk.today + timedelta(days=max(offset, -data.past_days))
            pinned = False
        threads.append(_Thread(i, plan, story, client, position, chosen, start, pinned))

    # A client's later vacancies open with a call about the new vacancy, not a first call;
    # a prospect met before and kept in touch with still gets a real first call.
    # Its later vacancies have their own hiring manager, so each process is a thread of
    # its own for the follow-up engine.
    seen: set[str] = set()
    people = {lang: list(v) for lang, v in data.contacts.items()}
    for lang in people:
        rng.shuffle(people[lang])
    taken = {lang: 0 for lang in people}
    for t in sorted(threads, key=lambda t: (t.start, t.index)):
        t.first_of_client = t.client.name not in seen
        if t.story.name != "prospect":
            seen.add(t.client.name)
        if t.first_of_client or not people.get(t.client.lang):
            t.contact, t.email = t.client.contact, t.client.email
        else:
            lang = t.client.lang
            person = people[lang][taken[lang] % len(people[lang])]
            taken[lang] += 1
            t.contact, t.email = person.name, f"{person.email}@{t.client.website}"

    horizon = mk.today + timedelta(days=data.future_days)
    rows: list[SampleRow] = []
    for t in threads:
        rows.extend(_thread_rows(mk, t, horizon))
    rows.sort(key=lambda r: (r.at, r.thread))
    return rows


def _thread_rows(mk: _Maker, t: _Thread, horizon: date) -> list[SampleRow]:
    data, rng, c = mk.data, mk.rng, t.client
    lang = c.lang
    manager = data.managers.get(lang, next(iter(data.managers.values())))

    # When each step happens: a story's days are working days, except in pinned threads
    # (the demo's "tomorrow" must stay tomorrow); same-day calls follow each other.
    when: list[list[datetime | date]] = []
    prev: datetime | None = None
    for step in t.story.steps:
        if t.pinned:
            d = t.start + timedelta(days=step.day)
        else:
            d = _add_working_days(_working_day(t.start), step.day)
        n = {"each": len(t.candidates), "others": len(t.candidates) - 1}.get(step.with_, 1)
        if n <= 0:
            when.append([])
            continue
        slots = []
        for _ in range(max(n, 1)):
            at = datetime.combine(d, rng.choice(_SLOTS))
            if prev is not None and at <= prev:
                at = prev + timedelta(minutes=rng.choice((30, 45, 60)))
            prev = at
            untimed = step.channel in _MESSAGE_CHANNELS and rng.random() < 0.5
            slots.append(at.date() if untimed else at)
        when.append(slots)

    def moment(v: datetime | date) -> datetime:
        return v if isinstance(v, datetime) else datetime.combine(v, time(0, 0))

    out: list[SampleRow] = []
    for si, step in enumerate(t.story.steps):
        if not when[si]:
            continue
        if moment(when[si][-1]) > mk.now:
            # Planned calls carry a time: reminders count back from it.
            when[si] = [v if isinstance(v, datetime) or moment(v) <= mk.now else datetime.combine(v, time(11, 0))
                        for v in when[si]]
            if moment(when[si][0]).date() > horizon:
                break
        planned_step = False
        call_type = step.type
        note_key = step.note
        if call_type == "first_call" and not t.first_of_client:
            call_type, note_key = "repeat_call", "new_vacancy"
        nxt = next((w[0] for w in when[si + 1:] if w), None)
        people = t.candidates[:1] if step.with_ == "chosen" else t.candidates
        for ci, at in enumerate(when[si]):
            if step.with_ == "each":
                people = [t.candidates[ci]]
            elif step.with_ == "others":
                people = [t.candidates[ci + 1]]
            row = _row(mk, t, step, call_type, at, people or [], manager)
            planned = moment(at) > mk.now
            planned_step = planned_step or planned
            if planned:
                row.outcome = "planned"
                row.next_contact = None
                if call_type == "first_call":
                    row.notes = mk.phrase("agenda_first_call", lang)
            else:
                row.notes = _note(mk, t, step, note_key, si, when, people or [], manager, nxt)
                interview = _interview_after(t, si, when)
                if call_type == "interview_notice" and step.outcome == "confirmed" and interview:
                    row.next_contact = interview
                elif step.book and nxt is not None:
                    row.next_contact = nxt
                elif step.promise is not None:
                    row.next_contact = moment(at).date() + timedelta(days=step.promise)
                elif step.keep_in_touch:
                    row.next_contact = mk.phrase("keep_in_touch", lang)
            if (planned or step.remind) and call_type in data.remind:
                row.remind = data.remind[call_type].get(lang) or data.remind[call_type]["en"]
            out.append(row)
        if planned_step:
            break
    return out


def _row(mk: _Maker, t: _Thread, step: Step, call_type: str, at: datetime | date,
         people: list[str], manager: str) -> SampleRow:
    c = t.client
    day = at.date() if isinstance(at, datetime) else at
    clock = at.time() if isinstance(at, datetime) else None
    with_candidate = step.with_ in ("candidate", "each", "others") and people
    if with_candidate:
        # A call with a candidate names them as the contact and leaves the candidates
        # column to rows about candidates with someone else (notice.py reads it so).
        who = people[0]
        contact, email, phone, source = who, "", mk.phone(who, c.lang), mk.source(who)
        candidates = ""
    else:
        contact, email, phone, source = t.contact, t.email, mk.phone(t.contact, c.lang), c.source
        shown = people if step.with_ in ("interview", "chosen") or call_type in ("report_sent",) else []
        candidates = ", ".join(mk.person(p) for p in shown)
    next_step = ""
    if step.next_step:
        texts = mk.data.next_steps[step.next_step]
        next_step = texts.get(c.lang) or texts["en"]
    return SampleRow(
        thread=t.index, date=day, time=clock, call_type=call_type, client=c.name,
        contact=contact, candidates=candidates, position=t.position.title,
        channel=step.channel, source=source, stage=step.stage, outcome=step.outcome,
        language=c.lang, manager=manager, email=email, phone=phone, next_step=next_step,
    )


def _note(mk: _Maker, t: _Thread, step: Step, key: str, si: int, when, people: list[str],
          manager: str, nxt) -> str:
    data, c, lang = mk.data, t.client, t.client.lang
    ctx = {
        "client": c.name, "contact": t.contact, "first": _first_name(t.contact, lang),
        "position": t.position.title, "manager": manager, "messenger": c.messenger,
        "website": c.website,
        "candidate": people[0] if people else (t.candidates[0] if t.candidates else ""),
        "candidates": data.name_separator.get(lang, ", ").join(people or t.candidates),
    }
    if step.with_ in ("candidate", "each", "others") and people:
        ctx["first"] = _first_name(people[0], lang)
    if step.promise is not None:
        at = when[si][0]
        due = (at.date() if isinstance(at, datetime) else at) + timedelta(days=step.promise)
        ctx["date"] = due.strftime(data.note_date[lang])
    if key == "first_call":
        return _first_call_note(mk, t, manager, nxt)
    if key == "interview":
        return _interview_note(mk, t, step, manager)
    if key == "notice":
        return _notice_note(mk, t, si, when, people)
    return mk.phrase(key, lang, **ctx)


def _first_call_note(mk: _Maker, t: _Thread, manager: str, nxt) -> str:
    c, data = t.client, mk.data
    if t.story.name == "prospect" or nxt is None:
        next_date = mk.phrase("keep_in_touch", c.lang)
    else:
        next_date = (nxt.date() if isinstance(nxt, datetime) else nxt).strftime(data.note_date[c.lang])
    values = [c.name, c.website, c.contact, c.product, c.specialties, c.country, c.audience,
              c.immediate, c.future, c.next_step, next_date, manager]
    return "\n".join(f"{k}: {v}" for k, v in zip(data.first_call_keys, values))


def _interview_note(mk: _Maker, t: _Thread, step: Step, manager: str) -> str:
    lang = t.client.lang
    lines = ["Today we interviewed:"]
    for name in t.candidates:
        if name not in mk.blurb_of:
            mk.blurb_of[name] = mk.rng.choice(mk.data.blurbs[lang])
        lines.append(f"{mk.person(name)} – {mk.blurb_of[name]}")
    key = {"liked": "results_liked", "none": "results_none", "pending": "results_pending"}[step.result]
    lines.append("Interview results: " + mk.phrase(key, lang, candidate=t.candidates[0]))
    lines.append(f"SM: {manager}")
    return "\n".join(lines)


def _interview_after(t: _Thread, si: int, when) -> datetime | date | None:
    """When the thread's next interview is, after step `si` (what a notice is for)."""
    for sj in range(si + 1, len(t.story.steps)):
        if t.story.steps[sj].type == "interview":
            return when[sj][0]
    return None


def _notice_note(mk: _Maker, t: _Thread, si: int, when, people: list[str]) -> str:
    data, c, lang = mk.data, t.client, t.client.lang
    at = _interview_after(t, si, when)
    if at is None:
        at = when[si][0] + timedelta(days=2)
    if not isinstance(at, datetime):
        at = datetime.combine(at, time(11, 0))
    values = [at.strftime(data.note_datetime[lang]), c.address, c.route, c.contact, t.position.title,
              t.position.duties, t.position.salary, c.location, c.name, c.website]
    items = list(zip(data.notice_keys[lang], values))
    mk.notices += 1
    if data.notice_incomplete_every and mk.notices % data.notice_incomplete_every == 0:
        # People forget the route and the salary most (seed 004): drop two or three items.
        drop = {2, 6} | ({mk.rng.choice((1, 5, 9))} if mk.rng.random() < 0.5 else set())
        items = [kv for i, kv in enumerate(items) if i not in drop]
    head = mk.phrase("notice_call", lang)
    return "\n".join([head, *(f"{k}: {v}" for k, v in items)])


def labelled(rows: list[SampleRow], config, lang: str) -> list[dict[str, Any]]:
    """Rows keyed by canonical field, drop-down values as labels in the workbook's language."""
    out = []
    for i, r in enumerate(rows, start=1):
        out.append({
            "id": i,
            "date": r.date,
            "time": r.time,
            "call_type": config.call_type_label(r.call_type, lang),
            "client": r.client,
            "contact": r.contact,
            "candidates": r.candidates,
            "position": r.position,
            "channel": config.list_label("channel", r.channel, lang),
            "source": config.list_label("source", r.source, lang),
            "stage": config.list_label("stage", r.stage, lang),
            "outcome": config.list_label("outcome", r.outcome, lang),
            "next_contact": r.next_contact,
            "next_step": r.next_step,
            "manager": r.manager,
            "email": r.email,
            "phone": r.phone,
            "language": config.list_label("language", r.language, lang),
            "notes": r.notes,
            "remind": r.remind,
        })
    return out


def write_sample(path: Path, config, now: datetime, *, seed: int = 7, lang: str = "en") -> Path:
    """The sample log at `path`: the workbook `tracker init` makes, filled. Never overwrites."""
    now = config.local(now)
    rows = sample_rows(now, seed=seed)
    return save_new(build_workbook(config, lang, labelled(rows, config, lang)), Path(path))
