"""A new call-log workbook (`tracker init`), and the frame the bundled sample is written in.

What the workbook looks like (sheet names, widths, formats, drop-downs, header style) is
in workbook/definition.yaml; which columns it has and their headers come from the
configuration, so the reader finds exactly the columns the writer made.
"""
from __future__ import annotations

import os
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import yaml

from .config import LANGUAGES, normalize_word
from .errors import ConfigError, TemplateError, TrackerError, WorkbookError
from .log import OWNED_SHEETS
from .model import column_letter
from .output import wrapped_lines
from .resources import workbook_dir

DEFINITION_FILE = "definition.yaml"
# File > Info shows who made the workbook; openpyxl would put its own name there.
CREATOR = "Call Tracker"


@dataclass(frozen=True)
class HeaderStyle:
    bold: bool
    color: str
    fill: str
    height: float
    written_fill: str


@dataclass(frozen=True)
class WorkbookDefinition:
    sheets: dict[str, dict[str, str]]          # log/howto/lists -> lang -> sheet name
    table_name: str
    table_style: str
    empty_rows: int
    widths: dict[str, float]
    formats: dict[str, dict[str, str]]         # date/datetime/time -> lang -> number format
    column_formats: dict[str, str]             # field -> date/datetime/time
    wrap: frozenset[str]
    max_row_lines: int
    line_height: float
    dropdowns: dict[str, str]                  # field -> list name ("call_types" or a lists.yaml list)
    dropdown_rows: int
    dropdown_message: dict[str, dict[str, str]]
    header_style: HeaderStyle
    howto_width: float
    howto_heading_size: float

    def sheet_name(self, key: str, lang: str) -> str:
        names = self.sheets[key]
        return names.get(lang) or names["en"]

    def number_format(self, kind: str, lang: str) -> str:
        formats = self.formats[kind]
        return formats.get(lang) or formats["en"]

    def width(self, field_name: str) -> float:
        return float(self.widths.get(field_name, self.widths.get("default", 14)))


def load_definition(path: Path | None = None) -> WorkbookDefinition:
    """The shipped definition (or the file at `path`); a broken one names the file and key."""
    path = path or workbook_dir() / DEFINITION_FILE
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the workbook definition ({exc.strerror or exc})") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 1}" if mark else ""
        raise ConfigError(f"{path}{where}: not valid YAML: {getattr(exc, 'problem', exc)}") from None
    try:
        hs = data["header_style"]
        return WorkbookDefinition(
            sheets={k: dict(v) for k, v in data["sheets"].items()},
            table_name=str(data["table"]["name"]),
            table_style=str(data["table"]["style"]),
            empty_rows=max(1, int(data["table"]["empty_rows"])),
            widths={str(k): float(v) for k, v in data["widths"].items()},
            formats={k: dict(v) for k, v in data["formats"].items()},
            column_formats=dict(data["column_formats"]),
            wrap=frozenset(data["wrap"]),
            max_row_lines=int(data["max_row_lines"]),
            line_height=float(data["line_height"]),
            dropdowns=dict(data["dropdowns"]),
            dropdown_rows=int(data["dropdown_rows"]),
            dropdown_message={k: dict(v) for k, v in data["dropdown_message"].items()},
            header_style=HeaderStyle(
                bold=bool(hs["bold"]), color=str(hs["color"]), fill=str(hs["fill"]),
                height=float(hs["height"]), written_fill=str(hs["written_fill"]),
            ),
            howto_width=float(data["howto"]["width"]),
            howto_heading_size=float(data["howto"]["heading_size"]),
        )
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise ConfigError(f"{path}: the workbook definition is missing or has a bad `{exc}`") from None


@dataclass(frozen=True)
class Column:
    field: str
    header: str
    letter: str
    written: bool    # one of the columns `tracker refresh` fills


@dataclass(frozen=True)
class BookLayout:
    """Where things are in a workbook this module made, for the sample and the tests."""

    lang: str
    log_sheet: str
    howto_sheet: str
    lists_sheet: str
    table_name: str
    columns: tuple[Column, ...]

    def letter(self, field_name: str) -> str:
        for col in self.columns:
            if col.field == field_name:
                return col.letter
        raise KeyError(field_name)

    @property
    def headers(self) -> list[str]:
        return [c.header for c in self.columns]


