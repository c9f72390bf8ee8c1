"""Writes for accounts payable: the export layout and vendor numbers, batches that send
approved invoices to AP (marking them `sent_to_ap`), supplemental lines for money reinstated
after export, and payments (the invoice is `paid` once they reach what AP was asked to pay)."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from legalops.accounts.models import User
from legalops.accounts.permissions import Capability, require
from legalops.audit.events import Event
from legalops.audit.services import audit_record
from legalops.core.money import format_minor
from legalops.invoices import workflow
from legalops.invoices.models import Invoice, State
from legalops.payables import selectors
from legalops.payables.layout import BY_KEY, FxCache, values_for
from legalops.payables.models import (
    ApBatch,
    ApBatchLine,
    ApLayout,
    DateFormat,
    LineKind,
    Payment,
    PaymentSource,
    Supplemental,
    VendorAccount,
)
from legalops.vendors.models import LawFirm


@transaction.atomic
def ap_layout_set(
    *, actor: User | None, columns: list[tuple[str, str]], date_format: str
) -> ApLayout:
    """`columns`: (field, header) in file order; headers default to the field's name."""
    require(actor, Capability.MANAGE_PAYABLES)
    if not columns:
        raise ValidationError({"columns": "choose at least one column"})
    keys = [key for key, _ in columns]
    unknown = [k for k in keys if k not in BY_KEY]
    if unknown:
        raise ValidationError({"columns": f"unknown fields: {', '.join(unknown)}"})
    if len(set(keys)) != len(keys):
        raise ValidationError({"columns": "a field may appear once"})
    if date_format not in DateFormat.values:
        raise ValidationError({"date_format": "choose one of the date formats"})
    layout = ApLayout.objects.select_for_update().filter(pk=1).first() or ApLayout(pk=1)
    old = {"columns": layout.columns, "date_format": layout.date_format}
    layout.columns = [[k, (h or "").strip() or BY_KEY[k].header] for k, h in columns]
    layout.date_format = date_format
    layout.save()
    audit_record(
        actor=actor,
        event=Event.AP_LAYOUT_SET,
        target=layout,
        payload={"old": old, "new": {"columns": layout.columns, "date_format": date_format}},
    )
    return layout


@transaction.atomic
def vendor_number_set(*, actor: User | None, firm: LawFirm, vendor_number: str) -> LawFirm:
    """Sets (or, with an empty number, clears) the firm's AP vendor number."""
    require(actor, Capability.MANAGE_PAYABLES)
    number = vendor_number.strip()
    account = VendorAccount.objects.filter(firm=firm).first()
    old = account.vendor_number if account else ""
    if number and VendorAccount.objects.filter(vendor_number=number).exclude(firm=firm).exists():
        raise ValidationError({"vendor_number": f"{number} belongs to another firm"})
    if not number and account is not None:
        account.delete()
    elif number:
        VendorAccount.objects.update_or_create(firm=firm, defaults={"vendor_number": number})
    if old != number:
        audit_record(
            actor=actor,
            event=Event.AP_VENDOR_NUMBER_SET,
            target=firm,
            payload={"old": {"vendor_number": old}, "new": {"vendor_number": number}},
        )
    return firm


def supplemental_add(
    *, actor: User | None, invoice: Invoice, amount_minor: int, reason: str
) -> Supplemental:
    """Called inside the appeal's transaction: money to pay on an invoice already sent."""
    if amount_minor <= 0:
        raise ValidationError("a supplemental line pays more, never less")
    row = Supplemental.objects.create(
        invoice=invoice,
        amount_minor=amount_minor,
        currency=invoice.currency,
        reason=reason[:255],
        created_by=actor,
    )
    audit_record(
        actor=actor,
        event=Event.AP_SUPPLEMENTAL_ADDED,
        target=invoice,
        payload={"amount": format_minor(amount_minor, invoice.currency), "reason": reason},
    )
    return row


def _next_number(now: datetime.datetime) -> str:
    prefix = f"AP-{now:%Y}-"
    last = ApBatch.objects.filter(number__startswith=prefix).aggregate(m=Max("number"))["m"]
    sequence = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{sequence:05d}"


def _invoice_rows(invoice_ids: list[int] | None) -> list[Invoice]:
    rows = Invoice.objects.select_for_update(of=("self",)).filter(state__in=selectors.READY_STATES)
    if invoice_ids is not None:
        rows = rows.filter(pk__in=invoice_ids)
        if rows.count() != len(set(invoice_ids)):
            raise ValidationError(
                "some of the chosen invoices are not (or no longer) approved and waiting for AP"
            )
    return list(rows.order_by("firm__name", "invoice_number", "pk"))


