"""Streaming: invoices come out as they end; issues match the in-memory parse."""

from __future__ import annotations

from pathlib import Path

from tests.ledes.ledes_builders import EXPENSE, FEE, FEE2, ledes_1998b

from legalops.ledes import Issue, parse, stream, validate, validate_file

SECOND = {"INVOICE_NUMBER": "96543", "INVOICE_TOTAL": "700"}


def two_invoices() -> str:
    return ledes_1998b(
        FEE,
        FEE2,
        EXPENSE,
        {**FEE2, **SECOND, "LINE_ITEM_NUMBER": "1"},
        header={"INVOICE_TOTAL": "1370.00"},
    )


def test_stream_yields_each_invoice(tmp_path: Path) -> None:
    path = tmp_path / "two.txt"
    path.write_text(two_invoices())
    s = stream(path)
    numbers = [(inv.invoice_number, len(inv.line_items)) for inv in s]
    assert numbers == [("96542", 3), ("96543", 1)]
    assert s.result is not None and s.result.valid and s.result.invoice_count == 2


def test_validate_file_agrees_with_parse_and_can_stream_issues(tmp_path: Path) -> None:
    text = ledes_1998b({**FEE, "LINE_ITEM_TOTAL": "1"}, FEE2, EXPENSE)
    path = tmp_path / "bad.txt"
    path.write_text(text)
    seen: list[Issue] = []
    streamed = validate_file(path, on_issue=seen.append)
    assert streamed.issues == () and seen  # handed over, not kept
    assert sorted(seen, key=lambda i: i.line or 0) == list(parse(text).issues)


def test_reopened_invoice_is_merged_in_parse() -> None:
    """96542's lines are interrupted by 96543's: parse merges them back into one invoice."""
    text = ledes_1998b(
        FEE,
        {**FEE2, **SECOND},
        {**FEE2, "LINE_ITEM_NUMBER": "2"},
        EXPENSE,
        header={"INVOICE_TOTAL": "1370.00"},
    )
    result = parse(text)
    assert result.valid, [i.message for i in result.errors]
    assert [len(i.line_items) for i in result.invoices] == [3, 1]


def test_reopened_invoice_in_bounded_memory_validation() -> None:
    """validate() packs finished invoices; a reopened one is unpacked and still checked."""
    lines = [FEE, {**FEE2, **SECOND}, {**FEE2, "LINE_ITEM_NUMBER": "2"}, EXPENSE]
    assert validate(ledes_1998b(*lines, header={"INVOICE_TOTAL": "1370.00"})).valid
    lines[3] = {**EXPENSE, "CLIENT_ID": "00712"}  # line 6: 96542 again, after 96543
    text = ledes_1998b(*lines, header={"INVOICE_TOTAL": "1370.00"})
    assert [(i.line, i.field, i.code) for i in validate(text).errors] == [
        (6, "CLIENT_ID", "inconsistent-invoice-field")
    ]
