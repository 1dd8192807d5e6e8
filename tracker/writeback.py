"""Write our results back into a user's workbook without losing anything of theirs.

openpyxl load+save is slow on big logs and silently drops what it does not understand
(charts, images, comments' VML, sparklines, extension lists...). So we edit the .xlsx
package itself: the call-log sheet's XML is streamed row by row with only our cells
patched in; styles.xml gets new entries appended; our own sheets (and their charts) are
replaced or added; every other zip entry is copied through as raw compressed bytes, in
the original order. What we cannot carry, we refuse before touching the file.

The safe-save half (owner-file check, lock, backup, temp file + fsync + atomic replace)
is separate (`safe_save`) so other commands that write files reuse it.
"""
from __future__ import annotations

import bisect
import codecs
import errno
import hashlib
import html
import math
import os
import re
import shutil
import socket
import stat
import struct
import tempfile
import time as _time
import zipfile
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from functools import lru_cache
from datetime import date, datetime, time, timedelta
from pathlib import Path, PurePosixPath
from typing import Any, BinaryIO, Callable, Iterable, Iterator
from xml.etree import ElementTree as ET
from xml.parsers import expat

from . import deflate
from .files import SHEET_PROTECTED
from .config import normalize_word
from .errors import TemplateError, WorkbookError
from .fork import Child, may_fork
from .model import MAX_COLUMNS, column_letter, row_runs
from .model import cell_ref as _parse_ref
from .outfiles import BACKUPS
from .model import column_number as _col_index

__all__ = [
    "ColumnWrite", "SheetWrite", "ChartSpec", "Highlight", "WritePlan", "WriteReport",
    "apply", "preflight", "sheet_protected", "our_sheet_protected", "safe_save", "saved_path", "FileStamp", "check_not_open", "workbook_lock", "make_backup",
    "owner_files", "BACKUP_DIR_NAME", "MARKER", "highlight_formula",
]

# ====================================================================== the plan

@dataclass
class ChartSpec:
    """A native Excel chart on a SheetWrite, drawn from ranges of that sheet."""

    kind: str                              # "line" | "bar"
    title: str
    categories: tuple[int, int, int]       # (first_row, last_row, column), 1-based
    series: list[tuple[str, int]]          # (series name, 1-based column); rows as categories
    anchor: str = "H2"                     # top-left cell
    size: tuple[int, int] = (8, 15)        # columns x rows the chart spans


@dataclass
class ColumnWrite:
    """One column we own on the call-log sheet."""

    header: str                            # written when the column is missing
    match: tuple[str, ...]                 # header texts that identify an existing column
    values: dict[int, Any]                 # 1-based row -> str/int/float/bool/date/datetime/None
    number_format: str | None = None       # e.g. "yyyy-mm-dd hh:mm"
    width: float | None = None             # when we add the column
    wrap: bool = False
    key: str = ""                          # placeholder in Highlight formulas; default normalize_word(header)

    @property
    def placeholder(self) -> str:
        return self.key or normalize_word(self.header)


@dataclass
class SheetWrite:
    """A sheet we own entirely ("Chase today", "Stats"...): replaced on every apply."""

    name: str
    rows: list[list[Any]]                  # first row is the header (bold, frozen)
    widths: list[float] | None = None
    charts: list[ChartSpec] = field(default_factory=list)
    number_formats: dict[int, str] = field(default_factory=dict)   # 1-based column -> format
    # Its other names (in other languages): a sheet of ours found under one, and none
    # under `name`, is renamed and replaced; a user's sheet of that name is left alone.
    formerly: tuple[str, ...] = ()
    wrap: frozenset[int] = frozenset()      # 1-based columns whose texts wrap (top-aligned): drafts
    # 1-based column -> the format of its cells holding a date without a time, in a column
    # of date-times (number_formats): the Reminders sheet's Call at of a whole-day call.
    date_formats: dict[int, str] = field(default_factory=dict)

    def row_lines(self, row: list[Any]) -> int:
        """The lines the row's tallest wrapped text takes in its column (1 without any)."""
        from .output import wrapped_lines

        if not self.wrap or not self.widths:
            return 1
        return max((wrapped_lines(str(v), self.widths[c - 1]) for c, v in enumerate(row, 1)
                    if c in self.wrap and c <= len(self.widths) and isinstance(v, str) and v), default=1)


# A row of our sheets is as tall as its wrapped text, up to this many lines (a longer
# draft scrolls in its cell), of this many points each.
MAX_ROW_LINES, LINE_HEIGHT = 12, 15


@dataclass
class Highlight:
    """A conditional-formatting rule on the log's data rows (whole rows are painted).

    `formula` is for the first data row: `{row}` is that row's number and `{key}` is the
    letter of the ColumnWrite whose placeholder is `key` (e.g. '${status}{row}="overdue"').
    Columns of the user's own are written as letters by the caller.
    """

    name: str
    formula: str
    fill: str                              # RGB hex, "FFC7CE"
    font: str | None = None                # RGB hex of the font colour
    # The Excel rows it paints, ascending (`{row}` is then the first of them); empty: every
    # data row. A rule that holds a date of some rows only (a window's first day) is theirs.
    rows: tuple[int, ...] = ()


@dataclass
class WritePlan:
    sheet: str
    header_row: int
    first_data_row: int
    last_data_row: int
    columns: list[ColumnWrite] = field(default_factory=list)
    sheets: list[SheetWrite] = field(default_factory=list)
    highlights: list[Highlight] = field(default_factory=list)


@dataclass
class WriteReport:
    path: Path
    backup: Path | None
    columns: dict[str, str]                # header of each ColumnWrite -> column letter used
    added_columns: list[str]               # letters of the columns we had to add
    cells_written: int
    cells_cleared: int
    sheets_replaced: list[str]
    sheets_added: list[str]
    tables_extended: list[str]
    notes: list[str] = field(default_factory=list)
    unchanged: bool = False                # the file was already as written: left as it was, no backup


# Our conditional-formatting rules carry this in their formula so the next apply finds
# and replaces them (ISTEXT("...") is always TRUE, so it never changes the result).
MARKER = "call-tracker:"
# In the page header of every sheet we write: "&L" left-aligned, "&8" small print.
_MARK_WORDS = "Written by Call Tracker"
SHEET_MARK = "&L&8" + _MARK_WORDS

BACKUP_DIR_NAME = BACKUPS   # the one folder name of every backup we keep (outfiles)


class Said(str):
    """A note or refusal of the write-back (templates/lines/<key>), in English as a str, with
    its key and values: this module does not know the log's language, and its caller, who
    does, says it in that (`said_in`). Made only on a refusal or a note, never per row."""

    key: str
    values: dict

    def __new__(cls, key: str, /, **values: Any) -> "Said":
        from .jobs import line

        self = super().__new__(cls, line(None, key, "en", **values))
        self.key, self.values = key, values
        return self

    def said_in(self, lang: str, config: Any = None) -> str:
        """In `lang`, with the user's own lines where `config` has them (templates_dir);
        with the shipped ones when theirs cannot say it: a refusal must still be told."""
        from .jobs import line

        try:
            return line(config, self.key, lang, **self.values)
        except TemplateError:
            return line(None, self.key, lang, **self.values)

    def __reduce__(self):   # (a copy or pickle is made again from its key: str's would pass the text as one)
        return _said_again, (self.key, self.values)


def _said_again(key: str, values: dict) -> Said:
    return Said(key, **values)


def said_in(text: Any, lang: str, config: Any = None) -> str:
    """`text` in `lang` where it is a Said (else as it is): the caller's language, which
    the write-back does not know."""
    return text.said_in(lang, config) if isinstance(text, Said) else str(text)


def error_in(exc: Exception, lang: str, config: Any = None) -> Exception:
    """The refusal `exc` in `lang`, as the same kind of error (itself when it is none of ours)."""
    if exc.args and isinstance(exc.args[0], Said):
        return type(exc)(exc.args[0].said_in(lang, config))
    return exc

# ====================================================================== safe save

@dataclass(frozen=True)
class FileStamp:
    size: int
    mtime_ns: int
    sha256: str

    @classmethod
    def of(cls, path: Path) -> "FileStamp":
        h = hashlib.sha256()
        with open(path, "rb") as f:
            st = os.fstat(f.fileno())
            for chunk in iter(lambda: f.read(1 << 20), b""):
                h.update(chunk)
        return cls(st.st_size, st.st_mtime_ns, h.hexdigest())


def owner_files(path: Path) -> list[Path]:
    """The owner ("~$") files Excel may keep next to an open workbook.

    Excel prefixes `~$` to the name. Office's older rule, Word's, replaces the first
    character of a 7-character name (before its extension) and the first two of a longer
    one: that spelling is checked too, and only for its own length, since it can be
    another workbook's (Hanna Schmidt.xlsx's ~$nna Schmidt.xlsx is not Anna Schmidt's).
    """
    name = path.name
    stem = len(Path(name).stem)
    cut = 1 if stem == 7 else 2 if stem > 7 else 0
    owners = [f"~${name}"] + ([f"~${name[cut:]}"] if cut else [])
    # (the owner file itself, given as the workbook, is not its own owner: the reader says what it is)
    return [path.with_name(n) for n in owners if n != name]


def check_not_open(path: Path) -> None:
    """Refuse while Excel (or LibreOffice) has the workbook open: it would overwrite our
    changes on its next save."""
    path = Path(path)
    for owner in owner_files(path):
        if owner.exists():
            raise WorkbookError(Said("open_elsewhere", path=path, app="Excel", owner=owner, owner_name=owner.name))
    lo = path.with_name(f".~lock.{path.name}#")
    if lo.exists():
        raise WorkbookError(Said("open_elsewhere", path=path, app="LibreOffice", owner=lo, owner_name=lo.name))


def lock_path(path: Path) -> Path:
    return Path(path).with_name(f".{Path(path).name}.call-tracker.lock")


def _pid_alive(pid: int) -> bool:
    if os.name == "nt":
        # os.kill(pid, 0) would terminate the process on Windows: ask the kernel instead
        return _pid_alive_windows(pid)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    return True


def _pid_alive_windows(pid: int) -> bool:
    import ctypes

    kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
    handle = kernel32.OpenProcess(0x1000, False, pid)   # PROCESS_QUERY_LIMITED_INFORMATION
    if not handle:
        return kernel32.GetLastError() == 5               # access denied: it exists
    try:
        code = ctypes.c_ulong()
        if not kernel32.GetExitCodeProcess(handle, ctypes.byref(code)):
            return True
        return code.value == 259                          # STILL_ACTIVE
    finally:
        kernel32.CloseHandle(handle)


@contextmanager
def workbook_lock(
    path: Path,
    *,
    stale_after: timedelta = timedelta(minutes=15),
    clock: Callable[[], float] = _time.time,
    notes: list[str] | None = None,
) -> Iterator[Path]:
    """Hold our own lock on `path` (an O_EXCL file next to it) for the duration.

    A lock older than `stale_after`, or left by a process of this host that no longer
    exists, is broken (and a note says so); any other lock refuses the run.
    """
    path = Path(path)
    lock = lock_path(path)
    host = socket.gethostname()
    for attempt in range(2):
        try:
            fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            if attempt:
                raise WorkbookError(f"{path}: another Call Tracker run holds {lock.name}; wait for it to finish and run again") from None
            pid, lhost, age = _read_lock(lock, clock)
            if pid is None and age is not None and age != float("inf"):
                # Empty: its maker writes its pid right after making it, or was killed in
                # between. Asked again a moment later, still empty: no one will.
                _time.sleep(0.2)
                pid, lhost, age = _read_lock(lock, clock)
            dead = (lhost == host and pid is not None and not _pid_alive(pid)) or (
                pid is None and age is not None and age != float("inf"))
            if age is not None and (dead or age > stale_after.total_seconds()):
                why = ("it names no process" if pid is None else "its process is gone") if dead \
                    else f"it is older than {_minutes(stale_after)} minutes"
                try:
                    lock.unlink()
                except FileNotFoundError:
                    pass
                if notes is not None:
                    notes.append(f"broke a stale lock {lock.name} ({why})")
                continue
            raise WorkbookError(
                f"{path}: another Call Tracker run is updating this workbook (lock {lock.name}"
                f"{f', pid {pid}' if pid else ''}); wait for it to finish and run again "
                f"(a lock older than {_minutes(stale_after)} minutes is broken automatically)"
            ) from None
        except OSError as exc:
            raise _os_error(path, exc, "create the lock file next to it") from None
        break
    try:
        with os.fdopen(fd, "w") as f:
            f.write(f"{os.getpid()} {host}\n")
        yield lock
    finally:
        try:
            lock.unlink()
        except FileNotFoundError:
            pass


