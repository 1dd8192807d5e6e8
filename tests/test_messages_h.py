"""Texts a consultant sends, as a native speaker reads them (found by a tester): a row
written in Russian, Chinese or Japanese is written to in that language; a reminder names
the call in its recipient's words, not the consultant's call type label; the digest's
headings say what is under them; the no-show outcome is a word for him and her."""
from __future__ import annotations

import datetime as dt
import json
import re

import openpyxl
import pytest
from click.testing import CliRunner
from workbooks import plain_log, typed_log

from tracker.cli import main
from tracker.config import LANGUAGES, load_config
from tracker.log import read_log

CYRILLIC = re.compile(r"[\u0400-\u04ff]")
KANA = re.compile(r"[\u3040-\u30ff]")
HAN = re.compile(r"[\u4e00-\u9fff]")


pytestmark = pytest.mark.usefixtures("no_user_config")


@pytest.fixture(scope="module")
def config():
    return load_config()


def run(*args) -> str:
    r = CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)
    assert r.exit_code == 0, r.output
    return r.stdout


# ============================================================ a row's language

CHASED = dict(date=dt.datetime(2026, 11, 20), time=dt.time(10, 0), call_type="Follow-up", outcome="No answer")


def _row(client, contact, position="", notes=""):
    return (CHASED["date"], CHASED["time"], CHASED["call_type"], client, contact, position, CHASED["outcome"],
            "Olga Brown", notes)


HEADER = ("Date", "Time", "Call type", "Client", "Contact", "Position", "Outcome", "SM", "Comment on the call")


def test_a_row_written_in_another_script_than_the_logs_drop_downs_is_written_to_in_it(tmp_path):
    # An English log (English headers and drop-downs, no Language column): the drafts of
    # rows 2-4 went out in English ("Hi Алёна Ким, just following up on the Бухгалтер
    # role"), their outcome and call type being checked before the position, and the
    # names not at all.
    path = plain_log(tmp_path / "plain.xlsx", [
        _row("Ромашка", "Алёна Ким", "Бухгалтер"),
        _row("Север", "Ирина Белова"),                       # the names alone
        _row("株式会社サクラ", "高橋健", "経理"),              # kana in the company's name
        _row("上海云帆科技", "张敏", "会计"),
        _row("Acme", "Łukasz Żółć", "Accountant"),
        _row("Вектор", "Пётр Смирнов", "Бухгалтер", notes="Called, no answer; will write on Telegram"),
    ], HEADER)
    got = {x["row"]: x for x in json.loads(run("overdue", path, "--as-of", "2026-11-21T09:00", "--all",
                                               "--format", "json"))}
    assert {row: x["lang"] for row, x in got.items()} == {2: "ru", 3: "ru", 4: "ja", 5: "zh", 6: "en", 7: "en"}
    for row, script in ((2, CYRILLIC), (3, CYRILLIC), (4, KANA), (5, HAN)):
        message = got[row]["message"]
        assert script.search(message) and not re.search(r"\b(just|following|role)\b", message), message
    assert got[2]["message"].startswith("Алёна Ким, здравствуйте") and "Бухгалтер" in got[2]["message"]
    # A Language column left blank reads the same (the log `tracker init` writes has one).
    blank = typed_log(tmp_path / "blank.xlsx", [
        {"Date": CHASED["date"], "Time": CHASED["time"], "Call type": "Follow-up", "Client": "Ромашка",
         "Contact": "Алёна Ким", "Position": "Бухгалтер", "Outcome": "No answer", "SM": "Olga Brown"}])
    [item] = json.loads(run("overdue", blank, "--as-of", "2026-11-21T09:00", "--all", "--format", "json"))
    assert item["lang"] == "ru" and item["message"] == got[2]["message"]


