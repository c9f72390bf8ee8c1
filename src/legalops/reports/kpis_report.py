"""The KPI report object of spec/cli.md ("legalops kpi --json"), shared by the CLI and
`GET /api/v1/kpis`, and the human rendering of values."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db.models import Max, Min, Sum

from legalops.accounts.models import User
from legalops.core.money import format_minor
from legalops.reports.models import InvoiceMonth
from legalops.reports.registry import (
    REGISTRY,
    FilterError,
    Filters,
    Kpi,
    Value,
    kpi_table,
    kpi_values,
)
from legalops.reports.selectors import dimension_codes, reporting_currency, scoped

# `--by` values of spec/cli.md and the registry dimension each names.
BY = {
    "firm": "firm",
    "matter": "matter",
    "practice-area": "practice_area",
    "business-unit": "business_unit",
    "month": "month",
}


def json_value(kpi: Kpi, value: Value, currency: str) -> Any:
    """spec/cli.md: money (and rates) as decimal strings with the currency's minor places;
    ratios as numbers rounded to 4 places (null without a denominator); hours and days as
    numbers. Decimals become JSON numbers only here, already rounded, for output."""
    if value is None:
        return None
    if kpi.unit in ("money", "rate"):
        return format_minor(int(value), currency)  # type: ignore[arg-type]
    if isinstance(value, dict):
        return {k: None if v is None else float(v) for k, v in value.items()}
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def human_value(kpi: Kpi, value: Value, currency: str) -> str:
    """For people: "USD 1,234.50", "12.34 %", "1,234.5 h", "3.2 days", "–" for no value."""
    if value is None:
        return "–"
    if kpi.unit in ("money", "rate"):
        amount = Decimal(format_minor(int(value), currency))  # type: ignore[arg-type]
        suffix = " / h" if kpi.unit == "rate" else ""
        return f"{currency} {amount:,}{suffix}"
    if isinstance(value, dict):
        return ", ".join(f"{k} {human_value(_PERCENT, v, currency)}" for k, v in value.items())
    if kpi.unit == "percent":
        return f"{(Decimal(value) * 100).quantize(Decimal('0.01'))} %"
    units = {"hours": " h", "days": " days", "ratio": ""}
    return f"{value:,}{units.get(kpi.unit, '')}"


_PERCENT = Kpi(id="_", name="", formula="", unit="percent", reads="", needs="-")


def _period(user: User | None, filters: Filters) -> dict[str, str | None]:
    """The period asked for; an open end is the first/last invoice date in the data."""
    start, end = filters.date_from, filters.date_to
    if start is None or end is None:
        months = scoped(InvoiceMonth.objects.all(), user, Filters(), date_field="month")
        first = months.order_by("month").values_list("month", flat=True).first()
        last = months.order_by("-month").values_list("month", flat=True).first()
        start = start or first
        end = end or (_month_end(last) if last else None)
    return {"from": _iso(start), "to": _iso(end)}


def _month_end(month: datetime.date) -> datetime.date:
    return (month + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)


def _iso(day: datetime.date | None) -> str | None:
    return day.isoformat() if day else None


def kpi_report(user: User | None, filters: Filters, by: str | None = None) -> dict[str, Any]:
    """`{"period": {"from", "to"}, "currency", "kpis": {...}, "groups": [{"key", "label",
    "kpis"}]}`; `groups` is empty without `by` (one of BY's keys)."""
    if by is not None and by not in BY:
        raise FilterError(f"by: {by!r} is not one of {', '.join(BY)}")
    currency = reporting_currency()
    values = kpi_values(user, filters)
    report: dict[str, Any] = {
        "period": _period(user, filters),
        "currency": currency,
        "kpis": {k: json_value(REGISTRY[k], v, currency) for k, v in values.items()},
        "groups": [],
    }
    if by is not None:
        dimension = BY[by]
        table = kpi_table(user, filters, dimension)
        codes = dimension_codes(dimension, [key for key, _, _ in table])
        report["groups"] = [
            {
                "key": codes.get(key, str(key)),
                "label": label,
                "kpis": {k: json_value(REGISTRY[k], v, currency) for k, v in row.items()},
            }
            for key, label, row in table
        ]
    return report


def fx_warnings(user: User | None, filters: Filters) -> list[str]:
    """One sentence per invoice currency with amounts the money KPIs leave out because no FX
    rate to the reporting currency exists on or before their invoice date (the rollups count
    them in `unconverted`). Not part of the spec/cli.md object: the CLI prints these on stderr
    and the dashboards show them as a note."""
    rows = (
        scoped(InvoiceMonth.objects.filter(unconverted__gt=0), user, filters, date_field="month")
        .values("currency")
        .annotate(groups=Sum("unconverted"), first=Min("month"), last=Max("month"))
        .order_by("currency")
    )
    target = reporting_currency()
    out = []
    for row in rows:
        months = f"{row['first']:%Y-%m}" + (
            f" to {row['last']:%Y-%m}" if row["last"] != row["first"] else ""
        )
        groups = f"{row['groups']} firm, matter and invoice date" + (
            "s" if row["groups"] != 1 else ""
        )
        out.append(
            f"Amounts in {row['currency']} invoiced in {months} ({groups}) are left out of the "
            f"money KPIs: no {row['currency']} to {target} FX rate on or before their invoice "
            "date. Add the rate (Admin > Organization > FX rates), then run "
            "`legalops rollups rebuild`."
        )
    return out
