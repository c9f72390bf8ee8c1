"""Dashboard views as data: each view names the registry KPIs it shows and how (a monthly trend,
a split by a dimension, a share), and builds one `Table` that the page, the Excel workbook and
the PDF all render. Numbers come only from the registry; this module arranges them and adds the
drill-down link behind each row."""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse

from legalops.accounts.models import User
from legalops.reports.exports.tables import Cell, Chart, ChartKind, Column, Definition, Kind, Table
from legalops.reports.registry import (
    DIMENSIONS,
    REGISTRY,
    FilterError,
    Filters,
    Key,
    Kpi,
    Query,
    Value,
    drill_of,
    kpi_by,
    kpi_get,
    monthly_series,
)
from legalops.reports.selectors import BUCKET_LABELS, dimension_labels, require_reports

_KIND: dict[str, Kind] = {
    "money": "money",
    "rate": "money",
    "percent": "percent",
    "hours": "hours",
    "count": "int",
    "days": "days",
    "share": "percent",
    "ratio": "ratio",
}
DRILL_PREFIX = "d_"  # drill keywords in the query string, apart from the page's filters


@dataclass(frozen=True)
class Context:
    """What every view is built for: who asks, the filters, the reporting currency and the
    query string of the filters (carried into every drill-down link)."""

    user: User | None  # None: the system (the CLI run by the operator) reads everything
    filters: Filters
    currency: str
    query: Mapping[str, str]
    # `Query.memo` shared by every view of the page: a page's trends, splits and key figures
    # read the same rollup aggregates (e.g. invoice sums by month) once, not once per view.
    memo: dict[Any, Any] = field(default_factory=dict, compare=False, repr=False)

    def drill_url(self, drill: Mapping[str, Any], *, lines: bool = False) -> str:
        params = {DRILL_PREFIX + k: _param(v) for k, v in drill.items()}
        if lines:
            params["show"] = "lines"
        # The drill keywords never share a name with the filters: the filters' part of the
        # query string is encoded once per page, not once per row.
        path, filters = self._drill_base
        return path + "?" + "&".join(part for part in (filters, urlencode(params)) if part)

    @cached_property
    def _drill_base(self) -> tuple[str, str]:
        return reverse("reports:drill"), urlencode(self.query)


def _param(value: Any) -> str:
    if isinstance(value, datetime.date):
        return value.strftime("%Y-%m")
    return "" if value is None else str(value)


def column_for(kpi: Kpi, currency: str, header: str = "") -> Column:
    unit = kpi.unit
    code = currency if unit in ("money", "rate") else ""
    return Column(header or _header(kpi), _KIND[unit], code)


def _header(kpi: Kpi) -> str:
    return f"{kpi.name} (per hour)" if kpi.unit == "rate" else kpi.name


def available(ids: Sequence[str]) -> tuple[list[Kpi], list[Kpi]]:
    """The KPIs that can be computed, and those that need data the platform does not hold."""
    kpis = [kpi_get(i) for i in ids]
    return [k for k in kpis if k.available], [k for k in kpis if not k.available]


def _needs_note(missing: Sequence[Kpi]) -> str:
    return " ".join(f"{k.name}: needs data: {k.needs}." for k in missing)


@dataclass(frozen=True)
class View:
    """One view of a page: a table with an optional chart, built from registry KPIs."""

    key: str
    title: str
    kpis: tuple[str, ...]
    chart: ChartKind | None = None
    build: Callable[[View, Context], Table] = field(default=lambda v, c: _trend(v, c))
    by: str = ""  # the dimension of a split
    top: int = 0  # keep the largest N groups of a split (by the first KPI); 0: all

    def table(self, ctx: Context) -> Table:
        return self.build(self, ctx)


def trend(key: str, title: str, kpis: tuple[str, ...], chart: ChartKind = "line") -> View:
    """The KPIs month by month; each month drills to its invoices."""
    return View(key, title, kpis, chart, build=_trend)


def split(
    key: str,
    title: str,
    kpis: tuple[str, ...],
    by: str,
    chart: ChartKind | None = "bar",
    top: int = 0,
) -> View:
    """The KPIs by one dimension (firm, practice area, ...); each group drills to its invoices."""
    return View(key, title, kpis, chart, build=_split, by=by, top=top)


