"""What reminders, digests and notices write for a team: several consultants' logs into
one folder, exported week by week, with cells the listings must own up to."""
import email
import email.policy
from datetime import date, datetime, time
from pathlib import Path

import icalendar
from click.testing import CliRunner

from tracker.cli import main

HEADER = ["Date", "Time", "Call type", "Client", "Contact", "Candidates", "E-mail", "Outcome", "SM", "Whom to remind"]


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def _log(path: Path, *rows) -> Path:
    import openpyxl

    path.parent.mkdir(parents=True, exist_ok=True)
    wb = openpyxl.Workbook()
    wb.active.title = "Call log"
    wb.active.append(HEADER)
    for row in rows:
        wb.active.append(row)
    wb.save(path)
    return path


def _first_call(client, contact, address, remind=None):
    return [date(2026, 11, 24), time(10, 0), "First call", client, contact, None, address, "Planned", "Anna Petrova",
            remind]


def test_two_logs_drafts_and_digests_in_one_folder_are_not_written_over_each_other(tmp_path):
    # Found by a tester: two consultants' logs, each with a first call on row 2 of "Call
    # log" at 10:00, gave one draft file, the second log's over the first's; so did their
    # manager's digests.
    alice = _log(tmp_path / "alice.xlsx", _first_call("Acme", "Jane Roe", "jane@acme.example"))
    bob = _log(tmp_path / "bob.xlsx", _first_call("Globex", "Hank Scorpio", "hank@globex.example"))
    out, digests = tmp_path / "drafts", tmp_path / "digests"
    for log in (alice, bob):
        r = run("reminders", log, "--from", "2026-11-24", "--to", "2026-11-25", "--eml", out)
        assert r.exit_code == 0 and "Wrote 1 e-mail draft" in r.stderr, r.output
        assert run("digest", log, "--as-of", "2026-11-24T08:00", "--out", digests).exit_code == 0
    drafts = sorted(out.glob("*.eml"))
    to = {email.message_from_bytes(p.read_bytes(), policy=email.policy.default)["To"].addresses[0].addr_spec
          for p in drafts}
    assert len(drafts) == 2 and to == {"jane@acme.example", "hank@globex.example"}
    assert [p.name.split("_")[1] for p in drafts] == ["alice", "bob"]
    texts = sorted(digests.glob("*.txt"))
    assert len(texts) == 2 and all("Anna_Petrova" in p.name for p in texts)
    assert {"Acme" in p.read_text(encoding="utf-8") for p in texts} == {True, False}
    # The same log again writes the same files, not more.
    run("reminders", alice, "--from", "2026-11-24", "--to", "2026-11-25", "--eml", out)
    assert sorted(out.glob("*.eml")) == drafts


def test_a_calendar_exported_week_by_week_keeps_every_alarm_of_its_calls(tmp_path):
    # Found by a tester: a Monday 09:00 interview exported with the week before it (its
    # confirmation call on Friday in the window, its 20-minute alarm not) lost that alarm.
    log = _log(tmp_path / "calls.xlsx",
               [date(2026, 11, 23), time(9, 0), "Interview", "Acme", None, "Anna Li (E1)", None, "Planned", "Olga", None])
    ics = tmp_path / "week.ics"
    r = run("reminders", log, "--from", "2026-11-16", "--to", "2026-11-21", "--ics", ics)
    assert r.exit_code == 0, r.output
    [event] = icalendar.Calendar.from_ical(ics.read_bytes()).walk("VEVENT")
    start = event.decoded("dtstart")
    rings = sorted((start + alarm.decoded("trigger")).replace(tzinfo=None) for alarm in event.walk("VALARM"))
    assert rings == [datetime(2026, 11, 20, 10, 0), datetime(2026, 11, 23, 8, 40)]


def test_the_calendar_holds_the_windows_calls_that_no_rule_reminds_of(tmp_path):
    # Found by a tester: --ics "writes the planned calls", but a follow-up of the week, or
    # a call marked "no reminder", was left out of the calendar for want of an alarm.
    log = _log(tmp_path / "calls.xlsx",
               [date(2026, 11, 24), time(11, 0), "Follow-up", "Acme", "Bob", None, None, "Planned", "Olga", None],
               [date(2026, 11, 24), time(12, 0), "Repeat call", "Acme", None, "Ivan (E2)", None, "Planned", "Olga",
                "no reminder"],
               [date(2026, 11, 24), time(9, 0), "Follow-up", "Acme", "Old", None, None, "Done", "Olga", None],
               [date(2026, 12, 24), time(9, 0), "Follow-up", "Acme", "Later", None, None, "Planned", "Olga", None])
    ics = tmp_path / "week.ics"
    r = run("reminders", log, "--from", "2026-11-23", "--to", "2026-11-29", "--ics", ics)
    assert r.exit_code == 0 and "Wrote 2 calls with their alarms" in r.stderr, r.output
    events = icalendar.Calendar.from_ical(ics.read_bytes()).walk("VEVENT")
    assert sorted(e.decoded("dtstart").hour for e in events) == [11, 12]
    assert all(not e.walk("VALARM") for e in events)


