"""The six Insight dashboards: which KPIs each shows as key figures and which views (trends,
splits, shares) it draws. Pages only arrange registry KPIs; a KPI the registry marks with `needs`
is shown as "needs data: ..." rather than as a number."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from legalops.reports.exports.tables import Column, Table, Typed, cell_text
from legalops.reports.registry import REGISTRY, Kpi, Value, kpi_get
from legalops.reports.selectors import BUCKET_LABELS
from legalops.reports.views_build import View, column_for, shares, split, trend


@dataclass(frozen=True)
class Page:
    key: str
    title: str
    intro: str
    tiles: tuple[str, ...]
    views: tuple[View, ...]
    lists_needs: bool = False  # lists every KPI the platform lacks the data for

    def kpi_ids(self) -> list[str]:
        ids = list(self.tiles)
        for view in self.views:
            ids.extend(k for k in view.kpis if k not in ids)
        return ids

    def tiles_table(self, values: dict[str, Value], currency: str) -> Table:
        return key_figures(self.tiles, values, currency)


def key_figures(ids: Sequence[str], values: dict[str, Value], currency: str) -> Table:
    """KPIs as the first sheet/section of an export: one row per KPI, each value typed by its
    unit (or the data it still needs)."""
    rows = []
    for kpi_id in ids:
        kpi = kpi_get(kpi_id)
        column = column_for(kpi, currency)
        value = values.get(kpi_id)
        shown: Any = (
            f"needs data: {kpi.needs}"
            if kpi.needs
            else _share_text(value)
            if isinstance(value, dict)
            else Typed(column.kind, value, column.currency)
        )
        rows.append((kpi.name, shown, kpi.formula))
    columns = (Column("KPI"), Column("Value"), Column("Formula"))
    return Table("key-figures", "Key figures", columns, rows)


def _share_text(value: dict[str, Any]) -> str:
    column = Column("", "percent")
    return ", ".join(f"{BUCKET_LABELS.get(k, k)} {cell_text(column, v)}" for k, v in value.items())


def tiles(page: Page, values: dict[str, Value], currency: str) -> list[dict[str, str]]:
    """The key figures as the page shows them: name, value, formula (as the tooltip) or the
    data a KPI still needs."""
    out = []
    for kpi_id in page.tiles:
        kpi = kpi_get(kpi_id)
        value = values.get(kpi_id)
        if kpi.needs:
            text = ""
        elif isinstance(value, dict):
            text = _share_text(value)
        else:
            text = cell_text(column_for(kpi, currency), value)
        out.append(
            {
                "id": kpi.id,
                "name": kpi.name,
                "value": text,
                "formula": kpi.formula,
                "needs": kpi.needs or "",
            }
        )
    return out


_RATES = ("blended_rate", "realized_rate")
_BUDGETS = ("budget_variance", "budget_variance_ltd", "matters_within_budget")
_AGES = ("matter_cycle_time_days_median", "open_matter_age_days_median")
_STAGES = (
    "invoice_cycle_time_days_median",
    "invoice_cycle_time_days_p90",
    "review_stage_days_median",
    "approval_stage_days_median",
)
OVERVIEW = Page(
    "overview",
    "Executive overview",
    "Spend against budget, what review saved, what still waits, and the firms the money went to.",
    tiles=(
        "total_billed",
        "total_approved",
        "total_adjustments",
        "review_savings_rate",
        "net_savings_rate",
        "budget_variance",
        "forecast_vs_budget",
        "pending_value",
        "active_firms",
        "top5_firms_share",
    ),
    views=(
        trend("spend-trend", "Spend trend", ("total_billed", "total_approved")),
        trend(
            "budget-trend",
            "Spend vs budget and forecast",
            ("total_approved", "budget_by_month", "forecast_by_month"),
        ),
        trend(
            "savings",
            "Review savings by month",
            ("gross_reductions", "reinstated_on_appeal", "total_adjustments"),
            "column",
        ),
        split(
            "budget-by-practice-area",
            "Budget variance by practice area",
            _BUDGETS,
            "practice_area",
            "column",
        ),
        split(
            "top-firms",
            "Top firms by approved spend",
            ("total_approved", "total_billed"),
            "firm",
            "bar",
            top=10,
        ),
    ),
    lists_needs=True,
)
SPEND = Page(
    "spend",
    "Spend",
    "Where the money goes: by firm, practice area, business unit and matter type; fees "
    "against expenses.",
    tiles=(
        "total_billed",
        "total_approved",
        "fees_billed",
        "expenses_billed",
        "tax_billed",
        "hours_billed",
        "invoice_count",
        "line_count",
        "afa_share",
    ),
    views=(
        trend(
            "fees-expenses",
            "Fees and expenses by month",
            ("fees_billed", "expenses_billed"),
            "column",
        ),
        split(
            "by-firm",
            "Spend by firm",
            ("total_approved", "total_billed", "fees_billed", "expenses_billed"),
            "firm",
            "bar",
        ),
        split(
            "by-practice-area",
            "Spend by practice area",
            ("total_approved", "total_billed"),
            "practice_area",
            "pie",
        ),
        split(
            "by-business-unit",
            "Spend by business unit",
            ("total_approved", "total_billed"),
            "business_unit",
            "pie",
        ),
        split(
            "by-matter-type",
            "Spend by matter type",
            ("total_approved", "total_billed"),
            "matter_type",
            "column",
        ),
    ),
)
RATES = Page(
    "rates",
    "Rates",
    "What an hour costs: billed (blended) against approved (realized) rates over time, by "
    "timekeeper classification, firm and practice area, and who does the work.",
    tiles=(
        "blended_rate",
        "realized_rate",
        "hours_billed",
        "leverage",
        "staffing_mix",
        "rate_change_pct",
        "rate_change_annualised_pct",
    ),
    views=(
        trend("rate-trend", "Billed and approved hourly rate by month", _RATES),
        split(
            "rate-by-classification",
            "Rates by timekeeper classification",
            (*_RATES, "hours_billed"),
            "classification",
            "column",
        ),
        split(
            "peer-ranges",
            "Panel rates vs rates billed",
            ("peer_rate_p25", "peer_rate_median", "peer_rate_p75", *_RATES),
            "classification",
            "column",
        ),
        split("rate-by-firm", "Rates by firm", (*_RATES, "hours_billed"), "firm", "bar"),
        split("rate-by-practice-area", "Rates by practice area", _RATES, "practice_area", "column"),
        shares("staffing", "Staffing mix (share of fee hours)", "staffing_mix"),
        split(
            "rate-change-by-classification",
            "Approved rate changes by timekeeper classification",
            ("rate_change_pct", "rate_change_annualised_pct"),
            "classification",
            "column",
        ),
    ),
)
FIRMS = Page(
    "firms",
    "Firm scorecard",
    "Each firm side by side: spend, rate, leverage and staffing, review savings, guideline "
    "violations, appeals and diversity.",
    tiles=(
        "active_firms",
        "top5_firms_share",
        "violation_rate",
        "appeal_rate",
        "reinstatement_rate",
        "diversity_hours_share",
        "diversity_fees_share",
        "diverse_relationship_partners",
        "evaluation_score",
        "evaluation_count",
    ),
    views=(
        split(
            "scorecard",
            "Scorecard by firm",
            (
                "total_approved",
                "blended_rate",
                "leverage",
                "review_savings_rate",
                "budget_variance",
                "violation_rate",
                "invoices_adjusted_rate",
                "appeal_rate",
                "reinstatement_rate",
            ),
            "firm",
            "bar",
        ),
        split(
            "evaluations-by-firm",
            "Evaluations by firm",
            (
                "evaluation_score",
                "evaluation_quality",
                "evaluation_responsiveness",
                "evaluation_budget_accuracy",
                "evaluation_value",
                "evaluation_count",
            ),
            "firm",
            "bar",
        ),
        shares(
            "staffing-by-firm", "Staffing mix by firm", "staffing_mix", by="firm", chart="column"
        ),
        split(
            "diversity-by-firm",
            "Diversity by firm",
            ("diversity_hours_share", "diversity_fees_share"),
            "firm",
            "column",
        ),
    ),
)
MATTERS = Page(
    "matters",
    "Matters",
    "Budgets against approved spend, how long matters take, how old the open ones are, and "
    "the matters the money goes to.",
    tiles=(
        "budget_variance",
        "budget_variance_ltd",
        "matters_within_budget",
        "matter_cycle_time_days_median",
        "open_matter_age_days_median",
        "accrual_compliance",
        "accrual_accuracy",
        "cost_per_matter",
        "work_kept_in_house",
    ),
    views=(
        split(
            "matter-budget",
            "Budget variance by matter (largest overrun first)",
            _BUDGETS[:2],
            "matter",
            "bar",
            top=25,
        ),
        split(
            "matter-spend",
            "Top matters by approved spend",
            ("total_approved", "total_billed", "hours_billed"),
            "matter",
            "bar",
            top=25,
        ),
        split(
            "matter-type-age",
            "Cycle time and open-matter age by matter type",
            _AGES,
            "matter_type",
            "column",
        ),
        split(
            "matter-pa-age",
            "Cycle time and open-matter age by practice area",
            _AGES,
            "practice_area",
            "column",
        ),
        split(
            "matter-type-cost",
            "Cost of resolution and work kept in house by matter type",
            ("cost_per_matter", "work_kept_in_house"),
            "matter_type",
            "column",
        ),
        trend(
            "matter-cycle-trend",
            "Matter cycle time by month closed",
            ("matter_cycle_time_days_median",),
        ),
    ),
)
OPERATIONS = Page(
    "operations",
    "Operations",
    "How fast invoices move: cycle time by stage, what waits in the queues and for how long.",
    tiles=(
        "invoice_count",
        "invoice_cycle_time_days_median",
        "invoice_cycle_time_days_p90",
        "review_stage_days_median",
        "approval_stage_days_median",
        "invoice_to_payment_days_median",
        "pending_invoices",
        "pending_value",
        "pending_over_30_days",
        "pending_over_90_days",
        "first_pass_acceptance",
        "invoices_adjusted_rate",
        "invoices_rejected_rate",
    ),
    views=(
        trend("cycle-trend", "Invoice cycle time by month (days)", _STAGES),
        split(
            "queue-by-firm",
            "Pending invoices and their age by firm",
            (
                "pending_invoices",
                "pending_over_30_days",
                "pending_over_60_days",
                "pending_over_90_days",
                "pending_value",
            ),
            "firm",
            "bar",
        ),
        trend(
            "volume",
            "Invoices by month",
            ("invoice_count", "invoices_adjusted_rate", "invoices_rejected_rate"),
            "column",
        ),
    ),
)
PAGES: dict[str, Page] = {
    page.key: page for page in (OVERVIEW, SPEND, RATES, FIRMS, MATTERS, OPERATIONS)
}


def kpis_needing_data() -> list[Kpi]:
    return [kpi for kpi in REGISTRY.values() if kpi.needs]
