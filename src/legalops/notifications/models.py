"""What the platform tells a person: in-app notifications (the bell) and, unless the person
switched that kind off, the same by email."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class Kind(models.TextChoices):
    """Kinds a user can switch email off for, one by one (the bell always shows them)."""

    APPROVAL_WAITING = "approval_waiting", "An invoice waits for my approval"
    APPROVAL_REMINDER = "approval_reminder", "Reminder: an approval is still waiting"
    APPROVAL_ESCALATED = "approval_escalated", "An approval was escalated"
    INVOICE_SENT_BACK = "invoice_sent_back", "An approver sent an invoice back to review"
    INVOICE_REJECTED = "invoice_rejected", "An invoice of my firm was rejected"
    APPEAL_FILED = "appeal_filed", "A firm appealed adjustments"
    APPEAL_DECIDED = "appeal_decided", "An appeal of my firm was decided"
    BUDGET_THRESHOLD = "budget_threshold", "A budget crossed an alert threshold"


class Notification(models.Model):
    """One message to one user; `read_at` is set when they open it or mark all read."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=32, choices=Kind.choices)
    title = models.CharField(max_length=255)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=500, blank=True, help_text="Where the message leads.")
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread_idx")]

    def __str__(self) -> str:
        return self.title


class EmailPreference(models.Model):
    """A kind the user wants (or does not want) by email. No row = email on."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="email_preferences"
    )
    kind = models.CharField(max_length=32, choices=Kind.choices)
    email = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="email_preference_once")
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.kind} by email {'on' if self.email else 'off'}"
