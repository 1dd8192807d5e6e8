"""Nothing of the user's is lost: parts we do not own are byte-identical, and the result
opens in openpyxl, python-calamine and LibreOffice, which paints our highlights."""
from __future__ import annotations

import csv
import shutil
import subprocess
import uuid
import zipfile
from datetime import date, datetime, timedelta
from pathlib import Path
from xml.etree import ElementTree as ET

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from tracker.writeback import ChartSpec, ColumnWrite, Highlight, SheetWrite, WritePlan, apply

from workbooks import drawn_over_log, rich_log, small_overdue_log, table_log, xlsm_log, zip_order, zip_parts

NOW = datetime(2026, 11, 22, 9, 0)
pytestmark = pytest.mark.filterwarnings("ignore:Sparkline Group:UserWarning")

# the parts a write-back may change; everything else must come out byte-identical
ALLOWED = {"xl/worksheets/sheet1.xml", "xl/styles.xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels",
           "[Content_Types].xml"}


def full_plan(sheet: str = "Calls", header_row: int = 2, first: int = 3, last: int = 22) -> WritePlan:
    return WritePlan(
        sheet=sheet, header_row=header_row, first_data_row=first, last_data_row=last,
        columns=[ColumnWrite("Status", ("status",), {first: "overdue", first + 2: "due_today"}, key="status", width=12),
                 ColumnWrite("Due", ("due",), {first: datetime(2026, 11, 20, 10)}, number_format="yyyy-mm-dd hh:mm",
                             key="due", width=16),
                 ColumnWrite("Summary", ("summary",), {first + 1: "Company Name: Acme\nSM: Olga"}, wrap=True, width=40)],
        sheets=[SheetWrite("Stats", [["Week", "Calls", "No-shows"], ["W46", 10, 2], ["W47", 12, 1], ["W48", 7, 0]],
                           widths=[10, 8, 10],
                           charts=[ChartSpec("line", "Calls per week", (2, 4, 1), [("Calls", 2), ("No-shows", 3)], "E2"),
                                   ChartSpec("bar", "No-shows", (2, 4, 1), [("No-shows", 3)], "E20")])],
        highlights=[Highlight("overdue", '${status}{row}="overdue"', "FFC7CE", "9C0006")],
    )


def assert_untouched(before: dict[str, bytes], after: dict[str, bytes], allowed: set[str]) -> None:
    lost = set(before) - set(after)
    assert not lost, f"parts lost: {lost}"
    changed = {n for n in before if before[n] != after[n]}
    assert changed <= allowed, f"parts changed that we do not own: {changed - allowed}"


def test_rich_log_keeps_every_other_part_byte_identical(tmp_path: Path):
    path = rich_log(tmp_path / "log.xlsx", 20)
    before, order = zip_parts(path), zip_order(path)
    # the corpus really has what openpyxl would drop
    names = "\n".join(before)
    for needle in ("xl/charts/chart1.xml", "xl/media/image1.png", "xl/comments1.xml", "vmlDrawing1.vml"):
        assert needle in names
    assert b"x14:sparklineGroups" in before["xl/worksheets/sheet1.xml"]
    apply(path, full_plan(), now=NOW)
    after = zip_parts(path)
    assert_untouched(before, after, ALLOWED)
    new_order = zip_order(path)
    assert new_order[:len(order)] == order               # same entries, same order; new ones at the end
    for name in set(after) - set(before) | ALLOWED:
        if name.endswith((".xml", ".rels")):
            ET.fromstring(after[name])                   # every part we wrote is well-formed
    sheet = after["xl/worksheets/sheet1.xml"].decode()
    for kept in ("<mergeCell ref=\"A1:E1\"/>", "<dataValidation", "x14:sparklineGroups", "<hyperlink ",
                 "<legacyDrawing ", "<drawing ", '<f>COUNTA(C3:C22)</f><v>20</v>'):
        assert kept in sheet
    # styles.xml only grew: every original entry is still there, in place
    old_styles, new_styles = before["xl/styles.xml"].decode(), after["xl/styles.xml"].decode()
    for tag in ("fonts", "fills", "borders", "cellXfs", "dxfs"):
        old_inner = old_styles.split(f"<{tag}", 1)[1].split(">", 1)[1].split(f"</{tag}>", 1)[0]
        new_inner = new_styles.split(f"<{tag}", 1)[1].split(">", 1)[1].split(f"</{tag}>", 1)[0]
        assert new_inner.startswith(old_inner)


