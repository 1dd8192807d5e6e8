"""`tracker init`'s workbook, written to disk and read back with openpyxl, calamine and LibreOffice."""
from __future__ import annotations

import csv
import re
import shutil
import subprocess
import uuid

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from tracker.config import LANGUAGES, load_config
from tracker.errors import WorkbookError
from tracker.newbook import book_layout, dropdown_values, load_definition, new_workbook


@pytest.fixture(scope="module")
def config():
    return load_config(overrides=None)


def expected_headers(config, lang):
    fields = list(dict.fromkeys([*config.data["layout"], *config.data["written"]]))
    return [config.header(f, lang) for f in fields]


def defined_range(wb, name):
    """'Lists'!$B$2:$B$14 -> ("Lists", "$B$2:$B$14")."""
    dest = list(wb.defined_names[name].destinations)
    assert len(dest) == 1
    return dest[0]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_new_workbook_in_each_language(tmp_path, config, lang):
    path = new_workbook(tmp_path / f"log-{lang}.xlsx", config, lang)
    assert path.is_file()
    definition = load_definition()
    layout = book_layout(config, lang)
    headers = expected_headers(config, lang)

    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == [layout.log_sheet, layout.howto_sheet, layout.lists_sheet]
    assert layout.log_sheet == definition.sheet_name("log", lang)
    ws = wb[layout.log_sheet]
    assert [c.value for c in ws[1]] == headers
    assert ws.freeze_panes == "A2"

    # The table covers every header and at least one row to type in.
    table = ws.tables[layout.table_name]
    last = layout.columns[-1].letter
    assert table.ref.startswith("A1:" + last)
    assert [c.name for c in table.tableColumns] == headers

    # Each drop-down column validates against a named range on the Lists sheet, holding
    # the labels in the workbook's language.
    validations = {str(dv.sqref).split(":")[0].rstrip("0123456789"): dv for dv in ws.data_validations.dataValidation}
    for field, list_name in definition.dropdowns.items():
        letter = layout.letter(field)
        dv = validations[letter]
        assert dv.type == "list"
        sheet, ref = defined_range(wb, dv.formula1)
        assert sheet == layout.lists_sheet
        values = [row[0].value for row in wb[sheet][ref.replace("$", "")]]
        assert values == dropdown_values(config, list_name, lang)
    listed = {c.value for col in wb[layout.lists_sheet].iter_cols() for c in col}
    assert {config.list_label("outcome", v, lang) for v in config.list_ids("outcome")} <= listed
    call_type_labels = [ct.label(lang) for ct in config.call_types.values()]
    assert call_type_labels == dropdown_values(config, "call_types", lang)

    # Date and time formats on their columns, wrapping on the notes.
    fmt = ws.column_dimensions[layout.letter("date")].number_format
    assert fmt == definition.number_format("date", lang)
    assert ws.column_dimensions[layout.letter("time")].number_format == "hh:mm"
    assert ws.column_dimensions[layout.letter("next_contact")].number_format == fmt
    assert ws.column_dimensions[layout.letter("due")].number_format == fmt
    assert ws.column_dimensions[layout.letter("notes")].alignment.wrap_text
    assert ws.column_dimensions[layout.letter("notes")].width == definition.width("notes")

    # The How to use sheet names the written columns and every call type, in the language.
    howto = "\n".join(str(c.value) for c in wb[layout.howto_sheet]["A"] if c.value)
    for field in config.data["written"]:
        assert config.header(field, lang) in howto
    for ct in config.call_types.values():
        assert ct.label(lang) in howto
    assert "tracker refresh" in howto

    # calamine (what the reader uses) finds the same header row.
    book = CalamineWorkbook.from_path(str(path))
    assert book.sheet_names[0] == layout.log_sheet
    rows = book.get_sheet_by_name(layout.log_sheet).to_python()
    assert [str(v) for v in rows[0]] == headers


def test_refuses_to_overwrite(tmp_path, config):
    path = tmp_path / "log.xlsx"
    path.write_bytes(b"my own workbook")
    with pytest.raises(WorkbookError, match="log.xlsx"):
        new_workbook(path, config, "en")
    assert path.read_bytes() == b"my own workbook"
    assert [p.name for p in tmp_path.iterdir()] == ["log.xlsx"]  # no temp file left behind


def test_refuses_overwrite_of_a_real_workbook_byte_identical(tmp_path, config):
    path = new_workbook(tmp_path / "log.xlsx", config, "ru")
    before = path.read_bytes()
    with pytest.raises(WorkbookError, match="already exists"):
        new_workbook(path, config, "en")
    assert path.read_bytes() == before


