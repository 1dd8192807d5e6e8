"""A stand-in for the part of xlwings' object model that tracker.excel.book.XwBook uses
to write a sheet, recording what Excel would be told: values, formats, widths, wrapping,
row heights and charts. There is no Excel here; the real one is reached only through
the same calls (tests/excel_smoke.py, where Excel exists)."""
from __future__ import annotations

import re
from datetime import date, datetime
from types import SimpleNamespace
from typing import Any

from tracker.model import MAX_COLUMNS, cell_ref, column_letter

POINTS_PER_COLUMN, POINTS_PER_ROW = 48.0, 15.0   # Excel's defaults: 8.43 characters, 15 pt
MAX_ROWS = 1048576


class ComError(Exception):
    """What pywin32 raises (pywintypes.com_error) for a call Excel refuses: a change to a
    protected sheet, a selection on a sheet not in front."""


class Range:
    def __init__(self, sheet: "Sheet", areas: list[tuple[int, int, int, int]], ndim: int | None = None):
        self.sheet = sheet
        self.areas = areas     # (first row, first column, last row, last column), 1-based
        self.ndim = ndim       # options(ndim=...): the shape .value has

    @property
    def _box(self) -> tuple[int, int, int, int]:
        return self.areas[0]

    def cells(self):
        for r1, c1, r2, c2 in self.areas:
            for r in range(r1, r2 + 1):
                for c in range(c1, c2 + 1):
                    yield r, c

    @property
    def address(self) -> str:
        return ",".join(f"${column_letter(c1 - 1)}${r1}" + (f":${column_letter(c2 - 1)}${r2}" if (r1, c1) != (r2, c2) else "")
                        for r1, c1, r2, c2 in self.areas)

    def resize(self, rows: int, cols: int) -> "Range":
        r1, c1, _, _ = self._box
        return Range(self.sheet, [(r1, c1, r1 + rows - 1, c1 + cols - 1)])

    @property
    def value(self) -> Any:
        """As xlwings reads a range: one cell as its value, one row or column as a list, a
        block as a list of rows; options(ndim=1) a list, options(ndim=2) a list of rows
        whatever the range (one cell: [[value]])."""
        r1, c1, r2, c2 = self._box
        rows = [[self.sheet.values.get((r, c)) for c in range(c1, c2 + 1)] for r in range(r1, r2 + 1)]
        if self.ndim == 2:
            return rows
        if self.ndim == 1 or r1 == r2 or c1 == c2:
            flat = [v for row in rows for v in row]
            return flat if self.ndim == 1 or len(flat) > 1 else flat[0]
        return rows

    @value.setter
    def value(self, value: Any) -> None:
        # As xlwings writes: a list of rows from the first cell, a list along a row, one value.
        self.sheet.check_unprotected()
        rows = value if isinstance(value, list) and value and isinstance(value[0], list) else (
            [value] if isinstance(value, list) else [[value]])
        self._put(rows, as_typed)

    @property
    def formula(self) -> Any:
        """As Excel gives Range.Formula: one cell's formula (its constant as text, "" when
        empty) alone; a range's as a tuple of rows."""
        r1, c1, r2, c2 = self._box
        rows = tuple(tuple(_formula_of(self.sheet.values.get((r, c))) for c in range(c1, c2 + 1))
                     for r in range(r1, r2 + 1))
        return rows[0][0] if (r1, c1) == (r2, c2) else rows

    @formula.setter
    def formula(self, value: Any) -> None:
        self.sheet.check_unprotected()
        rows = value if isinstance(value, (list, tuple)) and value and isinstance(value[0], (list, tuple)) else [[value]]
        self._put([list(r) for r in rows], as_typed)

    def select(self) -> None:
        # Excel's Range.Select fails on a sheet not in front ("Select method of Range class failed").
        if self.sheet.sheets is None or self.sheet.sheets.active is not self.sheet:
            raise ComError("Select method of Range class failed")
        self.sheet.sheets.selection = self

    def _put(self, rows: list[list[Any]], read=lambda v: v) -> None:
        r1, c1, _, _ = self._box
        for i, row in enumerate(rows):
            for j, v in enumerate(row):
                if v is None or v == "":
                    self.sheet.values.pop((r1 + i, c1 + j), None)
                else:
                    self.sheet.values[r1 + i, c1 + j] = read(v) if isinstance(v, str) else v

    def _set(self, store: dict, value: Any) -> None:
        self.sheet.check_unprotected()
        for cell in self.cells():
            store[cell] = value

    number_format = property(lambda self: self.sheet.formats.get(self._box[:2]),
                             lambda self, v: self._set(self.sheet.formats, v))
    wrap_text = property(lambda self: self.sheet.wrapped.get(self._box[:2], False),
                         lambda self, v: self._set(self.sheet.wrapped, v))
    vertical_alignment = property(lambda self: self.sheet.aligned.get(self._box[:2], "bottom"),
                                  lambda self, v: self._set(self.sheet.aligned, v))

    @property
    def column_width(self) -> float:
        return self.sheet.widths.get(self._box[1], 8.43)

    @column_width.setter
    def column_width(self, width: float) -> None:
        self.sheet.check_unprotected()
        for c in range(self._box[1], self._box[3] + 1):
            self.sheet.widths[c] = width

    @property
    def row_height(self) -> float:
        return self.sheet.heights.get(self._box[0], POINTS_PER_ROW)

    @row_height.setter
    def row_height(self, height: float) -> None:
        self.sheet.check_unprotected()
        for r in range(self._box[0], self._box[2] + 1):
            self.sheet.heights[r] = height

    @property
    def rows(self):
        r1, _, r2, _ = self._box

        def autofit() -> None:
            self.sheet.autofitted.append((r1, r2))
            for r in range(r1, r2 + 1):
                self.sheet.heights.pop(r, None)   # back to what its text needs
        return SimpleNamespace(autofit=autofit, count=r2 - r1 + 1)

    @property
    def columns(self):
        _, c1, _, c2 = self._box
        return SimpleNamespace(count=c2 - c1 + 1)

    def options(self, ndim: int | None = None, **_: Any) -> "Range":
        # (empty=None and err_to_str: the fake holds None for an empty cell, an error as its text)
        return Range(self.sheet, self.areas, ndim)

    @property
    def font(self):
        sheet, cells = self.sheet, list(self.cells())

        class Font:
            @property
            def bold(self):
                return all(sheet.bold.get(c, False) for c in cells)

            @bold.setter
            def bold(self, value):
                sheet.check_unprotected()
                for c in cells:
                    sheet.bold[c] = value
        return Font()

    left = property(lambda self: (self._box[1] - 1) * POINTS_PER_COLUMN)
    top = property(lambda self: (self._box[0] - 1) * POINTS_PER_ROW)
    width = property(lambda self: (self._box[3] - self._box[1] + 1) * POINTS_PER_COLUMN)
    height = property(lambda self: (self._box[2] - self._box[0] + 1) * POINTS_PER_ROW)

    @property
    def api(self) -> "RangeApi":
        return RangeApi(self)

    @property
    def row(self) -> int:
        return self._box[0]

    @property
    def column(self) -> int:
        return self._box[1]


