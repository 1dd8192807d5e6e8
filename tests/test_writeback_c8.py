"""What a refresh keeps of the package as a whole, and that a second refresh writes nothing.

1. The zip archive's comment (a document-management system's stamp), and of each entry
   its comment, extra fields (timestamps), attributes, date and place: an entry we do not
   rewrite keeps its local header and bytes as they were, one we rewrite keeps all but its
   bytes. Before, the archive's comment and the entries' comments and extra fields were dropped.
2. A blank row inside the log whose cells where our columns go the user painted: the first
   refresh writes those cells as every later one does (empty, the user's style fitted to
   our values); before, the second refresh rewrote them (`t="n"` dropped, the style
   fitted), writing the workbook and a backup for nothing. So did it a row whose cells some
   lack a position (`<c><v>2</v></c>`) once ours left it: it numbered them.
The property: on any sheet the fast-path properties draw, a second apply writes nothing."""
from __future__ import annotations

import re
import struct
import zipfile
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from openpyxl.styles import PatternFill

import tracker.writeback as wb
from tracker.writeback import ColumnWrite, WritePlan, apply

from test_writeback import row_shape, shaped_sheet
from test_writeback_rowstyle_k7 import FILLS, XFS, long_text, shape, styled_sheet
from workbooks import handmade_xlsx, refreshed_output, rewrite_parts, zip_parts

AS_OF = "2026-11-20T09:00"
NOTHING = "Nothing changed since the last refresh"
HEADERS = ["ID", "Date", "Time", "Call type", "Client", "Contact", "Candidates", "Outcome", "Next contact",
           "SM", "Comment on the call", "Whom to remind", "Stage"]   # A:M; ours go to N:Q
BLANK = 5   # the blank row inside the log


def log(path: Path, n: int = 6, painted: str = "", blank: bool = True) -> Path:
    """A log of n calls, row BLANK left blank (when `blank`), saved by openpyxl (which
    writes an empty painted cell `<c r="N5" s="2" t="n"/>`). `painted`: "ours" the blank
    row's cells N:Q, "row" its cells A:T, "every row" A:T of every row, "whole row" the
    blank row formatted whole (`<row r="5" s="2" customFormat="1"/>`), "" none."""
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "Call log"
    ws.append(HEADERS)
    for i in range(n):
        if blank and ws.max_row + 1 == BLANK:
            ws.append([])
        ws.append([i + 1, datetime(2026, 11, 2 + i), None, "Interview", f"Client {i}", f"Contact {i}", "",
                   "Planned", datetime(2026, 11, 10 + i), "Olga", f"Call {i}", "", "open"])
    yellow = PatternFill("solid", fgColor="FFFF00")
    if painted == "whole row":   # (the row's style, no cells: Excel shows it in ours too)
        ws.row_dimensions[BLANK].fill = yellow
    cells = {"ours": [(BLANK, c) for c in range(14, 18)], "row": [(BLANK, c) for c in range(1, 21)],
             "every row": [(r, c) for r in range(2, ws.max_row + 1) for c in range(1, 21)]}.get(painted, [])
    for r, c in cells:
        ws.cell(r, c).fill = yellow
    book.save(path)
    return path


def backups(path: Path) -> list[Path]:
    folder = path.parent / wb.BACKUP_DIR_NAME
    return sorted(folder.iterdir()) if folder.is_dir() else []


def refreshed_again_writes_nothing(path: Path) -> None:
    """A second refresh through the CLI leaves the file as it is, byte for byte, and keeps no backup."""
    before, kept = path.read_bytes(), backups(path)
    assert NOTHING in refreshed_output(path, AS_OF)
    assert path.read_bytes() == before
    assert backups(path) == kept


def row_xml(path: Path, r: int) -> str:
    sheet = zip_parts(path)["xl/worksheets/sheet1.xml"].decode()
    return re.search(rf'<row r="{r}"[^>]*?(?:/>|>.*?</row>)', sheet, re.S).group(0)


# ---------------------------------------------------------------- 1. the archive kept

def with_comment(path: Path, comment: bytes) -> Path:
    with zipfile.ZipFile(path, "a") as z:
        z.comment = comment
    return path


def test_the_zip_comment_is_kept_and_a_second_refresh_writes_nothing(tmp_path: Path):
    stamp = "DMS: doc 4711 v3, checked in by Olga".encode()
    path = with_comment(log(tmp_path / "log.xlsx", blank=False), stamp)
    refreshed_output(path, AS_OF)
    with zipfile.ZipFile(path) as z:
        assert z.comment == stamp
        assert "Status" in z.read("xl/worksheets/sheet1.xml").decode()   # (it was written)
    assert len(backups(path)) == 1
    refreshed_again_writes_nothing(path)


def ut_extra(mtime: int) -> bytes:
    """Info-ZIP's extended timestamp (0x5455), modification time only."""
    return struct.pack("<HHBl", 0x5455, 5, 1, mtime)


