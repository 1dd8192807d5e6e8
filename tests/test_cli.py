"""The terminal door, end to end on real workbooks: exit codes, formats, files written."""
import codecs
import csv
import io
import json
import os
import re
import shlex
import zipfile
from datetime import date, datetime, timedelta, timezone
from email import policy
from email.parser import BytesParser
from pathlib import Path

import pytest

from conftest import DEMO_NOW
from workbooks import typed_log
from click.testing import CliRunner

from tracker.cli import main

NOW = DEMO_NOW
AS_OF = "2026-11-23T09:00"


@pytest.fixture
def sample(sample_log) -> Path:
    return sample_log


@pytest.fixture
def copy(sample, tmp_path) -> Path:
    target = tmp_path / "calls.xlsx"
    target.write_bytes(sample.read_bytes())
    return target


def run(*args):
    result = CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)
    return result


def test_missing_file_is_one_line_and_exit_2(tmp_path):
    r = run("check", tmp_path / "nope.xlsx")
    assert r.exit_code == 2
    assert "Traceback" not in r.output
    assert "nope.xlsx" in r.stderr and len(r.stderr.strip().splitlines()) == 1


def test_init_writes_and_refuses_to_overwrite(tmp_path):
    path = tmp_path / "new.xlsx"
    assert run("init", path, "--lang", "ru").exit_code == 0
    before = path.read_bytes()
    r = run("init", path)
    assert r.exit_code == 2 and "new.xlsx" in r.stderr
    assert path.read_bytes() == before
    # A fresh log has no calls and nothing to complain about.
    r = run("check", path, "--format", "json")
    assert r.exit_code == 0, r.stderr
    assert json.loads(r.stdout) == []


def test_check_reports_problems_with_cells_and_exit_1(tmp_path):
    import openpyxl

    path = tmp_path / "messy.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Calls"
    ws.append(["My calls, November"])
    ws.append(["Дата", "Вид звонка", "Контакт", "Кому напомнить о звонке"])
    ws.append(["22.11.2026", "Интервью", "Anna", "за 20 минут кандидатам"])
    ws.append(["31.02.2026", "Interview", "Boris", ""])
    ws.append(["2026-11-23", "Lunch", "Chen", "when convenient"])
    wb.save(path)
    before = path.read_bytes()
    r = run("check", path, "--format", "json")
    assert r.exit_code == 1
    problems = json.loads(r.stdout)
    cells = {(p["sheet"], p["row"], p["column"]) for p in problems}
    assert ("Calls", 4, "A") in cells          # 31 February
    assert ("Calls", 5, "B") in cells          # unknown call type
    assert ("Calls", 5, "D") in cells          # unreadable reminder phrase
    assert all(set(p) == {"sheet", "row", "column", "value", "message", "read"} for p in problems)
    assert path.read_bytes() == before


def test_check_says_what_the_header_row_does_not(tmp_path):
    # Found by a tester: a call-type header with a typo and outcomes under "Статус" were
    # dropped without a word, and check said 0 problems.
    import openpyxl

    path = tmp_path / "typos.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Звонки"
    ws.append(["Дата", "Вид звонк", "Клиент", "Статус"])
    ws.append(["20.11.2026", "Первый звонок", "Acme", "Нет ответа"])
    wb.save(path)
    r = run("check", path)
    assert r.exit_code == 1
    assert "no call type column" in r.stdout and "Вид звонк" in r.stdout
    assert "2 проблемы" in r.stderr   # (the log is Russian: so is its line)
    problems = json.loads(run("check", path, "--format", "json").stdout)
    # (its Статус holds outcomes, with no outcome column: read as the outcome, nothing to say)
    assert [(p["row"], p["column"], p["value"]) for p in problems] == [(1, "", ""), (1, "B", "Вид звонк")]
    assert 'did you mean "Вид звонка"' in problems[1]["message"]


def test_overdue_json_has_the_promised_keys(sample):
    r = run("overdue", sample, "--as-of", AS_OF, "--format", "json")
    assert r.exit_code == 0, r.stderr
    items = json.loads(r.stdout)
    assert items, "the sample has chases in progress"
    keys = {"sheet", "row", "id", "call_type", "contact", "client", "candidates", "due", "status",
            "days_overdue", "step", "next_step", "message"}
    assert keys <= set(items[0])
    assert {i["status"] for i in items} <= {"overdue", "due_today"}
    overdue = [i["days_overdue"] for i in items if i["status"] == "overdue"]
    assert overdue == sorted(overdue, reverse=True)       # most overdue first
    for i in items:
        datetime.fromisoformat(i["due"])


def test_overdue_all_and_csv(sample):
    from tracker.config import load_config

    r = run("overdue", sample, "--as-of", AS_OF, "--all", "--format", "csv")
    assert r.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    upcoming = load_config().section("followups")["status_labels"]["upcoming"]["en"]
    assert {row["status"] for row in rows} >= {upcoming}


def test_csv_cells_excel_would_run_as_formulas_open_as_text(tmp_path):
    """The CSV is made for Excel: a client typed as =HYPERLINK(...) or a contact as
    @SUM(...) would run there as a formula; json keeps them as written."""
    import openpyxl

    path = tmp_path / "inject.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["Date", "Call type", "Client", "Contact", "Outcome"])
    wb.active.append([datetime(2026, 11, 16), "First call", '=HYPERLINK("http://evil.example","Click")',
                      '@SUM(1+1)*cmd|"/C calc"!A0', "No answer"])
    wb.active["C2"].data_type = "s"   # the text itself, as typed with an apostrophe
    wb.save(path)
    [row] = list(csv.DictReader(io.StringIO(run("overdue", path, "--as-of", AS_OF, "--format", "csv").stdout)))
    assert row["client"] == "'=HYPERLINK(\"http://evil.example\",\"Click\")"
    assert row["who"] == "'@SUM(1+1)*cmd|\"/C calc\"!A0"
    assert row["status"] == "Overdue"
    [item] = json.loads(run("overdue", path, "--as-of", AS_OF, "--format", "json").stdout)
    assert item["client"].startswith("=HYPERLINK(")


def test_overdue_and_reminders_tables_show_labels_in_the_logs_language(tmp_path):
    """A consultant reads the table as the Chase today and Reminders sheets: "Просрочено",
    "Повторный звонок", not the ids json and csv keep for programs."""
    from tracker.config import load_config
    from tracker.reminders import role_label
    from tracker.sample import write_sample

    config = load_config()
    path = tmp_path / "ru.xlsx"
    write_sample(path, config, NOW, lang="ru")
    data = json.loads(run("overdue", path, "--as-of", AS_OF, "--all", "--format", "json").stdout)
    lines = run("overdue", path, "--as-of", AS_OF, "--all").stdout.splitlines()[2:]
    assert data and len(lines) == len(data)
    for item, line in zip(data, lines):   # the same rows, in the same order
        status = config.section("followups")["status_labels"][item["status"]]["ru"]
        assert line.startswith(f"{item['row']} ") and f" {status} " in line
        assert f" {item['status']} " not in line and item["call_type"] not in line
        assert config.call_type_label(item["call_type"], "ru")[:10] in line

    data = json.loads(run("reminders", path, "--from", AS_OF, "--to", "2026-11-30", "--format", "json").stdout)
    lines = run("reminders", path, "--from", AS_OF, "--to", "2026-11-30").stdout.splitlines()[2:]
    assert data and len(lines) == len(data)
    for item, line in zip(data, lines):
        assert f" {config.list_label('channel', item['channel'], 'ru')} " in line
        assert f" {role_label(config, item['whom']['role'], 'ru')}" in line
        assert f" {item['channel']} " not in line and item["call_type"] not in line


def _russian_log(path: Path) -> Path:
    """A Russian log as `tracker init --lang ru` writes it, judged as of 2026-11-25 09:00.
    Rows 3 and 5 have notes in Latin letters, so their language is English: a chase
    (row 2, whole-day due), an agreed contact today (row 3), one at a time of day
    (row 4), an interview tomorrow whose candidate is called and reminded (row 5)."""
    import openpyxl

    assert run("init", path, "--lang", "ru").exit_code == 0
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    head = {c.value: c.column for c in ws[1]}
    anna = {"Менеджер": "Анна", "Вид звонка": "Первый звонок"}
    rows = [
        {**anna, "Дата": "20.11.2026", "Время": "10:00", "Клиент": "ООО Ромашка", "Контакт": "Пётр Смирнов",
         "Результат": "Нет ответа"},
        {**anna, "Дата": "23.11.2026", "Время": "14:00", "Клиент": "Delta Ltd", "Контакт": "Mary",
         "Результат": "Состоялся", "Следующий контакт": "25.11.2026", "Комментарии к звонку": "Company Name: Delta"},
        {**anna, "Дата": "24.11.2026", "Время": "12:00", "Клиент": "Gamma", "Контакт": "Сергей",
         "Результат": "Состоялся", "Следующий контакт": "26.11.2026 15:30"},
        {**anna, "Дата": "26.11.2026", "Время": "11:00", "Вид звонка": "Интервью", "Клиент": "Beta LLC",
         "Контакт": "Olga", "Кандидаты": "Ivan Petrov (E77)", "Результат": "Запланирован",
         "Комментарии к звонку": "Candidate confirmed by phone"},
    ]
    for r, row in enumerate(rows, start=2):
        for name, value in row.items():
            ws.cell(r, head[name], value)
    wb.save(path)
    return path


RU_AS_OF = "2026-11-25T09:00"


def _excel_reads(text: str) -> datetime:
    """`text` as Excel in any language reads a date or a date and time: ISO, with a space
    (with a "T" it is a text, which neither sorts nor filters as a date)."""
    for form in ("%Y-%m-%d", "%Y-%m-%d %H:%M"):
        try:
            return datetime.strptime(text, form)
        except ValueError:
            pass
    raise AssertionError(f"{text!r} is not a date Excel reads")


def test_the_csv_writes_dates_and_times_as_excel_reads_them(tmp_path):
    """Found by testers: the CSV wrote a whole-day due as 2026-11-21T00:00:00 and a
    reminder's time as 2026-11-25T10:00, which Excel in any language takes for a text,
    so a consultant could neither sort nor filter by them. JSON writes a whole-day due
    as its date, as `timed: false` says, and one at a time of day in full."""
    path = _russian_log(tmp_path / "ru.xlsx")
    r = run("overdue", path, "--as-of", RU_AS_OF, "--all", "--format", "csv")
    assert r.exit_code == 0, r.stderr
    due = {int(row["row"]): row["due"] for row in csv.DictReader(io.StringIO(r.stdout))}
    data = {i["row"]: i for i in json.loads(run("overdue", path, "--as-of", RU_AS_OF, "--all",
                                                 "--format", "json").stdout)}
    assert set(due) == set(data) >= {2, 3, 4, 5}
    assert (due[3], due[4]) == ("2026-11-25", "2026-11-26 15:30")   # as agreed in the rows
    for row, item in data.items():
        if item["timed"]:
            assert _excel_reads(due[row]) == datetime.fromisoformat(item["due"])
        else:
            assert _excel_reads(due[row]) == datetime.fromisoformat(item["due"] + "T00:00")
            assert item["due"] == date.fromisoformat(item["due"]).isoformat()   # the day, no time
    assert data[4]["timed"] and data[4]["due"] == "2026-11-26T15:30:00"

    r = run("reminders", path, "--from", RU_AS_OF, "--to", "2026-11-27", "--format", "csv")
    assert r.exit_code == 0, r.stderr
    at = [row["at"] for row in csv.DictReader(io.StringIO(r.stdout))]
    data = json.loads(run("reminders", path, "--from", RU_AS_OF, "--to", "2026-11-27", "--format", "json").stdout)
    assert len(at) == len(data) >= 2
    assert [_excel_reads(a) for a in at] == [datetime.fromisoformat(i["at"]) for i in data]
    assert "2026-11-26 10:40" in at   # 20 minutes before the interview


def test_a_rows_action_reads_the_same_in_the_table_the_csv_json_and_the_sheet(tmp_path):
    """Found by testers: in a Russian log, a row whose notes are in Latin letters (its
    language English) read "Связаться, как договорились" in the table and the sheet,
    but "Get in touch as agreed" in CSV and JSON, and CSV showed the ids "due_today",
    "first_call". CSV is for people, so it shows what the table and the sheet show;
    JSON keeps the ids and the row's `lang`, and its action is the sheet's words."""
    import openpyxl

    from tracker.config import load_config

    config = load_config()
    path = _russian_log(tmp_path / "ru.xlsx")
    args = ("overdue", path, "--as-of", RU_AS_OF, "--all")
    table = run(*args).stdout.splitlines()[2:]
    rows = {int(row["row"]): row for row in csv.DictReader(io.StringIO(run(*args, "--format", "csv").stdout))}
    data = {i["row"]: i for i in json.loads(run(*args, "--format", "json").stdout)}
    assert run("refresh", path, "--as-of", RU_AS_OF).exit_code == 0
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    column = {c.value: c.column for c in ws[1]}
    sheet = {row: {h: ws.cell(row, column[h]).value for h in ("Статус", "Следующее действие")} for row in rows}
    chase = {r[-1]: r for r in wb["Позвонить сегодня"].iter_rows(min_row=2, values_only=True)}

    english = [row for row, item in data.items() if item["lang"] == "en"]
    assert sorted(english) == [3, 5] and data[2]["lang"] == "ru"
    for row, item in data.items():
        shown = rows[row]
        # CSV as the sheet: the log's words for status, call type and action.
        assert shown["status"] == sheet[row]["Статус"] == config.section("followups")["status_labels"][item["status"]]["ru"]
        assert shown["call_type"] == config.call_type_label(item["call_type"], "ru")
        assert shown["action"] == sheet[row]["Следующее действие"]
        # The table the same (cut at 48 when longer).
        [line] = [ln for ln in table if ln.split()[0] == str(row)]
        assert shown["action"][:40] in line and f" {shown['status']} " in line
        # JSON: the ids and the row's language, and the sheet's action without its channel.
        assert sheet[row]["Следующее действие"].endswith(item["action"]) and item["step"]["action"] == item["action"]
        assert item["status"] in config.section("followups")["status_labels"] and item["call_type"] in config.call_types
    agreed = config.section("followups")["steps"]["next_contact"]["action"]
    assert rows[3]["action"] == data[3]["action"] == agreed["ru"] != agreed["en"]
    assert chase[3][6] == rows[3]["action"] and chase[5][6] == rows[5]["action"]
    assert rows[5]["action"].startswith(config.list_label("channel", data[5]["channel"], "ru") + ": ")

    # Reminders: the CSV in the words of the Reminders sheet, its times the sheet's.
    r = run("reminders", path, "--from", RU_AS_OF, "--format", "csv")
    reminders = list(csv.DictReader(io.StringIO(r.stdout)))
    data = json.loads(run("reminders", path, "--from", RU_AS_OF, "--format", "json").stdout)
    written = [r for r in wb["Напоминания"].iter_rows(min_row=2, values_only=True) if r[0]]
    assert len(reminders) == len(data) == len(written) >= 2 and {i["lang"] for i in data} == {"en"}
    for shown, item, (at, whom, names, channel, call_type, _, subject, message, row) in zip(reminders, data, written):
        assert _excel_reads(shown["at"]) == at and int(shown["call_row"]) == row == item["call_row"]
        assert (shown["channel"], shown["call_type"]) == (channel, call_type) == (
            config.list_label("channel", item["channel"], "ru"), config.call_type_label(item["call_type"], "ru"))
        assert shown["whom"] == f"{whom}: {names}" and shown["subject"] == subject == item["subject"]
        assert message == item["message"]


