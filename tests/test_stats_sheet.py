"""The Stats sheet written by refresh: tables that match `tracker stats`, and native charts
that LibreOffice reads and draws."""
import json
import shutil
import subprocess
import zipfile
from dataclasses import replace
from datetime import date, datetime, time
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from conftest import DEMO_NOW
from workbooks import stats_sheet_table

from tracker import jobs
from tracker.cli import main
from tracker.config import load_config
from tracker.followups import followups
from tracker.stats import compute


@pytest.fixture
def refreshed(sample_log, tmp_path) -> Path:
    path = tmp_path / "calls.xlsx"
    path.write_bytes(sample_log.read_bytes())
    config = load_config()
    jobs.refresh(path, jobs.read(path, config), config, DEMO_NOW)
    return path


def test_stats_sheet_holds_the_same_numbers_as_the_stats_command(refreshed):
    config = load_config()
    log = jobs.read(refreshed, config)
    interviews = compute([log], config, by="week").tables(config, "en")[0]
    ws = openpyxl.load_workbook(refreshed)["Stats"]
    assert ws["A1"].value == interviews.title
    assert [c.value for c in ws[2]][: len(interviews.header)] == interviews.header
    for i, row in enumerate(interviews.rows, start=3):
        assert [c.value for c in ws[i]][: len(row)] == list(row)
    names = zipfile.ZipFile(refreshed).namelist()
    charts = [n for n in names if n.startswith("xl/charts/chart")]
    assert len(charts) == 2


def test_libreoffice_reads_and_draws_the_charts(refreshed, tmp_path):
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice (soffice) not installed")
    profile = f"-env:UserInstallation=file://{tmp_path / 'lo'}"
    out = tmp_path / "out"
    for fmt in ("xlsx", "pdf"):
        subprocess.run(["soffice", profile, "--headless", "--convert-to", fmt, "--outdir", str(out), str(refreshed)],
                       check=True, capture_output=True, timeout=240)
    # Saved again by LibreOffice: the charts survived its import, with their series.
    ws = openpyxl.load_workbook(out / "calls.xlsx")["Stats"]
    assert len(ws._charts) == 2
    assert all(chart.series for chart in ws._charts)
    assert (out / "calls.pdf").stat().st_size > 10_000


def test_the_stats_sheet_shows_the_numbers_the_terminal_prints(refreshed, tmp_path):
    # 2/16 printed 12% in the terminal (Python rounds half to even) and showed 13% in the
    # sheet; a median of 134.75 hours showed unrounded. LibreOffice's CSV "as shown" is
    # what a person sees in the sheet.
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice (soffice) not installed")
    import csv

    profile = f"-env:UserInstallation=file://{tmp_path / 'lo'}"
    out = tmp_path / "csv"
    as_shown = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1"
    subprocess.run(["soffice", profile, "--headless", "--convert-to", as_shown, "--outdir", str(out), str(refreshed)],
                   check=True, capture_output=True, timeout=240)
    with open(out / "calls-Stats.csv", encoding="utf-8", newline="") as f:
        shown = list(csv.reader(f))
    config = load_config()
    tables = compute([jobs.read(refreshed, config)], config, by="week").tables(config, "en")
    left, checked = 0, 0
    for table in tables:
        for r, row in enumerate(table.text_rows(), start=2):
            for c, (text, kind) in enumerate(zip(row, table.kinds)):
                if kind in ("rate", "hours") and text != "–":
                    assert shown[r][left + c] == text, (table.title, r, c)
                    checked += 1
        left += len(table.header) + 1
    assert checked > 10


def test_the_ghost_rate_chart_has_one_bar_per_source(refreshed):
    # It drew every row of the source-and-stage table, subtotals and all, labelled by
    # source only: "LinkedIn, LinkedIn, Referral, Referral, Referral, All, ...".
    import re

    wb = openpyxl.load_workbook(refreshed)
    ws = wb["Stats"]
    xml = [zipfile.ZipFile(refreshed).read(n).decode() for n in zipfile.ZipFile(refreshed).namelist()
           if n.startswith("xl/charts/chart")]
    [bar] = [x for x in xml if "<c:barChart" in x]
    ref = re.search(r"<c:cat>.*?<c:f>([^<]+)</c:f>", bar, re.S).group(1)
    cells = ws[ref.split("!")[1].replace("$", "")]
    sources = [row[0].value for row in cells]
    config = load_config()
    ghosting = compute([jobs.read(refreshed, config)], config, by="week").ghosting
    expected = {config.list_label("source", r.source, "en") if r.source else "(blank)" for r in ghosting
                if r.file == r.manager == r.stage == "*" and r.source != "*"}
    assert len(sources) == len(set(sources)) and len(sources) >= 2
    assert "All" not in sources and set(sources) <= expected | {"(blank)", "Blank", "—"}
    # Every header of the sheet fits its column.
    from tracker.output import text_width

    for row in ws.iter_rows(min_row=2, max_row=2):
        for cell in row:
            if cell.value:
                width = ws.column_dimensions[cell.column_letter].width
                assert text_width(str(cell.value)) <= width or width >= 28, (cell.value, width)


