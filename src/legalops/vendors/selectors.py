"""Reads of firms, timekeepers, rate cards, rate requests and evaluations, scoped: a firm
user sees only their own firm's rows (DESIGN.md rule 4)."""

from __future__ import annotations

import csv
import datetime
import io
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import F, Model, Q, QuerySet

from legalops.accounts.models import Role, User
from legalops.accounts.permissions import Capability, has_capability
from legalops.vendors.models import (
    FirmEvaluation,
    LawFirm,
    Rate,
    RateRequest,
    RateRequestStatus,
    Timekeeper,
)


def _scoped[M: Model](user: User, rows: QuerySet[M], firm_field: str) -> QuerySet[M]:
    """Everything for staff who may see firms; a firm user only their firm's rows."""
    if not has_capability(user, Capability.VIEW_FIRMS):
        return rows.none()
    if user.role == Role.FIRM:
        return rows.filter(**{firm_field: user.firm_id}) if user.firm_id else rows.none()
    return rows


def law_firm_list(
    *, user: User, search: str = "", status: str = "", vendor_type: str = ""
) -> QuerySet[LawFirm]:
    firms = _scoped(user, LawFirm.objects.all(), "pk")
    if search:
        firms = firms.filter(Q(name__icontains=search) | Q(law_firm_id__icontains=search))
    if status:
        firms = firms.filter(status=status)
    if vendor_type:
        firms = firms.filter(vendor_type=vendor_type)
    return firms


def law_firm_get(*, user: User, pk: int) -> LawFirm:
    return law_firm_list(user=user).get(pk=pk)


def law_firm_by_ledes_id(law_firm_id: str) -> LawFirm | None:
    """Matching an incoming invoice: by LAW_FIRM_ID, else by an alias (system use, unscoped)."""
    firm = LawFirm.objects.filter(law_firm_id=law_firm_id).first()
    if firm is not None:
        return firm
    for candidate in LawFirm.objects.exclude(aliases=[]).only("pk", "aliases"):
        if law_firm_id in candidate.aliases:
            return LawFirm.objects.get(pk=candidate.pk)
    return None


def timekeeper_list(
    *,
    user: User,
    firm: LawFirm | None = None,
    search: str = "",
    classification: str = "",
    active: bool | None = None,
) -> QuerySet[Timekeeper]:
    rows = _scoped(user, Timekeeper.objects.select_related("firm"), "firm_id")
    if firm is not None:
        rows = rows.filter(firm=firm)
    if search:
        rows = rows.filter(Q(name__icontains=search) | Q(timekeeper_id__icontains=search))
    if classification:
        rows = rows.filter(classification=classification.upper())
    if active is not None:
        rows = rows.filter(is_active=active)
    return rows


def rate_list(
    *,
    user: User,
    firm: LawFirm | None = None,
    on: datetime.date | None = None,
    classification: str = "",
    timekeeper: Timekeeper | None = None,
) -> QuerySet[Rate]:
    """Approved rates (the whole history); `on` keeps the rows in effect that day."""
    rows = _scoped(
        user, Rate.objects.select_related("firm", "timekeeper", "matter", "approved_by"), "firm_id"
    )
    if firm is not None:
        rows = rows.filter(firm=firm)
    if on is not None:
        rows = rows.filter(effective_from__lte=on).filter(
            Q(effective_to__isnull=True) | Q(effective_to__gte=on)
        )
    if classification:
        rows = rows.filter(classification=classification.upper())
    if timekeeper is not None:
        rows = rows.filter(timekeeper=timekeeper)
    return rows


@dataclass(frozen=True, slots=True)
class RateCardRow:
    """One approved rate in the plain form of spec/cli.md RATES.csv: the same fields as the
    guidelines engine's `RateEntry`, so `RateEntry(**asdict(row))` builds its rate book."""

    law_firm_id: str
    timekeeper_id: str
    timekeeper_name: str
    classification: str
    rate: Decimal
    currency: str
    effective_from: datetime.date
    effective_to: datetime.date | None
    client_matter_id: str


RATES_CSV_COLUMNS = (
    "law_firm_id",
    "timekeeper_id",
    "timekeeper_name",
    "classification",
    "rate",
    "currency",
    "effective_from",
    "effective_to",
    "client_matter_id",
)


