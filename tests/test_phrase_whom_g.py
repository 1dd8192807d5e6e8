"""The "whom to remind" column naming the row's people with a Russian "за N минут", and a
person given their role ("team lead Dana White", "Dana White (team lead)"), read through
the real reader and the terminal: each clause is its own reminder to the person it names,
at its offset; a named team lead is the team lead's reminder once, by name."""
import json

import openpyxl
from click.testing import CliRunner

from tracker.cli import main

HEADER = ["Date", "Time", "Call type", "Client", "Contact", "Candidates", "Outcome", "SM",
          "Comment on the call", "Whom to remind"]


def _log(tmp_path, call_type, rows, name="whom.xlsx"):
    """Calls of `call_type` on Tue 08.12.2026, one an hour from 09:00, of (candidates,
    whom to remind) rows (sheet Calls, rows 2 on)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Calls"
    ws.append(HEADER)
    for i, (candidates, cell) in enumerate(rows):
        ws.append(["08.12.2026", f"{9 + i}:00", call_type, f"Co{i}", f"Ct{i}", candidates, "Planned", "Olga",
                   None, cell])
    path = tmp_path / name
    wb.save(path)
    return path


def _reminders(path):
    """Each row's reminders of 7 to 9 December as {row: {(at "MM-DDTHH:MM", role, names,
    channel, source)}},
    with the command's output."""
    r = CliRunner().invoke(main, ["reminders", str(path), "--from", "2026-12-07T00:00", "--to", "2026-12-09",
                                  "--format", "json"])
    assert r.exit_code == 0, r.output
    got: dict[int, set] = {}
    for x in json.loads(r.stdout):
        got.setdefault(x["call_row"], set()).add((x["at"][5:], x["whom"]["role"], tuple(x["whom"]["names"]),
                                                  x["channel"], x["source"]))
    return got, r


def _check(path):
    return CliRunner().invoke(main, ["check", str(path)])


def test_g_russian_za_n_minutes_after_a_name_reminds_that_person(tmp_path):
    # "Анна Ли за 20 минут" did not read (whom: no one): "за 20 минут" was found at its
    # number, not at its "за", so the name was not followed by its time; and in "Анна Ли
    # за час; Пётр Сидоров за 20 минут по SMS" Пётр's clause named no one and went to Анна.
    both = "Анна Ли (E5); Пётр Сидоров (E6)"
    rows = [
        (both, "Анна Ли за час; Пётр Сидоров за 20 минут по SMS"),
        (both, "Пётр Сидоров за 20 минут; Анна Ли за час"),
        ("Анна Ли (E5)", "Анна Ли за 20 минут"),
        ("Анна Ли (E5)", "Анна Ли за полчаса"),
        ("Анна Ли (E5)", "Анна Ли за 2 часа"),
        ("Анна Ли (E5)", "Анне Ли за 20 минут"),
        ("Анна Ли (E5)", "Анна Ли — за 20 минут до звонка"),
        ("Анна Ли (E5)", "за 20 минут Анне Ли"),
        (both, "Анна Ли и Пётр Сидоров за 20 минут"),
    ]
    path = _log(tmp_path, "Interview", rows)
    got, r = _reminders(path)
    anna, petr = ("Анна Ли",), ("Пётр Сидоров",)
    assert got == {
        2: {("12-08T08:00", "named", anna, "sms", "row"), ("12-08T08:40", "named", petr, "sms", "row")},
        3: {("12-08T09:40", "named", petr, "sms", "row"), ("12-08T09:00", "named", anna, "sms", "row")},
        4: {("12-08T10:40", "named", anna, "sms", "row")},
        5: {("12-08T11:30", "named", anna, "sms", "row")},
        6: {("12-08T11:00", "named", anna, "sms", "row")},
        7: {("12-08T13:40", "named", anna, "sms", "row")},
        8: {("12-08T14:40", "named", anna, "sms", "row")},
        9: {("12-08T15:40", "named", anna, "sms", "row")},
        10: {("12-08T16:40", "named", anna + petr, "sms", "row")},
    }
    assert "не прочитан" not in r.stderr and "could not be read" not in r.stderr, r.stderr
    checked = _check(path)
    assert checked.exit_code == 0, checked.output