# ---------------------------------------------------------------- a tester's cases, end to end
#
# Each writes a log with openpyxl, asks `tracker stats --format json` for the team totals,
# and, where the numbers are what a manager reads, refreshes a copy and reads its Stats
# sheet. The days are November 2026 (the 16th is a Monday).

HEADER = ["Date", "Time", "Call type", "Contact", "Candidates", "Channel", "Source", "Stage", "Outcome", "SM"]


def _nov(day: int) -> date:
    return date(2026, 11, day)


@pytest.fixture
def own_settings(tmp_path, monkeypatch):
    """No tracker.yaml of the developer's own in these runs."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("APPDATA", str(tmp_path / "appdata"))


def _workbook(path: Path, rows) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Log"
    ws.append(HEADER)
    for row in rows:
        ws.append(list(row))
    wb.save(path)
    return path


def _team(path: Path, kind: str, **dims) -> dict:
    """`tracker stats --kind kind --format json`: the row of the whole team with `dims`."""
    r = CliRunner().invoke(main, ["stats", str(path), "--kind", kind, "--format", "json"], catch_exceptions=False)
    assert r.exit_code == 0, r.output
    rows = [x for x in json.loads(r.stdout)
            if x["file"] == x["manager"] == "*" and all(x[k] == v for k, v in dims.items())]
    assert len(rows) == 1, rows
    return rows[0]


def _sheet_table(path: Path, tmp_path: Path, title: str, as_of: str = "2026-11-20T09:00") -> dict[str, dict]:
    return stats_sheet_table(path, tmp_path, title, as_of)


def test_a_candidate_reached_after_a_missed_call_is_answered_not_ghosted(tmp_path, own_settings):
    # Found by a tester: "Done" on the interview notice call and on the interview itself
    # counted as unanswered steps of the chase, so a candidate who picked up, got the
    # notice and came was ghosted. In the follow-ups only a silent row (no answer, or a
    # chase message sent) is a step; any other row that took place ends the silence.
    path = _workbook(tmp_path / "reached.xlsx", [
        (_nov(2), time(10), "Follow-up", "Dmitry Volkov", "", "Phone", "Job board", "Screening", "No answer", "Olga"),
        (_nov(4), time(10), "Interview notice", "Dmitry Volkov", "", "Phone", "", "", "Done", "Olga"),
        (_nov(5), time(10), "Interview notice", "Dmitry Volkov", "", "E-mail", "", "", "Done", "Olga"),
        (_nov(9), time(14), "Interview", "Dmitry Volkov", "", "In person", "", "", "Done", "Olga"),
        # The notice call missed, the next day's reached him: answered, not open for ever.
        (_nov(9), time(10), "Interview notice", "Kim Ode", "", "Phone", "Job board", "Screening", "No answer", "Olga"),
        (_nov(10), time(10), "Interview notice", "Kim Ode", "", "Phone", "", "", "Done", "Olga"),
        # Chase messages sent ("Done" on a follow-up) are steps: the whole cadence, no reply.
        (_nov(2), time(11), "Follow-up", "Liam Ford", "", "Phone", "Job board", "Screening", "No answer", "Olga"),
        (_nov(3), time(11), "Follow-up", "Liam Ford", "", "SMS", "", "", "Done", "Olga"),
        (_nov(5), time(11), "Follow-up", "Liam Ford", "", "Phone", "", "", "No answer", "Olga"),
        (_nov(7), time(11), "Follow-up", "Liam Ford", "", "E-mail", "", "", "Done", "Olga"),
    ])
    g = _team(path, "ghosting", source="*", stage="*")
    assert (g["chases"], g["answered_t1"], g["ghosted"], g["unresolved"]) == (3, 2, 1, 0)
    row = _sheet_table(path, tmp_path, "Ghosting by source and stage")["All / All"]
    assert (row["Chases"], row["Answered by T+1"], row["Ghosted"], row["Unresolved"]) == (3, 2, 1, 0)


def test_a_thread_closed_after_the_last_message_is_ghosted(tmp_path, own_settings):
    # Found by a tester: closing the thread after the last message left it unresolved,
    # while the same thread never closed came out ghosted (DOMAIN: after the last message
    # the thread is closed as ghosted).
    def cadence(who, source, last_outcome=None):
        rows = [(_nov(2), time(10), "Follow-up", who, "", "Phone", source, "Interview", "No answer", "Olga"),
                (_nov(3), time(10), "Follow-up", who, "", "WeChat", "", "", "No answer", "Olga"),
                (_nov(5), time(10), "Follow-up", who, "", "Phone", "", "", "No answer", "Olga"),
                (_nov(9), time(10), "Follow-up", who, "", "E-mail", "", "", "Done", "Olga")]
        return rows + ([(_nov(10), time(10), "Follow-up", who, "", "", "", "", last_outcome, "Olga")]
                       if last_outcome else [])

    path = _workbook(tmp_path / "closed.xlsx", [
        *cadence("Mia Chen", "Job board", "Closed"),
        *cadence("Елена Смирнова", "Job board", "Закрыт"),
        *cadence("Rosa Diaz", "LinkedIn"),
        # Closed before the last message: the consultant gave up early, not a ghost.
        (_nov(2), time(12), "Follow-up", "Ivan Orlov", "", "Phone", "LinkedIn", "Interview", "No answer", "Olga"),
        (_nov(3), time(12), "Follow-up", "Ivan Orlov", "", "SMS", "", "", "Done", "Olga"),
        (_nov(4), time(12), "Follow-up", "Ivan Orlov", "", "", "", "", "Closed", "Olga"),
    ])
    g = _team(path, "ghosting", source="*", stage="*")
    assert (g["chases"], g["ghosted"], g["unresolved"], g["ghost_rate"]) == (4, 3, 1, 0.75)
    jobs_board = _team(path, "ghosting", source="job_board", stage="*")
    assert (jobs_board["ghosted"], jobs_board["unresolved"]) == (2, 0)
    row = _sheet_table(path, tmp_path, "Ghosting by source and stage")["All / All"]
    assert (row["Ghosted"], row["Unresolved"], row["Ghost rate"]) == (3, 1, 0.75)


def test_a_reply_counts_at_the_step_of_the_cadence_it_came_at(tmp_path, own_settings):
    # Found by a tester: replies to the T+3 phone call counted as "answered by T+1" (the
    # reply row's own step was not counted). The step is the day's, as the cadence counts.
    rows = [
        (_nov(2), time(11), "Follow-up", "Olivia Park", "", "Phone", "Job board", "First contact", "No answer", "Olga"),
        (_nov(5), time(11), "Follow-up", "Olivia Park", "", "Phone", "", "", "Replied", "Olga"),       # T+3
        (_nov(2), time(12), "Follow-up", "Paul Roy", "", "Phone", "LinkedIn", "Interview", "No answer", "Olga"),
        (_nov(3), time(12), "Follow-up", "Paul Roy", "", "WeChat", "", "", "No answer", "Olga"),
        (_nov(5), time(12), "Follow-up", "Paul Roy", "", "Phone", "", "", "Replied", "Olga"),          # T+3
        (_nov(4), time(10), "Follow-up", "Noah Kim", "", "Phone", "Referral", "Offer", "No answer", "Olga"),
        (_nov(5), time(10), "Follow-up", "Noah Kim", "", "WeChat", "", "", "Replied", "Olga"),         # T+1
        (_nov(2), time(13), "Follow-up", "Quinn Lee", "", "Phone", "Website", "Offer", "No answer", "Olga"),
        (_nov(3), time(13), "Follow-up", "Quinn Lee", "", "WeChat", "", "", "No answer", "Olga"),
        (_nov(7), time(13), "Follow-up", "Quinn Lee", "", "E-mail", "", "", "Replied", "Olga"),        # T+5
    ]
    path = _workbook(tmp_path / "calendar" / "replies.xlsx", rows)
    g = _team(path, "ghosting", source="*", stage="*")
    assert (g["answered_t1"], g["answered_t3"], g["answered_last"]) == (1, 2, 1)
    row = _sheet_table(path, tmp_path, "Ghosting by source and stage")["All / All"]
    assert (row["Answered by T+1"], row["Answered at T+3"], row["Answered at the last step"]) == (1, 2, 1)
    # Counted in working days (the follow-ups' setting, in the workbook's tracker.yaml), a
    # reply on Monday to Friday's silence came at T+1.
    weekend = [(_nov(13), time(9), "Follow-up", "Sam Wu", "", "Phone", "Database", "Screening", "No answer", "Olga"),
               (_nov(16), time(9), "Follow-up", "Sam Wu", "", "Phone", "", "", "Replied", "Olga")]
    calendar = _workbook(tmp_path / "calendar" / "weekend.xlsx", weekend)
    assert _team(calendar, "ghosting", source="*", stage="*")["answered_t3"] == 1
    working = _workbook(tmp_path / "working" / "weekend.xlsx", weekend)
    (working.parent / "tracker.yaml").write_text("followups:\n  count: working\n", encoding="utf-8")
    g = _team(working, "ghosting", source="*", stage="*")
    assert (g["answered_t1"], g["answered_t3"]) == (1, 0)


def test_an_interview_told_twice_counts_once(tmp_path, own_settings):
    # Found by a tester: the no-show logged on the interview row and again on the call
    # asking why (or the attendance, then the candidate's feedback call) counted twice,
    # with an invitation made up for the second; and one of two candidates on an
    # interview row "Done", then logged as a no-show, counted as both.
    path = _workbook(tmp_path / "twice.xlsx", [
        (_nov(2), time(10), "Interview notice", "", "Ken Adams", "Phone", "", "", "Done", "Olga"),
        (_nov(6), time(14), "Interview", "", "Ken Adams", "In person", "", "", "No-show", "Olga"),
        (_nov(6), time(16), "Follow-up", "", "Ken Adams", "Phone", "", "", "No-show", "Olga"),
        (_nov(2), time(11), "Interview notice", "", "Lena Berg", "Phone", "", "", "Done", "Olga"),
        (_nov(6), time(15), "Interview", "", "Lena Berg", "In person", "", "", "Done", "Olga"),
        (_nov(6), time(17), "Follow-up", "", "Lena Berg", "Phone", "", "", "Attended", "Olga"),
        (_nov(3), time(10), "Interview notice", "", "Max Cole; Nina Dorn", "E-mail", "", "", "Done", "Olga"),
        (_nov(6), time(10), "Interview", "", "Max Cole; Nina Dorn", "In person", "", "", "Done", "Olga"),
        (_nov(6), time(12), "Follow-up", "", "Nina Dorn", "Phone", "", "", "No-show", "Olga"),
        # A second interview booked straight on another day is a new round.
        (_nov(12), time(10), "Interview", "", "Lena Berg", "In person", "", "", "Done", "Olga"),
    ])
    i = _team(path, "interviews", period="*")
    assert (i["invited"], i["confirmed"], i["attended"], i["no_show"], i["no_show_rate"]) == (5, 5, 3, 2, 0.4)
    week = _team(path, "interviews", period="2026-W45")
    assert (week["invited"], week["attended"], week["no_show"]) == (4, 2, 2)
    total = _sheet_table(path, tmp_path, "Interviews by week")["Total"]
    assert (total["Invited"], total["Attended"], total["No-shows"], total["No-show rate"]) == (5, 3, 2, 0.4)


def test_the_call_the_day_before_confirms_an_interview_booked_on_its_own_row(tmp_path, own_settings):
    # Found by a tester: an interview booked with no notice row is logged on its own day,
    # so it sorts after the confirmation call the day before, which then confirmed nothing.
    path = _workbook(tmp_path / "booked.xlsx", [
        (_nov(18), time(11), "Follow-up", "", "Alex Moore", "Phone", "", "", "Confirmed", "Olga"),
        (_nov(19), time(10), "Interview", "", "Alex Moore", "In person", "", "", "Planned", "Olga"),
        (_nov(16), time(11), "Follow-up", "", "Bella Ruiz", "Phone", "", "", "Confirmed", "Olga"),
        (_nov(17), time(10), "Interview", "", "Bella Ruiz", "In person", "", "", "Cancelled", "Olga"),
        # A "confirmed" a week before is some other meeting, not this interview's eve call.
        (_nov(10), time(11), "Follow-up", "", "Carl Diaz", "Phone", "", "", "Confirmed", "Olga"),
        (_nov(18), time(10), "Interview", "", "Carl Diaz", "In person", "", "", "Planned", "Olga"),
    ])
    i = _team(path, "interviews", period="*")
    assert (i["invited"], i["confirmed"], i["attended"], i["no_show"]) == (3, 2, 0, 0)
    # Each counts on its own day: the confirmations in week 47, with the bookings.
    assert _team(path, "interviews", period="2026-W47")["confirmed"] == 2
    assert _sheet_table(path, tmp_path, "Interviews by week")["Total"]["Confirmed"] == 2


def test_a_call_still_to_come_is_no_call_made(tmp_path, own_settings):
    # Found by a tester: an interview booked for December with its outcome not written
    # yet counted as a call made (a Planned one did not). Judged as of a moment passed in.
    path = _workbook(tmp_path / "ahead.xlsx", [
        (_nov(3), time(9), "Interview notice", "", "Eli Sun", "Phone", "", "", "Done", "Olga"),
        (date(2026, 12, 11), time(10), "Interview", "", "Eli Sun", "In person", "", "", "", "Olga"),
        (_nov(20), time(15), "Interview", "", "Fay Roy", "In person", "", "", "", "Olga"),   # this afternoon
        (_nov(20), None, "Follow-up", "Gus Hall", "", "Phone", "", "", "Done", "Olga"),     # today, no time
        # A reply "logged" ahead of its day is not one yet: the chase is still open.
        (_nov(18), time(9), "Follow-up", "Hana Ito", "", "Phone", "", "", "No answer", "Olga"),
        (_nov(23), time(9), "Follow-up", "Hana Ito", "", "Phone", "", "", "Replied", "Olga"),
    ])
    config = load_config()
    log = jobs.read(path, config)
    s = compute([log], config, by="week", now=datetime(2026, 11, 20, 9))
    calls = {(r.period, r.call_type): r.count for r in s.calls if r.file == r.manager == "*"}
    assert calls[("*", "*")] == 3     # the notice, today's follow-up, the no answer
    assert ("*", "interview") not in calls
    assert ("2026-W50", "*") not in calls
    g = [r for r in s.ghosting if r.file == r.manager == r.source == r.stage == "*"][0]
    # Hana's, and Gus's: a follow-up "Done" is a chase message sent, unanswered, as the
    # follow-ups count it (they chase him: T+1 tomorrow).
    assert (g.chases, g.answered_t1, g.unresolved) == (2, 0, 2)
    gus = [fu for fu in followups(log.records, config, datetime(2026, 11, 20, 9)) if fu.row == 5]
    assert [(fu.flag, fu.step.key) for fu in gus] == [("chase", "t1")]
    # The invitation is made: the interview booked ahead is one.
    assert [r.invited for r in s.interviews if r.file == r.manager == r.period == "*"] == [2]
    # Given no moment, every row is taken as written (nothing is ahead of anything).
    later = compute([log], config, by="week")
    assert [r.count for r in later.calls if r.file == r.manager == r.period == r.call_type == "*"] == [6]


def test_the_stats_command_and_sheet_judge_from_the_moment_given(tmp_path, own_settings):
    # Found by a tester: the Stats sheet ignored refresh's --as-of, and an interview booked
    # for December with no outcome yet counted as a call made.
    path = _workbook(tmp_path / "ahead.xlsx", [
        (_nov(3), time(9), "Interview notice", "", "Eli Sun", "Phone", "", "", "Done", "Olga"),
        (date(2026, 12, 11), time(10), "Interview", "", "Eli Sun", "In person", "", "", "", "Olga"),
    ])
    r = CliRunner().invoke(main, ["stats", str(path), "--kind", "calls", "--format", "json",
                                  "--as-of", "2026-11-20T09:00"], catch_exceptions=False)
    assert r.exit_code == 0, r.output
    calls = {x["period"]: x["count"] for x in json.loads(r.stdout)
             if x["file"] == x["manager"] == x["call_type"] == "*"}
    assert calls == {"2026-W45": 1, "*": 1}
    calls_sheet = _sheet_table(path, tmp_path, "Calls by type, by week", as_of="2026-11-20T09:00")
    assert calls_sheet["Total"]["Total"] == 1 and "2026-W50" not in calls_sheet


def test_two_rounds_on_one_day_are_two_interviews_not_one_told_twice(tmp_path, own_settings):
    # Found by a review: seed 003's rounds at 14:00 and 16:00 were taken as one interview
    # told again, so the second's no-show erased the first's attendance; and a no-show on
    # a call weeks later rewrote an old interview's attendance.
    path = _workbook(tmp_path / "rounds.xlsx", [
        (_nov(20), time(14), "Interview", "", "Anna Li", "In person", "", "", "Attended", "Olga"),
        (_nov(20), time(16), "Repeat call", "", "Anna Li", "In person", "", "", "No-show", "Olga"),
        (_nov(2), time(10), "Interview", "", "Boris Orlov", "In person", "", "", "Attended", "Olga"),
        (_nov(19), time(10), "Follow-up", "", "Boris Orlov", "Phone", "", "", "No-show", "Olga"),
    ])
    i = _team(path, "interviews", period="*")
    # (Boris's no-show with no interview open is one of its own, as "no_show on any row" says.)
    assert (i["invited"], i["attended"], i["no_show"]) == (4, 2, 2), i
    # Found by the next review: the call on Monday after a Friday interview is three
    # calendar days on, but two working days: the same interview told again.
    weekend = _workbook(tmp_path / "weekend.xlsx", [
        (_nov(20), time(14), "Interview", "", "Ken Adams", "In person", "", "", "No-show", "Olga"),
        (_nov(23), time(10), "Follow-up", "", "Ken Adams", "Phone", "", "", "No-show", "Olga"),
        (_nov(20), time(15), "Interview", "", "Lena Berg; Max Cole", "In person", "", "", "Attended", "Olga"),
        (_nov(24), time(10), "Follow-up", "", "Max Cole", "Phone", "", "", "No-show", "Olga"),
    ])
    i = _team(weekend, "interviews", period="*")
    assert (i["invited"], i["attended"], i["no_show"]) == (3, 1, 2), i


# ---------------------------------------------------------------- a chase, as the follow-ups see it
#
# The statistics count a chase where the follow-ups run one: the same rule of silence
# (followups.yaml), the same interview and notice types, read from one place.

CHASE_HEADER = ["Date", "Time", "Call type", "Client", "Contact", "Source", "Outcome", "Next contact", "SM"]


def _chase_book(path: Path, rows) -> Path:
    """A log of (day of November, call type, contact, outcome, next contact): the Source
    is the contact's name, so that the ghosting table has a row per thread."""
    path.parent.mkdir(parents=True, exist_ok=True)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Log"
    ws.append(CHASE_HEADER)
    for day, call_type, who, outcome, next_contact in rows:
        ws.append([_nov(day), None, call_type, "Acme", who, who, outcome, next_contact, "Olga"])
    wb.save(path)
    return path


