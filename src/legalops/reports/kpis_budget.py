"""Budget and forecast by month, for the spend trend against budget and forecast: approved
matter budgets spread evenly over their fiscal year's months, and the forecasts entered per
month or quarter (matters app), both in the reporting currency."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from django.db.models import Count, QuerySet

from legalops.matters.forecasts import month_add
from legalops.matters.models import Budget, Forecast, Granularity
from legalops.organization.selectors import company_get
from legalops.reports.kpis_common import ratio
from legalops.reports.kpis_ops import of_matters_in_scope
from legalops.reports.registry import Key, Kpi, Query, Value, register
from legalops.reports.rollups import Converter

Months = dict[datetime.date, int]


class _Spread:
    """Amounts each spread evenly over `parts` months from a first month, in whole minor
    units with the remainder to the first months (1000.00 over 3 months: 333.34, 333.33,
    333.33), summed per month without splitting each amount: the splits of one first month
    sum to their whole parts (amount // parts) plus, in month i, the number of amounts whose
    remainder (amount % parts) is above i. Identical amounts (a department's budgets often
    are) are added once with their count."""

    def __init__(self) -> None:
        self.base: dict[tuple[datetime.date, int], int] = defaultdict(int)
        self.over: dict[tuple[datetime.date, int], dict[int, int]] = defaultdict(
            lambda: defaultdict(int)
        )

    def add(self, first: datetime.date, minor: int, parts: int, count: int) -> None:
        base, rest = divmod(minor, parts)
        self.base[(first, parts)] += base * count
        self.over[(first, parts)][rest] += count

    def months(self) -> Months:
        out: Months = defaultdict(int)
        for (first, parts), base in self.base.items():
            over = self.over[(first, parts)]
            for index in range(parts):
                extra = sum(count for rest, count in over.items() if rest > index)
                out[month_add(first, index)] += base + extra
        return dict(out)


def budget_months(query: Query) -> Months:
    """Approved matter budgets in scope (the firm filter keeps that firm's budgets), each
    converted to the reporting currency at its fiscal year's first day and spread evenly over
    the fiscal year's twelve months."""

    def compute() -> Months:
        company = company_get()
        converter = Converter(company.reporting_currency)
        budgets = of_matters_in_scope(Budget.objects.filter(approved_version__isnull=False), query)
        if query.filters.firm_ids:
            budgets = budgets.filter(firm_id__in=query.filters.firm_ids)
        spread = _Spread()
        fields = ("fiscal_year", "currency", "approved_version__total_minor")
        for year, currency, total, count in _counted(budgets, fields):
            start, _end = company.fiscal_year_bounds(year)
            converted = converter.convert(total, currency, start)
            if converted is not None:
                spread.add(start, converted, 12, count)
        return spread.months()

    return query.cached("budget_months", compute)


def _counted(rows: QuerySet[Any], fields: tuple[str, ...]) -> QuerySet[Any]:
    """The distinct values of `fields` with how many rows have them: rows that are the same
    convert and spread the same, so each is computed once."""
    return rows.values(*fields).annotate(n=Count("pk")).order_by().values_list(*fields, "n")


def forecast_months(query: Query) -> Months:
    """Forecasts entered on matters in scope (with the firm filter, only those entered for
    that firm), converted at their first day; a quarter's spread evenly over its months."""

    def compute() -> Months:
        converter = Converter(company_get().reporting_currency)
        rows = of_matters_in_scope(Forecast.objects.all(), query)
        if query.filters.firm_ids:
            rows = rows.filter(firm_id__in=query.filters.firm_ids)
        spread = _Spread()
        fields = ("granularity", "period_start", "amount_minor", "currency")
        for kind, start, minor, currency, count in _counted(rows, fields):
            converted = converter.convert(minor, currency, start)
            if converted is None:
                continue
            parts = 3 if kind == Granularity.QUARTER else 1
            spread.add(start.replace(day=1), converted, parts, count)
        return spread.months()

    return query.cached("forecast_months", compute)


def _in_period(query: Query, months: Months) -> Months:
    """The months of the period (a period starting mid-month counts that whole month)."""
    first = query.filters.date_from.replace(day=1) if query.filters.date_from else None
    last = query.filters.date_to
    return {
        m: v
        for m, v in months.items()
        if (first is None or m >= first) and (last is None or m <= last)
    }


def _monthly(source: Callable[[Query], Months]) -> Callable[[Query], dict[Key, Value]]:
    def compute(query: Query) -> dict[Key, Value]:
        months = _in_period(query, source(query))
        if query.group == "month":
            return {m: v for m, v in months.items()}
        return {None: sum(months.values())}

    return compute


def forecast_vs_budget(query: Query) -> dict[Key, Value]:
    budget = _in_period(query, budget_months(query))
    forecast = _in_period(query, forecast_months(query))
    if query.group == "month":
        return {m: ratio(forecast.get(m, 0) - b, b) for m, b in budget.items()}
    total = sum(budget.values())
    return {None: ratio(sum(forecast.values()) - total, total)}


_SPREAD = (
    "Approved matter budgets (the approved version; with a firm filter, that firm's budgets), "
    "each converted to the reporting currency at its fiscal year's first day and spread evenly "
    "over the twelve months of its fiscal year (whole cents, the remainder to the first "
    "months); the months of the period."
)
_FORECAST = (
    "Forecasts entered on the matters (per month, or per fiscal quarter spread evenly over its "
    "three months; with a firm filter, those entered for that firm), each converted at its "
    "first day; the months of the period."
)
for kpi_id, name, formula, unit, compute in (
    ("budget_by_month", "Budget (spread by month)", _SPREAD, "money", _monthly(budget_months)),
    ("forecast_by_month", "Forecast spend", _FORECAST, "money", _monthly(forecast_months)),
    (
        "forecast_vs_budget",
        "Forecast vs budget",
        "(Forecast spend - budget) / budget over the months of the period, both as defined "
        "for 'Forecast spend' and 'Budget (spread by month)' (negative: forecast under budget).",
        "percent",
        forecast_vs_budget,
    ),
):
    register(
        Kpi(
            id=kpi_id,
            name=name,
            formula=formula,
            unit=unit,  # type: ignore[arg-type]
            reads="budgets and forecasts",
            dimensions=("month",),
            compute=compute,
            section="Matters",
        )
    )
