"""Python's cyclic garbage collector, paused while a big log is worked on.

Reading, judging and writing 100 000 rows make hundreds of thousands of lists, tuples,
dicts and records. Each batch of new objects sets the collector off, and each of its
full passes walks everything still alive: the whole log. Those passes tripled the time
of some steps. Nothing built there forms a cycle, so there is nothing for it to find.
"""
from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Iterator


@contextmanager
def collector_paused() -> Iterator[None]:
    """The collector off for the `with` block, then back as it was (nesting is fine)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
