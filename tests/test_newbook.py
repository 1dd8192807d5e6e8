"""`tracker init`'s workbook, written to disk and read back with openpyxl, calamine and LibreOffice."""
from __future__ import annotations

import csv
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
    from tracker.newbook import wrapped_lines

    assert wrapped_lines("short", 20) == 1
    assert wrapped_lines("a" * 38, 20) == 2
    assert wrapped_lines("面" * 19, 20) == 2      # 38 columns wide
    assert wrapped_lines("one\ntwo\n" + "x" * 40, 20) == 5


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_how_to_rows_are_tall_enough_for_their_text(tmp_path, config, lang):
    from tracker.newbook import wrapped_lines

    definition = load_definition()
    layout = book_layout(config, lang)
    ws = openpyxl.load_workbook(new_workbook(tmp_path / "log.xlsx", config, lang))[layout.howto_sheet]
    long_rows = [c.row for c in ws["A"] if c.value and wrapped_lines(c.value, definition.howto_width) > 1]
    assert long_rows
    for r in long_rows:
        lines = wrapped_lines(ws.cell(row=r, column=1).value, definition.howto_width)
        assert ws.row_dimensions[r].height == lines * definition.line_height
