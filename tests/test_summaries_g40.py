"""Nothing the consultant wrote is lost from a summary: a called-off interview (no-show,
cancelled, moved, withdrawn: summaries.yaml `called_off_outcomes`) keeps the comment
written on each candidate ("Anna Li – phone off, did not come") under its candidates, in
all four languages; it listed their names only, and the comments were nowhere in the
summary. Workbooks typed as consultants write them, read back through `tracker summary --all`.
"""
from __future__ import annotations

import json
from datetime import datetime

import pytest
from click.testing import CliRunner

from tracker.cli import main
from workbooks import plain_log

pytestmark = pytest.mark.usefixtures("no_user_config")

HEADER = ("ID", "Date", "Time", "Call type", "Client", "Contact", "Candidates", "Outcome", "SM", "Comment on the call")


def _summaries(tmp_path, rows, header=HEADER) -> dict[int, str]:
    """Excel row -> summary text (`tracker summary --all --format json`) of a log of `rows`."""
    path = plain_log(tmp_path / "calls.xlsx", rows, header=header)
    result = CliRunner().invoke(main, ["summary", str(path), "--all", "--format", "json"], catch_exceptions=False)
    assert result.exit_code in (0, 1), result.output   # 1: some summary has gaps
    return {s["row"]: s["text"] for s in json.loads(result.stdout)}


def _head(text: str) -> list[str]:
    """The summary's lines before the after-call checklist."""
    return text.split("\n\n")[0].splitlines()


# ---------------------------------------------------------------- a called-off interview

def _interview(call_type, candidates, outcome, notes, sm="Olga"):
    return ("R1", datetime(2026, 12, 1), "10:00", call_type, "Hooli", "Gavin", candidates, outcome, sm, notes)


@pytest.mark.parametrize("row, lines", [
    # Each candidate's comment under the candidates, as the standard writes a candidate's line.
    (_interview("Interview", "Anna Li (E1); Ivan Petrov (E7)", "No-show",
                "Anna Li – phone off, did not come\nIvan Petrov – asked to move to Friday"),
     ["Not held: No-show", "Candidates: Anna Li (E1), Ivan Petrov (E7)", "Anna Li (E1) – phone off, did not come",
      "Ivan Petrov (E7) – asked to move to Friday", "SM: Olga"]),
    # One nobody wrote on has no line of their own, as before; a plain sentence stays other notes.
    (_interview("Interview", "Anna Li (E1); Ivan Petrov (E7)", "Cancelled",
                "Anna Li (E1) – phone off, did not come\nClient had an emergency, no new date."),
     ["Not held: Cancelled", "Candidates: Anna Li (E1), Ivan Petrov (E7)", "Anna Li (E1) – phone off, did not come",
      "SM: Olga", "Other notes:", "Client had an emergency, no new date."]),
    # Under the heading, with nobody in the Candidates column; a second interview moved.
    (_interview("Interview", "", "Rescheduled",
                "Today we interviewed:\nAnna Li (E1) – asked to move to Friday\nIvan Petrov (E7)"),
     ["Not held: Rescheduled", "Candidates: Anna Li (E1), Ivan Petrov (E7)", "Anna Li (E1) – asked to move to Friday",
      "SM: Olga"]),
    (_interview("Second interview", "Anna Li (E1)", "Withdrawn", "Anna Li – took a counter-offer from her employer"),
     ["Not held: Withdrawn", "Candidates: Anna Li (E1)", "Anna Li (E1) – took a counter-offer from her employer",
      "SM: Olga"]),
    # Russian (the standard's labels), Chinese and Japanese (their own).
    (_interview("Собеседование", "Анна Ли (E1)", "Неявка", "Анна Ли – телефон выключен, не пришла", "Ольга"),
     ["Not held: Неявка", "Candidates: Анна Ли (E1)", "Анна Ли (E1) – телефон выключен, не пришла", "SM: Ольга"]),
    (_interview("面试", "王伟（E21）", "已取消", "王伟（E21）：电话关机，没有来", "王芳"),
     ["未进行：已取消", "候选人：王伟 (E21)", "王伟 (E21) – 电话关机，没有来", "负责经理：王芳"]),
    (_interview("面接", "佐藤 健（E101）", "日程変更", "佐藤 健（E101）－金曜日に変更希望", "田中"),
     ["実施されず：日程変更", "候補者：佐藤 健 (E101)", "佐藤 健 (E101) – 金曜日に変更希望", "担当マネージャー：田中"]),
], ids=["no-show", "cancelled", "rescheduled-heading", "withdrawn-second", "ru", "zh", "ja"])
def test_a_called_off_interview_keeps_the_comment_written_on_each_candidate(tmp_path, row, lines):
    assert _head(_summaries(tmp_path, [row])[2]) == lines


def test_a_called_off_interview_with_no_comment_on_its_candidates_is_as_before(tmp_path):
    texts = _summaries(tmp_path, [_interview("Interview", "Anna Li (E1)", "No-show",
                                             "Candidate did not come; phone off. The client waited 15 minutes.")])
    assert _head(texts[2]) == ["Not held: No-show", "Candidates: Anna Li (E1)", "SM: Olga", "Other notes:",
                               "Candidate did not come; phone off. The client waited 15 minutes."]