def test_summary_names_the_rows_whose_call_type_cannot_be_read(tmp_path):
    """A typo in a call type leaves its row without a format: --all says which rows it
    passed over, --row refuses; both exit 1, the input having a problem (as check does)."""
    from workbooks import typo_call_type_log

    path = typo_call_type_log(tmp_path / "typo.xlsx")
    r = run("summary", path, "--all", "--format", "json")
    assert r.exit_code == 1, r.stderr
    assert [i["row"] for i in json.loads(r.stdout)] == [2, 4]
    assert "Calls!B3" in r.stderr and "First cal" in r.stderr and "left out" in r.stderr
    r = run("summary", path, "--row", 3)
    assert r.exit_code == 1 and "Calls!B3" in r.stderr and "Traceback" not in r.output
    assert run("summary", path, "--row", 2).exit_code == 0


def test_the_digest_names_whom_each_step_addresses(sample):
    """The confirmation call the day before an interview is to the candidates, whose names
    its draft greets; the digest's line named the client's contact."""
    items = json.loads(run("overdue", sample, "--as-of", AS_OF, "--format", "json").stdout)
    to_candidates = [i for i in items if i["step"]["to"] == "candidates" and i["candidates"]]
    assert to_candidates, "the sample has confirmation calls today"
    digest = run("digest", sample, "--as-of", AS_OF).stdout.splitlines()
    lang = {line: "zh" if "——" in line else "en" for line in digest}   # zh and ja lines use their own dashes
    for item in items:
        [line] = [ln for ln in digest if ln.startswith("- ") and ln.endswith(f"!{item['row']}]")
                  and not re.match(r"- \d\d:\d\d ", ln)]   # (a reminder's line starts with its time)
        separator = "、" if lang[line] == "zh" else ", "   # each language's own list of names
        who = separator.join(item["candidates"]) if item in to_candidates else item["contact"] or item["client"]
        assert line.startswith(f"- {who}"), (who, line)


def test_a_window_in_utc_over_autumns_repeated_hour_is_not_empty(sample, tmp_path):
    """00:00Z to 01:00Z is 02:00 CEST to 02:00 CET in Berlin: one real hour, not nothing."""
    copy = tmp_path / "calls.xlsx"
    copy.write_bytes(sample.read_bytes())
    (tmp_path / "tracker.yaml").write_text("timezone: Europe/Berlin\n", encoding="utf-8")
    r = run("reminders", copy, "--from", "2026-10-25T00:00+00:00", "--to", "2026-10-25T01:00+00:00")
    assert r.exit_code == 0, r.stderr
    r = run("reminders", copy, "--from", "2026-10-25T01:00+00:00", "--to", "2026-10-25T00:00+00:00")
    assert r.exit_code == 2 and "the window would be empty" in r.stderr


def test_reminders_exports_calendar_and_drafts(sample, tmp_path):
    import icalendar

    ics, eml = tmp_path / "calls.ics", tmp_path / "drafts"
    r = run("reminders", sample, "--from", AS_OF, "--to", "2026-11-28", "--format", "json",
            "--ics", ics, "--eml", eml)
    assert r.exit_code == 0, r.stderr
    items = json.loads(r.stdout)
    assert items
    assert {"at", "call_row", "call_type", "whom", "channel", "subject", "message", "source"} <= set(items[0])
    assert {i["source"] for i in items} <= {"call_type", "row"}
    assert "row" in {i["source"] for i in items}    # the sample writes reminders in words
    cal = icalendar.Calendar.from_ical(ics.read_bytes())
    events = [c for c in cal.walk("VEVENT")]
    # Every reminder of the window rings in the calendar (a notice's on its interview's
    # event when that is logged too); the window's calls without one are there too.
    from tracker.config import load_config

    config = load_config(workbook=sample)
    rings = {config.local(e.decoded("dtstart") + a.decoded("trigger")) for e in events for a in e.walk("VALARM")}
    for i in items:
        assert config.local(datetime.fromisoformat(i["at"])) in rings, i
    # DTSTAMP is when the file was made (RFC 5545), not the window's start, --from.
    made = datetime.now(timezone.utc)
    assert all(abs(e.decoded("dtstamp") - made) < timedelta(minutes=5) for e in events)
    drafts = list(eml.glob("*.eml"))
    assert len(drafts) == sum(1 for i in items if i["channel"] == "email")
    msg = BytesParser(policy=policy.default).parse(drafts[0].open("rb"))
    assert msg["Subject"]


def test_summary_of_one_row_and_all(sample):
    r = run("summary", sample, "--all", "--format", "json")
    items = json.loads(r.stdout)
    first = next(i for i in items if i["call_type"] == "first_call")
    assert "Company Name:" in first["text"] or "公司名称" in first["text"] or "会社名" in first["text"]
    r = run("summary", sample, "--row", first["row"])
    assert first["text"] in r.stdout
    assert run("summary", sample).exit_code == 2           # usage: choose one


def test_summary_of_row_0_is_refused_as_a_row_not_as_a_missing_option(sample):
    for option, value in (("--row", 0), ("--id", "")):
        r = run("summary", sample, option, value)
        assert r.exit_code == 2 and "no call at" in r.stderr and "choose one" not in r.output, r.output


def test_summary_of_a_log_with_nothing_to_summarise_says_why(tmp_path):
    import openpyxl

    empty = tmp_path / "empty.xlsx"
    assert run("init", empty).exit_code == 0
    r = run("summary", empty, "--all")
    assert r.exit_code == 0 and r.stdout.strip() == ""
    assert "nothing to summarise" in r.stderr and "no calls below its header on row 1" in r.stderr
    wb = openpyxl.load_workbook(empty)
    ws = wb.worksheets[0]
    headers = [c.value for c in ws[1]]
    ws.cell(2, headers.index("Contact") + 1, "Anna Smith")   # a row with no call type
    wb.save(empty)
    r = run("summary", empty, "--all")
    assert "its one row has no call type" in r.stderr, r.stderr
    r = run("summary", empty, "--row", 2)
    assert r.exit_code == 1 and r.stderr.strip().endswith("the row has no call type, so no summary format applies")
    # A call type of the user's own, not in the configuration: said so, not "no call type".
    ws.cell(2, headers.index("Call type") + 1, "Tech screen")
    wb.save(empty)
    r = run("summary", empty, "--row", 2)
    column = openpyxl.utils.get_column_letter(headers.index("Call type") + 1)
    assert r.exit_code == 1 and r.stderr.startswith(
        f"tracker: {empty}: {ws.title}!{column}2: call type 'Tech screen' is not one Call Tracker knows"), r.stderr
    assert "`call_types` in tracker.yaml" in r.stderr


def test_stats_table_is_in_the_logs_language_as_its_stats_sheet(tmp_path):
    import openpyxl

    from tracker.config import load_config
    from tracker.sample import write_sample

    path = tmp_path / "ru.xlsx"
    write_sample(path, load_config(), NOW, lang="ru")
    table = run("stats", path).stdout.splitlines()
    assert run("refresh", path, "--as-of", AS_OF).exit_code == 0
    sheet = [r for r in openpyxl.load_workbook(path)["Статистика"].iter_rows(max_row=2, max_col=6, values_only=True)]
    assert table[0] == sheet[0][0] and re.split(r"\s{2,}", table[1].strip()) == list(sheet[1])


def test_stats_over_several_files(sample, tmp_path):
    other = tmp_path / "b.xlsx"
    other.write_bytes(sample.read_bytes())
    r = run("stats", sample, other, "--format", "json", "--by", "month")
    assert r.exit_code == 0, r.stderr
    rows = json.loads(r.stdout)
    files = {row["file"] for row in rows}
    assert str(other) in files or other.name in {Path(f).name for f in files}
    for row in rows:
        rate = row["no_show_rate"]
        assert rate is None or 0 <= rate <= 1


def test_stats_of_a_team_leave_out_a_file_that_cannot_be_read_and_say_so(sample, tmp_path):
    team = tmp_path / "team"
    team.mkdir()
    (team / "anna.xlsx").write_bytes(sample.read_bytes())
    (team / "oleg.xlsx").write_bytes(b"PK\x03\x04 not really a workbook")
    alone = run("stats", team / "anna.xlsx", "--format", "json")
    r = run("stats", team, "--format", "json")
    # The rest is counted; the exit code is the worst of the workbooks', oleg.xlsx's 2
    # (as alone, and as check, overdue, reminders and refresh over a team say it).
    assert r.exit_code == 2, r.output
    assert json.loads(r.stdout) == json.loads(alone.stdout)
    left_out = [line for line in r.stderr.splitlines() if "left out of these statistics" in line]
    assert len(left_out) == 1 and left_out[0].startswith(f"tracker: {team / 'oleg.xlsx'}: "), r.stderr
    # A workbook whose sheet has no header Call Tracker knows counts no zeros either.
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.append(["Quarter", "Revenue"])
    wb.save(team / "budget.xlsx")
    r = run("stats", team, "--format", "json")
    assert r.exit_code == 2 and json.loads(r.stdout) == json.loads(alone.stdout), r.output
    named = [line for line in r.stderr.splitlines() if "left out of these statistics" in line]
    assert len(named) == 2 and "budget.xlsx" in named[0] and "no call-log header row" in named[0], r.stderr
    assert run("stats", team / "budget.xlsx").exit_code == 2
    (team / "budget.xlsx").unlink()
    # A file named alone, or a team none of whose files reads, is still an error.
    assert run("stats", team / "oleg.xlsx").exit_code == 2
    (team / "anna.xlsx").write_bytes(b"not a workbook either")
    r = run("stats", team)
    assert r.exit_code == 2 and "none of the 2 files could be read" in r.stderr, r.output
    empty = tmp_path / "empty"
    empty.mkdir()
    r = run("stats", empty)
    assert r.exit_code == 2 and r.stderr.strip() == f"tracker: {empty}: no workbook (.xlsx, .xlsm, .xlsb, .xls, .ods) found", r.output


def _one_interview(path: Path, day) -> Path:
    import openpyxl

    path.parent.mkdir(parents=True, exist_ok=True)
    wb = openpyxl.Workbook()
    wb.active.append(["Date", "Call type", "Candidates", "Outcome", "SM"])
    wb.active.append([day, "Interview", "Tom", "Attended", "Olga"])
    wb.active.append([None, "Interview", "Eva", "No-show", "Olga"])   # no date: in no month
    wb.save(path)
    return path


def _attended_by_month(r) -> dict[str, int]:
    assert r.exit_code == 0, r.output
    return {row["period"]: row["attended"] for row in json.loads(r.stdout)
            if row["file"] == row["manager"] == "*" and row["period"] != "*"}   # the months' totals


def test_stats_of_a_team_reads_each_workbook_with_its_own_configuration(tmp_path):
    # The US colleague writes 11/02/2026 for 2 November, with `date_order: mdy` beside her
    # log. Counted with the others, her log used to be read with the first one's settings.
    us = _one_interview(tmp_path / "us" / "calls.xlsx", "11/02/2026")
    (tmp_path / "us" / "tracker.yaml").write_text("date_order: mdy\n", encoding="utf-8")
    eu = _one_interview(tmp_path / "eu" / "calls.xlsx", "02/11/2026")
    for paths in ([us], [eu], [us, eu], [eu, us]):
        r = run("stats", *paths, "--by", "month", "--format", "json")
        assert _attended_by_month(r) == {"2026-11": len(paths)}, paths
    # --config is one configuration for all of them: the US date is then 11 February.
    cfg = tmp_path / "eu.yaml"
    cfg.write_text("date_order: dmy\n", encoding="utf-8")
    r = run("stats", eu, us, "--by", "month", "--format", "json", "--config", cfg)
    assert _attended_by_month(r) == {"2026-11": 1, "2026-02": 1}


def test_stats_count_a_workbook_named_twice_once_and_say_which_rows_have_no_date(tmp_path):
    path = _one_interview(tmp_path / "calls.xlsx", datetime(2026, 11, 2))
    alone = run("stats", path, "--by", "month", "--format", "json")
    assert _attended_by_month(alone) == {"2026-11": 1}
    for twice in ([path, path.resolve()], [tmp_path, path], [path, tmp_path / "." / "calls.xlsx"]):
        r = run("stats", *twice, "--by", "month", "--format", "json")
        assert r.stdout == alone.stdout, twice
    # The row without a date is in no period: left out, and said so, once per file.
    said = [line for line in alone.stderr.splitlines() if "no date" in line]
    assert said == [f"{path}: 1 row has no date and was left out of these statistics (sheet 'Sheet', row 3)"]


@pytest.mark.parametrize("kind", ["interviews", "calls", "ghosting", "response"])
def test_stats_csv_keeps_its_header_when_nothing_is_counted(sample, kind):
    # As overdue's CSV does: a script reading it finds its columns, not an empty file.
    from tracker.stats import Stats

    full = run("stats", sample, "--kind", kind, "--format", "csv")
    empty = run("stats", sample, "--kind", kind, "--format", "csv", "--since", "2030-01-01")
    assert full.exit_code == empty.exit_code == 0, empty.output
    header = full.stdout.splitlines()[0]
    assert header == ",".join(Stats.columns(kind)) and empty.stdout == header + "\n"


@pytest.fixture
def unreadable(tmp_path) -> Path:
    """A log with one error cell (#N/A) where a date should be."""
    import xlsxwriter

    path = tmp_path / "errors.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Log")
    ws.write_row(0, 0, ["Date", "Call type", "Contact", "Outcome", "SM"])
    ws.write_row(1, 0, ["2026-11-20", "Interview", "Jane", "Attended", "Olga"])
    ws.write_formula(2, 0, "=NA()", None, "#N/A")
    ws.write_row(2, 1, ["Interview", "Ann", "No-show", "Olga"])
    wb.close()
    return path


def unreadable_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if "could not be read" in line]


def test_stats_says_which_files_have_cells_it_could_not_read(sample, unreadable):
    """As overdue and reminders do: one line on stderr per such file, the table on stdout."""
    r = run("stats", sample, unreadable, "--format", "json")
    assert r.exit_code == 0, r.stderr
    assert json.loads(r.stdout)
    [line] = unreadable_lines(r.stderr)
    assert line.startswith(f"{unreadable}: 1 cell could not be read and was left out; run `tracker check"), r.stderr


@pytest.mark.skipif(os.name == "nt", reason="runs the hint in a POSIX shell")
def test_the_check_a_hint_says_to_run_runs_on_a_path_with_spaces(unreadable, tmp_path):
    """The hint's command, copied into a shell as shown, checks that very workbook (it
    said `tracker check мой лог 1.xlsx`, which the shell split into three files)."""
    import shutil
    import subprocess

    folder = tmp_path / "Мои логи (2026)"
    folder.mkdir()
    path = Path(shutil.copy(unreadable, folder / "мой лог 1.xlsx"))
    r = run("overdue", path, "--as-of", AS_OF)
    [line] = unreadable_lines(r.stderr)
    command = re.search(r"run `(tracker check [^`]+)`", line).group(1)
    shown = subprocess.run(["sh", "-c", f"printf '%s\\n' {command[len('tracker check '):]}"],
                           capture_output=True, text=True, check=True).stdout.splitlines()
    assert shown == [str(path)]
    r = run(*shlex.split(command)[1:])
    assert r.exit_code == 1 and "#N/A" in r.stdout and str(path) in r.stdout + r.stderr, r.output


