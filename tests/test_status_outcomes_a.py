"""A user's own "Status" column holding call outcomes ("Cancelled", "No show", "Hired",
"Отменено") in a log with no Outcome column is read as the outcome, before a refresh and
after it (when ours stands beside it as "Status (Call Tracker)"); a Status refresh wrote,
a few cells typed over with outcomes, stays ours."""
import json
from datetime import date, datetime, time
from pathlib import Path

import openpyxl
import pytest
from test_reader_m import book, reminded_rows, run

from tracker.config import load_config
from tracker.log import parse_grid

pytestmark = pytest.mark.usefixtures("no_user_config")

AS_OF = "2026-12-06T09:00"
HEADER = ["Date", "Time", "Call type", "Client", "Contact", "Candidates", "Next contact", "SM", "Status"]
CALLS = [
    # The interview on Tuesday was cancelled: nobody to remind, no call to confirm it.
    [date(2026, 12, 8), time(14, 0), "Interview", "Zeta", "Mary Poppins", "Anna Li (E1)", None, "Kate", "Cancelled"],
    # This one stands: its candidate is called the day before.
    [date(2026, 12, 9), time(15, 0), "Interview", "Omega", "Tom", "Sam Roe (E2)", None, "Bob", ""],
    # Last week's interview: the candidate did not come.
    [date(2026, 12, 1), time(11, 0), "Interview", "Beta", "Lena", "Petr Ivanov (E3)", None, "Bob", "No show"],
    # Hired: no contact owed, whatever the Next contact said.
    [date(2026, 11, 20), time(9, 0), "First call", "Delta", "Eve", "", date(2026, 11, 30), "Bob", "Hired"],
]


def users_log(path: Path) -> Path:
    return book(path, HEADER, CALLS)


def overdue_rows(path: Path) -> dict[int, str]:
    r = run("overdue", path, "--as-of", AS_OF, "--all", "--format", "json")
    assert r.exit_code == 0, r.output
    return {item["row"]: item["status"] for item in json.loads(r.stdout)}


def interview_totals(path: Path) -> dict:
    r = run("stats", path, "--as-of", AS_OF, "--format", "json")
    assert r.exit_code == 0, r.output
    [total] = [row for row in json.loads(r.stdout)
               if row["period"] == "*" and row["manager"] == "*" and row.get("file", "*") == "*"]
    return total


def test_a_users_status_column_of_outcomes_is_read_as_the_outcome_before_and_after_refresh(tmp_path):
    path = users_log(tmp_path / "calls.xlsx")
    for refreshed in (False, True, True):
        if refreshed:
            r = run("refresh", path, "--as-of", AS_OF)
            assert r.exit_code == 0, r.output
            ws = openpyxl.load_workbook(path)["Calls"]
            # Ours beside theirs; their values as they typed them.
            assert [c.value for c in ws[1]][8:10] == ["Status", "Status (Call Tracker)"]
            assert [c.value for c in ws["I"][1:]] == [call[8] or None for call in CALLS]
            assert [c.value for c in ws["J"][1:]][3] == "Done"   # hired
        # Rows 2 to 5: the cancelled interview (row 2) is reminded of no more.
        assert reminded_rows(path) == {3}, refreshed
        # Hired (row 5) owes no contact, the cancelled interview no call the day before.
        assert overdue_rows(path) == {2: "no_next_action", 3: "upcoming", 4: "no_next_action"}, refreshed
        totals = interview_totals(path)
        # Petr did not come; Anna's interview was called off (no attendance either way).
        assert (totals["no_show"], totals["attended"]) == (1, 0), (refreshed, totals)
        # Outcomes alone: read as the outcome, nothing to say (log._status_read_as_outcome).
        r = run("check", path)
        assert r.exit_code == 0 and "outcome" not in r.stdout, (refreshed, r.output)


