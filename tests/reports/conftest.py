"""The e-billing fixtures (matters of firm A and B, the rate card, intake) for the insight
tests, which run invoices through the real services, and the fixed dataset `book`."""

from __future__ import annotations

from typing import Any

import pytest
from tests.factories import MatterFactory, PracticeAreaFactory, TimekeeperFactory
from tests.invoices.conftest import intake, matter_a, matter_b, rate_card  # noqa: F401
from tests.reports.dataset import D, appealed, at, currencies, invoice, moved

from legalops.reports.rollups import rebuild

BOOK = """The fixed dataset of the KPI tests (`book`). Reporting currency USD; EUR converts
at 1.1 in January and 1.2 from February (the invoice date's rate).

A1  firm A, matter M1, 2026-01-10, USD, approved with adjustments, received 01-10 09:00,
    sent for approval 01-12 09:00, approved 01-14 21:00:
      partner P1 (diverse) 2.0 h billed 1000.00, reduced 200.00, flagged
      associate S1         3.5 h billed 1050.00
      expense                    billed   50.00
B1  firm B, matter M2, 2026-02-05, EUR, approved with adjustments and appealed, received
    02-05 09:00, sent for approval 02-05 21:00, approved 02-06 09:00:
      partner P2 (PT)      1.5 h billed 600.00 EUR, reduced 300.00, 100.00 reinstated, flagged
      paralegal L1 (diverse) 4.0 h billed 400.00 EUR
A2  firm A, matter M1, 2026-02-20, USD, in review: partner P1 1.0 h billed 500.00
A3  firm A, matter M2, 2026-03-02, USD, rejected 03-03: associate S1 2.0 h billed 600.00
"""


@pytest.fixture
def book(firm_a: Any, firm_b: Any, attorney: Any) -> dict[str, Any]:
    """BOOK above."""
    currencies(("EUR", D(2026, 1, 1), "1.1"), ("EUR", D(2026, 2, 1), "1.2"))
    pa1, pa2 = PracticeAreaFactory(name="Litigation"), PracticeAreaFactory(name="Patents")
    m1 = MatterFactory(number="M-1", lead_attorney=attorney, practice_area=pa1)
    m2 = MatterFactory(number="M-2", practice_area=pa2)
    p1 = TimekeeperFactory(firm=firm_a, classification="PARTNR", diversity=["women"])
    s1 = TimekeeperFactory(firm=firm_a, classification="ASSOC")
    p2 = TimekeeperFactory(firm=firm_b, classification="PT")
    l1 = TimekeeperFactory(firm=firm_b, classification="PARALG", diversity=["veteran"])
    a1 = invoice(
        firm=firm_a,
        matter=m1,
        number="A1",
        day=D(2026, 1, 10),
        state="approved_adjusted",
        decided_at=at(D(2026, 1, 14), 21),
        lines=[
            {
                "billed": 100000,
                "reduced": 20000,
                "hours": "2.0",
                "cls": "PARTNR",
                "timekeeper": p1,
                "flags": 1,
            },
            {"billed": 105000, "hours": "3.5", "cls": "ASSOC", "timekeeper": s1},
            {"billed": 5000, "kind": "E"},
        ],
    )
    moved(a1, "pending_approval", at(D(2026, 1, 12)))
    b1 = invoice(
        firm=firm_b,
        matter=m2,
        number="B1",
        day=D(2026, 2, 5),
        state="approved_adjusted",
        currency="EUR",
        decided_at=at(D(2026, 2, 6)),
        lines=[
            {
                "billed": 60000,
                "reduced": 30000,
                "reinstated": 10000,
                "hours": "1.5",
                "cls": "PT",
                "timekeeper": p2,
                "flags": 1,
            },
            {"billed": 40000, "hours": "4.0", "cls": "PARALG", "timekeeper": l1},
        ],
    )
    moved(b1, "pending_approval", at(D(2026, 2, 5), 21))
    appealed(b1)
    invoice(
        firm=firm_a,
        matter=m1,
        number="A2",
        day=D(2026, 2, 20),
        state="in_review",
        lines=[{"billed": 50000, "hours": "1.0", "cls": "PARTNR", "timekeeper": p1}],
    )
    a3 = invoice(
        firm=firm_a,
        matter=m2,
        number="A3",
        day=D(2026, 3, 2),
        state="rejected",
        decided_at=at(D(2026, 3, 3)),
        lines=[{"billed": 60000, "hours": "2.0", "cls": "ASSOC", "timekeeper": s1}],
    )
    moved(a3, "rejected", at(D(2026, 3, 3)))
    rebuild()
    return {"m1": m1, "m2": m2, "pa1": pa1}
