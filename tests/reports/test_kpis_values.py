"""KPI values against numbers computed by hand on the fixed dataset `book`
(tests/reports/conftest.py, where each invoice is described), exact cents, on SQLite and
PostgreSQL."""

from __future__ import annotations

import json
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from tests.reports.dataset import D, approved_budget, invoice

from legalops.organization.selectors import company_get
from legalops.reports.kpis_report import kpi_report
from legalops.reports.registry import Filters, kpi_by, kpi_values, monthly_series
from legalops.reports.rollups import rebuild

Q1 = Filters(date_from=D(2026, 1, 1), date_to=D(2026, 3, 31))


def test_spend_and_review(book: Any, admin: Any) -> None:
    v = kpi_values(admin, Q1)
    # B1 in USD at 1.2: billed 1000.00 EUR -> 1200.00, approved 800.00 -> 960.00,
    # reduced 300.00 -> 360.00, reinstated 100.00 -> 120.00
    assert v["total_billed"] == 210000 + 120000 + 50000  # A3 rejected: not billed spend
    assert v["total_approved"] == 190000 + 96000
    assert v["total_adjustments"] == (190000 + 96000) - (210000 + 120000)  # -440.00
    assert v["gross_reductions"] == 20000 + 36000
    assert v["reinstated_on_appeal"] == 12000
    assert v["review_savings_rate"] == Decimal("0.1697")  # 560 / 3300
    assert v["net_savings_rate"] == Decimal("0.1333")  # 440 / 3300
    assert v["fees_billed"] == 205000 + 120000 + 50000
    assert v["expenses_billed"] == 5000
    assert (v["invoice_count"], v["line_count"]) == (3, 6)
    assert v["invoices_adjusted_rate"] == Decimal("0.6667")  # A1, B1 of A1, B1, A3
    assert v["invoices_rejected_rate"] == Decimal("0.3333")
    assert v["reinstatement_rate"] == Decimal("0.2143")  # 120 / 560
    assert v["violation_rate"] == Decimal("0.3333")  # 2 flagged of 6 lines
    assert v["appeal_rate"] == Decimal("0.5")  # B1 of the adjusted A1, B1
    assert v["first_pass_acceptance"] == Decimal("0.6667")  # A1, B1 of A1, B1, A3
    assert (v["active_firms"], v["top5_firms_share"]) == (2, Decimal("1"))


def test_rates_staffing_and_diversity(book: Any, admin: Any) -> None:
    v = kpi_values(admin, Q1)
    assert v["hours_billed"] == Decimal("12.0")  # 2 + 3.5 + 1.5 + 4 + 1
    assert v["blended_rate"] == 31250  # 3750.00 / 12 h = 312.50 / h
    # approved fees on approved invoices: 800 + 1050 + 480 + 480 = 2810.00 over 11 h
    assert v["realized_rate"] == 25545  # 255.4545 -> 255.45
    assert v["staffing_mix"] == {
        "partner": Decimal("0.375"),  # 4.5 of 12 h (PARTNR and PT)
        "counsel": Decimal("0"),
        "associate": Decimal("0.2917"),  # 3.5 / 12
        "paralegal": Decimal("0.3333"),  # 4 / 12
        "other": Decimal("0"),
    }
    assert v["leverage"] == Decimal("1.6667")  # 7.5 / 4.5
    assert v["diversity_hours_share"] == Decimal("0.5833")  # P1 3 h + L1 4 h of 12
    assert v["diversity_fees_share"] == Decimal("0.528")  # 1000 + 500 + 480 of 3750


def test_cycle_times_and_aging(book: Any, admin: Any) -> None:
    v = kpi_values(admin, Q1)
    # approved invoices: A1 4.5 days (01-10 09:00 -> 01-14 21:00), B1 1.0 day
    assert v["invoice_cycle_time_days_median"] == Decimal("2.8")  # 2.75, half up
    assert v["invoice_cycle_time_days_p90"] == Decimal("4.5")
    assert v["review_stage_days_median"] == Decimal("1.3")  # (2.0 + 0.5) / 2
    assert v["approval_stage_days_median"] == Decimal("1.5")  # (2.5 + 0.5) / 2
    # on 2026-03-31 only A2 is pending, received 39 days before
    assert (v["pending_invoices"], v["pending_over_30_days"], v["pending_over_60_days"]) == (
        1,
        1,
        0,
    )
    assert v["pending_value"] == 50000


