"""The "whom to remind" column read in the consultant's own words (en/ru/zh/ja)."""
from datetime import datetime, time

import pytest

from tracker.config import load_config
from tracker.phrases import read_phrase

CONFIG = load_config()

# (whom, channel, minutes_before, days_before, at_time, names)
DAY = None  # a day-before rule without a clock time: the engine's default time applies


def R(whom, minutes=None, days=0, at=None, channel="", names=()):
    return (whom, channel, minutes, days, at, tuple(names))


PHRASES = [
    # Seed 002's own column, verbatim.
    ("За 15 мин до звонка отправить клиенту письмо-напоминание о предстоящей забронированной встрече",
     {R("client", 15, channel="email")}),
    ("За 20 минут до звонка напоминаем кандидатам о предстоящем собеседовании",
     {R("candidates", 20)}),
    ("Предупреждаем кандидатов о предстоящем собеседовании за день до события, и в день звонка – за 20 минут",
     {R("candidates", days=1), R("candidates", 20)}),
    ("Предупреждаем нанятого клиентом сотрудника и его Тимлида о предстоящем звонке за день до события, и в день звонка – за 20 минут",
     {R("hired_employee", days=1), R("hired_employee", 20), R("team_lead", days=1), R("team_lead", 20)}),
    # Russian, other wordings.
    ("предупреждаем кандидатов за день до события и в день звонка за 20 минут", {R("candidates", days=1), R("candidates", 20)}),
    ("накануне позвонить кандидату", {R("candidates", days=1, channel="phone")}),
    ("за час до встречи написать клиенту в телеграм", {R("client", 60, channel="telegram")}),
    ("за полчаса смс кандидату", {R("candidates", 30, channel="sms")}),
    ("напомнить менеджеру за 2 часа", {R("manager", 120)}),
    ("клиенту письмо за 1 день до встречи в 18:00", {R("client", days=1, at=time(18, 0), channel="email")}),
    ("кандидатам в WhatsApp за 15 минут", {R("candidates", 15, channel="whatsapp")}),
    ("в день собеседования в 9:00 позвонить кандидату", {R("candidates", at=time(9, 0), channel="phone")}),
    ("тимлиду за 30 минут", {R("team_lead", 30)}),
    ("Напомнить клиенту за сутки до звонка", {R("client", days=1)}),
    # English.
    ("remind candidates 1 day before and 20 min before", {R("candidates", days=1), R("candidates", 20)}),
    ("email the client 15 minutes before", {R("client", 15, channel="email")}),
    ("text the candidate 2 hours before", {R("candidates", 120, channel="sms")}),
    ("call the candidate the day before at 10:00", {R("candidates", days=1, at=time(10, 0), channel="phone")}),
    ("Remind the client 15 min before the call", {R("client", 15)}),
    ("remind the hired employee and the team lead the day before and 20 minutes before",
     {R("hired_employee", days=1), R("hired_employee", 20), R("team_lead", days=1), R("team_lead", 20)}),
    ("email the client 15 minutes before; SMS the candidates the day before at 18:00",
     {R("client", 15, channel="email"), R("candidates", days=1, at=time(18, 0), channel="sms")}),
    ("Remind Anna Li and Boris 30 min before", {R("named", 30, names=("Anna Li", "Boris"))}),
    ("an hour before, text the candidate", {R("candidates", 60, channel="sms")}),
    ("WhatsApp the candidates half an hour before", {R("candidates", 30, channel="whatsapp")}),
    ("remind the candidate on the day at 9am", {R("candidates", at=time(9, 0))}),
    ("remind the manager 2 days before", {R("manager", days=2)}),
    ("ping the client on Telegram 10 min ahead", {R("client", 10, channel="telegram")}),
    ("candidates: SMS 20 min prior", {R("candidates", 20, channel="sms")}),
    # Chinese.
    ("提前一天提醒候选人", {R("candidates", days=1)}),
    ("提前15分钟给客户发邮件提醒", {R("client", 15, channel="email")}),
    ("面试前20分钟短信提醒候选人", {R("candidates", 20, channel="sms")}),
    ("前一天下午3点电话确认候选人", {R("candidates", days=1, at=time(15, 0), channel="phone")}),
    ("提前1小时微信提醒客户", {R("client", 60, channel="wechat")}),
    ("当天9点打电话给候选人", {R("candidates", at=time(9, 0), channel="phone")}),
    ("提前半小时提醒组长和录用员工", {R("team_lead", 30), R("hired_employee", 30)}),
    ("提前两天提醒经理", {R("manager", days=2)}),
    # Japanese.
    ("前日と20分前に候補者へ連絡", {R("candidates", days=1), R("candidates", 20)}),
    ("15分前にクライアントへメールでリマインド", {R("client", 15, channel="email")}),
    ("当日9時に候補者に電話", {R("candidates", at=time(9, 0), channel="phone")}),
    ("前日18時に候補者へメール", {R("candidates", days=1, at=time(18, 0), channel="email")}),
    ("1時間前にチームリーダーへ連絡", {R("team_lead", 60)}),
    ("30分前に採用者とリーダーにリマインド", {R("hired_employee", 30), R("team_lead", 30)}),
    ("２日前に顧客へメール", {R("client", days=2, channel="email")}),
]

