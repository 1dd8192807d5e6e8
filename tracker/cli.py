"""The terminal door: click commands, each a few lines over tracker.jobs.

Exit codes: 0 done, 1 the input has problems (reported), 2 usage or I/O error.
Data goes to stdout, messages to stderr.
"""
from __future__ import annotations

import errno
import os
import re
import signal
import sys
import threading
from contextlib import contextmanager
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Callable

import click

from .errors import TrackerError

FORMATS = click.Choice(["table", "json", "csv"])
LANGS = click.Choice(["en", "ru", "zh", "ja"])


def _as_of(value: str | None, option: str = "--as-of") -> datetime | None:
    moment = _moment(value, option)
    return moment[0] if moment else None


def _moment(value: str | None, option: str) -> tuple[datetime, bool] | None:
    """An option's date-time, and whether it was a date alone: ISO 8601, or as a date is
    typed in the log (23.11.2026 09:00, 2026年11月23日, 23 ноября 2026). A day and month
    that could be either way round (03/04/2026) are refused: the log's order is not
    known here. Errors name the `option`."""
    if value is None:
        return None
    text = value.strip()
    if not text:
        raise click.BadParameter("empty; write a date such as 2026-11-22 or 2026-11-22T09:30", param_hint=option)
    try:
        moment, alone = datetime.fromisoformat(text.replace(" ", "T", 1)), False
        alone = len(text) <= 10
    except ValueError:
        import unicodedata

        from .log import parse_date

        typed = unicodedata.normalize("NFKC", text)
        if re.fullmatch(r"\d+", typed):
            # The log reads a number as an Excel serial date, but nothing passes one to the
            # command line (the ribbon and the cell functions do not come this way): typed
            # there, it is a slip, and 45000 would judge as of 2023 without a word.
            raise click.BadParameter(_a_number(value, typed), param_hint=option)
        # 03/04/2026 and 03-04-2026 are written both ways round; 03.04.2026 day first only.
        first = re.match(r"\s*(\d{1,2})\s*([-/])\s*(\d{1,2})\s*\2", typed)
        if first and int(first[1]) <= 12 and int(first[3]) <= 12 and int(first[1]) != int(first[3]):
            raise click.BadParameter(f"{value!r} could be day first or month first; "
                                     "write it as 2026-11-22 or 2026-11-22T09:30", param_hint=option)
        try:
            found = parse_date(text, "dmy")
        except ValueError:
            raise click.BadParameter(
                _no_such_day(value, typed) or f"{value!r} is not a date-time; write 2026-11-22 or 2026-11-22T09:30",
                param_hint=option) from None
        alone = not isinstance(found, datetime)
        moment = found if isinstance(found, datetime) else datetime.combine(found, time(0, 0))
    if not _FIRST_YEAR <= moment.year <= _LAST_YEAR:
        # The engines count days and zones from it: at the calendar's ends they would overflow.
        raise click.BadParameter(f"{value!r} is out of range: give a day from {_FIRST_YEAR} to {_LAST_YEAR}",
                                 param_hint=option)
    return moment, alone


_FIRST_YEAR, _LAST_YEAR = 1901, 9998


def _no_such_day(value: str, typed: str) -> str | None:
    """Why a date written the right way is refused when its day does not exist (31.11.2026,
    2026-02-29): not "not a date-time", which sends the user looking at the format."""
    import calendar

    m = re.fullmatch(r"\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?", typed)
    y, mo, d = (m[1], m[2], m[3]) if m else (None, None, None)
    if m is None and (m := re.fullmatch(r"\s*(\d{1,2})\.(\d{1,2})\.(\d{4})(?:\s.*)?", typed)):
        d, mo, y = m[1], m[2], m[3]
    if m is None or not 1 <= int(mo) <= 12 or int(d) < 1:
        return None
    days = calendar.monthrange(int(y), int(mo))[1]
    if int(d) <= days:
        return None
    return f"{value!r}: {calendar.month_name[int(mo)]} {y} has {days} days; write a day that exists"


def _a_number(value: str, typed: str) -> str:
    """Why a bare number is refused, with the day it would be as an Excel serial date,
    for whoever did copy one from a cell."""
    from .log import parse_date

    try:
        serial = parse_date(int(typed), "dmy")
    except ValueError:
        serial = None
    said = f"{value!r} is a number, not a date; write 2026-11-22 or 2026-11-22T09:30"
    return f"{said} (as an Excel serial date it would be {serial:%Y-%m-%d}: if that is the day, write it so)" \
        if serial else said


def _now(as_of: str | None, option: str = "--as-of") -> datetime:
    return _as_of(as_of, option) or datetime.now().astimezone()


def _day(value: str | None, option: str) -> datetime | None:
    """A date option that counts whole days (`stats --since`): a time given with it is
    refused, not dropped in silence (09:00 rows of the day would still be counted)."""
    moment = _moment(value, option)
    if moment is None:
        return None
    if not moment[1]:
        raise click.BadParameter(f"{value}: give a day without a time, such as 2026-11-01: whole days are counted",
                                 param_hint=option)
    return moment[0]


def _window_end(value: str | None, begin: datetime, start: str | None, config) -> datetime | None:
    """`--to`: a date alone ends with its day (`--to 2026-11-30` includes the 30th). A
    window that ends before it begins is refused rather than listed empty."""
    moment = _moment(value, "--to")
    if moment is None:
        return None
    end, alone = moment
    if alone:
        end += timedelta(days=1)
    if config.instant(end) <= config.instant(begin):
        raise click.UsageError(f"--to {value} is not after {f'--from {start}' if start else 'now'}: "
                               "the window would be empty")
    return end


def _not_empty(ctx: click.Context, param: click.Parameter, value):
    """An empty path ("", a script's unset variable) refused as one: the system takes it
    for the current folder, whose every workbook would be read, or written into."""
    if value == "" or isinstance(value, tuple) and "" in value:
        raise click.BadParameter("the path is empty (\"\"); name a file or folder")
    return value


def _echo_err(text: str) -> None:
    click.echo(text, err=True)