def _minutes(td: timedelta) -> int:
    return int(td.total_seconds() // 60)


def _read_lock(lock: Path, clock: Callable[[], float]) -> tuple[int | None, str, float | None]:
    try:
        st = lock.stat()
        text = lock.read_text(errors="replace").split()
    except FileNotFoundError:
        return None, "", float("inf")   # gone meanwhile: retry at once
    except OSError:
        return None, "", None
    pid = int(text[0]) if text and text[0].isdigit() else None
    host = text[1] if len(text) > 1 else ""
    return pid, host, clock() - st.st_mtime


_BACKUP_RE_T = r"^{stem}\.(\d{{8}}-\d{{6}})(?:-(\d+))?{suffix}$"


def make_backup(path: Path, *, now: datetime, backup_dir: Path | None = None, keep: int = 10) -> Path:
    """Copy `path` into the backup folder as `<stem>.<YYYYmmdd-HHMMSS>[-n]<suffix>`; keep the
    last `keep` (0: all) and the first: the workbook as it was before Call Tracker first
    wrote it, which ten refreshes (a morning's clicks) would otherwise take away."""
    path = Path(path)
    folder = Path(backup_dir) if backup_dir is not None else path.parent / BACKUP_DIR_NAME
    try:
        folder.mkdir(parents=True, exist_ok=True)
        stamp = now.strftime("%Y%m%d-%H%M%S")
        target = folder / f"{path.stem}.{stamp}{path.suffix}"
        n = 1
        while target.exists():
            target = folder / f"{path.stem}.{stamp}-{n}{path.suffix}"
            n += 1
        # Copied under a temporary name and renamed when whole: a run killed mid-copy
        # leaves no truncated file that would count as one of the backups kept.
        for leftover in folder.glob(f".{path.stem}.*.partial"):   # from a run killed mid-copy
            leftover.unlink(missing_ok=True)
        partial = folder / f".{target.name}.partial"
        shutil.copy2(path, partial)
        with open(partial, "rb+") as f:
            os.fsync(f.fileno())
        os.rename(partial, target)  # a fresh name: nothing to replace
    except OSError as exc:
        if folder.is_file():   # (mkdir's "File exists" would not say which, nor what to do)
            raise WorkbookError(f"{path}: cannot keep a backup copy in {folder}: a file of that name is in the way "
                                "(move or rename it); nothing was changed") from None
        raise _os_error(path, exc, f"keep a backup copy in {folder}") from None
    pattern = re.compile(_BACKUP_RE_T.format(stem=re.escape(path.stem), suffix=re.escape(path.suffix)))
    found = []
    for p in folder.iterdir():
        m = pattern.match(p.name)
        if m:
            found.append(((m.group(1), int(m.group(2) or 0)), p))
    found.sort()
    for _, old in found[1:-keep] if keep > 0 else []:
        try:
            old.unlink()
        except OSError:
            pass
    return target


def _os_error(path: Path, exc: OSError, doing: str, denied: str = "") -> WorkbookError:
    if exc.errno == errno.ENOSPC:
        why = "the disk is full"
    elif exc.errno in (errno.EROFS,):
        why = "the folder is on a read-only drive"
    elif exc.errno in (errno.EACCES, errno.EPERM):
        why = denied or "no permission to write in its folder (read-only folder?)"
    else:
        why = exc.strerror or str(exc)
    return WorkbookError(f"{path}: cannot {doing}: {why}")


def _temp_name(path: Path) -> Path:
    return path.with_name(f".~{path.name}.{os.getpid()}.call-tracker.tmp")


def _remove_dead_temps(path: Path) -> None:
    """Temp files of killed runs (their pid is gone) would otherwise pile up."""
    pat = re.compile(rf"^\.~{re.escape(path.name)}\.(\d+)\.call-tracker\.tmp$")
    try:
        for p in path.parent.iterdir():
            m = pat.match(p.name)
            if m and int(m.group(1)) != os.getpid() and not _pid_alive(int(m.group(1))):
                p.unlink()
    except OSError:
        pass


def safe_save(
    path: str | Path,
    produce: Callable[[BinaryIO], Any],
    *,
    now: datetime,
    backup_dir: Path | None = None,
    keep_backups: int = 10,
    stale_after: timedelta = timedelta(minutes=15),
    clock: Callable[[], float] = _time.time,
    notes: list[str] | None = None,
    expected: FileStamp | None = None,
    locked: bool = False,
    same: Callable[[Path, Path], bool] | None = None,
) -> tuple[Path | None, Any]:
    """Replace `path` with what `produce(temp_file)` writes; returns (backup, produce's result).
    What is written may be the file as it is (byte for byte, or as `same(temp, path)`
    judges it): then nothing is replaced and no backup made, and the backup returned is None.

    Refuses while Excel has it open or another run holds our lock; keeps a backup; writes a
    temp file in the same folder, fsyncs it, checks the original did not change meanwhile,
    then renames over it (a file with other names, hard links, has the temp's bytes
    copied into it instead: _write_through, which puts the original's bytes back if the
    copy stops part way). On any failure the original is as it was and the temp removed.
    `expected`: the file as the caller read it; a save in between is refused too.
    `locked`: the caller holds `workbook_lock(saved_path(path))` already.
    """
    path = Path(path)
    if not path.is_file():
        raise WorkbookError(f"{path}: workbook not found")
    check_not_open(path)
    if path.is_symlink():
        path = saved_path(path)
        check_not_open(path)
    with nullcontext() if locked else workbook_lock(path, stale_after=stale_after, clock=clock, notes=notes):
        _remove_dead_temps(path)
        before = FileStamp.of(path)
        if expected is not None and before != expected:
            raise WorkbookError(Said("changed_meanwhile", path=path, during=False))
        tmp = _temp_name(path)
        try:
            try:
                f = open(tmp, "wb")
            except OSError as exc:
                raise _os_error(path, exc, "write a temporary file next to it") from None
            try:
                with f:
                    result = produce(f)
                    f.flush()
                    os.fsync(f.fileno())
            except OSError as exc:
                raise _os_error(path, exc, "write the updated workbook") from None
            try:
                shutil.copymode(path, tmp)
            except OSError:
                pass
            if FileStamp.of(path) != before:
                raise WorkbookError(Said("changed_meanwhile", path=path, during=True))
            if _same_as(tmp, before) or (same is not None and same(tmp, path)):
                # Nothing to save (a second refresh with nothing changed): a backup equal
                # to the file would push an older, different one out of those kept.
                return None, result
            check_not_open(path)
            names = _hard_links(path)
            # Opened before the backup: refused (open in Excel through its other name),
            # it leaves no backup behind, as a refusal of the plain replace does not.
            through = _open_through(path) if names > 1 else None
            try:
                backup = make_backup(path, now=now, backup_dir=backup_dir, keep=keep_backups)
            except BaseException:
                if through is not None:
                    through.close()
                raise
            if through is not None:
                _write_through(tmp, through, path, backup)
                if notes is not None:
                    notes.append(Said("hard_links", name=path.name, n=names, backup=backup))
                return backup, result
            try:
                os.replace(tmp, path)
            except OSError as exc:
                raise _os_error(path, exc, "replace the workbook", "it is in use by another program "
                                "(Excel, a sync or backup tool) or the folder is read-only") from None
            _fsync_dir(path.parent)
            return backup, result
        finally:
            try:
                tmp.unlink()
            except FileNotFoundError:
                pass
            except OSError:
                pass


def _hard_links(path: Path) -> int:
    """How many names the file has (1 but for a hard link; NTFS has them too)."""
    try:
        return os.stat(path).st_nlink
    except OSError:
        return 1


def _open_through(path: Path) -> BinaryIO:
    """The workbook opened to be written through (_write_through)."""
    try:
        return open(path, "r+b")
    except OSError as exc:
        raise _os_error(path, exc, "write the workbook", "it is read-only or in use by another program "
                        "(Excel, a sync or backup tool)") from None


def _write_through(tmp: Path, dst: BinaryIO, path: Path, backup: Path) -> None:
    """Copy the whole, fsynced `tmp` into the file `path` itself (`dst`, open), which has
    other names (hard links): replacing it would give `path` a new file and leave the
    other names on the old one, unrefreshed, saying nothing. Not atomic: a copy stopped
    part way (a full disk, Ctrl-C) puts the original's bytes back from `backup`, or says
    to copy it."""
    try:
        with dst, open(tmp, "rb") as src:
            _copy_into(src, dst)
    except BaseException as exc:
        try:
            with open(backup, "rb") as src, open(path, "r+b") as back:
                _copy_into(src, back)
        except BaseException:
            raise WorkbookError(f"{path}: the copy into it stopped part way and it could not be put back: "
                                f"copy its backup {backup} over it") from None
        if isinstance(exc, OSError):
            raise WorkbookError(f"{_os_error(path, exc, 'write the updated workbook')}; nothing was changed") from None
        raise   # (Ctrl-C: the original's bytes are back, as the interruption's message says)


def _copy_into(src: BinaryIO, dst: BinaryIO) -> None:
    """All of `src` into `dst`, from its start, cut to that length, on the disk."""
    shutil.copyfileobj(src, dst, 1 << 20)
    dst.truncate()
    dst.flush()
    os.fsync(dst.fileno())


def _same_as(tmp: Path, original: FileStamp) -> bool:
    """Whether the file written is the original byte for byte: sizes first, the bytes
    (their hash) only when those are equal."""
    try:
        return os.path.getsize(tmp) == original.size and FileStamp.of(tmp).sha256 == original.sha256
    except OSError:
        return False


def same_package(written: Path, original: Path) -> bool:
    """Whether two packages hold the same parts in the same order, each with the same
    name, date, attributes, comment, size and CRC-32, however its bytes were deflated
    (and the same archive comment). A sheet we stream is deflated at a level its size
    picks (_BIG_SHEET), by ISA-L where it is installed, in pieces as the rows come: a
    refresh that changes nothing may still write other bytes, and replacing the file for
    them would keep a backup of nothing. Read from the central directories, not inflated
    (a second pass over both 135 MB sheets of a 100 000-row log was 0.8 s): a CRC-32
    tells apart every change of a burst of up to 32 bits (a date, a digit), and any other
    change of a part's bytes keeping its size with odds of 1 in 2**32; were that met, the
    file would be left as it was."""
    try:
        with zipfile.ZipFile(written) as a, zipfile.ZipFile(original) as b:
            ia, ib = a.infolist(), b.infolist()
            return a.comment == b.comment and len(ia) == len(ib) and all(
                (x.filename, x.date_time, x.external_attr, x.comment, x.file_size, x.CRC)
                == (y.filename, y.date_time, y.external_attr, y.comment, y.file_size, y.CRC) for x, y in zip(ia, ib))
    except (OSError, zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError):
        return False


def saved_path(path: Path) -> Path:
    """The file a save replaces: where a symlink points (replacing the link itself would
    turn it into a copy)."""
    path = Path(path)
    return path.resolve() if path.is_symlink() else path


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


# ====================================================================== package helpers

NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
NS_STRICT = "http://purl.oclc.org/ooxml/spreadsheetml/main"
NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
NS_CT = "http://schemas.openxmlformats.org/package/2006/content-types"
RT_WORKSHEET = NS_REL + "/worksheet"
RT_DRAWING = NS_REL + "/drawing"
RT_CHART = NS_REL + "/chart"
RT_TABLE = NS_REL + "/table"
RT_SST = NS_REL + "/sharedStrings"
RT_STYLES = NS_REL + "/styles"
RT_OFFICE_DOC = NS_REL + "/officeDocument"
RT_COMMENTS = NS_REL + "/comments"
RT_VML = NS_REL + "/vmlDrawing"
CT_WORKSHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
CT_DRAWING = "application/vnd.openxmlformats-officedocument.drawing+xml"
CT_CHART = "application/vnd.openxmlformats-officedocument.drawingml.chart+xml"

XML_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


def _esc(text: str) -> str:
    # (each replace only where needed: a text without the character is scanned once,
    # not copied; on 100 000 summaries 0.03 s where three replaces took 0.1 s)
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    return text


def _esc_attr(text: str) -> str:
    return _esc(text).replace('"', "&quot;")


_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


_ESCAPE_LIKE = re.compile(r"_(x[0-9A-Fa-f]{4}_)")


def _clean_text(text: str) -> str:
    # XML 1.0 forbids control characters; Excel writes them as _xHHHH_, and escapes a
    # literal "_xHHHH_" typed by a person as "_x005F_xHHHH_" so it reads back unchanged.
    if "_" in text and "_x" in text:   # (one character is found 3 times faster than two)
        text = _ESCAPE_LIKE.sub(r"_x005F_\1", text)
    # Printable text (line breaks aside) holds no control character and no U+FFFE/U+FFFF:
    # str.isprintable answers at C speed, the regex took 2.5 us on a summary.
    if text.isprintable() or text.replace("\n", " ").isprintable():
        return text
    return _ILLEGAL_XML.sub(lambda m: f"_x{ord(m.group()):04X}_", text)


def _letter(col: int) -> str:
    """1-based column -> letters."""
    return column_letter(col - 1)


def _resolve(base: str, target: str) -> str:
    """A relationship target relative to the part `base` -> part name without leading '/'."""
    if target.startswith("/"):
        return target.lstrip("/")
    parts = list(PurePosixPath(base).parent.parts)
    for seg in target.split("/"):
        if seg == "..":
            if parts:
                parts.pop()
        elif seg not in ("", "."):
            parts.append(seg)
    return "/".join(parts)


def _rels_name(part: str) -> str:
    p = PurePosixPath(part)
    return str(p.parent / "_rels" / (p.name + ".rels"))


def _relative(from_part: str, to_part: str) -> str:
    return os.path.relpath("/" + to_part, "/" + str(PurePosixPath(from_part).parent)).replace(os.sep, "/")


@dataclass
class _Rel:
    id: str
    type: str
    target: str
    mode: str = ""


def _parse_rels(text: str) -> list[_Rel]:
    root = ET.fromstring(text)
    out = []
    for el in root:
        out.append(_Rel(el.get("Id", ""), el.get("Type", ""), el.get("Target", ""), el.get("TargetMode", "")))
    return out


def _attr(tag: str, name: str) -> str | None:
    m = re.search(rf'(?:^|\s){name}\s*=\s*"([^"]*)"', tag)
    if m is None:
        m = re.search(rf"(?:^|\s){name}\s*=\s*'([^']*)'", tag)
    return m.group(1) if m else None


def _set_attr(tag: str, name: str, value: str) -> str:
    """Set attribute `name` in a start tag string like '<row r="1" spans="1:3">'."""
    if _attr(tag, name) is not None:
        return re.sub(rf'(\s{name}\s*=\s*)(["\'])[^"\']*\2', lambda m: f'{m.group(1)}"{value}"', tag, count=1)
    end = len(tag) - 2 if tag.endswith("/>") else len(tag) - 1
    return f'{tag[:end]} {name}="{value}"{tag[end:]}'


class _Package:
    """The source zip: names in order, text of small parts, raw entries for copying."""

    def __init__(self, path: Path, zf: zipfile.ZipFile):
        self.path = path
        self.zf = zf
        self.infos = zf.infolist()
        self.names = {i.filename: i for i in self.infos}

    def has(self, name: str) -> bool:
        return name in self.names

    def text(self, name: str) -> str:
        try:
            data = self.zf.read(name)
        except (zipfile.BadZipFile, zlib_error, OSError, NotImplementedError) as exc:
            raise WorkbookError(f"{self.path}: the file is damaged (its part {name} cannot be read: {exc}); open it "
                                "in Excel to repair it, or use a backup; nothing was changed") from None
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise WorkbookError(f"{self.path}: the part {name} is not UTF-8 XML; not changed") from None


try:
    from zlib import error as zlib_error
except ImportError:  # pragma: no cover
    zlib_error = OSError


# ====================================================================== styles.xml

class _Styles:
    """Appends what we need to styles.xml and reuses identical entries (so a second
    apply finds the first one's entries and adds nothing)."""

    ORDER = ("numFmts", "fonts", "fills", "borders", "cellStyleXfs", "cellXfs", "cellStyles",
             "dxfs", "tableStyles", "colors", "extLst")

    def __init__(self, text: str, where: str):
        self.text = text
        self.where = where
        self.changed = False
        if re.search(r"<styleSheet\b", text) is None:
            raise WorkbookError(f"{where}: styles.xml uses a form we do not carry (namespace prefixes); not changed")

    def _collection(self, name: str) -> tuple[int, int, int]:
        """(start of element, end of start tag, end of content) ; creates it when absent."""
        m = re.search(rf"<{name}\b[^>]*?(/?)>", self.text)
        if m is None:
            # insert in schema order
            pos = None
            later = self.ORDER[self.ORDER.index(name) + 1:]
            for nxt in later:
                mm = re.search(rf"<{nxt}\b", self.text)
                if mm:
                    pos = mm.start()
                    break
            if pos is None:
                pos = self.text.rindex("</styleSheet>")
            self.text = self.text[:pos] + f'<{name} count="0"></{name}>' + self.text[pos:]
            self.changed = True
            return self._collection(name)
        if m.group(1) == "/":
            tag = m.group(0)[:-2].rstrip() + ">"
            self.text = self.text[:m.start()] + tag + f"</{name}>" + self.text[m.end():]
            self.changed = True
            return self._collection(name)
        end = self.text.index(f"</{name}>", m.end())
        return m.start(), m.end(), end

    def _items(self, name: str, item: str) -> tuple[list[str], int, int, int]:
        start, body, end = self._collection(name)
        items = re.findall(rf"<{item}\b[^>]*?/>|<{item}\b[^>]*?[^/]>.*?</{item}>|<{item}>.*?</{item}>", self.text[body:end], re.S)
        return items, start, body, end

    def _add(self, name: str, item: str, xml: str) -> int:
        items, start, body, end = self._items(name, item)
        if xml in items:
            return items.index(xml)
        # A program that re-saved the file (openpyxl: `<b val="1" />` first among the
        # font's children, `pivotButton="0"` on each xf, no applyNumberFormat) wrote ours
        # in its own spelling: the same style, to reuse, not to add again each refresh.
        want = _style_form(xml)
        for i, existing in enumerate(items):
            if _style_form(existing) == want:
                return i
        self.text = self.text[:end] + xml + self.text[end:]
        tag = self.text[start:body]
        self.text = self.text[:start] + _set_attr(tag, "count", str(len(items) + 1)) + self.text[body:]
        self.changed = True
        return len(items)

    def num_fmt(self, code: str) -> int:
        if code in _BUILTIN_NUM_FMTS:
            return _BUILTIN_NUM_FMTS[code]
        start, body, end = self._collection("numFmts")
        inner = self.text[body:end]
        ids = []
        for m in re.finditer(r"<numFmt\b[^>]*/?>", inner):
            fid = _attr(m.group(0), "numFmtId")
            fcode = _attr(m.group(0), "formatCode")
            if fid is None:
                continue
            ids.append(int(fid))
            if fcode is not None and _unesc(fcode) == code:
                return int(fid)
        new_id = max([163, *ids]) + 1
        self._add("numFmts", "numFmt", f'<numFmt numFmtId="{new_id}" formatCode="{_esc_attr(code)}"/>')
        return new_id

    def bold_font(self) -> int:
        items, *_ = self._items("fonts", "font")
        base = items[0] if items else "<font><sz val=\"11\"/><name val=\"Calibri\"/></font>"
        if "<b/>" in base:
            return 0
        if base.endswith("/>"):
            xml = "<font><b/></font>"
        else:
            i = base.index(">") + 1
            xml = "<font>" + "<b/>" + base[i:]
        return self._add("fonts", "font", xml)

    def xf(self, num_fmt: int = 0, font: int = 0, wrap: bool = False) -> int:
        attrs = f'numFmtId="{num_fmt}" fontId="{font}" fillId="0" borderId="0" xfId="0"'
        if num_fmt:
            attrs += ' applyNumberFormat="1"'
        if font:
            attrs += ' applyFont="1"'
        if wrap:
            xml = f'<xf {attrs} applyAlignment="1"><alignment vertical="top" wrapText="1"/></xf>'
        else:
            xml = f"<xf {attrs}/>"
        return self._add("cellXfs", "xf", xml)

    def find_xf(self, xml: str) -> int | None:
        """The index of the cell style `xml` in cellXfs (in any spelling), or None."""
        items, *_ = self._items("cellXfs", "xf")
        if xml in items:
            return items.index(xml)
        want = _style_form(xml)
        return next((i for i, existing in enumerate(items) if _style_form(existing) == want), None)

    def fitted_xf(self, xf: int, num_fmt: int | None, wrap: bool) -> str | None:
        """The user's cell style `xf` (a cell of one of our columns they formatted: bold
        red, a fill, their own date format) fitted to our values, as XML; None when it
        suits them as it is: any date format of theirs for our dates (dd.mm.yyyy for a
        Russian user), our number format otherwise, wrapping on for a wrapped column.
        What is missing is set on a copy of theirs, their font, fill and border kept."""
        items, *_ = self._items("cellXfs", "xf")
        if not 0 <= xf < len(items):
            return None   # (no style of this file: the cell keeps what it had)
        xml = items[xf]
        tag = re.match(r"<xf\b[^>]*>", xml).group(0)
        theirs = int(_attr(tag, "numFmtId") or 0)
        set_fmt = num_fmt is not None and theirs != num_fmt and not (
            self.is_date_format(num_fmt) and self.is_date_format(theirs))
        align = re.search(r"<alignment\b[^>]*>", xml)
        set_wrap = wrap and (align is None or (_attr(align.group(0), "wrapText") or "0") not in ("1", "true"))
        if not (set_fmt or set_wrap):
            return None
        new_tag = tag
        if set_fmt:
            new_tag = _set_attr(_set_attr(new_tag, "numFmtId", str(num_fmt)), "applyNumberFormat", "1")
        if set_wrap:
            new_tag = _set_attr(new_tag, "applyAlignment", "1")
            if align is not None:
                new_align = _set_attr(align.group(0), "wrapText", "1")
                if _attr(new_align, "vertical") is None:
                    new_align = _set_attr(new_align, "vertical", "top")
                xml = xml.replace(align.group(0), new_align, 1)
            elif tag.endswith("/>"):   # (alignment is an xf's first child)
                new_tag = new_tag[:-2].rstrip() + '><alignment vertical="top" wrapText="1"/></xf>'
            else:
                new_tag += '<alignment vertical="top" wrapText="1"/>'
        return new_tag + xml[len(tag):]

    def add_xf(self, xml: str) -> int:
        return self._add("cellXfs", "xf", xml)

    def is_date_format(self, num_fmt: int) -> bool:
        if num_fmt in _BUILTIN_DATE_FMTS:
            return True
        for m in re.finditer(r"<numFmt\b[^>]*/?>", self.text):
            if _attr(m.group(0), "numFmtId") == str(num_fmt):
                return _is_date_code(_unesc(_attr(m.group(0), "formatCode") or ""))
        return False

    def dxf(self, fill: str, font: str | None) -> int:
        xml = "<dxf>"
        if font:
            xml += f'<font><color rgb="{_argb(font)}"/></font>'
        xml += f'<fill><patternFill><bgColor rgb="{_argb(fill)}"/></patternFill></fill></dxf>'
        return self._add("dxfs", "dxf", xml)


# Attributes that say what their absence says: an xf's flags that default to off, the
# apply* flags (absent, Excel and LibreOffice apply the xf's format: openpyxl writes
# none), a font's on/off properties (<b/> is <b val="1"/>), the underline's kind.
_STYLE_DEFAULTS = {
    "xf": {"pivotButton": "0", "quotePrefix": "0", "xfId": "0", "applyNumberFormat": "1", "applyFont": "1",
           "applyFill": "1", "applyBorder": "1", "applyAlignment": "1", "applyProtection": "1"},
    **dict.fromkeys(("b", "i", "strike", "condense", "extend", "outline", "shadow"), {"val": "1"}),
    "u": {"val": "single"},
}


@lru_cache(maxsize=1 << 16)
def _style_form(xml: str) -> tuple | None:
    """A style entry (xf, font, dxf...) as parsed, to compare: whatever the spelling
    (quotes, spaces, empty-element tags, attribute order, true for 1, an attribute at its
    default or left out) and the order of its children (each says what it sets: their
    order says nothing); None if unparsable."""
    def form(el: ET.Element) -> tuple:
        tag = el.tag.rpartition("}")[2]
        defaults = _STYLE_DEFAULTS.get(tag, {})
        attrs = []
        for k, v in el.attrib.items():
            v = {"true": "1", "false": "0"}.get(v.strip(), v.strip())
            if defaults.get(k) != v:
                attrs.append((k, v))
        return tag, sorted(attrs), (el.text or "").strip(), sorted(form(c) for c in el)
    try:
        return form(ET.fromstring(xml))
    except ET.ParseError:
        return None


# Number formats every reader knows by id (ECMA-376 18.8.30), those that read alike in
# every locale: a program that re-saves the file (openpyxl) writes "0%" as id 9 and drops
# a numFmt of ours that spells it, so ours would come back each refresh.
_BUILTIN_NUM_FMTS = {
    "General": 0, "0": 1, "0.00": 2, "#,##0": 3, "#,##0.00": 4, "0%": 9, "0.00%": 10, "0.00E+00": 11,
    "# ?/?": 12, "# ??/??": 13, "mm-dd-yy": 14, "d-mmm-yy": 15, "d-mmm": 16, "mmm-yy": 17,
    "h:mm AM/PM": 18, "h:mm:ss AM/PM": 19, "h:mm": 20, "h:mm:ss": 21, "m/d/yy h:mm": 22,
    "mm:ss": 45, "[h]:mm:ss": 46, "mmss.0": 47, "##0.0E+0": 48, "@": 49,
}


# The built-in number formats that show a date or a time (ECMA-376 18.8.30; 27-36 and
# 50-58 are the East Asian locales' dates).
_BUILTIN_DATE_FMTS = frozenset([*range(14, 23), *range(27, 37), 45, 46, 47, *range(50, 59)])
# What a number format's code holds besides its tokens: quoted text, escaped and padding
# characters, colours and locales in brackets ([h], [mm], [ss] are elapsed time: tokens).
_NOT_TOKENS = re.compile(r'"[^"]*"|\\.|[_*].|\[(?![hms]+\])[^\]]*\]', re.I)


def _is_date_code(code: str) -> bool:
    """Whether a number format's code shows a date or a time (dd.mm.yyyy, dd mmm, [h]:mm)."""
    return re.search(r"[dmyhs]", _NOT_TOKENS.sub("", code), re.I) is not None


def _unesc(s: str) -> str:
    return s.replace("&quot;", '"').replace("&apos;", "'").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _argb(rgb: str) -> str:
    rgb = rgb.lstrip("#").upper()
    if not re.fullmatch(r"[0-9A-F]{6}|[0-9A-F]{8}", rgb):
        raise WorkbookError(f"colour {rgb!r} is not an RGB hex value such as FFC7CE")
    return rgb if len(rgb) == 8 else "FF" + rgb


# ====================================================================== cells

_EPOCH_1900 = datetime(1899, 12, 30)
_EPOCH_1904 = datetime(1904, 1, 1)


_REPEATED = (date, datetime, type(None))


class _CellWriter:
    def __init__(self, date1904: bool, date_style: int, datetime_style: int):
        self.epoch = _EPOCH_1904 if date1904 else _EPOCH_1900
        self.date_style = date_style
        self.datetime_style = datetime_style
        self._cache: dict[tuple[type, Any, int | None], str] = {}

    def serial(self, value: date | datetime) -> float:
        if isinstance(value, datetime):
            if value.tzinfo is not None:
                value = value.replace(tzinfo=None)
            delta = value - self.epoch
        else:
            delta = datetime.combine(value, time(0)) - self.epoch
        days = delta.days + delta.seconds / 86400 + delta.microseconds / 86_400_000_000
        return round(days, 10)

    def cell(self, ref: str, value: Any, style: int | None) -> str:
        """XML of one cell, or '' for None without a style."""
        # Statuses, dates, styled blanks and other short values repeat on thousands of
        # rows: build each once.
        if (type(value) is str and len(value) <= 64) or type(value) in _REPEATED:
            key = (type(value), value, style)
            tail = self._cache.get(key)
            if tail is None:
                tail = self._cell(ref, value, style)[len(ref) + 7:]
                if len(self._cache) < 4096:
                    self._cache[key] = tail
            return f'<c r="{ref}"{tail}' if tail else ""
        return self._cell(ref, value, style)

    def _cell(self, ref: str, value: Any, style: int | None) -> str:
        s = f' s="{style}"' if style else ""
        if type(value) is str and value:
            return self._text(ref, s, value)
        if value is None or value == "":
            return f'<c r="{ref}"{s}/>' if style else ""
        if isinstance(value, bool):
            return f'<c r="{ref}"{s} t="b"><v>{int(value)}</v></c>'
        if isinstance(value, (int, float)):
            if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
                return f'<c r="{ref}"{s} t="e"><v>#NUM!</v></c>'
            return f'<c r="{ref}"{s}><v>{_num(value)}</v></c>'
        if isinstance(value, (datetime, date)):
            if not style:
                style = self.datetime_style if isinstance(value, datetime) else self.date_style
                s = f' s="{style}"'
            return f'<c r="{ref}"{s}><v>{_num(self.serial(value))}</v></c>'
        if isinstance(value, time):
            secs = value.hour * 3600 + value.minute * 60 + value.second
            return f'<c r="{ref}"{s}><v>{_num(round(secs / 86400, 10))}</v></c>'
        return self._text(ref, s, str(value))

    @staticmethod
    def _text(ref: str, s: str, text: str) -> str:
        if len(text) > _CELL_MAX // 2:   # (shorter fits even if every character counts 2)
            text = _fit_cell(text)
        text = _clean_text(text)
        sp = ' xml:space="preserve"' if text != text.strip() or "\n" in text else ""
        return f'<c r="{ref}"{s} t="inlineStr"><is><t{sp}>{_esc(text)}</t></is></c>'

    @staticmethod
    def _text_utf8(lead: bytes, s: str, text: str) -> bytes:
        """`_text`'s cell as UTF-8, `lead` being its `<c r="A1"` (the rows are patched as
        UTF-8). A text that fits a cell, holds no `_x` and no character XML forbids is
        what `_text` keeps: it is escaped as bytes. Whether it holds a control character
        is asked of its UTF-8 (one C pass: 0.05 s on 100 000 summaries, where
        str.isprintable after replacing its line breaks took 0.16 s)."""
        if len(text) > _CELL_MAX // 2 or ("_" in text and "_x" in text) or "\ufffe" in text or "\uffff" in text:
            return lead + _CellWriter._text("", s, text)[7:].encode()
        b = text.encode()
        if len(b.translate(None, _C0)) != len(b):
            return lead + _CellWriter._text("", s, text)[7:].encode()
        b = b.replace(b"&", b"&amp;").replace(b"<", b"&lt;").replace(b">", b"&gt;")
        preserve = "\n" in text or text != text.strip()
        return b"".join((lead, _TEXT_OPEN[s, preserve], b, b"</t></is></c>"))


# The characters below U+0020 XML forbids (_ILLEGAL_XML's), as UTF-8 bytes.
_C0 = bytes(c for c in range(0x20) if c not in b"\t\n\r")


class _TextOpen(dict):
    """(the cell's ` s="n"` or "", xml:space="preserve") -> what a text cell holds
    between its reference and its text, as UTF-8."""

    def __missing__(self, key: tuple[str, bool]) -> bytes:
        s, preserve = key
        sp = ' xml:space="preserve"' if preserve else ""
        self[key] = value = f'{s} t="inlineStr"><is><t{sp}>'.encode()
        return value


_TEXT_OPEN = _TextOpen()

# Excel holds at most this many characters in a cell, counted in UTF-16 code units (a
# character outside the BMP, an emoji, counts 2); a longer one makes it call the file corrupt.
_CELL_MAX = 32767


def _fit_cell(text: str) -> str:
    """`text` cut to fit a cell, ending with "…" when cut (a long call note makes a
    longer summary). Counted before _clean_text: Excel counts the text its escapes stand for."""
    if len(text.encode("utf-16-le", "surrogatepass")) <= 2 * _CELL_MAX:
        return text
    keep = _CELL_MAX - 1   # room for the "…"
    while (over := len(text[:keep].encode("utf-16-le", "surrogatepass")) // 2 - (_CELL_MAX - 1)) > 0:
        keep -= (over + 1) // 2   # dropping n characters frees n to 2n units
    return text[:keep] + "…"


def _num(v: int | float) -> str:
    if isinstance(v, int):
        return str(v)
    if v.is_integer() and abs(v) < 1e15:
        return str(int(v))
    return repr(v)


# ====================================================================== the log sheet

@dataclass
class _Col:
    spec: ColumnWrite
    col: int                 # 1-based
    letter: str
    added: bool
    style: int | None        # our xf for values, None = keep the cell's own
    num_fmt: int | None = None   # our number format's id (its values' format)


_ROW_RE = re.compile(r"<row\b([^>]*?)(?:/>|>(.*?)</row>)", re.S)
_EMPTY_STYLED = re.compile(rb'<c r="([A-Z]{1,3})(\d+)" s="(\d+)"(?: t="[a-zA-Z]+")?\s*/>')   # (a cell the user formatted, empty)


def _row_style(tag: str) -> str | None:
    """The style of a row the user formatted whole (`<row r="5" s="3" customFormat="1">`:
    banded rows, a bold header row), or None. Its cells that do not exist show it; one
    written without `s` would show style 0 (ECMA-376 18.3.1.73 and 18.3.1.4): Excel gives
    a cell typed into such a row the row's style, so do we to the cells we add."""
    if "customFormat" not in tag or (_attr(tag, "customFormat") or "").strip() not in ("1", "true"):
        return None
    style = (_attr(tag, "s") or "").strip()
    return style if style.isdigit() and style != "0" else None


def _column_styles(head: str, cols: list[_Col]) -> dict[int, str]:
    """Column -> the style the user gave the whole column (`<col min="14" max="20" style="3"/>`),
    for our columns it falls on: a cell we add there takes it, unless its row has one
    (`_row_style`), as one typed into it in Excel does (ECMA-376 18.3.1.13: "affects cells
    not yet allocated in the column")."""
    out: dict[int, str] = {}
    if "style" not in head:
        return out
    for cm in _COLS_RE.finditer(head):
        for x in re.finditer(r"<col\b[^>]*?(?:/>|>\s*</col>)", cm.group(1)):
            lo, hi, style = ((_attr(x.group(0), a) or "").strip() for a in ("min", "max", "style"))
            if lo.isdigit() and hi.isdigit() and style.isdigit() and style != "0":
                for c in cols:
                    if int(lo) <= c.col <= int(hi):
                        out.setdefault(c.col, style)
    return out


_CELL_REF_RE = re.compile(r'<c\b[^>]*?\br="([A-Z]+)(\d+)"')
_CELL_RE = re.compile(r"<c\b([^>]*?)(?:/>|>(.*?)</c>)", re.S)


def _read_head(pkg: _Package, part: str, header_row: int) -> tuple[str, str | None]:
    """Everything before <sheetData>, and the XML of the header row (None when absent)."""
    head = ""
    with pkg.zf.open(part) as raw:
        dec = codecs.getincrementaldecoder("utf-8-sig")()
        buf = ""
        rownum = 0
        while True:
            chunk = raw.read(1 << 20)
            buf += dec.decode(chunk, final=not chunk)
            if not head:
                m = re.search(r"<sheetData\b[^>]*?(/?)>", buf)
                if m is None:
                    if re.search(r"<\w+:worksheet\b", buf[:4096]):
                        raise WorkbookError(f"{pkg.path}: the sheet part {part} uses a form we do not carry "
                                            "(namespace prefixes); nothing was changed")
                    if not chunk:
                        raise WorkbookError(f"{pkg.path}: the sheet part {part} has no <sheetData>; nothing was changed")
                    continue
                head = buf[: m.start()]
                if m.group(1):
                    return head, None
                buf = buf[m.end():]
            last_end = 0
            for rm in _ROW_RE.finditer(buf):
                r = _attr(rm.group(1), "r")
                rownum = int(r) if r is not None else rownum + 1
                if rownum == header_row:
                    return head, rm.group(0)
                if rownum > header_row:
                    return head, None
                last_end = rm.end()
            if "</sheetData>" in buf or not chunk:
                return head, None
            buf = buf[last_end:]


def _header_cells(row_xml: str | None, sst: Callable[[int], str]) -> dict[int, str]:
    """1-based column -> header text of the header row."""
    out: dict[int, str] = {}
    if not row_xml:
        return out
    inner = row_xml[row_xml.index(">") + 1:] if not row_xml.endswith("/>") else ""
    col = 0
    for m in _CELL_RE.finditer(inner):
        ref = _attr(m.group(1), "r")
        col = _parse_ref(ref)[0] if ref else col + 1
        t = _attr(m.group(1), "t") or "n"
        body = m.group(2) or ""
        text = ""
        if t == "s":
            v = re.search(r"<v>(.*?)</v>", body, re.S)
            if v:
                text = sst(int(v.group(1)))
        elif t == "inlineStr":
            text = "".join(_unesc(x) for x in re.findall(r"<t\b[^>]*>(.*?)</t>", body, re.S))
        else:
            v = re.search(r"<v>(.*?)</v>", body, re.S)
            text = _unesc(v.group(1)) if v else ""
        out[col] = text
    return out


def _shared_strings_reader(pkg: _Package, part: str | None) -> Callable[[int], str]:
    """Lazily read sharedStrings only as far as the indexes asked for."""
    cache: list[str] = []
    state: dict[str, Any] = {}

    def get(i: int) -> str:
        if part is None or not pkg.has(part):
            return ""
        if "it" not in state:
            state["f"] = pkg.zf.open(part)
            state["it"] = ET.iterparse(state["f"], events=("end",))
        while len(cache) <= i and state.get("it") is not None:
            try:
                ev, el = next(state["it"])
            except StopIteration:
                state["it"] = None
                break
            except ET.ParseError:
                raise WorkbookError(f"{pkg.path}: {part} is not well-formed XML; not changed") from None
            if el.tag == f"{{{NS_MAIN}}}si":
                cache.append("".join(t.text or "" for t in el.iter(f"{{{NS_MAIN}}}t")
                                     if not _inside_rph(el, t)))
                el.clear()
        return cache[i] if i < len(cache) else ""

    return get


def _inside_rph(si: ET.Element, t: ET.Element) -> bool:
    for rph in si.iter(f"{{{NS_MAIN}}}rPh"):
        if t in list(rph):
            return True
    return False


class _LogSheet:
    """Streams the call-log sheet's rows with our columns patched in."""

    def __init__(self, plan: WritePlan, cols: list[_Col], cells: _CellWriter, styles: _Styles | None = None,
                 date_fmts: tuple[int, int] = (0, 0), col_styles: dict[int, str] | None = None):
        """`styles`: where the user's styles of our cells are fitted (`_users_style`);
        `date_fmts`: the number formats of our dates and date-times without one of their column's;
        `col_styles`: the styles of our columns the user formatted whole (`_column_styles`)."""
        self.plan = plan
        self.col_styles = col_styles or {}
        self.styles = styles
        self.date_fmts = date_fmts
        self.fitted: dict[tuple, int | str | None] = {}
        self.made: dict[str, int | str] = {}   # the copies of the user's styles this write added (_users_style)
        self.in_child = False   # patching rows in a forked child: its parent adds the styles (_Split)
        self.cols = sorted(cols, key=lambda c: c.col)
        self.cells = cells
        self.written = 0
        self.cleared = 0
        self.last_row = 0
        self.lo, self.hi = plan.first_data_row, plan.last_data_row
        want = set()
        for c in self.cols:
            values = c.spec.values
            if None in values.values() or "" in values.values():
                want.update(r for r, v in values.items() if v is not None and v != "")
            else:   # (every value is one: its rows at C speed, 0.01 s a column of 100 000)
                want.update(values)
        self.valued = max(want, default=0)   # the last row with a value (before the header's)
        self.adds_header = any(c.added for c in self.cols)
        if self.adds_header:
            want.add(plan.header_row)
        self.pending = sorted(want, reverse=True)   # rows that must exist; pop() = smallest
        self.max_col = max((c.col for c in self.cols), default=0)
        # when every column is new, rows without a value need nothing: skip them fast
        self.only_added = bool(self.cols) and all(c.added for c in self.cols)
        self.rows_with_values = set().union(*(c.spec.values.keys() for c in self.cols)) if self.cols else set()
        self.where = plan.sheet
        self.path, self.sheet_name = None, plan.sheet   # (_rewrite names the file and the sheet as named)
        # When every column is new (a first refresh) or every one is there already (each
        # later refresh), rows are patched in place (`_in_place`), their cells built a
        # block of rows at a time as the rows stream past (so the sheet before them is
        # deflated on the other core meanwhile), rather than cell by cell.
        self.in_place = self.only_added or (bool(self.cols) and not any(c.added for c in self.cols))
        self.tails: dict[int, str] | None = {} if self.in_place else None
        self.value_rows = sorted(self.rows_with_values)
        self.built = 0            # value_rows[:built] have their tails
        self.built_to = -1        # every value row below this has its tail
        self.spans: dict[str, str] = {}
        self.cell_tails = {c.col: _CellTails(cells, c.letter, c.style, self._fit(c, self.col_styles.get(c.col)))
                           for c in self.cols}
        self.cell_utf8 = {col: _Encoded(tails) for col, tails in self.cell_tails.items()}
        self.spans_utf8: dict[bytes, bytes] = {}
        self.cells_in: dict[int, int] = {}   # value row -> how many cells its UTF-8 tail holds
        self.by_col = {c.col: c for c in self.cols}
        self.users_cells: dict[tuple[int, Any], _Encoded] = {}   # (`_fitted_row`)

    def _todo(self, rownum: int) -> list[tuple[_Col, str, Any]]:
        """(column, "header" | "value" | "clear", value) for this row."""
        out = []
        for c in self.cols:
            if rownum == self.plan.header_row:
                if c.added:
                    out.append((c, "header", c.spec.header))
            elif rownum in c.spec.values:
                out.append((c, "value", c.spec.values[rownum]))
            elif self.lo <= rownum <= self.hi:
                out.append((c, "clear", None))
        return out

    def _cell(self, c: _Col, rownum: int, kind: str, value: Any, existing_style: str | None) -> str:
        ref = f"{c.letter}{rownum}"
        if kind == "header":   # (in a cell the user formatted, a header row filled on: theirs kept)
            s = f' s="{existing_style}"' if existing_style and existing_style != "0" else ""
            return f'<c r="{ref}"{s} t="inlineStr"><is><t>{_esc(_clean_text(c.spec.header))}</t></is></c>'
        style: int | None = c.style
        if existing_style and existing_style != "0":
            style = self._users_style(c, existing_style, value)
        if kind == "clear":
            return f'<c r="{ref}" s="{style}"/>' if style else ""
        return self.cells.cell(ref, value, style)

    def _users_style(self, c: _Col, existing: str, value: Any) -> int | None:
        """The style of a cell of ours the user formatted: theirs kept (bold red, a fill,
        their own date format), with only what our value needs and theirs lacks (our date
        format on a text format, wrapping on a summary) set on a copy of it. A copy not
        in styles.xml yet is added to it as the rows stream (styles.xml is written after
        the sheet: _rewrite), the next index in the order the rows first need them; in a
        forked child, which cannot add to its parent's styles.xml, it is a mark the
        parent replaces with the index it gives it (`_style_mark`, _Split)."""
        key = (c.col, existing, type(value))
        style = self.fitted.get(key, _ABSENT)
        if style is not _ABSENT:
            return style
        if not existing.isdigit() or self.styles is None or int(existing) in (
                c.style, self.cells.date_style, self.cells.datetime_style):
            style = c.style   # (ours: as the cells we write are, where the value picks the date's)
        else:
            fmt = c.num_fmt
            if fmt is None and isinstance(value, (date, datetime)):
                fmt = self.date_fmts[isinstance(value, datetime)]
            want = self.styles.fitted_xf(int(existing), fmt, c.spec.wrap)
            style = int(existing) if want is None else self.styles.find_xf(want)
            if style is None:
                style = self.made.get(want)
            if style is None:
                style = self.made[want] = _style_mark(len(self.made)) if self.in_child else self.styles.add_xf(want)
        self.fitted[key] = style
        return style

    def _fit(self, c: _Col, users: str | None) -> Callable[[Any], int | str | None] | None:
        """The style of a value of ours in a cell of column `c` the user's style `users`
        falls on (a row or a column they formatted whole), or None without one."""
        return None if users is None else lambda value: self._users_style(c, users, value)

    def _blank(self, c: _Col, row_style: str | None) -> str | None:
        """The style a cell we add to column `c` takes before ours is fitted to it, as
        Excel gives one typed into it: its row's (`_row_style`), else its column's."""
        return row_style or self.col_styles.get(c.col)

    def _new_row(self, rownum: int) -> str:
        parts = [self._cell(c, rownum, k, v, None if k == "clear" else self._blank(c, None))
                 for c, k, v in self._todo(rownum)]
        parts = [p for p in parts if p]
        self.written += len(parts)
        return f'<row r="{rownum}">' + "".join(parts) + "</row>" if parts else ""

    def _patch_row(self, tag: str, body: str, rownum: int) -> str | None:
        last = _last_col(body)
        if self.cols and last < self.cols[0].col and rownum != self.plan.header_row:
            return self._append_to_row(tag, body, rownum, last)
        todo = self._todo(rownum)
        if not todo:
            return None
        row_style = _row_style(tag)
        changed = False
        numbered = False
        # Cells right of the row's last cell cannot exist yet: they are appended without
        # searching the row (the common case, our columns being the rightmost).
        appended: list[str] = []
        for c, kind, value in todo:
            if c.col > last:
                if kind != "clear":
                    new = self._cell(c, rownum, kind, value, self._blank(c, row_style))
                    if new:
                        appended.append(new)
                        self.written += 1
                continue
            needle = f' r="{c.letter}{rownum}"'
            idx = body.rfind(needle)
            # (a row whose last cell has an r attribute is taken to have them all)
            if idx < 0 and not numbered and last >= _UNSURE and body.count("<c") != body.count(' r="'):
                body = _number_cells(body, rownum)
                numbered = changed = True
                idx = body.rfind(needle)
            if idx >= 0:
                start = body.rfind("<c", 0, idx)
                tag_end = body.find(">", idx)
                end = tag_end + 1 if body[tag_end - 1] == "/" else body.find("</c>", tag_end) + 4
                old = body[start:end]
                self._keep_formulas(c, rownum, old)
                if c.added and _CELL_VALUE_RE.search(old):
                    # the sheet's dimension lied: this column is the user's, not empty
                    raise WorkbookError(
                        f"{self.where}: cell {c.letter}{rownum} holds data although the sheet says column {c.letter} "
                        "is unused; nothing was changed (open and save the workbook in Excel, then run again)")
                k = body.find(' s="', start, tag_end)
                existing = body[k + 4:body.index('"', k + 4)] if k >= 0 else None
                new = self._cell(c, rownum, kind, value, existing)
                if kind == "clear" and _CELL_VALUE_RE.search(old):
                    self.cleared += 1
                elif kind != "clear":
                    self.written += 1
                if new != old:
                    body = body[:start] + new + body[end:]
                    changed = True
            elif kind != "clear":
                new = self._cell(c, rownum, kind, value, self._blank(c, row_style))
                if new:
                    if not numbered and "<c" in body and body.count("<c") != body.count(' r="'):
                        body = _number_cells(body, rownum)
                        numbered = True
                    pos = _insert_pos(body, c.col)
                    body = body[:pos] + new + body[pos:]
                    self.written += 1
                    changed = True
        if appended:
            body += "".join(appended)
            changed = True
        if not changed:
            return None
        if not numbered and "<c" in body and body.count("<c") != body.count(' r="'):
            # (a row of cells some without a position, rewritten: all numbered now, as
            # the next refresh, finding ours gone, would number them)
            body = _number_cells(body, rownum)
        return self._row_tag(tag, last) + body + "</row>"

    def _keep_formulas(self, c: "_Col", rownum: int, cell: str) -> None:
        """Refused: writing over a formula. Ours are values, so a formula in a column we
        write is the user's (their own Status worked out from Outcome, its results like
        our labels); replacing it would lose it, and a shared formula's first cell would
        leave the cells below it pointing at nothing."""
        if "<f" in cell and _FORMULA_RE.search(cell):
            raise WorkbookError(formula_refusal(f"{c.letter}{rownum}", c.spec.header, self.sheet_name, self.path))

    def _append_to_row(self, tag: str, body: str, rownum: int, last: int) -> str | None:
        """`_patch_row` of a data row whose last cell is left of all our columns (the
        usual case): our values are appended, there is nothing to clear."""
        row_style = _row_style(tag)
        if self.tails is not None and row_style is None:
            tail = self._tail(rownum)
            self.tails.pop(rownum, None)
            if not tail:
                return None
            self.written += tail.count("<c ")
            return self._row_tag(tag, last) + body + tail + "</row>"
        if self.tails is not None:
            self.tails.pop(rownum, None)
        cells = []
        for c in self.cols:
            values = c.spec.values
            if rownum in values:
                new = self._cell(c, rownum, "value", values[rownum], self._blank(c, row_style))
                if new:
                    cells.append(new)
        if not cells:
            return None
        self.written += len(cells)
        return self._row_tag(tag, last) + body + "".join(cells) + "</row>"

    def _row_tag(self, tag: str, last: int) -> str:
        """The row's start tag, its spans widened to our columns."""
        if self.max_col > last and ' spans="' in tag:
            # (str.find, not _attr/_set_attr: two regexes per row were a fifth of the time)
            k = tag.index(' spans="') + 8
            e = tag.index('"', k)
            tag = f"{tag[:k]}{self._spans(tag[k:e])}{tag[e:]}"
        if tag.endswith("/>"):
            tag = tag[:-2].rstrip() + ">"
        return tag

    def _in_place(self, region: str, start: int, te: int, ce: int, pos: int, out: list[str]) -> int:
        """`patch_rows` of the row from `start` to `ce` (its `</row>`) in the usual cases,
        without slicing the row apart: a numbered data row whose cells all lie left of
        ours gets our cells appended (a first refresh), one that ends with our cells gets
        them replaced (every later one). Returns the new `pos`, or -1 for a row the
        general path must see."""
        k = region.find(' r="', start, te)
        e = region.find('"', k + 4, te) if k >= 0 else -1
        if e < 0 or not region[k + 4:e].isdigit():
            return -1
        rownum = int(region[k + 4:e])
        pending = self.pending
        if (pending and pending[-1] < rownum) or rownum == self.plan.header_row or region.find("<extLst", te, ce) >= 0:
            return -1   # rows to make before this one, the header, or a row with more than cells
        if not self.only_added and not self.lo <= rownum <= self.hi:
            return -1
        if pending and pending[-1] == rownum:
            pending.pop()
        self.last_row = rownum
        if self.only_added:
            moved = self._append(region, start, te, ce, pos, out, rownum)
        else:
            moved = self._replace(region, start, te, ce, pos, out, rownum)
        if moved >= 0:
            self.tails.pop(rownum, None)
        return moved

    def _append(self, region: str, start: int, te: int, ce: int, pos: int, out: list[str], rownum: int) -> int:
        last = _last_col_in(region, te, ce)
        if last >= self.cols[0].col:
            # (cells of the user's where ours go: cleared on a log's row, `_patch_row`;
            # or cells without a position among them: the general path numbers them)
            return -1 if rownum in self.rows_with_values or self.lo <= rownum <= self.hi else pos
        if rownum not in self.rows_with_values:
            return pos
        if region.find("customFormat", start, te) >= 0 and _row_style(region[start:te + 1]):
            return -1   # (a row the user formatted whole: our cells take its style)
        tail = self._tail(rownum)
        if not tail:
            return pos
        self.written += tail.count("<c ")
        s = region.find(' spans="', start, te) if self.max_col > last else -1
        if s >= 0:
            s += 8
            se = region.find('"', s, te)
            out += [region[pos:s], self._spans(region[s:se]), region[se:ce], tail]
        else:
            out += [region[pos:ce], tail]
        return ce

    def _replace(self, region: str, start: int, te: int, ce: int, pos: int, out: list[str], rownum: int) -> int:
        """`_patch_row` of a data row whose cells from our first column on are ours only,
        each written `<c r="..."`: those cells are built anew and put in place of the old."""
        first = self.cols[0].col
        tail = self._tail(rownum)
        if region.startswith(tail, ce - len(tail), ce) and self._left_of(region, te, ce - len(tail), first):
            # The row ends with the very cells we would write (most rows, most days).
            self.written += tail.count("<c ")
            return pos
        if region.count("<c", te, ce) != region.count(' r="', te, ce):
            return -1   # cells without a position: the general path numbers them
        old: dict[int, str] = {}
        end, suffix = ce, ce
        while True:   # the row's cells from the last one back to our first column
            k = region.rfind("<c ", te, end)
            if k < 0:
                break
            if not region.startswith('<c r="', k):
                return -1
            m = _LETTERS.match(region, k + 6)
            col = _column_of(m.group()) if m else _UNSURE
            if col < first:
                break
            tag_end = region.find(">", k, end)
            cell_end = tag_end + 1 if region[tag_end - 1] == "/" else region.find("</c>", tag_end, end) + 4
            if col not in self.by_col or col in old or cell_end != end or (old and col > min(old)):
                return -1   # a cell of the user's right of ours, or cells out of order
            old[col] = region[k:end]
            self._keep_formulas(self.by_col[col], rownum, old[col])
            end = suffix = k
        last = max(old) if old else _last_col_in(region, te, ce)
        parts = []
        for c in self.cols:
            values = c.spec.values
            kind, value = ("value", values[rownum]) if rownum in values else ("clear", None)
            cell = old.get(c.col)
            if cell is None:
                new = self._cell(c, rownum, kind, value, self._blank(c, _row_style(region[start:te + 1]))) \
                    if kind != "clear" else ""
                if new:
                    self.written += 1
            else:
                tag_end = cell.find(">")
                k = cell.find(' s="', 0, tag_end)
                new = self._cell(c, rownum, kind, value, cell[k + 4:cell.index('"', k + 4)] if k >= 0 else None)
                if kind != "clear":
                    self.written += 1
                elif _CELL_VALUE_RE.search(cell):
                    self.cleared += 1
            parts.append(new)
        cells = "".join(parts)
        if cells == region[suffix:ce]:
            return pos
        out += [region[pos:start], self._row_tag(region[start:te + 1], last), region[te + 1:suffix], cells]
        return ce

    @staticmethod
    def _left_of(region: str, te: int, end: int, first: int) -> bool:
        """Whether the last cell before `end` (if any) lies left of column `first`."""
        k = region.rfind("<c", te, end)
        if k < 0:
            return True
        m = _LETTERS.match(region, k + 6) if region.startswith('<c r="', k) else None
        return m is not None and _column_of(m.group()) < first

    def _tail(self, rownum: int) -> str:
        """Our cells on the row, left to right, as `_append_to_row` builds them."""
        if rownum >= self.built_to:
            self._build(rownum)
        tail = self.tails.get(rownum, "")
        return tail.decode() if type(tail) is bytes else tail

    def _tail_bytes(self, rownum: int) -> bytes:
        """`_tail` as UTF-8 (the blocks are built so, as `patch_bytes` asks for them)."""
        if rownum >= self.built_to:
            self._build(rownum, utf8=True)
        tail = self.tails.get(rownum, b"")
        return tail if type(tail) is bytes else tail.encode()

    def _build(self, rownum: int, utf8: bool = False) -> None:
        """The tails of the next value rows: up to `rownum`, and at least a block; as
        UTF-8 when `utf8`."""
        rows = self.value_rows
        i = self.built
        j = min(len(rows), max(bisect.bisect_right(rows, rownum), i + _BLOCK))
        block = rows[i:j]
        self.built = j
        self.built_to = rows[j] if j < len(rows) else 1 << 62
        if utf8:
            self._build_utf8(block)
            return
        columns = []
        for c in self.cols:
            values, letter, built = c.spec.values, c.letter, self.cell_tails[c.col]
            s = built.long_style()
            out = []
            for r in block:
                v = values.get(r, _ABSENT)
                if v is _ABSENT:
                    out.append("")
                elif type(v) is str and len(v) > _LONG:
                    out.append(_CellWriter._text(f"{letter}{r}", s, v))
                else:
                    tail = built[(type(v), v)]
                    out.append(f'<c r="{letter}{r}"{tail}' if tail else "")
            columns.append(out)
        self.tails.update(zip(block, map("".join, zip(*columns))))

    def _build_utf8(self, block: list[int]) -> None:
        """`_build`'s tails of the rows `block`, as UTF-8: each short value's cell encoded
        once, each long text escaped as bytes (`_CellWriter._text_utf8`)."""
        refs = [b'%d"' % r for r in block]
        columns = []
        for c in self.cols:
            values, built = c.spec.values, self.cell_utf8[c.col]
            s = built.tails.long_style()
            lead = f'<c r="{c.letter}'.encode()
            text = _CellWriter._text_utf8
            out = []
            for r, ref in zip(block, refs):
                v = values.get(r, _ABSENT)
                if v is _ABSENT:
                    out.append(b"")
                elif type(v) is str and len(v) > _LONG:
                    out.append(text(lead + ref, s, v))
                else:
                    tail = built[(type(v), v)]
                    out.append(lead + ref + tail if tail else b"")
            columns.append(out)
        rows = list(zip(*columns))
        self.tails.update(zip(block, map(b"".join, rows)))
        # (counted here, a tuple's count: bytes.count of "<c " over the row's cells was 0.05 s)
        n = len(columns)
        self.cells_in.update(zip(block, [n - cells.count(b"") for cells in rows]))

    def _spans(self, spans: str) -> str:
        """A row's spans ("1:15"), widened to our columns (most rows have the same)."""
        wide = self.spans.get(spans)
        if wide is None:
            a, colon, b = spans.partition(":")
            wide = self.spans[spans] = f"{a}:{self.max_col}" if colon and b.isdigit() and int(b) < self.max_col else spans
        return wide

    def _concerns(self, rownum: int) -> bool:
        # (a log's row without a value of ours, our columns new or not: cells the user
        # painted where ours go are ours to clear, as every later refresh clears them)
        if rownum == self.plan.header_row:
            return self.adds_header
        return self.lo <= rownum <= self.hi or rownum in self.rows_with_values

    def patch_rows(self, region: str) -> str:
        # str.find instead of a regex over whole rows: a lazy DOTALL regex walks every
        # character in Python's engine and dominated the run time on big logs
        out: list[str] = []
        pos = 0
        i = 0
        find = region.find
        while True:
            start = find("<row", i)
            if start < 0:
                break
            if region[start + 4] not in " >/\t\r\n":
                i = start + 4
                continue
            te = find(">", start)
            if te < 0:
                raise self._unended(region, start)
            if region[te - 1] == "/":
                attrs, body, end = region[start + 4:te - 1], None, te + 1
            else:
                ce = find("</row>", te)
                if ce < 0:
                    raise self._unended(region, start)
                if self.in_place:
                    moved = self._in_place(region, start, te, ce, pos, out)
                    if moved >= 0:
                        pos, i = moved, ce + 6
                        continue
                attrs, body, end = region[start + 4:te], region[te + 1:ce], ce + 6
            i = end
            k = attrs.find(' r="')
            if k >= 0:
                r: int | None = int(attrs[k + 4:attrs.index('"', k + 4)])
            else:
                rr = _attr(attrs, "r")
                r = int(rr) if rr is not None else None
            rownum = r if r is not None else self.last_row + 1
            self.last_row = rownum
            before = []
            pending = self.pending
            while pending and pending[-1] < rownum:
                x = self._new_row(pending.pop())
                if x:
                    before.append(x)
            while pending and pending[-1] == rownum:
                pending.pop()
            concerns = self._concerns(rownum)
            if r is None or before or concerns:
                if r is None:
                    # rows written without numbers: number this one, or our new rows
                    # before it would shift it
                    attrs = f' r="{rownum}"' + attrs
                tag = f"<row{attrs}/>" if body is None else f"<row{attrs}>"
                patched = self._patch_row(tag, body or "", rownum) if concerns else None
                if patched is None:
                    if r is not None:
                        patched = region[start:end]
                    else:
                        patched = tag + body + "</row>" if body is not None else tag
                out.append(region[pos:start])
                out.extend(before)
                out.append(patched)
                pos = end
        if pos == 0:
            return region
        out.append(region[pos:])
        return "".join(out)

    def _unended(self, region: str, start: int) -> WorkbookError:
        """A row whose end is not found (its end tag written `</row >`, a row in a
        comment): refused. The loop above would start again from the region's start
        for ever, its output growing."""
        return _row_end_not_found(self.where, region[start:start + 60].split(">")[0] + ">")

    def patch_bytes(self, region: bytes) -> bytes:
        """`patch_rows` of rows read as UTF-8 (`_SheetBytes`), into UTF-8. The rows
        `_in_place` takes are patched here, as bytes, in one loop (the calls of its
        helpers per row were a third of the loop's time); any other row goes through
        `patch_rows` as text, alone. (Decoding 50-135 MB of XML and encoding it again,
        our summaries making it UCS-2, took 0.25-0.4 s of the write.)"""
        if not self.in_place:
            return self.patch_rows(region.decode()).encode()
        last_end = region.rfind(b"</row>")
        if region.find(b"<row", last_end + 6 if last_end >= 0 else 0) >= 0:
            # a row that `</row>` does not close (the sheet's last, self-closing) ends it:
            # the whole region as text, where such a row's end is worked out
            return self.patch_rows(region.decode()).encode()
        out: list[bytes] = []
        pos = i = written = 0
        find = region.find
        # (asked of each row only when the region has one: a scan of every row was 0.04 s)
        ext = find(b"<extLst") >= 0
        formatted = find(b"customFormat") >= 0   # (rows the user formatted whole: `_row_style`)
        pending, tails, header, first = self.pending, self.tails, self.plan.header_row, self.cols[0].col
        appending, lo, hi = self.only_added, self.lo, self.hi
        plain, ours = region.isascii(), []   # (the cells of ours a row ends with already: UTF-8 we made)
        with_values, cells_in, spans_of = self.rows_with_values, self.cells_in, self.spans_utf8
        while True:
            start = find(b"<row", i)
            if start < 0:
                break
            if region[start + 4] not in _AFTER_ROW:
                i = start + 4
                continue
            te = find(b">", start)
            if te < 0:
                raise _AsText   # (text's reading refuses it)
            closed = region[te - 1] == 47   # b"/"
            if not closed:
                ce = find(b"</row>", te)
                if ce < 0:
                    raise _AsText   # (an end tag `<row` takes for its own: text's reading of it)
                # -- `_in_place`
                k = find(b' r="', start, te)
                e = find(b'"', k + 4, te) if k >= 0 else -1
                num = region[k + 4:e] if e >= 0 else b""
                if num.isdigit():   # (ASCII digits; text's isdigit takes others too)
                    rownum = int(num)
                    if not ((pending and pending[-1] < rownum) or rownum == header
                            or (ext and find(b"<extLst", te, ce) >= 0)) and (appending or lo <= rownum <= hi):
                        if pending and pending[-1] == rownum:
                            pending.pop()
                        self.last_row = rownum
                        if appending:
                            # -- `_append` (a row of the log without values: only cells of
                            # the user's where ours go to clear)
                            if rownum not in with_values and not (
                                    lo <= rownum <= hi and _last_col_in_bytes(region, te, ce) >= first):
                                i = ce + 6
                                continue
                            kk = region.rfind(b' r="', te, ce)   # (`_last_col_in_bytes`, inline)
                            if kk >= 0:
                                m = _LETTERS_BYTES.match(region, kk + 4)
                                last = _column_of_bytes(m.group()) if m else _UNSURE
                            else:
                                last = 0 if find(b"<c", te, ce) < 0 else _UNSURE
                            if last < first and not (formatted and find(b"customFormat", start, te) >= 0):
                                if rownum >= self.built_to:
                                    self._build(rownum, utf8=True)
                                tail = tails.pop(rownum, b"")
                                if tail:
                                    if type(tail) is not bytes:
                                        tail = tail.encode()
                                    n = cells_in.pop(rownum, None)
                                    written += tail.count(b"<c ") if n is None else n
                                    s = find(b' spans="', start, te)   # (our columns are right of `last`)
                                    if s >= 0:
                                        s += 8
                                        se = find(b'"', s, te)
                                        if se < 0:
                                            raise _AsText   # (text's reading of an unclosed spans reaches past the row)
                                        spans = region[s:se]
                                        wide = spans_of.get(spans) or self._spans_bytes(spans)
                                        out += (region[pos:s], wide, region[se:ce], tail)
                                    else:
                                        out += (region[pos:ce], tail)
                                    pos = ce
                                i = ce + 6
                                continue
                            fitted = self._fitted_row(region, start, te, ce, rownum)
                            if fitted is not None:
                                tails.pop(rownum, None)
                                cells_in.pop(rownum, None)
                                out += (region[pos:start], fitted)
                                pos, i = ce, ce + 6
                                continue
                        else:
                            # -- `_replace` of a row that ends with the very cells we would
                            # write (most rows, most days); any other row, text's `_replace`
                            tail = self._tail_bytes(rownum)
                            if region.startswith(tail, ce - len(tail), ce) and \
                                    self._left_of_bytes(region, te, ce - len(tail), first):
                                n = cells_in.pop(rownum, None)
                                if tail:   # (a row met twice: its count went with its tail)
                                    written += tail.count(b"<c ") if n is None else n
                                tails.pop(rownum, None)
                                if not plain:
                                    ours.append((ce - len(tail), ce))
                                i = ce + 6
                                continue
            # The row as text: `patch_rows` reads a row within itself only, so alone it
            # is patched as it would be among the others.
            end = te + 1 if closed else ce + 6
            out.append(region[pos:start])
            out.append(self.patch_rows(region[start:end].decode()).encode())
            pos = i = end
        if not plain:
            _check_utf8(region, ours)
        self.written += written
        if pos == 0:
            return region
        out.append(region[pos:])
        return b"".join(out)

    def _fitted_row(self, region: bytes, start: int, te: int, ce: int, rownum: int) -> bytes | None:
        """`_patch_row` of a first refresh's row whose cells from our first column on are
        empty cells the user styled (`<c r="P5" s="6"/>`: a fill painted past the log), or
        none, in a row they formatted whole (`_row_style`): the row up to its `</row>`, as
        UTF-8, made as `_patch_row` makes it (`_cell`), each cell's UTF-8 built once as
        `_build_utf8` builds them, without reading the row as text; None for any other row."""
        if region.count(b"<c", te, ce) != region.count(b' r="', te, ce):
            return None   # (cells without a position: the general path numbers them)
        first = self.cols[0].col
        theirs: dict[int, tuple[bytes, bytes]] = {}   # column -> (its style, the cell)
        end = ce
        while (k := region.rfind(b"<c", te, end)) >= 0:
            m = _EMPTY_STYLED.fullmatch(region, k, end)
            if m is None or (col := _column_of_bytes(m.group(1))) < first:
                if not self._left_of_bytes(region, te, end, first):
                    return None
                break
            if int(m.group(2)) != rownum:
                return None
            theirs[col] = (m.group(3), m.group())
            end = k
        tag = region[start:te + 1].decode()
        row_style = _row_style(tag)
        last = max(theirs, default=0)
        values_at = rownum in self.rows_with_values
        ref = b'%d"' % rownum
        parts, written = [], 0
        for c in self.cols:
            old = theirs.pop(c.col, None)
            if values_at and rownum in c.spec.values:
                kind, value = "value", c.spec.values[rownum]
            elif old is not None and self.lo <= rownum <= self.hi:
                kind, value = "clear", None   # (a cleared cell is a None's: `_cell`)
            else:
                if old is not None:
                    parts.append(old[1])
                continue
            users = old[0] if old is not None else self._blank(c, row_style)
            built = self._users_cells(c, users if users != b"0" else None)
            if type(value) is str and len(value) > _LONG:
                new = _CellWriter._text_utf8(built.lead + ref, built.tails.long_style(), value)
            else:
                tail = built[(type(value), value)]
                new = built.lead + ref + tail if tail else b""
            if kind != "clear" and (old is not None or new):
                written += 1
            parts.append(new)
        cells = b"".join(parts) + b"".join(theirs[col][1] for col in sorted(theirs))   # (the user's, past ours)
        self.written += written   # (a value written as it was is counted, as `_patch_row` counts it)
        if cells == region[end:ce]:
            return region[start:ce]
        return b"".join((self._row_tag(tag, last).encode(), region[te + 1:end], cells))

    def _users_cells(self, c: _Col, users: bytes | str | None) -> "_Encoded":
        """`_cell`'s cells of column `c` in the user's style `users` (None: ours), as UTF-8."""
        key = (c.col, users)
        built = self.users_cells.get(key)
        if built is None:
            style = users.decode() if type(users) is bytes else users
            built = self.users_cells[key] = _Encoded(_CellTails(self.cells, c.letter, c.style, self._fit(c, style)))
        return built

    @staticmethod
    def _left_of_bytes(region: bytes, te: int, end: int, first: int) -> bool:
        """`_left_of` of UTF-8 XML."""
        k = region.rfind(b"<c", te, end)
        if k < 0:
            return True
        m = _LETTERS_BYTES.match(region, k + 6) if region.startswith(b'<c r="', k) else None
        return m is not None and _column_of_bytes(m.group()) < first

    def _spans_bytes(self, spans: bytes) -> bytes:
        """`_spans` of UTF-8 XML."""
        wide = self.spans_utf8.get(spans)
        if wide is None:
            wide = self.spans_utf8[spans] = self._spans(spans.decode()).encode()
        return wide

    def remaining_rows(self, below: float = math.inf) -> str:
        """The rows to make (that the sheet has no `<row>` for) below row `below`."""
        out = []
        pending = self.pending
        while pending and pending[-1] < below:
            x = self._new_row(pending.pop())
            if x:
                out.append(x)
        return "".join(out)

    def start_at(self, rownum: int) -> None:
        """In a child that patches the rows from `rownum` on: those above are its parent's."""
        self.in_child = True
        pending = self.pending
        while pending and pending[-1] < rownum:
            pending.pop()
        self.built = bisect.bisect_left(self.value_rows, rownum)
        self.built_to = -1
        self.written = self.cleared = 0


def formula_refusal(cell: str, header: str, sheet: str, path: Any = None) -> Said:
    """Why a write over the user's formula in `cell` of `sheet` is refused, and what to do
    (the file writer's, with its `path`, and Excel's words)."""
    return Said("formula_in_the_way", path=path, sheet=sheet, cell=cell, header=header)


_CELL_VALUE_RE = re.compile(r"<v>|<v\s|<is>|<f[\s>/]")
_FORMULA_RE = re.compile(r"<f[\s>/]")

# Values up to this long (statuses, dates) repeat on thousands of rows: each one's cell is
# built once. Longer texts (summaries, next actions) are each built as their row comes.
_LONG = 64
_BLOCK = 2048
_ABSENT = object()


class _Encoded(dict):
    """A `_CellTails`' tails as UTF-8."""

    def __init__(self, tails: "_CellTails"):
        super().__init__()
        self.tails = tails
        self.lead = f'<c r="{tails.ref[:-1]}'.encode()   # (a cell's start, but for its row's number)

    def __missing__(self, key: tuple[type, Any]) -> bytes:
        tail = self.tails[key].encode()
        if len(self) < 4096:
            self[key] = tail
        return tail


class _CellTails(dict):
    """(type, value) -> what follows `<c r="A1"` in the value's cell ("" for no cell).
    `fit`: a column the user formatted whole, each value's style (`_LogSheet._fit`)."""

    def __init__(self, cells: _CellWriter, letter: str, style: int | None,
                 fit: Callable[[Any], int | str | None] | None = None):
        super().__init__()
        self.cells, self.ref, self.style, self.fit = cells, f"{letter}1", style, fit

    def long_style(self) -> str:
        """The ` s="n"` of a long text's cell (built apart: `_CellWriter._text`)."""
        style = self.style if self.fit is None else self.fit("")
        return f' s="{style}"' if style else ""

    def __missing__(self, key: tuple[type, Any]) -> str:
        style = self.style if self.fit is None else self.fit(key[1])
        tail = self.cells.cell(self.ref, key[1], style)[len(self.ref) + 7:]
        if len(self) < 4096:   # short texts that do not repeat (names in a next action) are not kept
            self[key] = tail
        return tail


def _number_cells(body: str, rownum: int) -> str:
    """Give every cell of a row an explicit r attribute (some writers leave them out), so
    a cell we insert cannot shift the implicit position of the cells after it."""
    out = []
    pos = 0
    col = 0
    for m in _CELL_RE.finditer(body):
        ref = _attr(m.group(1), "r")
        if ref:
            col = _parse_ref(ref)[0]
            continue
        col += 1
        out.append(body[pos:m.start()])
        out.append(f'<c r="{_letter(col)}{rownum}"' + m.group(0)[2:])
        pos = m.end()
    out.append(body[pos:])
    return "".join(out)


_UNSURE = 1 << 20


def _last_col(body: str) -> int:
    """Column of the last cell of a row body (_UNSURE when unsure: take the slow path)."""
    return _UNSURE if "<extLst" in body else _last_col_in(body, 0, len(body))


def _last_col_in(text: str, lo: int, hi: int) -> int:
    """`_last_col` of the row body text[lo:hi], which holds no extLst (the row patched in
    place is not sliced out of its region)."""
    k = text.rfind(' r="', lo, hi)
    if k < 0:
        return 0 if text.find("<c", lo, hi) < 0 else _UNSURE
    m = _LETTERS.match(text, k + 4)
    return _column_of(m.group()) if m else _UNSURE


def _last_col_in_bytes(region: bytes, lo: int, hi: int) -> int:
    """`_last_col_in` of UTF-8 XML."""
    k = region.rfind(b' r="', lo, hi)
    if k < 0:
        return 0 if region.find(b"<c", lo, hi) < 0 else _UNSURE
    m = _LETTERS_BYTES.match(region, k + 4)
    return _column_of_bytes(m.group()) if m else _UNSURE


_LETTERS = re.compile(r"[A-Za-z]+")
_column_of = lru_cache(maxsize=1024)(_col_index)


_LETTERS_BYTES = re.compile(rb"[A-Za-z]+")
_column_of_bytes = lru_cache(maxsize=1024)(lambda letters: _col_index(letters.decode()))
_AFTER_ROW = frozenset(b" >/\t\r\n")   # what follows `<row` in a row's start tag


def _check_utf8(region: bytes, ours: list[tuple[int, int]]) -> None:
    """Raises UnicodeDecodeError unless `region` is UTF-8. The spans `ours` of it hold
    cells of ours, UTF-8 we encoded: the rest is asked, most often ASCII alone, answered
    at C speed (decoding the 135 MB of a refreshed log took 0.15 s). Each span starts
    and ends with ASCII, so the rest is UTF-8 exactly when the whole is."""
    if ours:
        parts, pos = [], 0
        for a, b in ours:
            parts.append(region[pos:a])
            pos = b
        parts.append(region[pos:])
        region = b"".join(parts)
    if not region.isascii():
        region.decode()


class _AsText(Exception):
    """Patching the rows as UTF-8 bytes failed, or met what only their reading as text
    says how to write: the write starts again with the log's rows read as text, which
    writes it, or refuses it in its own words (text that is not UTF-8: the decoder's)."""


_ANY_REF_RE = re.compile(r'<c\b[^>]*?\br="([A-Z]{1,3})\d+"')


def _scan_max_col(pkg: _Package, part: str) -> int:
    """The rightmost column any cell of the sheet uses (a full pass: only when the
    sheet's dimension cannot be trusted)."""
    best = 0
    with pkg.zf.open(part) as raw:
        dec = codecs.getincrementaldecoder("utf-8-sig")()
        rest = ""
        while True:
            chunk = raw.read(4 << 20)
            text = rest + dec.decode(chunk, final=not chunk)
            cut = text.rfind("<")
            if chunk and cut > 0:
                text, rest = text[:cut], text[cut:]
            else:
                rest = ""
            for m in _ANY_REF_RE.finditer(text):
                letters = m.group(1)
                if len(letters) > 1 or best < 26:
                    best = max(best, _col_index(letters))
            if not chunk:
                return best


_UNNUMBERED_CELL = re.compile(r"<c(?=[\s>/])(?![^>]*\br=)")


def _columns_past(col: int) -> str:
    """A pattern of the column letters (up to three) of the columns right of `col` (1-based)."""
    s = _letter(col)
    alts = [f"[A-Z]{{{k}}}" for k in range(len(s) + 1, 4)]
    for i, ch in enumerate(s):
        if ch < "Z":
            alts.append(s[:i] + f"[{chr(ord(ch) + 1)}-Z]" + "[A-Z]" * (len(s) - i - 1))
    return "|".join(alts) or "(?!)"


def _last_filled_col(pkg: _Package, part: str, col: int) -> int:
    """`col`, or the rightmost column right of it where a cell of the sheet holds
    something (a value, a formula: any content); a cell with only a style (`<c r="N2"
    s="3"/>`) holds nothing. A pass over the sheet's bytes in C (0.4 s at 100 000 rows)
    finding only such cells: the log's own are not looked at."""
    filled = re.compile(rb'\br="(' + _columns_past(col).encode() + rb')\d+"[^>]*?(?<!/)>\s*<(?!/c\s*>)')
    best = col
    for text in _sheet_pieces(pkg, part):
        for m in filled.finditer(text):
            best = max(best, _column_of(m.group(1).decode()))
    return best


def _sheet_pieces(pkg: _Package, part: str) -> Iterator[bytes]:
    """The bytes of sheet `part`, 4 MB at a time, each piece cut before a cell's start,
    never inside a cell (a cell ends before the next one starts)."""
    with pkg.zf.open(part) as raw:
        rest = b""
        while True:
            chunk = raw.read(4 << 20)
            text = rest + chunk
            cut = text.rfind(b"<c") if chunk else -1
            text, rest = (text[:cut], text[cut:]) if cut > 0 else (text, b"")
            yield text
            if not chunk:
                return


def _insert_pos(body: str, col: int) -> int:
    for m in _CELL_REF_RE.finditer(body):
        if _col_index(m.group(1)) > col:
            return m.start()
    ext = body.find("<extLst")
    return ext if ext >= 0 else len(body)


def _patch_head(head: str, plan: WritePlan, cols: list[_Col], max_row: int) -> str:
    added = [c for c in cols if c.added]
    if not added and not any(c.spec.values for c in cols):
        return head
    max_col = max(c.col for c in cols)
    m = re.search(r"<dimension\b[^>]*/>", head)
    if m:
        ref = _attr(m.group(0), "ref") or "A1"
        a, _, b = ref.partition(":")
        b = b or a
        try:
            c1, r1 = _parse_ref(a)
            c2, r2 = _parse_ref(b)
            c2, r2 = max(c2, max_col), max(r2, max_row)
            new = f"{_letter(c1)}{r1}:{_letter(c2)}{r2}"
            head = head[:m.start()] + _set_attr(m.group(0), "ref", new) + head[m.end():]
        except ValueError:
            pass
    if added:
        head = _patch_cols(head, added)
    return head


_COLS_RE = re.compile(r"<cols(?:\s[^>]*)?(?<!/)>(.*?)</cols>", re.S)


def _patch_cols(head: str, added: list[_Col]) -> str:
    """The sheet's <cols> with widths for the columns we added, and none of ours hidden:
    a range of the user's hidden columns (W:XFD hidden to tidy the sheet) is split
    around ours, which we show; the rest of it stays hidden. A visible <col> of the
    user's over one of ours keeps the width they gave it. A sheet may have more than one
    <cols> (the schema allows it): each is patched where its own ranges are, and ours
    that no range covers go in the one whose ranges come before them, in order."""
    blocks = list(_COLS_RE.finditer(head))
    existing = []   # (block, min, max, the <col> as written)
    for b, cm in enumerate(blocks):
        for x in re.finditer(r"<col\b[^>]*?(?:/>|>\s*</col>)", cm.group(1)):
            lo, hi = _attr(x.group(0), "min"), _attr(x.group(0), "max")
            if lo and hi and lo.isdigit() and hi.isdigit():
                existing.append((b, int(lo), int(hi), x.group(0)))
    ours = {c.col: c for c in added}
    kept, changed = [], set()
    for b, lo, hi, tag in existing:
        inside = sorted(col for col in ours if lo <= col <= hi)
        if not inside or _attr(tag, "hidden") not in ("1", "true"):
            kept.append((b, lo, hi, tag))
            continue
        changed.add(b)
        start = lo
        for col in inside + [hi + 1]:
            if start < col:
                kept.append((b, start, col - 1, _set_attr(_set_attr(tag, "min", str(start)), "max", str(col - 1))))
            start = col + 1
        for col in inside:
            width = ours[col].spec.width
            if width:
                xml = f'<col min="{col}" max="{col}" width="{width:g}" customWidth="1"/>'
            else:   # the user's width (none if theirs hid it as 0), shown
                xml = _set_attr(_set_attr(tag, "min", str(col)), "max", str(col))
                drop = "hidden" if (_attr(xml, "width") or "1").strip("0.") else "hidden|width|customWidth"
                xml = re.sub(rf'\s(?:{drop})\s*=\s*["\'][^"\']*["\']', "", xml)
            kept.append((b, col, col, xml))
    for c in added:
        if c.spec.width and not any(lo <= c.col <= hi for _, lo, hi, _ in kept):   # else the user sized it
            block = max((b for b, lo, _, _ in kept if lo < c.col), default=0)
            xml = f'<col min="{c.col}" max="{c.col}" width="{c.spec.width:g}" customWidth="1"/>'
            kept.append((block, c.col, c.col, xml))
            changed.add(block)
    if not changed:
        return head
    if not blocks:
        return head + "<cols>" + "".join(x for *_, x in sorted(kept, key=lambda t: t[1])) + "</cols>"
    # the user's own <col> text kept as it was (but for a hidden range split), in order;
    # a <cols> with nothing of ours in it is left as it was written
    out, pos = [], 0
    for b, cm in enumerate(blocks):
        if b not in changed:
            continue
        inner = "".join(x for bb, _, _, x in sorted(kept, key=lambda t: t[1]) if bb == b)
        out.append(head[pos:cm.start(1)] + inner)
        pos = cm.end(1)
    return "".join(out) + head[pos:]


# ---------------------------------------------------------------- conditional formats

_CF_RE = re.compile(r"<conditionalFormatting\b[^>]*>(.*?)</conditionalFormatting>", re.S)
_CFRULE_RE = re.compile(r"<cfRule\b[^>]*?(?:/>|>.*?</cfRule>)", re.S)
_NESTED_IN_TAIL = re.compile(r"<customSheetViews\b.*?</customSheetViews>", re.S)
_TAIL_AFTER_CF = ("dataValidations", "hyperlinks", "printOptions", "pageMargins", "pageSetup",
                  "headerFooter", "rowBreaks", "colBreaks", "customProperties", "cellWatches",
                  "ignoredErrors", "smartTags", "drawing", "legacyDrawing", "legacyDrawingHF",
                  "drawingHF", "picture", "oleObjects", "controls", "webPublishItems", "tableParts", "extLst")


def _strip_our_rules(tail: str) -> str:
    def fix(m: re.Match) -> str:
        block = m.group(0)
        rules = _CFRULE_RE.findall(m.group(1))
        ours = [r for r in rules if MARKER in _unesc(r)]
        if not ours:
            return block
        if len(ours) == len(rules):
            return ""
        for r in ours:
            block = block.replace(r, "", 1)
        return block
    return _CF_RE.sub(fix, tail)


def _widen_auto_filter(tail: str, header_row: int, first_col: int, added: list[_Col]) -> str:
    """The sheet's own AutoFilter (not one a custom view keeps) widened over our columns
    (`_widened`), so filtering the log shows and sorts them with it."""
    if not added:
        return tail
    top = _NESTED_IN_TAIL.sub(lambda m: " " * len(m.group()), tail)
    m = re.search(r"<autoFilter\b[^>]*?/?>", top)
    ref = _attr(m.group(0), "ref") if m else None
    new = _widened(ref, header_row, first_col, added) if ref else None
    if new is None:
        return tail
    return tail[:m.start()] + _set_attr(m.group(0), "ref", new) + tail[m.end():]


def highlight_formula(h: Highlight, letters: dict[str, str], first_row: int) -> str:
    """The rule's formula for the first data row, wrapped with our marker so the next
    apply() finds and replaces it (`tracker init` writes its rules the same way)."""
    f = h.formula
    for k, v in letters.items():
        f = f.replace("{" + k + "}", v)
    f = f.replace("{row}", str(first_row))
    if re.search(r"\{[a-z_]+\}", f):
        raise WorkbookError(f"highlight {h.name!r}: formula {h.formula!r} names an unknown column placeholder")
    return f'AND(ISTEXT("{MARKER}{h.name}"),{f})'


def highlight_areas(rows: Iterable[int], last: str) -> list[str]:
    """The areas ("A5:K7") of `rows` (ascending Excel rows) from column A to column `last`,
    each run of rows one area."""
    return [f"A{a}:{last}{b}" for a, b in row_runs(rows)]


def _patch_tail(tail: str, plan: WritePlan, cols: list[_Col], hl_dxfs: list[int], last_col: int,
                first_col: int = 0) -> str:
    tail = _strip_our_rules(tail)
    tail = _widen_auto_filter(tail, plan.header_row, first_col, sorted((c for c in cols if c.added), key=lambda c: c.col))
    if not plan.highlights:
        return tail
    letters = {c.spec.placeholder: c.letter for c in cols}
    # Priorities are one sequence per sheet, rules in the extension list (<x14:cfRule>:
    # icon sets, data bars, rules reading other sheets) included: ours go after them all.
    prios = [int(p) for p in re.findall(r'<(?:[\w.-]+:)?cfRule\b[^>]*?\spriority\s*=\s*["\'](\d+)["\']', tail)]
    prio = max(prios, default=0)
    blocks: dict[str, list[str]] = {}   # sqref -> its rules, in the plan's order
    every = f"A{plan.first_data_row}:{_letter(last_col)}{max(plan.last_data_row, plan.first_data_row)}"
    for h, dxf in zip(plan.highlights, hl_dxfs):
        full = highlight_formula(h, letters, h.rows[0] if h.rows else plan.first_data_row)
        prio += 1
        sqref = " ".join(highlight_areas(h.rows, _letter(last_col))) if h.rows else every
        blocks.setdefault(sqref, []).append(
            f'<cfRule type="expression" dxfId="{dxf}" priority="{prio}"><formula>{_esc(full)}</formula></cfRule>')
    block = "".join(f'<conditionalFormatting sqref="{sqref}">' + "".join(rules) + "</conditionalFormatting>"
                    for sqref, rules in blocks.items())
    # after the user's own rules, before whatever the schema puts next
    last_cf = None
    for m in _CF_RE.finditer(tail):
        last_cf = m
    if last_cf is not None:
        pos = last_cf.end()
    else:
        # Among the sheet's own elements: a custom view (View > Custom Views) holds its own
        # pageMargins, pageSetup... and a rule block inside it is a damaged file.
        top = _NESTED_IN_TAIL.sub(lambda m: " " * len(m.group()), tail)
        pos = None
        for name in _TAIL_AFTER_CF:
            m = re.search(rf"<{name}\b", top)
            if m and (pos is None or m.start() < pos):
                pos = m.start()
        if pos is None:
            pos = tail.rindex("</worksheet>")
    return tail[:pos] + block + tail[pos:]


# ====================================================================== our own sheets

def _sheet_xml(sw: SheetWrite, styles: _Styles, cells: _CellWriter, drawing_rid: str | None) -> str:
    bold = styles.xf(font=styles.bold_font())
    fmts = {col: styles.xf(num_fmt=styles.num_fmt(code), wrap=col in sw.wrap) for col, code in sw.number_formats.items()}
    fmts.update((col, styles.xf(wrap=True)) for col in sw.wrap if col not in fmts)
    days = {col: styles.xf(num_fmt=styles.num_fmt(code), wrap=col in sw.wrap)
            for col, code in sw.date_formats.items()}
    nrows = len(sw.rows)
    ncols = max((len(r) for r in sw.rows), default=1) or 1
    out = [XML_DECL, f'<worksheet xmlns="{NS_MAIN}" xmlns:r="{NS_REL}">']
    out.append('<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>')   # (pageSetup's fitTo* below)
    out.append(f'<dimension ref="A1:{_letter(ncols)}{max(nrows, 1)}"/>')
    out.append('<sheetViews><sheetView workbookViewId="0">'
               '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
               '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>')
    out.append('<sheetFormatPr defaultRowHeight="15"/>')
    if sw.widths:
        out.append("<cols>" + "".join(
            f'<col min="{i}" max="{i}" width="{w:g}" customWidth="1"/>'
            for i, w in enumerate(sw.widths, 1) if w) + "</cols>")
    out.append("<sheetData>")
    for r, row in enumerate(sw.rows, 1):
        cs = []
        for c, v in enumerate(row, 1):
            style = bold if r == 1 else days[c] if c in days and type(v) is date else fmts.get(c)
            x = cells.cell(f"{_letter(c)}{r}", v, style)
            if x:
                cs.append(x)
        height = _wrapped_height(sw, row) if r > 1 else ""
        out.append(f'<row r="{r}"{height}>' + "".join(cs) + "</row>" if cs else "")
    out.append("</sheetData>")
    out.append('<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>')
    # Printed across, one page wide and as many long as it takes: on portrait pages at
    # 100%, a Chase today list of 70-character drafts went over five pages side by side.
    out.append('<pageSetup orientation="landscape" fitToWidth="1" fitToHeight="0"/>')
    # The printed page header says who wrote the sheet, and marks it as ours: a later
    # apply replaces only a sheet that carries it, never a user's sheet of the same name.
    out.append(f"<headerFooter><oddHeader>{_esc(SHEET_MARK)}</oddHeader></headerFooter>")
    if drawing_rid:
        out.append(f'<drawing r:id="{drawing_rid}"/>')
    out.append("</worksheet>")
    return "".join(out)


def _wrapped_height(sw: SheetWrite, row: list[Any]) -> str:
    """The row's height attributes when a wrapped text needs more than one line: neither
    Excel nor LibreOffice grows a row for its text on opening a file, and a draft of four
    lines showed one, or overlapped the next row."""
    lines = sw.row_lines(row)
    return f' ht="{min(lines, MAX_ROW_LINES) * LINE_HEIGHT}" customHeight="1"' if lines > 1 else ""


def _quote_sheet(name: str) -> str:
    return "'" + name.replace("'", "''") + "'"


def _drawing_xml(charts: list[ChartSpec]) -> str:
    out = [XML_DECL, '<xdr:wsDr xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing" '
           'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">']
    for i, ch in enumerate(charts, 1):
        col, row = _parse_ref(ch.anchor)
        w, h = ch.size
        out.append(
            '<xdr:twoCellAnchor editAs="oneCell">'
            f"<xdr:from><xdr:col>{col - 1}</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>{row - 1}</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:from>"
            f"<xdr:to><xdr:col>{col - 1 + w}</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>{row - 1 + h}</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:to>"
            '<xdr:graphicFrame macro=""><xdr:nvGraphicFramePr>'
            f'<xdr:cNvPr id="{i + 1}" name="Chart {i}"/><xdr:cNvGraphicFramePr/></xdr:nvGraphicFramePr>'
            '<xdr:xfrm><a:off x="0" y="0"/><a:ext cx="0" cy="0"/></xdr:xfrm>'
            '<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/chart">'
            f'<c:chart xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" xmlns:r="{NS_REL}" r:id="rId{i}"/>'
            "</a:graphicData></a:graphic></xdr:graphicFrame><xdr:clientData/></xdr:twoCellAnchor>"
        )
    out.append("</xdr:wsDr>")
    return "".join(out)


def _chart_xml(ch: ChartSpec, sw: SheetWrite) -> str:
    if ch.kind not in ("line", "bar"):
        raise WorkbookError(f"chart {ch.title!r}: kind must be line or bar, not {ch.kind!r}")
    r1, r2, ccol = ch.categories
    sheet = _quote_sheet(sw.name)

    def cell(r: int, c: int) -> Any:
        row = sw.rows[r - 1] if 0 < r <= len(sw.rows) else []
        return row[c - 1] if 0 < c <= len(row) else None

    def rng(c: int) -> str:
        L = _letter(c)
        return f"{sheet}!${L}${r1}:${L}${r2}"

    n = r2 - r1 + 1
    cats = "".join(f'<c:pt idx="{i}"><c:v>{_esc(_clean_text(str(cell(r, ccol) if cell(r, ccol) is not None else "")))}</c:v></c:pt>'
                   for i, r in enumerate(range(r1, r2 + 1)))
    sers = []
    for idx, (name, scol) in enumerate(ch.series):
        pts = []
        for i, r in enumerate(range(r1, r2 + 1)):
            v = cell(r, scol)
            if isinstance(v, (int, float)) and not isinstance(v, bool):
                pts.append(f'<c:pt idx="{i}"><c:v>{_num(v)}</c:v></c:pt>')
        sers.append(
            f'<c:ser><c:idx val="{idx}"/><c:order val="{idx}"/>'
            f'<c:tx><c:v>{_esc(_clean_text(name))}</c:v></c:tx>'
            + ('<c:marker><c:symbol val="none"/></c:marker>' if ch.kind == "line" else '<c:invertIfNegative val="0"/>')
            + f'<c:cat><c:strRef><c:f>{_esc(rng(ccol))}</c:f><c:strCache><c:ptCount val="{n}"/>{cats}</c:strCache></c:strRef></c:cat>'
            f'<c:val><c:numRef><c:f>{_esc(rng(scol))}</c:f><c:numCache><c:formatCode>General</c:formatCode><c:ptCount val="{n}"/>{"".join(pts)}</c:numCache></c:numRef></c:val>'
            + ('<c:smooth val="0"/>' if ch.kind == "line" else "")
            + "</c:ser>"
        )
    if ch.kind == "line":
        plot = f'<c:lineChart><c:grouping val="standard"/><c:varyColors val="0"/>{"".join(sers)}<c:marker val="1"/><c:axId val="50010001"/><c:axId val="50010002"/></c:lineChart>'
    else:
        plot = f'<c:barChart><c:barDir val="col"/><c:grouping val="clustered"/><c:varyColors val="0"/>{"".join(sers)}<c:gapWidth val="150"/><c:axId val="50010001"/><c:axId val="50010002"/></c:barChart>'
    title = (f'<c:title><c:tx><c:rich><a:bodyPr/><a:lstStyle/><a:p><a:r><a:t>{_esc(_clean_text(ch.title))}</a:t></a:r></a:p></c:rich></c:tx>'
             '<c:overlay val="0"/></c:title><c:autoTitleDeleted val="0"/>')
    axes = ('<c:catAx><c:axId val="50010001"/><c:scaling><c:orientation val="minMax"/></c:scaling><c:delete val="0"/>'
            '<c:axPos val="b"/><c:numFmt formatCode="General" sourceLinked="1"/><c:tickLblPos val="nextTo"/>'
            '<c:crossAx val="50010002"/><c:crosses val="autoZero"/><c:auto val="1"/><c:lblAlgn val="ctr"/><c:lblOffset val="100"/></c:catAx>'
            '<c:valAx><c:axId val="50010002"/><c:scaling><c:orientation val="minMax"/></c:scaling><c:delete val="0"/>'
            '<c:axPos val="l"/><c:majorGridlines/><c:numFmt formatCode="General" sourceLinked="1"/><c:tickLblPos val="nextTo"/>'
            '<c:crossAx val="50010001"/><c:crosses val="autoZero"/><c:crossBetween val="between"/></c:valAx>')
    return (XML_DECL + '<c:chartSpace xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" '
            f'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:r="{NS_REL}">'
            '<c:roundedCorners val="0"/>'
            f'<c:chart>{title}<c:plotArea><c:layout/>{plot}{axes}</c:plotArea>'
            '<c:legend><c:legendPos val="b"/><c:overlay val="0"/></c:legend><c:plotVisOnly val="1"/><c:dispBlanksAs val="gap"/></c:chart>'
            '<c:printSettings><c:headerFooter/><c:pageMargins b="0.75" l="0.7" r="0.7" t="0.75" header="0.3" footer="0.3"/><c:pageSetup/></c:printSettings>'
            "</c:chartSpace>")


def _rels_xml(rels: list[_Rel]) -> str:
    items = "".join(
        f'<Relationship Id="{_esc_attr(r.id)}" Type="{_esc_attr(r.type)}" Target="{_esc_attr(r.target)}"'
        + (f' TargetMode="{_esc_attr(r.mode)}"' if r.mode else "") + "/>"
        for r in rels)
    return XML_DECL + f'<Relationships xmlns="{NS_PKG_REL}">{items}</Relationships>'


# ====================================================================== the rewrite

class _Out:
    """The target zip: entries in the source's order, raw-copied unless replaced; the
    archive's comment (a document-management system's stamp) kept."""

    def __init__(self, fileobj: BinaryIO, comment: bytes = b""):
        self.zf = zipfile.ZipFile(fileobj, "w", zipfile.ZIP_DEFLATED, compresslevel=6)
        self.zf.comment = comment

    def copy_raw(self, src: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
        """Copy an entry's compressed bytes as they are: no inflate/deflate, same content;
        its local header as it was, but with the sizes in it (no data descriptor after
        the bytes), its zip64 field only where the sizes need one."""
        fp = src.fp
        fp.seek(info.header_offset)
        h = fp.read(30)
        if h[:4] != b"PK\x03\x04":
            raise zipfile.BadZipFile(f"bad local header for {info.filename}")
        n, m = struct.unpack("<HH", h[26:30])
        local_extra = fp.read(n + m)[n:]
        new = _kept(zipfile.ZipInfo(info.filename, info.date_time), info)
        new.compress_type = info.compress_type
        new.CRC = info.CRC
        new.compress_size = info.compress_size
        new.file_size = info.file_size
        new.create_version = info.create_version
        new.extract_version = info.extract_version
        # the UTF-8 name flag and the compressor's options (bits 1-2) describe the bytes
        # copied; a data descriptor (bit 3) is not written: the sizes are in our header
        new.flag_bits = info.flag_bits & 0x0806
        out = self.zf.fp
        new.header_offset = out.tell()
        zip64 = new.file_size > zipfile.ZIP64_LIMIT or new.compress_size > zipfile.ZIP64_LIMIT
        # (a local header's extra fields may differ from the central directory's: an
        # extended timestamp holds the access time only there)
        new.extra = _without_zip64(local_extra)
        out.write(new.FileHeader(zip64))
        new.extra = _without_zip64(info.extra)
        left = info.compress_size
        while left:
            chunk = fp.read(min(left, 1 << 20))
            if not chunk:
                raise zipfile.BadZipFile(f"truncated entry {info.filename}")
            out.write(chunk)
            left -= len(chunk)
        self.zf.filelist.append(new)
        self.zf.NameToInfo[new.filename] = new
        self.zf.start_dir = out.tell()
        self.zf._didModify = True

    def write_text(self, name: str, text: str, like: zipfile.ZipInfo | None) -> None:
        info = zipfile.ZipInfo(name, like.date_time if like else (1980, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        if like is not None:
            _kept(info, like)
        self.zf.writestr(info, text.encode("utf-8"), compresslevel=6)

    def open_stream(self, name: str, like: zipfile.ZipInfo | None, big: bool):
        info = zipfile.ZipInfo(name, like.date_time if like else (1980, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        info._compresslevel = 1 if big else 6   # level 1: the sheet dominates the run time
        if like is not None:
            _kept(info, like)
        stream = self.zf.open(info, "w", force_zip64=big)
        return deflate.writing(stream, 1) if big else stream

    def close(self) -> None:
        self.zf.close()


def _kept(info: zipfile.ZipInfo, like: zipfile.ZipInfo) -> zipfile.ZipInfo:
    """`info` with what `like`, the entry it stands for, says of itself besides its bytes:
    its attributes (and the system that reads them), comment and extra fields (timestamps,
    the zip64 field left to the writer, which adds its own as the sizes need)."""
    info.external_attr = like.external_attr
    info.internal_attr = like.internal_attr
    info.create_system = like.create_system
    info.comment = like.comment
    info.extra = _without_zip64(like.extra)
    return info


def _without_zip64(extra: bytes) -> bytes:
    """Extra fields without the zip64 one (sizes and offsets: ours are written anew). A
    field list that does not parse is kept as it is."""
    if b"\x01\x00" not in extra:   # (the zip64 field's id; most entries have no extra at all)
        return extra
    out, i = [], 0
    while i + 4 <= len(extra):
        kind, size = struct.unpack_from("<HH", extra, i)
        if i + 4 + size > len(extra):
            return extra
        if kind != 1:
            out.append(extra[i:i + 4 + size])
        i += 4 + size
    return b"".join(out) if i == len(extra) else extra


def _close_quietly(out: _Out) -> None:
    """Close `out` after an error (which is the one to raise)."""
    try:
        out.close()
    except Exception:
        pass


def _check_writable_kind(path: Path) -> None:
    if not path.is_file():
        raise WorkbookError(f"{path}: workbook not found")
    _check_package(path)   # first: a file we may not even read is not "marked read-only"
    # A file marked read-only (Windows' attribute, or no write permission for its owner)
    # says: do not change me. Replacing it through its folder would ignore that.
    if not path.stat().st_mode & stat.S_IWUSR:
        raise WorkbookError(Said("read_only", path=path))
    if path.suffix.lower() in (".xls", ".xlsb", ".ods", ".csv"):
        # (an .xlsx under another name, _check_package found: renaming it is enough)
        raise WorkbookError(f"{path}: this is an .xlsx workbook under a {path.suffix} name; rename it to "
                            f"{path.stem}.xlsx (.xlsm if it has macros) and refresh that; nothing was changed")


def _check_package(path: Path) -> None:
    """Refused as the reader would refuse it (files.kind_of: damaged, a CSV, Excel's
    owner file...), in the same words; and a workbook the reader reads but we do not
    write (.xls, .xlsb, .ods) is refused with what to do."""
    from .files import kind_of

    try:
        kind = kind_of(path)
    except WorkbookError as exc:
        raise WorkbookError(f"{exc}; nothing was changed") from None
    if kind == "xls":
        raise WorkbookError(f"{path}: an old .xls workbook cannot be updated, only .xlsx and .xlsm; "
                            "save it as .xlsx in Excel (File > Save As) and refresh that; nothing was changed")
    if kind != "xlsx":
        raise WorkbookError(f"{path}: only .xlsx and .xlsm workbooks can be updated; save it as .xlsx "
                            "(File > Save As) and refresh that; nothing was changed")


def _main_parts(pkg: _Package) -> tuple[str, str]:
    """(workbook part, its rels part)."""
    if not pkg.has("_rels/.rels") or not pkg.has("[Content_Types].xml"):
        raise WorkbookError(f"{pkg.path}: not an Office Open XML package (no _rels/.rels); nothing was changed")
    for r in _parse_rels(pkg.text("_rels/.rels")):
        if r.type.endswith("/officeDocument"):
            part = _resolve("", r.target)
            if r.type != RT_OFFICE_DOC:
                raise WorkbookError(f"{pkg.path}: strict Open XML workbooks are not supported; save it as a normal "
                                    "Excel workbook (.xlsx); nothing was changed")
            if not part.endswith(".xml"):
                raise WorkbookError(f"{pkg.path}: binary workbooks (.xlsb) are not supported; nothing was changed")
            return part, _rels_name(part)
    raise WorkbookError(f"{pkg.path}: the package has no workbook part; nothing was changed")


def _free_name(taken: set[str], pattern: str) -> str:
    # Part names are case-insensitive (OPC): "Sheet2.xml" is taken by "sheet2.xml".
    folded = {t.casefold() for t in taken}
    n = 1
    while pattern.format(n).casefold() in folded:
        n += 1
    return pattern.format(n)


def _relationship_targets(pkg: _Package) -> dict[str, set[str]]:
    """Relationship part -> every part its internal relationships point to, whether the
    part exists or not. A new part must not take such a name: a relationship left
    dangling by another tool would then point to our part (the user's sheet entry showing
    our Stats, their drawing showing our chart). A relationship part that cannot be read
    names nothing we can know of."""
    out: dict[str, set[str]] = {}
    for name in pkg.names:
        if not name.endswith(".rels"):
            continue
        source = PurePosixPath(name)
        source = str(source.parent.parent / source.name[:-len(".rels")])
        try:
            rels = _parse_rels(pkg.text(name))
        except (ET.ParseError, WorkbookError):
            continue
        out[name] = {_resolve(source, r.target) for r in rels if r.mode != "External" and r.target}
    return out


def _next_rid(rels: list[_Rel]) -> str:
    nums = [int(m.group(1)) for r in rels if (m := re.fullmatch(r"rId(\d+)", r.id))]
    rid = f"rId{max(nums, default=0) + 1}"
    while any(r.id == rid for r in rels):
        rid += "x"
    return rid


def _rewrite(path: Path, plan: WritePlan, out_file: BinaryIO, notes: list[str], floor: int = 0,
             as_text: bool = False) -> WriteReport:
    """`floor`: the first column our new columns may take (see _TakenColumns); `as_text`:
    the log's rows read as text (see _AsText)."""
    with _open_package(path) as zin:
        pkg = _Package(path, zin)
        wb = _WorkbookPart.of(pkg)
        wb_part, wb_rels_part, wb_xml, wb_root, wb_rels, ct_text, sheets = (
            wb.part, wb.rels_part, wb.xml, wb.root, wb.rels, wb.content_types, wb.sheets)
        wbpr = wb_root.find(f"{{{NS_MAIN}}}workbookPr")
        date1904 = wbpr is not None and wbpr.get("date1904", "0").lower() in ("1", "true")
        log = next((s for s in sheets if s[0] == plan.sheet), None) or next(
            (s for s in sheets if s[0].casefold() == plan.sheet.casefold()), None)
        if log is None:
            raise WorkbookError(f"{path}: no sheet named {plan.sheet!r} (sheets: {', '.join(s[0] for s in sheets)})")
        if log[4] != RT_WORKSHEET or not pkg.has(log[3]):
            raise WorkbookError(f"{path}: {plan.sheet!r} is not a worksheet we can write (chart sheet or missing part)")
        log_part = log[3]
        owned = {sw.name.casefold() for sw in plan.sheets}
        if len(owned) != len(plan.sheets):
            raise WorkbookError(f"{path}: the plan names one of our sheets twice (sheet names ignore case)")
        if log[0].casefold() in owned:
            raise WorkbookError(f"{path}: the call-log sheet {plan.sheet!r} cannot also be one of our own sheets")

        styles_rel = next((r for r in wb_rels if r.type == RT_STYLES), None)
        if styles_rel is None:
            raise WorkbookError(f"{path}: the workbook has no styles part; nothing was changed")
        styles_part = _resolve(wb_part, styles_rel.target)
        styles = _Styles(pkg.text(styles_part), f"{path}")
        sst_rel = next((r for r in wb_rels if r.type == RT_SST), None)
        sst = _shared_strings_reader(pkg, _resolve(wb_part, sst_rel.target) if sst_rel else None)

        # -- the log sheet: where our columns are
        head, header_xml = _read_head(pkg, log_part, plan.header_row)
        if not re.match(r"\s*(<\?xml[^>]*\?>\s*)?<worksheet\b", head):
            raise WorkbookError(f"{path}: the sheet {plan.sheet!r} uses a form we do not carry "
                                "(namespace prefixes); nothing was changed")
        headers = _header_cells(header_xml, sst)
        used = [c for c, t in headers.items() if str(t).strip()]
        next_col = max(used, default=0) + 1
        # Cells right of the header row may hold the user's notes: new columns go right of
        # everything the sheet uses, as its <dimension> says, or as a scan finds when the
        # dimension is missing or absurd (a few writers put XFD there).
        dim = re.search(r"<dimension\b[^>]*/>", head)
        dim_col = None
        if dim:
            ref = (_attr(dim.group(0), "ref") or "").partition(":")[2] or (_attr(dim.group(0), "ref") or "")
            try:
                dim_col = _parse_ref(ref)[0]
            except ValueError:
                dim_col = None
        norm_headers = {normalize_word(t): c for c, t in sorted(headers.items(), reverse=True) if str(t).strip()}
        if any(not any(normalize_word(w) in norm_headers for w in (*c.match, c.header)) for c in plan.columns):
            if (dim_col is None or dim_col >= next_col) and header_xml and not _UNNUMBERED_CELL.search(header_xml):
                # <dimension> (and a scan of every cell) also counts cells holding only a
                # style: a fill painted past the log's end (A2:AD9 over a log A:M) would
                # send ours to AE, away from the log, its filter and its sort. Ours go
                # right of the last cell holding something (read from each cell's
                # reference: a writer that numbers the header's cells numbers them all).
                dim_col = _last_filled_col(pkg, log_part, next_col - 1)
            elif dim_col is None or dim_col > MAX_COLUMNS - len(plan.columns):
                dim_col = _scan_max_col(pkg, log_part)
            next_col = max(next_col, dim_col + 1, floor)
            next_col = max(next_col, _noted_after(pkg, log_part, next_col))
        # date styles only when some value needs one, so a plan without dates leaves
        # styles.xml alone
        # (the types of a column's values are gathered at C speed: a test of each of its
        # 100 000 values took 0.02 s before the writing starts; a datetime is a date)
        has_dates = any(issubclass(t, date) for c in plan.columns if not c.number_format
                        for t in set(map(type, c.values.values()))) or any(
            isinstance(v, (date, datetime)) for sw in plan.sheets for row in sw.rows for v in row)
        date_fmts = (styles.num_fmt("yyyy-mm-dd"), styles.num_fmt("yyyy-mm-dd hh:mm")) if has_dates else (0, 0)
        cell_writer = _CellWriter(
            date1904,
            styles.xf(num_fmt=date_fmts[0]) if has_dates else 0,
            styles.xf(num_fmt=date_fmts[1]) if has_dates else 0)
        cols: list[_Col] = []
        taken: set[int] = set()
        for spec in plan.columns:
            found = None
            for word in (*spec.match, spec.header):
                c = norm_headers.get(normalize_word(word))
                if c is not None and c not in taken:
                    found = c
                    break
            added = found is None
            col = found if found is not None else next_col
            if added:
                next_col += 1
            taken.add(col)
            style = None
            fmt = styles.num_fmt(spec.number_format) if spec.number_format else None
            if spec.number_format or spec.wrap:
                style = styles.xf(num_fmt=fmt or 0, wrap=spec.wrap)
            cols.append(_Col(spec, col, _letter(col), added, style, fmt))
        if cols and max(c.col for c in cols) > MAX_COLUMNS:
            raise WorkbookError(f"{path}: no room for our columns on {plan.sheet!r} (past column XFD)")
        # A picture, chart, shape, button or shown note over the columns we would add: they
        # go right of it, as of the user's areas the sheet's end names (_users_after),
        # before anything is written.
        sheet_rels_part = _rels_name(log_part)
        sheet_rels = _parse_rels(pkg.text(sheet_rels_part)) if pkg.has(sheet_rels_part) else []
        table_rows = _join_table(pkg, log_part, sheet_rels, plan, cols, used, sst, notes, floor) \
            if sheet_rels else None
        new_cols = [c.col for c in cols if c.added]
        if new_cols and (after := _areas_after(_drawn_areas(pkg, log_part, _column_widths(head)),
                                               min(new_cols), max(new_cols))):
            table = _logs_table_before(pkg, log_part, sheet_rels, plan.header_row, min(used, default=0),
                                       sorted((c for c in cols if c.added), key=lambda c: c.col))
            if table is None:
                raise _TakenColumns(after, drawn=True)
            # In the log's table, as without the drawing: a sort or filter of the table
            # takes them along; past it they would sort apart from their calls.
            notes.append(Said("drawn_over_table", first=_letter(min(new_cols)), last=_letter(max(new_cols)),
                              table=table))

        # -- tables next to which we added columns
        replaced: dict[str, str] = {}        # part -> new text (small parts)
        tables_extended = []
        added_cols = sorted((c for c in cols if c.added), key=lambda c: c.col)
        for rel in sheet_rels:
            if rel.type != RT_TABLE or not added_cols:
                continue
            tpart = _resolve(log_part, rel.target)
            if not pkg.has(tpart):
                continue
            new = _extend_table(pkg.text(tpart), plan.header_row, min(used, default=0), added_cols)
            if new is not None:
                replaced[tpart] = new
                tables_extended.append(_attr(re.search(r"<table\b[^>]*>", new).group(0), "displayName") or tpart)

        last_col = max([*headers.keys(), *(c.col for c in cols), 1])

        # -- our sheets
        ct = ct_text
        wb_new = wb_xml
        if added_cols:
            wb_new = _widen_filter_name(wb_new, sheets.index(log), plan.header_row, min(used, default=0), added_cols)
        wb_rels_new = list(wb_rels)
        new_parts: list[tuple[str, str]] = []
        deleted: set[str] = set()
        sheets_replaced, sheets_added = [], []
        ours: set[str] = set()               # parts of our sheets, written whole by us
        all_names = set(pkg.names)
        targets = _relationship_targets(pkg)
        for sw in plan.sheets:
            existing = _our_sheet(pkg, sheets, sw.name) or _ours_formerly(pkg, sheets, sw.formerly, owned)
            if existing is None or existing[0].casefold() != sw.name.casefold():
                _check_structure_open(path, wb_xml, sw.name)
            if existing is not None and existing[0].casefold() != sw.name.casefold():
                wb_new = _rename_sheet(wb_new, existing[2], sw.name, path)
                notes.append(Said("sheet_renamed", old=existing[0], new=sw.name))
            if existing is not None:
                part = existing[3]
                # our previous drawing and charts go; the freed names are reused, so a
                # second apply lays out the package exactly as the first did
                old_rels_part = _rels_name(part)
                if pkg.has(old_rels_part):
                    for r in _parse_rels(pkg.text(old_rels_part)):
                        if r.type == RT_DRAWING and r.mode != "External":
                            dpart = _resolve(part, r.target)
                            deleted.add(dpart)
                            drels = _rels_name(dpart)
                            if pkg.has(drels):
                                deleted.add(drels)
                                for cr in _parse_rels(pkg.text(drels)):
                                    if cr.type == RT_CHART:
                                        cpart = _resolve(dpart, cr.target)
                                        deleted.add(cpart)
                                        if pkg.has(_rels_name(cpart)):
                                            deleted.add(_rels_name(cpart))
                    deleted.add(old_rels_part)
                sheets_replaced.append(sw.name)
            # (the relationships of the parts about to go name nothing any more)
            named = set().union(*(t for rels, t in targets.items() if rels not in deleted))
            if existing is None:
                part = _free_name(all_names | named, "xl/worksheets/sheet{}.xml")
                sheets_added.append(sw.name)
            all_names -= deleted
            drawing_rid = None
            if sw.charts:
                dpart = _free_name(all_names | named | {p for p, _ in new_parts}, "xl/drawings/drawing{}.xml")
                chart_rels = []
                for i, ch in enumerate(sw.charts, 1):
                    cpart = _free_name(all_names | named | {p for p, _ in new_parts}, "xl/charts/chart{}.xml")
                    new_parts.append((cpart, _chart_xml(ch, sw)))
                    chart_rels.append(_Rel(f"rId{i}", RT_CHART, _relative(dpart, cpart)))
                new_parts.append((dpart, _drawing_xml(sw.charts)))
                new_parts.append((_rels_name(dpart), _rels_xml(chart_rels)))
                new_parts.append((_rels_name(part), _rels_xml([_Rel("rId1", RT_DRAWING, _relative(part, dpart))])))
                drawing_rid = "rId1"
            text = _sheet_xml(sw, styles, cell_writer, drawing_rid)
            ours.add(part)
            if existing is not None:
                replaced[part] = text
            else:
                new_parts.append((part, text))
                rid = _next_rid(wb_rels_new)
                wb_rels_new.append(_Rel(rid, RT_WORKSHEET, _relative(wb_part, part)))
                sheet_ids = [int(s[1]) for s in sheets if s[1].isdigit()]
                sid = max(sheet_ids, default=0) + 1 + len(sheets_added) - 1
                wb_new = _add_sheet_to_workbook(wb_new, sw.name, sid, rid, path)
                ct = _ct_override(ct, part, CT_WORKSHEET)
            all_names |= {p for p, _ in new_parts}
        for p in sorted(deleted):
            ct = _ct_remove(ct, p)
        for p, _ in new_parts:
            if p.endswith(".rels"):
                continue
            if p.startswith("xl/drawings/"):
                ct = _ct_override(ct, p, CT_DRAWING)
            elif p.startswith("xl/charts/"):
                ct = _ct_override(ct, p, CT_CHART)
        if sheets_added:
            replaced[wb_part] = wb_new
            replaced[wb_rels_part] = _patch_rels_text(pkg.text(wb_rels_part), wb_rels, wb_rels_new)
        if plan.columns or plan.sheets:
            wb_new = _full_calc_on_load(wb_new)
            if wb_new != wb_xml:
                replaced[wb_part] = wb_new
        if ct != ct_text:
            replaced["[Content_Types].xml"] = ct
        # new parts that replace deleted ones keep the old entry position
        new_map = dict(new_parts)
        for p in list(new_map):
            if p in deleted:
                replaced[p] = new_map.pop(p)
                deleted.discard(p)

        hl_dxfs = [styles.dxf(h.fill, h.font) for h in plan.highlights]

        # The user's small parts we edited as text: a form our splicing did not foresee must
        # not leave them ill-formed (Excel would "repair" the file, dropping what it cannot
        # read). Our own sheets, drawings and charts are whole texts we write, not edits.
        # (styles.xml is checked as it is written: the log's rows may still add to it.)
        edited = {n: t for n, t in replaced.items() if n not in ours}
        for name, text in edited.items():
            _check_well_formed(path, name, text)

        # -- write the package
        out = _Out(out_file, zin.comment)
        log_sheet = _LogSheet(plan, cols, cell_writer, styles, date_fmts, _column_styles(head, cols))
        log_sheet.where = f"{path}: sheet {log[0]!r}"
        log_sheet.path, log_sheet.sheet_name = path, log[0]   # (a refusal's, said in the log's language)

        def stream(to: _Out, info: zipfile.ZipInfo) -> None:
            _stream_log(pkg, info, to, log_sheet, plan, cols, hl_dxfs, last_col, min(used, default=0), as_text,
                        max(used, default=0), table_rows)

        # Streaming the log's rows may add copies of the user's styles to styles.xml
        # (_users_style), so it is written after the sheet. Where it comes first in the
        # package (LibreOffice's order) the sheet is written aside first, into a zip of
        # its own, and copied in its place as it was deflated: the parts keep their order.
        names = [info.filename for info in pkg.infos]
        aside = aside_zip = None
        try:
            if names.index(styles_part) < names.index(log_part):
                aside = tempfile.TemporaryFile()
                side = _Out(aside)
                try:
                    stream(side, pkg.names[log_part])
                except BaseException:
                    _close_quietly(side)
                    raise
                side.close()
                aside_zip = zipfile.ZipFile(aside)
            for info in pkg.infos:
                name = info.filename
                if name in deleted:
                    continue
                if name == log_part:
                    if aside_zip is not None:
                        out.copy_raw(aside_zip, aside_zip.getinfo(log_part))
                    else:
                        stream(out, info)
                elif name == styles_part and styles.changed:
                    _check_well_formed(path, name, styles.text)
                    out.write_text(name, styles.text, info)
                elif name in replaced:
                    out.write_text(name, replaced[name], info)
                else:
                    out.copy_raw(zin, info)
            for name, text in new_map.items():
                out.write_text(name, text, None)
        except BaseException:
            _close_quietly(out)
            raise
        finally:
            if aside_zip is not None:
                aside_zip.close()
            if aside is not None:
                aside.close()
        out.close()
        return WriteReport(
            path=path, backup=None,
            columns={c.spec.header: c.letter for c in cols},
            added_columns=[c.letter for c in added_cols],
            cells_written=log_sheet.written, cells_cleared=log_sheet.cleared,
            sheets_replaced=sheets_replaced, sheets_added=sheets_added,
            tables_extended=tables_extended, notes=notes,
        )


@dataclass
class _WorkbookPart:
    """The workbook part of a package, checked: what every write starts from."""

    part: str
    rels_part: str
    xml: str
    root: ET.Element
    rels: list
    content_types: str
    sheets: list[tuple[str, str, str | None, str, str]]   # (name, sheetId, rid, part, relationship type)

    @classmethod
    def of(cls, pkg: "_Package") -> "_WorkbookPart":
        path = pkg.path
        for info in pkg.infos:
            if info.flag_bits & 0x1:
                raise WorkbookError(f"{path}: the package has encrypted entries; nothing was changed")
        wb_part, wb_rels_part = _main_parts(pkg)
        wb_xml = pkg.text(wb_part)
        if NS_STRICT in wb_xml[:2000]:
            raise WorkbookError(f"{path}: strict Open XML workbooks are not supported; save it as a normal "
                                "Excel workbook (.xlsx); nothing was changed")
        try:
            wb_root = ET.fromstring(wb_xml)
            wb_rels = _parse_rels(pkg.text(wb_rels_part))
            ct_text = pkg.text("[Content_Types].xml")
            ET.fromstring(ct_text)
        except ET.ParseError as exc:
            raise WorkbookError(f"{path}: the workbook part is not well-formed XML ({exc}); nothing was changed") from None
        if not re.search(r"<workbook\b", wb_xml):
            raise WorkbookError(f"{path}: {wb_part} uses a form we do not carry (namespace prefixes); nothing was changed")
        sheets = []
        rel_by_id = {r.id: r for r in wb_rels}
        for s in wb_root.iter(f"{{{NS_MAIN}}}sheet"):
            rid = s.get(f"{{{NS_REL}}}id")
            rel = rel_by_id.get(rid or "")
            part = _resolve(wb_part, rel.target) if rel else ""
            sheets.append((s.get("name", ""), s.get("sheetId", ""), rid, part, rel.type if rel else ""))
        return cls(wb_part, wb_rels_part, wb_xml, wb_root, wb_rels, ct_text, sheets)


def _our_sheet(pkg: "_Package", sheets: list, name: str) -> tuple | None:
    """The workbook's sheet of our sheet's `name`, if it has one (None if not); refused
    when it is not ours to replace."""
    path = pkg.path
    _check_sheet_name(path, name)
    # Excel sheet names ignore case: "stats" is our "Stats", never a second one
    existing = next((s for s in sheets if s[0].casefold() == name.casefold()), None)
    if existing is not None and (existing[4] != RT_WORKSHEET or not existing[3]):
        raise WorkbookError(f"{path}: a sheet named {name!r} exists and is not a worksheet; rename it and run again")
    if existing is not None and pkg.has(existing[3]):
        text = pkg.text(existing[3])
        if not _carries_mark(text):
            raise WorkbookError(Said("not_our_sheet", path=path, sheet=existing[0], name=name))
        _check_ours_open(path, existing[0], text)
    return existing


def _check_ours_open(path: Path, name: str, sheet_xml: str) -> None:
    """Refused, before anything is written, to rewrite a sheet of ours the user protected:
    Excel itself would refuse to change it, and a rewrite would drop the protection."""
    if _PROTECTED.search(sheet_xml):
        raise our_sheet_protected(name, path)


def _ours_formerly(pkg: "_Package", sheets: list, names: Iterable[str], owned: set[str]) -> tuple | None:
    """The first sheet called one of `names` (any case) that Call Tracker wrote, and that
    no sheet of the plan (`owned`, casefolded) is called; a user's is not ours to rename."""
    for name in names:
        found = next((s for s in sheets if s[0].casefold() == name.casefold()), None)
        if (found is not None and found[0].casefold() not in owned and found[4] == RT_WORKSHEET
                and found[2] and pkg.has(found[3])):
            text = pkg.text(found[3])
            if _carries_mark(text):
                _check_ours_open(pkg.path, found[0], text)
                return found
    return None


def _rename_sheet(wb: str, rid: str, name: str, path: Path) -> str:
    """The workbook part with the sheet of relationship `rid` called `name`."""
    for m in re.finditer(r"<(?:[\w.-]+:)?sheet\b[^>]*>", wb):
        tag = m.group(0)
        if re.search(rf'\s[\w.-]+:id\s*=\s*["\']{re.escape(rid)}["\']', tag):
            renamed = re.sub(r'(\sname\s*=\s*)("[^"]*"|\'[^\']*\')', lambda a: f'{a[1]}"{_esc_attr(name)}"', tag, count=1)
            return wb[:m.start()] + renamed + wb[m.end():]
    raise WorkbookError(f"{path}: the workbook part does not list the sheet to rename; nothing was changed")


_ODD_HEADER = re.compile(r"<(?:[\w.-]+:)?oddHeader\b[^>]*(?<!/)>(.*?)</(?:[\w.-]+:)?oddHeader>", re.S)
# A page header's codes: "&&" a literal "&"; "&L" "&C" "&R" its sections; then what
# only formats the text (font, size, colour, bold...); any other code is a field (page
# number, date, file name...).
_HF_CODE = re.compile(r'&&|&[LCR]|(&"[^"]*"|&K(?:[0-9A-Fa-f]{6}|\d\d[+-]\d{3})|&\d+|&[BIUESXYOH])|&.?')


def _carries_mark(sheet_xml: str) -> bool:
    """Whether the sheet's page header says Call Tracker wrote it: the left section of
    its header reads "Written by Call Tracker". Other programs save it in their own way
    (openpyxl as "&L&8 Written by...", others with a font or colour code), so formatting
    codes and spacing do not count; text anywhere else, even the same words, does not
    make a user's sheet ours."""
    m = _ODD_HEADER.search(sheet_xml)
    if m is None:
        return False
    header = html.unescape(m.group(1))
    left, section, pos = [], "C", 0   # text before any section code is centred
    for code in _HF_CODE.finditer(header):
        if section == "L":
            left.append(header[pos:code.start()])
        pos = code.end()
        token = code.group()
        if token in ("&L", "&C", "&R"):
            section = token[1]
        elif section == "L" and code.group(1) is None:
            left.append("&" if token == "&&" else "\0")   # a field is not our text
    if section == "L":
        left.append(header[pos:])
    return " ".join("".join(left).split()) == _MARK_WORDS


def preflight(path: str | Path, sheets: Iterable[str]) -> None:
    """What `apply` would refuse whatever the plan: a workbook open in Excel or
    LibreOffice, a file it cannot write into, a sheet of ours (`sheets`) that is the
    user's. Asked before a big log's seconds of reading and working out; `apply` asks
    again (the file may change meanwhile)."""
    path = Path(path)
    check_not_open(path)
    _check_writable_kind(path)
    with _open_package(path) as zin, _understood(path):
        pkg = _Package(path, zin)
        workbook = _WorkbookPart.of(pkg)
        for name in sheets:
            if _our_sheet(pkg, workbook.sheets, name) is None:
                _check_structure_open(path, workbook.xml, name)


def _check_structure_open(path: Path, wb_xml: str, name: str) -> None:
    """Refused, as Excel refuses it, to add or rename sheet `name` in a workbook whose
    structure is protected (Review > Protect Workbook)."""
    if _STRUCTURE_LOCKED.search(wb_xml):
        raise WorkbookError(Said("structure_protected", path=path, name=name, click=False))


_STRUCTURE_LOCKED = re.compile(r"""<(?:[\w.-]+:)?workbookProtection\b[^>]*?\slockStructure\s*=\s*["'](?:1|true)["']""")


def _open_package(path: Path) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise WorkbookError(f"{path}: not a readable .xlsx package ({exc}); nothing was changed") from None


@contextmanager
def _understood(path: Path) -> Iterator[None]:
    """Odd content in the package becomes one clear WorkbookError, never a traceback."""
    try:
        yield
    except (WorkbookError, OSError):
        raise
    except Exception as exc:   # noqa: BLE001
        raise WorkbookError(f"{path}: cannot update the workbook, it holds content we do not "
                            f"understand ({type(exc).__name__}: {exc}); nothing was changed") from None


def _check_sheet_name(path: Path, name: str) -> None:
    if not name or len(name) > 31 or re.search(r"[\\/?*\[\]:]", name) or name.startswith("'") or name.endswith("'"):
        raise WorkbookError(f"{path}: {name!r} cannot be a sheet name (1-31 characters, none of \\ / ? * [ ] :)")


def _end_tag(text: str, local: str) -> re.Match | None:
    """The last end tag `</local>` in `text`: with the prefix the writer bound (`</x:sheets>`)
    and the white space XML allows before its `>` (`</Types >`); group 1 is the prefix
    with its colon. Elements we add go before it, with that prefix, so they land in the
    namespace of their parent whichever way the writer spelt it."""
    last = None
    for last in re.finditer(rf"</((?:[\w.-]+:)?){local}\s*>", text):
        pass
    return last


def _add_sheet_to_workbook(wb: str, name: str, sid: int, rid: str, path: Path) -> str:
    end = _end_tag(wb, "sheets")
    if end is None:
        raise WorkbookError(f"{path}: the workbook part has no <sheets> list; nothing was changed")
    # The relationships prefix only as the root binds it: a declaration on another element
    # (a <sheet xmlns:r=...>) is out of scope where ours goes. Else ours declares its own.
    root = re.search(r"<(?:[\w.-]+:)?workbook\b[^>]*>", wb)
    m = re.search(r'\sxmlns:([\w.-]+)\s*=\s*["\']' + re.escape(NS_REL) + "[\"']", root.group(0)) if root else None
    sheets = re.search(r"<(?:[\w.-]+:)?sheets\b[^>]*>", wb)
    if m and sheets and re.search(rf"\sxmlns:{re.escape(m.group(1))}\s*=", sheets.group(0)) is None:
        prefix, decl = m.group(1), ""
    else:
        prefix, decl = "ctr", f' xmlns:ctr="{NS_REL}"'
    el = f'<{end.group(1)}sheet name="{_esc_attr(name)}" sheetId="{sid}"{decl} {prefix}:id="{rid}"/>'
    return wb[:end.start()] + el + wb[end.start():]


# What CT_Workbook puts after <calcPr>, in schema order (ECMA-376 Part 1, 18.2.28).
_AFTER_CALC_PR = re.compile(r"<(?:oleSize|customWorkbookViews|pivotCaches|smartTagPr|smartTagTypes|webPublishing|"
                            r"fileRecoveryPr|webPublishObjects|extLst)\b")


def _full_calc_on_load(wb: str) -> str:
    """The workbook part asking for a full recalculation when it is opened. Formulas of
    the user's that read our columns keep the results they had when last saved, and
    Excel recalculates a file saved by its own version only when asked to."""
    m = re.search(r"<(?:[\w.-]+:)?calcPr\b[^>]*>", wb)
    if m is not None:
        tag = m.group(0)
        if _attr(tag, "fullCalcOnLoad") in ("1", "true"):
            return wb
        return wb[:m.start()] + _set_attr(tag, "fullCalcOnLoad", "1") + wb[m.end():]
    # after <sheets> (and definedNames, externalReferences...): the elements looked for
    # also occur inside earlier ones (an extLst in a workbookView)
    sheets = re.search(r"</sheets\s*>|<sheets\b[^>]*/>", wb)
    if sheets is None:
        return wb
    later = _AFTER_CALC_PR.search(wb, sheets.end())
    end = _end_tag(wb, "workbook")
    pos = later.start() if later else end.start() if end else -1
    if pos < 0:
        return wb
    return wb[:pos] + '<calcPr fullCalcOnLoad="1"/>' + wb[pos:]


def _check_well_formed(path: Path, name: str, text: str) -> None:
    """Refuse, before the file is replaced, a part of the user's our edit left ill-formed
    (an unbound prefix, a misplaced end tag...)."""
    parser = expat.ParserCreate(namespace_separator=" ")   # with namespaces: prefixes must be bound
    try:
        parser.Parse(text.encode("utf-8"), True)
    except expat.ExpatError as exc:
        raise WorkbookError(f"{path}: cannot update {name}: it is written in a form Call Tracker does not "
                            f"carry ({exc}); nothing was changed") from None


def _patch_rels_text(text: str, old: list[_Rel], new: list[_Rel]) -> str:
    """Append the new relationships to the original text (the old ones stay byte-for-byte)."""
    end = _end_tag(text, "Relationships")
    if end is None:
        raise WorkbookError("the workbook's relationships part has no </Relationships>; nothing was changed")
    add = "".join(
        f'<{end.group(1)}Relationship Id="{_esc_attr(r.id)}" Type="{_esc_attr(r.type)}" Target="{_esc_attr(r.target)}"/>'
        for r in new[len(old):])
    return text[:end.start()] + add + text[end.start():]


def _ct_override(ct: str, part: str, ctype: str) -> str:
    """The content types with `part`, a part we add, as `ctype`: an entry left for a part
    of that name that is gone (another type's: a chartsheet) would make ours that."""
    pn = "/" + part
    ct = _ct_remove(ct, part)
    end = _end_tag(ct, "Types")
    if end is None:
        raise WorkbookError("[Content_Types].xml has no </Types>; nothing was changed")
    el = f'<{end.group(1)}Override PartName="{_esc_attr(pn)}" ContentType="{ctype}"/>'
    return ct[:end.start()] + el + ct[end.start():]


def _ct_remove(ct: str, part: str) -> str:
    # Part names compare without case (OPC): /xl/Worksheets/Sheet2.xml is the same part.
    return re.sub(r'<(?:[\w.-]+:)?Override\b[^>]*\sPartName\s*=\s*(["\'])' + re.escape("/" + part) + r'\1[^>]*/>',
                  "", ct, flags=re.IGNORECASE)


def _widened(ref: str, header_row: int, first_col: int, added: list[_Col]) -> str | None:
    """A sheet AutoFilter's range (A1:V41, or $A$1:$V$41 as a defined name holds it) grown
    over the columns we added just right of it, as a table's is; None when the filter is
    not the log's (not on its header row, not over its first column) or ours are not
    adjacent: a filter of the user's elsewhere on the sheet is theirs."""
    dollar = "$" in ref
    a, _, b = ref.replace("$", "").partition(":")
    try:
        (c1, r1), (c2, r2) = _parse_ref(a), _parse_ref(b or a)
    except ValueError:
        return None
    if r1 != header_row or not c1 <= first_col <= c2:
        return None
    last = c2
    for c in added:   # (sorted by column)
        if c.col == last + 1:
            last = c.col
    if last == c2:
        return None
    d = "$" if dollar else ""
    return f"{d}{_letter(c1)}{d}{r1}:{d}{_letter(last)}{d}{r2}"


_FILTER_DATABASE = re.compile(r"(<(?:[\w.-]+:)?definedName\b[^>]*\sname\s*=\s*[\"']_xlnm\._FilterDatabase[\"'][^>]*>)([^<]*)(</)")


def _widen_filter_name(wb: str, sheet_index: int, header_row: int, first_col: int, added: list[_Col]) -> str:
    """The workbook part with the log sheet's _xlnm._FilterDatabase (the name Excel keeps
    for its AutoFilter) widened as the filter itself is (`_widened`)."""
    def fix(m: re.Match) -> str:
        if _attr(m.group(1), "localSheetId") != str(sheet_index):
            return m.group(0)
        where, bang, ref = m.group(2).rpartition("!")
        new = _widened(ref, header_row, first_col, added) if bang else None
        return m.group(1) + where + bang + new + m.group(3) if new else m.group(0)
    return _FILTER_DATABASE.sub(fix, wb)


def _logs_table_before(pkg: "_Package", sheet_part: str, rels: list, header_row: int, first_col: int,
                       added: list[_Col]) -> str | None:
    """The name of the log's own table when our `added` columns would grow it
    (_extend_table), else None."""
    for rel in rels:
        tpart = _resolve(sheet_part, rel.target) if rel.type == RT_TABLE else ""
        if tpart and pkg.has(tpart) and _extend_table(text := pkg.text(tpart), header_row, first_col, added):
            tag = re.search(r"<table\b[^>]*>", text).group(0)
            return _attr(tag, "displayName") or _attr(tag, "name") or tpart
    return None


def _log_table(pkg: "_Package", sheet_part: str, rels: list, header_row: int, first_col: int
               ) -> tuple[str, int, int, int, int] | None:
    """(name, first column, first row, last column, last row) of the Excel table that is
    the log, as _extend_table knows it: on its header row, holding its first column."""
    for rel in rels:
        tpart = _resolve(sheet_part, rel.target) if rel.type == RT_TABLE else ""
        if not tpart or not pkg.has(tpart):
            continue
        tag = re.search(r"<table\b[^>]*>", pkg.text(tpart))
        try:
            a, b = (_attr(tag.group(0), "ref") or "").split(":")
            (c1, r1), (c2, r2) = _parse_ref(a), _parse_ref(b)
        except (AttributeError, ValueError):
            continue
        if r1 == header_row and c1 <= first_col <= c2 \
                and (_attr(tag.group(0), "headerRowCount") or "1") != "0":
            return _attr(tag.group(0), "displayName") or _attr(tag.group(0), "name") or tpart, c1, r1, c2, r2
    return None


def _join_table(pkg: "_Package", sheet_part: str, rels: list, plan: WritePlan, cols: list[_Col],
                used: list[int], sst: Callable[[int], str], notes: list[str], floor: int = 0
                ) -> tuple[int, int] | None:
    """A log kept as an Excel table has our columns in the table (_extend_table), or its
    sort and filter would leave them on other calls' rows, its colour rules on the wrong
    ones. Columns to add go right of the table when the columns there are free, whatever
    the user keeps further right (a "Total" in Q1 sent them right of Q: the sheet's
    extent); a cell of the user's there, or a drop-down, a colour rule (`floor`: what the
    sheet's end showed, _TakenColumns) or a note, and they are refused, naming all that is
    in the way and what to move, before anything is written: written beside the table,
    they would stay there at every refresh, found by their headers. Only the rows ours are
    written in count (the table's, and a call's typed below it): a total or a note of the
    user's under the table, or a title above it, stays where it is, the table grown past
    it. Ours found outside the table (an earlier version put them there) are said, with
    what to do. Returns those rows (first, last) when ours join the table, else None."""
    if not used:
        return None
    table = _log_table(pkg, sheet_part, rels, plan.header_row, min(used))
    if table is None:
        return None
    name, c1, r1, c2, r2 = table
    added = sorted((c for c in cols if c.added), key=lambda c: c.col)
    outside = sorted(c.col for c in cols if not c.added and c.col > c2)
    rows = None
    if added:
        rows = r1, max(r2, plan.last_data_row, *(max(c.spec.values, default=0) for c in added))
    if added and added[0].col != c2 + 1:
        first, last = c2 + 1, c2 + len(added)
        cells, tail = _filled_cells(pkg, sheet_part, first, last, sst)
        cells = [c for c in cells if rows[0] <= c[1] <= rows[1]]
        noted = sorted(n for n in _notes_at(pkg, sheet_part) if first <= n[0] <= last and rows[0] <= n[1] <= rows[1])
        # (as _users_after judges them, which would find them once ours are written)
        areas = [a for a in _users_areas(tail, (min(used), max(used))) if _areas_after([a[2:4]], first, last)
                 and a[4] <= rows[1] and a[5] >= rows[0]]
        if not cells and not noted and not areas and floor <= first:
            for col, c in enumerate(added, first):
                c.col, c.letter = col, _letter(col)
        else:
            raise WorkbookError(table_in_the_way(
                name, f"{_letter(c1)}{r1}:{_letter(c2)}{r2}", [c.spec.header for c in added],
                f"{_letter(first)}:{_letter(last)}", cells, noted, areas, path=pkg.path))
    if outside:
        where = f"{_letter(outside[0])}:{_letter(outside[-1])}"
        notes.append(Said("outside_table", where=where, name=name, box=f"{_letter(c1)}{r1}:{_letter(c2)}{r2}",
                          free=f"{_letter(c2 + 1)}:{_letter(c2 + len(outside))}"))
    return rows


# At most this many places are named of each kind of thing in the way of our columns
# (cells, notes, drop-downs...): the rest are counted.
_NAMED_IN_THE_WAY = 6

# The kinds of area of the user's (_users_areas) a refusal names, in this order (their
# words: templates/lines/table_in_the_way).
_AREA_KINDS = ("dataValidation", "conditionalFormatting", "mergeCell", "hyperlink", "sparkline", "control")


def table_in_the_way(name: str, box: str, headers: list[str], span: str, cells: list[tuple[int, int, str]],
                     noted: list[tuple[int, int, str]], areas: list, *, path: Any = None, sheet: str = "") -> Said:
    """Why our columns cannot join the log's table `name` (at `box`) at `span`, as both
    doors refuse it (the ribbon's _Context._join_table too): what is in the way
    (`in_the_way`), and what to do; `path` (the file's), else the `sheet` (Excel's)."""
    parts, many = in_the_way(cells, noted, areas)
    return Said("table_in_the_way", path=path, sheet=sheet, name=name, box=box, headers=headers, span=span,
                last=span.split(":")[-1], parts=parts, many=many)


def in_the_way(cells: list[tuple[int, int, str]], noted: list[tuple[int, int, str]],
                areas: list[tuple[str, str, int, int, int, int]]) -> tuple[list[tuple[str, list, int]], bool]:
    """What is in the way of our columns, as templates/lines/table_in_the_way names it
    (kind, places, how many more than _NAMED_IN_THE_WAY), and whether it is more than one
    thing: the cells (column, row, text shown) as runs down a column ("K2:K9"), the
    notes (column, row, cell), the areas (_users_areas), so that one refusal names all
    there is to move. []: the sheet's end said so, and it no longer reads as it did."""
    parts: list[tuple[str, list, int]] = []
    if cells:
        runs: list[list] = []   # [column, first row, last row, text of the first]
        for col, row, shown in sorted(cells):
            if runs and runs[-1][0] == col and runs[-1][2] == row - 1:
                runs[-1][2] = row
            else:
                runs.append([col, row, row, shown])
        if len(cells) == 1:
            parts.append(("cell", [(f"{_letter(runs[0][0])}{runs[0][1]}", _shown(runs[0][3]))], 0))
        else:
            named = [(f"{_letter(c)}{a}" if a == b else f"{_letter(c)}{a}:{_letter(c)}{b}", _shown(t), a != b)
                     for c, a, b, t in runs]
            parts.append(("cells", named, sum(b - a + 1 for _, a, b, _ in runs[_NAMED_IN_THE_WAY:])))
    if noted:
        named = [ref for _, _, ref in noted]
        parts.append(("note", named, 0) if len(named) == 1 else ("notes", named, len(named) - _NAMED_IN_THE_WAY))
    for kind in _AREA_KINDS:
        named = list(dict.fromkeys(a[1] for a in areas if a[0] == kind))
        if named:
            parts.append((kind, named, len(named) - _NAMED_IN_THE_WAY))
    if not parts:
        return [], False
    return parts, len(parts) > 1 or len(cells) > 1 or len(noted) > 1 or len(areas) > 1


def _shown(text: str) -> str:
    return " ".join(text.split())[:40]


_ROWS_END = re.compile(rb"</sheetData>|<sheetData\s*/>")


def _filled_cells(pkg: "_Package", sheet_part: str, first: int, last: int, sst: Callable[[int], str]
                  ) -> tuple[list[tuple[int, int, str]], str]:
    """The cells in columns `first`..`last` that hold something, as (column, row, text as
    shown: a formula's last value, or the formula), and the sheet's end (after its rows).
    A pass over the sheet's bytes (only when a table log cannot grow)."""
    letters = "|".join(_letter(c) for c in range(first, last + 1))
    cell = re.compile(rb'<c\b[^>]*?\br="(' + letters.encode() + rb')(\d+)"[^>]*?(?<!/)>(.*?)</c>', re.S)
    found = []
    tail: list[bytes] = []
    for text in _sheet_pieces(pkg, sheet_part):
        if tail:
            tail.append(text)
            continue
        end = _ROWS_END.search(text)
        if end is not None:
            tail.append(text[end.start():])
            text = text[:end.start()]
        for m in cell.finditer(text):
            xml = m.group(0).decode("utf-8", "replace")
            tag = xml[:xml.index(">")]
            body = m.group(3).decode("utf-8", "replace")
            v = re.search(r"<v>(.*?)</v>", body, re.S)
            if _attr(tag, "t") == "s" and v:
                shown = sst(int(v.group(1)))
            elif _attr(tag, "t") == "inlineStr":
                shown = "".join(_unesc(x) for x in re.findall(r"<t\b[^>]*>(.*?)</t>", body, re.S))
            else:
                f = re.search(r"<f\b[^>]*>(.*?)</f>", body, re.S)
                shown = _unesc(v.group(1)) if v else f"={_unesc(f.group(1))}" if f else ""
            if shown.strip():
                found.append((_col_index(m.group(1).decode()), int(m.group(2)), shown))
    return found, b"".join(tail).decode("utf-8", "replace")


def _extend_table(text: str, header_row: int, first_col: int, added: list[_Col]) -> str | None:
    """Grow the log's own table when its last column sits just left of our added
    columns; else None. The log's table is the one whose header row is the log's and
    which holds the log's first column (`first_col`): a table of the user's beside the
    log, even on the same header row, is theirs and is left as it is."""
    m = re.search(r"<table\b[^>]*>", text)
    if not m:
        return None
    tag = m.group(0)
    ref = _attr(tag, "ref") or ""
    try:
        a, b = ref.split(":")
        c1, r1 = _parse_ref(a)
        c2, r2 = _parse_ref(b)
    except ValueError:
        return None
    if r1 != header_row or not c1 <= first_col <= c2 or (_attr(tag, "headerRowCount") or "1") == "0":
        return None
    grow = []
    nxt = c2 + 1
    for c in added:
        if c.col == nxt:
            grow.append(c)
            nxt += 1
    if not grow:
        return None
    c2n = grow[-1].col
    new_ref = f"{_letter(c1)}{r1}:{_letter(c2n)}{r2}"
    text = text[:m.start()] + _set_attr(tag, "ref", new_ref) + text[m.end():]
    af = re.search(r"<autoFilter\b[^>]*?/?>", text)
    if af:
        afr = _attr(af.group(0), "ref")
        if afr:
            x, _, y = afr.partition(":")
            try:
                fc1, fr1 = _parse_ref(x)
                _, fr2 = _parse_ref(y or x)
                text = text[:af.start()] + _set_attr(af.group(0), "ref", f"{_letter(fc1)}{fr1}:{_letter(c2n)}{fr2}") + text[af.end():]
            except ValueError:
                pass
    tc = re.search(r"<tableColumns\b[^>]*>", text)
    end = text.find("</tableColumns>")
    if not tc or end < 0:
        return None
    ids = [int(x) for x in re.findall(r'<tableColumn\b[^>]*?\bid="(\d+)"', text)]
    names = {_unesc(x).casefold() for x in re.findall(r'<tableColumn\b[^>]*?\bname="([^"]*)"', text)}
    nid = max(ids, default=0)
    add = []
    for c in grow:
        nid += 1
        name = c.spec.header
        k = 2
        while name.casefold() in names:   # table column names must be unique
            name = f"{c.spec.header}{k}"
            k += 1
        names.add(name.casefold())
        c.spec = ColumnWrite(**{**c.spec.__dict__, "header": name}) if name != c.spec.header else c.spec
        # line breaks in a column name are written as Excel does, or the name would no
        # longer match its header cell (attribute values fold newlines into spaces)
        xml_name = _esc_attr(_clean_text(name)).replace("\r", "_x000d_").replace("\n", "_x000a_").replace("\t", "_x0009_")
        add.append(f'<tableColumn id="{nid}" name="{xml_name}"/>')
    text = text[:end] + "".join(add) + text[end:]
    tc = re.search(r"<tableColumns\b[^>]*>", text)
    count = len(re.findall(r"<tableColumn\b", text))
    text = text[:tc.start()] + _set_attr(tc.group(0), "count", str(count)) + text[tc.end():]
    return text


# A sheet's XML past this size is deflated at level 1, by ISA-L when it is installed
# (tracker.deflate).
_BIG_SHEET = 8 << 20


def _stream_log(pkg: _Package, info: zipfile.ZipInfo, out: _Out, log: _LogSheet, plan: WritePlan,
                cols: list[_Col], hl_dxfs: list[int], last_col: int, first_col: int = 0, text: bool = False,
                log_last: int = 0, table_rows: tuple[int, int] | None = None) -> None:
    """`text`: the rows read as text, not as UTF-8 bytes (see _AsText); `first_col`, `log_last`:
    the log's first and last columns (by its header); `table_rows`: the rows ours are
    written in when they join the log's table (_join_table)."""
    big = info.file_size > _BIG_SHEET
    max_row = max(plan.last_data_row, plan.header_row, log.valued)   # (log.cols are `cols`)
    where = f"{pkg.path}: the sheet {plan.sheet!r}"
    enc = codecs.getincrementalencoder("utf-8")()
    split = _split(pkg, info, log, big, text)   # before the writing thread starts: no fork beside threads
    dec = codecs.getincrementaldecoder("utf-8-sig")()
    reading_rows = False
    try:
        with deflate.reading(pkg.zf.open(info)) as src, out.open_stream(info.filename, info, big) as stream, \
                _WriteBehind(stream) as dst:
            xml, patch = _rows_read(text, log, src, dec, where)
            head, sheet_data, empty = xml.head()
            reading_rows = not text
            if empty:   # <sheetData/>
                dst.write(enc.encode(_patch_head(head, plan, cols, max_row) + "<sheetData>"))
                dst.write(enc.encode(log.remaining_rows() + "</sheetData>"))
                tail = xml.rest()
            else:
                dst.write(enc.encode(_patch_head(head, plan, cols, max_row) + sheet_data))
                for run in xml.rows():
                    if split is not None and (k := run.find(_row_tag(split.row, text))) >= 0:
                        dst.write(patch(run[:k]) + enc.encode(log.remaining_rows(below=split.row)))
                        tail, split = split.rest(log, dst), None
                        if tail is not None:
                            break
                        run = run[k:]   # (the child failed: this process patches the rest)
                    dst.write(patch(run))
                else:
                    dst.write(enc.encode(log.remaining_rows()))
                    tail = xml.rest()
            reading_rows = False
            if "</worksheet>" not in tail:
                raise WorkbookError(f"{where} is cut short; nothing was changed")
            if _PROTECTED.search(tail):
                raise sheet_protected(plan.sheet, pkg.path)
            added = [c.col for c in cols if c.added]
            if added and (after := _users_after(tail, min(added), max(added), (first_col, log_last),
                                                     table_rows)):
                raise _TakenColumns(after)
            dst.write(enc.encode(_patch_tail(tail, plan, cols, hl_dxfs, last_col, first_col), final=True))
    except Exception:
        # Whatever stopped the rows patched as bytes (text not UTF-8, a formula of the
        # user's in our column...), their reading as text says how to refuse it.
        if not reading_rows:
            raise
        raise _AsText from None
    finally:
        if split is not None:
            split.child.cancel()


class _TakenColumns(Exception):
    """The columns we added hold something of the user's that only the sheet's end says
    (a drop-down, merged cells, a link, a colour rule, a sparkline of theirs; LibreOffice
    leaves such columns out of <dimension>), or lie under a picture or chart of theirs
    (`drawn`): the write starts again with ours from `after` on."""

    def __init__(self, after: int, drawn: bool = False):
        super().__init__(after)
        self.after, self.drawn = after, drawn


# Elements of a sheet's end whose cells are the user's, and the attribute naming them.
_USERS_CELLS = re.compile(
    r"<(dataValidation|mergeCell|hyperlink|conditionalFormatting)\b[^>]*?\s(?:sqref|ref)=\"([^\"]*)\"")
# The same in the sheet's extension list, where the areas are an element's text: a
# drop-down listing another sheet's cells (as Excel writes it), a sparkline's cell, an
# x14 colour rule (<xm:sqref>W2:W41</xm:sqref>; a sparkline's source is an <xm:f>); the
# element an <xm:sqref> belongs to is the one of these open around it, if any.
_USERS_X14_CELLS = re.compile(
    r"<(/?)(?:[\w.-]+:)?(dataValidation|conditionalFormatting|sparkline)\b|<(?:[\w.-]+:)?sqref\s*>([^<]*)<")


def _users_after(tail: str, first: int, last: int, log: tuple[int, int] = (0, 0),
                 rows: tuple[int, int] | None = None) -> int:
    """0, or the first column right of every area of the user's that reaches into columns
    `first`..`last` (1-based), by the sheet's end (our own rules are not the user's),
    and of every form control or embedded object it anchors there. `log`: the log's
    first and last columns; `rows`: the rows ours are written in, when ours join the
    log's table (_join_table): an area wholly above or below them is not in their way.

    A colour rule or a drop-down holds no value, and our cells can share it. A band of
    them laid over the log and on to the right (zebra stripes over A2:T500, an input
    message over A2:Z1000) is the table's: our columns join the log under it, where its
    filter, table and sort take them, not past its end. So a colour rule starting at or
    left of the log's last column, and a drop-down starting at or left of its first,
    do not count. A drop-down from inside the log on (B2:D201 of a log A:B) is one
    column's list the user carried into the free ones, which would judge our values;
    and anything starting right of the log (a drop-down of the user's own column K)
    is theirs: we step over it."""
    return _areas_after([(a[2], a[3]) for a in _users_areas(tail, log)
                         if rows is None or (a[4] <= rows[1] and a[5] >= rows[0])], first, last)


def _users_areas(tail: str, log: tuple[int, int]) -> list[tuple[str, str, int, int, int, int]]:
    """The areas of the user's the sheet's end (`tail`) names that count as theirs (see
    _users_after), as (kind, the area as written, first and last column, first and last
    row; 1-based): kind "dataValidation", "conditionalFormatting", "mergeCell",
    "hyperlink", "sparkline", or "control" for a form control or embedded object (its
    rows not read: all of them)."""
    tail = _strip_our_rules(tail)
    areas = [("control", f"{_letter(c0)}:{_letter(c1)}", c0, c1, 1, _MAX_ROWS) for c0, c1 in _control_areas(tail)]

    def counts(kind: str, c0: int) -> bool:
        if kind == "conditionalFormatting":
            return c0 > log[1]
        if kind == "dataValidation":
            return c0 > log[0]
        return True

    def add(kind: str, sqref: str) -> None:
        for area in sqref.split():
            start, _, end = area.partition(":")
            try:
                (c0, r0), (c1, r1) = _parse_ref(start), _parse_ref(end or start)
            except ValueError:
                continue
            if counts(kind, c0):
                areas.append((kind, area.replace("$", ""), c0, c1, min(r0, r1), max(r0, r1)))

    for m in _USERS_CELLS.finditer(tail):
        add(m.group(1), m.group(2))
    kind = ""
    for m in _USERS_X14_CELLS.finditer(tail):
        if m.group(2):
            kind = "" if m.group(1) else m.group(2)
        else:
            add(kind, m.group(3))
    return areas


_MAX_ROWS = 1048576   # a sheet's last row


# A form control or embedded object as Excel 2010 and later keep it in the sheet's end
# (<controls>/<oleObjects>, in an mc:AlternateContent): its <controlPr> or <objectPr>
# holds an <anchor> with <from> and <to> cells. Excel also writes a VML copy
# (_vml_areas), but other writers may not.
_SHEET_ANCHOR = re.compile(r"<(?:[\w.-]+:)?anchor\b[^>]*>(.*?)</(?:[\w.-]+:)?anchor\s*>", re.S)
_ANCHOR_FROM = re.compile(r"<(?:[\w.-]+:)?from\b[^>]*>(.*?)</(?:[\w.-]+:)?from\s*>", re.S)
_ANCHOR_TO = re.compile(r"<(?:[\w.-]+:)?to\b[^>]*>(.*?)</(?:[\w.-]+:)?to\s*>", re.S)
_MARKER_COL = re.compile(r"<(?:[\w.-]+:)?col(?:\s[^>]*)?>\s*(\d+)\s*<")
_MARKER_COL_OFF = re.compile(r"<(?:[\w.-]+:)?colOff(?:\s[^>]*)?>\s*(\d+)\s*<")


def _control_areas(tail: str) -> list[tuple[int, int]]:
    """The columns (first, last; 1-based) of each form control or embedded object the
    sheet's end (`tail`) anchors to cells."""
    def cell(m: re.Match | None) -> tuple[int, int] | None:
        col = _MARKER_COL.search(m.group(1)) if m else None
        if col is None:
            return None
        off = _MARKER_COL_OFF.search(m.group(1))
        return int(col.group(1)), int(off.group(1)) if off else 0

    out = []
    for a in _SHEET_ANCHOR.finditer(tail):
        start, end = cell(_ANCHOR_FROM.search(a.group(1))), cell(_ANCHOR_TO.search(a.group(1)))
        if start is not None and end is not None:
            out.append(_covered(start, end))
    return out


def _areas_after(areas: Iterable[tuple[int, int]], first: int, last: int) -> int:
    """0, or the first column right of every area (its first and last column, 1-based)
    that reaches into columns `first`..`last`. An area to the sheet's last column (a
    whole row's drop-down) cannot be stepped over: it is left as it was."""
    after = 0
    for c0, c1 in areas:
        if c0 <= last and c1 >= first and c1 < MAX_COLUMNS - len(range(first, last + 1)):
            after = max(after, c1 + 1)
    return after


_XDR = "{http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing}"
_ANCHORS = (_XDR + "twoCellAnchor", _XDR + "oneCellAnchor", _XDR + "absoluteAnchor")
_EMU_PER_PX = 9525
# The widest digit of the workbook's Normal font, in pixels: 7 for Excel's default
# (Calibri or Aptos 11), which column widths are counted in.
_DIGIT_PX = 7


def _column_widths(head: str) -> Callable[[int], int]:
    """The width in EMU of each column (0-based) of the sheet whose XML before
    <sheetData> is `head`: as its <cols> set it (a hidden one 0), else its
    <sheetFormatPr>'s defaultColWidth, else its baseColWidth (8 digits if none) with
    Excel's 5 pixels of margins and grid line, rounded up to 8 pixels (64 by default)."""
    def px(width: str | None) -> int | None:
        try:
            w = float(width) if width is not None else math.nan
        except ValueError:
            return None
        if not math.isfinite(w) or w < 0:
            return None
        # Excel's rounding of a width stored with its padding (a column of 8.43 shown
        # digits is stored as 9.140625: 64 pixels)
        return int((256 * w + 128 // _DIGIT_PX) / 256 * _DIGIT_PX)

    fmt = re.search(r"<sheetFormatPr\b[^>]*>", head)
    default = px(_attr(fmt.group(0), "defaultColWidth")) if fmt else None
    if default is None:
        base = _attr(fmt.group(0), "baseColWidth") if fmt else None
        digits = int(base) if base is not None and base.isdigit() else 8
        default = -(-(digits * _DIGIT_PX + 5) // 8) * 8
    ranges = []   # (first, last, pixels), 0-based
    for cm in _COLS_RE.finditer(head):
        for x in re.finditer(r"<col\b[^>]*>", cm.group(1)):
            lo, hi = _attr(x.group(0), "min"), _attr(x.group(0), "max")
            if not (lo and hi and lo.isdigit() and hi.isdigit()):
                continue
            hidden = _attr(x.group(0), "hidden") in ("1", "true")
            width = 0 if hidden else px(_attr(x.group(0), "width"))
            ranges.append((int(lo) - 1, int(hi) - 1, default if width is None else width))

    def emu(col: int) -> int:
        return _EMU_PER_PX * next((w for lo, hi, w in ranges if lo <= col <= hi), default)
    return emu


def _drawn_areas(pkg: "_Package", sheet_part: str, widths: Callable[[int], int]) -> list[tuple[int, int]]:
    """The columns (first, last; 1-based) of each picture, chart or shape of the sheet's
    drawing, however anchored (to two cells, to one cell with a size, or at a position
    on the sheet), and of each button, form control or shown note of its legacy (VML)
    drawing: our columns beneath one would be hidden by it. `widths`: each column's
    width in EMU (`_column_widths`). A drawing is small, parsed whole; one we cannot
    parse is carried as it is and names no columns."""
    rels_part = _rels_name(sheet_part)
    if not pkg.has(rels_part):
        return []
    out = []
    for rel in _parse_rels(pkg.text(rels_part)):
        if rel.type not in (RT_DRAWING, RT_VML) or rel.mode == "External":
            continue
        part = _resolve(sheet_part, rel.target)
        if not pkg.has(part):
            continue
        try:
            data = pkg.zf.read(part)
        except (zipfile.BadZipFile, zlib_error, NotImplementedError):
            continue
        if rel.type == RT_VML:
            out.extend(_vml_areas(data))
            continue
        try:
            root = ET.fromstring(data)   # (bytes: whatever encoding it declares)
        except ET.ParseError:
            continue
        for anchor in root.iter():   # (anchors inside mc:AlternateContent too)
            if anchor.tag not in _ANCHORS:
                continue
            if anchor.tag == _XDR + "absoluteAnchor":
                # placed in EMU from the sheet's left edge: on the columns as wide as the
                # sheet makes them
                pos = anchor.find(_XDR + "pos")
                x = _emu(pos.get("x") if pos is not None else None)
                if x is None:
                    continue
                start = _column_at(max(x, 0), widths)
            else:
                start = _anchor_cell(anchor.find(_XDR + "from"))
                if start is None:
                    continue
            end = _anchor_cell(anchor.find(_XDR + "to"))
            if end is None:
                # A oneCellAnchor (openpyxl's pictures) or an absoluteAnchor says only its
                # size: the columns it spans are as wide as the sheet makes them.
                ext = anchor.find(_XDR + "ext")
                cx = _emu(ext.get("cx") if ext is not None else None) or 0
                end = _column_at(start[1] + max(cx, 0), widths, start[0])
            out.append(_covered(start, end))
    return out


def _emu(value: str | None) -> int | None:
    """A coordinate or size of a drawing (ST_Coordinate, in EMU), or None."""
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def _column_at(x: int, widths: Callable[[int], int], col: int = 0) -> tuple[int, int]:
    """(0-based column, offset into it in EMU) of the point `x` EMU right of column
    `col`'s left edge, each column `widths` wide."""
    while col < MAX_COLUMNS - 1 and x >= (w := widths(col)):
        x -= w
        col += 1
    return col, x


def _covered(start: tuple[int, int], end: tuple[int, int]) -> tuple[int, int]:
    """The columns (first, last; 1-based) an object covers from `start` to `end`, each a
    0-based column and an offset into it: one ending on a column's left edge (offset 0)
    does not cover that column."""
    last = end[0] - 1 if end[1] == 0 and end[0] > start[0] else end[0]
    return start[0] + 1, max(start[0], last) + 1


_VML_CLIENT = re.compile(rb"<(?:[\w.-]+:)?ClientData\b([^>]*)>(.*?)</(?:[\w.-]+:)?ClientData\s*>", re.S)
_VML_ANCHOR = re.compile(rb"<(?:[\w.-]+:)?Anchor\s*>([^<]*)<")
_VML_VISIBLE = re.compile(rb"<(?:[\w.-]+:)?Visible\b")


def _vml_areas(vml: bytes) -> list[tuple[int, int]]:
    """The columns (first, last; 1-based) of each shape of a legacy (VML) drawing that is
    on the sheet: a button or other form control, an ActiveX control, a note shown
    (Review > Show Note). A note's box otherwise shows only while the pointer is on its
    cell (_noted_after keeps that cell). VML is read as text, not parsed: Excel's is
    not always well-formed XML."""
    out = []
    for m in _VML_CLIENT.finditer(vml):
        kind = _attr(m.group(1).decode("latin-1"), "ObjectType")
        if kind == "Note" and not _VML_VISIBLE.search(m.group(2)):
            continue
        anchor = _VML_ANCHOR.search(m.group(2))
        # LeftColumn, LeftOffset, TopRow, TopOffset, RightColumn, RightOffset, ...: 0-based
        nums = [n.strip() for n in anchor.group(1).decode("latin-1").split(",")] if anchor else []
        if len(nums) != 8 or not all(n.isdigit() for n in nums):
            continue
        first, last, last_off = int(nums[0]), int(nums[4]), int(nums[5])
        # a shape ending on a column's left edge (offset 0) does not cover that column
        if last_off == 0 and last > first:
            last -= 1
        out.append((first + 1, max(first, last) + 1))
    return out


def _anchor_cell(el: ET.Element | None) -> tuple[int, int] | None:
    """(0-based column, offset into it in EMU) of an anchor's <xdr:from> or <xdr:to>."""
    if el is None:
        return None
    col, off = el.findtext(_XDR + "col", "").strip(), el.findtext(_XDR + "colOff", "0").strip()
    if not col.isdigit():
        return None
    return int(col), int(off) if off.isdigit() else 0


def _noted_after(pkg: "_Package", sheet_part: str, first: int) -> int:
    """0, or the first column right of every cell from column `first` on that holds a
    note (comment) of the user's: a note on an empty cell is outside <dimension> too."""
    return max((col + 1 for col, _, _ in _notes_at(pkg, sheet_part) if col >= first), default=0)


def _notes_at(pkg: "_Package", sheet_part: str) -> list[tuple[int, int, str]]:
    """(column, row, cell) of each note (comment) of the sheet (1-based)."""
    rels_part = _rels_name(sheet_part)
    if not pkg.has(rels_part):
        return []
    found = []
    for rel in _parse_rels(pkg.text(rels_part)):
        part = _resolve(sheet_part, rel.target) if rel.type == RT_COMMENTS and rel.mode != "External" else None
        if part is None or not pkg.has(part):
            continue
        for ref in re.findall(r"<comment\b[^>]*?\sref=\"([^\"]+)\"", pkg.text(part)):
            try:
                found.append((*_parse_ref(ref), ref))
            except ValueError:
                continue
    return found


_READ = 4 << 20   # bytes of the sheet read (inflated) at a time
def sheet_protected(sheet: str, path: Any = None, *, click: bool = False) -> WorkbookError:
    """The refusal to write into the protected `sheet` of the workbook at `path` (none:
    Excel's, which says to `click` again): Excel itself refuses to change one; so do we."""
    return WorkbookError(Said("sheet_protected", path=path, sheet=sheet, ours=False, click=click))


def our_sheet_protected(sheet: str, path: Any = None) -> WorkbookError:
    """The refusal to rewrite a sheet of ours the user protected, in the workbook at `path`
    ("run again"; none: in Excel, "click again"): the same words from both doors. Deleting
    it does as well as unprotecting it: it is ours, written anew."""
    return WorkbookError(Said("sheet_protected", path=path, sheet=sheet, ours=True, click=path is None))


_RESAVE = "nothing was changed. Open the workbook in Excel, save it and run again"


def _row_end_not_found(where: str, row: str) -> WorkbookError:
    return WorkbookError(f"{where}: the end of the row {row} cannot be found (not written </row>); {_RESAVE}")


_PROTECTED = re.compile(SHEET_PROTECTED)


class _SheetXml:
    """A sheet's XML, read from `src` a chunk at a time: its head up to <sheetData>, its
    rows a run of whole rows at a time, then the rest."""

    def __init__(self, src: BinaryIO, dec: codecs.IncrementalDecoder, where: str, buf: str = ""):
        self.src, self.dec, self.where = src, dec, where
        self.buf = buf
        self.ended = False

    def _more(self) -> bool:
        """The next chunk into `buf`; False at the end of the XML."""
        chunk = self.src.read(_READ)
        self.ended = not chunk
        self.buf += self.dec.decode(chunk, final=self.ended)
        return not self.ended

    def head(self) -> tuple[str, str, bool]:
        """The XML before <sheetData ...>, that tag, and whether it is <sheetData/>."""
        while (m := _SHEET_DATA.search(self.buf)) is None:
            if not self._more():
                raise WorkbookError(f"{self.where} has no <sheetData>; nothing was changed")
        head, self.buf = self.buf[:m.start()], self.buf[m.end():]
        return head, m.group(0), bool(m.group(1))

    # (as bytes in _SheetBytes)
    _END, _ROW_END, _ROW, _ODD = "</sheetData>", "</row>", "<row", ("<!--", "<![CDATA[")
    _ODD_END = re.compile("</row[^>]").search

    def rows(self) -> Iterator[str]:
        """Runs of whole rows, the last one up to </sheetData>."""
        while (end := self.buf.find(self._END)) < 0:
            cut = self.buf.rfind(self._ROW_END)
            if cut >= 0:
                run, self.buf = self.buf[:cut + 6], self.buf[cut + 6:]
                yield self._plain(run)
            if self.ended or not self._more():
                raise WorkbookError(f"{self.where} is cut short (no </sheetData>); nothing was changed")
        run, self.buf = self.buf[:end], self.buf[end:]
        yield self._plain(run)

    def _plain(self, run):
        """`run`, when its rows are written as Excel and LibreOffice write them. A row
        ended `</row >` would be taken, with the row after it, for one (our cells of the
        two written into one row); a comment or CDATA among the rows can hold what looks
        like a row or a cell. Both are well-formed XML, neither is written by Excel:
        refused. (~0.08 s of CPU over a 100k log's rows.)"""
        for odd in self._ODD:
            if (k := run.find(odd)) >= 0:
                raise WorkbookError(f"{self.where} has a comment or CDATA section among its rows, "
                                    f"near {self._row_at(run, k)} (not what Excel writes); {_RESAVE}")
        if m := self._ODD_END(run):
            raise _row_end_not_found(self.where, self._row_at(run, m.start()))
        return run

    def _row_at(self, run, k: int) -> str:
        """The start tag of the row that holds `run[k]`, as text."""
        start = max(run.rfind(self._ROW, 0, k), 0)
        shown = run[start:start + 60]
        if isinstance(shown, bytes):
            shown = shown.decode(errors="replace")
        return shown.split(">")[0] + ">"

    def rest(self) -> str:
        """The XML not read yet, to its end."""
        while not self.ended:
            self._more()
        return self.buf


_SHEET_DATA = re.compile(r"<sheetData\b[^>]*?(/?)>")


class _SheetBytes(_SheetXml):
    """`_SheetXml` with the rows as UTF-8 bytes, not decoded: `patch_bytes` patches them
    as such and makes sure they are UTF-8. Its head and the rest after its rows are text."""

    _END, _ROW_END, _ROW, _ODD = b"</sheetData>", b"</row>", b"<row", (b"<!--", b"<![CDATA[")
    _ODD_END = re.compile(b"</row[^>]").search

    def __init__(self, src: BinaryIO, dec: codecs.IncrementalDecoder, where: str, buf: bytes = b""):
        super().__init__(src, dec, where)
        self.buf = buf

    def _more(self) -> bool:
        chunk = self.src.read(_READ)
        self.ended = not chunk
        self.buf += chunk
        return not self.ended

    def head(self) -> tuple[str, str, bool]:
        # Looked for in the text, as `_SheetXml` does; the bytes go on from its end.
        text = ""
        while (m := _SHEET_DATA.search(text)) is None:
            chunk = self.src.read(_READ)
            self.ended = not chunk
            text += self.dec.decode(chunk, final=self.ended)
            self.buf += chunk
            if self.ended:
                raise WorkbookError(f"{self.where} has no <sheetData>; nothing was changed")
        bom = len(codecs.BOM_UTF8) if self.buf.startswith(codecs.BOM_UTF8) else 0   # (utf-8-sig drops it)
        self.buf = self.buf[bom + len(text[:m.end()].encode()):]
        return text[:m.start()], m.group(0), bool(m.group(1))

    def rest(self) -> str:
        while not self.ended:
            self._more()
        return self.buf.decode()


def _row_tag(row: int, text: bool = True) -> str | bytes:
    tag = f'<row r="{row}"'
    return tag if text else tag.encode()


def _rows_read(text: bool, log: _LogSheet, src: BinaryIO, dec: codecs.IncrementalDecoder, where: str,
               held: bytes = b"") -> tuple[_SheetXml, Callable[[Any], bytes]]:
    """The sheet's XML from `src` (after `held`, read already), its rows read as text or
    as UTF-8 bytes (see _AsText), and how a run of them is patched into UTF-8."""
    if text:
        return _SheetXml(src, dec, where, dec.decode(held)), lambda run: log.patch_rows(run).encode()
    return _SheetBytes(src, dec, where, held), log.patch_bytes


# A big sheet with this many rows to patch is patched in two halves, at once: the rows
# from the middle on by a forked child (tracker.fork), those before here. Patching the
# rows is most of the write-back, and the other core is idle then.
_SPLIT_FROM = 20000
_SPLIT_AT = 0.5


@dataclass
class _Split:
    """A child patching the sheet's rows from `row` on."""

    row: int
    child: Child

    def rest(self, log: _LogSheet, dst: "_WriteBehind") -> str | None:
        """The child's rows written to `dst`; the sheet's XML after its rows, or None
        when the child failed (nothing was written, and this process does its rows)."""
        parts = self.child.parts()
        if parts is None:
            return None
        tail = None
        marks: list[tuple[bytes, bytes]] = []   # the child's marks of styles, and their indices here
        for part in parts:
            for item in part:
                if isinstance(item, str):   # a copy of the user's style its rows need (_users_style)
                    marks.append((_style_mark(len(marks)).encode(), b"%d" % log.styles.add_xf(item)))
                elif isinstance(item, bytes):
                    for mark, index in marks:
                        item = item.replace(mark, index)
                    dst.write(item)
                else:
                    written, cleared, tail = item
                    log.written += written
                    log.cleared += cleared
        return tail


def _style_mark(n: int) -> str:
    """What a child writes for the index of the `n`th style it asked its parent to add:
    NUL, which XML forbids, cannot be met in a sheet."""
    return f"\x00{n}\x00"


def _split(pkg: _Package, info: zipfile.ZipInfo, log: _LogSheet, big: bool, text: bool = False) -> _Split | None:
    rows = log.value_rows
    if not big or len(rows) < _SPLIT_FROM or not may_fork():
        return None
    try:
        fd = pkg.zf.fp.fileno()
    except (AttributeError, OSError, ValueError):
        return None
    row = rows[int(len(rows) * _SPLIT_AT)]
    # The child opens the file anew: a descriptor shared with this process shares its offset.
    return _Split(row, Child(lambda: _rows_from(f"/proc/self/fd/{fd}", info.filename, log, row, text)))


def _rows_from(path: str, name: str, log: _LogSheet, row: int, text: bool = False) -> Iterator[list]:
    """The child's work: the sheet's rows from `row` on, patched, in UTF-8 chunks, each
    after the styles (str) first marked in it (`_users_style`); last,
    [(cells written, cells cleared, the sheet's XML after its rows)]. Raises (and so
    fails the child) when the sheet has no `<row r="row"`. `text`: as `_stream_log`'s."""
    needle = _row_tag(row, False)   # (at least as long as b"<sheetData": a cut one stays held)
    with open(path, "rb") as f, zipfile.ZipFile(f) as zf, deflate.reading(zf.open(name)) as src:
        held, in_rows = b"", False
        while True:
            # Looked for where the parent looks: among the rows, not in the sheet's head.
            if not in_rows and (s := held.find(b"<sheetData")) >= 0:
                held, in_rows = held[s:], True
            if in_rows and (k := held.find(needle)) >= 0:
                break
            chunk = src.read(_READ)
            if not chunk:
                raise WorkbookError(f"no row {row}")
            held = held[-len(needle):] + chunk
        log.start_at(row)
        dec = codecs.getincrementaldecoder("utf-8")()
        xml, patch = _rows_read(text, log, src, dec, f"the rows from {row} on", held[k:])
        told = 0   # (each style the rows need, told the parent before the first rows marked with it)
        for run in xml.rows():
            chunk = patch(run)
            yield [*list(log.made)[told:], chunk]
            told = len(log.made)
        yield [log.remaining_rows().encode(), (log.written, log.cleared, xml.rest())]


class _WriteBehind:
    """Writes to `stream` on a thread of its own, one write at a time. Writing the sheet
    is deflating it, and zlib (or ISA-L) lets go of the interpreter while it deflates: the
    sheet is compressed on the other core while this one patches the next rows."""

    def __init__(self, stream: BinaryIO):
        self.stream = stream
        self.pool = ThreadPoolExecutor(1, thread_name_prefix="call-tracker-write")
        self.pending: Future | None = None

    def write(self, data: bytes) -> None:
        self._wait()   # one write in flight: memory stays at a chunk or two
        self.pending = self.pool.submit(self.stream.write, data)

    def _wait(self) -> None:
        if self.pending is not None:
            pending, self.pending = self.pending, None
            pending.result()   # a failed write raises here

    def __enter__(self) -> "_WriteBehind":
        return self

    def __exit__(self, *exc) -> None:
        try:
            if exc[0] is None:
                self._wait()
        finally:
            self.pool.shutdown(wait=True)


# ====================================================================== apply


def drawn_over(first: str, last: str) -> Said:
    """What a refresh says of our new columns (`first` to `last`) stepped over a chart
    (_TakenColumns drawn), from either door (the ribbon's too)."""
    return Said("drawn_over", first=first, last=last)


def apply(
    path: str | Path,
    plan: WritePlan,
    *,
    now: datetime,
    backup_dir: Path | None = None,
    keep_backups: int = 10,
    stale_after: timedelta = timedelta(minutes=15),
    clock: Callable[[], float] = _time.time,
    expected: FileStamp | None = None,
    locked: bool = False,
) -> WriteReport:
    """Write `plan` into the workbook at `path` (safely: see `safe_save`). `expected` is
    the file as it was when the plan's log was read; `locked`: the caller holds our lock."""
    path = Path(path)
    _check_writable_kind(path)
    notes: list[str] = []

    def produce(f: BinaryIO) -> WriteReport:
        floor, kept, as_text, drawn = 0, len(notes), False, False
        with _understood(path):
            while True:
                try:
                    report = _rewrite(path, plan, f, notes, floor, as_text)
                    if drawn and report.added_columns:
                        notes.append(drawn_over(report.added_columns[0], report.added_columns[-1]))
                    return report
                except _TakenColumns as taken:
                    if taken.after <= floor:   # (cannot happen: each round moves right)
                        raise WorkbookError(f"{path}: no free columns for ours; nothing was changed") from None
                    floor, drawn = taken.after, drawn or taken.drawn
                except _AsText:
                    as_text = True
                del notes[kept:]
                f.seek(0)
                f.truncate()

    backup, report = safe_save(
        path, produce, now=now, backup_dir=backup_dir,
        keep_backups=keep_backups, stale_after=stale_after, clock=clock, notes=notes, expected=expected,
        locked=locked, same=same_package,
    )
    report.backup = backup
    report.unchanged = backup is None
    return report
