"""docs/kpis.md is generated from the registry and must be regenerated when a KPI changes."""

from pathlib import Path

from legalops.reports.kpis_docs import kpis_markdown
from legalops.reports.registry import REGISTRY

DOC = Path(__file__).resolve().parents[2] / "docs" / "kpis.md"


def test_docs_are_up_to_date() -> None:
    assert DOC.read_text() == kpis_markdown(), (
        "docs/kpis.md is stale: python -m legalops.reports.kpis_docs > docs/kpis.md"
    )


def test_every_kpi_is_listed_and_missing_data_is_said() -> None:
    text = DOC.read_text()
    for kpi in REGISTRY.values():
        assert f"(`{kpi.id}`)" in text
        if kpi.needs:
            assert kpi.needs in text


def test_every_row_of_the_tables_has_four_cells() -> None:
    """A "|" inside a formula (e.g. |a - b| for an absolute value) would split its cell."""
    for line in DOC.read_text().splitlines():
        if line.startswith("| ") and "(`" in line:
            assert line.count("|") == 5, line[:80]
