"""Configuration: shipped defaults, a user's overrides, and errors naming file, line and key."""
import json
from datetime import datetime, timezone
from pathlib import Path

import pytest

from tracker.config import find_config, load_config
from tracker.errors import ConfigError


def write(tmp_path, text, name="tracker.yaml"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_defaults_hold_the_rules_of_the_trade():
    c = load_config()
    assert set(c.call_types) >= {"first_call", "interview", "repeat_call", "introductory_call",
                                 "report_sent", "interview_notice", "follow_up"}
    for ct in c.call_types.values():
        assert all(ct.labels.get(lang) for lang in ("en", "ru", "zh", "ja")), ct.id
        assert ct.actions_in("en")
    # seed 002's reminders and seed 001's cadence live in the defaults, not in code
    first = c.section("reminders")["call_types"]["first_call"][0]
    assert (first["whom"], first["minutes_before"]) == ("client", 15)
    assert c.section("followups")


@pytest.mark.parametrize("text, expected", [
    ("Первый звонок (вступительный)", "first_call"),
    ("Interview (собеседование)", "interview"),
    ("Повторный звонок", "repeat_call"),
    ("面试", "interview"),
    ("初回面談", "first_call"),
    ("Introductory call", "introductory_call"),
    ("  first CALL ", "first_call"),
    ("lunch", None),
])
def test_call_types_in_four_languages(text, expected):
    assert load_config().match_call_type(text) == expected


def test_the_maps_keyed_by_the_users_own_names_take_new_keys(tmp_path):
    p = write(tmp_path, "reminders:\n  call_types:\n    lunch:\n      - {whom: client, minutes_before: 30}\n"
                        "  event_minutes:\n    lunch: 90\n"
                        "summaries:\n  required:\n    lunch: [summary]\n"
                        "stats:\n  stage_from_call_type:\n    lunch: first_contact\n")
    c = load_config(p)
    assert c.section("reminders")["event_minutes"]["lunch"] == 90
    assert c.section("summaries")["required"]["lunch"] == ["summary"]
    assert c.section("stats")["stage_from_call_type"]["lunch"] == "first_contact"


def test_user_file_overrides_and_extends(tmp_path):
    p = write(tmp_path, "language: ru\ntimezone: Asia/Shanghai\ncolumns:\n  client: [Customer org]\n"
                        "call_types:\n  lunch:\n    labels: {en: Lunch}\n")
    c = load_config(p)
    assert c.language == "ru" and str(c.tz) == "Asia/Shanghai"
    assert c.match_call_type("Lunch") == "lunch"
    assert c.column_words["customerorg"] == "client"
    assert c.column_words["client"] == "client"          # shipped words kept
    assert c.match_call_type("Interview") == "interview"  # shipped types kept


@pytest.mark.parametrize("text, line, words", [
    ("language: fr\n", 1, ["language", "en, ru, zh, ja"]),
    ("language: en\n\nworking_dayz: [1, 2]\n", 3, ["unknown key `working_dayz`"]),
    ("followups:\n  count: 3\n", 2, None),
    ("timezone: Mars/Olympus\n", 1, ["timezone", "Mars/Olympus"]),
    ("language: en\nworking_days: [0, 9]\n", 2, ["working_days"]),
    ("language: [en\n", 2, ["not valid YAML"]),
    ("columns: 5\n", 1, ["`columns` must be a mapping"]),
    ("language: en\nfollowups:\n  min_gap_dayz: 2\n", 3, ["unknown key `followups.min_gap_dayz` (did you mean `min_gap_days`?"]),
    ("reminders:\n  day_befor: '10:00'\n", 2, ["unknown key `reminders.day_befor`", "day_before"]),
    ("summaries:\n  checkbx: '[ ]'\n", 2, ["unknown key `summaries.checkbx`", "checkbox"]),
    ("language: en\ntemplates_dir: my-templtes\n", 2, ["`templates_dir`", "my-templtes is not a folder"]),
    ("followups:\n  cadence:\n    cout: working\n", 3, ["unknown key `followups.cadence.cout` (did you mean `count`?"]),
    ("summaries:\n  missing_mark:\n    de: fehlt\n", 3, ["unknown key `summaries.missing_mark.de`"]),
    ("stats:\n  labels:\n    titel_calls: Calls\n", 3, ["unknown key `stats.labels.titel_calls`"]),
    ("stats:\n  round_end: [absent]\n", 2, ["unknown key `stats.round_end` (did you mean `round_end_outcomes`?"]),
])
def test_bad_config_names_file_line_and_key(tmp_path, text, line, words):
    p = write(tmp_path, text)
    with pytest.raises(ConfigError) as err:
        load_config(p)
    msg = str(err.value)
    assert msg.startswith(f"{p}:{line}:") or msg.startswith(f"{p}:"), msg
    assert f"{p}:{line}" in msg, msg
    for w in words or []:
        assert w in msg


def test_config_found_next_to_the_workbook_then_user_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "home"))
    book = tmp_path / "logs" / "calls.xlsx"
    book.parent.mkdir()
    assert find_config(None, book) is None
    user = tmp_path / "home" / "call-tracker" / "tracker.yaml"
    user.parent.mkdir(parents=True)
    user.write_text("language: ja\n", encoding="utf-8")
    assert find_config(None, book) == user
    near = write(book.parent, "language: zh\n")
    assert find_config(None, book) == near
    assert load_config(None, book).language == "zh"
    with pytest.raises(ConfigError, match="not found"):
        load_config(tmp_path / "missing.yaml")