def _cli(*args: str):
    r = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return r


def _chases_by_thread(path: Path, as_of: str) -> dict[str, dict]:
    """`tracker stats --kind ghosting --format json --as-of`: the team's row per source (thread)."""
    r = _cli("stats", str(path), "--kind", "ghosting", "--format", "json", "--as-of", as_of)
    assert r.exit_code == 0, r.output
    return {x["source"]: x for x in json.loads(r.stdout)
            if x["file"] == x["manager"] == x["stage"] == "*" and x["source"] != "*"}


def test_a_chase_message_left_unanswered_starts_a_chase_as_in_the_follow_ups(tmp_path, own_settings):
    # Found by a tester: a first call, then a follow-up message with its outcome left
    # blank: the follow-ups chase it (T+1 overdue), the statistics counted no chase, as
    # they started one only at an explicit "No answer". Ivan's and Maria's threads are
    # the same chase, told two ways.
    path = _chase_book(tmp_path / "open.xlsx", [
        (2, "First call", "Ivan Petrov", "Done", None),
        (3, "Follow-up", "Ivan Petrov", None, None),
        (2, "First call", "Maria Lopez", "Done", None),
        (3, "Follow-up", "Maria Lopez", "No answer", None),
    ])
    r = _cli("overdue", str(path), "--as-of", "2026-11-06T09:00", "--format", "json")
    assert r.exit_code == 0, r.output
    chased = {x["who"]: (x["flag"], x["step"]["key"], x["status"]) for x in json.loads(r.stdout)}
    assert chased == {"Ivan Petrov": ("chase", "t1", "overdue"), "Maria Lopez": ("chase", "t1", "overdue")}
    running = _chases_by_thread(path, "2026-11-06T09:00")
    assert {who: (x["chases"], x["unresolved"]) for who, x in running.items()} == {
        "Ivan Petrov": (1, 1), "Maria Lopez": (1, 1)}
    # Both answer on the 9th, after the last message was due (T+5 from the 3rd): alike.
    wb = openpyxl.load_workbook(path)
    for who in ("Ivan Petrov", "Maria Lopez"):
        wb["Log"].append([_nov(9), None, "First call", "Acme", who, who, "Replied", None, "Olga"])
    wb.save(path)
    answered = _chases_by_thread(path, "2026-11-20T09:00")
    assert {who: (x["chases"], x["answered_last"]) for who, x in answered.items()} == {
        "Ivan Petrov": (1, 1), "Maria Lopez": (1, 1)}
    assert _sheet_table(path, tmp_path, "Ghosting by source and stage")["All / All"]["Chases"] == 2


