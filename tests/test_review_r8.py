"""Regressions a review of the session's own changes found, each through the CLI."""
from datetime import date, datetime, time

from workbooks import overdue_json, rows_book


def _book(path, header, rows):
    return rows_book(path, [header, *rows])


def _overdue(path, as_of):
    return {x["row"]: x for x in overdue_json(path, as_of)}


H = ["Date", "Time", "Call type", "Client", "Contact", "Candidates", "Outcome", "Next contact", "Comment"]


def test_a_call_agreed_before_a_booked_interview_is_still_owed(tmp_path):
    # The Next contact before the interview (settle who pays the travel) is owed as
    # written; only one after it waits for the confirmation and the interview.
    path = _book(tmp_path / "a.xlsx", H, [[date(2026, 12, 14), time(14, 0), "Interview", "A", "Hr A", "Anna Li",
                                           "Planned", datetime(2026, 12, 8, 11, 0), "settle who pays travel"]])
    row = _overdue(path, "2026-12-08T09:00")[2]
    assert (row["step"]["key"], row["status"], row["due"]) == ("next_contact", "due_today", "2026-12-08T11:00:00")


def test_an_interview_held_today_is_followed_by_its_next_contact(tmp_path):
    path = _book(tmp_path / "a.xlsx", H, [[date(2026, 12, 7), time(10, 0), "Interview", "B", "Hr B", "Ivan Ko",
                                           "Planned", date(2026, 12, 8), "Interview results: liked him"]])
    row = _overdue(path, "2026-12-07T16:00")[2]
    assert (row["step"]["key"], row["due"]) == ("next_contact", "2026-12-08")


def test_the_notes_sm_is_the_format_s_sm_line_not_any_managers(tmp_path):
    path = _book(tmp_path / "a.xlsx", ["Date", "Call type", "Client", "Contact", "Outcome", "Next contact", "Comment"], [
        [date(2026, 12, 1), "First call", "Acme", "John Roe", "Done", date(2026, 12, 3),
         "Company Name: Acme\nSales manager: Peter Client (their side)\nNext Step: CVs\nSM: Olga"],
        [date(2026, 12, 1), "Interview", "Beta", "Jane", "Done", date(2026, 12, 3),
         "Today we interviewed:\nAnna Li (E1) – 5 years\nInterview results:\nManager – liked Anna\nSM: Boris"]])
    assert {r: x["manager"] for r, x in _overdue(path, "2026-12-08T09:00").items()} == {2: "Olga", 3: "Boris"}


def test_a_client_named_key_is_a_call_not_a_legend(tmp_path):
    path = _book(tmp_path / "a.xlsx", ["Client", "Date", "Call type", "Contact", "Outcome", "Next contact", "Comment"], [
        ["A", date(2026, 12, 1), "First call", "P", "Done", date(2026, 12, 3), ""],
        ["Key", None, None, "Bob", "Done", date(2026, 12, 9), "called about CVs"],
        [None, None, None, "Dan", "", date(2026, 12, 10), "call back"]])
    rows = _overdue(path, "2026-12-08T09:00")
    assert rows[3]["due"] == "2026-12-09" and rows[4]["due"] == "2026-12-10"


def test_an_interview_moved_to_a_later_hour_of_its_day_owes_one_confirmation(tmp_path):
    path = _book(tmp_path / "a.xlsx", H, [
        [date(2026, 12, 9), time(14, 0), "Interview", "A", "Hr A", "Anna Li", "Rescheduled",
         datetime(2026, 12, 9, 16, 0), "moved"],
        [date(2026, 12, 9), time(16, 0), "Interview", "A", "Hr A", "Anna Li", "Planned", None, ""]])
    owed = [x for x in _overdue(path, "2026-12-08T09:00").values() if x["step"]["key"] == "confirm_eve"]
    assert [x["row"] for x in owed] == [3]
