"""Write `xl/vbaProject.bin` from VBA source text, per [MS-OVBA].

Source only: `_VBA_PROJECT` says version 0xFFFF and carries no performance cache, and
each module stream is just its compressed source (MODULEOFFSET 0), so Excel compiles
the project from the text when it opens it, on any version and bitness. That is how
xlwings' own templates are written; their PROJECT, dir and module headers were the
model for the records here.
"""
from __future__ import annotations

import hashlib
import re
import struct
import uuid
from dataclasses import dataclass
from enum import Enum

from ..errors import TrackerError
from .cfb import Storage, write_compound_file
from .ovba import compress

CODEPAGE = 1252
ENCODING = "cp1252"
LCID = 0x0409

# The CLSIDs Excel writes as VB_Base of a workbook's and a worksheet's code module,
# and of a class module.
WORKBOOK_BASE = "0{00020819-0000-0000-C000-000000000046}"
WORKSHEET_BASE = "0{00020820-0000-0000-C000-000000000046}"
CLASS_BASE = "0{FCFB3D2A-A0FA-1068-A738-08002B3371B5}"

STDOLE = ("stdole", "*\\G{00020430-0000-0000-C000-000000000046}#2.0#0"
                    "#C:\\Windows\\System32\\stdole2.tlb#OLE Automation")

# VBE's own host-extender line, the same in every Office document.
_HOST_EXTENDER = "&H00000001={3832D640-CF90-11CF-8E43-00A0C911005A};VBE;&H00000000"


class VbaError(TrackerError):
    """VBA source we cannot put in a project (bad name, characters outside cp1252...)."""


class ModuleKind(Enum):
    STANDARD = "standard"   # .bas: MODULETYPE 0x0021, "Module=" in PROJECT
    CLASS = "class"         # .cls: MODULETYPE 0x0022, "Class="
    DOCUMENT = "document"   # ThisWorkbook, Sheet1...: MODULETYPE 0x0022, "Document=.../&H00000000"


@dataclass(frozen=True)
class Module:
    name: str
    kind: ModuleKind
    source: str  # as stored: Attribute lines first, CRLF line ends

    def encoded(self) -> bytes:
        try:
            return self.source.encode(ENCODING)
        except UnicodeEncodeError as exc:
            bad = self.source[exc.start]
            line = self.source.count("\n", 0, exc.start) + 1
            raise VbaError(f"VBA module {self.name}, line {line}: {bad!r} is not in code page {CODEPAGE}") from None


_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,30}$")
_VB_NAME = re.compile(r'^Attribute VB_Name = "([^"]*)"\s*$', re.MULTILINE)


