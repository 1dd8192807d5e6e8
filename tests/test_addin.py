"""The built add-in, opened as Excel and other readers would: the zip and its
relationships, the compound file, the VBA read back by olevba and by LibreOffice, the
ribbon against ACTIONS, and the install/CLI doors."""
from __future__ import annotations

import html
import importlib.util
import io
import re
import shutil
import struct
import subprocess
import sys
import zipfile
from pathlib import Path, PurePosixPath
from xml.etree import ElementTree as ET

import olefile
import pytest
from click.testing import CliRunner
from oletools.olevba import VBA_Parser

from tracker.addin import build as build_mod
from tracker.addin.build import NS_CUSTOMUI14, addin_parts, build_addin, ribbon_xml, workbook_open_code
from tracker.addin.udfwrap import UdfInfo
from tracker.addin.cfb import Storage, write_compound_file
from tracker.addin.commands import addin as addin_cli
from tracker.addin.install import NotInstalled, install_addin
from tracker.addin.ovba import decompress
from tracker.addin.vbaproject import (
    ModuleKind,
    VbaError,
    VbaProject,
    decrypt,
    document_module,
    standard_module,
    write_vba_project,
    WORKBOOK_BASE,
)
from tracker.errors import TrackerError
from tracker.excel.actions import ACTIONS, Action
from tracker.resources import macros_dir

FIXTURE = "ct_fixture_udfs"
FIXTURE_SOURCE = '''
from __future__ import annotations

from dataclasses import dataclass

import xlwings as xw


@dataclass
class Greeting:   # a dataclass under `annotations` looks its module up in sys.modules
    text: str


@xw.func(category="Call Tracker")
@xw.arg("name", doc="Who to greet")
def CT_HELLO(name, times=1):
    """Greets someone."""
    return ("Hello " + str(name)) * int(times)


@xw.func
def CT_ADD(*values):
    return sum(values)


def helper_not_a_udf():
    return 1
'''
NS_CT = "http://schemas.openxmlformats.org/package/2006/content-types"
NS_REL = "http://schemas.openxmlformats.org/package/2006/relationships"


@pytest.fixture(scope="module")
def fixture_path(tmp_path_factory):
    folder = tmp_path_factory.mktemp("udfs")
    (folder / f"{FIXTURE}.py").write_text(FIXTURE_SOURCE, encoding="utf-8")
    sys.path.insert(0, str(folder))
    yield folder
    sys.path.remove(str(folder))


@pytest.fixture(scope="module")
def xlam(fixture_path, tmp_path_factory) -> Path:
    return build_addin(tmp_path_factory.mktemp("build") / "tracker.xlam", udf_modules=(FIXTURE,))


@pytest.fixture(scope="module")
def vba_bytes(xlam) -> bytes:
    with zipfile.ZipFile(xlam) as z:
        return z.read("xl/vbaProject.bin")


def _xlwings_dir() -> Path:
    import xlwings

    return Path(xlwings.__file__).parent


