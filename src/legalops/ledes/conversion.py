"""Writing and converting: `write(invoices, format)` and `convert(data, to)`.

A conversion round-trips what both formats carry and refuses, with the reasons, anything the
target cannot carry (a value that would be silently dropped) or needs and the source lacks.
`allow_loss=True` accepts the drops (never the gaps: a file missing required values would be
invalid).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from decimal import ROUND_HALF_UP, Decimal

from legalops.ledes.api import parse
from legalops.ledes.codes import minor_unit
from legalops.ledes.formats import (
    FORMAT_98BI,
    FORMAT_1998B,
    TEXT_FORMATS,
    WRITABLE_FORMATS,
    XML2_FORMATS,
    normalize_format,
)
from legalops.ledes.model import Invoice, LineItem
from legalops.ledes.write_text import write_text
from legalops.ledes.write_xml import write_xml

ZERO = Decimal(0)
_MAX_REASONS = 25


class ConversionError(Exception):
    """The conversion was refused; `reasons` says why, one sentence each."""

    def __init__(self, reasons: list[str]) -> None:
        super().__init__("; ".join(reasons))
        self.reasons = reasons


def write(invoices: Iterable[Invoice], format: str) -> str:  # noqa: A002 - public name
    """The invoices as a LEDES file of `format` (1998B, 98BI, XML2.0, XML2.1, XML2.2)."""
    fmt = normalize_format(format)
    if fmt not in WRITABLE_FORMATS:
        raise ValueError(f"cannot write {format!r}; writable: {', '.join(WRITABLE_FORMATS)}")
    if fmt in TEXT_FORMATS:
        return write_text(invoices, fmt)
    return write_xml(invoices, fmt)


def convert(
    data: bytes | str, to: str, *, currency: str | None = None, allow_loss: bool = False
) -> str:
    """Convert a LEDES file to format `to`. `currency` fills INVOICE_CURRENCY where the source
    (1998B) has none. Raises ConversionError when the input is invalid or the target cannot
    carry it."""
    fmt = normalize_format(to)
    if fmt not in WRITABLE_FORMATS:
        raise ConversionError([f"cannot write {to!r}; writable: {', '.join(WRITABLE_FORMATS)}"])
    result = parse(data)
    if not result.valid:
        raise ConversionError(
            [
                "the input is not valid LEDES; fix these first:",
                *(e.message for e in result.errors[:_MAX_REASONS]),
            ]
        )
    invoices = [_with_currency(i, currency) for i in result.invoices]
    gaps, drops = missing(invoices, fmt), losses(invoices, fmt)
    if gaps or (drops and not allow_loss):
        reasons = gaps + ([] if allow_loss else drops)
        extra = len(reasons) - _MAX_REASONS
        raise ConversionError(
            reasons[:_MAX_REASONS] + ([f"... and {extra} more"] if extra > 0 else [])
        )
    return write(invoices, fmt)


def _with_currency(invoice: Invoice, currency: str | None) -> Invoice:
    if currency is None or invoice.currency is not None:
        return invoice
    return dataclasses.replace(invoice, currency=currency.upper())


def _where(obj: Invoice | LineItem) -> str:
    return f"line {obj.line}" if obj.line is not None else "invoice"


def missing(invoices: list[Invoice], fmt: str) -> list[str]:
    """Values the target requires that the source does not have."""
    needs: list[tuple[str, Callable[[Invoice], object]]] = []
    if fmt != FORMAT_1998B:
        needs.append(("INVOICE_CURRENCY (give --currency)", lambda i: i.currency))
    if fmt == FORMAT_98BI:
        needs += [
            ("CLIENT_TAX_ID", lambda i: i.client and i.client.tax_id),
            ("MATTER_NAME", lambda i: i.matter_name),
            ("ACCOUNT_TYPE", lambda i: i.account_type),
        ]
    return [
        f"invoice {i.invoice_number}: LEDES {fmt} requires {label}, which the source does not have"
        for i in invoices
        for label, get in needs
        if not get(i)
    ]


def losses(invoices: list[Invoice], fmt: str) -> list[str]:
    """Values of the source that the target format has no place for."""
    out: list[str] = []
    for invoice in invoices:
        out += [
            f"invoice {invoice.invoice_number}: {label} {value} cannot be written in LEDES {fmt}"
            for label, value in _invoice_drops(invoice, fmt)
        ]
        for item in invoice.line_items:
            out += [
                f"{_where(item)}: {label} cannot be written in LEDES {fmt}"
                for label in _item_drops(item, invoice, fmt)
            ]
    return out


def _invoice_drops(inv: Invoice, fmt: str) -> list[tuple[str, object]]:
    drops: list[tuple[str, object]] = []
    if fmt != FORMAT_1998B and fmt not in XML2_FORMATS:  # 98BI
        drops += [("due date", inv.due_date), ("payment terms", inv.payment_terms)]
    if fmt in XML2_FORMATS:
        drops += [
            ("INVOICE_REPORTED_TAX_TOTAL", inv.reported_tax_total),
            ("INVOICE_TAX_CURRENCY", inv.tax_currency),
        ]
    if fmt == FORMAT_1998B:
        drops += [
            ("currency", inv.currency),
            ("due date", inv.due_date),
            ("payment terms", inv.payment_terms),
            ("account type", inv.account_type),
            ("reported tax total", inv.reported_tax_total),
            ("tax currency", inv.tax_currency),
            ("matter name", inv.matter_name),
            ("PO number", inv.po_number),
        ]
        drops += [("tax total", inv.tax_total)] if inv.tax_total else []
        drops += [
            (f"{who} details", party.name or party.city)
            for who, party in (("law firm", inv.law_firm), ("client", inv.client))
            if party is not None and (party.name or party.city)
        ]
    return [(label, value) for label, value in drops if value not in (None, "")]


def _item_drops(item: LineItem, inv: Invoice, fmt: str) -> list[str]:
    drops = []
    if fmt == FORMAT_1998B and (item.tax_total or ZERO) != ZERO:
        drops.append(f"line tax {item.tax_total}")
    if fmt == FORMAT_98BI and len(item.taxes) > 1:
        drops.append(f"{len(item.taxes)} taxes on one line (98BI has one tax per line)")
    if fmt in XML2_FORMATS:
        drops += _xml_item_drops(item, inv)
    return drops


def _xml_item_drops(item: LineItem, inv: Invoice) -> list[str]:
    """XML derives a line's tax from the tax rate; an adjustment line carries only its amount."""
    if item.type in ("IF", "IE"):
        return (
            [
                f"the {item.type} line's description {item.description!r} (XML adjustments "
                "carry an amount only)"
            ]
            if item.description
            else []
        )
    tax = item.tax_total or ZERO
    if tax == ZERO or item.taxes:
        return []
    if item.tax_rate is None:
        return [f"line tax {tax} without a tax rate"]
    places = Decimal(1).scaleb(-minor_unit(inv.currency))
    derived = (((item.total or ZERO) - tax) * item.tax_rate).quantize(places, ROUND_HALF_UP)
    if derived != tax:
        return [f"line tax {tax} (XML derives {derived} from the rate {item.tax_rate})"]
    return []
