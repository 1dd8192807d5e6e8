"""Reading the log's own "whom to remind" column, written in the consultant's words.

    "За 15 мин до звонка отправить клиенту письмо-напоминание"   -> client, e-mail, 15 min before
    "remind candidates 1 day before and 20 min before"         -> candidates, the day before + 20 min before
    "前日と20分前に候補者へ連絡"                                  -> candidates, the day before + 20 min before

A phrase gives whom (roles, or named people) x when (N minutes/hours/days before, the
day before, on the day, at a clock time) x channel (when stated). Clauses split on
";", new lines and full stops, and at commas and "and" when each side stands on its own
(its own whom and time, or its own time and channel for the same people); a clause
without whom or channel inherits the previous one's, but a sentence naming other people
and no channel has their default channel; one naming people but no time takes the
nearest clause's time (the previous, else the next); a clause of a channel alone
("...; by SMS") is the channel of the clauses just before it that name none (after one
that does, the two are named apart), and goes on after it. A clock time of 1 to 6 with
no half of the day ("3点半", "at 3:30") is not read: 03:30 or 15:30? A person's name counts as a role word
does, written after a reminding verb, in a list with a role word, or leading a clause
("...; Ivan Petrov by e-mail the day before"): capitalised, in Latin, Cyrillic or Greek
letters; in any script when it is one of the row's people (`people`), who may also lead
the phrase ("Анна Ли за час", "Анна Ли и Пётр Сидоров за 20 минут") and be written
declined ("напомнить Анне Ли"), or listed ("李娜和王伟", "佐藤さんと鈴木さん"), ё as е. A name
given its role ("team lead Dana White", "Dana White (team lead)") is that role's person,
reminded once, by name; with no time in the phrase, at the role's default moments
(`_role_defaults`), the call's other roles keeping theirs (reminders._roles_kept). A
family name with an honorific ("田中さん", "鈴木様") is the row's person written in full
with it, family name first ("田中 一郎"), when no other of the row's has it. Channels
listed together ("by SMS and e-mail") are each used; channels a clause names apart ("SMS
the candidate 1 hour before, e-mail", "SMS or e-mail") are not all usable, so the first
is, and the reading says so. The vocabulary is in defaults/phrases.yaml; this module
holds only the grammar.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from datetime import time
from functools import lru_cache

from .model import SMALL_HOURS_END, ReminderRule


@dataclass(frozen=True)
class PhraseReading:
    """What a phrase said. `ok` when it named someone and a moment, and no clock time of
    1 to 6 with no half of the day ("3点半": 03:30 or 15:30?); `understood` tells a
    person what was read, for the Problem of a phrase that did not parse.
    `channels_apart` holds, for each clause naming channels that are not one list,
    (the channels used, the others it names): read all the same, but to look at."""

    text: str
    rules: tuple[ReminderRule, ...]
    ok: bool
    understood: str
    channels_apart: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = ()
    # Each clock time of 1 to 6 with no half of the day, as written and as read (the
    # rules hold it so): the one thing keeping a reading from being ok, when its rules
    # are there (tracker.jobs takes the reading that falls before the call, if one only).
    doubts: tuple[tuple[str, time], ...] = ()


@dataclass(frozen=True)
class _When:
    minutes_before: int | None = None
    days_before: int = 0
    at_time: time | None = None
    doubt: str = ""          # a clock time read as written, to be written again (small_hour)

    def describe(self) -> str:
        if self.minutes_before is not None:
            m = self.minutes_before
            return f"{m // 60} h before" if m % 60 == 0 and m >= 60 else f"{m} min before"
        day = {0: "on the day", 1: "the day before"}.get(self.days_before, f"{self.days_before} days before")
        return f"{day} at {self.at_time:%H:%M}" if self.at_time else day


def _fold(text: str) -> str:
    # Full-width digits and colons (１５：００) read as ASCII; case does not count.
    text = unicodedata.normalize("NFKC", text)
    return " " + text.casefold().replace("ё", "е") + " "


@dataclass(frozen=True)
class _Vocab:
    whom: tuple[tuple[str, str], ...]        # (word, role), longest first
    channel: tuple[tuple[str, str], ...]
    units: dict[str, str]                    # word -> minutes|hours|days
    numbers: dict[str, str]                  # word -> "1" | "30m"
    day_before: tuple[str, ...]
    same_day: tuple[str, ...]
    before: tuple[str, ...]
    offset_re: re.Pattern
    za_re: re.Pattern
    joining: re.Pattern | None = None        # "and", "и", "和", "と" between two reminders
    the_call: re.Pattern | None = None       # "before the client meeting": what it is before
    nobody: frozenset[str] = frozenset()     # whole phrases: no reminder for this call
    calls: re.Pattern | None = None          # "interview", "面试": a channel right before names the call
    people: re.Pattern | None = None         # a list of names and role words (_named_people)
    titled: re.Pattern | None = None         # an item of it naming a person and their role (_titled)
    verb: re.Pattern | None = None           # a reminding verb ending the text before a name
    sep: str = ""                            # what joins a list of people: ",", "and", "и"
    beside_role: tuple[re.Pattern, re.Pattern] | None = None  # a role word listed before / after a name
    listing: re.Pattern | None = None        # what stands between two names of a list (_named_people)
    honorific: re.Pattern | None = None      # an honorific written after a name: さん, くん, 先生, 女士
    role_stop: tuple[str, ...] = ()          # folded whom and channel words: never a row's person
    day_half: tuple[tuple[str, str], ...] = ()  # (folded word, night/morning/afternoon) of a clock time


def _words(mapping: dict) -> tuple[tuple[str, str], ...]:
    """(folded word, key), longest first. Deliberate padding (" sm ", "text ") is kept so
    a short word only matches on its own."""
    pairs = []
    for key, words in mapping.items():
        for w in words:
            folded = _fold(w)[1:-1]
            pairs.append((folded if w != w.strip() else folded.strip(), key))
    return tuple(sorted(pairs, key=lambda p: -len(p[0])))


def _build_vocab(spec: dict, honorifics=()) -> _Vocab:
    whom = {k: list(v or ()) for k, v in spec["whom"].items()}
    channel = {k: list(v or ()) for k, v in spec["channel"].items()}
    units = {_fold(w).strip(): unit for unit, words in spec["units"].items() for w in words}
    numbers = {_fold(w).strip(): n for n, words in spec["numbers"].items() for w in words}
    unit_alt = "|".join(sorted((re.escape(u) for u in units), key=len, reverse=True))
    num_alt = "|".join(sorted((re.escape(n) for n in numbers if n), key=len, reverse=True))
    # "15 min before", "за 15 минут", "提前15分钟", "20分前", "an hour before".
    # A spelled-out Latin/Cyrillic number needs a space before its unit: glued, "an"+"d"
    # is the word "and" and "a"+"m" is "am", not "1 day" or "1 minute".
    offset_re = re.compile(
        rf"(?<![a-zа-я\d])(?P<num>\d+(?:[.,]\d+)?|{num_alt})"
        rf"(?:(?<=[a-zа-я])\s+|(?<![a-zа-я])\s*)(?P<unit>{unit_alt})(?![a-zа-я])"
    )
    za_re = re.compile(rf"(?:^|\s)(?:за|提前)\s*(?P<unit>{unit_alt})(?![a-zа-я])")

    def longest_first(words) -> tuple[str, ...]:
        return tuple(sorted((_fold(w).strip() for w in words), key=len, reverse=True))

    return _Vocab(
        whom=_words(whom),
        channel=_words(channel),
        units=units,
        numbers=numbers,
        day_before=longest_first(spec["day_before"]),
        same_day=longest_first(spec["same_day"]),
        before=longest_first(spec["before"]),
        offset_re=offset_re,
        za_re=za_re,
        joining=_joining_re(spec.get("joining") or ()),
        the_call=_the_call_re(spec["before"], [w for words in channel.values() for w in words]),
        nobody=frozenset(_no_reminder_key(w) for w in spec.get("nobody") or ()),
        calls=_calls_re(spec.get("calls") or ()),
        people=(people := _people_re(spec, sep := _sep(spec.get("joining") or ())))[0],
        titled=people[1],
        verb=_verb_re(spec.get("verbs") or ()),
        sep=sep,
        beside_role=_beside_role_re(spec),
        listing=_listing_re(spec, honorific := _honorific_alt(honorifics)),
        honorific=re.compile(rf"\s*{honorific}") if honorific else None,
        role_stop=tuple(w.strip() for w, _ in _words(whom) + _words(channel)),
        day_half=day_halves(spec.get("day_half")),
    )


def day_halves(table) -> tuple[tuple[str, str], ...]:
    """(folded word, night|morning|afternoon) of phrases.yaml's `day_half`, longest first
    (as listed among words of one length: the night's first). The one list of these words:
    the log's Time and date cells read them too (tracker.log._clock)."""
    pairs = [(_fold(w).strip(), half) for half, words in (table or {}).items() for w in words or ()]
    return tuple(sorted((p for p in pairs if p[0]), key=lambda p: -len(p[0])))


def hour_in_half(hour: int, half: str | None) -> int | None:
    """`hour` o'clock in its half of the day (a key of `day_half`), the one rule of the
    Time column and the reminder phrases: 3 pm and 下午3点 are 15, 12 pm and 午後0時 12,
    12 am and 午前12時 0, 11 at night 23, 12 at night 0, 3 at night 3. None where the half
    says otherwise than the hour (13 pm, 15 утра); `hour` itself with no half."""
    if half not in ("night", "morning", "afternoon"):
        return hour
    if hour > 12:
        return None
    if half == "afternoon":
        return hour % 12 + 12
    return hour + 12 if half == "night" and 7 <= hour < 12 else hour % 12


def _calls_re(words) -> re.Pattern | None:
    """The call's own names, matched right after a channel word in the folded phrase."""
    alts = sorted({_fold(w).strip() for w in words} - {""}, key=len, reverse=True)
    return re.compile(r"\s*(?:" + "|".join(map(re.escape, alts)) + ")") if alts else None


def _joining_re(words) -> re.Pattern | None:
    """The joining words, longest first, found in the phrase as written (the clauses keep
    its capitals for the names). A word of letters stands alone: "и" is not the и inside
    "клиенту", "and" not the one inside "candidate"; Chinese and Japanese are written glued."""
    alts = []
    for w in sorted({unicodedata.normalize("NFKC", w).strip() for w in words} - {""}, key=len, reverse=True):
        word = re.escape(w).replace(r"\ ", r"\s+")
        alts.append(rf"(?<!\w){word}(?!\w)" if re.fullmatch(r"[a-zа-яё' ]+", w.casefold()) else word)
    return re.compile("|".join(alts), re.IGNORECASE) if alts else None


def _the_call_re(before, channels) -> re.Pattern | None:
    """What ends a part after a "before" written as a word, with no channel in it: the call
    it is before ("20 min before the client meeting", "до встречи с клиентом"), where a
    person is not one to remind; "до звонка отправить клиенту письмо" says whom and how.
    Chinese and Japanese glue 前 to the number or to the call."""
    words = [w.strip() for w in before if re.fullmatch(r"[a-zа-яё ]+", w.strip().casefold())]
    if not words:
        return None
    stop = "|".join(re.escape(w) for w in sorted(channels, key=len, reverse=True))
    alt = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alt})(?!\w)(?P<call>(?:(?!{stop})[^,，、])*)(?=[,，、]|$)", re.IGNORECASE)