def test_refuses_other_formats_and_missing_folders(tmp_path, config):
    with pytest.raises(WorkbookError, match=r"\.xlsx"):
        new_workbook(tmp_path / "log.xls", config)
    with pytest.raises(WorkbookError, match="does not exist"):
        new_workbook(tmp_path / "nowhere" / "log.xlsx", config)
    assert list(tmp_path.iterdir()) == []


def test_user_headers_from_config_are_the_workbook_headers(tmp_path):
    config = load_config(overrides={"headers": {"notes": {"en": "Comment"}}})
    path = new_workbook(tmp_path / "log.xlsx", config, "en")
    ws = openpyxl.load_workbook(path).active
    assert "Comment" in [c.value for c in ws[1]]
    assert "Comment on the call" not in [c.value for c in ws[1]]


def _soffice(tmp_path, target, path, outdir):
    profile = f"file:///tmp/lo-newbook-{uuid.uuid4().hex}"
    try:
        done = subprocess.run(
            ["soffice", f"-env:UserInstallation={profile}", "--headless",
             "--convert-to", target, "--outdir", str(outdir), str(path)],
            capture_output=True, text=True, timeout=180,
        )
    finally:
        shutil.rmtree(profile.removeprefix("file://"), ignore_errors=True)
    return done


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_libreoffice_opens_it(tmp_path, config, lang):
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice (soffice) not installed")
    path = new_workbook(tmp_path / f"log-{lang}.xlsx", config, lang)

    pdf_dir = tmp_path / "pdf"
    done = _soffice(tmp_path, "pdf", path, pdf_dir)
    pdf = pdf_dir / f"log-{lang}.pdf"
    assert pdf.is_file(), done.stderr
    assert pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 1000

    # The first sheet as UTF-8 CSV: the headers survive LibreOffice's import.
    csv_dir = tmp_path / "csv"
    _soffice(tmp_path, "csv:Text - txt - csv (StarCalc):44,34,76", path, csv_dir)
    with open(csv_dir / f"log-{lang}.csv", encoding="utf-8", newline="") as fh:
        first = next(csv.reader(fh))
    assert first == expected_headers(config, lang)

    # Saved again by LibreOffice as xlsx: the table and the drop-downs are still there.
    xlsx_dir = tmp_path / "xlsx"
    _soffice(tmp_path, "xlsx", path, xlsx_dir)
    wb = openpyxl.load_workbook(xlsx_dir / f"log-{lang}.xlsx")
    ws = wb.worksheets[0]
    assert [c.value for c in ws[1]][: len(first)] == first
    assert len(ws.data_validations.dataValidation) == len(load_definition().dropdowns)


def test_due_dates_paint_the_row_with_the_rules_refresh_owns(tmp_path, config):
    from datetime import datetime

    from tracker import jobs
    from tracker.writeback import MARKER, apply, highlight_formula

    path = new_workbook(tmp_path / "log.xlsx", config, "en")
    ws = openpyxl.load_workbook(path).active
    layout = book_layout(config, "en")
    letters = {f: layout.letter(f) for f in ("due", "status")}
    formulas = [rule.formula[0] for cf in ws.conditional_formatting for rule in cf.rules]
    expected = [highlight_formula(h, letters, 2) for h in jobs.highlights(config, "en")]
    assert formulas == expected
    assert any("TODAY()" in f for f in formulas) and all(MARKER in f for f in formulas)
    # A refresh replaces these rules rather than stacking a second set.
    now = datetime(2026, 11, 23, 9, 0)
    log = jobs.read(path, config)
    apply(path, jobs.refresh_plan(log, config, now), now=now)
    after = [rule.formula[0] for cf in openpyxl.load_workbook(path).active.conditional_formatting for rule in cf.rules]
    assert len(after) == len(expected) and all(MARKER in f for f in after)


def test_unknown_language_is_refused(tmp_path, config):
    from tracker.errors import TrackerError

    with pytest.raises(TrackerError, match="fr"):
        new_workbook(tmp_path / "log.xlsx", config, "fr")
    assert list(tmp_path.iterdir()) == []


