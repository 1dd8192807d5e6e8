"""Meeting summaries in the agency's standard comment format (seed 002).

One format per call type, as a template (templates/summaries/<call_type>.txt.j2); every
word in it comes from config `summaries` (defaults/summaries.yaml), so the same layout
serves all four languages and a user changes a format by editing a template, not Python.
Values come from `Key: value` lines of the row's notes first (that is where the
consultant writes the comment), then from the row's columns. What the notes say that a
format has no place for is shown at its end under "Other notes:", as written: nothing the
consultant wrote is lost. Pure: no clock, no files beyond the templates the renderer loads.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Callable, Iterable

from .collector import collector_paused
from .config import Config, normalize_word
from .errors import TemplateMissing
from .fork import Child as _Child, may_fork
from .model import CallRecord, Person, Problem
from .notes import key_value, label_pattern
from .phrases import phrase_people
from .render import attributes_read, renderer, template_name

# A candidate's line: "Ivan Petrov: ...", "Ivan Petrov (E123) – ...", "王伟（E7）：...", "张伟（E12）——...",
# "佐藤 健（E101）－...". After an ID in brackets a hyphen, a long-vowel mark or a tilde is a
# separator even without spaces ("Ivan Petrov (E123)-strong"); without an ID a hyphen needs
# spaces, or "Petrov-Vodkin" would be cut. A space alone is none: "Salary (gross) 150k".
_CANDIDATE = re.compile(
    r"^\s*(?:[-•*·]\s*)?(?P<name>[^:：()（）\n]+?)\s*"
    r"(?:[(（](?P<ref>[^)）]{0,40})[)）])?\s*"
    r"(?:[:：]|[–—―─－]+|\s-\s|(?(ref)[-ー～~]|(?!)))\s*(?P<text>.*)$"
)
# "Anna Li, designer, 3 years": a candidate's line under "Today we interviewed:" only.
_CANDIDATE_COMMA = re.compile(
    r"^\s*(?:[-•*·]\s*)?(?P<name>[^,，:：()（）\n]+?)\s*(?:[(（](?P<ref>[^)）]{0,40})[)）])?\s*[,，]\s*(?P<text>.*)$"
)
# "Anna Li (E1)" alone on its line: a candidate's when the name and ID are written the
# standard's way (`_an_id_after_a_name`), with the comment on the lines below.
_CANDIDATE_BARE = re.compile(
    r"^\s*(?:[-•*·]\s*)?(?P<name>[^:：()（）\n,，]+?)\s*[(（](?P<ref>[^)）]{1,40})[)）]\s*$"
)
# A line that belongs to the item above it, whatever it says (a list under a heading).
_CONTINUES = re.compile(r"^(?:\s+|\s*[-•*·]\s)")
# A placeholder dash, and a dash before the value ("SM: – Olga").
_DASHES = re.compile(r"[\s–—―─－\-_.…]*")
_LEADING_DASH = re.compile(r"^[–—―─－]+\s+")
_A_LETTER = re.compile(r"[^\W_]")
_CALLED_OFF_SHOWN = frozenset({"candidates", "sm"})


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


@dataclass(slots=True)
class _Notes:
    """What the notes say, split into the format's items and the rest."""

    items: dict[str, str] = field(default_factory=dict)
    candidates: list[CandidateNote] = field(default_factory=list)
    free: list[str] = field(default_factory=list)
    interview_heading: bool = False   # "Today we interviewed:" was written
    ids_written: bool = False         # a candidate's line gave an ID: "Ivan Petrov (E123) – ..."
    # Every line of the items and the free text, as (item, line) (item None: free text),
    # in the order written: what the format shows nowhere is shown from these as written.
    written: list[tuple[str | None, str]] = field(default_factory=list)


# ---------------------------------------------------------------- the public API

class _Items(dict):
    """A dict whose keys are also attributes. Templates write `v.company_name`, and
    jinja2 tries an attribute before an item: on a plain dict that raised (and caught)
    an AttributeError for every value of every row."""

    def __init__(self, values: dict):
        dict.__init__(self, values)
        if _DICT_NAMES.isdisjoint(values):
            # dict.__init__ and a copy: a fifth faster than super() and an update, on every row.
            self.__dict__ = values.copy()
        else:
            # A key named like a dict method (`items`) stays an item only, as in a plain dict.
            self.__dict__.update((k, v) for k, v in values.items() if k not in _DICT_NAMES)

    @classmethod
    def sharing(cls, values: dict) -> "_Items":
        """`_Items(values)` for values whose keys are known to name no dict method and that
        nobody changes after: `values` itself becomes the attributes. A row's values are
        such, and this takes half the time (0.08 s at 100 000 rows)."""
        items = cls.__new__(cls)
        dict.update(items, values)
        items.__dict__ = values
        return items


_DICT_NAMES = frozenset(dir(dict))


@dataclass(slots=True)   # not frozen: a frozen dataclass is slow to make, and lines are many
class _Line:
    """One line of notes, read once however many rows repeat it."""

    raw: str                    # as written: an unsplit line keeps its indent
    line: str                   # stripped
    item: str | None            # the item of a `Key: value` line
    value: str                  # the value of a `Key: value` line, as written
    blank: str                  # the same, a placeholder dash read as a blank
    continues: bool             # indented or bulleted
    written: tuple[str | None, str]   # (item, line): its _Notes.written as an item's line or a free one
    # "" for most lines; "speech": an item that holds a name (`name_items`) under another
    # word than its label, whose value does not read as one ("Client: wants a daily
    # report"); "verdict": a label of `verdict_labels` ("Client feedback:"). Each row reads
    # these its own way (`_as_read`).
    odd: str = ""
    said: bool = False            # `_as_read` of a speech line: what someone said, no candidate's line


@dataclass(frozen=True)
class _Form:
    """What every row of one call type in one language shares."""

    render: Any                 # context -> text
    context: dict[str, Any]     # the fixed part of the template's context
    label_lang: str             # the language its labels are in
    required: tuple[str, ...]   # the items it requires
    actions: list[str]
    messenger: bool             # the messenger is shown or required: worth looking for
    shown: frozenset[str] | None   # the items the format shows; None: it cannot be told
    summary_shown: bool            # "summary" in shown (or it cannot be told)
    plain_keys: bool               # no item a row's values may hold is named like a dict method (_Items.sharing)