# A clock-timed day-before plus an offset, joined by "and"/"и"/"和"/"と". In English,
# "and" was once read as "an"+"d" (1 day before), adding an untimed day-before reminder.
DAY_BEFORE_AT_AND_OFFSET = [
    ("remind candidates the day before at 9:00 and 1 hour before", {R("candidates", days=1, at=time(9, 0)), R("candidates", 60)}),
    ("remind candidates the day before at 9:00 and 20 min before", {R("candidates", days=1, at=time(9, 0)), R("candidates", 20)}),
    ("remind candidates 1 hour before and the day before at 9:00", {R("candidates", days=1, at=time(9, 0)), R("candidates", 60)}),
    ("remind candidates on the day at 9:00 and 1 hour before", {R("candidates", at=time(9, 0)), R("candidates", 60)}),
    ("text the candidate at 9 am 1h before", {R("candidates", at=time(9, 0), channel="sms"), R("candidates", 60, channel="sms")}),
    ("напомнить кандидатам накануне в 9:00 и за 1 час до", {R("candidates", days=1, at=time(9, 0)), R("candidates", 60)}),
    ("напомнить кандидатам за день до в 9:00 и за 20 минут", {R("candidates", days=1, at=time(9, 0)), R("candidates", 20)}),
    ("前一天9:00和提前1小时提醒候选人", {R("candidates", days=1, at=time(9, 0)), R("candidates", 60)}),
    ("提前一天9点和提前20分钟提醒候选人", {R("candidates", days=1, at=time(9, 0)), R("candidates", 20)}),
    ("前日9時と1時間前に候補者へ連絡", {R("candidates", days=1, at=time(9, 0)), R("candidates", 60)}),
    ("前日9:00と20分前に候補者へ連絡", {R("candidates", days=1, at=time(9, 0)), R("candidates", 20)}),
    # Two clauses joined by a comma, each with its own whom, when and how (found trying the
    # product: both people got both times); a comma inside a list of whom stays a list.
    ("за полчаса отправить клиенту письмо, менеджеру за час в телеграм",
     {R("client", 30, channel="email"), R("manager", 60, channel="telegram")}),
    ("client 15 min before by e-mail, manager 1 hour before by telegram",
     {R("client", 15, channel="email"), R("manager", 60, channel="telegram")}),
    ("remind the candidates, the client and the SM 20 min before", {R("candidates", 20), R("client", 20), R("manager", 20)}),
    ("кандидатам, клиенту за 20 минут", {R("candidates", 20), R("client", 20)}),
    ("1時間前に候補者にLINEで連絡", {R("candidates", 60, channel="line")}),
    ("remind the line manager 1 hour before", {R("manager", 60)}),   # "line" alone is no channel
    ("ラインマネージャーに1時間前", {R("manager", 60)}),
]

NOT_PHRASES = [
    "remind later",
    "обсудить бюджет",
    "TBD",
    "2 candidates",              # a number but no "before"
    "at 15:00",                  # a time but nobody
    "кандидаты",                 # somebody but no time
    "面试",
    "確認中",
    "",
]


def _rules(text):
    reading = read_phrase(text, CONFIG)
    return reading, {(r.whom, r.channel, r.minutes_before, r.days_before, r.at_time, r.names) for r in reading.rules}


def test_the_table_is_large_enough_and_covers_four_languages():
    assert len(PHRASES) >= 40
    scripts = {"ru": "а", "zh": "提", "ja": "前"}
    assert all(any(s in t for t, _ in PHRASES) for s in scripts.values())


@pytest.mark.parametrize("text, expected", PHRASES, ids=[t[:40] for t, _ in PHRASES])
def test_phrase_gives_exactly_these_reminders(text, expected):
    reading, rules = _rules(text)
    assert reading.ok, reading.understood
    assert rules == expected
    assert all(r.source == "row" for r in reading.rules)


@pytest.mark.parametrize("text, expected", DAY_BEFORE_AT_AND_OFFSET, ids=[t[:40] for t, _ in DAY_BEFORE_AT_AND_OFFSET])
def test_each_moment_is_read_once_and_nothing_is_added(text, expected):
    reading, rules = _rules(text)
    assert rules == expected, reading.understood


@pytest.mark.parametrize("text", NOT_PHRASES)
def test_phrase_that_must_not_parse(text):
    reading, rules = _rules(text)
    assert not reading.ok
    assert rules == set()
    assert reading.understood  # always says what was understood