def test_aging_by_firm_converts_each_pending_invoice(
    book: Any, admin: Any, firm_a: Any, firm_b: Any
) -> None:
    # Firm B: two EUR invoices in review, received 02-28 (31 days before 03-31) and 03-01
    # (30 days: not over 30), converted at February's 1.2 with their own date: 100.01 EUR ->
    # 120.012 -> 120.01 USD each, not 240.024 -> 240.02 converted together.
    for number, day in (("E1", D(2026, 2, 28)), ("E2", D(2026, 3, 1))):
        invoice(
            firm=firm_b,
            matter=book["m2"],
            number=number,
            day=day,
            state="in_review",
            currency="EUR",
            lines=[{"billed": 10001}],
        )
    ages = ("pending_invoices", "pending_over_30_days", "pending_over_60_days", "pending_value")
    split = {kpi: {r.label: r.value for r in kpi_by(admin, Q1, kpi, "firm")} for kpi in ages}
    assert split == {
        "pending_invoices": {"Hale & Whitmore LLP": 1, "Okafor Brandt LLP": 2},
        "pending_over_30_days": {"Hale & Whitmore LLP": 1, "Okafor Brandt LLP": 1},
        "pending_over_60_days": {"Hale & Whitmore LLP": 0, "Okafor Brandt LLP": 0},
        "pending_value": {"Hale & Whitmore LLP": 50000, "Okafor Brandt LLP": 24002},
    }
    v = kpi_values(admin, Q1)
    assert (v["pending_invoices"], v["pending_over_30_days"], v["pending_value"]) == (
        3,
        2,
        74002,
    )
    # before E1 arrived only A2 was pending; after the period nothing of it changes
    early = kpi_values(admin, Filters(date_to=D(2026, 2, 27)))
    assert (early["pending_invoices"], early["pending_value"]) == (1, 50000)


def test_splits_and_series(book: Any, admin: Any, firm_a: Any, firm_b: Any) -> None:
    by_firm = {r.label: r.value for r in kpi_by(admin, Q1, "total_billed", "firm")}
    assert by_firm == {"Hale & Whitmore LLP": 260000, "Okafor Brandt LLP": 120000}
    by_class = {r.key: r.value for r in kpi_by(admin, Q1, "blended_rate", "classification")}
    # partner: 1000 + 720 + 500 = 2220.00 over 4.5 h = 493.33
    assert by_class == {"partner": 49333, "associate": 30000, "paralegal": 12000}
    by_area = {r.label: r.value for r in kpi_by(admin, Q1, "total_approved", "practice_area")}
    assert by_area == {"Litigation": 190000, "Patents": 96000}
    series = monthly_series(admin, Q1, ["total_billed", "invoice_count"])
    assert [(m.isoformat(), vals) for m, vals in series] == [
        ("2026-01-01", {"total_billed": 210000, "invoice_count": 1}),
        ("2026-02-01", {"total_billed": 170000, "invoice_count": 2}),
        ("2026-03-01", {"total_billed": 0, "invoice_count": 0}),
    ]
    february = Filters(date_from=D(2026, 2, 1), date_to=D(2026, 2, 28))
    assert kpi_values(admin, february)["total_billed"] == 120000 + 50000


def test_attorney_sees_only_their_matters(book: Any, attorney: Any, approver: Any) -> None:
    mine = kpi_values(attorney, Q1)
    assert (mine["total_billed"], mine["invoice_count"]) == (210000 + 50000, 2)  # M1 only
    assert kpi_values(approver, Q1)["total_billed"] == 380000