def _no_reminder_key(text: str) -> str:
    # "Не напоминать." and "no reminder!" are the phrase itself.
    return _fold(text).strip().rstrip(".!。！")


def _vocab(config) -> _Vocab:
    # Built once per Config (it is immutable): a log may have a phrase on every row.
    cached = config.__dict__.get("_phrase_vocab")
    if cached is None:
        # The honorifics are the notes' own list (summaries.yaml `name_honorifics`): one
        # list of them, for the names of a phrase and of an interview's notes alike.
        cached = _build_vocab(config.section("phrases"), config.section("summaries").get("name_honorifics") or ())
        config.__dict__["_phrase_vocab"] = cached
    return cached


def _role_defaults(config) -> dict[str, tuple[ReminderRule, ...]]:
    """The default reminders of each role whose call types (reminders.call_types) all
    remind it alike: the team lead's are the introductory call's. A role reminded otherwise
    by two call types (the candidates: by phone the day before an interview, by the default
    channel before a repeat call) has none: which call it is, the phrase does not say."""
    cached = config.__dict__.get("_phrase_role_defaults")
    if cached is None:
        from .errors import ConfigError
        from .reminders import rule_from_spec

        by_type: dict[str, set] = {}
        for call_type, specs in (config.section("reminders").get("call_types") or {}).items():
            try:
                rules = [rule_from_spec(s) for s in specs or ()]
            except (ConfigError, TypeError):
                continue    # said by the commands that use them
            for whom in {r.whom for r in rules}:
                by_type.setdefault(whom, set()).add(tuple(sorted(
                    (r for r in rules if r.whom == whom),
                    key=lambda r: (-r.days_before, r.at_time or time(0), -(r.minutes_before or 0), r.channel))))
        cached = {whom: next(iter(found)) for whom, found in by_type.items() if len(found) == 1 and whom != "named"}
        config.__dict__["_phrase_role_defaults"] = cached
    return cached


def _mask(text: str, start: int, end: int) -> str:
    return text[:start] + " " * (end - start) + text[end:]


