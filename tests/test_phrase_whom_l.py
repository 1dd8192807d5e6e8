"""The "whom to remind" column naming a person with their role and no time ("Dana White
(team lead)", README's own example), the row's people listed with a Chinese 和 or a
Japanese と, and a name written with е for the row's ё: read through the real reader
and the terminal (reminders --format json, check)."""
from test_phrase_whom_g import _check, _log, _reminders


def test_l_a_named_team_lead_with_no_time_has_the_team_leads_default_moments(tmp_path):
    # "Dana White (team lead)" alone was not read: check said "when: no time", the call
    # type's defaults reminded an unnamed team lead ("Hi!", and "no team lead named" on
    # stderr), and "... by Telegram" went by SMS. She now has the team lead's default
    # moments (the day before at 10:00 and 20 min before), greeted, by the channel written.
    rows = [
        ("Kim Ode (E31)", "Dana White (team lead)"),
        ("Kim Ode (E31)", "Dana White (team lead) by Telegram"),
        ("Kim Ode (E31)", "Dana White (team lead), Kim Ode (employee)"),
        ("Kim Ode (E31)", "team lead Dana White and the employee by e-mail"),
    ]
    path = _log(tmp_path, "Introductory call", rows)
    got, r = _reminders(path)
    dana = ("Dana White",)
    # Naming the team lead fills that role: the hired employee (Kim Ode, in Candidates)
    # keeps the call type's reminders (DOMAIN: the introductory call warns both).
    kim = ("Kim Ode",)
    assert got[2] == {("12-07T10:00", "team_lead", dana, "sms", "row"), ("12-08T08:40", "team_lead", dana, "sms", "row"),
                      ("12-07T10:00", "hired_employee", kim, "sms", "call_type"),
                      ("12-08T08:40", "hired_employee", kim, "sms", "call_type")}
    assert got[3] == {("12-07T10:00", "team_lead", dana, "telegram", "row"),
                      ("12-08T09:40", "team_lead", dana, "telegram", "row"),
                      ("12-07T10:00", "hired_employee", kim, "sms", "call_type"),
                      ("12-08T09:40", "hired_employee", kim, "sms", "call_type")}
    assert got[4] == {("12-07T10:00", "team_lead", dana, "sms", "row"), ("12-08T10:40", "team_lead", dana, "sms", "row"),
                      ("12-07T10:00", "hired_employee", ("Kim Ode",), "sms", "row"),
                      ("12-08T10:40", "hired_employee", ("Kim Ode",), "sms", "row")}
    assert got[5] == {("12-07T10:00", "team_lead", dana, "email", "row"),
                      ("12-08T11:40", "team_lead", dana, "email", "row"),
                      ("12-07T10:00", "hired_employee", ("Kim Ode",), "email", "row"),
                      ("12-08T11:40", "hired_employee", ("Kim Ode",), "email", "row")}
    assert "no team lead named" not in r.stderr and "could not be read" not in r.stderr, r.stderr
    checked = _check(path)
    assert checked.exit_code == 0 and "cannot read" not in checked.output, checked.output


def test_l_with_no_time_and_no_one_role_moment_the_phrase_stays_unread(tmp_path):
    # The candidates are reminded otherwise before an interview (by phone the day before)
    # than before a repeat call, and a name alone has no role: which moments is not said.
    # As before, the call type's defaults, and check lists the cells. A role word alone
    # ("the team lead") names no person: unread, as it was.
    rows = [
        ("Anna Li (E5)", "Anna Li (candidate)"),
        ("Anna Li (E5)", "remind Anna Li"),
        ("Anna Li (E5)", "the team lead"),
    ]
    path = _log(tmp_path, "Interview", rows)
    got, _ = _reminders(path)
    for row in (2, 3, 4):
        assert {source for *_, source in got[row]} == {"call_type"}, got[row]
    checked = _check(path)
    assert checked.exit_code == 1 and checked.output.count("cannot read this reminder") == 3, checked.output


def test_l_the_rows_people_listed_with_he_or_to_are_all_reminded(tmp_path):
    # "提前1小时提醒李娜和王伟" reminded 李娜 only (王伟 lost, check silent); "李娜和王伟提前1小时"
    # and "李娜、王伟提前1小时" were not read (20 min before, the default). The same in Japanese.
    both = "李娜 (E1); 王伟 (E2)"
    rows = [
        (both, "提前1小时提醒李娜和王伟"),
        (both, "李娜和王伟提前1小时"),
        (both, "李娜、王伟提前1小时"),
        ("佐藤 (E3); 鈴木 (E4)", "佐藤さんと鈴木さんに1時間前"),
        (both, "李娜提前1小时"),
    ]
    path = _log(tmp_path, "Interview", rows)
    got, _ = _reminders(path)
    for row, names in ((2, ("李娜", "王伟")), (3, ("李娜", "王伟")), (4, ("李娜", "王伟")), (5, ("佐藤", "鈴木")),
                       (6, ("李娜",))):
        assert {(at, role, people, source) for at, role, people, _, source in got[row]} == {
            (f"12-08T{6 + row:02d}:00", "named", names, "row")}, (row, got[row])
    checked = _check(path)
    assert checked.exit_code == 0, checked.output


def test_l_a_name_written_with_e_is_the_rows_name_with_yo(tmp_path):
    # The row has "Пётр Сидоров", the cell "напомнить Петру Сидорову за час": the SMS
    # greeted "Петру Сидорову" (the declined words as written); "Петр" on the row was found.
    rows = [
        ("Пётр Сидоров (E6); Анна Ли (E5)", "напомнить Петру Сидорову за час"),
        ("Петр Сидоров (E6); Анна Ли (E5)", "Пётр Сидоров за час"),
    ]
    path = _log(tmp_path, "Interview", rows)
    got, _ = _reminders(path)
    assert got[2] == {("12-08T08:00", "named", ("Пётр Сидоров",), "sms", "row")}
    assert got[3] == {("12-08T09:00", "named", ("Петр Сидоров",), "sms", "row")}
