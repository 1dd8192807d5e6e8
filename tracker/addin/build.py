"""Assemble `tracker.xlam` from text: the package parts, the ribbon, the VBA project.

Nothing here needs Excel. The add-in holds:
- one hidden worksheet `tracker.conf` (code name Sheet1): the settings the xlwings VBA
  module reads from its own add-in ("UDF Modules"), as xlwings' custom add-ins do;
- the ribbon (customUI14) rendered from templates/ribbon over tracker.excel.actions;
- the VBA project: ThisWorkbook and Sheet1 document modules, every macros/*.bas, the
  xlwings module of the installed xlwings (configured for this add-in), xlwings'
  Dictionary class (the module uses it on macOS) and the generated UDF wrappers.
The zip is written with fixed timestamps, so the same inputs give the same file.
"""
from __future__ import annotations

import os
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from ..errors import TrackerError
from ..outfiles import check_replaceable, make_folder
from ..resources import macros_dir, templates_dir
from .udfwrap import UdfInfo, generate_udf_wrappers
from .vbaproject import (
    WORKBOOK_BASE,
    WORKSHEET_BASE,
    Module,
    VbaProject,
    class_module,
    document_module,
    standard_module,
    write_vba_project,
)

ADDIN_NAME = "tracker.xlam"
PROJECT_NAME = "tracker"  # xlwings' PROJECT_NAME: config sheet tracker.conf, ~/.tracker/tracker.conf
# Not the name of a module (CallTracker.bas): the VBA editor refuses a project and a
# module of one name, and a reference to either would be ambiguous.
VBA_PROJECT_NAME = "CallTrackerAddin"
CONFIG_SHEET = f"{PROJECT_NAME}.conf"
TAB_LABEL = "Call Tracker"
UDF_CATEGORY = "Call Tracker"

CT_ADDIN = "application/vnd.ms-excel.addin.macroEnabled.main+xml"
CT_VBA = "application/vnd.ms-office.vbaProject"
REL_OFFICE_DOC = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
REL_UI = "http://schemas.microsoft.com/office/2007/relationships/ui/extensibility"
REL_VBA = "http://schemas.microsoft.com/office/2006/relationships/vbaProject"
NS_CUSTOMUI14 = "http://schemas.microsoft.com/office/2009/07/customui"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_R = "http://schemas.openxmlformats.org/package/2006/relationships"
_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


@dataclass(frozen=True)
class AddinParts:
    """Everything that goes into the zip, by part name, before it is written."""

    parts: dict[str, bytes]
    modules: tuple[Module, ...]


# --- the xlwings VBA module ----------------------------------------------------------

def xlwings_module() -> Module:
    """xlwings_custom_addin.bas of the installed xlwings, pointed at our settings."""
    import xlwings

    folder = Path(xlwings.__file__).parent
    path = folder / "xlwings_custom_addin.bas"
    if not path.is_file():
        raise TrackerError(f"xlwings {xlwings.__version__} ships no xlwings_custom_addin.bas; cannot build the add-in")
    text = path.read_text(encoding="utf-8")
    line = 'Public Const PROJECT_NAME As String = "myaddin"'
    if line not in text:
        raise TrackerError(f"xlwings {xlwings.__version__}: its add-in module no longer sets PROJECT_NAME as expected")
    text = text.replace(line, f'Public Const PROJECT_NAME As String = "{PROJECT_NAME}"', 1)
    return standard_module(text)


def dictionary_module() -> Module:
    """xlwings' VBA-Dictionary class: its add-in module declares `As Dictionary` on Mac."""
    import xlwings

    path = Path(xlwings.__file__).parent / "addin" / "Dictionary.cls"
    if not path.is_file():
        raise TrackerError(f"xlwings {xlwings.__version__} ships no addin/Dictionary.cls; cannot build the add-in")
    return class_module(path.read_text(encoding="utf-8"))


def macro_modules() -> tuple[Module, ...]:
    folder = macros_dir()
    files = sorted(folder.glob("*.bas"))
    if not files:
        raise TrackerError(f"no VBA sources (*.bas) in {folder}")
    modules = []
    for path in files:
        try:
            modules.append(standard_module(path.read_text(encoding="utf-8")))
        except UnicodeDecodeError:
            raise TrackerError(f"{path}: not UTF-8 text") from None
        except TrackerError as exc:
            raise TrackerError(f"{path}: {exc}") from None
    return tuple(modules)


def _vba_string(text: str) -> str:
    # A description the VBA code page cannot hold shows "?" rather than failing the build.
    text = text.encode("cp1252", errors="replace").decode("cp1252")
    return '"' + text.replace('"', '""') + '"'


def _continued(atoms: list[str], what: str) -> str:
    """One VBA statement of comma-separated atoms, wrapped with " _" continuations:
    VBA lines hold at most 1023 characters, and a statement at most 24 continuations."""
    physical: list[str] = []
    for atom in atoms:
        if physical and len(physical[-1]) + len(atom) + 2 <= 900:
            physical[-1] += ", " + atom
        else:
            physical.append(atom)
    if len(physical) > 25:
        raise TrackerError(f"cell function {what}: its argument descriptions are too long for one VBA statement")
    return "    " + ", _\n        ".join(physical)


