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

_HEAD = 4096   # what `ours` is shown of an existing file


def check_replaceable(path: Path, ours: Callable[[bytes], bool], what: str) -> None:
    """Refuse `path` when it holds a file that `ours` does not recognise (by its first
    bytes) as one Call Tracker wrote; a missing file is fine."""
    try:
        with open(path, "rb") as f:
            head = f.read(_HEAD)
    except (FileNotFoundError, NotADirectoryError):
        return   # nothing there to lose; the write says what is in its way
    except IsADirectoryError:
        raise TrackerError(f"{path}: is a folder; give the {what} a file name") from None
    except OSError as exc:
        raise TrackerError(f"{path}: cannot read it to check what it is ({exc.strerror or exc}); "
                           "nothing was written") from None
    if not ours(head):
        raise TrackerError(f"{path}: already exists and is not a {what} Call Tracker wrote; not replacing it "
                           "(give another file name, or move that file away first)")


def write_file(path: Path, data: bytes, *, ours: Callable[[bytes], bool] | None = None, what: str = "file") -> Path:
    """`data` as the whole of `path`, making its folder. With `ours`, an existing file is
    replaced only if it passes `check_replaceable`."""
    path = Path(path)
    if ours is not None:
        check_replaceable(path, ours, what)
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
