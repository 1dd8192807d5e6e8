"""The reader, as an auditor found it after the Status-as-outcome, two-columns and
next-contact-words work: a refresh read the same as the log before it (our summaries of
calls called off, a second Status of the user's, a Status of outcomes and our labels),
problems name the cell a value came from, "this Friday" is this week's, and Japanese
candidates parted by "・"."""
import json
from datetime import date, time
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from tracker.cli import main

pytestmark = pytest.mark.usefixtures("no_user_config")

AS_OF = "2026-12-06T09:00"   # a Sunday


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def book(path: Path, header: list, rows: list[list]) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Calls"
    ws.append(header)
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def reminded_rows(path: Path) -> set[int]:
    r = run("reminders", path, "--as-of", AS_OF, "--to", "2026-12-10", "--format", "json")
    assert r.exit_code == 0, r.output
    return {item["call_row"] for item in json.loads(r.stdout)}


def check(path: Path) -> list[dict]:
    return json.loads(run("check", path, "--format", "json").stdout)


HEADER = ["Date", "Time", "Call type", "Client", "Contact", "Candidates", "Next contact", "SM", "Status"]


def test_a_second_refresh_keeps_our_summaries_of_calls_called_off(tmp_path):
    # Found by an auditor: with the user's outcomes under Status, our summaries of the
    # cancelled interview and the no-show ("Not held: Cancelled", no checklist) were taken
    # for the user's notes by the second refresh: it added "Summary (Call Tracker)" and
    # quoted our old summary in the new ones.
    path = book(tmp_path / "calls.xlsx", HEADER, [
        [date(2026, 12, 8), time(14, 0), "Interview", "Zeta", "Mary", "Anna Li (E1)", None, "Kate", "Cancelled"],
        [date(2026, 12, 9), time(15, 0), "Interview", "Omega", "Tom", "Sam Roe (E2)", None, "Bob", ""],
        [date(2026, 12, 1), time(11, 0), "Interview", "Beta", "Lena", "Petr Ivanov (E3)", None, "Bob", "No show"],
        [date(2026, 11, 20), time(9, 0), "Coffee chat", "Delta", "Eve", "", date(2026, 11, 30), "Bob", "Hired"],
    ])
    ours = ["Status (Call Tracker)", "Due", "Next action", "Summary"]
    written = None
    for _ in range(2):
        r = run("refresh", path, "--as-of", AS_OF)
        assert r.exit_code == 0, r.output
        ws = openpyxl.load_workbook(path)["Calls"]
        assert [c.value for c in ws[1]][9:] == ours
        summaries = [c.value for c in ws["M"][1:]]
        assert summaries[0].startswith("Not held: Cancelled") and not any("Other notes" in (s or "") for s in summaries)
        cells = [[c.value for c in row] for row in ws.iter_rows()]
        assert written is None or cells == written   # the second refresh changed nothing
        written = cells


def test_two_status_columns_of_the_users_read_the_same_before_and_after_refresh(tmp_path):
    # Found by an auditor: after refresh the second Status (K) was taken for a copy of
    # ours, and the interview cancelled there (row 3) was reminded again.
    header = HEADER + ["Comment", "Status"]
    path = book(tmp_path / "calls.xlsx", header, [
        [date(2026, 12, 8), time(14, 0), "Interview", "Zeta", "Mary", "Anna Li (E1)", None, "Kate", "Cancelled", "", None],
        [date(2026, 12, 9), time(15, 0), "Interview", "Omega", "Tom", "Sam Roe (E2)", None, "Bob", None, "", "Cancelled"],
        [date(2026, 11, 20), time(9, 0), "First call", "Delta", "Eve", "", date(2026, 11, 30), "Bob", "Hired", "", "Hired"],
    ])
    for k in range(3):
        assert reminded_rows(path) == set(), k
        [problem] = check(path)
        assert (problem["column"], problem["message"].split(":")[0]) == ("K", 'duplicate column for "outcome"'), k
        assert run("refresh", path, "--as-of", AS_OF).exit_code == 0


