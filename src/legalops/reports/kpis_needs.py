"""KPIs of reference/market-and-kpis.md §5.4 whose data the platform does not hold yet: the
registry lists them (with what is missing) so that the UI, the exports and docs/kpis.md say
so instead of leaving them out silently."""

from __future__ import annotations

from legalops.reports.registry import Kpi, Unit, register

INTERNAL = "internal legal department costs (compensation, benefits, overhead, tools)"
REVENUE = "the company's revenue"
FTE = "in-house lawyer headcount (FTE)"

NEEDS: list[tuple[str, str, str, Unit, str, str]] = [
    (
        "total_legal_spend",
        "Total legal spend (TLS)",
        "Internal cost + external spend (firms, ALSPs, experts, vendors); excludes "
        "settlements, judgments and fines.",
        "money",
        INTERNAL,
        "Department",
    ),
    (
        "tls_pct_revenue",
        "TLS % of revenue",
        "TLS / company revenue.",
        "percent",
        f"{INTERNAL} and {REVENUE}",
        "Department",
    ),
    (
        "inside_outside_ratio",
        "Inside vs outside ratio",
        "Internal spend / external spend.",
        "ratio",
        INTERNAL,
        "Department",
    ),
    (
        "lawyers_per_billion_revenue",
        "Lawyers per $1B revenue",
        "In-house lawyer FTE / (revenue / 1e9).",
        "ratio",
        f"{FTE} and {REVENUE}",
        "Department",
    ),
    (
        "external_spend_per_lawyer",
        "External spend per in-house lawyer",
        "External spend / in-house lawyer FTE.",
        "money",
        FTE,
        "Department",
    ),
    (
        "spend_under_management",
        "Spend under management",
        "Spend processed through the platform / total external spend.",
        "percent",
        "external spend paid outside the platform (from the ERP/AP system)",
        "Department",
    ),
    (
        "requests_per_attorney",
        "Requests per attorney",
        "New requests / lawyer FTE.",
        "ratio",
        f"business intake requests and {FTE}",
        "Department",
    ),
    (
        "intake_turnaround",
        "Intake turnaround",
        "Request -> assignment, first response and resolution; SLA hit rate.",
        "days",
        "business intake requests with their timestamps",
        "Department",
    ),
    (
        "internal_client_satisfaction",
        "Internal client satisfaction",
        "Survey score (CSAT/NPS) per business unit.",
        "ratio",
        "internal client surveys",
        "Department",
    ),
    (
        "contract_cycle_time",
        "Contract cycle time",
        "Request -> signature by contract type; % on template; redline rounds.",
        "days",
        "contract requests and signatures (contract lifecycle)",
        "Department",
    ),
    (
        "diverse_relationship_partners",
        "Diverse relationship partners",
        "Firms whose relationship partner is diverse / firms.",
        "percent",
        "diversity attributes of the firms' relationship partners",
        "Diversity",
    ),
]

for kpi_id, name, formula, unit, missing, section in NEEDS:
    register(
        Kpi(
            id=kpi_id,
            name=name,
            formula=formula,
            unit=unit,
            reads="(not held by the platform)",
            needs=f"Needs {missing}, which the platform does not hold yet.",
            section=section,
        )
    )
