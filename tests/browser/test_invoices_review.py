# ruff: noqa: F811 - pytest fixtures imported from the invoices tests
"""An invoice through the real UI: the firm uploads a LEDES file in the portal, sees the
pre-flight flags and submits; the reviewer overrides a flag with a reason, adds a manual
adjustment and sees the totals change without a reload, then submits it for approval."""

from __future__ import annotations

import re
from importlib import import_module

import pytest
from django.apps import apps
from playwright.sync_api import Page, expect
from tests.accounts.helpers import code_for
from tests.browser.test_rate_negotiation import sign_in
from tests.invoices.conftest import intake, matter_a, rate_card  # noqa: F401
from tests.invoices.spend_fixtures import flagged_file, guidelines  # noqa: F401

from legalops.accounts import services as accounts
from legalops.invoices.models import Invoice

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def totals(page: Page) -> list[str]:
    return [
        page.get_by_test_id(f"total-{k}").inner_text() for k in ("billed", "adjusted", "approved")
    ]


def test_a_firm_submits_after_the_pre_flight_and_the_reviewer_adjusts_and_submits(
    page: Page, live_server, attorney, firm_a_user, matter_a, rate_card, guidelines
):
    # Transactional tests flush the tables, the reason codes of the migrations included.
    import_module("legalops.invoices.migrations.0002_reason_codes").add(apps, None)
    device = accounts.two_factor_begin(user=firm_a_user)
    accounts.two_factor_confirm(
        user=firm_a_user, secret=device.secret, code=code_for(device.secret, offset_steps=-1)
    )
    errors: list[str] = []
    page.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    page.on(
        "console",
        lambda m: errors.append(m.text) if "Content Security Policy" in m.text else None,
    )

    # the firm checks its file first, then submits exactly it
    sign_in(page, live_server.url, firm_a_user.username, device.secret)
    page.get_by_role("navigation", name="Portal").get_by_role("link", name="Invoices").click()
    page.get_by_role("link", name="Upload a LEDES invoice").click()
    page.get_by_label("LEDES file").set_input_files(
        {"name": "november.txt", "mimeType": "text/plain", "buffer": flagged_file("INV-77")}
    )
    page.get_by_role("button", name="Check the file").click()
    check = page.get_by_test_id("preflight")
    expect(check).to_contain_text("The file would be received")
    flags = page.get_by_test_id("preflight-flags")
    expect(flags).to_contain_text("block-billing")
    expect(flags).to_contain_text("-1,000.00 USD")
    expect(flags).to_contain_text("vague-description")
    expect(page.get_by_test_id("preflight-at-stake")).to_have_text("1,000.00 USD")
    assert not Invoice.objects.exists()
    page.get_by_role("button", name="Submit the invoice").click()
    expect(page.locator(".messages")).to_contain_text("Invoice INV-77 submitted.")
    expect(page.get_by_test_id("state")).to_have_text("In review")
    page.get_by_role("button", name="Sign out").click()

    # the matter's attorney reviews it
    sign_in(page, live_server.url, attorney.username)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Spend").click()
    page.get_by_role("link", name="My review queue").click()
    page.locator("#results").get_by_role("link", name="INV-77").click()
    expect(page).to_have_url(re.compile(r"/spend/invoices/\d+/$"))
    assert totals(page) == ["2,270.00 USD", "-1,000.00 USD", "1,270.00 USD"]

    block = page.locator('[data-testid="flag"][data-rule="block-billing"]')
    block.get_by_label("Reason for block-billing on line 1").select_option("agreed")
    block.get_by_label("Comment on block-billing on line 1").fill("tasks itemised in timesheet")
    url_before = page.url
    block.get_by_role("button", name="Override").click()
    expect(page.get_by_test_id("total-approved")).to_have_text("2,270.00 USD")
    expect(page.get_by_test_id("total-adjusted")).to_have_text("0.00 USD")
    expect(page.locator('[data-testid="flag"][data-rule="block-billing"]')).to_contain_text(
        "tasks itemised in timesheet"
    )
    assert page.url == url_before  # swapped in place, no reload

    line3 = page.locator('[data-testid="line"][data-line="3"]')
    line3.get_by_text("Adjust line 3").click()
    line3.get_by_label("Approved amount for line 3").fill("100.00")
    line3.get_by_label("Adjustment reason for line 3").select_option("expense")
    line3.get_by_label("Adjustment comment for line 3").fill("court reporter capped")
    line3.get_by_role("button", name="Set approved amount").click()
    expect(page.get_by_test_id("total-approved")).to_have_text("2,250.00 USD")
    expect(page.get_by_test_id("total-adjusted")).to_have_text("-20.00 USD")
    expect(
        page.locator('[data-testid="line"][data-line="3"] [data-testid="line-approved"]')
    ).to_have_text("100.00 USD")

    vague = page.locator('[data-testid="flag"][data-rule="vague-description"]')
    vague.get_by_role("button", name="Accept").click()
    expect(page.get_by_test_id("open-holds")).to_have_count(0)

    page.get_by_role("button", name="Submit for approval").click()
    expect(page.locator(".messages")).to_contain_text("Submitted for approval.")
    expect(page.get_by_test_id("state")).to_have_text("Pending approval")
    assert totals(page) == ["2,270.00 USD", "-20.00 USD", "2,250.00 USD"]
    invoice = Invoice.objects.get(invoice_number="INV-77")
    assert (invoice.state, invoice.approved_minor) == ("pending_approval", 225000)
    assert errors == []  # no failed request, no CSP violation (no inline script or style)


