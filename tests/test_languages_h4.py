"""What the terminal says around its output is in the log's language: a Russian or Chinese
team's refresh, check, reminders, stats, digest, notice and demo frame their lines in it,
as the sheets and drafts already were (templates/lines/). An English log prints exactly
as before."""
import re
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from workbooks import plain_log

from tracker.cli import main
from tracker.resources import templates_dir

AS_OF = "2026-11-23T09:00"

RU_HEADER = ("ID", "Дата", "Время", "Вид звонка", "Клиент", "Контакт", "Кандидаты", "Следующий контакт",
             "Кому напомнить о звонке")
ZH_HEADER = ("ID", "日期", "时间", "通话类型", "客户", "联系人", "候选人", "下次联系", "提醒谁")
EN_HEADER = ("ID", "Date", "Time", "Call type", "Client", "Contact", "Candidates", "Next contact", "Whom to remind")


def ru_log(path: Path) -> Path:
    """Five calls; row 3's date does not exist (a cell left out), rows 3 and 5 undated in
    the statistics, row 4's "whom to remind" does not read."""
    return plain_log(path, [
        [1, "20.11.2026", "10:00", "Первый звонок", "Ромашка", "Ольга Иванова", "", "21.11.2026", ""],
        [2, "32.11.2026", "11:00", "Интервью", "Ромашка", "Ольга Иванова", "Анна Ли, Иван Петров", "", ""],
        [3, "21.11.2026", "12:00", "Интервью", "Ромашка", "Ольга Иванова", "Анна Ли", "", "абракадабра"],
        [4, "", "", "Фоллоу-ап", "Ромашка", "Ольга Иванова", "", "", ""],
        [5, "24.11.2026", "14:00", "Первый звонок", "Ромашка", "Ольга Иванова", "", "", ""],
    ], header=RU_HEADER)


def zh_log(path: Path) -> Path:
    return plain_log(path, [
        [1, "2026/11/20", "10:00", "首次通话", "云帆", "陈静", "", "2026/11/21", ""],
        [2, "2026/13/40", "11:00", "面试", "云帆", "陈静", "李娜", "", ""],
        [3, "2026/11/21", "12:00", "面试", "云帆", "陈静", "李娜", "", "胡说八道"],
        [4, "", "", "跟进", "云帆", "陈静", "", "", ""],
        [5, "2026/11/24", "14:00", "首次通话", "云帆", "陈静", "", "", ""],
    ], header=ZH_HEADER)


def en_log(path: Path) -> Path:
    return plain_log(path, [
        [1, "20.11.2026", "10:00", "First call", "Acme", "Olga Ivanova", "", "21.11.2026", ""],
        [2, "32.11.2026", "11:00", "Interview", "Acme", "Olga Ivanova", "Anna Lee, Ivan Petrov", "", ""],
        [3, "21.11.2026", "12:00", "Interview", "Acme", "Olga Ivanova", "Anna Lee", "", "gibberish"],
        [4, "", "", "Follow-up", "Acme", "Olga Ivanova", "", "", ""],
        [5, "24.11.2026", "14:00", "First call", "Acme", "Olga Ivanova", "", "", ""],
    ], header=EN_HEADER)


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


# What the English framing lines start with, or hold: none may reach a Russian or Chinese log's user.
ENGLISH = re.compile(r"Refreshed |Added column|Sheets written|Backup of|Nothing changed|could not be read|"
                     r"things? to look at|whom to remind|Wrote |Draft written|To is empty|: sheet '|"
                     r"no date and|Nothing to tell|Checked \d|(?<!-)row \d|nothing to summarise|also looks? like")


def english_in(text: str) -> list[str]:
    return [line for line in text.splitlines() if ENGLISH.search(line)]


