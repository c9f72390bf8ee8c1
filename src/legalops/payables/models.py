"""Accounts payable: approved invoices leave for the AP system in batches (a CSV or Excel file
in the layout finance chose), money reinstated after export follows as supplemental lines, and
payments come back by import or API."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class VendorAccount(models.Model):
    """A firm's supplier number in the AP system (the `vendor_number` column)."""

    firm = models.OneToOneField(
        "vendors.LawFirm", on_delete=models.CASCADE, related_name="ap_account"
    )
    vendor_number = models.CharField(max_length=64, unique=True)

    def __str__(self) -> str:
        return f"{self.firm}: {self.vendor_number}"


class DateFormat(models.TextChoices):
    ISO = "%Y-%m-%d", "2026-03-31 (ISO)"
    US = "%m/%d/%Y", "03/31/2026 (US)"
    EU = "%d/%m/%Y", "31/03/2026 (day first)"
    COMPACT = "%Y%m%d", "20260331 (compact)"


class ApLayout(models.Model):
    """The export file's columns, in order, each a field of `payables.layout.FIELDS` with the
    header finance wants (one row)."""

    columns = models.JSONField(default=list)
    date_format = models.CharField(
        max_length=16, choices=DateFormat.choices, default=DateFormat.ISO
    )

    def __str__(self) -> str:
        return "AP export layout"


class ApBatch(models.Model):
    """One export to AP. The values of every line are frozen when it is made, with the layout
    of that moment, so downloading it again gives the same file."""

    number = models.CharField(max_length=32, unique=True)
    columns = models.JSONField()
    date_format = models.CharField(max_length=16)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    invoice_count = models.PositiveIntegerField(default=0)
    supplemental_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.number


class Supplemental(models.Model):
    """Money owed on an invoice that was already exported (reinstated on appeal): it goes to
    AP as an extra line in the next batch."""

    invoice = models.ForeignKey(
        "invoices.Invoice", on_delete=models.PROTECT, related_name="ap_supplementals"
    )
    amount_minor = models.BigIntegerField()
    currency = models.CharField(max_length=3)
    reason = models.CharField(max_length=255)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"supplemental {self.amount_minor} on invoice {self.invoice_id}"


class LineKind(models.TextChoices):
    INVOICE = "invoice", "Invoice"
    SUPPLEMENTAL = "supplemental", "Supplemental"


class ApBatchLine(models.Model):
    """One row of a batch file: an invoice, or a supplemental line for one."""

    batch = models.ForeignKey(ApBatch, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveIntegerField()
    kind = models.CharField(max_length=16, choices=LineKind.choices)
    invoice = models.ForeignKey(
        "invoices.Invoice", on_delete=models.PROTECT, related_name="ap_lines"
    )
    supplemental = models.OneToOneField(
        Supplemental, null=True, blank=True, on_delete=models.PROTECT, related_name="batch_line"
    )
    amount_minor = models.BigIntegerField(help_text="What this row asks AP to pay.")
    currency = models.CharField(max_length=3)
    values = models.JSONField(help_text="Every export field's value when the batch was made.")

    class Meta:
        ordering = ["batch", "position"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "position"], name="ap_line_position_once"),
            models.UniqueConstraint(
                fields=["invoice"],
                condition=models.Q(kind="invoice"),
                name="invoice_exported_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.batch} row {self.position}"


class PaymentSource(models.TextChoices):
    IMPORT = "import", "Payments import"
    API = "api", "API"
    MANUAL = "manual", "Entered by hand"
    SEED = "seed", "Demo data"


class Payment(models.Model):
    """Money AP paid on an invoice. The invoice is `paid` once its payments reach what was
    sent to AP (supplemental lines included)."""

    invoice = models.ForeignKey(
        "invoices.Invoice", on_delete=models.PROTECT, related_name="payments"
    )
    paid_on = models.DateField()
    amount_minor = models.BigIntegerField()
    currency = models.CharField(max_length=3)
    source = models.CharField(max_length=16, choices=PaymentSource.choices)
    reference = models.CharField(max_length=100, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-paid_on", "-pk"]
        constraints = [
            models.CheckConstraint(name="payment_positive", condition=models.Q(amount_minor__gt=0))
        ]

    def __str__(self) -> str:
        return f"payment {self.amount_minor} on invoice {self.invoice_id}"
