"""Budgets, alerts, accruals and forecasts, with spend given through the pluggable source."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from tests.factories import MatterFactory

from legalops.matters import accruals, budgets, forecasts, selectors, spend
from legalops.matters.models import PeriodStatus, VersionStatus
from legalops.organization.models import Company

D = Decimal
TODAY = datetime.date(2026, 7, 15)


@pytest.fixture
def matter(firm_a, attorney):
    Company.objects.create(pk=1, fiscal_year_start_month=1)
    attorney.email = "counsel@example.com"
    attorney.save()
    return MatterFactory(number="LIT-1", lead_attorney=attorney, firms=[firm_a])


@pytest.fixture
def spent_source():
    amounts = {}

    def source(matter_ids, start, end):
        return {k: v for k, v in amounts.items() if k[0] in matter_ids}

    previous = spend._source[0]
    spend.spend_source_register(source)
    yield amounts
    spend.spend_source_register(previous)  # the invoices app's source, for the tests after


def test_a_firm_submits_a_phased_budget_and_the_lead_approves(
    matter, firm_a, firm_a_user, attorney
):
    version = budgets.budget_submit(
        actor=firm_a_user,
        matter=matter,
        firm=firm_a,
        fiscal_year=2026,
        amounts={"l100": D("10000"), "L200": D("25000.50")},
    )
    assert version.total_minor == 3_500_050 and version.status == VersionStatus.SUBMITTED
    with pytest.raises(PermissionDenied):
        budgets.budget_version_decide(actor=firm_a_user, version=version, approve=True)
    budgets.budget_version_decide(actor=attorney, version=version, approve=True)
    second = budgets.budget_submit(
        actor=firm_a_user, matter=matter, firm=firm_a, fiscal_year=2026, amounts={"L100": D("1")}
    )
    budgets.budget_version_decide(actor=attorney, version=second, approve=True)
    version.refresh_from_db()
    assert version.status == VersionStatus.SUPERSEDED and second.number == 2


def test_budget_phases_follow_the_code_set(matter, firm_a, admin):
    with pytest.raises(ValidationError, match="not a phase"):
        budgets.budget_submit(
            actor=admin, matter=matter, firm=firm_a, fiscal_year=2026, amounts={"C100": D("1")}
        )
    with pytest.raises(ValidationError, match="either by phase"):
        budgets.budget_submit(
            actor=admin,
            matter=matter,
            firm=firm_a,
            fiscal_year=2026,
            amounts={"": D("1"), "L100": D("1")},
        )


def test_firm_b_cannot_budget_or_see_firm_a_budgets(matter, firm_a, firm_b, firm_b_user, admin):
    budgets.budget_submit(
        actor=admin, matter=matter, firm=firm_a, fiscal_year=2026, amounts={"": D("5")}
    )
    with pytest.raises(PermissionDenied):
        budgets.budget_submit(
            actor=firm_b_user, matter=matter, firm=firm_a, fiscal_year=2026, amounts={"": D("1")}
        )
    with pytest.raises(PermissionDenied):
        budgets.budget_submit(
            actor=firm_b_user, matter=matter, firm=firm_b, fiscal_year=2026, amounts={"": D("1")}
        )
    assert not selectors.budget_list(user=firm_b_user).exists()


def test_alerts_at_80_and_100_percent_mail_the_lead_once(
    matter, firm_a, admin, spent_source, django_capture_on_commit_callbacks
):
    budgets.budget_submit(
        actor=admin,
        matter=matter,
        firm=firm_a,
        fiscal_year=2026,
        amounts={"": D("1000")},
        approve=True,
    )
    spent_source[(matter.pk, firm_a.pk)] = spend.Spend("USD", 79_999)
    assert budgets.budget_alerts_check(today=TODAY) == 0
    spent_source[(matter.pk, firm_a.pk)] = spend.Spend("USD", 80_000)
    with django_capture_on_commit_callbacks(execute=True):
        assert budgets.budget_alerts_check(today=TODAY) == 1
    assert budgets.budget_alerts_check(today=TODAY) == 0
    spent_source[(matter.pk, firm_a.pk)] = spend.Spend("USD", 150_000)
    with django_capture_on_commit_callbacks(execute=True):
        assert budgets.budget_alerts_check(today=TODAY) == 1
    assert [m.to for m in mail.outbox] == [["counsel@example.com"]] * 2
    assert "100%" in mail.outbox[1].subject


def test_consumption_by_phase(matter, firm_a, admin, spent_source):
    budgets.budget_submit(
        actor=admin,
        matter=matter,
        firm=firm_a,
        fiscal_year=2026,
        amounts={"L100": D("100"), "L200": D("300")},
        approve=True,
    )
    spent_source[(matter.pk, firm_a.pk)] = spend.Spend(
        "USD", 25_000, {"L100": 5_000, "L200": 20_000}
    )
    [usage] = budgets.budget_consumption(selectors.budget_list(user=admin), until=TODAY)
    assert usage.pct == D("62.5")
    assert usage.by_phase == [("L100", 10_000, 5_000), ("L200", 30_000, 20_000)]


def test_accrual_window_report_remind_lock_and_export(
    matter, firm_a, firm_a_user, firm_b_user, django_capture_on_commit_callbacks
):
    assert (
        accruals.accrual_periods_open_due(today=datetime.date(2026, 7, 19)) == "no period to open"
    )
    assert accruals.accrual_periods_open_due(today=datetime.date(2026, 7, 20)).startswith("opened")
    period = selectors.accrual_period_list(user=firm_a_user).get()
    assert period.deadline == datetime.date(2026, 8, 5)
    assert [a.matter.number for a in accruals.missing_reports(period)] == ["LIT-1"]
    with django_capture_on_commit_callbacks(execute=True):
        assert accruals.accrual_reminders_send(today=datetime.date(2026, 8, 3)) == 1
    assert mail.outbox[0].to == [firm_a_user.email] and "LIT-1" in mail.outbox[0].body
    with pytest.raises(PermissionDenied):
        accruals.accrual_report(
            actor=firm_b_user, period=period, matter=matter, firm=firm_a, current=D("1")
        )
    accruals.accrual_report(
        actor=firm_a_user, period=period, matter=matter, firm=firm_a, current=D("0")
    )
    accruals.accrual_report(
        actor=firm_a_user,
        period=period,
        matter=matter,
        firm=firm_a,
        current=D("1200.10"),
        prior=D("300"),
    )
    assert accruals.missing_reports(period) == []
    assert (
        accruals.accrual_periods_lock_due(today=datetime.date(2026, 8, 5))
        == "locked 0 accrual periods"
    )
    assert (
        accruals.accrual_periods_lock_due(today=datetime.date(2026, 8, 6))
        == "locked 1 accrual periods"
    )
    period.refresh_from_db()
    assert period.status == PeriodStatus.LOCKED
    with pytest.raises(ValidationError, match="locked"):
        accruals.accrual_report(
            actor=firm_a_user, period=period, matter=matter, firm=firm_a, current=D("1")
        )
    csv_text = accruals.accruals_csv(period.accruals.all())
    header, row = csv_text.splitlines()
    assert header.startswith("period,client_matter_id,matter_name,law_firm_id,firm_name")
    assert row.split(",")[:11] == [
        "2026-07",
        "LIT-1",
        matter.name,
        firm_a.law_firm_id,
        "Hale & Whitmore LLP",
        "",
        "",
        "USD",
        "1200.10",
        "300.00",
        "1500.10",
    ]
    assert not selectors.accrual_list(user=firm_b_user).exists()


def test_projection_method(matter, firm_a, admin, spent_source):
    budgets.budget_submit(
        actor=admin,
        matter=matter,
        firm=firm_a,
        fiscal_year=2026,
        amounts={"": D("12000")},
        approve=True,
    )
    # no spend yet: the unused budget is spread over the five months after July
    projection = forecasts.matter_projection(matter, fiscal_year=2026, today=TODAY)
    assert projection.remaining_minor == 1_200_000 and projection.variance_minor == 0
    assert {basis for _, _, basis in projection.months} == {"budget"}
    # 7,000 spent in 7 months: 1,000 a month; September forecast by hand at 3,000
    spent_source[(matter.pk, firm_a.pk)] = spend.Spend("USD", 700_000)
    forecasts.forecast_set(
        actor=admin, matter=matter, period_start=datetime.date(2026, 9, 1), amount=D("3000")
    )
    projection = forecasts.matter_projection(matter, fiscal_year=2026, today=TODAY)
    assert [(m.month, v, b) for m, v, b in projection.months][:2] == [
        (8, 100_000, "run rate"),
        (9, 300_000, "forecast"),
    ]
    assert projection.projected_minor == 700_000 + 4 * 100_000 + 300_000
    assert projection.variance_minor == 1_400_000 - 1_200_000


def test_quarter_forecasts_split_evenly(matter, admin):
    forecasts.forecast_set(
        actor=admin,
        matter=matter,
        period_start=datetime.date(2026, 10, 1),
        amount=D("100.00"),
        granularity="quarter",
    )
    projection = forecasts.matter_projection(matter, fiscal_year=2026, today=TODAY)
    assert [v for m, v, _ in projection.months if m.month >= 10] == [3334, 3333, 3333]
