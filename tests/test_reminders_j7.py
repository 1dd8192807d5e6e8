"""Reminders, calendar files and notices against DOMAIN.md (audit F): workbooks written
with openpyxl, read back through `tracker` (click's CliRunner), calendars parsed with
icalendar and imported one after the other (workbooks.imported)."""
from __future__ import annotations

import json
import shutil
from datetime import date, datetime, time

import icalendar
import pytest
from click.testing import CliRunner
from workbooks import imported, overdue_json, plain_log

from tracker import jobs
from tracker.cli import main

pytestmark = pytest.mark.usefixtures("no_user_config")

HEADER = ("ID", "Date", "Time", "Call type", "Client", "Contact", "Candidates", "Outcome", "Next contact", "E-mail",
          "Comment on the call")
NOTES = "\n".join(["Address: 1 High St, London", "How to get there: Tube to Bank, exit 3", "Contact person: Jane Roe",
                   "Job title: Data Engineer", "Responsibilities: pipelines", "Salary range: 60-70k GBP",
                   "Work location: London, hybrid", "Company name: Acme Ltd", "Company website: acme.example"])
WED, FRI = datetime(2026, 12, 9, 15, 0), datetime(2026, 12, 11, 16, 0)

def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def row(row_id, day, at, call_type, contact="Jane Roe", candidates=None, outcome="Planned", next_contact=None,
        mail=None, notes=None, client="Acme Ltd"):
    return (row_id, day, at, call_type, client, contact, candidates, outcome, next_contact, mail, notes)


def ics_of(path, ics, start="2026-12-06T08:00", end="2027-01-31"):
    r = run("reminders", path, "--from", start, "--to", end, "--ics", ics)
    assert r.exit_code == 0, r.output
    return icalendar.Calendar.from_ical(ics.read_bytes())


def uids(cal) -> dict[str, str]:
    return {str(ev["summary"]): str(ev["uid"]) for ev in cal.walk("VEVENT")}


# ------------------------------------------------------------ 1. UIDs of two workbooks

def first_call(row_id=1, client="Acme Ltd", outcome="Planned"):
    return row(row_id, date(2026, 12, 8), time(11, 0), "First call", client=client, outcome=outcome)


def test_two_workbooks_with_one_sheet_and_ids_are_two_events_in_one_calendar(tmp_path):
    # Every log `tracker init` makes has one sheet name and IDs from 1: Anna's call 1 and
    # Boris's call 1 imported into the team calendar are two calls, not one replacing the other.
    anna = plain_log(tmp_path / "anna.xlsx", [first_call(client="Acme Ltd")], HEADER)
    boris = plain_log(tmp_path / "boris.xlsx", [first_call(client="Beta LLC")], HEADER)
    a, b = ics_of(anna, tmp_path / "anna.ics"), ics_of(boris, tmp_path / "boris.ics")
    assert set(uids(a).values()).isdisjoint(uids(b).values())
    held = imported(a, b)
    assert sorted(str(ev["summary"]) for ev in held.values()) == ["First call: Acme Ltd", "First call: Beta LLC"]


def test_one_workbooks_uids_stay_from_run_to_run_and_folder_to_folder(tmp_path):
    path = plain_log(tmp_path / "Anna.xlsx", [first_call(), row(2, date(2026, 12, 9), time(15, 0), "Interview",
                                                               candidates="Anna Li (E1)")], HEADER)
    once, twice = uids(ics_of(path, tmp_path / "1.ics")), uids(ics_of(path, tmp_path / "2.ics"))
    assert once == twice and len(set(once.values())) == 2
    # Synced to a colleague's computer, in another folder, its name spelt in other case.
    (tmp_path / "synced").mkdir()
    copy = shutil.copy(path, tmp_path / "synced" / "anna.xlsx")
    assert uids(ics_of(copy, tmp_path / "3.ics")) == once


