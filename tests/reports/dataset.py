"""A small fixed dataset for the KPI tests, built row by row so that every expected number
can be computed by hand (the tests show the arithmetic next to each expectation)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from legalops.appeals.models import Appeal
from legalops.invoices.models import Adjustment, Invoice, InvoiceLine, State, StateChange
from legalops.organization.models import Currency, FxRate

D = datetime.date


def at(day: datetime.date, hour: int = 9) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=datetime.UTC)


def currencies(*rates: tuple[str, datetime.date, str]) -> None:
    """EUR->USD rates (base, date, rate)."""
    for code in ("USD", "EUR"):
        Currency.objects.get_or_create(code=code, defaults={"name": code, "minor_unit": 2})
    for base, day, rate in rates:
        FxRate.objects.create(base_id=base, quote_id="USD", date=day, rate=Decimal(rate))


def invoice(
    *,
    firm: Any,
    matter: Any,
    number: str,
    day: datetime.date,
    state: str = State.APPROVED,
    currency: str = "USD",
    lines: list[dict[str, Any]],
    **extra: Any,
) -> Invoice:
    """An invoice with its lines; totals are the sums of the lines (no tax). A line is a dict:
    billed (minor), approved (default billed), hours, kind ("F"/"E"), cls, timekeeper, flags,
    reduced (an adjustment of -reduced), reinstated (given back on appeal), date (the work
    date; none by default)."""
    billed = sum(line["billed"] for line in lines)
    approved = sum(_approved(line) for line in lines)
    fees = sum(line["billed"] for line in lines if line.get("kind", "F") == "F")
    made = Invoice.objects.create(
        firm=firm,
        matter=matter,
        invoice_number=number,
        state=state,
        source="seed",
        invoice_date=day,
        received_on=day,
        received_at=extra.pop("received_at", at(day)),
        currency=currency,
        billed_minor=billed,
        billed_fees_minor=fees,
        billed_expenses_minor=billed - fees,
        approved_minor=approved,
        **extra,
    )
    for index, line in enumerate(lines):
        _line(made, index, line)
    return made


def _approved(line: dict[str, Any]) -> int:
    return int(line["billed"] - line.get("reduced", 0) + line.get("reinstated", 0))


def _line(invoice: Invoice, index: int, line: dict[str, Any]) -> None:
    kind = line.get("kind", "F")
    row = InvoiceLine.objects.create(
        invoice=invoice,
        index=index,
        line_item_number=str(index + 1),
        kind=kind,
        date=line.get("date"),
        units=Decimal(line.get("hours", "1")),
        billed_total=Decimal(line["billed"]) / 100,
        billed_minor=line["billed"],
        approved_minor=_approved(line),
        classification=line.get("cls", ""),
        timekeeper=line.get("timekeeper"),
        flag_count=line.get("flags", 0),
    )
    if line.get("reduced"):
        Adjustment.objects.create(
            invoice=invoice,
            line=row,
            amount_minor=-line["reduced"],
            reinstated_minor=line.get("reinstated", 0),
            reason_code="rate",
        )


def moved(invoice: Invoice, to_state: str, when: datetime.datetime) -> None:
    StateChange.objects.create(invoice=invoice, from_state="", to_state=to_state, at=when)


def appealed(invoice: Invoice) -> None:
    Appeal.objects.create(invoice=invoice, status="decided", prior_state=State.APPROVED_ADJUSTED)


def approved_budget(matter: Any, firm: Any, currency: str, total: int, year: int = 2026) -> None:
    """A matter budget of the fiscal year with an approved version of `total` minor units."""
    from legalops.matters.models import Budget, BudgetVersion

    budget = Budget.objects.create(matter=matter, firm=firm, fiscal_year=year, currency=currency)
    version = BudgetVersion.objects.create(
        budget=budget, number=1, status="approved", total_minor=total
    )
    Budget.objects.filter(pk=budget.pk).update(approved_version=version)
