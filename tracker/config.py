"""Configuration: the shipped defaults (tracker/defaults/*.yaml) and the user's overrides.

The defaults hold every rule of the trade. A user's `tracker.yaml` overrides any part of
them: mappings merge key by key, anything else is replaced. Keys the defaults do not know
are refused (a typo would otherwise be ignored silently), except inside the open sections
below, where users add their own entries (call types, list values...): what such an entry
holds is checked in turn.
Every error names the file, the line and the dotted key.
"""
from __future__ import annotations

import hashlib
import json
import math
import os
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any, Callable, Iterable
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .errors import ConfigError
from .resources import defaults_dir

LANGUAGES = ("en", "ru", "zh", "ja")
CONFIG_NAME = "tracker.yaml"

# Sections whose mappings accept new keys from the user (dotted paths; * = any key): a
# call type, a value of a list, a column of their own (its words, its headers); not a
# list of their own, which no column would read nor `init` offer as a drop-down. A
# new key next to a shipped one (`clinet` beside `client`) is refused as the typo it most
# likely is (_near_miss); what a new entry may hold is checked in _check_values (ENTRY_KEYS).
OPEN_SECTIONS = (
    "columns",
    "headers",
    "headers.*",
    "lists.*",
    "lists.*.*",
    "call_types",
    "call_types.*",
    "call_types.*.*",
    # Below these sections, only the maps keyed by the user's own names (call types,
    # chase steps, summary items, messengers) take new keys; a misspelt setting is refused.
    "reminders.call_types",
    "reminders.event_minutes",
    "summaries.required",
    "summaries.messengers",
    "summaries.items",
    "followups.steps",
    "followups.steps.*",          # a step may set any step key (t1 has no `fallback`)
    "phrases.channel",            # a channel the user adds to lists.channel
    "phrases.numbers",
    "stats.stage_from_call_type",
)

# The keys an entry of these open sections may have, the user's own entries included
# (the engines read only these: anything else, `aslo`, would have no effect).
ENTRY_KEYS = {
    "call_types": ("labels", "also", "goal", "actions"),
    "lists": (*LANGUAGES, "also"),
    "summaries.items": ("labels", "keys", "columns"),
    "summaries.messengers": (*LANGUAGES, "also"),
    "followups.steps": ("day", "until", "channel", "fallback", "optional", "to", "action", "next"),
}

# Settings that moved, and where their rule is now: a tracker.yaml still setting one is
# told so, not refused as a key nobody knows. (The statistics read these from the
# follow-ups, so that the two count a chase and an interview alike.)
MOVED_KEYS = {
    "stats.silence_outcomes": "followups.silent_outcomes",
    "stats.notice_types": "followups.confirm.notice_types",
    "stats.interview_types": "followups.confirm.types",
    "stats.repeat_interview_types": "followups.confirm.types` (the interview types) and "
                                    "`stats.interview_needs_candidates",
    "stats.not_an_invitation": "followups.silent_outcomes",
    "stats.confirmed_outcomes": "followups.confirm.confirmed_outcomes",
}

# Lists of words under these sections extend the shipped lists instead of replacing them.
EXTENDING_LISTS = ("columns.", "phrases.", "summaries.items.", "summaries.messengers.", "summaries.repeat_interview_words",
                   "summaries.clarification_words", "summaries.name_honorifics", "summaries.round_candidate_words")


# ---------------------------------------------------------------- YAML with line numbers
# PyYAML is imported only when a YAML file is parsed: a run with no tracker.yaml and the
# shipped defaults in the cache (see _shipped_defaults) needs none of it.

@lru_cache(maxsize=1)
def _line_loader() -> type:
    import yaml

    class _LineLoader(yaml.SafeLoader):
        """Records the line of every mapping key, so errors can point at it."""

    _LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
    _LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)
    _LineLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)
    for tag in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float"):
        _LineLoader.add_constructor(tag, _not_sexagesimal(_LineLoader.yaml_constructors[tag]))
    return _LineLoader


def _not_sexagesimal(construct: Callable) -> Callable:
    """YAML 1.1 reads an unquoted 17:30 as the number 1050 (base 60), which a time read
    as text takes for 10:50: a value written with ":" stays the text it is."""
    def constructor(loader: Any, node: Any):
        return node.value if ":" in node.value else construct(loader, node)

    return constructor


def _construct_mapping(loader: Any, node: Any, deep: bool = False):
    mapping = {}
    lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        if not isinstance(key, (str, int, float, bool)) or key is None:
            raise ConfigError(f"{loader.name}:{line}: a key must be a word, not {_shown(key)}")
        if key in mapping:
            # YAML would keep the last one silently, and the user may be editing the first.
            raise ConfigError(f"{loader.name}:{line}: `{key}` is set twice here, on lines "
                              f"{lines[key]} and {line}: keep one")
        mapping[key] = _finite(loader, value_node, f"`{key}`: ")
        lines[key] = line
    return _Mapping(mapping, lines)


def _construct_sequence(loader: Any, node: Any, deep: bool = False):
    items = [_finite(loader, item) for item in node.value]
    return _Sequence(items, [item.start_mark.line + 1 for item in node.value])


def _construct_timestamp(loader: Any, node: Any) -> Any:
    try:
        return loader.construct_yaml_timestamp(node)
    except ValueError:
        # 2027-13-01 looks like a date to YAML, and datetime refuses it (an internal error):
        # kept as the text typed, the setting that reads it says what is wrong, with its key.
        return loader.construct_scalar(node)


def _finite(loader: Any, node: Any, key: str = "") -> Any:
    value = loader.construct_object(node, deep=True)
    # No setting means .inf or .nan, and the engines' int() of them raises.
    if isinstance(value, float) and not math.isfinite(value):
        raise ConfigError(f"{loader.name}:{node.start_mark.line + 1}: {key}{value} is not a number any setting takes")
    return value


class _Mapping(dict):
    """A dict that remembers the line of each key."""

    def __init__(self, data: dict, lines: dict):
        super().__init__(data)
        self.lines = lines


class _Sequence(list):
    """A list that remembers the line of each item (a bad reminder rule points at its own)."""

    def __init__(self, items: list, lines: list[int]):
        super().__init__(items)
        self.lines = lines



def _load_yaml(path: Path) -> dict:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the configuration file ({exc.strerror or exc})") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: the configuration file is not UTF-8 text") from None
    import yaml

    loader = _line_loader()(text)
    loader.name = str(path)
    try:
        data = loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f":{mark.line + 1}" if mark else ""
        raise ConfigError(f"{path}{where}: not valid YAML: {exc.problem}") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML: {exc}") from None
    finally:
        loader.dispose()
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(f"{path}:1: the configuration must be a mapping of keys to values")
    return data


# ---------------------------------------------------------------- merging and checking

def _is_open(dotted: str) -> bool:
    parts = dotted.split(".")
    for pattern in OPEN_SECTIONS:
        pp = pattern.split(".")
        if len(pp) == len(parts) and all(p == "*" or p == q for p, q in zip(pp, parts)):
            return True
    return False


