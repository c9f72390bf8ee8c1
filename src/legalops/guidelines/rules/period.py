"""Invoice and period rules that only need dates: the billing period, receipt, line dates.
Defaults and sources: default.toml (TIM-01..TIM-04 of reference/billing-guidelines.md §1.B)."""

from __future__ import annotations

from collections.abc import Iterator

from legalops.guidelines.params import Param, RuleSettings
from legalops.guidelines.records import EXPENSE, FEE
from legalops.guidelines.rules.base import (
    INVOICE,
    INVOICE_ACTIONS,
    Finding,
    Rule,
    Run,
    line_evidence,
)

_DATED = (FEE, EXPENSE, "IF", "IE")


def _needs_period(run: Run) -> str | None:
    invoice = run.invoice
    if invoice.billing_start is None or invoice.billing_end is None:
        return "the invoice has no billing start and end dates"
    return None


def _needs_invoice_date(run: Run) -> str | None:
    return None if run.invoice.invoice_date else "the invoice has no invoice date"


class LineOutsideBillingPeriod(Rule):
    id = "line-outside-billing-period"

    def skip_reason(self, run: Run) -> str | None:
        return _needs_period(run)

    def check(self, run: Run, settings: RuleSettings) -> Iterator[Finding]:
        start, end = run.invoice.billing_start, run.invoice.billing_end
        assert start is not None and end is not None
        for index, line in run.lines(*_DATED):
            if line.date is not None and not start <= line.date <= end:
                side = "before" if line.date < start else "after"
                message = f"line dated {line.date} is {side} the billing period {start} to {end}"
                evidence = line_evidence(line, "LINE_ITEM_DATE")
                evidence |= {
                    "BILLING_START_DATE": start.isoformat(),
                    "BILLING_END_DATE": end.isoformat(),
                }
                yield Finding(index, message, evidence)


class BillingPeriodSpansMonths(Rule):
    id = "billing-period-spans-months"
    scope = INVOICE
    actions = INVOICE_ACTIONS

    def skip_reason(self, run: Run) -> str | None:
        return _needs_period(run)

    def check(self, run: Run, settings: RuleSettings) -> Iterator[Finding]:
        start, end = run.invoice.billing_start, run.invoice.billing_end
        assert start is not None and end is not None
        if (start.year, start.month) != (end.year, end.month):
            message = f"billing period {start} to {end} spans more than one calendar month"
            evidence = {
                "BILLING_START_DATE": start.isoformat(),
                "BILLING_END_DATE": end.isoformat(),
            }
            yield Finding(None, message, evidence)


class LateInvoice(Rule):
    id = "late-invoice"
    scope = INVOICE
    actions = INVOICE_ACTIONS
    params = {"max_days": Param("int")}

    def skip_reason(self, run: Run) -> str | None:
        return None if run.invoice.billing_end else "the invoice has no billing end date"

    def check(self, run: Run, settings: RuleSettings) -> Iterator[Finding]:
        end = run.invoice.billing_end
        assert end is not None
        days = (run.context.as_of - end).days
        limit = settings.integer("max_days")
        if days > limit:
            message = (
                f"received {run.context.as_of}, {days} days after the billing period ended "
                f"on {end} (limit {limit} days)"
            )
            evidence = {
                "BILLING_END_DATE": end.isoformat(),
                "as_of": run.context.as_of.isoformat(),
                "days": days,
            }
            yield Finding(None, message, evidence)


class StaleLine(Rule):
    id = "stale-line"
    params = {"max_days": Param("int")}

    def skip_reason(self, run: Run) -> str | None:
        return _needs_invoice_date(run)

    def check(self, run: Run, settings: RuleSettings) -> Iterator[Finding]:
        invoice_date = run.invoice.invoice_date
        assert invoice_date is not None
        limit = settings.integer("max_days")
        for index, line in run.lines(FEE, EXPENSE):
            if line.date is not None and (invoice_date - line.date).days > limit:
                days = (invoice_date - line.date).days
                message = (
                    f"line dated {line.date} is {days} days older than the invoice date "
                    f"{invoice_date} (limit {limit})"
                )
                evidence = line_evidence(line, "LINE_ITEM_DATE") | {
                    "INVOICE_DATE": invoice_date.isoformat(),
                    "days": days,
                }
                yield Finding(index, message, evidence)


class FutureDatedLine(Rule):
    id = "future-dated-line"

    def skip_reason(self, run: Run) -> str | None:
        return _needs_invoice_date(run)

    def check(self, run: Run, settings: RuleSettings) -> Iterator[Finding]:
        invoice_date = run.invoice.invoice_date
        assert invoice_date is not None
        for index, line in run.lines(FEE, EXPENSE):
            if line.date is not None and line.date > invoice_date:
                message = f"line dated {line.date} is after the invoice date {invoice_date}"
                evidence = line_evidence(line, "LINE_ITEM_DATE") | {
                    "INVOICE_DATE": invoice_date.isoformat()
                }
                yield Finding(index, message, evidence)
