"""tracker.files: workbooks read from disk, and one clear line for every file that is
not a workbook we can read. Every test checks the file is left exactly as it was."""
from __future__ import annotations

import datetime as dt
import os
import shutil
import struct
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter

from tracker.errors import WorkbookError
from tracker.files import Book, CellIssue, open_book


# ---------------------------------------------------------------- helpers

def _snapshot(path: Path) -> tuple[bytes, int]:
    return path.read_bytes(), path.stat().st_mtime_ns


def _write_openpyxl(path: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Log"
    ws["A1"] = "Call log, November"
    ws.append([])
    ws.append(["Date", "Call type", "Contact"])
    ws.append([dt.datetime(2026, 11, 22, 14, 0), "First call", "Jane Roe"])
    ws.append([dt.date(2026, 11, 23), "Interview", 12345])
    other = wb.create_sheet("Notes")
    other["B2"] = "free text"
    wb.save(path)
    return path


def _write_xlsxwriter(path: Path) -> Path:
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Log")
    ws.write_row(0, 0, ["Date", "Call type", "Contact"])
    ws.write_datetime(1, 0, dt.datetime(2026, 11, 22), wb.add_format({"num_format": "yyyy-mm-dd"}))
    ws.write_string(1, 1, "First call")
    ws.write_string(1, 2, "Jane Roe")
    ws.write_formula(2, 0, "=1/0", None, "#DIV/0!")
    ws.write_formula(2, 1, "=NA()", None, "#N/A")
    ws.write_formula(2, 2, '="Ann"&" Lee"', None, "Ann Lee")
    wb.close()
    return path


def _expect_error(path: Path, *words: str) -> str:
    before = _snapshot(path) if path.is_file() else None
    with pytest.raises(WorkbookError) as info:
        open_book(path)
    message = str(info.value)
    assert "\n" not in message
    assert str(path) in message
    for w in words:
        assert w in message, message
    if before is not None:
        assert _snapshot(path) == before
    return message


def _compound_file(streams: dict[str, bytes]) -> bytes:
    """A minimal OLE2 compound file (MS-CFB version 3) holding `streams`, each at least
    4096 bytes so they live in regular sectors: what Office writes for an encrypted
    workbook is this, with EncryptionInfo and EncryptedPackage streams."""
    end, free, fat_sect, nostream = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF
    items = list(streams.items())
    fat = [fat_sect, end]                       # sector 0: the FAT, sector 1: the directory
    starts = []
    for _, data in items:
        assert len(data) >= 4096 and len(data) % 512 == 0
        first = len(fat)
        count = len(data) // 512
        fat += [first + i + 1 for i in range(count - 1)] + [end]
        starts.append(first)
    assert len(fat) <= 128
    fat += [free] * (128 - len(fat))

    def entry(name: str, kind: int, left: int, right: int, child: int, start: int, size: int) -> bytes:
        raw = name.encode("utf-16-le") + b"\x00\x00" if name else b""
        return (raw.ljust(64, b"\x00") + struct.pack("<HBB", len(raw), kind, 1)
                + struct.pack("<III", left, right, child) + b"\x00" * 16 + b"\x00" * 4
                + b"\x00" * 16 + struct.pack("<IQ", start, size))

    # The directory is a red-black tree ordered by name length, then name: the root's
    # child is the longer name, the shorter its left sibling.
    assert len(items) == 2 and len(items[0][0]) < len(items[1][0])
    directory = (entry("Root Entry", 5, nostream, nostream, 2, end, 0)
                 + entry(items[0][0], 2, nostream, nostream, nostream, starts[0], len(items[0][1]))
                 + entry(items[1][0], 2, 1, nostream, nostream, starts[1], len(items[1][1]))
                 + entry("", 0, nostream, nostream, nostream, 0, 0))
    header = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 16
              + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + b"\x00" * 6
              + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, end, 0, end, 0)
              + struct.pack("<I", 0) + struct.pack("<I", free) * 108)
    assert len(header) == 512
    body = struct.pack("<128I", *fat) + directory + b"".join(d for _, d in items)
    return header + body


