"""One test (or a few) per check of the pipe-delimited formats: hit, miss and edge."""

from __future__ import annotations

import pytest
from tests.ledes.ledes_builders import EXPENSE, FEE, FEE2, fee_invoice, ledes_1998b

from legalops.ledes import parse


def codes(text: str) -> list[tuple[int | None, str | None, str]]:
    return [(i.line, i.field, i.code) for i in parse(text).issues]


def errors(text: str) -> list[tuple[int | None, str | None, str]]:
    return [(i.line, i.field, i.code) for i in parse(text).errors]


def test_clean_invoice_is_valid_without_issues() -> None:
    result = parse(fee_invoice())
    assert result.valid and result.issues == ()
    assert (result.format, result.invoice_count, result.line_item_count) == ("1998B", 1, 3)


@pytest.mark.parametrize("marker", ["LEDES1998Z[]", "", "LEDES1998B", "ledes1998b[]"])
def test_wrong_marker_is_a_header_error_and_the_rest_is_still_checked(marker: str) -> None:
    text = fee_invoice(LINE_ITEM_TOTAL="631").replace("LEDES1998B[]", marker, 1)
    assert (1, None, "header") in errors(text)
    assert (3, "LINE_ITEM_TOTAL", "line-total") in errors(text)


def test_misspelled_header_field_is_named() -> None:
    text = fee_invoice().replace("INVOICE_DATE|", "INVOIC_DATE|", 1)
    assert errors(text) == [(2, "INVOICE_DATE", "header")]


def test_header_row_with_missing_column() -> None:
    text = fee_invoice().replace("|CLIENT_MATTER_ID[]", "[]", 1)
    assert (2, None, "header") in errors(text)


def test_missing_marker_line_header_first() -> None:
    text = fee_invoice().split("\n", 1)[1]
    found = errors(text)
    assert found[0] == (1, None, "header")
    assert parse(text).line_item_count == 3


def test_not_ledes_at_all_stops_after_the_header() -> None:
    result = parse("hello\nworld\nthis is not ledes\n")
    assert result.format is None and not result.valid
    assert {i.code for i in result.errors} == {"header"}


@pytest.mark.parametrize("data", [b"", b"   \n\n"])
def test_empty_file(data: bytes) -> None:
    assert [i.code for i in parse(data).errors] == ["empty"]


def test_marker_and_header_without_lines_is_empty() -> None:
    text = "\n".join(fee_invoice().split("\n")[:2]) + "\n"
    assert [i.code for i in parse(text).errors] == ["empty"]


def test_field_count() -> None:
    text = fee_invoice(LINE_ITEM_DESCRIPTION="a|b")
    assert (3, None, "field-count") in errors(text)


def test_missing_terminator() -> None:
    text = fee_invoice().replace("423-987[]\n", "423-987\n", 1)
    assert errors(text) == [(3, None, "terminator")]


def test_blank_line_between_records_is_an_error_trailing_one_a_warning() -> None:
    lines = fee_invoice().split("\n")
    inside = "\n".join(lines[:3] + [""] + lines[3:])
    assert (4, None, "field-count") in errors(inside)
    trailing = parse(fee_invoice() + "\n")
    assert trailing.valid and [i.code for i in trailing.warnings] == ["trailing-blank-line"]


@pytest.mark.parametrize("value", ["19990230", "1999-01-15", "990115", "2024021"])
def test_dates_must_be_real_yyyymmdd(value: str) -> None:
    assert (3, "LINE_ITEM_DATE", "date") in errors(fee_invoice(LINE_ITEM_DATE=value))


def test_leap_day_is_a_real_date() -> None:
    text = ledes_1998b(
        {**FEE, "LINE_ITEM_DATE": "20240229", "LINE_ITEM_TOTAL": "630"},
        header={
            "BILLING_START_DATE": "20240201",
            "BILLING_END_DATE": "20240229",
            "INVOICE_TOTAL": "630",
        },
    )
    assert parse(text).valid


@pytest.mark.parametrize("value", ["1,370.00", "$1370", "1370 00", "12e3", "--5", ".", "1.2.3"])
def test_numbers_have_no_commas_signs_or_spaces(value: str) -> None:
    text = ledes_1998b({**FEE, "INVOICE_TOTAL": value})
    assert (3, "INVOICE_TOTAL", "number") in errors(text)


