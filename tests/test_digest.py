"""The daily digest per manager: follow-ups and reminders, in the manager's language."""
from __future__ import annotations

import html as html_lib
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timezone

import pytest

from tracker.config import LANGUAGES, load_config
from tracker.digest import digests, write_digests
from tracker.model import CallRecord, Person
from tracker.reminders import reminders

FRIDAY_8 = datetime(2026, 11, 20, 8, 0)


@dataclass
class Step:
    channel: str
    action: str
    key: str = ""


@dataclass
class FollowUp:
    """Stand-in for tracker.followups' result: only the attributes the digest reads."""

    sheet: str
    row: int
    id: str
    manager: str
    lang: str
    contact: str
    client: str
    due: datetime | None
    status: str
    days_overdue: int
    step: Step | None
    message: str


def fu(row, manager, status, lang="en", days=0, contact="Pete", client="Gamma", message="") -> FollowUp:
    return FollowUp("Log", row, str(row), manager, lang, contact, client, datetime(2026, 11, 20, 9), status, days,
                    Step("phone", "call"), message)


@pytest.fixture(scope="module")
def config():
    return load_config()


def interview(row, manager, day, lang="en", at=time(11, 0)) -> CallRecord:
    return CallRecord("Log", row, str(row), call_type="interview", date=day, time=at, client="Acme",
                      candidates=[Person("Anna")], manager=manager, language=lang)


def all_reminders(config, records):
    return reminders(records, config, datetime(2026, 11, 1), datetime(2026, 12, 31))


def test_one_digest_per_manager_and_none_without_work(config):
    followups = [
        fu(2, "Olga", "overdue", days=1),
        fu(3, " olga ", "overdue", days=4),  # the same manager, typed differently
        fu(4, "Olga", "due_today"),
        fu(5, "Max", "upcoming"),
        fu(6, "Max", "done"),
        fu(7, "Max", "no_next_action"),
    ]
    got = digests(followups, [], config, FRIDAY_8)
    assert [d.manager for d in got] == ["Olga"]
    d = got[0]
    assert [e.row for e in d.overdue] == [3, 2]  # most overdue first
    assert [e.row for e in d.today] == [4]
    assert "Max" not in d.text


def test_reminders_of_today_and_the_next_working_day(config):
    recs = [
        interview(10, "Li", date(2026, 11, 23)),   # Monday: confirm Fri 10:00, remind Mon 10:40
        # Wednesday: confirm Tue, remind Wed: beyond Monday. Another candidate's: Anna's
        # again on a later day would be hers moved (followups.logs_again).
        replace(interview(11, "Li", date(2026, 11, 25)), candidates=[Person("Ben")]),
    ]
    (d,) = digests([], all_reminders(config, recs), config, FRIDAY_8)
    assert d.manager == "Li"
    assert [(r.row, r.at) for r in d.reminders] == [(10, datetime(2026, 11, 20, 10, 0)), (10, datetime(2026, 11, 23, 10, 40))]
    assert "Anna" in d.text


def test_aware_now_is_converted():
    config = load_config(overrides={"timezone": "Europe/Moscow"})
    recs = [interview(10, "Li", date(2026, 11, 24))]  # Tuesday: confirm Mon 10:00, remind Tue 10:40
    rems = all_reminders(config, recs)
    # Sunday 22:30 UTC is already Monday 01:30 in Moscow: Monday's digest shows Monday and Tuesday.
    (d,) = digests([], rems, config, datetime(2026, 11, 22, 22, 30, tzinfo=timezone.utc))
    assert d.day == date(2026, 11, 23)
    assert len(d.reminders) == 2
    # Read naively it would be Sunday, whose horizon (Monday) stops before Tuesday's reminder.
    (naive,) = digests([], rems, config, datetime(2026, 11, 22, 22, 30))
    assert len(naive.reminders) == 1


