"""The thin book adapter: the only place that calls xlwings on a workbook.

A sheet is read as one 2-D block and written as 2-D blocks, never cell by cell (each
call into Excel costs milliseconds). `GridBook` is the same interface over plain lists:
the ribbon's handlers run against it in the tests, where there is no Excel.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, time
from typing import TYPE_CHECKING, Any, Protocol

from ..model import MAX_COLUMNS, cell_ref, column_letter

if TYPE_CHECKING:
    from ..writeback import SheetWrite


class Book(Protocol):
    path: str

    def sheet_names(self) -> list[str]: ...
    def active_sheet(self) -> str: ...
    def read_grid(self, sheet: str) -> list[list[Any]]: ...
    # Cells merged down one column in `grid` (read_grid's) below row `below` (0-based: the
    # header's), as tracker.files.Book.merged_down.
    def merged_down(self, sheet: str, grid: list[list[Any]], below: int = 0) -> list[tuple[int, int, int]]: ...
    def write_block(self, sheet: str, top: int, left: int, rows: list[list[Any]], number_format: str | None = None) -> None: ...
    # A sheet of ours (writeback.SheetWrite): its rows, and its widths, number formats,
    # wrapped columns and charts, as the file writer lays it out. True when it was added
    # (False: one there already was written over).
    def replace_sheet(self, sheet: SheetWrite) -> bool: ...
    # TrackerError when `name` is a sheet of the user's, or ours (under `name` or one of
    # `formerly`) but protected, or cannot be added: what replace_sheet would refuse.
    def check_replaceable(self, name: str, first: Any = None, formerly: tuple[str, ...] = ()) -> None: ...
    # TrackerError when the user's sheet `sheet` is protected: what write_block would refuse.
    def check_writable(self, sheet: str) -> None: ...
    def formula_cell(self, sheet: str, address: str) -> str | None: ...   # the first cell holding a formula
    def tables(self, sheet: str) -> list[tuple[int, int, int, int, int]]: ...   # as tracker.files.Book.tables
    # The names of those tables, in the same order ("" where one cannot be read): a
    # refusal names the table, as the file writer's does.
    def table_names(self, sheet: str) -> list[str]: ...
    # The columns (first, last; 1-based) of each chart, picture, shape or control on the
    # sheet that reaches right of column `after`, as writeback._drawn_areas reads them
    # from the file: our columns under one would be hidden by it.
    def drawn_columns(self, sheet: str, after: int = 0) -> list[tuple[int, int]]: ...
    # Whether the sheet's page header carries our mark, as tracker.files.Book.carries_mark:
    # a copy of a sheet of ours made with Excel's Move or Copy keeps it, its header edited or not.
    def carries_mark(self, sheet: str) -> bool: ...
    # `address`: the data rows. The sheet's rules of ours (writeback.MARKER in their formula)
    # are replaced by `rules`, the user's kept. Each rule is (formula for the first cell of
    # its areas, fill, its areas: "A2:K90" or "A5:K5,A9:K12").
    def set_highlights(self, sheet: str, address: str, rules: list[tuple[str, str, str]]) -> None: ...
    def selected_rows(self) -> tuple[str | None, list[int]]: ...   # the selection's sheet, the rows of all its areas
    def alert(self, text: str, title: str = "Call Tracker") -> None: ...
    def select(self, sheet: str, address: str) -> None: ...
    def ask(self, prompt: str) -> str | None: ...   # None when the user cancelled
    def choose_folder(self, title: str) -> str | None: ...
    def open_file(self, path: str) -> None: ...
    def status(self, text: str | None) -> None: ...


def _pad(rows: list[list[Any]]) -> list[list[Any]]:
    width = max((len(r) for r in rows), default=0)
    return [list(r) + [None] * (width - len(r)) for r in rows]


@dataclass
class GridBook:
    """An in-memory workbook with the Book interface (tests, and any non-Excel host)."""

    sheets: dict[str, list[list[Any]]]
    path: str = "<memory>"
    active: str = ""
    selection: list[int] = field(default_factory=list)
    highlights: dict[str, tuple[str, list[tuple[str, str, str]]]] = field(default_factory=dict)
    alerts: list[str] = field(default_factory=list)
    selected: tuple[str, str] | None = None
    answers: list[str] = field(default_factory=list)      # what ask() returns, in order; then None, a Cancel
    folder: str | None = None                              # what choose_folder() returns
    opened: list[str] = field(default_factory=list)
    formats: dict[tuple[str, int], str] = field(default_factory=dict)   # (sheet, column) -> number format
    statuses: list[str | None] = field(default_factory=list)             # what status() was told, in order
    reads: list[str] = field(default_factory=list)                        # the sheets read_grid() read, in order
    foreign: set[str] = field(default_factory=set)    # the user's own sheets (in Excel: no mark of ours)
    protected: set[str] = field(default_factory=set)  # sheets the user protected (Review > Protect Sheet)
    formulas: set[tuple[str, str]] = field(default_factory=set)   # (sheet, "L2"): cells holding a formula
    table_boxes: dict[str, list[tuple[int, int, int, int, int]]] = field(default_factory=dict)   # sheet -> its tables
    table_titles: dict[str, list[str]] = field(default_factory=dict)   # sheet -> their names, in that order
    merges: dict[str, list[tuple[int, int, int]]] = field(default_factory=dict)   # sheet -> merged_down()
    layouts: dict[str, Any] = field(default_factory=dict)   # sheet -> the SheetWrite it was last written from
    # sheet -> the columns (first, last; 1-based) each of its charts, pictures or shapes lies over
    drawings: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    marked: set[str] = field(default_factory=set)   # sheets with our page header: ours, and copies Excel made of them

    def sheet_names(self) -> list[str]:
        return list(self.sheets)

    def active_sheet(self) -> str:
        return self.active or next(iter(self.sheets))

    def read_grid(self, sheet: str) -> list[list[Any]]:
        self.reads.append(sheet)
        return [list(r) for r in self.sheets[sheet]]

    def check_writable(self, sheet):
        if sheet in self.protected:
            raise _protected_sheet(sheet)

    def write_block(self, sheet, top, left, rows, number_format=None):
        self.check_writable(sheet)
        grid = self.sheets.setdefault(sheet, [])
        for i, values in enumerate(rows):
            r = top - 1 + i
            while len(grid) <= r:
                grid.append([])
            line = grid[r]
            need = left - 1 + len(values)
            if len(line) < need:
                line.extend([None] * (need - len(line)))
            line[left - 1:left - 1 + len(values)] = values
        if number_format:
            for j in range(len(rows[0]) if rows else 0):
                self.formats[(sheet, left + j)] = number_format

    def tables(self, sheet):
        return list(self.table_boxes.get(sheet, []))

    def table_names(self, sheet):
        names = list(self.table_titles.get(sheet, []))
        return names + [""] * (len(self.table_boxes.get(sheet, [])) - len(names))

    def merged_down(self, sheet, grid, below=0):
        return [m for m in self.merges.get(sheet, []) if m[1] > below]

    def drawn_columns(self, sheet, after=0):
        return [d for d in self.drawings.get(sheet, []) if d[1] > after]

    def carries_mark(self, sheet):
        return sheet in self.marked

    def formula_cell(self, sheet, address):
        (c1, r1), (c2, r2) = (cell_ref(ref) for ref in (address.split(":") + [address])[:2])
        return next((f"{column_letter(c)}{r}" for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)
                     if (sheet, f"{column_letter(c)}{r}") in self.formulas), None)

    def _named(self, name: str) -> str | None:
        """The sheet called `name` in any case, as Excel matches names."""
        return next((n for n in self.sheets if n.casefold() == name.casefold()), None)

    def check_replaceable(self, name, first=None, formerly=()):
        self._target(name, formerly)

    def _target(self, name: str, formerly=()) -> str | None:
        """The sheet `replace_sheet` writes over (None: it adds one), refused as in Excel."""
        found = self._named(name)
        if found in self.foreign:
            raise _users_sheet(found, name)
        if found is None:
            found = next((n for n in map(self._named, formerly) if n and n not in self.foreign), None)
        if found in self.protected:
            raise _our_sheet_protected(found)
        return found

    def replace_sheet(self, sheet):
        name = sheet.name
        found = self._target(name, sheet.formerly)
        if found is not None and found != self._named(name):   # renamed in place, as Excel renames a sheet
            self.sheets = {name if n == found else n: grid for n, grid in self.sheets.items()}
            found = name
        self.sheets[found or name] = _pad([list(r) for r in sheet.rows])
        self.layouts[found or name] = sheet
        self.marked.add(found or name)   # (as XwBook marks a sheet it adds)
        return found is None

    def set_highlights(self, sheet, address, rules):
        self.highlights[sheet] = (address, list(rules))

    def selected_rows(self) -> tuple[str | None, list[int]]:
        return self.active_sheet(), list(self.selection)   # in Excel, the selection is on the active sheet

    def alert(self, text, title="Call Tracker"):
        self.alerts.append(text)

    def select(self, sheet, address):
        self.selected = (sheet, address)

    def ask(self, prompt):
        return self.answers.pop(0) if self.answers else None

    def choose_folder(self, title):
        return self.folder

    def open_file(self, path):
        self.opened.append(path)

    def status(self, text):
        self.statuses.append(text)


class XwBook:
    """A workbook open in Excel, through xlwings' documented API."""

    def __init__(self, book):
        self.book = book
        self.path = book.fullname

    @classmethod
    def caller(cls) -> "XwBook":
        import xlwings as xw

        return cls(xw.Book.caller())

    def sheet_names(self) -> list[str]:
        return [s.name for s in self.book.sheets]

    def active_sheet(self) -> str:
        return self.book.sheets.active.name

    def read_grid(self, sheet: str) -> list[list[Any]]:
        # One block from A1 to the last used cell, so row/column numbers stay Excel's.
        used = self.book.sheets[sheet].used_range
        last_row = used.row + used.rows.count - 1
        last_col = used.column + used.columns.count - 1
        rng = self.book.sheets[sheet].range((1, 1), (last_row, last_col))
        # err_to_str: an error cell (#N/A) comes as its text, which the log reader
        # reports as the file reader does; xlwings' default makes it None, a blank.
        return rng.options(ndim=2, empty=None, err_to_str=True).value

    def merged_down(self, sheet, grid, below=0):
        ws = self.book.sheets[sheet]
        return merged_down_in(lambda first, last: ws.range(first, last), grid, below)

    def drawn_columns(self, sheet, after=0):
        # xlwings' Sheet.shapes: every chart, picture, shape and control (and note box),
        # placed in points; the columns under one from the columns' Range.left, by halving:
        # two questions for a shape left of column `after`'s right edge, a few dozen for
        # one reaching past it (each a round trip to Excel; asked on the refresh that
        # adds our columns only).
        ws = self.book.sheets[sheet]
        lefts: dict[int, float] = {}

        def left(col: int) -> float:
            if col not in lefts:
                lefts[col] = ws.range((1, col)).left
            return lefts[col]
        out = []
        try:
            edge = left(after + 1)
            for shape in ws.shapes:
                x0 = shape.left
                x1 = x0 + shape.width
                if x1 <= edge or not _over_cells(shape):
                    continue
                first = _last_column(left, x0, 1, after) if x0 < edge else _last_column(left, x0, after + 1, MAX_COLUMNS)
                # (one ending on a column's left edge does not cover that column, as in the file)
                out.append((first, max(first, _last_column(left, x1, after + 1, MAX_COLUMNS, before=True))))
        except Exception:  # noqa: BLE001 - no shapes through this object model: none known
            return []
        return out

    def carries_mark(self, sheet):
        return _marked(self.book.sheets[sheet]) is True

    def check_writable(self, sheet):
        ws = self.book.sheets[sheet]
        if _protected(ws):
            raise _protected_sheet(ws.name)

    def write_block(self, sheet, top, left, rows, number_format=None):
        if not rows:
            return
        self.check_writable(sheet)
        ws = self.book.sheets[sheet]
        rng = ws.range((top, left)).resize(len(rows), len(rows[0]))
        if number_format:
            rng.number_format = number_format
        # xlwings converts dates but not times, which pywin32 then refuses ("can not be
        # converted to a COM VARIANT"): a time goes in as Excel keeps one, a fraction of a
        # day, in a cell that shows it as a time.
        for j in sorted({j for r in rows for j, v in enumerate(r) if isinstance(v, time)}):
            column = ws.range((top, left + j)).resize(len(rows), 1)
            if not _shows_time(column.number_format):
                column.number_format = TIME_FORMAT
        rng.value = [[_as_excel_value(v) for v in r] for r in rows]

    def check_replaceable(self, name, first=None, formerly=()):
        self._target(name, first, formerly)

    def _target(self, name: str, first: Any = None, formerly=()):
        """The sheet of ours `replace_sheet` writes over (None: it adds one), refused before
        any write where Excel would refuse it half-way: a sheet of the user's, a sheet of
        ours protected (Excel cannot clear it), a sheet to add or rename in a workbook
        whose structure is protected."""
        sheet = self._our_sheet(name, first) or self._ours_formerly(formerly)
        if sheet is None or sheet.name.casefold() != name.casefold():
            _check_structure_open(self.book, name)
        if sheet is not None and _protected(sheet):
            raise _our_sheet_protected(sheet.name)
        return sheet

    def tables(self, sheet):
        # The sheet's tables (ListObjects), as the file reader gives them: a log in one ends
        # with it, its totals row is no call.
        out = []
        try:
            for table in self.book.sheets[sheet].tables:
                rng = table.range
                out.append((rng.row - 1, rng.row + rng.rows.count - 2, rng.column - 1,
                            rng.column + rng.columns.count - 2, 1 if table.show_totals else 0))
        except Exception:  # noqa: BLE001 - no tables through this object model: the sheet as it is
            return []
        return out

    def table_names(self, sheet):
        try:
            return [str(table.name) for table in self.book.sheets[sheet].tables]
        except Exception:  # noqa: BLE001 - as tables(): none known
            return []

    def formula_cell(self, sheet, address):
        # One question to Excel for the whole column (Range.HasFormula: True, False, or
        # None when some cells hold one); the cells are read only when one does.
        rng = self.book.sheets[sheet].range(address)
        try:
            if rng.api.HasFormula is False:
                return None
        except Exception:  # noqa: BLE001 - macOS' object model differs: the formulas are read
            pass
        formulas = rng.formula
        if not isinstance(formulas, (list, tuple)):   # one cell: Excel gives its formula alone
            formulas = ((formulas,),)
        top, left = rng.row, rng.column
        return next((f"{column_letter(left + j - 1)}{top + i}" for i, row in enumerate(formulas)
                     for j, f in enumerate(row) if isinstance(f, str) and f.startswith("=")), None)

    def _our_sheet(self, name: str, first: Any = None):
        """The sheet called `name` (in any case, as Excel matches names), None when there
        is none; refused when it is the user's. As in the file writer: only a sheet we
        wrote (its page header says so) is ours to clear. Where the page header cannot be
        read (Excel for Mac), a sheet is ours when its A1 holds what ours starts with
        (`first`); without `first` that is left to the write."""
        sheet = self._named(name)
        if sheet is not None:
            marked = _marked(sheet)
            if marked is False or (marked is None and first is not None and _first_cell(sheet) != first):
                raise _users_sheet(sheet.name, name)
        return sheet

    def _named(self, name: str):
        """The sheet called `name` in any case, as Excel matches names; None if none."""
        return next((s for s in self.book.sheets if s.name.casefold() == name.casefold()), None)

    def replace_sheet(self, sw):
        from ..writeback import SHEET_MARK

        rows = _pad(sw.rows)
        sheet = self._target(sw.name, rows[0][0] if rows else "", sw.formerly)
        added = sheet is None
        old_rows = 0
        if sheet is not None:
            if sheet.name != sw.name:   # one of ours under another language's name
                sheet.name = sw.name
            used = sheet.used_range
            old_rows = used.row + used.rows.count - 1
            for chart in list(sheet.charts):   # clear() leaves charts: ours are drawn again below
                chart.delete()
            sheet.clear()
        else:
            sheets = self.book.sheets
            front = sheets.active
            sheet = sheets.add(sw.name, after=sheets[len(sheets) - 1])
            # Excel brings the sheet it adds to the front: the user stays on the sheet they
            # clicked on (a button that shows a sheet of ours selects it itself).
            try:
                front.activate()
            except Exception:  # noqa: BLE001 - a nicety: the sheet is added, the values go in
                pass
            _set_left_header(sheet, SHEET_MARK[2:])  # without "&L": LeftHeader is the left part already
        if rows:
            self.write_block(sheet.name, 1, 1, rows)
            sheet.range((1, 1), (1, len(rows[0]))).font.bold = True
        _lay_out(sheet, sw, rows, old_rows)
        return added

    def _ours_formerly(self, names):
        """The first sheet called one of `names` (in any case) that we wrote; None if none."""
        return next((s for s in map(self._named, names) if s is not None and _marked(s)), None)

    def set_highlights(self, sheet, address, rules):
        # Conditional formats are not in xlwings' cross-platform API: this is the
        # Windows COM object model (FormatConditions); on macOS the values still land.
        try:
            ws, app = self.book.sheets[sheet], self.book.app.api
            _delete_ours(ws.api.Cells.FormatConditions)
            scratch = self._scratch_cell()
            for formula, fill, areas in rules:
                first, *more = areas.split(",")
                rng = ws.range(first).api
                for area in more:   # one by one: Range() takes an address of 255 characters at most
                    rng = app.Union(rng, ws.range(area).api)
                written = _in_excels_language(scratch, _from_active_cell(app, "=" + formula, rng))
                cond = rng.FormatConditions.Add(Type=2, Formula1=written)
                rgb = fill[-6:]   # AARRGGBB as the file writer takes it: the alpha is not Excel's here
                r, g, b = int(rgb[0:2], 16), int(rgb[2:4], 16), int(rgb[4:6], 16)
                cond.Interior.Color = r + g * 256 + b * 65536
        except Exception:  # noqa: BLE001 - colours are a nicety; the values are written
            pass

    def _scratch_cell(self):
        """A blank cell below the data of a sheet we wrote (the first found), where a
        formula may be set and read back; None when there is no such sheet."""
        try:
            for sheet in self.book.sheets:
                if _marked(sheet):
                    used = sheet.used_range
                    return sheet.range((used.row + used.rows.count + 1, 1)).api
        except Exception:  # noqa: BLE001 - then the formulas go as written
            pass
        return None

    def selected_rows(self) -> tuple[str | None, list[int]]:
        sel = self.book.selection
        if sel is None:
            return None, []
        # xlwings' Range (as Excel's Range.Rows) describes the first area of a
        # Ctrl-selection only, and xlwings has no multi-area API: Excel's Areas (Windows
        # COM) hold them all.
        try:
            areas = [(area.Row, area.Rows.Count) for area in sel.api.Areas]
        except Exception:  # noqa: BLE001 - macOS' object model differs: the first area
            areas = [(sel.row, sel.rows.count)]
        return sel.sheet.name, sorted({r for top, n in areas for r in range(top, top + n)})

    def alert(self, text, title="Call Tracker"):
        self.book.app.alert(text, title=title)

    def select(self, sheet, address):
        self.book.sheets[sheet].activate()
        self.book.sheets[sheet].range(address).select()

    def ask(self, prompt):
        # Excel's own InputBox (Windows COM); False when cancelled.
        try:
            answer = self.book.app.api.InputBox(prompt, "Call Tracker")
        except Exception:  # noqa: BLE001 - macOS: no InputBox through xlwings; defaults apply
            return ""
        return answer if isinstance(answer, str) else None

    def choose_folder(self, title):
        try:
            dialog = self.book.app.api.FileDialog(4)  # msoFileDialogFolderPicker
            dialog.Title = title
            if dialog.Show() == -1:
                return dialog.SelectedItems(1)
            return None
        except Exception:  # noqa: BLE001 - no dialog (macOS): export next to the workbook
            import os

            return os.path.join(os.path.dirname(self.path) or ".", "Call Tracker exports")

    def open_file(self, path):
        import os
        import subprocess
        import sys

        if sys.platform == "win32":
            try:
                os.startfile(path)  # noqa: S606 - opens the user's own config in their editor
            except OSError:
                # No program for .yaml (a stock Windows: WinError 1155): Notepad reads it.
                subprocess.Popen(["notepad.exe", str(path)])  # noqa: S603, S607
        else:
            subprocess.run(["open", path], check=False)

    def status(self, text):
        # Excel's status bar says what a long click is doing; False gives it back to Excel.
        try:
            self.book.app.status_bar = text or False
        except Exception:  # noqa: BLE001 - a nicety: never the reason a button fails
            pass


