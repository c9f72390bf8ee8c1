"""Writing LEDES 1998B and 98BI from the normalised records.

Values are written exactly as held (`Decimal("0.200")` -> `0.200`); a `|`, `[]` or line break
inside a text value, which the formats cannot carry, is replaced (`|` -> `/`, `[]` -> `()`,
breaks -> space). Lines end `[]` + LF and the file ends with a newline.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import date
from decimal import Decimal

from legalops.ledes.fields import FIELD_NAMES_98BI, FIELD_NAMES_1998B
from legalops.ledes.formats import FORMAT_98BI, MARKERS
from legalops.ledes.model import Invoice, LineItem, Matter, Party

_TEXT_FIXES = str.maketrans({"|": "/", "\r": " ", "\n": " ", "\t": " "})


def text(value: str | None) -> str:
    if not value:
        return ""
    return value.translate(_TEXT_FIXES).replace("[]", "()")


def num(value: Decimal | None) -> str:
    return "" if value is None else format(value, "f")


def day(value: date | None) -> str:
    return "" if value is None else value.strftime("%Y%m%d")


def write_text(invoices: Iterable[Invoice], fmt: str) -> str:
    """A complete 1998B or 98BI file."""
    names = FIELD_NAMES_98BI if fmt == FORMAT_98BI else FIELD_NAMES_1998B
    out = [MARKERS[fmt], "|".join(names) + "[]"]
    for invoice in invoices:
        for item in invoice.line_items:
            if fmt == FORMAT_98BI:
                row = _row_1998b(invoice, item) + _row_98bi(invoice, item)
            else:
                row = _row_1998b(*_without_tax(invoice, item))
            out.append("|".join(row) + "[]")
    return "\n".join(out) + "\n"


def _without_tax(inv: Invoice, item: LineItem) -> tuple[Invoice, LineItem]:
    """1998B has no tax: totals written without it (only reached when a conversion was
    allowed to drop the tax), so that the file still adds up."""
    if not item.tax_total and not inv.tax_total:
        return inv, item
    tax = inv.tax_total
    if tax is None:
        tax = sum((i.tax_total or Decimal(0) for i in inv.line_items), Decimal(0))
    total = inv.total - tax if inv.total is not None else None
    line_total = (
        item.total - item.tax_total if item.total is not None and item.tax_total else item.total
    )
    return replace(inv, total=total), replace(item, total=line_total)


def _amounts(item: LineItem) -> tuple[Decimal | None, Decimal | None]:
    """Units and unit cost as written: a fixed-amount XML charge (charge_type F, which the
    text formats lack) becomes 1 x its base amount so the line arithmetic still holds."""
    if item.charge_type == "F" and item.base_amount is not None:
        return Decimal(1), item.base_amount
    return item.units, item.unit_cost


def _row_1998b(inv: Invoice, item: LineItem) -> list[str]:
    units, cost = _amounts(item)
    return [
        day(inv.invoice_date),
        text(inv.invoice_number),
        text(inv.client_id),
        text(item.law_firm_matter_id or inv.law_firm_matter_id),
        num(inv.total),
        day(inv.billing_start_date),
        day(inv.billing_end_date),
        text(inv.description),
        text(item.line_item_number),
        item.type,
        num(units),
        num(item.adjustment_amount),
        num(item.total),
        day(item.date),
        text(item.task_code),
        text(item.expense_code),
        text(item.activity_code),
        text(item.timekeeper_id),
        text(item.description),
        text(inv.law_firm_id),
        num(cost),
        text(timekeeper_name(item)),
        text(item.timekeeper_classification),
        text(item.client_matter_id or inv.client_matter_id),
    ]


def timekeeper_name(item: LineItem) -> str | None:
    """`Last, First` as the 1998B spec asks, from the parts when only they are known."""
    if item.timekeeper_name:
        return item.timekeeper_name
    parts = [p for p in (item.timekeeper_last_name, item.timekeeper_first_name) if p]
    return ", ".join(parts) or None


def _name_parts(item: LineItem) -> tuple[str | None, str | None]:
    if item.timekeeper_last_name or item.timekeeper_first_name:
        return item.timekeeper_last_name, item.timekeeper_first_name
    last, sep, first = (item.timekeeper_name or "").partition(",")
    return (last.strip() or None, first.strip() or None) if sep else (None, None)


def matter_of(inv: Invoice, item: LineItem) -> Matter | None:
    for matter in inv.matters:
        if (matter.client_matter_id, matter.law_firm_matter_id) == (
            item.client_matter_id,
            item.law_firm_matter_id,
        ):
            return matter
    return inv.matters[0] if inv.matters else None


def _party(party: Party | None) -> list[str]:
    p = party or Party()
    return [
        text(v)
        for v in (
            p.name,
            p.address_1,
            p.address_2,
            p.city,
            p.state_or_region,
            p.postcode,
            p.country,
        )
    ]


def _row_98bi(inv: Invoice, item: LineItem) -> list[str]:
    matter = matter_of(inv, item)
    last, first = _name_parts(item)
    net = inv.net_total
    if net is None and inv.total is not None:
        net = inv.total - (inv.tax_total or Decimal(0))
    return [
        text(matter.po_number if matter else None),
        text(inv.client.tax_id if inv.client else None),
        text(matter.name if matter else None),
        num(inv.tax_total),
        num(net),
        text(inv.currency),
        text(last) if item.type == "F" or item.timekeeper_id else "",
        text(first) if item.type == "F" or item.timekeeper_id else "",
        text(inv.account_type),
        *_party(inv.law_firm),
        *_party(inv.client),
        num(item.tax_rate),
        num(item.tax_total if item.tax_total is not None else Decimal(0)),
        text(item.tax_type),
        num(inv.reported_tax_total),
        text(inv.tax_currency),
    ]
