"""Calendar (ICS) and e-mail draft (EML) exports, written to files and parsed back."""
from __future__ import annotations

import email
import email.policy
import re
from dataclasses import replace
from datetime import date, datetime, time, timedelta, timezone

import icalendar
import pytest
from workbooks import plain_log

from tracker.config import load_config
from tracker.exports import event_uid, safe_name, write_eml, write_ics
from tracker.model import CallRecord, Person
from tracker.reminders import reminders

WINDOW = (datetime(2026, 11, 1), datetime(2026, 12, 31))
STAMP = datetime(2026, 11, 19, 8, 0)


@pytest.fixture(scope="module")
def config():
    return load_config()


def records():
    return [
        CallRecord("Log", 5, "7", call_type="interview", date=date(2026, 11, 23), time=time(11, 0), client="Acme",
                   position="Python developer", candidates=[Person("Anna"), Person("Boris")], manager="Olga",
                   notes="Address: 1 Main St"),
        CallRecord("Log", 6, "8", call_type="first_call", date=date(2026, 11, 24), time=time(15, 0), client="Beta",
                   contact="Jane Roe", email="jane@beta.example", manager="Olga"),
        CallRecord("Log", 7, "9", call_type="repeat_call", date=date(2026, 11, 25), client="Gamma",
                   candidates=[Person("Carl")], manager="Li"),
        CallRecord("Log", 8, "10", call_type="interview", date=date(2026, 11, 20), time=time(9, 0), client="Old",
                   outcome="done"),
    ]


def parse(path):
    return icalendar.Calendar.from_ical(path.read_bytes())


def test_ics_in_a_zone_without_a_name_gives_its_moments_in_utc(tmp_path):
    """This computer's zone read from /etc/localtime with no name (a container) has the
    right rules but no TZID a calendar knows: the events are given in UTC."""
    from importlib.resources import files
    from zoneinfo import ZoneInfo

    config = load_config(overrides={"timezone": "Asia/Tokyo"})
    with files("tzdata.zoneinfo.Asia").joinpath("Tokyo").open("rb") as f:
        config.__dict__["tz"] = ZoneInfo.from_file(f, key="local")
    recs = [r for r in records() if r.has_time and r.outcome != "done"]
    cal = parse(write_ics(recs, reminders(recs, config, *WINDOW), config, tmp_path / "calls.ics", stamp=STAMP))
    events = list(cal.walk("VEVENT"))
    assert events and not cal.walk("VTIMEZONE")
    for r, ev in zip(sorted(recs, key=lambda r: r.at), events):
        assert "TZID" not in ev["dtstart"].params
        assert ev.decoded("dtstart") == r.at.replace(tzinfo=ZoneInfo("Asia/Tokyo"))   # the same moment


def test_ics_one_event_per_planned_call_with_zone_and_alarms(tmp_path):
    config = load_config(overrides={"timezone": "Europe/Moscow"})   # a zone with its VTIMEZONE (UTC has none)
    recs = records()
    rems = reminders(recs, config, *WINDOW)
    cal = parse(write_ics(recs, rems, config, tmp_path / "calls.ics", stamp=STAMP))
    events = {str(ev["uid"]): ev for ev in cal.walk("VEVENT")}
    planned = [r for r in recs if r.outcome != "done"]
    assert set(events) == {event_uid(r) for r in planned}

    tz_ids = {str(tz["tzid"]) for tz in cal.walk("VTIMEZONE")}
    assert tz_ids == {config.tz.key}

    for r in planned:
        ev = events[event_uid(r)]
        start = ev.decoded("dtstart")
        if r.has_time:
            assert ev["dtstart"].params["TZID"] == config.tz.key
            assert start == r.at.replace(tzinfo=config.tz)
        else:
            assert not isinstance(start, datetime) and start == r.date
        assert str(ev["summary"]) == f"{config.call_type_label(r.call_type, 'en')}: {r.client}"
        expected = {-x.offset for x in rems if x.call_row == r.row}
        alarms = ev.walk("VALARM")
        assert {a.decoded("trigger") for a in alarms} == expected
        assert all(str(a["action"]) == "DISPLAY" and str(a["description"]) for a in alarms)

    interview = events[event_uid(recs[0])]
    assert timedelta(minutes=-20) in {a.decoded("trigger") for a in interview.walk("VALARM")}
    assert str(interview["location"]) == "1 Main St"
    assert "Anna" in str(interview["description"])


def test_ics_uids_are_stable_and_distinct(tmp_path, config):
    recs = records()
    a = parse(write_ics(recs, [], config, tmp_path / "a.ics", stamp=STAMP))
    b = parse(write_ics(list(reversed(recs)), [], config, tmp_path / "b.ics", stamp=STAMP + timedelta(days=1)))
    uids_a = [str(e["uid"]) for e in a.walk("VEVENT")]
    assert sorted(uids_a) == sorted(str(e["uid"]) for e in b.walk("VEVENT"))
    assert len(set(uids_a)) == len(uids_a)
    moved = CallRecord("Log", 6, "99", date=date(2026, 11, 24))
    assert event_uid(moved) != event_uid(recs[1])
    assert event_uid(CallRecord("Other", 6, "8")) != event_uid(recs[1])


