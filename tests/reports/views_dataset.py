"""The invoices behind the Insight page tests (views and browser), small enough to add up by
hand: A1 (firm A, the attorney's Corporate matter, January: billed 1,000.00, reduced by 100.00,
2 partner hours), A2 (firm A, an employment matter, February: 300.00, 1 associate hour) and B1
(firm B, the same employment matter, February: 250.50, 1 paralegal hour)."""

from __future__ import annotations

import datetime
from typing import Any

from tests.factories import MatterFactory, PracticeAreaFactory
from tests.reports.dataset import invoice

from legalops.reports.rollups import rebuild

D = datetime.date


def spend_dataset(firm_a: Any, firm_b: Any, attorney: Any) -> dict[str, Any]:
    corporate = PracticeAreaFactory(name="Corporate")
    mine = MatterFactory(number="M-1", name="Mine", lead_attorney=attorney, practice_area=corporate)
    other = MatterFactory(number="M-2", name="Other", matter_type="employment")
    invoice(
        firm=firm_a,
        matter=mine,
        number="A1",
        day=D(2026, 1, 10),
        lines=[{"billed": 100000, "reduced": 10000, "hours": "2", "cls": "PARTNR"}],
    )
    invoice(
        firm=firm_a,
        matter=other,
        number="A2",
        day=D(2026, 2, 5),
        lines=[{"billed": 30000, "hours": "1", "cls": "ASSOC"}],
    )
    invoice(
        firm=firm_b,
        matter=other,
        number="B1",
        day=D(2026, 2, 20),
        lines=[{"billed": 25050, "hours": "1", "cls": "PARALG"}],
    )
    rebuild()  # built row by row, as a bulk path would: rebuild the rollups
    return {"mine": mine, "other": other, "corporate": corporate}


def page_view(client: Any, path: str, key: str) -> dict[str, Any]:
    """The view `key` of the dashboard at `path`, for the first quarter of 2026."""
    params = {"period": "custom", "from": "2026-01-01", "to": "2026-03-31"}
    response = client.get(path, params)
    return next(v for v in response.context["views"] if v["table"].key == key)
