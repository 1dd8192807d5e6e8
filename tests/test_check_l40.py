"""`tracker check` on a first call (a call type of reminders.booked_once) moved to another
day on a new row, the old row left Planned (helper l40): the log cannot tell which row is
the newer, the reminders take the later day, and check says it on both rows. Real
workbooks, through the CLI; the days are counted from today, as check's are."""
from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta

import pytest
from click.testing import CliRunner

from tracker.cli import main
from workbooks import plain_log

pytestmark = pytest.mark.usefixtures("no_user_config")

HEADER = ("ID", "Date", "Time", "Call type", "Client", "Contact", "Outcome", "Next contact")
TODAY = date.today()


def day(n: int) -> datetime:
    d = TODAY + timedelta(days=n)
    return datetime(d.year, d.month, d.day)


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def checked(path) -> tuple[int, list[tuple[int, str, str]]]:
    r = run("check", path, "--format", "json")
    return r.exit_code, [(p["row"], p["column"], p["message"]) for p in json.loads(r.stdout or "[]")]


def reminded_rows(path) -> list[int]:
    r = run("reminders", path, "--from", TODAY.isoformat(), "--to", (TODAY + timedelta(days=30)).isoformat(),
            "--format", "json")
    assert r.exit_code == 0, r.output
    return sorted({x["call_row"] for x in json.loads(r.stdout)})


def test_a_first_call_moved_to_an_earlier_day_on_a_new_row_is_said_on_both_rows(tmp_path):
    path = plain_log(tmp_path / "calls.xlsx", [
        ["1", day(10), time(10), "First call", "Acme", "Sarah Jones", "Planned", None],
        ["2", day(3), time(11), "Follow-up", "Beta", "Ivan Petrov", "Planned", None],
        ["3", day(8), time(11), "First call", "Acme Ltd.", "Sarah Jones", None, None],   # the new slot
    ], header=HEADER)
    later, earlier = day(10).date().isoformat(), day(8).date().isoformat()
    assert checked(path) == (1, [
        (2, "G", f"First call with Acme (Sarah Jones) also planned on {earlier} (row 4): if it was moved, "
                 f"mark the old row Rescheduled; the reminders take this one, none for the {earlier} one"),
        (4, "G", f"First call with Acme Ltd. (Sarah Jones) also planned on {later} (row 2): if it was moved, "
                 f"mark the old row Rescheduled; the reminders take the {later} one, none for this one"),
    ])
    # What it says of the reminders is what they do: the later row's, not the new slot's.
    assert reminded_rows(path) == [2]


@pytest.mark.parametrize("old", [
    ["1", day(10), time(10), "First call", "Acme", "Sarah Jones", "Rescheduled", None],
    ["1", day(10), time(10), "First call", "Acme", "Sarah Jones", "Rescheduled", day(8)],
    ["1", day(10), time(10), "First call", "Acme", "Sarah Jones", "Cancelled", None],
], ids=["rescheduled", "rescheduled-with-slot", "cancelled"])
def test_the_old_row_marked_is_no_problem(tmp_path, old):
    path = plain_log(tmp_path / "calls.xlsx", [
        old, ["2", day(8), time(11), "First call", "Acme", "Sarah Jones", "Planned", None],
    ], header=HEADER)
    assert checked(path) == (0, [])
    # And the new row is reminded (marked Rescheduled with its new slot, the old row took
    # the new one's reminders away and dropped its own as the same call: none at all).
    assert reminded_rows(path) == [3]


@pytest.mark.parametrize("rows", [
    # One booking.
    [["1", day(8), time(11), "First call", "Acme", "Sarah Jones", "Planned", None]],
    # Two contacts of one client, and one name at two clients.
    [["1", day(10), time(10), "First call", "Acme", "Sarah Jones", "Planned", None],
     ["2", day(8), time(11), "First call", "Acme", "Olga Ivanova", "Planned", None],
     ["3", day(9), time(11), "First call", "Globex", "Sarah Jones", "Planned", None]],
    # A weekly follow-up booked twice ahead: two calls (not a booked_once type).
    [["1", day(3), time(10), "Follow-up", "Acme", "Sarah Jones", "Planned", None],
     ["2", day(10), time(10), "Follow-up", "Acme", "Sarah Jones", "Planned", None]],
    # The first one held: the second first call is another.
    [["1", day(2), time(10), "First call", "Acme", "Sarah Jones", "Done", None],
     ["2", day(8), time(10), "First call", "Acme", "Sarah Jones", "Planned", None]],
    # Both before today: an old call left Planned is no call moved (its reminders are past).
    [["1", day(-400), time(10), "First call", "Acme", "Sarah Jones", None, None],
     ["2", day(-3), time(10), "First call", "Acme", "Sarah Jones", "Planned", None]],
    # One before today, one ahead: the reminders of the one ahead are sent.
    [["1", day(-2), time(10), "First call", "Acme", "Sarah Jones", "Planned", None],
     ["2", day(5), time(10), "First call", "Acme", "Sarah Jones", "Planned", None]],
], ids=["one", "other-people", "follow-ups", "held", "past", "one-past"])
def test_nothing_is_said_of_the_usual_cases(tmp_path, rows):
    path = plain_log(tmp_path / "calls.xlsx", rows, header=HEADER)
    assert checked(path) == (0, [])


