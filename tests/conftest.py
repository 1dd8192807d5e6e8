"""Fixtures shared by the end-to-end tests of the terminal and of the ribbon."""
from datetime import datetime
from pathlib import Path

import os

import pytest
from hypothesis import settings

from tracker.config import load_config
from tracker.sample import write_sample

# The property tests draw the same examples on every run, so that a run (CI's above all)
# passes or fails by the code alone; HYPOTHESIS_PROFILE=explore draws new ones each run,
# to look for what the fixed ones miss (a run of it found the bug of 8e41b5c).
settings.register_profile("repeatable", derandomize=True, database=None)
settings.register_profile("explore")
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))

# A Monday morning: the sample log is written around it, the commands judge from it.
DEMO_NOW = datetime(2026, 11, 23, 9, 0)


@pytest.fixture(scope="session", autouse=True)
def _cache_of_this_run(tmp_path_factory):
    """The caches (the parsed defaults, the summaries' memo) in a folder of this run,
    not in the user's: every refresh of the suite keeps its memo there."""
    folder = tmp_path_factory.mktemp("cache")
    patch = pytest.MonkeyPatch()
    patch.setenv("XDG_CACHE_HOME", str(folder))
    patch.setenv("LOCALAPPDATA", str(folder))
    yield folder
    patch.undo()


@pytest.fixture(scope="session", autouse=True)
def _temp_of_this_run(tmp_path_factory):
    """The temporary folder of this run, for this process and the commands it starts: the
    tests that provoke a crash leave its report (jobs.write_crash_report) there, not in
    the machine's /tmp, run after run."""
    import tempfile

    folder = tmp_path_factory.mktemp("temp")
    patch = pytest.MonkeyPatch()
    patch.setenv("TMPDIR", str(folder))
    patch.setattr(tempfile, "tempdir", str(folder))
    yield folder
    patch.undo()


@pytest.fixture
def no_user_config(tmp_path, monkeypatch):
    """A tracker.yaml in the developer's own config folder must not change the results:
    a test module asks for this with `pytestmark = pytest.mark.usefixtures(...)`."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "no-user-config"))
    monkeypatch.setenv("APPDATA", str(tmp_path / "no-user-config"))


@pytest.fixture(scope="session")
def sample_log(tmp_path_factory) -> Path:
    """The bundled sample log, written once; tests that write must copy it first."""
    path = tmp_path_factory.mktemp("sample") / "calls.xlsx"
    write_sample(path, load_config(), DEMO_NOW)
    return path
