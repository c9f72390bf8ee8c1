"""RATES.csv: columns, validation by line and column, overlaps, name matching."""

from __future__ import annotations

from datetime import date

import pytest

from legalops.guidelines.errors import ConfigError
from legalops.guidelines.rates import normalise_name, parse_rates

HEADER = "law_firm_id,timekeeper_id,timekeeper_name,classification,rate,currency,effective_from,effective_to\n"  # noqa: E501


def errors(text: str) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        parse_rates(text, "RATES.csv")
    return [str(p) for p in caught.value.problems]


def test_valid_card_without_the_optional_matter_column() -> None:
    book = parse_rates(HEADER + 'F1,TK1,"Arnsley, Robert",PARTNR,350.5,USD,2026-01-01,\n')
    match = book.lookup("F1", "M", ("TK1", "", "PARTNR"), date(2026, 5, 1))
    assert (
        match is not None and str(match.entry.rate) == "350.5" and match.entry.effective_to is None
    )


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (
            "F1,TK1,A,PARTNR,abc,USD,2026-01-01,",
            "RATES.csv:2: rate: expected a positive decimal, got 'abc'",
        ),
        (
            "F1,TK1,A,PARTNR,1.23456,USD,2026-01-01,",
            "RATES.csv:2: rate: at most 4 decimal places, got '1.23456'",
        ),
        (
            "F1,TK1,A,PARTNR,100,US,2026-01-01,",
            "RATES.csv:2: currency: 'US' is not an ISO 4217 currency code",
        ),
        (
            "F1,TK1,A,PARTNR,100,USD,01/01/2026,",
            "RATES.csv:2: effective_from: expected an ISO date such as 2026-01-31, got '01/01/2026'",  # noqa: E501
        ),
        (
            "F1,TK1,A,PARTNR,100,USD,2026-02-01,2026-01-01",
            "RATES.csv:2: effective_to: 2026-01-01 is before effective_from 2026-02-01",
        ),
        (
            "F1,,,,100,USD,2026-01-01,",
            "RATES.csv:2: classification: a row without timekeeper_id needs a classification",
        ),
        ("F1,TK1,A,PARTNR,100,USD", "RATES.csv:2: row: expected 8 columns, got 6"),
    ],
)
def test_bad_rows_name_line_and_column(row: str, expected: str) -> None:
    assert errors(HEADER + row + "\n") == [expected]


def test_wrong_header() -> None:
    assert errors("firm,rate\n")[0].startswith("RATES.csv:1: header: expected columns law_firm_id,")


def test_overlapping_rows_are_an_error_open_ended_included() -> None:
    text = HEADER + "F1,TK1,A,PARTNR,100,USD,2025-01-01,\nF1,TK1,A,PARTNR,110,USD,2026-01-01,\n"
    assert errors(text) == [
        "RATES.csv:3: effective_from: dates overlap the row on line 2 for the same firm, timekeeper TK1 and matter scope"  # noqa: E501
    ]


def test_same_dates_for_other_matter_or_classification_do_not_overlap() -> None:
    text = HEADER.replace("effective_to\n", "effective_to,client_matter_id\n") + (
        "F1,TK1,A,PARTNR,100,USD,2026-01-01,,\nF1,TK1,A,PARTNR,90,USD,2026-01-01,,M-1\n"
        "F1,,,PARALG,100,USD,2026-01-01,,\nF1,,,ASSOC,100,USD,2026-01-01,,\n"
    )
    assert len(parse_rates(text).entries) == 4


@pytest.mark.parametrize(
    "name",
    [
        "Arnsley, Robert",
        "Robert Arnsley",
        "ROBERT ARNSLEY",
        "Arnsley,Robert.",
        "  robert   arnsley ",
    ],
)
def test_names_match_ignoring_case_punctuation_and_order(name: str) -> None:
    assert normalise_name(name) == "robert arnsley"
