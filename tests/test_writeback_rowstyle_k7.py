"""Cells a refresh adds in rows or columns the user formatted whole take their style.

A row formatted whole (`<row r="5" s="3" customFormat="1">`: banded rows, a bold header
row) or a column (`<col min="14" max="14" style="3"/>`) shows its style in cells that do
not exist; a cell written without `s` shows style 0 (ECMA-376 18.3.1.73, 18.3.1.13,
18.3.1.4), so our added cells made unfilled gaps in a painted row. Excel gives a cell
typed there the row's style, else the column's (XlsxWriter, which follows it, writes
them so): ours take it too, fitted to our values (our date format on Due, wrapping on
Summary) as a cell the user formatted is (`_LogSheet._users_style`)."""
from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
from openpyxl.styles import Font, PatternFill
from python_calamine import CalamineWorkbook

import tracker.writeback as wb
from tracker.fork import may_fork

from test_fidelity import soffice
from workbooks import refreshed_output, zip_parts

AS_OF = "2026-11-20T09:00"
HEADERS = ["ID", "Date", "Time", "Call type", "Client", "Contact", "Candidates", "Outcome", "Next contact",
           "SM", "Comment on the call", "Whom to remind", "Stage"]   # A:M; ours go to N:Q
OURS = ["Status", "Due", "Next action", "Summary"]
YELLOW, BLUE, GREEN = "00FFFF00", "00CCE5FF", "00CCFFCC"
NONE = "00000000"   # (openpyxl's fill colour of a cell without one)


def log(path: Path, n: int, *, row_fills: dict[int, str] = {}, col_fills: dict[str, str] = {},
        bold_header_row: bool = False) -> Path:
    """A log of n calls; row r painted row_fills[r] as a whole row (no cells of its own
    past M), column L painted col_fills[L] as a whole column."""
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "Call log"
    ws.append(HEADERS)
    for i in range(n):
        ws.append([i + 1, datetime(2026, 11, 2 + i % 20), None, "Interview", f"Client {i}", f"Contact {i}", "",
                   "Planned", datetime(2026, 11, 10 + i % 20), "Olga", f"Call {i}", "", "open"])
    for r, rgb in row_fills.items():
        ws.row_dimensions[r].fill = PatternFill("solid", fgColor=rgb[2:])
    for letter, rgb in col_fills.items():
        ws.column_dimensions[letter].fill = PatternFill("solid", fgColor=rgb[2:])
    if bold_header_row:
        ws.row_dimensions[1].font = Font(bold=True)
    book.save(path)
    return path


def refresh(path: Path) -> str:
    return refreshed_output(path, AS_OF)


def sheet_xml(path: Path) -> str:
    return zip_parts(path)["xl/worksheets/sheet1.xml"].decode()


def fill(cell) -> str:
    return cell.fill.fgColor.rgb if cell.fill.fill_type == "solid" else NONE


def check_refreshed_again(path: Path) -> None:
    """A second refresh finds every cell as it would write it, the file opens in calamine."""
    before = zip_parts(path)
    assert "Nothing changed since the last refresh" in refresh(path)
    assert zip_parts(path) == before
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Call log").to_python()
    assert rows[0][13:17] == OURS and all(row[16] for row in rows[1:])


def test_cells_added_in_rows_formatted_whole_take_the_rows_style(tmp_path: Path):
    n = 8
    bands = {r: (YELLOW if r % 2 else BLUE) for r in range(2, n + 2) if r != 5}   # row 5 left plain
    path = log(tmp_path / "log.xlsx", n, row_fills=bands, bold_header_row=True)
    xml = sheet_xml(path)
    assert re.search(r'<row r="2" customFormat="1" s="\d+">', xml)   # (how openpyxl writes a row's style)
    assert not re.search(r'<c r="N2"', xml)

    assert "Added columns N (Status), O (Due), P (Next action), Q (Summary)." in refresh(path)
    ws = openpyxl.load_workbook(path)["Call log"]
    assert [ws.cell(1, c).value for c in range(14, 18)] == OURS
    assert all(ws.cell(1, c).font.b for c in range(14, 18))   # the header row is bold: ours too
    for r in range(2, n + 2):
        status, due, summary = ws[f"N{r}"], ws[f"O{r}"], ws[f"Q{r}"]
        assert status.value and isinstance(due.value, datetime) and summary.value, r
        for cell in (status, due, summary):
            assert fill(cell) == bands.get(r, NONE), cell.coordinate   # (row 5: ours only)
        assert due.number_format == "yyyy-mm-dd", r   # the row's fill and our date format
        assert summary.alignment.wrap_text, r
    check_refreshed_again(path)