def test_silence_waiting_on_a_report_an_agreed_call_or_an_interview_starts_no_chase_yet(tmp_path, own_settings):
    # Each day, on the rows logged so far, the statistics have a chase running on the
    # threads the follow-ups are chasing (a cadence step owed), and on no other.
    path = _chase_book(tmp_path / "waits.xlsx", [
        # The report sent, the SMS saying so, the call unanswered on day 2: the chase
        # starts at the call (seed 000), and the reply the next day is at T+1.
        (2, "Report sent", "Rita Acme", "Done", None),
        (2, "Follow-up", "Rita Acme", "Done", None),
        (4, "Follow-up", "Rita Acme", "No answer", None),
        (5, "Follow-up", "Rita Acme", "Replied", None),
        # A call agreed for the 6th, the presentation sent as agreed on the 3rd: no
        # silence; the agreed call took place.
        (2, "First call", "Omar Haddad", "Done", _nov(6)),
        (3, "Follow-up", "Omar Haddad", "Done", None),
        (6, "First call", "Omar Haddad", "Replied", None),
        # The same, but the agreed call goes unanswered: the chase starts then.
        (2, "First call", "Pia Berg", "Done", _nov(6)),
        (3, "Follow-up", "Pia Berg", "Done", None),
        (6, "Follow-up", "Pia Berg", "No answer", None),
        (7, "Follow-up", "Pia Berg", "Replied", None),
        # The interview notice e-mail logged as a follow-up: the candidate is called the
        # day before the interview, not chased.
        (2, "Interview notice", "Noor Aziz", "Done", datetime(2026, 11, 6, 10)),
        (2, "Follow-up", "Noor Aziz", None, None),
        (6, "Interview", "Noor Aziz", "Attended", None),
        # A chase message left unanswered after a first call: chased.
        (2, "First call", "Ivan Petrov", "Done", None),
        (3, "Follow-up", "Ivan Petrov", None, None),
    ])
    config = load_config()
    log = jobs.read(path, config)
    cadence = {"t1", "t3", "last"}
    for day in range(2, 10):
        now = datetime(2026, 11, day, 20)
        so_far = replace(log, records=[r for r in log.records if r.date <= now.date()])
        latest = {fu.contact: fu for fu in followups(so_far.records, config, now)}   # rows in order: the last wins
        chased = {who for who, fu in latest.items() if fu.flag == "chase" and fu.step.key in cadence}
        s = compute([so_far], config, now=now)
        running = {r.source for r in s.ghosting
                   if r.file == r.manager == r.stage == "*" and r.source != "*" and r.unresolved}
        assert running == chased, (day, running, chased)
    final = _chases_by_thread(path, "2026-11-20T09:00")
    assert {who: (x["chases"], x["answered_t1"], x["answered_t3"], x["unresolved"]) for who, x in final.items()} == {
        "Rita Acme": (1, 1, 0, 0), "Pia Berg": (1, 1, 0, 0), "Ivan Petrov": (1, 0, 0, 1)}