class RangeApi:
    """The COM properties read of a range, each worked out when read (a range may be whole
    columns): MergeCells (True, False, or None when some of its cells are merged) and the
    MergeArea of its first cell, as Excel answers; HasFormula; SpecialCells of drop-downs
    (xlCellTypeAllValidation) and notes (xlCellTypeComments), raising as Excel does when
    there are none ("No cells were found."); Hyperlinks."""

    def __init__(self, rng: Range):
        self.rng = rng

    @property
    def MergeCells(self) -> bool | None:
        size = sum(map(_size, self.rng.areas))
        # (merged areas do not overlap one another: their shares of the range add up)
        merged = sum(_size(_overlap(box, m)) for box in self.rng.areas for m in self.rng.sheet.merged)
        return False if not merged else True if merged == size else None

    @property
    def MergeArea(self) -> SimpleNamespace:
        r, c = self.rng._box[:2]
        r1, c1, r2, c2 = next((m for m in self.rng.sheet.merged if m[0] <= r <= m[2] and m[1] <= c <= m[3]),
                              (r, c, r, c))
        return SimpleNamespace(Row=r1, Column=c1, Rows=SimpleNamespace(Count=r2 - r1 + 1),
                               Columns=SimpleNamespace(Count=c2 - c1 + 1))

    @property
    def HasFormula(self) -> bool | None:
        # as Excel answers it: True when every cell holds one, False when none, else None
        formulas = {_is_formula(self.rng.sheet.values.get(cell)) for cell in self.rng.cells()}
        return formulas.pop() if len(formulas) == 1 else None

    @property
    def Hyperlinks(self) -> list[SimpleNamespace]:
        """The links of the sheet's cells (Insert > Link) in the range, each with its Range."""
        return [SimpleNamespace(Range=SimpleNamespace(Row=r1, Column=c1, Rows=SimpleNamespace(Count=r2 - r1 + 1),
                                                      Columns=SimpleNamespace(Count=c2 - c1 + 1)))
                for r1, c1, r2, c2 in self.rng.sheet.links if any(_overlap(box, (r1, c1, r2, c2))
                                                                  for box in self.rng.areas)]

    def SpecialCells(self, kind: int) -> SimpleNamespace:
        sheet = self.rng.sheet
        if kind == XL_ALL_VALIDATION:
            found = [o for box in self.rng.areas for v in sheet.validations if (o := _overlap(box, v))]
        elif kind == XL_COMMENTS:
            found = [(r, c, r, c) for r, c in sorted(sheet.notes)
                     if any(r1 <= r <= r2 and c1 <= c <= c2 for r1, c1, r2, c2 in self.rng.areas)]
        else:
            raise NotImplementedError(kind)
        if not found:
            raise ComError("No cells were found.")
        return SimpleNamespace(Areas=[SimpleNamespace(Row=r1, Column=c1, Rows=SimpleNamespace(Count=r2 - r1 + 1),
                                                      Columns=SimpleNamespace(Count=c2 - c1 + 1))
                                      for r1, c1, r2, c2 in found])


