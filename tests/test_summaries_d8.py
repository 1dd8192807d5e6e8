"""Candidates named shorter than the candidates column does, and a repeat call that
clarified details with a candidate's ID in its notes (workbooks typed as consultants
write, read back through `tracker summary`).

- "Anna - great communicator, 5 years of React" below an interview whose Candidates
  column says "Anna Li (E1)" left Anna Li without a comment and the line under Other notes.
- "Anna Li (E1) – clarified the start date: 15.12" in a Repeat call made it a second
  interview: "Today we interviewed: …", "Interview results: [missing]".
"""
from __future__ import annotations

import json
from datetime import datetime

import pytest
from click.testing import CliRunner

from tracker.cli import main
from workbooks import plain_log

pytestmark = pytest.mark.usefixtures("no_user_config")

HEADER = ("ID", "Date", "Time", "Call type", "Client", "Contact", "Candidates", "Channel", "SM", "Comment on the call")
EN = "Anna Li (E1); Ivan Petrov (E7)"


def _summaries(tmp_path, rows, contact="Gavin") -> list[dict]:
    """`tracker summary --all` of a log of (call type, candidates, notes) rows."""
    path = plain_log(tmp_path / "calls.xlsx",
                     [(f"R{i}", datetime(2026, 12, 1), "10:00", call_type, "Hooli", contact, candidates, "", "Olga", notes)
                      for i, (call_type, candidates, notes) in enumerate(rows, 1)], header=HEADER)
    result = CliRunner().invoke(main, ["summary", str(path), "--all", "--format", "json"], catch_exceptions=False)
    return json.loads(result.stdout)


def _head(summary: dict) -> list[str]:
    """The summary's lines before the after-call checklist."""
    return summary["text"].split("\n\n")[0].splitlines()


# ---------------------------------------------------------------- 1. a candidate by a shorter name

@pytest.mark.parametrize("candidates, notes, lines", [
    # The first name, with a spaced hyphen or a colon; the verdict stays the verdict.
    (EN, "Anna - great communicator, 5 years of React\nIvan: too junior\nInterview results: Anna chosen",
     ["Today we interviewed:", "Anna Li (E1) – great communicator, 5 years of React", "Ivan Petrov (E7) – too junior",
      "Interview results: Anna chosen"]),
    # Under the heading, by first name or surname, on the heading's line too.
    (EN, "Today we interviewed:\nAnna – 5 yrs React\nLi – calm\nIvan, 2 yrs Vue\nInterview results: Anna chosen",
     ["Today we interviewed:", "Anna Li (E1) – 5 yrs React; calm", "Ivan Petrov (E7) – 2 yrs Vue",
      "Interview results: Anna chosen"]),
    (EN, "Today we interviewed: Anna – 5 yrs React; Ivan – 2 yrs Vue\nInterview results: Anna chosen",
     ["Today we interviewed:", "Anna Li (E1) – 5 yrs React", "Ivan Petrov (E7) – 2 yrs Vue",
      "Interview results: Anna chosen"]),
    # Russian: Фамилия Имя for the column's Имя Фамилия, a surname alone.
    ("Иван Петров (E3); Анна Ли (E1)", "Петров Иван – сильный бэкенд\nЛи: стеснялась\nИтоги интервью: выбрали Ивана",
     ["Today we interviewed:", "Иван Петров (E3) – сильный бэкенд", "Анна Ли (E1) – стеснялась",
      "Interview results: выбрали Ивана"]),
    ("Петров Иван (E3); Анна Ли (E1)", "Иван – сильный бэкенд\nАнна: стеснялась\nИтоги интервью: выбрали Ивана",
     ["Today we interviewed:", "Петров Иван (E3) – сильный бэкенд", "Анна Ли (E1) – стеснялась",
      "Interview results: выбрали Ивана"]),
    # Japanese: the family name with さん or 様, the column's name with or without its space.
    ("佐藤 健（E101）、鈴木 花子（E102）", "佐藤さん：Java 5年\n鈴木様－デザイナー3年\n面接結果：佐藤さんを希望",
     ["本日面接した候補者：", "佐藤 健 (E101) – Java 5年", "鈴木 花子 (E102) – デザイナー3年", "面接結果：佐藤さんを希望"]),
    ("鈴木花子（E102）；佐藤健（E101）", "鈴木さん－デザイナー3年\n佐藤さん：Java 5年\n面接結果：佐藤さんを希望",
     ["本日面接した候補者：", "鈴木花子 (E102) – デザイナー3年", "佐藤健 (E101) – Java 5年", "面接結果：佐藤さんを希望"]),
])
def test_a_line_starting_with_a_candidates_shorter_name_is_theirs(tmp_path, candidates, notes, lines):
    (s,) = _summaries(tmp_path, [("Interview", candidates, notes)])
    assert _head(s)[:len(lines)] == lines and "Other notes:" not in s["text"], s["text"]
    assert s["missing"] == []