def test_ics_carries_the_configured_zone(tmp_path):
    cfg = load_config(overrides={"timezone": "Asia/Shanghai"})
    recs = records()[:1]
    cal = parse(write_ics(recs, reminders(recs, cfg, *WINDOW), cfg, tmp_path / "sh.ics", stamp=datetime(2026, 11, 19, tzinfo=timezone.utc)))
    ev = next(iter(cal.walk("VEVENT")))
    assert ev["dtstart"].params["TZID"] == "Asia/Shanghai"
    # 11:00 in Shanghai is 03:00 UTC.
    assert ev.decoded("dtstart").astimezone(timezone.utc).hour == 3
    assert [str(t["tzid"]) for t in cal.walk("VTIMEZONE")] == ["Asia/Shanghai"]
    assert ev.decoded("dtstamp") == datetime(2026, 11, 19, tzinfo=timezone.utc)


def test_ics_is_valid_rfc5545_text(tmp_path, config):
    recs = records()
    raw = write_ics(recs, reminders(recs, config, *WINDOW), config, tmp_path / "v.ics", stamp=STAMP).read_bytes()
    assert raw.startswith(b"BEGIN:VCALENDAR\r\n") and raw.rstrip().endswith(b"END:VCALENDAR")
    lines = raw.split(b"\r\n")
    assert all(len(line) <= 75 for line in lines)
    text = raw.decode("utf-8")
    for required in ("VERSION:2.0", "PRODID:"):
        assert required in text
    for block in re.findall(r"BEGIN:VEVENT.*?END:VEVENT", text, re.S):
        assert "UID:" in block and "DTSTAMP:" in block and "DTSTART" in block


def test_eml_drafts_parse_back(tmp_path, config):
    recs = records()
    rems = reminders(recs, config, *WINDOW)
    mail = [r for r in rems if r.channel == "email"]
    assert mail, "the first call must give an e-mail reminder"
    paths = write_eml(rems, config, tmp_path / "drafts")
    assert len(paths) == len(mail)
    for path, rem in zip(paths, mail):
        msg = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        assert msg["X-Unsent"] == "1"
        assert msg["Subject"] == rem.subject
        assert msg.get_content().replace("\r\n", "\n").strip() == rem.message.strip()
        assert msg["To"].addresses[0].addr_spec == "jane@beta.example"
        assert msg["To"].addresses[0].display_name == "Jane Roe"
    again = write_eml(rems, config, tmp_path / "drafts")
    assert again == paths  # stable names: a re-export overwrites, never piles up
    assert len(list((tmp_path / "drafts").iterdir())) == len(paths)


def test_eml_without_address_and_with_odd_sheet_names(tmp_path, config):
    rec = CallRecord('Q4/"new": plan?', 3, "1", call_type="first_call", date=date(2026, 11, 24), time=time(15, 0),
                     client="Бета", contact="Иван", language="ru")
    rems = reminders([rec], config, *WINDOW)
    (path,) = write_eml(rems, config, tmp_path)
    assert path.parent == tmp_path
    assert not re.search(r'[<>:"/\\|?*]', path.name)
    msg = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    assert str(msg["To"] or "") == ""
    assert "Бета" in msg["Subject"]
    assert "Иван" in msg.get_content()


def test_eml_drafts_of_cells_with_line_breaks(tmp_path, config):
    # A client "Acme Ltd" Alt+Enter "London office", an address typed on two lines: an
    # e-mail header is one line, so the export stopped with an internal error.
    rec = CallRecord("Log", 2, "1", call_type="first_call", date=date(2026, 11, 24), time=time(12, 0),
                     client="Acme Ltd\nLondon office", contact="John\r\nDoe", email="john@acme.example\n")
    (path,) = write_eml(reminders([rec], config, *WINDOW), config, tmp_path)
    msg = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    assert "Acme Ltd London office" in msg["Subject"] and "\n" not in msg["Subject"]
    assert msg["To"].addresses[0].addr_spec == "john@acme.example"
    assert msg["To"].addresses[0].display_name == "John Doe"


def test_safe_name():
    assert safe_name("CON") != "CON"
    assert safe_name("a/b\\c:d*e?f\"g<h>i|j") == "a_b_c_d_e_f_g_h_i_j"
    assert safe_name("  ...  ") == "untitled"
    assert safe_name("Ольга Петрова") == "Ольга_Петрова"
    assert safe_name("王 经理") == "王_经理"


