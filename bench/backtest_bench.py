"""Time a guidelines backtest (issue 6 item 10) over a year of one firm's invoices, on the
embedded SQLite database or on PostgreSQL.

    python bench/backtest_bench.py [--lines 10000]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/legalops_bench python bench/backtest_bench.py

A fresh temporary data directory each run; with DATABASE_URL the database is FLUSHED first (use
a scratch database). bench/review_generate.py's realistic invoices (50-150 lines each, 40
matters, one firm, monthly periods) arrive through the intake service, reviewed with the
shipped guidelines before the firm's rate card is entered; the backtest then replays the
shipped guidelines with block billing cut harder, as a draft, over all of them: the same work
a worker does for a backtest started in the UI. Prints the intake time, the replay time,
invoices and lines per second, and the savings.
"""

from __future__ import annotations

import argparse
import datetime
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from invoice_page_bench import setup  # noqa: E402


def receive(lines: int) -> int:
    from legalops.guidelines.adapter import ledes_from_invoice
    from legalops.invoices.intake import invoice_intake
    from legalops.ledes import write
    from review_generate import invoices

    data = write([ledes_from_invoice(inv) for inv in invoices(lines)], "1998B").encode()
    started = time.perf_counter()
    report = invoice_intake(
        actor=None,
        data=data,
        filename="year.txt",
        source="cli",
        create_missing=True,
        received_on=datetime.date(2027, 2, 1),
    )
    took = time.perf_counter() - started
    print(f"intake of {lines} lines in {len(report.received)} invoices: {took:.1f}s")
    rate_card(report.received[0].firm)
    return len(report.received)


def rate_card(firm: object) -> None:
    """The firm's rates, entered after intake (so the invoices' actual review rejected every
    line of a timekeeper without an approved rate; the backtest replays with the card)."""
    from decimal import Decimal

    from legalops.vendors.models import Rate, Timekeeper
    from review_generate import TIMEKEEPERS

    for tk_id, _name, _cls, rate in TIMEKEEPERS:
        keeper = Timekeeper.objects.get(firm=firm, timekeeper_id=tk_id)
        Rate.objects.create(
            firm=firm,
            timekeeper=keeper,
            classification=keeper.classification,
            rate=rate - Decimal(25) if tk_id == "TK002" else rate,  # one associate over rate
            currency="USD",
            effective_from=datetime.date(2026, 1, 1),
            source="manual",
        )


def draft() -> object:
    from legalops.guidelines.config import DEFAULT_FILE
    from legalops.invoices.rulebook import guidelines_load

    text = Path(DEFAULT_FILE).read_text(encoding="utf-8")
    text = text.replace("reduce_percent = 20", "reduce_percent = 35", 1)
    text = text.replace('version = "', 'version = "bench-', 1)
    return guidelines_load(actor=None, data=text.encode(), filename="draft.toml", publish=False)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=10000)
    options = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as data_dir:
        setup(data_dir)
        from django.db import connection

        from legalops.backtests import selectors, services
        from legalops.core.money import format_minor

        count = receive(options.lines)
        backtest = services.backtest_create(
            actor=None,
            version=draft(),  # type: ignore[arg-type]
            period_from=datetime.date(2026, 1, 1),
            period_to=datetime.date(2027, 12, 31),
            enqueue=False,
        )
        started = time.perf_counter()
        backtest = services.backtest_run(backtest=backtest)
        took = time.perf_counter() - started
        assert backtest.status == "done", backtest.error
        print(
            f"database: {connection.vendor}; backtest of {backtest.invoices_total} invoices "
            f"({backtest.lines_total} lines): {took:.1f}s, "
            f"{backtest.invoices_total / took:.1f} invoices/s, {backtest.lines_total / took:.0f} "
            f"lines/s"
        )
        assert backtest.invoices_total == count
        for row in selectors.totals(backtest):
            code = row["currency"]
            print(
                f"  {code}: would save {format_minor(row['saved_minor'], code)}, actually "
                f"{format_minor(row['actual_saved_minor'], code)}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
