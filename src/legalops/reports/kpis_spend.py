"""Spend and review KPIs, read from the invoice rollups (`InvoiceMonth`), by invoice date."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from legalops.reports.kpis_common import column, column_rank, invoice_sums, ratio, with_total
from legalops.reports.registry import (
    ROLLUP_DIMENSIONS,
    Key,
    Query,
    Value,
    kpi_definer,
)

BILLED = "invoices not rejected, resubmitted or voided"
SPENT = "invoices approved (with or without adjustments), sent to AP, paid or under appeal"
READS = "invoice rollups"


_kpi = kpi_definer(section="Spend", reads=READS, dimensions=ROLLUP_DIMENSIONS)


def _ratio_of(numerator: Any, denominator: Any) -> Any:
    """A KPI that is a ratio of two functions of the summed invoice rollup columns."""

    def compute(query: Query) -> dict[Key, Value]:
        values: dict[Key, Value] = {
            key: ratio(numerator(s), denominator(s)) for key, s in invoice_sums(query).items()
        }
        return with_total(query, values, None)

    return compute


def total_adjustments(query: Query) -> dict[Key, Value]:
    values: dict[Key, Value] = {
        key: s["approved_rc"] - s["spent_billed_rc"] for key, s in invoice_sums(query).items()
    }
    return with_total(query, values, 0)


def active_firms(query: Query) -> dict[Key, Value]:
    counts: dict[Key, int] = defaultdict(int)
    for (key, _firm), sums in invoice_sums(query, by_firm=True).items():
        counts[key] += 1 if sums["billed_count"] else 0
    return with_total(query, dict(counts), 0)


def top5_firms_share(query: Query) -> dict[Key, Value]:
    spend: dict[Key, list[int]] = defaultdict(list)
    for (key, _firm), sums in invoice_sums(query, by_firm=True).items():
        spend[key].append(sums["approved_rc"])
    values: dict[Key, Value] = {
        key: ratio(sum(sorted(amounts, reverse=True)[:5]), sum(amounts))
        for key, amounts in spend.items()
    }
    return with_total(query, values, None)


_kpi(
    "total_billed",
    "Total billed",
    f"Fees and expenses as billed (before tax) on {BILLED}.",
    "money",
    column(invoice_sums, "billed_rc"),
    rank=column_rank("billed_rc"),
)
_kpi(
    "total_approved",
    "Total approved (spend)",
    f"Approved amounts (before tax) of {SPENT}, after adjustments and reinstatements.",
    "money",
    column(invoice_sums, "approved_rc"),
    rank=column_rank("approved_rc"),
)
_kpi(
    "total_adjustments",
    "Total adjustments",
    f"Approved minus billed on {SPENT}: the net change the review made, after appeals "
    "(negative when reduced).",
    "money",
    total_adjustments,
)
_kpi(
    "gross_reductions",
    "Gross reductions",
    f"Reductions made in review on {SPENT}, before any reinstatement on appeal (positive).",
    "money",
    column(invoice_sums, "reduced_rc"),
)
_kpi(
    "reinstated_on_appeal",
    "Reinstated on appeal",
    f"Amounts given back on appeal on {SPENT}.",
    "money",
    column(invoice_sums, "reinstated_rc"),
)
_kpi(
    "review_savings_rate",
    "Review savings rate (gross)",
    f"Gross reductions / amount billed on {SPENT}.",
    "percent",
    _ratio_of(lambda s: s["reduced_rc"], lambda s: s["spent_billed_rc"]),
)
_kpi(
    "net_savings_rate",
    "Review savings rate (net of appeals)",
    f"(Gross reductions - amounts reinstated on appeal) / amount billed on {SPENT}.",
    "percent",
    _ratio_of(lambda s: s["reduced_rc"] - s["reinstated_rc"], lambda s: s["spent_billed_rc"]),
)
_kpi(
    "fees_billed",
    "Fees billed",
    f"Fee lines (and fee adjustments) as billed on {BILLED}.",
    "money",
    column(invoice_sums, "fees_rc"),
)
_kpi(
    "expenses_billed",
    "Expenses billed",
    f"Expense lines (and expense adjustments) as billed on {BILLED}.",
    "money",
    column(invoice_sums, "expenses_rc"),
)
_kpi(
    "tax_billed",
    "Tax billed",
    f"Tax on the lines of {BILLED}.",
    "money",
    column(invoice_sums, "tax_rc"),
)
_kpi(
    "invoice_count",
    "Invoices",
    f"Number of {BILLED}.",
    "count",
    column(invoice_sums, "billed_count"),
)
_kpi(
    "line_count",
    "Invoice lines",
    f"Number of lines of {BILLED}.",
    "count",
    column(invoice_sums, "line_count"),
)
_kpi(
    "invoices_adjusted_rate",
    "Invoices adjusted",
    "Invoices decided with at least one adjustment still standing / invoices decided "
    "(approved, sent to AP, paid, under appeal or rejected).",
    "percent",
    _ratio_of(lambda s: s["adjusted_count"], lambda s: s["decided_count"]),
    section="Review",
)
_kpi(
    "invoices_rejected_rate",
    "Invoices rejected",
    "Invoices rejected / invoices decided (approved, sent to AP, paid, under appeal or rejected).",
    "percent",
    _ratio_of(lambda s: s["rejected_count"], lambda s: s["decided_count"]),
    section="Review",
)
_kpi(
    "reinstatement_rate",
    "Reinstatement rate",
    f"Amounts reinstated on appeal / gross reductions, on {SPENT}.",
    "percent",
    _ratio_of(lambda s: s["reinstated_rc"], lambda s: s["reduced_rc"]),
    section="Review",
)
_kpi(
    "violation_rate",
    "Guideline violation rate",
    f"Lines with at least one guideline flag / lines, on {BILLED}.",
    "percent",
    _ratio_of(lambda s: s["flagged_line_count"], lambda s: s["line_count"]),
    section="Review",
)
_kpi(
    "active_firms",
    "Active firms",
    f"Firms with at least one of the {BILLED}.",
    "count",
    active_firms,
    dimensions=tuple(d for d in ROLLUP_DIMENSIONS if d not in ("firm", "matter")),
    section="Panel",
)
_kpi(
    "top5_firms_share",
    "Top-5 firms' share of spend",
    "Approved spend with the five firms with the most approved spend / all approved spend "
    "(panel concentration).",
    "percent",
    top5_firms_share,
    dimensions=tuple(d for d in ROLLUP_DIMENSIONS if d not in ("firm", "matter")),
    section="Panel",
)