def workbook_open_code(functions: tuple[UdfInfo, ...]) -> str:
    """ThisWorkbook code that gives the UDFs their descriptions in Insert Function.

    Excel keeps no such descriptions in the file; xlwings sets them through COM when
    it imports functions, so the add-in sets them itself each time it opens.
    """
    if not functions:
        return ""
    lines = [
        "Private Sub Workbook_Open()",
        "    ' Function descriptions are not stored in the file: set them on every open.",
        "    On Error Resume Next",
        "    #If Not Mac Then",
    ]
    for f in functions:
        category = f.category if isinstance(f.category, int) else _vba_string(str(f.category)[:255])
        atoms = [f"Application.MacroOptions Macro:=\"'\" & ThisWorkbook.Name & \"'!{f.name}\""]
        if f.description:
            atoms.append(f"Description:={_vba_string(f.description[:255])}")
        atoms.append(f"Category:={category}")
        if f.arguments:
            docs = [_vba_string(doc[:255]) for _, doc in f.arguments]
            docs[0] = "ArgumentDescriptions:=Array(" + docs[0]
            docs[-1] += ")"
            atoms += docs
        lines.append(_continued(atoms, f.name))
    lines += ["    #End If", "    ThisWorkbook.Saved = True", "End Sub"]
    return "\n".join(lines) + "\n"


def vba_modules(udf_modules: tuple[str, ...]) -> tuple[Module, ...]:
    wrappers = generate_udf_wrappers(udf_modules, ADDIN_NAME) if udf_modules else None
    functions = wrappers.functions if wrappers else ()
    modules = [
        document_module("ThisWorkbook", WORKBOOK_BASE, workbook_open_code(functions)),
        document_module("Sheet1", WORKSHEET_BASE),
        *macro_modules(),
        xlwings_module(),
        dictionary_module(),
    ]
    if wrappers:
        modules.append(standard_module(wrappers.source))
    return tuple(modules)


# --- the ribbon ----------------------------------------------------------------------

@dataclass(frozen=True)
class RibbonGroup:
    id: str
    label: str
    actions: tuple


def ribbon_xml(actions=None) -> str:
    """customUI14.xml over the actions (default: tracker.excel.actions.ACTIONS)."""
    import jinja2

    if actions is None:
        from ..excel.actions import ACTIONS as actions
    tags = [a.tag for a in actions]
    if len(set(tags)) != len(tags):
        raise TrackerError("two ribbon actions share a tag")
    order = list(dict.fromkeys(a.group for a in actions))
    groups = []
    for index, name in enumerate(order, 1):
        members = tuple(a for a in actions if a.group == name)
        groups.append(RibbonGroup(f"ctGroup{index}", name, members))
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir())),
        autoescape=True,  # labels and screentips go into XML attributes
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    try:
        template = env.get_template("ribbon/customUI14.xml.j2")
        return template.render(groups=groups, tab_label=TAB_LABEL).lstrip()
    except jinja2.TemplateError as exc:
        raise TrackerError(f"templates/ribbon/customUI14.xml.j2: {exc}") from None


# --- package parts -------------------------------------------------------------------

def _content_types() -> str:
    overrides = {
        "/xl/workbook.xml": CT_ADDIN,
        "/xl/worksheets/sheet1.xml": "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml",
        "/xl/styles.xml": "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml",
        "/xl/vbaProject.bin": CT_VBA,
        "/docProps/core.xml": "application/vnd.openxmlformats-package.core-properties+xml",
        "/docProps/app.xml": "application/vnd.openxmlformats-officedocument.extended-properties+xml",
    }
    body = "".join(f'<Override PartName="{k}" ContentType="{v}"/>' for k, v in overrides.items())
    return (_XML + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            + body + "</Types>")


def _rels(rels: list[tuple[str, str, str]]) -> str:
    body = "".join(f'<Relationship Id="{i}" Type="{t}" Target="{target}"/>' for i, t, target in rels)
    return _XML + f'<Relationships xmlns="{_PKG_R}">' + body + "</Relationships>"


def _workbook() -> str:
    return (_XML + '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            f'xmlns:r="{_R}">'
            '<workbookPr codeName="ThisWorkbook"/>'
            '<bookViews><workbookView visibility="hidden" activeTab="0"/></bookViews>'
            f'<sheets><sheet name="{CONFIG_SHEET}" sheetId="1" r:id="rId1"/></sheets>'
            '<calcPr calcId="191029"/>'
            "</workbook>")


def _config_rows(udf_modules: tuple[str, ...]) -> list[tuple[str, str]]:
    # Keys as xlwings' GetConfigFromSheet reads them (upper-cased), values in column B.
    # Rows must be contiguous: it stops at the first empty cell in column A.
    return [("UDF Modules", ";".join(udf_modules))]


