"""What a row's notes say of it, read through the real reader and CLI:
- its manager (SM) when the SM column is blank: an "SM:" after a sentence on the same
  line, and the person in charge as Japanese and Chinese consultants head it ("担当：",
  "负责人："), the SM column's own header in those languages; never "SMS sent";
- its language: a few Latin words ("CV sent", "ok") in a log not in English do not make
  a row with a Cyrillic contact English; an English sentence still does."""
from __future__ import annotations

import json
import re
from datetime import datetime

import pytest
from click.testing import CliRunner
from workbooks import cli_ok, plain_log

from tracker.cli import main

AS_OF = "2026-12-03T09:00"
CYRILLIC = re.compile(r"[\u0400-\u04ff]")

pytestmark = pytest.mark.usefixtures("no_user_config")


def _run(*args):
    """`tracker ARGS...` whatever its exit code (check exits 1 on problems)."""
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def _managers(path) -> dict[int, str]:
    """Excel row -> manager of its chase (`tracker overdue --all`)."""
    items = json.loads(cli_ok("overdue", path, "--as-of", AS_OF, "--all", "--format", "json").stdout)
    return {x["row"]: x["manager"] for x in items}


def _stats_managers(path) -> set[str]:
    rows = json.loads(cli_ok("stats", path, "--as-of", AS_OF, "--format", "json", "--kind", "calls").stdout)
    return {r["manager"] for r in rows if r["call_type"] == "*" and r["period"] == "*"} - {"*"}


def _summaries(path) -> tuple[dict[int, str], str]:
    """Excel row -> summary text, and what `tracker summary --all` said on stderr."""
    r = _run("summary", path, "--all", "--format", "json")
    assert r.exit_code in (0, 1), r.output
    return {s["row"]: s["text"] for s in json.loads(r.stdout)}, r.stderr


FORMAT = "Company Name: {c}\nContact Person: {p}\nImmediate Requirement: 2 QA engineers\nNext Step: CVs\n"
HEADER = ("Date", "Call type", "Contact", "Next contact", "Comment on the call")   # no SM column


def _first_call(contact, last_line, company="Acme"):
    return [datetime(2026, 11, 20), "First call", contact, datetime(2026, 11, 25),
            FORMAT.format(c=company, p=contact) + last_line]


def test_an_sm_after_a_sentence_on_its_line_is_the_rows_manager_but_no_sms(tmp_path):
    path = plain_log(tmp_path / "log.xlsx", [
        _first_call("Jane Roe", "Client keen, will send CVs. SM: Olga Ivanova"),                     # row 2
        _first_call("John Poe", "Called back – SM: Pavel Orlov – Next Contact Date: 25.11.2026"),   # row 3
        _first_call("Mary Major", "SMS sent to the client; SMS: no reply yet"),                       # row 4
        _first_call("Tom Hardy", "Told the PSM: nothing new"),                                        # row 5
        _first_call("Ann Lee", "SM: Olga Ivanova\nThe client wants to talk to our SM: Pavel"),        # row 6
        _first_call("Bob Ray", "Sent CV. SM: O. Ivanova. Client to decide by Friday"),               # row 7
    ], HEADER)
    # The format's own "SM:" line wins over one in a sentence (row 6); a name ends with its
    # sentence, not with an initial's full stop (row 7).
    assert _managers(path) == {2: "Olga Ivanova", 3: "Pavel Orlov", 4: "", 5: "", 6: "Olga Ivanova",
                               7: "O. Ivanova"}
    assert _stats_managers(path) == {"Olga Ivanova", "Pavel Orlov", "O. Ivanova", ""}
    texts, said = _summaries(path)
    assert "\nSM: Olga Ivanova\n" in texts[2] and "\nSM: Pavel Orlov\n" in texts[3]
    assert "SM: [missing]" in texts[4] and "SM: [missing]" in texts[5]
    assert re.findall(r"!E(\d+): First call summary is missing: SM", said) == ["4", "5"]
    check = _run("check", path, "--format", "json")
    assert check.exit_code == 0 and json.loads(check.stdout) == []


def test_the_person_in_charge_as_japanese_and_chinese_consultants_head_it_is_the_manager(tmp_path):
    path = plain_log(tmp_path / "log.xlsx", [
        _first_call("田中一郎", "担当：田中", "サクラ"),                  # row 2: the SM column's ja header
        _first_call("佐藤", "担当:鈴木", "ABC"),                         # row 3: an ASCII colon
        _first_call("王伟", "负责人：王芳", "华为"),                      # row 4: the zh header
        _first_call("Иван Петров", "Менеджер: Ольга", "Бета"),           # row 5: the ru label (as before)
        _first_call("李雷", "已发简历。负责人：张敏", "腾讯"),              # row 6: after a sentence
        _first_call("山田", "担当者：山田\n先方担当：山田", "ソニー"),        # row 7: the client's person
        _first_call("陈静", "客户负责人：陈静", "阿里"),                   # row 8: the client's person
    ], HEADER)
    assert _managers(path) == {2: "田中", 3: "鈴木", 4: "王芳", 5: "Ольга", 6: "张敏", 7: "", 8: ""}
    assert _stats_managers(path) == {"田中", "鈴木", "王芳", "Ольга", "张敏", ""}
    texts, said = _summaries(path)
    assert "担当マネージャー：田中" in texts[2] and "负责经理：张敏" in texts[6]
    assert re.findall(r"!E(\d+): First call summary is missing: SM", said) == ["7", "8"]