def test_a_status_of_outcomes_and_our_labels_reads_the_same_before_and_after_refresh(tmp_path):
    # Found by an auditor: Cancelled, Hired, No show on some rows, Overdue, Due today,
    # Upcoming on others, no Due column. Before refresh it was not read (the cancelled
    # interview, row 2, reminded) and `check` said refresh writes over it, when refresh
    # wrote "Status (Call Tracker)" beside it; after refresh it was read as outcomes.
    path = book(tmp_path / "calls.xlsx", HEADER, [
        [date(2026, 12, 8), time(14, 0), "Interview", "Zeta", "Mary", "Anna Li (E1)", None, "Kate", "Cancelled"],
        [date(2026, 12, 9), time(15, 0), "Interview", "Omega", "Tom", "Sam Roe (E2)", None, "Bob", "Overdue"],
        [date(2026, 12, 1), time(11, 0), "Interview", "Beta", "Lena", "Petr Ivanov (E3)", None, "Bob", "No show"],
        [date(2026, 11, 20), time(9, 0), "First call", "Delta", "Eve", "", date(2026, 11, 30), "Bob", "Hired"],
        [date(2026, 11, 28), time(9, 0), "First call", "Gamma", "Ivy", "", date(2026, 12, 2), "Bob", "Due today"],
        [date(2026, 12, 9), time(10, 0), "Interview", "Kappa", "Joe", "Lee Roy (E9)", None, "Bob", "Upcoming"],
    ])
    said = []
    for k in range(2):
        assert reminded_rows(path) == {3, 7}, k
        problems = check(path)
        assert not any("writes over" in p["message"] for p in problems), k
        said.append([(p["row"], p["column"], p["value"]) for p in problems])
        if not k:
            assert run("refresh", path, "--as-of", AS_OF).exit_code == 0
            assert openpyxl.load_workbook(path)["Calls"]["J1"].value == "Status (Call Tracker)"
    # The same both times: their "Overdue", "Due today", "Upcoming" are no outcomes, said
    # once on the header (test_reader_s), not as mistakes on their cells.
    assert said[0] == said[1] == [(1, "I", "Status")]
    [problem] = check(path)
    assert '("Due today", "Overdue", "Upcoming") are read as no outcome' in problem["message"], problem


def test_a_status_of_the_users_words_with_an_outcome_among_them_is_said(tmp_path):
    # Found by an auditor: a pipeline Status ("Shortlisted", "Offer") with one "Cancelled"
    # was not read, without a word.
    path = book(tmp_path / "calls.xlsx", HEADER, [
        [date(2026, 12, 8), time(14, 0), "Interview", "Zeta", "Mary", "Anna Li (E1)", None, "Kate", "Cancelled"],
        [date(2026, 12, 9), time(15, 0), "Interview", "Omega", "Tom", "Sam Roe (E2)", None, "Bob", "Shortlisted"],
        [date(2026, 11, 20), time(9, 0), "First call", "Delta", "Eve", "", date(2026, 11, 30), "Bob", "Offer"],
        [date(2026, 11, 21), time(9, 0), "First call", "Gamma", "Ivy", "", date(2026, 11, 30), "Bob", "Client interview"],
    ])
    [problem] = check(path)
    assert (problem["row"], problem["column"]) == (1, "I") and '"Cancelled"' in problem["message"]
    assert 'beside this column, as "Status (Call Tracker)"' in problem["message"]
    assert "writes over" not in problem["message"]


