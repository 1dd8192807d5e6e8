"""The built wheel, installed into a fresh virtual environment outside the repository,
finds its templates, workbook definition and macros, and runs `tracker demo`; and
`tracker addin install` puts only our add-in where Excel opens it, over nothing of the user's."""
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from tracker.addin.build import build_addin
from tracker.addin.commands import addin as addin_cli
from tracker.addin.install import NotInstalled, install_addin
from tracker.errors import TrackerError

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


# --- tracker addin install: what it puts in Excel's start-up folder -------------------

def _xlstart(home: Path) -> Path:
    return home / "AppData" / "Roaming" / "Microsoft" / "Excel" / "XLSTART"


def _other_addin(path: Path) -> Path:
    """An add-in of the user's own: a package whose core properties name another creator."""
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("docProps/core.xml", "<cp:coreProperties><dc:creator>Our IT</dc:creator></cp:coreProperties>")
    return path


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    return build_addin(tmp_path_factory.mktemp("built") / "tracker.xlam")


def test_install_keeps_the_users_own_tracker_xlam_and_replaces_ours(built, tmp_path):
    home = tmp_path / "home"
    _xlstart(home).mkdir(parents=True)
    theirs = _other_addin(_xlstart(home) / "tracker.xlam")
    before = theirs.read_bytes()
    for xlam in (built, None):   # the add-in given, and a fresh build
        with pytest.raises(TrackerError, match=f"{re.escape(str(theirs))}: .*not replacing it") as info:
            install_addin(xlam, platform="win32", home=home, executable="py.exe")
        assert "\n" not in str(info.value)
        assert theirs.read_bytes() == before
    assert sorted(p.name for p in home.rglob("*")) == ["AppData", "Excel", "Microsoft", "Roaming", "XLSTART",
                                                       "tracker.xlam"]   # no interpreter setting either
    shutil.copyfile(built, theirs)
    with zipfile.ZipFile(theirs, "a") as z:   # an earlier build of ours, not the same bytes
        z.writestr("older.txt", "from a previous version")
    install_addin(None, platform="win32", home=home, executable="py.exe")
    assert theirs.read_bytes() == built.read_bytes()


def test_install_refuses_what_is_not_an_addin_we_built(sample_log, tmp_path):
    home = tmp_path / "home"
    for given in (sample_log, _other_addin(tmp_path / "TeamTools.xlam")):
        with pytest.raises(TrackerError, match=f"{re.escape(str(given))}: not an add-in") as info:
            install_addin(given, platform="win32", home=home, executable="py.exe")
        assert "\n" not in str(info.value)
    assert not home.exists()
    result = CliRunner().invoke(addin_cli, ["install", "--xlam", str(sample_log)])
    assert result.exit_code == 2
    assert result.output.startswith("tracker: ") and result.output.strip().count("\n") == 0


def _told_to_copy_a_file_that_stays(message: str) -> bool:
    named = re.search(r"copy (\S+\.xlam)", message)
    return Path(named.group(1)).is_file() if named else "tracker addin build" in message


@pytest.mark.skipif(sys.platform.startswith("win") or sys.platform == "darwin",
                    reason="there it installs into this user's Excel")
def test_install_where_nothing_is_installed_points_at_a_file_that_stays(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    result = CliRunner().invoke(addin_cli, ["install"])
    assert result.exit_code == 1, result.output   # a script must not go on as if it were installed
    assert "nothing was installed" in result.output
    assert _told_to_copy_a_file_that_stays(result.output), result.output
    assert list(tmp_path.iterdir()) == []


def test_install_on_a_mac_without_office_points_at_a_file_that_stays(tmp_path):
    with pytest.raises(NotInstalled) as info:
        install_addin(None, platform="darwin", home=tmp_path, executable="python")
    message = str(info.value)
    assert info.value.exit_code == 1
    assert "Start Excel once" in message
    assert _told_to_copy_a_file_that_stays(message), message
    assert list(tmp_path.iterdir()) == []
