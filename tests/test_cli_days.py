"""A date option naming a day the calendar lacks says so, not that the format is wrong."""
import pytest
from click.testing import CliRunner

from tracker.cli import main


@pytest.mark.parametrize("value, said", [
    ("31.11.2026", "November 2026 has 30 days"),
    ("2026-02-29", "February 2026 has 28 days"),
    ("2026-02-29T09:00", "February 2026 has 28 days"),
    ("2026-13-01", "is not a date-time"),
    ("yesterday", "is not a date-time"),
])
def test_a_day_that_does_not_exist_is_said_so(sample_log, value, said):
    r = CliRunner().invoke(main, ["overdue", str(sample_log), "--as-of", value])
    assert r.exit_code == 2 and said in r.output, r.output
    assert "Traceback" not in r.output


def test_a_leap_day_that_exists_is_read(sample_log):
    r = CliRunner().invoke(main, ["overdue", str(sample_log), "--as-of", "29.02.2028"])
    assert r.exit_code == 0, r.output