def test_local_converts_aware_times_to_workbook_time():
    c = load_config(overrides={"timezone": "Asia/Tokyo"})
    assert c.local(datetime(2026, 11, 22, 0, 0, tzinfo=timezone.utc)) == datetime(2026, 11, 22, 9, 0)
    assert c.local(datetime(2026, 11, 22, 9, 0)) == datetime(2026, 11, 22, 9, 0)


def test_parsed_defaults_are_kept_in_the_cache_folder_under_their_digest(tmp_path, monkeypatch, request):
    import shutil

    from tracker import config as cfg

    shipped = tmp_path / "defaults"
    shutil.copytree(cfg.defaults_dir(), shipped)
    monkeypatch.setattr(cfg, "defaults_dir", lambda: shipped)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("LOCALAPPDATA", str(tmp_path / "cache"))
    # What this test parses must not stay in the process's cache for the other tests.
    request.addfinalizer(cfg._shipped_defaults.cache_clear)

    def fresh() -> dict:
        cfg._shipped_defaults.cache_clear()
        return cfg._defaults()

    first = fresh()
    [kept] = cfg.user_cache_dir().glob("defaults-*.json")
    assert json.loads(kept.read_text(encoding="utf-8")) == first
    # Read back from the cache, not parsed: a changed cache file shows through.
    kept.write_text(json.dumps({**first, "timezone": "Asia/Tokyo"}), encoding="utf-8")
    assert fresh()["timezone"] == "Asia/Tokyo"
    # Damaged: parsed again and rewritten.
    kept.write_text('{"timezone": ', encoding="utf-8")
    assert fresh() == first and json.loads(kept.read_text(encoding="utf-8")) == first
    # An edited defaults file has another digest: parsed, not taken from the old entry.
    general = shipped / "general.yaml"
    general.write_text(general.read_text(encoding="utf-8") + "\nextra_key_for_the_test: 1\n", encoding="utf-8")
    assert fresh()["extra_key_for_the_test"] == 1
    assert len(list(cfg.user_cache_dir().glob("defaults-*.json"))) == 2
    # A cache folder that cannot be written costs only the parse.
    blocked = tmp_path / "a-file"
    blocked.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    monkeypatch.setenv("LOCALAPPDATA", str(blocked))
    assert fresh()["extra_key_for_the_test"] == 1


def test_the_readmes_configuration_examples_load(tmp_path):
    """A user copies them: each must load as written (with its templates folder made)."""
    import re

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```yaml\n(.*?)```", readme, re.S)
    assert blocks
    for i, block in enumerate(blocks):
        folder = tmp_path / str(i)
        folder.mkdir()
        for name in re.findall(r"^templates_dir:\s*(\S+)", block, re.M):
            (folder / name).mkdir()
        (folder / "tracker.yaml").write_text(block, encoding="utf-8")
        load_config(folder / "tracker.yaml")