@pytest.mark.skipif(not may_fork(), reason="the rows are patched in two processes on Linux only")
def test_rows_formatted_whole_in_the_half_a_child_patches(tmp_path: Path, monkeypatch):
    # A forked child (_Split) asks its parent for the copies of the rows' styles it needs.
    n = 12
    bands = {r: (YELLOW if r % 3 else GREEN) for r in range(2, n + 2)}
    monkeypatch.setattr(wb, "_BIG_SHEET", 0)
    monkeypatch.setattr(wb, "_SPLIT_FROM", 4)
    path = log(tmp_path / "log.xlsx", n, row_fills=bands)
    refresh(path)
    assert "\x00" not in sheet_xml(path)
    ws = openpyxl.load_workbook(path)["Call log"]
    for r in range(2, n + 2):
        assert [fill(ws.cell(r, c)) for c in (14, 15, 17)] == [bands[r]] * 3, r
        assert ws[f"O{r}"].number_format == "yyyy-mm-dd" and ws[f"Q{r}"].alignment.wrap_text, r
    check_refreshed_again(path)


def test_cells_added_in_columns_formatted_whole_take_the_columns_style(tmp_path: Path):
    n = 6
    path = log(tmp_path / "log.xlsx", n, col_fills={"N": BLUE, "O": BLUE, "Q": GREEN}, row_fills={4: YELLOW})
    assert re.search(r'<col\b[^>]*style="\d+"[^>]*min="14" max="14"', sheet_xml(path))

    refresh(path)
    ws = openpyxl.load_workbook(path)["Call log"]
    assert fill(ws["N1"]) == BLUE and ws["N1"].value == "Status"   # the header's cell too
    for r in range(2, n + 2):
        if r == 4:   # a row's style before its column's, as in Excel
            assert [fill(ws.cell(r, c)) for c in (14, 15, 17)] == [YELLOW] * 3
        else:
            assert [fill(ws.cell(r, c)) for c in (14, 15, 17)] == [BLUE, BLUE, GREEN], r
        assert ws[f"O{r}"].number_format == "yyyy-mm-dd" and ws[f"Q{r}"].alignment.wrap_text, r
        assert ws[f"O{r}"].font.b is False
    check_refreshed_again(path)


def test_libreoffice_shows_the_rows_fill_in_our_cells(tmp_path: Path):
    bands = {2: YELLOW, 3: BLUE}
    path = log(tmp_path / "log.xlsx", 2, row_fills=bands)
    refresh(path)
    ws = openpyxl.load_workbook(soffice(tmp_path, path, "xlsx"))["Call log"]   # as LibreOffice saves it again
    for r, rgb in bands.items():
        assert [fill(ws.cell(r, c))[2:] for c in (14, 15, 17)] == [rgb[2:]] * 3, r
        assert isinstance(ws[f"O{r}"].value, datetime) and ws[f"O{r}"].number_format.replace("\\", "") == "yyyy-mm-dd"


# ---------------------------------------------------------------- the fast path of styled rows

from datetime import date  # noqa: E402

from hypothesis import HealthCheck, given, settings, strategies as st  # noqa: E402

from tracker.writeback import ColumnWrite, WritePlan, apply  # noqa: E402
from workbooks import handmade_xlsx, rewrite_parts  # noqa: E402

FILLS = ('<fills count="4"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>'
         '<fill><patternFill patternType="solid"><fgColor rgb="FFFFFF00"/></patternFill></fill>'
         '<fill><patternFill patternType="solid"><fgColor rgb="FFCCE5FF"/></patternFill></fill></fills>')
XFS = ('<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
       '<xf numFmtId="0" fontId="0" fillId="2" borderId="0" xfId="0" applyFill="1"/>'
       '<xf numFmtId="0" fontId="0" fillId="3" borderId="0" xfId="0" applyFill="1"/></cellXfs>')


