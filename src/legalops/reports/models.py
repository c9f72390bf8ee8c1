"""Monthly rollups of invoices, the tables the dashboards and the KPI CLI/API read
(DESIGN.md rule 6). Nothing here is entered by people: `reports.rollups` derives every row
from invoices, their lines and adjustments, keyed by (month of the invoice date, firm, matter,
invoice currency); practice area, business unit and matter type come from the matter.

Money is integer minor units, once in the invoice currency (`*_minor`) and once converted to
the reporting currency (`*_rc`) with the FX rate of the invoice date (amounts of one firm, matter
and currency on one invoice date converted together, ROUND_HALF_UP). Hours are exact
(scaled integers). "Billed" invoices are those not rejected, resubmitted or voided
(`invoices.hooks.BILLED_STATES`); "spent" ones are approved, sent to AP, paid or under appeal
(`invoices.hooks.SPENT_STATES`).
"""

from __future__ import annotations

from django.db import models

from legalops.core.fields import ScaledDecimalField


class Unconverted(models.Model):
    unconverted = models.PositiveIntegerField(
        default=0, help_text="Invoice-date groups left out of *_rc: no FX rate on or before."
    )

    class Meta:
        abstract = True


class RollupKey(Unconverted):
    month = models.DateField(help_text="First day of the month of the invoice date.")
    firm = models.ForeignKey("vendors.LawFirm", on_delete=models.CASCADE, related_name="+")
    matter = models.ForeignKey("matters.Matter", on_delete=models.CASCADE, related_name="+")
    currency = models.CharField(max_length=3, help_text="The invoices' currency.")

    class Meta:
        abstract = True


class InvoiceSums(models.Model):
    """The summed columns of the invoice rollups (`InvoiceMonth`, `FirmInvoiceMonth`)."""

    billed_count = models.PositiveIntegerField(default=0)
    billed_minor = models.BigIntegerField(default=0)
    billed_rc = models.BigIntegerField(default=0)
    fees_rc = models.BigIntegerField(default=0)
    expenses_rc = models.BigIntegerField(default=0)
    tax_rc = models.BigIntegerField(default=0)
    spent_count = models.PositiveIntegerField(default=0)
    spent_billed_rc = models.BigIntegerField(default=0, help_text="Billed amount of spent ones.")
    approved_minor = models.BigIntegerField(default=0)
    approved_rc = models.BigIntegerField(default=0)
    reduced_rc = models.BigIntegerField(
        default=0, help_text="Gross reductions of spent invoices (positive), before appeals."
    )
    reinstated_rc = models.BigIntegerField(default=0, help_text="Given back on appeal.")
    decided_count = models.PositiveIntegerField(default=0, help_text="Spent or rejected.")
    adjusted_count = models.PositiveIntegerField(default=0, help_text="Spent, >= 1 adjustment.")
    rejected_count = models.PositiveIntegerField(default=0)
    line_count = models.PositiveIntegerField(default=0)
    flagged_line_count = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True


class StaffingSums(models.Model):
    """The summed columns of the staffing rollups (`StaffingMonth`, `FirmStaffingMonth`)."""

    hours = ScaledDecimalField(places=4, default=0)
    fees_minor = models.BigIntegerField(default=0)
    fees_rc = models.BigIntegerField(default=0)
    diverse_hours = ScaledDecimalField(places=4, default=0)
    diverse_fees_rc = models.BigIntegerField(default=0)
    spent_hours = ScaledDecimalField(places=4, default=0)
    spent_fees_rc = models.BigIntegerField(default=0, help_text="Fees billed on spent invoices.")
    spent_approved_rc = models.BigIntegerField(
        default=0, help_text="Fees approved on spent invoices."
    )

    class Meta:
        abstract = True


