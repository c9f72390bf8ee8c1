from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from legalops.reports.kpis_report import BY, fx_warnings, kpi_report
from legalops.reports.registry import REGISTRY, FilterError, Filters, Kpi


class Command(BaseCommand):
    help = (
        "KPIs over the database in the reporting currency (docs/kpis.md): "
        "[--from DATE] [--to DATE] [--by {firm,matter,practice-area,business-unit,month}] "
        "[--json]."
    )
    # A read-only report: the system checks would import every URL and view of the product
    # (about a second of the command's start-up) and check nothing it uses.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--from", dest="date_from", metavar="DATE")
        parser.add_argument("--to", dest="date_to", metavar="DATE")
        parser.add_argument("--by", choices=list(BY))
        parser.add_argument("--json", action="store_true", help="the spec/cli.md JSON object")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            filters = Filters.from_params({"from": options["date_from"], "to": options["date_to"]})
            report = kpi_report(None, filters, options["by"])
        except FilterError as exc:
            raise CommandError(
                str(exc).replace("from:", "--from:").replace("to:", "--to:"), returncode=2
            ) from None
        # On stderr: the JSON on stdout stays exactly the spec/cli.md object.
        for warning in fx_warnings(None, filters):
            self.stderr.write(f"warning: {warning}")
        if options["json"]:
            self.stdout.write(json.dumps(report, indent=2))
            return
        self._human(report)

    def _human(self, report: dict[str, Any]) -> None:
        period = report["period"]
        self.stdout.write(
            f"KPIs {period['from'] or '…'} to {period['to'] or '…'} ({report['currency']})"
        )
        width = max(len(kpi.name) for kpi in REGISTRY.values())
        for kpi_id, value in report["kpis"].items():
            self._line(width, kpi_id, value, report["currency"])
        for group in report["groups"]:
            self.stdout.write(f"\n{group['label']} ({group['key']})")
            for kpi_id, value in group["kpis"].items():
                self._line(width, kpi_id, value, report["currency"])
        missing = [kpi for kpi in REGISTRY.values() if kpi.needs]
        if missing:
            self.stdout.write("\nNot available yet:")
            for kpi in missing:
                self.stdout.write(f"  {kpi.name:<{width}}  {kpi.needs}")

    def _line(self, width: int, kpi_id: str, value: Any, currency: str) -> None:
        kpi = REGISTRY[kpi_id]
        self.stdout.write(f"  {kpi.name:<{width}}  {_text(kpi, value, currency)}")


def _text(kpi: Kpi, value: Any, currency: str) -> str:
    """The JSON value for people: money with its currency, shares and percentages in %."""
    if value is None:
        return "–"
    if kpi.unit in ("money", "rate"):
        return f"{currency} {value}" + (" / h" if kpi.unit == "rate" else "")
    if isinstance(value, dict):
        return ", ".join(f"{k} {_percent(v)}" for k, v in value.items())
    if kpi.unit == "percent":
        return _percent(value)
    return f"{value}{ {'hours': ' h', 'days': ' days'}.get(kpi.unit, '') }"


def _percent(value: Any) -> str:
    return "–" if value is None else f"{Decimal(str(value)) * 100:.2f} %"
