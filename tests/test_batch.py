"""`tracker stats` over many workbooks: which files a folder, a glob or the shell's list
of names gives, and whose settings count them."""
import csv
import io
import json
import shutil
from datetime import datetime
from email import policy
from email.parser import BytesParser
from pathlib import Path

from click.testing import CliRunner

from tracker.cli import main

# Counting a call marked Done as not held: the totals show which settings counted them.
DONE_NOT_HELD = "stats:\n  calls_not_held: [planned, cancelled, rescheduled, done]\n"


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def _log(path: Path) -> Path:
    """A log of two calls, one of them Done."""
    import openpyxl

    path.parent.mkdir(parents=True, exist_ok=True)
    wb = openpyxl.Workbook()
    wb.active.append(["Date", "Call type", "Candidates", "Outcome", "SM"])
    wb.active.append([datetime(2026, 11, 2), "First call", "Tom", "Done", "Olga"])
    wb.active.append([datetime(2026, 11, 3), "Interview", "Eva", "Attended", "Olga"])
    wb.save(path)
    return path


def _calls(r) -> int:
    """All calls counted, over every file, period and manager."""
    assert r.exit_code == 0, r.output
    [total] = [row["count"] for row in json.loads(r.stdout)
               if row["period"] == row["file"] == row["manager"] == row["call_type"] == "*"]
    return total


def _files(r) -> set[str]:
    return {Path(row["file"]).name for row in json.loads(r.stdout) if row["file"] != "*"}


def test_stats_count_with_the_first_workbooks_settings_however_it_is_named(tmp_path):
    us = tmp_path / "us"
    book = _log(us / "bob.xlsx")
    (us / "tracker.yaml").write_text(DONE_NOT_HELD, encoding="utf-8")
    totals = {str(p): _calls(run("stats", p, "--format", "json", "--kind", "calls"))
              for p in (book, f"{us}/", us, us / "*.xlsx")}
    # Its own tracker.yaml, not the one (here: none) beside the folder us/.
    assert set(totals.values()) == {1}, totals


def test_a_broken_tracker_yaml_beside_a_folder_does_not_stop_a_run_whose_first_workbook_has_its_own(tmp_path):
    team = tmp_path / "team"
    first = _log(team / "ok" / "c.xlsx")
    (team / "ok" / "tracker.yaml").write_text("language: en\n", encoding="utf-8")
    _log(team / "a.xlsx")
    (team / "tracker.yaml").write_text("timezone: Mars/Olympus\n", encoding="utf-8")
    alone = run("stats", first, "--format", "json")
    r = run("stats", f"{team / 'ok'}/", f"{team}/", "--format", "json")
    # a.xlsx, read with the broken file, is left out and said so (exit 2, as alone);
    # c.xlsx is counted.
    assert r.exit_code == 2, r.output
    assert json.loads(r.stdout) == json.loads(alone.stdout)
    assert "a.xlsx" in r.stderr and "Mars/Olympus" in r.stderr and "Traceback" not in r.output


def test_a_file_whose_name_has_glob_characters_is_that_file(tmp_path):
    plain = _log(tmp_path / "jack.xlsx")
    bracketed = tmp_path / "jack [old].xlsx"
    shutil.copy(plain, bracketed)
    r = run("stats", bracketed, "--format", "json", "--kind", "calls")
    assert _calls(r) == 2 and _files(r) == {"jack [old].xlsx"}
    r = run("stats", plain, bracketed, "--format", "json", "--kind", "calls")
    assert _calls(r) == 4, r.output
    # A pattern is still a pattern.
    r = run("stats", tmp_path / "jack*.xlsx", "--format", "json", "--kind", "calls")
    assert _files(r) == {"jack.xlsx", "jack [old].xlsx"}


def _open_in_excel(folder: Path) -> Path:
    """Two logs, one of them open in Excel: its owner file ~$ beside it (for a long name
    Excel drops the name's first two characters)."""
    _log(folder / "bob.xlsx")
    _log(folder / "Alice Smith.xlsx")
    lock = folder / "~$ice Smith.xlsx"
    lock.write_bytes(b"\x05Alice" + b" " * 49 + b"\x00" * 110)
    return lock


def test_an_excel_lock_file_does_not_fail_a_glob_or_a_list_of_names(tmp_path):
    lock = _open_in_excel(tmp_path / "logs")
    folder = run("stats", tmp_path / "logs", "--format", "json")
    assert folder.exit_code == 0, folder.output
    # A glob the program expands: passed over as in a folder.
    r = run("stats", tmp_path / "logs" / "*.xlsx", "--format", "json")
    assert r.exit_code == 0 and r.stdout == folder.stdout, r.output
    # The shell's expansion of logs/*.xlsx: the lock file among the names, said so.
    names = sorted((tmp_path / "logs").iterdir())
    r = run("stats", *names, "--format", "json")
    assert r.exit_code == 0 and r.stdout == folder.stdout, r.output
    assert r.stderr == f"{lock}: Excel's lock file for an open workbook, not a workbook; not counted\n"
    # Named alone, it is an error that says what it is.
    r = run("stats", lock)
    assert r.exit_code == 2 and r.stderr == (f"tracker: {lock}: this is Excel's lock file for an open workbook, "
                                             "not the workbook itself\n"), r.output