def test_digest_says_when_cells_could_not_be_read(unreadable, tmp_path):
    r = run("digest", unreadable, "--as-of", AS_OF, "--out", tmp_path / "d")
    assert r.exit_code == 0, r.stderr
    [line] = unreadable_lines(r.stderr)
    assert line.startswith(f"{unreadable}: 1 cell could not be read"), r.stderr


def test_refresh_twice_gives_the_same_workbook(copy):
    r = run("refresh", copy, "--as-of", AS_OF)
    assert r.exit_code == 0, r.stderr
    once = {n: zipfile.ZipFile(copy).read(n) for n in zipfile.ZipFile(copy).namelist()}
    r = run("refresh", copy, "--as-of", AS_OF)
    assert r.exit_code == 0, r.stderr
    twice = {n: zipfile.ZipFile(copy).read(n) for n in zipfile.ZipFile(copy).namelist()}
    assert once == twice
    assert list((copy.parent / ".call-tracker-backups").iterdir())


def test_refresh_twice_of_a_log_whose_next_steps_have_no_channel_adds_no_column(tmp_path):
    # Found by a tester: Next action holds the row's own Next step ("Send CVs") where the
    # step has no channel; the second refresh took those texts for the user's and added a
    # "Next action (Call Tracker)" column, the first left stale for good.
    import openpyxl

    path = tmp_path / "calls.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "Call log"
    wb.active.append(["Date", "Time", "Call type", "Client", "Contact", "Outcome", "Next contact", "Next step", "SM"])
    for day, kind, outcome, nxt, step in ((18, "First call", "Done", 20, "Send CVs"), (19, "Interview", "Planned", 25, "Confirm"),
                                          (20, "Report sent", "Done", None, "Call in two days"),
                                          (21, "First call", "No answer", 22, "Call again")):
        wb.active.append([datetime(2026, 11, day), "10:00", kind, "Acme", "John Smith", outcome,
                          datetime(2026, 11, nxt) if nxt else None, step, "Anna"])
    wb.save(path)
    first = run("refresh", path, "--as-of", AS_OF)
    assert first.exit_code == 0 and "Added columns J (Status), K (Due), L (Next action), M (Summary)." in first.stderr
    headers = [c.value for c in openpyxl.load_workbook(path)["Call log"][1]]
    actions = [c.value for c in openpyxl.load_workbook(path)["Call log"]["L"][1:]]
    assert {"Send CVs", "Confirm", "Call again"} & set(actions), actions   # the row's own step, as written
    again = run("refresh", path, "--as-of", "2026-11-24T09:00")
    assert again.exit_code == 0 and "Added column" not in again.stderr, again.stderr
    assert [c.value for c in openpyxl.load_workbook(path)["Call log"][1]] == headers


def test_refresh_does_not_write_over_the_users_formulas(tmp_path):
    # Found by a tester: the user's own Status column, worked out by a formula from
    # Outcome, read like ours ("Done" or blank) and was written over: the formulas were
    # lost and the cells below a shared formula's first cell pointed at nothing.
    import xlsxwriter

    path = tmp_path / "calls.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Call log")
    ws.write_row(0, 0, ["Date", "Call type", "Contact", "Outcome", "Status"])
    date_format = wb.add_format({"num_format": "yyyy-mm-dd"})
    for r, outcome in enumerate(["Done", "Planned", "Done"], 1):
        ws.write_datetime(r, 0, datetime(2026, 11, 18 + r), date_format)
        ws.write_row(r, 1, ["First call", f"Person {r}", outcome])
        ws.write_formula(r, 4, f'=IF(D{r + 1}="Done","Done","")', None, "Done" if outcome == "Done" else "")
    wb.close()
    # A Status holding something with no Due of ours beside it is the user's (it was
    # refused, "a formula of yours", until they renamed it): ours goes beside it at once.
    import openpyxl

    r = run("refresh", path, "--as-of", AS_OF)
    assert r.exit_code == 0, r.output
    sheet = openpyxl.load_workbook(path)["Call log"]
    assert sheet["E2"].value == '=IF(D2="Done","Done","")' and sheet["F1"].value == "Status (Call Tracker)"
    # Renamed, ours stays where it is.
    book = openpyxl.load_workbook(path)
    book["Call log"]["E1"] = "Status (mine)"
    book.save(path)
    r = run("refresh", path, "--as-of", AS_OF)
    assert r.exit_code == 0, r.output
    sheet = openpyxl.load_workbook(path)["Call log"]
    assert sheet["E2"].value == '=IF(D2="Done","Done","")' and sheet["F1"].value == "Status (Call Tracker)"


def test_refresh_of_a_log_in_a_table_leaves_a_table_below_it_alone(tmp_path):
    import openpyxl
    import xlsxwriter

    path = tmp_path / "calls.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Call log")
    calls = [["2026-11-19", "First call", "Ann", "Done"], ["2026-11-20", "Interview", "Bob", "Planned"]]
    ws.add_table("A1:D3", {"name": "Calls", "data": calls, "columns": [
        {"header": h} for h in ("Date", "Call type", "Contact", "Outcome")]})
    ws.add_table("A7:C9", {"name": "Contacts", "data": [["Olga", "Acme", "+1 555 0100"], ["Ivan", "Beta", "+1 555 0101"]],
                           "columns": [{"header": h} for h in ("Name", "Company", "Phone")]})
    wb.close()
    r = run("refresh", path, "--as-of", AS_OF)
    assert r.exit_code == 0 and r.stderr.startswith("Refreshed 2 calls"), r.stderr
    sheet = openpyxl.load_workbook(path)["Call log"]
    assert [c.value for c in sheet[8]] == ["Olga", "Acme", "+1 555 0100"] + [None] * (sheet.max_column - 3)
    assert all(str(rule.sqref).endswith("3") for rule in sheet.conditional_formatting)
    assert "2 calls, 0 problems" in run("check", path).stderr


def test_refresh_as_of_a_past_day_keeps_its_backup(copy):
    # Ten backups of November's refreshes already kept: a backup named after --as-of (in
    # January) sorted as the oldest and was pruned the moment it was made.
    backups = copy.parent / ".call-tracker-backups"
    backups.mkdir()
    for n in range(10):
        (backups / f"calls.20261101-00000{n}.xlsx").write_bytes(b"an older backup")
    before = copy.read_bytes()
    r = run("refresh", copy, "--as-of", "2026-01-05T09:00")
    assert r.exit_code == 0, r.stderr
    [said] = [ln for ln in r.stderr.splitlines() if ln.startswith("Backup of the previous version: ")]
    backup = Path(said.split(": ", 1)[1])
    assert backup.read_bytes() == before and backup.name > "calls.20261101-000009.xlsx"   # named now
    # The first kept (the workbook before Call Tracker wrote it) and the last ten.
    assert len(list(backups.iterdir())) == 11 and (backups / "calls.20261101-000000.xlsx").exists()



def test_refresh_never_writes_over_the_users_own_summary_next_action_and_due(tmp_path):
    import openpyxl

    path = tmp_path / "calls.xlsx"
    wb = openpyxl.Workbook()
    header = ["Date", "Call type", "Client", "Contact", "SM", "Summary", "Next action", "Due"]
    wb.active.append(header)
    mine = [[f"My summary {i}: keen, budget OK", f"My action {i}: send CVs on Friday", datetime(2027, 1, i)]
            for i in range(1, 4)]
    for i, own in enumerate(mine, 1):
        wb.active.append([datetime(2026, 11, 10 + i), "First call", f"Client {i}", f"Person {i}", "Anna", *own])
    wb.save(path)
    for _ in range(2):   # and the next refresh finds ours beside theirs, and keeps to it
        r = run("refresh", path, "--as-of", AS_OF)
        assert r.exit_code == 0, r.stderr
        ws = openpyxl.load_workbook(path).worksheets[0]
        rows = [list(row) for row in ws.iter_rows(values_only=True)]
        assert rows[0] == header + ["Status", "Due (Call Tracker)", "Next action (Call Tracker)",
                                    "Summary (Call Tracker)"]
        assert [row[5:8] for row in rows[1:]] == mine
        assert all(row[11].startswith("Company Name: Client") for row in rows[1:])


def _colour(formulas: dict[str, str], status: str, due, today) -> str | None:
    """Which of refresh's colour rules holds for a row, the formulas evaluated as Excel
    would (their few functions only); the first that holds wins, as in Excel."""
    import re

    serial = (due - datetime(1899, 12, 30)).days if isinstance(due, datetime) else None
    funcs = dict(AND=lambda *a: all(a), OR=lambda *a: any(a), INT=int, ISTEXT=lambda v: isinstance(v, str),
                 ISNUMBER=lambda v: isinstance(v, int), TODAY=lambda: (today - date(1899, 12, 30)).days,
                 DATE=lambda y, m, d: (date(y, m, d) - date(1899, 12, 30)).days)
    for name, formula in formulas.items():
        py = re.sub(r"\$[A-Z]+\d+", lambda m: "DUE" if m.group() == formulas["@due"] else "STATUS", formula)
        py = py.replace("<>", "!=").replace("<=", "@le").replace(">=", "@ge")
        py = re.sub(r"(?<![!<>])=", "==", py).replace("@le", "<=").replace("@ge", ">=")
        if name != "@due" and eval(py, dict(funcs, DUE=serial, STATUS=status)):
            return name
    return None


def _chase_refreshed(tmp_path, as_of: str, more=()):
    """Anna Li's chase (no answer on 2 Nov, T+1 on the 3rd, T+3 on the 5th: row 4 owes the
    last message, from T+5 to T+7) and `more` rows, refreshed as of `as_of`. Returns the
    file, its sheet, header, row 4's Status and Due, and each colour rule by name as it
    reads row 4 (from its range's first row's formula)."""
    import openpyxl

    path = tmp_path / "calls.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["Date", "Call type", "Client", "Contact", "Outcome"])
    chase = ((2, "Repeat call", "No answer", "Anna Li"), (3, "Follow-up", None, "Anna Li"),
             (5, "Follow-up", None, "Anna Li"))
    for day, kind, outcome, who in (*chase, *more):
        wb.active.append([datetime(2026, 11, day), kind, "Acme", who, outcome])
    wb.save(path)
    r = run("refresh", path, "--as-of", as_of)
    assert r.exit_code == 0, r.stderr
    ws = openpyxl.load_workbook(path).active
    header = [c.value for c in ws[1]]
    status, due = (ws.cell(4, header.index(h) + 1).value for h in ("Status", "Due"))
    formulas = {"@due": f"${openpyxl.utils.get_column_letter(header.index('Due') + 1)}4"}
    for cf in ws.conditional_formatting:
        for rule in cf.rules:
            first = int(re.search(r"\d+", str(cf.sqref)).group())
            formulas[rule.formula[0].split('"')[1].split(":")[1]] = re.sub(
                r"(\$[A-Z]+)" + str(first) + r"\b", r"\g<1>4", rule.formula[0])
    return path, ws, header, status, due, formulas


def test_refresh_colours_a_window_by_its_last_day_as_its_status_says(tmp_path):
    # The last chase message is owed from T+5 to T+7: Status says "Due today" all along,
    # and the row used to turn red from T+6 (its Due was T+5). Due is now the window's last
    # day; the row is amber through the window and red only after it, without a refresh.
    _, _, _, status, due, formulas = _chase_refreshed(tmp_path, "2026-11-07T10:00")   # T+5
    assert status == "Due today" and due == datetime(2026, 11, 9)   # T+7
    colours = {day: _colour(formulas, status, due, date(2026, 11, day)) for day in range(7, 12)}
    assert colours == {7: "due_today", 8: "due_today", 9: "due_today", 10: "overdue", 11: "overdue"}
    # A step owed on one day, refreshed that day: red the next day, as before.
    assert [_colour(formulas, "Due today", datetime(2026, 11, 3), date(2026, 11, d)) for d in (3, 4)] == [
        "due_today", "overdue"]
    assert _colour(formulas, "Upcoming", datetime(2026, 11, 3), date(2026, 11, 3)) == "due_today"


def test_refresh_before_a_window_opens_colours_it_from_its_first_day(tmp_path):
    # Refreshed at T+4, the last message's row said "Upcoming" with Due T+7, and stayed
    # white on T+5 and T+6, when it is owed, until the next refresh. A rule of its own now
    # holds the window's first day; the other rules still paint every data row.
    import openpyxl

    path, ws, header, status, due, formulas = _chase_refreshed(
        tmp_path, "2026-11-06T10:00", more=[(5, "First call", "Interested", "Ivan Ko")])   # T+4
    assert status == "Upcoming" and due == datetime(2026, 11, 9)   # T+7
    last = openpyxl.utils.get_column_letter(ws.max_column)
    rules = {rule.formula[0].split('"')[1].split(":")[1]: (str(cf.sqref), rule.dxf.fill.bgColor.rgb, rule.formula[0])
             for cf in ws.conditional_formatting for rule in cf.rules}
    assert {name: area for name, (area, _, _) in rules.items()} == {
        "overdue": f"A2:{last}5", "due_today": f"A2:{last}5", "no_next_action": f"A2:{last}5", "window": f"A4:{last}4"}
    assert f"INT({formulas['@due']})>=TODAY()" in rules["window"][2]   # written for row 4, its first row
    assert rules["window"][1] == rules["due_today"][1] != rules["overdue"][1]   # amber
    colours = {day: _colour(formulas, status, due, date(2026, 11, day)) for day in range(6, 12)}
    assert colours == {6: None, 7: "window", 8: "window", 9: "due_today", 10: "overdue", 11: "overdue"}
    # Refreshed once the window is open, the Status says so and no rule of dates is needed.
    r = run("refresh", path, "--as-of", "2026-11-07T10:00")
    assert r.exit_code == 0, r.stderr
    ws = openpyxl.load_workbook(path).active
    assert ws.cell(4, header.index("Status") + 1).value == "Due today"
    names = [rule.formula[0].split('"')[1] for cf in ws.conditional_formatting for rule in cf.rules]
    assert sorted(names) == ["call-tracker:due_today", "call-tracker:no_next_action", "call-tracker:overdue"]


def test_refresh_names_each_column_it_added(tmp_path):
    # It used to say "Added columns F (Status, Due, Next action, Summary)" for one column.
    import openpyxl

    path = tmp_path / "calls.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["Date", "Call type", "Contact", "Due", "Next action", "Summary"])
    wb.active.append([datetime(2026, 11, 20), "First call", "Jane", None, None, None])
    wb.save(path)
    r = run("refresh", path, "--as-of", AS_OF)
    assert r.exit_code == 0, r.stderr
    headers = [c.value for c in openpyxl.load_workbook(path).worksheets[0][1]]
    assert headers[6:] == ["Status"]
    [added] = [ln for ln in r.stderr.splitlines() if ln.startswith("Added column")]
    assert added == "Added column G (Status)."


