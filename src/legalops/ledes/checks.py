"""Field-level checks shared by every format, with messages a billing clerk understands.

`Sink` collects issues; each message starts with the position ("line 5: ...") so that it reads
on its own in a report. `check_value` validates one field's text and returns the parsed value,
`None` for a blank, or `BAD` after reporting why the text is not acceptable.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Final

from legalops.ledes.codes import CODE_SHAPE, classifications, currencies, legacy_classifications
from legalops.ledes.fields import FieldSpec, Kind
from legalops.ledes.model import Issue, Level


class _Bad:
    """Marker for a value that failed its check (the error is already reported)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "BAD"


BAD: Final = _Bad()
TOLERANCE: Final = Decimal("0.01")
_NUMBER = re.compile(r"(-?)(\d*)(?:(\.)(\d*))?")
_DATE8 = re.compile(r"\d{8}")
_COUNTRY = re.compile(r"[A-Z]{2,3}")
_date_cache: dict[str, date | None] = {}


class Sink:
    """Collects issues in detection order; `on_issue` lets a caller stream them instead."""

    __slots__ = ("issues", "on_issue", "error_count")

    def __init__(self, on_issue: Callable[[Issue], None] | None = None) -> None:
        self.issues: list[Issue] = []
        self.on_issue = on_issue
        self.error_count = 0

    def add(
        self,
        level: Level,
        code: str,
        line: int | None,
        field: str | None,
        message: str,
        path: str | None = None,
    ) -> None:
        where = f"line {line}" if line is not None else "file"
        if path:
            where += f" ({path})"
        issue = Issue(level, code, f"{where}: {message}", line, path, field)
        if level == "error":
            self.error_count += 1
        if self.on_issue is not None:
            self.on_issue(issue)
        else:
            self.issues.append(issue)

    def error(
        self, code: str, line: int | None, field: str | None, message: str, path: str | None = None
    ) -> None:
        self.add("error", code, line, field, message, path)

    def warning(
        self, code: str, line: int | None, field: str | None, message: str, path: str | None = None
    ) -> None:
        self.add("warning", code, line, field, message, path)


def parse_date8(text: str) -> date | None:
    """YYYYMMDD to a date, None when it is not a real calendar date (cached: dates repeat)."""
    try:
        return _date_cache[text]
    except KeyError:
        pass
    value: date | None = None
    if _DATE8.fullmatch(text):
        try:
            value = date(int(text[:4]), int(text[4:6]), int(text[6:]))
        except ValueError:
            value = None
    if len(_date_cache) > 100_000:  # bound the cache on adversarial input
        _date_cache.clear()
    _date_cache[text] = value
    return value


def quiet_decimal(text: str) -> Decimal | None:
    """The number in `text` if it is a plain number, else None (no reporting)."""
    if not text or _NUMBER.fullmatch(text) is None or not any(c.isdigit() for c in text):
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def show(value: Decimal) -> str:
    """A computed amount for a message: two places unless it needs more (607.50, 0.1225)."""
    if value == value.quantize(TOLERANCE):
        return f"{value:.2f}"
    return f"{value.normalize():f}"


def check_number(
    spec: FieldSpec, text: str, line: int | None, sink: Sink, path: str | None = None
) -> Decimal | _Bad:
    name = spec.name
    m = _NUMBER.fullmatch(text)
    if m is None or not (m.group(2) or m.group(4)):
        sink.error(
            "number",
            line,
            name,
            f"{name} {text!r} is not a plain number: write digits "
            "with at most one dot and a leading minus, no commas, spaces or currency "
            "signs",
            path,
        )
        return BAD
    sign, whole, dot, frac = m.group(1), m.group(2), m.group(3), m.group(4) or ""
    ok = True
    if len(whole.lstrip("0")) > spec.digits:
        sink.error(
            "number",
            line,
            name,
            f"{name} {text} has more than {spec.digits} digits before the decimal point",
            path,
        )
        ok = False
    if len(frac) > spec.places:
        sink.error(
            "number",
            line,
            name,
            f"{name} {text} has {len(frac)} decimal places; at most {spec.places} are allowed",
            path,
        )
        ok = False
    if dot and not frac:
        sink.warning(
            "trailing-dot",
            line,
            name,
            f"{name} {text} ends with a dot; read as {sign}{whole}",
            path,
        )
    value = Decimal(text[:-1] if dot and not frac else text)  # exactly as billed: "0.200"
    if sign and spec.kind is Kind.UNITS:
        sink.error(
            "number",
            line,
            name,
            f"{name} {text} is negative; units are never "
            "negative (put a discount in LINE_ITEM_ADJUSTMENT_AMOUNT)",
            path,
        )
        ok = False
    if spec.kind is Kind.RATE and not Decimal(0) <= value < 1:
        sink.error(
            "number",
            line,
            name,
            f"{name} {text} must be a fraction from 0 to below 1 (0.2 means 20 %)",
            path,
        )
        ok = False
    return value if ok else BAD


