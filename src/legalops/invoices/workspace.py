"""Reads for the reviewer's invoice page (and the API's invoice detail): the rules that fired
with their counts and money, one page of lines with their flags and adjustments, the
invoice's history. Query counts stay constant whatever the invoice's size: flags and
adjustments are fetched for the lines of the page only."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, F, Prefetch, Q, QuerySet, Sum

from legalops.audit.models import AuditEvent
from legalops.invoices.models import (
    Adjustment,
    Attachment,
    Flag,
    Invoice,
    InvoiceLine,
    ReasonCode,
    StateChange,
)

LINE_PAGE_SIZES = (50, 100, 200)
SHOW = {"all": "All lines", "flagged": "Flagged lines", "adjusted": "Adjusted lines"}


@dataclass(frozen=True)
class RuleChip:
    """One rule that fired on the invoice: how often, the money its flags propose to change
    (signed) and the billed amount of the lines it fired on."""

    rule: str
    action: str
    count: int
    amount_minor: int
    billed_minor: int
    proposed: int  # flags still waiting for a decision


def rule_chips(invoice: Invoice) -> list[RuleChip]:
    rows = (
        Flag.objects.filter(invoice=invoice)
        .values("rule", "action")
        .annotate(
            n=Count("pk"),
            amount=Sum("amount_minor"),
            billed=Sum("line__billed_minor"),
            open=Count("pk", filter=Q(status=Flag.Status.PROPOSED)),
        )
        .order_by("rule", "action")
    )
    return [
        RuleChip(r["rule"], r["action"], r["n"], r["amount"] or 0, r["billed"] or 0, r["open"])
        for r in rows
    ]


def _lines(invoice: Invoice) -> QuerySet[InvoiceLine]:
    """The invoice's lines with what a line row shows; prefetches run for the rows fetched
    (one page), never for the whole invoice."""
    return (
        invoice.lines.select_related("timekeeper")
        .order_by("index")
        .prefetch_related(
            Prefetch("flags", queryset=Flag.objects.select_related("decided_by").order_by("order")),
            Prefetch(
                "adjustments",
                queryset=Adjustment.objects.filter(flag__isnull=True, withdrawn_at__isnull=True)
                .select_related("created_by")
                .order_by("created_at", "pk"),
                to_attr="manual_adjustments",
            ),
            Prefetch(
                "attachments",
                queryset=Attachment.objects.select_related("file"),
                to_attr="receipts",
            ),
        )
    )


def invoice_lines_page(
    invoice: Invoice, *, rule: str = "", show: str = "all", page: Any = 1, size: int = 50
) -> Page[InvoiceLine]:
    """One page of the invoice's lines, filtered by rule or to flagged / adjusted lines."""
    lines = filtered_lines(invoice, _lines(invoice), rule=rule, show=show)
    size = size if size in LINE_PAGE_SIZES else LINE_PAGE_SIZES[0]
    return Paginator(lines, size).get_page(page)


def filtered_lines(
    invoice: Invoice, lines: QuerySet[InvoiceLine], *, rule: str = "", show: str = "all"
) -> QuerySet[InvoiceLine]:
    """Lines one rule fired on; `show`: "flagged" (any flag) or "adjusted" (approved amount
    differs from billed)."""
    if rule:
        # A semi-join on the rule's flags of this invoice: planned well even before the
        # database has statistics on freshly received lines (a correlated EXISTS was not).
        flagged = Flag.objects.filter(invoice=invoice, rule=rule, line__isnull=False)
        lines = lines.filter(pk__in=flagged.values("line_id"))
    if show == "flagged":
        lines = lines.filter(flag_count__gt=0)
    elif show == "adjusted":
        lines = lines.exclude(approved_minor=F("billed_minor"))
    return lines


def invoice_line(invoice: Invoice, pk: int) -> InvoiceLine:
    return _lines(invoice).get(pk=pk)


def invoice_level_flags(invoice: Invoice) -> list[Flag]:
    """Flags on the invoice as a whole (late invoice, over budget...)."""
    return list(
        Flag.objects.filter(invoice=invoice, line__isnull=True)
        .select_related("decided_by")
        .order_by("order")
    )


def invoice_history(invoice: Invoice, *, limit: int = 200) -> dict[str, Any]:
    """The lifecycle (StateChange, with how long each state lasted) and the audit events of
    the invoice, newest first."""
    changes = list(
        StateChange.objects.filter(invoice=invoice).select_related("actor").order_by("at", "pk")
    )
    steps = []
    for n, change in enumerate(changes):
        until = changes[n + 1].at if n + 1 < len(changes) else None
        steps.append({"change": change, "lasted": (until - change.at) if until else None})
    events = AuditEvent.objects.filter(
        target_type="invoices.invoice", target_id=str(invoice.pk)
    ).order_by("-occurred_at", "-pk")[:limit]
    return {"steps": steps, "events": list(events)}


def reason_codes() -> list[tuple[str, str]]:
    return list(ReasonCode.objects.filter(is_active=True).values_list("code", "label"))


def invoice_receipts(invoice: Invoice) -> list[Attachment]:
    return list(invoice.attachments.select_related("file", "line"))