def test_the_follow_ups_rule_of_silence_in_tracker_yaml_is_the_statistics_rule_too(tmp_path, own_settings):
    # Found by a tester: an outcome of the user's own added to followups.silent_outcomes
    # was chased by `overdue` and ignored by `stats` (its own copy of the rule), no warning.
    path = _chase_book(tmp_path / "left" / "calls.xlsx", [
        (2, "First call", "Ivan Petrov", "Done", None),
        (3, "First call", "Ivan Petrov", "Left message", None),
    ])

    def seen() -> tuple[list, dict]:
        r = _cli("overdue", str(path), "--as-of", "2026-11-06T09:00", "--format", "json")
        assert r.exit_code == 0, r.output
        chased = [(x["who"], x["step"]["key"]) for x in json.loads(r.stdout) if x["flag"] == "chase"]
        return chased, {who: x["chases"] for who, x in _chases_by_thread(path, "2026-11-06T09:00").items()}

    # Without the setting "Left message" is a word nobody knows: no silence, for either.
    assert seen() == ([], {})
    (path.parent / "tracker.yaml").write_text(
        "lists:\n  outcome:\n    left_message: {en: Left message}\n"
        "followups:\n  silent_outcomes: [no_answer, left_message]\n", encoding="utf-8")
    assert seen() == ([("Ivan Petrov", "t1")], {"Ivan Petrov": 1})


