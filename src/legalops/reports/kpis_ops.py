"""Operations KPIs: invoice cycle times and aging, appeals, first-pass acceptance and matter
cycle times. They need the time between events of single invoices or matters, which monthly
sums cannot give: invoice cycle times read the per-invoice `InvoiceCycle` rollup; the others
read invoices, appeals and matters (never lines) directly."""

from __future__ import annotations

import dataclasses
import datetime
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    Max,
    Min,
    Model,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Window,
)
from django.db.models import Value as SqlValue
from django.db.models.functions import RowNumber
from django.utils import timezone

from legalops.appeals.models import Appeal
from legalops.invoices.hooks import SPENT_STATES
from legalops.invoices.models import OPEN_STATES, Invoice
from legalops.matters.models import Matter, MatterFirm
from legalops.reports.cycle_counts import SPANS, Span, Spread, tenths
from legalops.reports.kpis_common import (
    firm_level,
    group_key,
    in_days,
    invoice_sums,
    percentile,
    ranks,
    ratio,
    value_at_ranks,
    with_total,
)
from legalops.reports.models import InvoiceCycle, InvoiceCycleMonth
from legalops.reports.registry import (
    ROLLUP_DIMENSIONS,
    Filters,
    Key,
    Query,
    Value,
    kpi_definer,
)
from legalops.reports.rollups import Converter
from legalops.reports.selectors import (
    DIMENSION_FIELDS,
    month_bounds,
    report_matter_scope,
    reporting_currency,
    scoped,
)

MEDIAN, P90 = Decimal("0.5"), Decimal("0.9")
NO_MONTH = tuple(d for d in ROLLUP_DIMENSIONS if d != "month")
MATTER_DIMENSIONS = ("practice_area", "business_unit", "matter_type", "month")


_kpi = kpi_definer(
    section="Operations", reads="invoices and their state changes", dimensions=ROLLUP_DIMENSIONS
)


def _key(row: dict[str, Any], query: Query, day_field: str) -> Key:
    if query.group is None:
        return None
    if query.group == "month":
        day = row[day_field]
        day = day.date() if isinstance(day, datetime.datetime) else day
        return day.replace(day=1)
    return group_key(row["group"])


def _grouped_rows(queryset: QuerySet[Any], query: Query, fields: list[str]) -> Any:
    if query.group and query.group != "month":
        queryset = queryset.annotate(group=F(DIMENSION_FIELDS[query.group]))
        fields = [*fields, "group"]
    # No ORDER BY (the model's default one is no use to a count): on PostgreSQL `iterator()`
    # is a server-side cursor, which the planner optimises for its first rows, and with the
    # ordering kept it walked the whole invoice table in `received_at` order (60 ms against
    # 10 ms at large scale for the appealed invoices).
    return queryset.values(*fields).order_by().iterator(chunk_size=5000)


Ranked = dict[Key, tuple[int, dict[int, int]]]


def _ranked(query: Query, span: str) -> Ranked:
    """Per group: the number of values of one span and the values at the ranks the median and
    the 90th percentile read (`kpis_common.ranks`), ranked by the database. Spans read from
    the same rows and grouped by the same column are ranked by one query."""
    share = _sharing(query, span)
    spans = tuple(s for s in SPANS if _sharing(query, s) == share)
    ranked = query.cached(("ranked", share, query.group), lambda: _rank(query, spans))
    return ranked.get(span, {})


def _sharing(query: Query, span: str) -> tuple[Any, ...]:
    found = SPANS[span]
    month_field = found.trend_field if query.group == "month" else ""
    return (found.date_field, month_field, found.approved_only)


def _only(span: Span) -> dict[str, Any]:
    return {"approved": True} if span.approved_only else {}


