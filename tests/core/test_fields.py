import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Sum

from legalops.organization.models import Currency, FxRate


@pytest.fixture
def pair(db):
    return (
        Currency.objects.create(code="USD", name="US Dollar", minor_unit=2),
        Currency.objects.create(code="EUR", name="Euro", minor_unit=2),
    )


def test_scaled_decimal_is_stored_as_an_integer_and_read_back_exactly(pair):
    usd, eur = pair
    FxRate.objects.create(
        base=usd, quote=eur, date=datetime.date(2026, 1, 1), rate=Decimal("0.92345678")
    )
    row = FxRate.objects.get()
    assert row.rate == Decimal("0.92345678")
    raw = FxRate.objects.values_list("rate", flat=True).query
    assert "rate" in str(raw)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT rate FROM organization_fxrate")
        assert cursor.fetchone()[0] == 92345678


def test_more_places_than_the_field_keeps_are_refused_not_rounded(pair):
    usd, eur = pair
    with pytest.raises(ValidationError, match="more than 8 decimal places"):
        FxRate.objects.create(
            base=usd, quote=eur, date=datetime.date(2026, 1, 1), rate=Decimal("0.123456789")
        )


def test_sql_sums_of_scaled_decimals_are_exact_on_every_database(pair):
    usd, eur = pair
    values = [Decimal("0.10000001"), Decimal("0.20000002"), Decimal("1234567.33333333")] * 40
    FxRate.objects.bulk_create(
        FxRate(
            base=usd, quote=eur, date=datetime.date(2020, 1, 1) + datetime.timedelta(days=i), rate=v
        )
        for i, v in enumerate(values)
    )
    total = FxRate.objects.aggregate(total=Sum("rate"))["total"]
    assert total == sum(values, Decimal(0))
