"""The bundled sample log: written to disk, read back with calamine and the real reader."""
from __future__ import annotations

import functools
import re
import shutil
import subprocess
import uuid
from collections import defaultdict
from datetime import date, datetime, time, timedelta

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from python_calamine import CalamineWorkbook

from tracker.config import LANGUAGES, load_config, normalize_word
from tracker.errors import WorkbookError
from tracker.model import CALL_TYPES
from tracker.newbook import book_layout, new_workbook
from tracker.notes import parse_key_values
from tracker.sample import load_sample_data, sample_rows, write_sample

NOW = datetime(2026, 11, 18, 10, 30)   # a Wednesday
# Other moments the sample must still tell its whole story at: a Friday evening (tomorrow
# is a Saturday), a Sunday morning, a Monday just after midnight.
OTHER_NOWS = [datetime(2026, 11, 20, 18, 45), datetime(2027, 3, 7, 9, 0), datetime(2026, 12, 28, 0, 5)]


@pytest.fixture(scope="module")
def config():
    return load_config()


@pytest.fixture(scope="module")
def sample(tmp_path_factory, config):
    return write_sample(tmp_path_factory.mktemp("sample") / "sample.xlsx", config, NOW)


def read_rows(path, config, lang="en"):
    """The log's rows as {field: value}, through calamine as the reader sees them."""
    layout = book_layout(config, lang)
    grid = CalamineWorkbook.from_path(str(path)).get_sheet_by_name(layout.log_sheet).to_python()
    assert [str(h) for h in grid[0]] == layout.headers
    fields = [c.field for c in layout.columns]
    return [dict(zip(fields, row)) for row in grid[1:] if any(v != "" for v in row)]


@pytest.fixture(scope="module")
def rows(sample, config):
    return read_rows(sample, config)


def day_of(value):
    return value.date() if isinstance(value, datetime) else value


def ids(rows, config, field):
    """Canonical ids of a drop-down column, as the reader maps the labels."""
    if field == "call_type":
        return [config.match_call_type(r[field]) for r in rows]
    return [config.match_list(field, r[field]) for r in rows]


def test_same_workbook_as_init_plus_rows(tmp_path, sample, config, rows):
    empty = openpyxl.load_workbook(new_workbook(tmp_path / "init.xlsx", config, "en"))
    full = openpyxl.load_workbook(sample)
    assert full.sheetnames == empty.sheetnames
    ws, ws0 = full.worksheets[0], empty.worksheets[0]
    assert [c.value for c in ws[1]] == [c.value for c in ws0[1]]
    assert ws.freeze_panes == ws0.freeze_panes == "A2"

    def validations(sheet):
        return sorted((str(dv.sqref), dv.formula1) for dv in sheet.data_validations.dataValidation)

    assert validations(ws) == validations(ws0)
    assert {n: list(full.defined_names[n].destinations) for n in full.defined_names} == \
           {n: list(empty.defined_names[n].destinations) for n in empty.defined_names}
    for letter, dim in ws0.column_dimensions.items():
        assert ws.column_dimensions[letter].width == dim.width
        assert ws.column_dimensions[letter].number_format == dim.number_format
    # The table grew over every row of the sample.
    assert list(ws.tables) == list(ws0.tables)
    table = ws.tables[list(ws.tables)[0]]
    assert table.ref == f"A1:{ws0.tables[list(ws0.tables)[0]].ref.split(':')[1].rstrip('0123456789')}{len(rows) + 1}"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_file_properties_name_call_tracker_and_the_log(tmp_path, config, lang):
    from tracker.newbook import load_definition

    props = openpyxl.load_workbook(write_sample(tmp_path / "demo.xlsx", config, NOW, lang=lang)).properties
    assert props.creator == "Call Tracker"
    assert props.title == load_definition().sheet_name("log", lang)


def test_about_two_hundred_calls_by_two_or_three_managers(rows):
    assert 170 <= len(rows) <= 240
    assert 2 <= len({r["manager"] for r in rows}) <= 3
    assert [r["id"] for r in rows] == list(range(1, len(rows) + 1))