# Excel refuses these in a sheet name (and a name that starts or ends with an apostrophe).
_SHEET_NAME_FORBIDDEN = '[]:*?/\\'
_SHEET_NAME_MAX = 31


def _log_sheet_name(config, lang: str, definition: WorkbookDefinition, howto: str, lists: str) -> str:
    """The configuration's `sheet` (which --sheet sets) or the definition's name: the
    name every later command looks the log up by."""
    name = str(config.data.get("sheet") or "").strip()
    if not name:
        return definition.sheet_name("log", lang)
    bad = sorted({ch for ch in name if ch in _SHEET_NAME_FORBIDDEN})
    if len(name) > _SHEET_NAME_MAX:
        why = f"Excel allows at most {_SHEET_NAME_MAX} characters in a sheet name (it has {len(name)})"
    elif bad:
        why = "Excel does not allow " + " ".join(bad) + " in a sheet name"
    elif name.startswith("'") or name.endswith("'"):
        why = "Excel does not allow a sheet name to start or end with an apostrophe"
    elif name.casefold() == "history":
        why = "Excel keeps that name for itself"
    elif normalize_word(name) in OWNED_SHEETS or name.casefold() in (howto.casefold(), lists.casefold()):
        # Every command refuses to read such a sheet as the log.
        why = "that is the name of a sheet Call Tracker writes"
    else:
        return name
    raise TrackerError(f'cannot name the log sheet "{name}": {why}; '
                       "choose another name (--sheet, or `sheet:` in tracker.yaml)")


def book_layout(config, lang: str, definition: WorkbookDefinition | None = None) -> BookLayout:
    if lang not in LANGUAGES:
        raise TrackerError(f"unknown workbook language {lang!r} (one of {', '.join(LANGUAGES)})")
    definition = definition or load_definition()
    howto = definition.sheet_name("howto", lang)
    lists = definition.sheet_name("lists", lang)
    written = list(config.data["written"])
    fields: list[str] = []
    for name in [*config.data["layout"], *written]:
        if name not in fields:
            fields.append(name)
    columns = []
    seen: set[str] = set()
    for i, name in enumerate(fields):
        header = str(config.header(name, lang)).strip() or name
        # An Excel table refuses two equal headers (a user's config could make them).
        base, n = header, 2
        while header.casefold() in seen:
            header, n = f"{base} ({n})", n + 1
        seen.add(header.casefold())
        columns.append(Column(name, header, column_letter(i), name in written))
    return BookLayout(
        lang=lang,
        log_sheet=_log_sheet_name(config, lang, definition, howto, lists),
        howto_sheet=howto,
        lists_sheet=lists,
        table_name=definition.table_name,
        columns=tuple(columns),
    )


def dropdown_values(config, list_name: str, lang: str) -> list[str]:
    """The labels a drop-down offers, in the workbook's language."""
    if list_name == "call_types":
        return [ct.label(lang) for ct in config.call_types.values()]
    return [config.list_label(list_name, vid, lang) for vid in config.list_ids(list_name)]


def _quote_sheet(name: str) -> str:
    return "'" + name.replace("'", "''") + "'"


