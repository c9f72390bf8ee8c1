"""The company the legal department serves: profile, fiscal year, units, practice areas, FX."""

from __future__ import annotations

import datetime

from django.db import models

from legalops.core.fields import ScaledDecimalField

FX_PLACES = 8


class Company(models.Model):
    """The single company profile (row id 1). Every report converts to `reporting_currency`;
    fiscal years start on `fiscal_year_start_month`/1 and are named after the calendar year in
    which they end (FY2027 = 1 July 2026 to 30 June 2027 when the start month is 7)."""

    name = models.CharField(max_length=200, default="My Company")
    legal_name = models.CharField(max_length=200, blank=True)
    reporting_currency = models.CharField(max_length=3, default="USD")
    fiscal_year_start_month = models.PositiveSmallIntegerField(default=1)
    country = models.CharField(max_length=2, blank=True, help_text="ISO 3166-1 alpha-2")

    class Meta:
        verbose_name_plural = "company"

    def __str__(self) -> str:
        return self.name

    def fiscal_year_of(self, day: datetime.date) -> int:
        start = self.fiscal_year_start_month
        if start == 1:
            return day.year
        return day.year + 1 if day.month >= start else day.year

    def fiscal_year_bounds(self, fiscal_year: int) -> tuple[datetime.date, datetime.date]:
        start_month = self.fiscal_year_start_month
        first = datetime.date(fiscal_year - (start_month != 1), start_month, 1)
        next_first = datetime.date(first.year + 1, start_month, 1)
        return first, next_first - datetime.timedelta(days=1)


class BusinessUnit(models.Model):
    """A part of the company that legal work is done for (spend is reported by unit)."""

    code = models.CharField(max_length=32, unique=True)
    name = models.CharField(max_length=200)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PracticeArea(models.Model):
    """An area of law (litigation, employment, IP...) used to group matters and spend."""

    code = models.CharField(max_length=32, unique=True)
    name = models.CharField(max_length=200)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Currency(models.Model):
    """A currency the department deals in (ISO 4217), enabled by an admin."""

    code = models.CharField(max_length=3, primary_key=True)
    name = models.CharField(max_length=100)
    minor_unit = models.PositiveSmallIntegerField()
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["code"]
        verbose_name_plural = "currencies"

    def __str__(self) -> str:
        return self.code


class FxRate(models.Model):
    """Units of `quote` per one unit of `base`, effective from `date` until the next rate.

    Stored exactly (8 places, scaled integer). The rate for a day is the latest on or before it.
    """

    base = models.ForeignKey(Currency, on_delete=models.PROTECT, related_name="+")
    quote = models.ForeignKey(Currency, on_delete=models.PROTECT, related_name="+")
    date = models.DateField()
    rate = ScaledDecimalField(places=FX_PLACES)
    source = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["base", "quote", "-date"]
        constraints = [
            models.UniqueConstraint(fields=["base", "quote", "date"], name="fx_rate_unique_day"),
            models.CheckConstraint(name="fx_rate_positive", condition=models.Q(rate__gt=0)),
        ]

    def __str__(self) -> str:
        return f"1 {self.base_id} = {self.rate} {self.quote_id} on {self.date}"
