"""The fields an AP export can carry, and each one's value for an invoice. A layout picks and
orders fields and names their headers; a batch freezes every field's value when it is made."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from legalops.core.money import format_minor, from_minor, to_minor
from legalops.invoices.models import Invoice
from legalops.organization.selectors import MissingFxRate, company_get, fx_rate_on


@dataclass(frozen=True)
class Field:
    key: str
    header: str
    kind: str  # "text", "date" or "amount" (Excel writes dates and numbers natively)
    help: str


FIELDS: tuple[Field, ...] = (
    Field("line_type", "Line type", "text", "INVOICE, or SUPPLEMENTAL for money reinstated later"),
    Field("vendor_number", "Vendor number", "text", "the firm's number in the AP system"),
    Field("vendor_id", "Vendor ID", "text", "the firm's LAW_FIRM_ID"),
    Field("vendor_name", "Vendor name", "text", "the firm's name"),
    Field("invoice_number", "Invoice number", "text", "as the firm numbered it"),
    Field("invoice_date", "Invoice date", "date", ""),
    Field("received_on", "Received", "date", "the day the invoice arrived"),
    Field("approved_on", "Approved", "date", "the day it was approved"),
    Field("due_date", "Due date", "date", "invoice date + the firm's payment terms"),
    Field("billing_start", "Billing start", "date", ""),
    Field("billing_end", "Billing end", "date", ""),
    Field("matter_number", "Matter", "text", "CLIENT_MATTER_ID"),
    Field("matter_name", "Matter name", "text", ""),
    Field("gl_code", "GL code", "text", "the matter's GL code"),
    Field("cost_centre", "Cost centre", "text", "the matter's business-unit code"),
    Field("business_unit", "Business unit", "text", "the business unit's name"),
    Field("practice_area", "Practice area", "text", ""),
    Field("currency", "Currency", "text", "ISO 4217 code of the amounts"),
    Field("amount_billed", "Billed", "amount", "what the firm billed (fees + expenses)"),
    Field("amount_adjustments", "Adjustments", "amount", "approved minus billed"),
    Field("amount_approved", "Approved amount", "amount", "what the department approved"),
    Field("amount_tax", "Tax", "amount", "tax as billed"),
    Field("amount_payable", "Amount payable", "amount", "what this row asks AP to pay"),
    Field("reporting_currency", "Reporting currency", "text", "the company's currency"),
    Field("fx_rate", "FX rate", "text", "invoice currency -> reporting, on the invoice date"),
    Field("reporting_amount", "Reporting amount", "amount", "amount payable, converted"),
    Field("description", "Description", "text", "invoice description (or why supplemental)"),
)
BY_KEY = {f.key: f for f in FIELDS}
DEFAULT_COLUMNS = [
    "vendor_number",
    "vendor_id",
    "vendor_name",
    "invoice_number",
    "invoice_date",
    "due_date",
    "gl_code",
    "cost_centre",
    "currency",
    "amount_billed",
    "amount_approved",
    "amount_tax",
    "amount_payable",
    "reporting_amount",
    "line_type",
]


def _day(value: datetime.date | datetime.datetime | None) -> str:
    if value is None:
        return ""
    return (value.date() if isinstance(value, datetime.datetime) else value).isoformat()


FxCache = dict[tuple[str, str, datetime.date], Decimal | None]


def _fx(invoice: Invoice, payable: int, cache: FxCache) -> tuple[str, str, str]:
    code = company_get().reporting_currency
    key = (invoice.currency, code, invoice.invoice_date)
    if key not in cache:
        try:
            cache[key] = fx_rate_on(base=invoice.currency, quote=code, day=invoice.invoice_date)
        except MissingFxRate:
            cache[key] = None
    rate = cache[key]
    if rate is None:
        return code, "", ""
    converted = to_minor(from_minor(payable, invoice.currency) * rate, code)
    return code, f"{rate.normalize():f}", format_minor(converted, code)


def values_for(
    invoice: Invoice,
    *,
    payable_minor: int,
    supplemental: bool = False,
    note: str = "",
    fx_cache: FxCache | None = None,
) -> dict[str, Any]:
    """Every field's value as text (ISO dates, amounts in the invoice currency's places).
    `fx_cache` spares a batch of many invoices one rate look-up per invoice."""
    matter, firm, cur = invoice.matter, invoice.firm, invoice.currency
    account = getattr(firm, "ap_account", None)
    reporting, rate, converted = _fx(invoice, payable_minor, {} if fx_cache is None else fx_cache)
    due = invoice.invoice_date + datetime.timedelta(days=firm.payment_terms_days)
    unit, area = matter.business_unit, matter.practice_area
    return {
        "line_type": "SUPPLEMENTAL" if supplemental else "INVOICE",
        "vendor_number": account.vendor_number if account else "",
        "vendor_id": firm.law_firm_id,
        "vendor_name": firm.name,
        "invoice_number": invoice.invoice_number,
        "invoice_date": _day(invoice.invoice_date),
        "received_on": _day(invoice.received_on),
        "approved_on": _day(invoice.decided_at),
        "due_date": _day(due),
        "billing_start": _day(invoice.billing_start),
        "billing_end": _day(invoice.billing_end),
        "matter_number": matter.number,
        "matter_name": matter.name,
        "gl_code": matter.gl_code,
        "cost_centre": unit.code if unit else "",
        "business_unit": unit.name if unit else "",
        "practice_area": area.name if area else "",
        "currency": cur,
        "amount_billed": format_minor(0 if supplemental else invoice.billed_minor, cur),
        "amount_adjustments": format_minor(0 if supplemental else invoice.adjustment_minor, cur),
        "amount_approved": format_minor(0 if supplemental else invoice.approved_minor, cur),
        "amount_tax": format_minor(0 if supplemental else invoice.tax_minor, cur),
        "amount_payable": format_minor(payable_minor, cur),
        "reporting_currency": reporting,
        "fx_rate": rate,
        "reporting_amount": converted,
        "description": note or invoice.description,
    }


def typed(key: str, text: str) -> Any:
    """A frozen value as Excel should hold it (a date, a Decimal) or as CSV text."""
    field = BY_KEY.get(key)
    if field is None or not text:
        return text
    if field.kind == "date":
        return datetime.date.fromisoformat(text)
    if field.kind == "amount":
        return Decimal(text)
    return text


def csv_text(key: str, text: str, date_format: str) -> str:
    field = BY_KEY.get(key)
    if field is not None and field.kind == "date" and text:
        return datetime.date.fromisoformat(text).strftime(date_format)
    return text
