"""Reads of approval routing: the policy, who may act on a task, the queue of a user, which
rule routes an invoice and the chain it gives (also used by the rule test page)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from legalops.accounts.models import Role, User
from legalops.accounts.permissions import Capability, has_capability
from legalops.approvals.models import (
    ApprovalPolicy,
    ApprovalTask,
    ApproverKind,
    Delegation,
    Outcome,
    Route,
    RoutingRule,
    RoutingStep,
    TaskStatus,
)
from legalops.core.money import format_minor, from_minor, to_minor
from legalops.invoices.models import Flag, Invoice, State, StateChange
from legalops.invoices.selectors import visible_invoices
from legalops.organization.selectors import MissingFxRate, company_get, fx_rate_on


def policy_get() -> ApprovalPolicy:
    return ApprovalPolicy.objects.filter(pk=1).select_related("escalation_user").first() or (
        ApprovalPolicy(pk=1)
    )


# --- Amounts -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Amount:
    """An invoice's approved total in the reporting currency, and how it was converted."""

    minor: int
    currency: str
    rate: Decimal

    def __str__(self) -> str:
        return f"{format_minor(self.minor, self.currency)} {self.currency}"


def reporting_amount(invoice: Invoice) -> Amount:
    """The approved total converted with the FX rate on the invoice date (the organization's
    rates); a missing rate is a clear refusal rather than a guess."""
    code = company_get().reporting_currency
    try:
        rate = fx_rate_on(base=invoice.currency, quote=code, day=invoice.invoice_date)
    except MissingFxRate as exc:
        raise ValidationError(
            f"cannot route invoice {invoice.invoice_number}: {exc}; add the rate under "
            "Admin > Organization > FX rates"
        ) from None
    minor = to_minor(from_minor(invoice.approved_minor, invoice.currency) * rate, code)
    return Amount(minor, code, rate)


def is_clean(invoice: Invoice) -> bool:
    """No flag left proposed, no hold, no proposal to return the invoice."""
    if invoice.open_holds or invoice.returned:
        return False
    return not Flag.objects.filter(invoice=invoice, status=Flag.Status.PROPOSED).exists()


def auto_approvable(invoice: Invoice, amount: Amount, policy: ApprovalPolicy) -> bool:
    threshold = policy.auto_approve_below_minor
    return threshold is not None and amount.minor < threshold and is_clean(invoice)


# --- Rules and chains --------------------------------------------------------------------------


@dataclass(frozen=True)
class Check:
    """One condition of a rule against one invoice, for the rule test page."""

    condition: str
    wanted: str
    actual: str
    ok: bool


def rule_checks(rule: RoutingRule, invoice: Invoice, amount: Amount) -> list[Check]:
    matter = invoice.matter
    checks = []
    if rule.amount_over_minor is not None:
        checks.append(
            Check(
                "amount",
                f"over {format_minor(rule.amount_over_minor, amount.currency)}",
                str(amount),
                amount.minor > rule.amount_over_minor,
            )
        )
    if rule.amount_up_to_minor is not None:
        checks.append(
            Check(
                "amount",
                f"up to {format_minor(rule.amount_up_to_minor, amount.currency)}",
                str(amount),
                amount.minor <= rule.amount_up_to_minor,
            )
        )
    if rule.matter_types:
        checks.append(
            Check(
                "matter type",
                ", ".join(rule.matter_types),
                matter.matter_type,
                matter.matter_type in rule.matter_types,
            )
        )
    checks += _related_checks(rule, invoice)
    return checks


def _related_checks(rule: RoutingRule, invoice: Invoice) -> list[Check]:
    matter = invoice.matter
    checks = []
    for label, chosen, value in (
        ("business unit", rule.business_units.all(), matter.business_unit),
        ("practice area", rule.practice_areas.all(), matter.practice_area),
        ("firm", rule.firms.all(), invoice.firm),
    ):
        options = list(chosen)
        if options:
            checks.append(
                Check(
                    label,
                    ", ".join(str(o) for o in options),
                    str(value) if value is not None else "none",
                    value is not None and value.pk in {o.pk for o in options},
                )
            )
    return checks


def active_rules() -> QuerySet[RoutingRule]:
    return RoutingRule.objects.filter(is_active=True).prefetch_related(
        "business_units", "practice_areas", "firms", "steps__user"
    )


def rule_for(
    invoice: Invoice, amount: Amount, rules: list[RoutingRule] | None = None
) -> RoutingRule | None:
    """The first active rule, in order, whose every condition holds (None: default chain).
    `rules`: the active rules already read (routing many invoices at once)."""
    for rule in active_rules() if rules is None else rules:
        if all(check.ok for check in rule_checks(rule, invoice, amount)):
            return rule
    return None


