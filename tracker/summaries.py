"""Meeting summaries in the agency's standard comment format (seed 002).

One format per call type, as a template (templates/summaries/<call_type>.txt.j2); every
word in it comes from config `summaries` (defaults/summaries.yaml), so the same layout
serves all four languages and a user changes a format by editing a template, not Python.
Values come from `Key: value` lines of the row's notes first (that is where the
consultant writes the comment), then from the row's columns. Pure: no clock, no files
beyond the templates the renderer loads.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Iterable

from .config import Config, normalize_word
from .errors import TemplateError
from .model import CallRecord, Person, Problem
from .notes import parse_key_values
from .render import render, template_name

# A candidate's line: "Ivan Petrov: ...", "Ivan Petrov (E123) – ...", "王伟（E7）：...".
_CANDIDATE = re.compile(
    r"^\s*(?:[-•*·]\s*)?(?P<name>[^:：()（）\n]+?)\s*"
    r"(?:[(（](?P<ref>[^)）]{0,40})[)）])?\s*(?:[:：]|[–—]|\s-\s)\s*(?P<text>.*)$"
)
# A line that belongs to the item above it, whatever it says (a list under a heading).
_CONTINUES = re.compile(r"^(?:\s+|\s*[-•*·]\s)")


@dataclass(frozen=True)
class CandidateNote:
    """One `Name (ID) – what they said and how they came across` line of an interview."""

    person: Person
    text: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.person.name, "ref": self.person.ref, "text": self.text}


@dataclass
class Summary:
    """The comment of one row, ready to paste; `missing` holds required item ids."""

    sheet: str
    row: int
    id: str
    call_type: str          # canonical id; "" when the row has none
    lang: str
    text: str
    missing: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "sheet": self.sheet,
            "row": self.row,
            "call_type": self.call_type,
            "text": self.text,
            "missing": list(self.missing),
        }


@dataclass
class _Notes:
    """What the notes say, split into the format's items and the rest."""

    items: dict[str, str] = field(default_factory=dict)
    candidates: list[CandidateNote] = field(default_factory=list)
    free: list[str] = field(default_factory=list)
    interview_heading: bool = False   # "Today we interviewed:" was written


# ---------------------------------------------------------------- the public API

@dataclass
class _Setup:
    """What every row of one run shares: read once, not per row (logs have thousands)."""

    config: Config
    words: dict[str, str]
    labels: re.Pattern | None       # any item's label or key followed by a colon
    templates: dict[tuple[str, str], str] = field(default_factory=dict)

    @classmethod
    def of(cls, config: Config) -> "_Setup":
        spec = config.section("summaries")
        return cls(config, _item_words(spec), _label_pattern(spec))

    def template(self, base: str, lang: str) -> str:
        key = (base, lang)
        if key not in self.templates:
            self.templates[key] = template_name(self.config, base, lang)
        return self.templates[key]


def summarize(record: CallRecord, config: Config, lang: str | None = None) -> Summary:
    """The summary of one row in `lang`, else the row's language, else the config's.

    A row without a known call type gets the generic short format (templates/summaries/
    generic.txt.j2), so a summary can always be asked for.
    """
    return _summarize(record, _Setup.of(config), lang)