def test_language_is_the_managers_most_common(config):
    followups = [fu(2, "Olga", "overdue", "ru", days=2), fu(3, "Olga", "due_today", "ru"), fu(4, "Olga", "overdue", "en", days=1),
                 fu(5, "Wang", "overdue", "zh", days=1), fu(6, "Wang", "overdue", "ja", days=1)]
    got = {d.manager: d for d in digests(followups, [], config, FRIDAY_8)}
    assert got["Olga"].lang == "ru"
    assert got["Olga"].overdue[0].channel_label == config.list_label("channel", "phone", "ru")
    # A tie goes to neither row's order but to a fixed rule (the workbook language, else alphabetical).
    assert got["Wang"].lang == ("ja" if config.language not in ("ja", "zh") else config.language)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_language_renders(config, lang):
    followups = [fu(2, "Olga", "overdue", lang, days=3, message="Hi <Pete> & co")]
    rems = all_reminders(config, [interview(10, "Olga", date(2026, 11, 23), lang)])
    (d,) = digests(followups, rems, config, FRIDAY_8)
    assert d.lang == lang
    assert d.subject and "\n" not in d.subject and "Olga" in d.subject
    assert "Hi <Pete> & co" in d.text
    assert html_lib.escape("Hi <Pete> & co", quote=False) in d.html and "<Pete>" not in d.html
    assert config.list_label("channel", "phone", lang) in d.text
    assert all(r.subject in d.text for r in d.reminders)


@pytest.mark.parametrize("lang", ["zh", "ja"])
def test_chinese_and_japanese_headings_end_with_the_full_width_colon(config, lang):
    followups = [fu(2, "Wang", "overdue", lang, days=3), fu(3, "Wang", "due_today", lang)]
    rems = all_reminders(config, [interview(10, "Wang", date(2026, 11, 23), lang)])
    (d,) = digests(followups, rems, config, FRIDAY_8)
    headings = [line for line in d.text.splitlines() if line.endswith(("）:", "）："))]
    assert len(headings) >= 3 and all(h.endswith("）：") for h in headings), headings


def test_digests_differ_by_language(config):
    texts = {digests([fu(2, "Olga", "overdue", l, days=3)], [], config, FRIDAY_8)[0].text for l in LANGUAGES}
    assert len(texts) == len(LANGUAGES)


def test_write_files_and_read_back(tmp_path, config):
    followups = [fu(2, "Ольга/Петрова", "overdue", "ru", days=2), fu(3, "", "due_today")]
    got = digests(followups, [], config, FRIDAY_8)
    assert len(got) == 2
    written = [p for d in got for p in d.write(tmp_path)]
    assert len(written) == 4 and len({p.name for p in written}) == 4
    assert all(p.parent == tmp_path and "/" not in p.name for p in written)
    for d in got:
        txt, html = d.write(tmp_path)  # same names on a second run
        assert txt.read_text(encoding="utf-8").rstrip("\n") == d.text
        assert html.read_text(encoding="utf-8").rstrip("\n") == d.html
        assert (txt.suffix, html.suffix) == (".txt", ".html")
    assert len(list(tmp_path.iterdir())) == 4


def test_managers_whose_names_make_one_file_name_each_keep_their_digest(tmp_path, config):
    # "/" and the space both become "_": the second digest used to replace the first.
    followups = [fu(2, "Anna/Petrova", "overdue", days=2, contact="Pete"),
                 fu(3, "Anna Petrova", "due_today", contact="Lena"),
                 fu(4, "Anna_petrova", "overdue", days=1, contact="Ivan")]
    got = digests(followups, [], config, FRIDAY_8)
    assert len(got) == 3 and len({d.file_stem.casefold() for d in got}) == 1
    written = write_digests(got, tmp_path)
    assert len(written) == 6 and len({p.name.casefold() for p in written}) == 6
    texts = {p.read_text(encoding="utf-8").rstrip("\n") for p in written if p.suffix == ".txt"}
    assert texts == {d.text for d in got}
    assert write_digests(got, tmp_path) == written   # a second run writes the same files
    assert len(list(tmp_path.iterdir())) == 6


def test_confirmation_owed_as_a_follow_up_is_not_repeated_as_a_reminder(config):
    rems = all_reminders(config, [interview(10, "Li", date(2026, 11, 23))])  # phone confirmation Fri 10:00
    confirm = FollowUp("Log", 10, "10", "Li", "en", "Anna", "Acme", datetime(2026, 11, 20), "due_today", 0,
                       Step("phone", "Confirm attendance"), "")
    (d,) = digests([confirm], rems, config, FRIDAY_8)
    assert [e.row for e in d.today] == [10]
    assert [(r.row, r.at) for r in d.reminders] == [(10, datetime(2026, 11, 23, 10, 40))]
    # Another row's chase does not hide it.
    other = FollowUp("Log", 11, "11", "Li", "en", "Bob", "Beta", datetime(2026, 11, 20), "due_today", 0, Step("phone", "call"), "")
    (d,) = digests([other], rems, config, FRIDAY_8)
    assert len(d.reminders) == 2


