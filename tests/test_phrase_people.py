"""The "whom to remind" column naming the row's own people in any script, and a clause
of a channel alone ("...; by SMS"), read in the consultant's words and through the real
reader, checks and terminal."""
from datetime import datetime

import openpyxl
import pytest
from click.testing import CliRunner

from tracker.cli import main
from tracker.config import load_config
from tracker.jobs import checked_problems, read, reminder_list
from tracker.phrases import phrase_people, read_phrase

CONFIG = load_config()
PEOPLE = ("Анна Ли", "Anna Lee", "李娜", "田中太郎", "Иван Петров", "Ελένη Παππά", "Co1")


def R(whom, minutes=None, days=0, channel="", names=()):
    return (whom, channel, minutes, days, tuple(names))


def _rules(text, people=()):
    reading = read_phrase(text, CONFIG, people)
    return reading, {(r.whom, r.channel, r.minutes_before, r.days_before, r.names) for r in reading.rules}


# A name in Cyrillic, Chinese, Japanese or Greek was no one to remind unless written in
# Latin capitals after "remind": the cell did not read, and the call got its type's
# defaults. One of the row's people is a person for sure, wherever a role word would be,
# leading the phrase too, and is named as the row writes them (Анне Ли is Анна Ли).
ROWS_PEOPLE = [
    ("Анна Ли за час", {R("named", 60, names=["Анна Ли"])}),
    ("Анне Ли за час по смс", {R("named", 60, channel="sms", names=["Анна Ли"])}),
    ("напомнить Анне Ли за час", {R("named", 60, names=["Анна Ли"])}),
    ("клиенту и Анне Ли за час", {R("client", 60), R("named", 60, names=["Анна Ли"])}),
    ("Ивану Петрову по смс накануне", {R("named", days=1, channel="sms", names=["Иван Петров"])}),
    ("Anna Lee 1 hour before", {R("named", 60, names=["Anna Lee"])}),
    ("李娜提前一小时", {R("named", 60, names=["李娜"])}),
    ("提前一小时提醒李娜", {R("named", 60, names=["李娜"])}),
    ("提前1小时给客户和李娜发短信", {R("client", 60, channel="sms"), R("named", 60, channel="sms", names=["李娜"])}),
    ("田中太郎さんに1時間前にメール", {R("named", 60, channel="email", names=["田中太郎"])}),
    ("1時間前に田中太郎さんへメール", {R("named", 60, channel="email", names=["田中太郎"])}),
    ("Ελένη Παππά 1 hour before", {R("named", 60, names=["Ελένη Παππά"])}),
    ("remind the candidate 1 hour before; Анна Ли the day before",
     {R("candidates", 60), R("named", days=1, names=["Анна Ли"])}),
]

# ... and named as the one the call is with, or not at all, they are no one to remind.
ROWS_PEOPLE_NOT_REMINDED = [
    ("remind the client 1 hour before the interview with Anna Lee", {R("client", 60)}),
    ("напомнить клиенту за час до собеседования с Анной Ли", {R("client", 60)}),
    ("与李娜面试前20分钟提醒客户", {R("client", 20)}),
    ("remind candidates 20 min before", {R("candidates", 20)}),
]


@pytest.mark.parametrize("text, expected", ROWS_PEOPLE + ROWS_PEOPLE_NOT_REMINDED,
                         ids=[t[:30] for t, _ in ROWS_PEOPLE + ROWS_PEOPLE_NOT_REMINDED])
def test_the_rows_own_people_are_named_in_any_script(text, expected):
    reading, rules = _rules(text, PEOPLE)
    assert reading.ok and rules == expected, reading.understood
    assert reading.channels_apart == ()


@pytest.mark.parametrize("text", ["Анна Ли за час", "李娜提前一小时", "Anna Lee 1 hour before", "田中太郎さんに1時間前にメール"])
def test_a_name_the_row_does_not_give_leads_no_phrase(text):
    # Without the row's people, nothing says "Анна Ли" is someone rather than "Monday":
    # the cell stays unread (check reports it), as "Monday 1 hour before" does with them.
    assert not read_phrase(text, CONFIG).ok
    assert not read_phrase("Monday 1 hour before", CONFIG, PEOPLE).ok


