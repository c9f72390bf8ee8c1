"""Where the time of `legalops kpi --json` goes: the whole process, its start-up, and the
in-process cost of each KPI id (issue 7: the whole process under 1 s for the whole period).

    python bench/kpi_cost_bench.py --data-dir DIR [--runs 3] [--processes 5] [--top 0]

(with DATABASE_URL for PostgreSQL). Prints:
- the whole `legalops kpi --json` process and its start-up alone (`legalops kpi --help`:
  Python, Django set-up, the database connection and the migration check, no KPI), median
  wall and CPU time of --processes interleaved runs, with byte-code caching on as when
  installed (benchtiming.ENV);
- the in-process report (`kpi_report` + the FX warnings the command prints), then one row per
  KPI id in registry order, as `kpi_values` computes them: one shared `Query`, so a KPI that
  reads an aggregate another KPI already read (`Query.cached`) costs nothing and the first one
  pays for both. Per KPI: median wall, CPU, SQL time (the database calls, timed around the
  driver: on PostgreSQL mostly server time, which the CPU column leaves out) and queries.
  Sorted by cost with --top N (the N most expensive).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import benchtiming  # noqa: E402  (whole-process timing with byte-code caching on)


@dataclass
class Cost:
    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    sql: list[float] = field(default_factory=list)
    queries: list[int] = field(default_factory=list)

    def row(self, label: str) -> str:
        med = statistics.median
        return (
            f"{label:<34} {med(self.wall):8.0f} {med(self.cpu):8.0f} {med(self.sql):8.0f} "
            f"{med(self.queries):7.0f}"
        )


HEADER = f"{'KPI / step':<34} {'wall ms':>8} {'CPU ms':>8} {'SQL ms':>8} {'queries':>7}"


class SqlTimer:
    """A connection.execute_wrapper that adds up the time and number of database calls."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.count = 0

    def __call__(self, execute: Callable[..., Any], sql: str, params: Any, many: bool, ctx: Any):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, ctx)
        finally:
            self.seconds += time.perf_counter() - started
            self.count += 1


@contextmanager
def timed(cost: Cost, timer: SqlTimer) -> Iterator[None]:
    sql, count = timer.seconds, timer.count
    wall, cpu = time.perf_counter(), time.process_time()
    yield
    cost.wall.append((time.perf_counter() - wall) * 1000)
    cost.cpu.append((time.process_time() - cpu) * 1000)
    cost.sql.append((timer.seconds - sql) * 1000)
    cost.queries.append(timer.count - count)


def processes(runs: int) -> None:
    legalops = [sys.executable, "-m", "legalops.cli"]
    whole = benchtiming.compare([*legalops, "kpi", "--help"], [*legalops, "kpi", "--json"], runs)
    pairs = (("start-up (kpi --help)", whole.baseline), ("kpi --json", whole.command))
    for label, measured in pairs:
        wall = statistics.median(r.seconds for r in measured) * 1000
        cpu = statistics.median(r.cpu for r in measured) * 1000
        print(f"process {label:<26} {wall:8.0f} ms wall {cpu:8.0f} ms CPU", flush=True)


def in_process(runs: int, top: int) -> None:
    from django.db import connection

    from legalops.reports.kpis_report import fx_warnings, kpi_report
    from legalops.reports.registry import Filters, Query, kpis_ordered

    timer = SqlTimer()
    filters = Filters()
    report, per_kpi = Cost(), {kpi.id: Cost() for kpi in kpis_ordered() if kpi.compute}
    with connection.execute_wrapper(timer):
        kpi_report(None, filters)  # warm-up: first queries, caches
        for _ in range(runs):
            with timed(report, timer):
                kpi_report(None, filters)
                fx_warnings(None, filters)
            query = Query(user=None, filters=filters)
            for kpi in kpis_ordered():
                if kpi.compute is not None:
                    with timed(per_kpi[kpi.id], timer):
                        kpi.compute(query)
    print(HEADER)
    print(report.row("kpi_report + fx_warnings (all)"))
    rows = list(per_kpi.items())
    if top:
        rows = sorted(rows, key=lambda item: -statistics.median(item[1].wall))[:top]
    for kpi_id, cost in rows:
        print(cost.row(f"  {kpi_id}"))
    total = sum(statistics.median(c.wall) for c in per_kpi.values())
    print(f"{'  sum of the KPI medians':<34} {total:8.0f}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data-dir", required=True)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--processes", type=int, default=5)
    parser.add_argument("--top", type=int, default=0, help="only the N most expensive KPIs")
    options = parser.parse_args()
    os.environ["LEGALOPS_DATA_DIR"] = options.data_dir
    benchtiming.ENV["LEGALOPS_DATA_DIR"] = options.data_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "legalops.settings")
    import django

    django.setup()
    from django.conf import settings

    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    print(f"database: {engine}; load average: {' '.join(f'{n:.2f}' for n in os.getloadavg())}")
    if options.processes:
        processes(options.processes)
    in_process(options.runs, options.top)
    print(f"load average at end: {' '.join(f'{n:.2f}' for n in os.getloadavg())}")


if __name__ == "__main__":
    main()
