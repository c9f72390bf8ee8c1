"""Invoices from law firms, their lines, the review's flags and every money decision on them.

Money that gets summed is integer minor units in the invoice's `currency`; units, rates and unit
costs keep the precision they were billed with (scaled integers). Every line keeps what was
billed (`billed_minor`) and what is approved now (`approved_minor`): the difference is the sum of
the line's adjustments, net of reinstatements after appeals.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from legalops.core.fields import ScaledDecimalField


class State(models.TextChoices):
    """The lifecycle of spec/cli.md (exact strings)."""

    RECEIVED = "received", "Received"
    IN_REVIEW = "in_review", "In review"
    PENDING_APPROVAL = "pending_approval", "Pending approval"
    ON_HOLD = "on_hold", "On hold"
    APPROVED = "approved", "Approved"
    APPROVED_ADJUSTED = "approved_adjusted", "Approved with adjustments"
    REJECTED = "rejected", "Rejected"
    SENT_TO_AP = "sent_to_ap", "Sent to AP"
    PAID = "paid", "Paid"
    APPEALED = "appealed", "Appealed"
    RESUBMITTED = "resubmitted", "Resubmitted"
    VOIDED = "voided", "Voided"


OPEN_STATES = (
    State.RECEIVED,
    State.IN_REVIEW,
    State.PENDING_APPROVAL,
    State.ON_HOLD,
    State.APPEALED,
)
# An invoice in one of these states no longer counts as "already received" for duplicates.
SUPERSEDED_STATES = (State.RESUBMITTED, State.VOIDED)


class Source(models.TextChoices):
    UPLOAD = "upload", "Uploaded by legal ops"
    PORTAL = "portal", "Vendor portal"
    API = "api", "API"
    CLI = "cli", "Command line"
    FORM = "form", "Portal form (no LEDES)"
    HISTORY = "history", "History import"
    SEED = "seed", "Demo data"


class GuidelinesVersion(models.Model):
    """One stored version of the company's billing guidelines (the TOML text, byte for byte).
    An invoice is reviewed with the published version whose `effective` date is the latest on
    or before its billing end date (spec/cli.md)."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    name = models.CharField(max_length=200)
    version = models.CharField(max_length=64)
    effective = models.DateField()
    sha256 = models.CharField(max_length=64)
    source = models.TextField(help_text="The guidelines file (TOML).")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-effective", "-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["sha256", "status"], name="guidelines_once_per_status")
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.version} (effective {self.effective})"


def _file_path(instance: InvoiceFile, filename: str) -> str:
    return f"invoices/{instance.sha256[:2]}/{instance.sha256}"


class InvoiceFile(models.Model):
    """An invoice file exactly as it arrived (one file may carry several invoices)."""

    sha256 = models.CharField(max_length=64, db_index=True)
    name = models.CharField(max_length=255)
    size = models.PositiveBigIntegerField()
    content = models.FileField(upload_to=_file_path, max_length=255)
    format = models.CharField(max_length=16, blank=True)
    content_type = models.CharField(max_length=100, default="text/plain")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)
    source = models.CharField(max_length=16, choices=Source.choices)

    class Meta:
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return self.name