@pytest.mark.parametrize("lock, who", [("~${name}", "Excel"), (".~lock.{name}#", "LibreOffice")])
def test_refresh_refuses_while_open_in_excel_before_reading(copy, monkeypatch, lock, who):
    """At once: a big log's refresh would otherwise work for seconds before saying so."""
    import tracker.jobs

    owner = copy.parent / lock.format(name=copy.name)
    owner.write_bytes(b"x")
    before = copy.read_bytes()
    read = []
    monkeypatch.setattr(tracker.jobs, "read", lambda *a, **k: read.append(a))
    r = run("refresh", copy, "--as-of", AS_OF)
    assert r.exit_code == 2
    assert r.stderr.strip() == (f"tracker: {copy}: the workbook is open in {who} (found {owner.name}); "
                                + ("close the workbook in Excel and run again. If no Excel has it open "
                                   "(Excel stopped without tidying up)" if who == "Excel"
                                   else "close it there and run again. If no LibreOffice has it open")
                                + f", delete the hidden file {owner}")
    assert read == [] and copy.read_bytes() == before


@pytest.mark.parametrize("owner, refused", [
    ("~$Anna Schmidt calls.xlsx", True),    # Excel's spelling
    ("~$na Schmidt calls.xlsx", True),      # Office's older one, for a long name
    ("~$nna Schmidt calls.xlsx", False),    # Hanna Schmidt calls.xlsx's, open: not Anna's
])
def test_refresh_goes_by_the_workbooks_own_owner_file(copy, owner, refused):
    # Found by a tester: Anna's log was refused every night Hanna left hers open in Excel.
    path = copy.with_name("Anna Schmidt calls.xlsx")
    copy.rename(path)
    (path.parent / owner).write_bytes(b"\x05Hanna")
    r = run("refresh", path, "--as-of", AS_OF)
    assert (r.exit_code, "open in Excel" in r.stderr) == ((2, True) if refused else (0, False)), r.stderr


def test_refresh_of_excels_owner_file_says_what_it_is(copy):
    # Found by a tester: `for f in team/*.xlsx` hands refresh ~$anna.xlsx too, which was
    # called "open in Excel (found ~$anna.xlsx)", the other commands' "lock file".
    owner = copy.parent / f"~${copy.name}"
    owner.write_bytes(b"\x05Olga" + b" " * 160)
    r = run("refresh", owner, "--as-of", AS_OF)
    assert r.exit_code == 2 and r.stderr == (f"tracker: {owner}: this is Excel's lock file for an open workbook, "
                                             "not the workbook itself; nothing was changed\n"), r.stderr


def test_digest_writes_one_per_manager(sample, tmp_path):
    r = run("digest", sample, "--as-of", AS_OF, "--out", tmp_path / "d")
    assert r.exit_code == 0, r.stderr
    written = sorted((tmp_path / "d").glob("*.html"))
    assert written
    # What was written is a message, on stderr as every command's; stdout stays empty.
    assert r.stdout == "" and all(f"Wrote {p}" in r.stderr for p in written)


@pytest.mark.parametrize("option, value", [("--since", "2026-11"), ("--until", "31/02/2026")])
def test_a_date_option_that_does_not_read_is_named(sample, option, value):
    r = run("stats", sample, option, value)
    assert r.exit_code == 2 and f"Invalid value for {option}: '{value}' is not a date-time" in r.stderr, r.stderr


def test_digest_lists_the_reminders_of_today_and_the_next_working_day(tmp_path):
    # First calls on Monday 23 Nov: the client is e-mailed 15 minutes before each. The
    # digest used to list only the next calendar day's reminders: none on Friday, none
    # on Monday itself, both on Sunday, a day off.
    import openpyxl

    path = tmp_path / "calls.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["Date", "Time", "Call type", "Client", "Contact", "SM", "E-mail"])
    wb.active.append([datetime(2026, 11, 23), "14:30", "First call", "Acme", "John Smith", "Anna", "j@acme.example"])
    wb.active.append([datetime(2026, 11, 24), "11:00", "First call", "Beta", "Petr Ivanov", "Anna", "p@beta.example"])
    wb.save(path)
    listed = {}
    for day in ("2026-11-20", "2026-11-23", "2026-11-24"):   # Friday, Monday, Tuesday
        r = run("digest", path, "--as-of", f"{day}T08:00")
        assert r.exit_code == 0, r.stderr
        listed[day] = [ln.split(" —")[0].strip("- ") for ln in r.stdout.splitlines() if " client: " in ln]
    assert listed["2026-11-20"] == ["14:15 client: John Smith (E-mail)"]
    assert listed["2026-11-23"] == ["14:15 client: John Smith (E-mail)", "10:45 client: Petr Ivanov (E-mail)"]
    assert listed["2026-11-24"] == ["10:45 client: Petr Ivanov (E-mail)"]


def test_bad_config_stops_with_file_and_line(sample, tmp_path):
    cfg = tmp_path / "t.yaml"
    cfg.write_text("language: en\nlanguag: ru\n", encoding="utf-8")
    r = run("overdue", sample, "--config", cfg)
    assert r.exit_code == 2
    assert f"{cfg}:2" in r.stderr


def _console(*args, cwd=None):
    """The `tracker` console script as installed (tracker.cli:run), in a child process:
    it ends with os._exit, so exit codes and flushed output are checked from outside."""
    import subprocess
    import sys

    return subprocess.run([sys.executable, "-c", "from tracker.cli import run; run()", *map(str, args)],
                          capture_output=True, text=True, cwd=cwd, timeout=120)


def test_the_console_script_flushes_everything_and_keeps_exit_codes(tmp_path, sample):
    import openpyxl

    path = tmp_path / "slips.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["Date", "Call type", "Contact"])
    for i in range(3000):   # far more output than a pipe's buffer holds
        wb.active.append(["32.11.2026", "Interview", f"Person {i}"])
    wb.save(path)
    checked = _console("check", path, "--format", "json")
    assert checked.returncode == 1, checked.stderr
    assert len(json.loads(checked.stdout)) == 3000
    assert "3000 problems" in checked.stderr

    listed = _console("overdue", sample, "--as-of", AS_OF, "--format", "json")
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout == run("overdue", sample, "--as-of", AS_OF, "--format", "json").stdout

    missing = _console("check", tmp_path / "nope.xlsx")
    assert missing.returncode == 2 and missing.stdout == ""
    assert missing.stderr.count("\n") == 1 and "nope.xlsx" in missing.stderr
    usage = _console("overdue")
    assert usage.returncode == 2 and "Missing argument" in usage.stderr
    assert _console("--help").returncode == 0


def _console_into(target, *args, append=False):
    """The console script with stdout redirected into `target` (`>`, or `>>` when
    `append`), in the ANSI code page Windows gives a redirected stream."""
    import os
    import subprocess
    import sys

    env = dict(os.environ, PYTHONIOENCODING="cp1252")
    with open(target, "ab" if append else "wb") as out:
        return subprocess.run([sys.executable, "-c", "from tracker.cli import run; run()", *map(str, args)],
                              stdout=out, stderr=subprocess.PIPE, env=env, timeout=120)


def test_output_redirected_on_windows_is_utf8_and_csv_opens_in_excel(tmp_path, sample):
    # Windows writes a redirected stdout in cp1252: the first Chinese or Cyrillic name
    # used to stop `overdue --format csv > open.csv` with an internal error.
    listed = run("overdue", sample, "--as-of", AS_OF, "--all", "--format", "csv").stdout
    assert any(ord(ch) > 0x400 for ch in listed)   # the sample has names cp1252 lacks

    into = tmp_path / "open.csv"
    done = _console_into(into, "overdue", sample, "--as-of", AS_OF, "--all", "--format", "csv")
    assert done.returncode == 0, done.stderr
    data = into.read_bytes()
    # Excel reads a double-clicked .csv as UTF-8 only when it starts with a BOM.
    assert data.startswith(codecs.BOM_UTF8)
    assert data[3:].decode("utf-8").replace("\r\n", "\n") == listed
    with open(into, newline="", encoding="utf-8-sig") as f:
        rows = list(csv.reader(f))
    # (A draft of several paragraphs is one quoted cell over several lines.)
    assert rows[0][0] == "row" and len(rows) == len(list(csv.reader(io.StringIO(listed))))

    # Appended to a file that has text already, or sent down a pipe, no BOM.
    into.write_text("before\n", encoding="utf-8")
    _console_into(into, "overdue", sample, "--as-of", AS_OF, "--all", "--format", "csv", append=True)
    assert into.read_bytes() == b"before\n" + listed.encode("utf-8")
    piped = _console("overdue", sample, "--as-of", AS_OF, "--all", "--format", "csv")
    assert piped.returncode == 0 and piped.stdout == listed

    # JSON and tables are UTF-8 without a BOM: other programs read them.
    as_json = tmp_path / "open.json"
    assert _console_into(as_json, "overdue", sample, "--as-of", AS_OF, "--all", "--format", "json").returncode == 0
    assert json.loads(as_json.read_bytes().decode("utf-8")) == json.loads(
        run("overdue", sample, "--as-of", AS_OF, "--all", "--format", "json").stdout)
    stats = tmp_path / "stats.txt"
    assert _console_into(stats, "stats", sample).returncode == 0
    assert stats.read_bytes().decode("utf-8").strip() == run("stats", sample).stdout.strip()


def test_an_internal_error_is_one_line_and_a_report_not_a_traceback(copy, monkeypatch, tmp_path):
    # A bug of ours must not show a traceback: one line naming the error and a file
    # holding the traceback for a bug report; the workbook is not touched.
    from tracker import jobs

    def broken(*args, **kwargs):
        raise RuntimeError("a bug in the engine")

    monkeypatch.setattr(jobs, "chase_list", broken)
    import tempfile
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))   # where the report goes
    before = copy.read_bytes()
    result = CliRunner().invoke(main, ["overdue", str(copy)])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    [line] = [ln for ln in result.output.splitlines() if "internal error" in ln]
    assert "RuntimeError: a bug in the engine; nothing was written. Details: " in line
    report = Path(line.rsplit("Details: ", 1)[1])
    assert report.parent == tmp_path and "a bug in the engine" in report.read_text(encoding="utf-8")
    assert "Traceback" in report.read_text(encoding="utf-8") and copy.read_bytes() == before


@pytest.mark.parametrize("terminal, big, shown", [(True, True, True), (False, True, False), (True, False, False)])
def test_refresh_of_a_big_log_says_what_it_is_doing_on_a_terminal(copy, monkeypatch, terminal, big, shown):
    """Lines on stderr as each step starts, before the outcome; only on a terminal, and
    only for a log big enough to take seconds."""
    import openpyxl

    import tracker.cli
    import tracker.jobs

    monkeypatch.setattr(tracker.jobs, "stderr_is_terminal", lambda: terminal)
    size = copy.stat().st_size
    monkeypatch.setattr(tracker.cli, "PROGRESS_FROM_BYTES", size if big else size + 1)
    r = run("refresh", copy, "--as-of", AS_OF)
    assert r.exit_code == 0, r.stderr
    lines = r.stderr.splitlines()
    steps = [f"{copy}: reading...", f"{copy}: working out the statuses, due dates and summaries of",
             f"{copy}: writing..."]
    if shown:
        assert [line[:len(s)] for line, s in zip(lines, steps)] == steps, lines
        assert lines[len(steps)].startswith("Refreshed "), lines
    else:
        assert lines[0].startswith("Refreshed "), lines
    assert "Chase today" in openpyxl.load_workbook(copy, read_only=True).sheetnames


def test_notice_and_summary_name_the_unreadable_cells_of_their_row(unreadable):
    """A listing counts the log's unreadable cells; a notice or summary of one row names
    those of that row, and says nothing of the others."""
    for command in ("notice", "summary"):
        r = run(command, unreadable, "--row", 3)
        left_out = [line for line in r.stderr.splitlines() if line.endswith("(left out)")]
        assert left_out == ["Log!A3: error value #N/A in the cell (a formula that failed): "
                            "fix the formula or type the value (left out)"], (command, r.stderr)
        assert "Traceback" not in r.output
        r = run(command, unreadable, "--row", 2)
        assert "left out" not in r.stderr, (command, r.stderr)


def test_a_row_without_a_call_is_refused_with_the_rows_that_have_one(sample, tmp_path):
    from tracker import jobs
    from tracker.config import load_config

    log = jobs.read(sample, load_config())
    r = run("summary", sample, "--row", 10**6)
    assert r.exit_code == 2 and "Traceback" not in r.output
    assert r.stderr.strip() == (f"tracker: {sample}: no call at row 1000000 on sheet {log.sheet!r} "
                                f"(calls are on rows {log.records[0].row} to {log.records[-1].row})")
    empty = tmp_path / "empty.xlsx"
    assert run("init", empty).exit_code == 0
    r = run("notice", empty, "--row", 2)
    assert r.exit_code == 2 and "it has no calls below its header on row 1" in r.stderr, r.stderr


@pytest.mark.parametrize("case", ["own Stats sheet", "xls", "not a package"])
def test_refresh_refuses_what_it_could_never_write_before_its_work(copy, tmp_path, monkeypatch, case):
    """A sheet of the user's named like ours, a format we do not write, a broken file:
    told at once, as the write would tell it, not after the seconds a big log takes: a
    format or a file before the read; a sheet, whose name is in the log's language, once
    the log is read, before the work."""
    import openpyxl

    import tracker.jobs

    target, step = copy, "read"
    if case == "own Stats sheet":
        wb = openpyxl.load_workbook(copy)
        wb.create_sheet("stats")["A1"] = "my own numbers"   # sheet names ignore case
        wb.save(copy)
        expected = (f"tracker: {copy}: the workbook has a sheet 'stats' that Call Tracker did not write; rename it "
                    "(Call Tracker writes its own 'Stats' sheet) and run again; nothing was changed")
        step = "refresh_plan"
    elif case == "xls":
        target = tmp_path / "calls.xls"
        target.write_bytes(copy.read_bytes())
        # (an .xlsx renamed .xls: renaming it back is what to do)
        expected = (f"tracker: {target}: this is an .xlsx workbook under a .xls name; rename it to calls.xlsx "
                    "(.xlsm if it has macros) and refresh that; nothing was changed")
    else:
        target.write_bytes(b"PK\x03\x04 not really a zip")
        # (in the reader's words: found by a tester, refresh gave Python's own "File is not a zip file")
        expected = (f"tracker: {target}: the file is damaged (a broken zip archive); open it in Excel to repair "
                    "it, or use a backup; nothing was changed")
    before = target.read_bytes()
    called = []
    monkeypatch.setattr(tracker.jobs, step, lambda *a, **k: called.append(a))
    r = run("refresh", target, "--as-of", AS_OF)
    assert r.exit_code == 2 and r.stderr.startswith(expected), r.stderr
    assert called == [] and target.read_bytes() == before