def _echo_data(text: str, fmt: str) -> None:
    """A listing on stdout. CSV redirected into a new file (`> open.csv`) starts with a
    byte-order mark: Excel, opening a .csv by double-click, reads it as UTF-8 only then,
    and otherwise garbles every Cyrillic or Chinese name. A pipe, the terminal, or a file
    appended to (`>>`) get none: there it would be a stray character."""
    if fmt == "csv" and _stdout_is_a_new_file():
        text = "\ufeff" + text
    click.echo(text)


def _stdout_is_a_new_file() -> bool:
    import stat

    try:
        sys.stdout.flush()
        st = os.fstat(sys.stdout.fileno())
    except (AttributeError, OSError, ValueError):   # not a real file (a test's capture)
        return False
    return stat.S_ISREG(st.st_mode) and st.st_size == 0


def _table_width() -> int | None:
    """The width a table fits: the terminal's (COLUMNS when set), when stdout is one;
    piped or redirected, None: every column, as wide as its texts (to 48)."""
    import shutil

    try:
        if not sys.stdout.isatty():
            return None
    except (AttributeError, ValueError):   # not a real stream, or a closed one
        return None
    return shutil.get_terminal_size().columns


def _csv_sep_alone(option: str | None, fmt: str) -> None:
    """--csv-sep without --format csv is refused (before the reading): it would go unused
    in silence, and the table meant for Excel land in the file."""
    if option is not None and fmt != "csv":
        raise click.UsageError(f"--csv-sep is for --format csv, not --format {fmt}")


def _utf8_when_redirected() -> None:
    """Windows writes a redirected stdout or stderr in its ANSI code page (cp1252 on an
    English machine), where the first Chinese or Cyrillic name in a listing stops the
    command. Output sent to a file or a pipe is UTF-8 everywhere; a console keeps its own."""
    for stream in (sys.stdout, sys.stderr):
        try:
            if not stream.isatty() and stream.encoding.replace("-", "").lower() != "utf8":
                stream.reconfigure(encoding="utf-8")
        except (AttributeError, OSError, ValueError):   # replaced by a non-standard stream
            pass


# The logs commands read, kept to the end of the process when run() ends it: freeing
# 100 000 records object by object takes 0.1 s, dropping the process takes nothing.
_kept: list | None = None


def _read(path, config, sheet, *, checked: bool = False, say: Callable[[str], None] | None = None,
          keep: bool = True, others: bool = False, several: bool = False, today=None):
    """The log, refused without a header (but by `check`); with `others`, `say` (default:
    stderr) is told when another sheet looks like a log too (jobs.other_log_sheets; what
    to do about it differs in a run over `several` workbooks). `keep`:
    kept to the end of the process (one workbook; a run over many lets each go once done
    with)."""
    from . import jobs

    log = jobs.read_checked(path, config, sheet, today) if checked else jobs.read(path, config, sheet)
    if _kept is not None and keep:
        _kept.append(log)
    if not checked:   # `check` is where a sheet without its header is shown, cell by cell
        jobs.require_header(log)
    note = jobs.other_log_sheets_note(log, jobs.other_log_sheets(log, config, sheet), several, config) if others else ""
    if note:
        (say or _echo_err)(note)
    return log


class _Workbooks:
    """The workbooks a command's PATHS name (files, folders, globs: as `tracker stats`
    expands them) and a run over them. Named alone, a workbook is read as it always was:
    its errors stop the command. Several (more than one PATH, a folder or a glob): each
    is read with its own tracker.yaml unless --config, each message names it, one that
    cannot be read (or meets a bug of ours: its crash report is named) is named and the
    others still run, and the exit code is the worst.

    `later`: messages wait for the end (a listing's, said after it, as alone); else
    they are said as each workbook is done (refresh: a team's takes a while). `verb`:
    what is not done to a subfolder's workbooks (jobs.expand_paths)."""

    def __init__(self, paths: tuple[str, ...], config_path: str | None, *, later: bool = False,
                 verb: tuple[str, str] = ("read", "read")):
        from . import jobs

        self.several = jobs.is_batch(paths)
        self.worst = 0
        self.read = 0          # workbooks done
        self.failed: list[str] = []
        self._later: list[str] | None = [] if later else None
        if self.several:
            unfound: list[str] = []
            self.files: list[str | Path] = jobs.expand_paths(paths, note=_echo_err, unfound=unfound, verb=verb)
            for reason in unfound:   # as a missing file: said, the others still run
                _echo_err(f"tracker: {reason}")
                self.worst = 2
        else:
            self.files = [paths[0]]   # as typed (./calls.xlsx): its messages name it so
        self.config = jobs.config_for(config_path, self.files[0]) if config_path else None
        self._own: dict = {}
        self.first = None      # the settings of the first workbook done
        self.lang = "en"       # the language of the first log read: a run's closing lines are in it
        self._heard = False

    def heard(self, log) -> None:
        """A log read: the first one's language is the run's (as `stats` labels a team's tables)."""
        if not self._heard:
            self.lang, self._heard = log.language, True

    def config_of(self, path):
        """--config, else the workbook's own (its error naming it, when one of several)."""
        from . import jobs

        if self.config is not None:
            return self.config
        if path not in self._own:
            self._own[path] = jobs.own_config(path) if self.several else jobs.config_for(None, path)
        return self._own[path]

    def columns(self, columns: list[str]) -> list[str]:
        return ["file", *columns] if self.several else columns

    def rows(self, path, items) -> list:
        """A workbook's rows of the listing: with its `file` first, when one of several."""
        from .output import of_file

        return of_file(str(path), items) if self.several else list(items)

    def say(self, text: str) -> None:
        if self._later is not None:
            self._later.append(text)
        else:
            _echo_err(text)

    def run(self, work: Callable[[object, Callable[[str], None]], int]) -> None:
        """`work(path, say)` on each workbook in turn; it returns its exit code."""
        global _running
        from .jobs import stderr_is_terminal

        show = self.several and len(self.files) > 1 and stderr_is_terminal()
        _running = self if self.several else None
        for i, path in enumerate(self.files, 1):
            if show:
                _echo_err(f"[{i}/{len(self.files)}] {path}")
            say = self.say if not self.several else (lambda text, path=path: self.say(_naming(path, text)))
            try:
                code = work(path, say)
                self.read += 1
                self.first = self.first or self.config or self._own.get(path)
            except TrackerError as exc:
                if not self.several:
                    raise
                self.say(f"tracker: {_naming(path, str(exc))}")
                self.failed.append(str(path))
                code = exc.exit_code
            except Exception as exc:  # noqa: BLE001 - a bug of ours met in one workbook
                # A team's nightly run goes on to the others, as for a workbook that
                # cannot be read; alone, or when it is the command's to end, it stops as
                # it always did.
                if not self.several or _ends_the_command(exc):
                    raise
                from .jobs import write_crash_report

                report = write_crash_report(exc)
                self.say(f"tracker: {_naming(path, f'internal error: {type(exc).__name__}: {exc}')}; "
                         f"the other workbooks go on. Details: {report}")
                self.failed.append(str(path))
                code = 2
            self.worst = max(self.worst, code or 0)

    def done(self, what: str = "read") -> int:
        """The messages kept for the end, and how many workbooks failed (`what`: "read" or
        "refreshed"); the exit code."""
        for line in self._later or ():
            _echo_err(line)
        if self.failed:
            from .jobs import line

            _echo_err("tracker: " + line(self.first or self.config, "workbooks_failed", self.lang, failed=self.failed,
                                         total=len(self.files), refreshed=what == "refreshed"))
        return self.worst


