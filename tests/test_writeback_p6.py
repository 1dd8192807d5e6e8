"""`tracker refresh` on a log whose user painted a fill past its last column: our columns
still go right beside the log, into the painted cells, the fill kept on them."""
from __future__ import annotations

import re
import shutil
import subprocess
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from openpyxl.comments import Comment
from openpyxl.styles import PatternFill
from openpyxl.utils import column_index_from_string
from openpyxl.worksheet.datavalidation import DataValidation

from tracker.cli import main

from workbooks import refreshed_output, rewrite_parts, zip_parts

AS_OF = "2026-11-20T09:00"
HEADERS = ["ID", "Date", "Time", "Call type", "Client", "Contact", "Candidates", "Outcome", "Next contact",
           "SM", "Comment on the call", "Whom to remind", "Stage"]   # A:M
OURS = ["Status", "Due", "Next action", "Summary"]
YELLOW = "00FFFF00"


def filled_log(path: Path, fill_to: str, *, header: bool = False, status: bool = False, mark=None) -> Path:
    """A log A1:M9 (8 calls) with a yellow fill on A2:`fill_to`9 (from row 1 with `header`);
    with `status`, the user's last column is called Status; `mark(ws)` adds something of theirs."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Call log"
    ws.append([*HEADERS[:-1], "Status" if status else HEADERS[-1]])
    for i in range(8):
        ws.append([i + 1, datetime(2026, 11, 2 + i), None, "Interview", f"Client {i}", f"Contact {i}", "",
                   "Planned", datetime(2026, 11, 10 + i), "Olga", f"Call {i}", "", "open"])
    fill = PatternFill("solid", fgColor="FFFF00")
    for row in ws.iter_rows(min_row=1 if header else 2, max_row=9, max_col=column_index_from_string(fill_to)):
        for cell in row:
            cell.fill = fill
    if mark:
        mark(ws)
    wb.save(path)
    return path


def refresh(path: Path) -> str:
    return refreshed_output(path, AS_OF)


@pytest.mark.parametrize("fill_to, header, status", [
    ("AD", False, False),   # the tester's: ours went to AE:AH, 17 empty columns from the log
    ("P", False, False),    # ours went to Q:T
    ("AD", True, False),    # the header row painted on too
    ("AD", True, True),     # the user's own Status: ours is "Status (Call Tracker)", beside the log all the same
])
def test_a_fill_painted_past_the_log_does_not_push_our_columns_away(tmp_path: Path, fill_to, header, status):
    path = filled_log(tmp_path / "log.xlsx", fill_to, header=header, status=status)
    first = "Status (Call Tracker)" if status else "Status"
    assert f"Added columns N ({first}), O (Due), P (Next action), Q (Summary)." in refresh(path)
    ws = openpyxl.load_workbook(path)["Call log"]
    assert [c.value for c in ws[1]][12:17] == ["Status" if status else "Stage", first, *OURS[1:]]
    assert ws["N2"].value == "Overdue" and ws["O2"].value == datetime(2026, 11, 10)
    # the user's fill stays on the cells we wrote, the header's too when it was painted
    for ref in ("N2", "O2", "P2", "P9", *(["N1", "P1"] if header else [])):
        assert ws[ref].fill.fgColor.rgb == YELLOW, ref
    assert ws["Q2"].fill.fgColor.rgb == (YELLOW if fill_to == "AD" else "00000000")
    assert ws["O2"].number_format == "yyyy-mm-dd"   # our date format on their fill
    assert ws["Q2"].alignment.wrap_text              # and the summary wrapped
    if fill_to == "AD":
        assert ws["R2"].fill.fgColor.rgb == YELLOW and ws["R2"].value is None
    before = zip_parts(path)
    assert "Nothing changed since the last refresh" in refresh(path)   # ours found beside the log
    assert zip_parts(path) == before


def test_a_fill_past_the_log_of_a_sheet_without_its_dimension_does_not_push_ours_away(tmp_path: Path):
    # a writer leaving out <dimension>: every cell is looked at, and painted ones hold nothing
    path = filled_log(tmp_path / "log.xlsx", "AD", header=True)
    rewrite_parts(path, {"xl/worksheets/sheet1.xml": lambda x: re.sub(r"<dimension [^>]*/>", "", x)})
    assert "Added columns N (Status), O (Due), P (Next action), Q (Summary)." in refresh(path)
    ws = openpyxl.load_workbook(path)["Call log"]
    assert ws["N1"].value == "Status" and ws["N1"].fill.fgColor.rgb == YELLOW


def _value(ws):
    ws["P5"] = "my note"


def _formula(ws):
    ws["P5"] = "=1+1"


def _note(ws):
    ws["P5"].comment = Comment("call back", "Olga")


def _merge(ws):
    ws.merge_cells("O5:P5")


def _drop_down(ws):
    dv = DataValidation(type="list", formula1='"Hot,Cold"')
    dv.add("P2:P9")
    ws.add_data_validation(dv)


@pytest.mark.parametrize("mark", [_value, _formula, _note, _merge, _drop_down])
def test_what_the_user_put_in_painted_cells_still_pushes_ours_past_it(tmp_path: Path, mark):
    path = filled_log(tmp_path / "log.xlsx", "AD", mark=mark)
    assert "Added columns Q (Status), R (Due), S (Next action), T (Summary)." in refresh(path)
    ws = openpyxl.load_workbook(path)["Call log"]
    assert [c.value for c in ws[1]][16:20] == OURS
    assert ws["Q2"].fill.fgColor.rgb == YELLOW


def test_libreoffice_opens_a_log_refreshed_into_painted_cells(tmp_path: Path):
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed")
    path = filled_log(tmp_path / "log.xlsx", "AD", header=True)
    refresh(path)
    done = subprocess.run([soffice, f"-env:UserInstallation=file://{tmp_path}/lo", "--headless",
                           "--convert-to", "pdf", "--outdir", str(tmp_path / "pdf"), str(path)],
                          capture_output=True, timeout=180)
    assert done.returncode == 0 and (tmp_path / "pdf" / "log.pdf").stat().st_size > 0


def test_a_file_where_the_backup_folder_goes_is_named_and_nothing_changes(tmp_path: Path):
    path = filled_log(tmp_path / "log.xlsx", "P")
    (tmp_path / ".call-tracker-backups").write_text("not a folder")
    before = path.read_bytes()
    result = CliRunner().invoke(main, ["refresh", str(path), "--as-of", AS_OF])
    assert result.exit_code == 2
    assert (f"cannot keep a backup copy in {tmp_path / '.call-tracker-backups'}: a file of that name is in "
            "the way (move or rename it); nothing was changed") in result.output
    assert "File exists" not in result.output and "Traceback" not in result.output
    assert path.read_bytes() == before
