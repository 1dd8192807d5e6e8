"""apply(): our columns, highlights and sheets land in the workbook; the user's cells stay."""
from __future__ import annotations

import codecs
import errno
import io
import itertools
import re
import sys
import zipfile
import zlib
from datetime import date, datetime
from typing import Any, Callable
from pathlib import Path
from xml.etree import ElementTree as ET

import openpyxl
import xlsxwriter
import pytest
from python_calamine import CalamineWorkbook

from tracker.errors import WorkbookError
from tracker.writeback import (
    MARKER, ChartSpec, ColumnWrite, Highlight, SheetWrite, WritePlan, apply, highlight_areas,
)

from workbooks import (
    SHEET_NO_R, handmade_xlsx, png_bytes, raw_entry, rewrite_parts, rich_log, small_overdue_log, table_log,
    two_tables_log, xlsm_log, zip_order, zip_parts,
)

NOW = datetime(2026, 11, 22, 9, 0)
# openpyxl (a reader here, not the writer) warns that it cannot keep sparklines
pytestmark = pytest.mark.filterwarnings("ignore:Sparkline Group:UserWarning")
MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def calamine(path: Path, sheet: str) -> list[list]:
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet).to_python()


def status_plan(values: dict[int, str], *, first: int = 3, last: int = 22, due=None, sheets=None,
                header_row: int = 2) -> WritePlan:
    return WritePlan(
        sheet="Calls", header_row=header_row, first_data_row=first, last_data_row=last,
        columns=[
            ColumnWrite("Status", ("status", "Статус"), values, key="status", width=14),
            ColumnWrite("Due", ("due",), due or {}, number_format="yyyy-mm-dd hh:mm", key="due", width=17),
        ],
        sheets=sheets or [],
        highlights=[
            Highlight("overdue", '${status}{row}="overdue"', "FFC7CE", "9C0006"),
            Highlight("due_today", 'INT(${due}{row})=TODAY()', "FFEB9C"),
        ],
    )


@pytest.fixture
def rich(tmp_path: Path) -> Path:
    return rich_log(tmp_path / "log.xlsx", 20)


def test_columns_are_added_with_values_and_user_cells_unchanged(rich: Path):
    before = calamine(rich, "Calls")
    due = {3: datetime(2026, 11, 20, 10, 30), 5: date(2026, 11, 22)}
    report = apply(rich, status_plan({3: "overdue", 5: "due_today", 8: "upcoming"}, due=due), now=NOW)
    after = calamine(rich, "Calls")
    assert report.added_columns == ["K", "L"]          # right of the used range A:J
    assert report.columns == {"Status": "K", "Due": "L"}
    assert after[1][10:12] == ["Status", "Due"]
    assert after[2][10] == "overdue" and after[2][11] == datetime(2026, 11, 20, 10, 30)
    assert after[4][10] == "due_today" and after[4][11] == date(2026, 11, 22)
    assert after[7][10] == "upcoming"
    assert after[3][10] == "" and after[3][11] == ""
    assert [r[:10] for r in after] == [(r + [""] * 10)[:10] for r in before]
    wb = openpyxl.load_workbook(rich)
    ws = wb["Calls"]
    assert ws["L3"].number_format == "yyyy-mm-dd hh:mm"
    assert ws["G3"].value == "=COUNTA(C3:C22)"
    assert ws.column_dimensions["K"].width == 14
    assert "A1:E1" in {str(r) for r in ws.merged_cells.ranges}
    assert ws["C3"].comment is not None
    assert ws.calculate_dimension() == "A1:L22"


def test_second_apply_clears_rows_that_no_longer_have_a_value(rich: Path):
    apply(rich, status_plan({3: "overdue", 4: "upcoming", 5: "done"}), now=NOW)
    report = apply(rich, status_plan({4: "due_today"}), now=NOW)
    assert report.added_columns == []
    assert report.cells_cleared == 2
    rows = calamine(rich, "Calls")
    assert [rows[i][10] for i in (2, 3, 4)] == ["", "due_today", ""]
    assert rows[1][10] == "Status"                     # the header is never cleared


def test_existing_column_found_by_normalised_header(tmp_path: Path):
    path = small_overdue_log(tmp_path / "s.xlsx")
    wb = openpyxl.load_workbook(path)
    wb["Calls"]["C1"] = "  STATUS:  "
    wb["Calls"]["C2"] = "stale"
    wb["Calls"]["D1"] = "Notes"
    wb["Calls"]["D3"] = "keep me"
    wb.save(path)
    plan = WritePlan("Calls", 1, 2, 5, [ColumnWrite("Status", ("status",), {3: "overdue"})], [], [])
    report = apply(path, plan, now=NOW)
    assert report.columns == {"Status": "C"} and report.added_columns == []
    rows = calamine(path, "Calls")
    assert rows[0][2] == "  STATUS:  "
    assert [r[2] for r in rows[1:]] == ["", "overdue", "", ""]
    assert rows[2][3] == "keep me"


def test_apply_twice_gives_the_same_package(rich: Path, tmp_path: Path):
    sheets = [SheetWrite("Chase today", [["Who", "When", "Calls"], ["Ann", date(2026, 11, 22), 3], ["Bob", NOW, 5]],
                         widths=[20, 14, 8], charts=[ChartSpec("bar", "Calls", (2, 3, 1), [("Calls", 3)], "E2")]),
              SheetWrite("Stats", [["Week", "Calls", "No-shows"], ["W46", 10, 2], ["W47", 12, 1]],
                         charts=[ChartSpec("line", "Trend", (2, 3, 1), [("Calls", 2), ("No-shows", 3)], "E2")])]
    plan = status_plan({3: "overdue", 6: "upcoming"}, due={6: NOW}, sheets=sheets)
    apply(rich, plan, now=NOW)
    once = zip_parts(rich)
    order_once = zip_order(rich)
    apply(rich, plan, now=NOW)
    assert zip_parts(rich) == once
    assert zip_order(rich) == order_once


def test_highlights_are_replaced_not_duplicated(rich: Path):
    apply(rich, status_plan({3: "overdue"}), now=NOW)
    apply(rich, status_plan({3: "overdue"}), now=NOW)
    sheet = zip_parts(rich)["xl/worksheets/sheet1.xml"].decode()
    ours = re.findall(r'<cfRule[^>]*>(?:(?!</cfRule>).)*' + re.escape(MARKER), sheet)
    assert len(ours) == 2
    root = ET.fromstring(sheet)
    blocks = root.findall(f"{MAIN}conditionalFormatting")
    assert len(blocks) == 2                          # the user's rule and ours
    mine = [b for b in blocks if MARKER in ET.tostring(b, encoding="unicode")][0]
    assert mine.get("sqref") == "A3:L22"
    formulas = [f.text for f in mine.iter(f"{MAIN}formula")]
    assert formulas[0] == f'AND(ISTEXT("{MARKER}overdue"),$K3="overdue")'
    assert formulas[1] == f'AND(ISTEXT("{MARKER}due_today"),INT($L3)=TODAY())'
    styles = zip_parts(rich)["xl/styles.xml"].decode()
    assert styles.count('<bgColor rgb="FFFFC7CE"/>') == 1
    wb = openpyxl.load_workbook(rich)
    rules = [r for rng in wb["Calls"].conditional_formatting for r in rng.rules]
    assert len(rules) == 3


def dxfs(path: Path) -> list[str]:
    styles = zip_parts(path)["xl/styles.xml"].decode()
    return re.findall(r"<dxf>.*?</dxf>", re.search(r"<dxfs\b.*?</dxfs>", styles, re.S).group(), re.S)


def test_our_highlight_styles_are_reused_after_another_program_saved_the_workbook(rich: Path):
    # Found by a tester: a log re-saved by openpyxl each day (it writes `<color rgb="..." />`)
    # got three new highlight styles at every refresh, 6 of them grew to 27 in a week.
    plan = status_plan({3: "overdue"})
    plan.highlights.append(Highlight("bold_red", '${status}{row}="lost"', "FFC7CE", "9C0006"))
    apply(rich, plan, now=NOW)
    ours = dxfs(rich)
    bold = ('<dxf><font><b/><color rgb="FF9C0006"/></font>'
            '<fill><patternFill><bgColor rgb="FFFFC7CE"/></patternFill></fill></dxf>')
    for day in range(3):
        book = openpyxl.load_workbook(rich)
        book.save(rich)
        if day == 0:   # and a rule of the user's own, bold: the same fill, another font
            rewrite_parts(rich, {"xl/styles.xml": lambda x: x.replace("</dxfs>", bold + "</dxfs>")})
        resaved = dxfs(rich)
        assert resaved[:len(ours)] != ours                       # openpyxl's spelling, not ours
        apply(rich, plan, now=NOW)
        assert dxfs(rich) == resaved                             # reused, none added
    assert len(resaved) == len(ours) + 1
    sheet = zip_parts(rich)["xl/worksheets/sheet1.xml"].decode()
    ids = re.findall(r'<cfRule type="expression" dxfId="(\d+)"[^>]*><formula>AND\(ISTEXT', sheet)
    assert len(ours) == 3 and ids == ["1", "2", "1"]            # ours (0 is the user's red text), not the bold one


def style_entries(path: Path) -> dict[str, list[str]]:
    """The cell formats, fonts and number formats of a package's styles.xml, as written."""
    styles = zip_parts(path)["xl/styles.xml"].decode()
    out = {}
    for name, item in (("cellXfs", "xf"), ("fonts", "font"), ("numFmts", "numFmt")):
        block = re.search(rf"<{name}\b.*?</{name}>", styles, re.S)
        out[name] = re.findall(rf"<{item}\b[^>]*?/>|<{item}\b[^>]*?[^/]>.*?</{item}>", block.group() if block else "", re.S)
    return out


def test_our_cell_styles_are_reused_after_another_program_saved_the_workbook(rich: Path):
    # Found by a tester: a log re-saved by openpyxl (a user's script) got 6 new cell formats
    # and a bold font again at each refresh after it: openpyxl spells an xf with
    # pivotButton="0" and without applyNumberFormat, a bold font <b val="1" /> among the
    # others, and "0%" as the built-in format 9.
    plan = status_plan({3: "overdue"}, due={3: datetime(2026, 11, 20, 10, 30)}, sheets=[
        SheetWrite("Stats", [["Week", "Rate", "Note"], ["W46", 0.25, "long text"]], widths=[8, 8, 20],
                   number_formats={2: "0%"}, wrap=frozenset({3}))])
    plan.columns.append(ColumnWrite("Summary", ("summary",), {3: "Company Name: Acme\nSM: Olga"}, wrap=True))
    apply(rich, plan, now=NOW)
    for day in range(3):
        openpyxl.load_workbook(rich).save(rich)
        resaved = style_entries(rich)
        assert resaved["cellXfs"][0].count("pivotButton")             # openpyxl's spelling, not ours
        apply(rich, plan, now=NOW)
        assert style_entries(rich) == resaved, f"day {day}"           # reused, none added
        once = zip_parts(rich)
        apply(rich, plan, now=NOW)
        assert zip_parts(rich) == once
    book = openpyxl.load_workbook(rich)
    calls, stats = book["Calls"], book["Stats"]
    assert calls["L3"].number_format == "yyyy-mm-dd hh:mm" and calls["L3"].value == datetime(2026, 11, 20, 10, 30)
    assert calls["M3"].alignment.wrap_text and calls["K2"].value == "Status"
    assert stats["A1"].font.b and not stats["A2"].font.b
    assert stats["B2"].number_format == "0%" and stats["C2"].alignment.wrap_text
    assert calamine(rich, "Stats")[1] == ["W46", 0.25, "long text"]


def test_a_highlight_of_some_rows_has_areas_of_its_own_and_goes_when_dropped(rich: Path):
    plan = status_plan({3: "overdue"})
    plan.highlights.append(Highlight("window", "INT(${due}{row})>=TODAY()", "FFEB9C", rows=(5, 6, 7, 12)))
    apply(rich, plan, now=NOW)
    root = ET.fromstring(zip_parts(rich)["xl/worksheets/sheet1.xml"])
    blocks = {b.get("sqref"): [f.text for f in b.iter(f"{MAIN}formula")]
              for b in root.findall(f"{MAIN}conditionalFormatting")}
    # Written for the first of its rows; the same fill as due_today's, one dxf.
    assert blocks["A5:L7 A12:L12"] == [f'AND(ISTEXT("{MARKER}window"),INT($L5)>=TODAY())']
    assert len(blocks["A3:L22"]) == 2
    assert zip_parts(rich)["xl/styles.xml"].decode().count('<bgColor rgb="FFFFEB9C"/>') == 1
    apply(rich, status_plan({3: "overdue"}), now=NOW)   # the window's rows changed: no such rule now
    sheet = zip_parts(rich)["xl/worksheets/sheet1.xml"].decode()
    assert "A12:L12" not in sheet and f"{MARKER}window" not in sheet and sheet.count(MARKER) == 2


def test_highlight_areas_are_runs_of_rows():
    assert highlight_areas([4, 5, 6, 9, 11, 12], "K") == ["A4:K6", "A9:K9", "A11:K12"]
    assert highlight_areas([7], "C") == ["A7:C7"]


def test_dropping_a_highlight_removes_its_rule(rich: Path):
    apply(rich, status_plan({3: "overdue"}), now=NOW)
    plan = status_plan({3: "overdue"})
    plan.highlights = []
    apply(rich, plan, now=NOW)
    assert MARKER not in zip_parts(rich)["xl/worksheets/sheet1.xml"].decode()


