"""`tracker check` on habits of hand-kept logs that are no problems (helper b8): a
candidate's ID kept on each of their calls in the ID column, month headings typed in the
date column ("November 2026", which Excel keeps as 1 November), and a legend under the
log whose lines fall in a call's columns. Real workbooks, through the CLI."""
from __future__ import annotations

import json
from datetime import datetime, time

import pytest
from click.testing import CliRunner

from tracker.cli import main
from workbooks import plain_log, rows_book

pytestmark = pytest.mark.usefixtures("no_user_config")

D = datetime
AS_OF = "2026-12-20T09:00"
HEADER = ("ID", "Date", "Time", "Call type", "Client", "Contact", "Candidates")


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def checked(path) -> tuple[int, list[tuple[int, str, str]]]:
    r = run("check", path, "--format", "json")
    return r.exit_code, [(p["row"], p["value"], p["message"]) for p in json.loads(r.stdout or "[]")]


def chased_rows(path) -> list[int]:
    r = run("overdue", path, "--all", "--as-of", AS_OF, "--format", "json")
    assert r.exit_code == 0, r.output
    return sorted(f["row"] for f in json.loads(r.stdout))


# ------------------------------------------------------------------ repeated IDs

def test_a_candidates_id_kept_on_each_of_their_calls_is_no_problem(tmp_path):
    # The ID column holds the candidate's employee ID on every call about them: the
    # interview (the client's contact, the candidate in Candidates), the follow-ups with
    # the candidate ("Anna" of "Anna Li"), a repeat call naming only the candidate's ID.
    path = plain_log(tmp_path / "calls.xlsx", [
        ["E123", D(2026, 11, 2), time(10), "Interview", "Acme", "Olga Ivanova", "Anna Li (E123); Ivan Petrov (E77)"],
        ["E77", D(2026, 11, 2), time(11), "Interview", "Acme", "Olga Ivanova", "Ivan Petrov (E77)"],
        ["E123", D(2026, 11, 3), time(12), "Follow-up", "Acme", "Anna Li", None],
        ["E123", D(2026, 11, 4), time(12), "Follow-up", "Acme", "Anna", None],
        ["E77", D(2026, 11, 4), time(13), "Follow-up", "Acme", "Ivan Petrov", None],
        ["E123", D(2026, 11, 9), time(15), "Repeat call", "Acme", "Olga Ivanova", "A. Li (E123)"],
    ], header=HEADER)
    assert checked(path) == (0, [])
    # The ID still finds that person's calls.
    r = run("summary", path, "--id", "E123", "--format", "json")
    assert [s["row"] for s in json.loads(r.stdout)] == [2, 4, 5, 7]


def test_an_id_on_calls_about_different_people_is_still_said(tmp_path):
    # A candidate's ID typed on another candidate's call, and a call number typed twice:
    # two rows given one key, about different people.
    path = plain_log(tmp_path / "calls.xlsx", [
        ["E123", D(2026, 11, 2), time(10), "Interview", "Acme", "Olga Ivanova", "Anna Li (E123)"],
        ["E123", D(2026, 11, 3), time(12), "Follow-up", "Acme", "Anna Li", None],
        ["E123", D(2026, 11, 4), time(13), "Follow-up", "Acme", "Ivan Petrov", None],
        ["7", D(2026, 11, 5), time(10), "First call", "Beta", "Bob Stone", None],
        ["7", D(2026, 11, 6), time(10), "First call", "Gamma", "Cy Young", None],
    ], header=HEADER)
    assert checked(path) == (1, [
        (3, "E123", 'ID "E123" is also on row 2: --id E123 finds every row with it'),
        (4, "E123", 'ID "E123" is also on row 2: --id E123 finds every row with it'),
        (6, "7", 'ID "7" is also on row 5: --id 7 finds every row with it'),
    ])


# ------------------------------------------------------------------ month headings

