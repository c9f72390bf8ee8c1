"""Reads for accounts payable (finance and legal ops only): what is ready to export, batches,
payments, vendor numbers and the layout in force."""

from __future__ import annotations

from django.db.models import Q, QuerySet, Sum

from legalops.accounts.models import User
from legalops.accounts.permissions import Capability, has_capability
from legalops.invoices.models import Invoice, State
from legalops.payables.layout import BY_KEY, DEFAULT_COLUMNS
from legalops.payables.models import ApBatch, ApBatchLine, ApLayout, Payment, Supplemental

READY_STATES = (State.APPROVED, State.APPROVED_ADJUSTED)
# Finance sees every invoice the company has agreed to pay, whoever approved it.
FINANCE_STATES = (*READY_STATES, State.SENT_TO_AP, State.PAID, State.APPEALED)


def _finance(user: User) -> bool:
    return has_capability(user, Capability.MANAGE_PAYABLES)


def layout_get() -> ApLayout:
    layout = ApLayout.objects.filter(pk=1).first()
    if layout is None:
        layout = ApLayout(pk=1, columns=[[k, BY_KEY[k].header] for k in DEFAULT_COLUMNS])
    return layout


def finance_invoices(user: User) -> QuerySet[Invoice]:
    """Invoices finance handles (approved, with AP, paid); none for anyone else."""
    if not _finance(user):
        return Invoice.objects.none()
    return Invoice.objects.filter(state__in=FINANCE_STATES).select_related("firm", "matter")


def ready_invoices(
    *, user: User, search: str = "", firm_id: int | None = None
) -> QuerySet[Invoice]:
    """Approved invoices not yet sent to AP."""
    rows = finance_invoices(user).filter(state__in=READY_STATES)
    if search:
        rows = rows.filter(
            Q(invoice_number__icontains=search)
            | Q(firm__name__icontains=search)
            | Q(matter__number__icontains=search)
        )
    if firm_id:
        rows = rows.filter(firm_id=firm_id)
    return rows


def pending_supplementals(*, user: User) -> QuerySet[Supplemental]:
    """Reinstatements after export that the next batch will carry."""
    if not _finance(user):
        return Supplemental.objects.none()
    return Supplemental.objects.filter(batch_line__isnull=True).select_related(
        "invoice__firm", "invoice__matter"
    )


def batch_list(*, user: User, search: str = "") -> QuerySet[ApBatch]:
    if not _finance(user):
        return ApBatch.objects.none()
    rows = ApBatch.objects.select_related("created_by")
    if search:
        rows = rows.filter(
            Q(number__icontains=search) | Q(lines__invoice__invoice_number__icontains=search)
        ).distinct()
    return rows


def batch_lines(batch: ApBatch) -> QuerySet[ApBatchLine]:
    return batch.lines.select_related("invoice").order_by("position")


def payment_list(*, user: User, search: str = "", firm_id: int | None = None) -> QuerySet[Payment]:
    if not _finance(user):
        return Payment.objects.none()
    rows = Payment.objects.select_related("invoice__firm", "recorded_by")
    if search:
        rows = rows.filter(
            Q(invoice__invoice_number__icontains=search) | Q(reference__icontains=search)
        )
    if firm_id:
        rows = rows.filter(invoice__firm_id=firm_id)
    return rows


def payable_minor(invoice: Invoice) -> int:
    """What AP was asked to pay for the invoice: its batch rows (supplementals included), or
    its approved amount when it reached AP some other way (a history import)."""
    exported = ApBatchLine.objects.filter(invoice=invoice).aggregate(t=Sum("amount_minor"))["t"]
    return invoice.approved_minor if exported is None else exported


def paid_minor(invoice: Invoice) -> int:
    return Payment.objects.filter(invoice=invoice).aggregate(t=Sum("amount_minor"))["t"] or 0


def outstanding_minor(invoice: Invoice) -> int:
    return payable_minor(invoice) - paid_minor(invoice)
