"""The six Insight dashboards: which KPIs each shows as key figures and which views (trends,
splits, shares) it draws. Pages only arrange registry KPIs; a KPI the registry marks with `needs`
is shown as "needs data: ..." rather than as a number."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from legalops.reports.exports.tables import Column, Table, Typed, cell_text
from legalops.reports.registry import Value, kpi_get
from legalops.reports.selectors import BUCKET_LABELS
from legalops.reports.views_build import View, column_for, split, trend


@dataclass(frozen=True)
class Page:
    key: str
    title: str
    intro: str
    tiles: tuple[str, ...]
    views: tuple[View, ...]

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


OVERVIEW = Page(
    "overview",
    "Executive overview",
    "Spend and what review saved, and the firms the money went to.",
    tiles=(
        "total_billed",
        "total_approved",
        "total_adjustments",
        "review_savings_rate",
        "net_savings_rate",
        "active_firms",
        "top5_firms_share",
    ),
    views=(
        trend("spend-trend", "Spend trend", ("total_billed", "total_approved")),
        trend(
            "savings",
            "Review savings by month",
            ("gross_reductions", "reinstated_on_appeal", "total_adjustments"),
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
        "invoice_count",
        "line_count",
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
FIRMS = Page(
    "firms",
    "Firm scorecard",
    "Each firm side by side: spend, adjustments, guideline violations and appeals.",
    tiles=("active_firms", "top5_firms_share", "violation_rate", "reinstatement_rate"),
    views=(
        split(
            "scorecard",
            "Scorecard by firm",
            (
                "total_approved",
                "total_billed",
                "review_savings_rate",
                "violation_rate",
                "invoices_adjusted_rate",
                "invoices_rejected_rate",
                "reinstatement_rate",
            ),
            "firm",
            "bar",
        ),
    ),
)
OPERATIONS = Page(
    "operations",
    "Operations",
    "How invoices move through review: volume and how many are adjusted or rejected.",
    tiles=("invoice_count", "line_count", "invoices_adjusted_rate", "invoices_rejected_rate"),
    views=(
        trend(
            "volume",
            "Invoices by month",
            ("invoice_count", "invoices_adjusted_rate", "invoices_rejected_rate"),
            "column",
        ),
    ),
)
PAGES: dict[str, Page] = {page.key: page for page in (OVERVIEW, SPEND, FIRMS, OPERATIONS)}
