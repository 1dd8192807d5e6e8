"""The ribbon's one entry point: `dispatch(tag)`, called by the add-in's VBA through
RunPython with the clicked button's tag.

Each handler reads the call-log sheet as one block, runs the same jobs as the terminal,
writes back in blocks through the book adapter, and reports in a message box. Imports are
deferred: every click may start a fresh Python, so this module loads almost nothing.
"""
from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Callable

from .actions import ACTIONS

PROBLEMS_SHEET = "Problems"
STATUS = "Call Tracker"     # how the status bar's text starts while a button works
_LABELS = {a.tag: a.label for a in ACTIONS}


class _Context:
    """What a handler gets: the book, the configuration and the clock."""

    def __init__(self, book, config, now: datetime):
        self.book = book
        self.config = config
        self.now = now
        self._log = None
        self._grids: dict[str, list] = {}
        self.marks: dict[str, bool] = {}   # sheet -> whether its page header carries our mark
        self.drawn_over = False   # used_width put our columns right of a drawing over where they would go

    @property
    def sheet_as_read(self):
        """The log sheet as read, with or without its header row (Check shows why not)."""
        if self._log is None:
            from ..log import parse_grid

            sheet = self.log_sheet()
            self._log = parse_grid(self.grid(sheet), sheet, self.config, path=self.book.path,
                                   tables=self.book.tables(sheet))
        return self._log

    @property
    def log(self):
        """The call log; refused, as in a terminal, when its sheet has no call-log header
        row: else a button would write empty sheets and say all is done."""
        from .. import jobs
        from ..errors import TrackerError

        log = self.sheet_as_read
        if not jobs.has_header(log):
            raise TrackerError(jobs.no_header(log, _say(self, "check", what="see_why"), lang=log.language,
                                              config=self.config))
        return log

    @property
    def language(self) -> str:
        """The language the buttons speak: the log's, once it is read (as the terminal's
        lines); before that, the configured one."""
        return self._log.language if self._log is not None else self.config.language

    def grid(self, sheet: str):
        # Each sheet is read from Excel once per click, however often a handler looks; a
        # value merged down a column fills each of its rows, as the file reader reads it
        # (one date merged over a day's calls dates each of them).
        if sheet not in self._grids:
            from ..log import fill_merged, find_header

            grid = self.book.read_grid(sheet)
            header = find_header(grid, self.config)   # (a title merged above it is no date)
            if header is None:
                self._grids[sheet] = grid
            else:
                self._grids[sheet] = fill_merged(grid, self.book.merged_down(sheet, grid, header.row))
        return self._grids[sheet]

    def header(self, plan) -> list:
        """The plan's header row, from the grid the plan was made of: reading the sheet
        from Excel again would cost as much as the first read (seconds on a big log)."""
        return self.grid(plan.sheet)[plan.header_row - 1] if plan.header_row else []

    def used_width(self, plan) -> int:
        """The columns left of where our new columns go, decided as the file writer decides
        (writeback._rewrite), so that a workbook gets them in one place from either door:
        right of every column holding a value and of every note right of the header, then
        on past a drop-down of the user's, merged cells, or a chart, picture or shape where
        ours would fall (the refresh then says so, as the terminal's does). A cell
        only formatted does not count: a fill painted past the log (A2:AD9 over a log A:M)
        is in Excel's used range, and sent ours 17 columns away from the log, its filter
        and its sort. Where Excel cannot be asked (Excel for Mac; a book not in Excel), the
        used range as read: never over something of the user's. A log kept as an Excel
        table: in the table, or refused (_join_table)."""
        from ..config import normalize_word

        grid = self.grid(plan.sheet)
        header = self.header(plan)
        heads = [i + 1 for i, h in enumerate(header) if h is not None and str(h).strip()]
        first, last = (heads[0], heads[-1]) if heads else (0, 0)
        names = {normalize_word(h) for h in header if h is not None} - {""}
        added = [c for c in plan.columns if not names & {normalize_word(w) for w in (*c.match, c.header)}]
        n = len(added)
        if not n:   # ours are all there: the colour rules end where the header does, as the file's
            return last
        table = self._logs_table(plan, first)
        if table is not None:
            return self._join_table(plan, table, added)
        # (at C speed over each row's cells right of the last found so far: a 100 000-row
        # log read no wider than its header is not looked at)
        values = last
        for row in grid:
            if len(row) > values and row[values:].count(None) < len(row) - values:
                end = len(row)
                while row[end - 1] is None:
                    end -= 1
                values = end
        used: list[int] = []

        def free(start: int) -> int:
            try:
                return _free_columns(self.book.book.sheets[plan.sheet], start, n, first)
            except Exception:  # noqa: BLE001 - no Windows object model to ask: the used range
                if not used:
                    used.append(_used_range_width(grid, len(plan.columns)))
                return max(start, used[0] + 1)
        # Then right of a chart, picture or shape where ours would fall, as the file writer
        # steps over one (writeback._drawn_areas): under it they would be hidden.
        drawn = self.book.drawn_columns(plan.sheet, values)
        start = free(values + 1)
        while after := _drawn_after(drawn, start, start + n - 1):
            self.drawn_over = True
            start = free(after)
        return start - 1

    def _logs_table(self, plan, first: int) -> tuple[int, int, int, int, str] | None:
        """The Excel table that is the log (first and last row, first and last column,
        1-based; its name), as writeback._log_table finds it: on the header row, holding
        the header's first column (`first`)."""
        for i, (r0, r1, c0, c1, _) in enumerate(self.book.tables(plan.sheet)):
            if r0 == plan.header_row - 1 and c0 < first <= c1 + 1:
                names = self.book.table_names(plan.sheet)
                return r0 + 1, r1 + 1, c0 + 1, c1 + 1, names[i] if i < len(names) else ""
        return None

    def _join_table(self, plan, table: tuple[int, int, int, int, str], added: list) -> int:
        """The columns left of ours for a log kept as an Excel table: ours join it, right
        of its last column, as writeback._join_table decides, or are refused with its
        words, naming all that is in the way. Only the rows ours are written in count (the
        table's, and a call's typed below it): a total, note or drop-down of the user's
        under the table stays where it is, the table grown past it; beside it they would
        sort apart from their calls. Charts and pictures are not stepped over: in the
        table, ours go under one, as in the file."""
        from ..errors import TrackerError
        from ..log import cell_text
        from ..model import column_letter
        from ..writeback import table_in_the_way

        r0, r1, c0, c1, name = table
        rows = r0, max(r1, plan.last_data_row, *(max(c.values, default=0) for c in added))
        first, last = c1 + 1, c1 + len(added)
        grid = self.grid(plan.sheet)
        cells = []
        for r in range(rows[0] - 1, min(rows[1], len(grid))):   # (a slice of each row: cheap on a big log)
            part = grid[r][first - 1:last]
            if part.count(None) < len(part):
                cells += [(c, r + 1, text) for c, v in enumerate(part, first)
                          if v is not None and (text := cell_text(v))]
        try:
            noted, areas = _users_in(self.book.book.sheets[plan.sheet], rows, first, last)
        except Exception:  # noqa: BLE001 - no Windows object model to ask (Excel for Mac): the cells
            noted, areas = [], []
        if not cells and not noted and not areas:
            return c1
        raise TrackerError(table_in_the_way(
            name, f"{column_letter(c0 - 1)}{r0}:{column_letter(c1 - 1)}{r1}", [c.header for c in added],
            f"{column_letter(first - 1)}:{column_letter(last - 1)}", cells, noted, areas, sheet=plan.sheet))

    def log_sheet(self) -> str:
        """The active sheet when it holds a log (unless tracker.yaml names one), else the
        sheet the terminal would choose."""
        from ..config import normalize_word
        from ..log import OWNED_SHEETS, _copy_of_ours, find_header, find_log_sheet

        active = self.book.active_sheet()
        if not self.config.data.get("sheet") and normalize_word(active) not in OWNED_SHEETS:
            top = self.grid(active)[:40]
            header = find_header(top, self.config)
            # A kept copy of our Chase today ("Chase 19 Nov") is no log, open as it may be.
            if header is not None and not _copy_of_ours(_CachedBook(self), active, top, header, self.config):
                return active
        return find_log_sheet(_CachedBook(self), self.config)

    def may_be_ours(self, sheet: str) -> bool:
        """Whether the sheet's header row could be one of our sheets' kept with columns
        deleted, so that only its page header tells (Book.carries_mark): a header naming
        a column our sheets never have (the call's notes, outcome...) is a log's, and its
        page header is not read. Reading it is a question to the printer's driver, seconds
        on Windows with a network printer, on every click on the log."""
        from ..config import normalize_word
        from ..log import cell_text, find_header

        top = self.grid(sheet)[:40]
        header = find_header(top, self.config)
        if header is None or set(header.fields) <= _OUR_SHEETS_FIELDS:
            return True
        # (a column only ours have, under a user's configured header words: read all the same)
        ours = {normalize_word(w) for spec in (self.config.data.get("sheet_headers") or {}).values()
                for w in spec.values()}
        return any(normalize_word(cell_text(v)) in ours for v in top[header.row] if v is not None)


