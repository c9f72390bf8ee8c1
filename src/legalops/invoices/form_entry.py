"""Invoices entered in the portal's form, for firms that cannot produce LEDES.

The form becomes a LEDES 1998B file (`legalops.ledes.write`) and goes through the one intake
service like any upload, so the same checks, duplicates and review apply; the invoice PDF
(required) and the receipts of expense lines are filed with it in the same transaction. The
generated file is stored as the invoice's original, so a reviewer can download exactly what
was received and `legalops review` can re-run it offline.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from legalops import ledes
from legalops.accounts.models import User
from legalops.core.money import currency
from legalops.invoices.documents import Document, content_type_of, invoice_documents_attach
from legalops.invoices.intake import RECEIVED, IntakeReport, invoice_intake
from legalops.invoices.models import Source
from legalops.ledes.conversion import write
from legalops.matters.models import Matter
from legalops.vendors.models import LawFirm, Timekeeper

MAX_LINES = 80


@dataclass(frozen=True)
class EntryLine:
    """A fee (F: a timekeeper's hours at a rate, with task and activity codes) or an
    expense (E: quantity at a unit cost, with an expense code)."""

    kind: str
    date: datetime.date
    units: Decimal
    rate: Decimal
    narrative: str
    timekeeper: Timekeeper | None = None
    task_code: str = ""
    activity_code: str = ""
    expense_code: str = ""
    receipt: Document | None = None


@dataclass(frozen=True)
class EntryInvoice:
    matter: Matter
    invoice_number: str
    invoice_date: datetime.date
    billing_start: datetime.date
    billing_end: datetime.date
    description: str
    lines: tuple[EntryLine, ...]
    client_id: str = ""  # the firm's number for us (LEDES CLIENT_ID)
    law_firm_matter_id: str = ""  # the firm's number for the matter

    @property
    def filename(self) -> str:
        return f"{self.invoice_number}-form.txt"


def line_total(line: EntryLine, code: str) -> Decimal:
    """Units x rate rounded to the currency's minor unit, as the firm's own system would."""
    step = Decimal(1).scaleb(-currency(code).minor_unit)
    return (line.units * line.rate).quantize(step, rounding=ROUND_HALF_UP)


def entry_ledes(*, firm: LawFirm, entry: EntryInvoice) -> bytes:
    """The form as a LEDES 1998B file."""
    if not entry.lines:
        raise ValidationError("an invoice needs at least one line")
    if len(entry.lines) > MAX_LINES:
        raise ValidationError(f"at most {MAX_LINES} lines per form; send larger invoices as LEDES")
    code = entry.matter.currency
    items = tuple(_item(n, line, entry, code) for n, line in enumerate(entry.lines, start=1))
    invoice = ledes.Invoice(
        invoice_number=entry.invoice_number,
        invoice_date=entry.invoice_date,
        law_firm_id=firm.law_firm_id,
        client_id=entry.client_id,
        client_matter_id=entry.matter.number,
        law_firm_matter_id=entry.law_firm_matter_id,
        billing_start_date=entry.billing_start,
        billing_end_date=entry.billing_end,
        description=entry.description,
        currency=None,
        total=sum((item.total or Decimal(0) for item in items), Decimal(0)),
        line_items=items,
    )
    return write([invoice], "1998B").encode("utf-8")


def _item(number: int, line: EntryLine, entry: EntryInvoice, code: str) -> ledes.LineItem:
    keeper = line.timekeeper
    fee = line.kind == "F"
    return ledes.LineItem(
        line_item_number=str(number),
        type=line.kind,
        total=line_total(line, code),
        date=line.date,
        units=line.units,
        unit_cost=line.rate,
        adjustment_amount=Decimal(0),
        task_code=line.task_code if fee else None,
        activity_code=line.activity_code if fee else None,
        expense_code=None if fee else line.expense_code,
        timekeeper_id=keeper.timekeeper_id if fee and keeper else None,
        timekeeper_name=keeper.name if fee and keeper else None,
        timekeeper_classification=keeper.classification if fee and keeper else None,
        description=line.narrative,
        client_matter_id=entry.matter.number,
    )


@transaction.atomic
def invoice_form_submit(
    *, actor: User | None, firm: LawFirm, entry: EntryInvoice, pdf: Document
) -> IntakeReport:
    """Receives a form-entered invoice with its PDF and receipts, or nothing at all."""
    content_type_of(pdf, pdf_only=True)
    for line in entry.lines:
        if line.receipt is not None:
            content_type_of(line.receipt)
    report = invoice_intake(
        actor=actor,
        data=entry_ledes(firm=firm, entry=entry),
        filename=entry.filename,
        source=Source.FORM,
    )
    outcome = report.outcomes[0] if report.outcomes else None
    if not report.accepted or outcome is None or outcome.status != RECEIVED:
        return report  # refused (nothing was written) or a duplicate (nothing to write)
    invoice = outcome.invoice
    assert invoice is not None
    lines = list(invoice.lines.order_by("index"))
    receipts = {
        lines[n]: line.receipt for n, line in enumerate(entry.lines) if line.receipt is not None
    }
    invoice_documents_attach(actor=actor, invoice=invoice, pdf=pdf, receipts=receipts)
    return report
