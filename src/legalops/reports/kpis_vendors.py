"""KPIs read from the vendor records rather than from invoices: the panel's approved rate
ranges (rate cards) and the firms' evaluation scores."""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Q
from django.utils import timezone

from legalops.core.money import currency as currency_info
from legalops.reports.kpis_common import rank_value
from legalops.reports.registry import Key, Kpi, Query, Value, register
from legalops.reports.rollups import Converter
from legalops.reports.selectors import bucket_of, reporting_currency
from legalops.vendors.models import Rate

P25, MEDIAN, P75 = Decimal("0.25"), Decimal("0.5"), Decimal("0.75")
_RATE_READS = "rate cards (approved firm-wide rates)"


def rates_in_force(on: datetime.date) -> dict[str, list[Decimal]]:
    """The approved firm-wide rates in force on `on` across the panel (firms not inactive),
    per staffing bucket, in the reporting currency's major units per hour (converted with the
    FX rate of `on`; a rate without one is left out). Of several rows in force for one firm
    and timekeeper (or one firm and classification without a timekeeper) only the latest
    effective one counts, as `vendors.selectors.current_rate` picks it."""
    target = reporting_currency()
    converter = Converter(target)
    rows = (
        Rate.objects.filter(matter__isnull=True, effective_from__lte=on)
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=on))
        .exclude(firm__status="inactive")
        .order_by("-effective_from", "-pk")
        .values_list("firm_id", "timekeeper_id", "classification", "rate", "currency")
    )
    seen: set[tuple[Any, ...]] = set()
    out: dict[str, list[Decimal]] = defaultdict(list)
    for firm_id, timekeeper_id, classification, rate, code in rows:
        who = (firm_id, timekeeper_id, None if timekeeper_id else classification)
        if who in seen:
            continue
        seen.add(who)
        fx = Decimal(1) if code == target else converter.rate(code, on)
        if fx is not None:
            out[bucket_of(classification)].append(rate * fx)
    return out


def _peer_rates(query: Query) -> dict[str, list[Decimal]]:
    on = query.filters.date_to or timezone.localdate()
    return query.cached(("rates_in_force", on), lambda: rates_in_force(on))


def _per_hour_minor(value: Decimal | None) -> int | None:
    if value is None:
        return None
    places = currency_info(reporting_currency()).minor_unit
    return int(value.scaleb(places).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _peer(fraction: Decimal) -> Any:
    def compute(query: Query) -> dict[Key, Value]:
        per_bucket = _peer_rates(query)
        if query.group is None:
            every = [rate for rates in per_bucket.values() for rate in rates]
            return {None: _per_hour_minor(rank_value(every, fraction))}
        return {b: _per_hour_minor(rank_value(r, fraction)) for b, r in per_bucket.items()}

    return compute


_PEER = (
    "of the approved firm-wide rates (timekeeper and classification rates of the rate cards, "
    "not matter-specific ones) in force on the last day of the period (today when open-ended) "
    "across the panel (every firm not inactive, whatever the firm, practice area, business "
    "unit or matter type filter), per timekeeper classification bucket (all rates together "
    "when not split); rates in another currency converted at the FX rate of that day (a rate "
    "without one is left out)."
)
for _id, _name, _fraction, _how in (
    ("peer_rate_p25", "Panel rate, 25th percentile", P25, "25th percentile (nearest rank)"),
    (
        "peer_rate_median",
        "Panel rate, median",
        MEDIAN,
        "Median (of an even count, the mean of the two middle rates)",
    ),
    ("peer_rate_p75", "Panel rate, 75th percentile", P75, "75th percentile (nearest rank)"),
):
    register(
        Kpi(
            id=_id,
            name=_name,
            formula=f"{_how} {_PEER}",
            unit="rate",
            reads=_RATE_READS,
            dimensions=("classification",),
            compute=_peer(_fraction),
            section="Rates and staffing",
        )
    )