# The log fields the header rows of our Chase today and Reminders sheets are read as, in
# any language (a Japanese reminder's 日時 reads as a date): a header with any other is
# not one of theirs (tests/test_ribbon_lang_f.py checks the list against the sheets).
_OUR_SHEETS_FIELDS = frozenset({"due", "status", "contact", "client", "call_type", "next_action", "channel",
                                "date", "time"})


# Excel's XlCellType: cells with a drop-down (data validation), cells with a note
_ALL_VALIDATION, _NOTES = -4174, -4144
_MAX_ROWS = 1048576
_AREAS_ASKED = 500   # areas of drop-downs or notes read one by one (each a round trip to Excel)


def _free_columns(ws, start: int, n: int, log_first: int) -> int:
    """The first of `n` columns for ours on the xlwings sheet `ws`, from column `start` on,
    as the file writer chooses them: right of every note from `start` on
    (writeback._noted_after), then right of each drop-down starting right of the log's
    first column (`log_first`, its header's first), link and merged area that
    the n columns would fall on (writeback._users_after), unless it reaches the sheet's
    end. Windows' object model (Range.SpecialCells, Hyperlinks, MergeCells, MergeArea):
    a few questions whatever the log's size; raises where there is none (Excel for Mac)."""
    from ..model import MAX_COLUMNS

    cells = ws.api.Cells   # (first: where there is no such object model, nothing else is asked)
    for c0, c1 in _special_areas(ws.range((1, start), (_MAX_ROWS, MAX_COLUMNS)).api, _NOTES):
        start = max(start, c1 + 1)
    drop_downs = None   # the sheet's, read when one is where ours would go
    merges = True       # False past a merge to the sheet's end (not stepped over: a whole row's)
    while start + n - 1 <= MAX_COLUMNS:
        block = ws.range((1, start), (_MAX_ROWS, start + n - 1))
        after = 0
        if _special_areas(block.api, _ALL_VALIDATION, first_only=True):
            if drop_downs is None:
                drop_downs = _special_areas(cells, _ALL_VALIDATION)
            after = max((c1 + 1 for c0, c1 in drop_downs
                         if c0 > log_first and c0 < start + n and c1 >= start and c1 < MAX_COLUMNS - n), default=0)
        for link in block.api.Hyperlinks:   # (a link on an empty cell: its cell holds no value)
            c1 = link.Range.Column + link.Range.Columns.Count - 1
            if c1 < MAX_COLUMNS - n:
                after = max(after, c1 + 1)
        if merges and block.api.MergeCells is not False:
            c0, c1 = _merged_area(ws, start, start + n - 1)
            if c1 < MAX_COLUMNS - n:
                after = max(after, c1 + 1)
            else:
                merges = False
        if not after:
            break
        start = after
    return start