def _naming(path, text: str) -> str:
    """A message of one of several workbooks, naming it (most already do, first; after
    "tracker: ", an error's)."""
    said, rest = ("tracker: ", text[9:]) if text.startswith("tracker: ") else ("", text)
    return text if rest.startswith(f"{path}:") else f"{said}{path}: {rest}"


@contextmanager
def _named(log):
    """An error about one of `log`'s rows (the engine names its sheet and cell) named by
    the workbook first, as every other error about a workbook is."""
    try:
        yield
    except TrackerError as exc:
        exc.args = (_naming(log.path, str(exc)),)
        raise


# From about this size (~17 000 rows) a refresh takes several seconds (~10 s at
# 100 000 rows): on a terminal it says what it is doing meanwhile. Not in a pipe or a
# log file, where the lines would only be noise after the fact.
PROGRESS_FROM_BYTES = 2_000_000


def _progress(path, stamp) -> Callable[[str], None] | None:
    """What refresh tells of each step it starts: a line on stderr, after the file's name."""
    from .jobs import stderr_is_terminal

    if stamp is None or stamp.size < PROGRESS_FROM_BYTES or not stderr_is_terminal():
        return None
    return lambda step: _echo_err(f"{path}: {step}")


def _forget_book() -> None:
    """Let go of the workbook read last (log.keep_last_book): refresh's peak memory comes
    later, with its plan and writing, and calamine's copy of the sheet is 46 MB of it at
    100 000 rows (freeing it takes 0.1 s)."""
    from . import log

    if log.keep_last_book:
        log.keep_last_book.clear()


def run() -> None:
    """The `tracker` console script: main(), then the output flushed and the process
    ended with os._exit, without tearing down its objects one by one (as mypy ends)."""
    global _kept
    _kept = []
    from . import log

    log.keep_last_book = []
    for name in ("stdout", "stderr"):
        if getattr(sys, name) is None:
            # Started with it closed (`>&-`): Python gives None; what would go there goes
            # nowhere, rather than into a traceback.
            setattr(sys, name, open(os.devnull, "w", encoding="utf-8"))
    _utf8_when_redirected()
    try:
        main()
        code = 0
    except SystemExit as exc:
        _kept.append(exc)   # its traceback holds the frames that hold what was read
        code = exc.code
        if code is None:
            code = 0
        elif not isinstance(code, int):
            print(code, file=sys.stderr)
            code = 1
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except BrokenPipeError:   # a reader that went away (`| head`)
            pass
        except OSError as exc:   # a full disk (`> /dev/full`): the listing is not all there
            if stream is sys.stdout:
                _say_unwritten(exc)
                code = code or 2
        except ValueError:   # a closed stream
            pass
    os._exit(code)


def _say_unwritten(exc: OSError) -> None:
    try:
        print(f"tracker: cannot write the output: {exc.strerror or exc}", file=sys.stderr, flush=True)
    except (OSError, ValueError):
        pass


# What a command stopped midway (Ctrl-C, a bug) leaves: a workbook is only ever replaced
# whole, but an export's files are written one by one (the listings write nothing).
_WROTE_SOME = "the workbook was not changed; files written before it stopped are kept"
_LEFT_BEHIND = {
    "refresh": "the workbook was not changed",
    "init": "no workbook was written",
    "reminders": _WROTE_SOME, "digest": _WROTE_SOME, "notice": _WROTE_SOME, "demo": _WROTE_SOME,
    "addin": "files written before it stopped are kept",
}


# The run over several workbooks under way: what an interrupt leaves is then theirs.
_running: _Workbooks | None = None


def _left_behind(ctx: click.Context) -> str:
    if _running is not None and ctx.invoked_subcommand == "refresh":
        done = _running.read
        return (f"{done} of {len(_running.files)} workbooks {'was' if done == 1 else 'were'} refreshed before it "
                "stopped; the one being refreshed was not changed")
    return _LEFT_BEHIND.get(ctx.invoked_subcommand or "", "nothing was written")


_NO_ROOM = {errno.ENOSPC, errno.EIO, getattr(errno, "EDQUOT", errno.ENOSPC)}   # a full disk, a quota
# click's own ends: a usage error (--to before --from, found in the first workbook), an
# exit, an abort; said as click says them.
_CLICK_ENDS = (click.exceptions.Exit, click.exceptions.Abort, click.ClickException)


