"""Format names and the few choices the public sources leave open, kept in one place.

Where the reference marks a detail unverified (shared/reference/ledes-and-utbms.md §4, §5), the
reading chosen here is the best-supported one and the format is flagged experimental: the CLI and
`ParseResult.experimental` say so, and docs/ledes.md explains why.
"""

from __future__ import annotations

from typing import Final

FORMAT_1998B: Final = "1998B"
FORMAT_98BI: Final = "98BI"
FORMAT_XML20: Final = "XML2.0"
FORMAT_XML21: Final = "XML2.1"
FORMAT_XML22: Final = "XML2.2"
FORMAT_LEDES2000: Final = "LEDES2000"

ALL_FORMATS: Final = (
    FORMAT_1998B,
    FORMAT_98BI,
    FORMAT_XML20,
    FORMAT_XML21,
    FORMAT_XML22,
    FORMAT_LEDES2000,
)
TEXT_FORMATS: Final = frozenset({FORMAT_1998B, FORMAT_98BI})
XML2_FORMATS: Final = frozenset({FORMAT_XML20, FORMAT_XML21, FORMAT_XML22})
# Formats we can write (LEDES 2000 is read-only: its element names are unverified).
WRITABLE_FORMATS: Final = (FORMAT_1998B, FORMAT_98BI, FORMAT_XML20, FORMAT_XML21, FORMAT_XML22)

# XML 2.1's root element and namespace are not in any source at hand; the 2.0 sample uses
# `ledesxml`/ledes20.xsd and a 2.2 writer uses `ledesxmlebilling2.2`/LEDES22.xsd, so 2.1 is read
# and written by analogy. LEDES 2000's UTBMS element names are likewise unverified.
EXPERIMENTAL_FORMATS: Final = frozenset({FORMAT_XML21, FORMAT_LEDES2000})

# Text format markers (line 1), exactly as the specs print them.
MARKERS: Final = {FORMAT_1998B: "LEDES1998B[]", FORMAT_98BI: "LEDES98BI V2[]"}

# XML 2.x: (root element, namespace) written for each version; reading also accepts any root
# whose namespace or name mentions the version (see xml2.detect_version).
XML_ROOTS: Final = {
    FORMAT_XML20: ("ledesxml", "http://www.ledes.org/ledes20.xsd"),
    FORMAT_XML21: ("ledesxmlebilling2.1", "http://www.ledes.org/LEDES21.xsd"),  # unverified
    FORMAT_XML22: ("ledesxmlebilling2.2", "http://www.ledes.org/LEDES22.xsd"),
}

ENVELOPE_SMIME: Final = "smime"


def normalize_format(name: str) -> str | None:
    """The canonical format name for user input in any case (`1998b`, `xml2.2`), else None."""
    wanted = name.strip().upper().replace(" ", "")
    for known in ALL_FORMATS:
        if known.upper() == wanted:
            return known
    return None