# ---------------------------------------------------------------- reading

@pytest.mark.parametrize("writer", [_write_openpyxl, _write_xlsxwriter])
def test_open_book_reads_cells_from_row_1_column_a_and_leaves_the_file_alone(tmp_path, writer):
    path = writer(tmp_path / "calls.xlsx")
    before = _snapshot(path)
    book = open_book(path)
    assert isinstance(book, Book)
    assert book.path == str(path)
    assert book.sheet_names[0] == "Log"
    grid = book.grid("Log")
    header_row = 2 if writer is _write_openpyxl else 0
    assert grid[header_row][:3] == ["Date", "Call type", "Contact"]
    first = grid[header_row + 1]
    assert first[1] == "First call" and first[2] == "Jane Roe"
    assert first[0] in (dt.datetime(2026, 11, 22, 14, 0), dt.date(2026, 11, 22), dt.datetime(2026, 11, 22))
    # the first rows only, for finding the header cheaply
    assert book.grid("Log", 1) == grid[:1]
    assert _snapshot(path) == before


def test_open_book_keeps_excel_rows_when_the_sheet_starts_lower_down(tmp_path):
    path = tmp_path / "low.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["C5"] = "Date"
    ws["D5"] = "Call type"
    wb.save(path)
    grid = open_book(path).grid(wb.active.title)
    assert len(grid) == 5
    assert grid[4][2:4] == ["Date", "Call type"]


def test_sheet_names_are_matched_without_case_and_a_missing_sheet_lists_the_others(tmp_path):
    path = _write_openpyxl(tmp_path / "calls.xlsx")
    before = _snapshot(path)
    book = open_book(path)
    assert book.sheet("notes") == "Notes"
    with pytest.raises(WorkbookError) as info:
        book.grid("Calls 2025")
    message = str(info.value)
    assert "\n" not in message and "Calls 2025" in message
    assert '"Log"' in message and '"Notes"' in message and str(path) in message
    assert _snapshot(path) == before


def test_cell_issues_find_formulas_saved_without_values(tmp_path):
    path = tmp_path / "formulas.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Log"
    ws.append(["Date", "Call type", "Total"])
    ws.append(["2026-11-22", "First call", "=SUM(1,2)"])
    ws["A4"] = "=TODAY()+1"
    wb.save(path)
    book = open_book(path)
    assert book.grid("Log")[1][2] == ""          # what calamine makes of it
    issues = book.cell_issues("Log")
    assert issues == [CellIssue(2, 2, "formula", "=SUM(1,2)"), CellIssue(4, 0, "formula", "=TODAY()+1")]


@pytest.mark.parametrize("isal", [True, False])
def test_cell_issues_find_error_values_and_leave_computed_formulas_alone(tmp_path, monkeypatch, isal):
    # The sheet is inflated by ISA-L when the optional isal package is there (tracker.deflate).
    if isal:
        pytest.importorskip("isal", reason="the optional `isal` package is not installed")
    else:
        monkeypatch.setitem(sys.modules, "isal", None)   # `import isal` raises ImportError
    path = _write_xlsxwriter(tmp_path / "errors.xlsx")
    book = open_book(path)
    issues = book.cell_issues("Log")
    assert [(i.row, i.column, i.kind, i.value) for i in issues] == [
        (3, 0, "error", "#DIV/0!"), (3, 1, "error", "#N/A")]
    assert book.grid("Log")[2][2] == "Ann Lee"


