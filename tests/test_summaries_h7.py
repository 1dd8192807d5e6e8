"""Interview verdicts, speakers' lines and the agreed messenger, as an audit of the summaries
found them (workbooks typed as consultants write, read back through `tracker summary`).

- A plain verdict right below the candidates' lines ("Client liked Anna, Ivan is too
  junior.") was glued to the last candidate's comment and the results showed [missing].
- "Client feedback: …", "Feedback: …", "Hired: …", "客户反馈：…" under "Today we
  interviewed:" became made-up candidates.
- "Client: wants a daily report by 18:00" replaced the Client column ("Acme Ltd") as the
  Company Name; "Manager: their HR manager will send the NDA" the SM column.
- An introductory call's Channel column (the call's own channel) beat the messenger the
  notes say was agreed; "does not use WhatsApp; we agreed on Telegram" gave both.
"""
from __future__ import annotations

import json
from datetime import datetime

import pytest
from click.testing import CliRunner

from tracker.cli import main
from workbooks import plain_log

pytestmark = pytest.mark.usefixtures("no_user_config")

HEADER = ("ID", "Date", "Time", "Call type", "Client", "Contact", "Candidates", "Channel", "SM", "Comment on the call")
EN = "Anna Li (E1); Ivan Petrov (E7)"
RU = "Иван Петров (E77); Анна Ли (E1)"
ZH = "王伟（E7）；李娜（E8）"
JA = "佐藤 健（E101）、鈴木 花子（E102）"


def _row(call_type, notes, *, client="Hooli", contact="Gavin", candidates=EN, channel="", sm="Olga"):
    return (None, datetime(2026, 12, 1), "10:00", call_type, client, contact, candidates, channel, sm, notes)


def _summaries(tmp_path, rows) -> list[dict]:
    path = plain_log(tmp_path / "calls.xlsx", [(f"R{i}", *row[1:]) for i, row in enumerate(rows, 1)], header=HEADER)
    result = CliRunner().invoke(main, ["summary", str(path), "--all", "--format", "json"], catch_exceptions=False)
    return json.loads(result.stdout)


def _head(summary: dict) -> list[str]:
    """The summary's lines before the after-call checklist."""
    return summary["text"].split("\n\n")[0].splitlines()


# ---------------------------------------------------------------- 1. a plain verdict under the candidates

@pytest.mark.parametrize("notes, candidates, lines", [
    ("Today we interviewed:\nAnna Li (E1) – 5 yrs React\nIvan Petrov (E7) – 2 yrs Vue\n"
     "Client liked Anna, Ivan is too junior.\nSM: Olga", EN,
     ["Anna Li (E1) – 5 yrs React", "Ivan Petrov (E7) – 2 yrs Vue",
      "Interview results: Client liked Anna, Ivan is too junior."]),
    # Russian declines the names: "Ивана", "Анну".
    ("Сегодня провели интервью с:\nИван Петров (E77) – 3 года Java, уверенный\nАнна Ли (E1) – дизайнер, стеснялась\n"
     "Клиенту понравился Иван, Анна не подошла.\nSM: Ольга", RU,
     ["Иван Петров (E77) – 3 года Java, уверенный", "Анна Ли (E1) – дизайнер, стеснялась",
      "Interview results: Клиенту понравился Иван, Анна не подошла."]),
    # No verdict word of ours: it names the other candidate (佐藤, below 鈴木's line).
    ("本日面接した候補者：\n佐藤 健（E101）－Java 5年\n鈴木 花子（E102）－デザイナー3年\nクライアントは佐藤さんを希望。\n担当マネージャー：田中", JA,
     ["佐藤 健 (E101) – Java 5年", "鈴木 花子 (E102) – デザイナー3年", "面接結果：クライアントは佐藤さんを希望。"]),
    # One candidate: the verdict word tells it; the lines after it are the verdict too.
    ("Today we interviewed:\nAnna Li (E1) – 5 yrs React\nThe client liked her a lot.\nStarts on Monday.\nSM: Olga",
     "Anna Li (E1)",
     ["Anna Li (E1) – 5 yrs React", "Interview results: The client liked her a lot.", "Starts on Monday."]),
])
def test_a_plain_verdict_below_the_candidates_is_the_interview_results(tmp_path, notes, candidates, lines):
    (s,) = _summaries(tmp_path, [_row("Interview", notes, candidates=candidates)])
    head = _head(s)
    assert head[1:len(lines) + 1] == lines, head
    assert s["missing"] == []


