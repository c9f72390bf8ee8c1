"""Time the reviewer's invoice page of a 2,000-line invoice (issue 6: its first page of lines
renders server-side in under 500 ms), on the embedded SQLite database or on PostgreSQL.

    python bench/invoice_page_bench.py [--lines 2000] [--runs 15]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/legalops_bench \
        python bench/invoice_page_bench.py

A fresh temporary data directory each run; with DATABASE_URL the database is FLUSHED first
(use a scratch database). The invoice is bench/review_generate.py's realistic narratives from
six timekeepers, received through the intake service (review included) and reviewed again
with an approved rate card, so flags of every kind are on the page. Each request goes through
Django's full stack (middleware, session, templates) with the test client; the numbers are
server-side time per request, median and worst of the runs after one warm-up, and the
number of SQL queries.
"""

from __future__ import annotations

import argparse
import datetime
import os
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


def setup(data_dir: str) -> None:
    os.environ["LEGALOPS_DATA_DIR"] = data_dir
    os.environ["LEGALOPS_ALLOWED_HOSTS"] = "127.0.0.1,localhost,testserver"
    os.environ["DJANGO_SETTINGS_MODULE"] = "legalops.settings"
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    if os.environ.get("DATABASE_URL"):
        from importlib import import_module

        from django.apps import apps

        # flush empties every table, the reason codes the migrations put there included.
        call_command("flush", interactive=False, verbosity=0)
        import_module("legalops.invoices.migrations.0002_reason_codes").add(apps, None)


def ledes_file(lines: int) -> bytes:
    import random

    from legalops.guidelines.adapter import ledes_from_invoice
    from legalops.guidelines.records import Invoice
    from legalops.ledes import write
    from review_generate import lines_for

    rng = random.Random(11)
    start, end = datetime.date(2026, 10, 1), datetime.date(2026, 10, 31)
    invoice = Invoice(
        "BENCH-2000",
        "36-1234567",
        lines_for(rng, 0, lines, start),
        "LIT-BENCH",
        datetime.date(2026, 11, 5),
        start,
        end,
    )
    return write([ledes_from_invoice(invoice)], "1998B").encode()


def receive(lines: int) -> Any:
    from legalops.invoices.intake import invoice_intake
    from legalops.invoices.services import invoice_rereview
    from legalops.vendors.models import Rate, Timekeeper
    from review_generate import TIMEKEEPERS

    data = ledes_file(lines)
    started = time.perf_counter()
    report = invoice_intake(
        actor=None,
        data=data,
        filename="bench.txt",
        source="cli",
        create_missing=True,
        received_on=datetime.date(2026, 11, 20),
    )
    took = time.perf_counter() - started
    invoice = report.received[0]
    for tk_id, _name, _cls, rate in TIMEKEEPERS:
        keeper = Timekeeper.objects.get(firm=invoice.firm, timekeeper_id=tk_id)
        Rate.objects.create(
            firm=invoice.firm,
            timekeeper=keeper,
            classification=keeper.classification,
            rate=rate - Decimal(25) if tk_id == "TK002" else rate,  # one associate over rate
            currency="USD",
            effective_from=datetime.date(2026, 1, 1),
            source="manual",
        )
    invoice_rereview(actor=None, invoice=invoice)
    invoice.refresh_from_db()
    print(f"intake of {lines} lines (review included): {took:.2f}s; {invoice.flag_count} flags")
    return invoice


def timed(client: Any, url: str, runs: int) -> tuple[float, float, int, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm-up: template loading, guidelines cache
    seconds = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url)
        seconds.append(time.perf_counter() - started)
        assert response.status_code == 200, response.status_code
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return statistics.median(seconds), max(seconds), len(queries), len(response.content)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=15)
    options = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as data_dir:
        setup(data_dir)
        from django.db import connection
        from django.test import Client

        from legalops.accounts.models import User

        invoice = receive(options.lines)
        admin = User.objects.create_user(username="bench-admin", role="admin", password="x")
        client = Client()
        client.force_login(admin)
        base = f"/spend/invoices/{invoice.pk}/"
        top_rule = invoice.flags.values_list("rule", flat=True).first()
        pages = [
            ("first page of lines (50)", base),
            ("first page, 200 lines", base + "?size=200"),
            ("last page of lines", base + f"?page={(options.lines + 49) // 50}"),
            (f"filtered by rule {top_rule}", base + f"?rule={top_rule}"),
            ("lines partial (htmx)", base + "?page=2"),
            ("API: first 50 lines", f"/api/v1/invoices/{invoice.pk}/lines?limit=50"),
        ]
        print(f"database: {connection.vendor}; {options.runs} runs each after a warm-up")
        for label, url in pages:
            if "htmx" in label:
                client.defaults.update({"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "lines"})
            median, worst, queries, size = timed(client, url, options.runs)
            client.defaults.pop("HTTP_HX_REQUEST", None)
            client.defaults.pop("HTTP_HX_TARGET", None)
            print(
                f"{label:<34} median {median * 1000:6.1f} ms  worst {worst * 1000:6.1f} ms"
                f"  {queries:3d} queries  {size / 1024:6.0f} KiB"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
