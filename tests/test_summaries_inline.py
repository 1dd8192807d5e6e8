"""The interview comment written on one line, as seed 002 gives its format:
`Today we interviewed: "Name (ID) – notes" – "Name (ID) – notes" – Interview results: – SM:`.
It must read as the same comment written one item per line.
"""
from __future__ import annotations

import openpyxl
import pytest

from tracker import jobs
from tracker.config import load_config
from tracker.model import CallRecord, Person
from tracker.summaries import summarize, summarize_all

HEADERS = ["Date", "Time", "Call type", "Client", "Contact", "Candidates", "Channel", "Outcome", "SM",
           "Comment on the call"]


pytestmark = pytest.mark.usefixtures("no_user_config")


def _log(path, comments: list[str]):
    """A log of interviews (one a comment) with both candidates in the candidates column."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Calls"
    ws.append(HEADERS)
    for i, comment in enumerate(comments):
        ws.append([f"2026-11-{24 + i}", "14:00", "Interview", "Nordlicht GmbH", "Klaus Weber",
                   "Anna Li (E123); Ivan Petrov (E77)", "Video", "Done", "Olga", comment])
    wb.save(path)
    return path


def _texts(path) -> list[str]:
    config = load_config(None, path)
    summaries, problems = summarize_all(jobs.read(path, config).records, config)
    return [s.text.split("\n\n")[0] for s in summaries], problems


def test_one_line_interview_comment_reads_as_the_multi_line_one(tmp_path):
    one_line = ('Today we interviewed: "Anna Li (E123) – 5 yrs React, confident" – '
                '"Ivan Petrov (E77) – 3 yrs Vue, nervous" – Interview results: client liked Anna – SM: Olga')
    unquoted = ("Today we interviewed: Anna Li (E123) – 5 yrs React, confident – "
                "Ivan Petrov (E77) – 3 yrs Vue, nervous – Interview results: client liked Anna – SM: Olga")
    lines = ("Today we interviewed:\nAnna Li (E123) – 5 yrs React, confident\n"
             "Ivan Petrov (E77) – 3 yrs Vue, nervous\nInterview results: client liked Anna\nSM: Olga")
    texts, problems = _texts(_log(tmp_path / "inline.xlsx", [one_line, unquoted, lines]))
    assert texts[0] == texts[1] == texts[2] == (
        "Today we interviewed:\n"
        "Anna Li (E123) – 5 yrs React, confident\n"
        "Ivan Petrov (E77) – 3 yrs Vue, nervous\n"
        "Interview results: client liked Anna\n"
        "SM: Olga")
    assert problems == []


def test_one_line_interview_comment_in_russian():
    # Russian labels, and the standard's English labels in Russian text, as seed 002 writes it.
    russian = ("Сегодня провели интервью с: Анна Ли (E123) – 5 лет React, уверенно – "
               "Иван Петров (E77) – 3 года Vue, волновался – Итоги интервью: клиенту понравилась Анна – "
               "Менеджер: Ольга")
    standard = ("Today we interviewed: “Анна Ли (E123) – 5 лет React, уверенно” – "
                "“Иван Петров (E77) – 3 года Vue, волновался” – Interview results: клиенту понравилась Анна – "
                "SM: Ольга")
    config = load_config()
    for notes in (russian, standard):
        r = CallRecord(sheet="Calls", row=2, id="1", call_type="interview", notes=notes, language="ru",
                       columns={"notes": "F"})
        s = summarize(r, config)
        assert s.text.split("\n\n")[0] == (
            "Today we interviewed:\n"
            "Анна Ли (E123) – 5 лет React, уверенно\n"
            "Иван Петров (E77) – 3 года Vue, волновался\n"
            "Interview results: клиенту понравилась Анна\n"
            "SM: Ольга")
        assert s.missing == []


def test_a_dash_in_a_candidates_note_does_not_start_another():
    config = load_config()

    def heading(notes, **kw):
        r = CallRecord(sheet="Calls", row=2, id="1", call_type="interview", notes=notes,
                       columns={"notes": "F"}, **kw)
        return summarize(r, config).text.split("\n")[1:4]

    # "senior – 7 yrs" and "React (v18) – good" are Anna's: only a name with an ID (or of the
    # candidates column) after a dash is the next candidate.
    assert heading("Today we interviewed: Anna Li (E123) – senior – 7 yrs – React (v18) – good – "
                   "Ivan Petrov (E77) – nervous – SM: Olga") == [
        "Anna Li (E123) – senior – 7 yrs – React (v18) – good", "Ivan Petrov (E77) – nervous",
        "Interview results: [missing]"]
    assert heading("Today we interviewed: Anna Li – senior – 7 yrs – Ivan Petrov – nervous\nSM: Olga",
                   candidates=[Person("Anna Li"), Person("Ivan Petrov")]) == [
        "Anna Li – senior – 7 yrs", "Ivan Petrov – nervous", "Interview results: [missing]"]
    # A sentence with dashes and no IDs is one candidate's comment, as before.
    assert heading("Today we interviewed: Anna Li – strong – but nervous – then Ivan – calm\nSM: Olga") == [
        "Anna Li – strong – but nervous – then Ivan – calm", "Interview results: [missing]", "SM: Olga"]
