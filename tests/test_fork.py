"""The forked child of a big computation (tracker.fork): it ends with its parent."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="a child is forked on Linux only")

PARENT = """
import os, sys, time
from tracker.fork import Child

def work():
    open(sys.argv[1], "w").write(str(os.getpid()))
    time.sleep(60)   # a share of summaries, for a parent killed meanwhile
    yield [1]

child = Child(work)
time.sleep(60)
"""


def _running(pid: int) -> bool:
    """Alive and not a zombie (nobody may reap an orphan in a container)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


def test_a_child_ends_when_its_parent_is_killed(tmp_path):
    # A refresh killed (kill -9, its terminal closed) left its child at work for 20 s more.
    said = tmp_path / "child.pid"
    parent = subprocess.Popen([sys.executable, "-c", PARENT, str(said)])
    try:
        deadline = time.monotonic() + 30
        while not (said.exists() and said.read_text()) and time.monotonic() < deadline:
            time.sleep(0.05)
        child = int(said.read_text())
        assert _running(child)
        parent.send_signal(signal.SIGKILL)
        parent.wait(timeout=10)
        deadline = time.monotonic() + 5
        while _running(child) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not _running(child)
    finally:
        parent.kill()
        if said.exists() and said.read_text() and _running(int(said.read_text())):
            os.kill(int(said.read_text()), signal.SIGKILL)