def _crlf(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\n", "\r\n")


# --- the package ---------------------------------------------------------------------

def test_zip_parts_have_content_types_and_every_relationship_resolves(xlam):
    with zipfile.ZipFile(xlam) as z:
        assert z.testzip() is None
        names = set(z.namelist())
        types = ET.fromstring(z.read("[Content_Types].xml"))
        defaults = {e.get("Extension"): e.get("ContentType") for e in types.findall(f"{{{NS_CT}}}Default")}
        overrides = {e.get("PartName"): e.get("ContentType") for e in types.findall(f"{{{NS_CT}}}Override")}
        for name in names - {"[Content_Types].xml"}:
            assert "/" + name in overrides or name.rsplit(".", 1)[-1] in defaults, name
        for part in overrides:
            assert part.lstrip("/") in names, part
        assert overrides["/xl/workbook.xml"] == "application/vnd.ms-excel.addin.macroEnabled.main+xml"
        assert overrides["/xl/vbaProject.bin"] == "application/vnd.ms-office.vbaProject"

        rels_files = [n for n in names if n.endswith(".rels")]
        assert {"_rels/.rels", "xl/_rels/workbook.xml.rels"} <= set(rels_files)
        targets = {}
        for rels in rels_files:
            source_dir = PurePosixPath(rels).parent.parent
            for rel in ET.fromstring(z.read(rels)).findall(f"{{{NS_REL}}}Relationship"):
                target = str(PurePosixPath(source_dir, rel.get("Target")))
                target = target.lstrip("./") if target.startswith("./") else target
                assert target in names, (rels, rel.get("Target"))
                targets[rel.get("Type")] = target
        assert targets["http://schemas.microsoft.com/office/2007/relationships/ui/extensibility"] == "customUI/customUI14.xml"
        assert targets["http://schemas.microsoft.com/office/2006/relationships/vbaProject"] == "xl/vbaProject.bin"
        for name in names:
            if name.endswith((".xml", ".rels")):
                ET.fromstring(z.read(name))  # every XML part parses


def test_every_sheet_code_name_has_its_document_module(xlam, vba_bytes):
    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
    with zipfile.ZipFile(xlam) as z:
        workbook = ET.fromstring(z.read("xl/workbook.xml"))
        sheet = ET.fromstring(z.read("xl/worksheets/sheet1.xml"))
    code_names = [workbook.find("m:workbookPr", ns).get("codeName"), sheet.find("m:sheetPr", ns).get("codeName")]
    assert code_names == ["ThisWorkbook", "Sheet1"]
    project = olefile.OleFileIO(vba_bytes).openstream("PROJECT").read().decode("cp1252").splitlines()
    for name in code_names:
        assert f"Document={name}/&H00000000" in project


def test_config_sheet_tells_xlwings_our_udf_modules(xlam):
    # xlwings' module reads the sheet "<PROJECT_NAME>.conf" of its own add-in.
    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
    with zipfile.ZipFile(xlam) as z:
        workbook = ET.fromstring(z.read("xl/workbook.xml"))
        sheet = ET.fromstring(z.read("xl/worksheets/sheet1.xml"))
    assert [s.get("name") for s in workbook.find("m:sheets", ns)] == ["tracker.conf"]
    cells = [t.text for t in sheet.iter("{%s}t" % ns["m"])]
    assert cells == ["UDF Modules", FIXTURE]


def test_builds_are_reproducible(fixture_path, tmp_path, xlam):
    again = build_addin(tmp_path / "again.xlam", udf_modules=(FIXTURE,))
    assert again.read_bytes() == xlam.read_bytes()


# --- the compound file and the VBA project ----------------------------------------------

def test_olefile_opens_the_vba_project_and_its_streams(vba_bytes):
    # strictest setting: even a defect olefile calls "potential" raises
    ole = olefile.OleFileIO(vba_bytes, raise_defects=olefile.DEFECT_POTENTIAL)
    streams = {"/".join(e) for e in ole.listdir()}
    assert {"PROJECT", "PROJECTwm", "VBA/_VBA_PROJECT", "VBA/dir", "VBA/ThisWorkbook", "VBA/Sheet1",
            "VBA/CallTracker", "VBA/xlwings", "VBA/Dictionary", "VBA/xlwings_udfs"} == streams
    # no performance cache: Excel must compile from source
    assert ole.openstream("VBA/_VBA_PROJECT").read() == b"\xcc\x61\xff\xff\x00\x00\x00"


def _modules_by_olevba(data: bytes) -> dict[str, str]:
    parser = VBA_Parser("vbaProject.bin", data=data)
    found = {}
    for _, stream, _, code in parser.extract_macros():
        found[stream.split("/")[-1]] = code
    parser.close()
    return found


def test_olevba_reads_back_every_module_byte_for_byte(vba_bytes):
    read = _modules_by_olevba(vba_bytes)
    ours = (macros_dir() / "CallTracker.bas").read_text(encoding="utf-8")
    assert read["CallTracker"] == _crlf(ours)
    xlwings_src = (_xlwings_dir() / "xlwings_custom_addin.bas").read_text(encoding="utf-8")
    expected = xlwings_src.replace('PROJECT_NAME As String = "myaddin"', 'PROJECT_NAME As String = "tracker"')
    assert expected != xlwings_src
    assert read["xlwings"] == _crlf(expected)
    assert read["Sheet1"].startswith('Attribute VB_Name = "Sheet1"\r\nAttribute VB_Base = "0{00020820-')
    assert read["ThisWorkbook"].startswith('Attribute VB_Name = "ThisWorkbook"\r\nAttribute VB_Base = "0{00020819-')
    assert 'Attribute VB_Base = "0{FCFB3D2A-A0FA-1068-A738-08002B3371B5}"' in read["Dictionary"]
    assert "VERSION 1.0 CLASS" not in read["Dictionary"]


def test_the_dispatcher_passes_the_button_tag_to_python(vba_bytes):
    code = _modules_by_olevba(vba_bytes)["CallTracker"]
    assert "Sub OnAction(control As Object)" in code
    assert 'RunPython "import tracker.excel.ribbon as r; r.dispatch(\'" & control.Tag & "\')"' in code
    # A click with no workbook open: a message, before RunPython reads the active workbook.
    guard, call = code.index("If ActiveWorkbook Is Nothing Then"), code.index('RunPython "')
    assert guard < call and "Exit Sub" in code[guard:call]


def test_udf_wrappers_come_from_xlwings_generator(vba_bytes):
    code = _modules_by_olevba(vba_bytes)["xlwings_udfs"]
    assert code.startswith('Attribute VB_Name = "xlwings_udfs"\r\n')
    assert "Function CT_HELLO(name, Optional times)" in code
    assert f'XLPy.CallUDF("{FIXTURE}", "CT_HELLO", Array(name, times), ActiveWorkbook, Application.Caller)' in code
    assert "Function CT_ADD(ParamArray values())" in code
    assert "helper_not_a_udf" not in code
    # descriptions for Insert Function, set when the add-in opens
    this = _modules_by_olevba(vba_bytes)["ThisWorkbook"]
    assert "Private Sub Workbook_Open()" in this
    assert 'Description:="Greets someone."' in this
    assert 'ArgumentDescriptions:=Array("Who to greet", "Positional argument 2")' in this
    assert "!CT_ADD\"" in this and "ct_fixture_udfs.py" not in this


def test_long_descriptions_stay_within_vba_line_limits():
    info = UdfInfo("F", "d" * 400, "Call Tracker", tuple((f"a{i}", f"{i}" + "x" * 300 + 'q"') for i in range(12)))
    code = workbook_open_code((info,))
    statement = [line for line in code.splitlines() if "MacroOptions" in line or line.startswith("        ")]
    assert all(len(line) <= 1023 for line in code.splitlines())
    assert 1 < len(statement) <= 25 and all(line.endswith(", _") for line in statement[:-1])
    joined = " ".join(line.rstrip("_ ") for line in statement)
    assert joined.count("x" * 253 + '"') == 12 and "q" not in joined  # each cut to 255 characters
    assert 'Description:="' + "d" * 255 + '"' in joined
    assert "Привет" not in workbook_open_code((UdfInfo("G", "Привет", 1, ()),))


def _dir_records(data: bytes):
    pos = 0
    while pos < len(data):
        rid, size = struct.unpack_from("<HI", data, pos)
        if rid == 0x0009:  # PROJECTVERSION: Reserved(4) then 6 bytes
            yield rid, data[pos + 6:pos + 12]
            pos += 12
            continue
        yield rid, data[pos + 6:pos + 6 + size]
        pos += 6 + size


def test_dir_stream_records(vba_bytes):
    ole = olefile.OleFileIO(vba_bytes)
    records = list(_dir_records(decompress(ole.openstream("VBA/dir").read())))
    first = dict(records[:4])
    assert struct.unpack("<H", dict(records)[0x0003])[0] == 1252
    assert dict(records)[0x0004] == b"CallTrackerAddin"
    assert records[-1] == (0x0010, b"")
    assert 0x0002 in first and 0x0014 in dict(records)
    assert b"stdole2.tlb" in dict(records)[0x000D]
    modules = {}
    current = None
    for rid, body in records:
        if rid == 0x0019:
            current = body.decode("cp1252")
            modules[current] = {}
        elif current and rid in (0x0021, 0x0022):
            modules[current]["type"] = rid
        elif current and rid == 0x0031:
            modules[current]["offset"] = struct.unpack("<I", body)[0]
        elif current and rid == 0x001A:
            modules[current]["stream"] = body.decode("cp1252")
    assert struct.unpack("<H", dict(records)[0x000F])[0] == len(modules) == 6
    assert {m: v["type"] for m, v in modules.items()} == {
        "ThisWorkbook": 0x22, "Sheet1": 0x22, "CallTracker": 0x21,
        "xlwings": 0x21, "Dictionary": 0x22, "xlwings_udfs": 0x21}
    assert all(v["offset"] == 0 and v["stream"] == m for m, v in modules.items())
    # The VBA editor refuses a project named as one of its modules.
    assert dict(records)[0x0004].decode("cp1252").casefold() not in {m.casefold() for m in modules}


def test_project_stream_says_unprotected_and_visible(vba_bytes):
    ole = olefile.OleFileIO(vba_bytes)
    text = ole.openstream("PROJECT").read().decode("cp1252")
    values = dict(line.split("=", 1) for line in text.splitlines() if "=" in line and not line.startswith("&H"))
    project_key = sum(values["ID"].strip('"').encode()) & 0xFF
    assert decrypt(values["CMG"].strip('"')) == (b"\x00\x00\x00\x00", project_key)
    assert decrypt(values["DPB"].strip('"')) == (b"\x00", project_key)
    assert decrypt(values["GC"].strip('"')) == (b"\xff", project_key)
    assert "Module=CallTracker" in text.splitlines() and "Class=Dictionary" in text.splitlines()
    wm = ole.openstream("PROJECTwm").read()
    assert wm.startswith(b"ThisWorkbook\x00" + "ThisWorkbook".encode("utf-16-le") + b"\x00\x00")
    assert wm.endswith(b"xlwings_udfs\x00" + "xlwings_udfs".encode("utf-16-le") + b"\x00\x00\x00\x00")


def test_decrypt_reads_the_values_excel_wrote_in_xlwings_template():
    with zipfile.ZipFile(_xlwings_dir() / "quickstart_addin_ribbon.xlam") as z:
        ole = olefile.OleFileIO(io.BytesIO(z.read("xl/vbaProject.bin")))
    text = ole.openstream("PROJECT").read().decode("cp1252")
    values = dict(line.split("=", 1) for line in text.splitlines() if "=" in line and not line.startswith("&H"))
    key = sum(values["ID"].strip('"').encode()) & 0xFF
    assert decrypt(values["CMG"].strip('"')) == (b"\x00\x00\x00\x00", key)
    assert decrypt(values["DPB"].strip('"')) == (b"\x00", key)
    assert decrypt(values["GC"].strip('"')) == (b"\xff", key)


def _directory(data: bytes):
    header = data[:512]
    sector_shift = struct.unpack_from("<H", header, 30)[0]
    size = 1 << sector_shift
    n_fat = struct.unpack_from("<I", header, 44)[0]
    first_dir = struct.unpack_from("<I", header, 48)[0]
    difat = struct.unpack_from("<109I", header, 76)[:n_fat]
    fat = []
    for s in difat:
        fat += struct.unpack_from(f"<{size // 4}I", data, 512 + s * size)
    raw = b""
    s = first_dir
    while s != 0xFFFFFFFE:
        raw += data[512 + s * size:512 + (s + 1) * size]
        s = fat[s]
    entries = []
    for i in range(len(raw) // 128):
        e = raw[i * 128:(i + 1) * 128]
        name_len = struct.unpack_from("<H", e, 64)[0]
        name = e[:max(name_len - 2, 0)].decode("utf-16-le")
        kind, color = e[66], e[67]
        left, right, child = struct.unpack_from("<III", e, 68)
        entries.append(dict(name=name, kind=kind, color=color, left=left, right=right, child=child))
    return entries


def _check_red_black(entries, root):
    def key(name):
        return (len(name), name.upper())

    def walk(node, lo, hi):
        if node == 0xFFFFFFFF:
            return 1
        e = entries[node]
        assert (lo is None or key(e["name"]) > lo) and (hi is None or key(e["name"]) < hi), e["name"]
        for child in (e["left"], e["right"]):
            if e["color"] == 0 and child != 0xFFFFFFFF:
                assert entries[child]["color"] == 1, "red node with a red child"
        left = walk(e["left"], lo, key(e["name"]))
        right = walk(e["right"], key(e["name"]), hi)
        assert left == right, "black heights differ"
        return left + (e["color"] == 1)

    if root != 0xFFFFFFFF:
        assert entries[root]["color"] == 1
    walk(root, None, None)


@pytest.mark.parametrize("count", [1, 2, 3, 6, 7, 8, 20, 40])
def test_compound_file_sibling_trees_are_valid_red_black_trees(count):
    root = Storage("Root Entry")
    payloads = {}
    for i in range(count):
        # names of mixed lengths and case; sizes around the mini-stream cutoff
        name = ("s" * (i % 5 + 1)) + str(i)
        data = bytes([i % 251]) * (i * 311 % 9000)
        payloads[f"dir/{name}"] = data
        root.add(f"dir/{name}", data)
    root.add("PROJECT", b"x")
    data = write_compound_file(root)
    assert len(data) % 512 == 0
    entries = _directory(data)
    for e in entries:
        if e["kind"] in (1, 5):
            _check_red_black(entries, e["child"])
    ole = olefile.OleFileIO(data, raise_defects=olefile.DEFECT_POTENTIAL)
    for path, payload in payloads.items():
        assert ole.openstream(path).read() == payload


def test_a_large_module_goes_outside_the_mini_stream_and_reads_back():
    big = "Attribute VB_Name = \"Big\"\n" + "".join(f"' line {i} {'x' * (i % 70)}\n" for i in range(3000))
    project = VbaProject("Big", (document_module("ThisWorkbook", WORKBOOK_BASE), standard_module(big)))
    data = write_vba_project(project)
    assert len(data) > 20000
    assert _modules_by_olevba(data)["Big"] == _crlf(big)


def test_vba_source_outside_cp1252_is_refused_with_the_line():
    module = standard_module('Attribute VB_Name = "M"\n\' ok\n\' Привет\n')
    with pytest.raises(VbaError, match=r"module M, line 3") as info:
        write_vba_project(VbaProject("P", (document_module("ThisWorkbook", WORKBOOK_BASE), module)))
    assert "\n" not in str(info.value)


@pytest.mark.parametrize("bad", ["1abc", "has space", "x" * 32, ""])
def test_bad_module_names_are_refused(bad):
    with pytest.raises(VbaError):
        standard_module("Sub A()\nEnd Sub\n", name=bad)


# --- the ribbon ----------------------------------------------------------------------

def _buttons(xml: str):
    root = ET.fromstring(xml.encode())
    assert root.tag == f"{{{NS_CUSTOMUI14}}}customUI"
    return root, list(root.iter(f"{{{NS_CUSTOMUI14}}}button"))


def test_ribbon_has_a_button_for_every_action_and_no_other(xlam):
    with zipfile.ZipFile(xlam) as z:
        root, buttons = _buttons(z.read("customUI/customUI14.xml").decode())
    tabs = list(root.iter(f"{{{NS_CUSTOMUI14}}}tab"))
    assert [t.get("label") for t in tabs] == ["Call Tracker"]
    tags = [b.get("tag") for b in buttons]
    assert sorted(tags) == sorted(a.tag for a in ACTIONS)
    assert all(b.get("onAction") == "OnAction" for b in buttons)
    by_tag = {b.get("tag"): b for b in buttons}
    for action in ACTIONS:
        b = by_tag[action.tag]
        assert (b.get("label"), b.get("imageMso"), b.get("screentip")) == (action.label, action.image, action.screentip)
    groups = [(g.get("label"), [b.get("tag") for b in g]) for g in root.iter(f"{{{NS_CUSTOMUI14}}}group")]
    expected = {}
    for a in ACTIONS:
        expected.setdefault(a.group, []).append(a.tag)
    assert groups == list(expected.items())
    ids = [e.get("id") for e in root.iter() if e.get("id")]
    assert len(ids) == len(set(ids))


def test_ribbon_escapes_labels_and_rejects_duplicate_tags():
    odd = (Action("a", 'Say "hi" & <go>', "Refresh", "it's", "G & H"),)
    _, buttons = _buttons(ribbon_xml(odd))
    assert buttons[0].get("label") == 'Say "hi" & <go>'
    with pytest.raises(TrackerError):
        ribbon_xml(odd + odd)


# --- errors --------------------------------------------------------------------------

def test_build_errors_are_one_line(tmp_path, fixture_path):
    with pytest.raises(TrackerError, match="xlam"):
        build_addin(tmp_path / "tracker.xlsx", udf_modules=(FIXTURE,))
    with pytest.raises(TrackerError, match="no_such_udf_module") as info:
        build_addin(tmp_path / "tracker.xlam", udf_modules=("no_such_udf_module",))
    assert "\n" not in str(info.value)
    (tmp_path / "a-file").write_text("")
    with pytest.raises(TrackerError, match="cannot make this folder: .*a-file is a file"):
        build_addin(tmp_path / "a-file" / "dist" / "tracker.xlam", udf_modules=(FIXTURE,))
    assert list(tmp_path.iterdir()) == [tmp_path / "a-file"]  # nothing half-written left behind
    # A folder that is not there yet is made, as for every other file written.
    built = build_addin(tmp_path / "dist" / "tracker.xlam", udf_modules=(FIXTURE,))
    assert zipfile.is_zipfile(built) and built.parent == tmp_path / "dist"


def test_a_build_replaces_its_own_add_in_and_no_one_elses(tmp_path, fixture_path, xlam):
    ours = tmp_path / "tracker.xlam"
    ours.write_bytes(xlam.read_bytes())
    build_addin(ours, udf_modules=(FIXTURE,))   # an earlier build: replaced
    assert ours.read_bytes() == xlam.read_bytes()
    theirs = tmp_path / "TeamTools.xlam"
    with zipfile.ZipFile(theirs, "w") as z:   # another add-in of the user's
        z.writestr("docProps/core.xml", "<cp:coreProperties><dc:creator>Our IT</dc:creator></cp:coreProperties>")
    before = theirs.read_bytes()
    with pytest.raises(TrackerError, match="is not an add-in Call Tracker wrote; not replacing it"):
        build_addin(theirs, udf_modules=(FIXTURE,))
    assert theirs.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["TeamTools.xlam", "tracker.xlam"]
    # A call log is written by Call Tracker too (its creator), and is no add-in of ours.
    from tracker.config import load_config
    from tracker.newbook import new_workbook

    log = new_workbook(tmp_path / "calls.xlsx", load_config(), "en")
    assert b"<dc:creator>Call Tracker</dc:creator>" in zipfile.ZipFile(log).read("docProps/core.xml")
    renamed = log.rename(tmp_path / "calls.xlam")
    before = renamed.read_bytes()
    with pytest.raises(TrackerError, match="is not an add-in Call Tracker wrote"):
        build_addin(renamed, udf_modules=(FIXTURE,))
    assert renamed.read_bytes() == before


def test_default_udf_module_is_the_trackers_own():
    if importlib.util.find_spec("tracker.excel.udfs") is None:
        pytest.skip("tracker.excel.udfs not written yet")
    parts = addin_parts()
    wrappers = next(m for m in parts.modules if m.name == "xlwings_udfs").source
    for name in ("TRACKER_STATUS", "TRACKER_DUE", "TRACKER_NEXT_STEP", "TRACKER_SUMMARY"):
        assert f"Function {name}(" in wrappers
        assert f'XLPy.CallUDF("tracker.excel.udfs", "{name}"' in wrappers


# --- LibreOffice ---------------------------------------------------------------------

def test_libreoffice_opens_the_addin_and_lists_our_modules(xlam, tmp_path):
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) not installed")
    source = tmp_path / "in" / "tracker.xlam"
    source.parent.mkdir()
    shutil.copyfile(xlam, source)
    result = subprocess.run(
        [soffice, f"-env:UserInstallation=file://{tmp_path}/lo-profile", "--headless",
         "--infilter=Calc MS Excel 2007 VBA XML", "--convert-to", "ods", "--outdir", str(tmp_path), str(source)],
        capture_output=True, text=True, timeout=300,
    )
    ods = tmp_path / "tracker.ods"
    assert ods.is_file(), result.stdout + result.stderr
    with zipfile.ZipFile(ods) as z:
        names = set(z.namelist())
        content = z.read("content.xml").decode()
        basic = {n.split("/")[-1][:-4]: z.read(n).decode() for n in names
                 if n.startswith("Basic/CallTrackerAddin/") and not n.endswith("script-lb.xml")}
    assert 'table:name="tracker.conf"' in content
    assert set(basic) == {"ThisWorkbook", "Sheet1", "CallTracker", "xlwings", "Dictionary", "xlwings_udfs"}
    kinds = {name: re.search(r'script:moduleType="(\w+)"', text).group(1) for name, text in basic.items()}
    assert kinds == {"ThisWorkbook": "document", "Sheet1": "document", "CallTracker": "normal",
                     "xlwings": "normal", "Dictionary": "class", "xlwings_udfs": "normal"}
    body = html.unescape(re.search(r"<script:module[^>]*>(.*)</script:module>", basic["CallTracker"], re.S).group(1))
    ours = (macros_dir() / "CallTracker.bas").read_text(encoding="utf-8").replace("\r\n", "\n")
    # LibreOffice drops the Attribute line and adds its own two header lines
    expected = ours.split("\n", 1)[1]
    assert body.replace("\r\n", "\n").endswith(expected + "\n") or body.replace("\r\n", "\n").endswith(expected)


# --- install and the CLI -------------------------------------------------------------

def test_install_on_windows_copies_to_xlstart_and_sets_the_interpreter(xlam, tmp_path):
    home = tmp_path / "home"
    conf = home / ".tracker" / "tracker.conf"
    conf.parent.mkdir(parents=True)
    conf.write_bytes(b'"INTERPRETER_WIN","C:\\old\\python.exe"\r\n"SHOW CONSOLE","True"\r\n')
    message = install_addin(xlam, platform="win32", home=home, executable=r"C:\envs\ct\python.exe")
    target = home / "AppData" / "Roaming" / "Microsoft" / "Excel" / "XLSTART" / "tracker.xlam"
    assert target.read_bytes() == xlam.read_bytes()
    assert conf.read_bytes() == b'"SHOW CONSOLE","True"\r\n"INTERPRETER_WIN","C:\\envs\\ct\\python.exe"\r\n'
    assert str(target) in message


def test_install_on_windows_honours_appdata(xlam, tmp_path):
    install_addin(xlam, platform="win32", home=tmp_path / "h", appdata=tmp_path / "roam", executable="py.exe")
    assert (tmp_path / "roam" / "Microsoft" / "Excel" / "XLSTART" / "tracker.xlam").is_file()


def test_install_on_macos_uses_the_office_startup_folder(xlam, tmp_path):
    home = tmp_path / "home"
    group = home / "Library" / "Group Containers" / "UBF8T346G9.Office" / "User Content.localized"
    (group / "Startup.localized").mkdir(parents=True)
    message = install_addin(xlam, platform="darwin", home=home, executable="/Users/me/venv/bin/python")
    assert (group / "Startup.localized" / "Excel" / "tracker.xlam").read_bytes() == xlam.read_bytes()
    conf = home / "Library" / "Containers" / "com.microsoft.Excel" / "Data" / "tracker.conf"
    assert conf.read_bytes() == b'"INTERPRETER_MAC","/Users/me/venv/bin/python"\n'
    scripts = list((home / "Library" / "Application Scripts" / "com.microsoft.Excel").glob("xlwings-*.applescript"))
    assert len(scripts) == 1
    assert "Cmd-Q" in message


def test_install_on_macos_without_office_only_explains(xlam, tmp_path):
    with pytest.raises(NotInstalled, match="Start Excel once"):
        install_addin(xlam, platform="darwin", home=tmp_path, executable="python")
    assert list(tmp_path.iterdir()) == []


def test_install_elsewhere_explains_and_writes_nothing(xlam, tmp_path):
    with pytest.raises(NotInstalled) as info:
        install_addin(xlam, platform="linux", home=tmp_path)
    assert "Windows and macOS" in str(info.value) and str(xlam) in str(info.value)
    assert list(tmp_path.iterdir()) == []


def test_install_needs_an_existing_addin(tmp_path):
    with pytest.raises(TrackerError, match="no such add-in"):
        install_addin(tmp_path / "nope.xlam", platform="win32", home=tmp_path)


def test_cli_build_and_errors(fixture_path, tmp_path, xlam):
    runner = CliRunner()
    out = tmp_path / "cli.xlam"
    result = runner.invoke(addin_cli, ["build", "--out", str(out), "--udf-module", FIXTURE])
    assert result.exit_code == 0, result.output
    # A module of the user's comes beside ours: the add-in keeps TRACKER_STATUS and the rest.
    assert out.read_bytes() == build_addin(tmp_path / "both.xlam", udf_modules=("tracker.excel.udfs", FIXTURE)).read_bytes()
    code = _modules_by_olevba(zipfile.ZipFile(out).read("xl/vbaProject.bin"))["xlwings_udfs"]
    assert "Function TRACKER_STATUS(" in code and "Function CT_HELLO(" in code
    bad = runner.invoke(addin_cli, ["build", "--out", str(tmp_path / "x.txt"), "--udf-module", FIXTURE])
    assert bad.exit_code == 2
    assert bad.output.strip().count("\n") == 0 and bad.output.startswith("tracker: ")
    # A module with no cell function in it, named by mistake: refused, nothing written.
    none = runner.invoke(addin_cli, ["build", "--out", str(tmp_path / "none.xlam"), "--udf-module", "tracker.model"])
    assert none.exit_code == 2, none.output
    assert none.output == "tracker: UDF module tracker.model: it has no @xw.func function for a cell to call\n"
    assert not (tmp_path / "none.xlam").exists()
    missing = runner.invoke(addin_cli, ["install", "--xlam", str(tmp_path / "none.xlam")])
    assert missing.exit_code == 2 and "no such add-in" in missing.output
    helptext = runner.invoke(addin_cli, ["--help"]).output
    assert "tracker addin build" in helptext and "tracker addin install" in helptext