def alert_without_book(text: str, title: str = "Call Tracker") -> None:
    """A message box when the workbook that called cannot be had (xlwings cannot map a
    OneDrive or SharePoint file to a local path): in the calling workbook's Excel if
    xlwings finds it, else in the active Excel; nothing where there is no Excel at all."""
    try:
        import xlwings as xw

        try:
            app = xw.Book.caller().app
        except Exception:  # noqa: BLE001 - not even the book: the Excel in front
            app = xw.apps.active
        app.alert(text, title=title)
    except Exception:  # noqa: BLE001 - no Excel to show it in: the caller returns the text
        pass


# The most MergeArea questions one read asks Excel (each a round trip): a log merged day
# by day over a year is a few hundred; a sparse column beside a merge must not cost more.
_MERGE_QUESTIONS = 2000


def merged_down_in(cells, grid: list[list[Any]], below: int = 0,
                   before: list[tuple[int, int, int]] | None = None) -> list[tuple[int, int, int]]:
    """The cells merged down one column in `grid` below its row `below` (0-based: the
    header's), as tracker.files.Book.merged_down: (column, first row, last row), 0-based.
    `cells((row, col), (row, col))`: the xlwings range of those cells of the grid (1-based).
    `before`: what this gave for the same values last time (a cell function's table,
    handed over again at each recalculation): kept after the first question when it
    still says merged cells are there, or none, as it said.

    One question to Excel for the rows under the header (Range.MergeCells: False when no
    cell is merged; a title merged above it is not asked about), one per column holding a
    merge there, and one per value with blanks under it in such a column (a merge's first
    cell holds its value, the others read blank): a date merged over each day's calls
    costs a question a day, not one a row. At most _MERGE_QUESTIONS of those: each is a
    round trip to Excel."""
    out = []
    first = below + 1   # 0-based: the first data row
    if first >= len(grid):
        return []
    asked = 0
    try:
        width = max(map(len, grid), default=0)
        if width == 0 or cells((first + 1, 1), (len(grid), width)).api.MergeCells is False:
            return []
        if before:   # (the values are the same: merges added or taken away among merges are not seen)
            return before
        for c in range(width):
            if cells((first + 1, c + 1), (len(grid), c + 1)).api.MergeCells is False:
                continue
            r = first
            while r < len(grid) - 1 and asked < _MERGE_QUESTIONS:
                under = r + 1
                if c < len(grid[r]) and grid[r][c] is not None and (c >= len(grid[under]) or grid[under][c] is None):
                    asked += 1
                    area = cells((r + 1, c + 1), (r + 1, c + 1)).api.MergeArea
                    rows, cols = area.Rows.Count, area.Columns.Count
                    if rows > 1 and cols == 1:
                        out.append((c, r, r + rows - 1))
                        r += rows
                        continue
                r = under
    except Exception:  # noqa: BLE001 - an object model without MergeCells (Excel for Mac): as read
        return []
    return out