def _users_in(ws, rows: tuple[int, int], first: int, last: int) -> tuple[list, list]:
    """The notes, drop-downs, links and merged cells of the user's in rows `rows`
    (first, last) of columns `first`..`last` (1-based) of the xlwings sheet `ws`, as
    writeback._join_table lists them for writeback.in_the_way: notes as (column, row,
    cell), the others as (kind, area, first and last column, first and last row), the
    part of each in those cells. A few questions to Windows' object model; raises where
    there is none (Excel for Mac)."""
    from ..model import column_letter

    ws.api.Cells   # (first: where there is no such object model, nothing else is asked)
    block = ws.range((rows[0], first), (rows[1], last)).api

    def area(kind: str, c0: int, c1: int, r0: int, r1: int) -> tuple:
        ref = f"{column_letter(c0 - 1)}{r0}" + ("" if (c0, r0) == (c1, r1) else f":{column_letter(c1 - 1)}{r1}")
        return kind, ref, c0, c1, r0, r1

    def special(kind: int) -> list[tuple[int, int, int, int]]:
        found = block.SpecialCells   # (an AttributeError where the object model has none)
        try:
            found = found(kind).Areas
        except Exception:  # noqa: BLE001 - Excel's "No cells were found."
            return []
        return [_box(a) for a in list(found)[:_AREAS_ASKED]]

    noted = sorted((c, r, f"{column_letter(c - 1)}{r}") for c0, c1, r0, r1 in special(_NOTES)
                   for c in range(c0, c1 + 1) for r in range(r0, r1 + 1))
    areas = [area("dataValidation", *box) for box in special(_ALL_VALIDATION)]
    areas += [area("hyperlink", *_box(link.Range)) for link in block.Hyperlinks]
    if block.MergeCells is not False:   # (the first: moved, the next refresh names the next)
        areas.append(area("mergeCell", *_merged_box(ws, first, last, *rows)))
    return noted, areas


