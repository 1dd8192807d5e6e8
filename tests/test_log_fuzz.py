"""Property tests: whatever a sheet holds, the reader answers with records and problems,
never an exception, and every problem points at a real cell."""
from __future__ import annotations

import datetime as dt
import os
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tracker import log
from tracker.config import load_config
from tracker.errors import TrackerError
from tracker.log import ERROR_VALUES, parse_date, parse_grid, parse_people, parse_time
from tracker.model import Person, column_letter


@pytest.fixture(scope="module")
def config():
    mp = pytest.MonkeyPatch()
    mp.setenv("XDG_CONFIG_HOME", "/nonexistent-call-tracker-config")
    mp.setenv("APPDATA", "/nonexistent-call-tracker-config")
    try:
        yield load_config()
    finally:
        mp.undo()


def _header_words() -> list[str]:
    mp = pytest.MonkeyPatch()
    mp.setenv("XDG_CONFIG_HOME", "/nonexistent-call-tracker-config")
    try:
        cfg = load_config()
    finally:
        mp.undo()
    words = set()
    for fname, synonyms in cfg.section("columns").items():
        words.update([fname, *map(str, synonyms or [])])
    for labels in cfg.section("headers").values():
        words.update(map(str, (labels or {}).values()))
    values = set()
    for ct in cfg.call_types.values():
        values.update([*ct.labels.values(), *ct.also])
    for lst in cfg.section("lists").values():
        for spec in (lst or {}).values():
            values.update(str(v) for k, v in (spec or {}).items() if k != "also")
    return sorted(words), sorted(values)


HEADER_WORDS, LIST_VALUES = _header_words()
# More for a long hunt: FUZZ_EXAMPLES=5000 pytest tests/test_log_fuzz.py
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "300"))

