"""Two rounds of one day (seed 003: the first at 14:00, the second at 16:00), kept or one
of them moved: each round keeps its call the day before to confirm attendance (seed 004)
in `tracker overdue` and `tracker refresh`, and its reminders in `tracker reminders`.
Workbooks written with openpyxl, read back through `tracker` (click's CliRunner).

Calendar (December 2026): Mon 7, Tue 8 (the eve), Wed 9 (the rounds), Thu 10, Fri 11.
"""
from __future__ import annotations

import json
from datetime import date, datetime, time

import openpyxl
import pytest
from click.testing import CliRunner
from workbooks import overdue_json, plain_log

from tracker.cli import main

pytestmark = pytest.mark.usefixtures("no_user_config")

HEADER = ("ID", "Date", "Time", "Call type", "Client", "Contact", "Candidates", "Outcome", "Next contact",
          "Comment on the call")
MON, WED, THU, FRI = date(2026, 12, 7), date(2026, 12, 9), date(2026, 12, 10), date(2026, 12, 11)
EVE = "2026-12-08T09:00"
CONFIRM = "Phone: Call the candidate to confirm they will attend the interview"


def row(row_id, day, at, call_type="Interview", notes=None, outcome="Planned", next_contact=None):
    return (row_id, day, at, call_type, "Acme Ltd", "Jane Roe", "Anna Li (E1)", outcome, next_contact, notes)


def run(*args):
    r = CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)
    assert r.exit_code == 0, r.output
    return r


def owed(path, as_of):
    """(row, step, status, due day) of `tracker overdue --all` as of `as_of`."""
    return {(f["row"], f["step"]["key"], f["status"], (f["due"] or "")[:10]) for f in overdue_json(path, as_of)}


def reminded(path):
    """(row, when) of every reminder from Monday to Saturday."""
    r = run("reminders", path, "--from", "2026-12-07T08:00", "--to", "2026-12-12", "--format", "json")
    return {(x["call_row"], x["at"]) for x in json.loads(r.stdout)}


def refreshed(path, as_of):
    """Status, Due (a day) and Next action of each row after `tracker refresh`."""
    run("refresh", path, "--as-of", as_of)
    ws = openpyxl.load_workbook(path)["Calls"]
    head = {c.value: c.column for c in ws[1]}
    out = {}
    for r in range(2, ws.max_row + 1):
        due = ws.cell(r, head["Due"]).value
        out[r] = (ws.cell(r, head["Status"]).value, due.date() if isinstance(due, datetime) else due,
                  ws.cell(r, head["Next action"]).value)
    return out


def wednesday(sheet_row, at):
    """The reminders of a round on Wednesday at `at` logged on `sheet_row`: the call at
    10:00 the day before, and 20 minutes before it."""
    return {(sheet_row, "2026-12-08T10:00"), (sheet_row, f"2026-12-09T{at.hour - 1:02d}:40")}


# ---------------------------------------------------------------- both rounds kept

KEPT = {
    # The consultant typed both rounds "Interview", as seed 003 tells them.
    "14:00 then 16:00": [row(1, WED, time(14)), row(2, WED, time(16))],
    "16:00 logged above 14:00": [row(1, WED, time(16)), row(2, WED, time(14))],
    "second round named, above": [row(1, WED, time(16), notes="Second round with the CTO"), row(2, WED, time(14))],
    "second round a Repeat call": [row(1, WED, time(14)), row(2, WED, time(16), "Repeat call")],
}


@pytest.mark.parametrize("rows", KEPT.values(), ids=KEPT.keys())
def test_two_rounds_of_one_day_each_owe_the_call_the_day_before(tmp_path, rows):
    # Before: of two "Interview" rows of one day, the lower settled the upper as the same
    # interview moved (Done on the eve, no call owed, the 14:00 round's outcome never
    # asked), while the reminders kept both; logged 16:00 first, the second round lost
    # its confirmation call.
    path = plain_log(tmp_path / "log.xlsx", rows, HEADER)
    assert owed(path, EVE) == {(2, "confirm_eve", "due_today", "2026-12-08"),
                               (3, "confirm_eve", "due_today", "2026-12-08")}
    assert reminded(path) == wednesday(2, rows[0][2]) | wednesday(3, rows[1][2])
    assert refreshed(path, EVE) == {2: ("Due today", date(2026, 12, 8), CONFIRM),
                                    3: ("Due today", date(2026, 12, 8), CONFIRM)}
    # On the day, at 15:00: the 14:00 round's outcome is asked; the 16:00 one's call is still owed.
    first = 2 if rows[0][2] == time(14) else 3
    listed = {(f["row"], f["step"]["key"]) for f in overdue_json(path, "2026-12-09T15:00")}
    assert listed == {(first, "planned"), (5 - first, "confirm_eve")}


# ---------------------------------------------------------------- the first round moved