def _rank(query: Query, spans: tuple[str, ...]) -> dict[str, Ranked]:
    """A window numbers the rows of each group in order of each span (no value last) and
    only the rows at a rank some percentile reads come back: a few per group instead of
    every invoice."""
    first = SPANS[spans[0]]
    rows = scoped(
        InvoiceCycle.objects.filter(**_only(first)),
        query.user,
        query.filters,
        date_field=first.date_field,
    )
    group: Any = None
    if query.group == "month":
        group = F(first.trend_field)
    elif query.group:
        group = F(DIMENSION_FIELDS[query.group])
    partition: Any = [group] if group is not None else None
    wanted = Q()
    names: list[tuple[str, str, str]] = []
    for index, span in enumerate(spans):
        rank, count = f"rank_{index}", f"count_{index}"
        order = F(span).asc(nulls_last=True)
        rows = rows.annotate(
            **{
                rank: Window(RowNumber(), partition_by=partition, order_by=order),
                count: Window(Count(span), partition_by=partition),
            }
        )
        n = F(count)
        wanted |= Q(**{rank: (n + 1) / 2}) | Q(**{rank: n / 2 + 1}) | Q(**{rank: (n * 9 + 9) / 10})
        names.append((span, rank, count))
    rows = rows.annotate(
        group=group if group is not None else SqlValue(None, output_field=IntegerField())
    )
    fields = ["group", *(name for triple in names for name in triple)]
    found: dict[str, Ranked] = {span: {} for span in spans}
    for row in rows.filter(wanted).values(*fields):
        if query.group == "month" and row["group"] is None:
            continue  # never submitted: no review span to place in a month
        key = None if query.group is None else _month_or_key(row["group"], query)
        for span, rank, count in names:
            value, at, n = row[span], row[rank], row[count]
            if value is not None and at in ranks_read(n):
                found[span].setdefault(key, (n, {}))[1][at] = value
    return found


def ranks_read(count: int) -> set[int]:
    return {*ranks(count, MEDIAN), *ranks(count, P90)}


def _listed_percentile(source: Any, fraction: Decimal) -> Any:
    """A percentile of durations in days that `source` lists per group (matters: a few
    thousand, read whole)."""

    def compute(query: Query) -> dict[Key, Value]:
        values: dict[Key, Value] = {
            key: percentile(days, fraction) for key, days in source(query).items()
        }
        return with_total(query, values, None)

    return compute


def _month_or_key(value: Any, query: Query) -> Key:
    if query.group == "month":
        day = value.date() if isinstance(value, datetime.datetime) else value
        return day.replace(day=1)
    return group_key(value)


# --- cycle-time percentiles from the monthly counts ---------------------------------------------

Spreads = dict[str, dict[Key, Spread]]


def _counted(query: Query) -> Spreads | None:
    """Per span, the values of each group (None: all, or by month) as `InvoiceCycleMonth`
    counts them (`reports.cycle_counts`), or None when the counts cannot answer: a firm or
    matter attribute filtered or split, or a user who sees only some matters (the database
    ranks those, `_rank`)."""
    if query.group not in (None, "month") or not firm_level(query) or query.filters.firm_ids:
        return None
    by_month = query.group == "month"
    return query.cached(
        ("cycle_counts", query.group), lambda: _spreads(query.filters, by_month=by_month)
    )


def _spreads(filters: Filters, *, by_month: bool) -> Spreads:
    """The spans' values, per trend month or all together (None): the counts of the period's
    whole months (summed by the database for the total), and the `InvoiceCycle` rows of a
    partial first or last month. A span without a month is left out of the months."""
    out: Spreads = {span: {} for span in SPANS}
    first, last = _whole_months(filters)
    if first is None or last is None or first <= last:
        counts = InvoiceCycleMonth.objects.all()
        if first is not None:
            counts = counts.filter(month__gte=first)
        if last is not None:
            counts = counts.filter(month__lte=last)
        found: Iterable[tuple[Any, ...]]
        if by_month:
            found = counts.values_list("span", "trend_month", "tenths", "count", "low", "high")
        else:
            total = {"n": Sum("count"), "lo": Min("low"), "hi": Max("high")}
            summed = counts.values("span", "tenths").annotate(**total).order_by()
            found = ((n, None, *rest) for n, *rest in summed.values_list("span", "tenths", *total))
        for name, trend, tenth, count, low, high in found:
            out[name].setdefault(trend, Spread()).add(tenth, count, low, high)
    for date_field in {span.date_field for span in SPANS.values()}:
        spans = [span for span in SPANS.values() if span.date_field == date_field]
        partial = _partial_months(filters, date_field)
        if partial is None:
            continue
        rows = InvoiceCycle.objects.filter(partial, **_only(spans[0]))
        columns = {f for span in spans for f in (span.column, span.trend_field)}
        for row in rows.values(*columns):
            for span in spans:
                value = row[span.column]
                if value is not None:
                    key = row[span.trend_field] if by_month else None
                    spread = out[span.column].setdefault(key, Spread())
                    spread.add(tenths(value, span.per_day), 1, value, value)
    if by_month:
        for groups in out.values():
            groups.pop(None, None)
    return out


