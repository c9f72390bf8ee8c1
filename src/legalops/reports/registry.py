"""The KPI registry: every KPI is defined once here and computed by exactly one function, which
the dashboards, the exports, the API (`GET /api/v1/kpis`) and the CLI (`legalops kpi`) all call.

How to use it (the UI, the API, the CLI and the exports):

    filters = Filters(date_from=date(2026, 1, 1), date_to=date(2026, 12, 31), firm_ids=(3,))
    kpi_values(user, filters)                 # {"total_billed": 1234500, ...}
    kpi_by(user, filters, "total_billed", "firm")   # [Row(key=3, label="Baker LLP", ...)]
    monthly_series(user, filters, ["total_billed", "total_approved"])
    drill_lines(user, filters, **row.drill)    # the invoice lines behind a number

Values by unit (`Kpi.unit`), always exact, never float:
- ``money``: int, minor units of the reporting currency (`reporting_currency()`), converted per
  invoice with the FX rate of the invoice date (organization FX rates, latest on or before).
- ``rate``: int, minor units of the reporting currency per hour.
- ``percent``: Decimal fraction rounded to 4 places (0.1234 is 12.34 %); None when the
  denominator is zero.
- ``ratio``: Decimal rounded to 4 places (e.g. leverage 2.5 = 2.5 non-partner hours per
  partner hour); None when the denominator is zero.
- ``hours``: Decimal hours. ``count``: int. ``days``: Decimal days (1 place); None when nothing
  was measured.
- ``share``: dict[str, Decimal fraction rounded to 4 places] (e.g. staffing mix by bucket); every
  value None when the total is zero.

Permissions: only staff who may read reports get numbers (admin and approver: the whole
department; attorney: only the matters they lead or are on the team of); anyone else gets
`PermissionDenied` from every function here.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

from django.db.models import QuerySet

from legalops.accounts.models import User
from legalops.invoices.models import Invoice, InvoiceLine

Unit = Literal["money", "percent", "hours", "count", "days", "rate", "ratio", "share"]
Value = int | Decimal | dict[str, Decimal | None] | None
Key = int | str | datetime.date | None

# The dimensions a KPI can be split by, as `kpi_by`, `Row.drill` and `drill_*` name them.
DIMENSIONS: dict[str, str] = {
    "firm": "Firm",
    "matter": "Matter",
    "practice_area": "Practice area",
    "business_unit": "Business unit",
    "matter_type": "Matter type",
    "month": "Month",
    "classification": "Timekeeper classification",
}
# Dimensions every KPI read from the monthly rollups can be split by.
ROLLUP_DIMENSIONS = ("firm", "matter", "practice_area", "business_unit", "matter_type", "month")


class FilterError(ValueError):
    """A filter value that cannot be used; the message names the parameter."""


@dataclass(frozen=True)
class Filters:
    """What every dashboard, the CLI and the API filter by. Dates bound the date the KPI is
    measured by (the invoice date for money; see each KPI's formula), both inclusive; None means
    unbounded. Empty tuples mean "all". Build from request/CLI parameters with `from_params`."""

    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    firm_ids: tuple[int, ...] = ()
    practice_area_ids: tuple[int, ...] = ()
    business_unit_ids: tuple[int, ...] = ()
    matter_types: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise FilterError(
                f"from ({self.date_from.isoformat()}) is after to ({self.date_to.isoformat()})"
            )

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> Filters:
        """From query/CLI parameters: `from`, `to` (ISO dates), `firm`, `practice_area`,
        `business_unit` (ids), `matter_type` (codes). Each of the last four may be a list or a
        comma-separated string. Raises FilterError naming the parameter on bad input."""
        return cls(
            date_from=_date(params, "from"),
            date_to=_date(params, "to"),
            firm_ids=tuple(int(v) for v in _many(params, "firm", numeric=True)),
            practice_area_ids=tuple(int(v) for v in _many(params, "practice_area", numeric=True)),
            business_unit_ids=tuple(int(v) for v in _many(params, "business_unit", numeric=True)),
            matter_types=tuple(_many(params, "matter_type", numeric=False)),
        )

    def params(self) -> dict[str, str]:
        """The inverse of `from_params`, for links and exports (empty filters left out)."""
        out: dict[str, str] = {}
        if self.date_from:
            out["from"] = self.date_from.isoformat()
        if self.date_to:
            out["to"] = self.date_to.isoformat()
        for name, values in (
            ("firm", self.firm_ids),
            ("practice_area", self.practice_area_ids),
            ("business_unit", self.business_unit_ids),
            ("matter_type", self.matter_types),
        ):
            if values:
                out[name] = ",".join(str(v) for v in values)
        return out


def _date(params: Mapping[str, Any], name: str) -> datetime.date | None:
    raw = params.get(name)
    if raw in (None, ""):
        return None
    if isinstance(raw, datetime.date):
        return raw
    try:
        return datetime.date.fromisoformat(str(raw).strip())
    except ValueError:
        raise FilterError(f"{name}: {raw!r} is not a date (YYYY-MM-DD)") from None


def _many(params: Mapping[str, Any], name: str, *, numeric: bool) -> list[str]:
    getlist = getattr(params, "getlist", None)
    raw = getlist(name) if getlist else params.get(name)
    if raw in (None, ""):
        return []
    items = raw if isinstance(raw, list | tuple) else [raw]
    values = [part.strip() for item in items for part in str(item).split(",") if part.strip()]
    if numeric:
        for value in values:
            if not value.isdigit():
                raise FilterError(f"{name}: {value!r} is not an id")
    return values


@dataclass(frozen=True)
class Row:
    """One group of `kpi_by`: `key` (an id, a code or the month's first day), its `label` for
    people, the KPI's `value` and `drill`, the keyword arguments that `drill_lines` /
    `drill_invoices` take to list what is behind the number (e.g. {"firm": 3} or
    {"month": "2026-03"})."""

    key: Key
    label: str
    value: Value
    drill: dict[str, Any]


@dataclass
class Query:
    """What a KPI function receives: who asks, the filters, and the dimension to group by
    (None: one value under the key None). `memo` lets KPIs that read the same aggregate share
    one database query within one registry call, or across the calls of one page (the same
    user and filters: every memo key names the grouping it was computed for)."""

    user: User | None
    filters: Filters
    group: str | None = None
    memo: dict[Any, Any] = field(default_factory=dict)
    # Only these groups are wanted (a split showing its top N): a KPI may read just them
    # (and must then name `keys` in its memo keys) or compute every group as usual.
    keys: frozenset[Key] | None = None

    def cached(self, key: Any, compute: Callable[[], Any]) -> Any:
        if key not in self.memo:
            self.memo[key] = compute()
        return self.memo[key]


Compute = Callable[[Query], dict[Key, Value]]
# The `n` largest groups of `Query.group` by the KPI, largest first, and every group tied
# with the n-th (all groups when there are fewer): ranked by the database, so a split by
# matter reads a few rows instead of thousands. The values are those `compute` gives.
Rank = Callable[[Query, int], dict[Key, Value]]


@dataclass(frozen=True)
class Kpi:
    """One KPI. `formula` is the definition in plain words (shown in the UI, the exports'
    definitions sheet and docs/kpis.md); `reads` names the data it reads; `dimensions` the
    `DIMENSIONS` it can be split by; `needs` is None when the platform holds the data, else the
    text saying which data is missing (such a KPI has no `compute` and no value)."""

    id: str
    name: str
    formula: str
    unit: Unit
    reads: str
    dimensions: tuple[str, ...] = ()
    needs: str | None = None
    compute: Compute | None = None
    section: str = "Spend"
    rank: Rank | None = None  # optional: its top groups without computing every group

    @property
    def available(self) -> bool:
        return self.needs is None


REGISTRY: dict[str, Kpi] = {}
# The order KPIs are listed in (dashboards, CLI, API, docs): by section, then as defined.
SECTIONS = (
    "Spend",
    "Review",
    "Panel",
    "Rates and staffing",
    "Diversity",
    "Operations",
    "Matters",
    "Department",
)


def kpis_ordered() -> list[Kpi]:
    return sorted(REGISTRY.values(), key=lambda kpi: SECTIONS.index(kpi.section))


def register(kpi: Kpi) -> Kpi:
    if kpi.id in REGISTRY:
        raise ValueError(f"KPI {kpi.id} is defined twice")
    if (kpi.compute is None) == (kpi.needs is None):
        raise ValueError(f"KPI {kpi.id}: give either compute or needs")
    if kpi.section not in SECTIONS:
        raise ValueError(f"KPI {kpi.id}: unknown section {kpi.section!r}")
    unknown = set(kpi.dimensions) - set(DIMENSIONS)
    if unknown:
        raise ValueError(f"KPI {kpi.id}: unknown dimensions {sorted(unknown)}")
    REGISTRY[kpi.id] = kpi
    return kpi


def kpi_definer(**defaults: Any) -> Callable[..., None]:
    """A KPI module's `_kpi(id, name, formula, unit, compute, **fields)`: registers a `Kpi`
    with the module's defaults (`section`, `reads`, `dimensions`) unless a call overrides them."""

    def define(kpi_id: str, name: str, formula: str, unit: Unit, compute: Any, **kw: Any) -> None:
        fields = {**defaults, **kw}
        register(Kpi(id=kpi_id, name=name, formula=formula, unit=unit, compute=compute, **fields))

    return define


def kpi_get(kpi_id: str) -> Kpi:
    try:
        return REGISTRY[kpi_id]
    except KeyError:
        raise FilterError(f"unknown KPI {kpi_id!r}") from None


def kpi_values(user: User | None, filters: Filters) -> dict[str, Value]:
    """Every available KPI's value over the filters, keyed by KPI id (registry order). KPIs
    with `needs` are left out. Raises PermissionDenied for users without reports access."""
    from legalops.reports.selectors import require_reports

    require_reports(user)
    query = Query(user=user, filters=filters)
    return {
        kpi.id: _compute(kpi, query).get(None) for kpi in kpis_ordered() if kpi.compute is not None
    }


def kpi_by(
    user: User | None,
    filters: Filters,
    kpi_id: str,
    dimension: str,
    *,
    memo: dict[Any, Any] | None = None,
) -> list[Row]:
    """The KPI split by one of its `dimensions`, one Row per group that has data, ordered by
    label (months chronologically). FilterError for an unknown KPI or dimension. `memo`
    (`Query.memo`) shares aggregates with other calls for the same user and filters."""
    from legalops.reports.selectors import dimension_labels, require_reports

    require_reports(user)
    kpi = kpi_get(kpi_id)
    if dimension not in kpi.dimensions:
        raise FilterError(f"{kpi.name} cannot be split by {dimension!r}")
    query = Query(user=user, filters=filters, group=dimension, memo=_memo(memo))
    values = _compute(kpi, query)
    labels = dimension_labels(dimension, [k for k in values if k is not None])
    rows = [
        Row(key=key, label=_label(labels, key), value=value, drill=drill_of(dimension, key))
        for key, value in values.items()
        if key is not None
    ]
    if dimension == "month":
        return sorted(rows, key=lambda row: str(row.key))
    return sorted(rows, key=lambda row: row.label.casefold())


def _label(labels: dict[Key, str], key: Key) -> str:
    return labels.get(key, "(none)" if key == "" else str(key))


def kpi_table(
    user: User | None, filters: Filters, dimension: str
) -> list[tuple[Key, str, dict[str, Value]]]:
    """Every available KPI that can be split by `dimension`, per group: (key, label,
    {kpi id: value}), groups ordered as in `kpi_by`. One pass: KPIs reading the same rollup
    share its query."""
    from legalops.reports.selectors import dimension_labels, require_reports

    require_reports(user)
    if dimension not in DIMENSIONS:
        raise FilterError(f"unknown dimension {dimension!r}")
    query = Query(user=user, filters=filters, group=dimension)
    per_kpi = {
        kpi: _compute(kpi, query)
        for kpi in kpis_ordered()
        if kpi.compute is not None and dimension in kpi.dimensions
    }
    keys = {k for values in per_kpi.values() for k in values if k is not None}
    labels = dimension_labels(dimension, keys)
    ordered = sorted(
        keys, key=lambda k: str(k) if dimension == "month" else _label(labels, k).casefold()
    )
    return [
        (key, _label(labels, key), {k.id: v.get(key, _empty(k)) for k, v in per_kpi.items()})
        for key in ordered
    ]


def monthly_series(
    user: User | None,
    filters: Filters,
    kpi_ids: Iterable[str],
    *,
    memo: dict[Any, Any] | None = None,
) -> list[tuple[datetime.date, dict[str, Value]]]:
    """The KPIs month by month (each month's first day, chronological, every month between
    the first and the last with data, months without data valued as the KPI gives for no
    data). Every KPI must be splittable by "month". `memo` as in `kpi_by`."""
    from legalops.reports.selectors import require_reports

    require_reports(user)
    kpis = [kpi_get(kpi_id) for kpi_id in kpi_ids]
    query = Query(user=user, filters=filters, group="month", memo=_memo(memo))
    per_kpi: dict[str, dict[Key, Value]] = {}
    for kpi in kpis:
        if "month" not in kpi.dimensions:
            raise FilterError(f"{kpi.name} has no monthly series")
        per_kpi[kpi.id] = _compute(kpi, query)
    months = sorted({k for values in per_kpi.values() for k in values if k is not None})
    if not months:
        return []
    return [
        (month, {kpi.id: per_kpi[kpi.id].get(month, _empty(kpi)) for kpi in kpis})
        for month in _month_range(months[0], months[-1])  # type: ignore[arg-type]
    ]


def _memo(memo: dict[Any, Any] | None) -> dict[Any, Any]:
    return {} if memo is None else memo


def _empty(kpi: Kpi) -> Value:
    return 0 if kpi.unit in ("money", "count") else None


def _month_range(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    months = []
    month = first.replace(day=1)
    while month <= last:
        months.append(month)
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return months


def _compute(kpi: Kpi, query: Query) -> dict[Key, Value]:
    if kpi.compute is None:
        raise FilterError(f"{kpi.name} cannot be computed: {kpi.needs}")
    return kpi.compute(query)


def drill_of(dimension: str, key: Key) -> dict[str, Any]:
    """The `drill_*` keyword arguments of one group (months as "YYYY-MM")."""
    if dimension == "month" and isinstance(key, datetime.date):
        return {"month": key.strftime("%Y-%m")}
    return {dimension: key}


def drill_invoices(user: User | None, filters: Filters, **dimension: Any) -> QuerySet[Invoice]:
    """The invoices behind a number: the invoices the user may see within the filters
    (invoice date in the period), narrowed by `Row.drill` keywords (firm=, matter=,
    practice_area=, business_unit=, matter_type=, month="YYYY-MM"; classification= narrows to
    invoices with a fee line in that bucket). Newest first."""
    from legalops.reports.selectors import invoices_in_scope

    return invoices_in_scope(user, filters, dimension).order_by("-invoice_date", "-pk")


def drill_lines(user: User | None, filters: Filters, **dimension: Any) -> QuerySet[InvoiceLine]:
    """The invoice lines behind a number (same keywords as `drill_invoices`;
    classification="partner" etc. keeps the fee lines of that staffing bucket), newest
    invoice first."""
    from legalops.reports.selectors import lines_in_scope

    # Newest invoice first, its lines in order: the (invoice, index) unique index serves this
    # order, where sorting by invoice date first sorted every line in scope (1.5 s at 200,000).
    return lines_in_scope(user, filters, dimension).order_by("-invoice_id", "index")
