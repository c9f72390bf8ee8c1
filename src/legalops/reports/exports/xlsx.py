"""A report as an Excel workbook (XlsxWriter): one sheet per table with typed cells (money in
the currency's own number format, percentages, hours, dates), a frozen header row, an autofilter,
a native Excel chart over the sheet's own cells, and a Definitions sheet naming each KPI's formula
and unit. Excel numbers are doubles, so money is converted from exact minor units only here, at
the last step."""

from __future__ import annotations

import datetime
import io
import re
from decimal import Decimal

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from legalops.core.money import MoneyError, currency, from_minor
from legalops.reports.exports.tables import Cell, Column, Report, Table, Typed

HEADER_ROW = 3  # title, subtitle, blank, then the header
MAX_WIDTH = 60
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_FORMATS = {
    "int": "#,##0",
    "percent": "0.0%",
    "hours": "#,##0.00",
    "rate": "#,##0.00##",
    "ratio": "0.00",
    "days": "#,##0.0",
    "date": "yyyy-mm-dd",
}
_EXCEL_CHART = {"line": "line", "column": "column", "bar": "bar", "pie": "pie"}


def report_xlsx(report: Report) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "remove_timezone": True})
    book.set_properties({"title": report.title, "subject": report.subtitle})
    styles = _Styles(book)
    used: set[str] = set()
    for table in report.tables:
        _write_table(book, styles, _sheet_name(table.title, used), report, table)
    if report.definitions:
        _write_definitions(book, styles, report)
    book.close()
    return buffer.getvalue()


class _Styles:
    """The workbook's formats, created once (XlsxWriter formats belong to one workbook)."""

    def __init__(self, book: Workbook) -> None:
        self.book = book
        self.title = book.add_format({"bold": True, "font_size": 14})
        self.muted = book.add_format({"italic": True, "font_color": "#555555"})
        self.header = book.add_format({"bold": True, "bottom": 1, "bg_color": "#DCE6F1"})
        self.wrap = book.add_format({"text_wrap": True, "valign": "top"})
        self._by_format: dict[str, Format] = {}

    def for_column(self, column: Column) -> Format | None:
        if column.kind == "money":
            return self._get(_money_format(column.currency))
        if column.kind == "rate" and column.currency:
            return self._get(f'#,##0.00## "{column.currency}"')
        pattern = _FORMATS.get(column.kind)
        return self._get(pattern) if pattern else None

    def _get(self, pattern: str) -> Format:
        if pattern not in self._by_format:
            self._by_format[pattern] = self.book.add_format({"num_format": pattern})
        return self._by_format[pattern]


def _money_format(code: str) -> str:
    try:
        places = currency(code).minor_unit
    except MoneyError:
        places = 2
    decimals = "." + "0" * places if places else ""
    return f'#,##0{decimals} "{code}";-#,##0{decimals} "{code}"'


def _sheet_name(title: str, used: set[str]) -> str:
    """Excel allows 31 characters, none of []:*?/\\, and unique names (case-insensitively)."""
    base = _SHEET_FORBIDDEN.sub(" ", title).strip()[:31] or "Sheet"
    name, n = base, 2
    while name.lower() in used or name.lower() == "definitions":
        suffix = f" ({n})"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(name.lower())
    return name


def _write_table(book: Workbook, styles: _Styles, name: str, report: Report, table: Table) -> None:
    sheet = book.add_worksheet(name)
    sheet.write_string(0, 0, table.title, styles.title)
    sheet.write_string(1, 0, _subtitle(report, table), styles.muted)
    widths = [len(c.header) + 2 for c in table.columns]
    for col, column in enumerate(table.columns):
        sheet.write_string(HEADER_ROW, col, column.header, styles.header)
    for r, row in enumerate(table.rows, start=HEADER_ROW + 1):
        for col, (column, value) in enumerate(zip(table.columns, row, strict=True)):
            shown = _write_cell(sheet, r, col, column, value, styles)
            widths[col] = max(widths[col], len(shown) + 2)
    for col, width in enumerate(widths):
        sheet.set_column(col, col, min(width, MAX_WIDTH))
    sheet.freeze_panes(HEADER_ROW + 1, 0)
    last = HEADER_ROW + len(table.rows)
    if table.columns:
        sheet.autofilter(HEADER_ROW, 0, max(last, HEADER_ROW), len(table.columns) - 1)
    if table.chart and table.rows:
        _add_chart(book, sheet, name, table, len(table.columns) + 1)


