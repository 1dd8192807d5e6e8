"""What the chase owes, checked against DOMAIN.md by an audit on small logs: the interview
notice after a booking (seed 004), the T+3 e-mail when the call got no answer (seed 001),
a second round logged as an Interview and cancelled (seed 003), a confirmation typed on the
interview row at booking (seed 004), and the report's SMS the day after the report (seed
000). Each test writes a real workbook and reads it back through `tracker overdue`.

Calendar (November 2026): Mon 16, Tue 17, Wed 18, Thu 19, Fri 20, Sat 21, Mon 23.
"""
from __future__ import annotations

from datetime import datetime

import pytest

from workbooks import overdue_json, typed_log


pytestmark = pytest.mark.usefixtures("no_user_config")


def _listed(path, as_of):
    """`tracker overdue --all` as of `as_of`: row -> the follow-up as the JSON gives it."""
    return {f["row"]: f for f in overdue_json(path, as_of)}


ACME = {"Client": "Acme", "SM": "Olga", "Position": "Java dev"}
ANNA = {**ACME, "Contact": "Anna Li", "Candidates": "Anna Li"}
OLGA = {**ACME, "Contact": "Olga Ivanova", "Candidates": "Anna Li"}


# ---------------------------------------------------------------- 1. the interview notice

def _booked(path, *later):
    """Anna invited on Wed 18 (her reply on her own row), the interview on Thu 19 at 10:00
    on the client's contact's row; then the rows `later`."""
    return typed_log(path, [
        {**ANNA, "Date": datetime(2026, 11, 18), "Time": "09:00", "Call type": "Follow-up", "Channel": "Phone",
         "Outcome": "Replied", "Comment on the call": "invited to interview tomorrow 10:00, agreed"},
        {**OLGA, "Date": datetime(2026, 11, 19), "Time": "10:00", "Call type": "Interview", "Channel": "In person",
         "Outcome": "Planned"},
        *later,
    ])


def test_an_interview_booked_with_no_notice_asks_for_the_notice_on_the_booking_row(tmp_path):
    path = _booked(tmp_path / "log.xlsx")
    listed = _listed(path, "2026-11-18T09:30")
    notice = listed[2]
    # Seed 004: after the invitation call the written notice must go out, that day.
    assert (notice["step"]["key"], notice["status"], notice["due"][:10], notice["channel"]) == \
        ("notice", "due_today", "2026-11-18", "email")
    assert notice["who"] == "Anna Li"
    # The interview row keeps the call the day before, as it did.
    assert (listed[3]["step"]["key"], listed[3]["status"]) == ("confirm_eve", "due_today")
    # Not sent by the interview's morning: overdue; after the interview, it asks no more.
    assert (_listed(path, "2026-11-19T08:00")[2]["status"], _listed(path, "2026-11-19T08:00")[2]["step"]["key"]) == \
        ("overdue", "notice")
    assert _listed(path, "2026-11-19T12:00")[2]["step"]["key"] == "plan"   # held at 10:00
    assert _listed(path, "2026-11-20T09:00")[2]["step"]["key"] == "plan"


def test_a_notice_logged_for_the_person_settles_it(tmp_path):
    # The notice logged on the client's contact's row, naming Anna: the booking row asks
    # for nothing more (a plan, as before), the interview row owes the call the day before.
    path = _booked(tmp_path / "log.xlsx", {
        **OLGA, "Date": datetime(2026, 11, 18), "Time": "09:30", "Call type": "Interview notice",
        "Channel": "E-mail", "Outcome": "Done", "Next contact": datetime(2026, 11, 19, 10, 0)})
    listed = _listed(path, "2026-11-18T10:00")
    assert listed[2]["step"]["key"] == "plan"
    assert [f["step"]["key"] for f in listed.values()].count("confirm_eve") == 1


@pytest.mark.parametrize("client", ["Acme Ltd.", "ACME", ""])
def test_a_notice_at_the_client_as_typed_otherwise_settles_it(tmp_path, client):
    # A review: the notice row's Client typed "Acme Ltd." where the booking says "Acme"
    # left the notice owed, red, though it was sent.
    path = _booked(tmp_path / "log.xlsx", {
        **OLGA, "Client": client, "Date": datetime(2026, 11, 18), "Time": "09:30", "Call type": "Interview notice",
        "Channel": "E-mail", "Outcome": "Done", "Next contact": datetime(2026, 11, 19, 10, 0)})
    assert _listed(path, "2026-11-18T10:00")[2]["step"]["key"] == "plan"


def test_a_notice_at_another_client_does_not_settle_it(tmp_path):
    path = _booked(tmp_path / "log.xlsx", {
        **OLGA, "Client": "Globex", "Date": datetime(2026, 11, 18), "Time": "09:30", "Call type": "Interview notice",
        "Channel": "E-mail", "Outcome": "Done", "Next contact": datetime(2026, 11, 20, 10, 0)})
    assert _listed(path, "2026-11-18T10:00")[2]["step"]["key"] == "notice"


def test_an_interview_row_alone_keeps_its_call_the_day_before(tmp_path):
    # No row booked it: nothing dates a notice, and the eve call is as it was.
    path = typed_log(tmp_path / "log.xlsx", [
        {**OLGA, "Date": datetime(2026, 11, 19), "Time": "10:00", "Call type": "Interview", "Outcome": "Planned"}])
    assert {n: f["step"]["key"] for n, f in _listed(path, "2026-11-17T09:00").items()} == {2: "confirm_eve"}


# ---------------------------------------------------------------- 2. the T+3 e-mail