def alarms_by_uid(cal, config):
    """uid -> [(when the alarm rings, in UTC, its description)].

    The trigger is read as a span of real time before the start, the way calendars that
    keep "minutes before" (Outlook, Google) read it; an all-day event starts at midnight
    where its reader is, here the workbook's zone.
    """
    out = {}
    for ev in cal.walk("VEVENT"):
        start = ev.decoded("dtstart")
        if not isinstance(start, datetime):
            start = datetime.combine(start, time(0, 0), tzinfo=config.tz)
        start = start.astimezone(timezone.utc)
        out[str(ev["uid"])] = [(start + a.decoded("trigger"), str(a["description"])) for a in ev.walk("VALARM")]
    return out


def utc(moment, config):
    return moment.replace(tzinfo=config.tz).astimezone(timezone.utc)


def test_ics_one_alarm_per_moment_names_everyone_due_then(tmp_path, config):
    intro = CallRecord("Log", 2, "1", call_type="introductory_call", date=date(2026, 11, 25), time=time(9, 0),
                       client="Acme", candidates=[Person("Carl Diaz")], notes="Team lead: Dina Ross")
    interview = CallRecord("Log", 3, "2", call_type="interview", date=date(2026, 11, 23), time=time(14, 0),
                           client="Acme", candidates=[Person("Anna Li"), Person("Ivan Petrov")])
    rems = reminders([intro, interview], config, *WINDOW)
    alarms = alarms_by_uid(parse(write_ics([intro, interview], rems, config, tmp_path / "c.ics", stamp=STAMP)), config)

    for call in (intro, interview):
        mine = [x for x in rems if x.call_row == call.row]
        rings = [when for when, _ in alarms[event_uid(call)]]
        assert sorted(rings) == sorted({utc(x.at, config) for x in mine})  # one alarm per moment
        for x in mine:
            (text,) = [d for when, d in alarms[event_uid(call)] if when == utc(x.at, config)]
            assert x.subject in text and all(name in text for name in x.names)
    intro_texts = [d for _, d in alarms[event_uid(intro)]]
    assert len(intro_texts) == 2 and all("Carl Diaz" in d and "Dina Ross" in d for d in intro_texts)
    (confirm,) = [d for when, d in alarms[event_uid(interview)] if when == utc(datetime(2026, 11, 20, 10, 0), config)]
    assert "Anna Li" in confirm and "Ivan Petrov" in confirm


def test_ics_rescheduled_call_stands_at_its_new_slot(tmp_path, config):
    def interview(row, **kw):
        return CallRecord("Log", row, str(row), call_type="interview", date=date(2026, 11, 23), time=time(14, 0),
                          client="Acme", candidates=[Person("Anna Li")], outcome="rescheduled", **kw)

    moved = interview(2, next_contact=datetime(2026, 11, 26, 15, 0))
    day_only = interview(3, next_contact=date(2026, 11, 27))
    unknown = interview(4)
    recs = [moved, day_only, unknown]
    cal = parse(write_ics(recs, reminders(recs, config, *WINDOW), config, tmp_path / "r.ics", stamp=STAMP))
    events = {str(ev["uid"]): ev for ev in cal.walk("VEVENT")}

    assert set(events) == {event_uid(moved), event_uid(day_only)}  # no new date: no event at the old slot
    assert event_uid(moved) == event_uid(interview(2))
    assert events[event_uid(moved)].decoded("dtstart") == datetime(2026, 11, 26, 15, 0, tzinfo=config.tz)
    assert sorted(when for when, _ in alarms_by_uid(cal, config)[event_uid(moved)]) == [
        utc(datetime(2026, 11, 25, 10, 0), config), utc(datetime(2026, 11, 26, 14, 40), config)]
    assert events[event_uid(day_only)].decoded("dtstart") == date(2026, 11, 27)
    assert [when for when, _ in alarms_by_uid(cal, config)[event_uid(day_only)]] == [utc(datetime(2026, 11, 26, 10, 0), config)]


def test_ics_alarms_ring_at_the_reminders_moment_across_clock_changes(tmp_path):
    berlin = load_config(overrides={"timezone": "Europe/Berlin"})
    recs = [
        CallRecord("Log", 2, "1", call_type="first_call", date=date(2026, 3, 29), time=time(3, 10), client="Night Owl"),
        CallRecord("Log", 3, "2", call_type="interview", date=date(2026, 3, 30), time=time(11, 0), client="Acme",
                   candidates=[Person("Anna")]),
        CallRecord("Log", 4, "3", call_type="first_call", date=date(2026, 10, 25), time=time(3, 5), client="Late"),
    ]
    rems = reminders(recs, berlin, datetime(2026, 3, 1), datetime(2026, 11, 1))
    alarms = alarms_by_uid(parse(write_ics(recs, rems, berlin, tmp_path / "dst.ics", stamp=STAMP)), berlin)
    rings = {when for call in alarms.values() for when, _ in call}
    assert rings == {utc(x.at, berlin) for x in rems}
    assert datetime(2026, 3, 29, 0, 55, tzinfo=timezone.utc) in rings    # 01:55 CET, 15 min before 03:10 CEST
    assert datetime(2026, 3, 27, 9, 0, tzinfo=timezone.utc) in rings     # Friday 10:00 CET
    assert datetime(2026, 10, 25, 1, 50, tzinfo=timezone.utc) in rings   # the second 02:50, CET