@pytest.mark.parametrize("candidates, notes, lines", [
    # Two candidates named Anna: "Anna" is neither.
    ("Anna Li (E1); Anna Smith (E2)", "Anna - great communicator\nInterview results: both strong",
     ["Anna Li (E1) – [missing]", "Anna Smith (E2) – [missing]", "Interview results: both strong"]),
    # A Chinese family name alone is no one's, even beside one candidate of that name.
    ("王伟（E7）；李娜（E8）", "王：很好\n李娜：不错",
     ["王伟 (E7) – [缺少]", "李娜 (E8) – 不错", "面试结果：王：很好"]),
    # 王先生 beside two 王: neither.
    ("王伟（E7）；王芳（E8）", "王先生：经验丰富\n面试结果：待定",
     ["王伟 (E7) – [缺少]", "王芳 (E8) – [缺少]", "面试结果：待定"]),
    # The given name in Japanese, without the family name: no one's.
    ("佐藤 健（E101）", "健：Javaの経験が5年\n面接結果：保留です",
     ["佐藤 健 (E101) – [未記入]", "面接結果：保留です"]),
])
def test_a_shorter_name_that_does_not_tell_one_candidate_is_no_ones(tmp_path, candidates, notes, lines):
    (s,) = _summaries(tmp_path, [("Interview", candidates, notes)])
    assert _head(s)[1:len(lines) + 1] == lines, s["text"]


def test_a_first_name_the_contact_has_too_is_no_candidates(tmp_path):
    # The client's Anna Brown may be the one who said it.
    notes = "Anna: will send the NDA\nIvan - too junior\nInterview results: Anna Li chosen"
    (s,) = _summaries(tmp_path, [("Interview", EN, notes)], contact="Anna Brown")
    assert _head(s)[1:4] == ["Anna Li (E1) – [missing]", "Ivan Petrov (E7) – too junior",
                             "Interview results: Anna Li chosen"], s["text"]
    assert "Anna: will send the NDA" in s["text"]


# ---------------------------------------------------------------- 2. a clarification with an ID line

INTERVIEW_HEADS = ("Today we interviewed:", "今天面试了：", "本日面接した候補者：")


@pytest.mark.parametrize("call_type, candidates, notes", [
    ("Repeat call", "Anna Li (E1)", "Anna Li (E1) – clarified the start date: 15.12"),
    ("Repeat call", "Anna Li (E1)", "Clarified start date for Anna Li (E1) – 15.12\nSalary: 150k"),
    ("Repeat call", "Anna Li (E1)", "Anna Li (E1): salary 150k confirmed, documents by Friday"),
    ("Repeat call", "", "Anna Li (E1) – clarified the start date: 15.12"),
    ("Clarification call", "Anna Li (E1)", "Anna Li (E1) – 15.12, 150k"),
    ("Повторный звонок", "Анна Ли (E1)", "Анна Ли (E1) – уточнили дату выхода: 15.12"),
    ("复试", "王伟（E7）", "王伟（E7）：确认入职日期12月15日"),
    ("再面談", "佐藤 健（E101）", "佐藤 健（E101）－入社日を確認：12月15日"),
])
def test_a_clarification_naming_a_candidate_with_their_id_is_a_short_summary(tmp_path, call_type, candidates, notes):
    (s,) = _summaries(tmp_path, [(call_type, candidates, notes)])
    head = _head(s)
    assert head[0] not in INTERVIEW_HEADS, s["text"]
    first = notes.splitlines()[0]
    assert any(line.endswith(first) for line in head), s["text"]   # the notes are the summary, as written
    assert s["missing"] == []


@pytest.mark.parametrize("call_type, candidates, notes, comment", [
    # Notes that list candidates with comments on how they came across.
    ("Repeat call", EN, "Anna Li (E1) – strong on system design\nIvan Petrov (E7) – too junior",
     "Anna Li (E1) – strong on system design"),
    # A round named by the notes' start or the call type, whatever the comments say.
    ("Repeat call", "Anna Li (E1)", "Second interview\nAnna Li (E1) – strong; confirmed her start date",
     "Anna Li (E1) – strong; confirmed her start date"),
    ("2nd round", "Anna Li (E1)", "Anna Li (E1) – confirmed the start date, strong",
     "Anna Li (E1) – confirmed the start date, strong"),
    ("final interview", "Anna Li (E1)", "Anna Li (E1) – clarified her questions on the project",
     "Anna Li (E1) – clarified her questions on the project"),
    ("Повторный звонок", "Анна Ли (E1)", "Второе собеседование\nАнна Ли (E1) – подтвердила опыт с React",
     "Анна Ли (E1) – подтвердила опыт с React"),
    ("二面", "王伟（E7）", "王伟（E7）：确认了项目经验，表现很好", "王伟 (E7) – 确认了项目经验，表现很好"),
    ("再面談", "佐藤 健（E101）", "二次面接\n佐藤 健（E101）－入社日を確認、評価が高い", "佐藤 健 (E101) – 入社日を確認、評価が高い"),
    # The heading says so.
    ("Repeat call", "Anna Li (E1)", "Today we interviewed:\nAnna Li (E1) – clarified the project's scope",
     "Anna Li (E1) – clarified the project's scope"),
])
def test_a_second_interview_stays_in_the_interview_format(tmp_path, call_type, candidates, notes, comment):
    (s,) = _summaries(tmp_path, [(call_type, candidates, notes)])
    head = _head(s)
    assert head[0] in INTERVIEW_HEADS and head[1] == comment, s["text"]
