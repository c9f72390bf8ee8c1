"""Law firms and other legal vendors, their timekeepers, rate cards, rate negotiation and
evaluations.

Vocabulary: a *timekeeper* is a person who bills time (LEDES TIMEKEEPER_ID, a LOC
classification such as PARTNR or ASSOC); a *rate card* is the set of effective-dated approved
hourly rates of a firm, per timekeeper or per classification, optionally for one matter; a
*rate request* is a firm's proposal of new rates for a fiscal year, decided line by line.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone

from legalops.core.fields import ScaledDecimalField
from legalops.core.models import StoredDocument

RATE_PLACES = 4
# LOC timekeeper classifications a person can hold (reference/ledes-and-utbms.md §2.6);
# FLTFEE and ADJSMT are "fee support" codes, not people, and are left out here.
CLASSIFICATIONS: dict[str, str] = {
    "PARTNR": "Partner",
    "OFCOUN": "Of Counsel",
    "ASSOC": "Associate",
    "TRANEE": "Associate Trainee",
    "STFATT": "Staff Attorney",
    "TEMPAT": "Contract Attorney",
    "SECNDE": "Secondee",
    "PARALG": "Paralegal",
    "LGLAST": "Legal Assistant",
    "LGLINT": "Legal Intern",
    "LGPRMG": "Legal Project Manager",
    "CLKSEC": "Clerk or Secretary",
    "ANALST": "Analyst",
    "CONSLT": "Consultant",
    "EXPERT": "Expert",
    "RSRCHR": "Researcher",
    "LIBRRN": "Librarian",
    "TRANSL": "Translator",
    "HLNLPF": "High-Level Non-Lawyer Professional",
    "IPAGNT": "IP Agent",
    "CSTCNS": "Costs Counsel",
    "TEMPOS": "Contract Other Staff",
    "NBOTHR": "Other",
}


class PanelStatus(models.TextChoices):
    PREFERRED = "preferred", "Preferred"
    APPROVED = "approved", "Approved"
    INACTIVE = "inactive", "Inactive"


class VendorType(models.TextChoices):
    LAW_FIRM = "law_firm", "Law firm"
    ALSP = "alsp", "Alternative legal service provider"
    EXPERT = "expert", "Expert"
    EDISCOVERY = "ediscovery", "E-discovery"
    OTHER = "other", "Other vendor"


class LawFirm(models.Model):
    """A law firm (or other vendor) that bills the department.

    `law_firm_id` is the LEDES LAW_FIRM_ID the firm puts on its invoices (usually its tax id);
    `aliases` are other names or ids seen on invoices, used to match them to the firm. The rate
    policy (`rate_increase_cap_pct` a year, `rate_freeze_until`, `rate_notice_days` before a new
    rate takes effect) is what rate requests are checked against."""

    law_firm_id = models.CharField("LAW_FIRM_ID", max_length=64, unique=True)
    name = models.CharField(max_length=200)
    aliases = models.JSONField(default=list, blank=True)
    status = models.CharField(
        max_length=16, choices=PanelStatus.choices, default=PanelStatus.APPROVED
    )
    vendor_type = models.CharField(
        max_length=16, choices=VendorType.choices, default=VendorType.LAW_FIRM
    )
    tax_id = models.CharField(max_length=64, blank=True)
    currency = models.CharField(max_length=3, default="USD")
    payment_terms_days = models.PositiveIntegerField(default=30)
    relationship_partner = models.CharField(
        max_length=200, blank=True, help_text="The firm's partner responsible for the client."
    )
    diversity_certifications = models.JSONField(default=list, blank=True)
    notes = models.TextField(blank=True)
    rate_increase_cap_pct = ScaledDecimalField(places=2, default=Decimal("5.00"))
    rate_freeze_until = models.DateField(null=True, blank=True)
    rate_notice_days = models.PositiveIntegerField(default=60)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ContactRole(models.TextChoices):
    BILLING = "billing", "Billing"
    RELATIONSHIP = "relationship", "Relationship"
    OTHER = "other", "Other"


class FirmContact(models.Model):
    """A person at the firm to write to (billing contacts receive accrual reminders too)."""

    firm = models.ForeignKey(LawFirm, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(max_length=200)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=64, blank=True)
    role = models.CharField(max_length=16, choices=ContactRole.choices, default=ContactRole.OTHER)

    class Meta:
        ordering = ["firm", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.firm})"


class FirmDocument(StoredDocument):
    """A document kept with the firm: an engagement letter, a rate agreement, a certificate."""

    firm = models.ForeignKey(LawFirm, on_delete=models.CASCADE, related_name="documents")
    file = models.FileField(upload_to="firms/%Y/")


class Timekeeper(models.Model):
    """A person who bills time for a firm. `timekeeper_id` is the LEDES TIMEKEEPER_ID, unique
    within the firm; `diversity` holds self-reported, optional attributes (never inferred)."""

    firm = models.ForeignKey(LawFirm, on_delete=models.PROTECT, related_name="timekeepers")
    timekeeper_id = models.CharField("TIMEKEEPER_ID", max_length=20)
    name = models.CharField(max_length=200, help_text="As on invoices, e.g. 'Last, First'.")
    classification = models.CharField(max_length=10)
    bar_admission_year = models.PositiveSmallIntegerField(null=True, blank=True)
    office = models.CharField(max_length=100, blank=True)
    diversity = models.JSONField(default=list, blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["firm", "name"]
        constraints = [
            models.UniqueConstraint(fields=["firm", "timekeeper_id"], name="timekeeper_unique_id")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.classification})"


class RateSource(models.TextChoices):
    MANUAL = "manual", "Entered"
    IMPORT = "import", "Imported"
    NEGOTIATION = "negotiation", "Rate request"
    SEED = "seed", "Demo data"


class Rate(models.Model):
    """One approved rate of the rate card, effective from `effective_from` to `effective_to`
    (inclusive; empty = open-ended). Without a timekeeper it is the rate of a classification at
    the firm; with a matter it applies to that matter only. Rows are never edited in place
    beyond closing their range: a change is a new row, so the card keeps its history."""

    firm = models.ForeignKey(LawFirm, on_delete=models.PROTECT, related_name="rates")
    timekeeper = models.ForeignKey(
        Timekeeper, null=True, blank=True, on_delete=models.PROTECT, related_name="rates"
    )
    classification = models.CharField(max_length=10)
    matter = models.ForeignKey(
        "matters.Matter", null=True, blank=True, on_delete=models.PROTECT, related_name="rates"
    )
    rate = ScaledDecimalField(places=RATE_PLACES)
    currency = models.CharField(max_length=3)
    effective_from = models.DateField()
    effective_to = models.DateField(null=True, blank=True)
    source = models.CharField(max_length=16, choices=RateSource.choices)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(default=timezone.now)
    request_line = models.ForeignKey(
        "RateRequestLine", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["firm", "classification", "timekeeper", "-effective_from"]
        indexes = [models.Index(fields=["firm", "effective_from"], name="rate_firm_from_idx")]
        constraints = [
            models.CheckConstraint(name="rate_positive", condition=models.Q(rate__gt=0)),
            models.CheckConstraint(
                name="rate_range_ordered",
                condition=models.Q(effective_to__isnull=True)
                | models.Q(effective_to__gte=models.F("effective_from")),
            ),
        ]

    def __str__(self) -> str:
        who = self.timekeeper.name if self.timekeeper else self.classification
        return f"{who}: {self.rate} {self.currency} from {self.effective_from}"


class RateRequestStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    IN_REVIEW = "in_review", "In review"
    DECIDED = "decided", "Decided"
    WITHDRAWN = "withdrawn", "Withdrawn"


class RateRequest(models.Model):
    """A firm's proposal of rates for a fiscal year (annual increases, new timekeepers),
    effective from `effective_from`. Decided line by line; finished when every line is."""

    firm = models.ForeignKey(LawFirm, on_delete=models.PROTECT, related_name="rate_requests")
    fiscal_year = models.PositiveSmallIntegerField()
    effective_from = models.DateField()
    status = models.CharField(
        max_length=16, choices=RateRequestStatus.choices, default=RateRequestStatus.DRAFT
    )
    note = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"FY{self.fiscal_year} rate request of {self.firm}"


class LineStatus(models.TextChoices):
    PENDING = "pending", "Awaiting legal ops"
    COUNTERED = "countered", "Counter-offer, awaiting firm"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"


class RateRequestLine(models.Model):
    """One proposed rate: for a timekeeper (an increase or a new timekeeper) or for a
    classification. `prior_rate` is the approved rate in effect the day before the request's
    effective date, snapshotted at submission."""

    request = models.ForeignKey(RateRequest, on_delete=models.CASCADE, related_name="lines")
    timekeeper = models.ForeignKey(
        Timekeeper, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    classification = models.CharField(max_length=10)
    requested_rate = ScaledDecimalField(places=RATE_PLACES)
    prior_rate = ScaledDecimalField(places=RATE_PLACES, null=True, blank=True)
    prior_effective_from = models.DateField(null=True, blank=True)
    counter_rate = ScaledDecimalField(places=RATE_PLACES, null=True, blank=True)
    approved_rate = ScaledDecimalField(places=RATE_PLACES, null=True, blank=True)
    status = models.CharField(max_length=16, choices=LineStatus.choices, default=LineStatus.PENDING)
    firm_comment = models.TextField(blank=True)
    legal_comment = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["request", "classification", "pk"]

    def __str__(self) -> str:
        who = self.timekeeper.name if self.timekeeper else self.classification
        return f"{who}: {self.requested_rate}"

    @property
    def is_final(self) -> bool:
        return self.status in (LineStatus.APPROVED, LineStatus.REJECTED)


class FirmEvaluation(models.Model):
    """A scorecard of a firm (optionally on one matter) for a period: four criteria scored
    1 (poor) to 5 (excellent), with comments. Evaluations are kept as history."""

    firm = models.ForeignKey(LawFirm, on_delete=models.PROTECT, related_name="evaluations")
    matter = models.ForeignKey(
        "matters.Matter",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="evaluations",
    )
    period = models.CharField(max_length=32, help_text="e.g. 2026 or 2026-H1")
    quality = models.PositiveSmallIntegerField()
    responsiveness = models.PositiveSmallIntegerField()
    budget_accuracy = models.PositiveSmallIntegerField()
    value = models.PositiveSmallIntegerField()
    comments = models.TextField(blank=True)
    evaluated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    evaluated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-evaluated_at"]
        constraints = [
            models.CheckConstraint(
                name=f"evaluation_{c}_1_to_5",
                condition=models.Q(**{f"{c}__gte": 1, f"{c}__lte": 5}),
            )
            for c in ("quality", "responsiveness", "budget_accuracy", "value")
        ]

    def __str__(self) -> str:
        return f"{self.firm} {self.period}"

    @property
    def average(self) -> Decimal:
        total = self.quality + self.responsiveness + self.budget_accuracy + self.value
        return (Decimal(total) / 4).quantize(Decimal("0.01"))
