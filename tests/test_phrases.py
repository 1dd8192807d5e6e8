"""The "whom to remind" column read in the consultant's own words (en/ru/zh/ja)."""
from datetime import time

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