def test_a_line_about_the_candidate_above_stays_with_them(tmp_path):
    # Names nobody else and holds no verdict word, or is indented: more about the candidate.
    notes = ("Today we interviewed:\nAnna Li (E1) – 5 yrs React\nAnna was calm and precise.\n"
             "Ivan Petrov (E7) – 2 yrs Vue\n   the client liked his honesty\nInterview results: Anna chosen\nSM: Olga")
    (s,) = _summaries(tmp_path, [_row("Interview", notes)])
    assert _head(s)[:4] == [
        "Today we interviewed:",
        "Anna Li (E1) – 5 yrs React; Anna was calm and precise.",
        "Ivan Petrov (E7) – 2 yrs Vue; the client liked his honesty",
        "Interview results: Anna chosen",
    ]


# ---------------------------------------------------------------- 2. labels of the verdict are no candidates

@pytest.mark.parametrize("notes, candidates, results", [
    ("Today we interviewed:\nAnna Li (E1) – 5 yrs React\nIvan Petrov (E7) – 2 yrs Vue\n"
     "Client feedback: liked Anna, Ivan too junior\nSM: Olga", EN, "Interview results: liked Anna, Ivan too junior"),
    ("Today we interviewed:\nAnna Li (E1) – 5 yrs React\nIvan Petrov (E7) – 2 yrs Vue\nFeedback: client chose Anna\nSM: Olga",
     EN, "Interview results: client chose Anna"),
    # A verdict's word as the label: kept, it is what was decided.
    ("Today we interviewed:\nAnna Li (E1) – 5 yrs React\nIvan Petrov (E7) – 2 yrs Vue\nHired: Anna Li, starts 15.12\nSM: Olga",
     EN, "Interview results: Hired: Anna Li, starts 15.12"),
    ("今天面试了：\n王伟（E7）：5年Java经验\n李娜（E8）：3年测试经验\n客户反馈：选了王伟，李娜英语一般\n负责经理：张敏", ZH,
     "面试结果：选了王伟，李娜英语一般"),
    ("Сегодня провели интервью с:\nИван Петров (E77) – Java\nАнна Ли (E1) – дизайнер\nОтзыв клиента: выбрали Ивана\nSM: Ольга",
     RU, "Interview results: выбрали Ивана"),
    ("本日面接した候補者：\n佐藤 健（E101）－Java 5年\n鈴木 花子（E102）－デザイナー3年\nフィードバック：佐藤さんで進めたい\n担当マネージャー：田中",
     JA, "面接結果：佐藤さんで進めたい"),
])
def test_a_verdict_label_under_the_heading_is_no_candidate(tmp_path, notes, candidates, results):
    (s,) = _summaries(tmp_path, [_row("Interview", notes, candidates=candidates)])
    head = _head(s)
    assert head[3] == results, head
    assert len(head) == 5 and s["missing"] == []   # heading, the two candidates, results, SM: nobody made up


def test_feedback_in_a_follow_up_is_still_its_summary(tmp_path):
    (s,) = _summaries(tmp_path, [_row("Follow-up", "Feedback: the candidate declined the offer")])
    assert "Summary: Feedback: the candidate declined the offer" in _head(s)
    assert s["missing"] == []


# ---------------------------------------------------------------- 3. who said what is no item