def _whole_months(filters: Filters) -> tuple[datetime.date | None, datetime.date | None]:
    """The first days of the period's first and last whole month (None: unbounded)."""
    first = last = None
    if filters.date_from:
        start = filters.date_from
        first = start if start.day == 1 else month_bounds(start)[1] + datetime.timedelta(days=1)
    if filters.date_to:
        end = filters.date_to
        whole = month_bounds(end)[1] == end
        last = end.replace(day=1) if whole else (end.replace(day=1) - _ONE_DAY).replace(day=1)
    return first, last


_ONE_DAY = datetime.timedelta(days=1)


def _partial_months(filters: Filters, date_field: str) -> Q | None:
    """The days of the period in its partial first and last month, if any."""
    start, end = filters.date_from, filters.date_to
    ranges = []
    if start and start.day != 1:
        ranges.append((start, month_bounds(start)[1]))
    if end and month_bounds(end)[1] != end:
        ranges.append((end.replace(day=1), end))
    if not ranges:
        return None
    days = Q()
    for low, high in ranges:
        low, high = max(low, start or low), min(high, end or high)
        days |= Q(**{f"{date_field}__gte": low, f"{date_field}__lte": high})
    return days


def _percentile_of(span: str, fraction: Decimal) -> Any:
    if fraction not in (MEDIAN, P90):
        raise ValueError(f"{span}: only the median and the 90th percentile are ranked")
    per_day = SPANS[span].per_day

    def compute(query: Query) -> dict[Key, Value]:
        spreads = _counted(query)
        if spreads is not None:
            counted: dict[Key, Value] = {
                key: in_days(value_at_ranks(spread.count, fraction, spread.at), per_day)
                for key, spread in spreads[span].items()
            }
            return with_total(query, counted, None)
        ranked = query.cached(("ranked", span, query.group), lambda: _ranked(query, span))
        values: dict[Key, Value] = {
            key: in_days(value_at_ranks(n, fraction, by.__getitem__), per_day)
            for key, (n, by) in ranked.items()
        }
        return with_total(query, values, None)

    return compute


# --- aging of pending invoices ---------------------------------------------------------------


def _as_of(query: Query) -> datetime.date:
    return query.filters.date_to or timezone.localdate()


# The ages `_aging` counts (days before the as-of date; -1: every pending invoice).
_AGES = (-1, 30, 60, 90)


def _pending(query: Query) -> dict[Key, dict[str, int]]:
    """Per group, the invoices still open on the as-of date (the period's end, else today),
    received on or before it (the period's start does not apply): how many were received more
    than each of `_AGES` days before it ("over_0".."over_3") and their billed amount in the
    reporting currency ("value"). Counted and summed by the database; only invoices in another
    currency come back one by one, each converted with its own date's rate. The total is the
    firms' sum (an invoice has one firm), which the page's queues by firm read too."""
    if query.group is None:
        by_firm = _pending(dataclasses.replace(query, group="firm"))
        total: dict[str, int] = defaultdict(int)
        for sums in by_firm.values():
            for name, value in sums.items():
                total[name] += value
        return {None: dict(total)} if total else {}

    group = query.group

    def compute() -> dict[Key, dict[str, int]]:
        as_of = _as_of(query)
        undated = dataclasses.replace(query.filters, date_from=None, date_to=None)
        invoices = scoped(
            Invoice.objects.filter(state__in=OPEN_STATES, received_on__lte=as_of),
            query.user,
            undated,
            date_field="received_on",
        )
        invoices = invoices.annotate(group=F(DIMENSION_FIELDS[group]))
        converter = Converter(reporting_currency())
        own = Q(currency=converter.target)
        sums = {
            f"over_{i}": Count("pk", filter=Q(received_on__lt=as_of - datetime.timedelta(days)))
            for i, days in enumerate(_AGES)
        }
        rows: Any = invoices.values("group").annotate(**sums, value=Sum("billed_minor", filter=own))
        out: dict[Key, dict[str, int]] = {
            group_key(row["group"]): {name: int(row[name] or 0) for name in (*sums, "value")}
            for row in rows.order_by()
        }
        others = invoices.exclude(own).values("group", "billed_minor", "currency", "invoice_date")
        for row in others:
            amount = converter.convert(row["billed_minor"], row["currency"], row["invoice_date"])
            out[group_key(row["group"])]["value"] += amount or 0
        return out

    return query.cached(("pending", group), compute)


def _aging(query: Query, older_than: int) -> dict[Key, Value]:
    name = f"over_{_AGES.index(older_than)}"
    counts: dict[Key, Value] = {key: sums[name] for key, sums in _pending(query).items()}
    return with_total(query, counts, 0)