def test_a_folder_counts_every_kind_of_workbook_and_names_its_subfolders(tmp_path):
    team = tmp_path / "team"
    _log(team / "bob.xlsx")
    # The reader judges a workbook by its content; these names are what a folder lists.
    shutil.copy(team / "bob.xlsx", team / "old.xls")
    shutil.copy(team / "bob.xlsx", team / "frank.ods")
    _log(team / "archive" / "2025.xlsx")
    (team / "notes").mkdir()
    (team / "notes" / "readme.txt").write_text("no workbooks here", encoding="utf-8")
    r = run("stats", team, "--format", "json", "--kind", "calls")
    assert r.exit_code == 0, r.output
    assert _files(r) == {"bob.xlsx", "old.xls", "frank.ods"}
    assert r.stderr == (f"{team / 'archive'}: the workbooks in this subfolder are not counted; "
                        "name the subfolder too to count them\n")
    # Named too, the subfolder is counted and not mentioned.
    r = run("stats", team, team / "archive", "--format", "json", "--kind", "calls")
    assert r.exit_code == 0 and r.stderr == "", r.output
    assert _files(r) == {"bob.xlsx", "old.xls", "frank.ods", "2025.xlsx"}
    # A folder whose workbooks are all in subfolders: the error, and where they are.
    r = run("stats", tmp_path, "--format", "json")
    assert r.exit_code == 2 and r.stderr.splitlines() == [
        f"{team}: the workbooks in this subfolder are not counted; name the subfolder too to count them",
        f"tracker: {tmp_path}: no workbook (.xlsx, .xlsm, .xlsb, .xls, .ods) found"], r.output


def test_a_workbook_left_out_for_its_broken_tracker_yaml_is_named(tmp_path):
    first = _log(tmp_path / "ok" / "c.xlsx")
    team = tmp_path / "team"
    a, b = _log(team / "a.xlsx"), _log(team / "b.xlsx")
    yaml = team / "tracker.yaml"
    yaml.write_text("timezone: Mars/Olympus\n", encoding="utf-8")
    r = run("stats", first, a, b, "--format", "json")
    assert r.exit_code == 2, r.output
    left_out = [line for line in r.stderr.splitlines() if "left out of these statistics" in line]
    assert len(left_out) == 2, r.stderr
    for line, book in zip(left_out, (a, b)):
        assert line.startswith(f"tracker: {book}: its settings cannot be used: {yaml}:1: "), line


def test_a_folder_of_refreshed_logs_says_nothing_of_their_backups(tmp_path):
    # Found by a tester: stats over a folder whose log had been refreshed said the
    # workbooks in .call-tracker-backups were not counted, as if the user had an archive.
    team = tmp_path / "team"
    _log(team / "bob.xlsx")
    assert run("refresh", team / "bob.xlsx", "--as-of", "2026-11-23T09:00").exit_code == 0
    assert any((team / ".call-tracker-backups").iterdir())
    r = run("stats", team, "--format", "json", "--kind", "calls")
    assert r.exit_code == 0 and r.stderr == "", r.output


# ---------------------------------------------------------------- check, overdue, reminders, refresh over many

AS_OF = "2026-11-23T09:00"   # a Monday; the logs below are written around it


def _consultant(path: Path, who: str, *, unreadable: bool = False, untimed: bool = False) -> Path:
    """One consultant's log (as `tracker init` writes it): a first call whose next contact
    (Friday) is overdue, tomorrow's interview at 10:00 (reminders), a first call with the
    client tomorrow at 11:00 (an e-mail reminder); `unreadable`: a date that does not read;
    `untimed`: a planned call without its time."""
    from datetime import time

    from workbooks import typed_log

    path.parent.mkdir(parents=True, exist_ok=True)
    rows = [
        {"Date": datetime(2026, 11, 16), "Call type": "First call", "Client": f"{who} Ltd", "Contact": who,
         "Outcome": "Done", "Next contact": datetime(2026, 11, 20), "SM": "Olga"},
        {"Date": datetime(2026, 11, 24), "Time": time(10, 0), "Call type": "Interview", "Client": f"{who} Ltd",
         "Candidates": "Eva", "Outcome": "Planned", "SM": "Olga"},
        {"Date": datetime(2026, 11, 24), "Time": time(11, 0), "Call type": "First call", "Client": f"{who} Co",
         "Contact": who, "E-mail": f"{who.lower()}@example.com", "Outcome": "Planned", "SM": "Olga"},
    ]
    if untimed:
        rows.append({"Date": datetime(2026, 11, 24), "Call type": "First call", "Client": f"{who} Inc",
                     "Contact": who, "Outcome": "Planned"})
    if unreadable:
        rows.append({"Date": "32.11.2026", "Call type": "Interview", "Contact": who})
    return typed_log(path, rows)


