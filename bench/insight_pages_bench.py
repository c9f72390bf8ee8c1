"""Server time of every Insight dashboard, the drill-down page and the Excel/PDF downloads on a
seeded database (issue 7: each page under 300 ms, the overview's Excel under 5 s).

    python bench/insight_pages_bench.py [--scale small] [--data-dir DIR] [--invoices N]
                                        [--lines 10] [--runs 5]

Without --data-dir, seeds a fresh temporary data directory (SQLite) or, with DATABASE_URL set,
that PostgreSQL database (flushed first) and reports the seed time. With --data-dir, reuses a
database seeded before (`legalops seed --scale large` takes a while). Each request goes through
the whole Django stack. `--invoices N` first adds N synthetic invoices of `--lines` lines each
(spread over the seeded firms, matters and timekeepers and the last two years, mostly approved)
and rebuilds the rollups, for a seed without invoices. Each request goes through
the whole Django stack (middleware, view, registry, template) with the test client signed in
as an administrator over all time; the first request of each page warms caches and is not
counted; the median and the slowest of the others are reported.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from typing import Any


def seed(data_dir: str, scale: str) -> float:
    env = {**os.environ, "LEGALOPS_DATA_DIR": data_dir}
    if os.environ.get("DATABASE_URL"):
        subprocess.run(
            [sys.executable, "-m", "legalops.cli", "flush", "--no-input"], env=env, check=True
        )
    subprocess.run(
        [sys.executable, "-m", "legalops.cli", "migrate", "--verbosity", "0"], env=env, check=True
    )
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "legalops.cli", "seed", "--scale", scale, "--seed", "1"],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - started


def add_invoices(n: int, per_invoice: int) -> float:
    """Bulk-inserts synthetic invoices and lines (a benchmark path), then rebuilds the rollups."""
    import datetime
    import random
    from decimal import Decimal

    from django.utils import timezone

    from legalops.invoices.models import Invoice, InvoiceLine, State
    from legalops.matters.models import MatterFirm
    from legalops.reports.rollups import rebuild
    from legalops.vendors.models import Timekeeper

    started = time.perf_counter()
    rng = random.Random(7)
    pairs = list(MatterFirm.objects.values_list("matter_id", "firm_id"))
    keepers: dict[int, list[tuple[int, str]]] = {}
    for pk, firm_id, cls in Timekeeper.objects.values_list("pk", "firm_id", "classification"):
        keepers.setdefault(firm_id, []).append((pk, cls))
    states = [State.APPROVED] * 6 + [State.PAID] * 2 + [State.IN_REVIEW, State.APPROVED_ADJUSTED]
    today = timezone.localdate()
    for start in range(0, n, 2000):
        invoices = []
        for i in range(start, min(n, start + 2000)):
            matter_id, firm_id = rng.choice(pairs)
            day = today - datetime.timedelta(days=rng.randrange(730))
            received = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))
            state = rng.choice(states)
            decided = received + datetime.timedelta(days=rng.randrange(1, 40))
            invoices.append(
                Invoice(
                    firm_id=firm_id,
                    matter_id=matter_id,
                    invoice_number=f"BENCH-{i:07d}",
                    state=state,
                    source="seed",
                    invoice_date=day,
                    currency="USD",
                    billed_minor=0,
                    approved_minor=0,
                    received_at=received,
                    received_on=day,
                    decided_at=None if state == State.IN_REVIEW else decided,
                )
            )
        Invoice.objects.bulk_create(invoices)
        lines = []
        for invoice in invoices:
            staff = keepers.get(invoice.firm_id) or [(None, "ASSOC")]
            for k in range(per_invoice):
                keeper, cls = rng.choice(staff)
                hours = Decimal(rng.randrange(1, 40)) / 4
                rate = Decimal(rng.randrange(250, 1200))
                billed = int(hours * rate * 100)
                cut = billed if rng.random() > 0.1 else billed // 2
                invoice.billed_minor += billed
                invoice.approved_minor += cut if invoice.state != State.IN_REVIEW else 0
                lines.append(
                    InvoiceLine(
                        invoice=invoice,
                        index=k,
                        line_item_number=str(k + 1),
                        kind="F",
                        units=hours,
                        unit_cost=rate,
                        billed_total=Decimal(billed) / 100,
                        billed_minor=billed,
                        approved_minor=cut,
                        classification=cls,
                        timekeeper_id=keeper,
                        task_code="L110",
                    )
                )
            invoice.billed_fees_minor = invoice.billed_minor
            invoice.hours = sum((line.units for line in lines[-per_invoice:]), Decimal(0))
        InvoiceLine.objects.bulk_create(lines, batch_size=5000)
        Invoice.objects.bulk_update(
            invoices, ["billed_minor", "billed_fees_minor", "approved_minor", "hours"]
        )
    rebuild()
    return time.perf_counter() - started


def measure(client: Any, url: str, runs: int) -> tuple[float, float, int]:
    response = client.get(url)  # warm-up, not counted
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), max(times), response.status_code


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", default="small")
    parser.add_argument("--data-dir")
    parser.add_argument("--invoices", type=int, default=0)
    parser.add_argument("--lines", type=int, default=10)
    parser.add_argument("--runs", type=int, default=5)
    options = parser.parse_args()
    data_dir = options.data_dir or tempfile.mkdtemp(prefix="insight-bench-")
    if not options.data_dir:
        print(f"seed --scale {options.scale}: {seed(data_dir, options.scale):.1f} s", flush=True)
    os.environ["LEGALOPS_DATA_DIR"] = data_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "legalops.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.test import Client

    from legalops.accounts.models import Role, User
    from legalops.invoices.models import InvoiceLine
    from legalops.reports.views_pages import PAGES

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    if options.invoices:
        seconds = add_invoices(options.invoices, options.lines)
        print(f"{options.invoices:,} invoices added, rollups rebuilt: {seconds:.1f} s", flush=True)
    admin = User.objects.filter(role=Role.ADMIN, is_active=True).order_by("pk").first()
    assert admin is not None, "the seeded database has no administrator"
    client = Client()
    client.force_login(admin)
    print(
        f"database: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}, "
        f"{InvoiceLine.objects.count():,} invoice lines",
        flush=True,
    )
    urls = [(f"page {key}", f"/insight/{key}/?period=all") for key in PAGES]
    urls += [
        ("drill (invoices)", "/insight/drill/?period=all"),
        ("drill (lines)", "/insight/drill/?period=all&show=lines"),
        ("overview Excel", "/insight/overview/export.xlsx?period=all"),
        ("overview PDF", "/insight/overview/export.pdf?period=all"),
    ]
    print(f"{'request':<22} {'median':>9} {'slowest':>9}  status")
    for label, url in urls:
        median, slowest, status = measure(client, url, options.runs)
        print(f"{label:<22} {median:7.0f}ms {slowest:7.0f}ms  {status}", flush=True)


if __name__ == "__main__":
    main()
