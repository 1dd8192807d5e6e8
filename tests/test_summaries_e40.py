"""An interview not held yet (outcome Planned, Confirmed: summaries.yaml `not_held_outcomes`)
has no verdict: its notes' plain sentences are other notes, and the skeleton keeps its gaps
to fill in after it. Found in use: "Two candidates booked, client to confirm the room." under
a planned interview came out as "Interview results: Two candidates booked, …", as if the
client had already judged them. Workbooks typed as consultants write, read back through
`tracker summary` and `tracker refresh`.
"""
from __future__ import annotations

import json
from datetime import datetime

import openpyxl
import pytest
from click.testing import CliRunner

from tracker.cli import main
from workbooks import plain_log

pytestmark = pytest.mark.usefixtures("no_user_config")

HEADER = ("ID", "Date", "Time", "Call type", "Client", "Contact", "Candidates", "Outcome", "SM", "Comment on the call")
BOOKED = "Two candidates booked, client to confirm the room."


def _log(tmp_path, rows):
    """A log of (call type, candidates, outcome, notes) rows."""
    return plain_log(tmp_path / "calls.xlsx",
                     [(f"R{i}", datetime(2026, 12, 1), "10:00", call_type, "Hooli", "Gavin", candidates, outcome,
                       "Olga", notes)
                      for i, (call_type, candidates, outcome, notes) in enumerate(rows, 1)], header=HEADER)


def _summaries(tmp_path, rows, *args) -> tuple[int, list[dict]]:
    """The exit code and the summaries of `tracker summary --all` of such a log."""
    result = CliRunner().invoke(main, ["summary", str(_log(tmp_path, rows)), "--all", "--format", "json", *args],
                                catch_exceptions=False)
    return result.exit_code, json.loads(result.stdout)


def _head(summary: dict) -> list[str]:
    """The summary's lines before the after-call checklist."""
    return summary["text"].split("\n\n")[0].splitlines()


# ---------------------------------------------------------------- not held yet: no verdict

@pytest.mark.parametrize("call_type, candidates, outcome, notes, lines", [
    ("Interview", "Anna Li (E1); Ivan Petrov (E7)", "Planned", BOOKED,
     ["Today we interviewed:", "Anna Li (E1) – [missing]", "Ivan Petrov (E7) – [missing]",
      "Interview results: [missing]", "SM: Olga", "Other notes:", BOOKED]),
    ("Interview", "Anna Li (E1)", "Confirmed", "Anna confirmed by phone.\nRoom 5, 3rd floor.",
     ["Today we interviewed:", "Anna Li (E1) – [missing]", "Interview results: [missing]", "SM: Olga",
      "Other notes:", "Anna confirmed by phone.", "Room 5, 3rd floor."]),
    # A repeat interview is written in the interview format: the same.
    ("Second interview", "Anna Li (E1)", "Planned", "Second round booked for Friday, the CTO joins.",
     ["Today we interviewed:", "Anna Li (E1) – [missing]", "Interview results: [missing]", "SM: Olga",
      "Other notes:", "Second round booked for Friday, the CTO joins."]),
    # Russian (labels of the standard), Chinese and Japanese (their own), outcomes as typed.
    ("Собеседование", "Анна Ли (E1)", "Запланирован", "Два кандидата, клиент подтвердит переговорную.",
     ["Today we interviewed:", "Анна Ли (E1) – [не указано]", "Interview results: [не указано]", "SM: Olga",
      "Other notes:", "Два кандидата, клиент подтвердит переговорную."]),
    ("面试", "王伟（E1）", "已计划", "两位候选人已预约，客户确认会议室。",
     ["今天面试了：", "王伟 (E1) – [缺少]", "面试结果：[缺少]", "负责经理：Olga", "其他备注：", "两位候选人已预约，客户确认会议室。"]),
    ("面接", "佐藤 健（E1）", "確認済み", "候補者2名を予約済み、会議室は先方が確認。",
     ["本日面接した候補者：", "佐藤 健 (E1) – [未記入]", "面接結果：[未記入]", "担当マネージャー：Olga",
      "その他のメモ：", "候補者2名を予約済み、会議室は先方が確認。"]),
    # A sentence that reads as the client's verdict below a candidate's name is a note too:
    # nobody has been interviewed.
    ("Interview", "Anna Li (E1)", "Planned", "Today we interviewed:\nAnna Li (E1)\nClient to confirm the room.",
     ["Today we interviewed:", "Anna Li (E1) – [missing]", "Interview results: [missing]", "SM: Olga",
      "Other notes:", "Client to confirm the room."]),
])
def test_the_plain_sentences_of_an_interview_not_held_yet_are_other_notes(tmp_path, call_type, candidates,
                                                                          outcome, notes, lines):
    code, (summary,) = _summaries(tmp_path, [(call_type, candidates, outcome, notes)])
    assert _head(summary) == lines
    # The gap is the skeleton's, to fill in after the interview: not a problem yet.
    assert summary["missing"] == ["interview_results"]
    assert code == 0


