"""Every file of shared/corpus/ledes gets the verdict its SOURCES.md describes.

The expectations below are transcribed from SOURCES.md (the "expected verdict" column and the
per-file notes), not from what the code outputs: the codes named are the ones those notes
describe. Deliberate differences are documented in docs/ledes.md ("Corpus verdicts").
"""

from __future__ import annotations

from pathlib import Path

import pytest

from legalops.ledes import parse, validate_file

pytestmark = pytest.mark.corpus

LEX = "Lexitree-Labs__LEDES/test__data__"
TB = "travisbashor__ledes-parser/"
MW = "mikewagner__ledes_parser/spec__fixtures__"
VJ = "vijrams__digital-signature/src__test__resources__"

# file -> (format, envelope, valid, error codes that must appear, warning codes that must appear)
CASES: dict[str, tuple[str | None, str | None, bool, set[str], set[str]]] = {
    # 1: valid apart from one non-ASCII character (U+2019); no final newline; 1250. trailing dot
    f"{LEX}ledes1998b_good.txt": (
        "1998B",
        None,
        True,
        set(),
        {"non-ascii", "final-newline", "trailing-dot"},
    ),
    # 2: E line without unit cost or expense code
    f"{LEX}ledes1998b_eager_bad.txt": ("1998B", None, False, {"required"}, set()),
    # 3: almost every field broken: marker, header, dates, lengths, type, decimals, class, dups
    f"{LEX}ledes1998b_greedy_bad.txt": (
        "1998B",
        None,
        False,
        {
            "header",
            "date",
            "length",
            "required",
            "type",
            "number",
            "classification",
            "duplicate-line-number",
        },
        set(),
    ),
    # 4: fields valid, totals do not reconcile (truncated sample)
    f"{LEX}ledes98bi_good.txt": ("98BI", None, False, {"invoice-total"}, set()),
    # 5: fee line without timekeeper name (and totals cannot reconcile)
    f"{LEX}ledes98bi_eager_bad.txt": ("98BI", None, False, {"required", "invoice-total"}, set()),
    # 6: marker, header, dates, lengths, currency, countries, tax rate decimals, net digits
    f"{LEX}ledes98bi_greedy_bad.txt": (
        "98BI",
        None,
        False,
        {"header", "date", "length", "currency", "country", "number", "type", "classification"},
        set(),
    ),
    # 7: same as #1 plus final newline
    f"{TB}tests__data__ledes@b47a6a5.txt": ("1998B", None, True, set(), {"non-ascii"}),
    # 8: valid, pure ASCII: the clean baseline
    f"{TB}tests__data__ledes_98B@f0ac5be.txt": ("1998B", None, True, set(), set()),
    # 9: duplicate line number, conflicting header fields, total mismatch
    f"{TB}tests__data__ledes_98B@c75ea5c.txt": (
        "1998B",
        None,
        False,
        {"duplicate-line-number", "inconsistent-invoice-field", "invoice-total"},
        set(),
    ),
    # 10: duplicate line number, total mismatch, varying description
    f"{TB}notebooks__ledes_98B__data__ledes_98B@c75ea5c.txt": (
        "1998B",
        None,
        False,
        {"duplicate-line-number", "invoice-total", "inconsistent-invoice-field"},
        set(),
    ),
    # 11: line and invoice totals reconcile; INVOICE_TAX_TOTAL / INVOICE_NET_TOTAL do not
    f"{TB}tests__data__ledes_98BI@c75ea5c.txt": ("98BI", None, False, {"invoice-total"}, set()),
    # 12: CRLF, legacy PT/AS, INVOICE_TOTAL differs inside the invoice
    f"{MW}ledes.txt": (
        "1998B",
        None,
        False,
        {"inconsistent-invoice-field"},
        {"line-ending", "legacy-classification"},
    ),
    # 13: valid single fee line (CRLF, legacy class PT)
    f"{MW}ledes_single_line_item.txt": (
        "1998B",
        None,
        True,
        set(),
        {"line-ending", "legacy-classification"},
    ),
    # 14: first line LEDES1998Z[]
    f"{MW}ledes_with_invalid_format.txt": ("1998B", None, False, {"header"}, set()),
    # 15: header line INVALID_HEADERS[]
    f"{MW}ledes_with_invalid_headers.txt": ("1998B", None, False, {"header"}, set()),
    # 16: first line empty (format marker missing)
    "RobertoMalatesta__rledes/test_bad.txt": ("1998B", None, False, {"header"}, set()),
    # 17: LEDES XML 2.0, valid, every total reconciles
    f"{VJ}sample.xml": ("XML2.0", None, True, set(), set()),
    # 18: totals fine; invalid codes/classification on an E line
    f"{VJ}sample98bi.txt": ("98BI", None, False, {"code", "classification"}, set()),
    # 19: S/MIME around 1998B; payload has dates outside the billing period (a warning)
    f"{VJ}sample98BI-bad.signed.txt": (
        "1998B",
        "smime",
        True,
        set(),
        {"line-date-outside-period", "legacy-classification"},
    ),
}