def test_refresh_holds_the_lock_from_before_the_read_and_refuses_a_second_run_at_once(copy, monkeypatch):
    """Two runs on one workbook: the second is refused before it reads, not after a big
    log's seconds of work; the first holds the lock from its read to its write."""
    import socket
    import subprocess
    import sys

    import tracker.jobs
    from tracker.writeback import lock_path

    lock = lock_path(copy)
    real_read = tracker.jobs.read
    held = []
    monkeypatch.setattr(tracker.jobs, "read", lambda *a, **k: held.append(lock.exists()) or real_read(*a, **k))
    r = run("refresh", copy, "--as-of", AS_OF)
    assert r.exit_code == 0, r.stderr
    assert held == [True] and not lock.exists()

    other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        lock.write_text(f"{other.pid} {socket.gethostname()}\n")   # another run, alive
        before = copy.read_bytes()
        held.clear()
        r = run("refresh", copy, "--as-of", AS_OF)
        assert r.exit_code == 2 and held == [], r.stderr
        assert f"another Call Tracker run is updating this workbook (lock {lock.name}, pid {other.pid})" in r.stderr
        assert copy.read_bytes() == before and lock.read_text().split()[0] == str(other.pid)
    finally:
        other.kill()
        other.wait()
    # Its process gone, the lock is broken, and the run says so.
    r = run("refresh", copy, "--as-of", AS_OF)
    assert r.exit_code == 0 and "broke a stale lock" in r.stderr and not lock.exists(), r.stderr


def test_refresh_through_a_symlink_locks_and_replaces_the_file_it_points_to(copy, tmp_path):
    from tracker.writeback import lock_path

    link = tmp_path / "link.xlsx"
    link.symlink_to(copy)
    before = copy.read_bytes()
    r = run("refresh", link, "--as-of", AS_OF)
    assert r.exit_code == 0, r.stderr
    assert link.is_symlink() and copy.read_bytes() != before
    assert not lock_path(copy).exists() and not lock_path(link).exists()


@pytest.mark.parametrize("command, left", [
    (["refresh"], "the workbook was not changed"),
    (["reminders", "--ics", "x.ics"], "the workbook was not changed; files written before it stopped are kept"),
    (["overdue"], "nothing was written"),
])
def test_an_interrupt_says_what_it_left(copy, monkeypatch, command, left):
    """Ctrl-C: one line, no traceback, and only what is true of that command."""
    import tracker.jobs

    def interrupted(*a, **k):
        raise KeyboardInterrupt

    monkeypatch.setattr(tracker.jobs, "read", interrupted)
    before = copy.read_bytes()
    r = run(command[0], copy, *command[1:])
    assert r.exit_code == 2 and r.stderr == f"tracker: interrupted; {left}\n", r.stderr
    assert copy.read_bytes() == before


def test_reminders_never_replace_a_file_that_is_not_a_calendar_they_wrote(copy, tmp_path):
    import icalendar

    workbook = copy.read_bytes()
    drafts = tmp_path / "drafts"
    r = run("reminders", copy, "--from", "2026-11-23T09:00", "--ics", copy, "--eml", drafts)
    assert r.exit_code == 2 and r.stdout == "", r.output   # refused before the listing
    assert r.stderr.strip() == (f"tracker: {copy}: already exists and is not a calendar Call Tracker wrote; "
                                "not replacing it (give another file name, or move that file away first)")
    assert copy.read_bytes() == workbook and not drafts.exists()

    theirs = tmp_path / "mine.ics"
    theirs.write_bytes(b"BEGIN:VCALENDAR\r\nPRODID:-//Someone else//EN\r\nEND:VCALENDAR\r\n")
    before = theirs.read_bytes()
    assert run("reminders", copy, "--ics", theirs).exit_code == 2 and theirs.read_bytes() == before

    ours = tmp_path / "calls.ics"
    for _ in range(2):   # the second export replaces the first's calendar
        r = run("reminders", copy, "--from", "2026-11-23T09:00", "--ics", ours)
        assert r.exit_code == 0, r.output
    assert icalendar.Calendar.from_ical(ours.read_bytes()).walk("VEVENT")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["calls.ics", "calls.xlsx", "mine.ics"]


@pytest.mark.parametrize("args, says", [
    (("reminders", "--from", "2026-11-23T09:00", "--ics", "{blocked}/calls.ics"), "{blocked}: is a file, not a folder"),
    (("reminders", "--from", "2026-11-23T09:00", "--eml", "{blocked}/drafts"),
     "{blocked}/drafts: cannot make this folder: {blocked} is a file"),
    (("digest", "--as-of", "2026-11-23T09:00", "--out", "{blocked}/digests/today"),
     "{blocked}/digests/today: cannot make this folder: {blocked} is a file"),
])
def test_an_output_path_that_cannot_be_written_is_named_in_one_line(copy, tmp_path, args, says):
    blocked = tmp_path / "a-file"
    blocked.write_text("in the way")
    command, *options = args
    r = run(command, copy, *[o.format(blocked=blocked) for o in options])
    assert r.exit_code == 2, r.output
    assert r.stderr.strip() == "tracker: " + says.format(blocked=blocked)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file", "calls.xlsx"]


def test_reminders_to_a_date_include_that_whole_day(sample):
    def listed(to):
        r = run("reminders", sample, "--from", "2026-11-23T09:00", "--to", to, "--format", "json")
        assert r.exit_code == 0, r.output
        return json.loads(r.stdout)

    through_24th = listed("2026-11-24")
    assert any(item["at"].startswith("2026-11-24") for item in through_24th)
    assert through_24th == listed("2026-11-25T00:00")
    assert len(through_24th) > len(listed("2026-11-24T00:00"))


@pytest.mark.parametrize("args, says", [
    (("reminders", "--from", "2026-11-25", "--to", "2026-11-20"),
     "--to 2026-11-20 is not after --from 2026-11-25: the window would be empty"),
    (("reminders", "--from", "2026-11-23T10:00", "--to", "2026-11-23T10:00"),
     "--to 2026-11-23T10:00 is not after --from 2026-11-23T10:00: the window would be empty"),
    (("stats", "--since", "2026-12-01", "--until", "2026-11-01"),
     "--until 2026-11-01 is before --since 2026-12-01: no day would be counted"),
    # Found by a tester: a time was dropped in silence (that day's 09:00 rows still counted).
    (("stats", "--since", "2026-11-09T12:00"),
     "Invalid value for --since: 2026-11-09T12:00: give a day without a time, such as 2026-11-01: "
     "whole days are counted"),
    (("stats", "--until", "30.11.2026 18:00"),
     "Invalid value for --until: 30.11.2026 18:00: give a day without a time"),
])
def test_a_window_that_ends_before_it_begins_is_refused_not_listed_empty(sample, args, says):
    command, *options = args
    r = run(command, sample, *options)
    assert r.exit_code == 2 and r.stdout == "" and f"Error: {says}" in r.stderr, r.output


@pytest.mark.parametrize("command", ["overdue", "reminders", "digest", "summary", "refresh"])
def test_a_sheet_without_a_log_header_is_refused_not_listed_empty(copy, command):
    import openpyxl

    wb = openpyxl.load_workbook(copy)
    wb.create_sheet("Notes").append(["Just some notes", "about the week"])
    wb.save(copy)
    before = copy.read_bytes()
    r = run(command, copy, "--sheet", "Notes", *(["--all"] if command == "summary" else []))
    assert r.exit_code == 2 and r.stdout == "", r.output
    assert r.stderr.strip() == (f"tracker: {copy}: sheet 'Notes' has no call-log header row that Call Tracker "
                                f"recognises; run `tracker check {copy}` to see why"
                                + ("; the workbook was not changed" if command == "refresh" else ""))
    assert copy.read_bytes() == before


@pytest.mark.parametrize("sheet", ["Lists", "how to use", "Chase today"])
def test_a_sheet_call_tracker_writes_is_not_taken_for_the_log(tmp_path, sheet):
    log = tmp_path / "calls.xlsx"
    assert run("init", log).exit_code == 0
    assert run("refresh", log).exit_code == 0   # adds Chase today, Reminders, Stats
    before = log.read_bytes()
    for command in ("check", "refresh"):
        r = run(command, log, "--sheet", sheet)
        assert r.exit_code == 2 and "is one Call Tracker writes, not a call log" in r.stderr, r.output
    assert log.read_bytes() == before


def test_demo_run_again_keeps_each_earlier_workbook(tmp_path):
    # The earlier one was renamed after --as-of with the seconds at 00: two more runs
    # in that minute left one backup, silently.
    folder = tmp_path / "demo"
    kept, backups = [], []
    for n in range(3):
        path = folder / "call-log-demo.xlsx"
        if path.exists():
            kept.append(path.read_bytes())
        r = run("demo", folder, "--as-of", AS_OF)
        assert r.exit_code == 0, r.output
        said = [ln for ln in r.stdout.splitlines() if ln.startswith("(The previous demo workbook is kept as ")]
        assert len(said) == (1 if n else 0), r.stdout
        if said:
            backups.append(Path(said[0].split(" kept as ", 1)[1].rstrip(".)")))
    assert len(set(backups)) == 2 and [p.read_bytes() for p in backups] == kept


def test_likely_rejected_and_ghosted_are_marked_where_a_person_reads(tmp_path):
    # DOMAIN: a cancelled second round is marked likely rejected; a thread silent after
    # the last message is closed as ghosted. Both were in the JSON's `flag` only.
    import openpyxl

    path = tmp_path / "calls.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["Date", "Call type", "Client", "Contact", "Candidates", "Outcome"])
    wb.active.append([datetime(2026, 11, 5), "Repeat call", "Delta", "Dmitry S", "Olga K (E3)", "Cancelled"])
    wb.active.append([datetime(2026, 11, 2), "Repeat call", "Acme", "Anna Li", None, "No answer"])
    for day in (3, 5, 7):   # T+1, T+3 and the last message, unanswered
        wb.active.append([datetime(2026, 11, day), "Follow-up", "Acme", "Anna Li", None, None])
    wb.save(path)
    r = run("overdue", path, "--as-of", "2026-11-10T10:00")
    assert r.exit_code == 0, r.stderr
    [line] = [ln for ln in r.stdout.splitlines() if "Dmitry S" in ln]
    assert "Likely rejected — Phone: Call to learn the real" in line   # as the sheet writes it
    # The manager's digest too; the log names no manager (SM): its digest says so in its
    # heading and the HTML's title, which were blank.
    r = run("digest", path, "--as-of", "2026-11-10T10:00", "--out", tmp_path / "digests")
    assert r.exit_code == 0, r.stderr
    [html] = (tmp_path / "digests").glob("*.html")
    [text] = (tmp_path / "digests").glob("*.txt")
    [line] = [ln for ln in text.read_text("utf-8").splitlines() if ln.startswith("- Dmitry S")]
    assert "— Likely rejected — Phone: Call to learn the real reason" in line
    title = re.search(r"<title>(.*?)</title>", html.read_text("utf-8")).group(1)
    assert title.startswith("No manager, ")
    printed = run("digest", path, "--as-of", "2026-11-10T10:00").stdout.splitlines()
    assert printed[0] == f"=== {title} ==="
    assert run("refresh", path, "--as-of", "2026-11-10T10:00").exit_code == 0
    ws = openpyxl.load_workbook(path).active
    header = [c.value for c in ws[1]]
    action = {row[3]: row[header.index("Next action")] for row in ws.iter_rows(min_row=2, values_only=True)}
    assert action["Dmitry S"].startswith("Likely rejected — Phone: ")
    statuses = [row[header.index("Status")] for row in ws.iter_rows(min_row=2, values_only=True)]
    nexts = [row[header.index("Next action")] for row in ws.iter_rows(min_row=2, values_only=True)]
    assert statuses[-1] == "Done" and nexts[-1] == "Ghosted" and nexts[1:-1] == [None] * 3
    # The marked texts are ours: the next refresh writes over them, not beside them.
    assert run("refresh", path, "--as-of", "2026-11-10T10:00").exit_code == 0
    assert [c.value for c in openpyxl.load_workbook(path).active[1]] == header


def test_our_columns_named_in_tracker_yaml_like_the_users_own_never_take_theirs(tmp_path):
    """tracker.yaml giving our Status and Due the words "Result" and "Follow-up date",
    which this log reads as its Outcome and Next contact: refresh wrote statuses over the
    outcomes. As headers of ours they are refused at load; as further words for our
    columns they must not lead refresh into the user's."""
    import openpyxl

    path = tmp_path / "calls.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Date", "Time", "Call type", "Client", "Contact", "Result", "Follow-up date"])
    ws.append([datetime(2026, 11, 24), "15:00", "Interview", "Acme", "Carl", "Planned", None])
    ws.append([datetime(2026, 11, 20), "10:00", "First call", "Beta", "Bob", "Replied", datetime(2026, 12, 15)])
    wb.save(path)
    before = path.read_bytes()
    config = tmp_path / "tracker.yaml"
    config.write_text("headers:\n  status: {en: Result}\n  due: {en: Follow-up date}\n", encoding="utf-8")
    r = run("refresh", path, "--as-of", AS_OF)
    assert r.exit_code == 2 and f"{config}:2: `headers.status.en` 'Result' is a header word for `outcome`" in r.stderr
    assert path.read_bytes() == before
    config.write_text("columns:\n  status: [Result]\n  due: [Follow-up date]\n", encoding="utf-8")
    mine = [[c.value for c in row[:7]] for row in openpyxl.load_workbook(path).active.iter_rows()]
    for _ in range(2):   # the second refresh finds our columns where the first put them
        r = run("refresh", path, "--as-of", AS_OF)
        assert r.exit_code == 0, r.stderr
        ws = openpyxl.load_workbook(path).active
        assert [[c.value for c in row[:7]] for row in ws.iter_rows()] == mine
        header = [c.value for c in ws[1]]
        assert header[7:9] == ["Status", "Due"] and len(header) == 11, header
    assert run("check", path).exit_code == 0
    # A team whose own Status column is its stage (columns.stage: [Status]): ours beside.
    path = tmp_path / "stage.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["Date", "Call type", "Contact", "Status", "Outcome"])
    wb.active.append([datetime(2026, 11, 20), "First call", "Anna", "Screening", "No answer"])
    wb.save(path)
    config.write_text("columns:\n  stage: [Status]\n", encoding="utf-8")
    for _ in range(2):
        assert run("refresh", path, "--as-of", AS_OF).exit_code == 0
    rows = [[c.value for c in row] for row in openpyxl.load_workbook(path).active.iter_rows()]
    assert rows[0][3:6] == ["Status", "Outcome", "Status (Call Tracker)"] and len(rows[0]) == 9
    assert rows[1][3] == "Screening" and run("check", path).exit_code == 0


def test_a_log_with_the_users_own_status_reads_cleanly_after_refresh_and_keeps_its_columns(tmp_path):
    # Ours went beside theirs as "Status (Call Tracker)"; check then called it a duplicate
    # Status column, and the second refresh took our own Due for the user's and added
    # "Due (Call Tracker)" beside it.
    import openpyxl

    path = tmp_path / "own.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["Date", "Call type", "Client", "Contact", "Status", "Next contact"])
    wb.active.append([datetime(2026, 11, 20), "First call", "Acme", "Jane", "hot lead", datetime(2026, 11, 23)])
    wb.active.append([datetime(2026, 11, 21), "Interview", "Beta", "Ann", "warm", None])
    wb.save(path)
    headers = ["Date", "Call type", "Client", "Contact", "Status", "Next contact",
               "Status (Call Tracker)", "Due", "Next action", "Summary"]
    for _ in range(2):
        assert run("refresh", path, "--as-of", AS_OF).exit_code == 0
        rows = list(openpyxl.load_workbook(path).active.iter_rows(values_only=True))
        assert list(rows[0]) == headers
        assert [r[4] for r in rows[1:]] == ["hot lead", "warm"] and rows[1][6:8] == ("Due today", datetime(2026, 11, 23))
        checked = run("check", path)
        assert checked.exit_code == 0 and "0 problems" in checked.stderr, checked.output


