"""Matter-side KPIs: accrual compliance and budget variance, from the matters app's records
and the invoice rollups."""

from __future__ import annotations

import datetime
from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass
from itertools import accumulate
from typing import Any

from django.db.models import Case, Count, Exists, F, IntegerField, OuterRef, Q, Sum, Value, When
from django.utils import timezone

from legalops.matters.models import Accrual, AccrualPeriod, Budget
from legalops.matters.selectors import open_assignments
from legalops.organization.selectors import company_get
from legalops.reports.kpis_common import group_key, ratio, with_total
from legalops.reports.kpis_ops import of_matters_in_scope
from legalops.reports.models import InvoiceMonth
from legalops.reports.registry import Key, Kpi, Query, register
from legalops.reports.registry import Value as KpiValue
from legalops.reports.rollups import Converter


def accrual_compliance(query: Query) -> dict[Key, KpiValue]:
    """Over the accrual periods whose month lies in the period: assignments asked (the
    matters app's `expected_reports`: the open assignments on matters opened by the
    period's deadline) and those answered by the deadline.

    Two queries whatever the number of periods: the open assignments in scope counted per
    matter opening date (each period asks those opened by its deadline), and the accruals
    answered on time by an assignment that period asks, counted by the database."""
    periods = AccrualPeriod.objects.all()
    if query.filters.date_from:
        periods = periods.filter(month__gte=query.filters.date_from.replace(day=1))
    if query.filters.date_to:
        periods = periods.filter(month__lte=query.filters.date_to)
    deadlines = dict(periods.values_list("pk", "deadline"))
    if not deadlines:
        return {None: None}
    assignments = of_matters_in_scope(open_assignments().select_related(None), query)
    if query.filters.firm_ids:
        assignments = assignments.filter(firm_id__in=query.filters.firm_ids)
    opened = sorted(
        assignments.values("matter__opened_on")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("matter__opened_on", "n")
    )
    days = [day for day, _ in opened]
    running = list(accumulate(n for _, n in opened))
    asked = sum(running[at - 1] for at in (bisect_right(days, d) for d in deadlines.values()) if at)
    asking = assignments.filter(
        matter_id=OuterRef("matter_id"),
        firm_id=OuterRef("firm_id"),
        matter__opened_on__lte=OuterRef("period__deadline"),
    )
    # Reported by the end of the deadline's day (local time), as a bound on the stored
    # datetime: casting every row's datetime to a date calls Python per row on SQLite.
    in_time = Q()
    for pk, deadline in deadlines.items():
        end = datetime.datetime.combine(deadline + datetime.timedelta(days=1), datetime.time())
        in_time |= Q(period_id=pk, reported_at__lt=timezone.make_aware(end))
    on_time = Accrual.objects.filter(in_time, Exists(asking)).count()
    return {None: ratio(on_time, asked)}


register(
    Kpi(
        id="accrual_compliance",
        name="Accrual compliance",
        formula="Over the accrual periods whose month is in the period: firm assignments "
        "(active, on matters not closed) that reported their accrual by the deadline / "
        "assignments asked.",
        unit="percent",
        reads="accrual periods and accruals",
        compute=accrual_compliance,
        section="Matters",
    )
)


# --- budgets ---------------------------------------------------------------------------------

BUDGET_DIMENSIONS = ("firm", "matter", "practice_area", "business_unit", "matter_type")
_BUDGET_FIELDS = {
    "firm": "firm_id",
    "matter": "matter_id",
    "practice_area": "matter__practice_area_id",
    "business_unit": "matter__business_unit_id",
    "matter_type": "matter__matter_type",
}


@dataclass
class BudgetUse:
    key: Key
    budget_rc: int
    spent_rc: int


def budget_uses(query: Query, *, in_period: bool) -> list[BudgetUse]:
    """Every approved budget in scope (of a fiscal year overlapping the period when
    `in_period`) with its approved spend: the firm's approved invoices on the matter in the
    budget's currency over the fiscal year to date (as `matters.budgets` compares them),
    both converted to the reporting currency at the fiscal year's first day."""

    field = _BUDGET_FIELDS[query.group] if query.group else None
    return [
        BudgetUse(group_key(budget[field]) if field else None, budget_rc, spent_rc)
        for budget, budget_rc, spent_rc in _converted_budgets(query, in_period=in_period)
    ]


