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

from legalops.ledes.api import LedesStream, parse, stream, validate, validate_file
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


def __getattr__(name: str) -> object:
    # The writers load lazily: `legalops ledes validate` should not pay for them at start-up.
    if name in ("write", "convert", "ConversionError"):
        from legalops.ledes import conversion

        return getattr(conversion, name)
    raise AttributeError(name)


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
