"""Exact money (DESIGN.md rule 5).

Amounts that get summed are stored as integer minor units plus an ISO 4217 code; this module is
the one place that converts between those integers and `Decimal`, with ROUND_HALF_UP to the
currency's minor unit (spec/cli.md, "Money"). No floats anywhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import cache

from legalops.ledes.codes import currencies as iso_minor_units
from legalops.ledes.codes import currency_names


class MoneyError(ValueError):
    """An amount or currency that cannot be represented exactly."""


@dataclass(frozen=True, slots=True)
class CurrencyInfo:
    code: str
    minor_unit: int
    name: str


@cache
def currencies() -> dict[str, CurrencyInfo]:
    """The ISO 4217 table, shared with the LEDES toolkit (`ledes/data/iso4217.json`)."""
    names = currency_names()
    return {
        code: CurrencyInfo(code, places, names[code]) for code, places in iso_minor_units().items()
    }


def currency(code: str) -> CurrencyInfo:
    try:
        return currencies()[code.upper()]
    except KeyError:
        raise MoneyError(f"unknown currency code {code!r} (ISO 4217)") from None


def to_minor(amount: Decimal | str | int, code: str) -> int:
    """`Decimal("1234.505")`, USD -> 123451 (ROUND_HALF_UP to the minor unit)."""
    places = currency(code).minor_unit
    try:
        value = Decimal(amount) if not isinstance(amount, Decimal) else amount
    except (InvalidOperation, ValueError):
        raise MoneyError(f"{amount!r} is not an amount") from None
    if not value.is_finite():
        raise MoneyError(f"{amount!r} is not a finite amount")
    return int(value.scaleb(places).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def from_minor(minor: int, code: str) -> Decimal:
    """123451, USD -> Decimal("1234.51"); 1500, JPY -> Decimal("1500")."""
    return Decimal(minor).scaleb(-currency(code).minor_unit)


def format_minor(minor: int, code: str) -> str:
    """The JSON form of spec/cli.md: as many places as the currency's minor unit."""
    return f"{from_minor(minor, code):f}"


@dataclass(frozen=True, slots=True)
class Money:
    """An exact amount in one currency, held as integer minor units."""

    minor: int
    currency: str

    @classmethod
    def of(cls, amount: Decimal | str | int, code: str) -> Money:
        return cls(to_minor(amount, code), currency(code).code)

    @property
    def amount(self) -> Decimal:
        return from_minor(self.minor, self.currency)

    def __add__(self, other: Money) -> Money:
        self._same_currency(other)
        return Money(self.minor + other.minor, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._same_currency(other)
        return Money(self.minor - other.minor, self.currency)

    def __neg__(self) -> Money:
        return Money(-self.minor, self.currency)

    def _same_currency(self, other: Money) -> None:
        if other.currency != self.currency:
            raise MoneyError(f"cannot combine {self.currency} and {other.currency}")

    def __str__(self) -> str:
        return f"{format_minor(self.minor, self.currency)} {self.currency}"
