"""`Key: value` lines in a row's notes, as consultants write them in any language.

    Company Name: Acme
    Contact Person – Jane Roe
    Целевая аудитория：worldwide

Keys come back normalised (config.normalize_word), so each engine maps them through its
own words in the configuration. A line without a separator continues the previous value.
"""
from __future__ import annotations

import operator
import re
from itertools import compress, repeat
from typing import Callable, Iterable

from .config import normalize_word

# "Key: value", "Key：value", "Key – value", "Key - value" (a dash needs spaces around it,
# so "part-time" is not split).
_LINE = re.compile(r"^\s*([^:：\n]{1,60}?)\s*(?:[:：]|\s[–—-]\s)\s*(.*)$")
# "【会社名】株式会社テスト": the key in lenticular brackets, as Japanese notes write it.
_BRACKETED = re.compile(r"^\s*【([^】\n]{1,60})】\s*[:：]?\s*(.*)$")
# A list number before the key ("1. 公司名称：", "2) Contact Person:", "③ 会社名："): not the key's.
_NUMBERED = re.compile(r"^(?:[(（]?\d{1,2}[.)、．）]|[①-⑳])\s*")


def parse_key_values(text: str) -> dict[str, str]:
    """normalised key -> value, in the order written; the first occurrence of a key wins."""
    out: dict[str, str] = {}
    last: str | None = None
    for line in str(text or "").splitlines():
        found = key_value(line)
        if found:
            key, value = found
            if key not in out:
                out[key] = value
                last = key
            else:
                last = None
        elif last is not None and line.strip():
            out[last] = (out[last] + "\n" + line.strip()).strip()
    return out


def item_labels(spec: dict, item: str) -> frozenset[str]:
    """A summary item's id and labels in every language (summaries.yaml `items`; not its
    looser keys), normalised: what the standard comment format writes it as ("SM:")."""
    item_spec = spec["items"].get(item) or {}
    return frozenset(filter(None, map(normalize_word, [item, *(item_spec.get("labels") or {}).values()])))


def last_value(text: str, words: frozenset[str]) -> str:
    """The value of the last `Key: value` line of `text` whose key is one of `words`
    (item_labels), its placeholder dash aside ("SM: – Olga"); "" when there is none."""
    found = ""
    for line in text.splitlines():
        kv = key_value(line)
        if kv is not None and kv[0] in words:
            found = kv[1].lstrip("–—- ").strip() or found
    return found


class InlineLabel:
    """Where one of some labels (as written: "SM", "担当") and its colon stand after other
    words of a line: "Client keen, will send CVs. SM: Olga". The label starts a word, so
    "PSM:" is not it, nor "SMS:" nor 先方担当： (the client's person in charge). A label
    is taken as written, and, but for one in capitals ("SM", an abbreviation: "sm:" in
    a sentence is none), in lower case and capitalised ("менеджер:")."""

    def __init__(self, labels: Iterable[str]):
        words = [w for w in map(str.strip, map(str, labels)) if len(w) > 1]
        forms = {f for w in words for f in ((w,) if w.isupper() else (w, w.lower(), w.capitalize()))}
        # Most texts hold none of them: told by `in`, at C speed, without the pattern's search.
        self.needles = tuple(f for f in forms if not any(g != f and g in f for g in forms))
        # The colon first, the label behind it: the search then stops at colons only (a
        # lookahead on the label's first letter stops at every "s" of an English note: 2x slower).
        behind = "|".join(rf"(?<=(?<!\w){re.escape(f)}{space}[:：])"
                          for f in sorted(forms, key=len, reverse=True) for space in ("", " "))
        self.pattern = re.compile(rf"[:：](?:{behind})") if forms else None
        self.forms = tuple(sorted(forms, key=len, reverse=True))

    def last_value(self, text: str) -> str:
        """The rest of the line after the last label in `text` that starts a sentence, its
        placeholder dash aside; "" when there is none. Mid-sentence a label is someone
        else's or no label: "Их менеджер: Пётр" (the client's), "客户很感兴趣，负责人：王总",
        "Position: SM: Scrum Master", "asked about SM: the role"."""
        if self.pattern is None or not any(map(text.__contains__, self.needles)):
            return ""
        for found in reversed(list(self.pattern.finditer(text))):
            if _starts_a_sentence(text, found.start(), self.forms):
                end = text.find("\n", found.end())
                return text[found.end():end if end >= 0 else len(text)].strip().lstrip("–—- ").strip()
        return ""


