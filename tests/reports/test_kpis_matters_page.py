"""The Matters page's KPIs that were made to scale (accrual compliance over many periods,
matter cycle time and open-matter age from one read of the matters, the split by matter
ranked by the database), against numbers computed by hand, on SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from typing import Any

import pytest
from tests.factories import MatterFactory, PracticeAreaFactory
from tests.reports.dataset import D, at, invoice

from legalops.matters.models import Accrual, AccrualPeriod, MatterFirm, MatterStatus
from legalops.reports.registry import Filters, kpi_by, kpi_get, kpi_values
from legalops.reports.rollups import rebuild
from legalops.reports.views_build import Context, split_groups

Q1 = Filters(date_from=D(2026, 1, 1), date_to=D(2026, 3, 31))


def by(user: Any, filters: Filters, kpi: str, dimension: str) -> dict[Any, Any]:
    return {row.label: row.value for row in kpi_by(user, filters, kpi, dimension)}


# --- accrual compliance ----------------------------------------------------------------------


def period(month: Any, deadline: Any) -> AccrualPeriod:
    return AccrualPeriod.objects.create(month=month, opens_on=month, deadline=deadline)


def report(p: AccrualPeriod, matter: Any, firm: Any, day: Any) -> None:
    Accrual.objects.create(
        period=p, matter=matter, firm=firm, current_minor=1000, currency="USD", reported_at=at(day)
    )


@pytest.fixture
def accruals(firm_a: Any, firm_b: Any, attorney: Any) -> dict[str, Any]:
    """Periods January (deadline 02-05), February (03-05), April (05-05: outside Q1).
    m1 (attorney's, opened 2025-12-01): firms A and B; m2 (opened 2026-02-10, so asked from
    February on): firm A; m3 (closed): firm A, never asked; m4: firm B inactive, never asked.
    Answers: January m1 A on time, m1 B late (02-06); February m1 A on time, m1 B on time,
    m2 A on time; April m1 A on time; a January answer for m2 (not yet opened by the
    deadline: not asked, so not counted); m3 A answered in February (closed: not asked)."""
    m1 = MatterFactory(opened_on=D(2025, 12, 1), lead_attorney=attorney, firms=[firm_a, firm_b])
    m2 = MatterFactory(opened_on=D(2026, 2, 10), firms=[firm_a])
    m3 = MatterFactory(opened_on=D(2025, 6, 1), status=MatterStatus.CLOSED, firms=[firm_a])
    m4 = MatterFactory(opened_on=D(2025, 6, 1))
    MatterFirm.objects.create(matter=m4, firm=firm_b, is_active=False)
    jan = period(D(2026, 1, 1), D(2026, 2, 5))
    feb = period(D(2026, 2, 1), D(2026, 3, 5))
    apr = period(D(2026, 4, 1), D(2026, 5, 5))
    report(jan, m1, firm_a, D(2026, 2, 5))
    report(jan, m1, firm_b, D(2026, 2, 6))
    report(jan, m2, firm_a, D(2026, 2, 1))
    report(feb, m1, firm_a, D(2026, 3, 1))
    report(feb, m1, firm_b, D(2026, 3, 5))
    report(feb, m2, firm_a, D(2026, 3, 2))
    report(feb, m3, firm_a, D(2026, 3, 2))
    report(apr, m1, firm_a, D(2026, 4, 30))
    return {"m1": m1, "m2": m2}


def test_accrual_compliance_counts_each_period_s_assignments(
    accruals: Any, admin: Any, attorney: Any, firm_a: Any, firm_b: Any
) -> None:
    # January asks m1 A, m1 B (2; m2 opened after its deadline): 1 on time.
    # February asks m1 A, m1 B, m2 A (3): 3 on time. Q1: 4 / 5.
    assert kpi_values(admin, Q1)["accrual_compliance"] == Decimal("0.8")
    # All time adds April: m1 A, m1 B, m2 A asked, 1 on time: 5 / 8.
    assert kpi_values(admin, Filters())["accrual_compliance"] == Decimal("0.625")
    # Firm B: January m1 B late, February m1 B on time: 1 / 2.
    only_b = dataclasses.replace(Q1, firm_ids=(firm_b.pk,))
    assert kpi_values(admin, only_b)["accrual_compliance"] == Decimal("0.5")
    # The attorney sees m1 only: January 1 / 2, February 2 / 2: 3 / 4.
    assert kpi_values(attorney, Q1)["accrual_compliance"] == Decimal("0.75")
    # A period with no period in it: nothing asked.
    march = Filters(date_from=D(2026, 3, 1), date_to=D(2026, 3, 31))
    assert kpi_values(admin, march)["accrual_compliance"] is None


# --- matter cycle time and open-matter age ---------------------------------------------------


@pytest.fixture
def matters(db: None) -> None:
    """Closed: L1 litigation (Litigation) 2025-11-01 to 2026-01-31 (91 days), L2 litigation
    2026-01-05 to 2026-02-04 (30), T1 transactional (Deals) 2026-01-10 to 2026-03-01 (50),
    T2 transactional 2025-01-01 to 2025-12-31 (364, closed before Q1).
    Open on 2026-03-31 (Q1's end): O1 litigation opened 2026-03-01 (30 days), O2
    transactional (Deals) opened 2025-12-31 (90), O3 litigation opened 2026-01-30 and
    closed 2026-04-15 (60 on 03-31), L1..T1 are closed by then; O4 opened 2026-04-02 (after)."""
    lit, deals = PracticeAreaFactory(name="Litigation"), PracticeAreaFactory(name="Deals")
    for opened, closed, kind, area in (
        (D(2025, 11, 1), D(2026, 1, 31), "litigation", lit),
        (D(2026, 1, 5), D(2026, 2, 4), "litigation", lit),
        (D(2026, 1, 10), D(2026, 3, 1), "transactional", deals),
        (D(2025, 1, 1), D(2025, 12, 31), "transactional", deals),
        (D(2026, 3, 1), None, "litigation", lit),
        (D(2025, 12, 31), None, "transactional", deals),
        (D(2026, 1, 30), D(2026, 4, 15), "litigation", lit),
        (D(2026, 4, 2), None, "litigation", lit),
    ):
        MatterFactory(opened_on=opened, closed_on=closed, matter_type=kind, practice_area=area)


def test_matter_cycle_time_and_open_matter_age(matters: None, admin: Any) -> None:
    values = kpi_values(admin, Q1)
    assert values["matter_cycle_time_days_median"] == Decimal("50")  # 30, 50, 91
    assert values["open_matter_age_days_median"] == Decimal("60")  # 30, 60, 90
    assert by(admin, Q1, "matter_cycle_time_days_median", "matter_type") == {
        "Litigation": Decimal("60.5"),  # (30 + 91) / 2
        "Transactional": Decimal("50"),
    }
    assert by(admin, Q1, "open_matter_age_days_median", "practice_area") == {
        "Deals": Decimal("90"),
        "Litigation": Decimal("45"),  # (30 + 60) / 2
    }
    assert by(admin, Q1, "matter_cycle_time_days_median", "month") == {
        "2026-01": Decimal("91"),
        "2026-02": Decimal("30"),
        "2026-03": Decimal("50"),
    }
    # All time: every closed matter, O3 too (75 days): 30, 50, 75, 91, 364.
    assert kpi_values(admin, Filters())["matter_cycle_time_days_median"] == Decimal("75")


# --- the split by matter, ranked by the database ---------------------------------------------


@pytest.fixture
def spenders(firm_a: Any) -> dict[str, Any]:
    """Five matters of firm A with approved spend (January 2026, hours 1 each line):
    M-A 300.00, M-B 200.00 (2 h), M-C 200.00 (3 h), M-D 200.00 (4 h), M-E 100.00."""
    made = {}
    for number, amount, hours in (
        ("M-A", 30000, "1"),
        ("M-B", 20000, "2"),
        ("M-C", 20000, "3"),
        ("M-D", 20000, "4"),
        ("M-E", 10000, "1"),
    ):
        matter = MatterFactory(number=number, name="x")
        made[number] = matter
        invoice(
            firm=firm_a,
            matter=matter,
            number=f"I-{number}",
            day=D(2026, 1, 10),
            lines=[{"billed": amount, "hours": hours, "cls": "PARTNR"}],
        )
    rebuild()
    return made


def top(user: Any, kpis: list[Any], n: int) -> list[tuple[str, dict[int, Any]]]:
    ctx = Context(user, Q1, "USD", {})
    return [(label, values) for _, label, values, _ in split_groups(ctx, kpis, "matter", top=n)]


def test_the_top_matters_are_the_largest_with_ties_by_label(spenders: Any, admin: Any) -> None:
    kpis = [kpi_get("total_approved"), kpi_get("hours_billed")]
    assert kpis[0].rank is not None  # ranked by the database, not by computing every matter
    # Top 2: M-A, then the first of the three tied at 200.00 by label (M-B).
    assert top(admin, kpis, 2) == [
        ("M-A x", {0: 30000, 1: Decimal("1")}),
        ("M-B x", {0: 20000, 1: Decimal("2")}),
    ]
    assert [label for label, _ in top(admin, kpis, 3)] == ["M-A x", "M-B x", "M-C x"]
    # The same rows as computing every matter and cutting in Python.
    unranked = [dataclasses.replace(kpis[0], rank=None), kpis[1]]
    for n in (1, 2, 4, 5, 6):
        assert top(admin, kpis, n) == top(admin, unranked, n)


def test_the_top_matters_keep_the_attorney_s_scope(
    spenders: Any, attorney: Any, firm_a: Any
) -> None:
    spenders["M-E"].team.add(attorney)
    spenders["M-C"].team.add(attorney)
    kpis = [kpi_get("total_approved"), kpi_get("hours_billed")]
    assert top(attorney, kpis, 1) == [("M-C x", {0: 20000, 1: Decimal("3")})]