MOVED = {
    # (rows, the row of the second round, the row of the first round's new slot on Friday 14:00)
    "marked Rescheduled": (
        [row(1, WED, time(14), outcome="Rescheduled", next_contact=datetime(2026, 12, 11, 14)),
         row(2, WED, time(16))], 3, 2),
    "marked Rescheduled, second round named": (
        [row(1, WED, time(14), outcome="Rescheduled", next_contact=datetime(2026, 12, 11, 14)),
         row(2, WED, time(16), notes="Second round with the CTO")], 3, 2),
    "marked Rescheduled, below the second round": (
        [row(1, WED, time(16), notes="Second round with the CTO"),
         row(2, WED, time(14), outcome="Rescheduled", next_contact=datetime(2026, 12, 11, 14))], 2, 3),
    "logged again on Friday": (
        [row(1, WED, time(14)), row(2, WED, time(16)), row(3, FRI, time(14))], 3, 4),
    "logged again on Friday, second round named": (
        [row(1, WED, time(14)), row(2, WED, time(16), notes="Second round with the CTO"), row(3, FRI, time(14))],
        3, 4),
    "logged again on Friday, second round named above": (
        [row(1, WED, time(16), notes="Second round with the CTO"), row(2, WED, time(14)), row(3, FRI, time(14))],
        2, 4),
    "the client's call of Monday, marked Rescheduled": (
        [row(1, WED, time(14)), row(2, WED, time(16)),
         row(3, MON, time(12), outcome="Rescheduled", next_contact=datetime(2026, 12, 11, 14))], 3, 4),
    "the client's call of Monday, second round a Repeat call": (
        [row(1, WED, time(14)), row(2, WED, time(16), "Repeat call"),
         row(3, MON, time(12), outcome="Rescheduled", next_contact=datetime(2026, 12, 11, 14))], 3, 4),
}


@pytest.mark.parametrize("rows, second, friday", MOVED.values(), ids=MOVED.keys())
def test_the_first_round_moved_leaves_the_second_its_call_and_reminders(tmp_path, rows, second, friday):
    # Before: the row holding Friday's slot settled the 16:00 round too (no call the day
    # before, no reminders), or the client's call moving round 1 was itself settled by
    # Wednesday's 14:00 row: the call owed before the old slot, none before the new one.
    path = plain_log(tmp_path / "log.xlsx", rows, HEADER)
    assert owed(path, EVE) == {(second, "confirm_eve", "due_today", "2026-12-08"),
                               (friday, "confirm_eve", "upcoming", "2026-12-10")}
    assert reminded(path) == wednesday(second, time(16)) | {(friday, "2026-12-10T10:00"),
                                                            (friday, "2026-12-11T13:40")}
    status = refreshed(path, EVE)
    assert status[second] == ("Due today", date(2026, 12, 8), CONFIRM)
    assert status[friday] == ("Upcoming", date(2026, 12, 10), CONFIRM)
    assert all(s == ("Done", None, None) for r, s in status.items() if r not in (second, friday))
    # The day before Friday, Wednesday's rounds past: Friday's call is due.
    assert (friday, "confirm_eve", "due_today", "2026-12-10") in owed(path, "2026-12-10T09:00")


def test_the_client_moving_round_one_before_the_next_rounds_day_owes_the_call_before_the_new_slot(tmp_path):
    # Not the same day: round 1 on Wednesday, round 2 (a Repeat call) on Friday, and the
    # client's call of Monday moving round 1 to Thursday. Before: the call before
    # Wednesday was owed, none before Thursday, while the reminders were Thursday's.
    path = plain_log(tmp_path / "log.xlsx", [
        row(1, WED, time(14)), row(2, FRI, time(16), "Repeat call"),
        row(3, MON, time(12), outcome="Rescheduled", next_contact=datetime(2026, 12, 10, 14))], HEADER)
    assert owed(path, EVE) == {(4, "confirm_eve", "upcoming", "2026-12-09"),
                               (3, "confirm_eve", "upcoming", "2026-12-10")}
    assert {r for r, _ in reminded(path)} == {3, 4}
    # Wednesday past, its row left Planned: Thursday's call still owed, Friday's due.
    assert owed(path, "2026-12-10T09:00") == {(4, "confirm_eve", "overdue", "2026-12-09"),
                                              (3, "confirm_eve", "due_today", "2026-12-10")}


def test_two_first_calls_of_one_day_are_still_one_call_moved(tmp_path):
    # Rounds are interviews (confirm.types): a first call logged again at 15:00 below the
    # 10:00 one is that call moved, as before; nobody books two first calls with a client.
    path = plain_log(tmp_path / "log.xlsx", [row(1, WED, time(10), "First call"),
                                            row(2, WED, time(15), "First call")], HEADER)
    assert {r for r, *_ in owed(path, EVE)} == {3}
