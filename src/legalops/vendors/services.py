"""Writes to law firms, their contacts and documents, timekeepers, rate cards and
evaluations. Rate negotiation is in `vendors.rate_requests`."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from legalops.accounts.models import Role, User
from legalops.accounts.permissions import Capability, has_capability, require
from legalops.audit.events import Event
from legalops.audit.services import audit_record
from legalops.core.money import MoneyError, currency
from legalops.core.records import create_recorded, refuse_unknown, update_recorded
from legalops.reports.rate_changes import refresh_line
from legalops.vendors.models import (
    CLASSIFICATIONS,
    RATE_PLACES,
    ContactRole,
    FirmContact,
    FirmDocument,
    FirmEvaluation,
    LawFirm,
    PanelStatus,
    Rate,
    RateSource,
    Timekeeper,
    VendorType,
)

FIRM_FIELDS = [
    "law_firm_id",
    "name",
    "aliases",
    "status",
    "vendor_type",
    "tax_id",
    "currency",
    "payment_terms_days",
    "relationship_partner",
    "diversity_certifications",
    "notes",
    "rate_increase_cap_pct",
    "rate_freeze_until",
    "rate_notice_days",
]
TIMEKEEPER_FIELDS = [
    "timekeeper_id",
    "name",
    "classification",
    "bar_admission_year",
    "office",
    "diversity",
    "is_active",
]
SCORES = ("quality", "responsiveness", "budget_accuracy", "value")


def valid_currency(code: str, field: str = "currency") -> str:
    try:
        return currency(code).code
    except MoneyError as exc:
        raise ValidationError({field: str(exc)}) from None


def valid_classification(code: str, field: str = "classification") -> str:
    value = (code or "").strip().upper()
    if value not in CLASSIFICATIONS:
        raise ValidationError({field: f"{code!r} is not a LOC timekeeper classification"})
    return value


def _clean_list(values: Any) -> list[str]:
    return sorted({str(v).strip() for v in values or [] if str(v).strip()})


def _clean_firm(fields: dict[str, Any]) -> dict[str, Any]:
    cleaned = dict(fields)
    if "currency" in cleaned:
        cleaned["currency"] = valid_currency(cleaned["currency"])
    if "status" in cleaned and cleaned["status"] not in PanelStatus.values:
        raise ValidationError({"status": f"one of {', '.join(PanelStatus.values)}"})
    if "vendor_type" in cleaned and cleaned["vendor_type"] not in VendorType.values:
        raise ValidationError({"vendor_type": f"one of {', '.join(VendorType.values)}"})
    for key in ("aliases", "diversity_certifications"):
        if key in cleaned:
            cleaned[key] = _clean_list(cleaned[key])
    for key in ("law_firm_id", "name", "tax_id", "relationship_partner"):
        if key in cleaned:
            cleaned[key] = (cleaned[key] or "").strip()
    return cleaned


@transaction.atomic
def law_firm_create(*, actor: User | None, law_firm_id: str, name: str, **fields: Any) -> LawFirm:
    require(actor, Capability.MANAGE_FIRMS)
    data = _clean_firm({"law_firm_id": law_firm_id, "name": name, **fields})
    if LawFirm.objects.filter(law_firm_id=data["law_firm_id"]).exists():
        raise ValidationError(
            {"law_firm_id": f"a firm with LAW_FIRM_ID {data['law_firm_id']} already exists"}
        )
    return create_recorded(
        actor=actor, instance=LawFirm(**data), data=data, event=Event.LAW_FIRM_CREATED
    )


@transaction.atomic
def law_firm_update(*, actor: User | None, firm: LawFirm, **fields: Any) -> LawFirm:
    require(actor, Capability.MANAGE_FIRMS)
    refuse_unknown(fields, FIRM_FIELDS)
    data = _clean_firm(fields)
    if "law_firm_id" in data and (
        LawFirm.objects.filter(law_firm_id=data["law_firm_id"]).exclude(pk=firm.pk).exists()
    ):
        raise ValidationError({"law_firm_id": f"{data['law_firm_id']} belongs to another firm"})
    return update_recorded(
        actor=actor, instance=firm, editable=FIRM_FIELDS, data=data, event=Event.LAW_FIRM_UPDATED
    )


def _require_own_firm(actor: User | None, firm: LawFirm) -> None:
    """Legal ops manage every firm; a firm user only their own, through the portal."""
    if has_capability(actor, Capability.MANAGE_FIRMS):
        return
    assert actor is not None  # the system passes the check above
    require(actor, Capability.FIRM_SUBMIT)
    if actor.role != Role.FIRM or actor.firm_id != firm.pk:
        raise PermissionDenied("you may only change your own firm's data")


@transaction.atomic
def firm_contact_save(
    *,
    actor: User | None,
    firm: LawFirm,
    contact: FirmContact | None = None,
    name: str,
    email: str = "",
    phone: str = "",
    role: str = ContactRole.OTHER,
) -> FirmContact:
    _require_own_firm(actor, firm)
    if role not in ContactRole.values:
        raise ValidationError({"role": f"one of {', '.join(ContactRole.values)}"})
    contact = contact or FirmContact(firm=firm)
    if contact.firm_id != firm.pk:
        raise PermissionDenied("that contact belongs to another firm")
    fields = {"name": name.strip(), "email": email.strip(), "phone": phone.strip(), "role": role}
    for key, value in fields.items():
        setattr(contact, key, value)
    contact.full_clean()
    contact.save()
    audit_record(
        actor=actor, event=Event.FIRM_CONTACT_SAVED, target=contact, payload={"new": fields}
    )
    return contact


@transaction.atomic
def firm_contact_delete(*, actor: User | None, contact: FirmContact) -> None:
    _require_own_firm(actor, contact.firm)
    audit_record(actor=actor, event=Event.FIRM_CONTACT_DELETED, target=contact)
    contact.delete()


@transaction.atomic
def firm_document_add(
    *, actor: User | None, firm: LawFirm, title: str, file: UploadedFile
) -> FirmDocument:
    require(actor, Capability.MANAGE_FIRMS)
    document = FirmDocument(firm=firm, title=title.strip() or str(file.name), uploaded_by=actor)
    document.file.save(str(file.name), file, save=False)
    document.save()
    audit_record(
        actor=actor,
        event=Event.FIRM_DOCUMENT_ADDED,
        target=document,
        payload={"new": {"firm": firm.pk, "file": document.file.name}},
    )
    return document


def _clean_timekeeper(fields: dict[str, Any]) -> dict[str, Any]:
    cleaned = dict(fields)
    if "classification" in cleaned:
        cleaned["classification"] = valid_classification(cleaned["classification"])
    for key in ("timekeeper_id", "name", "office"):
        if key in cleaned:
            cleaned[key] = (cleaned[key] or "").strip()
    if "diversity" in cleaned:
        cleaned["diversity"] = _clean_list(cleaned["diversity"])
    year = cleaned.get("bar_admission_year")
    if year is not None and not 1900 <= int(year) <= timezone.localdate().year:
        raise ValidationError({"bar_admission_year": f"{year} is not a plausible year"})
    return cleaned


@transaction.atomic
def timekeeper_create(
    *, actor: User | None, firm: LawFirm, timekeeper_id: str, name: str, **fields: Any
) -> Timekeeper:
    _require_own_firm(actor, firm)
    data = _clean_timekeeper({"timekeeper_id": timekeeper_id, "name": name, **fields})
    if not data["timekeeper_id"]:
        raise ValidationError({"timekeeper_id": "is required"})
    if Timekeeper.objects.filter(firm=firm, timekeeper_id=data["timekeeper_id"]).exists():
        raise ValidationError(
            {"timekeeper_id": f"{data['timekeeper_id']} already exists at {firm.name}"}
        )
    return create_recorded(
        actor=actor,
        instance=Timekeeper(firm=firm, **data),
        data=data,
        event=Event.TIMEKEEPER_CREATED,
    )


@transaction.atomic
def timekeeper_update(*, actor: User | None, timekeeper: Timekeeper, **fields: Any) -> Timekeeper:
    _require_own_firm(actor, timekeeper.firm)
    refuse_unknown(fields, TIMEKEEPER_FIELDS)
    data = _clean_timekeeper(fields)
    clash = Timekeeper.objects.filter(
        firm_id=timekeeper.firm_id, timekeeper_id=data.get("timekeeper_id", "")
    ).exclude(pk=timekeeper.pk)
    if clash.exists():
        raise ValidationError({"timekeeper_id": "another timekeeper of the firm has that id"})
    return update_recorded(
        actor=actor,
        instance=timekeeper,
        editable=TIMEKEEPER_FIELDS,
        data=data,
        event=Event.TIMEKEEPER_UPDATED,
    )


def overlapping_rates(
    *,
    firm: LawFirm,
    timekeeper: Timekeeper | None,
    classification: str,
    matter_id: int | None,
    start: datetime.date,
    end: datetime.date | None,
    exclude_pk: int | None = None,
) -> list[Rate]:
    """Rows of the same firm, timekeeper (or classification) and matter whose range meets
    [start, end]: spec/cli.md forbids two of them."""
    rows = Rate.objects.filter(firm=firm)
    rows = (
        rows.filter(matter__isnull=True) if matter_id is None else rows.filter(matter_id=matter_id)
    )
    if timekeeper is not None:
        rows = rows.filter(timekeeper=timekeeper)
    else:
        rows = rows.filter(timekeeper__isnull=True, classification=classification)
    rows = rows.filter(Q(effective_to__isnull=True) | Q(effective_to__gte=start))
    if end is not None:
        rows = rows.filter(effective_from__lte=end)
    if exclude_pk is not None:
        rows = rows.exclude(pk=exclude_pk)
    return list(rows)


def _check_rate(rate: Decimal, code: str) -> None:
    if rate <= 0:
        raise ValidationError({"rate": "a rate must be positive"})
    if -int(rate.as_tuple().exponent) > RATE_PLACES:
        raise ValidationError({"rate": f"at most {RATE_PLACES} decimal places"})
    valid_currency(code)


@transaction.atomic
def rate_create(
    *,
    actor: User | None,
    firm: LawFirm,
    rate: Decimal,
    effective_from: datetime.date,
    timekeeper: Timekeeper | None = None,
    classification: str = "",
    effective_to: datetime.date | None = None,
    matter: Any = None,
    currency: str = "",
    source: str = RateSource.MANUAL,
    close_open_ended: bool = False,
    request_line: Any = None,
) -> Rate:
    """Adds an approved rate. An overlapping row of the same key is refused, except that with
    `close_open_ended` an open-ended row that started earlier is ended the day before (a
    negotiated increase replaces last year's rate)."""
    require(actor, Capability.MANAGE_RATES)
    if timekeeper is not None and timekeeper.firm_id != firm.pk:
        raise ValidationError({"timekeeper": "the timekeeper belongs to another firm"})
    code = valid_classification(timekeeper.classification if timekeeper else classification)
    currency = valid_currency(currency or firm.currency)
    _check_rate(rate, currency)
    if effective_to is not None and effective_to < effective_from:
        raise ValidationError({"effective_to": "is before effective_from"})
    key: dict[str, Any] = {"firm": firm, "timekeeper": timekeeper, "classification": code}
    matter_id = matter.pk if matter is not None else None
    if close_open_ended:
        _close_earlier_open_row(actor, key, matter_id, effective_from)
    clash = overlapping_rates(**key, matter_id=matter_id, start=effective_from, end=effective_to)
    if clash:
        raise ValidationError({"effective_from": f"overlaps the approved rate {clash[0]}"})
    row = Rate.objects.create(
        **key,
        matter=matter,
        rate=rate,
        currency=currency,
        effective_from=effective_from,
        effective_to=effective_to,
        source=source,
        approved_by=actor,
        request_line=request_line,
    )
    refresh_line(row)  # the rate change KPIs' rows of this rate-card line
    audit_record(
        actor=actor, event=Event.RATE_CREATED, target=row, payload={"new": _rate_json(row)}
    )
    return row


def _close_earlier_open_row(
    actor: User | None, key: dict[str, Any], matter_id: int | None, start: datetime.date
) -> None:
    for row in overlapping_rates(**key, matter_id=matter_id, start=start, end=None):
        if row.effective_to is None and row.effective_from < start:
            _rate_close(actor, row, start - datetime.timedelta(days=1))


@transaction.atomic
def rate_end(*, actor: User | None, rate: Rate, last_day: datetime.date) -> Rate:
    """Ends an approved rate on `last_day` (inclusive); history is never deleted."""
    require(actor, Capability.MANAGE_RATES)
    return _rate_close(actor, rate, last_day)


def _rate_close(actor: User | None, rate: Rate, last_day: datetime.date) -> Rate:
    """Also run when a firm accepts a counter-offer: the decision was legal ops' already."""
    if last_day < rate.effective_from:
        raise ValidationError({"effective_to": "a rate cannot end before it starts"})
    old = rate.effective_to
    rate.effective_to = last_day
    rate.save(update_fields=["effective_to"])
    audit_record(
        actor=actor,
        event=Event.RATE_ENDED,
        target=rate,
        payload={"old": {"effective_to": str(old) if old else None}, "new": _rate_json(rate)},
    )
    return rate


@transaction.atomic
def rate_correct(
    *,
    actor: User | None,
    rate: Rate,
    rate_value: Decimal,
    effective_to: datetime.date | None,
) -> Rate:
    """Corrects an approved row (a mistyped rate, a changed end); the audit trail keeps the
    old values. A new rate from a later date is `rate_create`, not a correction."""
    require(actor, Capability.MANAGE_RATES)
    _check_rate(rate_value, rate.currency)
    if effective_to is not None and effective_to < rate.effective_from:
        raise ValidationError({"effective_to": "is before effective_from"})
    key: dict[str, Any] = {
        "firm": rate.firm,
        "timekeeper": rate.timekeeper,
        "classification": rate.classification,
    }
    clash = overlapping_rates(
        **key,
        matter_id=rate.matter_id,
        start=rate.effective_from,
        end=effective_to,
        exclude_pk=rate.pk,
    )
    if clash:
        raise ValidationError({"effective_to": f"overlaps the approved rate {clash[0]}"})
    old = _rate_json(rate)
    rate.rate, rate.effective_to = rate_value, effective_to
    rate.approved_by, rate.approved_at = actor, timezone.now()
    rate.save(update_fields=["rate", "effective_to", "approved_by", "approved_at"])
    refresh_line(rate)
    audit_record(
        actor=actor,
        event=Event.RATE_CORRECTED,
        target=rate,
        payload={"old": old, "new": _rate_json(rate)},
    )
    return rate


def _rate_json(rate: Rate) -> dict[str, Any]:
    return {
        "firm": rate.firm_id,
        "timekeeper": rate.timekeeper_id,
        "classification": rate.classification,
        "matter": rate.matter_id,
        "rate": str(rate.rate),
        "currency": rate.currency,
        "effective_from": str(rate.effective_from),
        "effective_to": str(rate.effective_to) if rate.effective_to else None,
    }


@transaction.atomic
def firm_evaluate(
    *,
    actor: User | None,
    firm: LawFirm,
    period: str,
    quality: int,
    responsiveness: int,
    budget_accuracy: int,
    value: int,
    comments: str = "",
    matter: Any = None,
) -> FirmEvaluation:
    require(actor, Capability.EVALUATE_FIRMS)
    scores = dict(zip(SCORES, (quality, responsiveness, budget_accuracy, value), strict=True))
    bad = {k: "a score from 1 to 5" for k, v in scores.items() if not 1 <= int(v) <= 5}
    if bad:
        raise ValidationError(bad)
    if not period.strip():
        raise ValidationError({"period": "is required, e.g. 2026 or 2026-H1"})
    evaluation = FirmEvaluation.objects.create(
        firm=firm,
        matter=matter,
        period=period.strip(),
        comments=comments.strip(),
        evaluated_by=actor,
        **scores,
    )
    audit_record(
        actor=actor,
        event=Event.FIRM_EVALUATED,
        target=evaluation,
        payload={"new": {**scores, "period": evaluation.period, "matter": matter and matter.pk}},
    )
    return evaluation