@dataclass
class PlannedStep:
    level: int
    assignee: User | None
    pool_role: str
    note: str = ""

    @property
    def label(self) -> str:
        if self.assignee is not None:
            return self.assignee.display_name
        return f"any {Role(self.pool_role).label.lower()}"


@dataclass
class Chain:
    rule: RoutingRule | None
    amount: Amount
    steps: list[PlannedStep] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    @property
    def rule_name(self) -> str:
        return self.rule.name if self.rule else "default chain (the matter's lead attorney)"


def can_approve(user: User | None) -> bool:
    return user is not None and user.is_active and has_capability(user, Capability.APPROVE_INVOICES)


def _resolve(step: RoutingStep, invoice: Invoice) -> tuple[User | None, str, str]:
    """(assignee, pool role, note): whoever cannot approve is replaced by legal ops' pool."""
    if step.kind == ApproverKind.POOL:
        return None, step.pool_role, ""
    if step.kind == ApproverKind.LEAD_ATTORNEY:
        lead = invoice.matter.lead_attorney
        if can_approve(lead):
            return lead, "", "the matter's lead attorney"
        return None, Role.ADMIN, "the matter has no lead attorney who can approve: legal ops"
    if can_approve(step.user):
        return step.user, "", ""
    return None, Role.ADMIN, f"{step.user} cannot approve (inactive or no approval right)"


def chain_for(rule: RoutingRule | None, invoice: Invoice, amount: Amount) -> Chain:
    """The levels that apply at this amount, numbered from 1; a named person already earlier
    in the chain approves once (Legal Tracker's rule)."""
    chain = Chain(rule, amount)
    steps = list(rule.steps.all()) if rule else [RoutingStep(level=1, kind="lead_attorney")]
    for step in steps:
        if step.above_minor is not None and amount.minor <= step.above_minor:
            chain.skipped.append(
                f"level {step.level}: only above "
                f"{format_minor(step.above_minor, amount.currency)} {amount.currency}"
            )
            continue
        assignee, pool, note = _resolve(step, invoice)
        if assignee is not None and any(s.assignee == assignee for s in chain.steps):
            chain.skipped.append(f"level {step.level}: {assignee.display_name} approves earlier")
            continue
        chain.steps.append(PlannedStep(len(chain.steps) + 1, assignee, pool, note))
    return chain


def route_preview_at(invoice: Invoice, amount: Amount) -> Chain:
    return chain_for(rule_for(invoice, amount), invoice, amount)


def route_preview(invoice: Invoice) -> Chain:
    """The chain the invoice would get if it were submitted now."""
    return route_preview_at(invoice, reporting_amount(invoice))


# --- Who acts on a task ------------------------------------------------------------------------


def delegators_of(user: User, day: datetime.date | None = None) -> QuerySet[Delegation]:
    """The running delegations that let `user` act for someone else today."""
    day = day or timezone.localdate()
    return Delegation.objects.filter(
        delegate=user, revoked_at__isnull=True, starts_on__lte=day, ends_on__gte=day
    )


def delegates_of(user_ids: list[int], day: datetime.date | None = None) -> list[User]:
    day = day or timezone.localdate()
    rows = Delegation.objects.filter(
        delegator_id__in=user_ids, revoked_at__isnull=True, starts_on__lte=day, ends_on__gte=day
    ).select_related("delegate")
    return [row.delegate for row in rows]


def acting_for(user: User | None, task: ApprovalTask) -> tuple[bool, User | None]:
    """(may act, on behalf of whom): the assignee, a pool member, a running delegate of the
    assignee, or legal ops (admins act for anyone, recorded as on their behalf)."""
    if user is None:
        return True, task.assignee
    if not can_approve(user):
        return False, None
    if task.assignee_id == user.pk or (task.assignee_id is None and task.pool_role == user.role):
        return True, None
    if task.assignee_id and delegators_of(user).filter(delegator_id=task.assignee_id).exists():
        return True, task.assignee
    if user.role == Role.ADMIN:
        return True, task.assignee
    return False, None


def approvers_of(task: ApprovalTask) -> list[User]:
    """Who gets told about a pending task: the assignee and their running delegates, or the
    members of the pool."""
    if task.assignee is not None:
        return [task.assignee, *delegates_of([task.assignee.pk])]
    return list(User.objects.filter(role=task.pool_role, is_active=True))


def _mine(user: User) -> Q:
    delegators = delegators_of(user).values("delegator_id")
    return (
        Q(assignee=user)
        | Q(assignee__in=delegators)
        | Q(assignee__isnull=True, pool_role=user.role)
    )


