"""LEDES records (legalops.ledes.model) -> the engine's plain input records (records.py).

The only place the review engine knows about LEDES; the platform builds the same records from
its database instead.
"""

from __future__ import annotations

from decimal import Decimal

from legalops.guidelines.records import Invoice, Line
from legalops.ledes import model

_ZERO = Decimal(0)


def invoice_from_ledes(source: model.Invoice) -> Invoice:
    return Invoice(
        invoice_number=source.invoice_number,
        law_firm_id=source.law_firm_id or "",
        lines=tuple(line_from_ledes(item, source) for item in source.line_items),
        client_matter_id=source.client_matter_id or "",
        invoice_date=source.invoice_date,
        billing_start=source.billing_start_date,
        billing_end=source.billing_end_date,
        currency=source.currency,
        client_id=source.client_id or "",
        law_firm_matter_id=source.law_firm_matter_id or "",
    )


def line_from_ledes(item: model.LineItem, invoice: model.Invoice) -> Line:
    return Line(
        number=item.line_item_number,
        kind=item.type,
        total=item.total if item.total is not None else _ZERO,
        date=item.date,
        units=item.units,
        unit_cost=item.unit_cost,
        adjustment=item.adjustment_amount or _ZERO,
        task_code=item.task_code or "",
        activity_code=item.activity_code or "",
        expense_code=item.expense_code or "",
        timekeeper_id=item.timekeeper_id or "",
        timekeeper_name=_timekeeper_name(item),
        classification=item.timekeeper_classification or "",
        narrative=item.description or "",
        position=item.line or 0,
        client_matter_id=item.client_matter_id or invoice.client_matter_id or "",
    )


def _timekeeper_name(item: model.LineItem) -> str:
    """TIMEKEEPER_NAME, else 98BI's last and first name as "Last, First"."""
    if item.timekeeper_name:
        return item.timekeeper_name
    parts = [part for part in (item.timekeeper_last_name, item.timekeeper_first_name) if part]
    return ", ".join(parts)
