"""The normalised LEDES model: immutable records that look the same whatever format they came from.

Money and quantities are `Decimal` exactly as billed (no rounding: `Decimal("0.200")` stays
three places). A value the file left blank is `None`; a value that failed validation is also
`None` on the record (the error is in `ParseResult.issues`). Every record keeps its source
position: `line` is the 1-based line of the LEDES text after any S/MIME envelope is removed
(marker = line 1); for XML, `line` is the start tag's line and `path` its XPath-like location.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Literal

from legalops.ledes.formats import EXPERIMENTAL_FORMATS

LineType = Literal["F", "E", "IF", "IE"]
Level = Literal["error", "warning"]

FEE_TYPES = frozenset({"F", "IF"})
EXPENSE_TYPES = frozenset({"E", "IE"})
ADJUSTMENT_TYPES = frozenset({"IF", "IE"})


@dataclass(frozen=True, slots=True)
class Issue:
    """One validation finding. `code` is stable (spec/cli.md); `message` is for a billing clerk
    and starts with the position ("line 5: LINE_ITEM_TOTAL 670.50 should be ...")."""

    level: Level
    code: str
    message: str
    line: int | None = None
    path: str | None = None
    field: str | None = None

    def as_json(self) -> dict[str, object]:
        """The JSON object of `ledes validate --json` (keys in contract order)."""
        return {
            "line": self.line,
            "path": self.path,
            "field": self.field,
            "code": self.code,
            "message": self.message,
        }


@dataclass(frozen=True, slots=True)
class Party:
    """A law firm or client as the file describes it (98BI header fields, XML firm/client)."""

    name: str | None = None
    address_1: str | None = None
    address_2: str | None = None
    city: str | None = None
    state_or_region: str | None = None
    postcode: str | None = None
    country: str | None = None
    tax_id: str | None = None


@dataclass(frozen=True, slots=True)
class Tax:
    """A tax: on a line (98BI LINE_ITEM_TAX_*, XML tax_item_* links) or declared by the firm
    (XML `tax` segment). `rate` is a fraction (0.175 = 17.5 %)."""

    tax_type: str | None = None
    rate: Decimal | None = None
    amount: Decimal | None = None
    tax_id: str | None = None
    jurisdiction: str | None = None
    line: int | None = None
    path: str | None = None


@dataclass(frozen=True, slots=True)
class Timekeeper:
    """A timekeeper named by the invoice (XML `tksum`, or gathered from 1998B/98BI fee lines)."""

    timekeeper_id: str
    name: str | None = None
    last_name: str | None = None
    first_name: str | None = None
    classification: str | None = None
    rate: Decimal | None = None
    line: int | None = None
    path: str | None = None


@dataclass(frozen=True, slots=True)
class Matter:
    """A matter billed on the invoice; an invoice may carry several."""

    client_matter_id: str | None = None
    law_firm_matter_id: str | None = None
    name: str | None = None
    po_number: str | None = None
    line: int | None = None
    path: str | None = None


@dataclass(frozen=True, slots=True)
class LineItem:
    """One line item. `type` is F (fee), E (expense), IF/IE (invoice-level fee/expense
    adjustment). `total` is the billed LINE_ITEM_TOTAL: in 98BI and XML it includes the line tax
    (`tax_total`). Adjustments are signed: negative = discount."""

    line_item_number: str
    type: str
    total: Decimal | None
    date: date | None
    units: Decimal | None = None
    unit_cost: Decimal | None = None
    adjustment_amount: Decimal | None = None
    task_code: str | None = None
    activity_code: str | None = None
    expense_code: str | None = None
    timekeeper_id: str | None = None
    timekeeper_name: str | None = None
    timekeeper_last_name: str | None = None
    timekeeper_first_name: str | None = None
    timekeeper_classification: str | None = None
    description: str | None = None
    client_matter_id: str | None = None
    law_firm_matter_id: str | None = None
    tax_rate: Decimal | None = None
    tax_total: Decimal | None = None
    tax_type: str | None = None
    taxes: tuple[Tax, ...] = ()
    charge_type: str | None = None  # XML: U (units x rate) or F (fixed amount)
    base_amount: Decimal | None = None  # XML base_amount; text formats: units x unit cost
    line: int | None = None
    path: str | None = None

    @property
    def is_fee(self) -> bool:
        return self.type in FEE_TYPES

    @property
    def is_expense(self) -> bool:
        return self.type in EXPENSE_TYPES

    @property
    def is_adjustment(self) -> bool:
        return self.type in ADJUSTMENT_TYPES


@dataclass(frozen=True, slots=True)
class Invoice:
    """An invoice header normalised across formats, with its line items in file order.

    `currency` is None for 1998B (the format has no currency field; the receiver decides).
    `total` is INVOICE_TOTAL (XML: inv_total_net_due, the amount due including tax);
    `tax_total` and `net_total` are the 98BI INVOICE_TAX_TOTAL / INVOICE_NET_TOTAL (net = before
    tax) and the XML inv_total_tax / total minus tax.
    """

    invoice_number: str
    invoice_date: date | None
    law_firm_id: str | None
    client_id: str | None
    client_matter_id: str | None
    law_firm_matter_id: str | None
    billing_start_date: date | None
    billing_end_date: date | None
    description: str | None
    currency: str | None
    total: Decimal | None
    line_items: tuple[LineItem, ...]
    tax_total: Decimal | None = None
    net_total: Decimal | None = None
    reported_tax_total: Decimal | None = None
    tax_currency: str | None = None
    account_type: str | None = None
    due_date: date | None = None
    payment_terms: str | None = None
    law_firm: Party | None = None
    client: Party | None = None
    matters: tuple[Matter, ...] = ()
    timekeepers: tuple[Timekeeper, ...] = ()
    taxes: tuple[Tax, ...] = ()
    source_format: str = ""
    line: int | None = None
    path: str | None = None

    @property
    def matter_name(self) -> str | None:
        return self.matters[0].name if self.matters else None

    @property
    def po_number(self) -> str | None:
        return self.matters[0].po_number if self.matters else None


@dataclass(frozen=True, slots=True)
class ParseResult:
    """What `parse` found in one file: the format, the envelope removed (e.g. "smime"), the
    invoices in file order and every error and warning (greedy: all of them, one pass)."""

    format: str | None
    envelope: str | None
    invoices: tuple[Invoice, ...]
    issues: tuple[Issue, ...]
    line_item_count: int = 0
    invoice_count: int = field(default=-1)

    def __post_init__(self) -> None:
        # Streaming validation counts invoices without keeping them; parse() keeps them.
        if self.invoice_count < 0:
            object.__setattr__(self, "invoice_count", len(self.invoices))

    @property
    def errors(self) -> tuple[Issue, ...]:
        return tuple(i for i in self.issues if i.level == "error")

    @property
    def warnings(self) -> tuple[Issue, ...]:
        return tuple(i for i in self.issues if i.level == "warning")

    @property
    def valid(self) -> bool:
        """A file is valid when it has no errors; warnings never make it invalid."""
        return not any(i.level == "error" for i in self.issues)

    @property
    def experimental(self) -> bool:
        return self.format in EXPERIMENTAL_FORMATS

    def as_json(self, file: str) -> dict[str, object]:
        """The `ledes validate --json` object for this file (spec/cli.md)."""
        out: dict[str, object] = {
            "file": file,
            "format": self.format,
            "envelope": self.envelope,
            "valid": self.valid,
            "invoices": self.invoice_count,
            "line_items": self.line_item_count,
            "errors": [i.as_json() for i in self.issues if i.level == "error"],
            "warnings": [i.as_json() for i in self.issues if i.level == "warning"],
        }
        if self.experimental:
            out["experimental"] = True
        return out
