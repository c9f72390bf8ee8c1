"""Matters and their money: assigned firms, budgets (by fiscal year and UTBMS phase, in
approved versions), accruals (monthly unbilled work reported by the firms) and forecasts.

Money that is summed is integer minor units plus an ISO 4217 currency (DESIGN.md rule 5).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from legalops.core.fields import ScaledDecimalField
from legalops.core.models import StoredDocument


class MatterType(models.TextChoices):
    LITIGATION = "litigation", "Litigation"
    TRANSACTIONAL = "transactional", "Transactional"
    ADVISORY = "advisory", "Advisory"
    REGULATORY = "regulatory", "Regulatory"
    IP = "ip", "Intellectual property"
    EMPLOYMENT = "employment", "Employment"
    INVESTIGATION = "investigation", "Investigation"
    OTHER = "other", "Other"


class MatterTypeDef(models.Model):
    """A matter type as the department configures it (Admin > Matter types). `MatterType` above
    holds the shipped codes (seeded here by migration); a matter stores the code, so routing
    rules and guidelines overrides that name a code keep matching. A code never changes once
    created; an inactive type stays on its matters but is not offered for new ones."""

    code = models.SlugField(max_length=16, unique=True)
    name = models.CharField(max_length=100)
    active = models.BooleanField(default=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class MatterField(models.Model):
    """A custom field admins add to matters: for every matter (`matter_type` empty) or for one
    type's. Values are stored on the matter (`Matter.custom_fields`, by `key`)."""

    class Kind(models.TextChoices):
        TEXT = "text", "Text"
        NUMBER = "number", "Number"
        DATE = "date", "Date"
        CHOICE = "choice", "Choice"
        BOOLEAN = "boolean", "Yes / no"

    key = models.SlugField(max_length=40, unique=True, help_text="Stored name; never changes.")
    label = models.CharField(max_length=100)
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.TEXT)
    required = models.BooleanField(default=False)
    choices = models.JSONField(default=list, blank=True, help_text="The options of a choice.")
    matter_type = models.CharField(
        max_length=16, blank=True, help_text="A matter type's code; empty for every matter."
    )
    active = models.BooleanField(default=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "label"]

    def __str__(self) -> str:
        return self.label


class MatterStatus(models.TextChoices):
    OPEN = "open", "Open"
    ON_HOLD = "on_hold", "On hold"
    CLOSED = "closed", "Closed"


class RiskRating(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


class LossProbability(models.TextChoices):
    """ASC 450-20: accrue a probable, estimable loss; disclose a reasonably possible one."""

    PROBABLE = "probable", "Probable"
    REASONABLY_POSSIBLE = "reasonably_possible", "Reasonably possible"
    REMOTE = "remote", "Remote"


class CodeSet(models.TextChoices):
    LITIGATION = "litigation", "UTBMS litigation (L100-L500)"
    COUNSELING = "counseling", "UTBMS counseling (C100-C400)"
    PROJECT = "project", "UTBMS project (P100-P800)"
    NONE = "", "None"


# Budget phases of each code set (reference/ledes-and-utbms.md §7).
PHASES: dict[str, dict[str, str]] = {
    "litigation": {
        "L100": "Case assessment, development and administration",
        "L200": "Pre-trial pleadings and motions",
        "L300": "Discovery",
        "L400": "Trial preparation and trial",
        "L500": "Appeal",
    },
    "counseling": {
        "C100": "Fact gathering",
        "C200": "Researching law",
        "C300": "Analysis and advice",
        "C400": "Third party communication",
    },
    "project": {
        "P100": "Project administration",
        "P200": "Fact gathering / due diligence",
        "P300": "Structure, strategy, analysis",
        "P400": "Initial document preparation / filing",
        "P500": "Negotiation, revision, responses",
        "P600": "Completion / closing",
        "P700": "Post-completion / post-closing",
        "P800": "Maintenance and renewal",
    },
}


class Matter(models.Model):
    """A piece of legal work the department manages. `number` is the CLIENT_MATTER_ID firms
    put on invoices. A confidential matter is visible only to its team (lead and members) and
    legal ops; firm users see only matters their firm is assigned to, without exposure,
    reserve, risk or notes."""

    number = models.CharField("CLIENT_MATTER_ID", max_length=20, unique=True)
    name = models.CharField(max_length=200)
    matter_type = models.CharField(max_length=16, help_text="The code of a MatterTypeDef.")
    practice_area = models.ForeignKey(
        "organization.PracticeArea", null=True, blank=True, on_delete=models.PROTECT
    )
    business_unit = models.ForeignKey(
        "organization.BusinessUnit", null=True, blank=True, on_delete=models.PROTECT
    )
    status = models.CharField(
        max_length=16, choices=MatterStatus.choices, default=MatterStatus.OPEN
    )
    opened_on = models.DateField()
    closed_on = models.DateField(null=True, blank=True)
    lead_attorney = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_matters",
    )
    team = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="matters")
    confidential = models.BooleanField(default=False)
    description = models.TextField(blank=True)
    code_set = models.CharField(
        max_length=16, choices=CodeSet.choices, default=CodeSet.LITIGATION, blank=True
    )
    gl_code = models.CharField("GL code", max_length=32, blank=True)
    currency = models.CharField(max_length=3, default="USD")
    risk_rating = models.CharField(max_length=8, choices=RiskRating.choices, blank=True)
    loss_probability = models.CharField(
        "ASC 450 probability", max_length=24, choices=LossProbability.choices, blank=True
    )
    exposure_minor = models.BigIntegerField(null=True, blank=True)
    reserve_minor = models.BigIntegerField(null=True, blank=True)
    outcome = models.CharField(max_length=200, blank=True)
    notes = models.TextField(blank=True)
    # Values of the custom fields (MatterField.key -> text, a decimal string, an ISO date, a
    # choice or a boolean). JSON on the row rather than a value table: a matter's fields are
    # always read and written together with it, there are few of them, and nothing sums or
    # joins over them; SQLite and PostgreSQL store JSON alike.
    custom_fields = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-opened_on", "number"]
        indexes = [models.Index(fields=["status", "opened_on"], name="matter_status_idx")]

    def __str__(self) -> str:
        return f"{self.number} {self.name}"

    def get_matter_type_display(self) -> str:
        """The configured name of the type (the code if it has none): templates call this as
        they did when the type was a fixed choice."""
        name = MatterTypeDef.objects.filter(code=self.matter_type).values_list("name", flat=True)
        return next(iter(name), self.matter_type)


