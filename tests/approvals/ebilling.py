"""Fixtures shared by the tests of approvals, appeals, AP export and notifications: firm A's
matter LIT-001 (lead: the attorney persona) with a rate card, guidelines that reduce block
billing by half and hold vague lines, and `bill(...)` to receive and review an invoice.
Each of those test folders' conftest imports this module."""

from __future__ import annotations

import dataclasses
import itertools
from typing import Any

import pytest
from tests.invoices.builders import Bill, Expense, Fee, ledes
from tests.invoices.conftest import RECEIVED_ON, intake, matter_a, matter_b, rate_card
from tests.invoices.test_workflow import BLOCK, GUIDELINES  # block billing, halved

from legalops.invoices import services
from legalops.invoices.models import Flag, Invoice

__all__ = ["BLOCK", "RECEIVED_ON", "intake", "matter_a", "matter_b", "rate_card"]

CLEAN = Fee("2.0", "500.00", "Draft motion to compel production of emails")  # 1,000.00
EXPENSE = Expense("120.00", "E110", "Court reporter for deposition")
_numbers = itertools.count(1)


def _distinct(sequence: int, lines: tuple[Any, ...]) -> list[Any]:
    """The same line in several test invoices is not a duplicate charge: each one gets a day of
    its own among the 15 before the invoice date (2026-11-15)."""
    return [
        dataclasses.replace(line, date=f"202611{(sequence * 7 + n) % 15 + 1:02d}")
        for n, line in enumerate(lines)
    ]


@pytest.fixture
def guidelines(db: None) -> Any:
    from legalops.invoices.rulebook import guidelines_load

    return guidelines_load(actor=None, data=GUIDELINES, filename="northwind.toml")


@pytest.fixture
def bill(intake: Any, matter_a: Any, rate_card: Any, guidelines: Any) -> Any:
    """`bill(*lines, matter="LIT-001", firm=...)` -> the received, reviewed invoice."""

    def make(*lines: Any, matter: str = "LIT-001", firm: str = "36-1234567") -> Invoice:
        sequence = next(_numbers)
        number = f"INV-{sequence:04d}"
        data = ledes(Bill(number, matter, firm=firm, lines=_distinct(sequence, lines or (CLEAN,))))
        report = intake(data, filename=f"{number}.txt")
        assert report.accepted, report.outcomes
        invoice = report.received[0]
        invoice.refresh_from_db()
        return invoice

    return make


@pytest.fixture
def submitted(bill: Any, admin: Any) -> Any:
    """`submitted(*lines)` -> an invoice the admin reviewed (flags accepted) and submitted."""

    def make(*lines: Any, **kw: Any) -> Invoice:
        invoice = bill(*lines, **kw)
        for flag in Flag.objects.filter(invoice=invoice, status=Flag.Status.PROPOSED):
            services.flag_decide(actor=admin, flag=flag, accept=True)
        invoice = services.invoice_submit_for_approval(actor=admin, invoice=invoice)
        invoice.refresh_from_db()
        return invoice

    return make


@pytest.fixture
def approved(submitted: Any, attorney: Any) -> Any:
    """`approved(*lines)` -> an invoice approved by the matter's lead attorney."""

    def make(*lines: Any, **kw: Any) -> Invoice:
        return services.invoice_approve(actor=attorney, invoice=submitted(*lines, **kw))

    return make
