"""The registry's interface: filters, permissions, splitting and money in the reporting
currency (expected values computed by hand in the comments)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from tests.factories import MatterFactory
from tests.reports.dataset import invoice

from legalops.organization.models import Currency, FxRate
from legalops.reports.registry import FilterError, Filters, kpi_by, kpi_values
from legalops.reports.rollups import rebuild

D = datetime.date


@pytest.fixture
def small(firm_a: Any, firm_b: Any, attorney: Any) -> dict[str, Any]:
    mine = MatterFactory(number="M-1", lead_attorney=attorney)
    other = MatterFactory(number="M-2")
    for code, places in (("USD", 2), ("EUR", 2)):
        Currency.objects.get_or_create(code=code, defaults={"name": code, "minor_unit": places})
    FxRate.objects.create(base_id="EUR", quote_id="USD", date=D(2026, 1, 1), rate=Decimal("1.1"))
    invoice(
        firm=firm_a,
        matter=mine,
        number="A1",
        day=D(2026, 1, 10),
        lines=[{"billed": 100000, "reduced": 10000, "hours": "2"}],
    )
    invoice(
        firm=firm_b,
        matter=other,
        number="B1",
        day=D(2026, 2, 3),
        currency="EUR",
        lines=[{"billed": 50005, "hours": "1"}],
    )
    invoice(
        firm=firm_a,
        matter=other,
        number="A2",
        day=D(2026, 2, 20),
        state="in_review",
        lines=[{"billed": 20000, "hours": "1"}],
    )
    invoice(
        firm=firm_a,
        matter=mine,
        number="A3",
        day=D(2026, 3, 1),
        state="rejected",
        lines=[{"billed": 70000, "hours": "1"}],
    )
    rebuild()  # built row by row, as a bulk path would: rebuild the rollups
    return {"mine": mine, "other": other}


def test_totals_in_reporting_currency(small: Any, admin: Any) -> None:
    values = kpi_values(admin, Filters())
    # billed: 1000.00 + 500.05 EUR * 1.1 = 550.055 -> 550.06 + 200.00 (in review); the
    # rejected invoice is not billed spend.
    assert values["total_billed"] == 100000 + 55006 + 20000
    # approved: 900.00 + 550.06 (B1 approved as billed); in review is not approved yet
    assert values["total_approved"] == 90000 + 55006


def test_period_and_split(small: Any, admin: Any, firm_a: Any, firm_b: Any) -> None:
    feb = Filters(date_from=D(2026, 2, 1), date_to=D(2026, 2, 28))
    assert kpi_values(admin, feb)["total_billed"] == 55006 + 20000
    rows = kpi_by(admin, Filters(), "total_billed", "firm")
    assert [(r.label, r.value, r.drill) for r in rows] == [
        ("Hale & Whitmore LLP", 120000, {"firm": firm_a.pk}),
        ("Okafor Brandt LLP", 55006, {"firm": firm_b.pk}),
    ]
    months = kpi_by(admin, Filters(), "total_approved", "month")
    assert [(r.drill, r.value) for r in months] == [
        ({"month": "2026-01"}, 90000),
        ({"month": "2026-02"}, 55006),
        ({"month": "2026-03"}, 0),  # only the rejected invoice: nothing approved
    ]


def test_attorney_sees_only_their_matters(small: Any, attorney: Any) -> None:
    assert kpi_values(attorney, Filters())["total_billed"] == 100000


@pytest.mark.parametrize("role", ["requester", "firm_a"])
def test_outsiders_get_nothing(personas: Any, role: str) -> None:
    with pytest.raises(PermissionDenied):
        kpi_values(personas[role], Filters())


def test_bad_filters() -> None:
    with pytest.raises(FilterError, match="after"):
        Filters.from_params({"from": "2026-03-01", "to": "2026-02-01"})
    with pytest.raises(FilterError, match="from: '2026-13-01' is not a date"):
        Filters.from_params({"from": "2026-13-01"})
    with pytest.raises(FilterError, match="firm: 'x' is not an id"):
        Filters.from_params({"firm": "1,x"})