def test_problems_name_the_cell_a_value_was_read_from(tmp_path):
    # Found by an auditor: read from the second Date and Comment (I2, J2), the problems
    # named the blank A2 and E2 (and the add-in's Check jumped to empty cells).
    header = ["Date", "Call type", "Client", "Contact", "Comment", "Next contact", "SM", "Outcome", "Date", "Comment"]
    path = book(tmp_path / "calls.xlsx", header, [
        [None, "First call", "Beta", "Ann", "", None, "Bob", "Done", "32.13.2026",
         "Company Name: Beta\nNext Contact Date: 40.12.2026"],
        [None, "Interview", "Gamma", "Ivo", "", None, "Bob", "Planned", "2026-12-09", "Today we interviewed:\nX"],
    ])
    cells = [(p["row"], p["column"]) for p in check(path) if p["row"] == 2]
    assert cells == [(2, "I"), (2, "J")]
    r = run("summary", path, "--row", "2")
    assert "Calls!J2: First call summary is missing" in r.stderr and "Calls!E2" not in r.stderr
    assert "Calls!I2: not a date" in r.stderr and "Calls!A2" not in r.stderr


def test_this_friday_is_the_first_friday_on_or_after_the_call(tmp_path):
    # Found by an auditor: "this Friday" typed on a Friday was read as the Friday after;
    # "call back this Friday", "call back by 25.12" (two lead words) were not read.
    header = ["Date", "Call type", "Contact", "Outcome", "Next contact"]
    path = book(tmp_path / "calls.xlsx", header, [
        [date(2026, 12, 4), "First call", "Fri", "Done", "this Friday"],            # a Friday: that day
        [date(2026, 12, 2), "First call", "Ru", "Done", "в эту пятницу в 15:00"],   # a Wednesday
        [date(2026, 12, 1), "First call", "Zh", "Done", "本周五下午3点"],
        [date(2026, 12, 1), "First call", "Ja", "Done", "今週の金曜 15:00"],
        [date(2026, 12, 1), "First call", "Two", "Done", "call back this Friday"],
        [date(2026, 12, 1), "First call", "By", "Done", "call back by 25.12"],
        [date(2026, 12, 5), "First call", "Sat", "Done", "this Friday"],             # a Saturday: the Friday after
    ])
    r = run("overdue", path, "--as-of", "2026-12-01T08:00", "--all", "--format", "json")
    due = {item["who"]: (item["due"] or "")[:10] for item in json.loads(r.stdout)}
    assert due == {"Fri": "2026-12-04", "Ru": "2026-12-04", "Zh": "2026-12-04", "Ja": "2026-12-04",
                   "Two": "2026-12-04", "By": "2026-12-25", "Sat": "2026-12-11"}
    # A plan is never before its call (test_reader_s: "this Monday" typed on a Wednesday).
    assert not any("before the call" in p["message"] for p in check(path))


def test_candidates_parted_by_nakaguro_are_two_people(tmp_path):
    # Found by an auditor: "清水陽介・石川大輔" was one person (one phone call to confirm,
    # counted once). "・" inside a katakana name stays (ジョン・スミス is one person).
    header = ["日付", "時間", "種別", "クライアント", "担当者", "候補者", "結果", "担当"]
    path = book(tmp_path / "calls.xlsx", header, [
        ["2026/12/08", "14:00", "面接", "株式会社サクラ", "佐藤花子", "清水陽介・石川大輔", "予定", "田中健二"],
        ["2026/12/09", "14:00", "面接", "株式会社ミドリ", "鈴木一郎", "ジョン・スミス", "予定", "田中健二"],
    ])
    r = run("reminders", path, "--as-of", AS_OF, "--to", "2026-12-10", "--format", "json")
    phoned = sorted(name for i in json.loads(r.stdout) if i["channel"] == "phone" for name in i["whom"]["names"])
    r = run("stats", path, "--as-of", AS_OF, "--format", "json")
    [total] = [row for row in json.loads(r.stdout)
               if row["period"] == "*" and row["manager"] == "*" and row.get("file", "*") == "*"]
    assert total["invited"] == 3, total
    assert phoned == sorted(["清水陽介", "石川大輔", "ジョン・スミス"]), phoned