def test_the_interview_types_are_the_follow_ups(tmp_path, own_settings):
    # An interview is a call type the follow-ups confirm the day before
    # (followups.confirm.types): a repeat call naming candidates is a second interview,
    # until tracker.yaml says repeat calls are not interviews.
    path = _workbook(tmp_path / "rounds" / "calls.xlsx", [
        (_nov(16), time(10), "Interview", "Acme HR", "Ben Wu", "In person", "", "", "Done", "Olga"),
        (_nov(17), time(10), "Repeat call", "Acme HR", "Anna Li", "In person", "", "", "Done", "Olga"),
        (_nov(18), time(10), "Repeat call", "Acme HR", "", "Phone", "", "", "Done", "Olga"),   # clarifying
    ])
    i = _team(path, "interviews", period="*")
    assert (i["invited"], i["attended"]) == (2, 1 + 1)
    (path.parent / "tracker.yaml").write_text("followups:\n  confirm:\n    types: [interview]\n", encoding="utf-8")
    i = _team(path, "interviews", period="*")
    assert (i["invited"], i["attended"]) == (1, 1)


@pytest.mark.parametrize("key, value, now_in", [
    ("silence_outcomes", "[no_answer]", "followups.silent_outcomes"),
    ("notice_types", "[interview_notice]", "followups.confirm.notice_types"),
    ("interview_types", "[interview]", "followups.confirm.types"),
    ("repeat_interview_types", "[repeat_call]", "stats.interview_needs_candidates"),
    ("not_an_invitation", "[no_answer]", "followups.silent_outcomes"),
    ("confirmed_outcomes", "[confirmed]", "followups.confirm.confirmed_outcomes"),
])
def test_a_statistics_setting_that_moved_to_the_follow_ups_is_named_with_where_it_is_now(
        tmp_path, own_settings, key, value, now_in):
    # The rule is the follow-ups' now: a tracker.yaml setting the old key would otherwise
    # be refused as unknown, the user left to guess where it went.
    path = _chase_book(tmp_path / "old" / "calls.xlsx", [(2, "First call", "Ivan Petrov", "No answer", None)])
    (path.parent / "tracker.yaml").write_text(f"language: en\nstats:\n  {key}: {value}\n", encoding="utf-8")
    r = _cli("stats", str(path), "--kind", "ghosting", "--format", "json")
    assert r.exit_code == 2 and r.stdout == ""
    assert f"tracker.yaml:3: `stats.{key}`" in r.stderr and f"`{now_in}`" in r.stderr
    assert "Traceback" not in r.stderr