def test_the_digest_words_each_action_in_its_own_language(config):
    # Found by a tester: Boris's English digest read "Telegram: Отправить короткое
    # сообщение..." for a row in Russian, where overdue and the Chase today sheet give
    # the action in the sheet's language.
    steps = config.section("followups")["steps"]
    ru = FollowUp("Log", 8, "8", "Boris", "ru", "Sergey", "Omega", datetime(2026, 11, 20, 9), "overdue", 3,
                  Step("telegram", steps["t1"]["action"]["ru"], "t1"), "")
    own = FollowUp("Log", 9, "9", "Boris", "ru", "Oleg", "Omega", datetime(2026, 11, 20, 9), "overdue", 1,
                   Step("phone", "Позвонить насчёт договора", "explicit"), "")
    english = [fu(n, "Boris", "overdue", days=1) for n in (2, 3, 4)]
    [d] = digests([ru, own, *english], [], config, FRIDAY_8)
    assert d.lang == "en"
    actions = {e.row: e.action for e in d.overdue}
    assert actions[8] == steps["t1"]["action"]["en"]
    assert actions[9] == "Позвонить насчёт договора"   # the row's own words stay as written


def test_a_team_digest_gathers_each_managers_items_from_every_log_naming_its_workbook(config):
    from tracker.digest import DigestPart, team_digests

    ann = DigestPart([fu(2, "Olga", "overdue", days=1, contact="Ann's client"), fu(3, "Max", "due_today")], [],
                     config, "ann.xlsx")
    tom = DigestPart([fu(2, "olga", "overdue", days=4, contact="Tom's client")],
                     all_reminders(config, [interview(10, "Olga", date(2026, 11, 23))]), config, "tom.xlsx")
    olga, = [d for d in team_digests([ann, tom], config, FRIDAY_8) if d.manager == "Olga"]
    assert [(e.workbook, e.row, e.contact) for e in olga.overdue] == [("tom.xlsx", 2, "Tom's client"),
                                                                       ("ann.xlsx", 2, "Ann's client")]
    assert {r.workbook for r in olga.reminders} == {"tom.xlsx"} and len(olga.reminders) == 2
    assert "[tom.xlsx: Log!2]" in olga.text and "[ann.xlsx: Log!2]" in olga.text and "[tom.xlsx: Log!10]" in olga.text
    assert "[tom.xlsx: Log!2]" in olga.html
    # One log's digest names no workbook, as it always did.
    alone, = [d for d in digests(ann.followups, [], config, FRIDAY_8) if d.manager == "Olga"]
    assert [e.workbook for e in alone.overdue] == [""] and "[Log!2]" in alone.text


def test_a_confirmation_owed_in_one_log_does_not_hide_another_logs_reminder_of_the_same_row(config):
    from tracker.digest import DigestPart, team_digests

    confirm = FollowUp("Log", 10, "10", "Li", "en", "Anna", "Acme", datetime(2026, 11, 20), "due_today", 0,
                       Step("phone", "Confirm attendance"), "")
    rems = all_reminders(config, [interview(10, "Li", date(2026, 11, 23))])   # phone Fri 10:00, SMS Mon 10:40
    (d,) = team_digests([DigestPart([confirm], [], config, "ann.xlsx"), DigestPart([], rems, config, "tom.xlsx")],
                        config, FRIDAY_8)
    assert [(r.workbook, r.row, r.at) for r in d.reminders] == [("tom.xlsx", 10, datetime(2026, 11, 20, 10, 0)),
                                                                ("tom.xlsx", 10, datetime(2026, 11, 23, 10, 40))]
    # Within its own log it is still not repeated.
    (d,) = team_digests([DigestPart([confirm], rems, config, "tom.xlsx")], config, FRIDAY_8)
    assert [r.at for r in d.reminders] == [datetime(2026, 11, 23, 10, 40)]


def test_workbooks_of_one_name_are_named_with_their_folder():
    from tracker.output import workbook_labels

    assert workbook_labels(["team/ann.xlsx", "team/tom.xlsx"]) == ["ann.xlsx", "tom.xlsx"]
    assert workbook_labels(["x/a/calls.xlsx", "x/b/Calls.xlsx", "x/ann.xlsx"]) == \
        ["a/calls.xlsx", "b/Calls.xlsx", "ann.xlsx"]
    assert workbook_labels(["x/a/calls.xlsx", "y/a/calls.xlsx"]) == ["x/a/calls.xlsx", "y/a/calls.xlsx"]
    assert workbook_labels(["calls.xlsx", "a/calls.xlsx"]) == ["calls.xlsx", "a/calls.xlsx"]