def test_a_speakers_line_does_not_replace_the_rows_columns(tmp_path):
    rows = [
        _row("Introductory call", "Client: wants a daily report by 18:00 and a weekly call on Mondays\nAgreed on Telegram.",
             client="Acme Ltd", contact="John Smith", candidates="Anna Li (E123)"),
        _row("Repeat call", "Клиент: согласен на 3000$, старт 1 января", client="ООО Ромашка", contact="Иван Сидоров",
             candidates="Иван Петров (E77)", sm="Ольга"),
        _row("Repeat call", "Clarified budget with Mary.\nManager: their HR manager will send the NDA tomorrow",
             client="Globex", contact="Mary Jones", candidates="Ivan Petrov (E77)", sm="Petr"),
        _row("入职介绍会", "客户：希望每天下午六点前提交日报\n约定用钉钉沟通。", client="阿里巴巴", contact="王经理",
             candidates="王伟（E7）", sm="张敏"),
    ]
    intro, ru, manager, zh = map(_head, _summaries(tmp_path, rows))
    assert intro[0] == "Company Name: Acme Ltd"
    assert "Summary: Client: wants a daily report by 18:00 and a weekly call on Mondays" in intro
    assert ru[0] == "Company Name: ООО Ромашка" and "Summary: Клиент: согласен на 3000$, старт 1 января" in ru
    assert manager[-3:] == ["Summary: Clarified budget with Mary.",
                            "Manager: their HR manager will send the NDA tomorrow", "SM: Petr"]
    assert zh[0] == "公司名称：阿里巴巴" and "摘要：客户：希望每天下午六点前提交日报" in zh


def test_a_name_in_the_notes_still_wins_over_the_column(tmp_path):
    rows = [
        _row("First call", "Client: Acme Holding GmbH\nContact: Jane Doe, COO\nImmediate Requirement: 2 devs\n"
                           "Next Step: send CVs\nManager: Olga Smirnova", client="Acme", contact="Jane", sm="Olga"),
        # The column's own value typed in lower case is the item, not a sentence.
        _row("Repeat call", "клиент: ооо ромашка\nУточнили ставку.", client="ООО Ромашка", sm="Ольга"),
        # No column: the notes are all there is, as before.
        _row("Repeat call", "Client: wants weekly reports\nSM: Olga", client="", sm=""),
    ]
    first, lower, no_column = map(_head, _summaries(tmp_path, rows))
    assert first[0] == "Company Name: Acme Holding GmbH" and first[2] == "Contact Person: Jane Doe, COO"
    assert "SM: Olga Smirnova" in first
    assert lower[0] == "Company Name: ооо ромашка" and "Other notes:" not in lower
    assert no_column[0] == "Company Name: wants weekly reports"


def test_the_client_speaking_under_the_candidates_gives_the_verdict(tmp_path):
    notes = "Today we interviewed:\nAnna Li (E1) – 5 yrs React\nIvan Petrov (E7) – 2 yrs Vue\n\nClient: liked Anna, Ivan too junior\nSM: Olga"
    (s,) = _summaries(tmp_path, [_row("Interview", notes)])
    assert _head(s)[3:] == ["Interview results: Client: liked Anna, Ivan too junior", "SM: Olga"]


# ---------------------------------------------------------------- 4. the messenger agreed on

@pytest.mark.parametrize("notes, channel, messenger", [
    ("Call held on WhatsApp video. Agreed to use Telegram for daily communication.", "WhatsApp", "Messenger: Telegram"),
    ("Call held on WhatsApp video, daily chat there too.", "WhatsApp", "Messenger: WhatsApp"),
    ("Project explained: ERP integration.", "WhatsApp", "Messenger: WhatsApp"),
    ("Client does not use WhatsApp; we agreed on Telegram. Stand-up at 9:30.", "", "Messenger: Telegram"),
    ("Telegram for chat, not WhatsApp.", "", "Messenger: Telegram"),
    ("Клиент не пользуется вацапом, договорились о телеграме.", "", "Messenger: Telegram"),
    ("客户不用WhatsApp，约定用微信沟通。", "", "沟通工具：微信"),
    ("WhatsAppではなくSlackで連絡する。", "", "連絡ツール：Slack"),
    # Said without a negation next to it: both stay.
    ("Клиент не против Telegram, отчёты по почте.", "", "Messenger: Telegram, e-mail"),
    # Only one named, negated: still the one talked about.
    ("Client does not use Slack yet.", "", "Messenger: Slack"),
])
def test_the_messenger_the_notes_agree_on_wins(tmp_path, notes, channel, messenger):
    ct = {"沟通": "入职介绍会", "連絡": "顔合わせ"}.get(messenger[:2], "Introductory call")
    lang_client = {"入职介绍会": "阿里巴巴", "顔合わせ": "トヨタ"}.get(ct, "Acme Ltd")
    (s,) = _summaries(tmp_path, [_row(ct, notes, client=lang_client, channel=channel, candidates="Anna Li (E123)")])
    assert messenger in _head(s), _head(s)
    assert s["missing"] == []