def _near_miss(key: str, default: dict) -> bool:
    """Whether a new key is one typo from a shipped one of 5 letters or more (a letter
    missing, added, changed, or two swapped: `clinet`, `outcom`): a new entry of the
    user's differs by more, or by a digit or a separator (`interview_2`, `phone2`,
    `report_resent` are names of their own)."""
    return any(_one_typo(key, str(known)) for known in default if len(str(known)) >= 5)


def _one_typo(a: str, b: str) -> bool:
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]:
            return True                                         # two letters swapped
        return len(diff) == 1 and a[diff[0]].isalpha() and b[diff[0]].isalpha()   # one changed
    longer, shorter = (a, b) if len(a) > len(b) else (b, a)
    i = next((i for i in range(len(shorter)) if longer[i] != shorter[i]), len(shorter))
    return longer[i].isalpha() and longer[:i] + longer[i + 1:] == shorter   # one missing or added


def _known_keys(key: str, default: dict) -> str:
    import difflib   # only for a file with a typo: not on every start

    names = sorted(map(str, default))
    close = difflib.get_close_matches(key, names, n=1, cutoff=0.6)
    hint = f"did you mean `{close[0]}`? " if close else ""
    return f"{hint}known here: {', '.join(names[:12])}{', ...' if len(names) > 12 else ''}"


def _shown(value: Any) -> str:
    """A value of the user's file as they wrote it: 2027-01-01, not datetime.date(2027, 1, 1)."""
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (date, datetime, time)):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(map(_shown, value)) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_shown(v)}" for k, v in value.items()) + "}"
    return repr(value)


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, date):
        return "a date"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return "empty"


def _merge(default: Any, user: Any, path: Path, dotted: str, line: int) -> Any:
    """Overlay `user` on `default`, checking keys and kinds against the defaults."""
    if isinstance(default, dict):
        if not isinstance(user, dict):
            raise ConfigError(f"{path}:{line}: `{dotted}` must be a mapping, not {_kind(user)}")
        merged = dict(default)
        lines = getattr(user, "lines", {})
        for key, value in user.items():
            sub = f"{dotted}.{key}" if dotted else str(key)
            key_line = lines.get(key, line)
            if key in default:
                merged[key] = _merge(default[key], value, path, sub, key_line)
            elif _is_open(dotted) and not _near_miss(str(key), default) or not default and dotted:
                merged[key] = value
            elif sub in MOVED_KEYS:
                raise ConfigError(f"{path}:{key_line}: `{sub}` has moved: set `{MOVED_KEYS[sub]}` instead "
                                  "(one rule for the follow-ups and the statistics)")
            else:
                raise ConfigError(f"{path}:{key_line}: unknown key `{sub}` ({_known_keys(str(key), default)})")
        return merged
    if isinstance(default, list) and dotted.startswith(EXTENDING_LISTS):
        # Word lists extend the shipped ones: a user adds their own headers and phrases
        # (a key left empty adds none: the phrase reader cannot go without its words).
        if not isinstance(user, list):
            user = [] if user is None else [user]
        return list(default) + [u for u in user if u not in default]
    if default is None or user is None:
        return user
    if _kind(default) != _kind(user) and not (isinstance(default, str) and isinstance(user, (int, float))):
        raise ConfigError(
            f"{path}:{line}: `{dotted}` must be {_kind(default)}, not {_kind(user)} ({_shown(user)})"
        )
    return user