def test_outcomes_under_status_in_russian_and_japanese_are_read(tmp_path):
    config = load_config()
    grid = [["Дата", "Вид звонка", "Контакт", "Статус"],
            ["20.11.2026", "Интервью", "Анна", "Отменено"],
            ["21.11.2026", "Интервью", "Пётр", "Неявка"],
            ["22.11.2026", "Первый звонок", "Иван", ""]]
    log = parse_grid(grid, "Log", config)
    assert log.problems == []
    assert [r.outcome for r in log.records] == ["cancelled", "no_show", ""]
    assert "status" not in log.field_columns and log.field_columns["outcome"] == 3
    # After a refresh, ours beside theirs: each read as its own.
    beside = [row[:4] + [s] for row, s in zip(grid, ["Статус (Call Tracker)", "Готово", "Готово", "Нет следующего шага"])]
    log = parse_grid(beside, "Log", config)
    assert log.problems == []
    assert [r.outcome for r in log.records] == ["cancelled", "no_show", ""]
    assert (log.field_columns["outcome"], log.field_columns["status"]) == (3, 4)
    grid = [["日付", "種別", "担当者", "ステータス"], ["2026/11/20", "面接", "田中", "キャンセル"]]
    assert [r.outcome for r in parse_grid(grid, "Log", config).records] == ["cancelled"]


def test_a_status_column_of_the_users_own_words_or_of_ours_is_not_read_as_outcomes():
    config = load_config()
    head = ["Date", "Call type", "Contact", "Status"]
    # Their own words, not outcomes: one of their columns after a refresh, as before.
    theirs = [head, ["20.11.2026", "Interview", "Anna", "hot lead"], ["21.11.2026", "Interview", "Petr", "cold"]]
    log = parse_grid(theirs, "Log", config)
    assert "outcome" not in log.field_columns and log.problems == []
    # The Status refresh wrote, one cell typed over with an outcome: still ours (refresh
    # writes over that cell), and the cell is said.
    ours = [head + ["Due", "Next action", "Summary"]] + [
        [f"{20 + i}.11.2026", "Interview", f"P{i}", s, due, "", ""]
        for i, (s, due) in enumerate([("Done", ""), ("Overdue", datetime(2026, 11, 24)),
                                      ("Cancelled", datetime(2026, 11, 25)), ("No next action", "")])]
    log = parse_grid(ours, "Log", config)
    assert "outcome" not in log.field_columns and log.field_columns["status"] == 3
    [problem] = log.problems
    assert problem.column == "D" and '"Cancelled"' in problem.message and "refresh writes over them" in problem.message
    # Not laid out as refresh writes them, but beside a Due, one cell of four typed over:
    # ours as refresh judges it (jobs._users_status). (Without a Due column, refresh takes
    # it for the user's and writes beside it: read as theirs, tests/test_reader_m.py.)
    moved = [row[:5] for row in ours]
    log = parse_grid(moved, "Log", config)
    assert "outcome" not in log.field_columns and log.field_columns["status"] == 3
    # An Outcome column of their own beside it: Status is ours, as ever.
    both = [row + [o] for row, o in zip(theirs, ["Outcome", "Done", "Done"])]
    assert parse_grid(both, "Log", config).field_columns["outcome"] == 4


def test_a_second_status_column_of_outcomes_beside_a_first_of_statuses_is_the_outcome():
    # Their hand-kept statuses first, their outcomes in a second "Status": the second is
    # read as the outcome, and no duplicate is said (each column is read as its own).
    config = load_config()
    grid = [["Date", "Call type", "Contact", "Status", "Status"],
            ["20.11.2026", "Interview", "Anna", "Upcoming", "Cancelled"],
            ["21.11.2026", "First call", "Petr", "Overdue", "Hired"]]
    log = parse_grid(grid, "Log", config)
    assert (log.field_columns["status"], log.field_columns["outcome"]) == (3, 4)
    assert [r.outcome for r in log.records] == ["cancelled", "hired"] and log.problems == []