def styled_sheet(shapes: list[str]) -> str:
    """A header row (Contact, Notes) and a data row per shape: rows whose cells where ours
    go (C:E) are empty cells the user styled, as Excel, openpyxl and LibreOffice write
    them, some past ours too; rows formatted whole; and rows the fast path leaves alone."""
    rows = ['<row r="1"><c r="A1" t="inlineStr"><is><t>Contact</t></is></c>'
            '<c r="B1" t="inlineStr"><is><t>Notes</t></is></c></row>']
    for r, shape in enumerate(shapes, start=2):
        cells = f'<c r="A{r}" t="inlineStr"><is><t>P{r}</t></is></c><c r="B{r}" s="{1 + r % 2}"><v>{r}</v></c>'
        s = 1 + r % 2
        rows.append({
            "excel": f'<row r="{r}" spans="1:6">{cells}' + "".join(f'<c r="{L}{r}" s="{s}"/>' for L in "CDEF") + "</row>",
            "openpyxl": f'<row r="{r}">{cells}' + "".join(f'<c r="{L}{r}" s="{s}" t="n" />' for L in "CDE") + "</row>",
            "some": f'<row r="{r}" spans="1:5">{cells}<c r="D{r}" s="{s}"/></row>',
            "past ours": f'<row r="{r}" spans="1:8">{cells}<c r="G{r}" s="{s}"/><c r="H{r}" s="1"/></row>',
            "zero": f'<row r="{r}">{cells}<c r="C{r}" s="0"/><c r="E{r}" s="2"/></row>',
            "row style": f'<row r="{r}" spans="1:2" s="{s}" customFormat="1">{cells}</row>',
            "row style, cells": f'<row r="{r}" s="1" customFormat="true">{cells}<c r="E{r}" s="2"/></row>',
            "row style off": f'<row r="{r}" s="1" customFormat="0">{cells}</row>',
            "theirs past ours": f'<row r="{r}">{cells}<c r="D{r}" s="{s}"/><c r="G{r}"><v>7</v></c></row>',
            "without r": f'<row r="{r}"><c><v>{r}</v></c><c r="D{r}" s="1"/></row>',
            "plain": f'<row r="{r}">{cells}</row>',
        }[shape])
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            f'<dimension ref="A1:B{len(shapes) + 1}"/><sheetData>' + "".join(rows) + "</sheetData></worksheet>")


shape = st.sampled_from(["excel", "openpyxl", "some", "past ours", "zero", "row style", "row style, cells",
                         "row style off", "theirs past ours", "without r", "plain"])
long_text = st.text("ab <&>\"' é中\n\t _x0041_", min_size=65, max_size=90)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_styled_rows_fast_path_writes_what_the_general_path_writes(tmp_path_factory, monkeypatch, data):
    """A first refresh patches rows whose cells where ours go are empty and styled, or that
    are formatted whole, without reading them as text (`_LogSheet._fitted_row`): the
    package must be the one `_patch_row` writes, and so the next refresh's."""
    shapes = data.draw(st.lists(shape, min_size=1, max_size=8), label="rows")
    n = len(shapes) + 1
    rows = st.integers(2, n + 2)
    value = st.one_of(st.none(), st.just(""), long_text, st.sampled_from(["Overdue", "Done"]),
                      st.dates(date(2020, 1, 1), date(2030, 1, 1)))
    plan = WritePlan("Calls", 1, 2, data.draw(st.integers(2, n), label="last"), [
        ColumnWrite("Status", ("status",), data.draw(st.dictionaries(rows, value, max_size=8)), key="status"),
        ColumnWrite("Due", ("due",), data.draw(st.dictionaries(rows, value, max_size=8)),
                    number_format="yyyy-mm-dd", key="due"),
        ColumnWrite("Summary", ("summary",), data.draw(st.dictionaries(rows, value, max_size=8)), wrap=True,
                    key="summary"),
    ], [], [])
    folder = tmp_path_factory.mktemp("styled")
    results = []
    for general in (False, True):
        path = handmade_xlsx(folder / f"{general}.xlsx", styled_sheet(shapes))
        rewrite_parts(path, {"xl/styles.xml": lambda t: re.sub(r"<fills.*?</fills>", FILLS,
                                                               re.sub(r"<cellXfs.*?</cellXfs>", XFS, t))})
        with monkeypatch.context() as patch:
            if general:
                patch.setattr(wb._LogSheet, "_fitted_row", lambda self, *args: None)
            for _ in range(2):   # (the second: the rows hold our cells)
                report = apply(path, plan, now=datetime(2026, 11, 22, 9))
                results.append((zip_parts(path), report.cells_written, report.cells_cleared))
    assert results[:2] == results[2:]
