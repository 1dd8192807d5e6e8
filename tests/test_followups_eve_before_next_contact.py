"""An interview booked ahead with its Next contact filled in (the client's feedback, after
it) still owes the call the day before to confirm it (seed 004); the next contact comes
once the interview is over. It owed only the next contact: the confirmation was lost."""
from datetime import datetime

import openpyxl
from workbooks import overdue_json


def _log(path, next_contact):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Calls"
    ws.append(["Date", "Time", "Call type", "Client", "Contact", "Candidates", "Outcome", "Next contact", "SM"])
    ws.append([datetime(2026, 12, 2), "10:00", "CV sent", "Acme", "Olga HR", "Anna Li", "Done",
               datetime(2026, 12, 9), "Tom"])
    ws.append([datetime(2026, 12, 9), "14:00", "Interview", "Acme", "Olga HR", "Anna Li", "Planned",
               next_contact, "Tom"])
    wb.save(path)
    return path


def _row3(path, as_of):
    return next(x for x in overdue_json(path, as_of) if x["row"] == 3)


def test_the_day_before_the_interview_its_confirmation_is_owed_whatever_its_next_contact(tmp_path):
    with_next = _row3(_log(tmp_path / "a.xlsx", datetime(2026, 12, 15)), "2026-12-08T09:00")
    without = _row3(_log(tmp_path / "b.xlsx", None), "2026-12-08T09:00")
    assert with_next["step"]["key"] == without["step"]["key"] == "confirm_eve"
    assert (with_next["status"], with_next["due"]) == ("due_today", "2026-12-08")
    assert with_next["who"] == "Anna Li"


def test_once_it_is_held_the_next_contact_is_owed(tmp_path):
    path = _log(tmp_path / "a.xlsx", datetime(2026, 12, 15))
    ws_book = openpyxl.load_workbook(path)
    ws_book["Calls"]["G3"] = "Attended"
    ws_book.save(path)
    after = _row3(path, "2026-12-10T09:00")
    assert (after["step"]["key"], after["status"], after["due"]) == ("next_contact", "upcoming", "2026-12-15")
