"""Reads of invoices, scoped to what the asking user may see (DESIGN.md rule 4):
legal ops see every invoice; an attorney the invoices of matters they lead or are on the team
of; an approver the invoices routed to them or that they decided; a firm user its own firm's;
a requester none."""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from legalops.accounts.models import Role, User
from legalops.accounts.permissions import Capability, has_capability
from legalops.core.money import format_minor
from legalops.invoices.models import Flag, Invoice, InvoiceLine, State, StateChange
from legalops.matters.models import Matter

# Extra visibility rules for approvers (the approval-routing module adds "routed to me").
ApproverScope = Callable[[User], Q]
APPROVER_SCOPES: list[ApproverScope] = []


def _decided_by(user: User) -> Q:
    return Q(Exists(StateChange.objects.filter(invoice=OuterRef("pk"), actor=user)))


def _on_team(user: User) -> Q:
    team = Matter.team.through.objects.filter(matter_id=OuterRef("matter_id"), user_id=user.pk)
    return Q(matter__lead_attorney=user) | Q(Exists(team))


def visible_invoices(user: User) -> QuerySet[Invoice]:
    if not has_capability(user, Capability.VIEW_INVOICES):
        return Invoice.objects.none()
    invoices = Invoice.objects.all()
    if user.role == Role.ADMIN:
        return invoices
    if user.role == Role.FIRM:
        return invoices.filter(firm_id=user.firm_id) if user.firm_id else invoices.none()
    if user.role == Role.ATTORNEY:
        return invoices.filter(_on_team(user) | _routed(user))
    if user.role == Role.APPROVER:
        scope = _decided_by(user) | _routed(user)
        if has_capability(user, Capability.MANAGE_PAYABLES):
            # Finance exports approved invoices to AP and records payments: it sees them.
            scope |= Q(state__in=FINANCE_STATES)
        return invoices.filter(scope)
    return invoices.none()


FINANCE_STATES = (State.APPROVED, State.APPROVED_ADJUSTED, State.SENT_TO_AP, State.PAID)


def _routed(user: User) -> Q:
    """Invoices an approval chain routed to the user (attorneys approve beyond their team)."""
    scope = Q(pk__in=[])
    for extra in APPROVER_SCOPES:
        scope |= extra(user)
    return scope


def invoice_list(
    *,
    user: User,
    search: str = "",
    state: str = "",
    firm_id: int | None = None,
    matter_id: int | None = None,
    business_unit_id: int | None = None,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    flags: str = "",
    queue: bool = False,
) -> QuerySet[Invoice]:
    """`queue`: only the user's review queue. `flags`: "flagged" (any flag), "clean" (none),
    "holds" (holds still open). Dates bound the invoice date, both inclusive."""
    base = review_queue(user) if queue else visible_invoices(user)
    invoices = base.select_related("firm", "matter")
    if search:
        invoices = invoices.filter(
            Q(invoice_number__icontains=search)
            | Q(matter__number__icontains=search)
            | Q(matter__name__icontains=search)
            | Q(firm__name__icontains=search)
        )
    exact = {
        "state": state,
        "firm_id": firm_id,
        "matter_id": matter_id,
        "matter__business_unit_id": business_unit_id,
        "invoice_date__gte": date_from,
        "invoice_date__lte": date_to,
    }
    invoices = invoices.filter(**{k: v for k, v in exact.items() if v not in (None, "")})
    if flags in FLAG_FILTERS:
        invoices = invoices.filter(FLAG_FILTERS[flags])
    return invoices


FLAG_FILTERS = {
    "flagged": Q(flag_count__gt=0),
    "clean": Q(flag_count=0),
    "holds": Q(open_holds__gt=0),
}
# The reviewer's work: invoices not yet sent on to approval.
QUEUE_STATES = (State.RECEIVED, State.IN_REVIEW, State.ON_HOLD)


def review_queue(user: User) -> QuerySet[Invoice]:
    """ "My review queue": the open invoices of the matters this user may review (legal ops:
    every matter; an attorney: the matters they lead or are on the team of)."""
    if not has_capability(user, Capability.REVIEW_INVOICES):
        return Invoice.objects.none()
    return visible_invoices(user).filter(state__in=QUEUE_STATES)


def state_counts(invoices: QuerySet[Invoice]) -> dict[str, int]:
    """How many of `invoices` are in each state (one grouped query)."""
    rows = invoices.order_by().values("state").annotate(n=Count("pk")).values_list("state", "n")
    return dict(rows)


def invoice_get(*, user: User, pk: int) -> Invoice:
    return visible_invoices(user).select_related("firm", "matter", "guidelines", "file").get(pk=pk)


def invoice_lines(invoice: Invoice, *, rule: str = "") -> QuerySet[InvoiceLine]:
    lines = invoice.lines.all()
    if rule:
        lines = lines.filter(flags__rule=rule).distinct()
    return lines.order_by("index")


def invoice_json(invoice: Invoice) -> dict[str, object]:
    """The object of `legalops invoices show --json`: one element of `legalops review --json`'s
    `invoices`, from what is stored now, plus `state`."""
    cur = invoice.currency
    flags = list(Flag.objects.filter(invoice=invoice).order_by("line__index", "order"))
    by_line: dict[int | None, list[dict[str, object]]] = {}
    for flag in flags:
        by_line.setdefault(flag.line_id, []).append(
            {
                "rule": flag.rule,
                "action": flag.action,
                "amount": format_minor(flag.amount_minor, cur),
                "message": flag.message,
                "evidence": flag.evidence,
            }
        )
    return {
        "file": invoice.file.name if invoice.file else "",
        "invoice_number": invoice.invoice_number,
        "law_firm_id": invoice.firm.law_firm_id,
        "client_matter_id": invoice.matter.number,
        "currency": cur,
        "billed_total": format_minor(invoice.billed_minor, cur),
        "approved_total": format_minor(invoice.approved_minor, cur),
        "flags": by_line.get(None, []),
        "skipped_rules": invoice.review_skipped,
        "lines": [
            {
                "line_item_number": line.line_item_number,
                "line": line.position,
                "billed_total": format_minor(line.billed_minor, cur),
                "approved_total": format_minor(line.approved_minor, cur),
                "flags": by_line.get(line.pk, []),
            }
            for line in invoice.lines.order_by("index")
        ],
        "state": invoice.state,
    }
