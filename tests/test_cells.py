"""The cell functions between recalculations: Excel hands each of them the whole table
every time one cell changes. What one call worked out serves the next only where it would
come out the same: every answer here is checked against a call that kept nothing."""
import copy
from datetime import datetime, timedelta

import pytest
from conftest import DEMO_NOW

import tracker.log
import tracker.summaries
from tracker import jobs
from tracker.config import load_config
from tracker.excel import cells, udfs
from tracker.files import open_book
from tracker.log import find_log_sheet

import xwfake

FIELDS = ("status", "due", "next_action", "summary")


@pytest.fixture
def table(sample_log) -> list[list]:
    config = load_config()
    wb = open_book(sample_log)
    return [list(r) for r in wb.grid(find_log_sheet(wb, config))]


@pytest.fixture
def calls(monkeypatch) -> dict[str, int]:
    """How often the table is read, its follow-ups worked out and a summary made."""
    counts = dict.fromkeys(("read", "followups", "summary"), 0)

    def counted(name, module, attr):
        real = getattr(module, attr)

        def spy(*args, **kwargs):
            counts[name] += 1
            return real(*args, **kwargs)
        monkeypatch.setattr(module, attr, spy)

    counted("read", tracker.log, "parse_grid")
    counted("followups", jobs, "followup_list")
    counted("summary", tracker.summaries, "_summarize")
    return counts


def fresh(table, what, config=None, now=DEMO_NOW, **kw):
    """What the function gives with nothing kept from before."""
    return cells.column(copy.deepcopy(table), what, config=config or load_config(), now=now,
                        recalc=cells.Recalc(), **kw)


def recalculate(recalc, table, config=None, **kw):
    # A new copy for each function, as xlwings converts the range anew for each call.
    return {what: cells.column(copy.deepcopy(table), what, config=config or load_config(), now=DEMO_NOW,
                               recalc=recalc, **kw) for what in FIELDS}


def notes_column(table) -> int:
    return next(c for c, h in enumerate(table[0]) if str(h).startswith("Comment"))


def first_row_with(table, call_type: str) -> int:
    return next(i for i, r in enumerate(table) if str(r[table[0].index("Call type")]) == call_type)


def test_a_recalculation_reads_the_table_once_and_gives_what_each_function_gives_alone(table, calls):
    expected = {what: fresh(table, what) for what in FIELDS}
    made = calls["summary"]
    assert calls == {"read": 4, "followups": 3, "summary": made} and made > 20

    recalc = cells.Recalc()
    assert recalculate(recalc, table) == expected
    assert calls == {"read": 5, "followups": 4, "summary": 2 * made}
    # Recalculated with nothing changed (F9): nothing worked out again.
    assert recalculate(recalc, table) == expected
    assert calls == {"read": 5, "followups": 4, "summary": 2 * made}


def test_an_edited_row_gets_its_summary_made_again_and_only_it(table, calls):
    recalc = cells.Recalc()
    before = recalculate(recalc, table)
    row = first_row_with(table, "Interview")
    table[row][notes_column(table)] = "SM: Olga Ivanova\nResult: the client wants a second interview"
    made = calls["summary"]

    after = recalculate(recalc, table)
    assert calls["summary"] == made + 1
    assert after["summary"][row] != before["summary"][row]
    assert "Olga Ivanova" in after["summary"][row][0]
    assert after == {what: fresh(table, what) for what in FIELDS}


@pytest.mark.parametrize("others_edited", [False, True])
def test_a_row_whose_cells_were_deleted_keeps_no_summary(table, others_edited):
    recalc = cells.Recalc()
    recalculate(recalc, table)
    row = first_row_with(table, "Interview")
    table[row] = [None] * len(table[row])
    if others_edited:
        table[row + 1] = [None] * len(table[row + 1])
        table[row + 2][notes_column(table)] = "SM: Olga Ivanova"
    after = recalculate(recalc, table)
    assert after["summary"][row] == [None]
    assert after == {what: fresh(table, what) for what in FIELDS}


