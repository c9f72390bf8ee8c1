"""Matter-side KPIs read from the matters app's own records (accruals)."""

from __future__ import annotations

from django.db.models import Q

from legalops.matters.accruals import expected_reports
from legalops.matters.models import Accrual, AccrualPeriod
from legalops.reports.kpis_common import ratio
from legalops.reports.kpis_ops import matters_in_scope
from legalops.reports.registry import Key, Kpi, Query, Value, register


def accrual_compliance(query: Query) -> dict[Key, Value]:
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