def _box(rng) -> tuple[int, int, int, int]:
    """The first and last column, first and last row of the COM range `rng`."""
    return rng.Column, rng.Column + rng.Columns.Count - 1, rng.Row, rng.Row + rng.Rows.Count - 1


def _special_areas(rng, kind: int, first_only: bool = False) -> list[tuple[int, int]]:
    """The columns (first, last) of each area of the cells of the COM range `rng` that are
    of `kind` (Range.SpecialCells); [] when there are none."""
    special = rng.SpecialCells   # (an AttributeError where the object model has none)
    try:
        found = special(kind)
    except Exception:  # noqa: BLE001 - Excel's "No cells were found."
        return []
    out = []
    for area in found.Areas:
        out.append((area.Column, area.Column + area.Columns.Count - 1))
        if first_only:
            break
        if len(out) > _AREAS_ASKED:
            raise ValueError("too many areas to ask Excel about one by one")
    return out


def _merged_area(ws, c0: int, c1: int) -> tuple[int, int]:
    """The columns (first, last) of a merged area reaching into columns c0..c1, which hold
    one (_merged_box)."""
    return _merged_box(ws, c0, c1)[:2]


def _merged_box(ws, c0: int, c1: int, r0: int = 1, r1: int = _MAX_ROWS) -> tuple[int, int, int, int]:
    """The columns and rows (first, last column, first, last row) of a merged area reaching
    into the cells of rows r0..r1, columns c0..c1, which hold one: halving the rows, then
    the columns, where Range.MergeCells says one is (about 20 questions), then its
    MergeArea."""
    while r0 < r1 or c0 < c1:
        if r0 < r1:
            mid = (r0 + r1) // 2
            if ws.range((r0, c0), (mid, c1)).api.MergeCells is not False:
                r1 = mid
            else:
                r0 = mid + 1
        else:
            mid = (c0 + c1) // 2
            if ws.range((r0, c0), (r0, mid)).api.MergeCells is not False:
                c1 = mid
            else:
                c0 = mid + 1
    return _box(ws.range((r0, c0)).api.MergeArea)


def _used_range_width(grid: list, ours: int) -> int:
    """The columns left of ours where Excel cannot be asked: the used range as read, but
    for a whole row formatted (no room for `ours` right of it), the columns holding a value."""
    from ..model import MAX_COLUMNS

    width = max(map(len, grid), default=0)
    if width <= MAX_COLUMNS - ours:
        return width
    width = 0
    for row in grid:
        end = len(row)
        while end > width and (row[end - 1] is None or row[end - 1] == ""):
            end -= 1
        width = max(width, end)
    return width


