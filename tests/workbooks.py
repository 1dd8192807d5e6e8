"""Builders of test workbooks, reusable by any test (and the benchmarks).

Each builder writes a real .xlsx/.xlsm file and returns its path. The "rich" log carries
what users' logs carry and openpyxl would lose: a chart, an image, comments (VML),
data validation, sparklines (an x14 extension list), a user's conditional format,
formulas with cached values, merged cells, a hyperlink, a defined name, a second sheet.
"""
from __future__ import annotations

import io
import re
import shutil
import struct
import zipfile
import zlib
from datetime import date, datetime, timedelta
from pathlib import Path

import xlsxwriter

LOG_HEADERS = ["Date", "Call type", "Contact", "Next contact", "Comment"]


def png_bytes(w: int = 8, h: int = 8, rgb: tuple[int, int, int] = (30, 120, 200)) -> bytes:
    """A tiny valid PNG, so image tests need no files on disk."""
    raw = b"".join(b"\x00" + bytes(rgb) * w for _ in range(h))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def log_rows(n: int, start: date = date(2026, 11, 2)) -> list[list]:
    """n call rows: date, call type, contact, next-contact date, comment."""
    types = ["First call", "Interview", "Repeat call", "Introductory call"]
    rows = []
    for i in range(n):
        d = start + timedelta(days=i % 20)
        rows.append([d, types[i % 4], f"Contact {i}", d + timedelta(days=3), f"Company Name: Acme {i}\nSM: Olga"])
    return rows