def test_own_sheets_added_then_replaced_in_place(rich: Path):
    plan = status_plan({}, sheets=[SheetWrite("Chase today", [["Who", "When"], ["Ann", date(2026, 11, 22)]], widths=[20, 12])])
    report = apply(rich, plan, now=NOW)
    assert report.sheets_added == ["Chase today"]
    wb = openpyxl.load_workbook(rich)
    assert wb.sheetnames == ["Calls", "Dashboard", "Chase today"]
    ws = wb["Chase today"]
    assert ws["A1"].font.b and ws.freeze_panes == "A2"
    assert ws["B2"].value == datetime(2026, 11, 22)
    plan.sheets = [SheetWrite("Chase today", [["Who", "When"], ["Bob", "tomorrow"], ["Cy", 3]])]
    report = apply(rich, plan, now=NOW)
    assert report.sheets_replaced == ["Chase today"] and report.sheets_added == []
    assert calamine(rich, "Chase today") == [["Who", "When"], ["Bob", "tomorrow"], ["Cy", 3.0]]
    assert openpyxl.load_workbook(rich).sheetnames == ["Calls", "Dashboard", "Chase today"]


def test_charts_are_native_line_and_bar_charts(rich: Path):
    rows = [["Day", "Calls", "Shows"], ["Mon", 4, 2], ["Tue", 6, 5], ["Wed", 3, 1]]
    plan = status_plan({}, sheets=[SheetWrite("Stats", rows, charts=[
        ChartSpec("line", "Calls per day", (2, 4, 1), [("Calls", 2), ("Shows", 3)], "E2"),
        ChartSpec("bar", "Shows", (2, 4, 1), [("Shows", 3)], "E20")])])
    apply(rich, plan, now=NOW)
    parts = zip_parts(rich)
    charts = {n: p.decode() for n, p in parts.items() if n.startswith("xl/charts/chart") and n.endswith(".xml")}
    new = [t for t in charts.values() if "Calls per day" in t or "<c:v>Shows</c:v>" in t]
    assert len(new) == 2
    assert any("<c:lineChart>" in t and "<c:f>'Stats'!$B$2:$B$4</c:f>" in t for t in new)
    assert any("<c:barChart>" in t and "<c:f>'Stats'!$C$2:$C$4</c:f>" in t for t in new)
    for t in new:
        ET.fromstring(t)
    wb = openpyxl.load_workbook(rich)
    assert len(wb["Stats"]._charts) == 2
    assert len(wb["Dashboard"]._charts) == 1       # the user's chart is still there
    ct = parts["[Content_Types].xml"].decode()
    for n in charts:
        assert f'PartName="/{n}"' in ct


def test_table_is_extended_by_an_adjacent_column(tmp_path: Path):
    path = table_log(tmp_path / "t.xlsx", 10)
    plan = WritePlan("Calls", 1, 2, 11, [ColumnWrite("Status", ("status",), {2: "overdue", 11: "done"})], [], [])
    report = apply(path, plan, now=NOW)
    assert report.added_columns == ["F"] and report.tables_extended == ["CallLog"]
    wb = openpyxl.load_workbook(path)
    table = wb["Calls"].tables["CallLog"]
    assert table.ref == "A1:F11"
    assert [c.name for c in table.tableColumns] == ["Date", "Call type", "Contact", "Next contact", "Comment", "Status"]
    assert table.autoFilter is None or table.autoFilter.ref == "A1:F11"
    assert calamine(path, "Calls")[1][5] == "overdue"
    before = zip_parts(path)
    apply(path, plan, now=NOW)
    assert zip_parts(path) == before


def test_xlsm_keeps_its_vba_project(tmp_path: Path):
    path = xlsm_log(tmp_path / "book.xlsm")
    before = zip_parts(path)
    sheet = CalamineWorkbook.from_path(str(path)).sheet_names[0]
    plan = WritePlan(sheet, 1, 2, 5, [ColumnWrite("Status", ("status",), {2: "overdue"})],
                     [SheetWrite("Stats", [["a", "b"], [1, 2]])], [])
    apply(path, plan, now=NOW)
    after = zip_parts(path)
    assert after["xl/vbaProject.bin"] == before["xl/vbaProject.bin"]
    ct = after["[Content_Types].xml"].decode()
    assert "application/vnd.ms-excel.sheet.macroEnabled.main+xml" in ct
    assert "vbaProject" in ct
    wb = openpyxl.load_workbook(path, keep_vba=True)
    assert "Stats" in wb.sheetnames


def test_rows_and_cells_without_r_attributes(tmp_path: Path):
    path = handmade_xlsx(tmp_path / "nor.xlsx", SHEET_NO_R)
    plan = WritePlan("Calls", 1, 2, 4, [ColumnWrite("Status", ("status",), {3: "overdue", 4: "done"})], [], [])
    apply(path, plan, now=NOW)
    rows = calamine(path, "Calls")
    assert rows == [["Contact", "Status", "Notes"], ["Ann", "", 7.0], ["Bob", "overdue", 8.0], ["", "done", ""]]
    wb = openpyxl.load_workbook(path)
    assert wb["Calls"]["C3"].value == 8 and wb["Calls"]["B4"].value == "done"


def test_new_rows_and_an_empty_sheet(tmp_path: Path):
    empty = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
             '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData/></worksheet>')
    path = handmade_xlsx(tmp_path / "e.xlsx", empty)
    plan = WritePlan("Calls", 1, 2, 3, [ColumnWrite("Status", ("status",), {3: True, 2: 1.5})], [], [])
    apply(path, plan, now=NOW)
    assert calamine(path, "Calls") == [["Status"], [1.5], [True]]


@pytest.mark.parametrize("case, message", [
    ("strict", "strict Open XML"),
    ("broken_sheet", "cut short"),
    ("not_zip", r"this is not an Excel workbook but plain text, likely a CSV export"),
    ("no_sheet", "no sheet named"),
    ("bad_placeholder", "unknown column placeholder"),
])
def test_refusals_leave_the_file_byte_identical(tmp_path: Path, case: str, message: str):
    ok_sheet = SHEET_NO_R
    plan = WritePlan("Calls", 1, 2, 3, [ColumnWrite("Status", ("status",), {2: "x"})], [], [])
    if case == "strict":
        path = handmade_xlsx(tmp_path / "s.xlsx", ok_sheet, workbook_ns="http://purl.oclc.org/ooxml/spreadsheetml/main")
    elif case == "broken_sheet":
        path = handmade_xlsx(tmp_path / "s.xlsx", ok_sheet[:-40])
    elif case == "not_zip":
        path = tmp_path / "s.xlsx"
        path.write_text("Contact,Status\n")
    elif case == "no_sheet":
        path = handmade_xlsx(tmp_path / "s.xlsx", ok_sheet)
        plan.sheet = "Log"
    else:
        path = handmade_xlsx(tmp_path / "s.xlsx", ok_sheet)
        plan.highlights = [Highlight("x", "${nope}{row}=1", "FF0000")]
    before = path.read_bytes()
    with pytest.raises(WorkbookError, match=message):
        apply(path, plan, now=NOW)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.xlsx"]


def test_encrypted_workbook_is_refused(tmp_path: Path):
    msoffcrypto = pytest.importorskip("msoffcrypto")
    from msoffcrypto.format.ooxml import OOXMLFile

    plain = small_overdue_log(tmp_path / "plain.xlsx")
    path = tmp_path / "locked.xlsx"
    with open(plain, "rb") as src, open(path, "wb") as dst:
        OOXMLFile(src).encrypt("secret", dst)
    before = path.read_bytes()
    plan = WritePlan("Calls", 1, 2, 5, [ColumnWrite("Status", ("status",), {2: "x"})], [], [])
    with pytest.raises(WorkbookError, match="password-protected"):
        apply(path, plan, now=NOW)
    assert path.read_bytes() == before
    del msoffcrypto


def test_text_is_escaped_and_control_characters_kept_readable(tmp_path: Path):
    path = small_overdue_log(tmp_path / "s.xlsx")
    nasty = 'a < b & "c" \x07 > d _x0041_\n  line 2  '
    plan = WritePlan("Calls", 1, 2, 5, [ColumnWrite("Note", ("note",), {2: nasty}, wrap=True)], [], [])
    apply(path, plan, now=NOW)
    assert calamine(path, "Calls")[1][2] == nasty
    assert openpyxl.load_workbook(path)["Calls"]["C2"].alignment.wrap_text


def test_values_of_every_kind(tmp_path: Path):
    path = small_overdue_log(tmp_path / "s.xlsx")
    from datetime import time as dtime
    values = {2: True, 3: 42, 4: 2.5, 5: dtime(14, 30)}
    plan = WritePlan("Calls", 1, 2, 5, [ColumnWrite("Value", ("value",), values)], [], [])
    apply(path, plan, now=NOW)
    ws = openpyxl.load_workbook(path)["Calls"]
    assert [ws[f"C{r}"].value for r in range(2, 5)] == [True, 42, 2.5]
    assert ws["C5"].value == pytest.approx(14.5 / 24)


def test_1904_date_system(tmp_path: Path):
    from openpyxl.utils.datetime import CALENDAR_MAC_1904

    path = tmp_path / "mac.xlsx"
    wb = openpyxl.Workbook()
    wb.epoch = CALENDAR_MAC_1904
    ws = wb.active
    ws.title = "Calls"
    ws.append(["Contact"])
    ws.append(["Ann"])
    wb.save(path)
    plan = WritePlan("Calls", 1, 2, 2, [ColumnWrite("Due", ("due",), {2: date(2026, 11, 22)})], [], [])
    apply(path, plan, now=NOW)
    assert openpyxl.load_workbook(path)["Calls"]["B2"].value == datetime(2026, 11, 22)


def test_prefixed_sheet_xml_is_refused(tmp_path: Path):
    sheet = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
             '<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData>'
             '<x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>Contact</x:t></x:is></x:c></x:row>'
             '</x:sheetData></x:worksheet>')
    path = handmade_xlsx(tmp_path / "p.xlsx", sheet)
    before = path.read_bytes()
    with pytest.raises(WorkbookError, match="form we do not carry"):
        apply(path, WritePlan("Calls", 1, 2, 3, [ColumnWrite("Status", ("status",), {2: "x"})], [], []), now=NOW)
    assert path.read_bytes() == before


def test_open_in_libreoffice_is_refused(tmp_path: Path):
    path = small_overdue_log(tmp_path / "s.xlsx")
    (tmp_path / ".~lock.s.xlsx#").write_text("olga,host,...")
    with pytest.raises(WorkbookError, match="open in LibreOffice"):
        apply(path, WritePlan("Calls", 1, 2, 5, [ColumnWrite("S", ("s",), {2: "x"})], [], []), now=NOW)