def test_a_follow_up_moved_on_changes_its_status_as_a_fresh_call_would(table):
    recalc = cells.Recalc()
    before = recalculate(recalc, table)
    overdue = jobs.status_label(load_config(), "overdue", "en")
    row = next(i for i, s in enumerate(before["status"]) if s == [overdue])
    table[row][table[0].index("Next contact")] = datetime(2026, 12, 31)
    after = recalculate(recalc, table)
    assert after["status"][row] != [overdue]
    assert after == {what: fresh(table, what) for what in FIELDS}


def test_a_later_recalculation_judges_as_of_its_own_time(table, calls):
    recalc = cells.Recalc()
    today = cells.column(copy.deepcopy(table), "status", config=load_config(), now=DEMO_NOW, recalc=recalc)
    later = DEMO_NOW + timedelta(days=30)
    then = cells.column(copy.deepcopy(table), "status", config=load_config(), now=later, recalc=recalc)
    assert calls["read"] == 1 and then != today
    assert then == fresh(table, "status", now=later)


def test_a_row_inserted_above_does_not_lend_its_place_to_another(table, calls):
    recalc = cells.Recalc()
    recalculate(recalc, table)
    row = first_row_with(table, "Interview")
    table.insert(row, list(table[first_row_with(table, "First call")]))
    after = recalculate(recalc, table)
    assert after == {what: fresh(table, what) for what in FIELDS}
    assert after["summary"][row] != after["summary"][row + 1]


def test_a_renamed_column_makes_every_summary_again(table):
    recalc = cells.Recalc()
    before = recalculate(recalc, table)
    table[0][notes_column(table)] = "Remarks"   # no longer read as the notes
    after = recalculate(recalc, table)
    assert after == {what: fresh(table, what) for what in FIELDS}
    assert after["summary"] != before["summary"]


def test_another_configuration_is_not_served_what_the_first_made(table, calls):
    recalc = cells.Recalc()
    first = recalculate(recalc, table)
    other = load_config(overrides={"summaries": {"checkbox": "[ ]"}})
    reads = calls["read"]
    second = recalculate(recalc, table, config=other)
    assert calls["read"] == reads + 1
    assert second["summary"] != first["summary"]
    assert second == {what: fresh(table, what, config=other) for what in FIELDS}
    # And back: the first configuration's answers, not the second's.
    assert recalculate(recalc, table) == first


def test_each_language_of_the_summaries_is_kept_apart(table):
    recalc = cells.Recalc()
    english = cells.column(copy.deepcopy(table), "summary", lang="en", config=load_config(), now=DEMO_NOW,
                           recalc=recalc)
    russian = cells.column(copy.deepcopy(table), "summary", lang="ru", config=load_config(), now=DEMO_NOW,
                           recalc=recalc)
    assert english != russian
    assert russian == fresh(table, "summary", lang="ru")


def test_a_cell_no_excel_would_give_is_no_trouble(table):
    recalc = cells.Recalc()
    row = first_row_with(table, "Interview")
    table[row][table[0].index("Position")] = ["not", "a", "value"]
    for _ in range(2):
        out = cells.column(copy.deepcopy(table), "summary", config=load_config(), now=DEMO_NOW, recalc=recalc)
        assert out == fresh(table, "summary")


def test_the_cell_functions_share_one_recalculation(table, calls, monkeypatch):
    monkeypatch.setattr(cells, "_KEPT", {})
    as_of = DEMO_NOW.isoformat()
    status = udfs.TRACKER_STATUS(copy.deepcopy(table), as_of)
    due = udfs.TRACKER_DUE(copy.deepcopy(table), as_of)
    udfs.TRACKER_NEXT_STEP(copy.deepcopy(table), as_of)
    assert (calls["read"], calls["followups"]) == (1, 1)
    assert status == fresh(table, "status") and due == fresh(table, "due")


def test_without_a_date_the_functions_of_one_minute_share_their_follow_ups(table, calls, monkeypatch):
    ticks = iter([DEMO_NOW.replace(second=10), DEMO_NOW.replace(second=40), DEMO_NOW.replace(minute=1)])

    class Clock(datetime):
        @classmethod
        def now(cls, tz=None):
            return next(ticks)

    monkeypatch.setattr(cells, "datetime", Clock)
    monkeypatch.setattr(cells, "_KEPT", {})
    status = udfs.TRACKER_STATUS(copy.deepcopy(table))
    udfs.TRACKER_DUE(copy.deepcopy(table))
    assert calls["followups"] == 1
    udfs.TRACKER_NEXT_STEP(copy.deepcopy(table))
    assert calls["followups"] == 2
    assert status == fresh(table, "status", now=DEMO_NOW.astimezone())


