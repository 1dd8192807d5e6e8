"""The interview notice (seed 004): all ten items or a Problem naming the missing ones."""
from __future__ import annotations

import html as html_lib
from datetime import date, datetime, time

import pytest

from tracker.config import LANGUAGES, load_config
from tracker.model import CallRecord, Person, Problem
from tracker.notice import Notice, interview_notice, item_label

TEN = ["interview_time", "address", "route", "contact_person", "job_title", "responsibilities",
       "salary", "work_location", "company_name", "company_website"]

NOTES_EN = """Address: 1 Main St, floor 3 <reception>
Route: Metro line 2 to Central, exit B
Contact Person: Li Wei
Responsibilities: Build & run APIs
Salary: 20-30k
Work location: Shanghai
Company Website: acme.example.com"""

NOTES = {
    "en": NOTES_EN,
    "ru": "Адрес: Тверская 1\nКак добраться: м. Пушкинская, выход 3\nКонтактное лицо: Ольга\n"
          "Обязанности: разработка API\nЗарплата: 200-250 тыс.\nМесто работы: Москва\nСайт компании: acme.ru",
    "zh": "面试地址：上海市南京路1号\n交通路线：地铁2号线\n联系人：李伟\n岗位职责：开发接口\n薪资范围：2-3万\n工作地点：上海\n公司官网：acme.cn",
    "ja": "面接場所：東京都千代田区1-1\nアクセス：丸の内線 東京駅\n担当者：佐藤\n仕事内容：API開発\n給与：600-800万円\n勤務地：東京\n企業サイト：acme.jp",
}


@pytest.fixture(scope="module")
def config():
    return load_config()


def rec(notes=NOTES_EN, **kw) -> CallRecord:
    # The invitation call on Friday 20th; the interview it announces (its next contact) on Monday 23rd.
    base = dict(sheet="Log", row=14, id="31", call_type="interview_notice", date=date(2026, 11, 20), time=time(10, 0),
                next_contact=datetime(2026, 11, 23, 11, 0),
                client="Acme", position="Python developer", candidates=[Person("Anna", "E7")], email="anna@mail.example",
                manager="Olga", notes=notes)
    base.update(kw)
    return CallRecord(**base)


def test_notice_with_all_items(config):
    n = interview_notice(rec(), config)
    assert isinstance(n, Notice)
    assert n.to == "anna@mail.example"
    assert n.names == ["Anna"]
    assert set(TEN) <= set(n.items)
    for value in ("Python developer", "Acme", "Li Wei", "Metro line 2 to Central, exit B", "20-30k", "Shanghai",
                  "acme.example.com", "Build & run APIs", "1 Main St, floor 3 <reception>", "11:00"):
        assert value in n.text
        assert html_lib.escape(value, quote=False) in n.html
    assert "<reception>" not in n.html  # user text is escaped in the HTML
    assert 'href="https://acme.example.com"' in n.html
    assert "Python developer" in n.subject and "Acme" in n.subject
    for item in TEN:
        assert item_label(config, item, "en") in n.text


def test_a_rescheduled_interview_is_announced_at_its_new_slot(config):
    # Found by a tester: the notice of an interview marked Rescheduled gave its old time,
    # while the reminders and the calendar gave the new one.
    moved = rec(call_type="interview", date=date(2026, 12, 8), time=time(13, 0), outcome="rescheduled",
                next_contact=datetime(2026, 12, 10, 16, 0))
    n = interview_notice(moved, config)
    assert isinstance(n, Notice)
    assert "Thu 10 Dec 2026, 16:00" in n.text and "Thu 10 Dec 2026, 16:00" in n.subject
    assert "8 Dec" not in n.text and "13:00" not in n.text
    # Moved with no new slot: the time is what is missing.
    p = interview_notice(rec(call_type="interview", date=date(2026, 12, 8), time=time(13, 0), outcome="rescheduled",
                             next_contact=None), config)
    assert isinstance(p, Problem) and p.value == "interview_time"


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("outcome", ["cancelled", "no_show"])
def test_an_interview_called_off_gets_no_notice_and_says_why(config, outcome, lang):
    p = interview_notice(rec(call_type="interview", outcome=outcome, language=lang, columns={"outcome": "I"}), config)
    assert isinstance(p, Problem)
    label = config.list_label("outcome", outcome, lang)
    assert (p.column, p.value) == ("I", label) and label in p.message
    assert config.list_label("outcome", "rescheduled", lang) in p.message   # what to do instead
    assert config.header("next_contact", lang) in p.message


