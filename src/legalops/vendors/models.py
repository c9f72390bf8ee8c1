"""Law firms and other legal vendors.

The foundation keeps what users and invoices hang on (identity, status, currency, aliases for
matching invoices); timekeepers, rate cards, evaluations and contacts grow here (issue 5).
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class PanelStatus(models.TextChoices):
    PREFERRED = "preferred", "Preferred"
    APPROVED = "approved", "Approved"
    INACTIVE = "inactive", "Inactive"


class LawFirm(models.Model):
    """A law firm (or other vendor) that bills the department.

    `law_firm_id` is the LEDES LAW_FIRM_ID the firm puts on its invoices (usually its tax id);
    `aliases` are other names or ids seen on invoices, used to match them to the firm."""

    law_firm_id = models.CharField("LAW_FIRM_ID", max_length=64, unique=True)
    name = models.CharField(max_length=200)
    aliases = models.JSONField(default=list, blank=True)
    status = models.CharField(
        max_length=16, choices=PanelStatus.choices, default=PanelStatus.APPROVED
    )
    currency = models.CharField(max_length=3, default="USD")
    payment_terms_days = models.PositiveIntegerField(default=30)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