@dataclass
class _Setup:
    """What every row of one run shares: read once, not per row (logs have thousands)."""

    config: Config
    words: dict[str, str]
    labels: re.Pattern | None       # any item's label or key followed by a colon
    spec: dict = field(default_factory=dict)
    item_columns: list[tuple[str, list[str]]] = field(default_factory=list)   # the items that have columns
    columns_of: dict[str, list[str]] = field(default_factory=dict)             # the same, by item
    no_values: dict[str, str] = field(default_factory=dict)                    # every item, empty
    templates: dict[tuple[str, str], str] = field(default_factory=dict)
    lines: dict[str, tuple[_Line, ...]] = field(default_factory=dict)
    messenger_lines: dict[str, bool] = field(default_factory=dict)   # line -> names a messenger
    forms: dict[tuple[str, str, bool, str], _Form] = field(default_factory=dict)
    texts: dict[tuple[Any, str], str] = field(default_factory=dict)
    channels: dict[str, str] = field(default_factory=dict)                   # channel column -> its messenger's id
    messenger_names: dict[str, dict[str, str]] = field(default_factory=dict)    # label language -> id -> name
    negation: tuple[tuple[str, ...], tuple[str, ...]] | None = None          # `_negation_words`, when first asked
    agreement: tuple[re.Pattern, re.Pattern] | None = None                   # `_agreement_words`, when first asked
    candidates: dict[str, tuple | None] = field(default_factory=dict)
    short_lines: set[str] = field(default_factory=set)   # `candidate`'s lines that may name one shorter
    inline_heads: dict[str, tuple] = field(default_factory=dict)     # heading value -> _inline_heads
    required_items: dict[str, list[str]] = field(default_factory=dict)
    spelt: dict[int, list[tuple[str, str]]] | None = None            # length -> (normalised label, item), for misspelt_label
    # length -> the spelt labels one letter shorter to one longer, and their first and last letters
    near_labels: dict[int, tuple[list[tuple[str, str]], set[str], set[str]]] = field(default_factory=dict)
    misspelt: dict[str, str | None] = field(default_factory=dict)     # unknown key -> the item it is one edit from
    repeat_interview_types: dict[str, bool] = field(default_factory=dict)   # call type as typed -> names a second interview
    rounds: tuple[str, ...] | None = None     # `round_words`, casefolded, made when first asked
    round_keys: tuple[str, ...] = ()          # the same, normalised (config.normalize_word)
    round_heads: dict[str, bool] = field(default_factory=dict)   # a first line of notes -> `headed_as_a_round`
    headings: dict[str, str] = field(default_factory=dict)       # a first line of notes -> `heading`
    clarifying_types: dict[str, bool] = field(default_factory=dict)   # call type as typed -> `clarifies`
    heading_people: dict[str, Person | None] = field(default_factory=dict)   # a first line -> `heading_candidate`
    # `round_candidate_words`: its `before` and `after`, casefolded, longest first; made when first asked
    round_candidate_words: tuple[tuple[str, ...], tuple[str, ...]] | None = None
    many: bool = False      # thousands of rows: each format becomes Python at once (render.renderer)
    called_off: frozenset[str] = frozenset()   # outcomes of an interview that did not take place
    not_held: frozenset[str] = frozenset()     # outcomes of a call that has not taken place (yet)
    name_items: frozenset[str] = frozenset()   # items that hold a name (summaries.yaml `name_items`)
    name_labels: frozenset[str] = frozenset()  # their labels in every language, normalised
    verdict_labels: frozenset[str] = frozenset()   # `verdict_labels`, normalised
    verdict_words: re.Pattern | None = None    # `verdict_words`, made when first asked (`verdict`)
    client_words: re.Pattern | None = None     # `client_words`, made when first asked (`by_the_client`)
    honorifics: tuple[str, ...] = ()           # `name_honorifics`, normalised
    clarification_words: re.Pattern | None = None   # `clarification_words`, made when first asked (`clarifies`)
    clarification_pieces: tuple[str, ...] = ()      # the longest piece of each, without spaces, casefolded

    @classmethod
    def of(cls, config: Config) -> "_Setup":
        spec = config.section("summaries")
        items = [(item, list((item_spec or {}).get("columns") or [])) for item, item_spec in spec["items"].items()]
        item_columns = [(i, c) for i, c in items if c]
        name_items = frozenset(spec.get("name_items") or ())
        name_labels = frozenset(normalize_word(w) for item in name_items
                                for w in [item, *((spec["items"].get(item) or {}).get("labels") or {}).values()])
        return cls(config, _item_words(spec), label_pattern(spec), spec, item_columns, dict(item_columns),
                   dict.fromkeys(spec["items"], ""), called_off=frozenset(spec.get("called_off_outcomes") or ()),
                   not_held=frozenset(spec.get("not_held_outcomes") or ()),
                   name_items=name_items, name_labels=name_labels,
                   verdict_labels=frozenset(map(normalize_word, spec.get("verdict_labels") or ())),
                   honorifics=tuple(dict.fromkeys(filter(None, map(normalize_word, spec.get("name_honorifics") or ())))))

    def template(self, base: str, lang: str) -> str:
        key = (base, lang)
        if key not in self.templates:
            self.templates[key] = template_name(self.config, base, lang)
        return self.templates[key]

    def read_line(self, raw: str) -> tuple[_Line, ...]:
        """A line of the notes, split where it holds several items (`lines` has those
        read already)."""
        parts = _split_items(raw, self.labels)
        out = []
        # An unsplit line keeps its indent: indenting marks a continuation.
        for part in [raw] if len(parts) == 1 else parts:
            line = part.strip()
            kv = key_value(line) if line else None   # the shared parser's, as every engine reads keys
            value = kv[1] if kv else ""
            item = (self.words.get(kv[0]) or self.misspelt_label(kv[0])) if kv else None
            blank = _blank_placeholder(value)
            odd = ""
            if item is None:
                if kv is not None and kv[0] in self.verdict_labels:
                    odd = "verdict"
            # Under the item's label ("Company Name:", "公司名称：") the value is the item, however
            # long; under one of its other words ("Client:", "Manager:", "客户：") it may be
            # what that person said.
            elif item in self.name_items and kv[0] not in self.name_labels and not _a_name_first(blank):
                odd = "speech"
            out.append(_Line(part, line, item, value, blank, bool(_CONTINUES.match(part)), (item, line), odd))
        self.lines[raw] = found = tuple(out)
        return found

    def misspelt_label(self, key: str) -> str | None:
        """The item whose label, in any language, `key` is one typo away from
        ("Immediate Requirment"). Labels only, of 6 letters or more: a short word or a key
        ("client") is too near to everyday words ("clients")."""
        if key not in self.misspelt:
            if self.spelt is None:
                self.spelt = {}
                for item, item_spec in self.spec["items"].items():
                    for label in map(normalize_word, ((item_spec or {}).get("labels") or {}).values()):
                        if len(label) >= 6:
                            self.spelt.setdefault(len(label), []).append((label, item))
            n = len(key)
            near = self.near_labels.get(n)
            if near is None:
                labels = [*self.spelt.get(n - 1, ()), *self.spelt.get(n, ()), *self.spelt.get(n + 1, ())]
                near = self.near_labels[n] = (labels, {label[0] for label, _ in labels},
                                              {label[-1] for label, _ in labels})
            labels, firsts, lasts = near
            # One edit leaves the first letter or the last as it was: most keys (a candidate's
            # name) share neither with a label of about their length, told by two set lookups.
            self.misspelt[key] = None if key[0] not in firsts and key[-1] not in lasts else next(
                (item for label, item in labels if (key[0] == label[0] or key[-1] == label[-1])
                 and _one_edit_apart(key, label)), None)
        return self.misspelt[key]

    def verdict(self, line: str) -> bool:
        """Whether `line` holds one of `verdict_words`."""
        if self.verdict_words is None:
            self.verdict_words = _words_pattern(self.spec.get("verdict_words") or [])
        return self.verdict_words.search(line) is not None

    def by_the_client(self, line: str, client: str) -> bool:
        """Whether `line` begins with the client: one of `client_words` ("Client", "The
        client", "Клиенту", "客户", "先方") or the row's Client column ("Acme liked Anna"),
        a word in letters with capitals whole ("Clients of hers" is not the client)."""
        if self.client_words is None:
            self.client_words = _words_pattern(self.spec.get("client_words") or [], whole=True, start=True)
        if self.client_words.match(line):
            return True
        client = " ".join(client.split()).casefold()
        return bool(client) and _begins_with(" ".join(line.split()).casefold(), client)

    def round_words(self) -> tuple[str, ...]:
        """The words that name a later round of interviews, casefolded: `repeat_interview_words`,
        and the repeat call's own words in call_types.yaml (`also`) that name an interview,
        holding a word of the interview call type ("follow-up interview", "2-е собеседование",
        "3次面接"; not "clarification call", "второй звонок"), so a word a user adds for the
        repeat call counts too."""
        if self.rounds is None:
            types = self.config.call_types
            interview = types.get("interview")
            named = {w.casefold() for w in [*interview.labels.values(), *interview.also]} if interview else set()
            also = types["repeat_call"].also if "repeat_call" in types else ()
            words = [str(w).casefold() for w in self.spec.get("repeat_interview_words") or []]
            words += [w.casefold() for w in also
                      if any(n in w.casefold() for n in named) and not self.clarifies(w)]
            self.rounds = tuple(dict.fromkeys(w for w in words if w.strip()))
            self.round_keys = tuple(dict.fromkeys(filter(None, map(normalize_word, self.rounds))))
        return self.rounds

    def repeat_interview_type(self, typed: str) -> bool:
        """Whether the call type as typed names a second interview ("second interview",
        "Follow-up interview", "二面": `round_words`, in any case and punctuation). Not the
        repeat call's own label: in Chinese that is 复试, a second interview too, and every
        repeat call would be one."""
        found = self.repeat_interview_types.get(typed)
        if found is None:
            ct = self.config.call_types.get("repeat_call")
            own = {normalize_word(label) for label in ct.labels.values()} if ct else set()
            self.round_words()
            key = normalize_word(typed)
            found = key not in own and any(w in key for w in self.round_keys)
            self.repeat_interview_types[typed] = found
        return found

    def headed_as_a_round(self, line: str) -> bool:
        """Whether a first line of notes is headed as a later round: its heading (up to its
        colon or spaced dash, else the whole line) begins with one of `round_words`
        ("Second interview with Anna Petrova: …", "Второе интервью, кандидат …: …",
        "二面：…"), or ends with one written without letters of case (Chinese and Japanese
        put the person first: "与王伟二面：…", "佐藤さんと二次面接：…"), and the line holds
        none of `clarification_words` ("Second interview: confirmed for Friday",
        "二面时间确认：…"), nor one of the round's ("二面的时间改到周五", "二次面接の日程：…").
        A round named further on ("Clarify the details of the second interview", "Anna
        asked about the second round: …") is what a call is about, not what it was."""
        found = self.round_heads.get(line)
        if found is None:
            self.round_words()
            head = normalize_word(self.heading(line))
            found = self.round_heads[line] = bool(head) and any(
                (head.startswith(w) and head[len(w):len(w) + 1] not in _OF) or (w.upper() == w and head.endswith(w))
                for w in self.round_keys
            ) and not self.clarifies(line)
        return found

    def heading(self, line: str) -> str:
        """A first line of notes up to its colon or spaced dash, else the whole line: searched
        once for `headed_as_a_round` and `heading_candidate` both."""
        head = self.headings.get(line)
        if head is None:
            end = _HEADING_END.search(line)
            head = self.headings[line] = line[:end.start()] if end else line
        return head

    def heading_candidate(self, line: str) -> Person | None:
        """The candidate a first line of notes headed as a later round names (`headed_as_a_round`):
        the rest of its heading past the round's word, before one of `round_candidate_words`
        `after` ("佐藤さんと二次面接：…") or after one of its `before` ("Second interview with
        Lucas Walker: …", "Второе интервью, кандидат Павел Козлов: …", "与王伟二面：…"),
        with its ID if written there ("with Anna Li (E1)"). None unless that reads as a
        person's name (`a_name`: "with the client", "with Anna and Ivan" are none). Asked
        once per line."""
        if line in self.heading_people:
            return self.heading_people[line]
        if self.round_candidate_words is None:
            spec = self.spec.get("round_candidate_words") or {}

            def folded(side: str) -> tuple[str, ...]:
                words = {str(w).strip().casefold() for w in spec.get(side) or []}
                return tuple(sorted(filter(None, words), key=len, reverse=True))

            self.round_candidate_words = (folded("before"), folded("after"))
        head = " ".join(self.heading(line).split())
        folded = head.casefold()
        found = None
        if len(folded) == len(head) and self.headed_as_a_round(line):
            rest = next((head[len(w):] if folded.startswith(w) else head[:-len(w)]
                         for w in sorted(self.round_words(), key=len, reverse=True)
                         if folded.startswith(w) or folded.endswith(w)), "").strip(_HEADING_PUNCTUATION)
            folded = rest.casefold()
            before, after = self.round_candidate_words
            # `after` first: its words (kana) end no Chinese name, where a word of `before`
            # may begin a Japanese one (和 of "和田と二次面接").
            w = next((w for w in after if folded.endswith(w)), None)
            if w is not None:
                found = _person(rest[:-len(w)].strip(_HEADING_PUNCTUATION))
            else:
                # A word in letters with capitals is one whole ("with", not "Withers").
                w = next((w for w in before if folded.startswith(w) and (
                    w[-1:].lower() == w[-1:].upper() or folded[len(w):len(w) + 1] == " ")), None)
                found = None if w is None else _person(rest[len(w):].strip(_HEADING_PUNCTUATION))
            if found is not None and not self.a_name(found.name):
                found = None
        self.heading_people[line] = found
        return found

    def a_name(self, name: str) -> bool:
        """Whether a heading's words read as a person's name: one to four capitalised words
        of letters ("Lucas Walker", "Павел Козлов"), or in a script without capitals two to
        eight letters, one space at most ("王伟", "佐藤 健"), that do not begin with one of
        `client_words` ("客户", "クライアント")."""
        words = name.split()
        # Hyphens and apostrophes join letters of one name ("Mary-Jane O'Brien").
        if not words or not "".join(words).translate(_NAME_JOINERS).isalpha():
            return False
        first = words[0][:1]
        if first.lower() != first.upper():
            return len(words) <= 4 and all(w[:1].isupper() for w in words)
        return len(words) <= 2 and 2 <= len("".join(words)) <= 8 and not self.by_the_client(name, "")

    def clarifies(self, text: str) -> bool:
        """Whether `text` (a call type as typed, a row's notes) holds one of
        `clarification_words`."""
        if self.clarification_words is None:
            words = [str(w).strip() for w in self.spec.get("clarification_words") or []]
            self.clarification_words = _words_pattern(words)
            self.clarification_pieces = tuple({max(re.split(r"[\s'’]+", w.casefold()), key=len) for w in words if w})
        # The pattern matches no text without one of the pieces: telling so by substrings takes
        # a twentieth of its search (100 µs on a line of Japanese, where no literal start helps it).
        folded = text.casefold()
        return any(p in folded for p in self.clarification_pieces) and self.clarification_words.search(text) is not None

    def required(self, form: str) -> list[str]:
        if form not in self.required_items:
            required = (self.spec.get("required") or {}).get(form) or []
            # A user's tracker.yaml may name a single item without the list brackets.
            self.required_items[form] = [required] if isinstance(required, str) else [str(i) for i in required]
        return list(self.required_items[form])

    def messenger(self, record: CallRecord, label_lang: str) -> str:
        """The messenger the notes say was agreed on, else the channel column's, else every
        messenger the notes name. The column is the channel the call itself was held on
        ("WhatsApp"); the notes say which one was agreed on it ("Agreed to use Telegram
        for daily communication"), and that is what the format asks for: theirs win,
        without the column's when they name another too ("Call held on WhatsApp video.
        Agreed to use Telegram": Telegram). Beside the column, a messenger the notes name
        without saying it was agreed on ("Client will send the NDA by e-mail",
        `_agreed`) is not the one. A log has a handful of channels, and most lines name
        no messenger: each is asked once."""
        channel = self.channels.get(record.channel)
        if channel is None:
            channel = self.channels[record.channel] = _channel_messenger(record.channel, self.spec, self.config)
        names = self.messenger_names.get(label_lang)
        if names is None:
            messengers = self.spec.get("messengers") or {}
            names = self.messenger_names[label_lang] = {mid: _messenger_name(messengers, mid, label_lang)
                                                        for mid in messengers}
        notes = str(record.notes or "")
        lines = self.messenger_lines
        for raw in notes.splitlines():
            named = lines.get(raw)
            if named is None:
                named = lines[raw] = _names_a_messenger(raw, self.spec, self.config)
            if named:
                if self.negation is None:
                    self.negation = _negation_words(self.spec)
                if channel and self.agreement is None:
                    self.agreement = _agreement_words(self.spec)
                found = _notes_messengers(notes, self.spec, self.config, self.negation,
                                          self.agreement if channel else None)
                if channel in found and len(found) > 1:
                    found.remove(channel)
                if found:
                    return ", ".join([names[mid] for mid in found])
                break
        return names[channel] if channel else ""

    def candidate(self, line: str) -> tuple | None:
        """`_candidate_match` of a line (asked of interviews' lines only); a line whose name may
        be a candidate's shorter one (`_short_form`) joins `short_lines`."""
        if line not in self.candidates:
            found = self.candidates[line] = _candidate_match(line)
            if found is not None and not found[1] and _short_form(found, self):
                self.short_lines.add(line)
        return self.candidates[line]

    def as_text(self, value: Any, lang: str) -> str:
        # The same few dates recur on thousands of rows.
        key = (value, lang)
        text = self.texts.get(key)
        if text is None:
            text = self.texts[key] = _as_text(value, self.spec, lang)
        return text

    def form(self, call_type: str, lang: str, repeat_interview: bool) -> _Form:
        key = (call_type, lang, repeat_interview)
        form = self.forms.get(key)
        if form is None:
            form = self.forms[key] = self._form(call_type, lang, repeat_interview)
        return form

    def _form(self, call_type: str, lang: str, repeat_interview: bool) -> _Form:
        config, spec = self.config, self.spec
        label_lang = label_language(config, lang)
        labels = item_labels(config, label_lang)
        ct = config.call_types.get(call_type)
        base = _template_base(self, call_type, lang)
        context = dict(
            L=_Items(labels),
            checkbox=spec["checkbox"],
            actions_heading=_pick(spec["actions_heading"], lang),
            gap=spec["gap"],
            missing_mark=_pick(spec["missing_mark"], lang),
            worldwide=_pick(spec["worldwide"], label_lang),
            keep_in_touch=_pick(spec["keep_in_touch"], label_lang),
            other_heading=_pick(spec["other_heading"], label_lang),
            called_off_heading=_pick(spec.get("called_off_heading") or {"en": ""}, label_lang),
            repeat_interview=repeat_interview,
            interview_template=self.template("summaries/interview", lang),
            call_type=call_type,
            call_type_label=config.call_type_label(call_type, lang),
            language=lang,
            label_language=label_lang,
        )
        # Finding the messenger means searching every line of the notes: not done for a
        # format that neither shows nor requires it.
        shown = attributes_read(config, base, lang, "v")
        required = self.required("repeat_interview" if repeat_interview else call_type)
        messenger = shown is None or "messenger" in shown or "messenger" in required
        if shown is None and base == "summaries/repeat_call":
            # The shipped format includes the interview's or the short one by a computed name.
            shown = attributes_read(config, "summaries/interview" if repeat_interview else "summaries/_short", lang, "v")
        actions = ct.actions_in(lang) if ct else []
        keys = {*self.no_values, "next_contact_date", "messenger", *required}   # what `_summarize` may set
        return _Form(renderer(config, base, lang, "txt", fixed=dict(context, actions=actions), many=self.many),
                     context, label_lang, tuple(required), actions, messenger, shown,
                     shown is None or "summary" in shown, _DICT_NAMES.isdisjoint(keys))


