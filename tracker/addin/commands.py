"""`tracker addin build` and `tracker addin install` (registered in tracker/cli.py)."""
from __future__ import annotations

import functools
import os
import sys
from pathlib import Path

import click

from ..errors import TrackerError
from .build import ADDIN_NAME, build_addin
from .install import install_addin


def _one_line_errors(command):
    # A TrackerError is a message for a person: one line on stderr, exit code 2.
    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except TrackerError as exc:
            click.echo(f"tracker: {exc}", err=True)   # as every other command's
            sys.exit(exc.exit_code)

    return wrapper


@click.group("addin")
def addin() -> None:
    """Build and install the Call Tracker Excel add-in (tracker.xlam).

    \b
    Examples:
      tracker addin build                   writes ./tracker.xlam
      tracker addin build --out dist/tracker.xlam
      tracker addin install                 builds it and installs it for Excel
      tracker addin install --xlam tracker.xlam
    """


@addin.command("build")
@click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path), default=Path(ADDIN_NAME),
              show_default=True, help="Where to write the add-in (.xlam).")
@click.option("--udf-module", "udf_modules", multiple=True, metavar="MODULE",
              help="Another Python module whose @xw.func functions become cell functions too, "
                   "beside tracker.excel.udfs' (repeatable).")
@_one_line_errors
def build_command(out: Path, udf_modules: tuple[str, ...]) -> None:
    """Build tracker.xlam from the shipped sources; works on any OS, without Excel.

    \b
    Examples:
      tracker addin build
      tracker addin build --out C:\\Users\\me\\Desktop\\tracker.xlam
      tracker addin build --udf-module my_team_functions

    (my_team_functions: a module of yours with functions decorated @xw.func, which
    this Python imports: installed, or its folder on PYTHONPATH, here and for Excel.)
    """
    path = build_addin(out, udf_modules=tuple(dict.fromkeys(("tracker.excel.udfs", *udf_modules))))
    click.echo(f"Wrote {path}", err=True)


@addin.command("install")
@click.option("--xlam", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="An add-in built before; default: build a fresh one now.")
@_one_line_errors
def install_command(xlam: Path | None) -> None:
    """Install the add-in for this user: Excel opens it at start-up and runs this Python.

    \b
    Examples:
      tracker addin install
      tracker addin install --xlam tracker.xlam
    """
    appdata = Path(os.environ["APPDATA"]) if os.environ.get("APPDATA") else None
    click.echo(install_addin(xlam, home=Path.home(), appdata=appdata), err=True)