def pending_value(query: Query) -> dict[Key, Value]:
    values: dict[Key, Value] = {key: sums["value"] for key, sums in _pending(query).items()}
    return with_total(query, values, 0)


# --- appeals and first-pass acceptance -------------------------------------------------------


def appeal_rate(query: Query) -> dict[Key, Value]:
    # Led by the appeals (a few per hundred invoices), not by a probe per invoice.
    invoices = scoped(
        Invoice.objects.filter(pk__in=Appeal.objects.values("invoice_id"), state__in=SPENT_STATES),
        query.user,
        query.filters,
        date_field="invoice_date",
    )
    appealed: dict[Key, int] = defaultdict(int)
    for row in _grouped_rows(invoices, query, ["invoice_date"]):
        appealed[_key(row, query, "invoice_date")] += 1
    values: dict[Key, Value] = {
        key: ratio(appealed.get(key, 0), sums["adjusted_count"])
        for key, sums in invoice_sums(query).items()
    }
    return with_total(query, values, None)


def first_pass_acceptance(query: Query) -> dict[Key, Value]:
    rows = scoped(
        InvoiceCycle.objects.filter(first_pass__isnull=False),
        query.user,
        query.filters,
        date_field="decided_on",
    )
    if query.group == "month":
        rows = rows.annotate(group=F("decided_month"))
    elif query.group:
        rows = rows.annotate(group=F(DIMENSION_FIELDS[query.group]))
    counts = {"total": Count("pk"), "passed": Count("pk", filter=Q(first_pass=True))}
    if query.group is None:
        totals = rows.aggregate(**counts)
        sums = [{"group": None, **totals}]
    else:
        annotated: Any = rows  # carries the "group" annotation made above
        sums = list(annotated.values("group").annotate(**counts).order_by())
    values: dict[Key, Value] = {
        (_month_or_key(row["group"], query) if query.group else None): ratio(
            row["passed"], row["total"]
        )
        for row in sums
        if row["total"]
    }
    return with_total(query, values, None)


# --- matters ---------------------------------------------------------------------------------


def matters_in_scope(query: Query) -> QuerySet[Matter]:
    matters = Matter.objects.all()
    scope = report_matter_scope(query.user)
    if scope is not None:
        matters = matters.filter(scope)
    f = query.filters
    if f.firm_ids:
        assigned = MatterFirm.objects.filter(matter_id=OuterRef("pk"), firm_id__in=f.firm_ids)
        matters = matters.filter(Exists(assigned))
    if f.practice_area_ids:
        matters = matters.filter(practice_area_id__in=f.practice_area_ids)
    if f.business_unit_ids:
        matters = matters.filter(business_unit_id__in=f.business_unit_ids)
    if f.matter_types:
        matters = matters.filter(matter_type__in=f.matter_types)
    return matters


def of_matters_in_scope[M: Model](queryset: QuerySet[M], query: Query) -> QuerySet[M]:
    """`queryset` (rows with a `matter`) limited to `matters_in_scope`; as it is when that is
    every matter (a user who sees the whole department, no firm or matter filter): the
    sub-query would cost SQLite a look-up per row for nothing (7 ms of the 15,000 accruals
    at large scale)."""
    f = query.filters
    narrowed = f.firm_ids or f.practice_area_ids or f.business_unit_ids or f.matter_types
    if not narrowed and report_matter_scope(query.user) is None:
        return queryset
    return queryset.filter(matter__in=matters_in_scope(query))


_MATTER_GROUPS = {
    "practice_area": "practice_area_id",
    "business_unit": "business_unit_id",
    "matter_type": "matter_type",
}


def _matter_rows(query: Query) -> list[tuple[Any, ...]]:
    """Every matter in scope as (opened on, closed on, practice area, business unit, matter
    type): read once per page (a few thousand rows) for every grouping of the matter cycle
    time and the open-matter age, which pick their matters and groups from it."""

    def compute() -> list[tuple[Any, ...]]:
        fields = ("opened_on", "closed_on", *_MATTER_GROUPS.values())
        return list(matters_in_scope(query).values_list(*fields))

    return query.cached("matter_rows", compute)


def _matter_group(query: Query, row: tuple[Any, ...], finish: datetime.date) -> Key:
    if query.group is None:
        return None
    if query.group == "month":
        return finish.replace(day=1)
    return group_key(row[2 + list(_MATTER_GROUPS).index(query.group)])


