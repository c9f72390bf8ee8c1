"""Reads of appeals, scoped like invoices: a firm user sees its firm's, a reviewer those of the
invoices they may see. Also the deadline and which lines a firm may still appeal."""

from __future__ import annotations

import datetime

from django.db.models import F, Q, QuerySet

from legalops.accounts.models import User
from legalops.appeals.models import Appeal, AppealItem, AppealPolicy, AppealStatus, Decision
from legalops.invoices.models import Invoice, InvoiceLine, State, StateChange
from legalops.invoices.selectors import visible_invoices

APPEALABLE_STATES = (State.APPROVED_ADJUSTED, State.SENT_TO_AP, State.PAID)


def policy_get() -> AppealPolicy:
    return AppealPolicy.objects.filter(pk=1).first() or AppealPolicy(pk=1)


def first_decision(invoice: Invoice) -> datetime.datetime | None:
    """When the invoice was first approved: the appeal period runs from there, so returning
    from an appeal does not reopen it."""
    row = (
        StateChange.objects.filter(
            invoice=invoice, to_state__in=(State.APPROVED, State.APPROVED_ADJUSTED)
        )
        .order_by("at", "pk")
        .values_list("at", flat=True)
        .first()
    )
    return row or invoice.decided_at


def appeal_deadline(invoice: Invoice) -> datetime.date | None:
    decided = first_decision(invoice)
    if decided is None:
        return None
    return decided.date() + datetime.timedelta(days=policy_get().deadline_days)


def appealed_line_ids(invoice: Invoice) -> set[int]:
    """Lines appealed before (each line once; a withdrawn appeal frees its lines)."""
    items = AppealItem.objects.filter(appeal__invoice=invoice).exclude(
        appeal__status=AppealStatus.WITHDRAWN
    )
    return set(items.values_list("line_id", flat=True))


def appealable_lines(invoice: Invoice) -> list[InvoiceLine]:
    """Lines with money taken off that have not been appealed yet."""
    taken = appealed_line_ids(invoice)
    lines = invoice.lines.filter(billed_minor__gt=0).order_by("index")
    return [
        line for line in lines if line.approved_minor < line.billed_minor and line.pk not in taken
    ]


def can_appeal(invoice: Invoice, today: datetime.date) -> tuple[bool, str]:
    """Whether the firm may appeal now, and if not why (shown on the invoice's panel)."""
    if invoice.state == State.APPEALED:
        return False, "an appeal of this invoice is open"
    if invoice.state not in APPEALABLE_STATES:
        return False, "only approved invoices with adjustments can be appealed"
    deadline = appeal_deadline(invoice)
    if deadline is not None and today > deadline:
        return False, f"the appeal period ended on {deadline.isoformat()}"
    if not appealable_lines(invoice):
        return False, "every adjusted line has been appealed already"
    return True, ""


def appeal_list(
    *, user: User, status: str = "", search: str = "", firm_id: int | None = None
) -> QuerySet[Appeal]:
    rows = Appeal.objects.filter(invoice__in=visible_invoices(user)).select_related(
        "invoice__firm", "invoice__matter", "filed_by"
    )
    if status:
        rows = rows.filter(status=status)
    if search:
        rows = rows.filter(
            Q(invoice__invoice_number__icontains=search)
            | Q(invoice__matter__number__icontains=search)
            | Q(invoice__firm__name__icontains=search)
        )
    if firm_id:
        rows = rows.filter(invoice__firm_id=firm_id)
    return rows


def appeal_get(*, user: User, pk: int) -> Appeal:
    return appeal_list(user=user).get(pk=pk)


def appeal_items(appeal: Appeal) -> QuerySet[AppealItem]:
    return appeal.items.select_related("line", "decided_by").order_by("line__index")


def appealable_invoices(*, user: User, today: datetime.date) -> list[Invoice]:
    """The firm user's invoices that may be appealed today (the portal's "appeal" list)."""
    candidates = (
        visible_invoices(user)
        .filter(state__in=APPEALABLE_STATES, approved_minor__lt=F("billed_minor"))
        .select_related("matter")
        .order_by("-decided_at", "-pk")
    )
    return [inv for inv in candidates[:200] if can_appeal(inv, today)[0]]


def pending_items(appeal: Appeal) -> int:
    return appeal.items.filter(decision=Decision.PENDING).count()
