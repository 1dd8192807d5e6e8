"""From a grid of cells to a CallLog: the one reader every command goes through.

A grid is a list of rows of cell values starting at Excel row 1, column A, whatever
produced it: the file reader (tracker.files, calamine) or the Excel reader (xlwings).
Nothing here raises on bad cells: what cannot be read becomes a Problem pointing at
the cell, and the rest of the row is still read.

Speed: a log may hold 100 000 rows. The work goes column by column, a block of rows at
a time (_BLOCK): each column gets its parser once, each distinct text or date in it is
parsed once (call types, outcomes and dates repeat endlessly) and the rest are
dictionary look-ups at C speed; records are then built row by row from the columns,
without per-cell configuration look-ups.
"""
from __future__ import annotations

import calendar
import gc
import hashlib
import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections import Counter, deque
import threading
from dataclasses import MISSING, dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from itertools import accumulate, chain, compress, count, islice, repeat
from operator import is_, itemgetter, not_, or_
from typing import Any, Callable, Iterable, Mapping, Sequence

from .collector import collector_paused
from .config import Config, normalize_word, shipped
from .errors import TrackerError, WorkbookError
from .notes import InlineLabel, item_labels, key_value, last_value
from .model import (DEFERRED, SMALL_HOURS_END, UNDATED_STATUSES, CallLog, CallRecord, Person, Problem, column_letter,
                    row_runs)
from .phrases import day_halves, hour_in_half

HEADER_SCAN_ROWS = 30
MAX_SHOWN = 80  # characters of a bad value quoted in a message

# Sheets Call Tracker writes into a workbook; never taken for the user's log.
OWNED_SHEETS = frozenset(normalize_word(n) for n in (
    "Chase today", "Reminders", "Stats", "Lists", "How to use", "Problems",
    "Позвонить сегодня", "Напоминания", "Статистика", "Списки", "Как пользоваться", "Проблемы",
    "今日跟进", "提醒", "统计", "列表", "使用说明", "问题",
    "今日の追客", "リマインダー", "統計", "リスト", "使い方", "問題",
))

# Excel's error values, as xlwings and text exports show them.
ERROR_VALUES = frozenset((
    "#N/A", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!", "#SPILL!",
    "#CALC!", "#GETTING_DATA", "#FIELD!", "#BLOCKED!", "#CONNECT!", "#BUSY!", "#UNKNOWN!",
    "#EXTERNAL!", "#PYTHON!",
))

# The fields whose script tells the language a row is written in (README: "its Language
# column, else its script"), in three tiers. The consultant's own sentences: the first
# with letters decides (but a few Latin words in a log not headed in English: _JOTTING_WORDS).
# Else the row's names and vacancy: a Cyrillic, Chinese or Japanese one wins over Latin,
# which is as often a transliteration or the trade's English ("Olga", "QA engineer").
# Last the drop-down values: in the log's language they say only what its headers say
# ("No answer" in an English log, beside a contact "Алёна Ким"), but one typed in another
# language tells that one.
_FREE_TEXT_FIELDS = ("notes", "goal", "actions", "next_step", "remind")
_NAME_FIELDS = ("contact", "candidates", "client", "position")
_LISTED_FIELDS = ("outcome", "call_type")
_RARELY_REPEATED = frozenset(("notes", "goal", "actions", "next_step"))   # a call's own words

_KANA_CHARS = r"\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9f"
_KANA = re.compile(f"[{_KANA_CHARS}]")
# The first Cyrillic, kana or Han character: one class, not three alternatives (a search
# through a row's notes is then 2x quicker); which script it is, is told after.
_SCRIPT = re.compile(rf"[\u0400-\u04ff{_KANA_CHARS}\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f\uff21-\uff3a\uff41-\uff5a]")


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MAX_SHOWN else text[: MAX_SHOWN - 1] + "…"


# ============================================================ cell values as text

def cell_text(value: Any) -> str:
    """A cell as the text a person sees (numbers without a trailing .0, ISO dates)."""
    cls = value.__class__
    if cls is str:
        return value.strip()
    if value is None:
        return ""
    if cls is float:
        if value.is_integer() and abs(value) < 1e16:
            return str(int(value))
        return repr(value)
    if cls is bool:
        return "TRUE" if value else "FALSE"
    if cls is datetime:
        if value.year < 1900:   # a time alone, as Excel keeps one on its day 0 (1899-12-30)
            return cell_text(value.time())
        if value.hour == value.minute == value.second == value.microsecond == 0:
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="minutes" if value.second == 0 else "seconds")
    if cls is date:
        return value.isoformat()
    if cls is time:
        return value.isoformat(timespec="minutes" if value.second == 0 else "seconds")
    return str(value).strip()


def utf8(text: str) -> bytes:
    """`text` in UTF-8; a lone surrogate (Excel may hand one over) kept as it is."""
    try:
        return text.encode()
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogatepass")


def script_language(text: str, han: str = "zh") -> str | None:
    """en/ru/zh/ja from the script a text is written in; None when it has no letters.
    Han characters without kana are Chinese unless `han` says otherwise (a Japanese
    sheet's kanji-only cells). The first 400 characters decide."""
    text = text[:400]
    if text.isascii():
        return "en" if text.lower() != text.upper() else None
    m = _SCRIPT.search(text)
    if m is None:
        return "en" if _LATIN.search(text) else None
    if m.group() <= "\u04ff":
        return "ru"
    if _KANA.search(text, m.start()):   # the character found, or one after it
        return "ja"
    return han


# ============================================================ dates and times

_MONTHS = {
    **{m: i for i, m in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)},
    "sept": 9,
    **{m: i for i, m in enumerate(
        ("янв", "фев", "мар", "апр", "ма", "июн", "июл", "авг", "сен", "окт", "ноя", "дек"), 1)},
}

_NUMERIC_DATE = re.compile(
    r"^(\d{1,4})\s*([-./年])\s*(\d{1,2})\s*[-./月]\s*(\d{1,4})\s*日?\.?"
    r"(?:\s*г\.?)?"                            # 22.11.2026г., 22.11.2026 г. (год)
    r"\s*(?:[(（][^)）]{0,12}[)）])?"          # a weekday in brackets: (Sun), (日), (пн)
    r"(?:\s*[T,]?\s*(.+?))?\s*$"
)
# 22 Nov 2026, 22 ноября 2026 г., and Excel's d-mmm-yy and d-mmm-yyyy (22-Nov-26).
_WORD_DATE_DMY = re.compile(r"^(\d{1,2})(?:\.?\s+([^\W\d_]{3,10})\.?,?\s+(\d{4})|-([^\W\d_]{3,10})-(\d{4}|\d{2}))"
                            r"(?:\s*г\.?)?(?:\s*[,T]?\s*(.+?))?\s*$")
# A weekday before the date: "Tue, 24 Nov 2026", "пн 23.11.2026".
_WEEKDAY = re.compile(r"^([^\W\d_]{2,11})\.?,?\s+(?=\d|[^\W\d_]{3})")
_WEEKDAYS = frozenset((
    "mon", "monday", "tue", "tues", "tuesday", "wed", "wednesday", "thu", "thur", "thurs",
    "thursday", "fri", "friday", "sat", "saturday", "sun", "sunday",
    "пн", "вт", "ср", "чт", "пт", "сб", "вс", "понедельник", "вторник", "среда", "четверг",
    "пятница", "суббота", "воскресенье",
))
_WORD_DATE_MDY = re.compile(r"^([^\W\d_]{3,10})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})(?:\s*[,T]?\s*(.+?))?\s*$")
# A time typed as text. Its half of the day, written before it (午後3時, 夕方6時: the words
# with no capitals) or after it (3 pm, 5 вечера, 11 at night), is a word of phrases.yaml's
# `day_half`, the reminder phrases' own list: a time reads the same in a Time cell, in a
# date's text and in a phrase (see _clock). Groups: 1 the half before, 2 the hour, 8 the
# half after. An hour word may stand for the colon: 14時30分, 14ч30, 14ч 30 мин, and the
# French 14h30 (14h alone is 14:00).
_TIME_FORM = (
    r"({before})?\s*(\d{{1,2}})\s*"
    r"(?:"
    r"[:：.]\s*(\d{{2}})(?:\s*[:：]\s*(\d{{2}}))?"
    r"|(?:[時时点點h]|ч(?:ас(?:а|ов)?)?\.?)\s*(?:(半)|(\d{{1,2}})\s*(?:分|мин\.?|м\.?|min\.?|m)?)?"
    r"(?:\s*(\d{{1,2}})\s*秒)?"                                          # 14時30分, 14ч, 3 часа дня
    r"|"
    r")\s*({after})?$"                                                  # 10 утра, 3 дня
)


@dataclass(frozen=True)
class _Clock:
    alone: re.Pattern           # a cell's whole text: "14:00", "3 ночи", "夕方6時"
    after_date: re.Pattern      # the end of a date's text: "26.11.2026 3:30", "2026年11月22日3点半"
    halves: dict[str, str]      # _half_key(word) -> night|morning|afternoon


def _half_key(word: str) -> str:
    # "a.m.", "A.M", "am" are one word; so are "in the  evening" and "in the evening".
    return "".join(word.casefold().replace(".", "").split())


def _build_clock(table: Any) -> _Clock:
    words = day_halves(table)
    halves: dict[str, str] = {}
    for w, half in words:
        halves.setdefault(_half_key(w), half)

    def alt(ws) -> str:
        forms = [re.escape(w).replace(r"\.", r"\.?").replace(r"\ ", " ").replace(" ", r"\s+") for w in ws]
        return "|".join(forms) or "(?!)"

    # Written before the time only where the words have no capitals (Chinese, Japanese).
    form = _TIME_FORM.format(before=alt(w for w, _ in words if w.upper() == w.lower()),
                             after=alt(w for w, _ in words))
    return _Clock(re.compile("^" + form, re.IGNORECASE),
                  re.compile(r"(?:(?<=\s)|(?<=日))" + form, re.IGNORECASE), halves)


def _clock(config: Config | None = None) -> _Clock:
    """The time grammar with `config`'s day-half words, built once per Config (it is
    immutable); without one, the shipped words (parse_date given only a date order)."""
    if config is None:
        return _shipped_clock()
    cached = config.__dict__.get("_log_clock")
    if cached is None:
        cached = config.__dict__["_log_clock"] = _build_clock(config.section("phrases").get("day_half"))
    return cached


@lru_cache(maxsize=1)
def _shipped_clock() -> _Clock:
    return _build_clock(shipped("phrases").get("day_half"))


_SERIAL_EPOCH = datetime(1899, 12, 30)  # Excel's 1900 date system (with its 1900 leap-year quirk)
_SERIAL_MIN = 29221.0                   # 1980-01-01: smaller numbers are not the date of a call
_SERIAL_MAX = 73051.0                   # 2100-01-01


def _two_digit_year(y: int) -> int:
    return 2000 + y if y < 70 else 1900 + y


def _month_number(word: str) -> int | None:
    w = word.casefold().rstrip(".")
    if w in _MONTHS:
        return _MONTHS[w]
    for stem_len in (4, 3, 2):
        m = _MONTHS.get(w[:stem_len])
        if m is not None and (stem_len >= 3 or w.startswith(("мая", "май"))):
            return m
    return None


def _make_date(y: int, m: int, d: int) -> date:
    if y < 100:
        y = _two_digit_year(y)
    return date(y, m, d)  # ValueError when there is no such day


def _with_time(day: date, rest: str | None, clock: _Clock | None) -> date | datetime:
    if not rest:
        return day
    t = _time_of_text(rest, clock or _shipped_clock()) if rest.strip() else None
    if t is None:
        raise ValueError
    return datetime.combine(day, t)


def _date_text(text: str) -> str:
    """A date's text as the date parsers read it: full-width digits and separators, as a
    Japanese or Chinese IME types them (２０２６／１１／２５), made plain (年月日 stay as they
    are), and a weekday before it dropped."""
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
    if not text[0].isdigit():
        m = _WEEKDAY.match(text)
        if m and m.group(1).casefold() in _WEEKDAYS:
            text = text[m.end():]
    return text


def _parse_date_text(text: str, order: str, clock: _Clock | None = None) -> date | datetime:
    text = _date_text(text)
    m = _NUMERIC_DATE.match(text)
    if m:
        a, sep, b, c, rest = m.groups()
        ia, ib, ic = int(a), int(b), int(c)
        if len(a) == 4 or sep == "年":           # year first: 2026-11-22, 2026年11月22日
            if len(c) > 2:
                raise ValueError
            return _with_time(_make_date(ia, ib, ic), rest, clock)
        if len(c) not in (2, 4) or len(b) > 2:
            raise ValueError
        if order == "ymd" and sep == "/" and len(a) == len(b) == len(c) == 2:
            # A Japanese log's short date, 26/11/20: year first, as Japan writes it.
            return _with_time(_make_date(ia, ib, ic), rest, clock)
        if ia > 12 and ib <= 12:                  # only one reading is a date
            day, month = ia, ib
        elif ib > 12 and ia <= 12:
            day, month = ib, ia
        elif order == "mdy" and sep != ".":
            # Dotted dates are day first wherever they are written (22.11.2026): the
            # order decides slash and dash dates only, which the US writes month first.
            day, month = ib, ia
        else:
            day, month = ia, ib
        return _with_time(_make_date(ic, month, day), rest, clock)
    m = _WORD_DATE_DMY.match(text)
    if m:
        d, word, year, dash_word, dash_year, rest = m.groups()
        month = _month_number(word or dash_word)
        if month is None:
            raise ValueError
        return _with_time(_make_date(int(year or dash_year), month, int(d)), rest, clock)
    m = _WORD_DATE_MDY.match(text)
    if m:
        month = _month_number(m.group(1))
        if month is None:
            raise ValueError
        return _with_time(date(int(m.group(3)), month, int(m.group(2))), m.group(4), clock)
    digits = text.strip()
    if digits.isdigit():
        return _parse_date_number(float(digits))
    raise ValueError


