"""Property tests: write -> parse is the identity; any bytes give a result, never an exception."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from legalops.ledes import Invoice, LineItem, parse, validate, validate_file, write

# Required text has content: the XML reader strips element text, so a value of spaces only
# reads back as missing (and is reported as such), which is right for a required field.
text = st.text(
    alphabet=st.characters(min_codepoint=32, max_codepoint=126, blacklist_characters="|[]"),
    min_size=1,
    max_size=20,
).filter(str.strip)
ident = st.from_regex(r"[A-Z0-9][A-Z0-9-]{0,9}", fullmatch=True)
money = st.decimals(
    min_value=Decimal("-99999"),
    max_value=Decimal("99999"),
    places=2,
    allow_nan=False,
    allow_infinity=False,
)
units = st.decimals(min_value=Decimal("0"), max_value=Decimal("99"), places=1)
day = st.dates(min_value=date(2000, 1, 1), max_value=date(2030, 12, 31))


@st.composite
def fee_items(draw: st.DrawFn, n: int) -> LineItem:
    u, cost, adj = draw(units), draw(money.map(abs)), draw(money)
    return LineItem(
        line_item_number=str(n),
        type="F",
        total=u * cost + adj,
        date=draw(day),
        units=u,
        unit_cost=cost,
        adjustment_amount=adj,
        task_code=draw(st.sampled_from(["L110", "L210", "P400", "C300"])),
        activity_code=draw(st.sampled_from(["A101", "A104"])),
        timekeeper_id=draw(ident),
        timekeeper_name=draw(text),
        timekeeper_classification=draw(st.sampled_from(["PARTNR", "ASSOC"])),
        description=draw(text),
        law_firm_matter_id="M1",
        line=2 + n,
    )


@st.composite
def invoices(draw: st.DrawFn) -> Invoice:
    items = tuple(draw(fee_items(n)) for n in range(1, draw(st.integers(1, 5)) + 1))
    start = draw(day)
    return Invoice(
        invoice_number=draw(ident),
        invoice_date=start,
        law_firm_id=draw(ident),
        client_id=draw(ident),
        client_matter_id=None,
        law_firm_matter_id="M1",
        billing_start_date=start,
        billing_end_date=start,
        description=draw(text),
        currency=None,
        total=sum((i.total for i in items), Decimal(0)),
        line_items=items,
    )


@given(invoices())
def test_write_then_parse_is_identity(invoice: Invoice) -> None:
    result = parse(write([invoice], "1998B"))
    assert not result.errors, [i.message for i in result.errors]
    (back,) = result.invoices
    for got, want in zip(back.line_items, invoice.line_items, strict=True):
        assert (
            got.units,
            got.unit_cost,
            got.adjustment_amount,
            got.total,
            got.date,
            got.description,
            got.timekeeper_id,
        ) == (
            want.units,
            want.unit_cost,
            want.adjustment_amount,
            want.total,
            want.date,
            want.description,
            want.timekeeper_id,
        )
    assert (back.invoice_number, back.total, back.description) == (
        invoice.invoice_number,
        invoice.total,
        invoice.description,
    )


@given(st.binary(max_size=2000))
def test_any_bytes_give_a_result(data: bytes) -> None:
    result = validate(data)
    assert result.valid or result.errors


pipe_soup = st.lists(
    st.sampled_from(
        [
            "LEDES1998B[]",
            "LEDES98BI V2[]",
            "|",
            "[]",
            "\n",
            "\r\n",
            "19990101",
            "1.5",
            "-",
            ".",
            "F",
            "IF",
            "x",
            "",
            "\u2019",
            "<",
            "ledesxml>",
            "PARTNR",
            "L210",
        ]
    ),
    max_size=200,
)


@given(pipe_soup)
def test_ledes_looking_junk_gives_a_result(parts: list[str]) -> None:
    result = parse("".join(parts))
    assert result.valid or result.errors


@given(st.text(max_size=500))
def test_any_text_gives_a_result(data: str) -> None:
    result = parse(data)
    assert result.valid or result.errors


@given(invoices())
def test_xml_write_then_parse_keeps_amounts(invoice: Invoice) -> None:
    from dataclasses import replace

    result = parse(write([replace(invoice, currency="USD")], "XML2.2"))
    assert not result.errors, [i.message for i in result.errors]
    (back,) = result.invoices
    assert back.total == invoice.total and back.currency == "USD"
    assert [
        (i.units, i.unit_cost, i.adjustment_amount, i.total, i.date, i.task_code)
        for i in back.line_items
    ] == [
        (i.units, i.unit_cost, i.adjustment_amount, i.total, i.date, i.task_code)
        for i in invoice.line_items
    ]


@given(pipe_soup)
def test_streaming_validation_equals_in_memory(parts: list[str]) -> None:
    import os
    import tempfile

    data = "".join(parts).encode("utf-8")
    handle, name = tempfile.mkstemp(suffix=".txt")
    try:
        os.write(handle, data)
        os.close(handle)
        assert validate_file(name).issues == validate(data).issues
    finally:
        os.unlink(name)