@pytest.mark.parametrize("cells, lang", [
    # The consultant's own words decide first, whatever the names.
    ({"Contact": "Алёна Ким", "Comment on the call": "Called, no answer"}, "en"),
    ({"Contact": "Mary Major", "Comment on the call": "Не ответила"}, "ru"),
    # Else the names and the vacancy: Cyrillic, Chinese or Japanese over Latin, which is
    # as often a transliteration or the trade's English.
    ({"Contact": "Olga", "Position": "Бухгалтер"}, "ru"),
    ({"Contact": "Алёна Ким", "Position": "QA engineer"}, "ru"),
    ({"Contact": "Mary Major", "Client": "Acme", "Position": "QA engineer"}, "en"),
    ({"Contact": "王伟", "Client": "ООО Ромашка"}, "zh"),                  # the first script found
    ({"Contact": "高橋健", "Client": "株式会社サクラ"}, "ja"),              # kana in another name
    # Last the drop-downs: in the log's language they say nothing; typed in another, they do.
    ({"Outcome": "Нет ответа"}, "ru"),
    ({"Outcome": "No answer"}, "en"),
    ({"Contact": "Mary Major", "Outcome": "Нет ответа"}, "en"),
    ({"Language": "Japanese", "Contact": "Алёна Ким"}, "ja"),              # the column says
])
def test_a_rows_language_is_its_language_column_else_its_words_then_its_names_then_its_lists(
        tmp_path, config, cells, lang):
    header = ("Date", "Call type", "Client", "Contact", "Position", "Outcome", "Language", "Comment on the call")
    row = {"Date": "2026-11-20", "Call type": "Follow-up", **cells}
    path = plain_log(tmp_path / "log.xlsx", [[row.get(h, "") for h in header]], header)
    [record] = read_log(str(path), config).records
    assert record.language == lang


def test_a_russian_log_keeps_its_language_where_a_row_says_nothing_else(tmp_path, config):
    header = ("Дата", "Вид звонка", "Клиент", "Контакт", "Результат")
    path = plain_log(tmp_path / "ru.xlsx", [["20.11.2026", "Фоллоу-ап", "", "", "Нет ответа"],
                                            ["20.11.2026", "Фоллоу-ап", "Acme", "Mary Major", "Нет ответа"]], header)
    assert [r.language for r in read_log(str(path), config).records] == ["ru", "en"]


# ============================================================ reminders in the recipient's words

LANGUAGE_NAMES = {"en": "English", "ru": "Russian", "zh": "Chinese", "ja": "Japanese"}
CALLS = [   # call type, time, contact, candidates, whom to remind (a row's own words for the team lead)
    ("First call", dt.time(9, 30), "Sarah Jones", None),
    ("Interview", dt.time(10, 0), "Sarah Jones", "Anna Lee (E1)"),
    ("Repeat call", dt.time(16, 0), "Sarah Jones", "Anna Lee (E1)"),
    ("Introductory call", dt.time(15, 0), "Sarah Jones", "Ian White (E9)"),
]


def _reminders(tmp_path, lang):
    rows = [{"Date": dt.datetime(2026, 11, 24), "Time": at, "Call type": call_type, "Client": "Acme Ltd",
             "Contact": contact, "Candidates": candidates, "Position": "Accountant", "Outcome": "Planned",
             "SM": "Olga Brown", "Language": LANGUAGE_NAMES[lang]}
            for call_type, at, contact, candidates in CALLS]
    path = typed_log(tmp_path / f"{lang}.xlsx", rows)
    return json.loads(run("reminders", path, "--from", "2026-11-23T00:00", "--to", "2026-11-24", "--format", "json",
                          "--ics", tmp_path / f"{lang}.ics"))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_reminder_names_the_call_in_its_recipients_words_not_the_consultants_label(tmp_path, config, lang):
    # Found by a tester: Sarah Jones of Acme got "Reminder: First call with Acme Ltd" and
    # "a friendly reminder of our First call"; a candidate's SMS read "A reminder: Repeat
    # call with Acme Ltd"; a hired employee's Russian one "Напоминаем: Introductory call с …".
    items = _reminders(tmp_path, lang)
    # The labels that are the consultant's words only (面试, 面接, 顔合わせ are everyone's).
    own = {config.call_type_label(c, l) for c in ("first_call", "repeat_call", "introductory_call")
           for l in {"en", lang}} - {"顔合わせ"}
    assert {(x["call_type"], x["whom"]["role"]) for x in items} >= {
        ("first_call", "client"), ("interview", "candidates"), ("repeat_call", "candidates"),
        ("introductory_call", "hired_employee"), ("introductory_call", "team_lead")}
    sent = [x for x in items if x["channel"] != "phone"]
    for x in sent:
        texts = [x["message"]] + ([x["subject"]] if x["channel"] == "email" else [])
        assert not any(l in t for l in own for t in texts), (x["call_type"], texts)
    client = next(x for x in items if x["call_type"] == "first_call")
    assert "Acme Ltd" not in client["message"]   # written to Acme's own person
    words = {"en": ("our call", "your interview", "your introductory meeting"),
             "ru": ("о нашем звонке", "о вашем интервью", "о вашей вводной встрече"),
             "zh": ("我们的通话", "您的面试", "您的入职见面会"),
             "ja": ("お打ち合わせ", "面接", "顔合わせ")}[lang]
    by = {(x["call_type"], x["whom"]["role"]): x["message"] for x in sent}
    assert words[0] in by["first_call", "client"]
    assert words[1] in by["repeat_call", "candidates"] and words[1] in by["interview", "candidates"]
    assert words[2] in by["introductory_call", "hired_employee"]
    # The consultant's own texts keep the labels: the phone call to make, the calendar.
    phone = [x for x in items if x["channel"] == "phone"]
    assert phone and all(config.call_type_label("interview", lang) in x["message"] for x in phone)
    ics = (tmp_path / f"{lang}.ics").read_text(encoding="utf-8")
    assert config.call_type_label("introductory_call", lang) in ics.replace("\r\n ", "")


