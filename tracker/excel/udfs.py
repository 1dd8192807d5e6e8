"""Cell functions for Excel (classic xlwings UDFs; Windows Excel only).

Each takes the whole call-log table at once (header row included, e.g. `Table1[#All]` or
`A1:V500`) and returns one spilling column, row for row: one call into Python per column,
not one per cell, because xlwings' per-call overhead makes per-cell formulas slow on
thousands of rows. The work is done by tracker.excel.cells, which has no xlwings in it;
cells.for_excel keeps every answer within what Excel takes back from a cell function.

The table comes as its cells (xlwings' "range" converter), not as its values: values alone
do not say which cells are merged (a merge's other cells read blank), and a date merged
over a day's calls dates each of them, as `tracker refresh` and the ribbon read it.
"""
from __future__ import annotations

import xlwings as xw

from . import cells
from .book import merged_down_in


def _table(table) -> tuple[list | None, object]:
    """The table's values, as the ribbon reads a sheet (an error cell as its text, e.g.
    #N/A, which the log reader leaves out as `tracker refresh` does: xlwings' default makes
    it None, a blank), and what Recalc.log_of asks of its merged cells. Values given as
    they are (a caller outside Excel) have no merged cells."""
    if table is None or isinstance(table, (list, tuple)):
        return table, None
    values = table.options(ndim=2, empty=None, err_to_str=True).value
    top, left, sheet = table.row, table.column, table.sheet

    def cells_of(first, last):
        return sheet.range((top + first[0] - 1, left + first[1] - 1), (top + last[0] - 1, left + last[1] - 1))
    return values, lambda header_row, before: merged_down_in(cells_of, values, header_row, before)


def _place(caller) -> dict[str, str | None]:
    # `caller` is xlwings' reserved argument (the calling cell, hidden from Excel's wizard):
    # its workbook tells which tracker.yaml applies, and its sheet where the table's
    # working-out is kept between recalculations.
    try:
        sheet = caller.sheet
        place = {"book_path": sheet.book.fullname, "sheet": sheet.name}
    except Exception:  # noqa: BLE001 - no caller outside Excel; the defaults apply
        return {"book_path": None, "sheet": None}
    try:
        # NOW() given as `as_of` arrives as a bare serial number, counted from 1904 in a
        # workbook that uses the 1904 date system (Excel for Mac's old default).
        place["date1904"] = bool(sheet.book.api.Date1904)
    except Exception:  # noqa: BLE001 - unknown: the 1900 system, Excel's default
        pass
    return place


def _column(table, what: str, caller, **kw):
    values, merged = _table(table)
    return cells.column(values, what, merged=merged, **_place(caller), **kw)


# err_to_str on every other argument: an error cell (#N/A) arrives as its text; by
# default xlwings makes it None, a blank, and an `as_of` of #N/A would have meant "now".
_TABLE_DOC = "The call log's cells with its header row, e.g. Table1[#All] or A1:V500"
_AS_OF_DOC = ("Optional: judge as of this date-time, the workbook's time as in the log (default: now, "
              "to the minute); NOW() is this computer's clock")


@xw.func(category="Call Tracker")
@xw.arg("table", "range", doc=_TABLE_DOC)
@xw.arg("as_of", err_to_str=True, doc=_AS_OF_DOC)
@xw.ret(index=False, header=False)
def TRACKER_STATUS(table, as_of=None, caller=None):
    """Follow-up status of every row: overdue, due today, upcoming, no next action, done."""
    return cells.for_excel(_column(table, "status", caller, as_of=as_of))


@xw.func(category="Call Tracker")
@xw.arg("table", "range", doc=_TABLE_DOC)
@xw.arg("as_of", err_to_str=True, doc=_AS_OF_DOC)
@xw.ret(index=False, header=False)
def TRACKER_DUE(table, as_of=None, caller=None):
    """When each row's next follow-up is due (a date-time; blank when nothing is due)."""
    return cells.for_excel(_column(table, "due", caller, as_of=as_of))


@xw.func(category="Call Tracker")
@xw.arg("table", "range", doc=_TABLE_DOC)
@xw.arg("as_of", err_to_str=True, doc=_AS_OF_DOC)
@xw.ret(index=False, header=False)
def TRACKER_NEXT_STEP(table, as_of=None, caller=None):
    """What to do next on each row: the channel and the action of the chase step."""
    return cells.for_excel(_column(table, "next_action", caller, as_of=as_of))


@xw.func(category="Call Tracker")
@xw.arg("table", "range", doc=_TABLE_DOC)
@xw.arg("lang", err_to_str=True, doc="Optional: en, ru, zh or ja (default: each row's language)")
@xw.arg("row", err_to_str=True, doc="Optional: one row of the table, in full (1 = its first row; "
                                    "ROW() beside a table that starts in row 1)")
@xw.ret(index=False, header=False)
def TRACKER_SUMMARY(table, lang=None, row=None, caller=None):
    """The meeting summary of each row in the agency's standard comment format, cut to 255
    characters (Excel's limit in a spilled column); give `row` for one row's summary in full.

    Excel shows no array from a cell function that holds a text over 255 characters (a
    #VALUE! in every cell), and most summaries are longer: the column has each one's first
    254 characters and "…"; with `row`, one cell gets that row's whole text.
    """
    return cells.for_excel(_column(table, "summary", caller, lang=lang, row=row), row)