def _over_cells(shape) -> bool:
    """Whether an xlwings shape lies over the sheet's cells: a note's box only while shown
    (Review > Show Note; Windows COM), as the file writer counts one (writeback._vml_areas)."""
    if shape.type != "comment":
        return True
    try:
        return bool(shape.api.Visible)
    except Exception:  # noqa: BLE001 - not known: a note is shown only while pointed at
        return False


def _last_column(left, x: float, lo: int, hi: int, before: bool = False) -> int:
    """The last column in lo..hi whose left edge `left(col)` (points) is at or left of `x`
    (`before`: left of it); lo when none is."""
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if left(mid) < x or (not before and left(mid) == x):
            lo = mid
        else:
            hi = mid - 1
    return lo

TIME_FORMAT = "hh:mm"   # the time column's format in a log `tracker init` writes


class Formula(str):
    """A formula Call Tracker writes (a link of the Problems sheet): handed to Excel as a
    formula, where any other text that starts with "=" is kept as text."""


def _as_excel_value(value: Any) -> Any:
    """What to hand Excel so the cell holds `value`. Excel reads a text it is given as if
    typed: "=TBD" would become a formula, "-5", "001" or "1e5" a number, "50%" 0.5, "1/2"
    a date, "25:00" a time, "TRUE" a boolean, a long ID digits lost (xlwings #1269, #2248).
    A leading apostrophe keeps every text the text it is (it is not part of the value), as
    xlwings' maintainer advises; "" stays an empty cell."""
    if isinstance(value, time):
        return _day_fraction(value)
    if isinstance(value, Formula):
        return str(value)
    if isinstance(value, str) and value:
        return "'" + value
    return value


