"""Reviewing an invoice in the platform: build the engine's records from the database, run the
guidelines version in force, and store its flags and proposed adjustments.

The records come from the stored lines (not from the file), so a re-review, a backtest and the
first review all see the same data, and the flags of every rule whose data the offline review
also has equal those of `legalops review` (spec/cli.md, `invoices show`).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import asdict
from decimal import Decimal

from django.db.models import Prefetch, Q, QuerySet

from legalops.core.money import from_minor, to_minor
from legalops.guidelines import records
from legalops.guidelines.config import Guidelines
from legalops.guidelines.engine import review
from legalops.guidelines.results import InvoiceResult
from legalops.invoices.models import (
    SUPERSEDED_STATES,
    GuidelinesVersion,
    Invoice,
    InvoiceLine,
)
from legalops.invoices.rulebook import guidelines_in_force, guidelines_of
from legalops.matters.models import Matter, VersionStatus
from legalops.matters.spend import spent
from legalops.organization.selectors import company_get
from legalops.vendors.selectors import rate_card_rows

# Earlier invoices of the firm considered for duplicates and daily totals.
HISTORY_DAYS = 400
MATTER_CODE_SETS = {
    "litigation": ("litigation", "activity", "expense"),
    "counseling": ("counseling", "activity", "expense"),
    "project": ("project", "activity", "expense"),
}


def line_record(line: InvoiceLine, matter_number: str) -> records.Line:
    return records.Line(
        number=line.line_item_number,
        kind=line.kind,
        total=line.billed_total,
        date=line.date,
        units=line.units,
        unit_cost=line.unit_cost,
        adjustment=line.ledes_adjustment,
        task_code=line.task_code,
        activity_code=line.activity_code,
        expense_code=line.expense_code,
        timekeeper_id=line.timekeeper_ref,
        timekeeper_name=line.timekeeper_name,
        classification=line.classification,
        narrative=line.narrative,
        position=line.position,
        client_matter_id=matter_number,
    )


def invoice_record(invoice: Invoice, lines: Iterable[InvoiceLine]) -> records.Invoice:
    number = invoice.matter.number
    return records.Invoice(
        invoice_number=invoice.invoice_number,
        law_firm_id=invoice.firm.law_firm_id,
        lines=tuple(line_record(line, number) for line in lines),
        client_matter_id=number,
        invoice_date=invoice.invoice_date,
        billing_start=invoice.billing_start,
        billing_end=invoice.billing_end,
        currency=invoice.stated_currency or None,
        client_id=invoice.client_id,
        law_firm_matter_id=invoice.law_firm_matter_id,
    )


def matter_record(matter: Matter) -> records.Matter:
    return records.Matter(
        client_matter_id=matter.number,
        matter_type=matter.matter_type,
        currency=matter.currency,
        closed=matter.closed_on,
        code_sets=MATTER_CODE_SETS.get(matter.code_set),
    )


def rate_entries(invoice: Invoice) -> tuple[records.RateEntry, ...]:
    """The firm's whole rate card (the engine applies matter-scoped rows to their matter only),
    each row numbered as in the firm's RATES.csv download, so that a flag's "rate card line N"
    points at the same row online and offline."""
    rows = rate_card_rows(firm=invoice.firm)
    return tuple(
        records.RateEntry(**asdict(row), source_line=number)
        for number, row in enumerate(rows, start=2)
    )


def history_records(
    invoice: Invoice,
    lines: Iterable[InvoiceLine] | None = None,
    known: dict[int, records.Invoice] | None = None,
) -> tuple[records.Invoice, ...]:
    """The firm's earlier invoices that still count (not voided or replaced).

    With this invoice's `lines`, only the earlier lines dated on one of their dates are loaded:
    the history rules match lines of the same date (duplicate lines) or invoice numbers only
    (duplicate invoice), so the flags are the same, and intake no longer rebuilds the firm's
    whole year of lines for every invoice it receives. `known` keeps whole records already
    built across calls instead (a backtest replays many invoices of one firm, whose histories
    overlap), so each invoice's lines are read once per run."""
    since = invoice.invoice_date - datetime.timedelta(days=HISTORY_DAYS)
    earlier = (
        Invoice.objects.filter(firm=invoice.firm, invoice_date__gte=since)
        .exclude(pk=invoice.pk)
        .exclude(state__in=SUPERSEDED_STATES)
        .filter(Q(received_at__lt=invoice.received_at) | Q(pk__lt=invoice.pk))
        .order_by("received_at", "pk")
    )
    if known is None:
        loaded = earlier.select_related("firm", "matter").prefetch_related(
            Prefetch("lines", queryset=_lines_on_dates_of(lines))
        )
        return tuple(invoice_record(other, other.lines.all()) for other in loaded)
    pks = list(earlier.values_list("pk", flat=True))
    missing = [pk for pk in pks if pk not in known]
    for start in range(0, len(missing), 500):
        chunk = Invoice.objects.filter(pk__in=missing[start : start + 500])
        for other in chunk.select_related("firm", "matter").prefetch_related("lines"):
            known[other.pk] = invoice_record(other, other.lines.all())
    return tuple(known[pk] for pk in pks)


