"""Listing output for the terminal: table, JSON or CSV (data to stdout, messages to stderr)."""
from __future__ import annotations

import csv
import io
import json
import math
import os
import re
import shlex
import unicodedata
from datetime import date, datetime, time
from pathlib import Path
from typing import Any, Iterable, Sequence


def _plain(value: Any) -> Any:
    """JSON-ready: dates ISO 8601, data classes through their as_dict()."""
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    if hasattr(value, "as_dict"):
        return _plain(value.as_dict())
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def counted(n: int, one: str, many: str | None = None) -> str:
    """"1 call", "2 calls": a count and its noun, as a message says it."""
    return f"{n} {one if n == 1 else (many or one + 's')}"


def _fields(item: Any) -> Any:
    """A listing's row as field -> value, its dates still dates: JSON writes them ISO 8601
    (_plain), a table and the CSV as Excel reads them (_cell)."""
    return item.as_dict() if hasattr(item, "as_dict") else item


def of_file(file: str, items: Iterable[Any]) -> list[dict[str, Any]]:
    """Each item as a row with `file` first: one listing of several workbooks' rows."""
    return [{"file": file, **_fields(i)} for i in items]


def workbook_labels(paths: Iterable[str | Path]) -> list[str]:
    """How a team's digest or a terminal's table names each workbook: its file name, short enough to read in a
    line, or with its folder when two share a name (team/a/calls.xlsx, team/b/calls.xlsx:
    `a/calls.xlsx`), or the whole path as given when even that is shared."""
    paths = [Path(p) for p in paths]
    ways = (lambda p: p.name, lambda p: f"{p.parent.name}/{p.name}" if p.parent.name else p.name)
    labels: list[str] = []
    for p in paths:
        for way in ways:
            if [way(q).casefold() for q in paths].count(way(p).casefold()) == 1:
                labels.append(way(p))
                break
        else:
            labels.append(str(p))
    return labels


def to_json(items: Iterable[Any]) -> str:
    return json.dumps([_plain(i) for i in items], ensure_ascii=False, indent=2)


def _when(value: date | time) -> str:
    """A date or time as Excel reads it in any language: ISO with a space, not the "T"
    of JSON (`2026-11-23 09:10`; Excel takes `2026-11-23T09:10` for a text, which does
    not sort or filter as a date)."""
    if isinstance(value, datetime):
        return f"{value:%Y-%m-%d} {_when(value.time())}"
    if isinstance(value, time):
        return f"{value:%H:%M:%S}" if value.second or value.microsecond else f"{value:%H:%M}"
    return value.isoformat()


def _cell(value: Any, decimal: str = ".") -> str:
    """A value as a person reads it in a table or in Excel."""
    if isinstance(value, (date, time)):
        return _when(value)
    value = _fields(value)
    if value is None:
        return ""
    if isinstance(value, float):
        text = f"{value:.2f}".rstrip("0").rstrip(".") if value != int(value) else str(int(value))
        return text.replace(".", decimal)
    if isinstance(value, list):
        return ", ".join(_cell(v, decimal) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_cell(v, decimal)}" for k, v in value.items())
    return " ".join(str(value).split())


# The CSV's field separators (general.yaml `csv_separator`, the listings' --csv-sep).
# Excel splits a double-clicked .csv on its list separator: "," in English, ";" where
# the comma is the decimal sign (Russian, German, French...).
CSV_SEPARATORS = {",": ",", ";": ";", "tab": "\t"}


def to_csv(rows: Sequence[dict[str, Any]], columns: Sequence[str] | None = None, *, sep: str = ",") -> str:
    """`sep`: a key of CSV_SEPARATORS. With ";", numbers have a decimal comma (0,25): the
    Excel that splits on ";" does so because its decimal sign is the comma, and would
    read 0.25 as a text (1.5 as the 1st of May)."""
    columns = list(columns or (rows[0].keys() if rows else []))
    decimal = "," if sep == ";" else "."
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=CSV_SEPARATORS[sep], lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_csv_cell(row.get(c), decimal) for c in columns])
    return buf.getvalue()


def _csv_cell(value: Any, decimal: str = ".") -> str:
    """A cell of the CSV, which is made for Excel: a text that Excel would run as a
    formula (a client typed as =HYPERLINK(...), a contact as @SUM(...)) gets an
    apostrophe in front, the usual guard: Excel then shows it as text, apostrophe and
    all, rather than running it. json keeps every value as written. A text keeps its
    lines (a quoted field holds them): a draft's paragraphs, as the sheet has them."""
    if not isinstance(value, str):
        return _cell(value, decimal)
    text = value.replace("\r\n", "\n")
    if text.lstrip()[:1] in ("=", "+", "-", "@"):
        return "'" + text
    return text