def test_rich_log_reads_back_everywhere(tmp_path: Path):
    path = rich_log(tmp_path / "log.xlsx", 20)
    before = CalamineWorkbook.from_path(str(path))
    old = {s: before.get_sheet_by_name(s).to_python() for s in before.sheet_names}
    apply(path, full_plan(), now=NOW)
    wb = CalamineWorkbook.from_path(str(path))
    assert wb.sheet_names == ["Calls", "Dashboard", "Stats"]
    calls = wb.get_sheet_by_name("Calls").to_python()
    assert calls[1][10:13] == ["Status", "Due", "Summary"]
    assert calls[2][10:12] == ["overdue", datetime(2026, 11, 20, 10)]
    assert calls[3][12] == "Company Name: Acme\nSM: Olga"
    assert [r[:10] for r in calls] == [(r + [""] * 10)[:10] for r in old["Calls"]]
    assert wb.get_sheet_by_name("Dashboard").to_python() == old["Dashboard"]
    assert wb.get_sheet_by_name("Stats").to_python()[1] == ["W46", 10.0, 2.0]
    ox = openpyxl.load_workbook(path)
    assert ox["Calls"]["L3"].number_format == "yyyy-mm-dd hh:mm"
    assert ox["Calls"]["M4"].alignment.wrap_text
    assert ox.defined_names["LogDates"].attr_text == "Calls!$A$3:$A$22"


def test_xlsm_parts_untouched(tmp_path: Path):
    path = xlsm_log(tmp_path / "book.xlsm")
    before = zip_parts(path)
    sheet = CalamineWorkbook.from_path(str(path)).sheet_names[0]
    with zipfile.ZipFile(path) as z:
        wb_rels = z.read("xl/_rels/workbook.xml.rels").decode()
    part = "xl/" + next(t for t in wb_rels.split('Target="')[1:] if t.startswith("worksheets/")).split('"')[0]
    apply(path, full_plan(sheet, 1, 2, 10), now=NOW)
    after = zip_parts(path)
    assert_untouched(before, after, ALLOWED | {part})
    assert after["xl/vbaProject.bin"] == before["xl/vbaProject.bin"]


def test_table_parts_only_change_where_we_extend(tmp_path: Path):
    path = table_log(tmp_path / "t.xlsx", 10)
    before = zip_parts(path)
    apply(path, WritePlan("Calls", 1, 2, 11, [ColumnWrite("Status", ("status",), {2: "overdue"})], [], []), now=NOW)
    assert_untouched(before, zip_parts(path), ALLOWED | {"xl/tables/table1.xml"})


# ---------------------------------------------------------------- LibreOffice

def soffice(tmp_path: Path, src: Path, fmt: str) -> Path:
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice (soffice) not installed")
    out = tmp_path / f"out-{fmt}"
    out.mkdir(exist_ok=True)
    profile = f"file:///tmp/lo-writeback-{uuid.uuid4().hex}"
    try:
        subprocess.run(["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", fmt,
                        "--outdir", str(out), str(src)], check=True, capture_output=True, timeout=180)
    finally:
        shutil.rmtree(profile.removeprefix("file://"), ignore_errors=True)
    ext = fmt.split(":")[0]
    result = out / f"{src.stem}.{ext}"
    assert result.is_file(), f"LibreOffice did not convert {src.name} to {fmt}"
    return result


def test_libreoffice_opens_the_result(tmp_path: Path):
    path = rich_log(tmp_path / "log.xlsx", 20)
    apply(path, full_plan(), now=NOW)
    rows = list(csv.reader(soffice(tmp_path, path, "csv").read_text(encoding="utf-8", errors="replace").splitlines()))
    assert rows[1][10:13] == ["Status", "Due", "Summary"]
    assert rows[2][2] == "Contact 0" and rows[2][10] == "overdue"
    assert rows[2][11].startswith("2026-11-20 10:00")      # LibreOffice writes its own date format to CSV
    pdf = soffice(tmp_path, path, "pdf")
    assert pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 1000