XL_ALL_VALIDATION, XL_COMMENTS = -4174, -4144   # Excel's XlCellType


def _overlap(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> tuple[int, ...]:
    """The box two boxes (first row, column, last row, column) share; () when none."""
    r1, c1, r2, c2 = max(a[0], b[0]), max(a[1], b[1]), min(a[2], b[2]), min(a[3], b[3])
    return (r1, c1, r2, c2) if r1 <= r2 and c1 <= c2 else ()


def _size(box: tuple[int, ...]) -> int:
    return (box[2] - box[0] + 1) * (box[3] - box[1] + 1) if box else 0


class Chart:
    def __init__(self, charts: "Charts", **kwargs: Any):
        self.charts = charts
        self.added = kwargs
        self.x_values: Range | None = None

    def set_x_axis_values(self, source: Range) -> None:
        self.x_values = source

    def delete(self) -> None:
        self.charts.items.remove(self)


class Charts:
    def __init__(self):
        self.items: list[Chart] = []

    def add(self, **kwargs: Any) -> Chart:
        chart = Chart(self, **kwargs)
        self.items.append(chart)
        return chart

    def __iter__(self):
        return iter(list(self.items))

    def __len__(self) -> int:
        return len(self.items)


class Sheet:
    def __init__(self, name: str, header: str | None = "", rows: list[list[Any]] | None = None):
        self.name = name
        self.values: dict[tuple[int, int], Any] = {}
        self.merged: list[tuple[int, int, int, int]] = []   # merged areas (first row, column, last row, column)
        self.validations: list[tuple[int, int, int, int]] = []   # areas with a drop-down (data validation)
        self.notes: set[tuple[int, int]] = set()                 # cells with a note (comment)
        self.links: list[tuple[int, int, int, int]] = []         # areas with a link (Insert > Link)
        self.styled: set[tuple[int, int]] = set()                # cells only formatted (a fill): in the used range
        self.formats: dict[tuple[int, int], str] = {}
        self.wrapped: dict[tuple[int, int], bool] = {}
        self.aligned: dict[tuple[int, int], str] = {}
        self.bold: dict[tuple[int, int], bool] = {}
        self.widths: dict[int, float] = {}
        self.heights: dict[int, float] = {}
        self.autofitted: list[tuple[int, int]] = []
        self.charts = Charts()
        # Excel for Mac: no page header to read (header None).
        page = SimpleNamespace(LeftHeader=header) if header is not None else None
        self.api = SimpleNamespace(PageSetup=page, ProtectContents=False) if page else SimpleNamespace()
        if page:   # (Windows: the sheet's cells, Worksheet.Cells)
            self.api.Cells = RangeApi(Range(self, [(1, 1, MAX_ROWS, MAX_COLUMNS)]))
        self.sheets: Sheets | None = None   # the collection it is in (activate())
        if rows:   # what the sheet holds, as it holds it (not as if typed)
            self.range((1, 1)).resize(len(rows), max(map(len, rows)))._put(rows)

    def range(self, first: Any, last: Any = None) -> Range:
        if isinstance(first, str):
            areas = []
            for part in first.split(","):
                a, _, b = part.partition(":")
                (c1, r1), (c2, r2) = cell_ref(a), cell_ref(b or a)
                areas.append((r1, c1, r2, c2))
            return Range(self, areas)
        (r1, c1), (r2, c2) = first, (last or first)
        return Range(self, [(r1, c1, r2, c2)])

    @property
    def used_range(self) -> Range:
        # As Excel's: the cells holding a value and those only formatted (a fill painted on).
        used = [*self.values, *self.styled]
        if not used:
            return self.range((1, 1))
        rows = [r for r, _ in used]
        cols = [c for _, c in used]
        return self.range((min(rows), min(cols)), (max(rows), max(cols)))

    def check_unprotected(self) -> None:
        """Excel refuses any change to the cells of a protected sheet (Windows: ProtectContents)."""
        if getattr(self.api, "ProtectContents", False):
            raise ComError("The cell or chart you're trying to change is on a protected sheet.")

    def clear(self) -> None:
        # As Excel's Sheet.Clear: contents and formats go; widths, heights and charts stay.
        self.check_unprotected()
        for store in (self.values, self.formats, self.wrapped, self.aligned, self.bold):
            store.clear()

    def autofit(self, axis: str | None = None) -> None:
        self.autofitted.append(("columns", axis))

    def grid(self) -> list[list[Any]]:
        _, _, r2, c2 = self.used_range.areas[0]
        return [[self.values.get((r, c)) for c in range(1, c2 + 1)] for r in range(1, r2 + 1)]

    def activate(self) -> None:
        self.sheets.active = self


class Sheets(list):
    def __init__(self, sheets=()):
        super().__init__(sheets)
        for sheet in self:
            sheet.sheets = self
        self.active: Sheet | None = self[0] if self else None   # the sheet in front
        self.selection: Range | None = None                       # what Range.select() selected last

    def __getitem__(self, key):
        if isinstance(key, str):
            return next(s for s in self if s.name.casefold() == key.casefold())
        return list.__getitem__(self, key)

    def add(self, name: str, after: Sheet | None = None) -> Sheet:
        sheet = Sheet(name, header="")
        sheet.sheets = self
        self.insert(self.index(after) + 1 if after is not None else 0, sheet)
        self.active = sheet   # as Excel's Sheets.Add: the new sheet comes to the front
        return sheet


def as_typed(text: str) -> Any:
    """What Excel (English, month first) keeps of a text handed to Range.Value: what it
    would keep of it typed (xlwings #1269, #2248). A leading apostrophe keeps the rest a
    text; "=...", "+..." and "@..." are formulas, marked ("formula", text); numbers (with
    their leading zeros and past 15 digits lost), percents, TRUE/FALSE, dates and times
    become numbers, booleans and dates; "" leaves the cell empty."""
    if not text:
        return None   # an empty cell
    if text.startswith("'"):
        return text[1:]
    plain = text.strip()
    number = re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?(%?)", plain)
    if number:
        value = float(plain.rstrip("%"))
        return value / 100 if number.group(4) else value
    if plain.upper() in ("TRUE", "FALSE"):
        return plain.upper() == "TRUE"
    if text[:1] in "=+-@":
        return ("formula", text)
    day = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})|(\d{1,2})/(\d{1,2})(/(\d{2}|\d{4}))?", plain)
    if day:
        y, m, d = (day.group(1), day.group(2), day.group(3)) if day.group(1) else (
            day.group(7) or str(date.today().year), day.group(4), day.group(5))
        try:
            return datetime(int(y) + (2000 if len(y) == 2 else 0), int(m), int(d))
        except ValueError:
            return text
    clock = re.fullmatch(r"(\d+):([0-5]\d)(:([0-5]\d))?", plain)
    if clock:   # a time of day, or past 24:00 a duration: a fraction of days
        return (int(clock.group(1)) * 3600 + int(clock.group(2)) * 60 + int(clock.group(4) or 0)) / 86400
    return text


