"""`tracker check team/ --format csv`: a workbook that cannot be read at all is a row of
the listing too, not only a line on stderr, so a problems.csv names every workbook."""
import csv
import io
import json

from click.testing import CliRunner

from tracker.cli import main


def _team(sample_log, tmp_path):
    team = tmp_path / "team"
    team.mkdir()
    (team / "anna.xlsx").write_bytes(sample_log.read_bytes())
    (team / "boris.xlsx").write_text("Date,Contact\n2026-11-20,Olga\n", encoding="utf-8")   # a CSV renamed
    return team


def test_the_csv_names_a_workbook_it_could_not_read(sample_log, tmp_path):
    r = CliRunner().invoke(main, ["check", str(_team(sample_log, tmp_path)), "--format", "csv"])
    assert r.exit_code == 2
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    unread = [row for row in rows if row["file"].endswith("boris.xlsx")]
    assert len(unread) == 1
    assert "not an Excel workbook" in unread[0]["message"]
    assert not unread[0]["message"].startswith(unread[0]["file"])   # named once, in its column
    assert not [row for row in rows if row["file"].endswith("anna.xlsx")]   # the sample has no problem
    assert "boris.xlsx" in r.stderr


def test_json_too(sample_log, tmp_path):
    r = CliRunner().invoke(main, ["check", str(_team(sample_log, tmp_path)), "--format", "json"])
    assert r.exit_code == 2
    [unread] = [p for p in json.loads(r.stdout) if p["file"].endswith("boris.xlsx")]
    assert unread["row"] == 0 and unread["sheet"] == ""