def build_workbook(
    config,
    lang: str = "en",
    rows: Sequence[Mapping[str, Any]] = (),
    *,
    definition: WorkbookDefinition | None = None,
):
    """An openpyxl Workbook: the log (table, drop-downs, formats), How to use, Lists.

    `rows` are call-log rows keyed by canonical field (str, date, time or datetime values),
    written under the header; an empty log gets `empty_rows` blank rows inside the table.
    """
    from openpyxl import Workbook
    from openpyxl.formatting.rule import FormulaRule
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.workbook.defined_name import DefinedName
    from openpyxl.worksheet.datavalidation import DataValidation
    from openpyxl.worksheet.table import Table, TableStyleInfo

    definition = definition or load_definition()
    layout = book_layout(config, lang, definition)
    wb = Workbook()
    wb.properties.creator = CREATOR
    wb.properties.title = definition.sheet_name("log", lang)
    ws = wb.active
    ws.title = layout.log_sheet
    howto = wb.create_sheet(layout.howto_sheet)
    lists = wb.create_sheet(layout.lists_sheet)

    hs = definition.header_style
    top_wrap = Alignment(wrap_text=True, vertical="top")
    for c, col in enumerate(layout.columns, start=1):
        cell = ws.cell(row=1, column=c, value=col.header)
        cell.font = Font(bold=hs.bold, color=hs.color)
        cell.fill = PatternFill("solid", fgColor=hs.written_fill if col.written else hs.fill)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        dim = ws.column_dimensions[col.letter]
        dim.width = definition.width(col.field)
        kind = definition.column_formats.get(col.field)
        # Column styles format what people type below the table's last row too.
        if kind:
            dim.number_format = definition.number_format(kind, lang)
        if col.field in definition.wrap:
            dim.alignment = top_wrap
    ws.row_dimensions[1].height = hs.height
    ws.freeze_panes = "A2"

    for r, row in enumerate(rows, start=2):
        lines = 1
        for c, col in enumerate(layout.columns, start=1):
            value = row.get(col.field)
            if value is None or value == "":
                continue
            cell = ws.cell(row=r, column=c, value=value)
            fmt = _format_for(value, definition, lang)
            if fmt:
                cell.number_format = fmt
            if col.field in definition.wrap:
                cell.alignment = top_wrap
                lines = max(lines, wrapped_lines(str(value), definition.width(col.field)))
            else:
                cell.alignment = Alignment(vertical="top")
        if lines > 1:
            ws.row_dimensions[r].height = min(lines, definition.max_row_lines) * definition.line_height

    last_row = 1 + max(len(rows), definition.empty_rows)
    last_col = layout.columns[-1].letter
    table = Table(displayName=layout.table_name, ref=f"A1:{last_col}{last_row}")
    table.tableStyleInfo = TableStyleInfo(name=definition.table_style, showRowStripes=True)
    ws.add_table(table)

    # Lists: one column per drop-down, a workbook name over each, validations point at it.
    msg = definition.dropdown_message
    dv_last = max(definition.dropdown_rows, last_row)
    lc = 0
    for col in layout.columns:
        list_name = definition.dropdowns.get(col.field)
        if not list_name:
            continue
        values = dropdown_values(config, list_name, lang)
        if not values:
            continue
        lc += 1
        letter = column_letter(lc - 1)
        head = lists.cell(row=1, column=lc, value=col.header)
        head.font = Font(bold=True)
        for i, v in enumerate(values, start=2):
            lists.cell(row=i, column=lc, value=v)
        lists.column_dimensions[letter].width = max(14, min(40, max(len(v) for v in values) + 2))
        name = f"list_{col.field}"
        ref = f"{_quote_sheet(layout.lists_sheet)}!${letter}$2:${letter}${len(values) + 1}"
        wb.defined_names[name] = DefinedName(name, attr_text=ref)
        dv = DataValidation(
            type="list", formula1=name, allow_blank=True,
            showErrorMessage=True, errorStyle="warning",
            errorTitle=msg["title"].get(lang) or msg["title"]["en"],
            error=msg["text"].get(lang) or msg["text"]["en"],
        )
        dv.add(f"{col.letter}2:{col.letter}{dv_last}")
        ws.add_data_validation(dv)
    lists.freeze_panes = "A2"

    # The same colour rules as `tracker refresh`, marked as ours, so a refresh replaces
    # them instead of stacking a second set.
    fields = {c.field for c in layout.columns}
    if {"due", "status"} <= fields:
        from .jobs import highlights
        from .writeback import highlight_formula

        letters = {f: layout.letter(f) for f in ("due", "status")}
        area = f"A2:{last_col}{dv_last}"
        for h in highlights(config, lang):
            ws.conditional_formatting.add(area, FormulaRule(
                formula=[highlight_formula(h, letters, 2)], fill=PatternFill("solid", bgColor=h.fill)))

    _write_howto(howto, config, layout, definition)
    wb.active = 0
    return wb


def _format_for(value: Any, definition: WorkbookDefinition, lang: str) -> str | None:
    if isinstance(value, datetime):
        kind = "date" if value.time() == time(0, 0) else "datetime"
        return definition.number_format(kind, lang)
    if isinstance(value, date):
        return definition.number_format("date", lang)
    if isinstance(value, time):
        return definition.number_format("time", lang)
    return None


