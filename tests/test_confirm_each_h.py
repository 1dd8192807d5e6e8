"""The call the day before an interview of several candidates is settled per candidate
(seed 004: call the day before to confirm attendance; an unconfirmed candidate is the
no-show risk). One candidate's "Confirmed" cleared the call for every candidate of the
interview, and a candidate's unanswered call of the eve left nothing to try them again."""
from datetime import datetime, time

import openpyxl
from workbooks import cli_ok, overdue_json, refreshed_output, rows_book

HEADER = ["Date", "Time", "Call type", "Client", "Contact", "Candidates", "Position", "Channel", "Outcome",
          "Next contact", "SM", "Comment on the call"]
INTERVIEW = [datetime(2026, 12, 8), time(11), "Interview", "Tau", "Tina Moor", "Ann Bell (E1); Rob Cole (E2)",
             "Dev", "Video call", "Planned", None, "Anna", "two candidates"]
AGAIN = "No answer: call the candidate again to confirm they will attend the interview"


def _eve(at, contact, outcome, candidates=None):
    return [datetime(2026, 12, 7), at, "Follow-up", "Tau", contact, candidates, "Dev", "Phone", outcome, None,
            "Anna", ""]


def _log(path, *rows):
    return rows_book(path, [HEADER, INTERVIEW, *rows], title="Log")


def _interview(path, as_of):
    return next(x for x in overdue_json(path, as_of) if x["row"] == 2)


def test_one_candidate_confirmed_leaves_the_call_owed_to_the_other(tmp_path):
    path = _log(tmp_path / "a.xlsx", _eve(time(10, 5), "Ann Bell", "Confirmed"))
    fu = _interview(path, "2026-12-07T12:00")
    assert (fu["step"]["key"], fu["status"], fu["due"]) == ("confirm_eve", "due_today", "2026-12-07")
    assert fu["who"] == "Rob Cole" and fu["candidates"] == ["Rob Cole"]
    assert fu["action"] == "Call the candidate to confirm they will attend the interview"
    assert "Hi Rob Cole" in fu["message"] and "Ann Bell" not in fu["message"]
    table = cli_ok("overdue", path, "--as-of", "2026-12-07T12:00").stdout
    assert "Rob Cole" in table and "Hold the planned call" not in table


def test_with_no_confirmation_the_call_names_both(tmp_path):
    fu = _interview(_log(tmp_path / "a.xlsx"), "2026-12-07T12:00")
    assert (fu["step"]["key"], fu["status"]) == ("confirm_eve", "due_today")
    assert fu["candidates"] == ["Ann Bell", "Rob Cole"]


def test_every_candidate_confirmed_settles_it_on_their_own_rows_or_the_contacts(tmp_path):
    # Ann on her own thread; Rob on a row with no contact naming him among its candidates.
    own = _log(tmp_path / "a.xlsx", _eve(time(10, 5), "Ann Bell", "Confirmed"),
               _eve(time(10, 9), None, "Confirmed", "Rob Cole"))
    # Both on the client's contact's thread, one row each naming the candidate.
    contact = _log(tmp_path / "b.xlsx", _eve(time(10, 5), "Tina Moor", "Confirmed", "Ann Bell"),
                   _eve(time(10, 9), "Tina Moor", "Confirmed", "Rob Cole"))
    for path in (own, contact):
        fu = _interview(path, "2026-12-07T12:00")
        assert (fu["step"]["key"], fu["status"]) == ("planned", "upcoming"), path


def test_a_row_with_no_contact_confirms_the_candidates_it_names_only(tmp_path):
    path = _log(tmp_path / "a.xlsx", _eve(time(10, 9), None, "Confirmed", "Rob Cole"))
    fu = _interview(path, "2026-12-07T12:00")
    assert (fu["step"]["key"], fu["candidates"]) == ("confirm_eve", ["Ann Bell"])


def test_the_contact_confirming_alone_is_no_candidate_confirming(tmp_path):
    path = _log(tmp_path / "a.xlsx", _eve(time(10, 5), "Tina Moor", "Confirmed"),
                _eve(time(10, 9), "Tina Moor", "Confirmed", "Rob Cole"))
    fu = _interview(path, "2026-12-07T12:00")
    assert (fu["step"]["key"], fu["candidates"]) == ("confirm_eve", ["Ann Bell"])


