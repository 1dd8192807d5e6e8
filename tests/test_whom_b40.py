"""The "whom to remind" column naming a person with their role and no time ("Dana White
(team lead)") on an introductory call: that role's person, the call type's other roles
still reminded (DOMAIN: the hired employee and the team lead, the day before and 20 min
before); and a Japanese family name with an honorific ("田中くん", "鈴木様") for the row's
person written in full ("田中 一郎"). Read through real workbooks and the terminal
(reminders --format json, check)."""
import openpyxl
from test_phrase_whom_g import HEADER, _check
from test_phrase_whom_g import _reminders as _with_channels


def _log(tmp_path, rows):
    """Calls on Tue 08.12.2026, one an hour from 09:00, of (call type, contact, candidates,
    whom to remind) rows (sheet Calls, rows 2 on)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Calls"
    ws.append(HEADER)
    for i, (call_type, contact, candidates, cell) in enumerate(rows):
        ws.append(["08.12.2026", f"{9 + i}:00", call_type, f"Co{i}", contact, candidates, "Planned", "Olga", None, cell])
    path = tmp_path / "whom.xlsx"
    wb.save(path)
    return path


def _reminders(path):
    """{row: {(at "MM-DDTHH:MM", role, names, source)}} of 7 to 9 December (test_phrase_whom_g's,
    channels aside), and the run."""
    got, r = _with_channels(path)
    return {row: {(at, role, names, source) for at, role, names, _, source in found} for row, found in got.items()}, r


def test_b40_a_named_team_lead_fills_that_role_and_the_hired_employee_is_still_warned(tmp_path):
    # "Dana White (team lead)" replaced the call type's reminders: Chris Wu, the hired
    # employee, lost his reminders the day before and 20 min before. The same in Russian
    # and with the other role words the phrases know.
    cells = ["Dana White (team lead)", "Дана Уайт (тимлид)", "Dana White (team leader)", "teamlead Dana White",
             "тимлид Дана Уайт по почте", "team lead Dana White by Telegram", "Dana White (TL)",
             "Дана Уайт (руководитель группы)"]
    path = _log(tmp_path, [("Introductory call", "Sarah Jones", "Chris Wu (E1)", c) for c in cells])
    got, r = _reminders(path)
    for row, cell in enumerate(cells, start=2):
        dana = ("Дана Уайт",) if "Дана" in cell else ("Dana White",)
        at = f"12-08T{6 + row:02d}:40"
        assert got[row] == {("12-07T10:00", "team_lead", dana, "row"), (at, "team_lead", dana, "row"),
                            ("12-07T10:00", "hired_employee", ("Chris Wu",), "call_type"),
                            (at, "hired_employee", ("Chris Wu",), "call_type")}, (cell, got[row])
    assert "no team lead named" not in r.stderr and "could not be read" not in r.stderr, r.stderr
    checked = _check(path)
    assert checked.exit_code == 0 and "cannot read" not in checked.output, checked.output


def test_b40_a_time_of_its_own_or_a_role_the_call_type_has_not_keeps_the_rows_words(tmp_path):
    # What the cell says it says alone, as before: with a time of its own, the team lead
    # then only; a team lead named on an interview (whose defaults remind no team lead);
    # a name with no role is not read (the call type's defaults, and check lists it).
    rows = [("Introductory call", "Sarah Jones", "Chris Wu (E1)", "Dana White (team lead) 1 hour before"),
            ("Interview", "Sarah Jones", "Anna Li (E5)", "Dana White (team lead) 1 hour before"),
            ("Interview", "Sarah Jones", "Anna Li (E5)", "Dana White (team lead)"),
            ("Introductory call", "Sarah Jones", "Chris Wu (E1)", "Dana White 1 hour before"),
            # "TL" is the team lead, but "Tlou" a name (a review caught "tl" read in it).
            ("Interview", "Sarah Jones", "Tlou Mokoena (E7)", "Tlou Mokoena 1 hour before")]
    path = _log(tmp_path, rows)
    got, _ = _reminders(path)
    assert got[6] == {("12-08T12:00", "named", ("Tlou Mokoena",), "row")}
    assert got[2] == {("12-08T08:00", "team_lead", ("Dana White",), "row")}
    assert got[3] == {("12-08T09:00", "team_lead", ("Dana White",), "row")}
    assert got[4] == {("12-07T10:00", "team_lead", ("Dana White",), "row"),
                      ("12-08T10:40", "team_lead", ("Dana White",), "row")}
    assert {source for *_, source in got[5]} == {"call_type"}
    assert {role for _, role, *_ in got[5]} == {"hired_employee", "team_lead"}
    checked = _check(path)
    assert checked.exit_code == 1 and checked.output.count("cannot read this reminder") == 1, checked.output


def test_b40_a_japanese_family_name_with_an_honorific_is_the_rows_person_of_that_name(tmp_path):
    # "田中くん" for the candidate 田中 一郎 was no one: check listed the cell, and the
    # call type's defaults were used. Matched when one person of the row (candidates,
    # contact) has that family name: greeted as the row writes them.
    rows = [("Interview", "Sato", "田中 一郎 (E1)", "田中くんに1時間前"),
            ("Interview", "Sato", "田中 一郎 (E1); 鈴木 花子 (E2)", "田中さんと鈴木様に1時間前"),
            ("Interview", "Sato", "田中 一郎 (E1); 鈴木 花子 (E2)", "1時間前に鈴木様へリマインド"),
            ("Interview", "田中 一郎", None, "田中さんに1時間前"),
            ("Introductory call", "Sato", "田中 一郎 (E1)", "田中さんに前日と20分前")]
    path = _log(tmp_path, rows)
    got, r = _reminders(path)
    assert got[2] == {("12-08T08:00", "named", ("田中 一郎",), "row")}
    assert got[3] == {("12-08T09:00", "named", ("田中 一郎", "鈴木 花子"), "row")}
    assert got[4] == {("12-08T10:00", "named", ("鈴木 花子",), "row")}
    assert got[5] == {("12-08T11:00", "named", ("田中 一郎",), "row")}   # the contact
    # The hired employee named by family name is the hired employee's reminder (_as_roles).
    assert got[6] == {("12-07T10:00", "hired_employee", ("田中 一郎",), "row"),
                      ("12-08T12:40", "hired_employee", ("田中 一郎",), "row")}
    assert "could not be read" not in r.stderr, r.stderr
    checked = _check(path)
    assert "cannot read" not in checked.output, checked.output


def test_b40_a_family_name_two_of_the_rows_people_have_is_neither_and_check_says_so(tmp_path):
    # Two 田中: "田中さん" is neither (the call type's defaults, as before), and check says
    # which two it may be. 田中 written alone is that 田中, as before.
    rows = [("Interview", "Sato", "田中 一郎 (E1); 田中 花子 (E2)", "田中さんに1時間前"),
            ("Interview", "田中 花子", "田中 一郎 (E1)", "田中さんに1時間前"),
            ("Interview", "Sato", "田中 (E1); 田中 一郎 (E2)", "田中さんに1時間前")]
    path = _log(tmp_path, rows)
    got, _ = _reminders(path)
    assert {source for *_, source in got[2]} == {"call_type"}
    assert {source for *_, source in got[3]} == {"call_type"}
    assert got[4] == {("12-08T10:00", "named", ("田中",), "row")}
    checked = _check(path)
    assert checked.exit_code == 1 and checked.output.count("cannot read this reminder") == 2, checked.output
    assert checked.output.count("田中さん: 田中 一郎 or 田中 花子?") == 2, checked.output
