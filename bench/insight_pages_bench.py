"""Server time of every Insight dashboard, the drill-down page, the Excel/PDF downloads and
`legalops kpi --json` on a seeded database (issue 7: each page under 300 ms, `kpi --json`
under 1 s, the overview's Excel under 5 s), printed as one table.

    python bench/insight_pages_bench.py [--scale small] [--data-dir DIR] [--invoices N]
                                        [--lines 10] [--runs 5] [--no-pdf]

The large benchmark of docs/dashboards.md, seeded once per database:

    LEGALOPS_DATA_DIR=DIR legalops migrate && LEGALOPS_DATA_DIR=DIR legalops seed --scale large
    python bench/insight_pages_bench.py --data-dir DIR                       # SQLite
    DATABASE_URL=postgres://... python bench/insight_pages_bench.py --data-dir DIR   # PostgreSQL

Without --data-dir, seeds a fresh temporary data directory (SQLite) or, with DATABASE_URL set,
that PostgreSQL database (flushed first) and reports the seed time. With --data-dir, reuses a
database seeded before (`legalops seed --scale large` takes a while). `--invoices N` first adds
N synthetic invoices of `--lines` lines each (`bench/insight_bench.py`'s: spread over the
seeded firms, matters and timekeepers and the last two years, mostly approved, a tenth in EUR)
and rebuilds the rollups. Each request goes through the whole Django stack (middleware, view,
registry, template) with the test client signed in as an administrator over all time. The
first request of each page is reported as "cold" (the process has imported `legalops.wsgi`
first, as `legalops serve` does before its workers start; the first page also pays the
process's first queries and its own templates); the median and the slowest of the next --runs are
"warm", with the median CPU time of this process (for SQLite that includes the database's
work; PostgreSQL's server time is not in it). `kpi --json` is timed in-process the same way
and once as a whole `legalops kpi --json` process (Python and Django start-up included).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import benchtiming  # noqa: E402  (whole processes as installed: byte-code caching on)
import insight_bench  # noqa: E402  (the seeding and synthetic invoices of the KPI benchmark)


def add_invoices(n: int, per_invoice: int) -> float:
    """The KPI benchmark's synthetic invoices over the last two years, then the rollups."""
    from legalops.reports.rollups import rebuild

    started = time.perf_counter()
    insight_bench.add_invoices(n, per_invoice, years=2)
    rebuild()
    return time.perf_counter() - started


@dataclass
class Timing:
    cold_ms: float
    warm_ms: float
    slowest_ms: float
    cpu_ms: float
    status: str = ""

    def row(self, label: str) -> str:
        return (
            f"{label:<28} {self.cold_ms:8.0f} {self.warm_ms:8.0f} {self.slowest_ms:8.0f} "
            f"{self.cpu_ms:8.0f}  {self.status}"
        )


HEADER = f"{'request':<28} {'cold ms':>8} {'warm ms':>8} {'slowest':>8} {'CPU ms':>8}  status"


def measure(call: Callable[[], Any], runs: int) -> Timing:
    """The first call (cold), then the median wall and CPU time and the slowest of `runs`."""
    started = time.perf_counter()
    result = call()
    cold = (time.perf_counter() - started) * 1000
    wall, cpu = [], []
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        result = call()
        cpu.append((time.process_time() - started_cpu) * 1000)
        wall.append((time.perf_counter() - started) * 1000)
    status = str(getattr(result, "status_code", ""))
    return Timing(cold, statistics.median(wall), max(wall), statistics.median(cpu), status)


def kpi_process(data_dir: str) -> tuple[float, float]:
    """Wall and CPU seconds of a whole `legalops kpi --json` process, as installed: with
    byte-code caching on (the shells here set PYTHONDONTWRITEBYTECODE, which made every run
    compile all of Django and legalops from source: about a second of the 3.3 s measured
    before 2026-11-28), after one warm-up run that writes the caches."""
    env = {**benchtiming.ENV, "LEGALOPS_DATA_DIR": data_dir}
    command = [sys.executable, "-m", "legalops.cli", "kpi", "--json"]
    subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", default="small")
    parser.add_argument("--data-dir")
    parser.add_argument("--invoices", type=int, default=0)
    parser.add_argument("--lines", type=int, default=10)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-pdf", action="store_true", help="skip the (slow) PDF export")
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

    import legalops.wsgi  # noqa: F401  (as `legalops serve` does before its workers start)
    from legalops.accounts.models import Role, User
    from legalops.invoices.models import Invoice, InvoiceLine
    from legalops.reports.kpis_report import kpi_report
    from legalops.reports.registry import Filters
    from legalops.reports.views_pages import PAGES

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    if options.invoices:
        seconds = add_invoices(options.invoices, options.lines)
        print(f"{options.invoices:,} invoices added, rollups rebuilt: {seconds:.1f} s", flush=True)
    admin = User.objects.filter(role=Role.ADMIN, is_active=True).order_by("pk").first()
    assert admin is not None, "the seeded database has no administrator"
    client = Client()
    client.force_login(admin)
    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    lines, invoices = InvoiceLine.objects.count(), Invoice.objects.count()
    print(f"database: {engine}, {invoices:,} invoices, {lines:,} invoice lines", flush=True)
    print(f"load average at start: {_load()}", flush=True)
    urls = [(f"page {key}", f"/insight/{key}/?period=all") for key in PAGES]
    urls += [
        ("drill (invoices)", "/insight/drill/?period=all"),
        ("drill (lines)", "/insight/drill/?period=all&show=lines"),
        ("overview Excel", "/insight/overview/export.xlsx?period=all"),
    ]
    if not options.no_pdf:
        urls.append(("overview PDF", "/insight/overview/export.pdf?period=all"))
    print(HEADER)
    for label, url in urls:
        print(measure(lambda url=url: client.get(url), options.runs).row(label), flush=True)
    report = measure(lambda: kpi_report(None, Filters()), options.runs)
    print(report.row("kpi --json (in-process)"), flush=True)
    wall, cpu = kpi_process(data_dir)
    whole = Timing(wall * 1000, float("nan"), float("nan"), cpu * 1000, "whole process")
    print(whole.row("legalops kpi --json"))
    print(f"load average at end: {_load()}")


def _load() -> str:
    return " ".join(f"{n:.2f}" for n in os.getloadavg())


if __name__ == "__main__":
    main()