def test_wrapped_lines_count_wide_characters_twice():
    from tracker.output import wrapped_lines

    assert wrapped_lines("short", 20) == 1
    assert wrapped_lines("a" * 38, 20) == 2
    assert wrapped_lines("面" * 19, 20) == 2      # 38 columns wide
    assert wrapped_lines("one\ntwo\n" + "x" * 40, 20) == 5


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_how_to_rows_are_tall_enough_for_their_text(tmp_path, config, lang):
    from tracker.output import wrapped_lines

    definition = load_definition()
    layout = book_layout(config, lang)
    ws = openpyxl.load_workbook(new_workbook(tmp_path / "log.xlsx", config, lang))[layout.howto_sheet]
    long_rows = [c.row for c in ws["A"] if c.value and wrapped_lines(c.value, definition.howto_width) > 1]
    assert long_rows
    for r in long_rows:
        lines = wrapped_lines(ws.cell(row=r, column=1).value, definition.howto_width)
        assert ws.row_dimensions[r].height == lines * definition.line_height


def _run(*args):
    from click.testing import CliRunner

    from tracker.cli import main

    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def test_init_names_the_log_sheet_as_the_configuration_says_and_the_log_reads(tmp_path):
    (tmp_path / "tracker.yaml").write_text("sheet: Calls\n", encoding="utf-8")
    path = tmp_path / "calls.xlsx"
    assert _run("init", path).exit_code == 0
    assert openpyxl.load_workbook(path).sheetnames[0] == "Calls"
    r = _run("check", path)
    assert r.exit_code == 0 and "sheet 'Calls', 0 calls, 0 problems" in r.stderr, r.output


@pytest.mark.parametrize("name", ["My calls", "x" * 31])
def test_init_names_the_log_sheet_as_sheet_says_and_the_log_reads(tmp_path, name):
    path = tmp_path / "opt.xlsx"
    assert _run("init", path, "--sheet", name, "--lang", "ja").exit_code == 0
    assert openpyxl.load_workbook(path).sheetnames[0] == name
    r = _run("check", path, "--sheet", name)
    assert r.exit_code == 0 and f"シート「{name}」、通話 0 件、問題 0 件" in r.stderr, r.output


@pytest.mark.parametrize("name, says", [
    ("x" * 32, "at most 31 characters"),
    ("Q1/Q2", "does not allow /"),
    ("calls [2026]", "does not allow [ ]"),
    ("a:b*c?", "does not allow * : ?"),
    ("back\\slash", "does not allow \\"),
    ("'quoted'", "apostrophe"),
    ("Lists", "a sheet Call Tracker writes"),
    ("使い方", "a sheet Call Tracker writes"),
])
def test_init_refuses_a_sheet_name_excel_or_call_tracker_cannot_take(tmp_path, name, says):
    r = _run("init", tmp_path / "calls.xlsx", "--sheet", name)
    assert r.exit_code == 2, r.output
    assert f'cannot name the log sheet "{name}"' in r.stderr and says in r.stderr
    assert list(tmp_path.iterdir()) == []


def _howto_rows(wb, layout):
    return [c for c in wb[layout.howto_sheet]["A"] if c.value]


def _summary_labels(config, lang, call_type, tmp_path):
    """The labels (with their colon) a summary of a `call_type` row in a `lang` log starts
    its lines with, as `tracker summary` writes them."""
    import re
    from datetime import date

    from tracker import jobs
    from tracker.newbook import build_workbook, save_new
    from tracker.summaries import summarize

    row = {"date": date(2026, 11, 2), "call_type": config.call_type_label(call_type, lang),
           "client": "Acme", "language": config.list_label("language", lang, lang)}
    path = save_new(build_workbook(config, lang, [row]), tmp_path / f"{call_type}-{lang}.xlsx")
    text = summarize(jobs.read(path, config).records[0], config).text
    items = text.split("\n\n")[0].splitlines()   # the format's items, before the checklist
    return [m.group(1) for line in items if (m := re.match(r"^(.+?[:：])", line))]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_how_to_says_what_the_workbook_does(tmp_path, config, lang):
    from tracker.followups import status_label
    from tracker.jobs import highlights

    layout = book_layout(config, lang)
    wb = openpyxl.load_workbook(new_workbook(tmp_path / "log.xlsx", config, lang))
    rows = _howto_rows(wb, layout)

    # The Status column's line names each status as refresh writes it.
    status_row = next(c.value for c in rows if c.value.startswith(config.header("status", lang) + " — "))
    for status in config.section("followups")["status_labels"]:
        assert status_label(config, status, lang) in status_row

    # The colour legend: one line per colour rule, painted with that rule's fill and
    # naming the status it paints; nothing else is painted.
    painted = [(c.value, c.fill.fgColor.rgb[-6:]) for c in rows if c.fill.fill_type == "solid"]
    rules = highlights(config, lang)
    assert len(painted) == len(rules)
    for (text, fill), h in zip(painted, rules):
        assert fill == h.fill and text.startswith(status_label(config, h.name, lang) + " — ")

    # The comment labels are the ones the summaries write, in their order.
    text = "\n".join(c.value for c in rows)
    first_call = _summary_labels(config, lang, "first_call", tmp_path)
    assert len(first_call) == 12
    line = next(c.value for c in rows if all(label in c.value for label in first_call))
    assert [line.index(label) for label in first_call] == sorted(line.index(label) for label in first_call)
    for label in _summary_labels(config, lang, "interview", tmp_path):
        assert label in text


