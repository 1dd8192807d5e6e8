"""A first refresh into cells of our new columns the user formatted (rows painted past the
log, banded rows) writes the log sheet once: the copies of the user's styles our values
need (our date format on Due, wrapping on Summary) are added to styles.xml as the rows
stream, styles.xml written after the sheet; before, the whole write started again."""
from __future__ import annotations

import re
import zipfile
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
from openpyxl.styles import PatternFill
from python_calamine import CalamineWorkbook

import tracker.writeback as wb
from tracker.fork import may_fork

from workbooks import refreshed_output, zip_order, zip_parts

AS_OF = "2026-11-20T09:00"
HEADERS = ["ID", "Date", "Time", "Call type", "Client", "Contact", "Candidates", "Outcome", "Next contact",
           "SM", "Comment on the call", "Whom to remind", "Stage"]   # A:M; ours go to N:Q
YELLOW, BLUE = "00FFFF00", "00CCE5FF"


def banded_log(path: Path, fills: list[str], *, styles_first: bool = False) -> Path:
    """A log of len(fills) calls whose row r+2 is painted fills[r] from A to T (past the
    log, over the columns ours will take). `styles_first`: the package's parts in
    LibreOffice's order, styles.xml before the sheet."""
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "Call log"
    ws.append(HEADERS)
    for i, rgb in enumerate(fills):
        ws.append([i + 1, datetime(2026, 11, 2 + i % 20), None, "Interview", f"Client {i}", f"Contact {i}", "",
                   "Planned", datetime(2026, 11, 10 + i % 20), "Olga", f"Call {i}", "", "open"])
        for col in range(1, 21):
            ws.cell(i + 2, col).fill = PatternFill("solid", fgColor=rgb[2:])
    book.save(path)
    if styles_first:
        with zipfile.ZipFile(path) as z:
            parts = {n: z.read(n) for n in z.namelist()}
        order = sorted(parts, key=lambda n: n != "xl/styles.xml")
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
            for name in order:
                z.writestr(name, parts[name])
    return path


@pytest.fixture
def streamed(monkeypatch) -> list[str]:
    """The log sheets written (each write of the call-log sheet, restarts included)."""
    calls = []
    stream = wb._stream_log

    def spy(pkg, info, *args, **kwargs):
        calls.append(info.filename)
        return stream(pkg, info, *args, **kwargs)

    monkeypatch.setattr(wb, "_stream_log", spy)
    return calls


def refresh(path: Path) -> str:
    return refreshed_output(path, AS_OF)


def cell_xfs(path: Path) -> int:
    styles = zip_parts(path)["xl/styles.xml"].decode()
    xfs = re.search(r'<cellXfs count="(\d+)">(.*?)</cellXfs>', styles, re.S)
    assert int(xfs.group(1)) == len(re.findall(r"<xf\b", xfs.group(2)))
    return int(xfs.group(1))


def check_styles(path: Path, fills: list[str]) -> None:
    """Each of our cells keeps its row's fill, Due with our date format, Summary wrapped;
    the file opens in openpyxl and in calamine."""
    ws = openpyxl.load_workbook(path)["Call log"]
    assert [c.value for c in ws[1]][13:17] == ["Status", "Due", "Next action", "Summary"]
    for i, rgb in enumerate(fills):
        r = i + 2
        status, due, summary = ws[f"N{r}"], ws[f"O{r}"], ws[f"Q{r}"]
        assert status.value and isinstance(due.value, datetime) and summary.value, r
        for cell in (status, due, ws[f"P{r}"], summary, ws[f"R{r}"]):
            assert cell.fill.fgColor.rgb == rgb, cell.coordinate
        assert due.number_format == "yyyy-mm-dd", r
        assert summary.alignment.wrap_text, r
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Call log").to_python()
    assert rows[0][13:17] == ["Status", "Due", "Next action", "Summary"]
    assert len(rows) == len(fills) + 1 and all(row[16] for row in rows[1:])


@pytest.mark.parametrize("styles_first", [False, True])
def test_a_first_refresh_into_rows_painted_past_the_log_writes_the_sheet_once(tmp_path: Path, streamed,
                                                                             styles_first: bool):
    fills = [YELLOW if i % 2 else BLUE for i in range(8)]   # banded rows
    path = banded_log(tmp_path / "log.xlsx", fills, styles_first=styles_first)
    order = zip_order(path)
    xfs = cell_xfs(path)
    assert "Added columns N (Status), O (Due), P (Next action), Q (Summary)." in refresh(path)
    assert streamed == ["xl/worksheets/sheet1.xml"]   # once: no second write with the styles made first
    check_styles(path, fills)
    assert zip_order(path)[:len(order)] == order   # styles.xml kept its place, first or not
    # a date-formatted and a wrapping copy of each band's style, and our own ones
    made = cell_xfs(path)
    assert made > xfs + 4
    before = zip_parts(path)
    streamed.clear()
    assert "Nothing changed since the last refresh" in refresh(path)
    assert zip_parts(path) == before and cell_xfs(path) == made   # no copy made again
    assert streamed == ["xl/worksheets/sheet1.xml"]


@pytest.mark.skipif(not may_fork(), reason="the rows are patched in two processes on Linux only")
@pytest.mark.parametrize("styles_first", [False, True])
def test_styles_the_child_needs_get_their_indices_from_the_parent(tmp_path: Path, streamed, monkeypatch,
                                                                styles_first: bool):
    # The rows from the middle on are patched by a forked child (_Split), which cannot add
    # to its parent's styles.xml: it marks the cells of a new style, and the parent gives
    # each its index. Here the child meets the blue band's styles first, then the yellow
    # ones the parent made already; each of our cells must get its own row's style.
    fills = [YELLOW] * 6 + [BLUE, YELLOW, BLUE, YELLOW, BLUE, YELLOW]
    rests = []
    rest = wb._Split.rest

    def spy(self, *args):
        tail = rest(self, *args)
        rests.append(tail is not None)
        return tail

    monkeypatch.setattr(wb, "_BIG_SHEET", 0)
    monkeypatch.setattr(wb, "_SPLIT_FROM", 4)
    monkeypatch.setattr(wb._Split, "rest", spy)
    split = banded_log(tmp_path / "split.xlsx", fills, styles_first=styles_first)
    refresh(split)
    assert rests == [True] and len(streamed) == 1   # the child did its half, in the one write
    check_styles(split, fills)
    assert b"\x00" not in zip_parts(split)["xl/worksheets/sheet1.xml"]

    # the same package as one process patching every row makes
    monkeypatch.setattr(wb, "_SPLIT_FROM", 10**9)
    serial = banded_log(tmp_path / "serial.xlsx", fills, styles_first=styles_first)
    refresh(serial)
    assert rests == [True]
    ours = ("xl/styles.xml", "xl/worksheets/sheet1.xml")
    assert [zip_parts(split)[p] for p in ours] == [zip_parts(serial)[p] for p in ours]