def test_refresh_and_check_of_a_russian_log_speak_russian(tmp_path):
    log = ru_log(tmp_path / "звонки.xlsx")
    r = run("refresh", log, "--as-of", AS_OF)
    assert r.exit_code == 0, r.output
    said = r.stderr.splitlines()
    assert said[0].startswith("Обновлено: 5 звонков на листе «Calls» (")
    assert "Добавлены столбцы J (Статус), K (Срок), L (Следующее действие), M (Сводка)." in said
    assert "Записаны листы: Позвонить сегодня, Напоминания, Статистика." in said
    assert any(s.startswith("Резервная копия предыдущей версии: ") for s in said)
    assert f"{log}: 1 ячейка не прочитана и пропущена; запустите `tracker check {log}`, чтобы увидеть подробности" in said
    assert english_in(r.stderr) == []
    again = run("refresh", log, "--as-of", AS_OF).stderr
    assert "С прошлого обновления ничего не изменилось: книга осталась как была." in again.splitlines()

    r = run("check", log)
    assert r.exit_code == 1
    assert r.stderr.splitlines()[0] == f"{log}: лист «Calls», 5 звонков, 3 проблемы"
    # The problems themselves are the reader's words (not translated here).
    assert "not a date" in r.stdout
    other = ru_log(tmp_path / "ещё.xlsx")
    r = run("check", log, other, tmp_path / "нет.xlsx")
    assert "Проверено книг: 2; проблем: 6 (в книгах: 2)" in r.stderr.splitlines()
    assert f"tracker: 1 из 3 книг не удалось прочитать: {tmp_path / 'нет.xlsx'}" in r.stderr.splitlines()


def test_refresh_and_check_of_a_chinese_log_speak_chinese(tmp_path):
    log = zh_log(tmp_path / "通话.xlsx")
    r = run("refresh", log, "--as-of", AS_OF)
    assert r.exit_code == 0, r.output
    said = r.stderr.splitlines()
    assert said[0].startswith("已刷新工作表“Calls”中的 5 条通话：")
    assert "已写入工作表：今日跟进、提醒、统计。" in said
    assert f"{log}: 1 个单元格无法读取，已略过；运行 `tracker check {log}` 查看详情" in said
    assert english_in(r.stderr) == []
    r = run("check", log)
    assert r.stderr.splitlines()[0] == f"{log}: 工作表“Calls”，5 条通话，3 个问题"


def test_the_other_commands_of_a_russian_log_speak_russian(tmp_path):
    log = ru_log(tmp_path / "звонки.xlsx")
    ics, eml = tmp_path / "calls.ics", tmp_path / "drafts"
    r = run("reminders", log, "--from", AS_OF, "--ics", ics, "--eml", eml)
    said = r.stderr.splitlines()
    assert f"Записано в {ics}: 1 звонок с напоминаниями" in said
    assert f"Записано в {eml}: 1 черновик письма" in said
    assert (f"{log}: 1 ячейка «Кому напомнить» не прочитана: у её звонка напоминания по умолчанию для вида "
            f"звонка; запустите `tracker check {log}`, чтобы увидеть подробности") in said
    assert english_in(r.stderr) == []

    r = run("stats", log)
    assert f"{log}: 2 строки без даты не вошли в эту статистику (лист «Calls», строки 3, 5)" in r.stderr.splitlines()
    assert english_in(r.stderr) == []

    r = run("digest", log, "--as-of", AS_OF, "--out", tmp_path / "digests")
    assert r.stderr.startswith("Записано: ") and english_in(r.stderr) == []
    assert english_in(run("digest", log, "--as-of", "2031-01-02").stdout) == []

    r = run("notice", log, "--row", 3)   # two candidates on row 3 (the sheet's row of ID 2)
    assert english_in(r.stderr) == []
    r = run("summary", log, "--row", 2)
    assert r.stdout.startswith("# Calls, строка 2\n")

    new = tmp_path / "новый.xlsx"
    assert run("init", new, "--lang", "ru").stderr.startswith(f"Записано: {new}. Заносите туда звонки")
    r = run("summary", new, "--all")
    assert r.stderr.strip() == f"{new}: на листе «Журнал звонков» нечего сводить: под заголовком в строке 1 нет звонков"


