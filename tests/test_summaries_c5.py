"""An interview's candidate nobody has written a comment on, in the meeting summary.

Found trying the demo: a planned interview's summary read "清水陽介 (E113) – —" for
each candidate, a bare dash where the format (seed 002: "Name (employee ID) – what they
said and how they came across") wants a comment nobody could write before the interview,
beside "面接結果：[未記入]". A planned interview's summary is the skeleton to complete
after it, so its empty comments show the missing mark the format uses for everything not
written yet; a held interview's candidate nobody wrote about shows the same (it is to be
filled in too). Logs written as `tracker init` writes them, read through `tracker summary`.
"""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from tracker.cli import main
from workbooks import typed_log

pytestmark = pytest.mark.usefixtures("no_user_config")

# language -> the candidates, the heading, the verdict's label, the missing mark, the SM's label
WORDS = {
    "en": (["Ivan Petrov (E1)", "Anna Li (E2)"], "Today we interviewed:", "Interview results: ", "[missing]", "SM: "),
    # Russian summaries keep the standard's English labels; the mark is Russian.
    "ru": (["Иван Петров (E1)", "Анна Ли (E2)"], "Today we interviewed:", "Interview results: ", "[не указано]", "SM: "),
    "zh": (["周婷 (E146)", "马超 (E138)"], "今天面试了：", "面试结果：", "[缺少]", "负责经理："),
    "ja": (["清水陽介 (E113)", "石川大輔 (E120)"], "本日面接した候補者：", "面接結果：", "[未記入]", "担当マネージャー："),
}


def _summary(tmp_path: Path, row: dict) -> tuple[int, list[str]]:
    path = typed_log(tmp_path / "calls.xlsx", [row])
    result = CliRunner().invoke(main, ["summary", str(path), "--row", "2"])
    return result.exit_code, result.output.splitlines()


def _interview(lang: str, outcome: str, notes: str = "", day: datetime = datetime(2026, 11, 21, 10)) -> dict:
    names = WORDS[lang][0]
    return {"Date": day, "Call type": "Interview", "Client": "Acme", "Candidates": ", ".join(names),
            "Outcome": outcome, "SM": "Olga", "Language": lang, "Comment on the call": notes}


@pytest.mark.parametrize("lang", sorted(WORDS))
def test_a_planned_interview_is_the_skeleton_to_complete_after_it(tmp_path, lang):
    names, heading, results, mark, sm = WORDS[lang]
    code, lines = _summary(tmp_path, _interview(lang, "Planned"))
    assert lines[1:6] == [heading, f"{names[0]} – {mark}", f"{names[1]} – {mark}", f"{results}{mark}", f"{sm}Olga"]
    assert not any(line.endswith("– —") for line in lines)
    assert code == 0   # nothing to write yet: its gaps are not problems


@pytest.mark.parametrize("lang", sorted(WORDS))
def test_a_held_interview_shows_the_candidate_nobody_wrote_about_the_same_way(tmp_path, lang):
    names, heading, results, mark, sm = WORDS[lang]
    notes = f"{names[0]} – 5 years of Java, confident\n{results.strip()} hired {names[0].split(' (')[0]}"
    code, lines = _summary(tmp_path, _interview(lang, "Done", notes, datetime(2026, 11, 10, 10)))
    assert lines[1:6] == [heading, f"{names[0]} – 5 years of Java, confident", f"{names[1]} – {mark}",
                          f"{results}hired {names[0].split(' (')[0]}", f"{sm}Olga"]


@pytest.mark.parametrize("names", [["高洁 (E14077)", "高洁 (E14078)"], ["Anna Li (E1)", "Anna Li (E2)"]])
def test_two_candidates_of_one_name_keep_their_own_comments(tmp_path, names):
    # Found in the 100 000-row bench log: the second 高洁's comment was joined to the
    # first's ("初级，2年经验; 作品集很强") and the second was left with none.
    notes = f"Today we interviewed:\n{names[0]} – junior, 2 years\n{names[1]} – strong portfolio\nInterview results: none fit"
    _, lines = _summary(tmp_path, _interview("en", "Done", notes, datetime(2026, 11, 10, 10)) | {"Candidates": ", ".join(names)})
    assert lines[1:5] == ["Today we interviewed:", f"{names[0]} – junior, 2 years", f"{names[1]} – strong portfolio",
                          "Interview results: none fit"]


def test_a_typed_id_still_finds_its_candidate_when_the_name_differs(tmp_path):
    # The ID names the candidate: "Anna (E2)" in the notes is "Anna Li (E2)" of the column.
    notes = "Anna (E2) – strong portfolio\nIvan Petrov – quiet\nInterview results: Anna"
    _, lines = _summary(tmp_path, _interview("en", "Done", notes, datetime(2026, 11, 10, 10)))
    assert lines[1:4] == ["Today we interviewed:", "Ivan Petrov (E1) – quiet", "Anna Li (E2) – strong portfolio"]