def label_language(config: Config, lang: str) -> str:
    """The language a summary in `lang` writes its labels in (Russian keeps the English
    standard's)."""
    return _pick(config.section("summaries")["label_language"], lang) or lang


def item_labels(config: Config, label_lang: str) -> dict[str, str]:
    """item -> its label as a summary writes it in `label_lang`, with the separator
    ("Company Name: ", "公司名称：")."""
    spec = config.section("summaries")
    separator = _pick(spec["separator"], label_lang)
    return {item: f"{_pick((item_spec or {}).get('labels') or {}, label_lang) or item}{separator}"
            for item, item_spec in spec["items"].items()}


def summarize(record: CallRecord, config: Config, lang: str | None = None) -> Summary:
    """The summary of one row in `lang`, else the row's language, else the config's.

    A row without a known call type gets the generic short format (templates/summaries/
    generic.txt.j2), so a summary can always be asked for.
    """
    return _summarize(record, _Setup.of(config), lang)


def _summarize(record: CallRecord, setup: _Setup, lang: str | None) -> Summary:
    lang = lang or record.language or setup.config.language
    call_type = record.call_type or ""

    interview_like = call_type in ("interview", "repeat_call")
    if call_type == "repeat_call":
        # "Second interview with Lucas Walker: …" beside a blank Candidates column: he is the
        # candidate, as if the column named him (the notes' lines with his ID meet him there).
        # Not a copy of the record with him: its columns are read on first use, into the record.
        person = _heading_candidate(record, setup)
        column = record.candidates if person is None else [person]
    else:
        column = record.candidates
    # An interview not held yet (planned, confirmed) has no verdict: its plain sentences are
    # other notes. A blank outcome is judged as held: a summary has no clock to tell.
    held = record.outcome not in setup.not_held
    notes = _read_notes(record, setup, find_candidates=interview_like, column=column, held=held)
    repeat_interview = call_type == "repeat_call" and _is_repeat_interview(record, notes, setup)
    if call_type == "repeat_call" and not repeat_interview:
        notes = _read_notes(record, setup, find_candidates=False)
    elif repeat_interview and person is not None:
        _describe_heading_candidate(notes, person, record, setup)
    form = "repeat_interview" if repeat_interview else call_type
    fixed = setup.form(call_type, lang, repeat_interview)
    required = list(fixed.required)
    values = _values(record, notes, setup, lang, fixed.label_lang, fixed.messenger)
    # Plain lines are the summary when none was labelled.
    free_is_summary = bool(notes.free) and not values["summary"]
    if free_is_summary:
        values["summary"] = "\n".join(notes.free)
    shown, summary_shown = fixed.shown, fixed.summary_shown
    candidates: list[CandidateNote] = []
    called_off = ""
    if form in ("interview", "repeat_interview"):
        candidates = _merge_candidates(column, notes.candidates)
        if record.outcome in setup.called_off:
            called_off = setup.config.list_label("outcome", record.outcome, lang)
            # The format shows who and the manager then: the rest is other notes.
            shown, summary_shown = _CALLED_OFF_SHOWN, False
            required = [item for item in required if item in _CALLED_OFF_SHOWN]
        # Plain sentences in a held interview's notes are, in practice, the client's verdict.
        elif held and not values["interview_results"] and values["summary"]:
            values["interview_results"] = values["summary"]
            shown, summary_shown = None if shown is None else shown | {"summary"}, True
    # A "Candidates:" line of the notes wins over the column, as every item's does (a
    # third of the rows name nobody: no names to join).
    if not values["candidates"] and (candidates or column):
        names = [c.person for c in candidates] if candidates else [p for p in column if p.name]
        values["candidates"] = ", ".join(map(str, names))
    other = _other_notes(notes, shown, free_is_summary and summary_shown)

    missing = [item for item in required if not values.get(item)]
    for item in missing:
        values[item] = fixed.context["missing_mark"]

    # The form's fixed words are the renderer's already: the context holds the row's part.
    context = {
        "v": _Items.sharing(values) if fixed.plain_keys else _Items(values),
        "candidates": candidates,
        "called_off": called_off,
        "other": other,
        "actions": list(fixed.actions),
        "required": required,
        "missing": missing,
        "record": record,
    }
    return Summary(record.sheet, record.row, record.id, call_type, lang, _tidy(fixed.render(context)), missing)


# A line ending in a space, a tab or other whitespace: looked for from its "\n", at C speed.
_SPACE_AT_LINE_END = re.compile(r"\n(?<=[^\S\n]\n)")


def _tidy(text: str) -> str:
    """`text` without whitespace at the end of a line, each line ended by "\n" (of the
    line breaks str.splitlines knows). Most summaries have nothing to tidy (a label
    without a value ends a line in a space in a few): telling so takes 1.5 µs, where
    splitting every one into lines took 2.4 (0.09 s at 100 000 rows)."""
    if (_SPACE_AT_LINE_END.search(text) is None and not text[-1:].isspace()
            and "\r" not in text and "\x0b" not in text and "\x0c" not in text and "\x1c" not in text
            and "\x1d" not in text and "\x1e" not in text and "\x85" not in text and "\u2028" not in text
            and "\u2029" not in text):
        return text
    return "\n".join(map(str.rstrip, text.splitlines()))


