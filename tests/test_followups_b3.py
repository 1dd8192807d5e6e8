"""Follow-up drafts judged by a native-speaker tester: the confirmation call listed once per
candidate and interview (a notice and its interview are one appointment) and each candidate
greeted alone; Russian names not declined; several candidates counted; no stage label to a
client; a video interview joined, not come to; a Chinese greeting in Chinese; a contact
written by a candidate's first name is that candidate. Each test writes a real workbook and
reads it back through `tracker overdue` / `tracker digest`.

Calendar (November 2026): Fri 20, Sat 21, Sun 22, Mon 23, Tue 24, Wed 25, Thu 26.
"""
from __future__ import annotations

from datetime import datetime

import pytest
from click.testing import CliRunner

from tracker.cli import main
from tracker.config import load_config
from workbooks import overdue_json, typed_log

LANG = {"en": "English", "ru": "Russian", "zh": "Chinese", "ja": "Japanese"}


pytestmark = pytest.mark.usefixtures("no_user_config")


def _digest(path, as_of):
    result = CliRunner().invoke(main, ["digest", str(path), "--as-of", as_of], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


def _step(items, key):
    return [f for f in items if f["step"]["key"] == key]


# ---------------------------------------------------------------- 1. one call per candidate and interview

NAMES = {"en": ("Lucy Grant", "Anna Lee"), "ru": ("Любовь Николаева", "Анна Ли"),
         "zh": ("张敏", "李雷"), "ja": ("伊藤愛", "山田花子")}
GREETING = {"en": "Hi {}, a quick call", "ru": "{}, здравствуйте!", "zh": "{}您好，", "ja": "{}様、"}


def _notice_and_interview(path, lang, channel="In person"):
    """Lucy's notice (Fri 20) for the interview of Tue 24 10:00, her unanswered message of
    Sun 22, and the interview row itself, of Lucy and Anna, on the client's contact's thread."""
    lucy, anna = NAMES[lang]
    who = {"Client": "Acme", "SM": "Olga", "Position": "Accountant", "Language": LANG[lang]}
    return typed_log(path, [
        {**who, "Date": datetime(2026, 11, 22), "Time": "10:00", "Call type": "Follow-up", "Contact": lucy,
         "Channel": "SMS", "Stage": "Interview", "Outcome": "No answer"},
        {**who, "Date": datetime(2026, 11, 20), "Time": "15:00", "Call type": "Interview notice", "Contact": lucy,
         "Channel": "Phone", "Outcome": "Confirmed", "Next contact": datetime(2026, 11, 24, 10, 0)},
        {**who, "Date": datetime(2026, 11, 24), "Time": "10:00", "Call type": "Interview", "Contact": "Mary Smith",
         "Candidates": f"{lucy} (E3); {anna} (E1)", "Channel": channel, "Outcome": "Planned"},
    ])


@pytest.mark.parametrize("lang", ["en", "ru", "zh", "ja"])
def test_a_notice_and_its_interview_owe_one_confirmation_call_each_candidate_greeted_alone(tmp_path, lang):
    # Found by a tester: the digest listed Lucy's call twice (from her silent message, which
    # carried her notice's call, and from the interview row), and the interview's draft
    # greeted both candidates in one phone call ("Lucy Grant, Anna Lee, hello!").
    path = _notice_and_interview(tmp_path / "log.xlsx", lang)
    lucy, anna = NAMES[lang]
    [call] = _step(overdue_json(path, "2026-11-23T09:00"), "confirm_eve")
    assert (call["row"], call["status"]) == (4, "due_today")
    message = call["message"]
    assert message.count(GREETING[lang].format(lucy)) == 1 and message.count(GREETING[lang].format(anna)) == 1, message
    assert not any(f"{lucy}{sep}{anna}" in message for sep in (", ", "、")), message
    digest = _digest(path, "2026-11-23T09:00")
    assert digest.count(GREETING[lang].format(lucy)) == 1, digest


def test_the_russian_confirmation_action_is_neither_gendered_nor_singular(tmp_path):
    digest = _digest(_notice_and_interview(tmp_path / "log.xlsx", "ru"), "2026-11-23T09:00")
    assert "Позвонить кандидату и подтвердить участие в интервью" in digest, digest
    assert "что он придёт" not in digest


# ---------------------------------------------------------------- 7. an interview by video

JOIN = {"en": "join the video call on time", "ru": "Получится подключиться к видеозвонку вовремя?",
        "zh": "您能按时上线参加吗", "ja": "オンラインでご参加いただけますでしょうか"}
COME = {"en": "make it on time", "ru": "Получится прийти вовремя?", "zh": "您能按时参加吗",
        "ja": "お越しいただけますでしょうか"}


@pytest.mark.parametrize("lang", ["en", "ru", "zh", "ja"])
def test_an_interview_by_video_is_joined_not_come_to(tmp_path, lang):
    video = _step(overdue_json(_notice_and_interview(tmp_path / "v.xlsx", lang, "Video call"),
                               "2026-11-23T09:00"), "confirm_eve")[0]["message"]
    assert JOIN[lang] in video and COME[lang] not in video, video
    office = _step(overdue_json(_notice_and_interview(tmp_path / "o.xlsx", lang), "2026-11-23T09:00"),
                   "confirm_eve")[0]["message"]
    assert COME[lang] in office and JOIN[lang] not in office, office


def test_a_notice_giving_a_meeting_link_is_a_video_interview(tmp_path):
    path = typed_log(tmp_path / "link.xlsx", [
        {"Date": datetime(2026, 11, 20), "Time": "15:00", "Call type": "Interview notice", "Client": "Acme",
         "Contact": "Lucy Grant", "Channel": "Phone", "Outcome": "Done", "SM": "Olga",
         "Next contact": datetime(2026, 11, 24, 10, 0), "Comment on the call": "Meeting link: https://zoom.us/j/1"}])
    [call] = _step(overdue_json(path, "2026-11-23T09:00"), "confirm_eve")
    assert JOIN["en"] in call["message"], call["message"]


# ---------------------------------------------------------------- 2, 3. names and counts in drafts to clients

CLIENT = {"Client": "ООО «Ромашка»", "SM": "Ольга", "Contact": "Илья Кузьмич", "Position": "Бухгалтер",
          "Language": "Russian"}
TWO_RU = "Анна Ли (E1); Пётр Сидоров (E2)"


def _report(path, lang, candidates, contact="Li Qiang"):
    return typed_log(path, [{"Date": datetime(2026, 11, 19), "Call type": "Report sent", "Client": "Acme",
                             "Contact": contact, "Candidates": candidates, "Position": "Accountant",
                             "Outcome": "Done", "SM": "Olga", "Language": LANG[lang]}])


REPORT_SMS = {
    ("ru", 1): "отчёт по кандидату: Любовь Николаева", ("ru", 2): "отчёт по кандидатам: Анна Ли, Пётр Сидоров",
    ("zh", 1): "一位精心面试过的候选人黄俊的推荐报告", ("zh", 2): "两位精心面试过的候选人（黄俊、朱明）的推荐报告",
    ("ja", 1): "面談済みの候補者伊藤愛さんの推薦書", ("ja", 2): "面談済みの候補者2名（伊藤愛さん、山田花子さん）の推薦書",
    ("en", 1): "the report on Lucy Grant", ("en", 2): "the reports on Lucy Grant, Anna Lee",
}
REPORT_CALL = {
    ("ru", 1): "мы отправили вам кандидата (Любовь Николаева)",
    ("ru", 2): "мы отправили вам кандидатов (Анна Ли, Пётр Сидоров)",
    ("zh", 1): "我给您发了候选人黄俊的推荐报告", ("zh", 2): "我给您发了两位候选人（黄俊、朱明）的推荐报告",
    ("ja", 1): "伊藤愛さんの推薦書", ("ja", 2): "候補者2名（伊藤愛さん、山田花子さん）の推薦書",
    ("en", 1): "the candidate Lucy Grant", ("en", 2): "the candidates Lucy Grant, Anna Lee",
}
SENT = {("ru", 1): "Любовь Николаева (E3)", ("ru", 2): TWO_RU, ("zh", 1): "黄俊", ("zh", 2): "黄俊、朱明",
        ("ja", 1): "伊藤愛", ("ja", 2): "伊藤愛; 山田花子", ("en", 1): "Lucy Grant", ("en", 2): "Lucy Grant; Anna Lee"}
SINGULAR_FOR_SEVERAL = ["кандидат внимательно проинтервьюирован", "一位精心", "我发了一个候选人", "по кандидату Анна"]


@pytest.mark.parametrize("lang, n", sorted(SENT))
def test_a_report_names_its_candidates_undeclined_and_counted(tmp_path, lang, n):
    # Found by a tester: "отчёт по кандидату Анна Ли, Пётр Сидоров — кандидат внимательно
    # проинтервьюирован", "一位精心面试过的候选人黄俊、朱明", "我发了一个候选人叫做黄俊、朱明".
    path = _report(tmp_path / "r.xlsx", lang, SENT[(lang, n)])
    [sms] = overdue_json(path, "2026-11-19T09:00")
    [call] = overdue_json(path, "2026-11-21T09:00")
    assert sms["step"]["key"] == "report_sms" and REPORT_SMS[(lang, n)] in sms["message"], sms["message"]
    assert call["step"]["key"] == "report_call" and REPORT_CALL[(lang, n)] in call["message"], call["message"]
    if n > 1:
        assert not any(w in sms["message"] + call["message"] for w in SINGULAR_FOR_SEVERAL)


def _silent_client(path, lang="ru", who=CLIENT, candidates=TWO_RU, *, last=False, stage=""):
    """The client's contact, silent since a call on Fri 20 about the candidates sent (T), a
    T+1 message on Sat 21 and, with `last`, the T+3 call and e-mail on Mon 23."""
    base = {**who, "Language": LANG[lang], "Candidates": candidates, "Stage": stage}
    rows = [{**base, "Date": datetime(2026, 11, 20), "Call type": "Follow-up", "Channel": "Phone", "Outcome": "No answer"},
            {**base, "Date": datetime(2026, 11, 21), "Call type": "Follow-up", "Channel": "SMS", "Outcome": "No answer"}]
    if last:
        rows.append({**base, "Date": datetime(2026, 11, 23), "Call type": "Follow-up", "Channel": "E-mail",
                     "Outcome": "No answer"})
    return typed_log(path, rows)


def test_russian_drafts_to_a_client_do_not_decline_the_candidates_names(tmp_path):
    # Found by a tester: "а Анна Ли, Пётр Сидоров будем держать для вас в виду", "мы
    # отправили вам кандидатов Анна Ли, Пётр Сидоров".
    [t3] = overdue_json(_silent_client(tmp_path / "t3.xlsx"), "2026-11-23T09:00")
    assert t3["step"]["key"] == "t3"
    assert "Мы отправили вам кандидатов (Анна Ли, Пётр Сидоров)" in t3["message"], t3["message"]
    [last] = overdue_json(_silent_client(tmp_path / "last.xlsx", last=True), "2026-11-25T09:00")
    assert last["step"]["key"] == "last"
    assert "а кандидатов (Анна Ли, Пётр Сидоров) будем держать для вас в виду" in last["message"], last["message"]


# ---------------------------------------------------------------- 4. no stage label to a client

WHO = {"en": {"Client": "Acme", "SM": "Olga", "Contact": "John Smith", "Position": "Accountant"},
       "ru": CLIENT, "zh": {"Client": "华信", "SM": "王芳", "Contact": "李强", "Position": "会计"},
       "ja": {"Client": "株式会社サクラ", "SM": "田中健二", "Contact": "鈴木一郎", "Position": "経理"}}


@pytest.mark.parametrize("lang", ["en", "ru", "zh", "ja"])
def test_the_t3_email_to_a_client_says_no_stage_label(tmp_path, lang):
    # Found by a tester: "(we are now at the Report sent stage)", "(сейчас этап «Резюме
    # отправлено»)", "目前已推进到已推荐阶段": a stage label is the consultant's word.
    path = _silent_client(tmp_path / "t3.xlsx", lang, WHO[lang], "Lucy Grant; Anna Lee", stage="Report sent")
    [t3] = overdue_json(path, "2026-11-23T09:00")
    label = load_config().list_label("stage", "report_sent", lang)
    assert t3["step"]["key"] == "t3" and "Lucy Grant" in t3["message"], t3["message"]
    assert label not in t3["message"], t3["message"]


# ---------------------------------------------------------------- 8. a Chinese greeting

def test_the_chinese_chase_message_greets_in_chinese(tmp_path):
    path = typed_log(tmp_path / "zh.xlsx", [
        {"Date": datetime(2026, 11, 20), "Call type": "Follow-up", "Client": "华信", "Contact": "张敏",
         "Position": "会计", "Channel": "Phone", "Outcome": "No answer", "SM": "王芳", "Language": "Chinese"}])
    [t1] = overdue_json(path, "2026-11-21T09:00")
    assert t1["step"]["key"] == "t1" and t1["message"].startswith("张敏您好，"), t1["message"]
    assert "Hi" not in t1["message"]


# ---------------------------------------------------------------- 9. a contact by a candidate's first name

def test_a_contact_written_by_the_candidates_first_name_gets_the_candidates_email(tmp_path):
    # Found by a tester: Contact "Anna", Candidates "Anna Li (E12)": her T+3 e-mail was the
    # client's ("I'm following up on the candidate we sent you: Anna Li").
    who = {"Client": "Acme", "SM": "Olga", "Contact": "Anna", "Position": "Accountant"}
    [t3] = overdue_json(_silent_client(tmp_path / "anna.xlsx", "en", who, "Anna Li (E12)"), "2026-11-23T09:00")
    assert t3["step"]["key"] == "t3"
    assert "still a great opportunity" in t3["message"], t3["message"]
    assert "the candidate we sent you" not in t3["message"]