def _summarize(record: CallRecord, setup: _Setup, lang: str | None) -> Summary:
    config = setup.config
    spec = config.section("summaries")
    lang = lang or record.language or config.language
    label_lang = _pick(spec["label_language"], lang) or lang
    call_type = record.call_type or ""
    words = setup.words

    interview_like = call_type in ("interview", "repeat_call")
    notes = _read_notes(record, setup, find_candidates=interview_like)
    repeat_interview = call_type == "repeat_call" and _is_repeat_interview(record, notes, spec)
    if call_type == "repeat_call" and not repeat_interview:
        notes = _read_notes(record, setup, find_candidates=False)
    form = "repeat_interview" if repeat_interview else call_type
    required = (spec.get("required") or {}).get(form) or []
    # A user's tracker.yaml may name a single item without the list brackets.
    required = [required] if isinstance(required, str) else [str(i) for i in required]

    values = _values(record, notes, spec, lang, label_lang, words, config)
    candidates: list[CandidateNote] = []
    if form in ("interview", "repeat_interview"):
        candidates = _merge_candidates(record.candidates, notes.candidates)
        # Plain sentences in an interview's notes are, in practice, the client's verdict.
        if not values["interview_results"] and values["summary"]:
            values["interview_results"] = values["summary"]
    names = [c.person for c in candidates] or [p for p in record.candidates if p.name]
    values["candidates"] = ", ".join(str(p) for p in names)

    missing = [item for item in required if not values.get(item)]
    missing_mark = _pick(spec["missing_mark"], lang)
    for item in missing:
        values[item] = missing_mark

    separator = _pick(spec["separator"], label_lang)
    labels = {
        item: f"{_pick((item_spec or {}).get('labels') or {}, label_lang) or item}{separator}"
        for item, item_spec in spec["items"].items()
    }
    ct = config.call_types.get(call_type)
    base = _template_base(setup, call_type, lang)
    context = dict(
        v=values,
        L=labels,
        candidates=candidates,
        actions=ct.actions_in(lang) if ct else [],
        checkbox=spec["checkbox"],
        actions_heading=_pick(spec["actions_heading"], lang),
        gap=spec["gap"],
        missing_mark=missing_mark,
        worldwide=_pick(spec["worldwide"], label_lang),
        keep_in_touch=_pick(spec["keep_in_touch"], label_lang),
        repeat_interview=repeat_interview,
        interview_template=setup.template("summaries/interview", lang),
        call_type=call_type,
        call_type_label=config.call_type_label(call_type, lang),
        required=required,
        missing=missing,
        language=lang,
        label_language=label_lang,
        record=record,
    )
    text = render(config, base, lang, "txt", **context)
    text = "\n".join(line.rstrip() for line in text.splitlines())
    return Summary(
        sheet=record.sheet,
        row=record.row,
        id=record.id,
        call_type=call_type,
        lang=lang,
        text=text,
        missing=missing,
    )


def summarize_all(
    records: Iterable[CallRecord], config: Config, lang: str | None = None
) -> tuple[list[Summary], list[Problem]]:
    """Summaries of the rows that have a call type, and one Problem per summary with gaps.

    Rows without a call type are skipped: the log reader already reports an unreadable
    call type, and a blank one is not a call to write up. Gaps in a call that has not
    taken place (config `summaries.not_held_outcomes`) are not problems yet.
    """
    setup = _Setup.of(config)
    not_held = set(config.section("summaries").get("not_held_outcomes") or [])
    summaries: list[Summary] = []
    problems: list[Problem] = []
    for record in records:
        if not record.call_type:
            continue
        summary = _summarize(record, setup, lang)
        summaries.append(summary)
        if summary.missing and record.outcome not in not_held:
            problems.append(missing_problem(record, summary, config))
    return summaries, problems


def missing_problem(record: CallRecord, summary: Summary, config: Config) -> Problem:
    """Points at the notes cell, where the missing items are to be written."""
    items = config.section("summaries")["items"]
    names = [_pick((items.get(i) or {}).get("labels") or {}, "en") or i for i in summary.missing]
    kind = config.call_type_label(summary.call_type, "en") or "call"
    return Problem(
        sheet=record.sheet,
        row=record.row,
        column=record.columns.get("notes", ""),
        value=", ".join(summary.missing),
        message=f"{kind} summary is missing: {', '.join(names)}",
    )


# ---------------------------------------------------------------- reading the notes

def _pick(by_lang: Any, lang: str) -> str:
    if not isinstance(by_lang, dict):
        return "" if by_lang is None else str(by_lang)
    value = by_lang.get(lang)
    if value is None:
        value = by_lang.get("en", "")
    return str(value)


def _item_words(spec: dict) -> dict[str, str]:
    """normalised word -> item id: its id, labels in every language, and its keys."""
    words: dict[str, str] = {}
    for item, item_spec in spec["items"].items():
        item_spec = item_spec or {}
        for w in [item, *(item_spec.get("labels") or {}).values(), *(item_spec.get("keys") or [])]:
            key = normalize_word(w)
            if key:
                words.setdefault(key, item)
    return words


