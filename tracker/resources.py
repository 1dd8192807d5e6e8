"""Where the shipped data folders are, installed or in a checkout."""
from __future__ import annotations

from pathlib import Path


def data_dir(name: str) -> Path:
    """The folder `templates`, `workbook` or `macros`.

    In a wheel they live in `tracker/data/<name>`; in a checkout (editable install or
    running from the source tree) they are the top-level folders of the repository.
    """
    checkout = Path(__file__).resolve().parent.parent / name
    if checkout.is_dir() and (checkout.parent / "pyproject.toml").is_file():
        return checkout
    from importlib import resources   # a few ms of every command's start-up otherwise

    return Path(str(resources.files("tracker.data") / name))


def templates_dir() -> Path:
    return data_dir("templates")


def workbook_dir() -> Path:
    return data_dir("workbook")


def macros_dir() -> Path:
    return data_dir("macros")


def defaults_dir() -> Path:
    return Path(__file__).resolve().parent / "defaults"