def _drawn_after(areas: list[tuple[int, int]], first: int, last: int) -> int:
    """0, or the first column right of every drawing (its first and last column) over
    columns `first`..`last`; one reaching the sheet's end is not stepped over (as
    writeback._areas_after)."""
    from ..model import MAX_COLUMNS

    return max((c1 + 1 for c0, c1 in areas if c0 <= last and c1 >= first and c1 < MAX_COLUMNS - (last - first + 1)),
               default=0)



class _CachedBook:
    """The book as log.find_log_sheet sees it, reading through the context's cache."""

    def __init__(self, ctx: _Context):
        self.path = ctx.book.path
        self._ctx = ctx

    def sheet_names(self) -> list[str]:
        return self._ctx.book.sheet_names()

    def carries_mark(self, sheet: str) -> bool:
        marks = self._ctx.marks   # (asked of the sheet in front, then again looking for the log)
        if sheet not in marks:
            marks[sheet] = self._ctx.may_be_ours(sheet) and self._ctx.book.carries_mark(sheet)
        return marks[sheet]

    def read_grid(self, sheet: str):
        return self._ctx.grid(sheet)


# ---------------------------------------------------------------- handlers

def _say(ctx: _Context, name: str, /, **context) -> str:
    """The ribbon's line `name` (templates/lines/ribbon_<name>) in the log's language:
    a Russian team's buttons answer in Russian, as its sheets are written."""
    from .. import jobs

    return jobs.line(ctx.config, f"ribbon_{name}", ctx.language, **context)


def _sentence(ctx: _Context, text: str) -> str:
    """A line a listing says after its output, as a sentence of the message box, after a
    newline ("" for none)."""
    return "\n" + _say(ctx, "sentence", text=text) if text else ""


def _refresh(ctx: _Context) -> str:
    from .. import jobs

    from ..config import user_cache_dir

    # Refused before a big log's work, as in a terminal: the log's sheet protected, or one of ours.
    ctx.book.check_writable(ctx.log.sheet)
    for name in jobs.our_sheet_names(ctx.config, ctx.log.language):
        ctx.book.check_replaceable(name)
    # As in a terminal, each step is told as it starts (a big log takes a while).
    ctx.book.status(f"{STATUS}: {_say(ctx, 'status', step='reading')}")
    memo = jobs.summary_memo(user_cache_dir(), ctx.log, ctx.config)
    ctx.book.status(f"{STATUS}: {_say(ctx, 'status', step='working_out', n=len(ctx.log.records))}")
    plan = jobs.refresh_plan(ctx.log, ctx.config, ctx.now, memo=memo)
    ctx.book.status(f"{STATUS}: {_say(ctx, 'status', step='writing')}")
    added, written = apply_plan(ctx.book, plan, header=ctx.header(plan), used_width=ctx.used_width(plan))
    jobs.remember_summaries(memo, ctx.log, plan)
    lines = jobs.refresh_lines(ctx.log, plan, added, written, lang=ctx.language, config=ctx.config)
    if ctx.drawn_over and added:
        from ..writeback import drawn_over   # (what the terminal says of it)

        lines.append(drawn_over(added[0][0], added[-1][0]).said_in(ctx.language, ctx.config))
    return "\n".join(lines) + _left_out(ctx)


def _left_out(ctx: _Context) -> str:
    """The line a terminal listing would print on stderr of the cells left out, as the
    ribbon says it (after a newline; "" when every cell was read)."""
    from .. import jobs

    return _sentence(ctx, jobs.left_out(ctx.log, _say(ctx, "check_to"), lang=ctx.language, config=ctx.config))


def _chase_today(ctx: _Context) -> str:
    from .. import jobs

    sheet = jobs.chase_sheet(ctx.log, ctx.config, ctx.now)
    ctx.book.replace_sheet(sheet)
    ctx.book.select(sheet.name, "A1")
    return _say(ctx, "chase", n=len(sheet.rows) - 1, sheet=sheet.name) + _left_out(ctx)