def test_understood_says_what_was_read_of_a_half_phrase():
    reading = read_phrase("кандидаты", CONFIG)
    assert "candidates" in reading.understood and "no time" in reading.understood


def test_users_add_their_own_words_in_config(tmp_path):
    cfg = tmp_path / "tracker.yaml"
    cfg.write_text("phrases:\n  whom:\n    client: [boss]\n  channel:\n    telegram: [tgm]\n", encoding="utf-8")
    config = load_config(cfg)
    reading = read_phrase("remind the boss via tgm 10 min before", config)
    assert reading.ok
    assert {(r.whom, r.channel, r.minutes_before) for r in reading.rules} == {("client", "telegram", 10)}
    # The shipped words are still there: lists extend, they are not replaced.
    assert read_phrase("remind the client 10 min before", config).ok


@pytest.mark.parametrize("text", ["не напоминать", "Без напоминаний.", "no reminder", "不提醒", "リマインド不要"])
def test_a_phrase_saying_no_reminder_turns_the_defaults_off_for_that_row(text):
    # It was "cannot read this reminder; the call type's defaults are used": there was no
    # way to say a call needs none.
    reading = read_phrase(text, CONFIG)
    assert reading.ok and reading.rules == () and reading.understood == "no reminder for this call"


@pytest.mark.parametrize("text", ["-", "—", "none"])
def test_a_dash_or_none_left_in_the_cell_is_no_phrase_and_keeps_the_defaults(text):
    # A blank left as a dash is not "remind nobody" (found by a review): check says so.
    assert not read_phrase(text, CONFIG).ok


# Two reminders joined by "and" / "и" / "并且" / "と", each side with its own person and
# its own time or channel (found by a tester: both people got both times, all by the first
# channel, and nobody was e-mailed). Joined people, or joined times of the same people,
# stay one reminder: seed 002's "warn the hired employee and the team lead the day before
# and 20 min before".
JOINED = [
    ("remind the candidate 2 hours before by SMS and the client by email the day before",
     {R("candidates", 120, channel="sms"), R("client", days=1, channel="email")}),
    ("SMS the candidate 2 hours before and e-mail the client the day before",
     {R("candidates", 120, channel="sms"), R("client", days=1, channel="email")}),
    ("the client by e-mail 15 min before and the candidates by SMS 1 hour before",
     {R("client", 15, channel="email"), R("candidates", 60, channel="sms")}),
    # A side with a channel and no time has the other side's time.
    ("remind the candidate by SMS and the client by email the day before",
     {R("candidates", days=1, channel="sms"), R("client", days=1, channel="email")}),
    ("text the candidate and email the client 1 hour before",
     {R("candidates", 60, channel="sms"), R("client", 60, channel="email")}),
    ("SMS the candidate 2 hours before, e-mail the client the day before and telegram the manager 1 hour before",
     {R("candidates", 120, channel="sms"), R("client", days=1, channel="email"), R("manager", 60, channel="telegram")}),
    ("кандидату за 2 часа смс и клиенту накануне письмо",
     {R("candidates", 120, channel="sms"), R("client", days=1, channel="email")}),
    ("напомнить кандидату за 2 часа по смс а клиенту накануне письмом",
     {R("candidates", 120, channel="sms"), R("client", days=1, channel="email")}),
    # Seed 002's wording, "за 15 мин до звонка отправить клиенту письмо", joined to another.
    ("за день до собеседования позвонить кандидату и за 15 мин до звонка отправить клиенту письмо",
     {R("candidates", days=1, channel="phone"), R("client", 15, channel="email")}),
    ("提前2小时短信提醒候选人并且提前一天给客户发邮件",
     {R("candidates", 120, channel="sms"), R("client", days=1, channel="email")}),
    ("候选人提前2小时短信和客户提前一天邮件",
     {R("candidates", 120, channel="sms"), R("client", days=1, channel="email")}),
    ("候補者に2時間前にSMSとクライアントに前日にメール",
     {R("candidates", 120, channel="sms"), R("client", days=1, channel="email")}),
    ("候補者に2時間前にSMSおよびクライアントに前日にメール",
     {R("candidates", 120, channel="sms"), R("client", days=1, channel="email")}),
    # Japanese writes a Latin channel glued to its particles: "候補者にSMSで".
    ("1時間前に候補者にSMSで連絡", {R("candidates", 60, channel="sms")}),
]