def test_a_cancelled_call_keeps_the_uid_of_its_event(tmp_path):
    booked = ics_of(plain_log(tmp_path / "log.xlsx", [first_call()], HEADER), tmp_path / "a.ics")
    ((summary, uid),) = uids(booked).items()
    # The same workbook, the call since marked Cancelled.
    struck = ics_of(plain_log(tmp_path / "log.xlsx", [first_call(outcome="Cancelled")], HEADER), tmp_path / "b.ics")
    (event,) = struck.walk("VEVENT")
    assert str(event["uid"]) == uid and str(event["status"]) == "CANCELLED"


def test_the_calendar_writer_puts_the_workbooks_name_in_the_uid(tmp_path):
    from tracker.config import load_config
    from tracker.exports import event_uid, write_ics

    config = load_config()
    log = jobs.read(plain_log(tmp_path / "log.xlsx", [first_call()], HEADER), config)

    def uid(**kw):
        cal = icalendar.Calendar.from_ical(write_ics(log.records, [], config, tmp_path / "x.ics", stamp=WED, **kw)
                                           .read_bytes())
        (event,) = cal.walk("VEVENT")
        return str(event["uid"])

    assert uid(workbook="C:/team/anna.xlsx") == uid(workbook="/home/anna/ANNA.xlsx") == event_uid(log.records[0], "anna")
    assert uid(workbook="anna.xlsx") != uid(workbook="boris.xlsx")
    # Without a workbook, the UIDs written before its name was in them.
    assert uid() == event_uid(log.records[0]) != uid(workbook="anna.xlsx")


# ------------------------------------------------------------ 2. the notice of a moved interview

def notice_row(next_contact=WED):
    return row(1, date(2026, 12, 7), time(10, 0), "Interview notice", contact="Anna Li", outcome="Confirmed",
               next_contact=next_contact, mail="anna@li.example", notes=NOTES)


MOVED = {
    # The interview row marked Rescheduled, its new slot in Next contact.
    "moved": lambda: [notice_row(), row(2, WED.date(), WED.time(), "Interview", candidates="Anna Li (E1)",
                                        outcome="Rescheduled", next_contact=FRI)],
    # ... and logged again on a row of its own at the new slot.
    "logged again": lambda: [notice_row(), row(2, WED.date(), WED.time(), "Interview", candidates="Anna Li (E1)",
                                               outcome="Rescheduled", next_contact=FRI),
                             row(3, FRI.date(), FRI.time(), "Interview", candidates="Anna Li (E1)")],
}


@pytest.mark.parametrize("how", MOVED)
def test_the_notice_gives_the_slot_the_reminders_give_and_says_whose_it_is(tmp_path, how):
    path = plain_log(tmp_path / "log.xlsx", MOVED[how](), HEADER)
    listed = json.loads(run("reminders", path, "--from", "2026-12-06T08:00", "--to", "2027-01-31",
                            "--format", "json").stdout)
    assert {item["call_at"] for item in listed} == {"2026-12-11T16:00"}
    r = run("notice", path, "--row", 2)
    assert r.exit_code == 0, r.output
    assert "Interview time: Fri 11 Dec 2026, 16:00" in r.stdout and "Wed 9 Dec" not in r.stdout
    assert "Calls!2: the interview is where row 3 (Rescheduled) has it" in r.stderr
    assert "not Wed 9 Dec 2026, 15:00" in r.stderr


def test_the_notice_of_an_interview_row_logged_again_on_a_later_day_follows_that_row(tmp_path):
    # The old row left Planned, the interview logged on Friday's row: the reminders are Friday's.
    rows = [row(1, WED.date(), WED.time(), "Interview", candidates="Anna Li (E1)", notes=NOTES),
            row(2, FRI.date(), FRI.time(), "Interview", candidates="Anna Li (E1)")]
    path = plain_log(tmp_path / "log.xlsx", rows, HEADER)
    r = run("notice", path, "--row", 2)
    assert r.exit_code == 0, r.output
    assert "Interview time: Fri 11 Dec 2026, 16:00" in r.stdout
    assert "Calls!2: the interview is where row 3 (Planned) has it" in r.stderr


