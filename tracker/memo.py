"""The summaries of unchanged rows, kept from one refresh to the next.

A summary depends on its own row's cells, the configuration, the templates and Call
Tracker itself, and on nothing else: not on other rows, nor on the date. So a refresh
keeps, in the user's cache folder, the fingerprint of each row's inputs with a checksum
of the summary it wrote from them. The next refresh of the sheet takes the Summary cell
as it reads it for each row whose fingerprint is known and whose Summary cell has that
fingerprint's checksum, and computes the others. Any change to a row's cells, the
configuration, a template or the program gives a new fingerprint; a Summary cell edited
by hand, or written with another configuration, fails the checksum: either way that
summary is computed again, exactly as without the memo.

Left out of the fingerprint, when no summary can read them: the cells Call Tracker
writes (Status, Due, Next action, Summary), so the refresh after the first one, which
finds them new in the sheet, already takes its summaries from the memo; and the row's
number and ID, so rows sorted or inserted keep theirs. A summary reads none of them
unless a summary item is configured to come from one of them or a summary template
reads the row's `record`: then only the Summary column is left out. (It is
always left out, being what is written: a template that printed the Summary cell itself
would make each summary depend on the one before, and the memo keeps the one before.)

The memo is only a cache: one that cannot be read or written costs the time it saves.
"""
from __future__ import annotations

import hashlib
import os
import re
import struct
import sys
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .config import Config, forget_older
from .log import utf8
from .model import CallLog

_MAGIC = b"call-tracker summary memo 2\n"
_ENTRY = struct.Struct("<16s8s")   # fingerprint of a row's inputs, checksum of the summary made of them
_KEEP = 20   # memo files kept, one per sheet layout: the least recently written go first


@dataclass(eq=False)
class SummaryMemo:
    path: Path                       # this sheet's memo file
    inputs: bytes                    # digest of what every row shares: config, templates, program, header
    left_out: frozenset[str]         # fields and attributes not in the fingerprints
    prints: list[bytes] | None = None   # fingerprint of each record, in order (once worked out)
    sums: dict[int, bytes] = field(default_factory=dict)   # Excel row -> checksum of its summary, as known

    @classmethod
    def of(cls, folder: Path, log: CallLog, config: Config) -> "SummaryMemo | None":
        """The memo of `log`'s sheet in `folder`; None for a log not read by tracker.log."""
        if log.read_columns is None or log.header_row < 1:
            return None
        left_out = _left_out(config)
        # The sheet's layout without the columns left out: the same before and after
        # a refresh adds them.
        theirs = {c for f, c in log.field_columns.items() if f in left_out}
        layout = (log.sheet, [h for c, h in enumerate(log.headers) if c not in theirs],
                  sorted((f, c) for f, c in log.field_columns.items() if f not in left_out))
        name = hashlib.blake2b(_text(layout), digest_size=10).hexdigest()
        return cls(Path(folder) / f"summaries-{name}.bin", _shared_inputs(layout, log, config), left_out)

    def reusable(self, log: CallLog) -> dict[int, str]:
        """Excel row -> the Summary cell as read, for the rows whose summary would come out
        the same: nothing needs computing there."""
        if "summary" not in log.field_columns:
            return {}    # a first refresh: nothing written yet
        kept = self._load()
        prints = self.fingerprints(log) if kept else None
        if not prints:
            return {}
        out: dict[int, str] = {}
        for text, row, now in zip(log.texts_as_read("summary"), log.column_as_read("row"), prints):
            known = kept.get(now)
            if known is not None and text and checksum(text) == known:
                out[row] = text
                self.sums[row] = known   # the save needs it again: not worked out twice
        return out

    def fingerprints(self, log: CallLog) -> list[bytes] | None:
        if self.prints is None:
            self.prints = log.fingerprints(self.left_out)
        return self.prints

    def save(self, log: CallLog, written: dict[int, str]) -> None:
        """Remember the summaries just written (Excel row -> text) with their rows' inputs."""
        prints = self.fingerprints(log)
        if prints is None:
            return
        by_row = dict(zip(log.column_as_read("row"), prints))
        known = self.sums
        entries = {by_row[row]: known.get(row) or checksum(text) for row, text in written.items()
                   if text and row in by_row}   # rows read the same have the same summary: once
        body = b"".join(map(_ENTRY.pack, entries, entries.values()))
        partial = self.path.with_name(f"{self.path.name}.{os.getpid()}.partial")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            partial.write_bytes(_MAGIC + self.inputs + body)
            os.replace(partial, self.path)   # never a half-written memo under the final name
            _prune(self.path.parent)
        except OSError:
            try:   # a disk that filled up mid-write: no half memo left behind either
                partial.unlink(missing_ok=True)
            except OSError:
                pass

    def _load(self) -> dict[bytes, bytes]:
        try:
            data = self.path.read_bytes()
        except OSError:
            return {}
        head = _MAGIC + self.inputs
        body = memoryview(data)[len(head):]
        if not data.startswith(head) or len(body) % _ENTRY.size:
            return {}   # another configuration, template or program: nothing matches
        return dict(_ENTRY.iter_unpack(body))


