"""Refresh's colour rules read back from the file and evaluated day by day; check's
repeated IDs; the demo's commands run as printed."""
import json
import re
import shlex
from datetime import date, datetime, time

import openpyxl
from click.testing import CliRunner
from openpyxl.utils import column_index_from_string

from tracker.cli import main
from workbooks import plain_log


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def _serial(day) -> float:
    return (day - datetime(1899, 12, 30)).total_seconds() / 86400 if isinstance(day, datetime) else \
        (day - date(1899, 12, 30)).days


def _rules(ws):
    """(rows the rule covers, its fill, its formula as written for its range's first row,
    that row), in Excel's order of priority."""
    found = []
    for cf in ws.conditional_formatting:
        for rule in cf.rules:
            rows = {r for cell_range in cf.sqref.ranges for r in range(cell_range.min_row, cell_range.max_row + 1)}
            first = min(cell_range.min_row for cell_range in cf.sqref.ranges)
            found.append((rule.priority, rows, rule.dxf.fill.bgColor.rgb, rule.formula[0], first))
    return [f[1:] for f in sorted(found, key=lambda f: f[0])]


def _fill_on(ws, row: int, today: date):
    """The fill Excel paints `row` with on `today`: the first rule by priority whose range
    holds the row and whose formula, exactly as written (its relative rows moved to
    `row`), holds with TODAY() as `today`. Only the functions refresh writes."""
    # (a blank cell is 0 to INT)
    funcs = dict(AND=lambda *a: all(a), OR=lambda *a: any(a), INT=lambda v: int((v or 0) // 1),
                 ISTEXT=lambda v: isinstance(v, str), ISNUMBER=lambda v: isinstance(v, (int, float)),
                 TODAY=lambda: _serial(today), DATE=lambda y, m, d: _serial(date(y, m, d)))

    def cell(m, shift):
        value = ws.cell(int(m[2]) + shift, column_index_from_string(m[1])).value
        if isinstance(value, datetime):
            return repr(_serial(value))
        return repr(value) if value is not None else "None"

    for rows, fill, formula, first in _rules(ws):
        if row not in rows:
            continue
        # (strings first, so that an "=" or a "$A1" inside one is left alone)
        parts = re.split(r'("(?:[^"]|"")*")', formula)
        py = []
        for i, part in enumerate(parts):
            if i % 2:
                py.append(repr(part[1:-1].replace('""', '"')))
                continue
            part = re.sub(r"\$([A-Z]+)\$?(\d+)", lambda m: cell(m, row - first), part)
            part = part.replace("<>", "!=").replace("<=", "@le").replace(">=", "@ge")
            part = re.sub(r"(?<![!<>])=", "==", part).replace("@le", "<=").replace("@ge", ">=")
            py.append(part)
        if eval("".join(py), dict(funcs)):
            return fill
    return None


def _named_fills(ws) -> dict[str, str]:
    return {re.search(r'"call-tracker:(\w+)"', formula)[1]: fill for _, fill, formula, _ in _rules(ws)}


def _colours(path, row: int, days) -> dict[int, str | None]:
    ws = openpyxl.load_workbook(path).worksheets[0]
    fills = _named_fills(ws)
    name = {fills["overdue"]: "red", fills["due_today"]: "amber"}
    return {d.day: name.get(_fill_on(ws, row, d)) for d in days}


NOV = [date(2026, 11, d) for d in range(19, 24)]


def test_a_last_message_refreshed_before_its_window_is_amber_from_its_first_day(tmp_path):
    # The tester's log: no answer on 15 Nov (T), chased on the 16th and 18th; refreshed on
    # the 19th, the last message is owed from the 20th (T+5) to the 22nd (T+7).
    path = tmp_path / "t.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["Date", "Call type", "Client", "Contact", "Outcome"])
    for day, kind, outcome in ((15, "Repeat call", "No answer"), (16, "Follow-up", None), (18, "Follow-up", None)):
        wb.active.append([datetime(2026, 11, day), kind, "Acme", "Anna Li", outcome])
    wb.save(path)
    r = run("refresh", path, "--as-of", "2026-11-19T09:00")
    assert r.exit_code == 0, r.stderr
    ws = openpyxl.load_workbook(path).worksheets[0]
    header = [c.value for c in ws[1]]
    assert [ws.cell(4, header.index(h) + 1).value for h in ("Status", "Due")] == ["Upcoming", datetime(2026, 11, 22)]
    assert _colours(path, 4, NOV) == {19: None, 20: "amber", 21: "amber", 22: "amber", 23: "red"}
    # The rows before it are done: white on every day.
    assert set(_colours(path, 3, NOV).values()) == {None}


def test_the_demos_last_message_refreshed_the_day_before_its_window(tmp_path):
    # The demo as of the 20th has a last message owed from the 20th to the 22nd; its
    # workbook refreshed as of the 19th said "Upcoming" and stayed white until the 22nd.
    folder = tmp_path / "demo"
    assert run("demo", folder, "--as-of", "2026-11-20T09:00").exit_code == 0
    path = folder / "call-log-demo.xlsx"
    r = run("refresh", path, "--as-of", "2026-11-19T09:00")
    assert r.exit_code == 0, r.stderr
    ws = openpyxl.load_workbook(path).worksheets[0]
    header = [c.value for c in ws[1]]
    status, due, action = (header.index(h) + 1 for h in ("Status", "Due", "Next action"))
    rows = [r for r in range(2, ws.max_row + 1) if "Send the last message" in str(ws.cell(r, action).value)]
    assert len(rows) == 1
    row = rows[0]
    assert (ws.cell(row, status).value, ws.cell(row, due).value) == ("Upcoming", datetime(2026, 11, 22))
    assert _colours(path, row, NOV) == {19: None, 20: "amber", 21: "amber", 22: "amber", 23: "red"}


# ------------------------------------------------------------------ repeated IDs

def test_check_names_each_repeated_id_and_the_row_that_has_it_first(tmp_path):
    d = datetime(2026, 11, 2)
    path = plain_log(tmp_path / "f.xlsx", [
        ["X1", d, time(10), "First call", "Acme", "Ann"],
        ["X7", d, time(11), "First call", "Beta", "Bob"],      # row 3
        [None, d, time(12), "First call", "Gamma", "Cy"],      # blank IDs are no IDs
        ["X7", d, time(13), "First call", "Delta", "Di"],      # row 5
        [None, d, time(14), "First call", "Eps", "Ed"],
        [7, d, time(15), "First call", "Zeta", "Zo"],          # row 7: a number...
        ["X7", d, time(16), "First call", "Eta", "Ea"],        # row 8
        ["7", d, time(17), "First call", "Theta", "Th"],       # row 9: ...and its text
    ])
    r = run("check", path, "--format", "json")
    assert r.exit_code == 1, r.output
    repeated = [(p["row"], p["column"], p["value"], p["message"]) for p in json.loads(r.stdout)
                if "ID" in p["message"]]
    assert repeated == [
        (5, "A", "X7", 'ID "X7" is also on row 3: --id X7 finds every row with it'),
        (8, "A", "X7", 'ID "X7" is also on row 3: --id X7 finds every row with it'),
        (9, "A", "7", 'ID "7" is also on row 7: --id 7 finds every row with it'),
    ]
    # As it says: --id finds them all.
    r = run("summary", path, "--id", "X7", "--format", "json")
    assert [s["row"] for s in json.loads(r.stdout)] == [3, 5, 8]


def test_check_is_quiet_on_ids_each_of_their_own(tmp_path):
    d = datetime(2026, 11, 2)
    path = plain_log(tmp_path / "f.xlsx", [
        ["X1", d, time(10), "First call", "Acme", "Ann"],
        [None, d, time(11), "First call", "Beta", "Bob"],
        [None, d, time(12), "First call", "Gamma", "Cy"],
        ["X2", d, time(13), "First call", "Delta", "Di"],
    ])
    r = run("check", path, "--format", "json")
    assert not [p for p in json.loads(r.stdout) if "ID" in p["message"]], r.stdout


# ------------------------------------------------------------------ the demo's commands

def test_each_command_the_demo_names_shows_what_it_showed(tmp_path):
    # Its titles said `tracker overdue DIR/call-log-demo.xlsx` without the --as-of it
    # ran with: run as printed, they judged as of the clock and showed other rows.
    r = run("demo", tmp_path / "demo", "--as-of", "2026-11-23T09:00")
    assert r.exit_code == 0, r.output
    sections = re.split(r"^\n?== ", r.stdout, flags=re.M)
    shown = {}
    for section in sections[1:]:
        title, _, body = section.partition(" ==\n")
        command = re.search(r"\((tracker [^()]*)\)$", title)
        if command:
            shown[shlex.split(command[1])[1]] = (title, shlex.split(command[1])[1:], body)
    assert set(shown) == {"overdue", "reminders", "summary", "stats"}

    def table_rows(body: str) -> list[str]:   # the first column of a table: its row numbers
        lines = body.splitlines()
        return [ln.split()[0] for ln in lines[2:] if ln[:1].isdigit()]

    title, args, body = shown["overdue"]
    assert "--as-of 2026-11-23T09:00" in title
    listed = json.loads(run(*args, "--format", "json").stdout)
    assert len(listed) == int(re.search(r"Chase today: (\d+)", title)[1])
    assert [str(f["row"]) for f in listed][:12] == table_rows(body.split("\n\nDraft")[0])

    title, args, body = shown["reminders"]
    assert "--from 2026-11-23T09:00" in title
    listed = json.loads(run(*args, "--format", "json").stdout)
    assert len(listed) == int(re.search(r"tomorrow: (\d+)", title)[1])
    shown_rows = [ln.split()[3] for ln in body.splitlines()[2:] if ln.strip()]   # "Mon 23 10:00 178 ..."
    assert shown_rows == [str(x["call_row"]) for x in listed]

    title, args, body = shown["stats"]
    assert "--as-of 2026-11-23T09:00" in title
    assert run(*args).stdout.strip() == body.strip()

    title, args, body = shown["summary"]
    assert body.strip() in run(*args).stdout
