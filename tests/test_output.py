"""Listings as a terminal shows them and as Excel opens them: tables that fit a window's
width, CSV with the separator and decimal sign of the consultant's Excel. The rows are
the sample log's, read from the workbook (its names in Latin, Chinese and Japanese)."""
import csv
import io
import json

import pytest

from conftest import DEMO_NOW
from tracker import jobs
from tracker.output import NARROWEST, WANTED, of_file, render_listing, text_width, to_csv


@pytest.fixture(scope="module")
def chases(sample_log):
    config = jobs.config_for(None, sample_log)
    log = jobs.read(sample_log, config)
    items = jobs.chase_list(log, config, DEMO_NOW, show_all=True)
    assert len(items) > 10 and any(text_width(f.contact) > len(f.contact) for f in items)   # wide CJK names
    return [jobs.followup_row(config, f, log.language) for f in items]


def _starts(line: str, columns: list[str]) -> list[int]:
    """The screen column where each of `columns`'s header words begins in the header line."""
    return [text_width(line[:line.index(c)]) for c in columns]


@pytest.mark.parametrize("width", [60, 72, 80, 100, 120, 160])
def test_a_table_fits_the_terminal_and_keeps_row_status_and_due(chases, width):
    columns = jobs.FOLLOWUP_COLUMNS
    table = render_listing("table", chases, columns, width=width).splitlines()
    assert max(text_width(line) for line in table) <= width
    assert text_width(table[1]) > width - 2 * NARROWEST   # the width is used, not wasted
    header = table[0].split()
    assert header[:3] == ["row", "status", "due"]
    assert len(table) == len(chases) + 2
    starts = _starts(table[0], header)
    for item, line in zip(chases, table[2:]):
        # Row, status and due date whole, in their columns (CJK names before them count double).
        cells = [line[:i] for i in range(len(line) + 1)]
        for name, start in zip(header[1:], starts[1:]):
            if start >= text_width(line):   # empty to the end
                break
            prefix = next(c for c in cells if text_width(c) >= start)
            # No cell spills into the next column: each begins after the two spaces between them.
            assert text_width(prefix) == start and prefix.endswith("  "), (name, line)
        assert line.split()[:2] == [str(item["row"]), item["status"].split()[0]]
        assert item["due"] in line


def test_the_widest_free_texts_are_cut_first_and_spare_columns_leave_last(chases):
    wide = render_listing("table", chases, jobs.FOLLOWUP_COLUMNS).splitlines()
    assert max(len(line) for line in wide) > 160   # the table as a pipe gets it
    at_120 = render_listing("table", chases, jobs.FOLLOWUP_COLUMNS, width=120).splitlines()
    header = at_120[0].split()
    # The draft message goes first; the action, the point of the line, keeps the most of
    # it (WANTED); the widest other texts are cut to one width (give or take the one left
    # over), no narrower than NARROWEST, the others keep theirs.
    assert "message" not in header and {"who", "client", "call_type", "action"} <= set(header)
    natural = dict(zip(wide[0].split(), (len(d) for d in wide[1].split())))
    width_of = dict(zip(header, (len(d) for d in at_120[1].split())))
    cut = [width_of[c] for c in header if width_of[c] < natural[c] and c != "action"]
    kept = [width_of[c] for c in header if width_of[c] == natural[c] and c in ("who", "client", "call_type")]
    assert len(cut) >= 2 and NARROWEST <= min(cut) and max(cut) - min(cut) <= 1
    assert all(w <= max(cut) for w in kept)
    assert width_of["action"] >= min(natural["action"], WANTED["action"]) and width_of["action"] > max(cut)
    assert any("…" in line for line in at_120[2:])
    at_60 = render_listing("table", chases, jobs.FOLLOWUP_COLUMNS, width=60).splitlines()
    assert at_60[0].split() == ["row", "status", "due", "who", "action"]
    # At 80 columns the action is no longer "Phone: Get i…": the client and call type go
    # first, and the action has what the name leaves.
    at_80 = render_listing("table", chases, jobs.FOLLOWUP_COLUMNS, width=80).splitlines()
    assert at_80[0].split() == ["row", "status", "due", "who", "action"]
    assert [len(d) for d in at_80[1].split()[-2:]] == [NARROWEST, 80 - len(at_80[1].rsplit(" ", 1)[0]) - 1]


