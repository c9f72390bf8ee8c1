from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from legalops.reports.services import rollups_rebuild


class Command(BaseCommand):
    help = (
        "The rollups the dashboards read (monthly, invoice cycle times, rate changes): `rebuild` "
        "recomputes them all from the invoices and rate cards (after a bulk load, or to repair "
        "them)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("rebuild", help="recompute every rollup row from the invoices")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        report = rollups_rebuild(actor=None)
        seconds = time.perf_counter() - started
        self.stdout.write(
            f"rebuilt {report.invoice_rows} invoice and {report.staffing_rows} staffing rows, "
            f"{report.cycle_rows} invoice cycle rows, {report.rate_changes} rate changes "
            f"in {seconds:.1f} s"
        )
        if report.unconverted:
            self.stdout.write(
                f"warning: {report.unconverted} invoice-date groups have no FX rate to the "
                "reporting currency and are left out of converted totals"
            )