def test_a_window_without_calls_writes_no_empty_calendar(tmp_path):
    # Found by a tester: a calendar with no event is no calendar (RFC 5545 wants one
    # component at least); apps refuse to import it.
    log = _log(tmp_path / "calls.xlsx", _first_call("Acme", "Jane Roe", "jane@acme.example"))
    ics = tmp_path / "empty.ics"
    r = run("reminders", log, "--from", "2026-12-01", "--to", "2026-12-07", "--ics", ics)
    assert r.exit_code == 0 and f"No planned calls in the window: {ics} was not written" in r.stderr, r.output
    assert not ics.exists()


def test_a_planned_call_with_a_time_but_no_date_is_named(tmp_path):
    # Found by a tester: a first call planned for 11:00 with no date got no reminder and
    # nothing said so; check has nothing to say either (a blank date is allowed).
    log = _log(tmp_path / "calls.xlsx",
               [None, time(11, 0), "First call", "Acme", "Jane Roe", None, "jane@acme.example", "Planned", "Olga",
                None],
               [None, time(9, 0), "First call", "Acme", "Old", None, None, "Done", "Olga", None],
               _first_call("Globex", "Hank", "hank@globex.example"))
    r = run("reminders", log, "--from", "2026-11-24", "--to", "2026-11-25")
    assert r.exit_code == 0, r.output
    assert ("1 planned call has a time but no date, so no reminder can be placed (sheet 'Call log', row 2); "
            "write the date") in r.stderr.splitlines()


def test_a_notice_and_its_interview_row_are_one_event_with_both_alarms(tmp_path):
    # Found by a review: a notice row counts as the interview it announces, so a notice and
    # the interview row logged for it gave two events at the same slot.
    log = _log(tmp_path / "calls.xlsx",
               [date(2026, 11, 18), time(17, 0), "Interview notice", "Acme", "Anna Li", None, None, "Confirmed",
                "Olga", "call the candidate the day before"],
               [date(2026, 11, 23), time(9, 0), "Interview", "Acme", "Mr Wang", "Anna Li (E1)", None, "Planned",
                "Olga", None])
    _add_next_contact(log, row=2, value=datetime(2026, 11, 23, 9, 0))
    ics = tmp_path / "week.ics"
    r = run("reminders", log, "--from", "2026-11-16", "--to", "2026-11-24", "--ics", ics)
    assert r.exit_code == 0 and "Wrote 1 call with their alarms" in r.stderr, r.stderr
    [event] = icalendar.Calendar.from_ical(ics.read_bytes()).walk("VEVENT")
    start = event.decoded("dtstart")
    rings = sorted((start + alarm.decoded("trigger")).replace(tzinfo=None) for alarm in event.walk("VALARM"))
    assert datetime(2026, 11, 23, 8, 40) in rings and datetime(2026, 11, 20, 10, 0) in rings


def _add_next_contact(path: Path, row: int, value) -> None:
    """The log's Next contact column added, with `value` on `row` (the notice's interview)."""
    import openpyxl

    wb = openpyxl.load_workbook(path)
    ws = wb["Call log"]
    col = ws.max_column + 1
    ws.cell(row=1, column=col, value="Next contact")
    ws.cell(row=row, column=col, value=value)
    wb.save(path)


def test_listings_of_reminders_say_when_a_whom_to_remind_cell_could_not_be_read(tmp_path):
    # Found by a tester: only `check` said so; reminders and digest fell back to the call
    # type's reminders in silence.
    log = _log(tmp_path / "calls.xlsx", _first_call("Acme", "Jane Roe", "jane@acme.example", remind="remind asap"))
    expected = (f'{log}: 1 "whom to remind" cell could not be read: its call gets the call type\'s default '
                f"reminders; run `tracker check {log}` to see it")
    r = run("reminders", log, "--from", "2026-11-24", "--to", "2026-11-25")
    assert r.exit_code == 0 and expected in r.stderr.splitlines(), r.stderr
    r = run("digest", log, "--as-of", "2026-11-24T08:00")
    assert r.exit_code == 0 and expected in r.stderr.splitlines(), r.stderr
    assert "remind asap" in run("check", log).stdout


def test_the_reminders_button_says_so_too(tmp_path):
    from tracker.excel import ribbon
    from tracker.excel.book import GridBook
    from tracker.files import open_book

    log = _log(tmp_path / "calls.xlsx", _first_call("Acme", "Jane Roe", "jane@acme.example", remind="remind asap"))
    book = GridBook(sheets={"Call log": open_book(log).grid("Call log")}, path=str(log), active="Call log")
    message = ribbon.dispatch("reminders", book=book, now=datetime(2026, 11, 24, 8, 0))
    assert message.endswith('\n1 "whom to remind" cell could not be read: its call gets the call type\'s default '
                            "reminders; click Check to see it."), message


def test_a_call_dated_on_the_calendars_last_day_crashes_nothing(tmp_path):
    # Found by a tester: an untimed row dated 31.12.9999 (typed for "never") made refresh,
    # reminders and digest stop with an internal error (the day after it overflows).
    log = _log(tmp_path / "calls.xlsx", _first_call("Acme", "Jane Roe", "jane@acme.example"),
               [date(9999, 12, 31), None, "First call", "Globex", "Hank", None, None, "Planned", "Olga", None])
    for args in (["reminders", log, "--from", "2026-11-24"], ["digest", log, "--as-of", "2026-11-24T08:00"],
                 ["refresh", log, "--as-of", "2026-11-24T08:00"]):
        r = run(*args)
        assert r.exit_code == 0 and "internal error" not in r.output, r.output
