"""A user's own column named like one of ours (Status, Due, Next action, Summary) stays
theirs from the first refresh on, ours beside it; ours stay ours on the next refresh:
found by a tester, whose logs lost their notes, their "Done" marks and their deadlines."""
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from tracker.cli import main
from workbooks import plain_log

AS_OF = "2026-11-20T09:00"
D = datetime
BASE = ["Date", "Call type", "Client", "Contact", "Outcome", "Next contact"]
CALLS = [
    [D(2026, 11, 16, 10), "First call", "Acme", "John Smith", "Done", D(2026, 11, 19)],
    [D(2026, 11, 17, 11), "Interview", "Globex", "Mary Li", "Planned", D(2026, 11, 21)],
    [D(2026, 11, 18, 12), "Follow-up", "Initech", "Bob Ray", "No answer", D(2026, 11, 20)],
]
NOTES = [
    "Company Name: Acme\nCompany Website: acme.com\nContact Person: John Smith\n"
    "Immediate Requirement: 2 Java devs full time\nNext Step: send CVs\nSM: Olga",
    "Today we interviewed:\nAnna Li (E123) – 5 years of Java, calm\nSM: Olga",
    "Company Name: Initech\nSummary: asked to call back on Friday\nSM: Olga",
]


def refresh(path: Path):
    r = CliRunner().invoke(main, ["refresh", str(path), "--as-of", AS_OF], catch_exceptions=False)
    assert r.exit_code == 0, r.output
    return r


def write_log(path: Path, header: list, rows: list) -> Path:
    return plain_log(path, rows, header)


def grid(path: Path) -> list[list]:
    ws = openpyxl.load_workbook(path)["Calls"]
    return [[c.value for c in row] for row in ws.iter_rows()]


def column(rows: list[list], header: str) -> list:
    c = rows[0].index(header)
    return [row[c] for row in rows[1:]]


def refreshed_twice(path: Path, theirs: list[str], ours: list[str]):
    """Refresh `path` twice: the user's columns `theirs` keep their cells, and both
    refreshes write into the same columns `ours` (headers after the user's)."""
    before = grid(path)
    for _ in range(2):
        refresh(path)
        after = grid(path)
        assert after[0] == before[0] + ours, after[0]
        for h in theirs:
            assert column(after, h) == column(before, h), h
    return after


RU_BASE = ["Дата", "Вид звонка", "Клиент", "Контакт", "Результат", "Следующий контакт"]
RU_CALLS = [
    [D(2026, 11, 16, 10), "Первый звонок", "Акме", "Иван Петров", "Состоялся", D(2026, 11, 19)],
    [D(2026, 11, 17, 11), "Первый звонок", "Глобекс", "Мария Ли", "Состоялся", D(2026, 11, 25)],
]
RU_NOTES = ["Company Name: Акме\nContact Person: Иван Петров\nImmediate Requirement: 2 Java-разработчика\n"
            "Next Step: отправить резюме\nSM: Ольга",
            "Company Name: Глобекс\nFuture needs: QA весной\nSM: Ольга"]


@pytest.mark.parametrize("base, calls, notes, header, ours", [
    (BASE, CALLS, NOTES, "Summary", ["Status", "Due", "Next action", "Summary (Call Tracker)"]),
    (RU_BASE, RU_CALLS, RU_NOTES, "Резюме звонка", ["Статус", "Срок", "Следующее действие", "Сводка (Call Tracker)"]),
])
def test_a_users_notes_under_summary_in_a_log_without_comments_stay_theirs(tmp_path, base, calls, notes, header,
                                                                            ours):
    # Their notes start with the format's labels as ours do: in a log with no comment
    # column they are the only notes, and ours (made without them) went over them.
    path = write_log(tmp_path / "calls.xlsx", base + [header], [c + [n] for c, n in zip(calls, notes)])
    rows = refreshed_twice(path, [header], ours)
    summary = column(rows, ours[-1])[0]
    assert summary.startswith(f"Company Name: {calls[0][2]}\n") and "\n☐ " in summary, summary


def test_our_summary_in_a_log_without_comments_stays_ours(tmp_path):
    path = write_log(tmp_path / "calls.xlsx", BASE, [list(c) for c in CALLS])
    rows = refreshed_twice(path, [], ["Status", "Due", "Next action", "Summary"])
    assert all(s.startswith(("Company Name:", "Today we interviewed:")) for s in column(rows, "Summary"))