def check_date8(spec: FieldSpec, text: str, line: int | None, sink: Sink) -> date | _Bad:
    value = parse_date8(text)
    if value is not None:
        return value
    if _DATE8.fullmatch(text):
        why = "is not a real calendar date"
    else:
        why = "is not a date written YYYYMMDD"
    sink.error("date", line, spec.name, f"{spec.name} {text} {why}")
    return BAD


def check_text(
    spec: FieldSpec, text: str, line: int | None, sink: Sink, path: str | None = None
) -> str | _Bad:
    if spec.length and len(text) > spec.length:
        sink.error(
            "length",
            line,
            spec.name,
            f"{spec.name} is {len(text)} characters long; at most {spec.length} are allowed",
            path,
        )
        return BAD
    return text


def check_code(
    spec: FieldSpec, text: str, line: int | None, sink: Sink, path: str | None = None
) -> str | _Bad:
    if check_text(spec, text, line, sink, path) is BAD:
        return BAD
    if CODE_SHAPE.fullmatch(text) is None:
        sink.error(
            "code",
            line,
            spec.name,
            f"{spec.name} {text!r} is not a UTBMS code (letters "
            "and digits such as L210, A103 or E101)",
            path,
        )
        return BAD
    return text


def check_classification(
    spec: FieldSpec, text: str, line: int | None, sink: Sink, path: str | None = None
) -> str | _Bad:
    if text in classifications():
        return text
    legacy = legacy_classifications().get(text)
    if legacy is not None:
        sink.warning(
            "legacy-classification",
            line,
            spec.name,
            f"{spec.name} {text} is a pre-2014 code; the LEDES (LOC) classification is {legacy}",
            path,
        )
        return text
    sink.error(
        "classification",
        line,
        spec.name,
        f"{spec.name} {text!r} is not a LEDES "
        "timekeeper classification (e.g. PARTNR, ASSOC, PARALG) nor a known legacy code",
        path,
    )
    return BAD


def check_choice(
    spec: FieldSpec, text: str, line: int | None, sink: Sink, path: str | None = None
) -> str | _Bad:
    """Currency, country, account type and line type: a value from a fixed list or shape."""
    kind = spec.kind
    if kind is Kind.CURRENCY and text in currencies():
        return text
    if kind is Kind.COUNTRY and _COUNTRY.fullmatch(text):
        return text
    if kind is Kind.ACCOUNT_TYPE and text in ("O", "T"):
        return text
    if kind is Kind.TYPE and text in ("F", "E", "IF", "IE"):
        return text
    code, expected = _CHOICE_ERRORS[kind]
    sink.error(code, line, spec.name, f"{spec.name} {text!r} is not {expected}", path)
    return BAD


_CHOICE_ERRORS: Final = {
    Kind.CURRENCY: ("currency", "an ISO 4217 currency code (e.g. USD, EUR, GBP)"),
    Kind.COUNTRY: ("country", "a 2- or 3-letter ISO country code (e.g. GB or GBR)"),
    Kind.ACCOUNT_TYPE: ("account-type", "O (own account) or T (third-party payer)"),
    Kind.TYPE: (
        "type",
        "a line type: F (fee), E (expense), IF or IE (invoice-level fee or expense adjustment)",
    ),
}
