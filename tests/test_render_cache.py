"""Templates kept compiled between runs (tracker/render.py `_compiled_templates`): the
next run loads them without compiling, an edited one is compiled anew, and a cache that is
damaged or cannot be written changes nothing but the time."""
from __future__ import annotations

import pytest

import tracker.render as render_module
from tracker.config import KEPT_VERSIONS

SHIPPED = "chase/last.en.txt.j2"


@pytest.fixture(autouse=True)
def _cache(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("LOCALAPPDATA", str(tmp_path / "cache"))


def new_run(user_dir=None):
    """The template environment a new process makes (the one of this process is kept)."""
    return render_module._environment.__wrapped__(str(user_dir) if user_dir else None)


def cached_files(tmp_path):
    return sorted((tmp_path / "cache").rglob("*.cache"))


def never_compiled(env, monkeypatch):
    def compile_(*args, **kwargs):
        raise AssertionError("compiled again")

    monkeypatch.setattr(env, "compile", compile_)


def render(env, template, **context):
    return env.get_template(template).render(**context)


CONTEXT = {"name": "Anna", "topic": "backend lead"}


def test_a_template_compiled_in_one_run_is_loaded_compiled_by_the_next(tmp_path, monkeypatch):
    text = render(new_run(), SHIPPED, **CONTEXT)
    assert cached_files(tmp_path), "nothing was kept"
    env = new_run()
    never_compiled(env, monkeypatch)
    assert render(env, SHIPPED, **CONTEXT) == text


def test_a_template_edited_between_runs_is_compiled_again(tmp_path):
    mine = tmp_path / "mine"
    (mine / "chase").mkdir(parents=True)
    template = mine / "chase" / "hello.en.txt.j2"
    template.write_text("Hello {{ name }}", encoding="utf-8")
    assert render(new_run(mine), "chase/hello.en.txt.j2", name="Anna") == "Hello Anna"
    template.write_text("Goodbye {{ name }}", encoding="utf-8")
    assert render(new_run(mine), "chase/hello.en.txt.j2", name="Anna") == "Goodbye Anna"


@pytest.mark.parametrize("damage", ["garbage", "cut after the header", "empty"])
def test_a_damaged_cache_file_is_compiled_again(tmp_path, damage):
    from jinja2.bccache import bc_magic

    text = render(new_run(), SHIPPED, **CONTEXT)
    files = cached_files(tmp_path)
    assert files
    for f in files:
        f.write_bytes({"garbage": b"\x00not a template\xff" * 10, "cut after the header": bc_magic + b"\x80",
                       "empty": b""}[damage])
    assert render(new_run(), SHIPPED, **CONTEXT) == text
    assert all(f.read_bytes().startswith(bc_magic) and len(f.read_bytes()) > 100 for f in files)   # mended


def test_a_cache_folder_that_cannot_be_made_costs_only_the_compiling(tmp_path):
    (tmp_path / "cache").mkdir()
    (tmp_path / "cache" / "call-tracker").write_text("a file where the folder would be")
    first = render(new_run(), SHIPPED, **CONTEXT)
    assert render(new_run(), SHIPPED, **CONTEXT) == first
    assert cached_files(tmp_path) == []


def test_the_templates_compiled_by_older_versions_are_let_go_but_the_newest(tmp_path):
    import os

    cache = tmp_path / "cache" / "call-tracker"
    others = []
    for age in range(5):   # five other versions, the first written last
        older = cache / f"templates-00000000000{age}"
        older.mkdir(parents=True)
        (older / "__jinja2_x.cache").write_bytes(b"old")
        os.utime(older, (1_700_000_000 - age * 86400,) * 2)
        others.append(older)
    memo = cache / "summaries-0123.bin"
    memo.write_bytes(b"the summaries' memo stays")
    render(new_run(), SHIPPED, **CONTEXT)
    kept = KEPT_VERSIONS - 1
    assert [o.exists() for o in others] == [True] * kept + [False] * (5 - kept)
    assert memo.read_bytes() == b"the summaries' memo stays"
    assert len(list(cache.glob("templates-*"))) == KEPT_VERSIONS