def _sheet(rows: list[tuple[str, str]]) -> str:
    cells = []
    for r, (key, value) in enumerate(rows, 1):
        cells.append(
            f'<row r="{r}">'
            f'<c r="A{r}" t="inlineStr"><is><t>{escape(key)}</t></is></c>'
            f'<c r="B{r}" t="inlineStr"><is><t>{escape(value)}</t></is></c>'
            "</row>"
        )
    return (_XML + '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            f'xmlns:r="{_R}">'
            '<sheetPr codeName="Sheet1"/>'
            f'<dimension ref="A1:B{max(len(rows), 1)}"/>'
            '<sheetViews><sheetView workbookViewId="0" tabSelected="1"/></sheetViews>'
            '<sheetFormatPr defaultRowHeight="15"/>'
            '<cols><col min="1" max="1" width="20" customWidth="1"/><col min="2" max="2" width="40" customWidth="1"/></cols>'
            f'<sheetData>{"".join(cells)}</sheetData>'
            '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>'
            "</worksheet>")


_STYLES = (_XML + '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
           '<fonts count="1"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
           '<fills count="2"><fill><patternFill patternType="none"/></fill>'
           '<fill><patternFill patternType="gray125"/></fill></fills>'
           '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
           '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
           '<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>'
           '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
           "</styleSheet>")


_CREATOR = b"<dc:creator>Call Tracker</dc:creator>"   # in every add-in `_core` wrote


def _core() -> str:
    return (_XML + '<cp:coreProperties '
            'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f"<dc:title>{escape(TAB_LABEL)}</dc:title>{_CREATOR.decode()}"
            "<dc:description>Call Tracker ribbon and cell functions (xlwings)</dc:description>"
            "</cp:coreProperties>")


def our_addin(path: Path) -> bool:
    """An add-in built here before, which a new build replaces: written by Call Tracker (as
    its call logs are too) and an add-in (its workbook part and its macros)."""
    try:
        with zipfile.ZipFile(path) as z:
            names = set(z.namelist())
            return (_CREATOR in z.read("docProps/core.xml") and "xl/vbaProject.bin" in names
                    and CT_ADDIN.encode() in z.read("[Content_Types].xml"))
    except (zipfile.BadZipFile, KeyError, OSError):
        return False


def _app() -> str:
    return (_XML + '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
            "<Application>Microsoft Excel</Application><DocSecurity>0</DocSecurity>"
            "</Properties>")


def addin_parts(udf_modules: tuple[str, ...] = ("tracker.excel.udfs",)) -> AddinParts:
    modules = vba_modules(tuple(udf_modules))
    vba = write_vba_project(VbaProject(VBA_PROJECT_NAME, modules))
    parts = {
        "[Content_Types].xml": _content_types().encode(),
        "_rels/.rels": _rels([
            ("rId1", REL_OFFICE_DOC, "xl/workbook.xml"),
            ("rId2", "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties",
             "docProps/core.xml"),
            ("rId3", "http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties",
             "docProps/app.xml"),
            ("rId4", REL_UI, "customUI/customUI14.xml"),
        ]).encode(),
        "docProps/core.xml": _core().encode(),
        "docProps/app.xml": _app().encode(),
        "xl/workbook.xml": _workbook().encode(),
        "xl/_rels/workbook.xml.rels": _rels([
            ("rId1", f"{_R}/worksheet", "worksheets/sheet1.xml"),
            ("rId2", f"{_R}/styles", "styles.xml"),
            ("rId3", REL_VBA, "vbaProject.bin"),
        ]).encode(),
        "xl/worksheets/sheet1.xml": _sheet(_config_rows(tuple(udf_modules))).encode(),
        "xl/styles.xml": _STYLES.encode(),
        "xl/vbaProject.bin": vba,
        "customUI/customUI14.xml": ribbon_xml().encode(),
    }
    return AddinParts(parts, modules)


def build_addin(out: Path, *, udf_modules: tuple[str, ...] = ("tracker.excel.udfs",)) -> Path:
    """Write the add-in to `out` (replaced atomically) and return its path."""
    out = Path(out)
    if out.suffix.lower() != ".xlam":
        raise TrackerError(f"{out}: an Excel add-in's name must end in .xlam")
    check_replaceable(out, our_addin, "an add-in")   # e.g. another add-in of the user's
    package = addin_parts(udf_modules)
    make_folder(out.parent)   # as every other file we write: `--out dist/tracker.xlam`
    try:
        fd, tmp = tempfile.mkstemp(prefix=".tracker-", suffix=".xlam", dir=out.parent)
    except OSError as exc:   # a read-only folder: said as for any file we cannot write
        raise TrackerError(f"{out}: cannot write: {exc.strerror or exc}") from None
    os.close(fd)
    try:
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as z:
            for name, data in package.parts.items():
                info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                z.writestr(info, data)
        # mkstemp makes the file private; an add-in is an ordinary document.
        os.chmod(tmp, out.stat().st_mode & 0o777 if out.exists() else 0o644)
        os.replace(tmp, out)
    except OSError as exc:
        raise TrackerError(f"{out}: cannot write: {exc.strerror or exc}") from None
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return out