def summarize_all(
    records: Iterable[CallRecord], config: Config, lang: str | None = None
) -> tuple[list[Summary], list[Problem]]:
    """Summaries of the rows that have a call type, and one Problem per summary with gaps.

    Rows without a call type are skipped: the log reader already reports an unreadable
    call type, and a blank one is not a call to write up. Gaps in a call that has not
    taken place (config `summaries.not_held_outcomes`) are not problems yet.
    """
    return summaries_started(records, config, lang).result()


class SummariesStarted:
    """`summarize_all`, begun: on a big log a child process computes a share of the rows
    (`away`) at once, on the other core, while this one goes on with other work;
    `result()` computes the rest here and collects the child's. Where there is no fork
    (Windows), or it fails, this process computes every row itself: same results."""

    def __init__(self, records: Iterable[CallRecord], config: Config, lang: str | None, away: float,
                 checksum: Callable[[str], bytes] | None = None):
        self.config, self.lang = config, lang
        self.checksum = checksum
        self.sums: dict[int, bytes] = {}
        self.setup = _Setup.of(config)
        self.rows = [r for r in records if r.call_type]
        # Past this many rows, the 300 renders each format takes through jinja2 before
        # it becomes Python cost more than making it Python at once (0.15 s at 100 000).
        self.setup.many = len(self.rows) >= _FORK_FROM
        self.cut = len(self.rows)
        self.child: _Child | None = None
        if _may_fork(len(self.rows)):
            self.cut = len(self.rows) - int(len(self.rows) * away)
            theirs = self.rows[self.cut:]
            self.child = _Child(lambda: ([_texts(r, self.setup, lang, checksum) for r in theirs[i:i + _CHUNK]]
                                         for i in range(0, len(theirs), _CHUNK)))

    def result(self) -> tuple[list[Summary], list[Problem]]:
        summaries, theirs = self._collect()
        with collector_paused():
            if theirs is None:
                summaries += [_summarize(r, self.setup, self.lang) for r in self.rows[self.cut:]]
            else:
                summaries += [Summary(r.sheet, r.row, r.id, r.call_type or "", lang, text, missing)
                              for r, (lang, text, missing, _) in zip(self.rows[self.cut:], theirs)]
        not_held = set(self.setup.spec.get("not_held_outcomes") or [])
        problems = [missing_problem(r, s, self.config) for r, s in zip(self.rows, summaries)
                    if s.missing and r.outcome not in not_held]
        return summaries, problems

    def texts(self) -> dict[int, str]:
        """Excel row -> summary text: what `refresh` writes, without the Summary objects
        and problems `result()` makes of the child's rows (0.1 s at 100 000 rows)."""
        texts, theirs = self._collect(text_only=True)
        out = dict(zip([r.row for r in self.rows], texts))
        rest = self.rows[self.cut:]
        with collector_paused():
            if theirs is None:
                out.update((r.row, _summarize(r, self.setup, self.lang).text) for r in rest)
            else:
                rows = [r.row for r in rest]
                out.update(zip(rows, [text for _, text, _, _ in theirs]))
                if self.checksum is not None:
                    self.sums.update(zip(rows, [ck for _, _, _, ck in theirs]))
        return out

    def checksums(self) -> dict[int, bytes]:
        """Excel row -> `checksum` of its summary, for the rows `texts()` gave, each worked
        out by the process that made the summary, while the other was still at work."""
        return self.sums

    def _collect(self, text_only: bool = False) -> tuple[list, list[tuple[str, str, list[str], bytes | None]] | None]:
        """This process's summaries (their texts only, when `text_only`: strings are
        nothing for the collector to go through when it is back on, where 100 000
        Summary objects took it 0.02 s), and the child's (`_texts` of each of its rows;
        None when there is no child or it failed)."""
        setup, lang, mine = self.setup, self.lang, self.rows[:self.cut]
        try:
            with collector_paused():
                if text_only:
                    summaries = texts = [_summarize(r, setup, lang).text for r in mine]
                else:
                    summaries = [_summarize(r, setup, lang) for r in mine]
                    texts = [s.text for s in summaries]
                if self.checksum is not None:
                    self.sums.update(zip([r.row for r in mine], map(self.checksum, texts)))
                theirs = self.child.result() if self.child else None
        except BaseException:
            self.cancel()
            raise
        self.child = None
        return summaries, theirs

    def cancel(self) -> None:
        if self.child:
            self.child.cancel()
            self.child = None


def summaries_started(records: Iterable[CallRecord], config: Config, lang: str | None = None,
                      *, away: float = 0.5, checksum: Callable[[str], bytes] | None = None) -> SummariesStarted:
    return SummariesStarted(records, config, lang, away, checksum)


def _texts(record: CallRecord, setup: _Setup, lang: str | None,
           checksum: Callable[[str], bytes] | None = None) -> tuple[str, str, list[str], bytes | None]:
    """What a child process sends back of a summary (the rest is in the parent's record),
    with `checksum` of its text."""
    s = _summarize(record, setup, lang)
    return s.lang, s.text, s.missing, checksum(s.text) if checksum else None


# Below this many rows a child process costs more than it saves.
_FORK_FROM = 5000


def _may_fork(rows: int) -> bool:
    return rows >= _FORK_FROM and may_fork()


# The child writes its summaries this many at a time, as it goes.
_CHUNK = 2000


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


def _split_items(line: str, labels: re.Pattern | None) -> list[str]:
    """One cell line holding the whole format, as the seed writes it inline:
    "Company Name: Acme – Company Website: acme.io – Contact Person: Jane", split
    before each label; so too "【公司名称】阿里巴巴【联系人】王经理" and "公司名称：阿里巴巴
    联系人：王经理", as Chinese and Japanese notes write it. A line with one label is left
    alone."""
    if labels is None:
        return [line]
    bracketed = [m.start() for m in _BRACKETED_LABEL.finditer(line)
                 if labels.fullmatch(f"{m.group(1).strip()}：")] if "【" in line else []
    # Every other label ends with a colon, so a line with fewer than two has nothing to split.
    if line.count(":") + line.count("：") + len(bracketed) < 2:
        return [line]
    # Nor has one without a dash or a full-width colon: only those start a second item
    # (below). Most lines with two colons are such ("Interview results: strong: hired"),
    # and told at C speed (half the time the lines of a log took here).
    if not bracketed and "-" not in line and "–" not in line and "—" not in line and "：" not in line:
        return [line]
    # Nor is a line that does not start with a label (the text before the first item may
    # be separators only): most lines with two colons ("Interview time: 13:00") are ruled
    # out by a match at their start instead of a search of every position (that search was
    # a sixth of the time a line took to read).
    lead = len(line) - len(line.lstrip(_ITEM_SEPARATORS))
    if not bracketed and not any(labels.match(line, i) for i in range(lead + 1)):
        return [line]
    # Only a label after a separator dash starts an item: "Product: software for every
    # client: banks" is one value. A full-width colon's label after a space does too.
    starts = sorted({m.start() for m in labels.finditer(line)
                     if _after_a_dash(line[:m.start()])
                     or (line[m.end() - 1] == "：" and line[m.start() - 1:m.start()].isspace())} | set(bracketed))
    if len(starts) < 2 or line[: starts[0]].strip(_ITEM_SEPARATORS):
        return [line]
    bounds = starts[1:] + [len(line)]
    return [line[a:b].strip().rstrip("–—-;|,").strip() for a, b in zip(starts, bounds)]


_BRACKETED_LABEL = re.compile(r"【([^】\n]{1,60})】")
_ITEM_SEPARATORS = " \t–—-;|,"   # what may part the items of one line


def _after_a_dash(before: str) -> bool:
    """Whether a label after `before` starts an item: at the start of the line, or after a
    separator dash."""
    return not before.strip(_ITEM_SEPARATORS) or before.rstrip()[-1:] in ("–", "—", "-")