def test_missing_items_give_a_problem_naming_them(config):
    notes = "Address: 1 Main St\nSalary: 20-30k"
    p = interview_notice(rec(notes=notes, next_contact=None, position=""), config)
    assert isinstance(p, Problem)
    assert (p.sheet, p.row) == ("Log", 14)
    missing = {"interview_time", "route", "contact_person", "job_title", "responsibilities", "work_location", "company_website"}
    assert set(p.value.split(", ")) == missing
    for item in missing:
        assert item_label(config, item, "en") in p.message
    for present in ("address", "salary", "company_name"):
        assert item_label(config, present, "en") not in p.message
    # The row is said once, by the cell the message is printed after ("Log!14:14: ...").
    assert p.cell == "Log!14:14" and "14" not in p.message


@pytest.mark.parametrize("lang", LANGUAGES)
def test_keys_in_every_language(config, lang):
    n = interview_notice(rec(notes=NOTES[lang], language=lang), config)
    assert isinstance(n, Notice), getattr(n, "message", "")
    assert n.lang == lang
    first_value = NOTES[lang].splitlines()[0].split("：" if lang in ("zh", "ja") else ": ", 1)[1]
    assert first_value in n.text and html_lib.escape(first_value, quote=False) in n.html
    assert item_label(config, "salary", lang) in n.text
    assert f'lang="{lang}"' in n.html
    if lang == "ja":   # one honorific: 様 after a bare name, none after one written with it
        two = interview_notice(rec(notes=NOTES[lang], language=lang,
                                   candidates=[Person("佐藤 健", "E1"), Person("鈴木様", "E2")]), config)
        assert two.text.startswith("佐藤 健様、鈴木様\n") and "鈴木様 様" not in two.html
    if lang == "zh":   # 此致 is always followed by 敬礼, then the signature (Olga)
        assert "此致\n敬礼！\nOlga" in n.text and "此致<br>敬礼！<br>Olga" in n.html


@pytest.mark.parametrize("lang", LANGUAGES)
def test_problem_in_every_language(config, lang):
    p = interview_notice(rec(notes="", language=lang), config)
    assert isinstance(p, Problem)
    assert item_label(config, "route", lang) in p.message


def test_items_from_the_users_own_columns(config):
    notes = "\n".join(l for l in NOTES_EN.splitlines() if not l.startswith(("Address", "Salary")))
    r = rec(notes=notes, extra={"Адрес": "Tverskaya 1", "Salary range": "100k"})
    n = interview_notice(r, config)
    assert isinstance(n, Notice)
    assert n.items["address"] == "Tverskaya 1" and n.items["salary"] == "100k"


def test_contact_person_from_the_contact_column_when_the_row_names_candidates(config):
    notes = "\n".join(l for l in NOTES_EN.splitlines() if not l.startswith("Contact"))
    assert interview_notice(rec(notes=notes, contact="Mr Wang"), config).items["contact_person"] == "Mr Wang"
    # Without candidates the contact is the candidate, not the contact person.
    p = interview_notice(rec(notes=notes, contact="Anna", candidates=[], fields={"contact": "Anna"}), config)
    assert isinstance(p, Problem) and p.value == "contact_person"
    # Nor when the contact is one of the candidates: the notes' contact person, else missing.
    ivan = [Person("Ivan Petrov", "E12")]
    assert interview_notice(rec(contact="Ivan Petrov", candidates=ivan), config).items["contact_person"] == "Li Wei"
    p = interview_notice(rec(notes=notes, contact="IVAN PETROV", candidates=ivan), config)
    assert isinstance(p, Problem) and p.value == "contact_person"


def test_required_items_are_configurable():
    cfg = load_config(overrides={"reminders": {"notice_required": [i for i in TEN if i not in ("address", "route")]}})
    notes = "\n".join(l for l in NOTES_EN.splitlines() if not l.startswith(("Address", "Route")))
    n = interview_notice(rec(notes=notes + "\nMeeting link: https://meet.example/x"), cfg)
    assert isinstance(n, Notice)
    assert "https://meet.example/x" in n.text


