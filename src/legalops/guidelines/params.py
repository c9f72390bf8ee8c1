"""Rule parameters: their kinds, how a TOML value is checked and converted, and the resolved
settings a rule runs with.

A kind is checked against the raw TOML value; the error text is what the guidelines author sees
next to the file, line and key.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from legalops.guidelines.money import parse_decimal

# The action ladder, weakest first (spec/guidelines.md).
ACTIONS: tuple[str, ...] = ("warn", "hold", "reduce", "reject-line", "reject-invoice")
ACTION_RANK: dict[str, int] = {name: rank for rank, name in enumerate(ACTIONS)}


class ParamError(ValueError):
    """A value of the wrong kind; the message says what was expected."""


@dataclass(frozen=True, slots=True)
class Param:
    kind: str  # bool | int | number | percent | money | money_map | codes | terms
    choices: tuple[str, ...] = ()  # for codes/terms: the allowed values, when closed

    def convert(self, value: object) -> object:
        return _CONVERTERS[self.kind](self, value)


def _describe(value: object) -> str:
    names = {bool: "boolean", int: "integer", float: "number", str: "string", list: "array"}
    return names.get(type(value), "table" if isinstance(value, dict) else type(value).__name__)


def _bool(_: Param, value: object) -> bool:
    if not isinstance(value, bool):
        raise ParamError(f"expected true or false, got {_describe(value)}")
    return value


def _int(_: Param, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ParamError(f"expected a whole number >= 0, got {_describe(value)} {value!r}")
    return value


def _number(_: Param, value: object) -> Decimal:
    # Hours and percentages are TOML numbers; str() of a float keeps what the author typed.
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ParamError(f"expected a number, got {_describe(value)} {value!r}")
    number = parse_decimal(str(value))
    if number is None or number < 0:
        raise ParamError(f"expected a number >= 0, got {value!r}")
    return number


def _percent(param: Param, value: object) -> Decimal:
    number = _number(param, value)
    if number > 100:
        raise ParamError(f"expected a percentage between 0 and 100, got {value!r}")
    return number


def _money(_: Param, value: object) -> Decimal:
    # Money is a string so that no float ever carries it (spec/guidelines.md).
    if not isinstance(value, str):
        raise ParamError(f'expected money as a string such as "0.10", got {_describe(value)}')
    number = parse_decimal(value)
    if number is None or number < 0:
        raise ParamError(f"expected a decimal amount >= 0, got {value!r}")
    return number


def _money_map(param: Param, value: object) -> dict[str, Decimal]:
    if not isinstance(value, dict):
        raise ParamError(f'expected a table such as {{ E101 = "0.10" }}, got {_describe(value)}')
    return {str(code).upper(): _money(param, amount) for code, amount in value.items()}


def _strings(value: object) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ParamError(f"expected an array of strings, got {_describe(value)}")
    return [item.strip() for item in value]


def _closed(param: Param, items: list[str]) -> None:
    unknown = [item for item in items if param.choices and item not in param.choices]
    if unknown:
        raise ParamError(f"unknown value {unknown[0]!r} (allowed: {', '.join(param.choices)})")


def _codes(param: Param, value: object) -> tuple[str, ...]:
    items = [item.upper() for item in _strings(value)]
    _closed(param, items)
    return tuple(items)


def _terms(param: Param, value: object) -> tuple[str, ...]:
    items = [" ".join(item.lower().split()) for item in _strings(value)]
    _closed(param, items)
    return tuple(item for item in items if item)


_CONVERTERS = {
    "bool": _bool,
    "int": _int,
    "number": _number,
    "percent": _percent,
    "money": _money,
    "money_map": _money_map,
    "codes": _codes,
    "terms": _terms,
}


@dataclass(frozen=True, slots=True)
class RuleSettings:
    """What one rule runs with for one invoice, after defaults and overrides."""

    rule_id: str
    enabled: bool
    action: str
    params: Mapping[str, Any]

    def decimal(self, name: str) -> Decimal:
        value = self.params[name]
        assert isinstance(value, Decimal)
        return value

    def integer(self, name: str) -> int:
        value = self.params[name]
        assert isinstance(value, int)
        return value

    def strings(self, name: str) -> tuple[str, ...]:
        value = self.params[name]
        assert isinstance(value, tuple)
        return value

    def money_map(self, name: str) -> Mapping[str, Decimal]:
        value = self.params[name]
        assert isinstance(value, dict)
        return value