def test_too_many_decimals_and_digits() -> None:
    assert (3, "LINE_ITEM_UNIT_COST", "number") in errors(
        fee_invoice(LINE_ITEM_UNIT_COST="350.12345")
    )
    long_total = ledes_1998b({**FEE, "INVOICE_TOTAL": "1234567890123"})
    assert (3, "INVOICE_TOTAL", "number") in errors(long_total)


def test_negative_units_are_refused() -> None:
    text = fee_invoice(LINE_ITEM_NUMBER_OF_UNITS="-2", LINE_ITEM_ADJUSTMENT_AMOUNT="1330")
    assert (3, "LINE_ITEM_NUMBER_OF_UNITS", "number") in errors(text)


def test_trailing_dot_is_a_warning_and_read_as_the_integer() -> None:
    result = parse(fee_invoice(LINE_ITEM_UNIT_COST="350."))
    assert result.valid
    assert [(i.field, i.code) for i in result.warnings] == [("LINE_ITEM_UNIT_COST", "trailing-dot")]
    assert str(result.invoices[0].line_items[0].unit_cost) == "350"


def test_values_are_kept_exactly_as_billed() -> None:
    item = parse(fee_invoice(LINE_ITEM_NUMBER_OF_UNITS="2.000")).invoices[0].line_items[0]
    assert str(item.units) == "2.000" and str(item.adjustment_amount) == "-70"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("INVOICE_NUMBER", "X" * 21),
        ("TIMEKEEPER_NAME", "N" * 31),
        ("TIMEKEEPER_ID", "T" * 21),
        ("LINE_ITEM_TASK_CODE", "L" + "1" * 20),
    ],
)
def test_length_limits(field: str, value: str) -> None:
    assert (3, field, "length") in errors(fee_invoice(**{field: value}))


def test_length_limit_edge_is_accepted() -> None:
    assert parse(fee_invoice(TIMEKEEPER_NAME="N" * 30, TIMEKEEPER_ID="T" * 20)).valid


@pytest.mark.parametrize("value", ["A", "X", "FE", "f", ""])
def test_line_type(value: str) -> None:
    code = "required" if value == "" else "type"
    assert (3, "EXP/FEE/INV_ADJ_TYPE", code) in errors(
        fee_invoice(**{"EXP/FEE/INV_ADJ_TYPE": value})
    )


@pytest.mark.parametrize(
    "field",
    [
        "LINE_ITEM_TASK_CODE",
        "LINE_ITEM_ACTIVITY_CODE",
        "TIMEKEEPER_ID",
        "TIMEKEEPER_NAME",
        "TIMEKEEPER_CLASSIFICATION",
        "LINE_ITEM_DESCRIPTION",
    ],
)
def test_fee_line_required_fields(field: str) -> None:
    assert errors(fee_invoice(**{field: ""})) == [(3, field, "required")]


def test_expense_needs_expense_code_and_unit_cost() -> None:
    text = ledes_1998b(
        FEE,
        FEE2,
        {
            **EXPENSE,
            "LINE_ITEM_EXPENSE_CODE": "",
            "LINE_ITEM_UNIT_COST": "",
            "LINE_ITEM_NUMBER_OF_UNITS": "",
            "LINE_ITEM_ADJUSTMENT_AMOUNT": "40",
        },
    )
    assert sorted(errors(text)) == [
        (5, "LINE_ITEM_EXPENSE_CODE", "required"),
        (5, "LINE_ITEM_NUMBER_OF_UNITS", "required"),
        (5, "LINE_ITEM_UNIT_COST", "required"),
    ]


@pytest.mark.parametrize(
    "field",
    [
        "INVOICE_DATE",
        "INVOICE_NUMBER",
        "CLIENT_ID",
        "LAW_FIRM_ID",
        "LINE_ITEM_TOTAL",
        "LINE_ITEM_DATE",
    ],
)
def test_always_required_fields(field: str) -> None:
    assert (3, field, "required") in errors(fee_invoice(**{field: ""}))