def test_colour_rules_go_after_a_custom_view_not_into_it(tmp_path: Path):
    # Found by a tester: with a Custom View (View > Custom Views) and no rules of the
    # user's, our rules went before the first <pageMargins>, the custom view's own: a
    # conditionalFormatting inside customSheetView, which the schema does not allow
    # (LibreOffice dropped our rules on saving).
    view = ('<customSheetViews><customSheetView guid="{6F0C1D0E-1111-4A4B-9C9D-123456789ABC}" scale="100">'
            '<selection activeCell="B3" sqref="B3"/><pageMargins left="0.5" right="0.5" top="0.5" bottom="0.5" '
            'header="0.3" footer="0.3"/><pageSetup orientation="landscape"/></customSheetView></customSheetViews>')
    sheet = sheet_xml("A1:C2").replace("</sheetData>", "</sheetData>" + view + '<pageMargins left="0.7" right="0.7" '
                                       'top="0.75" bottom="0.75" header="0.3" footer="0.3"/>')
    path = handmade_xlsx(tmp_path / "v.xlsx", sheet)
    plan = WritePlan("Calls", 1, 2, 2, [ColumnWrite("Status", ("status",), {2: "Overdue"})], [],
                     [Highlight("overdue", '${status}{row}="Overdue"', "FFC7CE")])
    apply(path, plan, now=NOW)
    root = ET.fromstring(zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml"))
    ns = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    children = [child.tag.removeprefix(ns) for child in root]
    assert children.index("customSheetViews") < children.index("conditionalFormatting") < children.index("pageMargins")
    assert not list(root.find(f"{ns}customSheetViews").iter(f"{ns}conditionalFormatting"))
    assert openpyxl.load_workbook(path)["Calls"].conditional_formatting


def test_a_workbook_whose_structure_is_protected_gets_no_new_sheet(tmp_path: Path):
    # Found by a tester: Review > Protect Workbook locks adding sheets, and refresh added
    # Chase today, Reminders and Stats all the same.
    from tracker.writeback import preflight

    path = rewrite_parts(small_overdue_log(tmp_path / "locked.xlsx"), {"xl/workbook.xml": lambda x: x.replace(
        "<sheets>", '<workbookProtection workbookPassword="DAA7" lockStructure="1"/><sheets>')})
    before = path.read_bytes()
    plan = WritePlan("Calls", 1, 2, 5, [ColumnWrite("Status", ("status",), {2: "x"})], [SheetWrite("Stats", [["a"]])], [])
    with pytest.raises(WorkbookError, match="structure is protected.*'Stats'.*nothing was changed"):
        preflight(path, ["Stats"])
    with pytest.raises(WorkbookError, match="structure is protected"):
        apply(path, plan, now=NOW)
    assert path.read_bytes() == before
    # Our sheets there already are rewritten in place: no sheet added, nothing to refuse.
    path = small_overdue_log(tmp_path / "open.xlsx")
    apply(path, plan, now=NOW)
    path = rewrite_parts(path, {"xl/workbook.xml": lambda x: x.replace(
        "<sheets>", '<workbookProtection lockStructure="1"/><sheets>')})
    preflight(path, ["Stats"])
    apply(path, WritePlan("Calls", 1, 2, 5, [], [SheetWrite("Stats", [["b"]])], []), now=NOW)
    assert openpyxl.load_workbook(path)["Stats"]["A1"].value == "b"


def test_a_content_type_left_for_a_part_that_is_gone_does_not_type_our_new_sheet(tmp_path: Path):
    # Found by a tester: an Override for a missing /xl/worksheets/sheet2.xml of the
    # chartsheet type made our new sheet, written under that name, a chartsheet.
    chartsheet = "application/vnd.openxmlformats-officedocument.spreadsheetml.chartsheet+xml"
    # (written in other case: part names compare without it)
    path = rewrite_parts(small_overdue_log(tmp_path / "ct.xlsx"), {"[Content_Types].xml": lambda x: x.replace(
        "</Types>", f'<Override PartName="/xl/Worksheets/Sheet2.xml" ContentType="{chartsheet}"/></Types>')})
    apply(path, WritePlan("Calls", 1, 2, 5, [], [SheetWrite("Stats", [["a"]])], []), now=NOW)
    types = ET.fromstring(zipfile.ZipFile(path).read("[Content_Types].xml"))
    overrides = [(o.get("PartName").lower(), o.get("ContentType")) for o in types
                 if o.tag.endswith("Override") and o.get("PartName").lower().startswith("/xl/worksheets/")]
    assert chartsheet not in dict(overrides).values() and len(overrides) == 2
    assert openpyxl.load_workbook(path)["Stats"]["A1"].value == "a"


_CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
_PKG_RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _prefixed_types(x: str) -> str:
    x = x.replace(f'<Types xmlns="{_CT_NS}">', f'<ct:Types xmlns:ct="{_CT_NS}">').replace("</Types>", "</ct:Types>")
    return re.sub(r"<(Default|Override)\b", r"<ct:\1", x)


def _prefixed_rels(x: str) -> str:
    x = x.replace(f'<Relationships xmlns="{_PKG_RELS_NS}">', f'<pr:Relationships xmlns:pr="{_PKG_RELS_NS}">')
    return x.replace("</Relationships>", "</pr:Relationships>").replace("<Relationship ", "<pr:Relationship ")


def _r_on_the_sheet(x: str) -> str:   # xmlns:r declared on <sheet>, not on the root
    return x.replace(f' xmlns:r="{_R_NS}"', "", 1).replace('<sheet name="Calls"', f'<sheet xmlns:r="{_R_NS}" name="Calls"')


@pytest.mark.parametrize("form", ["prefixed content types", "prefixed relationships", "r declared on a sheet",
                                  "space before > of end tags"])
def test_parts_written_in_any_legal_form_stay_well_formed_with_our_sheet_added(tmp_path: Path, form: str):
    # Found by a tester: refresh wrote an ill-formed package (exit 0) when the writer had
    # bound a namespace to a prefix (<ct:Types>, <pr:Relationships>), declared xmlns:r on
    # a <sheet>, or put white space before the > of an end tag (</Types >).
    edit = {
        "prefixed content types": {"[Content_Types].xml": _prefixed_types},
        "prefixed relationships": {"xl/_rels/workbook.xml.rels": _prefixed_rels},
        "r declared on a sheet": {"xl/workbook.xml": _r_on_the_sheet},
        "space before > of end tags": {
            "[Content_Types].xml": lambda x: x.replace("</Types>", "</Types >"),
            "xl/_rels/workbook.xml.rels": lambda x: x.replace("</Relationships>", "</Relationships\n>"),
            "xl/workbook.xml": lambda x: x.replace("</sheets>", "</sheets >").replace("</workbook>", "</workbook\t>")},
    }[form]
    path = rewrite_parts(small_overdue_log(tmp_path / "f.xlsx"), edit)
    apply(path, WritePlan("Calls", 1, 2, 5, [ColumnWrite("Status", ("status",), {2: "x"})],
                          [SheetWrite("Stats", [["a"]])], []), now=NOW)
    parts = zip_parts(path)
    for name, data in parts.items():
        if name.endswith((".xml", ".rels")):
            ET.fromstring(data)   # well-formed, every prefix bound
    # ...and what we added is in its parent's namespace, where Excel looks for it
    types = ET.fromstring(parts["[Content_Types].xml"])
    assert f"{{{_CT_NS}}}Override" in {o.tag for o in types if o.get("PartName") == "/xl/worksheets/sheet2.xml"}
    rels = ET.fromstring(parts["xl/_rels/workbook.xml.rels"])
    assert all(r.tag == f"{{{_PKG_RELS_NS}}}Relationship" for r in rels) and len(rels) == 5
    sheets = ET.fromstring(parts["xl/workbook.xml"]).find(f"{MAIN}sheets")
    assert [(s.get("name"), s.get(f"{{{_R_NS}}}id")) for s in sheets] == [("Calls", "rId1"), ("Stats", "rId5")]
    book = openpyxl.load_workbook(path)
    assert book["Stats"]["A1"].value == "a" and book["Calls"]["C2"].value == "x"
    apply(path, WritePlan("Calls", 1, 2, 5, [], [SheetWrite("Stats", [["b"]])], []), now=NOW)   # ours, replaced
    assert openpyxl.load_workbook(path)["Stats"]["A1"].value == "b"


def test_a_small_part_our_edit_would_leave_ill_formed_is_refused_and_nothing_changes(tmp_path: Path, monkeypatch):
    # The safety net under every text edit of the user's small parts: whatever form the
    # splicing did not foresee, the package is not replaced by an ill-formed one.
    import tracker.writeback as wbk

    path = small_overdue_log(tmp_path / "n.xlsx")
    before = path.read_bytes()
    real = wbk._ct_override
    monkeypatch.setattr(wbk, "_ct_override", lambda ct, part, ctype: real(ct, part, ctype).replace(
        "<Override", "<x:Override", 1))
    with pytest.raises(WorkbookError, match=r"cannot update \[Content_Types\]\.xml.*unbound prefix.*nothing was changed"):
        apply(path, WritePlan("Calls", 1, 2, 5, [], [SheetWrite("Stats", [["a"]])], []), now=NOW)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["n.xlsx"]


@pytest.mark.parametrize("mark", ["drop-down", "note", "merged", "link", "merged from B", "drop-down from B"])
def test_new_columns_go_right_of_the_users_drop_downs_and_notes_on_empty_cells(tmp_path: Path, mark):
    # Found by a tester: LibreOffice leaves a column of empty cells out of <dimension>
    # though it holds a drop-down (L2:L201) or a note (L3); our Status went into L, over
    # the user's drop-down and under their note.
    path = tmp_path / f"{mark}.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Calls")
    ws.write_row(0, 0, ["Contact", "Next contact"])
    ws.write_row(1, 0, ["Ann", "2026-11-20"])
    if mark == "drop-down":
        ws.data_validation("C2:C201", {"validate": "list", "source": ["Hot", "Cold"]})
    elif mark == "note":
        ws.write_comment("C3", "call her first")
    elif mark == "merged":
        ws.merge_range("C4:D4", "")
    elif mark == "merged from B":   # from the last used column into the free ones (found by a review)
        ws.merge_range("B4:D4", "")
    elif mark == "drop-down from B":
        ws.data_validation("B2:D201", {"validate": "list", "source": ["Hot", "Cold"]})
    else:
        ws.write_url("C5", "https://example.com", string="")
    wb.close()
    # As LibreOffice writes it: the dimension of the cells with values only.
    rewrite_parts(path, {"xl/worksheets/sheet1.xml": lambda x: re.sub(
        r'<dimension ref="[^"]*"/>', '<dimension ref="A1:B2"/>', x)})
    plan = WritePlan("Calls", 1, 2, 2, [ColumnWrite("Status", ("status",), {2: "Overdue"})], [],
                     [Highlight("overdue", '${status}{row}="Overdue"', "FFC7CE")])
    apply(path, plan, now=NOW)
    sheet = openpyxl.load_workbook(path)["Calls"]
    first_free = "E" if mark in ("merged", "merged from B", "drop-down from B") else "D"   # right of C, or of C4:D4
    assert sheet[f"{first_free}1"].value == "Status" and sheet[f"{first_free}2"].value == "Overdue"
    assert sheet["C1"].value is None and sheet["C2"].value is None
    if mark.startswith("drop-down"):
        [dv] = sheet.data_validations.dataValidation
        assert str(dv.sqref) == ("C2:C201" if mark == "drop-down" else "B2:D201")


X14_DROP_DOWN = (  # a list from another sheet, as Excel writes it: in the extension list
    '<extLst><ext uri="{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}" '
    'xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main">'
    '<x14:dataValidations count="1" xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main">'
    '<x14:dataValidation type="list" allowBlank="1"><x14:formula1><xm:f>Lists!$A$1:$A$3</xm:f></x14:formula1>'
    '<xm:sqref>C2:C201</xm:sqref></x14:dataValidation></x14:dataValidations></ext></extLst></worksheet>')


@pytest.mark.parametrize("mark, first_free", [
    ("x14 drop-down", "D"), ("sparkline", "D"), ("picture", "D"), ("chart", "K"), ("picture from A", "E"),
    ("picture with no end", "E"), ("picture beyond", "C")])
def test_new_columns_go_right_of_the_users_x14_drop_downs_sparklines_and_pictures(tmp_path: Path, mark, first_free):
    # Found by a tester: a drop-down in the x14 form, a sparkline, a picture or a chart on
    # the first free columns were not seen, and our Status went under them.
    path = tmp_path / f"{mark}.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Calls")
    ws.write_row(0, 0, ["Contact", "Next contact"])
    ws.write_row(1, 0, ["Ann", "2026-11-20"])
    change = {}
    if mark == "x14 drop-down":
        change["xl/worksheets/sheet1.xml"] = lambda x: x.replace("</worksheet>", X14_DROP_DOWN)
    elif mark == "sparkline":
        ws.add_sparkline("C3", {"range": "Calls!E2:G2"})
    elif mark == "picture":
        ws.insert_image("C5", "dot.png", {"image_data": io.BytesIO(png_bytes())})
    elif mark == "chart":   # 480 pixels wide: C to J, columns of 64
        chart = wb.add_chart({"type": "column"})
        chart.add_series({"values": "=Calls!$E$2:$G$2"})
        ws.insert_chart("C6", chart)
    elif mark in ("picture from A", "picture with no end"):   # 200 pixels wide: A to D
        ws.insert_image("A6", "wide.png", {"image_data": io.BytesIO(png_bytes(200, 10))})
    else:   # right of where ours go, and not over them
        ws.insert_image("E5", "dot.png", {"image_data": io.BytesIO(png_bytes())})
    if mark == "picture with no end":   # a oneCellAnchor (openpyxl's pictures): a size, no <xdr:to>
        change["xl/drawings/drawing1.xml"] = lambda x: re.sub(
            r"<xdr:twoCellAnchor[^>]*>(.*?</xdr:from>)<xdr:to>.*?</xdr:to>(.*?)</xdr:twoCellAnchor>",
            r'<xdr:oneCellAnchor>\1<xdr:ext cx="1905000" cy="95250"/>\2</xdr:oneCellAnchor>', x, flags=re.S)
    wb.close()
    rewrite_parts(path, change)
    before = zip_parts(path)
    plan = WritePlan("Calls", 1, 2, 2, [ColumnWrite("Status", ("status",), {2: "Overdue"})], [], [])
    report = apply(path, plan, now=NOW)
    assert report.added_columns == [first_free]
    assert calamine(path, "Calls")[1][-1] == "Overdue"
    after = zip_parts(path)
    if mark == "x14 drop-down":
        assert X14_DROP_DOWN[:-len("</worksheet>")].encode() in after["xl/worksheets/sheet1.xml"]
    else:
        assert all(after[n] == data for n, data in before.items() if n.startswith("xl/drawings/"))


def sheet_xml(dimension: str | None) -> str:
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            f'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{dim}<sheetData>'
            '<row r="1"><c r="A1" t="inlineStr"><is><t>Contact</t></is></c></row>'
            '<row r="2"><c r="A2" t="inlineStr"><is><t>Ann</t></is></c><c r="C2"><v>99</v></c></row>'
            '</sheetData></worksheet>')


def test_without_a_dimension_new_columns_go_right_of_every_used_cell(tmp_path: Path):
    path = handmade_xlsx(tmp_path / "nodim.xlsx", sheet_xml(None))
    report = apply(path, WritePlan("Calls", 1, 2, 2, [ColumnWrite("Status", ("status",), {2: "overdue"})], [], []), now=NOW)
    assert report.added_columns == ["D"]
    assert calamine(path, "Calls") == [["Contact", "", "", "Status"], ["Ann", "", 99.0, "overdue"]]


def test_a_dimension_that_lies_is_refused_rather_than_writing_over_user_cells(tmp_path: Path):
    path = handmade_xlsx(tmp_path / "lie.xlsx", sheet_xml("A1:A2"))
    before = path.read_bytes()
    with pytest.raises(WorkbookError, match="C2 holds data"):
        apply(path, WritePlan("Calls", 1, 2, 2, [ColumnWrite("Status", ("status",), {2: "x"}),
                                                  ColumnWrite("Due", ("due",), {2: "y"})], [], []), now=NOW)
    assert path.read_bytes() == before


def test_our_sheet_names_ignore_case_like_excel(rich: Path):
    apply(rich, status_plan({}, sheets=[SheetWrite("chase TODAY", [["a"], [1]])]), now=NOW)
    report = apply(rich, status_plan({}, sheets=[SheetWrite("Chase today", [["b"], [2]])]), now=NOW)
    assert report.sheets_replaced == ["Chase today"]
    names = CalamineWorkbook.from_path(str(rich)).sheet_names
    assert names == ["Calls", "Dashboard", "chase TODAY"]
    assert calamine(rich, "chase TODAY") == [["b"], [2.0]]


def replace_part(path: Path, name: str, data: bytes) -> None:
    """Rewrite one part of the package, as another program saving the workbook would."""
    parts, order = zip_parts(path), zip_order(path)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for n in order:
            z.writestr(n, data if n == name else parts[n])


def sheet_part(path: Path, name: str) -> str:
    parts = zip_parts(path)
    rid = next(s.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id")
               for s in ET.fromstring(parts["xl/workbook.xml"]).iter(f"{MAIN}sheet") if s.get("name") == name)
    target = next(r.get("Target") for r in ET.fromstring(parts["xl/_rels/workbook.xml.rels"]) if r.get("Id") == rid)
    return target.lstrip("/") if target.startswith("/") else "xl/" + target


