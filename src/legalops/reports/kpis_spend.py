"""Spend KPIs: what firms billed and what the department approved."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from legalops.invoices.hooks import BILLED_STATES, SPENT_STATES
from legalops.invoices.models import Invoice
from legalops.reports.registry import ROLLUP_DIMENSIONS, Key, Kpi, Query, Value, register
from legalops.reports.rollups import Converter
from legalops.reports.selectors import DIMENSION_FIELDS, reporting_currency, scoped


def _group_key(row: dict[str, Any], group: str | None) -> Key:
    if group is None:
        return None
    if group == "month":
        return row["invoice_date"].replace(day=1)
    value = row["group"]
    return "" if value is None else value


def _invoice_sums(query: Query, states: Iterable[str], amount: str) -> dict[Key, Value]:
    """Per-invoice amounts converted to the reporting currency at the invoice date, summed."""
    invoices = scoped(
        Invoice.objects.filter(state__in=list(states)),
        query.user,
        query.filters,
        date_field="invoice_date",
    )
    fields = ["currency", "invoice_date", amount]
    if query.group and query.group != "month":
        invoices = invoices.annotate(group=_f(DIMENSION_FIELDS[query.group]))
        fields.append("group")
    converter = Converter(reporting_currency())
    totals: dict[Key, int] = defaultdict(int)
    for row in invoices.values(*fields).iterator():
        key = _group_key(row, query.group)
        converted = converter.convert(row[amount], row["currency"], row["invoice_date"])
        totals[key] += converted or 0
    if query.group is None:
        totals.setdefault(None, 0)
    return dict(totals)


def _f(path: str) -> Any:
    from django.db.models import F

    return F(path)


def total_billed(query: Query) -> dict[Key, Value]:
    return _invoice_sums(query, BILLED_STATES, "billed_minor")


def total_approved(query: Query) -> dict[Key, Value]:
    return _invoice_sums(query, SPENT_STATES, "approved_minor")


register(
    Kpi(
        id="total_billed",
        name="Total billed",
        formula="Sum of the invoice totals (fees, expenses and tax as billed) of invoices not "
        "rejected, resubmitted or voided, by invoice date.",
        unit="money",
        reads="invoices",
        dimensions=ROLLUP_DIMENSIONS,
        compute=total_billed,
    )
)
register(
    Kpi(
        id="total_approved",
        name="Total approved",
        formula="Sum of the approved amounts of invoices approved (with or without "
        "adjustments), sent to AP, paid or under appeal, by invoice date.",
        unit="money",
        reads="invoices",
        dimensions=ROLLUP_DIMENSIONS,
        compute=total_approved,
    )
)