def test_adjustment_lines_need_neither_units_nor_rate() -> None:
    line = {
        "EXP/FEE/INV_ADJ_TYPE": "IF",
        "LINE_ITEM_ADJUSTMENT_AMOUNT": "-100",
        "LINE_ITEM_TOTAL": "-100",
        "LINE_ITEM_DATE": "19990131",
    }
    text = ledes_1998b(FEE, FEE2, EXPENSE, line, header={"INVOICE_TOTAL": "1270"})
    assert parse(text).valid


@pytest.mark.parametrize(
    ("units", "cost", "adj", "total"),
    [
        ("1", "1250", "", "1250"),  # Brightflag fixed fee: 1 x fee
        ("1", "", "1250.", "1250"),  # canonical sample: amount in the adjustment
        ("1", "0", "-500", "-500"),  # Corridor discount
    ],
)
def test_three_if_conventions_are_accepted(units: str, cost: str, adj: str, total: str) -> None:
    line = {
        "EXP/FEE/INV_ADJ_TYPE": "IF",
        "LINE_ITEM_NUMBER_OF_UNITS": units,
        "LINE_ITEM_UNIT_COST": cost,
        "LINE_ITEM_ADJUSTMENT_AMOUNT": adj,
        "LINE_ITEM_TOTAL": total,
        "LINE_ITEM_DATE": "19990131",
    }
    assert not parse(ledes_1998b(line, header={"INVOICE_TOTAL": total})).errors


def test_classification_loc_legacy_and_unknown() -> None:
    assert parse(fee_invoice(TIMEKEEPER_CLASSIFICATION="PARALG")).issues == ()
    legacy = parse(fee_invoice(TIMEKEEPER_CLASSIFICATION="PT"))
    assert legacy.valid and [i.code for i in legacy.warnings] == ["legacy-classification"]
    assert "PARTNR" in legacy.warnings[0].message
    assert errors(fee_invoice(TIMEKEEPER_CLASSIFICATION="ABCDE")) == [
        (3, "TIMEKEEPER_CLASSIFICATION", "classification")
    ]


def test_line_total_message_explains_the_arithmetic() -> None:
    text = fee_invoice(
        LINE_ITEM_NUMBER_OF_UNITS="1.5",
        LINE_ITEM_UNIT_COST="450.00",
        LINE_ITEM_ADJUSTMENT_AMOUNT="-67.50",
        LINE_ITEM_TOTAL="670.50",
    )
    issue = next(i for i in parse(text).errors if i.code == "line-total")
    assert issue.message == (
        "line 3: LINE_ITEM_TOTAL 670.50 should be 607.50 = 1.5 x 450.00 - 67.50"
    )


@pytest.mark.parametrize(("total", "ok"), [("630.01", True), ("629.99", True), ("630.02", False)])
def test_line_total_tolerance_is_one_cent(total: str, ok: bool) -> None:
    invoice_total = {"630.01": "1370.01", "629.99": "1369.99", "630.02": "1370.02"}[total]
    text = ledes_1998b(
        {**FEE, "LINE_ITEM_TOTAL": total}, FEE2, EXPENSE, header={"INVOICE_TOTAL": invoice_total}
    )
    assert ("line-total" not in [i.code for i in parse(text).errors]) is ok


def test_invoice_total_must_be_the_sum_of_line_totals() -> None:
    text = ledes_1998b(FEE, FEE2, EXPENSE, header={"INVOICE_TOTAL": "1380.00"})
    issue = parse(text).errors[0]
    assert (issue.line, issue.field, issue.code) == (3, "INVOICE_TOTAL", "invoice-total")
    assert "1370.00" in issue.message


def test_invoice_level_field_differing_between_lines() -> None:
    text = ledes_1998b(FEE, {**FEE2, "CLIENT_ID": "500"}, EXPENSE)
    assert errors(text) == [(4, "CLIENT_ID", "inconsistent-invoice-field")]


def test_invoice_total_differing_between_lines_is_reported_once_per_line() -> None:
    text = ledes_1998b(FEE, {**FEE2, "INVOICE_TOTAL": "700"}, EXPENSE)
    assert errors(text) == [(4, "INVOICE_TOTAL", "inconsistent-invoice-field")]