def _write_howto(ws, config, layout: BookLayout, definition: WorkbookDefinition) -> None:
    """The How to use sheet from templates/workbook/howto.<lang>.txt.j2.

    Every status, colour and comment label it names comes from the configuration, the
    same place `tracker refresh` and the summaries take them from, so the sheet cannot
    tell people one thing while the workbook does another.
    """
    from openpyxl.styles import Alignment, Font, PatternFill

    from .followups import cadence_steps, status_label
    from .jobs import highlights
    from .notice import item_label
    from .render import render

    lang = layout.lang
    fills = {h.name: h.fill for h in highlights(config, lang)}
    text = render(
        config, "workbook/howto", lang,
        log_sheet=layout.log_sheet,
        lists_sheet=layout.lists_sheet,
        columns=[{"field": c.field, "header": c.header, "written": c.written} for c in layout.columns],
        headers={c.field: c.header for c in layout.columns},
        call_types=[
            {"id": ct.id, "label": ct.label(lang), "goal": ct.goal_in(lang)}
            for ct in config.call_types.values()
        ],
        outcomes={vid: config.list_label("outcome", vid, lang) for vid in config.list_ids("outcome")},
        statuses={s: status_label(config, s, lang) for s in config.section("followups")["status_labels"]},
        highlights=list(fills),
        labels=_summary_labels(config, lang),
        notice_items=[item_label(config, item, lang)
                      for item in config.section("reminders").get("notice_required") or []],
        cadence=cadence_steps(config, lang),
    )
    ws.column_dimensions["A"].width = definition.howto_width
    # Printed, text past the page's right edge is lost (a bigger font, a column someone
    # widened): one page wide, as many pages long as it takes.
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    wrap = Alignment(wrap_text=True, vertical="top")
    for r, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        # "# Title" lines are headings; "@status text" lines are painted as the log paints
        # that status's rows; the rest is plain text, one paragraph a row.
        fill = None
        heading = line.startswith("#")
        if heading:
            line = line.lstrip("#").strip()
        elif line.startswith("@"):
            name, _, line = line[1:].partition(" ")
            if name not in fills:
                raise TemplateError(f"workbook/howto ({lang}): line \"@{name} ...\" names no highlight "
                                    f"(one of {', '.join(fills)})")
            fill = PatternFill("solid", fgColor=fills[name])
        cell = ws.cell(row=r, column=1, value=line)
        cell.alignment = wrap
        if heading:
            cell.font = Font(bold=True, size=definition.howto_heading_size)
        if fill is not None:
            cell.fill = fill
        lines = wrapped_lines(line, definition.howto_width)
        if lines > 1:
            ws.row_dimensions[r].height = lines * definition.line_height


def _summary_labels(config, lang: str) -> dict[str, str]:
    """Each summary item's label as a summary in `lang` writes it, with its colon
    ("Company Name:", "公司名称："): the words people write in their comments."""
    from .summaries import item_labels, label_language

    return {item: label.rstrip() for item, label in item_labels(config, label_language(config, lang)).items()}


def save_new(wb, path: Path) -> Path:
    """Save `wb` at `path`, never over an existing file: temp file in the folder, then link.

    The link is atomic and fails if the name was taken meanwhile, so a workbook someone
    created between our check and our save is not replaced.
    """
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise WorkbookError(f"{path}: a new call log must be an .xlsx file")
    if path.exists():
        raise WorkbookError(f"{path}: already exists; not overwriting it (choose another name)")
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise WorkbookError(f"{path}: the folder {folder} does not exist")
    # Not mkstemp: its file is private (0600); a workbook gets the user's usual permissions.
    tmp = folder / f".{path.stem}.{os.getpid()}.{secrets.token_hex(4)}.tmp.xlsx"
    try:
        with open(tmp, "xb") as fh:
            wb.save(fh)
        try:
            os.link(tmp, path)
        except FileExistsError:
            raise WorkbookError(f"{path}: already exists; not overwriting it (choose another name)") from None
        except OSError:
            # A file system without hard links: the check above is the best we can do.
            if path.exists():
                raise WorkbookError(f"{path}: already exists; not overwriting it (choose another name)") from None
            os.replace(tmp, path)
    except OSError as exc:
        raise WorkbookError(f"{path}: cannot save ({exc.strerror or exc})") from None
    finally:
        tmp.unlink(missing_ok=True)
    return path


def new_workbook(path: Path, config, lang: str = "en") -> Path:
    """An empty call log at `path` in language `lang`; refuses to overwrite a file."""
    path = Path(path)
    if path.exists():
        raise WorkbookError(f"{path}: already exists; not overwriting it (choose another name)")
    return save_new(build_workbook(config, lang), path)