def repacked(path: Path) -> Path:
    """The package as a tool that stamps its entries writes it: each entry with its own
    date, comment, extended timestamp and attributes (made on Windows), and an archive comment."""
    with zipfile.ZipFile(path) as z:
        parts = [(i.filename, z.read(i)) for i in z.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for k, (name, data) in enumerate(parts):
            info = zipfile.ZipInfo(name, (2024, 3, 1 + k, 10, 20, 2 * k))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.comment = f"entry {k}: {name}".encode()
            info.extra = ut_extra(1_700_000_000 + k)
            info.create_system = 0
            info.external_attr = 0x20   # (MS-DOS "archive")
            info.internal_attr = 1
            z.writestr(info, data, compresslevel=9)
        z.comment = b"archive comment"
    return path


def local_record(path: Path, info: zipfile.ZipInfo) -> bytes:
    """An entry's local header and its bytes as stored."""
    with open(path, "rb") as f:
        f.seek(info.header_offset)
        head = f.read(30)
        n, m = struct.unpack("<HH", head[26:30])
        return head + f.read(n + m + info.compress_size)


def central_fields(info: zipfile.ZipInfo) -> tuple:
    return (info.filename, info.date_time, info.comment, info.extra, info.create_system, info.create_version,
            info.extract_version, info.external_attr, info.internal_attr, info.flag_bits, info.compress_type,
            info.CRC, info.compress_size, info.file_size)


def test_each_entry_keeps_its_comment_extra_fields_attributes_date_and_place(tmp_path: Path):
    path = repacked(log(tmp_path / "log.xlsx", blank=False))
    original = tmp_path / "original.xlsx"
    original.write_bytes(path.read_bytes())
    with zipfile.ZipFile(path) as z:
        old = {i.filename: i for i in z.infolist()}
        old_order, old_text = z.namelist(), {n: z.read(n) for n in z.namelist()}
    refreshed_output(path, AS_OF)
    with zipfile.ZipFile(path) as z:
        new = {i.filename: i for i in z.infolist()}
        order, text = z.namelist(), {n: z.read(n) for n in z.namelist()}
        assert z.comment == b"archive comment"
    assert order[:len(old_order)] == old_order   # (ours, new, after the user's)
    untouched = [n for n in old if text[n] == old_text[n]]
    rewritten = [n for n in old if text[n] != old_text[n]]
    assert "docProps/core.xml" in untouched and "xl/worksheets/sheet1.xml" in rewritten
    for name in untouched:   # as they were, byte for byte: the local record and the central one
        assert central_fields(new[name]) == central_fields(old[name]), name
        assert local_record(path, new[name]) == local_record(original, old[name]), name
    for name in rewritten:   # only the bytes are new
        kept = ("date_time", "comment", "extra", "create_system", "external_attr", "internal_attr")
        assert [getattr(new[name], a) for a in kept] == [getattr(old[name], a) for a in kept], name
    refreshed_again_writes_nothing(path)


def test_an_entry_kept_whole_keeps_the_extra_field_of_its_local_header(tmp_path: Path):
    """Info-ZIP writes an entry's extended timestamp longer in its local header (with the
    access time) than in the central directory: each keeps its own."""
    path = log(tmp_path / "log.xlsx", blank=False)
    local, central = struct.pack("<HHBll", 0x5455, 9, 3, 1_700_000_000, 1_700_000_100), ut_extra(1_700_000_000)
    with zipfile.ZipFile(path) as z:
        parts = [(i.filename, z.read(i)) for i in z.infolist()]
    with open(path, "wb") as f, zipfile.ZipFile(f, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts:
            info = zipfile.ZipInfo(name, (2024, 3, 1, 10, 20, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.extra = local
            z.writestr(info, data)
            info.extra = central   # (what the central directory is written with, at close)
    refreshed_output(path, AS_OF)
    with zipfile.ZipFile(path) as z:
        info = z.getinfo("docProps/app.xml")
        assert info.extra == central
        assert local_record(path, info)[30 + len(info.filename):][:len(local)] == local


# ---------------------------------------------------------------- 2. painted blank rows

@pytest.mark.parametrize("painted", ["ours", "row", "every row"])
def test_a_painted_blank_row_is_written_once_by_the_first_refresh(tmp_path: Path, painted: str):
    path = log(tmp_path / "log.xlsx", painted=painted)
    assert 't="n"' in row_xml(path, BLANK)
    refreshed_output(path, AS_OF)
    row = row_xml(path, BLANK)
    # our cells in it as every later refresh writes them: empty, in the user's fill
    for letter in "NOPQ":
        assert re.search(rf'<c r="{letter}{BLANK}" s="\d+"/>', row), (letter, row)
    ws = openpyxl.load_workbook(path)["Call log"]
    assert all(ws.cell(BLANK, c).fill.fgColor.rgb == "00FFFF00" and ws.cell(BLANK, c).value is None
               for c in range(14, 18))
    refreshed_again_writes_nothing(path)


def test_a_blank_row_formatted_whole_gets_no_cells_of_ours(tmp_path: Path):
    path = log(tmp_path / "log.xlsx", painted="whole row")
    refreshed_output(path, AS_OF)
    assert "<c " not in row_xml(path, BLANK)   # (its style shows where ours go)
    refreshed_again_writes_nothing(path)


# ---------------------------------------------------------------- the property

def plan_of(status: dict, due: dict | None = None, summary: dict | None = None, last: int = 2) -> WritePlan:
    return WritePlan("Calls", 1, 2, last, [
        ColumnWrite("Status", ("status",), status, key="status"),
        ColumnWrite("Due", ("due",), due or {}, number_format="yyyy-mm-dd", key="due"),
        ColumnWrite("Summary", ("summary",), summary or {}, wrap=True, key="summary"),
    ], [], [])


def with_fills(path: Path) -> Path:
    """`styled_sheet`'s package with its styles: 1 yellow, 2 blue."""
    return rewrite_parts(path, {"xl/styles.xml": lambda t: re.sub(r"<fills.*?</fills>", FILLS,
                                                                  re.sub(r"<cellXfs.*?</cellXfs>", XFS, t))})


def cell_by_cell(patch) -> None:
    """Every row patched by `_patch_row`, as the in-place paths must patch it."""
    init = wb._LogSheet.__init__

    def general(self, *args, **kwargs):
        init(self, *args, **kwargs)
        self.in_place, self.tails = False, None

    patch.setattr(wb._LogSheet, "__init__", general)


def test_a_row_whose_cells_some_lack_a_position_is_numbered_when_our_cell_goes(tmp_path: Path):
    """`<c><v>2</v></c><c r="C2">Done</c>`, our Status cleared: the row left with cells
    without a position is numbered at once (the next refresh, not finding ours, did it)."""
    path = handmade_xlsx(tmp_path / "log.xlsx", shaped_sheet(["cells without r"], True))
    apply(path, plan_of({}), now=datetime(2026, 11, 22, 9))
    assert re.search(r'<row r="2"><c r="A2"><v>2</v></c></row>', zip_parts(path)["xl/worksheets/sheet1.xml"].decode())
    assert apply(path, plan_of({}), now=datetime(2026, 11, 22, 9)).unchanged


def test_a_styled_row_written_as_it_was_counts_its_values_on_both_paths(tmp_path: Path, monkeypatch):
    """Row 3, past the log, with a value of ours (None) in a cell the user painted: the
    row comes out as it was, its value counted as written by `_fitted_row` as by `_patch_row`."""
    counts = []
    for general in (False, True):
        path = with_fills(handmade_xlsx(tmp_path / f"{general}.xlsx", styled_sheet(["excel", "excel"])))
        with monkeypatch.context() as patch:
            if general:
                cell_by_cell(patch)
            report = apply(path, plan_of({3: None}), now=datetime(2026, 11, 22, 9))
        counts.append((report.cells_written, report.cells_cleared, zip_parts(path)))
    assert counts[0] == counts[1]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_a_second_apply_of_the_same_plan_writes_nothing(tmp_path_factory, monkeypatch, data):
    """On any of the sheets the fast-path properties draw (rows painted where ours go, rows
    formatted whole, rows laid out by other writers), with our columns there or not, and
    any values (rows without any among them): the package the first apply writes is the
    one the second finds, on the fast paths and on the cell-by-cell one."""
    styled = data.draw(st.booleans(), label="styled")
    shapes = data.draw(st.lists(shape if styled else row_shape, min_size=1, max_size=8), label="rows")
    ours = not styled and data.draw(st.booleans(), label="our columns there already")
    n = len(shapes) + 1
    rows = st.integers(2, n + 2)
    value = st.one_of(st.none(), st.just(""), long_text, st.sampled_from(["Overdue", "Done"]),
                      st.dates(date(2020, 1, 1), date(2030, 1, 1)))
    plan = plan_of(*(data.draw(st.dictionaries(rows, value, max_size=8)) for _ in range(3)),
                   last=data.draw(st.integers(2, n), label="last"))
    general = data.draw(st.booleans(), label="cell by cell")
    folder = tmp_path_factory.mktemp("again")
    path = handmade_xlsx(folder / "log.xlsx", styled_sheet(shapes) if styled else shaped_sheet(shapes, ours))
    if styled:
        with_fills(path)
    with monkeypatch.context() as patch:
        if general:
            cell_by_cell(patch)
        apply(path, plan, now=datetime(2026, 11, 22, 9))
        first = path.read_bytes()
        report = apply(path, plan, now=datetime(2026, 11, 22, 9))
    assert report.unchanged and path.read_bytes() == first