def test_report_json_shape(book: Any, admin: Any) -> None:
    report = json.loads(json.dumps(kpi_report(admin, Q1, "firm")))
    assert report["period"] == {"from": "2026-01-01", "to": "2026-03-31"}
    assert report["currency"] == "USD"
    k = report["kpis"]
    assert (k["total_billed"], k["review_savings_rate"], k["blended_rate"]) == (
        "3800.00",
        0.1697,
        "312.50",
    )
    assert k["staffing_mix"]["partner"] == 0.375
    assert [(g["key"], g["kpis"]["total_billed"]) for g in report["groups"]] == [
        ("36-1234567", "2600.00"),
        ("94-7654321", "1200.00"),
    ]


def test_accrual_compliance(db: None, admin: Any, firm_a: Any, firm_b: Any) -> None:
    from tests.factories import MatterFactory
    from tests.reports.dataset import at

    from legalops.matters.models import Accrual, AccrualPeriod

    m1 = MatterFactory(firms=[firm_a, firm_b])  # two assignments asked
    m2 = MatterFactory(firms=[firm_a])  # one more
    march = AccrualPeriod.objects.create(
        month=D(2026, 3, 1), opens_on=D(2026, 3, 25), deadline=D(2026, 4, 3)
    )
    for matter, firm, day in ((m1, firm_a, D(2026, 4, 2)), (m1, firm_b, D(2026, 4, 5))):
        Accrual.objects.create(
            period=march,
            matter=matter,
            firm=firm,
            current_minor=1000,
            currency="USD",
            reported_at=at(day),
        )
    del m2
    # 3 asked, 1 on time (firm B reported after the deadline, m2 not at all)
    assert kpi_values(admin, Q1)["accrual_compliance"] == Decimal("0.3333")


def test_drill_down_lists_what_is_behind_a_number(book: Any, admin: Any, attorney: Any) -> None:
    from legalops.reports.registry import drill_invoices, drill_lines

    row = next(r for r in kpi_by(admin, Q1, "total_billed", "month") if r.key == D(2026, 2, 1))
    assert sorted(i.invoice_number for i in drill_invoices(admin, Q1, **row.drill)) == ["A2", "B1"]
    partner = drill_lines(admin, Q1, classification="partner")
    assert sorted((ln.invoice.invoice_number, ln.classification) for ln in partner) == [
        ("A1", "PARTNR"),
        ("A2", "PARTNR"),
        ("B1", "PT"),
    ]
    firm = kpi_by(admin, Q1, "total_billed", "firm")[1]  # Okafor Brandt: B1
    assert [i.invoice_number for i in drill_invoices(admin, Q1, **firm.drill)] == ["B1"]
    # the attorney's drill-down stays within their matters (M1: A1, A2)
    assert sorted(i.invoice_number for i in drill_invoices(attorney, Q1)) == ["A1", "A2"]


def test_a_missing_fx_rate_is_counted_not_guessed(book: Any, admin: Any, firm_b: Any) -> None:
    from legalops.organization.models import FxRate
    from legalops.reports.models import InvoiceMonth

    FxRate.objects.all().delete()
    rebuild()
    row = InvoiceMonth.objects.get(firm=firm_b)
    assert (row.unconverted, row.billed_minor, row.billed_rc) == (1, 100000, 0)
    assert kpi_values(admin, Q1)["total_billed"] == 210000 + 50000  # B1 left out, counted


def test_budget_variance(book: Any, admin: Any, firm_a: Any, firm_b: Any) -> None:
    approved_budget(book["m1"], firm_a, "USD", 150000)
    approved_budget(book["m2"], firm_b, "EUR", 100000)
    v = kpi_values(admin, Q1)
    # M1: spent 1900.00 (A1) of 1500.00; M2: 800.00 EUR of 1000.00 EUR, both at 1.1 on
    # 2026-01-01 (the fiscal year's start): 880.00 of 1100.00.
    # (1900 + 880 - 1500 - 1100) / 2600 = 180 / 2600 = 0.06923
    assert v["budget_variance"] == Decimal("0.0692")
    assert v["budget_variance_ltd"] == Decimal("0.0692")
    assert v["matters_within_budget"] == Decimal("0.5")  # M2 within, M1 over
    by_matter = {r.label[:3]: r.value for r in kpi_by(admin, Q1, "budget_variance", "matter")}
    assert by_matter == {"M-1": Decimal("0.2667"), "M-2": Decimal("-0.2")}  # 400/1500, -220/1100


