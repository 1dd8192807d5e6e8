"""One client's first call logged twice (helper H1): `overdue` and `reminders` read the log
alike. Workbooks written with openpyxl, read back through `tracker` (click's CliRunner).

DOMAIN.md: a first call is the introductory sales call with a client, reminded by an
e-mail to the client 15 minutes before it; its follow-up is the Next contact agreed. The
follow-ups read a second row of that call on the same day, both still to come, as the
call moved (followups._booked_before, two_rounds: nobody books one person two first calls
a day) and settle the first row; the reminders e-mailed the client before both slots."""
from __future__ import annotations

import json
from datetime import date, datetime, time

import pytest
from click.testing import CliRunner
from workbooks import overdue_json, plain_log

from tracker.cli import main

pytestmark = pytest.mark.usefixtures("no_user_config")

HEADER = ("ID", "Date", "Time", "Call type", "Client", "Contact", "Outcome", "Next contact")
MON, WED = date(2026, 11, 23), date(2026, 11, 25)
AS_OF = "2026-11-22T09:00"


def first_call(row_id, day, at, outcome="Planned", next_contact=None, contact="Anna Li", client="Acme"):
    return (row_id, day, at, "First call", client, contact, outcome, next_contact)


def reminded(path) -> list[tuple[int, str]]:
    """(row, moment) of each reminder from AS_OF to the end of the month."""
    r = CliRunner().invoke(main, ["reminders", str(path), "--as-of", AS_OF, "--to", "2026-11-30", "--format", "json"],
                           catch_exceptions=False)
    assert r.exit_code == 0, r.output
    return [(x["call_row"], x["at"]) for x in json.loads(r.stdout)]


def listed(path) -> list[int]:
    return [f["row"] for f in overdue_json(path, AS_OF)]


SAME_DAY = {
    # Both left Planned: the row written later is the call now.
    "both planned": [first_call(1, MON, time(10), next_contact=date(2026, 11, 26)),
                     first_call(2, MON, time(15), next_contact=date(2026, 11, 27))],
    # Both left blank: the later time is the later call, as the follow-ups order a day.
    "both blank": [first_call(1, MON, time(10), "", date(2026, 11, 26)),
                   first_call(2, MON, time(15), "", date(2026, 11, 27))],
    # The first marked Rescheduled to 15:00, and the 15:00 call logged too: one e-mail, not two.
    "moved and logged again": [first_call(1, MON, time(10), "Rescheduled", datetime(2026, 11, 23, 15)),
                               first_call(2, MON, time(15), next_contact=date(2026, 11, 27))],
}


@pytest.mark.parametrize("rows", SAME_DAY.values(), ids=SAME_DAY.keys())
def test_a_first_call_logged_again_that_day_is_reminded_once_as_it_is_followed_up(tmp_path, rows):
    path = plain_log(tmp_path / "log.xlsx", rows, HEADER)
    assert listed(path) == [3]
    assert reminded(path) == [(3, "2026-11-23T14:45")]
    # The calendar holds that one call too.
    ics = tmp_path / "calls.ics"
    r = CliRunner().invoke(main, ["reminders", str(path), "--as-of", AS_OF, "--to", "2026-11-30", "--ics", str(ics)],
                           catch_exceptions=False)
    assert r.exit_code == 0, r.output
    assert ics.read_text(encoding="utf-8").count("BEGIN:VEVENT") == 1


def test_two_clients_first_calls_of_a_day_are_each_reminded(tmp_path):
    path = plain_log(tmp_path / "log.xlsx", [first_call(1, MON, time(10), contact="Anna Li", client="Acme"),
                                             first_call(2, MON, time(15), contact="Bob Ray", client="Beta")], HEADER)
    assert reminded(path) == [(2, "2026-11-23T09:45"), (3, "2026-11-23T14:45")]


def test_a_first_call_of_the_same_client_booked_again_on_a_later_day_is_reminded_once(tmp_path):
    # Two planned First calls of one contact: the later is the call moved (overdue settles
    # the earlier), so only its client's e-mail is due (tests/test_first_call_booked_again_c.py).
    path = plain_log(tmp_path / "log.xlsx", [first_call(1, MON, time(10), next_contact=date(2026, 11, 26)),
                                             first_call(2, WED, time(10), next_contact=date(2026, 11, 27))], HEADER)
    assert reminded(path) == [(3, "2026-11-25T09:45")]