def test_notice_as_an_email_draft(tmp_path, config):
    import email
    import email.policy

    from tracker.exports import write_notice_eml

    n = interview_notice(rec(), config)
    path = write_notice_eml(n, tmp_path)
    assert path.parent == tmp_path and path.suffix == ".eml"
    msg = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    assert msg["X-Unsent"] == "1"
    assert msg["Subject"] == n.subject
    assert msg["To"].addresses[0].addr_spec == "anna@mail.example"
    plain = msg.get_body(("plain",)).get_content().replace("\r\n", "\n").strip()
    html = msg.get_body(("html",)).get_content().replace("\r\n", "\n").strip()
    assert plain == n.text.strip() and html == n.html.strip()
    assert write_notice_eml(n, tmp_path) == path


def test_notice_row_takes_the_interview_time_from_its_next_contact(config):
    # The notice call is made on the 20th; the interview it announces is on the 23rd at 15:30.
    n = interview_notice(rec(date=date(2026, 11, 20), time=time(10, 0),
                             next_contact=datetime(2026, 11, 23, 15, 30)), config)
    assert isinstance(n, Notice)
    assert "15:30" in n.text and "10:00" not in n.text


def test_a_notice_row_without_the_interviews_time_names_it_missing_never_its_own_time(config):
    # Invitation call Fri 20th at 10:00; the interview is Mon 23rd at a time not yet written.
    p = interview_notice(rec(next_contact=date(2026, 11, 23)), config)
    assert isinstance(p, Problem) and p.value == "interview_time"
    assert "Mon 23 Nov 2026" in p.message and "10:00" not in p.message and "20 Nov" not in p.message
    # No next contact: the row does not say when the interview is at all.
    p = interview_notice(rec(next_contact=None), config)
    assert isinstance(p, Problem) and p.value == "interview_time" and "Nov" not in p.message


def test_a_notice_without_a_required_time_says_the_day_alone():
    cfg = load_config(overrides={"reminders": {"notice_required": TEN[1:]}})
    n = interview_notice(rec(next_contact=date(2026, 11, 23)), cfg)
    assert isinstance(n, Notice)
    assert n.items["interview_time"] == "2026-11-23"
    for text in (n.subject, n.text, n.html):
        assert "Mon 23 Nov 2026" in text and "Mon 23 Nov 2026," not in text
        assert "10:00" not in text and "20 Nov" not in text


def test_a_day_alone_yields_to_the_time_written_in_the_notes(config):
    n = interview_notice(rec(notes=NOTES_EN + "\nInterview time: Monday 23.11, 15:00", next_contact=date(2026, 11, 23)),
                         config)
    assert isinstance(n, Notice)
    assert "Interview time: Monday 23.11, 15:00" in n.text and "15:00" in n.subject


def test_an_interview_row_is_its_own_interview_time(config):
    # On the interview row itself, the next contact is what comes after the interview.
    n = interview_notice(rec(call_type="interview", date=date(2026, 11, 23), time=time(15, 0),
                             next_contact=date(2026, 11, 30)), config)
    assert isinstance(n, Notice)
    assert "Interview time: Mon 23 Nov 2026, 15:00" in n.text and "30 Nov" not in n.text


def _book(path, header, row):
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.title = "Calls"
    wb.active.append(header)
    wb.active.append(row)
    wb.save(path)
    return path


def _run(*args):
    from click.testing import CliRunner

    from tracker.cli import main

    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def test_the_notice_from_a_workbook_takes_the_day_of_the_interview_from_next_contact(tmp_path):
    header = ["Date", "Time", "Call type", "Client", "Contact", "Position", "Outcome", "Next contact", "E-mail",
              "Comment on the call"]
    notes = NOTES_EN.replace("Contact Person: Li Wei", "Contact person: Mary Major")
    path = _book(tmp_path / "log.xlsx", header, [date(2026, 11, 18), "12:00", "Interview notice", "Acme GmbH",
                                                 "Tim Candidate", "Data engineer", "Done", "23.11.2026",
                                                 "tim@x.example", notes])
    r = _run("notice", path, "--row", 2, "--eml", tmp_path / "drafts")
    assert r.exit_code == 1 and r.stdout == ""   # what is missing is a message: on stderr
    assert "missing Interview time" in r.stderr and "Mon 23 Nov 2026" in r.stderr
    assert "12:00" not in r.output and "18 Nov" not in r.output
    assert not (tmp_path / "drafts").exists()


