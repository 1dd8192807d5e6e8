"""The summaries of unchanged rows kept from one refresh to the next (tracker/memo.py):
a refresh with the memo writes exactly the package a refresh without it writes, and
summarises again only the rows whose inputs changed."""
from __future__ import annotations

import errno
import re
import shutil
import zipfile
from datetime import datetime
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from openpyxl.utils import get_column_letter
from python_calamine import CalamineWorkbook

import tracker.summaries as summaries_module
from tracker import jobs, memo as memo_module
from tracker.config import load_config
from tracker.log import parse_grid

from conftest import DEMO_NOW
from workbooks import big_log, rich_log, zip_parts


pytestmark = pytest.mark.usefixtures("no_user_config")


@pytest.fixture
def summarised(monkeypatch) -> list[int]:
    """The Excel rows summarised, as each refresh computes them."""
    rows: list[int] = []
    real = summaries_module._summarize

    def counted(record, setup, lang):
        rows.append(record.row)
        return real(record, setup, lang)

    monkeypatch.setattr(summaries_module, "_summarize", counted)
    return rows


def refresh(path: Path, memo_dir: Path | None) -> None:
    config = jobs.config_for(None, path)
    log = jobs.read(path, config)
    jobs.refresh(path, log, config, DEMO_NOW, memo_dir=memo_dir)


def pair(sample_log: Path, tmp_path: Path) -> tuple[Path, Path]:
    """Two copies of the sample log, refreshed once: one with a memo, one without."""
    with_memo, without = tmp_path / "memo" / "calls.xlsx", tmp_path / "plain" / "calls.xlsx"
    for p in (with_memo, without):
        p.parent.mkdir()
        shutil.copy(sample_log, p)
    refresh(with_memo, tmp_path / "cache")
    refresh(without, None)
    assert zip_parts(with_memo) == zip_parts(without)
    return with_memo, without


def edit(path: Path, header: str, row: int, value) -> None:
    """Cell (`header`, `row`) of the log set to `value`, in the sheet's XML, every other
    byte of the package kept (openpyxl would drop the marks of our own sheets)."""
    col = next(i for i, h in enumerate(calamine_header(path)) if h == header)
    ref = f"{get_column_letter(col + 1)}{row}"

    def change(xml: str) -> str:
        cell = re.search(rf'<c r="{ref}"(?: s="(\d+)")?[^>]*?(?:/>|>.*?</c>)', xml, re.S)
        style = f' s="{cell.group(1)}"' if cell.group(1) else ""
        if isinstance(value, datetime):
            new = f'<c r="{ref}"{style}><v>{(value - datetime(1899, 12, 30)).days}</v></c>'
        else:
            new = f'<c r="{ref}"{style} t="inlineStr"><is><t>{escape(value)}</t></is></c>'
        return xml[:cell.start()] + new + xml[cell.end():]

    rewrite_log_sheet(path, change)


