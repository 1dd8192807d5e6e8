"""The digest's text form: a follow-up of several drafts keeps the blank line between
them empty, in every language (no trailing spaces in the text a manager copies from)."""
from __future__ import annotations

from datetime import date, time

from click.testing import CliRunner

from tracker.cli import main

from workbooks import typed_log

LANGS = {"en": ("English", "Olga"), "ru": ("Russian", "Ольга"), "zh": ("Chinese", "王芳"), "ja": ("Japanese", "田中")}


def two_candidate_interviews(path):
    """Per language, an interview on Tuesday 24 Nov of two candidates, under its own
    manager: Monday's digests each owe two confirmation calls, one draft per candidate."""
    return typed_log(path, [
        {"ID": i + 1, "Date": date(2026, 11, 24), "Time": time(11, 0), "Call type": "Interview", "Client": "Acme",
         "Contact": f"Pete {i}", "Candidates": f"Lucas {i}, Ethan {i}", "SM": sm, "Language": language}
        for i, (language, sm) in enumerate(LANGS.values())])


def digests_of(path, out):
    """`tracker digest --out`: the folder of the digests written."""
    r = CliRunner().invoke(main, ["digest", str(path), "--as-of", "2026-11-23T12:00", "--out", str(out)],
                           catch_exceptions=False)
    assert r.exit_code == 0, r.output
    return out


def test_the_line_between_two_drafts_is_empty_in_every_language(tmp_path):
    path = two_candidate_interviews(tmp_path / "calls.xlsx")
    out = digests_of(path, tmp_path / "digests")
    texts = {p.name: p.read_text(encoding="utf-8") for p in sorted(out.glob("*.txt"))}
    assert len(texts) == 4
    for i, sm in enumerate(sm for _, sm in LANGS.values()):
        text = next(t for name, t in texts.items() if sm in name)
        lines = text.split("\n")
        # The two drafts, indented under their item, an empty line between them.
        first = next(n for n, line in enumerate(lines) if line.startswith("  ") and f"Lucas {i}" in line)
        assert lines[first + 1] == ""
        assert lines[first + 2].startswith("  ") and f"Ethan {i}" in lines[first + 2]
        assert [line for line in lines if line != line.rstrip()] == [], sm
    # Printed, the same.
    r = CliRunner().invoke(main, ["digest", str(path), "--as-of", "2026-11-23T12:00"], catch_exceptions=False)
    assert r.exit_code == 0 and r.stdout.count("Ethan") >= 4
    assert [line for line in r.stdout.split("\n") if line != line.rstrip()] == []


def test_the_html_form_keeps_its_break_between_drafts(tmp_path):
    path = two_candidate_interviews(tmp_path / "calls.xlsx")
    out = digests_of(path, tmp_path / "digests")
    html = next(p for p in out.glob("*.html") if "Olga" in p.name).read_text(encoding="utf-8")
    assert "we&#39;ll find another slot.<br><br>Hi Ethan 0," in html