def test_g_za_still_needs_a_person_and_a_call_is_no_one(tmp_path):
    # The call the offset is before is no one to remind: unread, the defaults are kept
    # and check says so.
    rows = [("Анна Ли (E5)", "за 20 минут до собеседования с Анной Ли")]
    path = _log(tmp_path, "Interview", rows)
    got, _ = _reminders(path)
    assert {role for _, role, *_ in got[2]} == {"candidates"}
    assert {source for *_, source in got[2]} == {"call_type"}
    checked = _check(path)
    assert checked.exit_code == 1 and "cannot read this reminder" in checked.output, checked.output


def test_g_a_named_team_lead_is_the_team_leads_reminder_and_the_employee_is_kept(tmp_path):
    # "Kim Ode and Dana White (team lead) 20 min before" reminded an unnamed team lead
    # only (Kim Ode lost, check silent); "team lead Dana White and the employee ..."
    # reminded the team lead unnamed and Dana White apart: two to her.
    rows = [
        ("Kim Ode (E31)", "Kim Ode and Dana White (team lead) 20 min before"),
        ("Kim Ode (E31)", "Dana White (team lead) and Kim Ode 20 min before"),
        ("Kim Ode (E31)", "team lead Dana White and the employee 20 min before"),
        ("Kim Ode (E31)", "Kim Ode, team lead Dana White 20 min before"),
        ("Kim Ode (E31)", "Kim Ode and the team lead 20 min before"),
    ]
    path = _log(tmp_path, "Introductory call", rows)
    got, _ = _reminders(path)
    # Each row: one reminder to the team lead, by name, and one to Kim Ode as the hired
    # employee (named in Candidates: reminders._as_roles), 20 min before.
    for row in range(2, 6):
        at = f"12-08T{6 + row:02d}:40"
        assert {(when, names) for when, role, names, *_ in got[row] if role == "team_lead"} == {(at, ("Dana White",))}
        assert {(when, names) for when, role, names, *_ in got[row] if role != "team_lead"} == {(at, ("Kim Ode",))}
        assert {role for _, role, *_ in got[row]} == {"team_lead", "hired_employee"}
        assert len(got[row]) == 2
    # "the employee" is the hired employee's reminder.
    assert ("12-08T10:40", "hired_employee", ("Kim Ode",), "sms", "row") in got[4]
    # No team lead named: the team lead's reminder greets no one, as before.
    assert {(role, names) for _, role, names, *_ in got[6]} == {("team_lead", ()), ("hired_employee", ("Kim Ode",))}
    assert len(got[6]) == 2


def test_g_a_role_word_before_a_lone_capitalised_word_names_no_one(tmp_path):
    # "the candidate Monday": one capitalised word after a role word is no name (a whole
    # name, or one of the row's people, is): the candidates are reminded, as before;
    # "the candidate Anna Li" is the candidate Anna Li, once.
    rows = [
        ("Anna Li (E5)", "SMS the candidate Monday 20 min before"),
        ("Anna Li (E5)", "SMS the candidate Anna Li 20 min before"),
        ("Anna Li (E5)", "e-mail the client Acme Corp 15 min before"),
    ]
    path = _log(tmp_path, "Interview", rows)
    got, _ = _reminders(path)
    # The client is a company: the one named beside it is no person to greet.
    assert got[4] == {("12-08T10:45", "client", ("Ct2",), "email", "row")}
    assert got[2] == {("12-08T08:40", "candidates", ("Anna Li",), "sms", "row")}
    assert got[3] == {("12-08T09:40", "candidates", ("Anna Li",), "sms", "row")}


def test_g_a_clause_naming_no_one_goes_on_with_everyone_before_it(tmp_path):
    # "клиенту и Анне Ли за час; накануне": the day before reminded the client only.
    rows = [("Анна Ли (E5)", "клиенту и Анне Ли за час; накануне")]
    path = _log(tmp_path, "Interview", rows)
    got, _ = _reminders(path)
    assert {(at[:5], role, names) for at, role, names, _, _ in got[2]} == {
        ("12-08", "client", ("Ct0",)), ("12-08", "named", ("Анна Ли",)),
        ("12-07", "client", ("Ct0",)), ("12-07", "named", ("Анна Ли",)),
    }
