"""What the KPI modules share: reading the rollups grouped by a dimension (one query per
rollup table and dimension within a registry call) and exact ratios."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import QuerySet, Sum

from legalops.reports.models import (
    FirmInvoiceMonth,
    FirmStaffingMonth,
    InvoiceMonth,
    StaffingMonth,
)
from legalops.reports.registry import Key, Query, Rank, Value
from legalops.reports.selectors import DIMENSION_FIELDS, report_matter_scope, scoped

Sums = dict[str, Any]

# Where each dimension lives on a rollup row.
ROLLUP_FIELDS = {**DIMENSION_FIELDS, "month": "month", "classification": "bucket"}
_INVOICE_COLUMNS = [
    f.name
    for f in InvoiceMonth._meta.concrete_fields
    if f.name not in ("id", "month", "firm", "matter", "currency")
]
_STAFFING_COLUMNS = [
    f.name
    for f in StaffingMonth._meta.concrete_fields
    if f.name not in ("id", "month", "firm", "matter", "currency", "bucket")
]


def group_key(value: Any) -> Key:
    """Groups without a value (a matter with no practice area) get "" (never None, which
    `kpi_values` uses for the ungrouped total)."""
    return "" if value is None else value


def _grouped(
    queryset: QuerySet[Any], group: str | None, columns: list[str], extra: tuple[str, ...] = ()
) -> dict[Any, Sums]:
    fields = ([ROLLUP_FIELDS[group]] if group else []) + list(extra)
    if not fields:
        totals = queryset.aggregate(**{c: Sum(c) for c in columns})
        return {None: {c: totals[c] or 0 for c in columns}}
    rows = queryset.values(*fields).annotate(**{c: Sum(c) for c in columns}).order_by()
    out: dict[Any, Sums] = {}
    for row in rows:
        head = group_key(row[fields[0]]) if group else None
        key = (head, *(row[e] for e in extra)) if extra else head
        out[key] = {c: row[c] or 0 for c in columns}
    return out


# Groupings the per-firm totals can answer (they have no matter).
_FIRM_LEVEL_GROUPS = (None, "firm", "month", "classification")


def firm_level(query: Query) -> bool:
    """Whether the per-firm totals (`FirmInvoiceMonth`, `FirmStaffingMonth`) give the same
    sums as the matter-level rollups for this query: no filter or grouping by an attribute
    of the matter, and a user who sees every matter."""
    f = query.filters
    return (
        query.group in _FIRM_LEVEL_GROUPS
        and not (f.practice_area_ids or f.business_unit_ids or f.matter_types)
        and report_matter_scope(query.user) is None
    )


def invoice_sums(query: Query, *, by_firm: bool = False) -> dict[Any, Sums]:
    """InvoiceMonth columns summed per group (per (group, firm id) with `by_firm`)."""

    def compute() -> dict[Any, Sums]:
        extra = ("firm_id",) if by_firm else ()
        cube = _cube_fields(query, extra, firm=("firm_id",), matter=not by_firm)
        if cube:
            model = FirmInvoiceMonth if firm_level(query) else InvoiceMonth
            cells = _cube(query, model, cube, _INVOICE_COLUMNS)
            return _rolled(cells, cube, query.group, _INVOICE_COLUMNS, extra)
        rows = _wanted(query, _invoice_rows(query))
        return _grouped(rows, query.group, _INVOICE_COLUMNS, extra)

    return query.cached(("invoice_sums", query.group, by_firm, query.keys), compute)


def _invoice_rows(query: Query) -> QuerySet[Any]:
    model = FirmInvoiceMonth if firm_level(query) else InvoiceMonth
    return scoped(model.objects.all(), query.user, query.filters, date_field="month")


def _wanted(query: Query, rows: QuerySet[Any]) -> QuerySet[Any]:
    """The rows of the groups `Query.keys` asks for (all without it)."""
    if query.keys is None or query.group is None:
        return rows
    return rows.filter(**{f"{ROLLUP_FIELDS[query.group]}__in": list(query.keys)})


def staffing_sums(query: Query, *, by_bucket: bool = False) -> dict[Any, Sums]:
    """StaffingMonth columns summed per group (per (group, bucket) with `by_bucket`)."""

    def compute() -> dict[Any, Sums]:
        extra = ("bucket",) if by_bucket else ()
        cube = _cube_fields(query, extra, firm=("firm_id", "bucket"), matter=False)
        model = FirmStaffingMonth if firm_level(query) else StaffingMonth
        if cube:
            cells = _cube(query, model, cube, _STAFFING_COLUMNS)
            return _rolled(cells, cube, query.group, _STAFFING_COLUMNS, extra)
        rows = scoped(model.objects.all(), query.user, query.filters, date_field="month")
        return _grouped(_wanted(query, rows), query.group, _STAFFING_COLUMNS, extra)

    return query.cached(("staffing_sums", query.group, by_bucket, query.keys), compute)


# One query grouped by all of these answers every grouping by one or none of them: a page
# asks for its totals, per firm and per staffing bucket, or splits by each of the matter's
# attributes, and each was a scan of the rollup of its own.
_MATTER_CUBE = ("practice_area", "business_unit", "matter_type")


def _cube_fields(
    query: Query, extra: tuple[str, ...], *, firm: tuple[str, ...], matter: bool
) -> tuple[str, ...]:
    """The rollup fields of the shared finer grouping that answers this query's grouping (and
    `extra`), or () when none does (months, matters: one query of their own; a ranked
    split's chosen groups, `Query.keys`, which read only their own rows)."""
    if query.keys is not None:
        return ()
    if firm_level(query) and query.group in (None, "firm", "classification"):
        wanted = {ROLLUP_FIELDS[query.group]} if query.group else set()
        if wanted | set(extra) <= set(firm):
            return firm
    if matter and query.group in _MATTER_CUBE and not extra:
        return tuple(ROLLUP_FIELDS[g] for g in _MATTER_CUBE)
    return ()


def _cube(query: Query, model: Any, fields: tuple[str, ...], columns: list[str]) -> list[Any]:
    def compute() -> list[Any]:
        rows = scoped(model.objects.all(), query.user, query.filters, date_field="month")
        return list(rows.values(*fields).annotate(**{c: Sum(c) for c in columns}).order_by())

    cells: list[Any] = query.cached(("cube", model.__name__, fields), compute)
    return cells


def _rolled(
    rows: list[Any],
    fields: tuple[str, ...],
    group: str | None,
    columns: list[str],
    extra: tuple[str, ...],
) -> dict[Any, Sums]:
    """The cube's rows summed per group (and `extra`), as `_grouped` sums them in SQL."""
    field = ROLLUP_FIELDS[group] if group else None
    out: dict[Any, Sums] = {None: dict.fromkeys(columns, 0)} if not (group or extra) else {}
    for row in rows:
        head = group_key(row[field]) if field else None
        key = (head, *(row[e] for e in extra)) if extra else head
        sums = out.get(key)
        if sums is None:
            sums = out[key] = dict.fromkeys(columns, 0)
        for c in columns:
            sums[c] += row[c] or 0
    return out


def with_total(query: Query, values: dict[Key, Value], empty: Value) -> dict[Key, Value]:
    """Ungrouped results always carry the key None (an empty scope gives `empty`)."""
    if query.group is None and None not in values:
        values[None] = empty
    return values


def column(
    source: Callable[[Query], dict[Any, Sums]], name: str
) -> Callable[[Query], dict[Key, Value]]:
    """A KPI that is one rollup column summed."""

    def compute(query: Query) -> dict[Key, Value]:
        return with_total(query, {k: s[name] for k, s in source(query).items()}, 0)

    return compute


def column_rank(name: str) -> Rank:
    """`Kpi.rank` of a KPI that is one `InvoiceMonth` column summed (`column(invoice_sums,
    name)`): the database sums the column per group and returns the largest, then the
    groups tied with the n-th, so the ranking is the one of computing every group."""

    def rank(query: Query, n: int) -> dict[Key, Value]:
        if query.group is None:
            raise ValueError("a ranking needs a grouping")
        field = ROLLUP_FIELDS[query.group]
        sums = _invoice_rows(query).values(field).annotate(value=Sum(name)).order_by()
        # One row past the n-th tells whether groups tie with it: only then ask for them.
        top = list(sums.order_by("-value", field)[: n + 1])
        if len(top) > n and top[n]["value"] == top[n - 1]["value"]:
            top += sums.filter(value=top[n - 1]["value"])
        return {group_key(row[field]): row["value"] or 0 for row in top[:n] + top[n + 1 :]}

    return rank


def ratio(numerator: int | Decimal, denominator: int | Decimal) -> Decimal | None:
    """Exact fraction rounded to 4 places (spec/cli.md "Ratios"); None when nothing to divide."""
    if not denominator:
        return None
    return (Decimal(numerator) / Decimal(denominator)).quantize(
        Decimal("0.0001"), rounding=ROUND_HALF_UP
    )


def per_hour(minor: int, hours: Decimal) -> int | None:
    """Minor units per hour, ROUND_HALF_UP; None without hours."""
    if not hours:
        return None
    return int((Decimal(minor) / hours).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def rank_value(values: Sequence[int | Decimal], fraction: Decimal) -> Decimal | None:
    """Nearest-rank percentile (the median of an even count is the mean of the two middle
    values), exact; None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    return value_at_ranks(len(ordered), fraction, lambda rank: ordered[rank - 1])


def ranks(count: int, fraction: Decimal) -> tuple[int, ...]:
    """The 1-based ranks in `count` sorted values that `rank_value` reads: the middle one or
    two for the median, else the nearest rank ceil(fraction x count)."""
    if fraction == Decimal("0.5"):
        return tuple(sorted({(count + 1) // 2, count // 2 + 1}))
    return (max(1, int((fraction * count).to_integral_value(rounding="ROUND_CEILING"))),)


def value_at_ranks(
    count: int, fraction: Decimal, at: Callable[[int], int | Decimal]
) -> Decimal | None:
    """`rank_value` of `count` sorted values, `at(rank)` giving the value of a 1-based rank
    (the values themselves may be ranked by the database)."""
    if not count:
        return None
    picked = [Decimal(at(rank)) for rank in ranks(count, fraction)]
    return sum(picked, Decimal(0)) / len(picked)


def percentile(values: list[int], fraction: Decimal, per_day: int = 1) -> Decimal | None:
    """`rank_value` of durations, in days (`per_day` units make a day) rounded half up to
    1 place."""
    return in_days(rank_value(values, fraction), per_day)


def in_days(value: Decimal | None, per_day: int) -> Decimal | None:
    if value is None:
        return None
    return (value / per_day).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
