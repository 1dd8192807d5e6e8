"""Next contact texts as consultants type them, through `check` and `overdue`:
- plans with no date ("on hold", "ждём резюме", "等待简历", "返事待ち") are plans, not
  typos; "asap", "TBD", "скоро" are still listed, and a plan still asks for a next step;
- an hour of 1 to 6 typed with words counting from the call ("tomorrow 3:30") is read as
  written, 03:30, and `check` says so, as it does for "26.11.2026 3:30";
- a Next time column's time wins over one typed in the Next contact cell, and `check`
  says the moment that is chased;
- a follow-up or second-round interview typed as the call type is a Repeat call."""
import json
from datetime import datetime, time

import pytest
from click.testing import CliRunner

from tracker.cli import main
from workbooks import overdue_json, plain_log

pytestmark = pytest.mark.usefixtures("no_user_config")

CALL = datetime(2026, 11, 20, 10, 0)   # a Friday
HEADER = ("Date", "Call type", "Client", "Contact", "Outcome", "Next contact", "Next time")


def book(tmp_path, cells):
    """One First call row per (next contact, next time)."""
    rows = [[CALL, "First call", f"C{i}", f"P{i}", "Done", text, at] for i, (text, at) in enumerate(cells)]
    return plain_log(tmp_path / "calls.xlsx", rows, header=HEADER)


def check(path):
    r = CliRunner().invoke(main, ["check", str(path), "--format", "json"])
    assert r.exit_code in (0, 1), r.output
    return r.exit_code, [p for p in json.loads(r.stdout) if p["column"] == "F"]


def dues(path):
    return {f["row"]: (f["status"], f["due"]) for f in overdue_json(path, "2026-11-20T11:00")}


PLANS = ["on hold", "On hold until the client's budget is approved", "waiting for CV", "waiting for feedback",
         "pending", "на паузе", "ждём резюме", "ждем ответа", "暂停", "等待简历", "等反馈", "保留", "保留中", "返事待ち"]
NOT_PLANS = ["asap", "TBD", "скоро"]


def test_plans_consultants_write_are_plans_and_still_ask_for_a_next_step(tmp_path):
    path = book(tmp_path, [(t, None) for t in PLANS + NOT_PLANS])
    code, problems = check(path)
    assert code == 1
    listed = {p["row"]: p for p in problems}
    assert sorted(listed) == [2 + len(PLANS) + k for k in range(len(NOT_PLANS))]
    assert all(p["message"].startswith("not a date") and not p["read"] for p in listed.values())
    # Overdue: a plan is no date to chase on; its row asks for the next step, as before.
    found = dues(path)
    assert all(found[2 + k] == ("no_next_action", None) for k in range(len(PLANS)))


def test_only_plans_is_a_clean_check(tmp_path):
    assert check(book(tmp_path, [(t, None) for t in PLANS])) == (0, [])


@pytest.mark.parametrize("text,due,hint", [
    ("tomorrow 3:30", "2026-11-21T03:30:00", "write 15:30 or 3:30 pm"),
    ("Friday 3:30", "2026-11-27T03:30:00", "write 15:30 or 3:30 pm"),
    ("завтра 3:30", "2026-11-21T03:30:00", "write 15:30 or 3:30 дня"),
    ("明天3点半", "2026-11-21T03:30:00", "write 15:30 or 下午3点半"),
])
def test_a_small_hour_counted_from_the_call_is_read_as_written_and_said(tmp_path, text, due, hint):
    path = book(tmp_path, [(text, None)])
    code, [p] = check(path)
    assert code == 1 and p["read"]
    assert f"read as {due[:10]} 03:30" in p["message"] and hint in p["message"], p["message"]
    assert dues(path)[2] == ("upcoming", due)


@pytest.mark.parametrize("text,due", [("tomorrow 3:30 pm", "2026-11-21T15:30:00"),
                                      ("tomorrow 03:30", "2026-11-21T03:30:00")])