class FeeArrangement(models.TextChoices):
    HOURLY = "hourly", "Hourly"
    CAPPED = "capped", "Capped fee"
    FIXED = "fixed", "Fixed fee"
    BLENDED = "blended", "Blended rate"


class FirmRole(models.TextChoices):
    LEAD = "lead", "Lead counsel"
    CO_COUNSEL = "co_counsel", "Co-counsel"
    LOCAL = "local", "Local counsel"
    SPECIALIST = "specialist", "Specialist / expert"
    VENDOR = "vendor", "Vendor"


class MatterFirm(models.Model):
    """A firm assigned to a matter, with its role and engagement terms. `fee_amount_minor` is
    the cap or the fixed fee; `blended_rate` the agreed rate for a blended arrangement."""

    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="assignments")
    firm = models.ForeignKey(
        "vendors.LawFirm", on_delete=models.PROTECT, related_name="assignments"
    )
    role = models.CharField(max_length=16, choices=FirmRole.choices, default=FirmRole.LEAD)
    fee_arrangement = models.CharField(
        max_length=16, choices=FeeArrangement.choices, default=FeeArrangement.HOURLY
    )
    fee_amount_minor = models.BigIntegerField(null=True, blank=True)
    blended_rate = ScaledDecimalField(places=4, null=True, blank=True)
    engaged_on = models.DateField(null=True, blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["matter", "firm"]
        constraints = [models.UniqueConstraint(fields=["matter", "firm"], name="matter_firm_once")]

    def __str__(self) -> str:
        return f"{self.firm} on {self.matter}"


class KeyDate(models.Model):
    """A date that matters on a matter: a hearing, a filing deadline, a closing."""

    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="key_dates")
    date = models.DateField()
    label = models.CharField(max_length=200)
    done = models.BooleanField(default=False)

    class Meta:
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.label}"


class MatterTask(models.Model):
    """A to-do on a matter for someone on its team."""

    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(max_length=200)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    due_on = models.DateField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["done_at", "due_on", "pk"]

    def __str__(self) -> str:
        return self.title


class MatterNote(models.Model):
    """A dated note on a matter (internal: never shown to firms)."""

    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="note_entries")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    text = models.TextField()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.text[:50]


class MatterDocument(StoredDocument):
    """A document kept with a matter (pleadings, engagement letters, opinions)."""

    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="documents")
    file = models.FileField(upload_to="matters/%Y/")


class Budget(models.Model):
    """The budget of one firm on one matter for one fiscal year. Its amounts live in
    versions; `approved_version` is the one in force. `alert_thresholds` are the percentages
    of consumption at which the matter lead is told (once each)."""

    matter = models.ForeignKey(Matter, on_delete=models.PROTECT, related_name="budgets")
    firm = models.ForeignKey("vendors.LawFirm", on_delete=models.PROTECT, related_name="budgets")
    fiscal_year = models.PositiveSmallIntegerField()
    currency = models.CharField(max_length=3)
    approved_version = models.ForeignKey(
        "BudgetVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    alert_thresholds = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-fiscal_year", "matter", "firm"]
        constraints = [
            models.UniqueConstraint(
                fields=["matter", "firm", "fiscal_year"], name="budget_once_per_year"
            )
        ]

    def __str__(self) -> str:
        return f"FY{self.fiscal_year} {self.matter.number} / {self.firm}"