def test_next_action_reads_in_the_sheets_language_whatever_the_rows(tmp_path):
    # A Russian log with an English-speaking candidate: the channel was Russian, the
    # action English ("Телефон: Call ..."); the user's own Next step stays as written.
    import openpyxl

    path = tmp_path / "calls.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["Дата", "Вид звонка", "Клиент", "Контакт", "Результат", "Следующий контакт",
                      "Следующий шаг", "Язык"])
    wb.active.append([datetime(2026, 11, 20), "Повторный звонок", "Acme", "Anna Li", "Нет ответа", None, None, "en"])
    wb.active.append([datetime(2026, 11, 20), "Повторный звонок", "Beta", "Ivan Li", "Ответил",
                      datetime(2026, 11, 22), "Wait 2 days, then call", "en"])
    wb.save(path)
    assert run("refresh", path, "--as-of", "2026-11-21T10:00").exit_code == 0
    ws = openpyxl.load_workbook(path).active
    header = [c.value for c in ws[1]]
    actions = [row[header.index("Следующее действие")] for row in ws.iter_rows(min_row=2, values_only=True)]
    from tracker.config import load_config

    steps = load_config().section("followups")["steps"]
    assert actions[0].endswith(steps["t1"]["action"]["ru"]), actions
    assert actions[1] == "Wait 2 days, then call", actions


def test_dates_refresh_writes_read_in_the_logs_language(tmp_path):
    # A Russian log from init shows 23.11.2026; Due, Chase today and Reminders showed
    # 2026-11-23, whatever the language.
    import openpyxl

    from tracker.newbook import load_definition

    path = tmp_path / "calls.xlsx"
    assert run("init", path, "--lang", "ru").exit_code == 0
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    header = [c.value for c in ws[1]]
    # An interview tomorrow: its confirmation call is due today, its reminders tomorrow.
    row = {"Дата": datetime(2026, 11, 25), "Время": "14:00", "Вид звонка": "Интервью", "Контакт": "Анна",
           "Кандидаты": "Иван Петров (E1)", "Клиент": "Ромашка"}
    for name, value in row.items():
        ws.cell(2, header.index(name) + 1, value)
    wb.save(path)
    assert run("refresh", path, "--as-of", "2026-11-24T09:00").exit_code == 0
    wb = openpyxl.load_workbook(path)
    definition = load_definition()
    date_ru, datetime_ru = definition.number_format("date", "ru"), definition.number_format("datetime", "ru")
    assert date_ru == "dd.mm.yyyy"
    assert wb.worksheets[0].cell(2, header.index("Срок") + 1).number_format == date_ru
    assert wb["Позвонить сегодня"]["A2"].number_format == date_ru
    assert wb["Напоминания"]["A2"].number_format == datetime_ru and wb["Напоминания"]["F2"].number_format == datetime_ru


def test_reminders_say_which_calls_have_no_time_to_count_minutes_from(tmp_path):
    # The client is e-mailed 15 minutes before a first call (seed 002): without a time it
    # cannot be, and nothing said so (check: 0 problems; reminders: an empty list).
    import openpyxl

    path = tmp_path / "calls.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "Calls"
    wb.active.append(["Date", "Time", "Call type", "Client", "Contact", "E-mail"])
    wb.active.append([datetime(2026, 11, 23), None, "First call", "Acme", "John Smith", "j@acme.example"])
    wb.active.append([datetime(2026, 11, 23), "15:00", "First call", "Beta", "Petr Ivanov", "p@beta.example"])
    wb.active.append([datetime(2026, 12, 10), None, "First call", "Gamma", "Lena", "l@gamma.example"])   # later
    wb.save(path)
    r = run("reminders", path, "--from", "2026-11-20", "--to", "2026-11-24")
    assert r.exit_code == 0, r.stderr
    assert "Petr Ivanov" in r.stdout and "John Smith" not in r.stdout
    said = [line for line in r.stderr.splitlines() if "has no time" in line]
    assert said == ["Calls!B2: First call on 2026-11-23 has no time, so its reminders set minutes before it "
                    "cannot be placed; write its time"]


@pytest.mark.parametrize("as_of", ["9999-12-31T23:00+03:00", "0001-01-01"])
def test_a_date_at_the_calendars_end_is_refused_not_an_internal_error(copy, as_of):
    for command in (["overdue", copy, "--as-of", as_of], ["refresh", copy, "--as-of", as_of],
                    ["reminders", copy, "--from", as_of]):
        r = run(*command)
        assert r.exit_code == 2 and "is out of range: give a day from 1901 to 9998" in r.stderr, r.output


def test_dates_of_the_options_as_the_log_takes_them(sample):
    """Found trying the product as a Russian consultant: --as-of "23.11.2026 09:00" was
    refused while the workbook takes 23.11.2026; --as-of '' meant now, silently."""
    iso = run("overdue", sample, "--as-of", "2026-11-23T09:00", "--all", "--format", "json").stdout
    for typed in ("23.11.2026 09:00", "2026年11月23日 9:00", "2026-11-23T9:00"):
        r = run("overdue", sample, "--as-of", typed, "--all", "--format", "json")
        assert r.exit_code == 0 and r.stdout == iso, (typed, r.stderr)
    # --to a date alone includes its day, however it is written.
    to = [run("reminders", sample, "--from", "2026-11-23", "--to", t, "--format", "json").stdout
          for t in ("2026-11-24", "24.11.2026")]
    assert to[0] == to[1] and "2026-11-24" in to[0]
    for bad, said in (("", "empty; write a date such as 2026-11-22"),
                      ("03/04/2026", "'03/04/2026' could be day first or month first; write it as 2026-11-22"),
                      ("03-04-2026", "could be day first or month first"),
                      ("０３／０４／２０２６", "could be day first or month first"),
                      ("junk", "'junk' is not a date-time; write 2026-11-22")):
        r = run("overdue", sample, "--as-of", bad)
        assert r.exit_code == 2 and said in r.stderr, r.stderr


def test_a_table_cuts_long_and_wide_cells_at_the_same_columns_whatever_their_script():
    from tracker.output import text_width, to_table

    message = "周婷您好，" * 40 + "end"
    rows = [{"who": "周婷", "message": message}, {"who": "Anna", "message": "Hello " * 30}]
    lines = to_table(rows, ["who", "message"]).splitlines()
    # Both cut messages end at the rule's last column, in columns a terminal shows (a
    # wide character does not fit the last one left: one column short, then).
    assert lines[2].endswith("…") and lines[3].endswith("…")
    assert text_width(lines[3]) == text_width(lines[1]) and text_width(lines[1]) - text_width(lines[2]) in (0, 1)
    assert text_width(message, 48) > 48 and text_width(message) == 2 * 200 + 3


def test_refresh_names_its_sheets_in_the_logs_language_and_renames_those_an_earlier_one_wrote(tmp_path):
    """A Russian log gets Russian tabs. One refreshed before under the English names (an
    earlier build, or headers since changed language) has those sheets renamed and
    rewritten, not a second set beside them; a user's own sheet of such a name stays."""
    import openpyxl
    from python_calamine import CalamineWorkbook

    from tracker import jobs
    from tracker.config import load_config
    from tracker.sample import write_sample
    from tracker.writeback import apply

    config = load_config()
    path = tmp_path / "ru.xlsx"
    write_sample(path, config, NOW, lang="ru")
    wb = openpyxl.load_workbook(path)
    wb.create_sheet("Reminders")["A1"] = "my own reminders"   # the user's, under an English name
    wb.save(path)
    # As an earlier build wrote them: English names, the Reminders one not ours to take.
    plan = jobs.refresh_plan(jobs.read(path, config), config, NOW)
    plan.sheets = [s for s in plan.sheets if s.name != "Напоминания"]
    for sheet, english in zip(plan.sheets, ("Chase today", "Stats")):
        sheet.name, sheet.formerly = english, ()
    apply(path, plan, now=NOW)
    before = CalamineWorkbook.from_path(str(path)).sheet_names
    assert {"Chase today", "Stats", "Reminders"} <= set(before)

    r = run("refresh", path, "--as-of", AS_OF)
    assert r.exit_code == 0, r.stderr
    assert "Лист «Chase today» переименован в «Позвонить сегодня» по языку журнала и настройке sheet_names." in r.stderr
    assert "Лист «Stats» переименован в «Статистика» по языку журнала и настройке sheet_names." in r.stderr
    names = CalamineWorkbook.from_path(str(path)).sheet_names
    assert names == [{"Chase today": "Позвонить сегодня", "Stats": "Статистика"}.get(n, n) for n in before] + ["Напоминания"]
    wb = openpyxl.load_workbook(path)
    assert wb["Reminders"]["A1"].value == "my own reminders"
    assert wb["Позвонить сегодня"]["A1"].value == "Срок"   # rewritten in Russian, in place
    chart = wb["Статистика"]._charts[0]
    assert "'Статистика'!" in chart.series[0].val.numRef.f   # the chart reads the renamed sheet
    # Refreshed again: the same names, nothing renamed.
    r = run("refresh", path, "--as-of", AS_OF)
    assert r.exit_code == 0 and "переименован" not in r.stderr, r.stderr
    assert CalamineWorkbook.from_path(str(path)).sheet_names == names


def test_refresh_refuses_a_protected_log_sheet_as_excel_would(tmp_path):
    """Found by a robustness pass: refresh wrote its columns into a sheet the user had
    protected (Review > Protect Sheet), which Excel itself refuses to change."""
    import xlsxwriter

    path = tmp_path / "protected.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Log")
    ws.write_row(0, 0, ["Date", "Time", "Call type", "Client", "Contact", "Outcome"])
    ws.write_row(1, 0, ["2026-11-18", "10:00", "First call", "Acme", "John Doe", "No answer"])
    ws.protect("pw")
    wb.close()
    before = path.read_bytes()
    r = run("refresh", path, "--as-of", AS_OF)
    assert r.exit_code == 2 and "Traceback" not in r.output
    assert r.stderr.startswith(f"tracker: {path}: the sheet 'Log' is protected; unprotect it "
                               "(Review > Unprotect Sheet) to let Call Tracker write its columns; nothing was changed")
    assert path.read_bytes() == before


def test_the_drafts_of_our_sheets_wrap_in_rows_tall_enough_for_them(tmp_path):
    """Found trying the product as a Chinese consultant (rendered by LibreOffice): a draft
    of several lines showed its last line only, a Chinese one (no spaces) was cut at the
    column's edge. The action and draft columns of Chase today and Reminders wrap, top
    aligned, in rows as tall as their longest text (at most 12 lines)."""
    import openpyxl

    from tracker.config import load_config
    from tracker.output import wrapped_lines
    from tracker.sample import write_sample

    path = tmp_path / "zh.xlsx"
    write_sample(path, load_config(), NOW, lang="zh")
    assert run("refresh", path, "--as-of", AS_OF).exit_code == 0
    wb = openpyxl.load_workbook(path)
    for name, width in (("今日跟进", 70), ("提醒", 70)):
        ws = wb[name]
        drafts = [(r, ws.cell(r, 8).value) for r in range(2, ws.max_row + 1) if ws.cell(r, 8).value]
        assert drafts, name
        for r, text in drafts:
            cell = ws.cell(r, 8)
            assert cell.alignment.wrap_text and cell.alignment.vertical == "top", (name, r)
            lines = min(wrapped_lines(text, width), 12)
            assert (ws.row_dimensions[r].height or 15) >= lines * 15, (name, r, text)
        assert any(wrapped_lines(text, width) > 1 for _, text in drafts)


@pytest.mark.parametrize("command", ["check", "refresh"])
def test_an_empty_file_is_called_empty_by_every_command(tmp_path, command):
    # Found by a tester: refresh called a 0-byte file "not a zip package".
    path = tmp_path / "zero.xlsx"
    path.write_bytes(b"")
    r = run(command, path)
    assert r.exit_code == 2 and f"{path}: the file is empty (0 bytes), not a workbook" in r.stderr, r.stderr
    assert path.read_bytes() == b""


def test_a_candidate_who_withdraws_attended_nothing_and_is_chased_no_more(tmp_path):
    # 辞退 is the candidate's word for pulling out; it read as "rejected" (the client's
    # verdict), which on an interview row counted as an interview held.
    path = tmp_path / "ja.xlsx"
    rows = [  # date, call type, contact, outcome
        ("2026-11-16", "Interview notice", "Aoki", "Done"),
        ("2026-11-17", "Follow-up", "Aoki", "辞退"),        # withdraws on a call of her own
        ("2026-11-16", "Interview notice", "Baba", "Done"),
        ("2026-11-18", "Interview", "Baba", "Withdrawn"),
        ("2026-11-16", "Interview notice", "Chiba", "Done"),
        ("2026-11-18", "Interview", "Chiba", "Rejected"),   # held; the client said no
    ]
    typed_log(path, [{"ID": i, "Date": day, "Call type": kind, "Contact": who, "Outcome": outcome,
                     "Client": "Acme", "SM": "Anna"} for i, (day, kind, who, outcome) in enumerate(rows, start=1)])
    assert json.loads(run("check", path, "--format", "json").stdout) == []

    r = run("stats", path, "--format", "json", "--since", "2026-11-16", "--until", "2026-11-22")
    assert r.exit_code == 0, r.stderr
    [week] = [x for x in json.loads(r.stdout) if x["period"] == "*" and x["manager"] == "*"
              and x["file"] == "*"]
    assert (week["invited"], week["confirmed"], week["attended"], week["no_show"]) == (3, 1, 1, 0)

    r = run("overdue", path, "--as-of", "2026-11-23T09:00", "--format", "json")
    assert {item["contact"] for item in json.loads(r.stdout)} <= {"Chiba"}


def test_our_sheets_renamed_in_sheet_names_are_renamed_not_doubled(sample, tmp_path):
    # Found by a tester: after `sheet_names: {chase: {en: To chase}}`, a refresh added "To
    # chase" beside the old "Chase today", which then went stale.
    from python_calamine import CalamineWorkbook

    path = tmp_path / "calls.xlsx"
    path.write_bytes(sample.read_bytes())
    assert run("refresh", path, "--as-of", AS_OF).exit_code == 0
    (tmp_path / "tracker.yaml").write_text("sheet_names:\n  chase: {en: To chase}\n  stats: {en: Team stats}\n",
                                           encoding="utf-8")
    r = run("refresh", path, "--as-of", AS_OF)
    assert r.exit_code == 0, r.stderr
    names = CalamineWorkbook.from_path(str(path)).sheet_names
    assert "To chase" in names and "Team stats" in names
    assert "Chase today" not in names and "Stats" not in names
    assert "Sheet 'Chase today' renamed 'To chase'" in r.stderr


