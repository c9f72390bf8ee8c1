import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from legalops.organization import selectors, services
from legalops.organization.models import Company, Currency

D = datetime.date


def test_company_update_validates_and_enables_the_reporting_currency(admin):
    company = services.company_update(
        actor=admin, name="Acme", reporting_currency="eur", fiscal_year_start_month=7
    )
    assert (company.reporting_currency, company.fiscal_year_start_month) == ("EUR", 7)
    assert Currency.objects.get(code="EUR").is_active
    with pytest.raises(ValidationError, match="unknown currency"):
        services.company_update(actor=admin, reporting_currency="EUX")
    with pytest.raises(ValidationError, match="month from 1 to 12"):
        services.company_update(actor=admin, fiscal_year_start_month=13)


@pytest.mark.parametrize("who", ["attorney", "approver", "requester", "firm_a"])
def test_only_admins_change_the_organization(personas, who):
    with pytest.raises(PermissionDenied):
        services.company_update(actor=personas[who], name="Hijacked")
    with pytest.raises(PermissionDenied):
        services.fx_rate_set(
            actor=personas[who], base="USD", quote="EUR", date=D(2026, 1, 1), rate=Decimal("0.9")
        )


@pytest.mark.parametrize(
    ("start", "day", "year"),
    [
        (1, D(2026, 3, 1), 2026),
        (7, D(2026, 6, 30), 2026),
        (7, D(2026, 7, 1), 2027),
        (4, D(2026, 3, 31), 2026),
        (4, D(2026, 4, 1), 2027),
    ],
)
def test_fiscal_years_are_named_after_the_year_they_end(start, day, year):
    company = Company(fiscal_year_start_month=start)
    assert company.fiscal_year_of(day) == year
    first, last = company.fiscal_year_bounds(year)
    assert first <= day <= last
    assert (last - first).days in (364, 365)


def test_fx_rate_lookup_uses_the_latest_rate_on_or_before_the_day(admin):
    services.fx_rate_set(
        actor=admin, base="USD", quote="EUR", date=D(2026, 1, 1), rate=Decimal("0.90")
    )
    services.fx_rate_set(
        actor=admin, base="USD", quote="EUR", date=D(2026, 2, 1), rate=Decimal("0.95")
    )
    assert selectors.fx_rate_on(base="USD", quote="EUR", day=D(2026, 1, 31)) == Decimal("0.90")
    assert selectors.fx_rate_on(base="usd", quote="eur", day=D(2026, 2, 1)) == Decimal("0.95")
    assert selectors.fx_rate_on(base="EUR", quote="USD", day=D(2026, 1, 15)) == (
        Decimal(1) / Decimal("0.90")
    )
    assert selectors.fx_rate_on(base="GBP", quote="GBP", day=D(2000, 1, 1)) == 1
    with pytest.raises(selectors.MissingFxRate, match="on or before 2025-12-31"):
        selectors.fx_rate_on(base="USD", quote="EUR", day=D(2025, 12, 31))


def test_fx_rates_are_exact_positive_and_correctable(admin):
    with pytest.raises(ValidationError, match="positive"):
        services.fx_rate_set(
            actor=admin, base="USD", quote="EUR", date=D(2026, 1, 1), rate=Decimal("0")
        )
    with pytest.raises(ValidationError, match="8 decimal places"):
        services.fx_rate_set(
            actor=admin, base="USD", quote="EUR", date=D(2026, 1, 1), rate=Decimal("0.123456789")
        )
    with pytest.raises(ValidationError, match="must differ"):
        services.fx_rate_set(
            actor=admin, base="USD", quote="usd", date=D(2026, 1, 1), rate=Decimal("1")
        )
    services.fx_rate_set(
        actor=admin, base="USD", quote="JPY", date=D(2026, 1, 1), rate=Decimal("149.12345678")
    )
    row = services.fx_rate_set(
        actor=admin, base="USD", quote="JPY", date=D(2026, 1, 1), rate=Decimal("150")
    )
    assert selectors.fx_rate_list(base="USD", quote="JPY").count() == 1
    assert row.rate == Decimal("150")


def test_the_reporting_currency_cannot_be_disabled(admin):
    services.company_update(actor=admin, reporting_currency="USD")
    services.currency_enable(actor=admin, code="GBP")
    with pytest.raises(ValidationError, match="reporting currency"):
        services.currency_disable(actor=admin, code="USD")
    assert not services.currency_disable(actor=admin, code="GBP").is_active


def test_a_business_unit_cannot_sit_under_its_own_sub_unit(admin):
    group = services.business_unit_save(actor=admin, code="G", name="Group")
    child = services.business_unit_save(actor=admin, code="C", name="Child", parent=group)
    with pytest.raises(ValidationError, match="under itself"):
        services.business_unit_save(actor=admin, unit=group, code="G", name="Group", parent=child)


def test_codes_are_unique(admin):
    services.practice_area_save(actor=admin, code="IP", name="IP")
    with pytest.raises(ValidationError):
        services.practice_area_save(actor=admin, code="IP", name="Other")


def test_settings_pages_for_admins_only(client, admin, attorney):
    client.force_login(attorney)
    for path in ("/admin/organization/company/", "/admin/organization/fx-rates/"):
        assert client.get(path).status_code == 403
    client.force_login(admin)
    response = client.post(
        "/admin/organization/company/",
        {
            "name": "Northwind",
            "legal_name": "",
            "reporting_currency": "CAD",
            "fiscal_year_start_month": "4",
            "country": "CA",
        },
    )
    assert response.status_code == 302
    assert selectors.company_get().reporting_currency == "CAD"
    response = client.post(
        "/admin/organization/business-units/", {"code": "HR", "name": "People", "is_active": "on"}
    )
    assert response.status_code == 302
    response = client.post(
        "/admin/organization/business-units/",
        {"code": "HR", "name": "Duplicate", "is_active": "on"},
    )
    assert response.status_code == 200 and b"errorlist" in response.content