@pytest.mark.parametrize("contact, candidates, to", [
    ("Mary Major", "Ann Lee (E1)", ""),          # the e-mail is the client's person's
    ("", "Ann Lee (E1)", "ann@x.example"),       # one candidate and nobody else: theirs
    ("Ann Lee", "", "ann@x.example"),            # the contact is the candidate
    ("ann  lee", "Ann Lee (E1)", "ann@x.example"),   # the candidate named in both columns
])
def test_the_draft_goes_only_to_the_candidates_own_address(tmp_path, contact, candidates, to):
    import email
    import email.policy

    header = ["Date", "Time", "Call type", "Client", "Contact", "Candidates", "Position", "E-mail",
              "Comment on the call"]
    address = "mary.major@acme.example" if contact == "Mary Major" else "ann@x.example"
    path = _book(tmp_path / "log.xlsx", header, [date(2026, 11, 23), "15:00", "Interview", "Acme GmbH", contact,
                                                 candidates, "Data engineer", address, NOTES_EN])
    r = _run("notice", path, "--row", 2, "--eml", tmp_path)
    assert r.exit_code == 0, r.output
    msg = email.message_from_bytes((tmp_path / "notice_log_Calls_r2.eml").read_bytes(), policy=email.policy.default)
    assert [a.addr_spec for a in msg["To"].addresses] == ([to] if to else [])
    assert "Dear Ann Lee," in msg.get_body(("plain",)).get_content()
    assert r.stdout.startswith(f"To: {to}\n")
    said = r.stderr.splitlines()
    assert said[-1] == f"Draft written to {tmp_path / 'notice_log_Calls_r2.eml'}"
    if not to:   # why, so the user fills in the candidate's own
        assert said[:-1] == ["Calls!H2: To is empty: the row's e-mail (mary.major@acme.example) is the "
                             "contact's, not the candidate's; fill in the candidate's"]
    else:
        assert said[:-1] == []


def test_a_row_that_is_no_interview_gets_no_invitation(tmp_path):
    # A first call with every item in its notes used to give "Interview invitation: ...",
    # addressed to the client's contact.
    header = ["Date", "Time", "Call type", "Client", "Contact", "Position", "E-mail", "Comment on the call"]
    path = _book(tmp_path / "log.xlsx", header, [date(2026, 11, 23), "15:00", "First call", "Acme GmbH",
                                                 "Mary Major", "Data engineer", "mary@acme.example", NOTES_EN])
    r = _run("notice", path, "--row", 2, "--eml", tmp_path / "drafts")
    assert r.exit_code == 2 and r.stdout == ""
    assert r.stderr.strip() == (f"tracker: {path}: Calls!C2: First call is not an interview; a notice is written for a "
                                "row of one of: Interview, Repeat call, Interview notice")
    assert not (tmp_path / "drafts").exists()


@pytest.mark.parametrize("typed, said", [
    ("Frobnicate", "Calls!C2: call type 'Frobnicate' is not one Call Tracker knows, so no notice applies; "
                   "write one of the drop-down's call types, or add yours under `call_types` in tracker.yaml"),
    ("", "Calls!2: the row has no call type, so no notice applies"),
])
def test_a_row_whose_call_type_cannot_be_read_is_named_as_an_input_problem(tmp_path, typed, said):
    # It said "a row without a call type is not an interview", exit 2 (a usage error),
    # for a typo in the cell; `summary` of the same row says what is wrong, exit 1.
    header = ["Date", "Time", "Call type", "Client", "Contact", "Position", "E-mail", "Comment on the call"]
    path = _book(tmp_path / "log.xlsx", header, [date(2026, 11, 23), "15:00", typed or None, "Acme GmbH",
                                                 "Mary Major", "Data engineer", "mary@acme.example", NOTES_EN])
    r = _run("notice", path, "--row", 2)
    assert r.exit_code == 1 and r.stdout == "" and "Traceback" not in r.output
    assert f"tracker: {path}: {said}" in r.stderr.splitlines(), r.stderr