def _label_pattern(spec: dict) -> re.Pattern | None:
    words: set[str] = set()
    for item, item_spec in spec["items"].items():
        item_spec = item_spec or {}
        words.update(str(w) for w in (item_spec.get("labels") or {}).values())
        words.update(str(w) for w in item_spec.get("keys") or [])
    words = {w.strip() for w in words if len(w.strip()) > 1}
    if not words:
        return None
    alternatives = "|".join(
        r"\s+".join(map(re.escape, w.split())) for w in sorted(words, key=len, reverse=True)
    )
    return re.compile(rf"(?<!\w)(?:{alternatives})\s*[:：]", re.IGNORECASE)


def _split_items(line: str, labels: re.Pattern | None) -> list[str]:
    """One cell line holding the whole format, as the seed writes it inline:
    "Company Name: Acme – Company Website: acme.io – Contact Person: Jane", split
    before each label. A line with one label is left alone."""
    # Every label ends with a colon, so a line with fewer than two has nothing to split.
    if labels is None or line.count(":") + line.count("：") < 2:
        return [line]
    starts = [m.start() for m in labels.finditer(line)]
    if len(starts) < 2 or line[: starts[0]].strip(" \t–—-;|,"):
        return [line]
    bounds = starts[1:] + [len(line)]
    return [line[a:b].strip().rstrip("–—-;|,").strip() for a, b in zip(starts, bounds)]


def _key_value(line: str) -> tuple[str, str] | None:
    # The shared parser, line by line, so keys are read the same way by every engine.
    found = parse_key_values(line)
    return next(iter(found.items())) if found else None


def _read_notes(record: CallRecord, setup: _Setup, find_candidates: bool) -> _Notes:
    """Split the notes into items, candidate lines and free text.

    Unlike the shared parser, a plain line after a filled-in item is free text, not more
    of that item: consultants mix "Messenger: Telegram" with sentences about the call.
    Plain lines continue an item only under an empty heading ("Interview results:") or
    when indented or bulleted.
    """
    out = _Notes()
    words = setup.words
    lines: list[str] = []
    for raw in str(record.notes or "").splitlines():
        parts = _split_items(raw, setup.labels)
        # An unsplit line keeps its indent: indenting marks a continuation.
        lines.extend([raw] if len(parts) == 1 else parts)
    known = {normalize_word(p.name): p for p in record.candidates if p.name}
    refs = {normalize_word(p.ref): p for p in record.candidates if p.ref}
    current: str | None = None      # the item plain lines may continue
    heading = False                 # current item was an empty heading
    in_block = False                # under "Today we interviewed:"
    for raw in lines:
        line = raw.strip()
        if not line:
            current = None
            continue
        kv = _key_value(line)
        item = words.get(kv[0]) if kv else None
        if item == "candidates" and find_candidates:
            out.interview_heading = True
            in_block, current = True, None
            # "Today we interviewed: Ivan (E1) – strong" is one candidate; without a
            # dash or colon the value is a list of names.
            note = _candidate_line(kv[1], known, refs, True) if kv[1] else None
            if note is not None:
                out.candidates.append(note)
            else:
                for name in re.split(r"[,;、，]", kv[1]):
                    if name.strip():
                        out.candidates.append(CandidateNote(_person(name)))
            continue
        if item is not None and item != "candidates":
            in_block = False
            value = _blank_placeholder(kv[1])
            if item not in out.items:
                out.items[item] = value
            elif value:
                out.items[item] = f"{out.items[item]}\n{value}".strip()
            current, heading = item, not value
            continue
        if find_candidates:
            note = _candidate_line(line, known, refs, in_block)
            if note is not None:
                out.candidates.append(note)
                current = None
                continue
        if current is not None and (heading or _CONTINUES.match(raw)):
            # Kept on its own line, so a list under a heading stays a list.
            out.items[current] = f"{out.items[current]}\n{line}"
            continue
        current = None
        out.free.append(line)
    return out


