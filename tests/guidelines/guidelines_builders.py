"""Builders for the engine's plain records (imported by the guidelines tests)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from legalops.guidelines.config import Guidelines, parse_guidelines
from legalops.guidelines.engine import review
from legalops.guidelines.rates import RateBook, parse_rates
from legalops.guidelines.records import Invoice, Line, ReviewContext
from legalops.guidelines.results import Flag, InvoiceResult

DATA = Path(__file__).parent / "data"
AS_OF = date(2026, 3, 10)
FIRM = "36-1234567"
MATTER = "M-100"


def fee(
    number: str = "1",
    narrative: str = "Draft motion to compel production of 2024 sales ledgers",
    **kw: Any,
) -> Line:
    """A plain, compliant fee line; keyword arguments override any field."""
    units = Decimal(str(kw.pop("units", "2.0")))
    rate = Decimal(str(kw.pop("unit_cost", "300")))
    values: dict[str, Any] = {
        "number": number,
        "kind": "F",
        "total": units * rate + Decimal(str(kw.get("adjustment", 0))),
        "date": date(2026, 2, 10),
        "units": units,
        "unit_cost": rate,
        "task_code": "L310",
        "activity_code": "A103",
        "timekeeper_id": "TK1",
        "timekeeper_name": "Arnsley, Robert",
        "classification": "PARTNR",
        "narrative": narrative,
        "position": int(number) + 2 if number.isdigit() else 0,
    }
    values.update(
        {k: (Decimal(str(v)) if k in ("total", "adjustment") else v) for k, v in kw.items()}
    )
    return Line(**values)


def expense(
    number: str = "9", narrative: str = "Court reporter fee, deposition of J. Ruiz", **kw: Any
) -> Line:
    units = Decimal(str(kw.pop("units", "1")))
    cost = Decimal(str(kw.pop("unit_cost", "250")))
    values: dict[str, Any] = {
        "number": number,
        "kind": "E",
        "total": units * cost,
        "date": date(2026, 2, 11),
        "units": units,
        "unit_cost": cost,
        "expense_code": "E115",
        "narrative": narrative,
    }
    values.update({k: (Decimal(str(v)) if k == "total" else v) for k, v in kw.items()})
    return Line(**values)


def invoice(*lines: Line, **kw: Any) -> Invoice:
    values: dict[str, Any] = {
        "invoice_number": "INV-1",
        "law_firm_id": FIRM,
        "lines": lines,
        "client_matter_id": MATTER,
        "invoice_date": date(2026, 3, 3),
        "billing_start": date(2026, 2, 1),
        "billing_end": date(2026, 2, 28),
    }
    values.update(kw)
    return Invoice(**values)


def guidelines(toml: str) -> Guidelines:
    header = '[guidelines]\nname = "Test"\nversion = "1"\n'
    return parse_guidelines((header + toml).encode(), "test.toml")


RATES_HEADER = "law_firm_id,timekeeper_id,timekeeper_name,classification,rate,currency,effective_from,effective_to,client_matter_id\n"  # noqa: E501


def rates(*rows: str) -> RateBook:
    return parse_rates(RATES_HEADER + "\n".join(rows) + "\n", "RATES.csv")


def run(
    inv: Invoice, toml: str = "", *, book: RateBook | None = None, **context: Any
) -> InvoiceResult:
    ctx = ReviewContext(as_of=context.pop("as_of", AS_OF), **context)
    return review(inv, ctx, guidelines(toml), rates=book)


def flags(result: InvoiceResult, rule: str) -> list[tuple[str, Flag]]:
    """(line number or "invoice", flag) for every flag of `rule`."""
    found = [("invoice", f) for f in result.flags if f.rule == rule]
    for line in result.lines:
        found += [(line.line.number, f) for f in line.flags if f.rule == rule]
    return found


def skipped(result: InvoiceResult) -> dict[str, str]:
    return {s.rule: s.reason for s in result.skipped}
