"""The Stats sheet written by refresh: tables that match `tracker stats`, and native charts
that LibreOffice reads and draws."""
import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest
from conftest import DEMO_NOW

from tracker import jobs
from tracker.config import load_config
from tracker.stats import compute


@pytest.fixture
def refreshed(sample_log, tmp_path) -> Path:
    path = tmp_path / "calls.xlsx"
    path.write_bytes(sample_log.read_bytes())
    config = load_config()
    jobs.refresh(path, jobs.read(path, config), config, DEMO_NOW)
    return path


def test_stats_sheet_holds_the_same_numbers_as_the_stats_command(refreshed):
    config = load_config()
    log = jobs.read(refreshed, config)
    interviews = compute([log], config, by="week").tables(config, "en")[0]
    ws = openpyxl.load_workbook(refreshed)["Stats"]
    assert ws["A1"].value == interviews.title
    assert [c.value for c in ws[2]][: len(interviews.header)] == interviews.header
    for i, row in enumerate(interviews.rows, start=3):
        assert [c.value for c in ws[i]][: len(row)] == list(row)
    names = zipfile.ZipFile(refreshed).namelist()
    charts = [n for n in names if n.startswith("xl/charts/chart")]
    assert len(charts) == 2


def test_libreoffice_reads_and_draws_the_charts(refreshed, tmp_path):
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice (soffice) not installed")
    profile = f"-env:UserInstallation=file://{tmp_path / 'lo'}"
    out = tmp_path / "out"
    for fmt in ("xlsx", "pdf"):
        subprocess.run(["soffice", profile, "--headless", "--convert-to", fmt, "--outdir", str(out), str(refreshed)],
                       check=True, capture_output=True, timeout=240)
    # Saved again by LibreOffice: the charts survived its import, with their series.
    ws = openpyxl.load_workbook(out / "calls.xlsx")["Stats"]
    assert len(ws._charts) == 2
    assert all(chart.series for chart in ws._charts)
    assert (out / "calls.pdf").stat().st_size > 10_000