STAYS_ONE = [
    ("warn the hired employee and the team lead the day before and 20 min before",
     {R("hired_employee", days=1), R("hired_employee", 20), R("team_lead", days=1), R("team_lead", 20)}),
    ("the candidate and the client 20 min before", {R("candidates", 20), R("client", 20)}),
    ("remind the candidate and the client by SMS the day before",
     {R("candidates", days=1, channel="sms"), R("client", days=1, channel="sms")}),
    ("Remind Anna Li and Boris 30 min before", {R("named", 30, names=("Anna Li", "Boris"))}),
    # The client here is whom the meeting is with, not a second person to remind: kept as
    # read before (a split would take the candidate's 20 min reminder away).
    ("remind the candidate 1 day before and 20 min before the client meeting",
     {R("candidates", days=1), R("candidates", 20), R("client", days=1), R("client", 20)}),
    ("напомнить кандидату накануне и за 20 минут до встречи с клиентом",
     {R("candidates", days=1), R("candidates", 20), R("client", days=1), R("client", 20)}),
    ("кандидату и клиенту за 20 минут", {R("candidates", 20), R("client", 20)}),
    ("предупредить сотрудника и тимлида за день до звонка и за 20 минут",
     {R("hired_employee", days=1), R("hired_employee", 20), R("team_lead", days=1), R("team_lead", 20)}),
    ("候选人和客户提前20分钟", {R("candidates", 20), R("client", 20)}),
    ("提前一天和提前20分钟提醒录用员工和组长",
     {R("hired_employee", days=1), R("hired_employee", 20), R("team_lead", days=1), R("team_lead", 20)}),
    ("候補者とクライアントに20分前にメール", {R("candidates", 20, channel="email"), R("client", 20, channel="email")}),
    ("採用者とチームリーダーに前日と20分前にリマインド",
     {R("hired_employee", days=1), R("hired_employee", 20), R("team_lead", days=1), R("team_lead", 20)}),
]


@pytest.mark.parametrize("text, expected", JOINED + STAYS_ONE, ids=[t[:40] for t, _ in JOINED + STAYS_ONE])
def test_and_splits_only_between_two_whole_reminders(text, expected):
    reading, rules = _rules(text)
    assert reading.ok, reading.understood
    assert rules == expected, reading.understood


def test_the_joining_words_are_the_users_too(tmp_path):
    cfg = tmp_path / "tracker.yaml"
    cfg.write_text("phrases:\n  joining: [plus]\n", encoding="utf-8")
    text = "SMS the candidate 2 hours before plus e-mail the client the day before"
    assert _rules(text)[1] == {R("candidates", 120, channel="sms"), R("candidates", days=1, channel="sms"),
                               R("client", 120, channel="sms"), R("client", days=1, channel="sms")}
    reading = read_phrase(text, load_config(cfg))
    assert {(r.whom, r.channel, r.minutes_before, r.days_before) for r in reading.rules} == \
        {("candidates", "sms", 120, 0), ("client", "email", None, 1)}


def _interviews_reminding(tmp_path, cells: list[str], name: str = "rem.xlsx", candidates: str | None = None):
    """A log of interviews on Thu 26.11.2026 at 11:00, one a cell of `cells` in its "Whom
    to remind" column (sheet Calls), read by the real reader; and its reminders from 25.11
    to 28.11 by Excel row: {(whom, channel, at)}. `candidates`: every row's Candidates
    cell, else its own Cand<i>."""
    import openpyxl

    from tracker.jobs import read, reminder_list

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Calls"
    ws.append(["Date", "Time", "Call type", "Client", "Contact", "Candidates", "Outcome", "SM", "Whom to remind"])
    for i, cell in enumerate(cells):
        ws.append(["26.11.2026", "11:00", "Interview", f"Co{i}", f"C{i}", candidates or f"Cand{i}", "Planned", "K", cell])
    path = tmp_path / name
    wb.save(path)
    log = read(path, CONFIG)
    by_row: dict[int, set] = {}
    for r in reminder_list(log, CONFIG, datetime(2026, 11, 25), datetime(2026, 11, 28)):
        by_row.setdefault(r.call_row, set()).add((r.whom, r.channel, r.at))
    return path, log, by_row


def test_a_logs_joined_reminders_go_to_each_person_at_their_own_time(tmp_path):
    # The tester's workbook, read by the real reader and listed by the reminder engine.
    from tracker.jobs import checked_problems

    cells = [
        "remind the candidate 2 hours before by SMS and the client by email the day before",
        "кандидату за 2 часа смс и клиенту накануне письмо",
        "candidate 2 hours before by SMS; client by email the day before",
        "提前2小时短信提醒候选人并且提前一天给客户发邮件",
        "候補者に2時間前にSMSとクライアントに前日にメール",
        "warn the hired employee and the team lead the day before and 20 min before",
    ]
    _, log, by_row = _interviews_reminding(tmp_path, cells)
    assert checked_problems(log, CONFIG) == []
    hh, mm = map(int, CONFIG.section("reminders")["day_before_time"].split(":"))
    day_before = datetime(2026, 11, 25, hh, mm)    # the Wednesday before a Thursday call
    split = {("candidates", "sms", datetime(2026, 11, 26, 9, 0)), ("client", "email", day_before)}
    assert {row: by_row.pop(row) for row in (2, 3, 4, 5, 6)} == dict.fromkeys((2, 3, 4, 5, 6), split)
    # The seed's phrase: both people at both moments, by one channel (the default).
    assert {(whom, at) for whom, _, at in by_row[7]} == {
        (whom, at) for whom in ("hired_employee", "team_lead") for at in (day_before, datetime(2026, 11, 26, 10, 40))}
    assert len({channel for _, channel, _ in by_row.pop(7)}) == 1
    assert by_row == {}


