"""Helper H8: a reminder asked for a few minutes late, a seed-002 log's notes, the notice
of an interview booked ahead, the chase of a step not logged. Workbooks written with
openpyxl, read back through `tracker` (click's CliRunner)."""
from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from workbooks import cli_ok, plain_log

pytestmark = pytest.mark.usefixtures("no_user_config")

HEADER = ("Date", "Time", "Call type", "Client", "Contact", "Candidates", "Outcome")
MON = date(2026, 11, 23)


def reminders_json(path, *args) -> list[dict]:
    return json.loads(cli_ok("reminders", path, *args, "--format", "json").stdout)


# ------------------------------------------------ 1. a reminder that fell due minutes ago

@pytest.fixture
def morning(tmp_path):
    """Boris's interview at 10:45 (his SMS at 10:25), Anna's at 11:00 (10:40), a first call
    at 10:20 with Orion (the client's e-mail at 10:05)."""
    return plain_log(tmp_path / "l.xlsx", [
        (MON, "11:00", "Interview", "Acme", "John Smith", "Anna Li", "Planned"),
        (MON, "10:45", "Interview", "Acme", "John Smith", "Boris", "Planned"),
        (MON, "10:20", "First call", "Orion", "Klaus", "", "Planned"),
    ], header=HEADER)


def test_a_reminder_due_minutes_ago_is_listed_late_while_its_call_is_ahead(morning):
    got = [(r["at"], r["whom"]["names"], r["late"]) for r in reminders_json(morning, "--as-of", "2026-11-23T10:30")]
    # Boris's SMS is still to send (his interview is at 10:45); the first call has begun.
    assert got == [("2026-11-23T10:25", ["Boris"], True), ("2026-11-23T10:40", ["Anna Li"], False)]
    table = cli_ok("reminders", morning, "--as-of", "2026-11-23T10:30").stdout
    assert "Boris" in table and "Klaus" not in table


def test_no_late_reminder_once_the_call_began_nor_of_an_earlier_day(morning):
    got = [(r["at"], r["late"]) for r in reminders_json(morning, "--as-of", "2026-11-23T10:50")]
    assert got == [("2026-11-23T10:40", True)]
    # The day before (Friday's confirmation call) is worded "tomorrow": not listed on Monday.
    assert [r["at"] for r in reminders_json(morning, "--as-of", "2026-11-23T09:00")] == \
        ["2026-11-23T10:05", "2026-11-23T10:25", "2026-11-23T10:40"]


def test_a_late_reminder_adds_nothing_to_the_calendar(morning, tmp_path):
    import icalendar

    cli_ok("reminders", morning, "--as-of", "2026-11-23T10:30", "--ics", tmp_path / "l.ics")
    cal = icalendar.Calendar.from_ical((tmp_path / "l.ics").read_bytes())
    # Each call still ahead once, with its alarms as set relative to its start (the one
    # 20 minutes before Boris's 10:45 is past: a calendar does not ring it); no event or
    # alarm of its own for the late SMS.
    got = sorted((ev["dtstart"].dt.strftime("%H:%M"), sorted(-a["trigger"].dt for a in ev.walk("VALARM")))
                 for ev in cal.walk("VEVENT"))
    # Friday 10:00's confirmation call, and the SMS 20 minutes before.
    assert got == [("10:45", [timedelta(minutes=20), timedelta(days=3, minutes=45)]),
                   ("11:00", [timedelta(minutes=20), timedelta(days=3, hours=1)])]


def test_send_late_off_lists_only_reminders_still_to_fall_due(morning, tmp_path):
    (tmp_path / "tracker.yaml").write_text("reminders:\n  send_late: false\n", encoding="utf-8")
    assert [r["at"] for r in reminders_json(morning, "--as-of", "2026-11-23T10:30")] == ["2026-11-23T10:40"]


# ------------------------------------------------ 2. a log laid out as seed 002

SEED_002 = ("Дата", "Вид Звонка", "Цель звонка", "Комментарии к звонку", "Действия после звонка",
            "Кому напомнить о звонке")
FIRST_CALL_NOTES = ("Название компании: ООО Ромашка\nКонтактное лицо: Ольга Смирнова\n"
                    "Следующий шаг: отправить презентацию\nДата следующего контакта: 27.11.2026\nSM: Иван Кузнецов")


def test_a_seed_002_first_call_is_due_at_the_next_contact_date_of_its_comment(tmp_path):
    path = plain_log(tmp_path / "s.xlsx", [("20.11.2026", "Первый звонок", "", FIRST_CALL_NOTES, "", "")],
                     header=SEED_002)
    got = json.loads(cli_ok("overdue", path, "--all", "--as-of", "2026-11-23T09:00", "--format", "json").stdout)
    # No outcome column: the comment's next contact says how the call went on, not "log it".
    assert [(f["row"], f["status"], f["due"][:10], f["who"], f["client"]) for f in got] == \
        [(2, "upcoming", "2026-11-27", "Ольга Смирнова", "ООО Ромашка")]


