"""Files written besides workbooks: whole or not at all, and never someone else's replaced."""
import os

import pytest

from tracker import outfiles
from tracker.errors import TrackerError


@pytest.mark.parametrize("failure", [OSError(28, "No space left on device"), KeyboardInterrupt()])
def test_a_write_that_fails_leaves_the_old_file_and_no_partial_one(tmp_path, monkeypatch, failure):
    target = tmp_path / "calls.ics"
    target.write_bytes(b"the calendar of yesterday")

    def fail(src, dst):
        assert os.path.exists(src)   # the new file was written whole before the rename
        raise failure
    monkeypatch.setattr(outfiles.os, "replace", fail)
    with pytest.raises(TrackerError if isinstance(failure, OSError) else KeyboardInterrupt) as caught:
        outfiles.write_file(target, b"the calendar of today")
    if isinstance(failure, OSError):
        assert str(caught.value) == f"{target}: cannot write it (No space left on device)"
    assert target.read_bytes() == b"the calendar of yesterday"
    # (the file replaced was kept first in .call-tracker-backups: see the test below)
    assert [p.name for p in tmp_path.iterdir() if p.name != outfiles.BACKUPS] == ["calls.ics"]


def test_a_file_is_replaced_only_when_it_passes_as_ours(tmp_path):
    target = tmp_path / "calls.ics"
    target.write_bytes(b"ours: v1")
    outfiles.write_file(target, b"ours: v2", ours=lambda path: path.read_bytes().startswith(b"ours:"), what="a calendar")
    assert target.read_bytes() == b"ours: v2"
    target.write_bytes(b"someone else's")
    with pytest.raises(TrackerError, match="is not a calendar Call Tracker wrote"):
        outfiles.write_file(target, b"ours: v3", ours=lambda path: path.read_bytes().startswith(b"ours:"), what="a calendar")
    assert target.read_bytes() == b"someone else's"


def test_a_folder_given_as_the_file_is_refused(tmp_path):
    with pytest.raises(TrackerError, match="is a folder, not a file name"):
        outfiles.write_file(tmp_path, b"x", ours=lambda path: True, what="a calendar")


def test_a_file_holding_something_else_is_kept_before_it_is_replaced(tmp_path):
    # Found by a tester: digest --out, reminders --eml and notice --eml silently replaced
    # a same-named file the user had edited ("my edits" gone).
    import os

    from tracker.outfiles import write_file

    draft = tmp_path / "drafts" / "notice_calls_Log_r5.eml"
    write_file(draft, b"as written")
    write_file(draft, b"as written")                       # the same again: nothing to keep
    assert not (draft.parent / ".call-tracker-backups").exists()
    draft.write_bytes(b"my edits")
    os.utime(draft, (1_764_000_000, 1_764_000_000))
    write_file(draft, b"as written")
    assert draft.read_bytes() == b"as written"
    [kept] = (draft.parent / ".call-tracker-backups").iterdir()
    assert kept.read_bytes() == b"my edits" and kept.name.startswith("notice_calls_Log_r5.") and kept.suffix == ".eml"
