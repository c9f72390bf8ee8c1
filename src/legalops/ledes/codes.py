"""UTBMS code sets, LOC timekeeper classifications and ISO 4217 currencies, read from the
versioned data files in `legalops/ledes/data/` (each file names its sources).

Lookups are cached: the files are read once per process, on first use.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from functools import cache
from typing import Any

# Shape of a UTBMS code: up to three letters then digits (L210, A103, E101; the 2023 patent
# prosecution codes are numeric). Membership in a set is a guideline question, not a format rule.
CODE_SHAPE = re.compile(r"[A-Z]{0,3}[0-9]{1,6}")


@dataclass(frozen=True, slots=True)
class Code:
    """One UTBMS code: `parent` is its phase (L210 -> L200) or None for a phase/top code."""

    code: str
    name: str
    set: str
    kind: str  # task, activity or expense
    parent: str | None


@dataclass(frozen=True, slots=True)
class Classification:
    code: str
    name: str
    verified: bool


_DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")


def _load(name: str) -> Any:
    # A plain path (not importlib.resources): the package ships as files, and pathlib
    # and importlib.resources would lengthen the CLI's start-up.
    with open(os.path.join(_DATA, name), "rb") as handle:
        return json.load(handle)


@cache
def utbms_codes() -> dict[str, Code]:
    """Every known UTBMS code by code."""
    out: dict[str, Code] = {}
    for code_set in _load("utbms.json")["sets"]:
        for item in code_set["codes"]:
            out[item["code"]] = Code(
                item["code"], item["name"], code_set["set"], code_set["kind"], item["parent"]
            )
    return out


@cache
def utbms_sets() -> dict[str, tuple[Code, ...]]:
    """Set key (litigation, counseling, project, bankruptcy, activity, expense) -> its codes."""
    out: dict[str, list[Code]] = {}
    for code in utbms_codes().values():
        out.setdefault(code.set, []).append(code)
    return {key: tuple(codes) for key, codes in out.items()}


def utbms_lookup(code: str) -> Code | None:
    """The code's record, or None when it is in no set we ship."""
    return utbms_codes().get(code.strip().upper())


def utbms_phase(code: str) -> str | None:
    """The phase a task code belongs to (L210 -> L200; C300 -> C300; unknown -> None)."""
    found = utbms_lookup(code)
    if found is None:
        return None
    return found.parent or found.code


def is_code_shape(code: str) -> bool:
    return CODE_SHAPE.fullmatch(code) is not None


@cache
def classifications() -> dict[str, Classification]:
    """The LOC timekeeper classifications by code."""
    return {
        c["code"]: Classification(c["code"], c["name"], c["verified"])
        for c in _load("timekeeper_classifications.json")["classifications"]
    }


@cache
def legacy_classifications() -> dict[str, str]:
    """Pre-2014 classification codes -> the LOC code they map to (PT -> PARTNR)."""
    codes: dict[str, str] = _load("timekeeper_classifications.json")["legacy"]["codes"]
    return dict(codes)


def classification_of(code: str) -> str | None:
    """The LOC code for a LOC or legacy code (PT -> PARTNR); None when unknown."""
    if code in classifications():
        return code
    return legacy_classifications().get(code)


@cache
def currencies() -> dict[str, int]:
    """ISO 4217 alphabetic code -> minor unit (USD -> 2, JPY -> 0, KWD -> 3)."""
    table: dict[str, int] = _load("iso4217.json")["currencies"]
    return dict(table)


@cache
def currency_names() -> dict[str, str]:
    """ISO 4217 alphabetic code -> the currency's English name (USD -> US Dollar)."""
    table: dict[str, str] = _load("iso4217.json")["names"]
    return dict(table)


def minor_unit(currency: str | None, default: int = 2) -> int:
    """Decimal places of the currency's minor unit; `default` for None or an unknown code."""
    if currency is None:
        return default
    return currencies().get(currency.upper(), default)
