"""Exact money for review results: ISO 4217 minor units and ROUND_HALF_UP per line (spec/cli.md).

Amounts are `Decimal` throughout; nothing here ever touches a float.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, InvalidOperation

from legalops.ledes.codes import currencies

# The ISO 4217 table ships with the LEDES toolkit (legalops/ledes/data/iso4217.json).
MINOR_UNITS: dict[str, int] = currencies()
_QUANTA: dict[str, Decimal] = {code: Decimal(1).scaleb(-n) for code, n in MINOR_UNITS.items()}
ZERO = Decimal(0)


def is_currency(code: str) -> bool:
    return code in MINOR_UNITS


def quantum(currency: str) -> Decimal:
    """The smallest unit of `currency` (0.01 for USD); unknown codes fall back to 2 places."""
    return _QUANTA.get(currency, _QUANTA["USD"])


def to_money(value: Decimal, currency: str) -> Decimal:
    """Round to the currency's minor unit, half up (the spec's per-line rounding)."""
    return value.quantize(quantum(currency), rounding=ROUND_HALF_UP)


def format_money(value: Decimal, currency: str) -> str:
    """Decimal string with exactly the minor-unit places ("1234.50", "1500", "12.500")."""
    rounded = to_money(value, currency)
    return format(rounded if rounded else abs(rounded), "f")  # never "-0.00"


# A big review rounds and prints every line amount, and amounts repeat (the same hours at the
# same rate): remembered per currency. Bounded: a full table is emptied and refilled.
_CACHE_MAX = 50_000
_ROUNDED: dict[str, dict[Decimal, Decimal]] = {}
_PRINTED: dict[str, dict[Decimal, str]] = {}


def money_rounder(currency: str) -> Callable[[Decimal], Decimal]:
    """`to_money(value, currency)`, remembered by value. Zero is never remembered: -0 and 0
    are equal keys but round to different signs."""
    table = _ROUNDED.setdefault(currency, {})
    return _remembered(lambda value: to_money(value, currency), table, keep_zero=False)


def money_printer(currency: str) -> Callable[[Decimal], str]:
    """`format_money(value, currency)`, remembered by value (equal values print alike: the
    minor unit fixes the places and "-0.00" is printed "0.00")."""
    table = _PRINTED.setdefault(currency, {})
    return _remembered(lambda value: format_money(value, currency), table, keep_zero=True)


def _remembered[T](
    compute: Callable[[Decimal], T], table: dict[Decimal, T], *, keep_zero: bool
) -> Callable[[Decimal], T]:
    get = table.get

    def remembered(value: Decimal) -> T:
        found = get(value)
        if found is None:
            found = compute(value)
            if value or keep_zero:
                if len(table) >= _CACHE_MAX:
                    table.clear()
                table[value] = found
        return found

    return remembered


def parse_decimal(text: str) -> Decimal | None:
    """A plain decimal from text, or None (no exponents, NaN or infinities)."""
    try:
        value = Decimal(text.strip())
    except (InvalidOperation, ValueError):
        return None
    return value if value.is_finite() and "e" not in text.lower() else None


def places(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def floor_to(value: Decimal, step: Decimal) -> Decimal:
    """`value` rounded down to a multiple of `step` (time-increment's round-down)."""
    return (value / step).to_integral_value(rounding=ROUND_DOWN) * step


def fmt_number(value: Decimal) -> str:
    """Hours and rates as the file gave them, without exponent notation or needless zeros.
    Remembered by value: equal Decimals ("2.6", "2.60", "-0", "0") print alike once
    normalised, and a big file repeats the same hours and rates on most lines."""
    text = _NUMBERS.get(value)
    if text is None:
        text = format(value.normalize(), "f")
        text = "0" if text in {"-0", ""} else text
        if len(_NUMBERS) >= _CACHE_MAX:
            _NUMBERS.clear()
        _NUMBERS[value] = text
    return text


_NUMBERS: dict[Decimal, str] = {}
