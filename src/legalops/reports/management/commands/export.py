"""`legalops export kpi --xlsx OUT [--from DATE] [--to DATE]` (spec/cli.md): every KPI of the
registry, every dashboard's views with native Excel charts, and a definitions sheet.

The command runs on the server as the operator, so it reads the whole department. Exit codes:
0 written; 2 a bad date or an output that cannot be written (the message names it). The file
appears complete or not at all.
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from legalops.reports.exports.packs import kpi_pack
from legalops.reports.exports.xlsx import report_xlsx
from legalops.reports.kpis_report import fx_warnings
from legalops.reports.registry import FilterError, Filters
from legalops.reports.selectors import reporting_currency
from legalops.reports.views_build import Context


class Command(BaseCommand):
    help = "Export reports: `kpi --xlsx OUT` writes the KPI workbook (native Excel charts)."

    def add_arguments(self, parser: CommandParser) -> None:
        what = parser.add_subparsers(dest="what", required=True, metavar="WHAT")
        kpi = what.add_parser("kpi", help="every KPI and dashboard view as an Excel workbook")
        kpi.add_argument("--xlsx", required=True, metavar="OUT", help="the .xlsx file to write")
        kpi.add_argument("--from", dest="date_from", metavar="DATE", help="first day (ISO)")
        kpi.add_argument("--to", dest="date_to", metavar="DATE", help="last day (ISO)")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        try:
            filters = Filters.from_params({"from": options["date_from"], "to": options["date_to"]})
        except FilterError as exc:
            raise CommandError(f"export kpi: {exc}", returncode=2) from None
        out = Path(options["xlsx"])
        # None: the system, as `legalops kpi` reads: the whole department.
        ctx = Context(None, filters, reporting_currency(), filters.params())
        data = report_xlsx(kpi_pack(ctx))
        try:
            _write_whole(out, data)
        except OSError as exc:
            raise CommandError(f"{out}: cannot write: {exc.strerror}", returncode=2) from None
        seconds = time.perf_counter() - started
        for warning in fx_warnings(None, filters):
            self.stderr.write(f"warning: {warning}")
        self.stdout.write(f"wrote {out} ({len(data):,} bytes) in {seconds:.1f} s")


def _write_whole(path: Path, data: bytes) -> None:
    """Writes beside the target and renames, so a failure never leaves half a workbook."""
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