class InvoiceMonth(RollupKey, InvoiceSums):
    """Invoice-level totals and counts of one (month, firm, matter, currency)."""

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["month", "firm", "matter", "currency"], name="invoice_month_once"
            )
        ]
        indexes = [
            models.Index(fields=["month", "firm"], name="invoice_month_idx"),
            # Every dashboard asks which amounts lack an FX rate (`kpis_report.fx_warnings`):
            # the few such rows, not a scan of the whole rollup.
            models.Index(
                fields=["currency", "month"],
                condition=models.Q(unconverted__gt=0),
                name="invoice_month_unconverted_idx",
            ),
            # The matter pages rank matters by approved spend and total the closed ones':
            # read from this index alone, without the wide rows (at 68,000 rows: 14 -> 5 ms on
            # SQLite, 23 -> 10 ms on PostgreSQL).
            models.Index(fields=["matter", "approved_rc"], name="invoice_month_matter_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} firm {self.firm_id} matter {self.matter_id} {self.currency}"


class StaffingMonth(RollupKey, StaffingSums):
    """Fee lines of billed invoices of one (month, firm, matter, currency) and staffing
    bucket (partner, counsel, associate, paralegal, other: spec/cli.md "staffing_mix")."""

    bucket = models.CharField(max_length=10)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["month", "firm", "matter", "currency", "bucket"],
                name="staffing_month_once",
            )
        ]
        indexes = [models.Index(fields=["month", "firm"], name="staffing_month_idx")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} firm {self.firm_id} matter {self.matter_id} {self.bucket}"


class FirmInvoiceMonth(Unconverted, InvoiceSums):
    """`InvoiceMonth` summed over matters and currencies per (month, firm): at a large
    department about a tenth of its rows. The KPIs read it when nothing asks for a matter's
    attributes (no practice area, business unit or matter type filter or split, and a user
    who sees every matter), which is every dashboard's default view. Its native-currency
    columns (*_minor) mix currencies and mean nothing; only *_rc and counts are read."""

    month = models.DateField()
    firm = models.ForeignKey("vendors.LawFirm", on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["month", "firm"], name="firm_invoice_month_once")
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} firm {self.firm_id}"


class FirmStaffingMonth(Unconverted, StaffingSums):
    """`StaffingMonth` summed over matters and currencies per (month, firm, bucket), read as
    `FirmInvoiceMonth` is."""

    month = models.DateField()
    firm = models.ForeignKey("vendors.LawFirm", on_delete=models.CASCADE, related_name="+")
    bucket = models.CharField(max_length=10)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["month", "firm", "bucket"], name="firm_staffing_month_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} firm {self.firm_id} {self.bucket}"


class WorkMonth(RollupKey):
    """Line amounts of billed invoices of one (invoice month, firm, matter, currency) by the
    month of the work: a line's date, an undated line its invoice's date. Accrual accuracy
    compares each month's accruals with the work of that month billed later, which the
    rollups by invoice month cannot give; this keeps it off the invoice lines. The invoice
    month stays in the key so that a change to invoices recomputes only the rows of the
    (firm, matter, month) it touched, as the other rollups do. `billed_rc` sums each
    (invoice date, work month) group converted at the invoice date's rate; a group without
    a rate counts in `unconverted` instead."""

    work_month = models.DateField(help_text="First day of the month the work was done in.")
    billed_minor = models.BigIntegerField(default=0)
    billed_rc = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["month", "firm", "matter", "currency", "work_month"],
                name="work_month_once",
            )
        ]
        indexes = [models.Index(fields=["work_month", "matter"], name="work_month_idx")]

    def __str__(self) -> str:
        return f"work {self.work_month:%Y-%m} billed {self.month:%Y-%m} matter {self.matter_id}"