def test_deterministic_for_seed_and_now(tmp_path, config, rows):
    again = write_sample(tmp_path / "again.xlsx", config, NOW)
    assert read_rows(again, config) == rows
    other = write_sample(tmp_path / "other.xlsx", config, NOW, seed=8)
    assert read_rows(other, config) != rows


def test_every_drop_down_cell_maps_back(config, rows):
    call_types = ids(rows, config, "call_type")
    assert None not in call_types
    assert set(call_types) == set(CALL_TYPES)
    for field in ("outcome", "channel", "source", "stage", "language"):
        values = ids(rows, config, field)
        assert None not in values, field
    assert set(ids(rows, config, "language")) == set(LANGUAGES)


def test_rows_are_written_in_their_own_language(config, rows):
    by_lang = defaultdict(list)
    for r, lang in zip(rows, ids(rows, config, "language")):
        by_lang[lang].append(r["notes"] + r["position"])
    scripts = {"ru": r"[А-Яа-я]", "zh": r"[\u4e00-\u9fff]", "ja": r"[\u3040-\u30ff]", "en": r"^[\x00-\u024f–—«»“”’\s]*$"}
    for lang, texts in by_lang.items():
        share = sum(bool(re.search(scripts[lang], t)) for t in texts) / len(texts)
        assert share > 0.9, (lang, share)


def test_dates_spread_over_two_months_and_two_weeks(rows):
    days = [r["date"] for r in rows]
    assert all(isinstance(d, date) for d in days)
    today = NOW.date()
    assert today - timedelta(days=60) <= min(days) <= today - timedelta(days=50)
    assert today + timedelta(days=10) <= max(days) <= today + timedelta(days=14)
    assert days == sorted(days)


@pytest.mark.parametrize("now", [NOW, *OTHER_NOWS], ids=lambda n: n.strftime("%a-%H%M"))
def test_planned_calls_have_times_and_some_are_tomorrow(tmp_path, config, now):
    rows = read_rows(write_sample(tmp_path / "s.xlsx", config, now), config)
    outcome = ids(rows, config, "outcome")
    today = now.date()
    assert today - timedelta(days=60) <= min(r["date"] for r in rows)
    assert max(r["date"] for r in rows) <= today + timedelta(days=14)
    planned = [r for r, o in zip(rows, outcome) if o == "planned"]
    assert len(planned) >= 8
    for r in planned:
        assert isinstance(r["time"], time)
        assert datetime.combine(r["date"], r["time"]) > now
    assert any(r["date"] == today + timedelta(days=1) for r in planned)
    # Nothing before now is left as planned, nothing after now has a result yet.
    for r, o in zip(rows, outcome):
        at = datetime.combine(r["date"], r["time"] or time(0, 0))
        assert (o == "planned") == (at > now), r


def test_outcomes_of_a_real_log(config, rows):
    outcome = ids(rows, config, "outcome")
    call_type = ids(rows, config, "call_type")
    for needed in ("no_show", "no_answer", "ghosted", "hired", "rejected", "confirmed", "cancelled"):
        assert needed in outcome, needed
    assert outcome.count("no_answer") >= 5
    # The cancelled second round has no new date.
    cancelled = [r for r, o, t in zip(rows, outcome, call_type) if o == "cancelled" and t == "repeat_call"]
    assert cancelled and all(r["next_contact"] == "" for r in cancelled)
    assert all("no new date" in r["notes"] or "новой даты нет" in r["notes"] or "没有新" in r["notes"]
               or "未定" in r["notes"] for r in cancelled)


def test_next_contacts_overdue_due_today_and_none(rows):
    today = NOW.date()
    last_row_of = {}
    for i, r in enumerate(rows):
        last_row_of[r["contact"]] = i
    dated = [(i, r) for i, r in enumerate(rows) if isinstance(r["next_contact"], (date, datetime))]
    overdue = [r for i, r in dated if day_of(r["next_contact"]) < today and last_row_of[r["contact"]] == i]
    assert len(overdue) >= 2
    assert any(day_of(r["next_contact"]) == today for _, r in dated)
    assert any(r["next_contact"] == "keep in touch by email" for r in rows)
    assert sum(r["next_contact"] == "" for r in rows) > len(rows) / 2


