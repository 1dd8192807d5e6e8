"""Reading workbooks from disk (python-calamine), with one clear line for every way a
file can fail to be a workbook we can read.

The file is read once into memory and closed at once, so it is never held open (Excel
on Windows refuses to save a file another process holds) and never modified.
calamine turns both error values (#N/A...) and formulas without a cached value into ""
and drops rows that hold nothing else; `Book.cell_issues` finds those cells in the
sheet's XML so the reader can report them instead of reading them as blanks. It gives
no merged cells for an OpenDocument file: `Book.merged_down` reads them from its XML.
"""
from __future__ import annotations

import io
import os
import re
import zipfile
import zlib
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, BinaryIO, Callable, Iterator
from xml.etree import ElementTree
from xml.parsers import expat

import python_calamine as pc

from . import deflate
from .errors import WorkbookError
from .model import cell_ref

_ZIP = b"PK\x03\x04"
_ZIP_EMPTY = b"PK\x05\x06"
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Office writes a password-protected xlsx as an OLE2 compound file holding the real
# package, encrypted, in a stream of this name (MS-OFFCRYPTO).
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")


# calamine raises its own errors, and a Rust panic inside it surfaces as
# pyo3's PanicException, which derives from BaseException: a damaged file must still
# give one line, not a traceback.
_CALAMINE_FAILURES = BaseException


def _reraise_interrupts(exc: BaseException) -> None:
    if isinstance(exc, (KeyboardInterrupt, SystemExit, GeneratorExit, MemoryError)):
        raise exc


@dataclass(frozen=True)
class CellIssue:
    """A cell calamine reads as "" although it is not empty.

    kind "error": an error value, `value` is it (#N/A, #DIV/0!...);
    kind "formula": a formula saved without its computed value (files written by
    scripts, never opened in Excel), `value` is the formula with its leading "=".
    """

    row: int      # 1-based Excel row
    column: int   # 0-based column index
    kind: str
    value: str