def test_a_time_with_its_half_of_the_day_or_a_leading_zero_is_meant(tmp_path, text, due):
    path = book(tmp_path, [(text, None)])
    _, [p] = check(path)
    assert "if the afternoon was meant" not in p["message"]
    assert dues(path)[2] == ("upcoming", due)


def test_a_small_hour_in_a_date_without_its_year_is_said_too(tmp_path):
    path = book(tmp_path, [("22.11 3:30", None)])
    _, problems = check(path)
    assert any(p["message"].startswith("3:30 read as 03:30; write 15:30") for p in problems), problems
    assert dues(path)[2] == ("upcoming", "2026-11-22T03:30:00")


def test_the_next_time_column_wins_and_check_says_the_time_chased(tmp_path):
    path = book(tmp_path, [("tomorrow 9:00", time(14, 0)), ("tomorrow", time(14, 0)),
                           ("tomorrow 3:30", time(15, 30)), ("tomorrow 9:00", None), ("tomorrow 9:00", None)])
    _, problems = check(path)
    said = {p["row"]: p["message"] for p in problems}
    assert said[2].startswith('"tomorrow 9:00" read as 2026-11-21 14:00, the day after this row\'s call')
    assert 'used over the 09:00 typed here' in said[2] and 'column G ("Next time")' in said[2]
    assert said[3].startswith('"tomorrow" read as 2026-11-21 14:00')
    # The column's 15:30 is used: no small hour to ask about.
    assert said[4].startswith('"tomorrow 3:30" read as 2026-11-21 15:30') and "afternoon" not in said[4]
    # The same words without a time of the column: their own line, the other row named.
    assert said[5].startswith('"tomorrow 9:00" read as 2026-11-21 09:00') and "so are rows 6," in said[5]
    assert dues(path) == {2: ("upcoming", "2026-11-21T14:00:00"), 3: ("upcoming", "2026-11-21T14:00:00"),
                          4: ("upcoming", "2026-11-21T15:30:00"), 5: ("upcoming", "2026-11-21T09:00:00"),
                          6: ("upcoming", "2026-11-21T09:00:00")}


def test_a_date_without_its_year_takes_the_next_time_columns_time_as_check_says(tmp_path):
    path = book(tmp_path, [("22.11 9:00", time(14, 0))])
    _, [p] = check(path)
    assert "read as 2026-11-22 14:00" in p["message"], p["message"]
    assert dues(path)[2] == ("upcoming", "2026-11-22T14:00:00")


REPEAT = ["follow-up interview", "Follow-up interview", "second interview", "2nd interview", "2nd round interview",
          "third interview", "повторное собеседование", "второе интервью", "复试", "第二次面试", "二次面接", "2次面接"]


def test_a_follow_up_or_second_round_interview_is_a_repeat_call(tmp_path):
    rows = [[datetime(2026, 11, 24, 14, 0), t, f"C{i}", "Olga", "Planned", None, f"Anna Li{i} (E{i})"]
            for i, t in enumerate(REPEAT)]
    path = plain_log(tmp_path / "calls.xlsx", rows,
                     header=("Date", "Call type", "Client", "Contact", "Outcome", "Next contact", "Candidates"))
    assert check(path)[0] == 0
    chase = overdue_json(path, "2026-11-23T09:00")
    assert {f["row"]: f["call_type"] for f in chase} == {2 + i: "repeat_call" for i in range(len(REPEAT))}
    r = CliRunner().invoke(main, ["reminders", str(path), "--from", "2026-11-23T00:00", "--to", "2026-11-24",
                                  "--format", "json"])
    assert r.exit_code == 0, r.output
    got = json.loads(r.stdout)
    # A Repeat call warns the candidates the day before and 20 minutes before.
    assert {(x["call_type"], x["whom"]["role"]) for x in got} == {("repeat_call", "candidates")}
    assert sorted(x["at"][:10] for x in got) == ["2026-11-23"] * len(REPEAT) + ["2026-11-24"] * len(REPEAT)
    assert {x["at"] for x in got if x["at"].startswith("2026-11-24")} == {"2026-11-24T13:40"}