def test_a_chase_in_progress_and_ghosted_threads(config, rows):
    today = NOW.date()
    outcome = ids(rows, config, "outcome")
    call_type = ids(rows, config, "call_type")
    by_contact = defaultdict(list)
    for r, o, t in zip(rows, outcome, call_type):
        by_contact[r["contact"]].append((r["date"], t, o))
    running = [
        who for who, calls in by_contact.items()
        if calls[-1][1:] == ("follow_up", "no_answer") and today - calls[-1][0] <= timedelta(days=4)
        and sum(o == "no_answer" for _, _, o in calls) >= 3
    ]
    assert running, "no chase in progress"
    ghosted = [who for who, calls in by_contact.items() if calls[-1][2] == "ghosted"]
    assert len(ghosted) >= 2
    # Each ghosted thread went through the cadence: silent rows on at least three days.
    for who in ghosted:
        silent_days = {d for d, t, o in by_contact[who] if o in ("no_answer", "ghosted")}
        assert len(silent_days) >= 3, who


def test_candidates_are_named_with_ids(rows):
    person = re.compile(r"^[^,()]+ \(E\d{3}\)$")
    named = [r["candidates"] for r in rows if r["candidates"]]
    assert len(named) > 50
    for cell in named:
        assert all(person.match(p.strip()) for p in cell.split(",")), cell


def test_first_call_notes_in_the_agency_format(config, rows):
    first = [r for r, t, o in zip(rows, ids(rows, config, "call_type"), ids(rows, config, "outcome"))
             if t == "first_call" and o != "planned"]
    assert len(first) >= 8
    for r in first:
        kv = parse_key_values(r["notes"])
        for key in ("Company Name", "Company Website", "Contact Person", "Product", "Specialties",
                    "Country-Location", "Target Audience", "Immediate Requirement", "Future needs",
                    "Next Step", "Next Contact Date", "SM"):
            assert kv.get(normalize_word(key)), (key, r["notes"])
        assert kv[normalize_word("SM")] == r["manager"]
        assert kv[normalize_word("Company Name")] == r["client"]
        assert "." in kv[normalize_word("Company Website")]


def test_interview_notes_list_each_candidate(config, rows):
    interviews = [r for r, t, o in zip(rows, ids(rows, config, "call_type"), ids(rows, config, "outcome"))
                  if t == "interview" and o == "done"]
    assert len(interviews) >= 8
    for r in interviews:
        lines = r["notes"].splitlines()
        assert lines[0] == "Today we interviewed:"
        listed = [line for line in lines if re.match(r"^.+ \(E\d{3}\) – .+", line)]
        assert len(listed) == len(r["candidates"].split(","))
        assert any(line.startswith("Interview results:") for line in lines)
        assert lines[-1] == f"SM: {r['manager']}"


def test_interview_notices_carry_the_ten_items_mostly(config, rows):
    words = {}
    for item, spec in config.section("notice_keys").items():
        for w in [item, *(v for k, v in spec.items() if k in LANGUAGES), *spec.get("also", [])]:
            words.setdefault(normalize_word(w), item)
    required = set(config.section("reminders")["notice_required"])
    notices = [r for r, t, o in zip(rows, ids(rows, config, "call_type"), ids(rows, config, "outcome"))
               if t == "interview_notice" and o == "confirmed"]
    assert len(notices) >= 15
    complete = 0
    for r in notices:
        found = {words[k] for k in parse_key_values(r["notes"]) if k in words}
        complete += required <= found
        # The interview's date: the follow-up engine reads it from the next contact.
        assert isinstance(r["next_contact"], datetime) and r["next_contact"].date() > r["date"]
    assert len(notices) * 0.6 <= complete < len(notices)


