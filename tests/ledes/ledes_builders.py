"""Build small LEDES texts for tests, field by field, so each test states only what it varies.

The base invoice is the worked example of the LEDES 1998B spec (reference §2.5) with values
written out by hand here, not computed by the code under test.
"""

from __future__ import annotations

NAMES_1998B = [
    "INVOICE_DATE",
    "INVOICE_NUMBER",
    "CLIENT_ID",
    "LAW_FIRM_MATTER_ID",
    "INVOICE_TOTAL",
    "BILLING_START_DATE",
    "BILLING_END_DATE",
    "INVOICE_DESCRIPTION",
    "LINE_ITEM_NUMBER",
    "EXP/FEE/INV_ADJ_TYPE",
    "LINE_ITEM_NUMBER_OF_UNITS",
    "LINE_ITEM_ADJUSTMENT_AMOUNT",
    "LINE_ITEM_TOTAL",
    "LINE_ITEM_DATE",
    "LINE_ITEM_TASK_CODE",
    "LINE_ITEM_EXPENSE_CODE",
    "LINE_ITEM_ACTIVITY_CODE",
    "TIMEKEEPER_ID",
    "LINE_ITEM_DESCRIPTION",
    "LAW_FIRM_ID",
    "LINE_ITEM_UNIT_COST",
    "TIMEKEEPER_NAME",
    "TIMEKEEPER_CLASSIFICATION",
    "CLIENT_MATTER_ID",
]

EXTRA_98BI = [
    "PO_NUMBER",
    "CLIENT_TAX_ID",
    "MATTER_NAME",
    "INVOICE_TAX_TOTAL",
    "INVOICE_NET_TOTAL",
    "INVOICE_CURRENCY",
    "TIMEKEEPER_LAST_NAME",
    "TIMEKEEPER_FIRST_NAME",
    "ACCOUNT_TYPE",
    "LAW_FIRM_NAME",
    "LAW_FIRM_ADDRESS_1",
    "LAW_FIRM_ADDRESS_2",
    "LAW_FIRM_CITY",
    "LAW_FIRM_STATEorREGION",
    "LAW_FIRM_POSTCODE",
    "LAW_FIRM_COUNTRY",
    "CLIENT_NAME",
    "CLIENT_ADDRESS_1",
    "CLIENT_ADDRESS_2",
    "CLIENT_CITY",
    "CLIENT_STATEorREGION",
    "CLIENT_POSTCODE",
    "CLIENT_COUNTRY",
    "LINE_ITEM_TAX_RATE",
    "LINE_ITEM_TAX_TOTAL",
    "LINE_ITEM_TAX_TYPE",
    "INVOICE_REPORTED_TAX_TOTAL",
    "INVOICE_TAX_CURRENCY",
]
NAMES_98BI = NAMES_1998B + EXTRA_98BI

