"""Next contact typed as words: those counting from the call ("tomorrow", "через 3 дня",
"Friday 15:00", 下周) are read from their row's date and listed by `check` to look at;
words naming no date ("asap", "TBD", "скоро") are listed as not a date, unless they are
a plan with no date ("keep in touch by email"). Before, all text without digits was taken
silently as words: "tomorrow" came out as "No next action"."""
import json
from datetime import date, datetime

import openpyxl
import pytest
from click.testing import CliRunner

from tracker.cli import main
from workbooks import plain_log

pytestmark = pytest.mark.usefixtures("no_user_config")

HEADER = ("Date", "Call type", "Client", "Contact", "Outcome", "Next contact")
CALL = datetime(2026, 11, 18)   # a Wednesday

# (text, due as `overdue` shows it)
READ = [
    ("tomorrow", "2026-11-19"),
    ("завтра", "2026-11-19"),
    ("明天", "2026-11-19"),
    ("明日", "2026-11-19"),
    ("the day after tomorrow", "2026-11-20"),
    ("послезавтра", "2026-11-20"),
    ("后天", "2026-11-20"),
    ("明後日", "2026-11-20"),
    ("in 2 days", "2026-11-20"),
    ("через 3 дня", "2026-11-21"),
    ("5天后", "2026-11-23"),
    ("5日後", "2026-11-23"),
    ("Monday", "2026-11-23"),
    ("в понедельник", "2026-11-23"),
    ("пн", "2026-11-23"),
    ("周一", "2026-11-23"),
    ("星期一", "2026-11-23"),
    ("月曜日", "2026-11-23"),
    ("Wednesday", "2026-11-25"),                   # the call's own weekday: the next one
    ("next week", "2026-11-23"),
    ("на следующей неделе", "2026-11-23"),
    ("下周", "2026-11-23"),
    ("来週", "2026-11-23"),
    ("tomorrow 15:00", "2026-11-19T15:00:00"),
    ("завтра в 15:00", "2026-11-19T15:00:00"),
    ("明天下午3点", "2026-11-19T15:00:00"),
    ("call back Friday 15:00", "2026-11-20T15:00:00"),
]
NOT_A_DATE = ["asap", "TBD", "end of month", "скоро", "尽快", "未定", "tomorrow morning"]
PLANS = ["keep in touch by email", "поддерживаем связь по почте", "—"]


def log(tmp_path, cells, day=CALL):
    rows = [[day, "First call", f"C{i}", "Ann", "Done", text] for i, text in enumerate(cells)]
    return plain_log(tmp_path / "calls.xlsx", rows, header=HEADER)


def check(path):
    r = CliRunner().invoke(main, ["check", str(path), "--format", "json"])
    assert r.exit_code in (0, 1), r.output
    return {p["row"]: p for p in json.loads(r.stdout) if p["column"] == "F"}


def dues(path, as_of="2026-11-18T10:00"):
    r = CliRunner().invoke(main, ["overdue", str(path), "--all", "--as-of", as_of, "--format", "json"])
    assert r.exit_code == 0, r.output
    return {f["row"]: (f["status"], f["due"]) for f in json.loads(r.stdout)}


def test_words_counting_from_the_call_are_read_from_its_date(tmp_path):
    path = log(tmp_path, [text for text, _ in READ])
    found = dues(path)
    assert {r: due for r, (_, due) in found.items()} == {i + 2: due for i, (_, due) in enumerate(READ)}
    assert all(status != "no_next_action" for status, _ in found.values())


def test_check_says_how_each_was_read_to_look_at(tmp_path):
    path = log(tmp_path, ["tomorrow", "call back Friday 15:00", "tomorrow", "next week", "in 2 days"])
    problems = check(path)
    assert sorted(problems) == [2, 3, 5, 6]   # "tomorrow" once, its other row named
    assert all(p["read"] for p in problems.values())
    assert problems[2]["message"].startswith('"tomorrow" read as 2026-11-19, the day after this row\'s call '
                                             "(2026-11-18)")
    assert "rows 4" in problems[2]["message"]
    assert "2026-11-20 15:00, the first Friday after this row's call" in problems[3]["message"]
    assert "2026-11-23, the Monday of the week after this row's call" in problems[5]["message"]
    assert "2026-11-20, 2 days after this row's call" in problems[6]["message"]


def test_words_naming_no_date_are_not_a_date(tmp_path):
    path = log(tmp_path, NOT_A_DATE + PLANS)
    problems = check(path)
    assert sorted(problems) == list(range(2, 2 + len(NOT_A_DATE)))
    assert all(p["message"].startswith("not a date") and not p["read"] for p in problems.values())


def test_a_plan_with_no_date_stays_a_plan(tmp_path):
    path = log(tmp_path, PLANS)
    assert check(path) == {}


def test_a_row_without_its_own_date_does_not_count_from_another(tmp_path):
    path = plain_log(tmp_path / "calls.xlsx", [
        [CALL, "First call", "C0", "Ann", "Done", "30.11.2026"],
        [None, "First call", "C1", "Bob", "Done", "tomorrow"],
    ], header=HEADER)
    problems = check(path)
    assert set(problems) == {3}
    assert problems[3]["message"].startswith("not a date") and "this row has none" in problems[3]["message"]
    assert dues(path)[3][1] is None


def test_refresh_writes_the_due_read_from_the_words(tmp_path):
    path = log(tmp_path, ["tomorrow", "Friday 15:00", "asap"])
    r = CliRunner().invoke(main, ["refresh", str(path), "--as-of", "2026-11-18T10:00"])
    assert r.exit_code == 0, r.output
    ws = openpyxl.load_workbook(path)["Calls"]
    head = {c.value: c.column for c in ws[1]}
    due = {r: ws.cell(r, head["Due"]).value for r in range(2, 5)}
    assert due[2] == datetime(2026, 11, 19) or due[2] == date(2026, 11, 19)
    assert due[3] == datetime(2026, 11, 20, 15, 0)
    assert due[4] is None


def test_a_plan_of_ones_own_goes_in_tracker_yaml(tmp_path):
    path = log(tmp_path, ["parked", "asap"])
    assert sorted(check(path)) == [2, 3]
    (tmp_path / "tracker.yaml").write_text("phrases:\n  no_date: [parked]\n", encoding="utf-8")
    assert sorted(check(path)) == [3]


def test_a_number_after_a_weekday_is_no_time(tmp_path):
    # "Fri 27": the 27th, not 27:00 or 22:00; not read, said.
    path = log(tmp_path, ["Fri 27", "Mon 22"])
    problems = check(path)
    assert sorted(problems) == [2, 3] and all(p["message"].startswith("not a date") for p in problems.values())
