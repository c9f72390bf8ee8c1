"""Writes of approval routing: routing rules and their chains, the policy (auto-approval,
reminders, escalation), delegations, and the approver's decisions on a step. Approving goes
through `invoices.services.invoice_approve` (the one path for every door); sending back and
rejecting are here and in `invoices.services.invoice_reject`."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from legalops.accounts.models import Role, User
from legalops.accounts.permissions import Capability, require
from legalops.approvals import routing
from legalops.approvals.models import (
    ApprovalPolicy,
    ApproverKind,
    Delegation,
    RoutingRule,
    RoutingStep,
)
from legalops.approvals.selectors import can_approve
from legalops.audit.events import Event
from legalops.audit.services import audit_record
from legalops.core.money import MoneyError, format_minor, to_minor
from legalops.invoices import services as invoice_services
from legalops.invoices import workflow
from legalops.invoices.models import Invoice
from legalops.matters.models import MatterType
from legalops.organization.models import BusinessUnit, PracticeArea
from legalops.organization.selectors import company_get
from legalops.vendors.models import LawFirm

MAX_LEVELS = 10


# --- Routing rules ------------------------------------------------------------------------------


@dataclass(frozen=True)
class StepSpec:
    """One level as entered: who approves and, from level 2 on, an optional "only above"."""

    kind: str
    user: User | None = None
    pool_role: str = ""
    above: Decimal | None = None


@dataclass(frozen=True)
class RuleSpec:
    name: str
    is_active: bool = True
    amount_over: Decimal | None = None
    amount_up_to: Decimal | None = None
    matter_types: tuple[str, ...] = ()
    business_units: tuple[BusinessUnit, ...] = ()
    practice_areas: tuple[PracticeArea, ...] = ()
    firms: tuple[LawFirm, ...] = ()
    steps: tuple[StepSpec, ...] = ()


def _minor(value: Decimal | None, field: str) -> int | None:
    if value is None:
        return None
    if value < 0:
        raise ValidationError({field: "an amount cannot be negative"})
    try:
        return to_minor(value, company_get().reporting_currency)
    except MoneyError as exc:
        raise ValidationError({field: str(exc)}) from None


def _check_rule(spec: RuleSpec) -> dict[str, Any]:
    if not spec.name.strip():
        raise ValidationError({"name": "give the rule a name"})
    over, up_to = _minor(spec.amount_over, "amount_over"), _minor(spec.amount_up_to, "amount_up_to")
    if over is not None and up_to is not None and up_to <= over:
        raise ValidationError({"amount_up_to": "must be more than the 'over' amount"})
    unknown = set(spec.matter_types) - set(MatterType.values)
    if unknown:
        raise ValidationError({"matter_types": f"unknown matter types: {', '.join(unknown)}"})
    return {
        "name": spec.name.strip(),
        "is_active": spec.is_active,
        "amount_over_minor": over,
        "amount_up_to_minor": up_to,
        "matter_types": sorted(spec.matter_types),
    }


def _check_steps(steps: tuple[StepSpec, ...]) -> list[RoutingStep]:
    if not steps:
        raise ValidationError({"steps": "a rule needs at least one approval level"})
    if len(steps) > MAX_LEVELS:
        raise ValidationError({"steps": f"at most {MAX_LEVELS} levels"})
    rows = []
    for level, step in enumerate(steps, start=1):
        where = f"level {level}"
        if step.kind not in ApproverKind.values:
            raise ValidationError({"steps": f"{where}: unknown approver kind {step.kind!r}"})
        if step.kind == ApproverKind.USER and not can_approve(step.user):
            raise ValidationError({"steps": f"{where}: choose an active user who may approve"})
        if step.kind == ApproverKind.POOL and step.pool_role not in (
            Role.ADMIN,
            Role.ATTORNEY,
            Role.APPROVER,
        ):
            raise ValidationError({"steps": f"{where}: choose the role of the pool"})
        if level == 1 and step.above is not None:
            raise ValidationError({"steps": "level 1 applies to every invoice the rule routes"})
        rows.append(
            RoutingStep(
                level=level,
                kind=step.kind,
                user=step.user if step.kind == ApproverKind.USER else None,
                pool_role=step.pool_role if step.kind == ApproverKind.POOL else "",
                above_minor=_minor(step.above, "steps"),
            )
        )
    return rows


def _describe(rule: RoutingRule) -> dict[str, Any]:
    code = company_get().reporting_currency
    money = {
        k: format_minor(v, code) if v is not None else None
        for k, v in (("over", rule.amount_over_minor), ("up_to", rule.amount_up_to_minor))
    }
    return {
        "name": rule.name,
        "active": rule.is_active,
        "amount": money,
        "matter_types": rule.matter_types,
        "business_units": sorted(u.code for u in rule.business_units.all()),
        "practice_areas": sorted(a.code for a in rule.practice_areas.all()),
        "firms": sorted(f.law_firm_id for f in rule.firms.all()),
        "steps": [
            {
                "level": s.level,
                "kind": s.kind,
                "user": s.user.username if s.user else None,
                "pool": s.pool_role or None,
                "above": format_minor(s.above_minor, code) if s.above_minor is not None else None,
            }
            for s in rule.steps.order_by("level")
        ],
    }


@transaction.atomic
def routing_rule_save(
    *, actor: User | None, rule: RoutingRule | None, spec: RuleSpec
) -> RoutingRule:
    """Creates a rule (last in the order) or replaces an existing rule's conditions and chain."""
    require(actor, Capability.MANAGE_ROUTING)
    fields, steps = _check_rule(spec), _check_steps(spec.steps)
    before = _describe(rule) if rule is not None else {}
    if rule is None:
        last = RoutingRule.objects.aggregate(m=Max("position"))["m"]
        rule = RoutingRule(position=0 if last is None else last + 1)
    for key, value in fields.items():
        setattr(rule, key, value)
    rule.save()
    rule.business_units.set(spec.business_units)
    rule.practice_areas.set(spec.practice_areas)
    rule.firms.set(spec.firms)
    rule.steps.all().delete()
    for step in steps:
        step.rule = rule
    RoutingStep.objects.bulk_create(steps)
    after = _describe(rule)
    audit_record(
        actor=actor,
        event=Event.ROUTING_RULE_UPDATED if before else Event.ROUTING_RULE_CREATED,
        target=rule,
        payload={"old": before, "new": after},
    )
    return rule