def test_without_an_outcome_column_it_is_said_on_the_date(tmp_path):
    path = plain_log(tmp_path / "calls.xlsx", [
        ["1", day(10), time(10), "First call", "Acme", "Sarah Jones"],
        ["2", day(8), time(11), "First call", "Acme", "Sarah Jones"],
    ], header=HEADER[:6])
    code, said = checked(path)
    assert code == 1 and [(row, col) for row, col, _ in said] == [(2, "B"), (3, "B")]
    assert [p["value"] for p in json.loads(run("check", path, "--format", "json").stdout)] == [
        day(10).date().isoformat(), day(8).date().isoformat()]
    assert all("if it was moved, delete the old row;" in m for _, _, m in said)


def test_a_call_type_added_to_booked_once_is_said_too(tmp_path):
    (tmp_path / "tracker.yaml").write_text("reminders:\n  booked_once: [first_call, introductory_call]\n")
    path = plain_log(tmp_path / "calls.xlsx", [
        ["1", day(10), time(10), "Introductory call", "Acme", "Sarah Jones", "Planned", None],
        ["2", day(8), time(11), "Introductory call", "Acme", "Sarah Jones", "Planned", None],
    ], header=HEADER)
    code, said = checked(path)
    assert code == 1 and [(row, col) for row, col, _ in said] == [(2, "G"), (3, "G")]
    assert said[0][2].startswith("Introductory call with Acme (Sarah Jones) also planned on")


def test_the_ribbons_check_lists_them_as_the_terminal_does(tmp_path):
    from tracker.excel import ribbon
    from tracker.excel.book import GridBook
    from tracker.files import open_book

    path = plain_log(tmp_path / "calls.xlsx", [
        ["1", day(10), time(10), "First call", "Acme", "Sarah Jones", "Planned", None],
        ["2", day(8), time(11), "First call", "Acme", "Sarah Jones", "Planned", None],
    ], header=HEADER)
    wb = open_book(path)

    def book() -> GridBook:
        return GridBook(sheets={n: wb.grid(n) for n in wb.sheet_names}, path=str(tmp_path / "x.xlsx"))

    pressed = book()
    message = ribbon.dispatch("check", book=pressed, now=datetime.combine(TODAY, time(9)).astimezone())
    assert message.startswith("2 cells need a look"), message
    in_excel = [(row[0].split('"')[3], row[2]) for row in pressed.sheets["Problems"][1:]]
    assert in_excel == [(f"G{row}", m) for row, _, m in checked(path)[1]]
    # Pressed on a day after both: nothing ahead is booked twice.
    later = book()
    message = ribbon.dispatch("check", book=later, now=datetime.combine(TODAY + timedelta(days=11), time(9)))
    assert "Problems" not in later.sheets, message


def test_a_call_moved_to_a_later_slot_leaves_another_booking_its_reminders(tmp_path):
    # A review of be343be: a row marked moved to a later day took the reminders of the
    # first call booked between (the safe side: both are reminded, as before it).
    path = plain_log(tmp_path / "calls.xlsx", [
        ["1", day(2), time(10), "First call", "Acme", "Sarah Jones", "Rescheduled", day(9).replace(hour=10)],
        ["2", day(5), time(11), "First call", "Acme", "Sarah Jones", "Planned", None],
    ], header=HEADER)
    assert reminded_rows(path) == [2, 3]


def test_check_as_of_a_moment_says_what_is_still_ahead_then(tmp_path):
    # check --as-of, as the other commands: the same file gives the same answer whatever
    # the clock (and the ribbon passes its own moment).
    path = plain_log(tmp_path / "calls.xlsx", [
        ["1", datetime(2026, 12, 10), time(10), "First call", "Acme", "Sarah Jones", "Planned", None],
        ["2", datetime(2026, 12, 8), time(11), "First call", "Acme", "Sarah Jones", None, None],
    ], header=HEADER)
    ahead = run("check", path, "--format", "json", "--as-of", "2026-12-01T09:00")
    assert ahead.exit_code == 1 and [p["row"] for p in json.loads(ahead.stdout)] == [2, 3]
    between = run("check", path, "--format", "json", "--as-of", "2026-12-09T09:00")
    assert between.exit_code == 0 and json.loads(between.stdout or "[]") == []