def _parse_date_number(value: float) -> date | datetime:
    if 19800101 <= value <= 21001231 and value == int(value):   # 20261122
        n = int(value)
        return date(n // 10000, n // 100 % 100, n % 100)
    if not (_SERIAL_MIN <= value < _SERIAL_MAX):
        raise ValueError
    moment = _SERIAL_EPOCH + timedelta(days=value)
    # Serial fractions carry float noise: round to the second.
    moment = (moment + timedelta(microseconds=500_000)).replace(microsecond=0)
    if moment.hour == moment.minute == moment.second == 0:
        return moment.date()
    return moment


@dataclass(frozen=True)
class _Yearless:
    """A date typed without its year (22.11, 22 ноября, Nov 22, 11月22日): the reader
    gives it the year of the rows around it (_date_years)."""

    month: int
    day: int
    time: time | None = None


@dataclass(frozen=True)
class _Relative:
    """A next contact typed as words counting from its call ("tomorrow", "через 3 дня",
    "Friday 15:00", 下周): typed on the call's day, it is read from its row's date
    (_date_years). `weekday` (ISO) is the first such day after the call, else `months`
    after (the same day of the month, or its last), else `days` after."""

    days: int
    weekday: int = 0
    week: bool = False          # "next week": the Monday after the call, said as such
    time: time | None = None
    doubt: str = ""             # small_hour's word on the time ("tomorrow 3:30"), for `check`
    months: int = 0             # "через месяц": that day of the month after the call's
    this: bool = False          # "this Friday": the first such weekday on or after the call
    own_week: bool = False      # 本周一, 今週の月曜: that weekday of the call's own week, past or not

    def day(self, call: date) -> date:
        """OverflowError past year 9999 (its callers say so on the cell)."""
        if self.this:   # a plan is never before its call: typed on a Saturday, the Friday after
            return call + timedelta(days=(self.weekday - call.isoweekday()) % 7)
        if self.own_week:   # as written: a day already past is a chase overdue, not next week's
            return call + timedelta(days=self.weekday - call.isoweekday())
        if self.months:
            y, m = divmod(call.month - 1 + self.months, 12)
            year, month = call.year + y, m + 1
            if year > 9999:
                raise OverflowError("date value out of range")
            # 31.01 + 1 month: 28.02
            return date(year, month, min(call.day, calendar.monthrange(year, month)[1]))
        if self.week:   # that weekday of the week after the call's ("next week": its Monday)
            return call + timedelta(days=7 - call.isoweekday() + (self.weekday or 1))
        if self.weekday:
            return call + timedelta(days=(self.weekday - call.isoweekday() - 1) % 7 + 1)
        return call + timedelta(days=self.days)

    def how(self) -> str:
        """How the day was counted, for `check`."""
        if self.this:
            return f"the first {_DAY_NAMES[self.weekday - 1]} on or after this row's call"
        if self.own_week:
            return f"the {_DAY_NAMES[self.weekday - 1]} of this row's call's week"
        if self.week:
            return f"the {_DAY_NAMES[(self.weekday or 1) - 1]} of the week after this row's call"
        if self.weekday:
            return f"the first {_DAY_NAMES[self.weekday - 1]} after this row's call"
        if self.months:
            return "a month after this row's call" if self.months == 1 else f"{self.months} months after this row's call"
        return "the day after this row's call" if self.days == 1 else f"{self.days} days after this row's call"


@dataclass(frozen=True)
class _NextWords:
    """phrases.yaml's words of the Next contact column (see there), folded and longest first."""

    days: tuple[tuple[str, _Relative], ...]   # "tomorrow", "Friday", "next week" -> their reading
    in_days: re.Pattern                       # "in 3 days": group 1 the number
    in_weeks: re.Pattern                      # "in 2 weeks", as in_days
    in_months: re.Pattern                     # "in 2 months", as in_days ("через месяц": in `days`)
    next_weekday: tuple[str, ...]             # "next" before a weekday: that day of the week after
    this_weekday: tuple[str, ...]             # "this" before a weekday: that day, on or after the call
    week_weekday: tuple[str, ...]             # 本周, 今週の before a weekday: that day of the call's week
    lead: tuple[str, ...]                     # "call back" before them
    at: tuple[str, ...]                       # "at" before a time
    no_date: tuple[str, ...]                  # "keep in touch by email": words, no date


def _next_fold(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().replace("ё", "е").split())


def _next_words(config: Config | None) -> _NextWords:
    """Built once per Config (it is immutable), as _clock is."""
    cached = config.__dict__.get("_log_next_words") if config is not None else None
    if cached is not None:
        return cached
    spec = (config.section("phrases") if config is not None else shipped("phrases")) or {}

    def folded(words: Any) -> list[str]:
        return [w for w in (_next_fold(str(x)) for x in words or ()) if w]

    def table(key: str) -> dict:
        return spec.get(key) if isinstance(spec.get(key), dict) else {}

    # A key that is no number of days or ISO weekday (a slip in tracker.yaml) reads nothing.
    days = [(w, _Relative(int(n))) for n, ws in table("days_after").items()
            if str(n).isdigit() for w in folded(ws)]
    days += [(w, _Relative(0, int(n))) for n, ws in table("weekdays").items()
             if str(n) in "1234567" and len(str(n)) == 1 for w in folded(ws)]
    days += [(w, _Relative(0, 1, True)) for w in folded(spec.get("next_week"))]
    # `in_months` without its N ("через месяц", "in a month"): one month.
    days += [(w, _Relative(0, months=1)) for w in folded(spec.get("in_months"))
             if _in_days_form(w) == "(?!)"]
    def counted(key: str) -> re.Pattern:
        pattern = "|".join(_in_days_form(_next_fold(str(x))) for x in spec.get(key) or ()) or "(?!)"
        return re.compile(f"(?:{pattern})")

    words = _NextWords(
        days=tuple(sorted(days, key=lambda p: -len(p[0]))),
        in_days=counted("in_days"),
        in_weeks=counted("in_weeks"),
        in_months=counted("in_months"),
        next_weekday=tuple(sorted(folded(spec.get("next_weekday")), key=len, reverse=True)),
        this_weekday=tuple(sorted(folded(spec.get("this_weekday")), key=len, reverse=True)),
        week_weekday=tuple(sorted(folded(spec.get("this_week_weekday")), key=len, reverse=True)),
        lead=tuple(sorted(folded(spec.get("next_lead")), key=len, reverse=True)),
        at=tuple(sorted(folded(spec.get("next_at")), key=len, reverse=True)),
        no_date=tuple(folded(spec.get("no_date"))),
    )
    if config is not None:
        config.__dict__["_log_next_words"] = words
    return words


_DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _relative(text: str, words: _NextWords, clock: _Clock) -> _Relative | None:
    """The reading of a next contact typed as words counting from its call, with its time
    if one follows ("завтра в 15:00", "Friday 15:00", 明天下午3点); None for anything else."""
    t = _next_fold(text)
    t = _after_lead(t, words) or t
    found = _next_weekday(t, words)
    if found is not None:
        found, rest = found
    else:
        for w, reading in words.days:
            if t.startswith(w) and _word_ends(t, len(w)):
                found, rest = reading, t[len(w):]
                break
        else:
            m = words.in_days.match(t)
            weeks = words.in_weeks.match(t) if m is None else None
            months = words.in_months.match(t) if m is None and weeks is None else None
            if m is None and weeks is None and months is None:
                return None
            m = m or weeks or months
            n = int(next(g for g in m.groups() if g is not None))
            found = _Relative(0, months=n) if months is not None else _Relative(n * (7 if weeks is not None else 1))
            rest = t[m.end():]
    rest = rest.strip(" ,")
    if not rest:
        return found
    for w in words.at:
        if rest.startswith(w) and _word_ends(rest, len(w)):
            rest = rest[len(w):].strip()
            break
    # "Mon 22": a day of the month, not 22:00.
    at = _time_of_text(rest, clock) if rest and not rest.isdigit() else None
    if at is None:
        return None
    doubt = small_hour(rest, at, clock=clock, said_in=t) if at.hour < SMALL_HOURS_END else None
    return _Relative(found.days, found.weekday, found.week, at, doubt or "", found.months, found.this,
                     found.own_week)


def _after_lead(text: str, words: _NextWords) -> str | None:
    """The text after the words of `next_lead` it starts with ("call back", "by", both:
    "call back by 25.12"), folded; None when it starts with none."""
    t = _next_fold(text)
    found = None
    for _ in range(3):   # a lead or two, and no loop on a slip in tracker.yaml
        lead = next((w for w in words.lead if t.startswith(w) and _word_ends(t, len(w))), None)
        if lead is None:
            break
        t = found = t[len(lead):].lstrip(" ,:")
    return found


def _next_weekday(t: str, words: _NextWords) -> tuple[_Relative, str] | None:
    """"next Monday", 下周一, 来週月曜日 (folded): that weekday of the week after the
    call's, and the text after it; "this Friday": the first such weekday on or after the
    call (its own day when it is one); 本周五, 今週の金曜 ("this week's"): that weekday of
    the call's own week, as written; None for anything else ("next week" included)."""
    for leads, kind in ((words.next_weekday, "next"), (words.this_weekday, "this"), (words.week_weekday, "own")):
        for lead in leads:
            if not t.startswith(lead) or not _word_ends(t, len(lead)):
                continue
            rest = t[len(lead):].lstrip()
            for w, reading in words.days:
                if reading.weekday and not reading.week and rest.startswith(w) and _word_ends(rest, len(w)):
                    return (_Relative(0, reading.weekday, kind == "next", this=kind == "this",
                                      own_week=kind == "own"), rest[len(w):])
    return None


def _no_date(text: str, words: _NextWords) -> bool:
    """Whether the text holds one of the words of a plan with no date ("keep in touch by
    email", "по почте", "なし"), a whole word (not the "none" of "nonetheless")."""
    t = _next_fold(text)
    for w in words.no_date:
        at = t.find(w)
        while at >= 0:
            if (at == 0 or not _cased(t[at]) or not t[at - 1].isalpha()) and _word_ends(t, at + len(w)):
                return True
            at = t.find(w, at + 1)
    return False


def _word_ends(text: str, end: int) -> bool:
    """Whether a word found at the start of `text` ends at `end`: not "mon" of "month";
    Chinese and Japanese words stand glued to what follows (明天下午3点)."""
    return end >= len(text) or not _cased(text[end - 1]) or not text[end].isalpha()


def _cased(ch: str) -> bool:
    """A Latin or Cyrillic character (folded): its words stand apart from letters."""
    return ch.isascii() or "а" <= ch <= "я"


def _in_days_form(form: str) -> str:
    """A pattern of an `in_days` form, folded: its N (n alone, not the n of "in") the number."""
    parts = re.split(r"(?<![a-zа-я])n(?![a-zа-я])", form, maxsplit=1)
    if len(parts) < 2:
        return "(?!)"
    return r"\s*(\d{1,3})\s*".join(re.escape(p.strip()).replace(r"\ ", r"\s+") for p in parts)


# After the day and month: a weekday in brackets, then a time (11月22日(日) 14:00).
_YEARLESS_TAIL = r"\s*(?:[(（][^)）]{0,12}[)）])?(?:\s*[,T]?\s*(?P<rest>.+?))?\s*$"
_YEARLESS = (
    re.compile(r"^(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.?" + _YEARLESS_TAIL),             # 22.11, 22.11.
    re.compile(r"^(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*[日号]?" + _YEARLESS_TAIL),  # 11月22日
    re.compile(r"^(?P<d>\d{1,2})(?:st|nd|rd|th)?(?:\.?\s+|-)(?P<w>[^\W\d_]{3,10})\.?" + _YEARLESS_TAIL),
    re.compile(r"^(?P<w>[^\W\d_]{3,10})\.?\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?" + _YEARLESS_TAIL),
)
# 22/11 and 11/22: day or month first as the log's dates go (yearless_month_first).
_YEARLESS_SLASH = re.compile(r"^(?P<a>\d{1,2})\s*/\s*(?P<b>\d{1,2})" + _YEARLESS_TAIL)
# Month words as written in full (Russian in both cases: ноябрь, 22 ноября). A word with
# no year next to it must be one of these or the start of one (Nov, нояб.): "2 decisions"
# in a next-contact cell is no 2 December.
_MONTH_WORDS = (
    ("january", "february", "march", "april", "may", "june", "july", "august", "september",
     "october", "november", "december"),
    ("январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь",
     "октябрь", "ноябрь", "декабрь"),
    ("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября",
     "октября", "ноября", "декабря"),
)


def yearless_month_first(order: str, lang: str) -> bool:
    """Whether 11/24 typed without its year is month first: in a month-first log, and
    where dates are written year first (a year-first log, one in Chinese or Japanese:
    2026/11/24 less its year is 11/24)."""
    return order in ("mdy", "ymd") or lang in ("zh", "ja")


def _yearless(value: Any, month_first: bool = False, only_reading: bool = False,
              clock: _Clock | None = None) -> _Yearless | None:
    """The day, month and time of a text that is a date but for its year; None for
    anything else. `month_first`: 11/22 or 22/11 (yearless_month_first). `only_reading`:
    a slash date whose number in the month's place is past 12 is read the other way, as
    25/11/2026 is in a month-first log (its only reading; _date_order says it)."""
    if value.__class__ is not str:
        return None
    text = value.strip()
    if not text:
        return None
    text = _date_text(text)
    for pattern in _YEARLESS:
        m = pattern.match(text)
        if m is not None:
            parts = m.groupdict()
            break
    else:
        m = _YEARLESS_SLASH.match(text)
        if m is None or text == "24/7":   # "reachable 24/7", not 24 July
            return None
        first, second = m.group("a", "b")
        if only_reading and int(first if month_first else second) > 12:
            month_first = not month_first
        parts = {"m": first, "d": second} if month_first else {"d": first, "m": second}
        parts["rest"] = m.group("rest")
    if "w" in parts:
        word = parts["w"].casefold()
        if len(word) < 3 or not any(full.startswith(word) for names in _MONTH_WORDS for full in names):
            return None
        month = _month_number(word)
    else:
        month = int(parts["m"])
    day = int(parts["d"])
    rest = parts["rest"]
    at = None
    if rest:
        # "22 Nov 12": a year, not noon.
        at = _time_of_text(rest, clock or _shipped_clock()) if rest.strip() and not rest.isdigit() else None
        if at is None:
            return None
    try:
        date(2000, month or 0, day)   # a day some year has (29.02 too)
    except ValueError:
        return None
    return _Yearless(month, day, at)


def date_on_or_after(value: Any, day: date, month_first: bool = False,
                     config: Config | None = None) -> date | datetime | None:
    """A date typed without its year ("24.11", "24 ноября 15:00", "11月24日", 11/24 where
    `month_first`: yearless_month_first) read as the first such day on or after `day`: a
    next contact written in a call's notes is after the call, so 05.01 written on 28
    December is next January's; words counting from the call ("tomorrow", "Friday
    15:00", _relative) from `day`, the call's; either, or a whole date, after a word of
    `next_lead` ("call back 25.11"). None for anything else."""
    clock = _clock(config)
    partial = _yearless(value, month_first, clock=clock)
    if partial is None:
        counted = _relative(value, _next_words(config), clock) if isinstance(value, str) else None
        if counted is None:
            # "call back 25.11", "by 25.11": the date after a lead word, as the reader reads it.
            led = _after_lead(value, _next_words(config)) if isinstance(value, str) else None
            if not led:
                return None
            try:
                return _date_of(led, config.date_order if config is not None else "dmy", clock)
            except (ValueError, OverflowError):
                return date_on_or_after(led, day, month_first, config)
        try:
            found = counted.day(day)
        except OverflowError:   # a call on 9999-12-31
            return None
        return datetime.combine(found, counted.time) if counted.time is not None else found
    for year in range(day.year, day.year + 9):   # 29.02 waits for a leap year
        try:
            found = date(year, partial.month, partial.day)
        except ValueError:
            continue
        if found >= day:
            return datetime.combine(found, partial.time) if partial.time is not None else found
    return None


def _date_of(value: Any, order: str, clock: _Clock | None = None) -> date | datetime | None:
    """date, or datetime when the value carries a time; None for a blank; ValueError
    when it is not a date."""
    cls = value.__class__
    if cls is datetime:
        if value.year < 1900:
            # Excel's day 0 (1899-12-30): a time of day with no date, as xlwings hands a
            # cell formatted as a time; the file reader gets a time. Not a date either way.
            raise ValueError
        if value.hour == value.minute == value.second == value.microsecond == 0:
            return value.date()
        return value
    if cls is date:
        return value
    if cls is str:
        text = value.strip()
        if not text:
            return None
        return _parse_date_text(text, order, clock)
    if value is None:
        return None
    if cls is float or cls is int:
        return _parse_date_number(float(value))
    raise ValueError


class DateError(TrackerError, ValueError):
    """A value that is not a date or time: one line a person can read."""


def parse_date(value: Any, config: Config | str = "dmy", *, words: Config | None = None) -> date | datetime | None:
    """A date (or a datetime when a time is given too) from a cell or typed text.

    Accepts date/datetime values, Excel serial numbers (1900 system, 1980-2099), 20261122,
    `2026-11-22`, `22.11.2026`, `2026/11/22`, `2026年11月22日`, `11/22/2026`,
    `22/11/2026` (slash and dash dates: day/month by config.date_order when both are 12
    or less; dotted ones are always day first), two-digit years, `22 Nov 2026`,
    `22-Nov-26`, `Nov 22, 2026`, `22 ноября 2026`, a weekday before (`Tue, 24 Nov 2026`,
    `пн 23.11.2026`), each optionally followed by a time (`14:00`, `14:00:30`, `T14:00`,
    `14時30分`, `14ч`). `config` may be a Config or "dmy"/"mdy", or "ymd" (a Japanese
    log's: `26/11/20` is yy/mm/dd, the rest as "dmy"). `words`: the Config whose halves
    of the day a time may say (config's own when a Config; else the shipped ones). None for
    a blank; DateError (a ValueError and a TrackerError) when the value is not a date.
    """
    if isinstance(config, str):
        order, clock = config, (_clock(words) if words is not None else None)
    else:
        order, clock = config.date_order, _clock(config)
    try:
        return _date_of(value, order, clock)
    except (ValueError, OverflowError):
        raise DateError(f"not a date: {_short(_safe_text(value))!r} (expected e.g. 2026-11-22 or 22.11.2026)") from None


def _time_of_text(text: str, clock: _Clock, at_night: bool = False) -> time | None:
    """`at_night`: a small hour in a slot or an h form (_at_night) read all the same."""
    m = clock.alone.match(text.strip())
    if not m:
        loose = _loose_time(text, clock, at_night)
        return loose[1] if loose else None
    t = _time_of_match(m, clock)
    if t is not None and t.hour < SMALL_HOURS_END and not at_night and _h_form(m) and _at_night(m):
        return None
    return t


# Small hours (model.SMALL_HOURS_END) alone ("3:30", "3点半") are read as written and said
# to look at (small_hour). In a slot ("2-3", "3:30-4:30", "с 2 до 3") or with the h of the
# 24-hour clock ("2h", "2h30": the night, said so, or a length of time) they are not read:
# "1-2" or "2h" may be no time at all, and a reminder set at 01:40 would be sent in the
# night. 0 is small there too ("0-1" is a count, not midnight).
def _at_night(m: re.Match) -> bool:
    """Whether the time `m` (a match of the clock's forms) has a small hour and says no
    half of the day."""
    h = m.group(2)
    return len(h) == 1 and int(h) < SMALL_HOURS_END and not (m.group(1) or m.group(8))


def _h_form(m: re.Match) -> bool:
    """Whether the time `m` is written with the h of the 24-hour clock: 14h, 9h15."""
    return m.string[m.end(2):].lstrip()[:1] in ("h", "H")


def _time_of_match(m: re.Match, clock: _Clock, half: str | None = None) -> time | None:
    """The time `m` (a match of the clock's forms) says; `half`: the half of the day to
    read it in when it says none."""
    before, h, mm, ss, half_hour, kmm, kss, after = m.groups()
    minute = 30 if half_hour else int(mm or kmm or 0)
    second = int(ss or kss or 0)
    said = before or after
    half = clock.halves.get(_half_key(said)) if said else half
    hour = hour_in_half(int(h), half) if half else int(h)
    if hour is None or hour > 23 or minute > 59 or second > 59:
        return None
    return time(hour, minute, second)


# A time said loosely, read only when the plain forms are not: "at 14:30", "~14:30",
# "14:30ish", "около 14:30", "14時頃", "下午2点左右". Its start is the call's time in a slot,
# "14:30-15:30", "с 14:30 до 15:30", "14時から15時まで", "下午2点到3点", when its end is a
# time too. Two times offered ("14:30 / 16:00", "14:30 or 16:00"), a zone ("14:30 MSK")
# or a question ("14:30?") are not read: which moment is meant is not written.
_ROUGHLY = re.compile(r"^(?:at|around|about|approx\.?|ca\.|from|~|≈|в|около|ок\.|примерно|с|"
                      r"约|大约|大概|从|約)?\s*(.+?)\s*(?:-?ish|頃|ごろ|左右|前后|前後|くらい|ぐらい)?$", re.IGNORECASE)
_SLOT = re.compile(r"\s*(?:[-–—~～〜]|\bto\b|\btill\b|\buntil\b|до|到|至|から)\s*", re.IGNORECASE)


def _loose_time(text: str, clock: _Clock, at_night: bool = False) -> tuple[re.Match, time, bool] | None:
    """(the match of the time read, the time, whether a half of the day is said for it)
    of a time said loosely (_ROUGHLY); None for anything else. A slot's start with no half
    of the day takes its end's when it is then no later than the end: 2-3pm is 14:00,
    11-1pm 11:00. A slot's small hour with no half of the day at either end, or one in an
    h form ("2-3", "~2h") is not read (SMALL_HOURS_END) unless `at_night`."""
    inner = _ROUGHLY.match(text.strip())
    if inner is None:
        return None
    start, *rest = _SLOT.split(inner.group(1), maxsplit=1)
    m = clock.alone.match(start)
    if m is None:
        return None
    end = rest[0].removesuffix("まで").rstrip() if rest else ""
    own = bool(m.group(1) or m.group(8))
    if not end:   # "14:30", "14時～": a start alone
        t = _time_of_match(m, clock)
        return (m, t, own) if t is not None and (at_night or not (_h_form(m) and _at_night(m))) else None
    e = clock.alone.match(end)
    until = _time_of_match(e, clock) if e is not None else None
    if until is None:
        return None
    t = _time_of_match(m, clock)
    said = e.group(1) or e.group(8)
    if said and not own:
        in_half = _time_of_match(m, clock, clock.halves.get(_half_key(said)))
        if in_half is not None and in_half <= until:
            t, own = in_half, True
    if not said and not at_night and _at_night(m):
        return None   # "2-3", "с 2 до 3", "3:30-4:30": in the night? (SMALL_HOURS_END)
    return (m, t, own) if t is not None else None


class LookAt(str):
    """A parser's message about a cell it read all the same: a Problem to look at
    (read=True), not a cell left out."""


def small_hour(text: str, t: time, after_date: bool = False, config: Config | None = None,
               clock: _Clock | None = None, said_in: str = "") -> str | None:
    """What to say of a time typed as text with an hour of 1 to 6 and no half of the day
    (3点半, 3時, 3:30, 3.30): read as written, 03:30, but a business call at that hour is
    almost surely 15:30. Written with a leading zero (03:30) or a half of the day
    (下午3点半, 3:30 am) it is meant. `after_date`: the time ends a date's text
    ("26.11.2026 3:30"). None when there is nothing to say. The halves of the day are
    `config`'s (or `clock`'s: _clock). `said_in`: the whole text `text` was cut from
    ("завтра 3:30"), whose script the afternoon's word follows ("3:30 дня")."""
    if not 1 <= t.hour < SMALL_HOURS_END:
        return None
    clock = clock or _clock(config)
    m = clock.after_date.search(text) if after_date else clock.alone.match(text.strip())
    if m is None:   # said loosely: "at 3:30", "~3:30", "26.11.2026 at 3:30"
        cuts = [c.end() for c in re.finditer(r"\s+|日", text)] if after_date else [0]
        loose = next(filter(None, (_loose_time(text[c:], clock) for c in cuts)), None)
        if loose is None or loose[2]:
            return None
        m = loose[0]
    if m.group(1) or m.group(8) or len(m.group(2)) != 1:
        return None
    written = m.group(0).strip()
    if re.search("[点點时]", written):
        afternoon = "下午" + written
    elif "時" in written:
        afternoon = "午後" + written
    elif re.search("[а-яё]", said_in or written, re.IGNORECASE):
        afternoon = written + " дня"
    else:
        afternoon = written + " pm"
    return (f"{written} read as {t:%H:%M}; write {t.hour + 12}:{t:%M} or {afternoon} if the afternoon "
            f"was meant ({t:%H:%M} if the night was)")


def expected_headers(config: Config) -> str:
    """What a header row is looked for as, said where none is found."""
    words = [config.header(f, config.language) for f in ("date", "call_type", "contact", "notes")]
    return f"headers such as {', '.join(words)} within the first {HEADER_SCAN_ROWS} rows"


def _small_hour_said(value: Any, read: Any, clock: _Clock) -> LookAt | None:
    """small_hour's word on a time typed as text, alone ("3点半") or ending a date
    ("26.11.2026 3:30", "22.11 3:30"), to look at; None for anything else (a time or date
    value, an Excel serial, is meant)."""
    if value.__class__ is not str:
        return None
    if read.__class__ is time:
        t, after_date = read, False
    elif read.__class__ is datetime or read.__class__ is _Yearless and read.time is not None:
        t, after_date = read.time() if read.__class__ is datetime else read.time, True
    else:
        return None
    said = small_hour(value, t, after_date, clock=clock) if t.hour < SMALL_HOURS_END else None
    return LookAt(said) if said else None


def parse_time(value: Any, config: Config | None = None) -> time | None:
    """A time of day from a cell or typed text: time values, datetimes (their time),
    fractions of a day (0.5 = 12:00), `14:00`, `14:00:30`, `2:30 pm`, `14.30`, `14h30`,
    `14時30分`, `14点30分`, `14点半`, `午後2時`, `3 ночи`, `夕方6時` (the halves of the
    day are `config`'s, phrases.day_half); `at 14:30`, `14:30ish` and a slot's start,
    `14:30-15:30` (_loose_time). None for a blank or anything else."""
    cls = value.__class__
    if cls is time:
        return value.replace(tzinfo=None)
    if cls is str:
        return _time_of_text(value, _clock(config)) if value.strip() else None
    if cls is datetime:
        return value.time()
    if cls is timedelta:
        secs = round(value.total_seconds())
        if 0 <= secs < 86400:
            return time(secs // 3600, secs // 60 % 60, secs % 60)
        return None
    if cls is float or cls is int:
        if 0 <= value < 1:
            secs = round(value * 86400)
            if secs >= 86400:
                return None
            return time(secs // 3600, secs // 60 % 60, secs % 60)
        return None
    return None


# ============================================================ the header row

@dataclass(frozen=True)
class HeaderMatch:
    row: int                       # 0-based index in the grid
    fields: dict[str, int]         # canonical field -> 0-based column (first one wins)
    duplicates: list[tuple[str, int]]  # (field, column) of later columns with a taken field
    # A header typed over two rows ("Next" above "contact"): the header as a person reads
    # it, column by column; `row` is its lower row, the one the calls start below.
    texts: list[str] | None = None


def _symbol_words(config: Config) -> dict[str, str]:
    """Headers made of symbols only ("#", "№"): normalize_word makes them "", so they
    are matched as written."""
    out: dict[str, str] = {}
    sections = [config.section("columns"),
                {f: list((labels or {}).values()) for f, labels in config.section("headers").items()}]
    for section in sections:
        for fname, words in section.items():
            for w in [fname, *(words or [])]:
                if not normalize_word(w) and str(w).strip():
                    out.setdefault(str(w).strip().casefold(), fname)
    return out


def _header_field(value: Any, words: dict[str, str], symbols: dict[str, str]) -> str | None:
    if value.__class__ is not str or not value:
        return None
    key = normalize_word(value)
    if not key:
        return symbols.get(value.strip().casefold())
    found = words.get(key)
    if found is None and ("(" in value or "（" in value):
        # "Дата (план)", "Date (dd.mm.yyyy)": the words before the bracket; but "Date
        # (next contact)" is the next contact's, as its words together say.
        before, _, inside = value.partition("(") if "(" in value else value.partition("（")
        before, inside = normalize_word(before), normalize_word(re.split(r"[)）]", inside, maxsplit=1)[0])
        together = (words.get(inside + before) or words.get(before + inside)) if inside and before else None
        found = together or words.get(before or "\0")
    if found is None and "/" in value:
        # "Дата / Date", "Client / Клиент": one header in two languages, each naming the
        # same field (never two fields: "Phone / E-mail" is no column of ours).
        named = {words.get(normalize_word(part)) for part in value.split("/") if part.strip()}
        if len(named) == 1:
            found = named.pop()
    return found


def find_header(grid: Sequence[Sequence[Any]], config: Config,
                scan: int = HEADER_SCAN_ROWS) -> HeaderMatch | None:
    """The header row among the first `scan` rows: the row naming the most canonical
    fields, at least two of them, one being the call type or the date. A header typed
    over two rows is read as one (see _two_row_header) when it names more fields that way than
    either of its rows alone."""
    words = config.column_words
    symbols = _symbol_words(config)
    beside = config.beside_words
    best: HeaderMatch | None = None
    best_count = 1
    for r, row in enumerate(grid[:scan]):
        fields, dups = _row_fields(row, words, symbols, beside)
        if len(fields) > best_count and ("call_type" in fields or "date" in fields):
            best, best_count = HeaderMatch(r, fields, dups), len(fields)
    if best is not None:
        r = best.row
        for top in (r - 1, r):
            if 0 <= top and top + 1 < min(len(grid), scan):
                found = _two_row_header(grid, top, words, symbols, beside)
                if found is None:
                    continue
                pair, rereads = found
                # "Next" above "date": the lower row alone names as many fields, one of
                # them wrongly (the call's date); the pair says what that column is.
                if len(pair.fields) > best_count or rereads and len(pair.fields) == best_count:
                    best, best_count = pair, len(pair.fields)
    return best


def _row_fields(row: Sequence[Any], words: dict[str, str], symbols: dict[str, str],
                beside: dict[str, str], fixed: Mapping[int, str] | None = None
                ) -> tuple[dict[str, int], list[tuple[str, int]]]:
    """The fields a row of headers names (field -> first column) and its duplicates;
    `fixed`: columns whose field is known already (column -> field)."""
    fields: dict[str, int] = {}
    dups: list[tuple[str, int]] = []
    ours: dict[str, int] = {}
    for c, value in enumerate(row):
        mine = beside.get(normalize_word(value)) if value.__class__ is str else None
        if mine is not None:
            ours.setdefault(mine, c)
            continue
        f = fixed[c] if fixed and c in fixed else _header_field(value, words, symbols)
        if f is None:
            continue
        if f in fields:
            dups.append((f, c))
        else:
            fields[f] = c
    # "Status (Call Tracker)" is ours, refresh put it beside the user's own Status: the
    # field is read from ours, and theirs is one of the user's columns.
    fields.update(ours)
    return fields, dups


def _two_row_header(grid: Sequence[Sequence[Any]], top: int, words: dict[str, str],
                    symbols: dict[str, str], beside: dict[str, str]) -> tuple[HeaderMatch, bool] | None:
    """Rows `top` and `top + 1` read as one header, column by column: "Next" above
    "contact" is "Next contact". A blank cell above a header may be part of a cell merged
    across from the left ("Next" over "date" and "time"; the grid does not say): the
    text on its left is put before its own only when together they name a field. Where
    the two texts together name nothing, the one that does is the column's ("Call" over
    "time"), but a date or time under the next contact ("Следующий контакт" over
    "время", "Next" over "call date") is the next contact's, never the call's.
    None unless the two rows name more fields than either alone, one of them through
    texts joined (a title row or a row of calls under the header joins into no header
    word), the call type or the date among them; or unless, the lower row being a header
    itself, they read its date or time column as the next contact's (then as many fields
    will do, and find_header decides). With the match: whether they do that."""
    upper, lower = grid[top], grid[top + 1]

    def field(text: str) -> str | None:
        return (beside.get(normalize_word(text)) or _header_field(text, words, symbols)) if text else None

    texts: list[str] = []
    fixed: dict[int, str] = {}   # a date or time under the next contact
    joined_any = False
    left = ""
    for c in range(max(len(upper), len(lower))):
        t = upper[c] if c < len(upper) and upper[c].__class__ is str else ""
        b = lower[c] if c < len(lower) and lower[c].__class__ is str else ""
        t, b = t.strip(), b.strip()
        if t:
            left = t
        if not b:
            texts.append(t)
            continue
        above = t or left
        both = f"{above} {b}" if above else ""
        if field(both) is not None:
            texts.append(both)
            joined_any = True
            continue
        under = _NEXT_OF.get(field(b)) if above else None
        if under is not None and _names_next(above, words, symbols):
            texts.append(both)
            fixed[c] = under
            joined_any = True
        elif not t:
            texts.append(b)
        else:
            texts.append(b if field(b) is not None and field(t) is None else t if field(t) is not None else both)
    if not joined_any:
        return None
    fields, dups = _row_fields(texts, words, symbols, beside, fixed)
    upper_alone = _row_fields(upper, words, symbols, beside)[0]
    lower_alone = _row_fields(lower, words, symbols, beside)[0]
    at = {c: f for f, c in [*fields.items(), *dups]}
    rereads = ("call_type" in lower_alone or "date" in lower_alone) and any(
        at.get(c) in _NEXT_FIELDS for f, c in lower_alone.items() if f in _NEXT_OF)
    if "call_type" not in fields and "date" not in fields and not rereads:
        return None
    if len(fields) <= max(len(upper_alone), len(lower_alone)) and not (
            rereads and len(fields) >= len(lower_alone)):
        return None
    return HeaderMatch(top + 1, fields, dups, texts), rereads


# The fields of the call's own moment, and the next contact's field of the same kind.
_NEXT_OF = {"date": "next_contact", "time": "next_contact_time"}
_NEXT_FIELDS = frozenset(_NEXT_OF.values())


def _names_next(text: str, words: dict[str, str], symbols: dict[str, str]) -> bool:
    """Whether a header text above others is the next contact's: it names it itself
    ("Следующий контакт"), does with a word of the date or time ("Next": "Next date"),
    or is the start of a name of it ("Следующий", 下次, 次回)."""
    if _header_field(text, words, symbols) in _NEXT_FIELDS:
        return True
    key = normalize_word(text)
    if any(words.get(key + w) in _NEXT_FIELDS for w, f in words.items() if f in _NEXT_OF):
        return True
    # Or it is how a header of the next contact starts, and names no field itself: the
    # "Следующий" of "Следующий контакт", the 下次 of 下次联系, the 次回 of 次回連絡 ("Next"
    # too, though "Next date" says it already). Not "Дата" of "Дата следующего контакта":
    # that names the call's date.
    return len(key) > 1 and _header_field(text, words, symbols) is None and any(
        f in _NEXT_FIELDS and w.startswith(key) and w != key for w, f in words.items())


def _one_script(header: str) -> str | None:
    """The language of a header by its script; None for one in two scripts ("Дата / Date")."""
    lang = script_language(header)
    if lang is not None and lang != "en" and _LATIN.search(header):
        return None
    return lang


def header_language(headers: Iterable[str], config: Config) -> str:
    """The language the headers are written in, by script; Han-only headers are told
    apart (zh or ja) by which language's shipped header labels they match."""
    text = " ".join(h for h in headers if h)
    lang = script_language(text)
    if lang is not None and lang != "en":
        # The first header in another script decided alone: "Дата / Date" over an English
        # log made its statuses and sheets Russian. Each header in one script votes; English
        # wins over more than twice the votes of the other script, for a Russian or Chinese
        # log has its Latin headers ("ID", "SM", "E-mail") but an English one few others.
        votes = Counter(filter(None, (_one_script(h) for h in headers if h)))
        if votes and votes["en"] > 2 * max((v for k, v in votes.items() if k != "en"), default=0):
            return "en"
    if lang is None:
        return config.language
    if lang in ("zh", "ja") and not _KANA.search(text):
        votes = {"zh": 0, "ja": 0}
        keys = {normalize_word(h) for h in headers if h}
        for labels in config.section("headers").values():
            for lg in ("zh", "ja"):
                w = normalize_word((labels or {}).get(lg, ""))
                other = normalize_word((labels or {}).get("ja" if lg == "zh" else "zh", ""))
                if w and w in keys and w != other:
                    votes[lg] += 1
        return "ja" if votes["ja"] > votes["zh"] else "zh"
    return lang


# ============================================================ per-column parsers

# A parser turns a non-blank cell into (value, text, problem message or None); the
# value is the record attribute's default when the cell cannot be read.
Parser = Callable[[Any], tuple[Any, str, "str | None"]]


def _error_message(text: str) -> str:
    return f"error value {text} in the cell (a formula that failed): fix the formula or type the value"


def _known_list(labels: list[str]) -> str:
    shown = ", ".join(labels[:14])
    return shown + (", …" if len(labels) > 14 else "")


def _column_parsers(config: Config, lang: str, order: str, yearless: set[str]) -> dict[str, Parser]:
    """`yearless` gets the name of each date field with a date typed without its year:
    such a cell's value is a _Yearless until _date_years gives it one."""
    call_type_names = [config.call_type_label(c, lang) for c in config.call_types]
    month_first = yearless_month_first(order, lang)
    clock = _clock(config)
    next_words = _next_words(config)

    def call_type(value: Any):
        text = cell_text(value)
        found = config.match_call_type(text)
        if found is None:
            return None, text, (f'unknown call type "{_short(text)}" '
                                f"(expected one of: {_known_list(call_type_names)}; "
                                "or add yours under `call_types` in tracker.yaml)")
        return found, text, None

    def listed(name: str, strict: bool | None, what: str):
        """strict: a word not listed is a Problem; None: it is read as none (blank)."""
        labels = [config.list_label(name, v, lang) for v in config.list_ids(name)]

        def parse(value: Any):
            text = cell_text(value)
            found = config.match_list(name, text)
            if found is None:
                if strict is None:
                    return "", text, None
                if strict:
                    return "", text, (f'unknown {what} "{_short(text)}" '
                                      f"(expected one of: {_known_list(labels)})")
                return text, text, None
            return found, text, None
        return parse

    def a_day(value: Any, field: str):
        """A whole date, or one without its year (`field`'s year then comes from its
        row's, _date_years); None for neither."""
        try:
            return _date_of(value, order, clock)
        except (ValueError, OverflowError):
            partial = _yearless(value, month_first, only_reading=True, clock=clock)
            if partial is not None:
                yearless.add(field)
            return partial

    def a_date(value: Any):
        text = cell_text(value)
        read = a_day(value, "date")
        if read is None:
            return None, text, ("not a date: expected a date such as 2026-11-22, 22.11.2026 "
                                "or 2026年11月22日, optionally with a time")
        return read, text, _small_hour_said(value, read, clock)

    def a_time(value: Any):
        text = cell_text(value)
        t = parse_time(value, config)
        if t is None:
            # A small hour in a slot or an h form ("2-3", "2h"): its reading named.
            night = _time_of_text(value, clock, at_night=True) if value.__class__ is str else None
            if night is not None and night.hour:
                return None, text, (f"not a time: not read as {night:%H:%M}, in the night; write "
                                    f"{night.hour + 12}:{night:%M} or {night.hour}:{night:%M} pm if the afternoon "
                                    f"was meant ({night:%H:%M} if the night was)")
            return None, text, "not a time: expected a time such as 14:00, 2:30 pm or 14時30分"
        return t, text, _small_hour_said(value, t, clock)

    def next_contact(value: Any):
        text = cell_text(value)
        read = a_day(value, "next_contact")
        if read is not None:
            return read, text, _small_hour_said(value, read, clock)
        if value.__class__ is str:
            counted = _relative(text, next_words, clock)
            if counted is not None:
                yearless.add("next_contact")   # its date comes from its row's (_date_years)
                return counted, text, None
            # A date after one of `next_lead` ("call back 25.11", "by 25.11"), as the
            # words counting from the call take them.
            led = _after_lead(text, next_words)
            if led and (read := a_day(led, "next_contact")) is not None:
                return read, text, _small_hour_said(led, read, clock)
            # Read as a plan only when it says one ("keep in touch by email"), or is a
            # mark with no word (a dash): "asap", "TBD", "скоро" name no day to keep.
            if not any(ch.isdigit() for ch in text) and (
                    _no_date(text, next_words) or not any(ch.isalpha() for ch in text)):
                return text, text, None
        return text, text, ("not a date: expected a date such as 2026-11-22 or 22.11.2026, words "
                            "counting from the call such as \"tomorrow\" or \"Friday 15:00\", "
                            "or words such as \"keep in touch by email\" (yours under `phrases: no_date:` in tracker.yaml)")

    return {
        "call_type": call_type,
        "outcome": listed("outcome", True, "outcome"),
        # A user's Status read as the outcome (_users_outcome_column): their other words
        # ("Shortlisted", "Offer") are their pipeline, no outcome and no mistake.
        "status_outcome": listed("outcome", None, "outcome"),
        "channel": listed("channel", False, "channel"),
        "source": listed("source", False, "source"),
        "stage": listed("stage", False, "stage"),
        "language": listed("language", True, "language"),
        "date": a_date,
        "time": a_time,
        "next_contact": next_contact,
        "next_contact_time": a_time,
    }


_PERSON = re.compile(r"^(.*?)\s*[(（\[]\s*([^()（）\[\]]*?)\s*[)）\]]\s*$")
_MARKS = "-–—•·*"
_BULLETS = re.compile(r"^[\s\-–—•·*]+|[\s\-–—•·*]+$")  # list marks around a name
# "Anna Li / Ivan Petrov" and "Anna Li + Ivan Petrov" are two people; not "・", which is
# the dot inside one foreign name written in katakana (ジョン・スミス).
_PEOPLE_SEP = re.compile(r"[;,\n\r、，；/+]|\s+(?:and|и|&)\s+", re.IGNORECASE)
_PEOPLE_TOKENS = re.compile(r"[(（\[)）\]]|[;,\n\r、，；/+]|\s+(?:and|и|&)\s+", re.IGNORECASE)


def _split_people(text: str) -> list[str]:
    """Split at separators outside brackets ("Ivan (sales, ops)" is one person); one
    pass over the separators and brackets, so a huge cell costs linear time."""
    if "(" not in text and "（" not in text and "[" not in text:
        return _PEOPLE_SEP.split(text)
    out: list[str] = []
    depth = start = 0
    for m in _PEOPLE_TOKENS.finditer(text):
        tok = m.group(0)
        if tok in ("(", "（", "["):
            depth += 1
        elif tok in (")", "）", "]"):
            depth = max(0, depth - 1)
        elif depth == 0:
            out.append(text[start:m.start()])
            start = m.end()
    out.append(text[start:])
    return out


# One person of a list and the separator after it: "Ivan Petrov (E123); ". A name never
# holds " and " (always a separator outside brackets), so a match never backtracks far.
_NAME_WORD = r"[^;,\n\r、，；/+()（）\[\]\s]+"
_PERSON_NAMED = (
    r"[\s\-–—•·*]*(?:(?<=\s)(?:and|и|&)\s+[\s\-–—•·*]*)?"
    rf"(?:((?![\-–—•·*]){_NAME_WORD}(?:[^\S\n\r]+(?!(?:and|и|&)\s){_NAME_WORD})*)"
    r"(?:[^\S\n\r]*[(（\[]\s*([^()（）\[\]]*?)\s*[)）\]])?)?\s*"
    r"(?:[;,\n\r、，；/+]|\s+(?:and|и|&)\s+|\Z)")
_PERSON_PAIR = re.compile(_PERSON_NAMED, re.IGNORECASE)


def parse_people(text: str) -> list[Person]:
    """"Ivan Petrov (E123); Anna Li (E77)" -> [Person("Ivan Petrov", "E123"), ...].
    Separators: ; , / + newline 、 ， ； and the words "and"/"и"; separators inside
    brackets do not split ("Ivan (sales, ops)" is one person)."""
    text = str(text or "").strip()
    if not text:
        return []
    if "・" in text or "･" in text:
        text = _NAKAGURO_SEP.sub("、", text)
    cache = _PEOPLE_CACHE
    people = _plain_people(text)
    if people is None:
        # The usual shapes in one regex pass, person by person; anything else (nested or
        # unbalanced brackets, text after a bracket, a bracket without a name) goes the
        # careful way. Matches must follow each other with nothing skipped.
        match = _PERSON_PAIR.match   # anchored: a search would retry from every position
        people = []
        pos, end = 0, len(text)
        while pos < end:
            m = match(text, pos)
            if m is None or m.end() == pos:
                return _parse_people_slowly(text)
            pair = m.groups("")
            if pair[0]:
                if pair[0][-1] in _MARKS:
                    pair = (_BULLETS.sub("", pair[0]), pair[1])
                people.append(cache.get(pair) or _person(*pair))
            pos = m.end()
    if len(cache) > 200_000:
        cache.clear()
    return people


_PEOPLE_CACHE: dict[tuple[str, str], Person] = {}
# "清水陽介・石川大輔": Japanese lists people with "・" too, between names in kanji or
# hiragana (or after one's ID); inside a katakana run it is one foreign name's dot
# (ジョン・スミス), never split.
_KANJI_KANA = "\u3005\u3040-\u309f\u4e00-\u9fff"
_NAKAGURO_SEP = re.compile(rf"(?<=[{_KANJI_KANA})）\]])\s*[・･]\s*(?=[{_KANJI_KANA}])")
_SPACED_AND = re.compile(r" (?:and|и) ", re.IGNORECASE)


def _plain_people(text: str) -> list[Person] | None:
    """The plain shape almost every log holds -- "Ivan Petrov (E123); Anna Li (E77)":
    names of letters and inner spaces, an optional " (ID)" of letters and digits, one
    separator "; ", "、" or "；" -- taken apart with string methods; None for anything
    else. On every text it accepts, _PERSON_PAIR reads the same people (its marks,
    brackets and separators are not letters, and "and"/"и" only part people between
    spaces). Measured on the 25 600 distinct candidate texts of a 100k-row log: 99 ms
    instead of 122 ms of CPU."""
    if _SPACED_AND.search(text):
        return None
    if "; " in text:
        pieces = text.split("; ")
    elif "、" in text:
        pieces = text.split("、")
    elif "；" in text:
        pieces = text.split("；")
    else:
        pieces = (text,)
    cache = _PEOPLE_CACHE
    people = []
    for piece in pieces:
        if piece[-1:] == ")":
            name, bracket, ref = piece[:-1].rpartition(" (")
            if not bracket or not ref.isalnum():
                return None
        else:
            name, ref = piece, ""
        if not name.replace(" ", "").isalpha() or name[0] == " " or name[-1] == " ":
            return None
        pair = (name, ref)
        people.append(cache.get(pair) or _person(name, ref))
    return people


def _person(name: str, ref: str) -> Person:
    # Persons are frozen: the same candidate on many rows can share one.
    p = _PEOPLE_CACHE[(name, ref)] = Person(name, ref)
    return p


def parse_candidates(text: str) -> list[Person]:
    """The people of a Candidates cell: parse_people's, but a name written surname first
    ("Petrov, Ivan") is one person where the cell leaves no doubt (_surname_first). A
    cell of "Petrov, Ivan" alone is left to the column's other cells (_RowSource)."""
    text = str(text or "").strip()
    if "," in text:
        people = _surname_first(text)
        if people is not None:
            return people
    return parse_people(text)


# "Petrov, Ivan": the comma of a name written surname first is the separator of most
# lists too, and "Anna, Ivan" is two people; no list of names tells them apart. The
# patterns below are compiled on first use (re's cache), not on every command's start.
_STRONG_SEPS = r"[;；\n\r]"
_TOP_COMMA = r",(?![^()（）\[\]]*[)）\]])"   # not inside brackets
# Petrov, O'Brien, Jean-Luc, I.V.; never "and"/"и", which parts people (parse_people).
_ONE_WORD = r"(?!(?i:and|и)(?![^\W\d_]))[^\W\d_]+(?:['’.\-][^\W\d_]+)*\.?"
_EMAIL_AFTER = r"\s*<?[^\s<>@]+@[^\s<>@]+>?$"
# The usual "Petrov, Ivan" or "Petrov, Ivan (E1)" at once, as the general way reads it.
_SURNAME_NAME = rf"({_ONE_WORD})[^\S\n\r]*,[^\S\n\r]*({_ONE_WORD})(?:[^\S\n\r]*\(([^\W_]+)\))?"
# A cell of two one-word names and a comma: "Petrov, Ivan" or "Anna, Boris" (_RowSource).
_LONE_PAIR = rf"({_ONE_WORD})[^\S\n\r]*,[^\S\n\r]*({_ONE_WORD})"


def _surname_first(text: str) -> list[Person] | None:
    """The cell's people when its commas are for certain inside names written surname
    first, else None (the commas part people). Certain: people between ";" or on lines
    of their own (as address books write "Petrov, Ivan; Li, Anna"), each one "Surname,
    Name" or a name of several words; or a list at commas where the ID or e-mail after
    each "Surname, Name" says where one person ends ("Petrov, Ivan (E1), Anna Li (E2)").
    A one-word name outside such a pair ("Anna; Ivan, Olga", "Anna, Ivan (E1), Olga (E2)")
    may be a list of first names: not certain. So is "Petrov, Ivan" alone (the column
    may say: _RowSource._surname_first_here). Only
    neighbours are joined: each piece read alone reads as in the whole cell, or None."""
    pieces = [p for p in map(_BULLETS.sub, repeat(""), re.split(_STRONG_SEPS, text)) if p]
    strong = len(pieces) > 1
    if not strong and "(" not in text and "（" not in text and "[" not in text and "@" not in text:
        return None   # a list at commas without IDs or e-mails (the usual "Anna Li, Ivan Petrov")
    out: list[Person] = []
    split: list[tuple[str, str]] = []   # the people as parse_people parts them
    paired = False
    for piece in pieces:
        m = re.fullmatch(_SURNAME_NAME, piece)
        if m is not None and (strong or m.group(3)):
            surname, name, ref = m.group(1), m.group(2), m.group(3) or ""
            out.append(_PEOPLE_CACHE.get((f"{surname}, {name}", ref)) or _person(f"{surname}, {name}", ref))
            split += [(surname, ""), (name, ref)]
            paired = True
            continue
        parts = re.split(_TOP_COMMA, piece)
        if len(parts) == 1:
            people = parse_people(piece)
            if not all(_words(p.name) > 1 for p in people):
                return None
            out += people
            split += [(p.name, p.ref) for p in people]
            continue
        if strong and len(parts) > 2:
            return None
        people = []
        for part in parts:
            found = parse_people(part)
            if len(found) != 1:
                return None
            people += found
        split += [(p.name, p.ref) for p in people]
        i = 0
        while i < len(people):
            p, after = people[i], people[i + 1] if i + 1 < len(people) else None
            if (after is not None and not p.ref and re.fullmatch(_ONE_WORD, p.name)
                    and re.fullmatch(_ONE_WORD, re.sub(_EMAIL_AFTER, "", after.name))
                    and (strong or after.ref or re.search(_EMAIL_AFTER, after.name))):
                name = f"{p.name}, {after.name}"
                out.append(_PEOPLE_CACHE.get((name, after.ref)) or _person(name, after.ref))
                paired = True
                i += 2
            elif _words(p.name) > 1:
                out.append(p)
                i += 1
            else:
                return None
    # A piece read alone may part differently ("Ivan and" + a new line: "and" parts
    # people only in the whole): then the reading is not certain either.
    if not paired or [(p.name, p.ref) for p in parse_people(text)] != split:
        return None
    return out


def _words(name: str) -> int:
    """How many words a person's name has, an e-mail after it left out."""
    return len(re.sub(_EMAIL_AFTER, "", name).split())


def _parse_people_slowly(text: str) -> list[Person]:
    people: list[Person] = []
    for piece in _split_people(text):
        piece = _BULLETS.sub("", piece)
        if not piece:
            continue
        m = _PERSON.match(piece)
        if m and m.group(1):
            people.append(_person(_BULLETS.sub("", m.group(1)), m.group(2).strip()))
        else:
            people.append(_person(piece, ""))
    return people


# ============================================================ the grid -> CallLog

# canonical field -> the CallRecord attribute its parsed value goes to, and its default.
_ATTRS: dict[str, tuple[str, Any]] = {
    "call_type": ("call_type", None), "date": ("date", None), "time": ("time", None),
    "contact": ("contact", ""), "client": ("client", ""),
    "position": ("position", ""), "channel": ("channel", ""), "source": ("source", ""),
    "stage": ("stage", ""), "outcome": ("outcome", ""), "next_contact": ("next_contact", None),
    "next_step": ("next_step", ""), "manager": ("manager", ""), "email": ("email", ""),
    "phone": ("phone", ""), "language": ("language", ""), "notes": ("notes", ""),
    "remind": ("remind", ""),
}

# Records are built without __init__ and rely on these class-level defaults.
assert all(getattr(CallRecord, name, object()) == default for name, default in {
    "call_type": None, "call_type_raw": "", "date": None, "time": None, "contact": "",
    "client": "", "position": "", "channel": "", "source": "", "stage": "", "outcome": "",
    "next_contact": None, "next_contact_raw": "", "next_step": "", "manager": "",
    "email": "", "phone": "", "notes": "", "remind": "",
}.items())

_has_text = itemgetter(1)  # (field, text) pairs with a text, at C speed
_MEMO_CLASSES = (str, datetime, date, time)  # hashable without 1 == 1.0 == True clashes


def _is_blank(value: Any) -> bool:
    return value is None or value == "" or (value.__class__ is str and not value.strip())


def _first_filled(rows: list[list[Any]], pairs: list[tuple[int, int]]
                  ) -> tuple[list[list[Any]], dict[int, int], dict[int, dict[int, int]]]:
    """`rows` with each (first, other) column pair's first cell, where blank, taken from
    the other (a row changed is a copy: the rows are the caller's grid's); per other
    column, how many rows hold a different value in both; and per row index so filled,
    first -> other (the cell a problem about the value names)."""
    out = list(rows)
    both: dict[int, int] = {}
    taken: dict[int, dict[int, int]] = {}
    for i, row in enumerate(rows):
        copy = None
        for first, other in pairs:
            theirs = row[other]
            if _is_blank(theirs):
                continue
            if _is_blank(row[first]):
                if copy is None:
                    copy = out[i] = list(row)
                copy[first] = theirs
                taken.setdefault(i, {})[first] = other
            elif row[first] != theirs:
                both[other] = both.get(other, 0) + 1
    return out, both, taken


def _cells_taken_from(taken: dict[int, dict[int, int]], excel_rows: list[int]) -> dict[tuple[int, str], str]:
    """(Excel row, letter of a field's column) -> the letter of the column its value was
    read from (_first_filled)."""
    return {(excel_rows[i], column_letter(first)): column_letter(other)
            for i, pairs in taken.items() for first, other in pairs.items()}


class _SharedTexts(dict):
    """cell -> its text, one string object per distinct text; TypeError on a cell that
    is not text (1 == 1.0 == True would share an entry)."""

    def __missing__(self, cell: Any) -> str:
        text = self[cell] = str.strip(cell)
        return text


def _mixed_text_column(cells: Sequence[Any]) -> list[str]:
    """The texts of a column whose cells are not all text (_TextReader)."""
    if set(map(type, cells)) == {float} and all(map(float.is_integer, cells)):
        return list(map(str, map(int, cells)))   # IDs and phone numbers typed as numbers
    return list(map(cell_text, cells))


class _Memo(dict):
    """cell -> (value, text, message), each distinct text or date parsed on first sight.
    Numbers and other values are parsed every time, never stored: 1 == 1.0 == True
    would share an entry."""

    def __init__(self, parse: Parser, default: Any):
        super().__init__({"": (default, "", None), None: (default, "", None)})
        self.parse = parse
        self.default = default
        self.failed = False

    def __missing__(self, v: Any) -> tuple[Any, str, str | None]:
        if v.__class__ is str:
            text = v.strip()
            if not text:
                out = (self.default, "", None)
            elif text[0] == "#" and text in ERROR_VALUES:
                out = (self.default, "", _error_message(text))
            else:
                out = _guarded(self.parse, v, self.default)
        else:
            out = _guarded(self.parse, v, self.default)
        if out[2] is not None:
            self.failed = True
            if not out[1]:
                out = (out[0], out[1], out[2], _safe_text(v))
        if v.__class__ in _MEMO_CLASSES:
            self[v] = out
        return out


_first, _second, _third = itemgetter(0), itemgetter(1), itemgetter(2)


# The rows are read a block of rows at a time, every field's reader taking its column's
# part of the block in turn, not a whole column at a time: calamine makes the cells row
# by row, so one column's 100 000 cells lie spread over the memory of the whole sheet's;
# a pass down a column finds next to none of them in the CPU's caches, and the pass down
# the next column fetches the same memory again. A block's cells stay in cache from its
# first column to its last: 95 ms less at 100 000 rows x 15 columns (of parse_grid's 550).
_BLOCK = 1024


class _Columns(dict):
    """Column index -> the cells of `rows` in that column, made when first asked for.
    The fields' readers take their cells block by block: only the user's own columns
    and the rarer checks (a Status column's outcomes, dates written both ways, a column
    not all text) need a whole column, and copying every one cost 24 ms at 100 000 rows."""

    def __init__(self, rows: list[list[Any]]):
        super().__init__()
        self.rows = rows

    def __missing__(self, c: int) -> list[Any]:
        cells = self[c] = list(map(itemgetter(c), self.rows))
        return cells


class _TextReader:
    """A column read as text, a block of cells at a time (see _BLOCK). Where values
    `repeats` (clients, managers...), each distinct text is one object: stripped once,
    and the engines' look-ups by it find it by identity (and the log holds one copy).
    Excel's error values are blanked, each a problem."""

    def __init__(self, repeats: bool):
        self.shared = _SharedTexts() if repeats else None
        self.texts: list[str] | None = []   # None: a cell that is not text was seen
        self.hashes = False   # whether an unshared text starts with "#", as error values do

    def add(self, cells: Sequence[Any]) -> None:
        if self.texts is None:
            return
        try:
            if self.shared is not None:
                self.texts += list(map(self.shared.__getitem__, cells))
                return
            texts = list(map(str.strip, cells))   # all text: the common case, at C speed
        except TypeError:
            self.texts = None   # the column is read whole at the end (_mixed_text_column)
            return
        self.texts += texts
        # Looked for while the block is in cache, without hashing the notes' long texts:
        # 15 ms less at 100 000 rows than looking their texts up in ERROR_VALUES after.
        self.hashes = self.hashes or any(map(str.startswith, texts, repeat("#")))

    def result(self, columns: Mapping[int, Sequence[Any]], c: int
               ) -> tuple[list[str], list[str], list[tuple[int, str, str]]]:
        """Values (the texts), texts and (index, text, message) problems of the column
        whose cells are columns[c] (looked at only when they are not all text)."""
        texts = self.texts
        if texts is None:
            texts = looked_at = _mixed_text_column(columns[c])
        elif self.shared is not None:
            looked_at = self.shared.values()   # each distinct text once (10 ms less than all)
        else:
            looked_at = texts if self.hashes else ()
        bad = ERROR_VALUES.intersection(looked_at)
        if not bad:
            return texts, texts, []
        problems = [(i, t, _error_message(t)) for i, t in enumerate(texts) if t in bad]
        texts = ["" if t in bad else t for t in texts]
        return texts, texts, problems


class _ParseReader:
    """A column read by its parser, a block of cells at a time (see _BLOCK): dictionary
    look-ups, each distinct text or date parsed once (_Memo)."""

    def __init__(self, parse: Parser, default: Any):
        self.memo = _Memo(parse, default)
        self.results: list[tuple[Any, ...]] = []

    def add(self, cells: Sequence[Any]) -> None:
        memo = self.memo
        try:
            results = list(map(memo.__getitem__, cells))
        except TypeError:   # an unhashable cell (not from calamine or xlwings): one by one
            results = [memo[v] if v.__class__ in _MEMO_CLASSES or v is None
                       else memo.__missing__(v) for v in cells]
        self.results += results

    def result(self, columns: Mapping[int, Sequence[Any]], c: int
               ) -> tuple[list[Any], list[str], list[tuple[int, str, str]]]:
        """Values, texts and (index, text, message) problems of the column (the cells
        were all given to `add`: the arguments, _TextReader's, are not needed here)."""
        results = self.results
        problems: list[tuple[int, str, str]] = []
        if self.memo.failed:   # the rows whose result holds a message, found at C speed
            problems = [(i, r[1] or r[-1], r[2])
                        for i in compress(count(), map(_third, results)) for r in (results[i],)]
        return list(map(_first, results)), list(map(_second, results)), problems


def _reader(field: str, parsers: dict[str, Parser]) -> _TextReader | _ParseReader:
    """The reader of a field's column: its parser's, else as text."""
    parse = parsers.get(field) if field not in _DEFERRED_FIELDS else None
    if parse is None:
        return _TextReader(repeats=field not in _RARELY_REPEATED)
    return _ParseReader(parse, _ATTRS.get(field, (None, ""))[1])


def _guarded(parse: Parser, value: Any, default: Any) -> tuple[Any, str, str | None]:
    try:
        return parse(value)
    except Exception as exc:  # noqa: BLE001 - one odd cell must never stop the reader
        return default, _safe_text(value), f"cannot read this value ({type(exc).__name__})"


def parse_grid(grid: Sequence[Sequence[Any]], sheet: str, config: Config, path: str = "",
               *, issues: Iterable[Any] = (),
               tables: Iterable[tuple[int, int, int, int, int]] = ()) -> CallLog:
    """The call log on one sheet's grid (grid[r][c] is Excel row r+1, column c+1).

    `issues` are cells the grid shows blank although they are not (tracker.files
    CellIssue: error values and formulas without a computed value); each becomes a
    Problem. `tables` are the sheet's tables (Excel ListObjects: first row, last row,
    first column, last column, totals rows; 0-based, as tracker.files Book.tables gives
    them): a table's totals are not a call, they are read as blank cells; and a log in a
    table ends where another table under its columns starts (the user's Contacts further
    down are no calls; see _log_end). Never raises on the grid's content. Records share
    one `columns` dict (field -> letter): treat it as read-only.
    """
    tables = list(tables or ())
    totals = [(max(r1 - n + 1, r0), r1, c0, c1) for r0, r1, c0, c1, n in tables if n > 0]
    with collector_paused():
        return _parse_grid(grid, sheet, config, path, issues, totals, tables)


def _parse_grid(grid: Sequence[Sequence[Any]], sheet: str, config: Config, path: str,
                issues: Iterable[Any], totals: list[tuple[int, int, int, int]],
                tables: list[tuple[int, int, int, int, int]]) -> CallLog:
    # xlwings gives a single row or cell unwrapped; tuples and other sequences are fine.
    if grid.__class__ is not list:
        grid = list(grid) if grid is not None else []
    try:
        # The rows' lengths, which tell too that every row is a list (list.__len__ takes
        # nothing else): one pass over the rows where their types, the widest and the
        # shortest took three (17 ms less at 100 000 rows).
        lengths = list(map(list.__len__, grid))
    except TypeError:
        grid = [r if r.__class__ is list else _as_row(r) for r in grid]
        lengths = list(map(len, grid))
    n_rows = len(grid)
    header = find_header(grid, config)
    issue_cells = _issue_map(issues, (header.row if header else n_rows))
    if totals and issue_cells:
        # A totals formula saved without its value is the table's, not the log's.
        issue_cells = {(r, c): i for (r, c), i in issue_cells.items()
                       if not any(r0 <= r - 1 <= r1 and c0 <= c <= c1 for r0, r1, c0, c1 in totals)}
    if header is None:
        problem = Problem(sheet, 0, "", "", f'no recognisable header row on sheet "{sheet}" (expected '
                                            f'{expected_headers(config)})')
        return CallLog(path=path, sheet=sheet, header_row=0, headers=[], field_columns={},
                       language=config.language, problems=[problem], n_rows=n_rows)

    h = header.row
    width = max(lengths, default=0)
    headers = list(header.texts) if header.texts is not None else [cell_text(v) for v in grid[h]]
    headers += [""] * (width - len(headers))
    lang = header_language(headers, config)
    han_lang = "ja" if lang == "ja" else "zh"
    problems: list[Problem] = []
    header_excel_row = h + 1

    field_columns = dict(header.fields)
    duplicates = header.duplicates
    # A column headed as our Summary that holds the user's own texts (users_summary,
    # the rule refresh writes by): in a log with no notes column, the consultant's notes
    # ("Company Name: …", the agency's format), read as the notes, before and after a
    # refresh put ours beside it (a second Summary column is then ours); else the user's
    # own one-liners, one of their columns, whose words go into the summary.
    users = (_users_summary_column(islice(grid, h + 1, None), headers, field_columns, config)
             if "summary" in field_columns else None)
    if users is not None and "notes" not in field_columns:
        if field_columns.get("summary") == users:
            del field_columns["summary"]
            ours = next((c for f, c in duplicates if f == "summary"), None)
            if ours is not None:
                field_columns["summary"] = ours
                duplicates = [(f, c) for f, c in duplicates if c != ours]
        field_columns["notes"] = users
        users = None
    theirs = None
    if "outcome" not in field_columns:
        # The user's outcomes under "Status" in a log without an Outcome column: read as
        # the outcome (cancelled, hired), before and after refresh put ours beside it.
        theirs = _users_outcome_column(islice(grid, h + 1, None), headers, field_columns, config)
        if theirs is not None:
            duplicates = [(f, c) for f, c in duplicates if c != theirs]
            if field_columns.get("status") == theirs:
                del field_columns["status"]
            # A second Status of theirs is a second outcome column, before refresh and
            # after it put ours beside them ("Status (Call Tracker)", read as ours).
            beside = config.beside_words
            duplicates = [("outcome" if f == "status" and normalize_word(headers[c]) not in beside else f, c)
                          for f, c in duplicates]
            field_columns["outcome"] = theirs

    letters = {f: column_letter(c) for f, c in field_columns.items()}
    mapped = set(field_columns.values())
    # Every other column is the user's own: kept by its header text (or its letter).
    extra_cols: list[tuple[int, str]] = []
    taken: set[str] = set()
    for c in range(width):
        if c in mapped:
            continue
        name = headers[c] or column_letter(c)
        if name in taken:
            name = f"{name} ({column_letter(c)})"
        taken.add(name)
        extra_cols.append((c, name))

    # The rows below the header that hold anything at all.
    end = _log_end(grid, h, min(field_columns.values()), tables)
    body = grid[h + 1:end]
    if end is not None and issue_cells:   # cells below the log's end are not the log's
        issue_cells = {(r, c): i for (r, c), i in issue_cells.items() if r <= end}
    for r0, r1, c0, c1 in totals:
        # Rows of `body` only (a copy): the grid is the caller's (Book keeps it).
        for r in range(max(r0, h + 1), min(r1, h + len(body)) + 1):
            row = body[r - h - 1] = list(body[r - h - 1])
            row[c0:c1 + 1] = [""] * len(row[c0:c1 + 1])
    keep = list(map(any, body))   # any() misses rows holding only 0 or FALSE: looked at next
    if not all(keep):
        for i in [i for i, kept in enumerate(keep) if not kept]:
            keep[i] = not all(v is None or v == "" for v in body[i])
    rows = body if all(keep) else list(compress(body, keep))
    if rows and min(compress(lengths[h + 1:end], keep)) < width:
        rows = [row + [""] * (width - len(row)) if len(row) < width else row for row in rows]
    excel_rows = list(compress(range(h + 2, n_rows + 1), keep))
    n = len(rows)
    # Two columns of one field (two "Comment", "Date" twice): on each row the first that
    # holds a value, for the fields of columns.yaml `merge_duplicates` (not a blank name
    # read as the phone of a "Contact (phone)"; not our written columns, refresh writes the
    # first). Logs without duplicates pay nothing.
    written = set(config.section("written") or ())
    merging = set(config.section("merge_duplicates") or ()) - written
    merged = [(field_columns[f], c) for f, c in duplicates if f in merging]
    both: dict[int, int] = {}
    taken_from: dict[int, dict[int, int]] = {}
    if merged:
        rows, both, taken_from = _first_filled(rows, merged)
    for f, c in duplicates:
        used = column_letter(field_columns[f])
        if f in written:
            said = f"column {used} is used, this one is kept as an extra column"
        elif f not in merging:
            said = (f"column {used} is used on every row, blank or not (a {f.replace('_', ' ')} is not "
                    "taken from another column); this one is kept as an extra column")
        else:
            k = both.get(c, 0)
            said = (f"column {used} is used, or this one on a row where {used} is blank"
                    + (f" ({k} {'row holds' if k == 1 else 'rows hold'} a different value in both: {used}'s is read)"
                       if k else "")
                    + "; this one is kept as an extra column too")
        problems.append(Problem(sheet, header_excel_row, column_letter(c), _short(headers[c]),
                                f'duplicate column for "{f}": {said}', read=f in merging))

    # The rows a block at a time (see _BLOCK): each block's cells go to the user's own
    # columns, to every field's reader, and to the texts that tell the order of the log's
    # dates (_date_order). The dates are read in the configured order meanwhile: a log
    # whose dates say otherwise (rare) has its date columns read again after.
    yearless: set[str] = set()
    parsers = _column_parsers(config, lang, config.date_order, yearless)
    readers = {f: _reader(f, parsers) for f in field_columns}
    if theirs is not None:   # the user's words of the pipeline beside them read as no outcome
        readers["outcome"] = _reader("status_outcome", parsers)
    read = [(field_columns[f], reader.add) for f, reader in readers.items()]
    date_cols = [c for f, c in field_columns.items() if f in _DATE_FIELDS]
    date_texts: set[str] = set()
    columns = _Columns(rows)
    own = [c for c, _ in extra_cols]
    for c in own:
        columns[c] = []
    for start in range(0, n, _BLOCK):
        block = list(zip(*rows[start:start + _BLOCK]))
        for c in own:
            columns[c].extend(block[c])
        for c in date_cols:
            date_texts.update(filter(str.__instancecheck__, block[c]))
        for c, add in read:
            add(block[c])

    problems.extend(_header_problems(headers, header, columns, config, lang, sheet, header_excel_row))
    if theirs is not None:
        problems.extend(_status_read_as_outcome(headers, theirs, columns, config, sheet, header_excel_row))
    if "outcome" not in field_columns:
        problems.extend(_outcomes_under_status(headers, columns, config, lang, sheet, header_excel_row,
                                               field_columns))
    order, against, unsettled = _date_order(date_texts, config.date_order, lang, _clock(config))
    if against or unsettled or order != config.date_order:   # rare: whole date columns
        date_columns = {f: columns[c] for f, c in field_columns.items() if f in _DATE_FIELDS}
        problems.extend(_order_problems(date_columns, against, order, letters, excel_rows, sheet))
        if unsettled and "date_order" not in config.chosen:
            # An order the user chose in tracker.yaml is not said again on every check.
            problems.append(_order_assumed(date_columns, unsettled, config.date_order, letters, excel_rows,
                                           sheet, _clock(config)))
        if order != config.date_order:
            yearless.clear()
            parsers = _column_parsers(config, lang, order, yearless)
            for f, cells in date_columns.items():
                readers[f] = _reader(f, parsers)
                readers[f].add(cells)

    texts: dict[str, list[str]] = {}
    attr_values: dict[str, list[Any]] = {}
    next_times: list[Any] | None = None   # put into the next contacts (_next_contact_times)
    for f, c in field_columns.items():
        values, col_texts, bad = readers[f].result(columns, c)
        letter = letters[f]
        problems.extend(Problem(sheet, excel_rows[i], letter, _short(text), message, read=message.__class__ is LookAt)
                        for i, text, message in bad)
        texts[f] = col_texts
        attr = _ATTRS.get(f, (None, ""))[0]
        if attr is not None:
            attr_values[attr] = values
        elif f == "next_contact_time":
            next_times = values

    if yearless:
        problems.extend(_date_years(attr_values, texts, yearless, letters, excel_rows, sheet, next_times,
                                    "" if next_times is None else _time_where(headers, field_columns)))
    if next_times is not None:
        problems.extend(_next_contact_times(attr_values, next_times, texts, field_columns, headers,
                                            excel_rows, header_excel_row, sheet, config, lang))
    if "notes" in field_columns:
        problems.extend(_noted_next_contacts(texts, attr_values.get("call_type"), parsers["next_contact"], config,
                                             letters["notes"], excel_rows, sheet))
    _derive_columns(attr_values, texts, n, "time" in field_columns)
    _managers_from_notes(attr_values, texts, n, config)
    source = _RowSource(texts, attr_values.pop("language", None), lang, han_lang)
    ids = texts.get("id")
    attr_values["id"] = [t or str(er) for t, er in zip(ids, excel_rows)] if ids else list(map(str, excel_rows))
    attr_values["row"] = excel_rows
    # An error value or a formula without its value in a column of the user's that
    # nothing reads (their own lookup, a #N/A on every other row) is theirs, not a cell of
    # the log that could not be read. So is one right of the grid: calamine shows such a
    # cell blank, and a column holding only those (no header) is not in the grid at all.
    # Our Summary's header over the user's own one-liners (no column of ours beside it
    # yet): refresh writes ours beside it (jobs._owned_header), and from then on the
    # reader sees theirs as one of the user's columns, whose words go into the summary.
    # They go in now too, or a second refresh would write every summary again.
    c = field_columns.get("summary")
    if c is not None and c == users:
        name = headers[c] if headers[c] not in taken else f"{headers[c]} ({column_letter(c)})"
        extra_cols.append((c, name))
    unread = {c for c, _ in extra_cols if normalize_word(headers[c]) not in config.extra_words}
    if issue_cells:
        read_cols = mapped.union(c for c, _ in extra_cols if c not in unread)
        issue_cells = {(r, c): i for (r, c), i in issue_cells.items() if c in read_cols}
    extra_rows = _extra_rows(columns, extra_cols, excel_rows, sheet, problems, n, unread)
    attr_values["extra"] = extra_rows
    # A row of blanks in mapped columns and only spaces elsewhere holds no call. The
    # first column settles almost every row (at C speed); the others are looked at for
    # the rest, row by row when they are few.
    # The columns refresh writes (status to summary) hold no call of their own: a row
    # whose calls' cells were cleared keeps what an earlier refresh wrote there.
    text_cols = [col for f, col in texts.items() if f not in written]
    has_text = list(map(bool, text_cols[0])) if text_cols else [False] * n
    unsettled = list(compress(count(), map(not_, has_text))) if text_cols else []
    if len(unsettled) > n // 8:
        has_text = list(map(any, zip(*text_cols)))
    else:
        for i in unsettled:
            has_text[i] = any(col[i] for col in text_cols)
    if extra_cols:
        has_text = list(map(or_, has_text, map(bool, extra_rows)))
    dropped, notices, end = _not_calls(rows, has_text, texts, attr_values, field_columns, excel_rows, config)
    # The last row refresh wrote, for the next to clear what it wrote on rows that are
    # no calls now (calls deleted but for our columns): the last call, or a row below it
    # whose Status holds a label of ours, as refresh writes on every call row. Not a
    # note the user typed in our columns under the log ("red = overdue"), nor a legend
    # of our labels ("Overdue" over "red: past its due date"): theirs to keep.
    written_to = header_excel_row
    written_below: list[int] = []   # those rows below the last call, bottom first
    status = texts.get("status")
    if status is not None:
        labels = _status_labels(config)
        i = end - 1
        while i >= 0 and not has_text[i]:
            if status[i] and normalize_word(status[i]) in labels and _due_as_written(
                    rows[i], status[i], field_columns, config):
                written_below.append(excel_rows[i])
            i -= 1
        if written_below:
            written_to = written_below[0]
        elif i >= 0:
            written_to = excel_rows[i]
    if dropped:
        problems = [p for p in problems if p.row not in dropped]
        issue_cells = {(r, c): i for (r, c), i in issue_cells.items() if r not in dropped}
    problems.extend(Problem(sheet, *notice, read=True) for notice in notices)

    # Built without __init__ (100 000 records): each record's __dict__ holds only
    # `_deferred` = (source, row index). `source` gives a record an attribute on its
    # first read, and a whole column to every record once many have asked
    # (model._Column), the sheet and the shared `columns` alike; attributes no column
    # fills read the dataclass's defaults, as __init__ would set them; the deferred
    # ones (model.DEFERRED) are worked out row by row on first use.
    kept = None if all(has_text) else has_text
    dicts = [{"_deferred": pair} for pair in compress(zip(repeat(source), range(n)), has_text)]
    source.hold(attr_values, {"sheet": sheet, "columns": letters}, dicts, kept)
    new = object.__new__
    records: list[CallRecord] = []
    append = records.append
    for d in dicts:
        rec = new(CallRecord)
        rec.__dict__ = d
        append(rec)
    if taken_from:
        # A value read from the second of two columns of its field: the record's columns,
        # and the problems about it, name the cell it came from (I2, not the blank A2).
        moved = _cells_taken_from(taken_from, excel_rows)
        for d in dicts:
            i = d["_deferred"][1]
            if i in taken_from:
                d["columns"] = {**letters, **{f: column_letter(taken_from[i][c])
                                              for f, c in field_columns.items() if c in taken_from[i]}}
        problems = [Problem(p.sheet, p.row, moved[p.row, p.column], p.value, p.message, p.read)
                    if (p.row, p.column) in moved else p for p in problems]

    problems.extend(_issue_problem(sheet, issue) for _, issue in sorted(issue_cells.items()))
    problems.sort(key=lambda p: (p.row, _column_order(p.column)))
    return CallLog(path=path, sheet=sheet, header_row=header_excel_row, headers=headers,
                   field_columns=field_columns, language=lang, records=records,
                   problems=problems, n_rows=max(n_rows, _last_issue_row(issue_cells)), read_columns=source,
                   date_order=order, written_to=written_to, written_below=tuple(reversed(written_below)))


def _status_labels(config: Config) -> frozenset[str]:
    """The status labels refresh writes in Status (followups.yaml `status_labels`, every
    language), normalised; made once per Config (it is immutable)."""
    cached = config.__dict__.get("_log_status_labels")
    if cached is None:
        labels = config.section("followups").get("status_labels") or {}
        cached = config.__dict__["_log_status_labels"] = frozenset(
            normalize_word(str(w)) for spec in labels.values() for w in (spec or {}).values())
    return cached


def _due_as_written(row: list[Any], label: str, field_columns: dict[str, int], config: Config) -> bool:
    """Whether the Due beside a Status `label` of ours is as refresh writes it: a date
    beside Overdue, Due today and Upcoming (a step owed on a day), nothing beside Done
    and No next action. A word there ("red: past its due date") is a legend's."""
    c = field_columns.get("due")
    if c is None:
        return True
    value = row[c] if c < len(row) else None
    if normalize_word(label) in _dated_status_labels(config):
        return value.__class__ in (datetime, date, float, int)   # a date (or its serial, unformatted)
    return value is None or value == ""


def _dated_status_labels(config: Config) -> frozenset[str]:
    """Of _status_labels, those of the statuses refresh writes with a Due (all but
    model.UNDATED_STATUSES), normalised; made once per Config."""
    cached = config.__dict__.get("_log_dated_status_labels")
    if cached is None:
        labels = config.section("followups").get("status_labels") or {}
        cached = config.__dict__["_log_dated_status_labels"] = frozenset(
            normalize_word(str(w)) for status, spec in labels.items()
            if status not in UNDATED_STATUSES for w in (spec or {}).values())
    return cached


def summary_ours(config: Config, checklist: bool = False) -> Callable[[str], bool]:
    """Whether a Summary text starts as ours do: with an item's label ("Company Name:",
    "Today we interviewed:"), in any language; with `checklist`, and holds the after-call
    checklist ours end with. A log with no notes column may keep the consultant's notes,
    in the agency's format, under "Summary": they start with a label too."""
    from .notes import label_pattern   # (only for a log with a Summary column)

    summaries = config.section("summaries")
    pattern = label_pattern(summaries)
    # The checkbox a summary was written with: this one's, or the shipped one (a refresh
    # before tracker.yaml changed it wrote that).
    boxes = {f"\n{b} " for b in (summaries.get("checkbox"), shipped("summaries").get("checkbox")) if b}
    # The summary of a call called off ("Not held: Cancelled", with no checklist) is ours
    # too: read as the user's, a second refresh would quote it as their notes.
    called_off = tuple({str(v).strip() for spec in (summaries, shipped("summaries"))
                        for v in (spec.get("called_off_heading") or {}).values() if v and str(v).strip()})

    def ours(text: str) -> bool:
        text = text.lstrip()
        return (pattern is not None and pattern.match(text) is not None and (
            not checklist or any(box in text for box in boxes))) or (bool(called_off) and text.startswith(called_off))
    return ours


def users_summary(texts: Iterable[str], config: Config, checklist: bool) -> bool:
    """Whether a column headed as our Summary holds the user's own texts: fewer than half
    of its first 200 different texts are ours (summary_ours; `checklist`: the log has no
    notes column). The one rule of the reader and of refresh (jobs._has_foreign_values):
    a refreshed log of 100 000 summaries is judged by its first texts."""
    seen: set[str] = set()
    for text in texts:
        if text and text not in seen:
            seen.add(text)
            if len(seen) == 200:
                break
    ours = summary_ours(config, checklist)
    return sum(map(ours, seen)) * 2 < len(seen)


def _users_summary_column(rows: Iterable[Sequence[Any]], headers: list[str], field_columns: dict[str, int],
                          config: Config) -> int | None:
    """The column headed as our Summary ("Summary", "Резюме звонка"; not "Summary (Call
    Tracker)") that holds the user's own texts (users_summary), if any: read as the
    field's before any refresh, beside ours after one."""
    words, symbols, beside = config.column_words, _symbol_words(config), config.beside_words
    c = next((c for c, text in enumerate(headers) if normalize_word(text) not in beside
              and _header_field(text, words, symbols) == "summary"), None)
    if c is None or c in field_columns.values() and field_columns.get("summary") != c:
        return None
    texts = (cell_text(row[c]) for row in rows if c < len(row))
    return c if users_summary(texts, config, checklist="notes" not in field_columns) else None


_DIGIT_RUNS = re.compile(r"\d+")
# A month's heading: "December 2026", "Декабрь 2026 г.", "2026 Dec", "2026年12月", "12月",
# "2026-12", "12.2026", with dashes or stars around. A month's word needs its year: "May"
# or "June" alone may be a contact's name.
_YEAR = r"(?:19|20)\d\d"
_MONTH_LABEL = re.compile(
    rf"^[\W_]*(?:(?P<w>[^\W\d_]{{3,10}})\.?,?\s*{_YEAR}(?:\s*г(?:од)?\.?)?|{_YEAR}\s*(?P<v>[^\W\d_]{{3,10}})"
    rf"|(?:{_YEAR}\s*年\s*)?(?P<m>\d{{1,2}})\s*月份?|{_YEAR}\s*[-./]\s*(?P<n>\d{{1,2}})"
    rf"|(?P<o>\d{{1,2}})\s*[./]\s*{_YEAR})[\W_]*$")
# A count or a sum beside a totals row's word: "217", "1 234,50", "8%".
_NUMBER = re.compile(r"^[-+−]?[\d\s.,]*\d[\d\s.,]*%?$")
# Dated rows without a call type looked at for a heading's labels, at most (_not_calls).
_DATED_UNTYPED = 2000
# The first cell of a legend typed under the log ("Legend:", "Условные обозначения", "凡例"),
# in its first column: that row and the lines right under it are the legend's, no calls.
_LEGEND = re.compile(r"^[\W_]*(?:legend|colou?r key|легенда|условные обозначения|图例|凡例)[\W_]*$",
                     re.IGNORECASE)


def _totals_word(config: Config) -> re.Pattern:
    """A text starting with a word of columns.yaml `totals` ("Total", "Итого:", "合计"),
    the rest after it in group "rest"; made once per Config (it is immutable)."""
    cached = config.__dict__.get("_log_totals_word")
    if cached is None:
        words = [r"[\W_]*".join(map(re.escape, re.findall(r"[^\W_]+", str(w).casefold())))
                 for w in config.data.get("totals") or ()]
        words = sorted(filter(None, words), key=len, reverse=True) or ["(?!)"]
        cached = config.__dict__["_log_totals_word"] = re.compile(
            rf"^[\W_]*(?:{'|'.join(words)})(?![^\W\d_])(?P<rest>.*)$", re.IGNORECASE | re.DOTALL)
    return cached


def _label(text: str, totals: re.Pattern) -> str | None:
    """What `text` is as a heading's or a totals row's label: "heading" a month's
    ("December 2026"), "total" a totals word as the whole text, or followed by its number
    ("Total", "Итого:", "Total: 217 calls"); None anything else. A totals word is no label
    as the first word of a longer text: "Sum Wing", "Total Energies" are names."""
    if len(text) > 40:
        return None
    m = totals.match(text)
    if m is not None:
        rest = m.group("rest").lstrip(" \t:：=-–—.")
        return "total" if not rest.rstrip() or rest[0].isdigit() else None
    return "heading" if _label_month(text) is not None else None


def _label_month(text: str) -> tuple[int | None, int] | None:
    """The year (None when not written) and month a month's heading names ("December
    2026": (2026, 12); "12月": (None, 12)); None for any other text."""
    m = _MONTH_LABEL.match(text)
    if m is None:
        return None
    word = m.group("w") or m.group("v")
    if word is not None:
        word = word.casefold()
        month = next((k for names in _MONTH_WORDS for k, full in enumerate(names, 1) if full.startswith(word)), 0)
    else:
        month = int(m.group("m") or m.group("n") or m.group("o"))
    year = re.search(_YEAR, text)
    return (int(year.group()) if year else None, month) if 1 <= month <= 12 else None


def _labels_only(texts: Iterable[str], totals: re.Pattern) -> str | None:
    """The first of a row's texts of a call (`texts`, blanks among them) when they are a
    heading's or a totals row's labels (_label) and numbers, one label at least; None
    when a text is anything else (a name, a note: the row is a call)."""
    first = None
    for text in filter(None, texts):
        if _label(text, totals):
            first = first or text
        elif not _NUMBER.match(text):
            return None
    return first


def _not_calls(rows: list[list[Any]], has_text: list[bool], texts: dict[str, list[str]],
               attr_values: dict[str, list[Any]], field_columns: dict[str, int], excel_rows: list[int],
               config: Config) -> tuple[set[int], list[tuple[int, str, str, str]], int]:
    """Rows below the header that hold something but no call; `has_text` is set False for
    each, and their Excel rows returned (what was said of their cells is dropped), with
    notices for `check` (row, column, value, message), and the index of the row the log
    ends above (len(rows): none). Only rows without a call type read are looked at (a
    few in a log of 100 000), and but for the second rule, only those without a date:
    - a totals row: its first cell "Total" ("Итого", "合计": columns.yaml `totals`), no
      call type read;
    - a heading or a totals row anywhere in the log's columns: its texts of a call (all
      but its ID, date and the columns refresh writes) are a month's heading ("December
      2026" beside the 1st of December), a totals word as a cell's whole text ("TOTAL"
      over a count, "Total: 217 calls") and numbers (_labels_only), no phone number.
      Dated rows without a call type are looked at when they are few (_DATED_UNTYPED,
      5 ms): a log of 100 000 that leaves call types blank would have each of its rows
      looked at (0.2 s); each one dropped is said (its date would have made it a call),
      but a month's heading beside a day of that month, as plain as one alone. So is the
      1st of a month alone on its row over that month's calls ("Nov 2026" typed in a date
      cell) no call, unsaid. A date beside a contact's name ("Sum Wing", "June"), a client
      ("Total Energies") or a note of the call stays a call;
    - a legend: "Legend:" (_LEGEND) in the log's first column, no call type read, and the
      lines right under it without a date or call type, whatever columns they are in;
    - a heading: the row's only cell a text in the log's first column, the date column,
      that is no date (a month's band "November 2026" merged across the log, "Notes:"),
      nor one mistyped ("31.11.2026", two runs of digits or more: a call with a wrong
      date, said as such). Not in a log that starts with another column: a call type or
      a client alone may be a call;
    - a row of header words (two fields or more): a header repeated below is no call; one
      naming other columns, and a heading whose rows below have texts but no date in the
      date column, start another table: the log ends there (said, for `check`).
    A row holding only a comment right under a call stays a call, and is said: it may be
    the comment's next line."""
    dates = attr_values.get("date")
    types = attr_values.get("call_type")
    n = len(rows)
    notices: list[tuple[int, str, str, str]] = []
    # Each rule wants a row without a call type read (a comment alone has none), and but
    # for a heading's labels beside a date, without a date: counted at C speed first.
    untyped = n if types is None else types.count(None)
    dated_too = untyped <= _DATED_UNTYPED
    if not untyped or not dated_too and dates is not None and not dates.count(None):
        return set(), notices, n
    if dated_too:
        todo = [i for i in (range(n) if types is None else compress(count(), map(is_, types, repeat(None))))
                if has_text[i]]
    elif dates is not None:
        todo = [i for i in compress(count(), map(is_, dates, repeat(None)))
                if has_text[i] and (types is None or types[i] is None)]
    else:
        todo = [i for i in range(n) if has_text[i] and (types is None or types[i] is None)]
    if not todo:
        return set(), notices, n
    first = min(field_columns.values())
    first_field = next(f for f, c in field_columns.items() if c == first)
    totals = {normalize_word(w) for w in (config.data.get("totals") or ())}
    words, symbols, beside = config.column_words, _symbol_words(config), config.beside_words
    header_at = {c: f for f, c in field_columns.items()}
    notes = field_columns.get("notes")
    # The columns of a call but its ID and date (and those refresh writes): a row with none
    # of them is no call, whatever its ID, the date column's word or the user's own columns hold.
    written = set(config.section("written") or ())
    of_a_call = [col for f, col in texts.items() if f not in written and f not in ("id", "date")]
    date_col = field_columns.get("date")
    written_cols = {c for f, c in field_columns.items() if f in written}
    date_texts = texts.get("date")
    totals_word = _totals_word(config)
    phones = texts.get("phone")   # a contact's number, never a totals row's count
    dropped: list[int] = []
    headings: list[int] = []
    end: int | None = None
    legend_next = -1   # the Excel row of a legend's next line
    # What a call has and a legend's line has not: someone to call, an outcome, a next contact.
    of_a_contact = [texts[f] for f in ("contact", "outcome", "next_contact", "phone", "email") if f in texts]
    for i in todo:
        if dates is not None and dates[i] is not None:   # (dated_too)
            label = None if phones and phones[i] else _labels_only((col[i] for col in of_a_call), totals_word)
            day = dates[i]
            named = _label_month(label) if label else None
            if named is not None and named[1] == day.month and named[0] in (None, day.year):
                # "December 2026" beside a day of December: a month's heading, as plainly as
                # "December 2026" alone (dropped unsaid below): no call, nothing to look at.
                dropped.append(i)
                continue
            if label is None and day.day == 1 and _only_date(rows[i], date_col, written_cols) and \
                    _month_below(i, day, dates, has_text):
                # The 1st of a month alone on its row above that month's calls: "November
                # 2026" typed in a date cell, which Excel keeps as 1 November. Nothing of a
                # call is on it (a date alone elsewhere stays a call).
                dropped.append(i)
                continue
            if label:
                dropped.append(i)   # said: the date alone would have made it a call
                kind = "a heading" if _label(label, totals_word) == "heading" else "a totals row"
                notices.append((excel_rows[i], "", _short(label), (
                    f'read as {kind}, not a call ("{_short(label)}" beside its date); '
                    "if it is a call, write its call type")))
            continue
        row = rows[i]
        filled = [(c, v) for c, v in enumerate(row)
                  if v is not None and v != "" and not (v.__class__ is str and not v.strip())]
        if not filled:
            continue
        c0, v0 = filled[0]
        no_type = types is None or types[i] is None
        if no_type and (excel_rows[i] == legend_next or v0.__class__ is str and c0 <= first and _LEGEND.match(v0)) \
                and not any(col[i] for col in of_a_contact):
            # A legend: "Legend:" in the log's first column, its line beside it in any column
            # ("red = overdue" under the client's), and its lines right under it (no date,
            # no call type) until a blank row; none with a contact, an outcome or a next
            # contact: a call's ("Key" a client's name).
            dropped.append(i)
            legend_next = excel_rows[i] + 1
            continue
        if no_type and v0.__class__ is str and c0 <= first and normalize_word(v0) in totals:
            dropped.append(i)
            continue
        if len(filled) == 1 and v0.__class__ is str and c0 <= first and no_type and \
                first_field == "date" and len(_DIGIT_RUNS.findall(v0)) < 2:
            dropped.append(i)
            headings.append(i)
            continue
        if len(filled) >= 2 and all(v.__class__ is str for _, v in filled):
            named, _ = _row_fields(row, words, symbols, beside)
            if len(named) >= 2:
                dropped.append(i)
                if i == 0 and not any(c in header_at for c in named.values()):
                    # Under columns the header left unread, first thing under it: the
                    # header's second row, not understood ("Потом" over "дата" and
                    # "время"), not another table: the calls below are read, and this said.
                    cols = sorted(named.values())
                    notices.append((excel_rows[i], "", _short(" | ".join(cell_text(row[c]) for c in cols)), (
                        f"a second row of the header, not understood: column{'s' if len(cols) > 1 else ''} "
                        f"{', '.join(column_letter(c) for c in cols)} kept as your own, not read; give each "
                        f"column its whole name in one row of the header")))
                    continue
                if any(header_at.get(c) != f for f, c in named.items()):
                    end = i
                    break
                continue
        if of_a_call and not any(col[i] for col in of_a_call) and (
                date_col is None or _is_blank(row[date_col]) or row[date_col].__class__ is str
                and len(_DIGIT_RUNS.findall(row[date_col])) < 2):
            dropped.append(i)   # "Legend:", a month's band in the ID column, notes in the user's columns
            continue
        # An unread date is a call's, mistyped ("31.11.2026"), but for a month's heading.
        date_text = date_texts[i] if date_texts else ""
        if (not date_text or _label(date_text, totals_word)) and not (phones and phones[i]) and \
                _labels_only(chain((date_text,), (col[i] for col in of_a_call)), totals_word):
            dropped.append(i)   # "TOTAL" over a count, "December 2026" in the client's column
            continue
        if notes is not None and len(filled) == 1 and c0 == notes and i and has_text[i - 1] \
                and excel_rows[i - 1] == excel_rows[i] - 1:
            notices.append((excel_rows[i], column_letter(notes), _short(cell_text(v0)), (
                f"only a comment on this row: read as a call of its own, without a date or call type; if it "
                f"goes on the comment of row {excel_rows[i - 1]}, type it there")))
    if end is None and dates is not None and headings:
        # A title over another table: what follows it holds no date, though something
        # is typed in the date column.
        for h in headings:
            below = [i for i in range(h + 1, n) if has_text[i]]
            if below and all(dates[i] is None for i in below) and any(date_texts[i] for i in below):
                end = h
                break
    if end is not None:
        rest = [i for i in range(end, n) if has_text[i]]
        notices.append((excel_rows[end], "", _short(cell_text(next(
            (v for v in rows[end] if v is not None and v != ""), ""))), (
            f"the call log ends above this row: rows {excel_rows[end]} to {excel_rows[rest[-1]]} have no "
            f"date and are not read as calls (another table, or notes)")))
        dropped = [i for i in dropped if i < end] + rest
    for i in dropped:
        has_text[i] = False
    return {excel_rows[i] for i in dropped}, notices, n if end is None else end


def _only_date(row: list[Any], date_col: int | None, written_cols: set[int]) -> bool:
    """Whether the row's only cell is its date (the columns refresh writes aside)."""
    return all(_is_blank(v) for c, v in enumerate(row) if c != date_col and c not in written_cols)


def _month_below(i: int, day: date, dates: list[Any], has_text: list[bool]) -> bool:
    """Whether the next row holding something below row `i` is dated in `day`'s month."""
    below = next((j for j in range(i + 1, len(has_text)) if has_text[j]), None)
    return below is not None and dates[below] is not None and (dates[below].year, dates[below].month) == (
        day.year, day.month)


# Fields without which a log reads as little: no date, no follow-up is ever due; no call
# type, no reminder or summary applies. A header row lacking one is said so by `check`
# when some header was not recognised (it may be that column under a name of the user's);
# a row whose every header reads is a log of that shape (seed 002's has no date).
_ESSENTIAL_FIELDS = {"date": "date", "call_type": "call type"}


def _date_words(config: Config, lang: str) -> str:
    """The date column's header words of the log's language and English, as written."""
    words = [str(w) for w in config.section("columns").get("date") or ()]
    mine = [w for w in words if script_language(w) in (lang, "en")] or words
    return _known_list([f'"{w}"' for w in dict.fromkeys(mine)])


def _header_problems(headers: list[str], header: HeaderMatch, columns: Mapping[int, Sequence[Any]],
                     config: Config, lang: str, sheet: str, excel_row: int) -> list[Problem]:
    """What the header row does not say: a header a typo away from one of ours (never
    mapped on a guess: said, for the user to rename), and an essential field without a
    column (with the headers not recognised)."""
    fields = header.fields
    words, symbols, beside = config.column_words, _symbol_words(config), config.beside_words
    taken = set(fields.values()) | {c for _, c in header.duplicates}
    unknown = [c for c, h in enumerate(headers)
               if h and c not in taken and _header_field(h, words, symbols) is None
               and normalize_word(h) not in beside and normalize_word(h) not in config.extra_words]
    problems: list[Problem] = []
    meant: dict[int, tuple[str, str]] = {}
    if unknown:
        near = _near_header_words(config)
        for c in unknown:
            found = _near_miss(normalize_word(headers[c]), near)
            if found is not None and found[0] not in fields:
                meant[c] = found
                problems.append(Problem(sheet, excel_row, column_letter(c), _short(headers[c]), (
                    f'header not recognised: did you mean "{found[1]}"? The column is kept as one of '
                    f"your own, not read as the {found[0].replace('_', ' ')} column: rename the header to have it read"),
                    read=True))
    listed = ", ".join(f'"{_short(headers[c])}"' + (f' (did you mean "{meant[c][1]}"?)' if c in meant else "")
                       for c in unknown)
    for f, name in _ESSENTIAL_FIELDS.items():
        if f in fields or not unknown:
            continue
        # The date's known words listed: a log refused for the want of it (parse_grid)
        # says what to name the column.
        such = (f"Call Tracker knows {_date_words(config, lang)}" if f == "date"
                else f'such as "{config.header(f, lang)}"')
        problems.append(Problem(sheet, excel_row, "", "", (
            f'no {name} column: no header on row {excel_row} of sheet "{sheet}" reads as one '
            f'({such})' + (f"; headers not recognised: {listed}" if listed else "")), read=True))
    return problems


def _distinct(cells: Sequence[Any]) -> set:
    """The cells' distinct values; a grid handed in by code may hold a list, which no set
    takes: then each cell as its text."""
    try:
        return set(cells)
    except TypeError:
        return set(map(cell_text, cells))


def _status_outcomes(cells: Iterable[Any], config: Config) -> list[str] | None:
    """The outcome words ("Cancelled", "Hired", "Отменено") of a column headed Status,
    when they are what it holds: at least half of its different texts that are no status
    label of ours. None otherwise (the user's own words, "hot lead"; or ours alone)."""
    ours = _status_labels(config)
    distinct = {v.strip() for v in _distinct(cells) if v.__class__ is str and v.strip()}
    foreign = [t for t in distinct if normalize_word(t) not in ours]
    outcomes = sorted(t for t in foreign if config.match_list("outcome", t))
    return outcomes if outcomes and len(outcomes) * 2 >= len(foreign) else None


def _users_outcome_column(rows: Iterable[Sequence[Any]], headers: list[str], field_columns: dict[str, int],
                          config: Config) -> int | None:
    """In a log with no outcome column, the first column headed Status (not "Status (Call
    Tracker)") that holds the user's call outcomes (_status_outcomes), if any: read as
    the outcome, before any refresh and beside ours after one. Not the Status refresh
    wrote with outcomes typed into a few cells (_status_ours)."""
    words, symbols, beside = config.column_words, _symbol_words(config), config.beside_words
    found = [c for c, text in enumerate(headers) if text and normalize_word(text) not in beside
             and _header_field(text, words, symbols) == "status"]
    rows = list(rows) if found else []
    due = field_columns.get("due")
    for c in found:
        read_as_ours = field_columns.get("status") == c
        if c in field_columns.values() and not read_as_ours:
            continue
        cells = [row[c] if c < len(row) else None for row in rows]
        if _status_outcomes(cells, config) is None:
            continue
        dues = None if due is None else [row[due] if due < len(row) else None for row in rows]
        if read_as_ours and _status_ours(cells, dues, c, field_columns, config):
            continue
        return c
    return None


def _status_ours(cells: Sequence[Any], dues: Sequence[Any] | None, c: int, field_columns: dict[str, int],
                 config: Config) -> bool:
    """Whether the Status column `c` the log reads as ours (its `cells`, and those of the
    Due column, None without one, row by row) is the one refresh wrote: refresh's rule,
    users_status, with our Status, Due, Next action and Summary side by side as refresh
    writes them (jobs._laid_out_as_ours) ours whatever was typed over."""
    at = [field_columns.get(f) for f in config.section("written") or ()]
    if None not in at and at == list(range(at[0], at[0] + len(at))):
        return True

    def text(v: Any) -> str:
        return v.strip() if v.__class__ is str else "" if v is None else cell_text(v)

    # A call log's rows: not the blank ones between (refresh judges the calls).
    rows = [i for i, v in enumerate(cells) if v is not None and v != ""] if dues is None else [
        i for i, (v, d) in enumerate(zip(cells, dues)) if not (v is None or v == "") or not (d is None or d == "")]
    return not users_status(config, [text(cells[i]) for i in rows],
                            None if dues is None else [text(dues[i]) for i in rows])


def users_status(config: Config, texts: list[str], dues: list[str] | None,
                 as_written: list[str] | None = None) -> bool:
    """Whether a Status column of these `texts` ("" for a blank) is the user's own, not
    the one refresh wrote, `dues` the texts of the log's Due column row by row (None: the
    log has none). The one rule of refresh (jobs._has_foreign_values: it writes over ours
    and beside the user's) and of the reader (_status_ours: the user's, of outcomes, is
    read as the outcome): ours holds mostly our labels. Cells of ours typed over since
    ("Cancelled") are ours still, refresh writes them again: `as_written`, the texts with
    the status refresh writes now on each row whose Due holds the date refresh writes
    there now (jobs._typed_over_as_written); without it (the reader works out no
    follow-ups), the words no label of ours on rows with a Due are left out, when our
    labels are at least half of the words."""
    if not _users_status(config, texts, dues):
        return False
    if dues is None:
        return True
    if as_written is not None:
        return _users_status(config, as_written, dues)
    ours = _status_words(config)
    mine = [not t or not d or normalize_word(t) in ours for t, d in zip(texts, dues)]
    typed = mine.count(False)
    if not typed or typed * 2 > len(texts) - texts.count(""):
        return True
    return _users_status(config, list(compress(texts, mine)), list(compress(dues, mine)))


def _users_status(config: Config, texts: list[str], dues: list[str] | None) -> bool:
    """users_status, `texts` taken as they stand."""
    ours = _status_words(config)
    written = {normalize_word(t) for t in set(filter(None, texts))}
    if dues is None:
        # Refresh writes our Due with our Status: a Status holding something with no Due
        # in the log is the user's own ("Done" on the calls they finished).
        return bool(written)
    if written <= ours:
        # A user's own column marks some calls "Done" and leaves most of those between
        # blank. Ours holds a status on every call refreshed, other statuses among
        # them as a log goes (calls typed since, blank, may be sorted in between).
        if written <= _status_words(config, ("done",)) and _mostly_gaps(texts):
            return True
    # Some cells hold other words: a few typed over in ours, or a user's own column
    # that uses words of ours ("Done") among theirs.
    elif not mostly(texts, lambda text: normalize_word(text) in ours):
        return True
    # Dates beside it where refresh writes none: the two are the user's (their Status,
    # blank or "Done", and their own deadlines).
    return _dates_we_never_write(config, texts, dues)


def _status_words(config: Config, statuses: Iterable[str] | None = None) -> set[str]:
    """The normalised labels (any language) and ids of `statuses` (all when None)."""
    labels = config.section("followups").get("status_labels") or {}
    return {normalize_word(word) for s, spec in labels.items() if statuses is None or s in statuses
            for word in [s, *(spec or {}).values()]}


def _mostly_gaps(texts: list[str]) -> bool:
    """Whether most rows between the first and the last non-blank text are blank."""
    first = next((i for i, t in enumerate(texts) if t), None)
    if first is None:
        return False
    last = len(texts) - next(i for i, t in enumerate(reversed(texts)) if t)
    span = texts[first:last]
    return span.count("") * 2 > len(span)


def _dates_we_never_write(config: Config, texts: list[str], dues: list[str]) -> bool:
    """Whether more than a few rows with a Due hold a status (`texts`) that refresh gives
    no due date (blank, Done, No next action): a Due column refresh did not write."""
    statuses = Counter(compress(texts, dues))   # of the rows with a due
    no_due = _status_words(config, UNDATED_STATUSES)
    theirs = sum(n for text, n in statuses.items() if not text or normalize_word(text) in no_due)
    return not _a_few(theirs, sum(statuses.values()))


def mostly(texts: Iterable[str], ours: Callable[[str], bool]) -> bool:
    """Whether the non-blank `texts` are ours but for a few a user typed over: at most one
    in twenty (and one in a small log). A label column refresh wrote holds nothing else;
    a user's own that uses a word of ours ("Done") holds others too, which we must not
    write over. Each distinct text judged once, counted as often as it is written (a
    refreshed log has a handful of statuses over 100 000 rows)."""
    counts = Counter(filter(None, texts))
    total = sum(counts.values())
    return _a_few(total - sum(n for text, n in counts.items() if ours(text)), total)


def _a_few(theirs: int, total: int) -> bool:
    """At most one in twenty of `total` (and one in a small log), and never half."""
    return theirs * 2 <= total and theirs <= max(1, total // 20)


def _status_read_as_outcome(headers: list[str], c: int, columns: Mapping[int, Sequence[Any]], config: Config,
                            sheet: str, excel_row: int) -> list[Problem]:
    """The user's Status column `c` read as the outcome (_users_outcome_column), said once
    on its header when it also holds words that are no outcome (their pipeline,
    "Shortlisted"): those are read as none. A column of outcomes alone is read as the
    outcome without a word: a note on every check of such a log would never go away."""
    distinct = {cell_text(v).strip() for v in _distinct(columns[c]) if v is not None and v != ""}
    outcomes = sorted(t for t in distinct if t and config.match_list("outcome", t) is not None)
    others = sorted(t for t in distinct if t and t not in outcomes)
    if not others:
        return []
    such = ", ".join(f'"{_short(t)}"' for t in outcomes[:3]) + (", …" if len(outcomes) > 3 else "")
    shown = ", ".join(f'"{_short(t)}"' for t in others[:3]) + (", …" if len(others) > 3 else "")
    return [Problem(sheet, excel_row, column_letter(c), _short(headers[c]), (
        f"this column holds your outcomes ({such}): read as the outcome of each call; its words "
        f"that are no outcome ({shown}) are read as no outcome, and left as they are"), read=True)]


def _outcomes_under_status(headers: list[str], columns: Mapping[int, Sequence[Any]], config: Config,
                           lang: str, sheet: str, excel_row: int, field_columns: dict[str, int]) -> list[Problem]:
    """Outcome words typed into a column headed Status that the reader does not read as
    the outcome (_users_outcome_column): in the status refresh wrote (_status_ours), which
    refresh writes over; in a column of the user's own words ("Shortlisted", "Offer") with
    a few outcomes among them, beside which refresh writes its status. Said either way."""
    out = []
    labels, ours, due = _status_labels(config), field_columns.get("status"), field_columns.get("due")
    for c, h in enumerate(headers):
        if not h or config.column_words.get(normalize_word(h)) != "status":
            continue
        distinct = {v.strip() for v in _distinct(columns[c]) if v.__class__ is str and v.strip()}
        outcomes = sorted(t for t in distinct if normalize_word(t) not in labels and config.match_list("outcome", t))
        if not outcomes:
            continue
        shown = ", ".join(f'"{_short(t)}"' for t in outcomes[:3])
        done = ("among the follow-up statuses Call Tracker writes, so they are not read as outcomes and "
                "refresh writes over them" if c == ours and _status_ours(
                    columns[c], None if due is None else columns[due], c, field_columns, config) else
                "among words of your own, so they are not read as outcomes (refresh writes its status "
                f'beside this column, as "{config.beside("status", lang)}")')
        out.append(Problem(sheet, excel_row, column_letter(c), _short(h), (
            f"this column holds outcomes ({shown}) {done}: put them in an outcome column of their own "
            f"to have them read"), read=True))
    return out


def _near_header_words(config: Config) -> dict[str, list[tuple[str, str, str]]]:
    """Each header word (5 characters or more, normalised) and each of it less one
    character -> (word, field, the word as written): the index of _near_miss."""
    shown = {normalize_word(w): str(w) for words in config.section("columns").values() for w in (words or [])}
    shown.update((normalize_word(label), str(label)) for labels in config.section("headers").values()
                 for label in (labels or {}).values())   # "Вид звонка" as we write it, not "вид звонка"
    index: dict[str, list[tuple[str, str, str]]] = {}
    for w, f in config.column_words.items():
        if len(w) >= 5:
            entry = (w, f, shown.get(w, w))
            for v in {w, *(w[:i] + w[i + 1:] for i in range(len(w)))}:
                index.setdefault(v, []).append(entry)
    return index


def _near_miss(key: str, index: dict[str, list[tuple[str, str, str]]]) -> tuple[str, str] | None:
    """(field, word as written) of the header word one typo from `key` (a letter
    missing, added, changed, or two swapped), when only one field has such a word."""
    if len(key) < 5:
        return None
    found = {(f, shown) for v in {key, *(key[:i] + key[i + 1:] for i in range(len(key)))}
             for w, f, shown in index.get(v, ()) if w != key}
    if len({f for f, _ in found}) != 1:
        return None
    return min(found)


def _log_end(grid: Sequence[Sequence[Any]], h: int, first_col: int,
             tables: list[tuple[int, int, int, int, int]]) -> int | None:
    """Where the log whose header is row `h` ends (a grid index; None: the sheet's end).
    A log in a table ends where another table below it, under its first column, starts
    (the user's Contacts further down): calls typed under the table, after a blank row
    too, are still the log's."""
    ours = next(((r1, c0, c1) for r0, r1, c0, c1, _ in tables if r0 == h and c0 <= first_col <= c1), None)
    if ours is None:
        return None
    r1, c0, c1 = ours
    below = [r0 for r0, _, d0, d1, _ in tables if r0 > r1 and d0 <= c1 and d1 >= c0]
    return min(below) if below else None


_DATE_FIELDS = ("date", "next_contact")


def _date_order(texts: set[str], default: str, lang: str = "", clock: _Clock | None = None
                ) -> tuple[str, frozenset[str], frozenset[str]]:
    """The order ("dmy", "mdy") of the log's slash and dash dates typed as text (`texts`,
    the date columns' cells that are text):
    11/20/2026 can only be month first, 20/11/2026 only day first. When the log's texts
    hold one kind and not the other, each that could be either (11/05/2026) is read that
    way too, not by the configuration's order, which would read one column two ways.
    Dotted dates (22.11.2026) are no evidence: they are day first wherever written, and
    one US-style date among them must not flip the log. When both kinds are there, the
    kind with more dates wins (a tie: `default`), and the texts of the other kind are
    returned, for `check` to show: the ambiguous ones may be read the wrong way.
    In a Japanese log (`lang`), 26/11/20 is yy/mm/dd: no evidence either way, and the
    order is then "ymd" (such dates year first, the others as "dmy").
    A slash date without its year is evidence as the date with it is: 11/25 can only be
    month first, as 11/25/2026. Not in a Chinese or Japanese log, where 11/25 is month
    first whatever the order (yearless_month_first): a year-first date less its year.
    Third: when nothing settles the order, the texts it decides (05/11/2026, not
    05/05/2026), for `check` to say which order `default` gave them."""
    day_first: list[str] = []
    month_first: list[str] = []
    either: list[str] = []
    short_year_first = False
    yearless_tells = lang not in ("zh", "ja")
    for text in texts:
        m = _NUMERIC_DATE.match(text)
        if m is None:
            if yearless_tells and "/" in text:
                # Which of its two readings is a day (24/7, 13/13: neither; 05/11: both).
                dmy, mdy = _yearless(text, False, clock=clock), _yearless(text, True, clock=clock)
                if dmy is not None and mdy is None:
                    day_first.append(text)
                elif mdy is not None and dmy is None:
                    month_first.append(text)
            continue
        if len(m.group(1)) > 2 or m.group(2) in "年.":
            continue
        if lang == "ja" and m.group(2) == "/" and len(m.group(1)) == len(m.group(3)) == len(m.group(4)) == 2:
            short_year_first = True
            continue
        a, b = int(m.group(1)), int(m.group(3))
        if a > 12 >= b:
            day_first.append(text)
        elif b > 12 >= a:
            month_first.append(text)
        elif 1 <= a <= 12 and 1 <= b <= 12 and a != b and _is_date(text, default, clock):
            either.append(text)
    if not day_first or not month_first:
        order = "dmy" if day_first else "mdy" if month_first else default
        unsettled = frozenset() if day_first or month_first else frozenset(either)
        return ("ymd" if short_year_first and order == "dmy" else order), frozenset(), unsettled
    if len(day_first) != len(month_first):
        order = "dmy" if len(day_first) > len(month_first) else "mdy"
    else:
        order = default
    return order, frozenset(month_first if order == "dmy" else day_first), frozenset()


def _is_date(text: str, order: str, clock: _Clock | None = None) -> bool:
    try:
        _date_of(text, order, clock)
    except (ValueError, OverflowError):
        return False
    return True


def _order_problems(columns: dict[str, Sequence[Any]], against: frozenset[str], order: str,
                    letters: dict[str, str], excel_rows: list[int], sheet: str) -> list[Problem]:
    """A Problem on each date written in the other order than the log's (rare: row by
    row). The date is still read, its only reading; the problem is the log's other
    dates, such as 05/11/2026, which may then be read the wrong way round."""
    if not against:
        return []
    ours, theirs = (("month", "day") if order == "mdy" else ("day", "month"))
    out = []
    for f, cells in columns.items():
        for i, v in enumerate(cells):
            if v.__class__ is str and v in against:
                out.append(Problem(sheet, excel_rows[i], letters[f], _short(v), (
                    f"this date is written {theirs} first, the log's other dates {ours} first: "
                    f"dates such as 05/11/2026 are read {ours} first; write every date one way "
                    f"(e.g. 2026-11-25 or 25.11.2026)"), read=True))
    return out


def _order_assumed(columns: dict[str, Sequence[Any]], unsettled: frozenset[str], order: str,
                   letters: dict[str, str], excel_rows: list[int], sheet: str,
                   clock: _Clock | None = None) -> Problem:
    """One Problem, on the first of them, for the log's dates that only the configured
    order reads (a US log's 11/05/2026, with no 11/20/2026 to tell): which order read
    them, and the setting that reads them the other way."""
    first: tuple[int, int, str, str] | None = None
    n = 0
    for f, cells in columns.items():
        for i, v in enumerate(cells):
            if v.__class__ is str and v in unsettled:
                n += 1
                at = (excel_rows[i], _column_order(letters[f]), letters[f], v)
                first = at if first is None or at < first else first
    row, _, letter, text = first
    read_as = cell_text(_date_of(text, order, clock))
    ours, theirs, other = ("month", "day", "dmy") if order == "mdy" else ("day", "month", "mdy")
    dates = "1 date" if n == 1 else f"{n} dates"
    return Problem(sheet, row, letter, _short(text), (
        f"{dates} such as {text.strip()} can be read day first or month first, and no date in the log "
        f"tells which: read {ours} first ({text.strip()} as {read_as}), the default order; if this log "
        f"writes the {theirs} first, put `date_order: {other}` in a tracker.yaml next to the workbook "
        f"(`date_order: {order}` says {ours} first is right)"),
        read=True)


# A next contact typed without its year comes after its call: up to this long before the
# call it is taken as logged late, not as a year ahead (22.11.2026's "20.11" is 2026-11-20).
_NEXT_CONTACT_SLACK = timedelta(days=31)


def _date_years(values: dict[str, list[Any]], texts: dict[str, list[str]], fields: set[str],
                letters: dict[str, str], excel_rows: list[int], sheet: str,
                next_times: list[Any] | None = None, time_where: str = "") -> list[Problem]:
    """The dates typed without their year (_Yearless, in the `fields` named) given one,
    and said to look at: one Problem per column, which year and why (_years_assumed);
    one that no row gives a year stays unread, a Problem of its own. Logs are
    chronological: a Date takes the year that puts it nearest the date of the nearest
    row (in the sheet) whose date has a year, so "3 Jan" after 28.12.2026 is 2027-01-03.
    A Next contact takes the first year that puts it after its row's date (less
    _NEXT_CONTACT_SLACK), else the nearest such row's; its time is that of the Next
    contact time column (`next_times`, the column `time_where`) where it holds one, as
    _next_contact_times puts it, so what `check` says it read is what is chased."""
    dates = values.get("date")
    anchors = [] if dates is None else [i for i, d in enumerate(dates) if d.__class__ is date or d.__class__ is datetime]
    problems: list[Problem] = []
    assumed: dict[str, list[tuple[int, date | datetime, date, int]]] = {}   # field -> (i, value, ref, row)

    def nearest(i: int) -> int | None:
        k = bisect_left(anchors, i)
        above = anchors[k - 1] if k else None
        below = anchors[k] if k < len(anchors) else None
        if above is None or below is None:
            return above if below is None else below
        return above if excel_rows[i] - excel_rows[above] <= excel_rows[below] - excel_rows[i] else below

    def dated(part: _Yearless, ref: date, after: bool) -> date | None:
        days = []
        for year in (ref.year - 1, ref.year, ref.year + 1):
            try:
                days.append(date(year, part.month, part.day))
            except ValueError:   # 29 February; years 0 and 10000
                pass
        if after:
            try:
                start = ref - _NEXT_CONTACT_SLACK
            except OverflowError:
                start = date.min
            return next((d for d in days if d >= start), None)
        return min(days, key=lambda d: abs(d - ref), default=None)

    def said(f: str, i: int, part: _Yearless, ref: date | None, row: int) -> Any:
        """The value of cell i of field f, its year from `ref` (the date of Excel row
        `row`, or of its own row when 0), kept in `assumed`; or its Problem."""
        day = dated(part, ref, f == "next_contact") if ref is not None else None
        at = next_times[i] if f == "next_contact" and next_times is not None else None
        if day is not None and at.__class__ is time:
            part = _Yearless(part.month, part.day, at)
        if day is None:
            why = f"row {row}'s date" if row else "this row's date"
            message = ("no year written, and no row of the log has a date with a year to take it from: "
                       "write the year (e.g. 22.11.2026)" if ref is None else
                       f"no year written, and no year near {why} ({ref.isoformat()}) has this day: write the year")
            problems.append(Problem(sheet, excel_rows[i], letters[f], _short(texts[f][i]), message))
            return None if f == "date" else texts[f][i]   # an unread next contact keeps its text
        value = day if part.time is None else datetime.combine(day, part.time)
        assumed.setdefault(f, []).append((i, value, ref, row))
        return value

    def near(i: int) -> tuple[date | None, int]:
        k = nearest(i)
        if k is None:
            return None, 0
        d = dates[k]
        return (d.date() if d.__class__ is datetime else d), excel_rows[k]

    if "date" in fields:
        for i, v in enumerate(dates):
            if v.__class__ is _Yearless:
                dates[i] = said("date", i, v, *near(i))
    if "next_contact" in fields:
        column = values["next_contact"]
        counted: list[tuple[int, date | datetime, date, _Relative]] = []   # (i, value, call's date, words)
        for i, v in enumerate(column):
            if v.__class__ is _Relative:
                column[i] = _counted(i, v, dates, texts["next_contact"], counted, problems,
                                     letters["next_contact"], excel_rows, sheet,
                                     next_times[i] if next_times is not None else None)
                continue
            if v.__class__ is not _Yearless:
                continue
            own = dates[i] if dates is not None else None
            if own.__class__ is date or own.__class__ is datetime:
                ref, row = (own.date() if own.__class__ is datetime else own), 0
            else:
                ref, row = near(i)
            column[i] = said("next_contact", i, v, ref, row)
        if counted:
            problems.extend(_counted_said(counted, texts["next_contact"], letters["next_contact"],
                                          excel_rows, sheet, time_where))
    problems.extend(_years_assumed(f, read, texts[f], letters[f], excel_rows, sheet)
                    for f, read in assumed.items())
    return problems


def _counted(i: int, part: _Relative, dates: list[Any] | None, texts: list[str],
             counted: list[tuple[int, date | datetime, date, _Relative, time | None]], problems: list[Problem],
             letter: str, excel_rows: list[int], sheet: str, at: Any = None) -> Any:
    """The next contact of row i typed as words counting from its call ("tomorrow"),
    read from its own row's date, kept in `counted`; without that date, its text, and a
    Problem: another row's date would be a guess. `at`: the row's Next contact time
    cell, whose time wins over one typed with the words (_next_contact_times)."""
    own = dates[i] if dates is not None else None
    if own.__class__ is datetime:
        own = own.date()
    if own.__class__ is not date:
        problems.append(Problem(sheet, excel_rows[i], letter, _short(texts[i]), (
            "not a date: these words count from the call's date, and this row has none: "
            "write the call's date, or the next contact's (e.g. 2026-11-23)")))
        return texts[i]
    try:
        day = part.day(own)
    except OverflowError:   # the call on 9999-12-31
        problems.append(Problem(sheet, excel_rows[i], letter, _short(texts[i]), "not a date: write the date"))
        return texts[i]
    if at.__class__ is time:
        value = datetime.combine(day, at)
    else:
        at = None
        value = day if part.time is None else datetime.combine(day, part.time)
    counted.append((i, value, own, part, at))
    return value


def _counted_said(counted: list[tuple[int, date | datetime, date, _Relative, time | None]], texts: list[str],
                  letter: str, excel_rows: list[int], sheet: str, time_where: str = "") -> list[Problem]:
    """The Problems to look at of a column's next contacts read from words counting from
    their call (_counted): one per text and time column's time, on its first row, how it
    was read there and the other rows of the same named (a log typing "tomorrow" all year
    is one thing). Its time is said where it is not plainly the one typed: the time
    column's (`time_where`) over it, or a small hour (small_hour)."""
    by_text: dict[tuple[str, time | None], list[tuple[int, date | datetime, date, _Relative, time | None]]] = {}
    for read in counted:
        by_text.setdefault((texts[read[0]], read[4]), []).append(read)
    out = []
    for same in by_text.values():
        i, value, own, part, at = same[0]
        text = _short(texts[i])
        how = f'"{text}" read as {cell_text(value)}, {part.how()} ({own.isoformat()})'
        others = (f"; so are {_row_list([excel_rows[k] for k, *_ in same[1:]])}, each from its own call"
                  if len(same) > 1 else "")
        if at is not None and part.time is not None and at != part.time:
            when = f"; {at:%H:%M} is the time in {time_where}, used over the {part.time:%H:%M} typed here"
        else:
            when = f"; {part.doubt}" if part.doubt and at is None else ""
        out.append(Problem(sheet, excel_rows[i], letter, text, (
            f"{how}, as typed on the day of the call{others}; write the date if that is wrong{when}"), read=True))
    return out


def _years_assumed(field: str, read: list[tuple[int, date | datetime, date, int]], texts: list[str],
                   letter: str, excel_rows: list[int], sheet: str) -> Problem:
    """One Problem, on the first of them, for the dates of a column that were typed
    without their year and given one (`read`: row index, value, the date the year came
    from and its Excel row, 0 for the date's own row): a log typed "22.11" all month
    long is one thing to look at, not one a row. Its rows are named, the first few."""
    i, value, ref, row = read[0]
    text = _short(texts[i])
    why = f"row {row}'s date" if row else "this row's date"
    if len(read) == 1:
        day = value.date() if value.__class__ is datetime else value
        # Within _NEXT_CONTACT_SLACK before the call, the day is taken as it stands, not a
        # year on: said so, not "comes after its call".
        after = (f": {(ref - day).days} days before it, taken as logged late, not as a year on" if day < ref
                 else ": a next contact comes after its call")
        because = (", the nearest row with a year" if row else "") + (after if field == "next_contact" else "")
        return Problem(sheet, excel_rows[i], letter, text, (
            f"no year written: read as {cell_text(value)}, year {value.year} assumed from {why} "
            f"({ref.isoformat()}){because}; write the year if that is wrong"), read=True)
    years = sorted({v.year for _, v, _, _ in read})
    late = any((v.date() if v.__class__ is datetime else v) < r for _, v, r, _ in read)
    rule = ("each takes the year of the nearest row with a year" if field != "next_contact" else
            "each is the first such day after its call" + (
                f", or up to {_NEXT_CONTACT_SLACK.days} days before it (logged late)" if late else ""))
    return Problem(sheet, excel_rows[i], letter, text, (
        f"{len(read)} dates without a year in column {letter} ({_row_list([excel_rows[k] for k, *_ in read])}), "
        f"read in {_and_list([str(y) for y in years])}: {rule} ({text} as {cell_text(value)}, "
        f"year from {why}, {ref.isoformat()}); write the year to be sure"), read=True)


def _next_contact_times(values: dict[str, list[Any]], times: list[Any], texts: dict[str, list[str]],
                        field_columns: dict[str, int], headers: list[str], excel_rows: list[int],
                        header_row: int, sheet: str, config: Config, lang: str) -> list[Problem]:
    """The times of a Next contact time column put into the next contact's dates (a time
    typed there wins over one in the date's cell, as the call's Time does). A time
    without a date of the next contact to go with is not read: the time alone is no
    moment, and the call's own date is not the next contact's. Said where it happens:
    once for the column when no column holds the next contact's date."""
    c = field_columns["next_contact_time"]
    letter = column_letter(c)
    days = values.get("next_contact")
    if days is None:
        n = sum(t.__class__ is time for t in times)
        if not n:
            return []
        return [Problem(sheet, header_row, letter, _short(headers[c]), (
            f'this column holds the time of the next contact ({n} {"time" if n == 1 else "times"}), but no '
            f'column holds its date (such as "{config.header("next_contact", lang)}"): the times are not read; '
            "add a column for the next contact's date"))]
    where = f'column {column_letter(field_columns["next_contact"])} ("{_short(headers[field_columns["next_contact"]])}")'
    problems = []
    for i, t in enumerate(times):
        if t.__class__ is not time:   # blank, or not a time (said by its parser)
            continue
        d = days[i]
        if d.__class__ is date or d.__class__ is datetime:
            days[i] = datetime.combine(d if d.__class__ is date else d.date(), t)
        else:
            problems.append(Problem(sheet, excel_rows[i], letter, _short(texts["next_contact_time"][i]), (
                f"a time of the next contact without its date: not read; write the date in {where}")))
    return problems


def _time_where(headers: list[str], field_columns: dict[str, int]) -> str:
    """The Next contact time column as `check` names it: column H ("Next time")."""
    c = field_columns["next_contact_time"]
    return f'column {column_letter(c)} ("{_short(headers[c])}")'


def _row_list(rows: list[int], shown: int = 5) -> str:
    """"rows 2–26", "rows 2–5, 8, 11 and 3 more": runs of rows, the first `shown` runs."""
    runs = row_runs(rows)
    said = [f"{a}–{b}" if b > a else str(a) for a, b in runs[:shown]]
    more = sum(b - a + 1 for a, b in runs[shown:])
    if more:
        return "rows " + ", ".join(said) + f" and {more} more"
    return "rows " + _and_list(said)


def _and_list(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _as_row(row: Any) -> list[Any]:
    if isinstance(row, (list, tuple)):
        return list(row)
    if isinstance(row, (str, bytes)) or not isinstance(row, Iterable):
        return [row]
    return list(row)


def _managers_from_notes(attr: dict[str, list[Any]], texts: dict[str, list[str]], n: int, config: Config) -> None:
    """A row without an SM in its own column takes the one its notes name ("SM: Olga", the
    comment format's last item, seed 002, whose log has no SM column): its chases go into
    that manager's digest and count under them in the statistics. By the item's labels
    and the SM column's headers as Call Tracker writes them ("担当：田中", "负责人：王芳": what
    a Japanese or Chinese consultant heads the person in charge with) only, its last line:
    "Sales manager: Peter (the client's)" or "Manager – liked Anna" above it is no SM of ours."""
    notes = texts.get("notes")
    if notes is None:
        return
    own = attr.get("manager")
    blank = range(n) if own is None else list(compress(count(), map(not_, own)))
    words, inline = _sm_words(config) if blank else (frozenset(), None)
    named = {i: name for i in blank if notes[i] and (name := _sm_name(notes[i], words, inline))}
    if named:
        # A copy: the column's texts (often the same list) stay the cells' own.
        managers = attr["manager"] = list(own) if own is not None else [""] * n
        for i, name in named.items():
            managers[i] = name


def _sm_words(config: Config) -> tuple[frozenset[str], InlineLabel]:
    """The normalised words of an SM line (notes.item_labels of `sm`, and the manager
    column's headers in every language), and where they stand after a sentence
    (notes.InlineLabel). Made once per Config (it is immutable)."""
    cached = config.__dict__.get("_log_sm_words")
    if cached is not None:
        return cached
    spec = config.section("summaries")
    written = [*((spec["items"].get("sm") or {}).get("labels") or {}).values(),
               *(config.section("headers").get("manager") or {}).values()]
    words = item_labels(spec, "sm") | frozenset(filter(None, map(normalize_word, written)))
    cached = config.__dict__["_log_sm_words"] = (words, InlineLabel(written))
    return cached


def _sm_name(text: str, words: frozenset[str], inline: InlineLabel | None = None) -> str:
    """The SM the notes name on a line of their own ("SM: Olga"), else after a sentence
    ("Client keen, will send CVs. SM: Olga": only then looked for, so a row in the format
    pays nothing more): the name alone, without a tail after a comma, ";", bracket or a
    spaced dash ("SM: Olga Ivanova, Sales" is Olga's digest; "SM: Olga – Next Step: CVs")."""
    name = last_value(text, words) or (inline.last_value(text) if inline is not None else "")
    return _NAME_TAIL.split(name, maxsplit=1)[0].strip().rstrip(".。") if name else ""


# Where a name ends: a comma, ";", a bracket (one way or the other), a dash between spaces,
# a sentence's end ("SM: Olga. Client to decide by Friday"; not an initial's, "O. Ivanova",
# nor a title's: "Mr. Chen", "Jo Ann St. Clair").
_TITLES = ("Mr", "Mrs", "Ms", "Mx", "Dr", "St", "Prof")   # (not Jr: it ends a name, and often its sentence)
_NAME_TAIL = re.compile(r"\s*[,;，；、(（)）。！？]|\s[–—-]\s|(?<=\w\w)"
                        + "".join(rf"(?<!\b{t})" for t in _TITLES) + r"[.!?](?:\s|$)")


def _derive_columns(attr: dict[str, list[Any]], texts: dict[str, list[str]], n: int,
                    has_time_column: bool) -> None:
    """Attributes that come from more than one cell, or from part of one."""
    dates = attr.get("date")
    if dates is not None and datetime in set(map(type, dates)):   # (a generator: 5x slower)
        # A datetime cell carries the time too; a separate Time column wins when filled.
        times = attr.get("time") or [None] * n
        attr["time"] = [t if t is not None else (d.time() if d.__class__ is datetime else None)
                        for d, t in zip(dates, times)]
        attr["date"] = [d.date() if d.__class__ is datetime else d for d in dates]
    if "call_type" in texts:
        attr["call_type_raw"] = texts["call_type"]
    nc = attr.get("next_contact")
    if nc is not None:
        attr["next_contact_raw"] = [v if v.__class__ is str else "" for v in nc]
        attr["next_contact"] = [None if v.__class__ is str else v for v in nc]


# The call types whose standard comment gives the next contact ("Next Contact Date:", the
# first call's), and a row whose call type was not read: where `check` looks for it.
_NOTED_TYPES = frozenset(("first_call", None))


def _noted_next_contacts(texts: dict[str, list[str]], types: list[Any] | None, parse: Parser, config: Config,
                         letter: str, excel_rows: list[int], sheet: str) -> list[Problem]:
    """The next contact a first call's notes give ("Next Contact Date: 31.11.2026", its
    standard comment's item), where its Next contact cell is blank (followups read it
    there), when it is no date, no words counting from the call, no plan: said as such a
    Next contact cell is, naming the notes' cell, else the row silently has no next action.
    The first calls only: every row's notes looked through cost 70 ms at 100 000 rows of
    400 characters, a twentieth of the whole read; a first call's are a few of them."""
    notes = texts["notes"]
    own = texts.get("next_contact")
    rows = range(len(notes)) if types is None else compress(count(), map(_NOTED_TYPES.__contains__, types))
    rows = [i for i in rows if notes[i] and (own is None or not own[i])]
    if not rows:
        return []
    # Their notes at once, each line after a line break: one search of them all finds the
    # few lines that may be a next contact's; key_value says which are.
    parts = [notes[i] for i in rows]
    big = "\n" + "\n".join(parts)
    found_lines = list(_noted_next_pattern(config).finditer(big))
    if not found_lines:
        return []
    starts = list(accumulate(map(len, parts), lambda a, b: a + b + 1, initial=1))
    words = config.column_words
    out: list[Problem] = []
    said: set[int] = set()
    for m in found_lines:
        k = bisect_right(starts, m.start() + 1) - 1   # the note (index in `parts`) of the line
        if k in said:
            continue
        end = big.find("\n", m.start() + 1)
        line = big[m.start() + 1:end if end >= 0 else None]
        found = key_value(line)
        if found is None or words.get(found[0]) != "next_contact" or not found[1]:
            continue
        said.add(k)   # the first such line is the one read (followups: parse_key_values)
        message = parse(found[1])[2]
        if message is not None and message.__class__ is not LookAt:
            out.append(Problem(sheet, excel_rows[rows[k]], letter, _short(line.strip()),
                               f"the next contact in the notes is {message}"))
    return out


def _noted_next_pattern(config: Config) -> re.Pattern:
    """A line break, then a header word of the next contact, in any case and spacing (a
    list number or 【 before it): the lines _noted_next_contacts looks at.
    Made once per Config (it is immutable)."""
    cached = config.__dict__.get("_log_noted_next")
    if cached is not None:
        return cached
    written = [str(w) for w in config.section("columns").get("next_contact") or ()]
    written += [str(w) for w in (config.section("headers").get("next_contact") or {}).values()]
    # Grouped by their first letter, and a lookahead ruling out in one step a line no such
    # word can start: a line's start is looked at in a tenth of the time.
    by_first: dict[str, list[str]] = {}
    for w in sorted({w.strip().casefold() for w in written if w.strip()}, key=len, reverse=True):
        by_first.setdefault(w[0], []).append(r"[\s\W_]*".join(map(re.escape, w.split()))[len(re.escape(w[0])):])
    alternatives = "|".join(f"{re.escape(c)}(?:{'|'.join(rest)})" for c, rest in by_first.items())
    first = "".join(sorted({re.escape(c) for c in by_first} | {re.escape(c.upper()) for c in by_first}))
    pattern = re.compile(rf"\n[^\S\n]*(?=[{first}]|\d{{1,2}}[.)、．）]|[(（【])(?:[(（]?\d{{1,2}}[.)、．）]\s*|【)?"
                         rf"(?i:{alternatives})")
    config.__dict__["_log_noted_next"] = pattern
    return pattern



# Record attributes the reader leaves to _RowSource until first used (model.DEFERRED);
# the candidates column is read as text here and split into people there.
_DEFERRED_FIELDS = frozenset(("candidates",))
assert _DEFERRED_FIELDS <= set(DEFERRED) and not _DEFERRED_FIELDS & set(_ATTRS)


# A column is put into every record at once (7 ms at 100 000 rows) after this many
# records asked for it one by one (0.5 us each): an engine that reads a column on a
# thousand rows, the open ones, does not pay for the other 99 000.
_FILL_AFTER = 4000


# Types no value of which equals a value of another of them (1 == 1.0 == True would).
_REPR_BY_VALUE = frozenset((type(None), str, date, datetime, time))


def _reprs(values: list[Any]) -> list[str]:
    """`values` as texts that tell their types apart (a column of texts as it is)."""
    types = set(map(type, values))
    if types == {str}:
        return values
    if types <= _REPR_BY_VALUE:
        distinct = set(values)
        # Each distinct date or time made into text once: 0.06 s less at 100 000 rows
        # for the date, time and next-contact columns (a few thousand distinct values).
        # Not with time zones: 10:00+01:00 equals 09:00+00:00, and their texts differ.
        if not any(getattr(v, "tzinfo", None) for v in distinct):
            return list(map({v: repr(v) for v in distinct}.__getitem__, values))
    return list(map(repr, values))


class _RowSource:
    """The columns of one sheet as read: the records' attributes come from here on
    first use (model._Column), and their deferred ones are worked out from here
    (model._Deferred): candidates, language, field texts."""

    def __init__(self, texts: dict[str, list[str]], languages: list[str] | None, lang: str, han: str):
        self.texts = texts
        self.languages = languages   # the Language column's ids ("" where blank or unknown)
        self.lang, self.han = lang, han
        self._candidate_texts = texts.get("candidates")
        self._people: dict[str, tuple[Person, ...]] = {}
        # The column's two-word names, surnames and given names (_surname_first_here):
        # worked out when a cell is "Petrov, Ivan" alone.
        self._names: tuple[set[frozenset[str]], set[str], set[str]] | None = None
        self._scripts: dict[str, str | None] = {}
        self._columns: dict[str, list[Any]] = {}
        self._constants: dict[str, Any] = {}
        self._dicts: list[dict[str, Any]] = []
        self._kept: list[bool] | None = None
        self._asked: dict[str, int] = {}

    def hold(self, columns: dict[str, list[Any]], constants: dict[str, Any],
             dicts: list[dict[str, Any]], kept: list[bool] | None) -> None:
        """The attribute values by column (one per row read), those the same on every
        row, the records' __dicts__, and which rows have a record (None: all)."""
        self._columns, self._constants, self._dicts, self._kept = columns, constants, dicts, kept

    def value(self, name: str, default: Any, i: int, d: dict[str, Any]) -> Any:
        """Attribute `name` of the record of row `i`, whose __dict__ is `d` (model._Column):
        its column's value, else its value on every row, else `default`. Kept in `d`;
        from the _FILL_AFTER-th record that asks, the column goes into every record."""
        asked = self._asked[name] = self._asked.get(name, 0) + 1
        if asked > _FILL_AFTER:
            self._fill(name, default)
            return d[name]
        column = self._columns.get(name)
        value = d[name] = column[i] if column is not None else self._on_every_row(name, default)
        return value

    def column(self, name: str, records: list[CallRecord]) -> list[Any] | None:
        """Attribute `name` of each of `records` as read, when they are the records this
        source made, all of them in order, and it has that column (or the sheet's value
        for it); else None (CallLog.column_as_read)."""
        if not self._made(records):
            return None
        values = self._columns.get(name)
        if values is None:
            return [self._constants[name]] * len(records) if name in self._constants else None
        return self._taken(values)

    def text_column(self, name: str, records: list[CallRecord]) -> list[str] | None:
        """The text of field `name` on each of `records`, "" where it has none, on the
        terms of `column` (CallLog.texts_as_read)."""
        if not self._made(records):
            return None
        values = self.texts.get(name)
        return [""] * len(records) if values is None else self._taken(values)

    def _made(self, records: list[CallRecord]) -> bool:
        """Whether `records` are the records this source made, all of them, in order."""
        dicts = self._dicts
        return len(records) == len(dicts) and not (records and (records[0].__dict__ is not dicts[0]
                                                                or records[-1].__dict__ is not dicts[-1]))

    def _taken(self, values: list[Any]) -> list[Any]:
        """A column's values of the rows that have a record."""
        return list(values if self._kept is None else compress(values, self._kept))

    def fingerprints(self, leave_out: frozenset[str] = frozenset()) -> list[bytes]:
        """A digest of everything this source gives each record, in record order: every
        field's text, every typed value, the user's own columns, the row; but the
        fields and attributes named in `leave_out`. Two records with the same digest
        were read from cells that read the same (tracker.memo)."""
        texts = [col for f, col in self.texts.items() if f not in leave_out]
        # Attributes that are a field's texts (the same list) are in `texts` already. A
        # value's repr tells its type (5 from "5", a date from a datetime); a column of
        # texts needs none: no cell holds a NUL, so NULs between them are unambiguous.
        seen = {id(col) for col in self.texts.values()}
        typed = [_reprs(col) for name, col in self._columns.items() if id(col) not in seen and name not in leave_out]
        if self.languages is not None:
            typed.append(self.languages)
        n = len(self._columns["row"])
        rows = map("\0".join, zip(*texts, *typed)) if texts or typed else repeat("", n)
        digest = hashlib.blake2b
        prints = [digest(utf8(row), digest_size=16).digest() for row in rows]
        return prints if self._kept is None else list(compress(prints, self._kept))

    def _fill(self, name: str, default: Any) -> None:
        """Attribute `name` put into every record's __dict__ where not set already."""
        values = self._columns.get(name)   # kept: `column` reads it as read
        if values is None:
            values = repeat(self._on_every_row(name, default))
        elif self._kept is not None:
            values = compress(values, self._kept)
        deque(map(dict.setdefault, self._dicts, repeat(name), values), maxlen=0)

    def _on_every_row(self, name: str, default: Any) -> Any:
        """The value of an attribute no column gives: the sheet's, else the default."""
        if name in self._constants:
            return self._constants[name]
        if default is MISSING:
            raise AttributeError(name)
        return default

    # One method per deferred attribute, named after it: row index -> value.

    def fields(self, i: int) -> dict[str, str]:
        """field -> text, for the fields that have one."""
        return {f: t for f, col in self.texts.items() if (t := col[i])}

    def field_text(self, name: str, i: int) -> str:
        """fields(i).get(name, ""), without the dict."""
        col = self.texts.get(name)
        return col[i] if col is not None else ""

    def candidates(self, i: int) -> list[Person]:
        text = self._candidate_texts[i] if self._candidate_texts is not None else ""
        if not text:
            return []
        people = self._people.get(text)
        if people is None:
            found = parse_candidates(text)
            if len(found) == 2 and "," in text:
                pair = re.fullmatch(_LONE_PAIR, text)
                if pair is not None and self._surname_first_here(*pair.groups()):
                    name = f"{pair.group(1)}, {pair.group(2)}"
                    found = [_PEOPLE_CACHE.get((name, "")) or _person(name, "")]
            people = self._people[text] = tuple(found)
        return list(people)

    def _surname_first_here(self, first: str, second: str) -> bool:
        """Whether a cell holding only "Petrov, Ivan" is one person written surname
        first, by the column's other cells (the cell alone cannot say: "Anna, Boris" is
        two): the same two words name one person elsewhere ("Ivan Petrov (E1)"); or the
        column writes names surname first where it is certain ("Li, Anna; Orlov, Oleg"),
        never names anyone by one word, as a list of first names would, and has neither
        `first` as a given name of those ("Anna, Ivan": two) nor `second` as a surname."""
        if self._names is None:
            whole: set[frozenset[str]] = set()
            surnames: set[str] = set()
            given: set[str] = set()
            one_word = False
            for text in set(self._candidate_texts):
                if not text or re.fullmatch(_LONE_PAIR, text):
                    continue   # the cells in question are no evidence for one another
                people = self._people.get(text)
                if people is None:
                    people = self._people[text] = tuple(parse_candidates(text))
                for p in people:
                    name = re.sub(_EMAIL_AFTER, "", p.name).casefold()
                    words = name.replace(",", " ").split()
                    if len(words) == 1:
                        one_word = True
                    elif len(words) == 2:
                        whole.add(frozenset(words))
                    if "," in name:   # one person for certain (parse_candidates)
                        surname, _, rest = name.partition(",")
                        surnames.add(surname.strip())
                        given.add(rest.strip())
            self._names = (whole, surnames if not one_word else set(), given)
        whole, surnames, given = self._names
        first, second = first.casefold(), second.casefold()
        if frozenset((first, second)) in whole:
            return True
        return bool(surnames) and first not in given and second not in surnames

    def language(self, i: int) -> str:
        """The Language column's value, else the script of the row's own words
        (_FREE_TEXT_FIELDS, then _NAME_FIELDS, then _LISTED_FIELDS), else the language
        of the headers. A Latin jotting ("CV sent") in a log not headed in English is
        passed over (_jotting). Among the names, Han without kana is Chinese (in a log not
        headed in Japanese) unless another name of the row has kana: 高橋健 of 株式会社サクラ."""
        if self.languages is not None and self.languages[i]:
            return self.languages[i]
        texts, han = self.texts, self.han
        for f in _FREE_TEXT_FIELDS:   # a call's own words rarely repeat: not worth keeping
            col = texts.get(f)
            if col is not None and col[i] and (found := script_language(col[i], han)):
                if found == "en" and self.lang != "en" and _jotting(col[i]):
                    continue
                return found
        han_only = latin = None
        for f in _NAME_FIELDS:
            found = self._script(f, i)
            if found == "en":
                latin = found
            elif found == "zh":
                han_only = han_only or found
            elif found and (han_only is None or found == "ja"):
                return found
        if han_only or latin:
            return han_only or latin
        for f in _LISTED_FIELDS:
            if found := self._script(f, i):
                return found
        return self.lang

    def _script(self, field: str, i: int) -> str | None:
        """script_language of the text of `field` on row `i`, kept by text (names and
        list values repeat down a log)."""
        col = self.texts.get(field)
        text = col[i] if col is not None else ""
        if not text:
            return None
        found = self._scripts.get(text, "?")
        if found == "?":
            found = self._scripts[text] = script_language(text, self.han)
        return found


# A Latin text of this many words or fewer is a jotting, not English prose: "CV sent",
# "no answer", "ok", "Called, no answer" in a Russian, Chinese or Japanese log is the
# trade's English or a clip of it, written by someone who writes to the contact in the
# log's language; it does not make the row English (its names, lists, then the log's
# language say). Four words and more ("Candidate confirmed by phone") are a sentence the
# consultant wrote in English, and the row is English, as it always was.
_JOTTING_WORDS = 3


def _jotting(text: str) -> bool:
    """Whether `text` is _JOTTING_WORDS words or fewer (split no further than that)."""
    return len(text.split(None, _JOTTING_WORDS)) <= _JOTTING_WORDS


def _extra_rows(columns: Mapping[int, Sequence[Any]], extra_cols: list[tuple[int, str]],
                excel_rows: list[int], sheet: str, problems: list[Problem], n: int,
                unread: set[int] = frozenset()) -> list[dict[str, Any]]:
    """Per row, the user's own columns that hold something: header -> value as read.
    Rows with an error value, a space-only text or a 0/FALSE (which the quick test
    drops) are looked at cell by cell; the rest are built at C speed. An error value is
    a problem only in a column some engine reads (not in `unread`)."""
    if not extra_cols:
        return [{} for _ in range(n)]
    names = [name for _, name in extra_cols]
    cols = [columns[c] for c, _ in extra_cols]
    careful: set[int] = set()
    for col in cols:
        try:
            distinct = set(col)
        except TypeError:
            careful.update(range(n))
            break
        odd = {v for v in distinct
               if v.__class__ is str and (not v.strip() and v or v.strip() in ERROR_VALUES)}
        if odd:
            careful.update(i for i, v in enumerate(col) if v.__class__ is str and v in odd)
    out = []
    append = out.append
    for i, tr in enumerate(zip(*cols)):
        if i in careful or 0 in tr:
            append(_extra_row_carefully(tr, extra_cols, excel_rows[i], sheet, problems, unread))
        else:
            append(dict(filter(_has_text, zip(names, tr))))
    return out


def _extra_row_carefully(values: Sequence[Any], extra_cols: list[tuple[int, str]], excel_row: int,
                         sheet: str, problems: list[Problem], unread: set[int]) -> dict[str, Any]:
    extra = {}
    for v, (c, name) in zip(values, extra_cols):
        if v is None or v.__class__ is str and not v.strip() or v == "":
            continue
        if v.__class__ is str and v.strip() in ERROR_VALUES:
            if c not in unread:
                problems.append(Problem(sheet, excel_row, column_letter(c), v.strip(), _error_message(v.strip())))
            continue
        extra[name] = v
    return extra


def _column_order(letter: str) -> int:
    n = 0
    for ch in letter:
        n = n * 26 + ord(ch) - 64
    return n


def _safe_text(value: Any) -> str:
    try:
        return _short(cell_text(value))
    except Exception:  # noqa: BLE001
        return ""


def _issue_map(issues: Iterable[Any], header_index: int) -> dict[tuple[int, int], Any]:
    """Issues on the header row and below, by (row, column)."""
    out: dict[tuple[int, int], Any] = {}
    for issue in issues or ():
        try:
            row, col = int(issue.row), int(issue.column)
        except (AttributeError, TypeError, ValueError):
            continue
        if row > header_index and col >= 0:   # 1-based row > 0-based header index
            out[(row, col)] = issue
    return out


def _last_issue_row(issue_cells: dict[tuple[int, int], Any]) -> int:
    return max((r for r, _ in issue_cells), default=0)


def _issue_problem(sheet: str, issue: Any) -> Problem:
    value = str(getattr(issue, "value", ""))
    if getattr(issue, "kind", "") == "error":
        return Problem(sheet, issue.row, column_letter(issue.column), _short(value), _error_message(value))
    return Problem(sheet, issue.row, column_letter(issue.column), _short(value),
                   "formula without a computed value: open and save the file in Excel")


# ============================================================ workbook -> CallLog

def _is_owned(name: str) -> bool:
    return normalize_word(name) in OWNED_SHEETS


def _sheet_names(book: Any) -> list[str]:
    # tracker.files.Book has a list; the Excel adapters (tracker.excel.book) a method.
    names = book.sheet_names
    return list(names() if callable(names) else names)


def _top_rows(book: Any, name: str) -> list[list[Any]]:
    if hasattr(book, "grid"):
        return book.grid(name, HEADER_SCAN_ROWS)
    return list(book.read_grid(name))[:HEADER_SCAN_ROWS]


def _has_data(book: Any, name: str) -> bool:
    grid = book.grid(name) if hasattr(book, "grid") else book.read_grid(name)
    return any(not _is_blank(v) for row in grid for v in row)


def other_log_sheets(book: Any, config: Config, read: str) -> list[str]:
    """The sheets of `book` but `read` (not one Call Tracker writes) whose header is as
    sure a log's as `find_log_sheet` needs to take a sheet: that took the first of them,
    and nothing else would tell that "Calls 2026" was passed over for "Calls 2025"."""
    out = []
    for name in _sheet_names(book):
        if name != read and not _is_owned(name):
            top = _top_rows(book, name)
            header = find_header(top, config)
            if header is not None and len(header.fields) >= _SURE_HEADER_FIELDS \
                    and not _copy_of_ours(book, name, top, header, config):
                out.append(name)
    return out


def _copy_of_ours(book: Any, name: str, top: list[list[Any]], header: HeaderMatch, config: Config) -> bool:
    """Whether the sheet is a copy of one Call Tracker writes, kept under another name
    ("Chase 19 Nov"): its header row holds our sheets' last two columns, the message draft
    and the log's row (no log has both; a column the user added after them kept), or its
    page header carries our mark (a copy made with Excel's Move or Copy keeps it;
    Book.carries_mark). Its header names enough of a log's columns to be taken for one,
    and refresh would write into it."""
    row = {normalize_word(cell_text(v)) for v in top[header.row] if not _is_blank(v)}
    heads = config.data.get("sheet_headers") or {}
    message, at = heads.get("message") or {}, heads.get("row") or {}
    if any({normalize_word(message[lang]), normalize_word(at[lang])} <= row for lang in message if lang in at):
        return True
    marked = getattr(book, "carries_mark", None)   # tracker.files.Book; not the Excel adapters
    return marked is not None and marked(name)


def find_log_sheet(book: Any, config: Config, sheet: str | None = None) -> str:
    """The sheet that holds the log: `sheet` (--sheet), else config `sheet`, else the
    first sheet (not one Call Tracker writes) whose header is recognisable, else the
    first such sheet at all (its CallLog then reports the missing header).

    `book` is a tracker.files.Book or anything with `sheet_names` and `read_grid`.
    WorkbookError when the named sheet does not exist or no sheet holds anything.
    """
    names = _sheet_names(book)
    path = getattr(book, "path", "")
    wanted = str(sheet or config.data.get("sheet") or "").strip()
    if wanted:
        folded = {n.casefold().strip(): n for n in names}
        name = wanted if wanted in names else folded.get(wanted.casefold())
        listed = ", ".join(f'"{n}"' for n in names)
        if name is None:
            raise WorkbookError(f'{path}: there is no sheet "{wanted}" (sheets: {listed})')
        if _is_owned(name):
            # Read as a log, `refresh` would write its columns into our lists or output.
            raise WorkbookError(f'{path}: sheet "{name}" is one Call Tracker writes, not a call log; '
                                f"name the sheet your calls are on (sheets: {listed})")
        return name
    if not names:
        raise WorkbookError(f"{path}: the workbook has no sheets")
    candidates = [n for n in names if not _is_owned(n)] or names
    any_data = False
    weak: tuple[int, str] | None = None   # the best header of a few fields seen so far
    copies: list[str] = []
    for name in candidates:
        top = _top_rows(book, name)
        header = find_header(top, config)
        if header is not None:
            if _copy_of_ours(book, name, top, header, config):
                copies.append(name)
                continue
            if len(header.fields) >= _SURE_HEADER_FIELDS:
                return name
            if weak is None or len(header.fields) > weak[0]:
                weak = (len(header.fields), name)
        if not any_data and any(not _is_blank(v) for row in top for v in row):
            any_data = True
    if weak is not None:
        return weak[1]
    rest = [n for n in candidates if n not in copies]
    if not rest:
        listed = ", ".join(f'"{n}"' for n in copies)
        raise WorkbookError(f"{path}: no call log found: the sheet{'s' if len(copies) > 1 else ''} {listed} "
                            f"{'are copies' if len(copies) > 1 else 'is a copy'} of the sheets Call Tracker "
                            "writes (its chase list or reminders), not a call log")
    if not any_data and not any(_has_data(book, n) for n in rest):
        raise WorkbookError(f"{path}: the workbook is empty (no call log on any sheet)")
    return rest[0]


# A header naming this many fields is the log's; one naming fewer ("Date | Client" on a
# cover sheet) is taken only when no later sheet names more. Each sheet looked at is read
# whole, so a workbook whose log comes first costs one sheet (but to `other_log_sheets`,
# which reads every sheet: check and refresh only ask it).
_SURE_HEADER_FIELDS = 4


# Set by the console script (tracker.cli.run), which ends the process with os._exit:
# the workbook read last is then kept here to the end instead of being freed cell by
# cell (its grid and calamine's copy of the sheet: 0.12 s at 100 000 rows). The last
# one only, so a command reading many files holds one at a time.
keep_last_book: list | None = None


def read_log(path: str, config: Config, sheet: str | None = None) -> CallLog:
    """The call log in the workbook file at `path` (WorkbookError when the file cannot
    be read; problems in the cells are in CallLog.problems)."""
    from .files import open_book  # the grid reader above stays usable without calamine

    book = open_book(path)
    # Looking for the cells calamine shows blank (Book.cell_issues) means decompressing
    # the sheet's XML a second time: it is done on the other core while calamine parses
    # the sheet (calamine releases the GIL), on the sheet the log is most likely on.
    names = _sheet_names(book)
    likely = str(sheet or config.data.get("sheet") or "").strip() or next(
        (n for n in names if not _is_owned(n)), None)
    scan = _in_background(_issues_then_templates, book, likely) if likely in names else None
    name = find_log_sheet(book, config, sheet)
    with collector_paused():
        grid = fill_merged(book.grid(name), book.merged_down(name))
        issues = scan() if scan and name == likely else book.cell_issues(name)
        log = parse_grid(grid, name, config, str(path), issues=issues, tables=book.tables(name))
        log.protected = book.protected(name)
        # What was just read lives until the command ends and holds no cycles: left in
        # the collector's generations, the grid and the records would be walked by the
        # next collections, the first one as soon as the collector is back (0.2 s at
        # 100 000 rows). Frozen, they are out of its way.
        gc.freeze()
    if keep_last_book is not None:
        keep_last_book[:] = [book, grid]
    return log


def _issues_then_templates(book: Any, sheet: str) -> Any:
    """Book.cell_issues of `sheet`, then jinja2 imported (render.preload): both beside
    calamine's parse of the sheet, which takes far longer; each command says its lines
    through templates after the read."""
    from .render import preload

    issues = book.cell_issues(sheet)
    preload()
    return issues


def _in_background(work: Callable[..., Any], *args: Any) -> Callable[[], Any]:
    """Start work(*args) in a thread; the function returned waits for its result (or
    raises its exception)."""
    out: dict[str, Any] = {}

    def run() -> None:
        try:
            out["value"] = work(*args)
        except BaseException as exc:  # noqa: BLE001 - handed to the caller
            out["error"] = exc

    thread = threading.Thread(target=run, daemon=True)
    thread.start()

    def result() -> Any:
        thread.join()
        if "error" in out:
            raise out["error"]
        return out["value"]
    return result


def fill_merged(grid: list[list[Any]], ranges: Iterable[tuple[int, int, int]]) -> list[list[Any]]:
    """The grid with each cell merged down a column (column, first row, last row;
    0-based) holding the merged value in every row, as a person reads it: one date
    merged over a day's calls dates each of them. The rows given are not changed."""
    ranges = list(ranges)
    if not ranges:
        return grid
    out = list(grid)
    copied: set[int] = set()
    for col, first, last in ranges:
        if first >= len(out) or col >= len(out[first]):
            continue
        value = out[first][col]
        for r in range(first + 1, min(last, len(out) - 1) + 1):
            if r not in copied:
                out[r] = list(out[r])
                copied.add(r)
            row = out[r]
            if col >= len(row):
                row.extend([""] * (col + 1 - len(row)))
            if row[col] is None or row[col] == "":
                row[col] = value
    return out