def shares(key: str, title: str, kpi: str, by: str = "", chart: ChartKind = "pie") -> View:
    """A share KPI (e.g. the staffing mix): its buckets as rows, or as columns per group."""
    return View(key, title, (kpi,), chart, build=_shares, by=by)


def _trend(view: View, ctx: Context) -> Table:
    kpis, missing = available(view.kpis)
    ids = [k.id for k in kpis]
    series = monthly_series(ctx.user, ctx.filters, ids, memo=ctx.memo) if kpis else []
    columns = (Column("Month", "text"), *(column_for(k, ctx.currency) for k in kpis))
    rows = [
        (month.strftime("%Y-%m"), *(_cell(values.get(k.id)) for k in kpis))
        for month, values in series
    ]
    links = [ctx.drill_url({"month": month}) for month, _ in series]
    return _table(view, columns, rows, links, missing)


def _split(view: View, ctx: Context) -> Table:
    kpis, missing = available(view.kpis)
    groups = split_groups(ctx, kpis, view.by, top=view.top)
    columns = (Column(DIMENSIONS[view.by], "text"), *(column_for(k, ctx.currency) for k in kpis))
    rows = [
        (label, *(_cell(values.get(i)) for i, _ in enumerate(kpis)))
        for _, label, values, _ in groups
    ]
    links = [ctx.drill_url(drill) for _, _, _, drill in groups]
    return _table(view, columns, rows, links, missing)


Group = tuple[Key, str, dict[int, Value], dict[str, Any]]


def split_groups(ctx: Context, kpis: Sequence[Kpi], dimension: str, *, top: int = 0) -> list[Group]:
    """Several KPIs by one dimension, as `kpi_by` gives one (same labels, order and drill
    keywords), computed with one shared query memo: KPIs that read the same rollup
    aggregate share its query instead of repeating it per KPI. With `top`, only the `top`
    groups with the largest first KPI, largest first (labelled alone: a split by matter has
    thousands of groups)."""
    require_reports(ctx.user)
    query = Query(user=ctx.user, filters=ctx.filters, group=dimension, memo=ctx.memo)
    for kpi in kpis:
        if dimension not in kpi.dimensions or kpi.compute is None:
            raise FilterError(f"{kpi.name} cannot be split by {dimension!r}")
    merged = _ranked(query, kpis, top) if top and kpis else None
    if merged is None:
        merged = {}
        for index, kpi in enumerate(kpis):
            for key, value in kpi.compute(query).items():  # type: ignore[misc]
                if key is not None:
                    merged.setdefault(key, {})[index] = value
    if top and kpis and len(merged) > top:
        # Label only the groups that can make the top (ties at the cut included, so the
        # order by value, then label, is the one of ranking every group).
        cut = sorted((_sort_value(v.get(0)) for v in merged.values()), reverse=True)[top - 1]
        merged = {k: v for k, v in merged.items() if _sort_value(v.get(0)) >= cut}
    labels = dimension_labels(dimension, list(merged))
    groups = [
        (
            key,
            labels.get(key, "(none)" if key == "" else str(key)),
            values,
            drill_of(dimension, key),
        )
        for key, values in merged.items()
    ]
    if dimension == "month":
        groups = sorted(groups, key=lambda g: str(g[0]))
    else:
        groups = sorted(groups, key=lambda g: g[1].casefold())
    if top and kpis:
        return sorted(groups, key=lambda g: _sort_value(g[2].get(0)), reverse=True)[:top]
    return groups


def _ranked(query: Query, kpis: Sequence[Kpi], top: int) -> dict[Key, dict[int, Value]] | None:
    """The groups that can make the top `top` by the first KPI, when it ranks them itself
    (`Kpi.rank`), with every KPI's values computed for those groups only; None when it
    cannot rank, or ranks fewer groups than `top` or a cut without a value (then the other
    KPIs' groups could make the top too, and every group is computed)."""
    first = kpis[0]
    if first.rank is None:
        return None
    ranked = first.rank(query, top)
    if len(ranked) < top or min(_sort_value(v) for v in ranked.values()) == _NO_VALUE:
        return None
    wanted = dataclasses.replace(query, keys=frozenset(ranked))
    merged: dict[Key, dict[int, Value]] = {key: {0: value} for key, value in ranked.items()}
    for index, kpi in enumerate(kpis[1:], start=1):
        for key, value in kpi.compute(wanted).items():  # type: ignore[misc]
            if key in merged:
                merged[key][index] = value
    return merged