def routed_to(user: User) -> Q:
    """The approver visibility rule of `invoices.selectors.APPROVER_SCOPES`: invoices routed to
    the user (any level, any time), to their pool, or to someone they stand in for now."""
    tasks = ApprovalTask.objects.filter(_mine(user), invoice_id=OuterRef("pk"))
    return Q(Exists(tasks))


def open_route(invoice: Invoice) -> Route | None:
    return invoice.approval_routes.filter(outcome=Outcome.OPEN).first()


def current_task(invoice: Invoice) -> ApprovalTask | None:
    return (
        ApprovalTask.objects.filter(
            invoice=invoice, status=TaskStatus.PENDING, route__outcome=Outcome.OPEN
        )
        .select_related("assignee")
        .first()
    )


def actionable_task(user: User, invoice: Invoice) -> ApprovalTask | None:
    """The pending level of a pending invoice if `user` may decide it now, else None."""
    if invoice.state != State.PENDING_APPROVAL:
        return None
    task = current_task(invoice)
    return task if task is not None and acting_for(user, task)[0] else None


def approval_queue(
    *,
    user: User,
    everyone: bool = False,
    search: str = "",
    firm_id: int | None = None,
    overdue_days: int | None = None,
) -> QuerySet[ApprovalTask]:
    """Pending steps the user may act on now (`everyone`: every pending step, for legal ops)."""
    if not can_approve(user):
        return ApprovalTask.objects.none()
    tasks = ApprovalTask.objects.filter(
        status=TaskStatus.PENDING,
        route__outcome=Outcome.OPEN,
        invoice__state=State.PENDING_APPROVAL,
    ).select_related("invoice__firm", "invoice__matter", "route", "assignee")
    if not (everyone and user.role == Role.ADMIN):
        tasks = tasks.filter(_mine(user))
    if search:
        tasks = tasks.filter(
            Q(invoice__invoice_number__icontains=search)
            | Q(invoice__matter__number__icontains=search)
            | Q(invoice__firm__name__icontains=search)
        )
    if firm_id:
        tasks = tasks.filter(invoice__firm_id=firm_id)
    if overdue_days is not None:
        tasks = tasks.filter(activated_at__lte=timezone.now() - datetime.timedelta(overdue_days))
    return tasks


def tasks_visible(user: User) -> QuerySet[ApprovalTask]:
    """Steps of invoices the user may see (the decision page)."""
    return ApprovalTask.objects.select_related(
        "invoice__firm", "invoice__matter", "route", "assignee"
    ).filter(invoice__in=visible_invoices(user))


def routes_of(invoice: Invoice) -> list[Route]:
    routes = invoice.approval_routes.prefetch_related("tasks__assignee", "tasks__decided_by")
    return list(routes.select_related("submitted_by"))


def delegation_list(*, user: User, current: str = "") -> QuerySet[Delegation]:
    """Legal ops see every delegation; others those they gave or received."""
    rows = Delegation.objects.select_related("delegator", "delegate", "created_by")
    if user.role != Role.ADMIN:
        rows = rows.filter(Q(delegator=user) | Q(delegate=user))
    today = timezone.localdate()
    if current == "running":
        rows = rows.filter(revoked_at__isnull=True, starts_on__lte=today, ends_on__gte=today)
    elif current == "upcoming":
        rows = rows.filter(revoked_at__isnull=True, starts_on__gt=today)
    elif current == "past":
        rows = rows.filter(Q(revoked_at__isnull=False) | Q(ends_on__lt=today))
    return rows


def approver_choices() -> QuerySet[User]:
    """Active users who may approve invoices (for rule steps, delegates, escalation)."""
    return User.objects.filter(
        is_active=True, role__in=(Role.ADMIN, Role.ATTORNEY, Role.APPROVER)
    ).order_by("last_name", "first_name", "username")


def reviewers_of(invoice: Invoice) -> list[User]:
    """Who reviewed the invoice: whoever last submitted it for approval and the matter's lead
    attorney; legal ops when neither is known (e.g. an auto-approved invoice without a lead)."""
    submitted = (
        StateChange.objects.filter(invoice=invoice, to_state=State.PENDING_APPROVAL)
        .exclude(actor__isnull=True)
        .select_related("actor")
        .order_by("-at", "-pk")
        .first()
    )
    people = [
        p for p in (submitted.actor if submitted else None, invoice.matter.lead_attorney) if p
    ]
    return people or list(User.objects.filter(role=Role.ADMIN, is_active=True))
