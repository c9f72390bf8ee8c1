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


def ledes_from_invoice(invoice: Invoice) -> model.Invoice:
    """The reverse: engine records as a LEDES invoice, for `legalops.ledes.write` (test and
    benchmark files, and the platform's pre-flight exports)."""
    items = tuple(_item(line) for line in invoice.lines)
    return model.Invoice(
        invoice_number=invoice.invoice_number,
        invoice_date=invoice.invoice_date,
        law_firm_id=invoice.law_firm_id,
        client_id=invoice.client_id or "CLIENT",
        client_matter_id=invoice.client_matter_id,
        law_firm_matter_id=invoice.law_firm_matter_id or invoice.client_matter_id,
        billing_start_date=invoice.billing_start,
        billing_end_date=invoice.billing_end,
        description="For services rendered",
        currency=invoice.currency,
        total=sum((line.total for line in invoice.lines), _ZERO),
        line_items=items,
    )


def _item(line: Line) -> model.LineItem:
    return model.LineItem(
        line_item_number=line.number,
        type=line.kind,
        total=line.total,
        date=line.date,
        units=line.units,
        unit_cost=line.unit_cost,
        adjustment_amount=line.adjustment,
        task_code=line.task_code or None,
        activity_code=line.activity_code or None,
        expense_code=line.expense_code or None,
        timekeeper_id=line.timekeeper_id or None,
        timekeeper_name=line.timekeeper_name or None,
        timekeeper_classification=line.classification or None,
        description=line.narrative or None,
        client_matter_id=line.client_matter_id or None,
    )
