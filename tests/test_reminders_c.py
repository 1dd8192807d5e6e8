"""A Repeat call is a second interview or a call to clarify details (seed 002). One that
clarifies (no candidates named, notes not an interview's: summaries' rule) has no
candidates to warn: the reminder list, the calendar and the drafts remind whom the call is
with, worded for a call; and it is no interview round another row logs again."""
from __future__ import annotations

import email
import email.policy
import json
from datetime import date

import icalendar
import pytest
from click.testing import CliRunner
from workbooks import plain_log

from tracker.cli import main

HEADER = ("Date", "Time", "Call type", "Client", "Contact", "Candidates", "Outcome", "E-mail", "SM", "Language",
          "Comment on the call")
CLARIFY = "Clarify the start date and the rate for the Python developer."


pytestmark = pytest.mark.usefixtures("no_user_config")


def row(day, at, contact="Mary Major", candidates=None, notes=CLARIFY, client="Acme GmbH", manager="Olga",
        mail="mary@acme.example", lang=None, call_type="Repeat call"):
    return (day, at, call_type, client, contact, candidates, "Planned", mail, manager, lang, notes)


def run(tmp_path, rows, *more):
    path = plain_log(tmp_path / "log.xlsx", rows, HEADER)
    r = CliRunner().invoke(main, ["reminders", str(path), "--from", "2026-11-23", "--to", "2026-11-30",
                                  "--format", "json", *map(str, more)], catch_exceptions=False)
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout)


def whom(items, call_row):
    return [(x["at"], x["whom"]["role"], x["whom"]["names"], x["channel"]) for x in items if x["call_row"] == call_row]


def test_a_clarification_call_reminds_its_contact_of_a_call_in_the_list_calendar_and_drafts(tmp_path):
    items = run(tmp_path, [row(date(2026, 11, 25), "11:00")], "--ics", tmp_path / "c.ics", "--eml", tmp_path / "d")
    # Repeat call's times (the day before, 20 minutes before), to whom the call is with.
    assert whom(items, 2) == [("2026-11-24T10:00", "contact", ["Mary Major"], "email"),
                              ("2026-11-25T10:40", "contact", ["Mary Major"], "email")]
    assert {x["email"] for x in items} == {"mary@acme.example"}
    for x in items:
        assert x["subject"].startswith("Reminder: Clarification call with Acme GmbH")
        assert "call to clarify the details" in x["message"] and "nterview" not in x["message"]
    event, = icalendar.Calendar.from_ical((tmp_path / "c.ics").read_bytes()).walk("VEVENT")
    assert str(event["summary"]) == "Clarification call: Acme GmbH"
    alarms = [str(a["description"]) for a in event.walk("VALARM")]
    assert len(alarms) == 2 and all("Clarification call" in a and "contact: Mary Major" in a for a in alarms)
    drafts = sorted((tmp_path / "d").glob("*.eml"))
    assert len(drafts) == 2
    for d in drafts:
        msg = email.message_from_bytes(d.read_bytes(), policy=email.policy.default)
        assert [a.addr_spec for a in msg["To"].addresses] == ["mary@acme.example"]
        assert msg.get_body(("plain",)).get_content().startswith("Dear Mary Major,")


@pytest.mark.parametrize("contact, client, manager, to", [
    ("", "Acme GmbH", "Olga", ("client", ["Acme GmbH"])),
    ("", "", "Olga", ("manager", ["Olga"])),
    ("", "", "", None),
])
def test_a_clarification_call_without_a_contact_reminds_its_client_else_its_manager_else_no_one(
        tmp_path, contact, client, manager, to):
    items = run(tmp_path, [row(date(2026, 11, 25), "11:00", contact=contact, client=client, manager=manager)],
                "--ics", tmp_path / "c.ics")
    assert {(x["whom"]["role"], tuple(x["whom"]["names"])) for x in items} == (
        {(to[0], tuple(to[1]))} if to else set())
    assert "candidates" not in {x["whom"]["role"] for x in items}
    # Reminded of or not, the call is on the calendar.
    assert len(icalendar.Calendar.from_ical((tmp_path / "c.ics").read_bytes()).walk("VEVENT")) == 1


def test_a_repeat_call_naming_candidates_still_warns_them(tmp_path):
    items = run(tmp_path, [row(date(2026, 11, 25), "15:00", candidates="Ann Lee (E1)", notes="")])
    assert whom(items, 2) == [("2026-11-24T10:00", "candidates", ["Ann Lee"], "sms"),
                              ("2026-11-25T14:40", "candidates", ["Ann Lee"], "sms")]
    assert all(x["subject"].startswith("Reminder: Repeat call") for x in items)


def test_a_second_interview_with_its_candidate_in_the_contact_column_reminds_that_candidate(tmp_path):
    # Written as an interview (summaries' rule), naming nobody in Candidates: as the notice
    # and the follow-ups read such a row, the contact is the candidate.
    notes = "Today we interviewed:\nJack Wilson (E9) – second round, the test task"
    items = run(tmp_path, [row(date(2026, 11, 25), "15:00", contact="Jack Wilson", notes=notes,
                               mail="jack@mail.example")])
    assert whom(items, 2) == [("2026-11-24T10:00", "candidates", ["Jack Wilson"], "sms"),
                              ("2026-11-25T14:40", "candidates", ["Jack Wilson"], "sms")]
    assert {x["email"] for x in items} == {"jack@mail.example"}