def _reminders(ctx: _Context) -> str:
    from .. import jobs

    untimed: list = []
    unread: list = []
    items = jobs.reminder_list(ctx.log, ctx.config, ctx.now, None, untimed=untimed, unread=unread)
    sheet = jobs.reminders_sheet(items, ctx.config, ctx.log.language)
    ctx.book.replace_sheet(sheet)
    folder = ctx.book.choose_folder(_say(ctx, "reminders", what="folder"))
    now = ctx.config.local(ctx.now)
    # The lines `tracker reminders` prints on stderr, the same function's: an empty
    # window says so itself, where "0 reminders" would add nothing.
    lines = jobs.reminder_notes(ctx.log, ctx.config, items, untimed, (now, jobs.end_of_tomorrow(now)),
                                ics=Path(folder) / "call-tracker.ics" if folder else None,
                                eml=Path(folder) / "drafts" if folder else None, stamp=ctx.now)
    counted_line = [_say(ctx, "reminders", what="counted", n=len(items), sheet=sheet.name)] if items else []
    phrases = jobs.unread_phrases(unread, _say(ctx, "check_to"), lang=ctx.language, config=ctx.config)
    return "\n".join([*counted_line, *lines]) + _left_out(ctx) + _sentence(ctx, phrases)


def _summary(ctx: _Context) -> str:
    from .. import jobs

    sheet, selected = ctx.book.selected_rows()
    if sheet != ctx.log.sheet:   # row numbers of another sheet are not the log's rows
        return _say(ctx, "summary", what="elsewhere", sheet=ctx.log.sheet)
    rows = {r for r in selected if r > ctx.log.header_row}
    records = [r for r in ctx.log.records if r.row in rows]
    if not records:
        return _say(ctx, "summary", what="unselected")
    from ..summaries import summarize_all

    items, problems = summarize_all(records, ctx.config)
    # As `tracker summary` says them: a selected row whose call type cannot be read has no
    # format, and is named rather than passed over.
    unsummarised = sorted(set(jobs.unreadable_call_types(ctx.log)) & rows)
    if not items:
        if unsummarised:
            lines = "\n".join(jobs.unreadable_in(ctx.log, unsummarised))
            return f"{_say(ctx, 'summary', what='unreadable')}\n{lines}"
        return _say(ctx, "summary", what="untyped")
    written = {s.row for s in items}
    plan = jobs.refresh_plan(ctx.log, ctx.config, ctx.now, fields=("summary",), rows=written)
    apply_plan(ctx.book, plan, header=ctx.header(plan), used_width=ctx.used_width(plan), highlights=False,
               sheets=False, rows=written)
    gaps = "".join("\n" + _say(ctx, "summary", what="row", row=p.row, message=p.message) for p in problems)
    unread = "".join(f"\n{line}" for line in jobs.unreadable_in(ctx.log, sorted(written | set(unsummarised))))
    wrote = _say(ctx, "summary", what="wrote", n=len(items), column=ctx.config.header("summary", ctx.language))
    return f"{wrote}{gaps}{unread}"


def _stats(ctx: _Context) -> str:
    from .. import jobs

    sheet = jobs.stats_sheet([ctx.log], ctx.config, ctx.log.language, now=ctx.now)
    ctx.book.replace_sheet(sheet)
    ctx.book.select(sheet.name, "A1")
    undated = jobs.undated_in_stats(ctx.log, ctx.language, ctx.config)   # as `tracker stats` says on stderr
    return _say(ctx, "stats", sheet=sheet.name) + _left_out(ctx) + _sentence(ctx, undated)


def _check(ctx: _Context) -> str:
    from .. import jobs

    log = ctx.sheet_as_read   # a sheet without its header row is what Check explains
    if not jobs.has_header(log):
        from ..log import HEADER_SCAN_ROWS

        # Said as the other buttons refuse it, with why (what is looked for, and where):
        # the sheet has no cell to point at.
        words = [ctx.config.header(f, ctx.language) for f in ("date", "call_type", "contact", "notes")]
        why = _say(ctx, "check", what="why", words=words, rows=HEADER_SCAN_ROWS)
        return jobs.no_header(log, why, lang=ctx.language, config=ctx.config)
    problems = jobs.checked_problems(log, ctx.config, ctx.config.local(ctx.now).date())   # (calls booked twice from today)
    if not problems:
        return _say(ctx, "check", what="clean", sheet=log.sheet, n=len(log.records))
    rows = [["Cell", "Value", "Problem"]]
    for p in problems:
        rows.append([_link(p.sheet, f"{p.column or 'A'}{p.row or 1}", f"{p.column}{p.row}"), p.value, p.message])
    from ..writeback import SheetWrite

    ctx.book.replace_sheet(SheetWrite(PROBLEMS_SHEET, rows, widths=[10, 30, 80], wrap=frozenset({3})))
    ctx.book.select(PROBLEMS_SHEET, "A2")
    return _say(ctx, "check", what="problems", n=len(problems), sheet=PROBLEMS_SHEET)


