"""A half of the day ("3 ночи", "夕方6時", "5 in the evening") is one list, phrases.yaml's
`day_half`: the Time column, a Next contact typed with its time and a "whom to remind"
phrase read the same hour from it, in each language, through real workbooks, the
reader and the terminal's `reminders` and `check`."""
import json
from datetime import datetime, time

import pytest
from click.testing import CliRunner

from tracker import jobs
from tracker.cli import main
from tracker.config import load_config, shipped
from tracker.phrases import day_halves

from workbooks import plain_log

pytestmark = pytest.mark.usefixtures("no_user_config")

HEADER = ("Date", "Time", "Call type", "Client", "Contact", "Candidates", "Outcome", "SM", "Next contact",
          "Whom to remind")

# (language, the day-half word, a time written with it, the hour it is).
FORMS = [
    ("en", "at night", "11 at night", "23:00"), ("en", "at night", "3 at night", "03:00"),
    ("en", "at night", "12 at night", "00:00"),
    ("en", "am", "9 am", "09:00"), ("en", "am", "9am", "09:00"), ("en", "am", "12 am", "00:00"),
    ("en", "a.m.", "9:30 a.m.", "09:30"), ("en", "a.m", "7 a.m", "07:00"),
    ("en", "in the morning", "9 in the morning", "09:00"),
    ("en", "pm", "3 pm", "15:00"), ("en", "pm", "12 pm", "12:00"), ("en", "p.m.", "3:30 p.m.", "15:30"),
    ("en", "p.m", "4 p.m", "16:00"), ("en", "in the afternoon", "3 in the afternoon", "15:00"),
    ("en", "in the evening", "5 in the evening", "17:00"),
    ("ru", "ночи", "11 ночи", "23:00"), ("ru", "ночи", "3:30 ночи", "03:30"), ("ru", "ночи", "12 ночи", "00:00"),
    ("ru", "ночи", "11 часов ночи", "23:00"), ("ru", "утра", "10 утра", "10:00"),
    ("ru", "дня", "3 часа дня", "15:00"), ("ru", "дня", "12 дня", "12:00"), ("ru", "вечера", "5 вечера", "17:00"),
    ("ru", "вечера", "7:30 вечера", "19:30"),
    ("zh", "半夜", "半夜3点", "03:00"), ("zh", "半夜", "半夜12点", "00:00"), ("zh", "深夜", "深夜2点", "02:00"),
    ("zh", "上午", "上午9点", "09:00"), ("zh", "早上", "早上8点半", "08:30"), ("zh", "早晨", "早晨7点", "07:00"),
    ("zh", "凌晨", "凌晨3点", "03:00"), ("zh", "下午", "下午3点半", "15:30"), ("zh", "下午", "下午3點", "15:00"),
    ("zh", "中午", "中午12点", "12:00"), ("zh", "晚上", "晚上8点", "20:00"), ("zh", "傍晚", "傍晚6点", "18:00"),
    ("ja", "深夜", "深夜2時", "02:00"), ("ja", "夜中", "夜中3時", "03:00"), ("ja", "午前", "午前9時", "09:00"),
    ("ja", "午前", "午前0時", "00:00"), ("ja", "朝", "朝9時", "09:00"), ("ja", "午後", "午後3時", "15:00"),
    ("ja", "午後", "午後0時", "12:00"), ("ja", "昼", "昼1時", "13:00"), ("ja", "夕方", "夕方6時", "18:00"),
    ("ja", "夜", "夜9時", "21:00"),
]


def _phrase(lang: str, at: str) -> str:
    return {"en": f"remind the client the day before at {at}", "ru": f"клиенту накануне в {at}",
            "zh": f"前一天{at}提醒客户", "ja": f"前日{at}にクライアントへ"}[lang]


def _next_contact(lang: str, at: str) -> str:
    return ("2026年11月27日" if lang in ("zh", "ja") else "27.11.2026 ") + at


def _log(tmp_path, forms, name="calls.xlsx"):
    """An interview on 26.11.2026 per (language, time) at that time, its next contact the
    day after at the same time, its client reminded the day before at it."""
    rows = [("26.11.2026", at, "Interview", f"Co{i}", f"C{i}", f"Cand{i}", "Planned", "K",
             _next_contact(lang, at), _phrase(lang, at)) for i, (lang, at) in enumerate(forms)]
    return plain_log(tmp_path / name, rows, header=HEADER)


def _run(*args):
    return CliRunner().invoke(main, [*map(str, args)], catch_exceptions=False)


