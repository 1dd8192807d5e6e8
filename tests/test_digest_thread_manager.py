"""A chase row without an SM of its own is its thread's manager's: the digest files it
under them, as the draft signs it and the statistics count it (not under "No manager")."""
import json
from datetime import datetime

import openpyxl
from workbooks import cli_ok

AS_OF = "2026-12-03T09:00"


def _log(path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Date", "Time", "Call type", "Client", "Contact", "Channel", "Outcome", "Next contact", "SM"])
    ws.append([datetime(2026, 11, 30), "10:00", "First call", "A", "Uli", None, "No answer", None, "Olga"])
    ws.append([datetime(2026, 12, 1), "10:00", "Follow-up", "A", "Uli", "WeChat", "No answer", None, None])
    ws.append([datetime(2026, 11, 25), "10:00", "First call", "B", "Vera", None, "Done", datetime(2026, 12, 1), "Pavel"])
    ws.append([datetime(2026, 11, 27), "10:00", "Follow-up", "B", "Vera", None, "Replied", datetime(2026, 12, 2), None])
    wb.save(path)
    return path


def test_a_chase_row_without_an_sm_is_its_threads_managers(tmp_path):
    log = _log(tmp_path / "log.xlsx")
    chases = json.loads(cli_ok("overdue", log, "--as-of", AS_OF, "--format", "json").stdout)
    assert {c["contact"]: c["manager"] for c in chases} == {"Uli": "Olga", "Vera": "Pavel"}
    uli = next(c for c in chases if c["contact"] == "Uli")
    assert "Olga" in uli["message"]   # the draft signed by the same manager

    out = tmp_path / "digests"
    cli_ok("digest", log, "--as-of", AS_OF, "--out", out)
    texts = {p.name: p.read_text(encoding="utf-8") for p in out.glob("*.txt")}
    assert sorted(texts) == [f"digest_2026-12-03_{m}_log.txt" for m in ("Olga", "Pavel")], sorted(texts)
    assert "Uli" in texts["digest_2026-12-03_Olga_log.txt"] and "Vera" in texts["digest_2026-12-03_Pavel_log.txt"]
