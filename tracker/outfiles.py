"""The files Call Tracker writes besides workbooks: calendars, e-mail drafts, digests.

Each is written whole or not at all (a partial file, then one rename), so an interrupted
or failed write never leaves half a calendar under its name. A path that cannot be
written is the user's to fix, told in one line that names it, not an internal error.
And a file the user names (`--ics`) is replaced only when Call Tracker wrote it: one
slip, such as the workbook's own name, would otherwise destroy it.
"""
from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Callable

from .errors import TrackerError


def check_replaceable(path: Path, ours: Callable[[Path], bool], what: str) -> None:
    """Refuse `path` when it holds a file that `ours` does not recognise as one Call
    Tracker wrote; a missing file is fine."""
    path = Path(path)
    if path.is_dir():
        raise TrackerError(f"{path}: is a folder, not a file name")
    if not path.exists():
        return   # nothing there to lose; the write says what is in its way, if anything
    try:
        mine = ours(path)
    except OSError as exc:
        raise TrackerError(f"{path}: cannot read it to check what it is ({exc.strerror or exc}); "
                           "nothing was written") from None
    if not mine:
        raise TrackerError(f"{path}: already exists and is not {what} Call Tracker wrote; not replacing it "
                           "(give another file name, or move that file away first)")


def write_file(path: Path, data: bytes, *, ours: Callable[[Path], bool] | None = None, what: str = "a file",
               kept: list[tuple[Path, Path]] | None = None) -> Path:
    """`data` as the whole of `path`, making its folder. With `ours`, an existing file is
    replaced only if it passes `check_replaceable`; without, an existing file that holds
    something else (a draft the user edited, then ran the command again) is kept first
    in the folder's .call-tracker-backups (`keep_replaced`): (path, copy) added to `kept`,
    to be said."""
    path = Path(path)
    if ours is not None:
        check_replaceable(path, ours, what)
    elif (backup := keep_replaced(path, data)) is not None and kept is not None:
        kept.append((path, backup))
    make_folder(path.parent)
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    try:
        partial.write_bytes(data)
        os.replace(partial, path)
    except BaseException as exc:   # Ctrl-C too: no partial file is left behind
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise TrackerError(f"{path}: cannot write it ({exc.strerror or exc})") from None
        raise
    return path


BACKUPS = ".call-tracker-backups"   # as the workbooks' (writeback.BACKUP_DIR_NAME)


def keep_replaced(path: Path, data: bytes) -> Path | None:
    """A copy of the file at `path`, when it holds other bytes than `data`, in the folder's
    .call-tracker-backups, named by when it was last changed (name.20261123-091500.eml),
    as refresh keeps a workbook's (writeback.make_backup; all of them kept): nothing of
    the user's is overwritten without a copy. None when there was nothing to keep."""
    from datetime import datetime

    from .writeback import make_backup   # (it imports this module: asked for when used)

    try:
        if not path.is_file() or path.stat().st_size == len(data) and path.read_bytes() == data:
            return None
        changed = datetime.fromtimestamp(path.stat().st_mtime)
    except OSError as exc:
        raise TrackerError(f"{path}: cannot read it before replacing it ({exc.strerror or exc}); "
                           "nothing was written") from None
    return make_backup(path, now=changed, backup_dir=path.parent / BACKUPS, keep=0)


def unique_stem(stem: str, used: set[str]) -> str:
    """`stem`, or `stem_2`, `stem_3`... when a file of this run took it already: two
    drafts or digests of one name would otherwise be one file, the second over the
    first. Compared without case, as Windows and macOS compare file names."""
    name, n = stem, 2
    while name.casefold() in used:
        name, n = f"{stem}_{n}", n + 1
    used.add(name.casefold())
    return name


def make_folder(folder: Path) -> Path:
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        blocker = next((p for p in (folder, *folder.parents) if p.exists() and not p.is_dir()), None)
        if blocker == folder:
            raise TrackerError(f"{folder}: is a file, not a folder") from None
        why = f": {blocker} is a file" if blocker else f" ({exc.strerror or exc})"
        raise TrackerError(f"{folder}: cannot make this folder{why}") from None
    return folder
