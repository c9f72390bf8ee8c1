"""KPIs read from the vendor records: the panel's approved rate ranges per timekeeper
classification (rate cards, effective-dated) and the firms' evaluation scores. Expected values
are computed by hand from the rows each test creates, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from python_calamine import CalamineWorkbook
from tests.factories import LawFirmFactory, MatterFactory, TimekeeperFactory
from tests.reports.dataset import D, currencies
from tests.reports.views_dataset import page_view

from legalops.organization.models import FxRate
from legalops.reports.registry import Filters, kpi_by, kpi_values
from legalops.vendors.models import Rate


def _rate(firm: Any, cls: str, rate: str, start: datetime.date, **kw: Any) -> Rate:
    return Rate.objects.create(
        firm=firm,
        classification=cls,
        rate=Decimal(rate),
        currency=kw.pop("currency", "USD"),
        effective_from=start,
        source="manual",
        **kw,
    )


@pytest.fixture
def panel(firm_a: Any, firm_b: Any) -> dict[str, Any]:
    """EUR converts at 1.1 in January 2026 and 1.2 from February.

    firm A (USD): partner PA1 500.00 from 2026 (450.00 in 2025, closed); partner PA2 600.00
    from 2026-01-01, superseded by 650.00 from 2026-03-01 (the first row left open: only the
    latest counts); PARTNR classification rate 550.00; associate (ASSOC) 300.00; paralegal
    (PARALG) 150.00.
    firm B (EUR): partner (PT) 500.00 EUR; associate (ASSOC) 250.00 EUR; a future associate
    rate from 2026-04-01 (999.00) and a matter-specific partner rate (900.00) that never count.
    firm C is inactive: its partner rate 1000.00 never counts."""
    if not FxRate.objects.exists():  # `book` sets the same rates
        currencies(("EUR", D(2026, 1, 1), "1.1"), ("EUR", D(2026, 2, 1), "1.2"))
    jan1 = D(2026, 1, 1)
    pa1 = TimekeeperFactory(firm=firm_a, classification="PARTNR")
    pa2 = TimekeeperFactory(firm=firm_a, classification="PARTNR")
    _rate(firm_a, "PARTNR", "450.00", D(2025, 1, 1), timekeeper=pa1, effective_to=D(2025, 12, 31))
    _rate(firm_a, "PARTNR", "500.00", jan1, timekeeper=pa1)
    _rate(firm_a, "PARTNR", "600.00", jan1, timekeeper=pa2)
    _rate(firm_a, "PARTNR", "650.00", D(2026, 3, 1), timekeeper=pa2)
    _rate(firm_a, "PARTNR", "550.00", jan1)
    _rate(firm_a, "ASSOC", "300.00", jan1)
    _rate(firm_a, "PARALG", "150.00", jan1)
    _rate(firm_b, "PT", "500.00", jan1, currency="EUR")
    _rate(firm_b, "ASSOC", "250.00", jan1, currency="EUR")
    _rate(firm_b, "ASSOC", "999.00", D(2026, 4, 1), currency="EUR")
    _rate(firm_b, "PT", "900.00", jan1, currency="EUR", matter=MatterFactory())
    firm_c = LawFirmFactory(status="inactive")
    _rate(firm_c, "PARTNR", "1000.00", jan1)
    return {"firm_c": firm_c}


PEERS = ("peer_rate_p25", "peer_rate_median", "peer_rate_p75")


def _by_class(user: Any, filters: Filters, kpi_id: str) -> dict[Any, Any]:
    return {row.key: row.value for row in kpi_by(user, filters, kpi_id, "classification")}


def test_peer_rate_ranges_per_classification_at_the_period_end(panel: Any, admin: Any):
    q1 = Filters(date_from=D(2026, 1, 1), date_to=D(2026, 3, 31))
    # partners on 03-31: 500, 650 (PA2's latest), 550, 500 EUR * 1.2 = 600 -> 500 550 600 650
    # p25 rank ceil(1) = 500; median (550 + 600) / 2 = 575; p75 rank ceil(3) = 600
    # associates: 300, 250 EUR * 1.2 = 300; paralegals: 150
    assert _by_class(admin, q1, "peer_rate_p25") == {
        "associate": 30000,
        "paralegal": 15000,
        "partner": 50000,
    }
    assert _by_class(admin, q1, "peer_rate_median") == {
        "associate": 30000,
        "paralegal": 15000,
        "partner": 57500,
    }
    assert _by_class(admin, q1, "peer_rate_p75")["partner"] == 60000
    # all together: 150 300 300 500 550 600 650: p25 rank 2, median 4th, p75 rank ceil(5.25)=6
    v = kpi_values(admin, q1)
    assert [v[k] for k in PEERS] == [30000, 50000, 60000]


def test_peer_rates_are_those_in_force_on_the_last_day_at_that_days_fx(panel: Any, admin: Any):
    january = Filters(date_from=D(2026, 1, 1), date_to=D(2026, 1, 31))
    # partners: 500, 600 (PA2 before the raise), 550, 500 EUR * 1.1 = 550 -> median 550
    # associates: 300, 250 EUR * 1.1 = 275 -> median 287.50, p25 275, p75 300
    medians = _by_class(admin, january, "peer_rate_median")
    assert (medians["partner"], medians["associate"]) == (55000, 28750)
    assert _by_class(admin, january, "peer_rate_p25")["associate"] == 27500
    assert _by_class(admin, january, "peer_rate_p75")["associate"] == 30000
    # 2025: only PA1's 450.00 was in force
    year_2025 = Filters(date_from=D(2025, 1, 1), date_to=D(2025, 12, 31))
    assert _by_class(admin, year_2025, "peer_rate_median") == {"partner": 45000}


def test_peer_rates_are_panel_wide_whatever_the_firm_filter(panel: Any, admin: Any, firm_b: Any):
    only_b = Filters(date_to=D(2026, 3, 31), firm_ids=(firm_b.pk,))
    assert _by_class(admin, only_b, "peer_rate_median")["partner"] == 57500


def test_peer_rates_need_reports_access(panel: Any, personas: Any):
    with pytest.raises(PermissionDenied):
        kpi_by(personas["requester"], Filters(), "peer_rate_median", "classification")


def test_the_rates_page_shows_peer_ranges_next_to_billed_rates_and_exports_them(
    client: Any, admin: Any, book: Any, panel: Any
):
    client.force_login(admin)
    params = {"period": "custom", "from": "2026-01-01", "to": "2026-03-31"}
    view = page_view(client, "/insight/rates/", "peer-ranges")
    table = view["table"]
    headers = [c.header for c in table.columns]
    assert headers[:4] == [
        "Timekeeper classification",
        "Panel rate, 25th percentile (per hour)",
        "Panel rate, median (per hour)",
        "Panel rate, 75th percentile (per hour)",
    ]
    rows = {row[0]: row[1:] for row in table.rows}
    # book, Q1: partner fee lines 1000.00 (2 h) + 600 EUR * 1.2 = 720.00 (1.5 h) + 500.00 (1 h)
    # = 2220.00 / 4.5 h = 493.33 blended, next to the panel's 500 / 575 / 600
    assert rows["Partner"][:4] == (50000, 57500, 60000, 49333)
    assert "d_classification=partner" in view["rows"][2]["link"]
    book_xlsx = CalamineWorkbook.from_filelike(
        io.BytesIO(client.get("/insight/rates/export.xlsx", params).content)
    )
    sheet = book_xlsx.get_sheet_by_name("Panel rates vs rates billed").to_python()
    partner = next(r for r in sheet if r and r[0] == "Partner")
    assert partner[1:5] == [500.0, 575.0, 600.0, 493.33]