def _lines_on_dates_of(lines: Iterable[InvoiceLine] | None) -> QuerySet[InvoiceLine]:
    """All lines, or (given an invoice's lines) those dated on one of their dates."""
    shown = InvoiceLine.objects.all()
    if lines is None:
        return shown
    dates = {line.date for line in lines}
    same_day = Q(date__in=[d for d in dates if d is not None])
    if None in dates:
        same_day |= Q(date__isnull=True)
    return shown.filter(same_day)


def budget_records(invoice: Invoice) -> tuple[records.Budget, ...]:
    """The approved budgets of this firm on this matter for the invoice's fiscal year, with
    what is already approved against them (this invoice excluded)."""
    company = company_get()
    year = company.fiscal_year_of(invoice.billing_end or invoice.invoice_date)
    start, end = company.fiscal_year_bounds(year)
    budgets = (
        invoice.matter.budgets.filter(
            firm=invoice.firm, fiscal_year=year, approved_version__status=VersionStatus.APPROVED
        )
        .select_related("approved_version")
        .prefetch_related("approved_version__lines")
    )
    used = spent(matter_ids=[invoice.matter_id], start=start, end=end).get(
        (invoice.matter_id, invoice.firm_id)
    )
    found = []
    for budget in budgets:
        version = budget.approved_version
        assert version is not None
        for line in version.lines.all():
            phase = line.phase
            done = (used.by_phase.get(phase, 0) if phase else used.total_minor) if used else 0
            found.append(
                records.Budget(
                    amount=from_minor(line.amount_minor, budget.currency),
                    approved_to_date=from_minor(done, budget.currency),
                    currency=budget.currency,
                    phase=phase,
                    label=f"FY{year} v{version.number}",
                )
            )
    return tuple(found)


def review_context(
    invoice: Invoice,
    *,
    as_of: datetime.date,
    lines: Iterable[InvoiceLine] | None = None,
    known: dict[int, records.Invoice] | None = None,
) -> records.ReviewContext:
    return records.ReviewContext(
        as_of=as_of,
        rates=rate_entries(invoice),
        matter=matter_record(invoice.matter),
        budgets=budget_records(invoice),
        history=history_records(invoice, lines, known),
        default_currency=company_get().reporting_currency,
    )


def run_review(
    invoice: Invoice,
    version: GuidelinesVersion | None = None,
    *,
    as_of: datetime.date | None = None,
) -> tuple[GuidelinesVersion, InvoiceResult]:
    """Reviews the stored invoice without changing anything (intake, re-review)."""
    version = version or guidelines_in_force(invoice.billing_end or invoice.invoice_date)
    return version, review_with(invoice, guidelines_of(version), as_of=as_of)


def review_with(
    invoice: Invoice,
    guidelines: Guidelines,
    *,
    as_of: datetime.date | None = None,
    known: dict[int, records.Invoice] | None = None,
) -> InvoiceResult:
    """The engine's result for the stored invoice under any guidelines (a draft, a file not
    stored at all), built from exactly the data a platform review uses; changes nothing.
    Backtests replay the past through this (with `known`: see `history_records`)."""
    lines = list(invoice.lines.order_by("index"))
    return review(
        invoice_record(invoice, lines),
        review_context(invoice, as_of=as_of or invoice.received_on, lines=lines, known=known),
        guidelines,
    )


def minor(amount: Decimal, currency: str) -> int:
    return to_minor(amount, currency)
