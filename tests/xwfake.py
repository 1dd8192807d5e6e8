"""A stand-in for the part of xlwings' object model that tracker.excel.book.XwBook uses
to write a sheet, recording what Excel would be told: values, formats, widths, wrapping,
row heights and charts. There is no Excel here; the real one is reached only through
the same calls (tests/excel_smoke.py, where Excel exists)."""
from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from tracker.model import cell_ref, column_letter

POINTS_PER_COLUMN, POINTS_PER_ROW = 48.0, 15.0   # Excel's defaults: 8.43 characters, 15 pt


class Range:
    def __init__(self, sheet: "Sheet", areas: list[tuple[int, int, int, int]]):
        self.sheet = sheet
        self.areas = areas     # (first row, first column, last row, last column), 1-based

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
        r1, c1, r2, c2 = self._box
        if (r1, c1) == (r2, c2):
            return self.sheet.values.get((r1, c1))
        return [[self.sheet.values.get((r, c)) for c in range(c1, c2 + 1)] for r in range(r1, r2 + 1)]

    @value.setter
    def value(self, rows: list[list[Any]]) -> None:
        r1, c1, _, _ = self._box
        for i, row in enumerate(rows):
            for j, v in enumerate(row):
                if v is None or v == "":
                    self.sheet.values.pop((r1 + i, c1 + j), None)
                else:
                    self.sheet.values[r1 + i, c1 + j] = v

    def _set(self, store: dict, value: Any) -> None:
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
        for c in range(self._box[1], self._box[3] + 1):
            self.sheet.widths[c] = width

    @property
    def row_height(self) -> float:
        return self.sheet.heights.get(self._box[0], POINTS_PER_ROW)

    @row_height.setter
    def row_height(self, height: float) -> None:
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
    def font(self):
        sheet, cells = self.sheet, list(self.cells())

        class Font:
            @property
            def bold(self):
                return all(sheet.bold.get(c, False) for c in cells)

            @bold.setter
            def bold(self, value):
                for c in cells:
                    sheet.bold[c] = value
        return Font()

    left = property(lambda self: (self._box[1] - 1) * POINTS_PER_COLUMN)
    top = property(lambda self: (self._box[0] - 1) * POINTS_PER_ROW)
    width = property(lambda self: (self._box[3] - self._box[1] + 1) * POINTS_PER_COLUMN)
    height = property(lambda self: (self._box[2] - self._box[0] + 1) * POINTS_PER_ROW)

    @property
    def row(self) -> int:
        return self._box[0]

    @property
    def column(self) -> int:
        return self._box[1]


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
        if rows:
            self.range((1, 1)).resize(len(rows), max(map(len, rows))).value = rows

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
        if not self.values:
            return self.range((1, 1))
        rows = [r for r, _ in self.values]
        cols = [c for _, c in self.values]
        return self.range((min(rows), min(cols)), (max(rows), max(cols)))

    def clear(self) -> None:
        # As Excel's Sheet.Clear: contents and formats go; widths, heights and charts stay.
        for store in (self.values, self.formats, self.wrapped, self.aligned, self.bold):
            store.clear()

    def autofit(self, axis: str | None = None) -> None:
        self.autofitted.append(("columns", axis))

    def grid(self) -> list[list[Any]]:
        _, _, r2, c2 = self.used_range.areas[0]
        return [[self.values.get((r, c)) for c in range(1, c2 + 1)] for r in range(1, r2 + 1)]


class Sheets(list):
    def __getitem__(self, key):
        if isinstance(key, str):
            return next(s for s in self if s.name.casefold() == key.casefold())
        return list.__getitem__(self, key)

    def add(self, name: str, after: Sheet | None = None) -> Sheet:
        sheet = Sheet(name, header="")
        self.insert(self.index(after) + 1 if after is not None else 0, sheet)
        return sheet


def book(*sheets: Sheet, path: str = "calls.xlsx") -> SimpleNamespace:
    return SimpleNamespace(sheets=Sheets(sheets), fullname=path)
