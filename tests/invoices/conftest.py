"""E-billing fixtures: firm A and firm B each on a matter, a rate card, the attorney on the
team of firm A's matter."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from tests.factories import MatterFactory, TimekeeperFactory

from legalops.vendors.models import Rate

RECEIVED_ON = datetime.date(2026, 12, 1)


@pytest.fixture
def matter_a(firm_a: Any, attorney: Any) -> Any:
    matter = MatterFactory(
        number="LIT-001", name="Acme v. Northwind", firms=[firm_a], lead_attorney=attorney
    )
    return matter


@pytest.fixture
def matter_b(firm_b: Any) -> Any:
    return MatterFactory(number="LIT-002", name="Patent dispute", firms=[firm_b])


@pytest.fixture
def rate_card(firm_a: Any) -> Any:
    """Grace Hale (partner) at 500.00 and Ann Lee (associate) at 300.00 from 2026-01-01."""
    partner = TimekeeperFactory(
        firm=firm_a, timekeeper_id="TK1", name="Hale, Grace", classification="PARTNR"
    )
    associate = TimekeeperFactory(
        firm=firm_a, timekeeper_id="TK2", name="Lee, Ann", classification="ASSOC"
    )
    for keeper, rate in ((partner, "500.00"), (associate, "300.00")):
        Rate.objects.create(
            firm=firm_a,
            timekeeper=keeper,
            classification=keeper.classification,
            rate=Decimal(rate),
            currency="USD",
            effective_from=datetime.date(2026, 1, 1),
            source="manual",
        )
    return {"partner": partner, "associate": associate}


@pytest.fixture
def intake(db: None) -> Any:
    """`intake(data, actor=None, **kw)` -> IntakeReport, received on RECEIVED_ON."""
    from legalops.invoices.intake import invoice_intake

    def run(data: bytes, actor: Any = None, filename: str = "invoice.txt", **kw: Any) -> Any:
        kw.setdefault("source", "upload")
        kw.setdefault("received_on", RECEIVED_ON)
        return invoice_intake(actor=actor, data=data, filename=filename, **kw)

    return run