def test_a_users_next_action_naming_the_channel_stays_theirs(tmp_path):
    # Refresh writes "Phone: call to confirm", never a channel alone (none in a refreshed
    # log of 100 000 rows): "Phone" alone is the user's.
    channels = ["E-mail", "Phone", "WhatsApp"]
    path = write_log(tmp_path / "calls.xlsx", BASE + ["Comment", "Next step", "Next action"],
                     [c + ["ok", step, ch] for c, step, ch in zip(CALLS, ["send CVs", "call back", "confirm"],
                                                                   channels)])
    rows = refreshed_twice(path, ["Next action"], ["Status", "Due", "Next action (Call Tracker)", "Summary"])
    assert column(rows, "Next action") == channels
    assert any(column(rows, "Next action (Call Tracker)"))


@pytest.mark.parametrize("status", [["Done", None, "Done"], [None, None, None]])
def test_a_users_status_and_due_stay_theirs(tmp_path, status):
    # Refresh writes a status on every call and a due date only where the call is not
    # done: dates beside a blank or "Done" status are the user's own deadlines.
    dues = [D(2026, 12, 31), D(2027, 1, 15), None if status[2] else D(2027, 2, 1)]
    path = write_log(tmp_path / "calls.xlsx", BASE + ["Comment", "Status", "Due"],
                     [c + ["ok", s, d] for c, s, d in zip(CALLS, status, dues)])
    rows = refreshed_twice(path, ["Status", "Due"],
                           ["Status (Call Tracker)", "Due (Call Tracker)", "Next action", "Summary"])
    assert column(rows, "Status (Call Tracker)") == ["Overdue", "Upcoming", "Due today"]
    assert column(rows, "Due (Call Tracker)") == [D(2026, 11, 19), D(2026, 11, 21), D(2026, 11, 20)]


def test_a_users_status_marking_some_calls_done_stays_theirs(tmp_path):
    # Blanks between their "Done" marks: refresh leaves no call without a status.
    calls = [list(CALLS[i % 3]) for i in range(7)]
    marks = ["Done", None, None, "Done", None, None, "Done"]
    path = write_log(tmp_path / "calls.xlsx", BASE + ["Comment", "Status"],
                     [c + ["ok", m] for c, m in zip(calls, marks)])
    refreshed_twice(path, ["Status"], ["Status (Call Tracker)", "Due", "Next action", "Summary"])


def test_our_status_and_due_with_calls_typed_below_and_one_marked_done_stay_ours(tmp_path):
    # Calls typed below a refreshed log have a blank status until the next refresh, more
    # of them than were refreshed; a call the user marked "Done" in our Status keeps its
    # Due until then.
    path = write_log(tmp_path / "calls.xlsx", BASE + ["Comment"], [c + ["ok"] for c in CALLS])
    refresh(path)
    header = grid(path)[0]
    assert header == BASE + ["Comment", "Status", "Due", "Next action", "Summary"]
    wb = openpyxl.load_workbook(path)
    ws = wb["Calls"]
    ws["H2"] = "Done"   # over "Overdue", beside our Due date
    for i in range(5):
        ws.append([D(2026, 11, 19, 9 + i), "First call", f"New {i}", "Ann", "No answer", None, "ok"])
    wb.save(path)
    refresh(path)
    rows = grid(path)
    assert rows[0] == header
    assert column(rows, "Status")[0] == "Overdue" and all(column(rows, "Status")[3:])


def test_an_init_workbook_and_the_demo_keep_one_set_of_our_columns(tmp_path):
    path = tmp_path / "new.xlsx"
    runner = CliRunner()
    assert runner.invoke(main, ["init", str(path)], catch_exceptions=False).exit_code == 0
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    header = [c.value for c in ws[1]]
    assert {"Status", "Due", "Next action", "Summary"} <= set(header)
    at = {h: header.index(h) for h in header if h}
    for i, (when, kind, client, contact, outcome, nxt) in enumerate(CALLS):
        for h, v in {"Date": when, "Call type": kind, "Client": client, "Contact": contact, "Outcome": outcome,
                     "Next contact": nxt}.items():
            if h in at:
                ws.cell(row=2 + i, column=at[h] + 1, value=v)
    wb.save(path)
    for _ in range(2):
        refresh(path)
        after = [c.value for c in openpyxl.load_workbook(path).worksheets[0][1]]
        assert after == header, after
    assert all(openpyxl.load_workbook(path).worksheets[0].cell(row=r, column=at["Status"] + 1).value
               for r in (2, 3, 4))

    folder = tmp_path / "demo"
    r = runner.invoke(main, ["demo", str(folder), "--as-of", AS_OF], catch_exceptions=False)
    assert r.exit_code == 0, r.output
    demo = next(folder.glob("*.xlsx"))
    first = [c.value for c in openpyxl.load_workbook(demo).worksheets[0][1]]
    refresh(demo)
    again = [c.value for c in openpyxl.load_workbook(demo).worksheets[0][1]]
    assert again == first and not any("(Call Tracker)" in str(h) for h in again), again