def test_matter_may_change_inside_an_invoice() -> None:
    text = ledes_1998b(
        FEE, {**FEE2, "LAW_FIRM_MATTER_ID": "1326", "CLIENT_MATTER_ID": "9"}, EXPENSE
    )
    result = parse(text)
    assert result.valid and len(result.invoices[0].matters) == 2


def test_duplicate_line_number() -> None:
    text = ledes_1998b(FEE, {**FEE2, "LINE_ITEM_NUMBER": "1"}, EXPENSE)
    assert errors(text) == [(4, "LINE_ITEM_NUMBER", "duplicate-line-number")]


def test_same_line_number_in_two_invoices_is_fine() -> None:
    other = {"INVOICE_NUMBER": "96543", "INVOICE_TOTAL": "700", "LINE_ITEM_NUMBER": "1"}
    text = ledes_1998b(
        FEE,
        {**FEE2, "INVOICE_TOTAL": "1330", "LINE_ITEM_NUMBER": "2"},
        {**FEE2, **other},
        header={"INVOICE_TOTAL": "1330"},
    )
    result = parse(text)
    assert result.valid and result.invoice_count == 2


def test_billing_period_order() -> None:
    text = ledes_1998b(FEE, FEE2, EXPENSE, header={"BILLING_START_DATE": "19990201"})
    assert (3, "BILLING_START_DATE", "period") in errors(text)


def test_line_date_outside_period_is_a_warning() -> None:
    result = parse(fee_invoice(LINE_ITEM_DATE="19981231"))
    assert result.valid
    assert [(i.line, i.code) for i in result.warnings] == [(3, "line-date-outside-period")]


@pytest.mark.parametrize(
    ("value", "ok"),
    [("L210", True), ("110", True), ("Q", False), ("L 210", False), ("l210", False)],
)
def test_utbms_code_shape(value: str, ok: bool) -> None:
    found = errors(fee_invoice(LINE_ITEM_TASK_CODE=value))
    assert (found == []) is ok
    if not ok:
        assert found == [(3, "LINE_ITEM_TASK_CODE", "code")]


def test_non_ascii_is_a_warning_naming_the_field() -> None:
    result = parse(fee_invoice(LINE_ITEM_DESCRIPTION="Attorney\u2019s fees").encode())
    assert result.valid
    assert [(i.field, i.code) for i in result.warnings] == [("LINE_ITEM_DESCRIPTION", "non-ascii")]
    assert "U+2019" in result.warnings[0].message


def test_windows_1252_bytes_are_read_and_warned() -> None:
    data = fee_invoice(LINE_ITEM_DESCRIPTION="Caf\u00e9").encode("cp1252")
    result = parse(data)
    assert result.valid and "Windows-1252" in result.warnings[0].message
    assert result.invoices[0].line_items[0].description == "Caf\u00e9"


def test_undecodable_bytes_are_an_encoding_error() -> None:
    data = fee_invoice(LINE_ITEM_DESCRIPTION="XX").encode().replace(b"XX", b"\x81\x8d")
    assert (3, "LINE_ITEM_DESCRIPTION", "encoding") in errors(data)  # type: ignore[arg-type]


def test_crlf_is_one_warning() -> None:
    result = parse(fee_invoice().replace("\n", "\r\n"))
    assert result.valid and [i.code for i in result.warnings] == ["line-ending"]


def test_missing_final_newline_is_a_warning() -> None:
    result = parse(fee_invoice().rstrip("\n"))
    assert result.valid and [(i.line, i.code) for i in result.warnings] == [(5, "final-newline")]


def test_byte_order_mark_is_ignored() -> None:
    assert parse(b"\xef\xbb\xbf" + fee_invoice().encode()).issues == ()


def test_every_error_of_a_file_is_reported_in_one_pass() -> None:
    text = ledes_1998b(
        {**FEE, "LINE_ITEM_DATE": "19990231", "LINE_ITEM_TOTAL": "1"},
        {**FEE2, "TIMEKEEPER_CLASSIFICATION": "XX"},
        {**EXPENSE, "LINE_ITEM_EXPENSE_CODE": ""},
    )
    found = {(line, code) for line, _, code in errors(text)}
    assert {
        (3, "date"),
        (3, "line-total"),
        (4, "classification"),
        (5, "required"),
        (3, "invoice-total"),
    } <= found