LISTINGS = {   # command -> its options judging from AS_OF
    "check": [],
    "overdue": ["--as-of", AS_OF],
    "reminders": ["--from", AS_OF],
}


def _json(command: str, *paths, ok=(0, 1)) -> list[dict]:
    r = run(command, *paths, *LISTINGS[command], "--format", "json")
    assert r.exit_code in ok and "Traceback" not in r.output, r.output
    return json.loads(r.stdout)


def test_several_workbooks_make_one_listing_whose_rows_name_their_file_in_the_order_given(tmp_path):
    tom = _consultant(tmp_path / "tom.xlsx", "Tom", unreadable=True)
    ann = _consultant(tmp_path / "ann.xlsx", "Ann", unreadable=True, untimed=True)
    for command in LISTINGS:
        alone = {p: _json(command, p) for p in (tom, ann)}
        both = _json(command, ann, tom)
        assert all(alone.values()), (command, alone)
        # Each row is its workbook's row as listed alone, with `file` first; ann's first.
        assert both == [{"file": str(p), **row} for p in (ann, tom) for row in alone[p]], command
        assert all(list(row)[0] == "file" for row in both)
        # CSV: one header for all (`> team.csv` is one sheet), `file` first.
        r = run(command, ann, tom, *LISTINGS[command], "--format", "csv")
        lines = list(csv.reader(io.StringIO(r.stdout)))
        assert lines[0][0] == "file" and sum(line == lines[0] for line in lines) == 1, r.stdout
        assert [line[0] for line in lines[1:]] == [str(ann)] * len(alone[ann]) + [str(tom)] * len(alone[tom])
        # The table too; a long path keeps its end there, the workbook's name.
        r = run(command, ann, tom, *LISTINGS[command])
        head, _, *table = r.stdout.splitlines()
        assert head.split()[0] == "file", r.stdout
        assert [line.split()[0].rsplit("/", 1)[-1] for line in table] == \
            ["ann.xlsx"] * len(alone[ann]) + ["tom.xlsx"] * len(alone[tom]), r.stdout


def test_a_workbook_named_alone_is_listed_as_before(tmp_path):
    tom = _consultant(tmp_path / "tom.xlsx", "Tom", unreadable=True)
    for command in LISTINGS:
        rows = _json(command, tom)
        assert rows and "file" not in rows[0], command
        r = run(command, tom, *LISTINGS[command], "--format", "csv")
        assert not r.stdout.startswith("file"), r.stdout
        assert "file" not in run(command, tom, *LISTINGS[command]).stdout.splitlines()[0]
    assert run("check", tom).exit_code == 1
    assert run("overdue", tom, "--as-of", AS_OF).exit_code == 0
    # Its messages as before: no prefix before the sheet's name.
    untimed = _consultant(tmp_path / "ann.xlsx", "Ann", untimed=True)
    r = run("reminders", untimed, "--from", AS_OF)
    assert r.exit_code == 0 and r.stderr.startswith("Call log!C5: First call on 2026-11-24 has no time"), r.stderr


def test_a_folder_or_a_glob_lists_its_workbooks_as_naming_them_does(tmp_path):
    team = tmp_path / "team"
    ann, tom = _consultant(team / "ann.xlsx", "Ann"), _consultant(team / "tom.xlsx", "Tom")
    _consultant(team / "archive" / "2025.xlsx", "Old")
    for command in ("overdue", "reminders"):
        named = _json(command, ann, tom)
        assert {row["file"] for row in named} == {str(ann), str(tom)}
        assert _json(command, team) == _json(command, team / "*.xlsx") == named
    # A folder of one workbook is still a team's listing: its columns do not change with
    # the number of files in it.
    (team / "tom.xlsx").unlink()
    rows = _json("overdue", team)
    assert rows and {row["file"] for row in rows} == {str(ann)}
    r = run("overdue", team, "--as-of", AS_OF)
    assert r.stderr == (f"{team / 'archive'}: the workbooks in this subfolder are not read; "
                        "name the subfolder too to read them\n"), r.output


def test_the_same_workbook_named_twice_is_listed_once(tmp_path):
    tom = _consultant(tmp_path / "tom.xlsx", "Tom")
    for command in LISTINGS:
        alone = _json(command, tom)
        assert _json(command, tom, tmp_path, f"{tmp_path}/../{tmp_path.name}/tom.xlsx") == \
            [{"file": str(tom), **row} for row in alone]