@pytest.mark.parametrize("lang, notes", [
    ("en", "Second interview with Jack Wilson: the test task and the first month's tasks."),
    ("ru", "Второе интервью, кандидат Jack Wilson: разобрали тестовое."),
    ("zh", "与Jack Wilson复试：讨论了笔试。"),
    ("ja", "Jack Wilsonさんと二次面接：課題を確認。"),
])
def test_a_second_interview_named_only_in_its_notes_is_no_clarification(tmp_path, lang, notes):
    # Free text, not the interview format, the candidate in Contact: a second interview all
    # the same, never reminded as a call to clarify details.
    items = run(tmp_path, [row(date(2026, 11, 25), "15:00", contact="Jack Wilson", notes=notes, lang=lang,
                               mail="jack@mail.example")])
    assert [(w[0], w[1], w[2]) for w in whom(items, 2)] == [("2026-11-24T10:00", "candidates", ["Jack Wilson"]),
                                                            ("2026-11-25T14:40", "candidates", ["Jack Wilson"])]
    labels = {"en": "Clarification call", "ru": "Уточняющий звонок", "zh": "细节确认电话", "ja": "詳細確認の電話"}
    assert not any(labels[lang] in x["subject"] or labels[lang] in x["message"] for x in items)


@pytest.mark.parametrize("order", ["clarification first", "interview first"])
def test_a_clarification_call_and_a_second_interview_of_one_thread_are_two_calls(tmp_path, order):
    # The clarification was taken for the interview logged again on a later day (or the
    # interview for it): one of the two lost its reminders and its calendar event.
    clarify = row(date(2026, 11, 25), "11:00")
    interview = row(date(2026, 11, 27), "15:00", candidates="Ann Lee (E1)", notes="", mail="")
    if order == "interview first":
        clarify, interview = row(date(2026, 11, 27), "11:00"), row(date(2026, 11, 25), "15:00",
                                                                     candidates="Ann Lee (E1)", notes="", mail="")
    items = run(tmp_path, [clarify, interview], "--ics", tmp_path / "c.ics")
    assert {x["whom"]["role"] for x in items if x["call_row"] == 2} == {"contact"}
    assert {x["whom"]["role"] for x in items if x["call_row"] == 3} == {"candidates"}
    assert len(items) == 4
    events = icalendar.Calendar.from_ical((tmp_path / "c.ics").read_bytes()).walk("VEVENT")
    assert sorted(str(e["summary"]) for e in events) == ["Clarification call: Acme GmbH", "Repeat call: Acme GmbH"]


@pytest.mark.parametrize("lang, label, words", [
    ("ru", "Уточняющий звонок", "звонке для уточнения деталей"),
    ("zh", "细节确认电话", "细节确认电话"),
    ("ja", "詳細確認の電話", "詳細確認のお電話"),
])
def test_a_clarification_call_is_worded_for_a_call_in_every_language(tmp_path, lang, label, words):
    items = run(tmp_path, [row(date(2026, 11, 25), "11:00", lang=lang)], "--ics", tmp_path / "c.ics")
    assert len(items) == 2 and {x["lang"] for x in items} == {lang}
    assert all(label in x["subject"] and words in x["message"] for x in items)
    event, = icalendar.Calendar.from_ical((tmp_path / "c.ics").read_bytes()).walk("VEVENT")
    assert str(event["summary"]).startswith(label)


@pytest.mark.parametrize("call_type, contact, notes", [
    ("Repeat call", "Olga HR", "Second interview with Jack Wilson: the test task."),
    ("Interview", "Olga HR", ""),
])
def test_a_contact_the_comment_does_not_name_gets_no_candidates_reminders(tmp_path, call_type, contact, notes):
    # An interview whose candidates are not written yet: the Contact column holds the
    # client's person, who got the candidate's "confirm your attendance" SMS and e-mail.
    items = run(tmp_path, [row(date(2026, 11, 25), "15:00", contact=contact, notes=notes, call_type=call_type,
                               mail="olga@acme.example")])
    mine = [x for x in items if x["whom"]["role"] == "candidates"]
    assert mine and all(x["whom"]["names"] == [] and x["email"] == "" for x in mine)


def test_a_contact_written_by_the_first_name_of_the_one_candidate_is_that_candidate(tmp_path):
    # Contact "Anna", Candidates "Anna Li (E12)": the row's e-mail is hers (it was left
    # off her reminders, the contact taken for the client's person).
    items = run(tmp_path, [row(date(2026, 11, 25), "15:00", contact="Anna", candidates="Anna Li (E12)", notes="",
                               mail="anna@mail.example", call_type="Interview")])
    mine = [x for x in items if x["whom"]["role"] == "candidates"]
    assert mine and all(x["whom"]["names"] == ["Anna Li"] and x["email"] == "anna@mail.example" for x in mine)


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_a_notices_confirmation_call_is_titled_by_the_interview_it_announces(tmp_path, lang):
    # "Confirm attendance: Interview notice with Brightline..." (a tester's find): the call
    # the day before is about the interview. (The sample's rows are in all four languages.)
    from conftest import DEMO_NOW
    from tracker.config import load_config
    from tracker.sample import write_sample

    config = load_config()
    path = write_sample(tmp_path / f"calls-{lang}.xlsx", config, DEMO_NOW, lang=lang)
    r = CliRunner().invoke(main, ["reminders", str(path), "--from", "2026-11-15", "--to", "2026-12-15", "--format",
                                  "json"], catch_exceptions=False)
    notices = [x for x in json.loads(r.stdout) if x["call_type"] == "interview_notice" and x["channel"] == "phone"]
    assert len({x["lang"] for x in notices}) > 1
    for x in notices:
        assert config.call_type_label("interview_notice", x["lang"]) not in x["subject"], x["subject"]
        assert config.call_type_label("interview", x["lang"]) in x["subject"], x["subject"]