texts = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["2026-11-22", "22.11.2026", "11/22/2026", "2026年11月22日 14時30分", "14:00",
                     "31.02.2026", "99/99/9999", "2026-11-22T25:61", "14点半", "午後13時",
                     "keep in touch by email", "Ivan (E1); Anna (E2)", "(", "((a)", ")(", " and ",
                     "#N/A", "#DIV/0!", "=SUM(A1)", "", "   ", "\n", "№", "#"]),
    st.sampled_from(LIST_VALUES),
    st.sampled_from(sorted(ERROR_VALUES)),
    st.from_regex(r"\d{1,5}[./\-年]\d{1,3}[./\-月]\d{1,5}日?( \d{1,2}[:時点]\d{0,2})?", fullmatch=True),
)
cells = st.one_of(
    texts,
    st.none(),
    st.booleans(),
    st.integers(min_value=-10**20, max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.dates(),
    st.datetimes(),
    st.times(),
    st.timedeltas(min_value=dt.timedelta(days=-3), max_value=dt.timedelta(days=3)),
    st.lists(st.integers(), max_size=2),   # unhashable: no host gives these, still no crash
)
KEY_WORDS = [w for w in HEADER_WORDS if w.casefold() in
             {"date", "call type", "дата", "вид звонка", "日期", "类型", "日付", "種別", "通話種別"}]


@st.composite
def headers(draw):
    if draw(st.integers(0, 4)) == 0:   # anything at all, usually not a header
        return draw(st.lists(st.one_of(st.sampled_from(HEADER_WORDS), texts, st.none()), max_size=12))
    words = draw(st.lists(st.one_of(st.sampled_from(HEADER_WORDS), st.sampled_from(HEADER_WORDS), texts, st.none()),
                          min_size=1, max_size=11))
    words.insert(draw(st.integers(0, len(words))), draw(st.sampled_from(KEY_WORDS)))
    return words


@st.composite
def grids(draw):
    width = draw(st.integers(min_value=0, max_value=12))
    above = draw(st.lists(st.lists(cells, max_size=width), max_size=4))
    header = draw(headers())
    body = draw(st.lists(st.lists(cells, max_size=max(width, len(header))), max_size=25))
    return above + [header] + body


@settings(max_examples=EXAMPLES, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(grid=grids())
def test_parse_grid_never_raises_and_problems_point_at_cells(config, grid):
    log = parse_grid(grid, "Log", config, "fuzz.xlsx")
    width = max((len(r) for r in grid), default=0)
    letters = {column_letter(c) for c in range(width)}
    assert 0 <= log.header_row <= len(grid)
    for p in log.problems:
        assert p.sheet == "Log"
        assert 0 <= p.row <= len(grid)
        if p.row == 0:
            assert p.column == ""
        else:
            assert p.column == "" or p.column in letters
        assert p.message and "\n" not in p.message
        assert len(p.value) <= 80
    rows = [r.row for r in log.records]
    assert rows == sorted(set(rows))
    for r in log.records:
        assert log.header_row < r.row <= len(grid)
        cells_of_row = grid[r.row - 1]
        assert any(v not in (None, "") for v in cells_of_row)
        assert r.id
        assert r.call_type is None or r.call_type in config.call_types
        assert r.date is None or type(r.date) is dt.date
        assert r.time is None or isinstance(r.time, dt.time)
        for field, letter in r.columns.items():
            assert letter in letters
        for field, text in r.fields.items():
            assert text and text == text.strip()


def test_a_status_column_holding_a_list_does_not_stop_the_reader(config):
    # The fuzz test above found it: a grid handed in by code (not from a file) with a list
    # in a Status column and no Outcome column made the look at that column raise.
    grid = [["Date", "Call type", "Contact", "Status"],
            ["22.11.2026", "First call", "Ann", ["a", "list"]],
            ["22.11.2026", "First call", "Bob", "Cancelled"]]
    log = parse_grid(grid, "Log", config, "code.xlsx")
    assert [r.row for r in log.records] == [2, 3]


@pytest.fixture(scope="module")
def orders():
    mp = pytest.MonkeyPatch()
    mp.setenv("XDG_CONFIG_HOME", "/nonexistent-call-tracker-config")
    mp.setenv("APPDATA", "/nonexistent-call-tracker-config")
    try:
        yield {order: load_config(overrides={"date_order": order}) for order in ("dmy", "mdy")}
    finally:
        mp.undo()


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(yearless=st.lists(st.tuples(st.integers(1, 12), st.integers(13, 28)).filter(lambda p: p != (7, 24)),
                         min_size=1, max_size=6),   # "24/7" is reachable at all hours, no date
       either=st.lists(st.tuples(st.integers(1, 12), st.integers(1, 12)).filter(lambda p: p[0] != p[1]),
                       min_size=1, max_size=6),
       month_first=st.booleans(), configured=st.sampled_from(["dmy", "mdy"]))
def test_slash_dates_without_a_year_tell_the_order_as_dates_with_one_do(orders, yearless, either, month_first,
                                                                         configured):
    # 11/25 (or 25/11) has one reading, as 11/25/2026 has: whatever the order configured,
    # the log's dates that read both ways (03/04/2026) are read its way, it is read as
    # written, and the dates without a year are one thing to look at, not a problem each.
    typed = [f"{m}/{d}" if month_first else f"{d}/{m}" for m, d in yearless]
    grid = [["Date", "Call type"]] + [[t, "First call"] for t in typed]
    grid += [[f"{a:02d}/{b:02d}/2026", "Follow-up"] for a, b in either]
    log = parse_grid(grid, "Log", orders[configured])
    assert log.date_order == ("mdy" if month_first else "dmy")
    dates = [r.date for r in log.records]
    assert [(d.month, d.day) for d in dates[:len(typed)]] == yearless
    assert all(d.year in (2025, 2026, 2027) for d in dates[:len(typed)])
    assert dates[len(typed):] == [dt.date(2026, a, b) if month_first else dt.date(2026, b, a) for a, b in either]
    [said] = log.problems
    assert (said.row, said.column, said.read) == (2, "A", True)


@settings(max_examples=EXAMPLES, deadline=None)
@given(value=cells, order=st.sampled_from(["dmy", "mdy"]))
def test_parse_date_answers_a_date_none_or_a_clear_error(value, order):
    try:
        result = parse_date(value, order)
    except TrackerError as exc:
        assert isinstance(exc, ValueError) and "\n" not in str(exc)
        return
    assert result is None or isinstance(result, dt.date)


@settings(max_examples=EXAMPLES, deadline=None)
@given(value=cells)
def test_parse_time_answers_a_time_or_none(value):
    result = parse_time(value)
    assert result is None or isinstance(result, dt.time)


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=60))
def test_parse_people_keeps_every_name(text):
    people = parse_people(text)
    for person in people:
        assert person.name or person.ref
        assert person.name == person.name.strip()
    letters = re.sub(r"[\W_]", "", text)
    if letters and not re.fullmatch(r"(?i)(and|и)+", letters):
        assert people