def _day_fraction(value: time) -> float:
    return (value.hour * 3600 + value.minute * 60 + value.second + value.microsecond / 1e6) / 86400


def _shows_time(number_format: str | None) -> bool:
    """Whether an Excel number format shows a time of day and no date: hour or second
    codes ("m" alone may be a month), no year or day, once quoted text, escaped characters
    and [colour]/[$-locale] parts are left out. None, Excel's answer for cells of
    different formats, is not a time's."""
    if not number_format:
        return False
    codes = re.sub(r'"[^"]*"|[\\_*].|\[(?![hms]+\])[^\]]*\]', "", number_format).lower()
    return ("h" in codes or "s" in codes) and not ("y" in codes or "d" in codes)


def _delete_ours(conditions) -> None:
    """The rules of ours among a sheet's `conditions` (FormatConditions), the user's left
    as they are; from the last, as deleting one renumbers those after it."""
    from ..writeback import MARKER

    for i in range(conditions.Count, 0, -1):
        rule = conditions.Item(i)
        try:
            formula = str(rule.Formula1 or "")
        except Exception:  # noqa: BLE001 - a rule with no formula (data bars, colour scales) is the user's
            continue
        if MARKER in formula:
            rule.Delete()


def _from_active_cell(app, formula: str, rng) -> str:
    """`formula`, written for the first cell of `rng`, as Excel's FormatConditions.Add
    reads it: its relative references from the active cell, wherever that is (Excel's
    documented ConvertFormula, through R1C1). As written when that fails (no active cell,
    a formula over 255 characters)."""
    try:
        r1c1 = app.ConvertFormula(Formula=formula, FromReferenceStyle=_XL_A1, ToReferenceStyle=_XL_R1C1,
                                  RelativeTo=rng.Cells(1, 1))
        return app.ConvertFormula(Formula=r1c1, FromReferenceStyle=_XL_R1C1, ToReferenceStyle=_XL_A1,
                                  RelativeTo=app.ActiveCell)
    except Exception:  # noqa: BLE001 - a colour rule is a nicety; the values are written
        return formula


