"""Seeding the company, business units, practice areas, currencies and FX history."""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal

from legalops.core.money import currency
from legalops.organization.models import BusinessUnit, Company, Currency, FxRate, PracticeArea
from legalops.seed.context import SeedContext
from legalops.seed.names import BUSINESS_UNITS, FX_START, PRACTICE_AREAS


def seed_company(ctx: SeedContext) -> None:
    Company.objects.update_or_create(
        pk=1,
        defaults={
            "name": "Northwind Industries",
            "legal_name": "Northwind Industries, Inc.",
            "reporting_currency": "USD",
            "fiscal_year_start_month": 1,
            "country": "US",
        },
    )
    codes = ["USD", *FX_START]
    ctx.bulk(
        "currencies",
        Currency,
        [
            Currency(code=c, name=currency(c).name, minor_unit=currency(c).minor_unit)
            for c in codes
            if not Currency.objects.filter(code=c).exists()
        ],
    )


def seed_units_and_areas(ctx: SeedContext) -> None:
    units = ctx.bulk(
        "business units",
        BusinessUnit,
        [
            BusinessUnit(code=code, name=name)
            for code, name in BUSINESS_UNITS[: ctx.scale.business_units]
        ],
    )
    ctx.shared["business_units"] = units
    ctx.shared["practice_areas"] = ctx.bulk(
        "practice areas",
        PracticeArea,
        [PracticeArea(code=code, name=name) for code, name in PRACTICE_AREAS],
    )


def month_starts(ctx: SeedContext) -> list[datetime.date]:
    first = ctx.today.replace(day=1)
    months = []
    for back in range(ctx.scale.years_of_history * 12, -1, -1):
        year, month = divmod(first.year * 12 + first.month - 1 - back, 12)
        months.append(datetime.date(year, month + 1, 1))
    return months


def seed_fx_rates(ctx: SeedContext) -> None:
    """Monthly USD rates as a bounded random walk (about ±1.5% a month) from realistic levels."""
    rows = []
    for code, start in FX_START.items():
        rate = Decimal(start)
        for day in month_starts(ctx):
            drift = Decimal(ctx.rng.randint(-150, 150)) / Decimal(10000)
            rate = (rate * (1 + drift)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)
            rows.append(
                FxRate(
                    base_id="USD", quote_id=code, date=day, rate=rate, source="synthetic demo data"
                )
            )
    ctx.bulk("exchange rates", FxRate, rows)
