"""The per-invoice cycle-time rollup (`InvoiceCycle`): kept by the services' transitions,
rebuilt from invoices and their state changes, and the cycle-time percentiles (ranked by the
database), first-pass acceptance and time to payment computed from it with the filters
applied (values by hand, on SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime
import importlib
import random
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.apps import apps as django_apps
from tests.invoices.spend_fixtures import GUIDELINES, flagged_file
from tests.reports.dataset import D, at, invoice, moved
from tests.reports.test_rollups import clear_hold

from legalops.invoices import services
from legalops.invoices.rulebook import guidelines_load
from legalops.reports import kpis_ops
from legalops.reports.cycle_counts import tenths
from legalops.reports.kpis_common import in_days
from legalops.reports.models import InvoiceCycle, InvoiceCycleMonth
from legalops.reports.registry import Filters, kpi_by, kpi_values
from legalops.reports.rollups import rebuild

DAY, HOUR = 86400, 3600
Q1 = Filters(date_from=D(2026, 1, 1), date_to=D(2026, 3, 31))
CYCLE_KPIS = (
    "invoice_cycle_time_days_median",
    "invoice_cycle_time_days_p90",
    "review_stage_days_median",
    "approval_stage_days_median",
)


def cycles() -> dict[str, tuple[Any, ...]]:
    return {
        row.invoice.invoice_number: (
            row.decided_on,
            row.submitted_on,
            row.approval_seconds,
            row.review_seconds,
            row.approval_stage_seconds,
        )
        for row in InvoiceCycle.objects.filter(approved=True).select_related("invoice")
    }


def counts() -> list[tuple[Any, ...]]:
    return sorted(InvoiceCycleMonth.objects.values_list(*COUNT_FIELDS))


COUNT_FIELDS = ("month", "trend_month", "span", "tenths", "count", "low", "high")


def first_passes() -> dict[str, bool | None]:
    rows = InvoiceCycle.objects.values_list("invoice__invoice_number", "first_pass")
    return dict(rows)


def cycle_values(user: Any, filters: Filters) -> tuple[Any, ...]:
    values = kpi_values(user, filters)
    return tuple(values[k] for k in CYCLE_KPIS)


@pytest.fixture
def received(
    intake: Any, matter_a: Any, rate_card: Any, django_capture_on_commit_callbacks: Any
) -> Any:
    """INV-5 received through intake on 2026-03-02 at 09:00 (one hold to clear)."""
    guidelines_load(actor=None, data=GUIDELINES, filename="northwind.toml")
    with (
        time_machine.travel(at(D(2026, 3, 2)), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        return intake(flagged_file()).received[0]


def test_the_services_keep_the_row(
    received: Any, admin: Any, django_capture_on_commit_callbacks: Any
) -> None:
    assert not InvoiceCycle.objects.exists()  # not approved yet
    with django_capture_on_commit_callbacks(execute=True):
        with time_machine.travel(at(D(2026, 3, 3), 15), tick=False):
            clear_hold(received, admin)
            services.invoice_submit_for_approval(actor=admin, invoice=received)
        assert not InvoiceCycle.objects.exists()  # pending approval
        with time_machine.travel(at(D(2026, 3, 5)), tick=False):
            services.invoice_approve(actor=admin, invoice=received)
    # received 03-02 09:00, submitted 03-03 15:00 (1 d 6 h), approved 03-05 09:00 (3 d)
    assert cycles() == {
        "INV-5": (D(2026, 3, 5), D(2026, 3, 3), 3 * DAY, DAY + 6 * HOUR, DAY + 18 * HOUR)
    }
    # 3.0 days; review 1.25 -> 1.3 and approval stage 1.75 -> 1.8 (half up)
    assert cycle_values(admin, Q1) == (
        Decimal("3.0"),
        Decimal("3.0"),
        Decimal("1.3"),
        Decimal("1.8"),
    )
    assert first_passes() == {"INV-5": True}
    received.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        services.invoice_void(actor=admin, invoice=received, comment="sent twice")
    assert cycles() == {}  # a voided invoice is no longer approved: no cycle times
    assert cycle_values(admin, Q1) == (None, None, None, None)
    assert first_passes() == {"INV-5": False}
    assert kpi_values(admin, Q1)["first_pass_acceptance"] == Decimal("0")


def test_a_rejection_fails_the_first_pass_without_cycle_times(
    received: Any, admin: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        services.invoice_reject(
            actor=admin, invoice=received, reason_code="billing-error", comment="codes"
        )
    assert cycles() == {}
    assert first_passes() == {"INV-5": False}


def test_rebuild_computes_them_from_the_state_changes(book: Any, firm_a: Any) -> None:
    # BOOK (conftest.py): A1 received 01-10 09:00, sent for approval 01-12 09:00, approved
    # 01-14 21:00; B1 received 02-05 09:00, sent 02-05 21:00, approved 02-06 09:00. A2 is in
    # review and A3 rejected: no rows.
    expected = {
        "A1": (D(2026, 1, 14), D(2026, 1, 12), 4 * DAY + 12 * HOUR, 2 * DAY, 2 * DAY + 12 * HOUR),
        "B1": (D(2026, 2, 6), D(2026, 2, 5), DAY, 12 * HOUR, 12 * HOUR),
    }
    assert cycles() == expected
    # A second submission later does not move the first one; damaged rows are repaired.
    a1 = InvoiceCycle.objects.get(invoice__invoice_number="A1").invoice
    moved(a1, "pending_approval", at(D(2026, 1, 13)))
    InvoiceCycle.objects.filter(invoice=a1).update(approval_seconds=1)
    InvoiceCycle.objects.filter(invoice__invoice_number="B1").delete()
    assert rebuild().cycle_rows == 3  # A1, B1 and the rejected A3
    assert cycles() == expected
    assert first_passes() == {"A1": True, "B1": True, "A3": False}


def test_a_never_submitted_invoice_counts_only_for_the_whole_cycle(book: Any, firm_a: Any) -> None:
    m1 = book["m1"]
    invoice(
        firm=firm_a,
        matter=m1,
        number="A4",
        day=D(2026, 3, 10),
        decided_at=at(D(2026, 3, 11), 15),  # auto-approved: 1 d 6 h, no approval stage
        lines=[{"billed": 10000}],
    )
    rebuild()
    assert cycles()["A4"] == (D(2026, 3, 11), None, DAY + 6 * HOUR, None, None)


def test_percentiles_apply_the_filters(
    book: Any, admin: Any, attorney: Any, firm_a: Any, firm_b: Any
) -> None:
    m2 = book["m2"]
    # Ten more approved invoices of firm B on M-2 in March, decided 1, 2, ... 10 days after
    # receipt (submitted for approval after half a day).
    for n in range(1, 11):
        made = invoice(
            firm=firm_b,
            matter=m2,
            number=f"C{n}",
            day=D(2026, 3, 1),
            decided_at=at(D(2026, 3, 1 + n)),
            lines=[{"billed": 10000}],
        )
        moved(made, "pending_approval", at(D(2026, 3, 1), 21))
    rebuild()
    # All of Q1: A1 4.5 d, B1 1 d, C1..C10 1..10 d: 12 values 1, 1, 2, 3, 4, 4.5, 5, ...
    # median (4.5 + 5) / 2 = 4.75 -> 4.8; p90 rank ceil(10.8) = 11 -> 9 days
    median, p90, review, stage = cycle_values(admin, Q1)
    assert (median, p90) == (Decimal("4.8"), Decimal("9.0"))
    # review: A1 2 d, B1 0.5 d, C* 0.5 d: median 0.5; approval stage: A1 2.5, B1 0.5,
    # C1..C10 0.5, 1.5, ... 9.5: 0.5, 0.5, 1.5, 2.5, 2.5, 3.5 | 4.5, ...: (3.5 + 4.5) / 2 = 4.0
    assert (review, stage) == (Decimal("0.5"), Decimal("4.0"))
    # firm A only: A1
    a = Filters(date_from=Q1.date_from, date_to=Q1.date_to, firm_ids=(firm_a.pk,))
    assert cycle_values(admin, a) == (
        Decimal("4.5"),
        Decimal("4.5"),
        Decimal("2.0"),
        Decimal("2.5"),
    )
    # practice area of M-2 (B1, C1..C10): 11 values 1, 1, 2, ..., 10: median 5, p90 rank 10 -> 9
    pa2 = Filters(
        date_from=Q1.date_from, date_to=Q1.date_to, practice_area_ids=(m2.practice_area_id,)
    )
    assert cycle_values(admin, pa2)[:2] == (Decimal("5.0"), Decimal("9.0"))
    # the period bounds the decision date: decided 03-01 .. 03-05 are C1..C4 (1..4 days):
    # median 2.5, p90 rank ceil(3.6) = 4 -> 4 days
    early = Filters(date_from=D(2026, 3, 1), date_to=D(2026, 3, 5))
    assert cycle_values(admin, early)[:2] == (Decimal("2.5"), Decimal("4.0"))
    # the attorney leads M-1 only: A1
    assert cycle_values(attorney, Q1)[0] == Decimal("4.5")
    # by month of the decision (review stage: of the submission)
    by_month = {
        r.key: r.value for r in kpi_by(admin, Q1, "invoice_cycle_time_days_median", "month")
    }
    assert by_month == {
        D(2026, 1, 1): Decimal("4.5"),
        D(2026, 2, 1): Decimal("1.0"),
        D(2026, 3, 1): Decimal("5.5"),  # 1..10: (5 + 6) / 2
    }
    review_by_month = {
        r.key: r.value for r in kpi_by(admin, Q1, "review_stage_days_median", "month")
    }
    assert review_by_month == {
        D(2026, 1, 1): Decimal("2.0"),
        D(2026, 2, 1): Decimal("0.5"),
        D(2026, 3, 1): Decimal("0.5"),
    }
    by_firm = {r.label: r.value for r in kpi_by(admin, Q1, "invoice_cycle_time_days_p90", "firm")}
    # firm B: B1 1 d and C1..C10: 11 values, rank ceil(9.9) = 10 -> 9 days
    assert by_firm == {"Hale & Whitmore LLP": Decimal("4.5"), "Okafor Brandt LLP": Decimal("9.0")}


def test_time_to_payment(book: Any, admin: Any, firm_a: Any) -> None:
    m1 = book["m1"]
    # received 03-02, 03-03, 03-04, 03-05; paid 03-12 (10 d), 03-23 (20 d), 04-03 (30 d),
    # 04-14 (40 d)
    for n, paid in enumerate((D(2026, 3, 12), D(2026, 3, 23), D(2026, 4, 3), D(2026, 4, 14))):
        invoice(
            firm=firm_a,
            matter=m1,
            number=f"P{n}",
            day=D(2026, 3, 2 + n),
            state="paid",
            decided_at=at(D(2026, 3, 6)),
            paid_on=paid,
            lines=[{"billed": 10000}],
        )
    rebuild()
    payment = "invoice_to_payment_days_median"
    assert kpi_values(admin, Filters(date_from=D(2026, 3, 1)))[payment] == Decimal("25.0")
    assert kpi_values(admin, Q1)[payment] == Decimal("15.0")  # paid in March: 10 and 20
    by_month = {r.key: r.value for r in kpi_by(admin, Filters(), payment, "month")}
    assert by_month == {D(2026, 3, 1): Decimal("15.0"), D(2026, 4, 1): Decimal("35.0")}


def test_the_monthly_counts_give_what_the_database_ranks(
    book: Any, admin: Any, firm_a: Any, firm_b: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`InvoiceCycleMonth` (counts per tenth of a day) against ranking every row: the same
    values for whole and partial months, ungrouped and by month. The spans sit on and next to
    the tenths' half-way points (4,320 s), with ties, so that even counts' medians fall
    between two tenths and on a half tenth."""
    rng = random.Random(7)
    for n in range(90):
        day = D(2026, 1, 1) + datetime.timedelta(days=rng.randrange(110))
        received = at(day) + datetime.timedelta(seconds=rng.choice((0, 1, 4319, 4320, 4321)))
        decided = received + datetime.timedelta(
            seconds=4320 * rng.randrange(1, 40) + rng.choice((-1, 0, 0, 1, 2880))
        )
        paid = decided.date() + datetime.timedelta(days=rng.randrange(0, 45))
        made = invoice(
            firm=rng.choice((firm_a, firm_b)),
            matter=book[rng.choice(("m1", "m2"))],
            number=f"R{n}",
            day=day,
            state="paid" if n % 3 else "approved",
            received_at=received,
            decided_at=decided,
            paid_on=paid if n % 3 else None,
            lines=[{"billed": 10000}],
        )
        if n % 4:
            sent = received + (decided - received) * rng.choice((1, 2, 3)) / 4
            moved(made, "pending_approval", sent)
    rebuild()
    # The migration that adds the counts counts the cycle rows already there the same way.
    rebuilt = counts()
    InvoiceCycleMonth.objects.all().delete()
    migration = importlib.import_module("legalops.reports.migrations.0004_invoice_cycle_month")
    migration.count_existing_cycles(django_apps, None)
    assert counts() == rebuilt
    periods = [
        Filters(),
        Q1,
        Filters(date_from=D(2026, 1, 15), date_to=D(2026, 3, 10)),
        Filters(date_from=D(2026, 2, 3), date_to=D(2026, 2, 20)),
        Filters(date_from=D(2026, 2, 10)),
        Filters(date_to=D(2026, 3, 30)),
        Filters(date_from=D(2026, 1, 31), date_to=D(2026, 2, 1)),
    ]
    kpis = (*CYCLE_KPIS, "invoice_to_payment_days_median")

    def values() -> list[Any]:
        out: list[Any] = []
        for filters in periods:
            every = kpi_values(admin, filters)
            out.append([every[k] for k in kpis])
            out.extend(kpi_by(admin, filters, k, "month") for k in kpis)
        return out

    counted = values()
    assert any(value is not None for value in counted[0])
    monkeypatch.setattr(kpis_ops, "_counted", lambda query: None)
    assert counted == values()