class Book:
    """A workbook read from disk. Sheets are read on demand and kept."""

    def __init__(self, path: str, data: bytes, kind: str):
        self.path = path
        self.kind = kind          # "xlsx" (also xlsm/xltx), "xlsb", "xls", "ods"
        self._data = data
        self._grids: dict[tuple[str, int | None], list[list[Any]]] = {}
        self._sheets: dict[str, Any] = {}
        self._protected: dict[str, bool] = {}   # seen by cell_issues' scan (see protected())
        try:
            self._wb = self._open(path, data, kind)
            meta = self._wb.sheets_metadata
        except pc.PasswordError:
            raise WorkbookError(
                f"{path}: the workbook is password-protected; save a copy without a password and use that"
            ) from None
        except _CALAMINE_FAILURES as exc:
            _reraise_interrupts(exc)
            what = {"xls": "an old Excel 97-2003 (.xls) workbook", "xlsb": "a binary (.xlsb) workbook",
                    "ods": "an OpenDocument spreadsheet"}.get(kind, "the workbook")
            raise WorkbookError(
                f"{path}: cannot read {what} ({_short(exc)}); open it in Excel and save it as .xlsx"
            ) from None
        # Chart sheets and dialog sheets hold no cells.
        self.sheet_names: list[str] = [
            m.name for m in meta if m.typ in (pc.SheetTypeEnum.WorkSheet, pc.SheetTypeEnum.MacroSheet)
        ]
        if not self.sheet_names:
            raise WorkbookError(f"{path}: the workbook has no sheets")

    def __repr__(self) -> str:
        return f"Book({self.path!r}, sheets={self.sheet_names!r})"

    @staticmethod
    def _open(path: str, data: bytes, kind: str) -> Any:
        # calamine reads a file named for what it holds from disk itself (0.05 s sooner at
        # 100 000 rows than through a Python file object); any other, or when that
        # fails, from the bytes read (the kind was judged by content, not by the name).
        if kind == "xlsx" and Path(path).suffix.lower() in (".xlsx", ".xlsm"):
            try:
                return pc.CalamineWorkbook.from_path(path)
            except _CALAMINE_FAILURES as exc:
                _reraise_interrupts(exc)
        return pc.CalamineWorkbook.from_filelike(io.BytesIO(data))

    def sheet(self, name: str) -> str:
        """The sheet's exact name; a case-insensitive match is accepted."""
        if name in self.sheet_names:
            return name
        folded = {n.casefold().strip(): n for n in self.sheet_names}
        found = folded.get(str(name).casefold().strip())
        if found is None:
            listed = ", ".join(f'"{n}"' for n in self.sheet_names)
            raise WorkbookError(f'{self.path}: there is no sheet "{name}" (sheets: {listed})')
        return found

    def grid(self, name: str, nrows: int | None = None) -> list[list[Any]]:
        """Rows of cell values from Excel row 1 and column A (so grid[r][c] is the cell in
        row r+1, column c+1), up to the last used row. Cells as calamine gives them: str,
        int, float, bool, datetime, date, time, timedelta, "" for empty."""
        name = self.sheet(name)
        key = (name, nrows)
        if key not in self._grids:
            full = self._grids.get((name, None))
            if full is not None:
                self._grids[key] = full[:nrows]
            else:
                sh = self._sheet(name)
                try:
                    self._grids[key] = sh.to_python(skip_empty_area=False, nrows=nrows)
                except _CALAMINE_FAILURES as exc:
                    _reraise_interrupts(exc)
                    raise _unreadable_sheet(self.path, name, exc) from None
        return self._grids[key]

    def _sheet(self, name: str) -> Any:
        # calamine parses the whole sheet when it is fetched: fetch it once.
        if name not in self._sheets:
            try:
                self._sheets[name] = self._wb.get_sheet_by_name(name)
            except _CALAMINE_FAILURES as exc:
                _reraise_interrupts(exc)
                raise _unreadable_sheet(self.path, name, exc) from None
        return self._sheets[name]

    def merged_down(self, name: str) -> list[tuple[int, int, int]]:
        """Cells merged down one column, as (column, first row, last row), 0-based: a
        date or a client written once for several calls. Ranges across columns are
        left out: their value belongs to the first column only."""
        name = self.sheet(name)
        try:
            ranges = self._sheet(name).merged_cell_ranges
        except WorkbookError:
            raise
        except _CALAMINE_FAILURES as exc:
            _reraise_interrupts(exc)
            return []
        if ranges is None and self.kind == "ods":
            # calamine (0.9) reads no merges from an OpenDocument file (None, where a
            # workbook without any gives []): read them from its content.xml.
            ranges = _ods_spans(self._data, name)
        return [(c0, r0, r1) for (r0, c0), (r1, c1) in ranges or [] if c0 == c1 and r1 > r0]

    def cell_issues(self, name: str) -> list[CellIssue]:
        """Error values and formulas without a computed value on the sheet (xlsx only;
        other formats: []). The sheet's XML is streamed through a byte search first,
        so a sheet with neither costs one decompression and little memory."""
        def scan(z: zipfile.ZipFile, part: str) -> list[CellIssue]:
            found, end = _may_have_issues(z, part)
            if not found:
                self._protected[name] = _sheet_protected(end)
                return []
            with deflate.reading(z.open(part)) as f:
                xml = f.read()
            self._protected[name] = _sheet_protected(xml, max(xml.rfind(b"sheetData>"), 0))
            return _scan_issues(xml)

        name = self.sheet(name)
        return self._from_sheet_part(name, scan)

    def carries_mark(self, name: str) -> bool:
        """Whether the sheet's page header says Call Tracker wrote it (writeback.SHEET_MARK),
        as a copy of one of our sheets made with Excel's Move or Copy keeps it (xlsx only).
        Only a sheet of at most _MARK_SCAN_MAX bytes of XML is looked at, far more than our
        sheets hold: a big log's sheet is not decompressed once more for it."""
        def marked(z: zipfile.ZipFile, part: str) -> list[bool]:
            if z.getinfo(part).file_size > _MARK_SCAN_MAX:
                return []
            with deflate.reading(z.open(part)) as f:
                xml = f.read()
            if b"Call Tracker" not in xml:   # most sheets: the write-back's module not loaded
                return []
            from .writeback import _carries_mark

            return [_carries_mark(xml.decode("utf-8", "replace"))]

        return self._from_sheet_part(name, marked) == [True]

    def protected(self, name: str) -> bool:
        """Whether the sheet is protected (Review > Protect Sheet), as cell_issues' pass
        over its XML saw: Excel writes no cell of it, nor do we. False when not seen (not
        xlsx, not scanned, or the protection beyond the last 8 MB of the sheet's XML):
        the write-back looks again."""
        return self._protected.get(self.sheet(name), False)

    def tables(self, name: str) -> list[tuple[int, int, int, int, int]]:
        """The sheet's tables (Excel ListObjects), as (first row, last row, first column,
        last column, totals rows), 0-based like the grid, their header row included
        (xlsx only; other formats: []). Only the sheet's relations and its table parts
        are read, a few hundred bytes each."""
        def boxes(z: zipfile.ZipFile, part: str) -> list[tuple[int, int, int, int, int]]:
            folder, _, file = part.rpartition("/")
            rels_part = f"{folder}/_rels/{file}.rels".lstrip("/")
            names = set(z.namelist())
            if rels_part not in names:
                return []
            out = []
            for rel in ElementTree.fromstring(z.read(rels_part)):
                if not rel.get("Type", "").endswith("/table"):
                    continue
                target = rel.get("Target", "")
                table = _normpath(target if target.startswith("/") else f"{folder}/{target}")
                if table not in names:
                    continue
                box = _table_box(ElementTree.fromstring(z.read(table)))
                if box is not None:
                    out.append(box)
            return out

        return self._from_sheet_part(name, boxes)

    def _from_sheet_part(self, name: str, read: Callable[[zipfile.ZipFile, str], list]) -> list:
        """`read(package, the sheet's part)`; [] for other formats than xlsx, a sheet whose
        part is not found, or a damaged package (the cells' reader has said so already)."""
        name = self.sheet(name)
        if self.kind != "xlsx":
            return []
        try:
            with zipfile.ZipFile(io.BytesIO(self._data)) as z:
                part = _sheet_part(z, name)
                return [] if part is None else read(z, part)
        except (KeyError, zipfile.BadZipFile, ElementTree.ParseError, OSError, RuntimeError,
                EOFError, ValueError):
            return []


