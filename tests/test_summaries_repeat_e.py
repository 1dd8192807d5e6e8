"""A Repeat call whose notes are headed as a second interview, and "follow-up interview" as
a call type (workbooks typed as consultants write, read back through `tracker summary`).

- "Second interview with Anna Petrova: …" (and "Follow-up interview …", "Второе интервью
  с …", "与王伟二面：…", "佐藤さんと二次面接：…") got the short summary of a call to clarify
  details, where DOMAIN.md's table gives a repeat interview the interview format.
- A Repeat call typed "follow-up interview" was a repeat call but not a repeat interview.
The other side: a clarification that names the interview it is about stays short.
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
INTERVIEW_HEADS = ("Today we interviewed:", "今天面试了：", "本日面接した候補者：")


def _summary(tmp_path, call_type: str, candidates: str, notes: str) -> dict:
    """`tracker summary --all` of a log of one row."""
    path = plain_log(tmp_path / "calls.xlsx",
                     [("R1", datetime(2026, 12, 1), "10:00", call_type, "Hooli", "Gavin", candidates, "", "Olga", notes)],
                     header=HEADER)
    result = CliRunner().invoke(main, ["summary", str(path), "--all", "--format", "json"], catch_exceptions=False)
    (summary,) = json.loads(result.stdout)
    return summary


def _head(summary: dict) -> list[str]:
    """The summary's lines before the after-call checklist."""
    return summary["text"].split("\n\n")[0].splitlines()


@pytest.mark.parametrize("call_type, candidates, notes", [
    ("Repeat call", "Anna Petrova (E1)", "Second interview with Anna Petrova: strong on SQL, the client liked her"),
    ("Repeat call", "Anna Petrova (E1)", "Follow-up interview with Anna Petrova: strong on SQL"),
    ("Repeat call", "Anna Petrova (E1)", "- 2nd interview – Anna did the test task well"),
    ("Повторный звонок", "Анна Петрова (E1)", "Второе интервью с Анной Петровой: сильная, клиенту понравилась"),
    ("Повторный звонок", "Анна Петрова (E1)", "Второе интервью, кандидат Анна Петрова: разобрали тестовое"),
    ("复试", "王伟（E7）", "二面：王伟表现很好，客户满意"),
    ("复试", "王伟（E7）", "与王伟二面：讨论了笔试，客户决定录用"),
    ("再面談", "佐藤 健（E101）", "二次面接：佐藤さんの評価が高い"),
    ("再面談", "佐藤 健（E101）", "佐藤さんと二次面接：課題を確認、評価が高い"),
])
def test_notes_headed_as_a_second_interview_are_summarised_as_an_interview(tmp_path, call_type, candidates, notes):
    s = _summary(tmp_path, call_type, candidates, notes)
    head = _head(s)
    assert head[0] in INTERVIEW_HEADS, s["text"]
    # The notes' sentence is the client's verdict, as in any interview written in sentences.
    assert any(line.endswith(notes.lstrip("- ")) for line in head[2:]), s["text"]
    assert s["missing"] == []


@pytest.mark.parametrize("call_type, notes", [
    # The interview named further on: what the call was about.
    ("Repeat call", "Clarify the details of the second interview with Anna Petrova"),
    ("Repeat call", "Called Anna about the second interview: she can come on Friday"),
    ("Repeat call", "The client moved the second round to Friday."),
    ("Повторный звонок", "Уточнили детали второго интервью с Анной"),
    ("复试", "确认二面的时间：周五上午"),
    ("再面談", "クライアントと二次面接の日程を調整：金曜10時"),
    # Headed as one, but the line says details were clarified, or names something of the round.
    ("Repeat call", "Second interview: confirmed for Friday 10:00"),
    ("Повторный звонок", "Второе интервью: уточнили дату выхода"),
    ("复试", "二面时间确认：周五"),
    ("复试", "二面的时间改到周五"),
    ("再面談", "二次面接の詳細を確認：金曜10時"),
    ("再面談", "二次面接の日程：金曜10時"),
    # Or the call type does.
    ("Clarification call", "Second interview with Anna Petrova: she starts on Monday"),
])
def test_a_clarification_that_names_the_interview_stays_a_short_summary(tmp_path, call_type, notes):
    s = _summary(tmp_path, call_type, "", notes)
    head = _head(s)
    assert head[0] not in INTERVIEW_HEADS, s["text"]
    assert any(line.endswith(notes) for line in head), s["text"]   # the notes are the summary, as written
    assert s["missing"] == []


@pytest.mark.parametrize("call_type", ["follow-up interview", "Follow up interview", "2-е собеседование", "2次面接"])
def test_a_repeat_call_typed_as_a_follow_up_interview_is_one(tmp_path, call_type):
    s = _summary(tmp_path, call_type, "Anna Li (E1)", "The client liked Anna, she starts on Monday.")
    assert s["call_type"] == "repeat_call"
    assert _head(s) == ["Today we interviewed:", "Anna Li (E1) – [missing]",
                        "Interview results: The client liked Anna, she starts on Monday.", "SM: Olga"], s["text"]


def test_a_follow_up_call_is_no_interview(tmp_path):
    s = _summary(tmp_path, "Follow-up", "Anna Li (E1)", "Asked Anna about the offer")
    assert s["call_type"] == "follow_up" and _head(s)[0] not in INTERVIEW_HEADS, s["text"]


def test_the_notes_reader_uses_no_private_function_of_the_summaries():
    # notes.interviewed read a row through three private functions of summaries.py (which
    # imports notes); it asks summaries.interview_candidates now, one public function.
    import ast
    from pathlib import Path

    import tracker.notes
    tree = ast.parse(Path(tracker.notes.__file__).read_text(encoding="utf-8"))
    imported = [a.name for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module == "summaries"
                for a in n.names]
    assert imported == ["interview_candidates"]