def rfc5545_rings(ics: bytes, config) -> dict[str, list[datetime]]:
    """uid -> when each alarm rings, in UTC, read from the file's text as RFC 5545 (3.3.6)
    reads a duration: weeks and days are nominal (clock days where the event is, 23 or 25
    hours across a clock change), hours, minutes and seconds exact. (Parsed back, icalendar
    gives one timedelta and so cannot tell "P3D" from "PT72H".)"""
    out = {}
    for block in re.findall(r"BEGIN:VEVENT.*?END:VEVENT", ics.decode("utf-8"), re.S):
        ev = icalendar.Event.from_ical(block)
        start = ev.decoded("dtstart")
        if not isinstance(start, datetime):
            start = datetime.combine(start, time(0, 0), tzinfo=config.tz)
        rings = []
        for text in re.findall(r"^TRIGGER:(.*?)\r?$", block, re.M):
            sign, weeks, days, hours, minutes, seconds = re.fullmatch(
                r"([+-]?)P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?", text).groups()
            way = -1 if sign == "-" else 1
            nominal = timedelta(weeks=int(weeks or 0), days=int(days or 0))
            exact = timedelta(hours=int(hours or 0), minutes=int(minutes or 0), seconds=int(seconds or 0))
            # Adding to an aware datetime of a zone keeps the clock reading: nominal days.
            rings.append((start + way * nominal).astimezone(timezone.utc) + way * exact)
        out[str(ev["uid"])] = rings
    return out


@pytest.mark.parametrize("day", [date(2026, 10, 26), date(2026, 3, 30)])   # after autumn's and spring's change
def test_ics_alarm_triggers_are_exact_across_a_clock_change(tmp_path, day):
    """The Friday 10:00 reminder of a Monday 10:00 call is 73 real hours before it across
    autumn's change, 71 across spring's. Written as "-P3DT1H", an RFC 5545 reader takes the
    days as calendar days and rings an hour off; written in hours only, it rings at the
    listing's moment, and so does a reader that keeps "minutes before" (alarms_by_uid)."""
    berlin = load_config(overrides={"timezone": "Europe/Berlin"})
    call = CallRecord("Log", 2, "1", call_type="interview", date=day, time=time(10, 0), client="Acme",
                      candidates=[Person("Anna")])
    rems = reminders([call], berlin, datetime(2026, 3, 1), datetime(2026, 11, 30))
    raw = write_ics([call], rems, berlin, tmp_path / "dst.ics", stamp=STAMP).read_bytes()

    expected = sorted(utc(x.at, berlin) for x in rems)
    friday, on_the_day = datetime.combine(day - timedelta(days=3), time(10, 0)), datetime.combine(day, time(9, 40))
    assert expected == [utc(friday, berlin), utc(on_the_day, berlin)]
    assert berlin.tz.utcoffset(friday) != berlin.tz.utcoffset(call.at)   # the premise: a change in between

    assert sorted(rfc5545_rings(raw, berlin)[event_uid(call)]) == expected
    assert sorted(when for when, _ in alarms_by_uid(icalendar.Calendar.from_ical(raw), berlin)[event_uid(call)]) == expected
    assert all(re.fullmatch(r"-PT(\d+H)?(\d+M)?(\d+S)?", t) for t in re.findall(r"TRIGGER:(.*?)\r\n", raw.decode()))



def exported_uids(path, config, tmp_path, name) -> dict[str, str]:
    """summary -> UID of the calendar exported from the workbook at `path`."""
    from tracker.log import read_log

    recs = read_log(str(path), config).records
    cal = parse(write_ics(recs, reminders(recs, config, *WINDOW), config, tmp_path / name, stamp=STAMP))
    return {str(ev["summary"]): str(ev["uid"]) for ev in cal.walk("VEVENT")}


def test_ics_uids_follow_the_id_column_not_the_row(tmp_path, config):
    calls = [("C-100", date(2026, 12, 8), time(9, 0), "Interview", "Acme", ""),
             ("C-101", date(2026, 12, 9), time(9, 0), "First call", "Beta", "Bob")]
    first = plain_log(tmp_path / "a.xlsx", calls)
    # The consultant adds an earlier call at the top: every row below moves down one.
    later = plain_log(tmp_path / "b.xlsx", [("C-099", date(2026, 12, 7), time(9, 0), "First call", "New", "Cy"), *calls])
    a = exported_uids(first, config, tmp_path, "a.ics")
    b = exported_uids(later, config, tmp_path, "b.ics")
    assert set(a) == {"Interview: Acme", "First call: Beta"} and len(b) == 3
    assert {s: b[s] for s in a} == a
    assert len(set(b.values())) == 3


