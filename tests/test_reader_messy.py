"""Messy real-world logs (tester 21b): a user's own Summary column, calls cleared but for
the columns refresh wrote, and rows under or inside the log that are not calls (a
month's band, notes, a totals row, another table below, a comment's next line)."""
from datetime import datetime
from pathlib import Path

import openpyxl
from click.testing import CliRunner
from openpyxl.styles import Font

from tracker.cli import main
from tracker.config import load_config
from tracker.jobs import read

AS_OF = "2026-12-05T10:00"
HEADER = ["Date", "Call type", "Client", "Contact", "Outcome", "Next contact", "SM", "Comment"]


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def call(day: int, kind: str = "Repeat call", client: str = "Acme", note: str = "") -> list:
    return [datetime(2026, 11, day), kind, client, "John Doe", "Done", datetime(2026, 12, day % 28 + 1),
            "Kate", note or f"Call on the {day}th: discussed the role."]


def save(path: Path, rows: list[list], header=HEADER, merge: list[int] = ()) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Calls"
    ws.append(header)
    for row in rows:
        ws.append(row)
    for r in merge:   # a band of text across the log's columns
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=len(header))
        ws.cell(r, 1).font = Font(bold=True)
    wb.save(path)
    return path


def test_a_users_own_summary_column_feeds_the_summary_on_every_refresh(tmp_path):
    # Found by tester 21b: the first refresh put ours beside the user's "Summary" and
    # made the summaries from the notes alone; the second read the user's column as one
    # of theirs, fed it in, and wrote every summary again.
    rows = [[*call(d), f"Client keen, budget ok ({d})" if d % 2 else None] for d in range(2, 12)]
    path = save(tmp_path / "log.xlsx", rows, header=[*HEADER, "Summary"])
    first = run("refresh", path, "--as-of", AS_OF)
    assert first.exit_code == 0, first.output
    ws = openpyxl.load_workbook(path)["Calls"]
    header = [c.value for c in ws[1]]
    assert header[8] == "Summary" and "Summary (Call Tracker)" in header
    ours = header.index("Summary (Call Tracker)") + 1
    assert [ws.cell(r, 9).value for r in range(2, 12)] == [row[8] for row in rows]   # theirs, untouched
    keen = ws.cell(3, ours).value            # row 3: the call of the 3rd, with a one-liner
    assert "Summary: Client keen, budget ok (3)" in keen and "Call on the 3th: discussed the role." in keen
    plain = ws.cell(2, ours).value           # row 2: no one-liner, the notes are the summary
    assert "Summary: Call on the 2th: discussed the role." in plain and "Client keen" not in plain
    before = path.read_bytes()
    second = run("refresh", path, "--as-of", AS_OF)
    assert second.exit_code == 0, second.output
    assert "Nothing changed since the last refresh" in second.output
    assert path.read_bytes() == before


def test_our_own_summary_column_is_not_read_as_the_users(tmp_path):
    # Our Summary (headed "Summary" in a log that had none) is ours: never fed back in.
    path = save(tmp_path / "log.xlsx", [call(d) for d in range(2, 8)])
    assert run("refresh", path, "--as-of", AS_OF).exit_code == 0
    log = read(path, load_config())
    assert "summary" in log.field_columns
    assert all("Summary" not in r.extra for r in log.records)
    again = run("refresh", path, "--as-of", AS_OF)
    assert "Nothing changed since the last refresh" in again.output


def test_a_row_holding_only_what_refresh_wrote_is_no_call(tmp_path):
    # Found by tester 21b: the user cleared the calls' cells (A:H) of three rows; the
    # Status, Due, Next action and Summary an earlier refresh wrote kept them counted.
    path = save(tmp_path / "log.xlsx", [call(d) for d in range(2, 12)])
    assert run("refresh", path, "--as-of", AS_OF).exit_code == 0
    wb = openpyxl.load_workbook(path)
    ws = wb["Calls"]
    assert [c.value for c in ws[1]][8:] == ["Status", "Due", "Next action", "Summary"]
    for r in (4, 10, 11):
        assert ws.cell(r, 9).value and ws.cell(r, 12).value
        for c in range(1, 9):
            ws.cell(r, c).value = None
    wb.save(path)
    log = read(path, load_config())
    assert [r.row for r in log.records] == [2, 3, *range(5, 10)]
    assert not log.problems
    # Rows 10 and 11, under the last call, hold what refresh wrote: its to clear (the
    # write-back clears only up to the last call's row, WritePlan.last_data_row).
    assert log.written_to == 11
    done = run("refresh", path, "--as-of", AS_OF)
    assert done.exit_code == 0, done.output
    assert "Refreshed 7 calls" in done.output
    ws = openpyxl.load_workbook(path)["Calls"]
    # Row 4, among the calls, has its old values cleared by the write-back; rows 10 and
    # 11, under the last call now, too (refresh_plan); and "7 calls: ... " counts no blank.
    for r in (4, 10, 11):
        assert [ws.cell(r, c).value for c in range(9, 13)] == [None] * 4, r
    assert "None" not in done.output
    again = run("refresh", path, "--as-of", AS_OF)
    assert "Nothing changed since the last refresh" in again.output, again.output