# Two channels in one clause (found by a tester: "by SMS and e-mail" sent SMS alone, and
# `tracker check` said nothing). Listed together, each is sent; named apart or as a choice
# ("SMS or e-mail", "SMS the candidate ..., e-mail the client"), the first is used and
# check says so.
BOTH_CHANNELS = [
    ("remind the candidate and the client by SMS and e-mail 1 hour before",
     {R(w, 60, channel=c) for w in ("candidates", "client") for c in ("sms", "email")}),
    ("remind the candidate by SMS and by e-mail 1 hour before", {R("candidates", 60, channel=c) for c in ("sms", "email")}),
    ("remind the candidate by SMS, e-mail and WhatsApp 1 hour before",
     {R("candidates", 60, channel=c) for c in ("sms", "email", "whatsapp")}),
    ("e-mail and call the candidate the day before", {R("candidates", days=1, channel=c) for c in ("email", "phone")}),
    ("напомнить кандидату и клиенту за час по смс и на почту",
     {R(w, 60, channel=c) for w in ("candidates", "client") for c in ("sms", "email")}),
    ("кандидату за час смс и письмо", {R("candidates", 60, channel=c) for c in ("sms", "email")}),
    ("提前1小时通过短信和邮件提醒候选人和客户",
     {R(w, 60, channel=c) for w in ("candidates", "client") for c in ("sms", "email")}),
    ("提前1小时短信、邮件提醒候选人", {R("candidates", 60, channel=c) for c in ("sms", "email")}),
    ("候補者とクライアントに1時間前にSMSとメールで連絡",
     {R(w, 60, channel=c) for w in ("candidates", "client") for c in ("sms", "email")}),
    # The next clause without a channel of its own has both, for the same people; one
    # naming other people has their default channel.
    ("the candidate by SMS and e-mail 1 hour before; the day before",
     {R("candidates", m, d, channel=c) for m, d in ((60, 0), (None, 1)) for c in ("sms", "email")}),
    ("the candidate by SMS and e-mail 1 hour before; the client the day before",
     {R("candidates", 60, channel="sms"), R("candidates", 60, channel="email"), R("client", days=1)}),
]

ONE_OF_TWO_CHANNELS = [
    ("SMS the candidate 1 hour before, e-mail the client", {R("candidates", 60, channel="sms"), R("client", 60, channel="sms")}),
    ("remind the candidate by SMS or e-mail 1 hour before", {R("candidates", 60, channel="sms")}),
    ("remind the candidate by SMS/e-mail 1 hour before", {R("candidates", 60, channel="sms")}),
    ("напомнить кандидату за час по смс или письмом", {R("candidates", 60, channel="sms")}),
    ("提前1小时微信/短信提醒候选人", {R("candidates", 60, channel="wechat")}),
    ("候補者に1時間前にSMSかメールで連絡", {R("candidates", 60, channel="sms")}),
]


@pytest.mark.parametrize("text, expected", BOTH_CHANNELS, ids=[t[:40] for t, _ in BOTH_CHANNELS])
def test_channels_listed_together_are_each_used(text, expected):
    reading, rules = _rules(text)
    assert rules == expected, reading.understood
    assert reading.channels_apart == ()


@pytest.mark.parametrize("text, expected", ONE_OF_TWO_CHANNELS, ids=[t[:40] for t, _ in ONE_OF_TWO_CHANNELS])
def test_channels_named_apart_keep_the_first_and_say_so(text, expected):
    reading, rules = _rules(text)
    assert reading.ok and rules == expected, reading.understood
    (used, apart), = reading.channels_apart
    assert (used, len(apart)) == ((next(iter(expected))[1],), 1)


def test_understood_gives_each_clauses_channel():
    # It gave the last clause's alone: "channel: email" for SMS to one and e-mail to the other.
    text = "remind the candidate 2 hours before by SMS and the client by email the day before"
    assert read_phrase(text, CONFIG).understood.endswith("channel: sms, email")
    assert read_phrase("кандидаты смс и письмо", CONFIG).understood.endswith("channel: sms and email")