def test_cell_issues_in_a_sheet_written_with_a_namespace_prefix(tmp_path):
    # Some writers put every element of the sheet in a prefixed namespace: <x:f>.
    import re

    plain = tmp_path / "plain.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "Log"
    wb.active.append(["Date", "Call type"])
    wb.active.append(["=TODAY()", "Interview"])
    wb.save(plain)
    prefixed = tmp_path / "prefixed.xlsx"
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(prefixed, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                xml = re.sub(rb"<(/?)(\w+)([ >/])", rb"<\1x:\2\3", data)
                data = xml.replace(b"<x:worksheet ", b'<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" ', 1)
                assert b"<x:f>" in data
            dst.writestr(item, data)
    assert open_book(prefixed).cell_issues("Log") == [CellIssue(2, 0, "formula", "=TODAY()")]


def test_cell_issues_are_empty_for_a_plain_sheet(tmp_path):
    path = _write_openpyxl(tmp_path / "plain.xlsx")
    assert open_book(path).cell_issues("Log") == []


def test_tables_are_the_sheets_tables_with_their_totals_rows(tmp_path):
    # xlsxwriter points at a table part relative to the sheet, openpyxl from the root.
    path = tmp_path / "tables.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Log")
    wb.add_worksheet("Other").add_table("A1:B4", {"total_row": True})
    ws.write("A1", "Call log")
    ws.add_table("B3:D7", {"data": [["2026-11-22", "Interview", "Jane"]] * 3, "total_row": True,
                           "columns": [{"header": "Date", "total_string": "Total"},
                                       {"header": "Call type", "total_function": "count"},
                                       {"header": "Contact"}]})
    ws.add_table("F3:G5", {"data": [[1, 2], [3, 4]]})   # no totals row
    wb.close()
    assert open_book(path).tables("Log") == [(2, 6, 1, 3, 1), (2, 4, 5, 6, 0)]

    other = tmp_path / "openpyxl.xlsx"
    from openpyxl.worksheet.table import Table
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Log"
    for row in [["Date", "Call type"], ["2026-11-22", "Interview"], ["Total", "=SUBTOTAL(103,Calls[Call type])"]]:
        ws.append(row)
    table = Table(displayName="Calls", ref="A1:B3")
    table.totalsRowCount = 1
    ws.add_table(table)
    wb.save(other)
    assert b'Target="/xl/tables/' in zipfile.ZipFile(other).read("xl/worksheets/_rels/sheet1.xml.rels")
    assert open_book(other).tables("log") == [(0, 2, 0, 1, 1)]
    assert open_book(_write_openpyxl(tmp_path / "plain.xlsx")).tables("Log") == []

def test_missing_file(tmp_path):
    _expect_error(tmp_path / "nope.xlsx", "not found")


def test_a_folder(tmp_path):
    folder = tmp_path / "calls.xlsx"
    folder.mkdir()
    _expect_error(folder, "folder")


def test_csv_renamed_to_xlsx(tmp_path):
    path = tmp_path / "calls.xlsx"
    path.write_text("Date,Call type\n2026-11-22,First call\n", encoding="utf-8")
    _expect_error(path, "CSV", "save it as .xlsx")


@pytest.mark.parametrize("text, says", [
    ("Date,Call type\n2026-11-22,First call\n",
     "despite its .xls name, this is not an Excel workbook but plain text, likely a CSV export saved under an "
     "Excel name; rename it to .csv, open that in Excel and save it as .xlsx"),
    ("Date\tCall type\n2026-11-22\tFirst call\n",
     "despite its .xls name, this is not an Excel workbook but plain text, separated by tabs (an export saved "
     "under an Excel name); open it in Excel, answer Yes when Excel says its format and extension do not match, "
     "and save it as .xlsx"),
], ids=["commas", "tabs"])
def test_a_text_file_named_xls_says_what_it_is_and_what_to_do(tmp_path, text, says):
    # Found by a tester: `fake.xls` was "a text (CSV) file", to one who took it for Excel 97:
    # and Excel opens text named .xls as tab-separated, a CSV's rows in one column.
    path = tmp_path / "fake.xls"
    path.write_text(text, encoding="utf-8")
    assert _expect_error(path) == f"{path}: {says}"
    # Named as the text it is, it is called so, as before.
    csv = tmp_path / "export.csv"
    csv.write_text(text, encoding="utf-8")
    assert _expect_error(csv) == (f"{csv}: this is a text (CSV) file, not an Excel workbook; "
                                  "open it in Excel and save it as .xlsx")


