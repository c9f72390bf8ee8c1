"""Writes to the company profile, business units, practice areas, currencies and FX rates."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from legalops.accounts.models import User
from legalops.accounts.permissions import Capability, require
from legalops.audit.events import Event
from legalops.audit.services import audit_record, changes
from legalops.core.money import MoneyError, currency
from legalops.organization.models import (
    FX_PLACES,
    BusinessUnit,
    Company,
    Currency,
    FxRate,
    PracticeArea,
)
from legalops.organization.selectors import company_get

COMPANY_FIELDS = ["name", "legal_name", "reporting_currency", "fiscal_year_start_month", "country"]


def _valid_currency(code: str, field: str = "currency") -> str:
    try:
        return currency(code).code
    except MoneyError as exc:
        raise ValidationError({field: str(exc)}) from None


@transaction.atomic
def company_update(*, actor: User | None, **fields: Any) -> Company:
    require(actor, Capability.MANAGE_ORGANIZATION)
    unknown = set(fields) - set(COMPANY_FIELDS)
    if unknown:
        raise ValidationError(f"unknown company fields: {', '.join(sorted(unknown))}")
    if "reporting_currency" in fields:
        fields["reporting_currency"] = _valid_currency(
            fields["reporting_currency"], "reporting_currency"
        )
        currency_enable(actor=actor, code=fields["reporting_currency"])
    month = fields.get("fiscal_year_start_month", 1)
    if not 1 <= int(month) <= 12:
        raise ValidationError({"fiscal_year_start_month": "a month from 1 to 12"})
    company = company_get()
    diff = changes(company, COMPANY_FIELDS, fields)
    for name, value in fields.items():
        setattr(company, name, value)
    company.full_clean()
    company.save()
    if diff["new"]:
        audit_record(actor=actor, event=Event.COMPANY_UPDATED, target=company, payload=diff)
    return company


def _save_coded(
    actor: User | None,
    instance: Any,
    fields: dict[str, Any],
    created: Event,
    updated: Event,
    editable: list[str],
) -> Any:
    diff = changes(instance, editable, fields) if instance.pk else {"new": fields}
    for name, value in fields.items():
        setattr(instance, name, value)
    instance.full_clean()
    adding = instance.pk is None
    instance.save()
    if adding or diff["new"]:
        payload = {"new": {k: str(v) if v is not None else None for k, v in fields.items()}}
        audit_record(
            actor=actor,
            event=created if adding else updated,
            target=instance,
            payload=payload if adding else diff,
        )
    return instance


@transaction.atomic
def business_unit_save(
    *,
    actor: User | None,
    unit: BusinessUnit | None = None,
    code: str,
    name: str,
    parent: BusinessUnit | None = None,
    is_active: bool = True,
) -> BusinessUnit:
    require(actor, Capability.MANAGE_ORGANIZATION)
    unit = unit or BusinessUnit()
    if parent is not None and unit.pk is not None and _is_descendant(parent, unit):
        raise ValidationError({"parent": "a unit cannot sit under itself or its own sub-unit"})
    fields = {"code": code.strip(), "name": name.strip(), "parent": parent, "is_active": is_active}
    return _save_coded(
        actor,
        unit,
        fields,
        Event.BUSINESS_UNIT_CREATED,
        Event.BUSINESS_UNIT_UPDATED,
        list(fields),
    )


def _is_descendant(candidate: BusinessUnit, unit: BusinessUnit) -> bool:
    node: BusinessUnit | None = candidate
    while node is not None:
        if node.pk == unit.pk:
            return True
        node = node.parent
    return False


@transaction.atomic
def practice_area_save(
    *,
    actor: User | None,
    area: PracticeArea | None = None,
    code: str,
    name: str,
    is_active: bool = True,
) -> PracticeArea:
    require(actor, Capability.MANAGE_ORGANIZATION)
    fields = {"code": code.strip(), "name": name.strip(), "is_active": is_active}
    return _save_coded(
        actor,
        area or PracticeArea(),
        fields,
        Event.PRACTICE_AREA_CREATED,
        Event.PRACTICE_AREA_UPDATED,
        list(fields),
    )


@transaction.atomic
def currency_enable(*, actor: User | None, code: str) -> Currency:
    require(actor, Capability.MANAGE_ORGANIZATION)
    info = currency(_valid_currency(code))
    row, created = Currency.objects.get_or_create(
        code=info.code, defaults={"name": info.name, "minor_unit": info.minor_unit}
    )
    if created or not row.is_active:
        row.is_active = True
        row.save(update_fields=["is_active"])
        audit_record(actor=actor, event=Event.CURRENCY_ENABLED, target=row)
    return row


@transaction.atomic
def currency_disable(*, actor: User | None, code: str) -> Currency:
    require(actor, Capability.MANAGE_ORGANIZATION)
    row = Currency.objects.get(code=code.upper())
    if row.code == company_get().reporting_currency:
        raise ValidationError({"code": "the reporting currency cannot be disabled"})
    if row.is_active:
        row.is_active = False
        row.save(update_fields=["is_active"])
        audit_record(actor=actor, event=Event.CURRENCY_DISABLED, target=row)
    return row


@transaction.atomic
def fx_rate_set(
    *,
    actor: User | None,
    base: str,
    quote: str,
    date: datetime.date,
    rate: Decimal,
    source: str = "",
) -> FxRate:
    """Sets (or corrects) the rate for one day; both currencies are enabled if needed."""
    require(actor, Capability.MANAGE_ORGANIZATION)
    if base.upper() == quote.upper():
        raise ValidationError({"quote": "base and quote currencies must differ"})
    if rate <= 0:
        raise ValidationError({"rate": "a rate must be positive"})
    if -rate.as_tuple().exponent > FX_PLACES:  # type: ignore[operator]
        raise ValidationError({"rate": f"at most {FX_PLACES} decimal places"})
    base_row = currency_enable(actor=actor, code=base)
    quote_row = currency_enable(actor=actor, code=quote)
    existing = FxRate.objects.filter(base=base_row, quote=quote_row, date=date).first()
    old = str(existing.rate) if existing else None
    row, _ = FxRate.objects.update_or_create(
        base=base_row, quote=quote_row, date=date, defaults={"rate": rate, "source": source}
    )
    audit_record(
        actor=actor,
        event=Event.FX_RATE_SET,
        target=row,
        payload={"old": {"rate": old}, "new": {"rate": str(rate)}},
    )
    return row