def _read_notes(record: CallRecord, setup: _Setup, find_candidates: bool,
                column: list[Person] | None = None, held: bool = True) -> _Notes:
    """Split the notes into items, candidate lines and free text.

    Unlike the shared parser, a plain line after a filled-in item is free text, not more
    of that item: consultants mix "Messenger: Telegram" with sentences about the call.
    Plain lines continue an item only under an empty heading or when indented or
    bulleted; every line under "Interview results:" is the verdict, even one that names a
    candidate. Under "Today we interviewed:" the lines below a candidate's are more about
    that candidate (elsewhere, only indented ones: a plain sentence there is the verdict),
    unless one is not indented and reads as the verdict (`_a_verdict`): then it and the
    lines after it are the interview's results, as under "Interview results:", up to the
    next candidate's line (`_next_candidate`). A blank
    line ends all of these. A name's key before what someone said ("Client: wants a daily
    report", `_said`) is a plain line. A candidate's line may name them shorter than the
    candidates column does, where that tells one of them ("Anna – 5 yrs React" for Anna Li,
    `_short_names`). `column`: the candidates to take for the column's (its own by default).
    `held` False: an interview not held yet, that has no verdict but a labelled one; a plain
    line that would read as the verdict is free text.
    """
    if column is None:
        column = record.candidates
    out = _Notes()
    items, free, written = out.items, out.free, out.written
    shortened = True                # the short names are in `known`, or none are needed
    if find_candidates:
        known = {normalize_word(p.name): p for p in column if p.name}
        refs = {normalize_word(p.ref): p for p in column if p.ref}
        # The candidates by a shorter name (`_short_names`) join `known` when a line first
        # needs them: most rows write the names in full.
        shortened = not known
    current: str | None = None      # the item plain lines may continue
    heading = False                 # current item was an empty heading
    in_block = False                # under "Today we interviewed:"
    candidate = False               # the line above was a candidate's
    guessed = False                 # the results began at a plain line, not at their label
    # A line is read once (`read_line`), however many rows repeat it (each line of the
    # bench's log recurs ten times); after that it is looked up as the loop goes, not
    # gathered into a list of the row's lines first.
    read = setup.lines
    for raw in str(record.notes or "").splitlines():
        for ln in read.get(raw) or setup.read_line(raw):
            if not ln.line:
                current, candidate = None, False
                continue
            if ln.odd:   # few lines: the rest are read as they were
                ln = _as_read(ln, record, setup, find_candidates)
            item = ln.item
            if find_candidates and item == "candidates":
                out.interview_heading = True
                in_block, current, candidate = True, None, False
                # "Today we interviewed: Ivan (E1) – strong" is one candidate, "Ivan (E1) –
                # strong; Anna (E2) – shy" two; without a dash or colon the value is a list
                # of names.
                if ln.value and not shortened:
                    shortened = _add_short_names(known, record, column, setup)
                notes = _heading_candidates(ln.value, known, refs, setup) if ln.value else None
                if notes:
                    out.candidates += notes
                    candidate = True
                else:
                    for name in re.split(r"[,;、，]", ln.value):
                        if name.strip():
                            out.candidates.append(CandidateNote(_person(name)))
                continue
            if item is not None:
                in_block = candidate = guessed = False
                value = ln.blank
                if item not in items:
                    items[item] = value
                elif value:
                    items[item] = f"{items[item]}\n{value}".strip()
                current, heading = item, not value
                written.append(ln.written)
                continue
            if current == "interview_results":
                found = setup.candidate(ln.line) if guessed else None
                if (found is not None and not shortened and ln.line in setup.short_lines and found[3] not in known
                        and _begins_a_name(found[0], column)):
                    shortened = _add_short_names(known, record, column, setup)
                if guessed and _next_candidate(ln.line, found, known, refs, out):
                    # Results taken from a plain line end where the next candidate's line starts:
                    # whatever that line was, the candidates below it are no verdict.
                    current, guessed, in_block = None, False, out.interview_heading
                else:
                    # The verdict: "Ivan Petrov – liked: strong backend" is the client's word on him.
                    items[current] = f"{items[current]}\n{ln.line}"
                    written.append((current, ln.line))
                    continue
            if find_candidates:
                found = setup.candidate(ln.line) if not ln.said else None
                if (found is not None and not shortened and ln.line in setup.short_lines and found[3] not in known
                        and _begins_a_name(found[0], column)):
                    shortened = _add_short_names(known, record, column, setup)
                # An indented line below a candidate's is about them, unless it names a known
                # candidate or gives an ID.
                note = (_candidate_note(found, known, refs, in_block and not (candidate and ln.continues))
                        if found else None)
                if note is not None:
                    if found[1] or found[3] in known or not setup.verdict(found[0]):
                        out.candidates.append(note)
                        # The ID as written on a line of the standard's "Name (ID) – comment" (a name
                        # alone is no sign of an interview: a clarification names whom it is about).
                        out.ids_written = out.ids_written or (bool(found[1]) and found[5] is not None)
                        candidate = True
                        continue
                    # "Hired: Anna Li, starts 15.12" under the heading: a verdict's word is no one's name.
                    verdict = True
                elif candidate:
                    # Below a name alone ("Anna Li (E1)"), the next line is the comment on them.
                    below = in_block or not out.candidates[-1].text
                    verdict = (below and not ln.continues
                               and (ln.said or _a_verdict(ln.line, record, column, out, setup)))
                    if verdict and not held:
                        # "Client to confirm the room." below the planned candidates: a note.
                        verdict = candidate = False
                    elif not verdict and (below or ln.continues) and not ln.said:
                        last = out.candidates[-1]
                        out.candidates[-1] = CandidateNote(last.person, _joined(last.text, ln.line))
                        continue
                else:
                    verdict = False
                if verdict:
                    # "Client liked Anna, Ivan is too junior." right below the candidates: the
                    # verdict starts here, and the lines after it are more of it.
                    value = items.get("interview_results")
                    items["interview_results"] = f"{value}\n{ln.line}" if value else ln.line
                    written.append(("interview_results", ln.line))
                    in_block = candidate = False
                    current, heading, guessed = "interview_results", False, True
                    continue
            if current is not None and (heading or ln.continues):
                # Kept on its own line, so a list under a heading stays a list.
                items[current] = f"{items[current]}\n{ln.line}"
                written.append((current, ln.line))
                continue
            current = None
            free.append(ln.line)
            written.append(ln.written)
    return out


def _as_read(ln: _Line, record: CallRecord, setup: _Setup, find_candidates: bool) -> _Line:
    """An odd line (`_Line.odd`) as this row reads it: a name item's sentence beside the
    row's own column for the item is what someone said, a plain line (`_said`); a label of
    `verdict_labels` is the interview results in an interview's notes; else the line as read."""
    if ln.odd == "speech":
        if _said(record, ln.item, ln.blank, setup):
            return _Line(ln.raw, ln.line, None, ln.value, ln.blank, ln.continues, (None, ln.line), said=True)
    elif find_candidates:
        return _Line(ln.raw, ln.line, "interview_results", ln.value, ln.blank, ln.continues,
                     ("interview_results", ln.line))
    return ln


def _a_verdict(line: str, record: CallRecord, column: list[Person], notes: _Notes, setup: _Setup) -> bool:
    """Whether a plain line right below a candidate's, under "Today we interviewed:", is the
    client's verdict rather than more about that candidate. Candidates' own comments use
    the verdict's words ("She liked the project", "Was hired by EPAM in 2020", "Ей
    понравился проект"), so a line is the verdict only when it is clearly the client's: it
    begins with the client (`_Setup.by_the_client`: "Client liked Anna", "Клиенту
    понравился Иван", "クライアントは佐藤さんを希望"), or it holds a verdict word
    (summaries.yaml `verdict_words`) and names another of the row's candidates, by their
    first name as a phrase would ("Anna chosen, Ivan too junior" below Ivan's line; "Анну"
    for Анна Ли; 佐藤 for 佐藤 健). "Seemed nervous." and "She liked the project." stay
    with the candidate above. Asked of few lines: not on the hot path."""
    if setup.by_the_client(line, record.client):
        return True
    if not setup.verdict(line):
        return False
    above = notes.candidates[-1].person
    firsts = {_first_word(above.name)}
    refs = {normalize_word(above.ref)} if above.ref else set()
    for p in column:
        # The column's entry for the candidate above, whichever way the notes wrote them.
        if p.ref and normalize_word(p.ref) in refs:
            firsts.add(_first_word(p.name))
    others = [p.name for p in (*column, *(c.person for c in notes.candidates))
              if p.name and _first_word(p.name) not in firsts]
    return bool(others) and bool(phrase_people(line, others))


def _short_form(found: tuple, setup: _Setup) -> bool:
    """Whether a candidate's line (`_candidate_match`) without an ID may name one of a row's
    candidates shorter than the column does (`_short_names`): a name of one word or two in
    letters with capitals, written with one ("junior – 2 years" is no name), else ending in
    a word of `name_honorifics`. Asked once per line (`_Setup.candidate`): most lines are
    told without making a row's short names ("6 years in the field, ...", "5年经验")."""
    name, name_key = found[0], found[3]
    if name.count(" ") > 1:
        return False
    first = name[:1]
    return first.isupper() if first.lower() != first.upper() else name_key.endswith(setup.honorifics)


def _begins_a_name(name: str, people: list[Person]) -> bool:
    """Whether the first word of `name` (in Chinese or Japanese, its first character) is in
    the name of one of `people`, case aside: "Anna" or "Петров Иван" may be a short name of
    theirs, "Agenda" or "Повестка" is none, told without making them (`_short_names`)."""
    words = name.split()
    if not words:
        return False
    first = words[0]
    probe = first.casefold() if first[:1].lower() != first[:1].upper() else first[:1]
    return any(probe in p.name.casefold() for p in people)


def _add_short_names(known: dict, record: CallRecord, column: list[Person], setup: _Setup) -> bool:
    """`known` (normalised full name -> candidate) with `_short_names` of the row's
    candidates; True. Its contact or manager named as a candidate is that candidate, no
    other person a short name may be (the Contact column holds the candidate on some logs)."""
    names = {normalize_word(p.name) for p in column}
    others = [Person(name) for name in (record.contact, record.manager) if name and normalize_word(name) not in names]
    for key, person in _short_names(column, setup.honorifics, others).items():
        known.setdefault(key, person)
    return True


def _short_names(people: list[Person], honorifics: tuple[str, ...], others: list[Person] = ()) -> dict[str, Person]:
    """normalised short name -> the one of `people` a candidate's line may name by it, as
    consultants write the candidate the column names in full: in letters with capitals, a
    word of the name ("Anna" or "Li" for Anna Li, "Иван" for Петров Иван) or a name of two
    words the other way round ("Иван Петров" for Петров Иван); in Chinese and Japanese,
    which part no words, the name or its family name (its first word, or, written without
    a space, a start of it) with a word of `honorifics` after it ("佐藤さん" for 佐藤 健 or
    佐藤健). A family name alone is no one's (王 of 王伟: a line starting 王 is about
    anything), nor is a word of one letter, nor a short name two candidates share (Anna of
    Anna Li and Anna Smith) or one of `others` has (the contact Anna Brown may be the one
    who said it): better no candidate than the wrong one."""
    found: dict[str, Person | None] = {}
    for person in [*people, *others]:
        words = person.name.split()
        if not words:
            continue
        first = words[0][:1]
        if first.lower() != first.upper():
            keys = [normalize_word(w) for w in words]
            if len(words) == 2:
                keys.append(normalize_word(words[1] + words[0]))
            keys = [k for k in keys if len(k) > 1]
        else:
            name = normalize_word(person.name)
            stems = [normalize_word(words[0]), name] if len(words) > 1 else [name[:i] for i in range(1, len(name) + 1)]
            keys = [stem + h for stem in stems for h in honorifics]
        for key in keys:
            # A second person with the same short name makes it no one's.
            found[key] = person if found.get(key, person) is person else None
    mine = set(map(id, people))
    return {key: person for key, person in found.items() if person is not None and id(person) in mine}


def _next_candidate(line: str, found: tuple | None, known: dict, refs: dict, notes: _Notes) -> bool:
    """Whether a line of results that began at a plain line (`_a_verdict`) starts the next
    candidate's instead: a candidate not listed yet, written "Name (ID) …" (an ID has a
    digit, the name is a full one or the column's), "Name: …" with a name of the
    candidates column, or "Name – …" with a full name ("Ivan Petrov (E2) – 7 years
    Java."; "Start Date: 15.12" is no one). A candidate listed already ("Anna Li – yes")
    is more of the verdict."""
    if found is None:
        return False
    name, ref, _, name_key, ref_key, comma = found
    named = name_key in known or _full_name(name) or name.upper() == name.lower()   # 王伟 has no capitals
    with_id = bool(ref and _AN_ID.search(ref) and (named or ref_key in refs))     # "EPAM (2020) – lead" is no one
    if not with_id and not (comma is False and (
            name_key in known or (_full_name(name) and _DASH_AFTER.match(line, line.find(name) + len(name))))):
        return False
    person = known.get(name_key) or (refs.get(ref_key) if ref else None) or Person(name, ref)
    return _same_candidate(notes.candidates, Person(person.name, ref or person.ref)) is None


_DASH_AFTER = re.compile(r"\s*[–—―─－-]")


def _first_word(name: str) -> str:
    words = name.split()
    return normalize_word(words[0]) if words else ""