def test_no_notice_of_an_interview_its_row_calls_off(tmp_path):
    rows = [notice_row(), row(2, WED.date(), WED.time(), "Interview", candidates="Anna Li (E1)", outcome="Cancelled")]
    r = run("notice", plain_log(tmp_path / "log.xlsx", rows, HEADER), "--row", 2)
    assert r.exit_code == 1 and not r.stdout
    assert r.stderr.startswith("Calls!2:2: Interview notice not written: the interview on row 3 is marked Cancelled.")


def test_a_notice_not_moved_says_nothing_of_following(tmp_path):
    rows = [notice_row(), row(2, WED.date(), WED.time(), "Interview", candidates="Anna Li (E1)")]
    r = run("notice", plain_log(tmp_path / "log.xlsx", rows, HEADER), "--row", 2)
    assert r.exit_code == 0, r.output
    assert "Interview time: Wed 9 Dec 2026, 15:00" in r.stdout and "where row" not in r.stderr


def test_the_notice_engine_follows_the_log(tmp_path):
    from tracker.config import load_config
    from tracker.notice import interview_notices

    config = load_config()
    log = jobs.read(plain_log(tmp_path / "log.xlsx", MOVED["moved"](), HEADER), config)
    (notice,) = interview_notices(log.records[0], config, log.records)
    assert notice.items["interview_time"] == "2026-12-11 16:00" and "row 3" in notice.follows
    (alone,) = interview_notices(log.records[0], config)   # the row alone: its own Next contact
    assert alone.items["interview_time"] == "2026-12-09 15:00" and not alone.follows


# ------------------------------------------------------------ 3. a notice standing for its interview

def reminders_json(path, start="2026-12-06T08:00", end="2027-01-31"):
    r = run("reminders", path, "--from", start, "--to", end, "--format", "json")
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout)


def test_an_interview_logged_only_by_its_notice_gets_the_interviews_reminders(tmp_path):
    # DOMAIN: the candidates 20 minutes before; the call the day before (seed 004), which
    # the follow-ups ask for too.
    path = plain_log(tmp_path / "log.xlsx", [notice_row()], HEADER)
    listed = reminders_json(path)
    assert sorted((item["at"], item["whom"]["role"], item["whom"]["names"][0], item["channel"]) for item in listed) == [
        ("2026-12-08T10:00", "candidates", "Anna Li", "phone"), ("2026-12-09T14:40", "candidates", "Anna Li", "sms")]
    due = {(item["row"], item["due"]) for item in overdue_json(path, "2026-12-08T09:00")}
    assert (2, "2026-12-08") in due
    (event,) = ics_of(path, tmp_path / "n.ics").walk("VEVENT")
    start = event.decoded("dtstart").replace(tzinfo=None)
    assert sorted(start + alarm.decoded("trigger") for alarm in event.walk("VALARM")) == [
        datetime(2026, 12, 8, 10, 0), datetime(2026, 12, 9, 14, 40)]


def test_a_notice_beside_its_interviews_row_adds_no_second_reminder(tmp_path):
    path = plain_log(tmp_path / "log.xlsx", [notice_row(), row(2, WED.date(), WED.time(), "Interview",
                                                               candidates="Anna Li (E1)")], HEADER)
    listed = reminders_json(path)
    assert sorted((item["at"], item["call_row"]) for item in listed) == [("2026-12-08T10:00", 3),
                                                                         ("2026-12-09T14:40", 3)]
    (event,) = ics_of(path, tmp_path / "n.ics").walk("VEVENT")
    assert len(event.walk("VALARM")) == 2


# ------------------------------------------------------------ 4. reminders that name nobody