def test_ics_uids_of_rows_sharing_an_id_stay_apart(tmp_path, config):
    calls = [("C-1", date(2026, 12, 8), time(9, 0), "Interview", "Acme", ""),
             ("C-1", date(2026, 12, 9), time(9, 0), "First call", "Beta", "Bob"),
             (None, date(2026, 12, 10), time(9, 0), "First call", "Gamma", "Cy")]
    uids = exported_uids(plain_log(tmp_path / "dup.xlsx", calls), config, tmp_path, "dup.ics")
    assert len(uids) == 3 and len(set(uids.values())) == 3
    assert uids == exported_uids(plain_log(tmp_path / "dup2.xlsx", calls), config, tmp_path, "dup2.ics")


def test_ics_uids_of_a_log_without_ids_are_stable(tmp_path, config):
    calls = [(date(2026, 12, 8), time(9, 0), "Interview", "Acme"), (date(2026, 12, 9), time(9, 0), "First call", "Beta")]
    path = plain_log(tmp_path / "noid.xlsx", calls, header=("Date", "Time", "Call type", "Client"))
    once = exported_uids(path, config, tmp_path, "1.ics")
    assert len(set(once.values())) == 2
    assert once == exported_uids(path, config, tmp_path, "2.ics")
    # A row's place is all it has: the UID is the one earlier versions gave it, so a
    # calendar that imported their files updates those events instead of adding new ones.
    assert event_uid(CallRecord("Log", 5, "5")) == "1f8e0d94f5254c3d3e017194@call-tracker"


@pytest.mark.parametrize("delta, text", [(timedelta(days=-3), "-PT72H"), (timedelta(days=-3, hours=1), "-PT71H"),
                                         (timedelta(minutes=-20), "-PT20M"), (timedelta(hours=-1, seconds=-5), "-PT1H0M5S"),
                                         (timedelta(0), "PT0S")])
def test_exact_duration_text(delta, text):
    from tracker.exports import _exact_duration

    assert _exact_duration(delta) == text
    assert icalendar.vDuration.from_ical(text) == delta


# ---------------------------------------------------------------- calls called off after an export

CALL_LOG = ("ID", "Date", "Time", "Call type", "Client", "Contact", "Candidates", "Outcome", "Next contact")
# A Monday to Wednesday window: a first call, the two rounds of seed 003 (14:00 and 16:00)
# and an interview the next day.
BOOKED = [
    ("C-1", date(2026, 11, 24), time(10, 0), "First call", "Beta", "Jane Roe", None, "Planned", None),
    ("C-2", date(2026, 11, 24), time(14, 0), "Interview", "Acme", "Mr Wang", "Anna Li", "Planned", None),
    ("C-3", date(2026, 11, 24), time(16, 0), "Repeat call", "Acme", "Mr Wang", "Anna Li", "Planned", None),
    ("C-4", date(2026, 11, 25), time(11, 0), "Interview", "Gamma", "Gus", "Ivan Petrov", "Planned", None),
]


def export(tmp_path, name, rows, *window):
    """The CLI's `reminders --ics` on a log of `rows`: (its JSON listing, uid -> event)."""
    import json

    from click.testing import CliRunner

    from tracker.cli import main

    # One workbook at each moment: its name is in the events' UIDs (exports.event_uid).
    (tmp_path / name).mkdir(exist_ok=True)
    log = plain_log(tmp_path / name / "log.xlsx", rows, header=CALL_LOG)
    ics = tmp_path / f"{name}.ics"
    args = ["reminders", str(log), "--from", window[0], "--to", window[1], "--format", "json", "--ics", str(ics)]
    r = CliRunner().invoke(main, args, catch_exceptions=False)
    assert r.exit_code == 0, r.output
    events = {str(ev["uid"]): ev for ev in parse(ics).walk("VEVENT")} if ics.exists() else {}
    return json.loads(r.stdout), events, r.stderr


def by_summary(events, text):
    (ev,) = [ev for ev in events.values() if text in str(ev["summary"])]
    return ev


