"""A small [MS-CFB] compound file writer (version 3: 512-byte sectors).

Enough for a vbaProject.bin: storages and streams, a mini stream for streams under
4096 bytes, one FAT without DIFAT sectors (files up to about 7 MB). The output is
deterministic (zero timestamps, fixed layout) so the same sources give the same bytes.

Layout: header, FAT sectors, directory sectors, mini FAT sectors, the mini stream,
then each large stream; every chain is contiguous, which keeps the FAT trivial.
"""
from __future__ import annotations

import struct
from dataclasses import dataclass, field

from ..errors import TrackerError

SECTOR = 512
MINI_SECTOR = 64
MINI_CUTOFF = 4096
_FREE = 0xFFFFFFFF
_END_OF_CHAIN = 0xFFFFFFFE
_FAT_SECTOR = 0xFFFFFFFD
_NO_STREAM = 0xFFFFFFFF
_HEADER_DIFAT = 109
_RED, _BLACK = 0, 1


class CfbError(TrackerError):
    """A compound file we refuse to write (name too long, too large...)."""


@dataclass
class Storage:
    """A folder in the compound file: named streams (bytes) and sub-storages."""

    name: str
    children: dict[str, "Storage | bytes"] = field(default_factory=dict)

    def add(self, path: str, data: bytes) -> None:
        """Put a stream at a '/'-separated path, creating storages on the way."""
        *folders, leaf = path.split("/")
        node = self
        for part in folders:
            child = node.children.get(part)
            if child is None:
                child = node.children[part] = Storage(part)
            if not isinstance(child, Storage):
                raise CfbError(f"{part!r} is a stream, not a storage")
            node = child
        node.children[leaf] = bytes(data)


def _sort_key(name: str) -> tuple[int, str]:
    # [MS-CFB] 2.6.4: shorter names first, then code point order after upper-casing.
    return (len(name.encode("utf-16-le")), name.upper())


@dataclass
class _Entry:
    name: str
    kind: int  # 1 storage, 2 stream, 5 root
    data: bytes = b""
    children: list[int] = field(default_factory=list)
    left: int = _NO_STREAM
    right: int = _NO_STREAM
    child: int = _NO_STREAM
    color: int = _BLACK
    start: int = _END_OF_CHAIN
    size: int = 0


def _balanced_tree(entries: list[_Entry], ids: list[int]) -> int:
    """Link sibling ids (sorted) into a valid red-black tree; returns its root.

    Median splitting fills every level but the last; painting the nodes of that last,
    partial level red keeps the same number of black nodes on every path.
    """
    if not ids:
        return _NO_STREAM
    full_levels = (len(ids) + 1).bit_length() - 1  # levels 0..full_levels-1 are full

    def build(lo: int, hi: int, depth: int) -> int:
        if lo >= hi:
            return _NO_STREAM
        mid = (lo + hi) // 2
        node = entries[ids[mid]]
        node.left = build(lo, mid, depth + 1)
        node.right = build(mid + 1, hi, depth + 1)
        node.color = _RED if depth >= full_levels else _BLACK
        return ids[mid]

    return build(0, len(ids), 0)


def _flatten(root: Storage) -> list[_Entry]:
    entries = [_Entry("Root Entry", 5)]
    queue = [(0, root)]
    while queue:
        index, storage = queue.pop(0)
        names = sorted(storage.children, key=_sort_key)
        lowered = [n.upper() for n in names]
        if len(set(lowered)) != len(lowered):
            raise CfbError(f"two entries in {storage.name!r} differ only in case")
        for name in names:
            if len(name) > 31 or not name:
                raise CfbError(f"compound file names have 1 to 31 characters: {name!r}")
            child = storage.children[name]
            entries[index].children.append(len(entries))
            if isinstance(child, Storage):
                entries.append(_Entry(name, 1))
                queue.append((len(entries) - 1, child))
            else:
                entries.append(_Entry(name, 2, data=child, size=len(child)))
    for entry in entries:
        entry.child = _balanced_tree(entries, entry.children)
    return entries


