"""Writing LEDES XML E-Billing 2.0 / 2.1 / 2.2 from the normalised records.

Invoices are grouped into one <firm> per LAW_FIRM_ID and one <client> per CLIENT_ID. Line taxes
become firm-level <tax> entries (one per distinct type and rate) linked by tx_id; a line's
`total_amount` is its total without tax. Matter totals are computed from the lines.
`file_item_nbr` numbers every element in document order, so line item numbers are not kept.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from xml.etree import ElementTree as ET

from legalops.ledes.formats import XML_ROOTS
from legalops.ledes.model import Invoice, LineItem, Party, Timekeeper
from legalops.ledes.write_text import _name_parts, matter_of, num

ZERO = Decimal(0)
TaxKey = tuple[str | None, Decimal | None]


class _Counter:
    def __init__(self) -> None:
        self.n = 0

    def next(self) -> str:
        self.n += 1
        return str(self.n)


def write_xml(invoices: Iterable[Invoice], fmt: str) -> str:
    tag, namespace = XML_ROOTS[fmt]
    root = ET.Element(tag, {"xmlns": namespace})
    counter = _Counter()
    firms: dict[str | None, list[Invoice]] = {}
    for invoice in invoices:
        firms.setdefault(invoice.law_firm_id, []).append(invoice)
    for group in firms.values():
        _firm(root, group, counter)
    ET.indent(root, space="\t")
    body = ET.tostring(root, encoding="unicode", short_empty_elements=False)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + body + "\n"


def _add(parent: ET.Element, tag: str, value: str | Decimal | date | None) -> None:
    """Append <tag>value</tag>, leaving out absent values."""
    if value is None or value == "":
        return
    child = ET.SubElement(parent, tag)
    if isinstance(value, Decimal):
        child.text = num(value)
    elif isinstance(value, date):
        child.text = value.isoformat()
    else:
        child.text = value


def _address(parent: ET.Element, tag: str, party: Party | None) -> None:
    if party is None:
        return
    parts = [
        ("address_1", party.address_1),
        ("address_2", party.address_2),
        ("city", party.city),
        ("state_province", party.state_or_region),
        ("zip_postal_code", party.postcode),
        ("country", party.country),
    ]
    if any(value for _, value in parts):
        node = ET.SubElement(parent, tag)
        for name, value in parts:
            _add(node, name, value)


def firm_taxes(invoices: list[Invoice]) -> dict[TaxKey, str]:
    """Distinct (tax type, rate) of the lines -> tx_id (declared XML ids kept)."""
    out: dict[TaxKey, str] = {}
    for invoice in invoices:
        for tax in invoice.taxes:
            out.setdefault((tax.tax_type, tax.rate), tax.tax_id or str(len(out) + 1))
        for item in invoice.line_items:
            for key in line_tax_keys(item):
                out.setdefault(key, str(len(out) + 1))
    return out


def line_tax_keys(item: LineItem) -> list[TaxKey]:
    if item.taxes:
        return [(t.tax_type, t.rate) for t in item.taxes]
    if item.tax_rate is not None or item.tax_type:
        return [(item.tax_type, item.tax_rate)]
    return []


def _firm(root: ET.Element, invoices: list[Invoice], counter: _Counter) -> None:
    first = invoices[0]
    firm = ET.SubElement(root, "firm")
    law_firm = first.law_firm or Party()
    if law_firm.tax_id and law_firm.tax_id != first.law_firm_id:
        _add(firm, "lf_vendor_id", law_firm.tax_id)
    _add(firm, "lf_id", first.law_firm_id)
    _add(firm, "lf_name", law_firm.name)
    _address(firm, "lf_address", law_firm)
    _add(firm, "source_app", "legalops")
    _add(firm, "file_item_nbr", counter.next())
    taxes = firm_taxes(invoices)
    for (tax_type, rate), tx_id in taxes.items():
        node = ET.SubElement(firm, "tax")
        _add(node, "tx_id", tx_id)
        _add(node, "tax_type", tax_type)
        _add(node, "tax_rate_percent", rate)
        _add(node, "file_item_nbr", counter.next())
    clients: dict[str | None, list[Invoice]] = {}
    for invoice in invoices:
        clients.setdefault(invoice.client_id, []).append(invoice)
    for group in clients.values():
        _client(firm, group, taxes, counter)


def _client(
    firm: ET.Element, invoices: list[Invoice], taxes: dict[TaxKey, str], counter: _Counter
) -> None:
    first = invoices[0]
    client = ET.SubElement(firm, "client")
    party = first.client or Party()
    _add(client, "cl_id", first.client_id)
    _add(client, "cl_name", party.name)
    _address(client, "cl_address", party)
    _add(client, "cl_tax_id", party.tax_id)
    _add(client, "file_item_nbr", counter.next())
    for invoice in invoices:
        _invoice(client, invoice, taxes, counter)


def _invoice(client: ET.Element, inv: Invoice, taxes: dict[TaxKey, str], counter: _Counter) -> None:
    node = ET.SubElement(client, "invoice")
    for tag, value in (
        ("inv_id", inv.invoice_number),
        ("inv_date", inv.invoice_date),
        ("inv_due_date", inv.due_date),
        ("inv_currency", inv.currency),
        ("inv_start_date", inv.billing_start_date),
        ("inv_end_date", inv.billing_end_date),
        ("inv_desc", inv.description),
        ("inv_payment_terms", inv.payment_terms),
    ):
        _add(node, tag, value)
    tax = sum((i.tax_total or ZERO for i in inv.line_items), ZERO)
    _add(node, "inv_total_tax", inv.tax_total if inv.tax_total is not None else tax)
    _add(node, "inv_total_net_due", inv.total)
    _add(node, "file_item_nbr", counter.next())
    groups: dict[tuple[str | None, str | None], list[LineItem]] = {}
    for item in inv.line_items:
        groups.setdefault((item.client_matter_id, item.law_firm_matter_id), []).append(item)
    for items in groups.values():
        _matter(node, inv, items, taxes, counter)


def _matter(
    parent: ET.Element,
    inv: Invoice,
    items: list[LineItem],
    taxes: dict[TaxKey, str],
    counter: _Counter,
) -> None:
    node = ET.SubElement(parent, "matter")
    matter = matter_of(inv, items[0])
    _add(node, "cl_matter_id", items[0].client_matter_id)
    _add(node, "lf_matter_id", items[0].law_firm_matter_id)
    _add(node, "matter_name", matter.name if matter else None)
    _add(node, "po_number", matter.po_number if matter else None)
    _add(node, "account_type", inv.account_type)
    for tag, value in _matter_totals(items).items():
        _add(node, tag, value)
    _add(node, "file_item_nbr", counter.next())
    for tk in _timekeepers(inv, items):
        _tksum(node, tk, counter)
    for item in items:
        if item.type in ("F", "E"):
            _charge(node, item, taxes, counter)
        else:
            _discount(node, item, counter)


def _matter_totals(items: list[LineItem]) -> dict[str, Decimal]:
    def total(kinds: tuple[str, ...], part: str) -> Decimal:
        picked = [i for i in items if i.type in kinds]
        if part == "tax":
            return sum((i.tax_total or ZERO for i in picked), ZERO)
        return sum(((i.total or ZERO) - (i.tax_total or ZERO) for i in picked), ZERO)

    fees, exp = total(("F",), "net"), total(("E",), "net")
    fee_disc, exp_disc = total(("IF",), "net"), total(("IE",), "net")
    fee_tax, exp_tax = total(("F",), "tax"), total(("E",), "tax")
    return {
        "matter_total_detail_fees": fees,
        "matter_total_detail_exp": exp,
        "matter_disc_credit_fees": fee_disc,
        "matter_disc_credit_exp": exp_disc,
        "matter_tax_on_fees": fee_tax,
        "matter_tax_on_exp": exp_tax,
        "matter_net_fees": fees + fee_disc + fee_tax,
        "matter_net_exp": exp + exp_disc + exp_tax,
        "matter_total_due": fees + fee_disc + fee_tax + exp + exp_disc + exp_tax,
    }


def _timekeepers(inv: Invoice, items: list[LineItem]) -> list[Timekeeper]:
    known = {tk.timekeeper_id: tk for tk in inv.timekeepers}
    out: dict[str, Timekeeper] = {}
    for item in items:
        if item.timekeeper_id and item.timekeeper_id not in out:
            last, first = _name_parts(item)
            tk = known.get(item.timekeeper_id)
            out[item.timekeeper_id] = Timekeeper(
                item.timekeeper_id,
                None,
                tk.last_name if tk else last,
                tk.first_name if tk else first,
                item.timekeeper_classification or (tk.classification if tk else None),
                tk.rate if tk else item.unit_cost,
            )
    return list(out.values())


def _tksum(parent: ET.Element, tk: Timekeeper, counter: _Counter) -> None:
    node = ET.SubElement(parent, "tksum")
    for tag, value in (
        ("tk_id", tk.timekeeper_id),
        ("tk_lname", tk.last_name),
        ("tk_fname", tk.first_name),
        ("tk_level", tk.classification),
        ("tk_rate", tk.rate),
    ):
        _add(node, tag, value)
    _add(node, "file_item_nbr", counter.next())


def _charge(
    parent: ET.Element, item: LineItem, taxes: dict[TaxKey, str], counter: _Counter
) -> None:
    fee = item.type == "F"
    node = ET.SubElement(parent, "fee" if fee else "expense")
    net = (item.total or ZERO) - (item.tax_total or ZERO)
    base = item.base_amount
    if base is None and item.units is not None and item.unit_cost is not None:
        base = item.units * item.unit_cost
    _add(node, "charge_date", item.date)
    if fee:
        _add(node, "tk_id", item.timekeeper_id)
        _add(node, "tk_level", item.timekeeper_classification)
    _add(node, "charge_desc", item.description)
    if fee:
        _add(node, "task_code", item.task_code)
        _add(node, "task_activity", item.activity_code)
    else:
        _add(node, "expense_code", item.expense_code)
    for tag, value in (
        ("charge_type", item.charge_type or "U"),
        ("units", item.units),
        ("rate", item.unit_cost),
        ("base_amount", base),
        (
            "item_disc_cred_amount",
            ZERO if item.adjustment_amount is None else item.adjustment_amount,
        ),
        ("total_amount", net),
        ("file_item_nbr", counter.next()),
    ):
        _add(node, tag, value)
    for key in line_tax_keys(item):
        link = ET.SubElement(node, "tax_item_fee" if fee else "tax_item_expense")
        _add(link, "tx_id", taxes[key])
        _add(link, "file_item_nbr", counter.next())


def _discount(parent: ET.Element, item: LineItem, counter: _Counter) -> None:
    node = ET.SubElement(parent, "matter_disc_cred")
    _add(node, "disc_cred", "MIA")
    _add(node, "disc_cred_category", "Fee" if item.type == "IF" else "Exp")
    _add(node, "disc_cred_amount", item.total)
    _add(node, "file_item_nbr", counter.next())
