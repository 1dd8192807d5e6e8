"""Safe save: the original is never half-written, never written behind Excel's back."""
from __future__ import annotations

import errno
import os
import random
import signal
import socket
import subprocess
import sys
import textwrap
import time
import zipfile
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from tracker.errors import WorkbookError
from tracker.writeback import (
    BACKUP_DIR_NAME, ColumnWrite, WritePlan, apply, lock_path, make_backup, preflight, safe_save, workbook_lock,
)

from workbooks import big_log, small_overdue_log

NOW = datetime(2026, 11, 22, 9, 0)
TESTS = Path(__file__).parent


def plan(values: dict[int, str]) -> WritePlan:
    return WritePlan("Calls", 1, 2, 5, [ColumnWrite("Status", ("status",), values)], [], [])


@pytest.fixture
def book(tmp_path: Path) -> Path:
    return small_overdue_log(tmp_path / "Calls 2026.xlsx")


def leftovers(folder: Path, keep: set[str]) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name not in keep)


def test_a_backup_of_the_original_is_kept(book: Path):
    original = book.read_bytes()
    report = apply(book, plan({2: "overdue"}), now=NOW)
    assert report.backup == book.parent / BACKUP_DIR_NAME / "Calls 2026.20261122-090000.xlsx"
    assert report.backup.read_bytes() == original
    assert book.read_bytes() != original
    assert leftovers(book.parent, {book.name, BACKUP_DIR_NAME}) == []


def test_the_first_backup_and_the_last_ten_are_kept(book: Path, tmp_path: Path):
    folder = tmp_path / "bk"
    contents = []
    for i in range(12):
        contents.append(book.read_bytes())
        apply(book, plan({2: f"v{i}"}), now=NOW + timedelta(minutes=i), backup_dir=folder)
    names = sorted(p.name for p in folder.iterdir())
    assert len(names) == 11
    # The workbook before Call Tracker first wrote it, then the last ten.
    assert names[0] == "Calls 2026.20261122-090000.xlsx"
    assert (folder / names[0]).read_bytes() == contents[0]
    assert names[1] == "Calls 2026.20261122-090200.xlsx"
    assert (folder / names[-1]).read_bytes() == contents[-1]


def test_same_second_backups_do_not_overwrite_each_other(book: Path, tmp_path: Path):
    first = make_backup(book, now=NOW, backup_dir=tmp_path / "bk")
    second = make_backup(book, now=NOW, backup_dir=tmp_path / "bk")
    assert first != second and first.exists() and second.exists()


@pytest.mark.parametrize("owner", ["~$Calls 2026.xlsx", "~$lls 2026.xlsx"])
def test_refused_while_open_in_excel(book: Path, owner: str):
    (book.parent / owner).write_bytes(b"\x05Olga")
    before = book.read_bytes()
    with pytest.raises(WorkbookError, match="open in Excel.*close the workbook in Excel and run again") as err:
        apply(book, plan({2: "overdue"}), now=NOW)
    assert book.read_bytes() == before
    assert leftovers(book.parent, {book.name, owner}) == []
    # Excel stopped without removing it, and Explorer hides it: the way out is named.
    assert str(err.value).endswith(f"delete the hidden file {book.parent / owner}")


def test_refused_while_another_run_holds_the_lock(book: Path):
    lock = lock_path(book)
    lock.write_text(f"{os.getpid()} {socket.gethostname()}\n")     # alive: this very process
    before = book.read_bytes()
    with pytest.raises(WorkbookError, match="another Call Tracker run.*15 minutes is broken automatically"):
        apply(book, plan({2: "overdue"}), now=NOW)
    assert book.read_bytes() == before
    assert lock.exists()                      # not ours to remove


def test_a_stale_lock_is_broken_and_reported(book: Path):
    lock = lock_path(book)
    lock.write_text(f"{os.getpid()} {socket.gethostname()}\n")
    old = time.time() - 3600
    os.utime(lock, (old, old))
    report = apply(book, plan({2: "overdue"}), now=NOW)
    assert any("stale lock" in n for n in report.notes)
    assert not lock.exists()


def test_a_lock_left_by_a_dead_process_is_broken(book: Path):
    child = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    lock_path(book).write_text(f"{child.stdout.strip()} {socket.gethostname()}\n")
    report = apply(book, plan({2: "overdue"}), now=NOW)
    assert any("process is gone" in n for n in report.notes)


def test_lock_is_exclusive_and_released(book: Path):
    with workbook_lock(book):
        with pytest.raises(WorkbookError, match="another Call Tracker run"):
            with workbook_lock(book):
                pass
    assert not lock_path(book).exists()