def _new_call(ctx: _Context) -> str:
    from .. import jobs

    call_type = ctx.book.ask(jobs.call_type_prompt(ctx.config, ctx.log.language))
    if call_type is None:
        return _say(ctx, "new_call", what="cancelled")
    row, values = jobs.new_call_row(ctx.log, ctx.config, ctx.now, call_type)
    ctx.book.write_block(ctx.log.sheet, row, 1, [values])
    ctx.book.select(ctx.log.sheet, f"A{row}")
    return _say(ctx, "new_call", what="added", row=row)


def _settings(ctx: _Context) -> str:
    from .. import jobs

    if ctx.config.path is None and not Path(ctx.book.path).is_file():
        # A never-saved workbook has no folder: a tracker.yaml put anywhere else is not
        # the one the buttons read for it.
        return _say(ctx, "settings", what="unsaved")
    path, created = jobs.settings_file(ctx.config, ctx.book.path)
    ctx.book.open_file(str(path))
    return _say(ctx, "settings", what="opened", path=path, created=created)


def _link(sheet: str, cell: str, text: str) -> str:
    """A formula linking to `cell` of `sheet`: a quote in the sheet's name is doubled in
    the reference, then a double quote is doubled in the formula's text."""
    from .book import Formula

    reference = "'" + sheet.replace("'", "''") + "'!" + cell
    location = ("#" + reference).replace('"', '""')
    return Formula(f'=HYPERLINK("{location}","{text}")')


HANDLERS: dict[str, Callable[[_Context], str]] = {
    "refresh": _refresh,
    "chase_today": _chase_today,
    "reminders": _reminders,
    "summary": _summary,
    "new_call": _new_call,
    "stats": _stats,
    "check": _check,
    "settings": _settings,
}


def apply_plan(book, plan, *, header: list, used_width: int = 0, highlights: bool = True, sheets: bool = True,
               rows: set[int] | None = None) -> tuple[list[tuple[str, str]], list[str]]:
    """The write-back plan of `refresh`, applied to an open workbook in blocks. With
    `rows`, only those rows' cells are written (the others keep what they have).
    `header`: the log sheet's header row, as read for the plan (_Context.header);
    `used_width`: the columns left of where new columns go (_Context.used_width: right of
    every value, as the file writer puts them right of the sheet's dimension, or in the
    log's table); 0: right of the header.
    Returns what the file writer's report says (jobs.refresh_lines): the columns added,
    as (letter, header), and the sheets written, those there already first."""
    from ..config import normalize_word
    from ..model import column_letter
    from ..errors import TrackerError
    from ..writeback import formula_refusal, highlight_areas, highlight_formula

    if sheets:
        for sheet in plan.sheets:   # before any write: a refusal changes nothing
            # (with what the sheet starts with: where Excel for Mac cannot show our mark)
            book.check_replaceable(sheet.name, sheet.rows[0][0] if sheet.rows and sheet.rows[0] else "",
                                   sheet.formerly)
    headers = [normalize_word(h) if h is not None else "" for h in header]
    width = len(headers)
    while width and not headers[width - 1]:
        width -= 1
    # New columns go right of every value, headed or not; a table log's, right of the
    # table, even with a header word of the user's further right (as the file's).
    last = used_width or width
    letters: dict[str, str] = {}
    placed = [(col, next((i for i, h in enumerate(headers) if h and h in
                          {normalize_word(m) for m in col.match} | {normalize_word(col.header)}), None))
              for col in plan.columns]
    written = sorted(rows) if rows is not None else range(plan.first_data_row, plan.last_data_row + 1)
    for col, index in placed:   # before any write: a formula of the user's is not ours to replace
        if index is not None and written:
            letter = column_letter(index)
            cell = book.formula_cell(plan.sheet, f"{letter}{written[0]}:{letter}{written[-1]}")
            if cell:
                raise TrackerError(formula_refusal(cell, col.header, plan.sheet))
    added: list[tuple[str, str]] = []
    for col, index in placed:
        if index is None:
            index = last
            last += 1
            book.write_block(plan.sheet, plan.header_row, index + 1, [[col.header]])
            added.append((column_letter(index), col.header))
        if rows is not None:
            for r in sorted(rows):
                book.write_block(plan.sheet, r, index + 1, [[col.values.get(r)]], col.number_format)
        elif plan.last_data_row >= plan.first_data_row:
            block = [[col.values.get(r)] for r in range(plan.first_data_row, plan.last_data_row + 1)]
            book.write_block(plan.sheet, plan.first_data_row, index + 1, block, col.number_format)
        letters[col.key] = column_letter(index)
    replaced: list[str] = []
    new: list[str] = []
    if sheets:
        # Before the colour rules: Excel translates their formulas on a sheet of ours.
        for sheet in plan.sheets:
            (new if book.replace_sheet(sheet) else replaced).append(sheet.name)
    if highlights and plan.highlights and plan.last_data_row >= plan.first_data_row:
        first, last_row, end = plan.first_data_row, plan.last_data_row, column_letter(max(last, width, 1) - 1)
        address = f"A{first}:{end}{last_row}"
        # With the file writer's marker, as the file's: the next refresh, from Excel or the
        # terminal, finds them and leaves the user's own rules alone.
        rules = [(highlight_formula(h, letters, h.rows[0] if h.rows else first), h.fill,
                  ",".join(highlight_areas(h.rows, end)) if h.rows else address)
                 for h in plan.highlights]
        book.set_highlights(plan.sheet, address, rules)
    return added, replaced + new


