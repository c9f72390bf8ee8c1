from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from legalops.core.money import Money, MoneyError, currency, format_minor, from_minor, to_minor


@pytest.mark.parametrize(
    ("amount", "code", "minor"),
    [
        ("1234.50", "USD", 123450),
        ("1234.505", "USD", 123451),  # ROUND_HALF_UP, not banker's rounding
        ("1234.525", "USD", 123453),
        ("-0.005", "USD", -1),  # half away from zero on the negative side too
        ("1500", "JPY", 1500),
        ("1500.5", "JPY", 1501),
        ("12.5", "KWD", 12500),
        ("0.0005", "KWD", 1),
    ],
)
def test_to_minor_rounds_half_up_to_the_currency_minor_unit(amount, code, minor):
    assert to_minor(amount, code) == minor


@pytest.mark.parametrize(
    ("minor", "code", "text"),
    [
        (123450, "USD", "1234.50"),
        (1500, "JPY", "1500"),
        (12500, "KWD", "12.500"),
        (-5, "EUR", "-0.05"),
        (0, "USD", "0.00"),
    ],
)
def test_json_form_has_as_many_places_as_the_minor_unit(minor, code, text):
    assert format_minor(minor, code) == text


def test_unknown_currency_and_non_numbers_are_refused():
    with pytest.raises(MoneyError, match="unknown currency"):
        to_minor("1", "XXX")
    with pytest.raises(MoneyError, match="not an amount"):
        to_minor("12,50", "USD")
    with pytest.raises(MoneyError, match="finite"):
        to_minor("Infinity", "USD")


def test_money_adds_only_the_same_currency():
    total = Money.of("10.10", "usd") + Money.of("0.25", "USD")
    assert total == Money(1035, "USD")
    assert str(-total) == "-10.35 USD"
    with pytest.raises(MoneyError, match="cannot combine"):
        Money.of("1", "USD") + Money.of("1", "EUR")


def test_iso_table_carries_the_known_minor_units():
    assert (
        currency("USD").minor_unit,
        currency("JPY").minor_unit,
        currency("BHD").minor_unit,
        currency("CLP").minor_unit,
    ) == (2, 0, 3, 0)


@given(
    st.integers(min_value=-(10**15), max_value=10**15),
    st.sampled_from(["USD", "JPY", "KWD", "EUR"]),
)
def test_minor_units_round_trip_exactly(minor, code):
    assert to_minor(from_minor(minor, code), code) == minor
    assert to_minor(format_minor(minor, code), code) == minor


@given(
    st.lists(
        st.decimals(
            min_value=-(10**9), max_value=10**9, places=2, allow_nan=False, allow_infinity=False
        ),
        max_size=50,
    )
)
def test_sums_of_minor_units_equal_exact_decimal_sums(amounts):
    total = sum((to_minor(a, "USD") for a in amounts), 0)
    assert from_minor(total, "USD") == sum(amounts, Decimal(0))
