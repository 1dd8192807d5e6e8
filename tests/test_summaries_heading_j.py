"""A Repeat call headed as a second interview names its candidate in the heading
("Second interview with Lucas Walker: …", "Второе интервью, кандидат Павел Козлов: …",
"与王伟二面：…", "佐藤さんと二次面接：…"). With the Candidates column blank (most such rows
of the bench log), the summary said "Today we interviewed: [missing]" and reported the gap,
while the name was right there. Workbooks as consultants write them, read back through
`tracker summary --format json`.
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
MISSING = {"en": "[missing]", "ru": "[не указано]", "zh": "[缺少]", "ja": "[未記入]"}


def _summaries(tmp_path, rows) -> list[dict]:
    """`tracker summary --all --format json` of a log of `rows` (call type, client, contact,
    candidates, notes)."""
    path = plain_log(tmp_path / "calls.xlsx",
                     [(f"R{i}", datetime(2026, 12, 1), "10:00", call_type, client, contact, candidates, "", "Olga", notes)
                      for i, (call_type, client, contact, candidates, notes) in enumerate(rows, 1)],
                     header=HEADER)
    result = CliRunner().invoke(main, ["summary", str(path), "--all", "--format", "json"], catch_exceptions=False)
    return json.loads(result.stdout)


def _head(summary: dict) -> list[str]:
    """The summary's lines before the after-call checklist."""
    return summary["text"].split("\n\n")[0].splitlines()


@pytest.mark.parametrize("call_type, notes, name", [
    ("Repeat call", "Second interview with Lucas Walker: went through the test task. The client chose him.",
     "Lucas Walker"),
    ("Repeat call", "- Final round with Anna Petrova – strong on SQL", "Anna Petrova"),
    ("Repeat call", "2nd round with Mary-Jane O'Brien: the client liked her", "Mary-Jane O'Brien"),
    ("Повторный звонок", "Второе интервью, кандидат Павел Козлов: разобрали тестовое, клиент выбрал его", "Павел Козлов"),
    ("复试", "与王伟二面：讨论了笔试，客户决定录用", "王伟"),
    ("复试", "与朱明复试：讨论了笔试和第一个月的任务。", "朱明"),
    ("再面談", "佐藤さんと二次面接：課題を確認、評価が高い", "佐藤"),
    ("再面談", "森田葵と二次面接：課題を確認", "森田葵"),
    ("再面談", "和田と二次面接：課題を確認", "和田"),       # 和 begins the name here, as it would a Chinese heading
    ("复试", "和李娜二面：客户满意", "李娜"),
])
def test_the_heading_names_the_candidate_when_the_column_is_blank(tmp_path, call_type, notes, name):
    (s,) = _summaries(tmp_path, [(call_type, "Hooli", "", "", notes)])
    head = _head(s)
    # The candidate's line names them; their comment is the interview's own gap, not reported.
    assert head[1].startswith(f"{name} – ") and head[1].endswith(tuple(MISSING.values())), s["text"]
    assert s["missing"] == []
    # The heading's sentence is still the client's verdict, as written.
    assert head[2].endswith(notes.lstrip("- ")), s["text"]


def test_the_contact_column_may_hold_the_candidate(tmp_path):
    # The bench log's rows: the candidate in the Contact column, the Candidates column blank.
    (s,) = _summaries(tmp_path, [("Repeat call", "Redbridge Labs", "Lucas Walker", "",
                                  "Second interview with Lucas Walker: went through the test task.")])
    assert _head(s)[:2] == ["Today we interviewed:", "Lucas Walker – [missing]"], s["text"]
    assert s["missing"] == []