def test_a_table_without_its_header_row_says_so_in_the_first_cell(table):
    out = cells.column(copy.deepcopy(table[1:]), "status", config=load_config(), now=DEMO_NOW,
                       recalc=cells.Recalc())
    assert out[0][0].startswith("#CallTracker: no recognisable header row")
    assert "Date" in out[0][0] and out[1:] == [[None]] * (len(table) - 2)


def test_a_table_given_without_its_header_row_is_told_as_excel_names_it(table):
    # Found by a tester: the cell said `no recognisable header row on sheet "(table)"`, a
    # sheet no one has; most often it is a table given as Table1, without its headers.
    for out in (udfs.TRACKER_STATUS(copy.deepcopy(table[1:]), DEMO_NOW), udfs.TRACKER_SUMMARY(copy.deepcopy(table[1:]))):
        said = "".join(cell for [cell] in out if cell)
        assert said.startswith("#CallTracker: no recognisable header row in the range given (expected headers such "
                               "as Date, "), said
        assert said.endswith("; give the table with its header row: Table1[#All], not Table1"), said
        assert "(table)" not in said and "sheet" not in said
    alone = udfs.TRACKER_SUMMARY(copy.deepcopy(table[1:]), None, 3)
    assert alone.startswith("#CallTracker: no recognisable header row in the range given"), alone


def test_an_empty_range_is_told_empty_not_headless():
    # Found by a tester: an empty range was told "give the table with its header row:
    # Table1[#All], not Table1", as if the table's rows were there without it.
    for empty in ([[None] * 5] * 4, [[None]], [["", "  "], [None, None]]):
        for out in (udfs.TRACKER_STATUS(copy.deepcopy(empty)), udfs.TRACKER_SUMMARY(copy.deepcopy(empty))):
            assert out == [["#CallTracker: the range given is empty; give the call log with its header row, "
                             "e.g. Table1[#All] or A1:V500"]] + [[None]] * (len(empty) - 1)
    assert udfs.TRACKER_DUE([[None], [None]], "2026-11-23")[0][0].startswith("#CallTracker: the range given is empty")
    assert udfs.TRACKER_SUMMARY([[None], [None]], None, 2).startswith("#CallTracker: the range given is empty")


def test_a_date_that_is_not_one_says_so_in_the_first_cell(table):
    out = udfs.TRACKER_DUE(copy.deepcopy(table), "next Tuesday")
    assert out[0][0].startswith("#CallTracker: ") and "next Tuesday" in out[0][0]
    assert len(out) == len(table) and out[1:] == [[None]] * (len(table) - 1)


def test_the_summary_language_is_read_as_a_person_types_it(table):
    russian = fresh(table, "summary", lang="ru")
    assert udfs.TRACKER_SUMMARY(copy.deepcopy(table), " RU ") == cells.for_excel(russian)
    wrong = udfs.TRACKER_SUMMARY(copy.deepcopy(table), "de")
    assert wrong[0] == ["#CallTracker: lang must be one of en, ru, zh, ja, not 'de'"]
    assert wrong[1:] == [[None]] * (len(table) - 1)