def _find_words(text: str, pairs) -> tuple[list[tuple[int, str, int]], str]:
    """(position, key, end) of every vocabulary word, longest first; matched spans are
    masked so "нанятого клиентом сотрудника" is not also read as "client"."""
    found: list[tuple[int, str, int]] = []
    for word, key in pairs:
        if not word.strip():
            continue
        start = 0
        while True:
            i = text.find(word, start)
            if i < 0:
                break
            # A short Latin word must stand alone ("sm", "call the"), but Japanese and
            # Chinese write it glued: "候補者にSMSで".
            if word.isascii() and word[:1].isalnum() and i > 0 and re.match(r"[a-zа-я\d]", text[i - 1]):
                start = i + 1
                continue
            # An abbreviation ("tl") ends a Latin word too: "Tlou Mokoena" is a name; "TLs"
            # and a Russian ending ("TLу") are the abbreviation.
            end = i + len(word)
            if len(word) <= 2 and word.isascii() and re.match(r"(?!s(?![a-z\d]))[a-z\d]", text[end:end + 2]):
                start = i + 1
                continue
            found.append((i, key, i + len(word)))
            text = _mask(text, i, i + len(word))
            start = i + len(word)
    found.sort()
    return found, text


_CLOCK = re.compile(
    r"(?<![\d:])(?P<h>[01]?\d|2[0-3])\s*(?:[:：]\s*(?P<m>[0-5]\d)|(?P<cjk>点|點|時|时)(?:\s*(?P<m2>[0-5]?\d)\s*分|(?P<half>半))?)"
)


# An hour alone, read as a clock time only with its half of the day after it: "в 5 вечера",
# "в 3 часа дня", "at 5 in the evening", "9am" (a number alone is too often something else).
_BARE_HOUR = re.compile(r"(?<![\d:：.])(?P<h>[01]?\d|2[0-3])(?![\d:：.])\s*(?:час(?:а|ов)?\s+)?")


def _clock_times(text: str, vocab: _Vocab) -> tuple[list[tuple[int, time, str]], str]:
    """(position, time, doubt) of each clock time; `doubt` is the time as written when
    it is an hour of 1 to 6 with no half of the day (3点半, 3:30): see log.small_hour."""
    out = []
    clocks = list(_CLOCK.finditer(text))
    taken = [range(m.start(), m.end()) for m in clocks]
    bare = [m for m in _BARE_HOUR.finditer(text)
            if not any(m.start() in r for r in taken) and _half_after(text[m.end():], vocab) is not None]
    for m in sorted(clocks + bare, key=lambda m: m.start()):
        found = m.groupdict()
        h = int(found["h"])
        minute = int(found.get("m") or found.get("m2") or (30 if found.get("half") else 0))
        # The half of the day: written glued before the time in Chinese and Japanese
        # (下午3点, 午後3時), after it in other languages (3:30 дня, 3:30 in the afternoon).
        before = text[max(0, m.start() - 4):m.start()]
        half = next((kind for w, kind in vocab.day_half if w in before and not _CASED.search(w)), None) \
            or _half_after(text[m.end():], vocab)
        hour = hour_in_half(h, half)
        doubt = "" if half is not None or len(m.group("h")) > 1 or not 1 <= h < SMALL_HOURS_END else m.group().strip()
        # A half saying otherwise than the hour (15:00 pm): the hour as written.
        out.append((m.start(), time(h if hour is None else hour, minute), doubt))
        text = _mask(text, m.start(), m.end())
    return out, text


def _half_after(rest: str, vocab: _Vocab) -> str | None:
    """The half of the day written right after a time ("3:30 дня", "5 in the evening")."""
    rest = rest.lstrip()
    return next((kind for w, kind in vocab.day_half
                 if rest.startswith(w) and not _CASED.match(rest[len(w):len(w) + 1])), None)


def _offsets(text: str, vocab: _Vocab) -> tuple[list[tuple[int, _When]], str]:
    out: list[tuple[int, _When]] = []
    # Each offset is found where it starts as written, its "за" or "提前" included: a name
    # right before it goes on with its time ("Анна Ли за 20 минут", see _goes_on).
    for phrase, number in vocab.numbers.items():        # "half an hour", "полчаса": before "an hour"
        i = text.find(phrase) if number == "30m" else -1
        if i >= 0:
            i, end = _lead(text, i), i + len(phrase)
            out.append((i, _When(minutes_before=30)))
            text = _mask(text, i, end)
    for m in list(vocab.offset_re.finditer(text)):
        raw = m.group("num").strip()
        unit = vocab.units[m.group("unit").strip()]
        # A number is an offset only when "before" is near: "за 15 мин", "提前15分钟",
        # "20分前", "15 min before" — not "2 candidates" or "at 15".
        window_after = text[m.end():m.end() + 14]
        near_before = any(b in window_after for b in vocab.before) or _lead(text, m.start()) < m.start()
        near_before = near_before or "in advance" in window_after or "ahead" in window_after
        if not near_before:
            continue
        number = vocab.numbers.get(raw, raw)
        if number == "30m":
            when = _When(minutes_before=30)
        else:
            try:
                n = float(number.replace(",", "."))
            except ValueError:
                continue
            if unit == "minutes":
                when = _When(minutes_before=int(round(n)))
            elif unit == "hours":
                when = _When(minutes_before=int(round(n * 60)))
            else:
                when = _When(days_before=max(1, int(round(n))))
        start = _lead(text, m.start())
        out.append((start, when))
        text = _mask(text, start, m.end())
    for m in list(vocab.za_re.finditer(text)):          # "за час", "за день", "提前一天" without a digit
        unit = vocab.units[m.group("unit").strip()]
        when = {"minutes": _When(minutes_before=1), "hours": _When(minutes_before=60)}.get(unit, _When(days_before=1))
        out.append((m.start(), when))
        text = _mask(text, m.start(), m.end())
    return out, text


_LEAD = re.compile(r"(?:(?<=\s)за|前|提前)\s*$")


def _lead(text: str, i: int) -> int:
    """Where the number at `i` starts with the "за" (or "提前", "前") written before it
    that makes it an offset: "за 15 мин", "提前15分钟"; `i` when there is none."""
    m = _LEAD.search(text, max(0, i - 6), i)
    return m.start() if m else i


def _marked(text: str, words: tuple[str, ...]) -> tuple[list[int], str]:
    found = []
    for w in words:
        i = text.find(w)
        while i >= 0:
            if _inside_a_word(text, i, i + len(w)):   # "the eve" of "the evening"
                i = text.find(w, i + 1)
                continue
            found.append(i)
            text = _mask(text, i, i + len(w))
            i = text.find(w)
    return found, text


