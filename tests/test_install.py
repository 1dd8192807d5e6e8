"""The built wheel, installed into a fresh virtual environment outside the repository,
finds its templates, workbook definition and macros, and runs `tracker demo`."""
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(out), str(ROOT)],
                   check=True, capture_output=True, text=True)
    (found,) = out.glob("call_tracker-*.whl")
    return found


def test_wheel_carries_the_data_folders(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    for folder in ("templates", "workbook", "macros"):
        assert any(n.startswith(f"tracker/data/{folder}/") for n in names), folder
    assert any(n.startswith("tracker/data/templates/chase/") for n in names)
    assert any(n.endswith(".bas") for n in names)
    assert "tracker/defaults/general.yaml" in names


def test_fresh_venv_runs_the_demo_from_another_directory(wheel, tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    bindir = venv / ("Scripts" if os.name == "nt" else "bin")
    pip = subprocess.run([str(bindir / "python"), "-m", "pip", "install", "-q", str(wheel)],
                         capture_output=True, text=True)
    if pip.returncode != 0 and "No matching distribution" in pip.stderr:
        pytest.skip(f"the package index is not reachable to install dependencies: {pip.stderr[-300:]}")
    assert pip.returncode == 0, pip.stderr
    work = tmp_path / "elsewhere"
    work.mkdir()
    run = subprocess.run([str(bindir / "tracker"), "demo", "out", "--as-of", "2026-11-23T09:00"],
                         cwd=work, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr
    assert "Chase today" in run.stdout
    assert "Traceback" not in run.stderr
    book = work / "out" / "call-log-demo.xlsx"
    assert book.is_file()
    # The refreshed demo has our sheets.
    names = zipfile.ZipFile(book).read("xl/workbook.xml").decode()
    assert "Chase today" in names and "Reminders" in names and "Stats" in names