def test_budget_spend_is_the_firms_in_the_budgets_currency_over_its_fiscal_year(
    book: Any, admin: Any, firm_a: Any, firm_b: Any
) -> None:
    approved_budget(book["m1"], firm_a, "USD", 150000)  # spent 1900.00 (A1, January 2026)
    approved_budget(book["m2"], firm_b, "USD", 100000)  # B1 is in EUR: nothing spent in USD
    approved_budget(book["m1"], firm_a, "USD", 100000, year=2025)  # nothing spent in 2025
    approved_budget(book["m1"], firm_b, "USD", 20000)  # firm B never billed M-1
    v = kpi_values(admin, Q1)
    # FY2026: (1900 - 1500 - 1000 - 200) / 2700 = -800 / 2700 = -0.29630
    assert v["budget_variance"] == Decimal("-0.2963")
    assert v["matters_within_budget"] == Decimal("0.6667")  # M-2 (B) and M-1 (B) of three
    # every year: (1900 - 3700) / 3700 = -0.48649
    assert v["budget_variance_ltd"] == Decimal("-0.4865")
    by_matter = {r.label[:3]: r.value for r in kpi_by(admin, Q1, "budget_variance_ltd", "matter")}
    # M-1: (1900 - 1500 - 1000 - 200) / 2700; M-2: (0 - 1000) / 1000
    assert by_matter == {"M-1": Decimal("-0.2963"), "M-2": Decimal("-1")}
    every = kpi_values(admin, Filters())  # all time: the period's budgets are every year's
    assert (every["budget_variance"], every["budget_variance_ltd"]) == (Decimal("-0.4865"),) * 2
    assert every["matters_within_budget"] == Decimal("0.75")  # all but M-1 (A) FY2026
    company = company_get()
    company.fiscal_year_start_month = 7  # FY2026 = 2025-07 .. 2026-06, FY2025 before it
    company.save()
    assert kpi_values(admin, Q1)["budget_variance_ltd"] == Decimal("-0.4865")


def test_budget_spend_counts_up_to_today(
    book: Any, admin: Any, firm_a: Any, firm_b: Any, monkeypatch: Any
) -> None:
    from legalops.reports import kpis_matters

    approved_budget(book["m1"], firm_a, "USD", 150000)
    approved_budget(book["m2"], firm_b, "EUR", 100000)
    today = SimpleNamespace(localdate=lambda: D(2026, 1, 31))
    monkeypatch.setattr(kpis_matters, "timezone", today)
    # On 2026-01-31 only A1 (January) counts, B1 (February) not yet:
    # (1900 + 0 - 1500 - 1100) / 2600 = -700 / 2600 = -0.26923
    assert kpi_values(admin, Q1)["budget_variance"] == Decimal("-0.2692")
    by_matter = {r.label[:3]: r.value for r in kpi_by(admin, Q1, "budget_variance", "matter")}
    assert by_matter == {"M-1": Decimal("0.2667"), "M-2": Decimal("-1")}


def test_per_firm_totals_give_the_matter_level_values(
    book: Any, admin: Any, firm_a: Any, monkeypatch: Any
) -> None:
    """The dashboards' default views read the per-firm totals; every KPI must come out as
    the matter-level rollups give it (those are checked by hand above)."""
    from legalops.reports import kpis_common

    def every_view() -> list[Any]:
        a = Filters(date_from=D(2026, 2, 1), date_to=D(2026, 3, 31), firm_ids=(firm_a.pk,))
        out: list[Any] = [kpi_values(admin, f) for f in (Q1, a)]
        for kpi in ("total_billed", "blended_rate", "review_savings_rate", "leverage"):
            for dimension in ("firm", "month"):
                rows = kpi_by(admin, Q1, kpi, dimension)
                out.append([(r.key, r.value) for r in rows])
        out.append(monthly_series(admin, Q1, ["total_approved", "staffing_mix"]))
        return out

    assert kpis_common.firm_level(kpis_common.Query(admin, Q1))
    per_firm = every_view()
    monkeypatch.setattr(kpis_common, "firm_level", lambda query: False)
    assert every_view() == per_firm