@pytest.mark.parametrize("log_table", [True, False], ids=["log-in-a-table", "plain-log"])
def test_a_users_table_beside_the_log_on_its_header_row_is_left_alone(tmp_path: Path, log_table: bool):
    """The user's table Targets (G1:H4), whose header is on the log's header row, is not
    the log's table and must not take our column. A plain log's column lands just right
    of it; a log kept as a table takes it into the table, in the free column F (right of
    Targets, a sort of the table would leave it on other calls' rows: test_writeback_h7)."""
    path = two_tables_log(tmp_path / "t.xlsx", 10, log_table=log_table)
    before = zip_parts(path)
    tables = {n: x for n, x in before.items() if n.startswith("xl/tables/")}
    assert len(tables) == (2 if log_table else 1)
    plan = WritePlan("Calls", 1, 2, 11, [ColumnWrite("Status", ("status",), {2: "overdue", 11: "done"})], [], [])
    report = apply(path, plan, now=NOW)
    assert (report.added_columns, report.tables_extended) == ((["F"], ["CallLog"]) if log_table else (["I"], []))
    after = zip_parts(path)
    targets = [n for n, x in tables.items() if b'"Targets"' in x]
    assert {n: after[n] for n in targets} == {n: tables[n] for n in targets}   # byte-identical
    ws = openpyxl.load_workbook(path)["Calls"]
    assert {name: ws.tables[name].ref for name in ws.tables} == (
        {"CallLog": "A1:F11", "Targets": "G1:H4"} if log_table else {"Targets": "G1:H4"})
    rows = calamine(path, "Calls")
    col = 5 if log_table else 8
    assert rows[0][6:8] == ["Target", "Value"]
    assert rows[0][col] == "Status" and rows[1][col] == "overdue" and rows[10][col] == "done"


def utf16_units(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def test_no_cell_we_write_holds_more_than_excel_allows(rich: Path):
    """Excel holds 32 767 UTF-16 code units in a cell (an emoji counts 2) and calls a file
    with more corrupt: a longer text is cut to end with "…" within the limit."""
    limit = 32767
    texts = {
        3: "x" * limit,                       # exactly the limit: whole
        4: "😀" * (limit // 2) + "x",         # the limit in emoji: whole
        5: "x" * limit + "y",                 # one over
        6: "x" * (limit - 1) + "😀",          # one over, by an emoji that cannot be halved
        7: "😀" * 20000,                      # 40 000 units in 20 000 characters
        8: "Summary\n" + "y" * 50000,
    }
    plan = status_plan(texts, sheets=[SheetWrite("Chase today", [["Who", "Note"], ["Ann", texts[7]]])])
    apply(rich, plan, now=NOW)
    book = openpyxl.load_workbook(rich)
    written = {r: book["Calls"].cell(r, 11).value for r in texts}
    assert written == {r: row[10] for r, row in enumerate(calamine(rich, "Calls"), 1) if r in texts}
    assert written[3] == texts[3] and written[4] == texts[4]
    for r in (5, 6, 7, 8):
        assert written[r].endswith("…") and texts[r].startswith(written[r][:-1]), r
        assert limit - 2 <= utf16_units(written[r]) <= limit, r   # cut at the limit, not short of it
    note = book["Chase today"]["B2"].value
    assert note == calamine(rich, "Chase today")[1][1] == written[7]
    before = zip_parts(rich)
    apply(rich, plan, now=NOW)                                    # a later refresh writes the same cells
    assert zip_parts(rich) == before


LO_WORKBOOK_TAIL = ('<calcPr iterateCount="100" refMode="A1" iterate="false" iterateDelta="0.0001"/>'
                    '<extLst><ext xmlns:loext="http://schemas.libreoffice.org/" uri="{7626C862-2A13-11E5-B345-FEFF819CDC9F}">'
                    '<loext:extCalcPr stringRefSyntax="ExcelA1"/></ext></extLst>')


@pytest.mark.parametrize("calc_pr, tail", [
    ('<calcPr iterateCount="100" refMode="A1" iterate="false" iterateDelta="0.0001"/>', LO_WORKBOOK_TAIL),  # LibreOffice
    ('<calcPr calcId="191029"/>', '<calcPr calcId="191029"/><fileRecoveryPr repairLoad="1"/>'),             # Excel
    ('<calcPr calcId="191029" fullCalcOnLoad="0"/>', '<calcPr calcId="191029" fullCalcOnLoad="0"/><extLst/>'),
    (None, '<extLst><ext uri="{B58B0392-4F1F-4190-BB64-5DF3571DCE5F}"/></extLst>'),                          # no calcPr
], ids=["libreoffice", "excel", "off", "none"])
def test_formulas_are_recalculated_when_the_workbook_opens(rich: Path, calc_pr, tail):
    """The user's formulas that read our columns keep the results cached when they were
    last saved, and Excel does not recalculate a file of its own version: the workbook
    must ask for a full calculation on load. Only that attribute of workbook.xml changes,
    and <calcPr> stays where the schema puts it (after definedNames, before extLst)."""
    parts = zip_parts(rich)
    wb_xml = parts["xl/workbook.xml"].decode()
    # a bookView holding an extLst of its own: calcPr must not land inside it
    wb_xml = wb_xml.replace('windowHeight="9660"/>', 'windowHeight="9660"><extLst><ext uri="{x}"/></extLst></workbookView>')
    wb_xml = re.sub(r"<calcPr [^>]*/>", lambda m: tail, wb_xml)
    replace_part(rich, "xl/workbook.xml", wb_xml.encode())
    apply(rich, status_plan({3: "overdue"}), now=NOW)
    after = zip_parts(rich)["xl/workbook.xml"].decode()
    children = [c.tag.removeprefix(MAIN) for c in ET.fromstring(after)]
    assert children.count("calcPr") == 1
    at = children.index("calcPr")
    assert children[at - 1] == "definedNames" and children[at + 1] in ("fileRecoveryPr", "extLst")
    calc = re.search(r"<calcPr [^>]*/>", after).group()
    assert 'fullCalcOnLoad="1"' in calc
    assert after.replace(calc, calc_pr or "") == wb_xml                 # nothing else of it changed
    assert openpyxl.load_workbook(rich).calculation.fullCalcOnLoad is True


def test_our_sheets_stay_ours_after_openpyxl_saves_the_workbook(rich: Path):
    plan = status_plan({3: "overdue"}, sheets=[SheetWrite("Chase today", [["Who"], ["Ann"]]),
                                              SheetWrite("Stats", [["Week"], ["W47"]])])
    apply(rich, plan, now=NOW)
    book = openpyxl.load_workbook(rich)
    book.save(rich)
    header = re.search(rb"<oddHeader>(.*?)</oddHeader>", zip_parts(rich)[sheet_part(rich, "Chase today")]).group(1)
    assert header == b"&amp;L&amp;8 Written by Call Tracker"        # openpyxl's spelling of our mark
    plan.sheets = [SheetWrite("Chase today", [["Who"], ["Bob"]]), SheetWrite("Stats", [["Week"], ["W48"]])]
    report = apply(rich, plan, now=NOW)
    assert sorted(report.sheets_replaced) == ["Chase today", "Stats"] and report.sheets_added == []
    assert calamine(rich, "Chase today") == [["Who"], ["Bob"]]
    assert calamine(rich, "Stats") == [["Week"], ["W48"]]


MARK_IN_A_CELL = '<row r="3"><c r="A3" t="inlineStr"><is><t>&amp;L&amp;8Written by Call Tracker</t></is></c></row></sheetData>'


@pytest.mark.parametrize("header_footer, ours", [
    ("<headerFooter><oddHeader>&amp;L&amp;8Written by Call Tracker</oddHeader></headerFooter>", True),
    ('<headerFooter><oddHeader>&amp;L&amp;"Calibri,Regular"&amp;8Written by Call Tracker</oddHeader></headerFooter>', True),
    ("<headerFooter differentFirst=\"0\"><oddHeader>&amp;L&amp;B&amp;K1F497D&amp;8  Written  by Call Tracker "
     "&amp;R&amp;P / &amp;N</oddHeader><oddFooter/></headerFooter>", True),
    ("<headerFooter><oddHeader>&amp;LQ3 plan</oddHeader></headerFooter>", False),
    ("<headerFooter><oddHeader>&amp;L&amp;8Written by Call Tracker, checked by Olga</oddHeader></headerFooter>", False),
    ("<headerFooter><oddHeader>&amp;LNotes&amp;CWritten by Call Tracker</oddHeader></headerFooter>", False),
    ("<headerFooter><oddHeader>&amp;L&amp;D Written by Call Tracker</oddHeader></headerFooter>", False),
    ("<headerFooter><oddFooter>&amp;L&amp;8Written by Call Tracker</oddFooter></headerFooter>", False),
    ("", False),                                   # and the mark's text typed in a cell (MARK_IN_A_CELL)
], ids=["ours", "font", "colour-bold-spaces-page", "users", "more-words", "centre", "date-field", "footer", "cell"])
def test_our_sheet_is_told_by_its_page_header_however_it_was_saved(rich: Path, header_footer: str, ours: bool):
    apply(rich, status_plan({}, sheets=[SheetWrite("Chase today", [["Who"], ["Ann"]])]), now=NOW)
    part = sheet_part(rich, "Chase today")
    xml = zip_parts(rich)[part].decode()
    xml = re.sub(r"<headerFooter>.*</headerFooter>", lambda m: header_footer, xml)
    if not header_footer:
        xml = xml.replace("</sheetData>", MARK_IN_A_CELL)
    replace_part(rich, part, xml.encode())
    before = rich.read_bytes()
    plan = status_plan({}, sheets=[SheetWrite("Chase today", [["Who"], ["Bob"]])])
    if ours:
        assert apply(rich, plan, now=NOW).sheets_replaced == ["Chase today"]
        assert calamine(rich, "Chase today") == [["Who"], ["Bob"]]
    else:
        with pytest.raises(WorkbookError, match="'Chase today' that Call Tracker did not write"):
            apply(rich, plan, now=NOW)
        assert rich.read_bytes() == before


# ---------------------------------------------------------------- property: the row patcher

from hypothesis import HealthCheck, given, settings, strategies as st  # noqa: E402

cell_value = st.one_of(st.integers(-10**6, 10**6), st.text("abc <&>\"' xyz", min_size=1, max_size=8).filter(str.strip))
plan_value = st.one_of(st.none(), st.booleans(), st.integers(-99, 99), st.floats(-1e6, 1e6, allow_nan=False),
                       st.text("status <&> é中", min_size=1, max_size=10).filter(lambda s: s == s.strip()))


def grid_sheet(grid: dict[tuple[int, int], Any], max_col: int, max_row: int) -> str:
    from tracker.model import column_letter

    rows = []
    for r in sorted({r for r, _ in grid}):
        cells = []
        for c in sorted(c for rr, c in grid if rr == r):
            v = grid[(r, c)]
            ref = f"{column_letter(c - 1)}{r}"
            if isinstance(v, str):
                esc = v.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                cells.append(f'<c r="{ref}" t="inlineStr"><is><t>{esc}</t></is></c>')
            else:
                cells.append(f'<c r="{ref}"><v>{v}</v></c>')
        rows.append(f'<row r="{r}">' + "".join(cells) + "</row>")
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            f'<dimension ref="A1:{column_letter(max_col - 1)}{max_row}"/><sheetData>'
            + "".join(rows) + "</sheetData></worksheet>")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_sheet_any_values_read_back_as_planned(tmp_path_factory, data):

    n_rows = data.draw(st.integers(1, 12), label="rows")
    n_cols = data.draw(st.integers(1, 5), label="cols")
    status_col = data.draw(st.one_of(st.none(), st.integers(1, n_cols)), label="existing status column")
    grid: dict[tuple[int, int], Any] = {}
    for c in range(1, n_cols + 1):
        grid[(1, c)] = "Status" if c == status_col else f"H{c}"
    for r in range(2, n_rows + 2):
        for c in range(1, n_cols + 1):
            if data.draw(st.booleans()):
                grid[(r, c)] = data.draw(cell_value)
    last = data.draw(st.integers(1, n_rows + 3), label="last data row")
    values = data.draw(st.dictionaries(st.integers(2, n_rows + 4), plan_value, max_size=8), label="values")
    path = handmade_xlsx(tmp_path_factory.mktemp("prop") / "p.xlsx", grid_sheet(grid, n_cols, n_rows + 1))
    apply(path, WritePlan("Calls", 1, 2, last, [ColumnWrite("Status", ("status",), values)], [], []), now=NOW)
    col = status_col or n_cols + 1
    expected = dict(grid)
    expected[(1, col)] = "Status"
    for r in range(2, max([n_rows + 5, *values]) + 1):
        if r in values and values[r] is not None and values[r] != "":
            expected[(r, col)] = values[r]
        elif 2 <= r <= last or r in values:
            expected.pop((r, col), None)
    ws = openpyxl.load_workbook(path)["Calls"]
    got = {(c.row, c.column): c.value for row in ws.iter_rows() for c in row if c.value is not None}
    norm = {k: (float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else v) for k, v in expected.items()}
    assert {k: (float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else v) for k, v in got.items()} == norm


# ---------------------------------------------------------------- property: the in-place paths

long_text = st.text("ab <&>\"' é中\n\t _x0041_\x07", min_size=65, max_size=90)
row_shape = st.sampled_from(["spans", "plain", "self-closing", "no r", "missing", "ext", "beyond", "cells without r",
                             "ours"])
OURS = '<c r="C1" t="inlineStr"><is><t>Status</t></is></c><c r="D1" t="inlineStr"><is><t>Due</t></is></c>' \
       '<c r="E1" t="inlineStr"><is><t>Summary</t></is></c>'


def shaped_sheet(shapes: list[str], ours: bool) -> str:
    """A header row and one data row per shape: how writers other than Excel lay rows
    out; `ours`: our columns (C:E) are there already, some rows have cells in them."""
    rows = ['<row r="1" spans="1:2"><c r="A1" t="inlineStr"><is><t>Contact</t></is></c>'
            f'<c r="B1" t="inlineStr"><is><t>Notes</t></is></c>{OURS if ours else ""}</row>']
    for r, shape in enumerate(shapes, start=2):
        cells = f'<c r="A{r}" t="inlineStr"><is><t>P{r}</t></is></c><c r="B{r}"><v>{r}</v></c>'
        status = f'<c r="C{r}" t="inlineStr"><is><t>Done</t></is></c>' if ours else ""
        mine = status + (f'<c r="E{r}" s="0"><v>3</v></c>' if ours else "")
        rows.append({
            "spans": f'<row r="{r}" spans="1:2" ht="15">{cells}</row>',
            "plain": f'<row r="{r}">{cells}</row>',
            "self-closing": f'<row r="{r}" spans="1:2"/>',
            "no r": f'<row><c t="inlineStr"><is><t>P{r}</t></is></c></row>',
            "missing": "",
            "ext": f'<row r="{r}">{cells}<extLst><ext uri="x"/></extLst></row>',
            "beyond": f'<row r="{r}" spans="1:7">{cells}<c r="G{r}"><v>7</v></c></row>',
            "cells without r": f'<row r="{r}"><c><v>{r}</v></c>{status}</row>',
            "ours": f'<row r="{r}" spans="1:5">{cells}{mine}</row>',
        }[shape])
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            f'<dimension ref="A1:{"E" if ours else "B"}{len(shapes) + 1}"/><sheetData>' + "".join(rows)
            + "</sheetData></worksheet>")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_in_place_paths_write_what_the_general_path_writes(tmp_path_factory, monkeypatch, data):
    """A first refresh appends our cells to rows in place, built a block at a time; a
    later one replaces them in place, or keeps a row that already ends with them. On any
    sheet and any values, each package must be the one the cell-by-cell path writes."""
    import tracker.writeback as wb

    shapes = data.draw(st.lists(row_shape, min_size=1, max_size=10), label="rows")
    ours = data.draw(st.booleans(), label="our columns there already")
    n = len(shapes) + 1
    rows = st.integers(2, n + 3)
    value = st.one_of(st.none(), st.just(""), long_text, st.sampled_from(["Overdue", "Done"]),
                      st.dates(date(2020, 1, 1), date(2030, 1, 1)))

    def plan() -> WritePlan:
        return WritePlan("Calls", 1, 2, data.draw(st.integers(2, n + 1), label="last"), [
            ColumnWrite("Status", ("status",), data.draw(st.dictionaries(rows, value, max_size=8)), key="status"),
            ColumnWrite("Due", ("due",), data.draw(st.dictionaries(rows, value, max_size=8)),
                        number_format="yyyy-mm-dd", key="due"),
            ColumnWrite("Summary", ("summary",), data.draw(st.dictionaries(rows, value, max_size=8)), wrap=True,
                        key="summary"),
        ], [], [])

    plans = [plan(), plan()]
    plans.append(plans[1])   # the same again: rows that already hold our cells
    block = data.draw(st.integers(1, 4), label="block")
    folder = tmp_path_factory.mktemp("fast")
    init = wb._LogSheet.__init__

    def cell_by_cell(self, *args, **kwargs):
        init(self, *args, **kwargs)
        self.in_place, self.tails = False, None

    results = []
    for general in (False, True):
        path = handmade_xlsx(folder / f"{general}.xlsx", shaped_sheet(shapes, ours))
        # (one example's patches must not outlive it: hypothesis shares the fixture)
        with monkeypatch.context() as patch:
            patch.setattr(wb, "_BLOCK", block)
            if general:
                patch.setattr(wb._LogSheet, "__init__", cell_by_cell)
            for p in plans:
                report = apply(path, p, now=NOW)
                results.append((general, zip_parts(path), report.cells_written, report.cells_cleared))
    assert [r[1:] for r in results[:3]] == [r[1:] for r in results[3:]]


