"""A small fixed dataset for the KPI tests, built row by row so that every expected number
can be computed by hand (the comments next to each test show the arithmetic)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from legalops.invoices.models import Invoice, InvoiceLine, State


def invoice(
    *,
    firm: Any,
    matter: Any,
    number: str,
    day: datetime.date,
    state: str = State.APPROVED,
    currency: str = "USD",
    lines: list[dict[str, Any]],
) -> Invoice:
    """An invoice with its lines; totals are the sums of the lines (no tax)."""
    billed = sum(line["billed"] for line in lines)
    approved = sum(line.get("approved", line["billed"]) for line in lines)
    fees = sum(line["billed"] for line in lines if line.get("kind", "F") == "F")
    hours = sum((Decimal(line.get("hours", "0")) for line in lines), Decimal(0))
    made = Invoice.objects.create(
        firm=firm,
        matter=matter,
        invoice_number=number,
        state=state,
        source="seed",
        invoice_date=day,
        received_on=day,
        received_at=datetime.datetime.combine(day, datetime.time(9), tzinfo=datetime.UTC),
        currency=currency,
        billed_minor=billed,
        billed_fees_minor=fees,
        billed_expenses_minor=billed - fees,
        approved_minor=approved,
        hours=hours,
    )
    for index, line in enumerate(lines):
        InvoiceLine.objects.create(
            invoice=made,
            index=index,
            line_item_number=str(index + 1),
            kind=line.get("kind", "F"),
            units=Decimal(line.get("hours", "1")),
            billed_total=Decimal(line["billed"]) / 100,
            billed_minor=line["billed"],
            approved_minor=line.get("approved", line["billed"]),
            classification=line.get("cls", ""),
            timekeeper=line.get("timekeeper"),
        )
    return made
