"""The write-back's notes and refusals speak the log's language, as the rest of a refresh
does: a Russian or Japanese log's `tracker refresh` says in Russian or Japanese that our
columns stepped over a chart, that a hard-linked workbook was written through, that its
Excel table has a cell of the user's in the way, that its sheet is protected; an English
log's words are as they were."""
from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

import pytest
import xlsxwriter
from click.testing import CliRunner

from tracker.cli import main

AS_OF = "2026-11-23T09:00"
HEADERS = {
    "en": ["Date", "Call type", "Client", "Contact", "Outcome", "Next contact", "SM", "Comment on the call"],
    "ru": ["Дата", "Вид звонка", "Клиент", "Контакт", "Результат", "Следующий контакт", "Менеджер",
           "Комментарии к звонку"],
    "ja": ["日付", "種別", "クライアント", "担当者", "結果", "次回連絡", "担当", "コメント"],
    "zh": ["日期", "类型", "客户", "联系人", "结果", "下次联系", "负责人", "通话备注"],
}
SHEET = {"en": "Calls", "ru": "Звонки", "ja": "通話", "zh": "通话"}


def log(path: Path, lang: str, *, chart: bool = False, table: bool = False, beside: dict | None = None,
        protect: bool = False) -> Path:
    """A log A1:H6 of five calls with `lang`'s headers: plain, or the Excel table Table1;
    a chart over J:Q; cells of the user's `beside` it; its sheet protected."""
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet(SHEET[lang])
    day = wb.add_format({"num_format": "yyyy-mm-dd"})
    data = [[datetime(2026, 11, 15 + r), "First call", f"C{r}", f"P{r}", "Done", datetime(2026, 11, 20 + r), "Tom",
             ""] for r in range(1, 6)]
    if table:
        ws.add_table("A1:H6", {"data": data, "columns": [
            {"header": h, "format": day if i in (0, 5) else None} for i, h in enumerate(HEADERS[lang])]})
    else:
        ws.write_row(0, 0, HEADERS[lang])
        for r, row in enumerate(data, 1):
            ws.write_datetime(r, 0, row[0], day)
            ws.write_row(r, 1, row[1:5])
            ws.write_datetime(r, 5, row[5], day)
            ws.write(r, 6, row[6])
    for ref, value in (beside or {}).items():
        ws.write(ref, value)
    if chart:
        c = wb.add_chart({"type": "column"})
        c.add_series({"values": f"='{SHEET[lang]}'!$A$2:$A$6"})
        ws.insert_chart("J2", c)
    if protect:
        ws.protect()
    wb.close()
    return path


def refresh(path: Path):
    return CliRunner().invoke(main, ["refresh", str(path), "--as-of", AS_OF], catch_exceptions=False)


DRAWN_OVER = {
    "en": "Our new columns went to R:U, right of a chart, picture or button beside the log, which would hide them: "
          "a sort or filter of the log's columns alone leaves them out (move it and delete these columns: the next "
          "refresh puts them beside the log).",
    "ru": "Новые столбцы записаны в R:U, правее диаграммы, рисунка или кнопки рядом с журналом, которые закрыли бы "
          "их: сортировка или фильтр только по столбцам журнала их не захватят",
    "ja": "新しい列は、通話記録の横にあるグラフ・図・ボタンに隠れないよう、その右の R:U に書き込みました。",
}


@pytest.mark.parametrize("lang", ["en", "ru", "ja"])
def test_columns_stepped_over_a_chart_are_said_in_the_logs_language(tmp_path, lang):
    r = refresh(log(tmp_path / "calls.xlsx", lang, chart=True))
    assert r.exit_code == 0, r.output
    assert DRAWN_OVER[lang] in r.stderr, r.stderr
    assert (lang == "en") == ("Our new columns" in r.stderr)


HARD_LINKS = {
    "en": "calls.xlsx has 2 names (hard links): written through, so each of them sees the refresh; the workbook "
          "as it was is in ",
    "ru": "У файла calls.xlsx 2 имени (жёсткие ссылки): записано в сам файл, так что обновление видно под каждым "
          "из них; книга в прежнем виде — в ",
    "zh": "calls.xlsx 有 2 个文件名（硬链接）：已直接写入该文件，每个文件名下都能看到这次刷新；工作簿原来的版本在 ",
}


@pytest.mark.parametrize("lang", ["en", "ru", "zh"])
def test_a_hard_linked_workbook_written_through_is_said_in_the_logs_language(tmp_path, lang):
    path = log(tmp_path / "calls.xlsx", lang)
    os.link(path, tmp_path / "shared.xlsx")
    r = refresh(path)
    assert r.exit_code == 0, r.output
    assert HARD_LINKS[lang] in r.stderr, r.stderr
    assert (tmp_path / "shared.xlsx").read_bytes() == path.read_bytes()


TABLE_IN_THE_WAY = {
    "en": "the log is the Excel table Table1 (A1:H6), and our columns (Status, Due, Next action, Summary) join it "
          'at I:L, but I1 holds "Total": move it right of column L (or to another sheet), or take it into the table '
          "(Table Design > Resize Table), and refresh again; nothing was changed",
    "ru": "журнал — это таблица Excel Table1 (A1:H6), и наши столбцы (Статус, Срок, Следующее действие, Сводка) "
          "добавляются к ней в I:L, но в I1 ваше значение «Итого»: перенесите это правее столбца L",
    "ja": "通話記録は Excel テーブル Table1（A1:H6）で、追加する列",
}