_XL_A1, _XL_R1C1 = 1, -4150


def _in_excels_language(cell, formula: str) -> str:
    """`formula` (English, as the file format and Range.Formula take one) as Excel's own
    language and separators write it: FormatConditions.Add reads a formula as a person
    types it, so a Russian Excel wants И(...; ...) where ours say AND(...,...). Excel
    translates it: set as a cell's Formula, read back as its FormulaLocal, then cleared.
    As written when there is no such `cell` or that fails (an English Excel reads it)."""
    if cell is None:
        return formula
    try:
        cell.Formula = formula
        return str(cell.FormulaLocal or "") or formula
    except Exception:  # noqa: BLE001 - a colour rule is a nicety; the values are written
        return formula
    finally:
        try:
            cell.ClearContents()
        except Exception:  # noqa: BLE001 - nothing more to do; the sheet is ours, rewritten next time
            pass


def _lay_out(sheet, sw, rows: list[list[Any]], old_rows: int) -> None:
    """The file writer's layout of a sheet of ours (writeback._sheet_xml), through
    xlwings: widths, number formats, wrapped drafts top-aligned, rows as tall as their
    text, charts. Excel measures the rows itself; a draft taller than the file writer's
    limit is cut to it, as there, and scrolls."""
    from ..writeback import LINE_HEIGHT, MAX_ROW_LINES

    n = len(rows)
    if sw.widths:
        for col, width in enumerate(sw.widths, 1):
            if width:
                sheet.range((1, col)).column_width = width
    else:
        sheet.autofit(axis="columns")
    if n > 1:
        for col, code in sorted(sw.number_formats.items()):
            sheet.range((2, col), (n, col)).number_format = code
        for col, code in sorted(sw.date_formats.items()):
            for r, row in enumerate(rows[1:], 2):   # (a few: the Reminders sheet's whole-day calls)
                if col <= len(row) and type(row[col - 1]) is date:
                    sheet.range((r, col)).number_format = code
        for col in sorted(sw.wrap):
            cells = sheet.range((2, col), (n, col))
            cells.wrap_text = True
            cells.vertical_alignment = "top"
    if sw.wrap or old_rows > 1:
        # Rows of the last sheet (cleared) and the new ones back to what their text needs.
        sheet.range((1, 1), (max(n, old_rows, 1), max(len(rows[0]) if rows else 1, 1))).rows.autofit()
        for r, row in enumerate(rows[1:], 2):
            if sw.row_lines(row) > MAX_ROW_LINES:
                sheet.range((r, 1)).row_height = MAX_ROW_LINES * LINE_HEIGHT
    for ch in sw.charts:
        _draw_chart(sheet, ch)


