"""What each command does, as functions shared by the terminal (cli.py) and Excel
(excel/ribbon.py): read a log, run the engine, shape the results, write them out.

Nothing here parses arguments or prints; it returns values and lines of text.
"""
from __future__ import annotations

import os
import tempfile
import traceback
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Callable, Iterable

from .config import Config, load_config
from .errors import TrackerError, WorkbookError
from .model import CallLog, CallRecord

FOLLOWUP_COLUMNS = ["row", "status", "due", "days_overdue", "who", "client", "call_type", "action", "message"]
REMINDER_COLUMNS = ["at", "row", "call_type", "whom", "channel", "subject"]


# ---------------------------------------------------------------- reading

def config_for(config_path: str | None, workbook: str | os.PathLike | None) -> Config:
    return load_config(config_path, workbook)


def read(path: str | os.PathLike, config: Config, sheet: str | None = None) -> CallLog:
    from .log import read_log

    return read_log(Path(path), config, sheet)


def report_problems(log: CallLog, echo: Callable[[str], None]) -> None:
    """One line on stderr when a listing was made from a log that has unreadable cells."""
    if log.problems:
        echo(f"{log.path}: {len(log.problems)} cells could not be read and were left out; "
             f"run `tracker check {log.path}` to list them")


def write_crash_report(exc: BaseException) -> str:
    """Keep the traceback for a bug report, out of the user's way."""
    fd, name = tempfile.mkstemp(prefix="call-tracker-crash-", suffix=".txt")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write("".join(traceback.format_exception(exc)))
    return name


def _local(config: Config, now: datetime) -> datetime:
    return config.local(now)


# ---------------------------------------------------------------- init

def init_workbook(path: Path, config: Config, lang: str) -> Path:
    from .newbook import new_workbook

    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        raise TrackerError(f"{path}: a call log is an Excel workbook; name it something.xlsx")
    return new_workbook(path, config, lang)