def text_width(text: str, limit: int | None = None) -> int:
    """Columns `text` takes in a terminal or a cell: wide CJK characters count double.
    With `limit`, counting stops past it: a table cuts a long message at 48 columns, and
    a listing of hundreds holds a message per row."""
    if text.isascii():
        return len(text)
    if limit is not None:
        text = text[:limit + 1]   # no character is narrower than 1
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def wrapped_lines(text: str, width: float) -> int:
    """How many lines `text` takes in a wrapping column `width` characters wide (wide CJK
    characters count double, as in text_width)."""
    per_line = max(1.0, width - 1)
    return sum(max(1, math.ceil(text_width(line) / per_line)) for line in text.splitlines() or [""])


def _fit(text: str, width: int) -> str:
    used = text_width(text, width)
    if used <= width:
        return text + " " * (width - used)
    out, used = "", 0
    for ch in text:
        w = text_width(ch)
        if used + w > width - 1:
            break
        out += ch
        used += w
    return out + "…" + " " * (width - used - 1)


def _fit_end(text: str, width: int) -> str:
    """As _fit, but a long text keeps its end: a path's end is the file's name."""
    if text_width(text, width) <= width:
        return _fit(text, width)
    out, used = "", 1
    for ch in reversed(text):
        w = text_width(ch)
        if used + w > width:
            break
        out = ch + out
        used += w
    return "…" + out + " " * (width - used)


def to_table(rows: Sequence[dict[str, Any]], columns: Sequence[str], *, max_width: int = 48,
             whole_last: bool = False, keep_end: Iterable[str] = (), width: int | None = None,
             narrow: Iterable[str] = (), spare: Sequence[str] = ()) -> str:
    """Aligned columns (wide CJK characters count double); long cells are cut with …,
    but for the last column's with `whole_last` (nothing to align right of it: `check`'s
    message is the point of its line); those of the columns in `keep_end` (paths) keep
    their end rather than their start.

    `width` (a terminal's): the lines fit it. The widest of the `narrow` columns (free
    texts) are cut narrower first; when that would leave them under NARROWEST (or one in
    WANTED under its width there), the `spare` columns are left out, in their order, first. The others are never cut nor
    left out: a line overflows a terminal too narrow for them. A last column kept whole
    is fitted as a narrow one, so that it starts within the width, and wraps."""
    cells = [[_cell(r.get(c)) for c in columns] for r in rows]
    widths = [
        min(max_width, max([text_width(c, max_width)] + [text_width(row[i], max_width) for row in cells]))
        for i, c in enumerate(columns)
    ]
    shown = list(range(len(columns)))
    if width is not None:
        free = {*narrow, *columns[-1:]} if whole_last else set(narrow)
        shown, widths = _fit_width(list(columns), widths, width, free, spare)
    fits = [_fit_end if c in set(keep_end) else _fit for c in columns]

    def line(values: Sequence[str]) -> str:
        fitted = [fits[i](values[i], widths[i]) for i in shown]
        if whole_last and values and shown[-1] == len(values) - 1:
            fitted[-1] = values[-1]
        return "  ".join(fitted).rstrip()

    lines = [line(list(columns)), "  ".join("-" * widths[i] for i in shown)]
    lines += [line(row) for row in cells]
    return "\n".join(lines)


# A free text is not cut narrower than this (it would say next to nothing) while a
# spare column can be left out instead.
NARROWEST = 12
# The free texts that are the point of their line, and as much of them as is kept while
# a spare column can go: "Phone: Get i…" told a consultant nothing of what to do.
WANTED = {"action": 32}