@transaction.atomic
def routing_rule_move(*, actor: User | None, rule: RoutingRule, up: bool) -> RoutingRule:
    """Moves a rule one place earlier (`up`) or later; positions are renumbered 0..n-1."""
    require(actor, Capability.MANAGE_ROUTING)
    rules = list(RoutingRule.objects.select_for_update().order_by("position", "pk"))
    index = next(i for i, r in enumerate(rules) if r.pk == rule.pk)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(rules):
        return rule
    rules[index], rules[other] = rules[other], rules[index]
    for position, row in enumerate(rules):
        row.position = position
    RoutingRule.objects.bulk_update(rules, ["position"])
    audit_record(
        actor=actor,
        event=Event.ROUTING_RULE_MOVED,
        target=rule,
        payload={"old": {"position": index + 1}, "new": {"position": other + 1}},
    )
    return rules[other]


@transaction.atomic
def routing_rule_delete(*, actor: User | None, rule: RoutingRule) -> None:
    """Routes it made keep its name; open ones finish with the chain they already have."""
    require(actor, Capability.MANAGE_ROUTING)
    audit_record(
        actor=actor, event=Event.ROUTING_RULE_DELETED, target=rule, payload={"old": _describe(rule)}
    )
    rule.delete()


@transaction.atomic
def approval_policy_set(
    *,
    actor: User | None,
    auto_approve_below: Decimal | None,
    remind_after_days: int,
    escalate_after_days: int,
    escalation_user: User | None,
) -> ApprovalPolicy:
    require(actor, Capability.MANAGE_ROUTING)
    if escalation_user is not None and not can_approve(escalation_user):
        raise ValidationError({"escalation_user": "choose an active user who may approve"})
    if min(remind_after_days, escalate_after_days) < 0:
        raise ValidationError("days cannot be negative")
    policy = ApprovalPolicy.objects.select_for_update().filter(pk=1).first() or ApprovalPolicy(pk=1)
    old = _policy_json(policy)
    policy.auto_approve_below_minor = _minor(auto_approve_below, "auto_approve_below")
    policy.remind_after_days, policy.escalate_after_days = remind_after_days, escalate_after_days
    policy.escalation_user = escalation_user
    policy.save()
    new = _policy_json(policy)
    changed = [k for k in new if new[k] != old[k]]
    audit_record(
        actor=actor,
        event=Event.APPROVAL_POLICY_SET,
        target=policy,
        payload={"old": {k: old[k] for k in changed}, "new": {k: new[k] for k in changed}},
    )
    return policy