def _draw_chart(sheet, ch) -> None:
    """A ChartSpec as a native chart: its series named by the row above its categories
    (the table's header, as ChartSpec's names are), its categories on the x axis, over
    the cells it spans."""
    first, last, category = ch.categories
    anchor = sheet.range(ch.anchor)
    box = anchor.resize(ch.size[1], ch.size[0])
    source = ",".join(f"{column_letter(col - 1)}{first - 1}:{column_letter(col - 1)}{last}" for _, col in ch.series)
    chart = sheet.charts.add(left=anchor.left, top=anchor.top, width=box.width, height=box.height,
                             chart_type="line" if ch.kind == "line" else "column_clustered",
                             source=sheet.range(source), plot_by="columns")
    chart.set_x_axis_values(sheet.range((first, category), (last, category)))


def _users_sheet(found: str, name: str) -> Exception:
    from ..errors import TrackerError
    from ..writeback import Said

    return TrackerError(Said("not_our_sheet", path=None, sheet=found, name=name))


def _protected_sheet(name: str) -> Exception:
    from ..writeback import sheet_protected

    return sheet_protected(name, click=True)


def _our_sheet_protected(name: str) -> Exception:
    from ..writeback import our_sheet_protected

    return our_sheet_protected(name)


def _protected(sheet) -> bool:
    """Whether the sheet's cells are protected (Windows COM); False where it cannot be told."""
    try:
        return bool(sheet.api.ProtectContents)
    except Exception:  # noqa: BLE001 - macOS' object model differs: Excel then says so itself
        return False