def test_the_sm_column_still_wins_over_an_sm_after_a_sentence(tmp_path):
    path = plain_log(tmp_path / "log.xlsx", [
        [datetime(2026, 11, 20), "First call", "Jane Roe", datetime(2026, 11, 25), "Olga", "Keen. SM: Pavel"],
    ], ("Date", "Call type", "Contact", "Next contact", "SM", "Comment on the call"))
    assert _managers(path) == {2: "Olga"}


RU_HEADER = ("Дата", "Вид звонка", "Клиент", "Контакт", "Результат", "Менеджер", "Комментарии к звонку")


def _chase(contact, notes, client="Ромашка"):
    return [datetime(2026, 11, 20), "Фоллоу-ап", client, contact, "Нет ответа", "Ольга", notes]


def test_a_few_latin_words_in_a_russian_log_leave_the_row_russian_a_sentence_makes_it_english(tmp_path):
    path = plain_log(tmp_path / "ru.xlsx", [
        _chase("Алёна Ким", "CV sent"),                                               # row 2
        _chase("Пётр Смирнов", "ok"),                                                 # row 3
        _chase("Ирина Белова", "Called, no answer"),                                  # row 4
        _chase("Сергей Орлов", "The client asked us to send two more CVs by Friday."),  # row 5: prose
        _chase("Mary Major", "CV sent", client="Acme"),                               # row 6: Latin names
    ], RU_HEADER)
    items = json.loads(cli_ok("overdue", path, "--as-of", AS_OF, "--all", "--format", "json").stdout)
    got = {x["row"]: x for x in items}
    assert {row: x["lang"] for row, x in got.items()} == {2: "ru", 3: "ru", 4: "ru", 5: "en", 6: "en"}
    for row in (2, 3, 4):
        assert CYRILLIC.search(got[row]["message"].replace(got[row]["contact"], "")), got[row]["message"]
    assert "just following up" in got[5]["message"]
    texts, _ = _summaries(path)
    assert all("Действия после звонка:" in texts[row] for row in (2, 3, 4))
    assert "After the call:" in texts[5] and "After the call:" in texts[6]


def test_a_few_latin_words_in_a_chinese_log_leave_the_row_chinese(tmp_path):
    path = plain_log(tmp_path / "zh.xlsx", [
        ["2026-11-20", "跟进", "上海云帆科技", "王伟", "未接通", "CV sent"],
        ["2026-11-20", "跟进", "上海云帆科技", "张敏", "未接通", "Candidate has accepted another offer already"],
    ], ("日期", "通话类型", "客户", "联系人", "结果", "通话备注"))
    items = json.loads(cli_ok("overdue", path, "--as-of", AS_OF, "--all", "--format", "json").stdout)
    assert {x["row"]: x["lang"] for x in items} == {2: "zh", 3: "en"}


def test_a_few_latin_words_in_an_english_log_are_english_as_before(tmp_path):
    path = plain_log(tmp_path / "en.xlsx", [
        ["2026-11-20", "Follow-up", "Ромашка", "Алёна Ким", "No answer", "Called, no answer"],
    ], ("Date", "Call type", "Client", "Contact", "Outcome", "Comment on the call"))
    [item] = json.loads(cli_ok("overdue", path, "--as-of", AS_OF, "--all", "--format", "json").stdout)
    assert item["lang"] == "en"


def test_a_title_is_part_of_the_name_and_a_label_mid_sentence_is_no_sm(tmp_path):
    # Found by a review: a title's full stop ended the name ("Mr"), and a label inside a
    # sentence named someone else ("their manager", the client's person in charge) or no
    # one ("Position: SM: Scrum Master").
    path = plain_log(tmp_path / "log.xlsx", [
        _first_call("Jane Roe", "SM: Mr. Chen"),                                                  # row 2
        _first_call("John Poe", "Sent CV. SM: Dr. Smith. Client to decide"),                      # row 3
        _first_call("Иван Петров", "Говорили с клиентом. Их менеджер: Пётр, решит в пятницу"),    # row 4
        _first_call("王伟", "客户很感兴趣，负责人：王总", "华为"),                                      # row 5
        _first_call("Mary Major", "Position: SM: Scrum Master"),                                  # row 6
        _first_call("Tom Hardy", "Called back, SM: Pavel Orlov"),                                 # row 7
        _first_call("李雷", "客户很感兴趣。负责人：张敏", "腾讯"),                                      # row 8
        _first_call("佐藤", "面談完了　SM：田中", "ソニー"),                                             # row 9
        _first_call("Ann Lee", "Client keen. SM: Olga Smith Jr. Client decides Friday"),           # row 10
    ], HEADER)
    # "SM", the abbreviation, is ours after a comma or a full-width space too (a second
    # review); a word label only where a sentence starts.
    assert _managers(path) == {2: "Mr. Chen", 3: "Dr. Smith", 4: "", 5: "", 6: "", 7: "Pavel Orlov", 8: "张敏",
                               9: "田中", 10: "Olga Smith Jr"}
