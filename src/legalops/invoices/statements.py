"""What a firm is told about its invoice: once decided, the approved amount and every
adjustment with its explanation (the rule's message and the reviewer's reason code and
comment), and for a rejection the reason. While the invoice is still being reviewed the
firm sees its state only: the reviewer's proposals are not decisions yet."""

from __future__ import annotations

from dataclasses import dataclass

from legalops.invoices.models import Adjustment, Invoice, ReasonCode, State, StateChange

DISCLOSED_STATES = (
    State.APPROVED,
    State.APPROVED_ADJUSTED,
    State.REJECTED,
    State.SENT_TO_AP,
    State.PAID,
    State.APPEALED,
)


@dataclass(frozen=True)
class AdjustmentView:
    adjustment: Adjustment
    reason_code: str
    reason: str  # the reason code's label, or the rule id of an automatic adjustment
    explanation: str  # the rule's message (automatic) or the reviewer's comment (manual)
    comment: str  # the reviewer's comment on the flag, when they gave one

    @property
    def net_minor(self) -> int:
        return self.adjustment.net_minor


def decisions_disclosed(invoice: Invoice) -> bool:
    return invoice.state in DISCLOSED_STATES


def firm_adjustments(invoice: Invoice) -> list[AdjustmentView]:
    """The adjustments that stand (not withdrawn, not overridden), line by line."""
    if not decisions_disclosed(invoice):
        return []
    labels = dict(ReasonCode.objects.values_list("code", "label"))
    rows = (
        Adjustment.objects.filter(invoice=invoice, withdrawn_at__isnull=True)
        .select_related("line", "flag")
        .order_by("line__index", "created_at", "pk")
    )
    return [_view(row, labels) for row in rows]


def _view(row: Adjustment, labels: dict[str, str]) -> AdjustmentView:
    if row.flag is not None:
        return AdjustmentView(
            row, row.reason_code, row.flag.rule, row.flag.message, row.flag.comment
        )
    return AdjustmentView(
        row, row.reason_code, labels.get(row.reason_code, row.reason_code), row.comment, ""
    )


def rejection(invoice: Invoice) -> StateChange | None:
    """The transition that rejected the invoice (its reason code and comment)."""
    if invoice.state != State.REJECTED:
        return None
    return (
        StateChange.objects.filter(invoice=invoice, to_state=State.REJECTED)
        .order_by("-at", "-pk")
        .first()
    )