def _load_shipped(text: bytes) -> dict:
    """The shipped defaults need no line numbers: libyaml's loader reads them when present."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(text, Loader=loader) or {}


@lru_cache(maxsize=1)
def _shipped_defaults() -> str:
    # Parsing 70 KB of YAML takes 35 ms, on every command and every ribbon click; the
    # result is kept as JSON in the user's cache folder, under the files' own digest,
    # so an edited or upgraded defaults file is parsed again.
    files = [(f, f.read_bytes()) for f in sorted(defaults_dir().glob("*.yaml"))]
    digest = hashlib.sha256(b"".join(f.name.encode() + b"\0" + text + b"\0" for f, text in files))
    cached = user_cache_dir() / f"defaults-{digest.hexdigest()[:20]}.json"
    try:
        kept = cached.read_text(encoding="utf-8")
        if isinstance(json.loads(kept), dict):
            return kept
    except (OSError, ValueError):   # none yet, unreadable, or not what we wrote
        pass
    merged: dict = {}
    for file, text in files:
        for key, value in _load_shipped(text).items():
            if key in merged:
                raise ConfigError(f"{file}: key `{key}` is also set in another defaults file")
            merged[key] = value
    dumped = json.dumps(merged)
    forget_older(cached.parent, "defaults-*.json", keep=KEPT_VERSIONS - 1)
    _write_cache(cached, dumped)
    return dumped


# The caches of this many versions of Call Tracker are kept (the parsed defaults, the
# compiled templates): two installations side by side (the add-in's Python and a
# terminal's) do not undo each other's.
KEPT_VERSIONS = 4


def forget_older(folder: Path, pattern: str, keep: int) -> None:
    """Of what `pattern` names in the cache `folder` (other versions' files or folders),
    all but the `keep` most recently written. Best effort, as every cache."""
    import shutil

    try:
        found = sorted(folder.glob(pattern), key=lambda p: p.stat().st_mtime, reverse=True)
    except OSError:
        return
    for older in found[keep:]:
        try:
            if older.is_dir():
                shutil.rmtree(older)
            else:
                older.unlink()
        except OSError:
            pass


def _write_cache(path: Path, text: str) -> None:
    """Best effort: a folder that cannot be written only costs the parse next time."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f"{path.name}.{os.getpid()}.partial")
        partial.write_text(text, encoding="utf-8")
        os.replace(partial, path)   # never a half-written file under the final name
    except OSError:
        pass


def _defaults() -> dict:
    # Parsed once per process; each Config gets its own copy to merge into.
    return json.loads(_shipped_defaults())


def shipped(section: str) -> Any:
    """A top-level section of the shipped defaults, whatever a user's file sets: what an
    earlier version of their settings may have used (our sheets' names)."""
    import copy

    return copy.deepcopy(_shipped_parsed().get(section))


@lru_cache(maxsize=1)
def _shipped_parsed() -> dict:
    # Parsed once for shipped(): _defaults() parses 100 KB anew for each Config to merge into.
    return json.loads(_shipped_defaults())


# ---------------------------------------------------------------- the typed view

@dataclass(frozen=True)
class CallType:
    id: str
    labels: dict[str, str]
    also: tuple[str, ...]
    goal: dict[str, str]
    actions: dict[str, list[str]]

    def label(self, lang: str) -> str:
        return self.labels.get(lang) or self.labels.get("en") or self.id

    def goal_in(self, lang: str) -> str:
        return self.goal.get(lang) or self.goal.get("en", "")

    def actions_in(self, lang: str) -> list[str]:
        return list(self.actions.get(lang) or self.actions.get("en", []))


_NOT_IN_WORDS = re.compile(r"[\s\W_]+")


@lru_cache(maxsize=1 << 16)
def normalize_word(text: str) -> str:
    """For matching headers and list values: case, spaces, punctuation do not count."""
    text = str(text).casefold().replace("ё", "е")
    # A word of symbols only ("#", "№") is still a word: keep it rather than make it "".
    return _NOT_IN_WORDS.sub("", text) or text.strip()


# `timezone: local` (the default): this computer's own zone, the one Excel shows its times
# in, so the times typed in the log, NOW() and the calendar files agree with its clock.
LOCAL_ZONE = "local"


def _posix_zone_name() -> str | None:
    """The zone's name as TZ or the /etc/localtime link gives it, where they do (Linux,
    macOS): what tzlocal would find, without its import on every command (~20 ms)."""
    if os.name != "posix":
        return None
    tz = os.environ.get("TZ")
    if tz is not None:
        tz = tz.lstrip(":")
        return tz.split("/zoneinfo/", 1)[-1] if "/zoneinfo/" in tz else (tz if "/" in tz or tz == "UTC" else None)
    target = os.path.realpath("/etc/localtime")
    return target.split("/zoneinfo/", 1)[-1] if "/zoneinfo/" in target else None


def zone(name: str) -> ZoneInfo:
    """The time zone `name` (an IANA name), or this computer's for `local`."""
    return _local_zone() if name.strip().lower() == LOCAL_ZONE else ZoneInfo(name)


def computer_zone() -> ZoneInfo:
    """This computer's own time zone, what Excel's NOW() goes by, whatever `timezone`
    the configuration names for the workbook."""
    return _local_zone()


@lru_cache(maxsize=1)
def _local_zone() -> ZoneInfo:
    # tzlocal gives the IANA zone on Windows too, where the system names its zones
    # otherwise ("Russian Standard Time"); and its DST rules, which the offset of
    # datetime.now().astimezone() would not carry across a change of season. Its zone
    # read from /etc/localtime with no name (a container) has the rules but no IANA
    # key: the calendar files then give times in UTC (exports.write_ics).
    name = _posix_zone_name()
    if name:
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            pass   # tzlocal says why below
    try:
        import tzlocal
    except ImportError:
        raise ConfigError("`timezone: local` needs the tzlocal package (pip install tzlocal); "
                          "or set `timezone:` in tracker.yaml, e.g. Europe/Berlin") from None
    try:
        found = tzlocal.get_localzone()
        return found if isinstance(found, ZoneInfo) else ZoneInfo(tzlocal.get_localzone_name())
    except Exception as exc:  # noqa: BLE001 - tzlocal's own errors (a TZ such as "JST-9") and zoneinfo's
        # Never UTC in silence: every "today" and reminder would be hours off.
        why = " ".join(str(exc.args[0] if exc.args else exc).split())   # (a KeyError's str is its repr)
        raise ConfigError(f"`timezone: local`: this computer's time zone cannot be told ({why}); "
                          "set `timezone:` in tracker.yaml to a zone name, e.g. Asia/Tokyo") from None


# ---------------------------------------------------------------- working days and holidays

# A holiday is a date, or a range of them: first and last day joined by two dots. YAML
# reads `2027-01-01..2027-01-08` as text, quotes or not, where a dash between two dates
# would read as one wrong date or a subtraction to the eye.
_HOLIDAY_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
# A range longer than a year is a typo in a year (2027-01-01..2028-01-08), not a holiday.
MAX_HOLIDAY_DAYS = 366
HOLIDAY_EXAMPLE = "2027-01-01, or a range such as 2027-01-01..2027-01-08"


def holiday_span(item: Any) -> tuple[date, date]:
    """First and last day of one `holidays` entry; ValueError says what is wrong with it."""
    if isinstance(item, datetime):
        raise ValueError(f"is a date and time ({item}): a holiday is a whole day, such as {HOLIDAY_EXAMPLE}")
    if isinstance(item, date):
        return item, item
    if not isinstance(item, str):
        raise ValueError(f"must be a date such as {HOLIDAY_EXAMPLE}, not {_kind(item)} ({_shown(item)})")
    ends = [part.strip() for part in item.split("..")]
    try:
        if len(ends) > 2:
            raise ValueError
        first, last = (_holiday_date(part) for part in (ends[0], ends[-1]))
    except ValueError:
        raise ValueError(f"{item!r} is not a date such as {HOLIDAY_EXAMPLE} (year-month-day)") from None
    if last < first:
        raise ValueError(f"{item!r} ends before it starts")
    if (last - first).days >= MAX_HOLIDAY_DAYS:
        raise ValueError(f"{item!r} is longer than a year: is a year mistyped?")
    return first, last


def _holiday_date(text: str) -> date:
    found = _HOLIDAY_DATE.fullmatch(text)
    if not found:
        raise ValueError(text)
    return date(*map(int, found.groups()))   # (2027-02-30 raises ValueError too)


@dataclass(frozen=True)
class WorkingCalendar:
    """The days work is done on: the working weekdays, less the holidays. Every count in
    working days goes through `shift` (the chase, the call the day before, the digest's
    next working day, the statistics), so none of them can forget the holidays."""

    weekdays: frozenset[int]                  # ISO weekdays, Monday = 1
    holidays: frozenset[date] = frozenset()

    @classmethod
    def from_settings(cls, data: dict) -> "WorkingCalendar":
        """From `working_days` and `holidays` (checked at load: see _check_holidays)."""
        days: set[date] = set()
        for item in data.get("holidays") or ():
            first, last = holiday_span(item)
            days.update(first + timedelta(days=n) for n in range((last - first).days + 1))
        return cls(frozenset(int(d) for d in data["working_days"]), frozenset(days))

    def works(self, day: date) -> bool:
        return day.isoweekday() in self.weekdays and day not in self.holidays

    def shift(self, day: date, days: int) -> date:
        """`day` moved by `days` working days. A due never lands on a day off: 0 days from a
        Saturday is the Monday, 1 day before a Monday is the Friday. Past either end of the
        calendar, its last day."""
        try:
            if not self.weekdays:   # (a hand-made configuration: no day would ever be found)
                return day + timedelta(days=days)
            if days == 0:
                while not self.works(day):
                    day += timedelta(days=1)
                return day
            one = timedelta(days=1 if days > 0 else -1)
            left = abs(days)
            while left:
                day += one
                if self.works(day):
                    left -= 1
            return day
        except OverflowError:
            # A date typed as 31.12.9999 is a date: its follow-up must not crash the run.
            return date.min if days < 0 else date.max


@dataclass(frozen=True)
class Config:
    data: dict
    path: Path | None = None          # the user's file, when there is one
    sources: tuple[str, ...] = field(default_factory=tuple)
    # The top-level settings the user's file (or the overrides) sets: one chosen is not
    # said again as an assumption (the date order a log's dates leave open).
    chosen: frozenset[str] = frozenset()

    # -- plain settings
    @property
    def language(self) -> str:
        return self.data["language"]

    @property
    def date_order(self) -> str:
        return self.data["date_order"]

    @cached_property
    def tz(self) -> ZoneInfo:
        return zone(self.data["timezone"])

    def instant(self, moment: datetime) -> datetime:
        """`moment` as the real instant it names, in UTC: a naive one is workbook-local,
        its `fold` telling which of autumn's repeated hours. (Datetimes of one zone compare
        as clock readings, fold ignored; in UTC they compare as instants.)"""
        return (moment if moment.tzinfo else moment.replace(tzinfo=self.tz)).astimezone(timezone.utc)

    def local(self, moment: datetime) -> datetime:
        """`moment` as a naive datetime in the workbook's time zone (the engine's clock).

        Naive datetimes are already workbook-local; aware ones are converted.
        """
        if moment.tzinfo is None:
            return moment
        return moment.astimezone(self.tz).replace(tzinfo=None)

    @property
    def working_days(self) -> frozenset[int]:
        """ISO weekdays (Monday = 1); counts of working days go by `working_calendar`."""
        return frozenset(int(d) for d in self.data["working_days"])

    @cached_property
    def working_calendar(self) -> WorkingCalendar:
        """The working days less the holidays: what every count in working days goes by."""
        return WorkingCalendar.from_settings(self.data)

    @property
    def working_hours(self) -> tuple[time, time]:
        wh = self.data["working_hours"]
        return time.fromisoformat(str(wh["start"])), time.fromisoformat(str(wh["end"]))

    @property
    def templates_dir(self) -> Path | None:
        value = self.data.get("templates_dir") or ""
        if not value:
            return None
        p = Path(os.path.expanduser(value))
        if not p.is_absolute() and self.path is not None:
            p = self.path.parent / p
        return p

    def section(self, name: str) -> Any:
        return self.data[name]

    # -- call types and lists
    @cached_property
    def call_types(self) -> dict[str, CallType]:
        out = {}
        for cid, spec in self.data["call_types"].items():
            spec = spec or {}
            out[cid] = CallType(
                id=cid,
                labels=dict(spec.get("labels") or {}),
                also=tuple(spec.get("also") or ()),
                goal=dict(spec.get("goal") or {}),
                actions={k: list(v) for k, v in (spec.get("actions") or {}).items()},
            )
        return out

    @cached_property
    def _call_type_words(self) -> dict[str, str]:
        words: dict[str, str] = {}
        for ct in self.call_types.values():
            for w in [ct.id, *ct.labels.values(), *ct.also]:
                words.setdefault(normalize_word(w), ct.id)
        return words

    def match_call_type(self, text: str) -> str | None:
        """Canonical call-type id for what a person typed, in any of the languages."""
        key = normalize_word(text)
        if not key:
            return None
        if key in self._call_type_words:
            return self._call_type_words[key]
        # "Interview (собеседование)", "Первый звонок (вступительный)": try the part before
        # the bracket, then the part inside it.
        m = re.match(r"^\s*([^(（]+?)\s*[(（]([^)）]*)[)）]\s*$", str(text))
        if m:
            for part in m.groups():
                k = normalize_word(part)
                if k in self._call_type_words:
                    return self._call_type_words[k]
        return None

    @cached_property
    def _list_words(self) -> dict[str, dict[str, str]]:
        out: dict[str, dict[str, str]] = {}
        for list_name, values in self.data["lists"].items():
            words: dict[str, str] = {}
            for vid, spec in (values or {}).items():
                spec = spec or {}
                labels = [v for k, v in spec.items() if k in LANGUAGES]
                for w in [vid, *labels, *(spec.get("also") or [])]:
                    words.setdefault(normalize_word(w), vid)
            out[list_name] = words
        return out

    def match_list(self, list_name: str, text: str) -> str | None:
        """Canonical id of a drop-down value (outcome, channel, source, stage, language)."""
        return self._list_words.get(list_name, {}).get(normalize_word(text))

    def list_label(self, list_name: str, value_id: str, lang: str) -> str:
        spec = self.data["lists"].get(list_name, {}).get(value_id) or {}
        return spec.get(lang) or spec.get("en") or value_id

    def list_ids(self, list_name: str) -> list[str]:
        return list(self.data["lists"].get(list_name, {}))

    def call_type_label(self, cid: str | None, lang: str) -> str:
        if cid and cid in self.call_types:
            return self.call_types[cid].label(lang)
        return cid or ""

    def header(self, field_name: str, lang: str) -> str:
        spec = self.data["headers"].get(field_name) or {}
        return spec.get(lang) or spec.get("en") or field_name

    def beside(self, field_name: str, lang: str) -> str:
        """The header of our column for `field_name` put beside the user's own column of
        that name ("Status (Call Tracker)")."""
        return str(self.data.get("beside") or "{header} (Call Tracker)").format(header=self.header(field_name, lang))

    @cached_property
    def beside_words(self) -> dict[str, str]:
        """normalised header of our column beside the user's (`beside`), any language -> field."""
        return {normalize_word(self.beside(f, lang)): f for f in self.data["headers"] for lang in LANGUAGES}

    @cached_property
    def extra_words(self) -> frozenset[str]:
        """normalised headers of a user's own column that an engine reads: a summary item
        (summaries.items), a notice item (notice_keys), a person to remind (reminders.roles)."""
        words: set[str] = set()
        for item, spec in (self.section("summaries").get("items") or {}).items():
            spec = spec or {}
            words.update([item, *(spec.get("labels") or {}).values(), *(spec.get("keys") or [])])
        for section in (self.section("notice_keys"), self.section("reminders").get("roles") or {}):
            for item, spec in section.items():
                spec = spec or {}
                words.update([item, *(v for k, v in spec.items() if k != "also"), *(spec.get("also") or [])])
        return frozenset(filter(None, map(normalize_word, map(str, words))))

    @cached_property
    def column_words(self) -> dict[str, str]:
        """normalised header word -> canonical field."""
        words: dict[str, str] = {}
        for fname, synonyms in self.data["columns"].items():
            for w in [fname, *(synonyms or [])]:
                words.setdefault(normalize_word(w), fname)
        for fname, labels in self.data["headers"].items():
            for w in (labels or {}).values():
                words.setdefault(normalize_word(w), fname)
        return words


# ---------------------------------------------------------------- finding and loading

def user_cache_dir() -> Path:
    if os.name == "nt":
        base = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
        return Path(base) / "CallTracker" / "cache"
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "call-tracker"


def user_config_dir() -> Path:
    if os.name == "nt":
        base = os.environ.get("APPDATA") or str(Path.home() / "AppData" / "Roaming")
        return Path(base) / "CallTracker"
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "call-tracker"


def find_config(explicit: str | os.PathLike | None, workbook: str | os.PathLike | None) -> Path | None:
    """--config, else tracker.yaml next to the workbook, else the user's config folder."""
    if explicit:
        p = Path(explicit)
        if not p.is_file():
            raise ConfigError(f"{p}: configuration file not found")
        return p
    if workbook:
        p = Path(workbook).resolve().parent / CONFIG_NAME
        if p.is_file():
            return p
    p = user_config_dir() / CONFIG_NAME
    return p if p.is_file() else None


def load_config(
    explicit: str | os.PathLike | None = None,
    workbook: str | os.PathLike | None = None,
    *,
    overrides: dict | None = None,
) -> Config:
    """The defaults overlaid with the user's file (found as `find_config` says)."""
    data = _defaults()
    path = find_config(explicit, workbook)
    sources = ["defaults"]
    user: dict = {}
    if path is not None:
        user = _load_yaml(path)
        data = _merge(data, user, path, "", 1)
        sources.append(str(path))
    if overrides:
        data = _merge(data, overrides, Path("<overrides>"), "", 1)
    _validate(data, path or Path("<defaults>"), getattr(user, "lines", {}))
    _check_holidays(data, path or Path("<defaults>"), user)
    _check_engine_settings(data, path or Path("<defaults>"), user)
    _check_values(data, path or Path("<defaults>"), user)
    config = Config(data=data, path=path, sources=tuple(sources),
                    chosen=frozenset(map(str, user)) | frozenset(map(str, overrides or {})))
    folder = config.templates_dir
    if folder is not None and not folder.is_dir():
        # Else a misspelt folder silently left every template the shipped one.
        line = getattr(user, "lines", {}).get("templates_dir")
        where = f"{path}:{line}" if line else str(path or "<overrides>")
        raise ConfigError(f"{where}: `templates_dir` {folder} is not a folder "
                          "(give a folder of templates, absolute or relative to this file)")
    return config


def _line_of(user: dict, dotted: str) -> int | None:
    """Line of the deepest key of `dotted` ("a.b[2].c") the user wrote (their file's lines)."""
    line = None
    node: Any = user
    for part in re.findall(r"\[\d+\]|[^.\[\]]+", dotted):
        if part.startswith("["):
            index = int(part[1:-1])
            if not isinstance(node, list) or index >= len(node):
                break
            line = node.lines[index] if isinstance(node, _Sequence) else line
            node = node[index]
            continue
        if not isinstance(node, dict):
            break
        # (A key YAML reads as a number, `4:`, is written as text in `dotted`.)
        part = next((key for key in node if str(key) == part), None)
        if part is None:
            break
        line = getattr(node, "lines", {}).get(part, line)
        node = node[part]
    return line


def _user_wrote(user: dict, dotted: str) -> bool:
    """Whether the user's file sets `dotted` ("a.b[2].c") itself, not only a key above it."""
    node: Any = user
    for part in re.findall(r"\[\d+\]|[^.\[\]]+", dotted):
        if part.startswith("["):
            if not isinstance(node, list) or int(part[1:-1]) >= len(node):
                return False
            node = node[int(part[1:-1])]
        elif isinstance(node, dict) and part in node:
            node = node[part]
        else:
            return False
    return True


def _check_holidays(data: dict, file: Path, user: dict) -> None:
    """Each `holidays` entry a date or a range, its own line named (before the engines
    build their calendar from them)."""
    for i, item in enumerate(data.get("holidays") or ()):
        try:
            holiday_span(item)
        except ValueError as exc:
            line = _line_of(user, f"holidays[{i}]")
            raise ConfigError(f"{f'{file}:{line}' if line else file}: `holidays[{i}]` {exc}") from None


def _check_engine_settings(data: dict, file: Path, user: dict) -> None:
    """Settings whose meaning only an engine module knows (it checks, we place the line)."""
    from .followups import SettingError, check_settings

    try:
        check_settings(data)
    except SettingError as exc:
        line = _line_of(user, exc.key)
        where = f"{file}:{line}" if line else str(file)
        raise ConfigError(f"{where}: {exc}") from None


def _validate(data: dict, file: Path, lines: dict) -> None:
    """Values the defaults' kinds cannot check. `path` is "file:line" of the key when known."""

    class _Where:
        def __format__(self, key: str) -> str:
            return f"{file}:{lines[key]}" if key in lines else str(file)

    where = _Where()
    path = f"{where:language}"
    if data.get("language") not in LANGUAGES:
        raise ConfigError(f"{path}: `language` must be one of {', '.join(LANGUAGES)}, not {_shown(data.get('language'))}")
    path = f"{where:date_order}"
    if data.get("date_order") not in ("dmy", "mdy"):
        raise ConfigError(f"{path}: `date_order` must be dmy or mdy, not {_shown(data.get('date_order'))}")
    path = f"{where:timezone}"
    try:
        zone(str(data.get("timezone")))
    except ConfigError as exc:   # the computer's own zone, asked for and not found
        raise ConfigError(f"{path}: {exc}") from None
    except (ZoneInfoNotFoundError, ValueError):
        said = "is empty" if data.get("timezone") is None else f"{_shown(data.get('timezone'))} is not a known time zone"
        raise ConfigError(f"{path}: `timezone` {said} (e.g. {LOCAL_ZONE}, Europe/Moscow, Asia/Shanghai)") from None
    path = f"{where:working_days}"
    days = data.get("working_days") or []
    if not days or not all(isinstance(d, int) and 1 <= d <= 7 for d in days):
        raise ConfigError(f"{path}: `working_days` must list weekdays 1 (Monday) to 7 (Sunday), not {_shown(days)}")
    path = f"{where:working_hours}"
    for key in ("start", "end"):
        try:
            time.fromisoformat(str(data["working_hours"][key]))
        except (KeyError, ValueError):
            raise ConfigError(f"{path}: `working_hours.{key}` must be a time such as \"09:00\"") from None
    start, end = (str(data["working_hours"][key]) for key in ("start", "end"))
    if time.fromisoformat(start) >= time.fromisoformat(end):
        # Else no time of day is inside them, and every day-before call is refused for it.
        raise ConfigError(f"{path}: `working_hours` must start before they end (within one day), "
                          f"not {start}-{end}")
    from .output import CSV_SEPARATORS

    path = f"{where:csv_separator}"
    if data.get("csv_separator") not in CSV_SEPARATORS:
        raise ConfigError(f"{path}: `csv_separator` must be \",\" or \";\" (in quotes) or tab, "
                          f"not {_shown(data.get('csv_separator'))}")


# Longest offsets and lengths: a year is more than any chase or reminder needs, and a
# bigger number overflows the engines' date arithmetic (or loops day by day for ages).
MAX_DAYS = 365
MAX_REMINDER_MINUTES = 7 * 24 * 60
MAX_EVENT_MINUTES = 24 * 60

# Texts the engines fill in with str.format, with sample values of the fields they pass
# (stats.py: the tables' titles; jobs.py: a column written beside the user's; summaries.py).
_FORMATS = {
    "stats.labels.title_interviews": {"by": "week"},
    "stats.labels.title_calls": {"by": "week"},
    "stats.labels.title_response": {"by": "week"},
    "beside": {"header": "Status"},
    "summaries.date_format": {"y": 2026, "m": 11, "d": 5},
    "summaries.time_format": {"H": 9, "M": 30},
}

# Lists of call-type ids: a typo or a label here silently changes which rows count.
_CALL_TYPE_LISTS = ("stats.interview_needs_candidates",
                    "followups.chase_types", "followups.client_types",
                    "followups.report.types", "followups.confirm.types",
                    "followups.confirm.notice_types", "followups.reason.types")


# Lists of outcome ids (lists.outcome; "" is an outcome left blank): likewise.
_OUTCOME_LISTS = (
    "followups.silent_outcomes", "followups.no_reply_outcomes", "followups.closed_outcomes",
    "followups.scheduled_outcomes", "followups.keep_appointment_outcomes", "followups.report.outcomes",
    "followups.confirm.open_outcomes", "followups.confirm.confirmed_outcomes", "followups.confirm.moved_outcomes",
    "followups.confirm.withdrawn_outcomes",
    "followups.reason.outcomes",
    "reminders.active_outcomes", "summaries.not_held_outcomes", "summaries.called_off_outcomes",
    "stats.calls_not_held", "stats.interviews_not_held", "stats.notice_not_sent",
    "stats.interview_held_outcomes", "stats.no_show_outcomes", "stats.round_end_outcomes",
    "stats.reply_outcomes", "stats.ghosted_outcomes",
    "stats.chase_end_outcomes", "stats.response_outcomes")

# What a chase step's channel may name besides a lists.channel id (followups.yaml).
_STEP_CHANNELS = ("message", "record")


def _is_word(value: Any) -> bool:
    return isinstance(value, (str, int, float)) and not isinstance(value, bool)


def _get(data: dict, dotted: str) -> Any:
    for part in dotted.split("."):
        data = data.get(part) if isinstance(data, dict) else None
    return data


def _check_values(data: dict, file: Path, user: dict) -> None:
    """What the defaults' kinds cannot check: the user's own entries in the open sections,
    numbers that become dates, ids that must name a call type, texts filled in by format.
    Each would otherwise surface later as an internal error, or as quietly wrong results."""

    def where(dotted: str) -> str:
        line = _line_of(user, dotted)
        return f"{file}:{line}" if line else str(file)

    def fail(dotted: str, message: str) -> None:
        raise ConfigError(f"{where(dotted)}: `{dotted}` {message}")

    def words(value: Any, dotted: str, example: str, text_only: bool = False) -> None:
        # `text_only`: for an engine that reads each word as text (a number there is not one).
        if value is None:
            return
        if not isinstance(value, list):
            fail(dotted, f"must be a list of words such as {example}, not {_kind(value)}")
        for item in value:
            if not _is_word(item) or text_only and not isinstance(item, str):
                quote = (" (put yes, no, on, off in quotes)" if isinstance(item, bool)
                         else " (put it in quotes)" if _is_word(item) else "")
                fail(dotted, f"must be a list of words such as {example}; {_shown(item)} is not a word{quote}")

    def known_only(spec: dict, dotted: str, allowed: tuple) -> None:
        # As _merge says of a misspelt key, for the entries it lets in (OPEN_SECTIONS).
        for key in spec:
            if key not in allowed:
                sub = f"{dotted}.{key}"
                raise ConfigError(f"{where(sub)}: unknown key `{sub}` ({_known_keys(str(key), dict.fromkeys(allowed))})")

    def texts(value: Any, dotted: str) -> None:
        if value is None:
            return
        if not isinstance(value, dict):
            fail(dotted, f"must map languages to text, such as {{en: ..., ru: ...}}, not {_kind(value)}")
        known_only(value, dotted, LANGUAGES)   # `de:` would never be shown
        for lang, text in value.items():
            if not isinstance(text, str):
                fail(f"{dotted}.{lang}", f"must be text, not {_kind(text)} (put it in quotes)")

    def whole(value: Any, dotted: str, low: int, high: int, unit: str, hint: str = "") -> None:
        # The range first: int() of .inf or .nan (YAML has both) would raise.
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not low <= value <= high \
                or int(value) != value:
            fail(dotted, f"must be a whole number of {unit} from {low} to {high}{hint}, not {_shown(value)}")

    for cid, spec in data["call_types"].items():
        if spec is None:
            continue
        if not isinstance(spec, dict):
            fail(f"call_types.{cid}", "must be a mapping such as {labels: {en: Tech screen}, "
                                      f"also: [tech interview]}}, not {_kind(spec)}")
        known_only(spec, f"call_types.{cid}", ENTRY_KEYS["call_types"])
        texts(spec.get("labels"), f"call_types.{cid}.labels")
        words(spec.get("also"), f"call_types.{cid}.also", "[tech interview]")
        texts(spec.get("goal"), f"call_types.{cid}.goal")
        actions = spec.get("actions")
        if actions is not None and not isinstance(actions, dict):
            fail(f"call_types.{cid}.actions", f"must map languages to lists of actions, not {_kind(actions)}")
        known_only(actions or {}, f"call_types.{cid}.actions", LANGUAGES)
        for lang, steps in (actions or {}).items():
            words(steps, f"call_types.{cid}.actions.{lang}", "[Send the CV]")

    for name, values in data["lists"].items():
        if values is not None and not isinstance(values, dict):
            fail(f"lists.{name}", f"must map value ids to their words, such as {{maybe: {{en: Maybe}}}}, not {_kind(values)}")
        for vid, spec in (values or {}).items():
            dotted = f"lists.{name}.{vid}"
            if spec is not None and not isinstance(spec, dict):
                fail(dotted, f"must be a mapping such as {{en: Maybe, also: [perhaps]}}, not {_kind(spec)}")
            known_only(spec or {}, dotted, ENTRY_KEYS["lists"])
            words((spec or {}).get("also"), f"{dotted}.also", "[perhaps]")
            texts({k: v for k, v in (spec or {}).items() if k in LANGUAGES}, dotted)

    for section, example in (("summaries.items", "{labels: {en: Budget}, keys: [budget]}"),
                             ("summaries.messengers", "{en: Zalo, also: [zalo app]}"),
                             ("followups.steps", "{day: 2, channel: phone, action: {en: Call}}")):
        for eid, spec in (_get(data, section) or {}).items():
            dotted = f"{section}.{eid}"
            if spec is not None and not isinstance(spec, dict):
                fail(dotted, f"must be a mapping such as {example}, not {_kind(spec)}")
            known_only(spec or {}, dotted, ENTRY_KEYS[section])
    for item, spec in data["summaries"]["items"].items():
        texts((spec or {}).get("labels"), f"summaries.items.{item}.labels")
        words((spec or {}).get("keys"), f"summaries.items.{item}.keys", "[budget]")
        words((spec or {}).get("columns"), f"summaries.items.{item}.columns", "[client]")
    for mid, spec in data["summaries"]["messengers"].items():
        words((spec or {}).get("also"), f"summaries.messengers.{mid}.also", "[zalo app]")
        texts({k: v for k, v in (spec or {}).items() if k in LANGUAGES}, f"summaries.messengers.{mid}")
    for key, spec in data["followups"]["steps"].items():
        for name in ("action", "next"):
            if isinstance(spec.get(name), dict):   # (a text alone is the step's in every language)
                known_only(spec[name], f"followups.steps.{key}.{name}", LANGUAGES)
        if not isinstance(spec.get("optional", False), bool):
            # The engine's bool() of "no" in quotes would be true.
            fail(f"followups.steps.{key}.optional", f"must be true/false, not {_kind(spec['optional'])} "
                                                     f"({_shown(spec['optional'])})")

    for fname, synonyms in data["columns"].items():
        words(synonyms, f"columns.{fname}", "[Customer org]")
    # The reminder-phrase reader (phrases.py) folds every word as text, and reads a
    # number's words as the number their key gives ("4"; "30m" is half an hour).
    for name, value in data["phrases"].items():
        for key, listed in (value.items() if isinstance(value, dict) else [("", value)]):
            words(listed, f"phrases.{name}.{key}" if key != "" else f"phrases.{name}", "[customer, клиент]",
                  text_only=True)
    for number in data["phrases"]["numbers"]:
        if not isinstance(number, str) or not re.fullmatch(r"\d+(?:[.,]\d+)?|30m", number):
            fail(f"phrases.numbers.{number}", f'must be a number in quotes, such as "4" (or "30m": half an hour), '
                                              f"not {_shown(number)}")
    for fname, labels in data["headers"].items():
        texts(labels, f"headers.{fname}")
    for key, labels in data["stats"]["labels"].items():
        texts(labels, f"stats.labels.{key}")

    _check_reminders(data["reminders"], fail, where, whole)

    # Only the confirmation call counts back from its interview; the other steps count
    # from a day that has come (the silence, the report, the cancellation).
    fu = data["followups"]
    confirm_step = str((fu.get("confirm") or {}).get("step") or "confirm_eve")
    for key, spec in (fu.get("steps") or {}).items():
        confirm = str(key) == confirm_step
        low = -MAX_DAYS if confirm else 0
        hint = " (from the interview: -1 is the day before)" if confirm else " (after the rule's day 0)"
        for name in ("day", "until"):
            if spec.get(name) not in (None, ""):
                whole(spec[name], f"followups.steps.{key}.{name}", low, MAX_DAYS, "days", hint)
    whole(fu.get("min_gap_days", 1), "followups.min_gap_days", 0, MAX_DAYS, "days")

    known = Config(data=data)
    for dotted in _CALL_TYPE_LISTS:
        for i, cid in enumerate(_get(data, dotted) or []):
            if str(cid) not in known.call_types:
                meant = known.match_call_type(str(cid))
                hint = (f"it is a word for `{meant}`: write the id" if meant
                        else _known_keys(str(cid), known.call_types))
                fail(f"{dotted}[{i}]", f"must hold call type ids; {_shown(cid)} is none ({hint})")

    _check_ids(data, known, fail)
    _check_call_hours(data, known, user, fail)

    # A word the user adds for a field that is already another field's: a column headed
    # so is read as that one, and the word would do nothing. (Not for the columns we write:
    # refresh leaves such a word out on purpose when it looks for ours, jobs._header_words,
    # so "Result" for our Status never takes the user's Result column.)
    written = set(data.get("written") or [])
    for fname, added in (user.get("columns") or {}).items():
        if fname in written:
            continue
        for i, word in enumerate(added if isinstance(added, list) else [added]):
            other = known.column_words.get(normalize_word(str(word)))
            if other not in (None, fname):
                key = f"columns.{fname}[{i}]" if isinstance(added, list) else f"columns.{fname}"
                fail(key, f"{_shown(word)} is taken: it is a header word for `{other}`, and a column headed so "
                          f"is read as {other}; choose a word no other field has")

    # A header the user gives a column Call Tracker writes (refresh, or init for any field)
    # that is a word for another field: the next read would take our column for that one
    # (our statuses for their outcomes). (A word of theirs that meets one of our shipped
    # headers is no mistake in the file: refresh writes ours beside their column.)
    for fname in data["headers"]:
        for lang, label in ((data["headers"].get(fname) or {}).items()):
            other = known.column_words.get(normalize_word(str(label)))
            if other not in (None, fname) and _line_of(user, f"headers.{fname}.{lang}"):
                fail(f"headers.{fname}.{lang}", f"{_shown(label)} is a header word for `{other}`: Call Tracker would "
                                                f"read the column it writes as your {other}; choose another header")

    for dotted, fields in _FORMATS.items():
        value = _get(data, dotted)
        for lang, text in (value.items() if isinstance(value, dict) else [(None, value)]):
            key = f"{dotted}.{lang}" if lang else dotted
            try:
                str(text or "").format(**fields)
            except (KeyError, IndexError, ValueError, AttributeError, TypeError) as exc:
                problem = f"unknown placeholder {{{exc.args[0]}}}" if isinstance(exc, KeyError) else str(exc)
                known_fields = ", ".join(f"{{{f}}}" for f in fields)
                fail(key, f"cannot be filled in: {problem} (placeholders known here: {known_fields}; "
                          f"write {{{{ and }}}} for a brace)")


def _check_ids(data: dict, known: "Config", fail) -> None:
    """Ids the engines look up by name: an outcome, a channel, a call type or a summary item
    misspelt (or written as its label) would switch a rule off, or name a channel nobody
    has, without a word."""
    def check(value: Any, dotted: str, ids: Iterable[str], what: str, list_name: str | None = None,
              word_of=None) -> None:
        # `word_of`: the id a label or other word names (default: a list's value, else a call type).
        if str(value) in ids:
            return
        if word_of is None:
            word_of = (lambda text: known.match_list(list_name, text)) if list_name else known.match_call_type
        meant = word_of(str(value))
        hint = (f"it is a word for `{meant}`: write the id" if meant
                else _known_keys(str(value), dict.fromkeys(i for i in ids if i)))
        fail(dotted, f"must be {what}; {_shown(value)} is none ({hint})")

    outcomes = set(map(str, data["lists"].get("outcome") or {})) | {""}
    for dotted in _OUTCOME_LISTS:
        value = _get(data, dotted)
        for i, oid in enumerate(value if isinstance(value, list) else []):
            # An empty item (`-` or `~` in YAML) is a blank outcome, as the engines read it.
            check("" if oid is None else oid, f"{dotted}[{i}]", outcomes,
                  'an outcome id of lists.outcome (or "" for a blank)', "outcome")

    # Our sheets' names (columns.yaml sheet_names): Excel's rules for a sheet name, and
    # one name for each sheet in a language, or refresh would find them only at the write.
    names_by_lang: dict[str, list[str]] = {}
    for kind, names in (data.get("sheet_names") or {}).items():
        for lang, name in (names or {}).items():
            text = str(name)
            if not text.strip() or len(text) > 31 or re.search(r"[\\/?*\[\]:]", text) or text[:1] == "'" or text[-1:] == "'":
                fail(f"sheet_names.{kind}.{lang}", f"{_shown(text)} cannot be a sheet name "
                     "(1-31 characters, none of \\ / ? * [ ] :, no apostrophe at either end)")
            names_by_lang.setdefault(str(lang), []).append(text.casefold())
    for lang, names in names_by_lang.items():
        if len(set(names)) < len(names):
            fail(f"sheet_names (language {lang})", "two of our sheets would have one name")
    channels = set(map(str, data["lists"].get("channel") or {}))
    reminders = data["reminders"]
    for role, channel in (reminders.get("channels") or {}).items():
        check(channel, f"reminders.channels.{role}", channels | {"message"},
              "a channel id of lists.channel (or message)", "channel")
    for ctype, rules in (reminders.get("call_types") or {}).items():
        check(ctype, f"reminders.call_types.{ctype}", known.call_types, "a call type id")
        for i, spec in enumerate(rules or []):
            if isinstance(spec, dict) and spec.get("channel") not in (None, ""):
                check(spec["channel"], f"reminders.call_types.{ctype}[{i}].channel", channels,
                      "a channel id of lists.channel", "channel")
    for ctype in reminders.get("event_minutes") or {}:
        check(ctype, f"reminders.event_minutes.{ctype}", {*known.call_types, "default"}, "a call type id (or default)")
    for i, channel in enumerate(reminders.get("per_person_channels") or []):
        check(channel, f"reminders.per_person_channels[{i}]", channels, "a channel id of lists.channel", "channel")
    notice_items = set(map(str, data.get("notice_keys") or {}))
    for i, item in enumerate(reminders.get("notice_required") or []):
        check(item, f"reminders.notice_required[{i}]", notice_items, "an item of notice_keys",
              word_of=lambda text: None)

    # Field names (columns.yaml): init would write a column headed by the misspelt name.
    fields = set(map(str, data["columns"]))

    def field_word(text: str) -> str | None:
        return known.column_words.get(normalize_word(text))

    for i, name in enumerate(data.get("layout") or []):
        check(name, f"layout[{i}]", fields, "a field of columns", word_of=field_word)
    for name in data["headers"]:
        check(name, f"headers.{name}", fields, "a field of columns", word_of=field_word)
    stages = set(map(str, data["lists"].get("stage") or {}))
    for ctype, stage in (data["stats"].get("stage_from_call_type") or {}).items():
        check(ctype, f"stats.stage_from_call_type.{ctype}", known.call_types, "a call type id")
        if stage != "":
            check(stage, f"stats.stage_from_call_type.{ctype}", stages, 'a stage id of lists.stage (or "" for none)',
                  "stage")
    closing = data["stats"].get("closing_stages")
    for i, stage in enumerate(closing if isinstance(closing, list) else []):
        check(stage, f"stats.closing_stages[{i}]", stages, "a stage id of lists.stage", "stage")
    fu = data["followups"]
    for key, spec in (fu.get("steps") or {}).items():
        for name in ("channel", "fallback"):
            value = (spec or {}).get(name)
            if value not in (None, ""):
                allowed = channels | set(_STEP_CHANNELS) if name == "channel" else channels
                check(value, f"followups.steps.{key}.{name}", allowed,
                      "a channel id of lists.channel" + (" (or message, record)" if name == "channel" else ""),
                      "channel")
    for lang, channel in (fu.get("message_channel") or {}).items():
        check(channel, f"followups.message_channel.{lang}", channels, "a channel id of lists.channel", "channel")
    for channel in data["phrases"]["channel"]:
        check(channel, f"phrases.channel.{channel}", channels, "a channel id of lists.channel", "channel")
    for status, colour in (fu.get("highlight") or {}).items():
        if not re.fullmatch(r"#?([0-9A-Fa-f]{2})?[0-9A-Fa-f]{6}", str(colour)):
            fail(f"followups.highlight.{status}",
                 f"must be a colour as RRGGBB (or AARRGGBB) hex, such as FFC7CE, not {_shown(colour)}")

    summaries = data["summaries"]
    items = set(map(str, summaries.get("items") or {}))
    forms = set(known.call_types) | {"repeat_interview"}   # a repeat call held as an interview
    for form, required in (summaries.get("required") or {}).items():
        check(form, f"summaries.required.{form}", forms, "a call type id (or repeat_interview)")
        for i, item in enumerate(required if isinstance(required, list) else [required] if required else []):
            check(item, f"summaries.required.{form}[{i}]", items, "a summary item of summaries.items")
    for item, spec in (summaries.get("items") or {}).items():
        # (The list extends the shipped one: its key's line, not an index of the user's list.)
        for name in (spec or {}).get("columns") or []:
            check(name, f"summaries.items.{item}.columns", fields, "a field of columns", word_of=field_word)
    for lang, labels in (summaries.get("label_language") or {}).items():
        check(labels, f"summaries.label_language.{lang}", LANGUAGES, f"a language ({', '.join(LANGUAGES)})",
              "language")


def _check_call_hours(data: dict, known: "Config", user: dict, fail) -> None:
    """working_hours (general.yaml): a reminder that is a phone call is set inside them.
    Only the clock times set here can be checked: a day-before reminder's (`at`, else
    reminders.day_before_time); one minutes before a call follows the call's own time."""
    from .reminders import default_channel, parse_time, rule_from_spec

    start, end = known.working_hours
    hours = f"{start:%H:%M}-{end:%H:%M}"

    def inside(at: time, dotted: str, what: str) -> None:
        if start <= at < end:
            return
        if not _user_wrote(user, dotted):
            # A shipped time that the user's working_hours leave out: theirs is the line to show.
            fail("working_hours", f"{hours} leave out `{dotted}` {at:%H:%M} of the defaults ({what}): "
                                  f"set it inside them in tracker.yaml too")
        fail(dotted, f"{at:%H:%M} is outside working_hours {hours} ({what}): set a time from "
                     f"{start:%H:%M} to before {end:%H:%M}, or change working_hours")

    reminders = data["reminders"]
    # Every rule without `at` uses it, a row's own "call the candidate the day before" too.
    inside(parse_time(reminders.get("day_before_time", "10:00"), "reminders.day_before_time"),
           "reminders.day_before_time", "when a day-before reminder with no `at` comes, calls among them")
    for ctype, rules in (reminders.get("call_types") or {}).items():
        for i, spec in enumerate(rules or []):
            key = f"reminders.call_types.{ctype}[{i}]"
            rule = rule_from_spec(spec, key)
            if rule.at_time is None:
                continue
            # The channel of a rule naming none is its role's, and `message` the messenger
            # of the row's language: a phone call in any of them counts.
            channels = ({rule.channel} if rule.channel
                        else {default_channel(rule.whom, known, lang) for lang in LANGUAGES})
            if "phone" in channels:
                inside(rule.at_time, f"{key}.{'at' if 'at' in spec else 'at_time'}", "a reminder by phone call")


def _check_reminders(section: dict, fail, where, whole) -> None:
    """The engine's own rule reader checks each rule; we add its file:line, the roles and the ranges."""
    from .reminders import ROLES, parse_time, rule_from_spec

    def engine(check, key: str) -> Any:
        try:
            return check()
        except ConfigError as exc:
            # The engine's message starts with the key it refuses: place that key.
            named = re.match(r"`([^`]+)`", str(exc))
            raise ConfigError(f"{where(named.group(1) if named else key)}: {exc}") from None

    for ctype, rules in (section.get("call_types") or {}).items():
        dotted = f"reminders.call_types.{ctype}"
        if rules is not None and not isinstance(rules, list):
            fail(dotted, "must be a list of rules such as [{whom: client, minutes_before: 15}], "
                         f"not {_kind(rules)}")
        for i, spec in enumerate(rules or []):
            key = f"{dotted}[{i}]"
            rule = engine(lambda: rule_from_spec(spec, key), key)
            if rule.whom not in ROLES:
                fail(f"{key}.whom", f"must be one of {', '.join(ROLES)}, not {_shown(rule.whom)}")
            if rule.minutes_before is not None:
                whole(rule.minutes_before, f"{key}.minutes_before", 0, MAX_REMINDER_MINUTES,
                      "minutes", " (for longer, use days_before)")
            whole(rule.days_before, f"{key}.days_before", 0, MAX_DAYS, "days")
    engine(lambda: parse_time(section.get("day_before_time", "10:00"), "reminders.day_before_time"),
           "reminders.day_before_time")
    if section.get("day_before", "working") not in ("working", "calendar"):
        fail("reminders.day_before", f"must be working or calendar, not {_shown(section.get('day_before'))}")
    for ctype, minutes in (section.get("event_minutes") or {}).items():
        if minutes is not None:
            whole(minutes, f"reminders.event_minutes.{ctype}", 1, MAX_EVENT_MINUTES, "minutes")
