"""The invoice lifecycle (spec/cli.md states) and who may move an invoice through it.

Every transition goes through `transition`, which checks that it is allowed, writes a
`StateChange` (cycle times are computed from them) and the audit event in the caller's
transaction. Services lock the invoice row first (`locked`) so that two people acting at once
(two approvers, say) cannot both succeed.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from legalops.accounts.models import Role, User
from legalops.accounts.permissions import Capability, has_capability, require
from legalops.audit.events import Event
from legalops.audit.services import audit_record
from legalops.invoices.models import Invoice, State, StateChange
from legalops.reports.rollups import rollup_touch

S = State
ALLOWED: dict[str, frozenset[str]] = {
    S.RECEIVED: frozenset({S.IN_REVIEW, S.REJECTED, S.VOIDED}),
    S.IN_REVIEW: frozenset(
        {S.PENDING_APPROVAL, S.ON_HOLD, S.APPROVED, S.APPROVED_ADJUSTED, S.REJECTED, S.VOIDED}
    ),
    S.PENDING_APPROVAL: frozenset(
        {S.ON_HOLD, S.APPROVED, S.APPROVED_ADJUSTED, S.REJECTED, S.IN_REVIEW}
    ),
    S.ON_HOLD: frozenset({S.IN_REVIEW, S.PENDING_APPROVAL, S.REJECTED, S.VOIDED}),
    S.APPROVED: frozenset({S.SENT_TO_AP, S.APPEALED, S.VOIDED}),
    S.APPROVED_ADJUSTED: frozenset({S.SENT_TO_AP, S.APPEALED, S.VOIDED}),
    S.REJECTED: frozenset({S.RESUBMITTED, S.APPEALED, S.VOIDED}),
    S.SENT_TO_AP: frozenset({S.PAID, S.APPEALED}),
    S.PAID: frozenset({S.APPEALED}),
    S.APPEALED: frozenset({S.APPROVED, S.APPROVED_ADJUSTED, S.REJECTED, S.SENT_TO_AP, S.PAID}),
    S.RESUBMITTED: frozenset(),
    S.VOIDED: frozenset(),
}
REVIEWABLE = (S.RECEIVED, S.IN_REVIEW, S.ON_HOLD)
DECIDED = (S.APPROVED, S.APPROVED_ADJUSTED, S.SENT_TO_AP, S.PAID)


def locked(invoice: Invoice) -> Invoice:
    """The invoice re-read under a row lock (PostgreSQL; SQLite's IMMEDIATE transactions
    already serialise writers). Call inside the service's transaction. Only the invoice's
    row: locking its firm and matter too (the joined rows) could deadlock with the rollup
    refresh of a decision that just committed, which locks the matter, then the firm."""
    rows = Invoice.objects.select_for_update(of=("self",)).select_related("firm", "matter")
    return rows.get(pk=invoice.pk)


def transition(
    invoice: Invoice,
    to_state: str,
    *,
    actor: User | None,
    reason_code: str = "",
    comment: str = "",
) -> Invoice:
    before = invoice.state
    if to_state not in ALLOWED[before]:
        raise ValidationError(
            f"invoice {invoice.invoice_number} is {State(before).label.lower()}; it cannot "
            f"become {State(to_state).label.lower()}"
        )
    invoice.state = to_state
    # The first decision counts for cycle times; an appeal's outcome does not move it.
    if to_state in (S.APPROVED, S.APPROVED_ADJUSTED, S.REJECTED) and invoice.decided_at is None:
        invoice.decided_at = timezone.now()
    invoice.save(update_fields=["state", "decided_at"])
    rollup_touch(invoice)
    StateChange.objects.create(
        invoice=invoice,
        from_state=before,
        to_state=to_state,
        actor=actor,
        reason_code=reason_code,
        comment=comment,
    )
    audit_record(
        actor=actor,
        event=Event.INVOICE_STATE_CHANGED,
        target=invoice,
        payload={"old": {"state": before}, "new": {"state": to_state}, "reason_code": reason_code},
        reason=comment,
    )
    return invoice


def decided_state(invoice: Invoice) -> str:
    """Approved as billed, or approved with adjustments."""
    return S.APPROVED if invoice.approved_minor == invoice.billed_minor else S.APPROVED_ADJUSTED


def can_review(user: User | None, invoice: Invoice) -> bool:
    """Legal ops, or an attorney who leads the invoice's matter or is on its team."""
    if user is None:
        return True
    if not has_capability(user, Capability.REVIEW_INVOICES):
        return False
    if user.role == Role.ADMIN:
        return True
    matter = invoice.matter
    return matter.lead_attorney_id == user.pk or matter.team.filter(pk=user.pk).exists()


def require_reviewer(user: User | None, invoice: Invoice) -> None:
    require(user, Capability.REVIEW_INVOICES)
    if not can_review(user, invoice):
        raise PermissionDenied("only legal ops and the matter's team review this invoice")


def require_state(invoice: Invoice, *states: str) -> None:
    if invoice.state not in states:
        names = ", ".join(State(s).label.lower() for s in states)
        raise ValidationError(
            f"invoice {invoice.invoice_number} is {State(invoice.state).label.lower()}; "
            f"this needs it to be {names}"
        )