def test_an_interview_of_several_candidates_gives_each_their_own_notice(tmp_path):
    # Found by a tester: one notice greeted "Dear Anna Li, Ivan Petrov, 李雷," and showed
    # each candidate the others' names; a notice is the candidate's own letter.
    import email
    import email.policy

    header = ["Date", "Time", "Call type", "Client", "Candidates", "Position", "E-mail", "Comment on the call"]
    path = _book(tmp_path / "log.xlsx", header, [date(2026, 11, 23), "15:00", "Interview", "Acme GmbH",
                                                 "Anna Li (E1), Ivan Petrov (E2)", "Data engineer",
                                                 "hr@acme.example", NOTES_EN])
    r = _run("notice", path, "--row", 2, "--eml", tmp_path / "drafts")
    assert r.exit_code == 0, r.output
    assert r.stdout.count("Subject: ") == 2 and "Dear Anna Li,\n" in r.stdout and "Dear Ivan Petrov,\n" in r.stdout
    assert "Anna Li, Ivan Petrov" not in r.stdout
    drafts = sorted((tmp_path / "drafts").glob("*.eml"))
    assert [p.name for p in drafts] == ["notice_log_Calls_r2_Anna_Li.eml", "notice_log_Calls_r2_Ivan_Petrov.eml"]
    for draft, name, other in zip(drafts, ["Anna Li", "Ivan Petrov"], ["Ivan Petrov", "Anna Li"]):
        body = email.message_from_bytes(draft.read_bytes(), policy=email.policy.default).get_body(("plain",))
        assert f"Dear {name}," in body.get_content() and other not in body.get_content()
    assert "2 candidates, one notice each; To is empty" in r.stderr


def test_a_japanese_notice_to_one_of_several_candidates_greets_them_alone(config):
    n = interview_notice(rec(notes=NOTES["ja"], language="ja", candidates=[Person("岡田"), Person("松本")]), config,
                         candidate="岡田")
    assert isinstance(n, Notice) and n.names == ["岡田"]
    assert n.text.startswith("岡田様") and "松本" not in n.text


@pytest.mark.parametrize("cell, to", [("not an address", ""), ("n/a", ""), ("ann@x.example; ann.li@y.example",
                                                                            "ann@x.example, ann.li@y.example"),
                                       ("Ann Lee <ann@x.example>", "ann@x.example"),   # found by a review
                                       ("mailto:ann@x.example", "ann@x.example")])
def test_an_e_mail_cell_that_holds_no_address_gives_an_empty_to_and_says_so(tmp_path, cell, to):
    # Found by a tester: "not an address" went into To as <"not an address">, which mail
    # programs refuse; nothing said so.
    import email
    import email.policy

    header = ["Date", "Time", "Call type", "Client", "Contact", "Position", "E-mail", "Comment on the call"]
    path = _book(tmp_path / "log.xlsx", header, [date(2026, 11, 23), "15:00", "Interview", "Acme GmbH", "Ann Lee",
                                                 "Data engineer", cell, NOTES_EN])
    r = _run("notice", path, "--row", 2, "--eml", tmp_path)
    assert r.exit_code == 0, r.output
    msg = email.message_from_bytes((tmp_path / "notice_log_Calls_r2.eml").read_bytes(), policy=email.policy.default)
    assert [a.addr_spec for a in msg["To"].addresses] == (to.split(", ") if to else [])
    assert r.stdout.startswith(f"To: {to}\n")
    assert (f"To is empty: {cell!r} is not an e-mail address" in r.stderr) == (not to)