def _table_box(table: ElementTree.Element) -> tuple[int, int, int, int, int] | None:
    """A table part's <table>: its cells and totals rows (see Book.tables); None when
    its range does not read."""
    try:
        count = max(int(table.get("totalsRowCount") or 0), 0)
        first, _, last = (table.get("ref") or "").upper().partition(":")
        (c0, r0), (c1, r1) = cell_ref(first), cell_ref(last or first)
    except ValueError:
        return None
    return r0 - 1, r1 - 1, c0 - 1, c1 - 1, count


def _sheet_part(z: zipfile.ZipFile, name: str) -> str | None:
    """The zip member holding the sheet's cells, from workbook.xml and its relations."""
    ns_main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    ns_rel = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
    wb = ElementTree.fromstring(z.read("xl/workbook.xml"))
    rid = None
    for s in wb.iter(f"{ns_main}sheet"):
        if s.get("name") == name:
            rid = s.get(f"{ns_rel}id")
    if rid is None:
        return None
    rels = ElementTree.fromstring(z.read("xl/_rels/workbook.xml.rels"))
    for rel in rels:
        if rel.get("Id") == rid:
            target = rel.get("Target", "")
            part = target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target)
            return _normpath(part)
    return None


_CHUNK = 1 << 22

# Our sheets' XML is small (Chase today: under 1 KB a call, 13 KB for 17 calls); a sheet
# is looked at for our mark only when it is at most this big (a few ms to decompress): a
# log of thousands of rows is not read once more for it.
_MARK_SCAN_MAX = 2 << 20


# The sheet's protection, right after its rows (CT_Worksheet's order): the reader looks
# for it in bytes, the write-back (writeback._PROTECTED) in text.
SHEET_PROTECTED = r"""<(?:[\w.-]+:)?sheetProtection\b[^>]*?\ssheet\s*=\s*["'](?:1|true)["']"""
_SHEET_PROTECTED = re.compile(SHEET_PROTECTED.encode())