def test_ics_a_call_called_off_after_an_export_stays_in_the_next_one_cancelled_under_its_uid(tmp_path):
    """Found by a review: a call cancelled after the calendar was exported vanished from the
    next file, and the calendar that had imported the first kept a call that would not
    happen; the second round the candidate's 15:00 call cancelled (seed 003) was even
    written again as planned, with its alarms, though the listing dropped it."""
    window = ("2026-11-23T09:00", "2026-11-26")
    _, before, _ = export(tmp_path, "before", BOOKED, *window)
    first_call, round_two = by_summary(before, "First call"), by_summary(before, "Repeat call")
    moved = by_summary(before, "Gamma")

    later = [
        ("C-1", date(2026, 11, 24), time(10, 0), "First call", "Beta", "Jane Roe", None, "Cancelled", None),
        BOOKED[1], BOOKED[2],
        ("C-4", date(2026, 11, 25), time(11, 0), "Interview", "Gamma", "Gus", "Ivan Petrov", "Rescheduled",
         datetime(2026, 11, 25, 15, 0)),
        # The candidate calls at 15:00: the 16:00 round is off (logged on her own thread).
        ("C-5", date(2026, 11, 24), time(15, 0), "Repeat call", "Acme", "Anna Li", "Anna Li", "Cancelled", None),
    ]
    listing, after, said = export(tmp_path, "after", later, *window)

    # The same events, no new one: the row reporting the cancellation is no call of its own.
    assert set(after) == set(before) and len(after) == 4
    for was in (first_call, round_two):
        uid = str(was["uid"])
        now = after[uid]
        assert str(now["status"]) == "CANCELLED"
        assert int(now.get("sequence", 0)) >= int(was.get("sequence", 0))   # (> a second later: see below)
        assert not now.walk("VALARM") and was.walk("VALARM")
        assert now.decoded("dtstart") == was.decoded("dtstart")
        assert str(now["transp"]) == "TRANSPARENT"
        assert str(now["summary"]) == f"Cancelled: {was['summary']}"
    # Moved: the same event at its new slot, still planned, alarms and all.
    now = after[str(moved["uid"])]
    assert "status" not in now and int(now["sequence"]) >= int(moved["sequence"]) and now.walk("VALARM")
    assert now.decoded("dtstart").replace(tzinfo=None) == datetime(2026, 11, 25, 15, 0)
    assert "Wrote 2 calls with their alarms and 2 cancelled calls" in said
    # The listing still reminds of the calls still to happen only.
    assert {r["call_row"] for r in listing} == {3, 5}


def test_ics_only_the_windows_cancelled_calls_are_written(tmp_path):
    """A cancelled call is written when the window's calendar would have held it planned
    (in the window, or reminded of in it: Monday's interview, confirmed on Friday), not
    years of old ones; a window with only cancelled calls still writes them."""
    rows = [
        ("C-1", date(2024, 3, 5), time(10, 0), "First call", "Old", "Ann", None, "Cancelled", None),
        ("C-2", date(2026, 11, 26), time(10, 0), "First call", "Beta", "Jane Roe", None, "Cancelled", None),
        ("C-3", date(2026, 11, 30), time(9, 0), "Interview", "Acme", "Mr Wang", "Anna Li", "Cancelled", None),
        ("C-4", date(2026, 12, 15), time(9, 0), "Interview", "Later", "Lee", "Bo Yu", "Cancelled", None),
        ("C-5", date(2026, 11, 24), None, "Follow-up", "Delta", "Dan", None, "Cancelled", None),
    ]
    window = ("2026-11-23T09:00", "2026-11-27T23:59")
    listing, events, said = export(tmp_path, "week", rows, *window)
    assert listing == []
    assert sorted(str(ev["summary"]) for ev in events.values()) == [
        "Cancelled: First call: Beta", "Cancelled: Follow-up: Delta", "Cancelled: Interview: Acme"]
    assert all(str(ev["status"]) == "CANCELLED" and not ev.walk("VALARM") for ev in events.values())
    assert "Wrote 3 cancelled calls to" in said

    # Planned, the same window held the same calls: the cancelled ones are exactly those.
    planned = [row[:7] + ("Planned",) + row[8:] for row in rows]
    _, live, _ = export(tmp_path, "planned", [r for r in planned if r[0] != "C-1"], *window)
    assert set(live) == set(events)


def test_ics_uid_of_a_cancelled_call_sharing_an_id_is_kept(tmp_path, config):
    """Two rows typed with one ID: the second's UID falls back to its row's. Cancelling the
    first must not hand the ID's UID to the second, nor take the first's away."""
    first = CallRecord("Log", 2, "C-9", call_type="first_call", date=date(2026, 11, 24), time=time(10, 0),
                       client="Beta", fields={"id": "C-9"})
    second = CallRecord("Log", 3, "C-9", call_type="first_call", date=date(2026, 11, 25), time=time(10, 0),
                        client="Gamma", fields={"id": "C-9"})
    before = parse(write_ics([first, second], [], config, tmp_path / "a.ics", stamp=STAMP))
    after = parse(write_ics([second], [], config, tmp_path / "b.ics", stamp=STAMP, cancelled=[first]))
    uids = {str(ev["summary"]): str(ev["uid"]) for ev in before.walk("VEVENT")}
    assert {str(ev["summary"]).removeprefix("Cancelled: "): str(ev["uid"]) for ev in after.walk("VEVENT")} == uids
    assert len(set(uids.values())) == 2


