"""A workbook whose call-log sheet is damaged (its XML cut short, or its part missing):
`check` and `refresh` say so with what to do, refresh that it changed nothing."""
import zipfile

import pytest
from click.testing import CliRunner

from tracker.cli import main

SHEET = "xl/worksheets/sheet1.xml"


def _damaged(sample_log, path, how):
    with zipfile.ZipFile(sample_log) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    assert SHEET in parts
    if how == "cut":
        # Cut inside a two-byte character: the part is no longer UTF-8.
        text = parts[SHEET]
        at = next(i for i in range(len(text) // 2, len(text)) if text[i] >= 0xC0)
        parts[SHEET] = text[:at + 1]
    else:
        del parts[SHEET]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return path


@pytest.mark.parametrize("how, why", [("cut", "cannot decode"), ("missing", "its part is missing from the file")])
def test_a_damaged_sheet_is_said_with_what_to_do_and_nothing_changes(sample_log, tmp_path, how, why):
    path = _damaged(sample_log, tmp_path / "calls.xlsx", how)
    before = path.read_bytes()
    r = CliRunner().invoke(main, ["check", str(path)])
    assert r.exit_code == 2 and "Traceback" not in r.output
    said = r.stderr.strip()
    assert f"{path}: cannot read sheet " in said and "the workbook is damaged (" in said and why in said
    assert said.endswith("open it in Excel, which offers to repair it, or use a backup")
    r = CliRunner().invoke(main, ["refresh", str(path), "--as-of", "2026-11-23T09:00"])
    assert r.exit_code == 2 and r.stderr.strip().endswith("or use a backup; the workbook was not changed")
    assert path.read_bytes() == before and not (tmp_path / ".call-tracker-backups").exists()