def test_a_big_sheet_is_read_and_deflated_by_isal_when_installed_else_by_zlib(tmp_path: Path, monkeypatch):
    """The same sheet either way; the compressed bytes tell which deflate made them."""
    from tracker import writeback

    pytest.importorskip("isal", reason="the optional `isal` package is not installed")
    monkeypatch.setattr(writeback, "_BIG_SHEET", 0)   # this small log's sheet counts as big
    plan = status_plan({r: "overdue" if r % 2 else "upcoming" for r in range(3, 23)})
    with_isal = rich_log(tmp_path / "isal.xlsx", 20)
    apply(with_isal, plan, now=NOW)
    with monkeypatch.context() as m:
        m.setitem(sys.modules, "isal", None)   # `import isal` raises ImportError
        with_zlib = rich_log(tmp_path / "zlib.xlsx", 20)
        apply(with_zlib, plan, now=NOW)
    sheet = "xl/worksheets/sheet1.xml"
    for path in (with_isal, with_zlib):
        with zipfile.ZipFile(path) as z:
            assert z.testzip() is None
    raw_isal, xml = raw_entry(with_isal, sheet)[3], zip_parts(with_isal)[sheet]
    raw_zlib, xml_zlib = raw_entry(with_zlib, sheet)[3], zip_parts(with_zlib)[sheet]
    assert xml == xml_zlib and b">overdue<" in xml
    by_zlib = zlib.compressobj(1, zlib.DEFLATED, -15)
    assert raw_zlib == by_zlib.compress(xml) + by_zlib.flush()
    assert raw_isal != raw_zlib and zlib.decompress(raw_isal, -15) == xml
    for path in (with_isal, with_zlib):
        assert [row[10] for row in calamine(path, "Calls")[2:4]] == ["overdue", "upcoming"]   # rows 3 and 4


# ---------------------------------------------------------------- property: a big sheet patched in two halves

needs_fork = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="the sheet is patched in two processes on Linux only (fork)")


def split_and_serial(monkeypatch, folder: Path, sheet: str, plans: list[WritePlan], at: float):
    """Each plan applied to the sheet with the rows from `at` on patched by a child, then
    in one process: (packages, cells written, cells cleared) of each, and what the child did."""
    import tracker.writeback as wb

    done = []
    rest = wb._Split.rest

    def spy(self, *args):
        tail = rest(self, *args)
        done.append(tail is not None)
        return tail

    results = []
    for split in (True, False):
        path = handmade_xlsx(folder / f"{split}.xlsx", sheet)
        with monkeypatch.context() as patch:
            patch.setattr(wb, "_BIG_SHEET", 0)
            patch.setattr(wb, "_SPLIT_FROM", 1 if split else 10**9)
            patch.setattr(wb, "_SPLIT_AT", at)
            patch.setattr(wb, "may_fork", lambda: True)
            patch.setattr(wb._Split, "rest", spy)
            for p in plans:
                report = apply(path, p, now=NOW)
                results.append((split, zip_parts(path), report.cells_written, report.cells_cleared))
    half = len(results) // 2
    return [r[1:] for r in results[:half]], [r[1:] for r in results[half:]], done


@needs_fork
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_a_sheet_patched_in_two_halves_is_the_sheet_patched_in_one(tmp_path_factory, monkeypatch, data):
    """On a big log a forked child patches the rows from about the middle on. Whatever
    the rows look like (rows to make on either side of the cut, rows without numbers,
    the cut row missing), the package is the one a single process writes."""
    shapes = data.draw(st.lists(row_shape, min_size=2, max_size=12), label="rows")
    ours = data.draw(st.booleans(), label="our columns there already")
    n = len(shapes) + 1
    rows = st.integers(2, n + 3)
    value = st.one_of(st.none(), long_text, st.sampled_from(["Overdue", "Done"]), st.dates(date(2020, 1, 1), date(2030, 1, 1)))

    def plan() -> WritePlan:
        return WritePlan("Calls", 1, 2, data.draw(st.integers(2, n + 1), label="last"), [
            ColumnWrite("Status", ("status",), data.draw(st.dictionaries(rows, value, min_size=1, max_size=10)),
                        key="status"),
            ColumnWrite("Summary", ("summary",), data.draw(st.dictionaries(rows, value, max_size=10)), wrap=True,
                        key="summary"),
        ], [], [])

    plans = [plan(), plan()]
    at = data.draw(st.floats(0, 0.99), label="cut")
    split, serial, _ = split_and_serial(monkeypatch, tmp_path_factory.mktemp("split"), shaped_sheet(shapes, ours),
                                        plans, at)
    assert split == serial


@needs_fork
def test_the_child_patches_its_half_of_a_first_and_a_later_refresh(tmp_path: Path, monkeypatch):
    n = 60
    sheet = shaped_sheet(["spans"] * n, ours=False)
    plans = [WritePlan("Calls", 1, 2, n + 1, [
        ColumnWrite("Status", ("status",), {r: "Overdue" if r % 3 else "Done" for r in range(2, n + 2)}, key="status"),
        ColumnWrite("Summary", ("summary",), {r: f"Call {r}: <&> 中文 " * 5 for r in range(2, n + 2, 2)}, wrap=True,
                    key="summary"),
    ], [], []) for _ in range(2)]
    plans[1].columns[1].values.update({r: f"Later {r}" for r in range(3, n + 2, 2)})
    split, serial, done = split_and_serial(monkeypatch, tmp_path, sheet, plans, 0.5)
    assert done == [True, True]   # the child wrote the second half, both times
    assert split == serial
    assert serial[1][1] == n + n   # every row's Status and Summary
    ws = openpyxl.load_workbook(tmp_path / "True.xlsx")["Calls"]
    assert [ws.cell(r, 3).value for r in (2, n + 1)] == ["Done" if 2 % 3 == 0 else "Overdue",
                                                        "Done" if (n + 1) % 3 == 0 else "Overdue"]
    assert ws.cell(n + 1, 4).value == f"Later {n + 1}" and ws.cell(n, 4).value.startswith(f"Call {n}: <&> 中文")