def _inside_a_word(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] starts or ends inside a word of a cased script (Chinese
    and Japanese have no spaces to tell words by)."""
    return bool((_CASED.match(text[start]) and start and _CASED.match(text[start - 1]))
                or (_CASED.match(text[end - 1]) and _CASED.match(text[end:end + 1])))


# What may stand between a name and its channel: "Ivan Petrov by e-mail", "Boris via SMS",
# "Иван Петров по смс".
_BY = re.compile(r"(?:by|via|on|per|through|over|in|по|через|в|во|на)\s+")
# The capital letters a name may start with: Latin, Greek, Cyrillic.
_CAPITALS = "".join(c for lo, hi in ((0x41, 0x5A), (0xC0, 0x24F), (0x370, 0x3FF), (0x400, 0x52F))
                    for c in map(chr, range(lo, hi + 1)) if c.isupper())
_CASED_LETTER = "[" + re.escape(_CAPITALS + _CAPITALS.lower()) + "]"
_CASED = re.compile(_CASED_LETTER)
# A word of a cased script, as a name is written: it may be glued to Chinese or Japanese
# ("提醒Anna Lee", "Анна提前一小时"), whose letters are \w too.
_CASED_WORD = re.compile(rf"{_CASED_LETTER}(?:{_CASED_LETTER}|['’-])*")
_CYRILLIC = re.compile(r"[\u0400-\u052f]")
# A Japanese name followed by "to", after its honorific (_named_people): 田中さんに, 李さんへ.
_JA_TO = re.compile(r"\s*(?:に|へ)")
# Function words of Latin and Cyrillic phrases that are never a name, capitalised or not.
_STOP = ("the", "a", "an", "on", "at", "in", "by", "via", "to", "for", "or", "please",
         "за", "в", "во", "на", "по", "с", "со", "к", "о", "об", "для", "или", "пожалуйста")
_ROLE_ARTICLE = r"(?:(?i:the|our|his|her|their)\s+)?"


def _spelt(words) -> list[str]:
    return [unicodedata.normalize("NFKC", str(w)).strip() for w in words if str(w).strip()]


def _sep(joining) -> str:
    """What joins names and role words in a list: a comma, "&", or a joining word written
    in letters ("and", "и"), standing alone."""
    words = sorted({w for w in _spelt(joining) if re.fullmatch(r"[^\W\d_]+(?: [^\W\d_]+)*", w) and _CASED.search(w)},
                   key=len, reverse=True)
    alt = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in words)
    return r"\s*(?:,|&" + (rf"|(?<!\w)(?i:{alt})(?!\w)" if alt else "") + r")\s*"


def _verb_re(verbs) -> re.Pattern | None:
    """A reminding verb ending the text before a name: "remind ", "напомнить "; a Chinese
    one glued to it ("提醒李娜")."""
    alts = [rf"(?<!\w){re.escape(w)}\s+" if _CASED.search(w) else rf"{re.escape(w)}\s*"
            for w in sorted(set(_spelt(verbs)), key=len, reverse=True)]
    return re.compile("(?i:" + "|".join(alts) + ")$") if alts else None


def _role_alt(spec: dict, group: str = "") -> str:
    """A role word as written, with any ending ("тимлиду"); `group` names the word
    without it, and the ending is group + "_end"."""
    roles = sorted({_fold(w).strip() for ws in spec["whom"].values() for w in ws or ()} - {""}, key=len, reverse=True)
    alt = "|".join(map(re.escape, roles))
    return rf"(?P<{group}>(?i:{alt}))(?P<{group}_end>[\w'’-]*)" if group else rf"(?i:{alt})[\w'’-]*"


def _beside_role_re(spec: dict) -> tuple[re.Pattern, re.Pattern]:
    """A role word listed right before a name ("the client and ", "客户和", "клиенту и ") and
    right after one (" and the client", "和客户", "とクライアント")."""
    joins = "|".join(re.escape(w) for w in sorted(set(_spelt(spec.get("joining") or ())), key=len, reverse=True))
    sep = r"\s*(?:[,，、&]" + (rf"|(?i:{joins})" if joins else "") + r")\s*"
    role = _role_alt(spec)
    return (re.compile(rf"{role}{sep}$"),
            re.compile(rf"{sep}{_ROLE_ARTICLE}{role}"))


def _honorific_alt(honorifics) -> str:
    """The honorifics written after a name (さん, くん, 先生, 女士), longest first, as one
    alternation for the patterns of `_Vocab` that step over them."""
    words = sorted(set(_spelt(honorifics)), key=len, reverse=True)
    return "(?i:" + "|".join(map(re.escape, words)) + ")" if words else ""


def _listing_re(spec: dict, honorific: str = "") -> re.Pattern:
    """What joins two names of a list, an honorific of the first included: ", ", " and ",
    "和", "、", "さんと", "先生和"."""
    joins = "|".join(re.escape(w) for w in sorted(set(_spelt(spec.get("joining") or ())), key=len, reverse=True))
    return re.compile((rf"(?:\s*{honorific})?" if honorific else "")
                      + r"\s*(?:[,，、&]" + (rf"|(?i:{joins})" if joins else "") + r")\s*")


def _people_re(spec: dict, sep: str) -> tuple[re.Pattern, re.Pattern]:
    """A list of people as written: names ("Anna Li", "Boris", "Анна Ли"), role words
    ("the client") and names given their role ("team lead Dana White", "Dana White (team
    lead)"), joined by commas, "and", "и" or "&"; and the pattern of an item of the last
    kind, its name and role apart (see `_titled`). A name is one or two capitalised
    Latin, Greek or Cyrillic words that are no word of the vocabulary ("Remind", "SMS",
    "WhatsApp", "Telegram", "Напомнить"), nor begin with one of its stems of whom, channels
    or calls ("Письмом", "Кандидату")."""
    def written(*keys) -> list:
        out = []
        for key in keys:
            words = spec.get(key) or ()
            out += [w for ws in words.values() for w in ws or ()] if isinstance(words, dict) else list(words)
        return out

    stop = set(_STOP)
    stop.update(t for w in written("whom", "channel", "calls", "units", "numbers", "day_before", "same_day",
                                   "before", "joining", "verbs")
                for t in re.findall(r"[^\W\d_][\w'’-]+", _fold(str(w))) if _CASED.match(t))
    # Russian words are given as stems ("письм", "позвон"): any ending of one is that word.
    stems = {t for w in written("whom", "channel", "calls") for t in re.findall(r"[^\W\d_]{4,}", _fold(str(w)))
             if _CYRILLIC.match(t)}
    word = (r"(?!(?i:" + "|".join(sorted(map(re.escape, stop), key=len, reverse=True)) + r")(?![\w'’-]))"
            + (r"(?!(?i:" + "|".join(sorted(map(re.escape, stems), key=len, reverse=True)) + r"))" if stems else "")
            + "[" + re.escape(_CAPITALS) + r"][\w'’-]+")
    role = _ROLE_ARTICLE + _role_alt(spec)
    # The name written once: the pattern is built for every log read.
    item = rf"(?<![\w'’-])(?:(?:{role}\s+)?{word}(?:\s+{word})?(?:\s*\(\s*{role}\s*\))?|{role})"
    # Matched against an item of a list already found: its name is any text.
    titled = (rf"(?:{_ROLE_ARTICLE}{_role_alt(spec, 'role_b')}\s+)?(?P<name>[^()]+?)"
              rf"(?:\s*\(\s*{_ROLE_ARTICLE}{_role_alt(spec, 'role_a')}\s*\))?")
    return re.compile(rf"{item}(?:{sep}{item})*"), re.compile(titled)


def phrase_people(text: str, people) -> tuple[str, ...]:
    """Those of `people` (a row's contact, client, candidates...) that a reading of `text`
    may find in it: what `read_phrase` depends on beside the text, so a cache of readings
    keys on it. A name in letters of a cased script is looked for where a word of the
    text starts with its first word's stem (Анна: a word starting "анн"); another, where
    its first word is in the text."""
    low, words = _text_words(text)
    found = []
    for p in people:
        probe = _probe(p)
        if probe and probe in low and (not _CASED.search(probe) or any(w.startswith(probe) for w in words)):
            found.append(p)
    return tuple(dict.fromkeys(found)) if found else ()


def may_name(text: str, words) -> bool:
    """Whether `text` may name one of the people whose names, or the words of their names
    ("O'Brien" as "Brien"), are among `words`: whether `phrase_people` may find any."""
    low = _text_words(text)[0]
    return any((probe := _probe(w)) and probe in low for w in words)


@lru_cache(maxsize=4096)
def _text_words(text: str) -> tuple[str, tuple[str, ...]]:
    # Asked for every row with a phrase: the phrases of a log are few.
    low = _yo(str(text or "").lower())
    return low, tuple(_CASED_WORD.findall(low))


def _yo(low: str) -> str:
    # ё is often written е ("Петр", "Петру" for the row's Пётр): the two are one letter here.
    return low.replace("ё", "е")


@lru_cache(maxsize=65536)
def _probe(name: str) -> str:
    words = name.split()
    # A name of one letter ("K"), or none, is no name to find in a phrase.
    if not words or len(name.strip()) < 2 or not re.search(r"[^\W\d_]", name):
        return ""
    return _yo(_stem(words[0]).lower())


def _stem(word: str) -> str:
    """What every declined form of a Cyrillic name starts with: Анна -> Анн (Анне, Анну),
    Иван -> Иван (Ивану); a word of another script is itself."""
    if _CYRILLIC.search(word) and len(word) >= 3 and word[-1].lower() in "аяоеиыуюьй":
        return word[:-1]
    return word


def _known_re(name: str, honorific: re.Pattern | None = None) -> re.Pattern:
    """One of the row's people as a phrase may write them: in letters of a cased script,
    word by word and alone, or glued to Chinese or Japanese ("Anna Lee", "Анна Ли" and its
    declined "Анне Ли", "提醒Anna Lee"); in Chinese or Japanese, as written, glued to what
    stands around it ("提醒李娜"), and given `honorific` (`_by_family_name`), by the family
    name with an honorific after it ("田中さん" for 田中 一郎: the honorific is left to
    follow it, as after a name written in full)."""
    words = name.split()
    if not _CASED.search(name):
        written = r"\s*".join(map(re.escape, words))
        if honorific is not None and len(words) > 1:
            written += rf"|{re.escape(words[0])}(?={honorific.pattern})"
        return re.compile(written)
    # ё is е too (see _yo).
    parts = [re.sub("[еёЕЁ]", "[её]", re.escape(_stem(w) if _CYRILLIC.search(w) and len(w) >= 3 else w))
             + (_CASED_LETTER + "{0,3}" if _CYRILLIC.search(w) and len(w) >= 3 else "") for w in words]
    edge = _CASED_LETTER[:-1] + r"\d'’-]"
    return re.compile(rf"(?<!{edge})" + r"\s+".join(parts) + rf"(?!{edge})", re.IGNORECASE)


def _by_family_name(name: str, people, vocab: _Vocab) -> re.Pattern | None:
    """The honorifics (`_Vocab.honorific`) after which a phrase names `name` by its family
    name alone: a name in Chinese or Japanese letters written with a space, family name
    first ("鈴木様" for 鈴木 花子), whose family name no other of the row's `people` has
    (they are all found when one is: phrase_people looks for a name's first word). Two
    田中 on a row: "田中さん" is neither, as before, and check lists the cell unread."""
    words = name.split()
    if vocab.honorific is None or len(words) < 2 or _CASED.search(name):
        return None
    same = {" ".join(p.split()) for p in people if p.split()[:1] == words[:1]}
    return vocab.honorific if len(same) == 1 else None


def _family_doubts(text: str, people, named, vocab: _Vocab) -> list[str]:
    """"田中さん: 田中 一郎 or 田中 花子?" for each family name written with an honorific
    that two of the row's `people` have and the reading named neither (`_by_family_name`):
    check's "whom: no one" alone does not say why."""
    if vocab.honorific is None:
        return []
    same: dict[str, set[str]] = {}
    for name in people:
        if not _CASED.search(name):
            same.setdefault(name.split()[0], set()).add(" ".join(name.split()))
    out = []
    for family, names in same.items():
        if len(names) < 2 or names & set(named):
            continue
        for m in re.finditer(re.escape(family), text):
            if h := vocab.honorific.match(text, m.end()):
                out.append(f"{text[m.start():h.end()]}: {' or '.join(sorted(names))}?")
                break
    return out


def _named_people(original: str, vocab: _Vocab, known=()) -> tuple[tuple[str, str], ...]:
    """The names a part gives people to remind: in a list after a reminding verb ("remind
    Anna Li and Boris"), in a list with a role word ("remind the client and Anna Li"), or
    leading a part that is not the phrase's start (it starts with a space: read_phrase
    strips the phrase), names no role and goes on with its time or channel ("...; Ivan
    Petrov by e-mail the day before"). A capitalised word elsewhere ("the Zoom call",
    "Reminder 1 hour before to the candidate") is no one to remind.

    `known`, the row's people as (name, pattern): one of them is a person for sure, so is
    also found where no capital marks a name (提醒李娜, "клиенту и Анне Ли"), leading the
    phrase itself ("Анна Ли за час"; "Monday 1 hour before" stays no one), and in
    Japanese before its に or へ (田中さんに); found declined, it is named as the row
    writes it. Named as the one the call is with ("the client before the interview with
    Anna Lee"), it is no one to remind, as it was. Each as (name, role): the role it is
    given ("team lead Dana White"), else ""."""
    found: list[tuple[int, str, str]] = []
    no_role = not _find_words(_fold(original), vocab.whom)[0]
    for m in vocab.people.finditer(original):
        cuts = [0, *(k for j in re.finditer(vocab.sep, m.group()) for k in j.span()), len(m.group())]
        items = [(m.start() + a, m.group()[a:b].strip()) for a, b in zip(cuts[::2], cuts[1::2]) if m.group()[a:b].strip()]
        found += [(at, *titled) for at, i in items if (titled := _titled(i, vocab, known))]
        named = [(at, i) for at, i in items if not _find_words(_fold(i), vocab.whom)[0]]
        # A list of the row's people may lead the phrase itself, as one of them does:
        # "Анна Ли и Пётр Сидоров за час".
        all_known = bool(named) and all(any(p.fullmatch(i) for _, p in known) for _, i in named)
        leads = not original[:m.start()].strip() and (original[:1].isspace() or all_known)
        if named and ((vocab.verb and vocab.verb.search(original[:m.start()])) or len(named) < len(items)
                      or (leads and no_role and _goes_on(original[m.end():], vocab, known=all_known))):
            found += [(at, next((n for n, p in known if p.fullmatch(i)), i), "") for at, i in named]
    # The row's people listed together ("李娜和王伟", "李娜、王伟", "佐藤さんと鈴木さん") are
    # named as one: what stands before the first and after the last tells for all (the
    # first only was read after "提醒", the last only before "に").
    spans = sorted((m.start(), m.end(), name) for name, pattern in known for m in pattern.finditer(original))
    runs: list[list[tuple[int, int, str]]] = []
    for span in spans:
        if runs and span[0] >= runs[-1][-1][1] and vocab.listing.fullmatch(original, runs[-1][-1][1], span[0]):
            runs[-1].append(span)
        else:
            runs.append([span])
    for run in runs:
        before, after = original[:run[0][0]], original[run[-1][1]:]
        # The last name's honorific is its name's: "鈴木くんに", "王伟先生提前1小时".
        if vocab.honorific and (h := vocab.honorific.match(after)):
            after = after[h.end():]
        if ((vocab.verb and vocab.verb.search(before)) or _JA_TO.match(after)
                or (no_role and (_goes_on(after, vocab, known=True) if not before.strip()
                                 else _only_when(before, vocab)))
                or vocab.beside_role[0].search(before) or vocab.beside_role[1].match(after)):
            found += [(start, name, "") for start, _, name in run]
    # Given a role anywhere, a person is that role's, once: "team lead Dana White and
    # the employee" reminded the team lead, and Dana White apart.
    roles = {name: role for _, name, role in found if role}
    return tuple(dict.fromkeys((name, roles.get(name, "")) for _, name, _ in sorted(found, key=lambda f: f[0])))


def _titled(item: str, vocab: _Vocab, known=()) -> tuple[str, str] | None:
    """(name, role) of a list's item naming a person with their role: "team lead Dana
    White", "Dana White (team lead)"; the name as the row writes it when it is one of the
    row's people. After its role word a name is taken when it is one of the row's people
    or a whole name ("the candidate Monday" is no one), and in Cyrillic only after a role
    word with no ending (its name is declined too: "тимлиду Дане Уайт" greets no "Дане")."""
    m = vocab.titled.fullmatch(item) if vocab.titled else None
    if m is None or not (m["role_a"] or m["role_b"]) or (m["role_a"] and m["role_b"]):
        return None
    name = m["name"].strip()
    role = _find_words(_fold(m["role_a"] or m["role_b"]), vocab.whom)[0]
    as_known = next((n for n, p in known if p.fullmatch(name)), None)
    if as_known is None and m["role_b"] and (len(name.split()) < 2 or (_CYRILLIC.search(name) and m["role_b_end"])):
        return None
    # The client is a company: "the client Acme Corp" greets its contact, as it did.
    return (as_known or name, role[0][1]) if role and role[0][1] != "client" else None


def _only_when(text: str, vocab: _Vocab) -> bool:
    """Whether `text`, before one of the row's people, says only when or how ("за 20 минут
    Анне Ли", "by SMS 1 hour before Anna Lee"), not what the call is ("the interview with
    Anna Lee")."""
    text = _fold(text)
    text = _offsets(text, vocab)[1]
    for words in (vocab.day_before, vocab.same_day):
        text = _marked(text, words)[1]
    text = _find_words(_clock_times(text, vocab)[1], vocab.channel)[1]
    text = _marked(text, vocab.before)[1]
    return all(w in _STOP for w in re.findall(r"[^\W\d_]+", text)) and not re.search(r"\d", text)


def _goes_on(rest: str, vocab: _Vocab, known: bool = False) -> bool:
    """Whether what follows a name starts with a time or a channel: "by e-mail the day
    before", "the day before", "1 hour before", "за час"; after one of the row's people
    (`known`), also a word for "before" (李娜提前一小时)."""
    rest = _fold(rest).strip().lstrip(":-–—").strip()       # "Анна Ли — за 20 минут"
    rest = " " + (rest[m.end():] if (m := _BY.match(rest)) else rest)    # folded text starts with a space
    starts = [i for i, *_ in _find_words(rest, vocab.channel)[0] + _offsets(rest, vocab)[0] + _clock_times(rest, vocab)[0]]
    starts += [i for words in (vocab.day_before, vocab.same_day) for i in _marked(rest, words)[0]]
    if known:
        starts += _marked(rest, vocab.before)[0]
    # "за час" is found at the space before за.
    return 0 in starts or 1 in starts


def _listed(gap: str, vocab: _Vocab) -> bool:
    """Whether what stands between two channel words makes them one list: a comma, or a
    joining word and at most one short word ("SMS and by e-mail", "смс и на почту",
    "短信和邮件", "SMSとメール"). "SMS or e-mail" and "SMS/e-mail" offer a choice, and
    "SMS the candidate 1 hour before, e-mail" is two requests in one clause."""
    gap = gap.strip()
    if gap[:1] in ",，、":
        gap = gap[1:].strip()
        if not gap:
            return True
    m = vocab.joining.match(gap) if vocab.joining else None
    return bool(m) and bool(re.fullmatch(r"(?:[a-zа-я]{1,4})?", gap[m.end():].strip()))


def _channels(text: str, found, vocab: _Vocab) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(the channels used, the others named) of a clause: the first it names, with those
    listed along with it, each sent; the rest are not used."""
    used = found[:1]
    for word in found[1:]:
        if not _listed(text[used[-1][2]:word[0]], vocab):
            break
        used.append(word)
    keys = tuple(dict.fromkeys(key for _, key, _ in used))
    return keys, tuple(dict.fromkeys(key for _, key, _ in found[len(used):] if key not in keys))


def _clause_reading(clause: str, vocab: _Vocab, role_words: set[str], known=()):
    text = _fold(clause)
    offsets, text = _offsets(text, vocab)
    days, text = _marked(text, vocab.day_before)
    same, text = _marked(text, vocab.same_day)
    clocks, text = _clock_times(text, vocab)
    whom, text = _find_words(text, vocab.whom)
    found, _ = _find_words(text, vocab.channel)
    if vocab.calls and len({key for _, key, _ in found}) > 1:
        # "SMS the candidate 20 min before the phone interview", "电话面试前…短信": how the
        # call is held, not a second way to remind (check reported the cell for nothing).
        # A clause's only channel stays: "SMS interview reminder" is by SMS.
        folded = _fold(clause)
        found = [w for w in found if not vocab.calls.match(folded, w[2])] or found
    names = _named_people(clause, vocab, known)

    whens: list[tuple[int, _When]] = list(offsets)
    whens += [(i, _When(days_before=1)) for i in days]
    # A clock time goes with the nearest day-based moment before it, else stands alone
    # as "on the day at ...".
    clocks = sorted(clocks)
    day_based = sorted(((i, w) for i, w in whens if w.minutes_before is None), key=lambda p: p[0])
    used = set()
    for pos, t, doubt in clocks:
        target = None
        for k, (i, w) in enumerate(day_based):
            if k not in used and w.at_time is None:
                target = k
                if i <= pos:
                    continue
                break
        if target is not None:
            used.add(target)
            i, w = day_based[target]
            day_based[target] = (i, _When(days_before=w.days_before, at_time=t, doubt=doubt))
        else:
            day_based.append((pos, _When(days_before=0, at_time=t, doubt=doubt)))
    whens = sorted([p for p in whens if p[1].minutes_before is not None] + day_based, key=lambda p: p[0])
    if same and not any(w.at_time or w.minutes_before is not None for _, w in whens):
        # "on the day" alone: a morning reminder on the day of the call.
        whens.append((same[0], _When(days_before=0)))
    roles = list(dict.fromkeys(k for _, k, _ in whom))
    channels, apart = _channels(_fold(clause), found, vocab)
    return roles, names, channels, [w for _, w in whens], apart


_CLAUSE_SPLIT = re.compile(r"[;\n；。]|\.\s+(?=[A-ZА-Я])")
_COMMA = re.compile(r"[,，、]")


def _clauses(text: str, vocab: _Vocab, role_words: set[str], known=()) -> list[tuple[bool, list[str]]]:
    """The clauses of a phrase, each as its parts joined by "and" (see `_joined`), and
    whether it opens a sentence: split at ; and sentence ends, and at commas when every
    part says whom and when on its own ("за полчаса клиенту письмо, менеджеру за час в
    телеграм"), or its own time and channel for the people the first part names
    ("候補者に前日にメール、当日30分前にSMS": read as one, both went by e-mail); a comma
    inside a list ("candidates, client and SM 20 min before") stays."""
    out = []
    for k, clause in enumerate(_CLAUSE_SPLIT.split(text)):
        if not clause.strip():
            continue
        # Each clause after the first starts with a space, as one cut at "and" does: a
        # name may lead it (see _named_people), not the phrase ("Monday 1 hour before").
        clause = clause if k == 0 or clause[:1].isspace() else " " + clause
        parts = [p for p in _COMMA.split(clause) if p.strip()]
        readings = [_clause_reading(p, vocab, role_words, known) for p in parts] if len(parts) > 1 else []
        if readings and (all((roles or names) and whens for roles, names, _, whens, _ in readings)
                         or ((readings[0][0] or readings[0][1])
                             and all(whens and channels for _, _, channels, whens, _ in readings))):
            out += [(j == 0, _joined(p, vocab, role_words, known)) for j, p in enumerate(parts)]
        else:
            out.append((True, _joined(clause, vocab, role_words, known)))
    return out


def _joined(clause: str, vocab: _Vocab, role_words: set[str], known=()) -> list[str]:
    """A clause cut at its joining words where each side names its own person and its own
    time or channel: "SMS the candidate 2 hours before and e-mail the client the day
    before" is two reminders (read as one, both people got both times by SMS). "The
    candidate and the client 20 min before" (a side with no time or channel) and "the day
    before and 20 min before" (a side with nobody) stay one; so does a list of people
    with the time on one side and the channel on the other ("1時間前に候補者とクライアント
    にSMSで", "提前1小时给候选人和客户发短信"): cut, the first had no channel. A joining
    word in a list of channels is not cut when a later one can be: "the candidate by SMS
    and e-mail and the client by e-mail" cut at the first gave the candidate SMS only."""
    if vocab.joining is None:
        return [clause]

    def side(part: str) -> tuple[bool, bool, bool]:
        """(names someone to remind, has a time, has a channel)."""
        _, _, channel, whens, _ = _clause_reading(part, vocab, role_words, known)
        for m in vocab.the_call.finditer(part) if vocab.the_call else ():
            part = _mask(part, *m.span("call"))
        roles, names, *_ = _clause_reading(part, vocab, role_words, known)
        return bool(roles or names), bool(whens), bool(channel)

    def cuts(left: str, right: str) -> bool:
        (lp, *ls), (rp, *rs) = side(left), side(right)
        if lp and not rp and ls == rs == [True, True]:
            # "candidates the day before by e-mail and 30 min before by SMS": the same
            # people, a time and a channel of its own.
            return True
        if not (lp and any(ls) and rp and any(rs)):
            return False
        sides = tuple(ls), tuple(rs)
        one_each = sides in (((True, False), (False, True)), ((False, True), (True, False)))
        return not (one_each and _between(left, right, vocab.whom))

    joints = list(vocab.joining.finditer(clause))
    parts, start = [], 0
    for k, m in enumerate(joints):
        left, right = clause[start:m.start()], clause[m.end():]
        if m.start() < start or not cuts(left, right):
            continue
        if _between(left, right, vocab.channel) and any(cuts(clause[start:n.start()], clause[n.end():])
                                                        for n in joints[k + 1:]):
            continue
        parts.append(left)
        start = m.end()
    return parts + [clause[start:]]


def _between(left: str, right: str, pairs) -> bool:
    """Whether the joining word between `left` and `right` stands right after a word of
    `pairs` (people, channels) and right before another, a short word between allowed:
    "the candidate and the client", "клиенту и кандидату", "by SMS and by e-mail"."""
    left, right = _fold(left), _fold(right)
    before, _ = _find_words(left, pairs)
    after, _ = _find_words(right, pairs)
    return (any(re.fullmatch(r"[a-zа-я]*\s*", left[end:]) for _, _, end in before)
            and bool(after) and bool(re.fullmatch(r"\s*(?:[a-zа-я]{1,4}\s+)?", right[:after[0][0]])))


def _readings(text: str, vocab: _Vocab, role_words: set[str], known=()):
    """(roles, names, channels, whens, channels apart, whether it opens a sentence) of
    each clause in turn (see `_channels`). A part joined by "and" with a channel but no time of its own has the
    next part's time, else the previous one's: "the candidate by SMS and the client by
    e-mail the day before". A clause that names people but no time has the previous
    clause's, else the next one's: "SMS the candidate 1 hour before; e-mail the client"
    (what check advises for two channels in one clause) reminded the client of nothing,
    and said nothing."""
    parts = _clauses(text, vocab, role_words, known)
    clauses = [[_clause_reading(p, vocab, role_words, known) for p in ps] for _, ps in parts]
    out = []
    for c, readings in enumerate(clauses):
        around = [r[3] for rs in clauses[:c][::-1] for r in rs[::-1] if r[3]]
        around += [r[3] for rs in clauses[c + 1:] for r in rs if r[3]]
        for k, (roles, names, channels, whens, apart) in enumerate(readings):
            shared = [r[3] for r in readings[k + 1:] + readings[:k][::-1] if r[3]]
            if not shared and (roles or names):
                shared = around
            out.append([roles, names, channels, whens or (shared[0] if shared else []), apart,
                        k == 0 and parts[c][0]])
    return _channel_clauses(out, [p for _, ps in parts for p in ps], vocab)


def _channel_clauses(readings: list, texts: list[str], vocab: _Vocab) -> list:
    """A clause of a channel alone ("remind the candidate 1 day before; by SMS", "...; SMS")
    gives it to the clauses just before it that name none, back to one that does: it was
    lost, and they had their default channel. After a clause naming its own ("call the
    candidate 1 day before; by SMS"), the two are channels named apart for the same
    people: the first is used, and the reading says so. One naming the call ("...; phone
    interview", "собеседование по телефону") says how the call is held, as it did."""
    for i, (roles, names, channels, whens, *_) in enumerate(readings):
        if roles or names or whens or not channels or (vocab.calls and vocab.calls.search(_fold(texts[i]))):
            continue
        back = []
        for j in range(i - 1, -1, -1):
            if readings[j][2]:
                break
            back.append(j)
        for j in back:
            readings[j][2] = channels
        if not back and i:
            used = readings[i - 1][2]
            apart = tuple(c for c in channels if c not in used and c not in readings[i - 1][4])
            if apart:
                readings[i - 1][4] = tuple(readings[i - 1][4]) + apart
    return readings


def read_phrase(text: str, config, people=()) -> PhraseReading:
    """Read one cell of the "whom to remind" column; `people`: the names the row gives
    (contact, client, candidates...), each a person for sure wherever the phrase names one
    to remind (see `_named_people`). Never raises."""
    text = str(text or "").strip()
    if not text:
        return PhraseReading(text, (), False, "nothing written")
    vocab = _vocab(config)
    if _no_reminder_key(text) in vocab.nobody:
        return PhraseReading(text, (), True, "no reminder for this call")
    role_words = {w.strip() for w, _ in vocab.whom}
    # A row's person whose name is a word of whom or channel ("Client") stays that word.
    found = [name for name in phrase_people(text, [str(p).strip() for p in people])
             if _fold(name).strip() not in vocab.role_stop]
    known = tuple((name, _known_re(name, _by_family_name(name, found, vocab))) for name in found)
    rules: list[ReminderRule] = []
    seen_roles: list[str] = []
    seen_names: tuple[str, ...] = ()
    seen_channels: tuple[str, ...] = ()
    lender: frozenset[str] | None = None   # the people seen_channels were named for (any order)
    all_whens: list[_When] = []
    all_whom: list[str] = []
    all_channels: list[str] = []    # each clause's, for `understood`
    channels_apart = []
    untimed = []    # (role, names, channels, names someone) of clauses with no time
    for roles, names, channels, whens, apart, opens in _readings(text, vocab, role_words, known):
        # A sentence naming other people than those whose channel was named (in any
        # order, or some of them), and no channel, has their default channel: "клиенту
        # за 15 минут по почте; кандидатам за 20 минут" e-mailed the candidates. Within a
        # sentence a channel is shared ("SMS the candidate 2 hours before and the client
        # the day before"); one naming no one goes on with the same people and channel; a
        # channel alone ("...; by SMS; ...") is no people's, its neighbours'
        # (_channel_clauses).
        own = channels
        alone = bool(channels) and not (roles or names or whens)
        others = opens and (roles or names) and lender is not None and not frozenset((*roles, *names)) <= lender
        if not (roles or names):
            # "клиенту и Анне Ли за час; накануне": both again (Анна Ли was dropped).
            roles, names = seen_roles, seen_names
        channels = channels or (() if others else seen_channels)
        if own:
            lender = None if alone else frozenset((*roles, *names))
        if roles or names:
            seen_roles, seen_names = roles, names
            all_whom += [*roles, *(name for name, _ in names)]
        seen_channels = channels
        all_whens += whens
        all_channels.append(" and ".join(channels) or "default")
        if apart:
            channels_apart.append((channels, apart))
        # A person given a role ("team lead Dana White") is that role's reminder, by name.
        titled = {}
        for name, role in names:
            if role:
                titled.setdefault(role, []).append(name)
        plain = tuple(name for name, role in names if not role)
        targets = ([(r, tuple(titled.pop(r, ()))) for r in roles] + [(r, tuple(n)) for r, n in titled.items()]
                   + ([("named", plain)] if plain else []))
        for role, people in targets:
            if not whens:
                untimed.append((role, people, channels, bool(names)))
            for w in whens:
                for channel in channels or ("",):
                    rule = ReminderRule(
                        whom=role, channel=channel, minutes_before=w.minutes_before,
                        days_before=w.days_before if w.minutes_before is None else 0,
                        at_time=w.at_time, names=tuple(people), source="row",
                    )
                    if rule not in rules:
                        rules.append(rule)
    if untimed and not all_whens and any(named for *_, named in untimed):
        # A person named, with their role, and no time anywhere ("Dana White (team lead)",
        # "... by Telegram"): that role's default moments, by the channel written. Unread,
        # the call type's defaults greeted her as no one and lost the channel. She fills
        # that role of the call: its other roles keep their reminders (reminders._roles_kept).
        from .reminders import AT_ROLE_MOMENTS

        defaults = _role_defaults(config)
        if all(role in defaults for role, *_ in untimed):
            for role, people, channels, _ in untimed:
                for d in defaults[role]:
                    for channel in channels or (d.channel,):
                        rule = replace(d, channel=channel, names=people, source=AT_ROLE_MOMENTS)
                        if rule not in rules:
                            rules.append(rule)
    whom_text = ", ".join(dict.fromkeys(all_whom)) or "no one"
    when_text = ", ".join(dict.fromkeys(w.describe() for w in all_whens)) or "no time"
    understood = f"whom: {whom_text}; when: {when_text}; channel: {', '.join(dict.fromkeys(all_channels))}"
    for doubt in _family_doubts(text, found, all_whom, vocab):
        understood += f"; {doubt}"
    doubts = {w.doubt: w.at_time for w in all_whens if w.doubt}
    if doubts:
        # Not read: a reminder at 03:30 for "3点半" would be wrong, as would one at 15:30 unsaid.
        from .log import small_hour

        for d, t in doubts.items():
            hint = (small_hour(d, t, config=config) or "").partition("; ")[2]
            understood += f"; {d}: {t:%H:%M} or {t.hour + 12}:{t:%M}?" + (f" {hint}" if hint else "")
    return PhraseReading(text, tuple(rules), bool(rules) and not doubts, understood, tuple(channels_apart),
                         tuple(doubts.items()))