@pytest.mark.parametrize("booked", [datetime(2026, 11, 10, 10, 0), datetime(2026, 12, 10, 10, 0),
                                    datetime(2026, 11, 23, 10, 0)],
                         ids=["booked before the window", "booked after it", "booked in it"])
def test_ics_a_call_rescheduled_into_the_window_then_cancelled_is_cancelled_under_its_uid(tmp_path, booked):
    """Found by a review: an interview booked outside the window and rescheduled into it
    was the window's event at its new slot; marked Cancelled, it vanished from the next
    file (only its booked date was looked at), and a calendar that had imported the first
    kept the interview as planned."""
    window = ("2026-11-22T09:00", "2026-11-30")
    row = ("C-1", booked.date(), booked.time(), "Interview", "Acme", "Mr Wang", "Anna Li", "Rescheduled",
           datetime(2026, 11, 25, 10, 0))
    _, before, _ = export(tmp_path, "before", [row], *window)
    (uid,) = before
    assert before[uid].decoded("dtstart").replace(tzinfo=None) == datetime(2026, 11, 25, 10, 0)
    assert "status" not in before[uid] and before[uid].walk("VALARM")

    listing, after, said = export(tmp_path, "after", [row[:7] + ("Cancelled", row[8])], *window)
    assert listing == []
    # One event under that UID, whichever of its two slots it is written at.
    assert list(after) == [uid]
    assert str(after[uid]["status"]) == "CANCELLED" and not after[uid].walk("VALARM")
    assert int(after[uid]["sequence"]) >= int(before[uid]["sequence"])
    assert "1 cancelled call" in said
    if booked.date() < date(2026, 11, 22) or booked.date() >= date(2026, 11, 30):
        assert after[uid].decoded("dtstart").replace(tzinfo=None) == datetime(2026, 11, 25, 10, 0)


def test_ics_a_cancelled_call_with_a_next_contact_long_past_is_left_out(tmp_path):
    """The slot of its Next contact counts as its date does: a cancellation of long ago
    stays out of this week's calendar."""
    rows = [("C-1", date(2024, 3, 5), time(10, 0), "Interview", "Old", "Ann", "Bo", "Cancelled",
             datetime(2024, 3, 12, 10, 0)),
            ("C-2", date(2026, 11, 24), time(10, 0), "First call", "Beta", "Jane Roe", None, "Planned", None)]
    _, events, _ = export(tmp_path, "old", rows, "2026-11-22T09:00", "2026-11-30")
    assert [str(ev["summary"]) for ev in events.values()] == ["First call: Beta"]


def test_ics_uids_of_rows_sharing_an_id_do_not_depend_on_the_window(tmp_path, config):
    """Found by a review: two rows given one ID (the interview and its repeat call): the
    first kept the ID's UID among the rows exported, so once the interview was held and
    left out of the next export, the repeat call took its UID. A calendar that imported
    both files moved the held interview onto the repeat call's slot and kept the repeat
    call's own event too: the call twice. Rows with an ID of their own, and rows without
    one, keep the UIDs they always had (event_uid)."""
    from tracker.log import read_log

    def rows(first_outcome):
        return [
            ("D-1", date(2026, 11, 24), time(10, 0), "Interview", "Acme", "Mr Wang", "Anna Li", first_outcome, None),
            ("D-1", date(2026, 11, 26), time(10, 0), "Repeat call", "Acme", "Mr Wang", "Anna Li", "Planned", None),
            ("D-2", date(2026, 11, 27), time(11, 0), "First call", "Beta", "Jane Roe", None, "Planned", None),
            (None, date(2026, 11, 27), time(15, 0), "First call", "Gamma", "Gus", None, "Planned", None),
        ]

    _, before, _ = export(tmp_path, "before", rows("Planned"), "2026-11-22T09:00", "2026-11-30")
    _, after, _ = export(tmp_path, "after", rows("Attended"), "2026-11-25", "2026-11-30")
    uids_before = {str(ev["summary"]): uid for uid, ev in before.items()}
    uids_after = {str(ev["summary"]): uid for uid, ev in after.items()}
    assert set(uids_after) == {"Repeat call: Acme", "First call: Beta", "First call: Gamma"}
    assert uids_after == {k: v for k, v in uids_before.items() if k in uids_after}
    assert len(set(uids_before.values())) == 4

    # What a calendar holds after importing both: one event per UID, the later file's.
    calendar = {**before, **after}
    slots = [ev.decoded("dtstart").replace(tzinfo=None) for ev in calendar.values()]
    assert sorted(slots) == [datetime(2026, 11, 24, 10, 0), datetime(2026, 11, 26, 10, 0),
                             datetime(2026, 11, 27, 11, 0), datetime(2026, 11, 27, 15, 0)]

    records = read_log(str(tmp_path / "after" / "log.xlsx"), config).records
    assert uids_after["First call: Beta"] == event_uid(records[2], "log.xlsx")
    assert uids_after["First call: Gamma"] == event_uid(records[3], "log.xlsx")
    assert uids_before["Interview: Acme"] == event_uid(records[0], "log.xlsx")