ARRAY_TEXT_MAX = 255   # Excel's, for each text in an array a VBA function returns
CELL_TEXT_MAX = 32767


def udf_result(value: Any) -> Any:
    """What a cell shows for `value` returned by a classic xlwings cell function (Windows):
    xlwings makes it a 2-D list (udfs.call_udf), hands a 1x1 one to VBA as its value and
    one row as a 1-D array (com_server.CallUDF), a None as "" (prepare_xl_data_element);
    Excel shows an array holding any text over 255 characters (UTF-16 units) as #VALUE!
    (xlwings #456), a text alone over a cell's 32 767 too."""
    rows = value if isinstance(value, list) and value and isinstance(value[0], list) else (
        [value] if isinstance(value, list) else [[value]])
    rows = [["" if v is None else v for v in row] for row in rows]

    def units(v):
        return len(v.encode("utf-16-le")) // 2 if isinstance(v, str) else 0

    if len(rows) == 1 and len(rows[0]) == 1:
        return "#VALUE!" if units(rows[0][0]) > CELL_TEXT_MAX else rows[0][0]
    if any(units(v) > ARRAY_TEXT_MAX for row in rows for v in row):
        return "#VALUE!"
    return rows[0] if len(rows) == 1 else rows


def _is_formula(value: Any) -> bool:
    return isinstance(value, tuple) and value[:1] == ("formula",)