@transaction.atomic
def ap_batch_create(
    *, actor: User | None, invoice_ids: list[int] | None = None, with_supplementals: bool = True
) -> ApBatch:
    """Exports the chosen approved invoices (all of them when `invoice_ids` is None) and the
    pending supplemental lines in one batch, and marks the invoices sent to AP."""
    require(actor, Capability.MANAGE_PAYABLES)
    invoices = _invoice_rows(invoice_ids)
    extras = list(
        Supplemental.objects.select_for_update(of=("self",))
        .filter(batch_line__isnull=True)
        .select_related("invoice__firm", "invoice__matter")
        .order_by("pk")
        if with_supplementals
        else []
    )
    if not invoices and not extras:
        raise ValidationError("nothing to export: no approved invoice or supplemental line waits")
    now, layout = timezone.now(), selectors.layout_get()
    batch = ApBatch.objects.create(
        number=_next_number(now),
        columns=layout.columns,
        date_format=layout.date_format,
        created_by=actor,
        created_at=now,
        invoice_count=len(invoices),
        supplemental_count=len(extras),
    )
    cache: FxCache = {}
    lines = [_invoice_line(batch, n, actor, inv, now, cache) for n, inv in enumerate(invoices, 1)]
    lines += [_extra_line(batch, len(lines) + n, s, cache) for n, s in enumerate(extras, 1)]
    ApBatchLine.objects.bulk_create(lines)
    audit_record(
        actor=actor,
        event=Event.AP_BATCH_CREATED,
        target=batch,
        payload={"invoices": len(invoices), "supplementals": len(extras)},
    )
    return batch


def _invoice_line(
    batch: ApBatch,
    position: int,
    actor: User | None,
    invoice: Invoice,
    now: datetime.datetime,
    cache: FxCache,
) -> ApBatchLine:
    invoice = workflow.locked(invoice)
    workflow.transition(invoice, State.SENT_TO_AP, actor=actor, comment=f"AP batch {batch}")
    invoice.sent_to_ap_at = now
    invoice.save(update_fields=["sent_to_ap_at"])
    return batch_line_row(batch, position, invoice, cache)


def batch_line_row(batch: ApBatch, position: int, invoice: Invoice, cache: FxCache) -> ApBatchLine:
    """An invoice's row of a batch, its values frozen now (unsaved; the seed uses it too)."""
    return ApBatchLine(
        batch=batch,
        position=position,
        kind=LineKind.INVOICE,
        invoice=invoice,
        amount_minor=invoice.approved_minor,
        currency=invoice.currency,
        values=values_for(invoice, payable_minor=invoice.approved_minor, fx_cache=cache),
    )


def _extra_line(batch: ApBatch, position: int, extra: Supplemental, cache: FxCache) -> ApBatchLine:
    return ApBatchLine(
        batch=batch,
        position=position,
        kind=LineKind.SUPPLEMENTAL,
        invoice=extra.invoice,
        supplemental=extra,
        amount_minor=extra.amount_minor,
        currency=extra.currency,
        values=values_for(
            extra.invoice,
            payable_minor=extra.amount_minor,
            supplemental=True,
            note=extra.reason,
            fx_cache=cache,
        ),
    )


@transaction.atomic
def payment_record(
    *,
    actor: User | None,
    invoice: Invoice,
    paid_on: datetime.date,
    amount_minor: int | None = None,
    source: str = PaymentSource.MANUAL,
    reference: str = "",
) -> Payment:
    """Records money AP paid (all that is outstanding when `amount_minor` is None). The
    invoice becomes `paid` when nothing is left outstanding."""
    require(actor, Capability.MANAGE_PAYABLES)
    invoice = workflow.locked(invoice)
    workflow.require_state(invoice, State.SENT_TO_AP, State.PAID)
    owed = selectors.outstanding_minor(invoice)
    amount = owed if amount_minor is None else amount_minor
    _check_payment(invoice, paid_on, amount, owed)
    payment = Payment.objects.create(
        invoice=invoice,
        paid_on=paid_on,
        amount_minor=amount,
        currency=invoice.currency,
        source=source,
        reference=reference.strip()[:100],
        recorded_by=actor,
    )
    if amount == owed and invoice.state == State.SENT_TO_AP:
        workflow.transition(invoice, State.PAID, actor=actor, comment=f"paid on {paid_on}")
        invoice.paid_on = paid_on
        invoice.save(update_fields=["paid_on"])
    audit_record(
        actor=actor,
        event=Event.PAYMENT_RECORDED,
        target=invoice,
        payload={
            "paid_on": paid_on.isoformat(),
            "amount": format_minor(amount, invoice.currency),
            "outstanding": format_minor(owed - amount, invoice.currency),
            "source": source,
        },
    )
    return payment


def _check_payment(invoice: Invoice, paid_on: datetime.date, amount: int, owed: int) -> None:
    cur = invoice.currency
    if owed <= 0:
        raise ValidationError(f"invoice {invoice.invoice_number} has nothing left to pay")
    if amount <= 0:
        raise ValidationError({"amount": "a payment is more than 0"})
    if amount > owed:
        raise ValidationError(
            {
                "amount": f"{format_minor(amount, cur)} is more than the "
                f"{format_minor(owed, cur)} {cur} outstanding on invoice {invoice.invoice_number}"
            }
        )
    if paid_on > timezone.localdate():
        raise ValidationError({"paid_date": f"{paid_on} is in the future"})
