"""Finance and panel-economics KPIs of reference/market-and-kpis.md §5.4 that the rollups alone
cannot give: accrual accuracy (accruals against the work later billed for the same month),
the share of fees under alternative fee arrangements, cost per closed matter, the change of
approved rates between consecutive rate-card periods, and the share of matters kept in house.

Each reads the smallest source that answers it (named in `reads`): the invoice rollups where
the invoice date is the right date, the work-month rollup where the work date is, the rate
cards and the matters otherwise. Scope and filters as everywhere: attorneys see
their matters' numbers; a filter that cannot apply to a KPI is named in its formula.
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
from collections import defaultdict
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Exists, F, OuterRef, Q, Sum

from legalops.matters.models import Accrual, AccrualPeriod, FeeArrangement, MatterFirm
from legalops.reports import rate_changes
from legalops.reports.kpis_common import group_key, ratio, with_total
from legalops.reports.kpis_ops import MATTER_DIMENSIONS, matters_in_scope, of_matters_in_scope
from legalops.reports.kpis_spend import BILLED, SPENT
from legalops.reports.models import InvoiceMonth, WorkMonth
from legalops.reports.registry import (
    ROLLUP_DIMENSIONS,
    Key,
    Query,
    Value,
    kpi_definer,
)
from legalops.reports.rollups import Converter, month_of
from legalops.reports.selectors import (
    DIMENSION_FIELDS,
    month_bounds,
    reporting_currency,
    scoped,
)

# Where a dimension lives on a matter row (`Matter.objects.values(...)`).
_MATTER_FIELDS = {
    "practice_area": "practice_area_id",
    "business_unit": "business_unit_id",
    "matter_type": "matter_type",
}


_kpi = kpi_definer()  # every KPI here names its section, data and dimensions


@functools.cache
def _month_end(month: datetime.date) -> datetime.date:
    return month_bounds(month)[1]


def _in_period(query: Query, field: str, *, months: bool = False) -> Q:
    """`field` within the period; with `months` the field is a month's first day and a period
    starting mid-month counts that whole month."""
    f = query.filters
    q = Q()
    if f.date_from:
        q &= Q(**{f"{field}__gte": f.date_from.replace(day=1) if months else f.date_from})
    if f.date_to:
        q &= Q(**{f"{field}__lte": f.date_to})
    return q


# --- accrual accuracy ------------------------------------------------------------------------

# (matter id, firm id, first day of the work month)
WorkKey = tuple[int, int, datetime.date]


def accrual_accuracy(query: Query) -> dict[Key, Value]:
    """Per accrual in scope (one matter, firm and month): |accrued - later billed|, summed
    per group, over the later billed amounts summed per group."""
    converter = Converter(reporting_currency())
    periods = dict(
        AccrualPeriod.objects.filter(_in_period(query, "month", months=True)).values_list(
            "pk", "month"
        )
    )
    billed = _billed_by_work_month(query, set(periods.values()))
    month_ends = {pk: _month_end(month) for pk, month in periods.items()}
    off: dict[Key, int] = defaultdict(int)
    later: dict[Key, int] = defaultdict(int)
    for matter_id, firm_id, period_id, current, currency, *group in _accruals(query, periods):
        month = periods[period_id]
        accrued = converter.convert(current, currency, month_ends[period_id])
        amount = billed.get((matter_id, firm_id, month), 0)
        if accrued is None or amount is None:
            continue  # an amount without an FX rate: left out, never guessed
        key = _accrual_key(query, month, group)
        off[key] += abs(accrued - amount)
        later[key] += amount
    return with_total(query, {k: ratio(off[k], later[k]) for k in off}, None)


def _accrual_key(query: Query, month: datetime.date, group: list[Any]) -> Key:
    if query.group is None:
        return None
    if query.group == "month":
        return month
    return group_key(group[0])


def _accruals(query: Query, periods: dict[int, datetime.date]) -> Iterable[tuple[Any, ...]]:
    """(matter, firm, period, current amount, currency[, group]) of the accruals of these
    periods on matters in scope (the firm filter: that firm's accruals), as tuples: a
    large department has tens of thousands."""
    rows = of_matters_in_scope(Accrual.objects.filter(period_id__in=periods), query)
    if query.filters.firm_ids:
        rows = rows.filter(firm_id__in=query.filters.firm_ids)
    fields = ["matter_id", "firm_id", "period_id", "current_minor", "currency"]
    if query.group and query.group != "month":
        fields.append(DIMENSION_FIELDS[query.group])
    return rows.order_by().values_list(*fields).iterator(chunk_size=5000)


def _billed_by_work_month(query: Query, months: set[datetime.date]) -> dict[WorkKey, int | None]:
    """Fees and expenses (lines before tax, adjustment lines included) billed per matter, firm
    and month of the work (the line's date; an undated line the invoice date) on invoices not
    rejected, resubmitted or voided, dated on or after the work month's first day (invoiced
    in that month or later); the amounts of one matter, firm, currency, invoice date and work
    month converted together at that date's rate. None for a month with an amount that has
    no FX rate.

    One grouped query over the work-month rollup (`WorkMonth`: a row per invoice month and
    work month of each firm, matter and currency) for the accrued months, within the user's
    scope and the filters, so the cost follows the accruals, not the invoice lines behind
    them."""
    if not months:
        return {}
    undated = dataclasses.replace(query.filters, date_from=None, date_to=None)
    rows = scoped(
        WorkMonth.objects.filter(work_month__in=months, month__gte=F("work_month")),
        query.user,
        undated,
        date_field="month",
    )
    sums = (
        rows.values("matter_id", "firm_id", "work_month")
        .annotate(billed=Sum("billed_rc"), unconverted=Sum("unconverted"))
        .order_by()
        .values_list("matter_id", "firm_id", "work_month", "billed", "unconverted")
    )
    return {
        (matter_id, firm_id, month): None if unconverted else billed
        for matter_id, firm_id, month, billed, unconverted in sums.iterator(chunk_size=5000)
    }


_kpi(
    "accrual_accuracy",
    "Accrual accuracy (error)",
    "Sum over the accruals of the periods whose month is in the period (one per matter, firm "
    "and month) of abs(accrued - later billed) / sum of later billed (0 is a perfect accrual). "
    "Accrued: the firm's 'current period unbilled' amount, converted at the month's last day. "
    "Later billed: fees and expenses (before tax) of that firm on that matter for work dated "
    "in that month (an undated line: its invoice date), on invoices not rejected, resubmitted "
    "or voided (received, in review, pending approval, on hold, approved, sent to AP, paid or "
    "under appeal), dated on or after the month's first day, converted at the invoice date.",
    "percent",
    accrual_accuracy,
    reads="accruals, and the work-month rollup (billed line amounts by the month of the work "
    "and the month of the invoice)",
    dimensions=ROLLUP_DIMENSIONS,
    section="Matters",
)


# --- alternative fee arrangements ------------------------------------------------------------


def afa_share(query: Query) -> dict[Key, Value]:
    rows = scoped(InvoiceMonth.objects.all(), query.user, query.filters, date_field="month")
    if query.group == "month":
        afa = MatterFirm.objects.filter(
            matter_id=OuterRef("matter_id"), firm_id=OuterRef("firm_id")
        ).exclude(fee_arrangement=FeeArrangement.HOURLY)
        sums = {"afa_fees": Sum("fees_rc", filter=Q(afa=True)), "fees": Sum("fees_rc")}
        grouped: Any = rows.annotate(afa=Exists(afa)).values("month").annotate(**sums).order_by()
        return {
            group_key(row["month"]): ratio(row["afa_fees"] or 0, row["fees"] or 0)
            for row in grouped
        }
    # Summed per engagement (firm, matter) first and matched with the engagements whose
    # arrangement is not hourly in Python: a few thousand pairs instead of a correlated
    # look-up per rollup row (200 ms on PostgreSQL over all time at large scale).
    pairs = set(
        MatterFirm.objects.exclude(fee_arrangement=FeeArrangement.HOURLY).values_list(
            "firm_id", "matter_id"
        )
    )
    field = DIMENSION_FIELDS[query.group] if query.group else None
    keys = ("firm_id", "matter_id", *((field,) if field else ()))
    afa_fees: dict[Key, int] = defaultdict(int)
    fees: dict[Key, int] = defaultdict(int)
    for row in rows.values(*keys).annotate(fees=Sum("fees_rc")).order_by():
        key = group_key(row[field]) if field else None
        amount = row["fees"] or 0
        fees[key] += amount
        if (row["firm_id"], row["matter_id"]) in pairs:
            afa_fees[key] += amount
    if query.group is None:
        return {None: ratio(afa_fees[None], fees[None])}
    return {key: ratio(afa_fees[key], total) for key, total in fees.items()}


_kpi(
    "afa_share",
    "AFA share of fees",
    "Fees billed on engagements (a firm on a matter) whose fee arrangement is not hourly "
    "(capped, fixed or blended rate; the engagement's current arrangement) / all fees billed, "
    f"on {BILLED}.",
    "percent",
    afa_share,
    reads="invoice rollups and the matters' firm engagements",
    dimensions=ROLLUP_DIMENSIONS,
    section="Spend",
)


# --- cost per matter -------------------------------------------------------------------------


def _matter_key(query: Query, row: dict[str, Any], day: str) -> Key:
    if query.group is None:
        return None
    if query.group == "month":
        return month_of(row[day])
    return group_key(row[_MATTER_FIELDS[query.group]])


def _matter_fields(day: str) -> list[str]:
    """Every field a matter KPI groups by: the rows are read once per page and grouped
    in Python for the key figure and each split."""
    return ["pk", day, *_MATTER_FIELDS.values()]


def cost_per_matter(query: Query) -> dict[Key, Value]:
    totals: dict[Key, int] = defaultdict(int)
    counts: dict[Key, int] = defaultdict(int)
    for row, spent in query.cached("closed_matters", lambda: _closed_matters(query)):
        key = _matter_key(query, row, "closed_on")
        totals[key] += spent
        counts[key] += 1
    values: dict[Key, Value] = {k: _per(totals[k], n) for k, n in counts.items()}
    return with_total(query, values, None)


def _closed_matters(query: Query) -> list[tuple[dict[str, Any], int]]:
    """The matters closed in the period, each with its approved spend over its life."""
    closed = matters_in_scope(query).filter(_in_period(query, "closed_on"), closed_on__isnull=False)
    spend_rows = scoped(
        InvoiceMonth.objects.filter(matter__in=closed),
        query.user,
        dataclasses.replace(query.filters, date_from=None, date_to=None),
        date_field="month",
    )
    spend = dict(
        spend_rows.values("matter_id")
        .annotate(total=Sum("approved_rc"))
        .values_list("matter_id", "total")
    )
    return [
        (row, spend.get(row["pk"], 0) or 0) for row in closed.values(*_matter_fields("closed_on"))
    ]


def _per(total: int, count: int) -> int:
    return int((Decimal(total) / count).quantize(Decimal(1), rounding=ROUND_HALF_UP))


_kpi(
    "cost_per_matter",
    "Cost per closed matter",
    "Approved spend over the whole life of the matters closed in the period (by closing date; "
    f"approved amounts of {SPENT}, whatever their invoice date; with a firm filter, that "
    "firm's spend on the matters it was engaged on) / the number of those matters (matters "
    "without outside spend count as 0). Split by matter type: the cost of resolution by type.",
    "money",
    cost_per_matter,
    reads="matters and invoice rollups",
    dimensions=MATTER_DIMENSIONS,
    section="Matters",
)


# --- work kept in house ----------------------------------------------------------------------


def work_kept_in_house(query: Query) -> dict[Key, Value]:
    kept: dict[Key, int] = defaultdict(int)
    counts: dict[Key, int] = defaultdict(int)
    for row in query.cached("opened_matters", lambda: _opened_matters(query)):
        key = _matter_key(query, row, "opened_on")
        counts[key] += 1
        kept[key] += 0 if row["outside"] else 1
    return with_total(query, {k: ratio(kept[k], n) for k, n in counts.items()}, None)


def _opened_matters(query: Query) -> list[dict[str, Any]]:
    """The matters opened in the period (any firm), each with `outside`: a firm was ever
    assigned, or an invoice ever received (the invoice rollup has a row for every invoice's
    matter, whatever its state, a rejected or voided one included). The matters with either
    are read as two distinct id lists, which costs less than a probe of both tables per matter
    (34 -> about 15 ms on PostgreSQL at large scale)."""
    anyfirm = Query(user=query.user, filters=dataclasses.replace(query.filters, firm_ids=()))
    opened = matters_in_scope(anyfirm).filter(_in_period(query, "opened_on"))
    rows = list(opened.order_by().values(*_matter_fields("opened_on")))
    if rows:
        outside = set(MatterFirm.objects.order_by().values_list("matter_id", flat=True).distinct())
        outside.update(
            InvoiceMonth.objects.order_by().values_list("matter_id", flat=True).distinct()
        )
        for row in rows:
            row["outside"] = row["pk"] in outside
    return rows


_kpi(
    "work_kept_in_house",
    "Work kept in house",
    "Matters opened in the period (by opening date) with no outside firm: no firm ever "
    "assigned (active or not) and no invoice received / all matters opened in the period. "
    "The firm filter does not apply.",
    "percent",
    work_kept_in_house,
    reads="matters, their firm engagements and invoices",
    dimensions=MATTER_DIMENSIONS,
    section="Matters",
)


# --- rate change -----------------------------------------------------------------------------


def _average(field: str) -> Any:
    """The average change (`field`: "change" or "annualised") of the approved rates that took
    effect in the period (`reports.rate_changes`), per grouping."""

    def compute(query: Query) -> dict[Key, Value]:
        f = query.filters
        found = query.cached(
            ("rate_changes", query.group),
            lambda: rate_changes.sums(
                date_from=f.date_from, date_to=f.date_to, firm_ids=f.firm_ids, group=query.group
            ),
        )
        values: dict[Key, Value] = {}
        for key, group in found.items():
            total, count = (
                (group.change, group.changes)
                if field == "change"
                else (group.annualised, group.annualised_count)
            )
            if count:
                values[key] = ratio(total, count * 100)
        return with_total(query, values, None)

    return compute


_CHANGES = (
    "over the approved firm-wide rates (rate cards: a timekeeper's rate, or a classification's "
    "without a timekeeper; not matter-specific ones) that took effect in the period and "
    "followed an earlier rate of the same timekeeper (or classification) at the same firm in "
    "the same currency; as rate requests show each change, in % to 2 places. The practice "
    "area, business unit and matter type filters do not apply."
)
_kpi(
    "rate_change_pct",
    "Rate change",
    f"Average of (new rate - prior rate) / prior rate {_CHANGES}",
    "percent",
    _average("change"),
    reads="rate cards (approved rates and their effective dates)",
    dimensions=("firm", "classification", "month"),
    section="Rates and staffing",
)
_kpi(
    "rate_change_annualised_pct",
    "Rate change (annualised)",
    "Average of (new rate / prior rate) ^ (365 / days between the two effective dates) - 1 "
    f"{_CHANGES}",
    "percent",
    _average("annualised"),
    reads="rate cards (approved rates and their effective dates)",
    dimensions=("firm", "classification", "month"),
    section="Rates and staffing",
)