def _name_shaped(value: str) -> bool:
    """Whether a value of a name item (`name_items`) reads as a name: in letters that have
    capitals, five words at most, the first letter a capital ("Acme Ltd", "Jane Doe, COO",
    "ООО «Ромашка»") or one word ("olga"); in Chinese or Japanese, which have none, six
    characters at most ("阿里巴巴集团", "王经理"). Names are capitalised and short; what
    someone said is not: "wants a daily report by 18:00", "согласен на 3000$", "their HR
    manager will send the NDA", "希望每天下午六点前提交日报". A value without letters
    ("3000$") says nothing either way: it stays the item, as before. Asked once per line,
    not per row."""
    letter = _A_NON_DIGIT.search(value)
    if letter is None:
        return True
    first = letter.group()
    if first.lower() != first.upper():
        words = len(value.split())
        return words <= 5 and (first.isupper() or words == 1)
    return len("".join(value.split())) <= 6


_A_NON_DIGIT = re.compile(r"[^\W\d_]")


def _a_name_first(value: str) -> bool:
    """Whether a value of a name item reads as a name (`_name_shaped`), or as a name with
    details after a comma: "Olga Ivanova, HR Director, +49 30 1234567", "Acme Ltd,
    logistics SaaS, 200 staff", "ООО «Ромашка», доставка еды". The part before the comma
    is then two to five words, each capitalised: "Agreed, starts Monday", "согласен на
    3000$, старт 1 января" are what someone said. In Chinese and Japanese, without
    capitals, a short part before a comma ("满意，下周签约") tells nothing: no such rule."""
    if _name_shaped(value):
        return True
    if "," not in value:
        return False
    words = value.split(",", 1)[0].split()
    return 2 <= len(words) <= 5 and all(_capitalised(w) for w in words)


def _capitalised(word: str) -> bool:
    """"Ivanova", "«Ромашка»", "LLC", "3M": its first letter a capital, or no letter first."""
    first = word.lstrip(_QUOTES)[:1]
    return first.isupper() or (first != "" and not first.isalpha())


def _said(record: CallRecord, item: str, value: str, setup: _Setup) -> bool:
    """Whether a line of a name item whose value does not read as one (`_Line.odd` "speech") is
    what someone said, not the item: when the row's own column gives the item ("Client:
    wants a daily report by 18:00" beside the Client column "Acme Ltd"), the column's value
    stays and the line is a plain note. Conservative: without such a column the line is
    the item, as before; so it is when it begins with the column's value, in any case
    ("менеджер: ольга", "Client: acme, wants weekly reports" beside Acme), or, in Chinese
    or Japanese, holds it ("客户：阿里巴巴网络技术有限公司" beside 阿里巴巴)."""
    for column in setup.columns_of.get(item, ()):
        have = _column(record, column, setup, "en")
        if have:
            # The column's value and more ("Acme, logistics SaaS" beside Acme): the notes' richer value.
            if _begins_with(" ".join(value.split()).casefold(), " ".join(have.split()).casefold()):
                return False
            have, value = normalize_word(have), normalize_word(value)
            if have == value:
                return False
            letter = _A_NON_DIGIT.search(value)
            cased = letter is not None and letter.group().lower() != letter.group().upper()
            return cased or have not in value
    return False


def _joined(text: str, more: str) -> str:
    """A candidate's comment and the line below it, on the one line the format gives them."""
    if not text:
        return more
    return f"{text} {more}" if text[-1] in ".!?。！？" else f"{text}; {more}"


def _other_notes(notes: _Notes, shown: frozenset[str] | None, free_shown: bool) -> list[str]:
    """The lines of the notes the format shows nowhere, as written and in that order:
    free text that did not become the summary, items the format has no place for (a Next
    Step in an interview), and lines nobody could read as an item ("Budget: 3000").
    `shown` None: a format of the user's that cannot be told, taken to show every item."""
    if shown is None or notes.items.keys() <= shown:   # most rows: at C speed
        if free_shown or not notes.free:
            return []
        hidden = set()
    else:
        hidden = {item for item, value in notes.items.items() if value and item not in shown}
    # A line of dashes or colons only is a blank left in the format, not a note.
    return [line for item, line in notes.written
            if item in hidden or (item is None and not free_shown and _A_LETTER.search(line))]


def _blank_placeholder(value: str) -> str:
    """The standard's text copied with its dashes ("Company Website: –", "SM: – Olga"):
    a dash alone is a blank, a dash before the value is the separator."""
    if _DASHES.fullmatch(value):
        return ""
    return _LEADING_DASH.sub("", value) if value[0] in "–—―─－" else value   # most values: no dash to look for


def _person(text: str) -> Person:
    m = re.match(r"^\s*(.+?)\s*[(（]([^)）]*)[)）]\s*$", text)
    if m:
        return Person(m.group(1).strip(), m.group(2).strip())
    return Person(text.strip())


def _candidate_match(line: str) -> tuple | None:
    """The name, ref and text of a candidate's line, the name and ref normalised, and
    whether it is written "Name, comment" (True), "Name – comment" (False) or is a name
    with its ID alone (None: "Anna Li (E1)", the comment on the lines below it)."""
    m = _CANDIDATE.match(line)
    comma = m is None
    if comma:
        m = _CANDIDATE_COMMA.match(line)
        if not m:
            m = _CANDIDATE_BARE.match(line) if "(" in line or "（" in line else None
            if m is None or not _an_id_after_a_name(m):
                return None
            comma = None
    name, ref = m.group("name").strip(), (m.group("ref") or "").strip()
    text = m.group("text").strip() if comma is not None else ""
    return name, ref, text, normalize_word(name), normalize_word(ref) if ref else "", comma


def _candidate_line(line: str, known: dict, refs: dict, in_block: bool) -> CandidateNote | None:
    """The candidate of a "Today we interviewed: Name (ID) – ..." heading; None for a list
    of names ("Ivan Petrov (E1), Anna Li (E2)")."""
    found = _candidate_match(line)
    return _candidate_note(found, known, refs, in_block) if found and not found[5] else None


def _heading_candidates(value: str, known: dict, refs: dict, setup: _Setup) -> list[CandidateNote] | None:
    """The candidates written on the "Today we interviewed:" line itself: one, or several
    parted by semicolons when each part is a candidate's with an ID or a name of the
    candidates column ("strong; good English" stays one comment), or by dashes, as the
    seed's one-line comment writes them (`_inline_candidates`). None for a list of names."""
    parts = [p for p in re.split(r"[;；]", value) if p.strip()]
    if len(parts) > 1:
        found = [_candidate_match(p) for p in parts]
        if all(f is not None and not f[5] and (f[1] or f[3] in known) for f in found):
            return [_candidate_note(f, known, refs, True) for f in found]
    heads = setup.inline_heads.get(value)
    if heads is None:
        heads = setup.inline_heads[value] = _inline_heads(value)
    if heads:
        notes = _inline_candidates(value, heads, known, refs, setup)
        if notes:
            return notes
    note = _candidate_line(value, known, refs, True)
    return None if note is None else [note]


# Where a candidate may start in the one-line form "Anna Li (E1) – 5 yrs React – Ivan Petrov
# (E7) – 3 yrs Vue": at the start or after a spaced dash (an optional quote), a name, an
# optional ID in brackets, then a separator. A hyphen needs spaces, as on a line of its own.
# A name has no digit or comma: "5 yrs, React (v18) – good" is more of a candidate's note.
_INLINE_HEAD = re.compile(
    r"(?:^|(?<=\s)[–—―─－-]+\s+)[\"'“”«»„]?\s*"
    r"(?P<name>[^:：()（）\n\"“”«»„–—―─－;；,，\d]{1,60}?)\s*(?:[(（](?P<ref>[^)）\s]{1,20})[)）])?\s*"
    r"(?=[:：]|[–—―─－]|\s-\s|(?(ref)-|(?!)))"
)
_AN_ID = re.compile(r"\d")
_QUOTES = "\"'“”«»„"


def _inline_heads(value: str) -> tuple[tuple[int, int, str, bool], ...]:
    """Where a candidate may start on a heading's value, as (start of its dash, start of its
    name, normalised name, written with an ID); () when fewer than two could. The same
    value recurs on many rows: asked once (`_Setup.inline_heads`)."""
    # Two candidates need two dashes at least; most values are told at C speed.
    if sum(map(value.count, "–—―─－-")) < 2:
        return ()
    heads = tuple((m.start(), m.start("name"), normalize_word(m.group("name")), _an_id_after_a_name(m))
                  for m in _INLINE_HEAD.finditer(value))
    return heads if len(heads) > 1 else ()


def _an_id_after_a_name(head: re.Match) -> bool:
    """Whether a head is written the standard's way, "Name (ID)": an ID has a digit, and a
    name is two to four capitalised words, or in a script without capitals (王伟): "React
    (v18) – good" is more of a candidate's note."""
    ref, name = head.group("ref"), head.group("name").strip()
    return bool(ref and _AN_ID.search(ref) and (_full_name(name) or name.upper() == name.lower()))


def _inline_candidates(value: str, heads: tuple, known: dict, refs: dict, setup: _Setup) -> list[CandidateNote] | None:
    """The candidates of "Anna Li (E1) – 5 yrs React, confident – Ivan Petrov (E7) – 3 yrs
    Vue" (quoted or not): a new one starts at a name with an ID or a name of the candidates
    column, after a dash; the rest up to it is the note of the one before ("senior – 7 yrs"
    stays one note). None unless the value starts with a candidate and holds two."""
    starts = [(dash, name) for dash, name, key, has_id in heads if has_id or (key and key in known)]
    if len(starts) < 2 or starts[0][0] != 0:
        return None
    ends = [dash for dash, _ in starts[1:]] + [len(value)]
    notes = []
    for (_, a), b in zip(starts, ends):
        found = setup.candidate(value[a:b].strip().rstrip(_QUOTES).strip())
        if found is None or found[5]:
            return None
        name, ref, text, name_key, ref_key, comma = found
        note = _candidate_note((name, ref, text.rstrip(_QUOTES).strip(), name_key, ref_key, comma), known, refs, True)
        if note is None:
            return None
        notes.append(note)
    return notes


def _candidate_note(found: tuple, known: dict, refs: dict, in_block: bool) -> CandidateNote | None:
    name, ref, text, name_key, ref_key, comma = found
    # "Name, comment" only under the heading, and only a name there: "Came across
    # confident, good English" is more about the candidate above.
    if comma and not (in_block and (ref or name_key in known or _full_name(name))):
        return None
    person = known.get(name_key) or (refs.get(ref_key) if ref else None)
    if person is not None:
        return CandidateNote(Person(person.name, ref or person.ref), text)
    # Unknown names count only when written the standard's way, "Name (ID) – ...", or
    # listed under the "Today we interviewed:" heading; otherwise "Budget: 3000" would
    # become a candidate.
    if ref or in_block:
        return CandidateNote(Person(name, ref), text)
    return None


