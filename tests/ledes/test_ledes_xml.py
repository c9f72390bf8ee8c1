"""LEDES XML 2.x: reading, positions, checks and the refusal of unsafe XML."""

from __future__ import annotations

import pytest
from tests.ledes.ledes_builders import XML_FEE, xml_document

from legalops.ledes import parse


def test_valid_document_and_normalised_records() -> None:
    result = parse(xml_document())
    assert (result.format, result.valid, result.issues) == ("XML2.0", True, ())
    invoice = result.invoices[0]
    assert (invoice.invoice_number, invoice.currency, str(invoice.total)) == (
        "1234",
        "GBP",
        "1175.00",
    )
    fee = invoice.line_items[0]
    # 500.00 + 17.5 % = 587.50: XML lines are normalised like 98BI (total includes tax).
    assert (str(fee.total), str(fee.tax_total), fee.timekeeper_name) == (
        "587.50",
        "87.50",
        "Doe, Jane",
    )
    assert fee.path == "/ledesxml/firm[1]/client[1]/invoice[1]/matter[1]/fee[1]"
    assert xml_document().split("\n")[fee.line - 1].strip() == "<fee>"  # type: ignore[operator]


@pytest.mark.parametrize(
    ("root", "fmt"),
    [
        ('<ledesxmlebilling2.2 xmlns="http://www.ledes.org/LEDES22.xsd">', "XML2.2"),
        ('<ledesxmlebilling2.1 xmlns="http://www.ledes.org/LEDES21.xsd">', "XML2.1"),
    ],
)
def test_versions_from_root(root: str, fmt: str) -> None:
    close = "</" + root[1:].split(" ")[0] + ">"
    result = parse(xml_document(root=root, close=close))
    assert result.format == fmt and result.valid
    assert result.experimental is (fmt == "XML2.1")


def test_base_amount_arithmetic() -> None:
    fees = XML_FEE.format(units="2", base="500.00", total="500.00", nbr="10")
    result = parse(xml_document(fees=fees, net_due="587.50", tax="87.50"))
    # One fee of 500 left, but the matter still states two (1000 + 175 tax).
    assert {(i.field, i.code) for i in result.errors} == {
        ("base_amount", "line-total"),
        ("matter_total_detail_fees", "invoice-total"),
        ("matter_tax_on_fees", "invoice-total"),
        ("matter_total_due", "invoice-total"),
    }
    base = next(i for i in result.errors if i.field == "base_amount")
    assert "should be 1000.00 = 2 x 500.00" in base.message


def test_invoice_total_and_tax_checks() -> None:
    result = parse(xml_document(net_due="1200.00", tax="170.00"))
    assert {(i.field, i.code) for i in result.errors} == {
        ("inv_total_net_due", "invoice-total"),
        ("inv_total_tax", "invoice-total"),
    }


def test_period_and_currency() -> None:
    result = parse(xml_document(start="2007-05-01", currency="ABC"))
    assert {i.code for i in result.errors} == {"period", "currency"}


def test_duplicate_file_item_nbr() -> None:
    fees = XML_FEE.format(units="1", base="500.00", total="500.00", nbr="10") * 2
    codes = [i.code for i in parse(xml_document(fees=fees)).errors]
    assert "duplicate-line-number" in codes


def test_malformed_xml_is_an_xml_error_with_line() -> None:
    result = parse(xml_document().replace("</inv_id>", "</inv_idx>"))
    assert [i.code for i in result.errors] == ["xml"] and result.errors[
        0
    ].line == 14  # the <inv_id> line


def test_entity_expansion_is_refused() -> None:
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;">]>'
        "<ledesxml>&b;</ledesxml>"
    )
    result = parse(bomb)
    assert [i.code for i in result.errors] == ["xml"] and "unsafe" in result.errors[0].message


def test_unknown_root_is_a_header_error() -> None:
    assert [i.code for i in parse("<invoice/>").errors] == ["header"]


def test_no_invoice_is_empty() -> None:
    assert [i.code for i in parse("<ledesxml><firm/></ledesxml>").errors] == ["empty"]


def test_ledes_2000_is_read_experimentally_with_its_aliases() -> None:
    doc = (
        xml_document(root="<ledes2000>", close="</ledes2000>")
        .replace("task_code>", "acca_task>")
        .replace("<lf_id>FR12</lf_id>", "<lf_tax_id>FR12</lf_tax_id>")
    )
    result = parse(doc)
    assert (result.format, result.valid, result.experimental) == ("LEDES2000", True, True)
    assert result.as_json("a.xml")["experimental"] is True
    assert result.invoices[0].law_firm_id == "FR12"
    assert result.invoices[0].line_items[0].task_code == "L230"
