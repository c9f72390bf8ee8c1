"""Field tables of the pipe-delimited formats (LEDES 1998B and 98BI V2).

Types, lengths and "required for which line types" follow shared/reference/ledes-and-utbms.md
§2.2 and §3 (sources there: CaseFox's reproduction of the 1998B spec table, Mitratech eCounsel
import schemas, the rledes transcription of the spec's "depends on" column, Lexitree's 98BI
lengths). Where sources disagree, the docs (docs/ledes.md) name the choice.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Final


class Kind(Enum):
    """How a field's text is checked."""

    DATE = "date"  # YYYYMMDD, a real calendar date
    TEXT = "text"  # free text up to `length` characters
    MONEY = "money"  # digits, one dot, optional leading minus
    UNITS = "units"  # like MONEY but never negative
    TYPE = "type"  # F, E, IF, IE
    CODE = "code"  # UTBMS task/activity/expense code
    CLASSIFICATION = "classification"  # LOC timekeeper classification
    CURRENCY = "currency"  # ISO 4217 alpha code
    COUNTRY = "country"  # ISO 3166 alpha-2 or alpha-3
    ACCOUNT_TYPE = "account-type"  # O (own account) or T (third party)
    RATE = "rate"  # tax rate as a fraction, 0 <= r < 1


# Which line types need the field non-blank.
ALL: Final = frozenset({"F", "E", "IF", "IE"})
FE: Final = frozenset({"F", "E"})
F_ONLY: Final = frozenset({"F"})
E_ONLY: Final = frozenset({"E"})
NONE: Final = frozenset[str]()


@dataclass(frozen=True, slots=True)
class FieldSpec:
    name: str
    kind: Kind
    required: frozenset[str]
    length: int = 0  # TEXT/CODE/CLASSIFICATION: max characters
    digits: int = 0  # MONEY/UNITS/RATE: max integer digits
    places: int = 4  # MONEY/UNITS/RATE: max decimal places
    invoice_level: bool = False  # must be identical on every line of one invoice


def _f(
    name: str,
    kind: Kind,
    required: frozenset[str],
    size: int = 0,
    *,
    inv: bool = False,
    places: int = 4,
) -> FieldSpec:
    numeric = kind in (Kind.MONEY, Kind.UNITS, Kind.RATE)
    return FieldSpec(
        name,
        kind,
        required,
        length=0 if numeric else size,
        digits=size if numeric else 0,
        places=places,
        invoice_level=inv,
    )


TEXT_15KB: Final = 15 * 1024

# The 24 fields of LEDES 1998B in file order (reference §2.2).
FIELDS_1998B: Final = (
    _f("INVOICE_DATE", Kind.DATE, ALL, inv=True),
    _f("INVOICE_NUMBER", Kind.TEXT, ALL, 20),
    _f("CLIENT_ID", Kind.TEXT, ALL, 20, inv=True),
    _f("LAW_FIRM_MATTER_ID", Kind.TEXT, ALL, 20),
    _f("INVOICE_TOTAL", Kind.MONEY, ALL, 12, inv=True),
    _f("BILLING_START_DATE", Kind.DATE, ALL, inv=True),
    _f("BILLING_END_DATE", Kind.DATE, ALL, inv=True),
    _f("INVOICE_DESCRIPTION", Kind.TEXT, NONE, TEXT_15KB, inv=True),
    _f("LINE_ITEM_NUMBER", Kind.TEXT, ALL, 20),
    _f("EXP/FEE/INV_ADJ_TYPE", Kind.TYPE, ALL, 2),
    _f("LINE_ITEM_NUMBER_OF_UNITS", Kind.UNITS, FE, 10),
    _f("LINE_ITEM_ADJUSTMENT_AMOUNT", Kind.MONEY, NONE, 10),
    _f("LINE_ITEM_TOTAL", Kind.MONEY, ALL, 10),
    _f("LINE_ITEM_DATE", Kind.DATE, ALL),
    _f("LINE_ITEM_TASK_CODE", Kind.CODE, F_ONLY, 20),
    _f("LINE_ITEM_EXPENSE_CODE", Kind.CODE, E_ONLY, 20),
    _f("LINE_ITEM_ACTIVITY_CODE", Kind.CODE, F_ONLY, 20),
    _f("TIMEKEEPER_ID", Kind.TEXT, F_ONLY, 20),
    _f("LINE_ITEM_DESCRIPTION", Kind.TEXT, F_ONLY, TEXT_15KB),
    _f("LAW_FIRM_ID", Kind.TEXT, ALL, 20, inv=True),
    _f("LINE_ITEM_UNIT_COST", Kind.MONEY, FE, 10),
    _f("TIMEKEEPER_NAME", Kind.TEXT, F_ONLY, 30),
    _f("TIMEKEEPER_CLASSIFICATION", Kind.CLASSIFICATION, F_ONLY, 10),
    _f("CLIENT_MATTER_ID", Kind.TEXT, NONE, 20),
)