# ---------------------------------------------------------------- the follow-ups' day, each day
#
# Each day of a log, the statistics have a chase where `followups` run one on the rows
# logged so far: a report sent in the middle of a chase.

FULL_HEADER = ["Date", "Time", "Call type", "Client", "Contact", "Candidates", "Source", "Outcome",
               "Next contact", "Notes", "SM"]


def _full_book(path: Path, rows) -> Path:
    """A log of (day of November, time, call type, contact, candidates, outcome, notes):
    the client Acme, the Source the contact's name (a row per thread in the ghosting table)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Log"
    ws.append(FULL_HEADER)
    for day, at, call_type, who, candidates, outcome, notes in rows:
        ws.append([_nov(day), at, call_type, "Acme", who, candidates, who, outcome, None, notes, "Olga"])
    wb.save(path)
    return path


def test_a_report_sent_in_a_chase_ends_it_and_its_call_unanswered_starts_another(tmp_path, own_settings):
    # The follow-ups restart from a report sent while a chase runs (seed 000: its SMS,
    # its call two days later, then the cadence from that call). The statistics counted the
    # report "No answer" as a step of the old chase, and a report "Done" as the person's
    # answer to it.
    rows = []
    for who, report in (("Rita Acme", "Done"), ("Maria Lopez", "No answer")):
        rows += [(2, None, "First call", who, None, "Done", None),
                 (3, None, "Follow-up", who, None, "No answer", None),
                 (4, None, "Report sent", who, "Anna Li", report, None),
                 (6, None, "Follow-up", who, None, "No answer", None),
                 (7, None, "Follow-up", who, None, "Replied", None)]
    path = _full_book(tmp_path / "report.xlsx", rows)
    config = load_config()
    log = jobs.read(path, config)
    by_row = {r.row: r for r in log.records}
    anchors, started = set(), set()
    for day in range(2, 9):
        now = datetime(2026, 11, day, 20)
        so_far = [r for r in log.records if r.date.day <= day]
        latest = {fu.contact: fu for fu in followups(so_far, config, now)}
        anchors |= {(who, by_row[fu.anchor_row].date.day) for who, fu in latest.items()
                    if fu.flag == "chase" and fu.step.key in ("t1", "t3", "last")}
    for day in range(2, 9):   # the day each chase of the statistics started
        s = compute([replace(log, records=log.records)], config, since=_nov(day), until=_nov(day),
                    now=datetime(2026, 11, 8, 20))
        started |= {(r.source, day) for r in s.ghosting
                    if r.file == r.manager == r.stage == "*" and r.source != "*" and r.chases}
    assert anchors == started == {(who, d) for who in ("Rita Acme", "Maria Lopez") for d in (3, 6)}
    final = _chases_by_thread(path, "2026-11-20T09:00")
    assert {who: (x["chases"], x["unresolved"], x["answered_t1"]) for who, x in final.items()} == {
        "Rita Acme": (2, 1, 1), "Maria Lopez": (2, 1, 1)}


def test_who_confirmed_and_who_was_not_reached_are_the_follow_ups_words(tmp_path, own_settings):
    # stats.confirmed_outcomes and stats.not_an_invitation were copies of
    # followups.confirm.confirmed_outcomes and followups.silent_outcomes: a user's word
    # added there ("Will come", "Left message") changed the follow-ups, not the statistics.
    path = _workbook(tmp_path / "words" / "calls.xlsx", [
        (_nov(16), time(9), "Interview notice", "Anna Li", "", "Phone", "", "", "Done", "Olga"),
        (_nov(17), time(9), "Follow-up", "Anna Li", "", "Phone", "", "", "Will come", "Olga"),
        (_nov(18), time(10), "Interview", "Anna Li", "", "In person", "", "", "Cancelled", "Olga"),
        (_nov(16), time(11), "Interview notice", "Ben Wu", "", "Phone", "", "", "Left message", "Olga"),
    ])
    (path.parent / "tracker.yaml").write_text(
        "lists:\n  outcome:\n    will_come: {en: Will come}\n    left_message: {en: Left message}\n"
        "followups:\n  silent_outcomes: [no_answer, left_message]\n"
        "  confirm:\n    confirmed_outcomes: [confirmed, will_come]\n", encoding="utf-8")
    i = _team(path, "interviews", period="*")
    # Anna invited and confirmed (the interview then cancelled); Ben not reached: no one invited.
    assert (i["invited"], i["confirmed"], i["attended"]) == (1, 1, 0), i