@needs_fork
def test_rows_to_make_on_either_side_of_the_cut(tmp_path: Path, monkeypatch):
    """Rows the sheet has no `<row>` for are made by whichever process writes their
    neighbours: those just above the cut by this process, those past the last by the child."""
    n = 20
    valued = list(range(2, n + 4))   # the sheet's rows 2..n+1, and two more
    cut = valued[len(valued) // 2]
    shapes = ["missing" if r in (cut - 1, cut - 2, 5) else "plain" for r in range(2, n + 2)]
    plan = WritePlan("Calls", 1, 2, n + 3, [ColumnWrite("Status", ("status",), {r: f"s{r}" for r in valued},
                                                        key="status")], [], [])
    split, serial, done = split_and_serial(monkeypatch, tmp_path, shaped_sheet(shapes, ours=False), [plan], 0.5)
    assert done == [True]
    assert split == serial
    assert [row[2] for row in calamine(tmp_path / "True.xlsx", "Calls")[1:]] == [f"s{r}" for r in valued]


@needs_fork
def test_the_child_finds_the_cut_among_the_rows_not_in_the_head(tmp_path: Path, monkeypatch):
    n = 20
    valued = list(range(2, n + 2))
    cut = valued[len(valued) // 2]
    sheet = shaped_sheet(["plain"] * n, ours=False).replace("<sheetData>", f'<!-- <row r="{cut}"> --><sheetData>')
    plan = WritePlan("Calls", 1, 2, n + 1, [ColumnWrite("Status", ("status",), {r: f"s{r}" for r in valued},
                                                        key="status")], [], [])
    split, serial, done = split_and_serial(monkeypatch, tmp_path, sheet, [plan], 0.5)
    assert done == [True]
    assert split == serial
    assert [row[2] for row in calamine(tmp_path / "True.xlsx", "Calls")[1:]] == [f"s{r}" for r in valued]


@pytest.mark.parametrize("fails", ["fork", "midway"])
def test_when_the_child_fails_or_cannot_start_this_process_patches_its_rows(tmp_path: Path, monkeypatch, fails):
    import tracker.fork as fork
    import tracker.writeback as wb

    if fails == "fork":   # out of memory or processes: fork() raises
        def refuse():
            raise OSError(errno.ENOMEM, "Cannot allocate memory")

        monkeypatch.setattr(fork.os, "fork", refuse, raising=False)   # (Windows has none)
    else:
        if not sys.platform.startswith("linux"):
            pytest.skip("the sheet is patched in two processes on Linux only (fork)")
        rows_from = wb._rows_from

        def half_then_fail(*args):
            yield from itertools.islice(rows_from(*args), 1)
            raise OSError("disk full")

        monkeypatch.setattr(wb, "_rows_from", half_then_fail)
    n = 40
    plan = status_plan({r: "overdue" for r in range(2, n + 2)}, first=2, last=n + 1, header_row=1)
    split, serial, done = split_and_serial(monkeypatch, tmp_path, shaped_sheet(["plain"] * n, ours=False), [plan], 0.3)
    assert done == [False]
    assert split == serial
    assert [row[2] for row in calamine(tmp_path / "True.xlsx", "Calls")[1:]] == ["overdue"] * n


# ---------------------------------------------------------------- the rows patched as UTF-8 bytes

def as_text_and_as_bytes(monkeypatch, folder: Path, sheet: str | bytes, plans: list[WritePlan], *,
                         split: bool = False, read: int = 7) -> list[list]:
    """Each plan applied to the sheet with its rows read as text (the slower path every
    other row takes), then as UTF-8 bytes: per way, the package (or the refusal) and the
    cells counted, each time."""
    import tracker.writeback as wb

    stream = wb._stream_log
    out = []
    for text in (True, False):
        path = handmade_xlsx(folder / f"{text}.xlsx", sheet)
        runs = []
        with monkeypatch.context() as patch:
            patch.setattr(wb, "_READ", read)   # (chunks end inside characters and tags)
            if split:
                patch.setattr(wb, "_BIG_SHEET", 0)
                patch.setattr(wb, "_SPLIT_FROM", 1)
                patch.setattr(wb, "may_fork", lambda: True)
            if text:
                patch.setattr(wb, "_stream_log", lambda *args: stream(*args[:9], True))
            for p in plans:
                try:
                    report = apply(path, p, now=NOW)
                except WorkbookError as exc:
                    runs.append((str(exc).replace(str(path), "PATH"), zip_parts(path)))
                else:
                    runs.append((zip_parts(path), report.cells_written, report.cells_cleared))
        out.append(runs)
    return out


ODD_TEXTS = ["Ann <ann@example.com> & Bob > 3", "  leading and trailing  ", "tab\there", "two\nlines",
             "bell\x07 and _x0041_ typed", "a bell\x07, a form feed\x0c, a NUL\x00 and \x1f, " * 3,
             "U+FFFE \ufffe and U+FFFF \uffff", "中文 Ärger 🙂 " * 9, "_x" * 40, "long " * 4000 + "🙂" * 9000,
             "x" * 65, "plain", ""]


@pytest.mark.parametrize("split", [False, True])
def test_rows_patched_as_bytes_are_the_rows_patched_as_text(tmp_path: Path, monkeypatch, split):
    """The log's rows are patched as UTF-8 bytes, the usual rows in place and any other as
    text: a sheet with a byte-order mark, characters of several bytes in its rows (and
    read in chunks that end inside them), texts to escape, to clean, to cut, a first
    refresh and a later one, in one process or two: each package is the one the rows
    read as text make."""
    if split and not sys.platform.startswith("linux"):
        pytest.skip("the sheet is patched in two processes on Linux only (fork)")
    shapes = ["spans", "plain", "self-closing", "no r", "ext", "beyond", "cells without r", "plain",
              "spans", "missing", "plain", "spans", "self-closing"]
    sheet = shaped_sheet(shapes, ours=False).replace("<t>P", "<t>Пётр 中 P")
    n = len(shapes) + 1

    def plan(texts: list[str]) -> WritePlan:
        return WritePlan("Calls", 1, 2, n, [
            ColumnWrite("Status", ("status",), {r: ["Done", "Überfällig", None][r % 3] for r in range(2, n + 3)},
                        key="status"),
            ColumnWrite("Summary", ("summary",), {r: texts[r % len(texts)] for r in range(2, n + 2)}, wrap=True,
                        key="summary"),
        ], [], [])

    plans = [plan(ODD_TEXTS), plan(ODD_TEXTS), plan(["two\nlines", "changed"])]
    as_text, as_bytes = as_text_and_as_bytes(monkeypatch, tmp_path, codecs.BOM_UTF8 + sheet.encode(), plans,
                                             split=split)
    assert as_bytes == as_text
    assert len(as_bytes[0]) == 3   # every refresh wrote
    rows = calamine(tmp_path / "False.xlsx", "Calls")
    assert rows[9][2:4] == ["Überfällig", "two\nlines"]   # row 10


@pytest.mark.parametrize("where", ["head", "row", "late row", "cut", "end"])
def test_a_sheet_not_utf8_is_refused_in_the_words_of_its_reading_as_text(tmp_path: Path, monkeypatch, where):
    """Rows patched as bytes are still read by the decoder: a byte that is not UTF-8 (or
    a character cut short at the end) refuses the workbook, with the message the rows
    read as text give, and leaves it as it was."""
    n = 30
    # (past the first MB: the head's reader decodes that much, and refuses it first)
    sheet = shaped_sheet(["plain"] * n, ours=False).replace("<t>P", "<t>" + "p" * 40000 + "P").encode()
    bad = {"head": (b"<sheetData>", b"<sheetData>\xff"),
           "row": (b"P3</t>", b"P3\xe4\xb8</t>"),
           "late row": (b"P30</t>", b"P30\xc3(</t>"),
           "cut": (b"</sheetData>", b"</sheetData>\xe4\xb8"),
           "end": (b"</worksheet>", b"</worksheet>\xe4")}[where]
    assert sheet.count(bad[0]) == 1
    sheet = sheet.replace(*bad)
    plan = WritePlan("Calls", 1, 2, n + 1, [ColumnWrite("Status", ("status",), {r: "Done" for r in range(2, n + 2)},
                                                        key="status")], [], [])
    for split in (False, True):
        folder = tmp_path / str(split)
        folder.mkdir()
        as_text, as_bytes = as_text_and_as_bytes(monkeypatch, folder, sheet, [plan], split=split, read=4099)
        assert as_bytes == as_text
        message, parts = as_bytes[0]
        assert "UnicodeDecodeError" in message and "nothing was changed" in message
        assert parts["xl/worksheets/sheet1.xml"] == sheet


def test_a_value_that_is_not_unicode_is_refused_as_the_rows_read_as_text_refuse_it(tmp_path: Path, monkeypatch):
    """A lone surrogate in a value cannot be written as UTF-8: the same refusal either way."""
    n = 12
    sheet = shaped_sheet(["plain"] * n, ours=False)
    plans = [WritePlan("Calls", 1, 2, n + 1, [ColumnWrite("Summary", ("summary",), {
        r: ("x" * 70 if r != 9 else "bad \ud800 half" * 9) if long else ("ok" if r != 9 else "\udfff")
        for r in range(2, n + 2)}, key="summary")], [], []) for long in (True, False)]
    for plan in plans:
        as_text, as_bytes = as_text_and_as_bytes(monkeypatch, tmp_path, sheet, [plan])
        assert as_bytes == as_text
        assert "UnicodeEncodeError" in as_bytes[0][0]


def _odd_rows(sheet: str, odd: str) -> tuple[str, str]:
    """`sheet` with rows written in a way Excel never writes, and the row the refusal names."""
    last = sheet.rfind("</row>")
    middle = sheet.index("</row>", sheet.index('<row r="5"'))
    return {
        "last ended </row >": (sheet[:last] + "</row >" + sheet[last + 6:], '<row r="13">'),
        "last ended </row NL>": (sheet[:last] + "</row\n>" + sheet[last + 6:], '<row r="13">'),
        # (taken with the row after it for one, our cells of both went into one row)
        "middle ended </row >": (sheet[:middle] + "</row >" + sheet[middle + 6:], '<row r="5">'),
        "a comment among the rows": (sheet.replace('<row r="7">', '<!-- <row r="7"><c r="A7"/></row> --><row r="7">'),
                                     '<row r="6">'),
        "a CDATA cell": (sheet.replace("<t>P9</t>", "<t><![CDATA[P9 </row><row r='9'>]]></t>"), '<row r="9">'),
    }[odd]


@pytest.mark.parametrize("odd", ["last ended </row >", "last ended </row NL>", "middle ended </row >",
                                 "a comment among the rows", "a CDATA cell"])
@pytest.mark.parametrize("split", [False, True])
def test_rows_not_written_as_excel_writes_them_are_refused(tmp_path: Path, monkeypatch, odd, split):
    """Well-formed XML that Excel and LibreOffice never write among the rows: a row ended
    `</row >` (at the end of the sheet, the write went round its rows for ever, memory
    growing; in the middle, the row and the next were taken for one, and our cells of
    both written into one row), a comment or CDATA (which can hold what looks like a row).
    Refused, the row named, the workbook as it was."""
    import signal

    import tracker.writeback as wb

    if split and not sys.platform.startswith("linux"):
        pytest.skip("the sheet is patched in two processes on Linux only (fork)")
    if not hasattr(signal, "SIGALRM"):
        pytest.skip("no SIGALRM here (Windows) to stop a write that would go on for ever")
    n = 12
    sheet, named = _odd_rows(shaped_sheet(["plain"] * n, ours=False), odd)
    path = handmade_xlsx(tmp_path / "log.xlsx", sheet)
    before = path.read_bytes()
    plan = WritePlan("Calls", 1, 2, n + 1, [ColumnWrite("Status", ("status",), {r: "Done" for r in range(2, n + 2)},
                                                        key="status")], [], [])
    if split:
        monkeypatch.setattr(wb, "_BIG_SHEET", 0)
        monkeypatch.setattr(wb, "_SPLIT_FROM", 1)
        monkeypatch.setattr(wb, "may_fork", lambda: True)

    class Stuck(BaseException):   # (not an Exception: the write would take it for its own and go on)
        pass

    def stuck(*_):
        raise Stuck

    old = signal.signal(signal.SIGALRM, stuck)
    signal.alarm(20)
    try:
        with pytest.raises(WorkbookError) as refused:
            apply(path, plan, now=NOW)
    except Stuck:
        pytest.fail("the write went on for 20 s")
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)
    said = str(refused.value)
    assert "sheet 'Calls'" in said and named in said
    assert ("cannot be found (not written </row>)" if "ended" in odd else "a comment or CDATA section") in said
    assert said.endswith("nothing was changed. Open the workbook in Excel, save it and run again")
    assert path.read_bytes() == before


def test_a_row_met_twice_counts_its_cells_once_either_way(tmp_path: Path, monkeypatch):
    # (the bytes path added the first one's count again)
    sheet = shaped_sheet(["plain"] * 3, ours=True)
    again = re.search(r'<row r="3".*?</row>', sheet).group(0)
    sheet = sheet.replace("</sheetData>", again + "</sheetData>")
    plan = WritePlan("Calls", 1, 2, 4, [ColumnWrite("Status", ("status",), {2: "Done", 3: "Overdue", 4: "Done"},
                                                    key="status")], [], [])
    as_text, as_bytes = as_text_and_as_bytes(monkeypatch, tmp_path, sheet, [plan])
    assert as_bytes == as_text


def _small_log_sheet(cols: str = "", tail: str = "") -> str:
    """A two-column log (A1:B3) with the given <cols> and the XML after its rows."""
    rows = "".join(
        f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>{a}</t></is></c><c r="B{r}" t="inlineStr"><is><t>{b}</t></is></c></row>'
        for r, (a, b) in enumerate([("Contact", "Next contact"), ("Ann", "2026-11-20"), ("Bob", "2026-11-21")], 1))
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
            'xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main" '
            'xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main">'
            f'<dimension ref="A1:B3"/>{cols}<sheetData>{rows}</sheetData>{tail}</worksheet>')


_X14_RULES = ('<extLst><ext uri="{78C0D931-6437-407d-A8EE-F0AAD7539E65}"><x14:conditionalFormattings>'
              '<x14:conditionalFormatting><x14:cfRule type="expression" priority="1" id="{00000000-0000-0000-0000-000000000001}">'
              '<xm:f>Other!$A$1=1</xm:f><x14:dxf><fill><patternFill><bgColor rgb="FF00FF00"/></patternFill></fill></x14:dxf>'
              '</x14:cfRule><xm:sqref>A2:B3</xm:sqref></x14:conditionalFormatting>'
              '<x14:conditionalFormatting><x14:cfRule type="dataBar" priority="3" id="{00000000-0000-0000-0000-000000000002}">'
              '</x14:cfRule><xm:sqref>C2:C3</xm:sqref></x14:conditionalFormatting>'
              '</x14:conditionalFormattings></ext></extLst>')


def test_our_colour_rules_take_priorities_after_the_users_extension_list_rules(tmp_path: Path):
    # Found by a tester: a rule Excel keeps only in the extension list (<x14:cfRule
    # priority="1">: one reading another sheet) was not counted, and ours took 1 again.
    path = handmade_xlsx(tmp_path / "x14.xlsx", _small_log_sheet(tail=(
        '<conditionalFormatting sqref="A2:A3"><cfRule type="expression" dxfId="0" priority="2">'
        '<formula>$A2="x"</formula></cfRule></conditionalFormatting>' + _X14_RULES)))
    plan = WritePlan("Calls", 1, 2, 3, [ColumnWrite("Status", ("status",), {2: "overdue"}, key="status")], [],
                     [Highlight("overdue", '${status}{row}="overdue"', "FFC7CE"),
                      Highlight("late", '${status}{row}="late"', "FFEB9C")])
    for _ in range(2):   # and again on the next refresh, ours replaced
        apply(path, plan, now=NOW)
        sheet = zip_parts(path)["xl/worksheets/sheet1.xml"].decode()
        prios = [int(p) for p in re.findall(r'<(?:x14:)?cfRule\b[^>]*?priority="(\d+)"', sheet)]
        assert sorted(prios) == [1, 2, 3, 4, 5]    # the user's 1, 2, 3 kept; ours 4 and 5
        assert "x14:cfRule" in sheet and sheet.count(MARKER) == 2


def test_our_columns_added_where_the_user_hid_the_unused_columns_are_shown(tmp_path: Path):
    # Found by a tester: with the unused columns hidden (C:XFD, a common tidy-up), the
    # columns we added were written into the hidden range and nobody saw them.
    path = handmade_xlsx(tmp_path / "hidden.xlsx", _small_log_sheet(cols=(
        '<cols><col min="1" max="2" width="20" customWidth="1"/>'
        '<col min="3" max="16384" width="9.5" hidden="1" customWidth="1"/></cols>')))
    plan = WritePlan("Calls", 1, 2, 3, [ColumnWrite("Status", ("status",), {2: "overdue"}, width=14),
                                        ColumnWrite("Due", ("due",), {2: "soon"})], [], [])
    report = apply(path, plan, now=NOW)
    assert report.added_columns == ["C", "D"]
    cols = re.search(r"<cols>.*</cols>", zip_parts(path)["xl/worksheets/sheet1.xml"].decode()).group()
    assert cols == ('<cols><col min="1" max="2" width="20" customWidth="1"/>'
                    '<col min="3" max="3" width="14" customWidth="1"/>'            # ours, with our width
                    '<col min="4" max="4" width="9.5" customWidth="1"/>'           # ours, with theirs
                    '<col min="5" max="16384" width="9.5" hidden="1" customWidth="1"/></cols>')   # theirs, hidden
    sheet = openpyxl.load_workbook(path)["Calls"]
    assert sheet["C1"].value == "Status" and sheet["D2"].value == "soon"
    apply(path, plan, now=NOW)   # the next refresh finds our columns and changes nothing of this
    assert re.search(r"<cols>.*</cols>", zip_parts(path)["xl/worksheets/sheet1.xml"].decode()).group() == cols


