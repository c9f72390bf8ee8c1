"""docs/kpis.md, generated from the registry so that it says exactly what the UI, the API and
the CLI compute. Regenerate with `python -m legalops.reports.kpis_docs > docs/kpis.md`
(a test fails when the file is out of date)."""

from __future__ import annotations

import os
import sys
from typing import Any

UNITS = {
    "money": "money (reporting currency)",
    "rate": "money per hour",
    "percent": "percentage",
    "ratio": "ratio",
    "hours": "hours",
    "count": "count",
    "days": "days",
    "share": "shares by bucket",
}

INTRO = """# KPIs

Every number on the Insight dashboards, in the Excel and PDF exports, in `legalops kpi` and
in `GET /api/v1/kpis` comes from one definition in the KPI registry
(`legalops.reports.registry`); this page is generated from it
(`python -m legalops.reports.kpis_docs > docs/kpis.md`).

- **Money** is in the reporting currency (organization settings), converted with the FX rate
  of the invoice date (the latest rate on or before it); the amounts of one firm, matter and
  currency on one invoice date are converted together and rounded half up to the cent. In
  JSON, money is a decimal string (`"1234.50"`); ratios are numbers rounded to 4 places
  (`0.1697` is 16.97 %), `null` when there is nothing to divide.
- **Dates**: money KPIs count by invoice date; cycle times by the date named in their
  definition. Spend KPIs read monthly rollups, so a period starting mid-month counts that
  whole month.
- **Who sees what**: admins and approvers the whole department; attorneys the matters they lead
  or are on the team of; firm users and requesters nothing.
- **Filters** everywhere: period, firm, practice area, business unit, matter type (a
  definition says when one of them does not apply).
- **Missing FX rates**: amounts without an FX rate on or before their date are left out,
  never guessed; `legalops kpi` and `legalops export kpi` say which on stderr, the dashboards
  in a note.
"""


def _row(kpi: Any) -> str:
    from legalops.reports.registry import DIMENSIONS

    splits = ", ".join(DIMENSIONS[d].lower() for d in kpi.dimensions) or "–"
    formula = kpi.formula if kpi.needs is None else f"{kpi.formula} **{kpi.needs}**"
    return f"| {kpi.name} (`{kpi.id}`) | {formula} | {UNITS[kpi.unit]} | {splits} |"


def kpis_markdown() -> str:
    # Imported here: `main` must set Django up before the registry's models load.
    from legalops.reports.registry import SECTIONS, kpis_ordered

    parts = [INTRO]
    for section in SECTIONS:
        kpis = [kpi for kpi in kpis_ordered() if kpi.section == section]
        if not kpis:
            continue
        parts.append(f"\n## {section}\n")
        parts.append("| KPI | Definition | Unit | Split by |")
        parts.append("|---|---|---|---|")
        parts.extend(_row(kpi) for kpi in kpis)
    return "\n".join(parts) + "\n"


def main() -> int:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "legalops.settings")
    django.setup()
    sys.stdout.write(kpis_markdown())
    return 0


if __name__ == "__main__":
    sys.exit(main())