# ---------------------------------------------------------------- a name alone, its comment below

@pytest.mark.parametrize("heading", ["Today we interviewed:\n", ""])
def test_a_name_with_its_id_alone_has_its_comment_on_the_line_below(tmp_path, heading):
    # Found by the audit: the candidates showed [missing] and their comments went to Other notes.
    notes = f"{heading}Anna Li (E1)\nGreat React skills, calm\nIvan Petrov (E7)\nWeak English\nInterview results: Anna chosen\nSM: Olga"
    (s,) = _summaries(tmp_path, [_row("Interview", notes)])
    assert _head(s) == ["Today we interviewed:", "Anna Li (E1) – Great React skills, calm", "Ivan Petrov (E7) – Weak English",
                        "Interview results: Anna chosen", "SM: Olga"]
    assert s["missing"] == []


def test_a_clarification_naming_whom_it_is_about_stays_a_clarification(tmp_path):
    (s,) = _summaries(tmp_path, [_row("Repeat call", "Ivan Petrov (E77)\nConfirmed the start date, rate 3000 USD.",
                                      candidates="Ivan Petrov (E77)", client="Globex", sm="Petr")])
    assert "Summary: Ivan Petrov (E77)" in _head(s) and s["missing"] == []


# ---------------------------------------------------------------- review of the audit's fixes (helper Q)

@pytest.mark.parametrize("notes, candidates, lines", [
    # Found by a review: the second line of Anna's comment became the results, Ivan showed
    # [missing] and his line was read into the results.
    ("Today we interviewed:\nAnna Li (E1) – 5 years Java, good English.\nShe liked the project and can start in January.\n"
     "Ivan Petrov (E2) – 7 years Java.\nWas hired by EPAM in 2020 as a team lead, wants remote.\n"
     "Interview results: the client chose Anna, Ivan too expensive.\nSM: Olga", "Anna Li (E1); Ivan Petrov (E2)",
     ["Anna Li (E1) – 5 years Java, good English. She liked the project and can start in January.",
      "Ivan Petrov (E2) – 7 years Java. Was hired by EPAM in 2020 as a team lead, wants remote.",
      "Interview results: the client chose Anna, Ivan too expensive."]),
    ("Сегодня собеседовали:\nАнна Ли (E1) – 5 лет Java, хороший английский.\nЕй понравился проект, готова выйти в январе.\n"
     "Иван Петров (E2) – 7 лет Java.\nРезультаты интервью: клиент выбрал Анну.\nSM: Ольга", "Анна Ли (E1); Иван Петров (E2)",
     ["Анна Ли (E1) – 5 лет Java, хороший английский. Ей понравился проект, готова выйти в январе.",
      "Иван Петров (E2) – 7 лет Java.", "Interview results: клиент выбрал Анну."]),
    # Names the other candidate without a verdict word: still about the one above.
    ("Today we interviewed:\nAnna Li (E1) – 5 yrs React\nIvan Petrov (E7) – 2 yrs Vue\nCalmer than Anna, but slower.\n"
     "Interview results: Anna chosen\nSM: Olga", EN,
     ["Anna Li (E1) – 5 yrs React", "Ivan Petrov (E7) – 2 yrs Vue; Calmer than Anna, but slower.",
      "Interview results: Anna chosen"]),
])
def test_a_candidates_comment_on_a_second_line_stays_theirs(tmp_path, notes, candidates, lines):
    (s,) = _summaries(tmp_path, [_row("Interview", notes, candidates=candidates)])
    head = _head(s)
    assert head[1:len(lines) + 1] == lines, head
    assert s["missing"] == []


@pytest.mark.parametrize("verdict", [
    "Anna chosen, Ivan too junior.",         # a verdict word and another candidate
    "Hooli liked Anna more.",                # the Client column's value first
    "Заказчику понравилась Анна.",
])
def test_a_verdict_by_the_client_or_about_another_candidate_is_the_results(tmp_path, verdict):
    notes = f"Today we interviewed:\nAnna Li (E1) – 5 yrs React\nIvan Petrov (E7) – 2 yrs Vue\n{verdict}\nSM: Olga"
    (s,) = _summaries(tmp_path, [_row("Interview", notes)])
    assert _head(s)[1:4] == ["Anna Li (E1) – 5 yrs React", "Ivan Petrov (E7) – 2 yrs Vue", f"Interview results: {verdict}"]


