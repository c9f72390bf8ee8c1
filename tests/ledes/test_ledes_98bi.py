"""98BI-specific checks: tax inside the line total, tax and net totals, international fields."""

from __future__ import annotations

import pytest
from tests.ledes.ledes_builders import bi_invoice

from legalops.ledes import parse


def errors(text: str) -> set[tuple[int | None, str | None, str]]:
    return {(i.line, i.field, i.code) for i in parse(text).errors}


def test_clean_98bi_invoice() -> None:
    result = parse(bi_invoice())
    assert (result.format, result.valid, result.issues) == ("98BI", True, ())
    invoice = result.invoices[0]
    assert (invoice.currency, str(invoice.tax_total), str(invoice.net_total)) == (
        "GBP",
        "274.00",
        "1370.00",
    )
    assert invoice.client is not None and invoice.client.tax_id == "76-1235"
    assert invoice.matter_name == "Merten Merger"
    assert str(invoice.line_items[0].tax_total) == "126"


def test_line_total_includes_tax() -> None:
    # 2 x 350 - 70 + 126 = 756; without the tax it would be 630.
    found = errors(bi_invoice(LINE_ITEM_TOTAL="630"))
    assert (3, "LINE_ITEM_TOTAL", "line-total") in found
    message = next(
        i.message for i in parse(bi_invoice(LINE_ITEM_TOTAL="630")).errors if i.code == "line-total"
    )
    assert message.endswith("= 2.00 x 350 - 70 + tax 126")


def test_invoice_tax_total_must_be_the_sum_of_line_taxes() -> None:
    found = errors(
        bi_invoice(header={"INVOICE_TAX_TOTAL": "270.00", "INVOICE_NET_TOTAL": "1374.00"})
    )
    assert found == {(3, "INVOICE_TAX_TOTAL", "invoice-total")}


def test_net_total_is_total_minus_tax() -> None:
    found = errors(bi_invoice(header={"INVOICE_NET_TOTAL": "1644.00"}))
    assert found == {(3, "INVOICE_NET_TOTAL", "invoice-total")}


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("INVOICE_CURRENCY", "ABC", "currency"),
        ("INVOICE_CURRENCY", "", "required"),
        ("LAW_FIRM_COUNTRY", "GBRX", "country"),
        ("ACCOUNT_TYPE", "X", "account-type"),
        ("CLIENT_TAX_ID", "", "required"),
        ("MATTER_NAME", "", "required"),
    ],
)
def test_international_fields(field: str, value: str, code: str) -> None:
    assert (3, field, code) in errors(bi_invoice(header={field: value}))


def test_two_letter_country_is_accepted() -> None:
    assert parse(bi_invoice(header={"LAW_FIRM_COUNTRY": "GB"})).valid


@pytest.mark.parametrize("rate", ["1", "1.5", "-0.1", "0.12345678901"])
def test_tax_rate_is_a_fraction_below_one(rate: str) -> None:
    assert (3, "LINE_ITEM_TAX_RATE", "number") in errors(bi_invoice(LINE_ITEM_TAX_RATE=rate))


def test_fee_line_needs_timekeeper_first_and_last_name() -> None:
    found = errors(bi_invoice(TIMEKEEPER_LAST_NAME="", TIMEKEEPER_FIRST_NAME=""))
    assert found == {
        (3, "TIMEKEEPER_LAST_NAME", "required"),
        (3, "TIMEKEEPER_FIRST_NAME", "required"),
    }


def test_invoice_number_may_have_50_characters() -> None:
    long_number = "N" * 50
    text = bi_invoice(header={"INVOICE_NUMBER": long_number})
    assert parse(text).valid
    assert (3, "INVOICE_NUMBER", "length") in errors(
        bi_invoice(header={"INVOICE_NUMBER": "N" * 51})
    )
