"""Matter-side KPIs: accrual compliance and budget variance, from the matters app's records
and the invoice rollups."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import F, Q
from django.utils import timezone

from legalops.matters.accruals import expected_reports
from legalops.matters.models import Accrual, AccrualPeriod, Budget
from legalops.organization.selectors import company_get
from legalops.reports.kpis_common import group_key, ratio, with_total
from legalops.reports.kpis_ops import matters_in_scope
from legalops.reports.models import InvoiceMonth
from legalops.reports.registry import Filters, Key, Kpi, Query, register
from legalops.reports.registry import Value as KpiValue
from legalops.reports.rollups import Converter
from legalops.reports.selectors import report_matter_scope


def accrual_compliance(query: Query) -> dict[Key, KpiValue]:
    """Over the accrual periods whose month lies in the period: assignments asked (the
    matters app's `expected_reports`) and those answered by the deadline."""
    periods = AccrualPeriod.objects.all()
    if query.filters.date_from:
        periods = periods.filter(month__gte=query.filters.date_from.replace(day=1))
    if query.filters.date_to:
        periods = periods.filter(month__lte=query.filters.date_to)
    matters = matters_in_scope(query)
    asked = on_time = 0
    for period in periods:
        expected = expected_reports(period).filter(matter__in=matters)
        if query.filters.firm_ids:
            expected = expected.filter(firm_id__in=query.filters.firm_ids)
        pairs = set(expected.values_list("matter_id", "firm_id"))
        answered = Accrual.objects.filter(
            Q(reported_at__date__lte=period.deadline), period=period, matter__in=matters
        ).values_list("matter_id", "firm_id")
        asked += len(pairs)
        on_time += len(pairs & set(answered))
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
    computed once per page for every grouping."""

    def compute() -> list[tuple[Any, int, int]]:
        company, today = company_get(), timezone.localdate()
        converter = Converter(company.reporting_currency)
        spent = _monthly_spend(query)
        out = []
        for budget in _budgets(query, company, in_period):
            start, end = company.fiscal_year_bounds(budget["fiscal_year"])
            months = spent.get((budget["matter_id"], budget["firm_id"], budget["currency"]), {})
            first, last = start.replace(day=1), min(end, today)
            used = sum(v for m, v in months.items() if first <= m <= last)
            rc = [converter.convert(v, budget["currency"], start) for v in (budget["total"], used)]
            if rc[0] is not None and rc[1] is not None:
                out.append((budget, rc[0], rc[1]))
        return out

    return query.cached(("budgets", in_period), compute)


def _monthly_spend(query: Query) -> dict[tuple[int, int, str], dict[Any, int]]:
    """Approved spend (invoice currency) per (matter, firm, currency) and month of the
    matters in scope: one query per page, whatever the grouping or period of the budgets
    (a page asks for budget uses up to four times)."""

    def compute() -> dict[tuple[int, int, str], dict[Any, int]]:
        rows = InvoiceMonth.objects.filter(approved_minor__gt=0)
        if report_matter_scope(query.user) is not None or _narrowed(query.filters):
            rows = rows.filter(matter__in=matters_in_scope(query))
        out: dict[tuple[int, int, str], dict[Any, int]] = defaultdict(dict)
        for matter_id, firm_id, currency, month, total in rows.values_list(
            "matter_id", "firm_id", "currency", "month", "approved_minor"
        ).iterator(chunk_size=5000):
            out[(matter_id, firm_id, currency)][month] = total
        return out

    return query.cached("monthly_spend", compute)


def _narrowed(filters: Filters) -> bool:
    return bool(
        filters.firm_ids
        or filters.practice_area_ids
        or filters.business_unit_ids
        or filters.matter_types
    )


def _budgets(query: Query, company: Any, in_period: bool) -> Any:
    budgets = Budget.objects.filter(
        approved_version__isnull=False, matter__in=matters_in_scope(query)
    )
    if query.filters.firm_ids:
        budgets = budgets.filter(firm_id__in=query.filters.firm_ids)
    if in_period and query.filters.date_from:
        budgets = budgets.filter(fiscal_year__gte=company.fiscal_year_of(query.filters.date_from))
    if in_period and query.filters.date_to:
        budgets = budgets.filter(fiscal_year__lte=company.fiscal_year_of(query.filters.date_to))
    return budgets.annotate(total=F("approved_version__total_minor")).values(
        "currency", "fiscal_year", "total", *_BUDGET_FIELDS.values()
    )


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