def _blank_placeholder(value: str) -> str:
    """The standard's text copied with its dashes ("Company Website: –", "SM: – Olga"):
    a dash alone is a blank, a dash before the value is the separator."""
    if re.fullmatch(r"[\s–—\-_.…]*", value):
        return ""
    return re.sub(r"^[–—]\s+", "", value)


def _person(text: str) -> Person:
    m = re.match(r"^\s*(.+?)\s*[(（]([^)）]*)[)）]\s*$", text)
    if m:
        return Person(m.group(1).strip(), m.group(2).strip())
    return Person(text.strip())


def _candidate_line(line: str, known: dict, refs: dict, in_block: bool) -> CandidateNote | None:
    m = _CANDIDATE.match(line)
    if not m:
        return None
    name, ref, text = m.group("name").strip(), (m.group("ref") or "").strip(), m.group("text").strip()
    person = known.get(normalize_word(name)) or (refs.get(normalize_word(ref)) if ref else None)
    if person is not None:
        return CandidateNote(Person(person.name, ref or person.ref), text)
    # Unknown names count only when written the standard's way, "Name (ID) – ...", or
    # listed under the "Today we interviewed:" heading; otherwise "Budget: 3000" would
    # become a candidate.
    if ref or in_block:
        return CandidateNote(Person(name, ref), text)
    return None


def _merge_candidates(column: list[Person], noted: list[CandidateNote]) -> list[CandidateNote]:
    """The candidates column's order first, then people met only in the notes."""
    out: list[CandidateNote] = [CandidateNote(p) for p in column if p.name]
    for note in noted:
        key = normalize_word(note.person.name)
        for i, have in enumerate(out):
            same_ref = note.person.ref and normalize_word(have.person.ref) == normalize_word(note.person.ref)
            if normalize_word(have.person.name) == key or same_ref:
                person = Person(have.person.name, have.person.ref or note.person.ref)
                text = "; ".join(t for t in (have.text, note.text) if t)
                out[i] = CandidateNote(person, text)
                break
        else:
            out.append(note)
    return out


def _is_repeat_interview(record: CallRecord, notes: _Notes, spec: dict) -> bool:
    if record.candidates or notes.candidates or notes.interview_heading:
        return True
    if "interview_results" in notes.items:
        return True
    text = f"{record.call_type_raw}\n{record.notes}".casefold()
    return any(str(w).casefold() in text for w in spec.get("repeat_interview_words") or [])


# ---------------------------------------------------------------- values of the items

def _values(
    record: CallRecord,
    notes: _Notes,
    spec: dict,
    lang: str,
    label_lang: str,
    words: dict[str, str],
    config: Config,
) -> dict[str, str]:
    """item id -> the text to show ("" when nobody wrote it)."""
    extra: dict[str, str] = {}
    for header, value in (record.extra or {}).items():
        item = words.get(normalize_word(header))
        text = _as_text(value, spec, lang)
        if item and text and item not in extra:
            extra[item] = text

    values: dict[str, str] = {}
    for item, item_spec in spec["items"].items():
        value = notes.items.get(item, "")
        for column in (item_spec or {}).get("columns") or []:
            if value:
                break
            value = _column(record, column, spec, lang)
        values[item] = value or extra.get(item, "")

    if not values.get("next_contact_date"):
        values["next_contact_date"] = (
            _as_text(record.next_contact, spec, lang) if record.next_contact else record.next_contact_raw.strip()
        )
    if not values.get("summary"):
        values["summary"] = "\n".join(notes.free)
    if not values.get("messenger"):
        values["messenger"] = _messenger(record, spec, label_lang, config)
    return values


def _column(record: CallRecord, name: str, spec: dict, lang: str) -> str:
    value = getattr(record, name, None)
    if isinstance(value, (str, date)) and value:
        return _as_text(value, spec, lang)
    return str(record.fields.get(name) or "").strip()