class RateChange(models.Model):
    """One approved firm-wide rate (a timekeeper's, or a classification's without a
    timekeeper; not a matter's) that followed an earlier rate of the same rate-card line at
    the same firm in the same currency, from a different day: the change the rate change
    KPIs average, as rate requests show it (`vendors.impact`). Derived from the rate cards by
    `reports.rate_changes` whenever a line changes (a backdated rate re-pairs its
    neighbours), and by the rebuild; the KPIs then sum in SQL instead of pairing tens of
    thousands of rates per page.

    Percentages are hundredths of a percent (2 places, as `impact` rounds them). A change
    too large for a safe SQL sum (`rate_changes.SUMMABLE`) keeps its exact figure in
    `large` instead and is added in Python."""

    rate = models.OneToOneField(
        "vendors.Rate", primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    firm = models.ForeignKey("vendors.LawFirm", on_delete=models.CASCADE, related_name="+")
    bucket = models.CharField(max_length=16, help_text="Staffing bucket of the new rate.")
    effective_from = models.DateField(help_text="When the new rate took effect.")
    month = models.DateField(help_text="First day of the month of effective_from.")
    change_h = models.BigIntegerField(
        null=True, help_text="(new - prior) / prior, in hundredths of a percent."
    )
    annualised_h = models.BigIntegerField(
        null=True,
        help_text="(new / prior) ^ (365 / days) - 1 in hundredths of a percent; empty when "
        "it has no figure.",
    )
    large = models.CharField(
        max_length=80,
        blank=True,
        help_text="'change|annualised' in percent when either is too large for change_h "
        "or annualised_h (those are then empty).",
    )

    class Meta:
        indexes = [models.Index(fields=["effective_from"], name="rate_change_from_idx")]

    def __str__(self) -> str:
        return f"rate {self.rate_id} from {self.effective_from}: {self.change_h}"


class InvoiceCycle(models.Model):
    """The times of one decided or paid invoice: percentiles cannot be summed into monthly
    rows, so the Operations KPIs read one row per invoice here instead of the invoices and
    their state changes. Kept with the monthly rollups (the same touch, refresh and rebuild)
    and derived from `Invoice.received_at`, the first change to pending approval,
    `Invoice.decided_at` (the first decision), `received_on` and `paid_on`; durations are
    whole seconds, payment whole days."""

    invoice = models.OneToOneField(
        "invoices.Invoice", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    firm = models.ForeignKey("vendors.LawFirm", on_delete=models.CASCADE, related_name="+")
    matter = models.ForeignKey("matters.Matter", on_delete=models.CASCADE, related_name="+")
    decided_on = models.DateField(null=True, help_text="Date of the first decision.")
    # The months (first days) of the dates, stored: grouping by a month computed in SQLite
    # calls a Python function per row.
    decided_month = models.DateField(null=True)
    approved = models.BooleanField(
        default=False, help_text="In a spent state with a first decision: has cycle times."
    )
    first_pass = models.BooleanField(
        null=True,
        help_text="Original submissions with a decision: approved and never rejected. "
        "None for resubmissions and undecided invoices.",
    )
    submitted_on = models.DateField(
        null=True, help_text="Date of the first submission for approval; None: never submitted."
    )
    submitted_month = models.DateField(null=True)
    approval_seconds = models.BigIntegerField(
        null=True, help_text="Receipt to first decision (approved ones)."
    )
    review_seconds = models.BigIntegerField(null=True, help_text="Receipt to submission.")
    approval_stage_seconds = models.BigIntegerField(
        null=True, help_text="Submission to first decision."
    )
    paid_on = models.DateField(null=True)
    paid_month = models.DateField(null=True)
    payment_days = models.IntegerField(null=True, help_text="Receipt date to payment date.")

    class Meta:
        indexes = [
            models.Index(fields=["decided_on", "firm"], name="invoice_cycle_idx"),
            models.Index(fields=["paid_on"], name="invoice_cycle_paid_idx"),
        ]

    def __str__(self) -> str:
        return f"invoice {self.invoice_id} decided {self.decided_on}"


class InvoiceCycleMonth(models.Model):
    """`InvoiceCycle`'s spans counted per month and per tenth of a day (the resolution the
    cycle-time KPIs report): percentiles cannot be summed, but these counts can. For each
    (month, trend month, span, rounded value) the number of invoices and the smallest and
    largest exact value, which give exactly the median and the 90th percentile of any set of
    whole months (`reports.cycle_counts`). Derived from `InvoiceCycle` by the same touch,
    refresh and rebuild."""

    month = models.DateField(
        help_text="Month of the date the period bounds: the decision (payment_days: payment)."
    )
    trend_month = models.DateField(
        null=True,
        help_text="Month the trend places the span in (review_seconds: of the submission).",
    )
    span = models.CharField(max_length=24, help_text="The `InvoiceCycle` column counted.")
    tenths = models.IntegerField(help_text="The value in days, rounded half up to 0.1, x 10.")
    count = models.PositiveIntegerField()
    low = models.BigIntegerField(help_text="Smallest exact value (seconds or days).")
    high = models.BigIntegerField(help_text="Largest exact value.")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["month", "trend_month", "span", "tenths"], name="invoice_cycle_month_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.span} {self.tenths / 10} days x {self.count}"


# Scheduled report packs (issue 7 item 6): a subscription says which dashboards go out, as
# which files, to whom, with which filters and over which period; `reports.packs_mail` builds
# each recipient's pack under that recipient's own permissions and records every send.


class PackPeriod(models.TextChoices):
    MONTH = "month", "The month"
    YEAR_TO_DATE = "year_to_date", "Year to date (1 January to the month's end)"


class ReportSubscription(models.Model):
    name = models.CharField(max_length=120)
    pages = models.JSONField(
        default=list, help_text="Keys of the dashboards in the pack (reports.views_pages.PAGES)."
    )
    pdf = models.BooleanField(default=True, help_text="Attach the board pack as PDF.")
    xlsx = models.BooleanField(default=False, help_text="Attach the Excel workbook.")
    recipients = models.ManyToManyField(
        "accounts.User", related_name="report_subscriptions", blank=True
    )
    period = models.CharField(max_length=16, choices=PackPeriod.choices, default=PackPeriod.MONTH)
    # The dashboards' filters; empty means all. PROTECT: removing a firm must not silently widen
    # a pack that was narrowed to it.
    firm = models.ForeignKey(
        "vendors.LawFirm", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    practice_area = models.ForeignKey(
        "organization.PracticeArea",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    business_unit = models.ForeignKey(
        "organization.BusinessUnit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    matter_type = models.CharField(max_length=16, blank=True, help_text="A matter type code.")
    is_active = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_sent_at = models.DateTimeField(null=True, blank=True)
    last_sent_month = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(pdf=True) | models.Q(xlsx=True), name="report_pack_has_a_file"
            )
        ]

    def __str__(self) -> str:
        return self.name


class SendStatus(models.TextChoices):
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"
    SKIPPED = "skipped", "Skipped"


class ReportSend(models.Model):
    """One recipient's pack of one month: claimed by inserting the row (the unique constraint
    makes a month go out once per subscription and recipient, however often the job runs);
    a failed or skipped send is retried by the next run, a sent one never."""

    subscription = models.ForeignKey(
        ReportSubscription, on_delete=models.CASCADE, related_name="sends"
    )
    recipient = models.ForeignKey(
        "accounts.User", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recipient_name = models.CharField(max_length=150)
    address = models.CharField(max_length=254, blank=True)
    month = models.DateField(help_text="First day of the month reported on.")
    status = models.CharField(max_length=8, choices=SendStatus.choices)
    detail = models.TextField(blank=True, help_text="The files sent, or why it failed.")
    attempts = models.PositiveSmallIntegerField(default=1)
    sent_by = models.ForeignKey(
        "accounts.User",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Who pressed Send now; empty for the schedule and the command.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-month", "-updated_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "recipient", "month"], name="report_send_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.subscription} {self.month:%Y-%m} to {self.recipient_name}: {self.status}"
