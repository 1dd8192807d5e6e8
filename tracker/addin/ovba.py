"""[MS-OVBA] 2.4.1 compression: the run-length scheme VBA uses for module sources and
the `dir` stream.

`compress` gives the same bytes as the spec's examples in section 3.2 and as Excel's
own module streams: greedy matching within the 4096-byte chunk, the copy token's
offset/length split growing with the position in the chunk, and a chunk that would
not fit in 4098 bytes stored raw. Candidates are found through a table of 3-byte
prefixes (a copy token is never shorter than 3 bytes), so a 50 KB module compresses
in a fraction of a second rather than the minutes a byte-by-byte scan takes.
"""
from __future__ import annotations

from ..errors import TrackerError

CHUNK = 4096
_SIGNATURE = 0x01
_COMPRESSED_CHUNK_MAX = 4098  # 12-bit size field + 3


class OvbaError(TrackerError):
    """A compressed container that does not follow [MS-OVBA] 2.4.1."""


def _bit_count(difference: int) -> int:
    # CopyToken Help (2.4.1.3.19.1): the offset field grows with the decompressed
    # position in the chunk, taking bits from the length field; at least 4 bits.
    bits = max((difference - 1).bit_length(), 4)
    return bits


def _common_length(data: bytes, a: int, b: int, end: int) -> int:
    """How many bytes data[a:] and data[b:] share, b > a, not reading past end."""
    limit = end - b
    if data[a:a + limit] == data[b:b + limit]:
        return limit
    lo, hi = 0, limit  # lo matches, hi does not
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if data[a:a + mid] == data[b:b + mid]:
            lo = mid
        else:
            hi = mid
    return lo


def _compress_chunk(data: bytes, start: int, end: int) -> bytes:
    out = bytearray()
    # Earlier token starts by their first 3 bytes. Only positions where a token began
    # are candidates, nearest first: that reproduces the spec's worked example 3.2.2
    # and the streams Excel itself writes byte for byte (scanning every earlier byte,
    # as the spec's pseudocode reads, picks other but equally valid matches).
    starts: dict[bytes, list[int]] = {}
    current = start
    while current < end and len(out) < _COMPRESSED_CHUNK_MAX - 2:
        flag_at = len(out)
        out.append(0)
        flags = 0
        for bit in range(8):
            if current >= end:
                break
            best_len, best_pos = 0, -1
            key = data[current:current + 3]
            if len(key) == 3:
                chain = starts.setdefault(key, [])
                for cand in reversed(chain):
                    length = _common_length(data, cand, current, end)
                    if length > best_len:
                        best_len, best_pos = length, cand
                        if length == end - current:
                            break
                chain.append(current)
            if best_len >= 3:
                bits = _bit_count(current - start)
                length = min(best_len, (0xFFFF >> bits) + 3)
                token = ((current - best_pos - 1) << (16 - bits)) | (length - 3)
                out += token.to_bytes(2, "little")
                flags |= 1 << bit
                current += length
            else:
                out.append(data[current])
                current += 1
        out[flag_at] = flags
    # Not all read, or a group of eight tokens ran past the limit (it is checked per
    # group): stored raw, as [MS-OVBA] 2.4.1.3.7 does for a chunk that does not shrink.
    if current < end or len(out) > _COMPRESSED_CHUNK_MAX - 2:
        raw = data[start:end].ljust(CHUNK, b"\x00")
        header = (_COMPRESSED_CHUNK_MAX - 3) | (0b011 << 12)  # flag bit 15 clear: raw
        return header.to_bytes(2, "little") + raw
    header = (len(out) + 2 - 3) | (0b011 << 12) | 0x8000
    return header.to_bytes(2, "little") + bytes(out)


def compress(data: bytes) -> bytes:
    """A CompressedContainer holding `data`.

    A last chunk that does not compress is stored raw and, as the spec requires,
    padded with zeros to 4096 bytes; `decompress` gives those zeros back. VBA source
    text always compresses, so this only shows with random binary data.
    """
    data = bytes(data)
    out = bytearray([_SIGNATURE])
    for start in range(0, len(data), CHUNK):
        out += _compress_chunk(data, start, min(start + CHUNK, len(data)))
    return bytes(out)


def decompress(data: bytes) -> bytes:
    """The bytes a CompressedContainer holds; OvbaError if it is malformed."""
    data = bytes(data)
    if not data or data[0] != _SIGNATURE:
        raise OvbaError("not an MS-OVBA compressed container (first byte is not 0x01)")
    out = bytearray()
    pos = 1
    while pos < len(data):
        if pos + 2 > len(data):
            raise OvbaError(f"truncated chunk header at byte {pos}")
        header = int.from_bytes(data[pos:pos + 2], "little")
        size = (header & 0x0FFF) + 3
        if (header >> 12) & 0b111 != 0b011:
            raise OvbaError(f"bad chunk signature at byte {pos}")
        chunk_end = min(pos + size, len(data))
        pos += 2
        chunk_start = len(out)
        if not header & 0x8000:
            out += data[pos:pos + CHUNK]
            pos += CHUNK
            continue
        while pos < chunk_end:
            flags = data[pos]
            pos += 1
            for bit in range(8):
                if pos >= chunk_end:
                    break
                if not flags & (1 << bit):
                    out.append(data[pos])
                    pos += 1
                    continue
                if pos + 2 > chunk_end:
                    raise OvbaError(f"truncated copy token at byte {pos}")
                token = int.from_bytes(data[pos:pos + 2], "little")
                pos += 2
                bits = _bit_count(len(out) - chunk_start)
                length = (token & (0xFFFF >> bits)) + 3
                offset = (token >> (16 - bits)) + 1
                source = len(out) - offset
                if source < chunk_start:
                    raise OvbaError(f"copy token reaches before its chunk at byte {pos - 2}")
                for i in range(length):  # may overlap its own output: byte by byte
                    out.append(out[source + i])
        pos = chunk_end
    return bytes(out)