def test_the_notes_give_the_candidate_an_id_and_a_comment(tmp_path):
    # As for a candidate of the column: the notes' line with the ID, or by a shorter name, meets them.
    (by_id, short) = _summaries(tmp_path, [
        ("Repeat call", "Hooli", "", "", "Second interview with Lucas Walker: the client chose him.\n"
                                         "Lucas Walker (E12) – calm, concrete examples"),
        ("Repeat call", "Hooli", "", "", "Second interview with Lucas Walker: the client chose him.\n"
                                         "Lucas – calm, concrete examples"),
    ])
    assert _head(by_id)[1] == "Lucas Walker (E12) – calm, concrete examples", by_id["text"]
    assert _head(short)[1] == "Lucas Walker – calm, concrete examples", short["text"]
    assert by_id["missing"] == short["missing"] == []


def test_the_column_wins_over_the_heading(tmp_path):
    (s,) = _summaries(tmp_path, [("Repeat call", "Hooli", "", "Anna Li (E1)",
                                  "Second interview with Lucas Walker: the client chose Anna.")])
    assert _head(s)[1] == "Anna Li (E1) – [missing]", s["text"]
    assert all("Lucas Walker –" not in line for line in _head(s)), s["text"]


@pytest.mark.parametrize("call_type, notes", [
    # Nobody's name, or not a candidate's.
    ("Repeat call", "Second interview with the client: they liked both"),
    ("Repeat call", "Second interview with Hooli: they liked both"),        # the row's client
    ("Repeat call", "Second interview with Olga: she took notes"),          # the row's manager
    ("Repeat call", "Second interview with Anna and Ivan: both strong"),
    ("Повторный звонок", "Второе интервью с Анной Петровой: сильная"),       # declined: not her name as written
    ("再面談", "クライアントと二次面接：評価が高い"),
    ("复试", "和客户二面：满意"),
])
def test_a_heading_naming_no_candidate_leaves_the_gap(tmp_path, call_type, notes):
    (s,) = _summaries(tmp_path, [(call_type, "Hooli", "", "", notes)])
    assert _head(s)[1] in MISSING.values(), s["text"]
    assert s["missing"] == ["candidates"]


@pytest.mark.parametrize("call_type, notes", [
    ("Interview", "Second interview with Lucas Walker: went well"),          # only a Repeat call's heading is read
    ("Clarification call", "Second interview with Lucas Walker: he starts on Monday"),
    ("Repeat call", "Clarify the details of the second interview with Lucas Walker"),
])
def test_only_a_repeat_interview_heading_is_read(tmp_path, call_type, notes):
    (s,) = _summaries(tmp_path, [(call_type, "Hooli", "", "", notes)])
    assert all(not line.startswith("Lucas Walker") for line in _head(s)), s["text"]


def test_a_user_adds_words_of_their_own(tmp_path):
    # Words of the trade are configuration: a team writing German headings adds theirs.
    (tmp_path / "tracker.yaml").write_text(
        "summaries:\n"
        "  repeat_interview_words: [zweites interview]\n"
        "  round_candidate_words: {before: [mit]}\n", encoding="utf-8")
    (german, english) = _summaries(tmp_path, [
        ("Repeat call", "Hooli", "", "", "Zweites Interview mit Lena Braun: Kunde hat sie gewählt"),
        ("Repeat call", "Hooli", "", "", "Second interview with Lucas Walker: the client chose him"),
    ])
    assert _head(german)[1] == "Lena Braun – [missing]", german["text"]
    assert german["missing"] == []
    # Added to the shipped words (config.EXTENDING_LISTS), as the other word lists are.
    assert _head(english)[1] == "Lucas Walker – [missing]" and english["missing"] == [], english["text"]


@pytest.mark.parametrize("candidates", ["", "Lucas Walker"])
def test_a_contact_who_is_the_candidate_leaves_him_his_short_name(tmp_path, candidates):
    # The bench log's layout: the candidate in the Contact column too. His first name on a
    # line of the notes is his: the contact is no second Lucas who may have said it.
    (s,) = _summaries(tmp_path, [("Repeat call", "Redbridge Labs", "Lucas Walker", candidates,
                                  "Second interview with Lucas Walker: the client chose him.\n"
                                  "Lucas – calm, concrete examples")])
    assert _head(s)[1] == "Lucas Walker – calm, concrete examples", s["text"]