class VersionStatus(models.TextChoices):
    SUBMITTED = "submitted", "Awaiting approval"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"
    SUPERSEDED = "superseded", "Superseded"


class BudgetVersion(models.Model):
    """One proposal of a budget's amounts, submitted by the firm or entered by legal ops, then
    approved or rejected. Approving a version supersedes the one before."""

    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    status = models.CharField(
        max_length=16, choices=VersionStatus.choices, default=VersionStatus.SUBMITTED
    )
    total_minor = models.BigIntegerField()
    note = models.TextField(blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)

    class Meta:
        ordering = ["budget", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["budget", "number"], name="budget_version_number")
        ]

    def __str__(self) -> str:
        return f"{self.budget} v{self.number}"


class BudgetLine(models.Model):
    """The amount of a version for one UTBMS phase (`phase` empty: the whole matter)."""

    version = models.ForeignKey(BudgetVersion, on_delete=models.CASCADE, related_name="lines")
    phase = models.CharField(max_length=10, blank=True)
    amount_minor = models.BigIntegerField()

    class Meta:
        ordering = ["version", "phase"]
        constraints = [
            models.UniqueConstraint(fields=["version", "phase"], name="budget_line_phase_once")
        ]

    def __str__(self) -> str:
        return f"{self.phase or 'whole matter'}: {self.amount_minor}"


class BudgetAlert(models.Model):
    """A threshold crossing that was announced to the matter lead (sent once per budget,
    fiscal year and threshold)."""

    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="alerts")
    threshold = models.PositiveSmallIntegerField()
    spent_minor = models.BigIntegerField()
    budget_minor = models.BigIntegerField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(fields=["budget", "threshold"], name="budget_alert_once")
        ]

    def __str__(self) -> str:
        return f"{self.budget} {self.threshold}%"


class DepartmentBudget(models.Model):
    """The department's own annual budget for outside spend, by practice area and/or business
    unit (both empty: the whole department), in the reporting currency."""

    fiscal_year = models.PositiveSmallIntegerField()
    practice_area = models.ForeignKey(
        "organization.PracticeArea", null=True, blank=True, on_delete=models.PROTECT
    )
    business_unit = models.ForeignKey(
        "organization.BusinessUnit", null=True, blank=True, on_delete=models.PROTECT
    )
    amount_minor = models.BigIntegerField()
    currency = models.CharField(max_length=3)

    class Meta:
        ordering = ["-fiscal_year", "practice_area", "business_unit"]
        constraints = [
            models.UniqueConstraint(
                fields=["fiscal_year", "practice_area", "business_unit"],
                name="department_budget_once",
            )
        ]

    def __str__(self) -> str:
        return f"FY{self.fiscal_year} department budget"


class PeriodStatus(models.TextChoices):
    OPEN = "open", "Open"
    LOCKED = "locked", "Locked"


class AccrualPeriod(models.Model):
    """The monthly accrual window: from `opens_on` to `deadline` (inclusive) firms report the
    work done but not yet billed on each open matter; after the deadline it is locked."""

    month = models.DateField(unique=True, help_text="First day of the month accrued")
    opens_on = models.DateField()
    deadline = models.DateField()
    status = models.CharField(max_length=8, choices=PeriodStatus.choices, default=PeriodStatus.OPEN)
    locked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-month"]

    def __str__(self) -> str:
        return f"accruals {self.month:%Y-%m}"


class Accrual(models.Model):
    """A firm's report of unbilled work (WIP) on one matter for one period: `current_minor`
    for work of the month, `prior_minor` for earlier work still unbilled. Zero is a valid,
    required answer."""

    period = models.ForeignKey(AccrualPeriod, on_delete=models.PROTECT, related_name="accruals")
    matter = models.ForeignKey(Matter, on_delete=models.PROTECT, related_name="accruals")
    firm = models.ForeignKey("vendors.LawFirm", on_delete=models.PROTECT, related_name="accruals")
    current_minor = models.BigIntegerField()
    prior_minor = models.BigIntegerField(default=0)
    currency = models.CharField(max_length=3)
    note = models.CharField(max_length=500, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    reported_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["period", "matter", "firm"]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "matter", "firm"], name="accrual_once_per_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.period} {self.matter.number} {self.firm}"

    @property
    def total_minor(self) -> int:
        return self.current_minor + self.prior_minor


class Granularity(models.TextChoices):
    MONTH = "month", "Month"
    QUARTER = "quarter", "Quarter"


class Forecast(models.Model):
    """An expected spend on a matter (optionally by one firm) for a month or a fiscal quarter
    starting on `period_start`. The projection uses these for the months they cover."""

    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="forecasts")
    firm = models.ForeignKey(
        "vendors.LawFirm", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    granularity = models.CharField(max_length=8, choices=Granularity.choices)
    period_start = models.DateField()
    amount_minor = models.BigIntegerField()
    currency = models.CharField(max_length=3)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    entered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["matter", "period_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["matter", "firm", "granularity", "period_start"],
                name="forecast_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.matter.number} {self.period_start} {self.granularity}"
