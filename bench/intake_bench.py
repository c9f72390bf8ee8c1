"""Time the intake of a 10,000-line LEDES file, review included, through the real intake
service (issue 6: under 10 s on SQLite on a 2-core machine), on the embedded SQLite database
or on PostgreSQL.

    python bench/intake_bench.py [--lines 10000]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/legalops_bench python bench/intake_bench.py

A fresh temporary data directory each run; with DATABASE_URL the database is FLUSHED first
(use a scratch database). Two files of the same size:
- one invoice of N lines (bench/review_generate.py's realistic narratives, six timekeepers),
  sent after a first, smaller invoice of the same firm (so the history rules have work) and
  once the firm's rate card is in;
- N lines in invoices of 20-200 lines over 97 matters (bench/ledes_generate.py), where the
  per-invoice costs (matching, history, rate card, budgets) dominate.
Both with `--create-missing` (the firm, matters and timekeepers are created by the intake, as
an admin import of a new firm's files would). Reported: wall time of `invoice_intake`, the
CPU time of this process (on a busy machine the wall time says more about the neighbours),
number of SQL queries, invoices and flags stored.
"""

from __future__ import annotations

import argparse
import datetime
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from invoice_page_bench import ledes_file, setup  # noqa: E402


def intake(data: bytes, name: str) -> tuple[float, float, int, Any]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from legalops.invoices.intake import invoice_intake

    with CaptureQueriesContext(connection) as queries:
        started, cpu = time.perf_counter(), time.process_time()
        report = invoice_intake(
            actor=None,
            data=data,
            filename=name,
            source="cli",
            create_missing=True,
            received_on=datetime.date(2026, 11, 20),
        )
        took = time.perf_counter() - started
    cpu = time.process_time() - cpu
    assert report.accepted, (report.errors[:3], [o.reasons for o in report.outcomes][:3])
    return took, cpu, len(queries), report


def rate_card() -> None:
    """The firm's approved rates (one associate billing 25 above his), so the big invoice
    is reviewed as a known firm's would be: without them every fee line is flagged as an
    unapproved timekeeper, three flags a line to store instead of a realistic few."""
    from legalops.vendors.models import Rate, Timekeeper
    from review_generate import TIMEKEEPERS

    for keeper in Timekeeper.objects.filter(timekeeper_id__in=[t[0] for t in TIMEKEEPERS]):
        rate = next(t[3] for t in TIMEKEEPERS if t[0] == keeper.timekeeper_id)
        Rate.objects.create(
            firm=keeper.firm,
            timekeeper=keeper,
            classification=keeper.classification,
            rate=rate - 25 if keeper.timekeeper_id == "TK002" else rate,
            currency="USD",
            effective_from=datetime.date(2026, 1, 1),
            source="manual",
        )


def many_invoices(lines: int) -> bytes:
    from ledes_generate import generate

    return "".join(generate(lines)).encode("ascii")


def describe(label: str, took: float, cpu: float, queries: int, report: Any) -> None:
    from legalops.invoices.models import Flag, InvoiceLine

    received = report.received
    stored = InvoiceLine.objects.filter(invoice__in=received).count()
    flags = Flag.objects.filter(invoice__in=received).count()
    print(
        f"{label:<44} {took:6.2f} s (this process's CPU {cpu:6.2f} s)  {queries:6d} queries  "
        f"{len(received):4d} invoices  {stored:6d} lines  {flags:5d} flags"
    )


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=10_000)
    options = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as data_dir:
        setup(data_dir)
        from django.db import connection

        print(f"database: {connection.vendor}")
        # Warm-up: the shipped guidelines are stored on first use, the narrative lexicon built.
        describe("warm-up: first invoice of the firm (200 lines)", *intake(ledes_file(200), "w"))
        rate_card()
        big = ledes_file(options.lines).replace(b"BENCH-2000", b"BENCH-10K")
        describe(f"one invoice of {options.lines} lines", *intake(big, "one.txt"))
        describe(f"{options.lines} lines in 20-200 line invoices", *intake(
            many_invoices(options.lines), "many.txt"
        ))  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