def _as_text(value: Any, spec: dict, lang: str) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        text = _pick(spec["date_format"], lang).format(y=value.year, m=value.month, d=value.day)
        if value.hour or value.minute:
            text += _pick(spec["time_format"], lang).format(H=value.hour, M=value.minute)
        return text
    if isinstance(value, date):
        return _pick(spec["date_format"], lang).format(y=value.year, m=value.month, d=value.day)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _messenger(record: CallRecord, spec: dict, label_lang: str, config: Config) -> str:
    """The channel column when it names a messenger, else every one the notes mention."""
    messengers = spec.get("messengers") or {}
    if not messengers:
        return ""
    m = _messenger_matchers(messengers, config)

    def name(mid: str) -> str:
        return _pick({k: v for k, v in (messengers[mid] or {}).items() if k != "also"}, label_lang) or mid

    channel = (record.channel or "").strip()
    if channel:
        mid = channel if channel in messengers else m.by_word.get(normalize_word(channel))
        if mid:
            return name(mid)

    text = str(record.notes or "")
    if not text:
        return ""
    first: dict[str, int] = {}
    for pattern, fold in ((m.latin, True), (m.upper, False)):
        if pattern is None:
            continue
        for hit in pattern.finditer(text):
            mid = m.by_text[hit.group(0).casefold() if fold else hit.group(0)]
            first.setdefault(mid, hit.start())
    folded = text.casefold()
    for word, mid in m.others:
        i = folded.find(word)
        if i >= 0 and (mid not in first or i < first[mid]):
            first[mid] = i
    return ", ".join(name(mid) for mid, _ in sorted(first.items(), key=lambda kv: kv[1]))


@dataclass(frozen=True)
class _MessengerMatchers:
    by_word: dict[str, str]          # normalised name -> messenger id (the channel column)
    latin: re.Pattern | None         # Latin names, whole words, any case
    upper: re.Pattern | None         # names in capitals (LINE), matched as written
    by_text: dict[str, str]          # matched text (folded for `latin`) -> messenger id
    others: list[tuple[str, str]]    # (folded Cyrillic/CJK name, id): found anywhere


def _messenger_matchers(messengers: dict, config: Config) -> _MessengerMatchers:
    """Built once per Config: every row's notes are searched for every messenger, in one
    pass. Latin names need word edges ("tg" is not in "settings"); Cyrillic and CJK ones
    do not, since Russian inflects them ("в телеграме") and CJK has no spaces; a name in
    capitals (LINE) is matched as written, or every "line" would be a messenger."""
    key = "_summary_messenger_matchers"
    cached = config.__dict__.get(key)
    if cached is not None and cached[0] is messengers:
        return cached[1]
    by_word: dict[str, str] = {}
    by_text: dict[str, str] = {}
    latin: list[str] = []
    upper: list[str] = []
    others: list[tuple[str, str]] = []
    for mid, spec in messengers.items():
        spec = spec or {}
        words = [str(v) for k, v in spec.items() if k != "also"] + [str(w) for w in spec.get("also") or []]
        for w in filter(None, words):
            by_word.setdefault(normalize_word(w), mid)
            if w.isascii() and w.isupper() and len(w) > 2:
                upper.append(w)
                by_text.setdefault(w, mid)
            elif w.isascii():
                latin.append(w)
                by_text.setdefault(w.casefold(), mid)
            else:
                others.append((w.casefold(), mid))

    def pattern(words: list[str], flags: int) -> re.Pattern | None:
        if not words:
            return None
        alternatives = "|".join(map(re.escape, sorted(set(words), key=len, reverse=True)))
        return re.compile(rf"(?<![\w])(?:{alternatives})(?![\w])", flags)

    built = _MessengerMatchers(by_word, pattern(latin, re.IGNORECASE), pattern(upper, 0), by_text, others)
    config.__dict__[key] = (messengers, built)
    return built


def _template_base(setup: _Setup, call_type: str, lang: str) -> str:
    """The call type's own format, else the generic short one (user-added call types)."""
    if call_type:
        try:
            setup.template(f"summaries/{call_type}", lang)
            return f"summaries/{call_type}"
        except TemplateError:
            pass
    return "summaries/generic"
