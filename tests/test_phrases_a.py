"""A "whom to remind" phrase's channels clause by clause, and a time of 1 to 6 o'clock
written with no half of the day (3点半, 3:30), read through real workbooks and the
terminal's `reminders` and `check`."""
import json

import openpyxl
import pytest
from click.testing import CliRunner
from datetime import time

from tracker.cli import main
from tracker.config import load_config
from tracker.phrases import read_phrase

CONFIG = load_config()
NO_USER_CONFIG = {"XDG_CONFIG_HOME": "/nonexistent-call-tracker-config", "APPDATA": "/nonexistent-call-tracker-config"}


def _log(tmp_path, rows, name="calls.xlsx"):
    """Interviews on Thu 26.11.2026 (sheet Calls) of (time, whom to remind) rows; a
    time of None is left blank, one of class `time` is an Excel time value."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Calls"
    ws.append(["Date", "Time", "Call type", "Client", "Contact", "Candidates", "Outcome", "SM", "Whom to remind"])
    for i, (at, cell) in enumerate(rows):
        ws.append(["26.11.2026", at, "Interview", f"Co{i}", f"C{i}", f"Cand{i}", "Planned", "K", cell])
    path = tmp_path / name
    wb.save(path)
    return path


def _run(*args, config=None):
    extra = ["--config", str(config)] if config else []
    return CliRunner().invoke(main, [*map(str, args), *extra], env=NO_USER_CONFIG, catch_exceptions=False)


def _reminded(path, config=None):
    """{row: {(whom, channel, minutes before the call)}} of `tracker reminders` from 25 to 28 November."""
    r = _run("reminders", path, "--from", "2026-11-25T00:00", "--to", "2026-11-28", "--format", "json", config=config)
    assert r.exit_code == 0, r.output
    from datetime import datetime
    got: dict[int, set] = {}
    for item in json.loads(r.stdout):
        before = (datetime.fromisoformat(item["call_at"]) - datetime.fromisoformat(item["at"])).total_seconds() // 60
        got.setdefault(item["call_row"], set()).add((item["whom"]["role"], item["channel"], int(before)))
    return got, r


# ---------------------------------------------------------------- 1. each clause its channel

EACH_ITS_CHANNEL = [
    "候補者に前日にメール、当日30分前にSMS",
    "candidates the day before by e-mail, 30 min before by SMS",
    "候选人前一天发邮件，当天提前30分钟发短信",
    "кандидатам накануне по почте, за 30 минут смс",
    # ... and joined by "and" / "и" / "と".
    "candidates the day before by e-mail and 30 min before by SMS",
    "кандидатам накануне по почте и за 30 минут смс",
    "候補者に前日にメールと当日30分前にSMS",
]


@pytest.mark.parametrize("text", EACH_ITS_CHANNEL)
def test_each_part_of_a_phrase_reminds_by_its_own_channel(text):
    reading = read_phrase(text, CONFIG)
    got = {(r.whom, r.channel, r.minutes_before, r.days_before) for r in reading.rules}
    assert reading.ok and got == {("candidates", "email", None, 1), ("candidates", "sms", 30, 0)}, reading.understood
    assert reading.channels_apart == ()


def test_a_logs_reminders_go_by_each_parts_channel_and_check_has_nothing_to_say(tmp_path):
    path = _log(tmp_path, [("11:00", t) for t in EACH_ITS_CHANNEL[:4]])
    got, _ = _reminded(path)
    # The day before at the configured 10:00 (25 h before the 11:00 call), and 30 min before.
    assert got == {row: {("candidates", "email", 25 * 60), ("candidates", "sms", 30)} for row in (2, 3, 4, 5)}
    r = _run("check", path)
    assert r.exit_code == 0, r.output


# ---------------------------------------------------------------- 2. a sentence of other people

OTHER_PEOPLE = [
    "клиенту за 15 минут по почте; кандидатам за 20 минут",
    "email the client 15 min before; candidates 20 min before",
    "提前15分钟给客户发邮件；提前20分钟提醒候选人",
    "15分前にクライアントにメール；20分前に候補者",
    "クライアントに15分前にメール。候補者に20分前",
]


@pytest.mark.parametrize("text", OTHER_PEOPLE)
def test_a_sentence_naming_other_people_and_no_channel_keeps_their_default(text):
    reading = read_phrase(text, CONFIG)
    got = {(r.whom, r.channel, r.minutes_before) for r in reading.rules}
    assert reading.ok and got == {("client", "email", 15), ("candidates", "", 20)}, reading.understood


@pytest.mark.parametrize("text, expected", [
    # The same people, or none named: the channel goes on.
    ("email the client 15 min before; the client 5 min before", {("client", "email", 15), ("client", "email", 5)}),
    ("клиенту за 15 минут по почте; за 5 минут", {("client", "email", 15), ("client", "email", 5)}),
    # A channel alone is its neighbours' (7ab4a78), the other people's after it too.
    ("клиенту за 15 минут по почте; кандидатам за 20 минут; смс", {("client", "email", 15), ("candidates", "sms", 20)}),
    ("remind the candidate 20 min before; by SMS; remind the client 15 min before",
     {("candidates", "sms", 20), ("client", "sms", 15)}),
    # Within one sentence a channel is shared.
    ("SMS the candidate 2 hours before and the client 15 min before", {("candidates", "sms", 120), ("client", "sms", 15)}),
])
def test_a_channel_goes_on_for_the_same_people_a_channel_alone_and_within_a_sentence(text, expected):
    reading = read_phrase(text, CONFIG)
    assert reading.ok and {(r.whom, r.channel, r.minutes_before) for r in reading.rules} == expected, reading.understood


def test_a_logs_other_people_get_the_configured_default_channel(tmp_path):
    path = _log(tmp_path, [("11:00", t) for t in OTHER_PEOPLE])
    rows = range(2, 2 + len(OTHER_PEOPLE))
    got, _ = _reminded(path)
    sms = CONFIG.section("reminders")["channels"]["candidates"]
    assert got == {row: {("client", "email", 15), ("candidates", sms, 20)} for row in rows}
    # Whatever the user's default for candidates is.
    user = tmp_path / "tracker.yaml"
    user.write_text("reminders:\n  channels:\n    candidates: whatsapp\n", encoding="utf-8")
    got, _ = _reminded(path, config=user)
    assert got == {row: {("client", "email", 15), ("candidates", "whatsapp", 20)} for row in rows}


# ---------------------------------------------------------------- 3. 3点半: 03:30 or 15:30?

SMALL_HOURS = [("3点半", "03:30", "15:30", "下午3点半"), ("3時半", "03:30", "15:30", "午後3時半"),
               ("3点", "03:00", "15:00", "下午3点"), ("3:30", "03:30", "15:30", "3:30 pm"),
               ("5.45", "05:45", "17:45", "5.45 pm")]


def test_a_time_of_1_to_6_with_no_half_of_the_day_is_read_and_shown_to_look_at(tmp_path):
    meant = ["15:30", "下午3点半", "午後3時半", "03:30", "3:30 am", "3:30 pm", time(3, 30), "9:30", "9点半", "0:30"]
    path = _log(tmp_path, [(t, "") for t, *_ in SMALL_HOURS] + [(t, "") for t in meant])
    r = _run("check", path, "--format", "json")
    assert r.exit_code == 1, r.output
    problems = json.loads(r.stdout)
    assert [(p["sheet"], p["row"], p["column"], p["value"]) for p in problems] == [
        ("Calls", 2 + i, "B", t) for i, (t, *_) in enumerate(SMALL_HOURS)]
    for p, (t, read, afternoon, written) in zip(problems, SMALL_HOURS):
        assert p["read"] is True
        assert p["message"] == (f"{t} read as {read}; write {afternoon} or {written} if the afternoon was meant "
                                f"({read} if the night was)")
    # Read as written all the same: the call is at 03:30, and a listing says "to look at".
    from tracker.jobs import read
    calls = read(path, CONFIG).records
    assert calls[0].time == time(3, 30) and calls[5].time == time(15, 30)
    _, r = _reminded(path)
    assert f"{len(SMALL_HOURS)} things to look at" in r.stderr, r.stderr


def test_a_date_typed_with_a_time_of_1_to_6_and_no_half_of_the_day_is_shown_to_look_at(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Calls"
    ws.append(["Date", "Call type", "Contact", "Comment on the call", "Next contact"])
    dates = ["26.11.2026 3:30", "2026年11月26日3点半", "2026/11/26 3時", "26.11.2026 15:30", "26.11.2026 03:30",
             "26.11.2026 3:30 pm", "2026年11月26日下午3点半", "26.11.2026"]
    for i, d in enumerate(dates):
        ws.append([d, "Interview", f"C{i}", "x", "30.11.2026 4:15" if i == 7 else ""])
    wb.save(tmp_path / "dates.xlsx")
    r = _run("check", tmp_path / "dates.xlsx", "--format", "json")
    assert r.exit_code == 1, r.output
    assert [(p["row"], p["column"], p["message"].split(";")[0], p["read"]) for p in json.loads(r.stdout)] == [
        (2, "A", "3:30 read as 03:30", True), (3, "A", "3点半 read as 03:30", True), (4, "A", "3時 read as 03:00", True),
        (9, "E", "4:15 read as 04:15", True)]


@pytest.mark.parametrize("text, hint", [
    ("3点半提醒候选人", "3点半: 03:30 or 15:30? write 15:30 or 下午3点半 if the afternoon was meant"),
    ("前日3時に候補者へメール", "3時: 03:00 or 15:00? write 15:00 or 午後3時 if the afternoon was meant"),
    ("remind the candidate the day before at 3:30", "3:30: 03:30 or 15:30? write 15:30 or 3:30 pm"),
    ("напомнить кандидату накануне в 3:30", "3:30: 03:30 or 15:30? write 15:30"),
])
def test_a_phrase_with_a_time_of_1_to_6_and_no_half_of_the_day_is_not_read(text, hint):
    reading = read_phrase(text, CONFIG)
    assert not reading.ok and hint in reading.understood, reading.understood


@pytest.mark.parametrize("text, at", [
    ("下午3点半提醒候选人", time(15, 30)), ("15点半提醒候选人", time(15, 30)), ("前日午後3時に候補者へ", time(15, 0)),
    ("前日午前3時に候補者へ", time(3, 0)), ("remind the candidate the day before at 3:30 pm", time(15, 30)),
    ("remind the candidate the day before at 03:30", time(3, 30)), ("напомнить кандидату накануне в 3:30 дня", time(15, 30)),
    ("напомнить кандидату накануне в 3:30 утра", time(3, 30)), ("9点提醒候选人", time(9, 0)),
])
def test_a_phrases_time_with_its_half_of_the_day_or_a_leading_zero_is_read(text, at):
    reading = read_phrase(text, CONFIG)
    assert reading.ok and {r.at_time for r in reading.rules} == {at}, reading.understood


def test_a_logs_phrase_at_3点半_is_reported_and_the_call_keeps_its_defaults(tmp_path):
    path = _log(tmp_path, [("16:00", "3点半提醒候选人"), ("16:00", "下午3点半提醒候选人")])
    got, r = _reminded(path)
    assert got[3] == {("candidates", "sms", 30)}
    assert ("candidates", "sms", 20) in got[2]      # an interview's own: 20 min before
    assert '1 "whom to remind" cell could not be read' in r.stderr, r.stderr
    r = _run("check", path, "--format", "json")
    assert r.exit_code == 1
    [p] = json.loads(r.stdout)
    assert (p["row"], p["column"], p["read"]) == (2, "I", False)
    assert "3点半: 03:30 or 15:30? write 15:30 or 下午3点半 if the afternoon was meant" in p["message"]


def test_a_reminder_at_a_clock_time_not_before_its_call_is_said_not_dropped(tmp_path):
    # "at 16:00" for a 14:00 interview reminded no one and said nothing.
    path = _log(tmp_path, [("14:00", "remind the candidate at 16:00"), ("14:00", "remind the candidate at 14:00"),
                           ("14:00", "remind the candidate at 9:00"),
                           ("14:00", "remind the candidate the day before at 16:00"), (None, "remind the candidate at 16:00")])
    r = _run("check", path, "--format", "json")
    assert r.exit_code == 1, r.output
    assert [(p["row"], p["column"], p["message"], p["read"]) for p in json.loads(r.stdout)] == [
        (row, "I", f"a reminder at {at} on the day of the call is not before the call at 14:00: no one is reminded "
                   "then; write a time before it", True) for row, at in ((2, "16:00"), (3, "14:00"))]
    got, r = _reminded(path)
    assert set(got) == {4, 5, 6}
    assert '2 "whom to remind" cells to look at' in r.stderr, r.stderr


@pytest.mark.parametrize("text, later", [
    ("client and SM by telegram 1 hour before; SM and client 15 min before", {"client", "manager"}),
    ("client and SM by telegram 1 hour before; client 15 min before", {"client"}),
])
def test_the_same_people_in_another_order_or_some_of_them_keep_the_channel(text, later):
    # Compared as written, in order: "SM and client" were other people, reminded by SMS.
    reading = read_phrase(text, CONFIG)
    assert reading.ok, reading.understood
    assert {(r.whom, r.channel) for r in reading.rules if r.minutes_before == 15} == {(w, "telegram") for w in later}


def test_a_phrases_time_of_1_to_6_is_the_one_reading_before_the_call_when_one_only_is(tmp_path):
    # "at 6:45" for a 16:00 interview: 18:45 is after it, so 06:45 (as read before 95f9919).
    # For a 17:00 one "at 3:30" is 03:30 or 15:30, both before it: not read, said.
    path = _log(tmp_path, [("16:00", "remind the candidate at 6:45"), ("17:00", "remind the candidate at 3:30"),
                           ("09:00", "remind the candidate at 3:30")])
    got, r = _reminded(path)
    assert got[2] == {("candidates", "sms", 9 * 60 + 15)} and got[4] == {("candidates", "sms", 5 * 60 + 30)}
    assert ("candidates", "sms", 20) in got[3]      # an interview's own: 20 min before
    r = _run("check", path, "--format", "json")
    assert [(p["row"], p["read"]) for p in json.loads(r.stdout)] == [(3, False)]
    assert "3:30: 03:30 or 15:30?" in json.loads(r.stdout)[0]["message"]


@pytest.mark.parametrize("text, at, days", [
    # The night: 11 at night is 23:00, 3 at night 03:00; 半夜 is no evening (夜).
    ("remind the client at 11:30 at night", time(23, 30), 0), ("клиенту в 11:30 ночи", time(23, 30), 0),
    ("клиенту в 3:30 ночи", time(3, 30), 0), ("客户 当天半夜3点", time(3, 0), 0), ("客户 当天晚上9点", time(21, 0), 0),
    # An hour alone with its half of the day after it; "the eve" of "the evening" is no day before.
    ("клиенту накануне в 5 вечера", time(17, 0), 1), ("remind the client the day before at 5 in the evening", time(17, 0), 1),
    ("кандидату в 9 утра", time(9, 0), 0),
])
def test_a_phrases_half_of_the_day_sets_its_hour(text, at, days):
    reading = read_phrase(text, CONFIG)
    assert reading.ok, reading.understood
    assert [(r.at_time, r.days_before) for r in reading.rules] == [(at, days)]