def _converted_budgets(query: Query, *, in_period: bool) -> list[tuple[Any, int, int]]:
    """The budgets of `budget_uses` with their budget and spend in the reporting currency,
    computed once per page for every grouping (and once for both variants when the period
    is all time)."""

    def compute() -> list[tuple[Any, int, int]]:
        company = company_get()
        converter = Converter(company.reporting_currency)
        budgets = _budgets(query, company, in_period)
        spent = _budget_spend(budgets, company)
        out = []
        starts: dict[int, datetime.date] = {}
        for budget in budgets.values("currency", "fiscal_year", "total", *_BUDGET_FIELDS.values()):
            year = budget["fiscal_year"]
            start = starts.get(year) or starts.setdefault(year, company.fiscal_year_bounds(year)[0])
            used = spent.get(
                (budget["matter_id"], budget["firm_id"], budget["currency"], budget["fiscal_year"]),
                0,
            )
            rc = [converter.convert(v, budget["currency"], start) for v in (budget["total"], used)]
            if rc[0] is not None and rc[1] is not None:
                out.append((budget, rc[0], rc[1]))
        return out

    # Without dates the period selects every fiscal year: both variants are the same budgets.
    dated = bool(query.filters.date_from or query.filters.date_to)
    return query.cached(("budgets", in_period and dated), compute)


def _budgets(query: Query, company: Any, in_period: bool) -> Any:
    budgets = of_matters_in_scope(Budget.objects.filter(approved_version__isnull=False), query)
    if query.filters.firm_ids:
        budgets = budgets.filter(firm_id__in=query.filters.firm_ids)
    if in_period and query.filters.date_from:
        budgets = budgets.filter(fiscal_year__gte=company.fiscal_year_of(query.filters.date_from))
    if in_period and query.filters.date_to:
        budgets = budgets.filter(fiscal_year__lte=company.fiscal_year_of(query.filters.date_to))
    return budgets.annotate(total=F("approved_version__total_minor"))


def _budget_spend(budgets: Any, company: Any) -> dict[tuple[int, int, str, int], int]:
    """Approved spend (invoice currency) per (matter, firm, currency, fiscal year) over
    the fiscal year to date, for the fiscal years and matters of `budgets`: summed by the
    database from the invoice rollup, so a page reads one row per budgeted firm and matter
    instead of every matter's every month (tens of thousands on a large database)."""
    years = set(budgets.order_by().values_list("fiscal_year", flat=True).distinct())
    if not years:
        return {}
    today = timezone.localdate()
    spans = {}
    for fiscal_year in sorted(years):
        first, last = company.fiscal_year_bounds(fiscal_year)
        spans[fiscal_year] = (first, min(last, today))
    # Fiscal years do not overlap, so each month falls in at most one of them.
    year_of = Case(
        *(
            When(month__gte=first, month__lte=last, then=Value(fiscal_year))
            for fiscal_year, (first, last) in spans.items()
        ),
        output_field=IntegerField(),
    )
    rows = (
        InvoiceMonth.objects.filter(
            approved_minor__gt=0, matter__in=budgets.order_by().values("matter_id")
        )
        .annotate(fiscal_year=year_of)
        .filter(fiscal_year__isnull=False)
        .values("matter_id", "firm_id", "currency", "fiscal_year")
        .annotate(spent=Sum("approved_minor"))
        .order_by()
        .values_list("matter_id", "firm_id", "currency", "fiscal_year", "spent")
    )
    return {(m, f, c, fy): spent for m, f, c, fy, spent in rows}


def _variance(in_period: bool) -> Any:
    def compute(query: Query) -> dict[Key, KpiValue]:
        budget: dict[Key, int] = defaultdict(int)
        spent: dict[Key, int] = defaultdict(int)
        for use in budget_uses(query, in_period=in_period):
            budget[use.key] += use.budget_rc
            spent[use.key] += use.spent_rc
        values: dict[Key, KpiValue] = {k: ratio(spent[k] - budget[k], budget[k]) for k in budget}
        return with_total(query, values, None)

    return compute


def within_budget(query: Query) -> dict[Key, KpiValue]:
    within: dict[Key, int] = defaultdict(int)
    total: dict[Key, int] = defaultdict(int)
    for use in budget_uses(query, in_period=True):
        total[use.key] += 1
        within[use.key] += 1 if use.spent_rc <= use.budget_rc else 0
    return with_total(query, {k: ratio(within[k], n) for k, n in total.items()}, None)


for kpi_id, name, formula, compute in (
    (
        "budget_variance",
        "Budget variance (period)",
        "(Approved spend - approved budget) / approved budget, over the budgets of the fiscal "
        "years in the period; spend is the firm's approved invoices on the matter in the "
        "budget's currency over the fiscal year to date.",
        _variance(True),
    ),
    (
        "budget_variance_ltd",
        "Budget variance (life to date)",
        "(Approved spend - approved budget) / approved budget, over every fiscal year's "
        "budget of the matters in scope (the period does not apply).",
        _variance(False),
    ),
    (
        "matters_within_budget",
        "Budgets kept",
        "Budgets of the fiscal years in the period whose approved spend to date is within the "
        "approved budget / those budgets.",
        within_budget,
    ),
):
    register(
        Kpi(
            id=kpi_id,
            name=name,
            formula=formula,
            unit="percent",
            reads="budgets and invoice rollups",
            dimensions=BUDGET_DIMENSIONS,
            compute=compute,
            section="Matters",
        )
    )
