"""The shortcuts taken for speed give exactly what the plain code gives: remembered money
rounding and printing, remembered Decimals, substring tests instead of regex alternations, and
remembered narrative findings."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from legalops.guidelines import fastread, money
from legalops.guidelines.money import money_printer, money_rounder
from legalops.guidelines.narrative import NarrativeContext, Roster, RuleBasedClassifier
from legalops.guidelines.narrative.text import _SOFT, _has_separator, normalise

# The separator test as it was written before it became substring checks.
_SEPARATORS = re.compile(r"[;,.:&]|\s-\s| and | then | thereafter | followed by | plus ")
_PIECES = st.sampled_from(
    ["a", "and", "then", "thereafter", "followed", "by", "plus", "&", "-", ";", ",", ".", ":", " "]
)
TEXTS = st.one_of(
    st.text(max_size=60),
    st.lists(_PIECES, max_size=12).map(" ".join),
    st.lists(_PIECES, max_size=12).map("".join),
)


def test_rounder_keeps_the_sign_of_zero_whatever_was_rounded_first() -> None:
    rounded = money_rounder("USD")
    assert str(rounded(Decimal("0"))) == "0.00"
    assert str(rounded(Decimal("-0"))) == "-0.00"  # equal key, different answer: not remembered
    assert str(rounded(Decimal("-0.004"))) == "-0.00"
    assert str(rounded(Decimal("1027.005"))) == "1027.01"  # half up
    assert str(rounded(Decimal("1027.0050"))) == "1027.01"  # equal value, same answer


def test_printer_prints_equal_values_alike_in_the_currency_places() -> None:
    usd, jpy = money_printer("USD"), money_printer("JPY")
    assert usd(Decimal("1027.0")) == "1027.00"
    assert usd(Decimal("1027.00")) == "1027.00"
    assert usd(Decimal("-0.00")) == "0.00"
    assert usd(Decimal("0")) == "0.00"
    assert jpy(Decimal("1500.4")) == "1500"
    assert jpy(Decimal("1500.5")) == "1501"


def test_money_tables_stay_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(money, "_CACHE_MAX", 5)
    monkeypatch.setattr(money, "_PRINTED", {})
    printed = money_printer("EUR")
    for cents in range(1, 40):
        assert printed(Decimal(cents) / 100) == f"0.{cents:02d}"
    assert len(money._PRINTED["EUR"]) <= 5


def test_fastread_numbers_are_exact_and_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fastread, "_NUMBERS_MAX", 4)
    monkeypatch.setattr(fastread, "_NUMBERS", {"": None})
    values = ["0.200", "0.2", "1500", "", "-67.50", "0.200"]
    assert [fastread._number(v) for v in values] == [
        Decimal("0.200"),
        Decimal("0.2"),
        Decimal("1500"),
        None,
        Decimal("-67.50"),
        Decimal("0.200"),
    ]
    assert str(fastread._number("0.200")) == "0.200"  # the places as billed
    assert len(fastread._NUMBERS) <= 4


@given(TEXTS)
def test_separator_test_agrees_with_the_regex(raw: str) -> None:
    body = normalise(raw).lower()
    assert _has_separator(body) == bool(_SEPARATORS.search(body))


@given(TEXTS)
def test_a_part_without_soft_separators_is_one_piece(raw: str) -> None:
    part = normalise(raw).lower()
    words = (" and ", " then ", " thereafter ", " followed by ", " plus ", " & ")
    if "," not in part and not any(word in part for word in words):
        assert _SOFT.split(part) == [part]


def test_remembered_findings_depend_on_the_context() -> None:
    classifier = RuleBasedClassifier()
    roster = Roster.of(["Beaster, John"])
    text = "Conference with Beaster regarding damages model"
    fee = classifier.analyse(text, NarrativeContext("F", "", roster))
    assert fee.cues["internal-conference"].words == ("beaster",)
    assert (
        "internal-conference"
        not in classifier.analyse(text, NarrativeContext("F", "", Roster.of([]))).cues
    )
    assert classifier.analyse(text, NarrativeContext("E", "", roster)).cues == {}
    assert classifier.analyse(text, NarrativeContext("F", "", roster)) == fee


def _two_invoices_interleaved() -> bytes:
    from tests.guidelines.guidelines_builders import expense, fee, invoice

    from legalops.guidelines.adapter import ledes_from_invoice
    from legalops.ledes import write

    first = invoice(fee("1", narrative="Review file"), expense("2"), invoice_number="INV-1")
    second = invoice(fee("1", narrative="Draft motion"), invoice_number="INV-2")
    text = write([ledes_from_invoice(first), ledes_from_invoice(second)], "1998B")
    # INV-2's row between INV-1's two rows: invoices group by number, in order of first row.
    rows = text.splitlines(keepends=True)
    return "".join([*rows[:3], rows[4], rows[3], *rows[5:]]).encode()


def test_planned_invoices_are_the_parsed_ones_built_on_access() -> None:
    from legalops.guidelines.adapter import invoice_from_ledes
    from legalops.ledes import parse

    data = _two_invoices_interleaved()
    planned = fastread.plan_validated(data)
    assert planned is not None
    parsed = [invoice_from_ledes(source) for source in parse(data).invoices]
    assert [inv.invoice_number for inv in planned] == ["INV-1", "INV-2"]
    assert planned.sizes == [2, 1]
    assert list(planned) == parsed == fastread.read_validated(data)
    assert planned[1] == planned[-1] == parsed[1]
    assert planned[0:2] == parsed
    assert [line.position for line in planned[0].lines] == [3, 5]  # source lines, 1-based


def test_a_short_row_fails_the_read_instead_of_ending_it_early() -> None:
    rows = _two_invoices_interleaved().decode().splitlines(keepends=True)
    short = rows[4].split("|")[:8]  # INV-1's second row, cut after its invoice number
    data = "".join([*rows[:4], "|".join(short) + "[]\n", *rows[5:]]).encode()
    planned = fastread.plan_validated(data)
    assert planned is not None and len(planned) == 2
    with pytest.raises(IndexError):
        list(planned)