def test_a_reminder_naming_nobody_is_said_with_its_row(tmp_path):
    rows = [row(1, date(2026, 12, 9), time(16, 0), "Introductory call", candidates="Anna Li (E1)",
                notes="Team lead: Oleg Sidorov"),
            row(2, date(2026, 12, 10), time(16, 0), "Introductory call", candidates="Ivan Petrov (E2)"),
            row(3, date(2026, 12, 10), time(11, 0), "Interview", notes="QA engineer role, candidates to be picked")]
    r = run("reminders", plain_log(tmp_path / "log.xlsx", rows, HEADER), "--from", "2026-12-06T08:00",
            "--to", "2027-01-31")
    assert r.exit_code == 0, r.output
    said = [line for line in r.stderr.splitlines() if "nobody" in line]
    assert said == [
        'Calls!3: no team lead named, so the reminder to the team lead greets nobody; add a line "Team lead: name" '
        "to the Comment on the call column",
        "Calls!4: no candidates named, so the reminder to the candidates greets nobody; fill in the Candidates column"]


# ------------------------------------------------------------ 5. wording

def test_as_of_is_the_window_start_as_from_is(tmp_path):
    path = plain_log(tmp_path / "log.xlsx", [first_call()], HEADER)
    a = run("reminders", path, "--as-of", "2026-12-08T09:00", "--format", "json")
    b = run("reminders", path, "--from", "2026-12-08T09:00", "--format", "json")
    assert a.exit_code == 0 and a.stdout == b.stdout and json.loads(a.stdout)
    both = run("reminders", path, "--as-of", "2026-12-08T09:00", "--from", "2026-12-01")
    assert both.exit_code == 2 and "give one" in both.stderr
    same = run("reminders", path, "--as-of", "2026-12-08T09:00", "--from", "2026-12-08T09:00", "--format", "json")
    assert same.stdout == b.stdout


def test_an_empty_listing_says_there_is_nothing_to_remind(tmp_path):
    r = run("reminders", plain_log(tmp_path / "log.xlsx", [first_call()], HEADER), "--from", "2027-06-01")
    assert r.exit_code == 0
    assert "Nothing to remind from Tue 1 Jun 2027, 00:00 to Thu 3 Jun 2027, 00:00" in r.stderr
    assert "Nothing to remind" not in run("reminders", tmp_path / "log.xlsx", "--from", "2026-12-08").stderr


def test_the_missing_items_of_a_notice_name_the_row_once(tmp_path):
    rows = [row(1, WED.date(), WED.time(), "Interview", candidates="Anna Li (E1)", notes="Address: 1 High St")]
    r = run("notice", plain_log(tmp_path / "log.xlsx", rows, HEADER), "--row", 2)
    assert r.exit_code == 1
    assert r.stderr.startswith("Calls!2:2: Interview notice not written: missing How to get there, ")
    assert "row 2" not in r.stderr and "of Calls" not in r.stderr


def test_a_notice_whose_interview_has_a_day_alone_says_where_its_time_goes(tmp_path):
    # Its reminders of 20 minutes before cannot be placed: said of the interview's day, in
    # the Next contact cell, not of the invitation call's own date and time.
    rows = [notice_row(next_contact=WED.date()),
            row(2, date(2026, 12, 3), time(10, 0), "Interview", contact="Jane", candidates="Bob Ray",
                outcome="Rescheduled", next_contact=date(2026, 12, 10))]
    r = run("reminders", plain_log(tmp_path / "log.xlsx", rows, HEADER), "--from", "2026-12-06T08:00",
            "--to", "2027-01-31")
    assert r.exit_code == 0, r.output
    assert [line for line in r.stderr.splitlines() if "has no time" in line] == [
        "Calls!I2: Interview notice on 2026-12-09 has no time, so its reminders set minutes before it cannot be "
        "placed; write its time",
        "Calls!I3: Interview on 2026-12-10 has no time, so its reminders set minutes before it cannot be placed; "
        "write its time"]
