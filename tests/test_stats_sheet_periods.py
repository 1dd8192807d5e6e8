"""The Stats sheet keeps DOMAIN's interview table by day, by week and by month: each the
numbers `tracker stats --by ...` gives, the charts under the tables in their columns."""
import json
import zipfile

import pytest
from click.testing import CliRunner
from workbooks import stats_sheet_table

from tracker.cli import main

AS_OF = "2026-11-23T09:00"


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    folder = tmp_path_factory.mktemp("demo")
    r = CliRunner().invoke(main, ["demo", str(folder), "--as-of", AS_OF], catch_exceptions=False)
    assert r.exit_code == 0, r.output
    return next(folder.glob("*.xlsx"))


def _terminal(path, by: str) -> dict[str, dict]:
    r = CliRunner().invoke(main, ["stats", str(path), "--by", by, "--format", "json", "--as-of", AS_OF],
                           catch_exceptions=False)
    assert r.exit_code == 0, r.output
    rows = json.loads(r.stdout)   # --kind interviews, the default
    return {row["period"]: row for row in rows if row["file"] == "*" and row["manager"] == "*"}


@pytest.mark.parametrize("by", ["day", "week", "month"])
def test_each_periods_interview_table_holds_what_stats_says(sample, tmp_path, by):
    sheet = stats_sheet_table(sample, tmp_path, f"Interviews by {by}", AS_OF)
    terminal = _terminal(sample, by)
    assert len(terminal) > 2   # the sample has interviews in several periods of each kind
    assert set(sheet) == {("Total" if p == "*" else p) for p in terminal}
    for period, row in terminal.items():
        got = sheet["Total" if period == "*" else period]
        assert [got["Invited"], got["Confirmed"], got["Attended"], got["No-shows"]] == \
            [row["invited"], row["confirmed"], row["attended"], row["no_show"]], period


def test_a_weeks_and_a_months_counts_are_their_days_sums(sample, tmp_path):
    days = stats_sheet_table(sample, tmp_path, "Interviews by day", AS_OF)
    months = stats_sheet_table(sample, tmp_path, "Interviews by month", AS_OF)
    for month, row in months.items():
        if month == "Total":
            continue
        inside = [d for d in days.values() if str(d["Period"]).startswith(month)]
        assert row["Invited"] == sum(d["Invited"] for d in inside) > 0


def test_the_charts_stay_under_the_tables_above_them(sample, tmp_path):
    copy = tmp_path / "calls.xlsx"
    copy.write_bytes(sample.read_bytes())
    assert CliRunner().invoke(main, ["refresh", str(copy), "--as-of", AS_OF]).exit_code == 0
    weeks = stats_sheet_table(sample, tmp_path, "Interviews by week", AS_OF)
    days = stats_sheet_table(sample, tmp_path, "Interviews by day", AS_OF)
    assert len(days) > len(weeks) + 10   # the table of days is much longer
    with zipfile.ZipFile(copy) as z:
        drawing = next(z.read(n).decode() for n in z.namelist() if n.startswith("xl/drawings/drawing"))
    rows = [int(part.split("</xdr:row>")[0]) for part in drawing.split("<xdr:from>")[1:]
            for part in [part.split("<xdr:row>")[1]]]
    assert len(rows) == 2
    # 0-based: below the week's table (title, header, its rows), above the end of the days'.
    assert all(len(weeks) + 2 <= r < len(days) for r in rows)