def rich_log(path: Path, n: int = 20, *, title_row: bool = True) -> Path:
    """The call log "Calls" (title row 1 when `title_row`, header below it) and a
    "Dashboard" sheet with a chart over the log."""
    path = Path(path)
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Calls")
    other = wb.add_worksheet("Dashboard")
    bold = wb.add_format({"bold": True, "bg_color": "#DDEBF7"})
    datef = wb.add_format({"num_format": "dd.mm.yyyy"})
    red = wb.add_format({"font_color": "#9C0006"})
    h = 1 if title_row else 0            # 0-based header row
    if title_row:
        ws.merge_range(0, 0, 0, len(LOG_HEADERS) - 1, "Call log — Olga", bold)
    ws.write_row(h, 0, LOG_HEADERS, bold)
    ws.set_column(0, 0, 12)
    ws.set_column(4, 4, 40)
    for i, row in enumerate(log_rows(n)):
        r = h + 1 + i
        ws.write_datetime(r, 0, datetime.combine(row[0], datetime.min.time()), datef)
        ws.write_string(r, 1, row[1])
        ws.write_string(r, 2, row[2])
        ws.write_datetime(r, 3, datetime.combine(row[3], datetime.min.time()), datef)
        ws.write_string(r, 4, row[4])
    last = h + n                          # 0-based last data row
    # a formula with a cached value, right of the log (column G), and a shared-looking block
    ws.write_formula(h, 6, '="Rows: "&COUNTA(C:C)', None, f"Rows: {n + 1}")
    ws.write_formula(h + 1, 6, f"=COUNTA(C{h + 2}:C{last + 1})", None, n)
    ws.data_validation(h + 1, 1, last, 1, {"validate": "list",
                                           "source": ["First call", "Interview", "Repeat call", "Introductory call"]})
    ws.write_comment(h + 1, 2, "Called twice, no answer")
    ws.conditional_format(h + 1, 2, last, 2, {"type": "text", "criteria": "containing", "value": "1", "format": red})
    ws.write_url(h + 2, 5, "https://example.com/crm/1", string="CRM")
    ws.add_sparkline(h + 3, 6, {"range": f"Calls!H{h + 2}:J{h + 2}"})
    ws.write_row(h + 1, 7, [1, 3, 2])
    ws.insert_image(h + 5, 8, "logo.png", {"image_data": io.BytesIO(png_bytes())})
    ws.freeze_panes(h + 1, 0)
    wb.define_name("LogDates", f"=Calls!$A${h + 2}:$A${last + 1}")
    other.write_row(0, 0, ["Type", "Calls"])
    for i, t in enumerate(["First call", "Interview", "Repeat call", "Introductory call"], 1):
        other.write_string(i, 0, t)
        other.write_formula(i, 1, f'=COUNTIF(Calls!B:B,A{i + 1})', None, (n + 3 - i) // 4)
    chart = wb.add_chart({"type": "column"})
    chart.add_series({"categories": "=Dashboard!$A$2:$A$5", "values": "=Dashboard!$B$2:$B$5", "name": "Calls"})
    other.insert_chart("D2", chart)
    wb.close()
    return path


def table_log(path: Path, n: int = 10) -> Path:
    """The log as an Excel table (ListObject) "CallLog" over A1:E(n+1)."""
    path = Path(path)
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Calls")
    data = [[r[0].isoformat(), r[1], r[2], r[3].isoformat(), r[4]] for r in log_rows(n)]
    ws.add_table(0, 0, n, len(LOG_HEADERS) - 1, {
        "name": "CallLog", "data": data, "columns": [{"header": h} for h in LOG_HEADERS]})
    wb.close()
    return path


def small_overdue_log(path: Path) -> Path:
    """Four rows under a header; the plan marks row 2 overdue (for the render test)."""
    path = Path(path)
    wb = xlsxwriter.Workbook(str(path))
    _four_calls(wb)
    wb.close()
    return path


def _four_calls(wb: xlsxwriter.Workbook):
    """The sheet "Calls" of small_overdue_log, in a workbook being written."""
    ws = wb.add_worksheet("Calls")
    ws.write_row(0, 0, ["Contact", "Next contact"])
    for i in range(4):
        ws.write_row(1 + i, 0, [f"Person {i}", f"2026-11-{20 + i}"])
    ws.set_column(0, 1, 16)
    return ws


def typo_call_type_log(path: Path) -> Path:
    """Sheet "Calls": rows 2 and 4 Follow-ups, row 3 a call type typed wrong ("First cal", B3)."""
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Calls")
    for r, row in enumerate([["Date", "Call type", "Contact", "Comment"],
                             ["22.11.2026", "Follow-up", "Anna", "Summary: she is thinking"],
                             ["22.11.2026", "First cal", "Boris", "Company Name: Acme"],
                             ["23.11.2026", "Follow-up", "Chen", "Summary: called back"]]):
        ws.write_row(r, 0, row)
    wb.close()
    return path


def big_log(path: Path, n: int = 100_000, ncols: int = 15) -> Path:
    """A plain n-row, ncols-column log (for speed and memory checks)."""
    path = Path(path)
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    ws = wb.add_worksheet("Calls")
    datef = wb.add_format({"num_format": "yyyy-mm-dd"})
    headers = LOG_HEADERS + [f"Extra {i}" for i in range(ncols - len(LOG_HEADERS))]
    ws.write_row(0, 0, headers)
    base = datetime(2026, 1, 1)
    for r in range(1, n + 1):
        ws.write_datetime(r, 0, base + timedelta(days=r % 300), datef)
        ws.write_string(r, 1, ("First call", "Interview", "Repeat call")[r % 3])
        ws.write_string(r, 2, f"Contact {r}")
        ws.write_datetime(r, 3, base + timedelta(days=r % 300 + 3), datef)
        ws.write_string(r, 4, f"Company Name: Acme {r % 977}")
        for c in range(5, ncols):
            ws.write_number(r, c, r * c)
    wb.close()
    return path


def xlsm_log(path: Path) -> Path:
    """A copy of xlwings' own quickstart.xlsm (a real VBA project; its first sheet serves as the log)."""
    import xlwings

    src = Path(xlwings.__file__).parent / "quickstart.xlsm"
    path = Path(path)
    shutil.copyfile(src, path)
    return path


def handmade_xlsx(path: Path, sheet_xml: str, *, extra_parts: dict[str, bytes] | None = None,
                  workbook_ns: str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main") -> Path:
    """A minimal package around a given sheet XML (for odd writers: rows/cells without
    r attributes, strict namespaces, broken XML)."""
    path = Path(path)
    ct = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
          '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
          '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
          '<Default Extension="xml" ContentType="application/xml"/>'
          '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
          '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
          '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
          '</Types>')
    rels = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
            '</Relationships>')
    wb = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
          f'<workbook xmlns="{workbook_ns}" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
          '<sheets><sheet name="Calls" sheetId="1" r:id="rId1"/></sheets></workbook>')
    wbrels = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
              '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
              '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
              '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
              '</Relationships>')
    styles = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
              '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
              '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
              '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>'
              '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
              '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
              '<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>'
              '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
              '</styleSheet>')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", ct)
        z.writestr("_rels/.rels", rels)
        z.writestr("xl/workbook.xml", wb)
        z.writestr("xl/_rels/workbook.xml.rels", wbrels)
        z.writestr("xl/styles.xml", styles)
        z.writestr("xl/worksheets/sheet1.xml", sheet_xml)
        for name, data in (extra_parts or {}).items():
            z.writestr(name, data)
    return path


