"""The reader, as a reviewer found it: "через месяц" on a call in Dec 9999, a user's
Status of words read as the outcome, a refresh's and the reader's one rule for whose
Status it is, "this Monday" never in the past, duplicate columns merged per field."""
import json
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from test_reader_m import book, run

pytestmark = pytest.mark.usefixtures("no_user_config")


def check(path: Path) -> list[dict]:
    r = run("check", path, "--format", "json")
    assert r.exit_code in (0, 1), r.output
    return json.loads(r.stdout)


def test_a_month_after_a_call_in_december_9999_is_a_problem_not_a_crash(tmp_path):
    # Found by a reviewer: every command exited 2, "year 10000 is out of range".
    header = ["Date", "Call type", "Contact", "Outcome", "Next contact"]
    path = book(tmp_path / "calls.xlsx", header, [
        ["31.12.9999", "First call", "Bob", "Done", "через месяц"],
        ["15.11.9999", "First call", "Ann", "Done", "in 2 months"],
        ["31.01.2026", "First call", "Mo", "Done", "in a month"],
    ])
    problems = check(path)
    cells = {(p["row"], p["column"]) for p in problems if not p["read"]}
    assert cells == {(2, "E"), (3, "E")}, problems
    r = run("overdue", path, "--as-of", "2026-12-06T09:00", "--all", "--format", "json")
    assert r.exit_code == 0, r.output
    due = {item["who"]: (item["due"] or "")[:10] for item in json.loads(r.stdout)}
    assert due["Mo"] == "2026-02-28", due


def test_this_monday_is_never_before_the_call_but_this_weeks_monday_is_as_written(tmp_path):
    # Found by a reviewer: "this Monday" on Wed 02.12.2026 was 30.11, overdue when logged:
    # said of a plan, it is the coming Monday. 本周一, 今週の月曜 say "this week's" outright
    # (a second review): that Monday as written, past, so the chase shows overdue rather
    # than hide until next week's Monday (下周一).
    header = ["Date", "Call type", "Contact", "Outcome", "Next contact"]
    path = book(tmp_path / "calls.xlsx", header, [
        [date(2026, 12, 2), "First call", "Bob", "Done", "this Monday"],
        [date(2026, 12, 2), "First call", "Li", "Done", "本周一"],
        [date(2026, 12, 2), "First call", "Ru", "Done", "в этот понедельник"],
        [date(2026, 12, 2), "First call", "Wed", "Done", "this Wednesday"],   # its own day
        [date(2026, 12, 2), "First call", "Ja", "Done", "今週の金曜"],
    ])
    r = run("overdue", path, "--as-of", "2026-12-02T18:00", "--all", "--format", "json")
    due = {item["who"]: (item["due"] or "")[:10] for item in json.loads(r.stdout)}
    assert due == {"Bob": "2026-12-07", "Li": "2026-11-30", "Ru": "2026-12-07", "Wed": "2026-12-02",
                   "Ja": "2026-12-04"}, due
    said = [p["message"] for p in check(path)]
    assert any("the first Monday on or after this row's call" in m for m in said), said
    assert any("the Monday of this row's call's week" in m for m in said), said


def refreshed_and_typed_over(tmp_path: Path, rows: int) -> Path:
    header = ["Date", "Time", "Call type", "Client", "Contact", "Candidates", "Next contact", "Comment"]
    path = book(tmp_path / "calls.xlsx", header, [
        [date(2026, 11, i), "10:00", "First call", "Acme", f"Bob{i}", "", date(2026, 12, i + 2), ""]
        for i in range(1, rows + 1)])
    assert run("refresh", path, "--as-of", "2026-12-06T09:00").exit_code == 0
    wb = openpyxl.load_workbook(path)
    ws = wb["Calls"]
    assert [c.value for c in ws[1]][8:12] == ["Status", "Due", "Next action", "Summary"]
    ws["I3"] = ws["I4"] = "Cancelled"   # typed over two of our statuses
    return path, wb, ws


@pytest.mark.parametrize("moved", ["inserted", "deleted"])
def test_our_status_with_a_few_cells_typed_over_stays_ours_when_columns_moved(tmp_path, moved):
    # Found by a reviewer: our Status, "Cancelled" typed into two cells, a column put
    # between Due and Next action (or Next action and Summary deleted): check listed our
    # labels as "unknown outcome" and refresh wrote "Status (Call Tracker)" beside it.
    path, wb, ws = refreshed_and_typed_over(tmp_path, 20 if moved == "inserted" else 8)
    if moved == "inserted":
        ws.insert_cols(11)
        ws["K1"] = "My notes"
    else:
        ws.delete_cols(11, 2)
    wb.save(path)
    problems = check(path)
    assert not any("outcome" in p["message"] and not p["read"] for p in problems), problems
    r = run("overdue", path, "--as-of", "2026-12-06T09:00", "--format", "json")
    assert r.exit_code == 0, r.output
    assert run("refresh", path, "--as-of", "2026-12-06T09:00").exit_code == 0
    ws = openpyxl.load_workbook(path)["Calls"]
    headers = [c.value for c in ws[1]]
    assert "Status (Call Tracker)" not in headers and "Due (Call Tracker)" not in headers, headers
    assert ws["I3"].value == ws["I4"].value == "Overdue"   # written over again, as ours
    assert not any("outcome" in p["message"] and not p["read"] for p in check(path))