def _full_name(text: str) -> bool:
    """Two to four capitalised words, as "Anna Li": not a sentence, nor "However"."""
    words = text.split()
    return 2 <= len(words) <= 4 and all(w[0].isupper() for w in words)


def _merge_candidates(column: list[Person], noted: list[CandidateNote]) -> list[CandidateNote]:
    """The candidates column's order first, then people met only in the notes."""
    out: list[CandidateNote] = [CandidateNote(p) for p in column if p.name]
    for note in noted:
        i = _same_candidate(out, note.person)
        if i is None:
            out.append(note)
        else:
            have = out[i]
            text = "; ".join(t for t in (have.text, note.text) if t)
            out[i] = CandidateNote(Person(have.person.name, have.person.ref or note.person.ref), text)
    return out


def _same_candidate(out: list[CandidateNote], person: Person) -> int | None:
    """Where `person` is in `out`: the one with their ID, else the one with their name
    whose ID does not say otherwise. Two 张伟 with IDs of their own are two people: each
    keeps their own comment."""
    key, ref = normalize_word(person.name), normalize_word(person.ref) if person.ref else ""
    by_name = None
    for i, have in enumerate(out):
        have_ref = normalize_word(have.person.ref) if have.person.ref else ""
        if ref and have_ref == ref:
            return i
        if by_name is None and not (ref and have_ref) and normalize_word(have.person.name) == key:
            by_name = i
    return by_name


def _is_repeat_interview(record: CallRecord, notes: _Notes, setup: _Setup) -> bool:
    """A repeat call is a second interview when its notes are written as one (the heading,
    or candidates' lines with their IDs), its call type says so, or its notes are headed
    as one ("Second interview with Anna Petrova: …", `_headed_as_a_round`). Not for a
    result, the candidates column or "second round" further on in the notes: a call that
    clarifies details has those too, and its summary would be lost in the interview's
    format. Nor for ID lines alone when the call type or the notes say details were
    clarified (`clarification_words`: "Anna Li (E1) – clarified the start date: 15.12"),
    unless the notes begin with a round ("Second interview" above the lines, as
    `round_named` reads it)."""
    typed = record.call_type_raw or ""
    if notes.interview_heading or setup.repeat_interview_type(typed) or _headed_as_a_round(record, typed, setup):
        return True
    if not notes.ids_written:
        return False
    return _begins_with_a_round(record, setup) or not (setup.clarifies(typed) or setup.clarifies(str(record.notes)))


def interview_candidates(record: CallRecord, config: Config) -> list[Person]:
    """The candidates an interview row's notes name, read as its summary reads them, each
    once (by name and ID); [] for a repeat call the summary does not take for a second
    interview (a call to clarify details names whom it is about, not whom the client met).
    What notes.interviewed gives, past its look at the lines. Not the candidate a heading
    names beside a blank Candidates column (`_heading_candidate`): the statistics' rounds
    do not count them yet."""
    setup = _setup_of(config)
    notes = _read_notes(record, setup, find_candidates=True)
    if not notes.candidates or (record.call_type == "repeat_call" and not _is_repeat_interview(record, notes, setup)):
        return []
    people: dict = {}
    for note in notes.candidates:
        if note.person.name:
            people.setdefault((normalize_word(note.person.name), normalize_word(note.person.ref)), note.person)
    return list(people.values())


def second_interview_named(record: CallRecord, config: Config) -> bool:
    """Whether a Repeat call is, or may be, a second interview: written as one (the
    heading, candidates' lines with their IDs, even of a clarification), its call type
    names one, or its notes do ("Second interview with Jack Wilson: …", words of
    `repeat_interview_words`). The reminders and the notice take only a row that is
    neither for a call to clarify details (reminders.clarifies). Wider than the summaries'
    own rule (`_is_repeat_interview`) on purpose: a clarification reminded as a "Repeat
    call" misleads no one, a second interview reminded as a clarification would."""
    setup = _setup_of(config)
    notes = _read_notes(record, setup, find_candidates=True)
    if notes.interview_heading or notes.ids_written or setup.repeat_interview_type(record.call_type_raw or ""):
        return True
    text = str(record.notes or "").casefold()
    return any(w in text for w in setup.round_words())


def round_named(record: CallRecord, config: Config) -> bool:
    """Whether the row says it is a later round: its call type as typed holds one of
    `repeat_interview_words` ("Final interview"), or its notes begin with one ("2nd round
    cancelled: …", "Second interview with Jack Wilson: …"). Narrower than
    second_interview_named: an ID line ("Anna Li (E1) – moved to Thursday") is in a moved
    or first interview's notes too, and so is a round to come ("second round if it goes
    well"); what a row names a later round by decides that it is no other row moved
    (followups.later_round) and that, cancelled, it is likely a "no" (followups._round)."""
    setup = _setup_of(config)
    return setup.repeat_interview_type(record.call_type_raw or "") or _begins_with_a_round(record, setup)


def _begins_with_a_round(record: CallRecord, setup: _Setup) -> bool:
    """Whether the row's notes begin with one of `round_words`."""
    notes = str(record.notes or "").lstrip(_BULLETS).casefold()
    return notes.startswith(setup.round_words())


def _headed_as_a_round(record: CallRecord, typed: str, setup: _Setup) -> bool:
    """Whether the row's notes are headed as a later round (`_Setup.headed_as_a_round`) and
    its call type as typed is no clarification ("Clarification call")."""
    notes = str(record.notes or "").lstrip(_BULLETS)
    if not notes or not setup.headed_as_a_round(notes.split("\n", 1)[0]):
        return False
    return not _clarifying_type(typed, setup)


def _clarifying_type(typed: str, setup: _Setup) -> bool:
    """Whether a call type as typed says details were clarified ("Clarification call")."""
    clarifying = setup.clarifying_types.get(typed)
    if clarifying is None:
        clarifying = setup.clarifying_types[typed] = setup.clarifies(typed)
    return clarifying


def _heading_candidate(record: CallRecord, setup: _Setup) -> Person | None:
    """The candidate the first line of a repeat call's notes names as it heads them as a
    later round (`_Setup.heading_candidate`), when its Candidates column names nobody and
    its call type is no clarification; not the row's client or manager ("Second interview
    with Acme: …" beside the client Acme). Its contact may be: the Contact column holds the
    candidate the call was with on some logs (reminders._contact_interviewed)."""
    if record.candidates and any(p.name for p in record.candidates):
        return None
    notes = str(record.notes or "").lstrip(_BULLETS)
    # (`heading_candidate` asks `headed_as_a_round` of the line: only the call type is left.)
    person = setup.heading_candidate(notes.split("\n", 1)[0]) if notes else None
    if person is None or _clarifying_type(record.call_type_raw or "", setup):
        return None
    key = normalize_word(person.name)
    if any(key == normalize_word(other) for other in (record.client, record.manager) if other):
        return None
    return person


def _describe_heading_candidate(notes: _Notes, person: Person, record: CallRecord, setup: _Setup) -> None:
    """The plain lines below a heading that named the candidate ("Second interview with
    Lucas Walker: the client chose him." then "8 years, freelance; calm") are what he said
    and how he came across: his line's comment, as the lines below a candidate's under
    "Today we interviewed:" are, up to the first that reads as the client's verdict
    (`_a_verdict`: "The client liked his test task"), which and whatever follows stays the
    interview's results with the heading's own sentence. A labelled line ("New vacancy:
    Data Engineer") is about something else: it stays where it was. Only when no line of
    the notes is a candidate's ("Lucas – calm": his comment is that) and the "Today we
    interviewed:" heading was not written. Few rows: not on the hot path."""
    written = notes.written
    if notes.candidates or notes.interview_heading or not written or written[0][0] is not None:
        return
    notes.candidates.append(CandidateNote(person))   # the candidate above, to `_a_verdict`
    column = [person]
    moved, said = [], []
    for i in range(1, len(written)):
        item, line = written[i]
        line = line.lstrip(_BULLETS)   # "- 5 years, calm": the bullet is the notes' list, not his words
        if item is not None or _A_LABEL.match(line) or not _A_LETTER.search(line):
            continue
        if _a_verdict(line, record, column, notes, setup):
            break
        if line not in said:   # a line pasted twice is said once
            said.append(line)
        moved.append(i)
    notes.candidates.clear()
    if not moved:
        return
    text = ""
    for line in said:
        text = _joined(text, line)
    notes.candidates.append(CandidateNote(person, text))
    for i in reversed(moved):
        # The free lines are the written ones without an item, in order: the heading's first.
        del notes.free[sum(1 for item, _ in written[:i] if item is None)]
        del written[i]


# A line headed by a label of a few words ("New vacancy: Data Engineer", "新职位：…"):
# no sentence, digit or list before its colon.
_A_LABEL = re.compile(r"[^\W\d_][^:：,，;；.。!?\d]{0,40}[:：]")

_BULLETS = " \t\r\n-–—•*"
_NAME_JOINERS = str.maketrans("", "", "-'’")
# What parts a heading's round, its word before the name and the name ("Второе интервью, кандидат …").
_HEADING_PUNCTUATION = " ,，、;；-–—"
# After a round's word in Chinese and Japanese, "of": the heading names something of the round.
_OF = ("的", "の")
# Where a line's heading ends: its colon or a spaced dash ("Second interview with Anna Petrova – …").
_HEADING_END = re.compile(r"[:：]|\s[–—-]\s")


def _setup_of(config: Config) -> _Setup:
    """The config's _Setup, made once per Config (it is immutable), as phrases._vocab
    keeps its vocabulary: the reminders ask of many rows."""
    setup = config.__dict__.get("_summaries_setup")
    if setup is None:
        setup = config.__dict__["_summaries_setup"] = _Setup.of(config)
    return setup


# ---------------------------------------------------------------- values of the items

def _values(record: CallRecord, notes: _Notes, setup: _Setup, lang: str, label_lang: str,
            messenger: bool = True) -> dict[str, str]:
    """item id -> the text to show ("" when nobody wrote it; the messenger is looked for
    only when `messenger`)."""
    spec, words = setup.spec, setup.words
    extra: dict[str, str] = {}
    for header, value in (record.extra or {}).items():
        item = words.get(normalize_word(header))
        text = _as_text(value, spec, lang)
        if item and text and item not in extra:
            extra[item] = text

    # Every item in the configuration's order, the notes' first; then a column for the
    # empty ones that have columns, then the user's own columns.
    values = dict(setup.no_values)
    values.update(notes.items)
    for item, columns in setup.item_columns:
        if not values[item]:
            for column in columns:
                # `_column` of a text column, without the call: four a row (0.04 s at 100 000 rows).
                value = getattr(record, column, None)
                if type(value) is str:
                    value = (value or record.field_text(column)).strip()
                else:
                    value = _column(record, column, setup, lang)
                if value:
                    values[item] = value
                    break
    if extra:
        for item, value in values.items():
            if not value and item in extra:
                values[item] = extra[item]

    if not values.get("next_contact_date"):
        values["next_contact_date"] = (
            setup.as_text(record.next_contact, lang) if record.next_contact else record.next_contact_raw.strip()
        )
    if not values.get("messenger") and messenger:
        values["messenger"] = setup.messenger(record, label_lang)
    return values


