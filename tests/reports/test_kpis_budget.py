"""Spend against budget and forecast by month: approved matter budgets spread evenly over
their fiscal year, forecasts entered per month or quarter, and forecast vs budget. Expected
values computed by hand from the rows each test creates on top of `book`
(tests/reports/conftest.py), on SQLite and PostgreSQL."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest
from python_calamine import CalamineWorkbook
from tests.reports.dataset import D, approved_budget

from legalops.matters.models import Forecast
from legalops.organization.selectors import company_get
from legalops.reports.registry import Filters, kpi_values, monthly_series

Q1 = Filters(date_from=D(2026, 1, 1), date_to=D(2026, 3, 31))
MONTHLY = ["budget_by_month", "forecast_by_month"]


@pytest.fixture
def plans(book: Any, firm_a: Any, firm_b: Any) -> None:
    """FY2026 budgets: M-1 (firm A) 1500.00 USD -> 125.00 a month; M-2 (firm B) 1000.00 EUR
    at 1.1 on 2026-01-01 = 1100.00 -> 110000 / 12 = 9166 rest 8: 91.67 in the first eight
    months, 91.66 in the last four. Forecasts: M-1 2000.00 USD for February 2026; M-2 (firm B)
    300.00 EUR for the quarter from January, at 1.1 = 330.00 -> 110.00 a month."""
    approved_budget(book["m1"], firm_a, "USD", 150000)
    approved_budget(book["m2"], firm_b, "EUR", 100000)
    Forecast.objects.create(
        matter=book["m1"],
        granularity="month",
        period_start=D(2026, 2, 1),
        amount_minor=200000,
        currency="USD",
    )
    Forecast.objects.create(
        matter=book["m2"],
        firm=firm_b,
        granularity="quarter",
        period_start=D(2026, 1, 1),
        amount_minor=30000,
        currency="EUR",
    )


def test_budget_spread_evenly_and_forecast_by_month(plans: Any, admin: Any):
    series = monthly_series(admin, Q1, MONTHLY)
    assert [(m, v["budget_by_month"], v["forecast_by_month"]) for m, v in series] == [
        (D(2026, 1, 1), 12500 + 9167, 11000),
        (D(2026, 2, 1), 12500 + 9167, 200000 + 11000),
        (D(2026, 3, 1), 12500 + 9167, 11000),
    ]
    v = kpi_values(admin, Q1)
    assert v["budget_by_month"] == 3 * 21667
    assert v["forecast_by_month"] == 233000
    assert v["forecast_vs_budget"] == Decimal("2.5846")  # (233000 - 65001) / 65001
    # the whole year: every month of both budgets, exactly the budgets' totals
    year = kpi_values(admin, Filters(date_from=D(2026, 1, 1), date_to=D(2026, 12, 31)))
    assert year["budget_by_month"] == 150000 + 110000
    december = monthly_series(admin, Filters(date_from=D(2026, 12, 1)), MONTHLY)
    assert december == [(D(2026, 12, 1), {"budget_by_month": 12500 + 9166, "forecast_by_month": 0})]


def test_equal_budgets_and_forecasts_each_count_and_remainders_go_to_the_first_months(
    plans: Any, admin: Any, firm_a: Any, firm_b: Any, book: Any
):
    # On top of `plans`: M-1 (firm B) the same 1500.00 USD as firm A's (125.00 a month);
    # M-2 (firm A) 1000.07 USD -> 100007 = 12 x 8333 + 11: 83.34 in the first eleven months,
    # 83.33 in December; a FY2025 budget of 12.00 USD (1.00 a month in 2025). Two equal
    # quarterly forecasts of 10.00 USD from April: 3.34, 3.33, 3.33 each.
    approved_budget(book["m1"], firm_b, "USD", 150000)
    approved_budget(book["m2"], firm_a, "USD", 100007)
    approved_budget(book["m1"], firm_a, "USD", 1200, year=2025)
    for matter in (book["m1"], book["m2"]):
        Forecast.objects.create(
            matter=matter,
            granularity="quarter",
            period_start=D(2026, 4, 1),
            amount_minor=1000,
            currency="USD",
        )
    year = Filters(date_from=D(2026, 1, 1), date_to=D(2026, 12, 31))
    series = {m: v for m, v in monthly_series(admin, year, MONTHLY)}
    # 12500 + 12500 (USD 1500.00 twice) + EUR 9167/9166 + USD 8334/8333
    assert [series[D(2026, m, 1)]["budget_by_month"] for m in range(1, 13)] == (
        [42501] * 8 + [42500] * 3 + [42499]
    )
    assert [series[D(2026, m, 1)]["forecast_by_month"] for m in (4, 5, 6)] == [668, 666, 666]
    assert kpi_values(admin, year)["budget_by_month"] == 150000 * 2 + 110000 + 100007
    earlier = Filters(date_from=D(2025, 1, 1), date_to=D(2025, 12, 31))
    assert kpi_values(admin, earlier)["budget_by_month"] == 1200


def test_a_fiscal_year_from_july_spreads_over_its_own_months(plans: Any, admin: Any):
    company = company_get()
    company.fiscal_year_start_month = 7
    company.save()
    # FY2026 = 2025-07 .. 2026-06: January to March 2026 are its months 7 to 9; the EUR budget
    # converts at 2025-07-01, before any EUR rate, so it is left out.
    series = monthly_series(admin, Q1, ["budget_by_month"])
    assert [v["budget_by_month"] for _, v in series] == [12500, 12500, 12500]


def test_attorneys_see_the_budgets_and_forecasts_of_their_matters(plans: Any, attorney: Any):
    v = kpi_values(attorney, Q1)  # leads M-1 only
    assert (v["budget_by_month"], v["forecast_by_month"]) == (37500, 200000)
    assert v["forecast_vs_budget"] == Decimal("4.3333")  # (200000 - 37500) / 37500


def test_no_budget_gives_no_forecast_vs_budget(book: Any, admin: Any):
    v = kpi_values(admin, Q1)
    assert (v["budget_by_month"], v["forecast_vs_budget"]) == (0, None)


def test_the_overview_shows_spend_against_budget_and_forecast_and_exports_it(
    client: Any, admin: Any, plans: Any
):
    client.force_login(admin)
    params = {"period": "custom", "from": "2026-01-01", "to": "2026-03-31"}
    response = client.get("/insight/", params)
    tiles = {t["id"]: t["value"] for t in response.context["tiles"]}
    assert tiles["forecast_vs_budget"] == "258.5%"
    view = next(v for v in response.context["views"] if v["table"].key == "budget-trend")
    # approved: A1 1900.00 in January, B1 800.00 EUR * 1.2 = 960.00 in February
    assert view["table"].rows == [
        ("2026-01", 190000, 21667, 11000),
        ("2026-02", 96000, 21667, 211000),
        ("2026-03", 0, 21667, 11000),
    ]
    assert "d_month=2026-02" in view["rows"][1]["link"]
    data = client.get("/insight/overview/export.xlsx", params).content
    sheet = (
        CalamineWorkbook.from_filelike(io.BytesIO(data))
        .get_sheet_by_name("Spend vs budget and forecast")
        .to_python()
    )
    february = next(r for r in sheet if r and r[0] == "2026-02")
    assert february[:4] == ["2026-02", 960.0, 216.67, 2110.0]