@pytest.mark.parametrize("lang, total", [("en", "Total"), ("ru", "Итого"), ("ja", "合計")])
def test_a_cell_in_the_way_of_the_logs_table_is_refused_in_the_logs_language(tmp_path, lang, total):
    path = log(tmp_path / "calls.xlsx", lang, table=True, beside={"I1": total})
    before = path.read_bytes()
    r = refresh(path)
    assert r.exit_code == 2 and "Traceback" not in r.output
    assert r.stderr.startswith(f"tracker: {path}: "), r.stderr
    assert TABLE_IN_THE_WAY[lang] in r.stderr, r.stderr
    assert path.read_bytes() == before
    if lang == "ja":
        assert "I1 にあなたの値「合計」があります。L 列より右" in r.stderr and "nothing was changed" not in r.stderr


PROTECTED = {
    "en": "the sheet 'Calls' is protected; unprotect it (Review > Unprotect Sheet) to let Call Tracker write its "
          "columns; nothing was changed",
    "ru": "лист «Звонки» защищён; снимите защиту (Рецензирование > Снять защиту листа), чтобы Call Tracker мог "
          "записать свои столбцы; ничего не изменено",
    "ja": "シート「通話」は保護されています。Call Tracker が列を書き込めるよう、保護を解除してください（校閲 > "
          "シート保護の解除）。何も変更していません",
}


@pytest.mark.parametrize("lang", ["en", "ru", "ja"])
def test_a_protected_log_sheet_is_refused_in_the_logs_language(tmp_path, lang):
    path = log(tmp_path / "calls.xlsx", lang, protect=True)
    before = path.read_bytes()
    r = refresh(path)
    assert r.exit_code == 2 and "Traceback" not in r.output
    assert r.stderr == f"tracker: {path}: {PROTECTED[lang]}\n"
    assert path.read_bytes() == before


# ---------------------------------------------------------------- the Refresh button says them as the terminal

def grid_book(path: Path, **kw):
    from tracker.excel.book import GridBook
    from tracker.files import open_book

    wb = open_book(path)
    return GridBook(sheets={n: wb.grid(n) for n in wb.sheet_names}, path=str(path), **kw)


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_the_refresh_button_says_columns_stepped_over_a_chart_in_the_logs_language(tmp_path, lang):
    from conftest import DEMO_NOW
    from tracker.excel import ribbon

    path = log(tmp_path / "calls.xlsx", lang, chart=True)
    book = grid_book(path, active=SHEET[lang], drawings={SHEET[lang]: [(10, 17)]})   # J:Q
    message = ribbon.dispatch("refresh", book=book, now=DEMO_NOW)
    assert DRAWN_OVER[lang] in message, message
    assert (lang == "en") == ("Our new columns" in message)


@pytest.mark.parametrize("lang, total", [("en", "Total"), ("ru", "Итого")])
def test_the_refresh_button_refuses_a_cell_in_the_tables_way_in_the_logs_language(tmp_path, lang, total):
    """In Excel the refusal names the sheet, not the file (the ribbon's _Context._join_table)."""
    from conftest import DEMO_NOW
    from tracker.excel import ribbon

    path = log(tmp_path / "calls.xlsx", lang, table=True, beside={"I1": total})
    book = grid_book(path, active=SHEET[lang], table_boxes={SHEET[lang]: [(0, 5, 0, 7, 0)]},
                     table_titles={SHEET[lang]: ["Table1"]})
    message = ribbon.dispatch("refresh", book=book, now=DEMO_NOW)
    where = {"en": "sheet 'Calls': ", "ru": "лист «Звонки»: "}[lang]
    assert message.startswith(where + TABLE_IN_THE_WAY[lang]), message
    assert (lang == "en") == message.endswith("nothing was changed")


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_refusals_told_before_the_read_are_in_the_configured_language(tmp_path, lang):
    # A review found them English whatever tracker.yaml says: told before the log is read
    # (open in Excel, marked read-only: the read's seconds spared), they are said in the
    # configured `language`, the lines' language where the log's is not known yet.
    path = log(tmp_path / "calls.xlsx", lang)
    (tmp_path / "tracker.yaml").write_text(f"language: {lang}\n", encoding="utf-8")
    owner = tmp_path / "~$calls.xlsx"
    owner.write_bytes(b"x")
    before = path.read_bytes()
    r = refresh(path)
    said = {"en": "the workbook is open in Excel", "ru": "книга открыта в Excel"}[lang]
    assert r.exit_code == 2 and said in r.stderr and "Traceback" not in r.output, r.stderr
    owner.unlink()
    path.chmod(0o444)
    try:
        r = refresh(path)
        said = {"en": "the workbook is marked read-only", "ru": "книга помечена «только для чтения»"}[lang]
        assert r.exit_code == 2 and said in r.stderr, r.stderr
    finally:
        path.chmod(0o644)
    assert path.read_bytes() == before
