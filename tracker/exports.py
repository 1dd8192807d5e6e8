"""Writers of reminders for other programs: a calendar file (ICS) and e-mail drafts (EML).

They take the output path as an argument and write only there. The calendar is written
with the icalendar library (RFC 5545); the drafts with the standard library's email
package, marked `X-Unsent: 1` so Outlook opens them as unsent drafts.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Collection, Iterable, Mapping
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone
from email.message import EmailMessage
from email.policy import default as default_policy
from email.utils import formataddr
from itertools import compress
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING

from .config import Config
from .model import CallRecord
from .outfiles import check_replaceable, keep_replaced, unique_stem, write_file

if TYPE_CHECKING:
    from .notice import Notice
from .reminders import Reminder, call_context, moved_reminder, planned_call, record_lang, role_label
from .render import render

PRODID = "-//Call Tracker//Call log reminders//EN"

# CRLF is what Outlook and Windows Mail expect. Header lines may run to RFC 5322's hard
# limit of 998: at 78 the standard library folds a plain subject onto its own line, and
# readers then show it with a leading space.
_EML_POLICY = default_policy.clone(linesep="\r\n", max_line_length=998)

# Windows refuses these as file names whatever the extension.
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}


def safe_name(text: str, fallback: str = "untitled", limit: int = 80) -> str:
    """A file name that works on Windows, macOS and Linux; letters of any script are kept."""
    text = unicodedata.normalize("NFC", str(text))
    text = re.sub(r'[\x00-\x1f<>:"/\\|?*]+', "_", text)
    text = re.sub(r"\s+", "_", text).strip("._ ")
    text = re.sub(r"_+", "_", text)[:limit].rstrip("._ ")
    if not text or text.upper().split(".")[0] in _RESERVED:
        text = f"{fallback}_{text}" if text else fallback
    return text


def event_uid(record: CallRecord, workbook: str | Path = "") -> str:
    """Stable across exports, so a calendar that imports the file again updates the event.

    A row with an ID cell is its sheet and that ID: inserting rows above it or sorting the
    log leaves its UID alone. A row without one has only its place to go by: sheet, row and
    id (the row number).

    `workbook`: the log's file. Its name (book_key) is in the UID: every log `tracker init`
    makes has a sheet "Call log" with IDs from 1, and two consultants' calendars imported
    into one would otherwise keep one event of each pair. Without it, the UIDs are those
    written before the name was in them.
    """
    book = book_key(workbook)
    if record.fields.get("id"):
        return _uid(*book, record.sheet, "id", record.id)
    return _row_uid(record, workbook)


def book_key(workbook: str | Path) -> tuple[str, ...]:
    """What tells one workbook's events from another's, the same at every run: its file
    name without the folder and extension, compared as the file systems of Windows and
    macOS do (case-folded; one Unicode form, as macOS spells "й" in two characters). Not
    the folder: a log synced to each colleague's computer, or moved, stays one log. Not
    the workbook's creation stamp (docProps): logs copied from one template share it.
    Renamed, a log's events get new UIDs (a calendar holding the old file's keeps those
    beside them)."""
    if not workbook:
        return ()
    return (unicodedata.normalize("NFC", Path(workbook).stem).casefold(),)


def _row_uid(record: CallRecord, workbook: str | Path = "") -> str:
    return _uid(*book_key(workbook), record.sheet, record.row, record.id)


def _uid(*parts: object) -> str:
    key = "\x1f".join(map(str, parts))
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:24] + "@call-tracker"


def _event_uids(records: Iterable[CallRecord], log: Iterable[CallRecord] = (),
                config: Config | None = None,
                folded: Mapping[tuple[str, int], Iterable[CallRecord]] | None = None,
                workbook: str | Path = "", live: Collection[str] = (),
                unslotted: Mapping[tuple[str, int], CallRecord] | None = None) -> dict[tuple[str, int], str]:
    """(sheet, row) -> UID of each of `records`. Two rows given one ID by mistake are still
    two calls: the first of the log's rows with it keeps the ID's UID and a later one falls
    back to its row's, since a calendar keeps only one event per UID. First in the `log`
    (every row of it), not among the calls this file holds: else the interview held on
    Tuesday, left out of Wednesday's export, would hand its UID to Thursday's repeat call,
    and a calendar that imported both files would move the interview onto Thursday and
    keep the repeat call's own event there too. With `config`, a row that logs a moved
    call again takes that call's UID (_relogged).

    `folded`: (sheet, row) -> the interview notices written as that interview's event
    (jobs._one_event_an_interview). Its event carries the UID of the first logged of them
    and the interview (its first booking, when moved): a notice exported before its
    interview row was logged was an event of its own, and the calendar that imported it
    then moves that event rather than keeping it beside the interview's; an interview
    exported before its notice keeps its UID. Nothing is remembered between exports: the
    row higher in the log is taken as the one logged, and so exported, first.

    A row of `records` marked moved with no new slot (_unslotted), written cancelled,
    gives its UID up to the row of `records` logging it again: it is left out of the
    answer, its event is that row's. Unless that row's own UID is one of `live` (the events
    the calendar replaced holds as booked): a file written before moves were followed so
    held it under its own, and the calendar that imported it would keep it beside the
    moved one."""
    records, log = list(records), list(log)
    first: dict[tuple[str, str], int] = {}
    for record in [*log, *records]:
        if record.fields.get("id"):
            key = (record.sheet, record.id)
            first[key] = min(first.get(key, record.row), record.row)

    def uid_of(r: CallRecord) -> str:
        return event_uid(r, workbook) if first.get((r.sheet, r.id)) == r.row else _row_uid(r, workbook)

    uids = {(r.sheet, r.row): uid_of(r) for r in records}
    rows = {(r.sheet, r.row): r for r in records}
    if unslotted is None:
        unslotted = _unslotted(log, config) if config is not None else {}
    relogged = _relogged(log, config, records, unslotted) if config is not None else {}
    taken = set(uids.values())
    holder = {uid: key for key, uid in uids.items()}
    for key in sorted(set(relogged) | set(folded or {})):
        if key not in rows:
            continue
        own = relogged.get(key, rows[key])
        was = min([own, *(folded or {}).get(key, ())], key=lambda r: (r.sheet, r.row))
        if was is rows[key] or (was.sheet, was.row) in unslotted and uids[key] in live:
            continue
        # Unless that row's event is in this file too (a caller writing both), or another
        # event took its UID already; but for a row moved with no new slot, cancelled.
        uid = uid_of(was)
        by = holder.get(uid)
        yields = by is not None and by != key and by in unslotted and uids.get(by) == uid
        if uid not in taken or yields:
            if yields:
                del uids[by]
            uids[key] = uid
            taken.add(uid)
            holder[uid] = key
    return uids


def _unslotted(log: Iterable[CallRecord], config: Config) -> dict[tuple[str, int], CallRecord]:
    """(sheet, row) -> the appointment marked moved with no new slot written
    (reminders.cancels_itself), as it was booked at its old slot. Consultants most often
    log a move so: the old row marked Rescheduled, the new date on a new row. Logged again
    so (reminders.logged_later), it is that row's call moved, not one called off: that
    row's event takes its UID (_relogged), as a row's own event moves when its Next
    contact is written. The row logging it again books it at its own date: not one marked
    moved itself, which says its own slot and moves its own event. Few rows of a log:
    found at C speed over the outcomes."""
    from .reminders import _appointment_types, _moved_outcomes

    moved, types = _moved_outcomes(config), _appointment_types(config)
    log = log if isinstance(log, list) else list(log)
    return {(r.sheet, r.row): replace(r, outcome="")
            for r in compress(log, map(moved.__contains__, map(attrgetter("outcome"), log)))
            if r.call_type in types and r.next_contact is None and r.date is not None}


def _relogged(log: list[CallRecord], config: Config, written: list[CallRecord],
              unslotted: Mapping[tuple[str, int], CallRecord] | None = None) -> dict[tuple[str, int], CallRecord]:
    """(sheet, row) -> the first booking of the moved appointment that row logs again
    (reminders.logged_again, and reminders.logged_later: the old row left booked, the
    interview logged on a later day; followed back through each move), for the rows that
    do. Of the later days' rule, the bookings of the threads and call types of the rows
    `written` only: what a calendar may hold of them; the rows marked moved with no new
    slot (`unslotted`: _unslotted) are bookings at their old slot.

    Consultants mark the old row Rescheduled and log the interview again on a new row;
    jobs.export_reminders leaves the old row's event out, but a calendar that imported an
    earlier file still holds it (at the old slot, or at the new one beside the new row's),
    and nothing is remembered between exports to cancel it by. The new row's event takes
    its UID over instead: same UID, higher SEQUENCE (_sequence), new slot, which is how
    RFC 5545 (3.8.7.4) and RFC 5546 write a moved meeting, so a calendar that matches UIDs
    moves the event it has. Not the old UID written CANCELLED beside a new one: the
    interview was not called off, and clients keep a cancelled event struck through or
    titled "Cancelled" (Outlook, imported), next to the live one at the same slot. (A file
    exported after the new row was logged but before the old one was marked moved held
    the new row under its own UID: that event stays, as nothing says it was written.)"""
    from .reminders import RESCHEDULED, _appointment_types, _moved_outcomes, logged_again, logged_later

    moved = {(c.sheet, c.row): c for c in (planned_call(r, config) for r in log if r.outcome == RESCHEDULED)
             if c is not None}
    before: dict[tuple[str, int], CallRecord] = {}   # a row -> the moved row it logs again
    for key, by in sorted(logged_again(moved.values(), log, config).items()):
        before.setdefault((by.sheet, by.row), moved[key])
    types = _appointment_types(config)
    keys = {(r.call_type, r.thread) for r in written if r.call_type in types}
    if keys:
        # The rows still booked (reminders.active_outcomes, or none) of those threads: the
        # written row logging one again takes the UID of the first booked (followed back
        # through rows written no more).
        active = {"", *(config.section("reminders").get("active_outcomes") or ())}
        booked = {(c.sheet, c.row): c for r in log if r.call_type in types and r.outcome in active
                  and (r.call_type, r.thread) in keys and (c := planned_call(r, config)) is not None}
        booked.update((key, c) for key, c in (unslotted or {}).items() if (c.call_type, c.thread) in keys)
        first_booked: dict[tuple[str, int], CallRecord] = {}
        moved_to = _moved_outcomes(config)
        for key, by in logged_later(booked.values(), written, config, unslotted or ()).items():
            if key in (unslotted or {}) and by.outcome in moved_to:
                continue   # (_unslotted: logged again at its own date)
            m, was = booked[key], first_booked.get((by.sheet, by.row))
            if was is None or (m.date, m.sheet, m.row) < (was.date, was.sheet, was.row):
                first_booked[(by.sheet, by.row)] = m
        for key, m in first_booked.items():
            before.setdefault(key, m)
    if not before:
        return {}
    first: dict[tuple[str, int], CallRecord] = {}
    for key, m in before.items():
        seen = {key}
        while (m.sheet, m.row) in before and (m.sheet, m.row) not in seen:   # moved twice
            seen.add((m.sheet, m.row))
            m = before[(m.sheet, m.row)]
        first[key] = m
    return first


def _notices_follow(records: list[CallRecord], alarms: list[Reminder], log: Iterable[CallRecord], config: Config,
                    folded: Mapping[tuple[str, int], Iterable[CallRecord]] | None
                    ) -> tuple[list[CallRecord], list[Reminder], dict[tuple[str, int], list[CallRecord]]]:
    """`records`, `alarms` and `folded` with each interview notice whose interview row was
    moved or called off (reminders.announced, as_announced) following it: a notice of an
    interview called off, or moved to a slot not known yet, has no event (the interview's
    own event, when the file holds one, is written cancelled); one of an interview moved
    is at the new slot, and when an interview event of this file stands there with one of
    its people (the moved row, or the row logging it again), it is that event: its alarms
    move onto it, keeping how long before the call they ring (as a calendar moves an
    event's alarms with it), and the event may carry the notice's UID (`folded`), which
    the calendar holding the interview at its old slot then moves. Else the notice is an
    event of its own at the new slot, under its UID."""
    from .reminders import _appointment_types, announced, as_announced, left_their_slot, same_event

    heads = announced(records, left_their_slot(log, config), config)
    if not heads:
        return records, alarms, dict(folded or {})
    kept = []
    for r in records:
        r = as_announced(r, heads.get((r.sheet, r.row)), config)
        if r is not None:
            kept.append(r)
    calls = [c for c in (planned_call(r, config) for r in kept) if c is not None]
    types = _appointment_types(config)
    interviews = [c for c in calls if c.call_type in types]
    folded = {key: list(rows) for key, rows in (folded or {}).items()}
    into: dict[tuple[str, int], CallRecord] = {}
    for call in calls:
        if (call.sheet, call.row) not in heads:
            continue
        to = next((i for i in interviews if same_event(call, i)), None)
        if to is not None:
            into[(call.sheet, call.row)] = to
            folded.setdefault((to.sheet, to.row), []).append(call)
    left = {(r.sheet, r.row) for r in records} - {(r.sheet, r.row) for r in kept}
    kept = [r for r in kept if (r.sheet, r.row) not in into]
    # The alarms of a notice made at its old slot (the caller's reminders may not have seen
    # the interview row it follows) are set again at the new one.
    now_at = {(c.sheet, c.row): c for c in calls if (c.sheet, c.row) in heads}
    moved = []
    for a in alarms:
        key = (a.sheet, a.call_row)
        if key in left:
            continue
        if (call := now_at.get(key)) is not None and (a.call_at, a.has_time) != (call.at, call.has_time):
            if (a := moved_reminder(a, call, config)) is None:
                continue
        if (to := into.get(key)) is not None:
            a = replace(a, call_row=to.row, call_id=to.id)
        moved.append(a)
    return kept, moved, folded


def events_written(path: Path) -> tuple[int, int]:
    """The events of a calendar file we wrote: (booked, cancelled). What was written, once
    notices folded into their interview's event (_notices_follow), not the calls given."""
    import icalendar

    events = icalendar.Calendar.from_ical(Path(path).read_bytes()).walk("VEVENT")
    struck = sum(str(ev.get("status", "")).upper() == "CANCELLED" for ev in events)
    return len(events) - struck, struck


def _exact_duration(delta: timedelta) -> str:
    """`delta` in hours, minutes and seconds only (RFC 5545 3.3.6: "-PT72H").

    A day there ("P3D") is nominal, one calendar day where the event is, so across a clock
    change it is 23 or 25 hours; hours, minutes and seconds are exact.
    """
    seconds = round(abs(delta).total_seconds())
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    # The grammar lets a part be left out only at the ends: "PT1H0M5S", not "PT1H5S".
    text = f"{hours}H" if hours else ""
    text += f"{minutes}M" if minutes or (hours and seconds) else ""
    text += f"{seconds}S" if seconds or not text else ""
    return f"{'-' if delta < timedelta(0) else ''}PT{text}"


def _event_minutes(config: Config, call_type: str | None) -> int:
    spec = config.section("reminders").get("event_minutes") or {}
    return int(spec.get(call_type or "", spec.get("default", 60)) or 60)


def _call_key(sheet: str, row: int, call_id: str) -> tuple[str, int, str]:
    return (sheet, row, call_id)


def _sequence(stamp: datetime) -> int:
    """The SEQUENCE of every event of a file made at `stamp`: its seconds since 2020.
    Of two versions of an event (one UID), a calendar keeps the one of the higher
    SEQUENCE (RFC 5545 3.8.7.4, RFC 5546 2.1.5; Outlook's import goes by it). Nothing is
    remembered between exports, so the later file's must be the higher, whatever it says
    of the call: cancelled after an export, booked again after a cancellation, moved.
    (An integer of 32 bits holds it until 2088.)"""
    return max(0, int((stamp - _SEQUENCE_EPOCH).total_seconds()))


_SEQUENCE_EPOCH = datetime(2020, 1, 1, tzinfo=timezone.utc)


def write_ics(
    records: Iterable[CallRecord],
    reminders: Iterable[Reminder],
    config: Config,
    path: str | Path,
    *,
    stamp: datetime | None = None,
    cancelled: Iterable[CallRecord] = (),
    log_records: Iterable[CallRecord] | None = None,
    folded: Mapping[tuple[str, int], Iterable[CallRecord]] | None = None,
    workbook: str | Path = "",
    kept: list[tuple[Path, Path]] | None = None,
) -> Path:
    """One VEVENT per planned call, with one DISPLAY alarm per moment it has reminders at.

    Timed calls carry the workbook's time zone (TZID and a VTIMEZONE); a call with a date
    but no time is an all-day event. `stamp` is the DTSTAMP RFC 5545 requires (when the
    file was made); the caller passes its `now`, and only when it does not is the clock read.

    `cancelled`: calls called off that an earlier file may hold as planned, each at the slot
    its event had (jobs.export_reminders picks them). Each is written under the UID it had,
    STATUS:CANCELLED and a higher SEQUENCE (_sequence), with no alarm: a calendar that imported or
    subscribes to that file then strikes the event through or drops it (Google drops it),
    instead of keeping a call that will not happen. Its title says "Cancelled" too, for the
    calendars that show any event as planned (Outlook, imported). But one marked moved with
    no new slot that a later row logs again at its new date (_unslotted) was not called
    off: that row's event takes its UID, at the new slot, out of the window too (_moved_on).

    `log_records`: every row of the workbook's log, written here or not: of rows sharing
    an ID, the first of them keeps the ID's UID in every export (_event_uids), and a row
    logging a moved call again takes the UID of the row it moved from (_relogged).
    Without it, the rows given (`records` and `cancelled`) are all there is to go by.

    `folded`: (sheet, row) of an interview -> the notices of it whose events it is, left
    out of `records` by the caller: the event may carry one of their UIDs (_event_uids).

    `workbook`: the log's file, whose name is in every UID (event_uid).
    """
    import icalendar

    class ExactDuration(icalendar.vDuration):
        def to_ical(self) -> bytes:
            return _exact_duration(self.td).encode("ascii")

    path = Path(path)
    replaced = _replaced(path)   # read once: checked, carried over, and kept when edited
    records = list(records)
    if log_records is not None:
        records, reminders, folded = _notices_follow(records, list(reminders), log_records, config, folded)
    tz = config.tz
    stamp = datetime.now(timezone.utc) if stamp is None else config.instant(stamp)
    sequence = _sequence(stamp)

    by_call: dict[tuple[str, int, str], list[Reminder]] = {}
    for r in reminders:
        by_call.setdefault(_call_key(r.sheet, r.call_row, r.call_id), []).append(r)

    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")

    # A zone with no IANA name (this computer's, read from a file) has no TZID a calendar
    # knows: the events' moments are then given in UTC.
    named = _named(tz)
    # A rescheduled call's event stands at its new slot, under the same UID.
    planned = [c for c in (planned_call(r, config) for r in records) if c is not None]
    off = list(cancelled)
    previous = _previous_events(replaced)
    live = {uid for uid, ev in previous.items() if str(ev.get("status", "")).upper() != "CANCELLED"}
    # A call moved with no new slot written, logged again on a new row after the window:
    # that row is the event (_unslotted), written at its slot rather than the old one cancelled.
    unslotted = _unslotted(log_records, config) if log_records is not None else None
    moved_on = _moved_on(off, planned, log_records, config, unslotted) if unslotted else {}
    planned += moved_on.values()
    # One set of UIDs for both: a row sharing its ID with a cancelled one keeps the UID it had.
    uids = _event_uids(planned + off, [*records, *off] if log_records is None else log_records, config, folded,
                       workbook, live, unslotted)
    if moved_on:
        # Such a row is written where the moved row gave it its UID, with all its alarms.
        planned = [c for c in planned if not any(n is c and key in uids for key, n in moved_on.items())]
        if added := [n for key, n in moved_on.items() if key not in uids]:
            for r in _alarms_of(added, log_records, config, workbook):
                by_call.setdefault(_call_key(r.sheet, r.call_row, r.call_id), []).append(r)
    off = [c for c in off if (c.sheet, c.row) in uids]   # (not those whose event another row's is now)
    if log_records is not None:
        moved, alarms, struck = _carried_over(previous, set(uids.values()), log_records, config, workbook, live,
                                              unslotted)
        for call, uid, ev in moved:
            if (call.sheet, call.row) in uids:
                # Its row is an event of this file under another UID (a notice folded
                # otherwise than before): the old one is struck, not the call twice.
                struck.append((ev, call))
                continue
            uids[(call.sheet, call.row)] = uid
            planned.append(call)
        for r in alarms:
            by_call.setdefault(_call_key(r.sheet, r.call_row, r.call_id), []).append(r)
    else:
        struck = []
    calls = sorted([(c, False) for c in planned] + [(c, True) for c in off],
                   key=lambda item: (item[0].at, item[0].sheet, item[0].row))
    for ev, record in struck:
        cal.add_component(_struck(ev, record, stamp, sequence, config))
    for record, is_off in calls:
        lang = record_lang(record, config)
        ctx = call_context(record, config, lang)
        ev = icalendar.Event()
        ev.add("uid", uids[(record.sheet, record.row)])
        ev.add("dtstamp", stamp)
        ev.add("sequence", sequence)
        if record.has_time:
            start = record.at.replace(tzinfo=tz)
            ev.add("dtstart", start if named else start.astimezone(timezone.utc))
            ev.add("duration", timedelta(minutes=_event_minutes(config, record.call_type)))
        else:
            ev.add("dtstart", record.date)
            ev.add("dtend", record.date + timedelta(days=1))
        summary = render(config, "reminders/event_summary", lang, "txt", **ctx)
        if is_off:
            summary = render(config, "reminders/event_cancelled", lang, "txt", **dict(ctx, summary=summary))
        ev.add("summary", summary)
        ev.add("description", render(config, "reminders/event", lang, "txt", **ctx))
        if ctx["address"] or ctx["link"]:
            ev.add("location", ctx["address"] or ctx["link"])
        if is_off:
            ev.add("status", "CANCELLED")
            # The slot is free again for whoever looks at the consultant's busy times.
            ev.add("transp", "TRANSPARENT")
            cal.add_component(ev)
            continue
        # One pop-up per moment, not a pile of them; its text names everyone due then, as
        # the terminal listing does.
        lines: dict[timedelta, list[str]] = {}
        for rem in sorted(by_call.get(_call_key(record.sheet, record.row, record.id), []), key=lambda r: r.at):
            lines.setdefault(-rem.offset, []).append(render(
                config, "reminders/alarm", rem.lang, "txt",
                subject=rem.subject, names=rem.names, role_label=role_label(config, rem.whom, rem.lang),
                channel_label=config.list_label("channel", rem.channel, rem.lang),
            ))
        for trigger, text in lines.items():
            alarm = icalendar.Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", "\n".join(text))
            # A timed call's offset is real time between two instants (reminders.
            # _real_offset); a day in the trigger would stretch across a clock change. An
            # all-day event's offset counts clock days from its midnight, which is what
            # icalendar's nominal "nD" says.
            alarm.add("trigger", ExactDuration(trigger) if record.has_time else trigger)
            ev.add_component(alarm)
        cal.add_component(ev)
    _add_timezones(cal, tz)

    data = _signed(cal.to_ical())
    if replaced is not None and _edited(replaced) and (backup := keep_replaced(path, data)) is not None \
            and kept is not None:
        kept.append((path, backup))
    # Checked as it was read (_replaced), the seconds before.
    return write_file(path, data, ours=lambda _: True, what="a calendar")


def _replaced(path: Path) -> bytes | None:
    """The calendar at `path` this export replaces, read once (None: there is none); one
    Call Tracker did not write is refused (check_ics), before any work."""
    held: list[bytes] = []

    def ours(p: Path) -> bool:
        # Its head first: a workbook given as --ics by mistake is refused unread.
        with open(p, "rb") as f:
            head = f.read(4096)
            if not _our_head(head):
                return False
            held.append(head + f.read())
        return True

    check_replaceable(path, ours, "a calendar")
    return held[0] if held else None


def _previous_events(data: bytes | None) -> dict[str, object]:
    """UID -> VEVENT of the calendar `data` (one an earlier export wrote: _replaced), or
    none when there is no such file or it does not parse (edited beyond repair: it is
    kept as a backup all the same)."""
    import icalendar

    if data is None:
        return {}
    try:
        cal = icalendar.Calendar.from_ical(data)
    except Exception:   # whatever a damaged file makes the parser raise: nothing to carry
        return {}
    return {str(ev.get("uid")): ev for ev in cal.walk("VEVENT") if ev.get("uid") is not None}


def _moved_on(off: list[CallRecord], planned: list[CallRecord], log: list[CallRecord], config: Config,
              unslotted: Mapping[tuple[str, int], CallRecord]) -> dict[tuple[str, int], CallRecord]:
    """(sheet, row) of each call of `off` (called off, written cancelled) marked moved with no
    new slot (_unslotted) -> the call of the row logging it again on a later day
    (reminders.logged_later; followed through rows moved so again), still booked and not
    one of `planned`: out of the window, it is not in the file, and the calendar that
    held the old slot would have it cancelled instead of moved."""
    from .reminders import _moved_outcomes, called_off, logged_later

    moved = [unslotted[(c.sheet, c.row)] for c in off if (c.sheet, c.row) in unslotted]
    if not moved:
        return {}
    keys = {(m.call_type, m.thread) for m in moved}
    again = logged_later([u for u in unslotted.values() if (u.call_type, u.thread) in keys], log, config, unslotted)
    written, moved_to = {(c.sheet, c.row) for c in planned}, _moved_outcomes(config)
    found: dict[tuple[str, int], CallRecord] = {}
    for m in moved:
        by = again.get((m.sheet, m.row))
        # Moved so again (each a later day than the last: the walk ends).
        while by is not None and (by.sheet, by.row) in unslotted:
            by = again.get((by.sheet, by.row))
        # (Logged again at its own date, not by a row marked moved itself: _unslotted.)
        if by is not None and by.outcome not in moved_to and (by.sheet, by.row) not in written \
                and (call := planned_call(by, config)) is not None:
            found[(m.sheet, m.row)] = call
    if found:   # the rows a later row calls off (a candidate's withdrawal) are none of them
        off_later = called_off(log, config, min(c.date for c in found.values())).keys()
        found = {key: c for key, c in found.items() if (c.sheet, c.row) not in off_later}
    return found


def _alarms_of(calls: list[CallRecord], log: Iterable[CallRecord], config: Config,
               workbook: str | Path) -> list[Reminder]:
    """Every alarm of `calls` (planned_call's copies), those out of the window too, by the
    rules of the rows' own "whom to remind" cells, as jobs.export_reminders reads them."""
    from .jobs import row_reminder_rules
    from .model import CallLog
    from .reminders import reminders

    keys = {(c.sheet, c.row) for c in calls}
    own = [r for r in log if (r.sheet, r.row) in keys]
    rules, _ = row_reminder_rules(CallLog(str(workbook), own[0].sheet, 0, [], {}, "en", own), config)
    first, last = min(c.at for c in calls), max(c.at for c in calls)
    return reminders(own, config, first - timedelta(days=366), last + timedelta(days=1),
                     row_rules=lambda r: rules.get(r.row))


def _slot(ev) -> datetime | date | None:
    try:
        return ev.decoded("dtstart")
    except (KeyError, ValueError):
        return None


def _carried_over(previous: Mapping[str, object], written: set[str], log: Iterable[CallRecord], config: Config,
                  workbook: str | Path, live: Collection[str] = (),
                  unslotted: Mapping[tuple[str, int], CallRecord] | None = None
                  ) -> tuple[list[tuple], list[Reminder], list[tuple]]:
    """What the calendar this file replaces holds that the file would otherwise leave out,
    and a calendar that imported both would keep, or keep wrong: the events (by UID) of
    calls still booked out of this export's window, at their slot now (the interview of the
    25th, in Tuesday's file, moved to the 2nd; one booked again after a cancellation; one
    where it stood, kept so that a later change still finds it in the file): (the call,
    the UID, the event in that file), with all its alarms, as jobs.export_reminders gives
    the window's calls; and the events of calls called off since (the row's outcome:
    Cancelled, moved with no new slot; or a later row's), written back cancelled at the
    slot that file gave them. A calendar keeps an event left out of a file as it was, old
    slot and alarms: nothing else tells it of the change, as nothing is remembered between
    exports but that file (`previous`: its events by UID; `live`: those it holds booked).
    The rest of it stays out: calls that happened, rows no longer in the log (nothing says
    what became of them), another workbook's events (their UIDs name it: book_key)."""
    from .reminders import RESCHEDULED, _moved_outcomes, _notice_types, called_off, cancels_itself, logged_elsewhere

    old = {uid: ev for uid, ev in previous.items() if uid not in written}
    if not old:
        return [], [], []
    log = list(log)
    days = [s if not isinstance(s, datetime) else config.local(s).date()
            for s in map(_slot, old.values()) if s is not None]
    if not days:
        return [], [], []
    # The calls as an export of a window holding each would write them. Of the rows that
    # may stand from the first of those slots on (a row calling one off is logged up to
    # two weeks before it, as reminders.called_off looks back): their own day, or one a
    # move or a notice gives them; years of rows before are none of them (most of a second
    # at 100 000 rows).
    since = min(days) - timedelta(days=14)
    moved_to, notices = _moved_outcomes(config) | {RESCHEDULED}, _notice_types(config)
    near = [r for r in log if r.date is not None and r.date >= since or r.outcome in moved_to or r.call_type in notices]
    off = called_off(near, config, min(days)).keys()
    rows, _, folded = _notices_follow(near, [], near, config, None)
    standing = [c for c in (planned_call(r, config) for r in rows if (r.sheet, r.row) not in off) if c is not None]
    again = logged_elsewhere(standing, near, config)
    standing = [c for c in standing if (c.sheet, c.row) not in again]
    cancelling = cancels_itself(config)
    gone = [replace(r, outcome="") for r in near if (r.sheet, r.row) in off or cancelling(r)]
    uids = _event_uids(standing + gone, log, config, folded, workbook, live, unslotted)
    by_uid = {uids[(c.sheet, c.row)]: (c, False) for c in standing}
    # (One moved with no new slot, logged again, is that row's event: _unslotted.)
    by_uid.update((uids[(c.sheet, c.row)], (c, True)) for c in gone if (c.sheet, c.row) in uids)
    moved: list[tuple] = []   # (the call, its UID, its event in that file)
    struck = []
    for uid, ev in old.items():
        call, is_off = by_uid.get(uid, (None, False))
        was_off = str(ev.get("status", "")).upper() == "CANCELLED"
        if call is None or is_off and was_off:
            continue
        if is_off:
            struck.append((ev, call))
        else:   # moved, booked again, or where it stood: a later change must find it here
            moved.append((call, uid, ev))
    alarms = _alarms_of([c for c, _, _ in moved], log, config, workbook) if moved else []
    return moved, alarms, struck


def _start(call: CallRecord, config: Config) -> datetime | date:
    """The DTSTART of `call`'s event as a calendar reads it back (an instant, or a day)."""
    return call.at.replace(tzinfo=config.tz) if call.has_time else call.date


def _struck(old, record: CallRecord, stamp: datetime, sequence: int, config: Config):
    """The event `old` of the calendar replaced, as the calendar is to keep it now: called
    off (STATUS:CANCELLED, the slot free, no alarm left to ring), titled so, by the higher
    SEQUENCE of this file."""
    import icalendar

    ev = icalendar.Event()
    for name, value in old.items():
        if name.upper() not in {"DTSTAMP", "SEQUENCE", "STATUS", "TRANSP", "SUMMARY"}:
            ev[name] = value
    ev.add("dtstamp", stamp)
    ev.add("sequence", sequence)
    ev.add("summary", render(config, "reminders/event_cancelled", record_lang(record, config), "txt",
                             summary=str(old.get("summary", ""))))
    ev.add("status", "CANCELLED")
    ev.add("transp", "TRANSPARENT")
    return ev


def check_ics(path: str | Path) -> None:
    """Refuse, before any work, a calendar path that holds a file Call Tracker did not write."""
    check_replaceable(Path(path), _our_calendar, "a calendar")


_SIGNATURE = re.compile(rb"X-CALL-TRACKER-SUM:([0-9a-f]{32})\r\n")   # within RFC 5545's 75 octets


def _signed(data: bytes) -> bytes:
    """The calendar with the checksum of the rest of it after its first line, so that the
    next export replaces a file left as written and keeps a copy of one edited since (an
    event added by hand, a title changed): each export differs from the last one (its
    DTSTAMP), so a copy of every one would bury the one that matters."""
    first, rest = data.split(b"\r\n", 1)
    return b"%s\r\nX-CALL-TRACKER-SUM:%s\r\n%s" % (first, _checksum(data), rest)


def _edited(old: bytes) -> bool:
    """Whether the calendar `old` holds other than what an export wrote (a calendar
    written before exports were signed counts as edited: kept once)."""
    found = _SIGNATURE.search(old)
    return found is None or _checksum(old[:found.start()] + old[found.end():]) != found[1]


def _checksum(data: bytes) -> bytes:
    return hashlib.sha256(data).hexdigest()[:32].encode()


def _our_calendar(path: Path) -> bool:
    """A calendar an earlier export wrote: the next one replaces it."""
    with open(path, "rb") as f:
        return _our_head(f.read(4096))


def _our_head(head: bytes) -> bool:
    """Whether `head`, a file's first 4 KB, begins a calendar an earlier export wrote."""
    return head.startswith(b"BEGIN:VCALENDAR") and f"PRODID:{PRODID}".encode() in head


def _named(tz) -> bool:
    """Whether `tz` has an IANA name a calendar application knows. (Asked of zoneinfo for
    that one name: listing every zone it has reads the whole database, ~30 ms.)"""
    import zoneinfo

    key = getattr(tz, "key", None)
    try:
        return bool(key) and zoneinfo.ZoneInfo(key) is not None
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return False


def _add_timezones(cal, tz) -> None:
    if hasattr(cal, "add_missing_timezones"):  # icalendar >= 6.1
        cal.add_missing_timezones()
        return
    import icalendar

    if any(ev.get("dtstart") is not None and getattr(ev.decoded("dtstart"), "tzinfo", None) for ev in cal.walk("VEVENT")):
        cal.subcomponents.insert(0, icalendar.Timezone.from_tzinfo(tz))


def eml_name(rem: Reminder, workbook: str | Path = "") -> str:
    """Stable per reminder: a second export overwrites the same drafts instead of adding
    more. The workbook's name is in it: two consultants' logs, each with a call on row 2
    of "Call log", exported into one folder are two drafts, not the second over the first."""
    base = f"{rem.at:%Y%m%d-%H%M}_{_of_book(workbook)}{rem.sheet}_r{rem.call_row}_{rem.whom}"
    return safe_name(base, "reminder") + ".eml"


def _of_book(workbook: str | Path) -> str:
    return f"{Path(workbook).stem}_" if workbook else ""


def write_eml(reminders: Iterable[Reminder], config: Config, folder: str | Path,
              workbook: str | Path = "", kept: list[tuple[Path, Path]] | None = None) -> list[Path]:
    """One draft per e-mail reminder; To is the row's address when it has one, else empty.
    `workbook`: the log's file, named in the drafts' file names (eml_name). A draft of that
    name holding something else (edited) is kept first: (path, copy) added to `kept`
    (outfiles.write_file)."""
    folder = Path(folder)
    policy = _EML_POLICY
    written: list[Path] = []
    used: set[str] = set()
    for rem in reminders:
        if rem.channel != "email":
            continue
        msg = _draft(rem.names, rem.email, rem.subject, rem.message)
        name = f"{unique_stem(eml_name(rem, workbook)[:-4], used)}.eml"
        written.append(write_file(folder / name, msg.as_bytes(policy=policy), kept=kept))
    return written


def _draft(names: list[str], address: str, subject: str, text: str) -> EmailMessage:
    """A plain-text draft; X-Unsent makes Outlook open it ready to send."""
    msg = EmailMessage(policy=_EML_POLICY)
    # A header is one line: a cell's line break (Alt+Enter in "Acme Ltd / London office")
    # becomes a space there.
    names, address, subject = [_one_line(n) for n in names], _one_line(address), _one_line(subject)
    found = addresses(address)
    if len(found) == 1 and len(names) == 1:
        msg["To"] = formataddr((names[0], found[0]))
    else:
        msg["To"] = ", ".join(found)
    msg["Subject"] = subject
    msg["X-Unsent"] = "1"
    msg.set_content(text + "\n", charset="utf-8")
    return msg


def addresses(text: str) -> list[str]:
    """The e-mail addresses in a cell. It may hold several, with names ("Jane Roe
    <jane@acme.example>", "mailto:..."), or words that are none ("n/a", "ask Olga"): a
    draft's To gets the addresses only, rather than what mail refuses."""
    return _ADDRESS.findall(text)


_ADDRESS = re.compile(r"[^@\s<>(),;:\"\[\]]+@[^@\s<>(),;:\"\[\]]+\.[^@\s<>(),;:\"\[\]]+")


def _one_line(text: str) -> str:
    return re.sub(r"\s*[\r\n\u2028\u2029\x0b\x0c\x85]+\s*", " ", text).strip()


def write_notice_eml(notice: "Notice", folder: str | Path, workbook: str | Path = "", person: str = "",
                     kept: list[tuple[Path, Path]] | None = None) -> Path:
    """The interview notice as a draft: plain text with the HTML version as its
    alternative; named by the workbook too, as reminders' drafts are (eml_name), and by
    the `person` it is to when the row has several candidates. `kept`: see write_eml."""
    folder = Path(folder)
    policy = _EML_POLICY
    msg = _draft(notice.names, notice.to, notice.subject, notice.text)
    msg.add_alternative(notice.html + "\n", subtype="html", charset="utf-8")
    # The library draws a random boundary: the same notice written again would then differ
    # from the draft on disk and be kept as a backup (outfiles.keep_replaced) at every run.
    # A hash of the text cannot occur in the text it separates.
    msg.set_boundary("=_" + hashlib.sha1(f"{notice.text}\x1f{notice.html}".encode("utf-8")).hexdigest())
    to = f"_{person}" if person else ""
    name = safe_name(f"notice_{_of_book(workbook)}{notice.sheet}_r{notice.row}{to}", "notice") + ".eml"
    return write_file(folder / name, msg.as_bytes(policy=policy), kept=kept)
