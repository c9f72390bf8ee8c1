"""Fixtures of the spend pages' tests: firm A's invoice INV-5 on LIT-001, reviewed with
guidelines that reduce block billing by half and hold vague descriptions.

Import the fixtures a module uses: `from tests.invoices.spend_fixtures import flagged`.
"""

from __future__ import annotations

from typing import Any

import pytest
from tests.invoices.builders import Bill, Expense, Fee, ledes

GUIDELINES = b"""
[guidelines]
name = "Northwind Outside Counsel Guidelines"
version = "2026.1"
effective = 2026-01-01
currency = "USD"

[rules.block-billing]
action = "reduce"
reduce_percent = 50

[rules.vague-description]
action = "hold"
"""

# 4.0 h x 500.00 = 2,000.00, block billing: 1,000.00 off.
BLOCK = Fee(
    "4.0",
    "500.00",
    "Review deposition transcript of J. Smith; draft motion to compel "
    "production of emails; call with client re settlement range",
)
# 0.5 h x 300.00 = 150.00, vague: held.
VAGUE = Fee("0.5", "300.00", "Attention to file", timekeeper=("TK2", "Lee, Ann", "ASSOC"))
# 120.00, clean.
CLEAN = Expense("120.00", "E110", "Court reporter for deposition")
BILLED = 200000 + 15000 + 12000


def flagged_file(number: str = "INV-5", matter: str = "LIT-001", **kw: Any) -> bytes:
    return ledes(Bill(number, matter, lines=[BLOCK, VAGUE, CLEAN], **kw))


@pytest.fixture
def guidelines(db: None) -> Any:
    from legalops.invoices.rulebook import guidelines_load

    return guidelines_load(actor=None, data=GUIDELINES, filename="northwind.toml")


@pytest.fixture
def flagged(intake: Any, matter_a: Any, rate_card: Any, guidelines: Any) -> Any:
    """INV-5 of firm A, in review: billed 2,270.00, approved 1,270.00, one hold open."""
    return intake(flagged_file()).received[0]


@pytest.fixture
def clean_file() -> bytes:
    return ledes(Bill("INV-7", "LIT-001", lines=[CLEAN]))


@pytest.fixture
def firm_b_invoice(intake: Any, matter_b: Any, firm_b: Any, guidelines: Any) -> Any:
    """An invoice of firm B on its own matter LIT-002."""
    data = ledes(Bill("B-100", "LIT-002", firm="94-7654321", lines=[CLEAN]))
    return intake(data).received[0]