HEADER = {
    "INVOICE_DATE": "19990225",
    "INVOICE_NUMBER": "96542",
    "CLIENT_ID": "00711",
    "LAW_FIRM_MATTER_ID": "0528",
    "INVOICE_TOTAL": "1370.00",
    "BILLING_START_DATE": "19990101",
    "BILLING_END_DATE": "19990131",
    "INVOICE_DESCRIPTION": "For services rendered",
    "LAW_FIRM_ID": "24-6437381",
    "CLIENT_MATTER_ID": "423-987",
}
FEE = {
    "EXP/FEE/INV_ADJ_TYPE": "F",
    "LINE_ITEM_NUMBER_OF_UNITS": "2.00",
    "LINE_ITEM_ADJUSTMENT_AMOUNT": "-70",
    "LINE_ITEM_TOTAL": "630",
    "LINE_ITEM_DATE": "19990115",
    "LINE_ITEM_TASK_CODE": "L510",
    "LINE_ITEM_EXPENSE_CODE": "",
    "LINE_ITEM_ACTIVITY_CODE": "A102",
    "TIMEKEEPER_ID": "22547",
    "LINE_ITEM_DESCRIPTION": "Research set off claim",
    "LINE_ITEM_UNIT_COST": "350",
    "TIMEKEEPER_NAME": "Arnsley, Robert",
    "TIMEKEEPER_CLASSIFICATION": "PARTNR",
}
FEE2 = {**FEE, "LINE_ITEM_ADJUSTMENT_AMOUNT": "0", "LINE_ITEM_TOTAL": "700"}
EXPENSE = {
    "EXP/FEE/INV_ADJ_TYPE": "E",
    "LINE_ITEM_NUMBER_OF_UNITS": "1",
    "LINE_ITEM_ADJUSTMENT_AMOUNT": "0",
    "LINE_ITEM_TOTAL": "40",
    "LINE_ITEM_DATE": "19990117",
    "LINE_ITEM_TASK_CODE": "",
    "LINE_ITEM_EXPENSE_CODE": "E111",
    "LINE_ITEM_ACTIVITY_CODE": "",
    "TIMEKEEPER_ID": "",
    "LINE_ITEM_DESCRIPTION": "Meals",
    "LINE_ITEM_UNIT_COST": "40",
    "TIMEKEEPER_NAME": "",
    "TIMEKEEPER_CLASSIFICATION": "",
}
BI_HEADER = {
    "PO_NUMBER": "77654",
    "CLIENT_TAX_ID": "76-1235",
    "MATTER_NAME": "Merten Merger",
    "INVOICE_TAX_TOTAL": "274.00",
    "INVOICE_NET_TOTAL": "1370.00",
    "INVOICE_CURRENCY": "GBP",
    "ACCOUNT_TYPE": "O",
    "LAW_FIRM_NAME": "Law Offices of John Smith",
    "LAW_FIRM_ADDRESS_1": "One Fleet Street",
    "LAW_FIRM_ADDRESS_2": "",
    "LAW_FIRM_CITY": "London",
    "LAW_FIRM_STATEorREGION": "",
    "LAW_FIRM_POSTCODE": "EC2A 2EG",
    "LAW_FIRM_COUNTRY": "GBR",
    "CLIENT_NAME": "Stanley Widgets",
    "CLIENT_ADDRESS_1": "One Times Square",
    "CLIENT_ADDRESS_2": "",
    "CLIENT_CITY": "New York",
    "CLIENT_STATEorREGION": "NY",
    "CLIENT_POSTCODE": "10036",
    "CLIENT_COUNTRY": "USA",
    "INVOICE_REPORTED_TAX_TOTAL": "274.00",
    "INVOICE_TAX_CURRENCY": "GBP",
}


def row(names: list[str], values: dict[str, str]) -> str:
    return "|".join(values.get(n, "") for n in names) + "[]"


def ledes_1998b(*lines: dict[str, str], header: dict[str, str] | None = None) -> str:
    """A 1998B file: marker, header row, then one line per dict (merged over HEADER, with
    LINE_ITEM_NUMBER 1, 2, ... unless given)."""
    out = ["LEDES1998B[]", "|".join(NAMES_1998B) + "[]"]
    for n, values in enumerate(lines, start=1):
        merged = {**HEADER, **(header or {}), "LINE_ITEM_NUMBER": str(n), **values}
        out.append(row(NAMES_1998B, merged))
    return "\n".join(out) + "\n"


def fee_invoice(**changes: str) -> str:
    """The two-fee invoice (630 + 700 + 40 = 1370) with some fields of line 1 changed."""
    return ledes_1998b({**FEE, **changes}, FEE2, EXPENSE)


def ledes_98bi(*lines: dict[str, str], header: dict[str, str] | None = None) -> str:
    """A 98BI file; lines are merged over HEADER and BI_HEADER."""
    out = ["LEDES98BI V2[]", "|".join(NAMES_98BI) + "[]"]
    for n, values in enumerate(lines, start=1):
        merged = {**HEADER, **BI_HEADER, **(header or {}), "LINE_ITEM_NUMBER": str(n), **values}
        out.append(row(NAMES_98BI, merged))
    return "\n".join(out) + "\n"


