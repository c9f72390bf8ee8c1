"""Writers and conversion: round trips of what both formats carry, refusals with reasons."""

from __future__ import annotations

import pytest
from tests.ledes.ledes_builders import bi_invoice, fee_invoice, xml_document

from legalops.ledes import ConversionError, convert, parse, write

FIELDS = (
    "invoice_number",
    "invoice_date",
    "law_firm_id",
    "client_id",
    "billing_start_date",
    "billing_end_date",
    "description",
    "currency",
    "total",
)
LINE_FIELDS = (
    "line_item_number",
    "type",
    "units",
    "unit_cost",
    "adjustment_amount",
    "total",
    "date",
    "task_code",
    "activity_code",
    "expense_code",
    "timekeeper_id",
    "timekeeper_classification",
    "description",
    "tax_total",
)


def summary(data: str) -> list[tuple[object, ...]]:
    result = parse(data)
    assert result.valid, [i.message for i in result.errors]
    return [
        tuple(getattr(inv, f) for f in FIELDS)
        + tuple(tuple(getattr(i, f) for f in LINE_FIELDS) for i in inv.line_items)
        for inv in result.invoices
    ]


@pytest.mark.parametrize(("source", "fmt"), [(fee_invoice(), "1998B"), (bi_invoice(), "98BI")])
def test_text_write_is_byte_identical_for_clean_files(source: str, fmt: str) -> None:
    assert write(parse(source).invoices, fmt) == source


def test_write_replaces_characters_the_format_cannot_carry() -> None:
    invoice = parse(fee_invoice()).invoices[0]
    item = invoice.line_items[0]
    import dataclasses

    odd = dataclasses.replace(item, description="a|b [] c\nd")
    text = write([dataclasses.replace(invoice, line_items=(odd,))], "1998B")
    assert "a/b () c d" in text


def renumbered(rows: list[tuple[object, ...]]) -> list[tuple[object, ...]]:
    """XML numbers every element (file_item_nbr), so line item numbers are not compared."""
    return [tuple(r[1:] if isinstance(r, tuple) else r for r in row) for row in rows]


def test_98bi_to_xml_and_back_keeps_the_values() -> None:
    source = bi_invoice(header={"INVOICE_REPORTED_TAX_TOTAL": "", "INVOICE_TAX_CURRENCY": ""})
    xml = convert(source, "XML2.2")
    assert parse(xml).format == "XML2.2"
    assert renumbered(summary(convert(xml, "98BI"))) == renumbered(summary(source))


def test_98bi_reported_tax_has_no_place_in_xml() -> None:
    with pytest.raises(ConversionError) as refused:
        convert(bi_invoice(), "XML2.2")
    assert any("INVOICE_REPORTED_TAX_TOTAL" in r for r in refused.value.reasons)


def test_xml_round_trip_between_versions() -> None:
    out = convert(xml_document(), "XML2.1")
    assert parse(out).format == "XML2.1"
    assert renumbered(summary(convert(out, "XML2.0"))) == renumbered(summary(xml_document()))


def test_1998b_to_98bi_is_refused_for_what_1998b_lacks() -> None:
    with pytest.raises(ConversionError) as refused:
        convert(fee_invoice(), "98BI", currency="USD")
    assert any("CLIENT_TAX_ID" in r for r in refused.value.reasons)


def test_98bi_to_1998b_refuses_the_currency_and_taxes() -> None:
    with pytest.raises(ConversionError) as refused:
        convert(bi_invoice(), "1998B")
    text = " ".join(refused.value.reasons)
    assert "currency GBP" in text and "line tax 126" in text


def test_allow_loss_writes_a_valid_file_without_tax() -> None:
    out = convert(bi_invoice(), "1998B", allow_loss=True)
    result = parse(out)
    assert result.valid and str(result.invoices[0].total) == "1370.00"


def test_1998b_to_xml_needs_a_currency() -> None:
    with pytest.raises(ConversionError):
        convert(fee_invoice(), "XML2.2")
    assert parse(convert(fee_invoice(), "XML2.2", currency="usd")).invoices[0].currency == "USD"


def test_invalid_input_is_not_converted() -> None:
    with pytest.raises(ConversionError) as refused:
        convert(fee_invoice(LINE_ITEM_TOTAL="1"), "1998B")
    assert "not valid" in refused.value.reasons[0]


def test_unknown_target_format() -> None:
    with pytest.raises(ConversionError):
        convert(fee_invoice(), "LEDES2000")
    with pytest.raises(ValueError, match="cannot write"):
        write([], "PDF")