def test_a_notice_without_its_address_says_so_in_the_logs_language(tmp_path):
    header = ("Дата", "Время", "Вид звонка", "Клиент", "Контакт", "Кандидаты", "Почта", "Вакансия",
              "Комментарии к звонку")
    notes = ("Адрес: Тверская 1\nКак добраться: м. Пушкинская, выход 3\nКонтактное лицо: Ольга\n"
             "Обязанности: разработка API\nЗарплата: 200-250 тыс.\nМесто работы: Москва\nСайт компании: acme.ru")
    row = ["24.11.2026", "14:00", "Интервью", "Ромашка", "Ольга Иванова", "Анна Ли", "", "Дизайнер", notes]
    log = plain_log(tmp_path / "звонки.xlsx", [
        row[:6] + ["olga@romashka.ru"] + row[7:], row[:5] + ["Анна Ли, Иван Петров"] + row[6:], row,
    ], header=header)
    drafts = tmp_path / "drafts"
    said = run("notice", log, "--row", 2, "--eml", drafts).stderr.splitlines()
    assert said == ["Calls!G2: поле «Кому» пустое: e-mail в строке (olga@romashka.ru) — контактного лица, а не "
                    "кандидата; впишите e-mail кандидата", f"Черновик записан: {drafts / 'notice_звонки_Calls_r2.eml'}"]
    said = run("notice", log, "--row", 3).stderr.splitlines()
    assert said == ["Calls!G3: 2 кандидата, каждому своё приглашение; поле «Кому» пустое: впишите e-mail каждого "
                    "кандидата (по одному столбцу e-mail не понять, чей это адрес)"]
    assert run("notice", log, "--row", 4).stderr.splitlines() == ["Calls!G4: поле «Кому» пустое: в строке нет адреса e-mail"]


def test_the_demo_in_russian_frames_its_parts_in_russian(tmp_path):
    r = run("demo", tmp_path / "demo", "--lang", "ru", "--as-of", AS_OF)
    assert r.exit_code == 0, r.output
    assert r.stdout.startswith("Демо Call Tracker: 210 звонков в ")
    heads = [line for line in r.stdout.splitlines() if line.startswith("==")]
    assert heads[0].startswith("== Позвонить сегодня: ") and heads[-1] == "== Обновление: всё это записывается в книгу =="
    assert english_in(r.stdout) == []
    assert "Chase today" not in r.stdout and "Open " not in r.stdout


def test_an_english_log_prints_as_before(tmp_path):
    log = en_log(tmp_path / "calls.xlsx")
    said = run("refresh", log, "--as-of", AS_OF).stderr.splitlines()
    assert said[0] == "Refreshed 5 calls on 'Calls': 2 Done, 2 No next action, 1 Upcoming."
    assert said[1] == "Added columns J (Status), K (Due), L (Next action), M (Summary)."
    assert said[2] == "Sheets written: Chase today, Reminders, Stats."
    assert said[3].startswith("Backup of the previous version: ")
    assert said[4] == f"{log}: 1 cell could not be read and was left out; run `tracker check {log}` to see it"
    assert run("check", log).stderr.splitlines()[0] == f"{log}: sheet 'Calls', 5 calls, 3 problems"
    ics, eml = tmp_path / "calls.ics", tmp_path / "drafts"
    said = run("reminders", log, "--from", AS_OF, "--ics", ics, "--eml", eml).stderr.splitlines()
    assert f"Wrote 1 call with their alarms to {ics}" in said
    assert f"Wrote 1 e-mail draft to {eml}" in said
    assert (f'{log}: 1 "whom to remind" cell could not be read: its call gets the call type\'s default reminders; '
            f"run `tracker check {log}` to see it") in said
    said = run("stats", log).stderr.splitlines()
    assert f"{log}: 2 rows have no date and were left out of these statistics (sheet 'Calls', rows 3, 5)" in said
    assert run("summary", log, "--row", 2).stdout.startswith("# Calls row 2\n")


@pytest.mark.parametrize("n, word", [(1, "звонок"), (2, "звонка"), (5, "звонков"), (11, "звонков"), (12, "звонков"),
                                     (21, "звонок"), (22, "звонка"), (111, "звонков"), (0, "звонков")])
def test_russian_counts_agree_with_their_number(n, word):
    from tracker.jobs import line

    assert line(None, "checked", "ru", path="a.xlsx", sheet="Звонки", calls=n, problems=0) == \
        f"a.xlsx: лист «Звонки», {n} {word}, 0 проблем"


def test_every_line_has_its_four_languages():
    names = {p.name.split(".")[0] for p in (templates_dir() / "lines").glob("*.txt.j2")}
    assert names
    for name in names:
        for lang in ("en", "ru", "zh", "ja"):
            assert (templates_dir() / "lines" / f"{name}.{lang}.txt.j2").is_file(), (name, lang)


