"""A template of the user's (templates_dir) that fails as it renders is named with its line,
as one that does not compile is: theirs to mend, not an internal error of ours."""
import shutil

import pytest
from click.testing import CliRunner

from tracker.cli import main

pytestmark = pytest.mark.usefixtures("no_user_config")


@pytest.mark.parametrize("body, error", [
    ('x {{ "a" + 1 }}', "TypeError"),
    ("first line\n{{ 1 / 0 }}", "ZeroDivisionError"),
])
def test_a_users_template_failing_as_it_renders_is_named_with_its_line(sample_log, tmp_path, body, error):
    book = tmp_path / "calls.xlsx"
    shutil.copyfile(sample_log, book)
    mine = tmp_path / "mytpl" / "chase"
    mine.mkdir(parents=True)
    (mine / "t1.en.txt.j2").write_text(body + "\n", encoding="utf-8")
    (mine / "reason.en.txt.j2").write_text(body + "\n", encoding="utf-8")
    (tmp_path / "tracker.yaml").write_text("templates_dir: mytpl\n", encoding="utf-8")

    r = CliRunner().invoke(main, ["overdue", str(book), "--as-of", "2026-11-23T09:00"])

    assert r.exit_code == 2, r.output
    line = body.count("\n") + 1
    assert f"template error: {error}" in r.output
    assert f"{mine.name}{'/'}" in r.output.replace("\\", "/") and f".en.txt.j2:{line}:" in r.output
    assert "internal error" not in r.output and "Traceback" not in r.output