@pytest.mark.parametrize("places", [
    [("C:/logs/2026.xlsx", "Calls"), ("C:/logs/team.xlsx", "Calls")],   # every open workbook
    [("C:/logs/team.xlsx", "2025"), ("C:/logs/team.xlsx", "2026")],     # one log per year
], ids=["workbooks", "sheets"])
def test_each_table_is_kept_where_its_functions_are(table, calls, monkeypatch, places):
    """A full recalculation goes through every open workbook's tables: two logs, their
    cell functions called in turn, are each read once, not again at every turn."""
    monkeypatch.setattr(cells, "_KEPT", {})
    other = copy.deepcopy(table)
    other[first_row_with(other, "Interview")][notes_column(other)] = "SM: Olga Ivanova"
    for _ in range(3):
        for (book, sheet), rows in zip(places, [table, other]):
            out = udfs.TRACKER_STATUS(copy.deepcopy(rows), DEMO_NOW, caller=_Cell(book, sheet))
            assert out == fresh(rows, "status")
    assert calls["read"] == 2 + 6   # each table once; `fresh` reads every time
    for n in range(4):   # three tables are kept: the one used longest ago goes
        cells.column(copy.deepcopy(table), "status", now=DEMO_NOW, book_path=f"C:/logs/{n}.xlsx")
    assert list(cells._KEPT) == [(f"C:/logs/{n}.xlsx", None) for n in (1, 2, 3)]


class _Cell:
    """The calling cell as xlwings gives it: its sheet, and the sheet's workbook."""

    def __init__(self, book: str, sheet: str):
        self.sheet = type("Sheet", (), {"name": sheet, "book": type("Book", (), {"fullname": book})()})()


def test_an_error_value_as_the_date_or_language_is_an_error_not_now():
    # xlwings gives an error cell as None (a blank: "now") unless asked for its text.
    from tracker.addin.udfwrap import _load_with_real_decorators, _load_xlwings_udfs

    module = _load_with_real_decorators("tracker.excel.udfs", _load_xlwings_udfs())
    functions = [f for f in vars(module).values() if hasattr(f, "__xlfunc__")]
    options = {(f.__name__, a["name"]): a["options"] for f in functions for a in f.__xlfunc__["args"]
               if a["name"] != "caller"}   # xlwings' own: the calling cell
    assert {arg for _, arg in options} == {"table", "as_of", "lang", "row"}
    # (the table comes as its cells, its values read with err_to_str: test_ribbon)
    assert all(o.get("err_to_str") is True for (_, arg), o in options.items() if arg != "table"), options
    out = cells.column([["Date", "Call type"], [DEMO_NOW, "Interview"]], "status", as_of="#N/A",
                       config=load_config(), recalc=cells.Recalc())
    assert out[0][0].startswith("#CallTracker: ") and "#N/A" in out[0][0] and out[1] == [None]


class _Caller:
    """What xlwings gives a cell function as `caller`: the calling cell, its sheet and book
    (here with only the attributes udfs reads)."""

    def __init__(self, date1904: bool):
        book = type("Book", (), {"fullname": "C:/calls/log.xlsx",
                                 "api": type("Api", (), {"Date1904": date1904})()})()
        self.sheet = type("Sheet", (), {"name": "Calls", "book": book})()


@pytest.mark.parametrize("date1904", [False, True])
def test_now_as_a_serial_counts_from_the_workbooks_own_epoch(table, date1904):
    """=TRACKER_STATUS(T, NOW()) hands over a bare serial number; a workbook in the 1904
    date system (Excel for Mac's old default) counts it from 1904, four years later."""
    later = DEMO_NOW + timedelta(days=30)   # statuses differ from DEMO_NOW's
    epoch = datetime(1904, 1, 1) if date1904 else datetime(1899, 12, 30)
    serial = (later - epoch) / timedelta(days=1)
    place = udfs._place(_Caller(date1904))
    assert place["date1904"] is date1904
    got = cells.column(copy.deepcopy(table), "status", as_of=serial, config=load_config(),
                       recalc=cells.Recalc(), **place)
    assert got == fresh(table, "status", now=later)
    assert got != fresh(table, "status", now=DEMO_NOW)


# ---------------------------------------------------------------- what Excel takes back