def _column(record: CallRecord, name: str, setup: _Setup, lang: str) -> str:
    value = getattr(record, name, None)
    if isinstance(value, str) and value:
        return value.strip()
    if isinstance(value, date) and value:
        return setup.as_text(value, lang)
    return record.field_text(name).strip()


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


def _messenger_name(messengers: dict, mid: str, label_lang: str) -> str:
    return _pick({k: v for k, v in (messengers[mid] or {}).items() if k != "also"}, label_lang) or mid


def _channel_messenger(channel: str, spec: dict, config: Config) -> str:
    """The id of the messenger the channel column names; "" if none."""
    messengers = spec.get("messengers") or {}
    channel = (channel or "").strip()
    if not messengers or not channel:
        return ""
    m = _messenger_matchers(messengers, config)
    return channel if channel in messengers else m.by_word.get(normalize_word(channel)) or ""


def _notes_messengers(text: str, spec: dict, config: Config,
                      negation: tuple[tuple[str, ...], tuple[str, ...]] = ((), ()),
                      agreement: tuple[re.Pattern, re.Pattern] | None = None) -> list[str]:
    """The ids of the messengers `text` names, in the order first named. One named only
    right after or before a negation (`_negation_words`: "does not use WhatsApp",
    "не в телеграме", "不用WhatsApp", "WhatsAppではなく") is left out when another is named
    ("Client does not use WhatsApp; we agreed on Telegram": Telegram); never all of them.
    With `agreement` (`_agreement_words`; the row has a channel to fall back on), only
    those said to be agreed on (`_agreed`), none negated: maybe none."""
    messengers = spec.get("messengers") or {}
    if not messengers or not text:
        return []
    m = _messenger_matchers(messengers, config)
    hits: list[tuple[int, str, int, str]] = []   # (start, messenger, end, the text it is in)
    for pattern, fold in ((m.latin, True), (m.upper, False)):
        if pattern is None:
            continue
        for hit in pattern.finditer(text):
            hits.append((hit.start(), m.by_text[hit.group(0).casefold() if fold else hit.group(0)], hit.end(), text))
    folded = text.casefold()
    for word, mid in m.others:
        i = folded.find(word)
        while i >= 0:
            hits.append((i, mid, i + len(word), folded))
            i = folded.find(word, i + 1)
    if agreement is not None:
        hits = [h for h in hits if not _negated(h[3], h[0], h[2], negation) and _agreed(h[3], h[0], h[2], agreement)]
    # A negation matters only where the notes name two messengers or more (most name one).
    elif len({mid for _, mid, _, _ in hits}) > 1 and (negation[0] or negation[1]):
        said = [h for h in hits if not _negated(h[3], h[0], h[2], negation)]
        hits = said or hits
    return list(dict.fromkeys(mid for _, mid, _, _ in sorted(hits)))


def _agreement_words(spec: dict) -> tuple[re.Pattern, re.Pattern]:
    """summaries.yaml `messenger_agreement`: its `words` (agreed, via, договорились, 约定)
    and its `sending` words (send, отправит, 发送, 送付), each any of them, whole words."""
    words = spec.get("messenger_agreement") or {}
    return (_words_pattern(words.get("words") or [], whole=True),
            _words_pattern(words.get("sending") or [], whole=True))


# What parts the clauses of a sentence: the words that say a messenger was agreed on are
# looked for in its own clause ("Agreed to use Telegram, reports by e-mail": Telegram).
_CLAUSE_END = re.compile(r"[.!?;,\n。！？；，、]")


def _agreed(text: str, start: int, end: int, agreement: tuple[re.Pattern, re.Pattern]) -> bool:
    """Whether the messenger named at text[start:end] is said to be the one agreed on: a
    word of `agreement` is in its clause, up to 50 characters before it ("Agreed to use
    Telegram", "约定用微信", "Связь через вацап") or 30 after ("Telegram for daily
    communication", "Slackで連絡"), and no word of sending is ("Client will send the
    NDA via e-mail": how a document goes, not how people talk)."""
    head = text[max(0, start - 50):start]
    cut = None
    for cut in _CLAUSE_END.finditer(head):
        pass
    if cut is not None:
        head = head[cut.end():]
    tail = text[end:end + 30]
    cut = _CLAUSE_END.search(tail)
    if cut is not None:
        tail = tail[:cut.start()]
    words, sending = agreement
    clause = f"{head} {text[start:end]} {tail}"
    return (words.search(head) is not None or words.search(tail) is not None) and sending.search(clause) is None


def _negation_words(spec: dict) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """summaries.yaml `messenger_negations`, its `before` words and its `after` words,
    case-folded, with either apostrophe: what `_negated` looks for (str.endswith and
    str.startswith take them all at once, at C speed: a regex search took 10 µs a name)."""
    words = spec.get("messenger_negations") or {}

    def folded(side: str) -> tuple[str, ...]:
        found = {" ".join(str(w).split()).casefold() for w in words.get(side) or []} - {""}
        return tuple(found | {w.replace("'", "’") for w in found})

    return folded("before"), folded("after")


def _negated(text: str, start: int, end: int, negation: tuple[tuple[str, ...], tuple[str, ...]]) -> bool:
    """Whether the name at text[start:end] is said not to be the one: one of the `before`
    words ends right before it (a word in letters with capitals whole: "no" is not the end
    of "casino"), or one of the `after` words starts right after it."""
    before, after = negation
    if before:
        head = text[max(0, start - 30):start].rstrip().casefold()
        if head.endswith(before):
            for word in before:
                if head.endswith(word):
                    edge = len(head) - len(word)
                    if edge == 0 or word[0].lower() == word[0].upper() or not head[edge - 1].isalpha():
                        return True
    return bool(after) and text[end:end + 30].lstrip().casefold().startswith(after)


def _names_a_messenger(line: str, spec: dict, config: Config) -> bool:
    """Whether `_notes_messengers` could find a messenger on this line of the notes (a
    name never spans lines, unless `spans_lines`)."""
    messengers = spec.get("messengers") or {}
    if not messengers:
        return False
    m = _messenger_matchers(messengers, config)
    if m.spans_lines or (m.latin and m.latin.search(line)) or (m.upper and m.upper.search(line)):
        return True
    return m.any_other is not None and m.any_other.search(line.casefold()) is not None


@dataclass(frozen=True)
class _MessengerMatchers:
    by_word: dict[str, str]          # normalised name -> messenger id (the channel column)
    latin: re.Pattern | None         # Latin names, whole words, any case
    upper: re.Pattern | None         # names in capitals (LINE), matched as written
    by_text: dict[str, str]          # matched text (folded for `latin`) -> messenger id
    others: list[tuple[str, str]]    # (folded Cyrillic/CJK name, id): found anywhere
    spans_lines: bool = False        # a name holds a line break: lines cannot be searched alone
    any_other: re.Pattern | None = None   # any of `others`


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
        # Word edges in ASCII only: CJK letters are word characters too, and "约定用WhatsApp沟通"
        # names it. The lookahead rules out at once a position no name starts at (3x faster).
        first = "".join(sorted({re.escape(w[0]) for w in words}))
        return re.compile(rf"(?=[{first}])(?<!\w)(?:{alternatives})(?!\w)", flags | re.ASCII)

    names = latin + upper + [w for w, _ in others]
    spans_lines = any(len(f"-{w}-".splitlines()) > 1 for w in names)
    any_other = re.compile("|".join(re.escape(w) for w, _ in others)) if others else None
    built = _MessengerMatchers(by_word, pattern(latin, re.IGNORECASE), pattern(upper, 0), by_text, others,
                               spans_lines, any_other)
    config.__dict__[key] = (messengers, built)
    return built


def _words_pattern(words: Iterable[Any], whole: bool = False, start: bool = False) -> re.Pattern:
    """Any of `words`, in any case: one in letters that have capitals at the start of a word
    only, and with any ending (Russian declines: "понравил" is понравился, понравилась),
    unless `whole` (nor a hyphen after it: "client-facing"); one in Chinese or Japanese
    anywhere (no spaces part their words). Any
    space in a word is any run of spaces, an apostrophe either one. `start`: at the start
    of the text only (`match` it)."""
    parts = []
    for word in sorted({str(w).strip() for w in words} - {""}, key=len, reverse=True):
        body = r"\s+".join(map(re.escape, word.split())).replace("'", "['’]")
        cased = word[0].lower() != word[0].upper()
        if cased and not start:
            body = rf"(?<![^\W\d_]){body}"
        if cased and whole:
            body = rf"{body}(?![^\W\d_]|-)"
        parts.append(body)
    pattern = "|".join(parts) or "(?!)"
    return re.compile(rf"\s*(?:{pattern})" if start else pattern, re.IGNORECASE)


def _begins_with(text: str, head: str) -> bool:
    """Whether `text` begins with `head`, a word in letters with capitals whole ("acme"
    is no start of "acmes"); both case-folded, their spaces single."""
    if not text.startswith(head):
        return False
    after = text[len(head):len(head) + 1]
    return not (after and _A_NON_DIGIT.match(after) and after.lower() != after.upper()
                and head[-1].lower() != head[-1].upper())


def _one_edit_apart(a: str, b: str) -> bool:
    """One letter added, dropped or changed, or two neighbours swapped."""
    if len(a) > len(b):
        a, b = b, a
    if len(b) - len(a) > 1 or a == b:
        return False
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    if len(a) < len(b):
        return a[i:] == b[i + 1:]
    swapped = a[i:i + 1] == b[i + 1:i + 2] and a[i + 1:i + 2] == b[i:i + 1]
    return a[i + 1:] == b[i + 1:] or (swapped and a[i + 2:] == b[i + 2:])


def _template_base(setup: _Setup, call_type: str, lang: str) -> str:
    """The call type's own format, else the generic short one (user-added call types)."""
    if call_type:
        try:
            setup.template(f"summaries/{call_type}", lang)
            return f"summaries/{call_type}"
        except TemplateMissing:
            pass
    return "summaries/generic"