def test_our_sheets_print_one_page_wide_across(tmp_path: Path):
    """A list as wide as Chase today's (drafts of 70 characters) printed on portrait pages
    at 100%: its columns went over pages side by side. Each of our sheets prints across,
    one page wide, as long as it takes."""
    if shutil.which("pdfinfo") is None or shutil.which("pdftotext") is None:
        pytest.skip("poppler (pdfinfo, pdftotext) not installed")
    path = rich_log(tmp_path / "log.xlsx", 20)
    head = ["Due", "Status", "Days overdue", "Contact", "Client", "Call type", "Next action", "Message draft", "Row"]
    rows = [head] + [[f"2026-11-{n:02d}", "Overdue", n, f"Contact {n}", f"Client {n}", "Follow-up",
                      f"Phone: get in touch as agreed {n}", f"Hello Contact {n}, " + "just checking in. " * 4, n]
                     for n in range(1, 121)]
    apply(path, WritePlan("Calls", 2, 3, 22, [], [SheetWrite("Chase today", rows,
                                                             widths=[12, 14, 13, 24, 22, 16, 40, 70, 6])], []), now=NOW)
    setup = openpyxl.load_workbook(path)["Chase today"]
    assert (setup.page_setup.orientation, setup.page_setup.fitToWidth, setup.page_setup.fitToHeight) == ("landscape", 1, 0)
    assert setup.sheet_properties.pageSetUpPr.fitToPage
    pdf = soffice(tmp_path, path, "pdf")
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", "999", str(pdf)], capture_output=True, text=True, check=True).stdout
    sizes = [tuple(map(float, line.split("size:")[1].split("pts")[0].split(" x "))) for line in info.splitlines()
             if line.startswith("Page") and "size:" in line]
    ours = []
    for page, (w, h) in enumerate(sizes, 1):
        text = subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), "-layout", str(pdf), "-"],
                              capture_output=True, text=True, check=True).stdout
        if "Written by Call Tracker" in text:
            ours.append((w > h, "Contact 1" in text or "Message draft" in text, text))
    assert len(ours) >= 2   # 120 rows: longer than a page
    assert all(across for across, _, _ in ours)
    # One page wide: every page of it holds its first column and its last.
    for _, _, text in ours:
        assert "2026-11-" in text and "just checking in" in text, text[:500]


def read_ppm(path: Path) -> tuple[int, int, bytes]:
    data = path.read_bytes()
    parts = data.split(maxsplit=4)
    assert parts[0] == b"P6"
    w, h = int(parts[1]), int(parts[2])
    return w, h, data[len(data) - w * h * 3:]


def bands(w: int, h: int, px: bytes, want) -> list[tuple[int, int]]:
    """Vertical runs of pixel rows that contain at least a few pixels `want` accepts."""
    rows = []
    for y in range(h):
        line = px[y * w * 3:(y + 1) * w * 3]
        hits = sum(1 for x in range(0, w * 3, 3) if want(line[x], line[x + 1], line[x + 2]))
        rows.append(hits > 5)
    out, start = [], None
    for y, on in enumerate(rows + [False]):
        if on and start is None:
            start = y
        elif not on and start is not None:
            out.append((start, y - 1))
            start = None
    return out


def render(tmp_path: Path, book: Path) -> tuple[int, int, bytes]:
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm not installed")
    pdf = soffice(tmp_path, book, "pdf")
    subprocess.run(["pdftoppm", "-r", "60", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "page")],
                   check=True, capture_output=True, timeout=120)
    ppm = next(tmp_path.glob("page*.ppm"))
    return read_ppm(ppm)