def test_the_summaries_reach_excel_cut_to_fit_a_column_and_one_row_in_full(table, monkeypatch):
    """Excel shows #VALUE! in every cell of an array from a cell function that holds a text
    over 255 characters (xlwings #456), and most of the sample's summaries are longer (its
    longest 846); a value alone may be as long as a cell holds."""
    monkeypatch.setattr(cells, "_KEPT", {})
    full = [text for [text] in fresh(table, "summary")]
    assert sum(len(t or "") > 255 for t in full) > 100
    shown = xwfake.udf_result(udfs.TRACKER_SUMMARY(copy.deepcopy(table)))
    assert shown != "#VALUE!"
    for text, [cell] in zip(full, shown, strict=True):
        assert cell == ("" if text is None else text if len(text) <= 255 else text[:254] + "…")
    longest = max(range(len(full)), key=lambda i: len(full[i] or ""))
    for row in (longest + 1, float(longest + 1)):   # Excel hands a number over as a float
        assert xwfake.udf_result(udfs.TRACKER_SUMMARY(copy.deepcopy(table), None, row)) == full[longest]
    assert udfs.TRACKER_SUMMARY(copy.deepcopy(table), "", 1) == "Summary"   # the header row's
    for wrong in (0, len(table) + 1, 2.5, "two"):
        said = udfs.TRACKER_SUMMARY(copy.deepcopy(table), None, wrong)
        assert said == f"#CallTracker: row must be a row number of the table, 1 to {len(table)}, not {wrong!r}"


@pytest.mark.parametrize("function", [udfs.TRACKER_STATUS, udfs.TRACKER_DUE, udfs.TRACKER_NEXT_STEP,
                                      udfs.TRACKER_SUMMARY])
def test_every_cell_function_keeps_its_texts_within_what_excel_takes_back(function, monkeypatch):
    # A status label or next action of the user's configuration may be as long as a summary.
    long = "Call Anna about the second interview; " * 8
    monkeypatch.setattr(cells, "column", lambda *args, **kwargs: [["Header"], [long], [None]])
    assert xwfake.udf_result(function([["Date"]])) == [["Header"], [long[:254] + "…"], [""]]
    emoji = "😀" * 200   # two UTF-16 units each, as Excel counts: never half of one
    monkeypatch.setattr(cells, "column", lambda *args, **kwargs: [["Header"], [emoji]])
    assert xwfake.udf_result(function([["Date"]])) == [["Header"], ["😀" * 127 + "…"]]


def test_a_long_error_is_read_down_the_column_and_whole_for_one_row(table):
    lang = "the language of the client's board, whichever it is this year " * 8   # no language we know
    message = cells.column(copy.deepcopy(table), "summary", lang=lang, recalc=cells.Recalc())[0][0]
    assert message.startswith("#CallTracker: lang must be one of ") and len(message) > 255
    shown = xwfake.udf_result(udfs.TRACKER_SUMMARY(copy.deepcopy(table), lang))
    assert shown != "#VALUE!" and len(shown) == len(table)
    pieces = [cell for [cell] in shown if cell]
    assert len(pieces) == 3 and "".join(pieces) == message and pieces[0].endswith(" ")
    assert xwfake.udf_result(udfs.TRACKER_SUMMARY(copy.deepcopy(table), lang, 5)) == message
    # A table of two rows: the message's start, then as much of the rest as fits.
    [[first], [second]] = xwfake.udf_result(udfs.TRACKER_SUMMARY(copy.deepcopy(table[:2]), lang))
    assert first + second == message[:len(first) + 254] + "…"


def test_now_from_excel_goes_by_this_computers_clock_not_the_workbooks_zone(table, monkeypatch):
    # Found by a tester: with `timezone: Asia/Shanghai` on a computer on UTC,
    # =TRACKER_STATUS(T, NOW()) read the PC's 20:00 as Shanghai's: 8 rows a day behind.
    from datetime import timezone

    import tracker.config

    monkeypatch.setattr(tracker.config, "computer_zone", lambda: timezone.utc)
    config = load_config(overrides={"timezone": "Asia/Shanghai"})
    instant = datetime(2026, 11, 22, 20, 0, tzinfo=timezone.utc)          # 04:00 on the 23rd there
    monkeypatch.setattr(cells, "_clock", lambda: instant.replace(second=25))   # NOW() was given it
    excel_now = (datetime(2026, 11, 22, 20, 0) - datetime(1899, 12, 30)).total_seconds() / 86400
    expected = fresh(table, "status", config=config, now=instant)
    assert expected != fresh(table, "status", config=config, now=datetime(2026, 11, 22, 20, 0))
    got = cells.column(copy.deepcopy(table), "status", as_of=excel_now, config=config, recalc=cells.Recalc())
    assert got == expected
