"""A reminder listed late (helper C): due before the listing's start, its call still ahead
(reminders.send_late, Boris's SMS 20 minutes before 10:45 asked for at 10:30). JSON has
`late`; the table and the CSV show its time, which reads as done already: the listing
says it beside its rows, in the log's language. Workbooks written with openpyxl, read
back through `tracker reminders` (click's CliRunner)."""
from __future__ import annotations

import json
from datetime import date, time

import pytest
from click.testing import CliRunner
from workbooks import plain_log

from tracker.cli import main
from tracker.config import load_config

pytestmark = pytest.mark.usefixtures("no_user_config")

FIELDS = ("date", "time", "call_type", "client", "contact", "candidates", "outcome")
MON = date(2026, 11, 23)


def log(tmp_path, lang, at=time(10, 45)):
    config = load_config()
    header = [config.header(f, lang) for f in FIELDS]
    row = (MON, at, config.call_type_label("interview", lang), "Acme", "Jane Roe", "Boris Ivanov",
           config.list_label("outcome", "planned", lang))
    return plain_log(tmp_path / "log.xlsx", [row], header)


def listing(path, fmt, start="2026-11-23T10:30"):
    r = CliRunner().invoke(main, ["reminders", str(path), "--from", start, "--to", "2026-11-24", "--format", fmt],
                           catch_exceptions=False)
    assert r.exit_code == 0, r.output
    return r


LATE = {
    "en": "Calls!2: late — SMS to the candidates (Boris Ivanov) was due at 10:25; send it now",
    "ru": "с опозданием",
    "zh": "已晚",
    "ja": "遅れています",
}


@pytest.mark.parametrize("lang", LATE)
@pytest.mark.parametrize("fmt", ["table", "csv"])
def test_a_reminder_due_minutes_ago_is_said_late_beside_the_listing(tmp_path, lang, fmt):
    path = log(tmp_path, lang)
    (item,) = json.loads(listing(path, "json").stdout)
    assert (item["at"], item["late"]) == ("2026-11-23T10:25", True)
    r = listing(path, fmt)
    assert "10:25" in r.stdout
    late = [line for line in r.stderr.splitlines() if LATE[lang] in line]
    assert len(late) == 1, r.stderr
    # Which reminder, and when it was due, in any language.
    assert late[0].startswith("Calls!2") and "10:25" in late[0] and "Boris Ivanov" in late[0]


def test_a_reminder_still_to_come_is_not_said_late(tmp_path):
    path = log(tmp_path, "en", at=time(11, 30))
    r = listing(path, "table")
    assert "11:10" in r.stdout
    assert "late" not in r.stderr


def test_a_late_phone_call_is_made_not_sent(tmp_path):
    # The confirmation call the working day before Monday's interview (seed 004), due on
    # Friday at 10:00, listed from 10:30.
    path = log(tmp_path, "en")
    r = listing(path, "table", start="2026-11-20T10:30")
    (line,) = [x for x in r.stderr.splitlines() if "late" in x]
    assert line == "Calls!2: late — call to the candidates (Boris Ivanov) was due at 10:00; call now"