# 98BI lines with 20 % VAT inside LINE_ITEM_TOTAL: 630 + 126 = 756; 700 + 140 = 840;
# 40 + 8 = 48. Gross 1644, tax 274, net 1370.
BI_FEE = {
    **FEE,
    "LINE_ITEM_TOTAL": "756",
    "TIMEKEEPER_LAST_NAME": "Arnsley",
    "TIMEKEEPER_FIRST_NAME": "Robert",
    "LINE_ITEM_TAX_RATE": "0.2",
    "LINE_ITEM_TAX_TOTAL": "126",
    "LINE_ITEM_TAX_TYPE": "VAT",
}
BI_FEE2 = {
    **BI_FEE,
    "LINE_ITEM_ADJUSTMENT_AMOUNT": "0",
    "LINE_ITEM_TOTAL": "840",
    "LINE_ITEM_TAX_TOTAL": "140",
}
BI_EXPENSE = {
    **EXPENSE,
    "LINE_ITEM_TOTAL": "48",
    "LINE_ITEM_TAX_RATE": "0.2",
    "LINE_ITEM_TAX_TOTAL": "8",
    "LINE_ITEM_TAX_TYPE": "VAT",
}
BI_TOTALS = {"INVOICE_TOTAL": "1644.00"}


def bi_invoice(header: dict[str, str] | None = None, **changes: str) -> str:
    """The 98BI invoice (gross 1644 = net 1370 + VAT 274) with line 1 or the header changed."""
    return ledes_98bi(
        {**BI_FEE, **changes}, BI_FEE2, BI_EXPENSE, header={**BI_TOTALS, **(header or {})}
    )


XML_FEE = """\
        <fee>
          <charge_date>2007-04-16</charge_date>
          <tk_id>JD</tk_id>
          <tk_level>PARTNR</tk_level>
          <charge_desc>Draft motion</charge_desc>
          <task_code>L230</task_code>
          <task_activity>A101</task_activity>
          <charge_type>U</charge_type>
          <units>{units}</units>
          <rate>500.00</rate>
          <base_amount>{base}</base_amount>
          <item_disc_cred_amount>0.00</item_disc_cred_amount>
          <total_amount>{total}</total_amount>
          <file_item_nbr>{nbr}</file_item_nbr>
          <tax_item_fee><tx_id>1</tx_id><file_item_nbr>9{nbr}</file_item_nbr></tax_item_fee>
        </fee>
"""


def xml_document(
    *,
    root: str = '<ledesxml xmlns="http://www.ledes.org/ledes20.xsd">',
    close: str = "</ledesxml>",
    fees: str | None = None,
    net_due: str = "1175.00",
    tax: str = "175.00",
    start: str = "2007-04-01",
    currency: str = "GBP",
) -> str:
    """One firm/client/invoice/matter with two fees of 500 at 17.5 % VAT = 1175.00."""
    if fees is None:
        fees = XML_FEE.format(units="1", base="500.00", total="500.00", nbr="10") + XML_FEE.format(
            units="1", base="500.00", total="500.00", nbr="11"
        )
    return f"""<?xml version="1.0" encoding="utf-8"?>
{root}
  <firm>
    <lf_id>FR12</lf_id>
    <lf_name>Alpha &amp; Beta</lf_name>
    <file_item_nbr>1</file_item_nbr>
    <tax><tx_id>1</tx_id><tax_type>VAT</tax_type><tax_rate_percent>.175</tax_rate_percent>
      <file_item_nbr>2</file_item_nbr></tax>
    <client>
      <cl_id>Omega</cl_id>
      <cl_tax_id>12-3456789</cl_tax_id>
      <file_item_nbr>3</file_item_nbr>
      <invoice>
        <inv_id>1234</inv_id>
        <inv_date>2007-05-16</inv_date>
        <inv_currency>{currency}</inv_currency>
        <inv_start_date>{start}</inv_start_date>
        <inv_end_date>2007-04-30</inv_end_date>
        <inv_total_tax>{tax}</inv_total_tax>
        <inv_total_net_due>{net_due}</inv_total_net_due>
        <file_item_nbr>4</file_item_nbr>
        <matter>
          <cl_matter_id>ABC123</cl_matter_id>
          <lf_matter_id>DFG456</lf_matter_id>
          <matter_name>Dog v. Cat</matter_name>
          <matter_total_detail_fees>1000.00</matter_total_detail_fees>
          <matter_tax_on_fees>175.00</matter_tax_on_fees>
          <matter_total_due>1175.00</matter_total_due>
          <file_item_nbr>5</file_item_nbr>
          <tksum><tk_id>JD</tk_id><tk_lname>Doe</tk_lname><tk_fname>Jane</tk_fname>
            <tk_level>PARTNR</tk_level><tk_rate>500.00</tk_rate>
            <file_item_nbr>6</file_item_nbr></tksum>
{fees}        </matter>
      </invoice>
    </client>
  </firm>
{close}
"""