# A capitalised Cyrillic or Greek name is found where a Latin one is, the row's people or
# not; capitalised words of the vocabulary stay what they are.
CAPITALISED = [
    ("remind the client and Анна Ли 15 min before", {R("client", 15), R("named", 15, names=["Анна Ли"])}),
    ("remind Ελένη Παππά 1 hour before", {R("named", 60, names=["Ελένη Παππά"])}),
    ("remind the client by SMS; Иван Петров by e-mail the day before",
     {R("client", days=1, channel="sms"), R("named", days=1, channel="email", names=["Иван Петров"])}),
    ("напомнить клиенту за час; Ольга за день", {R("client", 60), R("named", days=1, names=["Ольга"])}),
    ("Напомнить Клиенту За 15 Минут По Почте", {R("client", 15, channel="email")}),
    ("Кандидату Смс За Час", {R("candidates", 60, channel="sms")}),
    ("Предупредить Тимлида за день", {R("team_lead", days=1)}),
]


@pytest.mark.parametrize("text, expected", CAPITALISED, ids=[t[:30] for t, _ in CAPITALISED])
def test_a_capitalised_name_in_cyrillic_or_greek_is_a_name(text, expected):
    reading, rules = _rules(text)
    assert reading.ok and rules == expected, reading.understood


def test_what_a_reading_depends_on_is_the_people_the_phrase_may_name():
    # row_reminder_rules keys its readings on this: the people found in the phrase only,
    # so a phrase recurring over rows of different people is still read once.
    assert phrase_people("Анне Ли за час", ("C1", "Анна Ли", "Co1", "K")) == ("Анна Ли",)
    assert phrase_people("remind candidates 20 min before", PEOPLE) == ()


# A clause of a channel alone lost it: "remind the candidate and the client 1 day before;
# by SMS" sent the candidate an SMS and the client an e-mail (their defaults), and check
# said nothing. It is the channel of the clauses before it that name none.
CHANNEL_CLAUSE = [
    ("remind the candidate and the client 1 day before; by SMS",
     {R("candidates", days=1, channel="sms"), R("client", days=1, channel="sms")}),
    ("remind the candidate and the client 1 day before; SMS",
     {R("candidates", days=1, channel="sms"), R("client", days=1, channel="sms")}),
    ("remind the candidate 1 day before. By SMS.", {R("candidates", days=1, channel="sms")}),
    ("remind the candidate 1 day before\nSMS and e-mail",
     {R("candidates", days=1, channel="sms"), R("candidates", days=1, channel="email")}),
    ("напомнить кандидату за день; по смс", {R("candidates", days=1, channel="sms")}),
    ("提前一天提醒候选人；短信", {R("candidates", days=1, channel="sms")}),
    ("前日に候補者へリマインド。メールで", {R("candidates", days=1, channel="email")}),
    ("email the candidate 1 day before; remind the client 1 hour before; by SMS",
     {R("candidates", days=1, channel="email"), R("client", 60, channel="sms")}),
    ("remind the candidate 1 day before; by SMS; remind the client 1 hour before",
     {R("candidates", days=1, channel="sms"), R("client", 60, channel="sms")}),
    ("SMS the candidate 1 day before; SMS", {R("candidates", days=1, channel="sms")}),
]


# ... but a clause naming the call says how it is held: the others keep their channel.
CHANNEL_NAMING_THE_CALL = [
    ("remind the candidate 1 day before; phone interview", {R("candidates", days=1)}),
    ("напомнить кандидату за день; собеседование по телефону", {R("candidates", days=1)}),
]


@pytest.mark.parametrize("text, expected", CHANNEL_CLAUSE + CHANNEL_NAMING_THE_CALL,
                         ids=[t[:40] for t, _ in CHANNEL_CLAUSE + CHANNEL_NAMING_THE_CALL])
def test_a_clause_of_a_channel_alone_is_the_channel_of_those_before_it(text, expected):
    reading, rules = _rules(text)
    assert reading.ok and rules == expected, reading.understood
    assert reading.channels_apart == ()


CHANNEL_CLAUSE_APART = [
    ("call the candidate and the client 1 day before; by SMS", (("phone",), ("sms",)),
     {R("candidates", days=1, channel="phone"), R("client", days=1, channel="phone")}),
    ("e-mail the client 1 hour before; SMS", (("email",), ("sms",)), {R("client", 60, channel="email")}),
    ("remind the candidate 1 day before and e-mail the client 1 hour before; by SMS", (("email",), ("sms",)),
     {R("candidates", days=1), R("client", 60, channel="email")}),
]


