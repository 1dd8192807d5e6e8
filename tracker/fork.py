"""A forked child process doing a share of a big computation on the other core.

Linux only: macOS forbids fork once its system frameworks are loaded (xlwings loads
them), and Windows has no fork; there, and in a process with threads, the caller does
all the work itself, with the same result.
"""
from __future__ import annotations

import gc
import os
import pickle
import signal
import sys
import tempfile
import threading
from typing import BinaryIO, Callable, Iterable, Iterator


def may_fork() -> bool:
    return (sys.platform.startswith("linux") and threading.active_count() == 1
            and len(os.sched_getaffinity(0)) > 1)


class Child:
    """A forked process working through `work()`, a generator of lists: each list is
    written, pickled, to a file in memory as soon as it is made, and read back here once
    the child has ended. (Sent through a pipe at the end, the 40 MB of 55 000 summaries
    took 0.4 s to pickle and cross after the child's last summary, this process waiting.)"""

    _DONE = "done"   # the child's last record: everything was written

    def __init__(self, work: Callable[[], Iterable[list]]):
        self.pid: int | None = None
        try:
            self.file = _memory_file()
        except OSError:
            return   # no child: its result is None, and the caller does the work
        parent = os.getpid()
        try:
            self.pid = os.fork()
        except OSError:   # out of memory or processes (EAGAIN, ENOMEM): likewise
            self.file.close()
            return
        if self.pid == 0:
            code = 1
            try:
                _die_with(parent)
                gc.disable()   # it lives for one computation: nothing to collect
                for part in work():
                    pickle.dump(part, self.file, pickle.HIGHEST_PROTOCOL)
                pickle.dump(self._DONE, self.file, pickle.HIGHEST_PROTOCOL)
                self.file.flush()
                code = 0
            finally:
                os._exit(code)   # no atexit handlers, no flushing of the parent's buffers

    def result(self) -> list | None:
        """Everything the child wrote, in order; None when it failed (the caller then
        does the work)."""
        parts = self.parts()
        if parts is None:
            return None
        out: list = []
        for part in parts:
            out += part
        return out

    def parts(self) -> Iterator[list] | None:
        """The lists the child wrote, one by one, once it has ended; None when it failed
        (or never started)."""
        if self.pid is None:
            return None
        try:
            _, status = os.waitpid(self.pid, 0)
        except BaseException:
            self.cancel()
            raise
        self.pid = None
        if status != 0:
            self.file.close()
            return None
        self.file.seek(0)
        return self._read()

    def _read(self) -> Iterator[list]:
        with self.file as f:
            while (part := pickle.load(f)) != self._DONE:
                yield part

    def cancel(self) -> None:
        """Stop the child and let it go (after an error here: its result is not wanted)."""
        if self.pid is None:
            return
        try:
            os.kill(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        os.waitpid(self.pid, 0)
        self.pid = None
        self.file.close()


def _die_with(parent: int) -> None:
    """Have the kernel kill this child when its parent dies: a refresh killed (kill -9, a
    closed terminal) left its child computing summaries for 20 s more, for no one.
    (prctl's PR_SET_PDEATHSIG; 3 ms to import ctypes, in the child.)"""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):   # no prctl: it ends with its work, as before
        return
    if os.getppid() != parent:   # the parent died before the kernel was told
        os._exit(1)


_PR_SET_PDEATHSIG = 1   # <linux/prctl.h>


def _memory_file() -> BinaryIO:
    """A file the child of a fork writes and this process reads: in memory on Linux."""
    try:
        return os.fdopen(os.memfd_create("call-tracker"), "w+b")
    except (AttributeError, OSError):
        return tempfile.TemporaryFile()
