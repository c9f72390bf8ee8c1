"""The plain data every report file is written from: tables of typed columns, an optional chart,
and the definitions of the KPIs shown. Dashboards build these once; the Excel writer, the PDF and
the pages' own tables read the same objects, so a number shown is the number exported."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from legalops.core.money import MoneyError, from_minor

# money: integer minor units in `Column.currency`; percent: a fraction (Decimal("0.125") = 12.5%);
# hours, rate and ratio: exact Decimals; date: datetime.date; int: counts; text: anything else.
Kind = Literal["text", "int", "money", "percent", "hours", "rate", "ratio", "days", "date"]
ChartKind = Literal["line", "column", "bar", "pie"]
Plain = str | int | Decimal | datetime.date | None


@dataclass(frozen=True, slots=True)
class Typed:
    """A cell typed apart from its column (a key-figures table mixes money, % and hours)."""

    kind: Kind
    value: Plain
    currency: str = ""


Cell = Plain | Typed


@dataclass(frozen=True, slots=True)
class Column:
    header: str
    kind: Kind = "text"
    currency: str = ""  # money and rate columns: the ISO code their numbers are in


@dataclass(frozen=True, slots=True)
class Chart:
    """A chart over the table: categories from one column, one series per value column."""

    kind: ChartKind
    title: str
    category: int = 0
    values: tuple[int, ...] = (1,)


@dataclass(frozen=True, slots=True)
class Table:
    key: str  # stable id: the sheet name's source and the page anchor
    title: str
    columns: tuple[Column, ...]
    rows: Sequence[Sequence[Cell]]
    chart: Chart | None = None
    note: str = ""
    links: Sequence[str] = field(default=())  # per row: the drill-down URL behind it ("" = none)


@dataclass(frozen=True, slots=True)
class Definition:
    name: str
    formula: str
    unit: str
    needs: str = ""  # data the platform does not hold yet; the KPI is shown as not computable


@dataclass(frozen=True, slots=True)
class Report:
    title: str
    subtitle: str  # period, currency and filters, in words
    tables: Sequence[Table]
    definitions: Sequence[Definition] = ()
    generated: datetime.datetime | None = None


def cell_text(column: Column, value: Cell) -> str:
    """A cell as the page and the PDF show it (exact: money from minor units, no floats)."""
    if isinstance(value, Typed):
        return cell_text(Column(column.header, value.kind, value.currency), value.value)
    if value is None or value == "":
        return "—"
    if column.kind == "money" and isinstance(value, int):
        return _money_text(value, column.currency)
    if column.kind == "percent" and isinstance(value, int | Decimal):
        return f"{Decimal(value) * 100:.1f}%"
    if column.kind == "ratio" and isinstance(value, int | Decimal):
        return f"{Decimal(value):,.2f}"
    if column.kind in ("hours", "days") and isinstance(value, int | Decimal):
        return f"{Decimal(value):,.1f}" if column.kind == "days" else f"{Decimal(value):,.2f}"
    if column.kind == "rate" and isinstance(value, int | Decimal):
        return f"{Decimal(value):,.2f} {column.currency}".strip()
    if column.kind == "int" and isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def _money_text(minor: int, code: str) -> str:
    try:
        return f"{from_minor(minor, code):,f} {code}"
    except MoneyError:
        return f"{minor} {code}"


def chart_number(column: Column, value: Cell) -> Decimal | None:
    """A cell as a chart's value: money in major units, percentages out of 100 (exact)."""
    if isinstance(value, Typed):
        return chart_number(Column(column.header, value.kind, value.currency), value.value)
    if not isinstance(value, int | Decimal):
        return None
    if column.kind == "money" and isinstance(value, int):
        try:
            return from_minor(value, column.currency)
        except MoneyError:
            return Decimal(value)
    if column.kind == "percent":
        return Decimal(value) * 100
    return Decimal(value)


@dataclass(frozen=True, slots=True)
class ChartData:
    kind: str
    title: str
    labels: list[str]
    series: list[tuple[str, list[Decimal | None]]]
    links: list[str]


def chart_data(table: Table) -> ChartData | None:
    """The table's chart as labels and series: what Chart.js on the page and the PDF's SVG draw."""
    spec = table.chart
    if spec is None:
        return None
    category = table.columns[spec.category]
    values = spec.values[:1] if spec.kind == "pie" else spec.values
    return ChartData(
        kind=spec.kind,
        title=spec.title,
        labels=[cell_text(category, row[spec.category]) for row in table.rows],
        series=[
            (
                table.columns[c].header,
                [chart_number(table.columns[c], row[c]) for row in table.rows],
            )
            for c in values
        ],
        links=list(table.links),
    )