def test_month_bands_notes_and_a_totals_row_are_not_calls(tmp_path):
    rows = [["November 2026"], call(2), call(3), [None] * 8, ["December 2026"],
            [datetime(2026, 12, 1), None, None, "Jane Roe"],   # a call with few cells: still one
            call(4), ["Total", 3, None, None, None, None, None, None],
            [None] * 8, ["Notes:"], ["Remember to update the CRM every Friday"]]
    path = save(tmp_path / "log.xlsx", rows, merge=[2, 6])
    log = read(path, load_config())
    assert [r.row for r in log.records] == [3, 4, 7, 8]
    assert [(p.row, p.read) for p in log.problems] == [(11, True)]
    assert "ends above this row: rows 11 to 12" in log.problems[0].message
    checked = run("check", path)
    assert "4 calls, 1 problem" in checked.output


def test_a_call_with_only_a_mistyped_date_is_still_said(tmp_path):
    # "31.11.2026" alone is a call whose date is wrong, not a heading.
    path = save(tmp_path / "log.xlsx", [call(2), ["31.11.2026"], call(3)])
    log = read(path, load_config())
    assert [r.row for r in log.records] == [2, 3, 4]
    assert [(p.row, p.column, p.read) for p in log.problems] == [(3, "A", False)]


def test_another_table_under_a_title_below_the_log_ends_it(tmp_path):
    rows = [call(d) for d in range(2, 7)] + [[None] * 8, [None] * 8, ["Monthly targets"],
                                              ["Month", "Calls target", "Interviews target", "Hires target"],
                                              ["Nov", 120, 20, 3], ["Dec", 120, 20, 3]]
    path = save(tmp_path / "log.xlsx", rows)
    log = read(path, load_config())
    assert [r.row for r in log.records] == list(range(2, 7))
    assert [(p.row, p.read) for p in log.problems] == [(9, True)]
    assert "rows 9 to 12" in log.problems[0].message


def test_a_header_repeated_below_is_skipped_and_the_calls_under_it_read(tmp_path):
    rows = [call(2), call(3), HEADER, call(4)]
    log = read(save(tmp_path / "log.xlsx", rows), load_config())
    assert [r.row for r in log.records] == [2, 3, 5]
    assert not log.problems


def test_a_comment_alone_under_a_call_is_a_call_and_said(tmp_path):
    rows = [call(2), [None] * 7 + ["(cont.) client also asked about relocation"], call(3)]
    log = read(save(tmp_path / "log.xlsx", rows), load_config())
    assert [r.row for r in log.records] == [2, 3, 4]
    assert [(p.row, p.column, p.read) for p in log.problems] == [(3, "H", True)]
    assert "comment of row 2" in log.problems[0].message


def test_a_lone_cell_in_a_log_without_a_date_column_is_still_a_call(tmp_path):
    # Seed 002's log has no date: its first column is the call type, and a row holding
    # only a call type we do not know is a call whose type is said, not a heading.
    header = ["Вид Звонка", "Цель звонка", "Комментарии к звонку", "Действия после звонка", "Кому напомнить о звонке"]
    rows = [["Первый звонок", "знакомство", "Company Name: Acme", "", ""], ["Звонок клиенту"],
            ["Собеседование", "", "Today we interviewed:", "", ""]]
    log = read(save(tmp_path / "log.xlsx", rows, header=header), load_config())
    assert [r.row for r in log.records] == [2, 3, 4]
    assert [(p.row, p.column) for p in log.problems] == [(3, "A")]
