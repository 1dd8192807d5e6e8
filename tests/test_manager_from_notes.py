"""A row's manager (SM) is its SM column's, else the "SM:" line of its notes (the comment
format's last item; seed 002's log has no SM column): the digest, the follow-ups and the
statistics file its work under that manager, as the summary names them."""
import json
from datetime import datetime

import openpyxl
from workbooks import cli_ok

AS_OF = "2026-12-03T09:00"


def _seed002_log(path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Звонки"
    ws.append(["Дата", "Вид Звонка", "Цель звонка", "Комментарии к звонку", "Действия после звонка",
               "Кому напомнить о звонке", "Контакт", "Следующий контакт"])
    ws.append([datetime(2026, 11, 20), "Первый звонок", "знакомство",
               "Company Name: Acme\nContact Person: Иван Иванов\nSM: Ольга", "", "", "Иван Иванов",
               datetime(2026, 11, 25)])
    ws.append([datetime(2026, 11, 21), "Первый звонок", "знакомство",
               "Company Name: Beta\nContact Person: Пётр Петров\nSM: – Павел", "", "", "Пётр Петров",
               datetime(2026, 11, 26)])
    ws.append([datetime(2026, 11, 22), "Первый звонок", "знакомство",
               "Company Name: Gamma\nContact Person: Анна Смирнова", "", "", "Анна Смирнова",
               datetime(2026, 11, 27)])
    wb.save(path)
    return path


def test_the_sm_line_of_the_notes_is_the_rows_manager(tmp_path):
    log = _seed002_log(tmp_path / "log.xlsx")
    chases = json.loads(cli_ok("overdue", log, "--as-of", AS_OF, "--format", "json").stdout)
    assert {c["contact"]: c["manager"] for c in chases} == {
        "Иван Иванов": "Ольга", "Пётр Петров": "Павел", "Анна Смирнова": ""}

    out = tmp_path / "digests"
    cli_ok("digest", log, "--as-of", AS_OF, "--out", out)
    named = sorted(p.name for p in out.glob("*.txt"))
    assert len(named) == 3 and any("Ольга" in n for n in named) and any("Павел" in n for n in named)

    calls = json.loads(cli_ok("stats", log, "--as-of", AS_OF, "--format", "json", "--kind", "calls").stdout)
    assert {r["manager"] for r in calls if r["call_type"] == "*" and r["period"] == "*"} >= {"Ольга", "Павел", ""}


def test_the_sm_column_wins_over_the_notes(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Date", "Call type", "Contact", "SM", "Comment on the call", "Next contact"])
    ws.append([datetime(2026, 11, 20), "First call", "Jane Roe", "Olga", "Company Name: Acme\nSM: Pavel",
               datetime(2026, 11, 25)])
    ws.append([datetime(2026, 11, 20), "First call", "John Poe", None, "Company Name: Beta\nSM: Pavel",
               datetime(2026, 11, 25)])
    wb.save(tmp_path / "log.xlsx")
    chases = json.loads(cli_ok("overdue", tmp_path / "log.xlsx", "--as-of", AS_OF, "--format", "json").stdout)
    assert {c["contact"]: c["manager"] for c in chases} == {"Jane Roe": "Olga", "John Poe": "Pavel"}
