"""An invoice through approval, appeal and AP in the real UI: the lead attorney approves it
from "My approvals", the firm appeals the adjusted line in the portal, the attorney reinstates
it, finance exports it to AP; the totals are checked at each step and no page breaks the CSP."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect
from tests.accounts.helpers import code_for
from tests.approvals.ebilling import (  # noqa: F401  (fixtures)
    BLOCK,
    CLEAN,
    bill,
    guidelines,
    intake,
    matter_a,
    rate_card,
    submitted,
)
from tests.browser.test_rate_negotiation import sign_in

from legalops.accounts import services as accounts
from legalops.invoices.models import Invoice, State

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_approve_appeal_reinstate_and_export(
    page: Page,
    live_server,
    submitted,  # noqa: F811  (the fixture imported above)
    attorney,
    approver,
    firm_a_user,
):
    violations: list[str] = []
    page.on(
        "console",
        lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None,
    )
    invoice = submitted(BLOCK, CLEAN)  # billed 3,000.00; block billing halves line 1
    base = live_server.url

    # the lead attorney approves from the queue
    sign_in(page, base, attorney.username)
    page.goto(base + "/approvals/")
    page.locator("#results").get_by_role("link", name=invoice.invoice_number).click()
    expect(page.locator("main")).to_contain_text("2,000.00 USD")
    page.get_by_label("Comment").fill("agreed with the reduction")
    page.get_by_role("button", name="Approve", exact=True).click()
    expect(page.locator(".messages")).to_contain_text(
        f"You approved invoice {invoice.invoice_number}"
    )
    expect(page.locator("main")).to_contain_text("Approved with adjustments")
    page.get_by_role("button", name="Sign out").click()

    # the firm appeals the adjusted line
    device = accounts.two_factor_begin(user=firm_a_user)
    accounts.two_factor_confirm(
        user=firm_a_user, secret=device.secret, code=code_for(device.secret, offset_steps=-1)
    )
    sign_in(page, base, firm_a_user.username, device.secret)
    page.get_by_role("navigation", name="Portal").get_by_role("link", name="Appeals").click()
    page.get_by_role("link", name="Appeal", exact=True).click()
    page.get_by_label("Why line 1 should be paid").fill(
        "three tasks, each itemised in the timesheet"
    )
    page.get_by_role("button", name="File the appeal").click()
    expect(page.locator(".messages")).to_contain_text("Appeal filed")
    expect(page.locator("main")).to_contain_text("awaiting decision")
    page.get_by_role("button", name="Sign out").click()

    # the attorney reinstates it in full
    sign_in(page, base, attorney.username)
    page.goto(base + "/appeals/")
    page.locator("#results").get_by_role("link", name=invoice.invoice_number).click()
    expect(page.locator("main")).to_contain_text("three tasks, each itemised")
    page.get_by_label("Reinstated in full").check()
    page.get_by_role("button", name="Decide").click()
    expect(page.locator(".messages")).to_contain_text("Line 1 decided")
    expect(page.locator("main")).to_contain_text("approved now 3,000.00 USD")
    invoice.refresh_from_db()
    assert (invoice.state, invoice.approved_minor) == (State.APPROVED, 300000)
    page.get_by_role("button", name="Sign out").click()

    # finance exports it to AP
    sign_in(page, base, approver.username)
    page.goto(base + "/payables/")
    expect(page.locator("#results")).to_contain_text(invoice.invoice_number)
    page.get_by_role("button", name="Export all to a new batch").click()
    expect(page).to_have_url(re.compile(r"/payables/batches/\d+/$"))
    expect(page.locator("main")).to_contain_text("3,000.00 USD")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download CSV").click()
    assert invoice.invoice_number in download.value.path().read_text(encoding="utf-8-sig")
    assert Invoice.objects.get(pk=invoice.pk).state == State.SENT_TO_AP
    assert violations == []
