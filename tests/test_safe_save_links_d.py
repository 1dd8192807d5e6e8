"""A workbook with two names (a hard link: `os.link`, NTFS's `mklink /H`): the refresh
writes into the file itself, so both names see the refreshed log, after the backup is
kept and the new workbook written whole beside it; a write that fails part way puts
the original back. Refreshed by the CLI, read back through the other name with openpyxl
and calamine."""
from __future__ import annotations

import errno
import os
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
from python_calamine import CalamineWorkbook
from test_writeback_h7 import OURS, refresh, table_log

from tracker import writeback
from tracker.errors import WorkbookError
from tracker.writeback import BACKUP_DIR_NAME, ColumnWrite, WritePlan, apply

NOW = datetime(2026, 11, 22, 9, 0)


def linked(tmp_path: Path) -> tuple[Path, Path]:
    path = table_log(tmp_path / "calls.xlsx", {"Q1": "Total"})
    other = tmp_path / "shared" / "olga-calls.xlsx"
    other.parent.mkdir()
    os.link(path, other)
    return path, other


def plan() -> WritePlan:
    return WritePlan("Log", 1, 2, 3, [ColumnWrite("Status", ("status",), {2: "overdue", 3: "upcoming"})])


def test_both_names_of_a_hard_linked_workbook_see_the_refresh(tmp_path):
    path, other = linked(tmp_path)
    before, inode = path.read_bytes(), os.stat(path).st_ino
    r = refresh(path)
    assert r.exit_code == 0, r.output
    assert os.stat(path).st_ino == os.stat(other).st_ino == inode and os.stat(other).st_nlink == 2
    rows = CalamineWorkbook.from_path(str(other)).get_sheet_by_name("Log").to_python()
    assert rows[0][9:13] == OURS and rows[1][9] == "Overdue" and rows[0][16] == "Total"
    assert openpyxl.load_workbook(other)["Log"].tables["Calls"].ref == "A1:M3"
    assert other.read_bytes() == path.read_bytes() != before
    backups = list((tmp_path / BACKUP_DIR_NAME).iterdir())
    assert len(backups) == 1 and backups[0].read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [BACKUP_DIR_NAME, "calls.xlsx", "shared"]
    assert refresh(other).exit_code == 0   # through the other name: still one file
    assert os.stat(path).st_ino == os.stat(other).st_ino == inode and path.read_bytes() == other.read_bytes()


def test_a_workbook_with_one_name_is_still_replaced_whole(tmp_path):
    path = table_log(tmp_path / "calls.xlsx")
    inode = os.stat(path).st_ino
    assert refresh(path).exit_code == 0
    assert os.stat(path).st_ino != inode   # the atomic rename, as before


def test_a_write_failing_part_way_puts_the_original_back_under_both_names(tmp_path, monkeypatch):
    path, other = linked(tmp_path)
    before = path.read_bytes()
    real = writeback._copy_into
    calls = []

    def disk_full_half_way(src, dst):
        calls.append(1)
        if len(calls) == 1:   # the refreshed workbook: half of it, then the disk is full
            dst.write(src.read()[: len(before) // 2])
            dst.flush()
            raise OSError(errno.ENOSPC, "No space left on device")
        real(src, dst)

    monkeypatch.setattr(writeback, "_copy_into", disk_full_half_way)
    with pytest.raises(WorkbookError, match=r"cannot write the updated workbook: the disk is full; "
                                            r"nothing was changed$") as info:
        apply(path, plan(), now=NOW)
    assert "\n" not in str(info.value)
    assert path.read_bytes() == other.read_bytes() == before and os.stat(other).st_nlink == 2
    backup = tmp_path / BACKUP_DIR_NAME / "calls.20261122-090000.xlsx"
    assert backup.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [BACKUP_DIR_NAME, "calls.xlsx", "shared"]


def test_when_the_original_cannot_be_put_back_the_backup_is_named(tmp_path, monkeypatch):
    path, other = linked(tmp_path)

    def failing(src, dst):
        dst.write(b"PK")
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(writeback, "_copy_into", failing)
    with pytest.raises(WorkbookError) as info:
        apply(path, plan(), now=NOW)
    backup = tmp_path / BACKUP_DIR_NAME / "calls.20261122-090000.xlsx"
    assert str(info.value) == (f"{path}: the copy into it stopped part way and it could not be put back: "
                               f"copy its backup {backup} over it")
    assert backup.is_file()


def test_ctrl_c_half_way_through_puts_the_original_back(tmp_path, monkeypatch):
    # Found by a review: only OSError was caught, so Ctrl-C (or SIGTERM) half way left a
    # broken zip under both names while the CLI said the workbook was not changed.
    path, other = linked(tmp_path)
    before = path.read_bytes()
    real = writeback._copy_into
    calls = []

    def interrupted_half_way(src, dst):
        calls.append(1)
        if len(calls) == 1:
            dst.write(src.read()[: len(before) // 2])
            dst.flush()
            raise KeyboardInterrupt
        real(src, dst)

    monkeypatch.setattr(writeback, "_copy_into", interrupted_half_way)
    with pytest.raises(KeyboardInterrupt):
        apply(path, plan(), now=NOW)
    assert path.read_bytes() == other.read_bytes() == before
    CalamineWorkbook.from_path(str(other)).get_sheet_by_name("Log").to_python()


def test_a_workbook_that_cannot_be_opened_to_write_through_leaves_no_backup(tmp_path, monkeypatch):
    # Open in Excel through its other name (Windows: a sharing violation): refused before
    # a backup is made, as a refusal of the plain replace is; each retry kept one more.
    path, other = linked(tmp_path)
    before = path.read_bytes()

    def in_use(p):
        raise writeback._os_error(p, PermissionError(errno.EACCES, "Permission denied"), "write the workbook",
                                  "it is read-only or in use by another program (Excel, a sync or backup tool)")

    monkeypatch.setattr(writeback, "_open_through", in_use)
    with pytest.raises(WorkbookError, match="in use by another program"):
        apply(path, plan(), now=NOW)
    assert path.read_bytes() == before and not (tmp_path / BACKUP_DIR_NAME).exists()


def test_the_refresh_says_the_workbook_was_written_through_its_names(tmp_path):
    path, other = linked(tmp_path)
    r = refresh(path)
    assert r.exit_code == 0, r.output
    assert "calls.xlsx has 2 names (hard links): written through" in r.output
