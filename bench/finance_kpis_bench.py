"""Time the KPIs of `reports.kpis_finance` (accrual accuracy, AFA share, cost per closed matter,
work kept in house, rate change) on a seeded database, whole period, as the administrator.

    python bench/finance_kpis_bench.py [--scale medium] [--data-dir DIR] [--runs 3]
                                       [--accrue-every-month]

Without --data-dir: seeds a fresh temporary data directory (SQLite) or, with DATABASE_URL set,
that PostgreSQL database (flushed first), as bench/insight_bench.py does. The seed accrues the
last three months; `--accrue-every-month` first adds an accrual for every (matter, firm) that
billed in every month of the data (the worst case for accrual accuracy: its grouped line query
then reads every line of every accruing matter). Each call is timed after one warm-up:
median wall time and median CPU time of this process (on SQLite the database works inside it;
PostgreSQL's own CPU is not counted).

Measured 2026-11-28 on the shared 2-core machine (load 2-7), median of 3, whole period:
- medium seed (199,624 lines, 3 accrued months), SQLite: accrual accuracy 200 ms wall / 99 ms
  CPU; AFA share 20/10; cost per matter 9/5; work kept in house 15/7; rate change 56/28,
  annualised 84/37. PostgreSQL: accrual accuracy 213 ms wall (45 ms client CPU), the others
  10-74 ms.
- medium + 800,000 bench lines (999,624 lines over five years, 61 accrued months), SQLite:
  accrual accuracy 2,171 ms wall / 1,348 ms CPU; PostgreSQL 2,195 ms wall (473 ms client
  CPU); the last twelve months 717 ms (SQLite) and 1,094 ms (PostgreSQL). Every other KPI
  here stays under 60 ms. Accrual accuracy reads invoice lines because the rollups are keyed
  by invoice month, not work month.

Re-measured 2026-11-28 17:30 UTC after accrual accuracy moved to the work-month rollup
(`WorkMonth`), load average 7-14, median CPU of 3, whole period, SQLite, interleaved with the
code before (same database, same values printed):
- medium + every month accrued (199,624 lines, 12,379 accruals): 305-334 ms before, 98-111
  ms after (total, by firm, by month).
- large + every month accrued (1,009,713 lines, 79,235 accruals): 1,592-1,763 ms before,
  701-726 ms after. What remains is reading and converting the accruals (Python per
  accrual): it follows the number of accruals, no longer the lines.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from typing import Any

sys.path.insert(0, os.path.dirname(__file__))

from insight_bench import seed  # noqa: E402

KPIS = (
    ("accrual_accuracy", "firm"),
    ("afa_share", "firm"),
    ("cost_per_matter", "matter_type"),
    ("work_kept_in_house", "matter_type"),
    ("rate_change_pct", "classification"),
    ("rate_change_annualised_pct", "firm"),
)


def timed(label: str, func: Callable[[], Any], runs: int) -> None:
    func()  # warm-up, not counted
    walls, cpus = [], []
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        func()
        walls.append((time.perf_counter() - wall) * 1000)
        cpus.append((time.process_time() - cpu) * 1000)
    print(
        f"{label:<48} wall {statistics.median(walls):7.0f} ms  cpu {statistics.median(cpus):7.0f}"
        f" ms  (slowest wall {max(walls):.0f})",
        flush=True,
    )


def accrue_every_month() -> int:
    """An accrual of 1000.00 for every (matter, firm, invoice month) with billing."""
    from django.db.models.functions import TruncMonth

    from legalops.invoices.models import Invoice
    from legalops.matters.accruals import window_for
    from legalops.matters.models import Accrual, AccrualPeriod

    keys = set(
        Invoice.objects.annotate(month=TruncMonth("invoice_date"))
        .values_list("matter_id", "firm_id", "month", "currency")
        .distinct()
    )
    periods = {}
    for month in sorted({k[2] for k in keys}):
        opens, deadline = window_for(month)
        periods[month], _ = AccrualPeriod.objects.get_or_create(
            month=month, defaults={"opens_on": opens, "deadline": deadline}
        )
    taken = set(Accrual.objects.values_list("period_id", "matter_id", "firm_id"))
    rows = [
        Accrual(
            period=periods[m], matter_id=matter, firm_id=firm, current_minor=100000, currency=cur
        )
        for matter, firm, m, cur in keys
        if (periods[m].pk, matter, firm) not in taken
    ]
    Accrual.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)
    return len(rows)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", default="medium")
    parser.add_argument("--data-dir")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--accrue-every-month", action="store_true")
    options = parser.parse_args()
    data_dir = options.data_dir or tempfile.mkdtemp(prefix="finance-kpi-bench-")
    if not options.data_dir:
        print(f"seed --scale {options.scale}: {seed(data_dir, options.scale):.1f} s", flush=True)
    os.environ["LEGALOPS_DATA_DIR"] = data_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "legalops.settings")
    import django

    django.setup()
    from django.conf import settings

    from legalops.accounts.models import Role, User
    from legalops.invoices.models import InvoiceLine
    from legalops.matters.models import Accrual
    from legalops.reports import kpis  # noqa: F401
    from legalops.reports.registry import Filters, kpi_values

    if options.accrue_every_month:
        print(f"accruals added: {accrue_every_month():,}", flush=True)
    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    print(
        f"database: {engine}, {InvoiceLine.objects.count():,} invoice lines, "
        f"{Accrual.objects.count():,} accruals",
        flush=True,
    )
    admin = User.objects.filter(role=Role.ADMIN, is_active=True).order_by("pk").first()
    everything = Filters()
    values = kpi_values(admin, everything)
    for kpi_id, _dimension in KPIS:
        print(f"  {kpi_id} = {values[kpi_id]}")
    for kpi_id, dimension in KPIS:
        timed(f"{kpi_id}", _by(admin, everything, kpi_id, None), options.runs)
        timed(f"{kpi_id} / {dimension}", _by(admin, everything, kpi_id, dimension), options.runs)
        if kpi_id in ("accrual_accuracy", "afa_share"):
            timed(f"{kpi_id} / month", _by(admin, everything, kpi_id, "month"), options.runs)


def _by(admin: Any, filters: Any, kpi_id: str, dimension: str | None) -> Callable[[], Any]:
    from legalops.reports.registry import Query, kpi_by, kpi_get

    if dimension is None:
        kpi = kpi_get(kpi_id)
        assert kpi.compute is not None
        compute = kpi.compute
        return lambda: compute(Query(user=admin, filters=filters))
    return lambda: kpi_by(admin, filters, kpi_id, dimension)


if __name__ == "__main__":
    main()
