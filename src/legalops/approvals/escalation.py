"""Idle approvals: a reminder after `remind_after_days`, then escalation after
`escalate_after_days` (the policy). Escalation hands the level to the escalation user when one
is set (and it is not already theirs), else skips to the next level, else gives it to legal
ops' pool. Each task is handled in its own transaction under the invoice's row lock, so an
approver deciding at the same moment wins or loses cleanly."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from legalops.accounts.models import Role, User
from legalops.approvals import routing, selectors
from legalops.approvals.models import ApprovalPolicy, ApprovalTask, Outcome, TaskStatus
from legalops.audit.events import Event
from legalops.audit.services import audit_record
from legalops.invoices import workflow
from legalops.invoices.models import State
from legalops.notifications.models import Kind
from legalops.notifications.services import notify


@dataclass
class Summary:
    reminded: int = 0
    escalated: int = 0

    def __str__(self) -> str:
        return f"{self.reminded} approval reminder(s), {self.escalated} escalation(s)"


def idle_tasks(before: datetime.datetime) -> list[int]:
    tasks = ApprovalTask.objects.filter(
        status=TaskStatus.PENDING,
        route__outcome=Outcome.OPEN,
        invoice__state=State.PENDING_APPROVAL,
        activated_at__lte=before,
    )
    return list(tasks.order_by("activated_at", "pk").values_list("pk", flat=True))


def escalate_idle(now: datetime.datetime | None = None) -> Summary:
    now = now or timezone.now()
    policy, summary = selectors.policy_get(), Summary()
    if policy.escalate_after_days:
        for pk in idle_tasks(now - datetime.timedelta(days=policy.escalate_after_days)):
            summary.escalated += _escalate(pk, policy, now)
    if policy.remind_after_days:
        for pk in idle_tasks(now - datetime.timedelta(days=policy.remind_after_days)):
            summary.reminded += _remind(pk, now)
    return summary


@transaction.atomic
def _remind(pk: int, now: datetime.datetime) -> int:
    task = _locked_pending(pk)
    if task is None or task.reminded_at is not None:
        return 0
    task.reminded_at = now
    task.save(update_fields=["reminded_at"])
    days = (now - task.activated_at).days if task.activated_at else 0
    audit_record(
        actor=None, event=Event.APPROVAL_REMINDED, target=task.invoice, payload={"days": days}
    )
    routing.announce(task, Kind.APPROVAL_REMINDER, f"It has waited {days} day(s).")
    return 1


def _locked_pending(pk: int) -> ApprovalTask | None:
    task = ApprovalTask.objects.select_related("invoice").get(pk=pk)
    invoice = workflow.locked(task.invoice)
    task = (
        ApprovalTask.objects.select_for_update(of=("self",)).select_related("assignee").get(pk=pk)
    )
    if task.status != TaskStatus.PENDING or invoice.state != State.PENDING_APPROVAL:
        return None
    task.invoice = invoice
    return task


@transaction.atomic
def _escalate(pk: int, policy: ApprovalPolicy, now: datetime.datetime) -> int:
    task = _locked_pending(pk)
    if task is None:
        return 0
    task.status, task.decided_at = TaskStatus.ESCALATED, now
    task.comment = f"idle for {policy.escalate_after_days} day(s): escalated"
    task.save(update_fields=["status", "decided_at", "comment"])
    successor = _successor(task, policy, now)
    if successor is None:  # already with legal ops at the last level: reminders are all left
        task.status, task.decided_at, task.comment = TaskStatus.PENDING, None, ""
        task.save(update_fields=["status", "decided_at", "comment"])
        return 0
    audit_record(
        actor=None,
        event=Event.APPROVAL_ESCALATED,
        target=task.invoice,
        payload={
            "old": {"level": task.level, "approver": task.approver_label},
            "new": {"level": successor.level, "approver": successor.approver_label},
        },
    )
    routing.announce(
        successor, Kind.APPROVAL_ESCALATED, f"Escalated: {task.approver_label} did not decide."
    )
    notify(
        users=[task.assignee],
        kind=Kind.APPROVAL_ESCALATED,
        title=f"Invoice {task.invoice.invoice_number} was escalated to {successor.approver_label}",
        body=f"It waited for you for {policy.escalate_after_days} day(s).",
    )
    return 1


def _successor(
    old: ApprovalTask, policy: ApprovalPolicy, now: datetime.datetime
) -> ApprovalTask | None:
    """The escalation user (unless it is theirs already), else the next level, else legal
    ops' pool (unless it is theirs already)."""
    person = policy.escalation_user
    if person is not None and selectors.can_approve(person) and old.assignee_id != person.pk:
        return _same_level(old, now, person, "", "the escalation user")
    following = old.route.tasks.filter(status=TaskStatus.WAITING).order_by("level").first()
    if following is not None:
        following.status, following.activated_at = TaskStatus.PENDING, now
        following.escalated_from = old
        following.save(update_fields=["status", "activated_at", "escalated_from"])
        return following
    if old.pool_role != Role.ADMIN:
        return _same_level(old, now, None, Role.ADMIN, "legal ops")
    return None


def _same_level(
    old: ApprovalTask, now: datetime.datetime, assignee: User | None, pool_role: str, who: str
) -> ApprovalTask:
    return ApprovalTask.objects.create(
        route=old.route,
        invoice=old.invoice,
        level=old.level,
        assignee=assignee,
        pool_role=pool_role,
        status=TaskStatus.PENDING,
        activated_at=now,
        escalated_from=old,
        note=f"escalated from {old.approver_label} to {who}",
    )
