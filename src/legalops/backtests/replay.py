"""Replaying one stored invoice: the engine's result under the backtested guidelines, turned
into the same money a platform review would store (`review_store`), next to the invoice's
actual flags, automatic adjustments and approved total. Reads only."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Sum

from legalops.backtests.models import BacktestInvoice, BacktestRule
from legalops.core.money import to_minor
from legalops.guidelines import records
from legalops.guidelines.config import Guidelines
from legalops.guidelines.results import Flag as EngineFlag
from legalops.guidelines.results import InvoiceResult
from legalops.invoices.models import Adjustment, Flag, Invoice
from legalops.invoices.review import review_with
from legalops.invoices.services import line_approved


@dataclass
class RuleTally:
    flags: int = 0
    lines: set[int] = field(default_factory=set)
    proposed_minor: int = 0
    actual_flags: int = 0
    actual_lines: set[int] = field(default_factory=set)
    actual_proposed_minor: int = 0
    actual_adjusted_minor: int = 0


@dataclass
class Replayed:
    item: BacktestInvoice
    rules: list[BacktestRule]


def replay(
    invoice: Invoice, guidelines: Guidelines, known: dict[int, records.Invoice] | None = None
) -> Replayed:
    """`invoice` with firm and matter loaded. As of its receipt date, as its review was;
    `known` carries the history records built for earlier invoices of the run."""
    result = review_with(invoice, guidelines, known=known)
    billed = list(invoice.lines.order_by("index").values_list("pk", "billed_minor"))
    tallies: dict[str, RuleTally] = defaultdict(RuleTally)
    approved = _would_approve(invoice, result, billed, tallies)
    actual_lines = _actual(invoice, tallies)
    item = BacktestInvoice(
        invoice=invoice,
        firm_id=invoice.firm_id,
        matter_id=invoice.matter_id,
        currency=invoice.currency,
        state=invoice.state,
        lines=len(billed),
        billed_minor=invoice.billed_minor,
        flags=sum(t.flags for t in tallies.values()),
        flagged_lines=len(set().union(*(t.lines for t in tallies.values()))),
        approved_minor=approved,
        returned=result.returned,
        actual_guidelines_id=invoice.guidelines_id,
        actual_flags=sum(t.actual_flags for t in tallies.values()),
        actual_flagged_lines=actual_lines,
        actual_approved_minor=invoice.approved_minor,
    )
    return Replayed(item=item, rules=[_rule_row(rule, t) for rule, t in sorted(tallies.items())])


def _would_approve(
    invoice: Invoice,
    result: InvoiceResult,
    billed: list[tuple[int, int]],
    tallies: dict[str, RuleTally],
) -> int:
    """What `review_store` + `totals_refresh` would have made the approved total: each line's
    flags as adjustments (capped by `line_approved`), nothing when the invoice is returned."""
    for flag in result.flags:
        _count(tallies[flag.rule], flag, None, invoice.currency)
    total = 0
    for (line_pk, billed_minor), outcome in zip(billed, result.lines, strict=True):
        net = 0
        for flag in outcome.flags:
            net += _count(tallies[flag.rule], flag, line_pk, invoice.currency)
        total += line_approved(billed_minor, net)
    return 0 if result.returned else total


def _count(tally: RuleTally, flag: EngineFlag, line_pk: int | None, currency: str) -> int:
    amount = to_minor(flag.amount, currency)
    tally.flags += 1
    tally.proposed_minor += amount
    if line_pk is not None:
        tally.lines.add(line_pk)
    return amount


def _actual(invoice: Invoice, tallies: dict[str, RuleTally]) -> int:
    """The invoice's stored flags and what their automatic adjustments still take off; returns
    the number of lines that carry a flag."""
    flagged: set[int] = set()
    for rule, line_pk, amount in Flag.objects.filter(invoice=invoice).values_list(
        "rule", "line_id", "amount_minor"
    ):
        tally = tallies[rule]
        tally.actual_flags += 1
        tally.actual_proposed_minor += amount
        if line_pk is not None:
            tally.actual_lines.add(line_pk)
            flagged.add(line_pk)
    standing = (
        Adjustment.objects.filter(invoice=invoice, flag__isnull=False, withdrawn_at__isnull=True)
        .values("flag__rule")
        .annotate(amount=Sum("amount_minor"), reinstated=Sum("reinstated_minor"))
    )
    for row in standing:
        tallies[row["flag__rule"]].actual_adjusted_minor += row["amount"] + row["reinstated"]
    return len(flagged)


def _rule_row(rule: str, tally: RuleTally) -> BacktestRule:
    return BacktestRule(
        rule=rule,
        flags=tally.flags,
        lines=len(tally.lines),
        proposed_minor=tally.proposed_minor,
        actual_flags=tally.actual_flags,
        actual_lines=len(tally.actual_lines),
        actual_proposed_minor=tally.actual_proposed_minor,
        actual_adjusted_minor=tally.actual_adjusted_minor,
    )