def test_a_verdict_written_with_its_label_stays_the_verdict(tmp_path):
    code, (summary,) = _summaries(tmp_path, [
        ("Interview", "Anna Li (E1)", "Confirmed", "Room 5 booked.\nInterview results: the client already likes her CV"),
    ])
    assert _head(summary) == ["Today we interviewed:", "Anna Li (E1) – [missing]",
                              "Interview results: the client already likes her CV", "SM: Olga",
                              "Other notes:", "Room 5 booked."]
    assert summary["missing"] == []


@pytest.mark.parametrize("outcome", ["", "Done", "Hired"])
def test_a_held_interview_and_one_without_an_outcome_read_plain_sentences_as_the_verdict(tmp_path, outcome):
    # A blank outcome is judged as held: a summary has no clock to tell a booking from a write-up.
    code, (summary,) = _summaries(tmp_path, [("Interview", "Anna Li (E1)", outcome, "Client liked Anna, wants a second round.")])
    assert _head(summary) == ["Today we interviewed:", "Anna Li (E1) – [missing]",
                              "Interview results: Client liked Anna, wants a second round.", "SM: Olga"]


def test_the_outcomes_not_held_are_the_configurations(tmp_path):
    # A user's list of outcomes not held decides, not a list in the code.
    config = tmp_path / "tracker.yaml"
    config.write_text("summaries:\n  not_held_outcomes: [confirmed]\n", encoding="utf-8")
    code, summaries = _summaries(tmp_path, [("Interview", "Anna Li (E1)", "Planned", BOOKED),
                                            ("Interview", "Anna Li (E1)", "Confirmed", BOOKED)], "--config", str(config))
    assert [_head(s)[2] for s in summaries] == [f"Interview results: {BOOKED}", "Interview results: [missing]"]


def test_refresh_writes_the_skeleton_of_a_planned_interview_into_the_summary_column(tmp_path):
    path = _log(tmp_path, [("Interview", "Anna Li (E1); Ivan Petrov (E7)", "Planned", BOOKED),
                           ("Interview", "Anna Li (E1)", "Done", "Client liked Anna.")])
    result = CliRunner().invoke(main, ["refresh", str(path), "--as-of", "2026-11-30T09:00"], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    ws = openpyxl.load_workbook(path).worksheets[0]
    header = [c.value for c in ws[1]]
    planned, held = (str(ws.cell(row, header.index("Summary") + 1).value) for row in (2, 3))
    assert planned.split("\n\n")[0].splitlines() == [
        "Today we interviewed:", "Anna Li (E1) – [missing]", "Ivan Petrov (E7) – [missing]",
        "Interview results: [missing]", "SM: Olga", "Other notes:", BOOKED]
    assert "Interview results: Client liked Anna." in held.splitlines()


# ---------------------------------------------------------------- a heading searched once

def test_a_first_lines_heading_is_searched_once_for_the_round_and_its_candidate(tmp_path, monkeypatch):
    # `headed_as_a_round` and `heading_candidate` each searched the same line for its
    # heading's end; one search now serves both, and every row that repeats the line.
    import tracker.summaries as summaries

    searched = []

    class Counting:
        def __init__(self, pattern):
            self.pattern = pattern

        def search(self, line, *args):
            searched.append(line)
            return self.pattern.search(line, *args)

    monkeypatch.setattr(summaries, "_HEADING_END", Counting(summaries._HEADING_END))
    heading = "Second interview with Lucas Walker: went through the test task."
    code, found = _summaries(tmp_path, [("Repeat call", "", "Done", f"{heading}\nClient chose Lucas."),
                                        ("Repeat call", "", "Done", f"{heading}\nClient wants a third round."),
                                        ("Repeat call", "Anna Li (E1)", "Done", "Second round: Anna was calm.")])
    assert sorted(set(searched)) == sorted(searched) == sorted([heading, "Second round: Anna was calm."])
    # The heading still names the second interview and its candidate.
    assert [_head(s)[1].split(" – ")[0] for s in found] == ["Lucas Walker", "Lucas Walker", "Anna Li (E1)"]