def test_a_notice_draft_written_over_an_edited_one_names_its_backup(tmp_path):
    # The edited draft was kept in .call-tracker-backups without a word (the digest says
    # its backup, refresh its own).
    header = ["Date", "Time", "Call type", "Client", "Contact", "Position", "E-mail", "Comment on the call"]
    path = _book(tmp_path / "log.xlsx", header, [date(2026, 11, 23), "15:00", "Interview", "Acme GmbH", "Ann Lee",
                                                 "Data engineer", "ann@x.example", NOTES_EN])
    drafts = tmp_path / "drafts"
    assert _run("notice", path, "--row", 2, "--eml", drafts).exit_code == 0
    draft = drafts / "notice_log_Calls_r2.eml"
    edited = draft.read_bytes().replace(b"Dear Ann Lee,", b"Dear Ann,")
    draft.write_bytes(edited)
    r = _run("notice", path, "--row", 2, "--eml", drafts)
    assert r.exit_code == 0, r.output
    [kept] = (drafts / ".call-tracker-backups").iterdir()
    assert kept.read_bytes() == edited and b"Dear Ann Lee," in draft.read_bytes()
    assert r.stderr.splitlines()[-2:] == [f"Draft written to {draft}", f"Backup of the previous {draft.name}: {kept}"]
    # Written again as it is: nothing replaced, nothing said.
    r = _run("notice", path, "--row", 2, "--eml", drafts)
    assert r.exit_code == 0 and r.stderr.splitlines() == [f"Draft written to {draft}"], r.stderr
    assert len(list((drafts / ".call-tracker-backups").iterdir())) == 1


def test_the_notes_words_for_an_item_reach_the_notice_as_written_over_a_columns_shorter_ones(tmp_path):
    # The Client and Contact columns said less than the notes, and won: the notice lost the
    # contact person's phone and most of the company's name.
    notes = (NOTES_EN.replace("Contact Person: Li Wei", "Contact Person: Olga Ivanova, +7 912 345-67-89")
             + "\nCompany Name: Acme Robotics International LLC\nJob title: Senior Python developer (backend)")
    header = ["Date", "Time", "Call type", "Client", "Contact", "Candidates", "Position", "E-mail", "Comment on the call"]
    path = _book(tmp_path / "log.xlsx", header, [date(2026, 11, 23), "15:00", "Interview", "Acme Robotics",
                                                 "Olga Ivanova", "Ann Lee (E1)", "Python developer", "", notes])
    r = _run("notice", path, "--row", 2, "--eml", tmp_path / "d")
    assert r.exit_code == 0, r.output
    for line in ("Contact person: Olga Ivanova, +7 912 345-67-89", "Company name: Acme Robotics International LLC",
                 "Job title: Senior Python developer (backend)"):
        assert line in r.stdout.splitlines()
    assert "Subject: Interview invitation: Senior Python developer (backend) at Acme Robotics International LLC," in r.stdout
    draft, = (tmp_path / "d").glob("*.eml")
    html = draft.read_text(encoding="utf-8")
    assert "+7 912 345-67-89" in html and "Acme Robotics International LLC" in html


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_repeat_call_to_clarify_details_gets_no_interview_notice(tmp_path, lang):
    # It gave "missing Address, ..." as if it were an interview of its contact, the client's person.
    header = ["Date", "Time", "Call type", "Client", "Contact", "Candidates", "E-mail", "Language", "Comment on the call"]
    path = _book(tmp_path / "log.xlsx", header, [date(2026, 11, 23), "15:00", "Repeat call", "Acme GmbH",
                                                 "Mary Major", None, "mary@acme.example", lang,
                                                 "Clarify the start date and the rate.\n" + NOTES_EN])
    r = _run("notice", path, "--row", 2, "--eml", tmp_path / "d")
    assert r.exit_code == 1 and r.stdout == "" and "Traceback" not in r.output
    said, = r.stderr.splitlines()
    assert said.startswith("Calls!F2: ")
    if lang == "en":
        assert said == ("Calls!F2: Interview notice not written: this Repeat call names no "
                        "candidates and its notes are not an interview's, so it is a call to clarify details. If it "
                        "is a second interview, write its candidates in the Candidates column.")
    assert not (tmp_path / "d").exists()
    # Its candidates written, it is the second interview, and gets its notice.
    path = _book(tmp_path / "log.xlsx", header, [date(2026, 11, 23), "15:00", "Repeat call", "Acme GmbH",
                                                 "Mary Major", "Ann Lee (E1)", "", lang, NOTES_EN + "\nJob title: Data engineer"])
    assert _run("notice", path, "--row", 2).exit_code == 0
