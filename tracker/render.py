"""Jinja2 templates: the shipped ones in templates/, overridden by the user's folder.

Template names carry the language: `chase/t1.ru.txt.j2`. `render(config, "chase/t1",
"ru", ...)` picks `chase/t1.ru.txt.j2`, else the English one. A user overrides any file by
putting one with the same relative name in the folder named by `templates_dir`.
jinja2 is imported here only, and only when a template is needed.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from .errors import TemplateError
from .resources import templates_dir


@lru_cache(maxsize=8)
def _environment(user_dir: str | None):
    import jinja2

    dirs = [user_dir] if user_dir else []
    dirs.append(str(templates_dir()))
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(dirs, encoding="utf-8"),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=False,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=jinja2.select_autoescape(enabled_extensions=("html", "xml"), default_for_string=False),
    )
    return env


def environment(config) -> Any:
    user = config.templates_dir if config is not None else None
    return _environment(str(user) if user else None)


def template_name(config, base: str, lang: str, ext: str = "txt") -> str:
    """The first of `base.lang.ext.j2`, `base.en.ext.j2`, `base.ext.j2` that exists."""
    env = environment(config)
    candidates = [f"{base}.{lang}.{ext}.j2", f"{base}.en.{ext}.j2", f"{base}.{ext}.j2"]
    names = set(env.list_templates())
    for name in candidates:
        if name in names:
            return name
    raise TemplateError(f"no template {candidates[0]} (nor an English one) in {templates_dir()}")


def render(config, base: str, lang: str = "en", ext: str = "txt", **context: Any) -> str:
    """Render a template; a broken one raises TemplateError naming the file and line."""
    import jinja2

    env = environment(config)
    name = template_name(config, base, lang, ext)
    try:
        return env.get_template(name).render(**context).strip("\n")
    except jinja2.TemplateSyntaxError as exc:
        where = exc.filename or name
        raise TemplateError(f"{where}:{exc.lineno}: template error: {exc.message}") from None
    except jinja2.UndefinedError as exc:
        raise TemplateError(f"{_source_of(env, name)}: template error: {exc.message}") from None
    except jinja2.TemplateError as exc:
        raise TemplateError(f"{_source_of(env, name)}: template error: {exc}") from None


def _source_of(env, name: str) -> str:
    try:
        _, filename, _ = env.loader.get_source(env, name)
        return str(Path(filename))
    except Exception:  # noqa: BLE001 - only used to decorate a message
        return name