def _policy_json(policy: ApprovalPolicy) -> dict[str, Any]:
    code = company_get().reporting_currency
    below = policy.auto_approve_below_minor
    return {
        "auto_approve_below": format_minor(below, code) if below is not None else None,
        "remind_after_days": policy.remind_after_days,
        "escalate_after_days": policy.escalate_after_days,
        "escalation_user": policy.escalation_user.username if policy.escalation_user else None,
    }


# --- Delegations --------------------------------------------------------------------------------


@transaction.atomic
def delegation_create(
    *,
    actor: User | None,
    delegator: User,
    delegate: User,
    starts_on: datetime.date,
    ends_on: datetime.date,
    comment: str = "",
) -> Delegation:
    """A user hands their approvals to a colleague for a period (legal ops may set one up for
    anyone). One delegate at a time: periods of the same person may not overlap."""
    require(actor, Capability.APPROVE_INVOICES)
    if actor is not None and actor.role != Role.ADMIN and actor.pk != delegator.pk:
        raise PermissionDenied("you may delegate only your own approvals")
    if delegate.pk == delegator.pk:
        raise ValidationError({"delegate": "choose someone else"})
    if not can_approve(delegate):
        raise ValidationError({"delegate": f"{delegate.display_name} may not approve invoices"})
    if ends_on < starts_on:
        raise ValidationError({"ends_on": "the end is before the start"})
    if ends_on < timezone.localdate():
        raise ValidationError({"ends_on": "that period is already over"})
    overlap = Delegation.objects.filter(
        delegator=delegator, revoked_at__isnull=True, starts_on__lte=ends_on, ends_on__gte=starts_on
    ).first()
    if overlap is not None:
        raise ValidationError(
            f"{delegator.display_name} already delegates to {overlap.delegate.display_name} "
            f"from {overlap.starts_on} to {overlap.ends_on}"
        )
    delegation = Delegation.objects.create(
        delegator=delegator,
        delegate=delegate,
        starts_on=starts_on,
        ends_on=ends_on,
        comment=comment,
        created_by=actor,
    )
    audit_record(
        actor=actor,
        event=Event.DELEGATION_CREATED,
        target=delegation,
        payload={
            "new": {
                "delegator": delegator.username,
                "delegate": delegate.username,
                "starts_on": starts_on.isoformat(),
                "ends_on": ends_on.isoformat(),
            }
        },
    )
    return delegation


@transaction.atomic
def delegation_revoke(*, actor: User | None, delegation: Delegation) -> Delegation:
    if actor is not None and actor.role != Role.ADMIN and actor.pk != delegation.delegator_id:
        raise PermissionDenied("only the person who delegates (or legal ops) may end it")
    if delegation.revoked_at is not None:
        raise ValidationError("this delegation has already ended")
    delegation.revoked_at = timezone.now()
    delegation.save(update_fields=["revoked_at"])
    audit_record(actor=actor, event=Event.DELEGATION_REVOKED, target=delegation)
    return delegation


# --- An approver's decisions ----------------------------------------------------------------------


@transaction.atomic
def approval_send_back(*, actor: User | None, invoice: Invoice, comment: str) -> Invoice:
    """Returns the invoice to its reviewer (in review) with the approver's comment."""
    invoice = workflow.locked(invoice)
    require(actor, Capability.APPROVE_INVOICES)
    return routing.step_send_back(invoice, actor=actor, comment=comment)


@dataclass
class BulkResult:
    approved: list[Invoice]
    refused: list[tuple[Invoice, str]]


def approvals_bulk(*, actor: User, invoices: list[Invoice], comment: str = "") -> BulkResult:
    """Approves the actor's step of each invoice, each in its own transaction: one refusal
    (a hold, a step that is not theirs, a colleague who was faster) does not stop the rest."""
    result = BulkResult([], [])
    for invoice in invoices:
        try:
            result.approved.append(
                invoice_services.invoice_approve(actor=actor, invoice=invoice, comment=comment)
            )
        except (ValidationError, PermissionDenied) as exc:
            message = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
            result.refused.append((invoice, message))
    return result