@pytest.mark.parametrize("text, apart, expected", CHANNEL_CLAUSE_APART, ids=[t[:40] for t, *_ in CHANNEL_CLAUSE_APART])
def test_a_clause_of_a_channel_after_one_naming_its_own_is_named_apart(text, apart, expected):
    # Another channel for the same people, or instead? The first is used, and check says so.
    reading, rules = _rules(text)
    assert reading.ok and rules == expected, reading.understood
    assert reading.channels_apart == (apart,)


def _log(tmp_path, rows):
    """A log of interviews on Thu 26.11.2026 at 11:00 (sheet Calls) of (candidates,
    contact, whom to remind) rows."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Calls"
    ws.append(["Date", "Time", "Call type", "Client", "Contact", "Candidates", "Outcome", "SM", "Whom to remind"])
    for i, (candidates, contact, cell) in enumerate(rows):
        ws.append(["26.11.2026", "11:00", "Interview", f"Co{i}", contact, candidates, "Planned", "K", cell])
    path = tmp_path / "people.xlsx"
    wb.save(path)
    return path


def _reminded(path, key):
    """The log at `path`, and what each of its rows is reminded of (`key` of each reminder)
    from 25 to 28 November."""
    log = read(path, CONFIG)
    got: dict[int, set] = {}
    for r in reminder_list(log, CONFIG, datetime(2026, 11, 25), datetime(2026, 11, 28)):
        got.setdefault(r.call_row, set()).add(key(r))
    return log, got


def test_a_logs_rows_remind_their_own_people_named_in_their_script(tmp_path):
    # The same phrase on a row of that person and on a row of others: each row's reading
    # is its own (a cache of readings by phrase alone gave both the first row's).
    rows = [
        ("Анна Ли", "C0", "Анна Ли за час"),
        ("Cand1", "C1", "Анна Ли за час"),
        ("李娜", "C2", "李娜提前一小时"),
        ("Cand3", "Anna Lee", "Anna Lee 1 hour before"),
        ("Иван Петров; Анна Ли", "C4", "напомнить Ивану Петрову за час"),
        ("Cand5", "C5", "Анна Ли за час"),
    ]
    path = _log(tmp_path, rows)
    log, got = _reminded(path, lambda r: (r.whom, tuple(r.names), r.at))
    hour = datetime(2026, 11, 26, 10, 0)
    assert {row: got[row] for row in (2, 4, 5, 6)} == {
        2: {("named", ("Анна Ли",), hour)},
        4: {("named", ("李娜",), hour)},
        5: {("named", ("Anna Lee",), hour)},
        6: {("named", ("Иван Петров",), hour)},
    }
    # Rows 3 and 7 name no one of theirs: unread, they keep the interview's defaults.
    assert {whom for whom, _, _ in got[3] | got[7]} == {"candidates"}
    assert [(p.row, p.read) for p in checked_problems(log, CONFIG)] == [(3, False), (7, False)]
    r = CliRunner().invoke(main, ["reminders", str(path), "--from", "2026-11-25T00:00", "--to", "2026-11-28",
                                  "--format", "json"])
    assert r.exit_code == 0, r.output
    assert '2 "whom to remind" cells could not be read' in r.stderr, r.stderr


def test_a_logs_clause_of_a_channel_alone_reminds_by_it_or_is_reported(tmp_path):
    rows = [
        ("Cand0", "C0", "remind the candidate and the client 1 day before; by SMS"),
        ("Cand1", "C1", "call the candidate and the client 1 day before; by SMS"),
    ]
    path = _log(tmp_path, rows)
    log, got = _reminded(path, lambda r: (r.whom, r.channel))
    assert got == {2: {("candidates", "sms"), ("client", "sms")}, 3: {("candidates", "phone"), ("client", "phone")}}
    problems = checked_problems(log, CONFIG)
    assert [(p.cell, p.read) for p in problems] == [("Calls!I3", True)]
    assert problems[0].message.startswith("names two channels (Phone, SMS) for the same people; only Phone is used")
    r = CliRunner().invoke(main, ["check", str(path)])
    assert r.exit_code == 1 and "Calls" in r.output and "only Phone is used" in r.output, r.output
