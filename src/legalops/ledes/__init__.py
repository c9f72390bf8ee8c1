"""legalops.ledes: parse, validate, write and convert LEDES e-billing files (pure library).

Public API (stable; see docs/ledes.md):

- `parse(data, filename=None) -> ParseResult` and `validate(...)`, `validate_file(path)`,
  `stream(path_or_file)` for bounded-memory iteration over invoices;
- `write(invoices, format) -> str`, `convert(data, to) -> ConvertResult`;
- the records `Invoice`, `LineItem`, `Timekeeper`, `Matter`, `Party`, `Tax`, `Issue`,
  `ParseResult`;
- code sets: `utbms_lookup`, `utbms_phase`, `utbms_sets`, `classification_of`, `minor_unit`.

Nothing here imports Django.
"""

from importlib import import_module
from typing import TYPE_CHECKING

from legalops.ledes.codes import (
    Classification,
    Code,
    classification_of,
    classifications,
    legacy_classifications,
    minor_unit,
    utbms_lookup,
    utbms_phase,
    utbms_sets,
)
from legalops.ledes.formats import (
    ALL_FORMATS,
    EXPERIMENTAL_FORMATS,
    FORMAT_98BI,
    FORMAT_1998B,
    FORMAT_LEDES2000,
    FORMAT_XML20,
    FORMAT_XML21,
    FORMAT_XML22,
    normalize_format,
)

if TYPE_CHECKING:
    from legalops.ledes.api import LedesStream, parse, stream, validate, validate_file
    from legalops.ledes.conversion import ConversionError, convert, write
    from legalops.ledes.model import (
        Invoice,
        Issue,
        LineItem,
        Matter,
        ParseResult,
        Party,
        Tax,
        Timekeeper,
    )

# The parser, the records and the writers load on first use: the platform imports this package
# for its code sets (UTBMS phases, currencies' minor units) in every process, `legalops kpi`
# included, and `legalops ledes validate` should not pay for the writers.
_LAZY = {
    **dict.fromkeys(("LedesStream", "parse", "stream", "validate", "validate_file"), "api"),
    **dict.fromkeys(("ConversionError", "convert", "write"), "conversion"),
    **dict.fromkeys(
        ("Invoice", "Issue", "LineItem", "Matter", "ParseResult", "Party", "Tax", "Timekeeper"),
        "model",
    ),
}


def __getattr__(name: str) -> object:
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"legalops.ledes.{_LAZY[name]}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})


__all__ = [
    "ConversionError",
    "ALL_FORMATS",
    "EXPERIMENTAL_FORMATS",
    "FORMAT_1998B",
    "FORMAT_98BI",
    "FORMAT_LEDES2000",
    "FORMAT_XML20",
    "FORMAT_XML21",
    "FORMAT_XML22",
    "Classification",
    "Code",
    "Invoice",
    "Issue",
    "LedesStream",
    "LineItem",
    "Matter",
    "ParseResult",
    "Party",
    "Tax",
    "Timekeeper",
    "classification_of",
    "convert",
    "classifications",
    "legacy_classifications",
    "minor_unit",
    "normalize_format",
    "parse",
    "stream",
    "utbms_lookup",
    "utbms_phase",
    "utbms_sets",
    "validate",
    "validate_file",
    "write",
]
