"""`Key: value` lines in a row's notes, as consultants write them in any language.

    Company Name: Acme
    Contact Person – Jane Roe
    Целевая аудитория：worldwide

Keys come back normalised (config.normalize_word), so each engine maps them through its
own words in the configuration. A line without a separator continues the previous value.
"""
from __future__ import annotations

import re

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