def _ends_the_command(exc: Exception) -> bool:
    """Whether `exc` ends the whole command (_Group._invoke says it), not a bug met in
    one workbook of several: click's ends, the output gone, a full disk."""
    return isinstance(exc, (*_CLICK_ENDS, BrokenPipeError)) or (isinstance(exc, OSError) and exc.errno in _NO_ROOM)


class _Terminated(KeyboardInterrupt):
    pass


def _terminated(signum, frame) -> None:
    raise _Terminated


class _Group(click.Group):
    """Turns our errors into one line and an exit code, never a traceback; loads
    `tracker addin` (the VBA packager) only when it is asked for."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), "addin"})

    def get_command(self, ctx: click.Context, name: str):
        if name == "addin":
            from .addin.commands import addin

            return addin
        return super().get_command(ctx, name)

    def invoke(self, ctx: click.Context):
        # `kill`, a logout or a scheduler's timeout: stopped as Ctrl-C stops it, so the
        # lock and any half-written copy are cleared on the way out, not left for the
        # next run to find.
        before = (signal.signal(signal.SIGTERM, _terminated)
                  if threading.current_thread() is threading.main_thread() else None)
        try:
            return self._invoke(ctx)
        finally:
            if before is not None:
                signal.signal(signal.SIGTERM, before)

    def _invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except TrackerError as exc:
            _echo_err(f"tracker: {exc}")
            sys.exit(exc.exit_code)
        except (*_CLICK_ENDS, SystemExit):
            raise
        except BrokenPipeError:
            # The reader went away (`tracker overdue x.xlsx | head`): not an error of ours.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(0)
        except KeyboardInterrupt as exc:
            how = "terminated" if isinstance(exc, _Terminated) else "interrupted"
            _echo_err(f"tracker: {how}; {_left_behind(ctx)}")
            sys.exit(2)
        except Exception as exc:  # noqa: BLE001 - last resort: a traceback shown to a user is a bug
            if isinstance(exc, OSError) and exc.errno in _NO_ROOM:
                # The output (or a file) could not be written for want of room: said, no crash.
                _echo_err(f"tracker: cannot write: {exc.strerror}; {_left_behind(ctx)}")
                sys.exit(2)
            from . import jobs

            report = jobs.write_crash_report(exc)
            _echo_err(f"tracker: internal error: {type(exc).__name__}: {exc}; {_left_behind(ctx)}. Details: {report}")
            sys.exit(2)


def _common(f):
    f = click.option("--config", "config_path", type=click.Path(dir_okay=False), callback=_not_empty,
                     help="Configuration file (default: tracker.yaml next to the workbook, "
                          "else the one in your user config folder; one file is used, not both).")(f)
    f = click.option("--sheet", help="Sheet that holds the call log (default: the first with a recognisable header; "
                                  "`check` and `refresh` name on stderr another that looks like a log too).")(f)
    return f


def _csv_option(f):
    from .output import CSV_SEPARATORS

    return click.option("--csv-sep", "csv_sep", type=click.Choice(list(CSV_SEPARATORS)),
                        help="Field separator of --format csv: , or ; (for Excel in Russian, German...: numbers "
                             "then have a decimal comma, 0,25; quote it: --csv-sep ';') or tab. "
                             "Default: csv_separator in tracker.yaml (a comma unless set there).")(f)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="call-tracker", prog_name="tracker")
def main() -> None:
    """Call Tracker: follow-ups, reminders, meeting summaries and statistics from your call log.

    \b
    Start here:
      tracker demo                 write a sample log and show what Call Tracker does
      tracker init calls.xlsx      a new, empty call log
      tracker overdue calls.xlsx   who to chase today
      tracker refresh calls.xlsx   write statuses, colours and today's sheets into the workbook
    """


@main.command()
@click.argument("path", type=click.Path(dir_okay=False), callback=_not_empty)
@click.option("--lang", type=LANGS, default=None, help="Language of headers, lists and help sheet (default: config language).")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), callback=_not_empty,
              help="Configuration file (default: tracker.yaml next to the workbook, "
                   "else the one in your user config folder; one file is used, not both).")
@click.option("--sheet", help="Name of the log's sheet (default: the configuration's `sheet`, "
                              "else the usual name in the workbook's language).")
def init(path, lang, config_path, sheet):
    """Write a new call-log workbook at PATH (never overwrites).

    \b
    Examples:
      tracker init calls.xlsx --lang ru
      tracker init calls.xlsx --sheet "My calls"
    """
    import dataclasses

    from . import jobs

    config = jobs.config_for(config_path, path)
    if sheet:
        # As in every other command, --sheet stands for the configuration's `sheet`.
        config = dataclasses.replace(config, data={**config.data, "sheet": sheet})
    lang = lang or config.language
    out = jobs.init_workbook(Path(path), config, lang)
    from .output import shell_arg

    _echo_err(jobs.line(config, "init_wrote", lang, path=out, command=f"tracker refresh {shell_arg(out)}"))


@main.command()
@click.argument("paths", nargs=-1, required=True, callback=_not_empty)
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True)
@click.option("--as-of", help="Date-time to judge from (default: now): a call booked on two days is said while both "
                              "are still ahead. E.g. 2026-11-22T09:00")
@_csv_option
@_common
def check(paths, fmt, as_of, csv_sep, config_path, sheet):
    """List every cell Call Tracker cannot read, and those to look at (the files are never modified).

    To look at: read, but perhaps not as meant (one ID on calls about different people,
    a 3:30 that may be 15:30, a date without its year, a first call still booked on two
    days: moved, the old row not marked).

    PATHS: one workbook, or many: files, folders (the workbooks in them; not those in
    their subfolders, which are named on stderr) or globs, each workbook once, as
    `tracker stats` takes them. With several, each is read with its own tracker.yaml (unless
    --config), every row starts with its `file`, and one that cannot be read is named on
    stderr, and in the listing, while the others are still checked.

    Exit code 0 when there are no problems, 1 when there are some, 2 when a workbook
    cannot be read or holds no call-log header Call Tracker recognises (its problems
    say why); over several workbooks, the worst.

    \b
    Examples:
      tracker check calls.xlsx --format json
      tracker check team/ --format csv > problems.csv
      tracker check calls.xlsx --format csv --csv-sep ';' > problems.csv
    """
    from . import jobs
    from .model import Problem
    from .output import render_listing

    _csv_sep_alone(csv_sep, fmt)
    now = _now(as_of)
    # Alone, its one line after the listing, as ever; over several, each workbook's line
    # as it is checked.
    books = _Workbooks(paths, config_path, later=not jobs.is_batch(paths))
    rows: list = []
    found = {"problems": 0, "in": 0}

    def work(path, say) -> int:
        try:
            config = books.config_of(path)
            log = _read(path, config, sheet, checked=True, say=say, keep=not books.several, others=True,
                        several=books.several, today=config.local(now).date())
        except TrackerError as exc:
            if books.several:   # a row too: a team's problems.csv names the workbook it could not check
                text = str(exc)
                text = text[len(f"{path}: "):] if text.startswith(f"{path}: ") else text
                rows.extend(books.rows(path, [Problem("", 0, "", "", text)]))
            raise
        rows.extend(books.rows(path, log.problems))
        found["problems"] += len(log.problems)
        found["in"] += bool(log.problems)
        books.heard(log)
        say(jobs.line(config, "checked", log.language, path=path, sheet=log.sheet, calls=len(log.records),
                      problems=len(log.problems)))
        if not jobs.has_header(log):
            # As every other command refuses it (exit 2); the problems above say why.
            say(f"tracker: {jobs.no_header(log, listed=True, lang=log.language, config=config)}")
            return 2
        return 1 if log.problems else 0

    books.run(work)
    if books.read and (fmt != "table" or rows):
        _echo_data(render_listing(fmt, rows, books.columns(["sheet", "row", "column", "value", "message"]),
                                  whole_last=True, csv_sep=jobs.csv_separator(csv_sep, books.first),
                                  width=_table_width()), fmt)
    if books.several:
        _echo_err(jobs.line(books.first, "checked_many", books.lang, books=books.read, problems=found["problems"],
                            with_problems=found["in"]))
    sys.exit(books.done())


@main.command()
@click.argument("paths", nargs=-1, required=True, callback=_not_empty)
@click.option("--as-of", help="Date-time to judge from (default: now). E.g. 2026-11-22T09:00")
@click.option("--format", "fmt", type=FORMATS, default="table", show_default=True)
@click.option("--all", "show_all", is_flag=True, help="Every open row, not only overdue and due today.")
@_csv_option
@_common
def overdue(paths, as_of, fmt, show_all, csv_sep, config_path, sheet):
    """Who to chase today: overdue and due-today follow-ups, most overdue first.

    PATHS: one workbook, or many: files, folders (the workbooks in them; not those in
    their subfolders, which are named on stderr) or globs, each workbook once, as
    `tracker stats` takes them. With several, each is read with its own tracker.yaml (unless
    --config), one listing holds them all, each row starting with its `file`, in the
    order given, and one that cannot be read is named on stderr while the others are
    still listed. Exit code 0, or 2 when a workbook cannot be read (over several: the
    worst).

    The table and the CSV (for Excel) show what the Chase today sheet does: statuses,
    call types and actions in the log's language, dates as Excel reads them
    (2026-11-23, or 2026-11-23 14:00 for a step at a time), days overdue blank when
    none, the CSV's messages with their line breaks. JSON (for programs) keeps the ids
    and each row's own language in `lang`; its `action` is the step's words in the
    log's language without what the sheet writes before them (the channel "Phone: ",
    a step's time "09:00 ", "Likely rejected — "), which `channel`, `due` with `timed`,
    and `flag` hold; a whole-day `due` is a date.

    \b
    Examples:
      tracker overdue calls.xlsx
      tracker overdue calls.xlsx --all --format csv > open.csv
      tracker overdue calls.xlsx --as-of 2026-11-23T09:00 --format json
      tracker overdue team/ --format csv > team-chases.csv
    """
    from . import jobs
    from .output import render_listing

    _csv_sep_alone(csv_sep, fmt)
    books = _Workbooks(paths, config_path, later=True)
    now = _now(as_of)
    rows: list = []

    def work(path, say) -> int:
        config = books.config_of(path)
        log = _read(path, config, sheet, say=say, keep=not books.several)
        books.heard(log)
        items = jobs.chase_list(log, config, now, show_all=show_all)
        as_data = jobs.followup_data if fmt == "json" else jobs.followup_row
        rows.extend(books.rows(path, [as_data(config, f, log.language) for f in items]))
        jobs.report_problems(log, say, config)
        return 0

    books.run(work)
    if books.read:
        _echo_data(render_listing(fmt, rows, books.columns(jobs.FOLLOWUP_COLUMNS),
                                  csv_sep=jobs.csv_separator(csv_sep, books.first), width=_table_width()), fmt)
    sys.exit(books.done())


@main.command()
@click.argument("paths", nargs=-1, required=True, callback=_not_empty)
@click.option("--from", "start", help="Start of the window (default: now).")
@click.option("--as-of", "as_of", help="The same as --from, the word the other commands use for now.")
@click.option("--to", "end", help="End of the window; a date alone includes its whole day (default: the end of tomorrow).")
@click.option("--format", "fmt", type=FORMATS, default="table", show_default=True)
@click.option("--ics", type=click.Path(dir_okay=False), callback=_not_empty,
              help="Also write the planned calls with their alarms to this calendar file (one workbook only).")
@click.option("--eml", type=click.Path(file_okay=False), callback=_not_empty, help="Also write one e-mail draft per e-mail reminder into this folder.")
@_csv_option
@_common
def reminders(paths, start, as_of, end, fmt, ics, eml, csv_sep, config_path, sheet):
    """Who to remind of which call, when and how.

    PATHS: one workbook, or many: files, folders (the workbooks in them; not those in
    their subfolders, which are named on stderr) or globs, each workbook once, as
    `tracker stats` takes them. With several, each is read with its own tracker.yaml (unless
    --config), one listing holds them all, each row starting with its `file`, in the
    order given, and one that cannot be read is named on stderr while the others are
    still listed; --eml writes every workbook's drafts into the folder (each draft's
    name holds its workbook's), and --ics is refused: a calendar is one workbook's. Exit
    code 0, or 2 when a workbook cannot be read (over several: the worst).

    The table and the CSV (for Excel) show what the Reminders sheet does: roles,
    channels and call types in the log's language, times as Excel reads them
    (2026-11-23 09:10); the CSV has the sheet's names, call time and message too, after
    the table's columns. JSON (for programs) keeps the ids, with each row's own language
    in `lang`; subjects and messages are, everywhere, the drafts in that language.

    \b
    Examples:
      tracker reminders calls.xlsx
      tracker reminders calls.xlsx --from 2026-11-23 --to 2026-11-30 --ics calls.ics --eml drafts/
      tracker reminders "team/*.xlsx" --format json --eml drafts/
    """
    from . import jobs
    from .output import render_listing

    _csv_sep_alone(csv_sep, fmt)
    if as_of is not None:
        # `overdue --as-of 2026-11-23` is "now is then"; here now is the window's start.
        if start is not None and start != as_of:
            raise click.UsageError(f"--as-of {as_of} and --from {start} both say when the window starts: give one")
        start, begin_option = as_of, "--as-of"
    else:
        begin_option = "--from"
    if ics and jobs.is_batch(paths):
        raise click.UsageError(
            "--ics writes one workbook's calendar: name one workbook; for a team, one calendar each: "
            'for f in team/*.xlsx; do tracker reminders "$f" --ics "${f%.xlsx}.ics"; done')
    if ics:   # a slip (the workbook's own name) is refused before the seconds of a read
        from .exports import check_ics

        check_ics(ics)
    books = _Workbooks(paths, config_path, later=True)
    if eml:
        _one_draft_name_each(books.files, eml)
    begin = _now(start, begin_option)
    rows: list = []

    def work(path, say) -> int:
        config = books.config_of(path)
        until = _window_end(end, begin, start, config)
        log = _read(path, config, sheet, say=say, keep=not books.several)
        books.heard(log)
        untimed: list = []
        unread: list = []
        items = jobs.reminder_list(log, config, begin, until, untimed=untimed, unread=unread)
        rows.extend(books.rows(path, items if fmt == "json" else
                               [jobs.reminder_row(r, config, log.language) for r in items]))
        window = (config.local(begin), config.local(until) if until else jobs.end_of_tomorrow(config.local(begin)))
        for line in jobs.reminder_notes(log, config, items, untimed, window, ics=ics, eml=eml):
            say(line)
        _report_unread(log, config, unread, say)
        return 0

    books.run(work)
    if books.read:
        columns = jobs.REMINDER_COLUMNS + (jobs.REMINDER_SHEET_ONLY if fmt == "csv" else [])
        _echo_data(render_listing(fmt, rows, books.columns(columns),
                                  csv_sep=jobs.csv_separator(csv_sep, books.first), width=_table_width()), fmt)
    sys.exit(books.done())


def _one_draft_name_each(files: list, folder: str) -> None:
    """Refuse --eml over workbooks of one name in different folders (team/a/anna.xlsx and
    team/b/anna.xlsx): a draft's name holds its workbook's (exports.eml_name), so one's
    drafts would be written over the other's."""
    seen: dict[str, object] = {}
    for path in files:
        stem = Path(path).stem.casefold()
        if stem in seen:
            raise click.UsageError(f"--eml {folder}: {seen[stem]} and {path} have the same name, so their e-mail "
                                   "drafts would have the same names in one folder; run them with one --eml folder each")
        seen[stem] = path


