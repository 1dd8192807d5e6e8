"""A log kept as an Excel table with something of the user's right of it: our columns
cannot join the table there, and written beside it a sort of the table would leave them
on other calls' rows. The refresh refuses, saying what is in the way and what to move,
and changes nothing (audit a1 item 7). Workbooks written with openpyxl (and saved by
LibreOffice), refreshed by the CLI, read back with openpyxl, calamine and LibreOffice."""
from __future__ import annotations

import csv
import shutil
import zipfile
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.table import Table, TableStyleInfo
from python_calamine import CalamineWorkbook
from test_fidelity import soffice

from tracker.cli import main

AS_OF = "2026-11-23T09:00"
HEADER = ["Date", "Time", "Call type", "Client", "Contact", "Candidates", "Outcome", "Next contact", "Comment"]
OURS = ["Status", "Due", "Next action", "Summary"]


def table_log(path: Path, beside: dict[str, object] = {}, *, drop_down: str = "") -> Path:
    """The auditor's n3.xlsx: the log as the table Calls A1:I3, and the user's cells
    `beside` it ({"K1": "Total"}), or a drop-down of theirs over `drop_down`."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Log"
    ws.append(HEADER)
    ws.append([date(2026, 11, 20), "10:00", "Follow-up", "Acme", "Ivan Petrov", "", "No answer", None, "Java"])
    ws.append([date(2026, 11, 24), "14:00", "First call", "Brightline", "James Carter", "", "Planned", None,
               "SM: Olga"])
    table = Table(displayName="Calls", ref="A1:I3")
    table.tableStyleInfo = TableStyleInfo(name="TableStyleMedium9", showRowStripes=True)
    ws.add_table(table)
    for ref, value in beside.items():
        ws[ref] = value
    if drop_down:
        dv = DataValidation(type="list", formula1='"Hot,Cold"')
        dv.add(drop_down)
        ws.add_data_validation(dv)
    wb.save(path)
    return path


def refresh(path: Path):
    return CliRunner().invoke(main, ["refresh", str(path), "--as-of", AS_OF], catch_exceptions=False)


def table_ref(path: Path) -> str:
    return openpyxl.load_workbook(path)["Log"].tables["Calls"].ref


@pytest.mark.parametrize("saved_by", ["openpyxl", "LibreOffice"])
def test_a_cell_of_the_users_beside_the_logs_table_stops_the_refresh_naming_it(tmp_path, saved_by):
    path = table_log(tmp_path / "n3.xlsx", {"K1": "Total", "K2": 5})
    if saved_by == "LibreOffice":
        path = shutil.copy(soffice(tmp_path, path, "xlsx"), tmp_path / "n3lo.xlsx")
        assert table_ref(path) == "A1:I3"
    before = path.read_bytes()
    r = refresh(path)
    assert r.exit_code == 2, r.output
    assert "the log is the Excel table Calls (A1:I3)" in r.stderr
    assert "join it at J:M, but K1:K2 (\"Total\"…) hold values of yours: move them right of column M" in r.stderr
    assert "nothing was changed" in r.stderr and "Traceback" not in r.output
    assert path.read_bytes() == before
    assert not (tmp_path / ".call-tracker-backups").exists()


def test_a_drop_down_of_the_users_beside_the_logs_table_stops_it_too(tmp_path):
    path = table_log(tmp_path / "dv.xlsx", drop_down="J2:J50")
    before = path.read_bytes()
    r = refresh(path)
    assert r.exit_code == 2, r.output
    assert "join it at J:M, but a drop-down of yours lies over J2:J50: move it right of column M" in r.stderr
    assert path.read_bytes() == before


def test_the_cell_moved_away_our_columns_join_the_table(tmp_path):
    """What the refusal asks, done: "Total" moved right of M. The table grows over ours,
    the user's cell stays where they put it; Excel's readers and LibreOffice agree."""
    path = table_log(tmp_path / "moved.xlsx", {"Q1": "Total", "Q2": 5})
    r = refresh(path)
    assert r.exit_code == 0, r.output
    assert "Added columns J (Status), K (Due), L (Next action), M (Summary)." in r.output
    assert table_ref(path) == "A1:M3"
    ws = openpyxl.load_workbook(path)["Log"]
    assert [c.name for c in ws.tables["Calls"].tableColumns] == HEADER + OURS
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Log").to_python()
    assert rows[0][9:13] == OURS and rows[1][9] == "Overdue" and rows[0][16] == "Total" and rows[1][16] == 5
    lo = soffice(tmp_path, path, "xlsx")
    with zipfile.ZipFile(lo) as z:
        assert 'ref="A1:M3"' in z.read("xl/tables/table1.xml").decode()
    text = soffice(tmp_path, path, "csv").read_text(encoding="utf-8", errors="replace")
    assert next(csv.reader(text.splitlines()))[9:13] == OURS


def test_ours_left_outside_the_table_by_an_earlier_version_are_said(tmp_path):
    """The auditor's workbook as an earlier version left it: ours at L:O, right of the
    user's K, outside the table. The refresh still writes them (nothing is added), and
    says what to do to have them in the table."""
    path = table_log(tmp_path / "old.xlsx", {"K1": "Total", "K2": 5, "L1": "Status", "M1": "Due",
                                             "N1": "Next action", "O1": "Summary"})
    r = refresh(path)
    assert r.exit_code == 0, r.output
    assert "Our columns at L:O are outside the log's table Calls (A1:I3)" in r.output
    assert "Delete columns L:O (and move anything of yours out of J:M)" in r.output
    assert openpyxl.load_workbook(path)["Log"]["L2"].value == "Overdue" and table_ref(path) == "A1:I3"


def test_a_note_of_the_users_beside_the_logs_table_stops_it_naming_the_cell(tmp_path):
    from openpyxl.comments import Comment

    path = tmp_path / "note.xlsx"
    table_log(path)
    wb = openpyxl.load_workbook(path)
    wb["Log"]["L2"].comment = Comment("ask Olga", "me")
    wb.save(path)
    before = path.read_bytes()
    r = refresh(path)
    assert r.exit_code == 2 and "but L2 has a note of yours: move it right of column M" in r.stderr
    assert path.read_bytes() == before


def test_under_a_chart_with_a_cell_of_the_users_further_right_our_columns_still_join_the_table(tmp_path):
    """A chart over J:Q and "Total" in T1: the table grows under the chart (d6f928d), and
    the refresh says the chart lies over ours."""
    from openpyxl.chart import BarChart, Reference

    path = tmp_path / "chart.xlsx"
    table_log(path, {"T1": "Total"})
    wb = openpyxl.load_workbook(path)
    ws = wb["Log"]
    chart = BarChart()
    chart.add_data(Reference(ws, min_col=1, min_row=2, max_row=3))
    ws.add_chart(chart, "J2")
    wb.save(path)
    r = refresh(path)
    assert r.exit_code == 0, r.output
    assert "Added columns J (Status), K (Due), L (Next action), M (Summary)." in r.output
    assert "lies over some of columns J:M, where ours went, in the log's table Calls" in r.output
    assert table_ref(path) == "A1:M3" and openpyxl.load_workbook(path)["Log"]["T1"].value == "Total"