def test_a_logs_two_channel_reminders_are_both_sent_or_reported(tmp_path):
    # Through the real reader, the checks and the reminder engine, as a user's log is.
    from tracker.jobs import checked_problems

    both = [
        "remind the candidate and the client by SMS and e-mail 1 hour before",
        "напомнить кандидату и клиенту за час по смс и на почту",
        "提前1小时通过短信和邮件提醒候选人和客户",
        "候補者とクライアントに1時間前にSMSとメールで連絡",
    ]
    apart = [
        "SMS the candidate 1 hour before, e-mail the client",
        "напомнить кандидату и клиенту за час по смс или письмом",
        "提前1小时短信或邮件提醒候选人和客户",
        "候補者とクライアントに1時間前にSMSかメールで連絡",
    ]
    path, log, by_row = _interviews_reminding(tmp_path, both + apart, "two.xlsx")
    hour_before = datetime(2026, 11, 26, 10, 0)
    both_rows, apart_rows = range(2, 2 + len(both)), range(2 + len(both), 2 + len(both) + len(apart))
    assert by_row == {
        **{row: {(w, c, hour_before) for w in ("candidates", "client") for c in ("sms", "email")} for row in both_rows},
        **{row: {(w, "sms", hour_before) for w in ("candidates", "client")} for row in apart_rows},
    }
    problems = checked_problems(log, CONFIG)
    assert [(p.cell, p.value, p.read) for p in problems] == [(f"Calls!I{row}", apart[row - apart_rows[0]], True)
                                                             for row in apart_rows]
    assert {p.message for p in problems} == {
        "names two channels (SMS, E-mail) for the same people; only SMS is used — write one per person, or split with ';'"}
    # A listing says such cells are to look at, not unread with the default reminders:
    # their reminders are their own.
    from click.testing import CliRunner

    from tracker.cli import main

    r = CliRunner().invoke(main, ["reminders", str(path), "--from", "2026-11-25T00:00", "--to", "2026-11-28"])
    assert r.exit_code == 0, r.output
    assert f'{len(apart)} "whom to remind" cells to look at' in r.stderr and "could not be read" not in r.stderr, r.stderr


# A clause naming people but no time (found by a tester following check's own advice,
# "split with ';'"): "SMS the candidate 1 hour before; e-mail the client" reminded the
# client of nothing, and check said nothing. It takes the time of the clause before it,
# else of the one after, as a part joined by "and" does.
NEIGHBOURS_TIME = [
    ("SMS the candidate 1 hour before; e-mail the client", {R("candidates", 60, channel="sms"), R("client", 60, channel="email")}),
    ("remind the candidate by SMS; the client by e-mail 1 hour before",
     {R("candidates", 60, channel="sms"), R("client", 60, channel="email")}),
    ("SMS the candidate 2 hours before; e-mail the client; telegram the manager the day before",
     {R("candidates", 120, channel="sms"), R("client", 120, channel="email"), R("manager", days=1, channel="telegram")}),
    ("напомнить кандидату за час смс; клиенту письмом", {R("candidates", 60, channel="sms"), R("client", 60, channel="email")}),
    ("кандидату смс; клиенту письмом за час", {R("candidates", 60, channel="sms"), R("client", 60, channel="email")}),
    ("напомнить кандидату за час по смс. Клиенту письмом", {R("candidates", 60, channel="sms"), R("client", 60, channel="email")}),
    ("提前1小时短信提醒候选人；邮件提醒客户", {R("candidates", 60, channel="sms"), R("client", 60, channel="email")}),
    ("短信提醒候选人；提前1小时邮件提醒客户", {R("candidates", 60, channel="sms"), R("client", 60, channel="email")}),
    ("1時間前に候補者にSMS；クライアントとマネージャーにメール",
     {R("candidates", 60, channel="sms"), R("client", 60, channel="email"), R("manager", 60, channel="email")}),
    ("候補者にSMS。1時間前にクライアントにメール", {R("candidates", 60, channel="sms"), R("client", 60, channel="email")}),
]


@pytest.mark.parametrize("text, expected", NEIGHBOURS_TIME, ids=[t[:40] for t, _ in NEIGHBOURS_TIME])
def test_a_clause_with_people_and_no_time_takes_its_neighbours_time(text, expected):
    reading, rules = _rules(text)
    assert reading.ok and rules == expected, reading.understood
    assert reading.channels_apart == ()


# "And" between two channels, or between two people whose time and channel are written on
# either side, is a list, not two reminders (found by a tester: the candidate got SMS only,
# or the default channel while the client got SMS and e-mail).
AND_LISTS = [
    ("the candidate by SMS and e-mail and the client by e-mail the day before",
     {R("candidates", days=1, channel="sms"), R("candidates", days=1, channel="email"), R("client", days=1, channel="email")}),
    ("the candidate by SMS and by e-mail and the client by e-mail the day before",
     {R("candidates", days=1, channel="sms"), R("candidates", days=1, channel="email"), R("client", days=1, channel="email")}),
    ("кандидату смс и письмо и клиенту письмо накануне",
     {R("candidates", days=1, channel="sms"), R("candidates", days=1, channel="email"), R("client", days=1, channel="email")}),
    ("за час напомнить кандидату и клиенту по смс и на почту",
     {R(w, 60, channel=c) for w in ("candidates", "client") for c in ("sms", "email")}),
    ("候选人短信和邮件并且客户邮件提前一天",
     {R("candidates", days=1, channel="sms"), R("candidates", days=1, channel="email"), R("client", days=1, channel="email")}),
    ("提前1小时给候选人和客户发短信和邮件", {R(w, 60, channel=c) for w in ("candidates", "client") for c in ("sms", "email")}),
    ("1時間前に候補者とクライアントにSMSとメールで連絡", {R(w, 60, channel=c) for w in ("candidates", "client") for c in ("sms", "email")}),
    ("1時間前に候補者とクライアントにメールで連絡", {R("candidates", 60, channel="email"), R("client", 60, channel="email")}),
]