def _check_structure_open(book, name: str) -> None:
    """Refused before any write, as Excel would refuse it half-way: adding our sheet
    `name`, or renaming it from another language's name, in a workbook whose structure
    is protected (Windows COM; where it cannot be told, Excel says so itself)."""
    try:
        locked = bool(book.api.ProtectStructure)
    except Exception:  # noqa: BLE001 - macOS' object model differs
        locked = False
    if locked:
        from ..errors import TrackerError
        from ..writeback import Said

        raise TrackerError(Said("structure_protected", path=None, name=name, click=True))


def _marked(sheet) -> bool | None:
    """Whether the sheet's page header carries the mark of a sheet we wrote; None where
    the header cannot be read (Excel for Mac)."""
    from ..writeback import SHEET_MARK

    header = _left_header(sheet)
    return None if header is None else SHEET_MARK[4:] in header


def _first_cell(sheet) -> Any:
    try:
        return sheet.range("A1").value
    except Exception:  # noqa: BLE001 - unreadable: not what ours starts with
        return None


def _left_header(sheet) -> str | None:
    """The sheet's left page header (Windows COM); None where it cannot be read."""
    try:
        return str(sheet.api.PageSetup.LeftHeader or "")
    except Exception:  # noqa: BLE001 - macOS' object model differs: no check there
        return None


def _set_left_header(sheet, text: str) -> None:
    try:
        sheet.api.PageSetup.LeftHeader = text
    except Exception:  # noqa: BLE001 - a nicety where the object model allows it
        pass


def block_address(top: int, left: int, n_rows: int, n_cols: int) -> str:
    return f"{column_letter(left - 1)}{top}:{column_letter(left + n_cols - 2)}{top + n_rows - 1}"
