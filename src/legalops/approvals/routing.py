"""The approval chain of an invoice, driven by the e-billing core: `invoices.services` calls
`invoice_route` when a reviewer submits an invoice for approval, `step_approve` when someone
approves, `invoice_rejected` after a rejection, and intake calls `auto_approve_after_review`.

The caller holds the invoice's row lock (`workflow.locked`), so two approvers acting at once
are serialised: the second finds the step already decided and is refused. This module imports
nothing from `invoices.services` (which imports it).
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from legalops.accounts.models import User
from legalops.approvals import selectors
from legalops.approvals.models import ApprovalTask, Outcome, Route, TaskStatus
from legalops.approvals.selectors import Amount, Chain
from legalops.audit.events import Event
from legalops.audit.services import audit_record
from legalops.core.money import format_minor
from legalops.invoices import workflow
from legalops.invoices.models import Invoice, State
from legalops.notifications.links import invoice_path
from legalops.notifications.models import Kind
from legalops.notifications.services import notify


def invoice_route(invoice: Invoice, *, actor: User | None) -> Invoice:
    """The invoice has just become pending approval: auto-approve it when it is clean and
    under the threshold, else create the chain of its routing rule and tell level 1."""
    _close_open_routes(invoice, Outcome.CANCELLED)
    amount = selectors.reporting_amount(invoice)
    policy = selectors.policy_get()
    if selectors.auto_approvable(invoice, amount, policy):
        return _auto_approve(invoice, amount, actor, policy.auto_approve_below_minor or 0)
    chain = selectors.route_preview_at(invoice, amount)
    _create_route(invoice, chain, actor)
    return invoice


def auto_approve_after_review(invoice: Invoice) -> Invoice:
    """Right after intake's review: a clean invoice under the threshold is approved by the
    system (through pending approval, so the trail shows both steps). Anything else, or a
    missing FX rate, leaves it in review."""
    policy = selectors.policy_get()
    if policy.auto_approve_below_minor is None or invoice.state != State.IN_REVIEW:
        return invoice
    try:
        amount = selectors.reporting_amount(invoice)
    except ValidationError:
        return invoice
    if not selectors.auto_approvable(invoice, amount, policy):
        return invoice
    workflow.transition(invoice, State.PENDING_APPROVAL, actor=None, comment="auto-approval")
    return _auto_approve(invoice, amount, None, policy.auto_approve_below_minor)


def _auto_approve(invoice: Invoice, amount: Amount, actor: User | None, threshold: int) -> Invoice:
    now = timezone.now()
    Route.objects.create(
        invoice=invoice,
        rule_name="auto-approval",
        amount_minor=amount.minor,
        currency=amount.currency,
        outcome=Outcome.AUTO_APPROVED,
        submitted_by=actor,
        created_at=now,
        closed_at=now,
    )
    limit = f"{format_minor(threshold, amount.currency)} {amount.currency}"
    audit_record(
        actor=None,
        event=Event.APPROVAL_AUTO_APPROVED,
        target=invoice,
        payload={"amount": str(amount), "threshold": limit},
    )
    return workflow.transition(
        invoice,
        workflow.decided_state(invoice),
        actor=None,
        comment=f"auto-approved: no open flags or holds and {amount} is under {limit}",
    )


def route_row(invoice: Invoice, chain: Chain, actor: User | None, at: datetime.datetime) -> Route:
    """An unsaved route of the chain (the seed bulk-inserts them)."""
    return Route(
        invoice=invoice,
        rule=chain.rule,
        rule_name=chain.rule_name,
        amount_minor=chain.amount.minor,
        currency=chain.amount.currency,
        submitted_by=actor,
        created_at=at,
    )


def task_rows(route: Route, chain: Chain, at: datetime.datetime) -> list[ApprovalTask]:
    """Its levels, unsaved: level 1 pending from `at`, the others waiting their turn."""
    return [
        ApprovalTask(
            route=route,
            invoice=route.invoice,
            level=step.level,
            assignee=step.assignee,
            pool_role=step.pool_role,
            note=step.note,
            status=TaskStatus.PENDING if step.level == 1 else TaskStatus.WAITING,
            activated_at=at if step.level == 1 else None,
        )
        for step in chain.steps
    ]


def _create_route(invoice: Invoice, chain: Chain, actor: User | None) -> Route:
    now = timezone.now()
    route = route_row(invoice, chain, actor, now)
    route.save()
    tasks = ApprovalTask.objects.bulk_create(task_rows(route, chain, now))
    audit_record(
        actor=actor,
        event=Event.APPROVAL_ROUTED,
        target=invoice,
        payload={
            "rule": chain.rule_name,
            "amount": str(chain.amount),
            "levels": [step.label for step in chain.steps],
            "skipped": chain.skipped,
        },
    )
    announce(tasks[0], Kind.APPROVAL_WAITING)
    return route


def _close_open_routes(invoice: Invoice, outcome: str) -> None:
    now = timezone.now()
    for route in invoice.approval_routes.filter(outcome=Outcome.OPEN):
        route.tasks.filter(status__in=(TaskStatus.WAITING, TaskStatus.PENDING)).update(
            status=TaskStatus.CANCELLED, decided_at=now
        )
        route.outcome, route.closed_at = outcome, now
        route.save(update_fields=["outcome", "closed_at"])


def step_approve(invoice: Invoice, *, actor: User | None, comment: str = "") -> Invoice:
    """Approves the pending level the actor may act on; the last level approves the invoice
    (approved or approved with adjustments). The system (`actor=None`: CLI, imports, seed)
    approves every remaining level at once. An invoice made pending without a route (by an
    import) is routed first."""
    route = selectors.open_route(invoice) or _create_route(
        invoice, selectors.route_preview(invoice), actor
    )
    while True:
        task = _pending_task(route)
        on_behalf = _require_can_act(actor, task)
        _decide(task, TaskStatus.APPROVED, actor, on_behalf, comment)
        audit_record(
            actor=actor,
            event=Event.APPROVAL_STEP_APPROVED,
            target=invoice,
            reason=comment,
            payload={"level": task.level, "on_behalf_of": _name(on_behalf)},
        )
        following = _activate_next(route)
        if following is None:
            break
        if actor is not None:
            announce(following, Kind.APPROVAL_WAITING)
            return invoice
    route.outcome, route.closed_at = Outcome.APPROVED, timezone.now()
    route.save(update_fields=["outcome", "closed_at"])
    return workflow.transition(
        invoice, workflow.decided_state(invoice), actor=actor, comment=comment
    )


def _pending_task(route: Route) -> ApprovalTask:
    task = (
        ApprovalTask.objects.select_for_update()
        .filter(route=route, status=TaskStatus.PENDING)
        .first()
    )
    if task is None:
        raise ValidationError("no approval step of this invoice is waiting for a decision")
    return task


def _require_can_act(actor: User | None, task: ApprovalTask) -> User | None:
    allowed, on_behalf = selectors.acting_for(actor, task)
    if not allowed:
        raise PermissionDenied(
            f"level {task.level} of this invoice waits for {task.approver_label}, not for you"
        )
    return on_behalf


def _decide(
    task: ApprovalTask, status: str, actor: User | None, on_behalf: User | None, comment: str
) -> None:
    task.status, task.decided_by, task.on_behalf_of = status, actor, on_behalf
    task.decided_at, task.comment = timezone.now(), comment
    task.save(update_fields=["status", "decided_by", "on_behalf_of", "decided_at", "comment"])


def _activate_next(route: Route) -> ApprovalTask | None:
    following = route.tasks.filter(status=TaskStatus.WAITING).order_by("level").first()
    if following is not None:
        following.status, following.activated_at = TaskStatus.PENDING, timezone.now()
        following.save(update_fields=["status", "activated_at"])
    return following


def step_send_back(invoice: Invoice, *, actor: User | None, comment: str) -> Invoice:
    """The approver returns the invoice to review with a comment (the reviewer who submitted
    it and the matter's lead attorney are told)."""
    if not comment.strip():
        raise ValidationError({"comment": "tell the reviewer what to look at again"})
    workflow.require_state(invoice, State.PENDING_APPROVAL)
    route = selectors.open_route(invoice)
    if route is None:
        raise ValidationError("this invoice has no approval chain to send back from")
    task = _pending_task(route)
    _decide(task, TaskStatus.SENT_BACK, actor, _require_can_act(actor, task), comment)
    _close_open_routes(invoice, Outcome.SENT_BACK)
    audit_record(
        actor=actor,
        event=Event.APPROVAL_SENT_BACK,
        target=invoice,
        reason=comment,
        payload={"level": task.level},
    )
    invoice = workflow.transition(invoice, State.IN_REVIEW, actor=actor, comment=comment)
    notify(
        users=selectors.reviewers_of(invoice),
        kind=Kind.INVOICE_SENT_BACK,
        title=f"Invoice {invoice.invoice_number} was sent back to review",
        body=f"{_name(actor) or 'The system'} ({invoice.firm.name}, {invoice.matter.number}): "
        f"{comment}",
        url=invoice_path(invoice),
    )
    return invoice


def require_step_rights(invoice: Invoice, actor: User | None) -> ApprovalTask | None:
    """Before a rejection at pending approval: the actor must be able to act on the pending
    level (when the invoice has a chain)."""
    task = selectors.current_task(invoice)
    if task is not None:
        _require_can_act(actor, task)
    return task


def invoice_rejected(invoice: Invoice, *, actor: User | None, comment: str) -> None:
    """After a rejection: the chain ends (the pending level records who rejected), and the
    firm's users are told why."""
    task = selectors.current_task(invoice)
    if task is not None:
        _decide(task, TaskStatus.REJECTED, actor, selectors.acting_for(actor, task)[1], comment)
    _close_open_routes(invoice, Outcome.REJECTED)
    notify(
        users=invoice.firm.users.filter(is_active=True),
        kind=Kind.INVOICE_REJECTED,
        title=f"Invoice {invoice.invoice_number} was rejected",
        body=f"Matter {invoice.matter.number}. Reason: {comment}\nYou may correct and "
        "resubmit the invoice.",
        url=invoice_path(invoice, portal=True),
    )


def announce(task: ApprovalTask, kind: Kind, extra: str = "") -> None:
    invoice = task.invoice
    amount = f"{format_minor(invoice.approved_minor, invoice.currency)} {invoice.currency}"
    notify(
        users=selectors.approvers_of(task),
        kind=kind,
        title=f"Invoice {invoice.invoice_number} waits for your approval",
        body=f"{invoice.firm.name}, matter {invoice.matter.number}: {amount} "
        f"(level {task.level}). {extra}".strip(),
        url=reverse("approvals:task", args=[task.pk]),
    )


def _name(user: User | None) -> str | None:
    return user.display_name if user is not None else None
