"""A pipe named like a workbook in a team's folder (or a device) is refused at once: reading
it would wait for ever, and the other workbooks with it."""
import os
import subprocess
import sys

import pytest


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes on this system (Windows)")
def test_a_pipe_named_xlsx_is_refused_and_the_others_are_checked(sample_log, tmp_path):
    team = tmp_path / "team"
    team.mkdir()
    (team / "anna.xlsx").write_bytes(sample_log.read_bytes())
    os.mkfifo(team / "pipe.xlsx")
    r = subprocess.run([sys.executable, "-m", "tracker.cli", "check", str(team)], capture_output=True, text=True,
                       timeout=120, cwd=tmp_path, env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})
    assert r.returncode == 2, r.stderr
    assert f"{team / 'pipe.xlsx'}: not a workbook file (a pipe or a device)" in r.stderr
    assert f"{team / 'anna.xlsx'}: sheet " in r.stderr   # checked all the same