SHEET_NO_R = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
              '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
              '<row><c t="inlineStr"><is><t>Contact</t></is></c><c t="inlineStr"><is><t>Status</t></is></c><c t="inlineStr"><is><t>Notes</t></is></c></row>'
              '<row><c t="inlineStr"><is><t>Ann</t></is></c><c t="inlineStr"><is><t>old</t></is></c><c><v>7</v></c></row>'
              '<row><c t="inlineStr"><is><t>Bob</t></is></c><c/><c><v>8</v></c></row>'
              '</sheetData></worksheet>')


def zip_parts(path: Path) -> dict[str, bytes]:
    """Every part of a package, decompressed."""
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist()}


def raw_entry(path: Path, name: str) -> tuple[int, int, int, bytes]:
    """(CRC, method, size, compressed bytes) of one entry, as stored: no inflating, no CRC check."""
    with zipfile.ZipFile(path) as z:
        info = z.getinfo(name)
    with open(path, "rb") as f:
        f.seek(info.header_offset)
        head = f.read(30)
        n, m = int.from_bytes(head[26:28], "little"), int.from_bytes(head[28:30], "little")
        f.seek(info.header_offset + 30 + n + m)
        return info.CRC, info.compress_type, info.file_size, f.read(info.compress_size)


def zip_order(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as z:
        return z.namelist()


def two_tables_log(path: Path, n: int = 10, *, log_table: bool = True) -> Path:
    """The log "Calls" over A1:E(n+1) (an Excel table "CallLog" when `log_table`), a blank
    column F, and a user's own small table "Targets" over G1:H4, its header on the log's
    header row."""
    path = Path(path)
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Calls")
    data = [[r[0].isoformat(), r[1], r[2], r[3].isoformat(), r[4]] for r in log_rows(n)]
    if log_table:
        ws.add_table(0, 0, n, len(LOG_HEADERS) - 1, {
            "name": "CallLog", "data": data, "columns": [{"header": h} for h in LOG_HEADERS]})
    else:
        ws.write_row(0, 0, LOG_HEADERS)
        for i, row in enumerate(data, 1):
            ws.write_row(i, 0, row)
    ws.add_table(0, 6, 3, 7, {"name": "Targets", "data": [["Calls/week", 40], ["Interviews", 8], ["Offers", 2]],
                              "columns": [{"header": "Target"}, {"header": "Value"}]})
    wb.close()
    return path


def rewrite_parts(path: Path, change: dict) -> Path:
    """The package at `path` with each part named in `change` replaced by change[name](its text)."""
    path = Path(path)
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    for name, edit in change.items():
        parts[name] = edit(parts[name].decode("utf-8")).encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return path


def drawn_over_log(path: Path) -> Path:
    """The log "Calls" (Contact, Next contact; 4 rows) whose free columns are taken: a
    button over C2:E3 (its macro "chase", in the legacy VML drawing), narrow columns
    F:P (19 pixels) under a picture 200 pixels wide anchored by its size only from F6 (a
    oneCellAnchor, as openpyxl anchors pictures: F to P), and Q:XFD hidden, in a second
    <cols> of the sheet (the schema allows several)."""
    path = Path(path)
    wb = xlsxwriter.Workbook(str(path))
    ws = _four_calls(wb)
    ws.set_column(5, 15, 2)
    ws.set_column(16, 16383, 9.5, None, {"hidden": True})
    ws.insert_button("C2", {"macro": "chase", "caption": "Chase", "width": 150, "height": 30})
    ws.insert_image("F6", "wide.png", {"image_data": io.BytesIO(png_bytes(200, 10))})
    wb.close()
    return rewrite_parts(path, {
        "xl/worksheets/sheet1.xml": lambda x: x.replace('<col min="17"', '</cols><cols><col min="17"', 1),
        "xl/drawings/drawing1.xml": lambda x: re.sub(
            r"<xdr:twoCellAnchor[^>]*>(.*?</xdr:from>)<xdr:to>.*?</xdr:to>(.*?)</xdr:twoCellAnchor>",
            r'<xdr:oneCellAnchor>\1<xdr:ext cx="1905000" cy="95250"/>\2</xdr:oneCellAnchor>', x, flags=re.S)})


def typed_log(path: Path, rows: list[dict]) -> Path:
    """A log as `tracker init` writes it, with `rows` ({header: value}) typed in under its
    headers (openpyxl)."""
    import openpyxl
    from click.testing import CliRunner

    from tracker.cli import main

    assert CliRunner().invoke(main, ["init", str(path)]).exit_code == 0
    wb = openpyxl.load_workbook(path)
    ws = wb["Call log"]
    head = {c.value: c.column for c in ws[1]}
    for r, row in enumerate(rows, start=2):
        for name, value in row.items():
            ws.cell(r, head[name], value)
    wb.save(path)
    return Path(path)


def plain_log(path: Path, rows, header=("ID", "Date", "Time", "Call type", "Client", "Contact")) -> Path:
    """A "Calls" sheet of `header` and `rows` as typed (openpyxl)."""
    return rows_book(path, [list(header), *map(list, rows)])


def stats_sheet_table(path: Path, tmp_path: Path, title: str, as_of: str) -> dict[str, dict]:
    """The Stats sheet of a copy of `path` refreshed as of `as_of`: the table titled
    `title`, each row by its first cell (a period), or "source / stage" in the ghosting
    table, as {header: value}."""
    import openpyxl
    from click.testing import CliRunner

    from tracker.cli import main

    copy = tmp_path / f"refreshed-{path.name}"
    copy.write_bytes(path.read_bytes())
    r = CliRunner().invoke(main, ["refresh", str(copy), "--as-of", as_of], catch_exceptions=False)
    assert r.exit_code == 0, r.output
    grid = [list(row) for row in openpyxl.load_workbook(copy)["Stats"].iter_rows(values_only=True)]
    left = grid[0].index(title)
    width = next((i for i, v in enumerate(grid[1][left:]) if v is None), len(grid[1]) - left)
    header = grid[1][left:left + width]
    table = {}
    for row in grid[2:]:
        cells = row[left:left + width]
        if cells[0] is None:
            break
        key = " / ".join(str(c) for c in cells[:2]) if header[1] == "Stage" else str(cells[0])
        table[key] = dict(zip(header, cells))
    return table


def refreshed_output(path: Path, as_of: str) -> str:
    """What `tracker refresh` of `path` as of `as_of` says (it must succeed)."""
    from click.testing import CliRunner

    from tracker.cli import main

    result = CliRunner().invoke(main, ["refresh", str(path), "--as-of", as_of])
    assert result.exit_code == 0, result.output
    return result.output


def cli_ok(*args):
    """`tracker ARGS...` (each made text), which must exit 0: its click Result."""
    from click.testing import CliRunner

    from tracker.cli import main

    result = CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result


def overdue_json(path: Path, as_of: str) -> list[dict]:
    """`tracker overdue --all --format json` of `path` as of `as_of`, parsed."""
    import json

    return json.loads(cli_ok("overdue", path, "--as-of", as_of, "--all", "--format", "json").stdout)


def imported(*calendars) -> dict:
    """What a calendar that imported each file (an icalendar.Calendar) in turn holds: one
    event per UID, the version of the highest SEQUENCE (RFC 5546 2.1.5)."""
    held: dict = {}
    for cal in calendars:
        for ev in cal.walk("VEVENT"):
            uid = str(ev["uid"])
            if uid not in held or int(ev["sequence"]) > int(held[uid]["sequence"]):
                held[uid] = ev
    return held


def rows_book(path: Path, rows: list[list], merged: tuple[str, ...] = (), title: str = "Calls") -> Path:
    """A sheet `title` of `rows` as typed, header rows included, with cell ranges `merged`
    ("G1:H1": a header word over two columns) (openpyxl)."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    for row in rows:
        ws.append(row)
    for cells in merged:
        ws.merge_cells(cells)
    wb.save(path)
    return Path(path)


CHARTED_HEADER = ["Date", "Call type", "Client", "Contact", "Outcome", "Next contact", "SM", "Comment on the call"]   # A:H


def charted_log(path: Path, *, table: bool = False, at: str = "J2", scale: float = 1) -> Path:
    """A log A1:H6 of five calls (CHARTED_HEADER), plain with a filter or an Excel table,
    and a column chart from `at`, `scale` times as wide as xlsxwriter's (over J:Q from J2)."""
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Calls")
    day = wb.add_format({"num_format": "yyyy-mm-dd"})
    data = [[datetime(2026, 11, 15 + r), "First call", f"C{r}", f"P{r}", "Done", datetime(2026, 11, 20 + r), "Tom", ""]
            for r in range(1, 6)]
    if table:
        ws.add_table("A1:H6", {"data": data, "columns": [
            {"header": h, "format": day if h in ("Date", "Next contact") else None} for h in CHARTED_HEADER]})
    else:
        ws.write_row(0, 0, CHARTED_HEADER)
        for r, row in enumerate(data, 1):
            ws.write_datetime(r, 0, row[0], day)
            ws.write_row(r, 1, row[1:5])
            ws.write_datetime(r, 5, row[5], day)
            ws.write(r, 6, row[6])
        ws.autofilter("A1:H6")
    chart = wb.add_chart({"type": "column"})
    chart.add_series({"values": "=Calls!$A$2:$A$6"})
    ws.insert_chart(at, chart, {"x_scale": scale})
    wb.close()
    return path
