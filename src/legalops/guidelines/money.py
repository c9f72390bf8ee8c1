"""Exact money for review results: ISO 4217 minor units and ROUND_HALF_UP per line (spec/cli.md).

Amounts are `Decimal` throughout; nothing here ever touches a float.
"""

from __future__ import annotations

from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, InvalidOperation

# ISO 4217 minor units that differ from 2 (ISO 4217 amendment list; SIX Group table).
_NOT_TWO: dict[str, int] = {
    **dict.fromkeys(
        "BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF".split(), 0
    ),
    **dict.fromkeys("BHD IQD JOD KWD LYD OMR TND".split(), 3),
    **dict.fromkeys("CLF UYW".split(), 4),
}
# Active ISO 4217 codes with two decimals (funds codes such as BOV and USN included).
_TWO = (
    "AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BOV BRL BSD BTN BWP "
    "BYN BZD CAD CDF CHE CHF CHW CNY COP COU CRC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR FJD "
    "FKP GBP GEL GHS GIP GMD GTQ GYD HKD HNL HTG HUF IDR ILS INR IRR JMD KES KGS KHR KPW KYD "
    "KZT LAK LBP LKR LRD LSL MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD "
    "NGN NIO NOK NPR NZD PAB PEN PGK PHP PKR PLN QAR RON RSD RUB SAR SBD SCR SDG SEK SGD SHP "
    "SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TOP TRY TTD TWD TZS UAH USD USN UYU UZS VED "
    "VES WST XCD XCG YER ZAR ZMW ZWG"
).split()
MINOR_UNITS: dict[str, int] = {**dict.fromkeys(_TWO, 2), **_NOT_TWO}
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
    text = format(to_money(value, currency), "f")
    return "0" + text[2:] if text.startswith("-0") and not to_money(value, currency) else text


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
    """Hours and rates as the file gave them, without exponent notation or needless zeros."""
    text = format(value.normalize(), "f")
    return "0" if text in {"-0", ""} else text