def test_the_logs_autofilter_and_its_filter_database_name_grow_over_our_columns(tmp_path: Path):
    # Found by a tester: an Excel table's filter grew over our columns, the sheet's own
    # AutoFilter (and the _xlnm._FilterDatabase name Excel keeps for it) did not.
    path = handmade_xlsx(tmp_path / "filter.xlsx", _small_log_sheet(tail=(
        '<autoFilter ref="A1:B3"><filterColumn colId="1"><filters><filter val="2026-11-20"/></filters>'
        '</filterColumn></autoFilter>')))
    rewrite_parts(path, {"xl/workbook.xml": lambda x: x.replace("</sheets>", (
        '</sheets><definedNames><definedName name="_xlnm._FilterDatabase" localSheetId="0" hidden="1">'
        'Calls!$A$1:$B$3</definedName><definedName name="_xlnm.Print_Area" localSheetId="0">Calls!$A$1:$B$3'
        '</definedName></definedNames>'))})
    plan = WritePlan("Calls", 1, 2, 3, [ColumnWrite("Status", ("status",), {2: "overdue"}),
                                        ColumnWrite("Due", ("due",), {2: "soon"})], [], [])
    for _ in range(2):   # the next refresh finds its columns inside the filter: nothing more
        assert apply(path, plan, now=NOW).columns == {"Status": "C", "Due": "D"}
        parts = zip_parts(path)
        assert re.findall(r'<autoFilter ref="([^"]*)"', parts["xl/worksheets/sheet1.xml"].decode()) == ["A1:D3"]
        names = {n.get("name"): n.text for n in ET.fromstring(parts["xl/workbook.xml"]).iter(f"{MAIN}definedName")}
        assert names == {"_xlnm._FilterDatabase": "Calls!$A$1:$D$3", "_xlnm.Print_Area": "Calls!$A$1:$B$3"}
    assert openpyxl.load_workbook(path)["Calls"].auto_filter.ref == "A1:D3"


def test_a_filter_of_the_users_away_from_the_logs_header_is_left_alone(tmp_path: Path):
    path = handmade_xlsx(tmp_path / "filter.xlsx", _small_log_sheet(tail='<autoFilter ref="A2:B3"/>'))
    apply(path, WritePlan("Calls", 1, 2, 3, [ColumnWrite("Status", ("status",), {2: "overdue"})], [], []), now=NOW)
    assert '<autoFilter ref="A2:B3"/>' in zip_parts(path)["xl/worksheets/sheet1.xml"].decode()


@pytest.mark.parametrize("cols, want", [
    # the hidden range in the second <cols>: split there, ours shown
    ('<cols><col min="1" max="2" width="20" customWidth="1"/></cols>'
     '<cols><col min="3" max="16384" width="9.5" hidden="1" customWidth="1"/></cols>',
     '<cols><col min="1" max="2" width="20" customWidth="1"/></cols>'
     '<cols><col min="3" max="3" width="14" customWidth="1"/><col min="4" max="4" width="9.5" customWidth="1"/>'
     '<col min="5" max="16384" width="9.5" hidden="1" customWidth="1"/></cols>'),
    # nothing over ours: our width goes after the ranges before it, the second <cols> as it was
    ('<cols><col min="1" max="2" width="20" customWidth="1"/></cols>\n'
     '<cols>\n <col min="6" max="8" width="5" customWidth="1"/>\n</cols>',
     '<cols><col min="1" max="2" width="20" customWidth="1"/><col min="3" max="3" width="14" customWidth="1"/></cols>\n'
     '<cols>\n <col min="6" max="8" width="5" customWidth="1"/>\n</cols>'),
])
def test_a_sheet_with_two_cols_blocks_gets_our_widths_and_keeps_the_users(tmp_path: Path, cols: str, want: str):
    # The schema lets a sheet have several <cols>; only the first was read, so a hidden
    # range in the second stayed over ours (LibreOffice hid Due) and our width went into
    # the first, over a column the second also named (openpyxl read Status as hidden).
    path = handmade_xlsx(tmp_path / "cols.xlsx", _small_log_sheet(cols=cols))
    plan = WritePlan("Calls", 1, 2, 3, [ColumnWrite("Status", ("status",), {2: "overdue"}, width=14),
                                        ColumnWrite("Due", ("due",), {2: "soon"})], [], [])
    assert apply(path, plan, now=NOW).added_columns == ["C", "D"]
    sheet = zip_parts(path)["xl/worksheets/sheet1.xml"].decode()
    assert sheet[sheet.index("<cols>"):sheet.index("<sheetData>")] == want
    dims = openpyxl.load_workbook(path)["Calls"].column_dimensions
    assert (dims["A"].width, dims["C"].width) == (20, 14)
    assert not dims["C"].hidden and not dims["D"].hidden
    assert calamine(path, "Calls")[:2] == [["Contact", "Next contact", "Status", "Due"], ["Ann", "2026-11-20", "overdue", "soon"]]
    once = zip_parts(path)
    apply(path, plan, now=NOW)   # the next refresh finds our columns: nothing more
    assert zip_parts(path) == once


@pytest.mark.parametrize("mark, first_free", [
    ("button", "F"), ("shown note", "F"), ("hidden note", "C"), ("button beyond", "C"), ("button to an edge", "E")])
def test_new_columns_go_right_of_the_users_buttons_and_shown_notes(tmp_path: Path, mark, first_free):
    # A form control (a button running the user's macro) or a note shown on the sheet
    # lives in the legacy VML drawing (<x:Anchor>), which was not read: our Status went
    # under the button. A note's box shown only while pointing at its cell takes nothing.
    path = tmp_path / f"{mark}.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Calls")
    ws.write_row(0, 0, ["Contact", "Next contact"])
    ws.write_row(1, 0, ["Ann", "2026-11-20"])
    if mark == "button":   # 150 pixels from C2: C to E
        ws.insert_button("C2", {"macro": "chase", "caption": "Chase", "width": 150, "height": 30})
    elif mark == "button beyond":
        ws.insert_button("E2", {"macro": "chase", "caption": "Chase", "width": 60, "height": 30})
    elif mark == "button to an edge":   # 128 pixels from C2: C and D, ending on E's left edge
        ws.insert_button("C2", {"macro": "chase", "caption": "Chase", "width": 128, "height": 30})
    else:   # a note on B3, its box over C:E
        ws.write_comment("B3", "call her first", {"visible": mark == "shown note"})
    wb.close()
    before = zip_parts(path)
    plan = WritePlan("Calls", 1, 2, 2, [ColumnWrite("Status", ("status",), {2: "Overdue"})], [], [])
    assert apply(path, plan, now=NOW).added_columns == [first_free]
    after = zip_parts(path)
    assert after["xl/drawings/vmlDrawing1.vml"] == before["xl/drawings/vmlDrawing1.vml"]
    assert calamine(path, "Calls")[1][-1] == "Overdue"
    assert openpyxl.load_workbook(path)["Calls"][f"{first_free}1"].value == "Status"
    apply(path, plan, now=NOW)
    assert zip_parts(path) == after


@pytest.mark.parametrize("columns, first_free", [
    ("wide", "C"), ("narrow", "N"), ("default width", "C"), ("base width", "C"), ("64 pixels", "E")])
def test_a_picture_with_no_end_spans_the_sheets_own_column_widths(tmp_path: Path, columns, first_free):
    # A oneCellAnchor (openpyxl's pictures) gives only its size: it was counted in
    # columns of 64 pixels, so under narrow columns ours went under the picture, and
    # beside wide ones they went needlessly far right.
    path = tmp_path / f"{columns}.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Calls")
    ws.write_row(0, 0, ["Contact", "Next contact"])
    ws.write_row(1, 0, ["Ann", "2026-11-20"])
    at = "C5" if columns == "narrow" else "A6"
    if columns == "wide":            # A and B 285 pixels: the picture is inside A
        ws.set_column(0, 1, 40)
    elif columns == "narrow":        # C onwards 19 pixels: 200 pixels from C reach M
        ws.set_column(2, 40, 2)
    ws.insert_image(at, "wide.png", {"image_data": io.BytesIO(png_bytes(200, 10))})
    wb.close()
    format_pr = {"default width": '<sheetFormatPr defaultColWidth="20.7109375" defaultRowHeight="15"/>',  # 145 px
                 "base width": '<sheetFormatPr baseColWidth="20" defaultRowHeight="15"/>'}.get(columns)  # 152 px
    rewrite_parts(path, {
        "xl/drawings/drawing1.xml": lambda x: re.sub(   # the same picture, as openpyxl anchors it
            r"<xdr:twoCellAnchor[^>]*>(.*?</xdr:from>)<xdr:to>.*?</xdr:to>(.*?)</xdr:twoCellAnchor>",
            r'<xdr:oneCellAnchor>\1<xdr:ext cx="1905000" cy="95250"/>\2</xdr:oneCellAnchor>', x, flags=re.S),
        "xl/worksheets/sheet1.xml": lambda x: re.sub(r"<sheetFormatPr\b[^>]*/>", format_pr, x) if format_pr else x})
    before = zip_parts(path)
    plan = WritePlan("Calls", 1, 2, 2, [ColumnWrite("Status", ("status",), {2: "Overdue"})], [], [])
    assert apply(path, plan, now=NOW).added_columns == [first_free]
    after = zip_parts(path)
    assert all(after[n] == data for n, data in before.items() if n.startswith("xl/drawings/"))
    assert openpyxl.load_workbook(path)["Calls"][f"{first_free}2"].value == "Overdue"
    assert calamine(path, "Calls")[1][-1] == "Overdue"
    apply(path, plan, now=NOW)
    assert zip_parts(path) == after


def test_a_package_with_a_damaged_part_is_refused_with_what_to_do(tmp_path: Path):
    # Found by a review: a part whose compressed data is broken (the zip's directory is
    # whole) said only "the part xl/workbook.xml cannot be read (Error -3 ...)", with no
    # remedy and no word that nothing was changed.
    path = small_overdue_log(tmp_path / "crc.xlsx")
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as z:
        info = z.getinfo("xl/workbook.xml")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    for k in range(start + 2, start + 10):
        data[k] ^= 0xFF
    path.write_bytes(bytes(data))
    before = path.read_bytes()
    plan = WritePlan("Calls", 1, 2, 5, [ColumnWrite("Status", ("status",), {2: "x"})], [], [])
    with pytest.raises(WorkbookError) as info:
        apply(path, plan, now=NOW)
    assert str(info.value).startswith(f"{path}: the file is damaged (its part xl/workbook.xml cannot be read")
    assert str(info.value).endswith("open it in Excel to repair it, or use a backup; nothing was changed")
    assert path.read_bytes() == before


_SHAPE_ANCHOR = re.compile(r"<xdr:twoCellAnchor[^>]*>.*?</xdr:from>.*?</xdr:to>(.*?)</xdr:twoCellAnchor>", re.S)


@pytest.mark.parametrize("anchor, x_px, width_px, first_free", [
    ("two cells", 600, 200, "G"), ("one cell", 600, 200, "G"), ("absolute", 600, 200, "G"),
    ("absolute to an edge", 570, 128, "E"), ("absolute beyond", 698, 60, "C")])
def test_new_columns_go_right_of_a_shape_however_it_is_anchored(tmp_path: Path, anchor, x_px, width_px, first_free):
    # Found by a tester: a shape placed by its position on the sheet (an absoluteAnchor:
    # x and width in EMU, no cell) was taken to be on no column, and our columns went
    # under it. Its position counts the sheet's own column widths: A and B are 285
    # pixels here, so 600 pixels from the left edge is 30 pixels into C.
    path = tmp_path / f"{anchor}.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Calls")
    ws.write_row(0, 0, ["Contact", "Next contact"])
    ws.write_row(1, 0, ["Ann", "2026-11-20"])
    ws.set_column(0, 1, 40)
    ws.insert_textbox("C2", "KEEP ME", {"x_offset": x_px - 570, "width": width_px, "height": 40})
    wb.close()
    emu = 9525
    if anchor == "one cell":
        rewrite_parts(path, {"xl/drawings/drawing1.xml": lambda x: re.sub(
            r"<xdr:twoCellAnchor[^>]*>(.*?</xdr:from>)<xdr:to>.*?</xdr:to>(.*?)</xdr:twoCellAnchor>",
            rf'<xdr:oneCellAnchor>\1<xdr:ext cx="{width_px * emu}" cy="{40 * emu}"/>\2</xdr:oneCellAnchor>',
            x, flags=re.S)})
    elif anchor != "two cells":
        rewrite_parts(path, {"xl/drawings/drawing1.xml": lambda x: _SHAPE_ANCHOR.sub(
            rf'<xdr:absoluteAnchor><xdr:pos x="{x_px * emu}" y="{20 * emu}"/>'
            rf'<xdr:ext cx="{width_px * emu}" cy="{40 * emu}"/>\1</xdr:absoluteAnchor>', x)})
    assert (b"absoluteAnchor" in zip_parts(path)["xl/drawings/drawing1.xml"]) == anchor.startswith("absolute")
    _two_columns_land_at(path, first_free, 2, lambda part: part.startswith("xl/drawings/"))


_XDR_NS = "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"


def _x14_anchor(c0: int, off0: int, c1: int, off1: int) -> str:
    """An <anchor> of a form control or embedded object, as Excel 2010 and later write
    it in the sheet (each marker's children declaring the drawing namespace)."""
    def marker(tag: str, col: int, off: int, row: int) -> str:
        kids = "".join(f'<xdr:{k} xmlns:xdr="{_XDR_NS}">{v}</xdr:{k}>'
                       for k, v in (("col", col), ("colOff", off), ("row", row), ("rowOff", 0)))
        return f"<{tag}>{kids}</{tag}>"
    return f'<anchor moveWithCells="1">{marker("from", c0, off0, 1)}{marker("to", c1, off1, 3)}</anchor>'


