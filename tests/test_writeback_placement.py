"""apply(): where our new columns go on a log under the user's colour rules and drop-downs."""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import PatternFill
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.table import Table
from python_calamine import CalamineWorkbook

from tracker.writeback import ColumnWrite, WritePlan, apply

from workbooks import rewrite_parts, zip_parts

NOW = datetime(2026, 11, 22, 9, 0)
HEADERS = ["Date", "Call type", "Client", "Contact", "Candidates", "Outcome", "Next contact", "SM", "Comment",
           "Whom to remind"]   # A:J


def banded_log(path: Path, marks: list[str], *, table: bool = False) -> Path:
    """A log A1:J11 with an AutoFilter (or an Excel table) over it and the user's `marks`:
    "cf band" zebra stripes over A2:T500, "dv band" an input message over A2:Z1000,
    "dv K" a drop-down on the empty column K, "cf K" a colour rule on K alone."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Calls"
    ws.append(HEADERS)
    for i in range(10):
        ws.append([datetime(2026, 11, 1 + i), "Interview", f"Client {i}", f"Contact {i}", "", "Planned",
                   datetime(2026, 11, 5 + i), "Olga", f"Call {i}", ""])
    if table:
        ws.add_table(Table(displayName="CallsTbl", ref="A1:J11"))
    else:
        ws.auto_filter.ref = "A1:J11"
    stripe = PatternFill("solid", bgColor="F2F2F2")
    if "cf band" in marks:
        ws.conditional_formatting.add("A2:T500", FormulaRule(formula=["MOD(ROW(),2)=0"], fill=stripe))
    if "cf K" in marks:
        ws.conditional_formatting.add("K2:K500", FormulaRule(formula=['$K2="hot"'], fill=stripe))
    if "dv band" in marks:
        dv = DataValidation(type="textLength", operator="lessThanOrEqual", formula1="32767",
                            promptTitle="Call log", prompt="One row per call", showInputMessage=True)
        dv.add("A2:Z1000")
        ws.add_data_validation(dv)
    if "dv K" in marks:
        dv = DataValidation(type="list", formula1='"Hot,Cold"')
        dv.add("K2:K500")
        ws.add_data_validation(dv)
    wb.save(path)
    return path


def status_plan() -> WritePlan:
    return WritePlan("Calls", 1, 2, 11, [ColumnWrite("Status", ("status",), {2: "Overdue", 3: "Done"}),
                                         ColumnWrite("Due", ("due",), {2: "soon"})], [], [])


@pytest.mark.parametrize("marks, first_free", [
    ([], "K"),
    (["cf band"], "K"),             # zebra stripes over A2:T500: a band over the table, ours join it
    (["dv band"], "K"),             # an input message over A2:Z1000: the same
    (["cf band", "dv band"], "K"),
    (["dv K"], "L"),                # the user's own drop-down column K: stepped over
    (["cf K"], "L"),                # a colour rule of the user's own column K: stepped over
    (["dv band", "dv K"], "L"),     # the band does not count, K's own drop-down does
])
def test_a_band_of_colour_rules_or_drop_downs_over_the_log_does_not_push_our_columns_away(
        tmp_path: Path, marks: list[str], first_free: str):
    # Found by a tester: with zebra stripes over A2:T500 our Status went to U (with an
    # input message over A2:Z1000, to AA), outside the log's filter: a sort in Excel
    # sorted A:J and left our statuses beside other calls.
    path = banded_log(tmp_path / "log.xlsx", marks)
    report = apply(path, status_plan(), now=NOW)
    second = chr(ord(first_free) + 1)
    assert report.added_columns == [first_free, second]
    sheet = openpyxl.load_workbook(path)["Calls"]
    assert sheet[f"{first_free}1"].value == "Status" and sheet[f"{first_free}2"].value == "Overdue"
    # next to the log, the filter covers our columns exactly as when nothing lies over
    # them; past the user's column K, theirs is between and the filter stays theirs
    assert sheet.auto_filter.ref == ("A1:L11" if first_free == "K" else "A1:J11")
    assert sorted(str(cf.sqref) for cf in sheet.conditional_formatting) == sorted(
        {"cf band": "A2:T500", "cf K": "K2:K500"}[m] for m in marks if m.startswith("cf"))
    assert sorted(str(dv.sqref) for dv in sheet.data_validations.dataValidation) == sorted(
        {"dv band": "A2:Z1000", "dv K": "K2:K500"}[m] for m in marks if m.startswith("dv"))
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Calls").to_python()
    col = ord(first_free) - ord("A")
    assert [r[col] for r in rows[:3]] == ["Status", "Overdue", "Done"]
    left = HEADERS[-1] if first_free == "K" else ""   # left of ours: the log's J, or the user's K, empty
    assert [r[col - 1] for r in rows] == [left, *[""] * 10]
    before = zip_parts(path)
    apply(path, status_plan(), now=NOW)   # the next refresh finds ours: nothing changes
    assert zip_parts(path) == before


def test_the_logs_table_grows_over_our_columns_under_a_band_of_stripes(tmp_path: Path):
    path = banded_log(tmp_path / "table.xlsx", ["cf band", "dv band"], table=True)
    report = apply(path, status_plan(), now=NOW)
    assert report.added_columns == ["K", "L"] and report.tables_extended == ["CallsTbl"]
    table = openpyxl.load_workbook(path)["Calls"].tables["CallsTbl"]
    assert table.ref == "A1:L11"
    assert [c.name for c in table.tableColumns] == [*HEADERS, "Status", "Due"]


X14_BAND = (  # a colour rule reading another sheet, as Excel keeps it: in the extension list
    '<extLst><ext uri="{78C0D931-6437-407d-A8EE-F0AAD7539E65}" '
    'xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main">'
    '<x14:conditionalFormattings><x14:conditionalFormatting xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main">'
    '<x14:cfRule type="expression" priority="1" id="{00000000-0000-0000-0000-000000000001}">'
    '<xm:f>Other!$A$1=1</xm:f><x14:dxf><fill><patternFill><bgColor rgb="FFF2F2F2"/></patternFill></fill></x14:dxf>'
    '</x14:cfRule><xm:sqref>{sqref}</xm:sqref></x14:conditionalFormatting></x14:conditionalFormattings></ext>'
    '</extLst></worksheet>')


@pytest.mark.parametrize("sqref, first_free", [("A2:T500", "K"), ("K2:K500", "L")])
def test_a_band_of_extension_list_colour_rules_counts_as_the_plain_one(tmp_path: Path, sqref: str, first_free: str):
    path = banded_log(tmp_path / "x14.xlsx", [])
    rewrite_parts(path, {"xl/worksheets/sheet1.xml": lambda x: x.replace(
        "</worksheet>", X14_BAND.replace("{sqref}", sqref))})
    assert apply(path, status_plan(), now=NOW).added_columns[0] == first_free
    assert f"<xm:sqref>{sqref}</xm:sqref>" in zip_parts(path)["xl/worksheets/sheet1.xml"].decode()
