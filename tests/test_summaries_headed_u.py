"""A Repeat call headed as a second interview that names its one candidate ("Second
interview with Michael Patel: … The client chose Michael Patel") beside a blank Candidates
column: the plain lines below the heading are what he said and how he came across ("8
years, freelance; very experienced"). They were left under "Interview results" and his
line read "Michael Patel – [missing]" (bench log row 26130). They are his line's comment
now, up to a line that reads as the client's verdict; the heading's own sentence stays the
results. Workbooks as consultants write them, read back through `tracker summary --format json`.
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


def _summaries(tmp_path, rows) -> list[dict]:
    """`tracker summary --all --format json` of a log of `rows` (call type, contact,
    candidates, notes)."""
    path = plain_log(tmp_path / "calls.xlsx",
                     [(f"R{i}", datetime(2026, 12, 1), "10:00", call_type, "Hooli", contact, candidates, "", "Olga",
                       notes)
                      for i, (call_type, contact, candidates, notes) in enumerate(rows, 1)],
                     header=HEADER)
    result = CliRunner().invoke(main, ["summary", str(path), "--all", "--format", "json"], catch_exceptions=False)
    return json.loads(result.stdout)


def _head(summary: dict) -> list[str]:
    """The summary's lines before the after-call checklist."""
    return summary["text"].split("\n\n")[0].splitlines()


@pytest.mark.parametrize("call_type, heading, described, verdict, line", [
    ("Repeat call", "Second interview with Lucas Walker: went through the test task. The client chose him.",
     ["8 years, freelance for the last two", "very experienced but wants flexible hours"],
     "The client liked his test task most",
     "Lucas Walker – 8 years, freelance for the last two; very experienced but wants flexible hours"),
    ("Повторный звонок", "Второе интервью, кандидат Павел Козлов: разобрали тестовое задание.",
     ["5 лет опыта, вёл команду из трёх", "спокойный, отвечал по делу"],
     "Клиент выбрал его, договор отправлен",
     "Павел Козлов – 5 лет опыта, вёл команду из трёх; спокойный, отвечал по делу"),
    ("复试", "与王伟二面：讨论了笔试和第一个月的任务。",
     ["五年经验，做过金融科技", "表达清楚，问了团队的问题"],
     "客户决定录用，合同已发",
     "王伟 – 五年经验，做过金融科技; 表达清楚，问了团队的问题"),
    ("再面談", "佐藤さんと二次面接：課題と最初の一か月の業務を確認。",
     ["経験6年、フィンテック出身", "落ち着いていて説明が明確"],
     "先方は採用を決定、契約書送付済み",
     "佐藤 – 経験6年、フィンテック出身; 落ち着いていて説明が明確"),
])
def test_the_lines_below_the_heading_are_the_candidates_comment(tmp_path, call_type, heading, described, verdict,
                                                              line):
    notes = "\n".join([heading, *described, verdict])
    (s,) = _summaries(tmp_path, [(call_type, "", "", notes)])
    head = _head(s)
    assert head[1] == line, s["text"]
    # The results: the heading's sentence and the client's verdict below, not his description.
    assert head[2].endswith(heading) and head[3] == verdict, s["text"]
    assert not any(d in text for d in described for text in head[2:]), s["text"]
    assert s["missing"] == []


def test_the_bench_logs_row(tmp_path):
    # Rows 26130 and 12908 of the bench log: the candidate in the Contact column too, one
    # description line or two, no verdict line below the heading.
    heading = ("Second interview with Isla Patel: went through the test task and the first month's tasks. "
               "The client chose Isla Patel; contract sent.")
    one, two = _summaries(tmp_path, [
        ("Repeat call", "Isla Patel", "", f"{heading}\n8 years, freelance for the last two"),
        ("Repeat call", "Isla Patel", "", f"{heading}\n6 years in the field; clear answers\n"
                                          "5 years, led a team of 3; calm"),
    ])
    assert _head(one)[1:3] == ["Isla Patel – 8 years, freelance for the last two",
                               f"Interview results: {heading}"], one["text"]
    # The notes name one person: both lines are about her (`second person` test below otherwise).
    assert _head(two)[1:3] == ["Isla Patel – 6 years in the field; clear answers; 5 years, led a team of 3; calm",
                               f"Interview results: {heading}"], two["text"]


def test_a_labelled_line_is_no_description(tmp_path):
    (s,) = _summaries(tmp_path, [("Repeat call", "", "", "Second interview with Lucas Walker: the client chose him.\n"
                                                         "New vacancy: Data Engineer. Clarified the budget.\n"
                                                         "strong portfolio; talked a lot about salary")])
    head = _head(s)
    assert head[1] == "Lucas Walker – strong portfolio; talked a lot about salary", s["text"]
    assert "New vacancy: Data Engineer. Clarified the budget." in head[2:], s["text"]


@pytest.mark.parametrize("candidates, notes", [
    # The column names the candidates: the heading's name is not read, nor its lines moved.
    ("Anna Li (E1)", "Second interview with Lucas Walker: the client chose Anna.\n5 years, calm"),
    # A line of the notes is a candidate's: the lines are read as they were.
    ("", "Second interview with Lucas Walker: the client chose him.\n5 years, calm\nAnna Li (E2) – shy"),
])
def test_otherwise_the_lines_stay_the_results(tmp_path, candidates, notes):
    (s,) = _summaries(tmp_path, [("Repeat call", "", candidates, notes)])
    assert not any(line.endswith("– 5 years, calm") for line in _head(s)), s["text"]
    assert "5 years, calm" in _head(s), s["text"]


def test_a_verdict_right_below_leaves_him_without_a_comment(tmp_path):
    (s,) = _summaries(tmp_path, [("Repeat call", "", "", "Second interview with Lucas Walker: went well.\n"
                                                         "The client chose him\n8 years, calm")])
    head = _head(s)
    assert head[1] == "Lucas Walker – [missing]", s["text"]
    assert head[2:5] == ["Interview results: Second interview with Lucas Walker: went well.",
                         "The client chose him", "8 years, calm"], s["text"]


def test_a_bulleted_list_below_the_heading(tmp_path):
    # The bullets are the notes' list: his line has his words; a bulleted verdict is still one.
    (s,) = _summaries(tmp_path, [("Repeat call", "", "", "- Final round with Anna Petrova – strong on SQL\n"
                                                         "- 5 years, calm\n  - good English\n---\n"
                                                         "- Client liked her most")])
    head = _head(s)
    assert head[1] == "Anna Petrova – 5 years, calm; good English", s["text"]
    # A line of dashes is nobody's words: it stays where it was.
    assert head[2:5] == ["Interview results: - Final round with Anna Petrova – strong on SQL",
                         "---", "- Client liked her most"], s["text"]


def test_a_line_written_twice_is_his_once(tmp_path):
    (s,) = _summaries(tmp_path, [("复试", "", "", "与林颖复试：讨论了笔试。\n作品集很强，比较关注薪资\n"
                                                "五年经验，沉稳有条理\n作品集很强，比较关注薪资")])
    head = _head(s)
    assert head[1] == "林颖 – 作品集很强，比较关注薪资; 五年经验，沉稳有条理", s["text"]
    assert all("作品集" not in line for line in head[2:]), s["text"]
