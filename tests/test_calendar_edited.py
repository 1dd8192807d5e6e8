"""`tracker reminders --ics` replaces a calendar it wrote; one the user edited since (an
event added by hand, a title changed) is kept first, and said."""
import icalendar
from click.testing import CliRunner

from tracker.cli import main

BACKUPS = ".call-tracker-backups"


def _export(log, ics, start: str) -> str:
    r = CliRunner().invoke(main, ["reminders", str(log), "--from", start, "--to", "2026-11-30T00:00",
                                  "--ics", str(ics)], catch_exceptions=False)
    assert r.exit_code == 0, r.output
    return r.output


def _events(data: bytes) -> list[str]:
    return [str(ev["SUMMARY"]) for ev in icalendar.Calendar.from_ical(data).walk("VEVENT")]


def test_an_edited_calendar_is_kept_before_the_next_export_replaces_it(sample_log, tmp_path):
    ics = tmp_path / "calls.ics"
    _export(sample_log, ics, "2026-11-23T09:00")
    written = ics.read_bytes()
    assert len(_events(written)) > 2
    edited = written.replace(b"BEGIN:VEVENT", b"BEGIN:VEVENT\r\nSUMMARY:Dentist (mine)\r\nEND:VEVENT\r\nBEGIN:VEVENT", 1)
    edited = edited.replace(b"BEGIN:VEVENT\r\nSUMMARY:Dentist (mine)",
                            b"BEGIN:VEVENT\r\nUID:mine-1\r\nDTSTAMP:20261123T090000Z\r\nDTSTART:20261124T080000Z\r\n"
                            b"SUMMARY:Dentist (mine)", 1)
    assert "Dentist (mine)" in _events(edited)
    ics.write_bytes(edited)

    out = _export(sample_log, ics, "2026-11-23T09:00")

    copies = list((tmp_path / BACKUPS).iterdir())
    assert [c.read_bytes() for c in copies] == [edited]
    assert f"Backup of the previous calls.ics: {copies[0]}" in out
    assert "Dentist (mine)" not in _events(ics.read_bytes())   # the new export is the log's calls


def test_a_calendar_left_as_written_is_replaced_without_a_copy(sample_log, tmp_path):
    ics = tmp_path / "calls.ics"
    _export(sample_log, ics, "2026-11-23T09:00")
    first = ics.read_bytes()
    out = _export(sample_log, ics, "2026-11-20T09:00")   # a wider window: other bytes
    assert ics.read_bytes() != first
    assert not (tmp_path / BACKUPS).exists()
    assert "Backup" not in out


def test_a_calendar_written_before_exports_were_signed_is_kept_once(sample_log, tmp_path):
    ics = tmp_path / "calls.ics"
    _export(sample_log, ics, "2026-11-23T09:00")
    lines = ics.read_bytes().split(b"\r\n")
    old = b"\r\n".join(line for line in lines if not line.startswith(b"X-CALL-TRACKER-SUM:"))
    ics.write_bytes(old)
    _export(sample_log, ics, "2026-11-23T09:00")
    assert [c.read_bytes() for c in (tmp_path / BACKUPS).iterdir()] == [old]
    _export(sample_log, ics, "2026-11-24T09:00")
    assert len(list((tmp_path / BACKUPS).iterdir())) == 1