def test_a_bad_workbook_among_good_ones_is_named_and_the_others_still_listed(tmp_path):
    team = tmp_path / "team"
    ann, tom = _consultant(team / "ann.xlsx", "Ann"), _consultant(team / "tom.xlsx", "Tom")
    (team / "broken.xlsx").write_bytes(b"PK\x03\x04 not really a workbook")
    import openpyxl

    budget = openpyxl.Workbook()
    budget.active.append(["Quarter", "Revenue"])
    budget.save(team / "budget.xlsx")
    missing, nothing = tmp_path / "gone.xlsx", tmp_path / "elsewhere" / "*.xlsx"
    for command in ("overdue", "reminders"):
        good = _json(command, ann, tom)
        r = run(command, team, missing, nothing, *LISTINGS[command], "--format", "json")
        # The worst: 2, as each bad one alone; the good ones listed all the same.
        assert r.exit_code == 2 and json.loads(r.stdout) == good, r.output
        said = r.stderr.splitlines()
        for bad, why in [(team / "broken.xlsx", "the file is damaged"),
                         (team / "budget.xlsx", "has no call-log header row"),
                         (missing, "file not found"), (nothing, "no file matches")]:
            assert any(line.startswith(f"tracker: {bad}: ") and why in line for line in said), (bad, said)
        # The glob named no workbook; the missing file is one that could not be read.
        assert said[-1] == (f"tracker: 3 of 5 workbooks could not be read: {team / 'broken.xlsx'}, "
                            f"{team / 'budget.xlsx'}, {missing}"), said
    # None readable: no listing, the reasons, 2.
    r = run("overdue", team / "broken.xlsx", team / "budget.xlsx", "--as-of", AS_OF, "--format", "json")
    assert r.exit_code == 2 and r.stdout == "" and "Traceback" not in r.output, r.output


def test_check_exits_with_the_worst_of_its_workbooks(tmp_path):
    clean, messy = _consultant(tmp_path / "clean.xlsx", "Tom"), _consultant(tmp_path / "messy.xlsx", "Ann",
                                                                                unreadable=True)
    assert run("check", clean, clean).exit_code == 0
    r = run("check", clean, messy)
    assert r.exit_code == 1, r.output
    assert r.stderr.splitlines() == [f"{clean}: sheet 'Call log', 3 calls, 0 problems",
                                     f"{messy}: sheet 'Call log', 4 calls, 1 problem",
                                     "Checked 2 workbooks: 1 problem in 1 of them"], r.stderr
    (tmp_path / "broken.xlsx").write_bytes(b"")
    r = run("check", clean, messy, tmp_path / "broken.xlsx", "--format", "json")
    # The workbook it could not read is in the listing too, with why.
    assert r.exit_code == 2 and [row["file"] for row in json.loads(r.stdout)] == [
        str(messy), str(tmp_path / "broken.xlsx")], r.output