def _silent(path, *later):
    """Anna silent since Mon 16; T+1 by WeChat on Tue 17; the T+3 call on Thu 19 unanswered."""
    row = {**ANNA, "Client": None, "Call type": "Follow-up", "Outcome": "No answer"}
    return typed_log(path, [
        {**row, "Date": datetime(2026, 11, 16), "Time": "11:00", "Channel": "Phone"},
        {**row, "Date": datetime(2026, 11, 17), "Time": "11:00", "Channel": "WeChat"},
        {**row, "Date": datetime(2026, 11, 19), "Time": "11:00", "Channel": "Phone"},
        *later,
    ])


def test_the_t3_call_unanswered_owes_the_e_mail_at_once(tmp_path):
    path = _silent(tmp_path / "log.xlsx")
    owed = _listed(path, "2026-11-19T15:00")[4]
    assert (owed["step"]["key"], owed["channel"], owed["status"], owed["due"][:10]) == \
        ("t3", "email", "due_today", "2026-11-19")
    assert "e-mail" in owed["action"] and owed["message"].startswith("Subject: Follow-up on Java dev")
    # Its moment was that day: the next day the last message is next, as before.
    nxt = _listed(path, "2026-11-20T09:00")[4]
    assert (nxt["step"]["key"], nxt["due"][:10]) == ("last", "2026-11-21")


def test_an_e_mail_logged_that_day_was_the_fallback(tmp_path):
    path = _silent(tmp_path / "log.xlsx", {
        **ANNA, "Client": None, "Date": datetime(2026, 11, 19), "Time": "11:05", "Call type": "Follow-up",
        "Channel": "E-mail", "Outcome": "Done"})
    owed = _listed(path, "2026-11-19T15:00")[5]
    assert (owed["step"]["key"], owed["due"][:10]) == ("last", "2026-11-21")


# ---------------------------------------------------------------- 3. a second round typed Interview

@pytest.mark.parametrize("note, flagged", [
    ("second round cancelled: client's business trouble, no new date", True),
    ("2nd round cancelled: client's business trouble, no new date", True),
    ("cancelled: client's business trouble, no new date", False),
    # A first interview whose notes list the candidates with their IDs, or speak of the
    # round to come, is no second round (a review found both flagged).
    ("Shortlist sent:\nAnna Li (E1) – 5 years Java\nIvan Petrov (E2) – 7 years Java\n"
     "Cancelled: client's business trouble, no new date", False),
    ("First round with the CTO, second round with the CEO if it goes well. Cancelled by the client, "
     "no new date.", False),
])
def test_a_second_round_logged_as_an_interview_cancelled_is_likely_rejected(tmp_path, note, flagged):
    path = typed_log(tmp_path / "log.xlsx", [
        {**OLGA, "Date": datetime(2026, 11, 16), "Time": "14:00", "Call type": "Interview", "Outcome": "Attended"},
        {**OLGA, "Date": datetime(2026, 11, 19), "Time": "14:00", "Call type": "Interview", "Outcome": "Cancelled",
         "Comment on the call": note},
    ])
    got = _listed(path, "2026-11-18T09:00")[3]
    if flagged:
        # Seed 003, as for a Repeat call: the reason call the next working day.
        assert (got["flag"], got["step"]["key"], got["due"][:10]) == ("likely_rejected", "reason", "2026-11-20")
    else:
        # Nothing names a second round: an interview cancelled asks for a plan, as before.
        assert (got["flag"], got["step"]["key"]) == ("", "plan")


# ---------------------------------------------------------------- 4. confirmed at booking

def test_confirmed_on_the_interview_row_does_not_settle_the_eve_call_before_the_interview_day(tmp_path):
    path = typed_log(tmp_path / "log.xlsx", [
        {**OLGA, "Date": datetime(2026, 11, 19), "Time": "10:00", "Call type": "Interview", "Outcome": "Confirmed",
         "Comment on the call": "candidate accepted the slot on the 12th"}])
    # Undated, the row's Confirmed may be the yes at booking: the call of the eve is still
    # owed until its day is over, as the reminders list it.
    for as_of, status in (("2026-11-17T09:00", "upcoming"), ("2026-11-18T09:00", "due_today")):
        got = _listed(path, as_of)[2]
        assert (got["step"]["key"], got["status"], got["due"][:10]) == ("confirm_eve", status, "2026-11-18")
    # On the interview's day it is taken as confirmed: the interview itself, not overdue.
    got = _listed(path, "2026-11-19T08:00")[2]
    assert (got["step"]["key"], got["status"]) == ("planned", "due_today")


# ---------------------------------------------------------------- 5. the report's SMS

def test_the_report_sms_the_day_after_is_shown_due_today_not_yesterday(tmp_path):
    path = typed_log(tmp_path / "log.xlsx", [
        {**OLGA, "Date": datetime(2026, 11, 17), "Time": "10:00", "Call type": "Report sent", "Channel": "E-mail",
         "Outcome": "Done"}])
    day0 = _listed(path, "2026-11-17T12:00")[2]
    assert (day0["step"]["key"], day0["status"], day0["due"][:10]) == ("report_sms", "due_today", "2026-11-17")
    day1 = _listed(path, "2026-11-18T09:00")[2]
    # Owed today (it gives way to the call on day 2): "Due today" with today's date.
    assert (day1["step"]["key"], day1["status"], day1["due"][:10], day1["overdue_after"]) == \
        ("report_sms", "due_today", "2026-11-18", "2026-11-19")
    assert "Tue 17 Nov" in day1["message"] and "just sent" not in day1["message"]
    day2 = _listed(path, "2026-11-19T09:00")[2]
    assert (day2["step"]["key"], day2["due"][:10]) == ("report_call", "2026-11-19")
