"""The numbers of rate negotiation: change %, annualised change %, the panel's peer range
and the impact of a rate change on a year of work.

Billed hours come from a pluggable *hours source*: until the invoices app registers one
(`hours_source_register`), no hours are known and the impact is shown as unknown, never as a
made-up zero cost. All arithmetic is Decimal; money results are rounded ROUND_HALF_UP to the
currency's minor unit by `core.money`.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, Overflow, localcontext

from legalops.core.money import to_minor

HUNDRED = Decimal(100)
PCT = Decimal("0.01")


@dataclass(frozen=True)
class BilledHours:
    """Fee hours billed by a firm in a period, per timekeeper (Timekeeper pk) and per LOC
    classification (all of the firm's timekeepers in it, on the firm's matters)."""

    by_timekeeper: dict[int, Decimal] = field(default_factory=dict)
    by_classification: dict[str, Decimal] = field(default_factory=dict)

    @property
    def known(self) -> bool:
        return bool(self.by_timekeeper or self.by_classification)


# (firm pk, first day, last day) -> hours. The invoices app replaces the default.
HoursSource = Callable[[int, datetime.date, datetime.date], BilledHours]


def _no_hours(firm_id: int, start: datetime.date, end: datetime.date) -> BilledHours:
    return BilledHours()


_hours_source: list[HoursSource] = [_no_hours]


def hours_source_register(source: HoursSource) -> None:
    """Called once by the app that knows billed hours (the invoices app)."""
    _hours_source[0] = source


def hours_source_reset() -> None:
    _hours_source[0] = _no_hours


def billed_hours_last_year(*, firm_id: int, until: datetime.date) -> BilledHours:
    """Hours of the 12 months ending on `until` (inclusive)."""
    start = until.replace(year=until.year - 1) + datetime.timedelta(days=1)
    return _hours_source[0](firm_id, start, until)


def change_pct(prior: Decimal | None, new: Decimal) -> Decimal | None:
    """(new - prior) / prior in percent, 2 places; None for a new timekeeper."""
    if not prior:
        return None
    return ((new - prior) / prior * HUNDRED).quantize(PCT, rounding=ROUND_HALF_UP)


def annualised_pct(
    prior: Decimal | None,
    new: Decimal,
    prior_from: datetime.date | None,
    new_from: datetime.date,
) -> Decimal | None:
    """The change expressed per 365 days between the two effective dates (as Brightflag
    shows it): (new / prior) ** (365 / days) - 1. None without a prior rate or dates, and
    when the change is too steep to annualise (a tenfold rise within days would be a figure
    of more than 28 digits: no meaningful percentage)."""
    if not prior or prior_from is None or new_from <= prior_from:
        return None
    days = Decimal((new_from - prior_from).days)
    try:
        with localcontext() as ctx:
            ctx.prec = 28
            factor = (new / prior) ** (Decimal(365) / days)
            return ((factor - 1) * HUNDRED).quantize(PCT, rounding=ROUND_HALF_UP)
    except (InvalidOperation, Overflow):
        return None


@dataclass(frozen=True)
class PeerRange:
    count: int
    p25: Decimal | None
    median: Decimal | None
    p75: Decimal | None


def percentile(values: Sequence[Decimal], pct: int) -> Decimal | None:
    """Linear interpolation between closest ranks (the spreadsheet PERCENTILE.INC)."""
    if not values:
        return None
    ordered = sorted(values)
    position = Decimal(len(ordered) - 1) * pct / HUNDRED
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    fraction = position - low
    value = ordered[low] + (ordered[high] - ordered[low]) * fraction
    return value.quantize(PCT, rounding=ROUND_HALF_UP)


def peer_range(values: Sequence[Decimal]) -> PeerRange:
    return PeerRange(
        len(values), percentile(values, 25), percentile(values, 50), percentile(values, 75)
    )


@dataclass(frozen=True)
class Impact:
    """`hours` over the last 12 months (None: unknown); `increase_minor` = (new - prior) x
    hours; `projected_minor` = new x hours, the projected annual cost at the new rate."""

    hours: Decimal | None
    increase_minor: int | None
    projected_minor: int | None


def rate_impact(
    *, prior: Decimal | None, new: Decimal, hours: Decimal | None, currency: str
) -> Impact:
    if hours is None:
        return Impact(None, None, None)
    increase = to_minor((new - (prior or Decimal(0))) * hours, currency)
    return Impact(hours, increase, to_minor(new * hours, currency))


def hours_for(
    hours: BilledHours, *, timekeeper_id: int | None, classification: str
) -> Decimal | None:
    """A timekeeper's own hours, else (a classification line) the classification's."""
    if not hours.known:
        return None
    if timekeeper_id is not None:
        return hours.by_timekeeper.get(timekeeper_id, Decimal(0))
    return hours.by_classification.get(classification, Decimal(0))
