"""tracker.log: rows inside or under the log that are no calls though they are not in its
first column (tester 7): a month's heading beside its date, a totals row whose word is in
another column ("TOTAL" over a count), and a legend of our Status labels typed under the
log, which refresh kept clearing. Real workbooks written with openpyxl, read back through
the reader and refreshed through the CLI."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from tracker.cli import main
from tracker.config import load_config
from tracker.log import read_log
from workbooks import rows_book

D = dt.datetime
AS_OF = "2026-11-20T09:00"
HEADER = ["ID", "Date", "Call type", "Client", "Contact", "Candidates", "Next contact", "Comment"]

pytestmark = pytest.mark.usefixtures("no_user_config")


@pytest.fixture
def config(no_user_config):
    return load_config()


def _cli(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def _call(i: int, day: int) -> list:
    return [i, D(2026, 11, day), "First call", "Acme", f"Person {i}", None, D(2026, 11, day + 3), "Discussed the role."]


def _log(path: Path, *extra: dict[str, object]) -> Path:
    """Three calls (rows 2-4), then one row per `extra` ({header: value}) from row 5."""
    rows = [HEADER, _call(1, 10), _call(2, 12), _call(3, 13)]
    rows += [[cells.get(h) for h in HEADER] for cells in extra]
    return rows_book(path, rows, title="Calls")


def _status_of(path: Path, row: int):
    ws = openpyxl.load_workbook(path)["Calls"]
    header = [c.value for c in ws[1]]
    return ws.cell(row, header.index("Status") + 1).value


@pytest.mark.parametrize("label", ["December 2026", "Декабрь 2026", "2026年12月", "--- Dec 2026 ---"])
def test_a_month_heading_beside_its_date_is_no_call(tmp_path, config, label):
    # Found by tester 7: "2026-12-01" in the Date column and "December 2026" beside it,
    # nothing else of a call, was a call: refresh gave it "Upcoming" and a next action.
    path = _log(tmp_path / "log.xlsx", {"Date": D(2026, 12, 1), "Client": label}, {"ID": 4, **dict(zip(
        HEADER[1:], _call(4, 16)[1:]))})
    log = read_log(path, config)
    assert [r.row for r in log.records] == [2, 3, 4, 6]
    # Its own month beside it: evidently a heading, dropped without a word (a log kept by
    # month made `check` exit 1 on every heading); another month's date is still said
    # (tests/test_check_b8.py).
    assert log.problems == []
    r = _cli("refresh", path, "--as-of", AS_OF)
    assert r.exit_code == 0, r.output
    assert "Refreshed 4 calls" in r.output
    assert _status_of(path, 5) is None and _status_of(path, 6)


@pytest.mark.parametrize("cells", [
    {"Client": "TOTAL", "Candidates": 3},
    {"Client": "Total: 3 calls"},
    {"Contact": "Итого:", "Candidates": 3},
    {"Contact": "合計", "Candidates": 3},
    {"Date": D(2026, 11, 30), "Client": "Total", "Candidates": 3},
], ids=["TOTAL-count", "total-in-words", "itogo", "gokei", "dated"])
def test_a_totals_row_with_its_word_in_another_column_is_no_call(tmp_path, config, cells):
    # Found by tester 7: "Total" in column E (the client's) was a call "without a date";
    # the words are columns.yaml `totals`, each a cell's whole text or before its number.
    path = _log(tmp_path / "log.xlsx", cells)
    log = read_log(path, config)
    assert [r.row for r in log.records] == [2, 3, 4]
    dated = "Date" in cells
    assert [(p.row, p.message, p.read) for p in log.problems] == ([(
        5, 'read as a totals row, not a call ("Total" beside its date); if it is a call, write its call type',
        True)] if dated else [])
    checked = _cli("check", path)
    assert f"3 calls, {1 if dated else 0} problem" in checked.output, checked.output
    r = _cli("refresh", path, "--as-of", AS_OF)
    assert r.exit_code == 0, r.output
    assert _status_of(path, 5) is None


@pytest.mark.parametrize("cells", [
    {"Date": D(2026, 11, 16), "Contact": "June"},              # a person's name that is a month's
    {"Date": D(2026, 11, 16), "Contact": "May", "Candidates": 2},
    {"Date": D(2026, 11, 16), "Client": "Total Energies"},     # a client starting with a totals word
    {"Date": D(2026, 11, 16), "Comment": "December 2026 budget: call back"},
    {"Date": D(2026, 11, 16), "Comment": "ok"},
    {"Date": D(2026, 11, 16)},
    {"Client": "Total Energies"},                              # no date: a call to be dated
    {"Date": "31.11.2026", "Client": "Total"},                 # a wrong date: said
    # Found by a reviewer: a totals word as a name's first word made a count of a number.
    {"Date": D(2026, 11, 16), "Contact": "Sum Wing", "Candidates": 2},
    {"Date": D(2026, 11, 16), "Client": "Total Energies", "Candidates": 2},
    {"Date": D(2026, 11, 16), "Client": "Grand Total Ltd", "Candidates": 2},
    {"Client": "Sum Wing", "Candidates": 2},
    {"Client": "Total calls", "Candidates": 3},                # words after the word: a name's
], ids=["june", "may-count", "total-energies", "december-note", "short-note", "date-only",
        "undated-client", "wrong-date", "sum-wing-count", "total-energies-count", "grand-total-ltd",
        "undated-sum-wing", "total-calls"])
def test_a_row_with_a_date_and_a_name_or_a_note_stays_a_call(tmp_path, config, cells):
    path = _log(tmp_path / "log.xlsx", cells)
    log = read_log(path, config)
    assert [r.row for r in log.records] == [2, 3, 4, 5]
    assert not [p for p in log.problems if p.message.startswith("read as")]


def test_a_dated_row_with_a_name_and_a_phone_number_is_a_call(tmp_path):
    # Found by a reviewer: a dated row without a call type, contact "Sum Wing" (a Cantonese
    # name, and "sum" a totals word) and a phone "2345 6789" was no call, unsaid: check went
    # from 4 calls to 3. So was "Total Energies" with its number, nothing else typed; and
    # "Total", the company's old name: a phone number is a contact's, never a count.
    rows = [["Date", "Time", "Call type", "Client", "Contact", "Phone", "Outcome", "Next contact", "Comment"],
            [D(2026, 11, 16), "10:00", "First call", "Acme", "Olga Ivanova", "+7 912 345 67 89", "Done",
             D(2026, 11, 20), "Company Name: Acme"],
            [D(2026, 11, 17), None, None, "Total Energies", None, "+33 1 47 44 45 46"],
            [D(2026, 11, 17), None, None, None, "Sum Wing", "2345 6789"],
            [D(2026, 11, 17), None, None, "Total", None, "+33 1 47 44 45 46"],
            [D(2026, 11, 18), None, None, None, "Sum", None, None, D(2026, 11, 19)]]
    path = rows_book(tmp_path / "log.xlsx", rows, title="Calls")
    checked = _cli("check", path)
    assert "5 calls, 0 problems" in checked.output, checked.output
    r = _cli("overdue", path, "--all", "--as-of", "2026-11-19T09:00", "--format", "json")
    assert sorted(f["row"] for f in json.loads(r.stdout)) == [2, 3, 4, 5, 6]


# Found by tester 7: a legend typed under the log in our Status and Due cells, with our
# own labels ("Overdue" over "red: past its due date"), was cleared by the next refresh,
# which took it for what an earlier refresh wrote on a call deleted since.
def test_a_legend_of_our_labels_under_the_log_is_kept_and_a_deleted_call_cleared(tmp_path, config):
    path = _log(tmp_path / "log.xlsx", {"ID": 4, **dict(zip(HEADER[1:], _call(4, 16)[1:]))})
    assert _cli("refresh", path, "--as-of", AS_OF).exit_code == 0
    wb = openpyxl.load_workbook(path)
    ws = wb["Calls"]
    header = [c.value for c in ws[1]]
    status = header.index("Status") + 1
    assert header[status - 1:status + 1] == ["Status", "Due"] and ws.cell(5, status).value == "Overdue"
    for c in range(1, len(HEADER) + 1):   # the last call deleted, but for our columns
        ws.cell(5, c).value = None
    legend = [("Overdue", "red: past its due date"), ("Due today", "amber"), ("Done", "grey: nothing to do")]
    for r, (label, meaning) in enumerate(legend, start=7):
        ws.cell(r, status).value, ws.cell(r, status + 1).value = label, meaning
    wb.save(path)
    assert read_log(path, config).written_to == 5

    r = _cli("refresh", path, "--as-of", AS_OF)
    assert r.exit_code == 0, r.output
    ws = openpyxl.load_workbook(path)["Calls"]
    assert [(ws.cell(r, status).value, ws.cell(r, status + 1).value) for r in (7, 8, 9)] == legend
    assert all(ws.cell(5, c).value is None for c in range(status, status + 4))
    assert ws.cell(4, status).value