def test_how_to_follows_a_changed_configuration(tmp_path):
    from tracker.notice import item_label

    config = load_config(overrides={
        "followups": {"status_labels": {"overdue": {"ja": "遅れ"}}, "highlight": {"overdue": "123456"}},
        "summaries": {"items": {"company_name": {"labels": {"ja": "取引先"}}}},
        "reminders": {"notice_required": ["interview_time", "meeting_link"]},
    })
    layout = book_layout(config, "ja")
    rows = _howto_rows(openpyxl.load_workbook(new_workbook(tmp_path / "log.xlsx", config, "ja")), layout)
    text = "\n".join(c.value for c in rows)
    assert "遅れ — " in text and "期限超過" not in text
    assert [c.fill.fgColor.rgb[-6:] for c in rows if c.value.startswith("遅れ — ")] == ["123456"]
    assert "取引先：" in text and "会社名：" not in text
    assert item_label(config, "meeting_link", "ja") in text and item_label(config, "salary", "ja") not in text


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_how_to_prints_one_page_wide_with_nothing_cut(tmp_path, config, lang):
    import html
    import re

    path = new_workbook(tmp_path / f"log-{lang}.xlsx", config, lang)
    ws = openpyxl.load_workbook(path)[book_layout(config, lang).howto_sheet]
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0)
    cells = [c for c in ws["A"] if c.value]
    assert all(c.alignment.wrap_text for c in cells)

    if shutil.which("soffice") is None or shutil.which("pdftotext") is None:
        pytest.skip("LibreOffice (soffice) or poppler-utils (pdftotext) not installed")
    done = _soffice(tmp_path, "pdf", path, tmp_path / "pdf")
    pdf = tmp_path / "pdf" / f"log-{lang}.pdf"
    assert pdf.is_file(), done.stderr
    boxes = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    width = float(re.search(r'<page width="([\d.]+)"', boxes).group(1))
    words = re.findall(r'<word xMin="[\d.]+" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">(.*?)</word>', boxes)
    beyond = [w for x, w in words if float(x) > width]
    assert beyond == []
    # Every paragraph is printed whole (a cut one loses the words past the page's edge).
    printed = "".join(html.unescape(w) for _, w in words)
    cut = [c.value for c in cells if re.sub(r"\s", "", c.value) not in printed]
    assert cut == []


@pytest.mark.parametrize("lang", LANGUAGES)
def test_file_properties_name_call_tracker_and_the_log(tmp_path, config, lang):
    props = openpyxl.load_workbook(new_workbook(tmp_path / "log.xlsx", config, lang)).properties
    assert props.creator == "Call Tracker"
    assert props.title == load_definition().sheet_name("log", lang)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_how_to_states_the_chase_cadence_the_configuration_sets(tmp_path, lang):
    """DOMAIN: T+1/T+3/T+5 are defaults a team changes; the sheet said the shipped ones."""
    from tracker.followups import cadence_steps

    steps = {"t1": {"day": 2}, "t3": {"day": 4}, "last": {"day": 6, "until": 8}}
    config = load_config(overrides={"followups": {"steps": steps}})
    layout = book_layout(config, lang)
    ws = openpyxl.load_workbook(new_workbook(tmp_path / "log.xlsx", config, lang))[layout.howto_sheet]
    [line] = [str(c.value) for c in ws["A"] if c.value and "T+" in str(c.value)]
    found = re.findall(r"T\+(\d+)", line)
    assert found == ["2", "4", "6", "8"], line
    assert all(s["action"] in line for s in cadence_steps(config, lang))
    # Where T is, as the engine counts it (the first silent row): a consultant who took
    # the last answered call for T logged the T+1 message, and was asked for it again.
    day_t = {"en": "The first attempt nobody answers is day T", "ru": "Первая попытка без ответа — день T",
             "zh": "第一次无人回应的尝试为第 T 天", "ja": "最初に返信のなかった試みの日が T 日目"}[lang]
    assert day_t in line, line
