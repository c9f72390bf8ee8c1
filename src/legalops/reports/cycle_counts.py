"""`InvoiceCycleMonth`: the cycle-time spans of `InvoiceCycle` counted per month and per
tenth of a day, with the smallest and largest exact value of each count.

Why this gives exact percentiles: a cycle-time KPI is a nearest-rank percentile of exact values
(seconds or days), reported in days rounded half up to 0.1 (`kpis_common.in_days`). Rounding is
monotonic, so the values that round to one tenth form an interval, and the counts per tenth say
which tenth holds each rank. A single rank (the 90th percentile, an odd count's median) rounds to
its tenth whatever its exact value; an even count's median is the mean of two neighbouring ranks:
in one tenth, their mean rounds to that tenth too; in two, the lower one is the largest value of
its tenth and the upper one the smallest of the next, both stored. Smallest and largest add up
over months (min and max), so any set of whole months reads exactly; `kpis_ops` reads the rows
of the period's partial first and last month from `InvoiceCycle` itself.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Q, QuerySet

from legalops.reports.models import InvoiceCycle, InvoiceCycleMonth
from legalops.reports.selectors import month_bounds

DAY = 86400  # seconds


@dataclass(frozen=True)
class Span:
    """An `InvoiceCycle` span: the column, the date the period bounds and its month column,
    the month column the trend groups it by, units per day, and whether only approved
    invoices have it."""

    column: str
    date_field: str
    month_field: str
    trend_field: str
    per_day: int
    approved_only: bool


SPANS = {
    span.column: span
    for span in (
        Span("approval_seconds", "decided_on", "decided_month", "decided_month", DAY, True),
        Span("review_seconds", "decided_on", "decided_month", "submitted_month", DAY, True),
        Span("approval_stage_seconds", "decided_on", "decided_month", "decided_month", DAY, True),
        Span("payment_days", "paid_on", "paid_month", "paid_month", 1, False),
    )
}


def tenths(value: int, per_day: int) -> int:
    """`kpis_common.in_days(value, per_day)` x 10, in integers (a touch recounts thousands):
    half a tenth is per_day / 20, and half up rounds away from zero."""
    magnitude = (20 * abs(value) + per_day) // (2 * per_day)
    return magnitude if value >= 0 else -magnitude


@dataclass
class Spread:
    """The values of one span in one group, counted per tenth of a day: tenths -> [count,
    smallest, largest]."""

    tenths: dict[int, list[int]] = field(default_factory=dict)

    def add(self, tenth: int, count: int, low: int, high: int) -> None:
        merge(self.tenths, tenth, count, low, high)

    @property
    def count(self) -> int:
        return sum(entry[0] for entry in self.tenths.values())

    def at(self, rank: int) -> int:
        """A value that rounds as the value at this 1-based rank does, and is that value when
        the rank is the first or last of its tenth (see the module docstring)."""
        before = 0
        for tenth in sorted(self.tenths):
            count, low, high = self.tenths[tenth]
            if rank <= before + count:
                return high if rank == before + count else low
            before += count
        raise IndexError(rank)


def merge(into: dict[Any, list[int]], key: Any, count: int, low: int, high: int) -> None:
    """Adds a count with its smallest and largest value to `into[key]`."""
    entry = into.get(key)
    if entry is None:
        into[key] = [count, low, high]
    else:
        entry[0] += count
        entry[1] = min(entry[1], low)
        entry[2] = max(entry[2], high)


def months_of(rows: QuerySet[InvoiceCycle]) -> set[datetime.date]:
    """The months whose counts these `InvoiceCycle` rows are in."""
    months: set[datetime.date] = set()
    for decided, paid, approved in rows.values_list("decided_month", "paid_month", "approved"):
        months.update(m for m in (decided if approved else None, paid) if m is not None)
    return months


def recount(months: Iterable[datetime.date] | None) -> int:
    """Recounts the `InvoiceCycleMonth` rows of these months (all with None) from
    `InvoiceCycle`; returns the number of rows written."""
    wanted = None if months is None else set(months)
    if wanted is not None and not wanted:
        return 0
    if connection.vendor == "postgresql":
        # Two refreshes of different matters can recount the same month: one at a time.
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [7_0004])
    rows = InvoiceCycle.objects.all()
    counts = InvoiceCycleMonth.objects.all()
    if wanted is not None:
        # By the dates (indexed), not their months: a touch recounts a month or two.
        decided, paid = Q(), Q()
        for month in wanted:
            days = (month, month_bounds(month)[1])
            decided |= Q(decided_on__range=days)
            paid |= Q(paid_on__range=days)
        rows = rows.filter(Q(decided, approved=True) | paid)
        counts = counts.filter(month__in=wanted)
    counts.delete()
    found: dict[tuple[Any, ...], list[int]] = {}
    fields = ["approved", *{f for s in SPANS.values() for f in (s.month_field, s.trend_field)}]
    for row in rows.values(*fields, *SPANS).order_by().iterator(chunk_size=5000):
        for span in SPANS.values():
            value, month = row[span.column], row[span.month_field]
            if value is None or month is None or (span.approved_only and not row["approved"]):
                continue
            if wanted is not None and month not in wanted:
                continue
            key = (month, row[span.trend_field], span.column, tenths(value, span.per_day))
            merge(found, key, 1, value, value)
    InvoiceCycleMonth.objects.bulk_create(
        (
            InvoiceCycleMonth(
                month=month, trend_month=trend, span=span, tenths=tenth, count=n, low=lo, high=hi
            )
            for (month, trend, span, tenth), (n, lo, hi) in found.items()
        ),
        batch_size=2000,
    )
    return len(found)