def test_a_blank_outcome_without_a_next_contact_in_the_notes_still_asks_for_the_outcome(tmp_path):
    path = plain_log(tmp_path / "s.xlsx", [("20.11.2026", "Первый звонок", "", "Контактное лицо: Ольга", "", "")],
                     header=SEED_002)
    got = json.loads(cli_ok("overdue", path, "--all", "--as-of", "2026-11-23T09:00", "--format", "json").stdout)
    assert [(f["status"], f["step"]["key"]) for f in got] == [("no_next_action", "outcome")]


SEED_002_EN = ("Date", "Call type", "Goal of the call", "Comment on the call", "Actions after the call",
               "Whom to remind")


def test_reminders_greet_the_people_the_comment_names(tmp_path):
    path = plain_log(tmp_path / "s.xlsx", [
        ("25.11.2026 15:00", "Interview", "", "Client: Acme\nContact person: John Smith\nCandidates: Anna Li (E1)\nSM: Olga",
         "", ""),
        ("26.11.2026 11:00", "First call", "", "Company Name: Beta Ltd\nContact Person: Oleg Petrov\nSM: Olga", "", ""),
    ], header=SEED_002_EN)
    r = cli_ok("reminders", path, "--from", "2026-11-24T09:00", "--to", "2026-11-28", "--format", "json")
    got = [(x["call_row"], x["whom"]["names"], x["subject"]) for x in json.loads(r.stdout)]
    assert got == [
        (2, ["Anna Li"], "Confirm attendance: Interview with Acme, Wed 25 Nov 2026, 15:00"),
        (2, ["Anna Li"], "Reminder: Interview with Acme, Wed 25 Nov 2026, 15:00"),
        (3, ["Oleg Petrov"], "Reminder: our call with Beta Ltd, Thu 26 Nov 2026, 11:00"),
    ]
    assert "greets nobody" not in r.output


def test_the_columns_come_before_the_notes(tmp_path):
    path = plain_log(tmp_path / "s.xlsx", [
        (date(2026, 11, 25), "15:00", "Interview", "Acme", "John Smith", "Boris", "Planned",
         "Candidates: Anna Li\nClient: Other Co"),
    ], header=(*HEADER, "Comment"))
    got = reminders_json(path, "--from", "2026-11-25T14:00", "--to", "2026-11-26")
    assert [(x["whom"]["names"], x["subject"]) for x in got] == \
        [(["Boris"], "Reminder: Interview with Acme, Wed 25 Nov 2026, 15:00")]


# ------------------------------------------------ 3. the notice of an interview logged alone

INTERVIEW = (date(2026, 11, 25), "15:00", "Interview", "Acme", "John Smith", "Anna Li", "Planned")
INVITED = (date(2026, 11, 20), "10:00", "Follow-up", "Acme", "Anna Li", "", "Replied")


def _steps(path, as_of):
    got = json.loads(cli_ok("overdue", path, "--all", "--as-of", as_of, "--format", "json").stdout)
    return [(f["row"], f["status"], f["step"]["key"], f["who"]) for f in got]


def test_an_interview_logged_alone_keeps_its_call_the_day_before_by_default(tmp_path):
    path = plain_log(tmp_path / "x.xlsx", [INTERVIEW], header=HEADER)
    assert _steps(path, "2026-11-23T09:00") == [(2, "upcoming", "confirm_eve", "Anna Li")]


def test_notice_for_interview_asks_the_notice_of_an_interview_logged_alone_until_the_eve(tmp_path):
    (tmp_path / "tracker.yaml").write_text("followups:\n  confirm:\n    notice_for: [interview]\n", encoding="utf-8")
    path = plain_log(tmp_path / "x.xlsx", [INTERVIEW], header=HEADER)
    # The notice goes to the candidate, not the client's contact on the row.
    assert _steps(path, "2026-11-23T09:00") == [(2, "due_today", "notice", "Anna Li")]
    assert _steps(path, "2026-11-24T09:00") == [(2, "due_today", "confirm_eve", "Anna Li")]
    # The invitation logged owes it (as without notice_for): asked once, not twice.
    both = plain_log(tmp_path / "x1.xlsx", [INVITED, INTERVIEW], header=HEADER)
    assert _steps(both, "2026-11-23T09:00") == [(2, "overdue", "notice", "Anna Li"),
                                                 (3, "upcoming", "confirm_eve", "Anna Li")]
    # A notice logged: nothing more to send.
    sent = (date(2026, 11, 21), "09:00", "Interview notice", "Acme", "Anna Li", "Anna Li", "Done")
    noticed = plain_log(tmp_path / "x2.xlsx", [INTERVIEW, sent], header=HEADER)
    assert ("notice" not in [s[2] for s in _steps(noticed, "2026-11-23T09:00")])
