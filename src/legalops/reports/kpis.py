"""Imports every KPI module so that each registers its definitions (in the order dashboards,
docs and the CLI list them)."""

from legalops.reports import kpis_spend  # noqa: F401
