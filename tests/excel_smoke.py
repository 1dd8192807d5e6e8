"""Smoke test in real Excel, for a Windows or macOS machine that has it (skipped elsewhere).

    python -m pytest tests/excel_smoke.py -v

It builds the add-in, opens it and the sample log in a visible Excel, runs every ribbon
action through the same dispatch the buttons call, and checks what landed in the sheets.
"""
import sys
from datetime import datetime
from pathlib import Path

import pytest

if sys.platform not in ("win32", "darwin"):
    pytest.skip("needs Microsoft Excel (Windows or macOS); this machine has none", allow_module_level=True)

xw = pytest.importorskip("xlwings")

from tracker.addin.build import build_addin  # noqa: E402
from tracker.config import load_config  # noqa: E402
from tracker.excel import ribbon  # noqa: E402
from tracker.excel.actions import ACTIONS  # noqa: E402
from tracker.excel.book import XwBook  # noqa: E402
from tracker.sample import write_sample  # noqa: E402

NOW = datetime(2026, 11, 23, 9, 0)


@pytest.fixture(scope="module")
def excel(tmp_path_factory):
    folder = tmp_path_factory.mktemp("excel")
    try:
        app = xw.App(visible=True, add_book=False)
    except Exception as exc:  # noqa: BLE001
        pytest.skip(f"Excel could not be started: {exc}")
    addin = app.books.open(str(build_addin(folder / "tracker.xlam")))
    log = folder / "calls.xlsx"
    write_sample(log, load_config(), NOW)
    book = app.books.open(str(log))
    yield XwBook(book)
    book.close()
    addin.close()
    app.quit()


@pytest.mark.parametrize("tag", [a.tag for a in ACTIONS if a.tag not in ("settings", "new_call")])
def test_every_action_runs_in_excel(excel, tag, monkeypatch):
    alerts = []
    monkeypatch.setattr(excel, "alert", lambda text, title="Call Tracker": alerts.append(text))
    monkeypatch.setattr(excel, "choose_folder", lambda title: str(Path(excel.path).parent / "exports"))
    message = ribbon.dispatch(tag, book=excel, now=NOW)
    assert alerts == [message]
    assert "went wrong" not in message
    assert not excel.book.app.status_bar   # handed back to Excel after the click


def test_refresh_filled_the_columns_and_sheets(excel):
    ribbon.dispatch("refresh", book=excel, now=NOW)
    names = excel.sheet_names()
    assert {"Chase today", "Reminders", "Stats"} <= set(names)
    header = excel.read_grid("Call log")[0]
    assert "Status" in header and "Due" in header
    # Laid out as the file writer lays them out: drafts wrap in their widths, Stats has
    # its two charts, once, however often it is written.
    chase = excel.book.sheets["Chase today"]
    assert chase.range("H2").wrap_text and round(chase.range("H1").column_width) == 70
    ribbon.dispatch("refresh", book=excel, now=NOW)
    assert len(excel.book.sheets["Stats"].charts) == 2


def test_cell_function_spills_a_column(excel):
    sheet = excel.book.sheets["Call log"]
    last = sheet.used_range.last_cell
    target = sheet.range((1, last.column + 2))
    target.formula2 = f"=TRACKER_STATUS(A1:{last.get_address(False, False)})"
    excel.book.app.calculate()
    values = target.expand("down").value
    assert values[0] == "Status" and len(values) > 100