def test_two_interview_rounds_of_a_day_are_still_each_reminded(tmp_path):
    # Seed 003: round 1 at 14:00 and round 2 at 16:00 are two, not one moved.
    header = ("ID", "Date", "Time", "Call type", "Client", "Contact", "Candidates", "Outcome")
    path = plain_log(tmp_path / "log.xlsx", [(1, MON, time(14), "Interview", "Acme", "Jane Roe", "Eve Stone", "Planned"),
                                             (2, MON, time(16), "Interview", "Acme", "Jane Roe", "Eve Stone", "Planned")],
                     header)
    assert {(row, at[11:]) for row, at in reminded(path) if at.startswith("2026-11-23")} >= {(2, "13:40"), (3, "15:40")}


def test_a_first_call_moved_earlier_that_day_on_a_row_below_is_reminded_once(tmp_path):
    # Both left blank: the follow-ups order the day by time, so the 15:00 row above is the later call.
    path = plain_log(tmp_path / "log.xlsx", [first_call(1, MON, time(15), "", date(2026, 11, 27)),
                                             first_call(2, MON, time(10), "", date(2026, 11, 26))], HEADER)
    assert listed(path) == [2]
    assert reminded(path) == [(2, "2026-11-23T14:45")]


# ---------------------------------------------------------------- an interview logged again naming no one

IV_HEADER = ("ID", "Date", "Time", "Call type", "Client", "Contact", "Candidates", "Outcome", "Next contact")
EVE = (1, MON, time(10), "Interview", "Acme", "Jane Roe", "Eve Stone (E1)", "Planned", None)
WEDNESDAY_ROW = (2, WED, time(10), "Interview", "Acme", "Jane Roe", None, "Planned", None)
LOGGED_AGAIN = {
    # Monday's row left Planned, Wednesday's written without its candidates.
    "left planned": [EVE, WEDNESDAY_ROW],
    # Monday's row marked Rescheduled to Wednesday 10:00, and Wednesday's written too.
    "moved and logged again": [EVE[:7] + ("Rescheduled", datetime(2026, 11, 25, 10)), WEDNESDAY_ROW],
}


@pytest.mark.parametrize("rows", LOGGED_AGAIN.values(), ids=LOGGED_AGAIN.keys())
def test_an_interview_logged_again_naming_no_one_reminds_the_candidate_it_was_booked_with(tmp_path, rows):
    # DOMAIN.md: candidates are reminded of an interview. Read as Monday's interview moved
    # (followups.same_appointment), Wednesday's row owes the call the day before, to Eve
    # (the follow-ups greet her); its reminders greeted nobody, so Eve was reminded of nothing.
    path = plain_log(tmp_path / "log.xlsx", rows, IV_HEADER)
    (owed,) = overdue_json(path, AS_OF)
    assert (owed["row"], owed["step"]["key"], owed["who"]) == (3, "confirm_eve", "Eve Stone")
    r = CliRunner().invoke(main, ["reminders", str(path), "--as-of", AS_OF, "--to", "2026-11-30", "--format", "json"],
                           catch_exceptions=False)
    assert r.exit_code == 0, r.output
    items = json.loads(r.stdout)
    assert [(x["call_row"], x["at"], x["whom"]["names"]) for x in items] == [
        (3, "2026-11-24T10:00", ["Eve Stone"]), (3, "2026-11-25T09:40", ["Eve Stone"])]
    assert all("Eve Stone" in x["message"] for x in items)
    assert "greets nobody" not in r.stderr


def test_one_name_at_two_clients_is_two_people_whose_first_calls_are_each_reminded(tmp_path):
    # The follow-ups' threads tell them apart (model.thread_keys): both calls are still listed.
    path = plain_log(tmp_path / "log.xlsx", [first_call(1, MON, time(10), client="Acme"),
                                             first_call(2, MON, time(15), client="Beta")], HEADER)
    assert listed(path) == [2, 3]
    assert reminded(path) == [(2, "2026-11-23T09:45"), (3, "2026-11-23T14:45")]