def test_a_users_status_read_as_the_outcome_reads_its_other_words_as_none(tmp_path):
    # Found by a reviewer: a pipeline Status (Shortlisted, Offer, Hired, Rejected...) with
    # no Outcome column was read as outcomes, each word of the pipeline an "unknown
    # outcome" and cells "left out" of overdue; a number likewise.
    header = ["Date", "Time", "Call type", "Client", "Contact", "Candidates", "Status", "Next contact"]
    path = book(tmp_path / "calls.xlsx", header, [
        ["01.12.2026", "10:00", "Interview", "Acme", "Bob", "Ann Bell (E1)", "Shortlisted", "08.12.2026"],
        ["02.12.2026", "11:00", "First call", "Acme", "Bob", "", "Offer", "05.12.2026"],
        ["03.12.2026", "12:00", "Interview", "Beta", "Ivan", "Petr (E2)", "Hired", "10.12.2026"],
        ["04.12.2026", "12:00", "First call", "Beta", "Petr", "", "Rejected", "01.12.2026"],
        ["10.12.2026", "12:00", "Interview", "Beta", "Li", "Kim (E3)", "Cancelled", ""],
        ["11.12.2026", "12:00", "Interview", "Beta", "Li", "Kim (E4)", 3, ""],
    ])
    [said] = check(path)
    assert (said["row"], said["column"], said["read"]) == (1, "G", True), said
    assert '("3", "Offer", "Shortlisted") are read as no outcome' in said["message"], said
    r = run("overdue", path, "--as-of", "2026-12-06T09:00", "--format", "csv")
    assert r.exit_code == 0 and "left out" not in r.stderr, r.output
    # The cancelled interview (row 6) is reminded of no more; the one of row 7 still is.
    r = run("reminders", path, "--as-of", "2026-12-09T09:00", "--to", "2026-12-12", "--format", "json")
    assert {item["call_row"] for item in json.loads(r.stdout)} == {7}, r.output


def test_a_russian_status_of_outcomes_alone_is_read_without_a_word_and_with_other_words_said(tmp_path):
    # A Статус of outcomes alone is read as the outcome, nothing to look at (a note on
    # every check would never go away); with words that are no outcome, said once.
    header = ["Дата", "Вид звонка", "Контакт", "Статус", "Следующий контакт"]
    rows = [["01.12.2026", "Первый звонок", "Иван", "Состоялся", "05.12.2026"],
            ["02.12.2026", "Собеседование", "Пётр", "Отменено", "07.12.2026"]]
    assert check(book(tmp_path / "calls.xlsx", header, rows)) == []
    rows.append(["03.12.2026", "Первый звонок", "Олег", "Шорт-лист", "08.12.2026"])
    [said] = check(book(tmp_path / "more.xlsx", header, rows))
    assert (said["row"], said["column"], said["value"], said["read"]) == (1, "D", "Статус", True), said
    assert "read as the outcome" in said["message"] and '"Шорт-лист"' in said["message"], said


def test_a_second_contact_column_is_not_read_on_a_row_where_the_first_is_blank(tmp_path):
    # Found by a reviewer: "Contact | Contact" (the second their phone): a row with no name
    # chased the phone number as its contact. Notes and dates still merge per row.
    header = ["Date", "Call type", "Contact", "Contact", "Next contact", "Comment", "Comment"]
    path = book(tmp_path / "calls.xlsx", header, [
        ["01.12.2026", "First call", "Bob", "+7 999 1234567", "05.12.2026", "", "Sent CVs"],
        ["01.12.2026", "First call", "", "+7 999 7654321", "04.12.2026", "", ""],
    ])
    r = run("overdue", path, "--as-of", "2026-12-06T09:00", "--format", "json")
    who = {item["row"]: item["who"] for item in json.loads(r.stdout)}
    assert who[2] == "Bob" and "7654321" not in (who[3] or ""), who
    said = {p["column"]: p for p in check(path)}
    assert said["D"]["message"].startswith('duplicate column for "contact": column C is used on every row'), said
    assert said["G"]["read"] and "or this one on a row where F is blank" in said["G"]["message"], said


def test_refresh_writes_the_columns_of_the_configs_written(tmp_path):
    # jobs.WRITTEN was a copy of columns.yaml `written`: a tracker.yaml's was not used.
    (tmp_path / "tracker.yaml").write_text("written: [status, due]\n", encoding="utf-8")
    header = ["Date", "Call type", "Contact", "Outcome", "Next contact"]
    path = book(tmp_path / "calls.xlsx", header, [[date(2026, 12, 1), "First call", "Bob", "Done", date(2026, 12, 8)]])
    r = run("refresh", path, "--as-of", "2026-12-06T09:00")
    assert r.exit_code == 0, r.output
    ws = openpyxl.load_workbook(path)["Calls"]
    assert [c.value for c in ws[1]] == header + ["Status", "Due"], r.output