def test_libreoffice_paints_overdue_rows_red_and_past_due_blue(tmp_path: Path):
    """Row 2 is overdue by its status (red); row 4 has a due date in the past, which only
    TODAY() in the rule can tell (blue); rows 3 and 5 stay white."""
    book = small_overdue_log(tmp_path / "small.xlsx")
    plan = WritePlan("Calls", 1, 2, 5, [
        ColumnWrite("Status", ("status",), {2: "overdue", 3: "upcoming", 4: "upcoming", 5: "done"}, key="status", width=14),
        ColumnWrite("Due", ("due",), {4: date(2020, 1, 6), 5: date(2999, 1, 1)}, key="due", width=14),
    ], [], [
        Highlight("overdue", '${status}{row}="overdue"', "FF0000"),
        Highlight("past_due", 'AND(ISNUMBER(${due}{row}),${due}{row}<TODAY())', "0000FF"),
    ])
    apply(book, plan, now=NOW)
    w, h, px = render(tmp_path, book)
    red = bands(w, h, px, lambda r, g, b: r > 200 and g < 60 and b < 60)
    blue = bands(w, h, px, lambda r, g, b: b > 200 and r < 60 and g < 60)
    assert len(red) == 1 and len(blue) == 1, (red, blue)
    row_height = red[0][1] - red[0][0] + 1
    assert 5 < row_height < h // 10                  # one row, not the page
    # blue is two rows below red (rows 2 and 4), with the unpainted row 3 between them
    gap = blue[0][0] - red[0][1]
    assert row_height // 2 < gap < row_height * 2, (red, blue)


def test_libreoffice_paints_a_rule_of_some_rows_on_those_rows_each_by_its_own_cells(tmp_path: Path):
    """A rule of rows 2, 4 and 5 (three areas of one sqref: rows 4 and 5 are one run)
    whose window opened yesterday: rows 2 and 4, whose Due is still ahead, are red; row 5,
    whose Due has passed, is not, so each area reads its own row. Row 3's rule opens
    tomorrow: white. LibreOffice's TODAY() is the real day, so the dates are set from it."""
    today = date.today()
    book = small_overdue_log(tmp_path / "small.xlsx")
    ahead, past = today + timedelta(days=2), today - timedelta(days=1)
    window = 'AND(ISNUMBER(${{due}}{{row}}),TODAY()>=DATE({d.year},{d.month},{d.day}),INT(${{due}}{{row}})>=TODAY())'
    plan = WritePlan("Calls", 1, 2, 5, [
        ColumnWrite("Status", ("status",), dict.fromkeys(range(2, 6), "upcoming"), key="status", width=14),
        ColumnWrite("Due", ("due",), {2: ahead, 3: ahead, 4: ahead, 5: past}, key="due", width=14),
    ], [], [
        Highlight("window", window.format(d=past), "FF0000", rows=(2, 4, 5)),
        Highlight("window", window.format(d=today + timedelta(days=1)), "FF0000", rows=(3,)),
    ])
    apply(book, plan, now=NOW)
    with zipfile.ZipFile(book) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
    assert '<conditionalFormatting sqref="A2:D2 A4:D5">' in sheet and '<conditionalFormatting sqref="A3:D3">' in sheet
    w, h, px = render(tmp_path, book)
    red = bands(w, h, px, lambda r, g, b: r > 200 and g < 60 and b < 60)
    assert len(red) == 2, red
    row_height = red[0][1] - red[0][0] + 1
    assert 5 < row_height < h // 10 and abs(red[1][1] - red[1][0] + 1 - row_height) <= 2   # a row each, not 4 and 5
    assert row_height // 2 < red[1][0] - red[0][1] < row_height * 2, red          # row 3 between them


def coloured_pixels(tmp_path: Path, book: Path) -> int:
    """Saturated (non-grey) pixels over every page LibreOffice prints of `book`."""
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm not installed")
    pdf = soffice(tmp_path, book, "pdf")
    prefix = tmp_path / f"{book.stem}-page"
    subprocess.run(["pdftoppm", "-r", "30", str(pdf), str(prefix)], check=True, capture_output=True, timeout=120)
    total = 0
    for ppm in tmp_path.glob(f"{book.stem}-page*.ppm"):
        w, h, px = read_ppm(ppm)
        total += sum(1 for i in range(0, len(px), 3) if max(px[i:i + 3]) - min(px[i:i + 3]) > 80)
    return total