def _people_by_pattern(text):
    """parse_people as it was before its string-method fast path: _PERSON_PAIR person
    by person, the careful split for anything else."""
    text = str(text or "").strip()
    people, pos = [], 0
    while pos < len(text):
        m = log._PERSON_PAIR.match(text, pos)
        if m is None or m.end() == pos:
            return log._parse_people_slowly(text)
        name, ref = m.groups("")
        if name:
            people.append(Person(log._BULLETS.sub("", name) if name[-1] in log._MARKS else name, ref))
        pos = m.end()
    return people


_NAME_WORDS = ["Ivan", "Petrov", "Li", "and", "AND", "And", "и", "И", "Andrew", "иван", "王伟",
               "井上拓也", "Дмитрий", "Ⅻ", "E1", "O'Brien", "Jean-Luc", "ジョン・スミス", "&", "-", "•",
               "*", "Anna-", "·Mia", "_", "١٢"]
_REFS = ["E123", "A12", "", "E1/2", "sales, ops", "and", "и", " E1 ", "Ⅻ", "١٢", "E_1", "(E1)", "E1)"]
_PEOPLE_SEPS = ["; ", ";", "、", "；", ", ", "，", " / ", "+", "\n", "\r\n", " and ", " и ", " & ",
                " AND ", "; ; ", ";  ", " ;", "、 ", " 、", "；\t", "\u3000"]


@st.composite
def people_texts(draw):
    def person():
        words = draw(st.lists(st.one_of(st.sampled_from(_NAME_WORDS),
                                        st.text(alphabet="aиn d王-•(（)]\t", min_size=1, max_size=4)),
                              max_size=3))
        name = draw(st.sampled_from([" ", "  ", "\t", " and "])).join(words)
        if draw(st.booleans()):
            opening, closing = draw(st.sampled_from([("(", ")"), ("（", "）"), ("[", "]"), ("(", ""),
                                                     ("", ")"), ("((", "))")]))
            name += draw(st.sampled_from([" ", "", "  ", "\n"])) + opening + draw(
                st.sampled_from(_REFS)) + closing
        return draw(st.sampled_from(["", "- ", "• ", "* ", " ", "-"])) + name + draw(
            st.sampled_from(["", " ", " -", "\t"]))

    seps = draw(st.lists(st.sampled_from(_PEOPLE_SEPS), min_size=1, max_size=2))
    text = person()
    for _ in range(draw(st.integers(0, 3))):
        text += draw(st.sampled_from(seps)) + person()
    return text + draw(st.sampled_from(["", "; ", "、", " ", ";"]))


@settings(max_examples=max(EXAMPLES, 2000), deadline=None)
@given(text=people_texts())
def test_parse_people_reads_every_list_as_the_pattern_does(text):
    assert parse_people(text) == _people_by_pattern(text)


@pytest.mark.parametrize("text", [
    "Ivan Petrov (E123); Anna Li (E77)", "井上拓也 (E25247)、鈴木翔太 (E25248)", "徐伟 (E20317)；张伟 (E20318)",
    "Дмитрий Волков (E450); Артём Зайцев (E451)", "Ivan and (E1)", "Ivan and", "Ivan и Anna (E2)",
    "and Ivan; Anna", "Ivan; and Anna", "A、 B", "A ; B", "A (E1) ; B", "Anna Li  (E1)", "Anna Li (E1 )",
    "Anna Li (); Ivan", "(E1); Ivan", "Anna (E1)(E2)", "Anna; ; Ivan", "Anna;Ivan", "Anna; Ivan;",
    "Anna (E1)、Ivan; Oleg", "• Anna Li (E1); - Ivan", "Anna Ⅻ (E1)", "Anna (Ⅻ)", "Anna (E_1)",
])
def test_parse_people_plain_lists_read_as_the_pattern_does(text):
    assert parse_people(text) == _people_by_pattern(text)
