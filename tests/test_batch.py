"""`tracker stats` over many workbooks: which files a folder, a glob or the shell's list
of names gives, and whose settings count them."""
import json
import shutil
from datetime import datetime
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
    # a.xlsx, read with the broken file, is left out and said so; c.xlsx is counted.
    assert r.exit_code == 1, r.output
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
    assert r.exit_code == 1, r.output
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