def _sheet_protected(xml: bytes, start: int = 0) -> bool:
    # The regex, tried at every "<" of the last 8 MB of rows, took 40 ms at 100 000 rows;
    # a plain search for the element's name rules most sheets out in 2 ms.
    return xml.find(b"sheetProtection", start) >= 0 and _SHEET_PROTECTED.search(xml, start) is not None


def _may_have_issues(z: zipfile.ZipFile, part: str) -> tuple[bool, bytes]:
    """Whether the sheet's XML holds a formula or an error cell at all, reading it in
    chunks (a 100 000-row sheet is over 100 MB of XML); and, when it holds none, its
    last two chunks (where its protection is, after the rows)."""
    with deflate.reading(z.open(part)) as f:
        tail = before = last = b""
        # "<f>", "<f " or "<f/" (or with the root's namespace prefix, ":f>"...): a
        # formula; not "<formula>" of a conditional format. One search for "<f" and one
        # for the error type: each needle is a pass over 100 MB.
        openings = (b"<f", b":f")
        first = True
        while True:
            chunk = f.read(_CHUNK)
            if not chunk:
                return False, before + last
            buf = tail + chunk
            if first:
                first = False
                m = _ROOT.search(buf)
                if m is not None:
                    openings = (b"<" + (m.group(1) or b"") + b"f",)
            if _may_hold_issue(buf, openings):
                return True, b""
            before, last = last, chunk
            tail = buf[-8:]


def _may_hold_issue(buf: bytes, openings: tuple[bytes, ...]) -> bool:
    """Whether `buf` holds an error type or one of the formula's `openings` (each ends
    in "f"). The rows of shared strings and numbers most logs are made of
    (<c r="B7" s="3" t="s"><v>12</v></c>) hold neither an "e" nor an "f": looking for
    the letter alone first (memchr) rules out most of 100 MB in a few ms, where each
    needle's search took 40-50 ms at 100 000 rows."""
    return ((b"e" in buf and b't="e"' in buf)
            or (b"f" in buf and any(_has_tag(buf, o) for o in openings)))


def _has_tag(buf: bytes, opening: bytes) -> bool:
    at = buf.find(opening)
    while at >= 0:
        if buf[at + len(opening):at + len(opening) + 1] in (b">", b" ", b"/"):
            return True
        at = buf.find(opening, at + 1)
    return False


def _normpath(part: str) -> str:
    out: list[str] = []
    for seg in part.split("/"):
        if seg == "..":
            if out:
                out.pop()
        elif seg and seg != ".":
            out.append(seg)
    return "/".join(out)


_ROOT = re.compile(rb"<(\w+:)?worksheet[\s>]")
_SHEET_DATA = re.compile(rb"<(\w+:)?sheetData[\s>/]")
_CELL_REF = re.compile(rb'\sr="([A-Z]{1,3})(\d+)"')
_FORMULA = re.compile(rb"<(?:\w+:)?f[\s/>]")
_ERROR_TYPE = re.compile(rb'\st="e"')
_VALUE = re.compile(rb"<(?:\w+:)?v>([^<]*)</(?:\w+:)?v>")
_F_TEXT = re.compile(rb"<(?:\w+:)?f(?:\s[^>]*)?(?:/>|>([^<]*)</(?:\w+:)?f>)")


