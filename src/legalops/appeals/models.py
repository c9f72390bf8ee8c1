"""Appeals: a firm asks, line by line, for adjusted amounts back; a reviewer reinstates them
fully or partly, or upholds the adjustment. Reinstated money lands on the line's adjustments
(`invoices.Adjustment.reinstated_minor`), so net savings stay measurable."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class AppealPolicy(models.Model):
    """How long after an invoice's decision its firm may appeal (one row)."""

    deadline_days = models.PositiveSmallIntegerField(default=30)

    def __str__(self) -> str:
        return f"appeals within {self.deadline_days} days"


class AppealStatus(models.TextChoices):
    OPEN = "open", "Open"
    DECIDED = "decided", "Decided"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Appeal(models.Model):
    """One appeal of one invoice. While it is open the invoice is `appealed`; when every item is
    decided the invoice returns to `prior_state` (the state it was appealed from: approved*,
    sent to AP or paid)."""

    invoice = models.ForeignKey(
        "invoices.Invoice", on_delete=models.CASCADE, related_name="appeals"
    )
    status = models.CharField(
        max_length=16, choices=AppealStatus.choices, default=AppealStatus.OPEN, db_index=True
    )
    prior_state = models.CharField(max_length=20)
    note = models.TextField(blank=True, help_text="The firm's covering note.")
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    filed_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-filed_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["invoice"], condition=models.Q(status="open"), name="one_open_appeal"
            )
        ]

    def __str__(self) -> str:
        return f"appeal {self.pk} of invoice {self.invoice_id}"


class Decision(models.TextChoices):
    PENDING = "pending", "Awaiting decision"
    REINSTATED = "reinstated", "Reinstated in full"
    PARTLY = "partly", "Partly reinstated"
    UPHELD = "upheld", "Adjustment upheld"


class AppealItem(models.Model):
    """One appealed line: what was taken off it when the firm appealed, what the firm asks
    back and why, and the reviewer's decision."""

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="items")
    line = models.ForeignKey(
        "invoices.InvoiceLine", on_delete=models.CASCADE, related_name="appeal_items"
    )
    adjusted_minor = models.BigIntegerField(help_text="Billed minus approved when appealed.")
    requested_minor = models.BigIntegerField(help_text="What the firm asks to be reinstated.")
    reason = models.TextField()
    decision = models.CharField(
        max_length=16, choices=Decision.choices, default=Decision.PENDING, db_index=True
    )
    reinstated_minor = models.BigIntegerField(default=0)
    comment = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["appeal", "line__index"]
        constraints = [
            models.UniqueConstraint(fields=["appeal", "line"], name="appeal_line_once"),
            models.CheckConstraint(
                name="appeal_amounts_in_range",
                condition=models.Q(requested_minor__gt=0)
                & models.Q(requested_minor__lte=models.F("adjusted_minor"))
                & models.Q(reinstated_minor__gte=0)
                & models.Q(reinstated_minor__lte=models.F("requested_minor")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.line} ({self.decision})"