def rate_card_rows(
    *, firm: LawFirm | None = None, matter_number: str | None = None
) -> list[RateCardRow]:
    """The approved rate card for the guidelines engine (system use, unscoped): every
    effective-dated row of `firm` (all firms when None); with `matter_number`, the firm-wide
    rows plus the rows of that matter only (a matter row wins over a firm-wide one in the
    engine)."""
    rows = Rate.objects.select_related("firm", "timekeeper", "matter")
    if firm is not None:
        rows = rows.filter(firm=firm)
    if matter_number is not None:
        rows = rows.filter(Q(matter__isnull=True) | Q(matter__number=matter_number))
    # Classification rows (no timekeeper) first on both databases (NULL order differs).
    ordered = rows.order_by(
        "firm__law_firm_id",
        F("timekeeper__timekeeper_id").asc(nulls_first=True),
        "classification",
        F("matter__number").asc(nulls_first=True),
        "effective_from",
        "pk",
    )
    return [_card_row(rate) for rate in ordered]


def rates_csv(*, firm: LawFirm | None) -> str:
    """The firm's rate card as spec/cli.md RATES.csv (what `legalops review --rates` reads)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(RATES_CSV_COLUMNS)
    for row in rate_card_rows(firm=firm):
        writer.writerow(
            [
                row.law_firm_id,
                row.timekeeper_id,
                row.timekeeper_name,
                row.classification,
                f"{row.rate:f}",
                row.currency,
                row.effective_from.isoformat(),
                row.effective_to.isoformat() if row.effective_to else "",
                row.client_matter_id,
            ]
        )
    return out.getvalue()


def _card_row(rate: Rate) -> RateCardRow:
    keeper = rate.timekeeper
    return RateCardRow(
        law_firm_id=rate.firm.law_firm_id,
        timekeeper_id=keeper.timekeeper_id if keeper else "",
        timekeeper_name=keeper.name if keeper else "",
        classification=rate.classification,
        rate=rate.rate,
        currency=rate.currency,
        effective_from=rate.effective_from,
        effective_to=rate.effective_to,
        client_matter_id=rate.matter.number if rate.matter else "",
    )


def current_rate(
    *,
    firm: LawFirm,
    timekeeper: Timekeeper | None,
    classification: str,
    on: datetime.date,
) -> Rate | None:
    """The firm-wide approved rate in effect on `on`: the timekeeper's own, else (for a
    timekeeper without one, or a classification line) the classification's."""
    effective = (
        Rate.objects.filter(firm=firm, matter__isnull=True, effective_from__lte=on)
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=on))
        .order_by("-effective_from", "-pk")
    )
    if timekeeper is not None:
        own = effective.filter(timekeeper=timekeeper).first()
        if own is not None:
            return own
    return effective.filter(timekeeper__isnull=True, classification=classification).first()


def panel_rates(*, classification: str, on: datetime.date, currency: str) -> list[Decimal]:
    """Every firm-wide approved rate of a classification in effect on `on` across the panel
    (active firms), in one currency: the peer set of rate negotiation."""
    return list(
        Rate.objects.filter(
            classification=classification,
            currency=currency,
            matter__isnull=True,
            effective_from__lte=on,
        )
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=on))
        .exclude(firm__status="inactive")
        .values_list("rate", flat=True)
    )


def rate_request_list(
    *, user: User, status: str = "", firm: LawFirm | None = None, fiscal_year: int | None = None
) -> QuerySet[RateRequest]:
    rows = _scoped(user, RateRequest.objects.select_related("firm", "created_by"), "firm_id")
    if user.role != Role.FIRM:
        rows = rows.exclude(status=RateRequestStatus.DRAFT)  # a draft is the firm's business
    if status:
        rows = rows.filter(status=status)
    if firm is not None:
        rows = rows.filter(firm=firm)
    if fiscal_year:
        rows = rows.filter(fiscal_year=fiscal_year)
    return rows


def rate_request_get(*, user: User, pk: int) -> RateRequest:
    return rate_request_list(user=user).get(pk=pk)


def evaluation_list(
    *, user: User, firm: LawFirm | None = None, period: str = ""
) -> QuerySet[FirmEvaluation]:
    """Scorecards are internal: staff see them, firm users do not."""
    if user.role == Role.FIRM or not has_capability(user, Capability.VIEW_FIRMS):
        return FirmEvaluation.objects.none()
    rows = FirmEvaluation.objects.select_related("firm", "matter", "evaluated_by")
    if firm is not None:
        rows = rows.filter(firm=firm)
    if period:
        rows = rows.filter(period=period)
    return rows
