"""Column layout of a pipe-delimited format, precomputed once so the hot loop only indexes."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
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


# Columns whose value changes from line to line and is checked on every line by one small
# regex; long free text (descriptions) only needs its length checked (ASCII is checked on the
# whole record at once). Every other column is invoice-level (checked once per invoice, then
# compared as a tuple) or part of a line's "profile" (type, codes, timekeeper, rate, matter),
# whose combinations repeat and are checked once each.
_VARYING = frozenset(
    {
        "LINE_ITEM_NUMBER",
        "LINE_ITEM_NUMBER_OF_UNITS",
        "LINE_ITEM_ADJUSTMENT_AMOUNT",
        "LINE_ITEM_TOTAL",
        "LINE_ITEM_DATE",
        "LINE_ITEM_TAX_TOTAL",
    }
)
_LONG_TEXT = 1000
# Matter columns vary per matter, not per line: their own small cache.
_MATTER = frozenset({"LAW_FIRM_MATTER_ID", "CLIENT_MATTER_ID", "MATTER_NAME"})
# Fields 1-8 of both formats are the invoice-level fields plus INVOICE_NUMBER and
# LAW_FIRM_MATTER_ID: while a record's text starts like the previous record's, none of them
# changed, which one string comparison tells.
PREFIX_FIELDS = 8


@dataclass(frozen=True, slots=True)
class Layout:
    format: str
    fields: tuple[FieldSpec, ...]
    names: tuple[str, ...]
    header: str
    gate: str  # regex source for a whole clean record body
    by_type_idx: dict[str, tuple[int, ...]]  # line type -> columns that type requires
    invoice_idx: tuple[int, ...]  # invoice-level columns (identical on every line)
    invoice_key: Any  # itemgetter over invoice_idx (always returns a tuple)
    money: Any  # itemgetter of type, units, unit cost, adjustment, line total (, line tax)
    money_gate: str  # regex source for "|".join(money(row))
    line_number_max: int
    long_text: tuple[tuple[int, int], ...]  # (column, max length) of free-text columns
    profile: Any  # itemgetter of the profile columns (includes the line type)
    profile_gate: str  # regex source for "|".join(profile(row))
    matter: Any  # itemgetter of the matter columns
    matter_gate: str
    invoice_rest: Any  # itemgetter of the invoice-level columns after the prefix fields
    has_tax: bool


def _getter(columns: tuple[int, ...]) -> Any:
    """itemgetter over the columns (C speed; a single column gives the bare value)."""
    return itemgetter(*columns)


def _groups(fields: tuple[FieldSpec, ...]) -> tuple[tuple[int, ...], ...]:
    invoice = tuple(i for i, s in enumerate(fields) if s.invoice_level)
    varying = tuple(i for i, s in enumerate(fields) if s.name in _VARYING)
    long_text = tuple(
        i
        for i, s in enumerate(fields)
        if s.kind is Kind.TEXT and s.length >= _LONG_TEXT and not s.invoice_level
    )
    matter = tuple(i for i, s in enumerate(fields) if s.name in _MATTER)
    taken = set(invoice) | set(varying) | set(long_text) | set(matter) | {1}  # 1: the key
    profile = tuple(i for i in range(len(fields)) if i not in taken)
    return invoice, varying, long_text, profile, matter


def _money_columns(fields: tuple[FieldSpec, ...]) -> tuple[int, ...]:
    """Type, units, unit cost, adjustment, total (, line tax): the arithmetic's inputs and the
    type that says whether units are required, in that order."""
    names = [
        "EXP/FEE/INV_ADJ_TYPE",
        "LINE_ITEM_NUMBER_OF_UNITS",
        "LINE_ITEM_UNIT_COST",
        "LINE_ITEM_ADJUSTMENT_AMOUNT",
        "LINE_ITEM_TOTAL",
        "LINE_ITEM_TAX_TOTAL",
    ]
    where = {s.name: i for i, s in enumerate(fields)}
    return tuple(where[n] for n in names if n in where)


def make_layout(fmt: str) -> Layout:
    fields = FIELDS_98BI if fmt == FORMAT_98BI else FIELDS_1998B
    names = tuple(s.name for s in fields)
    by_type_idx = {
        t: tuple(i for i, s in enumerate(fields) if t in s.required and len(s.required) < 4)
        for t in ("F", "E", "IF", "IE")
    }
    invoice_idx, varying, long_text, profile, matter = _groups(fields)
    # The fast path checks the only per-line required columns by name (units in the money
    # check, description inline); make sure the tables still agree with that.
    loose = {names[i] for idx in by_type_idx.values() for i in idx if i in varying + long_text}
    assert loose == {"LINE_ITEM_NUMBER_OF_UNITS", "LINE_ITEM_DESCRIPTION"}, loose
    return Layout(
        format=fmt,
        fields=fields,
        names=names,
        header="|".join(names),
        gate=r"\|".join(_gate_pattern(s) for s in fields),
        by_type_idx=by_type_idx,
        invoice_idx=invoice_idx,
        invoice_key=_getter(invoice_idx),
        money=_getter(_money_columns(fields)),
        money_gate=r"\|".join(_gate_pattern(fields[i]) for i in _money_columns(fields)),
        line_number_max=fields[8].length,
        long_text=tuple((i, fields[i].length) for i in long_text),
        profile=_getter(profile),
        profile_gate=r"\|".join(_gate_pattern(fields[i]) for i in profile),
        matter=_getter(matter),
        matter_gate=r"\|".join(_gate_pattern(fields[i]) for i in matter),
        invoice_rest=_getter(tuple(i for i in invoice_idx if i >= PREFIX_FIELDS)),
        has_tax=fmt == FORMAT_98BI,
    )


@cache
def layout_for(fmt: str) -> Layout:
    """The layout of 1998B or 98BI, built on first use (keeps start-up short)."""
    if fmt not in (FORMAT_1998B, FORMAT_98BI):
        raise ValueError(fmt)
    return make_layout(fmt)