def _fit_width(columns: list[str], widths: list[int], width: int, narrow: set[str],
               spare: Sequence[str]) -> tuple[list[int], list[int]]:
    """The columns shown (their indexes) and every column's width, for lines of `width`
    (see to_table)."""
    shown = list(range(len(columns)))

    def room() -> int:
        """What the narrow columns shown have between them."""
        return width - 2 * (len(shown) - 1) - sum(widths[i] for i in shown if columns[i] not in narrow)

    def least(i: int) -> int:
        return min(widths[i], WANTED.get(columns[i], NARROWEST))

    for leaving in [None, *spare]:
        if leaving in columns and len(shown) > 1:
            shown.remove(columns.index(leaving))
        if sum(least(i) for i in shown if columns[i] in narrow) <= room():
            break
    budget = room()
    free = [i for i in shown if columns[i] in narrow]
    fitted = list(widths)
    # Each has its least, a wanted text what the others' leave of its own (even the
    # spare columns gone, that may be less); with no room for that, all are cut alike.
    base = {i: least(i) for i in free if columns[i] not in WANTED}
    base.update(_levelled({i: least(i) for i in free if columns[i] in WANTED}, budget - sum(base.values()),
                          NARROWEST))
    if sum(base.values()) > budget:
        for i, w in _levelled({i: widths[i] for i in free}, budget, 1).items():
            fitted[i] = w
        return shown, fitted
    # Then a wanted text the rest of its width, as far as the room goes; the others share
    # what is left, the widest cut to one width.
    budget -= sum(base.values())
    for i in free:
        fitted[i] = base[i]
        if columns[i] in WANTED:
            more = min(widths[i] - fitted[i], budget)
            fitted[i] += more
            budget -= more
    others = {i: widths[i] - fitted[i] for i in free if columns[i] not in WANTED}
    for i, more in _levelled(others, budget, 0).items():
        fitted[i] += more
    return shown, fitted


def _levelled(wants: dict[int, int], budget: int, at_least: int) -> dict[int, int]:
    """What each of `wants` (column -> width) gets of `budget`: all it wants while the
    budget allows, else the widest cut to one width (no less than `at_least`), what
    that leaves over going to the rightmost of them."""
    got = dict(wants)
    order = sorted(wants, key=lambda i: wants[i])
    for n, i in enumerate(order):
        level = max(at_least, budget // (len(order) - n))
        if wants[i] <= level:
            budget -= wants[i]
            continue
        cut = order[n:]
        for j in cut:
            got[j] = level
        for j in sorted(cut, reverse=True)[:max(0, budget - level * len(cut))]:
            got[j] += 1
        break
    return got


def render_listing(fmt: str, items: Sequence[Any], columns: Sequence[str], *, whole_last: bool = False,
                   csv_sep: str = ",", width: int | None = None) -> str:
    """One listing in the chosen format; JSON carries every field, table and CSV `columns`
    (see to_table for `whole_last`, to_csv for `csv_sep`). A `file` column (rows of
    several workbooks, of_file) keeps the end of a long path in a table: the workbook's
    name. `width`: a terminal's, which the table fits (FREE_TEXT, SPARE)."""
    if fmt == "json":
        return to_json(items)
    rows = [_fields(i) for i in items]
    if fmt == "csv":
        return to_csv(rows, columns, sep=csv_sep).rstrip("\n")
    if width is not None and "file" in columns:
        # In a terminal, each workbook by the shortest name telling it apart: a path cut
        # to fit would leave "…/calls.xlsx" of team/a/calls.xlsx and team/b/calls.xlsx.
        files = list(dict.fromkeys(r["file"] for r in rows))
        short = dict(zip(files, workbook_labels(files)))
        rows = [{**r, "file": short[r["file"]]} for r in rows]
    whole = columns[-1:] if whole_last else []
    return to_table(rows, columns, whole_last=whole_last, keep_end=("file",), width=width,
                    narrow=FREE_TEXT, spare=[c for c in SPARE if c not in whole])


# The listings' columns of free text (names, labels, messages): a table cuts them to fit
# a terminal; the others (row, status, due, times; a workbook, by its short name) whole.
FREE_TEXT = frozenset({"who", "client", "call_type", "action", "message",
                       "whom", "channel", "subject", "sheet", "column", "value"})
# Left out of a table, in this order, in a terminal too narrow for them all: what the
# due date and the action already say (the draft message is JSON's, or a wider window's).
SPARE = ("message", "days_overdue", "client", "call_type", "channel")


# What a shell would take for its own in a path shown in a command to run: a space
# ("мой лог.xlsx") splits it in two. Letters of any script are safe.
_SHELL_UNSAFE = re.compile(r"""[\s'"$`!&|;<>()*?\[\]{}#~^%\\]""")


def shell_arg(path: Any) -> str:
    """`path` as it must be typed after a command in a hint to copy and run: quoted when
    a shell would split or expand it; as it is otherwise."""
    text = str(path)
    if not _SHELL_UNSAFE.search(text.replace("\\", "") if os.name == "nt" else text):
        return text
    return f'"{text}"' if os.name == "nt" else shlex.quote(text)

