"""Column layout of a pipe-delimited format, precomputed once so the hot loop only indexes."""

from __future__ import annotations

from dataclasses import dataclass
from operator import itemgetter
from typing import Any

from legalops.ledes.fields import FIELDS_98BI, FIELDS_1998B, FieldSpec, Kind
from legalops.ledes.formats import FORMAT_98BI, FORMAT_1998B

# Columns shared by 1998B and 98BI (0-based).
INVOICE_DATE, INVOICE_NUMBER, CLIENT_ID, LAW_FIRM_MATTER_ID, INVOICE_TOTAL = 0, 1, 2, 3, 4
BILLING_START, BILLING_END, INVOICE_DESCRIPTION, LINE_NUMBER, TYPE = 5, 6, 7, 8, 9
UNITS, ADJUSTMENT, LINE_TOTAL, LINE_DATE, TASK, EXPENSE, ACTIVITY = 10, 11, 12, 13, 14, 15, 16
TIMEKEEPER_ID, DESCRIPTION, LAW_FIRM_ID, UNIT_COST, TIMEKEEPER_NAME = 17, 18, 19, 20, 21
CLASSIFICATION, CLIENT_MATTER_ID = 22, 23
# 98BI only.
PO_NUMBER, CLIENT_TAX_ID, MATTER_NAME, INVOICE_TAX_TOTAL, INVOICE_NET_TOTAL = 24, 25, 26, 27, 28
INVOICE_CURRENCY, TK_LAST_NAME, TK_FIRST_NAME, ACCOUNT_TYPE = 29, 30, 31, 32
LAW_FIRM_PARTY, CLIENT_PARTY = 33, 40  # seven fields each: name, address 1-2, city, state, ...
TAX_RATE, LINE_TAX, TAX_TYPE, REPORTED_TAX_TOTAL, TAX_CURRENCY = 47, 48, 49, 50, 51

_ASCII_TEXT = r"[\x20-\x7b\x7d\x7e]"  # printable ASCII except the pipe


def _gate_pattern(spec: FieldSpec) -> str:
    """A regex that accepts exactly the clean, ASCII, well-formed values of a field; anything
    else falls to the slow path, which explains the problem (or warns, e.g. trailing dot)."""
    always = len(spec.required) == 4
    kind = spec.kind
    if kind is Kind.DATE:
        body = r"\d{8}"
    elif kind in (Kind.MONEY, Kind.UNITS):
        sign = "-?" if kind is Kind.MONEY else ""
        body = rf"{sign}\d{{1,{spec.digits}}}(?:\.\d{{1,{spec.places}}})?"
    elif kind is Kind.RATE:
        body = rf"0?\.\d{{1,{spec.places}}}|0"
    elif kind is Kind.TYPE:
        body = "IF|IE|F|E"
    elif kind is Kind.CODE:
        body = r"[A-Z]{0,3}[0-9]{1,6}"
    elif kind is Kind.CLASSIFICATION:
        body = r"[A-Z]{1,10}"  # membership is checked in Python
    elif kind is Kind.CURRENCY:
        body = "[A-Z]{3}"  # membership is checked per invoice
    elif kind is Kind.COUNTRY:
        body = "[A-Z]{2,3}"
    elif kind is Kind.ACCOUNT_TYPE:
        body = "[OT]"
    else:
        low = 1 if always else 0
        return f"{_ASCII_TEXT}{{{low},{spec.length}}}"
    return f"(?:{body})" if always else f"(?:{body})?"


@dataclass(frozen=True, slots=True)
class Layout:
    format: str
    fields: tuple[FieldSpec, ...]
    names: tuple[str, ...]
    header: str
    gate: str  # regex source for a whole clean record body
    by_type: dict[str, Any]  # line type -> itemgetter of the columns that type requires
    by_type_idx: dict[str, tuple[int, ...]]
    invoice_idx: tuple[int, ...]  # invoice-level columns (identical on every line)
    invoice_key: Any  # itemgetter over invoice_idx (always returns a tuple)
    date_idx: tuple[int, ...]
    has_tax: bool


def _getter(columns: tuple[int, ...]) -> Any:
    if len(columns) == 1:
        only = columns[0]
        return lambda row: (row[only],)
    return itemgetter(*columns)


def make_layout(fmt: str) -> Layout:
    fields = FIELDS_98BI if fmt == FORMAT_98BI else FIELDS_1998B
    names = tuple(s.name for s in fields)
    by_type_idx = {
        t: tuple(i for i, s in enumerate(fields) if t in s.required and len(s.required) < 4)
        for t in ("F", "E", "IF", "IE")
    }
    invoice_idx = tuple(i for i, s in enumerate(fields) if s.invoice_level)
    return Layout(
        format=fmt,
        fields=fields,
        names=names,
        header="|".join(names),
        gate=r"\|".join(_gate_pattern(s) for s in fields),
        by_type={t: _getter(idx) if idx else (lambda row: ()) for t, idx in by_type_idx.items()},
        by_type_idx=by_type_idx,
        invoice_idx=invoice_idx,
        invoice_key=_getter(invoice_idx),
        date_idx=tuple(i for i, s in enumerate(fields) if s.kind is Kind.DATE),
        has_tax=fmt == FORMAT_98BI,
    )


LAYOUTS = {fmt: make_layout(fmt) for fmt in (FORMAT_1998B, FORMAT_98BI)}