class Invoice(models.Model):
    """One invoice of one firm for one matter. `resubmission_of` links a corrected invoice to
    the rejected one it replaces."""

    firm = models.ForeignKey("vendors.LawFirm", on_delete=models.PROTECT, related_name="invoices")
    matter = models.ForeignKey("matters.Matter", on_delete=models.PROTECT, related_name="invoices")
    invoice_number = models.CharField(max_length=64)
    state = models.CharField(
        max_length=20, choices=State.choices, default=State.RECEIVED, db_index=True
    )
    source = models.CharField(max_length=16, choices=Source.choices)
    file = models.ForeignKey(
        InvoiceFile, null=True, blank=True, on_delete=models.PROTECT, related_name="invoices"
    )
    attachment = models.ForeignKey(
        InvoiceFile,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The invoice PDF of a form-entered invoice.",
    )
    format = models.CharField(max_length=16, blank=True)
    invoice_date = models.DateField()
    billing_start = models.DateField(null=True, blank=True)
    billing_end = models.DateField(null=True, blank=True)
    description = models.TextField(blank=True)
    client_id = models.CharField(max_length=64, blank=True)
    law_firm_matter_id = models.CharField(max_length=64, blank=True)
    currency = models.CharField(max_length=3, help_text="The currency the invoice is kept in.")
    stated_currency = models.CharField(
        max_length=3, blank=True, help_text="The currency the file states (1998B states none)."
    )
    billed_minor = models.BigIntegerField()
    billed_fees_minor = models.BigIntegerField(default=0)
    billed_expenses_minor = models.BigIntegerField(default=0)
    tax_minor = models.BigIntegerField(default=0)
    approved_minor = models.BigIntegerField()
    hours = ScaledDecimalField(places=4, default=0)
    received_at = models.DateTimeField(default=timezone.now, db_index=True)
    received_on = models.DateField(help_text="The receipt date the review's date rules use.")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    guidelines = models.ForeignKey(
        GuidelinesVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="invoices"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    sent_to_ap_at = models.DateTimeField(null=True, blank=True)
    paid_on = models.DateField(null=True, blank=True)
    resubmission_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="resubmissions"
    )
    review_skipped = models.JSONField(
        default=list, blank=True, help_text="Rules the last review skipped, with the reason."
    )
    returned = models.BooleanField(
        default=False, help_text="The review proposed returning the invoice."
    )
    open_holds = models.PositiveIntegerField(default=0)
    flag_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-received_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["firm", "invoice_number"],
                condition=~models.Q(state__in=["resubmitted", "voided"]),
                name="invoice_number_once_per_firm",
            )
        ]
        indexes = [
            models.Index(fields=["firm", "invoice_date"], name="invoice_firm_date_idx"),
            models.Index(fields=["matter", "invoice_date"], name="invoice_matter_date_idx"),
            models.Index(fields=["state", "received_at"], name="invoice_state_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.invoice_number} ({self.firm})"

    @property
    def adjustment_minor(self) -> int:
        return self.approved_minor - self.billed_minor


class LineKind(models.TextChoices):
    FEE = "F", "Fee"
    EXPENSE = "E", "Expense"
    FEE_ADJUSTMENT = "IF", "Fee adjustment"
    EXPENSE_ADJUSTMENT = "IE", "Expense adjustment"


class InvoiceLine(models.Model):
    """One line item as billed, plus what is approved now."""

    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="lines")
    index = models.PositiveIntegerField(help_text="0-based order of the line in the invoice.")
    line_item_number = models.CharField(max_length=20)
    position = models.PositiveIntegerField(default=0, help_text="Line in the LEDES file.")
    kind = models.CharField(max_length=2, choices=LineKind.choices)
    date = models.DateField(null=True, blank=True)
    units = ScaledDecimalField(places=4, null=True, blank=True)
    unit_cost = ScaledDecimalField(places=4, null=True, blank=True)
    ledes_adjustment = ScaledDecimalField(
        places=4, default=0, help_text="LINE_ITEM_ADJUSTMENT_AMOUNT as billed."
    )
    billed_total = ScaledDecimalField(places=4, help_text="LINE_ITEM_TOTAL exactly as billed.")
    billed_minor = models.BigIntegerField()
    approved_minor = models.BigIntegerField()
    tax_minor = models.BigIntegerField(default=0)
    task_code = models.CharField(max_length=10, blank=True)
    activity_code = models.CharField(max_length=10, blank=True)
    expense_code = models.CharField(max_length=10, blank=True)
    timekeeper = models.ForeignKey(
        "vendors.Timekeeper",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="invoice_lines",
    )
    timekeeper_ref = models.CharField("TIMEKEEPER_ID", max_length=20, blank=True)
    timekeeper_name = models.CharField(max_length=200, blank=True)
    classification = models.CharField(max_length=10, blank=True)
    narrative = models.TextField(blank=True)
    flag_count = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["invoice", "index"]
        constraints = [
            models.UniqueConstraint(fields=["invoice", "index"], name="invoice_line_index_once")
        ]

    def __str__(self) -> str:
        return f"line {self.line_item_number} of {self.invoice_id}"


class Flag(models.Model):
    """A guideline rule that fired on a line (or on the whole invoice when `line` is null),
    with the money it proposes to change and the evidence. A reviewer accepts it (its
    adjustment stands), overrides it (reinstated, with a reason) or clears a hold."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Proposed"
        ACCEPTED = "accepted", "Accepted"
        OVERRIDDEN = "overridden", "Overridden"

    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="flags")
    line = models.ForeignKey(
        InvoiceLine, null=True, blank=True, on_delete=models.CASCADE, related_name="flags"
    )
    order = models.PositiveIntegerField(help_text="Catalogue order within its line.")
    rule = models.CharField(max_length=64, db_index=True)
    action = models.CharField(max_length=20)
    amount_minor = models.BigIntegerField(help_text="Signed change the review proposed.")
    message = models.TextField()
    evidence = models.JSONField(default=dict)
    guidelines = models.ForeignKey(
        GuidelinesVersion, null=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PROPOSED)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason_code = models.CharField(max_length=32, blank=True)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["invoice", "line__index", "order"]

    def __str__(self) -> str:
        return f"{self.rule} on {self.line or self.invoice}"


class Adjustment(models.Model):
    """A change of a line's approved amount (negative = reduction). Automatic ones come from
    the review (`flag` set, reason code = the rule id); manual ones from a reviewer. Appeals
    reinstate part or all of it (`reinstated_minor`, positive)."""

    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="adjustments")
    line = models.ForeignKey(InvoiceLine, on_delete=models.CASCADE, related_name="adjustments")
    flag = models.OneToOneField(
        Flag, null=True, blank=True, on_delete=models.CASCADE, related_name="adjustment"
    )
    amount_minor = models.BigIntegerField()
    reinstated_minor = models.BigIntegerField(default=0)
    reason_code = models.CharField(max_length=32)
    comment = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["invoice", "line__index", "created_at"]

    def __str__(self) -> str:
        return f"{self.reason_code} {self.amount_minor} on {self.line}"

    @property
    def net_minor(self) -> int:
        return 0 if self.withdrawn_at else self.amount_minor + self.reinstated_minor


class ReasonCode(models.Model):
    """Reason codes for manual adjustments (spec/guidelines.md); admins may add their own."""

    code = models.SlugField(max_length=32, primary_key=True)
    label = models.CharField(max_length=100)
    is_active = models.BooleanField(default=True)
    built_in = models.BooleanField(default=False)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.label


class StateChange(models.Model):
    """Each transition of an invoice (the audit trail holds the same with the actor; this
    table is what cycle times are computed from)."""

    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="transitions")
    from_state = models.CharField(max_length=20, blank=True)
    to_state = models.CharField(max_length=20)
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason_code = models.CharField(max_length=32, blank=True)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["invoice", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.invoice_id}: {self.from_state} -> {self.to_state}"
