"""The backtest report as an Excel workbook (XlsxWriter): a summary sheet, one sheet per rule,
firm and matter table, and every replayed invoice. Amounts are numbers in their currency (a
currency column says which); the stored minor units are exact, Excel's numbers are doubles."""

from __future__ import annotations

import io
from typing import Any

import xlsxwriter
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from legalops.backtests import selectors
from legalops.backtests.models import Backtest
from legalops.core.money import from_minor

# (header, key, kind): kind "money" is minor units in the row's currency.
Column = tuple[str, str, str]
GROUP_MONEY: list[Column] = [
    ("Currency", "currency", "text"),
    ("Invoices", "invoices", "int"),
    ("Lines", "lines", "int"),
    ("Billed", "billed_minor", "money"),
    ("Flags (backtest)", "flags", "int"),
    ("Flagged lines (backtest)", "flagged_lines", "int"),
    ("Would approve", "approved_minor", "money"),
    ("Would save", "saved_minor", "money"),
    ("Flags (actual)", "actual_flags", "int"),
    ("Flagged lines (actual)", "actual_flagged_lines", "int"),
    ("Approved (actual)", "actual_approved_minor", "money"),
    ("Saved (actual)", "actual_saved_minor", "money"),
    ("Difference in savings", "difference_minor", "money"),
]
RULE_COLUMNS: list[Column] = [
    ("Rule", "rule", "text"),
    ("Currency", "currency", "text"),
    ("Invoices flagged", "invoices", "int"),
    ("Flags", "flags", "int"),
    ("Lines flagged", "lines", "int"),
    ("Would save", "would_save_minor", "money"),
    ("Invoices flagged (version used)", "actual_invoices", "int"),
    ("Flags (version used)", "actual_flags", "int"),
    ("Lines flagged (version used)", "actual_lines", "int"),
    ("Proposed (version used)", "used_would_save_minor", "money"),
    ("Kept after review and appeals", "kept_minor", "money"),
    ("Difference in flags", "flags_difference", "int"),
    ("Difference in savings", "difference_minor", "money"),
]
FIRM_COLUMNS: list[Column] = [
    ("Firm", "firm__name", "text"),
    ("LAW_FIRM_ID", "firm__law_firm_id", "text"),
    *GROUP_MONEY,
]
MATTER_COLUMNS: list[Column] = [
    ("Matter", "matter__number", "text"),
    ("Name", "matter__name", "text"),
    *GROUP_MONEY,
]
INVOICE_COLUMNS: list[Column] = [
    ("Invoice", "invoice_number", "text"),
    ("Invoice date", "invoice_date", "text"),
    ("Firm", "firm", "text"),
    ("Matter", "matter", "text"),
    ("State", "state", "text"),
    ("Version used", "version_used", "text"),
    *[c for c in GROUP_MONEY if c[1] != "invoices"],
]


def report_xlsx(backtest: Backtest) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    formats = {
        "bold": book.add_format({"bold": True}),
        "money": book.add_format({"num_format": "#,##0.00"}),
    }
    report = selectors.report(backtest)
    _summary(book, backtest, report, formats)
    _table(book, "By rule", RULE_COLUMNS, report["by_rule"], formats)
    _table(book, "By firm", FIRM_COLUMNS, report["by_firm"], formats)
    _table(book, "By matter", MATTER_COLUMNS, report["by_matter"], formats)
    _table(book, "Invoices", INVOICE_COLUMNS, invoice_rows(backtest), formats)
    book.close()
    return buffer.getvalue()


def invoice_rows(backtest: Backtest) -> list[dict[str, Any]]:
    rows = []
    for item in selectors.backtest_items(backtest).order_by("invoice__invoice_date", "pk"):
        version = item.actual_guidelines
        rows.append(
            {
                "invoice_number": item.invoice.invoice_number,
                "invoice_date": str(item.invoice.invoice_date),
                "firm": item.firm.name,
                "matter": item.matter.number,
                "state": item.state,
                "version_used": f"{version.name} {version.version}" if version else "",
                "currency": item.currency,
                "lines": item.lines,
                "billed_minor": item.billed_minor,
                "flags": item.flags,
                "flagged_lines": item.flagged_lines,
                "approved_minor": item.approved_minor,
                "saved_minor": item.saved_minor,
                "actual_flags": item.actual_flags,
                "actual_flagged_lines": item.actual_flagged_lines,
                "actual_approved_minor": item.actual_approved_minor,
                "actual_saved_minor": item.actual_saved_minor,
                "difference_minor": item.saved_minor - item.actual_saved_minor,
            }
        )
    return rows


def _summary(book: Workbook, backtest: Backtest, report: dict[str, Any], formats: Any) -> None:
    sheet = book.add_worksheet("Summary")
    sheet.set_column(0, 0, 28)
    sheet.set_column(1, 1, 60)
    facts = [
        ("Backtest", str(backtest.pk)),
        ("Guidelines replayed", backtest.guidelines_label),
        ("sha256", backtest.guidelines_sha256),
        ("Invoices dated", f"{backtest.period_from} to {backtest.period_to}"),
        ("Firm", backtest.firm.name if backtest.firm else "every firm"),
        ("Matter", backtest.matter.number if backtest.matter else "every matter"),
        ("Invoices replayed", str(backtest.invoices_total)),
        ("Lines replayed", str(backtest.lines_total)),
        ("Finished", str(backtest.finished_at or "")),
    ]
    for row, (label, value) in enumerate(facts):
        sheet.write_string(row, 0, label, formats["bold"])
        sheet.write_string(row, 1, value)
    start = len(facts) + 1
    sheet.write_string(start, 0, "Totals", formats["bold"])
    _write(sheet, start + 1, GROUP_MONEY, report["totals"], formats)


def _table(
    book: Workbook, name: str, columns: list[Column], rows: list[dict[str, Any]], formats: Any
) -> None:
    sheet = book.add_worksheet(name)
    _write(sheet, 0, columns, rows, formats)
    sheet.freeze_panes(1, 0)


def _write(
    sheet: Worksheet, top: int, columns: list[Column], rows: list[dict[str, Any]], formats: Any
) -> None:
    for col, (header, _, _) in enumerate(columns):
        sheet.write_string(top, col, header, formats["bold"])
        sheet.set_column(col, col, max(12, len(header) + 2))
    for offset, row in enumerate(rows, start=1):
        for col, (_, key, kind) in enumerate(columns):
            value = row.get(key)
            if kind == "money":
                amount = from_minor(int(value or 0), row["currency"])
                sheet.write_number(top + offset, col, float(amount), formats["money"])
            elif kind == "int":
                sheet.write_number(top + offset, col, int(value or 0))
            else:
                sheet.write_string(top + offset, col, "" if value is None else str(value))
