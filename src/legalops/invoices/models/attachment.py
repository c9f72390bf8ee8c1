"""Documents filed with an invoice besides the LEDES file: receipts for expense lines (and
other supporting documents). The invoice PDF of a form-entered invoice is
`Invoice.attachment`; every file itself is an `InvoiceFile`, stored byte for byte."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class Attachment(models.Model):
    """One supporting document of an invoice, optionally for one of its lines."""

    class Kind(models.TextChoices):
        RECEIPT = "receipt", "Receipt"
        SUPPORT = "support", "Supporting document"

    invoice = models.ForeignKey(
        "invoices.Invoice", on_delete=models.CASCADE, related_name="attachments"
    )
    line = models.ForeignKey(
        "invoices.InvoiceLine",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    file = models.ForeignKey("invoices.InvoiceFile", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.RECEIPT)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["invoice", "line__index", "uploaded_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.file.name}"