def test_a_firm_without_ledes_enters_an_invoice_with_its_pdf(
    page: Page, live_server, firm_a_user, matter_a, rate_card, guidelines
):
    device = accounts.two_factor_begin(user=firm_a_user)
    accounts.two_factor_confirm(
        user=firm_a_user, secret=device.secret, code=code_for(device.secret, offset_steps=-1)
    )
    sign_in(page, live_server.url, firm_a_user.username, device.secret)
    page.goto(live_server.url + "/portal/invoices/")
    page.get_by_role("link", name="Enter an invoice without LEDES").click()
    page.get_by_label("Matter:", exact=True).select_option(label="LIT-001 · Acme v. Northwind")
    page.get_by_label("Invoice number").fill("F-7")
    page.get_by_label("Invoice date").fill("2026-11-20")
    page.get_by_label("Billing period from").fill("2026-11-01")
    page.get_by_label("Billing period to").fill("2026-11-30")
    page.get_by_label("Your client number for us").fill("NW")
    page.get_by_label("Your matter number").fill("HW-7")
    for n in range(4):  # three rows to start with; the fourth comes from "Add a line"
        if n == 3:
            page.get_by_role("button", name="Add a line").click()
        row = n + 1
        page.get_by_label(f"Type, line {row}").select_option("F")
        page.get_by_label(f"Date, line {row}").fill(f"2026-11-0{row}")
        page.get_by_label(f"Timekeeper, line {row}").select_option(label="Hale, Grace (PARTNR)")
        page.get_by_label(f"Task, line {row}").select_option("L120")
        page.get_by_label(f"Activity, line {row}").select_option("A104")
        page.get_by_label(f"Hours or quantity, line {row}").fill("1.0")
        page.get_by_label(f"Rate or unit cost, line {row}").fill("500")
        page.get_by_label(f"Narrative, line {row}").fill(f"Analyze expert report section {row}")
    page.get_by_role("button", name="Check").click()
    expect(page.get_by_test_id("preflight-billed")).to_have_text("2,000.00 USD")
    page.get_by_label("Invoice PDF").set_input_files(
        {"name": "F-7.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n%%EOF\n"}
    )
    page.get_by_role("button", name="Submit the invoice").click()
    expect(page.locator(".messages")).to_contain_text("Invoice F-7 submitted.")
    expect(page.get_by_role("link", name="Invoice PDF")).to_be_visible()
    invoice = Invoice.objects.get(invoice_number="F-7")
    assert (invoice.source, invoice.billed_minor, invoice.lines.count()) == ("form", 200000, 4)
