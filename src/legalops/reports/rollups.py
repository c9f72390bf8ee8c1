"""Monthly rollups of invoice money in the reporting currency (DESIGN.md rule 6)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from legalops.core.money import from_minor, to_minor
from legalops.organization.selectors import MissingFxRate, fx_rate_on


class Converter:
    """Converts invoice amounts to the reporting currency with the rate of the invoice date
    (the latest on or before it), rounding ROUND_HALF_UP per amount. Rates are cached per
    (currency, day) for one run; pairs without a rate are remembered in `missing` and
    convert to None."""

    def __init__(self, target: str) -> None:
        self.target = target
        self.rates: dict[tuple[str, datetime.date], Decimal | None] = {}
        self.missing: set[tuple[str, datetime.date]] = set()

    def rate(self, currency: str, day: datetime.date) -> Decimal | None:
        key = (currency, day)
        if key not in self.rates:
            try:
                self.rates[key] = fx_rate_on(base=currency, quote=self.target, day=day)
            except MissingFxRate:
                self.rates[key] = None
                self.missing.add(key)
        return self.rates[key]

    def convert(self, minor: int, currency: str, day: datetime.date) -> int | None:
        if currency == self.target or minor == 0:
            return minor
        rate = self.rate(currency, day)
        if rate is None:
            return None
        return to_minor(from_minor(minor, currency) * rate, self.target)