NOV_CALL = [1, D(2026, 11, 2), time(10), "First call", "Acme", "Ann Lee"]
DEC_CALL = [2, D(2026, 12, 3), time(10), "First call", "Beta", "Bob Stone"]


@pytest.mark.parametrize("nov, dec", [
    ([None, D(2026, 11, 1)], [None, D(2026, 12, 1)]),                               # "Nov 2026" typed: a date
    ([None, D(2026, 11, 1), None, None, "November 2026"], [None, D(2026, 12, 1), None, None, "Dec 2026"]),
    (["November 2026"], [None, D(2026, 12, 1), None, None, None, "--- December 2026 ---"]),
], ids=["date-alone", "label-beside-its-date", "mixed"])
def test_month_headings_over_their_calls_are_no_calls_and_no_problems(tmp_path, nov, dec):
    path = rows_book(tmp_path / "calls.xlsx", [list(HEADER[:6]), nov, NOV_CALL, dec, DEC_CALL])
    r = run("check", path)
    assert r.exit_code == 0, r.output
    assert "2 calls, 0 problems" in r.output
    assert chased_rows(path) == [3, 5]
    stats = run("stats", path, "--by", "month", "--as-of", AS_OF)
    assert "(not set)" not in stats.output, stats.output


def test_month_headings_in_a_log_that_starts_with_its_dates(tmp_path):
    path = rows_book(tmp_path / "calls.xlsx", [
        ["Date", "Time", "Call type", "Client", "Contact"],
        [D(2026, 11, 1)], NOV_CALL[1:], [D(2026, 12, 1), None, None, "December 2026"], DEC_CALL[1:]])
    r = run("check", path)
    assert r.exit_code == 0 and "2 calls, 0 problems" in r.output, r.output
    assert chased_rows(path) == [3, 5]


def test_what_is_no_heading_of_its_month_is_still_a_call_or_said(tmp_path):
    # A date alone that opens no month of calls (the call below is a month later) stays a
    # call; a month's label beside a day of another month is dropped and said, as before.
    path = rows_book(tmp_path / "calls.xlsx", [
        list(HEADER[:6]), NOV_CALL,
        [None, D(2026, 11, 16), None, None, "December 2026"],
        [None, D(2026, 11, 1)],
        DEC_CALL])
    code, problems = checked(path)
    assert (code, problems) == (1, [(3, "December 2026", 'read as a heading, not a call ("December 2026" beside '
                                     "its date); if it is a call, write its call type")])
    r = run("check", path)
    assert "3 calls, 1 problem" in r.output, r.output


# ------------------------------------------------------------------ a legend under the log

@pytest.mark.parametrize("word", ["Legend:", "Легенда", "凡例", "Colour key:"])
def test_a_legend_with_its_lines_in_a_calls_columns_is_no_call(tmp_path, word):
    # "Legend:" in the ID column, its first line in the client's column beside it and the
    # next under it; after a blank row, a client typed without a date is a call again.
    path = rows_book(tmp_path / "calls.xlsx", [
        list(HEADER[:6]), NOV_CALL, DEC_CALL, [],
        [word, None, None, None, "red = overdue"],
        [None, None, None, None, "amber = due today"],
        [],
        [None, None, None, None, "Gamma Ltd", "Cy Young"]])
    code, problems = checked(path)
    assert code == 1
    assert [row for row, _, message in problems] == [8], problems
    assert "no date" in problems[0][2]
    assert chased_rows(path) == [2, 3, 8]


def test_a_legend_word_in_a_calls_column_keeps_its_row_a_call(tmp_path):
    # Not in the log's first column: a client named "Legend" is a call to date.
    path = rows_book(tmp_path / "calls.xlsx", [
        list(HEADER[:6]), NOV_CALL, [None, None, None, None, "Legend", "Lee Hart"]])
    code, problems = checked(path)
    assert code == 1 and [row for row, _, _ in problems] == [3]
    assert chased_rows(path) == [2, 3]