def test_in_a_window_too_narrow_row_status_and_due_still_show_whole(chases):
    table = render_listing("table", chases, jobs.FOLLOWUP_COLUMNS, width=20).splitlines()
    for item, line in zip(chases, table[2:]):
        assert line.split()[:2] == [str(item["row"]), item["status"].split()[0]] and item["due"] in line


def test_a_workbook_is_named_by_what_tells_it_apart_and_a_whole_last_column_stays_whole(chases):
    # In a terminal, a path cut to fit left "…/calls.xlsx" of two consultants' calls.xlsx.
    team = "/home/anna/Documents/recruiting/2026/team-logs"
    rows = [*of_file(f"{team}/anna/calls.xlsx", chases[:3]), *of_file(f"{team}/tom/calls.xlsx", chases[:3]),
            *of_file(f"{team}/olga.xlsx", chases[:3])]
    table = render_listing("table", rows, ["file", *jobs.FOLLOWUP_COLUMNS], width=80).splitlines()
    assert max(text_width(line) for line in table) <= 80
    assert [line.split()[0] for line in table[2:]] == ["anna/calls.xlsx"] * 3 + ["tom/calls.xlsx"] * 3 + [
        "olga.xlsx"] * 3
    # Piped or redirected (no width), the paths as given, as ever (their ends, past 48).
    assert render_listing("table", rows, ["file", "row"]).splitlines()[2].startswith("…ments/recruiting/2026/team-logs/anna")
    # `check`'s message is the point of its line: whole, however narrow, starting inside the width.
    problems = [{"sheet": "Call log", "row": c["row"], "column": "Whom to remind", "value": c["message"],
                 "message": f"cannot read it: {c['message']}"} for c in chases]
    lines = render_listing("table", problems, ["sheet", "row", "column", "value", "message"], whole_last=True,
                           width=70).splitlines()
    start = _starts(lines[0], ["message"])[0]
    assert start < 70
    for problem, line in zip(problems, lines[2:]):
        assert line.endswith(" ".join(problem["message"].split()))
        assert text_width(line[:line.index("cannot read it")]) == start


def test_csv_with_a_semicolon_has_decimal_commas_and_reads_back(chases):
    rows = [{"who": c["who"], "days_overdue": c["days_overdue"], "rate": c["row"] / 7, "none": None} for c in chases]
    for sep, delimiter, decimal in ((";", ";", ","), (",", ",", "."), ("tab", "\t", ".")):
        text = to_csv(rows, sep=sep)
        back = list(csv.DictReader(io.StringIO(text), delimiter=delimiter))
        assert [r["who"] for r in back] == [c["who"] for c in chases]
        # (No days overdue is a blank, as on the sheet.)
        assert [int(r["days_overdue"] or 0) for r in back] == [c["days_overdue"] or 0 for c in chases]
        for r, c in zip(back, rows):
            assert r["rate"] == f"{round(c['rate'], 2):g}".replace(".", decimal) and r["none"] == ""
    # JSON stays data for programs: numbers as numbers.
    assert json.loads(render_listing("json", rows, ["who"]))[0]["rate"] == rows[0]["rate"]


def test_csv_and_table_write_dates_as_excel_reads_them_and_json_as_iso(chases):
    """Excel (any language) reads 2026-11-23 and 2026-11-23 09:10 as a date and a time,
    and 2026-11-23T09:10 as a text that neither sorts nor filters as one. A listing's
    dates, alone or in several workbooks' rows (of_file), reach the CSV in Excel's form;
    JSON keeps ISO 8601."""
    from datetime import date, datetime, time

    items = [{"who": c["who"], "day": date(2026, 11, 23), "at": datetime(2026, 11, 23, 9, 10),
              "exact": datetime(2026, 11, 23, 9, 10, 30), "clock": time(14, 0)} for c in chases[:3]]
    columns = ["who", "day", "at", "exact", "clock"]
    for rows in (items, of_file("anna.xlsx", items)):
        back = list(csv.DictReader(io.StringIO(render_listing("csv", rows, columns))))
        assert [(r["day"], r["at"], r["exact"], r["clock"]) for r in back] == \
            [("2026-11-23", "2026-11-23 09:10", "2026-11-23 09:10:30", "14:00")] * 3
        assert [r["who"] for r in back] == [c["who"] for c in chases[:3]]
        assert "2026-11-23 09:10" in render_listing("table", rows, columns).splitlines()[2]
        data = json.loads(render_listing("json", rows, columns))
        assert (data[0]["day"], data[0]["at"], data[0]["clock"]) == ("2026-11-23", "2026-11-23T09:10:00", "14:00:00")
