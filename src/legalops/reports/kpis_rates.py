"""Hours, rates, staffing and diversity KPIs, read from the staffing rollups
(`StaffingMonth`: fee lines of billed invoices, by invoice date)."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from legalops.reports.kpis_common import Sums, per_hour, ratio, staffing_sums, with_total
from legalops.reports.kpis_spend import BILLED, SPENT
from legalops.reports.registry import (
    ROLLUP_DIMENSIONS,
    Key,
    Query,
    Value,
    kpi_definer,
)
from legalops.reports.selectors import BUCKETS

WITH_CLASSIFICATION = (*ROLLUP_DIMENSIONS, "classification")
READS = "staffing rollups (fee lines)"


_kpi = kpi_definer(section="Rates and staffing", reads=READS, dimensions=WITH_CLASSIFICATION)


def _each(query: Query, value: Any, empty: Value) -> dict[Key, Value]:
    values: dict[Key, Value] = {k: value(s) for k, s in staffing_sums(query).items()}
    return with_total(query, values, empty)


def hours_billed(query: Query) -> dict[Key, Value]:
    return _each(query, lambda s: s["hours"], Decimal(0))


def blended_rate(query: Query) -> dict[Key, Value]:
    return _each(query, lambda s: per_hour(s["fees_rc"], s["hours"]), None)


def realized_rate(query: Query) -> dict[Key, Value]:
    return _each(query, lambda s: per_hour(s["spent_approved_rc"], s["spent_hours"]), None)


def diversity_hours_share(query: Query) -> dict[Key, Value]:
    return _each(query, lambda s: ratio(s["diverse_hours"], s["hours"]), None)


def diversity_fees_share(query: Query) -> dict[Key, Value]:
    return _each(query, lambda s: ratio(s["diverse_fees_rc"], s["fees_rc"]), None)


def _bucket_hours(query: Query) -> dict[Key, dict[str, Decimal]]:
    hours: dict[Key, dict[str, Decimal]] = defaultdict(lambda: dict.fromkeys(BUCKETS, Decimal(0)))
    sums: dict[Any, Sums] = staffing_sums(query, by_bucket=True)
    for (key, bucket), row in sums.items():
        hours[key][bucket] += row["hours"]
    if query.group is None:
        hours[None]  # noqa: B018 - the total exists even without data
    return hours


def staffing_mix(query: Query) -> dict[Key, Value]:
    out: dict[Key, Value] = {}
    for key, hours in _bucket_hours(query).items():
        total = sum(hours.values(), Decimal(0))
        out[key] = {bucket: ratio(amount, total) for bucket, amount in hours.items()}
    return out


def leverage(query: Query) -> dict[Key, Value]:
    out: dict[Key, Value] = {}
    for key, hours in _bucket_hours(query).items():
        others = sum(hours.values(), Decimal(0)) - hours["partner"]
        out[key] = ratio(others, hours["partner"])
    return out


_kpi(
    "hours_billed",
    "Hours billed",
    f"Hours of the fee lines of {BILLED}.",
    "hours",
    hours_billed,
)
_kpi(
    "blended_rate",
    "Blended hourly rate",
    f"Fees billed / hours billed, on the fee lines of {BILLED}.",
    "rate",
    blended_rate,
)
_kpi(
    "realized_rate",
    "Realized hourly rate",
    f"Fees approved (after adjustments and appeals) / hours billed, on the fee lines of {SPENT}.",
    "rate",
    realized_rate,
)
_kpi(
    "staffing_mix",
    "Staffing mix",
    "Share of fee hours by timekeeper classification: partner (PARTNR, PT), counsel (OFCOUN, "
    "OC), associate (ASSOC, TRANEE, STFATT, TEMPAT, SECNDE, AS), paralegal (PARALG, LGLAST, "
    f"PL, LA), other (every other code); on {BILLED}.",
    "share",
    staffing_mix,
    dimensions=ROLLUP_DIMENSIONS,
)
_kpi(
    "leverage",
    "Leverage",
    f"Non-partner fee hours / partner fee hours, on {BILLED}.",
    "ratio",
    leverage,
    dimensions=ROLLUP_DIMENSIONS,
)
_kpi(
    "diversity_hours_share",
    "Diverse timekeepers' share of hours",
    "Fee hours of timekeepers with at least one diversity attribute recorded / fee hours, "
    f"on {BILLED}.",
    "percent",
    diversity_hours_share,
    section="Diversity",
)
_kpi(
    "diversity_fees_share",
    "Diverse timekeepers' share of fees",
    "Fees billed by timekeepers with at least one diversity attribute recorded / fees billed "
    f"on fee lines, on {BILLED}.",
    "percent",
    diversity_fees_share,
    section="Diversity",
)