def test_failed_replace_leaves_the_original_and_no_temp(book: Path, monkeypatch):
    before = book.read_bytes()

    def boom(src, dst):
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(WorkbookError, match="cannot replace the workbook"):
        apply(book, plan({2: "overdue"}), now=NOW)
    assert book.read_bytes() == before
    assert leftovers(book.parent, {book.name, BACKUP_DIR_NAME}) == []


def test_original_changed_during_the_run_is_not_overwritten(book: Path):
    def produce(f):
        f.write(b"new")
        with open(book, "ab") as g:           # Excel (or anyone) saved meanwhile
            g.write(b"\0")

    with pytest.raises(WorkbookError, match="changed while we were updating it"):
        safe_save(book, produce, now=NOW)
    assert book.read_bytes().endswith(b"\0")
    assert leftovers(book.parent, {book.name}) == []


def test_disk_full_is_one_clear_line(book: Path):
    before = book.read_bytes()

    def produce(f):
        raise OSError(errno.ENOSPC, "No space left on device")

    with pytest.raises(WorkbookError, match="the disk is full") as info:
        safe_save(book, produce, now=NOW)
    assert "\n" not in str(info.value)
    assert book.read_bytes() == before
    assert leftovers(book.parent, {book.name}) == []


def test_a_workbook_marked_read_only_is_refused_not_replaced(book: Path):
    # Found by a robustness pass: a file marked read-only was replaced through its folder.
    before = book.read_bytes()
    book.chmod(0o444)
    try:
        for attempt in (lambda: apply(book, plan({2: "overdue"}), now=NOW), lambda: preflight(book, ())):
            with pytest.raises(WorkbookError, match="the workbook is marked read-only; clear that") as info:
                attempt()
            assert "\n" not in str(info.value)
        assert book.read_bytes() == before and leftovers(book.parent, {book.name}) == []
    finally:
        book.chmod(0o644)


def test_a_workbook_that_cannot_be_read_is_said_so_not_called_read_only(book: Path, monkeypatch):
    # Found by a tester: a file with no permissions at all (mode 000) was called "marked
    # read-only", which is not what to fix. (Simulated: root reads any file.)
    import builtins

    import tracker.files

    def no_read(file, *a, **k):
        if Path(file) == book:
            raise PermissionError(13, "Permission denied", str(file))
        return builtins.open(file, *a, **k)

    monkeypatch.setattr(tracker.files, "open", no_read, raising=False)
    book.chmod(0o000)
    try:
        with pytest.raises(WorkbookError, match="permission denied"):
            preflight(book, ())
    finally:
        book.chmod(0o644)


def test_read_only_folder(book: Path, monkeypatch):
    before = book.read_bytes()
    folder = book.parent
    if os.geteuid() != 0:
        folder.chmod(0o555)
    else:
        # root writes anywhere: make the folder refuse new files as a read-only one would
        real_open = os.open

        def ro_open(path, flags, *args, **kwargs):
            if Path(path).parent == folder and flags & os.O_CREAT:
                raise PermissionError(errno.EACCES, "Permission denied", str(path))
            return real_open(path, flags, *args, **kwargs)

        monkeypatch.setattr(os, "open", ro_open)
    try:
        with pytest.raises(WorkbookError, match="no permission to write in its folder") as info:
            apply(book, plan({2: "overdue"}), now=NOW)
    finally:
        folder.chmod(0o755)
    assert "\n" not in str(info.value)
    assert book.read_bytes() == before


CHILD = textwrap.dedent("""
    import sys, itertools
    from datetime import datetime
    from pathlib import Path
    sys.path.insert(0, {tests!r})
    from tracker.writeback import apply, WritePlan, ColumnWrite
    path = Path({path!r})
    for i in itertools.count():
        values = {{r: ("A" if i % 2 else "B") for r in range(2, 3002)}}
        apply(path, WritePlan("Calls", 1, 2, 3001, [ColumnWrite("Status", ("status",), values)], [], []),
              now=datetime(2026, 11, 22, 9, 0, i % 60))
        print(i, flush=True)
""")