@pytest.mark.parametrize("lang, title", [("en", "Cancelled: Interview: Acme"), ("ru", "Отменено: Интервью: Acme"),
                                         ("zh", "已取消：面试：Acme"), ("ja", "キャンセル：面接：Acme")])
def test_ics_a_cancelled_event_says_so_in_the_rows_language(tmp_path, config, lang, title):
    """Outlook shows an imported event cancelled by its STATUS alone as planned: its title says it."""
    call = CallRecord("Log", 2, "1", call_type="interview", date=date(2026, 11, 24), time=time(14, 0),
                      client="Acme", candidates=[Person("Anna")], language=lang, outcome="cancelled")
    (ev,) = parse(write_ics([], [], config, tmp_path / "c.ics", stamp=STAMP, cancelled=[call])).walk("VEVENT")
    assert str(ev["summary"]) == title
    assert ev["uid"] == event_uid(call) and str(ev["status"]) == "CANCELLED"


def test_ics_each_export_outranks_the_last_whatever_it_says_of_the_call(tmp_path, config):
    """Found by a review: a cancelled event's SEQUENCE was 1 and a live one's 0, so a call
    booked again after its cancellation was exported below it, and calendars (which keep
    the higher) kept it cancelled. Nothing is remembered between exports: a later file's
    events rank higher."""
    call = CallRecord("Log", 2, "1", call_type="interview", date=date(2026, 11, 27), time=time(14, 0),
                      client="Acme", candidates=[Person("Anna")])
    live = parse(write_ics([call], [], config, tmp_path / "1.ics", stamp=STAMP))
    off = parse(write_ics([], [], config, tmp_path / "2.ics", stamp=STAMP + timedelta(hours=1),
                          cancelled=[replace(call, outcome="cancelled")]))
    again = parse(write_ics([call], [], config, tmp_path / "3.ics", stamp=STAMP + timedelta(days=1)))
    (a,), (b,), (c,) = (cal.walk("VEVENT") for cal in (live, off, again))
    assert a["uid"] == b["uid"] == c["uid"]
    assert int(a["sequence"]) < int(b["sequence"]) < int(c["sequence"]) < 2 ** 31
    assert str(b["status"]) == "CANCELLED" and "status" not in c


def test_ics_a_notice_and_its_interview_cancelled_are_one_cancelled_event(tmp_path):
    """A notice and the interview row logged for it were one event (the interview's); the
    interview called off, that event is cancelled, and the notice gives no second one."""
    rows = [
        ("C-1", date(2026, 11, 18), time(17, 0), "Interview notice", "Acme", "Anna Li", None, "Confirmed",
         datetime(2026, 11, 25, 9, 0)),
        ("C-2", date(2026, 11, 25), time(9, 0), "Interview", "Acme", "Mr Wang", "Anna Li", "Planned", None),
    ]
    window = ("2026-11-23T09:00", "2026-11-26")
    _, before, _ = export(tmp_path, "before", rows, *window)
    (uid,) = before
    _, after, _ = export(tmp_path, "after", [rows[0], rows[1][:7] + ("Cancelled", None)], *window)
    assert list(after) == [uid] and str(after[uid]["status"]) == "CANCELLED" and not after[uid].walk("VALARM")


def test_ics_a_candidate_who_withdrew_from_a_shared_interview_is_no_longer_in_its_event(tmp_path):
    # Found by a review: the listing dropped his reminders, but the calendar's alarms
    # still phoned and texted him and its event named him.
    rows = [
        ("C-1", date(2026, 11, 25), time(10, 0), "Interview", "Acme", "Mr Wang", "Anna Li; Ivan Petrov", "Planned",
         None),
        ("C-2", date(2026, 11, 22), time(12, 0), "Follow-up", "Acme", "Ivan Petrov", None, "Withdrawn", None),
    ]
    listing, events, _ = export(tmp_path, "withdrew", rows, "2026-11-23T09:00", "2026-11-26")
    assert {n for r in listing for n in r["whom"]["names"]} >= {"Anna Li"}
    (event,) = events.values()
    assert event.get("status") != "CANCELLED"
    said = [str(event["summary"]), str(event["description"])] + [str(a["description"]) for a in event.walk("VALARM")]
    assert any("Anna Li" in text for text in said) and not any("Ivan" in text for text in said), said