def _party(prefix: str) -> tuple[FieldSpec, ...]:
    return (
        _f(f"{prefix}_NAME", Kind.TEXT, NONE, 60, inv=True),
        _f(f"{prefix}_ADDRESS_1", Kind.TEXT, NONE, 60, inv=True),
        _f(f"{prefix}_ADDRESS_2", Kind.TEXT, NONE, 60, inv=True),
        _f(f"{prefix}_CITY", Kind.TEXT, NONE, 40, inv=True),
        _f(f"{prefix}_STATEorREGION", Kind.TEXT, NONE, 40, inv=True),
        _f(f"{prefix}_POSTCODE", Kind.TEXT, NONE, 20, inv=True),
        _f(f"{prefix}_COUNTRY", Kind.COUNTRY, NONE, 3, inv=True),
    )


def _widen(spec: FieldSpec, length: int) -> FieldSpec:
    return FieldSpec(
        spec.name, spec.kind, spec.required, length, spec.digits, spec.places, spec.invoice_level
    )


# 98BI: the 24 fields (INVOICE_NUMBER and LAW_FIRM_ID widened to 50 characters by the V5
# documentation, reference §3) followed by 28 international fields.
FIELDS_98BI: Final = (
    *(_widen(s, 50) if s.name in ("INVOICE_NUMBER", "LAW_FIRM_ID") else s for s in FIELDS_1998B),
    _f("PO_NUMBER", Kind.TEXT, NONE, 100, inv=True),
    _f("CLIENT_TAX_ID", Kind.TEXT, ALL, 20, inv=True),
    _f("MATTER_NAME", Kind.TEXT, ALL, 255),
    _f("INVOICE_TAX_TOTAL", Kind.MONEY, NONE, 12, inv=True),
    _f("INVOICE_NET_TOTAL", Kind.MONEY, ALL, 12, inv=True),
    _f("INVOICE_CURRENCY", Kind.CURRENCY, ALL, 3, inv=True),
    _f("TIMEKEEPER_LAST_NAME", Kind.TEXT, F_ONLY, 30),
    _f("TIMEKEEPER_FIRST_NAME", Kind.TEXT, F_ONLY, 30),
    _f("ACCOUNT_TYPE", Kind.ACCOUNT_TYPE, ALL, 1, inv=True),
    *_party("LAW_FIRM"),
    *_party("CLIENT"),
    _f("LINE_ITEM_TAX_RATE", Kind.RATE, NONE, 1, places=10),
    _f("LINE_ITEM_TAX_TOTAL", Kind.MONEY, ALL, 10),
    _f("LINE_ITEM_TAX_TYPE", Kind.TEXT, NONE, 20),
    _f("INVOICE_REPORTED_TAX_TOTAL", Kind.MONEY, NONE, 12, inv=True),
    _f("INVOICE_TAX_CURRENCY", Kind.CURRENCY, NONE, 3, inv=True),
)

FIELD_NAMES_1998B: Final = tuple(s.name for s in FIELDS_1998B)
FIELD_NAMES_98BI: Final = tuple(s.name for s in FIELDS_98BI)


def index(fields: tuple[FieldSpec, ...]) -> dict[str, int]:
    """Field name -> 0-based column."""
    return {spec.name: i for i, spec in enumerate(fields)}