def test_an_interview_notices_reminder_is_of_the_interview_it_announces(tmp_path):
    path = typed_log(tmp_path / "n.xlsx", [
        {"Date": dt.datetime(2026, 11, 20), "Time": dt.time(9, 30), "Call type": "Interview notice", "Client": "Acme Ltd",
         "Contact": "Anna Lee", "Position": "Accountant", "Outcome": "Confirmed",
         "Next contact": dt.datetime(2026, 11, 24, 14, 0), "SM": "Olga",
         "Whom to remind": "remind the candidate 1 hour before by SMS"}])
    [item] = json.loads(run("reminders", path, "--from", "2026-11-23", "--to", "2026-11-25", "--format", "json"))
    assert item["message"] == ("Hi Anna Lee! A reminder: your interview with Acme Ltd for the Accountant position "
                               "today at 14:00.")


def test_a_clarification_call_is_named_as_one_to_whom_it_is_with(tmp_path):
    header = ("Date", "Time", "Call type", "Client", "Contact", "Outcome", "E-mail", "SM", "Language", "Comment on the call")
    path = plain_log(tmp_path / "c.xlsx", [(dt.datetime(2026, 11, 25), "11:00", "Repeat call", "Acme GmbH", "Mary Major",
                                            "Planned", "mary@acme.example", "Olga", "Russian",
                                            "Уточнить дату выхода и ставку.")], header)
    items = json.loads(run("reminders", path, "--from", "2026-11-23", "--to", "2026-11-30", "--format", "json"))
    assert items and all("Напоминаем о нашем звонке для уточнения деталей" in x["message"] for x in items)


# ============================================================ the digest

def test_the_russian_digest_heads_its_overdue_follow_ups_as_follow_ups(tmp_path):
    # Found by a tester: "Просроченные напоминания" (overdue reminders) over a list of
    # overdue follow-ups; the other languages say "Overdue follow-ups".
    path = typed_log(tmp_path / "ru.xlsx", [
        {"Date": dt.datetime(2026, 11, 16), "Time": dt.time(10, 0), "Call type": "Follow-up", "Client": "ООО «Ромашка»",
         "Contact": "Никита Соколов", "Position": "Бухгалтер", "Outcome": "No answer", "SM": "Ольга Кузнецова",
         "Language": "Russian", "Channel": "Phone"}])
    out = tmp_path / "dg"
    run("digest", path, "--as-of", "2026-11-23T09:00", "--out", out)
    [txt] = out.glob("*.txt")
    [html] = out.glob("*.html")
    for text in (txt.read_text(encoding="utf-8"), html.read_text(encoding="utf-8")):
        assert "Просрочено — написать/позвонить (1)" in text and "Просроченные напоминания" not in text


# ============================================================ the no-show outcome

def test_the_russian_no_show_is_one_word_for_him_and_her_and_the_old_label_still_reads(tmp_path, config):
    path = tmp_path / "ru.xlsx"
    run("init", path, "--lang", "ru")
    wb = openpyxl.load_workbook(path)
    listed = {c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str)}
    assert "Неявка" in listed and "Не пришел" not in listed and "Не пришёл" not in listed
    assert config.list_label("outcome", "no_show", "ru") == "Неявка"
    # Logs written before hold the old label: it reads as it did, and `check` finds nothing.
    header = ("Дата", "Вид звонка", "Контакт", "Результат")
    old = plain_log(tmp_path / "old.xlsx", [["20.11.2026", "Интервью", "Анна Ли", word]
                                            for word in ("Не пришел", "Не пришёл", "не пришла", "Неявка")], header)
    assert [r.outcome for r in read_log(str(old), config).records] == ["no_show"] * 4
    assert json.loads(run("check", old, "--format", "json")) == []