def test_a_protected_log_sheet_is_refused_before_the_work(tmp_path, monkeypatch):
    # Found by a tester: on a 100 000-row log the refusal came after 12-18 s of reading,
    # working out and writing. The read's own pass over the sheet sees the protection.
    import xlsxwriter

    from tracker import jobs, writeback
    from tracker.config import load_config

    for formulas in (False, True):   # the scan's two paths: no formula or error cell, some
        path = tmp_path / f"protected-{formulas}.xlsx"
        wb = xlsxwriter.Workbook(str(path))
        ws = wb.add_worksheet("Log")
        ws.write_row(0, 0, ["Date", "Time", "Call type", "Client", "Contact", "Outcome", "Note"])
        ws.write_row(1, 0, ["2026-11-18", "10:00", "First call", "Acme", "John Doe", "No answer"])
        if formulas:
            ws.write_formula(1, 6, "=1+1")
        ws.protect("pw")
        wb.close()
        config = load_config()
        log = jobs.read(path, config)
        assert log.protected
        monkeypatch.setattr(jobs, "refresh_plan", lambda *a, **k: pytest.fail("worked out a protected log"))
        with pytest.raises(writeback.WorkbookError, match="'Log' is protected"):
            jobs.refresh(path, log, config, datetime(2026, 11, 23, 9))
        monkeypatch.undo()


def test_a_log_sheet_not_protected_reads_so(sample):
    from tracker import jobs
    from tracker.config import load_config

    assert jobs.read(sample, load_config()).protected is False


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full (Linux) to fill a disk")
def test_closed_or_full_output_is_said_with_its_exit_code_never_a_traceback(sample):
    # Found by a tester: `>&-` gave a traceback from the final flush and exit 1;
    # `2>&-` on a missing file exit 1 instead of 2; `> /dev/full` an "internal error".
    import subprocess
    import sys

    def console(*args, stdout=None, stderr=subprocess.PIPE, **kw):
        return subprocess.run([sys.executable, "-c", "from tracker.cli import run; run()", *map(str, args)],
                              stdout=stdout, stderr=stderr, text=True, timeout=120, **kw)

    closed_out = subprocess.run(f'"{sys.executable}" -c "from tracker.cli import run; run()" '
                                f'overdue "{sample}" --as-of {AS_OF} >&-', shell=True, capture_output=True, text=True)
    assert closed_out.returncode == 0 and "Traceback" not in closed_out.stderr, closed_out.stderr
    closed_err = subprocess.run(f'"{sys.executable}" -c "from tracker.cli import run; run()" '
                                f'overdue nope.xlsx 2>&-', shell=True, capture_output=True, text=True)
    assert closed_err.returncode == 2
    with open("/dev/full", "w") as full:
        r = console("overdue", sample, "--as-of", AS_OF, stdout=full)
    assert r.returncode == 2 and "Traceback" not in r.stderr and "internal error" not in r.stderr, r.stderr
    assert "cannot write" in r.stderr and "No space left" in r.stderr


def test_check_prints_each_message_whole(tmp_path):
    # Found by a tester: every message was cut at 48 characters in the table, hiding what
    # to do ("not a date: expected a date such as 2026-11-22,…"); JSON had it whole.
    path = tmp_path / "calls.xlsx"
    typed_log(path, [{"Date": "32.11.2026", "Call type": "Interview", "Contact": "Ann"}])
    [problem] = json.loads(run("check", path, "--format", "json").stdout)
    assert len(problem["message"]) > 48
    assert problem["message"] in run("check", path).stdout


def test_a_cell_read_all_the_same_is_not_said_to_be_left_out(tmp_path):
    # A date written the other way round from the log's other dates is read (it has one
    # reading) and listed by check; the listings' note must not call it left out.
    import openpyxl

    path = tmp_path / "calls.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["Date", "Call type", "Contact", "Outcome"])
    for d in ("11/05/2026", "11/24/2026", "11/25/2026", "25/11/2026"):
        wb.active.append([d, "Follow-up", "Ann", "No answer"])
    wb.save(path)
    [problem] = json.loads(run("check", path, "--format", "json").stdout)
    assert problem["read"] is True and problem["value"] == "25/11/2026"
    r = run("overdue", path, "--as-of", AS_OF)
    assert "1 thing to look at; run `tracker check" in r.stderr and "left out" not in r.stderr, r.stderr


def test_an_old_xls_is_told_apart_from_an_encrypted_workbook(tmp_path):
    # Found by a tester: refresh on a real .xls said "encrypted (password to open) or an
    # old .xls file", though its name says which.
    old = tmp_path / "calls.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504)
    r = run("refresh", old, "--as-of", AS_OF)
    assert r.exit_code == 2 and "an old .xls workbook cannot be updated" in r.stderr and "password" not in r.stderr, \
        r.stderr
    locked = tmp_path / "calls.xlsx"
    locked.write_bytes(old.read_bytes() + "EncryptedPackage".encode("utf-16-le"))
    r = run("refresh", locked, "--as-of", AS_OF)
    assert r.exit_code == 2 and "password-protected" in r.stderr and ".xls" not in r.stderr.replace(".xlsx", ""), \
        r.stderr


def test_the_demo_piped_into_head_still_refreshes_its_workbook(tmp_path):
    # Found by a tester: `tracker demo dp | head -1` exited 0, silently, with a workbook
    # that had no Chase today, Reminders or Stats sheets: the refresh never ran.
    import subprocess
    import sys

    from python_calamine import CalamineWorkbook

    folder = tmp_path / "dp"
    r = subprocess.run(f'"{sys.executable}" -c "from tracker.cli import run; run()" demo "{folder}" '
                       f'--as-of {AS_OF} | head -1', shell=True, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0 and "Traceback" not in r.stderr, r.stderr
    [book] = folder.glob("*.xlsx")
    assert {"Chase today", "Reminders", "Stats"} <= set(CalamineWorkbook.from_path(str(book)).sheet_names)


# ---------------------------------------------------------------- digest over a team's logs

def _team_log(path: Path, who: str, client: str, *, manager: str = "Olga") -> Path:
    """A consultant's log: a first call whose next contact (Friday 20 Nov) is overdue on
    Monday 23 Nov, and an interview on Tuesday at 10:00 (reminders today and tomorrow)."""
    from datetime import time

    path.parent.mkdir(parents=True, exist_ok=True)
    return typed_log(path, [
        {"Date": datetime(2026, 11, 16), "Call type": "First call", "Client": client, "Contact": who,
         "Outcome": "Done", "Next contact": datetime(2026, 11, 20), "SM": manager},
        {"Date": datetime(2026, 11, 24), "Time": time(10, 0), "Call type": "Interview", "Client": client,
         "Candidates": f"{who}'s candidate", "Outcome": "Planned", "SM": manager},
    ])


def _lines_naming(text: str, what: str) -> list[str]:
    return [line for line in text.splitlines() if what in line]


def test_a_team_digest_gives_each_manager_one_message_naming_each_items_workbook(tmp_path):
    # Found by a tester: `tracker digest a.xlsx b.xlsx` was "unexpected extra argument", and
    # a team lead wants one message per manager over the team's logs.
    ann = _team_log(tmp_path / "team" / "ann.xlsx", "Alice", "Acme")
    tom = _team_log(tmp_path / "team" / "tom.xlsx", "Bruno", "Globex")
    _team_log(tmp_path / "team" / "max.xlsx", "Carla", "Initech", manager="Max")
    out = tmp_path / "digests"
    r = run("digest", ann, tom, tmp_path / "team" / "max.xlsx", "--as-of", AS_OF, "--out", out)
    assert r.exit_code == 0 and "Traceback" not in r.output, r.output
    # Named by manager and day alone: no one workbook's name.
    assert sorted(p.name for p in out.iterdir()) == [
        "digest_2026-11-23_Max.html", "digest_2026-11-23_Max.txt",
        "digest_2026-11-23_Olga.html", "digest_2026-11-23_Olga.txt"]
    olga = (out / "digest_2026-11-23_Olga.txt").read_text(encoding="utf-8")
    # Both logs' overdue chases and reminders in Olga's one message, each naming its log.
    [alice] = _lines_naming(olga, "Alice (Acme)")
    [bruno] = _lines_naming(olga, "Bruno (Globex)")
    assert alice.endswith("[ann.xlsx: Call log!2]") and bruno.endswith("[tom.xlsx: Call log!2]"), olga
    reminders = [line for line in olga.splitlines() if re.match(r"- \d\d:\d\d ", line)]
    assert {line.rsplit("[", 1)[1] for line in reminders} == {"ann.xlsx: Call log!3]", "tom.xlsx: Call log!3]"}
    assert "Carla" not in olga and "Initech" not in olga
    html = (out / "digest_2026-11-23_Olga.html").read_text(encoding="utf-8")
    assert "[ann.xlsx: Call log!2]" in html and "[tom.xlsx: Call log!2]" in html
    # Printed, the same messages; a folder of them is the same team.
    printed = run("digest", tmp_path / "team", "--as-of", AS_OF)
    assert printed.exit_code == 0, printed.output
    assert olga.rstrip("\n") in printed.stdout and "Carla" in printed.stdout
    assert "tracker digest team/anna.xlsx team/tom.xlsx" in run("digest", "--help").stdout


def test_a_team_digest_leaves_out_a_workbook_that_cannot_be_read_and_names_it(tmp_path):
    team = tmp_path / "team"
    ann = _team_log(team / "ann.xlsx", "Alice", "Acme")
    tom = _team_log(team / "tom.xlsx", "Bruno", "Globex")
    broken = team / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a workbook")
    out = tmp_path / "digests"
    # As `overdue`: the others still done, the bad one named, exit 2.
    r = run("digest", ann, broken, tom, "--as-of", AS_OF, "--out", out)
    assert r.exit_code == 2 and "Traceback" not in r.output, r.output
    said = r.stderr.splitlines()
    assert any(line.startswith(f"tracker: {broken}: ") and "damaged" in line for line in said), said
    assert said[-1] == f"tracker: 1 of 3 workbooks could not be read: {broken}", said
    olga = (out / "digest_2026-11-23_Olga.txt").read_text(encoding="utf-8")
    assert _lines_naming(olga, "Alice (Acme)") and _lines_naming(olga, "Bruno (Globex)")
    assert "broken" not in olga
    overdue = run("overdue", ann, broken, tom, "--as-of", AS_OF)
    assert overdue.exit_code == r.exit_code


def test_same_named_workbooks_of_a_team_are_told_apart_and_never_written_over(tmp_path):
    # Found by a tester: a/calls.xlsx and b/calls.xlsx both wrote
    # digest_..._Anna_Petrova_calls.txt, b's over a's.
    a = _team_log(tmp_path / "a" / "calls.xlsx", "Alice", "Acme", manager="Anna Petrova")
    b = _team_log(tmp_path / "b" / "calls.xlsx", "Bruno", "Globex", manager="Anna Petrova")
    out = tmp_path / "digests"
    r = run("digest", a, b, "--as-of", AS_OF, "--out", out)
    assert r.exit_code == 0, r.output
    assert sorted(p.name for p in out.iterdir()) == ["digest_2026-11-23_Anna_Petrova.html",
                                                      "digest_2026-11-23_Anna_Petrova.txt"]
    text = (out / "digest_2026-11-23_Anna_Petrova.txt").read_text(encoding="utf-8")
    [alice] = _lines_naming(text, "Alice (Acme)")
    [bruno] = _lines_naming(text, "Bruno (Globex)")
    assert alice.endswith("[a/calls.xlsx: Call log!2]") and bruno.endswith("[b/calls.xlsx: Call log!2]"), text
    # Each log's interview on row 3: its confirmation call today and its reminder tomorrow.
    for book, who in (("a", "Alice"), ("b", "Bruno")):
        mine = _lines_naming(text, f"[{book}/calls.xlsx: Call log!3]")
        assert [line.split(" — ")[0] for line in mine] == [f"- {who}'s candidate ({'Acme' if book == 'a' else 'Globex'})",
                                                            f"- 09:40 candidates: {who}'s candidate (SMS)"], text
    assert not (tmp_path / "digests" / ".call-tracker-backups").exists()


def test_a_workbook_named_alone_gets_its_digest_as_before(tmp_path):
    calls = _team_log(tmp_path / "calls.xlsx", "Alice", "Acme")
    out = tmp_path / "digests"
    r = run("digest", calls, "--as-of", AS_OF, "--out", out)
    assert r.exit_code == 0, r.output
    # Named by its workbook too, and its items by sheet and row alone.
    assert sorted(p.name for p in out.iterdir()) == ["digest_2026-11-23_Olga_calls.html",
                                                      "digest_2026-11-23_Olga_calls.txt"]
    [alice] = _lines_naming((out / "digest_2026-11-23_Olga_calls.txt").read_text(encoding="utf-8"), "Alice (Acme)")
    assert alice.endswith(" [Call log!2]"), alice


# ---------------------------------------------------------------- CSV for the consultant's Excel, tables for the window

def _user_settings(monkeypatch, tmp_path, text: str) -> None:
    """`text` as the tracker.yaml of the user's config folder (on Linux, macOS and Windows)."""
    folder = tmp_path / "user-config"
    for name in ("call-tracker", "CallTracker"):
        (folder / name).mkdir(parents=True)
        (folder / name / "tracker.yaml").write_text(text, encoding="utf-8")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(folder))
    monkeypatch.setenv("APPDATA", str(folder))


def _csv_rows(text: str, delimiter: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text), delimiter=delimiter))


def test_csv_separator_set_once_for_the_user_and_changed_for_one_run(sample, tmp_path, monkeypatch):
    """Found by a tester: a Russian or German Excel splits a double-clicked .csv on ";", so
    every listing came out in one column. Set once in the user's tracker.yaml; --csv-sep
    for one run."""
    from tracker.jobs import FOLLOWUP_COLUMNS, REMINDER_COLUMNS

    _user_settings(monkeypatch, tmp_path, 'csv_separator: ";"\n')
    chases = json.loads(run("overdue", sample, "--as-of", AS_OF, "--all", "--format", "json").stdout)
    assert len(chases) > 10
    for option, delimiter in (((), ";"), (("--csv-sep", ","), ","), (("--csv-sep", "tab"), "\t"),
                              (("--csv-sep", ";"), ";")):
        r = run("overdue", sample, "--as-of", AS_OF, "--all", "--format", "csv", *option)
        assert r.exit_code == 0, r.stderr
        assert r.stdout.splitlines()[0] == delimiter.join(FOLLOWUP_COLUMNS)
        rows = _csv_rows(r.stdout, delimiter)
        assert [(int(row["row"]), row["who"], row["message"]) for row in rows] == [
            (c["row"], c["who"], c["message"]) for c in chases]
    reminders = json.loads(run("reminders", sample, "--from", AS_OF, "--to", "2026-11-30", "--format", "json").stdout)
    r = run("reminders", sample, "--from", AS_OF, "--to", "2026-11-30", "--format", "csv")
    assert r.stdout.splitlines()[0] == ";".join(REMINDER_COLUMNS + ["names", "call_at", "message"])
    assert [int(row["call_row"]) for row in _csv_rows(r.stdout, ";")] == [i["call_row"] for i in reminders] != []
    r = run("check", sample, "--format", "csv")
    assert r.exit_code == 0 and r.stdout == "sheet;row;column;value;message\n"


