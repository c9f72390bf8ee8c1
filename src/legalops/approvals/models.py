"""Approval routing: which people approve an invoice, in which order, and what happened.

Amounts here are in the company's reporting currency (minor units): an invoice's approved total
is converted with the organization's FX rate on its invoice date before rules and thresholds are
compared with it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from legalops.accounts.models import Role


class ApproverKind(models.TextChoices):
    USER = "user", "A named user"
    LEAD_ATTORNEY = "lead_attorney", "The matter's lead attorney"
    POOL = "pool", "Anyone with a role (pool)"


POOL_ROLES = [(r.value, r.label) for r in (Role.ADMIN, Role.ATTORNEY, Role.APPROVER)]


class RoutingRule(models.Model):
    """An ordered rule: the first active rule whose conditions all hold routes the invoice.
    An empty condition matches everything. Amounts: over `amount_over_minor` and up to
    `amount_up_to_minor` (both in the reporting currency)."""

    name = models.CharField(max_length=200)
    position = models.PositiveIntegerField(default=0, help_text="Lower runs first.")
    is_active = models.BooleanField(default=True)
    amount_over_minor = models.BigIntegerField(null=True, blank=True)
    amount_up_to_minor = models.BigIntegerField(null=True, blank=True)
    matter_types = models.JSONField(default=list, blank=True)
    business_units = models.ManyToManyField(
        "organization.BusinessUnit", blank=True, related_name="+"
    )
    practice_areas = models.ManyToManyField(
        "organization.PracticeArea", blank=True, related_name="+"
    )
    firms = models.ManyToManyField("vendors.LawFirm", blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.name


class RoutingStep(models.Model):
    """One level of a rule's chain: who approves, and from which amount this level applies
    (level 1 always applies; "level 2 only above 50,000" is `above_minor` = 5000000)."""

    rule = models.ForeignKey(RoutingRule, on_delete=models.CASCADE, related_name="steps")
    level = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=16, choices=ApproverKind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    pool_role = models.CharField(max_length=16, choices=POOL_ROLES, blank=True)
    above_minor = models.BigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["rule", "level"]
        constraints = [
            models.UniqueConstraint(fields=["rule", "level"], name="routing_step_level_once")
        ]

    def __str__(self) -> str:
        return f"{self.rule} level {self.level}"


class ApprovalPolicy(models.Model):
    """The department's approval settings (one row). Auto-approval is off while
    `auto_approve_below_minor` is empty; a period of 0 days switches that step off."""

    auto_approve_below_minor = models.BigIntegerField(null=True, blank=True)
    remind_after_days = models.PositiveSmallIntegerField(default=3)
    escalate_after_days = models.PositiveSmallIntegerField(default=7)
    escalation_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    def __str__(self) -> str:
        return "approval policy"


class Outcome(models.TextChoices):
    OPEN = "open", "Waiting for approvals"
    APPROVED = "approved", "Approved"
    AUTO_APPROVED = "auto_approved", "Auto-approved"
    SENT_BACK = "sent_back", "Sent back to review"
    REJECTED = "rejected", "Rejected"
    CANCELLED = "cancelled", "Superseded"


class Route(models.Model):
    """One trip of an invoice to its approvers: the rule that matched (none = the default
    chain), the amount it was routed on, and how it ended. Submitting again (after a send
    back or a hold) starts a new route; the old one is kept."""

    invoice = models.ForeignKey(
        "invoices.Invoice", on_delete=models.CASCADE, related_name="approval_routes"
    )
    rule = models.ForeignKey(
        RoutingRule, null=True, blank=True, on_delete=models.SET_NULL, related_name="routes"
    )
    rule_name = models.CharField(max_length=200)
    amount_minor = models.BigIntegerField(help_text="Approved total in the reporting currency.")
    currency = models.CharField(max_length=3)
    outcome = models.CharField(max_length=16, choices=Outcome.choices, default=Outcome.OPEN)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["invoice", "-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["invoice"], condition=models.Q(outcome="open"), name="one_open_route"
            )
        ]

    def __str__(self) -> str:
        return f"route of invoice {self.invoice_id} by {self.rule_name}"


class TaskStatus(models.TextChoices):
    WAITING = "waiting", "Waiting for an earlier level"
    PENDING = "pending", "Waiting for a decision"
    APPROVED = "approved", "Approved"
    SENT_BACK = "sent_back", "Sent back"
    REJECTED = "rejected", "Rejected"
    ESCALATED = "escalated", "Escalated"
    CANCELLED = "cancelled", "Not needed"


OPEN_TASK = (TaskStatus.WAITING, TaskStatus.PENDING)


class ApprovalTask(models.Model):
    """One level of a route: a named user (a lead attorney is resolved to one at routing) or a
    pool (anyone active with `pool_role`). Only one level is pending at a time; its
    `activated_at` is what reminders and escalation measure idleness from."""

    route = models.ForeignKey(Route, on_delete=models.CASCADE, related_name="tasks")
    invoice = models.ForeignKey(
        "invoices.Invoice", on_delete=models.CASCADE, related_name="approval_tasks"
    )
    level = models.PositiveSmallIntegerField()
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    pool_role = models.CharField(max_length=16, choices=POOL_ROLES, blank=True)
    note = models.CharField(max_length=200, blank=True, help_text="Why this approver.")
    status = models.CharField(max_length=16, choices=TaskStatus.choices, db_index=True)
    activated_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    escalated_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    on_behalf_of = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["route", "level", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["route", "level"],
                condition=models.Q(status__in=["waiting", "pending"]),
                name="one_open_task_per_level",
            ),
            models.CheckConstraint(
                name="task_has_an_approver",
                condition=models.Q(assignee__isnull=False) | ~models.Q(pool_role=""),
            ),
        ]
        indexes = [
            models.Index(fields=["assignee", "status"], name="task_assignee_idx"),
            models.Index(fields=["status", "activated_at"], name="task_idle_idx"),
        ]

    def __str__(self) -> str:
        return f"level {self.level} of invoice {self.invoice_id}"

    @property
    def approver_label(self) -> str:
        if self.assignee is not None:
            return self.assignee.display_name
        return f"any {dict(POOL_ROLES).get(self.pool_role, self.pool_role).lower()}"


class Delegation(models.Model):
    """While it runs (from `starts_on` to `ends_on`, both included), the delegate may act on
    the delegator's approvals and sees the invoices routed to them. One hop only: a delegate's
    own delegate does not inherit them."""

    delegator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="delegations_given"
    )
    delegate = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="delegations_received"
    )
    starts_on = models.DateField()
    ends_on = models.DateField()
    comment = models.CharField(max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="delegation_dates_in_order",
                condition=models.Q(ends_on__gte=models.F("starts_on")),
            ),
            models.CheckConstraint(
                name="delegation_not_to_self", condition=~models.Q(delegate=models.F("delegator"))
            ),
        ]

    def __str__(self) -> str:
        return f"{self.delegator} -> {self.delegate} ({self.starts_on}..{self.ends_on})"