def test_check_of_a_workbook_without_a_call_log_exits_2_as_the_other_commands(tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.title = "Budget"
    wb.active.append(["Quarter", "Revenue"])
    wb.save(tmp_path / "budget.xlsx")
    book = tmp_path / "budget.xlsx"
    assert run("overdue", book).exit_code == 2
    r = run("check", book, "--format", "json")
    # Refused as every other command refuses it, and still listing why.
    assert r.exit_code == 2, r.output
    [problem] = json.loads(r.stdout)
    assert "no recognisable header row" in problem["message"]
    refused = (f"tracker: {book}: sheet 'Budget' has no call-log header row that Call Tracker recognises; "
               "the problems listed say why")
    assert r.stderr.splitlines()[-1] == refused, r.stderr
    # Among others: the worst, and the same line.
    tom = _consultant(tmp_path / "tom.xlsx", "Tom", unreadable=True)
    r = run("check", tom, book)
    assert r.exit_code == 2 and refused in r.stderr.splitlines(), r.output


def test_a_folder_or_an_unreadable_file_gets_our_message_not_clicks(tmp_path):
    import os

    team = tmp_path / "team"
    _consultant(team / "tom.xlsx", "Tom")
    r = run("notice", team, "--row", "2")
    assert r.exit_code == 2 and r.stderr == f"tracker: {team}: this is a folder, not a workbook file\n", r.output
    if os.geteuid() == 0:   # root reads any file: no permission to be denied
        return
    locked = team / "tom.xlsx"
    locked.chmod(0)
    try:
        for command in ("check", "overdue", "reminders", "refresh", "summary", "digest", "notice", "stats"):
            r = run(command, locked, *{"summary": ["--all"], "notice": ["--row", "2"]}.get(command, []))
            assert r.exit_code == 2 and r.stderr.startswith(f"tracker: {locked}: "), r.output
            # (refresh: the writer's own check comes first, and says the file may not be written)
            assert command == "refresh" or "permission denied (is the file open in another program?)" in r.stderr
    finally:
        locked.chmod(0o644)


def test_a_message_naming_a_cell_names_its_workbook_among_several(tmp_path):
    ann = _consultant(tmp_path / "ann.xlsx", "Ann", untimed=True, unreadable=True)
    tom = _consultant(tmp_path / "tom.xlsx", "Tom")
    alone = run("reminders", ann, "--from", AS_OF).stderr.splitlines()
    r = run("reminders", ann, tom, "--from", AS_OF)
    assert r.exit_code == 0, r.output
    assert alone[0].startswith("Call log!C5: ")
    # Each line of ann's, naming ann.xlsx once.
    assert r.stderr.splitlines() == [line if line.startswith(f"{ann}:") else f"{ann}: {line}"
                                     for line in alone], r.stderr


def test_reminders_write_every_workbooks_drafts_but_refuse_one_calendar_of_several(tmp_path):
    team = tmp_path / "team"
    ann, tom = _consultant(team / "ann.xlsx", "Ann"), _consultant(team / "tom.xlsx", "Tom")
    drafts = tmp_path / "drafts"
    r = run("reminders", team, "--from", AS_OF, "--eml", drafts)
    assert r.exit_code == 0, r.output
    tos = sorted(BytesParser(policy=policy.default).parse(f.open("rb"))["To"] for f in drafts.glob("*.eml"))
    assert [t.split("<")[-1] for t in tos] == ["ann@example.com>", "tom@example.com>"], tos
    assert {line.split(": ")[0] for line in r.stderr.splitlines()} == {str(ann), str(tom)}, r.stderr
    # One calendar of several workbooks: refused, nothing written (event IDs are the
    # sheet and row, not the file: tom's and ann's row 3 would be one event).
    r = run("reminders", ann, tom, "--from", AS_OF, "--ics", tmp_path / "team.ics")
    assert r.exit_code == 2 and "--ics writes one workbook's calendar" in r.stderr, r.output
    assert not (tmp_path / "team.ics").exists()
    assert run("reminders", ann, "--from", AS_OF, "--ics", tmp_path / "ann.ics").exit_code == 0
    # Two workbooks of one name: their drafts would have one name.
    _consultant(tmp_path / "other" / "ann.xlsx", "Anna")
    r = run("reminders", ann, tmp_path / "other", "--from", AS_OF, "--eml", tmp_path / "d2")
    assert r.exit_code == 2 and "have the same name" in r.stderr and not (tmp_path / "d2").exists(), r.output


def test_refresh_refreshes_each_workbook_in_turn_and_a_refused_one_stops_none(tmp_path):
    import openpyxl

    team = tmp_path / "team"
    ann, bob, tom = (_consultant(team / f"{n.lower()}.xlsx", n) for n in ("Ann", "Bob", "Tom"))
    alone = tmp_path / "alone.xlsx"
    shutil.copy(ann, alone)
    first = run("refresh", alone, "--as-of", AS_OF).stderr.splitlines()[0]
    assert first.startswith("Refreshed 3 calls on 'Call log': "), first
    (team / "~$bob.xlsx").write_bytes(b"\x05Bob" + b" " * 49 + b"\x00" * 110)   # open in Excel
    before = bob.read_bytes()
    r = run("refresh", team, "--as-of", AS_OF)
    assert r.exit_code == 2, r.output
    said = r.stderr.splitlines()
    for book in (ann, tom):
        assert f"{book}: {first}" in said, said
        ws = openpyxl.load_workbook(book)["Call log"]
        header = [c.value for c in ws[1]]
        assert ws.cell(2, header.index("Status") + 1).value == "Overdue"
    assert f"tracker: {bob}: the workbook is open in Excel (found ~$bob.xlsx); close the workbook in Excel " \
           "and run again. If no Excel has it open (Excel stopped without tidying up), delete the hidden file " \
           f"{team / '~$bob.xlsx'}" in said, said
    assert bob.read_bytes() == before
    assert said[-2:] == ["Refreshed 2 of 3 workbooks.", f"tracker: 1 of 3 workbooks could not be refreshed: {bob}"]
    # Every line names its workbook.
    assert all(line.startswith((f"{ann}: ", f"{tom}: ", f"tracker: {bob}: ", "Refreshed 2", "tracker: 1 of"))
               for line in said), said
    # Alone, as before: its lines without its name in front, the sheets and backup said.
    (team / "~$bob.xlsx").unlink()
    r = run("refresh", bob, "--as-of", AS_OF)
    assert r.exit_code == 0 and r.stderr.startswith("Refreshed 3 calls on 'Call log'") and "Sheets written" in r.stderr


def test_another_sheet_that_looks_like_a_log_is_named_with_sheet(tmp_path):
    import openpyxl

    path = tmp_path / "two.xlsx"
    wb = openpyxl.Workbook()
    for title, day in (("Calls 2025", datetime(2025, 11, 3)), ("Calls 2026", datetime(2026, 11, 16))):
        ws = wb.create_sheet(title)
        ws.append(["Date", "Call type", "Client", "Contact", "Outcome", "Next contact"])
        ws.append([day, "First call", "Acme", "Tom", "Done", day])
    del wb["Sheet"]
    wb.save(path)
    said = (f"{path}: sheet 'Calls 2026' also looks like a call log; 'Calls 2025' was read (the first "
            "such sheet); add --sheet 'Calls 2026' (or `sheet:` in its tracker.yaml) to read that one "
            "instead, or --sheet 'Calls 2025' to keep this one and not be told again\n")
    r = run("check", path, "--format", "json")
    assert r.exit_code == 0 and said in r.stderr, r.stderr
    # refresh says it before writing into the sheet read; a listing does not read every
    # sheet to say it (last year's log beside costs its whole read).
    copy = tmp_path / "copy.xlsx"
    copy.write_bytes(path.read_bytes())
    r = run("refresh", copy, "--as-of", AS_OF)
    assert r.exit_code == 0 and said.replace(str(path), str(copy)) in r.stderr, r.stderr
    r = run("overdue", path, "--as-of", AS_OF, "--format", "json")
    assert r.exit_code == 0 and len(json.loads(r.stdout)) == 1 and r.stderr == "", r.output
    r = run("check", path, "--sheet", "Calls 2026", "--format", "json")
    assert r.exit_code == 0 and "also looks" not in r.stderr, r.output
    # Over several workbooks --sheet names the sheet in each (found by a review: the advice
    # failed the others): the workbook's own tracker.yaml is the remedy, and it works.
    team = tmp_path / "team"
    team.mkdir()
    (team / "two.xlsx").write_bytes(path.read_bytes())
    _log(team / "bob.xlsx")
    r = run("check", team)
    assert (f"{team / 'two.xlsx'}: sheet 'Calls 2026' also looks like a call log; 'Calls 2025' was read (the "
            'first such sheet); put `sheet: "Calls 2026"` in a tracker.yaml next to it to read that one instead, '
            'or `sheet: "Calls 2025"` to keep this one and not be told again') in r.stderr, r.stderr
    (team / "tracker.yaml").write_text('sheet: "Calls 2025"\n', encoding="utf-8")
    (team / "sub").mkdir()
    (team / "bob.xlsx").rename(team / "sub" / "bob.xlsx")   # (bob's own folder: the setting is two.xlsx's)
    r = run("check", team / "two.xlsx", team / "sub")
    assert r.exit_code == 0 and "also looks" not in r.stderr, r.output
    # A log written by `tracker init` (its How to use and Lists sheets) has nothing to say,
    # nor our own sheets once refreshed, under the names tracker.yaml gives them.
    tom = _consultant(tmp_path / "tom.xlsx", "Tom")
    assert "also looks" not in run("check", tom).stderr
    (tmp_path / "tracker.yaml").write_text("sheet_names:\n  chase: {en: Follow-ups}\n", encoding="utf-8")
    assert run("refresh", tom, "--as-of", AS_OF).exit_code == 0
    assert "also looks" not in run("check", tom).stderr


def test_each_workbook_is_read_with_its_own_settings_unless_config(tmp_path):
    ok = _consultant(tmp_path / "ok" / "ann.xlsx", "Ann", unreadable=True)
    bad = _consultant(tmp_path / "bad" / "tom.xlsx", "Tom", unreadable=True)
    (tmp_path / "bad" / "tracker.yaml").write_text("timezone: Mars/Olympus\n", encoding="utf-8")
    for command in LISTINGS:
        # Its broken tracker.yaml leaves tom out, named; ann is listed, first or second.
        for order in ((bad, ok), (ok, bad)):
            r = run(command, *order, *LISTINGS[command], "--format", "json")
            rows = json.loads(r.stdout)
            if command == "check":   # which lists it too, with why
                assert [row["message"] for row in rows if row["file"] == str(bad)] == [
                    next(line for line in r.stderr.splitlines() if line.startswith(f"tracker: {bad}: "))
                    .removeprefix(f"tracker: {bad}: ")]
                rows = [row for row in rows if row["file"] != str(bad)]
            assert r.exit_code == 2 and {row["file"] for row in rows} == {str(ok)}, r.output
            assert f"tracker: {bad}: its settings cannot be used: " in r.stderr and "Mars/Olympus" in r.stderr
        good = tmp_path / "good.yaml"
        good.write_text("language: en\n", encoding="utf-8")
        r = run(command, bad, ok, *LISTINGS[command], "--config", good, "--format", "json")
        assert r.exit_code in (0, 1) and {row["file"] for row in json.loads(r.stdout)} == {str(ok), str(bad)}


def test_stats_count_with_the_first_readable_workbooks_settings_in_any_order(tmp_path):
    bad = _log(tmp_path / "bad" / "a.xlsx")
    (tmp_path / "bad" / "tracker.yaml").write_text("timezone: Mars/Olympus\n", encoding="utf-8")
    ok = _log(tmp_path / "ok" / "b.xlsx")
    alone = run("stats", ok, "--format", "json")
    for order in ((bad, ok), (ok, bad)):
        r = run("stats", *order, "--format", "json")
        assert r.exit_code == 2 and json.loads(r.stdout) == json.loads(alone.stdout), r.output
        assert f"tracker: {bad}: its settings cannot be used: " in r.stderr


def test_stats_a_name_that_gives_no_workbook_is_named_and_the_rest_counted(tmp_path):
    book = _log(tmp_path / "team" / "bob.xlsx")
    (tmp_path / "empty").mkdir()
    alone = run("stats", book, "--format", "json")
    nothing, empty, missing = tmp_path / "x" / "*.xlsx", tmp_path / "empty", tmp_path / "gone.xlsx"
    r = run("stats", nothing, book, empty, missing, "--format", "json")
    # As a missing file: left out, named, exit 2; the rest counted.
    assert r.exit_code == 2 and json.loads(r.stdout) == json.loads(alone.stdout), r.output
    assert r.stderr.splitlines() == [
        f"tracker: {nothing}: no file matches; left out of these statistics",
        f"tracker: {empty}: no workbook (.xlsx, .xlsm, .xlsb, .xls, .ods) found; left out of these statistics",
        f"tracker: {missing}: file not found; left out of these statistics"], r.stderr
    # Alone, each is the error it was.
    r = run("stats", nothing)
    assert r.exit_code == 2 and r.stderr == f"tracker: {nothing}: no file matches\n"


def test_a_folder_names_the_csv_export_it_passes_over(tmp_path):
    team = tmp_path / "team"
    _log(team / "bob.xlsx")
    (team / "export.csv").write_text("Date,Call type\n2026-11-02,First call\n", encoding="utf-8")
    (team / "notes.txt").write_text("not a log", encoding="utf-8")
    r = run("stats", team, "--format", "json")
    assert r.exit_code == 0 and r.stderr == (
        f"{team / 'export.csv'}: a text (CSV) file, not a workbook; not counted "
        "(open it in Excel and save it as .xlsx to count it)\n"), r.output
    r = run("check", team)
    assert f"{team / 'export.csv'}: a text (CSV) file, not a workbook; not read" in r.stderr, r.output


def test_a_folder_passes_over_the_mac_metadata_beside_its_workbooks(tmp_path):
    # A share a Mac wrote to holds "._anna.xlsx" (AppleDouble: the file's Finder data)
    # beside each workbook: read as one, it failed every nightly run.
    team = tmp_path / "team"
    _log(team / "anna.xlsx")
    (team / "._anna.xlsx").write_bytes(b"\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X        " + b"\0" * 200)
    r = run("check", team)
    assert r.exit_code == 0 and "._anna" not in r.stderr, r.output
    assert _calls(run("stats", team, "--kind", "calls", "--format", "json")) == 2


def test_a_bug_met_in_one_workbook_stops_none_of_the_others(tmp_path, monkeypatch):
    # A team's nightly run over a folder: an error of Call Tracker's own (not a file it
    # refuses) in Bob's log used to stop the whole run at Bob, the others after him
    # neither listed nor refreshed. Now Bob is named with the crash report, as a
    # workbook that cannot be read is, and the others are done; alone, Bob stops as before.
    import openpyxl

    from tracker import jobs

    team = tmp_path / "team"
    ann, bob, tom = (_consultant(team / f"{n.lower()}.xlsx", n) for n in ("Ann", "Bob", "Tom"))

    def failing_on_bob(real):
        def call(log, *args, **kwargs):
            if Path(log.path).name == "bob.xlsx":
                raise KeyError("boom")
            return real(log, *args, **kwargs)
        return call

    good = _json("overdue", ann, tom)
    monkeypatch.setattr(jobs, "chase_list", failing_on_bob(jobs.chase_list))
    monkeypatch.setattr(jobs, "refresh_plan", failing_on_bob(jobs.refresh_plan))

    def crash_line(r) -> str:
        said = r.stderr.splitlines()
        [line] = [ln for ln in said if "internal error" in ln]
        head = f"tracker: {bob}: internal error: KeyError: 'boom'; the other workbooks go on. Details: "
        assert line.startswith(head), line
        assert "Traceback" in Path(line[len(head):]).read_text(encoding="utf-8")
        assert "Traceback" not in r.output
        return said[-1]

    r = run("overdue", team, "--as-of", AS_OF, "--format", "json")
    assert r.exit_code == 2 and json.loads(r.stdout) == good, r.output
    assert crash_line(r) == f"tracker: 1 of 3 workbooks could not be read: {bob}"

    before = bob.read_bytes()
    r = run("refresh", team, "--as-of", AS_OF)
    assert r.exit_code == 2, r.output
    assert crash_line(r) == f"tracker: 1 of 3 workbooks could not be refreshed: {bob}"
    assert bob.read_bytes() == before
    for book in (ann, tom):
        header = [c.value for c in openpyxl.load_workbook(book)["Call log"][1]]
        assert "Status" in header, book

    r = run("overdue", bob, "--as-of", AS_OF)   # alone: stopped, as always
    assert r.exit_code == 2 and r.stdout == "" and "internal error: KeyError: 'boom'" in r.stderr, r.output
    # A usage error is the command's, not a bug in each workbook: said once, as click says it.
    r = run("reminders", ann, tom, "--from", "2026-12-05", "--to", "2026-12-01")
    assert r.exit_code == 2 and "internal error" not in r.output and "Error: --to" in r.output, r.output


def test_stats_count_the_others_when_a_bug_is_met_in_one_workbook(tmp_path, monkeypatch):
    # As the listings and refresh over several (test_a_bug_met_in_one_workbook_stops_none_of_the_others).
    from tracker import jobs

    ann, bob = _log(tmp_path / "team" / "ann.xlsx"), _log(tmp_path / "team" / "bob.xlsx")
    alone = run("stats", ann, "--format", "json")
    real = jobs.read

    def read(path, *args, **kwargs):
        if Path(path).name == "bob.xlsx":
            raise KeyError("boom")
        return real(path, *args, **kwargs)

    monkeypatch.setattr(jobs, "read", read)
    r = run("stats", ann, bob, "--format", "json")
    assert r.exit_code == 2, r.output
    assert [row for row in json.loads(r.stdout) if row["file"] != "*"] == \
        [row for row in json.loads(alone.stdout) if row["file"] != "*"]
    _left_out_for_a_bug(r, bob)


def test_stats_count_the_others_when_a_bug_is_met_counting_one_workbook(tmp_path, monkeypatch):
    # The read went on past a bug of ours in one workbook, but one met while counting
    # stopped the whole team's statistics with an internal error: now that workbook is
    # left out and named as one that could not be read is; alone, it stops as before.
    from tracker import stats

    ann, bob, tom = (_log(tmp_path / "team" / f"{n}.xlsx") for n in ("ann", "bob", "tom"))
    good = run("stats", ann, tom, "--format", "json")
    assert good.exit_code == 0, good.output
    real = stats.compute

    def compute(logs, *args, **kwargs):
        if any(Path(log.path).name == "bob.xlsx" for log in logs):
            raise KeyError("boom")
        return real(logs, *args, **kwargs)

    monkeypatch.setattr(stats, "compute", compute)
    r = run("stats", tmp_path / "team", "--format", "json")
    assert r.exit_code == 2, r.output
    assert json.loads(r.stdout) == json.loads(good.stdout)
    _left_out_for_a_bug(r, bob)


def _left_out_for_a_bug(r, bob: Path) -> None:
    """`tracker stats` over several said `bob` was left out for a bug of ours, with its
    crash report; alone, `bob` stops the command, as always."""
    [line] = r.stderr.splitlines()
    head, tail = f"tracker: {bob}: internal error: KeyError: 'boom' (details: ", "); left out of these statistics"
    assert line.startswith(head) and line.endswith(tail), line
    assert "Traceback" in Path(line[len(head):-len(tail)]).read_text(encoding="utf-8")
    r = run("stats", bob)
    assert r.exit_code == 2 and "internal error: KeyError: 'boom'" in r.stderr and r.stdout == "", r.output


def test_summaries_of_every_call_over_a_team_name_their_workbook(tmp_path):
    # `summary --all` took one workbook; a team lead pasting every meeting's summary into
    # the CRM runs it over the team's folder. One that cannot be read is named, the others
    # still summarised; alone, a workbook's output is as it was.
    team = tmp_path / "team"
    anna, tom = _consultant(team / "anna.xlsx", "Anna"), _consultant(team / "tom.xlsx", "Tom")
    (team / "broken.xlsx").write_bytes(b"not a workbook")
    alone = run("summary", anna, "--all")
    # (exit 1: the summaries lack items the notes do not give, as alone they do)
    assert alone.exit_code == 1 and alone.stdout.startswith("# Call log row 2\n"), alone.output

    r = run("summary", team, "--all")
    assert r.exit_code == 2, r.output
    heads = [line for line in r.stdout.splitlines() if line.startswith("# ")]
    assert heads == [f"# {book}: Call log row {row}" for book in (anna, tom) for row in (2, 3, 4)]
    assert alone.stdout in r.stdout.replace(f"# {anna}: ", "# ")   # anna's summaries, as alone
    assert f"{team / 'broken.xlsx'}" in r.stderr and "1 of 3 workbooks could not be read" in r.stderr

    r = run("summary", anna, tom, "--all", "--format", "json")
    listed = json.loads(r.stdout)
    assert r.exit_code == 1 and [(s["file"], s["row"]) for s in listed] == [
        (str(book), row) for book in (anna, tom) for row in (2, 3, 4)]
    assert [s["text"] for s in listed[:3]] == [s["text"] for s in json.loads(run("summary", anna, "--all",
                                                                                 "--format", "json").stdout)]

    r = run("summary", anna, tom, "--row", "2")
    assert r.exit_code == 2 and "name one workbook, or use --all over several" in r.stderr, r.output