def test_an_unanswered_call_of_the_eve_is_to_be_tried_again(tmp_path):
    path = _log(tmp_path / "a.xlsx", _eve(time(10, 5), "Ann Bell", "Confirmed"),
                _eve(time(10, 10), "Rob Cole", "No answer"))
    fu = _interview(path, "2026-12-07T18:00")
    assert (fu["step"]["key"], fu["status"], fu["who"]) == ("confirm_eve", "due_today", "Rob Cole")
    assert fu["action"] == AGAIN and fu["channel"] == "phone"
    assert "Hi Rob Cole" in fu["message"]
    # Rob's own row leaves the call to the interview row: one line for him, not two.
    assert [x["row"] for x in overdue_json(path, "2026-12-07T18:00")] == [2]


def test_some_unanswered_and_some_not_called_says_both(tmp_path):
    # Rob unanswered, Ann not called yet: one line for both, Rob's "call again" said
    # (confirm.partly_step; tests/test_confirm_partly_p.py).
    path = _log(tmp_path / "a.xlsx", _eve(time(10, 10), "Rob Cole", "No answer"))
    fu = _interview(path, "2026-12-07T18:00")
    assert fu["candidates"] == ["Ann Bell", "Rob Cole"]
    assert fu["action"] == ("Call the candidates to confirm they will attend the interview "
                            "(no answer from Rob Cole: call again)")


def test_answered_after_no_answer_settles_the_candidate(tmp_path):
    path = _log(tmp_path / "a.xlsx", _eve(time(10, 5), "Ann Bell", "Confirmed"),
                _eve(time(10, 10), "Rob Cole", "No answer"), _eve(time(16, 0), "Rob Cole", "Confirmed"))
    fu = _interview(path, "2026-12-07T18:00")
    assert fu["step"]["key"] == "planned"


def test_an_interview_of_its_contact_alone_unanswered_is_tried_again(tmp_path):
    path = rows_book(tmp_path / "a.xlsx", [
        HEADER,
        [datetime(2026, 12, 8), time(11), "Interview", "Tau", "Rob Cole", None, "Dev", "Video call", "Planned",
         None, "Anna", ""],
        _eve(time(10, 10), "Rob Cole", "No answer"),
    ], title="Log")
    fu = _interview(path, "2026-12-07T18:00")
    assert (fu["step"]["key"], fu["action"]) == ("confirm_eve", AGAIN)


def test_refresh_writes_the_call_still_owed_and_the_chase_sheet_names_whom(tmp_path):
    path = _log(tmp_path / "a.xlsx", _eve(time(10, 5), "Ann Bell", "Confirmed"),
                _eve(time(10, 10), "Rob Cole", "No answer"))
    refreshed_output(path, "2026-12-07T18:00")
    wb = openpyxl.load_workbook(path)
    log = wb["Log"]
    column = [c.value for c in log[1]].index("Next action") + 1
    assert log.cell(2, column).value == f"Phone: {AGAIN}"
    chase = [r for r in wb["Chase today"].iter_rows(values_only=True)]
    head = chase[0]
    lines = [dict(zip(head, r)) for r in chase[1:]]
    assert [(x["Row"], x["Contact"]) for x in lines] == [(2, "Rob Cole")]


def test_russian_words_for_trying_again(tmp_path):
    path = rows_book(tmp_path / "a.xlsx", [
        ["Дата", "Время", "Вид звонка", "Клиент", "Контакт", "Кандидаты", "Итог", "Следующий контакт"],
        [datetime(2026, 12, 8), time(11), "Интервью", "Тау", "Тина", "Анна Белова; Роман Котов", "Запланирован", None],
        [datetime(2026, 12, 7), time(10), "Фоллоу-ап", "Тау", "Анна Белова", None, "Подтвердил", None],
        [datetime(2026, 12, 7), time(10, 5), "Фоллоу-ап", "Тау", "Роман Котов", None, "Не ответил", None],
    ], title="Звонки")
    fu = _interview(path, "2026-12-07T18:00")
    assert fu["candidates"] == ["Роман Котов"]
    assert fu["action"] == "Не ответил — позвонить кандидату ещё раз и подтвердить участие в интервью"


def test_a_confirmation_at_another_client_is_another_persons(tmp_path):
    elsewhere = _eve(time(10, 9), "Rob Cole", "Confirmed")
    elsewhere[3] = "Kappa"
    path = _log(tmp_path / "a.xlsx", _eve(time(10, 5), "Ann Bell", "Confirmed"), elsewhere)
    fu = _interview(path, "2026-12-07T12:00")
    assert (fu["step"]["key"], fu["candidates"]) == ("confirm_eve", ["Rob Cole"])
