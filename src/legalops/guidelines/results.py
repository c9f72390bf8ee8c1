"""Review results: flags with their money, per line and per invoice."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from legalops.guidelines.records import Invoice, Line


class Flag(NamedTuple):
    rule: str
    action: str
    amount: (
        Decimal  # signed money this flag changes (0 for warn and hold, and when another flag won)
    )
    message: str
    evidence: Mapping[str, object]


class LineResult(NamedTuple):
    line: Line
    billed: Decimal  # LINE_ITEM_TOTAL rounded to the minor unit
    approved: Decimal
    flags: tuple[Flag, ...]


class Skipped(NamedTuple):
    rule: str
    reason: str


@dataclass(frozen=True, slots=True)
class InvoiceResult:
    invoice: Invoice
    currency: str
    billed: Decimal
    approved: Decimal  # 0 when the invoice is returned (reject-invoice)
    flags: tuple[Flag, ...]  # invoice-level flags
    skipped: tuple[Skipped, ...]
    lines: tuple[LineResult, ...]

    @property
    def returned(self) -> bool:
        return any(flag.action == "reject-invoice" for flag in self.all_flags())

    def all_flags(self) -> list[Flag]:
        return [*self.flags, *(flag for line in self.lines for flag in line.flags)]