def test_reminders_in_words_are_understood(config, rows):
    from tracker.phrases import read_phrase

    phrases = [r["remind"] for r in rows if r["remind"]]
    assert len(phrases) >= 20
    assert "за 15 мин до звонка отправить клиенту письмо-напоминание" in phrases
    assert "remind candidates 1 day before and 20 min before" in phrases
    for text in set(phrases):
        assert read_phrase(text, config).ok, text


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_reader_reads_it_cleanly_in_each_language(tmp_path, config, lang):
    from tracker.log import read_log

    path = write_sample(tmp_path / f"sample-{lang}.xlsx", config, NOW, lang=lang)
    log = read_log(str(path), config)
    assert log.sheet == book_layout(config, lang).log_sheet
    assert log.language == lang
    assert log.problems == []
    assert 170 <= len(log.records) <= 240
    assert {r.call_type for r in log.records} == set(CALL_TYPES)
    assert {r.language for r in log.records} == set(LANGUAGES)
    assert all(r.outcome for r in log.records)
    labels = {config.call_type_label(c, lang) for c in CALL_TYPES}
    assert {r.call_type_raw for r in log.records} == labels


def test_refuses_to_overwrite(tmp_path, config):
    path = tmp_path / "demo.xlsx"
    path.write_bytes(b"keep me")
    with pytest.raises(WorkbookError, match="demo.xlsx"):
        write_sample(path, config, NOW)
    assert path.read_bytes() == b"keep me"


def test_libreoffice_opens_the_sample(tmp_path, sample):
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice (soffice) not installed")
    profile = f"/tmp/lo-sample-{uuid.uuid4().hex}"
    try:
        done = subprocess.run(
            ["soffice", f"-env:UserInstallation=file://{profile}", "--headless",
             "--convert-to", "pdf", "--outdir", str(tmp_path), str(sample)],
            capture_output=True, text=True, timeout=180,
        )
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    pdf = tmp_path / "sample.pdf"
    assert pdf.is_file(), done.stderr
    assert pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 10_000


@functools.lru_cache(maxsize=1)
def _data():
    return load_sample_data()


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(min_value=0, max_value=10_000),
    now=st.datetimes(min_value=datetime(2024, 1, 1), max_value=datetime(2030, 12, 31)),
)
def test_any_seed_and_moment_tells_the_whole_story(seed, now):
    rows = sample_rows(now, seed=seed, data=_data())
    today = now.date()
    assert 170 <= len(rows) <= 240
    assert today - timedelta(days=60) <= rows[0].date and rows[-1].date <= today + timedelta(days=14)
    assert {r.call_type for r in rows} == set(CALL_TYPES)
    assert {r.language for r in rows} == set(LANGUAGES)
    for r in rows:
        assert (r.outcome == "planned") == (r.at > now)
        assert r.outcome != "planned" or r.time is not None
    assert any(r.outcome == "planned" and r.date == today + timedelta(days=1) for r in rows)
    dated = [r.next_contact for r in rows if isinstance(r.next_contact, (date, datetime))]
    assert any(day_of(d) == today for d in dated)
    assert any(day_of(d) < today for d in dated)
    assert {"no_show", "no_answer", "ghosted", "cancelled"} <= {r.outcome for r in rows}


def test_rows_are_as_tall_as_their_comments_up_to_a_cap(sample, config, rows):
    from tracker.newbook import load_definition, wrapped_lines

    definition = load_definition()
    ws = openpyxl.load_workbook(sample).worksheets[0]
    first_calls = [i for i, t in enumerate(ids(rows, config, "call_type"), start=2)
                   if t == "first_call" and rows[i - 2]["notes"].count("\n") >= 11]
    assert first_calls
    for r in first_calls:
        assert ws.row_dimensions[r].height == definition.max_row_lines * definition.line_height
    short = [i for i, row in enumerate(rows, start=2)
             if all(wrapped_lines(str(row[f]), definition.width(f)) == 1 for f in definition.wrap if row.get(f))]
    assert short
    assert all(ws.row_dimensions[r].height is None for r in short)