def _sectors(n_bytes: int, size: int) -> int:
    return -(-n_bytes // size)


def write_compound_file(root: Storage) -> bytes:
    entries = _flatten(root)
    small = [e for e in entries if e.kind == 2 and 0 < e.size < MINI_CUTOFF]
    large = [e for e in entries if e.kind == 2 and e.size >= MINI_CUTOFF]

    # Mini stream: each small stream gets whole 64-byte mini sectors, in order.
    mini_fat: list[int] = []
    mini_stream = bytearray()
    for e in small:
        e.start = len(mini_fat)
        count = _sectors(e.size, MINI_SECTOR)
        mini_fat += list(range(e.start + 1, e.start + count)) + [_END_OF_CHAIN]
        mini_stream += e.data.ljust(count * MINI_SECTOR, b"\x00")

    n_dir = _sectors(len(entries) * 128, SECTOR)
    n_minifat = _sectors(len(mini_fat) * 4, SECTOR)
    n_ministream = _sectors(len(mini_stream), SECTOR)
    n_large = sum(_sectors(e.size, SECTOR) for e in large)
    n_fat = 1
    while True:  # the FAT must also map its own sectors
        total = n_fat + n_dir + n_minifat + n_ministream + n_large
        if _sectors(total * 4, SECTOR) <= n_fat:
            break
        n_fat += 1
    if n_fat > _HEADER_DIFAT:
        raise CfbError("the VBA project is too large for this writer (over about 7 MB)")

    fat: list[int] = [_FAT_SECTOR] * n_fat

    def chain(count: int) -> int:
        if count == 0:
            return _END_OF_CHAIN
        first = len(fat)
        fat.extend(range(first + 1, first + count))
        fat.append(_END_OF_CHAIN)
        return first

    dir_start = chain(n_dir)
    minifat_start = chain(n_minifat)
    root_entry = entries[0]
    root_entry.start = chain(n_ministream)
    root_entry.size = len(mini_stream)
    for e in large:
        e.start = chain(_sectors(e.size, SECTOR))
    fat += [_FREE] * (n_fat * SECTOR // 4 - len(fat))

    out = bytearray()
    header = struct.pack(
        "<8s16sHHHHH6sIIIIIIIII",
        bytes.fromhex("D0CF11E0A1B11AE1"), b"\x00" * 16,
        0x003E, 0x0003, 0xFFFE, 9, 6, b"\x00" * 6,
        0,  # directory sectors: must be 0 in version 3
        n_fat, dir_start, 0, MINI_CUTOFF,
        minifat_start if n_minifat else _END_OF_CHAIN, n_minifat,
        _END_OF_CHAIN, 0,
    )
    difat = list(range(n_fat)) + [_FREE] * (_HEADER_DIFAT - n_fat)
    header += struct.pack("<109I", *difat)
    assert len(header) == SECTOR
    out += header
    out += struct.pack(f"<{len(fat)}I", *fat)

    directory = bytearray()
    for e in entries:
        directory += _dir_entry(e)
    directory = directory.ljust(n_dir * SECTOR, b"\x00")
    # unused slots: empty name, no siblings or child (all 0xFF in the id fields)
    for slot in range(len(entries), n_dir * SECTOR // 128):
        directory[slot * 128:(slot + 1) * 128] = _dir_entry(_Entry("", 0, start=0))
    out += directory
    out += struct.pack(f"<{len(mini_fat)}I", *mini_fat).ljust(n_minifat * SECTOR, b"\xff")
    out += bytes(mini_stream).ljust(n_ministream * SECTOR, b"\x00")
    for e in large:
        out += e.data.ljust(_sectors(e.size, SECTOR) * SECTOR, b"\x00")
    return bytes(out)


def _dir_entry(e: _Entry) -> bytes:
    name = e.name.encode("utf-16-le")
    name_len = len(name) + 2 if e.name else 0
    start = e.start if e.kind != 1 else 0
    if e.kind == 2 and e.size == 0:
        start = _END_OF_CHAIN
    return struct.pack(
        "<64sHBBIII16sIQQIQ",
        name, name_len, e.kind, e.color if e.kind else 0,
        e.left, e.right, e.child,
        b"\x00" * 16, 0, 0, 0, start, e.size,
    )