# ... while two whole reminders still part there.
STILL_TWO = [
    ("remind the candidate 2 hours before by SMS and e-mail the client the day before",
     {R("candidates", 120, channel="sms"), R("client", days=1, channel="email")}),
    ("за 2 часа смс кандидату и клиенту письмо накануне", {R("candidates", 120, channel="sms"), R("client", days=1, channel="email")}),
    ("1時間前に候補者にSMSとクライアントにメール", {R("candidates", 60, channel="sms"), R("client", 60, channel="email")}),
    ("remind the candidate 1 hour before and the client by e-mail", {R("candidates", 60), R("client", 60, channel="email")}),
]


@pytest.mark.parametrize("text, expected", AND_LISTS + STILL_TWO, ids=[t[:40] for t, _ in AND_LISTS + STILL_TWO])
def test_and_inside_a_list_of_channels_or_people_is_no_cut(text, expected):
    reading, rules = _rules(text)
    assert reading.ok and rules == expected, reading.understood
    assert reading.channels_apart == ()


# A channel word right before the call's own name says how the call is held: "phone" in
# "before the phone interview" was a second channel, and check reported the cell.
CALL_NAMES = [
    ("SMS the candidate 20 min before the phone interview", {R("candidates", 20, channel="sms")}),
    ("e-mail the client 15 min before the phone meeting", {R("client", 15, channel="email")}),
    ("电话面试前20分钟短信提醒候选人", {R("candidates", 20, channel="sms")}),
    ("電話面接の20分前に候補者にSMS", {R("candidates", 20, channel="sms")}),
    # A clause's only channel is its channel, whatever follows it.
    ("SMS interview reminder to the candidate 20 min before", {R("candidates", 20, channel="sms")}),
    ("remind the candidate by phone call the day before", {R("candidates", days=1, channel="phone")}),
]


@pytest.mark.parametrize("text, expected", CALL_NAMES, ids=[t[:40] for t, _ in CALL_NAMES])
def test_a_channel_naming_the_call_is_no_second_channel(text, expected):
    reading, rules = _rules(text)
    assert reading.ok and rules == expected, reading.understood
    assert reading.channels_apart == ()


def test_a_logs_clauses_split_as_check_advises_remind_everyone_named(tmp_path):
    # Through the real reader, the checks, the reminder engine and the terminal, as a
    # user's log is: nobody named is left out, and no cell is reported for nothing.
    from click.testing import CliRunner

    from tracker.cli import main
    from tracker.jobs import checked_problems

    cells = [
        "SMS the candidate 1 hour before; e-mail the client",
        "кандидату смс; клиенту письмом за час",
        "提前1小时短信提醒候选人；邮件提醒客户",
        "1時間前に候補者とクライアントにSMSとメールで連絡",
        "the candidate by SMS and e-mail and the client by e-mail the day before",
        "SMS the candidate 20 min before the phone interview",
    ]
    path, log, by_row = _interviews_reminding(tmp_path, cells, "split.xlsx")
    assert checked_problems(log, CONFIG) == []
    hh, mm = map(int, CONFIG.section("reminders")["day_before_time"].split(":"))
    hour, day = datetime(2026, 11, 26, 10, 0), datetime(2026, 11, 25, hh, mm)
    one_each = {("candidates", "sms", hour), ("client", "email", hour)}
    assert by_row == {
        2: one_each, 3: one_each, 4: one_each,
        5: {(w, c, hour) for w in ("candidates", "client") for c in ("sms", "email")},
        6: {("candidates", "sms", day), ("candidates", "email", day), ("client", "email", day)},
        7: {("candidates", "sms", datetime(2026, 11, 26, 10, 40))},
    }
    r = CliRunner().invoke(main, ["reminders", str(path), "--from", "2026-11-25T00:00", "--to", "2026-11-28"])
    assert r.exit_code == 0, r.output
    assert "whom to remind" not in r.stderr, r.stderr


