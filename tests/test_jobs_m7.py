"""What refresh and the listings show, read back from the file: a whole-day call's time on
the Reminders sheet, the last message's window in Chase today and `overdue`, and what a
refresh clears under the log once a call is deleted."""
import csv
import io
import json
from datetime import date, datetime, time

import openpyxl
from click.testing import CliRunner

from tracker.cli import main


def run(*args):
    result = CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result


def book(path, headers, rows):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Calls"
    ws.append(headers)
    for r in rows:
        ws.append(list(r) + [None] * (len(headers) - len(r)))
    wb.save(path)
    return path


def columns(ws, row=1):
    return {c.value: c.column for c in ws[row] if c.value is not None}


# ---------------------------------------------------------------- 1. Reminders: a call's day

def test_reminders_sheet_shows_a_whole_day_call_as_its_day(tmp_path):
    path = book(tmp_path / "log.xlsx", ["ID", "Date", "Call type", "Client", "Contact", "Candidates", "Outcome"], [
        [1, datetime(2026, 12, 9, 15, 0), "Interview", "Acme Ltd", None, "Anna Li (E1)", "Planned"],
        [2, date(2026, 12, 10), "Introductory call", "Acme Ltd", None, "Ivan Petrov (E2)", "Planned"],
    ])
    listed = run("reminders", path, "--from", "2026-12-06T08:00", "--to", "2027-01-31", "--format", "csv").stdout
    call_at = {row["call_row"]: row["call_at"] for row in csv.DictReader(io.StringIO(listed.lstrip("\ufeff")))}
    assert call_at == {"2": "2026-12-09 15:00", "3": "2026-12-10"}

    run("refresh", path, "--as-of", "2026-12-08T08:00")
    ws = openpyxl.load_workbook(path)["Reminders"]
    col = columns(ws)
    shown = {}
    for r in range(2, ws.max_row + 1):
        cell = ws.cell(r, col["Call at"])
        shown.setdefault(ws.cell(r, col["Row"]).value, set()).add((cell.value, cell.number_format))
    # As the listing says it: the day alone where the call has no time.
    assert shown == {2: {(datetime(2026, 12, 9, 15, 0), "yyyy-mm-dd hh:mm")},
                     3: {(datetime(2026, 12, 10), "yyyy-mm-dd")}}
    # The reminder's own time keeps its hour.
    assert {ws.cell(r, col["At"]).number_format for r in range(2, ws.max_row + 1)} == {"yyyy-mm-dd hh:mm"}


# ---------------------------------------------------------------- 2. the last message's window

EN = ["ID", "Date", "Time", "Call type", "Client", "Contact", "Candidates", "Position", "Channel", "Outcome",
      "Next contact", "Next step", "SM", "Comment on the call"]
SILENT = [   # T 11-16, T+1 11-17, T+3 11-19 (call, then e-mail): the last message is owed 11-21 to 11-23
    [1, datetime(2026, 11, 16), time(11, 0), "Follow-up", "", "Anna Li", "Anna Li", "Java dev", "Phone", "No answer"],
    [2, datetime(2026, 11, 17), time(11, 0), "Follow-up", "", "Anna Li", "Anna Li", "Java dev", "SMS", "No answer"],
    [3, datetime(2026, 11, 19), time(11, 0), "Follow-up", "", "Anna Li", "Anna Li", "Java dev", "Phone", "No answer"],
    [4, datetime(2026, 11, 19), time(11, 5), "Follow-up", "", "Anna Li", "Anna Li", "Java dev", "E-mail", "No answer",
     None, None, "Olga", "Follow-up on Java dev"],
]


