"""[MS-OVBA] 2.4.1 compression against the spec's worked examples, Excel's own streams
(inside the templates xlwings ships) and oletools' independent decompressor."""
from __future__ import annotations

import io
import random
import zipfile
from pathlib import Path

import olefile
import pytest
from hypothesis import given, settings, strategies as st
from oletools.olevba import decompress_stream

from tracker.addin.ovba import CHUNK, OvbaError, compress, decompress

# [MS-OVBA] 3.2.1, 3.2.2, 3.2.3: (decompressed, compressed) as printed in the spec.
SPEC_EXAMPLES = [
    (b"abcdefghijklmnopqrstuv.",
     "01 19 B0 00 61 62 63 64 65 66 67 68 00 69 6A 6B 6C 6D 6E 6F 70 00 71 72 73 74 75 76 2E"),
    (b"#aaabcdefaaaaghijaaaaaklaaamnopqaaaaaaaaaaaarstuvwxyzaaa",
     "01 2F B0 00 23 61 61 61 62 63 64 65 82 66 00 70 61 67 68 69 6A 01 38 08 61 6B 6C"
     " 00 30 6D 6E 6F 70 06 71 02 70 04 10 72 73 74 75 76 10 77 78 79 7A 00 3C"),
    (b"a" * 73, "01 03 B0 02 61 45 00"),
]


@pytest.mark.parametrize("plain,compressed", SPEC_EXAMPLES)
def test_spec_examples_byte_for_byte(plain, compressed):
    expected = bytes.fromhex(compressed)
    assert compress(plain) == expected
    assert decompress(expected) == plain
    assert bytes(decompress_stream(bytearray(expected))) == plain


def _xlwings_template_streams():
    xlwings = pytest.importorskip("xlwings")
    xlam = Path(xlwings.__file__).parent / "quickstart_addin_ribbon.xlam"
    with zipfile.ZipFile(xlam) as z:
        ole = olefile.OleFileIO(io.BytesIO(z.read("xl/vbaProject.bin")))
    return ole


def test_recompressing_an_excel_written_module_gives_the_same_bytes():
    # ThisWorkbook in xlwings' template was saved by Excel: source after its p-code.
    ole = _xlwings_template_streams()
    stream = ole.openstream("VBA/ThisWorkbook").read()
    dir_plain = decompress(ole.openstream("VBA/dir").read())
    offset = _module_offset(dir_plain, b"ThisWorkbook")
    container = stream[offset:]
    source = decompress(container)
    assert source.startswith(b'Attribute VB_Name = "ThisWorkbook"')
    assert compress(source) == container


def _module_offset(dir_plain: bytes, name: bytes) -> int:
    at = dir_plain.index(b"\x19\x00" + len(name).to_bytes(4, "little") + name)
    at = dir_plain.index(b"\x31\x00\x04\x00\x00\x00", at)
    return int.from_bytes(dir_plain[at + 6:at + 10], "little")


def test_decompressor_agrees_with_olevba_on_real_streams():
    ole = _xlwings_template_streams()
    names = ["/".join(e) for e in ole.listdir() if e[0] == "VBA" and e[-1] != "_VBA_PROJECT"]
    assert len(names) >= 5
    dir_plain = decompress(ole.openstream("VBA/dir").read())
    for name in names:
        data = ole.openstream(name).read()
        if name != "VBA/dir":
            data = data[_module_offset(dir_plain, name.split("/")[1].encode()):]
        assert decompress(data) == bytes(decompress_stream(bytearray(data))), name


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=3 * CHUNK + 100))
def test_round_trip_random_bytes(data):
    packed = compress(data)
    assert bytes(decompress_stream(bytearray(packed)))[:len(data)] == data
    unpacked = decompress(packed)
    tail = len(data) % CHUNK
    if unpacked != data:
        # Only a raw last chunk may differ, and only by the zero padding the spec asks for.
        assert tail and unpacked == data + b"\x00" * (CHUNK - tail)
        assert packed[-CHUNK - 2:-CHUNK] == (0x3FFF).to_bytes(2, "little")


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(["Dim x As Long", "    ", "End Sub", "\r\n", "'", "RunPython \"x\"", "a", "aa"]),
                max_size=3000))
def test_round_trip_source_like_text_is_exact(parts):
    data = "".join(parts).encode("cp1252")
    packed = compress(data)
    assert decompress(packed) == data
    assert bytes(decompress_stream(bytearray(packed))) == data


def test_incompressible_chunks_are_stored_raw():
    data = random.Random(7).randbytes(2 * CHUNK + 10)
    packed = compress(data)
    # two raw chunks (header 0x3FFF + 4096 bytes) then a compressed one
    assert packed[1:3] == (0x3FFF).to_bytes(2, "little")
    assert packed[3:3 + CHUNK] == data[:CHUNK]
    assert packed[3 + CHUNK:5 + CHUNK] == (0x3FFF).to_bytes(2, "little")
    assert decompress(packed) == data


def test_a_chunk_whose_last_tokens_run_past_the_limit_is_stored_raw():
    # Found by a review: the size was checked once per group of eight tokens, so a chunk
    # that barely compresses could end at 4103 bytes, past [MS-OVBA] 2.4.1.1.4's 4098,
    # its size field running into the signature bits (olevba: invalid signature).
    rng = random.Random(777)
    data = bytearray(rng.randbytes(CHUNK))
    length, copies = rng.choice([3, 4, 5, 6, 8]), rng.randint(50, 700)
    for _ in range(copies):
        i = rng.randint(length, CHUNK - length - 1)
        j = rng.randint(0, i - length)
        data[i:i + length] = data[j:j + length]
    packed = compress(bytes(data))
    assert len(packed) == 1 + 2 + CHUNK   # signature, header, the chunk as it is
    header = int.from_bytes(packed[1:3], "little")
    assert header >> 12 == 0b011 and header & 0xFFF == CHUNK - 1
    assert decompress(packed) == bytes(data) == bytes(decompress_stream(bytearray(packed)))


def test_copy_tokens_widen_their_offset_with_the_position():
    # 'xyz' repeated after 2000 bytes of noise: the copy token there needs an 11-bit
    # offset field, leaving 5 bits of length (at most 34 bytes per token).
    noise = random.Random(3).randbytes(2000)
    data = b"xyz" + noise + b"xyz" * 20
    packed = compress(data)
    assert decompress(packed) == data
    # position 2003 -> 11 offset bits: offset 2003 (stored minus 1), length 3 (stored minus 3)
    assert ((2003 - 1) << 5 | 0).to_bytes(2, "little") in packed


@pytest.mark.parametrize("bad", [b"", b"\x02\x00\xb0", b"\x01\x05\x00abc", b"\x01\x03\xb0\x01\xff\xff"])
def test_malformed_containers_raise_one_line_errors(bad):
    with pytest.raises(OvbaError) as info:
        decompress(bad)
    assert "\n" not in str(info.value)
