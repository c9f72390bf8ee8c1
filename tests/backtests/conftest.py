"""Backtest fixtures: firm A's two invoices reviewed with the published guidelines (block
billing -50 %, the shipped rate cap), a draft that reduces block billing by 20 % only and merely
warns about rates above the card, firm B's clean invoice, and invoices the period leaves out.

Amounts, computed by hand (USD, minor units):
- INV-5 (firm A, LIT-001): block-billed 4.0 h x 500.00 = 2,000.00, a vague 0.5 h x 300.00 =
  150.00 (held, no money), an expense 120.00: billed 227,000.
  Published: block billing -1,000.00 -> approved 127,000. Draft: -400.00 -> 187,000.
- INV-6 (firm A, LIT-001): 2.0 h x 550.00 = 1,100.00 by a partner whose card rate is 500.00:
  billed 110,000. Published: rate above approved -2.0 x 50.00 = -100.00 -> 100,000.
  Draft: a warning only -> 110,000.
- B-1 (firm B, LIT-002): an expense 80.00, nothing flagged either way: 8,000.
"""

from __future__ import annotations

from typing import Any

import pytest
from tests.invoices.builders import Bill, Expense, Fee, ledes
from tests.invoices.conftest import intake, matter_a, matter_b, rate_card
from tests.invoices.guidelines_samples import NORTHWIND

__all__ = ["intake", "matter_a", "matter_b", "rate_card"]

PUBLISHED = NORTHWIND

DRAFT = b"""
[guidelines]
name = "Northwind Outside Counsel Guidelines"
version = "2027.1-draft"
effective = 2027-01-01
currency = "USD"

[rules.block-billing]
action = "reduce"
reduce_percent = 20

[rules.vague-description]
action = "hold"

[rules.rate-above-approved]
action = "warn"
"""

BLOCK = Fee(
    "4.0",
    "500.00",
    "Review deposition transcript of J. Smith; draft motion to compel "
    "production of emails; call with client re settlement range",
)
VAGUE = Fee("0.5", "300.00", "Attention to file", timekeeper=("TK2", "Lee, Ann", "ASSOC"))
CLEAN = Expense("120.00", "E110", "Court reporter for deposition")
OVER_RATE = Fee("2.0", "550.00", "Draft motion for summary judgment", date="20261109")


@pytest.fixture
def versions(db: None) -> dict[str, Any]:
    from legalops.invoices.rulebook import guidelines_load

    return {
        "published": guidelines_load(actor=None, data=PUBLISHED, filename="published.toml"),
        "draft": guidelines_load(actor=None, data=DRAFT, filename="draft.toml", publish=False),
    }


@pytest.fixture
def history(versions: Any, intake: Any, matter_a: Any, matter_b: Any, rate_card: Any) -> Any:
    """The invoices above, plus a voided invoice and one dated outside November 2026."""
    from legalops.invoices import services

    a = intake(
        ledes(
            Bill("INV-5", "LIT-001", lines=[BLOCK, VAGUE, CLEAN]),
            Bill("INV-6", "LIT-001", lines=[OVER_RATE]),
            Bill("INV-VOID", "LIT-001", lines=[Expense("999.00", "E110", "Courier")]),
            Bill(
                "INV-OLD",
                "LIT-001",
                lines=[Expense("50.00", "E110", "Courier", date="20261010")],
                date="20261020",
                start="20261001",
                end="20261031",
            ),
        )
    ).received
    b = intake(
        ledes(
            Bill("B-1", "LIT-002", firm="94-7654321", lines=[Expense("80.00", "E110", "Copies")])
        ),
        filename="b.txt",
    ).received
    invoices = {inv.invoice_number: inv for inv in [*a, *b]}
    services.invoice_void(actor=None, invoice=invoices["INV-VOID"], comment="sent twice")
    return invoices
