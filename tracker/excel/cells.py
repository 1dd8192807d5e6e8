"""What the cell functions compute, without xlwings: a table in, one column out.

Kept apart from udfs.py so it runs and is tested where there is no Excel, and so the
cell functions give exactly what `tracker refresh` writes into the same columns.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from ..collector import collector_paused

TABLE_SHEET = "(table)"


@dataclass(eq=False)
class Recalc:
    """What the cell functions worked out from the last table they were given.

    Excel recalculates every cell function that reads a table when one of its cells
    changes, and each is handed the whole table. Without this, a 100 000-row log was read
    four times per recalculation (1.2 s each), its follow-ups worked out three times, and
    every summary made again for one edited cell (7 s). The xlwings UDF server is one
    long-lived process, so this is kept between calls: one table's worth per sheet.
    """

    table: list | None = None    # as read: merged cells filled down
    given: list | None = None    # as given
    merged: list = field(default_factory=list)   # its cells merged down a column (Book.merged_down)
    context: tuple = ()          # (workbook, configuration): what else the read depends on
    log: Any = None              # tracker.model.CallLog of `table`
    followups: dict = field(default_factory=dict)   # now -> that log's follow-ups
    summaries: dict = field(default_factory=dict)   # (lang, header row) -> (the table, {row: its summary})

    def log_of(self, rows: list, config, book_path: str | None, merged=None):
        """The log of `rows`. `merged(header_row, before)`, when given, says which of its
        cells are merged down a column below the header row (0-based; Book.merged_down),
        `before` being what it said of the same values last time (None: other values):
        each of their rows then reads the merged value, as the file reader reads it."""
        from ..log import fill_merged, find_header, parse_grid

        context = (book_path, config)
        if context != self.context:
            self.summaries = {}   # made with another configuration
        same = context == self.context and rows == self.given
        spans = []
        if merged is not None:
            if same:
                below = self.log.header_row - 1
            else:
                header = find_header(rows, config)
                below = header.row if header is not None else -1
            if below >= 0:   # (a title merged above the header is no date)
                spans = merged(below, self.merged if same else None)
        if not same or spans != self.merged:
            table = fill_merged(rows, spans)
            log = parse_grid(table, TABLE_SHEET, config, path=book_path or "")
            self.given, self.table, self.merged, self.context, self.log, self.followups = (
                rows, table, spans, context, log, {})
        return self.log

    def followups_at(self, config, now: datetime):
        from .. import jobs

        if now not in self.followups:
            self.followups = {now: jobs.followup_list(self.log, config, now)}
        return self.followups[now]

    def summary_texts(self, config, now: datetime, lang: str | None) -> dict[int, str]:
        """Excel row -> summary of the table `log_of` was last given, made again only for
        the rows whose cells changed. A summary depends on nothing of the sheet but its
        own row and the header, which gives the sheet its language (tracker.memo relies on
        the same)."""
        from .. import jobs

        log, rows, h = self.log, self.table, self.log.header_row
        sheet = (lang, h)
        before, known = self.summaries.get(sheet, ([], {}))
        if before[h - 1:h] != rows[h - 1:h]:   # another header: every row may read differently
            known = {}
        calls = {r.row for r in log.records}
        todo = {row for row in calls if row not in known or before[row - 1] != rows[row - 1]}
        # Only rows that still hold a call: a row cleared, or cut off the table's end, has none.
        texts = {row: text for row, text in known.items() if row in calls and row not in todo}
        texts.update(jobs.written_values(log, config, now, fields=("summary",), lang=lang, rows=todo)["summary"])
        self.summaries = {sheet: (rows, texts)}   # this table's only: one sheet's worth, however many edits
        return texts


# The UDF server's, between recalculations: one table per sheet of the calling cells,
# for the few sheets used last (a full recalculation goes through every open workbook's
# tables, and a workbook may keep one log per year on its own sheet).
_KEPT: dict[tuple[str | None, str | None], Recalc] = {}
_TABLES_KEPT = 3


def kept_for(book_path: str | None, sheet: str | None = None) -> Recalc:
    key = (book_path, sheet)
    recalc = _KEPT.pop(key, None) or Recalc()
    _KEPT[key] = recalc   # the one used last goes last; the first is the one to let go
    while len(_KEPT) > _TABLES_KEPT:
        del _KEPT[next(iter(_KEPT))]
    return recalc


def column(table, what: str, *, as_of: Any = None, lang: str | None = None,
           book_path: str | None = None, sheet: str | None = None, config=None,
           now: datetime | None = None, recalc: Recalc | None = None, date1904: bool = False,
           row: Any = None, merged=None) -> list[list[Any]]:
    """One value per row of `table` (header row first), for the field `what`: status,
    due, next_action or summary; `sheet` is the calling cells' sheet, where what was
    worked out is kept; `date1904`: the workbook counts its serial numbers from 1904;
    `row`: the one row of the table wanted (its first is 1), whose cell says why a call
    there has no summary where the column leaves it blank, as `tracker refresh` does;
    `merged`: the table's cells merged down a column (Recalc.log_of).
    Errors come back as one text cell, never a traceback."""
    recalc = kept_for(book_path, sheet) if recalc is None else recalc
    if date1904 and type(as_of) in (int, float) and 0 <= as_of < _SERIAL_1900_END - _DAYS_1900_TO_1904:
        as_of += _DAYS_1900_TO_1904   # a serial as_of (NOW()): the reader counts from 1900
    with collector_paused():   # a big table's every cell is alive: a collector's pass walks them all
        return _column(table, what, as_of, lang, book_path, config, now, recalc, row, merged)


# How near this computer's clock a date-time from a cell must be to be taken for NOW():
# the value NOW() gave when the recalculation began, however long the table took. Less than
# 15 minutes, the least by which two time zones' clocks differ (Nepal's and India's): the
# workbook's own "now", typed in a cell, is never within it when the zones differ.
_NOW_WITHIN = timedelta(minutes=10)


def _clock() -> datetime:
    """This computer's clock, in its own zone: NOW() in a cell gives its wall-clock reading."""
    return datetime.now().astimezone()


