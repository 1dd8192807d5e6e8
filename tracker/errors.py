"""Errors a user sees as one clear line (the CLI prints them; Excel shows a message box)."""
from __future__ import annotations


class TrackerError(Exception):
    """A usage or I/O error with a message meant for a person. CLI exit code 2."""

    exit_code = 2


class InputProblem(TrackerError):
    """What was asked for cannot be given because of the log's cells (a call type nobody
    can read): the input has problems, CLI exit code 1, as `check` exits on them."""

    exit_code = 1


class ConfigError(TrackerError):
    """A bad configuration file: the message names the file, line and key."""


class TemplateError(TrackerError):
    """A template that does not parse or render: the message names the file and line."""


class TemplateMissing(TemplateError):
    """No template of that name: for a chase step or a call type, there is none to use
    (a broken one is a TemplateError, reported, never taken for a missing one)."""


class WorkbookError(TrackerError):
    """A workbook we cannot read or must not write: the message names the file and why."""
