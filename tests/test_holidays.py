"""Public holidays (`holidays:` in tracker.yaml): wherever working days are counted, a
holiday is a day off like a weekend; calendar-day counting is unchanged.

Real workbooks with their own tracker.yaml, through the commands. Thursday 31 Dec 2026,
Friday 1 Jan 2027 (a holiday everywhere), Russia's New Year break 1-8 January.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tracker.cli import main
from workbooks import typed_log

JOHN = {"Client": "Acme", "Contact": "John Smith", "SM": "Olga", "Source": "LinkedIn"}
SILENT = {**JOHN, "Date": "2026-12-31", "Time": "11:00", "Call type": "First call", "Outcome": "No answer"}


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def data(*args):
    r = run(*args, "--format", "json")
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout)


def log(tmp_path: Path, rows: list[dict], settings: str, name: str = "calls.xlsx") -> Path:
    """A log typed in, and the tracker.yaml next to it (which the commands find there)."""
    folder = tmp_path / name.split(".")[0]
    folder.mkdir()
    path = typed_log(folder / name, rows)
    (folder / "tracker.yaml").write_text(settings, encoding="utf-8")
    return path


def chase(path: Path, as_of: str) -> list[tuple[str, str]]:
    return [(f["step"]["key"], f["due"][:10]) for f in data("overdue", path, "--all", "--as-of", as_of)]


@pytest.mark.parametrize("holidays, due", [
    ("[]", "2027-01-01"),                                   # no holidays: Friday, as before
    ("[2027-01-01]", "2027-01-04"),                         # a YAML date: then the weekend
    ("['2027-01-01']", "2027-01-04"),                       # the same date as text
    ("[2027-01-01..2027-01-08]", "2027-01-11"),             # a range: the New Year break
    ("\n  - 2027-01-01 .. 2027-01-05\n  - 2027-01-07", "2027-01-06"),   # a gap inside
])
def test_the_chase_counted_in_working_days_skips_holidays(tmp_path, holidays, due):
    path = log(tmp_path, [SILENT], f"followups:\n  count: working\nholidays: {holidays}\n")
    assert chase(path, "2026-12-31T18:00") == [("t1", due)]


def test_calendar_days_are_counted_as_before_whatever_the_holidays(tmp_path):
    # followups.count is calendar by default: T+1 is the next day, holiday or not.
    path = log(tmp_path, [SILENT], "holidays: [2027-01-01..2027-01-08]\n")
    assert chase(path, "2026-12-31T18:00") == [("t1", "2027-01-01")]


def test_the_day_before_an_interview_after_the_new_year_break_is_the_last_working_day(tmp_path):
    # A second round on Saturday 9 January after the 1-8 January break: the candidate is
    # called and reminded the day before, which with `day_before: working` (the default)
    # is Thursday 31 December, both in the chase list and in the reminders.
    interview = {"Date": "2027-01-09", "Time": "14:00", "Call type": "Repeat call", "Outcome": "Planned",
                 "Client": "Beta", "Contact": "Peter Gray", "SM": "Olga", "Candidates": "Lisa Ray (E301)"}
    path = log(tmp_path, [interview], "holidays: [2027-01-01..2027-01-08]\n")
    assert chase(path, "2026-12-30T09:00") == [("confirm_eve", "2026-12-31")]
    rems = data("reminders", path, "--from", "2026-12-28T00:00", "--to", "2027-01-10")
    assert [r["at"] for r in rems if r["at"] < r["call_at"][:10]] == ["2026-12-31T10:00"]
    # Counted in calendar days, the day before is the day before, holiday or not.
    calendar = log(tmp_path, [interview], "holidays: [2027-01-01..2027-01-08]\nreminders:\n  day_before: calendar\n",
                   name="calendar.xlsx")
    assert chase(calendar, "2026-12-30T09:00") == [("confirm_eve", "2027-01-08")]


def test_the_digest_on_the_eve_of_a_holiday_lists_the_next_working_days_reminders(tmp_path):
    # Thursday 31 December, Friday a holiday: the digest shows Monday's reminders, as a
    # Friday's does.
    first = {"Date": "2027-01-04", "Time": "14:30", "Call type": "First call", "Client": "Gamma",
             "Contact": "Ann Bell", "SM": "Olga", "E-mail": "a@gamma.example"}
    path = log(tmp_path, [first], "holidays: [2027-01-01]\n")
    r = run("digest", path, "--as-of", "2026-12-31T08:00")
    assert r.exit_code == 0, r.output
    assert [ln.split(" —")[0].strip("- ") for ln in r.stdout.splitlines() if " client: " in ln] == \
        ["14:15 client: Ann Bell (E-mail)"]


def test_the_statistics_count_the_chase_on_the_follow_ups_days(tmp_path):
    settings = "followups:\n  count: working\nholidays: [2027-01-01]\n"
    # The follow-ups: T+1 after the holiday and the weekend, T+3 two working days later.
    sent = {**JOHN, "Date": "2027-01-04", "Time": "11:00", "Call type": "Follow-up", "Outcome": "Done",
            "Channel": "SMS"}
    assert chase(log(tmp_path, [SILENT], settings, "t1.xlsx"), "2026-12-31T18:00") == [("t1", "2027-01-04")]
    assert chase(log(tmp_path, [SILENT, sent], settings, "t3.xlsx"), "2027-01-04T18:00") == [("t3", "2027-01-06")]
    # The statistics: a reply before the T+3 call is due answers T+1; from its day, T+3.
    for day, answered in (("2027-01-05", "answered_t1"), ("2027-01-06", "answered_t3")):
        reply = {**JOHN, "Date": day, "Time": "11:00", "Call type": "Follow-up", "Outcome": "Replied"}
        path = log(tmp_path, [SILENT, reply], settings, f"reply{day}.xlsx")
        [total] = [t for t in data("stats", path, "--kind", "ghosting", "--as-of", "2027-01-08T09:00")
                   if t["file"] == t["manager"] == t["source"] == t["stage"] == "*"]
        assert (total["chases"], total[answered]) == (1, 1), (day, total)


@pytest.mark.parametrize("text, line, words", [
    ("holidays: [2027-01-01, 2027-13-01]\n", 1, ["`holidays[1]`", "'2027-13-01' is not a date", "2027-01-01..2027-01-08"]),
    ("language: en\nholidays:\n  - 2027-01-01\n  - 2027-01-08..2027-01-01\n", 4, ["`holidays[1]`", "ends before it starts"]),
    ("holidays:\n  - 2027-01-01-2027-01-08\n", 2, ["`holidays[0]`", "is not a date"]),
    ("holidays:\n  - 2027-01-01..2028-01-08\n", 2, ["`holidays[0]`", "longer than a year"]),
    ("holidays:\n  - 2027-01-01 09:00:00\n", 2, ["`holidays[0]`", "date and time"]),
    ("holidays:\n  - 2027-01-01 09:00\n", 2, ["`holidays[0]`", "is not a date"]),
    ("holidays:\n  - 1\n", 2, ["`holidays[0]`", "must be a date"]),
    ("holidays: 2027-01-01\n", 1, ["`holidays` must be a list, not a date"]),
])
def test_a_bad_holiday_stops_with_file_line_and_key(tmp_path, text, line, words):
    path = log(tmp_path, [SILENT], text)
    r = run("overdue", path, "--as-of", "2026-12-31T18:00")
    assert r.exit_code == 2 and "Traceback" not in r.output
    settings = path.parent / "tracker.yaml"
    assert r.stderr.startswith(f"{settings}:{line}:") or f"{settings}:{line}:" in r.stderr, r.stderr
    for w in words:
        assert w in r.stderr, r.stderr
