"""`legalops backtest`: replay a guidelines version (or a file) over a period's invoices, at once
(no worker needed), and print the report. Not in spec/cli.md: docs/backtesting.md documents it."""

from __future__ import annotations

import datetime
import json
import sys
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from legalops.backtests import selectors, services
from legalops.backtests.api import backtest_out, report_json
from legalops.backtests.models import Backtest
from legalops.core.money import format_minor
from legalops.invoices.models import GuidelinesVersion
from legalops.matters.models import Matter
from legalops.vendors.models import LawFirm


def _date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"{text!r} is not a date (YYYY-MM-DD)", returncode=2) from None


class Command(BaseCommand):
    help = (
        "Replay a guidelines version (draft or published) or a guidelines file over the "
        "invoices dated in a period, without changing anything, and report what it would have "
        "flagged and saved next to what actually happened. Runs now, in this process."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--guidelines-version", type=int, metavar="ID")
        which.add_argument("--guidelines", metavar="FILE", help="a guidelines TOML file")
        parser.add_argument("--from", dest="period_from", required=True, metavar="DATE")
        parser.add_argument("--to", dest="period_to", required=True, metavar="DATE")
        parser.add_argument("--firm", metavar="LAW_FIRM_ID", help="only this firm's invoices")
        parser.add_argument("--matter", metavar="NUMBER", help="only this matter's invoices")
        parser.add_argument("--json", action="store_true", help="print the report as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            backtest = services.backtest_create(
                actor=None,
                period_from=_date(options["period_from"]),
                period_to=_date(options["period_to"]),
                firm=self._firm(options["firm"]),
                matter=self._matter(options["matter"]),
                enqueue=False,
                **self._guidelines(options),
            )
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages), returncode=2) from None
        backtest = services.backtest_run(backtest=backtest, progress=self._progress)
        if backtest.status != Backtest.Status.DONE:
            raise CommandError(f"backtest {backtest.pk} failed: {backtest.error}", returncode=1)
        if options["json"]:
            body = {"backtest": backtest_out(backtest), **report_json(backtest)}
            self.stdout.write(json.dumps(body, indent=2, default=str))
        else:
            self._print(backtest)

    def _guidelines(self, options: dict[str, Any]) -> dict[str, Any]:
        if options["guidelines"]:
            path = Path(options["guidelines"])
            try:
                return {"source": path.read_bytes(), "filename": str(path)}
            except OSError as exc:
                raise CommandError(f"{path}: cannot read: {exc.strerror}", returncode=2) from None
        pk = options["guidelines_version"]
        version = GuidelinesVersion.objects.filter(pk=pk).first()
        if version is None:
            raise CommandError(
                f"no guidelines version {pk} (`legalops guidelines list`)", returncode=2
            )
        return {"version": version}

    def _firm(self, law_firm_id: str | None) -> LawFirm | None:
        if not law_firm_id:
            return None
        firm = LawFirm.objects.filter(law_firm_id=law_firm_id).first()
        if firm is None:
            raise CommandError(f"--firm: no firm with LAW_FIRM_ID {law_firm_id}", returncode=2)
        return firm

    def _matter(self, number: str | None) -> Matter | None:
        if not number:
            return None
        matter = Matter.objects.filter(number=number).first()
        if matter is None:
            raise CommandError(f"--matter: no matter {number}", returncode=2)
        return matter

    def _progress(self, done: int, total: int) -> None:
        if sys.stderr.isatty():
            sys.stderr.write(f"\r{done}/{total} invoices replayed")
            sys.stderr.write("\n" if done == total else "")

    def _print(self, backtest: Backtest) -> None:
        self.stdout.write(
            f"backtest {backtest.pk}: {backtest.guidelines_label}, invoices dated "
            f"{backtest.period_from} to {backtest.period_to}: {backtest.invoices_total} "
            f"invoices, {backtest.lines_total} lines"
        )
        for row in selectors.totals(backtest):
            code = row["currency"]
            self.stdout.write(
                f"  {code}: billed {format_minor(row['billed_minor'], code)}, would save "
                f"{format_minor(row['saved_minor'], code)} ({row['flags']} flags); actually "
                f"saved {format_minor(row['actual_saved_minor'], code)} "
                f"({row['actual_flags']} flags); difference "
                f"{format_minor(row['difference_minor'], code)}"
            )
        self.stdout.write("by rule: flags, would save | version used: flags, proposed | difference")
        for row in selectors.by_rule(backtest):
            code = row["currency"]
            would, used = row["would_save_minor"], row["used_would_save_minor"]
            self.stdout.write(
                f"  {row['rule']:<28} {row['flags']:>5} {format_minor(would, code):>12} | "
                f"{row['actual_flags']:>5} {format_minor(used, code):>12} | "
                f"{format_minor(row['difference_minor'], code):>12} {code}"
            )
