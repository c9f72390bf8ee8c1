"""Backtests: a guidelines version (a draft, a published one, or a file never stored) replayed
over the invoices of a period, next to what actually happened to them.

A run stores one row per invoice and one per (invoice, rule) with exact minor units, so the
report is sums over stored rows: it never runs the engine again. The guidelines text is kept on
the backtest itself, so the report still says what was run after a draft is edited or removed.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class Backtest(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    guidelines = models.ForeignKey(
        "invoices.GuidelinesVersion",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="backtests",
        help_text="The stored version replayed (empty for a file given to the CLI).",
    )
    guidelines_label = models.CharField(max_length=300)
    guidelines_sha256 = models.CharField(max_length=64)
    guidelines_source = models.TextField(help_text="The guidelines file replayed (TOML).")
    period_from = models.DateField()
    period_to = models.DateField()
    firm = models.ForeignKey(
        "vendors.LawFirm", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    matter = models.ForeignKey(
        "matters.Matter", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    invoices_total = models.PositiveIntegerField(default=0)
    invoices_done = models.PositiveIntegerField(default=0)
    lines_total = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    progress_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When a running backtest last reported progress (a worker that stopped "
        "mid-run leaves it behind; see backtests_fail_stale).",
    )
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"backtest {self.pk}: {self.guidelines_label}, {self.period_from}..{self.period_to}"

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return self.invoices_done * 100 // self.invoices_total if self.invoices_total else 0


class BacktestInvoice(models.Model):
    """One replayed invoice: what the backtested guidelines would have done (`flags`,
    `approved_minor`) next to what happened (`actual_*`, read from the stored invoice)."""

    backtest = models.ForeignKey(Backtest, on_delete=models.CASCADE, related_name="items")
    invoice = models.ForeignKey("invoices.Invoice", on_delete=models.CASCADE, related_name="+")
    firm = models.ForeignKey("vendors.LawFirm", on_delete=models.CASCADE, related_name="+")
    matter = models.ForeignKey("matters.Matter", on_delete=models.CASCADE, related_name="+")
    currency = models.CharField(max_length=3)
    state = models.CharField(max_length=20, help_text="The invoice's state when replayed.")
    lines = models.PositiveIntegerField()
    billed_minor = models.BigIntegerField()
    flags = models.PositiveIntegerField()
    flagged_lines = models.PositiveIntegerField()
    approved_minor = models.BigIntegerField(help_text="What the backtest would have approved.")
    returned = models.BooleanField(default=False)
    actual_guidelines = models.ForeignKey(
        "invoices.GuidelinesVersion",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actual_flags = models.PositiveIntegerField()
    actual_flagged_lines = models.PositiveIntegerField()
    actual_approved_minor = models.BigIntegerField()

    class Meta:
        ordering = ["backtest", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["backtest", "invoice"], name="backtest_invoice_once")
        ]

    def __str__(self) -> str:
        return f"invoice {self.invoice_id} in backtest {self.backtest_id}"

    @property
    def saved_minor(self) -> int:
        return self.billed_minor - self.approved_minor

    @property
    def actual_saved_minor(self) -> int:
        return self.billed_minor - self.actual_approved_minor


class BacktestRule(models.Model):
    """One rule on one replayed invoice, on either side. `proposed_minor` is the signed sum of
    the rule's flags (negative = a reduction), as a review stores it on `Flag.amount_minor`;
    `actual_adjusted_minor` is what the rule's automatic adjustments still take off after
    reviewers' overrides and appeals."""

    item = models.ForeignKey(BacktestInvoice, on_delete=models.CASCADE, related_name="rules")
    rule = models.CharField(max_length=64)
    flags = models.PositiveIntegerField(default=0)
    lines = models.PositiveIntegerField(default=0)
    proposed_minor = models.BigIntegerField(default=0)
    actual_flags = models.PositiveIntegerField(default=0)
    actual_lines = models.PositiveIntegerField(default=0)
    actual_proposed_minor = models.BigIntegerField(default=0)
    actual_adjusted_minor = models.BigIntegerField(default=0)

    class Meta:
        ordering = ["item", "rule"]
        constraints = [models.UniqueConstraint(fields=["item", "rule"], name="backtest_rule_once")]

    def __str__(self) -> str:
        return f"{self.rule} on {self.item}"
