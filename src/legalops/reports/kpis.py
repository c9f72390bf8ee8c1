"""Imports every KPI module so that each registers its definitions (in the order dashboards,
docs and the CLI list them)."""

from legalops.reports import (
    kpis_budget,  # noqa: F401
    kpis_finance,  # noqa: F401
    kpis_matters,  # noqa: F401
    kpis_needs,  # noqa: F401
    kpis_ops,  # noqa: F401
    kpis_rates,  # noqa: F401
    kpis_spend,  # noqa: F401
    kpis_vendors,  # noqa: F401
)