def rewrite_log_sheet(path: Path, change) -> None:
    """The log sheet's XML passed through `change`; every other entry as it was."""
    part = "xl/worksheets/sheet1.xml"
    with zipfile.ZipFile(path) as z:
        entries = [(info, z.read(info)) for info in z.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for info, data in entries:
            z.writestr(info, change(data.decode()).encode() if info.filename == part else data)


def calamine_header(path: Path) -> list:
    book = CalamineWorkbook.from_path(str(path))
    return book.get_sheet_by_name("Call log").to_python(nrows=1)[0]


def test_the_next_refresh_summarises_nothing_and_writes_the_same(sample_log, tmp_path, summarised):
    with_memo, without = pair(sample_log, tmp_path)
    first = len(summarised)
    assert first > 100   # both first refreshes summarised every call
    summarised.clear()
    refresh(with_memo, tmp_path / "cache")
    assert summarised == []
    refresh(without, None)
    assert len(summarised) == first // 2
    assert zip_parts(with_memo) == zip_parts(without)


def test_the_refresh_after_the_first_one_adds_our_columns_already_reuses(tmp_path, summarised):
    """The first refresh adds Status, Due, Next action and Summary; the one after finds
    them new in the sheet and still takes every summary from the memo."""
    path = rich_log(tmp_path / "calls.xlsx", n=12)
    refresh(path, tmp_path / "cache")
    assert len(summarised) == 12
    summarised.clear()
    refresh(path, tmp_path / "cache")
    assert summarised == []


def test_the_summaries_a_child_process_makes_are_remembered_as_well(tmp_path, summarised, monkeypatch):
    """On a big log a forked child makes most summaries and works out their checksums:
    the next refresh takes every one of them from the memo."""
    children = []
    real_child = summaries_module._Child

    class Counted(real_child):
        def __init__(self, work):
            children.append(self)
            super().__init__(work)

    monkeypatch.setattr(summaries_module, "_Child", Counted)
    n = summaries_module._FORK_FROM + 500
    with_memo = big_log(tmp_path / "memo.xlsx", n, ncols=6)
    without = Path(shutil.copy(with_memo, tmp_path / "plain.xlsx"))
    refresh(with_memo, tmp_path / "cache")
    if not children:
        pytest.skip("no fork here (not Linux, one core, or threads running): the child's part is not exercised")
    summarised.clear()
    refresh(with_memo, tmp_path / "cache")
    assert summarised == []
    refresh(without, None)
    refresh(without, None)
    assert zip_parts(with_memo) == zip_parts(without)


@pytest.mark.parametrize("header, value, again", [
    ("Comment on the call", "Company Name: Nova\nSM: Olga\nThey want two candidates by Friday.", [3]),
    ("Client", "Nova Systems", [3]),
    ("Date", datetime(2026, 10, 1), [3]),
    ("Date", "2026-10-01", [3]),
    ("Date", "2026-09-28", []),       # the same day typed as text: read the same, nothing to do
    ("Call type", "Interview", [3]),
    ("Candidates", "Ivan Petrov (E1)", [3]),
    ("Language", "English", [3]),
])
def test_a_row_edited_anywhere_is_summarised_again_and_only_it(sample_log, tmp_path, summarised, header, value,
                                                              again):
    with_memo, without = pair(sample_log, tmp_path)
    for p in (with_memo, without):
        edit(p, header, 3, value)
    summarised.clear()
    refresh(with_memo, tmp_path / "cache")
    assert summarised == again
    refresh(without, None)
    assert zip_parts(with_memo) == zip_parts(without)


def swap_rows(path: Path, a: int, b: int) -> None:
    """Rows `a` and `b` of the log swapped, every cell with them (as sorting does)."""
    def change(xml: str) -> str:
        ra, rb = (re.search(rf'<row r="{n}"[^>]*>(.*?)</row>', xml, re.S) for n in (a, b))
        moved = {a: re.sub(rf'(<c r="[A-Z]+){b}"', rf'\g<1>{a}"', rb.group(1)),
                 b: re.sub(rf'(<c r="[A-Z]+){a}"', rf'\g<1>{b}"', ra.group(1))}
        first, second = sorted((ra, rb), key=lambda m: m.start())
        return "".join([xml[:first.start(1)], moved[a if first is ra else b], xml[first.end(1):second.start(1)],
                        moved[b if second is rb else a], xml[second.end(1):]])

    rewrite_log_sheet(path, change)


def test_rows_sorted_keep_their_summaries(sample_log, tmp_path, summarised):
    with_memo, without = pair(sample_log, tmp_path)
    for p in (with_memo, without):
        swap_rows(p, 3, 40)
    summarised.clear()
    refresh(with_memo, tmp_path / "cache")
    assert summarised == []
    refresh(without, None)
    assert zip_parts(with_memo) == zip_parts(without)


def test_a_summary_edited_by_hand_is_written_again(sample_log, tmp_path, summarised):
    with_memo, without = pair(sample_log, tmp_path)
    for p in (with_memo, without):
        edit(p, "Summary", 5, "my own words")
    summarised.clear()
    refresh(with_memo, tmp_path / "cache")
    assert summarised == [5]
    refresh(without, None)
    assert zip_parts(with_memo) == zip_parts(without)


def test_another_configuration_summarises_every_row_again(sample_log, tmp_path, summarised):
    with_memo, without = pair(sample_log, tmp_path)
    first = len(summarised) // 2
    for p in (with_memo, without):
        (p.parent / "tracker.yaml").write_text('summaries:\n  missing_mark: {en: "(ask)"}\n', encoding="utf-8")
    summarised.clear()
    refresh(with_memo, tmp_path / "cache")
    assert len(summarised) == first
    refresh(without, None)
    assert zip_parts(with_memo) == zip_parts(without)


def test_a_damaged_memo_or_a_cache_folder_that_cannot_be_written_changes_nothing(sample_log, tmp_path, summarised):
    with_memo, without = pair(sample_log, tmp_path)
    first = len(summarised) // 2
    [kept] = (tmp_path / "cache").glob("summaries-*.bin")
    kept.write_bytes(kept.read_bytes()[:-5])
    summarised.clear()
    refresh(with_memo, tmp_path / "cache")
    assert len(summarised) == first
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the folder would go")
    refresh(with_memo, blocked)
    refresh(without, None)
    assert zip_parts(with_memo) == zip_parts(without)


def test_a_memo_whose_write_fails_leaves_nothing_behind(sample_log, tmp_path, summarised, monkeypatch):
    """A disk that fills up while the memo is written: the refresh goes through, and
    neither a half memo nor its temporary file stays in the cache folder."""
    with_memo, without = pair(sample_log, tmp_path)
    cache = tmp_path / "cache"
    [kept] = cache.glob("summaries-*.bin")
    kept.unlink()
    real = Path.write_bytes

    def disk_full(self, data):
        real(self, data[:len(data) // 2])
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(Path, "write_bytes", disk_full)
    refresh(with_memo, cache)
    monkeypatch.undo()
    assert list(cache.iterdir()) == []
    refresh(without, None)
    assert zip_parts(with_memo) == zip_parts(without)


def test_our_columns_stay_in_the_fingerprint_when_a_summary_can_read_them(tmp_path):
    config = load_config()
    assert memo_module._left_out(config) == {"status", "due", "next_action", "summary", "row", "id"}
    (tmp_path / "tracker.yaml").write_text("summaries:\n  items:\n    next_step:\n      columns: [next_action]\n",
                                           encoding="utf-8")
    assert memo_module._left_out(load_config(tmp_path / "tracker.yaml")) == {"summary"}
    (tmp_path / "by_id.yaml").write_text("summaries:\n  items:\n    next_step:\n      columns: [id]\n",
                                         encoding="utf-8")
    assert memo_module._left_out(load_config(tmp_path / "by_id.yaml")) == {"summary"}
    mine = tmp_path / "templates" / "summaries"
    mine.mkdir(parents=True)
    (mine / "first_call.txt.j2").write_text("{{ record.fields.status }}\n", encoding="utf-8")
    (tmp_path / "own.yaml").write_text(f"templates_dir: {tmp_path / 'templates'}\n", encoding="utf-8")
    assert memo_module._left_out(load_config(tmp_path / "own.yaml")) == {"summary"}
    (mine / "first_call.txt.j2").write_text("{{ v.company_name }}\n", encoding="utf-8")
    assert memo_module._left_out(load_config(tmp_path / "own.yaml")) == memo_module._left_out(config)


def test_a_fingerprint_tells_every_cell_and_its_type_apart():
    config = load_config()
    header = ["Date", "Call type", "Contact", "Comment on the call", "My own column", "Summary"]
    # (Summaries of ours: a user's own Summary column feeds the summaries, log.users_summary.)
    row = [datetime(2026, 11, 20), "Interview", "Ann", "Went well", 5.0, "Summary: old text"]
    variants = [
        row,
        [datetime(2026, 11, 20).date(), *row[1:]],              # a date, not a date-time
        [row[0], "First call", *row[2:]],
        [*row[:2], "Anna", *row[3:]],
        [*row[:3], "Went well.", *row[4:]],
        [*row[:4], "5", row[5]],                                # the user's own column, as text
        [*row[:4], 6.0, row[5]],
    ]
    log = parse_grid([header, *variants, row], "Calls", config)
    prints = log.fingerprints(frozenset({"summary"}))
    assert len(set(prints[:-1])) == len(variants)               # each cell counts, with its type
    assert prints[-1] != prints[0]                              # and so does the row
    same = parse_grid([header, [*row[:5], "Summary: new text"], row], "Calls", config).fingerprints(frozenset({"summary"}))
    assert same[0] == prints[0]                                 # Summary left out
    moved = parse_grid([header, [*row[:5], "Summary: new text"], row], "Calls", config).fingerprints(
        memo_module._left_out(config))
    assert moved[0] == moved[1]                                 # and the row, where no summary reads it


@pytest.mark.parametrize("which", ["again", "first"])
@pytest.mark.parametrize("child", ["works", "fails"])
def test_on_a_big_log_two_sheets_are_made_by_a_child(sample_log, tmp_path, monkeypatch, child, which):
    """On a big log the Reminders and Stats sheets are made by a forked child: in a
    refresh after the first one, which takes its summaries from the memo, and in a first
    refresh, beside the child making summaries. The workbook comes out byte for byte as
    without the child, also when the child fails (this process then makes them)."""
    import os

    import tracker.fork as fork
    import tracker.summaries as summaries_module

    if which == "again":
        with_child, without = pair(sample_log, tmp_path)
    else:
        with_child, without = tmp_path / "first" / "calls.xlsx", tmp_path / "plain" / "calls.xlsx"
        for p in (with_child, without):
            p.parent.mkdir()
            shutil.copy(sample_log, p)
        monkeypatch.setattr(summaries_module, "_FORK_FROM", 2)   # the summaries' child too
    made = []

    class Counted(fork.Child):
        def __init__(self, work):
            made.append(self)
            super().__init__(work)

    monkeypatch.setattr(fork, "Child", Counted)
    monkeypatch.setattr(summaries_module, "_Child", Counted)
    monkeypatch.setattr(jobs, "_SHEETS_AWAY_FROM", 1)
    if child == "fails":
        parent, real = os.getpid(), jobs.stats_sheet

        def stats_sheet(*args, **kwargs):
            if os.getpid() != parent:
                raise RuntimeError("the child breaks")
            return real(*args, **kwargs)

        monkeypatch.setattr(jobs, "stats_sheet", stats_sheet)
    refresh(with_child, tmp_path / "cache")
    if not made:
        pytest.skip("no fork here (not Linux, one core, or threads running): the child's part is not exercised")
    assert len(made) == (1 if which == "again" else 2)   # the sheets' child; and the summaries'
    monkeypatch.setattr(jobs, "_SHEETS_AWAY_FROM", 10**9)
    monkeypatch.setattr(summaries_module, "_FORK_FROM", 10**9)
    made.clear()
    refresh(without, None)
    assert made == []
    assert zip_parts(with_child) == zip_parts(without)
