"""Time `legalops kpi --json` and each KPI registry call on a seeded database (issue 7:
`kpi --json` for the whole period under 1 s).

    python bench/insight_bench.py [--scale medium] [--invoices 20000] [--lines 50] [--runs 3]
                                  [--data-dir DIR]

Without --data-dir: seeds a fresh temporary data directory (SQLite) or, with DATABASE_URL set,
that PostgreSQL database (flushed first), and reports the seed time. `--invoices N` then
bulk-inserts N synthetic invoices of `--lines` lines each over the seeded matters, firms and
timekeepers and the last five years (a tenth in EUR, so the FX conversion is exercised; mostly
approved, some reduced, some pending or rejected) and times `rebuild()` of the rollups. Every
registry call is timed in-process as the administrator over the whole period (median of
--runs after one warm-up); `legalops kpi --json` is timed once more as a whole process (which
adds Python and Django start-up), and the rollups' incremental refresh of one month of one
matter is timed as the services trigger it.
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from decimal import Decimal
from typing import Any


def cli(data_dir: str, *args: str, quiet: bool = True) -> float:
    env = {**os.environ, "LEGALOPS_DATA_DIR": data_dir}
    started = time.perf_counter()
    out = subprocess.DEVNULL if quiet else None
    subprocess.run([sys.executable, "-m", "legalops.cli", *args], env=env, check=True, stdout=out)
    return time.perf_counter() - started


def seed(data_dir: str, scale: str) -> float:
    if os.environ.get("DATABASE_URL"):
        cli(data_dir, "flush", "--no-input")
    cli(data_dir, "migrate", "--verbosity", "0")
    return cli(data_dir, "seed", "--scale", scale, "--seed", "1")


def add_invoices(n: int, per_invoice: int, years: int = 5) -> None:
    """Bulk-inserts synthetic invoices over the last `years` (a benchmark path, like the seed:
    no services; the rollups are not rebuilt)."""
    from legalops.invoices.models import Invoice, InvoiceLine, State
    from legalops.matters.models import MatterFirm
    from legalops.vendors.models import Timekeeper

    rng = random.Random(7)
    pairs = list(MatterFirm.objects.values_list("matter_id", "firm_id"))
    keepers: dict[int, list[tuple[int, str]]] = {}
    for pk, firm_id, cls in Timekeeper.objects.values_list("pk", "firm_id", "classification"):
        keepers.setdefault(firm_id, []).append((pk, cls))
    states = [State.APPROVED] * 5 + [State.APPROVED_ADJUSTED, State.PAID, State.PAID]
    states += [State.IN_REVIEW, State.REJECTED]
    today = datetime.date.today()
    for start in range(0, n, 1000):
        invoices = [
            _invoice(rng, i, pairs, states, today, years)
            for i in range(start, min(n, start + 1000))
        ]
        Invoice.objects.bulk_create(invoices)
        lines = [
            line
            for invoice in invoices
            for line in _lines(rng, invoice, keepers.get(invoice.firm_id, []), per_invoice)
        ]
        InvoiceLine.objects.bulk_create(lines, batch_size=5000)
        Invoice.objects.bulk_update(
            invoices, ["billed_minor", "billed_fees_minor", "approved_minor", "hours"]
        )


def _invoice(
    rng: random.Random, i: int, pairs: list[Any], states: list[str], today: Any, years: int
) -> Any:
    from django.utils import timezone

    from legalops.invoices.models import Invoice, State

    matter_id, firm_id = rng.choice(pairs)
    day = today - datetime.timedelta(days=rng.randrange(years * 365))
    received = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))
    state = rng.choice(states)
    decided = received + datetime.timedelta(hours=rng.randrange(2, 40 * 24))
    return Invoice(
        firm_id=firm_id,
        matter_id=matter_id,
        invoice_number=f"KPI-BENCH-{i:08d}",
        state=state,
        source="seed",
        invoice_date=day,
        currency="EUR" if i % 10 == 0 else "USD",
        billed_minor=0,
        approved_minor=0,
        received_at=received,
        received_on=day,
        decided_at=None if state == State.IN_REVIEW else decided,
    )


def _lines(rng: random.Random, invoice: Any, staff: list[Any], count: int) -> list[Any]:
    from legalops.invoices.models import InvoiceLine

    staff = staff or [(None, "ASSOC")]
    lines = []
    for k in range(count):
        keeper, cls = rng.choice(staff)
        hours = Decimal(rng.randrange(1, 40)) / 10
        rate = Decimal(rng.randrange(250, 1200))
        billed = int(hours * rate * 100)
        approved = billed if rng.random() > 0.1 else billed // 2
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
                approved_minor=approved,
                classification=cls,
                timekeeper_id=keeper,
                task_code="L110",
                flag_count=0 if approved == billed else 1,
            )
        )
    invoice.billed_minor = invoice.billed_fees_minor = sum(line.billed_minor for line in lines)
    invoice.approved_minor = sum(line.approved_minor for line in lines)
    invoice.hours = sum((line.units for line in lines), Decimal(0))
    return lines


def timed(label: str, func: Callable[[], Any], runs: int) -> None:
    func()  # warm-up, not counted
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        func()
        times.append((time.perf_counter() - started) * 1000)
    print(f"{label:<44} {statistics.median(times):8.0f} ms  (slowest {max(times):.0f})", flush=True)


def calls(admin: Any) -> list[tuple[str, Callable[[], Any]]]:
    from legalops.reports import registry as r
    from legalops.reports.kpis_report import kpi_report

    everything = r.Filters()
    found: list[tuple[str, Callable[[], Any]]] = [
        ("kpi --json (kpi_report, in-process)", lambda: kpi_report(None, everything)),
        ("kpi --json --by firm", lambda: kpi_report(None, everything, "firm")),
        ("kpi --json --by month", lambda: kpi_report(None, everything, "month")),
        ("kpi_values (admin)", lambda: r.kpi_values(admin, everything)),
        (
            "monthly_series (4 spend KPIs)",
            lambda: r.monthly_series(
                admin,
                everything,
                ["total_billed", "total_approved", "review_savings_rate", "blended_rate"],
            ),
        ),
        ("drill_invoices first 50", lambda: list(r.drill_invoices(admin, everything)[:50])),
        ("drill_lines first 50", lambda: list(r.drill_lines(admin, everything)[:50])),
    ]
    for dimension in r.DIMENSIONS:
        kpi = "blended_rate" if dimension == "classification" else "total_approved"
        found.append((f"kpi_by {kpi} / {dimension}", _by(admin, kpi, dimension)))
        found.append((f"kpi_table / {dimension}", _table(admin, dimension)))
    return found


def _by(admin: Any, kpi: str, dimension: str) -> Callable[[], Any]:
    from legalops.reports.registry import Filters, kpi_by

    return lambda: kpi_by(admin, Filters(), kpi, dimension)


def _table(admin: Any, dimension: str) -> Callable[[], Any]:
    from legalops.reports.registry import Filters, kpi_table

    return lambda: kpi_table(admin, Filters(), dimension)


def refresh_one() -> Callable[[], Any]:
    from legalops.invoices.models import Invoice
    from legalops.reports.rollups import month_of, refresh

    invoice = Invoice.objects.order_by("pk").first()
    assert invoice is not None
    key = (invoice.firm_id, invoice.matter_id, month_of(invoice.invoice_date))
    return lambda: refresh([key])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", default="medium")
    parser.add_argument("--data-dir")
    parser.add_argument("--invoices", type=int, default=0)
    parser.add_argument("--lines", type=int, default=50)
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args()
    data_dir = options.data_dir or tempfile.mkdtemp(prefix="insight-kpi-bench-")
    if not options.data_dir:
        print(f"seed --scale {options.scale}: {seed(data_dir, options.scale):.1f} s", flush=True)
    os.environ["LEGALOPS_DATA_DIR"] = data_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "legalops.settings")
    import django

    django.setup()
    from django.conf import settings

    from legalops.accounts.models import Role, User
    from legalops.invoices.models import InvoiceLine
    from legalops.organization.models import Currency, FxRate
    from legalops.reports.rollups import rebuild

    if options.invoices:
        started = time.perf_counter()
        add_invoices(options.invoices, options.lines)
        print(f"{options.invoices:,} invoices bulk-inserted: {time.perf_counter() - started:.1f} s")
        if (
            not FxRate.objects.filter(base_id="EUR").exists()
            and Currency.objects.filter(code="EUR").exists()
        ):
            FxRate.objects.create(base_id="EUR", quote_id="USD", date="2000-01-01", rate="1.08")
    started = time.perf_counter()
    report = rebuild()
    print(
        f"rollups rebuild: {time.perf_counter() - started:.1f} s "
        f"({report.invoice_rows:,} invoice rows, {report.staffing_rows:,} staffing rows, "
        f"{report.unconverted} unconverted groups)",
        flush=True,
    )
    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    print(f"database: {engine}, {InvoiceLine.objects.count():,} invoice lines", flush=True)
    admin = User.objects.filter(role=Role.ADMIN, is_active=True).order_by("pk").first()
    for label, func in calls(admin):
        timed(label, func, options.runs)
    timed("rollups refresh of one (firm, matter, month)", refresh_one(), options.runs)
    whole = cli(data_dir, "kpi", "--json") * 1000
    print(f"{'legalops kpi --json (whole process)':<44} {whole:8.0f} ms")


if __name__ == "__main__":
    main()