def _three_readings(path, config=None):
    """Per row from 2: (the Time column's, the Next contact's, the reminder phrase's) hour
    as HH:MM, or None where one was not read."""
    extra = ["--config", str(config)] if config else []
    log = jobs.read(path, load_config(str(config) if config else None, path))
    cells = [(r.time, r.next_contact) for r in log.records]
    r = _run("reminders", path, "--from", "2026-11-24T00:00", "--to", "2026-11-28", "--format", "json", *extra)
    assert r.exit_code == 0, r.output
    phrase = {}
    for item in json.loads(r.stdout):
        at = datetime.fromisoformat(item["at"])
        if item["whom"]["role"] == "client" and at.date().day == 25:
            phrase.setdefault(item["call_row"], set()).add(f"{at:%H:%M}")
    out = []
    for row, (t, nc) in enumerate(cells, start=2):
        said = phrase.get(row, set())
        out.append((f"{t:%H:%M}" if isinstance(t, time) else None,
                    f"{nc:%H:%M}" if isinstance(nc, datetime) else None,
                    said.pop() if len(said) == 1 else None))
    return out


def test_every_shipped_day_half_word_is_tested_here():
    tested = {word for _, word, _, _ in FORMS}
    assert {w for w, _ in day_halves(shipped("phrases")["day_half"])} == tested


@pytest.mark.parametrize("lang", ["en", "ru", "zh", "ja"])
def test_time_next_contact_and_reminder_phrase_read_one_hour_for_each_day_half_word(tmp_path, lang):
    forms = [(at, hour) for lg, _, at, hour in FORMS if lg == lang]
    path = _log(tmp_path, [(lang, at) for at, _ in forms])
    got = _three_readings(path)
    assert got == [(hour, hour, hour) for _, hour in forms], list(zip(forms, got))
    # Each said its half of the day: none is an hour of 1 to 6 "to look at" (3:30: 03:30 or 15:30?).
    r = _run("check", path, "--format", "json")
    assert r.exit_code == 0, r.output


def test_a_time_with_no_half_of_the_day_is_still_to_look_at_in_each_place(tmp_path):
    path = _log(tmp_path, [("ru", "3:30"), ("zh", "3点半"), ("ru", "3 часа")])
    r = _run("check", path, "--format", "json")
    assert r.exit_code == 1, r.output
    said = {(p["row"], p["column"]): (p["message"], p["read"]) for p in json.loads(r.stdout)}
    assert said[(2, "B")] == ("3:30 read as 03:30; write 15:30 or 3:30 pm if the afternoon was meant "
                              "(03:30 if the night was)", True)
    assert said[(3, "B")][0].startswith("3点半 read as 03:30; write 15:30 or 下午3点半")
    assert said[(4, "B")][0].startswith("3 часа read as 03:00; write 15:00 or 3 часа дня")
    assert said[(2, "I")][0].startswith("3:30 read as 03:30") and said[(3, "I")][0].startswith("3点半 read as 03:30")
    assert not said[(2, "J")][1] and "3:30: 03:30 or 15:30?" in said[(2, "J")][0]


def test_a_users_own_day_half_word_is_read_by_the_time_column_too(tmp_path):
    # One list: a word added under phrases.day_half in tracker.yaml reads in every place.
    path = _log(tmp_path, [("en", "3 in the arvo"), ("ru", "2 пополудни")])
    # Unknown: no time of the call nor of the next contact, a reminder the day before at 10:00.
    assert _three_readings(path) == [(None, None, "10:00"), (None, None, "10:00")]
    config = tmp_path / "tracker.yaml"
    config.write_text('phrases:\n  day_half:\n    afternoon: [in the arvo, "пополудни"]\n', encoding="utf-8")
    assert _three_readings(path, config) == [("15:00", "15:00", "15:00"), ("14:00", "14:00", "14:00")]


def test_a_users_own_day_half_word_in_the_notes_next_contact_date_is_read_by_the_follow_ups(tmp_path):
    # Found by a review: the follow-ups read "Next Contact Date:" in the notes with the
    # shipped words only.
    from workbooks import typed_log

    path = typed_log(tmp_path / "calls.xlsx", [
        {"Date": "2026-11-20", "Time": "10:00", "Call type": "First call", "Client": "Acme", "Contact": "Ann Lee",
         "Outcome": "Done", "SM": "Olga", "Comment on the call": "Next Contact Date: 24.11.2026 3 in the arvo"}])
    (tmp_path / "tracker.yaml").write_text('phrases:\n  day_half:\n    afternoon: [in the arvo]\n', encoding="utf-8")
    config = jobs.config_for(None, path)
    fu, = jobs.followup_list(jobs.read(path, config), config, datetime(2026, 11, 21, 9))
    assert (fu.due, fu.timed) == (datetime(2026, 11, 24, 15), True)
