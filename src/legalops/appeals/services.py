"""Writes of appeals: a firm files an appeal of adjusted lines (the invoice becomes
`appealed`), a reviewer decides each line (reinstate in full, in part, or uphold), and when
the last line is decided the invoice returns to the state it was appealed from. Money
reinstated after the invoice went to AP becomes a supplemental AP line."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from legalops.accounts.models import Role, User
from legalops.accounts.permissions import Capability, require
from legalops.appeals import selectors
from legalops.appeals.models import Appeal, AppealItem, AppealPolicy, AppealStatus, Decision
from legalops.approvals.selectors import reviewers_of
from legalops.audit.events import Event
from legalops.audit.services import audit_record
from legalops.core.money import MoneyError, format_minor, to_minor
from legalops.invoices import workflow
from legalops.invoices.models import Adjustment, Invoice, InvoiceLine, State
from legalops.invoices.services import totals_refresh
from legalops.notifications.models import Kind
from legalops.notifications.services import notify
from legalops.payables.services import supplemental_add


@dataclass(frozen=True)
class ItemSpec:
    """One line the firm appeals: why, and how much it asks back (None: all of it)."""

    line: InvoiceLine
    reason: str
    requested: Decimal | None = None


def _money(invoice: Invoice, minor: int) -> str:
    return f"{format_minor(minor, invoice.currency)} {invoice.currency}"


def _require_filer(actor: User | None, invoice: Invoice) -> None:
    """The invoice's own firm; legal ops may file on a firm's behalf (e.g. from an email)."""
    if actor is None:
        return
    if actor.role == Role.FIRM:
        require(actor, Capability.FIRM_SUBMIT)
        if actor.firm_id != invoice.firm_id:
            raise PermissionDenied("you may appeal only your own firm's invoices")
    else:
        require(actor, Capability.INTAKE_INVOICES)


def _require_open_period(invoice: Invoice, today: datetime.date) -> None:
    workflow.require_state(invoice, *selectors.APPEALABLE_STATES)
    deadline = selectors.appeal_deadline(invoice)
    if deadline is not None and today > deadline:
        raise ValidationError(
            f"the appeal period of invoice {invoice.invoice_number} ended on {deadline.isoformat()}"
        )


def _items(invoice: Invoice, specs: list[ItemSpec]) -> list[AppealItem]:
    if not specs:
        raise ValidationError("choose at least one adjusted line and say why")
    open_lines = {line.pk: line for line in selectors.appealable_lines(invoice)}
    items, seen = [], set()
    for spec in specs:
        line = spec.line
        where = f"line {line.line_item_number}"
        if line.invoice_id != invoice.pk or line.pk in seen:
            raise ValidationError(f"{where}: not a line of this appeal")
        if line.pk not in open_lines:
            raise ValidationError(f"{where}: has no adjustment to appeal (or was appealed)")
        if not spec.reason.strip():
            raise ValidationError({"reason": f"{where}: say why the adjustment is wrong"})
        seen.add(line.pk)
        fresh = open_lines[line.pk]
        taken = fresh.billed_minor - fresh.approved_minor
        items.append(
            AppealItem(
                line=fresh,
                adjusted_minor=taken,
                requested_minor=_requested(invoice, spec, taken, where),
                reason=spec.reason.strip(),
            )
        )
    return items


def _requested(invoice: Invoice, spec: ItemSpec, taken: int, where: str) -> int:
    if spec.requested is None:
        return taken
    try:
        wanted = to_minor(spec.requested, invoice.currency)
    except MoneyError as exc:
        raise ValidationError({"requested": f"{where}: {exc}"}) from None
    if not 0 < wanted <= taken:
        raise ValidationError(
            {"requested": f"{where}: ask for more than 0 and at most {_money(invoice, taken)}"}
        )
    return wanted


@transaction.atomic
def appeal_file(
    *,
    actor: User | None,
    invoice: Invoice,
    items: list[ItemSpec],
    note: str = "",
    today: datetime.date | None = None,
) -> Appeal:
    invoice = workflow.locked(invoice)
    _require_filer(actor, invoice)
    _require_open_period(invoice, today or timezone.localdate())
    rows = _items(invoice, items)
    appeal = Appeal.objects.create(
        invoice=invoice, prior_state=invoice.state, note=note.strip(), filed_by=actor
    )
    for row in rows:
        row.appeal = appeal
    AppealItem.objects.bulk_create(rows)
    asked = sum(row.requested_minor for row in rows)
    workflow.transition(
        invoice, State.APPEALED, actor=actor, comment=f"appeal of {len(rows)} line(s)"
    )
    audit_record(
        actor=actor,
        event=Event.APPEAL_FILED,
        target=invoice,
        reason=note,
        payload={
            "appeal": appeal.pk,
            "lines": [r.line.line_item_number for r in rows],
            "requested": format_minor(asked, invoice.currency),
        },
    )
    notify(
        users=reviewers_of(invoice),
        kind=Kind.APPEAL_FILED,
        title=f"{invoice.firm.name} appealed invoice {invoice.invoice_number}",
        body=f"{len(rows)} line(s), {_money(invoice, asked)} asked back. {note}".strip(),
        url=reverse("appeals:detail", args=[appeal.pk]),
    )
    return appeal


def _reinstated_amount(item: AppealItem, decision: str, amount: Decimal | None) -> int:
    invoice = item.appeal.invoice
    if decision == Decision.REINSTATED:
        return item.requested_minor
    if decision == Decision.UPHELD:
        return 0
    if decision != Decision.PARTLY:
        raise ValidationError({"decision": f"unknown decision {decision!r}"})
    try:
        minor = to_minor(amount, invoice.currency) if amount is not None else 0
    except MoneyError as exc:
        raise ValidationError({"amount": str(exc)}) from None
    if not 0 < minor < item.requested_minor:
        raise ValidationError(
            {
                "amount": "a partial reinstatement is more than 0 and less than the "
                f"{_money(invoice, item.requested_minor)} asked"
            }
        )
    return minor


@transaction.atomic
def appeal_item_decide(
    *,
    actor: User | None,
    item: AppealItem,
    decision: str,
    amount: Decimal | None = None,
    comment: str = "",
) -> AppealItem:
    """Reinstates `amount` (all that was asked for `reinstated`) on the line's adjustments, or
    upholds them. Deciding the last open line closes the appeal."""
    invoice = workflow.locked(item.appeal.invoice)
    workflow.require_reviewer(actor, invoice)
    item = (
        AppealItem.objects.select_for_update(of=("self",))
        .select_related("appeal", "line")
        .get(pk=item.pk)
    )
    if item.appeal.status != AppealStatus.OPEN or item.decision != Decision.PENDING:
        raise ValidationError(f"line {item.line.line_item_number} has already been decided")
    item.appeal.invoice = invoice
    reinstated = _reinstated_amount(item, decision, amount)
    if decision != Decision.REINSTATED and not comment.strip():
        raise ValidationError({"comment": "tell the firm why (it sees this comment)"})
    line_reinstate(item.line, reinstated)
    item.decision, item.reinstated_minor, item.comment = decision, reinstated, comment.strip()
    item.decided_by, item.decided_at = actor, timezone.now()
    item.save(update_fields=["decision", "reinstated_minor", "comment", "decided_by", "decided_at"])
    totals_refresh(invoice)
    audit_record(
        actor=actor,
        event=Event.APPEAL_ITEM_DECIDED,
        target=invoice,
        reason=comment,
        payload={
            "appeal": item.appeal_id,
            "line": item.line.line_item_number,
            "decision": decision,
            "reinstated": format_minor(reinstated, invoice.currency),
        },
    )
    if not item.appeal.items.filter(decision=Decision.PENDING).exists():
        _close(item.appeal, invoice, actor)
    return item


def line_reinstate(line: InvoiceLine, amount: int) -> None:
    """Raises the line's approved amount by `amount`, giving money back to its reductions,
    newest first (inside a service's transaction; the seed uses it too). The change of the
    net adjustment is computed from the target so that a line reduced below zero by several
    adjustments (clamped at 0) still rises by exactly `amount`."""
    if not amount:
        return
    line.refresh_from_db()
    adjustments = list(
        Adjustment.objects.select_for_update()
        .filter(line=line, withdrawn_at__isnull=True)
        .order_by("-created_at", "-pk")
    )
    net = sum(a.amount_minor + a.reinstated_minor for a in adjustments)
    needed = (line.approved_minor + amount - line.billed_minor) - net
    for adjustment in adjustments:
        room = -(adjustment.amount_minor + adjustment.reinstated_minor)
        if needed <= 0 or room <= 0:
            continue
        take = min(room, needed)
        adjustment.reinstated_minor += take
        adjustment.save(update_fields=["reinstated_minor"])
        needed -= take


def _close(appeal: Appeal, invoice: Invoice, actor: User | None) -> None:
    appeal.status, appeal.decided_at = AppealStatus.DECIDED, timezone.now()
    appeal.save(update_fields=["status", "decided_at"])
    items = list(appeal.items.all())
    back = sum(i.reinstated_minor for i in items)
    exported = appeal.prior_state in (State.SENT_TO_AP, State.PAID)
    if exported and back:
        supplemental_add(
            actor=actor,
            invoice=invoice,
            amount_minor=back,
            reason=f"appeal {appeal.pk}: reinstated after export",
        )
    to_state = appeal.prior_state if exported else workflow.decided_state(invoice)
    summary = f"appeal decided: {_money(invoice, back)} reinstated"
    workflow.transition(invoice, to_state, actor=actor, comment=summary)
    audit_record(
        actor=actor,
        event=Event.APPEAL_DECIDED,
        target=invoice,
        payload={"appeal": appeal.pk, "reinstated": format_minor(back, invoice.currency)},
    )
    lines = "\n".join(
        f"Line {i.line.line_item_number}: {i.get_decision_display().lower()}"
        f" ({_money(invoice, i.reinstated_minor)}). {i.comment}".strip()
        for i in items
    )
    notify(
        users=invoice.firm.users.filter(is_active=True),
        kind=Kind.APPEAL_DECIDED,
        title=f"Your appeal of invoice {invoice.invoice_number} was decided",
        body=f"{_money(invoice, back)} reinstated; approved now "
        f"{_money(invoice, invoice.approved_minor)}.\n{lines}",
        url=reverse("portal:appeals:detail", args=[appeal.pk]),
    )


@transaction.atomic
def appeal_withdraw(*, actor: User | None, appeal: Appeal) -> Appeal:
    """The firm takes back an appeal no line of which has been decided yet."""
    invoice = workflow.locked(appeal.invoice)
    _require_filer(actor, invoice)
    appeal = Appeal.objects.select_for_update().get(pk=appeal.pk)
    if appeal.status != AppealStatus.OPEN:
        raise ValidationError("this appeal is no longer open")
    if appeal.items.exclude(decision=Decision.PENDING).exists():
        raise ValidationError("a line has been decided already: the appeal runs to its end")
    appeal.status, appeal.decided_at = AppealStatus.WITHDRAWN, timezone.now()
    appeal.save(update_fields=["status", "decided_at"])
    workflow.transition(invoice, appeal.prior_state, actor=actor, comment="appeal withdrawn")
    audit_record(
        actor=actor, event=Event.APPEAL_WITHDRAWN, target=invoice, payload={"appeal": appeal.pk}
    )
    return appeal


@transaction.atomic
def appeal_policy_set(*, actor: User | None, deadline_days: int) -> AppealPolicy:
    require(actor, Capability.MANAGE_ROUTING)
    if not 1 <= deadline_days <= 3650:
        raise ValidationError({"deadline_days": "between 1 and 3650 days"})
    policy = AppealPolicy.objects.select_for_update().filter(pk=1).first() or AppealPolicy(pk=1)
    old = policy.deadline_days
    policy.deadline_days = deadline_days
    policy.save()
    audit_record(
        actor=actor,
        event=Event.APPEAL_POLICY_SET,
        target=policy,
        payload={"old": {"deadline_days": old}, "new": {"deadline_days": deadline_days}},
    )
    return policy