def test_stats_csv_with_semicolons_writes_decimal_commas(sample, tmp_path, monkeypatch):
    """With ";", Excel's decimal sign is the comma: 0.25 was read as a text (1.5 as 1 May)."""
    from tracker.stats import Stats

    as_json = json.loads(run("stats", sample, "--as-of", AS_OF, "--format", "json").stdout)
    fractions = 0
    for option, delimiter, decimal in (((), ",", "."), (("--csv-sep", ";"), ";", ",")):
        r = run("stats", sample, "--as-of", AS_OF, "--format", "csv", *option)
        assert r.exit_code == 0, r.stderr
        rows = _csv_rows(r.stdout, delimiter)
        assert list(rows[0]) == Stats.columns("interviews") and len(rows) == len(as_json)
        for row, item in zip(rows, as_json):
            for key, value in item.items():
                if isinstance(value, float) and value != int(value):
                    fractions += 1
                    assert decimal in row[key] and float(row[key].replace(",", ".")) == round(value, 2), key
                elif isinstance(value, float):   # a whole number: as Excel writes it, 0 not 0.0
                    assert row[key] == str(int(value)), key
                else:
                    assert row[key] == ("" if value is None else str(value)), key
    assert fractions > 2
    # Set in the user's settings, the same.
    _user_settings(monkeypatch, tmp_path, 'csv_separator: ";"\n')
    assert run("stats", sample, "--as-of", AS_OF, "--format", "csv").stdout == r.stdout


def test_over_several_workbooks_the_first_one_reads_csv_separator(sample, tmp_path):
    """Each workbook is read with its own tracker.yaml; one CSV has one separator: that of
    the first workbook read, as a team's statistics are worded with the first's."""
    books = {}
    for name, sep in (("anna", '";"'), ("tom", "tab")):
        (tmp_path / name).mkdir()
        (tmp_path / name / "tracker.yaml").write_text(f"csv_separator: {sep}\n", encoding="utf-8")
        books[name] = tmp_path / name / "calls.xlsx"
        books[name].write_bytes(sample.read_bytes())
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "tracker.yaml").write_text('csv_separator: ","\n', encoding="utf-8")
    (broken / "calls.xlsx").write_bytes(b"not a workbook")
    for order, delimiter in (((books["anna"], books["tom"]), ";"), ((books["tom"], books["anna"]), "\t"),
                             ((broken / "calls.xlsx", books["anna"], books["tom"]), ";")):
        for command in (("overdue", *order, "--as-of", AS_OF), ("check", *order)):
            r = run(*command, "--format", "csv")
            assert r.exit_code in (0, 2) and (r.exit_code == 2) == (broken / "calls.xlsx" in order), r.stderr
            rows = _csv_rows(r.stdout, delimiter)
            assert r.stdout.splitlines()[0].split(delimiter)[0] == "file"
            assert {row["file"] for row in rows} <= {str(p) for p in order}
        if broken / "calls.xlsx" not in order:
            r = run("stats", *order, "--as-of", AS_OF, "--format", "csv", "--kind", "ghosting")
            assert r.exit_code == 0, r.stderr
            assert {row["file"] for row in _csv_rows(r.stdout, delimiter)} >= {str(p) for p in order}


def test_a_wrong_csv_separator_is_refused_naming_its_line(sample, tmp_path):
    copy = tmp_path / "calls.xlsx"
    copy.write_bytes(sample.read_bytes())
    settings = tmp_path / "tracker.yaml"
    settings.write_text('language: ru\ncsv_separator: "|"\n', encoding="utf-8")
    r = run("overdue", copy, "--as-of", AS_OF, "--format", "csv")
    assert r.exit_code == 2 and r.stdout == ""
    assert f"{settings}:2" in r.stderr and "`csv_separator`" in r.stderr and "'|'" in r.stderr
    # --csv-sep for a table would be lost in silence (and the table land in open.csv).
    settings.unlink()
    r = run("overdue", copy, "--as-of", AS_OF, "--csv-sep", ";")
    assert r.exit_code == 2 and r.stdout == "" and "--csv-sep is for --format csv" in r.stderr
    r = run("stats", copy, "--format", "json", "--csv-sep", ";")
    assert r.exit_code == 2 and r.stdout == "" and "--csv-sep is for --format csv" in r.stderr
    r = run("overdue", copy, "--format", "csv", "--csv-sep", "|")
    assert r.exit_code == 2 and "'|' is not one of" in r.stderr


def test_csv_with_semicolons_redirected_into_a_file_still_opens_as_utf8(tmp_path, sample):
    # No "sep=;" first line: Excel would then ignore the byte-order mark and garble the names.
    into = tmp_path / "open.csv"
    done = _console_into(into, "overdue", sample, "--as-of", AS_OF, "--all", "--format", "csv", "--csv-sep", ";")
    assert done.returncode == 0, done.stderr
    data = into.read_bytes()
    assert data.startswith(codecs.BOM_UTF8 + b"row;status;")
    with open(into, newline="", encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f, delimiter=";"))
    assert any(ord(ch) > 0x400 for row in rows for ch in row["who"])


def _in_a_terminal(columns: int, *args, env_columns: int | None = None) -> tuple[int, str]:
    """The console script with stdout a terminal `columns` wide (and COLUMNS set, when
    `env_columns`): its exit code and what the terminal got."""
    pytest.importorskip("termios")
    import fcntl
    import pty
    import struct
    import subprocess
    import sys
    import termios

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, columns, 0, 0))
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    env["PYTHONIOENCODING"] = "utf-8"
    if env_columns:
        env["COLUMNS"] = str(env_columns)
    with subprocess.Popen([sys.executable, "-c", "from tracker.cli import run; run()", *map(str, args)],
                          stdin=subprocess.DEVNULL, stdout=slave, stderr=subprocess.DEVNULL, env=env) as proc:
        os.close(slave)
        out = b""
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:   # EIO: the program ended, its end of the terminal closed
                break
            if not chunk:
                break
            out += chunk
        proc.wait(timeout=120)
    os.close(master)
    return proc.returncode, out.decode("utf-8").replace("\r\n", "\n")


def test_a_table_fits_the_terminal_and_a_pipe_gets_it_whole(sample):
    """Found by a tester: `COLUMNS=60 tracker overdue` gave lines of 137 to 212 characters."""
    from tracker.output import text_width

    chases = json.loads(run("overdue", sample, "--as-of", AS_OF, "--all", "--format", "json").stdout)
    for columns, env_columns in ((60, None), (200, 60), (80, None)):
        code, out = _in_a_terminal(columns, "overdue", sample, "--as-of", AS_OF, "--all", env_columns=env_columns)
        width = env_columns or columns
        lines = out.rstrip("\n").split("\n")
        assert code == 0 and len(lines) == len(chases) + 2, out
        assert max(text_width(line) for line in lines) <= width, out
        assert lines[0].split()[:3] == ["row", "status", "due"]
        for item, line in zip(chases, lines[2:]):
            assert line.split()[0] == str(item["row"]) and (item["due"] or "")[:10] in line
            assert line.split()[1].lower() == item["status"].split("_")[0]
    code, out = _in_a_terminal(60, "reminders", sample, "--from", AS_OF, "--to", "2026-11-30")
    assert code == 0 and max(text_width(line) for line in out.splitlines()) <= 60
    assert out.split()[:2] == ["at", "call_row"] and len(out.splitlines()) > 5
    # Not a terminal (a pipe, a file): every column, as wide as its texts, COLUMNS or not.
    piped = CliRunner().invoke(main, ["overdue", str(sample), "--as-of", AS_OF, "--all"], env={"COLUMNS": "60"})
    assert piped.stdout.splitlines()[0].split() == ["row", "status", "due", "days_overdue", "who", "client",
                                                     "call_type", "action", "message"]
    assert max(len(line) for line in piped.stdout.splitlines()) > 150


def test_candidates_written_surname_first_stay_apart_in_the_reminders_listing(tmp_path):
    # Once 'Petrov, Ivan (E1)' is one candidate, "Petrov, Ivan, Li, Anna" would read as four.
    path = typed_log(tmp_path / "calls.xlsx", [
        {"Date": datetime(2026, 11, 24, 10, 0), "Call type": "Interview", "Client": "Acme", "Contact": "Mary",
         "Candidates": "Petrov, Ivan (E1); Li, Anna (E2)", "Outcome": "Planned", "SM": "Kate"},
        {"Date": datetime(2026, 11, 24, 15, 0), "Call type": "Interview", "Client": "Beta", "Contact": "Bob",
         "Candidates": "Anna Li; Ivan Petrov", "Outcome": "Planned", "SM": "Kate"},
    ])
    r = run("reminders", path, "--from", "2026-11-23T00:00", "--to", "2026-11-25", "--format", "csv")
    assert r.exit_code == 0, r.output
    whom = {row["whom"] for row in csv.DictReader(io.StringIO(r.stdout.lstrip("\ufeff")))}
    assert any(w.endswith(": Petrov, Ivan; Li, Anna") for w in whom), whom
    assert any(w.endswith(": Anna Li, Ivan Petrov") for w in whom), whom


# ---------------------------------------------------------------- found by a read-only tester

def test_an_error_about_one_row_names_its_workbook_first(sample):
    # `notice --row 2` of a first call said "tracker: Call log!D2: ...", where every
    # other error about a workbook names it first ("calls.xlsx: no call at row 99999").
    r = run("notice", sample, "--row", 2)
    assert r.exit_code == 2 and r.stdout == ""
    assert r.stderr == (f"tracker: {sample}: Call log!D2: First call is not an interview; a notice is written "
                        "for a row of one of: Interview, Repeat call, Interview notice\n"), r.stderr
    r = run("notice", sample, "--row", 99999)
    assert r.exit_code == 2 and r.stderr.startswith(f"tracker: {sample}: no call at row 99999"), r.stderr


@pytest.mark.parametrize("args", [
    ("check", ""), ("check", "{log}", ""), ("stats", ""), ("refresh", ""), ("init", ""), ("notice", "", "--row", 2),
    ("demo", ""), ("digest", "{log}", "--out", ""), ("check", "{log}", "--config", ""),
])
def test_an_empty_path_is_called_empty(copy, tmp_path, monkeypatch, args):
    # `tracker check ""` said "'.' is a folder": the system reads "" as the current folder,
    # whose workbooks `check calls.xlsx ""` and `stats ""` then read, all of them, silently.
    monkeypatch.chdir(tmp_path)   # holding `copy`, which "" must not reach
    before = sorted(p.name for p in tmp_path.iterdir())
    r = run(*[a.format(log=copy) if isinstance(a, str) else a for a in args])
    assert r.exit_code == 2 and r.stdout == "", r.output
    assert 'the path is empty ("")' in r.stderr and "is a folder" not in r.stderr, r.stderr
    assert str(copy) not in r.stderr and sorted(p.name for p in tmp_path.iterdir()) == before


def test_the_demo_refuses_at_once_when_its_workbook_is_open_in_excel(tmp_path):
    # It printed every listing, then failed at the refresh at its end, having replaced the
    # workbook Excel had open (its owner file `~$...` beside it).
    folder = tmp_path / "demo"
    assert run("demo", folder, "--as-of", AS_OF).exit_code == 0
    book = folder / "call-log-demo.xlsx"
    owner = folder / f"~${book.name[2:]}"
    owner.write_bytes(b"\x05Olga" + b" " * 160)
    before = sorted(p.name for p in folder.rglob("*")), book.read_bytes()
    r = run("demo", folder, "--as-of", AS_OF)
    assert r.exit_code == 2 and r.stdout == "", r.output
    refresh = run("refresh", book, "--as-of", AS_OF)
    assert refresh.exit_code == 2 and "is open in Excel" in refresh.stderr
    assert r.stderr == refresh.stderr, (r.stderr, refresh.stderr)   # the same message, said at once
    assert (sorted(p.name for p in folder.rglob("*")), book.read_bytes()) == before


def test_a_digest_written_over_an_edited_one_names_its_backup(tmp_path):
    # The edited digest was kept in .call-tracker-backups, without a word (refresh says its backup).
    calls = _team_log(tmp_path / "calls.xlsx", "Alice", "Acme")
    out = tmp_path / "digests"
    assert run("digest", calls, "--as-of", AS_OF, "--out", out).exit_code == 0
    digest = out / "digest_2026-11-23_Olga_calls.txt"
    edited = digest.read_text(encoding="utf-8") + "Olga: call Alice first.\n"
    digest.write_text(edited, encoding="utf-8")
    r = run("digest", calls, "--as-of", AS_OF, "--out", out)
    assert r.exit_code == 0 and r.stdout == "", r.output
    [kept] = (out / ".call-tracker-backups").iterdir()
    assert kept.read_text(encoding="utf-8") == edited
    assert r.stderr.splitlines()[-1] == f"Backup of the previous {digest.name}: {kept}", r.stderr
    # Written again as it is: nothing replaced, nothing said.
    r = run("digest", calls, "--as-of", AS_OF, "--out", out)
    assert "Backup" not in r.stderr and len(list((out / ".call-tracker-backups").iterdir())) == 1


@pytest.mark.parametrize("option", ["--as-of", "--from", "--to"])
def test_a_bare_number_is_not_taken_for_an_excel_serial_date(sample, option):
    # `--as-of 45000` judged as of 2023-03-15, silently: nothing passes a serial to the
    # command line (the ribbon and cell functions do not come this way), so it is a slip.
    command = "overdue" if option == "--as-of" else "reminders"
    extra = ("--from", "2026-11-20") if option == "--to" else ()
    r = run(command, sample, *extra, option, "45000")
    assert r.exit_code == 2 and r.stdout == "", r.output
    assert (f"Invalid value for {option}: '45000' is a number, not a date; write 2026-11-22 or 2026-11-22T09:30 "
            "(as an Excel serial date it would be 2023-03-15: if that is the day, write it so)") in r.stderr, r.stderr
    r = run(command, sample, *extra, option, "2026")
    assert r.exit_code == 2 and "'2026' is a number, not a date; write 2026-11-22" in r.stderr, r.stderr
    # A date without its dashes is still the date it is.
    assert run(command, sample, *extra, option, "20261125").exit_code == 0


def test_reminder_drafts_written_over_edited_ones_name_their_backups(copy, tmp_path):
    # As the digest's (above): an edited draft was kept in .call-tracker-backups, unsaid.
    drafts = tmp_path / "drafts"
    args = ("reminders", copy, "--from", AS_OF, "--to", "2026-11-28", "--eml", drafts)
    r = run(*args)
    assert r.exit_code == 0, r.output
    written = sorted(drafts.glob("*.eml"))
    assert written and "Backup" not in r.stderr
    edited = written[0].read_bytes() + b"PS: bring your passport.\r\n"
    written[0].write_bytes(edited)
    r = run(*args)
    assert r.exit_code == 0, r.output
    [kept] = (drafts / ".call-tracker-backups").iterdir()
    assert kept.read_bytes() == edited and written[0].read_bytes() != edited
    said = r.stderr.splitlines()
    assert f"Backup of the previous {written[0].name}: {kept}" in said, r.stderr
    assert said.index(f"Backup of the previous {written[0].name}: {kept}") == \
        said.index(next(line for line in said if line.startswith("Wrote ") and "e-mail draft" in line)) + 1
    # Written again as it is: nothing replaced, nothing said.
    r = run(*args)
    assert r.exit_code == 0 and "Backup" not in r.stderr, r.stderr
    assert len(list((drafts / ".call-tracker-backups").iterdir())) == 1