def test_utf16_text_file_renamed_to_xlsx(tmp_path):
    path = tmp_path / "export.xlsx"
    path.write_bytes("Дата\tВид звонка\n".encode("utf-16"))
    _expect_error(path, "text")


def test_empty_file(tmp_path):
    path = tmp_path / "calls.xlsx"
    path.write_bytes(b"")
    _expect_error(path, "empty")


def test_corrupt_zip(tmp_path):
    good = _write_openpyxl(tmp_path / "good.xlsx")
    path = tmp_path / "calls.xlsx"
    path.write_bytes(good.read_bytes()[: len(good.read_bytes()) // 2])
    _expect_error(path, "damaged")


def test_zip_that_is_not_a_workbook(tmp_path):
    path = tmp_path / "calls.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("word/document.xml", "<w:document/>")
        z.writestr("[Content_Types].xml", "<Types/>")
    _expect_error(path, "Word document")


def test_password_protected_workbook(tmp_path):
    path = tmp_path / "secret.xlsx"
    info = struct.pack("<HHI", 4, 4, 0x40).ljust(4096, b"\x00")
    package = struct.pack("<Q", 5000).ljust(8192, b"\x5a")
    path.write_bytes(_compound_file({"EncryptionInfo": info, "EncryptedPackage": package}))
    olefile = pytest.importorskip("olefile")
    with olefile.OleFileIO(str(path)) as ole:   # the file we built is a real compound file
        assert sorted(ole.listdir()) == [["EncryptedPackage"], ["EncryptionInfo"]]
        assert ole.get_size("EncryptedPackage") == 8192
    _expect_error(path, "password-protected", "without a password")


def test_workbook_without_sheets(tmp_path):
    good = _write_openpyxl(tmp_path / "good.xlsx")
    path = tmp_path / "calls.xlsx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(path, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/workbook.xml":
                text = data.decode()
                start, stop = text.index("<sheets>"), text.index("</sheets>") + len("</sheets>")
                data = (text[:start] + "<sheets/>" + text[stop:]).encode()
            dst.writestr(item, data)
    _expect_error(path, "no sheets")


def test_an_xlsx_reads_the_same_whatever_its_name(tmp_path):
    # calamine opens a file named .xlsx/.xlsm itself and any other from the bytes read:
    # the content decides, and the cells are the same either way.
    src = _write_openpyxl(tmp_path / "src.xlsx")
    grids = []
    for name in ("calls.xlsx", "CALLS.XLSM", "calls.xls", "calls"):
        path = tmp_path / name
        shutil.copy(src, path)
        book = open_book(path)
        assert book.kind == "xlsx"
        grids.append(book.grid("Log"))
    assert grids[0][3][1:3] == ["First call", "Jane Roe"]
    assert all(g == grids[0] for g in grids)


def test_old_xls_renamed_to_xlsx_is_read(tmp_path):
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice (soffice) not installed")
    src = _write_openpyxl(tmp_path / "src.xlsx")
    out = tmp_path / "out"
    subprocess.run(["soffice", "--headless", "--convert-to", "xls", "--outdir", str(out), str(src)],
                   check=True, capture_output=True, timeout=180,
                   env={**os.environ, "HOME": str(tmp_path)})
    path = tmp_path / "old.xlsx"
    shutil.copy(out / "src.xls", path)
    before = _snapshot(path)
    book = open_book(path)
    assert book.kind == "xls"
    assert book.grid("Log")[3][1:3] == ["First call", "Jane Roe"]
    assert book.cell_issues("Log") == []
    assert _snapshot(path) == before


def test_excel_lock_file(tmp_path):
    path = tmp_path / "~$calls.xlsx"
    path.write_bytes(b"\x0bJane Roe" + b"\x00" * 150)
    _expect_error(path, "lock file")


# ---------------------------------------------------------------- merged cells

def _merged_log(path: Path) -> Path:
    """A log whose Client is written once, merged down over three calls (D3:D5), under a
    title merged across; another sheet has a merge of its own."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Log"
    ws.append(["Team call log"])
    ws.merge_cells("A1:G1")
    ws.append(["Date", "Time", "Call type", "Client", "Contact", "Outcome", "Next contact"])
    for hour, who, due in [(10, "Ann", 24), (11, "Bob", 25), (12, "Cid", 26)]:
        ws.append([dt.datetime(2026, 11, 20), dt.time(hour, 0), "First call", None, who, "Done",
                   dt.datetime(2026, 11, due)])
    ws["D3"] = "Acme"
    ws.merge_cells("D3:D5")
    notes = wb.create_sheet("Notes")
    notes["A1"] = "free text"
    notes.merge_cells("A1:A9")
    wb.save(path)
    return path


def _clients(path: Path) -> dict[int, str]:
    from tracker.config import load_config
    from tracker.log import read_log

    log = read_log(path, load_config())
    assert not log.problems, log.problems
    return {r.row: r.client for r in log.records}


def test_cells_merged_down_in_an_ods_saved_by_libreoffice_read_as_in_the_xlsx(tmp_path):
    # calamine gives no merged cells for an .ods (None): the client merged over three
    # calls was read on the first only.
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) not installed")
    src = _merged_log(tmp_path / "merged.xlsx")
    out = tmp_path / "out"
    subprocess.run([soffice, f"-env:UserInstallation=file://{tmp_path}/lo-profile", "--headless",
                    "--convert-to", "ods", "--outdir", str(out), str(src)],
                   check=True, capture_output=True, timeout=180)
    path = out / "merged.ods"
    assert b'number-rows-spanned="3"' in zipfile.ZipFile(path).read("content.xml")
    before = _snapshot(path)
    book = open_book(path)
    assert book.kind == "ods"
    assert book.grid("Log")[3][3] == ""                      # what calamine reads in D4
    assert book.merged_down("Log") == open_book(src).merged_down("Log") == [(3, 2, 4)]
    assert book.merged_down("Notes") == [(0, 0, 8)]
    assert _clients(path) == _clients(src) == {3: "Acme", 4: "Acme", 5: "Acme"}
    assert _snapshot(path) == before


_ODS_NAMESPACES = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
                   'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
                   'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"')


def _write_ods(path: Path, tables: str) -> Path:
    """A minimal OpenDocument spreadsheet holding `tables` (table:table elements)."""
    content = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {_ODS_NAMESPACES} '
               f'office:version="1.2"><office:body><office:spreadsheet>{tables}'
               f'</office:spreadsheet></office:body></office:document-content>')
    manifest = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
                'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
                '<manifest:file-entry manifest:full-path="/" '
                'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
                '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
                '</manifest:manifest>')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", content)
        z.writestr("META-INF/manifest.xml", manifest)
    return path


def _text(value: str, span: str = "") -> str:
    return f'<table:table-cell office:value-type="string" {span}><text:p>{value}</text:p></table:table-cell>'


def _day(iso: str, span: str = "") -> str:
    return (f'<table:table-cell office:value-type="date" office:date-value="{iso}" {span}>'
            f'<text:p>{iso}</text:p></table:table-cell>')


def _empty(count: int) -> str:
    return f'<table:table-cell table:number-columns-repeated="{count}"/>'


def _covered(count: int = 1) -> str:
    return f'<table:covered-table-cell table:number-columns-repeated="{count}"/>'


def _row(*cells: str, repeated: int = 1) -> str:
    return f'<table:table-row table:number-rows-repeated="{repeated}">{"".join(cells)}</table:table-row>'


def _hand_written_log(path: Path, damage: str = "") -> Path:
    """The log's header in row 3 from column C, below two empty rows written as one
    element; its Client merged over rows 4-6 and a 2 x 2 box beside it, then two empty
    rows and a date merged over rows 9-10; a Cover sheet before it has a merge of its own."""
    down = 'table:number-rows-spanned="{}" table:number-columns-spanned="1"'.format
    cover = ('<table:table table:name="Cover">'
             + _row(_text("Call log", down(6)), _text("2026")) + _row(_covered(), _text("x"), repeated=5)
             + "</table:table>")
    box = 'table:number-rows-spanned="2" table:number-columns-spanned="2"'
    log = ('<table:table table:name="Log"><table:table-column table:number-columns-repeated="1024"/>'
           + _row(_empty(1024), repeated=2)
           + _row(_empty(2), *map(_text, ["Date", "Call type", "Client", "Contact", "Outcome", "Comment"]),
                  _text("Next step"), damage)
           + _row(_empty(2), _day("2026-11-20"), _text("First call"), _text("Acme", down(3)),
                  _text("Ann"), _text("Done"), _text("ok", box), _covered(), _empty(1000))
           + _row(_empty(2), _day("2026-11-20"), _text("First call"), _covered(), _text("Bob"), _text("Done"),
                  _covered(2), _empty(1000))
           + _row(_empty(2), _day("2026-11-20"), _text("First call"), _covered(), _text("Cid"), _text("Done"),
                  _empty(1002))
           + _row(_empty(1024), repeated=2)
           + _row(_empty(2), _day("2026-11-21", down(2)), _text("Interview"), _text("Beta"), _text("Dan"),
                  _text("Done"))
           + _row(_empty(2), _covered(), _text("Interview"), _text("Beta"), _text("Eve"), _text("Done"))
           + _row(_empty(1024), repeated=1048000)
           + "</table:table>")
    return _write_ods(path, cover + log)


def test_cells_merged_down_in_a_hand_written_ods_with_repeated_rows_and_columns(tmp_path):
    path = _hand_written_log(tmp_path / "calls.ods")
    before = _snapshot(path)
    book = open_book(path)
    assert book.kind == "ods"
    # The box across two columns is left out, as in an xlsx.
    assert sorted(book.merged_down("Log")) == [(2, 8, 9), (4, 3, 5)]
    assert book.merged_down("Cover") == [(0, 0, 5)]
    from tracker.config import load_config
    from tracker.log import read_log

    log = read_log(path, load_config(), "Log")
    rows = {r.row: (r.client, r.contact, r.date) for r in log.records}
    assert rows == {4: ("Acme", "Ann", dt.date(2026, 11, 20)), 5: ("Acme", "Bob", dt.date(2026, 11, 20)),
                    6: ("Acme", "Cid", dt.date(2026, 11, 20)), 9: ("Beta", "Dan", dt.date(2026, 11, 21)),
                    10: ("Beta", "Eve", dt.date(2026, 11, 21))}
    assert _snapshot(path) == before


def test_an_ods_whose_merges_cannot_be_read_reads_as_without_merges(tmp_path):
    # A mismatched tag ahead of the merges: calamine still reads the cells, the XML
    # parser of the merges stops. Nothing merged, and no traceback.
    damage = "<table:table-cell><text:p>x</text:span></table:table-cell>"
    path = _hand_written_log(tmp_path / "calls.ods", damage=damage)
    book = open_book(path)
    assert book.grid("Log")[3][4] == "Acme" and book.grid("Log")[4][4] == ""
    assert book.merged_down("Log") == []
    from tracker.config import load_config
    from tracker.log import read_log

    log = read_log(path, load_config(), "Log")
    assert [(r.row, r.client) for r in log.records][:3] == [(4, "Acme"), (5, ""), (6, "")]