# Serial 0 of the 1904 date system is serial 1462 of the 1900 one; 2958466 is the day
# after 9999-12-31 in the 1900 system.
_DAYS_1900_TO_1904 = 1462
_SERIAL_1900_END = 2958466


def _column(table, what: str, as_of: Any, lang: str | None, book_path: str | None, config,
            now: datetime | None, recalc: Recalc, row: Any = None, merged=None) -> list[list[Any]]:
    from .. import jobs
    from ..errors import TrackerError
    from ..log import parse_date

    if table is None:   # what xlwings' "range" converter hands for a formula's array: no cells
        return _message("give the call log as cells of a sheet with its header row, e.g. Table1[#All] or "
                        "A1:V500, not a formula's result", [[None]])
    rows = [list(r) if isinstance(r, (list, tuple)) else [r] for r in table]
    try:
        lang = _language(lang)
        config = config or jobs.config_for(None, book_path)
        if now is None:
            given = parse_date(as_of, config) if as_of not in (None, "") else None
            clock = _clock()
            if isinstance(given, datetime) and given.tzinfo is None and not isinstance(as_of, str) \
                    and abs(given - clock.replace(tzinfo=None)) <= _NOW_WITHIN:
                # NOW() (or a cell holding it): this computer's wall clock, which may not be
                # the workbook's zone (`timezone`). Any other date-time, a date cell as much
                # as a text, is the workbook's wall clock, as every date in the log and
                # `--as-of` are: one date-time, one moment, whichever door.
                from ..config import computer_zone

                given = given.replace(tzinfo=computer_zone())
            # To the minute, as Excel shows it: the three columns of one recalculation
            # then share one working-out of the follow-ups.
            now = given if isinstance(given, datetime) else (
                datetime.combine(given, datetime.min.time()) if given
                else clock.replace(second=0, microsecond=0))
        log = recalc.log_of(rows, config, book_path, merged)
        if log.header_row < 1:   # the reader's one problem then: the headers it looked for
            if not any(str(v).strip() for r in rows for v in r if v is not None):
                return _message("the range given is empty; give the call log with its header row, "
                                "e.g. Table1[#All] or A1:V500", rows)
            # Said of the sheet it was read under, TABLE_SHEET, which no one has: a cell
            # function is given the range's values, not where they are. Most often the
            # range is a table given as Table1, which leaves its header row out.
            said = log.problems[0].message.replace(f'on sheet "{TABLE_SHEET}"', "in the range given")
            return _message(f"{said}; give the table with its header row: Table1[#All], not Table1", rows)
        unwritten = None
        if what == "summary":
            values = recalc.summary_texts(config, now, lang)
            if _a_row(row) and values.get(int(row)) is None:
                unwritten = _no_summary(log, config, int(row))
        else:
            values = jobs.written_values(log, config, now, fields=(what,), lang=lang,
                                         followups=recalc.followups_at(config, now))[what]
        header = config.header(what, log.language)
    except TrackerError as exc:
        return _message(str(exc), rows)
    out: list[list[Any]] = []
    for index in range(len(rows)):
        excel_row = index + 1
        if excel_row == log.header_row:
            out.append([header])
        else:
            out.append([values.get(excel_row)])
    if unwritten:
        out[int(row) - 1] = [f"{_MARK}{unwritten}"]
    return out