def test_libreoffice_draws_our_charts(tmp_path: Path):
    rows = [["Week", "Calls", "No-shows"], ["W45", 8, 1], ["W46", 10, 2], ["W47", 12, 1], ["W48", 7, 0]]
    charts = [ChartSpec("line", "Calls per week", (2, 5, 1), [("Calls", 2), ("No-shows", 3)], "E2"),
              ChartSpec("bar", "No-shows", (2, 5, 1), [("No-shows", 3)], "E20")]
    plain = small_overdue_log(tmp_path / "plain.xlsx")
    drawn = small_overdue_log(tmp_path / "drawn.xlsx")
    apply(plain, WritePlan("Calls", 1, 2, 5, [], [SheetWrite("Stats", rows)], []), now=NOW)
    apply(drawn, WritePlan("Calls", 1, 2, 5, [], [SheetWrite("Stats", rows, charts=charts)], []), now=NOW)
    assert coloured_pixels(tmp_path, plain) == 0
    assert coloured_pixels(tmp_path, drawn) > 200


def test_a_workbook_saved_by_libreoffice_asks_excel_to_recalculate_its_formulas(tmp_path: Path):
    """LibreOffice saves formula results and a <calcPr> without fullCalcOnLoad. After a
    refresh the user's formula that counts our Status column still holds its old result
    (its sheet is not ours: byte-identical), so the workbook asks for a recalculation on
    load; LibreOffice itself recalculates only when set to ("Recalculation on file load")."""
    src = openpyxl.Workbook()
    ws = src.active
    ws.title = "Calls"
    ws.append(["Contact", "Next contact"])
    for i in range(4):
        ws.append([f"Person {i}", f"2026-11-{20 + i}"])
    src.create_sheet("Formulas")["A1"] = '=COUNTIF(Calls!C:C,"overdue")'
    src.save(tmp_path / "src.xlsx")
    path = soffice(tmp_path, tmp_path / "src.xlsx", "xlsx:Calc MS Excel 2007 XML")
    before = zip_parts(path)
    assert b"fullCalcOnLoad" not in before["xl/workbook.xml"] and b"<calcPr " in before["xl/workbook.xml"]
    apply(path, WritePlan("Calls", 1, 2, 5, [ColumnWrite("Status", ("status",), {2: "overdue", 4: "overdue"})], [], []),
          now=NOW)
    after = zip_parts(path)
    assert_untouched(before, after, {"xl/worksheets/sheet1.xml", "xl/styles.xml", "xl/workbook.xml"})
    old_wb, new_wb = before["xl/workbook.xml"].decode(), after["xl/workbook.xml"].decode()
    calc = old_wb.split("<calcPr ", 1)[1].split("/>", 1)[0]
    assert new_wb == old_wb.replace(f"<calcPr {calc}/>", f'<calcPr {calc} fullCalcOnLoad="1"/>')
    assert openpyxl.load_workbook(path).calculation.fullCalcOnLoad is True
    rows = list(csv.reader(soffice(tmp_path, path, "csv").read_text(encoding="utf-8").splitlines()))
    assert [r[2] for r in rows] == ["Status", "overdue", "", "overdue", ""]


