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


def key_value(line: str) -> tuple[str, str] | None:
    """The normalised key and the value of one `Key: value` line, else None."""
    # Neither pattern can match a line without its bracket, colon or dash: looking for
    # those first spares the pattern's try of every length of key (a sentence: 3 µs).
    separated = ":" in line or "：" in line or "-" in line or "–" in line or "—" in line
    m = (_BRACKETED.match(line) if "【" in line else None) or (_LINE.match(line) if separated else None)
    key = normalize_word(_NUMBERED.sub("", m.group(1).strip())) if m else ""
    return (key, m.group(2).strip()) if key else None
