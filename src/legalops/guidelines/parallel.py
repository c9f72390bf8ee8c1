"""Review a big file's invoices on several cores.

Invoices are independent, so a file of many invoices is split into chunks of about equal line
counts and reviewed by forked worker processes, which inherit the records, guidelines and rate
card (nothing is pickled but chunk bounds and the rendered output). Results come back in file
order, so the output is the same bytes as a one-process run. Small files, single-core machines,
platforms without `fork` and processes that already run other threads review in-process: a
forked child inherits only the calling thread, so a lock another thread held at the fork (the
logging or import lock, a database driver's) would never be released and the worker would hang.
The `legalops review` command is single-threaded; the guard matters when the engine runs inside
a bigger program (a test run with a live server or a browser driver, the web server).
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Callable, Sequence

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
    them, each for its own chunk)."""
    if sizes is None:
        sizes = [len(invoice.lines) for invoice in invoices]
    workers = min(os.cpu_count() or 1, MAX_WORKERS, len(invoices))
    if workers < 2 or sum(sizes) < MIN_LINES or not _can_fork():
        return [render(invoice) for invoice in invoices] if meanwhile() else None
    _JOB[:] = [(invoices, render)]
    try:
        # Leaving the `with` block terminates the workers, finished or not.
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            pending = pool.map_async(_run_chunk, _chunks(sizes, workers * 4), chunksize=1)
            if not meanwhile():
                return None
            parts = pending.get()
    finally:
        _JOB.clear()
    return [item for part in parts for item in part]


def _can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1


def _run_chunk(bounds: tuple[int, int]) -> list[tuple[str, bool]]:
    invoices, render = _JOB[0]
    return [render(invoices[i]) for i in range(*bounds)]


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
