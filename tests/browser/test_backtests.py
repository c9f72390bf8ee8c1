# ruff: noqa: F811 - pytest fixtures imported from the backtest tests
"""A backtest through the real UI: the admin starts one from Spend, reads the report and drills
into a rule; a queued backtest's page follows its progress (htmx polling) and shows the report
by itself when the worker is done."""

from __future__ import annotations

import datetime

import pytest
from playwright.sync_api import Page, expect
from tests.backtests.conftest import history, intake, matter_a, matter_b, rate_card, versions  # noqa: F401
from tests.browser.test_rate_negotiation import sign_in

from legalops.backtests import services
from legalops.backtests.models import Backtest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_admin_backtests_a_draft_and_drills_into_a_rule(
    page: Page, live_server, admin, history, versions
):
    sign_in(page, live_server.url, admin.username)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Spend").click()
    page.get_by_role("link", name="Backtests").click()
    page.get_by_role("link", name="New backtest").first.click()
    page.get_by_label("Guidelines version").select_option(str(versions["draft"].pk))
    page.get_by_label("Invoices dated from").fill("2026-11-01")
    page.get_by_label("Invoices dated to").fill("2026-11-30")
    page.get_by_role("button", name="Run backtest").click()
    totals = page.get_by_test_id("totals")
    expect(totals).to_contain_text("3,450.00")  # billed
    expect(totals).to_contain_text("400.00")  # would save
    expect(totals).to_contain_text("1,100.00")  # actually saved
    expect(totals).to_contain_text("-700.00")
    rules = page.get_by_test_id("by-rule")
    expect(rules).to_contain_text("rate-above-approved")
    rules.get_by_role("link", name="block-billing").click()
    items = page.get_by_test_id("items")
    expect(items).to_contain_text("INV-5")
    expect(items).not_to_contain_text("INV-6")
    expect(items).to_contain_text("-400.00")
    expect(items).to_contain_text("-1,000.00")


def test_the_page_follows_a_queued_backtest_until_its_report(
    page: Page, live_server, admin, history, versions
):
    backtest = services.backtest_create(
        actor=admin,
        version=versions["draft"],
        period_from=datetime.date(2026, 11, 1),
        period_to=datetime.date(2026, 11, 30),
        enqueue=False,
    )
    sign_in(page, live_server.url, admin.username)
    page.goto(f"{live_server.url}/spend/backtests/{backtest.pk}/")
    expect(page.get_by_test_id("progress")).to_contain_text("Queued")
    services.backtest_run(backtest=backtest)  # what the worker does
    assert Backtest.objects.get(pk=backtest.pk).status == "done"
    expect(page.get_by_test_id("by-rule")).to_contain_text("block-billing", timeout=10000)
    expect(page.get_by_role("link", name="Download Excel")).to_be_visible()
