"""Insight: the KPI registry, the monthly rollups the dashboards read, and the KPI API/CLI."""
