"""KPIs read from the vendor records rather than from invoices: the panel's approved rate
ranges (rate cards) and the firms' evaluation scores (vendors evaluations)."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import replace
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Q, Sum
from django.utils import timezone

from legalops.core.money import currency as currency_info
from legalops.reports.kpis_common import rank_value, ratio, with_total
from legalops.reports.kpis_ops import matters_in_scope
from legalops.reports.registry import Key, Kpi, Query, Value, register
from legalops.reports.rollups import Converter
from legalops.reports.selectors import bucket_of, reporting_currency
from legalops.vendors.models import FirmEvaluation, Rate

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


# --- evaluations -----------------------------------------------------------------------------

CRITERIA = ("quality", "responsiveness", "budget_accuracy", "value")


def evaluation_sums(query: Query) -> dict[Key, dict[str, int]]:
    """Count and the sum of each criterion of the evaluations in scope, per firm (or None)."""

    def compute() -> dict[Key, dict[str, int]]:
        rows = FirmEvaluation.objects.all()
        f = query.filters
        if f.date_from:
            rows = rows.filter(evaluated_at__date__gte=f.date_from)
        if f.date_to:
            rows = rows.filter(evaluated_at__date__lte=f.date_to)
        if f.firm_ids:
            rows = rows.filter(firm_id__in=f.firm_ids)
        # The evaluation's own firm answers the firm filter (not the matter's assignments).
        anyfirm = Query(user=query.user, filters=replace(f, firm_ids=()))
        on_matters = Q(matter__in=matters_in_scope(anyfirm))
        by_matter_filter = f.practice_area_ids or f.business_unit_ids or f.matter_types
        rows = rows.filter(on_matters if by_matter_filter else on_matters | Q(matter__isnull=True))
        sums = {f"{c}_sum": Sum(c) for c in CRITERIA}
        grouped: list[dict[str, Any]] = (
            list(rows.values("firm_id").annotate(n=Count("pk"), **sums).order_by())  # type: ignore[arg-type]
            if query.group == "firm"
            else [{**rows.aggregate(n=Count("pk"), **sums), "firm_id": None}]
        )
        out: dict[Key, dict[str, int]] = {}
        for row in grouped:
            if row["n"]:
                totals = {c: row[f"{c}_sum"] for c in CRITERIA}
                out[row["firm_id"]] = {"count": row["n"], **totals}
        return out

    return query.cached(("evaluations", query.group), compute)


def _evaluation(criteria: tuple[str, ...]) -> Any:
    def compute(query: Query) -> dict[Key, Value]:
        values: dict[Key, Value] = {
            key: ratio(sum(s[c] for c in criteria), s["count"] * len(criteria))
            for key, s in evaluation_sums(query).items()
        }
        return with_total(query, values, None)

    return compute


def evaluation_count(query: Query) -> dict[Key, Value]:
    counts: dict[Key, Value] = {k: s["count"] for k, s in evaluation_sums(query).items()}
    return with_total(query, counts, 0)


_EVALUATED = (
    "firm evaluations made in the period (by evaluation date; an evaluation on a matter counts "
    "when the matter is in scope, a firm-wide one unless a practice area, business unit or "
    "matter type filter is set), each criterion scored 1 (poor) to 5 (excellent)"
)
for _id, _name, _criteria, _what in (
    (
        "evaluation_score",
        "Evaluation score",
        CRITERIA,
        "of the four criteria (quality, responsiveness, budget accuracy, value)",
    ),
    ("evaluation_quality", "Evaluation: quality", ("quality",), "quality score"),
    (
        "evaluation_responsiveness",
        "Evaluation: responsiveness",
        ("responsiveness",),
        "responsiveness score",
    ),
    (
        "evaluation_budget_accuracy",
        "Evaluation: budget accuracy",
        ("budget_accuracy",),
        "budget accuracy score",
    ),
    ("evaluation_value", "Evaluation: value", ("value",), "value score"),
):
    register(
        Kpi(
            id=_id,
            name=_name,
            formula=f"Average {_what} over the {_EVALUATED}.",
            unit="ratio",
            reads="firm evaluations",
            dimensions=("firm",),
            compute=_evaluation(_criteria),
            section="Panel",
        )
    )
register(
    Kpi(
        id="evaluation_count",
        name="Evaluations",
        formula=f"Number of {_EVALUATED}.",
        unit="count",
        reads="firm evaluations",
        dimensions=("firm",),
        compute=evaluation_count,
        section="Panel",
    )
)
