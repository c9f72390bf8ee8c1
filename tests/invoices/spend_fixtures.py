"""Fixtures of the spend pages' tests: firm A's invoice INV-5 on LIT-001, reviewed with
guidelines that reduce block billing by half and hold vague descriptions.

Import the fixtures a module uses: `from tests.invoices.spend_fixtures import flagged`.
"""

from __future__ import annotations

from typing import Any

import pytest
from tests.invoices.builders import Bill, Expense, Fee, ledes
from tests.invoices.guidelines_samples import NORTHWIND

GUIDELINES = NORTHWIND

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


@pytest.fixture
def outsider(db: None) -> Any:
    """An attorney who is on no team of firm A's matter."""
    from tests.factories import UserFactory

    return UserFactory(username="other.counsel", role="attorney")


def long_file(number: str, lines: int, matter: str = "LIT-001") -> bytes:
    """An invoice of `lines` lines: every tenth is block-billed (reduced), the rest clean
    fee lines of one hour over distinct days."""
    import datetime

    rows: list[Fee | Expense] = []
    start = datetime.date(2026, 11, 1)
    for n in range(lines):
        day = (start + datetime.timedelta(days=n % 28)).strftime("%Y%m%d")
        if n % 10 == 0:
            text = f"Draft motion part {n}; review production volume {n}; call client re {n}"
        else:
            text = f"Draft brief section {n} on spoliation sanctions for the motion to compel"
        keeper = ("TK1", "Hale, Grace", "PARTNR") if n % 2 else ("TK2", "Lee, Ann", "ASSOC")
        rate = "500.00" if n % 2 else "300.00"
        rows.append(Fee("0.1", rate, text, date=day, timekeeper=keeper))
    return ledes(Bill(number, matter, lines=rows))


@pytest.fixture
def approver_sees(approver: Any) -> Any:
    """`approver_sees(invoice)`: route the invoice to the approver the way the approvals
    module will (an APPROVER_SCOPES rule), for this test only."""
    from django.db.models import Q

    from legalops.invoices import selectors

    routed: list[int] = []

    def scope(user: Any) -> Q:
        return Q(pk__in=routed) if user.pk == approver.pk else Q(pk__in=[])

    selectors.APPROVER_SCOPES.append(scope)

    def route(invoice: Any) -> None:
        routed.append(invoice.pk)

    yield route
    selectors.APPROVER_SCOPES.remove(scope)
