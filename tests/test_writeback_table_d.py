"""A log kept as an Excel table, with the user's cells where our columns join it: one
refusal names everything in the way (cells as runs, notes, drop-downs), a long list cut
short and counted; what lies below the table's rows (a total, a note, a drop-down under
the log) is not in the way, and stays as it was, unless a call typed under the table
has ours written on its row. Workbooks written with openpyxl, refreshed by the CLI,
read back with openpyxl and calamine."""
from __future__ import annotations

import zipfile
from datetime import date
from pathlib import Path

import openpyxl
from openpyxl.comments import Comment
from openpyxl.worksheet.table import Table
from python_calamine import CalamineWorkbook
from test_writeback_h7 import HEADER, OURS, refresh, table_log, table_ref


def with_notes(path: Path, notes: dict[str, str]) -> Path:
    wb = openpyxl.load_workbook(path)
    for ref, text in notes.items():
        wb["Log"][ref].comment = Comment(text, "me")
    wb.save(path)
    return path


def refused(path: Path) -> str:
    before = path.read_bytes()
    r = refresh(path)
    assert r.exit_code == 2, r.output
    assert "nothing was changed" in r.stderr and "Traceback" not in r.output
    assert path.read_bytes() == before
    assert not (path.parent / ".call-tracker-backups").exists()
    return r.stderr


def test_one_refusal_names_every_cell_note_and_drop_down_in_the_way(tmp_path):
    path = table_log(tmp_path / "many.xlsx", {"K1": "Total", "K2": 5, "L3": "=1+1", "J10": "below"},
                     drop_down="M2:M50")
    with_notes(path, {"L2": "ask Olga", "M1": "mine", "J30": "a note under the log"})
    err = refused(path)
    assert ('join it at J:M, but K1:K2 ("Total"…) and L3 ("=1+1") hold values of yours; L2 and M1 have '
            "notes of yours; a drop-down of yours lies over M2:M50: move them right of column M (or to "
            "another sheet), or take them into the table") in err
    # under the table's rows: not named
    assert "J10" not in err and "J30" not in err


def test_a_long_list_of_cells_in_the_way_is_cut_short_and_counted(tmp_path):
    """Twelve calls under a table's header, the user's marks on every other row of J and
    L: the first six places named, the other cells counted."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Log"
    ws.append(HEADER)
    for i in range(12):
        ws.append([date(2026, 11, 2 + i), "10:00", "Follow-up", f"Client {i}", f"Person {i}", "", "No answer",
                   None, "x"])
    ws.add_table(Table(displayName="Calls", ref="A1:I13"))
    for row in range(2, 14, 2):
        ws[f"J{row}"] = f"mark {row}"
        ws[f"L{row}"] = row
    wb.save(tmp_path / "long.xlsx")
    err = refused(tmp_path / "long.xlsx")
    assert ('but J2 ("mark 2"), J4 ("mark 4"), J6 ("mark 6"), J8 ("mark 8"), J10 ("mark 10"), '
            'J12 ("mark 12") and 6 more cells hold values of yours: move them right of column M') in err


def test_a_total_a_note_and_a_drop_down_under_the_table_stay_and_our_columns_join_it(tmp_path):
    path = table_log(tmp_path / "under.xlsx", {"K10": "Total", "L10": "=COUNTA(A2:A3)", "M12": "checked"},
                     drop_down="J20:J30")
    with_notes(path, {"L14": "ask Olga"})
    with zipfile.ZipFile(path) as z:
        kept = {n: z.read(n) for n in z.namelist() if "comments" in n or "vmlDrawing" in n}
    assert kept
    r = refresh(path)
    assert r.exit_code == 0, r.output
    assert "Added columns J (Status), K (Due), L (Next action), M (Summary)." in r.output
    assert table_ref(path) == "A1:M3"
    ws = openpyxl.load_workbook(path)["Log"]
    assert [c.name for c in ws.tables["Calls"].tableColumns] == HEADER + OURS
    assert (ws["K10"].value, ws["L10"].value, ws["M12"].value) == ("Total", "=COUNTA(A2:A3)", "checked")
    assert ws["L14"].comment.text == "ask Olga"
    assert [str(dv.sqref) for dv in ws.data_validations.dataValidation] == ["J20:J30"]
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Log").to_python()
    assert rows[0][9:13] == OURS and rows[1][9] == "Overdue"
    assert rows[9][10] == "Total" and rows[11][12] == "checked"
    assert all(row[9:13] == ["", "", "", ""] for row in rows[3:9])   # nothing of ours under the table
    with zipfile.ZipFile(path) as z:   # the notes' parts copied through as they were
        assert {n: z.read(n) for n in kept} == kept


def test_a_call_typed_under_the_table_has_ours_on_its_row_so_a_cell_above_it_is_in_the_way(tmp_path):
    """A call in row 6, under the table A1:I3: ours are written on its row and the rows
    between are cleared, so the user's K5 would be lost: it is named."""
    path = table_log(tmp_path / "call_under.xlsx", {"K5": "Total", "K9": "further down"})
    wb = openpyxl.load_workbook(path)
    for col, value in zip("ABCDEFGHI", [date(2026, 11, 21), "11:00", "Follow-up", "Zeta", "Anna Lee", "",
                                        "No answer", None, "x"]):
        wb["Log"][f"{col}6"] = value
    wb.save(path)
    err = refused(path)
    assert 'join it at J:M, but K5 holds "Total": move it right of column M' in err
    assert "K9" not in err


def test_a_title_above_the_table_is_not_in_the_way(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Log"
    ws["A1"], ws["K1"] = "Calls — Olga", "Q4 notes"
    ws.append([])
    ws.append(HEADER)
    ws.append([date(2026, 11, 20), "10:00", "Follow-up", "Acme", "Ivan Petrov", "", "No answer", None, "Java"])
    ws.add_table(Table(displayName="Calls", ref="A3:I4"))
    wb.save(tmp_path / "title.xlsx")
    r = refresh(tmp_path / "title.xlsx")
    assert r.exit_code == 0, r.output
    ws = openpyxl.load_workbook(tmp_path / "title.xlsx")["Log"]
    assert ws.tables["Calls"].ref == "A3:M4" and ws["K1"].value == "Q4 notes" and ws["J3"].value == "Status"


def test_a_drop_down_only_under_the_table_no_longer_sends_ours_away(tmp_path):
    """Nothing else right of the table: ours go straight to J, the drop-down under the
    log (J20:J30, found only when the sheet's end is read) does not push them on."""
    path = table_log(tmp_path / "dv_under.xlsx", drop_down="J20:K30")
    r = refresh(path)
    assert r.exit_code == 0, r.output
    assert "Added columns J (Status), K (Due), L (Next action), M (Summary)." in r.output
    ws = openpyxl.load_workbook(path)["Log"]
    assert ws.tables["Calls"].ref == "A1:M3"
    assert [str(dv.sqref) for dv in ws.data_validations.dataValidation] == ["J20:K30"]