def test_a_log_drawn_over_with_two_cols_blocks_opens_everywhere_with_our_columns_clear(tmp_path: Path):
    """A button over C:E (legacy VML), a picture anchored by its size over the narrow F:P,
    and Q:XFD hidden in the sheet's second <cols>: ours go to Q and R, shown at the
    widths we set, the user's widths kept; every part but the sheet and styles as it was."""
    path = drawn_over_log(tmp_path / "drawn.xlsx")
    before = zip_parts(path)
    plan = WritePlan("Calls", 1, 2, 5, [
        ColumnWrite("Status", ("status",), {2: "overdue", 4: "upcoming"}, key="status", width=14),
        ColumnWrite("Due", ("due",), {2: date(2026, 11, 20)}, number_format="yyyy-mm-dd", key="due", width=16)],
        [], [Highlight("overdue", '${status}{row}="overdue"', "FF0000")])
    assert apply(path, plan, now=NOW).added_columns == ["Q", "R"]
    after = zip_parts(path)
    assert_untouched(before, after, {"xl/worksheets/sheet1.xml", "xl/styles.xml", "xl/workbook.xml"})
    apply(path, plan, now=NOW)
    assert zip_parts(path) == after                                # a second refresh changes nothing
    dims = openpyxl.load_workbook(path)["Calls"].column_dimensions
    assert (dims["Q"].width, dims["R"].width, dims["Q"].hidden, dims["R"].hidden) == (14, 16, False, False)
    assert CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Calls").to_python()[1][16:] == [
        "overdue", date(2026, 11, 20)]
    rows = list(csv.reader(soffice(tmp_path, path, "csv").read_text(encoding="utf-8").splitlines()))
    assert rows[0][16:] == ["Status", "Due"] and rows[1][16:] == ["overdue", "2026-11-20"]
    assert soffice(tmp_path, path, "pdf").read_bytes().startswith(b"%PDF")
    # as LibreOffice reads the widths (saved again in its own spelling)
    lo = openpyxl.load_workbook(soffice(tmp_path, path, "xlsx:Calc MS Excel 2007 XML"))["Calls"].column_dimensions
    assert [round(lo[c].width, 1) for c in "AFQR"] == [16.7, 2.7, 14, 16]
    assert not lo["Q"].hidden and not lo["R"].hidden and lo["S"].hidden


def test_libreoffice_shows_our_formats_in_the_styles_openpyxl_wrote_and_we_reuse(tmp_path: Path):
    """A log re-saved by openpyxl between refreshes: our columns take its spelling of our
    cell formats (no new ones), and LibreOffice still shows the date format and wraps."""
    path = rich_log(tmp_path / "log.xlsx", 20)
    apply(path, full_plan(), now=NOW)
    openpyxl.load_workbook(path).save(path)
    resaved = zip_parts(path)["xl/styles.xml"]
    apply(path, full_plan(), now=NOW)
    assert zip_parts(path)["xl/styles.xml"] == resaved
    rows = list(csv.reader(soffice(tmp_path, path, "csv").read_text(encoding="utf-8", errors="replace").splitlines()))
    assert rows[1][10:13] == ["Status", "Due", "Summary"]
    assert rows[2][10] == "overdue" and rows[2][11].startswith("2026-11-20 10:00")


def test_libreoffice_shows_our_dates_in_the_users_format_or_ours_with_their_colours(tmp_path: Path):
    """The user formatted our Due cells: one in their date format (kept), one in General
    with a fill (ours added to it: a date shown as a date, filled)."""
    from openpyxl.styles import Font, PatternFill

    path = rich_log(tmp_path / "log.xlsx", 20)
    plan = WritePlan("Calls", 2, 3, 22, [
        ColumnWrite("Status", ("status",), {3: "overdue", 4: "overdue"}, key="status"),
        ColumnWrite("Due", ("due",), {3: datetime(2026, 11, 20, 10), 4: datetime(2026, 11, 23, 10)},
                    number_format="yyyy-mm-dd hh:mm", key="due")], [], [])
    apply(path, plan, now=NOW)
    wb = openpyxl.load_workbook(path)
    ws = wb["Calls"]
    ws["L3"].number_format = "dd.mm.yyyy"
    ws["L4"].number_format = "General"
    for ref in ("L3", "L4"):
        ws[ref].font = Font(bold=True, color="C00000")
        ws[ref].fill = PatternFill("solid", fgColor="FFFF00")
    wb.save(path)
    apply(path, plan, now=NOW)
    rows = list(csv.reader(soffice(tmp_path, path, "csv").read_text(encoding="utf-8", errors="replace").splitlines()))
    assert "2026" in rows[2][11] and "2026" in rows[3][11]   # dates, not serial numbers
    lo = openpyxl.load_workbook(soffice(tmp_path, path, "xlsx:Calc MS Excel 2007 XML"))["Calls"]
    shown = [lo[ref].number_format.lower().replace("\\", "") for ref in ("L3", "L4")]   # (LO writes dd\.mm)
    assert shown == ["dd.mm.yyyy", "yyyy-mm-dd hh:mm"]
    assert all(lo[ref].font.b and lo[ref].fill.fgColor.rgb.endswith("FFFF00") for ref in ("L3", "L4"))