# Error codes the notes rule out for a file (so that a check firing too eagerly fails here).
MUST_NOT: dict[str, set[str]] = {
    f"{LEX}ledes98bi_good.txt": {"required", "number", "length", "line-total"},
    f"{TB}tests__data__ledes_98BI@c75ea5c.txt": {"line-total", "required"},
    f"{MW}ledes.txt": {"invoice-total"},  # the line totals do sum to 2934.45
    f"{VJ}sample98bi.txt": {"invoice-total", "line-total"},
}


def test_corpus_has_the_19_files(corpus_dir: Path) -> None:
    files = {
        p.relative_to(corpus_dir / "ledes").as_posix() for p in (corpus_dir / "ledes").glob("*/*")
    }
    assert files == set(CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_verdict(corpus_dir: Path, name: str) -> None:
    fmt, envelope, valid, must_errors, must_warnings = CASES[name]
    result = parse((corpus_dir / "ledes" / name).read_bytes())
    found_errors = {i.code for i in result.errors}
    assert (result.format, result.envelope, result.valid) == (fmt, envelope, valid), [
        i.message for i in result.errors
    ]
    assert must_errors <= found_errors
    assert must_warnings <= {i.code for i in result.warnings}
    assert not (MUST_NOT.get(name, set()) & found_errors)


@pytest.mark.parametrize("name", sorted(CASES))
def test_streaming_validation_agrees_with_parse(corpus_dir: Path, name: str) -> None:
    path = corpus_dir / "ledes" / name
    in_memory, streamed = parse(path.read_bytes()), validate_file(path)
    assert streamed.issues == in_memory.issues
    assert (streamed.invoice_count, streamed.line_item_count) == (
        in_memory.invoice_count,
        in_memory.line_item_count,
    )


def test_canonical_example_records(corpus_dir: Path) -> None:
    """Corpus #8, the spec's worked example: invoice 96542 = 630 + 700 + 40 + 24.95 + 289.5."""
    result = parse((corpus_dir / "ledes" / f"{TB}tests__data__ledes_98B@f0ac5be.txt").read_bytes())
    first, second = result.invoices
    assert [str(i.total) for i in first.line_items] == ["630", "700", "40", "24.95", "289.5"]
    assert str(first.total) == "1684.45" and first.currency is None
    assert [i.line for i in first.line_items] == [3, 4, 5, 6, 7]
    assert (second.invoice_number, second.line_items[0].type) == ("96543", "IF")
    assert str(second.line_items[0].adjustment_amount) == "1250"
    assert first.line_items[2].timekeeper_classification == "ASSOC"


def test_signed_file_lines_count_from_the_payload(corpus_dir: Path) -> None:
    result = parse((corpus_dir / "ledes" / f"{VJ}sample98BI-bad.signed.txt").read_bytes())
    assert [inv.line for inv in result.invoices] == [3, 4, 5]
    assert [inv.invoice_number for inv in result.invoices] == ["1660278", "1660277", "1660276"]
