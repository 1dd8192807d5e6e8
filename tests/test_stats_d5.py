"""A workbook with two log sheets whose names sort opposite to their order in it ("Zeta"
first, "Alpha" second): the statistics count one sheet, the one the follow-ups judge (the
first in the workbook, or --sheet), never the two mixed. So the sheet name stats.py ranks
same-day rows by (_date_order) never meets a second sheet: the order of two same-day rows
of different sheets cannot differ between statistics and follow-ups. November 2026."""
from __future__ import annotations

import json
from datetime import date, time
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from tracker.cli import main
from workbooks import overdue_json

HEADER = ("Date", "Time", "Call type", "Client", "Contact", "Source", "Stage", "Outcome", "SM", "Channel")
AS_OF = "2026-11-27T09:00"

pytestmark = pytest.mark.usefixtures("no_user_config")


def ann(outcome: str) -> tuple:
    return (date(2026, 11, 16), time(10), "Follow-up", "Acme", "Ann Lee", "LinkedIn", "Interview", outcome, "Olga",
            "Phone")


def two_log_sheets(path: Path) -> Path:
    """Ann's unanswered call on "Zeta", her reply at the same minute on "Alpha": taken
    together, the reply would answer the chase in the workbook's order, and come before
    the silence (a chase unresolved) in the names' order."""
    wb = openpyxl.Workbook()
    zeta = wb.active
    zeta.title = "Zeta"
    alpha = wb.create_sheet("Alpha")
    for ws, outcome in ((zeta, "No answer"), (alpha, "Replied")):
        ws.append(HEADER)
        ws.append(ann(outcome))
    wb.save(path)
    return path


def chases(*args: str) -> dict:
    r = CliRunner().invoke(main, ["stats", *args, "--kind", "ghosting", "--format", "json", "--as-of", AS_OF],
                           catch_exceptions=False)
    assert r.exit_code == 0, r.output
    rows = [x for x in json.loads(r.stdout) if x["manager"] == x["source"] == x["stage"] == "*"]
    return {x["file"]: {k: x[k] for k in ("chases", "answered_t1", "unresolved") if x[k]} for x in rows}


def test_stats_count_the_sheet_the_follow_ups_judge_never_both(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    two_log_sheets(tmp_path / "two.xlsx")
    # Zeta alone: the silence starts a chase nobody answered, which the follow-ups chase.
    assert chases("two.xlsx") == {"two.xlsx": {"chases": 1, "unresolved": 1}, "*": {"chases": 1, "unresolved": 1}}
    assert [(x["sheet"], x["row"], x["flag"]) for x in overdue_json(Path("two.xlsx"), AS_OF)] == [("Zeta", 2, "chase")]
    # The workbook named twice is still one log of one sheet: counted once.
    assert chases("two.xlsx", "./two.xlsx") == chases("two.xlsx")
    # Alpha alone (--sheet): a reply with no silence before it is no chase, on both sides.
    assert chases("two.xlsx", "--sheet", "Alpha") == {}
    r = CliRunner().invoke(main, ["overdue", "two.xlsx", "--sheet", "Alpha", "--all", "--format", "json",
                                  "--as-of", AS_OF], catch_exceptions=False)
    assert [x for x in json.loads(r.stdout) if x["flag"] == "chase"] == []