def _starts_a_sentence(text: str, colon: int, labels: tuple[str, ...]) -> bool:
    """Whether the label before `colon` (one of `labels`, longest first) stands where an
    item of ours does. An abbreviation ("SM") anywhere but as another label's value
    ("Position: SM: Scrum Master"): "Called back, SM: Pavel", "面談完了　SM：田中". A word
    ("менеджер", "负责人") where a sentence or line starts, after a dash between the items
    of a one-line note, or after a full-width space: mid-sentence it is someone else's
    ("Их менеджер: Пётр", the client's; "客户很感兴趣，负责人：王总")."""
    head = text[:colon].rstrip(" ")
    label = next((w for w in labels if head.endswith(w)), "")
    before = head[:len(head) - len(label)].rstrip(" \t")
    if label.isupper():
        return not before.endswith((":", "："))
    return (not before or before[-1] in "\n.!?;。！？；–—\u3000" or before.endswith(" -"))


def key_value(line: str) -> tuple[str, str] | None:
    """The normalised key and the value of one `Key: value` line, else None."""
    # Neither pattern can match a line without its bracket, colon or dash: looking for
    # those first spares the pattern's try of every length of key (a sentence: 3 µs).
    separated = ":" in line or "：" in line or "-" in line or "–" in line or "—" in line
    m = (_BRACKETED.match(line) if "【" in line else None) or (_LINE.match(line) if separated else None)
    key = normalize_word(_NUMBERED.sub("", m.group(1).strip())) if m else ""
    return (key, m.group(2).strip()) if key else None


def label_pattern(spec: dict) -> re.Pattern | None:
    """A summary item's label and its ":" (summaries.yaml `items`: their labels in every
    language and their keys): where an item starts in a summary, or in notes."""
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
    # The lookahead only rules out, in one step, a position no label can start at: the
    # regex engine would otherwise try every alternative there (5x slower).
    first = "".join(sorted({re.escape(w[0]) for w in words}))
    return re.compile(rf"(?=[{first}])(?<!\w)(?:{alternatives})\s*[:：]", re.IGNORECASE)


def interviewed(record, config) -> list:
    """The candidates an interview row's comment names in the agency's interview format
    ("Today we interviewed:", then a line "Name (employee ID) – ..." per candidate), read
    as the summaries read them, each once; [] when it names nobody, and for a repeat call
    the summaries do not take for a second interview (a call to clarify details names whom
    it is about, not whom the client met). See interview_reader; summaries.interview_candidates
    reads them."""
    return interview_reader(config)(record)


def interview_reader(config) -> Callable:
    """`interviewed` of `config`, for many rows: the statistics count its candidates on an
    interview row whose Candidates cell is blank, not the row's contact (the client's
    person). Made once per Config, as the summaries keep their setup."""
    reader = config.__dict__.get("_notes_interview_reader")
    if reader is not None:
        return reader
    # (A hand-made Config without the summaries section: only IDs in brackets say it.)
    spec = (((config.data.get("summaries") or {}).get("items") or {}).get("candidates")) or {}
    words = {" ".join(str(w).casefold().split())
             for w in [*(spec.get("labels") or {}).values(), *(spec.get("keys") or ())]} - {""}
    # A word holding another is found by that one ("today we interviewed", "interviewed").
    words = [w for w in words if not any(v != w and v in w for v in words)]
    id_line = _ID_LINE.match
    seen: dict[str, bool] = {}   # line -> whether it may name a candidate

    def may_name(line: str) -> bool:
        """A name followed by an ID in brackets at the line's start (the summaries'
        candidate line), or the heading (a label or key of the `candidates` item, in any
        case and spacing: substrings, a tenth of the time of a pattern of the words)."""
        if ("(" in line or "（" in line) and id_line(line) is not None:
            return True
        # A heading is a key, and a key is at most 60 characters at the line's start (key_value).
        folded = " ".join(line[:80].casefold().split())
        return any(w in folded for w in words)

    def read(record) -> list:
        lines = str(record.notes or "").splitlines()
        # Most comments name no one so: told by their lines, each looked at once (a line
        # not seen yet may), without the summaries' parse or its import (a log's 2 000
        # clarification calls: 60 ms).
        if not any(map(seen.get, lines, repeat(True))):
            return []
        for line in compress(lines, map(operator.not_, map(seen.__contains__, lines))):
            seen[line] = may_name(line)
        if not any(map(seen.__getitem__, lines)):
            return []
        # Imported here (summaries imports this module), and only by a log whose notes
        # may name a candidate: its import is 0.1 s of a command's start.
        from .summaries import interview_candidates

        return interview_candidates(record, config)

    config.__dict__["_notes_interview_reader"] = read
    return read


# "Anna Li (E1) – ...": a name, then an ID in brackets (summaries' _CANDIDATE).
_ID_LINE = re.compile(r"\s*(?:[-•*·]\s*)?[^:：()（）\n]+?[(（][^)）\n]{1,40}[)）]")