# A named person is a person wherever a role word is (found by a reviewer): a clause or an
# "and" part led by a name ("...; Ivan Petrov by email the day before") was read as no one,
# so it took the earlier clause's people — Anna Li got both reminders, Ivan Petrov none,
# and check said nothing or blamed "two channels for the same people"; and a name listed
# after a role word ("the client and Anna Li") was dropped.
NAMED_AS_ROLES = [
    ("remind Anna Li by SMS; Ivan Petrov by email the day before",
     {R("named", days=1, channel="sms", names=["Anna Li"]), R("named", days=1, channel="email", names=["Ivan Petrov"])}),
    ("remind Anna Li 1 hour before; Ivan Petrov the day before",
     {R("named", 60, names=["Anna Li"]), R("named", days=1, names=["Ivan Petrov"])}),
    ("remind the client and Anna Li 15 min before", {R("client", 15), R("named", 15, names=["Anna Li"])}),
    ("remind Anna Li by SMS and Ivan Petrov by email the day before",
     {R("named", days=1, channel="sms", names=["Anna Li"]), R("named", days=1, channel="email", names=["Ivan Petrov"])}),
    ("remind the candidate by SMS; Ivan Petrov by e-mail the day before",
     {R("candidates", days=1, channel="sms"), R("named", days=1, channel="email", names=["Ivan Petrov"])}),
    ("remind the client, Anna Li and Boris 15 min before", {R("client", 15), R("named", 15, names=["Anna Li", "Boris"])}),
    ("remind Anna Li by SMS\nIvan Petrov by email the day before",
     {R("named", days=1, channel="sms", names=["Anna Li"]), R("named", days=1, channel="email", names=["Ivan Petrov"])}),
    ("remind Anna Li 1 hour before, Ivan Petrov the day before",
     {R("named", 60, names=["Anna Li"]), R("named", days=1, names=["Ivan Petrov"])}),
]

# ... while a capitalised word that is no one to remind stays no one.
NO_NAME_HERE = [
    ("remind the candidate 1 hour before via Zoom and the client by email", {R("candidates", 60), R("client", 60, channel="email")}),
    ("Please remind the candidate 1 hour before", {R("candidates", 60)}),
    ("SMS the candidate 1 hour before; e-mail the client", {R("candidates", 60, channel="sms"), R("client", 60, channel="email")}),
    ("WhatsApp the candidates half an hour before", {R("candidates", 30, channel="whatsapp")}),
    ("Tomorrow 9:00 remind the client", {R("client", at=time(9, 0))}),
    ("Reminder 1 hour before to the candidate", {R("candidates", 60)}),
]


@pytest.mark.parametrize("text, expected", NAMED_AS_ROLES + NO_NAME_HERE, ids=[t[:40] for t, _ in NAMED_AS_ROLES + NO_NAME_HERE])
def test_a_named_person_counts_as_a_person_wherever_a_role_word_does(text, expected):
    reading, rules = _rules(text)
    assert reading.ok and rules == expected, reading.understood
    assert reading.channels_apart == ()


def test_a_capitalised_word_leading_the_phrase_is_no_name():
    # Nothing says "Monday" is someone: the cell stays unread (check reports it), not a
    # reminder sent to "Monday".
    reading, rules = _rules("Monday 1 hour before")
    assert not reading.ok and rules == set(), reading.understood


def test_a_logs_named_people_each_get_their_own_reminder(tmp_path):
    # The reviewer's workbook: an interview with Anna Li and Ivan Petrov, through the real
    # reader, the checks and the reminder engine.
    from tracker.jobs import checked_problems, reminder_list

    cells = [
        "remind Anna Li by SMS; Ivan Petrov by email the day before",
        "remind Anna Li 1 hour before; Ivan Petrov the day before",
        "remind the client and Anna Li 15 min before",
        "remind Anna Li by SMS and Ivan Petrov by email the day before",
    ]
    _, log, by_row = _interviews_reminding(tmp_path, cells, "named.xlsx", candidates="Anna Li; Ivan Petrov")
    assert checked_problems(log, CONFIG) == []
    got: dict[int, set] = {}
    for r in reminder_list(log, CONFIG, datetime(2026, 11, 25), datetime(2026, 11, 28)):
        got.setdefault(r.call_row, set()).add((tuple(r.names), r.channel, r.at))
    hh, mm = map(int, CONFIG.section("reminders")["day_before_time"].split(":"))
    day = datetime(2026, 11, 25, hh, mm)
    one_each = {(("Anna Li",), "sms", day), (("Ivan Petrov",), "email", day)}
    assert {row: got.pop(row) for row in (2, 5)} == {2: one_each, 5: one_each}
    # No channel written: each person's default one, once each (the client is the Contact, C2).
    assert {row: sorted((names, at) for names, _, at in got[row]) for row in got} == {
        3: [(("Anna Li",), datetime(2026, 11, 26, 10, 0)), (("Ivan Petrov",), day)],
        4: [(("Anna Li",), datetime(2026, 11, 26, 10, 45)), (("C2",), datetime(2026, 11, 26, 10, 45))],
    }
    assert len(got[3]) == len(got[4]) == 2
    assert {whom for whom, _, _ in by_row[4]} == {"client", "named"}