def _a_row(row: Any) -> bool:
    return not isinstance(row, bool) and isinstance(row, (int, float)) and float(row).is_integer() and row >= 1


def _no_summary(log, config, row: int) -> str | None:
    """Why the call on `row` has no summary: its call type is blank or one we do not
    know, as `tracker summary --row` and the Summary button say it (None for a row that
    holds no call: a formula filled down beside the table meets blank rows)."""
    from .. import jobs
    from ..errors import TrackerError

    if not any(r.row == row and not r.call_type for r in log.records):
        return None
    try:
        jobs.summaries(log, config, row=row)
    except TrackerError as exc:
        # "(table)!C29: call type ...": the range's own column and row, which are the
        # sheet's only for a table in A1; the calling cell is beside the row anyway.
        said = str(exc)
        return said.split(": ", 1)[1] if said.startswith(f"{TABLE_SHEET}!") else said
    return None


def _language(lang: Any) -> str | None:
    """A cell's `lang` argument: "RU" is Russian; a language we have no words for is an
    error, not English in its place."""
    from ..config import LANGUAGES
    from ..errors import TrackerError

    if lang is None or str(lang).strip() == "":
        return None
    code = str(lang).strip().lower()
    if code not in LANGUAGES:
        raise TrackerError(f"lang must be one of {', '.join(LANGUAGES)}, not {lang!r}")
    return code


def _message(text: str, rows: list) -> list[list[Any]]:
    """What went wrong, in the first cell of the column, which keeps the table's length."""
    return [[f"{_MARK}{text}"]] + [[None] for _ in rows[1:]]


_MARK = "#CallTracker: "

# What a cell function can hand Excel. xlwings' VBA wrapper returns what Python gave as a
# Variant; Excel makes a Variant array that holds any text over 255 characters #VALUE!, the
# whole of it (xlwings #456, #869), while one value alone (xlwings hands a 1x1 result to
# VBA as its one value) may be as long as a cell holds. Characters as Excel counts them:
# UTF-16 code units (an emoji is two).
ARRAY_TEXT_MAX = 255
CELL_TEXT_MAX = 32767
CUT = "…"   # ends a text cut to fit


def for_excel(out: list[list[Any]], row: Any = None) -> Any:
    """`column`'s answer as a cell function hands it to Excel. Without `row`, the column,
    each text cut to fit an array (254 characters and "…"), and an error's text spread
    down the column's cells; a column of one cell is its value alone, in full. With `row`
    (the table's row, counting its first as 1, as INDEX does): that row's value alone, its
    text in full, or the error's whole text."""
    first = out[0][0] if out and out[0] else None
    error = first if isinstance(first, str) and first.startswith(_MARK) else None
    if row is not None:
        if error:
            return _fit(error, CELL_TEXT_MAX)
        if isinstance(row, bool) or not isinstance(row, (int, float)) or not float(row).is_integer() \
                or not 1 <= row <= len(out):
            return _fit(f"{_MARK}row must be a row number of the table, 1 to {len(out)}, not {row!r}", CELL_TEXT_MAX)
        value = out[int(row) - 1][0]
        return _fit(value, CELL_TEXT_MAX) if isinstance(value, str) else value
    if len(out) == 1:
        return [[_fit(first, CELL_TEXT_MAX) if isinstance(first, str) else first]]
    if error:   # the whole message, read down the column, rather than its start alone
        pieces = _pieces(error, ARRAY_TEXT_MAX, len(out))
        return [[piece] for piece in pieces] + [[None] for _ in out[len(pieces):]]
    return [[_fit(v, ARRAY_TEXT_MAX) if isinstance(v, str) else v for v in r] for r in out]


def _units(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _head(text: str, units: int) -> str:
    """The longest start of `text` within `units` (never half an emoji)."""
    return text.encode("utf-16-le")[:2 * units].decode("utf-16-le", "ignore")


def _fit(text: str, limit: int) -> str:
    return text if _units(text) <= limit else _head(text, limit - 1) + CUT


def _pieces(text: str, limit: int, cells: int) -> list[str]:
    """`text` in at most `cells` pieces of at most `limit` units, each ending after a
    space where there is one; the last cut to fit when they are too few."""
    pieces = []
    while text and len(pieces) < cells - 1 and _units(text) > limit:
        head = _head(text, limit)
        space = head.rfind(" ")
        piece = head[:space + 1] if space > limit // 2 else head
        pieces.append(piece)
        text = text[len(piece):]
    return pieces + [_fit(text, limit)] if text else pieces
