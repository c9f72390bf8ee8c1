"""Accrual accuracy, AFA share, cost per closed matter, work kept in house and rate change
(reports.kpis_finance), against numbers computed by hand from the rows each test adds to
`book` (tests/reports/conftest.py), exact cents, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from python_calamine import CalamineWorkbook
from tests.factories import MatterFactory, TimekeeperFactory
from tests.reports.dataset import D, at, invoice

from legalops.matters.models import Accrual, AccrualPeriod, Matter, MatterFirm
from legalops.reports import rate_changes
from legalops.reports.models import RateChange
from legalops.reports.registry import Filters, kpi_by, kpi_values
from legalops.reports.rollups import rebuild
from legalops.vendors.models import Rate
from legalops.vendors.services import rate_correct, rate_create, rate_end

Q1 = Filters(date_from=D(2026, 1, 1), date_to=D(2026, 3, 31))
YEAR = Filters(date_from=D(2026, 1, 1), date_to=D(2026, 12, 31))


def by(user: Any, filters: Filters, kpi: str, dimension: str) -> dict[Any, Any]:
    return {row.label: row.value for row in kpi_by(user, filters, kpi, dimension)}


def engage(matter: Any, firm: Any, arrangement: str = "hourly", **extra: Any) -> None:
    MatterFirm.objects.create(matter=matter, firm=firm, fee_arrangement=arrangement, **extra)


# --- accrual accuracy ------------------------------------------------------------------------


def accrue(month: datetime.date, matter: Any, firm: Any, minor: int, currency: str = "USD"):
    period, _ = AccrualPeriod.objects.get_or_create(
        month=month, defaults={"opens_on": month, "deadline": month + datetime.timedelta(days=35)}
    )
    Accrual.objects.create(
        period=period,
        matter=matter,
        firm=firm,
        current_minor=minor,
        prior_minor=999900,  # earlier months' work: never part of the month's accuracy
        currency=currency,
        reported_at=at(month),
    )


@pytest.fixture
def accrued(book: Any, firm_a: Any, firm_b: Any) -> dict[str, Any]:
    """On top of `book` (A1 M-1 firm A 01-10: 2100.00 undated; A2 M-1 firm A 02-20 in review:
    500.00 undated; B1 M-2 firm B 02-05: 1000.00 EUR at 1.2 = 1200.00; A3 M-2 firm A rejected):
    A4 M-1 firm A 03-05 approved, lines dated 01-28 200.00, 02-25 300.00, 03-02 100.00;
    A5 M-1 firm A 01-31, one line dated 02-03 70.00 (billed before the work's month).
    Accruals: January M-1 A 2500.00; February M-1 A 700.00, M-2 B 900.00 EUR (at 1.2 on
    02-28 = 1080.00); March M-2 A 500.00."""
    m1, m2 = book["m1"], book["m2"]
    engage(m1, firm_a)
    engage(m2, firm_b)
    engage(m2, firm_a)
    invoice(
        firm=firm_a,
        matter=m1,
        number="A4",
        day=D(2026, 3, 5),
        lines=[
            {"billed": 20000, "date": D(2026, 1, 28)},
            {"billed": 30000, "date": D(2026, 2, 25)},
            {"billed": 10000, "date": D(2026, 3, 2)},
        ],
    )
    invoice(
        firm=firm_a,
        matter=m1,
        number="A5",
        day=D(2026, 1, 31),
        lines=[{"billed": 7000, "date": D(2026, 2, 3)}],
    )
    accrue(D(2026, 1, 1), m1, firm_a, 250000)
    accrue(D(2026, 2, 1), m1, firm_a, 70000)
    accrue(D(2026, 2, 1), m2, firm_b, 90000, "EUR")
    accrue(D(2026, 3, 1), m2, firm_a, 50000)
    rebuild()  # invoices added row by row, as a bulk path would: rebuild the rollups
    return book


def test_accrual_accuracy_compares_each_accrual_with_the_work_later_billed(
    accrued: Any, admin: Any
) -> None:
    # January M-1 A: billed A1 2100.00 + A4's 01-28 line 200.00 = 2300.00; |2500 - 2300| = 200
    # February M-1 A: A2 500.00 + A4's 02-25 line 300.00 = 800.00 (A5 is dated before
    #   February: not later billing); |700 - 800| = 100
    # February M-2 B: 1080.00 against B1 1200.00: 120
    # March M-2 A: nothing billed (A3 rejected): 500 against 0
    # (200 + 100 + 120 + 500) / (2300 + 800 + 1200 + 0) = 920 / 4300 = 0.21395
    assert kpi_values(admin, Q1)["accrual_accuracy"] == Decimal("0.2140")
    assert by(admin, Q1, "accrual_accuracy", "firm") == {
        "Hale & Whitmore LLP": Decimal("0.2581"),  # (200 + 100 + 500) / 3100
        "Okafor Brandt LLP": Decimal("0.1"),  # 120 / 1200
    }
    assert by(admin, Q1, "accrual_accuracy", "month") == {
        "2026-01": Decimal("0.087"),  # 200 / 2300 = 0.08696
        "2026-02": Decimal("0.11"),  # 220 / 2000
        "2026-03": None,  # nothing billed yet for March: nothing to divide
    }
    february = Filters(date_from=D(2026, 2, 1), date_to=D(2026, 2, 28))
    assert kpi_values(admin, february)["accrual_accuracy"] == Decimal("0.11")


def test_accrual_accuracy_follows_the_filters_and_the_attorneys_scope(
    accrued: Any, admin: Any, attorney: Any, firm_b: Any
) -> None:
    only_b = Filters(date_from=Q1.date_from, date_to=Q1.date_to, firm_ids=(firm_b.pk,))
    assert kpi_values(admin, only_b)["accrual_accuracy"] == Decimal("0.1")  # 120 / 1200
    patents = Filters(
        date_from=Q1.date_from,
        date_to=Q1.date_to,
        practice_area_ids=(accrued["m2"].practice_area_id,),
    )
    assert kpi_values(admin, patents)["accrual_accuracy"] == Decimal("0.5167")  # 620 / 1200
    assert by(admin, Q1, "accrual_accuracy", "practice_area") == {
        "Litigation": Decimal("0.0968"),  # M-1: 300 / 3100
        "Patents": Decimal("0.5167"),  # M-2
    }
    by_matter = kpi_by(admin, Q1, "accrual_accuracy", "matter")
    assert {r.label[:3]: r.value for r in by_matter} == {
        "M-1": Decimal("0.0968"),
        "M-2": Decimal("0.5167"),
    }
    # the attorney leads M-1 only: (200 + 100) / (2300 + 800) = 0.09677
    assert kpi_values(attorney, Q1)["accrual_accuracy"] == Decimal("0.0968")


def test_the_work_month_rollup_sums_billed_lines_by_month_of_work(accrued: Any) -> None:
    from legalops.reports.models import WorkMonth

    rows = {
        (r.month, r.work_month, r.matter.number, r.currency): (r.billed_minor, r.billed_rc)
        for r in WorkMonth.objects.select_related("matter")
    }
    assert rows == {
        (D(2026, 1, 1), D(2026, 1, 1), "M-1", "USD"): (210000, 210000),  # A1, undated lines
        (D(2026, 1, 1), D(2026, 2, 1), "M-1", "USD"): (7000, 7000),  # A5's 02-03 line
        (D(2026, 2, 1), D(2026, 2, 1), "M-1", "USD"): (50000, 50000),  # A2 (in review)
        (D(2026, 2, 1), D(2026, 2, 1), "M-2", "EUR"): (100000, 120000),  # B1 at 1.2
        (D(2026, 3, 1), D(2026, 1, 1), "M-1", "USD"): (20000, 20000),  # A4's lines by date
        (D(2026, 3, 1), D(2026, 2, 1), "M-1", "USD"): (30000, 30000),
        (D(2026, 3, 1), D(2026, 3, 1), "M-1", "USD"): (10000, 10000),
    }  # A3 is rejected: not billed


def test_an_amount_without_an_fx_rate_leaves_its_accrual_out(accrued: Any, admin: Any) -> None:
    from legalops.organization.models import FxRate

    # February M-2 B accrued in USD (1080.00), but B1 (EUR) cannot be converted any more:
    # that accrual is left out rather than compared with nothing billed.
    Accrual.objects.filter(currency="EUR").update(currency="USD", current_minor=108000)
    FxRate.objects.all().delete()
    rebuild()  # as after any change of rates (docs/dashboards.md)
    # (200 + 100 + 500) / (2300 + 800 + 0) = 0.25806
    assert kpi_values(admin, Q1)["accrual_accuracy"] == Decimal("0.2581")


def test_no_accruals_give_no_accuracy(book: Any, admin: Any) -> None:
    assert kpi_values(admin, Q1)["accrual_accuracy"] is None


# --- AFA share -------------------------------------------------------------------------------


def test_afa_share_of_fees(book: Any, admin: Any, attorney: Any, firm_a: Any, firm_b: Any):
    # no engagement recorded: every fee is hourly
    assert kpi_values(admin, Q1)["afa_share"] == Decimal("0")
    engage(book["m1"], firm_a, "hourly")
    engage(book["m2"], firm_b, "fixed", fee_amount_minor=100000)
    # fees billed: A1 2050.00 + A2 500.00 (M-1, hourly) + B1 1000.00 EUR * 1.2 = 1200.00
    # (M-2 firm B, fixed fee); A3 rejected. 1200 / 3750 = 0.32
    assert kpi_values(admin, Q1)["afa_share"] == Decimal("0.32")
    assert by(admin, Q1, "afa_share", "firm") == {
        "Hale & Whitmore LLP": Decimal("0"),
        "Okafor Brandt LLP": Decimal("1"),
    }
    assert by(admin, Q1, "afa_share", "month") == {
        "2026-01": Decimal("0"),
        "2026-02": Decimal("0.7059"),  # 1200 / (1200 + 500)
        "2026-03": None,  # only the rejected A3: no fees billed
    }
    assert kpi_values(attorney, Q1)["afa_share"] == Decimal("0")  # M-1 only


# --- cost per closed matter ------------------------------------------------------------------


@pytest.fixture
def closed(book: Any, firm_a: Any, firm_b: Any, attorney: Any) -> dict[str, Any]:
    """M-1 (firm A) closed 2026-03-15, M-2 (firms A and B) closed 2026-04-10, M-3 (advisory,
    no outside spend) closed 2026-02-01."""
    engage(book["m1"], firm_a)
    engage(book["m2"], firm_b)
    engage(book["m2"], firm_a)
    Matter.objects.filter(pk=book["m1"].pk).update(status="closed", closed_on=D(2026, 3, 15))
    Matter.objects.filter(pk=book["m2"].pk).update(status="closed", closed_on=D(2026, 4, 10))
    MatterFactory(number="M-3", matter_type="advisory", status="closed", closed_on=D(2026, 2, 1))
    return book


def test_cost_per_closed_matter(closed: Any, admin: Any) -> None:
    # Q1: M-1 (approved A1 1900.00; A2 in review is not spend) and M-3 (nothing): 1900 / 2
    assert kpi_values(admin, Q1)["cost_per_matter"] == 95000
    assert by(admin, Q1, "cost_per_matter", "matter_type") == {
        "Advisory": 0,
        "Litigation": 190000,
    }
    # 2026: also M-2 (B1 approved 800.00 EUR at 1.2 = 960.00): 2860.00 / 3 = 953.333
    assert kpi_values(admin, YEAR)["cost_per_matter"] == 95333
    assert by(admin, YEAR, "cost_per_matter", "month") == {
        "2026-02": 0,
        "2026-03": 190000,
        "2026-04": 96000,
    }
    # spend of any invoice date counts: the period bounds the closing date only
    april = Filters(date_from=D(2026, 4, 1), date_to=D(2026, 4, 30))
    assert kpi_values(admin, april)["cost_per_matter"] == 96000
    none = Filters(date_from=D(2027, 1, 1))
    assert kpi_values(admin, none)["cost_per_matter"] is None


def test_cost_per_matter_with_a_firm_filter_and_for_an_attorney(
    closed: Any, admin: Any, attorney: Any, firm_a: Any, firm_b: Any
) -> None:
    firm = {"date_from": YEAR.date_from, "date_to": YEAR.date_to}
    # firm B: the matters it was engaged on (M-2), its spend there: 960.00
    assert kpi_values(admin, Filters(**firm, firm_ids=(firm_b.pk,)))["cost_per_matter"] == 96000
    # firm A: M-1 1900.00 and M-2 0 (A3 rejected): 950.00
    assert kpi_values(admin, Filters(**firm, firm_ids=(firm_a.pk,)))["cost_per_matter"] == 95000
    assert kpi_values(attorney, YEAR)["cost_per_matter"] == 190000  # leads M-1 only


# --- work kept in house ----------------------------------------------------------------------


def test_work_kept_in_house(book: Any, admin: Any, attorney: Any, firm_a: Any) -> None:
    # book: M-1 and M-2 opened 2026-01-15, both invoiced by firms (no assignment recorded)
    MatterFactory(
        number="M-3", matter_type="advisory", opened_on=D(2026, 2, 1), lead_attorney=attorney
    )
    m4 = MatterFactory(number="M-4", opened_on=D(2026, 2, 10))
    engage(m4, firm_a, is_active=False)  # a firm engaged once: not kept in house
    MatterFactory(number="M-5", opened_on=D(2025, 12, 1))  # before the period
    assert kpi_values(admin, Q1)["work_kept_in_house"] == Decimal("0.25")  # M-3 of 4
    assert by(admin, Q1, "work_kept_in_house", "matter_type") == {
        "Advisory": Decimal("1"),
        "Litigation": Decimal("0"),
    }
    assert by(admin, Q1, "work_kept_in_house", "month") == {
        "2026-01": Decimal("0"),
        "2026-02": Decimal("0.5"),
    }
    # the firm filter does not apply (in-house matters have no firm)
    with_firm = Filters(date_from=Q1.date_from, date_to=Q1.date_to, firm_ids=(firm_a.pk,))
    assert kpi_values(admin, with_firm)["work_kept_in_house"] == Decimal("0.25")
    assert kpi_values(attorney, Q1)["work_kept_in_house"] == Decimal("0.5")  # M-1, M-3
    assert kpi_values(admin, Filters(date_from=D(2027, 1, 1)))["work_kept_in_house"] is None
    # an invoice received counts whatever became of it: M-3's only one, voided
    invoice(
        firm=firm_a,
        matter=Matter.objects.get(number="M-3"),
        number="V-1",
        day=D(2026, 3, 2),
        state="voided",
        lines=[{"billed": 10000}],
    )
    rebuild()
    assert kpi_values(admin, Q1)["work_kept_in_house"] == Decimal("0")


# --- rate change -----------------------------------------------------------------------------


def card_row(firm: Any, cls: str, amount: str, since: datetime.date, **extra: Any) -> None:
    Rate.objects.create(
        firm=firm,
        classification=cls,
        rate=Decimal(amount),
        currency=extra.pop("currency", "USD"),
        effective_from=since,
        source="manual",
        **extra,
    )


def rate(firm: Any, cls: str, amount: str, since: datetime.date, **extra: Any) -> Any:
    """An approved rate through the service (as the UI, imports and rate requests add them),
    ending the line's open-ended rate the day before."""
    return rate_create(
        actor=None,
        firm=firm,
        classification=cls,
        rate=Decimal(amount),
        currency=extra.pop("currency", "USD"),
        effective_from=since,
        close_open_ended=True,
        **extra,
    )


@pytest.fixture
def cards(firm_a: Any, firm_b: Any, db: None) -> None:
    """Firm A: partner P1 450.00 from 2023-03-01, 500.00 from 2024-03-01, 605.00 from
    2026-03-01; associates (no timekeeper) 300.00 from 2025-01-01, 315.00 from 2026-01-01.
    Firm B: partner P2 (PT, a LEDES 1998B code that the rate form would not take) 400.00 from
    2025-07-01, 420.00 from 2026-01-01; paralegals 100.00 USD from 2025-01-01 then 110.00 EUR
    from 2026-02-01; a matter-specific rate; a new timekeeper. Loaded in bulk, as the seed
    does: the changes come from the rebuild."""
    p1 = TimekeeperFactory(firm=firm_a, classification="PARTNR")
    p2 = TimekeeperFactory(firm=firm_b, classification="PT")
    for amount, since in (("450", D(2023, 3, 1)), ("500", D(2024, 3, 1)), ("605", D(2026, 3, 1))):
        card_row(firm_a, "PARTNR", amount, since, timekeeper=p1)
    card_row(firm_a, "ASSOC", "300", D(2025, 1, 1))
    card_row(firm_a, "ASSOC", "315", D(2026, 1, 1))
    card_row(firm_b, "PT", "400", D(2025, 7, 1), timekeeper=p2)
    card_row(firm_b, "PT", "420", D(2026, 1, 1), timekeeper=p2)
    card_row(firm_b, "PARALG", "100", D(2025, 1, 1))
    card_row(firm_b, "PARALG", "110", D(2026, 2, 1), currency="EUR")
    card_row(firm_b, "PARALG", "90", D(2026, 2, 1), matter=MatterFactory())
    card_row(firm_b, "ASSOC", "250", D(2026, 2, 1), timekeeper=TimekeeperFactory(firm=firm_b))
    rate_changes.rebuild()


def test_rate_change_and_annualised(cards: Any, admin: Any, firm_b: Any) -> None:
    # changes taking effect in Q1 2026 (each as rate requests show it, 2 places of %):
    #   P1 500 -> 605: +21.00 %, over 730 days: 1.21 ^ (365/730) - 1 = +10.00 %
    #   A associates 300 -> 315: +5.00 %, over 365 days: +5.00 %
    #   P2 400 -> 420: +5.00 %, over 184 days: 1.05 ^ (365/184) - 1 = 10.1623 -> +10.16 %
    # not changes: the paralegal rate changed currency, the matter rate, the new timekeeper
    v = kpi_values(admin, Q1)
    assert v["rate_change_pct"] == Decimal("0.1033")  # (21 + 5 + 5) / 3 = 10.333 %
    assert v["rate_change_annualised_pct"] == Decimal("0.0839")  # 25.16 / 3 = 8.3867 %
    assert by(admin, Q1, "rate_change_pct", "classification") == {
        "Associate": Decimal("0.05"),
        "Partner": Decimal("0.13"),  # (21 + 5) / 2
    }
    assert by(admin, Q1, "rate_change_annualised_pct", "firm") == {
        "Hale & Whitmore LLP": Decimal("0.075"),  # (10 + 5) / 2
        "Okafor Brandt LLP": Decimal("0.1016"),
    }
    only_b = Filters(date_from=Q1.date_from, date_to=Q1.date_to, firm_ids=(firm_b.pk,))
    assert kpi_values(admin, only_b)["rate_change_pct"] == Decimal("0.05")
    # 2024: P1 450 -> 500 (+11.11 %, 366 days: 1.1111^(365/366) - 1 = 11.08 %)
    y2024 = kpi_values(admin, Filters(date_from=D(2024, 1, 1), date_to=D(2024, 12, 31)))
    assert (y2024["rate_change_pct"], y2024["rate_change_annualised_pct"]) == (
        Decimal("0.1111"),
        Decimal("0.1108"),
    )
    assert kpi_values(admin, Filters(date_from=D(2027, 1, 1)))["rate_change_pct"] is None


# --- permissions -----------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["requester", "firm_a"])
@pytest.mark.parametrize(
    "kpi", ["accrual_accuracy", "afa_share", "cost_per_matter", "work_kept_in_house"]
)
def test_outsiders_get_none_of_them(personas: Any, role: str, kpi: str) -> None:
    with pytest.raises(PermissionDenied):
        kpi_by(personas[role], Q1, kpi, "month")


# --- on the dashboards -----------------------------------------------------------------------


def test_the_matters_page_shows_cost_per_matter_by_type_and_accuracy(
    client: Any, admin: Any, closed: Any
) -> None:
    client.force_login(admin)
    params = {"period": "custom", "from": "2026-01-01", "to": "2026-03-31"}
    response = client.get("/insight/matters/", params)
    tiles = {t["id"]: t["value"] for t in response.context["tiles"]}
    # M-1 1900.00 and M-3 0 closed in Q1; M-3 (opened 01-15, no firm) of M-1, M-2, M-3 opened
    assert (tiles["cost_per_matter"], tiles["work_kept_in_house"]) == ("950.00 USD", "33.3%")
    assert tiles["accrual_accuracy"] == "—"  # no accruals: nothing to divide
    view = next(v for v in response.context["views"] if v["table"].key == "matter-type-cost")
    assert view["table"].rows == [
        ("Advisory", 0, Decimal("1")),
        ("Litigation", 190000, Decimal("0")),
    ]
    assert "d_matter_type=advisory" in view["rows"][0]["link"]
    # an investigation closed in Q1 but opened before it: a cost, no in-house share
    MatterFactory(
        matter_type="investigation",
        opened_on=D(2025, 6, 1),
        status="closed",
        closed_on=D(2026, 3, 1),
    )
    for fmt in ("xlsx", "pdf"):
        assert client.get(f"/insight/matters/export.{fmt}", params).status_code == 200
    sheet = (
        CalamineWorkbook.from_filelike(
            io.BytesIO(client.get("/insight/matters/export.xlsx", params).content)
        )
        .get_sheet_by_name("Cost of resolution and work kep")
        .to_python()
    )
    assert ["Investigation", 0.0, ""] in sheet


def test_the_rates_page_shows_rate_changes(client: Any, admin: Any, cards: Any) -> None:
    client.force_login(admin)
    params = {"period": "custom", "from": "2026-01-01", "to": "2026-03-31"}
    response = client.get("/insight/rates/", params)
    tiles = {t["id"]: t["value"] for t in response.context["tiles"]}
    assert (tiles["rate_change_pct"], tiles["rate_change_annualised_pct"]) == ("10.3%", "8.4%")
    # the split on the same page (sharing the tiles' computed changes): associates +5.00 %
    # (5.00 % a year); partners (21 + 5) / 2 and annualised (10.00 + 10.16) / 2
    view = next(
        v for v in response.context["views"] if v["table"].key == "rate-change-by-classification"
    )
    assert view["table"].rows == [
        ("Associate", Decimal("0.05"), Decimal("0.05")),
        ("Partner", Decimal("0.13"), Decimal("0.1008")),
    ]
    spend = client.get("/insight/spend/", params)
    assert any(t["id"] == "afa_share" for t in spend.context["tiles"])


def test_the_fast_annualised_change_is_the_rate_requests_figure() -> None:
    """rate_changes.annualised_pct takes a float shortcut away from rounding boundaries; it
    must give exactly what vendors.impact (Decimal) shows on rate requests."""
    import random

    from legalops.reports.rate_changes import annualised_pct
    from legalops.vendors import impact

    rng = random.Random(11)
    cases = [(Decimal("400"), Decimal("420"), D(2025, 7, 1), D(2026, 1, 1))]  # 10.16 %
    cases.append((Decimal("400"), Decimal("404.02"), D(2025, 1, 1), D(2026, 1, 1)))  # 1.005 %
    cases.append((Decimal("100"), Decimal("1000"), D(2026, 1, 1), D(2026, 1, 4)))  # no figure
    cases.append((Decimal("100"), Decimal("10000"), D(2026, 1, 1), D(2026, 1, 3)))  # overflow
    for _ in range(3000):
        prior = Decimal(rng.randrange(5000, 200000)).scaleb(-2)
        new = (prior * (1 + Decimal(rng.randrange(-300, 600)) / 1000)).quantize(Decimal("0.01"))
        start = D(2020, 1, 1) + datetime.timedelta(days=rng.randrange(2000))
        cases.append((prior, new, start, start + datetime.timedelta(days=rng.randrange(1, 1500))))
    for prior, new, start, end in cases:
        assert annualised_pct(prior, new, start, end) == impact.annualised_pct(
            prior, new, start, end
        )


def stored_changes() -> list[tuple[Any, ...]]:
    fields = ("rate_id", "firm_id", "bucket", "effective_from", "month", "change_h")
    return list(
        RateChange.objects.order_by("rate_id").values_list(*fields, "annualised_h", "large")
    )


def test_the_rate_change_migration_fills_them_for_rate_cards_already_there(
    cards: Any, admin: Any
) -> None:
    import importlib

    from django.apps import apps

    expected = stored_changes()
    assert len(expected) == 4  # P1 twice, the associates, P2
    RateChange.objects.all().delete()  # as on a database from before reports.0008
    migration = importlib.import_module("legalops.reports.migrations.0008_rate_change")
    migration.fill_rate_changes(apps, None)
    assert stored_changes() == expected
    assert kpi_values(admin, Q1)["rate_change_pct"] == Decimal("0.1033")


def test_a_backdated_rate_re_pairs_its_neighbours(firm_a: Any, admin: Any) -> None:
    """Associates 100.00 from 2024-01-01, 120.00 from 2026-01-01 (+20.00 %, 731 days:
    1.2 ^ (365/731) - 1 = 9.53 %); then the first ends on 2024-12-31 and 110.00 is approved
    for 2025:
    2025 +10.00 % (366 days: 1.1 ^ (365/366) - 1 = 9.97 %), 2026 +9.09 % (365 days)."""
    y2025 = Filters(date_from=D(2025, 1, 1), date_to=D(2025, 12, 31))
    rate(firm_a, "ASSOC", "100", D(2024, 1, 1))
    rate(firm_a, "ASSOC", "120", D(2026, 1, 1))
    v = kpi_values(admin, YEAR)
    assert (v["rate_change_pct"], v["rate_change_annualised_pct"]) == (
        Decimal("0.2"),
        Decimal("0.0953"),
    )
    assert kpi_values(admin, y2025)["rate_change_pct"] is None
    first = Rate.objects.get(firm=firm_a, effective_from=D(2024, 1, 1))
    rate_end(actor=None, rate=first, last_day=D(2024, 12, 31))
    rate_create(
        actor=None,
        firm=firm_a,
        classification="ASSOC",
        rate=Decimal("110"),
        effective_from=D(2025, 1, 1),
        effective_to=D(2025, 12, 31),
        close_open_ended=True,
    )
    v = kpi_values(admin, YEAR)
    assert (v["rate_change_pct"], v["rate_change_annualised_pct"]) == (
        Decimal("0.0909"),
        Decimal("0.0909"),
    )
    v = kpi_values(admin, y2025)
    assert (v["rate_change_pct"], v["rate_change_annualised_pct"]) == (
        Decimal("0.1"),
        Decimal("0.0997"),
    )
    both = Filters(date_from=D(2025, 1, 1), date_to=D(2026, 12, 31))
    assert by(admin, both, "rate_change_pct", "month") == {
        "2025-01": Decimal("0.1"),
        "2026-01": Decimal("0.0909"),
    }
    # a corrected rate changes its own change and the next one's: 110.00 -> 100.00 makes
    # 2025 +0.00 % (a change, of nothing) and 2026 +20.00 %
    corrected = Rate.objects.get(firm=firm_a, effective_from=D(2025, 1, 1))
    rate_correct(
        actor=None, rate=corrected, rate_value=Decimal("100"), effective_to=D(2025, 12, 31)
    )
    assert kpi_values(admin, y2025)["rate_change_pct"] == Decimal("0")
    assert kpi_values(admin, YEAR)["rate_change_pct"] == Decimal("0.2")
    # what the services kept is what a rebuild derives from the rate card
    kept = stored_changes()
    assert len(kept) == 2
    assert rate_changes.rebuild() == 2
    assert stored_changes() == kept


def test_an_approved_rate_request_updates_the_rate_changes(firm_a: Any, admin: Any) -> None:
    from legalops.vendors import rate_requests as rr

    keeper = TimekeeperFactory(firm=firm_a, classification="ASSOC")
    rate(firm_a, "ASSOC", "300", D(2025, 1, 1), timekeeper=keeper)
    request = rr.rate_request_create(
        actor=admin, firm=firm_a, fiscal_year=2026, effective_from=D(2026, 1, 1)
    )
    line = rr.rate_request_line_add(
        actor=admin, request=request, timekeeper=keeper, requested_rate=Decimal("330")
    )
    rr.rate_request_submit(actor=admin, request=request)
    assert kpi_values(admin, YEAR)["rate_change_pct"] is None
    rr.rate_request_line_decide(actor=admin, line=line, decision="approve")
    assert kpi_values(admin, YEAR)["rate_change_pct"] == Decimal("0.1")  # 300 -> 330


def test_changes_too_large_to_sum_in_sql_are_still_averaged_exactly(
    firm_a: Any, admin: Any
) -> None:
    """0.0001 -> 1,000,000.00 a year later: +999,999,999,900.00 % (beyond SUMMABLE
    hundredths, kept exactly in `large`), and partners 200 -> 220 (+10.00 %): the average
    is (999999999900 + 10) / 2 % = 4,999,999,999.55 as a fraction."""
    rate(firm_a, "PARALG", "0.0001", D(2025, 1, 1))
    rate(firm_a, "PARALG", "1000000", D(2026, 1, 1))
    rate(firm_a, "PARTNR", "200", D(2025, 1, 1))
    rate(firm_a, "PARTNR", "220", D(2026, 1, 1))
    large = RateChange.objects.get(bucket="paralegal")
    assert (large.change_h, large.annualised_h, large.large) == (
        None,
        None,
        "999999999900.00|999999999900.00",
    )
    v = kpi_values(admin, YEAR)
    assert v["rate_change_pct"] == Decimal("4999999999.5500")
    assert v["rate_change_annualised_pct"] == Decimal("4999999999.5500")
    assert by(admin, YEAR, "rate_change_pct", "classification") == {
        "Paralegal": Decimal("9999999999.0000"),
        "Partner": Decimal("0.1"),
    }


# --- amounts without an FX rate --------------------------------------------------------------


def test_amounts_without_an_fx_rate_are_announced_not_silent(
    book: Any, admin: Any, attorney: Any, client: Any, tmp_path: Any
) -> None:
    import io
    import json

    from django.core.management import call_command

    from legalops.organization.models import FxRate
    from legalops.reports.rollups import rebuild

    args = ("kpi", "--from", "2026-01-01", "--to", "2026-03-31", "--json")
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    assert err.getvalue() == ""  # every amount converted
    FxRate.objects.filter(base_id="EUR", date=D(2026, 2, 1)).delete()
    FxRate.objects.filter(base_id="EUR").update(date=D(2026, 3, 1))  # after B1's date
    rebuild()
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    report = json.loads(out.getvalue())  # stdout: still exactly the JSON object
    assert report["kpis"]["total_billed"] == "2600.00"  # B1 left out
    assert err.getvalue().strip() == (
        "warning: Amounts in EUR invoiced in 2026-02 (1 firm, matter and invoice date) are "
        "left out of the money KPIs: no EUR to USD FX rate on or before their invoice date. "
        "Add the rate (Admin > Organization > FX rates), then run `legalops rollups rebuild`."
    )
    err = io.StringIO()
    call_command("export", "kpi", "--xlsx", str(tmp_path / "kpi.xlsx"), stderr=err)
    assert "warning: Amounts in EUR invoiced in 2026-02" in err.getvalue()
    client.force_login(admin)
    html = client.get("/insight/", {"period": "all"}).content.decode()
    assert 'data-testid="fx-warning">Amounts in EUR invoiced in 2026-02' in html
    # the attorney's scope (M-1, all USD) has nothing left out
    client.force_login(attorney)
    assert "fx-warning" not in client.get("/insight/", {"period": "all"}).content.decode()