@main.command()
@click.argument("paths", nargs=-1, required=True, callback=_not_empty)
@click.option("--row", type=int, help="Excel row number of the call.")
@click.option("--id", "call_id", help="Value of the call's ID column.")
@click.option("--all", "show_all", is_flag=True, help="Every call that has a call type.")
@click.option("--lang", type=LANGS, help="Language of the summary (default: the row's).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@_common
def summary(paths, row, call_id, show_all, lang, fmt, config_path, sheet):
    """The meeting summary in the agency's standard comment format.

    PATHS: one workbook; with --all, one or many: files, folders (the workbooks in them;
    not those in their subfolders) or globs, as `tracker overdue` takes them, each read
    with its own tracker.yaml (unless --config), each summary headed by its workbook, one
    that cannot be read named on stderr while the others are still summarised.

    \b
    Examples:
      tracker summary calls.xlsx --row 12
      tracker summary calls.xlsx --all --format json
      tracker summary team/ --all > summaries.txt
    """
    from . import jobs
    from .output import to_json
    from .render import renderer

    # `--row 0` is a row asked for (and refused as one), not a missing option.
    if sum((row is not None, call_id is not None, show_all)) != 1:
        raise click.UsageError("choose one of --row N, --id ID or --all")
    if jobs.is_batch(paths) and not show_all:
        raise click.UsageError("--row and --id name a call of one workbook: name one workbook, "
                               "or use --all over several")
    books = _Workbooks(paths, config_path, later=True)
    found: list = []

    def work(path, say) -> int:
        config = books.config_of(path)
        log = _read(path, config, sheet, say=say, keep=not books.several)
        with _named(log):
            items, problems = jobs.summaries(log, config, row=row, call_id=call_id, lang=lang)
        books.heard(log)
        if fmt == "json":
            found.extend(books.rows(path, items))
        elif items:
            # (a log's rows are all on its sheet)
            heading = renderer(config, "lines/summary_head", log.language, many=len(items) > 1000,
                               fixed={"head": f"{path}: " if books.several else "", "sheet": log.sheet})
            found.append("\n\n".join(f"{heading({'row': s.row})}\n{s.text}" for s in items))
        else:
            # A summary's format is its call type's: rows without one have none.
            say(jobs.line(config, "nothing_to_summarise", log.language, path=path, sheet=log.sheet,
                          n=len(log.records), header_row=log.header_row))
        for p in problems:
            say(f"{p.cell}: {p.message}")
        # With --all, a row whose call type cannot be read has no format: named, not passed over.
        unsummarised = jobs.unreadable_call_types(log) if show_all else []
        for line in jobs.unreadable_in(log, [s.row for s in items] + unsummarised):
            say(line)
        return 1 if problems or unsummarised else 0

    books.run(work)
    if fmt == "json":
        if books.read:
            click.echo(to_json(found))
    elif found:
        click.echo("\n\n".join(found))
    sys.exit(books.done())


@main.command()
@click.argument("paths", nargs=-1, required=True, callback=_not_empty)
@click.option("--by", type=click.Choice(["day", "week", "month"]), default="week", show_default=True)
@click.option("--since", help="First day counted (a day, without a time), e.g. 2026-10-01.")
@click.option("--until", help="Last day counted (a day, without a time).")
@click.option("--kind", type=click.Choice(["interviews", "calls", "ghosting", "response"]), default="interviews",
              show_default=True, help="Which table for json/csv (table format shows all).")
@click.option("--format", "fmt", type=FORMATS, default="table", show_default=True)
@click.option("--as-of", help="Date-time to judge from (default: now): later rows are still to come.")
@_csv_option
@_common
def stats(paths, by, since, until, kind, fmt, as_of, csv_sep, config_path, sheet):
    """Interview, no-show and ghosting statistics over one or many logs.

    PATHS may be files, folders (every .xlsx, .xlsm, .xlsb, .xls and .ods inside; not
    those in its subfolders, which are named on stderr) or globs. Excel's lock files
    (~$...) of open workbooks are passed over, and CSV exports in a folder are named.
    Each workbook is read with its own tracker.yaml (unless --config is given); the
    tables are counted with the settings of the first workbook that could be read, and
    labelled in its language, as its Stats sheet. One that cannot be read, or a PATH
    that gives none, is named on stderr and left out while the others are counted.

    Exit code 0, or 2 when a workbook was left out (or none could be counted).

    \b
    Examples:
      tracker stats calls.xlsx --by month
      tracker stats team/ --format csv --kind ghosting > ghosting.csv
      tracker stats team/ --format csv --csv-sep ';' > interviews.csv
      tracker stats "logs/*.xlsx" --since 2026-10-01 --format json
    """
    from . import jobs

    _csv_sep_alone(csv_sep, fmt)
    first, last = _day(since, "--since"), _day(until, "--until")
    if first and last and last.date() < first.date():
        raise click.UsageError(f"--until {until} is before --since {since}: no day would be counted")
    unfound: list[str] = []
    files = jobs.expand_paths(paths, note=_echo_err, unfound=unfound)
    for reason in unfound:   # as a missing file: said, the others still counted
        _echo_err(f"tracker: {reason}; left out of these statistics")
    # Without --config, each workbook's own settings, and the tables counted with the
    # first one's that could be read (not the folder's: a folder's name would find the
    # tracker.yaml beside the folder, not the one beside the workbooks in it).
    config = jobs.config_for(config_path, files[0]) if config_path else None
    left_out: list[str] = []
    text = jobs.stats_output(files, config, sheet, by=by, since=first, until=last, kind=kind, fmt=fmt,
                             now=_now(as_of), progress=_echo_err, warn=_echo_err, left_out=left_out, csv_sep=csv_sep)
    _echo_data(text, fmt)
    for reason in left_out:
        _echo_err(f"tracker: {reason}; left out of these statistics")
    # As each workbook would alone: 2 when one could not be read, or a PATH gave none.
    sys.exit(2 if left_out or unfound else 0)


@main.command()
@click.argument("paths", nargs=-1, required=True, callback=_not_empty)
@click.option("--as-of", help="Date-time to judge from (default: now).")
@_common
def refresh(paths, as_of, config_path, sheet):
    """Write statuses, due dates, next actions, summaries, colours and the Chase today,
    Reminders and Stats sheets (named in the log's language) into the workbook (a backup
    is kept).

    PATHS: one workbook, or many: files, folders (the workbooks in them; not those in
    their subfolders, which are named on stderr) or globs, each workbook once, as
    `tracker stats` takes them. With several, each is refreshed in turn with its own tracker.yaml
    (unless --config), with one line naming it, and one that cannot be read or written
    (open in Excel, damaged, or one Call Tracker fails on: its crash report is named) is
    named on stderr, left unchanged, while the others are still refreshed. Exit code 0,
    or 2 when a workbook could not be refreshed (over several: the worst).

    \b
    Examples:
      tracker refresh calls.xlsx
      tracker refresh team/
    """
    from . import jobs

    books = _Workbooks(paths, config_path, verb=("refreshed", "refresh"))
    now = _now(as_of)

    def work(path, say) -> int:
        for line in _refresh_one(path, books.config_of(path), sheet, now, say, brief=books.several, heard=books.heard):
            say(line)
        return 0

    books.run(work)
    if books.several:
        _echo_err(jobs.line(books.first, "refreshed_many", books.lang, done=books.read, total=len(books.files)))
    sys.exit(books.done("refreshed"))


def _refresh_one(path, config, sheet, now, say, *, brief: bool, heard: Callable | None = None) -> list[str]:
    """Refresh one workbook; what to say of it (`say` is told of another log-like sheet;
    `heard`, of the log read)."""
    from contextlib import nullcontext

    from . import jobs
    from .config import user_cache_dir
    from .writeback import FileStamp, error_in, preflight, saved_path, workbook_lock

    exists = Path(path).is_file()
    notes: list[str] = []
    # Our lock, from before the read to the write: a second run on the same workbook is
    # refused at once, not after a big log's seconds of work.
    with workbook_lock(saved_path(Path(path)), notes=notes) if exists else nullcontext():
        stamp = None
        if exists:
            # What the write would refuse, told before a big log's seconds of work (a
            # sheet of the user's under our sheets' names: once the log's language is
            # known, by jobs.refresh).
            try:
                preflight(path, ())
            except TrackerError as exc:
                # Said before the read, whose seconds it spares: in tracker.yaml's
                # `language` (the lines' language where the log's is not known).
                raise error_in(exc, config.language, config) from None
            stamp = FileStamp.of(Path(path))
        progress = _progress(path, stamp)
        if progress is not None:
            progress(jobs.READING)
        try:
            log = _read(path, config, sheet, say=say, keep=not brief, others=True, several=brief)
        except TrackerError as exc:   # as every refusal of a refresh says
            raise type(exc)(f"{exc}; the workbook was not changed") from None
        _forget_book()
        if heard is not None:
            heard(log)
        lines = jobs.refresh(Path(path), log, config, now, read_stamp=stamp, memo_dir=user_cache_dir(),
                             progress=progress, locked=exists, brief=brief)
    problems: list[str] = []
    jobs.report_problems(log, problems.append, config)
    return [*lines, *notes, *problems]


def _report_unread(log, config, unread: list, say: Callable[[str], None] = _echo_err) -> None:
    """What a listing of reminders says on stderr of the cells it could not read."""
    from . import jobs
    from .output import shell_arg

    jobs.report_problems(log, say, config)
    line = jobs.unread_phrases(unread, command=f"tracker check {shell_arg(log.path)}", lang=log.language,
                               config=config)
    if line:
        say(f"{log.path}: {line}")


@main.command()
@click.argument("paths", nargs=-1, required=True, callback=_not_empty)
@click.option("--as-of", help="Date-time to judge from (default: now).")
@click.option("--out", type=click.Path(file_okay=False), callback=_not_empty, help="Folder for the digests (.txt and .html per manager); default: print them.")
@_common
def digest(paths, as_of, out, config_path, sheet):
    """One daily message per manager (SM): overdue follow-ups, today's chases, tomorrow's reminders.

    PATHS: one workbook, or many: files, folders (the workbooks in them; not those in
    their subfolders, which are named on stderr) or globs, each workbook once, as
    `tracker stats` takes them. With several, each manager gets one message gathering
    their items from every log, each item naming its workbook ([anna.xlsx: Call log!12];
    two workbooks of one name with their folder: [a/calls.xlsx: ...]); the files --out
    writes are named by manager and day alone (digest_2026-11-23_Olga.txt). Each
    workbook is read with its own tracker.yaml (unless --config); the messages are worded
    with the first readable one's. One that cannot be read is named on stderr and left
    out while the others are still gathered. Exit code 0, or 2 when a workbook cannot be
    read.

    \b
    Examples:
      tracker digest calls.xlsx --out digests/
      tracker digest team/anna.xlsx team/tom.xlsx --out digests/
      tracker digest team/ --out digests/
    """
    from . import jobs

    several = jobs.is_batch(paths)
    # A team's messages wait for the end, as a listing's; one workbook's are said as before.
    books = _Workbooks(paths, config_path, later=several)
    now = _now(as_of)
    # The digests are the output; with --out, what was written is a message (stderr).
    tell = _echo_err if out else click.echo
    parts: list = []

    def work(path, say) -> int:
        config = books.config_of(path)
        log = _read(path, config, sheet, say=say, keep=not several)
        books.heard(log)
        unread: list = []
        if several:
            parts.append(jobs.digest_part(log, config, now, path, unread=unread))
        else:
            for line in jobs.digest(log, config, now, out=Path(out) if out else None, unread=unread):
                tell(line)
        _report_unread(log, config, unread, say)
        return 0

    books.run(work)
    if parts:
        for line in jobs.team_digest(parts, now, Path(out) if out else None, books.lang):
            tell(line)
    sys.exit(books.done())


@main.command()
@click.argument("path", callback=_not_empty)
@click.option("--row", type=int, required=True, help="Excel row of the interview (or interview notice) call.")
@click.option("--eml", type=click.Path(file_okay=False), callback=_not_empty, help="Write the notice as an e-mail draft into this folder.")
@_common
def notice(path, row, eml, config_path, sheet):
    """The interview notice e-mail for a candidate (all ten items, or a list of what is missing).

    A row of several candidates gives one notice to each: a notice is the candidate's own
    letter. With --eml, one draft each.

    \b
    Example:
      tracker notice calls.xlsx --row 14 --eml drafts/
    """
    from . import jobs

    config = jobs.config_for(config_path, path)
    log = _read(path, config, sheet)
    with _named(log):
        text, lines = jobs.notice(log, config, row, eml=Path(eml) if eml else None)
    if text:
        click.echo(text)
    for line in [*lines, *jobs.unreadable_in(log, [row])]:
        # Of one workbook, a line about a cell names its sheet alone, as the Excel buttons
        # say it (their messages are compared line by line); errors name the workbook.
        _echo_err(line)
    sys.exit(0 if text else 1)


@main.command()
@click.argument("folder", required=False, default="call-tracker-demo", type=click.Path(file_okay=False),
                callback=_not_empty)
@click.option("--as-of", help="Pretend it is this date-time (default: now).")
@click.option("--lang", type=LANGS, default="en", show_default=True, help="Language of the sample workbook's headers.")
def demo(folder, as_of, lang):
    """Write the bundled sample log into FOLDER and run Call Tracker on it.

    \b
    Example:
      tracker demo
      tracker demo /tmp/ct --as-of 2026-11-23T09:00
    """
    from . import jobs
    from .writeback import check_not_open

    # Before anything is listed, not at the refresh that ends the demo.
    check_not_open(Path(folder) / jobs.DEMO_FILE)
    blocks = jobs.demo(Path(folder), _now(as_of), lang)
    try:
        for block in blocks:
            click.echo(block)
    except BrokenPipeError:
        # The reader went away (`tracker demo | head`): the demo's workbook is still made
        # whole, refreshed, as the README says; only the telling stops.
        for _ in blocks:
            pass
        raise


if __name__ == "__main__":  # pragma: no cover
    run()