def test_the_terminal_loads_no_jinja2_before_a_line_is_said():
    code = "import sys, tracker.cli, tracker.jobs, tracker.render; assert 'jinja2' not in sys.modules"
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0


def test_a_row_that_cannot_be_summarised_or_noticed_is_said_in_the_logs_language(tmp_path):
    log = plain_log(tmp_path / "звонки.xlsx", [
        [1, "20.11.2026", "10:00", "Фоллоу-ап", "Ромашка", "Ольга"],
        [2, "21.11.2026", "10:00", "Кофе", "Ромашка", "Ольга"],
        [3, "21.11.2026", "11:00", "", "Ромашка", "Ольга"],
    ], header=("ID", "Дата", "Время", "Вид звонка", "Клиент", "Контакт"))

    def error(*args) -> str:
        r = run(*args)
        assert r.exit_code in (1, 2)
        return r.stderr.strip()

    assert error("notice", log, "--row", 2) == (
        f"tracker: {log}: Calls!D2: «Фоллоу-ап» — не интервью; приглашение составляется для строки одного из "
        "видов: Интервью, Повторный звонок, Приглашение на интервью")
    assert error("notice", log, "--row", 4) == \
        f"tracker: {log}: Calls!4: в строке не указан вид звонка, поэтому приглашение не составить"
    assert error("summary", log, "--row", 3).startswith(
        f"tracker: {log}: Calls!D3: вид звонка «Кофе» Call Tracker не знает, поэтому формат сводки не выбрать; ")
    assert error("summary", log, "--id", "x") == \
        f"tracker: {log}: на листе «Calls» нет звонка с ID «x» (звонки — в строках с 2 по 4)"


def test_an_english_notice_without_its_address_says_so_as_before(tmp_path):
    notes = ("Address: 1 Main St\nHow to get there: Bus 3\nContact person: Olga\nResponsibilities: APIs\n"
             "Salary range: 20-30k\nWork location: London\nCompany website: acme.example.com")
    row = ["24.11.2026", "14:00", "Interview", "Acme", "Olga Ivanova", "Anna Lee", "", "Designer", notes]
    log = plain_log(tmp_path / "calls.xlsx", [
        row[:6] + ["olga@acme.com"] + row[7:], row[:5] + ["Anna Lee, Ivan Petrov"] + row[6:], row,
        row[:6] + ["not an address"] + row[7:],
    ], header=("Date", "Time", "Call type", "Client", "Contact", "Candidates", "E-mail", "Position", "Comment"))
    drafts = tmp_path / "drafts"
    assert run("notice", log, "--row", 2, "--eml", drafts).stderr.splitlines() == [
        "Calls!G2: To is empty: the row's e-mail (olga@acme.com) is the contact's, not the candidate's; "
        "fill in the candidate's", f"Draft written to {drafts / 'notice_calls_Calls_r2.eml'}"]
    assert run("notice", log, "--row", 3).stderr.splitlines() == [
        "Calls!G3: 2 candidates, one notice each; To is empty: fill in each candidate's e-mail (one e-mail column "
        "cannot say whose it is)"]
    assert run("notice", log, "--row", 4).stderr.splitlines() == ["Calls!G4: To is empty: the row has no e-mail address"]


def test_a_users_line_that_fails_after_the_write_says_the_refresh_was_done(tmp_path):
    # The workbook is written before its lines are said: a template of the user's that
    # fails there must not end in an error's exit 2 ("nothing changed") over a changed file.
    path = en_log(tmp_path / "log.xlsx")
    (tmp_path / "mine" / "lines").mkdir(parents=True)
    (tmp_path / "mine" / "lines" / "refreshed.en.txt.j2").write_text("{{ 1/0 }}\n", encoding="utf-8")
    (tmp_path / "tracker.yaml").write_text("templates_dir: mine\n", encoding="utf-8")
    before = path.read_bytes()
    r = CliRunner().invoke(main, ["refresh", str(path), "--as-of", AS_OF])
    assert r.exit_code == 0, r.output
    assert path.read_bytes() != before and "Status" in [c.value for c in openpyxl.load_workbook(path).active[1]]
    assert "Refreshed 5 calls on 'Calls'" in r.output   # the shipped line
    assert "refreshed.en.txt.j2:1: template error: ZeroDivisionError" in r.output