def _col_index(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + (ch - 64)
    return n - 1


def _scan_issues(xml: bytes) -> list[CellIssue]:
    """Each formula or error type found is looked at inside its own <c> element only,
    with byte searches: a sheet with 100 000 formulas takes a fraction of a second."""
    if _FORMULA.search(xml) is None and b't="e"' not in xml:
        return []
    data = _SHEET_DATA.search(xml)
    if data is None:
        return []
    prefix = data.group(1) or b""
    cell_open, cell_close = b"<" + prefix + b"c ", b"</" + prefix + b"c>"
    found: dict[tuple[int, int], CellIssue] = {}
    for pattern in (_ERROR_TYPE, _FORMULA):
        for m in pattern.finditer(xml, data.start()):
            start = xml.rfind(cell_open, data.start(), m.start())
            if start < 0:
                continue
            head_end = xml.find(b">", start)
            if head_end < 0:
                continue
            head = xml[start:head_end + 1]
            ref = _CELL_REF.search(head)
            if ref is None:
                continue
            row, col = int(ref.group(2)), _col_index(ref.group(1))
            if (row, col) in found:
                continue
            close = len(xml) if head.endswith(b"/>") else xml.find(cell_close, head_end)
            if close < m.start():
                continue   # the match is not inside this cell
            cell = xml[start:close]
            value = _VALUE.search(cell)
            if _ERROR_TYPE.search(head):
                text = value.group(1).decode("utf-8", "replace") if value else "#VALUE!"
                found[(row, col)] = CellIssue(row, col, "error", _unescape(text))
            elif value is None or not value.group(1):
                if b't="str"' in head and value is not None:
                    continue  # a formula whose computed value is an empty string
                f = _F_TEXT.search(cell)
                formula = (f.group(1) or b"").decode("utf-8", "replace") if f else ""
                found[(row, col)] = CellIssue(row, col, "formula", "=" + _unescape(formula))
    return sorted(found.values(), key=lambda i: (i.row, i.column))


def _unescape(text: str) -> str:
    if "&" not in text:
        return text
    return (text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"')
            .replace("&apos;", "'").replace("&amp;", "&"))


# OpenDocument's table namespace, as expat names it (namespace, a space, local name).
_ODS = "urn:oasis:names:tc:opendocument:xmlns:table:1.0 "
_ODS_SPANNED = re.compile(rb"""rows-spanned\s*=\s*["']\s*\+?0*([2-9]|[1-9]\d)""")


class _SheetRead(Exception):
    """Raised from expat's handlers when what is wanted of the sheet has been read."""


def _ods_spans(data: bytes, sheet: str) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """The merged cells of `sheet` in an OpenDocument spreadsheet's bytes, as calamine
    gives an xlsx's: ((first row, first column), (last row, last column)), 0-based; those
    merged across only may be left out.

    A merge is a table:table-cell with table:number-rows-spanned / -columns-spanned;
    the cells it covers follow as table:covered-table-cell, and runs of like rows and
    cells are written once with table:number-rows-repeated / -columns-repeated (a
    million empty rows in one element). content.xml is streamed, 100 000 rows being over
    200 MB of XML that expat parses at about 40 MB/s: a byte search first finds the last
    cell spanning rows, so a file without one is not parsed at all, and the parse stops
    there or at the end of the sheet. [] when content.xml does not read: calamine read
    the cells from it, so the file is damaged past them; the rows are read as written."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            last = _ods_last_row_span(z)
            if last is None:
                return []
            with deflate.reading(z.open("content.xml")) as f:
                return _ods_parse_spans(f, sheet, last)
    except (KeyError, zipfile.BadZipFile, expat.ExpatError, OSError, RuntimeError, EOFError,
            ValueError, NotImplementedError, zlib.error):
        return []


def _ods_last_row_span(z: zipfile.ZipFile) -> int | None:
    """Where in content.xml the last number-rows-spanned of 2 or more is (LibreOffice
    writes "1" on every cell merged across only), or None."""
    last = None
    with deflate.reading(z.open("content.xml")) as f:
        tail, at = b"", 0      # at: where in content.xml `tail` starts
        while chunk := f.read(_CHUNK):
            buf = tail + chunk
            if b"rows-spanned" in buf:
                for m in _ODS_SPANNED.finditer(buf):
                    last = at + m.start()
            keep = min(len(buf), 64)
            tail, at = buf[-keep:], at + len(buf) - keep
    return last


def _ods_parse_spans(f: BinaryIO, sheet: str, last: int) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """The spans of `sheet`'s cells, read from content.xml (`f`) up to the end of the
    sheet or byte `last`, past which no cell spans rows."""
    table, row_tag, cell_tag = _ODS + "table", _ODS + "table-row", _ODS + "table-cell"
    covered_tag, name_attr = _ODS + "covered-table-cell", _ODS + "name"
    rows_repeated, columns_repeated = _ODS + "number-rows-repeated", _ODS + "number-columns-repeated"
    rows_spanned, columns_spanned = _ODS + "number-rows-spanned", _ODS + "number-columns-spanned"
    spans: list[tuple[tuple[int, int], tuple[int, int]]] = []
    inside = False      # within the sheet's table:table
    inner = 0           # tables inside its cells: their rows are not the sheet's
    row = col = 0       # where the current row and the next cell are, 0-based
    repeat = 1          # how many rows the current row element stands for
    parser = expat.ParserCreate(namespace_separator=" ")

    def start(tag: str, attrs: dict[str, str]) -> None:
        nonlocal inside, inner, repeat, col
        if parser.CurrentByteIndex > last:
            raise _SheetRead
        if not inside:
            inside = tag == table and attrs.get(name_attr) == sheet
        elif tag == table:
            inner += 1
        elif inner:
            pass
        elif tag == row_tag:
            repeat, col = _ods_count(attrs.get(rows_repeated)), 0
        elif tag == cell_tag or tag == covered_tag:
            if tag == cell_tag:
                down, across = _ods_count(attrs.get(rows_spanned)), _ods_count(attrs.get(columns_spanned))
                if down > 1 or across > 1:
                    spans.append(((row, col), (row + down - 1, col + across - 1)))
            col += _ods_count(attrs.get(columns_repeated))

    def end(tag: str) -> None:
        nonlocal inner, row
        if not inside:
            return
        if tag == table:
            if not inner:
                raise _SheetRead
            inner -= 1
        elif tag == row_tag and not inner:
            row += repeat

    parser.StartElementHandler, parser.EndElementHandler = start, end
    try:
        while chunk := f.read(1 << 20):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except _SheetRead:
        pass
    return spans


def _ods_count(value: str | None) -> int:
    """A repeat or span count; 1 when absent or unreadable (ODF's default)."""
    try:
        return max(int(value), 1) if value else 1
    except ValueError:
        return 1


def _unreadable_sheet(path: Any, name: str, exc: BaseException) -> WorkbookError:
    """A sheet calamine cannot read: its part damaged (cut short, not UTF-8) or missing
    from the archive; what it said, and what to do."""
    # (calamine names only the sheet when its part is not in the archive)
    why = "its part is missing from the file" if str(exc).strip() == name else _short(exc)
    return WorkbookError(f'{path}: cannot read sheet "{name}": the workbook is damaged ({why}); '
                         "open it in Excel, which offers to repair it, or use a backup")


def _short(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text[:160]


def _sniff(path: str, head: bytes, data: bytes | BinaryIO) -> str:
    """The format by content, whatever the file is called; WorkbookError when it is not a
    workbook we can read. `data`: the file's bytes, or the file open (of a zip, only its
    directory is then read)."""
    if head.startswith(_ZIP) or head.startswith(_ZIP_EMPTY):
        try:
            with zipfile.ZipFile(io.BytesIO(data) if isinstance(data, bytes) else data) as z:
                names = set(z.namelist())
        except (zipfile.BadZipFile, OSError, ValueError):
            raise WorkbookError(
                f"{path}: the file is damaged (a broken zip archive); open it in Excel to repair it, or use a backup"
            ) from None
        if "xl/workbook.xml" in names:
            return "xlsx"
        if "xl/workbook.bin" in names:
            return "xlsb"
        if "content.xml" in names and "mimetype" in names:
            return "ods"
        if "word/document.xml" in names:
            raise WorkbookError(f"{path}: this is a Word document, not an Excel workbook")
        if "ppt/presentation.xml" in names:
            raise WorkbookError(f"{path}: this is a PowerPoint presentation, not an Excel workbook")
        raise WorkbookError(f"{path}: this is a zip archive but not an Excel workbook")
    if head.startswith(_OLE2):
        if not isinstance(data, bytes):
            data.seek(0)
            data = data.read()
        if _ENCRYPTED_STREAM in data:
            raise WorkbookError(
                f"{path}: the workbook is password-protected; save a copy without a password and use that"
            )
        return "xls"
    if not head:
        raise WorkbookError(f"{path}: the file is empty (0 bytes), not a workbook")
    if head.startswith(b"PK"):
        raise WorkbookError(f"{path}: the file is damaged (a broken zip archive); open it in Excel to repair it, or use a backup")
    sample = head[:4096]
    if b"<html" in sample.lower() or b"<?xml" in sample[:64]:
        raise WorkbookError(
            f"{path}: this is an HTML or XML file saved with a workbook name; open it in Excel and save it as .xlsx"
        )
    if _looks_like_text(sample):
        raise WorkbookError(_text_file(path, sample))
    raise WorkbookError(f"{path}: not an Excel workbook (unknown file format)")


def _text_file(path: str, sample: bytes) -> str:
    """What to tell of a text file. Named as a workbook (`calls.xls`), it is most likely an
    export some system wrote as text under an Excel name: its owner takes it for Excel
    97-2003. Excel opens such a file as tab-separated, whatever its separator, so one of
    commas or semicolons comes out in one column unless it is renamed .csv first."""
    suffix = Path(path).suffix.lower()
    if suffix not in (".xlsx", ".xlsm", ".xlsb", ".xls", ".ods"):
        return f"{path}: this is a text (CSV) file, not an Excel workbook; open it in Excel and save it as .xlsx"
    first = sample.split(b"\n", 1)[0]
    if b"\t" in first:
        return (f"{path}: despite its {suffix} name, this is not an Excel workbook but plain text, separated by "
                "tabs (an export saved under an Excel name); open it in Excel, answer Yes when Excel says its "
                "format and extension do not match, and save it as .xlsx")
    return (f"{path}: despite its {suffix} name, this is not an Excel workbook but plain text, likely a CSV "
            "export saved under an Excel name; rename it to .csv, open that in Excel and save it as .xlsx")


def _looks_like_text(sample: bytes) -> bool:
    if sample.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        return True
    if b"\x00" in sample:
        return False
    try:
        sample.decode("utf-8")
        return True
    except UnicodeDecodeError as exc:
        # A multi-byte character cut at the end of the sample is still text.
        return exc.start >= len(sample) - 4


def open_book(path: str | os.PathLike) -> Book:
    """The workbook at `path` (xlsx, xlsm, xlsb, xls, ods; judged by content, not by the
    file's name). Raises WorkbookError with one line naming the file when it cannot be
    read. The file is not modified."""
    shown = str(path)
    with _opened(path) as f:
        data = f.read()
    return Book(shown, data, _sniff(shown, data[:8192], data))


def kind_of(path: str | os.PathLike) -> str:
    """The format of the file at `path`, judged and refused as open_book judges it,
    reading only what that needs (a zip's directory, not the 36 MB of a big log)."""
    with _opened(path) as f:
        return _sniff(str(path), f.read(8192), f)


@contextmanager
def _opened(path: str | os.PathLike) -> Iterator[BinaryIO]:
    """The file at `path`, open to read; WorkbookError, naming it, when it cannot be (or
    is a folder, or Excel's lock file beside an open workbook)."""
    p = Path(path)
    shown = str(path)
    if not p.exists():
        raise WorkbookError(f"{shown}: file not found")
    if p.is_dir():
        raise WorkbookError(f"{shown}: this is a folder, not a workbook file")
    if not p.is_file():   # a pipe or a device: reading it could wait for ever, the others with it
        raise WorkbookError(f"{shown}: not a workbook file (a pipe or a device)")
    try:
        f = open(p, "rb")
    except PermissionError:
        raise WorkbookError(f"{shown}: permission denied (is the file open in another program?)") from None
    except OSError as exc:
        raise WorkbookError(f"{shown}: cannot read the file ({exc.strerror or exc})") from None
    with f:
        if p.name.startswith("~$"):
            raise WorkbookError(f"{shown}: this is Excel's lock file for an open workbook, not the workbook itself")
        try:
            yield f
        except PermissionError:
            raise WorkbookError(f"{shown}: permission denied (is the file open in another program?)") from None
        except OSError as exc:
            raise WorkbookError(f"{shown}: cannot read the file ({exc.strerror or exc})") from None