def _alternate(inner: str) -> str:
    return ('<mc:AlternateContent xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006">'
            f'<mc:Choice Requires="x14">{inner}</mc:Choice></mc:AlternateContent>')


@pytest.mark.parametrize("mark, anchor, first_free", [
    ("check box", (2, 0, 4, 300000), "F"), ("check box to an edge", (2, 0, 4, 0), "E"),
    ("check box beyond", (4, 0, 5, 0), "C"), ("embedded object", (2, 100000, 5, 0), "F")])
def test_new_columns_go_right_of_a_form_control_anchored_only_in_the_sheet(tmp_path: Path, mark, anchor, first_free):
    # Found by a tester: a check box kept only in the sheet's <controls> (its anchor in
    # <controlPr>, with no VML copy, as writers other than Excel leave it) was not seen,
    # and our columns went under it; an embedded object's <objectPr> anchor likewise.
    if mark == "embedded object":
        tail = _alternate('<oleObjects>' + _alternate(
            '<oleObject progId="Package" shapeId="1025" r:id="rId1">'
            f'<objectPr defaultSize="0" r:id="rId2">{_x14_anchor(*anchor)}</objectPr></oleObject>') + '</oleObjects>')
        rels = [("rId1", "oleObject", "../embeddings/oleObject1.bin"), ("rId2", "image", "../media/image1.png")]
        parts = {"xl/embeddings/oleObject1.bin": b"\0" * 64, "xl/media/image1.png": png_bytes()}
    else:
        tail = _alternate('<controls>' + _alternate(
            '<control shapeId="1025" r:id="rId1" name="Check Box 1"><controlPr defaultSize="0" autoPict="0">'
            f'{_x14_anchor(*anchor)}</controlPr></control>') + '</controls>')
        rels = [("rId1", "http://schemas.microsoft.com/office/2007/relationships/ctrlProp", "../ctrlProps/ctrlProp1.xml")]
        parts = {"xl/ctrlProps/ctrlProp1.xml": (
            b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><formControlPr '
            b'xmlns="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main" objectType="CheckBox" checked="Checked"/>')}
    ns_rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
    parts["xl/worksheets/_rels/sheet1.xml.rels"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        + "".join(f'<Relationship Id="{i}" Type="{t if ":" in t else ns_rel + t}" Target="{target}"/>'
                  for i, t, target in rels) + '</Relationships>').encode()
    path = handmade_xlsx(tmp_path / f"{mark}.xlsx", _small_log_sheet(tail='<pageMargins left="0.7" right="0.7" '
                         'top="0.75" bottom="0.75" header="0.3" footer="0.3"/>' + tail), extra_parts=parts)
    rewrite_parts(path, {"[Content_Types].xml": lambda x: x.replace("</Types>", (
        '<Default Extension="png" ContentType="image/png"/>'
        '<Default Extension="bin" ContentType="application/vnd.openxmlformats-officedocument.oleObject"/>'
        '<Override PartName="/xl/ctrlProps/ctrlProp1.xml" ContentType="application/vnd.ms-excel.controlproperties+xml"/>'
        '</Types>'))})
    after = _two_columns_land_at(path, first_free, 3, parts.__contains__)
    assert tail.encode() in after["xl/worksheets/sheet1.xml"]


def _two_columns_land_at(path: Path, first_free: str, last_row: int, users: Callable[[str], bool]) -> dict:
    """Our Status and Due applied to the log on 'Calls' (rows 2..`last_row`): added at
    `first_free` and the column after it, the parts `users` names byte for byte as they
    were, read back by openpyxl and calamine, and left as they are by the next refresh.
    The parts after the write."""
    before = zip_parts(path)
    plan = WritePlan("Calls", 1, 2, last_row, [ColumnWrite("Status", ("status",), {2: "Overdue"}),
                                               ColumnWrite("Due", ("due",), {2: "today"})], [], [])
    report = apply(path, plan, now=NOW)
    second = chr(ord(first_free) + 1)
    assert report.added_columns == [first_free, second]
    after = zip_parts(path)
    assert all(after[n] == data for n, data in before.items() if users(n))
    sheet = openpyxl.load_workbook(path)["Calls"]
    assert (sheet[f"{first_free}1"].value, sheet[f"{second}1"].value) == ("Status", "Due")
    assert calamine(path, "Calls")[1][-2:] == ["Overdue", "today"]
    apply(path, plan, now=NOW)   # the next refresh finds our columns where they went
    assert zip_parts(path) == after
    return after


def test_a_refresh_that_changes_nothing_writes_nothing_though_the_sheet_is_now_deflated_otherwise(
        tmp_path: Path, monkeypatch):
    # Found by a tester: 1 000 rows of long notes, the sheet 5.6 MB before the first
    # refresh (deflated at level 6) and 11 MB after it (past _BIG_SHEET: level 1 the next
    # time); the second refresh, with nothing new, wrote other bytes, replaced the file
    # and kept a backup of nothing. Here the limit is set between the two sizes.
    import tracker.writeback as wbk

    path = rich_log(tmp_path / "log.xlsx", 200)
    notes = {r: f"Summary of call {r}: " + "the client said many things. " * 40 for r in range(3, 203)}
    plan = WritePlan("Calls", 2, 3, 202, [ColumnWrite("Summary", ("summary",), notes, wrap=True)], [], [])
    with zipfile.ZipFile(path) as z:
        monkeypatch.setattr(wbk, "_BIG_SHEET", z.getinfo("xl/worksheets/sheet1.xml").file_size)
    first = apply(path, plan, now=NOW)
    assert first.backup is not None and not first.unchanged
    with zipfile.ZipFile(path) as z:
        assert z.getinfo("xl/worksheets/sheet1.xml").file_size > wbk._BIG_SHEET   # the next run deflates at 1
    before, stamp = path.read_bytes(), path.stat().st_mtime_ns
    second = apply(path, plan, now=NOW)
    assert second.unchanged and second.backup is None
    assert path.read_bytes() == before and path.stat().st_mtime_ns == stamp
    assert sorted(p.name for p in first.backup.parent.iterdir()) == [first.backup.name]
    # a change is still written (at the level its size picks), and read back
    notes[3] = "Changed."
    third = apply(path, plan, now=NOW)
    assert not third.unchanged and third.backup is not None
    assert calamine(path, "Calls")[2][10] == "Changed."
    assert openpyxl.load_workbook(path)["Calls"]["K4"].value == notes[4]


def users_formats(path: Path, rows: range, due_format: str) -> None:
    """The user formats our columns, as mk14b of a tester did (openpyxl standing in for
    Excel): Status italic, Due bold red on yellow in `due_format`, Summary small on grey."""
    from openpyxl.styles import Font, PatternFill

    wb = openpyxl.load_workbook(path)
    ws = wb["Calls"]
    for r in rows:
        ws[f"K{r}"].font = Font(italic=True)
        ws[f"L{r}"].font = Font(bold=True, color="C00000")
        ws[f"L{r}"].fill = PatternFill("solid", fgColor="FFFF00")
        ws[f"L{r}"].number_format = due_format
        ws[f"M{r}"].font = Font(size=8)
        ws[f"M{r}"].fill = PatternFill("solid", fgColor="EEEEEE")
    wb.save(path)


def summary_plan(due_format: str = "yyyy-mm-dd") -> WritePlan:
    return WritePlan("Calls", 2, 3, 22, [
        ColumnWrite("Status", ("status",), {3: "overdue", 4: "done"}, key="status"),
        ColumnWrite("Due", ("due",), {3: date(2026, 11, 20), 4: datetime(2026, 11, 23, 10)}, number_format=due_format,
                    key="due"),
        ColumnWrite("Summary", ("summary",), {3: "Company Name: Acme\nSM: Olga", 4: "Interview"}, wrap=True,
                    key="summary")], [], [])


@pytest.mark.parametrize("theirs, shown", [
    ("dd.mm.yyyy", "dd.mm.yyyy"),   # a date format of theirs suits our dates: kept
    ("dd mmm", "dd mmm"),
    ("General", "yyyy-mm-dd"),      # not a date format: ours, with their font and fill
    ("@", "yyyy-mm-dd"),
])
def test_the_users_formatting_of_our_columns_is_kept_with_what_our_values_need(rich: Path, theirs: str, shown: str):
    # Found by a tester: Due formatted bold red on yellow, `dd mmm`, and Summary small
    # on grey came back plain yyyy-mm-dd and unfilled after every refresh (Status kept
    # its formatting: our Due and Summary have styles of their own, which won).
    apply(rich, summary_plan(), now=NOW)
    users_formats(rich, range(3, 23), theirs)
    for _ in range(2):
        report = apply(rich, summary_plan(), now=NOW)
        ws = openpyxl.load_workbook(rich)["Calls"]
        for r in (3, 4, 5):   # a value, a date-time, a cleared cell
            status, due, summary = ws[f"K{r}"], ws[f"L{r}"], ws[f"M{r}"]
            assert status.font.i
            assert due.font.b and due.font.color.rgb == "00C00000" and due.fill.fgColor.rgb == "00FFFF00"
            assert due.number_format == shown
            assert summary.font.sz == 8 and summary.fill.fgColor.rgb == "00EEEEEE" and summary.alignment.wrap_text
        assert ws["L3"].value == datetime(2026, 11, 20) and ws["L4"].value == datetime(2026, 11, 23, 10)
        assert ws["M3"].value == "Company Name: Acme\nSM: Olga"
        styles = zip_parts(rich)["xl/styles.xml"].decode()
        xfs = re.search(r'<cellXfs count="(\d+)">(.*?)</cellXfs>', styles, re.S)
        assert int(xfs.group(1)) == len(re.findall(r"<xf\b", xfs.group(2)))
        assert max(int(s) for s in re.findall(r'<c r="[K-M]\d+" s="(\d+)"',
                                              zip_parts(rich)["xl/worksheets/sheet1.xml"].decode())) < int(xfs.group(1))
    assert report.unchanged   # the second refresh finds every style it needs: nothing changes


def test_a_cell_style_of_the_users_is_fitted_with_only_what_is_missing():
    from tracker.writeback import _Styles

    styles = _Styles(
        '<styleSheet><numFmts count="2"><numFmt numFmtId="164" formatCode="dd\\.mm\\.yyyy"/>'
        '<numFmt numFmtId="165" formatCode="0.0&quot; d&quot;"/></numFmts><cellXfs count="4">'
        '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
        '<xf numFmtId="164" fontId="2" fillId="3" borderId="0" xfId="0" applyFont="1"/>'
        '<xf numFmtId="165" fontId="2" fillId="3" borderId="1" xfId="0">'
        '<alignment horizontal="center"/><protection locked="0"/></xf>'
        '<xf numFmtId="49" fontId="2" fillId="0" borderId="0" xfId="0"><alignment wrapText="1"/></xf>'
        '</cellXfs></styleSheet>', "test")
    ours = styles.num_fmt("yyyy-mm-dd")
    assert styles.fitted_xf(1, ours, False) is None                # dd.mm.yyyy: a date format
    assert styles.fitted_xf(3, None, True) is None                 # wraps already
    assert styles.fitted_xf(2, ours, True) == (                    # "0.0 d" is no date; no wrap
        f'<xf numFmtId="{ours}" fontId="2" fillId="3" borderId="1" xfId="0" applyNumberFormat="1" applyAlignment="1">'
        '<alignment horizontal="center" wrapText="1" vertical="top"/><protection locked="0"/></xf>')
    assert styles.fitted_xf(3, ours, False) == (
        f'<xf numFmtId="{ours}" fontId="2" fillId="0" borderId="0" xfId="0" applyNumberFormat="1">'
        '<alignment wrapText="1"/></xf>')
    assert styles.fitted_xf(0, None, True) == (
        '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1">'
        '<alignment vertical="top" wrapText="1"/></xf>')
    assert styles.fitted_xf(9, ours, True) is None                 # no such style: the cell keeps it


@needs_fork
def test_a_style_the_child_meets_in_its_half_is_made_as_in_one_process(tmp_path: Path, monkeypatch):
    # The user's style of a Summary cell wants a wrapping copy that styles.xml lacks: the
    # child marks it, the parent gives it its index; one write, as in one process.
    n = 60
    sheet = re.sub(r'<c r="E(10|50)" s="0">', r'<c r="E\1" s="1">', shaped_sheet(["ours"] * n, ours=True))
    styles = ('<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="8"/>'
              '<name val="Calibri"/></font></fonts>')

    def bold_small(x: str) -> str:
        x = re.sub(r'<fonts count="1">.*?</fonts>', styles, x)
        return x.replace('<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>',
                         '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
                         '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>')

    plans = [WritePlan("Calls", 1, 2, n + 1, [
        ColumnWrite("Status", ("status",), {r: "Overdue" for r in range(2, n + 2)}, key="status"),
        ColumnWrite("Summary", ("summary",), {r: f"Call {r}" for r in range(2, n + 2)}, wrap=True, key="summary"),
    ], [], [])] * 2
    made = handmade_xlsx
    monkeypatch.setattr(sys.modules[__name__], "handmade_xlsx",   # (split_and_serial's)
                        lambda path, xml: rewrite_parts(made(path, xml), {"xl/styles.xml": bold_small}))
    split, serial, done = split_and_serial(monkeypatch, tmp_path, sheet, plans, 0.5)
    # each child did its half, in one write
    assert done == [True, True]
    assert split == serial
    ws = openpyxl.load_workbook(tmp_path / "True.xlsx")["Calls"]
    for r in (10, 50):
        assert ws[f"E{r}"].value == f"Call {r}" and ws[f"E{r}"].font.b and ws[f"E{r}"].alignment.wrap_text
    assert ws["E11"].alignment.wrap_text and not ws["E11"].font.b