def test_our_status_with_more_new_calls_sorted_in_between_stays_ours(tmp_path):
    # Found by a review: two new calls typed per refreshed one, the sheet then sorted, left
    # our Status mostly blank between its first and last cells: taken for a user's own
    # "Done" column, refresh added a second Status and Due beside the stale ones.
    path = write_log(tmp_path / "calls.xlsx", BASE + ["Comment"], [c + ["ok"] for c in CALLS])
    refresh(path)
    header = grid(path)[0]
    refreshed = grid(path)[1:]
    assert {"Overdue", "Upcoming"} & set(column(grid(path), "Status"))   # not only "Done"
    interleaved = []
    for row in refreshed:
        interleaved += [row] + [row[:len(BASE) + 1] + [None] * 4] * 2   # logged again, not refreshed
    write_log(path, header, interleaved)
    refresh(path)
    rows = grid(path)
    assert rows[0] == header and all(column(rows, "Status"))


def test_our_summary_stays_ours_when_tracker_yaml_changes_the_checkbox(tmp_path):
    # Found by a review: in a log without notes, our Summary is told from a user's notes by
    # its after-call checklist; with another checkbox set, the old ones were the user's.
    path = write_log(tmp_path / "calls.xlsx", BASE, [list(c) for c in CALLS])
    refresh(path)
    header = grid(path)[0]
    assert header[-1] == "Summary"
    (tmp_path / "tracker.yaml").write_text('summaries:\n  checkbox: "[ ]"\n', encoding="utf-8")
    refresh(path)
    rows = grid(path)
    assert rows[0] == header and "\n[ ] " in column(rows, "Summary")[0]


def typed_over_our_status_then_refreshed(tmp_path, typed: dict[int, str]) -> tuple[list, list]:
    """The headers after a refresh and after another, words typed over our Status in
    between (Excel row -> text): the same when ours stayed ours."""
    path = write_log(tmp_path / "calls.xlsx", BASE + ["Comment"], [c + ["ok"] for c in CALLS])
    refresh(path)
    header = grid(path)[0]
    wb = openpyxl.load_workbook(path)
    for row, text in typed.items():
        wb["Calls"].cell(row=row, column=header.index("Status") + 1, value=text)
    wb.save(path)
    refresh(path)
    return header, grid(path)[0]


def test_done_typed_over_our_statuses_of_open_calls_keeps_our_columns(tmp_path):
    # Found by a review: a consultant marking the calls handled today "Done" in our Status
    # (over Overdue, Due today, beside our due dates) made the next refresh take Status
    # and Due for the user's own and add a second pair.
    before, after = typed_over_our_status_then_refreshed(tmp_path, {2: "Done", 4: "Done"})
    assert after == before


def test_a_users_status_of_done_marks_with_no_due_beside_it_stays_theirs(tmp_path):
    # Found by a tester: "Done" on the older calls, blank on the newest, and no Due column:
    # taken for ours, the 30 marks were written over.
    calls = [list(CALLS[i % 3]) for i in range(9)]
    marks = ["Done"] * 6 + [None] * 3
    path = write_log(tmp_path / "calls.xlsx", BASE + ["Comment", "Status"],
                     [c + ["ok", m] for c, m in zip(calls, marks)])
    refreshed_twice(path, ["Status"], ["Status (Call Tracker)", "Due", "Next action", "Summary"])
    assert column(grid(path), "Status") == marks


def test_own_words_typed_over_our_statuses_of_a_small_log_keep_our_columns(tmp_path):
    # Found by a tester: in a log of under 60 calls, two of the consultant's own words
    # ("called", "left msg") over our Status were enough for a second Status and Due.
    before, after = typed_over_our_status_then_refreshed(tmp_path, {2: "called", 3: "left msg"})
    assert after == before