def _crlf(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text and not text.endswith("\n"):
        text += "\n"
    return text.replace("\n", "\r\n")


def _check_name(name: str) -> str:
    if not _NAME.match(name):
        raise VbaError(f"{name!r} is not a VBA module name (a letter, then letters, digits or _; at most 31)")
    return name


def standard_module(text: str, name: str | None = None) -> Module:
    """A module from the text of a .bas file; its name from `Attribute VB_Name`
    (or `name`, which then replaces the attribute)."""
    text = text.lstrip("\ufeff")
    found = _VB_NAME.search(text)
    if name is None:
        if not found:
            raise VbaError('a .bas file must start with Attribute VB_Name = "Name"')
        name = found.group(1)
    body = _VB_NAME.sub("", text, count=1).lstrip("\r\n") if found else text
    name = _check_name(name)
    return Module(name, ModuleKind.STANDARD, _crlf(f'Attribute VB_Name = "{name}"\n' + body))


def class_module(text: str) -> Module:
    """A class module from the text of a .cls file as the VBE exports it: the
    VERSION/BEGIN header is dropped and VB_Base added, as the VBE stores it."""
    lines = _crlf(text.lstrip("\ufeff")).split("\r\n")
    if lines and lines[0].startswith("VERSION "):
        end = lines.index("END") if "END" in lines else 0
        lines = lines[end + 1:]
    body = "\r\n".join(lines)
    found = _VB_NAME.search(body)
    if not found:
        raise VbaError('a .cls file must have Attribute VB_Name = "Name"')
    name = _check_name(found.group(1))
    attributes = {}
    rest = []
    for line in body.split("\r\n"):
        m = re.match(r"^Attribute (VB_\w+) = (.*)$", line)
        if m and not rest:
            attributes[m.group(1)] = m.group(2)
        else:
            rest.append(line)
    order = ["VB_Name", "VB_Base", "VB_GlobalNameSpace", "VB_Creatable", "VB_PredeclaredId",
             "VB_Exposed", "VB_TemplateDerived", "VB_Customizable"]
    defaults = {"VB_Base": f'"{CLASS_BASE}"', "VB_GlobalNameSpace": "False", "VB_Creatable": "False",
                "VB_PredeclaredId": "False", "VB_Exposed": "False", "VB_TemplateDerived": "False",
                "VB_Customizable": "False"}
    header = []
    for key in order + [k for k in attributes if k not in order]:
        value = attributes.get(key, defaults.get(key))
        if value is not None:
            header.append(f"Attribute {key} = {value}")
    return Module(name, ModuleKind.CLASS, _crlf("\n".join(header + rest)))


def document_module(name: str, base: str, code: str = "") -> Module:
    """The code module behind the workbook (base WORKBOOK_BASE) or a sheet (WORKSHEET_BASE)."""
    name = _check_name(name)
    header = (
        f'Attribute VB_Name = "{name}"\n'
        f'Attribute VB_Base = "{base}"\n'
        "Attribute VB_GlobalNameSpace = False\n"
        "Attribute VB_Creatable = False\n"
        "Attribute VB_PredeclaredId = True\n"
        "Attribute VB_Exposed = True\n"
        "Attribute VB_TemplateDerived = False\n"
        "Attribute VB_Customizable = True\n"
    )
    return Module(name, ModuleKind.DOCUMENT, _crlf(header + code))


@dataclass(frozen=True)
class VbaProject:
    name: str
    modules: tuple[Module, ...]
    references: tuple[tuple[str, str], ...] = (STDOLE,)

    def project_id(self) -> str:
        # Stable across builds of the same project, so the add-in's bytes are too.
        digest = uuid.uuid5(uuid.NAMESPACE_URL, "call-tracker:vba:" + self.name)
        return "{" + str(digest).upper() + "}"


# --- [MS-OVBA] 2.4.3 data encryption (CMG, DPB, GC in the PROJECT stream) ----------

def encrypt(data: bytes, project_id: str, seed: int) -> str:
    """The hex text of an encrypted PROJECT value (2.4.3.2)."""
    version = 2
    proj_key = sum(project_id.encode(ENCODING)) & 0xFF
    out = bytearray([seed, seed ^ version, seed ^ proj_key])
    unencrypted1, encrypted1, encrypted2 = proj_key, seed ^ proj_key, seed ^ version
    ignored = (seed & 6) // 2
    # The ignored bytes are arbitrary; derived from the seed to keep builds reproducible.
    payload = bytes((seed + i) & 0xFF for i in range(ignored)) + struct.pack("<I", len(data)) + data
    for byte in payload:
        enc = byte ^ ((encrypted2 + unencrypted1) & 0xFF)
        out.append(enc)
        encrypted2, encrypted1, unencrypted1 = encrypted1, enc, byte
    return out.hex().upper()


def decrypt(text: str) -> tuple[bytes, int]:
    """(data, ProjKey) from the hex text of an encrypted PROJECT value (2.4.3.3)."""
    raw = bytes.fromhex(text)
    seed, version_enc, proj_key_enc = raw[0], raw[1], raw[2]
    if seed ^ version_enc != 2:
        raise VbaError("encrypted PROJECT value: unknown version")
    proj_key = seed ^ proj_key_enc
    unencrypted1, encrypted1, encrypted2 = proj_key, proj_key_enc, version_enc
    plain = bytearray()
    for enc in raw[3:]:
        byte = enc ^ ((encrypted2 + unencrypted1) & 0xFF)
        plain.append(byte)
        encrypted2, encrypted1, unencrypted1 = encrypted1, enc, byte
    ignored = (seed & 6) // 2
    length = struct.unpack("<I", bytes(plain[ignored:ignored + 4]))[0]
    return bytes(plain[ignored + 4:ignored + 4 + length]), proj_key


def _seed(project_id: str, what: str) -> int:
    return hashlib.sha256((project_id + what).encode()).digest()[0]


# --- streams -----------------------------------------------------------------------

def project_stream(project: VbaProject) -> bytes:
    """The PROJECT stream (2.3.1): module list, name, and the protection state of an
    unprotected, visible project with no password."""
    pid = project.project_id()
    cmg = encrypt(b"\x00\x00\x00\x00", pid, _seed(pid, "CMG"))  # protection state: none
    dpb = encrypt(b"\x00", pid, _seed(pid, "DPB"))  # no password
    gc = encrypt(b"\xff", pid, _seed(pid, "GC"))  # visible
    lines = [f'ID="{pid}"']
    for m in project.modules:
        if m.kind is ModuleKind.DOCUMENT:
            lines.append(f"Document={m.name}/&H00000000")
        elif m.kind is ModuleKind.CLASS:
            lines.append(f"Class={m.name}")
        else:
            lines.append(f"Module={m.name}")
    lines += [
        f'Name="{project.name}"',
        'HelpContextID="0"',
        'VersionCompatible32="393222000"',
        f'CMG="{cmg}"',
        f'DPB="{dpb}"',
        f'GC="{gc}"',
        "",
        "[Host Extender Info]",
        _HOST_EXTENDER,
        "",
        "[Workspace]",
    ]
    lines += [f"{m.name}=0, 0, 0, 0, C" for m in project.modules]
    return ("\r\n".join(lines) + "\r\n").encode(ENCODING)


def projectwm_stream(project: VbaProject) -> bytes:
    """PROJECTwm (2.3.3): each module name in MBCS and in UTF-16."""
    out = bytearray()
    for m in project.modules:
        out += m.name.encode(ENCODING) + b"\x00" + m.name.encode("utf-16-le") + b"\x00\x00"
    return bytes(out + b"\x00\x00")


def _record(rid: int, data: bytes) -> bytes:
    return struct.pack("<HI", rid, len(data)) + data


def _text_record(rid: int, unicode_rid: int, text: str) -> bytes:
    return _record(rid, text.encode(ENCODING)) + _record(unicode_rid, text.encode("utf-16-le"))


def dir_stream(project: VbaProject) -> bytes:
    """The decompressed dir stream (2.3.4.2)."""
    out = bytearray()
    out += _record(0x0001, struct.pack("<I", 1))          # SYSKIND: 32-bit Windows
    out += _record(0x0002, struct.pack("<I", LCID))       # LCID
    out += _record(0x0014, struct.pack("<I", LCID))       # LCIDINVOKE
    out += _record(0x0003, struct.pack("<H", CODEPAGE))   # CODEPAGE
    out += _record(0x0004, project.name.encode(ENCODING))  # NAME
    out += _text_record(0x0005, 0x0040, "")               # DOCSTRING
    out += _text_record(0x0006, 0x003D, "")               # HELPFILEPATH (1 and 2)
    out += _record(0x0007, struct.pack("<I", 0))          # HELPCONTEXT
    out += _record(0x0008, struct.pack("<I", 0))          # LIBFLAGS
    # VERSION: its Reserved field holds 4 where other records hold their size
    out += struct.pack("<HIIH", 0x0009, 4, 1, 0)
    out += _text_record(0x000C, 0x003C, "")               # CONSTANTS
    for name, libid in project.references:
        out += _text_record(0x0016, 0x003E, name)         # REFERENCENAME
        lib = libid.encode(ENCODING)
        body = struct.pack("<I", len(lib)) + lib + struct.pack("<IH", 0, 0)
        out += _record(0x000D, body)                      # REFERENCEREGISTERED
    out += _record(0x000F, struct.pack("<H", len(project.modules)))  # MODULES
    out += _record(0x0013, struct.pack("<H", 0xFFFF))     # PROJECTCOOKIE
    for m in project.modules:
        out += _record(0x0019, m.name.encode(ENCODING))   # MODULENAME
        out += _record(0x0047, m.name.encode("utf-16-le"))
        out += _text_record(0x001A, 0x0032, m.name)       # MODULESTREAMNAME
        out += _text_record(0x001C, 0x0048, "")           # MODULEDOCSTRING
        out += _record(0x0031, struct.pack("<I", 0))      # MODULEOFFSET: no p-code before the source
        out += _record(0x001E, struct.pack("<I", 0))      # MODULEHELPCONTEXT
        out += _record(0x002C, struct.pack("<H", 0xFFFF))  # MODULECOOKIE
        out += _record(0x0021 if m.kind is ModuleKind.STANDARD else 0x0022, b"")
        out += _record(0x002B, b"")                       # module terminator
    out += _record(0x0010, b"")                           # dir terminator
    return bytes(out)


# Reserved1 0x61CC, Version 0xFFFF (no cache: compile from source), Reserved2, Reserved3
VBA_PROJECT_STREAM = b"\xcc\x61\xff\xff\x00\x00\x00"


def write_vba_project(project: VbaProject) -> bytes:
    """The bytes of vbaProject.bin for `project`."""
    _check_name(project.name)
    names = [m.name.upper() for m in project.modules]
    if len(set(names)) != len(names):
        raise VbaError("two VBA modules have the same name")
    if not project.modules or project.modules[0].kind is not ModuleKind.DOCUMENT:
        raise VbaError("the first module of a workbook's VBA project is its ThisWorkbook document module")
    root = Storage("Root Entry")
    root.add("PROJECT", project_stream(project))
    root.add("PROJECTwm", projectwm_stream(project))
    root.add("VBA/_VBA_PROJECT", VBA_PROJECT_STREAM)
    root.add("VBA/dir", compress(dir_stream(project)))
    for m in project.modules:
        root.add(f"VBA/{m.name}", compress(m.encoded()))
    return write_compound_file(root)
