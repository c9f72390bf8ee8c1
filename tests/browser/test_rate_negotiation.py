"""A rate request walked through the real UI: the firm proposes, legal ops approves, and the
rate card shows the new rate from the start of the fiscal year."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect
from tests.accounts.helpers import code_for
from tests.factories import PASSWORD, TimekeeperFactory

from legalops.accounts import services as accounts
from legalops.organization.selectors import company_get
from legalops.vendors import services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page: Page, base: str, username: str, secret: str | None = None) -> None:
    page.goto(base + "/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    if secret:
        page.get_by_label("Authentication code").fill(code_for(secret))
        page.get_by_role("button", name="Verify").click()


def test_a_rate_request_from_firm_submission_to_approval_changes_the_rate_card(
    page: Page, live_server, admin, firm_a, firm_a_user
):
    keeper = TimekeeperFactory(
        firm=firm_a, timekeeper_id="JS01", name="Smith, Jane", classification="PARTNR"
    )
    services.rate_create(
        actor=admin,
        firm=firm_a,
        timekeeper=keeper,
        rate=Decimal("800"),
        effective_from=datetime.date(2020, 1, 1),
    )
    device = accounts.two_factor_begin(user=firm_a_user)
    accounts.two_factor_confirm(
        user=firm_a_user, secret=device.secret, code=code_for(device.secret, offset_steps=-1)
    )
    year = company_get().fiscal_year_of(datetime.date.today()) + 1
    start = company_get().fiscal_year_bounds(year)[0]

    # the firm proposes and submits
    sign_in(page, live_server.url, firm_a_user.username, device.secret)
    portal = page.get_by_role("navigation", name="Portal")
    portal.get_by_role("link", name="Rate requests").click()
    page.get_by_label("Fiscal year").fill(str(year))
    page.get_by_role("button", name="Start").click()
    expect(page).to_have_url(re.compile(r"/portal/rate-requests/\d+/$"))
    page.get_by_label("Timekeeper").select_option(label=str(keeper))
    page.get_by_label("Requested rate").fill("880")
    page.get_by_label("Justification").fill("promotion to senior partner")
    page.get_by_role("button", name="Add proposed rate").click()
    lines = page.get_by_test_id("request-lines")
    expect(lines).to_contain_text("Smith, Jane")
    expect(lines).to_contain_text("10.00%")
    page.get_by_role("button", name="Submit to legal operations").click()
    expect(page.locator(".messages")).to_contain_text("Submitted to legal operations")
    page.get_by_role("button", name="Sign out").click()

    # legal ops sees the numbers and approves
    sign_in(page, live_server.url, admin.username)
    nav = page.get_by_role("navigation", name="Main")
    nav.get_by_role("link", name="Vendors").click()
    page.get_by_role("navigation", name="Vendors").get_by_role("link", name="Rate requests").click()
    page.locator("#results").get_by_role("link", name="Hale & Whitmore LLP").click()
    expect(page.get_by_test_id("no-hours")).to_contain_text("No billed hours exist yet")
    lines = page.get_by_test_id("request-lines")
    expect(lines).to_contain_text("800.00")
    expect(lines).to_contain_text("promotion to senior partner")
    page.get_by_label("Decision for Smith, Jane: 880.0000").select_option("approve")
    page.get_by_role("button", name="Decide").click()
    expect(page.locator(".messages")).to_contain_text("approve recorded")
    expect(page.get_by_test_id("request-lines")).to_contain_text("Approved")

    # the rate card changes from the start of the fiscal year
    page.goto(f"{live_server.url}/vendors/{firm_a.pk}/rates/?on={start.isoformat()}")
    card = page.get_by_test_id("rate-card")
    expect(card).to_contain_text("880.00 USD")
    expect(card).not_to_contain_text("800.00 USD")
    page.get_by_label("In effect on").fill((start - datetime.timedelta(days=1)).isoformat())
    page.get_by_label("In effect on").dispatch_event("change")
    expect(page.get_by_test_id("rate-card")).to_contain_text("800.00 USD")


def test_chart_pages_break_no_csp_rule_and_load_every_asset(page: Page, live_server, admin, firm_a):
    from tests.factories import MatterFactory

    from legalops.matters import budgets

    matter = MatterFactory(firms=[firm_a])
    budget = budgets.budget_submit(
        actor=admin,
        matter=matter,
        firm=firm_a,
        fiscal_year=datetime.date.today().year,
        amounts={"L100": Decimal("100"), "L200": Decimal("300")},
        approve=True,
    ).budget
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("response", lambda r: problems.append(r.url) if r.status >= 400 else None)
    sign_in(page, live_server.url, admin.username)
    for path in ("/matters/department/", f"/matters/budgets/{budget.pk}/"):
        page.goto(live_server.url + path)
        expect(page.locator("canvas[data-chart]")).to_be_visible()
    assert problems == []