def test_tenths_round_as_the_kpis_do() -> None:
    # every value around the half-way points of the tenths (4,320 s; half a day), both signs
    seconds = [t * 4320 + d for t in range(-60, 60) for d in (-1, 0, 1)] + list(range(-999, 999))
    for value in seconds:
        assert tenths(value, DAY) == in_days(Decimal(value), DAY) * 10, value
    for value in range(-400, 400):
        assert tenths(value, 1) == in_days(Decimal(value), 1) * 10, value


def test_the_fill_migration_gives_a_database_upgraded_across_0003_its_cycles(
    book: Any, admin: Any, firm_a: Any
) -> None:
    # reports.0003 created the table empty: an upgraded database had no cycle rows for the
    # invoices decided before it, so its cycle-time KPIs counted only later decisions.
    expected_cycles, expected_counts = cycles(), counts()
    expected_kpis = cycle_values(admin, Filters())
    assert expected_cycles and expected_counts  # BOOK has decided invoices
    InvoiceCycle.objects.filter(invoice__invoice_number="A1").delete()
    InvoiceCycleMonth.objects.all().delete()
    assert cycle_values(admin, Filters()) != expected_kpis
    migration = importlib.import_module("legalops.reports.migrations.0007_fill_invoice_cycles")
    migration.fill_invoice_cycles(django_apps, None)
    assert cycles() == expected_cycles
    assert counts() == expected_counts
    assert cycle_values(admin, Filters()) == expected_kpis
