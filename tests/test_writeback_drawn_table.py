"""A chart beside the log: our columns step over it (it would hide them), and say so; but
a log kept as an Excel table gets them in the table, as without the chart, so that its
sort and filter take them along, and the refresh says the chart lies over them."""
import re
import zipfile
from click.testing import CliRunner
from workbooks import charted_log

from tracker.cli import main

AS_OF = "2026-11-23T09:00"


def _refresh(path):
    r = CliRunner().invoke(main, ["refresh", str(path), "--as-of", AS_OF], catch_exceptions=False)
    assert r.exit_code == 0, r.output
    return r.output


def _refs(path, pattern):
    with zipfile.ZipFile(path) as z:
        return [ref for n in z.namelist() if n.startswith(("xl/tables/", "xl/worksheets/sheet1"))
                for ref in re.findall(pattern, z.read(n).decode())]


def test_a_tables_columns_join_it_under_a_chart_and_it_is_said(tmp_path):
    path = charted_log(tmp_path / "log.xlsx", table=True)
    out = _refresh(path)
    assert "Added columns I (Status), J (Due), K (Next action), L (Summary)." in out
    assert "lies over some of columns I:L, where ours went, in the log's table Table1: move it to see them" in out
    assert _refs(path, r'<table [^>]*\bref="([^"]+)"') == ["A1:L6"]
    before = path.read_bytes()
    assert "Nothing changed" in _refresh(path) and path.read_bytes() == before


def test_a_plain_logs_columns_step_over_the_chart_and_say_why(tmp_path):
    path = charted_log(tmp_path / "log.xlsx", table=False)
    out = _refresh(path)
    assert "Added columns R (Status), S (Due), T (Next action), U (Summary)." in out
    assert "Our new columns went to R:U, right of a chart, picture or button beside the log" in out
    assert _refs(path, r'<autoFilter ref="([^"]+)"') == ["A1:H6"]   # (not widened over a gap)
    assert "Our new columns" not in _refresh(path)   # said once, when they are added
