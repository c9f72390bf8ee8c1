"""Server time of every Insight dashboard, the drill-down page and the Excel/PDF downloads on a
seeded database (issue 7: each page under 300 ms, the overview's Excel under 5 s).

    python bench/insight_pages_bench.py [--scale small] [--data-dir DIR] [--invoices N]
                                        [--lines 10] [--runs 5]

Without --data-dir, seeds a fresh temporary data directory (SQLite) or, with DATABASE_URL set,
that PostgreSQL database (flushed first) and reports the seed time. With --data-dir, reuses a
database seeded before (`legalops seed --scale large` takes a while). `--invoices N` first adds
N synthetic invoices of `--lines` lines each (`bench/insight_bench.py`'s: spread over the
seeded firms, matters and timekeepers and the last two years, mostly approved, a tenth in EUR)
and rebuilds the rollups. Each request goes through the whole Django stack (middleware, view,
registry, template) with the test client signed in as an administrator over all time; the
first request of each page warms caches and is not counted; the median and the slowest of the
others are reported.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import insight_bench  # noqa: E402  (the seeding and synthetic invoices of the KPI benchmark)


def add_invoices(n: int, per_invoice: int) -> float:
    """The KPI benchmark's synthetic invoices over the last two years, then the rollups."""
    from legalops.reports.rollups import rebuild

    started = time.perf_counter()
    insight_bench.add_invoices(n, per_invoice, years=2)
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
        print(
            f"seed --scale {options.scale}: {insight_bench.seed(data_dir, options.scale):.1f} s",
            flush=True,
        )
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