def test_results_taken_from_a_plain_line_end_at_the_next_candidates_line(tmp_path):
    # The client's word after each candidate: the next candidate's line is theirs, not the verdict.
    notes = ("Today we interviewed:\nAnna Li (E1) – 5 yrs React\nClient liked her a lot.\n"
             "Ivan Petrov (E7) – 2 yrs Vue\nSeemed nervous.\nMaria Gomez – QA, 4 yrs\nSM: Olga")
    (s,) = _summaries(tmp_path, [_row("Interview", notes, candidates="")])
    assert _head(s) == ["Today we interviewed:", "Anna Li (E1) – 5 yrs React", "Ivan Petrov (E7) – 2 yrs Vue; Seemed nervous.",
                        "Maria Gomez – QA, 4 yrs", "Interview results: Client liked her a lot.", "SM: Olga"]
    assert s["missing"] == []


@pytest.mark.parametrize("notes, channel, messenger", [
    # Found by a review: the e-mail a document goes by beat the Telegram the call was held on.
    ("Client explained the project: mobile banking app. Client will send the NDA by e-mail today. Daily report at 18:00.",
     "Telegram", "Messenger: Telegram"),
    ("The NDA will be sent via e-mail.", "Telegram", "Messenger: Telegram"),
    ("Договор пришлют через почту, отчёты по пятницам.", "Telegram", "Messenger: Telegram"),
    # Said to be agreed on, or on a Messenger: line: the notes' one.
    ("Call held on WhatsApp video. Agreed to use Telegram for daily communication, reports by e-mail on Fridays.",
     "WhatsApp", "Messenger: Telegram"),
    ("Client does not use WhatsApp; we agreed on Telegram. Stand-up at 9:30.", "WhatsApp", "Messenger: Telegram"),
    ("Project explained.\nMessenger: Slack", "Telegram", "Messenger: Slack"),
    ("Связь через вацап, отчёт раз в неделю.", "Telegram", "Messenger: WhatsApp"),
    ("客户介绍了项目。约定用微信沟通，合同通过邮件发送。", "WhatsApp", "沟通工具：微信"),
])
def test_beside_the_channel_the_notes_messenger_must_be_agreed_on(tmp_path, notes, channel, messenger):
    ct, client = ("入职介绍会", "阿里巴巴") if messenger.startswith("沟通") else ("Introductory call", "Acme Ltd")
    (s,) = _summaries(tmp_path, [_row(ct, notes, client=client, channel=channel, candidates="Anna Li (E123)")])
    assert messenger in _head(s), _head(s)
    assert s["missing"] == []


def test_a_name_with_details_in_the_notes_is_the_item(tmp_path):
    # Found by a review: both lines went to Other notes, the items kept the shorter columns.
    notes = ("Company: Acme Ltd, logistics SaaS, 200 staff, Berlin office\n"
             "Contact: Olga Ivanova, HR Director, +49 30 1234567\nProduct: fleet tracking\n"
             "Immediate Requirement: 2 Java developers, full time\nNext Step: send CVs\nSM: Olga")
    rows = [_row("First call", notes, client="Acme", contact="Olga Ivanova"),
            # Begins with the column's value, in another case: the notes' richer value.
            _row("Repeat call", "Client: acme, renewed for 2027 after a long talk with their board",
                 client="Acme", contact="Mary Jones"),
            # What someone said, a comma or not: a note, the columns stay.
            _row("Repeat call", "Client: Agreed on the rate, starts Monday with the team\nКонтакт: согласен на 3000$, старт 1 января",
                 client="Globex", contact="Иван Сидоров")]
    first, prefix, said = map(_head, _summaries(tmp_path, rows))
    assert first[0] == "Company Name: Acme Ltd, logistics SaaS, 200 staff, Berlin office"
    assert first[2] == "Contact Person: Olga Ivanova, HR Director, +49 30 1234567"
    assert "Other notes:" not in first
    assert prefix[0] == "Company Name: acme, renewed for 2027 after a long talk with their board"
    assert said[:2] == ["Company Name: Globex", "Contact Person: Иван Сидоров"]
    assert "Summary: Client: Agreed on the rate, starts Monday with the team" in said