def test_last_message_shows_its_window_where_days_overdue_count_from(tmp_path):
    path = book(tmp_path / "log.xlsx", EN, SILENT)
    listed = run("overdue", path, "--as-of", "2026-11-24T09:00", "--format", "csv").stdout
    (row,) = list(csv.DictReader(io.StringIO(listed.lstrip("\ufeff"))))
    # One day after the window's last day: "1" reads right beside the window.
    assert (row["row"], row["status"], row["due"], row["days_overdue"]) == ("5", "Overdue", "2026-11-21 – 2026-11-23", "1")
    table = run("overdue", path, "--as-of", "2026-11-24T09:00").stdout
    assert "2026-11-21 – 2026-11-23" in table
    # JSON keeps `due` the window's first day; `overdue_after` its last, counted from.
    (data,) = json.loads(run("overdue", path, "--as-of", "2026-11-24T09:00", "--format", "json").stdout)
    assert (data["due"], data["overdue_after"], data["days_overdue"]) == ("2026-11-21", "2026-11-23", 1)
    # Inside the window: due today, the same window.
    (row,) = list(csv.DictReader(io.StringIO(run("overdue", path, "--as-of", "2026-11-22T09:00", "--format", "csv")
                                             .stdout.lstrip("\ufeff"))))
    assert (row["status"], row["due"], row["days_overdue"]) == ("Due today", "2026-11-21 – 2026-11-23", "")

    run("refresh", path, "--as-of", "2026-11-24T09:00")
    wb = openpyxl.load_workbook(path)
    chase = wb["Chase today"]
    col = columns(chase)
    assert [(chase.cell(2, col["Due"]).value, chase.cell(2, col["Status"]).value, chase.cell(2, col["Days overdue"]).value,
             chase.cell(2, col["Row"]).value)] == [("2026-11-21 – 2026-11-23", "Overdue", 1, 5)]
    # The log's Due stays the window's last day, which the colour rules compare with TODAY().
    log = wb["Calls"]
    assert log.cell(5, columns(log)["Due"]).value == datetime(2026, 11, 23)


def test_the_window_on_a_russian_chase_today_sheet_is_in_its_date_format(tmp_path):
    ru = ["№", "Дата", "Время", "Вид звонка", "Клиент", "Контакт", "Кандидаты", "Вакансия", "Канал", "Результат"]
    path = book(tmp_path / "log.xlsx", ru, [r[:10] for r in SILENT])
    run("refresh", path, "--as-of", "2026-11-24T09:00")
    chase = openpyxl.load_workbook(path)["Позвонить сегодня"]
    col = columns(chase)
    assert (chase.cell(2, col["Срок"]).value, chase.cell(2, col["Дней просрочки"]).value) == (
        "21.11.2026 – 23.11.2026", 1)


def test_a_step_owed_on_one_day_shows_that_day(tmp_path):
    path = book(tmp_path / "log.xlsx", EN, SILENT[:2])   # T+3's call is owed on 11-19 alone
    (row,) = list(csv.DictReader(io.StringIO(run("overdue", path, "--as-of", "2026-11-21T09:00", "--format", "csv")
                                             .stdout.lstrip("\ufeff"))))
    assert (row["due"], row["days_overdue"]) == ("2026-11-19", "2")
    run("refresh", path, "--as-of", "2026-11-21T09:00")
    chase = openpyxl.load_workbook(path)["Chase today"]
    assert chase.cell(2, columns(chase)["Due"]).value == datetime(2026, 11, 19)


# ---------------------------------------------------------------- 3. what refresh clears under the log

def test_refresh_clears_a_deleted_calls_row_and_keeps_the_users_notes_above_it(tmp_path):
    path = book(tmp_path / "log.xlsx", EN, [
        SILENT[0],
        [], [],   # rows 3 and 4: blank, for the user's notes later
        [5, datetime(2026, 11, 19), time(11, 0), "First call", "Beta", "Bob Stone", None, None, "Phone", "Done",
         datetime(2026, 11, 30)],
    ])
    run("refresh", path, "--as-of", "2026-11-20T09:00")
    wb = openpyxl.load_workbook(path)
    ws = wb["Calls"]
    ours = {h: columns(ws)[h] for h in ("Status", "Due", "Next action", "Summary")}
    assert ws.cell(5, ours["Status"]).value and ws.cell(5, ours["Due"]).value == datetime(2026, 11, 30)
    # The call on row 5 deleted but for our columns; a note and a legend typed above it.
    for c in range(1, len(EN) + 1):
        ws.cell(5, c).value = None
    ws.cell(3, ours["Next action"]).value = "red = overdue, amber = due today"
    ws.cell(4, ours["Status"]).value = "Overdue"
    ws.cell(4, ours["Due"]).value = "red: past its due date"
    wb.save(path)

    run("refresh", path, "--as-of", "2026-11-20T09:00")
    ws = openpyxl.load_workbook(path)["Calls"]
    assert [ws.cell(5, c).value for c in ours.values()] == [None] * 4   # the deleted call's: cleared
    assert ws.cell(3, ours["Next action"]).value == "red = overdue, amber = due today"
    assert (ws.cell(4, ours["Status"]).value, ws.cell(4, ours["Due"]).value) == ("Overdue", "red: past its due date")
    assert ws.cell(2, ours["Status"]).value   # the call still there, refreshed