def _left_out(config: Config) -> frozenset[str]:
    """The fields and attributes of a row that no summary can read (see the module's doc)."""
    # The columns refresh writes (columns.yaml `written`), the row and its ID: what no
    # summary reads, unless a template reads `record`.
    unread = frozenset(config.section("written") or ()) | {"row", "id"}
    items = config.section("summaries").get("items") or {}
    named = {str(c) for spec in items.values() for c in ((spec or {}).get("columns") or [])}
    if named & unread or _templates_read_record(config):
        return frozenset({"summary"})
    return unread


def _templates_read_record(config: Config) -> bool:
    from .resources import templates_dir

    files = [*(templates_dir() / "summaries").rglob("*.j2")]
    if config.templates_dir:
        files += Path(config.templates_dir).rglob("*.j2")   # any of them may be included
    return any(_reads_record(f) for f in files if f.is_file())


def _reads_record(template: Path) -> bool:
    try:
        return _RECORD.search(template.read_text("utf-8", "replace")) is not None
    except OSError:
        return True   # unreadable here: it may, for all we know


_RECORD = re.compile(r"\brecord\b")


def _shared_inputs(layout: tuple, log: CallLog, config: Config) -> bytes:
    import jinja2

    h = hashlib.blake2b(digest_size=32)
    h.update(_text((sys.version, jinja2.__version__, config.data, layout, log.language)))
    h.update(_program())
    if config.templates_dir:
        h.update(_files(Path(config.templates_dir), "*"))
    return h.digest()


@lru_cache(maxsize=1)
def _program() -> bytes:
    """Digest of Call Tracker's own code and templates."""
    from .resources import templates_dir

    return _files(Path(__file__).resolve().parent, "*.py") + _files(templates_dir(), "*")


def _files(folder: Path, pattern: str) -> bytes:
    h = hashlib.blake2b(digest_size=32)
    for f in sorted(p for p in folder.rglob(pattern) if p.is_file() and "__pycache__" not in p.parts):
        h.update(f.relative_to(folder).as_posix().encode() + b"\0")
        try:
            h.update(f.read_bytes())
        except OSError:
            h.update(b"\1unreadable")
        h.update(b"\0")
    return h.digest()


def _text(value) -> bytes:
    return utf8(repr(value))


def checksum(text: str) -> bytes:
    """Of a summary written: the summaries' processes work it out as they make them
    (summaries.SummariesStarted), the save fills in the others."""
    return hashlib.blake2b(utf8(text), digest_size=8).digest()


def _prune(folder: Path) -> None:
    forget_older(folder, "summaries-*.bin", keep=_KEEP)