def dispatch(action: str, *, book=None, now: datetime | None = None, config=None) -> str:
    """Run the ribbon button `action`; show the outcome (or the error) in a message box.

    Returns the message, so tests can check it. Never raises: a traceback in Excel is a bug.
    """
    handler = HANDLERS.get(action)
    ctx = None
    try:
        if book is None:
            from .book import XwBook

            book = XwBook.caller()
    except Exception as exc:  # noqa: BLE001 - e.g. a OneDrive file xlwings cannot find on disk
        from .book import alert_without_book

        message = f"Call Tracker could not reach the workbook: {exc}"
        # Said all the same, without the book: else the click seems to do nothing.
        alert_without_book(message)
        return message
    try:
        if handler is None:
            from ..errors import TrackerError

            raise TrackerError(f"the button {action!r} has no action in this version of Call Tracker; "
                               "rebuild the add-in with `tracker addin build`")
        book.status(f"{STATUS}: {_LABELS[action]}...")
        from .. import jobs

        config = config or jobs.config_for(None, book.path if Path(book.path).exists() else None)
        ctx = _Context(book, config, now or datetime.now().astimezone())
        message = handler(ctx)
    except Exception as exc:  # noqa: BLE001
        message = _error_text(exc, ctx)
    finally:
        book.status(None)
    book.alert(message)
    return message


def _error_text(exc: Exception, ctx: _Context | None = None) -> str:
    """What the message box says of an error, in the log's language where it was read
    (`ctx`: None when the click failed before its context was made)."""
    from ..errors import TrackerError

    if isinstance(exc, TrackerError):
        # A refusal of the write-back's is said in the log's language, as the button's own lines.
        from ..writeback import error_in

        return str(error_in(exc, ctx.language, ctx.config) if ctx else exc)
    from .. import jobs

    report = jobs.write_crash_report(exc)
    try:
        return jobs.line(ctx.config if ctx else None, "ribbon_crash", ctx.language if ctx else "en",
                         kind=type(exc).__name__, error=exc, report=report)
    except Exception:  # noqa: BLE001 - a template of the user's that fails: the error all the same
        return f"{type(exc).__name__}: {exc}\n{report}"


def unhandled_tags() -> tuple[set[str], set[str]]:
    """(buttons without a handler, handlers without a button): both must be empty."""
    tags = {a.tag for a in ACTIONS}
    return tags - set(HANDLERS), set(HANDLERS) - tags