_NO_VALUE = Decimal("-Infinity")


def _sort_value(value: Value) -> Decimal:
    return Decimal(value) if isinstance(value, int | Decimal) else _NO_VALUE


def _shares(view: View, ctx: Context) -> Table:
    kpis, missing = available(view.kpis)
    if not kpis:
        return _table(view, (Column("Bucket"),), [], [], missing)
    kpi = kpis[0]
    if view.by:
        return _shares_by(view, ctx, kpi)
    values = values_of(ctx.user, ctx.filters, [kpi.id], memo=ctx.memo).get(kpi.id)
    share = values if isinstance(values, dict) else {}
    columns = (Column(_bucket_header(kpi)), Column(kpi.name, "percent"))
    rows = [(BUCKET_LABELS.get(b, b), v) for b, v in share.items()]
    links = [ctx.drill_url({"classification": b}, lines=True) for b in share]
    return _table(view, columns, rows, links, missing)


def _shares_by(view: View, ctx: Context, kpi: Kpi) -> Table:
    groups = kpi_by(ctx.user, ctx.filters, kpi.id, view.by, memo=ctx.memo)
    buckets = list(next((g.value for g in groups if isinstance(g.value, dict)), {}) or {})
    columns = (
        Column(DIMENSIONS[view.by]),
        *(Column(BUCKET_LABELS.get(b, b), "percent") for b in buckets),
    )
    rows = [
        (g.label, *((g.value or {}).get(b) if isinstance(g.value, dict) else None for b in buckets))
        for g in groups
    ]
    links = [ctx.drill_url(g.drill, lines=True) for g in groups]
    return _table(view, columns, rows, links, [])


def _bucket_header(kpi: Kpi) -> str:
    return (
        "Timekeeper classification"
        if "classification" in kpi.id or "staffing" in kpi.id
        else "Bucket"
    )


def _cell(value: Value) -> Cell:
    if isinstance(value, dict):
        return None  # a share has no single number; `shares` views show its buckets
    return value


def _table(
    view: View,
    columns: Sequence[Column],
    rows: Sequence[Sequence[Cell]],
    links: Sequence[str],
    missing: Sequence[Kpi],
) -> Table:
    chart = None
    if view.chart and len(columns) > 1:
        # One value axis: the chart draws the columns in the first one's unit (a scorecard's
        # money and percentages stay in its table, not on one axis).
        first = columns[1]
        same = tuple(
            i
            for i, c in enumerate(columns)
            if i and (c.kind, c.currency) == (first.kind, first.currency)
        )
        chart = Chart(view.chart, view.title, 0, same)
    return Table(
        key=view.key,
        title=view.title,
        columns=tuple(columns),
        rows=[tuple(r) for r in rows],
        chart=chart,
        note=_needs_note(missing),
        links=list(links),
    )


def values_of(
    user: User | None,
    filters: Filters,
    ids: Sequence[str],
    *,
    memo: dict[Any, Any] | None = None,
) -> dict[str, Value]:
    """Only the named KPIs' values (a page's tiles), sharing one query memo (`memo`, the
    page's, when given); `kpi_values` computes every KPI in the registry, more than a page
    shows."""
    require_reports(user)
    query = Query(user=user, filters=filters, memo={} if memo is None else memo)
    out: dict[str, Value] = {}
    for kpi_id in ids:
        kpi = kpi_get(kpi_id)
        if kpi.compute is not None:
            out[kpi_id] = kpi.compute(query).get(None)
    return out


def definitions(ids: Sequence[str]) -> list[Definition]:
    """The definitions sheet: each KPI a page shows, once, in the registry's order."""
    wanted = set(ids)
    return [
        Definition(k.name, k.formula, k.unit, k.needs or "")
        for k in REGISTRY.values()
        if k.id in wanted
    ]
