"""`legalops import payments FILE` (and the web import page): payments from the AP system,
one row per payment, `law_firm_id,invoice_number,paid_date,amount[,reference]`. The whole
file is checked first (unknown invoice, not sent to AP, more than is outstanding, a bad date
or amount, the same payment twice) and written all-or-nothing; a row already recorded is
`unchanged`, so importing the same file again is safe."""

from __future__ import annotations

from legalops.core.imports import (
    Cells,
    Plan,
    Row,
    RowError,
    TableImporter,
    cell_date,
    cell_decimal,
    cell_required,
    register,
)
from legalops.core.money import MoneyError, currency, format_minor, to_minor
from legalops.invoices.models import SUPERSEDED_STATES, Invoice, State
from legalops.payables import selectors, services
from legalops.payables.models import Payment, PaymentSource


def _invoice(row: Row) -> Invoice:
    firm_id, number = cell_required(row, "law_firm_id"), cell_required(row, "invoice_number")
    found = (
        Invoice.objects.filter(invoice_number=number, firm__law_firm_id=firm_id)
        .exclude(state__in=SUPERSEDED_STATES)
        .select_related("firm")
        .first()
    )
    if found is None:
        raise RowError("invoice_number", f"no invoice {number!r} of firm {firm_id!r}")
    if found.state not in (State.SENT_TO_AP, State.PAID):
        raise RowError(
            "invoice_number",
            f"invoice {number} is {found.get_state_display().lower()}, not sent to AP",
        )
    return found


def _amount(row: Row, invoice: Invoice) -> int:
    places = currency(invoice.currency).minor_unit
    value = cell_decimal(row, "amount", places=places)
    assert value is not None  # required: cell_decimal raised otherwise
    try:
        minor = to_minor(value, invoice.currency)
    except MoneyError as exc:
        raise RowError("amount", str(exc)) from None
    if minor <= 0:
        raise RowError("amount", "a payment is more than 0")
    return minor


@register
class PaymentImporter(TableImporter):
    kind = "payments"
    columns = ("law_firm_id", "invoice_number", "paid_date", "amount", "reference")
    optional = ("reference",)
    example = ("36-1234567", "INV-2026-0042", "2026-04-30", "12500.00", "PAY-778812")
    description = (
        "Payments made by accounts payable (amount in the invoice's currency); an invoice is "
        "paid once its payments reach what was sent to AP."
    )

    def plan_row(self, row: Row, plan: Plan) -> None:
        cells = Cells(row, plan)
        invoice = cells.get(_invoice)
        paid_on = cells.get(cell_date, "paid_date")
        amount = cells.get(_amount, invoice) if invoice is not None else None
        if cells.failed or invoice is None or amount is None:
            return
        if not plan.once((invoice.pk, paid_on, amount), "payment"):
            return
        label = f"{invoice.invoice_number} ({invoice.firm.law_firm_id}) paid {paid_on}"
        if Payment.objects.filter(invoice=invoice, paid_on=paid_on, amount_minor=amount).exists():
            plan.add("unchanged", label, None)
            return
        left = plan.cache.setdefault(("owed", invoice.pk), selectors.outstanding_minor(invoice))
        if amount > left:
            cur = invoice.currency
            plan.bad(
                "amount",
                f"{format_minor(amount, cur)} is more than the {format_minor(left, cur)} {cur} "
                f"outstanding on invoice {invoice.invoice_number}",
            )
            return
        plan.cache[("owed", invoice.pk)] = left - amount
        reference = row["reference"]
        plan.add(
            "create",
            label,
            lambda actor: services.payment_record(
                actor=actor,
                invoice=invoice,
                paid_on=paid_on,
                amount_minor=amount,
                source=PaymentSource.IMPORT,
                reference=reference,
            ),
        )
