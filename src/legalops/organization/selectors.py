"""Reads of the company profile, units, practice areas, currencies and FX rates."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db.models import QuerySet

from legalops.organization.models import BusinessUnit, Company, Currency, FxRate, PracticeArea


def company_get() -> Company:
    """The company profile; an unconfigured installation gets the defaults (not yet saved)."""
    return Company.objects.filter(pk=1).first() or Company(pk=1)


def business_unit_list(*, active_only: bool = False) -> QuerySet[BusinessUnit]:
    units = BusinessUnit.objects.select_related("parent")
    return units.filter(is_active=True) if active_only else units


def practice_area_list(*, active_only: bool = False) -> QuerySet[PracticeArea]:
    areas = PracticeArea.objects.all()
    return areas.filter(is_active=True) if active_only else areas


def currency_list(*, active_only: bool = True) -> QuerySet[Currency]:
    currencies = Currency.objects.all()
    return currencies.filter(is_active=True) if active_only else currencies


def fx_rate_list(*, base: str = "", quote: str = "") -> QuerySet[FxRate]:
    rates = FxRate.objects.all()
    if base:
        rates = rates.filter(base_id=base.upper())
    if quote:
        rates = rates.filter(quote_id=quote.upper())
    return rates


class MissingFxRate(LookupError):
    """No rate on or before the day for that currency pair."""


def fx_rate_on(*, base: str, quote: str, day: datetime.date) -> Decimal:
    """Units of `quote` per unit of `base` on `day`: the latest rate on or before it, used
    directly or inverted. Exact: the inverse is a Decimal division at 28 digits."""
    base, quote = base.upper(), quote.upper()
    if base == quote:
        return Decimal(1)
    direct = _latest(base, quote, day)
    if direct is not None:
        return direct
    inverse = _latest(quote, base, day)
    if inverse is not None:
        return Decimal(1) / inverse
    raise MissingFxRate(f"no {base}/{quote} exchange rate on or before {day.isoformat()}")


def _latest(base: str, quote: str, day: datetime.date) -> Decimal | None:
    row = (
        FxRate.objects.filter(base_id=base, quote_id=quote, date__lte=day)
        .order_by("-date")
        .values_list("rate", flat=True)
        .first()
    )
    return row