def _subtitle(report: Report, table: Table) -> str:
    parts = [report.title, report.subtitle]
    if table.note:
        parts.append(table.note)
    return " · ".join(p for p in parts if p)


def _write_cell(
    sheet: Worksheet, row: int, col: int, column: Column, value: Cell, styles: _Styles
) -> str:
    """Writes one typed cell; returns its text as shown, for the column width."""
    if isinstance(value, Typed):
        own = Column(column.header, value.kind, value.currency)
        return _write_cell(sheet, row, col, own, value.value, styles)
    fmt = styles.for_column(column)
    if value is None or value == "":
        sheet.write_blank(row, col, None, fmt)
        return ""
    if column.kind == "money" and isinstance(value, int):
        amount = _major(value, column.currency)
        sheet.write_number(row, col, float(amount), fmt)
        return f"{amount:,f} {column.currency}"
    if column.kind == "date" and isinstance(value, datetime.date):
        sheet.write_datetime(row, col, datetime.datetime.combine(value, datetime.time()), fmt)
        return "yyyy-mm-dd"
    if isinstance(value, int | Decimal) and column.kind != "text":
        sheet.write_number(row, col, float(value), fmt)
        return f"{value:,}" if column.kind != "percent" else "100.0%"
    sheet.write_string(row, col, str(value))
    return str(value)


def _major(minor: int, code: str) -> Decimal:
    try:
        return from_minor(minor, code)
    except MoneyError:
        return Decimal(minor).scaleb(-2)


def _add_chart(book: Workbook, sheet: Worksheet, name: str, table: Table, at_col: int) -> None:
    spec = table.chart
    assert spec is not None
    chart = book.add_chart({"type": _EXCEL_CHART[spec.kind]})
    assert chart is not None
    first, last = HEADER_ROW + 1, HEADER_ROW + len(table.rows)
    values = spec.values[:1] if spec.kind == "pie" else spec.values
    for col in values:
        chart.add_series(
            {
                "name": [name, HEADER_ROW, col],
                "categories": [name, first, spec.category, last, spec.category],
                "values": [name, first, col, last, col],
            }
        )
    chart.set_title({"name": spec.title})
    if spec.kind != "pie":
        chart.set_legend({"position": "bottom"})
    chart.set_size({"width": 640, "height": 360})
    sheet.insert_chart(HEADER_ROW, at_col, chart)


def _write_definitions(book: Workbook, styles: _Styles, report: Report) -> None:
    sheet = book.add_worksheet("Definitions")
    sheet.write_string(0, 0, "Definitions", styles.title)
    sheet.write_string(1, 0, report.subtitle, styles.muted)
    headers = ("KPI", "Formula", "Unit", "Needs data")
    for col, header in enumerate(headers):
        sheet.write_string(HEADER_ROW, col, header, styles.header)
    for r, d in enumerate(report.definitions, start=HEADER_ROW + 1):
        for col, text in enumerate((d.name, d.formula, d.unit, d.needs)):
            sheet.write_string(r, col, text, styles.wrap)
    for col, width in enumerate((34, 80, 14, 40)):
        sheet.set_column(col, col, width)
    sheet.freeze_panes(HEADER_ROW + 1, 0)
    sheet.autofilter(HEADER_ROW, 0, HEADER_ROW + len(report.definitions), len(headers) - 1)
