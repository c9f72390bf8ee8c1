"""Review a big file's invoices on several cores.

Invoices are independent, so a file of many invoices is split into chunks of about equal line
counts and reviewed by forked worker processes, which inherit the records, guidelines and rate
card (nothing is pickled but the rendered output). Results come back in file order, so the
output is the same bytes as a one-process run. Small files, single-core machines, platforms
without `fork` and processes that already run other threads review in-process: a forked child
inherits only the calling thread, so a lock another thread held at the fork (the logging or
import lock, a database driver's) would never be released and the worker would hang. The
`legalops review` command is single-threaded; the guard matters when the engine runs inside a
bigger program (a test run with a live server or a browser driver, the web server).

The workers are plain forks, not a `multiprocessing.Pool`: a pool's queues are guarded by
locks shared between the processes (an idle worker holds the task queue's while it waits),
and stopping one while the parent drops an invalid file's review could leave such a lock
taken and the parent waiting on it for ever (it happened, rarely, on a loaded machine). Here
the chunks to do are numbered tickets in a pipe, which each worker reads one at a time (the
kernel hands each ticket to one reader; nothing is held between reads), and each worker
writes its results to its own file, read once it has exited. Dropping the review is killing
the workers.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import struct
import sys
import tempfile
import threading
import traceback
from collections.abc import Callable, Sequence
from typing import NoReturn

from legalops.guidelines.records import Invoice

MIN_LINES = 20_000  # below this, starting workers costs more than it saves
MAX_WORKERS = 8

Render = Callable[[Invoice], tuple[str, bool]]  # invoice -> (output text, failed --fail-on)
_JOB: list[tuple[Sequence[Invoice], Render]] = []  # set in the parent, read by forked workers


def _go_on() -> bool:
    return True


def review_all(
    invoices: Sequence[Invoice],
    render: Render,
    meanwhile: Callable[[], bool] = _go_on,
    sizes: Sequence[int] | None = None,
) -> list[tuple[str, bool]] | None:
    """Each invoice rendered, in order. `meanwhile` runs in this process while the workers
    review (the CLI validates the file there, so validation and review overlap); when it
    returns False nothing is rendered (or the workers' results are dropped) and the answer
    is None. In-process, `meanwhile` runs first. `sizes`: the invoices' line counts, when
    `invoices` builds its records on access (fastread.PlannedInvoices: the workers build
    them, each for its own chunk). A worker's exception is raised here, after `meanwhile`."""
    if sizes is None:
        sizes = [len(invoice.lines) for invoice in invoices]
    workers = min(os.cpu_count() or 1, MAX_WORKERS, len(invoices))
    if workers < 2 or sum(sizes) < MIN_LINES or not _can_fork():
        return [render(invoice) for invoice in invoices] if meanwhile() else None
    _JOB[:] = [(invoices, render)]
    try:
        with _Workers(_chunks(sizes, workers * 4), workers) as team:
            if not meanwhile():
                return None
            return team.results()
    finally:
        _JOB.clear()


def _can_fork() -> bool:
    return hasattr(os, "fork") and threading.active_count() == 1


def _run_chunk(bounds: tuple[int, int]) -> list[tuple[str, bool]]:
    invoices, _render = _JOB[0]
    return [_render(invoices[i]) for i in range(*bounds)]


_TICKET = struct.Struct("<I")


class _Workers:
    """`count` forked processes reviewing `chunks` (see the module's docstring)."""

    def __init__(self, chunks: list[tuple[int, int]], count: int) -> None:
        self.chunks = chunks
        self.count = count
        self.folder = tempfile.TemporaryDirectory(prefix="legalops-review-")
        self.children: dict[int, str] = {}  # pid -> its results file, until reaped

    def __enter__(self) -> _Workers:
        tickets, feed = os.pipe()
        try:
            os.write(feed, b"".join(_TICKET.pack(i) for i in range(len(self.chunks))))
        finally:
            os.close(feed)  # at the last ticket, a read returns b"": no more work
        sys.stdout.flush()  # a child must not inherit and later repeat buffered output
        sys.stderr.flush()
        try:
            for n in range(self.count):
                path = os.path.join(self.folder.name, str(n))
                pid = os.fork()
                if pid == 0:  # pragma: no cover - the child; its output is checked instead
                    _work(tickets, self.chunks, path)
                self.children[pid] = path
        except BaseException:
            self.__exit__(None, None, None)
            raise
        finally:
            os.close(tickets)
        return self

    def results(self) -> list[tuple[str, bool]]:
        parts: dict[int, list[tuple[str, bool]]] = {}
        for pid in list(self.children):
            path = self.children.pop(pid)
            _, status = os.waitpid(pid, 0)
            try:
                with open(path, "rb") as done:
                    error, rendered = pickle.load(done)
            except (OSError, EOFError, pickle.UnpicklingError):
                raise RuntimeError(
                    f"a review worker stopped without its results (wait status {status})"
                ) from None
            if error is not None:
                raise error
            parts.update(rendered)
        return [item for index in range(len(self.chunks)) for item in parts[index]]

    def __exit__(self, *exc: object) -> None:
        for pid in self.children:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        self.children.clear()
        self.folder.cleanup()


def _work(tickets: int, chunks: list[tuple[int, int]], path: str) -> NoReturn:
    """A worker: take tickets until none is left, then write what it rendered (or the
    exception that stopped it) to `path` and leave without running the parent's clean-up."""
    code = 0
    done: dict[int, list[tuple[str, bool]]] = {}
    error: BaseException | None = None
    try:
        while ticket := os.read(tickets, _TICKET.size):
            (index,) = _TICKET.unpack(ticket)
            done[index] = _run_chunk(chunks[index])
    except BaseException as exc:  # handed to the parent, which raises it
        error, done = exc, {}
    try:
        with open(path, "wb") as out:
            try:
                pickle.dump((error, done), out, pickle.HIGHEST_PROTOCOL)
            except Exception:  # an exception that cannot be pickled: its text instead
                out.seek(0)
                out.truncate()
                text = "".join(traceback.format_exception(error)) if error else "no results"
                pickle.dump((RuntimeError(text), {}), out, pickle.HIGHEST_PROTOCOL)
    except BaseException:  # nothing left to tell the parent with: it reports the exit
        code = 1
    finally:
        os._exit(code)


def _chunks(sizes: Sequence[int], count: int) -> list[tuple[int, int]]:
    """Contiguous index ranges with about the same number of lines each."""
    target = max(1, sum(sizes) // count)
    bounds, start, size = [], 0, 0
    for index, lines in enumerate(sizes):
        size += lines
        if size >= target:
            bounds.append((start, index + 1))
            start, size = index + 1, 0
    if start < len(sizes):
        bounds.append((start, len(sizes)))
    return bounds