def _formula_of(value: Any) -> str:
    """A cell's Range.Formula: its formula, else its constant as Excel writes it, "" if empty."""
    if _is_formula(value):
        return value[1]
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).upper()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


class App:
    """The Excel an xlwings Book belongs to (Book.app): its message boxes (App.alert), its
    status bar (App.status_bar: False gives it back to Excel), and through .api the
    Windows object model's InputBox (False: Cancel) and folder picker."""

    def __init__(self):
        self.alerts: list[str] = []
        self.statuses: list[Any] = []      # each value status_bar was set to, in order
        self.answers: list[Any] = []       # what InputBox returns, in order; then False (Cancel)
        self.folder: str | None = None     # what the folder picker returns; None: Cancel
        self.api = SimpleNamespace(InputBox=self._input_box, FileDialog=self._file_dialog)

    def alert(self, prompt: str, title: str | None = None, buttons: str = "ok", mode=None, callback=None) -> str:
        self.alerts.append(prompt)
        return buttons.split("_")[0]

    @property
    def status_bar(self) -> Any:
        return self.statuses[-1] if self.statuses else False

    @status_bar.setter
    def status_bar(self, value: Any) -> None:
        self.statuses.append(value)

    def _input_box(self, prompt: str, title: str = "") -> Any:
        return self.answers.pop(0) if self.answers else False

    def _file_dialog(self, kind: int) -> SimpleNamespace:
        app = self

        class Dialog:
            Title = ""

            def Show(self):
                return -1 if app.folder else 0

            def SelectedItems(self, i):
                return app.folder
        return Dialog()


class Book:
    """xlwings' Book: its sheets, full name, App and (Windows) api.ProtectStructure; its
    selection is what a Range.select() of its sheets selected last."""

    def __init__(self, sheets: Sheets, fullname: str):
        self.sheets = sheets
        self.fullname = fullname
        self.app = App()
        self.api = SimpleNamespace(ProtectStructure=False)

    @property
    def selection(self) -> Range | None:
        return self.sheets.selection

    @selection.setter
    def selection(self, value: Range | None) -> None:
        self.sheets.selection = value


def book(*sheets: Sheet, path: str = "calls.xlsx") -> Book:
    return Book(Sheets(sheets), path)
