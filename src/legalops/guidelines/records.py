"""The engine's input records: plain, frozen values with no tie to LEDES or to Django.

Offline review builds them from a parsed LEDES file (`adapter.py`); the platform builds the
same records from its database, so both get the same flags (spec/cli.md `invoices show`).
Platform-only data (earlier invoices, the matter, budgets) is optional: rules that need it are
skipped, and the output says why.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import NamedTuple

FEE = "F"
EXPENSE = "E"
FEE_ADJUSTMENT = "IF"
EXPENSE_ADJUSTMENT = "IE"
_ZERO = Decimal(0)


class Line(NamedTuple):
    """One line item. Money and units keep the precision the invoice gave. A NamedTuple, not
    a dataclass: a 200,000-line invoice builds 200,000 of them, six times faster this way."""

    number: str  # LINE_ITEM_NUMBER
    kind: str  # "F", "E", "IF" or "IE"
    total: Decimal  # LINE_ITEM_TOTAL (98BI: tax included, as billed)
    date: date | None = None
    units: Decimal | None = None
    unit_cost: Decimal | None = None
    adjustment: Decimal = _ZERO
    task_code: str = ""
    activity_code: str = ""
    expense_code: str = ""
    timekeeper_id: str = ""
    timekeeper_name: str = ""
    classification: str = ""
    narrative: str = ""
    position: int = 0  # 1-based line of the record in the source text; 0 when not from a file
    client_matter_id: str = ""  # when one invoice carries several matters; else the invoice's

    @property
    def is_fee(self) -> bool:
        return self.kind == FEE

    @property
    def is_expense(self) -> bool:
        return self.kind == EXPENSE


@dataclass(frozen=True, slots=True)
class Invoice:
    invoice_number: str
    law_firm_id: str
    lines: tuple[Line, ...]
    client_matter_id: str = ""
    invoice_date: date | None = None
    billing_start: date | None = None
    billing_end: date | None = None
    currency: str | None = None  # stated by the file (98BI, XML); None for LEDES 1998B
    client_id: str = ""
    law_firm_matter_id: str = ""


@dataclass(frozen=True, slots=True)
class RateEntry:
    """One approved rate (a RATES.csv row). An empty `timekeeper_id` makes it a rate for the
    whole `classification` at the firm; a `client_matter_id` scopes it to one matter."""

    law_firm_id: str
    timekeeper_id: str
    timekeeper_name: str
    classification: str
    rate: Decimal
    currency: str
    effective_from: date
    effective_to: date | None = None  # inclusive; None = open-ended
    client_matter_id: str = ""
    source_line: int = 0

    def covers(self, day: date) -> bool:
        return self.effective_from <= day and (
            self.effective_to is None or day <= self.effective_to
        )


@dataclass(frozen=True, slots=True)
class Matter:
    """Platform data about the matter an invoice bills (all optional)."""

    client_matter_id: str
    matter_type: str = ""
    currency: str | None = None
    closed: date | None = None
    code_sets: tuple[str, ...] | None = None  # overrides the rule's `code_sets` when given


@dataclass(frozen=True, slots=True)
class Budget:
    """An approved budget and what is already approved against it. `phase` is a UTBMS phase
    such as "L300", or "" for the whole matter."""

    amount: Decimal
    approved_to_date: Decimal
    currency: str
    phase: str = ""
    label: str = ""


@dataclass(frozen=True, slots=True)
class ReviewContext:
    """Everything besides the invoice and the guidelines. `None` means "not known here"
    (the rules that need it are skipped); an empty tuple means "known to be empty"."""

    as_of: date
    rates: tuple[RateEntry, ...] | None = None
    matter: Matter | None = None
    budgets: tuple[Budget, ...] | None = None
    history: tuple[Invoice, ...] | None = None  # earlier invoices of the same firm
    default_currency: str | None = None  # the company's; else the guidelines' currency