def test_killed_mid_save_leaves_a_whole_workbook(tmp_path: Path):
    path = big_log(tmp_path / "log.xlsx", n=3000, ncols=6)
    original_rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Calls").to_python()
    allowed = {"none", "A", "B"}
    rng = random.Random(20261122)
    kills = 0
    seen = set()
    for _ in range(12):
        proc = subprocess.Popen([sys.executable, "-c", CHILD.format(tests=str(TESTS), path=str(path))],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(rng.uniform(0.3, 1.5))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        err = proc.stderr.read()
        assert "Traceback" not in err, err
        kills += 1
        with zipfile.ZipFile(path) as z:
            assert z.testzip() is None
        rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Calls").to_python()
        assert [r[:6] for r in rows] == [r[:6] for r in original_rows]
        status = {r[6] if len(r) > 6 else "" for r in rows[1:]}
        state = "none" if status == {""} else status.pop() if len(status) == 1 else f"mixed {status}"
        assert state in allowed
        seen.add(state)
    assert kills == 12
    assert len(seen) >= 2          # runs did complete between kills: the kills hit a live loop
    # the workbook equals a backup of itself or the result of a whole run; backups are whole too
    # (a hidden ".partial" copy a kill interrupted is not a backup; the next run clears it)
    for b in (tmp_path / BACKUP_DIR_NAME).iterdir():
        if b.name.startswith("."):
            continue
        with zipfile.ZipFile(b) as z:
            assert z.testzip() is None
    # whatever the kills left behind (a lock of a dead run, a temp file) does not block the next run
    report = apply(path, WritePlan("Calls", 1, 2, 3001, [ColumnWrite("Status", ("status",), {2: "C"})], [], []), now=NOW)
    assert CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Calls").to_python()[1][6] == "C"
    assert report.backup is not None
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp") or p.name.endswith(".lock")] == []
    assert [p.name for p in (tmp_path / BACKUP_DIR_NAME).iterdir() if p.name.endswith(".partial")] == []


def test_a_symlinked_workbook_stays_a_link(book: Path, tmp_path: Path):
    link = tmp_path / "link.xlsx"
    link.symlink_to(book)
    apply(link, plan({2: "overdue"}), now=NOW)
    assert link.is_symlink()
    rows = CalamineWorkbook.from_path(str(book)).get_sheet_by_name("Calls").to_python()
    assert rows[1][2] == "overdue"


def test_a_write_that_changes_nothing_replaces_nothing_and_keeps_no_backup(book: Path, tmp_path: Path):
    # Found by a tester: a second refresh the same day, nothing changed, still replaced the
    # file and kept a backup of it; with the last ten kept, a few such refreshes pushed the
    # older, different versions out.
    folder = tmp_path / "bk"
    for i in range(10):
        apply(book, plan({2: f"v{i}"}), now=NOW + timedelta(minutes=i), backup_dir=folder)
    kept = {p.name: p.read_bytes() for p in folder.iterdir()}
    assert len(kept) == 10 and len(set(kept.values())) == 10
    written, stat = book.read_bytes(), book.stat()
    for i in range(3):
        report = apply(book, plan({2: "v9"}), now=NOW + timedelta(minutes=20 + i), backup_dir=folder)
        assert report.unchanged and report.backup is None
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == kept
    assert book.read_bytes() == written
    assert (book.stat().st_ino, book.stat().st_mtime_ns) == (stat.st_ino, stat.st_mtime_ns)   # not replaced
    assert leftovers(book.parent, {book.name, "bk"}) == []                                    # no temp left
    report = apply(book, plan({2: "v10"}), now=NOW + timedelta(minutes=30), backup_dir=folder)
    assert not report.unchanged and report.backup.read_bytes() == written


def test_a_refresh_that_changes_nothing_says_so(sample_log: Path, tmp_path: Path):
    from click.testing import CliRunner
    from tracker.cli import main

    path = tmp_path / "calls.xlsx"
    path.write_bytes(sample_log.read_bytes())
    said = []
    for _ in range(2):
        r = CliRunner().invoke(main, ["refresh", str(path), "--as-of", "2026-11-23T09:00"], catch_exceptions=False)
        assert r.exit_code == 0, r.stderr
        said.append(r.stderr.splitlines())
    assert any(ln.startswith("Backup of the previous version: ") for ln in said[0])
    assert "Nothing changed since the last refresh: the workbook was left as it was." in said[1]
    assert not any(ln.startswith(("Backup of", "Sheets written")) for ln in said[1])
    assert len(list((tmp_path / BACKUP_DIR_NAME).iterdir())) == 1


def test_an_empty_lock_left_by_a_run_killed_as_it_made_it_is_broken(book: Path):
    # Found by the kill test: a run killed between making its lock and writing its pid in
    # it left an empty lock, and the next run was refused as if another one were working.
    lock_path(book).write_text("")
    report = apply(book, plan({2: "overdue"}), now=NOW)
    assert f"broke a stale lock {lock_path(book).name} (it names no process)" in report.notes
    assert not lock_path(book).exists()
