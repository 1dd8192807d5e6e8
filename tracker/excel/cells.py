"""What the cell functions compute, without xlwings: a table in, one column out.

Kept apart from udfs.py so it runs and is tested where there is no Excel, and so the
cell functions give exactly what `tracker refresh` writes into the same columns.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

TABLE_SHEET = "(table)"


def column(table, what: str, *, as_of: Any = None, lang: str | None = None,
           book_path: str | None = None, config=None, now: datetime | None = None) -> list[list[Any]]:
    """One value per row of `table` (header row first), for the field `what`: status,
    due, next_action or summary. Errors come back as one text cell, never a traceback."""
    from .. import jobs
    from ..errors import TrackerError
    from ..log import parse_date, parse_grid

    rows = [list(r) if isinstance(r, (list, tuple)) else [r] for r in (table or [])]
    try:
        config = config or jobs.config_for(None, book_path)
        if now is None:
            given = parse_date(as_of, config) if as_of not in (None, "") else None
            now = given if isinstance(given, datetime) else (
                datetime.combine(given, datetime.min.time()) if given else datetime.now().astimezone())
        log = parse_grid(rows, TABLE_SHEET, config, path=book_path or "")
        values = jobs.written_values(log, config, now, fields=(what,), lang=lang)[what]
        header = config.header(what, log.language)
    except TrackerError as exc:
        return [[f"#CallTracker: {exc}"]] + [[None] for _ in rows[1:]]
    out: list[list[Any]] = []
    for index in range(len(rows)):
        excel_row = index + 1
        if excel_row == log.header_row:
            out.append([header])
        else:
            out.append([values.get(excel_row)])
    return out