def matter_cycle_durations(query: Query) -> dict[Key, list[int]]:
    """Days from opening to closing of the matters closed in the period, per group."""
    first, last = query.filters.date_from, query.filters.date_to
    out: dict[Key, list[int]] = defaultdict(list)
    for row in _matter_rows(query):
        opened, closed = row[0], row[1]
        if closed is None or (first and closed < first) or (last and closed > last):
            continue
        out[_matter_group(query, row, closed)].append((closed - opened).days)
    return out


def open_matter_ages(query: Query) -> dict[Key, list[int]]:
    """Days since opening of the matters open on the as-of date, per group."""
    as_of = _as_of(query)
    out: dict[Key, list[int]] = defaultdict(list)
    for row in _matter_rows(query):
        opened, closed = row[0], row[1]
        if opened > as_of or (closed is not None and closed <= as_of):
            continue
        out[_matter_group(query, row, as_of)].append((as_of - opened).days)
    return out


_STAGES = "Days from receipt to the first decision"
_CYCLES = "invoice cycle times (one rollup row per approved invoice, from its state changes)"
_kpi(
    "invoice_cycle_time_days_median",
    "Invoice cycle time (median)",
    f"{_STAGES} (approval), median over invoices approved in the period (by approval date).",
    "days",
    _percentile_of("approval_seconds", MEDIAN),
    reads=_CYCLES,
)
_kpi(
    "invoice_cycle_time_days_p90",
    "Invoice cycle time (90th percentile)",
    f"{_STAGES} (approval), 90th percentile (nearest rank) over invoices approved in the period.",
    "days",
    _percentile_of("approval_seconds", P90),
    reads=_CYCLES,
)
_kpi(
    "review_stage_days_median",
    "Review stage (median)",
    "Days from receipt to submission for approval, median over invoices approved in the "
    "period (by approval date).",
    "days",
    _percentile_of("review_seconds", MEDIAN),
    reads=_CYCLES,
)
_kpi(
    "approval_stage_days_median",
    "Approval stage (median)",
    "Days from submission for approval to approval, median over invoices approved in the "
    "period (by approval date).",
    "days",
    _percentile_of("approval_stage_seconds", MEDIAN),
    reads=_CYCLES,
)
_kpi(
    "invoice_to_payment_days_median",
    "Receipt to payment (median)",
    "Days from the receipt date to the payment date, median over invoices paid in the period "
    "(by payment date).",
    "days",
    _percentile_of("payment_days", MEDIAN),
)
_PENDING = "Invoices still received, in review, pending approval, on hold or under appeal on "
_AS_OF = "the period's end (today without one)"
_kpi(
    "pending_invoices",
    "Pending invoices",
    f"{_PENDING}{_AS_OF}.",
    "count",
    lambda query: _aging(query, -1),
    dimensions=NO_MONTH,
)
_kpi(
    "pending_value",
    "Pending invoices' value",
    f"Billed amount of the {_PENDING.lower()}{_AS_OF}.",
    "money",
    pending_value,
    dimensions=NO_MONTH,
)
for _days_old in (30, 60, 90):
    _kpi(
        f"pending_over_{_days_old}_days",
        f"Pending over {_days_old} days",
        f"{_PENDING}{_AS_OF}, received more than {_days_old} days before it.",
        "count",
        lambda query, days=_days_old: _aging(query, days),
        dimensions=NO_MONTH,
    )
_kpi(
    "appeal_rate",
    "Appeal rate",
    "Approved invoices (by invoice date) with at least one appeal / approved invoices with at "
    "least one adjustment still standing.",
    "percent",
    appeal_rate,
    reads="invoices, appeals and invoice rollups",
    section="Review",
)
_kpi(
    "first_pass_acceptance",
    "First-pass acceptance",
    "Original submissions (not resubmissions) decided in the period that were approved and "
    "never rejected / original submissions decided in the period.",
    "percent",
    first_pass_acceptance,
    section="Review",
)
_kpi(
    "matter_cycle_time_days_median",
    "Matter cycle time (median)",
    "Days from opening to closing, median over matters closed in the period.",
    "days",
    _listed_percentile(matter_cycle_durations, MEDIAN),
    reads="matters",
    dimensions=MATTER_DIMENSIONS,
    section="Matters",
)
_kpi(
    "open_matter_age_days_median",
    "Open-matter age (median)",
    f"Days since opening of the matters open on {_AS_OF}, median.",
    "days",
    _listed_percentile(open_matter_ages, MEDIAN),
    reads="matters",
    dimensions=MATTER_DIMENSIONS[:3],
    section="Matters",
)
